//! Named entities: a gazetteer of places, people and organisations with their Arabic
//! spelling variants, matched against sentences (`reference/arabic-text.md` §6).
//!
//! # Matching
//!
//! A sentence is tokenised once (`Tokens`): words split at spaces, punctuation and
//! hyphens, each folded to a light key (the `match_key` letter folding, diacritics and
//! tatweel dropped, Latin lowercased and stripped of accents, a Latin `'s` dropped).
//! Names are compared on two stricter keys built from the light keys of consecutive tokens
//! *concatenated without spaces* (so `بيونغ يانغ` = `بيونغيانغ`, `Jong-un` = `Jong Un`):
//!
//! * the *phonetic key*: hamza dropped and the §6 letter classes folded (/g/ ج غ ق ك گ ڨ ڭ
//!   ݣ چ, /v/ ف ڤ ڥ, /p/ ب پ, /ʒ/ ز ژ, and the emphatic pairs ت ط, س ص, د ض, ز ظ ذ, ه ح);
//! * the *skeleton* ([`name_key`]): the phonetic key without long vowels (ا و ي) except at
//!   the very start of the name, with repeated letters collapsed.
//!
//! A spelling matches when (a) the concatenated light keys are equal; or (b) the phonetic
//! keys are equal and at least [`PHON_MIN`] letters long; or (c) the skeletons are equal and
//! at least [`SKELETON_MIN`] letters long, with the same number of words, the same last
//! letter and phonetic lengths within one letter. A leading article ال does not count in
//! these lengths. The guards come from running the matcher over Arabic headlines: folding
//! makes short words collide (`إجراء` = `أكرا` phonetically, `قيم` = `كيم`, `سؤال` and
//! `سيول` both reduce to `سل`), the article pads skeletons (`النجار` vs `النيجر`), nisba
//! adjectives and plurals reduce to their country (`فلسطيني`, `فلسطينيين` → `فلسطين`), and
//! concatenation lets two words spell one name (`واشنطن و`). So short names and all short
//! forms (`كيم`, `بوتين`) are listed in every spelling the gazetteer accepts. There is no
//! fuzzy (Jaro-Winkler) step: false positives matter more here than unlisted spellings.
//!
//! Longest match wins, left to right, without overlaps. The first token of an Arabic match
//! may carry proclitics (و ف, then ب ل ك, and لل for ل+ال) which are stripped when the
//! remainder has at least three letters; the entity's `text` then starts after them.
//!
//! Latin names match case-insensitively, except that a one-word name (`Putin`) must be
//! capitalised in the text (so "turkey" and "chad" are words) and an acronym (`US`, `WHO`,
//! `UN`) must be written in capitals.
//!
//! # Titles
//!
//! Some people carry *titles* (`الرئيس الروسي`, `Russian President`): current, unambiguous
//! office names. A title directly followed by the same person's name merges with it into one
//! entity; a title followed by another person's name, or by `السابق`/`الأسبق` ("former"), or
//! preceded by "former", is dropped; a title standing alone stands for its holder. This ties
//! the built-in data to the present (an old article's `الرئيس الأمريكي` is mapped to the
//! current president); users can override titles in the alias file.
//!
//! # Alias file
//!
//! [`Gazetteer::with_aliases`] reads TOML of this shape:
//!
//! ```toml
//! [[entity]]
//! canonical = "Lee Jae-myung"
//! kind = "person"            # person | place | organization | other
//! names = ["لي جاي ميونغ", "لي جاي-ميونغ", "Lee Jae-myung"]
//! short = ["لي"]              # optional: short forms, matched exactly (after folding)
//! titles = ["الرئيس الكوري الجنوبي"]  # optional: titles standing for this entity
//! ```
//!
//! User entries win over built-in ones on the same spelling; a user entry whose canonical
//! name equals a built-in one simply adds spellings to it. Beware of short forms that are
//! ordinary words (`لي` also means "for me").
//!
//! The entries and their lookup tables are in `gazetteer`, the matching in `matching`; this
//! file keeps a sentence's tokens and matches for the extractors that read it in turn, the
//! extractors' lexicon bits ([`lex_of`]) and the name skeleton ([`name_key`]).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::Deserialize;
use unicode_normalization::char::canonical_combining_class;

pub(crate) use super::names::*;
pub use super::names::{PHON_MIN, SKELETON_MIN};
use super::{EntityKind, Slot};
use crate::text::normalize::{is_invisible, is_removed_mark};

mod gazetteer;
mod matching;

pub(crate) use gazetteer::*;
pub use gazetteer::{AliasError, Gazetteer, country_of};
pub use matching::find_entities;
pub(crate) use matching::*;

// ---------------------------------------------------------------------------------------
// Per-thread memo of the last sentence
// ---------------------------------------------------------------------------------------

/// The four extractors are usually called one after another on the same sentence; this
/// keeps its tokens (and entity matches per gazetteer) so the work is done once. Keyed by
/// the sentence's content (one memcmp) and the gazetteer's id; buffers are reused.
#[derive(Default)]
struct Memo {
    src: String,
    valid: bool,
    buf: String,
    toks: Vec<Tok>,
    tail: u8,
    ents: Vec<EntMatch>,
    ents_for: Option<u64>,
    scratch: MatchScratch,
}

thread_local! {
    static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::new(Memo::default());
}

/// Runs `f` on the tokens of `sentence` and, when `g` is given, its entity matches.
pub(crate) fn with_analysis<R>(
    sentence: &str,
    g: Option<&Gazetteer>,
    f: impl FnOnce(&Tokens, &[EntMatch]) -> R,
) -> R {
    let mut slot = Some(f);
    let memoized = MEMO
        .try_with(|m| {
            let mut m = m.try_borrow_mut().ok()?;
            let f = slot.take()?;
            let m = &mut *m;
            if !(m.valid && m.src == sentence) {
                m.src.clear();
                m.src.push_str(sentence);
                m.tail = tokenize_into(sentence, &mut m.buf, &mut m.toks);
                m.ents_for = None;
            }
            // Invalid while lent out, so a panic inside `f` cannot leave a half-empty memo.
            m.valid = false;
            let t = Tokens {
                src: sentence,
                buf: std::mem::take(&mut m.buf),
                toks: std::mem::take(&mut m.toks),
                tail_punct: m.tail,
            };
            if let Some(g) = g
                && m.ents_for != Some(g.id)
            {
                find_matches_into(&t, g, &mut m.scratch, &mut m.ents);
                m.ents_for = Some(g.id);
            }
            let r = f(&t, &m.ents);
            m.buf = t.buf;
            m.toks = t.toks;
            m.valid = true;
            Some(r)
        })
        .ok()
        .flatten();
    if let Some(r) = memoized {
        return r;
    }
    // Re-entered, or the thread is shutting down: no memo.
    let t = Tokens::new(sentence);
    let e = g.map(|g| find_matches(&t, g)).unwrap_or_default();
    match slot.take() {
        Some(f) => f(&t, &e),
        None => unreachable!("`f` is taken only on the memoized path, which returned"),
    }
}

// Read by build.rs (`entity::lex_of`); here for the tests.
#[cfg_attr(not(test), allow(dead_code))]
const FORMER: &[&str] = &["السابق", "السابقه", "الاسبق", "الاسبقه", "former", "ex"];

/// The lexicons as maps, built at run time: what build.rs writes as
/// `builtin::LEXICON` and `builtin::LEXICON_BLOOM` (which cost nothing at start-up).
#[cfg(test)]
struct Lexicon {
    words: FxMap<&'static str, u32>,
    /// A 64K-bit filter over [`bloom_slot`]: most tokens are in no lexicon.
    bloom: Box<[u64; 1024]>,
}

#[cfg(test)]
fn lexicon() -> &'static Lexicon {
    static L: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
    L.get_or_init(|| {
        use super::{attribution as a, polarity as p, quote as q};
        let lists: &[(&[&str], u32)] = &[
            (a::AR_PREP, lex::AR_PREP),
            (a::AR_VERBS, lex::AR_VERBS),
            (a::EN_VERBS, lex::EN_VERBS),
            (a::AR_STOP, lex::AR_STOP),
            (a::EN_STOP, lex::EN_STOP),
            (a::EN_STOP_BACK, lex::EN_STOP_BACK),
            (a::EN_AUX, lex::EN_AUX),
            (a::PRONOUNS, lex::PRONOUNS),
            (a::DATA_NOUNS, lex::DATA_NOUNS),
            (a::VAGUE, lex::VAGUE),
            (q::AR_FINITE, lex::AR_FINITE),
            (q::AR_DESCRIBE, lex::AR_DESCRIBE),
            (q::AR_PARTICIPLE, lex::AR_PARTICIPLE),
            (q::EN_FINITE, lex::EN_FINITE),
            (q::EN_PARTICIPLE, lex::EN_PARTICIPLE),
            (p::AR_PLAIN, lex::AR_PLAIN),
            (p::LA_IDIOMS, lex::LA_IDIOMS),
            (p::LA_ADJECTIVAL, lex::LA_IDIOMS),
            (p::MA_NOT_NEG, lex::MA_NOT_NEG),
            (p::EN_PLAIN, lex::EN_PLAIN),
            (p::AR_CONDITIONAL, lex::AR_CONDITIONAL),
            (FORMER, lex::FORMER),
        ];
        let mut words = FxMap::default();
        let mut bloom = Box::new([0u64; 1024]);
        for &(list, bit) in lists {
            for w in list {
                *words.entry(*w).or_insert(0) |= bit;
                let slot = bloom_slot(w.as_bytes());
                bloom[slot / 64] |= 1 << (slot % 64);
            }
        }
        Lexicon { words, bloom }
    })
}

/// The lexicon bits of a light key.
#[inline]
pub(crate) fn lex_of(w: &str) -> u32 {
    let slot = bloom_slot(w.as_bytes());
    if builtin::LEXICON_BLOOM[slot / 64] & (1 << (slot % 64)) == 0 {
        return 0;
    }
    builtin::LEXICON.get(w).copied().unwrap_or(0)
}
/// The §6 skeleton of a name, used to match transliteration variants: `match_key`, hamza
/// dropped, the /g/ /v/ /p/ /ʒ/ classes and emphatic pairs folded, long vowels dropped
/// except as the first letter of the name, repeated letters collapsed, spaces and hyphens
/// removed (so spaced and unspaced spellings agree). Latin keeps its vowels.
///
/// `name_key("كيم جونج أون") == name_key("كيم جونغ اون")`,
/// `name_key("بيونغ يانغ") == name_key("بيونجيانج")`.
pub fn name_key(name: &str) -> String {
    let t = Tokens::new(name);
    let mut kb = KeyBuilder::default();
    kb.clear(true);
    for i in 0..t.len() {
        kb.push(t.key(i));
    }
    kb.skel
}

/// The built-in gazetteer as build.rs wrote it from `gazetteer.txt`, keyed by the same
/// code (`names.rs`) and added in the same order as [`Built::builtin`] does;
/// `tests::static_builtin_is_the_run_time_one` checks every table against it.
mod builtin {
    use super::super::static_map::{StaticMap, StaticU64Map};
    use super::{Bits, EntityKind, Hit, hit};

    include!(concat!(env!("OUT_DIR"), "/gazetteer.rs"));

    /// Entity `i`'s canonical name and kind.
    #[inline]
    pub fn entry(i: usize) -> (&'static str, EntityKind) {
        (
            &NAMES[NAME_OFFSETS[i] as usize..NAME_OFFSETS[i + 1] as usize],
            KINDS[i],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ents(s: &str) -> Vec<(String, String)> {
        find_entities(s, Gazetteer::builtin())
            .into_iter()
            .map(|e| match e {
                Slot::Entity {
                    text, canonical, ..
                } => (text, canonical),
                _ => unreachable!(),
            })
            .collect()
    }

    fn canon(s: &str) -> Vec<String> {
        ents(s).into_iter().map(|(_, c)| c).collect()
    }

    #[test]
    fn kim_variants() {
        assert_eq!(canon("كيم جونج أون"), ["Kim Jong Un"]);
        assert_eq!(canon("كيم جونغ أون"), ["Kim Jong Un"]);
        assert_eq!(canon("كيم جونغ اون"), ["Kim Jong Un"]);
        assert_eq!(canon("Kim Jong Un"), ["Kim Jong Un"]);
        assert_eq!(canon("Kim Jong-un met"), ["Kim Jong Un"]);
        assert_eq!(canon("قال كيم إن"), ["Kim Jong Un"]);
        assert_eq!(canon("للزعيم كيم جونج أون"), ["Kim Jong Un"]);
        assert_eq!(canon("كيم يو جونغ"), ["Kim Yo Jong"]);
    }

    #[test]
    fn places() {
        assert_eq!(canon("بيونج يانج"), ["Pyongyang"]);
        assert_eq!(canon("بيونغ يانغ"), ["Pyongyang"]);
        assert_eq!(canon("بيونغيانغ"), ["Pyongyang"]);
        assert_eq!(
            ents("وبيونج يانج"),
            [("بيونج يانج".into(), "Pyongyang".into())]
        );
        assert_eq!(canon("روسيا"), ["Russia"]);
        assert_eq!(canon("كورسك"), ["Kursk"]);
        assert_eq!(canon("أوكرانيا"), ["Ukraine"]);
        assert_eq!(canon("كييف"), ["Kyiv"]);
        assert_eq!(canon("بالكرملين"), ["Kremlin"]);
        assert_eq!(canon("للأمم المتحدة"), ["United Nations"]);
        assert_eq!(
            canon("كوريا الشمالية وكوريا الجنوبية"),
            ["North Korea", "South Korea"]
        );
        assert_eq!(canon("Kursk and Kyiv"), ["Kursk", "Kyiv"]);
    }

    #[test]
    fn people_and_titles() {
        assert_eq!(canon("بوتين"), ["Vladimir Putin"]);
        assert_eq!(
            ents("أشاد الرئيس الروسي فلاديمير بوتين بمتانة"),
            [(
                "الرئيس الروسي فلاديمير بوتين".into(),
                "Vladimir Putin".into()
            )]
        );
        assert_eq!(canon("واستخدم الرئيس الروسي مصطلح"), ["Vladimir Putin"]);
        assert_eq!(canon("الرئيس الأمريكي السابق جو بايدن"), ["Joe Biden"]);
        assert_eq!(
            canon("Russian President Vladimir Putin said"),
            ["Vladimir Putin"]
        );
        assert_eq!(canon("ترامب وترمب"), ["Donald Trump", "Donald Trump"]);
        assert_eq!(canon("زيلنسكي"), ["Volodymyr Zelensky"]);
        assert_eq!(canon("نتانياهو"), ["Benjamin Netanyahu"]);
        assert_eq!(canon("أردوغان"), ["Recep Tayyip Erdogan"]);
        assert_eq!(canon("Putin's letter"), ["Vladimir Putin"]);
    }

    #[test]
    fn diacritics_and_tatweel() {
        assert_eq!(canon("بُوتِين"), ["Vladimir Putin"]);
        assert_eq!(canon("روسـيـا"), ["Russia"]);
        assert_eq!(canon("موسكو"), ["Moscow"]);
    }

    #[test]
    fn no_false_positives_on_words() {
        for s in [
            "سؤال",
            "كيف حالك",
            "بطن",
            "us and them",
            "we ate turkey",
            "الروسي",
            "مالي",
            "الجنود الكوريين الشماليين",
        ] {
            assert!(canon(s).is_empty(), "{s}: {:?}", canon(s));
        }
        assert_eq!(
            canon("the US and the UN"),
            ["United States", "United Nations"]
        );
    }

    #[test]
    fn first_hashes_are_the_key_builders() {
        for w in [
            "كيم",
            "بيونغيانغ",
            "الرئيس",
            "واشنطن",
            "putin's",
            "'s",
            "ءؤئ",
            "اااب",
            "ابوو",
            "ءا",
            "يونيو",
            "ٱلقدس",
            "",
        ] {
            let mut kb = KeyBuilder::default();
            kb.clear(false);
            kb.push(w);
            let f = first_hashes(w);
            assert_eq!(
                (f.phon_h, f.skel_h, f.phon_len, f.skel_len, f.last),
                (kb.phon_h, kb.skel_h, kb.phon_len, kb.skel_len, kb.last),
                "{w}"
            );
        }
    }

    #[test]
    fn plain_letters_are_their_own_light_key() {
        for b0 in 0..=255u8 {
            for b1 in 0..=255u8 {
                let ranges = match b0 {
                    0xD8 => b1 == 0xA1 || (matches!(b1, 0xA7..=0xBA) && b1 != 0xA9),
                    0xD9 => matches!(b1, 0x81..=0x8A) && b1 != 0x89,
                    _ => false,
                };
                assert_eq!(is_plain_letter(b0, b1), ranges, "{b0:x} {b1:x}");
            }
        }
        for c in '\u{0621}'..='\u{064A}' {
            let mut b = [0; 4];
            let e = c.encode_utf8(&mut b).as_bytes();
            let mut light = String::new();
            push_light(c, &mut light, 0);
            if is_plain_letter(e[0], e[1]) {
                assert_eq!(light, c.to_string());
            }
        }
    }

    #[test]
    fn name_key_folds_variants() {
        assert_eq!(name_key("كيم جونج أون"), name_key("كيم جونغ أون"));
        assert_eq!(name_key("بيونغ يانغ"), name_key("بيونجيانج"));
        assert_eq!(name_key("زيلينسكي"), name_key("زيلنسكي"));
        assert_eq!(name_key("ترامب"), name_key("ترمب"));
        assert_eq!(name_key("غوغل"), name_key("جوجل"));
        assert_eq!(name_key("ڤيينا"), name_key("فيينا"));
        assert_ne!(name_key("أوكرانيا"), name_key("كرانيا"));
        assert_eq!(name_key(""), "");
    }

    #[test]
    fn alias_file() {
        let g = Gazetteer::with_aliases(
            r#"
[[entity]]
canonical = "Test Person"
kind = "person"
names = ["تيستو بيرسوني", "Testo Personi"]
short = ["تيستو"]
"#,
        )
        .unwrap();
        let c = |s: &str| -> Vec<String> {
            find_entities(s, &g)
                .into_iter()
                .filter_map(|e| match e {
                    Slot::Entity { canonical, .. } => Some(canonical),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(c("قال تيستو بيرسوني إن"), ["Test Person"]);
        assert_eq!(c("وتيستو"), ["Test Person"]);
        assert_eq!(c("Testo Personi"), ["Test Person"]);
        assert_eq!(c("بوتين"), ["Vladimir Putin"]);
        assert!(Gazetteer::builtin().lookup("تيستو").is_none());
    }

    #[test]
    fn alias_errors() {
        let e = Gazetteer::with_aliases(
            "[[entity]]\ncanonical = \"X\"\nkind = \"ghost\"\nnames = [\"x\"]\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown kind `ghost`"), "{e}");
        assert_eq!(e.line, Some(1));
        let e = Gazetteer::with_aliases(
            "[[entity]]\ncanonical = \"X\"\nkind = \"place\"\nnames = []\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("no usable `names`"), "{e}");
        let e = Gazetteer::with_aliases(
            "[[entity]]\ncanonical = \"X\"\nkind = \"place\"\nnames = [\"a\"\n",
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("alias file line"), "{e}");
        let e = Gazetteer::with_aliases("[[entity]]\ncanonical = \"X\"\nkind = \"place\"\n")
            .unwrap_err();
        assert!(e.to_string().contains("names"), "{e}");
        let e =
            Gazetteer::with_aliases("[[entity]]\nkind = \"place\"\nnames = [\"a\"]\n").unwrap_err();
        assert!(e.to_string().contains("canonical"), "{e}");
        let e = Gazetteer::with_aliases(
            "[[entity]]\ncanonical = \"X\"\nkind = \"place\"\nnames = [\"a\"]\nnickname = 1\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("nickname"), "{e}");
        assert!(Gazetteer::with_aliases("").is_ok());
    }

    #[test]
    fn memo_is_per_gazetteer_and_sentence() {
        let s = "التقى تيستو ببوتين";
        assert_eq!(canon(s), ["Vladimir Putin"]);
        let g = Gazetteer::with_aliases(
            "[[entity]]\ncanonical = \"T\"\nkind = \"other\"\nnames = [\"تيستو\"]\n",
        )
        .unwrap();
        let with_alias: Vec<String> = find_entities(s, &g)
            .into_iter()
            .filter_map(|e| match e {
                Slot::Entity { canonical, .. } => Some(canonical),
                _ => None,
            })
            .collect();
        assert_eq!(with_alias, ["T", "Vladimir Putin"]);
        assert_eq!(canon(s), ["Vladimir Putin"]);
        assert_eq!(canon("روسيا"), ["Russia"]);
    }

    #[test]
    fn english_sentences() {
        assert_eq!(
            canon("North Korean leader Kim Jong Un sent troops to Russia's Kursk region."),
            ["Kim Jong Un", "Russia", "Kursk"]
        );
        assert_eq!(
            canon("Reuters and AFP said NATO and the EU met in Brussels."),
            ["Reuters", "AFP", "NATO", "European Union", "Brussels"]
        );
        assert_eq!(
            canon("Volodymyr Zelenskyy spoke to Emmanuel Macron."),
            ["Volodymyr Zelensky", "Emmanuel Macron"]
        );
        assert_eq!(
            canon("Lee Jae-myung replaced Yoon Suk Yeol."),
            ["Lee Jae-myung", "Yoon Suk Yeol"]
        );
        assert_eq!(
            canon("Volker Türk and Volker Turk"),
            ["Volker Türk", "Volker Türk"]
        );
    }

    proptest::proptest! {
        #[test]
        fn extractors_never_panic(s in "\\PC{0,80}") {
            let g = Gazetteer::builtin();
            let _ = find_entities(&s, g);
            let _ = name_key(&s);
            let _ = super::super::quote::find_quotes(&s);
            let _ = super::super::attribution::find_attributions(&s, g);
            let _ = super::super::polarity::find_negations(&s);
            let _ = Gazetteer::with_aliases(&s);
        }

        #[test]
        fn arabic_soup_never_panics(
            words in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("و"), proptest::strategy::Just("لل"),
                    proptest::strategy::Just("ال"), proptest::strategy::Just("بوتين"),
                    proptest::strategy::Just("“"), proptest::strategy::Just("”"),
                    proptest::strategy::Just("«"), proptest::strategy::Just("\""),
                    proptest::strategy::Just("قال"), proptest::strategy::Just("وفقاً"),
                    proptest::strategy::Just("لما"), proptest::strategy::Just("من"),
                    proptest::strategy::Just("سول"), proptest::strategy::Just("ما"),
                    proptest::strategy::Just("لا"), proptest::strategy::Just("غير"),
                    proptest::strategy::Just("said"), proptest::strategy::Just("according"),
                    proptest::strategy::Just("to"), proptest::strategy::Just("Kim"),
                    proptest::strategy::Just("-"), proptest::strategy::Just("،"),
                    proptest::strategy::Just(" "), proptest::strategy::Just("ـ"),
                    proptest::strategy::Just("\u{064B}"), proptest::strategy::Just("'"),
                    proptest::strategy::Just("الرئيس الروسي"), proptest::strategy::Just("."),
                ],
                0..30,
            )
        ) {
            let s: String = words.concat();
            let g = Gazetteer::builtin();
            let _ = find_entities(&s, g);
            let _ = super::super::quote::find_quotes(&s);
            let _ = super::super::attribution::find_attributions(&s, g);
            let _ = super::super::polarity::find_negations(&s);
            let _ = name_key(&s);
        }
    }

    #[test]
    fn static_builtin_is_the_run_time_one() {
        let b = Built::builtin();
        assert_eq!(builtin::KINDS.len(), b.entries.len());
        for (i, e) in b.entries.iter().enumerate() {
            assert_eq!((&*e.canonical, e.kind), builtin::entry(i));
        }
        for (name, map) in [("exact", &b.exact), ("phon", &b.phon), ("skel", &b.skel)] {
            for (k, hits) in map {
                let got = match name {
                    "exact" => Static.exact(k),
                    "phon" => Static.phon(k),
                    _ => Static.skel(k),
                };
                assert_eq!(got, Some(hits.as_slice()), "{name}: {k}");
            }
        }
        assert_eq!(builtin::EXACT.len(), b.exact.len());
        assert_eq!(builtin::PHON.len(), b.phon.len());
        assert_eq!(builtin::SKEL.len(), b.skel.len());
        assert_eq!(builtin::FIRST.len(), b.first.len());
        for (h, most) in &b.first {
            assert_eq!(builtin::FIRST.get(*h), Some(*most), "first {h}");
        }
        assert_eq!(builtin::WHOLE.len(), b.whole.len());
        for h in b.whole.keys() {
            assert_eq!(builtin::WHOLE.get(*h), Some(1), "whole {h}");
        }
        assert!(builtin::FIRST_BITS == *b.first_bits.0);
        assert!(builtin::WHOLE_BITS == *b.whole_bits.0);
        assert!(builtin::PREFIX_BITS == *b.prefix_bits.0);
        for h in [0, 1, u64::MAX, 0x9E37_79B9_7F4A_7C15] {
            assert_eq!(builtin::FIRST.get(h), b.first.get(&h).copied(), "{h}");
            assert_eq!(builtin::WHOLE.get(h).is_some(), b.whole.contains_key(&h));
        }
        // And both match alike.
        let built = Gazetteer {
            id: next_id(),
            tables: Tables::Built(Box::new(b)),
        };
        for s in [
            "قال الرئيس الروسي فلاديمير بوتين في موسكو إن كيم جونغ أون زار بيونغ يانغ",
            "وصل الرئيس الأمريكي إلى القاهرة والتقى بالرئيس المصري السابق",
            "Russian President Vladimir Putin met the UN chief in New York; turkey and chad.",
            "الفلسطينيون في غزة والضفة الغربية وللأمم المتحدة",
        ] {
            let t = Tokens::new(s);
            let key = |g: &Gazetteer| -> Vec<_> {
                find_matches(&t, g)
                    .iter()
                    .map(|m| (m.a, m.b, m.start, m.end, m.canonical(g).to_string(), m.form))
                    .collect()
            };
            let got = key(Gazetteer::builtin());
            assert!(!got.is_empty(), "{s}");
            assert_eq!(got, key(&built), "{s}");
        }
    }

    #[test]
    fn static_lexicon_is_the_run_time_one() {
        let l = lexicon();
        assert_eq!(builtin::LEXICON.len(), l.words.len());
        for (w, bits) in &l.words {
            assert_eq!(builtin::LEXICON.get(w), Some(bits), "{w}");
        }
        assert!(builtin::LEXICON_BLOOM == *l.bloom);
    }

    #[test]
    fn builtin_is_sizeable() {
        assert!(Gazetteer::builtin().len() > 500);
        assert!(BUILTIN.len() < 70_000);
    }

    #[test]
    fn places_lie_in_countries() {
        let g = Gazetteer::builtin();
        assert_eq!(country_of("Cairo"), Some("Egypt"));
        assert_eq!(country_of("Egypt"), Some("Egypt"));
        assert_eq!(country_of("Kursk"), Some("Russia"));
        assert_eq!(country_of("Jerusalem"), None);
        assert_eq!(country_of("Middle East"), None);
        // Every name on an `IN|` line is an entity of the gazetteer.
        for line in BUILTIN.lines().filter_map(|l| l.strip_prefix("IN|")) {
            for name in line
                .split(['|', ','])
                .map(str::trim)
                .filter(|n| !n.is_empty())
            {
                assert!(
                    (0..g.len() as u32).any(|i| g.entry(i).0 == name),
                    "unknown place {name}"
                );
            }
        }
        // The IN lines add no spellings: Cairo is still only Cairo.
        assert_eq!(g.lookup("القاهرة"), Some(("Cairo", EntityKind::Place)));
        assert_eq!(g.lookup("مصر"), Some(("Egypt", EntityKind::Place)));
    }
}
