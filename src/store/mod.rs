//! The version store: one SQLite file holding articles, their versions, every
//! observation of them, and the content-addressed blobs behind the versions.
//!
//! Writes happen in batches (`Store::batch`): one `BEGIN IMMEDIATE` transaction
//! per chunk of inputs, one savepoint per input, so a failed input leaves
//! nothing behind and a crash loses only the chunk that was not yet committed.
//!
//! Along the data's flow: `open` (refusing foreign files, migrating), `lock`
//! (taking the write lock fairly), `batch` (recording scrapes), `read`
//! (histories, versions, blobs), `cache` (analyses and comparisons kept),
//! and the derived tables beside them (`derive`, `search`, `furniture`,
//! `sources`, `outbox`, `verify`).

mod batch;
pub mod blob;
pub mod browse;
mod cache;
mod derive;
pub mod furniture;
mod lock;
mod open;
pub mod outbox;
mod read;
mod schema;
pub mod search;
pub mod sources;
mod verify;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

pub use batch::Batch;
use blob::Codec;
pub use blob::{Hash, hex};
pub use derive::{Derived, Reader, derive};
use lock::{Patience, is_busy};
use read::{decode_blob, hex_of, read_blob, to_hash};
pub use schema::APPLICATION_ID;

/// Longest delta chain before a blob is stored whole again; bounds the work of
/// reading one old version.
const MAX_DELTA_DEPTH: i64 = 32;

/// How long a reader waits on a lock, and how long a writer waits for the
/// write lock while no other writer commits anything (a stuck process).
/// While others keep committing, a writer waits as long as it takes.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// How long, in all, a best-effort cache write (`put_analysis`) tries for the
/// write lock.
const CACHE_WRITE_PATIENCE: Duration = Duration::from_secs(2);
/// How many compared pairs of texts the comparison cache keeps (entries run
/// from about 1 KB for two short articles to 50 KB for 40,000 words).
pub const COMPARISONS_KEPT: i64 = 10_000;

/// Longest sleep between two tries for the write lock. Short: SQLite's own
/// busy handler sleeps up to 100 ms, while a writer that just committed takes
/// the lock again within microseconds, so a polling writer could starve.
const MAX_POLL: Duration = Duration::from_millis(4);

/// Compiled statements kept per connection.
const STATEMENT_CACHE: usize = 128;

/// Errors of the store. Their messages name the database or the item.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file is not a track database (another program's, or not SQLite).
    #[error("{path}: not a track database ({reason}); it was left untouched")]
    Foreign { path: PathBuf, reason: String },
    /// The database was written by a newer track.
    #[error(
        "{path}: written by a newer track (schema {found}, this build knows up to {known}); it was left untouched"
    )]
    Newer {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    /// A reading command was pointed at a database that does not exist.
    #[error("{path}: no database here (create one with `track add`)")]
    Missing { path: PathBuf },
    /// The database file could not be opened or read.
    #[error("{path}: {reason}")]
    Open { path: PathBuf, reason: String },
    /// No article has that key.
    #[error("no article with key {0:?}")]
    UnknownArticle(String),
    /// The article has no such version.
    #[error("{key} has no version {requested} (it has {count}{hint})", hint = version_hint(*.requested))]
    UnknownVersion {
        key: String,
        requested: i64,
        count: i64,
    },
    /// A blob is missing or does not decode.
    #[error("blob {hash}: {reason}")]
    Blob { hash: String, reason: String },
    /// The file is damaged: SQLite cannot read it as a database.
    #[error("{path}: damaged, SQLite cannot read it ({reason}); see `track verify`")]
    Damaged { path: PathBuf, reason: String },
    /// Other writers kept the store locked and none of them made progress.
    #[error(
        "{path}: locked by another process that has not written anything for {waited} s (a stuck `track`, or another program holding the database open)"
    )]
    Locked { path: PathBuf, waited: u64 },
    /// `KEY@-N` further back than the article's history goes.
    #[error(
        "{key}@-{back}: its text has changed {changes} time(s) so far, so there is no state {back} back (KEY@-1 is the text that was current before the current one)"
    )]
    NoEarlierState {
        key: String,
        back: u64,
        changes: u64,
    },
    /// A scrape observed before the article's latest observation.
    #[error(
        "observed at {at}, before the article's latest observation at {latest}; history is kept in time order"
    )]
    OutOfOrder { at: String, latest: String },
    /// Any other SQLite failure.
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// A key or URL with a control character: refused, nothing stored.
    #[error("{0}")]
    ControlInKey(#[from] crate::text::visible::ControlInKey),
}

type Result<T, E = StoreError> = std::result::Result<T, E>;

fn version_hint(requested: i64) -> &'static str {
    if requested == 0 {
        "; versions are numbered from 1, and KEY@-1 is the text that was current before the current one"
    } else {
        ""
    }
}

impl StoreError {
    /// A failure of the store itself (damaged, read-only, locked, unusable),
    /// as opposed to one of the item being stored: it concerns every input.
    pub fn is_store_failure(&self) -> bool {
        matches!(
            self,
            StoreError::Sql(_)
                | StoreError::Damaged { .. }
                | StoreError::Locked { .. }
                | StoreError::Open { .. }
        )
    }
}

/// Whether `Store::open` may create a new database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the file (and its folder) on first use.
    Create,
    /// Refuse when there is no database yet (reading commands).
    Existing,
}

/// An open store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// When this store last committed a write transaction, and how long it had
    /// held the write lock: the next one waits a little, so that other writers
    /// get their turn (see `Store::begin_write`).
    last_write: std::cell::Cell<Option<(std::time::Instant, Duration)>>,
    /// How long a cache write (`put_analysis`) tries for the write lock.
    cache_patience: Duration,
    /// Texts read by [`Store::version`], by hash (blobs never change): the
    /// two sides of a diff are often a delta and its base.
    texts_read: std::cell::RefCell<HashMap<Hash, Vec<u8>>>,
    /// This connection wrote something besides cached analyses.
    wrote_data: std::cell::Cell<bool>,
}

/// What [`Store::version`] keeps of the texts it read, at most.
const TEXTS_READ_BYTES: usize = 32 << 20;

/// One scrape to record, already decoded, extracted and normalised.
#[derive(Debug, Clone)]
pub struct Scrape<'a> {
    pub key: &'a str,
    pub url: Option<&'a str>,
    pub observed_at: DateTime<Utc>,
    /// `observed_at` was given by the user (`--at`, a file's modification
    /// time): refused when it is before the article's latest observation.
    /// Otherwise track took it just now, and if another writer recorded a
    /// later time first (or the clock stepped back) it is recorded at that
    /// time, after it.
    pub time_given: bool,
    /// The bytes as scraped (kept so extraction can be re-run later).
    pub raw: &'a [u8],
    /// The extracted text, as decoded.
    pub text: &'a str,
    /// `text::normalize::identity_hash(text)`.
    pub identity: Hash,
    pub media_type: &'a str,
    pub encoding: &'a str,
    pub title: Option<&'a str>,
    pub byline: Option<&'a str>,
    pub published: Option<&'a str>,
    pub modified: Option<&'a str>,
    pub dir: Option<&'a str>,
    pub lang: Option<&'a str>,
    /// Where it came from: a path, `-` or a URL.
    pub source: Option<&'a str>,
    /// The host of the URL the operator gave (never one the page names):
    /// furniture is learned and left out per host (see `crate::furniture`).
    /// `None`: no learning, identity of the whole text.
    pub host: Option<&'a str>,
    /// Hashes, sentences and compressed blobs derived from `text` and `raw`
    /// off the write lock ([`derive`]); what is missing is computed when
    /// recording.
    pub derived: Option<&'a Derived>,
}

/// What recording a scrape did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Recorded {
    /// A new article, stored as its version 1.
    NewArticle { version: i64 },
    /// A new version of a known article.
    NewVersion { version: i64 },
    /// Same meaningful text as the current version: an observation only.
    Unchanged { version: i64 },
    /// Same text as an earlier, non-current version: a revert to it.
    Reverted { version: i64 },
}

/// A row of `track list`.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleSummary {
    pub key: String,
    pub url: Option<String>,
    pub versions: i64,
    /// The version of the latest observation: the article's current text
    /// (after a revert, an older version than the last one).
    pub current: i64,
    pub first_seen: String,
    pub last_changed: String,
    pub last_checked: String,
}

/// A version as `track log` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct VersionInfo {
    pub version: i64,
    /// BLAKE3 of the version's text, hex.
    pub hash: String,
    pub fetched_at: String,
    /// Bytes of the extracted text.
    pub bytes: i64,
    /// Bytes of the scrape as received.
    pub raw_bytes: i64,
    pub media_type: String,
    pub encoding: String,
    pub title: Option<String>,
    pub dir: Option<String>,
    pub lang: Option<String>,
    /// Times the article was seen again with this text while it was current.
    pub unchanged_observations: i64,
    /// Times the article went back to this text after another version.
    pub reverts: Vec<String>,
    /// Whether this is the article's current text (its latest observation's).
    pub current: bool,
    /// The version that was current when this one first appeared (`null` for
    /// version 1): what it replaced.
    pub previous: Option<i64>,
}

/// A state of an article's history: a run of observations that saw one
/// version, in time order (observed time, then the order of recording).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct State {
    pub version: i64,
    /// When the run began.
    pub since: String,
    /// The run went back to a version of an earlier state.
    pub revert: bool,
}

/// The change that brought one text: from the state before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The version current before (`None`: the text is the article's first).
    pub from: Option<i64>,
    pub to: i64,
    /// The change went back to an earlier version.
    pub revert: bool,
}

/// A change in an article's history: a new version, or a revert to one.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEvent {
    pub at: String,
    pub version: i64,
    /// `new` or `revert`.
    pub kind: String,
}

/// One version with its text, for `show` and `diff`.
#[derive(Debug, Clone, Serialize)]
pub struct VersionText {
    pub key: String,
    pub url: Option<String>,
    pub version: i64,
    /// How many versions the article has.
    pub versions: i64,
    /// Whether this is the article's current text (its latest observation's).
    pub current: bool,
    pub hash: String,
    pub fetched_at: String,
    pub media_type: String,
    pub encoding: String,
    pub title: Option<String>,
    pub byline: Option<String>,
    pub published: Option<String>,
    /// When the page said the article was last updated (ISO 8601).
    pub modified: Option<String>,
    pub dir: Option<String>,
    pub lang: Option<String>,
    pub text: String,
    #[serde(skip)]
    pub text_hash: Hash,
    #[serde(skip)]
    pub raw_hash: Hash,
}

/// Which version of an article: `KEY`, `KEY@N`, `KEY@-N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRef {
    pub key: String,
    /// `None` = the current text (the latest observation's version: after a
    /// revert, an older one); positive = that version number; negative =
    /// states counted back from the current one (`-1` is the text that was
    /// current before it).
    pub version: Option<i64>,
}

impl VersionRef {
    /// Parse `KEY`, `KEY@N` or `KEY@-N`. A key may itself contain `@` (URLs);
    /// only a trailing `@` followed by an integer is a version.
    pub fn parse(s: &str) -> VersionRef {
        if let Some((key, n)) = s.rsplit_once('@')
            && !key.is_empty()
            && let Ok(n) = n.parse::<i64>()
            && n != 0
        {
            return VersionRef {
                key: key.to_string(),
                version: Some(n),
            };
        }
        VersionRef {
            key: s.to_string(),
            version: None,
        }
    }
}

/// What `verify` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    pub blobs: u64,
    pub bytes: u64,
    pub problems: Vec<String>,
}

/// Statistics of the store, for `demo` and the benchmarks.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StoreStats {
    pub articles: i64,
    pub versions: i64,
    pub observations: i64,
    pub blobs: i64,
    pub blob_bytes: i64,
    pub stored_bytes: i64,
}

/// The order of an article's history (observations aliased `o`): observed
/// time, then the order of recording. An article's *current* text is the
/// version of the last observation in this order; every reader that resolves
/// a bare `KEY` goes by it. (Times are stored in one format, RFC 3339 UTC to
/// the second, so they sort as text.)
const HISTORY_ORDER: &str = "o.observed_at, o.id";
/// The same order, latest first.
const LATEST_FIRST: &str = "o.observed_at DESC, o.id DESC";

/// Format a time the way the store keeps it (RFC 3339, UTC, seconds).
pub fn format_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Store {
    /// How long a best-effort cache write waits for the write lock (2 s by
    /// default). `Duration::ZERO`: one try, so a reader that must never wait
    /// on a writer (`track serve`'s pages) skips the cache while one writes.
    pub fn set_cache_write_patience(&mut self, patience: Duration) {
        self.cache_patience = patience;
    }

    /// Read the first `bytes` of the file through a memory map: a long-lived
    /// reader (`track serve`) then reaches a page without a system call, which
    /// halves a search that ranks thousands of matches. SQLite remaps when
    /// the file changes size, so writers in other processes are unaffected.
    pub fn map_for_reading(&mut self, bytes: u64) -> Result<()> {
        self.conn
            .query_row(&format!("PRAGMA mmap_size = {bytes}"), [], |_| Ok(()))
            .optional()?;
        Ok(())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A read-only connection to this store, for a worker thread.
    pub fn reader(&self) -> Result<Reader> {
        Reader::open(&self.path)
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::text::normalize;

    fn scrape<'a>(key: &'a str, text: &'a str, identity: Hash) -> Scrape<'a> {
        Scrape {
            key,
            url: None,
            observed_at: Utc::now(),
            time_given: false,
            raw: text.as_bytes(),
            text,
            identity,
            media_type: "text/plain",
            encoding: "UTF-8",
            title: None,
            byline: None,
            published: None,
            modified: None,
            dir: None,
            lang: None,
            source: None,
            host: None,
            derived: None,
        }
    }

    #[test]
    fn comparison_cache_keeps_the_newest_pairs() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db"), OpenMode::Create).unwrap();
        let hash = |n: u8| -> Hash { [n; 32] };
        let put = |n: u8, data: &[u8]| {
            store
                .put_comparison_keeping(&hash(n), &hash(n + 100), "versions", &hash(0), data, 3)
                .unwrap()
        };
        let get = |n: u8| {
            store
                .comparison(&hash(n), &hash(n + 100), "versions", &hash(0))
                .unwrap()
        };
        for n in 1..=5 {
            put(n, &[n]);
        }
        assert_eq!(
            (1..=5).map(get).collect::<Vec<_>>(),
            [None, None, Some(vec![3]), Some(vec![4]), Some(vec![5])]
        );
        // Replacing a kept entry adds no pair and drops none.
        put(3, b"again");
        assert_eq!(get(3), Some(b"again".to_vec()));
        assert_eq!(get(4), Some(vec![4]));
        // A new pair pushes the oldest out.
        put(6, &[6]);
        assert_eq!((1..=6).map(get).filter(Option::is_some).count(), 3);
        assert_eq!(get(3), None);
    }

    #[test]
    fn refs_parse() {
        assert_eq!(
            VersionRef::parse("a"),
            VersionRef {
                key: "a".into(),
                version: None
            }
        );
        assert_eq!(
            VersionRef::parse("a@2"),
            VersionRef {
                key: "a".into(),
                version: Some(2)
            }
        );
        assert_eq!(
            VersionRef::parse("a@-1"),
            VersionRef {
                key: "a".into(),
                version: Some(-1)
            }
        );
        assert_eq!(VersionRef::parse("mailto:x@y.org").version, None);
        assert_eq!(VersionRef::parse("@3").version, None);
    }

    #[test]
    fn versions_reverts_and_delta_chain() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db"), OpenMode::Create).unwrap();
        let texts: Vec<String> = (0..40)
            .map(|i| format!("{} سطر رقم {i}.\n", "نص الخبر الأساسي ".repeat(50)))
            .collect();
        let mut batch = store.batch().unwrap();
        for (i, t) in texts.iter().enumerate() {
            let r = batch
                .record(&scrape("k", t, normalize::identity_hash(t)))
                .unwrap();
            let expected = if i == 0 {
                Recorded::NewArticle { version: 1 }
            } else {
                Recorded::NewVersion {
                    version: i as i64 + 1,
                }
            };
            assert_eq!(r, expected);
        }
        let r = batch
            .record(&scrape("k", &texts[3], normalize::identity_hash(&texts[3])))
            .unwrap();
        assert_eq!(r, Recorded::Reverted { version: 4 });
        let r = batch
            .record(&scrape("k", &texts[3], normalize::identity_hash(&texts[3])))
            .unwrap();
        assert_eq!(r, Recorded::Unchanged { version: 4 });
        batch.commit().unwrap();
        // Past the depth cap a whole blob restarts the chain; every version reads back.
        for (i, t) in texts.iter().enumerate() {
            let v = store
                .version(&VersionRef {
                    key: "k".into(),
                    version: Some(i as i64 + 1),
                })
                .unwrap();
            assert_eq!(&v.text, t);
        }
        let report = store.verify().unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert_eq!(report.blobs, 40);
        let log = store.log("k").unwrap();
        assert_eq!(log[3].reverts.len(), 1);
        assert_eq!(log[3].unchanged_observations, 1);
    }

    fn at<'a>(key: &'a str, text: &'a str, time: &str) -> Scrape<'a> {
        Scrape {
            observed_at: DateTime::parse_from_rfc3339(time).unwrap().into(),
            time_given: true,
            ..scrape(key, text, normalize::identity_hash(text))
        }
    }

    #[test]
    fn current_is_the_latest_observation_and_history_is_in_time_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db"), OpenMode::Create).unwrap();
        let mut batch = store.batch().unwrap();
        for (text, time) in [
            ("one.", "2025-01-01T00:00:00Z"),
            ("two.", "2025-01-02T00:00:00Z"),
            ("one.", "2025-01-03T00:00:00Z"),
            ("one.", "2025-01-04T00:00:00Z"),
        ] {
            batch.record(&at("k", text, time)).unwrap();
        }
        // Given a time earlier than the latest observation: refused, nothing
        // recorded.
        assert!(matches!(
            batch.record(&at("k", "three.", "2025-01-02T12:00:00Z")),
            Err(StoreError::OutOfOrder { .. })
        ));
        // Taken by track (a concurrent writer recorded a later time first):
        // recorded at the latest time, after it.
        let late = Scrape {
            time_given: false,
            ..at("other", "x.", "2025-01-05T00:00:00Z")
        };
        batch.record(&late).unwrap();
        let raced = Scrape {
            time_given: false,
            ..at("other", "y.", "2025-01-04T00:00:00Z")
        };
        assert_eq!(
            batch.record(&raced).unwrap(),
            Recorded::NewVersion { version: 2 }
        );
        batch.commit().unwrap();
        let other = store.states("other").unwrap();
        assert_eq!(other.last().unwrap().since, "2025-01-05T00:00:00Z");
        assert_eq!(other.last().unwrap().version, 2);
        let states = store.states("k").unwrap();
        let seq: Vec<(i64, bool)> = states.iter().map(|s| (s.version, s.revert)).collect();
        assert_eq!(seq, vec![(1, false), (2, false), (1, true)]);
        assert_eq!(store.stats().unwrap().versions, 4);
        let r = |v: Option<i64>| VersionRef {
            key: "k".into(),
            version: v,
        };
        assert_eq!(store.version(&r(None)).unwrap().version, 1);
        assert!(store.version(&r(None)).unwrap().current);
        assert_eq!(store.version(&r(Some(-1))).unwrap().version, 2);
        assert!(!store.version(&r(Some(-1))).unwrap().current);
        assert_eq!(store.version(&r(Some(-2))).unwrap().version, 1);
        assert!(matches!(
            store.version(&r(Some(-3))),
            Err(StoreError::NoEarlierState {
                back: 3,
                changes: 2,
                ..
            })
        ));
        let step = store.step(&r(None)).unwrap();
        assert_eq!((step.from, step.to, step.revert), (Some(2), 1, true));
        let step = store.step(&r(Some(2))).unwrap();
        assert_eq!((step.from, step.to, step.revert), (Some(1), 2, false));
        assert_eq!(store.step(&r(Some(1))).unwrap().from, None);
        assert_eq!(store.list().unwrap()[0].current, 1);
        let log = store.log("k").unwrap();
        assert!(log[0].current && !log[1].current);
        assert_eq!((log[0].previous, log[1].previous), (None, Some(1)));

        // A store written out of time order (by an older track): time decides.
        store
            .conn
            .execute(
                "UPDATE observations SET observed_at = '2024-01-01T00:00:00Z' WHERE id IN (3, 4)",
                [],
            )
            .unwrap();
        assert_eq!(store.version(&r(None)).unwrap().version, 2);
        assert_eq!(store.list().unwrap()[0].current, 2);
    }

    #[test]
    fn readers_read_and_a_cache_write_gives_up_while_another_process_holds_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut store = Store::open(&path, OpenMode::Create).unwrap();
        let mut batch = store.batch().unwrap();
        batch
            .record(&scrape("k", "text", normalize::identity_hash("text")))
            .unwrap();
        batch.commit().unwrap();
        let other = Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        // WAL: reading is never blocked by a writer.
        assert_eq!(store.list().unwrap().len(), 1);
        assert!(store.verify().unwrap().problems.is_empty());
        // The cache is best effort: it gives up (in CACHE_WRITE_PATIENCE).
        let hash = blob::hash(b"text");
        assert!(matches!(
            store.put_analysis(&hash, "units", 1, b"[]"),
            Err(StoreError::Locked { .. })
        ));
        other.execute_batch("COMMIT").unwrap();
        store.put_analysis(&hash, "units", 1, b"[]").unwrap();
        assert!(store.analysis(&hash, "units", 1).unwrap().is_some());
    }

    /// Rows that recording writes, comparable across stores.
    fn contents(store: &Store) -> Vec<String> {
        let mut out = Vec::new();
        for sql in [
            "SELECT hex(hash), size, codec, hex(base), depth, hex(data) FROM blobs ORDER BY id",
            "SELECT article_id, number, hex(text_hash), hex(raw_hash), hex(identity) FROM versions ORDER BY id",
            "SELECT article_id, hex(hash), text, first_version, last_version, present
             FROM search_sentences ORDER BY id",
        ] {
            let mut stmt = store.conn.prepare(sql).unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    Ok((0..n)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .unwrap();
            out.extend(rows.map(Result::unwrap));
        }
        out
    }

    #[test]
    fn what_workers_derive_changes_nothing_that_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let mut plain = Store::open(&dir.path().join("plain.db"), OpenMode::Create).unwrap();
        let mut fed = Store::open(&dir.path().join("fed.db"), OpenMode::Create).unwrap();
        let mut reader = fed.reader().unwrap();
        let v1 = "أعلنت الوزارة أن 12 شخصاً أصيبوا.\n\nوقال المتحدث إن التحقيق مستمر.\n";
        let v2 = "أعلنت الوزارة أن 15 شخصاً أصيبوا.\n\nوقال المتحدث إن التحقيق مستمر.\n";
        let v3 = "أعلنت الوزارة أن 15 شخصاً أصيبوا.\n\nوأضاف أن الطريق أغلق.\n";
        let page = |t: &str| format!("<html><body><p>{t}</p></body></html>").into_bytes();
        // Batches of scrapes: (key, text, raw); a revert, a page whose bytes
        // are not its text, and versions of one article in one batch (what
        // the worker's snapshot cannot have seen yet).
        let batches: Vec<Vec<(&str, &str, Vec<u8>)>> = vec![
            vec![("a", v1, v1.into()), ("b", v1, page(v1))],
            vec![("a", v2, v2.into()), ("b", v2, page(v2))],
            vec![
                ("a", v3, v3.into()),
                ("a", v1, v1.into()),
                ("b", v3, page(v3)),
            ],
            vec![
                ("a", v2, v2.into()),
                ("b", v3, page(v3)),
                ("c", v3, v3.into()),
            ],
        ];
        let mut deltas_ahead = 0;
        for batch in batches {
            let derived: Vec<Derived> = batch
                .iter()
                .map(|(key, text, raw)| {
                    let identity = normalize::identity_hash(text);
                    derive(Some(&mut reader), key, text, raw, &identity, true)
                })
                .collect();
            deltas_ahead += derived
                .iter()
                .filter(|d| d.text_frame.as_ref().is_some_and(|f| f.base.is_some()))
                .count();
            for (store, with) in [(&mut plain, false), (&mut fed, true)] {
                let mut b = store.batch().unwrap();
                for ((key, text, raw), d) in batch.iter().zip(&derived) {
                    let mut s = scrape(key, text, normalize::identity_hash(text));
                    s.raw = raw;
                    s.derived = with.then_some(d);
                    b.record(&s).unwrap();
                }
                b.commit().unwrap();
            }
        }
        assert_eq!(contents(&plain), contents(&fed));
        assert!(contents(&fed).len() > 10);
        assert!(deltas_ahead >= 4, "{deltas_ahead} deltas compressed ahead");
    }

    #[test]
    fn dropped_batch_rolls_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db"), OpenMode::Create).unwrap();
        {
            let mut batch = store.batch().unwrap();
            batch
                .record(&scrape("k", "text", normalize::identity_hash("text")))
                .unwrap();
        }
        assert_eq!(store.stats().unwrap().versions, 0);
    }

    #[test]
    fn foreign_and_newer_databases_are_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let foreign = dir.path().join("other.db");
        Connection::open(&foreign)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let before = fs::read(&foreign).unwrap();
        assert!(matches!(
            Store::open(&foreign, OpenMode::Create),
            Err(StoreError::Foreign { .. })
        ));
        assert_eq!(fs::read(&foreign).unwrap(), before);

        let newer = dir.path().join("newer.db");
        drop(Store::open(&newer, OpenMode::Create).unwrap());
        Connection::open(&newer)
            .unwrap()
            .execute_batch("PRAGMA user_version = 99")
            .unwrap();
        assert!(matches!(
            Store::open(&newer, OpenMode::Create),
            Err(StoreError::Newer { found: 99, .. })
        ));

        let text = dir.path().join("notes.txt");
        fs::write(&text, "just some notes, not a database at all").unwrap();
        assert!(matches!(
            Store::open(&text, OpenMode::Create),
            Err(StoreError::Foreign { .. })
        ));
        assert_eq!(
            fs::read_to_string(&text).unwrap(),
            "just some notes, not a database at all"
        );

        assert!(matches!(
            Store::open(&dir.path().join("none.db"), OpenMode::Existing),
            Err(StoreError::Missing { .. })
        ));
    }

    #[test]
    fn a_store_from_before_the_modified_column_is_migrated_and_keeps_its_versions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let mut store = Store::open(&path, OpenMode::Create).unwrap();
            let mut batch = store.batch().unwrap();
            let text = "An article from before.\n";
            let mut s = scrape("k", text, normalize::identity_hash(text));
            s.title = Some("A title");
            s.published = Some("2025-12-25");
            batch.record(&s).unwrap();
            batch.commit().unwrap();
        }
        // The store as the build before migration 6 left it (the later
        // migrations undone too).
        Connection::open(&path)
            .unwrap()
            .execute_batch(&format!(
                "{}; {}; DROP TABLE furniture_pages; DROP TABLE furniture;
                 ALTER TABLE versions DROP COLUMN modified; PRAGMA user_version = 5;",
                search::UNDO_MIGRATION_9,
                outbox::UNDO_MIGRATION_8
            ))
            .unwrap();
        let store = Store::open(&path, OpenMode::Existing).unwrap();
        let v = store.version(&VersionRef::parse("k")).unwrap();
        assert_eq!(v.title.as_deref(), Some("A title"));
        assert_eq!(v.published.as_deref(), Some("2025-12-25"));
        assert_eq!(v.modified, None);
        assert!(store.verify().unwrap().problems.is_empty());
    }

    /// The times search ranks by, as recording keeps them and as migration
    /// 10 fills them in for an older store.
    #[test]
    fn search_ranks_by_when_each_sentence_was_last_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        {
            let mut store = Store::open(&path, OpenMode::Create).unwrap();
            let versions = [
                (
                    "a",
                    "Troops moved north.\n\nThe mayor spoke.\n",
                    "2025-01-01T00:00:00Z",
                ),
                ("b", "Troops moved east.\n", "2025-01-02T00:00:00Z"),
                ("a", "The mayor spoke.\n", "2025-01-03T00:00:00Z"),
                ("c", "Troops moved south.\n", "2025-01-04T00:00:00Z"),
                ("a", "The mayor spoke again.\n", "2025-01-05T00:00:00Z"),
            ];
            for (key, text, time) in versions {
                let mut batch = store.batch().unwrap();
                let mut s = scrape(key, text, normalize::identity_hash(text));
                s.observed_at = at(time);
                s.time_given = true;
                batch.record(&s).unwrap();
                batch.commit().unwrap();
            }
        }
        let ranked = |store: &Store| -> Vec<(String, String, String)> {
            let query = crate::text::search::Query::parse("troops").unwrap();
            let filter = search::SearchFilter {
                query: &query,
                key: None,
                articles: None,
                since: None,
                until: None,
                removed: false,
                limit: 10,
            };
            store
                .search(&filter)
                .unwrap()
                .into_iter()
                .map(|h| (h.key, h.sentence, h.last_seen.fetched_at))
                .collect()
        };
        let times = |store: &Store| -> Vec<String> {
            let mut stmt = store
                .conn
                .prepare(
                    "SELECT s.id, s.last_version, d.last_at
                     FROM search_sentences s LEFT JOIN search_departed d ON d.id = s.id
                     UNION ALL SELECT article_id, indexed, indexed_at FROM search_articles",
                )
                .unwrap();
            stmt.query_map([], |r| {
                Ok(format!(
                    "{}|{:?}|{:?}",
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, Option<String>>(2)?
                ))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
        };
        let store = Store::open(&path, OpenMode::Existing).unwrap();
        let got = ranked(&store);
        let keys: Vec<&str> = got.iter().map(|(k, _, _)| k.as_str()).collect();
        // c is current (seen 4 January), b current (2 January), a's sentence
        // was last in its version 1 (1 January).
        assert_eq!(keys, ["c", "b", "a"], "{got:?}");
        assert!(got[2].2.starts_with("2025-01-01"), "{got:?}");
        let kept = times(&store);
        assert!(kept.iter().any(|r| r.contains("2025-01-01")), "{kept:?}");
        drop(store);
        // As the build before migration 10 left it.
        Connection::open(&path)
            .unwrap()
            .execute_batch(
                "DROP TABLE search_departed;
                 ALTER TABLE search_sentences DROP COLUMN last_at;
                 ALTER TABLE search_articles DROP COLUMN indexed_at;
                 PRAGMA user_version = 9;",
            )
            .unwrap();
        let store = Store::open(&path, OpenMode::Existing).unwrap();
        assert_eq!(times(&store), kept);
        assert_eq!(ranked(&store), got);
        // Migration 12 moved the times out of the sentences' rows.
        let in_rows: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM search_sentences WHERE last_at IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(in_rows, 0);
        assert!(store.verify().unwrap().problems.is_empty());
    }
}
