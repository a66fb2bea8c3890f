//! JSON-LD: the article node of a page's blocks (`@graph` arrays included),
//! read leniently and within bounds.

use super::*;

/// What the page's JSON-LD says about its article.
#[derive(Debug, Default)]
pub(super) struct JsonLd {
    pub(super) published: Option<String>,
    pub(super) modified: Option<String>,
    pub(super) people: Option<String>,
    pub(super) organizations: Option<String>,
    pub(super) sections: Vec<String>,
    pub(super) headline: Option<String>,
    pub(super) site_name: Option<String>,
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
    pub(super) fn read(doc: &Document) -> JsonLd {
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
