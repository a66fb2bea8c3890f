//! Claim comparison: what changed between two versions of an article
//! (per aligned sentence pair), and what two outlets' articles share or
//! contradict.
//!
//! Versions mode rides on the sentence alignment: an aligned pair whose slot
//! values differ is `changed` (with the kind of change), one whose wording or
//! spans changed but no value did is `reworded`; added and removed statements
//! are claims with or without slots (`super::versions` tells values from spans
//! and statements from page furniture). Articles
//! mode aligns claims across outlets itself (weighted word overlap plus shared
//! slots), then calls an aligned pair `conflicting` when a comparable slot
//! differs, the two say opposite things (antonyms, negation, a cancel or
//! fail cue on one side), or nearly the same words name something else, and
//! `shared` otherwise.

use std::collections::{BTreeMap, BTreeSet};

// A fast, deterministic hasher: claims are looked up in word lists many times
// per pair, and iteration order must not change a float sum between runs.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::static_map::{StaticMap, StaticSet};

use serde::Serialize;

use super::entity::{country_of, name_key};
use super::opposites::{Poles, antonyms, poles};
use super::polarity::addressed_to_reader;
use super::quantity::unit_class;
use super::versions::{Which, Witness, asserts, claim_unit, key_of};
use super::{Claim, Qualifier, QuantityKind, Slot};
use crate::diff::{Op, TextDiff};
use crate::text::normalize::match_key;

#[path = "features.rs"]
pub mod features;

use features::Evidence;

/// The contract's claim `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Added,
    Removed,
    Changed,
    Reworded,
    Unchanged,
    Shared,
    Conflicting,
    /// The same event or topic without the same assertion (articles mode).
    Related,
    OnlyFrom,
    OnlyTo,
}

/// One side of a claim row.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimSide {
    pub sentence: usize,
    pub text: String,
    pub slots: Vec<Slot>,
}

/// How one slot changed (versions) or conflicts (articles).
#[derive(Debug, Clone, Serialize)]
pub struct SlotChange {
    /// `quantity | date | quote | attribution | entity | polarity`.
    pub slot: &'static str,
    /// `update | refinement | hedge | added | removed | edited | speaker | named |
    /// anonymized | source | replaced | negated | affirmed | antonym | conflict |
    /// substituted`.
    pub kind: &'static str,
    pub from: Option<Slot>,
    pub to: Option<Slot>,
}

/// One row of the contract's `claims` list.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimChange {
    pub status: Status,
    pub from: Option<ClaimSide>,
    pub to: Option<ClaimSide>,
    pub changes: Vec<SlotChange>,
    /// How closely the two sides were matched (articles mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f32>,
    /// The calibrated probability that the status is right (articles mode), or that a
    /// `changed`, `added` or `removed` row reflects a change of meaning (versions mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
}

impl ClaimChange {
    /// Whether this row reports a difference.
    pub fn is_change(&self) -> bool {
        !matches!(self.status, Status::Unchanged | Status::Shared)
    }
}

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
/// Slot changes count only where a value changed (see [`super::versions`]): a span that
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
        let (old_texts, new_texts): (Vec<&str>, Vec<&str>) = (
            old_texts.iter().map(String::as_str).collect(),
            new_texts.iter().map(String::as_str).collect(),
        );
        Witness::new(&old_texts, &new_texts, &old_slots, &new_slots)
    };
    let change = |status, from, to, changes| ClaimChange {
        status,
        from,
        to,
        changes,
        similarity: None,
        confidence: None,
    };
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        match row.op {
            Op::Added => {
                let to = side(&new_by, &row.to, &new_unit);
                if asserts(&to.text) && witness(i).brings_news(&to.text, Which::New) {
                    out.push(change(Status::Added, None, Some(to), Vec::new()));
                }
            }
            Op::Removed => {
                let from = side(&old_by, &row.from, &old_unit);
                if asserts(&from.text) && witness(i).brings_news(&from.text, Which::Old) {
                    out.push(change(Status::Removed, Some(from), None, Vec::new()));
                }
            }
            Op::Unchanged => {
                let from = old_by.side(&row.from, old_unit);
                let to = new_by.side(&row.to, new_unit);
                if from.is_some() || to.is_some() {
                    out.push(change(Status::Unchanged, from, to, Vec::new()));
                }
            }
            Op::Edited | Op::Moved | Op::Split | Op::Merged => {
                let from = side(&old_by, &row.from, &old_unit);
                let to = side(&new_by, &row.to, &new_unit);
                if !claim_unit(&from.text, &from.slots) && !claim_unit(&to.text, &to.slots) {
                    continue;
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
                    continue;
                } else if key_of(&from.text) == key_of(&to.text) {
                    Status::Unchanged
                } else {
                    Status::Reworded
                };
                out.push(change(status, Some(from), Some(to), changes));
            }
        }
    }
    // The rules say what changed; how likely that is a change of meaning is learned.
    super::versions_model::score(&mut out);
    out
}

/// How the slots of one claim changed into those of another.
pub fn diff_slots(from: &[Slot], to: &[Slot]) -> Vec<SlotChange> {
    let mut changes = Vec::new();
    diff_quantities(
        &of_type(from, "quantity"),
        &of_type(to, "quantity"),
        &mut changes,
    );
    diff_by_key(
        &of_type(from, "date"),
        &of_type(to, "date"),
        date_key,
        |_, _| "update",
        &mut changes,
    );
    diff_quotes(&of_type(from, "quote"), &of_type(to, "quote"), &mut changes);
    diff_by_key(
        &of_type(from, "attribution"),
        &of_type(to, "attribution"),
        attribution_key,
        |a, b| match (anonymous(a), anonymous(b)) {
            (true, false) => "named",
            (false, true) => "anonymized",
            _ => "source",
        },
        &mut changes,
    );
    let mut entity_changes = Vec::new();
    diff_entities(
        &of_type(from, "entity"),
        &of_type(to, "entity"),
        &mut entity_changes,
    );
    // A source or speaker that is also an entity changed once, not twice.
    let named: HashSet<String> = changes
        .iter()
        .flat_map(|c| [&c.from, &c.to])
        .filter_map(|s| match s {
            Some(Slot::Attribution { source, .. }) => Some(any_name_key(source)),
            Some(Slot::Quote {
                speaker: Some(speaker),
                ..
            }) => Some(any_name_key(speaker)),
            _ => None,
        })
        .collect();
    entity_changes.retain(|c| {
        let mut names = [&c.from, &c.to]
            .into_iter()
            .flatten()
            .flat_map(|s| match s {
                Slot::Entity {
                    canonical, text, ..
                } => vec![any_name_key(canonical), any_name_key(text)],
                _ => Vec::new(),
            });
        c.kind == "replaced"
            || !names.any(|n| !n.is_empty() && named.iter().any(|m| m.contains(&n)))
    });
    changes.extend(entity_changes);
    diff_polarity(
        &of_type(from, "polarity"),
        &of_type(to, "polarity"),
        &mut changes,
    );
    changes
}

fn of_type<'a>(slots: &'a [Slot], name: &str) -> Vec<&'a Slot> {
    slots.iter().filter(|s| s.type_name() == name).collect()
}

fn change(
    slot: &'static str,
    kind: &'static str,
    from: Option<&Slot>,
    to: Option<&Slot>,
) -> SlotChange {
    SlotChange {
        slot,
        kind,
        from: from.cloned(),
        to: to.cloned(),
    }
}

/// The parts of a quantity that are compared.
#[derive(Clone)]
struct Q {
    value: f64,
    upper: Option<f64>,
    qualifier: Qualifier,
    kind: QuantityKind,
    unit: Option<String>,
    /// A dual noun standing alone (`البلدين`): "the two countries" refers
    /// back more often than it reports a figure.
    dual_alone: bool,
}

fn quantity(slot: &Slot) -> Option<Q> {
    match slot {
        Slot::Quantity {
            value,
            upper,
            qualifier,
            kind,
            unit_key,
            unit,
            text,
        } => Some(Q {
            dual_alone: *value == 2.0
                && !text.trim().contains(char::is_whitespace)
                && !text.chars().any(|c| c.is_numeric()),
            value: *value,
            upper: *upper,
            qualifier: *qualifier,
            kind: *kind,
            unit: unit_key.clone().or_else(|| unit.as_deref().map(match_key)),
        }),
        _ => None,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn same_quantity(a: &Q, b: &Q) -> bool {
    close(a.value, b.value)
        && a.qualifier == b.qualifier
        && match (a.upper, b.upper) {
            (Some(x), Some(y)) => close(x, y),
            (None, None) => true,
            _ => false,
        }
}

/// Whether exact value `v` satisfies bound `b` (at least 9 → 11 does).
fn satisfies(bound: &Q, v: f64) -> bool {
    match bound.qualifier {
        Qualifier::MoreThan => v > bound.value,
        Qualifier::AtLeast => v >= bound.value,
        Qualifier::LessThan => v < bound.value,
        Qualifier::AtMost => v <= bound.value,
        Qualifier::About => (v - bound.value).abs() <= 0.2 * bound.value.abs(),
        Qualifier::Range => v >= bound.value && bound.upper.is_none_or(|u| v <= u),
        Qualifier::Exact => close(v, bound.value),
    }
}

/// A rule for pairing two quantities.
type QuantityMatch<'r> = &'r dyn Fn(&Q, &Q) -> bool;

/// Pair quantities: same kind and unit first, then same kind, in text order.
fn pair_quantities<'a>(
    from: &[&'a Slot],
    to: &[&'a Slot],
) -> (Vec<(&'a Slot, &'a Slot)>, Vec<&'a Slot>, Vec<&'a Slot>) {
    let qa: Vec<Q> = from.iter().filter_map(|s| quantity(s)).collect();
    let qb: Vec<Q> = to.iter().filter_map(|s| quantity(s)).collect();
    let mut used_a = vec![false; from.len()];
    let mut used_b = vec![false; to.len()];
    let mut pairs = Vec::new();
    // Equal quantities pair first, so an unchanged number never absorbs a changed one.
    let passes: [QuantityMatch; 3] = [
        &|a, b| same_quantity(a, b) && a.kind == b.kind && a.unit == b.unit,
        &|a, b| a.kind == b.kind && a.unit.is_some() && a.unit == b.unit,
        &|a, b| a.kind == b.kind && (a.unit.is_none() || b.unit.is_none()),
    ];
    for pass in passes {
        for i in 0..from.len() {
            if used_a[i] {
                continue;
            }
            if let Some(j) = (0..to.len()).find(|&j| !used_b[j] && pass(&qa[i], &qb[j])) {
                used_a[i] = true;
                used_b[j] = true;
                pairs.push((from[i], to[j]));
            }
        }
    }
    let left_a = from
        .iter()
        .zip(&used_a)
        .filter(|(_, u)| !**u)
        .map(|(s, _)| *s)
        .collect();
    let left_b = to
        .iter()
        .zip(&used_b)
        .filter(|(_, u)| !**u)
        .map(|(s, _)| *s)
        .collect();
    (pairs, left_a, left_b)
}

fn diff_quantities(from: &[&Slot], to: &[&Slot], out: &mut Vec<SlotChange>) {
    let (pairs, removed, added) = pair_quantities(from, to);
    for (a, b) in pairs {
        let (Some(qa), Some(qb)) = (quantity(a), quantity(b)) else {
            continue;
        };
        if same_quantity(&qa, &qb) {
            continue;
        }
        let kind = if close(qa.value, qb.value) && qa.upper.is_none() && qb.upper.is_none() {
            "hedge"
        } else if qa.qualifier != Qualifier::Exact
            && qb.qualifier == Qualifier::Exact
            && satisfies(&qa, qb.value)
        {
            "refinement"
        } else {
            "update"
        };
        out.push(change("quantity", kind, Some(a), Some(b)));
    }
    out.extend(
        removed
            .into_iter()
            .map(|s| change("quantity", "removed", Some(s), None)),
    );
    out.extend(
        added
            .into_iter()
            .map(|s| change("quantity", "added", None, Some(s))),
    );
}

fn date_key(slot: &Slot) -> String {
    match slot {
        Slot::Date { value, .. } => value.clone(),
        _ => String::new(),
    }
}

fn attribution_key(slot: &Slot) -> String {
    match slot {
        Slot::Attribution { source, .. } => any_name_key(source),
        _ => String::new(),
    }
}

/// [`name_key`] for Arabic names; names in Latin script fall back to the
/// match key (the skeleton keeps Arabic letters only).
fn any_name_key(name: &str) -> String {
    let key = name_key(name);
    if key.is_empty() {
        match_key(name).trim().to_string()
    } else {
        key
    }
}

fn anonymous(slot: &Slot) -> bool {
    matches!(
        slot,
        Slot::Attribution {
            anonymous: true,
            ..
        }
    )
}

/// Slots equal under `key` cancel out; the rest pair in order (`kind` names
/// the change) and the leftovers are added or removed.
fn diff_by_key(
    from: &[&Slot],
    to: &[&Slot],
    key: fn(&Slot) -> String,
    kind: fn(&Slot, &Slot) -> &'static str,
    out: &mut Vec<SlotChange>,
) {
    let mut to_left: Vec<&Slot> = to.to_vec();
    let mut from_left = Vec::new();
    for a in from {
        match to_left.iter().position(|b| key(b) == key(a)) {
            Some(j) => {
                to_left.remove(j);
            }
            None => from_left.push(*a),
        }
    }
    let name = from.first().or(to.first()).map_or("", |s| s.type_name());
    let n = from_left.len().min(to_left.len());
    for (a, b) in from_left.iter().zip(&to_left) {
        out.push(change(name, kind(a, b), Some(a), Some(b)));
    }
    out.extend(
        from_left[n..]
            .iter()
            .map(|s| change(name, "removed", Some(s), None)),
    );
    out.extend(
        to_left[n..]
            .iter()
            .map(|s| change(name, "added", None, Some(s))),
    );
}

fn quote_text(slot: &Slot) -> (String, Option<String>) {
    match slot {
        Slot::Quote { text, speaker } => (
            words(&match_key(text)).join(" "),
            speaker.as_deref().map(any_name_key),
        ),
        _ => (String::new(), None),
    }
}

fn diff_quotes(from: &[&Slot], to: &[&Slot], out: &mut Vec<SlotChange>) {
    let mut to_left: Vec<&Slot> = to.to_vec();
    let mut from_left = Vec::new();
    for a in from {
        let (ta, sa) = quote_text(a);
        match to_left.iter().position(|b| quote_text(b).0 == ta) {
            Some(j) => {
                let (_, sb) = quote_text(to_left[j]);
                if sa.is_some() && sb.is_some() && sa != sb {
                    out.push(change("quote", "speaker", Some(a), Some(to_left[j])));
                }
                to_left.remove(j);
            }
            None => from_left.push(*a),
        }
    }
    // An edited quote: the most similar remaining quote on the other side.
    let mut unmatched_from = Vec::new();
    for a in from_left {
        let ta = quote_text(a).0;
        let best = to_left
            .iter()
            .enumerate()
            .map(|(j, b)| (j, dice(&words(&ta), &words(&quote_text(b).0))))
            .filter(|(_, s)| *s >= 0.3)
            .max_by(|x, y| x.1.total_cmp(&y.1));
        match best {
            Some((j, _)) => {
                out.push(change("quote", "edited", Some(a), Some(to_left[j])));
                to_left.remove(j);
            }
            None => unmatched_from.push(a),
        }
    }
    out.extend(
        unmatched_from
            .into_iter()
            .map(|s| change("quote", "removed", Some(s), None)),
    );
    out.extend(
        to_left
            .into_iter()
            .map(|s| change("quote", "added", None, Some(s))),
    );
}

fn entity_parts(slot: &Slot) -> Option<(&str, super::EntityKind)> {
    match slot {
        Slot::Entity {
            canonical, kind, ..
        } => Some((canonical.as_str(), *kind)),
        _ => None,
    }
}

fn diff_entities(from: &[&Slot], to: &[&Slot], out: &mut Vec<SlotChange>) {
    let names = |slots: &[&Slot]| -> HashSet<String> {
        slots
            .iter()
            .filter_map(|s| entity_parts(s))
            .map(|(c, _)| c.to_string())
            .collect()
    };
    let (a, b) = (names(from), names(to));
    // One slot per entity: the first mention.
    let first = |slots: &[&Slot], name: &str| -> Option<Slot> {
        slots
            .iter()
            .find(|s| entity_parts(s).is_some_and(|(c, _)| c == name))
            .map(|s| (*s).clone())
    };
    let mut removed: Vec<Slot> = from
        .iter()
        .filter_map(|s| entity_parts(s))
        .map(|(c, _)| c)
        .filter(|c| !b.contains(*c))
        .collect::<Vec<_>>()
        .into_iter()
        .fold(Vec::<&str>::new(), |mut acc, c| {
            if !acc.contains(&c) {
                acc.push(c);
            }
            acc
        })
        .into_iter()
        .filter_map(|c| first(from, c))
        .collect();
    let mut added: Vec<Slot> = to
        .iter()
        .filter_map(|s| entity_parts(s))
        .map(|(c, _)| c)
        .filter(|c| !a.contains(*c))
        .fold(Vec::<&str>::new(), |mut acc, c| {
            if !acc.contains(&c) {
                acc.push(c);
            }
            acc
        })
        .into_iter()
        .filter_map(|c| first(to, c))
        .collect();
    // A removed and an added entity of the same kind: a swap.
    let mut i = 0;
    while i < removed.len() {
        let kind = entity_parts(&removed[i]).map(|(_, k)| k);
        match added
            .iter()
            .position(|s| entity_parts(s).map(|(_, k)| k) == kind)
        {
            Some(j) => {
                let (r, a) = (removed.remove(i), added.remove(j));
                out.push(SlotChange {
                    slot: "entity",
                    kind: "replaced",
                    from: Some(r),
                    to: Some(a),
                });
            }
            None => i += 1,
        }
    }
    out.extend(removed.into_iter().map(|s| SlotChange {
        slot: "entity",
        kind: "removed",
        from: Some(s),
        to: None,
    }));
    out.extend(added.into_iter().map(|s| SlotChange {
        slot: "entity",
        kind: "added",
        from: None,
        to: Some(s),
    }));
}

fn diff_polarity(from: &[&Slot], to: &[&Slot], out: &mut Vec<SlotChange>) {
    match (from.first(), to.first()) {
        (None, Some(b)) => out.push(change("polarity", "negated", None, Some(b))),
        (Some(a), None) => out.push(change("polarity", "affirmed", Some(a), None)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// Articles mode
// ---------------------------------------------------------------------------

/// Minimum match score for two outlets' claims to be the same claim (tuned on
/// the seeds and the ANS train split; see BENCHMARKS.md).
pub const ARTICLES_MATCH_THRESHOLD: f32 = 0.3;

/// The lexicons, folded the way the words they are compared with are (match
/// key) by build.rs: see `super::tables`.
pub(super) struct Lexicons {
    pub(super) stopwords: &'static StaticSet,
    /// Each cue of an event with the events it is a cue of, so a claim's
    /// words are looked up once each.
    pub(super) event_of: &'static StaticMap<&'static [&'static str]>,
    /// Each word of the classes of opposites with its classes and sides, so a
    /// claim's words are looked up once each.
    pub(super) pole_of: &'static StaticMap<&'static [(usize, bool)]>,
    /// Traded assets' words → canonical name.
    pub(super) assets: &'static StaticMap<&'static str>,
    /// Economic indicators' words → canonical name: like assets, they are
    /// what rises or falls (`التضخم يرتفع والليرة تتراجع`).
    pub(super) indicators: &'static StaticMap<&'static str>,
    pub(super) casualty_units: &'static StaticSet,
    pub(super) failure: &'static StaticSet,
    pub(super) absence: &'static StaticSet,
    /// Words that end what follows them (`إنهاء`, `وقف`).
    pub(super) enders: &'static StaticSet,
    /// Reporting verbs (`قال`, `أكد`): outlets swap them freely.
    pub(super) reporting: &'static StaticSet,
}

pub(super) fn lexicons() -> &'static Lexicons {
    use super::tables as t;
    static LEXICONS: Lexicons = Lexicons {
        stopwords: &t::STOPWORDS,
        event_of: &t::EVENT_OF,
        pole_of: &t::POLE_OF,
        assets: &t::ASSETS,
        indicators: &t::INDICATORS,
        casualty_units: &t::CASUALTY_UNITS,
        failure: &t::FAILURE,
        absence: &t::ABSENCE,
        enders: &t::ENDERS,
        reporting: &t::REPORTING,
    };
    &LEXICONS
}

/// "Without casualties" in its common forms: a claim of zero dead.
fn says_no_casualties(words: &[String]) -> bool {
    let heads = ["دون", "بدون", "عدم", "لا", "without", "no"];
    let nouns = [
        "ضحايا",
        "اصابات",
        "قتلي",
        "casualties",
        "deaths",
        "injuries",
        "victims",
    ];
    words.iter().enumerate().any(|(i, w)| {
        heads.contains(&w.as_str())
            && words[i + 1..]
                .iter()
                .take(3)
                .any(|n| nouns.contains(&n.as_str()))
    })
}

/// Arabic proclitics stripped before comparing words (longest first).
pub(super) const PROCLITICS: &[&str] = &[
    "وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل",
];

/// A word and each reading of it with one proclitic stripped, three letters at
/// least: `بالغاء` is `ب` + `الغاء` as well as `بال` + `غاء`, `لليرة` is `ل` + `الليرة`.
pub(super) fn proclitic_readings(w: &str) -> impl Iterator<Item = &str> {
    std::iter::once(w).chain(
        PROCLITICS
            .iter()
            .filter_map(move |p| w.strip_prefix(p).filter(|r| r.chars().count() >= 3)),
    )
}

/// The word with its first proclitic stripped (three letters left at least).
fn strip_proclitic(w: &str) -> &str {
    proclitic_readings(w).nth(1).unwrap_or(w)
}

/// `المعارضة` is the opposition (`زعيم المعارضة التركية`), a party, not an act
/// of opposing: it takes no pole.
pub(super) fn names_the_opposition(w: &str) -> bool {
    w.trim_start_matches(['و', 'ب', 'ل']).ends_with("المعارضه")
        || w.trim_start_matches(['و', 'ل']) == "لمعارضه"
}

/// Words of a match-key text: letters and digits.
fn words(key: &str) -> Vec<String> {
    // The Arabic letters and ASCII first: the general Unicode lookup is slow.
    key.split(|c: char| !crate::text::is_word_char(c))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// A crude stem for overlap only: proclitic and common suffix stripped, cut
/// to five letters (never shown, never used on names' slots).
fn stem(word: &str) -> String {
    let mut w = word;
    if w.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        for p in PROCLITICS {
            if let Some(rest) = w.strip_prefix(p)
                && rest.chars().count() >= 3
            {
                w = rest;
                break;
            }
        }
        for s in ["ات", "ون", "ين", "يه", "ه", "ها", "هم"] {
            if let Some(rest) = w.strip_suffix(s)
                && rest.chars().count() >= 3
            {
                w = rest;
                break;
            }
        }
    }
    w.chars().take(5).collect()
}

/// Whether a negation cue of the claim denies it (praise worded as a negation,
/// `لا تقهر`, is no cue at all: `claims::polarity`). Not a condition, nor the
/// "unprecedented since" frame: a negated clause describing an indefinite noun and dated by
/// `منذ` (`أمطار غزيرة لم تجتح تونس منذ 20 عاما`, rain "such as had not hit
/// Tunisia in 20 years") says how rare the thing is, not that it did not
/// happen. Read only where the claim has already said what happened.
fn denies(claim: &Claim, ws: &[String], name_words: &HashSet<String>) -> bool {
    let stopwords = &lexicons().stopwords;
    let since_frame = |i: usize| {
        let Some(prev) = i.checked_sub(1).map(|p| ws[p].as_str()) else {
            return false;
        };
        let indefinite_noun = i >= 2
            && prev.chars().count() >= 3
            && !prev.trim_start_matches(['و', 'ف', 'ب']).starts_with("ال")
            && !prev.starts_with("لل")
            && !stopwords.contains(prev)
            && !name_words.contains(prev);
        let dated = ws[i + 1..]
            .iter()
            .take(5)
            .collect::<Vec<_>>()
            .windows(2)
            .any(|w| {
                w[0] == "منذ"
                    && w[1]
                        .starts_with(|c: char| c.is_ascii_digit() || matches!(c, 'ع' | 'س' | 'ق'))
            });
        // The claim has already said what happened (`مقتل 4 أشخاص إثر ...`):
        // a bare name before the cue (`سايمون كاول لم يستخدم الهاتف منذ عشرة
        // أشهر`) is the subject of a real denial.
        let told = ws[..i - 1].iter().any(|w| {
            w.starts_with(|c: char| c.is_ascii_digit())
                || lexicons().event_of.contains_key(w.as_str())
        });
        matches!(ws[i].trim_start_matches('و'), "لم" | "لا") && indefinite_noun && dated && told
    };
    // A condition (`إذا لم تتفاهم`, "if it does not") denies nothing.
    let conditional = |i: usize| {
        i > 0
            && match ws[i - 1].as_str() {
                "اذا" | "لو" | "if" | "unless" => true,
                "ان" => ws[i].trim_start_matches('و') == "لم",
                _ => false,
            }
    };
    claim.slots.iter().any(|s| match s {
        Slot::Polarity {
            negated: true,
            text,
        } => {
            let cue = match_key(text);
            let cue = cue.trim();
            let mut at = ws.iter().enumerate().filter(|(_, w)| *w == cue).peekable();
            at.peek().is_none() || at.any(|(i, _)| !since_frame(i) && !conditional(i))
        }
        _ => false,
    })
}

/// "Before X" / "after X" in a claim (`قبل العقوبات`): the anchor word's stem
/// with `true` for after.
fn relative(ws: &[String]) -> Vec<(bool, String)> {
    let lex = lexicons();
    ws.windows(2)
        .filter_map(|w| {
            let after = match w[0].as_str() {
                "قبل" | "قبيل" | "before" => false,
                "بعد" | "after" => true,
                _ => return None,
            };
            (w[1].chars().count() >= 3 && !lex.stopwords.contains(w[1].as_str()))
                .then(|| (after, stem(&w[1])))
        })
        .collect()
}

/// "Before the sanctions" against "after the sanctions" (the same anchor).
fn before_after(a: &[(bool, String)], b: &[(bool, String)]) -> Option<SlotChange> {
    let (x, y) = a.iter().find_map(|(after, anchor)| {
        b.iter()
            .find(|(b_after, b_anchor)| b_after != after && b_anchor == anchor)
            .filter(|_| !a.contains(&(!*after, anchor.clone())))
            .map(|(b_after, _)| (*after, *b_after))
    })?;
    let word = |after: bool| if after { "بعد" } else { "قبل" };
    Some(antonym(word(x).into(), word(y).into()))
}

/// Two words of opposite meaning, as a polarity change.
fn antonym(from: String, to: String) -> SlotChange {
    SlotChange {
        slot: "polarity",
        kind: "antonym",
        from: Some(Slot::Polarity {
            negated: false,
            text: from,
        }),
        to: Some(Slot::Polarity {
            negated: false,
            text: to,
        }),
    }
}

/// The parties' roles swapped: each claim's agent, as written.
fn roles_change(from: (String, &str), to: (String, &str)) -> SlotChange {
    let party = |(text, canonical): (String, &str)| Slot::Entity {
        text,
        canonical: canonical.to_string(),
        kind: super::EntityKind::Other,
    };
    SlotChange {
        slot: "entity",
        kind: "roles_swapped",
        from: Some(party(from)),
        to: Some(party(to)),
    }
}

/// The likely triliteral root of an Arabic word (match key), for matching
/// words of one family across outlets (`مهاجر` / `تهجير`, `قروض` / `إقراض`,
/// `ينتخبون` / `انتخابات`): proclitic, one suffix and one derivational prefix
/// stripped (`است`, `ان`, `م`, `ت`, `ي`…), the `افتعل` infix `ت` dropped, then
/// long vowels from the right until three letters remain. `None` when that
/// does not leave exactly three letters. Light by design: it merges some
/// families that differ in sense (`حكومة` / `محكمة`), so it is used for
/// matching claims, never for reporting.
fn root(word: &str) -> Option<String> {
    let arabic = |c: &char| ('\u{0621}'..='\u{064A}').contains(c);
    let mut w: &str = word;
    if !w.chars().all(|c| arabic(&c)) {
        return None;
    }
    for p in PROCLITICS {
        if let Some(rest) = w.strip_prefix(p)
            && rest.chars().count() >= 4
        {
            w = rest;
            break;
        }
    }
    for s in [
        "تين", "تان", "هما", "ات", "ون", "ين", "ان", "يه", "ها", "هم", "كم", "نا", "وا", "تم", "ه",
        "ا", "ي",
    ] {
        if let Some(rest) = w.strip_suffix(s)
            && rest.chars().count() >= 3
        {
            w = rest;
            break;
        }
    }
    let mut c: Vec<char> = w.chars().collect();
    let prefixes: [&[char]; 12] = [
        &['ا', 'س', 'ت'],
        &['ي', 'س', 'ت'],
        &['ت', 'س', 'ت'],
        &['ن', 'س', 'ت'],
        &['م', 'س', 'ت'],
        &['ا', 'ن'],
        &['ي', 'ت'],
        &['ت', 'ت'],
        &['م', 'ت'],
        &['ي', 'ن'],
        &['ت', 'ن'],
        &['م', 'ن'],
    ];
    if let Some(p) = prefixes
        .iter()
        .find(|p| c.starts_with(p) && c.len() >= p.len() + 3)
    {
        c.drain(..p.len());
    } else if c.len() >= 4 && matches!(c[0], 'ي' | 'ت' | 'ن' | 'ا' | 'م') {
        c.remove(0);
        // The `افتعل` infix after its prefix (`انتخاب`, `اقتصاد`, `يرتفع`),
        // not the `ت` of a bare `قتيل`.
        if c.len() >= 4 && matches!(c[1], 'ت' | 'ط') {
            c.remove(1);
        }
    }
    while c.len() > 3 {
        let Some(i) = (1..c.len())
            .rev()
            .find(|&i| matches!(c[i], 'ا' | 'و' | 'ي'))
        else {
            break;
        };
        c.remove(i);
    }
    (c.len() == 3).then(|| c.into_iter().collect())
}

/// The key a content word is matched on across outlets: its lemma's root
/// when one is found, else its stem (the lemma first, so broken plurals meet
/// their singular: `جنود`, `جندي`).
fn content_key(word: &str) -> String {
    // A claim's words recur across its sentences and the other article's:
    // each is keyed once per thread (the memo is bounded).
    thread_local! {
        static MEMO: std::cell::RefCell<HashMap<String, String>> =
            std::cell::RefCell::new(HashMap::default());
    }
    if let Some(k) = MEMO.with_borrow(|m| m.get(word).cloned()) {
        return k;
    }
    let lemma = super::quantity::unit_key(word);
    let key = match root(&lemma) {
        Some(r) => {
            let mut key = String::with_capacity('√'.len_utf8() + r.len());
            key.push('√');
            key.push_str(&r);
            key
        }
        None => stem(&lemma),
    };
    MEMO.with_borrow_mut(|m| {
        if m.len() >= MEMO_LIMIT {
            m.clear();
        }
        m.insert(word.to_string(), key.clone());
    });
    key
}

/// The most words a per-thread memo of a word function keeps.
pub(super) const MEMO_LIMIT: usize = 1 << 16;

/// What of a claim is compared across outlets.
#[derive(Clone)]
struct Profile {
    stems: HashSet<String>,
    events: HashSet<&'static str>,
    quantities: Vec<Q>,
    /// Stems of the quantities' own words (`قتلى`, `مليار`, `دولار`).
    figure_stems: HashSet<String>,
    dates: Vec<String>,
    /// Words with proclitics stripped, for the classes of opposites (ordered,
    /// so the cue reported is always the same one).
    bare: BTreeSet<String>,
    /// Per class of opposites: the first word of each pole this claim uses
    /// (computed once: pairs of claims are compared many times).
    poles: Poles,
    /// Says there were no casualties ("دون وقوع ضحايا").
    no_casualties: bool,
    /// Four-digit years written in the text, slot or not (`أوسكار 2018`).
    years: Vec<String>,
    entities: HashSet<String>,
    /// The places named (canonical).
    places: HashSet<String>,
    /// The places with a city read as its country (`elsewhere` compares them
    /// for every pair of claims).
    regions: HashSet<String>,
    /// "Before X" / "after X" (`قبل العقوبات`): the anchor word's stem with
    /// `true` for after.
    relative: Vec<(bool, String)>,
    /// A negation cue, or an absence word (`بلا`, `دون`, `عدم`).
    negated: bool,
    absent: Option<String>,
    /// The words in order, for the word-by-word comparison of nearly identical claims.
    tokens: Vec<Token>,
    /// Which of `tokens` the word alignment reads (`features::content_words`).
    content: Vec<usize>,
    /// Traded assets named (`الذهب`, `النفط`, `الدولار`): canonical → the word.
    assets: BTreeMap<&'static str, String>,
    /// Who acts on whom: the first party named bare (`السعودية تسلم`, `عقاب
    /// صيني`) and the parties named after a preposition or after it (`باليمن`,
    /// `لواشنطن`, `تسلم اليمن`).
    roles: Roles,
}

/// One word of a claim as compared word by word.
#[derive(Clone)]
struct Token {
    /// Match key, that key with a proclitic stripped, and its stem: two words
    /// are the same when any of these agree (`والصواريخ`, `الصواريخ`).
    key: String,
    bare: String,
    stem: String,
    /// As written, for the report.
    surface: String,
    /// [`crude_root`] of `bare`, read once: pairs of claims compare it many times.
    root: Option<[char; 3]>,
}

impl Token {
    fn same(&self, other: &Token) -> bool {
        self.key == other.key || self.bare == other.bare || self.stem == other.stem
    }

    /// Whether the two words likely share an Arabic root (`تفرج` / `الإفراج`,
    /// `سنرحل` / `الرحيل`): their [`crude_root`]s agree. Crude, so only used
    /// to excuse a substitution.
    fn related(&self, other: &Token) -> bool {
        self.root.is_some_and(|r| other.root == Some(r))
    }
}

/// The crude root [`Token::related`] compares: verb prefixes and weak letters
/// dropped, the first three consonants (None: not an Arabic word, or fewer
/// than three consonants left).
fn crude_root(bare: &str) -> Option<[char; 3]> {
    if !bare.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c)) {
        return None;
    }
    // Every letter of that range takes two bytes in UTF-8.
    let mut left = bare.len() / 2;
    let mut rest = bare.chars();
    for _ in 0..2 {
        if left >= 4 && matches!(rest.clone().next(), Some('ا' | 'ت' | 'ي' | 'ن' | 'س' | 'م'))
        {
            rest.next();
            left -= 1;
        }
    }
    let mut root = ['\0'; 3];
    let consonants = rest.filter(|c| !matches!(c, 'ا' | 'و' | 'ي' | 'ى' | 'ء' | 'ئ' | 'ؤ' | 'ه'));
    for (k, c) in consonants.enumerate() {
        root[k] = c;
        if k == 2 {
            return Some(root);
        }
    }
    // Two left is a root with a weak or hamza radical (`بدأ`, `بدء`).
    None
}

/// The words of a text in order, each with the written word it comes from.
fn tokens(text: &str, written: &[Written]) -> Vec<Token> {
    let mut out = Vec::with_capacity(written.len());
    for w in written {
        let surface = text[w.start..w.end].trim_matches(|c: char| !crate::text::is_word_char(c));
        // As `words`, without a list per written word.
        let keys = w.key.split(|c: char| !crate::text::is_word_char(c));
        for key in keys.filter(|k| !k.is_empty()).map(str::to_string) {
            let bare = strip_proclitic(&key).to_string();
            out.push(Token {
                root: crude_root(&bare),
                stem: stem(&key),
                bare,
                key,
                surface: surface.to_string(),
            });
        }
    }
    out
}

/// A whitespace-separated word of a claim: its byte span and match key
/// (computed once, used by the token and role readings).
struct Written {
    start: usize,
    end: usize,
    key: String,
}

fn written_words(text: &str) -> Vec<Written> {
    let mut out = Vec::new();
    for w in text.split_whitespace() {
        // The word's own offset (a slice of `text`): the first occurrence
        // after the previous word, as no occurrence can start in the spaces.
        let start = w.as_ptr() as usize - text.as_ptr() as usize;
        let mut key = match_key(w);
        let trimmed = key.trim();
        if trimmed.len() != key.len() {
            key = trimmed.to_string();
        }
        out.push(Written {
            start,
            end: start + w.len(),
            key,
        });
    }
    out
}

/// What of a claim is compared across outlets; `ws` are the [`words`] of its
/// text's match key.
fn profile(claim: &Claim, ws: &[String]) -> Profile {
    let lex = lexicons();
    let written = written_words(&claim.text);
    let tokens = tokens(&claim.text, &written);
    let no_casualties = says_no_casualties(ws);
    // A figure the quantity reader took (`1100 شخص`: people, not a year) is
    // no year, nor a number outside the years news speaks of.
    let counted: HashSet<String> = claim
        .slots
        .iter()
        .filter_map(|s| match s {
            Slot::Quantity { text, .. } => Some(words(&match_key(text))),
            _ => None,
        })
        .flatten()
        .collect();
    let years: Vec<String> = ws
        .iter()
        .filter(|w| {
            w.len() == 4
                && w.bytes().all(|b| b.is_ascii_digit())
                && w.parse::<u32>().is_ok_and(|y| (1800..=2100).contains(&y))
                && !counted.contains(w.as_str())
        })
        .cloned()
        .collect();
    // One-word place names as written, so that the name and its demonym
    // (`الصين`, `الصيني`) count as one shared word.
    let place_words: HashMap<String, &str> = claim
        .slots
        .iter()
        .filter_map(|s| match s {
            Slot::Entity {
                text,
                canonical,
                kind: super::EntityKind::Place,
            } => Some((match_key(text).trim().to_string(), canonical.as_str())),
            _ => None,
        })
        .filter(|(k, _)| !k.contains(' '))
        .collect();
    let place_of = |w: &str| -> Option<String> {
        let bare = PROCLITICS
            .iter()
            .find_map(|p| w.strip_prefix(p).filter(|r| place_words.contains_key(*r)))
            .unwrap_or(w);
        place_words
            .get(bare)
            .copied()
            .or_else(|| super::demonym::country(w))
            .map(|c| format!("@{c}"))
    };
    // The lemma first, so broken plurals meet their singular (جنود, جندي).
    // A traded asset by its name, whatever its clitics (`لليرة` is `ل` +
    // `الليرة`, `بتكوين` no `ب` + `تكوين`).
    let stem_of = |w: &str| -> String {
        place_of(w)
            .or_else(|| {
                proclitic_readings(w)
                    .find_map(|r| lex.assets.get(r))
                    .map(|a| format!("${a}"))
            })
            .unwrap_or_else(|| content_key(w))
    };
    let stems: HashSet<String> = ws
        .iter()
        .filter(|w| w.chars().count() >= 3 && !lex.stopwords.contains(w.as_str()))
        .map(|w| stem_of(w))
        .collect();
    let poles = poles(ws);
    let mut events = HashSet::default();
    let mut bare_words = BTreeSet::new();
    for (i, w) in ws.iter().enumerate() {
        // `على الأقل` is "at least", not "lower".
        if w == "الاقل" && i > 0 && ws[i - 1] == "علي" {
            continue;
        }
        let bare = strip_proclitic(w);
        for cue in [w.as_str(), bare] {
            if let Some(of) = lex.event_of.get(cue) {
                events.extend(of.iter().copied());
            }
        }
        bare_words.insert(w.clone());
        if names_the_opposition(w) {
            continue;
        }
        bare_words.extend(proclitic_readings(w).map(str::to_string));
    }
    // Words of a name (`أطباء بلا حدود`) say nothing of the claim.
    let name_words: HashSet<String> = claim
        .slots
        .iter()
        .filter_map(|s| match s {
            Slot::Entity { text, .. } => Some(words(&match_key(text))),
            _ => None,
        })
        .flatten()
        .collect();
    let in_name = |w: &str| name_words.contains(w);
    // "Without" or "lacking" negates the claim as `لا` would (`بلا عوائق`,
    // `لا عوائق`), but not "below" a figure (`دون 80 دولارا`), and a claim
    // of no casualties is the casualty rule's.
    let absent = (!no_casualties)
        .then(|| {
            ws.iter().enumerate().find_map(|(i, w)| {
                let below = ws
                    .get(i + 1)
                    .is_some_and(|n| n.chars().next().is_some_and(|c| c.is_ascii_digit()));
                let bare = strip_proclitic(w);
                ((lex.absence.contains(w.as_str()) || lex.absence.contains(bare))
                    && !below
                    && !in_name(w))
                .then(|| w.clone())
            })
        })
        .flatten();
    // "A Syrian plane" names Syria as much as "a plane in Syria" does.
    let demonyms: Vec<&str> = ws
        .iter()
        .filter_map(|w| super::demonym::country(w))
        .collect();
    // "Casualties fell" (`سقوط قتلى`, `سقوط أشخاص`): people killed, not a
    // plane or a regime falling.
    let fallen = [
        "قتلي",
        "ضحايا",
        "جرحي",
        "مصابين",
        "اشخاص",
        "شخص",
        "عشرات",
        "مئات",
        "الاف",
        "مدنيين",
    ];
    if ws.windows(2).any(|p| {
        p[0].trim_start_matches('و') == "سقوط"
            && (fallen.contains(&p[1].as_str())
                || p[1].starts_with(|c: char| c.is_ascii_digit())
                || super::demonym::country(&p[1]).is_some())
    }) {
        events.insert("killed");
    }
    // "Without casualties" speaks of the same thing as a death toll.
    if no_casualties {
        events.insert("killed");
    }
    let places: HashSet<String> = claim
        .slots
        .iter()
        .filter_map(entity_parts)
        .filter(|(_, k)| *k == super::EntityKind::Place)
        .map(|(c, _)| c.to_string())
        .chain(demonyms.iter().map(|c| c.to_string()))
        .collect();
    Profile {
        // A place and the country it lies in are not elsewhere (`القاهرة` / `مصر`).
        regions: places
            .iter()
            .map(|c| country_of(c).unwrap_or(c).to_string())
            .collect(),
        stems,
        no_casualties,
        years,
        poles,
        bare: bare_words,
        events,
        quantities: claim.slots.iter().filter_map(quantity).collect(),
        figure_stems: claim
            .slots
            .iter()
            .filter_map(|s| match s {
                Slot::Quantity { text, .. } => Some(text),
                _ => None,
            })
            .flat_map(|t| words(&match_key(t)))
            .map(|w| stem_of(&w))
            .collect(),
        dates: claim
            .slots
            .iter()
            .filter(|s| matches!(s, Slot::Date { .. }))
            .map(date_key)
            .collect(),
        entities: claim
            .slots
            .iter()
            .filter_map(entity_parts)
            .map(|(c, _)| c.to_string())
            .chain(demonyms.iter().map(|c| c.to_string()))
            .collect(),
        places,
        relative: relative(ws),
        negated: absent.is_some() || denies(claim, ws, &name_words),
        absent,
        assets: {
            let mut found = BTreeMap::new();
            for t in &tokens {
                if let Some(&c) = lex
                    .assets
                    .get(t.bare.as_str())
                    .or(lex.assets.get(t.key.as_str()))
                {
                    found.entry(c).or_insert_with(|| t.surface.clone());
                }
            }
            found
        },
        content: features::content_words(claim, &tokens),
        tokens,
        roles: roles(claim, &written),
    }
}

/// The parties of a claim by role (canonical names).
#[derive(Default, Clone)]
struct Roles {
    agent: Option<String>,
    targets: Vec<String>,
}

/// Words before a party that make it the one acted on (`على`, `ضد`, `إلى`).
const TARGET_MARKERS: &[&str] = &[
    "الي", "علي", "ضد", "نحو", "لدي", "تجاه", "to", "against", "on", "into", "toward", "towards",
];

/// Currencies: a demonym after one (`دولار أميركي`, `ريال سعودي`) names money, not a party.
const CURRENCIES: &[&str] = &[
    "دولار",
    "دولارا",
    "يورو",
    "ريال",
    "جنيه",
    "دينار",
    "درهم",
    "ليره",
    "روبل",
    "يوان",
];

/// Whether a word (match key) reads as an Arabic imperfect verb (`تسلم`,
/// `يستحوذ`, `تعاقب`): a prefix letter on a word of four letters or more that
/// is not a verbal noun of the `تفعيل` pattern (`تهجير`) or feminine (`تسوية`).
/// Only asked of the word right after a party's name, where a verb is likely.
fn verb_like(key: &str) -> bool {
    let w: Vec<char> = key.trim_start_matches(['و', 'ف']).chars().collect();
    w.len() >= 4
        && matches!(w[0], 'ي' | 'ت' | 'ن')
        && !(w[0] == 'ت' && w[w.len() - 2] == 'ي')
        && !w.ends_with(&['ه'])
}

/// Who acts on whom in a claim, read only where the wording makes it plain:
/// a party named bare and followed by an imperfect verb is the agent
/// (`السعودية تسلم`, `شاحنة غاز مصرية تدخل`); a party right after that verb
/// (`تسلم اليمن`) or after `ب`, `ل`, `على`, `ضد`, `إلى` is acted on
/// (`بالسعودية`, `لمصر`). Nominal headlines, passives (`على يد`, `بأمر من`)
/// and datelines (`سوريا:`) give no agent, so no swap is read into them.
fn roles(claim: &Claim, written: &[Written]) -> Roles {
    let spans: Vec<(usize, usize)> = written.iter().map(|w| (w.start, w.end)).collect();
    let word_at = |offset: usize| spans.iter().position(|&(s, e)| s <= offset && offset < e);
    let keys: Vec<&str> = written.iter().map(|w| w.key.as_str()).collect();
    // (first word, last word, canonical, proclitic letters before the name)
    let mut mentions: Vec<(usize, usize, String, String)> = Vec::new();
    for slot in &claim.slots {
        if let Slot::Entity {
            text, canonical, ..
        } = slot
            && let Some(offset) = claim.text.find(text.as_str())
            && let (Some(i), Some(j)) = (word_at(offset), word_at(offset + text.len() - 1))
        {
            // The matcher keeps `لل` (`ل` + `ال`) inside the name's text
            // (`للأردن`): that `ل` marks it too.
            let mut proclitic = claim.text[spans[i].0..offset].to_string();
            if match_key(text)
                .trim_start_matches(['و', 'ف'])
                .starts_with("لل")
            {
                proclitic.push('ل');
            }
            mentions.push((i, j, canonical.clone(), proclitic));
        }
    }
    for (i, key) in keys.iter().enumerate() {
        if mentions.iter().any(|m| m.0 <= i && i <= m.1) {
            continue;
        }
        if let Some(c) = super::demonym::country(key) {
            // An adjective agrees with its noun: `دولار أميركي` is money, but
            // in `مليار دولار سعودية وديعة` the feminine qualifies the deposit.
            let feminine = |w: &str| w.ends_with('ه');
            let after_currency = i > 0
                && CURRENCIES.iter().any(|cur| {
                    keys[i - 1].trim_start_matches(['و', 'ب']) == *cur
                        && feminine(cur) == feminine(key)
                });
            if after_currency {
                continue;
            }
            // `للبنانيين` is "for the Lebanese".
            let bare = key.trim_start_matches(['و', 'ف']);
            let proclitic = if bare.starts_with("لل") { "ل" } else { "" };
            mentions.push((i, i, c.to_string(), proclitic.to_string()));
        }
    }
    mentions.sort_by_key(|m| m.0);
    let marked = |(i, _, _, proclitic): &(usize, usize, String, String)| {
        match_key(proclitic)
            .trim()
            .trim_start_matches(['و', 'ف'])
            .contains(['ب', 'ل'])
            || (*i > 0 && TARGET_MARKERS.contains(&keys[*i - 1]))
    };
    let mut roles = Roles::default();
    let dateline = |m: &(usize, usize, String, String)| {
        claim.text[spans[m.1].0..spans[m.1].1].ends_with([':', '：'])
    };
    let agent = mentions
        .iter()
        .find(|m| !marked(m) && !dateline(m) && keys.get(m.1 + 1).is_some_and(|k| verb_like(k)));
    if let Some(agent) = agent {
        roles.agent = Some(agent.2.clone());
        let object = agent.1 + 2;
        for m in &mentions {
            if m.2 != agent.2 && (marked(m) || m.0 == object) && !roles.targets.contains(&m.2) {
                roles.targets.push(m.2.clone());
            }
        }
        return roles;
    }
    // A nominal headline: the act's demonym is its agent and the party after
    // `ل` or `ب` the one acted on (`عقاب صيني لواشنطن`, `وديعة سعودية باليمن`).
    let agent = mentions
        .iter()
        .position(|m| !marked(m) && !dateline(m) && super::demonym::country(keys[m.0]).is_some());
    if let Some(k) = agent {
        let targets: Vec<String> = mentions[k + 1..]
            .iter()
            .filter(|m| marked(m) && m.2 != mentions[k].2)
            .map(|m| m.2.clone())
            .collect();
        if !targets.is_empty() {
            roles.agent = Some(mentions[k].2.clone());
            roles.targets = targets;
        }
    }
    roles
}

/// Two claims that name the same two parties with their roles swapped (`السعودية
/// تودع في اليمن` / `اليمن تودع في السعودية`): the agent of each is acted on in the other.
fn roles_swapped<'p>(ra: &'p Roles, rb: &'p Roles) -> Option<(&'p str, &'p str)> {
    let (x, y) = (ra.agent.as_deref()?, rb.agent.as_deref()?);
    // A capital acts for its country (`بكين تعاقب` / `تعاقب الصين`).
    let party = |c: &str| country_of(c).unwrap_or(c).to_string();
    let (px, py) = (party(x), party(y));
    (px != py
        && rb.targets.iter().any(|t| party(t) == px)
        && ra.targets.iter().any(|t| party(t) == py))
    .then_some((x, y))
}

/// What the two articles' claims have in common overall: how rare each stem
/// and each entity is across both.
struct Rarity {
    stem_idf: HashMap<String, f32>,
    /// Entities named in few claims: sharing one is a strong sign of one claim.
    rare_entities: HashSet<String>,
}

impl Rarity {
    fn of(from: &[Profile], to: &[Profile]) -> Rarity {
        let mut df: HashMap<String, f32> = HashMap::default();
        for p in from.iter().chain(to) {
            for s in &p.stems {
                *df.entry(s.clone()).or_default() += 1.0;
            }
        }
        let n = (from.len() + to.len()) as f32;
        // An entity one article names in a single claim marks that claim: a
        // claim of the other article naming it too is likely the same one.
        fn count(side: &[Profile]) -> HashMap<&str, usize> {
            let mut m: HashMap<&str, usize> = HashMap::default();
            for p in side {
                for e in &p.entities {
                    *m.entry(e.as_str()).or_default() += 1;
                }
            }
            m
        }
        let (ca, cb) = (count(from), count(to));
        let rare_entities = ca
            .iter()
            .filter_map(|(e, &da)| cb.get(e).map(|&db| (e, da.min(db))))
            .filter(|(_, d)| *d <= 1)
            .map(|(e, _)| (*e).to_string())
            .collect();
        Rarity {
            stem_idf: df
                .into_iter()
                .map(|(s, d)| (s, (1.0 + n / d).ln()))
                .collect(),
            rare_entities,
        }
    }
}

/// Match score of two claims: word overlap weighted by rarity, plus shared
/// rare entities, events, counted things and dates; claims about different
/// events (a killing, a deployment) are kept apart.
/// A claim's stems as sorted ids with their weights: pairs of claims are
/// scored many times, so the strings are hashed once.
struct Bag {
    ids: Vec<u32>,
    weights: Vec<f32>,
    total: f32,
}

/// The bags of both articles' claims, over one id space.
fn bags<'p>(from: &'p [Profile], to: &'p [Profile], rarity: &Rarity) -> (Vec<Bag>, Vec<Bag>) {
    let mut ids: HashMap<&'p str, u32> = HashMap::default();
    let mut bag = |p: &'p Profile| {
        let mut pairs: Vec<(u32, f32)> = p
            .stems
            .iter()
            .map(|s| {
                let next = ids.len() as u32;
                (
                    *ids.entry(s.as_str()).or_insert(next),
                    rarity.stem_idf.get(s).copied().unwrap_or(1.0),
                )
            })
            .collect();
        pairs.sort_by_key(|(id, _)| *id);
        Bag {
            total: pairs.iter().map(|(_, w)| w).sum(),
            ids: pairs.iter().map(|(id, _)| *id).collect(),
            weights: pairs.iter().map(|(_, w)| *w).collect(),
        }
    };
    let a = from.iter().map(&mut bag).collect();
    let b = to.iter().map(&mut bag).collect();
    (a, b)
}

/// Weight and number of the stems two bags share (a merge of sorted ids).
fn overlap(a: &Bag, b: &Bag) -> (f32, usize) {
    let (mut i, mut j, mut weight, mut count) = (0, 0, 0.0, 0);
    while i < a.ids.len() && j < b.ids.len() {
        match a.ids[i].cmp(&b.ids[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                weight += a.weights[i];
                count += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (weight, count)
}

fn score(a: &Profile, b: &Profile, rarity: &Rarity, bag_a: &Bag, bag_b: &Bag) -> f32 {
    let (shared, shared_stems) = overlap(bag_a, bag_b);
    let (total_a, total_b) = (bag_a.total, bag_b.total);
    let mut s = if total_a > 0.0 && total_b > 0.0 {
        shared / (total_a * total_b).sqrt()
    } else {
        0.0
    };
    // A shared rare name marks the same claim only when something else is
    // shared too: two headlines that only both name Syria are not one claim.
    if shared_stems >= 2
        && a.entities
            .intersection(&b.entities)
            .any(|e| rarity.rare_entities.contains(e))
    {
        s += 0.3;
    }
    let same_event = !a.events.is_disjoint(&b.events);
    // A count of the same thing in different places, with nothing in common
    // but the figures' words, is two events (`20 قتيلا في الحديدة` / `المغرب:
    // 7 قتلى`).
    let same_counted = !(elsewhere(a, b) && only_figures_shared(a, b))
        && a.quantities.iter().any(|x| {
            b.quantities
                .iter()
                .any(|y| x.unit.is_some() && x.unit == y.unit && !(x.dual_alone && y.dual_alone))
        });
    if same_event {
        s += 0.15;
    }
    if same_counted {
        // A count of the same thing in the same event is the same figure,
        // however differently worded (the death toll in two outlets).
        s += if same_event { 0.25 } else { 0.15 };
    }
    if a.dates.iter().any(|d| b.dates.contains(d)) {
        s += 0.1;
    }
    match (a.events.is_empty(), b.events.is_empty()) {
        (false, false) if a.events.is_disjoint(&b.events) => s * 0.5,
        (true, false) | (false, true) => s * 0.7,
        _ => s,
    }
}

/// Both claims name places and none in common (`الحديدة` / `المغرب`).
fn elsewhere(a: &Profile, b: &Profile) -> bool {
    !a.places.is_empty() && !b.places.is_empty() && a.regions.is_disjoint(&b.regions)
}

/// The claims share no word but those of their figures.
fn only_figures_shared(a: &Profile, b: &Profile) -> bool {
    a.stems
        .intersection(&b.stems)
        .all(|s| a.figure_stems.contains(s) || b.figure_stems.contains(s))
}

/// Above this match score two claims say the same thing in nearly the same
/// words, so a swapped name (Russia for China) is a contradiction.
const SAME_WORDING: f32 = 0.6;

/// The most words a claim may have for a country, person or asset only it
/// names to contradict the other claim (see `conflicts`).
const SHORT_CLAIM: usize = 30;

/// Above this match score two claims are about the same thing, so one
/// negating what the other affirms is a contradiction.
const SAME_CLAIM: f32 = 0.38;

/// A party as the claim writes it: its entity slot's text, or the demonym's word.
fn surface_of(claim: &Claim, p: &Profile, canonical: &str) -> String {
    party_surface(claim, &p.tokens, canonical)
}

fn party_surface(claim: &Claim, tokens: &[Token], canonical: &str) -> String {
    claim
        .slots
        .iter()
        .find_map(|s| match s {
            Slot::Entity {
                text, canonical: c, ..
            } if c == canonical => Some(text.clone()),
            _ => None,
        })
        .or_else(|| {
            tokens
                .iter()
                .find(|t| super::demonym::country(&t.key) == Some(canonical))
                .map(|t| t.surface.clone())
        })
        .unwrap_or_else(|| canonical.to_string())
}

/// The slots on which two aligned claims of different outlets contradict.
fn conflicts(a: &Claim, b: &Claim, pa: &Profile, pb: &Profile, similarity: f32) -> Vec<SlotChange> {
    let mut out = Vec::new();
    if similarity >= SAME_WORDING {
        let mut swaps = Vec::new();
        diff_entities(
            &of_type(&a.slots, "entity"),
            &of_type(&b.slots, "entity"),
            &mut swaps,
        );
        // A capital for its country (`برلين` / `ألمانيا`) is the same party.
        let same_country = |c: &SlotChange| {
            let canon = |s: &Option<Slot>| match s {
                Some(Slot::Entity { canonical, .. }) => country_of(canonical),
                _ => None,
            };
            canon(&c.from).is_some() && canon(&c.from) == canon(&c.to)
        };
        out.extend(
            swaps
                .into_iter()
                .filter(|c| c.kind == "replaced" && !same_country(c))
                .map(|c| SlotChange {
                    kind: "conflict",
                    ..c
                }),
        );
    }
    let qa: Vec<&Slot> = of_type(&a.slots, "quantity");
    let qb: Vec<&Slot> = of_type(&b.slots, "quantity");
    let (mut pairs, left_a, left_b) = pair_quantities(&qa, &qb);
    // One figure left on each side, counts of differently named things (`5
    // من أفراد الشرطة` / `شخصين`) or one without its noun: the same figure
    // told differently.
    if let ([x], [y]) = (left_a.as_slice(), left_b.as_slice())
        && let (Some(p), Some(q)) = (quantity(x), quantity(y))
        && [p.kind, q.kind]
            .iter()
            .all(|k| matches!(k, QuantityKind::Count | QuantityKind::Number))
    {
        pairs.push((x, y));
    }
    for (x, y) in pairs {
        let (Some(mut p), Some(q)) = (quantity(x), quantity(y)) else {
            continue;
        };
        p.kind = q.kind;
        // The same figure counting things of another class (`3 رجال` /
        // `ثلاثة بلدان`) says something else.
        let class = |q: &Q| q.unit.as_deref().and_then(unit_class);
        let recounted = close(p.value, q.value)
            && class(&p).is_some()
            && class(&q).is_some()
            && class(&p) != class(&q);
        if quantities_conflict(&p, &q) || recounted {
            out.push(change("quantity", "conflict", Some(x), Some(y)));
        }
    }
    // The same story told of another country (`تحطم طائرة عسكرية بالجزائر` /
    // `تحطم طائرة عسكرية سورية`), of or by another person (`بيل غيتس:` /
    // `تصريح لإيلون ماسك`), or of another traded asset (`الذهب يرتفع` /
    // `النفط يرتفع`). What both name is common ground (`مهاجر يمني` /
    // `السوريين`, both in Saudi Arabia). Countries count as named, not cities
    // taken for their country: `البصرة` lies in Iraq, but `البرلمان الإيراني
    // ... البصرة` is still Iran against Iraq. A long sentence names these in
    // many roles (sources, backdrop, comparisons), so only claims of headline
    // length are read this way.
    if pa.tokens.len().max(pb.tokens.len()) <= SHORT_CLAIM {
        // Per kind, canonical name → as written.
        let named = |c: &Claim, p: &Profile| -> [BTreeMap<String, String>; 3] {
            let countries = p
                .places
                .iter()
                .filter(|n| country_of(n) == Some(n.as_str()))
                .map(|n| (n.clone(), surface_of(c, p, n)))
                .collect();
            let persons = c
                .slots
                .iter()
                .filter_map(|s| match s {
                    Slot::Entity {
                        text,
                        canonical,
                        kind: super::EntityKind::Person,
                    } => Some((canonical.clone(), text.clone())),
                    _ => None,
                })
                .collect();
            let assets = p
                .assets
                .iter()
                .map(|(k, w)| (k.to_string(), w.clone()))
                .collect();
            [countries, persons, assets]
        };
        let kinds = [
            super::EntityKind::Place,
            super::EntityKind::Person,
            super::EntityKind::Other,
        ];
        for ((na, nb), kind) in named(a, pa).iter().zip(&named(b, pb)).zip(kinds) {
            let only = |x: &BTreeMap<String, String>, y: &BTreeMap<String, String>| {
                x.iter()
                    .find(|(k, _)| !y.contains_key(*k))
                    .map(|(k, w)| Slot::Entity {
                        text: w.clone(),
                        canonical: k.clone(),
                        kind,
                    })
            };
            if let (Some(from), Some(to)) = (only(na, nb), only(nb, na)) {
                out.push(SlotChange {
                    slot: "entity",
                    kind: "conflict",
                    from: Some(from),
                    to: Some(to),
                });
            }
        }
    }
    if let Some((x, y)) = roles_swapped(&pa.roles, &pb.roles) {
        out.push(roles_change(
            (surface_of(a, pa, x), x),
            (surface_of(b, pb, y), y),
        ));
    }
    let da = of_type(&a.slots, "date");
    let db = of_type(&b.slots, "date");
    if !da.is_empty() && !db.is_empty() && pa.dates.iter().all(|d| !pb.dates.contains(d)) {
        // Only dates of the same precision can contradict (2025-12 vs 2025-12-27 does not).
        if let Some((x, y)) = da.iter().find_map(|x| {
            db.iter()
                .find(|y| {
                    let (x, y) = (date_key(x), date_key(y));
                    // A weekday without a calendar date (`-W-7`) is compared with weekdays only.
                    x.len() == y.len() && x.starts_with("-W") == y.starts_with("-W")
                })
                .map(|y| (*x, *y))
        }) {
            out.push(change("date", "conflict", Some(x), Some(y)));
        }
    }
    // Negation differs all the time between outlets' loosely matched
    // sentences; it contradicts only when they say nearly the same thing.
    if pa.negated != pb.negated && similarity >= SAME_CLAIM {
        let cue = |c: &Claim, p: &Profile| {
            c.slots
                .iter()
                .find(|s| matches!(s, Slot::Polarity { .. }))
                .cloned()
                .or_else(|| {
                    p.absent.as_ref().map(|w| Slot::Polarity {
                        negated: true,
                        text: w.clone(),
                    })
                })
        };
        out.push(SlotChange {
            slot: "polarity",
            kind: "conflict",
            from: cue(a, pa),
            to: cue(b, pb),
        });
    }
    out.extend(
        antonyms(&pa.poles, &pb.poles)
            .into_iter()
            .map(|(p, q)| antonym(p, q)),
    );
    out.extend(before_after(&pa.relative, &pb.relative));
    // One claims a failure of what the other reports done (`تفشل في القبض`
    // against `تقبض على 22`).
    let failed = |p: &Profile| {
        p.bare
            .iter()
            .any(|w| lexicons().failure.contains(w.as_str()))
    };
    if similarity >= SAME_CLAIM && failed(pa) != failed(pb) && pa.negated == pb.negated {
        let cue = |p: &Profile| {
            p.bare
                .iter()
                .find(|w| lexicons().failure.contains(w.as_str()))
                .cloned()
                .unwrap_or_default()
        };
        let (f, t) = if failed(pa) {
            (cue(pa), String::new())
        } else {
            (String::new(), cue(pb))
        };
        out.push(SlotChange {
            slot: "polarity",
            kind: "antonym",
            from: Some(Slot::Polarity {
                negated: !f.is_empty(),
                text: f,
            }),
            to: Some(Slot::Polarity {
                negated: !t.is_empty(),
                text: t,
            }),
        });
    }
    // Dead on one side, "without casualties" on the other.
    let casualties = |c: &Claim, p: &Profile| -> Option<Slot> {
        let units = &lexicons().casualty_units;
        c.slots
            .iter()
            .find(|s| {
                quantity(s).is_some_and(|q| {
                    q.value > 0.0 && q.unit.as_deref().is_some_and(|u| units.contains(u))
                })
            })
            .cloned()
            .or_else(|| {
                p.events.contains("killed").then(|| Slot::Polarity {
                    negated: false,
                    text: "killed".into(),
                })
            })
    };
    let zero = |text: &str| Slot::Quantity {
        text: text.to_string(),
        value: 0.0,
        upper: None,
        unit: None,
        unit_key: None,
        qualifier: Qualifier::Exact,
        kind: QuantityKind::Count,
    };
    if pa.no_casualties != pb.no_casualties {
        let (dead, none_text) = if pb.no_casualties {
            (casualties(a, pa), &b.text)
        } else {
            (casualties(b, pb), &a.text)
        };
        if let Some(dead) = dead {
            let (from, to) = if pb.no_casualties {
                (dead, zero(none_text))
            } else {
                (zero(none_text), dead)
            };
            out.push(SlotChange {
                slot: "quantity",
                kind: "conflict",
                from: Some(from),
                to: Some(to),
            });
        }
    }
    // A year no extractor took as a date (`أوسكار 2018` / `أوسكار 2010`),
    // in claims worded nearly alike.
    if similarity >= SAME_CLAIM
        && !pa.years.is_empty()
        && !pb.years.is_empty()
        && pa.years.iter().all(|y| !pb.years.contains(y))
        && !out.iter().any(|c| c.slot == "date")
    {
        let year = |y: &String| Slot::Date {
            text: y.clone(),
            value: y.clone(),
            relative: false,
        };
        out.push(SlotChange {
            slot: "date",
            kind: "conflict",
            from: Some(year(&pa.years[0])),
            to: Some(year(&pb.years[0])),
        });
    }
    // Words of a name both claims give (in any spelling: `جونج` / `جونغ`)
    // are no substitution.
    let shared_name_words = |c: &Claim, other: &Profile| -> HashSet<String> {
        c.slots
            .iter()
            .filter_map(|s| match s {
                Slot::Entity {
                    text, canonical, ..
                } if other.entities.contains(canonical) => Some(words(&match_key(text))),
                _ => None,
            })
            .flatten()
            .collect()
    };
    let (names_a, names_b) = (shared_name_words(a, pb), shared_name_words(b, pa));
    if out.is_empty()
        && let Some((x, y)) = substitution(&pa.tokens, &pb.tokens)
        && !(x.iter().all(|t| names_a.contains(&t.key))
            && y.iter().all(|t| names_b.contains(&t.key)))
    {
        let word = |side: &[&Token]| {
            let mut text: Vec<&str> = Vec::new();
            for t in side {
                if text.last() != Some(&t.surface.as_str()) {
                    text.push(&t.surface);
                }
            }
            let text = text.join(" ");
            Slot::Entity {
                canonical: text.clone(),
                text,
                kind: super::EntityKind::Other,
            }
        };
        let (from, to) = (word(&x), word(&y));
        // A capital for its country (`القاهرة` / `مصر`) is no substitution.
        let country = |slot: &Slot| {
            let Slot::Entity { text, .. } = slot else {
                return None;
            };
            let (canonical, _) = super::entity::Gazetteer::builtin().lookup(text)?;
            country_of(canonical)
        };
        if country(&from).is_none() || country(&from) != country(&to) {
            out.push(SlotChange {
                slot: "entity",
                kind: "substituted",
                from: Some(from),
                to: Some(to),
            });
        }
    }
    out
}

/// The one place where two nearly identical claims differ, when that is one
/// or two words replaced by one or two others (`النساء` / `الأطفال`, `وضع` /
/// `نزع`) and at least three words and 60% of the longer claim are the same:
/// the outlets tell the same story about something else. Figures, reporting
/// verbs and function words are left to the other rules.
fn substitution<'p>(a: &'p [Token], b: &'p [Token]) -> Option<(Vec<&'p Token>, Vec<&'p Token>)> {
    let (n, m) = (a.len(), b.len());
    if n.min(m) < 4 || n.max(m) > 60 {
        return None;
    }
    // Longest common subsequence of words.
    let mut lcs = vec![vec![0u16; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i].same(&b[j]) {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let same = lcs[0][0] as usize;
    if same < 3 || (same as f32) < 0.6 * n.max(m) as f32 {
        return None;
    }
    // Walk the alignment and collect the runs of unmatched words.
    let mut blocks: Vec<(Vec<&Token>, Vec<&Token>)> = Vec::new();
    let mut open = false;
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i].same(&b[j]) && lcs[i][j] == lcs[i + 1][j + 1] + 1 {
            open = false;
            i += 1;
            j += 1;
            continue;
        }
        if !open {
            blocks.push((Vec::new(), Vec::new()));
            open = true;
        }
        let block = blocks.last_mut()?;
        if j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1]) {
            block.0.push(&a[i]);
            i += 1;
        } else {
            block.1.push(&b[j]);
            j += 1;
        }
    }
    let [(from, to)] = <[_; 1]>::try_from(blocks).ok()?;
    if from.is_empty() || to.is_empty() || from.len() > 2 || to.len() > 2 {
        return None;
    }
    let lex = lexicons();
    // Function words (with their conjunction: `ولا`), negation and absence
    // words (the polarity rule's), and reporting verbs.
    let plain = |side: &[&Token]| {
        side.iter()
            .any(|t| t.key.chars().any(|c| c.is_ascii_digit()))
            || side.iter().all(|t| {
                let conj = t.key.trim_start_matches(['و', 'ف']);
                [t.key.as_str(), t.bare.as_str(), conj].iter().any(|w| {
                    lex.stopwords.contains(w)
                        || lex.absence.contains(w)
                        || lex.reporting.contains(w)
                })
            })
    };
    if plain(&from) || plain(&to) || from.iter().any(|x| to.iter().any(|y| x.related(y))) {
        return None;
    }
    Some((from, to))
}

/// Two outlets' figures for the same counted thing contradict unless they are
/// equal, or one is a bound the other meets within a factor of two (`more
/// than 10,000` and `12,000` agree; `at least 9` and `about 2,000` do not).
fn quantities_conflict(a: &Q, b: &Q) -> bool {
    if a.kind != b.kind || close(a.value, b.value) {
        return false;
    }
    let near = |x: f64, y: f64| {
        let (lo, hi) = if x.abs() < y.abs() {
            (x.abs(), y.abs())
        } else {
            (y.abs(), x.abs())
        };
        lo > 0.0 && hi / lo <= 2.0
    };
    let agrees = |bound: &Q, other: &Q| {
        bound.qualifier != Qualifier::Exact
            && satisfies(bound, other.value)
            && near(bound.value, other.value)
    };
    !(agrees(a, b) || agrees(b, a))
}

/// Every unit of a text as a claim candidate for articles mode: the units
/// with slots carry them, the others (statements without a number, name or
/// negation) still take part, since outlets contradict each other in words
/// too (`rose` / `fell`). Single words (a label, a byline) are left out.
pub fn statements(
    text: &str,
    units: &[crate::text::segment::Unit],
    claims: &[Claim],
) -> Vec<Claim> {
    let by_unit: HashMap<usize, &Claim> = claims.iter().map(|c| (c.sentence, c)).collect();
    units
        .iter()
        .enumerate()
        .filter_map(|(i, u)| match by_unit.get(&i) {
            Some(c) => Some((*c).clone()),
            None => {
                let t = u.text(text);
                (t.split_whitespace().count() >= 2).then(|| Claim {
                    sentence: i,
                    text: t.to_string(),
                    slots: Vec::new(),
                })
            }
        })
        .collect()
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

/// What two articles' reports amount to together (the contract's `summary`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Agree,
    Disagree,
    Related,
    Unrelated,
}

/// The pair-level answer to "do these two reports agree?".
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    pub relation: Relation,
    /// Calibrated probability that the relation is right (as measured for a
    /// claim against an article; see `basis`).
    pub confidence: f32,
    /// `claim`: one side is a claim or headline (a few sentences), the
    /// setting the model was trained and calibrated in. `headlines`: two whole
    /// articles, read through each one's headline against the other — no
    /// labelled data measures that, so it is a best guess.
    pub basis: Basis,
}

/// What a summary was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    Claim,
    Headlines,
}

/// Articles mode in full: the claim rows and the pair's summary.
#[derive(Debug, Clone)]
pub struct ArticlesComparison {
    pub rows: Vec<ClaimChange>,
    pub summary: Summary,
}

/// Compare two outlets' claims. Claims are paired one to one by match score
/// (best first); the learned row model then says of each pair whether both
/// assert the same thing (`shared`), contradict each other (`conflicting`,
/// only where a rule reads the contradiction, which becomes its `changes`),
/// are about the same event without the same assertion (`related`), or are
/// unrelated after all (two `only_*` rows). Rows follow the first article's
/// order, then the second's leftovers.
pub fn compare_articles(from: &[Claim], to: &[Claim]) -> Vec<ClaimChange> {
    compare_articles_full(from, to).rows
}

/// The most statements a side may have to be read as one claim by the pair
/// model (a headline or a claim, as in its training data); longer sides are
/// whole articles.
const LONGEST_CLAIM_SIDE: usize = 3;

/// The pair model's probabilities for a claim against an article.
fn pair_probabilities(ev: &Evidence) -> Vec<f32> {
    let models = super::model::models();
    let considered = ev.consider();
    models.relation(&ev.doc(), &considered, &models.rows(&considered))
}

/// [`compare_articles`] with the pair-level summary.
pub fn compare_articles_full(from: &[Claim], to: &[Claim]) -> ArticlesComparison {
    let models = super::model::models();
    let ev = Evidence::of(from, to);
    let considered = ev.consider();
    let probabilities = models.rows(&considered);
    let side = |c: &Claim| ClaimSide {
        sentence: c.sentence,
        text: c.text.clone(),
        slots: c.slots.clone(),
    };
    let only = |status, from: Option<ClaimSide>, to: Option<ClaimSide>, p: f32| ClaimChange {
        status,
        from,
        to,
        changes: Vec::new(),
        similarity: None,
        confidence: Some(p),
    };
    // How sure "only in one article" is: the row model's "unrelated" for the
    // claim's best partner (certain when nothing in the other is like it).
    let unrelated_from = |i: usize| {
        considered
            .iter()
            .zip(&probabilities)
            .filter(|(c, _)| c.from == i)
            .map(|(_, p)| p[3])
            .fold(1.0f32, f32::min)
    };
    let unrelated_to = |j: usize| {
        considered
            .iter()
            .zip(&probabilities)
            .filter(|(c, _)| c.to == j)
            .map(|(_, p)| p[3])
            .fold(1.0f32, f32::min)
    };
    let mut out = Vec::new();
    let mut paired_b = vec![false; to.len()];
    for (i, a) in from.iter().enumerate() {
        let matched = considered
            .iter()
            .zip(&probabilities)
            .find(|(c, _)| c.matched && c.from == i);
        let Some((c, p)) = matched else {
            out.push(only(
                Status::OnlyFrom,
                Some(side(a)),
                None,
                unrelated_from(i),
            ));
            continue;
        };
        let (class, confidence) = models.decide_row(p, !c.changes.is_empty());
        let status = match class {
            0 => Status::Shared,
            1 => Status::Conflicting,
            2 => Status::Related,
            _ => {
                out.push(only(Status::OnlyFrom, Some(side(a)), None, p[3]));
                continue;
            }
        };
        paired_b[c.to] = true;
        out.push(ClaimChange {
            status,
            from: Some(side(a)),
            to: Some(side(&to[c.to])),
            changes: if status == Status::Conflicting {
                c.changes.clone()
            } else {
                Vec::new()
            },
            similarity: Some(c.similarity),
            confidence: Some(confidence),
        });
    }
    for (j, b) in to.iter().enumerate() {
        if !paired_b[j] {
            out.push(only(Status::OnlyTo, None, Some(side(b)), unrelated_to(j)));
        }
    }
    // A line that makes no claim (`8 mins read`, a dateline, `Leave a
    // comment`, `Your email address will not be published.`) is read with the
    // rest (the models learned from whole texts) but is no row of its own:
    // "only in one article" is said of claims.
    out.retain(|r| match (r.status, &r.from, &r.to) {
        (Status::OnlyFrom, Some(s), None) | (Status::OnlyTo, None, Some(s)) => {
            claim_unit(&s.text, &s.slots) && !addressed_to_reader(&s.text)
        }
        _ => true,
    });
    let basis = if from.len().min(to.len()) > LONGEST_CLAIM_SIDE {
        Basis::Headlines
    } else {
        Basis::Claim
    };
    let p = if basis == Basis::Headlines {
        // Two whole articles: the model learned from a claim (a headline)
        // against an article, so each article's headline is read against the
        // other article, and the two readings averaged.
        let a = pair_probabilities(&ev.headline(true));
        let b = pair_probabilities(&ev.headline(false));
        a.iter().zip(&b).map(|(x, y)| (x + y) / 2.0).collect()
    } else {
        models.relation(&ev.doc(), &considered, &probabilities)
    };
    let (k, confidence) = p
        .iter()
        .copied()
        .enumerate()
        .max_by(|x, y| x.1.total_cmp(&y.1))
        .unwrap_or((3, 1.0));
    let relation = [
        Relation::Agree,
        Relation::Disagree,
        Relation::Related,
        Relation::Unrelated,
    ][k.min(3)];
    ArticlesComparison {
        rows: out,
        summary: Summary {
            relation,
            confidence,
            basis,
        },
    }
}

fn dice(a: &[String], b: &[String]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let sa: HashSet<&String> = a.iter().collect();
    let sb: HashSet<&String> = b.iter().collect();
    2.0 * sa.intersection(&sb).count() as f32 / (sa.len() + sb.len()) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(value: f64, qualifier: Qualifier, unit: &str) -> Slot {
        Slot::Quantity {
            text: format!("{value}"),
            value,
            upper: None,
            unit: Some(unit.into()),
            unit_key: Some(unit.into()),
            qualifier,
            kind: QuantityKind::Count,
        }
    }

    fn kinds(from: &[Slot], to: &[Slot]) -> Vec<(&'static str, &'static str)> {
        diff_slots(from, to)
            .iter()
            .map(|c| (c.slot, c.kind))
            .collect()
    }

    #[test]
    fn quantity_change_kinds() {
        assert_eq!(
            kinds(
                &[q(9.0, Qualifier::Exact, "جندي")],
                &[q(11.0, Qualifier::Exact, "جندي")]
            ),
            [("quantity", "update")]
        );
        assert_eq!(
            kinds(
                &[q(9.0, Qualifier::AtLeast, "جندي")],
                &[q(11.0, Qualifier::Exact, "جندي")]
            ),
            [("quantity", "refinement")]
        );
        assert_eq!(
            kinds(
                &[q(2000.0, Qualifier::Exact, "جندي")],
                &[q(2000.0, Qualifier::About, "جندي")]
            ),
            [("quantity", "hedge")]
        );
        assert_eq!(
            kinds(
                &[q(2000.0, Qualifier::About, "جندي")],
                &[q(2000.0, Qualifier::About, "جندي")]
            ),
            []
        );
        assert_eq!(
            kinds(&[], &[q(3.0, Qualifier::Exact, "x")]),
            [("quantity", "added")]
        );
        // An unchanged figure next to a changed one pairs with its twin.
        assert_eq!(
            kinds(
                &[q(5.0, Qualifier::Exact, "a"), q(7.0, Qualifier::Exact, "a")],
                &[q(7.0, Qualifier::Exact, "a"), q(8.0, Qualifier::Exact, "a")]
            ),
            [("quantity", "update")]
        );
    }

    #[test]
    fn figures_conflict_unless_compatible() {
        let b = |v, ql| quantity(&q(v, ql, "جندي")).unwrap();
        assert!(quantities_conflict(
            &b(2000.0, Qualifier::About),
            &b(9.0, Qualifier::AtLeast)
        ));
        assert!(!quantities_conflict(
            &b(10000.0, Qualifier::MoreThan),
            &b(12000.0, Qualifier::Exact)
        ));
        assert!(quantities_conflict(
            &b(10.0, Qualifier::Exact),
            &b(12.0, Qualifier::Exact)
        ));
        assert!(!quantities_conflict(
            &b(12.0, Qualifier::Exact),
            &b(12.0, Qualifier::About)
        ));
    }

    /// Two one-sentence articles compared: the statuses and the changes.
    /// The statuses the model gives, and what the rules read in the best
    /// matched pair (the contradictions they can name, which explain a
    /// `conflicting` row). The rules are tested as readings; the model decides.
    fn across(a: &str, b: &str) -> (Vec<Status>, Vec<(&'static str, &'static str)>) {
        let opts = super::super::ExtractOptions::default();
        let side = |t: &str| {
            let units = crate::text::segment::segment(t);
            statements(t, &units, &super::super::extract(t, &opts))
        };
        let (sa, sb) = (side(a), side(b));
        let rows = compare_articles(&sa, &sb);
        let ev = Evidence::of(&sa, &sb);
        let readings = ev
            .consider()
            .into_iter()
            .filter(|c| c.matched)
            .max_by(|x, y| x.similarity.total_cmp(&y.similarity))
            .map(|c| c.changes.iter().map(|ch| (ch.slot, ch.kind)).collect())
            .unwrap_or_default();
        // What a person sees by default: a row the model is not sure of is
        // held back (`Unchanged` stands for it here).
        let threshold = super::super::model::models().min_confidence;
        let shown = rows
            .iter()
            .map(|r| {
                if r.confidence.unwrap_or(1.0) < threshold {
                    Status::Unchanged
                } else {
                    r.status
                }
            })
            .collect();
        (shown, readings)
    }

    /// Page furniture and lines that speak to the reader are read with the
    /// rest but are no "only in" rows; the statements beside them are.
    #[test]
    fn furniture_is_only_in_no_article() {
        let opts = super::super::ExtractOptions::default();
        let side = |t: &str| {
            let units = crate::text::segment::segment(t);
            statements(t, &units, &super::super::extract(t, &opts))
        };
        let a = "The minister resigned on Monday after the vote.\n\n8 mins read\n\nديسمبر 25, 2025\n\nاترك تعليقاً\n\nYour email address will not be published.\n";
        let b = "The ministry opened a new hospital in the north of the country.\n\n5 comments\n";
        let rows = compare_articles(&side(a), &side(b));
        let texts: Vec<(Status, &str)> = rows
            .iter()
            .map(|r| {
                let s = r.from.as_ref().or(r.to.as_ref()).unwrap();
                (r.status, s.text.as_str())
            })
            .collect();
        assert_eq!(
            texts,
            [
                (
                    Status::OnlyFrom,
                    "The minister resigned on Monday after the vote."
                ),
                (
                    Status::OnlyTo,
                    "The ministry opened a new hospital in the north of the country."
                ),
            ]
        );
    }

    /// A contradiction the rules read is never shown as the same claim.
    #[track_caller]
    fn assert_contradiction(status: &[Status], readings: &[(&str, &str)]) {
        assert!(!readings.is_empty(), "no rule reads a contradiction");
        assert!(!status.contains(&Status::Shared), "{status:?}");
    }

    /// The same claim in other words: no contradiction read or shown.
    #[track_caller]
    fn assert_no_contradiction(status: &[Status]) {
        assert!(!status.contains(&Status::Conflicting), "{status:?}");
    }

    #[test]
    fn swapped_roles_conflict() {
        let (status, changes) = across(
            "مصر تصدر الكهرباء إلى السودان",
            "السودان يصدر الكهرباء لمصر",
        );
        assert_contradiction(&status, &changes);
        assert!(
            changes.contains(&("entity", "roles_swapped")),
            "{changes:?}"
        );
        // A nominal headline: the demonym acts, the party after `ل` is acted on.
        let (_, changes) = across(
            "دعم مالي سعودي للأردن بقيمة مليار دولار",
            "الأردن يقدم دعما ماليا للسعودية",
        );
        assert!(
            changes.contains(&("entity", "roles_swapped")),
            "{changes:?}"
        );
        // The converse verb with `من` reads no roles: no swap is made up.
        let (_, changes) = across(
            "مصر تصدر الكهرباء إلى السودان",
            "السودان يستورد الكهرباء من مصر",
        );
        assert!(
            !changes.contains(&("entity", "roles_swapped")),
            "{changes:?}"
        );
        // Datelines and passives give no agent.
        let (_, changes) = across(
            "سوريا: غارة روسية على إدلب",
            "غارة سورية على إدلب بدعم روسيا",
        );
        assert!(
            !changes.contains(&("entity", "roles_swapped")),
            "{changes:?}"
        );
    }

    #[test]
    fn another_country_conflicts() {
        let (status, changes) = across(
            "تحطم طائرة عسكرية جزائرية ومقتل طاقمها",
            "تحطم طائرة عسكرية في ليبيا ومقتل طاقمها",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("entity", "conflict")), "{changes:?}");
        // The demonym and the name are one country.
        let (status, _) = across(
            "تحطم طائرة عسكرية جزائرية ومقتل طاقمها",
            "تحطم طائرة عسكرية في الجزائر ومقتل طاقمها",
        );
        assert_no_contradiction(&status);
        // Casualties "fell" (`سقوط أشخاص`) in another country.
        let (status, changes) = across(
            "مقتل 12 شخصا في هجوم انتحاري في ليبيا",
            "سقوط أشخاص في هجوم انتحاري في سوريا",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("entity", "conflict")), "{changes:?}");
    }

    #[test]
    fn a_capital_stands_for_its_country() {
        let (status, changes) = across(
            "الرئيس يزور القاهرة لبحث التعاون الاقتصادي مع الحكومة",
            "الرئيس يزور مصر لبحث التعاون الاقتصادي مع الحكومة",
        );
        assert_no_contradiction(&status);
        assert!(changes.is_empty(), "{changes:?}");
        let (_, changes) = across(
            "بكين تعاقب واشنطن برسوم جديدة",
            "واشنطن تعاقب الصين برسوم جديدة",
        );
        assert!(
            changes.contains(&("entity", "roles_swapped")),
            "{changes:?}"
        );
    }

    #[test]
    fn long_sentences_need_more_than_another_country() {
        // Nearly the same long sentence told of another city: still a conflict.
        let (status, changes) = across(
            "وقال المسؤول في مؤتمر صحفي عقده بعد اجتماع مطول مع وفد من الخبراء الدوليين إن الهجوم الذي وقع صباح الأحد أسفر عن أضرار كبيرة في المنشآت العامة والخاصة في مدينة حلب وفق التقديرات الأولية التي نشرت مساء اليوم",
            "وقال المسؤول في مؤتمر صحفي عقده بعد اجتماع مطول مع وفد من الخبراء الدوليين إن الهجوم الذي وقع صباح الأحد أسفر عن أضرار كبيرة في المنشآت العامة والخاصة في مدينة الموصل وفق التقديرات الأولية التي نشرت مساء اليوم",
        );
        assert_contradiction(&status, &changes);
        // Two long sentences on one theme that name different countries in
        // passing are not told of different countries.
        let (_, changes) = across(
            "وألقى هذا التعاون العسكري المتنامي بظلاله على الأمن الإقليمي حيث ألمحت اليابان في وقت سابق إلى إمكانية مراجعة سياستها الدفاعية التي تحظر تصدير الأسلحة إلى مناطق النزاع في العالم وهو ما يزيد من تعقيد المشهد الدولي",
            "ويرى محللون أن هذا التعاون العسكري المتنامي قد يؤدي إلى عقوبات إضافية على إيران ويزيد من تعقيد المشهد الدولي في المنطقة خلال الأشهر المقبلة",
        );
        assert!(!changes.contains(&("entity", "conflict")), "{changes:?}");
    }

    #[test]
    fn another_asset_conflicts() {
        let (status, changes) = across(
            "الذهب يقفز إلى أعلى مستوى في شهرين بعد قرار الفائدة",
            "النفط يقفز إلى أعلى مستوى منذ شهرين بعد قرار الفائدة",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("entity", "conflict")), "{changes:?}");
        // Both name the dollar; one adds gold: no conflict on the assets.
        let (status, _) = across(
            "الدولار يرتفع بعد قرار الفائدة",
            "الدولار يرتفع والذهب يستقر بعد قرار الفائدة",
        );
        assert_no_contradiction(&status);
    }

    #[test]
    fn first_pole_is_the_claim() {
        let (status, changes) = across("الذهب يرتفع مع هبوط الدولار", "الذهب يتراجع مع صعود الدولار");
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
        let (status, _) = across("الذهب يرتفع مع هبوط الدولار", "ارتفاع الذهب وهبوط الدولار");
        assert_no_contradiction(&status);
    }

    #[test]
    fn conjugated_verbs_take_their_listed_pole() {
        // `تتدنى` is read as `تدنى` (decline), `يفرون` as `يفر`, `منعت` as `منع`.
        let (status, changes) = across(
            "ارتفاع تكلفة مشروع القطار السريع في كاليفورنيا",
            "تكلفة مشروع القطار السريع في كاليفورنيا تتدنى",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
        let (status, changes) = across(
            "آلاف المدنيين يفرون من الغوطة الشرقية",
            "المدنيون في الغوطة الشرقية يتمسكون بالبقاء",
        );
        assert_contradiction(&status, &changes);
        let (status, changes) = across(
            "إسرائيل تمنح ألف طالب لجوء حق الإقامة الدائمة",
            "منعت إسرائيل ألف طالب لجوء من الإقامة الدائمة",
        );
        assert_contradiction(&status, &changes);
    }

    #[test]
    fn ending_a_thing_is_its_opposite() {
        // `إنهاء الحرب` is peace: the same side as `اتفاق سلام`.
        let (status, _) = across(
            "توقيع اتفاق سلام جديد لإنهاء الحرب الأهلية في جنوب السودان",
            "إنهاء الحرب الأهلية في جنوب السودان عن طريق اتفاق سلام جديد",
        );
        assert_no_contradiction(&status);
        let (status, changes) = across(
            "توقيع اتفاق سلام جديد لإنهاء الحرب الأهلية في جنوب السودان",
            "استمرار الحرب الأهلية في جنوب السودان",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
    }

    #[test]
    fn stopping_a_thing_is_its_opposite() {
        // `توقف القصف` is calm, against `قصف`.
        let (status, changes) = across(
            "طائرات حربية تقصف مخزن أسلحة في سوريا",
            "توقف القصف في سوريا",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
        let (status, changes) = across(
            "المغني كاني ويست يختفي مجددا من وسائل التواصل الاجتماعي",
            "المغني كاني ويست يظهر مجددا على وسائل التواصل الاجتماعي",
        );
        assert_contradiction(&status, &changes);
    }

    #[test]
    fn two_assets_moving_are_compared_asset_by_asset() {
        // Word order differs, each asset moves the same way: no contradiction.
        let (status, _) = across(
            "أسعار الذهب تنخفض مع صعود الدولار",
            "صعود للدولار يؤدي لهبوط أسعار الذهب",
        );
        assert_no_contradiction(&status);
        let (status, _) = across(
            "انخفاض أسعار الذهب مع تعافي الدولار",
            "ارتفاع الدولار ينزل بالذهب",
        );
        assert_no_contradiction(&status);
        // Gold up on one side, down on the other.
        let (status, changes) = across("الذهب يصعد مع هبوط الدولار", "هبوط الذهب بارتفاع الدولار");
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
        // Stocks of crude are not crude.
        let (status, changes) = across(
            "النفط يرتفع مع انخفاض مخزونات الخام الأميركية",
            "النفط يهبط مع ارتفاع مخزونات الخام الأميركية",
        );
        assert_contradiction(&status, &changes);
    }

    #[test]
    fn indicators_move_like_assets() {
        let (status, _) = across(
            "تركيا.. التضخم يرتفع والليرة تتراجع لمستوى قياسي",
            "الليرة في تراجع قياسي وارتفاع للتضخم في تركيا",
        );
        assert_no_contradiction(&status);
        let (status, _) = across("معدلات النمو تتراجع في تركيا", "تراجع معدل النمو في تركيا");
        assert_no_contradiction(&status);
    }

    #[test]
    fn what_came_before_is_background() {
        let (status, _) = across(
            "بعد الانهيار.. الليرة التركية تسجل ارتفاعا طفيفا",
            "ارتفاع طفيف لليرة التركية",
        );
        assert_no_contradiction(&status);
    }

    #[test]
    fn giving_up_gains_is_falling() {
        let (status, _) = across(
            "الذهب يتخلى عن مكاسبه مع تماسك الدولار",
            "الذهب يتراجع أمام تماسك الدولار",
        );
        assert_no_contradiction(&status);
        let (status, changes) = across(
            "النفط يعوض بعض خسائره بعد إعلان ترامب",
            "النفط يتراجع بعد إعلان ترامب",
        );
        assert_contradiction(&status, &changes);
        // `لوقف` is `ل` + `وقف`; `فوزه` is `فوز` + `ه`.
        let (status, changes) = across(
            "مصر والإمارات شراكة استراتيجية لتطوير الأداء الحكومي",
            "مصر والإمارات تتجهان لوقف التعاون في تطوير الأداء الحكومي",
        );
        assert_contradiction(&status, &changes);
        let (status, changes) = across(
            "حزب النهضة يعلن فوزه في الانتخابات البلدية",
            "حزب النهضة يخسر الانتخابات البلدية",
        );
        assert_contradiction(&status, &changes);
    }

    #[test]
    fn emergency_and_abduction_have_opposites() {
        let (status, changes) = across(
            "إيران تعلن حالة الطوارئ بعد تحطم طائرة مدنية",
            "هدوء الأوضاع في إيران بعد تحطم الطائرة المدنية",
        );
        assert_contradiction(&status, &changes);
        let (status, changes) = across(
            "اختطاف 14 من قوات الأمن على يد جماعة مسلحة",
            "الجماعة المسلحة تفرج عن قوات الأمن",
        );
        assert_contradiction(&status, &changes);
    }

    #[test]
    fn same_figure_counting_another_class_conflicts() {
        let (status, changes) = across(
            "لغة نادرة يتحدث بها 3 رجال فقط",
            "لغة نادرة يتحدث بها ثلاثة بلدان فقط",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("quantity", "conflict")), "{changes:?}");
        // Soldiers and people are both people: the same figure told differently.
        let (status, _) = across(
            "مقتل 3 جنود في هجوم على الحدود",
            "مقتل ثلاثة أشخاص في هجوم على الحدود",
        );
        assert_no_contradiction(&status);
    }

    #[test]
    fn unprecedented_since_is_no_denial() {
        let (status, _) = across(
            "مقتل 4 أشخاص إثر هطول أمطار غزيرة لم تجتح تونس منذ 20 عاما",
            "مقتل 4 أشخاص بعد الأمطار الغزيرة التي ضربت تونس",
        );
        assert_no_contradiction(&status);
        // A name before the cue is the subject of a real denial.
        let (status, changes) = across(
            "النجم سايمون كاول لم يستخدم الهاتف المحمول منذ عشرة أشهر",
            "النجم سايمون كاول يستخدم الهاتف المحمول",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "conflict")), "{changes:?}");
    }

    #[test]
    fn conditions_and_names_deny_nothing() {
        let (status, _) = across(
            "ترامب يهدد كندا بالرسوم إذا لم تتفاهم معه",
            "ترامب يهدد كندا بالرسوم",
        );
        assert_no_contradiction(&status);
        let (status, _) = across(
            "أطباء بلا حدود: العشرات يغرقون قرب ليبيا",
            "غرق العشرات قرب ليبيا",
        );
        assert_no_contradiction(&status);
        // Praise worded as a negation.
        let (status, _) = across(
            "بوتين لكيم: صداقة روسيا وكوريا الشمالية لا تقهر",
            "بوتين يشيد بصداقة روسيا وكوريا الشمالية",
        );
        assert_no_contradiction(&status);
    }

    #[test]
    fn figures_alone_do_not_make_one_claim() {
        let (status, _) = across(
            "بكين تفرض رسوما بقيمة 50 مليار دولار",
            "الرياض تصدر سندات دولية بملياري دولار",
        );
        assert!(!status.contains(&Status::Conflicting), "{status:?}");
        assert!(!status.contains(&Status::Shared), "{status:?}");
    }

    #[test]
    fn one_word_substituted_conflicts() {
        let (status, changes) = across(
            "الشركة تطلق سيارة كهربائية جديدة في السوق المحلية",
            "الشركة تطلق دراجة كهربائية جديدة في السوق المحلية",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("entity", "substituted")), "{changes:?}");
        // The same root reworded, and a reporting verb swapped, are no contradiction.
        let (status, _) = across(
            "السلطات تفرج عن الصحفي المعتقل منذ شهر",
            "الإفراج عن الصحفي المعتقل منذ شهر",
        );
        assert_no_contradiction(&status);
        let (status, _) = across(
            "قال الوزير إن المحادثات ستستأنف الأسبوع المقبل",
            "أكد الوزير أن المحادثات ستستأنف الأسبوع المقبل",
        );
        assert_no_contradiction(&status);
    }

    #[test]
    fn undoing_cue_on_one_side_conflicts() {
        let (status, changes) = across(
            "الحكومة تلغي حظر التجول في المدينة",
            "الحكومة تفرض حظر التجول في المدينة",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
        // `بالإلغاء` is `ب` + `الإلغاء`: both sides cancel.
        let (status, _) = across(
            "الحكومة تلغي حظر التجول في المدينة",
            "قامت الحكومة بإلغاء حظر التجول في المدينة",
        );
        assert_no_contradiction(&status);
    }

    #[test]
    fn absence_is_a_negation() {
        let (status, changes) = across(
            "قافلة مساعدات إنسانية تدخل المدينة المحاصرة",
            "المدينة المحاصرة بدون مساعدات إنسانية",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "conflict")), "{changes:?}");
        // Without on one side, no on the other: the same claim.
        let (status, _) = across(
            "مرور الشاحنات عبر المعبر بلا عوائق",
            "لا عوائق أمام مرور الشاحنات عبر المعبر",
        );
        assert_no_contradiction(&status);
        // `دون` before a figure is "below".
        let (status, _) = across(
            "سعر القمح يستقر دون 300 دولار للطن",
            "سعر القمح يستقر عند أقل من 300 دولار للطن",
        );
        assert_no_contradiction(&status);
    }

    #[test]
    fn single_figures_compared_across_units() {
        let (status, changes) = across(
            "غرق 7 من الصيادين قبالة الساحل الشرقي",
            "غرق ثلاثة أشخاص قبالة الساحل الشرقي",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("quantity", "conflict")), "{changes:?}");
        let (status, _) = across(
            "غرق 3 من الصيادين قبالة الساحل الشرقي",
            "غرق ثلاثة أشخاص قبالة الساحل الشرقي",
        );
        assert_no_contradiction(&status);
    }

    #[test]
    fn confirm_and_deny_are_opposites() {
        let (status, changes) = across(
            "الوزارة تؤكد تسجيل 12 إصابة بالحصبة في ثلاث مدن",
            "الوزارة تنفي تسجيل إصابات بالحصبة",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
    }

    #[test]
    fn the_opposition_is_a_party_not_opposing() {
        // `المعارضة` names the party on both sides; defaming against supporting.
        let (status, changes) = across(
            "غرامة على زعيم المعارضة المحلية لتشهيره بالرئيس",
            "زعيم المعارضة المحلية يدعم الرئيس",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
    }

    #[test]
    fn leaving_and_staying_are_opposites() {
        let (status, changes) = across(
            "نزوح آلاف السكان من البلدة بسبب القصف",
            "تمسك السكان بالبلدة رغم القصف",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
    }

    #[test]
    fn before_and_after_the_same_thing_conflict() {
        let (status, changes) = across(
            "قبل الانتخابات.. الشركة تتسلم 3 قطارات جديدة",
            "قطارات جديدة للشركة بعد الانتخابات",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
        // `قبل` alone is "before", not "accepted": no accept / reject pole.
        let (status, _) = across(
            "الشركة ترفض العرض قبل الاجتماع",
            "الشركة ترفض العرض قبل الاجتماع",
        );
        assert_no_contradiction(&status);
        // Before one thing, after another: no contradiction.
        let (status, _) = across(
            "قبل الانتخابات.. الشركة تتسلم قطارات جديدة",
            "قطارات جديدة للشركة بعد العقوبات",
        );
        assert_ne!(status, [Status::Conflicting]);
    }

    #[test]
    fn same_count_in_other_places_is_another_event() {
        // Dead in Hodeidah, dead in Morocco: little else shared, not one claim.
        let (status, changes) = across(
            "20 قتيلا في غارات على الحديدة اليمنية",
            "المغرب: 7 قتلى على الأقل في حادث انقلاب قطار",
        );
        assert!(
            !status.contains(&Status::Conflicting),
            "{status:?} {changes:?}"
        );
        // The same story told of two places still compares its figures.
        let (status, changes) = across(
            "سياح بريطانيون يعودون بعد وفاة اثنين منهم في مصر",
            "سياح بريطانيون يعودون بعد وفاة عشرة منهم في لبنان",
        );
        assert_contradiction(&status, &changes);
    }

    #[test]
    fn compatible_bounds_and_spellings_are_no_contradiction() {
        // "At least 1,100" and "at least 1,000" can both be true.
        let (status, changes) = across(
            "مقتل ما لا يقل عن 1100 شخص في الزلزال",
            "مقتل ما لا يقل عن 1000 شخص في الزلزال",
        );
        assert_no_contradiction(&status);
        assert!(!changes.contains(&("quantity", "conflict")), "{changes:?}");
        // One name in two transliterations is never a substitution.
        let (status, changes) = across(
            "كيم جونج أون يزور موسكو الأسبوع المقبل",
            "كيم جونغ أون يزور موسكو الأسبوع المقبل",
        );
        assert_no_contradiction(&status);
        assert!(changes.is_empty(), "{changes:?}");
    }

    #[test]
    fn a_shared_name_alone_is_no_match() {
        let (status, _) = across(
            "افتتاح معرض دولي للكتاب في تونس",
            "أمطار غزيرة تغرق شوارع تونس",
        );
        assert!(
            !status
                .iter()
                .any(|s| matches!(s, Status::Shared | Status::Conflicting | Status::Related)),
            "{status:?}"
        );
    }

    #[test]
    fn opposite_directions_of_one_thing_align() {
        let (status, changes) = across("أسعار القمح تصعد", "هبوط جديد لأسعار القمح عالميا");
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
        let (status, changes) = across(
            "البلدية تسمح بالتدخين في المقاهي",
            "البلدية تحظر التدخين في المقاهي",
        );
        assert_contradiction(&status, &changes);
    }

    #[test]
    fn roots_join_word_families() {
        let r = |w: &str| root(match_key(w).trim());
        for (a, b) in [
            ("مهاجر", "تهجير"),
            ("قروض", "إقراض"),
            ("ينتخبون", "انتخابات"),
            ("يحولون", "تحويلا"),
            ("الاستثمار", "تستثمر"),
            ("ارتفاع", "يرتفع"),
        ] {
            assert!(
                r(a).is_some() && r(a) == r(b),
                "{a} {:?} / {b} {:?}",
                r(a),
                r(b)
            );
        }
        assert_eq!(r("اقتصاد").as_deref(), Some("قصد"));
        assert_eq!(r("Syria"), None);
    }

    #[test]
    fn stems_fold_clitics_and_plurals() {
        assert_eq!(stem("والصواريخ"), stem("الصواريخ"));
        assert_eq!(stem("العقوبات"), "عقوب");
    }
}
