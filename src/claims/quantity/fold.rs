//! Folding a lexicon word the way tokens are keyed. Its own file so that build.rs, which
//! folds the number and date words into static tables, runs this very code.

use crate::text::normalize::{fold_letter, is_invisible, is_removed_mark};

#[inline]
pub(crate) fn is_arabic_script(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

#[inline]
pub(crate) fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '\u{0660}'..='\u{0669}' => Some((c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => Some((c as u32 - 0x06F0) as u8),
        _ => None,
    }
}

/// Folds a whole word the way tokens are keyed (for lexicon building and `unit_key`).
pub(crate) fn fold_word(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_removed_mark(c) || is_invisible(c) {
            continue;
        }
        if let Some(d) = digit_value(c) {
            out.push((b'0' + d) as char);
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if is_arabic_script(c) {
            out.push(fold_letter(c));
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}
