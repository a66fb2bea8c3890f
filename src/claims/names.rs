//! Tokens and name keys: the sentence tokeniser (light keys per token) and the phonetic
//! key and skeleton of names (see `entity`'s module doc), apart from the gazetteer so that
//! build.rs can include this file and key the built-in gazetteer at build time with the
//! very code that keys sentences at run time.
//!
//! What this file uses of the crate, build.rs provides at the same paths:
//! `crate::text::normalize` (the file itself) and `super::entity::lex_of` (a stand-in:
//! names need no lexicon bits).

use unicode_normalization::char::{
    canonical_combining_class, decompose_canonical, decompose_compatible,
};

use super::entity::lex_of;
use crate::text::normalize::{is_invisible, is_removed_mark};

/// Skeletons shorter than this (not counting a leading ال) never match on their own (see
/// the module doc).
pub const SKELETON_MIN: usize = 5;

/// Phonetic keys shorter than this (not counting a leading ال) only match exactly.
pub const PHON_MIN: usize = 5;

/// Length of a key in letters, without a leading article.
pub(crate) fn sans_article(key: &str, len: usize) -> usize {
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
    pub(crate) ks: usize,
    pub(crate) ke: usize,
    pub punct: u8,
    pub flags: u8,
    /// Lexicon bits ([`lex`]) of the light key, and of the key without a leading و/ف.
    pub(crate) lex: u32,
    pub(crate) lex0: u32,
}

/// One sentence, tokenised once with a light key per token (see the module doc).
pub(crate) struct Tokens<'a> {
    pub src: &'a str,
    pub(crate) buf: String,
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
pub(crate) fn tokenize_into(src: &str, buf: &mut String, toks: &mut Vec<Tok>) -> u8 {
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

/// Light key without a leading و or ف, when at least two letters are left.
#[inline]
pub(crate) fn strip_conj(k: &str) -> &str {
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
pub(crate) fn finish(mut tok: Tok, buf: &str, toks: &mut Vec<Tok>) {
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
pub(crate) fn prev_hyphen_joins(src: &str, i: usize, next: Option<char>) -> bool {
    let prev = src[..i].chars().next_back();
    prev.is_some_and(|p| p.is_alphanumeric()) && next.is_some_and(|n| n.is_alphanumeric())
}

#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
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
pub(crate) fn is_arabic_core(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{0669}')
}

/// Appends the light key of `c` (the `match_key` folding, marks dropped, Latin lowercased
/// without accents).
#[inline]
pub(crate) fn push_light(c: char, out: &mut String, depth: u8) {
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
pub(crate) fn phon(c: char) -> Option<char> {
    let u = c as u32;
    if (0x0621..=0x064A).contains(&u) {
        let p = PHON_BASIC[(u - 0x0621) as usize];
        return (p != '\0').then_some(p);
    }
    phon_slow(c)
}

pub(crate) const fn phon_slow(c: char) -> Option<char> {
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
pub(crate) fn strip_possessive(light: &str) -> &str {
    light
        .strip_suffix("'s")
        .filter(|r| !r.is_empty())
        .unwrap_or(light)
}

/// Builds the phonetic key and the skeleton of a name token by token.
#[derive(Default)]
pub(crate) struct KeyBuilder {
    /// The light keys themselves, concatenated.
    pub(crate) light: String,
    pub(crate) phon: String,
    pub(crate) skel: String,
    pub(crate) skel_len: usize,
    pub(crate) phon_len: usize,
    pub(crate) last: Option<char>,
    /// Hashes of `phon` and `skel`, kept even when the strings are not built.
    pub(crate) phon_h: u64,
    pub(crate) skel_h: u64,
    /// Build the strings too (the hashes alone serve as a cheap pre-filter).
    pub(crate) strings: bool,
}

#[inline]
pub(crate) fn mix(h: u64, c: char) -> u64 {
    (h.rotate_left(5) ^ u64::from(c)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

impl KeyBuilder {
    pub(crate) fn clear(&mut self, strings: bool) {
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
    pub(crate) fn push(&mut self, light: &str) {
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
pub(crate) struct FirstKey {
    pub(crate) phon_h: u64,
    pub(crate) skel_h: u64,
    pub(crate) phon_len: usize,
    pub(crate) skel_len: usize,
    pub(crate) last: Option<char>,
}

// Always: two instances of the matcher (built-in and run-time tables) call it per word.
#[inline(always)]
pub(crate) fn first_hashes(light: &str) -> FirstKey {
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
    pub(crate) fn set_first(&mut self, f: FirstKey) {
        self.clear(false);
        self.phon_h = f.phon_h;
        self.skel_h = f.skel_h;
        self.phon_len = f.phon_len;
        self.skel_len = f.skel_len;
        self.last = f.last;
    }
}

// ---------------------------------------------------------------------------------------
// Gazetteer spellings
// ---------------------------------------------------------------------------------------

/// One entity line of the gazetteer (`KIND|Canonical|names|short forms|titles`): its kind
/// letter, canonical name and three comma-separated lists; `None` for blank lines,
/// comments and `IN|` lines (read by `entity::country_of`) and lines without a canonical.
pub(crate) fn gazetteer_line(line: &str) -> Option<(&str, &str, [&str; 3])> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') || line.starts_with("IN|") {
        return None;
    }
    let mut f = line.split('|');
    let kind = f.next().unwrap_or("");
    let canonical = f.next().map(str::trim).filter(|c| !c.is_empty())?;
    let lists = [(); 3].map(|()| f.next().unwrap_or(""));
    Some((kind, canonical, lists))
}

/// What the gazetteer keeps of one spelling besides its keys, which are left in `kb`
/// (`light`, `phon`, `skel` and their hashes).
pub(crate) struct Spelling {
    pub(crate) tokens: u8,
    /// Latin acronym (must be written in capitals) or one Latin word (capitalised).
    pub(crate) acronym: bool,
    pub(crate) capital: bool,
    /// The last phonetic letter and the phonetic length (capped at 255).
    pub(crate) last: char,
    pub(crate) phon_len: u8,
    /// Hashes of the first token's phonetic key and skeleton.
    pub(crate) first_phon: u64,
    pub(crate) first_skel: u64,
    /// Matched by phonetic key / by skeleton too (long enough, not Latin, and for the
    /// skeleton not a short form).
    pub(crate) in_phon: bool,
    pub(crate) in_skel: bool,
}

/// Keys `name` into `kb`; `None` when it has no token.
pub(crate) fn spelling(name: &str, short: bool, kb: &mut KeyBuilder) -> Option<Spelling> {
    let t = Tokens::new(name);
    let n = t.len();
    if n == 0 {
        return None;
    }
    let latin = t.toks.iter().all(|k| k.flags & F_LATIN != 0);
    let letters = || t.text(0, n).chars().filter(|c| c.is_alphabetic()).count();
    let acronym =
        latin && n == 1 && t.toks[0].flags & F_ALL_UPPER != 0 && (2..=6).contains(&letters());
    kb.clear(true);
    kb.push(t.key(0));
    let (first_phon, first_skel) = (kb.phon_h, kb.skel_h);
    for i in 1..n {
        kb.push(t.key(i));
    }
    // Letter-class folding makes short words collide (`إجراء` and `أكرا`, `قيم` and
    // `كيم`): short spellings match exactly; the article does not count.
    let in_phon = !latin && sans_article(&kb.phon, kb.phon_len) >= PHON_MIN;
    let in_skel = !short && !latin && sans_article(&kb.skel, kb.skel_len) >= SKELETON_MIN;
    Some(Spelling {
        tokens: n.min(usize::from(u8::MAX)) as u8,
        acronym,
        capital: latin && n == 1 && !acronym,
        last: kb.phon.chars().next_back().unwrap_or('\0'),
        phon_len: kb.phon_len.min(255) as u8,
        first_phon,
        first_skel,
        in_phon,
        in_skel,
    })
}

/// Bits in a gazetteer's hash filters, as a power of two (16 KB: a few per cent false
/// positives for the built-in gazetteer's hashes).
pub(crate) const HASH_BITS_LOG: u32 = 17;

/// Words of a hash filter.
pub(crate) const HASH_WORDS: usize = 1 << (HASH_BITS_LOG - 6);

/// A one-hash bit filter over 64-bit hashes.
pub(crate) type Bits = [u64; HASH_WORDS];

/// The word and bit of hash `h` in a filter (its top bits index it).
#[inline]
pub(crate) fn hash_bit(h: u64) -> (usize, u64) {
    let i = (h >> (64 - HASH_BITS_LOG)) as usize;
    (i >> 6, 1u64 << (i & 63))
}

// ---------------------------------------------------------------------------------------
// Lexicons
// ---------------------------------------------------------------------------------------

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

/// The lists of [`lex`]: source file (under src/claims), list, bit. build.rs reads them
/// from those files (see `entity::builtin::LEXICON`); `entity::tests` checks the table
/// against the constants themselves.
#[allow(dead_code)] // Read by build.rs only.
pub(crate) const LEXICON_LISTS: &[(&str, &str, u32)] = &[
    ("attribution.rs", "AR_PREP", lex::AR_PREP),
    ("attribution.rs", "AR_VERBS", lex::AR_VERBS),
    ("attribution.rs", "EN_VERBS", lex::EN_VERBS),
    ("attribution.rs", "AR_STOP", lex::AR_STOP),
    ("attribution.rs", "EN_STOP", lex::EN_STOP),
    ("attribution.rs", "EN_STOP_BACK", lex::EN_STOP_BACK),
    ("attribution.rs", "EN_AUX", lex::EN_AUX),
    ("attribution.rs", "PRONOUNS", lex::PRONOUNS),
    ("attribution.rs", "DATA_NOUNS", lex::DATA_NOUNS),
    ("attribution.rs", "VAGUE", lex::VAGUE),
    ("quote.rs", "AR_FINITE", lex::AR_FINITE),
    ("quote.rs", "AR_DESCRIBE", lex::AR_DESCRIBE),
    ("quote.rs", "AR_PARTICIPLE", lex::AR_PARTICIPLE),
    ("quote.rs", "EN_FINITE", lex::EN_FINITE),
    ("quote.rs", "EN_PARTICIPLE", lex::EN_PARTICIPLE),
    ("polarity.rs", "AR_PLAIN", lex::AR_PLAIN),
    ("polarity.rs", "LA_IDIOMS", lex::LA_IDIOMS),
    ("polarity.rs", "LA_ADJECTIVAL", lex::LA_IDIOMS),
    ("polarity.rs", "MA_NOT_NEG", lex::MA_NOT_NEG),
    ("polarity.rs", "EN_PLAIN", lex::EN_PLAIN),
    ("polarity.rs", "AR_CONDITIONAL", lex::AR_CONDITIONAL),
    ("entity/mod.rs", "FORMER", lex::FORMER),
];

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
