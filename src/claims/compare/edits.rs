//! Versions mode: the claim rows of two versions of one article, along their
//! sentence alignment. Which slot changes are changes of value, and which
//! added or removed units are claims, is `crate::claims::versions`' (its
//! `Witness`); how the slots changed is `slots`'. Articles mode aligns claims
//! itself; versions mode borrows only its readings of a reversal.

use rustc_hash::FxHashMap as HashMap;

use super::conflicts::{antonym, before_after};
use super::profile::relative;
use super::roles::{party_surface, roles, roles_change, roles_swapped};
use super::slots::diff_slots;
use super::words::{Written, tokens, words, written_words};
use super::{ClaimChange, ClaimSide, SlotChange, Status};
use crate::claims::Claim;
use crate::claims::opposites::{antonyms, poles};
use crate::claims::versions::{Which, Witness, asserts, claim_unit, key_of};
use crate::diff::{Op, TextDiff};

/// Claims of one version, looked up by sentence index.
struct ByUnit<'a> {
    claims: HashMap<usize, &'a Claim>,
}

impl<'a> ByUnit<'a> {
    fn new(claims: &'a [Claim]) -> Self {
        ByUnit {
            claims: claims.iter().map(|c| (c.sentence, c)).collect(),
        }
    }

    /// The side for these units: their slots together, their texts joined.
    /// `None` when none of them holds a claim.
    fn side(&self, indices: &[usize], unit_text: impl Fn(usize) -> String) -> Option<ClaimSide> {
        let found: Vec<&&Claim> = indices.iter().filter_map(|i| self.claims.get(i)).collect();
        let first = *indices.first()?;
        if found.is_empty() {
            return None;
        }
        Some(ClaimSide {
            sentence: first,
            // Nearly every side is one unit: its text as it is.
            text: match indices {
                [one] => unit_text(*one),
                _ => indices
                    .iter()
                    .map(|&i| unit_text(i))
                    .collect::<Vec<_>>()
                    .join(" "),
            },
            slots: found.iter().flat_map(|c| c.slots.iter().cloned()).collect(),
        })
    }
}

/// Claim changes between two versions, along their sentence alignment.
///
/// Slot changes count only where a value changed (see [`crate::claims::versions`]): a span that
/// moved because punctuation or the words around a value changed is at most `reworded`. An
/// added or removed unit is a claim when it asserts something and brings words its
/// neighbourhood did not have, with slots or without; page furniture and labels are not.
pub fn compare_versions(
    diff: &TextDiff,
    old_text: &str,
    new_text: &str,
    old: &[Claim],
    new: &[Claim],
) -> Vec<ClaimChange> {
    compare_versions_with(diff, (old_text, new_text), (old, new), |n, row| {
        (0..n).map(row).collect()
    })
}

/// How [`compare_versions_with`] makes its rows: given their number and how
/// to make the row of each alignment row, all of them in order (on any
/// thread: each is made on its own).
pub type RowMap<'a> = &'a (dyn Fn(usize) -> Option<ClaimChange> + Sync);

/// [`compare_versions`], each alignment row's claim row made by `map`.
pub fn compare_versions_with(
    diff: &TextDiff,
    (old_text, new_text): (&str, &str),
    (old, new): (&[Claim], &[Claim]),
    map: impl FnOnce(usize, RowMap<'_>) -> Vec<Option<ClaimChange>>,
) -> Vec<ClaimChange> {
    let (old_by, new_by) = (ByUnit::new(old), ByUnit::new(new));
    let old_unit = |i: usize| {
        diff.old_units
            .get(i)
            .map(|u| u.text(old_text).to_string())
            .unwrap_or_default()
    };
    let new_unit = |i: usize| {
        diff.new_units
            .get(i)
            .map(|u| u.text(new_text).to_string())
            .unwrap_or_default()
    };
    // A side with its slots, or without (a unit that holds no claim slots).
    let side = |by: &ByUnit, units: &[usize], text: &dyn Fn(usize) -> String| {
        by.side(units, text).unwrap_or_else(|| ClaimSide {
            sentence: units.first().copied().unwrap_or(0),
            text: match units {
                [one] => text(*one),
                _ => units.iter().map(|&i| text(i)).collect::<Vec<_>>().join(" "),
            },
            slots: Vec::new(),
        })
    };
    let rows = &diff.changes;
    // The row and the changed rows next to it: a sentence split or merged that the
    // alignment pairs loosely is seen whole.
    let witness = |i: usize| {
        let changed = |j: usize| rows.get(j).is_some_and(|r| r.op != Op::Unchanged);
        let lo = if i > 0 && changed(i - 1) { i - 1 } else { i };
        let hi = if changed(i + 1) { i + 1 } else { i };
        let (mut old_texts, mut new_texts) = (Vec::new(), Vec::new());
        let (mut old_slots, mut new_slots) = (Vec::new(), Vec::new());
        for r in &rows[lo..=hi] {
            for &u in &r.from {
                old_texts.push(old_unit(u));
                old_slots.extend(
                    old_by
                        .claims
                        .get(&u)
                        .map(|c| &c.slots)
                        .into_iter()
                        .flatten(),
                );
            }
            for &u in &r.to {
                new_texts.push(new_unit(u));
                new_slots.extend(
                    new_by
                        .claims
                        .get(&u)
                        .map(|c| &c.slots)
                        .into_iter()
                        .flatten(),
                );
            }
        }
        Witness::new(old_texts, new_texts, &old_slots, &new_slots)
    };
    let change = |status, from, to, changes| ClaimChange {
        status,
        from,
        to,
        changes,
        similarity: None,
        confidence: None,
    };
    let row_change = |i: usize| -> Option<ClaimChange> {
        let row = &rows[i];
        match row.op {
            Op::Added => {
                let to = side(&new_by, &row.to, &new_unit);
                (asserts(&to.text) && witness(i).brings_news(&to.text, Which::New))
                    .then(|| change(Status::Added, None, Some(to), Vec::new()))
            }
            Op::Removed => {
                let from = side(&old_by, &row.from, &old_unit);
                (asserts(&from.text) && witness(i).brings_news(&from.text, Which::Old))
                    .then(|| change(Status::Removed, Some(from), None, Vec::new()))
            }
            Op::Unchanged => {
                let from = old_by.side(&row.from, old_unit);
                let to = new_by.side(&row.to, new_unit);
                (from.is_some() || to.is_some())
                    .then(|| change(Status::Unchanged, from, to, Vec::new()))
            }
            Op::Edited | Op::Moved | Op::Split | Op::Merged => {
                let from = side(&old_by, &row.from, &old_unit);
                let to = side(&new_by, &row.to, &new_unit);
                if !claim_unit(&from.text, &from.slots) && !claim_unit(&to.text, &to.slots) {
                    return None;
                }
                let witness = witness(i);
                let mut changes = witness.value_changes(diff_slots(&from.slots, &to.slots));
                // A sentence without slots still makes a claim when an edit reverses it
                // (`ارتفعت` → `انخفضت`, who exports to whom), or names someone else.
                changes.extend(reversals(&from, &to));
                let names = witness.name_changes(&from.text, &to.text, &changes);
                changes.extend(names);
                let numbers = witness.number_changes(&from.text, &to.text, &changes);
                changes.extend(numbers);
                let status = if !changes.is_empty() {
                    Status::Changed
                } else if from.slots.is_empty() && to.slots.is_empty() {
                    return None;
                } else if key_of(&from.text) == key_of(&to.text) {
                    Status::Unchanged
                } else {
                    Status::Reworded
                };
                Some(change(status, Some(from), Some(to), changes))
            }
        }
    };
    // The rules say what changed; how likely that is a change of meaning is learned.
    let scored_row = |i: usize| {
        row_change(i).map(|mut row| {
            crate::claims::versions_model::score_row(&mut row);
            row
        })
    };
    map(rows.len(), &scored_row).into_iter().flatten().collect()
}

/// What an edit reversed in a sentence without changing a slot: the parties'
/// roles swapped, "before X" made "after X", or a word of opposite meaning
/// (`ارتفعت` → `انخفضت`); the same readings articles mode uses.
fn reversals(from: &ClaimSide, to: &ClaimSide) -> Vec<SlotChange> {
    if key_of(&from.text) == key_of(&to.text) {
        return Vec::new();
    }
    let claim = |s: &ClaimSide| Claim {
        sentence: s.sentence,
        text: s.text.clone(),
        slots: s.slots.clone(),
    };
    let (a, b) = (claim(from), claim(to));
    // Only what the two readings need (whole profiles cost more, and an
    // article has many edited sentences).
    let mut out = Vec::new();
    let wa = written_words(&a.text);
    let ra = roles(&a, &wa);
    // A swap needs an agent on both sides (`roles_swapped`): without one
    // here, the new side's roles are not read.
    if ra.agent.is_some() {
        let wb = written_words(&b.text);
        let rb = roles(&b, &wb);
        if let Some((x, y)) = roles_swapped(&ra, &rb) {
            let surface =
                |c: &Claim, w: &[Written], name: &str| party_surface(c, &tokens(&c.text, w), name);
            out.push(roles_change(
                (surface(&a, &wa, x), x),
                (surface(&b, &wb, y), y),
            ));
        }
    }
    let (wsa, wsb) = (words(&key_of(&a.text)), words(&key_of(&b.text)));
    out.extend(before_after(&relative(&wsa), &relative(&wsb)));
    // Most edited sentences have no word of opposites before the edit, and
    // then the edit cannot have reversed one.
    let pa = poles(&wsa);
    if !pa.is_empty() {
        let pb = poles(&wsb);
        out.extend(antonyms(&pa, &pb).into_iter().map(|(p, q)| antonym(p, q)));
    }
    out
}
