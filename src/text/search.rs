//! The words full-text search indexes and looks for (`crate::search` runs
//! the search over the store).
//!
//! Sentences are indexed (see `store::search`) and queried in one
//! normalised form, [`search_text`]: `match_key` (alef, yaa, taa marbuta and
//! hamza carriers folded, diacritics and tatweel dropped, digits of any script
//! as ASCII, Latin lower-cased), thousands separators between digits dropped,
//! and every run of characters that are not letters or digits made one space.
//! FTS5 then only ever sees words, and a user's query is turned into quoted
//! FTS5 phrase tokens, so no character of it can be FTS5 syntax.

use std::ops::Range;

use crate::text::normalize::{is_invisible, is_removed_mark, match_key};

/// A query that cannot be searched.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QueryError {
    #[error("the query has no words to search for (letters or digits)")]
    NoWords,
}

/// A parsed query: its words, normalised, and the FTS5 expression matching a
/// sentence that holds all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub words: Vec<String>,
    pub fts: String,
}

impl Query {
    /// Every word of `text` must be in a sentence (in any order).
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        let mut words: Vec<String> = Vec::new();
        for w in words_of(&search_text(text)) {
            if !words.iter().any(|x| x == w) {
                words.push(w.to_string());
            }
        }
        if words.is_empty() {
            return Err(QueryError::NoWords);
        }
        // Words hold letters and digits only; doubling quotes anyway keeps a
        // token a token whatever `words_of` becomes.
        let fts = words
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Query { words, fts })
    }

    /// Byte ranges of the words of `sentence` (display text) that match a
    /// word of the query, for marking hits.
    pub fn marks(&self, sentence: &str) -> Vec<Range<usize>> {
        display_words(sentence)
            .into_iter()
            .filter(|r| {
                let key = index_text(&sentence[r.clone()]);
                words_of(&key).any(|w| self.words.iter().any(|q| q == w))
            })
            .collect()
    }
}

/// The normalised form indexed and searched: words of the `match_key`
/// layer, separated by single spaces.
pub fn search_text(text: &str) -> String {
    let key = match_key(text);
    let chars: Vec<char> = key.chars().collect();
    let mut out = String::with_capacity(key.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_alphanumeric() {
            out.push(c);
            continue;
        }
        // "2,300" and "2300" are one number.
        let between_digits = i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c == ',' && between_digits {
            continue;
        }
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Arabic proclitics a word is also indexed without (longest first): the
/// article and the conjunctions and prepositions fused with it, and `و`.
const PROCLITICS: &[&str] = &["وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و"];

/// What is indexed for a text: the words of [`search_text`], each followed
/// by its readings without a proclitic (three letters left at least), so
/// `مدرسة` finds `المدرسة` and `والمدرسة`.
pub fn index_text(text: &str) -> String {
    let normal = search_text(text);
    let mut out = String::with_capacity(normal.len() * 2);
    for w in words_of(&normal) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        let mut last = w;
        for p in PROCLITICS {
            if let Some(rest) = w.strip_prefix(p).filter(|r| r.chars().count() >= 3)
                && rest != last
            {
                out.push(' ');
                out.push_str(rest);
                last = rest;
            }
        }
    }
    out
}

fn words_of(normalised: &str) -> impl Iterator<Item = &str> {
    normalised.split(' ').filter(|w| !w.is_empty())
}

/// Words of a display text as byte ranges: letters and digits with the
/// marks, tatweel and invisible characters inside them, and digit groups
/// joined by thousands separators.
fn display_words(text: &str) -> Vec<Range<usize>> {
    let in_word = |c: char| c.is_alphanumeric() || is_removed_mark(c) || is_invisible(c);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    for (i, &(at, c)) in chars.iter().enumerate() {
        let joins_digits = matches!(c, ',' | '\u{066C}')
            && i > 0
            && chars[i - 1].1.is_numeric()
            && chars.get(i + 1).is_some_and(|n| n.1.is_numeric());
        if in_word(c) || (start.is_some() && joins_digits) {
            start.get_or_insert(at);
        } else if let Some(s) = start.take() {
            words.push(s..at);
        }
    }
    if let Some(s) = start {
        words.push(s..text.len());
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_and_digit_scripts_meet() {
        assert_eq!(search_text("أحمد"), search_text("احمد"));
        assert_eq!(search_text("مدرسة"), search_text("مدرسه"));
        assert_eq!(search_text("إلى"), search_text("الى"));
        assert_eq!(search_text("مَدْرَسَةٌ"), search_text("مدرسة"));
        assert_eq!(search_text("مـــدرسة"), search_text("مدرسة"));
        assert_eq!(search_text("٢٣٠٠"), "2300");
        assert_eq!(search_text("2,300 Troops"), "2300 troops");
    }

    #[test]
    fn fts_syntax_in_a_query_is_only_words() {
        let q = Query::parse(r#"a* "b" NEAR(c d) -e f:g ^h"#).unwrap();
        assert_eq!(q.fts, r#""a" "b" "near" "c" "d" "e" "f" "g" "h""#);
        assert_eq!(Query::parse(r#"" * - : ()"#), Err(QueryError::NoWords));
    }

    #[test]
    fn marks_cover_the_display_words_that_match() {
        let q = Query::parse("مدرسه ٢٣٠٠").unwrap();
        let s = "بنى المَدْرَسَةُ مدرسة لـ 2,300 طالب";
        let marked: Vec<&str> = q.marks(s).into_iter().map(|r| &s[r]).collect();
        assert_eq!(marked, ["المَدْرَسَةُ", "مدرسة", "2,300"]);
        assert_eq!(index_text("والمدرسة لل"), "والمدرسه مدرسه المدرسه لل");
    }
}
