//! Tokens of a sentence: byte spans into the input, each with a folded lookup key,
//! built in one pass (shared with `date`); and the small fast maps the lexicons use.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::claims::entity::{bloom_slot, is_common_punct, is_plain_letter, plain_run_end};
use crate::text::normalize::{fold_letter, is_invisible, is_removed_mark};

pub(crate) use super::fold::fold_word;
use super::fold::{digit_value, is_arabic_script};

/// Small fast hash for short keys: lexicon lookups dominate the extractors' run time.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 =
                (self.0.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FxMap<V> = HashMap<String, V, BuildHasherDefault<Fx>>;

/// A 64K-bit filter over the keys of a lexicon (the entity lexicon's [`bloom_slot`]):
/// most words are in no lexicon, and a bit test says so before a hash lookup. Each is laid
/// out by build.rs, with the lexicon it filters.
pub(crate) struct KeyFilter(pub(crate) &'static [u64; 1024]);

impl KeyFilter {
    /// A filter over `keys`, as build.rs sets its bits: for the tests that check them.
    /// Its bits live as long as the process.
    #[cfg(test)]
    pub(crate) fn new<'a>(keys: impl Iterator<Item = &'a str>) -> KeyFilter {
        let mut bits = Box::new([0u64; 1024]);
        for k in keys {
            let slot = bloom_slot(k.as_bytes());
            bits[slot / 64] |= 1 << (slot % 64);
        }
        KeyFilter(Box::leak(bits))
    }

    /// False only when `k` is no key.
    #[inline]
    pub(crate) fn may_contain(&self, k: &str) -> bool {
        self.may_contain_bytes(k.as_bytes())
    }

    /// [`KeyFilter::may_contain`] of a key's UTF-8 bytes.
    #[inline]
    pub(crate) fn may_contain_bytes(&self, k: &[u8]) -> bool {
        let slot = bloom_slot(k);
        self.0[slot / 64] & (1 << (slot % 64)) != 0
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum TK {
    Word,
    Num,
    Punct,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok {
    /// Byte span in the input (trailing diacritics included).
    pub s: usize,
    pub e: usize,
    k0: u32,
    k1: u32,
    pub kind: TK,
    /// Whitespace between the previous token and this one.
    pub gap: bool,
    /// A word not in Arabic script.
    pub latin: bool,
    /// First letter upper case (English proper names / month names).
    pub cap: bool,
}

pub(crate) struct Toks<'a> {
    pub src: &'a str,
    keys: String,
    pub v: Vec<Tok>,
}

impl<'a> Toks<'a> {
    #[inline]
    pub fn key(&self, i: usize) -> &str {
        match self.v.get(i) {
            Some(t) => self.keys.get(t.k0 as usize..t.k1 as usize).unwrap_or(""),
            None => "",
        }
    }
    #[inline]
    pub fn kind(&self, i: usize) -> Option<TK> {
        self.v.get(i).map(|t| t.kind)
    }
    #[inline]
    pub fn is_punct(&self, i: usize, p: &str) -> bool {
        self.kind(i) == Some(TK::Punct) && self.key(i) == p
    }
    #[inline]
    pub fn is_word(&self, i: usize, w: &str) -> bool {
        self.kind(i) == Some(TK::Word) && self.key(i) == w
    }
    /// Token `i` exists and touches the previous one (no whitespace between).
    #[inline]
    pub fn glued(&self, i: usize) -> bool {
        self.v.get(i).is_some_and(|t| !t.gap)
    }
    /// Input text of tokens `a..b`.
    pub fn text(&self, a: usize, b: usize) -> &'a str {
        if a >= b || b > self.v.len() {
            return "";
        }
        self.src.get(self.v[a].s..self.v[b - 1].e).unwrap_or("")
    }
    pub fn len(&self) -> usize {
        self.v.len()
    }
}

/// `char::is_alphabetic` with the Arabic and ASCII letters answered without the table.
#[inline]
fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0671}'..='\u{06D3}')
        || (!c.is_ascii() && !is_common_punct(c) && c.is_alphabetic())
}

/// Splits a sentence into words (one script each), digit runs and single punctuation
/// characters. Diacritics, tatweel and invisible marks are skipped inside tokens.
pub(crate) fn tokenize(src: &str) -> Toks<'_> {
    struct Open {
        s: usize,
        e: usize,
        k0: usize,
        kind: TK,
        arabic: bool,
        gap: bool,
        cap: bool,
    }
    let bytes = src.as_bytes();
    // Pushed as chars: a byte buffer would need a UTF-8 check at the end, a visible
    // share of the run time.
    let mut keys = String::with_capacity(src.len());
    let mut v: Vec<Tok> = Vec::with_capacity(src.len() / 6 + 1);
    let mut cur: Option<Open> = None;
    let mut gap = false;
    let close = |cur: &mut Option<Open>, v: &mut Vec<Tok>, klen: usize| {
        if let Some(o) = cur.take() {
            v.push(Tok {
                s: o.s,
                e: o.e,
                k0: o.k0 as u32,
                k1: klen as u32,
                kind: o.kind,
                gap: o.gap,
                latin: o.kind == TK::Word && !o.arabic,
                cap: o.cap,
            });
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let b0 = bytes[i];
        // Hot path, bytewise: two-byte Arabic letters inside an Arabic word, and marks.
        if (b0 == 0xD8 || b0 == 0xD9) && i + 1 < bytes.len() {
            let cp = ((u32::from(b0) & 0x1F) << 6) | (u32::from(bytes[i + 1]) & 0x3F);
            if let Some(o) = cur.as_mut() {
                // A run of letters that fold to themselves, copied whole.
                if o.kind == TK::Word && o.arabic && is_plain_letter(b0, bytes[i + 1]) {
                    let j = plain_run_end(bytes, i + 2);
                    keys.push_str(&src[i..j]);
                    o.e = j;
                    i = j;
                    continue;
                }
                if o.kind == TK::Word && o.arabic && matches!(cp, 0x621..=0x63A | 0x641..=0x64A) {
                    keys.push(fold_letter(char::from_u32(cp).unwrap_or('\u{0627}')));
                    o.e = i + 2;
                    i += 2;
                    continue;
                }
                if matches!(cp, 0x640 | 0x64B..=0x65F) {
                    o.e = i + 2;
                    i += 2;
                    continue;
                }
            }
            // An Arabic letter starting a word: what the general path below does for it.
            // Most words start with a letter that folds to itself: the run it starts is
            // then copied whole at once, as the path above would from the next letter.
            if !matches!(&cur, Some(o) if o.kind == TK::Word && o.arabic)
                && matches!(cp, 0x621..=0x63A | 0x641..=0x64A)
            {
                close(&mut cur, &mut v, keys.len());
                let plain = is_plain_letter(b0, bytes[i + 1]);
                let j = if plain {
                    plain_run_end(bytes, i + 2)
                } else {
                    i + 2
                };
                cur = Some(Open {
                    s: i,
                    e: j,
                    k0: keys.len(),
                    kind: TK::Word,
                    arabic: true,
                    gap,
                    cap: false,
                });
                gap = false;
                if plain {
                    keys.push_str(&src[i..j]);
                } else {
                    keys.push(fold_letter(char::from_u32(cp).unwrap_or('\u{0627}')));
                }
                i = j;
                continue;
            }
        }
        if b0 == b' ' {
            close(&mut cur, &mut v, keys.len());
            gap = true;
            i += 1;
            continue;
        }
        let Some(c) = src.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        let end = i + c.len_utf8();
        i = end;
        if c.is_whitespace() {
            close(&mut cur, &mut v, keys.len());
            gap = true;
            continue;
        }
        if is_removed_mark(c) || is_invisible(c) {
            if let Some(o) = cur.as_mut() {
                o.e = end;
            }
            continue;
        }
        let start = end - c.len_utf8();
        if let Some(d) = digit_value(c) {
            if !matches!(&cur, Some(o) if o.kind == TK::Num) {
                close(&mut cur, &mut v, keys.len());
                cur = Some(Open {
                    s: start,
                    e: end,
                    k0: keys.len(),
                    kind: TK::Num,
                    arabic: false,
                    gap,
                    cap: false,
                });
                gap = false;
            }
            keys.push(char::from(b'0' + d));
            if let Some(o) = cur.as_mut() {
                o.e = end;
            }
            continue;
        }
        if is_letter(c) {
            let arabic = is_arabic_script(c);
            if !matches!(&cur, Some(o) if o.kind == TK::Word && o.arabic == arabic) {
                close(&mut cur, &mut v, keys.len());
                let cap = !arabic && c.is_uppercase();
                cur = Some(Open {
                    s: start,
                    e: end,
                    k0: keys.len(),
                    kind: TK::Word,
                    arabic,
                    gap,
                    cap,
                });
                gap = false;
            }
            if arabic {
                keys.push(fold_letter(c));
            } else if c.is_ascii() {
                keys.push(c.to_ascii_lowercase());
            } else {
                keys.extend(c.to_lowercase());
            }
            if let Some(o) = cur.as_mut() {
                o.e = end;
            }
            continue;
        }
        close(&mut cur, &mut v, keys.len());
        let p = match c {
            '\u{066B}' => '.',
            '\u{066C}' => ',',
            '\u{066A}' => '%',
            '\u{2010}' | '\u{2011}' | '\u{2212}' => '-',
            _ => c,
        };
        let k0 = keys.len() as u32;
        keys.push(p);
        v.push(Tok {
            s: start,
            e: end,
            k0,
            k1: keys.len() as u32,
            kind: TK::Punct,
            gap,
            latin: false,
            cap: false,
        });
        gap = false;
    }
    close(&mut cur, &mut v, keys.len());
    Toks { src, keys, v }
}

/// Strips one leading clitic letter (و ف ب ل ك) when what remains is long enough to be
/// a real word, so بضعة is never read as ب + ضعة.
#[inline]
pub(crate) fn strip_clitic(k: &str, min_rest_chars: usize) -> Option<&str> {
    let mut it = k.chars();
    let c = it.next()?;
    if !matches!(c, 'و' | 'ف' | 'ب' | 'ل' | 'ك') {
        return None;
    }
    let rest = it.as_str();
    (rest.chars().count() >= min_rest_chars).then_some(rest)
}
