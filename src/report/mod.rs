//! Reports: the data of a diff (the JSON contract) and its renderers.
//!
//! [`DiffReport`] is built once from two versions and their [`TextDiff`];
//! every renderer reads only it, so the formats cannot disagree.

pub(crate) mod html;
pub(crate) mod term;
mod unified;

use serde::Serialize;

use crate::claims::compare::{ClaimChange, Summary};
use crate::diff::{Counts, Op, TextDiff, WordChange};
use crate::store::VersionText;
use crate::text::segment::UnitKind;

pub use html::{
    STYLE as HTML_STYLE, render as render_html, render_fragment as render_html_fragment,
};
pub use term::{TermOptions, describe_change, render as render_term, summary_line};
pub use unified::render as render_unified;
// Slot changes in words, for the other renderings of a change (feeds).
pub(crate) use term::{describe_change_with, slot_text};

/// Versions of one article, or two articles from different outlets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Versions,
    Articles,
}

/// One side of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub key: String,
    pub version: i64,
    pub hash: String,
    pub fetched_at: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub dir: Option<String>,
    pub lang: Option<String>,
    /// Whether this side is its article's current text (the version of its
    /// latest observation).
    pub current: bool,
}

impl Side {
    fn of(v: &VersionText) -> Side {
        Side {
            key: v.key.clone(),
            version: v.version,
            hash: v.hash.clone(),
            fetched_at: v.fetched_at.clone(),
            url: v.url.clone(),
            title: v.title.clone(),
            dir: v.dir.clone(),
            lang: v.lang.clone(),
            current: v.current,
        }
    }

    /// `KEY@N`, how a REF names this side.
    pub fn reference(&self) -> String {
        format!("{}@{}", self.key, self.version)
    }
}

/// A headline changed between two versions: NewsDiffs' most-watched edit,
/// reported on its own (it is also the text's first row).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TitleChange {
    pub from: String,
    pub to: String,
    /// Only diacritics, tatweel, digit script, letter variants or a name's
    /// spelling differ.
    pub orthographic_only: bool,
    pub words: Vec<WordChange>,
}

impl TitleChange {
    /// The change between two versions' titles; `None` when they are alike
    /// (up to whitespace) or either version has none (a text scrape).
    pub fn between(from: Option<&str>, to: Option<&str>) -> Option<TitleChange> {
        let (from, to) = (from?, to?);
        if !titles_differ(from, to) {
            return None;
        }
        let (words, orthographic_only) = crate::diff::diff_words(from, to);
        Some(TitleChange {
            from: from.to_string(),
            to: to.to_string(),
            orthographic_only,
            words,
        })
    }
}

/// Whether two titles differ other than in whitespace.
pub fn titles_differ(a: &str, b: &str) -> bool {
    a.split_whitespace().ne(b.split_whitespace())
}

/// A unit (sentence, heading, list item, table row) on one side of a row.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRef {
    /// Index of the unit in its version (the first one, for split/merged rows).
    pub index: usize,
    /// The unit's text as ingested (several units joined by a space for split/merged rows).
    pub text: String,
    /// All unit indices, for split/merged rows only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub indices: Vec<usize>,
    pub paragraph: usize,
    pub kind: UnitKind,
}

/// One row of the sentence alignment.
#[derive(Debug, Clone, Serialize)]
pub struct SentenceRow {
    pub op: Op,
    pub from: Option<UnitRef>,
    pub to: Option<UnitRef>,
    pub orthographic_only: bool,
    pub similarity: f32,
    pub words: Vec<WordChange>,
}

/// Below this similarity a word diff interleaves more than it explains: the
/// renderers show the two sentences whole instead.
pub const WORD_DIFF_MIN_SIMILARITY: f32 = 0.5;

impl SentenceRow {
    /// Whether to show this row as a word diff (else both sides whole).
    pub fn shows_words(&self) -> bool {
        !self.words.is_empty() && self.similarity >= WORD_DIFF_MIN_SIMILARITY
    }
}

/// Which rows a report keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Only {
    Added,
    Removed,
    /// Edited, moved, split and merged rows.
    Changed,
}

/// Options that shape a report.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportOptions {
    /// Keep only these rows (unchanged rows are still used as context).
    pub only: Option<Only>,
    /// Treat orthographic-only edits (diacritics, digit script, spelling variants) as unchanged.
    pub ignore_orthographic: bool,
}

/// The result of `track diff`, as the JSON contract describes it.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    pub mode: Mode,
    pub from: Side,
    pub to: Side,
    /// Rows per operation, before `--only`.
    pub counts: Counts,
    pub sentences: Vec<SentenceRow>,
    /// Claim-level changes: versions mode `added | removed | changed | reworded |
    /// unchanged`; articles mode `shared | conflicting | related | only_from |
    /// only_to`, each with its `confidence`.
    pub claims: Vec<ClaimChange>,
    /// Articles mode: do the two reports agree, as a whole?
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<Summary>,
    /// Versions mode: the headline changed (only present then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_change: Option<TitleChange>,
    /// The change shown is the article going back to an earlier version's
    /// text (a revert), as its history recorded it. Set by the caller.
    pub revert: bool,
    /// Human outputs show claim rows from this confidence up (JSON carries
    /// every row).
    #[serde(skip)]
    pub min_confidence: f32,
    /// Human outputs give the articles-mode summary as a verdict from this
    /// confidence up ("not sure" below it).
    #[serde(skip)]
    pub summary_min_confidence: f32,
}

/// `1 sentence`, `2 sentences`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl DiffReport {
    /// The claim rows a human output shows, and how many it holds back: rows
    /// the model is less sure of than `min_confidence` (rows without a
    /// confidence, as unchanged and reworded ones in versions mode, are shown).
    pub fn shown_claims(&self) -> (Vec<&ClaimChange>, usize) {
        let (mut shown, mut held) = (Vec::new(), 0);
        for c in &self.claims {
            if c.confidence.unwrap_or(1.0) < self.min_confidence {
                held += 1;
            } else {
                shown.push(c);
            }
        }
        (shown, held)
    }

    /// Build the report of `diff`, computed from `from.text` to `to.text`.
    pub fn new(
        mode: Mode,
        from: &VersionText,
        to: &VersionText,
        diff: &TextDiff,
        opts: ReportOptions,
    ) -> DiffReport {
        let unit = |indices: &[usize],
                    units: &[crate::text::segment::Unit],
                    text: &str|
         -> Option<UnitRef> {
            let first = *indices.first()?;
            let joined: Vec<&str> = indices
                .iter()
                .filter_map(|&i| units.get(i))
                .map(|u| u.text(text))
                .collect();
            let u = units.get(first)?;
            Some(UnitRef {
                index: first,
                text: joined.join(" "),
                indices: if indices.len() > 1 {
                    indices.to_vec()
                } else {
                    Vec::new()
                },
                paragraph: u.paragraph,
                kind: u.kind,
            })
        };
        let mut counts = Counts::default();
        let mut sentences = Vec::with_capacity(diff.changes.len());
        for change in &diff.changes {
            let mut op = change.op;
            if opts.ignore_orthographic && change.orthographic_only && op == Op::Edited {
                op = Op::Unchanged;
            }
            counts.add(op);
            let keep = match opts.only {
                None => true,
                Some(_) if op == Op::Unchanged => true,
                Some(Only::Added) => op == Op::Added,
                Some(Only::Removed) => op == Op::Removed,
                Some(Only::Changed) => {
                    matches!(op, Op::Edited | Op::Moved | Op::Split | Op::Merged)
                }
            };
            if !keep {
                continue;
            }
            sentences.push(SentenceRow {
                op,
                from: unit(&change.from, &diff.old_units, &from.text),
                to: unit(&change.to, &diff.new_units, &to.text),
                orthographic_only: change.orthographic_only,
                similarity: change.similarity,
                words: if op == Op::Unchanged {
                    Vec::new()
                } else {
                    change.words.clone()
                },
            });
        }
        DiffReport {
            mode,
            from: Side::of(from),
            to: Side::of(to),
            counts,
            sentences,
            claims: Vec::new(),
            summary: None,
            title_change: match mode {
                Mode::Versions => TitleChange::between(from.title.as_deref(), to.title.as_deref())
                    .filter(|t| !(opts.ignore_orthographic && t.orthographic_only)),
                Mode::Articles => None,
            },
            revert: false,
            min_confidence: 0.0,
            summary_min_confidence: 0.0,
        }
    }

    /// Whether anything differs (diff(1)'s exit status 1).
    pub fn has_differences(&self) -> bool {
        let c = &self.counts;
        c.edited + c.added + c.removed + c.moved + c.split + c.merged > 0
            || self.title_change.is_some()
    }

    /// The text direction to lay the report out in.
    pub fn dir(&self) -> &str {
        self.to
            .dir
            .as_deref()
            .or(self.from.dir.as_deref())
            .unwrap_or("auto")
    }

    /// The direction to lay columns out in (which side comes first): the
    /// article's declared `dir`, else that of most of its letters (a text
    /// scrape declares none), so an Arabic article reads from the right.
    pub fn layout_dir(&self) -> &'static str {
        match self.dir() {
            "rtl" => return "rtl",
            "ltr" => return "ltr",
            _ => {}
        }
        let (mut rtl, mut ltr) = (0usize, 0usize);
        let texts = self
            .sentences
            .iter()
            .flat_map(|r| [&r.from, &r.to])
            .flatten()
            .map(|u| u.text.as_str());
        for c in texts.flat_map(str::chars) {
            if is_rtl_letter(c) {
                rtl += 1;
            } else if c.is_alphabetic() {
                ltr += 1;
            }
        }
        if rtl > ltr { "rtl" } else { "ltr" }
    }

    /// One line of counts, e.g. `1 edited, 1 added · 24 unchanged`.
    pub fn summary(&self) -> String {
        let c = &self.counts;
        let list = |items: &[(usize, &str)]| -> String {
            let parts: Vec<String> = items
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, what)| format!("{n} {what}"))
                .collect();
            if parts.is_empty() {
                "no differences".to_string()
            } else {
                parts.join(", ")
            }
        };
        match self.mode {
            Mode::Versions => format!(
                "{} · {} unchanged",
                list(&[
                    (c.edited, "edited"),
                    (c.added, "added"),
                    (c.removed, "removed"),
                    (c.moved, "moved"),
                    (c.split, "split"),
                    (c.merged, "merged")
                ]),
                c.unchanged
            ),
            Mode::Articles => format!(
                "{} alike in both ({} identical, {} nearly); {} only in {}, {} only in {}",
                plural(
                    c.unchanged + c.edited + c.moved + c.split + c.merged,
                    "sentence",
                    "sentences"
                ),
                c.unchanged,
                c.edited + c.moved + c.split + c.merged,
                c.removed,
                self.from.key,
                c.added,
                self.to.key
            ),
        }
    }
}

/// Letters of the scripts written right to left (Hebrew, Arabic, Syriac,
/// Thaana, N'Ko and their presentation forms).
pub(crate) fn is_rtl_letter(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
        && c.is_alphabetic()
}

/// A row to show, or a run of unchanged rows folded away.
pub(crate) enum Shown<'a> {
    Row(&'a SentenceRow),
    Folded(&'a [SentenceRow]),
}

/// Rows with `context` unchanged rows kept around each change and the other
/// unchanged runs folded.
pub(crate) fn with_context(rows: &[SentenceRow], context: usize) -> Vec<Shown<'_>> {
    let mut visible = vec![false; rows.len()];
    for (i, row) in rows.iter().enumerate() {
        if row.op != Op::Unchanged {
            let hi = (i + context).min(rows.len() - 1);
            visible[i.saturating_sub(context)..=hi]
                .iter_mut()
                .for_each(|v| *v = true);
        }
    }
    let mut out = Vec::new();
    let mut run_start = None;
    for (i, row) in rows.iter().enumerate() {
        if visible[i] {
            if let Some(start) = run_start.take() {
                out.push(Shown::Folded(&rows[start..i]));
            }
            out.push(Shown::Row(row));
        } else if run_start.is_none() {
            run_start = Some(i);
        }
    }
    if let Some(start) = run_start {
        out.push(Shown::Folded(&rows[start..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(op: Op) -> SentenceRow {
        SentenceRow {
            op,
            from: None,
            to: None,
            orthographic_only: false,
            similarity: 1.0,
            words: Vec::new(),
        }
    }

    #[test]
    fn context_folds_long_unchanged_runs() {
        let ops = [
            Op::Unchanged,
            Op::Unchanged,
            Op::Unchanged,
            Op::Edited,
            Op::Unchanged,
            Op::Unchanged,
            Op::Unchanged,
        ];
        let rows: Vec<SentenceRow> = ops.iter().map(|&o| row(o)).collect();
        let shape: Vec<String> = with_context(&rows, 1)
            .iter()
            .map(|s| match s {
                Shown::Row(r) => format!("{:?}", r.op),
                Shown::Folded(run) => format!("folded {}", run.len()),
            })
            .collect();
        assert_eq!(
            shape,
            ["folded 2", "Unchanged", "Edited", "Unchanged", "folded 2"]
        );
        assert!(matches!(with_context(&rows[..3], 2)[..], [Shown::Folded(r)] if r.len() == 3));
    }
}
