//! Monitoring state (`check` / `watch`): one `watch_items` row per polled
//! item — a source itself, an article a feed linked, a file of a watched
//! folder — and the reads of recent changes behind `track changes` / `feed`
//! (the alerts waiting for delivery are in [`super::outbox`]).

use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

use super::{Batch, LATEST_FIRST, Result, Store, StoreError, read_blob, to_hash};

/// What a `watch_items` row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// The source itself (`item` is empty).
    Source,
    /// An article a feed source linked to (`item` is its URL).
    Article,
    /// A file of a `dir` source (`item` is its path).
    File,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Source => "source",
            ItemKind::Article => "article",
            ItemKind::File => "file",
        }
    }

    fn parse(s: &str) -> ItemKind {
        match s {
            "article" => ItemKind::Article,
            "file" => ItemKind::File,
            _ => ItemKind::Source,
        }
    }
}

/// The state of one polled item. Times are RFC 3339 UTC, as everywhere in the store.
#[derive(Debug, Clone, Serialize)]
pub struct WatchItem {
    #[serde(skip)]
    pub id: i64,
    pub source: String,
    pub item: String,
    pub kind: ItemKind,
    pub key: Option<String>,
    pub url: Option<String>,
    pub discovered_at: String,
    pub last_checked: Option<String>,
    pub last_changed: Option<String>,
    pub last_status: Option<String>,
    /// Consecutive failed checks.
    pub failures: i64,
    pub next_due: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    #[serde(skip)]
    pub signature: Option<String>,
    /// Identity of a much shorter text that was refused, and how many times
    /// in a row it was seen.
    #[serde(skip)]
    pub suspect: Option<Vec<u8>>,
    #[serde(skip)]
    pub suspect_count: i64,
    /// The source this item's article belongs to, when another source
    /// tracked it first (or names it as its `url`): the item is not fetched
    /// while that source is in the sources file.
    pub owner: Option<String>,
}

const ITEM_COLUMNS: &str =
    "id, source, item, kind, key, url, discovered_at, last_checked, last_changed,
     last_status, failures, next_due, etag, last_modified, signature, suspect, suspect_count,
     owner";

fn item_from_row(r: &Row<'_>) -> rusqlite::Result<WatchItem> {
    Ok(WatchItem {
        id: r.get(0)?,
        source: r.get(1)?,
        item: r.get(2)?,
        kind: ItemKind::parse(&r.get::<_, String>(3)?),
        key: r.get(4)?,
        url: r.get(5)?,
        discovered_at: r.get(6)?,
        last_checked: r.get(7)?,
        last_changed: r.get(8)?,
        last_status: r.get(9)?,
        failures: r.get(10)?,
        next_due: r.get(11)?,
        etag: r.get(12)?,
        last_modified: r.get(13)?,
        signature: r.get(14)?,
        suspect: r.get(15)?,
        suspect_count: r.get(16)?,
        owner: r.get(17)?,
    })
}

/// A new version or a revert, as `track changes` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub at: String,
    /// `new` (a new version; version 1 is a new article) or `revert`.
    pub kind: String,
    pub key: String,
    pub url: Option<String>,
    pub version: i64,
    /// The version that was current before, if any.
    pub previous: Option<i64>,
    pub title: Option<String>,
    /// Where the scrape came from (URL or path).
    pub source: Option<String>,
    /// What the change edited against the version current before: `text`,
    /// or only `orthographic` (spelling) or `moved` (sentence order); `null`
    /// for a new article, and where the store has not noted it (see
    /// `ingest::classify_edits`).
    pub edit: Option<Edit>,
}

impl Change {
    /// The kind as `track changes --format json` and events name it:
    /// `new_article`, `new_version` or `revert`.
    pub fn event_kind(&self) -> &'static str {
        match (self.kind.as_str(), self.version) {
            ("revert", _) => "revert",
            (_, 1) => "new_article",
            _ => "new_version",
        }
    }

    /// The row of `track changes --format json`: the change, its `kind` as
    /// [`Change::event_kind`] names it.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        v["kind"] = self.event_kind().into();
        v
    }
}

/// What a new version or a revert changed, against the version current
/// before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Edit {
    /// Words changed, sentences were added, removed, split or merged.
    Text,
    /// Only spelling: diacritics, letter variants, transliterations of
    /// names, digit script (`جونج` → `جونغ`), possibly with moves.
    Orthographic,
    /// Only the order of sentences.
    Moved,
}

impl Edit {
    pub fn as_str(self) -> &'static str {
        match self {
            Edit::Text => "text",
            Edit::Orthographic => "orthographic",
            Edit::Moved => "moved",
        }
    }

    /// Orthographic or moved: stored, but not a change a reader is alerted to.
    pub fn is_minor(self) -> bool {
        self != Edit::Text
    }

    fn parse(s: &str) -> Option<Edit> {
        match s {
            "text" => Some(Edit::Text),
            "orthographic" => Some(Edit::Orthographic),
            "moved" => Some(Edit::Moved),
            _ => None,
        }
    }
}

/// The version an article currently has (its latest observation's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Current {
    pub version: i64,
    /// Bytes of its text.
    pub bytes: i64,
}

impl Store {
    /// Every polled item, by source and item.
    pub fn watch_items(&self) -> Result<Vec<WatchItem>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ITEM_COLUMNS} FROM watch_items ORDER BY source, item"
        ))?;
        let rows = stmt.query_map([], item_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// New versions and reverts observed at or after `since` (RFC 3339), oldest first.
    pub fn changes(&self, since: &str) -> Result<Vec<Change>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {CHANGE_COLUMNS} {CHANGE_FROM}
             WHERE o.kind IN ('new', 'revert') AND o.observed_at >= ?1
             ORDER BY o.observed_at, o.id"
        ))?;
        let rows = stmt.query_map([since], change_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// New versions and reverts of `scope` observed at or after `since`
    /// (RFC 3339; `""` for all), newest first: `limit` of them after
    /// skipping `offset`. An unknown key is [`StoreError::UnknownArticle`];
    /// a source name no check has recorded gives no changes (see
    /// [`Store::source_known`]).
    pub fn latest_changes(
        &self,
        scope: ChangeScope<'_>,
        since: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<Change>> {
        let (filter, value) = match scope {
            ChangeScope::All => ("", None),
            ChangeScope::Key(key) => {
                let known = self
                    .conn
                    .prepare_cached("SELECT 1 FROM articles WHERE key = ?1")?
                    .exists([key])?;
                if !known {
                    return Err(StoreError::UnknownArticle(key.to_string()));
                }
                ("AND a.key = ?4", Some(key))
            }
            // The source's articles: those its items record themselves (an
            // item deferring to another source's holds none of its own).
            ChangeScope::Source(name) => (
                "AND a.key IN (SELECT key FROM watch_items
                               WHERE source = ?4 AND key IS NOT NULL AND owner IS NULL)",
                Some(name),
            ),
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {CHANGE_COLUMNS} {CHANGE_FROM}
             WHERE o.kind IN ('new', 'revert') AND o.observed_at >= ?1 {filter}
             ORDER BY {LATEST_FIRST} LIMIT ?2 OFFSET ?3"
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let rows = match value {
            Some(v) => stmt
                .query_map(params![since, limit, offset, v], change_from_row)?
                .collect::<rusqlite::Result<_>>(),
            None => stmt
                .query_map(params![since, limit, offset], change_from_row)?
                .collect::<rusqlite::Result<_>>(),
        };
        Ok(rows?)
    }

    /// Whether a check has recorded any item of the source `name`.
    pub fn source_known(&self, name: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM watch_items WHERE source = ?1 LIMIT 1")?
            .exists([name])?)
    }
}

/// Whose changes [`Store::latest_changes`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeScope<'a> {
    All,
    /// The articles of one `[[source]]` (by name).
    Source(&'a str),
    /// One article (by key).
    Key(&'a str),
}

/// The columns of a [`Change`], for [`change_from_row`], over [`CHANGE_FROM`].
const CHANGE_COLUMNS: &str = "o.observed_at, o.kind, a.key, a.url, v.number,
    (SELECT pv.number FROM observations p JOIN versions pv ON pv.id = p.version_id
      WHERE p.article_id = o.article_id
        AND (p.observed_at < o.observed_at OR (p.observed_at = o.observed_at AND p.id < o.id))
      ORDER BY p.observed_at DESC, p.id DESC LIMIT 1),
    v.title, o.source, o.edit";
const CHANGE_FROM: &str = "FROM observations o JOIN articles a ON a.id = o.article_id
    JOIN versions v ON v.id = o.version_id";

fn change_from_row(r: &Row<'_>) -> rusqlite::Result<Change> {
    Ok(Change {
        at: r.get(0)?,
        kind: r.get(1)?,
        key: r.get(2)?,
        url: r.get(3)?,
        version: r.get(4)?,
        previous: r.get(5)?,
        title: r.get(6)?,
        source: r.get(7)?,
        edit: r
            .get::<_, Option<String>>(8)?
            .as_deref()
            .and_then(Edit::parse),
    })
}

impl Batch<'_> {
    /// Register an item unless it is known; true if it was new.
    pub fn add_watch_item(
        &mut self,
        source: &str,
        item: &str,
        kind: ItemKind,
        url: Option<&str>,
        now: &str,
    ) -> Result<bool> {
        let n = self.store.conn.execute(
            "INSERT OR IGNORE INTO watch_items (source, item, kind, url, discovered_at, next_due)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![source, item, kind.as_str(), url, now],
        )?;
        Ok(n > 0)
    }

    /// The items of one source.
    pub fn watch_items_of(&self, source: &str) -> Result<Vec<WatchItem>> {
        let mut stmt = self.store.conn.prepare_cached(&format!(
            "SELECT {ITEM_COLUMNS} FROM watch_items WHERE source = ?1"
        ))?;
        let rows = stmt.query_map([source], item_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Write back an item's state (everything but its identity).
    pub fn save_watch_item(&mut self, it: &WatchItem) -> Result<()> {
        self.store
            .conn
            .prepare_cached(
                "UPDATE watch_items SET key = ?2, url = ?3, last_checked = ?4, last_changed = ?5,
                    last_status = ?6, failures = ?7, next_due = ?8, etag = ?9, last_modified = ?10,
                    signature = ?11, suspect = ?12, suspect_count = ?13, owner = ?14
             WHERE id = ?1",
            )?
            .execute(params![
                it.id,
                it.key,
                it.url,
                it.last_checked,
                it.last_changed,
                it.last_status,
                it.failures,
                it.next_due,
                it.etag,
                it.last_modified,
                it.signature,
                it.suspect,
                it.suspect_count,
                it.owner
            ])?;
        Ok(())
    }

    /// Make an item defer to `owner` (see [`WatchItem::owner`]).
    pub fn set_watch_owner(&mut self, source: &str, item: &str, owner: &str) -> Result<()> {
        self.store
            .conn
            .prepare_cached("UPDATE watch_items SET owner = ?3 WHERE source = ?1 AND item = ?2")?
            .execute(params![source, item, owner])?;
        Ok(())
    }

    /// The sources of the items that record the article `key` themselves
    /// (not deferring to another), but item `except`.
    pub fn key_holders(&self, key: &str, except: i64) -> Result<Vec<String>> {
        let mut stmt = self.store.conn.prepare_cached(
            "SELECT source FROM watch_items WHERE key = ?1 AND id != ?2 AND owner IS NULL
             ORDER BY id",
        )?;
        let rows = stmt.query_map(params![key, except], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The version an article had before its latest observation (the one a
    /// new version or revert just recorded replaced), if any.
    pub fn version_before_latest(&self, key: &str) -> Result<Option<i64>> {
        Ok(self
            .store
            .conn
            .prepare_cached(
                "SELECT v.number FROM articles a
                   JOIN observations o ON o.article_id = a.id
                   JOIN versions v ON v.id = o.version_id
                 WHERE a.key = ?1 ORDER BY o.observed_at DESC, o.id DESC LIMIT 1 OFFSET 1",
            )?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    /// Note what the latest observation of an article (a new version or a
    /// revert) edited.
    pub fn mark_edit(&mut self, key: &str, edit: Edit) -> Result<()> {
        self.store
            .conn
            .prepare_cached(
                "UPDATE observations SET edit = ?2 WHERE id =
                   (SELECT o.id FROM observations o JOIN articles a ON a.id = o.article_id
                     WHERE a.key = ?1 ORDER BY o.observed_at DESC, o.id DESC LIMIT 1)
                   AND kind IN ('new', 'revert')",
            )?
            .execute(params![key, edit.as_str()])?;
        Ok(())
    }

    /// The current version of an article and the length of its text.
    pub fn current_version(&self, key: &str) -> Result<Option<Current>> {
        Ok(self
            .store
            .conn
            .prepare_cached(&format!(
                "SELECT v.number, b.size FROM articles a
                   JOIN observations o ON o.article_id = a.id
                   JOIN versions v ON v.id = o.version_id
                   JOIN blobs b ON b.hash = v.text_hash
                 WHERE a.key = ?1 ORDER BY {LATEST_FIRST} LIMIT 1"
            ))?
            .query_row([key], |r| {
                Ok(Current {
                    version: r.get(0)?,
                    bytes: r.get(1)?,
                })
            })
            .optional()?)
    }

    /// The publication date a version's page gave, if it gave one (claims
    /// read relative dates against it).
    pub fn version_published(&self, key: &str, number: i64) -> Result<Option<String>> {
        self.version_field(key, number, "published")
    }

    /// The title a version's page gave, if it gave one (events report a
    /// changed headline).
    pub fn version_title(&self, key: &str, number: i64) -> Result<Option<String>> {
        self.version_field(key, number, "title")
    }

    /// One optional text column of a version (`column` is ours, never input).
    fn version_field(
        &self,
        key: &str,
        number: i64,
        column: &'static str,
    ) -> Result<Option<String>> {
        Ok(self
            .store
            .conn
            .prepare_cached(&format!(
                "SELECT v.{column} FROM versions v JOIN articles a ON a.id = v.article_id
                 WHERE a.key = ?1 AND v.number = ?2"
            ))?
            .query_row(params![key, number], |r| r.get(0))
            .optional()?
            .flatten())
    }

    /// The text of one version (inside the batch: sees what it recorded).
    pub fn version_text(&mut self, key: &str, number: i64) -> Result<String> {
        let hash: Vec<u8> = self
            .store
            .conn
            .prepare_cached(
                "SELECT v.text_hash FROM versions v JOIN articles a ON a.id = v.article_id
                 WHERE a.key = ?1 AND v.number = ?2",
            )?
            .query_row(params![key, number], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::UnknownVersion {
                key: key.to_string(),
                requested: number,
                count: 0,
            })?;
        let hash = to_hash(&hash)?;
        let bytes = read_blob(&self.store.conn, &hash, &mut self.blob_cache)?;
        String::from_utf8(bytes).map_err(|_| StoreError::Blob {
            hash: super::hex(&hash),
            reason: "text is not UTF-8".into(),
        })
    }

    /// Record that an article was seen unchanged without its text (an HTTP
    /// 304): an observation of its current version. False if the article is
    /// unknown. A time before the latest observation (the clock stepped back,
    /// or another writer recorded a later one first) is recorded as that time.
    pub fn observe_unchanged(&mut self, key: &str, at: &str, source: Option<&str>) -> Result<bool> {
        let current: Option<(i64, i64, Vec<u8>, String)> = self
            .store
            .conn
            .prepare_cached(&format!(
                "SELECT o.article_id, o.version_id, v.raw_hash, o.observed_at FROM articles a
                   JOIN observations o ON o.article_id = a.id
                   JOIN versions v ON v.id = o.version_id
                 WHERE a.key = ?1 ORDER BY {LATEST_FIRST} LIMIT 1"
            ))?
            .query_row([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        let Some((article, version, raw, latest)) = current else {
            return Ok(false);
        };
        let at = if at < latest.as_str() {
            latest.as_str()
        } else {
            at
        };
        self.store.conn.execute(
            "INSERT INTO observations (article_id, version_id, observed_at, kind, raw_hash, source)
             VALUES (?1, ?2, ?3, 'unchanged', ?4, ?5)",
            params![article, version, at, raw, source],
        )?;
        Ok(true)
    }
}

impl Batch<'_> {
    /// Note a file of a watched folder: registered if new, made due now if
    /// its signature changed. True if it is new or changed.
    pub fn note_file(
        &mut self,
        source: &str,
        path: &str,
        signature: &str,
        now: &str,
    ) -> Result<bool> {
        let n = self
            .store
            .conn
            .prepare_cached(
                "INSERT INTO watch_items (source, item, kind, discovered_at, next_due, signature)
             VALUES (?1, ?2, 'file', ?3, ?3, ?4)
             ON CONFLICT (source, item) DO UPDATE SET signature = excluded.signature, next_due = ?3
               WHERE signature IS NOT excluded.signature",
            )?
            .execute(params![source, path, now, signature])?;
        Ok(n > 0)
    }
}
