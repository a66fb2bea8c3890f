//! Atom feeds of changes, to subscribe to: every change of the store (the
//! global feed), of one `[[source]]`, or of one article.
//!
//! Each entry is one new version, revert or new article. Its content (HTML,
//! escaped into the feed as `type="html"`) leads with the headline change
//! and the claim changes (`quantity update: 12 شخصاً → 15 شخصاً`), then the
//! word diff of the changed sentences, then the article's address: the
//! report of [`crate::compare::compare`], as `track diff` shows it.
//!
//! Everything from a scrape is escaped twice over: as HTML text (control and
//! bidi control characters shown as `\x1b`, `\u{202e}`, as in every human
//! output), then as XML, which also drops what XML 1.0 forbids. The article's
//! text is laid out in its own direction (`dir="rtl"` for Arabic), and every
//! changed span and claim value is isolated (`<bdi>`) so it cannot reorder
//! its neighbours. Sizes are bounded: entries by [`FeedOptions::limit`], an
//! entry's content by [`MAX_CONTENT`].
//!
//! Nothing here prints: [`feed`] returns the document (for `track feed`,
//! and for `track serve` to serve).

use std::borrow::Cow;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::claims::compare::{ClaimChange, Status};
use crate::compare::{CompareOptions, Pair};
use crate::diff::{Op, WordChange, WordOp};
use crate::report::{DiffReport, Mode, SentenceRow, UnitRef, describe_change_with, slot_text};
use crate::store::sources::{Change, ChangeScope, Edit};
use crate::store::{Store, StoreError, VersionRef, VersionText, format_time};
use crate::text::visible::visible_line;
use crate::watch::events::{EventKind, describe_counts, summary};

/// Entries of a feed unless asked otherwise (the newest).
pub const DEFAULT_LIMIT: usize = 50;
/// Entries of a feed at most, whatever is asked.
pub const MAX_LIMIT: usize = 1000;
/// Bytes of an entry's HTML content at most (before the feed's own
/// escaping): the rest of a long change is left to `track diff`.
pub const MAX_CONTENT: usize = 24 * 1024;
/// Claim changes listed per entry at most.
const MAX_CLAIMS: usize = 12;
/// Characters of a claim value, a sentence or a headline shown at most.
const MAX_VALUE_CHARS: usize = 300;
const MAX_UNIT_CHARS: usize = 600;
/// Characters of a word diff row at most, and of an unchanged run kept on
/// each side of a change.
const MAX_ROW_CHARS: usize = 1500;
const EQUAL_KEPT: usize = 120;
/// Characters of a new article's beginning shown.
const LEAD_CHARS: usize = 400;
/// The id of the global feed (as before per-source feeds existed).
const GLOBAL_FEED_ID: &str = "urn:track:changes";

/// Whose changes a feed lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every article of the store.
    All,
    /// The articles of one `[[source]]` of the sources file, by name: those
    /// its items recorded themselves (an article another source reached
    /// first is that source's).
    Source(String),
    /// One article, by key.
    Key(String),
}

/// What a feed holds.
#[derive(Debug, Clone)]
pub struct FeedOptions {
    pub scope: Scope,
    /// Only changes observed from this time on (`None`: however old).
    pub since: Option<DateTime<Utc>>,
    /// Also versions that only changed spelling or sentence order.
    pub all: bool,
    /// The newest entries kept, at most (1 to [`MAX_LIMIT`]).
    pub limit: usize,
    /// The feed's title (`None`: one naming the scope).
    pub title: Option<String>,
    /// Where the feed itself is served (`<link rel="self">`), if anywhere.
    pub self_url: Option<String>,
}

impl FeedOptions {
    /// The newest [`DEFAULT_LIMIT`] changes of `scope`, however old, minor
    /// edits left out.
    pub fn new(scope: Scope) -> FeedOptions {
        FeedOptions {
            scope,
            since: None,
            all: false,
            limit: DEFAULT_LIMIT,
            title: None,
            self_url: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error(
        "no source {0:?} in the store (a source's feed lists what `track check` or `track watch` recorded for it)"
    )]
    UnknownSource(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One entry: a change, and what it changed.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub change: Change,
    pub kind: EventKind,
    /// One line: `KEY: v1 → v2: 1 edited (sentences)`.
    pub summary: String,
    /// The version the change brought.
    pub version: VersionText,
    /// The comparison with the version current before (new versions and
    /// reverts; `None` for a new article).
    pub report: Option<DiffReport>,
}

/// The feed's own elements.
#[derive(Debug, Clone)]
pub struct FeedHead {
    pub id: String,
    pub title: String,
    /// RFC 3339.
    pub updated: String,
    pub self_url: Option<String>,
}

/// The Atom feed of `options`, as a document.
pub fn feed(store: &Store, options: &FeedOptions) -> Result<String, FeedError> {
    let entries = entries(store, options)?;
    Ok(render(&entries, &head(&entries, options)))
}

/// The global feed: the newest [`DEFAULT_LIMIT`] changes of every article,
/// however old (`track feed` keeps to the last week unless told).
pub fn global_feed(store: &Store) -> Result<String, FeedError> {
    feed(store, &FeedOptions::new(Scope::All))
}

/// The feed of one `[[source]]`'s articles.
pub fn source_feed(store: &Store, source: &str) -> Result<String, FeedError> {
    feed(store, &FeedOptions::new(Scope::Source(source.to_string())))
}

/// The feed of one article.
pub fn article_feed(store: &Store, key: &str) -> Result<String, FeedError> {
    feed(store, &FeedOptions::new(Scope::Key(key.to_string())))
}

/// The entries of `options`, newest first, each compared with the version
/// before it (claims and segmentation cached in the store).
pub fn entries(store: &Store, options: &FeedOptions) -> Result<Vec<FeedEntry>, FeedError> {
    let scope = match &options.scope {
        Scope::All => ChangeScope::All,
        Scope::Source(name) => {
            if !store.source_known(name)? {
                return Err(FeedError::UnknownSource(name.clone()));
            }
            ChangeScope::Source(name)
        }
        Scope::Key(key) => ChangeScope::Key(key),
    };
    let since = options.since.map(format_time).unwrap_or_default();
    let limit = options.limit.clamp(1, MAX_LIMIT);
    // Minor edits are left out after reading (some are classified only
    // then): read pages until enough are kept.
    let mut kept: Vec<Change> = Vec::with_capacity(limit);
    let mut offset = 0;
    loop {
        let mut page = store.latest_changes(scope, &since, limit, offset)?;
        let read = page.len();
        crate::ingest::classify_edits(store, &mut page)?;
        kept.extend(
            page.into_iter()
                .filter(|c| options.all || !c.edit.is_some_and(Edit::is_minor)),
        );
        if kept.len() >= limit || read < limit {
            break;
        }
        offset += read;
    }
    kept.truncate(limit);
    kept.into_iter().map(|c| entry(store, c)).collect()
}

fn entry(store: &Store, change: Change) -> Result<FeedEntry, FeedError> {
    let kind = match (change.kind.as_str(), change.version) {
        ("revert", _) => EventKind::Revert,
        (_, 1) => EventKind::NewArticle,
        _ => EventKind::NewVersion,
    };
    let text = |v: i64| {
        store.version(&VersionRef {
            key: change.key.clone(),
            version: Some(v),
        })
    };
    let version = text(change.version)?;
    let report = match change.previous {
        Some(previous) if previous != change.version => {
            let pair = Pair {
                mode: Mode::Versions,
                from: text(previous)?,
                to: version.clone(),
                revert: kind == EventKind::Revert,
            };
            Some(crate::compare::compare(
                store,
                &pair,
                &CompareOptions::default(),
            ))
        }
        _ => None,
    };
    let mut line = summary(
        &change.key,
        kind,
        change.version,
        change.previous,
        report.as_ref().map(|r| &r.counts),
    );
    if report.as_ref().is_some_and(|r| r.title_change.is_some()) {
        line.push_str("; headline changed");
    }
    // Listed only with `all`: say so.
    if let Some(edit) = change.edit.filter(|e| e.is_minor()) {
        let _ = write!(line, " ({} only)", edit.as_str());
    }
    Ok(FeedEntry {
        change,
        kind,
        summary: line,
        version,
        report,
    })
}

/// The feed's id, title and time for `entries` of `options`.
pub fn head(entries: &[FeedEntry], options: &FeedOptions) -> FeedHead {
    let (id, default_title) = match &options.scope {
        Scope::All => (GLOBAL_FEED_ID.to_string(), "track: changes".to_string()),
        Scope::Source(name) => (
            uuid_urn(&["source", name]),
            format!("track: changes in {name}"),
        ),
        Scope::Key(key) => {
            let headline = entries
                .first()
                .and_then(|e| e.change.title.as_deref())
                .unwrap_or(key);
            (
                uuid_urn(&["article", key]),
                format!("track: changes to {headline}"),
            )
        }
    };
    FeedHead {
        id,
        title: options.title.clone().unwrap_or(default_title),
        updated: entries
            .first()
            .map_or_else(|| format_time(Utc::now()), |e| rfc3339(&e.change.at)),
        self_url: options.self_url.clone(),
    }
}

/// The Atom document of `entries` (newest first).
pub fn render(entries: &[FeedEntry], head: &FeedHead) -> String {
    let mut out = String::with_capacity(1024 + entries.len() * 4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(out, "  <title>{}</title>", xml_line(&head.title));
    let _ = writeln!(out, "  <id>{}</id>", xml(&head.id));
    let _ = writeln!(out, "  <updated>{}</updated>", xml(&head.updated));
    if let Some(url) = head.self_url.as_deref().filter(|u| is_web_link(u)) {
        let _ = writeln!(
            out,
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
            xml(url.trim())
        );
    }
    // Atom wants an author for the feed when an entry has none.
    out.push_str("  <author><name>track</name></author>\n");
    let _ = writeln!(
        out,
        "  <generator version=\"{}\">track</generator>",
        env!("CARGO_PKG_VERSION")
    );
    for e in entries {
        write_entry(&mut out, e);
    }
    out.push_str("</feed>\n");
    out
}

fn write_entry(out: &mut String, e: &FeedEntry) {
    let c = &e.change;
    let headline = c.title.as_deref().unwrap_or(&c.key);
    out.push_str("  <entry>\n");
    let _ = writeln!(
        out,
        "    <title>{} — v{}</title>",
        xml_line(&clip(headline, MAX_VALUE_CHARS)),
        c.version
    );
    // The observation's time tells apart a revert to v1 from v1 itself;
    // the version before and the kind, two such changes within a second.
    let previous = c.previous.map(|p| p.to_string()).unwrap_or_default();
    let _ = writeln!(
        out,
        "    <id>{}</id>",
        uuid_urn(&[
            "entry",
            &c.key,
            &c.version.to_string(),
            &c.at,
            &previous,
            &c.kind
        ])
    );
    let _ = writeln!(out, "    <updated>{}</updated>", rfc3339(&c.at));
    if let Some(byline) = e.version.byline.as_deref().filter(|b| !b.trim().is_empty()) {
        let _ = writeln!(
            out,
            "    <author><name>{}</name></author>",
            xml_line(&clip(byline, 200))
        );
    }
    // Only http(s) addresses become links: a page can claim any URL
    // (`javascript:`, `data:`, `file:`), and feed readers follow them.
    if let Some(url) = c.url.as_deref().filter(|u| is_web_link(u)) {
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml(url.trim())
        );
    }
    let kind = match e.kind {
        EventKind::NewArticle => "new_article",
        EventKind::NewVersion => "new_version",
        EventKind::Revert => "revert",
    };
    let _ = writeln!(out, "    <category term=\"{kind}\"/>");
    let _ = writeln!(out, "    <summary>{}</summary>", xml_line(&e.summary));
    let _ = writeln!(
        out,
        "    <content type=\"html\">{}</content>",
        xml(&content_html(e))
    );
    out.push_str("  </entry>\n");
}

/// An entry's content: what changed, for people, as HTML (no script, no
/// style, nothing fetched; every text from the scrape escaped).
pub fn content_html(e: &FeedEntry) -> String {
    let c = &e.change;
    let v = &e.version;
    let dir = match (v.dir.as_deref(), &e.report) {
        (Some(d @ ("rtl" | "ltr")), _) => d,
        (_, Some(report)) => report.layout_dir(),
        (_, None) => text_dir(&v.text),
    };
    let lang = v
        .lang
        .as_deref()
        .filter(|l| is_language_tag(l))
        .map(|l| format!(" lang=\"{l}\""))
        .unwrap_or_default();
    let mut h = String::with_capacity(4096);
    let _ = write!(h, "<div dir=\"{dir}\"{lang}>");
    let what = match (e.kind, c.previous, &e.report) {
        (EventKind::NewArticle, _, _) => format!("New article (v{}).", c.version),
        (EventKind::Revert, Some(p), _) => {
            format!("Reverted: from v{p} back to the text of v{}.", c.version)
        }
        (EventKind::Revert, None, _) => format!("Reverted to the text of v{}.", c.version),
        (EventKind::NewVersion, p, report) => format!(
            "Version {}{}: {}.",
            c.version,
            p.map(|p| format!(" (was v{p})")).unwrap_or_default(),
            report
                .as_ref()
                .map_or_else(|| "changed".into(), |r| describe_counts(&r.counts))
        ),
    };
    let minor = c
        .edit
        .filter(|e| e.is_minor())
        .map(|e| format!(" Only the {} changed.", minor_name(e)))
        .unwrap_or_default();
    let _ = write!(h, "<p dir=\"ltr\">{}{minor}</p>", html(&what));
    match &e.report {
        Some(report) => h.push_str(&changes_html(report, dir)),
        None => {
            let lead = lead(&v.text);
            if !lead.is_empty() {
                let _ = write!(h, "<p dir=\"{dir}\">{}</p>", html(&lead));
            }
        }
    }
    match c.url.as_deref() {
        Some(url) if is_web_link(url) => {
            let url = url.trim();
            let _ = write!(
                h,
                "<p dir=\"ltr\"><a href=\"{}\">{}</a></p>",
                html(url),
                isolated(&html_line(&clip(url, MAX_UNIT_CHARS)))
            );
        }
        // Any other address is shown, never linked.
        Some(url) => {
            let _ = write!(
                h,
                "<p dir=\"ltr\">Address: {}</p>",
                isolated(&html_line(&clip(url, MAX_UNIT_CHARS)))
            );
        }
        None => {
            let _ = write!(
                h,
                "<p dir=\"ltr\">Key: {}</p>",
                isolated(&html_line(&clip(&c.key, MAX_UNIT_CHARS)))
            );
        }
    }
    h.push_str("</div>");
    h
}

/// What a comparison of two versions found, as HTML: the headline change,
/// the claim changes, then the changed sentences as a word diff laid out in
/// `dir` (the article's direction), cut to fit [`MAX_CONTENT`]. Every text
/// from the scrape is escaped, every changed span isolated.
pub fn changes_html(report: &DiffReport, dir: &str) -> String {
    let dir = if dir == "rtl" { "rtl" } else { "ltr" };
    let mut h = String::with_capacity(4096);
    if let Some(t) = &report.title_change {
        let _ = write!(
            h,
            "<p dir=\"ltr\"><strong>Headline changed{}:</strong> <del>{}</del> → <ins>{}</ins></p>",
            if t.orthographic_only {
                " (orthographic only)"
            } else {
                ""
            },
            isolated(&html_line(&clip(&t.from, MAX_VALUE_CHARS))),
            isolated(&html_line(&clip(&t.to, MAX_VALUE_CHARS))),
        );
    }
    claims_html(&mut h, report);
    text_html(&mut h, report, dir);
    h
}

fn minor_name(edit: Edit) -> &'static str {
    match edit {
        Edit::Orthographic => "spelling",
        Edit::Moved => "sentence order",
        Edit::Text => "text",
    }
}

/// The claim changes, one item per changed value: `quantity update: was →
/// now`, in a left-to-right list whose values are isolated, so the old value
/// reads first whatever their script.
fn claims_html(h: &mut String, report: &DiffReport) {
    let rows: Vec<&ClaimChange> = report.claims.iter().filter(|c| c.is_change()).collect();
    if rows.is_empty() {
        return;
    }
    let count = |s: Status| rows.iter().filter(|c| c.status == s).count();
    let counts: Vec<String> = [
        (Status::Changed, "changed"),
        (Status::Added, "added"),
        (Status::Removed, "removed"),
        (Status::Reworded, "reworded"),
    ]
    .iter()
    .filter(|(s, _)| count(*s) > 0)
    .map(|(s, name)| format!("{} {name}", count(*s)))
    .collect();
    let _ = write!(
        h,
        "<p dir=\"ltr\"><strong>Claims:</strong> {}</p><ul dir=\"ltr\">",
        counts.join(", ")
    );
    let items: Vec<String> = rows.iter().flat_map(|c| claim_items(c)).collect();
    for item in items.iter().take(MAX_CLAIMS) {
        let _ = write!(h, "<li>{item}</li>");
    }
    if items.len() > MAX_CLAIMS {
        let _ = write!(h, "<li>… and {} more</li>", items.len() - MAX_CLAIMS);
    }
    h.push_str("</ul>");
}

/// A claim row as list items (HTML).
fn claim_items(c: &ClaimChange) -> Vec<String> {
    let sentence = |side: &Option<crate::claims::compare::ClaimSide>| {
        side.as_ref()
            .map(|s| isolated(&html_line(&clip(&s.text, MAX_VALUE_CHARS))))
            .unwrap_or_default()
    };
    match c.status {
        Status::Changed | Status::Conflicting if !c.changes.is_empty() => c
            .changes
            .iter()
            .map(|ch| {
                let parts = describe_change_with(ch, |slot| {
                    isolated(&html_line(&clip(&slot_text(slot), MAX_VALUE_CHARS)))
                });
                let what = html(&parts.what);
                match (parts.from, parts.to) {
                    (Some(from), Some(to)) => {
                        format!("{what}: <del>{from}</del> → <ins>{to}</ins>")
                    }
                    (Some(from), None) => format!("{what}: <del>{from}</del>"),
                    (None, Some(to)) => format!("{what}: <ins>{to}</ins>"),
                    (None, None) => what,
                }
            })
            .collect(),
        Status::Changed | Status::Conflicting => vec![format!(
            "changed: <del>{}</del> → <ins>{}</ins>",
            sentence(&c.from),
            sentence(&c.to)
        )],
        Status::Added | Status::OnlyTo => vec![format!("added: <ins>{}</ins>", sentence(&c.to))],
        Status::Removed | Status::OnlyFrom => {
            vec![format!("removed: <del>{}</del>", sentence(&c.from))]
        }
        Status::Reworded => vec![format!("reworded (no value changed): {}", sentence(&c.to))],
        Status::Unchanged | Status::Shared | Status::Related => Vec::new(),
    }
}

/// The changed sentences, in the article's direction, as long as the
/// content's size allows.
fn text_html(h: &mut String, report: &DiffReport, dir: &str) {
    let rows: Vec<&SentenceRow> = report
        .sentences
        .iter()
        .filter(|r| r.op != Op::Unchanged)
        .collect();
    if rows.is_empty() {
        return;
    }
    h.push_str("<p dir=\"ltr\"><strong>Text:</strong></p>");
    for (i, row) in rows.iter().enumerate() {
        let row_html = sentence_html(row, dir);
        if h.len() + row_html.len() > MAX_CONTENT {
            let _ = write!(
                h,
                "<p dir=\"ltr\">… {} more changed sentences: <code>{}</code> shows them all.</p>",
                rows.len() - i,
                html_line(&format!(
                    "track diff {} {}",
                    report.from.reference(),
                    report.to.reference()
                ))
            );
            return;
        }
        h.push_str(&row_html);
    }
}

fn sentence_html(row: &SentenceRow, dir: &str) -> String {
    let unit = |u: &Option<UnitRef>| {
        u.as_ref()
            .map(|u| html(&clip(&u.text, MAX_UNIT_CHARS)))
            .unwrap_or_default()
    };
    let body = match row.op {
        Op::Added => format!("<ins>{}</ins>", unit(&row.to)),
        Op::Removed => format!("<del>{}</del>", unit(&row.from)),
        // Moved as it was: the sentence, not a deletion and an insertion.
        Op::Moved if row.words.iter().all(|w| w.op == WordOp::Equal) => unit(&row.to),
        _ if row.shows_words() => words_html(&row.words),
        _ => format!(
            "<del>{}</del> <ins>{}</ins>",
            unit(&row.from),
            unit(&row.to)
        ),
    };
    let note = match row.op {
        Op::Added => "added",
        Op::Removed => "removed",
        Op::Moved => "moved",
        Op::Split => "split",
        Op::Merged => "merged",
        Op::Edited | Op::Unchanged => "edited",
    };
    let ortho = if row.orthographic_only {
        ", orthographic only"
    } else {
        ""
    };
    format!("<p dir=\"{dir}\">{body} <small dir=\"ltr\">({note}{ortho})</small></p>")
}

/// A word diff, each change isolated so a changed number or Latin name
/// cannot reorder its neighbours; long unchanged runs shortened around the
/// changes, the whole cut at [`MAX_ROW_CHARS`].
fn words_html(words: &[WordChange]) -> String {
    let mut s = String::new();
    let mut shown = 0;
    let last = words.len().saturating_sub(1);
    for (i, w) in words.iter().enumerate() {
        if shown >= MAX_ROW_CHARS {
            s.push('…');
            break;
        }
        let text: Cow<'_, str> = match w.op {
            WordOp::Equal => shorten_equal(&w.text, i == 0, i == last),
            _ => clip(&w.text, MAX_ROW_CHARS - shown),
        };
        shown += text.chars().count();
        match w.op {
            WordOp::Equal => s.push_str(&html(&text)),
            WordOp::Delete => {
                let _ = write!(s, "<del>{}</del>", isolated(&html(&text)));
            }
            WordOp::Insert => {
                let _ = write!(s, "<ins>{}</ins>", isolated(&html(&text)));
            }
        }
    }
    s
}

/// An unchanged run of a word diff, kept whole when short, else its end
/// (before the first change), its start (after the last) or both.
fn shorten_equal(text: &str, first: bool, last: bool) -> Cow<'_, str> {
    let n = text.chars().count();
    if n <= 2 * EQUAL_KEPT + 1 {
        return Cow::Borrowed(text);
    }
    let head = |k: usize| text.chars().take(k).collect::<String>();
    let tail = |k: usize| text.chars().skip(n - k).collect::<String>();
    Cow::Owned(match (first, last) {
        (true, true) => head(2 * EQUAL_KEPT) + "…",
        (true, false) => "…".to_string() + &tail(EQUAL_KEPT),
        (false, true) => head(EQUAL_KEPT) + "…",
        (false, false) => head(EQUAL_KEPT) + " … " + &tail(EQUAL_KEPT),
    })
}

/// The beginning of a new article, on one line.
fn lead(text: &str) -> String {
    let start: String = text.chars().take(LEAD_CHARS * 2).collect();
    let joined = start.split_whitespace().collect::<Vec<_>>().join(" ");
    clip(&joined, LEAD_CHARS).into_owned()
}

/// `rtl` when most letters are of a right-to-left script, else `ltr`.
fn text_dir(text: &str) -> &'static str {
    let (mut rtl, mut ltr) = (0usize, 0usize);
    for c in text.chars().take(4000) {
        if crate::report::is_rtl_letter(c) {
            rtl += 1;
        } else if c.is_alphabetic() {
            ltr += 1;
        }
    }
    if rtl > ltr { "rtl" } else { "ltr" }
}

/// A BCP 47-shaped tag (`ar`, `en-GB`): a page's `lang` is otherwise left out.
fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 35
        && tag.starts_with(|c: char| c.is_ascii_alphabetic())
        && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// At most `max` characters of `text`, `…` marking a cut.
fn clip(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((at, _)) => Cow::Owned(format!("{}…", &text[..at])),
    }
}

/// `<bdi dir="auto">…</bdi>` around HTML: a span laid out on its own.
fn isolated(html: &str) -> String {
    format!("<bdi dir=\"auto\">{html}</bdi>")
}

/// Running text from a scrape as HTML text: controls and bidi controls
/// shown as escapes, markup escaped (as the HTML report does it).
fn html(text: &str) -> String {
    crate::report::html::esc(text)
}

/// One line from a scrape as HTML text (newlines and tabs shown as escapes too).
fn html_line(text: &str) -> String {
    crate::report::html::escape_markup(&visible_line(text))
}

/// One line from a scrape as XML text: controls shown as escapes, markup escaped.
fn xml_line(text: &str) -> String {
    xml(&visible_line(text))
}

/// Text as XML character data or an attribute value: markup escaped, and
/// the characters XML 1.0 forbids (controls but tab, newline and carriage
/// return; U+FFFE, U+FFFF) dropped.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether an address may be rendered as a link (an `href`): an absolute
/// http or https URL with a host. Anything else (`javascript:`, `data:`,
/// `file:`, relative or unparsable addresses) is shown as text at most.
pub fn is_web_link(url: &str) -> bool {
    url::Url::parse(url.trim()).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
    })
}

/// A stored time as RFC 3339 UTC (the store keeps that already; anything
/// else becomes now, so the feed stays valid).
fn rfc3339(at: &str) -> String {
    DateTime::parse_from_rfc3339(at).map_or_else(
        |_| format_time(Utc::now()),
        |t| format_time(t.with_timezone(&Utc)),
    )
}

/// A `urn:uuid:` derived from `parts` (a name-based UUID, version 8): the
/// same parts give the same id in every rendering.
fn uuid_urn(parts: &[&str]) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"track atom id");
    for p in parts {
        hasher.update(&(p.len() as u64).to_le_bytes());
        hasher.update(p.as_bytes());
    }
    let mut b = [0u8; 16];
    b.copy_from_slice(&hasher.finalize().as_bytes()[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x: String = b.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &x[..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..]
    )
}

#[cfg(test)]
mod tests;
