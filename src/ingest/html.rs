//! Pull the article out of a news page: metadata plus a plain-text body whose
//! paragraph structure survives, so later diffs are per paragraph rather than
//! one huge line.
//!
//! dom_smoothie (a readability.js port) picks the article; the text is then
//! rebuilt from its cleaned DOM by our own walk, because its text modes
//! either lose block structure (raw) or add markup (markdown).

use dom_query::NodeRef;
use dom_smoothie::{Config, Readability, ReadabilityError};
use serde::Serialize;

use super::furniture::{self, BlockView, MarkTally, Marks, Model};
use super::meta;
use super::select::{self, SelectorError, Selectors};

/// Upper bound on element nodes handed to dom_smoothie: bounds time and
/// memory on hostile or absurd pages.
const MAX_ELEMENTS: usize = 200_000;
/// Upper bound on element nesting. html5ever and dom_smoothie slow down
/// quadratically with depth, and dom_smoothie recurses (a few thousand
/// levels overflow a 2 MiB thread stack). Real pages stay far below this.
const MAX_DEPTH: usize = 1_000;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Extracted {
    pub title: Option<String>,
    pub byline: Option<String>,
    /// ISO 8601 (see [`super::meta::normalize_date`]), from JSON-LD, meta
    /// tags, microdata or `<time>`.
    pub published: Option<String>,
    /// When the page says the article was last updated, ISO 8601.
    pub modified: Option<String>,
    /// "rtl" or "ltr" (as found).
    pub dir: Option<String>,
    pub lang: Option<String>,
    pub canonical_url: Option<String>,
    pub site_name: Option<String>,
    /// Title line, blank line, then one paragraph per block, separated by
    /// blank lines.
    pub text: String,
    /// What the caller should tell the user: a `select` that matched nothing.
    #[serde(skip)]
    pub warnings: Vec<String>,
    /// The page's own "Updated …" line, as shown and unparsed (`Updated 9:41
    /// AM`, `آخر تحديث: 19/11/2019 الساعة 09:41`), when it was left out of
    /// `text` as page furniture.
    pub updated_line: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("no article text found")]
    NoArticle,
    /// More elements, or deeper nesting, than is safe to process (the count found).
    #[error("too complex: {0} elements or levels deep")]
    TooComplex(usize),
    #[error("{0}")]
    Selector(#[from] SelectorError),
}

/// Extract the article from an HTML page. `url` is the page's address, used
/// to resolve a root-relative canonical link. Page furniture inside the
/// article (datelines, credits, counters, prompts: see `furniture`) is left
/// out of the text.
pub fn extract(html: &str, url: Option<&str>) -> Result<Extracted, ExtractError> {
    extract_with(html, url, &Selectors::default())
}

/// [`extract`], with the user's selectors: `ignore` elements are removed
/// first; a `select` container, when it matches, is the article instead of
/// readability's pick (when it matches nothing, the page is extracted
/// automatically and a warning says so: the page is never lost).
pub fn extract_with(
    html: &str,
    url: Option<&str>,
    selectors: &Selectors,
) -> Result<Extracted, ExtractError> {
    extract_using(html, url, selectors, Some(Model::builtin()))
}

/// [`extract`] with a given furniture model (`None` keeps every block): for
/// training and cross-validating the model.
#[doc(hidden)]
pub fn extract_with_model(
    html: &str,
    url: Option<&str>,
    model: Option<&Model>,
) -> Result<Extracted, ExtractError> {
    extract_using(html, url, &Selectors::default(), model)
}

fn extract_using(
    html: &str,
    url: Option<&str>,
    selectors: &Selectors,
    model: Option<&Model>,
) -> Result<Extracted, ExtractError> {
    let (mut out, title, mut paras) = extract_blocks(html, url, selectors)?;
    if let Some(model) = model {
        let site = furniture::site_words(out.site_name.as_deref(), out.canonical_url.as_deref());
        let keep = model.keep(&block_views(&paras), &title, &site);
        out.updated_line = paras
            .iter()
            .zip(&keep)
            .filter(|(_, kept)| !**kept)
            .find_map(|(p, _)| furniture::updated_line(&p.text));
        let mut keep = keep.into_iter();
        paras.retain(|_| keep.next().unwrap_or(true));
    }
    let body_len: usize = paras.iter().map(|p| p.text.len() + 2).sum();
    let mut text = String::with_capacity(title.len() + 2 + body_len);
    if !title.is_empty() {
        text.push_str(&title);
        text.push_str("\n\n");
    }
    for (i, p) in paras.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\n");
        }
        text.push_str(&p.text);
    }
    out.text = text;
    out.title = (!title.is_empty()).then_some(title);
    Ok(out)
}

/// One block of a page: its text and feature row (`furniture::FEATURES`).
pub type BlockRow = (String, Vec<f32>);

/// The blocks of a page before the furniture model sees them, and the title.
/// For training.
#[doc(hidden)]
pub fn page_blocks(html: &str, url: Option<&str>) -> Result<(String, Vec<BlockRow>), ExtractError> {
    let (out, title, paras) = extract_blocks(html, url, &Selectors::default())?;
    let site = furniture::site_words(out.site_name.as_deref(), out.canonical_url.as_deref());
    let rows = furniture::features(&block_views(&paras), &title, &site);
    Ok((title, paras.into_iter().map(|p| p.text).zip(rows).collect()))
}

fn block_views(paras: &[Para]) -> Vec<BlockView<'_>> {
    paras
        .iter()
        .map(|p| BlockView {
            text: if p.list_item {
                p.text.strip_prefix("- ").unwrap_or(&p.text)
            } else {
                &p.text
            },
            heading: p.heading,
            list_item: p.list_item,
            marks: p.marks,
            chars: p.chars,
            link_chars: p.link_chars,
        })
        .collect()
}

/// Metadata, title and the article's blocks (the title heading removed).
fn extract_blocks(
    html: &str,
    url: Option<&str>,
    selectors: &Selectors,
) -> Result<(Extracted, String, Vec<Para>), ExtractError> {
    let select = select::compile_all(&selectors.select)?;
    let ignore = select::compile_all(&selectors.ignore)?;
    // Refuse absurd nesting before html5ever spends quadratic time on it; the
    // estimate over-counts sloppy markup, hence the slack.
    let estimate = estimate_depth(html, 4 * MAX_DEPTH);
    if estimate > 4 * MAX_DEPTH {
        return Err(ExtractError::TooComplex(estimate));
    }
    let cfg = Config {
        max_elements_to_parse: MAX_ELEMENTS,
        // Class names are hints for the furniture model.
        keep_classes: true,
        ..Config::default()
    };
    // A relative or garbage URL only costs us link resolution, not the article.
    let mut r = match Readability::new(html, url, Some(cfg.clone())) {
        Ok(r) => r,
        Err(_) => Readability::new(html, None, Some(cfg)).map_err(|_| ExtractError::NoArticle)?,
    };
    let depth = tree_depth(&r, MAX_DEPTH);
    if depth > MAX_DEPTH {
        return Err(ExtractError::TooComplex(depth));
    }
    // parse() enforces the element limit; selectors run before it does.
    if !selectors.is_empty() {
        let elements = element_count(&r, MAX_ELEMENTS);
        if elements > MAX_ELEMENTS {
            return Err(ExtractError::TooComplex(elements));
        }
    }
    if let Some(ignore) = &ignore {
        select::remove_matches(&r.doc, ignore);
    }
    // Read page-level metadata first: parse() rewrites the document.
    let page = PageMeta::read(&r, url);
    let mut dated = meta::PageMeta::read(&r.doc);

    let mut out = Extracted {
        canonical_url: page.canonical,
        ..Extracted::default()
    };
    let mut paras = Vec::new();
    let mut title = String::new();
    if let Some(select) = &select {
        let containers = select::top_matches(&r.doc, select);
        if !containers.is_empty() {
            paras = collect_from(&containers, Root::Selected);
        }
        if paras.is_empty() {
            out.warnings.push(format!(
                "select {:?} matched {} on this page; the article was extracted automatically",
                selectors.describe_select(),
                if containers.is_empty() {
                    "nothing"
                } else {
                    "no text"
                }
            ));
        } else {
            // The page's own metadata, as readability reads it (without
            // letting it pick the article).
            let md = r.get_article_metadata(r.parse_json_ld());
            title = collapse(&md.title);
            out.byline = non_empty(md.byline.as_deref());
            dated.merge_readability(md.published_time.as_deref(), md.modified_time.as_deref());
            out.lang = non_empty(md.lang.as_deref());
            out.site_name = non_empty(md.site_name.as_deref());
        }
    }
    if paras.is_empty() {
        match r.parse() {
            Ok(article) => {
                title = collapse(&article.title);
                out.byline = non_empty(article.byline.as_deref());
                dated.merge_readability(
                    article.published_time.as_deref(),
                    article.modified_time.as_deref(),
                );
                out.dir = non_empty(article.dir.as_deref());
                out.lang = non_empty(article.lang.as_deref());
                out.site_name = non_empty(article.site_name.as_deref());
                paras = collect_paragraphs(&r, Root::Article);
            }
            Err(ReadabilityError::TooManyElements(n, _)) => {
                return Err(ExtractError::TooComplex(n));
            }
            Err(_) => {}
        }
    }
    if paras.is_empty() {
        // Readability found nothing usable (typical for short pages): walk
        // the body ourselves, minus the obvious page furniture.
        let fresh = Readability::from(html);
        if let Some(ignore) = &ignore {
            select::remove_matches(&fresh.doc, ignore);
        }
        if title.is_empty() {
            title = collapse(&fresh.get_article_title());
        }
        paras = collect_paragraphs(&fresh, Root::Body);
    }
    if paras.is_empty() {
        return Err(ExtractError::NoArticle);
    }

    out.byline = dated.byline(out.byline.as_deref());
    out.published = dated.published;
    out.modified = dated.modified;
    out.dir = out.dir.or(page.dir);
    out.lang = out.lang.or(page.lang);
    out.site_name = out.site_name.or(page.site_name.clone()).or(dated.site_name);

    // The article usually repeats the title as its first heading; the
    // heading is also the cleaner title when <title> adds the site's name
    // (readability keeps "Short title | Site" when the title is short).
    if let Some(i) = paras.iter().position(|p| p.heading)
        && (paras[i].text == title || is_decorated(&title, &paras[i].text))
    {
        title = paras.remove(i).text;
        if paras.is_empty() {
            return Err(ExtractError::NoArticle);
        }
    } else if let Some(h) = &page.heading
        && is_decorated(&title, h)
    {
        // readability already dropped the heading from the body.
        title.clone_from(h);
    } else if let Some(site) = &out.site_name
        && let Some(stripped) = strip_decoration(&title, site)
    {
        title = stripped.to_owned();
    } else if let Some(h) = &dated.headline
        && has_core(&title, h)
    {
        // The page's JSON-LD names the headline that <title> decorates.
        title.clone_from(h);
    }
    Ok((out, title, paras))
}

const TITLE_SEPARATORS: &[char] = &['|', '-', '–', '—', ':', '·', '/', '»', '«', '\\'];

/// `title` is `core` plus a separator and something shorter than `core`
/// (usually the site name), on either side.
fn is_decorated(title: &str, core: &str) -> bool {
    let n = core.chars().count();
    let extra_ok = |extra: &str| {
        let extra = extra.trim();
        !extra.is_empty() && extra.chars().count() < n
    };
    title
        .strip_prefix(core)
        .and_then(|r| r.trim_start().strip_prefix(TITLE_SEPARATORS))
        .is_some_and(extra_ok)
        || title
            .strip_suffix(core)
            .and_then(|r| r.trim_end().strip_suffix(TITLE_SEPARATORS))
            .is_some_and(extra_ok)
}

/// `title` is `core`, a separator and something else, on either side (the
/// core named by the page itself, whatever the lengths).
fn has_core(title: &str, core: &str) -> bool {
    let rest_ok = |rest: Option<&str>| rest.is_some_and(|r| !r.trim().is_empty());
    !core.is_empty()
        && (rest_ok(
            title
                .strip_prefix(core)
                .and_then(|r| r.trim_start().strip_prefix(TITLE_SEPARATORS)),
        ) || rest_ok(
            title
                .strip_suffix(core)
                .and_then(|r| r.trim_end().strip_suffix(TITLE_SEPARATORS)),
        ))
}

/// Remove `decoration` (e.g. the site name) and its separator from either
/// end of `title`.
fn strip_decoration<'a>(title: &'a str, decoration: &str) -> Option<&'a str> {
    if decoration.is_empty() {
        return None;
    }
    let core = if let Some(rest) = title.strip_suffix(decoration) {
        rest.trim_end().strip_suffix(TITLE_SEPARATORS)?
    } else {
        let rest = title.strip_prefix(decoration)?;
        rest.trim_start().strip_prefix(TITLE_SEPARATORS)?
    };
    let core = core.trim();
    (!core.is_empty()).then_some(core)
}

/// Element nodes of the parsed tree, counting up to just past `cap`.
fn element_count(r: &Readability, cap: usize) -> usize {
    r.doc
        .root()
        .descendants_it()
        .filter(|n| n.is_element())
        .take(cap + 1)
        .count()
}

/// Depth of the parsed tree, counting up to just past `cap`.
fn tree_depth(r: &Readability, cap: usize) -> usize {
    let mut max = 0;
    let mut stack = vec![(r.doc.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        max = max.max(depth);
        if max > cap {
            break;
        }
        stack.extend(node.children_it(false).map(|c| (c, depth + 1)));
    }
    max
}

/// Rough element nesting depth from the raw markup, without parsing it:
/// start tags that need an end tag push, end tags pop back to their match
/// (looked for near the top only, to stay linear). Stops once past `cap`.
fn estimate_depth(html: &str, cap: usize) -> usize {
    // Elements that never nest: void, or implicitly closed by their siblings.
    const NO_PUSH: [&[u8]; 25] = [
        b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
        b"param", b"source", b"track", b"wbr", b"p", b"li", b"td", b"th", b"tr", b"option", b"dt",
        b"dd", b"html", b"head", b"body",
    ];
    const RAW_TEXT: [&[u8]; 6] = [
        b"script",
        b"style",
        b"textarea",
        b"title",
        b"xmp",
        b"noscript",
    ];
    let b = html.as_bytes();
    let mut open: Vec<&[u8]> = Vec::new();
    let mut max = 0;
    let mut i = 0;
    while let Some(lt) = b[i..].iter().position(|&c| c == b'<') {
        i += lt + 1;
        if b[i..].starts_with(b"!--") {
            match find_bytes(b, b"-->", i + 3) {
                Some(end) => {
                    i = end + 3;
                    continue;
                }
                None => break,
            }
        }
        let closing = b.get(i) == Some(&b'/');
        let name_start = i + usize::from(closing);
        let name_len = b[name_start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !b[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = &b[name_start..name_start + name_len];
        let Some(gt) = b[name_start..].iter().position(|&c| c == b'>') else {
            break;
        };
        i = name_start + gt + 1;
        let self_closing = b[i - 2] == b'/';
        let is = |set: &[&[u8]]| set.iter().any(|n| n.eq_ignore_ascii_case(name));
        if closing {
            if let Some(k) = open
                .iter()
                .rev()
                .take(16)
                .position(|n| n.eq_ignore_ascii_case(name))
            {
                open.truncate(open.len() - k - 1);
            }
        } else if is(&RAW_TEXT) {
            // Skip to the matching end tag: its content is not markup.
            let mut end_tag = Vec::with_capacity(name.len() + 2);
            end_tag.extend_from_slice(b"</");
            end_tag.extend_from_slice(name);
            match find_ci_bytes(b, &end_tag, i) {
                Some(end) => i = end,
                None => break,
            }
        } else if !self_closing && !is(&NO_PUSH) {
            open.push(name);
            max = max.max(open.len());
            if max > cap {
                break;
            }
        }
    }
    max
}

fn find_bytes(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn find_ci_bytes(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}

/// Metadata read from the whole page before readability prunes it.
#[derive(Default)]
struct PageMeta {
    canonical: Option<String>,
    dir: Option<String>,
    lang: Option<String>,
    site_name: Option<String>,
    /// First h1 (else h2) of the page.
    heading: Option<String>,
}

impl PageMeta {
    fn read(r: &Readability, url: Option<&str>) -> Self {
        let doc = &r.doc;
        let attr = |sel: &str, name: &str| {
            doc.select(sel)
                .iter()
                .find_map(|s| non_empty(s.attr(name).as_deref()))
        };
        let canonical = attr("link[rel~=canonical][href]", "href")
            .or_else(|| attr("meta[property=\"og:url\"][content]", "content"))
            .and_then(|href| resolve(&href, url));
        Self {
            canonical,
            dir: attr("html[dir]", "dir").or_else(|| attr("body[dir]", "dir")),
            lang: attr("html[lang]", "lang"),
            site_name: attr("meta[property=\"og:site_name\"]", "content"),
            heading: ["h1", "h2"].iter().find_map(|h| {
                let t = collapse(&doc.select_single(h).text());
                (!t.is_empty()).then_some(t)
            }),
        }
    }
}

/// Resolve `href` against the page URL, handling only what needs no URL
/// parser: absolute URLs, and protocol- or root-relative paths.
fn resolve(href: &str, base: Option<&str>) -> Option<String> {
    let href = href.trim();
    if is_absolute(href) {
        return Some(href.to_owned());
    }
    let base = base.map(str::trim).filter(|b| is_absolute(b))?;
    let scheme_end = base.find("://")?;
    if let Some(rest) = href.strip_prefix("//") {
        return (!rest.is_empty()).then(|| format!("{}//{rest}", &base[..scheme_end + 1]));
    }
    if href.starts_with('/') {
        let host_start = scheme_end + 3;
        let host_end = base[host_start..]
            .find(['/', '?', '#'])
            .map_or(base.len(), |i| host_start + i);
        return Some(format!("{}{href}", &base[..host_end]));
    }
    None
}

/// `scheme://something`, with a scheme as RFC 3986 defines it.
fn is_absolute(s: &str) -> bool {
    let Some(i) = s.find("://") else {
        return false;
    };
    let scheme = &s[..i];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && s.len() > i + 3
}

fn non_empty(s: Option<&str>) -> Option<String> {
    let s = collapse(s?);
    (!s.is_empty()).then_some(s)
}

/// Collapse runs of whitespace to one space and trim.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

struct Para {
    text: String,
    heading: bool,
    list_item: bool,
    /// Classes, ids and tags around the text, for the furniture model.
    marks: Marks,
    /// Non-space characters, and how many of them sat inside links.
    chars: u32,
    link_chars: u32,
}

#[derive(Clone, Copy, PartialEq)]
enum Root {
    /// dom_smoothie's cleaned article, already free of page furniture.
    Article,
    /// The raw `<body>`, for the fallback walk.
    Body,
    /// Containers the user's `select` matched: kept whole, like the article.
    Selected,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Skip,
    Block,
    Heading,
    ListItem,
    Row,
    Cell,
    Pre,
    Br,
    Inline,
}

fn classify(name: &str, root: Root) -> Kind {
    match name {
        "script" | "style" | "noscript" | "template" | "head" | "title" | "svg" | "math"
        | "iframe" | "object" | "embed" | "canvas" | "select" | "button" | "textarea" | "input"
        | "nav" | "aside" | "form" | "dialog" => Kind::Skip,
        "header" | "footer" if root == Root::Body => Kind::Skip,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Kind::Heading,
        "li" => Kind::ListItem,
        "tr" => Kind::Row,
        "td" | "th" => Kind::Cell,
        "pre" => Kind::Pre,
        "br" => Kind::Br,
        "p" | "div" | "blockquote" | "section" | "article" | "main" | "header" | "footer"
        | "ul" | "ol" | "dl" | "dt" | "dd" | "table" | "thead" | "tbody" | "tfoot" | "caption"
        | "figure" | "figcaption" | "address" | "details" | "summary" | "hr" | "center"
        | "fieldset" | "legend" | "body" | "html" | "hgroup" | "menu" => Kind::Block,
        _ => Kind::Inline,
    }
}

enum Step<N> {
    Enter(N),
    Exit(Kind),
}

/// Walk the article (or body) and gather its paragraphs. Iterative, so
/// absurdly deep markup cannot overflow the stack.
fn collect_paragraphs(r: &Readability, root: Root) -> Vec<Para> {
    let start = match root {
        Root::Article => r
            .doc
            .select_single("#readability-page-1")
            .nodes()
            .first()
            .cloned(),
        Root::Body => r.doc.body(),
        // The containers are handed to collect_from by the caller.
        Root::Selected => None,
    };
    let Some(start) = start else {
        return Vec::new();
    };
    collect_from(&[start], root)
}

/// Gather the paragraphs of `starts` (in order), each walked as `root` says.
fn collect_from(starts: &[NodeRef], root: Root) -> Vec<Para> {
    let mut b = Builder::default();
    let mut stack: Vec<Step<NodeRef>> = starts.iter().rev().map(|n| Step::Enter(*n)).collect();
    while let Some(step) = stack.pop() {
        match step {
            Step::Exit(kind) => b.close(kind),
            Step::Enter(node) => {
                if node.is_text() {
                    b.text(&node.text());
                    continue;
                }
                if !node.is_element() {
                    continue;
                }
                let kind = match node.node_name() {
                    Some(name) => classify(&name, root),
                    None => Kind::Inline,
                };
                if kind == Kind::Skip || node.has_attr("hidden") {
                    continue;
                }
                let attrs = ["class", "id", "itemprop", "role"].map(|a| node.attr(a));
                let attrs: Vec<&str> = attrs.iter().flatten().map(|v| &**v).collect();
                let name = node.node_name();
                let marks = furniture::element_marks(name.as_deref().unwrap_or(""), &attrs);
                b.open(kind, marks);
                stack.push(Step::Exit(kind));
                stack.extend(node.children_it(true).map(Step::Enter));
            }
        }
    }
    b.flush();
    b.paras
}

#[derive(Default)]
struct Builder {
    paras: Vec<Para>,
    cur: String,
    /// Marks of the open elements, each the union of its ancestors'.
    marks: Vec<Marks>,
    /// What the current paragraph's text was inside of.
    tally: MarkTally,
    pending_space: bool,
    list_item: bool,
    heading: bool,
    /// Inside a table row, nested blocks are just cell content.
    row_depth: usize,
    pre_depth: usize,
}

impl Builder {
    fn open(&mut self, kind: Kind, marks: Marks) {
        self.open_kind(kind);
        let inherited = self.marks.last().copied().unwrap_or_default();
        self.marks.push(inherited.union(marks));
    }

    fn close(&mut self, kind: Kind) {
        self.close_kind(kind);
        self.marks.pop();
    }

    fn open_kind(&mut self, kind: Kind) {
        match kind {
            Kind::Inline | Kind::Skip => {}
            Kind::Br => {
                self.cur.push('\n');
                self.pending_space = false;
            }
            Kind::Cell => {
                if self.row_depth > 0 && !self.cur.trim().is_empty() {
                    self.cur.push_str(" | ");
                    self.pending_space = false;
                }
            }
            _ if self.row_depth > 0 => self.pending_space = true,
            Kind::Row => {
                self.flush();
                self.row_depth += 1;
            }
            Kind::Pre => {
                self.flush();
                self.pre_depth += 1;
            }
            Kind::Heading => {
                self.flush();
                self.heading = true;
            }
            Kind::ListItem => {
                self.flush();
                self.list_item = true;
            }
            Kind::Block => self.flush(),
        }
    }

    fn close_kind(&mut self, kind: Kind) {
        match kind {
            Kind::Inline | Kind::Skip | Kind::Br | Kind::Cell => {}
            Kind::Row => {
                self.row_depth = self.row_depth.saturating_sub(1);
                if self.row_depth == 0 {
                    self.end_block();
                }
            }
            _ if self.row_depth > 0 => self.pending_space = true,
            Kind::Pre => {
                self.end_block();
                self.pre_depth = self.pre_depth.saturating_sub(1);
            }
            Kind::Heading | Kind::ListItem | Kind::Block => self.end_block(),
        }
    }

    fn end_block(&mut self) {
        self.flush();
        self.list_item = false;
        self.heading = false;
    }

    fn text(&mut self, t: &str) {
        let visible = t.chars().filter(|c| !c.is_whitespace()).count() as u32;
        if visible > 0 {
            let marks = self.marks.last().copied().unwrap_or_default();
            self.tally.add(marks, visible);
        }
        if self.pre_depth > 0 {
            self.cur.push_str(t);
            return;
        }
        for c in t.chars() {
            if c.is_whitespace() {
                self.pending_space = true;
            } else {
                if self.pending_space && !self.cur.is_empty() && !self.cur.ends_with('\n') {
                    self.cur.push(' ');
                }
                self.pending_space = false;
                self.cur.push(c);
            }
        }
    }

    /// End the current paragraph. Blank lines inside it (`<br><br>`) split
    /// it, since they mean a paragraph break; a list item or heading flag is
    /// kept until some text actually carries it.
    fn flush(&mut self) {
        self.pending_space = false;
        if self.cur.trim().is_empty() {
            self.cur.clear();
            self.reset_counts();
            return;
        }
        let cur = std::mem::take(&mut self.cur);
        let pre = self.pre_depth > 0;
        let mut para = String::new();
        for line in cur.lines() {
            // Spaces next to a <br> are layout, not content (except in <pre>).
            let line = if pre { line.trim_end() } else { line.trim() };
            if line.is_empty() {
                if !pre {
                    self.push_para(std::mem::take(&mut para));
                } else if !para.is_empty() {
                    para.push('\n');
                }
                continue;
            }
            if !para.is_empty() {
                para.push('\n');
            }
            para.push_str(line);
        }
        self.push_para(para);
        self.list_item = false;
        self.heading = false;
        self.reset_counts();
    }

    fn reset_counts(&mut self) {
        self.tally = MarkTally::default();
    }

    fn push_para(&mut self, text: String) {
        let text = text.trim_end_matches('\n');
        if text.trim().is_empty() {
            return;
        }
        let text = if self.list_item {
            format!("- {text}")
        } else {
            text.to_owned()
        };
        // A paragraph split at a blank line shares its chunk's link density.
        let chars = text.chars().filter(|c| !c.is_whitespace()).count() as u32;
        let link_share = self.tally.link_chars as f32 / self.tally.chars.max(1) as f32;
        self.paras.push(Para {
            text,
            heading: self.heading,
            list_item: self.list_item,
            marks: self.tally.majority(),
            chars,
            link_chars: (link_share * chars as f32).round() as u32,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARABIC_PAGE: &str = r#"<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>ارتفاع أسعار النفط في الأسواق العالمية - صحيفة الخبر</title>
<meta property="og:site_name" content="صحيفة الخبر">
<meta property="article:published_time" content="2024-03-05T10:30:00+03:00">
<link rel="canonical" href="/economy/2024/03/05/oil-prices">
<script>alert(1)</script>
<style>body { color: red }</style>
</head>
<body>
<header class="site-header"><a href="/" class="logo">صحيفة الخبر</a>
<nav class="main-nav"><ul><li><a href="/">الرئيسية</a></li><li><a href="/politics">سياسة</a></li><li><a href="/economy">اقتصاد</a></li><li><a href="/sports">رياضة</a></li></ul></nav>
</header>
<div class="ad ad-banner" id="ad-top">إعلان: اشترك الآن واحصل على خصم ٥٠٪</div>
<main>
<article>
<h1>ارتفاع أسعار النفط في الأسواق العالمية</h1>
<p class="byline">بقلم: أحمد محمود</p>
<p>ارتفعت أسعار النفط بشكل ملحوظ في تعاملات يوم الثلاثاء، مدفوعة بمخاوف من تراجع الإمدادات
   في ظل التوترات   المتصاعدة في منطقة الشرق الأوسط، وفق ما أفاد به متعاملون في السوق.</p>
<p>وصعدت العقود الآجلة لخام برنت بنسبة <b>اثنين في المئة</b> لتصل إلى أعلى مستوى لها منذ
   ثلاثة أشهر، في حين سجل خام غرب تكساس الوسيط مكاسب مماثلة خلال الجلسة نفسها.</p>
<script>alert(1)</script>
<p>وقال محللون إن قرار منظمة البلدان المصدرة للبترول وحلفائها بتمديد خفض الإنتاج حتى نهاية
   العام الجاري ساهم في دعم الأسعار، إلى جانب بيانات اقتصادية إيجابية من الصين.<br>وأضافوا أن
   الطلب العالمي قد يرتفع خلال الصيف.</p>
<p>وتشمل العوامل المؤثرة في السوق ما يلي:</p>
<ul>
<li>التوترات الجيوسياسية في المنطقة</li>
<li>قرارات خفض الإنتاج &amp; سياسات التصدير</li>
<li>الطلب المتزايد من الاقتصادات الآسيوية</li>
</ul>
<table>
<tr><th>الخام</th><th>السعر</th></tr>
<tr><td>برنت</td><td>85 دولارا</td></tr>
<tr><td>غرب تكساس</td><td>81 دولارا</td></tr>
</table>
<p>ومن المتوقع أن تواصل الأسعار تقلباتها خلال الأسابيع المقبلة، بحسب تقديرات المؤسسات المالية
   الكبرى التي تتابع تطورات السوق عن كثب.</p>
</article>
</main>
<aside class="related"><h3>أخبار ذات صلة</h3><ul><li><a href="/a">الذهب يتراجع</a></li><li><a href="/b">الدولار يستقر</a></li></ul></aside>
<div id="comments" class="comments"><h3>التعليقات</h3><div class="comment">تعليق رائع جدا</div></div>
<!-- تعليق مخفي في الصفحة -->
<footer class="site-footer"><p>جميع الحقوق محفوظة © صحيفة الخبر</p></footer>
</body>
</html>"#;

    const ARABIC_TEXT: &str = "ارتفاع أسعار النفط في الأسواق العالمية

ارتفعت أسعار النفط بشكل ملحوظ في تعاملات يوم الثلاثاء، مدفوعة بمخاوف من تراجع الإمدادات في ظل التوترات المتصاعدة في منطقة الشرق الأوسط، وفق ما أفاد به متعاملون في السوق.

وصعدت العقود الآجلة لخام برنت بنسبة اثنين في المئة لتصل إلى أعلى مستوى لها منذ ثلاثة أشهر، في حين سجل خام غرب تكساس الوسيط مكاسب مماثلة خلال الجلسة نفسها.

وقال محللون إن قرار منظمة البلدان المصدرة للبترول وحلفائها بتمديد خفض الإنتاج حتى نهاية العام الجاري ساهم في دعم الأسعار، إلى جانب بيانات اقتصادية إيجابية من الصين.
وأضافوا أن الطلب العالمي قد يرتفع خلال الصيف.

وتشمل العوامل المؤثرة في السوق ما يلي:

- التوترات الجيوسياسية في المنطقة

- قرارات خفض الإنتاج & سياسات التصدير

- الطلب المتزايد من الاقتصادات الآسيوية

الخام | السعر

برنت | 85 دولارا

غرب تكساس | 81 دولارا

ومن المتوقع أن تواصل الأسعار تقلباتها خلال الأسابيع المقبلة، بحسب تقديرات المؤسسات المالية الكبرى التي تتابع تطورات السوق عن كثب.";

    #[test]
    fn arabic_article() {
        let e = extract(ARABIC_PAGE, Some("https://alkhabar.example/economy?id=7")).unwrap();
        assert_eq!(e.text, ARABIC_TEXT, "\n{}", e.text);
        assert_eq!(
            e.title.as_deref(),
            Some("ارتفاع أسعار النفط في الأسواق العالمية")
        );
        assert_eq!(e.dir.as_deref(), Some("rtl"));
        assert_eq!(e.lang.as_deref(), Some("ar"));
        assert_eq!(
            e.canonical_url.as_deref(),
            Some("https://alkhabar.example/economy/2024/03/05/oil-prices")
        );
        assert_eq!(e.published.as_deref(), Some("2024-03-05T10:30:00+03:00"));
        assert_eq!(e.site_name.as_deref(), Some("صحيفة الخبر"));
        assert_eq!(e.byline.as_deref(), Some("أحمد محمود"));
        for junk in ["alert", "إعلان", "تعليق", "الرئيسية", "الذهب", "محفوظة"]
        {
            assert!(!e.text.contains(junk), "{junk} leaked into text");
        }
    }

    const ENGLISH_PAGE: &str = r#"<html><head>
<title>Council approves new budget | The Daily Example</title>
<meta property="og:url" content="https://daily.example/news/budget">
<meta name="author" content="Jane Smith">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<div class="story">
<h2>Council approves new budget</h2>
<div class="meta"><time datetime="2023-11-02">November 2, 2023</time></div>
<p>The city council voted 7-2 on Tuesday to approve a budget that raises spending on
public transport by 12 percent, the largest increase in a decade.</p>
<p>Supporters said the plan would cut commuting times; opponents warned it would force
higher property taxes within two years. The mayor is expected to sign it next week.</p>
<blockquote>"This is a budget for the next generation," said councillor Ana Ruiz.</blockquote>
<pre>Line one
  indented line</pre>
</div>
<footer>Copyright 2023</footer>
</body></html>"#;

    #[test]
    fn english_article() {
        let e = extract(ENGLISH_PAGE, None).unwrap();
        assert_eq!(e.title.as_deref(), Some("Council approves new budget"));
        assert_eq!(
            e.canonical_url.as_deref(),
            Some("https://daily.example/news/budget")
        );
        assert_eq!(e.published.as_deref(), Some("2023-11-02"));
        assert_eq!(e.dir, None);
        assert_eq!(
            e.text,
            // The dateline (`<time>` in a `meta` box) is page furniture: the
            // date stays in `published`.
            "Council approves new budget\n\n\
             The city council voted 7-2 on Tuesday to approve a budget that raises spending on \
             public transport by 12 percent, the largest increase in a decade.\n\n\
             Supporters said the plan would cut commuting times; opponents warned it would force \
             higher property taxes within two years. The mayor is expected to sign it next week.\n\n\
             \"This is a budget for the next generation,\" said councillor Ana Ruiz.\n\n\
             Line one\n  indented line"
        );
        assert_eq!(e.byline.as_deref(), Some("Jane Smith"));
        assert!(!e.text.contains("Home"));
        assert!(!e.text.contains("Copyright"));
    }

    #[test]
    fn small_page_falls_back_to_body_walk() {
        let html = "<html><head><title>Short</title></head><body>\
            <nav>Menu</nav><p>Just one short line.</p><div>Direct <i>div</i> text</div>\
            <footer>foot</footer></body></html>";
        let e = extract(html, None).unwrap();
        assert_eq!(e.text, "Short\n\nJust one short line.\n\nDirect div text");
    }

    #[test]
    fn no_article() {
        for html in [
            "",
            "<html><head><title>Nothing</title><script>var x = 1;</script></head><body></body></html>",
            "<html><body><nav><a href='/'>Home</a></nav><script>alert(1)</script>\
             <footer>Copyright</footer></body></html>",
        ] {
            let e = extract(html, None).unwrap_err();
            assert!(matches!(e, ExtractError::NoArticle), "{html}: {e:?}");
            assert_eq!(e.to_string(), "no article text found");
        }
    }

    #[test]
    fn malformed_html_does_not_panic() {
        let inputs = [
            "<html><body><p>unclosed <b>bold <i>italic</p><td>cell</table></li></ul>",
            "<<<>>><p>&#xffffffff; &bogus; &amp</p><br/><br><br>",
            "<table><tr><td><table><tr><td>nested</td></tr></table></td></tr>",
            "<pre>\n\n</pre><p>   </p><li></li>",
            "<html dir=rtl lang=ar><body><p>نص قصير</p>",
        ];
        for html in inputs {
            let _ = extract(html, Some("not a url"));
            let _ = extract(html, Some("https://"));
        }
        for n in [500, 3_000, 50_000] {
            let deep = "<div>".repeat(n) + "deep text";
            let r = extract(&deep, None);
            assert_eq!(
                n > MAX_DEPTH,
                matches!(r, Err(ExtractError::TooComplex(_))),
                "{n}"
            );
            // Unclosed inline formatting nests in the DOM too.
            let deep = "<font><span>x".repeat(n / 2);
            let r = extract(&deep, None);
            assert_eq!(
                n > MAX_DEPTH,
                matches!(r, Err(ExtractError::TooComplex(_))),
                "{n}"
            );
        }
        // Sloppy but shallow markup is not mistaken for deep nesting.
        let sloppy = "<div><p>para <b>bold</i></div><li>x<td>y<br><img src=a>".repeat(5_000);
        assert!(estimate_depth(&sloppy, usize::MAX) <= 3);
    }

    #[test]
    fn too_complex() {
        let html = format!(
            "<html><body>{}</body></html>",
            "<b></b>".repeat(MAX_ELEMENTS + 10)
        );
        assert!(matches!(
            extract(&html, None),
            Err(ExtractError::TooComplex(_))
        ));
    }

    #[test]
    fn builder_structure() {
        let html = "<html><body><ul><li>Outer<ul><li>Inner</li></ul></li></ul>\
            <p>a<br><br>b</p><table><tr><td></td><td><p>x</p><p>y</p></td><td>z</td></tr></table>\
            <h2>Head</h2><p hidden>secret</p></body></html>";
        let r = Readability::from(html);
        let paras = collect_paragraphs(&r, Root::Body);
        let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["- Outer", "- Inner", "a", "b", "x y | z", "Head"]);
        assert!(paras[5].heading);
    }

    #[test]
    fn a_title_decorating_the_json_ld_headline_is_cut_to_it() {
        assert!(has_core(
            "Storm kills 12 | The Example Post",
            "Storm kills 12"
        ));
        assert!(has_core(
            "الموقع - عاجل: حادث في العاصمة",
            "عاجل: حادث في العاصمة"
        ));
        assert!(!has_core("Storm kills 12", "Storm kills 12"));
        assert!(!has_core("Storm kills 120 people", "Storm kills 12"));
        let html = r#"<html><head><title>Storm kills 12 – The Example Post, since 1851</title>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Storm kills 12"}</script>
</head><body><p>The storm killed 12 people in the coastal towns, the agency said on Thursday.</p></body></html>"#;
        let e = extract(html, None).unwrap();
        assert_eq!(e.title.as_deref(), Some("Storm kills 12"));
        assert!(e.text.starts_with("Storm kills 12\n\n"), "{}", e.text);
    }

    #[test]
    fn resolve_urls() {
        let base = Some("https://a.example/x/y?q=1");
        assert_eq!(resolve("/p", base).as_deref(), Some("https://a.example/p"));
        assert_eq!(
            resolve("//b.example/p", base).as_deref(),
            Some("https://b.example/p")
        );
        assert_eq!(
            resolve("http://c.example/", None).as_deref(),
            Some("http://c.example/")
        );
        assert_eq!(resolve("rel/p", base), None);
        assert_eq!(resolve("/p", None), None);
        assert_eq!(
            resolve("/p", Some("https://h.example")).as_deref(),
            Some("https://h.example/p")
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn extract_never_panics(s in "\\PC{0,300}") {
            let _ = extract(&s, None);
        }

        #[test]
        fn extract_tag_soup_never_panics(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("<p>".to_owned()),
                    proptest::strategy::Just("</p>".to_owned()),
                    proptest::strategy::Just("<li>".to_owned()),
                    proptest::strategy::Just("<tr><td>".to_owned()),
                    proptest::strategy::Just("<br>".to_owned()),
                    proptest::strategy::Just("<pre>".to_owned()),
                    proptest::strategy::Just("<h1>".to_owned()),
                    proptest::strategy::Just("<script>".to_owned()),
                    "[a-z ء-ي&;<>/]{0,20}",
                ],
                0..60,
            )
        ) {
            let _ = extract(&parts.concat(), Some("https://x.example/a"));
        }
    }
}
