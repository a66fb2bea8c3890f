//! Hedges around a number (نحو، أكثر من، at least, …) and the words that open a range
//! (بين، من، between, from).

use std::sync::OnceLock;

use super::tokens::{FxMap, TK, Toks, fold_word, strip_clitic};
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

/// The hedge phrases, longest first, and two indexes into them: a number's hedge is
/// looked for before every number, and trying each phrase in turn cost thousands of
/// instructions per number.
struct Phrases {
    all: Vec<QualPhrase>,
    /// Phrases of two or more words by their last word, in order.
    by_last: FxMap<Vec<usize>>,
    /// The first one-word phrase of each word.
    single: FxMap<usize>,
}

fn qual_phrases() -> &'static Phrases {
    static P: OnceLock<Phrases> = OnceLock::new();
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
        let mut by_last: FxMap<Vec<usize>> = FxMap::default();
        let mut single: FxMap<usize> = FxMap::default();
        for (i, p) in v.iter().enumerate() {
            match p.words.as_slice() {
                [w] => {
                    single.entry(w.clone()).or_insert(i);
                }
                [.., w] => by_last.entry(w.clone()).or_default().push(i),
                [] => {}
            }
        }
        Phrases {
            all: v,
            by_last,
            single,
        }
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
    // The word before `start` ends every phrase: only the phrases ending in it are tried,
    // in order (all longer ones come before the one-word ones).
    let last = t.key(start.wrapping_sub(1));
    let ps = qual_phrases();
    'outer: for &pi in ps.by_last.get(last).map_or(&[][..], Vec::as_slice) {
        let p = &ps.all[pi];
        let n = p.words.len();
        if start < n {
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
    // A one-word phrase is the word before `start`, maybe with a clitic: the first such
    // phrase in order.
    if start == 0 || t.kind(start - 1) != Some(TK::Word) {
        return None;
    }
    let exact = ps.single.get(last).copied();
    let bare = strip_clitic(last, 2).and_then(|r| ps.single.get(r).copied());
    let first = match (exact, bare) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }?;
    Some((ps.all[first].q, start - 1))
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
