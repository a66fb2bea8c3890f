//! Full-text search over every version of every article: a query run over
//! the store's index, its hits marked where the query's words stand. The
//! words indexed and searched are `text::search`'s.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::furniture::host_of;
use crate::store::search::{SearchFilter, SearchHit};
use crate::store::{Store, StoreError, format_time};

pub use crate::text::search::{Query, QueryError};

/// What to search for, and where: `track search`'s arguments.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub query: &'a Query,
    /// Only this article.
    pub key: Option<&'a str>,
    /// Only articles whose URL is on this host (see `furniture::host_of`).
    pub host: Option<&'a str>,
    /// Only sentences still there at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only sentences that had appeared by this time.
    pub until: Option<DateTime<Utc>>,
    /// Only sentences the current version no longer has.
    pub removed: bool,
    pub limit: usize,
}

/// A hit as `track search --format json` gives it.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    #[serde(flatten)]
    pub hit: SearchHit,
    pub host: Option<String>,
    /// The words that matched, as character offsets into `sentence`.
    pub marks: Vec<Mark>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Run a search: the hits, most recently seen first, with their marks.
pub fn search(store: &Store, request: &Request<'_>) -> Result<Vec<Found>, StoreError> {
    let articles: Option<Vec<i64>> = match request.host {
        Some(host) => Some(
            store
                .article_urls()?
                .into_iter()
                .filter(|(_, url)| url.as_deref().and_then(host_of).as_deref() == Some(host))
                .map(|(id, _)| id)
                .collect(),
        ),
        None => None,
    };
    let since = request.since.map(format_time);
    let until = request.until.map(format_time);
    let hits = store.search(&SearchFilter {
        query: request.query,
        key: request.key,
        articles: articles.as_deref(),
        since: since.as_deref(),
        until: until.as_deref(),
        removed: request.removed,
        limit: request.limit,
    })?;
    Ok(hits
        .into_iter()
        .map(|hit| {
            let marks = request
                .query
                .marks(&hit.sentence)
                .into_iter()
                .map(|r| Mark {
                    start: hit.sentence[..r.start].chars().count(),
                    end: hit.sentence[..r.end].chars().count(),
                    text: hit.sentence[r].to_string(),
                })
                .collect();
            Found {
                host: hit.url.as_deref().and_then(host_of),
                hit,
                marks,
            }
        })
        .collect())
}

/// A time bound of a search: RFC 3339, a date (its start, or with
/// `end_of_day` its end), or a duration before `now` (`7d`).
pub fn parse_time(s: &str, end_of_day: bool, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let t = if end_of_day {
            d.and_hms_opt(23, 59, 59)
        } else {
            d.and_hms_opt(0, 0, 0)
        };
        return t
            .map(|t| t.and_utc())
            .ok_or_else(|| "not a time".to_string());
    }
    match crate::watch::schedule::parse_duration(s) {
        Ok(ago) => {
            let ago = chrono::Duration::from_std(ago).unwrap_or(chrono::Duration::MAX);
            Ok(now
                .checked_sub_signed(ago)
                .unwrap_or(DateTime::<Utc>::MIN_UTC))
        }
        Err(_) => Err(
            "not a time: give RFC 3339 (2025-12-25T10:00:00Z), a date (2025-12-25) or a duration (7d)"
                .into(),
        ),
    }
}
