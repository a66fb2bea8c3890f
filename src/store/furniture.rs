//! The store's side of learned furniture (the rules are in
//! [`crate::furniture`]): evidence per host (`furniture`), each page's last
//! scrape (`furniture_pages`), the user's overrides. Only derived data lives
//! here: learning never touches a version, a blob or an observation.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Batch, Hash, Result, Store, read_blob, to_hash};
use crate::furniture::{
    self as rules, Changing, Furniture, Judge, Key, Kind, LONGEST_LEARNED_WORDS, MAX_HOST_EVIDENCE,
    MAX_HOST_LEARNED, MAX_SEEN_IN, PageState, RECURRING_ARTICLES, VOLATILE_ARTICLES,
    VOLATILE_CHANGES, VOLATILE_CHANGES_SHARED,
};

/// Characters of a block kept to show an entry.
const SAMPLE_CHARS: usize = 200;
/// Versions of an article compared by their article text when a scrape's
/// identity matches none of their stored identities.
const MATCHED_VERSIONS: usize = 16;

/// One entry of `track furniture HOST`.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// `b…` (a block) or `s…` (a shape): what `--keep` and `--forget` take.
    pub id: String,
    pub kind: Kind,
    /// `learned`, `added` (by the user), `kept` (pinned as article text by
    /// the user) or `evidence` (seen, not learned).
    pub status: String,
    /// Why it is furniture: `recurring` (on several articles), `volatile`
    /// (its line changes on most scrapes) or `user`; `null` for evidence.
    pub rule: Option<String>,
    /// Distinct articles of the host it was seen in (counted up to 8).
    pub articles: usize,
    /// Most re-scrapes of one page on which its line changed (counted when
    /// it changed on at least every other one).
    pub volatile: u32,
    /// Articles on which its line changed repeatedly.
    pub changed_on: usize,
    /// The block as last seen (shortened), or as the user gave it.
    pub text: String,
    pub first_seen: String,
    pub last_seen: String,
}

/// One host of `track furniture`.
#[derive(Debug, Clone, Serialize)]
pub struct HostSummary {
    pub host: String,
    /// Articles whose scrapes came from this host.
    pub pages: i64,
    pub learned: i64,
    pub added: i64,
    pub kept: i64,
}

/// What the user changes.
#[derive(Debug, Clone)]
pub enum Override {
    /// Pin an entry as article text: never furniture, never learned again.
    Keep(String),
    /// Drop an entry and its evidence: it may be learned again.
    Forget(String),
    /// Make a block (or, with `shape`, every short line of its shape) furniture.
    Add { text: String, shape: bool },
}

/// A scrape of a page with a host, as the furniture rules see it.
pub(super) struct PageScrape {
    pub furniture: Furniture,
    pub prev: PageState,
    pub now: PageState,
    pub legacy: bool,
    /// The identity of the scrape's article text.
    pub identity: Hash,
    host: String,
}

fn ids(seen_in: &str) -> Vec<i64> {
    seen_in
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

fn sample(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(SAMPLE_CHARS) {
        Some((i, _)) => format!("{}…", &flat[..i]),
        None => flat,
    }
}

fn join(list: &[i64]) -> String {
    list.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// A shape is learned when its line changed on most re-scrapes of one page
/// (at least [`VOLATILE_CHANGES`] of them), or repeatedly on
/// [`VOLATILE_ARTICLES`] articles, or repeatedly on one and it occurs on
/// [`RECURRING_ARTICLES`] articles.
fn learnable_shape(articles: usize, volatile: u32, changed_on: usize) -> bool {
    volatile >= VOLATILE_CHANGES
        || changed_on >= VOLATILE_ARTICLES
        || (changed_on >= 1 && articles >= RECURRING_ARTICLES)
}

/// Learn an entry, unless the host is at its cap.
fn learn(conn: &Connection, host: &str, id: i64) -> Result<()> {
    let learned: i64 = conn
        .prepare_cached("SELECT count(*) FROM furniture WHERE host = ?1 AND status = 'learned'")?
        .query_row([host], |r| r.get(0))?;
    if learned as usize >= MAX_HOST_LEARNED {
        return Ok(());
    }
    conn.prepare_cached(
        "UPDATE furniture SET status = 'learned' WHERE id = ?1 AND status = 'evidence'",
    )?
    .execute([id])?;
    Ok(())
}

/// Note that `article` shows a block (or shape); learns it when that makes
/// enough distinct articles. True when a row was created.
fn note_seen(
    conn: &Connection,
    host: &str,
    kind: Kind,
    key: Key,
    text: &str,
    article: i64,
    at: &str,
) -> Result<bool> {
    let row: Option<(i64, String, u32, String)> = conn
        .prepare_cached(
            "SELECT id, seen_in, volatile, changed_in FROM furniture
             WHERE host = ?1 AND kind = ?2 AND hash = ?3",
        )?
        .query_row(params![host, kind.as_str(), key], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    match row {
        None => {
            conn.prepare_cached(
                "INSERT INTO furniture (host, kind, hash, sample, seen_in, first_seen, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            )?
            .execute(params![
                host,
                kind.as_str(),
                key,
                sample(text),
                article.to_string(),
                at
            ])?;
            Ok(true)
        }
        Some((id, seen_in, volatile, changed_in)) => {
            let mut list = ids(&seen_in);
            if !list.contains(&article) && list.len() < MAX_SEEN_IN {
                list.push(article);
            }
            conn.prepare_cached(
                "UPDATE furniture SET seen_in = ?2, last_seen = ?3, sample = ?4 WHERE id = ?1",
            )?
            .execute(params![id, join(&list), at, sample(text)])?;
            let learnable = match kind {
                Kind::Block => list.len() >= RECURRING_ARTICLES,
                Kind::Shape => learnable_shape(list.len(), volatile, ids(&changed_in).len()),
            };
            if learnable {
                learn(conn, host, id)?;
            }
            Ok(false)
        }
    }
}

/// Note that a shape's line changed on a re-scrape of `article` (its record
/// on that page is `changing`).
fn note_volatile(conn: &Connection, host: &str, changing: Changing, article: i64) -> Result<()> {
    let row: Option<(i64, String, u32, String, String)> = conn
        .prepare_cached(
            "SELECT id, seen_in, volatile, changed_in, rotated_in FROM furniture
             WHERE host = ?1 AND kind = 'shape' AND hash = ?2",
        )?
        .query_row(params![host, changing.shape], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    // Shapes are noted when first seen on a page: the row exists (unless
    // pruned, and then the evidence starts again).
    let Some((id, seen_in, volatile, changed_in, rotated_in)) = row else {
        return Ok(());
    };
    let mut rotated = ids(&rotated_in);
    if !rotated.contains(&article) && rotated.len() < MAX_SEEN_IN {
        rotated.push(article);
    }
    let volatile = if changing.volatile() {
        volatile.max(changing.changes)
    } else {
        volatile
    };
    let mut changed = ids(&changed_in);
    if changing.changes >= VOLATILE_CHANGES_SHARED
        && changing.changes * 2 >= changing.seen
        && !changed.contains(&article)
        && changed.len() < MAX_SEEN_IN
    {
        changed.push(article);
    }
    conn.prepare_cached(
        "UPDATE furniture SET volatile = ?2, changed_in = ?3, rotated_in = ?4 WHERE id = ?1",
    )?
    .execute(params![id, volatile, join(&changed), join(&rotated)])?;
    if learnable_shape(ids(&seen_in).len(), volatile, changed.len()) {
        learn(conn, host, id)?;
    }
    Ok(())
}

/// Whether a block or shape was seen on another article of the host (or is
/// learned or added furniture there).
fn seen_elsewhere(
    conn: &Connection,
    host: &str,
    kind: Kind,
    key: Key,
    article: i64,
) -> Result<bool> {
    let row: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT seen_in, status FROM furniture WHERE host = ?1 AND kind = ?2 AND hash = ?3",
        )?
        .query_row(params![host, kind.as_str(), key], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    Ok(match row {
        None => false,
        Some((_, status)) if status == "kept" => false,
        Some((_, status)) if status == "learned" || status == "added" => true,
        Some((seen_in, _)) => ids(&seen_in).iter().any(|&a| a != article),
    })
}

/// Whether a shape's line was replaced on a re-scrape of another article of
/// the host (only ever makes a change wait longer).
fn rotating(conn: &Connection, host: &str, shape: Key, article: i64) -> Result<bool> {
    let row: Option<String> = conn
        .prepare_cached(
            "SELECT rotated_in FROM furniture WHERE host = ?1 AND kind = 'shape' AND hash = ?2",
        )?
        .query_row(params![host, shape], |r| r.get(0))
        .optional()?;
    Ok(row.is_some_and(|rotated_in| ids(&rotated_in).iter().any(|&a| a != article)))
}

/// Drop the oldest evidence of a host beyond its cap.
fn prune(conn: &Connection, host: &str) -> Result<()> {
    let evidence: i64 = conn
        .prepare_cached("SELECT count(*) FROM furniture WHERE host = ?1 AND status = 'evidence'")?
        .query_row([host], |r| r.get(0))?;
    let evidence = evidence as usize;
    if evidence <= MAX_HOST_EVIDENCE {
        return Ok(());
    }
    // Down to nine tenths, so that pruning is not needed on every scrape.
    let excess = evidence - MAX_HOST_EVIDENCE * 9 / 10;
    conn.prepare_cached(
        "DELETE FROM furniture WHERE id IN (
           SELECT id FROM furniture WHERE host = ?1 AND status = 'evidence'
           ORDER BY last_seen, id LIMIT ?2)",
    )?
    .execute(params![host, excess as i64])?;
    Ok(())
}

/// The furniture of a host: learned and added entries, minus kept ones.
fn load(conn: &Connection, host: &str) -> Result<Furniture> {
    let mut f = Furniture::default();
    let mut stmt = conn.prepare_cached(
        "SELECT kind, hash, status FROM furniture WHERE host = ?1 AND status != 'evidence'",
    )?;
    let rows = stmt.query_map([host], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (kind, key, status) = row?;
        match (Kind::parse(&kind), status.as_str()) {
            (Some(Kind::Block), "kept") => {
                f.kept_blocks.insert(key);
            }
            (Some(Kind::Block), "learned" | "added") => {
                f.blocks.insert(key);
            }
            (Some(Kind::Shape), "learned" | "added") => {
                f.shapes.insert(key);
            }
            _ => {}
        }
    }
    Ok(f)
}

fn page_host(conn: &Connection, article: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT host FROM furniture_pages WHERE article_id = ?1")?
        .query_row([article], |r| r.get(0))
        .optional()?)
}

fn text_of(conn: &Connection, hash: &[u8], cache: &mut HashMap<Hash, Vec<u8>>) -> Result<String> {
    let bytes = read_blob(conn, &to_hash(hash)?, cache)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

impl Batch<'_> {
    /// Read a scrape of a page of `host`: note its evidence, advance the
    /// page's state, learn what that teaches, and return what the decision
    /// needs.
    pub(super) fn furniture_scrape(
        &mut self,
        article: i64,
        host: &str,
        text: &str,
        at: &str,
    ) -> Result<PageScrape> {
        let conn = &self.store.conn;
        let blocks = rules::blocks(text);
        let stored: Option<(String, String)> = conn
            .prepare_cached("SELECT host, state FROM furniture_pages WHERE article_id = ?1")?
            .query_row([article], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        // A page that moved to another host starts again there.
        let prev: PageState = match stored {
            Some((h, state)) if h == host => serde_json::from_str(&state).unwrap_or_default(),
            _ => PageState::default(),
        };
        let mut created = false;
        let known: HashSet<Key> = prev.blocks.iter().map(|s| s.k).collect();
        let mut noted = HashSet::new();
        for b in blocks.iter().take(rules::MAX_PAGE_BLOCKS) {
            // Counted once per page: only when the page shows it anew.
            if known.contains(&b.key) || !noted.insert(b.key) || b.words > LONGEST_LEARNED_WORDS {
                continue;
            }
            created |= note_seen(conn, host, Kind::Block, b.key, b.text, article, at)?;
            if let Some(shape) = b.shape {
                created |= note_seen(conn, host, Kind::Shape, shape, b.text, article, at)?;
            }
        }
        let mut shared: HashMap<Key, bool> = HashMap::new();
        for b in blocks.iter().take(rules::MAX_PAGE_BLOCKS) {
            if let std::collections::hash_map::Entry::Vacant(slot) = shared.entry(b.key) {
                slot.insert(seen_elsewhere(conn, host, Kind::Block, b.key, article)?);
            }
        }
        let step = rules::step(&prev, &blocks, &|k| {
            shared.get(&k).copied().unwrap_or(false)
        });
        for &changing in &step.volatile {
            note_volatile(conn, host, changing, article)?;
        }
        let state = serde_json::to_string(&step.state).unwrap_or_default();
        conn.prepare_cached(
            "INSERT INTO furniture_pages (article_id, host, state) VALUES (?1, ?2, ?3)
             ON CONFLICT (article_id) DO UPDATE SET host = excluded.host, state = excluded.state",
        )?
        .execute(params![article, host, state])?;
        if created {
            prune(conn, host)?;
        }
        let furniture = load(conn, host)?;
        let mut legacy = !shared.values().any(|&s| s);
        for b in blocks.iter().take(rules::MAX_PAGE_BLOCKS) {
            if !legacy {
                break;
            }
            if let Some(shape) = b.shape {
                legacy = !seen_elsewhere(conn, host, Kind::Shape, shape, article)?;
            }
        }
        let identity = furniture.identity(text);
        Ok(PageScrape {
            furniture,
            prev,
            now: step.state,
            legacy,
            identity,
            host: host.to_string(),
        })
    }

    /// A version of the article whose article text (furniture left out as
    /// now learned) is the scrape's: the current one first, then the latest.
    pub(super) fn furniture_match(
        &mut self,
        article: i64,
        current: Option<i64>,
        page: &PageScrape,
    ) -> Result<Option<(i64, i64)>> {
        let conn = &self.store.conn;
        let mut versions: Vec<(i64, i64, Vec<u8>)> = conn
            .prepare_cached(
                "SELECT id, number, text_hash FROM versions WHERE article_id = ?1
                 ORDER BY number DESC LIMIT ?2",
            )?
            .query_map(params![article, MATCHED_VERSIONS as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        versions.sort_by_key(|(id, number, _)| (Some(*id) != current, -number));
        for (id, number, hash) in versions {
            let text = text_of(conn, &hash, &mut self.blob_cache)?;
            if page.furniture.identity(&text) == page.identity {
                return Ok(Some((id, number)));
            }
        }
        Ok(None)
    }

    /// Whether a scrape whose article text differs from the current
    /// version's is a change of the article (else it is held: an
    /// observation of the current version).
    pub(super) fn furniture_confirms(
        &mut self,
        article: i64,
        current: i64,
        page: &PageScrape,
        text: &str,
    ) -> Result<bool> {
        let conn = &self.store.conn;
        let hash: Vec<u8> = conn
            .prepare_cached("SELECT text_hash FROM versions WHERE id = ?1")?
            .query_row([current], |r| r.get(0))?;
        let old = text_of(conn, &hash, &mut self.blob_cache)?;
        let (old_blocks, new_blocks) = (rules::blocks(&old), rules::blocks(text));
        let mut shared: HashMap<Key, bool> = HashMap::new();
        let mut shared_shapes: HashMap<Key, bool> = HashMap::new();
        let mut rotating_shapes: HashMap<Key, bool> = HashMap::new();
        let bounded = old_blocks
            .iter()
            .take(rules::MAX_PAGE_BLOCKS)
            .chain(new_blocks.iter().take(rules::MAX_PAGE_BLOCKS));
        for b in bounded {
            if let std::collections::hash_map::Entry::Vacant(slot) = shared.entry(b.key) {
                slot.insert(seen_elsewhere(
                    conn,
                    &page.host,
                    Kind::Block,
                    b.key,
                    article,
                )?);
            }
            if let Some(shape) = b.shape
                && !shared_shapes.contains_key(&shape)
            {
                let s = seen_elsewhere(conn, &page.host, Kind::Shape, shape, article)?;
                shared_shapes.insert(shape, s);
                rotating_shapes.insert(shape, rotating(conn, &page.host, shape, article)?);
            }
        }
        let lookup = |k: Key| shared.get(&k).copied().unwrap_or(false);
        let lookup_shape = |k: Key| shared_shapes.get(&k).copied().unwrap_or(false);
        let lookup_rotating = |k: Key| rotating_shapes.get(&k).copied().unwrap_or(false);
        Ok(Judge {
            furniture: &page.furniture,
            prev: &page.prev,
            now: &page.now,
            shared: &lookup,
            shared_shape: &lookup_shape,
            rotating_shape: &lookup_rotating,
            legacy: page.legacy,
        }
        .confirms(&old_blocks, &new_blocks))
    }

    /// The furniture of an article's host (empty without a host), inside the
    /// batch: monitoring compares the texts of a change with it.
    pub fn furniture_of_key(&self, key: &str) -> Result<Furniture> {
        furniture_of_key(&self.store.conn, key)
    }

    /// The version number of a version row.
    pub(super) fn version_number(&self, id: i64) -> Result<i64> {
        Ok(self
            .store
            .conn
            .prepare_cached("SELECT number FROM versions WHERE id = ?1")?
            .query_row([id], |r| r.get(0))?)
    }
}

fn furniture_of_key(conn: &Connection, key: &str) -> Result<Furniture> {
    let article: Option<i64> = conn
        .prepare_cached("SELECT id FROM articles WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    match article {
        Some(a) => match page_host(conn, a)? {
            Some(host) => load(conn, &host),
            None => Ok(Furniture::default()),
        },
        None => Ok(Furniture::default()),
    }
}

impl Store {
    /// The furniture of an article's host (empty when its scrapes came
    /// without a URL, or nothing was learned).
    pub fn furniture_of_key(&self, key: &str) -> Result<Furniture> {
        furniture_of_key(&self.conn, key)
    }

    /// The host an article's furniture is learned on, if any.
    pub fn furniture_host(&self, key: &str) -> Result<Option<String>> {
        let article: Option<i64> = self
            .conn
            .query_row("SELECT id FROM articles WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        match article {
            Some(a) => page_host(&self.conn, a),
            None => Ok(None),
        }
    }

    /// Every host with furniture evidence or tracked pages.
    pub fn furniture_hosts(&self) -> Result<Vec<HostSummary>> {
        let mut stmt = self.conn.prepare(
            "SELECT h.host,
                    (SELECT count(*) FROM furniture_pages p WHERE p.host = h.host),
                    (SELECT count(*) FROM furniture f WHERE f.host = h.host AND f.status = 'learned'),
                    (SELECT count(*) FROM furniture f WHERE f.host = h.host AND f.status = 'added'),
                    (SELECT count(*) FROM furniture f WHERE f.host = h.host AND f.status = 'kept')
             FROM (SELECT host FROM furniture_pages UNION SELECT host FROM furniture) h
             ORDER BY h.host",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(HostSummary {
                host: r.get(0)?,
                pages: r.get(1)?,
                learned: r.get(2)?,
                added: r.get(3)?,
                kept: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The entries of a host: learned, added and kept; with `evidence`, also
    /// what was seen on more than one article or changed on a scrape, not
    /// (yet) learned.
    pub fn furniture_entries(&self, host: &str, evidence: bool) -> Result<Vec<Entry>> {
        let mut stmt = self.conn.prepare(
            "SELECT kind, hash, status, seen_in, volatile, sample, first_seen, last_seen, changed_in
             FROM furniture WHERE host = ?1 ORDER BY status, last_seen DESC, id",
        )?;
        let rows = stmt.query_map([host], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u32>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (kind, key, status, seen_in, volatile, text, first_seen, last_seen, changed_in) =
                row?;
            let Some(kind) = Kind::parse(&kind) else {
                continue;
            };
            let articles = ids(&seen_in).len();
            let changed_on = ids(&changed_in).len();
            if status == "evidence"
                && !(evidence && (articles > 1 || volatile > 0 || changed_on > 0))
            {
                continue;
            }
            let rule = match (status.as_str(), kind) {
                ("evidence", _) => None,
                ("added" | "kept", _) => Some("user"),
                (_, Kind::Block) => Some("recurring"),
                (_, Kind::Shape) => Some("volatile"),
            };
            out.push(Entry {
                id: rules::entry_id(kind, key),
                kind,
                status,
                rule: rule.map(str::to_string),
                articles,
                volatile,
                changed_on,
                text,
                first_seen,
                last_seen,
            });
        }
        Ok(out)
    }

    /// Apply the user's override on a host. `None`: no entry has that id.
    pub fn furniture_override(
        &mut self,
        host: &str,
        change: &Override,
        at: &str,
    ) -> Result<Option<Entry>> {
        let batch = self.batch()?;
        let conn = &batch.store.conn;
        let find = |id: &str| -> Result<Option<(i64, Kind, Key)>> {
            let Some((kind, prefix)) = rules::parse_entry_id(id) else {
                return Ok(None);
            };
            let mut stmt = conn
                .prepare_cached("SELECT id, hash FROM furniture WHERE host = ?1 AND kind = ?2")?;
            let rows = stmt.query_map(params![host, kind.as_str()], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })?;
            for row in rows {
                let (row_id, key) = row?;
                if rules::id_matches(key, prefix) {
                    return Ok(Some((row_id, kind, key)));
                }
            }
            Ok(None)
        };
        let touched: Option<(Kind, Key)> = match change {
            Override::Keep(id) => match find(id)? {
                Some((row, kind, key)) => {
                    conn.execute(
                        "UPDATE furniture SET status = 'kept', last_seen = ?2 WHERE id = ?1",
                        params![row, at],
                    )?;
                    Some((kind, key))
                }
                None => None,
            },
            Override::Forget(id) => match find(id)? {
                Some((row, kind, key)) => {
                    conn.execute("DELETE FROM furniture WHERE id = ?1", [row])?;
                    Some((kind, key))
                }
                None => None,
            },
            Override::Add { text, shape } => {
                let kind = if *shape { Kind::Shape } else { Kind::Block };
                let key = match kind {
                    Kind::Block => rules::block_key(text),
                    Kind::Shape => rules::shape_key(text),
                };
                conn.execute(
                    "INSERT INTO furniture (host, kind, hash, sample, status, first_seen, last_seen)
                     VALUES (?1, ?2, ?3, ?4, 'added', ?5, ?5)
                     ON CONFLICT (host, kind, hash) DO UPDATE SET status = 'added', last_seen = ?5",
                    params![host, kind.as_str(), key, sample(text), at],
                )?;
                Some((kind, key))
            }
        };
        batch.commit()?;
        let Some((kind, key)) = touched else {
            return Ok(None);
        };
        let id = rules::entry_id(kind, key);
        let entry = self
            .furniture_entries(host, true)?
            .into_iter()
            .find(|e| e.id == id);
        // A forgotten entry is gone: describe what was forgotten.
        Ok(Some(entry.unwrap_or(Entry {
            id,
            kind,
            status: "forgotten".into(),
            rule: Some("user".into()),
            articles: 0,
            volatile: 0,
            changed_on: 0,
            text: String::new(),
            first_seen: String::new(),
            last_seen: at.to_string(),
        })))
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::store::{OpenMode, Recorded, Scrape, VersionRef};
    use crate::text::normalize;

    fn open() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db"), OpenMode::Create).unwrap();
        (dir, store)
    }

    fn record(store: &mut Store, key: &str, host: Option<&str>, text: &str) -> Recorded {
        let mut batch = store.batch().unwrap();
        let r = batch
            .record(&Scrape {
                key,
                url: None,
                observed_at: Utc::now(),
                time_given: false,
                raw: text.as_bytes(),
                text,
                identity: normalize::identity_hash(text),
                media_type: "text/plain",
                encoding: "UTF-8",
                title: None,
                byline: None,
                published: None,
                modified: None,
                dir: None,
                lang: None,
                source: None,
                host,
                derived: None,
            })
            .unwrap();
        batch.commit().unwrap();
        r
    }

    fn versions(store: &Store, key: &str) -> usize {
        store.log(key).unwrap().len()
    }

    const MOST_READ: &str = "الأكثر قراءة: خمسة أخبار يتابعها القراء اليوم";
    const FOOTER: &str = "جميع الحقوق محفوظة لموقع الخبر";

    /// An article of `n`: its title, two paragraphs of its own (numbers and a
    /// quote in them), and what is put around.
    fn article(n: usize, around: &[&str]) -> String {
        let own = [
            format!("خبر رقم {n} عن اجتماع المجلس"),
            format!(
                "قال المتحدث باسم المجلس إن {} عضواً حضروا الجلسة الطارئة التي عقدت صباح اليوم لمناقشة الموازنة العامة للدولة.",
                10 + n
            ),
            format!(
                "وأضاف أن \"القرار النهائي سيصدر خلال {} أيام\" بعد التشاور مع الكتل النيابية والحكومة.",
                n + 2
            ),
        ];
        let mut blocks: Vec<String> = own.to_vec();
        blocks.extend(around.iter().map(|s| s.to_string()));
        blocks.join("\n\n")
    }

    fn learned(store: &Store, host: &str) -> Vec<Entry> {
        store
            .furniture_entries(host, false)
            .unwrap()
            .into_iter()
            .filter(|e| e.status == "learned")
            .collect()
    }

    #[test]
    fn a_block_on_three_articles_of_a_host_is_learned_and_other_hosts_are_unaffected() {
        let (_dir, mut store) = open();
        let host = Some("news.example");
        record(&mut store, "a1", host, &article(1, &[MOST_READ, FOOTER]));
        record(&mut store, "a2", host, &article(2, &[MOST_READ, FOOTER]));
        // Two articles: not yet.
        assert!(learned(&store, "news.example").is_empty());
        record(&mut store, "a3", host, &article(3, &[MOST_READ, FOOTER]));
        let entries = learned(&store, "news.example");
        assert_eq!(entries.len(), 2, "{entries:?}");
        assert!(
            entries
                .iter()
                .all(|e| e.rule.as_deref() == Some("recurring") && e.articles == 3)
        );

        // Left out of every article of the host, the first one too (whose
        // version was stored before anything was learned).
        let v = store.version(&VersionRef::parse("a1")).unwrap();
        let (text, hidden) = crate::furniture::article_of(&store, &v).unwrap();
        assert_eq!(hidden.len(), 2);
        assert!(!text.text.contains("الأكثر قراءة") && !text.text.contains("الحقوق"));
        assert!(text.text.contains("عضواً"));
        // The stored version is untouched.
        assert!(v.text.contains(MOST_READ));

        // The same blocks on another host are article text there.
        record(
            &mut store,
            "b1",
            Some("other.example"),
            &article(1, &[MOST_READ, FOOTER]),
        );
        assert!(store.furniture_of_key("b1").unwrap().is_empty());
        assert!(learned(&store, "other.example").is_empty());
        // And without a host (no URL given) nothing is learned or hidden.
        record(&mut store, "c1", None, &article(1, &[MOST_READ, FOOTER]));
        assert!(store.furniture_of_key("c1").unwrap().is_empty());

        // A change of the furniture alone is no version; of the article, one.
        record(&mut store, "a1", host, &article(1, &[FOOTER]));
        assert_eq!(versions(&store, "a1"), 1);
        let edited = article(1, &[MOST_READ, FOOTER]).replace("11 عضواً", "14 عضواً");
        assert!(matches!(
            record(&mut store, "a1", host, &edited),
            Recorded::NewVersion { version: 2 }
        ));
    }

    #[test]
    fn never_from_one_page_alone() {
        let (_dir, mut store) = open();
        let host = Some("news.example");
        // One page, many scrapes, its block repeated: counted once.
        let text = article(1, &[MOST_READ, MOST_READ, MOST_READ, "12 تعليقاً"]);
        for _ in 0..10 {
            record(&mut store, "a1", host, &text);
        }
        assert!(learned(&store, "news.example").is_empty());
        // Stable claims (numbers, a quote) are never learned, however often seen.
        let v = store.version(&VersionRef::parse("a1")).unwrap();
        assert!(
            crate::furniture::article_of(&store, &v)
                .unwrap()
                .1
                .is_empty()
        );
        assert_eq!(versions(&store, "a1"), 1);
    }

    #[test]
    fn a_line_that_changes_on_every_scrape_is_learned_and_makes_no_version() {
        let (_dir, mut store) = open();
        let host = Some("news.example");
        // A second article shares a block: the host has furniture in the making.
        record(&mut store, "other", host, &article(9, &[FOOTER]));
        for minute in 10..16 {
            let text = article(
                1,
                &[
                    &format!("آخر تحديث: 09:{minute}"),
                    &format!("{} مشاهدة", minute * 37),
                    FOOTER,
                ],
            );
            let r = record(&mut store, "a1", host, &text);
            assert!(
                matches!(r, Recorded::NewArticle { .. } | Recorded::Unchanged { .. }),
                "{r:?}"
            );
        }
        assert_eq!(versions(&store, "a1"), 1);
        let entries = learned(&store, "news.example");
        assert_eq!(entries.len(), 2, "{entries:?}");
        assert!(
            entries
                .iter()
                .all(|e| e.kind == Kind::Shape && e.rule.as_deref() == Some("volatile"))
        );
        // Hidden from the stored text (which keeps the first scrape's clock).
        let v = store.version(&VersionRef::parse("a1")).unwrap();
        let (a, hidden) = crate::furniture::article_of(&store, &v).unwrap();
        assert_eq!(hidden.len(), 2, "{hidden:?}");
        assert!(!a.text.contains("آخر تحديث") && !a.text.contains("مشاهدة"));
        // A number edit in the article: a version at once.
        let edited =
            article(1, &["آخر تحديث: 09:59", "99 مشاهدة", FOOTER]).replace("11 عضواً", "12 عضواً");
        assert!(matches!(
            record(&mut store, "a1", host, &edited),
            Recorded::NewVersion { version: 2 }
        ));
    }

    #[test]
    fn a_short_line_edited_once_is_a_change_not_furniture() {
        let (_dir, mut store) = open();
        let host = Some("news.example");
        let with = |n: u32| article(1, &[&format!("عدد الضحايا: {n}")]);
        record(&mut store, "a1", host, &with(38));
        for _ in 0..3 {
            record(&mut store, "a1", host, &with(38));
        }
        // Held until it persists, then a version; never learned.
        assert!(matches!(
            record(&mut store, "a1", host, &with(41)),
            Recorded::Unchanged { version: 1 }
        ));
        assert!(matches!(
            record(&mut store, "a1", host, &with(41)),
            Recorded::NewVersion { version: 2 }
        ));
        for _ in 0..5 {
            record(&mut store, "a1", host, &with(41));
        }
        assert!(learned(&store, "news.example").is_empty());
        assert_eq!(versions(&store, "a1"), 2);
    }

    #[test]
    fn a_removed_correction_is_a_change_at_once_even_among_furniture() {
        let (_dir, mut store) = open();
        let host = Some("news.example");
        for n in 2..=4 {
            record(
                &mut store,
                &format!("a{n}"),
                host,
                &article(n, &[MOST_READ]),
            );
        }
        let correction = "Correction: an earlier version said 12 members attended.";
        let with = article(1, &[correction, MOST_READ]);
        record(&mut store, "a1", host, &with);
        record(&mut store, "a1", host, &with);
        // The correction is quietly taken out: a version, on the next scrape.
        assert!(matches!(
            record(&mut store, "a1", host, &article(1, &[MOST_READ])),
            Recorded::NewVersion { version: 2 }
        ));
    }

    #[test]
    fn the_user_wins() {
        let (_dir, mut store) = open();
        let host = Some("news.example");
        for n in 1..=3 {
            record(
                &mut store,
                &format!("a{n}"),
                host,
                &article(n, &[MOST_READ]),
            );
        }
        let entry = learned(&store, "news.example").remove(0);
        let at = "2025-01-01T00:00:00Z";
        // Kept: article text again, and not learned again from more articles.
        let kept = store
            .furniture_override("news.example", &Override::Keep(entry.id.clone()), at)
            .unwrap()
            .unwrap();
        assert_eq!(kept.status, "kept");
        assert!(store.furniture_of_key("a1").unwrap().is_empty());
        for n in 4..=6 {
            record(
                &mut store,
                &format!("a{n}"),
                host,
                &article(n, &[MOST_READ]),
            );
        }
        assert!(learned(&store, "news.example").is_empty());
        // Forgotten: the evidence starts again.
        store
            .furniture_override("news.example", &Override::Forget(entry.id.clone()), at)
            .unwrap()
            .unwrap();
        for n in 7..=9 {
            record(
                &mut store,
                &format!("a{n}"),
                host,
                &article(n, &[MOST_READ]),
            );
        }
        assert_eq!(learned(&store, "news.example").len(), 1);
        // Added by hand: furniture at once, on its host only.
        let added = store
            .furniture_override(
                "news.example",
                &Override::Add {
                    text: "تابعونا على وسائل التواصل".into(),
                    shape: false,
                },
                at,
            )
            .unwrap()
            .unwrap();
        assert_eq!(
            (added.status.as_str(), added.rule.as_deref()),
            ("added", Some("user"))
        );
        let text = article(1, &["تابعونا على وسائل التواصل"]);
        record(&mut store, "a1", host, &text);
        assert_eq!(versions(&store, "a1"), 1);
        // An unknown id is no entry.
        assert!(
            store
                .furniture_override("news.example", &Override::Keep("b000000000000".into()), at)
                .unwrap()
                .is_none()
        );
    }
}
