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

const STYLE: &str = r#"
:root { --del: #ffebe9; --del-strong: #ffc1bd; --ins: #e6ffec; --ins-strong: #acf2bd; --moved: #ddf4ff; --muted: #57606a; }
* { box-sizing: border-box; }
body { font: 16px/1.7 system-ui, "Noto Naskh Arabic", "Segoe UI", Tahoma, sans-serif; margin: 0; color: #1f2328; }
header { padding: 1rem 1.5rem; border-bottom: 1px solid #d0d7de; background: #f6f8fa; }
header h1 { font-size: 1.1rem; margin: 0 0 .4rem; }
header dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0; font-size: .9rem; }
header dt { color: var(--muted); }
.summary { margin: .5rem 0 0; font-weight: 600; }
.views { padding: .5rem 1.5rem; }
.views label { margin-inline-end: 1rem; cursor: pointer; }
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
table.side th { text-align: start; font-weight: 600; padding: .3rem .6rem; vertical-align: top; }
table.claimtab { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.claimtab td { vertical-align: top; padding: .3rem .6rem; border-bottom: 1px solid #eaeef2; unicode-bidi: plaintext; }
table.claimtab th { text-align: start; font-weight: 600; padding: .3rem .6rem; vertical-align: top; width: 22rem; }
table.claimtab th bdi { white-space: nowrap; }
tr.claim.changed, tr.claim.conflicting { background: #fff8c5; }
tr.claim.added, tr.claim.only_to { background: var(--ins); }
tr.claim.removed, tr.claim.only_from { background: var(--del); }
section.claims { margin-bottom: 1.5rem; }
"#;

/// Write the report as one HTML file (no script, no network). Runs of
/// unchanged sentences longer than `2 × context` are folded into `<details>`.
pub fn render(report: &DiffReport, context: usize, out: &mut dyn Write) -> io::Result<()> {
    let dir = match report.dir() {
        d @ ("rtl" | "ltr") => d,
        _ => "auto",
    };
    let lang = report
        .to
        .lang
        .as_deref()
        .or(report.from.lang.as_deref())
        .unwrap_or("");
    let mut h = String::with_capacity(64 * 1024);
    let title = format!(
        "track diff {} → {}",
        report.from.reference(),
        report.to.reference()
    );
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
<header dir="ltr">
<h1>{title}</h1>
<dl>"#,
        lang_attr = if lang.is_empty() {
            String::new()
        } else {
            format!(r#" lang="{}""#, esc(lang))
        },
        version = env!("CARGO_PKG_VERSION"),
        title = esc(&title),
    );
    let mode = if report.mode == Mode::Articles {
        "two articles"
    } else {
        "two versions"
    };
    let _ = write!(h, "<dt>mode</dt><dd>{mode}</dd>");
    for (label, side) in [("from", &report.from), ("to", &report.to)] {
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
<input type="radio" name="view" id="view-inline" checked hidden><input type="radio" name="view" id="view-side" hidden>
<nav class="views" dir="ltr"><label for="view-inline">Inline</label><label for="view-side">Side by side</label></nav>
<main>
"#,
        esc(&report.summary())
    );
    // Claims first, in both views: what a reader wants first.
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
    let (left, right) = (esc(&report.from.reference()), esc(&report.to.reference()));
    let _ = write!(
        h,
        r#"</section>
<table class="side" dir="ltr"><thead><tr><th><bdi>{left}</bdi></th><th><bdi>{right}</bdi></th></tr></thead><tbody>
"#
    );
    for row in &report.sentences {
        side_row(&mut h, row, dir);
    }
    h.push_str("</tbody></table>\n</main>\n</body>\n</html>\n");
    out.write_all(h.as_bytes())
}

/// The claim summary, before the text diff.
fn claims_section(h: &mut String, report: &DiffReport, dir: &str) {
    let rows: Vec<&ClaimChange> = report
        .claims
        .iter()
        .filter(|c| c.is_change() || c.status == Status::Shared)
        .collect();
    if rows.is_empty() {
        return;
    }
    h.push_str("<section class=\"claims\"><h2 dir=\"ltr\">Claims</h2>\n<table class=\"claimtab\" dir=\"ltr\"><tbody>\n");
    for c in rows {
        let status = format!("{:?}", c.status).to_lowercase();
        let changes: Vec<String> = c.changes.iter().map(change_html).collect();
        let side = |s: &Option<crate::claims::compare::ClaimSide>| {
            s.as_ref().map(|s| esc(&s.text)).unwrap_or_default()
        };
        let _ = writeln!(
            h,
            r#"<tr class="claim {status}"><th>{status}<div class="note">{}</div></th><td dir="{dir}">{}</td><td dir="{dir}">{}</td></tr>"#,
            changes.join("<br>"),
            side(&c.from),
            side(&c.to)
        );
    }
    h.push_str("</tbody></table></section>\n");
}

/// A slot change with each side's words isolated, so Arabic values keep
/// their order inside the English description.
fn change_html(ch: &crate::claims::compare::SlotChange) -> String {
    let parts = super::term::describe_change_with(ch, |s| {
        format!(r#"<bdi dir="auto">{}</bdi>"#, esc(&slot_text(s)))
    });
    match (parts.from, parts.to) {
        (Some(from), Some(to)) => format!("{}: {from} → {to}", parts.what),
        (Some(one), None) | (None, Some(one)) => format!("{}: {one}", parts.what),
        (None, None) => parts.what,
    }
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
    let text = crate::text::visible::visible(text);
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
    use super::esc;

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
