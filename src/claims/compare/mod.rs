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
//!
//! The rows both modes report are defined here; the rest is split along the
//! data's flow:
//!
//! * versions mode: `edits` walks the alignment, `slots` says how one claim's
//!   slots changed into another's;
//! * articles mode: `profile` reads what of each claim is compared, `matching`
//!   scores pairs of claims, `conflicts` reads where a pair contradicts,
//!   `features` measures all that for the learned models, and `articles` makes
//!   their answers rows and a summary;
//! * shared: `quantities` (how two figures compare), `roles` (who acts on
//!   whom), `words` (lexicons, proclitics, stems, roots, tokens).

use serde::Serialize;

use super::Slot;

mod articles;
mod conflicts;
mod edits;
pub mod features;
mod matching;
mod profile;
mod quantities;
mod roles;
mod slots;
pub mod spelling;
pub mod vectors;
mod words;

pub use articles::{
    ArticlesComparison, Basis, ClaimReadings, FromReading, Probabilities, Relation, Summary,
    compare_articles, compare_articles_full, makes_claim, read_claims, statements,
};
pub use edits::{RowMap, compare_versions, compare_versions_with};
pub use matching::ARTICLES_MATCH_THRESHOLD;
pub use slots::diff_slots;
pub(super) use words::{
    MEMO_LIMIT, PROCLITICS, lexicons, names_the_opposition, proclitic_readings,
};

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
