//! A self-contained HTML report: inline and side-by-side views (switched with
//! CSS only), `dir` from the article, `<bdi>` around changed spans.
//!
//! Everything that comes from a scrape is escaped (markup, and control and
//! bidi control characters shown as `\x1b`, `\u{202e}`), and a
//! Content-Security-Policy forbids scripts and any network access, so a
//! hostile page stays text.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::term::slot_text;
use super::{DiffReport, Mode, SentenceRow, Shown, UnitRef, with_context};
use crate::claims::compare::{ClaimChange, Status};
use crate::diff::{Op, WordOp};

/// The report's style sheet (`track serve` serves it as a file: its pages'
/// CSP allows no inline style).
pub const STYLE: &str = r#"
:root { --del: #ffebe9; --del-strong: #ffc1bd; --ins: #e6ffec; --ins-strong: #acf2bd; --moved: #ddf4ff; --muted: #57606a; }
* { box-sizing: border-box; }
body { font: 16px/1.7 system-ui, "Noto Naskh Arabic", "Segoe UI", Tahoma, sans-serif; margin: 0; color: #1f2328; }
header { padding: 1rem 1.5rem; border-bottom: 1px solid #d0d7de; background: #f6f8fa; }
header h1 { font-size: 1.1rem; margin: 0 0 .4rem; }
header dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0; font-size: .9rem; }
header dt { color: var(--muted); }
.summary { margin: .5rem 0 0; font-weight: 600; }
.views { padding: .5rem 1.5rem; display: flex; gap: .5rem; }
.views label { cursor: pointer; padding: .2rem .8rem; border: 1px solid #d0d7de; border-radius: 6px; color: var(--muted); }
.views label:hover { background: #f3f4f6; }
#view-inline:checked ~ .views label[for="view-inline"], #view-side:checked ~ .views label[for="view-side"] { background: #0969da; border-color: #0969da; color: #fff; font-weight: 600; }
#view-inline:focus-visible ~ .views label[for="view-inline"], #view-side:focus-visible ~ .views label[for="view-side"] { outline: 2px solid #0969da; outline-offset: 2px; }
.switch { position: absolute; opacity: 0; width: 1px; height: 1px; margin: 0; }
main { padding: 0 1.5rem 2rem; }
#view-inline:checked ~ main .side, #view-side:checked ~ main .inline { display: none; }
.row { margin: .35rem 0; padding: .3rem .6rem; border-inline-start: 4px solid transparent; }
.row p { margin: 0; unicode-bidi: plaintext; }
.row .note { font-size: .8rem; color: var(--muted); }
.unchanged { color: var(--muted); }
.added { background: var(--ins); border-color: #1a7f37; }
.removed { background: var(--del); border-color: #cf222e; }
.edited, .split, .merged { border-color: #9a6700; }
.moved { background: var(--moved); border-color: #0969da; }
del { background: var(--del-strong); text-decoration: line-through; }
ins { background: var(--ins-strong); text-decoration: none; }
.gap { color: var(--muted); font-size: .85rem; margin: .5rem 0; }
table.side { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.side td { vertical-align: top; width: 50%; padding: .3rem .6rem; border-bottom: 1px solid #eaeef2; unicode-bidi: plaintext; }
table.side th, table.claimtab thead th { text-align: start; font-weight: 600; padding: .3rem .6rem; vertical-align: top; border-bottom: 2px solid #d0d7de; }
thead .note { font-weight: 400; font-size: .8rem; color: var(--muted); }
table.claimtab tbody .note { font-weight: 400; font-size: .9rem; }
table.claimtab { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.claimtab td { vertical-align: top; padding: .3rem .6rem; border-bottom: 1px solid #eaeef2; unicode-bidi: plaintext; }
table.claimtab th { text-align: start; font-weight: 600; padding: .3rem .6rem; vertical-align: top; }
table.claimtab .what { width: 22rem; }
table.claimtab tbody th bdi { white-space: nowrap; }
tr.claim.changed, tr.claim.conflicting { background: #fff8c5; }
tr.claim.added, tr.claim.only_to { background: var(--ins); }
tr.claim.removed, tr.claim.only_from { background: var(--del); }
tr.claim.shared, tr.claim.related { background: #eef6fc; }
.sure, .verdict, .held { font-size: 85%; color: #57606a; }
section.claims { margin-bottom: 1.5rem; }
"#;

/// Write the report as one HTML file (no script, no network). Runs of
/// unchanged sentences longer than `2 × context` are folded into `<details>`.
pub fn render(report: &DiffReport, context: usize, out: &mut dyn Write) -> io::Result<()> {
    let lang = report
        .to
        .lang
        .as_deref()
        .or(report.from.lang.as_deref())
        .unwrap_or("");
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        r#"<!DOCTYPE html>
<html{lang_attr} dir="{dir}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="track {version}">
<title>{title}</title>
<style>{STYLE}</style>
</head>
<body>
"#,
        lang_attr = if lang.is_empty() {
            String::new()
        } else {
            format!(r#" lang="{}""#, esc(lang))
        },
        dir = report_dir(report),
        version = env!("CARGO_PKG_VERSION"),
        title = esc(&title(report)),
    );
    h.push_str(&render_fragment(report, context));
    h.push_str("</body>\n</html>\n");
    out.write_all(h.as_bytes())
}

/// The report's title: `track diff k@1 → k@2`.
fn title(report: &DiffReport) -> String {
    format!(
        "track diff {} → {}",
        report.from.reference(),
        report.to.reference()
    )
}

/// The direction of the article's text (`auto` when it declares none).
fn report_dir(report: &DiffReport) -> &str {
    match report.dir() {
        d @ ("rtl" | "ltr") => d,
        _ => "auto",
    }
}

/// The report without its document: its header, the view switch and the
/// rows, for a page of `track serve` to embed (styled by [`STYLE`]).
pub fn render_fragment(report: &DiffReport, context: usize) -> String {
    let dir = report_dir(report);
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        r#"<header dir="ltr">
<h1>{title}</h1>
<dl>"#,
        title = esc(&title(report)),
    );
    let mode = if report.mode == Mode::Articles {
        "two articles"
    } else {
        "two versions"
    };
    let _ = write!(h, "<dt>mode</dt><dd>{mode}</dd>");
    if report.revert {
        let _ = write!(
            h,
            "<dt>change</dt><dd>revert: back from v{} to the text of v{}</dd>",
            report.from.version, report.to.version
        );
    }
    let (from_label, to_label) = match report.mode {
        Mode::Versions => ("from", "to"),
        Mode::Articles => ("first", "second"),
    };
    for (label, side) in [(from_label, &report.from), (to_label, &report.to)] {
        let _ = write!(
            h,
            r#"<dt>{label}</dt><dd><bdi>{}</bdi> · {} · <code>{}</code>{}</dd>"#,
            esc(&side.reference()),
            esc(&side.fetched_at),
            esc(&side.hash[..12.min(side.hash.len())]),
            side.title
                .as_deref()
                .map(|t| format!(r#" · <bdi dir="auto">{}</bdi>"#, esc(t)))
                .unwrap_or_default(),
        );
    }
    let _ = write!(
        h,
        r#"</dl>
<p class="summary">{}</p>
</header>
<input type="radio" name="view" id="view-inline" class="switch" checked><input type="radio" name="view" id="view-side" class="switch">
<nav class="views" dir="ltr"><label for="view-inline">Inline</label><label for="view-side">Side by side</label></nav>
<main>
"#,
        esc(&report.summary())
    );
    // The headline, then the claims, in both views: what a reader wants first.
    if let Some(t) = &report.title_change {
        let _ = writeln!(
            h,
            r#"<section class="headline"><h2 dir="ltr">Headline changed{}</h2><p dir="{dir}"><span dir="ltr">was: </span><del><bdi>{}</bdi></del></p><p dir="{dir}"><span dir="ltr">now: </span><ins><bdi>{}</bdi></ins></p></section>"#,
            if t.orthographic_only {
                " (orthographic only)"
            } else {
                ""
            },
            esc(&t.from),
            esc(&t.to),
        );
    }
    claims_section(&mut h, report, dir);
    let _ = writeln!(h, r#"<section class="inline" dir="{dir}">"#);
    for item in with_context(&report.sentences, context) {
        match item {
            Shown::Row(row) => inline_row(&mut h, report.mode, row, dir),
            Shown::Folded(run) => {
                let _ = write!(
                    h,
                    r#"<details class="gap"><summary dir="ltr">{} unchanged</summary>"#,
                    run.len()
                );
                for row in run {
                    inline_row(&mut h, report.mode, row, dir);
                }
                h.push_str("</details>\n");
            }
        }
    }
    // The first side where a reader of the article starts: on the right in
    // an RTL article.
    let table_dir = report.layout_dir();
    let _ = write!(
        h,
        r#"</section>
<table class="side" dir="{table_dir}"><thead><tr>{}{}</tr></thead><tbody>
"#,
        side_heading(report, First),
        side_heading(report, Second),
    );
    for row in &report.sentences {
        side_row(&mut h, row, dir);
    }
    h.push_str("</tbody></table>\n</main>\n");
    h
}

/// The claim summary, before the text diff.
/// Its table, like the side-by-side one, puts the first side where a reader
/// of the article starts: on the right in an RTL article.
fn claims_section(h: &mut String, report: &DiffReport, dir: &str) {
    let (shown, held_back) = report.shown_claims();
    let rows: Vec<&ClaimChange> = shown
        .into_iter()
        .filter(|c| c.is_change() || c.status == Status::Shared)
        .collect();
    if rows.is_empty() && held_back == 0 && report.summary.is_none() {
        return;
    }
    let _ = write!(h, r#"<section class="claims"><h2 dir="ltr">Claims</h2>"#);
    if let Some(summary) = &report.summary {
        let _ = write!(
            h,
            r#"<p class="verdict" dir="ltr">{}</p>"#,
            esc(&super::term::summary_line(
                summary,
                report.summary_min_confidence
            ))
        );
    }
    if held_back > 0 {
        let _ = write!(
            h,
            r#"<p class="held" dir="ltr">{} held back: the model is less than {:.0} % sure of them (<code>--min-confidence 0</code> shows all).</p>"#,
            super::plural(held_back, "claim row", "claim rows"),
            100.0 * report.min_confidence
        );
    }
    let _ = write!(
        h,
        r#"
<table class="claimtab" dir="{}"><thead><tr><th class="what" dir="ltr">claim</th>{}{}</tr></thead><tbody>
"#,
        report.layout_dir(),
        side_heading(report, First),
        side_heading(report, Second),
    );
    for c in rows {
        let status = status_name(c.status);
        let changes: Vec<String> = c
            .changes
            .iter()
            .map(|ch| change_html(ch, report.mode))
            .collect();
        let side = |s: &Option<crate::claims::compare::ClaimSide>| {
            s.as_ref().map(|s| esc(&s.text)).unwrap_or_default()
        };
        let sure = c
            .confidence
            .map(|p| format!(r#"<div class="sure">{:.0} % sure</div>"#, 100.0 * p))
            .unwrap_or_default();
        let _ = writeln!(
            h,
            r#"<tr class="claim {status}"><th dir="ltr">{status}{sure}<div class="note">{}</div></th><td dir="{dir}">{}</td><td dir="{dir}">{}</td></tr>"#,
            changes.join("<br>"),
            side(&c.from),
            side(&c.to)
        );
    }
    h.push_str("</tbody></table></section>\n");
}

/// A slot change: what changed, then each side's value on its own labelled
/// line (`was` / `now`, `first` / `second`), isolated so Arabic values keep
/// their order and the old one reads first whatever the table's direction.
fn change_html(ch: &crate::claims::compare::SlotChange, mode: Mode) -> String {
    let parts = super::term::describe_change_with(ch, |s| {
        format!(r#"<bdi dir="auto">{}</bdi>"#, esc(&slot_text(s)))
    });
    let labels = match mode {
        Mode::Versions => ["was", "now"],
        Mode::Articles => ["first", "second"],
    };
    let mut h = esc(&parts.what);
    for (label, value) in labels.iter().zip([parts.from, parts.to]) {
        if let Some(value) = value {
            let _ = write!(h, "<br>{label}: {value}");
        }
    }
    h
}

/// A claim status as the JSON contract spells it (`only_from`), for the
/// row's class and label.
fn status_name(status: Status) -> &'static str {
    match status {
        Status::Added => "added",
        Status::Removed => "removed",
        Status::Changed => "changed",
        Status::Reworded => "reworded",
        Status::Unchanged => "unchanged",
        Status::Shared => "shared",
        Status::Conflicting => "conflicting",
        Status::Related => "related",
        Status::OnlyFrom => "only_from",
        Status::OnlyTo => "only_to",
    }
}

#[derive(Clone, Copy)]
enum Which {
    First,
    Second,
}
use Which::{First, Second};

/// A column heading naming one side: `from k@1`, with its date (versions),
/// or `first` / `second` with the outlet's site and date (two articles).
fn side_heading(report: &DiffReport, which: Which) -> String {
    let (side, label) = match (which, report.mode) {
        (First, Mode::Versions) => (&report.from, "from"),
        (Second, Mode::Versions) => (&report.to, "to"),
        (First, Mode::Articles) => (&report.from, "first"),
        (Second, Mode::Articles) => (&report.to, "second"),
    };
    let mut note = Vec::new();
    if report.mode == Mode::Articles
        && let Some(host) = side
            .url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok())
            .and_then(|u| u.host_str().map(str::to_string))
    {
        note.push(format!("<bdi>{}</bdi>", esc(&host)));
    }
    note.push(esc(&side.fetched_at));
    format!(
        r#"<th dir="ltr">{label} <bdi>{}</bdi><div class="note">{}</div></th>"#,
        esc(&side.reference()),
        note.join(" · ")
    )
}

fn op_class(op: Op) -> &'static str {
    match op {
        Op::Unchanged => "unchanged",
        Op::Edited => "edited",
        Op::Added => "added",
        Op::Removed => "removed",
        Op::Moved => "moved",
        Op::Split => "split",
        Op::Merged => "merged",
    }
}

fn inline_row(h: &mut String, mode: Mode, row: &SentenceRow, dir: &str) {
    let class = op_class(row.op);
    let body = match row.op {
        Op::Unchanged | Op::Added => plain(&row.to),
        Op::Removed => plain(&row.from),
        _ if row.shows_words() => words(row, true, true),
        _ => format!(
            r#"<del>{}</del></p><p dir="{dir}"><ins>{}</ins>"#,
            plain(&row.from),
            plain(&row.to)
        ),
    };
    let note = match (row.op, mode) {
        (Op::Unchanged, _) => String::new(),
        (Op::Added, Mode::Articles) => "only in the second".into(),
        (Op::Removed, Mode::Articles) => "only in the first".into(),
        (op, _) => {
            let mut n = op_class(op).to_string();
            if row.orthographic_only {
                n.push_str(" (orthographic only)");
            }
            n
        }
    };
    let _ = writeln!(
        h,
        r#"<div class="row {class}"><p dir="{dir}">{body}</p>{}</div>"#,
        if note.is_empty() {
            String::new()
        } else {
            format!(r#"<div class="note" dir="ltr">{}</div>"#, esc(&note))
        }
    );
}

fn side_row(h: &mut String, row: &SentenceRow, dir: &str) {
    let class = op_class(row.op);
    let (left, right) = match row.op {
        Op::Unchanged => (plain(&row.from), plain(&row.to)),
        Op::Added => (String::new(), plain(&row.to)),
        Op::Removed => (plain(&row.from), String::new()),
        _ if row.shows_words() => (words(row, true, false), words(row, false, true)),
        _ => (plain(&row.from), plain(&row.to)),
    };
    let _ = writeln!(
        h,
        r#"<tr class="row {class}"><td dir="{dir}">{left}</td><td dir="{dir}">{right}</td></tr>"#
    );
}

fn plain(unit: &Option<UnitRef>) -> String {
    unit.as_ref().map(|u| esc(&u.text)).unwrap_or_default()
}

/// The word diff with deletions and/or insertions, each change isolated in
/// `<bdi>` so a changed number or Latin name cannot reorder its neighbours.
fn words(row: &SentenceRow, deletes: bool, inserts: bool) -> String {
    let mut s = String::new();
    for w in &row.words {
        match w.op {
            WordOp::Equal => s.push_str(&esc(&w.text)),
            WordOp::Delete if deletes => {
                let _ = write!(s, "<del><bdi>{}</bdi></del>", esc(&w.text));
            }
            WordOp::Insert if inserts => {
                let _ = write!(s, "<ins><bdi>{}</bdi></ins>", esc(&w.text));
            }
            _ => {}
        }
    }
    s
}

/// Escape text for HTML element content and attribute values. Control
/// characters and bidi controls from a scrape are shown as escapes (`\x1b`,
/// `\u{202e}`): raw, they are parse errors or could reorder the report's text.
pub(crate) fn esc(text: &str) -> String {
    escape_markup(&crate::text::visible::visible(text))
}

/// Escape markup only (the caller made the text visible already).
pub(crate) fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{esc, status_name};
    use crate::claims::compare::Status;

    #[test]
    fn status_names_are_the_contracts() {
        for status in [
            Status::Added,
            Status::Removed,
            Status::Changed,
            Status::Reworded,
            Status::Unchanged,
            Status::Shared,
            Status::Conflicting,
            Status::OnlyFrom,
            Status::OnlyTo,
        ] {
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                status_name(status),
                "{status:?}"
            );
        }
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn shows_controls_and_bidi_overrides() {
        assert_eq!(
            esc("a\u{1b}[2J\u{202e}b\u{2067}c\u{9b}"),
            "a\\x1b[2J\\u{202e}b\\u{2067}c\\u{9b}"
        );
    }
}
