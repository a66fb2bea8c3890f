//! Claims: what a sentence asserts that can be checked — quantities, dates,
//! quotes, attributions, entities and negation — as typed slots, and how they
//! changed between versions or differ between outlets.
//!
//! Extraction is deterministic and rule-based (lexicons from
//! `reference/arabic-text.md` §3–6), Arabic first, English too.

pub mod attribution;
pub mod date;
pub mod entity;
pub mod polarity;
pub mod quantity;
pub mod quote;

use serde::Serialize;

/// How exact a quantity is (the contract's `qualifier`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Person,
    Place,
    Organization,
    Other,
}

/// One typed slot of a claim (the contract's SLOT).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Slot {
    /// `{"type": "quantity", "text": "أكثر من 10 آلاف جندي", "value": 10000, "unit": "جندي", "qualifier": "more_than"}`
    Quantity {
        text: String,
        value: f64,
        /// Upper bound of a range (`between 10 and 20`, `10-20`).
        #[serde(skip_serializing_if = "Option::is_none")]
        upper: Option<f64>,
        /// The counted noun as written (`جنود`), or the currency / `%`.
        unit: Option<String>,
        /// The unit's folded lemma, for comparison (`جنود`, `جندياً`, `جندي` → one key).
        #[serde(skip_serializing_if = "Option::is_none")]
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
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        relative: bool,
    },
    /// `{"type": "quote", "text": "…"}` with the speaker when the sentence names one.
    Quote {
        text: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        speaker: Option<String>,
    },
    /// `{"type": "attribution", "text": "…", "source": "…"}`: who says or reports it.
    Attribution {
        text: String,
        source: String,
        /// An unnamed source (`مصادر`, `تقارير استخباراتية`, officials said).
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        anonymous: bool,
    },
    /// `{"type": "entity", "text": "…", "canonical": "…"}`.
    Entity { text: String, canonical: String, kind: EntityKind },
    /// `{"type": "polarity", "negated": true}` with the negation cue.
    Polarity {
        negated: bool,
        #[serde(skip_serializing_if = "String::is_empty")]
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
