//! The search index (migration 9): one row per distinct sentence of an
//! article (`search_sentences`: the first and last version it was in, and
//! whether the current version has it; when it left, in `search_departed`,
//! migration 12), and a contentless FTS5 table over
//! its normalised words (`search_fts`, rowid = the sentence's id). An
//! article of 100 versions indexes a sentence once however often it repeats.
//!
//! Kept at ingest in the version's transaction; articles stored before the
//! migration wait in `search_backlog` and are indexed when the store opens.

use std::collections::HashMap;
use std::ops::Range;

use rusqlite::{Connection, OptionalExtension, params};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::{
    BUSY_TIMEOUT, Batch, Hash, LATEST_FIRST, Patience, Result, Store, derive, read_blob, to_hash,
};
use crate::text::normalize::identity_text;
use crate::text::search::{Query, index_text};
use crate::text::segment::segment;

/// SQL that turns a store back into what it was before migration 9 (for
/// tests of the migrations).
#[cfg(test)]
pub(crate) const UNDO_MIGRATION_9: &str = "DROP TABLE search_backlog; DROP TABLE search_articles;
DROP TABLE search_fts; DROP TABLE search_sentences; DROP TABLE IF EXISTS search_departed";

/// Articles indexed per transaction when catching up.
const BACKLOG_CHUNK: i64 = 100;

/// What to search for and where.
#[derive(Debug, Clone)]
pub struct SearchFilter<'a> {
    pub query: &'a Query,
    /// Only this article.
    pub key: Option<&'a str>,
    /// Only these articles (e.g. those of a host).
    pub articles: Option<&'a [i64]>,
    /// Only sentences still current at or after this time (RFC 3339, UTC).
    pub since: Option<&'a str>,
    /// Only sentences that first appeared at or before this time.
    pub until: Option<&'a str>,
    /// Only sentences the current version no longer has.
    pub removed: bool,
    pub limit: usize,
}

/// A version, as a search hit names it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SeenIn {
    pub version: i64,
    pub fetched_at: String,
}

/// One matching sentence of one article.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SearchHit {
    pub key: String,
    pub url: Option<String>,
    /// The title of the version the sentence was last in.
    pub title: Option<String>,
    /// The sentence as first stored (display text).
    pub sentence: String,
    /// The first version that had the sentence.
    pub first_seen: SeenIn,
    /// The last version that had it (versions are numbered in time order).
    pub last_seen: SeenIn,
    /// Whether the current version (the latest observation's) has it.
    pub present: bool,
}

impl Store {
    /// Sentences matching a query, the most recently seen first (the time
    /// of the last version that had the sentence).
    pub fn search(&self, f: &SearchFilter<'_>) -> Result<Vec<SearchHit>> {
        let articles = f
            .articles
            .map(|ids| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()));
        // The matches are ranked first on what the ranking needs (a common
        // word matches thousands of sentences); only the page of hits kept
        // is joined to its article and versions for display.
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.key, a.url, lv.title, s.text, s.first_version, fv.fetched_at,
                    lv.number, lv.fetched_at, s.present
             FROM (SELECT s.id AS id, coalesce(s.last_version, sa.indexed) AS last,
                          coalesce(d.last_at, sa.indexed_at) AS seen
                   FROM search_fts f
                   JOIN search_sentences s ON s.id = f.rowid
                   JOIN search_articles sa ON sa.article_id = s.article_id
                   LEFT JOIN search_departed d ON d.id = s.id
                   WHERE search_fts MATCH ?1
                     AND (?2 IS NULL
                          OR s.article_id = (SELECT id FROM articles WHERE key = ?2))
                     AND (?3 IS NULL
                          OR s.article_id IN (SELECT value FROM json_each(?3)))
                     AND (?4 IS NULL OR s.present OR coalesce(d.last_at, sa.indexed_at) >= ?4)
                     AND (?5 IS NULL
                          OR (SELECT fetched_at FROM versions
                              WHERE article_id = s.article_id AND number = s.first_version) <= ?5)
                     AND (NOT ?6 OR NOT s.present)
                   ORDER BY seen DESC, s.id DESC
                   LIMIT ?7) hit
             JOIN search_sentences s ON s.id = hit.id
             JOIN articles a ON a.id = s.article_id
             JOIN versions fv ON fv.article_id = s.article_id AND fv.number = s.first_version
             JOIN versions lv ON lv.article_id = s.article_id AND lv.number = hit.last
             ORDER BY hit.seen DESC, hit.id DESC",
        )?;
        let limit = i64::try_from(f.limit).unwrap_or(i64::MAX);
        let hits = stmt
            .query_map(
                params![
                    f.query.fts,
                    f.key,
                    articles,
                    f.since,
                    f.until,
                    f.removed,
                    limit
                ],
                |r| {
                    Ok(SearchHit {
                        key: r.get(0)?,
                        url: r.get(1)?,
                        title: r.get(2)?,
                        sentence: r.get(3)?,
                        first_seen: SeenIn {
                            version: r.get(4)?,
                            fetched_at: r.get(5)?,
                        },
                        last_seen: SeenIn {
                            version: r.get(6)?,
                            fetched_at: r.get(7)?,
                        },
                        present: r.get(8)?,
                    })
                },
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(hits)
    }

    /// Ids and URLs of every article (for filters computed outside SQL).
    pub fn article_urls(&self) -> Result<Vec<(i64, Option<String>)>> {
        let mut stmt = self.conn.prepare("SELECT id, url FROM articles")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Index the articles stored before the index existed, a chunk per
    /// transaction (an interrupted catch-up resumes at the next open).
    pub(super) fn catch_up_search(&self) -> Result<()> {
        let pending: bool =
            self.conn
                .query_row("SELECT EXISTS (SELECT 1 FROM search_backlog)", [], |r| {
                    r.get(0)
                })?;
        if !pending {
            return Ok(());
        }
        let mut cache = HashMap::new();
        let mut fts = PendingFts::new();
        loop {
            fts.clear();
            self.begin_write(Patience::WithoutProgress(BUSY_TIMEOUT))?;
            let done = (|| -> Result<bool> {
                // Read inside the lock: another process may be catching up too.
                let ids: Vec<i64> = self
                    .conn
                    .prepare("SELECT article_id FROM search_backlog ORDER BY article_id LIMIT ?1")?
                    .query_map([BACKLOG_CHUNK], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                for id in &ids {
                    index_article(&self.conn, *id, &mut cache, &mut fts)?;
                    self.conn
                        .execute("DELETE FROM search_backlog WHERE article_id = ?1", [id])?;
                }
                flush_fts(&self.conn, &mut fts)?;
                cache.clear();
                Ok(ids.is_empty())
            })();
            match done {
                Ok(done) => {
                    self.commit_write()?;
                    if done {
                        return Ok(());
                    }
                }
                Err(e) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    return Err(e);
                }
            }
        }
    }
}

impl Batch<'_> {
    /// Index a version just inserted (`text` is its stored text; `derived`,
    /// its sentences found off the write lock) and make it the article's
    /// current one.
    pub(super) fn index_new_version(
        &mut self,
        article: i64,
        number: i64,
        text: &str,
        derived: Option<&[derive::Sentence]>,
    ) -> Result<()> {
        let conn = &self.store.conn;
        let indexed = indexed_through(conn, article)?;
        if indexed + 1 != number {
            // Behind (or ahead of) what it should be: rebuild from the blobs.
            return index_article(conn, article, &mut self.blob_cache, &mut self.pending_fts);
        }
        // Both sets in one pass over the article's rows (indexing changes
        // neither the rows that are present nor makes new ones present).
        let (in_latest, present) = latest_and_present(conn, article)?;
        let hashes = index_sentences(
            conn,
            article,
            number,
            to_index(text, derived),
            in_latest,
            &mut self.pending_fts,
        )?;
        mark_present(conn, article, &hashes, present)?;
        set_indexed(conn, article, number)?;
        Ok(())
    }

    /// A revert made an older version current again: its sentences are
    /// present, the others not.
    pub(super) fn index_revert(&mut self, article: i64, version_id: i64) -> Result<()> {
        let conn = &self.store.conn;
        let text = version_text(conn, version_id, &mut self.blob_cache)?;
        let hashes: Vec<Hash> = sentences(&text).into_iter().map(|(h, _)| h).collect();
        set_present(conn, article, &hashes)
    }
}

/// Record that versions 1..=`number` of the article are indexed.
fn set_indexed(conn: &Connection, article: i64, number: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO search_articles (article_id, indexed, indexed_at)
         SELECT ?1, ?2, fetched_at FROM versions WHERE article_id = ?1 AND number = ?2
         ON CONFLICT (article_id) DO UPDATE
             SET indexed = excluded.indexed, indexed_at = excluded.indexed_at",
    )?
    .execute(params![article, number])?;
    Ok(())
}

/// When version `number` of the article was fetched.
fn fetched_at(conn: &Connection, article: i64, number: i64) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT fetched_at FROM versions WHERE article_id = ?1 AND number = ?2")?
        .query_row(params![article, number], |r| r.get(0))?)
}

fn indexed_through(conn: &Connection, article: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT indexed FROM search_articles WHERE article_id = ?1")?
        .query_row([article], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

fn version_text(
    conn: &Connection,
    version_id: i64,
    cache: &mut HashMap<Hash, Vec<u8>>,
) -> Result<String> {
    let hash: Vec<u8> = conn.query_row(
        "SELECT text_hash FROM versions WHERE id = ?1",
        [version_id],
        |r| r.get(0),
    )?;
    let bytes = read_blob(conn, &to_hash(&hash)?, cache)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Index every version of `article` not indexed yet, then its presence.
fn index_article(
    conn: &Connection,
    article: i64,
    cache: &mut HashMap<Hash, Vec<u8>>,
    fts: &mut PendingFts,
) -> Result<()> {
    let indexed = indexed_through(conn, article)?;
    let versions: Vec<(i64, i64)> = conn
        .prepare(
            "SELECT id, number FROM versions WHERE article_id = ?1 AND number > ?2 ORDER BY number",
        )?
        .query_map(params![article, indexed], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let Some(&(_, last)) = versions.last() else {
        return Ok(());
    };
    for (id, number) in versions {
        let text = version_text(conn, id, cache)?;
        let in_latest = sentence_rows(conn, article, "last_version IS NULL")?;
        index_sentences(conn, article, number, to_index(&text, None), in_latest, fts)?;
    }
    set_indexed(conn, article, last)?;
    let current: Option<i64> = conn
        .query_row(
            &format!(
                "SELECT o.version_id FROM observations o WHERE o.article_id = ?1
                 ORDER BY {LATEST_FIRST} LIMIT 1"
            ),
            [article],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(current) = current {
        let text = version_text(conn, current, cache)?;
        let hashes: Vec<Hash> = sentences(&text).into_iter().map(|(h, _)| h).collect();
        set_present(conn, article, &hashes)?;
    }
    Ok(())
}

/// The distinct sentences of a text: the hash of each one's identity text
/// (so whitespace and invisible characters do not make a new sentence), and
/// where it is in the text.
pub(super) fn sentences(text: &str) -> Vec<(Hash, Range<usize>)> {
    let mut seen = FxHashSet::default();
    segment(text)
        .into_iter()
        .filter_map(|u| {
            let s = u.text(text);
            let hash: Hash = blake3::hash(identity_text(s).as_bytes()).into();
            seen.insert(hash).then_some((hash, u.start..u.end))
        })
        .collect()
}

/// The sentences of `text` to index: derived off the write lock when
/// `derived` has them, else found here.
fn to_index<'t>(text: &'t str, derived: Option<&'t [derive::Sentence]>) -> Vec<Indexed<'t>> {
    let at = |r: &Range<usize>| text.get(r.clone()).unwrap_or("");
    match derived {
        Some(found) => found
            .iter()
            .map(|s| Indexed {
                hash: s.hash,
                text: at(&s.range),
                body: s.body.as_deref(),
            })
            .collect(),
        None => sentences(text)
            .into_iter()
            .map(|(hash, r)| Indexed {
                hash,
                text: at(&r),
                body: None,
            })
            .collect(),
    }
}

/// A sentence of a version being indexed.
struct Indexed<'t> {
    hash: Hash,
    text: &'t str,
    /// Its index text, when computed already.
    body: Option<&'t str>,
}

/// FTS5 rows waiting for the end of the transaction: FTS5 flushes what it
/// holds at every savepoint, and a batch opens one per input, so rows
/// inserted as they come would make a segment and a merge per input.
pub(super) type PendingFts = Vec<(i64, String)>;

/// Write the FTS5 rows that waited for the end of the transaction.
pub(super) fn flush_fts(conn: &Connection, pending: &mut PendingFts) -> Result<()> {
    let mut index = conn.prepare_cached("INSERT INTO search_fts (rowid, body) VALUES (?1, ?2)")?;
    for (id, body) in pending.drain(..) {
        index.execute(params![id, body])?;
    }
    Ok(())
}

/// Search rows of an article's sentences: id by hash (the hashes are
/// BLAKE3, so a fast hasher is safe).
type Rows = FxHashMap<Hash, i64>;

/// Rows of the article's sentences matching `filter` (an SQL condition on
/// `search_sentences`), by hash.
fn sentence_rows(conn: &Connection, article: i64, filter: &str) -> Result<Rows> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT hash, id FROM search_sentences WHERE article_id = ?1 AND {filter}"
    ))?;
    let rows: Vec<(Vec<u8>, i64)> = stmt
        .query_map([article], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(hash, id)| Ok((to_hash(&hash)?, id)))
        .collect()
}

/// The rows of the article's sentences in its latest version
/// (`last_version IS NULL`), and of those present, by hash.
fn latest_and_present(conn: &Connection, article: i64) -> Result<(Rows, Rows)> {
    let mut stmt = conn.prepare_cached(
        "SELECT hash, id, last_version IS NULL, present FROM search_sentences
         WHERE article_id = ?1 AND (last_version IS NULL OR present)",
    )?;
    let mut rows = stmt.query([article])?;
    let (mut latest, mut present) = (Rows::default(), Rows::default());
    while let Some(row) = rows.next()? {
        let hash = to_hash(&row.get::<_, Vec<u8>>(0)?)?;
        let id: i64 = row.get(1)?;
        if row.get(2)? {
            latest.insert(hash, id);
        }
        if row.get(3)? {
            present.insert(hash, id);
        }
    }
    Ok((latest, present))
}

/// Record the sentences of version `number`, the article's next. Only what
/// changed against the previous version is written: `last_version` is NULL
/// for the sentences of the latest version (their last version is
/// `search_articles.indexed`), so a sentence kept from one version to the
/// next costs nothing. New sentences' FTS5 rows go to `fts`. Returns the
/// version's sentence hashes. `in_latest`: the rows of the sentences of the
/// version before ([`sentence_rows`] with `last_version IS NULL`).
fn index_sentences(
    conn: &Connection,
    article: i64,
    number: i64,
    found: Vec<Indexed<'_>>,
    mut in_latest: Rows,
    fts: &mut PendingFts,
) -> Result<Vec<Hash>> {
    let mut find =
        conn.prepare_cached("SELECT id FROM search_sentences WHERE article_id = ?1 AND hash = ?2")?;
    let mut set_last =
        conn.prepare_cached("UPDATE search_sentences SET last_version = ?2 WHERE id = ?1")?;
    // When it left goes beside, not into, the sentence's row (migration 12).
    let mut departed = conn
        .prepare_cached("INSERT OR REPLACE INTO search_departed (id, last_at) VALUES (?1, ?2)")?;
    let mut returned = conn.prepare_cached("DELETE FROM search_departed WHERE id = ?1")?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO search_sentences (article_id, hash, text, first_version, last_version)
         VALUES (?1, ?2, ?3, ?4, NULL)",
    )?;
    let mut hashes = Vec::with_capacity(found.len());
    for s in found {
        hashes.push(s.hash);
        if in_latest.remove(&s.hash).is_some() {
            continue;
        }
        let known: Option<i64> = find
            .query_row(params![article, &s.hash[..]], |r| r.get(0))
            .optional()?;
        match known {
            // Back after a version without it.
            Some(id) => {
                set_last.execute(params![id, rusqlite::types::Null])?;
                returned.execute([id])?;
            }
            None => {
                insert.execute(params![article, &s.hash[..], s.text, number])?;
                let id = conn.last_insert_rowid();
                let body = s.body.map_or_else(|| index_text(s.text), str::to_string);
                fts.push((id, body));
            }
        }
    }
    // Left out of this version: their last one was the previous.
    if !in_latest.is_empty() {
        let previous_at = fetched_at(conn, article, number - 1)?;
        for id in in_latest.values() {
            set_last.execute(params![id, number - 1])?;
            departed.execute(params![id, previous_at])?;
        }
    }
    Ok(hashes)
}

/// Mark exactly these sentences of the article as in its current version
/// (writing only the rows that change).
fn set_present(conn: &Connection, article: i64, hashes: &[Hash]) -> Result<()> {
    mark_present(
        conn,
        article,
        hashes,
        sentence_rows(conn, article, "present")?,
    )
}

/// [`set_present`], with the rows now present read already.
fn mark_present(conn: &Connection, article: i64, hashes: &[Hash], mut present: Rows) -> Result<()> {
    let mut mark = conn.prepare_cached(
        "UPDATE search_sentences SET present = 1 WHERE article_id = ?1 AND hash = ?2",
    )?;
    for hash in hashes {
        if present.remove(hash).is_none() {
            mark.execute(params![article, &hash[..]])?;
        }
    }
    let mut unmark =
        conn.prepare_cached("UPDATE search_sentences SET present = 0 WHERE id = ?1")?;
    for id in present.values() {
        unmark.execute([id])?;
    }
    Ok(())
}
