//! CSS selectors a user gives when automatic extraction is wrong for a site:
//! `select`, the article's container (used instead of readability), and
//! `ignore_selector`, elements removed before anything is extracted.
//!
//! Selectors are parsed by `selectors` through `dom_query`, the DOM
//! dom_smoothie already builds. They run only on pages that passed the
//! extractor's element and depth limits, and each is one pass over the tree
//! (`:has()` costs at most the tree's size times its depth).

use dom_query::{Document, Matcher, NodeRef};

/// The selectors to apply to every page of a source (or of one `track add`).
/// Each entry is a CSS selector, itself possibly a list (`article, .story`);
/// the entries add up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selectors {
    /// The article's container(s); matches nested in a match are part of it.
    pub select: Vec<String>,
    /// Elements removed before extraction (and before metadata is read).
    pub ignore: Vec<String>,
}

/// A selector that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid CSS selector {selector:?} ({reason})")]
pub struct SelectorError {
    pub selector: String,
    pub reason: String,
}

impl Selectors {
    /// Validated selectors (each entry must parse on its own).
    pub fn new(select: Vec<String>, ignore: Vec<String>) -> Result<Selectors, SelectorError> {
        for s in select.iter().chain(&ignore) {
            compile(s)?;
        }
        Ok(Selectors { select, ignore })
    }

    pub fn is_empty(&self) -> bool {
        self.select.is_empty() && self.ignore.is_empty()
    }

    /// The `select` entries as written, for messages.
    pub fn describe_select(&self) -> String {
        self.select.join(", ")
    }
}

/// Parse one selector (list). An empty one is refused: it would match nothing
/// and silently do nothing.
pub fn compile(selector: &str) -> Result<Matcher, SelectorError> {
    let err = |reason: String| SelectorError {
        selector: selector.to_string(),
        reason,
    };
    if selector.trim().is_empty() {
        return Err(err("empty".into()));
    }
    Matcher::new(selector).map_err(|e| err(describe_kind(&format!("{:?}", e.kind))))
}

/// `Basic(UnexpectedToken(Delim('[')))` → `unexpected token Delim('[')`,
/// `Basic(EndOfInput)` → `unexpected end`, `Custom(EmptySelector)` → `empty
/// selector`: the parser's reason, readable.
fn describe_kind(debug: &str) -> String {
    let mut s = debug;
    for wrapper in ["Basic(", "Custom("] {
        if let Some(inner) = s.strip_prefix(wrapper).and_then(|r| r.strip_suffix(')')) {
            s = inner;
        }
    }
    if s == "EndOfInput" {
        return "unexpected end".into();
    }
    let (name, rest) = s.split_at(s.find('(').unwrap_or(s.len()));
    let mut words = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            words.push(' ');
        }
        words.extend(c.to_lowercase());
    }
    let detail = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(rest);
    if detail.is_empty() {
        words
    } else {
        format!("{words} {detail}")
    }
}

/// One compiled list for several entries.
pub(super) fn compile_all(entries: &[String]) -> Result<Option<Matcher>, SelectorError> {
    match entries {
        [] => Ok(None),
        [one] => compile(one).map(Some),
        many => {
            for e in many {
                compile(e)?;
            }
            compile(&many.join(", ")).map(Some)
        }
    }
}

/// Remove every element `ignore` matches; the number removed.
pub(super) fn remove_matches(doc: &Document, ignore: &Matcher) -> usize {
    let found: Vec<NodeRef> = top_matches(doc, ignore);
    for n in &found {
        n.remove_from_parent();
    }
    found.len()
}

/// The outermost elements `m` matches, in document order: a match inside
/// another is part of it. One pre-order walk, iterative (deep pages cannot
/// overflow the stack), not descending into a match.
pub(super) fn top_matches<'a>(doc: &'a Document, m: &Matcher) -> Vec<NodeRef<'a>> {
    let mut found = Vec::new();
    let mut stack = vec![doc.root()];
    while let Some(node) = stack.pop() {
        if node.is_element() && node.is_match(m) {
            found.push(node);
            continue;
        }
        let children: Vec<NodeRef> = node.children_it(false).collect();
        stack.extend(children.into_iter().rev());
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_selectors_name_themselves() {
        for bad in ["div[", "", "  ", "p >", "::nope", "a:has("] {
            let e = compile(bad).unwrap_err();
            assert_eq!(e.selector, bad);
            let msg = e.to_string();
            assert!(
                msg.starts_with(&format!("invalid CSS selector {bad:?} (")),
                "{msg}"
            );
            assert!(!msg.contains('\n'), "{msg}");
        }
        assert!(Selectors::new(vec!["article .body, #story".into()], vec!["div[".into()]).is_err());
        let ok =
            Selectors::new(vec!["article".into()], vec![".ad".into(), "aside".into()]).unwrap();
        assert!(!ok.is_empty());
        assert!(Selectors::default().is_empty());
    }

    #[test]
    fn outermost_matches_in_order() {
        let doc = Document::from(
            "<div class=a id=1><div class=a id=2></div></div><p class=a id=3></p><span id=4></span>",
        );
        let m = compile(".a").unwrap();
        let ids: Vec<String> = top_matches(&doc, &m)
            .iter()
            .map(|n| n.attr("id").unwrap().to_string())
            .collect();
        assert_eq!(ids, ["1", "3"]);
        assert_eq!(remove_matches(&doc, &compile("p, span").unwrap()), 2);
        assert_eq!(doc.select("p, span").length(), 0);
    }

    const PAGE: &str = r#"<html lang="en"><head><title>Budget approved | Daily</title>
<meta property="article:published_time" content="2025-12-25T08:00:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<div class="story"><header><h1>Budget approved</h1><p class="by">By Jane Smith</p></header>
<p>The council voted 7-2 to approve the budget on Tuesday evening after a long debate.</p>
<div class="views">Views: 4711</div>
<p>Spending on transport rises by 12 percent, the largest increase in a decade.</p></div>
<div class="promo"><p>Most read today: a long list of other stories that the automatic extraction keeps
because it is long and full of commas, commas, commas, and more words than the story itself has.</p>
<p>Subscribe to our newsletter for the best stories of the week, every week, in your inbox.</p></div>
</body></html>"#;

    fn extract(select: &[&str], ignore: &[&str]) -> crate::ingest::html::Extracted {
        let s = Selectors::new(
            select.iter().map(|s| s.to_string()).collect(),
            ignore.iter().map(|s| s.to_string()).collect(),
        )
        .unwrap();
        crate::ingest::html::extract_with(PAGE, None, &s).unwrap()
    }

    #[test]
    fn select_takes_the_container_and_ignore_removes_elements() {
        let e = extract(&[".story"], &[".views", ".by"]);
        assert_eq!(
            e.text,
            "Budget approved\n\n\
             The council voted 7-2 to approve the budget on Tuesday evening after a long debate.\n\n\
             Spending on transport rises by 12 percent, the largest increase in a decade."
        );
        assert_eq!(e.title.as_deref(), Some("Budget approved"));
        assert_eq!(e.published.as_deref(), Some("2025-12-25T08:00:00Z"));
        assert!(e.warnings.is_empty());
        // Without ignore, the container is the article, and page furniture
        // inside it (a counter, a byline) is still left out of the text.
        let e = extract(&[".story"], &[]);
        assert!(e.text.contains("Spending on transport"), "{}", e.text);
        assert!(!e.text.contains("Views: 4711"), "{}", e.text);
        assert!(!e.text.contains("Most read"), "{}", e.text);
        // Several containers, in page order.
        let e = extract(&[".promo", ".story"], &[".views"]);
        let story = e.text.find("council voted").unwrap();
        let promo = e.text.find("Most read").unwrap();
        assert!(story < promo, "{}", e.text);
    }

    #[test]
    fn a_select_that_matches_nothing_falls_back_with_a_warning() {
        let automatic = crate::ingest::html::extract(PAGE, None).unwrap();
        let e = extract(&["#no-such-thing"], &[]);
        assert_eq!(e.text, automatic.text);
        assert_eq!(e.warnings.len(), 1);
        assert!(
            e.warnings[0].contains("\"#no-such-thing\" matched nothing"),
            "{:?}",
            e.warnings
        );
        // Matching only empty elements is the same.
        let e = extract(&["nav + div.none, .views:empty, head"], &[]);
        assert_eq!(e.text, automatic.text);
        assert!(
            e.warnings[0].contains("matched no text"),
            "{:?}",
            e.warnings
        );
        // ignore_selector alone applies to automatic extraction.
        let e = extract(&[], &[".views"]);
        assert!(!e.text.contains("4711"), "{}", e.text);
        assert!(e.text.contains("council voted"), "{}", e.text);
    }

    #[test]
    fn selectors_respect_the_size_limits() {
        let s = Selectors::new(
            vec!["div:has(p) > p, :not(:has(a))".into()],
            vec!["b".into()],
        )
        .unwrap();
        let huge = format!("<html><body>{}</body></html>", "<i></i>".repeat(210_000));
        assert!(matches!(
            crate::ingest::html::extract_with(&huge, None, &s),
            Err(crate::ingest::html::ExtractError::TooComplex(_))
        ));
        let deep = "<div>".repeat(2_000) + "<p>deep</p>";
        assert!(matches!(
            crate::ingest::html::extract_with(&deep, None, &s),
            Err(crate::ingest::html::ExtractError::TooComplex(_))
        ));
        // An invalid selector handed to the library is an error, not a panic.
        let bad = Selectors {
            select: vec!["div[".into()],
            ignore: Vec::new(),
        };
        assert!(matches!(
            crate::ingest::html::extract_with(PAGE, None, &bad),
            Err(crate::ingest::html::ExtractError::Selector(_))
        ));
    }
}
