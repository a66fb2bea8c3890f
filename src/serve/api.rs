//! The JSON API: the CLI's JSON contract over HTTP.
//!
//! | endpoint | JSON |
//! |---|---|
//! | `/api/articles` | `track list --format json`'s rows, and `title`, `dir`, `lang`, `changes`, `host`, `claim_changes` |
//! | `/api/articles/{key}` | one such row, and `steps` (every new version and revert, with what it changed) |
//! | `/api/articles/{key}/versions` | `track log KEY --format json` |
//! | `/api/diff?from=REF&to=REF` (or `?ref=REF`) | `track diff --format json` |
//! | `/api/claims?ref=REF` | `track claims --format json` |
//! | `/api/search?q=…` | `track search --format json` |
//! | `/api/changes?since=…` | `track changes --format json` |
//!
//! An unknown key, version or route is 404, a bad parameter 400, both with
//! `{"error": "…"}`.

use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::Utc;
use serde::Serialize;

use super::data::{
    self, ArticleQuery, MAX_CHANGES, MAX_HITS, MAX_KEY_CHARS, MAX_QUERY_CHARS, Params,
};
use super::{AppState, Failure, blocking};
use crate::compare::{self, CompareOptions};
use crate::history;
use crate::search::{self, Query as SearchQuery, Request};
use crate::store::{VersionRef, format_time};
use crate::text::visible::json_safe;

type Q = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// A JSON response (C1 and bidi controls escaped too, as the CLI's JSON).
fn json(status: StatusCode, value: &impl Serialize) -> Response {
    let body = match serde_json::to_string(value) {
        Ok(text) => json_safe(&text).into_owned(),
        Err(e) => {
            return error(Failure::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                e.to_string(),
            ));
        }
    };
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// `{"error": "…"}` with the failure's status.
pub fn error(f: Failure) -> Response {
    json(f.status, &serde_json::json!({ "error": f.message }))
}

fn reply<T: Serialize>(result: Result<T, Failure>) -> Response {
    match result {
        Ok(value) => json(StatusCode::OK, &value),
        Err(f) => error(f),
    }
}

fn key_of(path: Result<Path<String>, PathRejection>) -> Result<String, Failure> {
    let Path(key) = path.map_err(|e| Failure::bad_request(e.body_text()))?;
    if key.chars().count() > MAX_KEY_CHARS {
        return Err(Failure::bad_request("the key is too long"));
    }
    Ok(key)
}

pub async fn articles(State(state): State<Arc<AppState>>, query: Q) -> Response {
    let q = match Params::of(query).and_then(|p| ArticleQuery::from_params(&p, 100)) {
        Ok(q) => q,
        Err(f) => return error(f),
    };
    let result = blocking(&state, move |store| Ok(data::articles(store, &q)?)).await;
    match result {
        Ok((items, total)) => {
            state.warmer.ask(
                items
                    .iter()
                    .filter(|i| i.claim_changes.is_none())
                    .map(|i| i.row.summary.key.clone()),
            );
            let mut response = json(StatusCode::OK, &items);
            response
                .headers_mut()
                .insert("x-total-count", HeaderValue::from(total));
            response
        }
        Err(f) => error(f),
    }
}

/// `/api/articles/{key}`: the article's row and its history.
#[derive(Serialize)]
struct ArticleDetail {
    #[serde(flatten)]
    item: data::ArticleItem,
    steps: Vec<history::Step>,
}

pub async fn article(
    State(state): State<Arc<AppState>>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let key = match key_of(path) {
        Ok(k) => k,
        Err(f) => return error(f),
    };
    reply(
        blocking(&state, move |store| {
            let row = store.article_row(&key)?;
            let steps = history::steps(store, &key, false)?;
            let mut item = data::item(store, row)?;
            item.claim_changes = Some(
                steps
                    .iter()
                    .filter_map(|s| s.summary.as_ref())
                    .map(history::StepSummary::claim_changes)
                    .sum(),
            );
            Ok(ArticleDetail { item, steps })
        })
        .await,
    )
}

pub async fn versions(
    State(state): State<Arc<AppState>>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let key = match key_of(path) {
        Ok(k) => k,
        Err(f) => return error(f),
    };
    reply(blocking(&state, move |store| Ok(history::log_entries(store, &key)?)).await)
}

/// The REFs of a diff: `from` and `to`, or one `ref` (the change that
/// brought its text, as `track diff REF`).
pub(super) fn diff_refs(p: &Params) -> Result<Vec<String>, Failure> {
    let one = p.text("ref", MAX_KEY_CHARS)?;
    let from = p.text("from", MAX_KEY_CHARS)?;
    let to = p.text("to", MAX_KEY_CHARS)?;
    match (one, from, to) {
        (Some(r), None, None) => Ok(vec![r.to_string()]),
        (None, Some(a), Some(b)) => Ok(vec![a.to_string(), b.to_string()]),
        (None, None, Some(b)) => Ok(vec![b.to_string()]),
        _ => Err(Failure::bad_request(
            "give from=REF and to=REF, or ref=REF (REF: KEY, KEY@N, KEY@-1)",
        )),
    }
}

pub async fn diff(State(state): State<Arc<AppState>>, query: Q) -> Response {
    let refs = match Params::of(query).and_then(|p| diff_refs(&p)) {
        Ok(r) => r,
        Err(f) => return error(f),
    };
    reply(
        blocking(&state, move |store| {
            let pair = compare::resolve(store, &refs)?;
            Ok(compare::compare(store, &pair, &CompareOptions::default()))
        })
        .await,
    )
}

pub async fn claims(State(state): State<Arc<AppState>>, query: Q) -> Response {
    let reference = match Params::of(query).and_then(|p| Ok(p.required("ref")?.to_string())) {
        Ok(r) => r,
        Err(f) => return error(f),
    };
    reply(
        blocking(&state, move |store| {
            let version = store.version(&VersionRef::parse(&reference))?;
            let (version, _) = crate::furniture::article_of(store, &version)?;
            let names = compare::Names::Builtin;
            Ok(crate::analysis::claims(
                store,
                &version,
                || names.gazetteer(),
                names.id(),
            ))
        })
        .await,
    )
}

/// A search's parameters, as `track search` takes them.
pub(super) struct SearchParams {
    pub text: String,
    pub query: SearchQuery,
    pub key: Option<String>,
    pub host: Option<String>,
    pub since: Option<chrono::DateTime<Utc>>,
    pub until: Option<chrono::DateTime<Utc>>,
    pub removed: bool,
    pub limit: usize,
}

impl SearchParams {
    /// `None` when there is no query.
    pub fn of(p: &Params) -> Result<Option<SearchParams>, Failure> {
        let Some(text) = p.text("q", MAX_QUERY_CHARS)? else {
            return Ok(None);
        };
        let query =
            SearchQuery::parse(text).map_err(|e| Failure::bad_request(format!("q: {e}")))?;
        let time = |name: &str, end: bool| -> Result<_, Failure> {
            p.text(name, 64)?
                .map(|s| {
                    search::parse_time(s, end, Utc::now())
                        .map_err(|e| Failure::bad_request(format!("{name}: {e}")))
                })
                .transpose()
        };
        Ok(Some(SearchParams {
            text: text.to_string(),
            query,
            key: p.text("key", MAX_KEY_CHARS)?.map(str::to_string),
            host: p.host()?,
            since: time("since", false)?,
            until: time("until", true)?,
            removed: p.flag("removed")?,
            limit: p.number("limit", 50, 1, MAX_HITS)?,
        }))
    }

    pub fn run(&self, store: &crate::store::Store) -> Result<Vec<search::Found>, Failure> {
        Ok(search::search(
            store,
            &Request {
                query: &self.query,
                key: self.key.as_deref(),
                host: self.host.as_deref(),
                since: self.since,
                until: self.until,
                removed: self.removed,
                limit: self.limit,
            },
        )?)
    }
}

pub async fn search(State(state): State<Arc<AppState>>, query: Q) -> Response {
    let params = match Params::of(query).and_then(|p| SearchParams::of(&p)) {
        Ok(Some(s)) => s,
        Ok(None) => return error(Failure::bad_request("q: missing")),
        Err(f) => return error(f),
    };
    reply(blocking(&state, move |store| params.run(store)).await)
}

pub async fn changes(State(state): State<Arc<AppState>>, query: Q) -> Response {
    let parsed = Params::of(query).and_then(|p| {
        let since = match p.text("since", 64)? {
            None => Utc::now() - chrono::Duration::hours(24),
            Some(s) => search::parse_time(s, false, Utc::now())
                .map_err(|e| Failure::bad_request(format!("since: {e}")))?,
        };
        Ok((
            format_time(since),
            p.flag("all")?,
            p.number("limit", 1000, 1, MAX_CHANGES)?,
        ))
    });
    let (since, all, limit) = match parsed {
        Ok(v) => v,
        Err(f) => return error(f),
    };
    reply(
        blocking(&state, move |store| {
            // The newest `limit`, oldest first as `track changes` lists them;
            // only those are classified.
            let mut changes = store.changes(&since)?;
            let cut = changes.len().saturating_sub(limit);
            changes.drain(..cut);
            crate::ingest::classify_edits(store, &mut changes)?;
            if !all {
                changes.retain(|c| !c.edit.is_some_and(|e| e.is_minor()));
            }
            Ok(changes
                .iter()
                .map(crate::store::sources::Change::to_json)
                .collect::<Vec<_>>())
        })
        .await,
    )
}

pub async fn not_found() -> Response {
    error(Failure::not_found(
        "no such endpoint (see /api/articles, /api/diff, /api/claims, /api/search, /api/changes)",
    ))
}
