//! The caches of derived data: analyses of a text, comparisons of two.

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OptionalExtension, params};

use super::{COMPARISONS_KEPT, Hash, Patience, Result, Store};

impl Store {
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

    pub(super) fn put_comparison_keeping(
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
}
