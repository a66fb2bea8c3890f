//! One pass over the due items of a sources file.
//!
//! Worker threads fetch, decode and extract (the slow, parallel part); the
//! calling thread owns the one store connection and records results in
//! chunked transactions, as `ingest` does. Outcomes and events are handed to
//! the caller only after the commit that made them durable, so whatever was
//! reported survives a crash.
//!
//! No false versions: an HTTP error, a non-text body, an empty page or an
//! extraction that yields far less text than the current version is recorded
//! as a failed check in the item's state — never as a version — and the
//! item is retried with exponential back-off.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use regex::Regex;
use serde::Serialize;

use super::config::{Config, Source, Target};
use super::discover;
use super::events::{EVENT_SENTENCES, Event, EventKind, event_id, summary};
use super::fetch::{self, AddressPolicy, FetchError, HttpRequest, HttpResponse, ListedFile};
use super::schedule::{self, Schedule};
use crate::compare::{self, CompareOptions, Pair};
use crate::ingest::{self, IngestOptions, InputFormat, ObservedTime, Prepared};
use crate::report::{DiffReport, Mode};
use crate::store::sources::{ItemKind, WatchItem};
use crate::store::{Batch, Reader, Recorded, Store, StoreError, VersionText, format_time};
use crate::text::normalize;

/// Results per transaction, at most (as in `ingest`).
const CHUNK_RESULTS: usize = 512;
/// Time per transaction, at most.
const CHUNK_TIME: Duration = Duration::from_millis(1000);
/// A pass re-reads the due list after feeds and folders were read, so that
/// what they revealed is fetched in the same pass; this bounds the repeats.
const MAX_ROUNDS: usize = 3;
/// A text shorter than this fraction of the current version's is refused…
const TRUNCATION_RATIO: f64 = 0.3;
/// …unless the same short text came back this many times in a row (the
/// article really was cut).
const TRUNCATION_CONFIRMATIONS: i64 = 3;
/// Files of a folder are not polled: they are due when the listing shows them changed.
const NEVER: &str = "9999-12-31T23:59:59Z";

/// How to run a pass.
#[derive(Debug, Clone)]
pub struct PassOptions {
    /// Check every item, due or not (folder files still only when changed).
    pub all: bool,
    /// Parallel fetches (the sources file's `workers` unless overridden).
    pub workers: usize,
}

/// What checking one item did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    NewArticle {
        version: i64,
    },
    NewVersion {
        version: i64,
    },
    Unchanged {
        version: i64,
    },
    Reverted {
        version: i64,
    },
    /// HTTP 304: nothing fetched, nothing changed.
    NotModified,
    /// A feed or folder was read: links or files found, how many new or changed.
    Listed {
        found: usize,
        new: usize,
    },
    /// The article belongs to another source (it tracked it first, or names
    /// it as its `url`): nothing recorded.
    Skipped {
        owner: String,
    },
    /// Recorded as a failed check; retried later (the time is in the state).
    Failed {
        reason: String,
        retry_at: String,
    },
}

/// One checked item.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    pub source: String,
    /// Empty for the source itself; the article URL or file path otherwise.
    pub item: String,
    pub key: Option<String>,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Taken, but with something the operator should know (bytes replaced
    /// in decoding, a canonical URL not trusted).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Counts over a pass.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PassSummary {
    pub checked: usize,
    pub new_articles: usize,
    pub new_versions: usize,
    pub reverts: usize,
    pub unchanged: usize,
    pub not_modified: usize,
    pub listed: usize,
    pub failed: usize,
    /// Items whose article belongs to another source.
    pub skipped: usize,
    /// Items of the sources file that were not due.
    pub not_due: usize,
    /// The stop flag ended the pass early.
    pub interrupted: bool,
}

impl PassSummary {
    fn count(&mut self, o: &Outcome) {
        self.checked += 1;
        match o {
            Outcome::NewArticle { .. } => self.new_articles += 1,
            Outcome::NewVersion { .. } => self.new_versions += 1,
            Outcome::Unchanged { .. } => self.unchanged += 1,
            Outcome::Reverted { .. } => self.reverts += 1,
            Outcome::NotModified => self.not_modified += 1,
            Outcome::Listed { .. } => self.listed += 1,
            Outcome::Failed { .. } => self.failed += 1,
            Outcome::Skipped { .. } => self.skipped += 1,
        }
    }
}

/// A job for a worker: one item of one source.
struct Job {
    item: WatchItem,
    source: usize,
}

/// What a worker got.
enum Got {
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

struct Done {
    job: Job,
    at: DateTime<Utc>,
    result: Result<Got, String>,
    /// The body's share of the memory budget, given back once recorded.
    _permit: Option<Permit>,
}

/// Bytes of fetched bodies (pages, feeds, files, command output) being
/// decoded and extracted or waiting for the writer, at most: extraction
/// costs several times a page's size, so this, not the number of workers,
/// bounds the memory of a pass. A body larger than the budget alone still
/// goes through, by itself.
const BODY_BUDGET: u64 = 12 * 1000 * 1000;

/// The memory budget of a pass's bodies.
#[derive(Default)]
struct Budget {
    used: Mutex<u64>,
    freed: Condvar,
}

impl Budget {
    /// Wait until `n` bytes fit (or nothing else is held), and hold them.
    fn take(budget: &Arc<Budget>, n: u64) -> Permit {
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
struct Permit {
    budget: Arc<Budget>,
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
struct Worker<'a> {
    agent: Option<&'a ureq::Agent>,
    budget: &'a Arc<Budget>,
    /// Set once the worker holds its body's bytes.
    permit: Option<Permit>,
}

impl Worker<'_> {
    fn hold(&mut self, bytes: usize) {
        self.permit = Some(Budget::take(self.budget, bytes as u64));
    }
}

/// Run one pass: check the due items of `config` (all with `opts.all`),
/// reading again after feeds and folders revealed new items. `stop` ends it
/// early: no new fetch starts; fetches in flight are finished and recorded.
/// `on_committed` gets each chunk's outcomes and events right after its commit.
pub fn run_pass(
    store: &mut Store,
    config: &Config,
    opts: &PassOptions,
    stop: &AtomicBool,
    mut on_committed: impl FnMut(&[Checked], &[Event]),
) -> Result<PassSummary, StoreError> {
    let mut summary = PassSummary::default();
    register_sources(store, config)?;
    let index: HashMap<&str, usize> = config
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    // An agent per address policy, which the sources of one host share
    // (with their connection pool): the policy depends on the configured
    // URL's host and allow_private only.
    let mut shared: HashMap<(String, bool), ureq::Agent> = HashMap::new();
    let agents: Vec<Option<ureq::Agent>> = config
        .sources
        .iter()
        .map(|s| match &s.target {
            Target::Url(home) | Target::Feed(home) => {
                let host = url::Url::parse(home)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
                    .unwrap_or_else(|| home.clone());
                let agent = shared.entry((host, s.allow_private)).or_insert_with(|| {
                    fetch::agent(AddressPolicy {
                        home: home.clone(),
                        allow_private: s.allow_private,
                    })
                });
                Some(agent.clone())
            }
            Target::Dir(_) | Target::Command(_) => None,
        })
        .collect();
    let mut done_ids: HashSet<i64> = HashSet::new();
    for round in 0..MAX_ROUNDS {
        if stop.load(Ordering::SeqCst) {
            summary.interrupted = true;
            break;
        }
        let now = Utc::now();
        let mut jobs = VecDeque::new();
        let mut not_due = 0;
        for item in store.watch_items()? {
            let Some(&source) = index.get(item.source.as_str()) else {
                continue; // a source no longer in the file
            };
            if done_ids.contains(&item.id) {
                continue;
            }
            // An item deferring to another source of the file is not fetched.
            if item.owner.as_deref().is_some_and(|o| index.contains_key(o)) {
                if round == 0 {
                    not_due += 1;
                }
                continue;
            }
            let forced = round == 0 && opts.all && item.kind != ItemKind::File;
            if forced || is_due(&item, now) {
                done_ids.insert(item.id);
                jobs.push_back(Job { item, source });
            } else {
                not_due += 1;
            }
        }
        if round == 0 {
            summary.not_due = not_due;
        }
        if jobs.is_empty() {
            break;
        }
        run_jobs(
            store,
            config,
            &agents,
            jobs,
            opts.workers.max(1),
            stop,
            &mut summary,
            &mut on_committed,
        )?;
    }
    if stop.load(Ordering::SeqCst) {
        summary.interrupted = true;
    }
    Ok(summary)
}

/// When the next item of `config` is due (None: nothing is scheduled).
pub fn next_due(store: &Store, config: &Config) -> Result<Option<DateTime<Utc>>, StoreError> {
    let names: HashSet<&str> = config.sources.iter().map(|s| s.name.as_str()).collect();
    let items = store.watch_items()?;
    let known: HashSet<&str> = items.iter().map(|i| i.source.as_str()).collect();
    if names.iter().any(|n| !known.contains(n)) {
        return Ok(Some(Utc::now()));
    }
    Ok(items
        .iter()
        .filter(|i| names.contains(i.source.as_str()) && i.next_due.as_str() != NEVER)
        .filter_map(|i| parse_time(&i.next_due))
        .min())
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn is_due(item: &WatchItem, now: DateTime<Utc>) -> bool {
    // An unreadable time is treated as due: better one check too many.
    parse_time(&item.next_due).is_none_or(|t| t <= now)
}

/// Make sure every source of the file has its state row.
fn register_sources(store: &mut Store, config: &Config) -> Result<(), StoreError> {
    let known: HashSet<String> = store
        .watch_items()?
        .into_iter()
        .filter(|i| i.kind == ItemKind::Source)
        .map(|i| i.source)
        .collect();
    if config.sources.iter().all(|s| known.contains(&s.name)) {
        return Ok(());
    }
    let now = format_time(Utc::now());
    let mut batch = store.batch()?;
    for s in &config.sources {
        if !known.contains(&s.name) {
            batch.add_watch_item(
                &s.name,
                "",
                ItemKind::Source,
                Some(&s.target.describe()),
                &now,
            )?;
        }
    }
    batch.commit()
}

#[allow(clippy::too_many_arguments)]
fn run_jobs(
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

/// The writer: records results in chunks until every worker is done.
fn write_results(
    store: &mut Store,
    config: &Config,
    rx: &mpsc::Receiver<Done>,
    summary: &mut PassSummary,
    on_committed: &mut impl FnMut(&[Checked], &[Event]),
) -> Result<(), StoreError> {
    let mut checked: Vec<Checked> = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    // Each chunk is its own transaction, opened when its first result arrives
    // so that slow fetches don't hold the write lock.
    while let Ok(first) = rx.recv() {
        let mut batch = store.batch()?;
        let started = Instant::now();
        let mut next = Some(first);
        loop {
            if let Some(done) = next.take() {
                apply(&mut batch, config, done, &mut checked, &mut events)?;
            }
            if checked.len() >= CHUNK_RESULTS || started.elapsed() >= CHUNK_TIME {
                break;
            }
            let left = CHUNK_TIME.saturating_sub(started.elapsed());
            match rx.recv_timeout(left) {
                Ok(done) => next = Some(done),
                Err(_) => break,
            }
        }
        crate::notify::outbox::queue(&mut batch, config, &events, &format_time(Utc::now()))?;
        batch.commit()?;
        for c in &checked {
            summary.count(&c.outcome);
        }
        // Spelling-only and order-only versions are events for the events
        // output only with `minor_edits` (alert rules may still have asked
        // for them, above).
        events.retain(|e| config.events.minor_edits || !e.edit.is_some_and(|e| e.is_minor()));
        on_committed(&checked, &events);
        checked.clear();
        events.clear();
    }
    Ok(())
}

/// Fetch and prepare one item (worker side; no store access).
fn work(w: &mut Worker<'_>, src: &Source, item: &WatchItem) -> Result<Got, String> {
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

/// Record one worker result and update the item's state (writer side).
fn apply(
    batch: &mut Batch<'_>,
    config: &Config,
    done: Done,
    checked: &mut Vec<Checked>,
    events: &mut Vec<Event>,
) -> Result<(), StoreError> {
    let Done {
        job,
        at,
        result,
        _permit,
    } = done;
    let src = &config.sources[job.source];
    let mut item = job.item;
    let at_s = format_time(at);
    item.last_checked = Some(at_s.clone());
    let schedule = match item.kind {
        ItemKind::Article => src.articles,
        _ => src.schedule,
    };
    let mut warnings = Vec::new();
    let outcome = match result {
        Err(reason) => fail(&mut item, src, schedule, at, reason),
        Ok(Got::NotModified) => {
            if let Some(key) = &item.key {
                let origin = item.url.clone().unwrap_or_else(|| src.target.describe());
                batch.observe_unchanged(key, &at_s, Some(&origin))?;
            }
            succeed(&mut item, src, schedule, at, "304 not modified".into());
            Outcome::NotModified
        }
        Ok(Got::Links {
            links,
            etag,
            last_modified,
        }) => {
            let mut new = 0;
            for link in &links {
                if batch.add_watch_item(&src.name, link, ItemKind::Article, Some(link), &at_s)? {
                    new += 1;
                    // A page another source names as its `url` is that source's.
                    if let Some(owner) = url_source_of(config, &src.name, link) {
                        batch.set_watch_owner(&src.name, link, owner)?;
                    }
                }
            }
            if new > 0 {
                item.last_changed = Some(at_s.clone());
            }
            item.etag = etag;
            item.last_modified = last_modified;
            succeed(&mut item, src, schedule, at, "ok".into());
            Outcome::Listed {
                found: links.len(),
                new,
            }
        }
        Ok(Got::Files(files)) => {
            let mut new = 0;
            for f in &files {
                let path = f.path.display().to_string();
                if batch.note_file(&src.name, &path, &f.signature, &at_s)? {
                    new += 1;
                }
            }
            if new > 0 {
                item.last_changed = Some(at_s.clone());
            }
            succeed(&mut item, src, schedule, at, "ok".into());
            Outcome::Listed {
                found: files.len(),
                new,
            }
        }
        Ok(Got::Page {
            prepared,
            status,
            etag,
            last_modified,
            origin,
        }) => {
            let p = *prepared;
            // An article belongs to one item: another reaching it (a feed
            // and a section page both linking it, two files of a folder
            // with one name) defers to the first that tracked it.
            let holders = batch.key_holders(&p.key, item.id)?;
            let owner = holders
                .into_iter()
                .find(|h| config.sources.iter().any(|s| s.name == *h));
            if let Some(owner) = owner {
                item.key = Some(p.key.clone());
                item.owner = Some(owner.clone());
                succeed(
                    &mut item,
                    src,
                    schedule,
                    at,
                    deferred_status(&src.name, &owner),
                );
                push(checked, &src.name, &item, Outcome::Skipped { owner });
                batch.save_watch_item(&item)?;
                return Ok(());
            }
            // It was another source's, which is no longer in the file.
            item.owner = None;
            let current = batch.current_version(&p.key)?;
            let refused = current.and_then(|cur| {
                let short = (p.text.len() as f64) < cur.bytes as f64 * TRUNCATION_RATIO;
                if !short {
                    return None;
                }
                if item.suspect.as_deref() == Some(&p.identity[..]) {
                    item.suspect_count += 1;
                } else {
                    item.suspect = Some(p.identity.to_vec());
                    item.suspect_count = 1;
                }
                (item.suspect_count < TRUNCATION_CONFIRMATIONS).then(|| {
                    format!(
                        "extracted text much shorter than the current version ({} bytes, was {}): refused as a likely extraction failure",
                        p.text.len(),
                        cur.bytes
                    )
                })
            });
            if let Some(reason) = refused {
                item.key.get_or_insert_with(|| p.key.clone());
                let o = fail(&mut item, src, schedule, at, reason);
                push(checked, &src.name, &item, o);
                batch.save_watch_item(&item)?;
                return Ok(());
            }
            item.suspect = None;
            item.suspect_count = 0;
            let recorded = batch.record(&p.scrape(at, &origin))?;
            item.key.get_or_insert_with(|| p.key.clone());
            let previous = current.map(|c| c.version);
            let (outcome, kind) = match recorded {
                Recorded::NewArticle { version } => (
                    Outcome::NewArticle { version },
                    config.events.new_articles.then_some(EventKind::NewArticle),
                ),
                Recorded::NewVersion { version } => {
                    (Outcome::NewVersion { version }, Some(EventKind::NewVersion))
                }
                Recorded::Reverted { version } => {
                    (Outcome::Reverted { version }, Some(EventKind::Revert))
                }
                Recorded::Unchanged { version } => (Outcome::Unchanged { version }, None),
            };
            if !matches!(recorded, Recorded::Unchanged { .. }) {
                item.last_changed = Some(at_s.clone());
            }
            // What a new version or revert edited, noted in the store; one
            // that only changed spelling or sentence order raises no event
            // unless the sources file asks for them.
            let edited = ingest::note_edit(batch, &p.key, &p.text, &recorded)?;
            // Built for the events output with `minor_edits`, or when the
            // source's alert rules ask for such versions.
            let minor = edited.as_ref().is_some_and(|e| {
                e.edit.is_minor()
                    && !config.events.minor_edits
                    && !(src.rules.wants_minor()
                        && !(config.events.notify.is_empty() && src.notify.is_empty()))
            });
            if let Some(kind) = kind.filter(|_| !minor) {
                let version = match recorded {
                    Recorded::NewArticle { version }
                    | Recorded::NewVersion { version }
                    | Recorded::Reverted { version }
                    | Recorded::Unchanged { version } => version,
                };
                let (counts, claims, sentences, edit, title_change) = match &edited {
                    Some(e) if kind != EventKind::NewArticle => {
                        let report = edit_report(batch, &p, version, e, kind)?;
                        // What a reader of the alert wants first: the claims that changed.
                        let claims = report.claims.into_iter().filter(|r| r.is_change());
                        let sentences = report
                            .sentences
                            .into_iter()
                            .filter(|r| r.op != crate::diff::Op::Unchanged)
                            .take(EVENT_SENTENCES);
                        (
                            Some(report.counts),
                            claims.collect(),
                            sentences.collect(),
                            Some(e.edit),
                            report.title_change,
                        )
                    }
                    _ => (None, Vec::new(), Vec::new(), None, None),
                };
                events.push(Event {
                    id: event_id(&src.name, &p.key, kind, version, &at_s),
                    at: at_s.clone(),
                    source: src.name.clone(),
                    key: p.key.clone(),
                    url: p.url.clone(),
                    kind,
                    version,
                    previous,
                    summary: {
                        let line = summary(&p.key, kind, version, previous, counts.as_ref());
                        if title_change.is_some() {
                            format!("{line}; headline changed")
                        } else {
                            line
                        }
                    },
                    counts,
                    title: p.meta.title.clone(),
                    title_change,
                    claims,
                    sentences,
                    edit,
                });
            }
            item.etag = etag;
            item.last_modified = last_modified;
            succeed(&mut item, src, schedule, at, status);
            warnings = p.warnings;
            outcome
        }
    };
    push(checked, &src.name, &item, outcome);
    if let Some(last) = checked.last_mut() {
        last.warnings = warnings;
    }
    batch.save_watch_item(&item)?;
    Ok(())
}

/// What `sources` shows for an item of `source` that defers to `owner`.
fn deferred_status(source: &str, owner: &str) -> String {
    if source == owner {
        "skipped: the article is tracked by another item of this source".into()
    } else {
        format!("skipped: the article belongs to source {owner}")
    }
}

/// The other source of the file whose `url` is `link`, if any.
fn url_source_of<'a>(config: &'a Config, me: &str, link: &str) -> Option<&'a str> {
    let norm = |u: &str| url::Url::parse(u).map_or_else(|_| u.to_string(), |u| u.to_string());
    let link = norm(link);
    config.sources.iter().find_map(|s| match &s.target {
        Target::Url(u) if s.name != me && norm(u) == link => Some(s.name.as_str()),
        _ => None,
    })
}

/// The comparison `track diff KEY` shows for the edit an event reports, over
/// the alignment `note_edit` made (inside the write transaction: no cache).
fn edit_report(
    batch: &Batch<'_>,
    p: &Prepared,
    version: i64,
    edited: &ingest::Edited,
    kind: EventKind,
) -> Result<DiffReport, StoreError> {
    let side = |number: i64, text: &str| -> Result<VersionText, StoreError> {
        let mut side = compare::unstored(&p.key, number, text);
        side.published = batch.version_published(&p.key, number)?;
        side.title = batch.version_title(&p.key, number)?;
        Ok(side)
    };
    let pair = Pair {
        mode: Mode::Versions,
        from: side(edited.previous, &edited.old)?,
        to: side(version, &edited.new)?,
        revert: kind == EventKind::Revert,
    };
    Ok(compare::compare_aligned(
        &pair,
        &edited.diff,
        &CompareOptions::default(),
    ))
}

fn push(checked: &mut Vec<Checked>, source: &str, item: &WatchItem, outcome: Outcome) {
    checked.push(Checked {
        source: source.to_string(),
        item: item.item.clone(),
        key: item.key.clone(),
        outcome,
        warnings: Vec::new(),
    });
}

/// The normal interval of an item after a check at `at`.
fn interval(item: &WatchItem, schedule: Schedule, at: DateTime<Utc>) -> Duration {
    let changed = item
        .last_changed
        .as_deref()
        .or(Some(item.discovered_at.as_str()))
        .and_then(parse_time)
        .unwrap_or(at);
    schedule.interval(schedule::since(at, changed))
}

fn succeed(
    item: &mut WatchItem,
    src: &Source,
    schedule: Schedule,
    at: DateTime<Utc>,
    status: String,
) {
    item.failures = 0;
    item.last_status = Some(status);
    item.next_due = if item.kind == ItemKind::File {
        NEVER.to_string()
    } else {
        let wait = interval(item, schedule, at) + schedule::jitter(src.jitter, salt(item, at));
        format_time(schedule::after(at, wait))
    };
}

fn fail(
    item: &mut WatchItem,
    src: &Source,
    schedule: Schedule,
    at: DateTime<Utc>,
    reason: String,
) -> Outcome {
    item.failures += 1;
    item.last_status = Some(reason.clone());
    item.next_due = if item.kind == ItemKind::File {
        // A bad file is read again when it changes, not on a timer.
        NEVER.to_string()
    } else {
        let failures = u32::try_from(item.failures).unwrap_or(u32::MAX);
        let wait = schedule::backoff(interval(item, schedule, at), failures)
            + schedule::jitter(src.jitter, salt(item, at));
        format_time(schedule::after(at, wait))
    };
    Outcome::Failed {
        reason,
        retry_at: item.next_due.clone(),
    }
}

fn salt(item: &WatchItem, at: DateTime<Utc>) -> u64 {
    (item.id as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ at.timestamp_subsec_nanos() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_budget_lets_a_large_body_through_alone() {
        let budget = Arc::new(Budget::default());
        let big = Budget::take(&budget, BODY_BUDGET * 2);
        // The small take may only return after the big one is dropped; a flag
        // set just before the drop says so without timing anything.
        let released = std::sync::atomic::AtomicBool::new(false);
        let waited_for_release = std::thread::scope(|scope| {
            let h = scope.spawn(|| {
                let _small = Budget::take(&budget, 10);
                released.load(std::sync::atomic::Ordering::SeqCst)
            });
            std::thread::sleep(Duration::from_millis(50));
            released.store(true, std::sync::atomic::Ordering::SeqCst);
            drop(big);
            h.join().unwrap()
        });
        assert!(waited_for_release);
        assert_eq!(*budget.used.lock().unwrap(), 0);
        let a = Budget::take(&budget, 10);
        let b = Budget::take(&budget, 10);
        assert_eq!(*budget.used.lock().unwrap(), 20);
        drop((a, b));
        assert_eq!(*budget.used.lock().unwrap(), 0);
    }

    #[test]
    fn ignore_rules_remove_text_and_tidy() {
        let rules = vec![
            Regex::new(r"(?m)^آخر تحديث:.*$").unwrap(),
            Regex::new(r"\d+ مشاهدة").unwrap(),
        ];
        let text = "العنوان\n\nآخر تحديث: 10:32\n\nقال الوزير إن 12 شخصاً أصيبوا. 4500 مشاهدة\n";
        assert_eq!(
            strip_ignored(text, &rules),
            "العنوان\n\nقال الوزير إن 12 شخصاً أصيبوا.\n"
        );
        assert_eq!(strip_ignored("x\n", &rules), "x\n");
    }
}
