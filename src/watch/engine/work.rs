//! The workers' side of a pass: fetching, decoding and extracting each due
//! item within a shared budget of body bytes, off the store's thread.

use super::*;

/// A job for a worker: one item of one source.
pub(super) struct Job {
    pub(super) item: WatchItem,
    pub(super) source: usize,
}

/// What a worker got.
pub(super) enum Got {
    NotModified,
    Page {
        prepared: Box<Prepared>,
        status: String,
        etag: Option<String>,
        last_modified: Option<String>,
        /// Where the scrape came from, for the observation.
        origin: String,
    },
    Links {
        links: Vec<String>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
    Files(Vec<ListedFile>),
}

pub(super) struct Done {
    pub(super) job: Job,
    pub(super) at: DateTime<Utc>,
    pub(super) result: Result<Got, String>,
    /// The body's share of the memory budget, given back once recorded.
    pub(super) _permit: Option<Permit>,
}

/// Bytes of fetched bodies (pages, feeds, files, command output) being
/// decoded and extracted or waiting for the writer, at most: extraction
/// costs several times a page's size, so this, not the number of workers,
/// bounds the memory of a pass. A body larger than the budget alone still
/// goes through, by itself.
pub(super) const BODY_BUDGET: u64 = 12 * 1000 * 1000;

/// The memory budget of a pass's bodies.
#[derive(Default)]
pub(super) struct Budget {
    pub(super) used: Mutex<u64>,
    freed: Condvar,
}

impl Budget {
    /// Wait until `n` bytes fit (or nothing else is held), and hold them.
    pub(super) fn take(budget: &Arc<Budget>, n: u64) -> Permit {
        let mut used = budget.used.lock().unwrap_or_else(|e| e.into_inner());
        while *used > 0 && *used + n > BODY_BUDGET {
            used = budget.freed.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += n;
        Permit {
            budget: Arc::clone(budget),
            n,
        }
    }
}

/// Bytes held in the budget; given back when dropped.
pub(super) struct Permit {
    pub(super) budget: Arc<Budget>,
    n: u64,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut used = self.budget.used.lock().unwrap_or_else(|e| e.into_inner());
        *used = used.saturating_sub(self.n);
        self.budget.freed.notify_all();
    }
}

/// What a worker needs besides its job.
pub(super) struct Worker<'a> {
    agent: Option<&'a ureq::Agent>,
    pub(super) budget: &'a Arc<Budget>,
    /// Set once the worker holds its body's bytes.
    permit: Option<Permit>,
}

impl Worker<'_> {
    pub(super) fn hold(&mut self, bytes: usize) {
        self.permit = Some(Budget::take(self.budget, bytes as u64));
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn run_jobs(
    store: &mut Store,
    config: &Config,
    agents: &[Option<ureq::Agent>],
    jobs: VecDeque<Job>,
    workers: usize,
    stop: &AtomicBool,
    summary: &mut PassSummary,
    on_committed: &mut impl FnMut(&[Checked], &[Event]),
) -> Result<(), StoreError> {
    let workers = workers.min(jobs.len()).max(1);
    let queue = Mutex::new(jobs);
    let budget = Arc::new(Budget::default());
    // Set when the store fails: workers stop taking jobs.
    let abort = AtomicBool::new(false);
    // Bounded: fetched pages wait for the writer, not pile up in memory.
    let (tx, rx) = mpsc::sync_channel::<Done>(workers * 2);
    let path = store.path().to_path_buf();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let queue = &queue;
            let abort = &abort;
            let budget = &budget;
            let path = &path;
            scope.spawn(move || {
                // What recording needs is derived here, off the write lock,
                // with a snapshot of the store (without one, the writer
                // derives what is missing).
                let mut reader = Reader::open(path).ok();
                loop {
                    if stop.load(Ordering::SeqCst) || abort.load(Ordering::SeqCst) {
                        break;
                    }
                    let job = queue.lock().map(|mut q| q.pop_front()).unwrap_or(None);
                    let Some(job) = job else { break };
                    let src = &config.sources[job.source];
                    // A panic in a parser must cost one item, not the pass.
                    let mut worker = Worker {
                        agent: agents[job.source].as_ref(),
                        budget,
                        permit: None,
                    };
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let mut got = work(&mut worker, src, &job.item);
                        if let Ok(Got::Page { prepared, .. }) = &mut got {
                            prepared.derive(reader.as_mut());
                        }
                        got
                    }))
                    .unwrap_or_else(|_| Err("internal error while fetching or extracting".into()));
                    let done = Done {
                        job,
                        at: Utc::now(),
                        result,
                        _permit: worker.permit.take(),
                    };
                    if tx.send(done).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let result = write_results(store, config, &rx, summary, on_committed);
        if result.is_err() {
            abort.store(true, Ordering::SeqCst);
            // Let blocked workers finish their send and see the flag.
            while rx.recv().is_ok() {}
        }
        result
    })
}

/// Fetch and prepare one item (worker side; no store access).
pub(super) fn work(w: &mut Worker<'_>, src: &Source, item: &WatchItem) -> Result<Got, String> {
    let agent = w.agent;
    let http = || agent.ok_or_else(|| "no HTTP agent for this source".to_string());
    match (&src.target, item.kind) {
        (Target::Url(url), ItemKind::Source) => {
            fetch_page(http()?, w, src, item, url, src.key.clone())
        }
        (Target::Feed(_), ItemKind::Article) => {
            let url = item.url.as_deref().unwrap_or(&item.item);
            fetch_page(http()?, w, src, item, url, None)
        }
        (Target::Feed(url), ItemKind::Source) => {
            let req = http_request(src, item, url, true);
            match fetch::http_get(http()?, &req).map_err(|e| e.to_string())? {
                HttpResponse::NotModified => Ok(Got::NotModified),
                HttpResponse::Body(body) => {
                    w.hold(body.bytes.len());
                    let label = fetch::override_label(
                        src.encoding.as_deref(),
                        body.charset.as_deref(),
                        &body.bytes,
                    );
                    let links = discover::article_links(
                        &body.bytes,
                        &body.final_url,
                        label.as_deref(),
                        src.max_articles,
                    )
                    .map_err(|e| e.to_string())?;
                    Ok(Got::Links {
                        links,
                        etag: body.etag,
                        last_modified: body.last_modified,
                    })
                }
            }
        }
        (Target::Dir(dir), ItemKind::Source) => fetch::list_dir(dir)
            .map(Got::Files)
            .map_err(|e| e.to_string()),
        (Target::Dir(_), ItemKind::File) => {
            let path = Path::new(&item.item);
            // Only regular files are read (read_bounded refuses the rest
            // without blocking: a FIFO would wait for a writer forever).
            let raw = ingest::read_bounded(path, src.max_bytes).map_err(|e| e.to_string())?;
            w.hold(raw.len());
            let opts = ingest_options(
                src,
                item.key.clone(),
                None,
                src.encoding.clone(),
                src.format,
            );
            let prepared = prepare(Some(path), raw, &opts, &src.ignore)?;
            Ok(Got::Page {
                prepared: Box::new(prepared),
                status: "ok".into(),
                etag: None,
                last_modified: None,
                origin: item.item.clone(),
            })
        }
        (Target::Command(argv), ItemKind::Source) => {
            let raw =
                fetch::run_command(argv, src.timeout, src.max_bytes).map_err(|e| e.to_string())?;
            w.hold(raw.len());
            // A command's article keeps one key: the source's key, else its name.
            let key = src.key.clone().unwrap_or_else(|| src.name.clone());
            let opts = ingest_options(src, Some(key), None, src.encoding.clone(), src.format);
            let prepared = prepare(None, raw, &opts, &src.ignore)?;
            Ok(Got::Page {
                prepared: Box::new(prepared),
                status: "ok".into(),
                etag: None,
                last_modified: None,
                origin: argv.join(" "),
            })
        }
        (target, kind) => Err(format!(
            "a {} item of a {} source (the sources file changed?)",
            kind.as_str(),
            target.kind()
        )),
    }
}

fn http_request<'a>(
    src: &'a Source,
    item: &'a WatchItem,
    url: &'a str,
    feed: bool,
) -> HttpRequest<'a> {
    HttpRequest {
        url,
        timeout: src.timeout,
        user_agent: &src.user_agent,
        max_bytes: src.max_bytes,
        etag: item.etag.as_deref(),
        last_modified: item.last_modified.as_deref(),
        accept_xml: feed,
    }
}

fn fetch_page(
    agent: &ureq::Agent,
    w: &mut Worker<'_>,
    src: &Source,
    item: &WatchItem,
    url: &str,
    key: Option<String>,
) -> Result<Got, String> {
    // Without a stored version to compare against, a 304 would leave the
    // article unrecorded: only send validators once it has a key.
    let mut req = http_request(src, item, url, false);
    if item.key.is_none() {
        req.etag = None;
        req.last_modified = None;
    }
    match fetch::http_get(agent, &req).map_err(|e: FetchError| e.to_string())? {
        HttpResponse::NotModified => Ok(Got::NotModified),
        HttpResponse::Body(body) => {
            w.hold(body.bytes.len());
            let label = fetch::override_label(
                src.encoding.as_deref(),
                body.charset.as_deref(),
                &body.bytes,
            );
            // The key is fixed at the first ingest, so a canonical URL that
            // changes later does not split the history.
            let key = key.or_else(|| item.key.clone());
            // The source's own setting, else what the server says it sent.
            let format = match (src.format, body.content_type.as_deref()) {
                (InputFormat::Auto, Some(ct)) => InputFormat::from_content_type(ct),
                (format, _) => format,
            };
            let opts = ingest_options(src, key, Some(url.to_string()), label, format);
            let prepared = prepare(None, body.bytes, &opts, &src.ignore)?;
            Ok(Got::Page {
                prepared: Box::new(prepared),
                status: body.status.to_string(),
                etag: body.etag,
                last_modified: body.last_modified,
                origin: url.to_string(),
            })
        }
    }
}

fn ingest_options(
    src: &Source,
    key: Option<String>,
    url: Option<String>,
    encoding: Option<String>,
    format: InputFormat,
) -> IngestOptions {
    IngestOptions {
        key,
        url,
        observed_at: Utc::now(),
        time: ObservedTime::Now,
        max_bytes: src.max_bytes,
        encoding,
        format,
        selectors: src.selectors.clone(),
    }
}

/// Decode, extract and key a scrape like `track add`, then apply the
/// source's ignore rules.
fn prepare(
    path: Option<&Path>,
    raw: Vec<u8>,
    opts: &IngestOptions,
    ignore: &[Regex],
) -> Result<Prepared, String> {
    let mut p = ingest::prepare(path, raw, opts).map_err(|e| e.to_string())?;
    if !ignore.is_empty() {
        let text = strip_ignored(&p.text, ignore);
        if normalize::identity_text(&text).is_empty() {
            return Err("empty after the ignore rules".into());
        }
        p.identity = normalize::identity_hash(&text);
        p.text = text;
    }
    Ok(p)
}

/// Remove every match of the ignore rules from an extracted text, then tidy
/// what they leave: trailing spaces, and paragraphs they emptied.
pub fn strip_ignored(text: &str, rules: &[Regex]) -> String {
    let mut t = text.to_string();
    let mut changed = false;
    for rule in rules {
        if rule.is_match(&t) {
            t = rule.replace_all(&t, "").into_owned();
            changed = true;
        }
    }
    if !changed {
        return t;
    }
    let mut out = String::with_capacity(t.len());
    let mut blank_run = 0;
    for line in t.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank_run += 1;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
