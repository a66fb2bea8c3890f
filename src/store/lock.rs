//! The write lock, taken fairly: SQLite's busy handler lets a writer that
//! keeps committing starve the others, so waiting writers poll themselves.

use std::time::Duration;

use rusqlite::config::DbConfig;

use super::{BUSY_TIMEOUT, MAX_POLL, Result, Store, StoreError};

/// How long `Store::begin_write` waits for the write lock.
#[derive(Debug, Clone, Copy)]
pub(super) enum Patience {
    /// In all.
    Total(Duration),
    /// While no other writer commits anything.
    WithoutProgress(Duration),
}

impl Store {
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
    pub(super) fn begin_write(&self, patience: Patience) -> Result<()> {
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
    pub(super) fn commit_write(&self) -> Result<()> {
        let result = self.conn.execute_batch("COMMIT");
        if let Some((at, _)) = self.last_write.get() {
            let now = std::time::Instant::now();
            self.last_write.set(Some((now, now.duration_since(at))));
        }
        Ok(result?)
    }
}

pub(super) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
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
