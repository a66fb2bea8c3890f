//! Hedges around a number (نحو، أكثر من، at least, …) and the words that open a range
//! (بين، من، between, from).

use std::sync::OnceLock;

use super::tokens::{TK, Toks, fold_word, strip_clitic};
use crate::claims::Qualifier;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum QW {
    Q(Qualifier),
    /// بين / ما بين / between: a range if "X و Y" follows.
    Between,
    /// من / from: a range if "X إلى Y" follows.
    From,
}

struct QualPhrase {
    words: Vec<String>,
    q: QW,
}

fn qual_phrases() -> &'static [QualPhrase] {
    static P: OnceLock<Vec<QualPhrase>> = OnceLock::new();
    P.get_or_init(|| {
        use Qualifier::*;
        let rows: &[(QW, &[&str])] = &[
            (
                QW::Q(About),
                &[
                    "نحو",
                    "حوالي",
                    "حوالى",
                    "قرابة",
                    "زهاء",
                    "ما يقارب",
                    "يقارب",
                    "ما يناهز",
                    "يناهز",
                    "في حدود",
                    "بحدود",
                    "حول",
                    "تقريبا",
                    "تقريباً",
                    "about",
                    "around",
                    "approximately",
                    "roughly",
                    "some",
                    "nearly",
                    "almost",
                    "close to",
                    "an estimated",
                    "estimated",
                    "approx",
                ],
            ),
            (
                QW::Q(MoreThan),
                &[
                    "أكثر من",
                    "ما يزيد عن",
                    "ما يزيد على",
                    "يزيد عن",
                    "يزيد على",
                    "أزيد من",
                    "ما يربو على",
                    "يربو على",
                    "يتجاوز",
                    "تجاوز",
                    "ما يتجاوز",
                    "فوق",
                    "more than",
                    "over",
                    "upwards of",
                    "in excess of",
                ],
            ),
            (
                QW::Q(AtLeast),
                &[
                    "ما لا يقل عن",
                    "لا يقل عن",
                    "على الأقل",
                    "at least",
                    "no fewer than",
                    "no less than",
                ],
            ),
            (
                QW::Q(LessThan),
                &[
                    "أقل من",
                    "دون",
                    "تحت",
                    "ما يقل عن",
                    "less than",
                    "fewer than",
                    "under",
                    "below",
                ],
            ),
            (
                QW::Q(AtMost),
                &[
                    "ما لا يزيد عن",
                    "ما لا يزيد على",
                    "لا يزيد عن",
                    "لا يزيد على",
                    "لا يتجاوز",
                    "حتى",
                    "ما يصل إلى",
                    "يصل إلى",
                    "بحد أقصى",
                    "كحد أقصى",
                    "على الأكثر",
                    "up to",
                    "upto",
                    "at most",
                    "no more than",
                    "as many as",
                ],
            ),
            (QW::Between, &["بين", "ما بين", "between"]),
            (QW::From, &["من", "from"]),
        ];
        let mut v = Vec::new();
        for (q, ps) in rows {
            for p in *ps {
                v.push(QualPhrase {
                    words: p.split(' ').map(fold_word).collect(),
                    q: *q,
                });
            }
        }
        // Longest first, so ما لا يزيد عن wins over يزيد عن.
        v.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
        v
    })
}

/// The hedge phrase ending right before token `start`: (qualifier, first token). An English
/// article may stand between a hedge and its number (`at least an 8.5 average`).
pub(super) fn qualifier_before(t: &Toks, start: usize) -> Option<(QW, usize)> {
    qualifier_ending(t, start).or_else(|| {
        let article = start
            .checked_sub(1)
            .filter(|&a| t.kind(a) == Some(TK::Word) && matches!(t.key(a), "a" | "an"))?;
        match qualifier_ending(t, article)? {
            (QW::Q(q), a) => Some((QW::Q(q), a)),
            _ => None,
        }
    })
}

fn qualifier_ending(t: &Toks, start: usize) -> Option<(QW, usize)> {
    // The word before `start` ends every phrase: compared first, it rejects most phrases
    // before the clitic of their first word is looked at.
    let last = t.key(start.wrapping_sub(1));
    'outer: for p in qual_phrases() {
        let n = p.words.len();
        if start < n {
            continue;
        }
        if n > 1 && p.words[n - 1] != last {
            continue;
        }
        let a = start - n;
        for (j, w) in p.words.iter().enumerate() {
            let i = a + j;
            if t.kind(i) != Some(TK::Word) {
                continue 'outer;
            }
            let k = t.key(i);
            // The first word may carry a clitic: بنحو، لأكثر من، ونحو.
            let ok = k == w || (j == 0 && strip_clitic(k, 2).is_some_and(|r| r == w));
            if !ok {
                continue 'outer;
            }
        }
        return Some((p.q, a));
    }
    None
}

/// Hedges written after the number or its noun: (qualifier, tokens consumed).
pub(super) fn qualifier_after(t: &Toks, i: usize) -> Option<(Qualifier, usize)> {
    let k0 = t.key(i);
    let k1 = t.key(i + 1);
    if t.kind(i) != Some(TK::Word) {
        return None;
    }
    match (k0, k1) {
        ("علي", "الاقل") => Some((Qualifier::AtLeast, 2)),
        ("علي", "الاكثر") => Some((Qualifier::AtMost, 2)),
        ("كحد", "اقصي") | ("بحد", "اقصي") => Some((Qualifier::AtMost, 2)),
        ("كحد", "ادني") | ("بحد", "ادني") => Some((Qualifier::AtLeast, 2)),
        ("or", "more") => Some((Qualifier::AtLeast, 2)),
        ("or", "so") => Some((Qualifier::About, 2)),
        ("at", "least") => Some((Qualifier::AtLeast, 2)),
        ("تقريبا", _) => Some((Qualifier::About, 1)),
        ("approximately", _) => Some((Qualifier::About, 1)),
        _ => None,
    }
}
