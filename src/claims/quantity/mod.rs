//! Quantities: numbers in digits (Western, Arabic-Indic, Extended Arabic-Indic) or words
//! (Arabic and English), with their scale, hedge, counted noun, percent or currency
//! (`reference/arabic-text.md` §1.3, §3).
//!
//! One pass builds tokens with byte spans into the input and a folded lookup key
//! (`match_key` letter folding done per character, no per-token allocation); the number
//! words and counted nouns are static tables keyed by those folded keys, laid out by build.rs
//! (`number_words`, `unit_words`). Slot `text` is always a substring of the input.
//!
//! Decisions: vague quantities (مئات، آلاف الجنود، عشرات، بضعة، "hundreds of", "dozens")
//! are not emitted — they cannot be compared numerically; a fraction alone (نصف السكان) is
//! not emitted either, only as part of a number (نصف مليون، مليون ونصف).
//!
//! The data flows `tokens` → `numbers`, `qualifiers`, `units` → `find`.

mod find;
mod fold;
mod number_words;
mod numbers;
mod qualifiers;
mod tokens;
mod unit_words;
mod units;

#[cfg(test)]
mod tests;

pub use find::find_quantities;
pub(crate) use find::quantities_in;
#[cfg(test)]
pub(crate) use tokens::{FxMap, fold_word};
pub(crate) use tokens::{KeyFilter, TK, Toks, strip_clitic, tokenize};
pub(crate) use units::is_stop;
pub use units::{UnitClass, unit_class, unit_key};
