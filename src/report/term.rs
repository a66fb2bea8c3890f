//! Terminal rendering: logical order (terminals with bidi support reorder
//! Arabic themselves), colour only when asked, word changes marked inline.
//!
//! Every piece of text from a scrape (sentences, words, claim values, titles,
//! keys) passes through [`visible_line`] before it is painted, so the only
//! escape sequences written are this renderer's own colours.

use std::io::{self, Write};

use super::{DiffReport, Mode, SentenceRow, Shown, UnitRef, with_context};
use crate::claims::Slot;
use crate::claims::compare::{ClaimSide, SlotChange, Status};
use crate::diff::{Op, WordOp};
use crate::text::visible::visible_line;

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
        let current = if report.mode == Mode::Versions && side.current {
            "  (current)"
        } else {
            ""
        };
        writeln!(
            out,
            "{}",
            p.paint(
                BOLD,
                &visible_line(&format!(
                    "{label:<6} {}  {}  {}{current}{title}",
                    side.reference(),
                    side.fetched_at,
                    &side.hash[..12.min(side.hash.len())]
                ))
            )
        )?;
    }
    if report.revert {
        writeln!(
            out,
            "{}",
            p.paint(
                BOLD,
                &format!(
                    "revert: the article went back from v{} to the text of v{}",
                    report.from.version, report.to.version
                )
            )
        )?;
    }
    if let Some(t) = &report.title_change {
        // Each side on its own labelled line, as claim values: old then new
        // reads right in terminals that lay Arabic out themselves.
        let ortho = if t.orthographic_only {
            " (orthographic only)"
        } else {
            ""
        };
        writeln!(
            out,
            "{}",
            p.paint(BOLD, &format!("headline changed{ortho}:"))
        )?;
        writeln!(out, "    was: {}", p.paint(RED, &visible_line(&t.from)))?;
        writeln!(out, "    now: {}", p.paint(GREEN, &visible_line(&t.to)))?;
    }
    render_claims(report, &p, out)?;
    writeln!(
        out,
        "{}",
        p.paint(
            BOLD,
            &visible_line(&format!("sentences: {}", report.summary()))
        )
    )?;
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
    let text = |u: &Option<UnitRef>| {
        u.as_ref()
            .map(|u| visible_line(&u.text).into_owned())
            .unwrap_or_default()
    };
    let at = |u: &Option<UnitRef>| {
        u.as_ref()
            .map(|u| format!("#{}", u.index))
            .unwrap_or_default()
    };
    // A sentence on one side only: marked and coloured, then where it stands.
    let mut one_side = |(colour, sign), text: &str, whence: &str| -> io::Result<()> {
        writeln!(out, "{} {}", p.paint(colour, sign), p.paint(colour, text))?;
        writeln!(out, "{}", p.paint(DIM, &format!("   └ {whence}")))
    };
    match row.op {
        Op::Unchanged => writeln!(out, "{}", p.paint(DIM, &format!("   {}", text(&row.to)))),
        Op::Added => {
            let label = if mode == Mode::Articles {
                "only in the second"
            } else {
                "added"
            };
            one_side(
                (GREEN, "+"),
                &text(&row.to),
                &format!("{label} {}", at(&row.to)),
            )
        }
        Op::Removed => {
            let label = if mode == Mode::Articles {
                "only in the first"
            } else {
                "removed"
            };
            one_side(
                (RED, "-"),
                &text(&row.from),
                &format!("{label} {}", at(&row.from)),
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

/// The claim summary: what a reader wants first.
fn render_claims(report: &DiffReport, p: &Painter, out: &mut dyn Write) -> io::Result<()> {
    let (shown, held_back) = report.shown_claims();
    let count = |status: Status| shown.iter().filter(|c| c.status == status).count();
    let (from_name, to_name) = (
        visible_line(&report.from.reference()).into_owned(),
        visible_line(&report.to.reference()).into_owned(),
    );
    let labels: [String; 2] = match report.mode {
        Mode::Versions => ["was".into(), "now".into()],
        Mode::Articles => [format!("in {from_name}"), format!("in {to_name}")],
    };
    let labels = [labels[0].as_str(), labels[1].as_str()];
    let line = match report.mode {
        Mode::Versions => format!(
            "claims: {} changed, {} added, {} removed, {} reworded · {} unchanged",
            count(Status::Changed),
            count(Status::Added),
            count(Status::Removed),
            count(Status::Reworded),
            count(Status::Unchanged)
        ),
        Mode::Articles => format!(
            "claims: {} conflicting, {} shared, {} related · {} only in {from_name}, {} only in {to_name}",
            count(Status::Conflicting),
            count(Status::Shared),
            count(Status::Related),
            count(Status::OnlyFrom),
            count(Status::OnlyTo)
        ),
    };
    writeln!(out, "{}", p.paint(BOLD, &line))?;
    if let Some(summary) = &report.summary {
        writeln!(
            out,
            "{}",
            summary_line(summary, report.summary_min_confidence)
        )?;
    }
    if held_back > 0 {
        writeln!(
            out,
            "{}",
            p.paint(
                DIM,
                &format!(
                    "({} held back: the model is less than {:.0} % sure of them; --min-confidence 0 shows all)",
                    super::plural(held_back, "claim row", "claim rows"),
                    100.0 * report.min_confidence
                )
            )
        )?;
    }
    // Both sides of a row, clipped at the same window around where they first
    // differ: a long sentence reworded near its end would otherwise show two
    // identical beginnings.
    let sides = |c: &crate::claims::compare::ClaimChange| -> [String; 2] {
        let (a, b) = clip_pair(
            c.from.as_ref().map_or("", |s| &s.text),
            c.to.as_ref().map_or("", |s| &s.text),
            160,
        );
        let line = |label: &str, s: &Option<ClaimSide>, text: String| {
            s.as_ref()
                .map(|s| format!("      {label} #{}: {text}", s.sentence))
                .unwrap_or_default()
        };
        [line(&from_name, &c.from, a), line(&to_name, &c.to, b)]
    };
    for c in shown {
        let sure = c
            .confidence
            .map(|p| format!(" ({:.0} % sure)", 100.0 * p))
            .unwrap_or_default();
        match c.status {
            Status::Unchanged => {}
            Status::Changed | Status::Conflicting => {
                let (mark, style) = if c.status == Status::Changed {
                    ("~", YELLOW)
                } else {
                    ("≠", RED)
                };
                if !sure.is_empty() {
                    let what = if c.status == Status::Changed {
                        "changed"
                    } else {
                        "conflicting"
                    };
                    writeln!(out, "{} {what}{sure}", p.paint(style, mark))?;
                }
                for ch in &c.changes {
                    let mut lines = describe_change(ch, labels).into_iter();
                    let what = lines.next().unwrap_or_default();
                    writeln!(out, "{} {what}", p.paint(style, mark))?;
                    for value in lines {
                        writeln!(out, "    {value}")?;
                    }
                }
                for line in sides(c) {
                    writeln!(out, "{}", p.paint(DIM, &line))?;
                }
            }
            Status::Shared | Status::Reworded | Status::Related => {
                let what = match c.status {
                    Status::Shared => "shared",
                    Status::Related => "related (same event, not the same assertion)",
                    _ => "reworded (no value changed)",
                };
                let mark = if c.status == Status::Related {
                    "≈"
                } else {
                    "="
                };
                writeln!(out, "{} {what}{sure}", p.paint(CYAN, mark))?;
                for line in sides(c) {
                    writeln!(out, "{}", p.paint(DIM, &line))?;
                }
            }
            Status::Added | Status::OnlyTo => {
                let s = c.to.as_ref();
                let label = if c.status == Status::Added {
                    "added".to_string()
                } else {
                    format!("only in {to_name}")
                };
                writeln!(
                    out,
                    "{} {label} #{}{sure}: {}",
                    p.paint(GREEN, "+"),
                    s.map_or(0, |s| s.sentence),
                    clip(s.map_or("", |s| &s.text), 160)
                )?;
            }
            Status::Removed | Status::OnlyFrom => {
                let s = c.from.as_ref();
                let label = if c.status == Status::Removed {
                    "removed".to_string()
                } else {
                    format!("only in {from_name}")
                };
                writeln!(
                    out,
                    "{} {label} #{}{sure}: {}",
                    p.paint(RED, "-"),
                    s.map_or(0, |s| s.sentence),
                    clip(s.map_or("", |s| &s.text), 160)
                )?;
            }
        }
    }
    Ok(())
}

/// The pair-level verdict for people; below `min_confidence` it says it is
/// not sure and gives the best guess as such.
pub fn summary_line(summary: &crate::claims::compare::Summary, min_confidence: f32) -> String {
    use crate::claims::compare::Relation;
    let what = match summary.relation {
        Relation::Agree => "the two reports agree",
        Relation::Disagree => "the two reports disagree",
        Relation::Related => {
            "the two reports are about the same thing, without the same assertions"
        }
        Relation::Unrelated => "the two reports are about different things",
    };
    let sure = 100.0 * summary.confidence;
    if summary.basis == crate::claims::compare::Basis::Headlines {
        // Held back: nothing measured how right it is for two whole articles.
        let _ = what;
        "overall: held back for two whole articles (the model is measured on a claim or headline against an article; its reading of the two headlines is in the JSON summary)".to_string()
    } else if summary.confidence < min_confidence {
        format!(
            "overall: not sure (best guess: {what}, {sure:.0} % sure, below the {:.0} % shown as a verdict)",
            100.0 * min_confidence
        )
    } else {
        format!("overall: {what} ({sure:.0} % sure)")
    }
}

/// A slot change for people, in lines: what changed (`quantity update`), then
/// each side's value on its own line after its label (`was: نحو 2000 جندي`,
/// `now: نحو 2300 جندي`), the first side first. Labels are padded to one
/// width; control characters are shown as escapes.
///
/// Never `old → new` on one line: a terminal that applies the Unicode bidi
/// algorithm lays an Arabic value, the arrow and the next Arabic value out as
/// one right-to-left run, so read left to right the line says the reverse of
/// the change. On lines of their own, each starting with a Latin label, the
/// order is the lines' order in every terminal.
pub fn describe_change(ch: &SlotChange, labels: [&str; 2]) -> Vec<String> {
    let parts = describe_change_with(ch, slot_text);
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let mut lines = vec![visible_line(&parts.what).into_owned()];
    for (label, value) in labels.iter().zip([parts.from, parts.to]) {
        if let Some(value) = value {
            let label = format!("{label}:");
            lines.push(visible_line(&format!("{label:<w$} {value}", w = width + 1)).into_owned());
        }
    }
    lines
}

/// A slot change in parts: what changed, and each side's value (rendered by
/// `side`: plain text here, isolated HTML in the report).
pub(crate) struct ChangeParts {
    /// `quantity update`, `entity roles_swapped`.
    pub what: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

pub(crate) fn describe_change_with(ch: &SlotChange, side: impl Fn(&Slot) -> String) -> ChangeParts {
    // The substitution reading is any one or two words swapped in claims
    // otherwise alike (`سيارة` / `دراجة`, but also two verbs): saying
    // "entity" of a swapped verb would explain more than was read.
    let what = match (ch.slot, ch.kind) {
        ("entity", "substituted") => "wording substituted".to_string(),
        (slot, kind) => format!("{slot} {kind}"),
    };
    let (from, to) = (ch.from.as_ref().map(&side), ch.to.as_ref().map(&side));
    match (from, to) {
        // The agent of each claim is acted on in the other: say both ways.
        (Some(x), Some(y)) if ch.kind == "roles_swapped" => ChangeParts {
            what,
            from: Some(format!("{x} on {y}")),
            to: Some(format!("{y} on {x}")),
        },
        (from, to) => ChangeParts { what, from, to },
    }
}

/// What a slot says, in its own words.
pub(crate) fn slot_text(slot: &Slot) -> String {
    match slot {
        Slot::Quantity { text, .. }
        | Slot::Date { text, .. }
        | Slot::Attribution { text, .. }
        | Slot::Entity { text, .. } => text.clone(),
        Slot::Quote { text, .. } => format!("“{text}”"),
        Slot::Polarity { negated, text } => {
            if text.is_empty() {
                if *negated {
                    "negated".into()
                } else {
                    "affirmed".into()
                }
            } else {
                text.clone()
            }
        }
    }
}

/// At most `max` characters of `text`, control characters shown as escapes.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return visible_line(text).into_owned();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", visible_line(&cut))
}

/// Two texts clipped to at most `max` characters each, from the same point:
/// the start when they first differ within the window, else shortly before
/// the first difference (at a word's start), so what differs is shown.
fn clip_pair(a: &str, b: &str, max: usize) -> (String, String) {
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if ca.len() <= max && cb.len() <= max {
        return (visible_line(a).into_owned(), visible_line(b).into_owned());
    }
    let same = ca.iter().zip(&cb).take_while(|(x, y)| x == y).count();
    let lead = max / 4;
    let mut start = 0;
    if same + lead > max && same < ca.len().max(cb.len()) {
        start = same.saturating_sub(lead);
        // Begin at a word: after the last space before the cut.
        if let Some(space) = ca[..start].iter().rposition(|c| c.is_whitespace()) {
            start = space + 1;
        }
    }
    let window = |c: &[char]| {
        let end = (start + max).min(c.len());
        let text: String = c[start.min(c.len())..end].iter().collect();
        format!(
            "{}{}{}",
            if start > 0 { "…" } else { "" },
            visible_line(&text),
            if end < c.len() { "…" } else { "" }
        )
    };
    (window(&ca), window(&cb))
}

fn word(p: &Painter, op: WordOp, text: &str) -> String {
    let text = visible_line(text);
    match (op, p.color) {
        (WordOp::Equal, _) => text.to_string(),
        // Markers without colour, in the style of wdiff / git --word-diff=plain.
        (WordOp::Delete, false) => format!("[-{text}-]"),
        (WordOp::Insert, false) => format!("{{+{text}+}}"),
        (WordOp::Delete, true) => format!("\x1b[9;31m{text}{RESET}"),
        (WordOp::Insert, true) => format!("\x1b[4;32m{text}{RESET}"),
    }
}

#[cfg(test)]
mod tests {
    use super::{clip_pair, describe_change_with, slot_text};
    use crate::claims::compare::SlotChange;
    use crate::claims::{EntityKind, Slot};

    #[test]
    fn a_swapped_word_is_not_called_an_entity() {
        let word = |w: &str| Slot::Entity {
            text: w.into(),
            canonical: w.into(),
            kind: EntityKind::Other,
        };
        let change = |slot, kind| SlotChange {
            slot,
            kind,
            from: Some(word("تتفوق على")),
            to: Some(word("تتخطى")),
        };
        let parts = describe_change_with(&change("entity", "substituted"), slot_text);
        assert_eq!(parts.what, "wording substituted");
        assert_eq!(parts.to.as_deref(), Some("تتخطى"));
        let parts = describe_change_with(&change("entity", "conflict"), slot_text);
        assert_eq!(parts.what, "entity conflict");
    }

    #[test]
    fn clipped_pairs_show_where_they_differ() {
        let head = "كلمة ".repeat(60);
        let (a, b) = clip_pair(
            &format!("{head}قال الوزير"),
            &format!("{head}أكد الوزير"),
            160,
        );
        assert_ne!(a, b);
        assert!(a.starts_with('…') && a.contains("قال"), "{a}");
        assert!(b.starts_with('…') && b.contains("أكد"), "{b}");
        // Short texts are whole; a difference early in long texts keeps the start.
        assert_eq!(clip_pair("a b", "a c", 160), ("a b".into(), "a c".into()));
        let (a, _) = clip_pair(&format!("x {head}"), &format!("y {head}"), 160);
        assert!(a.starts_with("x ") && a.ends_with('…'), "{a}");
    }
}
