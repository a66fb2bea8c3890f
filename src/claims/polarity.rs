//! Interim (replaced by the negation extractor).
use super::Slot;
pub fn find_negations(_sentence: &str) -> Vec<Slot> { Vec::new() }
