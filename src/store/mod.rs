//! The version store: one SQLite file holding articles, their versions, every
//! observation of them, and the content-addressed blobs behind the versions.
//!
//! Writes happen in batches (`Store::batch`): one `BEGIN IMMEDIATE` transaction
//! per chunk of inputs, one savepoint per input, so a failed input leaves
//! nothing behind and a crash loses only the chunk that was not yet committed.

pub mod blob;
pub mod browse;
mod derive;
pub mod furniture;
pub mod outbox;
mod schema;
pub mod search;
pub mod sources;
mod verify;

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde::Serialize;

use blob::Codec;
pub use blob::{Hash, hex};
pub use derive::{Derived, Reader, derive};
pub use schema::APPLICATION_ID;

use crate::text::normalize;

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

/// How long `Store::begin_write` waits for the write lock.
#[derive(Debug, Clone, Copy)]
enum Patience {
    /// In all.
    Total(Duration),
    /// While no other writer commits anything.
    WithoutProgress(Duration),
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

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

/// What SQLite failing to read the file means: a damaged file, or another
/// failure to open it.
fn open_failure(path: &Path, e: &rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Damaged {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
        Some(ErrorCode::ReadOnly) => StoreError::Open {
            path: path.to_path_buf(),
            reason: READ_ONLY.into(),
        },
        _ => StoreError::Open {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
    }
}

const READ_ONLY: &str = "read-only (no permission to write the store, or its folder where SQLite keeps its -wal and -shm files)";

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

/// A reference resolved (see `Store::resolve`).
struct Resolved {
    article: i64,
    /// The version number.
    number: i64,
    /// How many versions the article has.
    count: i64,
    /// The current version.
    current: i64,
    /// The article's states, when they were needed (`KEY@-N`).
    states: Option<Vec<State>>,
    /// The referenced state, for `KEY@-N`.
    index: Option<usize>,
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

/// The states of an article: its observations in time order, runs of one
/// version collapsed.
fn states_of(conn: &Connection, article: i64) -> Result<Vec<State>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT v.number, o.observed_at FROM observations o JOIN versions v ON v.id = o.version_id
         WHERE o.article_id = ?1 ORDER BY {HISTORY_ORDER}"
    ))?;
    let mut rows = stmt.query([article])?;
    let mut states: Vec<State> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    while let Some(row) = rows.next()? {
        let version: i64 = row.get(0)?;
        if states.last().is_some_and(|s| s.version == version) {
            continue;
        }
        states.push(State {
            version,
            since: row.get(1)?,
            revert: !seen.insert(version),
        });
    }
    Ok(states)
}

/// Format a time the way the store keeps it (RFC 3339, UTC, seconds).
pub fn format_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Store {
    /// Open (or, with `OpenMode::Create`, create) the store at `path`.
    ///
    /// A file that is not SQLite, an SQLite database of another program, or a
    /// track database of a newer schema is refused before anything is written.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Store> {
        let open_err = |reason: String| StoreError::Open {
            path: path.to_path_buf(),
            reason,
        };
        let exists_with_content = match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => return Err(open_err("is a directory".into())),
            Ok(meta) => meta.len() > 0,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(open_err(e.to_string())),
        };
        if exists_with_content {
            let mut header = [0u8; 16];
            let read = fs::File::open(path)
                .and_then(|mut f| f.read(&mut header))
                .map_err(|e| open_err(e.to_string()))?;
            if read < 16 || &header != b"SQLite format 3\0" {
                return Err(StoreError::Foreign {
                    path: path.to_path_buf(),
                    reason: "not an SQLite file".into(),
                });
            }
        } else if mode == OpenMode::Existing {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        } else if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)
                .map_err(|e| open_err(format!("cannot create folder: {e}")))?;
        }

        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| open_err(e.to_string()))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Recording one scrape runs some 20 statements (more with furniture
        // and monitoring): all of them stay compiled.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        let store = Store {
            conn,
            path: path.to_path_buf(),
            last_write: std::cell::Cell::new(None),
            cache_patience: CACHE_WRITE_PATIENCE,
            texts_read: std::cell::RefCell::default(),
            wrote_data: std::cell::Cell::new(false),
        };
        // SQLite answers BUSY without waiting in a few cases (a journal-mode
        // change racing another process that is opening the same store):
        // retry the whole sequence, within the busy timeout.
        let started = std::time::Instant::now();
        loop {
            let attempt = store
                .check_identity()
                .and_then(|()| store.configure())
                .and_then(|()| store.migrate());
            match attempt {
                Err(StoreError::Sql(e)) if is_busy(&e) && started.elapsed() < BUSY_TIMEOUT => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(StoreError::Sql(e)) if !is_busy(&e) => return Err(open_failure(path, &e)),
                Err(e) => return Err(e),
                Ok(()) => break,
            }
        }
        store.catch_up_search()?;
        // SQLite opens a file it may not write read-only, silently: a writing
        // command would fail on its first input and blame that input.
        if mode == OpenMode::Create && store.conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(StoreError::Open {
                path: path.to_path_buf(),
                reason: READ_ONLY.into(),
            });
        }
        Ok(store)
    }

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

    /// This store opened again, read-only, for a worker thread that reads
    /// while this one writes (WAL readers never wait for the writer). Its
    /// writes fail.
    pub fn read_only(&self) -> Result<Store> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_failure(&self.path, &e))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(Store {
            conn,
            path: self.path.clone(),
            last_write: std::cell::Cell::new(None),
            cache_patience: self.cache_patience,
            texts_read: std::cell::RefCell::default(),
            wrote_data: std::cell::Cell::new(false),
        })
    }

    /// Every stored version, `(key, number)`, article by article in the
    /// order they were first stored.
    pub fn version_refs(&self) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT a.key, v.number FROM versions v JOIN articles a ON a.id = v.article_id
             ORDER BY a.id, v.number",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Whether an analysis of a text by this analyser version is cached.
    pub fn has_analysis(&self, text_hash: &Hash, analyser: &str, version: i64) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM analyses
                 WHERE text_hash = ?1 AND analyser = ?2 AND version = ?3)",
            )?
            .query_row(params![&text_hash[..], analyser, version], |r| r.get(0))?)
    }

    /// Refuse foreign and newer databases; reads only.
    fn check_identity(&self) -> Result<()> {
        // The file starts with SQLite's header (checked before opening): if
        // SQLite cannot read it all the same, it is damaged.
        let (app_id, version, objects) = self.identity_snapshot().map_err(|e| match e {
            other if is_busy(&other) => StoreError::Sql(other),
            other => open_failure(&self.path, &other),
        })?;
        if app_id == APPLICATION_ID {
            if version > schema::current_version() {
                return Err(StoreError::Newer {
                    path: self.path.clone(),
                    found: version,
                    known: schema::current_version(),
                });
            }
            return Ok(());
        }
        if app_id != 0 {
            return Err(StoreError::Foreign {
                path: self.path.clone(),
                reason: format!("SQLite application_id {app_id:#x}"),
            });
        }
        if objects > 0 || version != 0 {
            return Err(StoreError::Foreign {
                path: self.path.clone(),
                reason: "an SQLite database of another program".into(),
            });
        }
        Ok(())
    }

    /// `application_id`, `user_version` and the number of schema objects, read
    /// in one transaction: another process may be creating the store right now,
    /// and its migration must be seen whole or not at all.
    fn identity_snapshot(&self) -> rusqlite::Result<(i32, i64, i64)> {
        self.conn.execute_batch("BEGIN")?;
        let read = (|| {
            let (app_id, version) = self.identity_pragmas()?;
            let objects: i64 =
                self.conn
                    .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
            Ok((app_id, version, objects))
        })();
        let _ = self.conn.execute_batch("COMMIT");
        read
    }

    fn identity_pragmas(&self) -> rusqlite::Result<(i32, i64)> {
        let app_id: i32 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        Ok((app_id, version))
    }

    fn configure(&self) -> Result<()> {
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            self.conn
                .query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        }
        // FULL: a batch reported stored survives power loss too; chunked commits
        // keep the fsync count low.
        // temp_store: the journal of each input's savepoint stays in memory
        // instead of being written to a temporary file (nothing durable is
        // kept there).
        self.conn.execute_batch(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;",
        )?;
        // A connection that writes no data leaves the WAL to the next writer:
        // as the last one out, a reader would otherwise checkpoint what an
        // earlier process cached (three fsyncs, most of a cached `diff`'s
        // wall time). `begin_write` turns checkpointing back on for data.
        let _ = self
            .conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
        Ok(())
    }

    /// Apply pending migrations atomically. Re-checks inside the write lock so
    /// two processes creating one store at once don't both migrate.
    fn migrate(&self) -> Result<()> {
        let (_, version) = self.identity_pragmas()?;
        if version == schema::current_version() {
            return Ok(());
        }
        self.begin_write(Patience::WithoutProgress(BUSY_TIMEOUT))?;
        let applied = (|| -> Result<()> {
            let (app_id, version) = self.identity_pragmas()?;
            if app_id != 0 && app_id != APPLICATION_ID {
                return Err(StoreError::Foreign {
                    path: self.path.clone(),
                    reason: format!("SQLite application_id {app_id:#x}"),
                });
            }
            for sql in schema::MIGRATIONS
                .iter()
                .skip(usize::try_from(version).unwrap_or(0))
            {
                self.conn.execute_batch(sql)?;
            }
            self.conn.execute_batch(&format!(
                "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {};",
                schema::current_version()
            ))?;
            Ok(())
        })();
        match applied {
            Ok(()) => self.conn.execute_batch("COMMIT")?,
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                return Err(e);
            }
        }
        Ok(())
    }

    /// Take the write lock (`BEGIN IMMEDIATE`), fairly towards other writers.
    ///
    /// SQLite's busy handler is not fair: it sleeps longer and longer (up to
    /// 100 ms), while a writer that commits and starts its next transaction
    /// takes the lock again at once; under load a waiting writer could starve
    /// and fail with "database is locked". So this polls itself, every few
    /// milliseconds with jitter, sooner the longer it has waited, and a writer
    /// that just committed first pauses for a small share of the time it held
    /// the lock. A batch gives up only after `BUSY_TIMEOUT` with no other
    /// writer committing anything (`PRAGMA data_version` unchanged): a stuck
    /// process, not a busy store.
    fn begin_write(&self, patience: Patience) -> Result<()> {
        let one_try = matches!(patience, Patience::Total(d) if d.is_zero());
        // Data (not only cache) is checkpointed into the main file on close,
        // as SQLite does by default (see `put_analyses`).
        self.wrote_data.set(true);
        let _ = self
            .conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false);
        if let Some((at, held)) = self.last_write.get().filter(|_| !one_try) {
            let pause = (held / 50).clamp(Duration::from_millis(1), Duration::from_millis(20));
            if let Some(left) = pause.checked_sub(at.elapsed()) {
                std::thread::sleep(left);
            }
        }
        self.conn.busy_timeout(Duration::ZERO)?;
        let result = self.poll_for_write_lock(patience);
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        result
    }

    fn poll_for_write_lock(&self, patience: Patience) -> Result<()> {
        let started = std::time::Instant::now();
        let mut progress = started;
        let mut seen_version: Option<i64> = None;
        loop {
            match self.conn.execute_batch("BEGIN IMMEDIATE") {
                Err(e) if is_busy(&e) => {}
                other => {
                    other?;
                    self.last_write
                        .set(Some((std::time::Instant::now(), Duration::ZERO)));
                    return Ok(());
                }
            }
            // Another writer committed since the last try: the store is busy,
            // not stuck; keep waiting.
            if let Ok(v) = self
                .conn
                .query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0))
            {
                if seen_version.is_some_and(|seen| seen != v) {
                    progress = std::time::Instant::now();
                }
                seen_version = Some(v);
            }
            let (waited, limit) = match patience {
                Patience::Total(limit) => (started.elapsed(), limit),
                Patience::WithoutProgress(limit) => (progress.elapsed(), limit),
            };
            if waited >= limit {
                return Err(StoreError::Locked {
                    path: self.path.clone(),
                    waited: started.elapsed().as_secs(),
                });
            }
            // Waited longer → polls more often: the writer that has waited
            // longest is the likeliest to get the lock next.
            let waited = started.elapsed();
            let ceiling = if waited > Duration::from_secs(1) {
                MAX_POLL / 4
            } else if waited > Duration::from_millis(100) {
                MAX_POLL / 2
            } else {
                MAX_POLL
            };
            std::thread::sleep(jitter(ceiling));
        }
    }

    /// Commit the write transaction. A commit does not wait for other
    /// writers (this one holds the lock); WAL readers never block it.
    fn commit_write(&self) -> Result<()> {
        let result = self.conn.execute_batch("COMMIT");
        if let Some((at, _)) = self.last_write.get() {
            let now = std::time::Instant::now();
            self.last_write.set(Some((now, now.duration_since(at))));
        }
        Ok(result?)
    }

    /// Start a write batch (one transaction until `Batch::commit`).
    pub fn batch(&mut self) -> Result<Batch<'_>> {
        self.begin_write(Patience::WithoutProgress(BUSY_TIMEOUT))?;
        Ok(Batch {
            store: self,
            open: true,
            blob_cache: HashMap::new(),
            pending_fts: Vec::new(),
        })
    }

    /// All articles, by key.
    pub fn list(&self) -> Result<Vec<ArticleSummary>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT a.key, a.url,
                    (SELECT count(*) FROM versions v WHERE v.article_id = a.id),
                    (SELECT v.number FROM observations o JOIN versions v ON v.id = o.version_id
                      WHERE o.article_id = a.id ORDER BY {LATEST_FIRST} LIMIT 1),
                    (SELECT min(observed_at) FROM observations o WHERE o.article_id = a.id),
                    (SELECT max(observed_at) FROM observations o
                      WHERE o.article_id = a.id AND o.kind IN ('new', 'revert')),
                    (SELECT max(observed_at) FROM observations o WHERE o.article_id = a.id)
             FROM articles a ORDER BY a.key"
        ))?;
        let rows = stmt.query_map([], |r| {
            let versions: i64 = r.get(2)?;
            Ok(ArticleSummary {
                key: r.get(0)?,
                url: r.get(1)?,
                versions,
                current: r.get::<_, Option<i64>>(3)?.unwrap_or(versions),
                first_seen: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                last_changed: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                last_checked: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn article_id(&self, key: &str) -> Result<i64> {
        self.conn
            .query_row("SELECT id FROM articles WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| StoreError::UnknownArticle(key.to_string()))
    }

    /// Every version of one article, oldest first.
    pub fn log(&self, key: &str) -> Result<Vec<VersionInfo>> {
        let article = self.article_id(key)?;
        let mut stmt = self.conn.prepare(
            "SELECT v.id, v.number, v.text_hash, v.fetched_at, t.size, r.size, v.media_type,
                    v.encoding, v.title, v.dir, v.lang
             FROM versions v JOIN blobs t ON t.hash = v.text_hash JOIN blobs r ON r.hash = v.raw_hash
             WHERE v.article_id = ?1 ORDER BY v.number",
        )?;
        let mut versions = stmt
            .query_map([article], |r| {
                let hash: Vec<u8> = r.get(2)?;
                Ok((
                    r.get::<_, i64>(0)?,
                    VersionInfo {
                        version: r.get(1)?,
                        hash: hex_of(&hash),
                        fetched_at: r.get(3)?,
                        bytes: r.get(4)?,
                        raw_bytes: r.get(5)?,
                        media_type: r.get(6)?,
                        encoding: r.get(7)?,
                        title: r.get(8)?,
                        dir: r.get(9)?,
                        lang: r.get(10)?,
                        unchanged_observations: 0,
                        reverts: Vec::new(),
                        current: false,
                        previous: None,
                    },
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut obs = self.conn.prepare(&format!(
            "SELECT o.version_id, o.kind, o.observed_at FROM observations o
             WHERE o.article_id = ?1 AND o.kind != 'new' ORDER BY {HISTORY_ORDER}"
        ))?;
        let rows = obs.query_map([article], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (version_id, kind, at) = row?;
            if let Some((_, v)) = versions.iter_mut().find(|(id, _)| *id == version_id) {
                match kind.as_str() {
                    "revert" => v.reverts.push(at),
                    _ => v.unchanged_observations += 1,
                }
            }
        }
        let states = states_of(&self.conn, article)?;
        for (_, v) in &mut versions {
            v.current = states.last().is_some_and(|s| s.version == v.version);
            v.previous = states
                .iter()
                .position(|s| s.version == v.version)
                .and_then(|i| i.checked_sub(1))
                .map(|i| states[i].version);
        }
        Ok(versions.into_iter().map(|(_, v)| v).collect())
    }

    /// New versions and reverts of one article, in the order they were seen.
    pub fn history(&self, key: &str) -> Result<Vec<HistoryEvent>> {
        let article = self.article_id(key)?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT o.observed_at, v.number, o.kind FROM observations o JOIN versions v ON v.id = o.version_id
             WHERE o.article_id = ?1 AND o.kind IN ('new', 'revert') ORDER BY {HISTORY_ORDER}"
        ))?;
        let rows = stmt.query_map([article], |r| {
            Ok(HistoryEvent {
                at: r.get(0)?,
                version: r.get(1)?,
                kind: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The text hash of every version of one article, by number (no text read).
    pub fn version_hashes(&self, key: &str) -> Result<HashMap<i64, Hash>> {
        let article = self.article_id(key)?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT number, text_hash FROM versions WHERE article_id = ?1")?;
        let rows = stmt.query_map([article], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?;
        let mut out = HashMap::new();
        for row in rows {
            let (n, hash) = row?;
            out.insert(n, to_hash(&hash)?);
        }
        Ok(out)
    }

    /// The states of one article, oldest first: its current text is the last.
    pub fn states(&self, key: &str) -> Result<Vec<State>> {
        states_of(&self.conn, self.article_id(key)?)
    }

    /// The change that brought the text a reference names: for `KEY` (the
    /// current text) and `KEY@-N`, from the state before; for `KEY@N`, from
    /// the version that was current when version N first appeared.
    pub fn step(&self, reference: &VersionRef) -> Result<Step> {
        let Resolved {
            article,
            number,
            states,
            index,
            ..
        } = self.resolve(reference)?;
        let states = match states {
            Some(states) => states,
            None => states_of(&self.conn, article)?,
        };
        let index = match reference.version {
            None => states.len().checked_sub(1),
            Some(n) if n > 0 => states.iter().position(|s| s.version == number),
            Some(_) => index,
        };
        let Some(index) = index else {
            // A version never observed (not written by track): its number.
            return Ok(Step {
                from: (number > 1).then(|| number - 1),
                to: number,
                revert: false,
            });
        };
        Ok(Step {
            from: index.checked_sub(1).map(|i| states[i].version),
            to: number,
            revert: states[index].revert,
        })
    }

    /// Resolve a reference to a version number.
    fn resolve(&self, reference: &VersionRef) -> Result<Resolved> {
        let article = match self.article_id(&reference.key) {
            Ok(id) => id,
            Err(e) => {
                // `KEY@0`: versions are numbered from 1 (unless `KEY@0` is itself a key).
                let bare = reference
                    .key
                    .strip_suffix("@0")
                    .or_else(|| reference.key.strip_suffix("@-0"));
                if let Some(key) = bare
                    && let Ok(id) = self.article_id(key)
                {
                    let count: i64 = self.conn.query_row(
                        "SELECT count(*) FROM versions WHERE article_id = ?1",
                        [id],
                        |r| r.get(0),
                    )?;
                    return Err(StoreError::UnknownVersion {
                        key: key.to_string(),
                        requested: 0,
                        count,
                    });
                }
                return Err(e);
            }
        };
        let count: i64 = self.conn.query_row(
            "SELECT count(*) FROM versions WHERE article_id = ?1",
            [article],
            |r| r.get(0),
        )?;
        let current: Option<i64> = self
            .conn
            .query_row(
                &format!(
                    "SELECT v.number FROM observations o JOIN versions v ON v.id = o.version_id
                     WHERE o.article_id = ?1 ORDER BY {LATEST_FIRST} LIMIT 1"
                ),
                [article],
                |r| r.get(0),
            )
            .optional()?;
        // An article never observed (not written by track): its last version.
        let current = current.unwrap_or(count);
        let (number, states, index) = match reference.version {
            Some(n) if n > 0 => (n, None, None),
            None => (current, None, None),
            Some(back) => {
                let back = back.unsigned_abs();
                let states = states_of(&self.conn, article)?;
                let changes = (states.len() as u64).saturating_sub(1);
                if states.is_empty() {
                    (count, None, None)
                } else if back > changes {
                    return Err(StoreError::NoEarlierState {
                        key: reference.key.clone(),
                        back,
                        changes,
                    });
                } else {
                    let i = states.len() - 1 - back as usize;
                    (states[i].version, Some(states), Some(i))
                }
            }
        };
        if number < 1 || number > count {
            return Err(StoreError::UnknownVersion {
                key: reference.key.clone(),
                requested: reference.version.unwrap_or(number),
                count,
            });
        }
        Ok(Resolved {
            article,
            number,
            count,
            current,
            states,
            index,
        })
    }

    /// Resolve a reference to one version and load its text.
    pub fn version(&self, reference: &VersionRef) -> Result<VersionText> {
        let Resolved {
            article,
            number,
            count,
            current,
            ..
        } = self.resolve(reference)?;
        let url: Option<String> =
            self.conn
                .query_row("SELECT url FROM articles WHERE id = ?1", [article], |r| {
                    r.get(0)
                })?;
        let row = self.conn.query_row(
            "SELECT text_hash, raw_hash, fetched_at, media_type, encoding, title, byline,
                    published, dir, lang, modified
             FROM versions WHERE article_id = ?1 AND number = ?2",
            params![article, number],
            |r| {
                Ok((
                    r.get::<_, Vec<u8>>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                    r.get::<_, Option<String>>(9)?,
                    r.get::<_, Option<String>>(10)?,
                ))
            },
        )?;
        let text_hash = to_hash(&row.0)?;
        let bytes = {
            let mut read = self.texts_read.borrow_mut();
            if read.values().map(Vec::len).sum::<usize>() > TEXTS_READ_BYTES {
                read.clear();
            }
            read_blob(&self.conn, &text_hash, &mut read)?
        };
        // SIMD validation: std's checks Arabic a byte at a time, a visible
        // part of reading a long text.
        let text = simdutf8::basic::from_utf8(&bytes)
            .map_err(|_| StoreError::Blob {
                hash: hex(&text_hash),
                reason: "text is not UTF-8".into(),
            })?
            .to_owned();
        Ok(VersionText {
            key: reference.key.clone(),
            url,
            version: number,
            versions: count,
            current: number == current,
            hash: hex(&text_hash),
            fetched_at: row.2,
            media_type: row.3,
            encoding: row.4,
            title: row.5,
            byline: row.6,
            published: row.7,
            modified: row.10,
            dir: row.8,
            lang: row.9,
            text,
            text_hash,
            raw_hash: to_hash(&row.1)?,
        })
    }

    /// A cached analysis of a text, if one of this analyser version exists.
    pub fn analysis(
        &self,
        text_hash: &Hash,
        analyser: &str,
        version: i64,
    ) -> Result<Option<Vec<u8>>> {
        // Prepared once: a diff reads four to six analyses.
        Ok(self
            .conn
            .prepare_cached(
                "SELECT data FROM analyses WHERE text_hash = ?1 AND analyser = ?2 AND version = ?3",
            )?
            .query_row(params![&text_hash[..], analyser, version], |r| r.get(0))
            .optional()?)
    }

    /// Cache an analysis of a text. Best effort for readers: it waits for
    /// other writers only briefly (a busy store just skips the cache).
    pub fn put_analysis(
        &self,
        text_hash: &Hash,
        analyser: &str,
        version: i64,
        data: &[u8],
    ) -> Result<()> {
        self.put_analyses(&[(text_hash, analyser, version, data)])
    }

    /// Cache analyses (text hash, analyser, version, data) in one transaction.
    pub fn put_analyses(&self, entries: &[(&Hash, &str, i64, &[u8])]) -> Result<()> {
        self.put_cache(|conn| {
            entries.iter().try_for_each(|(hash, analyser, version, data)| {
                conn.prepare_cached(
                    "INSERT INTO analyses (text_hash, analyser, version, data) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (text_hash, analyser) DO UPDATE SET version = excluded.version, data = excluded.data",
                )?
                .execute(params![&hash[..], analyser, version, data])
                .map(|_| ())
            })
        })
    }

    /// The cached comparison of the texts `from` → `to` compared as `kind`,
    /// if it was cached for these `inputs`.
    pub fn comparison(
        &self,
        from: &Hash,
        to: &Hash,
        kind: &str,
        inputs: &Hash,
    ) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT data FROM comparisons
                 WHERE from_hash = ?1 AND to_hash = ?2 AND kind = ?3 AND inputs = ?4",
            )?
            .query_row(params![&from[..], &to[..], kind, &inputs[..]], |r| r.get(0))
            .optional()?)
    }

    /// Cache a comparison (replacing a stale entry), best effort as
    /// [`Store::put_analysis`]. The cache keeps the [`COMPARISONS_KEPT`]
    /// most recently added pairs: any two versions can be compared (`serve`
    /// answers whoever holds its token), so without a bound the cache could
    /// outgrow the history it serves.
    pub fn put_comparison(
        &self,
        from: &Hash,
        to: &Hash,
        kind: &str,
        inputs: &Hash,
        data: &[u8],
    ) -> Result<()> {
        self.put_comparison_keeping(from, to, kind, inputs, data, COMPARISONS_KEPT)
    }

    fn put_comparison_keeping(
        &self,
        from: &Hash,
        to: &Hash,
        kind: &str,
        inputs: &Hash,
        data: &[u8],
        kept: i64,
    ) -> Result<()> {
        self.put_cache(|conn| {
            conn.prepare_cached(
                "INSERT INTO comparisons (from_hash, to_hash, kind, inputs, data) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (from_hash, to_hash, kind) DO UPDATE SET inputs = excluded.inputs, data = excluded.data",
            )?
            .execute(params![&from[..], &to[..], kind, &inputs[..], data])?;
            // Ids grow with each new pair (a replaced entry keeps its id): the
            // oldest pairs go first, found on the primary key.
            conn.prepare_cached(
                "DELETE FROM comparisons WHERE id <= (SELECT max(id) FROM comparisons) - ?1",
            )?
            .execute([kept])
            .map(|_| ())
        })
    }

    /// Write cache entries in one short transaction.
    fn put_cache(&self, write: impl FnOnce(&Connection) -> rusqlite::Result<()>) -> Result<()> {
        // A cache may lose its last writes on power loss: no fsync for it
        // (set outside the transaction, where SQLite allows it).
        self.conn.execute_batch("PRAGMA synchronous = NORMAL")?;
        let wrote_data = self.wrote_data.get();
        // Its own short transaction, taken like any write (fairly, retried),
        // but with little patience: a busy store just skips the cache.
        let result = self
            .begin_write(Patience::Total(self.cache_patience))
            .and_then(|()| match write(&self.conn) {
                Ok(()) => self.commit_write(),
                Err(e) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    Err(e.into())
                }
            });
        self.wrote_data.set(wrote_data);
        // A connection that only cached analyses leaves them in the WAL when
        // it closes: checkpointing them costs two fsyncs, most of an uncached
        // `claims` or `diff`. The next write checkpoints as usual (SQLite's
        // automatic checkpoints, and closing any connection that wrote data).
        if !wrote_data {
            let _ = self
                .conn
                .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
        }
        let restored = self.conn.execute_batch("PRAGMA synchronous = FULL");
        result?;
        Ok(restored?)
    }

    /// The bytes of a blob.
    pub fn blob(&self, hash: &Hash) -> Result<Vec<u8>> {
        read_blob(&self.conn, hash, &mut HashMap::new())
    }

    /// Counts for reports.
    pub fn stats(&self) -> Result<StoreStats> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM versions),
                    (SELECT count(*) FROM observations), (SELECT count(*) FROM blobs),
                    (SELECT coalesce(sum(size), 0) FROM blobs),
                    (SELECT coalesce(sum(length(data)), 0) FROM blobs)",
            [],
            |r| {
                Ok(StoreStats {
                    articles: r.get(0)?,
                    versions: r.get(1)?,
                    observations: r.get(2)?,
                    blobs: r.get(3)?,
                    blob_bytes: r.get(4)?,
                    stored_bytes: r.get(5)?,
                })
            },
        )?)
    }
}

/// A write transaction over a chunk of inputs. Dropped without `commit`, it
/// rolls back.
pub struct Batch<'s> {
    store: &'s mut Store,
    open: bool,
    /// Decoded blobs of this batch, used as delta bases for later versions.
    blob_cache: HashMap<Hash, Vec<u8>>,
    /// FTS5 rows written at commit (see `search::PendingFts`).
    pending_fts: search::PendingFts,
}

impl Batch<'_> {
    /// Record one scrape atomically (a savepoint inside the batch).
    pub fn record(&mut self, scrape: &Scrape<'_>) -> Result<Recorded> {
        // Keys and URLs are shown on terminals and in reports: no controls.
        crate::text::visible::check_key("key", scrape.key)?;
        if let Some(url) = scrape.url {
            crate::text::visible::check_key("URL", url)?;
        }
        let conn = &self.store.conn;
        conn.prepare_cached("SAVEPOINT scrape")?.execute([])?;
        let fts_before = self.pending_fts.len();
        match self.record_inner(scrape) {
            Ok(r) => {
                self.store
                    .conn
                    .prepare_cached("RELEASE scrape")?
                    .execute([])?;
                Ok(r)
            }
            Err(e) => {
                self.pending_fts.truncate(fts_before);
                self.store
                    .conn
                    .execute_batch("ROLLBACK TO scrape; RELEASE scrape")?;
                Err(e)
            }
        }
    }

    /// Commit everything recorded so far and start a new transaction.
    pub fn checkpoint(&mut self) -> Result<()> {
        search::flush_fts(&self.store.conn, &mut self.pending_fts)?;
        self.store.commit_write()?;
        self.open = false;
        self.store
            .begin_write(Patience::WithoutProgress(BUSY_TIMEOUT))?;
        self.open = true;
        // The cache only helps within a burst of versions of one article.
        if self.blob_cache.len() > 256 {
            self.blob_cache.clear();
        }
        Ok(())
    }

    /// Cache an analysis of a text (replacing one of another analyser
    /// version), in this batch's transaction.
    pub fn put_analysis(
        &mut self,
        text_hash: &Hash,
        analyser: &str,
        version: i64,
        data: &[u8],
    ) -> Result<()> {
        self.store
            .conn
            .prepare_cached(
                "INSERT INTO analyses (text_hash, analyser, version, data) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (text_hash, analyser) DO UPDATE SET version = excluded.version, data = excluded.data",
            )?
            .execute(params![&text_hash[..], analyser, version, data])?;
        Ok(())
    }

    /// Drop the cached comparisons of this text (its analyses were redone:
    /// comparisons cached against the old ones are stale).
    pub fn forget_comparisons(&mut self, text_hash: &Hash) -> Result<()> {
        let conn = &self.store.conn;
        conn.prepare_cached("DELETE FROM comparisons WHERE from_hash = ?1")?
            .execute(params![&text_hash[..]])?;
        conn.prepare_cached("DELETE FROM comparisons WHERE to_hash = ?1")?
            .execute(params![&text_hash[..]])?;
        Ok(())
    }

    /// Commit and end the batch.
    pub fn commit(mut self) -> Result<()> {
        search::flush_fts(&self.store.conn, &mut self.pending_fts)?;
        self.store.commit_write()?;
        self.open = false;
        Ok(())
    }

    fn record_inner(&mut self, s: &Scrape<'_>) -> Result<Recorded> {
        // Derived from another text (changed after deriving): not used.
        let derived = s.derived.filter(|d| d.fits(s.text, s.raw));
        let conn = &self.store.conn;
        let mut at = format_time(s.observed_at);
        let article: Option<i64> = conn
            .prepare_cached("SELECT id FROM articles WHERE key = ?1")?
            .query_row([s.key], |r| r.get(0))
            .optional()?;
        let article = match article {
            Some(id) => {
                if let Some(url) = s.url {
                    conn.prepare_cached(
                        "UPDATE articles SET url = ?2 WHERE id = ?1 AND url IS NULL",
                    )?
                    .execute(params![id, url])?;
                }
                id
            }
            None => {
                conn.prepare_cached(
                    "INSERT INTO articles (key, url, created_at) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![s.key, s.url, at])?;
                conn.last_insert_rowid()
            }
        };
        let latest: Option<(i64, String)> = conn
            .prepare_cached(&format!(
                "SELECT o.version_id, o.observed_at FROM observations o
                 WHERE o.article_id = ?1 ORDER BY {LATEST_FIRST} LIMIT 1"
            ))?
            .query_row([article], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        // History is in time order: a scrape older than the latest
        // observation would otherwise become the "current" text.
        if let Some((_, latest_at)) = &latest
            && at < *latest_at
        {
            if s.time_given {
                return Err(StoreError::OutOfOrder {
                    at,
                    latest: latest_at.clone(),
                });
            }
            at = latest_at.clone();
        }
        let current = latest.map(|(v, _)| v);
        // With a host, identity is the article text's: learned furniture out.
        let page = match s.host {
            Some(host) => Some(self.furniture_scrape(article, host, s.text, &at)?),
            None => None,
        };
        let identity = page.as_ref().map_or(s.identity, |p| p.identity);
        let text_hash = derived.map_or_else(|| blob::hash(s.text.as_bytes()), |d| d.text_hash);
        let mut known = self.matching_version(article, &identity, &text_hash)?;
        if known.is_none()
            && let Some(page) = &page
        {
            // Versions stored before something was learned: compared as they
            // read now.
            known = self.furniture_match(article, current, page)?;
        }
        let raw_is_text = s.raw == s.text.as_bytes();
        let raw_hash = match derived {
            Some(d) => d.raw_hash,
            None if raw_is_text => text_hash,
            None => blob::hash(s.raw),
        };
        if let Some((version_id, number)) = known {
            let (kind, recorded) = if Some(version_id) == current {
                ("unchanged", Recorded::Unchanged { version: number })
            } else {
                ("revert", Recorded::Reverted { version: number })
            };
            self.observe(article, version_id, &at, kind, &raw_hash, s.source)?;
            if kind == "revert" {
                self.index_revert(article, version_id)?;
            }
            return Ok(recorded);
        }
        // A difference that is not (yet) a change of the article (furniture
        // in rotation, a counter): an observation of the current version.
        if let (Some(page), Some(current)) = (&page, current)
            && !self.furniture_confirms(article, current, page, s.text)?
        {
            let number = self.version_number(current)?;
            self.observe(article, current, &at, "unchanged", &raw_hash, s.source)?;
            return Ok(Recorded::Unchanged { version: number });
        }

        // A new version: deltas against the latest version's blobs.
        let latest: Option<(i64, Vec<u8>, Vec<u8>)> = self
            .store
            .conn
            .prepare_cached(
                "SELECT number, text_hash, raw_hash FROM versions WHERE article_id = ?1
                 ORDER BY number DESC LIMIT 1",
            )?
            .query_row([article], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let number = latest.as_ref().map_or(1, |l| l.0 + 1);
        let (text_base, raw_base) = match &latest {
            Some((_, t, r)) => (Some(to_hash(t)?), Some(to_hash(r)?)),
            None => (None, None),
        };
        let frame = |f: fn(&Derived) -> &Option<derive::Frame>| derived.and_then(|d| f(d).as_ref());
        self.put_blob(
            s.text.as_bytes(),
            text_hash,
            text_base,
            frame(|d| &d.text_frame),
        )?;
        if !raw_is_text {
            self.put_blob(s.raw, raw_hash, raw_base, frame(|d| &d.raw_frame))?;
        }
        self.store
            .conn
            .prepare_cached(
                "INSERT INTO versions (article_id, number, text_hash, raw_hash, identity, normalizer,
                                   fetched_at, media_type, encoding, title, byline, published, dir, lang,
                                   modified)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?
            .execute(params![
                article,
                number,
                &text_hash[..],
                &raw_hash[..],
                &identity[..],
                normalize::NORMALIZER_VERSION,
                at,
                s.media_type,
                s.encoding,
                s.title,
                s.byline,
                s.published,
                s.dir,
                s.lang,
                s.modified
            ])?;
        let version_id = self.store.conn.last_insert_rowid();
        self.observe(article, version_id, &at, "new", &raw_hash, s.source)?;
        let sentences = derived.and_then(|d| d.sentences.as_deref());
        self.index_new_version(article, number, s.text, sentences)?;
        Ok(if number == 1 {
            Recorded::NewArticle { version: 1 }
        } else {
            Recorded::NewVersion { version: number }
        })
    }

    /// The version of this article whose normalised text has this identity.
    /// Rows written by an older normaliser are re-identified (and updated) so
    /// a normaliser change never splits one text into two versions.
    fn matching_version(
        &mut self,
        article: i64,
        identity: &Hash,
        text_hash: &Hash,
    ) -> Result<Option<(i64, i64)>> {
        let conn = &self.store.conn;
        let found = conn
            .prepare_cached(
                "SELECT id, number FROM versions WHERE article_id = ?1 AND identity = ?2 AND normalizer = ?3
                 ORDER BY number LIMIT 1",
            )?
            .query_row(
                params![article, &identity[..], normalize::NORMALIZER_VERSION],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
        // Every version of the article in one pass: those of an older
        // normaliser, and the very same text.
        let rows: Vec<(i64, i64, Vec<u8>, i64)> = conn
            .prepare_cached(
                "SELECT id, number, text_hash, normalizer FROM versions WHERE article_id = ?1
                 ORDER BY number",
            )?
            .query_map([article], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut result = None;
        for (id, number, stored_hash, _) in rows
            .iter()
            .filter(|row| row.3 != i64::from(normalize::NORMALIZER_VERSION))
        {
            let bytes = read_blob(conn, &to_hash(stored_hash)?, &mut self.blob_cache)?;
            let fresh = normalize::identity_hash(&String::from_utf8_lossy(&bytes));
            conn.execute(
                "UPDATE versions SET identity = ?2, normalizer = ?3 WHERE id = ?1",
                params![id, &fresh[..], normalize::NORMALIZER_VERSION],
            )?;
            if &fresh == identity && result.is_none() {
                result = Some((*id, *number));
            }
        }
        if result.is_none() {
            // The very same text is the same version whatever its stored
            // identity says (a damaged identity must not fork a false version).
            result = rows
                .iter()
                .find(|row| row.2 == text_hash[..])
                .map(|row| (row.0, row.1));
        }
        Ok(result)
    }

    fn observe(
        &self,
        article: i64,
        version: i64,
        at: &str,
        kind: &str,
        raw: &Hash,
        source: Option<&str>,
    ) -> Result<()> {
        self.store
            .conn
            .prepare_cached(
                "INSERT INTO observations (article_id, version_id, observed_at, kind, raw_hash, source)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![article, version, at, kind, &raw[..], source])?;
        Ok(())
    }

    /// Store bytes once under their hash, as a delta against `base` when the
    /// chain is not too long. `frame`: the bytes compressed ahead, used when
    /// compressed against the same base as chosen here.
    fn put_blob(
        &mut self,
        bytes: &[u8],
        hash: Hash,
        base: Option<Hash>,
        frame: Option<&derive::Frame>,
    ) -> Result<Hash> {
        let conn = &self.store.conn;
        let exists: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM blobs WHERE hash = ?1)")?
            .query_row([&hash[..]], |r| r.get(0))?;
        if exists {
            return Ok(hash);
        }
        let base = match base {
            Some(b) if b != hash => {
                let depth: Option<i64> = conn
                    .prepare_cached("SELECT depth FROM blobs WHERE hash = ?1")?
                    .query_row([&b[..]], |r| r.get(0))
                    .optional()?;
                depth.filter(|d| *d < MAX_DELTA_DEPTH).map(|d| (b, d))
            }
            _ => None,
        };
        let blob_err = |reason: String| StoreError::Blob {
            hash: hex(&hash),
            reason,
        };
        let ready = frame
            .filter(|f| f.base == base.map(|(b, _)| b))
            .map(|f| std::borrow::Cow::Borrowed(&f.data[..]));
        let (codec, data, base_hash, depth) = match base {
            Some((b, depth)) => {
                let data = match ready {
                    Some(data) => data,
                    None => {
                        let base_bytes = match self.blob_cache.get(&b) {
                            Some(v) => v.clone(),
                            None => read_blob(conn, &b, &mut self.blob_cache)?,
                        };
                        blob::compress(bytes, Some(&base_bytes))
                            .map_err(blob_err)?
                            .into()
                    }
                };
                (Codec::ZstdDelta, data, Some(b), depth + 1)
            }
            None => {
                let data = match ready {
                    Some(data) => data,
                    None => blob::compress(bytes, None).map_err(blob_err)?.into(),
                };
                (Codec::Zstd, data, None, 0)
            }
        };
        conn.prepare_cached(
            "INSERT INTO blobs (hash, size, codec, base, depth, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            &hash[..],
            i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            codec as i64,
            base_hash.as_ref().map(|b| &b[..]),
            depth,
            &data[..]
        ])?;
        self.blob_cache.insert(hash, bytes.to_vec());
        Ok(hash)
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.store.conn.execute_batch("ROLLBACK");
        }
    }
}

/// A random duration up to `ceiling` (at least a tenth of it), so that
/// waiting writers don't poll in step.
fn jitter(ceiling: Duration) -> Duration {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::Instant::now().elapsed().as_nanos());
    let nanos = u64::try_from(ceiling.as_nanos())
        .unwrap_or(u64::MAX)
        .max(10);
    Duration::from_nanos(nanos / 10 + h.finish() % (nanos - nanos / 10))
}

fn to_hash(bytes: &[u8]) -> Result<Hash> {
    bytes.try_into().map_err(|_| StoreError::Blob {
        hash: hex_of(bytes),
        reason: "malformed hash".into(),
    })
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_blob(
    codec: i64,
    data: &[u8],
    size: i64,
    base: Option<&[u8]>,
) -> std::result::Result<Vec<u8>, String> {
    let size = usize::try_from(size).map_err(|_| "negative size".to_string())?;
    match (Codec::from_i64(codec), base) {
        (Some(Codec::Zstd), None) => blob::decompress(data, size, None),
        (Some(Codec::ZstdDelta), Some(base)) => blob::decompress(data, size, Some(base)),
        (Some(Codec::ZstdDelta), None) => Err("delta without a base".into()),
        (Some(Codec::Zstd), Some(_)) => Err("whole blob with a base".into()),
        (None, _) => Err(format!("unknown codec {codec}")),
    }
}

/// A `blobs` row: size, codec, base, data.
type BlobRow = (i64, i64, Option<Vec<u8>>, Vec<u8>);

/// Read a blob, decoding its delta chain from the whole blob at its root.
fn read_blob(
    conn: &Connection,
    hash: &Hash,
    cache: &mut HashMap<Hash, Vec<u8>>,
) -> Result<Vec<u8>> {
    if let Some(bytes) = cache.get(hash) {
        return Ok(bytes.clone());
    }
    // Walk up to a cached or whole blob, then decode back down.
    let mut chain: Vec<(Hash, i64, i64, Vec<u8>)> = Vec::new();
    let mut cursor = *hash;
    let mut bytes: Option<Vec<u8>> = None;
    loop {
        let row: Option<BlobRow> = conn
            .prepare_cached("SELECT size, codec, base, data FROM blobs WHERE hash = ?1")?
            .query_row([&cursor[..]], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let Some((size, codec, base, data)) = row else {
            return Err(StoreError::Blob {
                hash: hex(&cursor),
                reason: "missing".into(),
            });
        };
        chain.push((cursor, size, codec, data));
        match base {
            None => break,
            Some(b) => {
                cursor = to_hash(&b)?;
                if let Some(cached) = cache.get(&cursor) {
                    bytes = Some(cached.clone());
                    break;
                }
                if chain.len() as i64 > MAX_DELTA_DEPTH + 1 {
                    return Err(StoreError::Blob {
                        hash: hex(hash),
                        reason: "delta chain too long".into(),
                    });
                }
            }
        }
    }
    for (h, size, codec, data) in chain.into_iter().rev() {
        let decoded = decode_blob(codec, &data, size, bytes.as_deref()).map_err(|reason| {
            StoreError::Blob {
                hash: hex(&h),
                reason,
            }
        })?;
        if blob::hash(&decoded) != h {
            return Err(StoreError::Blob {
                hash: hex(&h),
                reason: "content does not match its hash (corrupted)".into(),
            });
        }
        bytes = Some(decoded);
    }
    let bytes = bytes.unwrap_or_default();
    if cache.len() < 1024 {
        cache.insert(*hash, bytes.clone());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let query = crate::search::Query::parse("troops").unwrap();
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
