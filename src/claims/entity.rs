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
use std::sync::OnceLock;

use serde::Deserialize;
use unicode_normalization::char::{
    canonical_combining_class, decompose_canonical, decompose_compatible,
};

use super::{EntityKind, Slot};
use crate::text::normalize::{is_invisible, is_removed_mark};

/// Skeletons shorter than this (not counting a leading ال) never match on their own (see
/// the module doc).
pub const SKELETON_MIN: usize = 5;

/// Phonetic keys shorter than this (not counting a leading ال) only match exactly.
pub const PHON_MIN: usize = 5;

/// Length of a key in letters, without a leading article.
fn sans_article(key: &str, len: usize) -> usize {
    if key.starts_with("ال") && len > 2 {
        len - 2
    } else {
        len
    }
}

// ---------------------------------------------------------------------------------------
// Tokens (shared with the quote, attribution and polarity extractors)
// ---------------------------------------------------------------------------------------

/// Punctuation seen between the previous token and this one.
pub(crate) const P_COMMA: u8 = 1; // ، , ؛ ;
pub(crate) const P_COLON: u8 = 2;
pub(crate) const P_STOP: u8 = 4; // . ! ? ؟ followed by space or end
pub(crate) const P_QUOTE: u8 = 8;
pub(crate) const P_PAREN: u8 = 16;
pub(crate) const P_OTHER: u8 = 32; // dashes between spaces, slashes, other symbols
/// Any break that ends a phrase.
pub(crate) const P_BREAK: u8 = P_COMMA | P_COLON | P_STOP | P_QUOTE | P_PAREN | P_OTHER;

/// Token properties.
pub(crate) const F_UPPER_INITIAL: u8 = 1;
pub(crate) const F_ALL_UPPER: u8 = 2;
pub(crate) const F_LATIN: u8 = 4;
/// Contains fathatan (ً): an indefinite accusative, i.e. usually an object or adverb.
pub(crate) const F_TANWEEN: u8 = 8;
pub(crate) const F_ARABIC: u8 = 16;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    /// Byte range in the sentence.
    pub start: usize,
    pub end: usize,
    /// Byte range of the light key in [`Tokens::key`].
    ks: usize,
    ke: usize,
    pub punct: u8,
    pub flags: u8,
    /// Lexicon bits ([`lex`]) of the light key, and of the key without a leading و/ف.
    lex: u32,
    lex0: u32,
}

/// One sentence, tokenised once with a light key per token (see the module doc).
pub(crate) struct Tokens<'a> {
    pub src: &'a str,
    buf: String,
    pub toks: Vec<Tok>,
    /// Punctuation after the last token.
    pub tail_punct: u8,
}

impl<'a> Tokens<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        let mut t = Tokens {
            src,
            buf: String::with_capacity(src.len()),
            toks: Vec::with_capacity(src.len() / 6 + 1),
            tail_punct: 0,
        };
        t.tail_punct = tokenize_into(src, &mut t.buf, &mut t.toks);
        t
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.toks.len()
    }

    /// Light key of token `i`.
    #[inline]
    pub(crate) fn key(&self, i: usize) -> &str {
        let t = &self.toks[i];
        &self.buf[t.ks..t.ke]
    }

    /// Light key of token `i` without a leading و or ف (when something is left).
    #[inline]
    pub(crate) fn key_noconj(&self, i: usize) -> &str {
        strip_conj(self.key(i))
    }

    /// Token `i`'s light key is in one of the lexicons `bits`.
    #[inline]
    pub(crate) fn is(&self, i: usize, bits: u32) -> bool {
        self.toks.get(i).is_some_and(|t| t.lex & bits != 0)
    }

    /// …once a leading و/ف is stripped.
    #[inline]
    pub(crate) fn is0(&self, i: usize, bits: u32) -> bool {
        self.toks.get(i).is_some_and(|t| t.lex0 & bits != 0)
    }

    /// …with or without a leading و/ف.
    #[inline]
    pub(crate) fn any(&self, i: usize, bits: u32) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| (t.lex | t.lex0) & bits != 0)
    }

    /// Display text of tokens `a..b` (original bytes, including what lies between).
    #[inline]
    pub(crate) fn text(&self, a: usize, b: usize) -> &'a str {
        if a >= b || b > self.toks.len() {
            return "";
        }
        self.src
            .get(self.toks[a].start..self.toks[b - 1].end)
            .unwrap_or("")
    }

    /// Index of the first token starting at or after byte `pos`.
    pub(crate) fn index_at(&self, pos: usize) -> usize {
        self.toks.partition_point(|t| t.start < pos)
    }
}

/// Tokenises `src` into `buf` (light keys) and `toks`, both cleared first; returns the
/// punctuation after the last token.
fn tokenize_into(src: &str, buf: &mut String, toks: &mut Vec<Tok>) -> u8 {
    buf.clear();
    toks.clear();
    let mut punct = 0u8;
    let mut cur: Option<Tok> = None;
    let mut prev_alpha = false;
    let bytes = src.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        let i = pos;
        // Hot paths, before decoding a character: a space between words, and a run of
        // plain Arabic letters (their own light key), copied whole, inside a word or
        // starting one (what the general path below does for them).
        if bytes[i] == b' ' {
            if let Some(tok) = cur.take() {
                finish(tok, buf, toks);
            }
            prev_alpha = false;
            pos += 1;
            continue;
        }
        if is_plain_letter(bytes[i], bytes.get(i + 1).copied().unwrap_or(0)) {
            pos = plain_run_end(bytes, i + 2);
            let tok = cur.get_or_insert_with(|| Tok {
                start: i,
                end: i,
                ks: buf.len(),
                ke: 0,
                punct: std::mem::take(&mut punct),
                flags: F_ARABIC,
                lex: 0,
                lex0: 0,
            });
            buf.push_str(&src[i..pos]);
            tok.end = pos;
            prev_alpha = false;
            continue;
        }
        let Some(c) = src[i..].chars().next() else {
            break;
        };
        pos += c.len_utf8();
        if is_word_char(c) {
            let tok = cur.get_or_insert_with(|| {
                let mut flags = 0;
                if !is_arabic_core(c) && c.is_uppercase() {
                    flags |= F_UPPER_INITIAL | F_ALL_UPPER;
                }
                if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) {
                    flags |= F_LATIN;
                } else if ('\u{0600}'..='\u{06FF}').contains(&c) {
                    flags |= F_ARABIC;
                }
                Tok {
                    start: i,
                    end: i,
                    ks: buf.len(),
                    ke: 0,
                    punct: std::mem::take(&mut punct),
                    flags,
                    lex: 0,
                    lex0: 0,
                }
            });
            if !is_arabic_core(c) && c.is_lowercase() {
                tok.flags &= !F_ALL_UPPER;
            }
            if c == '\u{064B}' {
                tok.flags |= F_TANWEEN;
            }
            push_light(c, buf, 0);
            tok.end = i + c.len_utf8();
            prev_alpha = c.is_ascii_alphabetic() || (!c.is_ascii() && !is_arabic_core(c));
            continue;
        }
        let next = src.get(pos..).and_then(|r| r.chars().next());
        // Apostrophes inside Latin words ("didn't", "Putin's") stay in the token.
        if (c == '\'' || c == '’')
            && prev_alpha
            && cur.is_some()
            && next.is_some_and(|n| n.is_ascii_alphabetic())
        {
            buf.push('\'');
            if let Some(tok) = cur.as_mut() {
                tok.end = i + c.len_utf8();
            }
            continue;
        }
        // Joiners and marks that are invisible do not split words (ZWSP does).
        if c != '\u{200B}' && is_invisible(c) {
            continue;
        }
        if let Some(tok) = cur.take() {
            finish(tok, buf, toks);
        }
        prev_alpha = false;
        punct |= match c {
            ' ' => 0,
            '،' | ',' | '؛' | ';' => P_COMMA,
            ':' => P_COLON,
            '.' | '!' | '?' | '؟' | '…' => {
                // A dot inside "U.S." or "أ.ف.ب" does not end a phrase.
                if c == '.' && next.is_some_and(|n| n.is_alphanumeric()) {
                    0
                } else {
                    P_STOP
                }
            }
            '“' | '”' | '«' | '»' | '"' | '„' | '‘' | '‹' | '›' => P_QUOTE,
            '(' | ')' | '[' | ']' | '{' | '}' => P_PAREN,
            // A hyphen between letters joins a name ("Jong-un"); elsewhere it is a dash.
            '-' | '‐' if prev_hyphen_joins(src, i, next) => 0,
            _ if c.is_whitespace() || c == '\u{200B}' => 0,
            _ => P_OTHER,
        };
    }
    if let Some(tok) = cur.take() {
        finish(tok, buf, toks);
    }
    punct
}

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

/// Bits of the closed word lists (lexicons) of the extractors, looked up once per token
/// (`Tok::lex`) instead of once per list and extractor.
pub(crate) mod lex {
    pub const AR_PREP: u32 = 1 << 0;
    pub const AR_VERBS: u32 = 1 << 1;
    pub const EN_VERBS: u32 = 1 << 2;
    pub const AR_STOP: u32 = 1 << 3;
    pub const EN_STOP: u32 = 1 << 4;
    pub const EN_STOP_BACK: u32 = 1 << 5;
    pub const EN_AUX: u32 = 1 << 6;
    pub const PRONOUNS: u32 = 1 << 7;
    pub const DATA_NOUNS: u32 = 1 << 8;
    pub const VAGUE: u32 = 1 << 9;
    pub const AR_FINITE: u32 = 1 << 10;
    pub const AR_DESCRIBE: u32 = 1 << 11;
    pub const AR_PARTICIPLE: u32 = 1 << 12;
    pub const EN_FINITE: u32 = 1 << 13;
    pub const EN_PARTICIPLE: u32 = 1 << 14;
    pub const AR_PLAIN: u32 = 1 << 15;
    pub const LA_IDIOMS: u32 = 1 << 16;
    pub const MA_NOT_NEG: u32 = 1 << 17;
    pub const EN_PLAIN: u32 = 1 << 18;
    pub const FORMER: u32 = 1 << 19;
    pub const AR_CONDITIONAL: u32 = 1 << 20;
}

const FORMER: &[&str] = &["السابق", "السابقه", "الاسبق", "الاسبقه", "former", "ex"];

struct Lexicon {
    words: FxMap<&'static str, u32>,
    /// A 64K-bit filter over [`bloom_slot`]: most tokens are in no lexicon.
    bloom: Box<[u64; 1024]>,
}

#[inline]
pub(crate) fn bloom_slot(k: &[u8]) -> usize {
    let n = k.len();
    if n == 0 {
        return 0;
    }
    let x = (n as u64)
        | u64::from(k[n - 1]) << 8
        | u64::from(k[n / 2]) << 16
        | u64::from(k[0]) << 24
        | u64::from(k[1.min(n - 1)]) << 32;
    (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize
}

fn lexicon() -> &'static Lexicon {
    static L: OnceLock<Lexicon> = OnceLock::new();
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
    let l = lexicon();
    let slot = bloom_slot(w.as_bytes());
    if l.bloom[slot / 64] & (1 << (slot % 64)) == 0 {
        return 0;
    }
    l.words.get(w).copied().unwrap_or(0)
}

/// Light key without a leading و or ف, when at least two letters are left.
#[inline]
fn strip_conj(k: &str) -> &str {
    match k.strip_prefix('و').or_else(|| k.strip_prefix('ف')) {
        Some(r) if r.chars().nth(1).is_some() => r,
        _ => k,
    }
}

/// The two UTF-8 bytes of ء or ا–غ or ف–ي but ة and ى: letters that are their own light key.
#[inline]
pub(crate) fn is_plain_letter(b0: u8, b1: u8) -> bool {
    // One bit per continuation byte (its low six bits) for each lead byte: the tokenisers
    // test every letter, and a shift and a mask are cheaper than the ranges.
    let mask = match b0 {
        0xD8 => PLAIN_D8,
        0xD9 => PLAIN_D9,
        _ => return false,
    };
    b1 & 0xC0 == 0x80 && (mask >> (b1 & 0x3F)) & 1 != 0
}

/// [`is_plain_letter`]'s continuation bytes after 0xD8 (ء U+0621, ا–غ U+0627–U+063A but ة
/// U+0629) and after 0xD9 (ف–ي U+0641–U+064A but ى U+0649).
const PLAIN_D8: u64 = (1 << 0x21) | (((1 << 0x3B) - (1 << 0x27)) & !(1 << 0x29));
const PLAIN_D9: u64 = ((1 << 0x0B) - (1 << 0x01)) & !(1 << 0x09);

/// The end of the run of plain letters (see [`is_plain_letter`]) that goes
/// on at byte `from` of `bytes`.
pub(crate) fn plain_run_end(bytes: &[u8], mut from: usize) -> usize {
    while from + 1 < bytes.len() && is_plain_letter(bytes[from], bytes[from + 1]) {
        from += 2;
    }
    from
}

/// Closes token `tok` at the end of `buf` and pushes it.
#[inline]
fn finish(mut tok: Tok, buf: &str, toks: &mut Vec<Tok>) {
    tok.ke = buf.len();
    let k = &buf[tok.ks..tok.ke];
    tok.lex = lex_of(k);
    let k0 = strip_conj(k);
    tok.lex0 = if k0.len() == k.len() {
        tok.lex
    } else {
        lex_of(k0)
    };
    toks.push(tok);
}

#[inline]
fn prev_hyphen_joins(src: &str, i: usize, next: Option<char>) -> bool {
    let prev = src[..i].chars().next_back();
    prev.is_some_and(|p| p.is_alphanumeric()) && next.is_some_and(|n| n.is_alphanumeric())
}

#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // Arabic letters, marks and digits first: the Unicode tables are slow for them.
    if is_arabic_core(c) {
        return true;
    }
    // Common punctuation of Arabic text, answered without the (slower still) tables.
    if is_common_punct(c) {
        return false;
    }
    c.is_alphanumeric() || is_removed_mark(c) || canonical_combining_class(c) != 0
}

/// Punctuation frequent in Arabic news (، ؛ ؟ and quotes, dashes): no letter, digit or mark.
#[inline]
pub(crate) fn is_common_punct(c: char) -> bool {
    matches!(
        c,
        '\u{060C}'
            | '\u{061B}'
            | '\u{061F}'
            | '“'
            | '”'
            | '«'
            | '»'
            | '‘'
            | '’'
            | '–'
            | '—'
            | '…'
    )
}

/// ء–ي, tatweel, harakat and Arabic-Indic digits (U+0621–U+0669): caseless word characters.
#[inline]
fn is_arabic_core(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{0669}')
}

/// Appends the light key of `c` (the `match_key` folding, marks dropped, Latin lowercased
/// without accents).
#[inline]
fn push_light(c: char, out: &mut String, depth: u8) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    match c {
        '\u{0623}' | '\u{0625}' | '\u{0622}' | '\u{0671}' => out.push('ا'),
        '\u{0649}' | '\u{06CC}' | '\u{0626}' => out.push('ي'),
        '\u{0629}' => out.push('ه'),
        '\u{0624}' => out.push('و'),
        '\u{06A9}' => out.push('ك'),
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => out.push(c),
        '\u{0660}'..='\u{0669}' => out.push(char::from(b'0' + (c as u32 - 0x0660) as u8)),
        '\u{06F0}'..='\u{06F9}' => out.push(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
        _ if is_removed_mark(c) || is_invisible(c) => {}
        '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}' if depth == 0 => {
            decompose_compatible(c, |d| push_light(d, out, 1));
        }
        _ if canonical_combining_class(c) != 0 => {}
        _ => decompose_canonical(c, |d| {
            if canonical_combining_class(d) == 0 {
                for l in d.to_lowercase() {
                    out.push(l);
                }
            }
        }),
    }
}

// ---------------------------------------------------------------------------------------
// Name keys
// ---------------------------------------------------------------------------------------

/// The §6 phonetic class of a light-key character; `None` drops it.
#[inline]
fn phon(c: char) -> Option<char> {
    let u = c as u32;
    if (0x0621..=0x064A).contains(&u) {
        let p = PHON_BASIC[(u - 0x0621) as usize];
        return (p != '\0').then_some(p);
    }
    phon_slow(c)
}

const fn phon_slow(c: char) -> Option<char> {
    Some(match c {
        'ء' | '\'' => return None,
        'ج' | 'غ' | 'ق' | 'ك' | 'گ' | 'ڨ' | 'ڭ' | 'ݣ' | 'چ' => 'G',
        'ڤ' | 'ڥ' => 'ف',
        'پ' => 'ب',
        'ژ' | 'ظ' | 'ذ' => 'ز',
        'ط' => 'ت',
        'ص' => 'س',
        'ض' => 'د',
        'ح' => 'ه',
        _ => c,
    })
}

/// [`phon_slow`] for ء–ي as a table (`'\0'` = dropped): names are mostly these letters.
/// A `static`: indexing a `const` array may copy it at every use.
static PHON_BASIC: [char; 42] = {
    let mut t = ['\0'; 42];
    let mut i = 0;
    while i < 42 {
        if let Some(c) = char::from_u32(0x0621 + i as u32)
            && let Some(p) = phon_slow(c)
        {
            t[i] = p;
        }
        i += 1;
    }
    t
};

/// A Latin light key without a possessive `'s` (unless nothing would be left).
#[inline]
fn strip_possessive(light: &str) -> &str {
    light
        .strip_suffix("'s")
        .filter(|r| !r.is_empty())
        .unwrap_or(light)
}

/// Builds the phonetic key and the skeleton of a name token by token.
#[derive(Default)]
struct KeyBuilder {
    /// The light keys themselves, concatenated.
    light: String,
    phon: String,
    skel: String,
    skel_len: usize,
    phon_len: usize,
    last: Option<char>,
    /// Hashes of `phon` and `skel`, kept even when the strings are not built.
    phon_h: u64,
    skel_h: u64,
    /// Build the strings too (the hashes alone serve as a cheap pre-filter).
    strings: bool,
}

#[inline]
fn mix(h: u64, c: char) -> u64 {
    (h.rotate_left(5) ^ u64::from(c)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

impl KeyBuilder {
    fn clear(&mut self, strings: bool) {
        self.light.clear();
        self.phon.clear();
        self.skel.clear();
        self.skel_len = 0;
        self.phon_len = 0;
        self.last = None;
        self.phon_h = 0;
        self.skel_h = 0;
        self.strings = strings;
    }

    /// Appends one token's light key; Latin keys lose a possessive `'s`.
    fn push(&mut self, light: &str) {
        let light = strip_possessive(light);
        if self.strings {
            self.light.push_str(light);
        }
        for c in light.chars() {
            let Some(p) = phon(c) else { continue };
            self.phon_h = mix(self.phon_h, p);
            if self.strings {
                self.phon.push(p);
            }
            self.phon_len += 1;
            // Long vowels go, except as the first letter of the whole name.
            if matches!(p, 'ا' | 'و' | 'ي') && self.phon_len > 1 {
                continue;
            }
            if self.last == Some(p) {
                continue;
            }
            self.last = Some(p);
            self.skel_h = mix(self.skel_h, p);
            if self.strings {
                self.skel.push(p);
            }
            self.skel_len += 1;
        }
    }
}

/// What [`KeyBuilder::push`] leaves after one light key on a cleared builder, without
/// the strings: the pre-filter of [`find_matches`] runs on every word and needs none, and
/// a word that passes it goes on from this state ([`KeyBuilder::set_first`]).
#[derive(Clone, Copy, PartialEq, Debug)]
struct FirstKey {
    phon_h: u64,
    skel_h: u64,
    phon_len: usize,
    skel_len: usize,
    last: Option<char>,
}

#[inline]
fn first_hashes(light: &str) -> FirstKey {
    let light = strip_possessive(light);
    let (mut phon_h, mut skel_h, mut phon_len, mut skel_len, mut last) =
        (0u64, 0u64, 0usize, 0usize, None);
    for c in light.chars() {
        let Some(p) = phon(c) else { continue };
        phon_h = mix(phon_h, p);
        phon_len += 1;
        if matches!(p, 'ا' | 'و' | 'ي') && phon_len > 1 {
            continue;
        }
        if last == Some(p) {
            continue;
        }
        last = Some(p);
        skel_h = mix(skel_h, p);
        skel_len += 1;
    }
    FirstKey {
        phon_h,
        skel_h,
        phon_len,
        skel_len,
        last,
    }
}

impl KeyBuilder {
    /// A cleared builder without strings that has been given one light key of hashes `f`.
    fn set_first(&mut self, f: FirstKey) {
        self.clear(false);
        self.phon_h = f.phon_h;
        self.skel_h = f.skel_h;
        self.phon_len = f.phon_len;
        self.skel_len = f.skel_len;
        self.last = f.last;
    }
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

#[derive(Debug, Clone, Copy)]
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

#[derive(Debug, Clone)]
struct Entry {
    canonical: Box<str>,
    kind: EntityKind,
}

/// Places, people and organisations with their spellings. See the module doc.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    /// Identifies the content (a gazetteer never changes once built) for the memo.
    id: u64,
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

/// Bits in a [`HashBits`] filter, as a power of two (16 KB: a few per cent false
/// positives for the built-in gazetteer's hashes).
const HASH_BITS_LOG: u32 = 17;

/// A one-hash bit filter over 64-bit hashes (the top bits index it): a clear bit means the
/// hash was never inserted.
#[derive(Debug, Clone)]
struct HashBits(Box<[u64; 1 << (HASH_BITS_LOG - 6)]>);

impl Default for HashBits {
    fn default() -> Self {
        HashBits(Box::new([0; 1 << (HASH_BITS_LOG - 6)]))
    }
}

impl HashBits {
    #[inline]
    fn slot(h: u64) -> (usize, u64) {
        let i = (h >> (64 - HASH_BITS_LOG)) as usize;
        (i >> 6, 1u64 << (i & 63))
    }

    fn insert(&mut self, h: u64) {
        let (w, b) = Self::slot(h);
        self.0[w] |= b;
    }

    #[inline]
    fn may_contain(&self, h: u64) -> bool {
        let (w, b) = Self::slot(h);
        self.0[w] & b != 0
    }
}

const BUILTIN: &str = include_str!("gazetteer.txt");

/// The country a place of the built-in gazetteer (by canonical name) lies in,
/// the country itself for a country; `None` for regions, contested places and
/// anything else. Read from the gazetteer's `IN|` lines alone, so asking does
/// not build the whole gazetteer.
pub fn country_of(canonical: &str) -> Option<&'static str> {
    // Read from those lines by build.rs (`super::tables`).
    super::tables::COUNTRY_OF.get(canonical).copied()
}

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
    /// The built-in gazetteer, built on first use.
    pub fn builtin() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| {
            let mut g = Gazetteer {
                id: next_id(),
                ..Gazetteer::default()
            };
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
        })
    }

    /// The built-in gazetteer plus the entries of a user alias file (format in the module
    /// doc). User spellings take precedence over built-in ones.
    pub fn with_aliases(toml_text: &str) -> Result<Gazetteer, AliasError> {
        let file: AliasFile = toml::from_str(toml_text).map_err(|e| AliasError {
            line: e.span().map(|s| line_of(toml_text, s.start)),
            reason: e.message().trim().replace('\n', " "),
        })?;
        let mut g = Gazetteer::builtin().clone();
        g.id = next_id();
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
        Ok(g)
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The canonical name and kind of the entity one of whose names is `name`.
    pub fn lookup(&self, name: &str) -> Option<(&str, EntityKind)> {
        let m = find_matches(&Tokens::new(name), self);
        match m.as_slice() {
            [one] => {
                let e = &self.entries[one.entry as usize];
                Some((&e.canonical, e.kind))
            }
            _ => None,
        }
    }

    /// `kb`: scratch space, reused from form to form.
    fn add_line(&mut self, line: &str, kb: &mut KeyBuilder) {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return;
        }
        // `IN|` lines are read by [`country_of`].
        if line.starts_with("IN|") {
            return;
        }
        let mut f = line.split('|');
        let kind = match f.next() {
            Some("P") => EntityKind::Person,
            Some("L") => EntityKind::Place,
            Some("O") => EntityKind::Organization,
            _ => EntityKind::Other,
        };
        let Some(canonical) = f.next().map(str::trim).filter(|c| !c.is_empty()) else {
            return;
        };
        let id = self.entry(canonical, kind);
        for form in [Form::Name, Form::Short, Form::Title] {
            for n in f.next().unwrap_or("").split(',') {
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
        let t = Tokens::new(name);
        let n = t.len();
        if n == 0 {
            return;
        }
        let latin = t.toks.iter().all(|k| k.flags & F_LATIN != 0);
        let letters = || t.text(0, n).chars().filter(|c| c.is_alphabetic()).count();
        let acronym =
            latin && n == 1 && t.toks[0].flags & F_ALL_UPPER != 0 && (2..=6).contains(&letters());
        let hit = Hit {
            entry,
            form,
            acronym,
            capital: latin && n == 1 && !acronym,
            tokens: 0,
            last: '\0',
            phon_len: 0,
        };
        kb.clear(true);
        kb.push(t.key(0));
        let n8 = n.min(usize::from(u8::MAX)) as u8;
        let (first_phon, first_skel) = (kb.phon_h, kb.skel_h);
        for i in 1..n {
            kb.push(t.key(i));
        }
        let hit = Hit {
            tokens: n8,
            last: kb.phon.chars().next_back().unwrap_or('\0'),
            phon_len: kb.phon_len.min(255) as u8,
            ..hit
        };
        insert_hit(&mut self.exact, &kb.light, hit, front);
        // Letter-class folding makes short words collide (`إجراء` and `أكرا`, `قيم` and
        // `كيم`): short spellings match exactly; the article does not count.
        if !latin && sans_article(&kb.phon, kb.phon_len) >= PHON_MIN {
            insert_hit(&mut self.phon, &kb.phon, hit, front);
        }
        let mut firsts = vec![first_phon];
        self.whole.insert(kb.phon_h, ());
        self.whole_bits.insert(kb.phon_h);
        if form != Form::Short && !latin && sans_article(&kb.skel, kb.skel_len) >= SKELETON_MIN {
            insert_hit(&mut self.skel, &kb.skel, hit, front);
            firsts.push(first_skel);
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
            *e = (*e).max(n8);
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
        &g.entries[self.entry as usize].canonical
    }
    pub(crate) fn kind(&self, g: &Gazetteer) -> EntityKind {
        g.entries[self.entry as usize].kind
    }
}

/// Proclitic splits of an Arabic light key: (bytes stripped, letters stripped, prefix ال
/// restored because لل stood for ل+ال).
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
            if !g.first_bits.may_contain(fk.phon_h) && !g.first_bits.may_contain(fk.skel_h) {
                continue;
            }
            let maxt = g
                .first
                .get(&fk.phon_h)
                .copied()
                .max(g.first.get(&fk.skel_h).copied());
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
                    if !g.prefix_bits.may_contain(kb.phon_h)
                        && !g.prefix_bits.may_contain(kb.skel_h)
                    {
                        break;
                    }
                }
                // An exact or phonetic match implies an equal phonetic key, a skeleton match
                // an equal skeleton: each lookup only when its hash is known.
                let phon_in =
                    g.whole_bits.may_contain(kb.phon_h) && g.whole.contains_key(&kb.phon_h);
                let skel_in =
                    g.whole_bits.may_contain(kb.skel_h) && g.whole.contains_key(&kb.skel_h);
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
                let mut consider = |hits: Option<&Vec<Hit>>, exact: bool| {
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
                    consider(g.exact.get(kb.light.as_str()), true);
                    consider(g.phon.get(kb.phon.as_str()), true);
                }
                if skel_in {
                    consider(g.skel.get(kb.skel.as_str()), false);
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
    resolve_titles(t, g, raw, out);
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
                assert!(g.by_canonical.contains_key(name), "unknown place {name}");
            }
        }
        // The IN lines add no spellings: Cairo is still only Cairo.
        assert_eq!(g.lookup("القاهرة"), Some(("Cairo", EntityKind::Place)));
        assert_eq!(g.lookup("مصر"), Some(("Egypt", EntityKind::Place)));
    }
}
