//! Word-level diff of one aligned row, and the "orthographic only" test.

use std::time::Instant;

use similar::{Algorithm, ChangeTag, TextDiff as SimilarDiff};

use super::tokens::word_bounds;
use super::{WordChange, WordOp};
use crate::text::normalize::{clean, match_key};

/// Word diff of two display texts as runs of equal / deleted / inserted text.
///
/// Inside a changed stretch all deletions come first, then all insertions, and whitespace
/// that the diff happened to keep "equal" between two changed words is folded into the
/// stretch: readers want "X Y → A B", not "X → A, Y → B" with a lone equal space between.
/// Past `deadline` the diff degrades to one delete + one insert instead of running on.
pub(crate) fn word_diff(a: &str, b: &str, deadline: Option<Instant>) -> Vec<WordChange> {
    if a == b {
        return if a.is_empty() {
            Vec::new()
        } else {
            vec![WordChange {
                op: WordOp::Equal,
                text: a.to_owned(),
            }]
        };
    }
    if deadline.is_some_and(|d| Instant::now() >= d) {
        return coarse(a, b);
    }
    let mut cfg = SimilarDiff::configure();
    cfg.algorithm(Algorithm::Patience);
    if let Some(d) = deadline {
        cfg.deadline(d);
    }
    let (ta, tb) = (word_bounds(a), word_bounds(b));
    let diff = cfg.diff_slices(&ta, &tb);
    let tokens: Vec<(ChangeTag, &str)> = diff
        .iter_all_changes()
        .map(|c| (c.tag(), c.value()))
        .collect();
    runs(&tokens)
}

fn coarse(a: &str, b: &str) -> Vec<WordChange> {
    let mut out = Vec::with_capacity(2);
    if !a.is_empty() {
        out.push(WordChange {
            op: WordOp::Delete,
            text: a.to_owned(),
        });
    }
    if !b.is_empty() {
        out.push(WordChange {
            op: WordOp::Insert,
            text: b.to_owned(),
        });
    }
    out
}

fn runs(tokens: &[(ChangeTag, &str)]) -> Vec<WordChange> {
    let mut out: Vec<WordChange> = Vec::new();
    let mut del = String::new();
    let mut ins = String::new();
    let mut i = 0;
    while i < tokens.len() {
        let (tag, text) = tokens[i];
        match tag {
            ChangeTag::Delete => del.push_str(text),
            ChangeTag::Insert => ins.push_str(text),
            ChangeTag::Equal => {
                let in_change = !del.is_empty() || !ins.is_empty();
                // Whitespace kept equal between two changed words belongs to the change.
                let next_changes = tokens
                    .get(i + 1)
                    .is_some_and(|&(t, _)| t != ChangeTag::Equal);
                if in_change && next_changes && text.chars().all(char::is_whitespace) {
                    del.push_str(text);
                    ins.push_str(text);
                } else {
                    flush(&mut out, &mut del, &mut ins);
                    push(&mut out, WordOp::Equal, text);
                }
            }
        }
        i += 1;
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

fn flush(out: &mut Vec<WordChange>, del: &mut String, ins: &mut String) {
    if !del.is_empty() {
        push(out, WordOp::Delete, del);
        del.clear();
    }
    if !ins.is_empty() {
        push(out, WordOp::Insert, ins);
        ins.clear();
    }
}

fn push(out: &mut Vec<WordChange>, op: WordOp, text: &str) {
    match out.last_mut() {
        Some(last) if last.op == op => last.text.push_str(text),
        _ => out.push(WordChange {
            op,
            text: text.to_owned(),
        }),
    }
}

/// True when `a` and `b` differ, but only in what a reader would not call a change of
/// content: diacritics, tatweel, invisible characters, digit script, spacing (equal
/// `clean` texts), the letter variants `match_key` folds, or transliteration variants of
/// foreign names (arabic-text.md §6: the /g/ letters, ڤ/ف, پ/ب), compared token by token.
pub(crate) fn orthographic_only(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    let (ca, cb) = (clean(a), clean(b));
    if ca.split_whitespace().eq(cb.split_whitespace()) {
        return true;
    }
    let (ka, kb) = (match_key(&ca), match_key(&cb));
    let mut ta = ka.split_whitespace();
    let mut tb = kb.split_whitespace();
    loop {
        match (ta.next(), tb.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) => {
                if x != y
                    && !x
                        .chars()
                        .map(fold_translit)
                        .eq(y.chars().map(fold_translit))
                {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Letter classes that transliterations of one foreign name swap freely (arabic-text.md §6).
pub(crate) fn fold_translit(c: char) -> char {
    match c {
        'ج' | 'غ' | 'ق' | 'ك' | 'گ' | 'ڨ' | 'ڭ' | 'ݣ' | 'چ' => 'G',
        'ڤ' | 'ڥ' => 'ف',
        'پ' => 'ب',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(a: &str, b: &str) -> Vec<(WordOp, String)> {
        word_diff(a, b, None)
            .into_iter()
            .map(|w| (w.op, w.text))
            .collect()
    }

    #[test]
    fn one_number_changed() {
        let a = "ذكرت تقارير أن نحو 2000 جندي كوري شمالي لقوا حتفهم.";
        let b = "ذكرت تقارير أن نحو 2300 جندي كوري شمالي لقوا حتفهم.";
        assert_eq!(
            ops(a, b),
            vec![
                (WordOp::Equal, "ذكرت تقارير أن نحو ".into()),
                (WordOp::Delete, "2000".into()),
                (WordOp::Insert, "2300".into()),
                (WordOp::Equal, " جندي كوري شمالي لقوا حتفهم.".into()),
            ]
        );
    }

    #[test]
    fn adjacent_changed_words_form_one_run() {
        assert_eq!(
            ops("a b c d", "a x y d"),
            vec![
                (WordOp::Equal, "a ".into()),
                (WordOp::Delete, "b c".into()),
                (WordOp::Insert, "x y".into()),
                (WordOp::Equal, " d".into()),
            ]
        );
    }

    #[test]
    fn runs_rebuild_both_sides() {
        let a = "The army sent 10 thousand soldiers to Kursk in 2024, officials said.";
        let b =
            "Officials said the army sent about 12 thousand soldiers to Kursk in 2024 and 2025.";
        let w = word_diff(a, b, None);
        let old: String = w
            .iter()
            .filter(|c| c.op != WordOp::Insert)
            .map(|c| c.text.as_str())
            .collect();
        let new: String = w
            .iter()
            .filter(|c| c.op != WordOp::Delete)
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!((old.as_str(), new.as_str()), (a, b));
        assert!(w.windows(2).all(|p| p[0].op != p[1].op));
    }

    #[test]
    fn expired_deadline_is_coarse() {
        let past = Instant::now();
        let w = word_diff("a b", "a c", Some(past));
        assert_eq!(w.len(), 2);
        assert_eq!(word_diff("", "", Some(past)), vec![]);
    }

    #[test]
    fn orthographic() {
        assert!(orthographic_only("كيم جونج أون", "كيم جونغ أون"));
        assert!(orthographic_only("لا تُقهر", "لا تقهر"));
        assert!(orthographic_only("في 12 ديسمبر", "في ١٢ ديسمبر"));
        assert!(orthographic_only("إلى مستشفى", "الى مستشفي"));
        assert!(orthographic_only("ڤلاديمير", "فلاديمير"));
        assert!(!orthographic_only("نحو 2000 جندي", "نحو 2300 جندي"));
        assert!(!orthographic_only("same", "same"));
        assert!(!orthographic_only("قتل جندي", "قتل جندي آخر"));
    }
}
