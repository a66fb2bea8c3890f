//! Article links of a feed source: the entries of an RSS/Atom/JSON feed, or,
//! for a section page (HTML), the same-host links that look like articles.
//!
//! The section-page rule, kept simple on purpose: an `<a href>` whose
//! address, resolved against the page, is http(s) on the page's host (a
//! leading `www.` ignored), is not the page itself, does not end in a static
//! file extension, and whose path or query contains a digit, or whose last
//! path segment is a slug with at least two hyphens
//! (`/news/2025/12/27/story`, `/article.php?id=123`, `/كيم-يرد-على-بوتين`).

use std::sync::LazyLock;

use regex::Regex;
use url::Url;

use crate::ingest::decode;

/// Why no links could be taken from a feed source.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum DiscoverError {
    #[error("neither a feed nor an HTML page")]
    NotAFeed,
    #[error("{0}")]
    Decode(String),
}

/// Query parameters that only track the reader; dropped so one article has one address.
const TRACKING_PARAMS: &[&str] = &["fbclid", "gclid", "ocid", "ref", "cmpid", "xtor"];

const STATIC_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "css", "js", "pdf", "xml", "rss", "mp3",
    "mp4", "zip", "json", "woff", "woff2",
];

static HREF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#)
        .expect("valid regex")
});

/// Article links of a feed or section page, in document order, at most `max`.
pub fn article_links(
    bytes: &[u8],
    page_url: &str,
    encoding: Option<&str>,
    max: usize,
) -> Result<Vec<String>, DiscoverError> {
    let base = Url::parse(page_url).ok();
    let looks_like_feed = {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
        head.contains("<rss") || head.contains("<feed") || head.contains("<rdf") || {
            let t = head.trim_start_matches('\u{feff}').trim_start();
            t.starts_with('{')
        }
    };
    if looks_like_feed {
        let feed = feed_rs::parser::Builder::new()
            .base_uri(Some(page_url))
            .build()
            .parse(bytes)
            .map_err(|e| DiscoverError::Decode(format!("not a valid feed: {e}")))?;
        let mut out = Vec::new();
        for entry in feed.entries {
            let link = entry
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(entry.links.first())
                .map(|l| l.href.clone())
                .or_else(|| entry.id.starts_with("http").then(|| entry.id.clone()));
            if let Some(link) = link
                && let Some(u) = normalise(&link, base.as_ref())
            {
                push_unique(&mut out, u);
            }
            if out.len() >= max {
                break;
            }
        }
        return Ok(out);
    }
    let text = decode::decode(bytes, encoding).map_err(|e| DiscoverError::Decode(e.to_string()))?;
    if !decode::is_probably_html(&text.text) {
        return Err(DiscoverError::NotAFeed);
    }
    let Some(base) = base else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for cap in HREF.captures_iter(&text.text) {
        let Some(href) = cap.get(1).or(cap.get(2)).or(cap.get(3)) else {
            continue;
        };
        let href = unescape(href.as_str().trim());
        let Some(u) = normalise(&href, Some(&base)) else {
            continue;
        };
        if looks_like_article(&u, &base) {
            push_unique(&mut out, u.to_string());
            if out.len() >= max {
                break;
            }
        }
    }
    Ok(out)
}

fn push_unique(out: &mut Vec<String>, u: impl Into<String>) {
    let u = u.into();
    if !out.contains(&u) {
        out.push(u);
    }
}

/// Resolve a link and drop what doesn't identify the article: the fragment
/// and tracking parameters (`utm_*`, …).
pub fn normalise(link: &str, base: Option<&Url>) -> Option<String> {
    let mut u = match base {
        Some(b) => b.join(link).ok()?,
        None => Url::parse(link).ok()?,
    };
    if !matches!(u.scheme(), "http" | "https") || u.host().is_none() {
        return None;
    }
    u.set_fragment(None);
    if u.query().is_some() {
        let kept: Vec<(String, String)> = u
            .query_pairs()
            .filter(|(k, _)| !k.starts_with("utm_") && !TRACKING_PARAMS.contains(&k.as_ref()))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if kept.is_empty() {
            u.set_query(None);
        } else {
            u.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    Some(u.to_string())
}

fn looks_like_article(link: &str, page: &Url) -> bool {
    let Ok(u) = Url::parse(link) else {
        return false;
    };
    let host = |u: &Url| {
        u.host_str()
            .map(|h| h.trim_start_matches("www.").to_ascii_lowercase())
    };
    if host(&u) != host(page) {
        return false;
    }
    if u.path() == page.path() && u.query() == page.query() {
        return false;
    }
    let last = u
        .path_segments()
        .and_then(|mut s| s.rfind(|seg| !seg.is_empty()))
        .unwrap_or("");
    let last = percent_decode(last);
    if let Some((_, ext)) = last.rsplit_once('.')
        && STATIC_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
    {
        return false;
    }
    let digit = u.path().chars().any(|c| c.is_ascii_digit())
        || u.query()
            .is_some_and(|q| q.chars().any(|c| c.is_ascii_digit()));
    digit || last.matches('-').count() >= 2
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_string())
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&#38;", "&")
        .replace("&#x26;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_entries() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
            <item><title>a</title><link>https://x.org/a-1?utm_source=rss#top</link></item>
            <item><title>b</title><link>/b-2</link></item>
            <item><title>a again</title><link>https://x.org/a-1</link></item>
            </channel></rss>"#;
        let links = article_links(rss.as_bytes(), "https://x.org/rss", None, 10).unwrap();
        assert_eq!(links, vec!["https://x.org/a-1", "https://x.org/b-2"]);
    }

    #[test]
    fn atom_entries() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id><updated>2025-01-01T00:00:00Z</updated>
            <entry><title>a</title><id>urn:a</id><updated>2025-01-01T00:00:00Z</updated><link rel="alternate" href="https://x.org/story/1"/></entry>
            </feed>"#;
        let links = article_links(atom.as_bytes(), "https://x.org/atom", None, 10).unwrap();
        assert_eq!(links, vec!["https://x.org/story/1"]);
    }

    #[test]
    fn section_page_links() {
        let html = r#"<!doctype html><html><body>
            <a href="/news/2025/12/27/kim-putin">one</a>
            <a href='https://www.x.org/%D9%83%D9%8A%D9%85-%D9%8A%D8%B1%D8%AF-%D8%A8%D9%88%D8%AA%D9%8A%D9%86'>two</a>
            <a href="/about">about</a><a href="/section">self</a>
            <a href="https://other.org/news/1">elsewhere</a>
            <a href="/img/photo-1-2.jpg">img</a>
            <a href="article.php?id=77&amp;utm_medium=x">three</a>
            <a href="mailto:a@x.org">mail</a>
            </body></html>"#;
        let links = article_links(html.as_bytes(), "https://x.org/section", None, 10).unwrap();
        assert_eq!(
            links,
            vec![
                "https://x.org/news/2025/12/27/kim-putin",
                "https://www.x.org/%D9%83%D9%8A%D9%85-%D9%8A%D8%B1%D8%AF-%D8%A8%D9%88%D8%AA%D9%8A%D9%86",
                "https://x.org/article.php?id=77",
            ]
        );
        let capped = article_links(html.as_bytes(), "https://x.org/section", None, 1).unwrap();
        assert_eq!(capped.len(), 1);
    }

    #[test]
    fn plain_text_is_not_a_feed() {
        assert_eq!(
            article_links(b"just words", "https://x.org/", None, 10),
            Err(DiscoverError::NotAFeed)
        );
    }
}
