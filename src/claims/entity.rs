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

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::Deserialize;
use unicode_normalization::char::canonical_combining_class;

pub(crate) use super::names::*;
pub use super::names::{PHON_MIN, SKELETON_MIN};
use super::{EntityKind, Slot};
use crate::text::normalize::{is_invisible, is_removed_mark};

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

// ---------------------------------------------------------------------------------------
// Gazetteer
// ---------------------------------------------------------------------------------------

/// FxHash: the keys are short strings and this is the hot path.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Hasher for Fx {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.add(w);
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Fx {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Form {
    Name,
    Short,
    Title,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Hit {
    entry: u32,
    form: Form,
    /// Latin acronym: the text must be in capitals.
    acronym: bool,
    /// One Latin word: the text must be capitalised.
    capital: bool,
    /// Tokens of the spelling, and its last phonetic letter: a skeleton match must agree
    /// on both (so `فلسطيني` "Palestinian" is not `فلسطين`, and no two words make one name).
    tokens: u8,
    last: char,
    /// Phonetic length: a skeleton match may differ by one letter at most (a long vowel),
    /// not by a plural ending (`فلسطينيين`).
    phon_len: u8,
}

/// A [`Hit`] in the tables build.rs writes (`form`: 0 name, 1 short form, 2 title).
const fn hit(
    entry: u32,
    form: u8,
    acronym: bool,
    capital: bool,
    tokens: u8,
    last: char,
    phon_len: u8,
) -> Hit {
    Hit {
        entry,
        form: match form {
            0 => Form::Name,
            1 => Form::Short,
            _ => Form::Title,
        },
        acronym,
        capital,
        tokens,
        last,
        phon_len,
    }
}

#[derive(Debug, Clone)]
struct Entry {
    canonical: Box<str>,
    kind: EntityKind,
}

/// Places, people and organisations with their spellings. See the module doc.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    /// Identifies the content (a gazetteer never changes once built) for the memo.
    id: u64,
    tables: Tables,
}

/// Where a gazetteer's spellings are: both kinds are matched by the same (generic) code.
#[derive(Debug, Clone)]
enum Tables {
    /// The built-in gazetteer, keyed at build time (build.rs writes [`builtin`]): building
    /// it at start-up was ~12.5 M instructions of every process that extracts claims.
    Builtin,
    /// Built at run time: the built-in lines and a user alias file.
    Built(Box<Built>),
}

impl Default for Gazetteer {
    /// An empty gazetteer.
    fn default() -> Self {
        Gazetteer {
            id: next_id(),
            tables: Tables::Built(Box::default()),
        }
    }
}

/// A gazetteer built at run time (see [`Gazetteer`]'s fields for the built-in one).
#[derive(Debug, Clone, Default)]
struct Built {
    entries: Vec<Entry>,
    by_canonical: HashMap<Box<str>, u32>,
    /// Concatenated light keys, phonetic keys and skeletons of the spellings.
    exact: FxMap<Box<str>, Vec<Hit>>,
    phon: FxMap<Box<str>, Vec<Hit>>,
    skel: FxMap<Box<str>, Vec<Hit>>,
    /// Hash of the phonetic key or skeleton of a first token → the most tokens a name
    /// starting so has (a pre-filter: most tokens are no name's first word).
    first: FxMap<u64, u8>,
    /// Hashes of the phonetic keys of all spellings and of the skeletons in `skel`: a
    /// pre-filter for the string lookups (an exact or phonetic match implies an equal
    /// phonetic key, a skeleton match an equal skeleton).
    whole: FxMap<u64, ()>,
    /// Bit filters over the keys of `first` and `whole`: most words are in neither, and a
    /// bit test is cheaper than a hash lookup.
    first_bits: HashBits,
    whole_bits: HashBits,
    /// Bit filter over the hashes of every prefix (letter by letter) of the phonetic keys
    /// and skeletons of all spellings: once the words read so far are a prefix of none,
    /// no longer spelling can match there either.
    prefix_bits: HashBits,
}

/// A one-hash bit filter over 64-bit hashes ([`hash_bit`]): a clear bit means the hash
/// was never inserted.
#[derive(Debug, Clone)]
struct HashBits(Box<Bits>);

impl Default for HashBits {
    fn default() -> Self {
        HashBits(Box::new([0; HASH_WORDS]))
    }
}

impl HashBits {
    fn insert(&mut self, h: u64) {
        let (w, b) = hash_bit(h);
        self.0[w] |= b;
    }
}

/// Whether bit filter `bits` may hold hash `h`.
#[inline]
fn may_contain(bits: &Bits, h: u64) -> bool {
    let (w, b) = hash_bit(h);
    bits[w] & b != 0
}

/// The tables the matcher asks, built-in (static) or built at run time.
trait Lookup {
    fn first_bits(&self) -> &Bits;
    fn whole_bits(&self) -> &Bits;
    fn prefix_bits(&self) -> &Bits;
    fn first(&self, h: u64) -> Option<u8>;
    fn whole(&self, h: u64) -> bool;
    fn exact(&self, key: &str) -> Option<&[Hit]>;
    fn phon(&self, key: &str) -> Option<&[Hit]>;
    fn skel(&self, key: &str) -> Option<&[Hit]>;
}

impl Lookup for Built {
    #[inline]
    fn first_bits(&self) -> &Bits {
        &self.first_bits.0
    }
    #[inline]
    fn whole_bits(&self) -> &Bits {
        &self.whole_bits.0
    }
    #[inline]
    fn prefix_bits(&self) -> &Bits {
        &self.prefix_bits.0
    }
    #[inline]
    fn first(&self, h: u64) -> Option<u8> {
        self.first.get(&h).copied()
    }
    #[inline]
    fn whole(&self, h: u64) -> bool {
        self.whole.contains_key(&h)
    }
    #[inline]
    fn exact(&self, key: &str) -> Option<&[Hit]> {
        self.exact.get(key).map(Vec::as_slice)
    }
    #[inline]
    fn phon(&self, key: &str) -> Option<&[Hit]> {
        self.phon.get(key).map(Vec::as_slice)
    }
    #[inline]
    fn skel(&self, key: &str) -> Option<&[Hit]> {
        self.skel.get(key).map(Vec::as_slice)
    }
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

/// The tables of [`builtin`].
struct Static;

impl Lookup for Static {
    #[inline]
    fn first_bits(&self) -> &Bits {
        &builtin::FIRST_BITS
    }
    #[inline]
    fn whole_bits(&self) -> &Bits {
        &builtin::WHOLE_BITS
    }
    #[inline]
    fn prefix_bits(&self) -> &Bits {
        &builtin::PREFIX_BITS
    }
    #[inline]
    fn first(&self, h: u64) -> Option<u8> {
        builtin::FIRST.get(h)
    }
    #[inline]
    fn whole(&self, h: u64) -> bool {
        builtin::WHOLE.get(h).is_some()
    }
    #[inline]
    fn exact(&self, key: &str) -> Option<&[Hit]> {
        builtin::EXACT
            .get(key)
            .map(|&(s, e)| &builtin::EXACT_HITS[s as usize..e as usize])
    }
    #[inline]
    fn phon(&self, key: &str) -> Option<&[Hit]> {
        builtin::PHON
            .get(key)
            .map(|&(s, e)| &builtin::PHON_HITS[s as usize..e as usize])
    }
    #[inline]
    fn skel(&self, key: &str) -> Option<&[Hit]> {
        builtin::SKEL
            .get(key)
            .map(|&(s, e)| &builtin::SKEL_HITS[s as usize..e as usize])
    }
}

const BUILTIN: &str = include_str!("gazetteer.txt");

/// The country a place of the built-in gazetteer (by canonical name) lies in,
/// the country itself for a country; `None` for regions, contested places and
/// anything else. Read from the gazetteer's `IN|` lines alone.
pub fn country_of(canonical: &str) -> Option<&'static str> {
    // Read from those lines by build.rs (`super::tables`).
    super::tables::COUNTRY_OF.get(canonical).copied()
}

/// Ids of gazetteers built at run time; the built-in one is 0.
fn next_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// What went wrong in a user alias file: the line (1-based, when known) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("alias file{}: {reason}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
pub struct AliasError {
    pub line: Option<usize>,
    pub reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasFile {
    #[serde(default)]
    entity: Vec<toml::Spanned<AliasEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasEntry {
    canonical: String,
    kind: String,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    short: Vec<String>,
    #[serde(default)]
    titles: Vec<String>,
}

impl Gazetteer {
    /// The built-in gazetteer (static tables: nothing is built).
    pub fn builtin() -> &'static Gazetteer {
        static G: Gazetteer = Gazetteer {
            id: 0,
            tables: Tables::Builtin,
        };
        &G
    }

    /// The built-in gazetteer plus the entries of a user alias file (format in the module
    /// doc). User spellings take precedence over built-in ones.
    pub fn with_aliases(toml_text: &str) -> Result<Gazetteer, AliasError> {
        let file: AliasFile = toml::from_str(toml_text).map_err(|e| AliasError {
            line: e.span().map(|s| line_of(toml_text, s.start)),
            reason: e.message().trim().replace('\n', " "),
        })?;
        // The built-in tables are static: the built-in lines are keyed again here, into
        // maps the user's spellings go on top of.
        let mut g = Built::builtin();
        for spanned in file.entity {
            let line = Some(line_of(toml_text, spanned.span().start));
            let e = spanned.into_inner();
            let err = |reason: String| AliasError { line, reason };
            let canonical = e.canonical.trim();
            if canonical.is_empty() {
                return Err(err("entity has an empty `canonical`".into()));
            }
            let kind = match e.kind.trim() {
                "person" => EntityKind::Person,
                "place" => EntityKind::Place,
                "organization" | "organisation" => EntityKind::Organization,
                "other" => EntityKind::Other,
                k => {
                    return Err(err(format!(
                        "entity `{canonical}`: unknown kind `{k}` (expected person, place, organization or other)"
                    )));
                }
            };
            if !e.names.iter().any(|n| !name_key(n).is_empty()) {
                return Err(err(format!("entity `{canonical}` has no usable `names`")));
            }
            if let Some(bad) = e
                .short
                .iter()
                .chain(&e.titles)
                .find(|n| name_key(n).is_empty())
            {
                return Err(err(format!(
                    "entity `{canonical}`: empty short form or title `{bad}`"
                )));
            }
            let id = g.entry(canonical, kind);
            let mut kb = KeyBuilder::default();
            for n in &e.names {
                g.add_form(id, n, Form::Name, true, &mut kb);
            }
            for n in &e.short {
                g.add_form(id, n, Form::Short, true, &mut kb);
            }
            for n in &e.titles {
                g.add_form(id, n, Form::Title, true, &mut kb);
            }
        }
        Ok(Gazetteer {
            id: next_id(),
            tables: Tables::Built(Box::new(g)),
        })
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        match &self.tables {
            Tables::Builtin => builtin::KINDS.len(),
            Tables::Built(b) => b.entries.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The canonical name and kind of entity `i`.
    #[inline]
    fn entry(&self, i: u32) -> (&str, EntityKind) {
        match &self.tables {
            Tables::Builtin => builtin::entry(i as usize),
            Tables::Built(b) => {
                let e = &b.entries[i as usize];
                (&e.canonical, e.kind)
            }
        }
    }

    /// The canonical name and kind of the entity one of whose names is `name`.
    pub fn lookup(&self, name: &str) -> Option<(&str, EntityKind)> {
        let m = find_matches(&Tokens::new(name), self);
        match m.as_slice() {
            [one] => Some(self.entry(one.entry)),
            _ => None,
        }
    }
}

impl Built {
    /// The built-in gazetteer, keyed at run time (what build.rs does at build time).
    fn builtin() -> Built {
        let mut g = Built::default();
        // Sized once: grown by doubling, the maps rehashed every key
        // several times (a tenth of the build). Each spelling ends at a `,`
        // or a `|`; each line is at most one entity.
        let bytes = BUILTIN.as_bytes();
        let spellings = memchr::memchr2_iter(b',', b'|', bytes).count();
        let lines = memchr::memchr_iter(b'\n', bytes).count();
        g.exact.reserve(spellings);
        g.phon.reserve(spellings);
        g.skel.reserve(spellings);
        g.first.reserve(spellings);
        g.whole.reserve(2 * spellings);
        g.entries.reserve(lines);
        g.by_canonical.reserve(lines);
        let mut kb = KeyBuilder::default();
        for line in BUILTIN.lines() {
            g.add_line(line, &mut kb);
        }
        g
    }

    /// `kb`: scratch space, reused from form to form.
    fn add_line(&mut self, line: &str, kb: &mut KeyBuilder) {
        let Some((kind, canonical, lists)) = gazetteer_line(line) else {
            return;
        };
        let kind = match kind {
            "P" => EntityKind::Person,
            "L" => EntityKind::Place,
            "O" => EntityKind::Organization,
            _ => EntityKind::Other,
        };
        let id = self.entry(canonical, kind);
        for (form, list) in [Form::Name, Form::Short, Form::Title]
            .into_iter()
            .zip(lists)
        {
            for n in list.split(',') {
                self.add_form(id, n, form, false, kb);
            }
        }
    }

    fn entry(&mut self, canonical: &str, kind: EntityKind) -> u32 {
        if let Some(&id) = self.by_canonical.get(canonical) {
            return id;
        }
        let id = self.entries.len() as u32;
        self.entries.push(Entry {
            canonical: canonical.into(),
            kind,
        });
        self.by_canonical.insert(canonical.into(), id);
        id
    }

    fn add_form(&mut self, entry: u32, name: &str, form: Form, front: bool, kb: &mut KeyBuilder) {
        let Some(s) = spelling(name, form == Form::Short, kb) else {
            return;
        };
        let hit = Hit {
            entry,
            form,
            acronym: s.acronym,
            capital: s.capital,
            tokens: s.tokens,
            last: s.last,
            phon_len: s.phon_len,
        };
        insert_hit(&mut self.exact, &kb.light, hit, front);
        if s.in_phon {
            insert_hit(&mut self.phon, &kb.phon, hit, front);
        }
        let mut firsts = vec![s.first_phon];
        self.whole.insert(kb.phon_h, ());
        self.whole_bits.insert(kb.phon_h);
        if s.in_skel {
            insert_hit(&mut self.skel, &kb.skel, hit, front);
            firsts.push(s.first_skel);
            self.whole.insert(kb.skel_h, ());
            self.whole_bits.insert(kb.skel_h);
        }
        // The keys' hashes are built letter by letter (`mix`), so these are the hashes the
        // matcher holds after each word of a spelling, and after any letter in between.
        for key in [&kb.phon, &kb.skel] {
            let mut h = 0;
            for c in key.chars() {
                h = mix(h, c);
                self.prefix_bits.insert(h);
            }
        }
        // Exact and phonetic matches imply equal phonetic keys, so the first token's phonetic
        // hash is enough for them; the skeleton hash only for spellings in `skel`.
        for k in firsts {
            self.first_bits.insert(k);
            let e = self.first.entry(k).or_insert(0);
            *e = (*e).max(s.tokens);
        }
    }
}

fn insert_hit(map: &mut FxMap<Box<str>, Vec<Hit>>, key: &str, hit: Hit, front: bool) {
    let v = map.entry(key.into()).or_default();
    if v.iter().any(|h| h.entry == hit.entry && h.form == hit.form) {
        return;
    }
    if front {
        v.insert(0, hit);
    } else {
        v.push(hit);
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    let end = byte.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

// ---------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------

/// One entity found in a token stream.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EntMatch {
    /// Token range.
    pub a: usize,
    pub b: usize,
    /// Byte range in the sentence (after any stripped proclitic).
    pub start: usize,
    pub end: usize,
    pub entry: u32,
    pub form: Form,
}

impl EntMatch {
    pub(crate) fn canonical<'g>(&self, g: &'g Gazetteer) -> &'g str {
        g.entry(self.entry).0
    }
    pub(crate) fn kind(&self, g: &Gazetteer) -> EntityKind {
        g.entry(self.entry).1
    }
}

/// Proclitic splits of an Arabic light key: (bytes stripped, letters stripped, prefix ال
/// restored because لل stood for ل+ال).
// Always: called per word by both instances of the matcher (see `first_hashes`).
#[inline(always)]
fn proclitic_splits(k: &str, out: &mut Vec<(usize, usize, bool)>) {
    out.clear();
    out.push((0, 0, false));
    // Counted only for a word starting with a proclitic letter (counting is not free).
    let mut count = None;
    let mut letters = || *count.get_or_insert_with(|| k.chars().count());
    let mut bases = [(0usize, 0usize); 2];
    let mut nb = 1;
    if k.starts_with('و') || k.starts_with('ف') {
        bases[1] = (2, 1);
        nb = 2;
    }
    for &(off, n) in &bases[..nb] {
        let rest = &k[off..];
        if off > 0 && letters() - n >= 3 {
            out.push((off, n, false));
        }
        if rest.starts_with("لل") && letters() - n >= 4 {
            out.push((off + 4, n + 1, true));
        } else if (rest.starts_with('ب') || rest.starts_with('ل') || rest.starts_with('ك'))
            && letters() - n > 3
        {
            out.push((off + 2, n + 1, false));
        }
    }
}

struct Best {
    len: usize,
    hit: Hit,
    exact: bool,
    stripped_letters: usize,
}

fn better(a: &Best, b: &Best) -> bool {
    (
        a.len,
        std::cmp::Reverse(a.hit.form),
        a.exact,
        std::cmp::Reverse(a.stripped_letters),
    ) > (
        b.len,
        std::cmp::Reverse(b.hit.form),
        b.exact,
        std::cmp::Reverse(b.stripped_letters),
    )
}

fn case_ok(t: &Tokens, i: usize, len: usize, hit: &Hit) -> bool {
    if hit.acronym {
        return len == 1 && t.toks[i].flags & F_ALL_UPPER != 0;
    }
    if hit.capital {
        return t.toks[i].flags & F_UPPER_INITIAL != 0;
    }
    true
}

/// Buffers of [`find_matches_into`], kept between sentences (in the memo) so that
/// matching a sentence allocates nothing.
#[derive(Default)]
pub(crate) struct MatchScratch {
    /// The strings of a possible match.
    sb: KeyBuilder,
    splits: Vec<(usize, usize, bool)>,
    /// A first word with ال restored.
    al: String,
    /// Matches before titles are resolved.
    raw: Vec<EntMatch>,
}

/// Entities in `t`, left to right, longest first, titles resolved.
pub(crate) fn find_matches(t: &Tokens, g: &Gazetteer) -> Vec<EntMatch> {
    let mut out = Vec::new();
    find_matches_into(t, g, &mut MatchScratch::default(), &mut out);
    out
}

/// [`find_matches`] into `out` (cleared first), with buffers `s`.
fn find_matches_into(t: &Tokens, g: &Gazetteer, s: &mut MatchScratch, out: &mut Vec<EntMatch>) {
    match &g.tables {
        Tables::Builtin => match_raw(t, &Static, s),
        Tables::Built(b) => match_raw(t, &**b, s),
    }
    resolve_titles(t, g, &s.raw, out);
}

/// The matches of `t` before titles are resolved, into `s.raw`: generic, so that each kind
/// of tables is asked without a dispatch per word.
fn match_raw<L: Lookup>(t: &Tokens, g: &L, s: &mut MatchScratch) {
    let MatchScratch {
        sb,
        splits,
        al: scratch,
        raw,
    } = s;
    raw.clear();
    let n = t.len();
    // Hashes only; the strings are built in `sb` when the hashes allow a match.
    let mut kb = KeyBuilder::default();
    let mut i = 0;
    while i < n {
        let key = t.key(i);
        let tok = t.toks[i];
        if tok.flags & F_ARABIC != 0 {
            proclitic_splits(key, splits);
        } else {
            splits.clear();
            splits.push((0, 0, false));
        }
        let mut best: Option<Best> = None;
        for &(off, letters, restore_al) in splits.iter() {
            let first = if restore_al {
                scratch.clear();
                scratch.push_str("ال");
                scratch.push_str(&key[off..]);
                scratch.as_str()
            } else {
                &key[off..]
            };
            let fk = first_hashes(first);
            if !may_contain(g.first_bits(), fk.phon_h) && !may_contain(g.first_bits(), fk.skel_h) {
                continue;
            }
            let maxt = g.first(fk.phon_h).max(g.first(fk.skel_h));
            let Some(maxt) = maxt else { continue };
            // Hashes first; the strings only where a spelling may end (see `whole`).
            kb.set_first(fk);
            // Tokens `sb` holds the strings of (from `i`), extended rather than rebuilt.
            let mut sb_len = 0;
            for len in 1..=usize::from(maxt) {
                if len > 1 {
                    let j = i + len - 1;
                    if j >= n || t.toks[j].punct & P_BREAK != 0 {
                        break;
                    }
                    kb.push(t.key(j));
                    // No spelling goes on from here, so no longer one can match.
                    if !may_contain(g.prefix_bits(), kb.phon_h)
                        && !may_contain(g.prefix_bits(), kb.skel_h)
                    {
                        break;
                    }
                }
                // An exact or phonetic match implies an equal phonetic key, a skeleton match
                // an equal skeleton: each lookup only when its hash is known.
                let phon_in = may_contain(g.whole_bits(), kb.phon_h) && g.whole(kb.phon_h);
                let skel_in = may_contain(g.whole_bits(), kb.skel_h) && g.whole(kb.skel_h);
                if !phon_in && !skel_in {
                    continue;
                }
                let kb = &mut *sb;
                if sb_len + 1 == len {
                    if len == 1 {
                        kb.clear(true);
                        kb.push(first);
                    } else {
                        kb.push(t.key(i + len - 1));
                    }
                } else {
                    kb.clear(true);
                    kb.push(first);
                    for j in i + 1..i + len {
                        kb.push(t.key(j));
                    }
                }
                sb_len = len;
                let kb = &*kb;
                let last = kb.phon.chars().next_back().unwrap_or('\0');
                let mut consider = |hits: Option<&[Hit]>, exact: bool| {
                    for hit in hits.into_iter().flatten() {
                        if !case_ok(t, i, len, hit) {
                            continue;
                        }
                        if !exact
                            && (usize::from(hit.tokens) != len
                                || hit.last != last
                                || usize::from(hit.phon_len).abs_diff(kb.phon_len) > 1)
                        {
                            continue;
                        }
                        let cand = Best {
                            len,
                            hit: *hit,
                            exact,
                            stripped_letters: if restore_al { 0 } else { letters },
                        };
                        if best.as_ref().is_none_or(|b| better(&cand, b)) {
                            best = Some(cand);
                        }
                        break;
                    }
                };
                if phon_in {
                    consider(g.exact(&kb.light), true);
                    consider(g.phon(&kb.phon), true);
                }
                if skel_in {
                    consider(g.skel(&kb.skel), false);
                }
            }
        }
        match best {
            Some(b) => {
                let start = if b.stripped_letters > 0 {
                    skip_letters(t.src, tok.start, tok.end, b.stripped_letters)
                } else {
                    tok.start
                };
                raw.push(EntMatch {
                    a: i,
                    b: i + b.len,
                    start,
                    end: t.toks[i + b.len - 1].end,
                    entry: b.hit.entry,
                    form: b.hit.form,
                });
                i += b.len;
            }
            None => i += 1,
        }
    }
}

/// Byte offset after `n` letters (marks and tatweel ride along) from `start`.
pub(crate) fn skip_letters(src: &str, start: usize, end: usize, n: usize) -> usize {
    let mut seen = 0;
    for (i, c) in src[start..end].char_indices() {
        if is_removed_mark(c) || is_invisible(c) || canonical_combining_class(c) != 0 {
            continue;
        }
        if seen == n {
            return start + i;
        }
        seen += 1;
    }
    start
}

fn resolve_titles(t: &Tokens, g: &Gazetteer, ms: &[EntMatch], out: &mut Vec<EntMatch>) {
    out.clear();
    let mut k = 0;
    while k < ms.len() {
        let m = ms[k];
        if m.form != Form::Title {
            out.push(m);
            k += 1;
            continue;
        }
        let before_former = m.a > 0 && t.is(m.a - 1, lex::FORMER);
        let after_former = t.is(m.b, lex::FORMER);
        if let Some(next) = ms
            .get(k + 1)
            .filter(|n| n.a == m.b && n.kind(g) == EntityKind::Person)
        {
            if next.entry == m.entry && !before_former {
                out.push(EntMatch {
                    b: next.b,
                    end: next.end,
                    form: Form::Name,
                    ..m
                });
            } else {
                out.push(*next);
            }
            k += 2;
            continue;
        }
        if !before_former && !after_former {
            out.push(m);
        }
        k += 1;
    }
}

/// Named entities in `sentence`, in order, as [`Slot::Entity`] (`text` as written, without
/// a stripped proclitic; `canonical` from the gazetteer).
pub fn find_entities(sentence: &str, gazetteer: &Gazetteer) -> Vec<Slot> {
    with_analysis(sentence, Some(gazetteer), |_, ents| {
        ents.iter()
            .map(|m| Slot::Entity {
                text: sentence.get(m.start..m.end).unwrap_or("").to_string(),
                canonical: m.canonical(gazetteer).to_string(),
                kind: m.kind(gazetteer),
            })
            .collect()
    })
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
