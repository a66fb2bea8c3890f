//! Sentence-level diff of two versions of a text: aligned rows (unchanged, edited, added,
//! removed, moved, split, merged) with a word diff inside each changed row.
//!
//! Units come from [`crate::text::segment::segment`]; rows refer to them by index. The
//! alignment is lexical and deterministic (see [`align`] for the steps); the word diff is
//! `similar`'s Patience diff over Unicode words, bounded by one overall deadline.

pub(crate) mod align;
mod tokens;
mod words;

#[cfg(test)]
mod tests;

use std::time::{Duration, Instant};

use crate::text::segment::{Unit, segment};

pub use align::{KeyHash, UNIT_KEY_VERSION};
pub(crate) use words::fold_translit;

/// What happened to one row of the alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Unchanged,
    Edited,
    Added,
    Removed,
    Moved,
    Split,
    Merged,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WordOp {
    Equal,
    Delete,
    Insert,
}

/// One run of the word diff: consecutive tokens with the same op, whitespace included.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WordChange {
    pub op: WordOp,
    pub text: String,
}

/// One aligned row. `from`/`to` are unit indices into the old / new text's `segment()`
/// output: unchanged/edited/moved: one each; added: `from` empty; removed: `to` empty;
/// split: 1 → n≥2; merged: n≥2 → 1.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SentenceChange {
    pub op: Op,
    pub from: Vec<usize>,
    pub to: Vec<usize>,
    /// The texts differ, but only orthographically (diacritics, tatweel, digit script,
    /// folded letter variants, transliteration variants of names).
    pub orthographic_only: bool,
    /// Lexical similarity of the two sides in [0, 1]: 1 for equal keys, 0 for added/removed.
    pub similarity: f32,
    /// Word diff of the display texts (n-side rows joined with a space); empty for
    /// unchanged, added and removed rows.
    pub words: Vec<WordChange>,
}

#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// Overall time budget for the sentence LCS and all word diffs together; past it,
    /// results degrade (coarser word runs), they never hang.
    pub word_deadline: Duration,
    /// Minimum similarity for two different units to be aligned as edited / moved.
    pub match_threshold: f32,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            word_deadline: Duration::from_millis(200),
            match_threshold: DEFAULT_THRESHOLD,
        }
    }
}

/// Tuned on fixtures/align and fixtures/diff (see `align_eval`).
pub const DEFAULT_THRESHOLD: f32 = 0.45;

/// For two outlets' articles: they share facts, not wording, so a lower bar
/// surfaces what both say nearly alike (on the seeds, 0.3 starts pairing
/// sentences that only share names; 0.35 keeps the close ones).
pub const ARTICLES_THRESHOLD: f32 = 0.35;

#[derive(Debug, Clone)]
pub struct TextDiff {
    pub old_units: Vec<Unit>,
    pub new_units: Vec<Unit>,
    pub changes: Vec<SentenceChange>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub unchanged: usize,
    pub edited: usize,
    pub added: usize,
    pub removed: usize,
    pub moved: usize,
    pub split: usize,
    pub merged: usize,
}

impl TextDiff {
    /// No row is anything but unchanged (a move is a difference).
    pub fn is_identical(&self) -> bool {
        self.changes.iter().all(|c| c.op == Op::Unchanged)
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for ch in &self.changes {
            c.add(ch.op);
        }
        c
    }
}

impl Counts {
    /// Count one row of this operation.
    pub fn add(&mut self, op: Op) {
        match op {
            Op::Unchanged => self.unchanged += 1,
            Op::Edited => self.edited += 1,
            Op::Added => self.added += 1,
            Op::Removed => self.removed += 1,
            Op::Moved => self.moved += 1,
            Op::Split => self.split += 1,
            Op::Merged => self.merged += 1,
        }
    }
}

/// Aligns the units of `old` and `new` and diffs the words of every changed row.
///
/// Rows come in the new text's order; a removed old unit follows the row that holds the
/// old unit before it, so the result reads top to bottom. Every old and every new unit
/// index appears in exactly one row.
pub fn diff_texts(old: &str, new: &str, opts: &DiffOptions) -> TextDiff {
    diff_segmented(old, segment(old), new, segment(new), opts)
}

/// [`diff_texts`] over segmentations already at hand (e.g. cached by text hash).
pub fn diff_segmented(
    old: &str,
    old_units: Vec<Unit>,
    new: &str,
    new_units: Vec<Unit>,
    opts: &DiffOptions,
) -> TextDiff {
    let deadline = Instant::now().checked_add(opts.word_deadline);
    let alignment = align_within(old, &old_units, new, &new_units, opts, deadline);
    diff_within(old, old_units, new, new_units, alignment, deadline)
}

/// Which units of two texts correspond: the costly part of a diff, which a
/// store caches per pair of texts (see `analysis::codec`).
#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    pub(crate) groups: Vec<align::Group>,
    /// Made within the time budget (else degraded: not to be cached).
    pub(crate) complete: bool,
}

impl Alignment {
    /// Whether it was made within the time budget (a degraded one is not
    /// worth keeping).
    pub fn complete(&self) -> bool {
        self.complete
    }
}

/// Align two segmented texts' units (the first half of [`diff_segmented`]).
pub fn align_segmented(
    old: &str,
    old_units: &[Unit],
    new: &str,
    new_units: &[Unit],
    opts: &DiffOptions,
) -> Alignment {
    let deadline = Instant::now().checked_add(opts.word_deadline);
    align_within(old, old_units, new, new_units, opts, deadline)
}

/// [`diff_segmented`], and the alignment it was made along (to cache), within
/// one time budget as there.
pub fn diff_segmented_aligned(
    old: &str,
    old_units: Vec<Unit>,
    new: &str,
    new_units: Vec<Unit>,
    opts: &DiffOptions,
) -> (Alignment, TextDiff) {
    diff_keyed_aligned(old, old_units, None, new, new_units, None, opts)
}

/// [`diff_segmented_aligned`] with the units' key hashes at hand (see
/// [`unit_key_hashes`]; cached per text), which is quicker: the keys are then
/// made only for the few units not matched exactly. Key hashes that do not
/// count the units are not used.
pub fn diff_keyed_aligned(
    old: &str,
    old_units: Vec<Unit>,
    old_keys: Option<&[KeyHash]>,
    new: &str,
    new_units: Vec<Unit>,
    new_keys: Option<&[KeyHash]>,
    opts: &DiffOptions,
) -> (Alignment, TextDiff) {
    let keys = match (old_keys, new_keys) {
        (Some(o), Some(n)) if o.len() == old_units.len() && n.len() == new_units.len() => {
            Some((o, n))
        }
        _ => None,
    };
    let deadline = Instant::now().checked_add(opts.word_deadline);
    let alignment = align_keys_within(old, &old_units, new, &new_units, keys, opts, deadline);
    let diff = diff_within(old, old_units, new, new_units, alignment.clone(), deadline);
    (alignment, diff)
}

/// The hashes of a text's unit keys, in the units' order: what alignment
/// compares units on, worth caching per text (a long text's keys are a good
/// part of aligning it).
pub fn unit_key_hashes(text: &str, units: &[Unit]) -> Vec<KeyHash> {
    units.iter().map(|u| unit_key_hash(u.text(text))).collect()
}

/// The hash of one unit's key, from its text.
pub fn unit_key_hash(unit_text: &str) -> KeyHash {
    align::key_hash(unit_text)
}

/// [`diff_segmented`] along an alignment of the same texts and options.
pub fn diff_aligned(
    old: &str,
    old_units: Vec<Unit>,
    new: &str,
    new_units: Vec<Unit>,
    alignment: Alignment,
    opts: &DiffOptions,
) -> TextDiff {
    let deadline = Instant::now().checked_add(opts.word_deadline);
    diff_within(old, old_units, new, new_units, alignment, deadline)
}

fn align_within(
    old: &str,
    old_units: &[Unit],
    new: &str,
    new_units: &[Unit],
    opts: &DiffOptions,
    deadline: Option<Instant>,
) -> Alignment {
    align_keys_within(old, old_units, new, new_units, None, opts, deadline)
}

/// `keys`: both texts' key hashes, one per unit, when at hand.
fn align_keys_within(
    old: &str,
    old_units: &[Unit],
    new: &str,
    new_units: &[Unit],
    keys: Option<(&[KeyHash], &[KeyHash])>,
    opts: &DiffOptions,
    deadline: Option<Instant>,
) -> Alignment {
    let old_texts: Vec<&str> = old_units.iter().map(|u| u.text(old)).collect();
    let new_texts: Vec<&str> = new_units.iter().map(|u| u.text(new)).collect();
    let groups = match keys {
        Some((old_keys, new_keys)) => align::align_hashed(
            (&old_texts, old_keys),
            (&new_texts, new_keys),
            opts.match_threshold,
            deadline,
        ),
        None => align::align(&old_texts, &new_texts, opts.match_threshold, deadline),
    };
    Alignment {
        groups,
        complete: deadline.is_none_or(|d| Instant::now() < d),
    }
}

fn diff_within(
    old: &str,
    old_units: Vec<Unit>,
    new: &str,
    new_units: Vec<Unit>,
    Alignment { groups, .. }: Alignment,
    deadline: Option<Instant>,
) -> TextDiff {
    let old_texts: Vec<&str> = old_units.iter().map(|u| u.text(old)).collect();
    let new_texts: Vec<&str> = new_units.iter().map(|u| u.text(new)).collect();
    let mut rows: Vec<SentenceChange> = Vec::with_capacity(old_units.len() + new_units.len());
    for g in groups {
        let op = match (g.old.len(), g.new.len()) {
            (1, 1)
                if g.exact
                    && g.in_order
                    && same_display(old_texts[g.old[0]], new_texts[g.new[0]]) =>
            {
                Op::Unchanged
            }
            (1, 1) if g.in_order => Op::Edited,
            (1, 1) => Op::Moved,
            (1, _) => Op::Split,
            _ => Op::Merged,
        };
        let (orthographic_only, words) = if op == Op::Unchanged {
            (false, Vec::new())
        } else {
            let a = joined(&old_texts, &g.old);
            let b = joined(&new_texts, &g.new);
            (
                words::orthographic_only(&a, &b),
                words::word_diff(&a, &b, deadline),
            )
        };
        rows.push(SentenceChange {
            op,
            from: g.old,
            to: g.new,
            orthographic_only,
            similarity: g.sim,
            words,
        });
    }
    let changes = order_rows(rows, old_units.len(), new_units.len());
    TextDiff {
        old_units,
        new_units,
        changes,
    }
}

/// The word diff of two short texts outside an alignment (a headline's two
/// versions), within the default deadline, and whether they differ only
/// orthographically (diacritics, digit script, a name's spelling).
pub fn diff_words(a: &str, b: &str) -> (Vec<WordChange>, bool) {
    let deadline = Instant::now().checked_add(DiffOptions::default().word_deadline);
    (
        words::word_diff(a, b, deadline),
        words::orthographic_only(a, b),
    )
}

/// Equal up to runs of whitespace (segment() already trims the ends).
fn same_display(a: &str, b: &str) -> bool {
    a == b || a.split_whitespace().eq(b.split_whitespace())
}

fn joined(texts: &[&str], idx: &[usize]) -> String {
    let mut s = String::new();
    for (k, &i) in idx.iter().enumerate() {
        if k > 0 {
            s.push(' ');
        }
        s.push_str(texts.get(i).copied().unwrap_or(""));
    }
    s
}

fn unmatched(op: Op, from: Vec<usize>, to: Vec<usize>) -> SentenceChange {
    SentenceChange {
        op,
        from,
        to,
        orthographic_only: false,
        similarity: 0.0,
        words: Vec::new(),
    }
}

/// Adds the added / removed rows and puts everything in reading order: the new text's
/// order, each removed old unit right after the row holding the old unit before it.
fn order_rows(matched: Vec<SentenceChange>, old_len: usize, new_len: usize) -> Vec<SentenceChange> {
    const NONE: usize = usize::MAX;
    let mut rows = matched;
    let mut row_of_new = vec![NONE; new_len];
    let mut row_of_old = vec![NONE; old_len];
    for (r, row) in rows.iter().enumerate() {
        for &n in &row.to {
            row_of_new[n] = r;
        }
        for &o in &row.from {
            row_of_old[o] = r;
        }
    }
    for (n, r) in row_of_new.iter_mut().enumerate() {
        if *r == NONE {
            *r = rows.len();
            rows.push(unmatched(Op::Added, Vec::new(), vec![n]));
        }
    }
    // Removed rows hang after an anchor row; NONE anchors mean "before everything".
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); rows.len() + old_len];
    let mut head: Vec<usize> = Vec::new();
    let mut anchor_of_old = vec![NONE; old_len];
    for o in 0..old_len {
        if row_of_old[o] != NONE {
            continue;
        }
        let anchor = match o.checked_sub(1) {
            None => NONE,
            // The unit before is removed too: hang after the same anchor, after it.
            Some(p) if row_of_old[p] == NONE => anchor_of_old[p],
            Some(p) => row_of_old[p],
        };
        let r = rows.len();
        rows.push(unmatched(Op::Removed, vec![o], Vec::new()));
        anchor_of_old[o] = anchor;
        if anchor == NONE {
            head.push(r);
        } else {
            after[anchor].push(r);
        }
    }
    let mut order: Vec<usize> = head;
    let mut seen_row = vec![false; rows.len()];
    for &r in &row_of_new {
        if seen_row[r] {
            continue;
        }
        seen_row[r] = true;
        order.push(r);
        order.extend(after[r].iter().copied());
    }
    let mut slots: Vec<Option<SentenceChange>> = rows.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|r| slots.get_mut(r).and_then(Option::take))
        .collect()
}
