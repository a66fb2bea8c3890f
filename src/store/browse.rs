//! Reading the store a page at a time, for `track serve`: articles ordered
//! by their last change (newest first, off the index of changes) or by key,
//! filtered by a set of article ids, without reading every article.

use std::collections::HashSet;

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{ArticleSummary, LATEST_FIRST, Result, Store, StoreError};

/// An article as `track serve` lists it: `track list`'s row, the current
/// version's title and direction, and how many times its text changed.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleRow {
    #[serde(flatten)]
    pub summary: ArticleSummary,
    /// The current version's title, direction and language.
    pub title: Option<String>,
    pub dir: Option<String>,
    pub lang: Option<String>,
    /// New versions and reverts after the first version.
    pub changes: i64,
    #[serde(skip)]
    pub id: i64,
}

/// The order of a page of articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleOrder {
    /// The latest change (new version or revert) first.
    LastChanged,
    /// By key.
    Key,
}

impl Store {
    /// How many articles the store holds.
    pub fn article_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))?)
    }

    /// The articles of one `[[source]]` (those its items recorded
    /// themselves, as its feed lists them).
    pub fn source_articles(&self, name: &str) -> Result<HashSet<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id FROM articles a JOIN watch_items w ON w.key = a.key
             WHERE w.source = ?1 AND w.owner IS NULL",
        )?;
        let rows = stmt.query_map([name], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Up to `limit` articles in `order` after skipping `offset`, only those
    /// in `only` when it is given.
    pub fn article_rows(
        &self,
        order: ArticleOrder,
        only: Option<&HashSet<i64>>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ArticleRow>> {
        let mut ids: Vec<i64> = Vec::with_capacity(limit);
        let mut skipped = 0;
        let mut take = |id: i64| -> bool {
            if only.is_some_and(|set| !set.contains(&id)) {
                return true;
            }
            if skipped < offset {
                skipped += 1;
                return true;
            }
            ids.push(id);
            ids.len() < limit
        };
        if limit > 0 {
            match order {
                ArticleOrder::LastChanged => {
                    // Newest change first off the partial index of changes;
                    // an article counts at its latest one.
                    let mut seen = HashSet::new();
                    let mut stmt = self.conn.prepare_cached(&format!(
                        "SELECT o.article_id FROM observations o
                         WHERE o.kind IN ('new', 'revert') ORDER BY {LATEST_FIRST}"
                    ))?;
                    let mut rows = stmt.query([])?;
                    while let Some(row) = rows.next()? {
                        let id: i64 = row.get(0)?;
                        if seen.insert(id) && !take(id) {
                            break;
                        }
                    }
                }
                ArticleOrder::Key => {
                    let mut stmt = self
                        .conn
                        .prepare_cached("SELECT id FROM articles ORDER BY key")?;
                    let mut rows = stmt.query([])?;
                    while let Some(row) = rows.next()? {
                        if !take(row.get(0)?) {
                            break;
                        }
                    }
                }
            }
        }
        ids.into_iter()
            .map(|id| self.article_row_by_id(id))
            .collect()
    }

    /// One article's row, by key.
    pub fn article_row(&self, key: &str) -> Result<ArticleRow> {
        let id = self.article_id(key)?;
        self.article_row_by_id(id)
    }

    fn article_row_by_id(&self, id: i64) -> Result<ArticleRow> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT a.key, a.url,
                    (SELECT count(*) FROM versions v WHERE v.article_id = a.id),
                    (SELECT o.version_id FROM observations o
                      WHERE o.article_id = a.id ORDER BY {LATEST_FIRST} LIMIT 1),
                    (SELECT min(observed_at) FROM observations o WHERE o.article_id = a.id),
                    (SELECT max(observed_at) FROM observations o
                      WHERE o.article_id = a.id AND o.kind IN ('new', 'revert')),
                    (SELECT max(observed_at) FROM observations o WHERE o.article_id = a.id),
                    (SELECT count(*) FROM observations o
                      WHERE o.article_id = a.id AND o.kind IN ('new', 'revert'))
             FROM articles a WHERE a.id = ?1"
        ))?;
        let row = stmt
            .query_row([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, i64>(7)?,
                ))
            })
            .optional()?
            .ok_or_else(|| StoreError::UnknownArticle(format!("#{id}")))?;
        let (key, url, versions, current_id, first, changed, checked, changes) = row;
        // The current version: the latest observation's (after a revert, an
        // older one); an article never observed, its last.
        let current = match current_id {
            Some(vid) => self
                .conn
                .prepare_cached("SELECT number, title, dir, lang FROM versions WHERE id = ?1")?
                .query_row([vid], current_of)
                .optional()?,
            None => self
                .conn
                .prepare_cached(
                    "SELECT number, title, dir, lang FROM versions
                     WHERE article_id = ?1 AND number = ?2",
                )?
                .query_row(params![id, versions], current_of)
                .optional()?,
        };
        let (number, title, dir, lang) = current.unwrap_or((versions, None, None, None));
        Ok(ArticleRow {
            summary: ArticleSummary {
                key,
                url,
                versions,
                current: number,
                first_seen: first.unwrap_or_default(),
                last_changed: changed.unwrap_or_default(),
                last_checked: checked.unwrap_or_default(),
            },
            title,
            dir,
            lang,
            changes: (changes - 1).max(0),
            id,
        })
    }
}

type Current = (i64, Option<String>, Option<String>, Option<String>);

fn current_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Current> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}
