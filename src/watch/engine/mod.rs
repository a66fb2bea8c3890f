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
//!
//! The workers' side is in `work`, the store's in `record`; this file runs
//! the pass and holds what it reports.

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

mod record;
mod work;

use record::*;
pub use work::strip_ignored;
use work::*;

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
