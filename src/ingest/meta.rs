//! Page metadata read from the whole page: published and modified times, the
//! byline, and what a byline must not be.
//!
//! dom_smoothie reads the common meta tags and a flat JSON-LD object; news
//! sites also put their dates in `@graph` arrays, in microdata and in
//! `<time>` elements, and its byline heuristics pick up glued dates
//! (`Carrie ArnoldNovember 15, 2019`), comment-form labels (`Nama (wajib)`)
//! and section names. Everything here reads the parsed page before
//! readability rewrites it, and is bounded: a hostile page costs at most a
//! few thousand element visits more.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use dom_query::{Document, NodeRef};
use regex::Regex;
use serde_json::Value;

use crate::claims::Slot;

/// JSON-LD blocks read per page, and the bytes of one block, at most.
const MAX_LD_BLOCKS: usize = 32;
const MAX_LD_BYTES: usize = 1 << 20;
/// JSON-LD nodes (objects with a type) looked at per page, at most.
const MAX_LD_NODES: usize = 2_000;
/// Elements of one kind (meta, time, label, link) looked at, at most.
const MAX_ELEMENTS_OF_A_KIND: usize = 2_000;
/// Ancestors looked at to place a `<time>` (article or page furniture).
const MAX_ANCESTORS: usize = 24;
/// Authors taken from JSON-LD, at most.
const MAX_AUTHORS: usize = 8;
/// A byline longer than this is a sentence or a bio, not a byline.
const MAX_BYLINE_CHARS: usize = 120;

/// What the page says about itself, beyond what readability reads.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageMeta {
    /// ISO 8601 (RFC 3339 when the page gives a time and zone).
    pub published: Option<String>,
    pub modified: Option<String>,
    /// Authors named as people in the article's JSON-LD.
    pub ld_people: Option<String>,
    /// Authors named as organisations in the article's JSON-LD.
    pub ld_organizations: Option<String>,
    /// The article's headline in JSON-LD: the core of a `<title>` that adds
    /// the site's name.
    pub headline: Option<String>,
    /// The publisher's or web site's name in JSON-LD.
    pub site_name: Option<String>,
    /// Texts a byline must not be: the article's section names, navigation
    /// and category links, form labels.
    pub not_bylines: Vec<String>,
}

impl PageMeta {
    /// Read the page's dates and author hints. `readability_dates` are what
    /// dom_smoothie found (published, modified), used after our own sources.
    pub fn read(doc: &Document) -> PageMeta {
        let ld = JsonLd::read(doc);
        let metas = meta_tags(doc);
        let times = TimeHints::read(doc);
        let from_meta = |keys: &[&str]| {
            keys.iter()
                .filter_map(|k| metas.get(*k))
                .find_map(|v| normalize_date(v))
        };
        let published = ld
            .published
            .clone()
            .or_else(|| from_meta(PUBLISHED_KEYS))
            .or_else(|| times.published.clone());
        let modified = ld
            .modified
            .clone()
            .or_else(|| from_meta(MODIFIED_KEYS))
            .or_else(|| times.modified.clone());
        let mut not_bylines = ld.sections.clone();
        for key in SECTION_KEYS {
            if let Some(v) = metas.get(*key) {
                not_bylines.push(v.clone());
            }
        }
        not_bylines.extend(structural_non_bylines(doc));
        PageMeta {
            published,
            modified,
            ld_people: ld.people,
            ld_organizations: ld.organizations,
            headline: ld.headline,
            site_name: ld.site_name,
            not_bylines,
        }
        .with_position_fallback(times)
    }

    /// The first undated-by-hint `<time>` of the article as published (and a
    /// later sibling as modified), when nothing better named them.
    fn with_position_fallback(mut self, times: TimeHints) -> PageMeta {
        self.published = self.published.or(times.first);
        self.modified = self.modified.or(times.second);
        self.drop_modified_before_published();
        self
    }

    /// An update before the publication is two sources disagreeing (a CMS
    /// stamping both at once a second apart, a stale tag): the update is
    /// the one not to trust.
    fn drop_modified_before_published(&mut self) {
        let instant = |s: &Option<String>| DateTime::parse_from_rfc3339(s.as_deref()?).ok();
        if let (Some(p), Some(m)) = (instant(&self.published), instant(&self.modified))
            && m < p
        {
            self.modified = None;
        }
    }

    /// Combine with what readability found: ours first, theirs when we found
    /// nothing (their sources are a subset of ours, but a later version may
    /// know more).
    pub fn merge_readability(&mut self, published: Option<&str>, modified: Option<&str>) {
        if self.published.is_none() {
            self.published = published.and_then(normalize_date);
        }
        if self.modified.is_none() {
            self.modified = modified.and_then(normalize_date);
        }
        self.drop_modified_before_published();
    }

    /// The article's byline: people named in JSON-LD, else readability's
    /// byline, else organisations named in JSON-LD; each cleaned, and the
    /// first that survives cleaning wins. Only readability's guess, taken
    /// from the page's markup, is checked against the page's navigation,
    /// section and form texts: JSON-LD names its authors as authors.
    pub fn byline(&self, readability: Option<&str>) -> Option<String> {
        let ld = |b: Option<&str>| b.and_then(|b| clean_byline(b, &[]));
        ld(self.ld_people.as_deref())
            .or_else(|| readability.and_then(|b| clean_byline(b, &self.not_bylines)))
            .or_else(|| ld(self.ld_organizations.as_deref()))
    }
}

// ---------------------------------------------------------------- dates

/// Meta keys (lower-cased `property`, `name` or `itemprop`) that carry the
/// publication time, best first.
const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "article:published",
    "og:article:published_time",
    "datepublished",
    "published_time",
    "og:published_time",
    "og:pubdate",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "article.published",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.available",
    "parsely-pub-date",
    "sailthru.date",
    "cxenseparse:recs:publishtime",
    "dc.date",
    "dcterms.date",
    "date",
    "dcterms.created",
    "dc.date.created",
    "datecreated",
];

/// Meta keys that carry the time of the last update, best first.
const MODIFIED_KEYS: &[&str] = &[
    "article:modified_time",
    "article:modified",
    "og:article:modified_time",
    "og:updated_time",
    "datemodified",
    "modified_time",
    "article.updated",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
    "lastmod",
    "parsely-updated",
    "cxenseparse:recs:updatetime",
];

/// Meta keys naming the article's section.
const SECTION_KEYS: &[&str] = &["article:section", "section", "parsely-section", "category"];

/// `meta` elements' content by lower-cased key (`property`, `name`,
/// `itemprop` tokens, `http-equiv`); the first of each key wins.
fn meta_tags(doc: &Document) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for node in doc
        .select("meta[content]")
        .nodes()
        .iter()
        .take(MAX_ELEMENTS_OF_A_KIND)
    {
        let Some(content) = node.attr("content") else {
            continue;
        };
        let content = content.trim();
        if content.is_empty() {
            continue;
        }
        for attr in ["property", "name", "itemprop", "http-equiv"] {
            let Some(keys) = node.attr(attr) else {
                continue;
            };
            for key in keys.split_whitespace() {
                out.entry(key.to_ascii_lowercase())
                    .or_insert_with(|| content.to_string());
            }
        }
    }
    out
}

/// A date or time as a page gives it, made ISO 8601: RFC 3339 when it has a
/// zone (kept as written when it already is RFC 3339), `YYYY-MM-DDTHH:MM:SS`
/// without one, `YYYY-MM-DD` for a day. Text dates (`Feb 16, 2018`,
/// `25 ديسمبر 2025`) give the day. `None` for anything that is not a date
/// between 1990 and 2100 (placeholders such as `0001-01-01`, templates).
pub fn normalize_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    let plausible = |d: NaiveDate| (1990..=2100).contains(&chrono::Datelike::year(&d));
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        // Kept as written, unless written with a space for the `T`.
        let written = s
            .as_bytes()
            .get(10)
            .is_some_and(|&b| b == b'T' || b == b't');
        return plausible(t.date_naive()).then(|| {
            if written {
                s.to_string()
            } else {
                t.to_rfc3339()
            }
        });
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%dT%H:%M:%S%.f %z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, fmt) {
            return plausible(t.date_naive()).then(|| t.to_rfc3339());
        }
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return plausible(t.date_naive()).then(|| t.to_rfc3339());
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return plausible(t.date()).then(|| t.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return plausible(d).then(|| d.format("%Y-%m-%d").to_string());
        }
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return match s.len() {
            8 => NaiveDate::parse_from_str(s, "%Y%m%d")
                .ok()
                .filter(|d| plausible(*d))
                .map(|d| d.format("%Y-%m-%d").to_string()),
            // Unix time, in seconds or milliseconds.
            10 | 13 => {
                let n: i64 = s.parse().ok()?;
                let secs = if s.len() == 13 { n / 1000 } else { n };
                let t = Utc.timestamp_opt(secs, 0).single()?;
                plausible(t.date_naive()).then(|| t.to_rfc3339())
            }
            _ => None,
        };
    }
    // An ISO day followed by something chrono does not read (`2019-11-18
    // 10:15:00 EST`): the day is still right.
    if let Some(day) = s.get(..10)
        && let Ok(d) = NaiveDate::parse_from_str(day, "%Y-%m-%d")
        && !s[10..].starts_with(|c: char| c.is_ascii_digit())
    {
        return plausible(d).then(|| day.to_string());
    }
    text_date(s)
}

/// The first full day a text names (`Fri 6:45 PM, Feb 16, 2018`,
/// `الأربعاء 25 ديسمبر 2025`), read by the claims' date reader.
fn text_date(s: &str) -> Option<String> {
    if !s
        .chars()
        .any(|c| c.is_ascii_digit() || ('٠'..='٩').contains(&c))
    {
        return None;
    }
    crate::claims::date::find_dates(s, None)
        .into_iter()
        .find_map(|slot| match slot {
            Slot::Date { value, .. } => NaiveDate::parse_from_str(&value, "%Y-%m-%d")
                .ok()
                .filter(|d| (1990..=2100).contains(&chrono::Datelike::year(d)))
                .map(|_| value),
            _ => None,
        })
}

// ---------------------------------------------------------------- JSON-LD

/// What the page's JSON-LD says about its article.
#[derive(Debug, Default)]
struct JsonLd {
    published: Option<String>,
    modified: Option<String>,
    people: Option<String>,
    organizations: Option<String>,
    sections: Vec<String>,
    headline: Option<String>,
    site_name: Option<String>,
}

/// schema.org types of an article (CreativeWork subtypes news sites use).
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "ReportageNews",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "ReviewNewsArticle",
    "BackgroundNewsArticle",
    "AskPublicNewsArticle",
    "SatiricalArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "SocialMediaPosting",
    "TechArticle",
    "ScholarlyArticle",
    "Report",
];

/// Types whose dates are not the article's (the site, a picture, a person).
const NOT_ARTICLE_TYPES: &[&str] = &[
    "Organization",
    "NewsMediaOrganization",
    "Corporation",
    "Person",
    "WebSite",
    "ImageObject",
    "VideoObject",
    "AudioObject",
    "MediaObject",
    "BreadcrumbList",
    "ListItem",
    "ItemList",
    "SiteNavigationElement",
    "Comment",
    "Question",
    "Answer",
    "Offer",
    "Product",
    "Event",
    "Place",
    "SearchAction",
];

impl JsonLd {
    fn read(doc: &Document) -> JsonLd {
        let mut nodes: Vec<Value> = Vec::new();
        for script in doc
            .select("script[type]")
            .nodes()
            .iter()
            .filter(|n| {
                n.attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
            })
            .take(MAX_LD_BLOCKS)
        {
            let text = script.text();
            if text.len() > MAX_LD_BYTES {
                continue;
            }
            // A block that is not JSON even after the usual repairs is ignored.
            if let Some(value) = parse_lenient(&text) {
                collect_nodes(value, &mut nodes, 0);
            }
            if nodes.len() >= MAX_LD_NODES {
                break;
            }
        }
        nodes.truncate(MAX_LD_NODES);
        let by_id: HashMap<&str, &Value> = nodes
            .iter()
            .filter_map(|n| Some((n.get("@id")?.as_str()?, n)))
            .collect();
        let articles: Vec<&Value> = nodes
            .iter()
            .filter(|n| has_type(n, ARTICLE_TYPES))
            .collect();
        // The article: the first article-typed node with a date; else any
        // typed node with a publication date that is not the site's, a
        // picture's or a person's (WebPage, ClaimReview, MedicalWebPage…).
        let main = articles
            .iter()
            .find(|n| n.get("datePublished").is_some())
            .or(articles.first())
            .copied();
        let dated = nodes.iter().find(|n| {
            n.get("datePublished").is_some() && !has_type(n, NOT_ARTICLE_TYPES) && n.is_object()
        });
        let date = |node: Option<&Value>, key: &str| {
            node.and_then(|n| first_string(n.get(key)?))
                .and_then(normalize_date)
        };
        let published = date(main, "datePublished")
            .or_else(|| date(dated, "datePublished"))
            .or_else(|| date(main, "dateCreated"));
        let modified = date(main, "dateModified").or_else(|| date(dated, "dateModified"));
        let name_of = |n: &Value| n.get("name").and_then(first_string).map(collapse);
        let site_name = main
            .and_then(|m| m.get("publisher"))
            .and_then(|p| match p.get("@id").and_then(Value::as_str) {
                Some(id) if p.get("name").is_none() => by_id.get(id).copied(),
                _ => Some(p),
            })
            .and_then(name_of)
            .or_else(|| {
                nodes
                    .iter()
                    .find(|n| has_type(n, &["WebSite"]))
                    .and_then(name_of)
            })
            .filter(|n| !n.is_empty());
        let mut out = JsonLd {
            published,
            modified,
            site_name,
            headline: main
                .and_then(|m| m.get("headline"))
                .and_then(first_string)
                .map(collapse)
                .filter(|h| !h.is_empty()),
            ..JsonLd::default()
        };
        let Some(main) = main.or(dated) else {
            return out;
        };
        let (mut people, mut organizations) = (Vec::new(), Vec::new());
        for author in ["author", "creator"]
            .iter()
            .filter_map(|k| main.get(*k))
            .take(1)
            .flat_map(as_list)
            .take(MAX_AUTHORS)
        {
            let author = match author.get("@id").and_then(Value::as_str) {
                Some(id) if author.get("name").is_none() => {
                    by_id.get(id).copied().unwrap_or(author)
                }
                _ => author,
            };
            let (name, person) = match author {
                Value::String(s) => (s.as_str(), true),
                Value::Object(_) => match author.get("name").and_then(first_string) {
                    Some(name) => (
                        name,
                        !has_type(
                            author,
                            &["Organization", "NewsMediaOrganization", "Corporation"],
                        ),
                    ),
                    None => continue,
                },
                _ => continue,
            };
            let name = collapse(name);
            if !plausible_name(&name) {
                continue;
            }
            let list = if person {
                &mut people
            } else {
                &mut organizations
            };
            if !list.contains(&name) {
                list.push(name);
            }
        }
        let join = |v: Vec<String>| (!v.is_empty()).then(|| v.join(", "));
        out.people = join(people);
        out.organizations = join(organizations);
        if let Some(section) = main.get("articleSection") {
            out.sections = as_list(section)
                .filter_map(Value::as_str)
                .map(collapse)
                .take(16)
                .collect();
        }
        out
    }
}

/// A JSON-LD author's name that is a name: has a letter, is not a URL, and
/// is not an opaque id (`tm-ci023cf8ae400125f5`, `3886`).
fn plausible_name(name: &str) -> bool {
    let digits = name.chars().filter(char::is_ascii_digit).count();
    name.chars().any(char::is_alphabetic)
        && !name.contains("://")
        && (digits < 3 || name.contains(' '))
}

/// Parse a JSON-LD block, repairing what CMSs commonly break: HTML comment
/// or CDATA wrappers, raw line breaks and tabs inside strings, trailing
/// commas. `None` when it still is not JSON.
fn parse_lenient(text: &str) -> Option<Value> {
    if let Ok(v) = serde_json::from_str(text) {
        return Some(v);
    }
    static WRAPPER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?s)^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")
            .expect("valid regex")
    });
    static TRAILING_COMMA: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r",(\s*[}\]])").expect("valid regex"));
    let unwrapped = WRAPPER.replace_all(text, "");
    // Raw control characters are never valid in JSON; outside strings they
    // are whitespace, inside they were meant as spaces.
    let spaced: String = unwrapped
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let repaired = TRAILING_COMMA.replace_all(&spaced, "$1");
    serde_json::from_str(&repaired).ok()
}

/// Gather typed nodes: the value itself, array members, `@graph` members,
/// and the article a page names as its main entity.
fn collect_nodes(value: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 3 || out.len() >= MAX_LD_NODES {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                collect_nodes(item, out, depth + 1);
            }
        }
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                collect_nodes(graph, out, depth + 1);
            }
            for key in ["mainEntity", "mainEntityOfPage"] {
                if let Some(entity) = map.get(key)
                    && entity.get("@type").is_some()
                {
                    collect_nodes(entity.clone(), out, depth + 1);
                }
            }
            if map.contains_key("@type") {
                out.push(Value::Object(map));
            }
        }
        _ => {}
    }
}

/// Whether a node's `@type` (a string or a list; `schema:` or URL prefixes
/// allowed) is one of `types`.
fn has_type(node: &Value, types: &[&str]) -> bool {
    let Some(t) = node.get("@type") else {
        return false;
    };
    as_list(t).filter_map(Value::as_str).any(|t| {
        let t = t.rsplit(['/', ':']).next().unwrap_or(t);
        types.iter().any(|x| x.eq_ignore_ascii_case(t))
    })
}

/// A value, or each member of an array.
fn as_list(v: &Value) -> Box<dyn Iterator<Item = &Value> + '_> {
    match v {
        Value::Array(items) => Box::new(items.iter()),
        other => Box::new(std::iter::once(other)),
    }
}

fn first_string(v: &Value) -> Option<&str> {
    as_list(v).find_map(Value::as_str)
}

// ---------------------------------------------------------------- <time> and microdata

/// Dates from `<time>` elements and microdata (`itemprop="datePublished"`).
#[derive(Debug, Default)]
struct TimeHints {
    /// Hinted as the publication or the update time (itemprop, class,
    /// `pubdate`, a preceding "Updated" or "نشر").
    published: Option<String>,
    modified: Option<String>,
    /// Without a hint, by position: the first `<time>` of the article, and a
    /// later one beside it.
    first: Option<String>,
    second: Option<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Hint {
    Published,
    Modified,
    None,
}

impl TimeHints {
    fn read(doc: &Document) -> TimeHints {
        let mut out = TimeHints::default();
        let mut first_parent = None;
        for node in doc
            .select("time, [itemprop~=datePublished], [itemprop~=dateModified]")
            .nodes()
            .iter()
            .take(MAX_ELEMENTS_OF_A_KIND)
        {
            let is_time = node
                .node_name()
                .is_some_and(|n| n.eq_ignore_ascii_case("time"));
            if !is_time
                && node
                    .node_name()
                    .is_some_and(|n| n.eq_ignore_ascii_case("meta"))
            {
                continue; // read with the meta tags
            }
            let value = node
                .attr("datetime")
                .or_else(|| node.attr("content"))
                .and_then(|v| normalize_date(&v))
                .or_else(|| text_date(&collapse(&node.text())));
            let Some(value) = value else {
                continue;
            };
            let hint = hint_of(node);
            let furniture = in_furniture(node);
            match hint {
                Hint::Published if out.published.is_none() && !furniture.excludes_hinted() => {
                    out.published = Some(value);
                }
                Hint::Modified if out.modified.is_none() && !furniture.excludes_hinted() => {
                    out.modified = Some(value);
                }
                Hint::None if is_time && !furniture.excludes_unhinted() => {
                    let parent = node.parent().map(|p| p.id);
                    if out.first.is_none() {
                        out.first = Some(value);
                        first_parent = parent;
                    } else if out.second.is_none()
                        && parent == first_parent
                        && out.first.as_deref().is_some_and(|f| f < value.as_str())
                    {
                        out.second = Some(value);
                    }
                }
                _ => {}
            }
        }
        // A dateline in text only (`<div class="publish-date">Published
        // 11:11 PM EST Nov 19, 2019</div>`), named by its class.
        if out.published.is_none() || out.modified.is_none() {
            for node in doc
                .select(DATELINE_SELECTOR)
                .nodes()
                .iter()
                .take(MAX_DATELINES)
            {
                let text = node.text();
                if text.len() > 160 || in_furniture(node).excludes_hinted() {
                    continue;
                }
                let Some(value) = text_date(&collapse(&text)) else {
                    continue;
                };
                let class = node.attr("class").unwrap_or_default().to_ascii_lowercase();
                let slot = if ["updat", "modif"].iter().any(|w| class.contains(w)) {
                    &mut out.modified
                } else {
                    &mut out.published
                };
                slot.get_or_insert(value);
            }
        }
        out
    }
}

/// Elements whose class names a dateline, and how many are read.
const DATELINE_SELECTOR: &str = "[class*=publish-date], [class*=published-date], [class*=date-published], [class*=post-date], [class*=article-date], [class*=story-date], [class*=entry-date], [class*=dateline], [class*=update-date], [class*=updated-date], [class*=date-updated], [class*=date-modified], [class*=modified-date]";
const MAX_DATELINES: usize = 64;

/// What a `<time>` (or a microdata date) says it is.
fn hint_of(node: &NodeRef) -> Hint {
    if let Some(prop) = node.attr("itemprop") {
        let has = |p: &str| prop.split_whitespace().any(|t| t.eq_ignore_ascii_case(p));
        if has("datePublished") || has("dateCreated") {
            return Hint::Published;
        }
        if has("dateModified") {
            return Hint::Modified;
        }
    }
    if node.has_attr("pubdate") {
        return Hint::Published;
    }
    // Class or id of the element, or of its parent (`<span class="updated">
    // <time …>`).
    let names = std::iter::once(*node)
        .chain(node.parent())
        .map(|n| {
            format!(
                "{} {}",
                n.attr("class").unwrap_or_default(),
                n.attr("id").unwrap_or_default()
            )
            .to_ascii_lowercase()
        })
        .collect::<Vec<_>>()
        .join(" ");
    if [
        "publish",
        "posted",
        "pubdate",
        "created",
        "date-pub",
        "entry-date",
    ]
    .iter()
    .any(|w| names.contains(w))
    {
        return Hint::Published;
    }
    if ["updat", "modif", "edited", "revised"]
        .iter()
        .any(|w| names.contains(w))
    {
        return Hint::Modified;
    }
    // The words just before it: "Updated 9:41 AM", "آخر تحديث".
    let before = node
        .prev_sibling()
        .map(|p| collapse(&p.text()).to_lowercase())
        .unwrap_or_default();
    let before = before.trim_end_matches([':', ' ', '-', '|', '·']);
    const UPDATED: &[&str] = &[
        "updated",
        "update",
        "modified",
        "last updated",
        "mis à jour",
        "aktualisiert",
        "actualizado",
        "تحديث",
        "آخر تحديث",
        "تم التحديث",
        "محدث",
    ];
    const PUBLISHED: &[&str] = &[
        "published",
        "posted",
        "publié",
        "veröffentlicht",
        "publicado",
        "نشر",
        "نشر في",
        "تاريخ النشر",
        "منشور",
    ];
    if UPDATED.iter().any(|w| before.ends_with(w)) {
        return Hint::Modified;
    }
    if PUBLISHED.iter().any(|w| before.ends_with(w)) {
        return Hint::Published;
    }
    Hint::None
}

/// Where an element sits, as far as dates go.
struct Placement {
    /// In comments: nobody's article date.
    comments: bool,
    /// In navigation, a sidebar, a footer, a form or a box of other stories.
    elsewhere: bool,
    /// In a list item: a list of other stories, or the article's own
    /// metadata list (`<ul class="meta"><li>`): only a hinted date is taken.
    listed: bool,
}

impl Placement {
    /// A date that names itself (itemprop, class) is the article's unless
    /// it sits in comments or beside the article.
    fn excludes_hinted(&self) -> bool {
        self.comments || self.elsewhere
    }

    fn excludes_unhinted(&self) -> bool {
        self.comments || self.elsewhere || self.listed
    }
}

fn in_furniture(node: &NodeRef) -> Placement {
    let mut p = Placement {
        comments: false,
        elsewhere: false,
        listed: false,
    };
    for a in node.ancestors_it(Some(MAX_ANCESTORS)) {
        match a.node_name().as_deref() {
            Some("aside" | "nav" | "footer" | "form") => p.elsewhere = true,
            Some("li") => p.listed = true,
            // Their classes describe the page or the post as a whole
            // (`offcanvas-sidebar-mobile`, `tag-trending`), not this spot.
            Some("body" | "html" | "article" | "main") => continue,
            _ => {}
        }
        let names = format!(
            "{} {}",
            a.attr("class").unwrap_or_default(),
            a.attr("id").unwrap_or_default()
        )
        .to_ascii_lowercase();
        if names.contains("comment") {
            p.comments = true;
        }
        if [
            "related",
            "sidebar",
            "widget",
            "recommend",
            "popular",
            "most-read",
            "trending",
            "teaser",
            "promo",
            "newsletter",
        ]
        .iter()
        .any(|w| names.contains(w))
        {
            p.elsewhere = true;
        }
    }
    p
}

// ---------------------------------------------------------------- bylines

/// Texts on the page that a byline must not be: navigation, breadcrumb,
/// category and tag links (section names such as `منوعات`), and form labels
/// (`Nama (wajib)`, `Имя *`).
fn structural_non_bylines(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for sel in [
        "form label",
        "nav a",
        "[class*=breadcrumb] a",
        "a[rel~=category]",
        "a[rel~=tag]",
        "a[href*='/category/']",
        "a[href*='/section/']",
        "a[href*='/tag/']",
        "a[href*='/topics/']",
    ] {
        for node in doc
            .select(sel)
            .nodes()
            .iter()
            .take(MAX_ELEMENTS_OF_A_KIND / 4)
        {
            let text = collapse(&node.text());
            if !text.is_empty() && text.chars().count() <= MAX_BYLINE_CHARS {
                out.push(text);
            }
        }
    }
    out
}

/// Section names a site may show where a byline would be (whole bylines
/// only; compared case-insensitively).
const SECTION_NAMES: &[&str] = &[
    "منوعات",
    "متفرقات",
    "أخبار",
    "اخبار",
    "سياسة",
    "اقتصاد",
    "رياضة",
    "ثقافة",
    "فن",
    "فنون",
    "ثقافة وفنون",
    "تكنولوجيا",
    "علوم",
    "صحة",
    "محليات",
    "دولي",
    "عربي",
    "عربي ودولي",
    "العالم",
    "عالم",
    "آراء",
    "رأي",
    "مقالات",
    "تقارير",
    "حوادث",
    "مجتمع",
    "سياحة",
    "الرئيسية",
    "عاجل",
    "news",
    "world",
    "politics",
    "business",
    "sport",
    "sports",
    "entertainment",
    "lifestyle",
    "opinion",
    "health",
    "technology",
    "tech",
    "science",
    "culture",
    "travel",
    "home",
    "local",
    "breaking news",
    "latest news",
    "uncategorized",
    "general",
];

/// Labels that open a byline (`By`, `Posted by`, `بقلم:`, `Текст:`); the
/// words that could also start a name (`Text`, `Author`) only with a colon.
static LEADING_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:(?:(?:posted|written|reported|story|words|analysis|photos?|compiled|edited|updated)\s+)?by|por|oleh|بقلم|كتبت?)\b\s*[:：\-–—]?|(?:text|texto|author|autor|текст|автор|إعداد|اعداد|تحرير|متابعة|كتابة)\s*[:：])\s*",
    )
    .expect("valid regex")
});

/// A date or time glued to a name without a space (`ArnoldNovember 15`).
static GLUED_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(\p{{Ll}})((?:{MONTHS}|{WEEKDAYS})\b)")).expect("valid regex")
});

/// An upper-case name glued to the next capitalised word
/// (`ERIC TUCKERAssociated Press`).
static GLUED_CAPS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\p{Lu}{2,})(\p{Lu}\p{Ll}{2,})").expect("valid regex"));

const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec";
const WEEKDAYS: &str = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun";

/// A run of date and time words to the end of the byline (`November 15,
/// 2019`, `- 2018-09-16`, `Monday, Nov 18, 2019, 9:02 AM ET`, `٢٥ ديسمبر
/// ٢٠٢٥`): it must hold a digit.
static DATE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    let word = format!(
        r"(?:{MONTHS}|{WEEKDAYS}|January|February|[0-9٠-٩]{{1,4}}(?:st|nd|rd|th)?|\d{{4}}-\d{{2}}-\d{{2}}(?:T[0-9:.+Z-]*)?|\d{{1,2}}:\d{{2}}(?::\d{{2}})?|[ap]\.?m\.?|at|on|updated|published|posted|last|modified|GMT|UTC|[ECMP][SD]?T|BST|CES?T|IST|ص|م|الساعة|في|نشر|تحديث|آخر|يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر|ديسمبر|كانون|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين|الأول|الثاني|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد)"
    );
    Regex::new(&format!(
        r"(?i)^[\s,;|·•/()\-–—:.]*(?:{word}[\s,;|·•/()\-–—:.]*)+$"
    ))
    .expect("valid regex")
});

/// Form-field markers: a byline ending in one is a comment form's label.
const REQUIRED_MARKERS: &[&str] = &[
    "(required)",
    "(wajib)",
    "(obligatoire)",
    "(requerido)",
    "(obligatorio)",
    "(erforderlich)",
    "(обязательно)",
    "(مطلوب)",
    "(إجباري)",
];

/// Form labels that are never a name.
const FORM_LABELS: &[&str] = &[
    "name",
    "nama",
    "имя",
    "nom",
    "nombre",
    "الاسم",
    "اسم",
    "email",
    "e-mail",
    "website",
    "comment",
    "author",
    "admin",
    "administrator",
    "webmaster",
];

/// Clean a byline: labels (`By`, `بقلم:`) and glued or trailing dates
/// removed; `None` when nothing of a byline is left, or it is a section
/// name, a form label or one of `not_bylines`.
pub fn clean_byline(raw: &str, not_bylines: &[String]) -> Option<String> {
    let mut s = collapse(raw);
    if s.chars().count() > 4 * MAX_BYLINE_CHARS {
        return None;
    }
    let lower = s.to_lowercase();
    if s.ends_with('*') || REQUIRED_MARKERS.iter().any(|m| lower.contains(m)) {
        return None;
    }
    // Labels, possibly repeated ("By: By Jane").
    for _ in 0..2 {
        let stripped = LEADING_LABEL.replace(&s, "").into_owned();
        if stripped == s {
            break;
        }
        s = stripped;
    }
    s = GLUED_DATE.replace_all(&s, "$1 $2").into_owned();
    s = GLUED_CAPS.replace_all(&s, "$1, $2").into_owned();
    // Cut at the first word from which the rest is a date.
    let starts: Vec<usize> = s
        .char_indices()
        .filter(|&(i, c)| {
            i > 0 && !c.is_whitespace() && s[..i].ends_with(|p: char| !p.is_alphanumeric())
        })
        .map(|(i, _)| i)
        .collect();
    if let Some(&cut) = starts.iter().find(|&&i| {
        let tail = &s[i..];
        tail.chars()
            .any(|c| c.is_ascii_digit() || ('٠'..='٩').contains(&c))
            && DATE_TAIL.is_match(tail)
    }) {
        s.truncate(cut);
    }
    let s = s
        .trim_matches(|c: char| {
            c.is_whitespace() || matches!(c, ',' | ';' | ':' | '|' | '-' | '–' | '—' | '·' | '•')
        })
        .to_string();
    let lower = s.to_lowercase();
    let bare = lower.trim_end_matches(['*', ':', ' ']);
    let rejected = s.is_empty()
        || !s.chars().any(char::is_alphabetic)
        || s.chars().count() > MAX_BYLINE_CHARS
        || s.contains("://")
        || FORM_LABELS.contains(&bare)
        || SECTION_NAMES.contains(&bare)
        || not_bylines.iter().any(|n| n.to_lowercase() == lower);
    (!rejected).then_some(s)
}

/// Collapse runs of whitespace to one space and trim.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(html: &str) -> PageMeta {
        PageMeta::read(&Document::from(html))
    }

    #[test]
    fn dates_are_normalized() {
        let n = |s: &str| normalize_date(s);
        assert_eq!(
            n("2024-03-05T10:30:00+03:00").as_deref(),
            Some("2024-03-05T10:30:00+03:00")
        );
        assert_eq!(
            n("2019-11-20T07:29:39+0000").as_deref(),
            Some("2019-11-20T07:29:39+00:00")
        );
        assert_eq!(
            n("2019-11-14T08:00:00.000Z").as_deref(),
            Some("2019-11-14T08:00:00.000Z")
        );
        assert_eq!(
            n("2019-11-18T10:15:00").as_deref(),
            Some("2019-11-18T10:15:00")
        );
        assert_eq!(n("2019-11-18").as_deref(), Some("2019-11-18"));
        assert_eq!(
            n("2019-11-19 14:42:55Z").as_deref(),
            Some("2019-11-19T14:42:55+00:00")
        );
        assert_eq!(n("20191118").as_deref(), Some("2019-11-18"));
        assert_eq!(
            n("Mon, 18 Nov 2019 10:15:00 +0000").as_deref(),
            Some("2019-11-18T10:15:00+00:00")
        );
        assert_eq!(
            n("1574072100").as_deref(),
            Some("2019-11-18T10:15:00+00:00")
        );
        assert_eq!(n("2019-11-18 10:15:00 EST").as_deref(), Some("2019-11-18"));
        assert_eq!(
            n("Fri 6:45 PM, Feb 16, 2018").as_deref(),
            Some("2018-02-16")
        );
        assert_eq!(n("الأربعاء 25 ديسمبر 2025").as_deref(), Some("2025-12-25"));
        for junk in ["", "0001-01-01", "Tuesday", "{{date}}", "yesterday", "12"] {
            assert_eq!(n(junk), None, "{junk}");
        }
    }

    #[test]
    fn json_ld_dates_in_a_graph() {
        let m = page(
            r#"<html><head><script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","@id":"org1","name":"Example"},
              {"@type":"WebPage","datePublished":"2010-10-22T23:13:51+00:00"},
              {"@type":["NewsArticle"],"headline":"H","datePublished":"2019-11-20T07:29:39+0000",
               "dateModified":"2019-11-21T08:00:00Z","author":{"@id":"p1"},"articleSection":"منوعات"},
              {"@type":"Person","@id":"p1","name":"Jane Doe"}]}
            </script></head><body><p>x</p></body></html>"#,
        );
        assert_eq!(m.published.as_deref(), Some("2019-11-20T07:29:39+00:00"));
        assert_eq!(m.modified.as_deref(), Some("2019-11-21T08:00:00Z"));
        assert_eq!(m.ld_people.as_deref(), Some("Jane Doe"));
        assert!(m.not_bylines.iter().any(|s| s == "منوعات"));
        assert_eq!(m.headline.as_deref(), Some("H"));
        assert_eq!(m.site_name.as_deref(), Some("Example"));
    }

    #[test]
    fn invalid_json_ld_is_repaired_or_ignored() {
        // Raw line break in a string and a trailing comma: repaired.
        let m = page(
            "<script type=\"application/ld+json\">{\"@type\":\"ReportageNews\",\"headline\":\"a\nb\",\
             \"datePublished\":\"2020-01-02\",}</script><p>x</p>",
        );
        assert_eq!(m.published.as_deref(), Some("2020-01-02"));
        // Broken beyond repair: ignored, the meta tag is used.
        let m = page(
            r#"<meta property="article:published_time" content="2021-05-06T07:08:09Z">
            <script type="application/ld+json">{"@type":"Article","headline":"Jewels "after" Jewels",
            "datePublished":"1999-01-01"</script><p>x</p>"#,
        );
        assert_eq!(m.published.as_deref(), Some("2021-05-06T07:08:09Z"));
        // A ClaimReview's date, and not the reviewed claim's author.
        let m = page(
            r#"<script type="application/ld+json">{"@context":"http://schema.org","@type":"ClaimReview",
            "datePublished":"2019-11-18T10:15:00+00:00","author":{"@type":"Organization","name":"Snopes"},
            "itemReviewed":{"author":{"@type":"Person","name":"Someone Else"}}}</script><p>x</p>"#,
        );
        assert_eq!(m.published.as_deref(), Some("2019-11-18T10:15:00+00:00"));
        assert_eq!(m.ld_people, None);
        assert_eq!(m.ld_organizations.as_deref(), Some("Snopes"));
    }

    #[test]
    fn meta_tags_and_microdata() {
        let m = page(
            r#"<meta property="article:published" itemprop="datePublished dateCreated" content="2019-11-19T11:00:09.000Z">
            <meta property="og:updated_time" content="2019-11-19T12:00:00Z"><p>x</p>"#,
        );
        assert_eq!(m.published.as_deref(), Some("2019-11-19T11:00:09.000Z"));
        assert_eq!(m.modified.as_deref(), Some("2019-11-19T12:00:00Z"));
        // An update stamped before the publication is not trusted.
        let m = page(
            r#"<meta property="article:published_time" content="2019-11-19T07:09:00Z">
            <meta property="article:modified_time" content="2019-11-19T05:44:00Z"><p>x</p>"#,
        );
        assert_eq!(m.published.as_deref(), Some("2019-11-19T07:09:00Z"));
        assert_eq!(m.modified, None);
        for key in ["DC.date.issued", "parsely-pub-date", "pubdate", "date"] {
            let m = page(&format!(
                r#"<meta name="{key}" content="2018-01-22"><p>x</p>"#
            ));
            assert_eq!(m.published.as_deref(), Some("2018-01-22"), "{key}");
        }
        let m = page(
            r#"<span class="storyDate">Posted: <span itemprop="datePublished">Fri 6:45 PM, Feb 16, 2018</span></span>"#,
        );
        assert_eq!(m.published.as_deref(), Some("2018-02-16"));
        let m = page(
            r#"<div class="publish-date">Published 11:11 PM EST Nov 19, 2019</div>
            <div class="article-update-date">Updated Nov 20, 2019</div><p>x</p>"#,
        );
        assert_eq!(m.published.as_deref(), Some("2019-11-19"));
        assert_eq!(m.modified.as_deref(), Some("2019-11-20"));
    }

    #[test]
    fn time_elements_by_hint_and_position() {
        let m = page(
            r#"<ul class="related"><li><time class="published" datetime="2001-01-01">old</time></li></ul>
            <article><h1>T</h1><p class="dateline">
            <time class="published" datetime="2025-12-25T08:00:00Z">25 Dec</time>
            Updated <time datetime="2025-12-25T09:41:00Z">9:41 AM</time></p><p>x</p></article>"#,
        );
        assert_eq!(m.published.as_deref(), Some("2025-12-25T08:00:00Z"));
        assert_eq!(m.modified.as_deref(), Some("2025-12-25T09:41:00Z"));
        // No hints: the first time of the article, a later one beside it.
        let m = page(
            r#"<aside><time datetime="2001-01-01">x</time></aside><div class="meta">
            <time datetime="2025-12-25">25</time> <time datetime="2025-12-26">26</time></div><p>x</p>"#,
        );
        assert_eq!(m.published.as_deref(), Some("2025-12-25"));
        assert_eq!(m.modified.as_deref(), Some("2025-12-26"));
        let m = page(
            r#"<div>آخر تحديث: <time datetime="2025-12-27T10:00:00+03:00">10:00</time></div>"#,
        );
        assert_eq!(m.published, None);
        assert_eq!(m.modified.as_deref(), Some("2025-12-27T10:00:00+03:00"));
    }

    #[test]
    fn bylines_are_cleaned() {
        let c = |s: &str| clean_byline(s, &[]);
        assert_eq!(
            c("By Carrie ArnoldNovember 15, 2019").as_deref(),
            Some("Carrie Arnold")
        );
        assert_eq!(
            c("by Jeff FoustMonday, November 18, 2019").as_deref(),
            Some("Jeff Foust")
        );
        assert_eq!(
            c("by Jeff Foust — November 18, 2019").as_deref(),
            Some("Jeff Foust")
        );
        assert_eq!(
            c("Associated Press November 19, 2019, 9:02 AM").as_deref(),
            Some("Associated Press")
        );
        assert_eq!(
            c("By FEDERICA LUSIARDI - 2019-04-10").as_deref(),
            Some("FEDERICA LUSIARDI")
        );
        assert_eq!(
            c("By DANICA KIRKA and JILL LAWLESSAssociated Press").as_deref(),
            Some("DANICA KIRKA and JILL LAWLESS, Associated Press")
        );
        assert_eq!(c("Posted by Vortex").as_deref(), Some("Vortex"));
        assert_eq!(c("Reuters,").as_deref(), Some("Reuters"));
        assert_eq!(
            c("Текст: Венера Ерофеева").as_deref(),
            Some("Венера Ерофеева")
        );
        assert_eq!(c("بقلم: أحمد محمود").as_deref(), Some("أحمد محمود"));
        assert_eq!(
            c("كتب - محمد علي ٢٥ ديسمبر ٢٠٢٥").as_deref(),
            Some("محمد علي")
        );
        assert_eq!(c("Theresa May").as_deref(), Some("Theresa May"));
        assert_eq!(
            c("Lisa Kaczke and Trevor J. Mitchell").as_deref(),
            Some("Lisa Kaczke and Trevor J. Mitchell")
        );
        for junk in [
            "By",
            "by ",
            "منوعات",
            "Nama (wajib)",
            "Имя *",
            "Name *",
            "By admin - 2018-09-16",
            "2019-11-18",
            "—",
        ] {
            assert_eq!(c(junk), None, "{junk}");
        }
        assert_eq!(
            clean_byline("World News Desk", &["world news desk".into()]),
            None
        );
        assert_eq!(clean_byline("منوعات", &[]), None);
    }

    #[test]
    fn byline_prefers_people_named_in_json_ld() {
        let m = page(
            r#"<script type="application/ld+json">{"@type":"NewsArticle","author":[
            {"@type":"Person","name":"Kevin Johnson"},{"@type":"Person","name":"Kevin McCoy"}]}</script><p>x</p>"#,
        );
        assert_eq!(
            m.byline(Some("By")).as_deref(),
            Some("Kevin Johnson, Kevin McCoy")
        );
        let m =
            page(r#"<form><label for="author">Nama <span>(wajib)</span></label></form><p>x</p>"#);
        assert_eq!(m.byline(Some("Nama (wajib)")), None);
        let m = page(r#"<nav><a href="/c/misc">منوعات</a></nav><p>x</p>"#);
        assert_eq!(m.byline(Some("منوعات")), None);
    }

    /// An Arabic page modelled on real layouts: the section name where the
    /// byline goes, a dateline with an update time, a broken JSON-LD block.
    #[test]
    fn an_arabic_page_end_to_end() {
        let html = r#"<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>ارتفاع أسعار النفط - موقع الخبر</title>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"ارتفاع أسعار النفط","datePublished":</script>
</head><body>
<nav><a href="/">الرئيسية</a> <a href="/category/منوعات">منوعات</a></nav>
<article><h1>ارتفاع أسعار النفط</h1>
<div class="author"><a href="/category/منوعات">منوعات</a></div>
<div class="dateline">نشر في <time datetime="2025-12-25T08:00:00+03:00">25 ديسمبر</time>
آخر تحديث: <time datetime="2025-12-25T11:30:00+03:00">11:30</time></div>
<p>ارتفعت أسعار النفط بشكل ملحوظ في تعاملات يوم الثلاثاء، مدفوعة بمخاوف من تراجع الإمدادات في ظل التوترات المتصاعدة.</p>
<p>وصعدت العقود الآجلة لخام برنت بنسبة اثنين في المئة لتصل إلى أعلى مستوى لها منذ ثلاثة أشهر.</p>
</article></body></html>"#;
        let e = crate::ingest::html::extract(html, None).unwrap();
        assert_eq!(e.byline, None, "a section name is no byline");
        assert_eq!(e.published.as_deref(), Some("2025-12-25T08:00:00+03:00"));
        assert_eq!(e.modified.as_deref(), Some("2025-12-25T11:30:00+03:00"));
        assert_eq!(e.title.as_deref(), Some("ارتفاع أسعار النفط"));
        let with_author = html.replace(
            r#"<div class="author"><a href="/category/منوعات">منوعات</a></div>"#,
            r#"<p class="byline">كتب - محمد علي ٢٥ ديسمبر ٢٠٢٥</p>"#,
        );
        let e = crate::ingest::html::extract(&with_author, None).unwrap();
        assert_eq!(e.byline.as_deref(), Some("محمد علي"));
    }
}
