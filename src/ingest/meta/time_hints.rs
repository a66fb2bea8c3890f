//! `<time>` elements, microdata and datelines, and whether they sit in the
//! article or in page furniture.

use super::*;

/// Dates from `<time>` elements and microdata (`itemprop="datePublished"`).
#[derive(Debug, Default)]
pub(super) struct TimeHints {
    /// Hinted as the publication or the update time (itemprop, class,
    /// `pubdate`, a preceding "Updated" or "نشر").
    pub(super) published: Option<String>,
    pub(super) modified: Option<String>,
    /// Without a hint, by position: the first `<time>` of the article, and a
    /// later one beside it.
    pub(super) first: Option<String>,
    pub(super) second: Option<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Hint {
    Published,
    Modified,
    None,
}

impl TimeHints {
    pub(super) fn read(doc: &Document) -> TimeHints {
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
