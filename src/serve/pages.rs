//! The HTML pages: server-rendered (askama, auto-escaping), no script.
//!
//! Every value from a scrape goes through [`vis`] (control and bidi control
//! characters shown as escapes, as in every human output) and then askama's
//! HTML escaping; in the markup it sits in `<bdi>` or in an element with the
//! article's own `dir`, so it cannot reorder what is around it.

use std::sync::Arc;

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::api::{SearchParams, diff_refs};
use super::data::{self, ArticleQuery, MAX_KEY_CHARS, Params, dir_of, href};
use super::{AppState, Failure, blocking};
use crate::compare::{self, CompareOptions};
use crate::history::{self, ClaimNote, Step};
use crate::notify::feed::{self as atom, FeedError, FeedOptions, Scope, is_web_link};
use crate::report::{self, DiffReport, Mode};
use crate::store::browse::ArticleOrder;
use crate::store::{Store, VersionRef};
use crate::text::visible::{visible, visible_line};

type Q = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// Unchanged sentences shown around each change in a diff.
const DIFF_CONTEXT: usize = 3;
/// Articles offered to compare with.
const CANDIDATES: usize = 30;

/// Text from a scrape, for a page: controls shown as escapes.
fn vis(text: &str) -> String {
    visible(text).into_owned()
}

/// One line of text from a scrape (newlines and tabs shown too).
fn vis_line(text: &str) -> String {
    visible_line(text).into_owned()
}

fn html(page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => {
            let mut response = Response::new(body.into());
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            response
        }
        Err(e) => error(Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the page failed: {e}"),
        )),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    title: String,
    status: u16,
    message: String,
}

/// A page saying what went wrong, with the failure's status.
pub fn error(f: Failure) -> Response {
    let page = ErrorPage {
        title: format!(
            "{} {}",
            f.status.as_u16(),
            f.status.canonical_reason().unwrap_or("")
        ),
        status: f.status.as_u16(),
        message: vis(&f.message),
    };
    let mut response = match page.render() {
        Ok(body) => {
            let mut r = Response::new(body.into());
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            r
        }
        Err(_) => Response::new(f.message.into()),
    };
    *response.status_mut() = f.status;
    response
}

fn page<T: Template>(result: Result<T, Failure>) -> Response {
    match result {
        Ok(p) => html(&p),
        Err(f) => error(f),
    }
}

pub async fn not_found() -> Response {
    error(Failure::not_found("no such page"))
}

/// The site's style sheet and the diff report's.
pub async fn style() -> Response {
    let css = format!("{}\n{}", include_str!("style.css"), report::HTML_STYLE);
    let mut response = css.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=3600"),
    );
    response
}

/// An article in a list.
struct ArticleLink {
    href: String,
    title: String,
    /// The key, under the title (empty when the key stands for the title).
    key: String,
    dir: &'static str,
    host: String,
    versions: i64,
    current: String,
    changes: i64,
    claim_changes: String,
    last_changed: String,
}

impl ArticleLink {
    fn of(item: &data::ArticleItem) -> ArticleLink {
        let s = &item.row.summary;
        let title = item.row.title.as_deref().filter(|t| !t.trim().is_empty());
        ArticleLink {
            href: href("/article", &[("key", &s.key)]),
            title: vis_line(title.unwrap_or(&s.key)),
            key: if title.is_some() {
                vis_line(&s.key)
            } else {
                String::new()
            },
            dir: dir_of(item.row.dir.as_deref(), title.unwrap_or("")),
            host: vis_line(item.host.as_deref().unwrap_or("")),
            versions: s.versions,
            current: if s.current == s.versions {
                format!("v{}", s.current)
            } else {
                format!("↩ v{}", s.current)
            },
            changes: item.row.changes,
            claim_changes: item
                .claim_changes
                .map_or_else(|| "…".to_string(), |n| n.to_string()),
            last_changed: s.last_changed.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    title: String,
    host: String,
    source: String,
    by_key: bool,
    rows: Vec<ArticleLink>,
    total: usize,
    first: usize,
    last: usize,
    prev: Option<String>,
    next: Option<String>,
    pending: bool,
    /// The feed of the source filtered on, or the global one.
    feed_href: String,
}

pub async fn list(State(state): State<Arc<AppState>>, query: Q) -> Response {
    let (q, raw_host) = match Params::of(query).and_then(|p| {
        Ok((
            ArticleQuery::from_params(&p, 50)?,
            p.text("host", MAX_KEY_CHARS)?.unwrap_or("").to_string(),
        ))
    }) {
        Ok(v) => v,
        Err(f) => return error(f),
    };
    let query = q.clone();
    let result = blocking(&state, move |store| Ok(data::articles(store, &query)?)).await;
    let (items, total) = match result {
        Ok(v) => v,
        Err(f) => return error(f),
    };
    let pending: Vec<String> = items
        .iter()
        .filter(|i| i.claim_changes.is_none())
        .map(|i| i.row.summary.key.clone())
        .collect();
    let has_pending = !pending.is_empty();
    state.warmer.ask(pending);
    let by_key = q.order == ArticleOrder::Key;
    let link = |offset: usize| {
        let offset = offset.to_string();
        let limit = q.limit.to_string();
        let mut params: Vec<(&str, &str)> = vec![("offset", &offset), ("limit", &limit)];
        if !raw_host.is_empty() {
            params.push(("host", &raw_host));
        }
        if let Some(s) = &q.source {
            params.push(("source", s));
        }
        if by_key {
            params.push(("sort", "key"));
        }
        href("/", &params)
    };
    let shown = items.len();
    html(&ListPage {
        title: "track: articles".into(),
        host: raw_host.clone(),
        source: q.source.clone().unwrap_or_default(),
        by_key,
        rows: items.iter().map(ArticleLink::of).collect(),
        total,
        first: if shown == 0 { 0 } else { q.offset + 1 },
        last: q.offset + shown,
        prev: (q.offset > 0).then(|| link(q.offset.saturating_sub(q.limit))),
        next: (q.offset + shown < total).then(|| link(q.offset + q.limit)),
        pending: has_pending,
        feed_href: match &q.source {
            Some(source) => href("/feed", &[("source", source)]),
            None => "/feed".into(),
        },
    })
}

/// A claim change for a page.
struct ClaimView {
    status: String,
    text: String,
    changes: Vec<SlotView>,
}

struct SlotView {
    what: String,
    from: Option<String>,
    to: Option<String>,
}

impl ClaimView {
    fn of(c: &ClaimNote) -> ClaimView {
        ClaimView {
            status: c.status.clone(),
            text: vis(&c.text),
            changes: c
                .changes
                .iter()
                .map(|s| SlotView {
                    what: vis_line(&s.what),
                    from: s.from.as_deref().map(vis_line),
                    to: s.to.as_deref().map(vis_line),
                })
                .collect(),
        }
    }
}

/// A change of the article's history, for the timeline.
struct StepView {
    at: String,
    label: String,
    class: &'static str,
    headline: Option<(String, String)>,
    counts: String,
    claim_changes: usize,
    claims: Vec<ClaimView>,
    diff_href: Option<String>,
    text_href: String,
}

impl StepView {
    fn of(key: &str, step: &Step) -> StepView {
        let v = step.event.version;
        let (label, class) = match (step.previous, step.event.kind.as_str()) {
            (None, _) => (format!("first version, v{v}"), "new"),
            (Some(p), "revert") => (format!("reverted from v{p} to v{v}"), "revert"),
            (Some(p), _) => (format!("v{p} → v{v}"), "new"),
        };
        let summary = step.summary.as_ref();
        let counts = summary.map_or_else(String::new, |s| {
            let parts: Vec<String> = [
                (s.edited, "edited"),
                (s.added, "added"),
                (s.removed, "removed"),
                (s.moved, "moved"),
            ]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, w)| format!("{n} {w}"))
            .collect();
            if parts.is_empty() {
                "no sentence changed".into()
            } else {
                format!("sentences: {}", parts.join(", "))
            }
        });
        StepView {
            at: step.event.at.clone(),
            label,
            class,
            headline: summary
                .and_then(|s| s.headline.as_ref())
                .map(|h| (vis_line(&h.from), vis_line(&h.to))),
            counts,
            claim_changes: summary.map_or(0, history::StepSummary::claim_changes),
            claims: summary
                .map(|s| s.claims.iter().map(ClaimView::of).collect())
                .unwrap_or_default(),
            diff_href: step.previous.filter(|&p| p != v).map(|p| {
                href(
                    "/diff",
                    &[
                        ("from", &format!("{key}@{p}")),
                        ("to", &format!("{key}@{v}")),
                    ],
                )
            }),
            text_href: href("/version", &[("ref", &format!("{key}@{v}"))]),
        }
    }
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage {
    title: String,
    heading: String,
    dir: &'static str,
    lang: String,
    key: String,
    raw_key: String,
    url: Option<String>,
    url_text: String,
    host: String,
    versions: i64,
    current: i64,
    first_seen: String,
    last_changed: String,
    last_checked: String,
    claim_changes: usize,
    /// Changes of the headline or the claims, newest first.
    claim_steps: Vec<StepView>,
    /// Every change, newest first.
    steps: Vec<StepView>,
    numbers: Vec<i64>,
    feed_href: String,
    compare_href: String,
    api_href: String,
}

pub async fn article(State(state): State<Arc<AppState>>, query: Q) -> Response {
    let key = match Params::of(query).and_then(|p| Ok(p.required("key")?.to_string())) {
        Ok(k) => k,
        Err(f) => return error(f),
    };
    page(
        blocking(&state, move |store| {
            let row = store.article_row(&key)?;
            let steps = history::steps(store, &key, false)?;
            let item = data::item(store, row)?;
            let views: Vec<StepView> = steps.iter().rev().map(|s| StepView::of(&key, s)).collect();
            let s = &item.row.summary;
            let title = item.row.title.as_deref().filter(|t| !t.trim().is_empty());
            // A text scrape declares no direction: the current text's letters give it.
            let dir = match item.row.dir.as_deref() {
                Some(d @ ("rtl" | "ltr")) => dir_of(Some(d), ""),
                _ => dir_of(None, &store.version(&VersionRef::parse(&key))?.text),
            };
            Ok(ArticlePage {
                title: format!("track: {}", vis_line(title.unwrap_or(&key))),
                heading: vis_line(title.unwrap_or(&key)),
                dir,
                lang: item.row.lang.as_deref().map(vis_line).unwrap_or_default(),
                key: vis_line(&key),
                raw_key: key.clone(),
                url: s
                    .url
                    .as_deref()
                    .filter(|u| is_web_link(u))
                    .map(|u| u.trim().to_string()),
                url_text: vis_line(s.url.as_deref().unwrap_or("")),
                host: vis_line(item.host.as_deref().unwrap_or("")),
                versions: s.versions,
                current: s.current,
                first_seen: s.first_seen.clone(),
                last_changed: s.last_changed.clone(),
                last_checked: s.last_checked.clone(),
                claim_changes: views.iter().map(|v| v.claim_changes).sum(),
                claim_steps: steps
                    .iter()
                    .rev()
                    .filter(|s| {
                        s.summary
                            .as_ref()
                            .is_some_and(|s| s.headline.is_some() || !s.claims.is_empty())
                    })
                    .map(|s| StepView::of(&key, s))
                    .collect(),
                steps: views,
                numbers: (1..=s.versions).collect(),
                feed_href: href("/feed", &[("key", &key)]),
                compare_href: href("/compare", &[("a", &key)]),
                api_href: format!(
                    "/api/articles/{}",
                    percent_encoding::utf8_percent_encode(&key, percent_encoding::NON_ALPHANUMERIC)
                ),
            })
        })
        .await,
    )
}

#[derive(Template)]
#[template(path = "version.html")]
struct VersionPage {
    title: String,
    heading: String,
    dir: &'static str,
    lang: String,
    reference: String,
    fetched_at: String,
    paragraphs: Vec<String>,
    hidden: usize,
    article_href: String,
    diff_href: Option<String>,
    claims_href: String,
}

pub async fn version(State(state): State<Arc<AppState>>, query: Q) -> Response {
    let reference = match Params::of(query).and_then(|p| Ok(p.required("ref")?.to_string())) {
        Ok(r) => r,
        Err(f) => return error(f),
    };
    page(
        blocking(&state, move |store| {
            let version = store.version(&VersionRef::parse(&reference))?;
            let (article, hidden) = crate::furniture::article_of(store, &version)?;
            let r = format!("{}@{}", version.key, version.version);
            let title = version.title.as_deref().filter(|t| !t.trim().is_empty());
            Ok(VersionPage {
                title: format!("track: {}", vis_line(&r)),
                heading: vis_line(title.unwrap_or(&version.key)),
                dir: dir_of(version.dir.as_deref(), &article.text),
                lang: version.lang.as_deref().map(vis_line).unwrap_or_default(),
                reference: vis_line(&r),
                fetched_at: version.fetched_at.clone(),
                paragraphs: article
                    .text
                    .split("\n\n")
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(vis)
                    .collect(),
                hidden: hidden.len(),
                article_href: href("/article", &[("key", &version.key)]),
                diff_href: (version.version > 1).then(|| href("/diff", &[("ref", &r)])),
                claims_href: href("/api/claims", &[("ref", &r)]),
            })
        })
        .await,
    )
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    title: String,
    report: String,
    links: Vec<(String, String)>,
}

/// A report embedded in a page, and links back to its articles.
fn report_page(report: &DiffReport) -> ReportPage {
    let mut links = vec![(
        href("/article", &[("key", &report.from.key)]),
        vis_line(&report.from.key),
    )];
    if report.mode == Mode::Articles {
        links.push((
            href("/article", &[("key", &report.to.key)]),
            vis_line(&report.to.key),
        ));
    }
    ReportPage {
        title: format!(
            "track: {} → {}",
            vis_line(&report.from.reference()),
            vis_line(&report.to.reference())
        ),
        report: report::render_html_fragment(report, DIFF_CONTEXT),
        links,
    }
}

fn compare_refs(store: &Store, refs: &[String]) -> Result<DiffReport, Failure> {
    let pair = compare::resolve(store, refs)?;
    Ok(compare::compare(store, &pair, &CompareOptions::default()))
}

pub async fn diff(State(state): State<Arc<AppState>>, query: Q) -> Response {
    let refs = match Params::of(query).and_then(|p| diff_refs(&p)) {
        Ok(r) => r,
        Err(f) => return error(f),
    };
    page(
        blocking(&state, move |store| {
            Ok(report_page(&compare_refs(store, &refs)?))
        })
        .await,
    )
}

/// A search result for a page.
struct HitView {
    article_href: String,
    title: String,
    key: String,
    host: String,
    dir: &'static str,
    /// The sentence in pieces, the matched ones marked.
    parts: Vec<(String, bool)>,
    first_href: String,
    first: String,
    last_href: String,
    last: String,
    present: bool,
    compare_href: Option<String>,
}

impl HitView {
    fn of(f: &crate::search::Found, compare_with: Option<&str>) -> HitView {
        let hit = &f.hit;
        let mut parts = Vec::new();
        let chars: Vec<char> = hit.sentence.chars().collect();
        let mut at = 0;
        for m in &f.marks {
            let (start, end) = (m.start.min(chars.len()), m.end.min(chars.len()));
            if start < at {
                continue;
            }
            parts.push((vis(&chars[at..start].iter().collect::<String>()), false));
            parts.push((vis(&chars[start..end].iter().collect::<String>()), true));
            at = end;
        }
        parts.push((vis(&chars[at..].iter().collect::<String>()), false));
        parts.retain(|(t, _)| !t.is_empty());
        let title = hit.title.as_deref().filter(|t| !t.trim().is_empty());
        let version_href = |n: i64| href("/version", &[("ref", &format!("{}@{n}", hit.key))]);
        HitView {
            article_href: href("/article", &[("key", &hit.key)]),
            title: vis_line(title.unwrap_or(&hit.key)),
            key: if title.is_some() {
                vis_line(&hit.key)
            } else {
                String::new()
            },
            host: vis_line(f.host.as_deref().unwrap_or("")),
            dir: dir_of(None, &hit.sentence),
            parts,
            first_href: version_href(hit.first_seen.version),
            first: format!("v{} {}", hit.first_seen.version, hit.first_seen.fetched_at),
            last_href: version_href(hit.last_seen.version),
            last: format!("v{} {}", hit.last_seen.version, hit.last_seen.fetched_at),
            present: hit.present,
            compare_href: compare_with
                .filter(|a| *a != hit.key)
                .map(|a| href("/compare", &[("a", a), ("b", &hit.key)])),
        }
    }
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    title: String,
    q: String,
    key: String,
    host: String,
    since: String,
    until: String,
    removed: bool,
    limit: usize,
    searched: bool,
    hits: Vec<HitView>,
}

pub async fn search(State(state): State<Arc<AppState>>, query: Q) -> Response {
    let p = match Params::of(query) {
        Ok(p) => p,
        Err(f) => return error(f),
    };
    let field = |name: &str| {
        p.text(name, MAX_KEY_CHARS)
            .ok()
            .flatten()
            .unwrap_or("")
            .to_string()
    };
    let mut view = SearchPage {
        title: "track: search".into(),
        q: field("q"),
        key: field("key"),
        host: field("host"),
        since: field("since"),
        until: field("until"),
        removed: p.flag("removed").unwrap_or(false),
        limit: p.number("limit", 50, 1, data::MAX_HITS).unwrap_or(50),
        searched: false,
        hits: Vec::new(),
    };
    let params = match SearchParams::of(&p) {
        Ok(Some(s)) => s,
        Ok(None) => return html(&view),
        Err(f) => return error(f),
    };
    view.title = format!("track: search {}", vis_line(&params.text));
    let found = match blocking(&state, move |store| params.run(store)).await {
        Ok(found) => found,
        Err(f) => return error(f),
    };
    view.searched = true;
    view.hits = found.iter().map(|f| HitView::of(f, None)).collect();
    html(&view)
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    title: String,
    a: String,
    a_heading: String,
    a_dir: &'static str,
    q: String,
    candidates: Vec<(ArticleLink, String)>,
    hits: Vec<HitView>,
    searched: bool,
}

pub async fn compare(State(state): State<Arc<AppState>>, query: Q) -> Response {
    let p = match Params::of(query) {
        Ok(p) => p,
        Err(f) => return error(f),
    };
    let (a, b) = match (p.text("a", MAX_KEY_CHARS), p.text("b", MAX_KEY_CHARS)) {
        (Ok(a), Ok(b)) => (a.map(str::to_string), b.map(str::to_string)),
        (Err(f), _) | (_, Err(f)) => return error(f),
    };
    if let (Some(a), Some(b)) = (&a, &b) {
        let refs = vec![a.clone(), b.clone()];
        return page(
            blocking(&state, move |store| {
                Ok(report_page(&compare_refs(store, &refs)?))
            })
            .await,
        );
    }
    // Pick the second article: from the latest changed, or by a search.
    let search = match SearchParams::of(&p) {
        Ok(s) => s,
        Err(f) => return error(f),
    };
    let q = search.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    let first = a.or(b);
    page(
        blocking(&state, move |store| {
            let (heading, dir) = match &first {
                Some(key) => {
                    let row = store.article_row(key)?;
                    let title = row.title.as_deref().filter(|t| !t.trim().is_empty());
                    (
                        vis_line(title.unwrap_or(key)),
                        dir_of(row.dir.as_deref(), title.unwrap_or("")),
                    )
                }
                None => (String::new(), "auto"),
            };
            let pick = |other: &str| match &first {
                Some(a) => href("/compare", &[("a", a), ("b", other)]),
                None => href("/compare", &[("a", other)]),
            };
            let (items, _) = data::articles(
                store,
                &ArticleQuery {
                    host: None,
                    source: None,
                    order: ArticleOrder::LastChanged,
                    offset: 0,
                    limit: CANDIDATES + 1,
                },
            )?;
            let candidates = items
                .iter()
                .filter(|i| Some(&i.row.summary.key) != first.as_ref())
                .take(CANDIDATES)
                .map(|i| (ArticleLink::of(i), pick(&i.row.summary.key)))
                .collect();
            let hits = match &search {
                Some(s) => s
                    .run(store)?
                    .iter()
                    .map(|f| {
                        let mut h = HitView::of(f, first.as_deref());
                        if first.is_none() {
                            h.compare_href = Some(pick(&f.hit.key));
                        }
                        h
                    })
                    .collect(),
                None => Vec::new(),
            };
            Ok(ComparePage {
                title: "track: compare two articles".into(),
                a: first.clone().unwrap_or_default(),
                a_heading: heading,
                a_dir: dir,
                q,
                candidates,
                hits,
                searched: search.is_some(),
            })
        })
        .await,
    )
}

/// The Atom feeds: `/feed` (every article), `?source=NAME`, `?key=KEY`.
pub async fn feed(State(state): State<Arc<AppState>>, query: Q) -> Response {
    let scope = match Params::of(query).and_then(|p| {
        Ok(
            match (
                p.text("source", MAX_KEY_CHARS)?,
                p.text("key", MAX_KEY_CHARS)?,
            ) {
                (Some(_), Some(_)) => {
                    return Err(Failure::bad_request("give source or key, not both"));
                }
                (Some(s), None) => Scope::Source(s.to_string()),
                (None, Some(k)) => Scope::Key(k.to_string()),
                (None, None) => Scope::All,
            },
        )
    }) {
        Ok(s) => s,
        Err(f) => return error(f),
    };
    let result = blocking(&state, move |store| {
        atom::feed(store, &FeedOptions::new(scope)).map_err(|e| match e {
            FeedError::Store(e) => Failure::from(e),
            e @ FeedError::UnknownSource(_) => Failure::not_found(e.to_string()),
        })
    })
    .await;
    match result {
        Ok(xml) => {
            let mut response = xml.into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/atom+xml; charset=utf-8"),
            );
            response
        }
        Err(f) => error(f),
    }
}
