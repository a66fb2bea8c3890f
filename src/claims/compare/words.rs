//! The words claims are compared on: the lexicons as build.rs folds them,
//! Arabic proclitics, crude stems, roots and content keys, and a claim's
//! words as written and as tokens. Shared by every reading of articles mode,
//! by versions mode's reversals and by `claims`' word lists (opposites,
//! demonyms, lexicon use).

// A fast, deterministic hasher: claims are looked up in word lists many times
// per pair, and iteration order must not change a float sum between runs.
use rustc_hash::FxHashMap as HashMap;

use crate::claims::static_map::{StaticMap, StaticSet};
use crate::text::normalize::match_key;

/// The lexicons, folded the way the words they are compared with are (match
/// key) by build.rs: see `crate::claims::tables`.
pub(in crate::claims) struct Lexicons {
    pub(in crate::claims) stopwords: &'static StaticSet,
    /// Each cue of an event with the events it is a cue of, so a claim's
    /// words are looked up once each.
    pub(in crate::claims) event_of: &'static StaticMap<&'static [&'static str]>,
    /// Each word of the classes of opposites with its classes and sides, so a
    /// claim's words are looked up once each.
    pub(in crate::claims) pole_of: &'static StaticMap<&'static [(usize, bool)]>,
    /// Traded assets' words → canonical name.
    pub(in crate::claims) assets: &'static StaticMap<&'static str>,
    /// Economic indicators' words → canonical name: like assets, they are
    /// what rises or falls (`التضخم يرتفع والليرة تتراجع`).
    pub(in crate::claims) indicators: &'static StaticMap<&'static str>,
    pub(in crate::claims) casualty_units: &'static StaticSet,
    pub(in crate::claims) failure: &'static StaticSet,
    pub(in crate::claims) absence: &'static StaticSet,
    /// Words that end what follows them (`إنهاء`, `وقف`).
    pub(in crate::claims) enders: &'static StaticSet,
    /// Reporting verbs (`قال`, `أكد`): outlets swap them freely.
    pub(in crate::claims) reporting: &'static StaticSet,
}

pub(in crate::claims) fn lexicons() -> &'static Lexicons {
    use crate::claims::tables as t;
    static LEXICONS: Lexicons = Lexicons {
        stopwords: &t::STOPWORDS,
        event_of: &t::EVENT_OF,
        pole_of: &t::POLE_OF,
        assets: &t::ASSETS,
        indicators: &t::INDICATORS,
        casualty_units: &t::CASUALTY_UNITS,
        failure: &t::FAILURE,
        absence: &t::ABSENCE,
        enders: &t::ENDERS,
        reporting: &t::REPORTING,
    };
    &LEXICONS
}

/// Arabic proclitics stripped before comparing words (longest first).
pub(in crate::claims) const PROCLITICS: &[&str] = &[
    "وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل",
];

/// A word and each reading of it with one proclitic stripped, three letters at
/// least: `بالغاء` is `ب` + `الغاء` as well as `بال` + `غاء`, `لليرة` is `ل` + `الليرة`.
pub(in crate::claims) fn proclitic_readings(w: &str) -> impl Iterator<Item = &str> {
    std::iter::once(w).chain(
        PROCLITICS
            .iter()
            .filter_map(move |p| w.strip_prefix(p).filter(|r| r.chars().count() >= 3)),
    )
}

/// The word with its first proclitic stripped (three letters left at least).
pub(super) fn strip_proclitic(w: &str) -> &str {
    proclitic_readings(w).nth(1).unwrap_or(w)
}

/// `المعارضة` is the opposition (`زعيم المعارضة التركية`), a party, not an act
/// of opposing: it takes no pole.
pub(in crate::claims) fn names_the_opposition(w: &str) -> bool {
    w.trim_start_matches(['و', 'ب', 'ل']).ends_with("المعارضه")
        || w.trim_start_matches(['و', 'ل']) == "لمعارضه"
}

/// Words of a match-key text: letters and digits.
pub(super) fn words(key: &str) -> Vec<String> {
    // The Arabic letters and ASCII first: the general Unicode lookup is slow.
    key.split(|c: char| !crate::text::is_word_char(c))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// A crude stem for overlap only: proclitic and common suffix stripped, cut
/// to five letters (never shown, never used on names' slots).
pub(super) fn stem(word: &str) -> String {
    let mut w = word;
    if w.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        for p in PROCLITICS {
            if let Some(rest) = w.strip_prefix(p)
                && rest.chars().count() >= 3
            {
                w = rest;
                break;
            }
        }
        for s in ["ات", "ون", "ين", "يه", "ه", "ها", "هم"] {
            if let Some(rest) = w.strip_suffix(s)
                && rest.chars().count() >= 3
            {
                w = rest;
                break;
            }
        }
    }
    w.chars().take(5).collect()
}

/// The likely triliteral root of an Arabic word (match key), for matching
/// words of one family across outlets (`مهاجر` / `تهجير`, `قروض` / `إقراض`,
/// `ينتخبون` / `انتخابات`): proclitic, one suffix and one derivational prefix
/// stripped (`است`, `ان`, `م`, `ت`, `ي`…), the `افتعل` infix `ت` dropped, then
/// long vowels from the right until three letters remain. `None` when that
/// does not leave exactly three letters. Light by design: it merges some
/// families that differ in sense (`حكومة` / `محكمة`), so it is used for
/// matching claims, never for reporting.
fn root(word: &str) -> Option<String> {
    let arabic = |c: &char| ('\u{0621}'..='\u{064A}').contains(c);
    let mut w: &str = word;
    if !w.chars().all(|c| arabic(&c)) {
        return None;
    }
    for p in PROCLITICS {
        if let Some(rest) = w.strip_prefix(p)
            && rest.chars().count() >= 4
        {
            w = rest;
            break;
        }
    }
    for s in [
        "تين", "تان", "هما", "ات", "ون", "ين", "ان", "يه", "ها", "هم", "كم", "نا", "وا", "تم", "ه",
        "ا", "ي",
    ] {
        if let Some(rest) = w.strip_suffix(s)
            && rest.chars().count() >= 3
        {
            w = rest;
            break;
        }
    }
    let mut c: Vec<char> = w.chars().collect();
    let prefixes: [&[char]; 12] = [
        &['ا', 'س', 'ت'],
        &['ي', 'س', 'ت'],
        &['ت', 'س', 'ت'],
        &['ن', 'س', 'ت'],
        &['م', 'س', 'ت'],
        &['ا', 'ن'],
        &['ي', 'ت'],
        &['ت', 'ت'],
        &['م', 'ت'],
        &['ي', 'ن'],
        &['ت', 'ن'],
        &['م', 'ن'],
    ];
    if let Some(p) = prefixes
        .iter()
        .find(|p| c.starts_with(p) && c.len() >= p.len() + 3)
    {
        c.drain(..p.len());
    } else if c.len() >= 4 && matches!(c[0], 'ي' | 'ت' | 'ن' | 'ا' | 'م') {
        c.remove(0);
        // The `افتعل` infix after its prefix (`انتخاب`, `اقتصاد`, `يرتفع`),
        // not the `ت` of a bare `قتيل`.
        if c.len() >= 4 && matches!(c[1], 'ت' | 'ط') {
            c.remove(1);
        }
    }
    while c.len() > 3 {
        let Some(i) = (1..c.len())
            .rev()
            .find(|&i| matches!(c[i], 'ا' | 'و' | 'ي'))
        else {
            break;
        };
        c.remove(i);
    }
    (c.len() == 3).then(|| c.into_iter().collect())
}

/// The key a content word is matched on across outlets: its lemma's root
/// when one is found, else its stem (the lemma first, so broken plurals meet
/// their singular: `جنود`, `جندي`).
pub(super) fn content_key(word: &str) -> String {
    // A claim's words recur across its sentences and the other article's:
    // each is keyed once per thread (the memo is bounded).
    thread_local! {
        static MEMO: std::cell::RefCell<HashMap<String, String>> =
            std::cell::RefCell::new(HashMap::default());
    }
    if let Some(k) = MEMO.with_borrow(|m| m.get(word).cloned()) {
        return k;
    }
    let lemma = crate::claims::quantity::unit_key(word);
    let key = match root(&lemma) {
        Some(r) => {
            let mut key = String::with_capacity('√'.len_utf8() + r.len());
            key.push('√');
            key.push_str(&r);
            key
        }
        None => stem(&lemma),
    };
    MEMO.with_borrow_mut(|m| {
        if m.len() >= MEMO_LIMIT {
            m.clear();
        }
        m.insert(word.to_string(), key.clone());
    });
    key
}

/// The most words a per-thread memo of a word function keeps.
pub(in crate::claims) const MEMO_LIMIT: usize = 1 << 16;

/// One word of a claim as compared word by word.
#[derive(Clone)]
pub(super) struct Token {
    /// Match key, that key with a proclitic stripped, and its stem: two words
    /// are the same when any of these agree (`والصواريخ`, `الصواريخ`).
    pub(super) key: String,
    pub(super) bare: String,
    stem: String,
    /// As written, for the report.
    pub(super) surface: String,
    /// [`crude_root`] of `bare`, read once: pairs of claims compare it many times.
    pub(super) root: Option<[char; 3]>,
}

impl Token {
    pub(super) fn same(&self, other: &Token) -> bool {
        self.key == other.key || self.bare == other.bare || self.stem == other.stem
    }

    /// Whether the two words likely share an Arabic root (`تفرج` / `الإفراج`,
    /// `سنرحل` / `الرحيل`): their [`crude_root`]s agree. Crude, so only used
    /// to excuse a substitution.
    pub(super) fn related(&self, other: &Token) -> bool {
        self.root.is_some_and(|r| other.root == Some(r))
    }
}

/// The crude root [`Token::related`] compares: verb prefixes and weak letters
/// dropped, the first three consonants (None: not an Arabic word, or fewer
/// than three consonants left).
fn crude_root(bare: &str) -> Option<[char; 3]> {
    if !bare.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c)) {
        return None;
    }
    // Every letter of that range takes two bytes in UTF-8.
    let mut left = bare.len() / 2;
    let mut rest = bare.chars();
    for _ in 0..2 {
        if left >= 4 && matches!(rest.clone().next(), Some('ا' | 'ت' | 'ي' | 'ن' | 'س' | 'م'))
        {
            rest.next();
            left -= 1;
        }
    }
    let mut root = ['\0'; 3];
    let consonants = rest.filter(|c| !matches!(c, 'ا' | 'و' | 'ي' | 'ى' | 'ء' | 'ئ' | 'ؤ' | 'ه'));
    for (k, c) in consonants.enumerate() {
        root[k] = c;
        if k == 2 {
            return Some(root);
        }
    }
    // Two left is a root with a weak or hamza radical (`بدأ`, `بدء`).
    None
}

/// The words of a text in order, each with the written word it comes from.
pub(super) fn tokens(text: &str, written: &[Written]) -> Vec<Token> {
    let mut out = Vec::with_capacity(written.len());
    for w in written {
        let surface = text[w.start..w.end].trim_matches(|c: char| !crate::text::is_word_char(c));
        // As `words`, without a list per written word.
        let keys = w.key.split(|c: char| !crate::text::is_word_char(c));
        for key in keys.filter(|k| !k.is_empty()).map(str::to_string) {
            let bare = strip_proclitic(&key).to_string();
            out.push(Token {
                root: crude_root(&bare),
                stem: stem(&key),
                bare,
                key,
                surface: surface.to_string(),
            });
        }
    }
    out
}

/// A whitespace-separated word of a claim: its byte span and match key
/// (computed once, used by the token and role readings).
pub(super) struct Written {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) key: String,
}

pub(super) fn written_words(text: &str) -> Vec<Written> {
    let mut out = Vec::new();
    for w in text.split_whitespace() {
        // The word's own offset (a slice of `text`): the first occurrence
        // after the previous word, as no occurrence can start in the spaces.
        let start = w.as_ptr() as usize - text.as_ptr() as usize;
        let mut key = match_key(w);
        let trimmed = key.trim();
        if trimmed.len() != key.len() {
            key = trimmed.to_string();
        }
        out.push(Written {
            start,
            end: start + w.len(),
            key,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_join_word_families() {
        let r = |w: &str| root(match_key(w).trim());
        for (a, b) in [
            ("مهاجر", "تهجير"),
            ("قروض", "إقراض"),
            ("ينتخبون", "انتخابات"),
            ("يحولون", "تحويلا"),
            ("الاستثمار", "تستثمر"),
            ("ارتفاع", "يرتفع"),
        ] {
            assert!(
                r(a).is_some() && r(a) == r(b),
                "{a} {:?} / {b} {:?}",
                r(a),
                r(b)
            );
        }
        assert_eq!(r("اقتصاد").as_deref(), Some("قصد"));
        assert_eq!(r("Syria"), None);
    }

    #[test]
    fn stems_fold_clitics_and_plurals() {
        assert_eq!(stem("والصواريخ"), stem("الصواريخ"));
        assert_eq!(stem("العقوبات"), "عقوب");
    }
}
