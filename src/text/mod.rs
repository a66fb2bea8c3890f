//! Text layers (display / clean / match_key), segmentation into units, and
//! the words full-text search indexes.

pub mod normalize;
pub mod search;
pub mod segment;
pub mod visible;

/// Letters and digits (`char::is_alphanumeric`), with ASCII and the Arabic
/// letters answered first: the general Unicode lookup costs hundreds of
/// instructions a character, and trimming every word of a text with it was a
/// visible part of a diff.
#[inline]
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || ('\u{0621}'..='\u{064A}').contains(&c)
        || (!c.is_ascii() && c.is_alphanumeric())
}
