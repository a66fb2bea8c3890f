//! The store's side of a pass: each worker's result recorded in chunked
//! transactions (a version, a failed check, a deferred or truncated page),
//! the item's next check scheduled, and the events it makes.

use super::*;

/// The writer: records results in chunks until every worker is done.
pub(super) fn write_results(
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

/// Record one worker result and update the item's state (writer side).
pub(super) fn apply(
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

pub(super) fn push(checked: &mut Vec<Checked>, source: &str, item: &WatchItem, outcome: Outcome) {
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
