//! Terminal rendering: logical order (terminals with bidi support reorder
//! Arabic themselves), colour only when asked, word changes marked inline.

use std::io::{self, Write};

use super::{DiffReport, Mode, SentenceRow, Shown, UnitRef, with_context};
use crate::diff::{Op, WordOp};

/// How to render for a terminal.
#[derive(Debug, Clone, Copy)]
pub struct TermOptions {
    /// ANSI colours (the caller decides: a terminal, and NO_COLOR unset).
    pub color: bool,
    /// Unchanged sentences shown around each change.
    pub context: usize,
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const YELLOW: &str = "\x1b[33m";
const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.color {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

/// Write the report for a terminal.
pub fn render(report: &DiffReport, opts: TermOptions, out: &mut dyn Write) -> io::Result<()> {
    let p = Painter { color: opts.color };
    let (from_label, to_label) = match report.mode {
        Mode::Versions => ("from", "to"),
        Mode::Articles => ("first", "second"),
    };
    for (label, side) in [(from_label, &report.from), (to_label, &report.to)] {
        let title = side
            .title
            .as_deref()
            .map(|t| format!("  {t}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}",
            p.paint(
                BOLD,
                &format!(
                    "{label:<6} {}  {}  {}{title}",
                    side.reference(),
                    side.fetched_at,
                    &side.hash[..12.min(side.hash.len())]
                )
            )
        )?;
    }
    writeln!(out, "{}", report.summary())?;
    if !report.claims.is_empty() {
        writeln!(
            out,
            "{} claim changes (see --format json)",
            report.claims.len()
        )?;
    }
    let mut previous_paragraph = None;
    for item in with_context(&report.sentences, opts.context) {
        match item {
            Shown::Folded(run) => {
                writeln!(
                    out,
                    "{}",
                    p.paint(DIM, &format!("   ⋮ {} unchanged", run.len()))
                )?;
                previous_paragraph = None;
            }
            Shown::Row(row) => {
                let paragraph = row.to.as_ref().or(row.from.as_ref()).map(|u| u.paragraph);
                if previous_paragraph.is_some() && paragraph != previous_paragraph {
                    writeln!(out)?;
                }
                previous_paragraph = paragraph;
                write_row(&p, report.mode, row, out)?;
            }
        }
    }
    Ok(())
}

fn write_row(p: &Painter, mode: Mode, row: &SentenceRow, out: &mut dyn Write) -> io::Result<()> {
    let text = |u: &Option<UnitRef>| u.as_ref().map(|u| u.text.clone()).unwrap_or_default();
    let at = |u: &Option<UnitRef>| {
        u.as_ref()
            .map(|u| format!("#{}", u.index))
            .unwrap_or_default()
    };
    match row.op {
        Op::Unchanged => writeln!(out, "{}", p.paint(DIM, &format!("   {}", text(&row.to)))),
        Op::Added => {
            let label = if mode == Mode::Articles {
                "only in the second"
            } else {
                "added"
            };
            writeln!(
                out,
                "{} {}",
                p.paint(GREEN, "+"),
                p.paint(GREEN, &text(&row.to))
            )?;
            writeln!(
                out,
                "{}",
                p.paint(DIM, &format!("   └ {label} {}", at(&row.to)))
            )
        }
        Op::Removed => {
            let label = if mode == Mode::Articles {
                "only in the first"
            } else {
                "removed"
            };
            writeln!(
                out,
                "{} {}",
                p.paint(RED, "-"),
                p.paint(RED, &text(&row.from))
            )?;
            writeln!(
                out,
                "{}",
                p.paint(DIM, &format!("   └ {label} {}", at(&row.from)))
            )
        }
        op => {
            let (mark, style, what) = match op {
                Op::Moved => (">", CYAN, "moved"),
                Op::Split => ("<", YELLOW, "split"),
                Op::Merged => ("=", YELLOW, "merged"),
                _ => ("~", YELLOW, "edited"),
            };
            if row.shows_words() {
                let words: String = row.words.iter().map(|w| word(p, w.op, &w.text)).collect();
                writeln!(out, "{} {words}", p.paint(style, mark))?;
            } else {
                writeln!(
                    out,
                    "{} {}",
                    p.paint(style, mark),
                    p.paint(RED, &text(&row.from))
                )?;
                writeln!(out, "  {}", p.paint(GREEN, &text(&row.to)))?;
            }
            let ortho = if row.orthographic_only {
                ", orthographic only"
            } else {
                ""
            };
            let indices = |u: &Option<UnitRef>| match u {
                Some(u) if !u.indices.is_empty() => u
                    .indices
                    .iter()
                    .map(|i| format!("#{i}"))
                    .collect::<Vec<_>>()
                    .join("+"),
                _ => at(u),
            };
            writeln!(
                out,
                "{}",
                p.paint(
                    DIM,
                    &format!(
                        "   └ {what} {} → {}{ortho}",
                        indices(&row.from),
                        indices(&row.to)
                    )
                )
            )
        }
    }
}

fn word(p: &Painter, op: WordOp, text: &str) -> String {
    match (op, p.color) {
        (WordOp::Equal, _) => text.to_string(),
        // Markers without colour, in the style of wdiff / git --word-diff=plain.
        (WordOp::Delete, false) => format!("[-{text}-]"),
        (WordOp::Insert, false) => format!("{{+{text}+}}"),
        (WordOp::Delete, true) => format!("\x1b[9;31m{text}{RESET}"),
        (WordOp::Insert, true) => format!("\x1b[4;32m{text}{RESET}"),
    }
}
