//! How sure versions mode is that a flagged row (`changed`, `added`, `removed`) reflects a
//! change of meaning, and not a clearer, shorter or better-joined sentence.
//!
//! The rules of `versions.rs` decide a row's status and explain it; how much the row is
//! worth is learned: a logistic regression over a handful of the row's features (whether
//! it only takes values out, how many words the edit inserted and deleted, how many of the
//! inserted ones are names or numbers; [`FEATURES`] lists what a row offers, the model names
//! what it uses), with its parameters in `versions_model.json` beside this file. `examples/versions_model.rs`
//! trains it on real Wikinews revisions whose edits people labelled with why they were made
//! (IteraTeR news, development half, in `../shared/data/`); nothing here reads the data.
//! Editors who delete are mostly tightening prose; editors who insert words are mostly
//! adding information, so the two word counts carry most of the weight.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::compare::{ClaimChange, Status};
use super::versions::{name_and_number_words, words};

/// The features a row offers, in this order ([`row_features`]); the committed model names
/// the ones it uses (`versions_model.json`'s `features`).
pub const FEATURES: &[&str] = &[
    "added",
    "removed",
    "removal_only",
    "log_inserted_words",
    "log_deleted_words",
    // A slot that had a value on both sides and another after the edit (a figure, name,
    // date or source replaced), against one only put in or taken out.
    "replaced",
    // Which kinds of value changed.
    "quantity",
    "date",
    "entity",
    "source_or_quote",
    // Inserted (deleted) words that are names or numbers: facts brought in (taken out).
    "log_inserted_names",
    "log_deleted_names",
    // The share of the two sides' words the edit touched: a sentence rewritten, or a
    // value put into one left as it was.
    "edit_share",
];
/// The committed model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VersionsModel {
    pub features: Vec<String>,
    pub mean: Vec<f32>,
    pub scale: Vec<f32>,
    pub weights: Vec<f32>,
    pub bias: f32,
    /// The least confidence a row needs to be shown by default: chosen out-of-fold for
    /// precision of what is shown.
    pub min_confidence: f32,
    /// How the parameters were made (command, data, figures), for the record.
    #[serde(default)]
    pub trained: String,
}

impl VersionsModel {
    /// The probability that a row with these features (the model's `features`, in its
    /// order; [`VersionsModel::select`] picks them from [`row_features`]) reflects a change
    /// of meaning.
    pub fn confidence(&self, x: &[f32]) -> f32 {
        let z: f32 = x
            .iter()
            .zip(self.mean.iter().zip(&self.scale))
            .zip(&self.weights)
            .map(|((v, (m, s)), w)| w * (v - m) / s)
            .sum::<f32>()
            + self.bias;
        1.0 / (1.0 + (-z).exp())
    }

    /// This model's features out of all of a row's ([`FEATURES`] order). A name the list
    /// does not have reads 0 (a test checks the committed file names only listed ones).
    pub fn select(&self, all: &[f32]) -> Vec<f32> {
        self.features
            .iter()
            .map(|f| {
                FEATURES
                    .iter()
                    .position(|g| g == f)
                    .and_then(|i| all.get(i).copied())
                    .unwrap_or(0.0)
            })
            .collect()
    }
}

/// The committed parameters, parsed once (a few hundred bytes).
pub fn model() -> &'static VersionsModel {
    static MODEL: OnceLock<VersionsModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        serde_json::from_str(include_str!("versions_model.json"))
            .expect("src/claims/versions_model.json is part of the build and must parse")
    })
}

/// A flagged row's features ([`FEATURES`]); `None` for rows that flag nothing.
pub fn row_features(row: &ClaimChange) -> Option<Vec<f32>> {
    if !matches!(
        row.status,
        Status::Changed | Status::Added | Status::Removed
    ) {
        return None;
    }
    fn text(s: &Option<super::compare::ClaimSide>) -> &str {
        s.as_ref().map(|s| s.text.as_str()).unwrap_or_default()
    }
    let (old_text, new_text) = (text(&row.from), text(&row.to));
    let (mut old, mut new) = (words(old_text), words(new_text));
    let (old_len, new_len) = (old.len(), new.len());
    old.sort();
    new.sort();
    let (deleted, inserted) = bag_difference(&old, &new);
    let removal_only = row.status == Status::Changed
        && !row.changes.is_empty()
        && row.changes.iter().all(|c| c.kind == "removed");
    let any_slot = |slots: &[&str]| row.changes.iter().any(|c| slots.contains(&c.slot));
    // A value replaced: a change with both sides, or one slot kind both losing and gaining.
    let replaced = row
        .changes
        .iter()
        .any(|c| c.from.is_some() && c.to.is_some())
        || row.changes.iter().any(|c| {
            c.kind == "removed"
                && row
                    .changes
                    .iter()
                    .any(|d| d.kind == "added" && d.slot == c.slot)
        });
    // Name and number words on one side only (as a set: a name named twice is one fact).
    let (old_names, new_names) = (
        name_and_number_words(old_text),
        name_and_number_words(new_text),
    );
    let inserted_names = new_names.difference(&old_names).count();
    let deleted_names = old_names.difference(&new_names).count();
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let ln = |n: usize| (1.0 + n as f32).ln();
    Some(vec![
        flag(row.status == Status::Added),
        flag(row.status == Status::Removed),
        flag(removal_only),
        ln(inserted),
        ln(deleted),
        flag(replaced),
        flag(any_slot(&["quantity"])),
        flag(any_slot(&["date"])),
        flag(any_slot(&["entity"])),
        flag(any_slot(&["attribution", "quote"])),
        ln(inserted_names),
        ln(deleted_names),
        (inserted + deleted) as f32 / (old_len + new_len).max(1) as f32,
    ])
}

/// Words only in `a` and only in `b` (as multisets), both sorted.
fn bag_difference(a: &[String], b: &[String]) -> (usize, usize) {
    let (mut i, mut j, mut only_a, mut only_b) = (0, 0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => {
                only_a += 1;
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                only_b += 1;
                j += 1;
            }
        }
    }
    (only_a + a.len() - i, only_b + b.len() - j)
}

/// Give a flagged row its confidence.
pub fn score_row(row: &mut ClaimChange) {
    if let Some(x) = row_features(row) {
        let m = model();
        row.confidence = Some(m.confidence(&m.select(&x)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_model_loads_and_matches_the_feature_list() {
        let m = model();
        assert!(!m.features.is_empty());
        assert!(m.features.iter().all(|f| FEATURES.contains(&f.as_str())));
        assert_eq!(m.mean.len(), m.features.len());
        assert_eq!(m.scale.len(), m.features.len());
        assert_eq!(m.weights.len(), m.features.len());
        assert!((0.0..1.0).contains(&m.min_confidence));
    }

    #[test]
    fn flagged_rows_carry_a_confidence_and_human_outputs_hold_back_the_unsure() {
        use crate::compare::{CompareOptions, compare_texts};
        use crate::report::Mode;
        let a = "The river rose overnight.\n\nResidents left their homes on Monday.\n";
        let b = "The river rose overnight.\n\nResidents left their homes on Monday.\n\n\
                 The water destroyed the old bridge and two houses near the station.\n";
        let report = compare_texts(a, b, Mode::Versions, &CompareOptions::default());
        let flagged = report
            .claims
            .iter()
            .filter(|r| matches!(r.status, Status::Changed | Status::Added | Status::Removed))
            .count();
        assert!(flagged >= 1, "{:?}", report.claims);
        for r in &report.claims {
            match r.status {
                Status::Changed | Status::Added | Status::Removed => {
                    assert!(r.confidence.is_some_and(|p| (0.0..=1.0).contains(&p)))
                }
                _ => assert!(r.confidence.is_none()),
            }
        }
        // At 1: every flagged row is held back (a probability is below it), the rest shown.
        let mut strict = report.clone();
        strict.min_confidence = 1.0;
        let (shown, held) = strict.shown_claims();
        assert_eq!(held, flagged);
        assert!(shown.iter().all(|r| r.confidence.is_none()));
        let mut all = report;
        all.min_confidence = 0.0;
        assert_eq!(all.shown_claims().1, 0);
    }

    #[test]
    fn a_model_picks_its_features_by_name() {
        let mut m = model().clone();
        m.features = vec!["log_deleted_words".into(), "removal_only".into()];
        let all: Vec<f32> = (0..FEATURES.len()).map(|i| i as f32).collect();
        assert_eq!(m.select(&all), vec![4.0, 2.0]);
    }

    #[test]
    fn word_counts_are_multiset_differences() {
        let s = |v: &[&str]| v.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert_eq!(
            bag_difference(&s(&["a", "a", "b", "c"]), &s(&["a", "c", "d", "e"])),
            (2, 2)
        );
        assert_eq!(bag_difference(&s(&[]), &s(&["x"])), (0, 1));
    }
}
