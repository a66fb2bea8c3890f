//! Demonyms and nisba adjectives (`سوري`, `الجزائرية`, `المصريون`, Syrian): the country
//! a word names without naming it. Headlines often say "a Syrian plane" where another
//! outlet says "a plane in Syria", so articles mode counts the adjective as the place.
//!
//! The entity matcher deliberately keeps nisba forms apart from country names (its
//! skeletons would otherwise fold `فلسطيني` into `فلسطين` and much else with it); this
//! table is the other half: an explicit list of stems, each with the suffixes a nisba
//! takes (`ي`, `ية`, `يون`, `يين`, `يان`, `يتان`, `يتين`, `يا`) after optional proclitics.
//! Stems that spell a common word with a nisba suffix (`مالي` "financial", `مجري`
//! "course") are left out. Canonical names are the gazetteer's.

use rustc_hash::FxHashMap as HashMap;

use super::compare::PROCLITICS;
#[cfg(test)]
use crate::text::normalize::match_key;

// build.rs reads ARABIC, SUFFIXES and WORDS (as text) into `super::tables::DEMONYMS`.

/// Arabic nisba stems (as written, folded at build time) and the country they name.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const ARABIC: &[(&str, &str)] = &[
    ("سور", "Syria"),
    ("مصر", "Egypt"),
    ("جزائر", "Algeria"),
    ("يمن", "Yemen"),
    ("صين", "China"),
    ("فرنس", "France"),
    ("روس", "Russia"),
    ("أمريك", "United States"),
    ("أميرك", "United States"),
    ("سعود", "Saudi Arabia"),
    ("لبنان", "Lebanon"),
    ("فلسطين", "Palestine"),
    ("أردن", "Jordan"),
    ("عراق", "Iraq"),
    ("إيران", "Iran"),
    ("ترك", "Turkey"),
    ("إسرائيل", "Israel"),
    ("ليب", "Libya"),
    ("سودان", "Sudan"),
    ("صومال", "Somalia"),
    ("تونس", "Tunisia"),
    ("مغرب", "Morocco"),
    ("قطر", "Qatar"),
    ("إمارات", "United Arab Emirates"),
    ("كويت", "Kuwait"),
    ("بحرين", "Bahrain"),
    ("عمان", "Oman"),
    ("يابان", "Japan"),
    ("ألمان", "Germany"),
    ("بريطان", "United Kingdom"),
    ("هند", "India"),
    ("باكستان", "Pakistan"),
    ("أفغان", "Afghanistan"),
    ("إيطال", "Italy"),
    ("إسبان", "Spain"),
    ("كند", "Canada"),
    ("برازيل", "Brazil"),
    ("أوكران", "Ukraine"),
    ("يونان", "Greece"),
    ("سويد", "Sweden"),
    ("سويسر", "Switzerland"),
    ("هولند", "Netherlands"),
    ("بلجيك", "Belgium"),
    ("نمساو", "Austria"),
    ("بولند", "Poland"),
    ("إثيوب", "Ethiopia"),
    ("نيجير", "Nigeria"),
    ("مكسيك", "Mexico"),
    ("فنزويل", "Venezuela"),
    ("قبرص", "Cyprus"),
    ("موريتان", "Mauritania"),
    ("ماليز", "Malaysia"),
    ("إندونيس", "Indonesia"),
    ("أسترال", "Australia"),
    ("أرجنتين", "Argentina"),
];

/// Whole words: broken plurals and English demonyms.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const WORDS: &[(&str, &str)] = &[
    ("روس", "Russia"),
    ("أتراك", "Turkey"),
    ("أمريكان", "United States"),
    ("أميركان", "United States"),
    ("syrian", "Syria"),
    ("syrians", "Syria"),
    ("egyptian", "Egypt"),
    ("egyptians", "Egypt"),
    ("algerian", "Algeria"),
    ("yemeni", "Yemen"),
    ("chinese", "China"),
    ("french", "France"),
    ("russian", "Russia"),
    ("russians", "Russia"),
    ("american", "United States"),
    ("americans", "United States"),
    ("saudi", "Saudi Arabia"),
    ("lebanese", "Lebanon"),
    ("palestinian", "Palestine"),
    ("palestinians", "Palestine"),
    ("jordanian", "Jordan"),
    ("iraqi", "Iraq"),
    ("iraqis", "Iraq"),
    ("iranian", "Iran"),
    ("iranians", "Iran"),
    ("turkish", "Turkey"),
    ("israeli", "Israel"),
    ("israelis", "Israel"),
    ("libyan", "Libya"),
    ("sudanese", "Sudan"),
    ("somali", "Somalia"),
    ("tunisian", "Tunisia"),
    ("moroccan", "Morocco"),
    ("qatari", "Qatar"),
    ("emirati", "United Arab Emirates"),
    ("kuwaiti", "Kuwait"),
    ("japanese", "Japan"),
    ("german", "Germany"),
    ("germans", "Germany"),
    ("british", "United Kingdom"),
    ("indian", "India"),
    ("pakistani", "Pakistan"),
    ("afghan", "Afghanistan"),
    ("italian", "Italy"),
    ("spanish", "Spain"),
    ("canadian", "Canada"),
    ("brazilian", "Brazil"),
    ("ukrainian", "Ukraine"),
    ("ukrainians", "Ukraine"),
    ("greek", "Greece"),
    ("swedish", "Sweden"),
    ("swiss", "Switzerland"),
    ("dutch", "Netherlands"),
    ("mexican", "Mexico"),
    ("venezuelan", "Venezuela"),
    ("ethiopian", "Ethiopia"),
    ("nigerian", "Nigeria"),
    ("kenyan", "Kenya"),
];

/// Nisba endings, longest first (folded: `ة` is `ه`).
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const SUFFIXES: &[&str] = &["يتين", "يتان", "يين", "يون", "يان", "يه", "يا", "ي"];

/// Every bare form (stem and suffix, or a whole word) mapped to its country
/// (the first of the lists above to give a form keeps it).
fn table() -> &'static super::static_map::StaticMap<&'static str> {
    &super::tables::DEMONYMS
}

/// The country a word (in match-key form) names as a demonym, if any.
pub fn country(key: &str) -> Option<&'static str> {
    // Every word of a claim and of an edit's neighbourhood is asked about,
    // the same words again and again: answered once per thread (bounded).
    thread_local! {
        static MEMO: std::cell::RefCell<HashMap<String, Option<&'static str>>> =
            std::cell::RefCell::new(HashMap::default());
    }
    if let Some(found) = MEMO.with_borrow(|m| m.get(key).copied()) {
        return found;
    }
    let found = country_of_word(key);
    MEMO.with_borrow_mut(|m| {
        if m.len() >= super::compare::MEMO_LIMIT {
            m.clear();
        }
        m.insert(key.to_string(), found);
    });
    found
}

fn country_of_word(key: &str) -> Option<&'static str> {
    let t = table();
    // The word as it stands first: `الماني` starts with the letters of `ال`.
    t.get(key).copied().or_else(|| {
        PROCLITICS.iter().find_map(|p| {
            key.strip_prefix(p)
                .filter(|r| r.chars().count() >= 3)
                .and_then(|r| t.get(r).copied())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(word: &str) -> Option<&'static str> {
        country(&match_key(word))
    }

    #[test]
    fn nisba_forms_name_their_country() {
        for (w, c) in [
            ("سوري", "Syria"),
            ("سورية", "Syria"),
            ("السوريين", "Syria"),
            ("الجزائرية", "Algeria"),
            ("المصريون", "Egypt"),
            ("مصرية", "Egypt"),
            ("يمني", "Yemen"),
            ("الصيني", "China"),
            ("فرنسية", "France"),
            ("أميركيتين", "United States"),
            ("الأمريكي", "United States"),
            ("ألماني", "Germany"),
            ("الألمانية", "Germany"),
            ("والروس", "Russia"),
            ("الأتراك", "Turkey"),
            ("Syrian", "Syria"),
            ("Chinese", "China"),
        ] {
            assert_eq!(of(w), Some(c), "{w}");
        }
    }

    #[test]
    fn demonym_countries_are_gazetteer_countries() {
        for (_, c) in ARABIC.iter().chain(WORDS) {
            assert_eq!(crate::claims::entity::country_of(c), Some(*c), "{c}");
        }
    }

    #[test]
    fn ordinary_words_are_not_demonyms() {
        for w in ["مالي", "مجرى", "سوق", "الصين", "مصر", "دولار", "العربي"]
        {
            assert_eq!(of(w), None, "{w}");
        }
    }
}
