//! Recording scrapes: a write batch, one savepoint per input, versions
//! deduplicated by hash and stored as deltas.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::{
    BUSY_TIMEOUT, Codec, Derived, Hash, LATEST_FIRST, MAX_DELTA_DEPTH, Patience, Recorded, Result,
    Scrape, Store, StoreError, blob, derive, format_time, hex, read_blob, search, to_hash,
};
use crate::text::normalize;

/// A write transaction over a chunk of inputs. Dropped without `commit`, it
/// rolls back.
pub struct Batch<'s> {
    pub(super) store: &'s mut Store,
    open: bool,
    /// Decoded blobs of this batch, used as delta bases for later versions.
    pub(super) blob_cache: HashMap<Hash, Vec<u8>>,
    /// FTS5 rows written at commit (see `search::PendingFts`).
    pub(super) pending_fts: search::PendingFts,
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

impl Store {
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
}
