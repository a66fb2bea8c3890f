//! Words of opposite meaning in a claim: which side of each class of
//! opposites it takes (`ارتفاع` / `انخفاض`), read through conjugation (`تتدنى`
//! is `تدني`), through words that end a thing (`إنهاء الحرب` is peace), and, where
//! a claim moves two assets or indicators opposite ways, asset by asset.

use std::collections::{BTreeMap, BTreeSet};

use super::compare::{lexicons, names_the_opposition, proclitic_readings};
use super::lexicon::OPPOSITES;

/// Per class of opposites, the first word of each pole in text order, and
/// which way each traded asset moves (`ws`: a claim's match-key words).
pub(super) fn poles(ws: &[String]) -> Poles {
    let lex = lexicons();
    let mut poles = vec![(None, None); OPPOSITES.len()];
    let mut moves = Vec::new();
    let mut backdrop = Vec::new();
    let readings: Vec<std::rc::Rc<WordReadings>> = ws.iter().map(|w| word_readings(w)).collect();
    let assets: Vec<(usize, &'static str)> = readings
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.asset.map(|a| (i, a)))
        .collect();
    for (i, w) in ws.iter().enumerate() {
        // `على الأقل` is "at least", not "lower".
        if (w == "الاقل" && i > 0 && ws[i - 1] == "علي") || names_the_opposition(w) {
            continue;
        }
        let forms = &readings[i].forms;
        if forms.is_empty() {
            continue;
        }
        let ended = ended(ws, i);
        let asset = asset_of(ws, i, &assets);
        let background = in_background(ws, i);
        for form in forms {
            for &(k, is_up) in lex.pole_of.get(form).copied().into_iter().flatten() {
                let up = is_up != ended;
                if let Some(asset) = asset {
                    moves.push((k, asset, up));
                }
                let pole = Some((i, form.clone()));
                if background {
                    backdrop.push((k, up, pole));
                    continue;
                }
                let side = if up { &mut poles[k].0 } else { &mut poles[k].1 };
                if side.is_none() {
                    *side = pole;
                }
            }
        }
    }
    // The background speaks only where nothing else in the claim takes a side.
    if poles.iter().all(|(u, d)| u.is_none() && d.is_none()) {
        for (k, up, pole) in backdrop {
            let side = if up { &mut poles[k].0 } else { &mut poles[k].1 };
            if side.is_none() {
                *side = pole;
            }
        }
    }
    Poles {
        first: poles,
        moves,
    }
}

/// What [`poles`] reads of a word by itself, whatever stands around it.
struct WordReadings {
    /// The traded asset or economic indicator it names.
    asset: Option<&'static str>,
    /// Every lexicon form of opposites the word may be (`تخسر` is listed as
    /// "loses", and read as `خسر` it is also "falls").
    forms: Vec<String>,
}

/// [`WordReadings`] of a match-key word, memoised per thread: the edited
/// sentences of two versions are mostly the same words.
fn word_readings(w: &str) -> std::rc::Rc<WordReadings> {
    use std::cell::RefCell;
    use std::rc::Rc;
    thread_local! {
        static MEMO: RefCell<rustc_hash::FxHashMap<String, Rc<WordReadings>>> =
            RefCell::new(rustc_hash::FxHashMap::default());
    }
    if let Some(found) = MEMO.with_borrow(|m| m.get(w).cloned()) {
        return found;
    }
    let lex = lexicons();
    let asset = proclitic_readings(w)
        .find_map(|r| lex.assets.get(r).or(lex.indicators.get(r)))
        .copied();
    let mut forms: Vec<String> = Vec::new();
    for r in proclitic_readings(w) {
        verb_readings(
            r,
            |c| lex.pole_of.contains_key(c),
            |c| {
                if !forms.iter().any(|f| f == c) {
                    forms.push(c.to_string());
                }
            },
        );
    }
    let found = Rc::new(WordReadings { asset, forms });
    MEMO.with_borrow_mut(|m| {
        if m.len() >= super::compare::MEMO_LIMIT {
            m.clear();
        }
        m.insert(w.to_string(), found.clone());
    });
    found
}

/// Whether the word at `i` is ended by the one before it: ending a thing is
/// its opposite (`إنهاء الحرب` is peace, `وقف القتال` a truce). The ender takes
/// one proclitic at most (`لوقف` is `ل` + `وقف`) and may stand past `عن` or
/// `بعض` (`يتخلى عن مكاسبه`, `يعوض بعض خسائره`).
fn ended(ws: &[String], i: usize) -> bool {
    let enders = &lexicons().enders;
    let ender_at = |j: usize| {
        let w = ws[j].as_str();
        [
            Some(w),
            w.strip_prefix(['و', 'ل', 'ب']),
            w.strip_prefix("ول"),
            w.strip_prefix("وب"),
        ]
        .into_iter()
        .flatten()
        .any(|r| enders.contains(r))
    };
    (i > 0 && ender_at(i - 1))
        || (i > 1 && matches!(ws[i - 1].as_str(), "عن" | "من" | "بعض") && ender_at(i - 2))
}

/// The asset or indicator the pole word at `i` speaks of, in the plain
/// patterns only: right after it (`ارتفاع الذهب`, `صعود للدولار`, `يهبط
/// بالذهب`), past a degree or a preposition (`صعود كبير للإسترليني`, `ارتفاع في
/// النفط`) and its price or rate (`تراجع أسعار النفط`), or right before it
/// (`الذهب يرتفع`), past a demonym or `في` (`الخام الأميركي يهبط`, `الليرة في
/// تراجع`). `انخفاض مخزونات الخام` moves stocks, not crude; `والذهب` after it
/// opens the next clause (`الدولار يتراجع والذهب يرتفع`).
fn asset_of(ws: &[String], i: usize, assets: &[(usize, &'static str)]) -> Option<&'static str> {
    let asset_at = |j: usize| assets.iter().find(|(a, _)| *a == j).map(|&(_, a)| a);
    let mut j = i + 1;
    if ws.get(j).is_some_and(|w| {
        matches!(
            w.as_str(),
            "في" | "علي"
                | "كبير"
                | "حاد"
                | "طفيف"
                | "جديد"
                | "قوي"
                | "ملحوظ"
                | "قياسي"
                | "in"
                | "of"
                | "sharp"
                | "slight"
        )
    }) {
        j += 1;
    }
    if ws.get(j).is_some_and(|w| {
        matches!(
            w.trim_start_matches(['ب', 'ل', 'و']),
            "اسعار"
                | "الاسعار"
                | "سعر"
                | "السعر"
                | "قيمه"
                | "معدل"
                | "معدلات"
                | "نسبه"
                | "مستوي"
                | "prices"
                | "price"
                | "rate"
        )
    }) {
        j += 1;
    }
    let after = ws
        .get(j)
        .filter(|w| !w.starts_with('و'))
        .and_then(|_| asset_at(j));
    after.or_else(|| {
        let k = i.checked_sub(1)?;
        asset_at(k).or_else(|| {
            (super::demonym::country(&ws[k]).is_some() || ws[k] == "في")
                .then(|| k.checked_sub(1).and_then(asset_at))
                .flatten()
        })
    })
}

/// Whether the word at `i` is background: right after `بعد` or `قبل`, or past
/// a span of time after them (`بعد الانهيار.. الليرة تسجل ارتفاعا`, `بعد شهر من
/// الخسائر`). What came before is the setting; the claim is what follows.
fn in_background(ws: &[String], i: usize) -> bool {
    let before_or_after = |w: &str| {
        matches!(
            w,
            "بعد" | "عقب" | "اثر" | "قبل" | "قبيل" | "after" | "before"
        )
    };
    let span = |w: &str| {
        w.starts_with(|c: char| c.is_ascii_digit())
            || matches!(
                w,
                "من" | "شهر"
                    | "شهرين"
                    | "اشهر"
                    | "اسبوع"
                    | "اسابيع"
                    | "عام"
                    | "عامين"
                    | "اعوام"
                    | "سنه"
                    | "سنوات"
                    | "ايام"
                    | "يوم"
                    | "ساعات"
                    | "عقود"
                    | "عقد"
                    | "of"
            )
    };
    (1..=3).any(|back| {
        i >= back && before_or_after(&ws[i - back]) && ws[i - back + 1..i].iter().all(|w| span(w))
    })
}

/// A word of one pole of a class of opposites, with its position in the claim.
pub(super) type Pole = Option<(usize, String)>;

/// The opposite words a claim uses.
#[derive(Clone)]
pub(super) struct Poles {
    /// Per class of opposites, the first word of each pole.
    first: Vec<(Pole, Pole)>,
    /// Class, traded asset and direction of each pole word next to an asset.
    moves: Vec<(usize, &'static str, bool)>,
}

impl Poles {
    /// No word of any class of opposites: [`antonyms`] against it finds
    /// nothing, whatever the other side says.
    pub(super) fn is_empty(&self) -> bool {
        self.first
            .iter()
            .all(|(up, down)| up.is_none() && down.is_none())
    }

    /// Both take the same side of some class of opposites (`رفعت` and
    /// `زادت`, raised and increased): words that say one thing.
    pub(super) fn share_a_pole(&self, other: &Poles) -> bool {
        self.first
            .iter()
            .zip(&other.first)
            .any(|(a, b)| (a.0.is_some() && b.0.is_some()) || (a.1.is_some() && b.1.is_some()))
    }
}

/// The lexicon forms a conjugated verb may be listed under: plural and
/// feminine endings dropped (`يرفضون`, `ارتفعت`), and the person prefix of
/// the imperfect dropped (`تتدنى` → `تدني`, `يقلص` → `قلص`) or turned into the
/// perfect's `ا` (`ينخفض` → `انخفض`). Calls `found` with each candidate that
/// `listed` accepts (no allocation for the others: every word of every claim
/// passes through here).
pub(super) fn verb_readings(
    word: &str,
    listed: impl Fn(&str) -> bool,
    mut found: impl FnMut(&str),
) {
    let mut buf = String::new();
    let mut try_stem = |stem: &str| {
        if listed(stem) {
            found(stem);
        }
        if let Some(r) = stem
            .strip_prefix(['ي', 'ت', 'ن'])
            .filter(|r| r.chars().count() >= 3)
        {
            if listed(r) {
                found(r);
            }
            buf.clear();
            buf.push('ا');
            buf.push_str(r);
            if listed(&buf) {
                found(&buf);
            }
        }
    };
    try_stem(word);
    // Verb endings, a possessive (`فوزه`) and the accusative (`توترا`).
    for suffix in ["ون", "وا", "ان", "ت", "ه", "ها", "هم", "ا"] {
        if let Some(r) = word.strip_suffix(suffix).filter(|r| r.chars().count() >= 3) {
            // A four-letter imperfect with an object (`تقدمها`, "offers it")
            // is a verb, not the noun it spells (`تقدم`, "progress").
            let object = matches!(suffix, "ه" | "ها" | "هم")
                && r.chars().count() == 4
                && r.starts_with(['ي', 'ت']);
            if !object {
                try_stem(r);
            }
        }
    }
}

/// The words of opposite classes the two claims use, one class per pair
/// (`ارتفاع` / `انخفاض`): each claim uses one side of the class and not the other.
pub(super) fn antonyms(pa: &Poles, pb: &Poles) -> Vec<(String, String)> {
    let mut out = Vec::new();
    // The side a claim takes in a class: the one pole it uses, or when it
    // uses both (`الذهب يرتفع مع هبوط الدولار`), the first: a headline's
    // main predicate leads.
    let main = |up: &Pole, down: &Pole| -> Option<(bool, String)> {
        match (up, down) {
            (Some((_, u)), None) => Some((true, u.clone())),
            (None, Some((_, d))) => Some((false, d.clone())),
            (Some((i, u)), Some((j, d))) => Some(if i < j {
                (true, u.clone())
            } else {
                (false, d.clone())
            }),
            (None, None) => None,
        }
    };
    for (k, ((a_up, a_down), (b_up, b_down))) in pa.first.iter().zip(&pb.first).enumerate() {
        // Where a claim moves two assets opposite ways (`الذهب يتراجع مع صعود
        // الدولار`), the order of words says nothing: compare asset by asset.
        let mixed = |up: &Pole, down: &Pole| up.is_some() && down.is_some();
        if mixed(a_up, a_down) || mixed(b_up, b_down) {
            let ways = |p: &Poles| -> BTreeMap<&str, BTreeSet<bool>> {
                let mut m: BTreeMap<&str, BTreeSet<bool>> = BTreeMap::new();
                for &(c, asset, up) in &p.moves {
                    if c == k {
                        m.entry(asset).or_default().insert(up);
                    }
                }
                m
            };
            let (wa, wb) = (ways(pa), ways(pb));
            let common: Vec<&&str> = wa.keys().filter(|a| wb.contains_key(*a)).collect();
            if !common.is_empty() {
                let word = |up: bool, u: &Pole, d: &Pole| {
                    let p = if up { u } else { d };
                    p.as_ref().map(|(_, w)| w.clone()).unwrap_or_default()
                };
                if let Some(&&asset) = common.iter().find(|a| {
                    let (x, y) = (&wa[**a], &wb[**a]);
                    x.len() == 1 && y.len() == 1 && x != y
                }) {
                    let up = wa[asset].contains(&true);
                    out.push((word(up, a_up, a_down), word(!up, b_up, b_down)));
                    continue;
                }
                // Every common asset moves one way, the same on both sides.
                if common
                    .iter()
                    .all(|a| wa[**a].len() == 1 && wa[**a] == wb[**a])
                {
                    continue;
                }
            }
        }
        if let (Some((x, p)), Some((y, q))) = (main(a_up, a_down), main(b_up, b_down))
            && x != y
        {
            out.push((p, q));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(word: &str, listed: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        verb_readings(word, |c| listed.contains(&c), |c| out.push(c.to_string()));
        out
    }

    #[test]
    fn conjugations_reach_their_listed_form() {
        assert_eq!(read("ينخفضون", &["انخفض"]), ["انخفض"]);
        assert_eq!(read("تتدنى", &["تدنى"]), ["تدنى"]);
        assert_eq!(read("فوزه", &["فوز"]), ["فوز"]);
        assert_eq!(read("توترا", &["توتر"]), ["توتر"]);
        // `تقدمها` is "offers it", not `تقدم` "progress".
        assert!(read("تقدمها", &["تقدم"]).is_empty());
    }

    #[test]
    fn rises_and_falls_bind_to_their_asset() {
        let ws = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        let p = poles(&ws("الذهب يتراجع مع صعود الدولار"));
        let mut moves: Vec<(&str, bool)> = p.moves.iter().map(|&(_, a, up)| (a, up)).collect();
        moves.sort();
        moves.dedup();
        assert_eq!(moves, [("dollar", true), ("gold", false)]);
        // Stocks of crude are not crude.
        let p = poles(&ws("انخفاض مخزونات الخام"));
        assert!(p.moves.iter().all(|&(_, a, _)| a != "oil"), "{:?}", p.moves);
    }
}
