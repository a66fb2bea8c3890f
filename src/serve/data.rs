//! What the API and the pages both read: query parameters, pages of
//! articles with their counts, and the warmer that computes claim-change
//! counts in the background.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use serde::Serialize;

use super::Failure;
use super::pool::Pool;
use crate::furniture::{host_of, host_of_argument};
use crate::history;
use crate::store::browse::{ArticleOrder, ArticleRow};
use crate::store::{Store, StoreError};

/// Characters of a search query at most.
pub const MAX_QUERY_CHARS: usize = 256;
/// Characters of a key, a REF, a host or a source name at most.
pub const MAX_KEY_CHARS: usize = 2048;
/// Articles of a page at most.
pub const MAX_ARTICLES: usize = 500;
/// Search results at most.
pub const MAX_HITS: usize = 500;
/// Changes at most.
pub const MAX_CHANGES: usize = 5000;

/// A request's query parameters (the last of a repeated one wins).
pub struct Params(HashMap<String, String>);

impl Params {
    pub fn of(
        query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    ) -> Result<Params, Failure> {
        let Query(pairs) = query.map_err(|e| Failure::bad_request(e.body_text()))?;
        Ok(Params(pairs.into_iter().collect()))
    }

    /// A non-empty parameter, at most `max` characters.
    pub fn text(&self, name: &str, max: usize) -> Result<Option<&str>, Failure> {
        match self.0.get(name).map(|v| v.trim()) {
            None | Some("") => Ok(None),
            Some(v) if v.chars().count() > max => Err(Failure::bad_request(format!(
                "{name}: longer than {max} characters"
            ))),
            Some(v) => Ok(Some(v)),
        }
    }

    /// A key or REF parameter that must be there.
    pub fn required(&self, name: &str) -> Result<&str, Failure> {
        self.text(name, MAX_KEY_CHARS)?
            .ok_or_else(|| Failure::bad_request(format!("{name}: missing")))
    }

    /// A whole number from `min` to `max`, `default` when absent.
    pub fn number(
        &self,
        name: &str,
        default: usize,
        min: usize,
        max: usize,
    ) -> Result<usize, Failure> {
        match self.text(name, 20)? {
            None => Ok(default),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n),
                _ => Err(Failure::bad_request(format!(
                    "{name}: give a whole number from {min} to {max}"
                ))),
            },
        }
    }

    /// A yes/no parameter (`1`, `true`, `on`, `yes`).
    pub fn flag(&self, name: &str) -> Result<bool, Failure> {
        match self.text(name, 10)? {
            None => Ok(false),
            Some(v) => match v.to_ascii_lowercase().as_str() {
                "1" | "true" | "on" | "yes" => Ok(true),
                "0" | "false" | "off" | "no" => Ok(false),
                _ => Err(Failure::bad_request(format!("{name}: give true or false"))),
            },
        }
    }

    /// A host filter: a host or a URL.
    pub fn host(&self) -> Result<Option<String>, Failure> {
        match self.text("host", MAX_KEY_CHARS)? {
            None => Ok(None),
            Some(arg) => host_of_argument(arg)
                .map(Some)
                .ok_or_else(|| Failure::bad_request("host: not a host")),
        }
    }
}

/// Which articles, in what order.
#[derive(Debug, Clone)]
pub struct ArticleQuery {
    pub host: Option<String>,
    pub source: Option<String>,
    pub order: ArticleOrder,
    pub offset: usize,
    pub limit: usize,
}

impl ArticleQuery {
    /// `limit` defaults to `default_limit`.
    pub fn from_params(p: &Params, default_limit: usize) -> Result<ArticleQuery, Failure> {
        let order = match p.text("sort", 20)? {
            None | Some("last_changed") => ArticleOrder::LastChanged,
            Some("key") => ArticleOrder::Key,
            Some(_) => return Err(Failure::bad_request("sort: last_changed or key")),
        };
        Ok(ArticleQuery {
            host: p.host()?,
            source: p.text("source", MAX_KEY_CHARS)?.map(str::to_string),
            order,
            offset: p.number("offset", 0, 0, 10_000_000)?,
            limit: p.number("limit", default_limit, 1, MAX_ARTICLES)?,
        })
    }
}

/// An article as `/api/articles` lists it: `track list --format json`'s
/// fields, and more.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleItem {
    #[serde(flatten)]
    pub row: ArticleRow,
    pub host: Option<String>,
    /// Claim changes of substance (changed, added, removed) over the
    /// article's history; `null` while they are being computed.
    pub claim_changes: Option<usize>,
}

/// A page of articles, and how many articles match in all.
pub fn articles(store: &Store, q: &ArticleQuery) -> Result<(Vec<ArticleItem>, usize), StoreError> {
    let mut only: Option<HashSet<i64>> = None;
    if let Some(host) = &q.host {
        only = Some(
            store
                .article_urls()?
                .into_iter()
                .filter(|(_, url)| url.as_deref().and_then(host_of).as_ref() == Some(host))
                .map(|(id, _)| id)
                .collect(),
        );
    }
    if let Some(source) = &q.source {
        let of_source = store.source_articles(source)?;
        only = Some(match only {
            Some(set) => set.intersection(&of_source).copied().collect(),
            None => of_source,
        });
    }
    let total = match &only {
        Some(set) => set.len(),
        None => usize::try_from(store.article_count()?).unwrap_or(0),
    };
    let rows = store.article_rows(q.order, only.as_ref(), q.offset, q.limit)?;
    let items = rows
        .into_iter()
        .map(|row| item(store, row))
        .collect::<Result<_, _>>()?;
    Ok((items, total))
}

/// An article's row with its host and cached claim-change count.
pub fn item(store: &Store, row: ArticleRow) -> Result<ArticleItem, StoreError> {
    let claim_changes = if row.changes == 0 {
        Some(0)
    } else {
        history::cached_claim_changes(store, &row.summary.key)?
    };
    Ok(ArticleItem {
        host: row.summary.url.as_deref().and_then(host_of),
        claim_changes,
        row,
    })
}

/// Computes the claim changes of articles a page listed before they were
/// known, one at a time on a thread of its own (cached in the store, so the
/// next page shows them).
pub struct Warmer {
    queue: SyncSender<String>,
    queued: Arc<Mutex<HashSet<String>>>,
}

impl Warmer {
    pub fn start(pool: Arc<Pool>) -> Warmer {
        let (queue, keys) = sync_channel::<String>(1024);
        let queued = Arc::new(Mutex::new(HashSet::new()));
        let done = Arc::clone(&queued);
        std::thread::Builder::new()
            .name("track-serve-warmer".into())
            .spawn(move || warm(&pool, &keys, &done))
            .ok();
        Warmer { queue, queued }
    }

    /// Compute these articles' counts soon (those not queued already).
    pub fn ask(&self, keys: impl IntoIterator<Item = String>) {
        let Ok(mut queued) = self.queued.lock() else {
            return;
        };
        for key in keys {
            if !queued.contains(&key) && self.queue.try_send(key.clone()).is_ok() {
                queued.insert(key);
            }
        }
    }
}

fn warm(pool: &Pool, keys: &Receiver<String>, queued: &Mutex<HashSet<String>>) {
    while let Ok(key) = keys.recv() {
        if let Ok(store) = pool.get() {
            let _ = history::steps(&store, &key, false);
        }
        if let Ok(mut q) = queued.lock() {
            q.remove(&key);
        }
    }
}

/// The direction to lay an article's text out in: the one it declares, else
/// that of most of its letters.
pub fn dir_of(declared: Option<&str>, sample: &str) -> &'static str {
    match declared {
        Some("rtl") => return "rtl",
        Some("ltr") => return "ltr",
        _ => {}
    }
    let (mut rtl, mut ltr) = (0usize, 0usize);
    for c in sample.chars().take(2000) {
        if crate::report::is_rtl_letter(c) {
            rtl += 1;
        } else if c.is_alphabetic() {
            ltr += 1;
        }
    }
    if rtl > ltr { "rtl" } else { "ltr" }
}

/// A link to one of the server's pages with query parameters.
pub fn href(path: &str, params: &[(&str, &str)]) -> String {
    if params.is_empty() {
        return path.to_string();
    }
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    format!("{path}?{query}")
}
