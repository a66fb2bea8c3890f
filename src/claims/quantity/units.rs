//! What a number counts: the counted-noun lexicon and the keys and classes it gives
//! (`unit_key`, `unit_class`), the words after a number that count nothing, and the
//! percent and currency markers.

use std::sync::OnceLock;

use super::tokens::{FxMap, KeyFilter, TK, Toks, fold_word};
pub(super) use super::unit_words::Cur;
use crate::claims::static_map::StaticMap;

// NOUN_LEX, NOUN_FILTER and CURRENCY_LEX: `unit_words` folded by build.rs.
include!(concat!(env!("OUT_DIR"), "/unit_words.rs"));

pub(super) struct NounEntry {
    lemma: &'static str,
    /// Its `-ين`/`-ان` form is a dual, not a sound plural.
    dual_ok: bool,
}

/// The counted-noun lexicon: each form of `unit_words::NOUN_ROWS`, folded, with its lemma (laid out
/// by build.rs).
pub(super) fn noun_lex() -> &'static StaticMap<NounEntry> {
    &NOUN_LEX
}

/// Article and preposition prefixes a counted noun may carry (longest first).
const NOUN_PREFIXES: [&str; 9] = ["وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل"];

/// Lemma of a folded Arabic word by lexicon, trying clitic and suffix variants.
pub(super) fn arabic_lemma(k: &str) -> Option<&'static str> {
    let lex = noun_lex();
    let try_stem = |w: &str| -> Option<&'static str> {
        if let Some(e) = lex.get(w) {
            return Some(e.lemma);
        }
        // Accusative tanween: جنديا، يوما.
        if let Some(s) = w.strip_suffix('ا')
            && let Some(e) = lex.get(s)
        {
            return Some(e.lemma);
        }
        if let Some((stem, _)) = dual_stem(w)
            && let Some(e) = lex.get(&stem)
        {
            return Some(e.lemma);
        }
        // Feminine sound plural: غارات → غاره.
        if let Some(s) = w.strip_suffix("ات") {
            let f = format!("{s}ه");
            if let Some(e) = lex.get(&f) {
                return Some(e.lemma);
            }
        }
        None
    };
    if let Some(l) = try_stem(k) {
        return Some(l);
    }
    for p in NOUN_PREFIXES {
        if let Some(r) = k.strip_prefix(p)
            && r.chars().count() >= 2
            && let Some(l) = try_stem(r)
        {
            return Some(l);
        }
    }
    None
}

/// For a word ending in a dual suffix (-ين، -ان، -تين، -تان): the singular it would come
/// from (ت restored to ة), and whether the suffix was -ين/-ان.
fn dual_stem(w: &str) -> Option<(String, bool)> {
    let s = w.strip_suffix("ين").or_else(|| w.strip_suffix("ان"))?;
    if s.chars().count() < 2 {
        return None;
    }
    if let Some(t) = s.strip_suffix('ت') {
        return Some((format!("{t}ه"), true));
    }
    Some((s.to_string(), true))
}

/// A dual noun standing for "two" (جنديين، دولتين، يومين): its lemma. Only nouns in the
/// lexicon whose plural is not the -ين form, so sound plurals (مدنيين) never count.
///
/// Asked of nearly every Arabic word, and one in ten or so ends in -ين/-ان: lookups go
/// through [`noun_filter`] and build no string (this was ~2.5% of claim extraction).
pub(super) fn dual_lemma(k: &str) -> Option<&'static str> {
    if !(k.ends_with("ين") || k.ends_with("ان")) || noun_listed(k.as_bytes()) {
        return None;
    }
    let check = |w: &str| -> Option<&'static str> {
        if noun_listed(w.as_bytes()) {
            return None; // a listed form itself (بلدان is a plural)
        }
        dual_stem_entry(w).filter(|e| e.dual_ok).map(|e| e.lemma)
    };
    // `k` itself is known not to be listed (above).
    if let Some(l) = dual_stem_entry(k).filter(|e| e.dual_ok).map(|e| e.lemma) {
        return Some(l);
    }
    for p in NOUN_PREFIXES {
        if let Some(r) = k.strip_prefix(p)
            && r.chars().count() >= 4
            && let Some(l) = check(r)
        {
            return Some(l);
        }
    }
    None
}

/// The lexicon entry of [`dual_stem`]`(w)` when that stem is a lemma itself (`e.lemma ==
/// stem`), without allocating the stem.
fn dual_stem_entry(w: &str) -> Option<&'static NounEntry> {
    let s = w.strip_suffix("ين").or_else(|| w.strip_suffix("ان"))?;
    if s.chars().count() < 2 {
        return None;
    }
    // The stem is `s`, or with a final ت restored to ة (folded ه): built on the stack.
    let mut buf = [0u8; NOUN_KEY_MAX];
    let stem: &[u8] = match s.strip_suffix('ت') {
        Some(t) => {
            let n = t.len() + 'ه'.len_utf8();
            if n > NOUN_KEY_MAX {
                return None; // longer than any key
            }
            buf[..t.len()].copy_from_slice(t.as_bytes());
            'ه'.encode_utf8(&mut buf[t.len()..n]);
            &buf[..n]
        }
        None => s.as_bytes(),
    };
    if !noun_filter().may_contain_bytes(stem) {
        return None;
    }
    let stem = std::str::from_utf8(stem).ok()?;
    noun_lex().get(stem).filter(|e| e.lemma == stem)
}

/// No key of [`noun_lex`] is longer (checked by build.rs).
const NOUN_KEY_MAX: usize = 64;

/// A bit filter over the keys of [`noun_lex`].
fn noun_filter() -> &'static KeyFilter {
    &NOUN_FILTER
}

/// `noun_lex().contains_key(k)`, most words answered by the filter.
#[inline]
fn noun_listed(k: &[u8]) -> bool {
    noun_filter().may_contain_bytes(k)
        && std::str::from_utf8(k).is_ok_and(|k| noun_lex().contains_key(k))
}

fn english_lemma(k: &str) -> String {
    if let Some(e) = noun_lex().get(k) {
        return e.lemma.to_string();
    }
    if let Some(s) = k.strip_suffix("ies")
        && s.len() >= 2
    {
        return format!("{s}y");
    }
    if k.len() > 3
        && k.ends_with('s')
        && !k.ends_with("ss")
        && !k.ends_with("us")
        && !k.ends_with("is")
    {
        return k[..k.len() - 1].to_string();
    }
    k.to_string()
}

/// What a counted noun counts, for the nouns where it is plain: three men
/// and three countries are not the same figure told differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitClass {
    People,
    Places,
    Time,
}

/// The class of a counted noun's key (`unit_key`), when the noun lexicon
/// knows it.
pub fn unit_class(key: &str) -> Option<UnitClass> {
    static CLASSES: OnceLock<FxMap<UnitClass>> = OnceLock::new();
    let classes = CLASSES.get_or_init(|| {
        let rows: &[(UnitClass, &[&str])] = &[
            (
                UnitClass::People,
                &[
                    "جندي",
                    "قتيل",
                    "شخص",
                    "طفل",
                    "رجل",
                    "امرأة",
                    "مدني",
                    "جريح",
                    "مصاب",
                    "ضابط",
                    "عنصر",
                    "أسير",
                    "رهينة",
                    "قائد",
                    "وزير",
                    "مقاتل",
                    "معتقل",
                    "لاجئ",
                    "مسلح",
                    "فرد",
                    "ضحية",
                    "صحفي",
                    "شرطي",
                    "عسكري",
                    "مواطن",
                    "نازح",
                    "مهاجر",
                    "person",
                    "child",
                    "man",
                    "woman",
                    "casualty",
                    "soldier",
                    "civilian",
                ],
            ),
            (
                UnitClass::Places,
                &["دولة", "بلد", "مدينة", "قرية", "country", "city", "village"],
            ),
            (
                UnitClass::Time,
                &[
                    "يوم",
                    "عام",
                    "سنة",
                    "شهر",
                    "أسبوع",
                    "ساعة",
                    "دقيقة",
                    "day",
                    "year",
                    "month",
                    "week",
                    "hour",
                    "minute",
                ],
            ),
        ];
        let mut m = FxMap::default();
        for (class, nouns) in rows {
            for n in *nouns {
                m.insert(unit_key(n), *class);
            }
        }
        m
    });
    classes.get(key).copied()
}

/// Folded lemma of a counted noun, for comparison: جندي/جنود/جندياً/الجنود/جنديين → one key;
/// soldiers/soldier → one key. Unknown Arabic words lose only the article and the
/// accusative alef, so the key is stable across the usual spellings.
pub fn unit_key(noun: &str) -> String {
    let k = fold_word(noun.trim());
    if k.is_empty() {
        return k;
    }
    if k.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return english_lemma(&k);
    }
    if let Some(l) = arabic_lemma(&k) {
        return l.to_string();
    }
    let mut w: &str = &k;
    for p in ["وال", "بال", "فال", "كال", "لل", "ال"] {
        if let Some(r) = w.strip_prefix(p)
            && r.chars().count() >= 2
        {
            w = r;
            break;
        }
    }
    if w.chars().count() >= 4
        && let Some(r) = w.strip_suffix('ا')
    {
        w = r;
    }
    w.to_string()
}

/// Words that follow a number but are not what it counts.
pub(crate) fn is_stop(k: &str) -> bool {
    matches!(
        k,
        "من" | "في"
            | "علي"
            | "الي"
            | "عن"
            | "مع"
            | "او"
            | "و"
            | "ثم"
            | "قد"
            | "لا"
            | "لم"
            | "لن"
            | "ما"
            | "هذا"
            | "هذه"
            | "ذلك"
            | "تلك"
            | "التي"
            | "الذي"
            | "الذين"
            | "خلال"
            | "منذ"
            | "بعد"
            | "قبل"
            | "حتي"
            | "عند"
            | "حيث"
            | "كما"
            | "ان"
            | "انه"
            | "بين"
            | "نحو"
            | "حوالي"
            | "فقط"
            | "تقريبا"
            | "اي"
            | "كل"
            | "كان"
            | "كانت"
            | "هو"
            | "هي"
            | "هم"
            | "بل"
            | "لكن"
            | "وفي"
            | "وقد"
            | "ام"
            | "اذا"
            | "لقد"
            | "مقابل"
            | "ضد"
            | "لدي"
            | "عام"
            | "العام"
            | "of"
            | "the"
            | "a"
            | "an"
            | "and"
            | "or"
            | "in"
            | "on"
            | "at"
            | "to"
            | "for"
            | "from"
            | "by"
            | "with"
            | "as"
            | "than"
            | "that"
            | "which"
            | "who"
            | "was"
            | "were"
            | "is"
            | "are"
            | "has"
            | "have"
            | "had"
            | "be"
            | "been"
            | "will"
            | "would"
            | "more"
            | "less"
            | "per"
            | "this"
            | "it"
            | "its"
            | "after"
            | "before"
            | "since"
            | "during"
            | "into"
            | "out"
            | "up"
            | "but"
            | "not"
            | "no"
            | "so"
            | "if"
            | "when"
            | "while"
            | "said"
            | "says"
            | "another"
            | "other"
            | "such"
            | "all"
            | "each"
    )
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Pct {
    No,
    /// Marker spans this many tokens.
    Yes(usize),
}

impl Cur {
    pub(super) fn key(self) -> &'static str {
        match self {
            Cur::Dollar => "dollar",
            Cur::Euro => "euro",
            Cur::Pound => "pound",
            Cur::Riyal => "riyal",
            Cur::Dinar => "dinar",
            Cur::Dirham => "dirham",
            Cur::Lira => "lira",
            Cur::Yen => "yen",
            Cur::Ruble => "ruble",
            Cur::Yuan => "yuan",
            Cur::Won => "won",
        }
    }
}

/// The currency words of `unit_words::CURRENCY_ROWS`, folded (laid out by build.rs).
fn cur_lex() -> &'static StaticMap<Cur> {
    &CURRENCY_LEX
}

pub(super) fn cur_word(k: &str) -> Option<Cur> {
    let m = cur_lex();
    if let Some(c) = m.get(k) {
        return Some(*c);
    }
    // الدولار، بالدولار، دولار with article or preposition.
    for p in ["بال", "ال", "ب"] {
        if let Some(r) = k.strip_prefix(p)
            && r.chars().count() >= 3
            && let Some(c) = m.get(r)
        {
            return Some(*c);
        }
    }
    None
}

pub(super) fn cur_symbol(p: &str) -> Option<Cur> {
    match p {
        "$" => Some(Cur::Dollar),
        "€" => Some(Cur::Euro),
        "£" => Some(Cur::Pound),
        "¥" => Some(Cur::Yen),
        "₽" => Some(Cur::Ruble),
        "₩" => Some(Cur::Won),
        _ => None,
    }
}

/// Percent marker at `j`: %, بالمئة، في المئة, percent, per cent.
pub(super) fn percent_at(t: &Toks, j: usize) -> Pct {
    match t.kind(j) {
        Some(TK::Punct) if t.key(j) == "%" => Pct::Yes(1),
        Some(TK::Word) => match t.key(j) {
            "بالميه" | "بالمايه" | "percent" | "pct" => Pct::Yes(1),
            "في" | "per" if matches!(t.key(j + 1), "الميه" | "المايه" | "cent") => {
                Pct::Yes(2)
            }
            _ => Pct::No,
        },
        _ => Pct::No,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// NOUN_LEX, NOUN_FILTER and CURRENCY_LEX, as build.rs laid them out, against the
    /// lists folded here (a later form replaces an earlier one).
    #[test]
    fn static_tables_are_the_lists() {
        let mut nouns: FxMap<(String, bool)> = FxMap::default();
        super::super::unit_words::noun_entries(&fold_word, &mut |form, lemma, dual_ok| {
            nouns.insert(form, (lemma.to_string(), dual_ok));
        });
        assert_eq!(NOUN_LEX.len(), nouns.len());
        for (form, (lemma, dual_ok)) in &nouns {
            let e = NOUN_LEX.get(form).expect(form);
            assert_eq!((e.lemma, e.dual_ok), (lemma.as_str(), *dual_ok), "{form}");
        }
        let filter = KeyFilter::new(nouns.keys().map(String::as_str));
        assert_eq!(NOUN_FILTER.0, filter.0);
        let mut currencies: FxMap<Cur> = FxMap::default();
        for (cur, words) in super::super::unit_words::CURRENCY_ROWS {
            for w in *words {
                currencies.insert(fold_word(w), *cur);
            }
        }
        assert_eq!(CURRENCY_LEX.len(), currencies.len());
        for (w, cur) in &currencies {
            assert_eq!(CURRENCY_LEX.get(w), Some(cur), "{w}");
        }
        assert_eq!(cur_word(&fold_word("بالدولار")), Some(Cur::Dollar));
        assert_eq!(arabic_lemma(&fold_word("الجنود")), Some("جندي"));
    }

    #[test]
    fn unit_classes() {
        assert_eq!(unit_class(&unit_key("رجال")), Some(UnitClass::People));
        assert_eq!(unit_class(&unit_key("الجنود")), Some(UnitClass::People));
        assert_eq!(unit_class(&unit_key("بلدان")), Some(UnitClass::Places));
        assert_eq!(unit_class(&unit_key("دول")), Some(UnitClass::Places));
        assert_eq!(unit_class(&unit_key("أيام")), Some(UnitClass::Time));
        assert_eq!(unit_class(&unit_key("countries")), Some(UnitClass::Places));
        assert_eq!(unit_class(&unit_key("صواريخ")), None);
    }

    #[test]
    fn unit_keys() {
        let k = unit_key("جندي");
        for w in ["جنود", "جندياً", "الجنود", "جنديين", "جنديا", "للجنود"]
        {
            assert_eq!(unit_key(w), k, "{w}");
        }
        assert_eq!(unit_key("soldiers"), unit_key("soldier"));
        assert_eq!(unit_key("قتلى"), unit_key("قتيلاً"));
        assert_eq!(unit_key("casualties"), "casualty");
        assert_eq!(unit_key("people"), "person");
    }
}
