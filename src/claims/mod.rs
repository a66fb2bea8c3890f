//! Claims: what a sentence asserts that can be checked — quantities, dates,
//! quotes, attributions, entities and negation — as typed slots, and how they
//! changed between versions or differ between outlets.
//!
//! Extraction is deterministic and rule-based (lexicons from
//! `reference/arabic-text.md` §3–6), Arabic first, English too.

pub mod attribution;
pub mod compare;
pub mod date;
mod date_words;
pub mod demonym;
pub mod entity;
mod lexicon;
pub mod lexicon_use;
pub mod model;
mod names;
mod opposites;
pub mod polarity;
pub mod quantity;
pub mod quote;
mod static_map;
mod tables;
mod versions;
pub mod versions_model;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::text::segment::{Unit, segment};

pub use compare::features;
pub use entity::Gazetteer;

/// Bumped whenever extraction changes output: cached claims of an older
/// version are recomputed.
pub const ANALYSER_VERSION: i64 = 10;

/// How exact a quantity is (the contract's `qualifier`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Exact,
    About,
    MoreThan,
    AtLeast,
    LessThan,
    AtMost,
    Range,
}

/// What a quantity measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuantityKind {
    /// A count or amount of something (the unit says of what).
    Count,
    Percent,
    Money,
    /// A year standing alone is a date, not a quantity; other bare numbers land here.
    Number,
}

/// What kind of named thing an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Person,
    Place,
    Organization,
    Other,
}

/// One typed slot of a claim (the contract's SLOT).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Slot {
    /// `{"type": "quantity", "text": "أكثر من 10 آلاف جندي", "value": 10000, "unit": "جندي", "qualifier": "more_than"}`
    Quantity {
        text: String,
        value: f64,
        /// Upper bound of a range (`between 10 and 20`, `10-20`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        upper: Option<f64>,
        /// The counted noun as written (`جنود`), or the currency / `%`.
        unit: Option<String>,
        /// The unit's folded lemma, for comparison (`جنود`, `جندياً`, `جندي` → one key).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit_key: Option<String>,
        qualifier: Qualifier,
        kind: QuantityKind,
    },
    /// `{"type": "date", "text": "27 ديسمبر", "value": "2025-12-27"}`: ISO 8601 as precise as
    /// the text (`2025-12`, `--12-27` when the year is unknown).
    Date {
        text: String,
        value: String,
        /// Resolved from a relative expression (`أمس`, `last year`) against the article's date.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        relative: bool,
    },
    /// `{"type": "quote", "text": "…"}` with the speaker when the sentence names one.
    Quote {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        speaker: Option<String>,
    },
    /// `{"type": "attribution", "text": "…", "source": "…"}`: who says or reports it.
    Attribution {
        text: String,
        source: String,
        /// An unnamed source (`مصادر`, `تقارير استخباراتية`, officials said).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        anonymous: bool,
    },
    /// `{"type": "entity", "text": "…", "canonical": "…"}`.
    Entity {
        text: String,
        canonical: String,
        kind: EntityKind,
    },
    /// `{"type": "polarity", "negated": true}` with the negation cue.
    Polarity {
        negated: bool,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        text: String,
    },
}

impl Slot {
    /// The slot's type name, as in the contract's `changes[].slot`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Slot::Quantity { .. } => "quantity",
            Slot::Date { .. } => "date",
            Slot::Quote { .. } => "quote",
            Slot::Attribution { .. } => "attribution",
            Slot::Entity { .. } => "entity",
            Slot::Polarity { .. } => "polarity",
        }
    }
}

/// A sentence (unit) that asserts something checkable, with its slots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// Index of the unit in the version's segmentation.
    pub sentence: usize,
    pub text: String,
    pub slots: Vec<Slot>,
}

/// What extraction needs besides the text.
#[derive(Clone, Copy)]
pub struct ExtractOptions<'g> {
    /// The article's own date, for relative dates (`أمس`, `العام الماضي`) and
    /// dates without a year. When `None`, a dateline near the top is used.
    pub article_date: Option<NaiveDate>,
    pub gazetteer: &'g Gazetteer,
}

impl Default for ExtractOptions<'static> {
    fn default() -> Self {
        ExtractOptions {
            article_date: None,
            gazetteer: Gazetteer::builtin(),
        }
    }
}

/// The claims of a text: every unit with at least one slot, in order.
pub fn extract(text: &str, opts: &ExtractOptions<'_>) -> Vec<Claim> {
    let units = segment(text);
    extract_units(text, &units, opts)
}

/// [`extract`] over an existing segmentation.
pub fn extract_units(text: &str, units: &[Unit], opts: &ExtractOptions<'_>) -> Vec<Claim> {
    let article_date = article_date(text, units, opts.article_date);
    units
        .iter()
        .enumerate()
        .filter_map(|(i, u)| {
            let sentence = u.text(text);
            let slots = sentence_slots(sentence, article_date, opts.gazetteer);
            (!slots.is_empty()).then(|| Claim {
                sentence: i,
                text: sentence.to_string(),
                slots,
            })
        })
        .collect()
}

/// The date relative dates in `text` are read against: `given` (the
/// article's own date), else a dateline near the top. With [`sentence_slots`]
/// it is all [`extract_units`] reads of a sentence besides its words.
pub fn article_date(text: &str, units: &[Unit], given: Option<NaiveDate>) -> Option<NaiveDate> {
    given.or_else(|| dateline(text, units))
}

/// All slots of one sentence.
pub fn sentence_slots(
    sentence: &str,
    article_date: Option<NaiveDate>,
    gazetteer: &Gazetteer,
) -> Vec<Slot> {
    // Quantities and dates read the same tokens: tokenised once.
    let toks = quantity::tokenize(sentence);
    let parts = [
        quantity::quantities_in(&toks),
        date::dates_in(&toks, article_date),
        quote::find_quotes_with(sentence, gazetteer),
        attribution::find_attributions(sentence, gazetteer),
        entity::find_entities(sentence, gazetteer),
        polarity::find_negations(sentence),
    ];
    // One allocation of the right size rather than a regrowth per part.
    let mut slots = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    for part in parts {
        slots.extend(part);
    }
    slots
}

/// The article's date from a dateline: a unit near the top that is nothing
/// but a full date (`ديسمبر 25, 2025`).
fn dateline(text: &str, units: &[Unit]) -> Option<NaiveDate> {
    units.iter().take(8).find_map(|u| {
        let line = u.text(text);
        if line.split_whitespace().count() > 5 {
            return None;
        }
        date::find_dates(line, None)
            .into_iter()
            .find_map(|slot| match slot {
                Slot::Date {
                    value,
                    relative: false,
                    ..
                } => NaiveDate::parse_from_str(&value, "%Y-%m-%d").ok(),
                _ => None,
            })
    })
}
