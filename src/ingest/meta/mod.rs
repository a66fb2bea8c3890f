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
//!
//! The dates of the meta tags are read here; those of JSON-LD in `json_ld`,
//! of `<time>` elements, microdata and datelines in `time_hints`; bylines are
//! cleaned in `bylines`.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use dom_query::{Document, NodeRef};
use regex::Regex;
use serde_json::Value;

use crate::claims::Slot;

mod bylines;
mod json_ld;
mod time_hints;

pub use bylines::clean_byline;
use bylines::*;
use json_ld::*;
use time_hints::*;

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
