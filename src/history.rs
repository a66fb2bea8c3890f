//! An article's history as `track log --format json` and `track serve`'s
//! timeline show it: every version with its sentence counts against the
//! version it replaced, and every change (new version or revert) with what
//! it did to the headline and the claims.

use serde::{Deserialize, Serialize};

use crate::analysis;
use crate::claims::compare::Status;
use crate::compare::{self, CompareOptions, Pair};
use crate::report::{DiffReport, Mode, describe_change_with, slot_text};
use std::collections::HashMap;

use crate::store::{Hash, HistoryEvent, Store, StoreError, VersionInfo, VersionRef, VersionText};
use crate::text::segment::Unit;

/// A version in `log`, with sentence counts against the version it replaced
/// (the one current when it first appeared).
#[derive(Debug, Clone, Serialize)]
pub struct LogEntry {
    #[serde(flatten)]
    pub info: VersionInfo,
    /// The byline, publication and update times the page gave (JSON-LD, meta
    /// tags, markup), when it gave them.
    pub byline: Option<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub sentences: usize,
    pub sentences_added: usize,
    pub sentences_removed: usize,
    /// Edited, split or merged.
    pub sentences_edited: usize,
    pub sentences_moved: usize,
}

/// Every version of an article, oldest first, with its sentence counts (the
/// article text: furniture learned on its host left out).
pub fn log_entries(store: &Store, key: &str) -> Result<Vec<LogEntry>, StoreError> {
    let versions = store.log(key)?;
    let furniture = store.furniture_of_key(key)?;
    let mut entries = Vec::with_capacity(versions.len());
    let mut loaded: Vec<(VersionText, Vec<Unit>)> = Vec::with_capacity(versions.len());
    for info in versions {
        let version = store.version(&VersionRef {
            key: key.to_string(),
            version: Some(info.version),
        })?;
        let (version, _) = crate::furniture::article_text(&version, &furniture);
        let units = analysis::units(store, &version);
        let previous = info
            .previous
            .and_then(|p| loaded.iter().find(|(v, _)| v.version == p));
        let mut entry = LogEntry {
            info,
            byline: version.byline.clone(),
            published: version.published.clone(),
            modified: version.modified.clone(),
            sentences: 0,
            sentences_added: 0,
            sentences_removed: 0,
            sentences_edited: 0,
            sentences_moved: 0,
        };
        match previous {
            None => {
                entry.sentences = units.len();
                entry.sentences_added = entry.sentences;
            }
            Some((prev, prev_units)) => {
                let diff = compare::align(
                    &prev.text,
                    prev_units.clone(),
                    &version.text,
                    units.clone(),
                    Mode::Versions,
                );
                let c = diff.counts();
                entry.sentences = diff.new_units.len();
                entry.sentences_added = c.added;
                entry.sentences_removed = c.removed;
                entry.sentences_edited = c.edited + c.split + c.merged;
                entry.sentences_moved = c.moved;
            }
        }
        entries.push(entry);
        loaded.push((version, units));
    }
    Ok(entries)
}

/// A claim change of one step, in words: `quantity update`, was, now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimNote {
    /// `changed | added | removed | reworded`.
    pub status: String,
    /// The claim's sentence on the side that has it (the new one if both).
    pub text: String,
    /// One entry per slot change: what changed, the old and the new value.
    pub changes: Vec<SlotNote>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlotNote {
    /// `quantity update`, `entity replaced`, …
    pub what: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A headline that changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    pub from: String,
    pub to: String,
}

/// What one change of the article's history did, against the text current
/// before it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepSummary {
    /// Sentences edited (split, merged), added, removed, moved.
    pub edited: usize,
    pub added: usize,
    pub removed: usize,
    pub moved: usize,
    /// The headline before and after, when it changed.
    pub headline: Option<Headline>,
    /// Claim rows that changed: `changed`, `added`, `removed` first, then
    /// `reworded`.
    pub claims: Vec<ClaimNote>,
}

impl StepSummary {
    /// Claim changes of substance (`changed`, `added`, `removed`; a
    /// rewording changes no value).
    pub fn claim_changes(&self) -> usize {
        self.claims
            .iter()
            .filter(|c| c.status != "reworded")
            .count()
    }

    /// The summary of a versions-mode report.
    pub fn of(report: &DiffReport) -> StepSummary {
        let c = &report.counts;
        let mut claims: Vec<ClaimNote> = report
            .claims
            .iter()
            .filter(|c| {
                matches!(
                    c.status,
                    Status::Changed | Status::Added | Status::Removed | Status::Reworded
                )
            })
            .map(|c| ClaimNote {
                status: serde_json::to_value(c.status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                text: c
                    .to
                    .as_ref()
                    .or(c.from.as_ref())
                    .map(|s| s.text.clone())
                    .unwrap_or_default(),
                changes: c
                    .changes
                    .iter()
                    .map(|ch| {
                        let parts = describe_change_with(ch, slot_text);
                        SlotNote {
                            what: parts.what,
                            from: parts.from,
                            to: parts.to,
                        }
                    })
                    .collect(),
            })
            .collect();
        claims.sort_by_key(|c| c.status == "reworded");
        StepSummary {
            edited: c.edited + c.split + c.merged,
            added: c.added,
            removed: c.removed,
            moved: c.moved,
            headline: report.title_change.as_ref().map(|t| Headline {
                from: t.from.clone(),
                to: t.to.clone(),
            }),
            claims,
        }
    }
}

/// One change of an article's history: a new version or a revert.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    #[serde(flatten)]
    pub event: HistoryEvent,
    /// The version current before (`None` for the first).
    pub previous: Option<i64>,
    /// What it changed (`None` for the first version).
    pub summary: Option<StepSummary>,
}

/// Bumped when [`StepSummary`] or what it is computed from changes: cached
/// summaries of another version are recomputed.
const STEP_VERSION: i64 = 2;

/// The analyser name step summaries are cached under, keyed by the pair of
/// texts (see [`pair_hash`]).
const STEP_ANALYSER: &str = "step";

/// The cache key of a step: the two stored texts, the furniture they are
/// read without, and the analysers' versions.
fn step_key(from: &Hash, to: &Hash, furniture: &[u8; 32]) -> Hash {
    let mut h = blake3::Hasher::new();
    h.update(b"step\0");
    h.update(from);
    h.update(to);
    h.update(furniture);
    h.update(&crate::claims::ANALYSER_VERSION.to_le_bytes());
    h.update(&crate::text::segment::SEGMENTER_VERSION.to_le_bytes());
    *h.finalize().as_bytes()
}

fn cached(store: &Store, key: &Hash) -> Option<StepSummary> {
    let bytes = store.analysis(key, STEP_ANALYSER, STEP_VERSION).ok()??;
    serde_json::from_slice(&bytes).ok()
}

/// The analyser name an article's count of claim changes is cached under,
/// keyed by all its steps' keys (a new version or revert is a new key).
const COUNT_ANALYSER: &str = "claim_changes";

/// An article's changes and the cache key of each step (`None`: the first
/// version, a version without a stored hash, or a step back to itself).
struct Keyed {
    events: Vec<HistoryEvent>,
    keys: Vec<Option<Hash>>,
    /// The key of the whole history's count.
    count_key: Hash,
}

fn keyed(store: &Store, key: &str) -> Result<Keyed, StoreError> {
    let events = store.history(key)?;
    let hashes = store.version_hashes(key)?;
    let fingerprint = store.furniture_of_key(key)?.fingerprint();
    let mut count = blake3::Hasher::new();
    count.update(b"claim_changes\0");
    let mut previous: Option<i64> = None;
    let keys = events
        .iter()
        .map(|event| {
            let k = match previous {
                Some(p) if p != event.version => {
                    match (hashes.get(&p), hashes.get(&event.version)) {
                        (Some(a), Some(b)) => Some(step_key(a, b, &fingerprint)),
                        _ => None,
                    }
                }
                _ => None,
            };
            count.update(k.as_ref().map_or(&[0u8; 32], |k| k));
            previous = Some(event.version);
            k
        })
        .collect();
    Ok(Keyed {
        events,
        keys,
        count_key: *count.finalize().as_bytes(),
    })
}

/// Every change of an article's history, oldest first, with what it did
/// (`cached_only`: only summaries already cached, the others `None`; no
/// text is read then).
pub fn steps(store: &Store, key: &str, cached_only: bool) -> Result<Vec<Step>, StoreError> {
    let Keyed {
        events,
        keys,
        count_key,
    } = keyed(store, key)?;
    let mut texts: HashMap<i64, VersionText> = HashMap::new();
    let mut load = |n: i64| -> Result<VersionText, StoreError> {
        if let Some(v) = texts.get(&n) {
            return Ok(v.clone());
        }
        let v = store.version(&VersionRef {
            key: key.to_string(),
            version: Some(n),
        })?;
        texts.insert(n, v.clone());
        Ok(v)
    };
    let mut steps = Vec::with_capacity(events.len());
    let mut previous: Option<i64> = None;
    let mut complete = true;
    for (event, cache_key) in events.into_iter().zip(keys) {
        let summary = match previous {
            Some(p) if p != event.version => {
                match cache_key.as_ref().and_then(|k| cached(store, k)) {
                    Some(summary) => Some(summary),
                    None if cached_only => {
                        complete = false;
                        None
                    }
                    None => {
                        let pair = Pair {
                            mode: Mode::Versions,
                            from: load(p)?,
                            to: load(event.version)?,
                            revert: event.kind == "revert",
                        };
                        let summary = StepSummary::of(&compare::compare(
                            store,
                            &pair,
                            &CompareOptions::default(),
                        ));
                        if let (Some(k), Ok(bytes)) = (cache_key, serde_json::to_vec(&summary)) {
                            let _ = store.put_analysis(&k, STEP_ANALYSER, STEP_VERSION, &bytes);
                        }
                        Some(summary)
                    }
                }
            }
            _ => None,
        };
        let version = event.version;
        steps.push(Step {
            event,
            previous,
            summary,
        });
        previous = Some(version);
    }
    if complete {
        let total: usize = steps
            .iter()
            .filter_map(|s| s.summary.as_ref())
            .map(StepSummary::claim_changes)
            .sum();
        let _ = store.put_analysis(
            &count_key,
            COUNT_ANALYSER,
            STEP_VERSION,
            total.to_string().as_bytes(),
        );
    }
    Ok(steps)
}

/// How many claim changes of substance an article's history holds (see
/// [`StepSummary::claim_changes`]), if it was counted since its last change
/// (no step is compared here).
pub fn cached_claim_changes(store: &Store, key: &str) -> Result<Option<usize>, StoreError> {
    let count_key = keyed(store, key)?.count_key;
    Ok(store
        .analysis(&count_key, COUNT_ANALYSER, STEP_VERSION)?
        .and_then(|bytes| std::str::from_utf8(&bytes).ok()?.parse().ok()))
}
