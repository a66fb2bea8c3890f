//! Quantities: numbers in digits (Western, Arabic-Indic, Extended Arabic-Indic) or words
//! (Arabic and English), with their scale, hedge, counted noun, percent or currency
//! (`reference/arabic-text.md` §1.3, §3).
//!
//! One pass builds tokens with byte spans into the input and a folded lookup key
//! (`match_key` letter folding done per character, no per-token allocation); lexicons are
//! hash maps keyed by those folded keys. Slot `text` is always a substring of the input.
//!
//! Decisions: vague quantities (مئات، آلاف الجنود، عشرات، بضعة، "hundreds of", "dozens")
//! are not emitted — they cannot be compared numerically; a fraction alone (نصف السكان) is
//! not emitted either, only as part of a number (نصف مليون، مليون ونصف).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use super::entity::{bloom_slot, is_common_punct, is_plain_letter, plain_run_end};
use super::{Qualifier, QuantityKind, Slot};
use crate::text::normalize::{fold_letter, is_invisible, is_removed_mark};

// ---------------------------------------------------------------------------------------
// Shared tokenizer (also used by `date`).

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
/// most words are in no lexicon, and a bit test says so before a hash lookup.
pub(crate) struct KeyFilter(Box<[u64; 1024]>);

impl KeyFilter {
    pub(crate) fn new<'a>(keys: impl Iterator<Item = &'a str>) -> KeyFilter {
        let mut bits = Box::new([0u64; 1024]);
        for k in keys {
            let slot = bloom_slot(k.as_bytes());
            bits[slot / 64] |= 1 << (slot % 64);
        }
        KeyFilter(bits)
    }

    /// False only when `k` is no key.
    #[inline]
    pub(crate) fn may_contain(&self, k: &str) -> bool {
        let slot = bloom_slot(k.as_bytes());
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

#[inline]
fn is_arabic_script(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// `char::is_alphabetic` with the Arabic and ASCII letters answered without the table.
#[inline]
fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0671}'..='\u{06D3}')
        || (!c.is_ascii() && !is_common_punct(c) && c.is_alphabetic())
}

#[inline]
fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '\u{0660}'..='\u{0669}' => Some((c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => Some((c as u32 - 0x06F0) as u8),
        _ => None,
    }
}

/// Folds a whole word the way tokens are keyed (for lexicon building and `unit_key`).
pub(crate) fn fold_word(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_removed_mark(c) || is_invisible(c) {
            continue;
        }
        if let Some(d) = digit_value(c) {
            out.push((b'0' + d) as char);
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if is_arabic_script(c) {
            out.push(fold_letter(c));
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
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
            if !matches!(&cur, Some(o) if o.kind == TK::Word && o.arabic)
                && matches!(cp, 0x621..=0x63A | 0x641..=0x64A)
            {
                close(&mut cur, &mut v, keys.len());
                cur = Some(Open {
                    s: i,
                    e: i + 2,
                    k0: keys.len(),
                    kind: TK::Word,
                    arabic: true,
                    gap,
                    cap: false,
                });
                gap = false;
                keys.push(fold_letter(char::from_u32(cp).unwrap_or('\u{0627}')));
                i += 2;
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

// ---------------------------------------------------------------------------------------
// Lexicons.

#[derive(Clone, Copy, PartialEq, Debug)]
enum NW {
    /// 0–10 (Arabic and English cardinals).
    Unit(u8),
    /// أحد/إحدى/اثنا/اثني/اثنتا/اثنتي: only numbers inside a teen.
    Construct(u8),
    /// English 11–19.
    Teen(u8),
    /// 20–90.
    Ten(u8),
    /// مئة / hundred: multiplies a preceding unit.
    Hundred,
    /// Fused hundreds 200–900 (مئتان، ثلاثمئة).
    Hundreds(u16),
    Scale(f64),
    ScaleDual(f64),
    /// آلاف/ملايين: × after 3–10; alone it is vague.
    ScalePlural(f64),
    /// ألفا/مليونا: accusative singular after a number, construct dual alone.
    ScaleAmb(f64),
    Frac(f64),
    /// English "dozen".
    Dozen,
    /// English "a"/"an" before hundred/thousand/dozen.
    Article,
    /// Vague plural (hundreds, thousands, dozens): the phrase is skipped.
    Vague,
    /// صفر: only a number before a percent word.
    Zero,
}

fn num_lex() -> &'static FxMap<NW> {
    static LEX: OnceLock<FxMap<NW>> = OnceLock::new();
    LEX.get_or_init(|| {
        use NW::*;
        let mut m = FxMap::default();
        let mut add = |ws: &[&str], nw: NW| {
            for w in ws {
                m.insert(fold_word(w), nw);
            }
        };
        add(&["صفر"], Zero);
        add(&["واحد", "واحدة", "واحدا"], Unit(1));
        add(&["أحد", "إحدى", "احدى"], Construct(1));
        add(
            &[
                "اثنان",
                "اثنين",
                "إثنان",
                "إثنين",
                "اثنتان",
                "اثنتين",
                "ثنتان",
                "ثنتين",
            ],
            Unit(2),
        );
        add(&["اثنا", "اثني", "اثنتا", "اثنتي"], Construct(2));
        add(&["ثلاثة", "ثلاث"], Unit(3));
        add(&["أربعة", "أربع"], Unit(4));
        add(&["خمسة", "خمس"], Unit(5));
        add(&["ستة", "ست"], Unit(6));
        add(&["سبعة", "سبع"], Unit(7));
        add(&["ثمانية", "ثماني", "ثمان"], Unit(8));
        add(&["تسعة", "تسع"], Unit(9));
        add(&["عشرة", "عشر"], Unit(10));
        for (v, ws) in [
            (20u8, ["عشرون", "عشرين"]),
            (30, ["ثلاثون", "ثلاثين"]),
            (40, ["أربعون", "أربعين"]),
            (50, ["خمسون", "خمسين"]),
            (60, ["ستون", "ستين"]),
            (70, ["سبعون", "سبعين"]),
            (80, ["ثمانون", "ثمانين"]),
            (90, ["تسعون", "تسعين"]),
        ] {
            add(&ws, Ten(v));
        }
        add(&["مئة", "مائة", "مئه", "مائه"], Hundred);
        add(
            &[
                "مئتان",
                "مئتين",
                "مائتان",
                "مائتين",
                "مئتا",
                "مئتي",
                "مائتا",
                "مائتي",
            ],
            Hundreds(200),
        );
        for (v, stems) in [
            (300u16, &["ثلاث"][..]),
            (400, &["أربع"]),
            (500, &["خمس"]),
            (600, &["ست"]),
            (700, &["سبع"]),
            (800, &["ثمان", "ثماني"]),
            (900, &["تسع"]),
        ] {
            for s in stems {
                for h in ["مئة", "مائة"] {
                    add(&[&format!("{s}{h}")], Hundreds(v));
                }
            }
        }
        add(&["ألف"], Scale(1e3));
        add(&["ألفان", "ألفين", "ألفي"], ScaleDual(1e3));
        add(&["ألفا"], ScaleAmb(1e3));
        add(&["آلاف", "ألوف"], ScalePlural(1e3));
        add(&["مليون"], Scale(1e6));
        add(&["مليونان", "مليونين", "مليوني"], ScaleDual(1e6));
        add(&["مليونا"], ScaleAmb(1e6));
        add(&["ملايين"], ScalePlural(1e6));
        add(&["مليار", "بليون"], Scale(1e9));
        add(&["ملياران", "مليارين", "ملياري"], ScaleDual(1e9));
        add(&["مليارا", "بليونا"], ScaleAmb(1e9));
        add(&["مليارات", "بلايين"], ScalePlural(1e9));
        add(&["تريليون", "ترليون"], Scale(1e12));
        add(&["تريليونان", "تريليونين", "تريليوني"], ScaleDual(1e12));
        add(&["تريليونا"], ScaleAmb(1e12));
        add(&["تريليونات"], ScalePlural(1e12));
        add(&["نصف"], Frac(0.5));
        add(&["ربع"], Frac(0.25));
        add(&["ثلث"], Frac(1.0 / 3.0));
        add(&["ثلثا", "ثلثي"], Frac(2.0 / 3.0));
        // English.
        for (i, w) in [
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        ]
        .iter()
        .enumerate()
        {
            add(&[w], Unit(i as u8));
        }
        for (i, w) in [
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
        .iter()
        .enumerate()
        {
            add(&[w], Teen(11 + i as u8));
        }
        for (i, w) in [
            "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
        ]
        .iter()
        .enumerate()
        {
            add(&[w], Ten(20 + 10 * i as u8));
        }
        add(&["hundred"], Hundred);
        add(&["thousand"], Scale(1e3));
        add(&["million"], Scale(1e6));
        add(&["billion"], Scale(1e9));
        add(&["trillion"], Scale(1e12));
        add(&["dozen"], Dozen);
        add(&["a", "an"], Article);
        add(
            &[
                "hundreds",
                "thousands",
                "millions",
                "billions",
                "dozens",
                "tens",
            ],
            Vague,
        );
        add(&["half"], Frac(0.5));
        m
    })
}

#[inline]
fn num_word(k: &str) -> Option<NW> {
    static F: OnceLock<KeyFilter> = OnceLock::new();
    let f = F.get_or_init(|| KeyFilter::new(num_lex().keys().map(String::as_str)));
    if !f.may_contain(k) {
        return None;
    }
    num_lex().get(k).copied()
}

/// A number word with an optional leading و (returned as `true`). Other clitics (ب، ل)
/// only for long stems (`بملياري دولار`): لست (I am not) must not become ل + ست.
fn num_word_clitic(k: &str) -> Option<(NW, bool)> {
    if let Some(nw) = num_word(k) {
        return Some((nw, false));
    }
    if let Some(nw) = k.strip_prefix('و').and_then(num_word) {
        return Some((nw, true));
    }
    ['ب', 'ل'].iter().find_map(|&p| {
        let rest = k.strip_prefix(p).filter(|r| r.chars().nth(3).is_some())?;
        num_word(rest).map(|nw| (nw, false))
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Pct {
    No,
    /// Marker spans this many tokens.
    Yes(usize),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cur {
    Dollar,
    Euro,
    Pound,
    Riyal,
    Dinar,
    Dirham,
    Lira,
    Yen,
    Ruble,
    Yuan,
    Won,
}

impl Cur {
    fn key(self) -> &'static str {
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

fn cur_lex() -> &'static FxMap<Cur> {
    static LEX: OnceLock<FxMap<Cur>> = OnceLock::new();
    LEX.get_or_init(|| {
        use Cur::*;
        let mut m = FxMap::default();
        let rows: &[(Cur, &[&str])] = &[
            (
                Dollar,
                &[
                    "دولار",
                    "دولارا",
                    "دولارات",
                    "دولاراً",
                    "dollar",
                    "dollars",
                    "usd",
                ],
            ),
            (Euro, &["يورو", "euro", "euros", "eur"]),
            (
                Pound,
                &[
                    "جنيه",
                    "جنيها",
                    "جنيهات",
                    "استرليني",
                    "pound",
                    "pounds",
                    "sterling",
                    "gbp",
                ],
            ),
            (
                Riyal,
                &["ريال", "ريالا", "ريالات", "riyal", "riyals", "rial", "rials"],
            ),
            (Dinar, &["دينار", "دينارا", "دنانير", "dinar", "dinars"]),
            (Dirham, &["درهم", "درهما", "دراهم", "dirham", "dirhams"]),
            (Lira, &["ليرة", "ليرات", "lira", "liras", "lire"]),
            (Yen, &["ين", "yen"]),
            (
                Ruble,
                &[
                    "روبل",
                    "روبلا",
                    "روبلات",
                    "ruble",
                    "rubles",
                    "rouble",
                    "roubles",
                ],
            ),
            (Yuan, &["يوان", "yuan"]),
            (Won, &["وون"]),
        ];
        for (c, ws) in rows {
            for w in *ws {
                m.insert(fold_word(w), *c);
            }
        }
        m
    })
}

fn cur_word(k: &str) -> Option<Cur> {
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

fn cur_symbol(p: &str) -> Option<Cur> {
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

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum QW {
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

fn qual_phrases() -> &'static [QualPhrase] {
    static P: OnceLock<Vec<QualPhrase>> = OnceLock::new();
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
        v
    })
}

/// The hedge phrase ending right before token `start`: (qualifier, first token). An English
/// article may stand between a hedge and its number (`at least an 8.5 average`).
fn qualifier_before(t: &Toks, start: usize) -> Option<(QW, usize)> {
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
    // The word before `start` ends every phrase: compared first, it rejects most phrases
    // before the clitic of their first word is looked at.
    let last = t.key(start.wrapping_sub(1));
    'outer: for p in qual_phrases() {
        let n = p.words.len();
        if start < n {
            continue;
        }
        if n > 1 && p.words[n - 1] != last {
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
    None
}

/// Hedges written after the number or its noun: (qualifier, tokens consumed).
fn qualifier_after(t: &Toks, i: usize) -> Option<(Qualifier, usize)> {
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

/// Words before a 4-digit number that make it a year.
fn is_year_intro(k: &str) -> bool {
    matches!(
        k,
        "عام"
            | "العام"
            | "سنه"
            | "السنه"
            | "لعام"
            | "بعام"
            | "بحلول"
            | "وعام"
            | "لسنه"
            | "منذ"
            | "في"
            | "خلال"
            | "حتي"
            | "مطلع"
            | "بدايه"
            | "نهايه"
            | "اواخر"
            | "اوائل"
            | "منتصف"
            | "موازنه"
            | "in"
            | "since"
            | "during"
            | "until"
            | "by"
            | "of"
            | "year"
            | "early"
            | "late"
            | "mid"
            | "through"
            | "before"
            | "after"
    )
}

// ---------------------------------------------------------------------------------------
// Counted nouns.

struct NounEntry {
    lemma: String,
    /// Its `-ين`/`-ان` form is a dual, not a sound plural.
    dual_ok: bool,
}

fn noun_lex() -> &'static FxMap<NounEntry> {
    static LEX: OnceLock<FxMap<NounEntry>> = OnceLock::new();
    LEX.get_or_init(|| {
        // (singular, plural forms, dual is unambiguous)
        let rows: &[(&str, &[&str], bool)] = &[
            ("جندي", &["جنود"], true),
            ("قتيل", &["قتلى"], true),
            ("شخص", &["أشخاص"], true),
            ("يوم", &["أيام"], true),
            ("عام", &["أعوام"], true),
            ("سنة", &["سنوات", "سنين"], true),
            ("شهر", &["أشهر", "شهور"], true),
            ("أسبوع", &["أسابيع"], true),
            ("ساعة", &["ساعات"], true),
            ("دقيقة", &["دقائق"], true),
            ("طفل", &["أطفال"], true),
            ("رجل", &["رجال"], true),
            ("امرأة", &["نساء", "سيدات"], false),
            ("مدني", &["مدنيين", "مدنيون"], false),
            ("جريح", &["جرحى"], true),
            ("مصاب", &["مصابين", "مصابون"], false),
            ("صاروخ", &["صواريخ"], true),
            ("طائرة", &["طائرات"], true),
            ("دولة", &["دول"], true),
            ("بلد", &["بلدان", "بلاد"], true),
            ("طرف", &["أطراف"], true),
            ("ضابط", &["ضباط"], true),
            ("عنصر", &["عناصر"], true),
            ("سفينة", &["سفن"], true),
            ("دبابة", &["دبابات"], true),
            ("قذيفة", &["قذائف"], true),
            ("مرة", &["مرات"], true),
            ("منزل", &["منازل"], true),
            ("مدينة", &["مدن"], true),
            ("قرية", &["قرى"], true),
            ("أسير", &["أسرى"], true),
            ("رهينة", &["رهائن"], true),
            ("قائد", &["قادة"], true),
            ("وزير", &["وزراء"], true),
            ("مقاتل", &["مقاتلين", "مقاتلون"], false),
            ("معتقل", &["معتقلين", "معتقلون"], false),
            ("لاجئ", &["لاجئين", "لاجئون"], false),
            ("مسلح", &["مسلحين", "مسلحون"], false),
            ("فرد", &["أفراد"], true),
            ("ضحية", &["ضحايا"], true),
            ("طن", &["أطنان"], true),
            ("كيلومتر", &["كيلومترات", "كلم"], true),
            ("متر", &["أمتار"], true),
            ("مبنى", &["مباني", "مبان"], false),
            ("مستشفى", &["مستشفيات"], false),
            ("مدرسة", &["مدارس"], true),
            ("مسيرة", &["مسيرات"], true),
            ("صحفي", &["صحفيين", "صحفيون"], false),
            ("شرطي", &["شرطيين", "شرطيون"], false),
            ("عسكري", &["عسكريين", "عسكريون"], false),
            ("مواطن", &["مواطنين", "مواطنون"], false),
            ("نازح", &["نازحين", "نازحون"], false),
            ("مهاجر", &["مهاجرين", "مهاجرون"], false),
            ("برميل", &["براميل"], true),
            ("جولة", &["جولات"], true),
            ("هجوم", &["هجمات"], true),
            ("غارة", &["غارات"], true),
            ("مليون", &["ملايين"], false),
            // English irregulars (regular -s plurals are handled by rule).
            ("person", &["people", "persons"], false),
            ("child", &["children"], false),
            ("man", &["men"], false),
            ("woman", &["women"], false),
            ("casualty", &["casualties"], false),
            ("country", &["countries"], false),
            ("city", &["cities"], false),
        ];
        let mut m = FxMap::default();
        for (sing, plurals, dual_ok) in rows {
            let lemma = fold_word(sing);
            m.insert(
                lemma.clone(),
                NounEntry {
                    lemma: lemma.clone(),
                    dual_ok: *dual_ok,
                },
            );
            for p in *plurals {
                // Plural forms never count as duals.
                m.insert(
                    fold_word(p),
                    NounEntry {
                        lemma: lemma.clone(),
                        dual_ok: false,
                    },
                );
            }
        }
        m
    })
}

/// Article and preposition prefixes a counted noun may carry (longest first).
const NOUN_PREFIXES: [&str; 9] = ["وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل"];

/// Lemma of a folded Arabic word by lexicon, trying clitic and suffix variants.
fn arabic_lemma(k: &str) -> Option<&'static str> {
    let lex = noun_lex();
    let try_stem = |w: &str| -> Option<&'static str> {
        if let Some(e) = lex.get(w) {
            return Some(e.lemma.as_str());
        }
        // Accusative tanween: جنديا، يوما.
        if let Some(s) = w.strip_suffix('ا')
            && let Some(e) = lex.get(s)
        {
            return Some(e.lemma.as_str());
        }
        if let Some((stem, _)) = dual_stem(w)
            && let Some(e) = lex.get(&stem)
        {
            return Some(e.lemma.as_str());
        }
        // Feminine sound plural: غارات → غاره.
        if let Some(s) = w.strip_suffix("ات") {
            let f = format!("{s}ه");
            if let Some(e) = lex.get(&f) {
                return Some(e.lemma.as_str());
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
fn dual_lemma(k: &str) -> Option<&'static str> {
    let lex = noun_lex();
    if !(k.ends_with("ين") || k.ends_with("ان")) || lex.contains_key(k) {
        return None;
    }
    let check = |w: &str| -> Option<&'static str> {
        if lex.contains_key(w) {
            return None; // a listed form itself (بلدان is a plural)
        }
        let (stem, _) = dual_stem(w)?;
        let e = lex.get(&stem)?;
        (e.dual_ok && e.lemma == stem).then_some(e.lemma.as_str())
    };
    if let Some(l) = check(k) {
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

fn english_lemma(k: &str) -> String {
    if let Some(e) = noun_lex().get(k) {
        return e.lemma.clone();
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

// ---------------------------------------------------------------------------------------
// Number parsing.

#[derive(Clone, Copy, Debug)]
struct Num {
    value: f64,
    /// Token range of the number itself (scale word included).
    a: usize,
    b: usize,
    /// Written in digits without grouping, decimals or scale (year candidate).
    plain_int_digits: usize,
    scaled: bool,
}

/// Digits at `i`: grouping (`,`/`.` + exactly 3 digits), decimal part. `None` when the
/// digits belong to a time, a phone number, a code (F-16) or a numeric date; `skip_to`
/// then says where scanning resumes.
fn parse_digits(t: &Toks, i: usize) -> Result<Num, usize> {
    let n = t.len();
    // Glued to Latin letters (F-16, 5G, KCNA2) or a leading +/: (phone, time).
    let prev_glued = t.glued(i) && i > 0;
    if prev_glued {
        let p = &t.v[i - 1];
        if p.kind == TK::Word && p.latin {
            return Err(i + 1);
        }
        if p.kind == TK::Punct
            && matches!(t.key(i - 1), "+" | ":" | "/" | "-" | "." | "#")
            && (t.key(i - 1) != "-" || (i >= 2 && t.glued(i - 1) && t.v[i - 2].latin))
        {
            return Err(i + 1);
        }
    }
    let mut j = i + 1;
    let mut int_digits: String = t.key(i).to_string();
    let mut frac: &str = "";
    let mut grouped = false;
    while j + 1 < n && t.glued(j) && t.glued(j + 1) && t.kind(j + 1) == Some(TK::Num) {
        let sep = t.key(j);
        let d = t.key(j + 1);
        match sep {
            "," | "."
                if d.len() == 3 && int_digits.len() <= 3
                    || (grouped && d.len() == 3 && sep == ",") =>
            {
                int_digits.push_str(d);
                grouped = true;
                j += 2;
            }
            "," | "."
                if frac.is_empty() && sep != "," || (sep == "," && !grouped && d.len() != 3) =>
            {
                frac = d;
                j += 2;
                break;
            }
            _ => break,
        }
    }
    // What follows, glued: a time, a date, a code, letters.
    if j < n && t.glued(j) {
        match t.kind(j) {
            Some(TK::Word) if t.v[j].latin => return Err(j + 1),
            Some(TK::Punct) => {
                let k = t.key(j);
                if matches!(k, ":" | "/" | "." | ",")
                    && t.glued(j + 1)
                    && t.kind(j + 1) == Some(TK::Num)
                {
                    return Err(skip_num_run(t, j));
                }
                // 050-123-4567, 2025-12-25: not a range.
                if k == "-"
                    && t.glued(j + 1)
                    && t.kind(j + 1) == Some(TK::Num)
                    && t.is_punct(j + 2, "-")
                    && t.glued(j + 2)
                {
                    return Err(skip_num_run(t, j));
                }
            }
            _ => {}
        }
    }
    let raw_len = int_digits.len();
    if !grouped && frac.is_empty() && raw_len >= 8 {
        return Err(j); // phone numbers, IDs
    }
    let mut value = 0f64;
    for b in int_digits.bytes() {
        value = value * 10.0 + f64::from(b - b'0');
    }
    let mut scale = 0.1;
    for b in frac.bytes() {
        value += f64::from(b - b'0') * scale;
        scale /= 10.0;
    }
    let plain = if !grouped && frac.is_empty() {
        raw_len
    } else {
        0
    };
    Ok(Num {
        value,
        a: i,
        b: j,
        plain_int_digits: plain,
        scaled: false,
    })
}

/// End of a run of digits joined by punctuation without spaces (dates, times, phones).
fn skip_num_run(t: &Toks, mut j: usize) -> usize {
    while j < t.len() && t.glued(j) && matches!(t.kind(j), Some(TK::Num) | Some(TK::Punct)) {
        j += 1;
    }
    j
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Last {
    None,
    Unit(u8),
    Teen,
    Ten,
    Hundred,
    Scale(f64),
    Frac,
}

/// Arabic number words from `i` (§3.3 accumulator). `allow_waw` lets the first word carry
/// و (the second number of a range: و20، وعشرين).
#[inline]
fn parse_arabic_words(t: &Toks, i: usize, allow_waw: bool) -> Option<Num> {
    // Nearly every word is asked and most are no number word: rejected here, as the first
    // step of the parse would, before its state is set up.
    if t.kind(i) != Some(TK::Word) || t.v[i].latin || num_word_clitic(t.key(i)).is_none() {
        return None;
    }
    parse_arabic_number(t, i, allow_waw)
}

/// [`parse_arabic_words`] past its first check.
fn parse_arabic_number(t: &Toks, i: usize, allow_waw: bool) -> Option<Num> {
    let n = t.len();
    let mut total = 0f64;
    let mut block = 0f64;
    let mut last = Last::None;
    let mut max_scale = f64::INFINITY;
    let mut j = i;
    let mut end = i;
    let mut pending_waw = false;
    while j < n && t.kind(j) == Some(TK::Word) && !t.v[j].latin {
        let k = t.key(j);
        if k == "و" && last != Last::None {
            pending_waw = true;
            j += 1;
            continue;
        }
        let Some((nw, mut waw)) = num_word_clitic(k) else {
            break;
        };
        waw |= pending_waw;
        pending_waw = false;
        if waw && last == Last::None && !allow_waw {
            break;
        }
        let started = last != Last::None;
        match nw {
            NW::Unit(v) | NW::Construct(v) => {
                let teen_next = v <= 9 && matches!(t.key(j + 1), "عشر" | "عشره");
                let ok = (!started && (!waw || allow_waw))
                    || (waw && matches!(last, Last::Hundred | Last::Scale(_)));
                if !ok {
                    break;
                }
                if teen_next {
                    block += 10.0 + f64::from(v);
                    last = Last::Teen;
                    j += 2;
                } else if matches!(nw, NW::Construct(_)) {
                    break;
                } else {
                    block += f64::from(v);
                    last = Last::Unit(v);
                    j += 1;
                }
            }
            NW::Ten(v) => {
                let ok = !started
                    || (waw && matches!(last, Last::Unit(u) if (1..=9).contains(&u)))
                    || (waw && matches!(last, Last::Hundred | Last::Scale(_)));
                if !ok {
                    break;
                }
                block += f64::from(v);
                last = Last::Ten;
                j += 1;
            }
            NW::Hundred => {
                if let Last::Unit(u) = last
                    && !waw
                    && (3..=9).contains(&u)
                {
                    block += f64::from(u) * 99.0;
                } else if !started || (waw && matches!(last, Last::Scale(_))) {
                    block += 100.0;
                } else {
                    break;
                }
                last = Last::Hundred;
                j += 1;
            }
            NW::Hundreds(v) => {
                if !(!started || (waw && matches!(last, Last::Scale(_)))) {
                    break;
                }
                block += f64::from(v);
                last = Last::Hundred;
                j += 1;
            }
            NW::Scale(s) | NW::ScaleDual(s) | NW::ScalePlural(s) | NW::ScaleAmb(s) => {
                if waw || s >= max_scale {
                    break;
                }
                let has_block = matches!(
                    last,
                    Last::Unit(_) | Last::Teen | Last::Ten | Last::Hundred | Last::Frac
                );
                let mult = match nw {
                    NW::Scale(_) if has_block => block,
                    NW::Scale(_) if !started => 1.0,
                    NW::ScaleAmb(_) if has_block => block,
                    NW::ScaleAmb(_) | NW::ScaleDual(_) if !started => 2.0,
                    NW::ScalePlural(_) if has_block && block >= 3.0 => block,
                    _ => break,
                };
                total += mult * s;
                block = 0.0;
                max_scale = s;
                last = Last::Scale(s);
                j += 1;
            }
            NW::Frac(f) => {
                if waw {
                    match last {
                        Last::Scale(s) => total += f * s,
                        Last::Unit(_) | Last::Teen | Last::Ten | Last::Hundred => block += f,
                        _ => break,
                    }
                    j += 1;
                    end = j;
                    break;
                }
                if started {
                    break;
                }
                block = f;
                last = Last::Frac;
                j += 1;
                continue; // a fraction alone is not a number: `end` stays put
            }
            NW::Zero => {
                if started {
                    break;
                }
                last = Last::Unit(0);
                j += 1;
            }
            _ => break,
        }
        end = j;
    }
    if end == i {
        return None;
    }
    Some(Num {
        value: total + block,
        a: i,
        b: end,
        plain_int_digits: 0,
        scaled: total > 0.0,
    })
}

/// English number words from `i` ("ten thousand", "twenty-five", "a dozen",
/// "one hundred and five").
fn parse_english_words(t: &Toks, i: usize) -> Option<Num> {
    let n = t.len();
    let mut total = 0f64;
    let mut block = 0f64;
    let mut last = Last::None;
    let mut article = false;
    let mut j = i;
    let mut end = i;
    while j < n {
        if t.kind(j) != Some(TK::Word) || !t.v[j].latin {
            // twenty-five
            if last == Last::Ten
                && t.is_punct(j, "-")
                && t.glued(j)
                && t.glued(j + 1)
                && let Some(NW::Unit(u)) = num_word(t.key(j + 1))
                && u >= 1
            {
                block += f64::from(u);
                last = Last::Unit(u);
                j += 2;
                end = j;
                continue;
            }
            break;
        }
        let k = t.key(j);
        if k == "and" && matches!(last, Last::Hundred | Last::Scale(_)) {
            if let Some(NW::Unit(_) | NW::Teen(_) | NW::Ten(_)) = num_word(t.key(j + 1)) {
                j += 1;
                continue;
            }
            break;
        }
        let Some(nw) = num_word(k) else { break };
        let started = last != Last::None || article;
        match nw {
            NW::Article if !started => {
                article = true;
                j += 1;
                continue;
            }
            NW::Unit(v) => {
                if article
                    || !(matches!(
                        last,
                        Last::None | Last::Ten | Last::Hundred | Last::Scale(_)
                    ))
                {
                    break;
                }
                if last == Last::Ten && v == 0 {
                    break;
                }
                block += f64::from(v);
                last = Last::Unit(v);
            }
            NW::Teen(v) | NW::Ten(v) => {
                if article || !matches!(last, Last::None | Last::Hundred | Last::Scale(_)) {
                    break;
                }
                block += f64::from(v);
                last = if matches!(nw, NW::Teen(_)) {
                    Last::Teen
                } else {
                    Last::Ten
                };
            }
            NW::Hundred => {
                if article || last == Last::None {
                    block = 100.0;
                } else if matches!(last, Last::Unit(_) | Last::Teen | Last::Ten) && block < 100.0 {
                    block *= 100.0;
                } else {
                    break;
                }
                last = Last::Hundred;
            }
            NW::Scale(s) => {
                if let Last::Scale(p) = last
                    && p <= s
                {
                    break;
                }
                total += if block > 0.0 { block } else { 1.0 } * s;
                block = 0.0;
                last = Last::Scale(s);
            }
            NW::Dozen => {
                block = if block > 0.0 && last != Last::Hundred {
                    block * 12.0
                } else {
                    12.0
                };
                last = Last::Teen;
            }
            NW::Frac(f) if started && t.key(j.wrapping_sub(1)) == "and" => {
                // "one and a half million": handled loosely
                block += f;
            }
            NW::Vague => {
                return None;
            }
            _ => break,
        }
        j += 1;
        end = j;
    }
    if end == i || (last == Last::None) {
        return None;
    }
    Some(Num {
        value: total + block,
        a: i,
        b: end,
        plain_int_digits: 0,
        scaled: total > 0.0,
    })
}

/// Scale word after digits: 10 آلاف، 1.5 مليون، 2.5 million, 3 ملايين.
fn apply_scale(t: &Toks, mut num: Num) -> Num {
    if let Some(NW::Scale(s) | NW::ScalePlural(s) | NW::ScaleAmb(s)) = num_word(t.key(num.b))
        && t.kind(num.b) == Some(TK::Word)
    {
        num.value *= s;
        num.b += 1;
        num.scaled = true;
        num.plain_int_digits = 0;
        // مليون ونصف
        if let Some(NW::Frac(f)) = t.key(num.b).strip_prefix('و').and_then(num_word) {
            num.value += f * s;
            num.b += 1;
        }
    }
    num
}

/// Any number starting at `i`.
fn parse_number(t: &Toks, i: usize, allow_waw: bool) -> Result<Option<Num>, usize> {
    match t.kind(i) {
        Some(TK::Num) => parse_digits(t, i).map(|n| Some(apply_scale(t, n))),
        Some(TK::Word) if t.v[i].latin => Ok(parse_english_words(t, i)),
        Some(TK::Word) => Ok(parse_arabic_words(t, i, allow_waw)),
        _ => Ok(None),
    }
}

/// Percent marker at `j`: %, بالمئة، في المئة, percent, per cent.
fn percent_at(t: &Toks, j: usize) -> Pct {
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

/// The second number of a range after the first one ends at `j`: (number, connector
/// position) for "و Y" (between) or "إلى/حتى/- Y" (from, or digits X-Y).
fn range_end(t: &Toks, j: usize, between: bool, from: bool, digits: bool) -> Option<Num> {
    let k = t.key(j);
    if t.kind(j) == Some(TK::Word) {
        if between && (k == "and" || k == "و") {
            return parse_number(t, j + 1, false).ok().flatten();
        }
        if between && k.starts_with('و') && !t.v[j].latin {
            // و20 is split into و + 20 by the tokenizer; وعشرين is one word.
            if t.kind(j + 1) == Some(TK::Num) && t.glued(j + 1) && k == "و" {
                return parse_number(t, j + 1, false).ok().flatten();
            }
            return parse_arabic_words(t, j, true);
        }
        if from && matches!(k, "الي" | "حتي" | "to") {
            return parse_number(t, j + 1, false).ok().flatten();
        }
    }
    if (digits || from || between) && t.kind(j) == Some(TK::Punct) && matches!(k, "-" | "–" | "—")
    {
        return match parse_number(t, j + 1, false) {
            Ok(Some(n)) if t.kind(j + 1) == Some(TK::Num) => Some(n),
            _ => None,
        };
    }
    None
}

/// Counted noun at `j`: (tokens consumed incl. a leading من, noun token).
fn noun_at(t: &Toks, j: usize) -> Option<(usize, usize)> {
    let tok = t.v.get(j)?;
    if tok.kind != TK::Word {
        return None;
    }
    let k = t.key(j);
    if k == "من" && !tok.latin {
        // ثلاثة من الجنود
        let n = t.v.get(j + 1)?;
        if n.kind == TK::Word && t.key(j + 1).starts_with("ال") && !is_stop(t.key(j + 1)) {
            return Some((2, j + 1));
        }
        return None;
    }
    // `عام` after a number is "years" (`منذ 100عام`), unless a year follows
    // (`5 عام 2011`: "in the year").
    if k == "عام" && !tok.latin && t.kind(j + 1) != Some(TK::Num) {
        return Some((1, j));
    }
    if is_stop(k) || num_word(k).is_some() || super::date::is_month_word(k) {
        return None;
    }
    if tok.latin {
        // "9 North Korean soldiers": skip up to two capitalised adjectives.
        let mut m = j;
        while t
            .v
            .get(m)
            .is_some_and(|x| x.cap && x.latin && x.kind == TK::Word)
            && m < j + 2
        {
            m += 1;
        }
        if m > j
            && let Some(x) = t.v.get(m)
            && x.kind == TK::Word
            && x.latin
            && !x.cap
            && !is_stop(t.key(m))
        {
            return Some((m - j + 1, m));
        }
        if tok.cap {
            return None;
        }
    }
    Some((1, j))
}

fn find_in(t: &Toks, date_mask: &[bool]) -> Vec<Slot> {
    let mut out = Vec::new();
    let n = t.len();
    let mut i = 0;
    while i < n {
        if date_mask[i] {
            i += 1;
            continue;
        }
        let tok = t.v[i];
        // Currency symbol before the number: $5, € 3 million.
        let mut cur: Option<(Cur, usize)> = None;
        let mut num_i = i;
        if tok.kind == TK::Punct {
            match cur_symbol(t.key(i)) {
                Some(c) if t.kind(i + 1) == Some(TK::Num) => {
                    cur = Some((c, i));
                    num_i = i + 1;
                }
                _ => {
                    i += 1;
                    continue;
                }
            }
        }
        let num = match parse_number(t, num_i, false) {
            Ok(Some(num)) => num,
            Ok(None) => {
                // A dual noun alone means two.
                if tok.kind == TK::Word
                    && !tok.latin
                    && let Some(lemma) = dual_lemma(t.key(i))
                {
                    let (q, a) = match qualifier_before(t, i) {
                        Some((QW::Q(q), a)) => (q, a),
                        _ => (Qualifier::Exact, i),
                    };
                    out.push(Slot::Quantity {
                        text: t.text(a, i + 1).to_string(),
                        value: 2.0,
                        upper: None,
                        unit: Some(t.text(i, i + 1).to_string()),
                        unit_key: Some(lemma.to_string()),
                        qualifier: q,
                        kind: QuantityKind::Count,
                    });
                }
                i += 1;
                continue;
            }
            Err(skip) => {
                i = skip.max(i + 1);
                continue;
            }
        };
        if num.b <= num_i || date_mask[num_i..num.b].iter().any(|&d| d) {
            i = num.b.max(i + 1);
            continue;
        }
        let digits = t.kind(num.a) == Some(TK::Num);
        // A number after "number" is a label (`القانون رقم 10`), not a figure.
        if digits
            && num.a > 0
            && t.kind(num.a - 1) == Some(TK::Word)
            && matches!(t.key(num.a - 1), "رقم" | "برقم" | "الرقم" | "number")
        {
            i = num.b;
            continue;
        }
        let start = cur.map_or(num.a, |c| c.1);
        let pre = qualifier_before(t, start);
        let mut qualifier = Qualifier::Exact;
        let mut a = start;
        let mut upper = None;
        let mut j = num.b;
        let mut value = num.value;
        let (between, from) = match pre {
            Some((QW::Between, _)) => (true, false),
            Some((QW::From, _)) => (false, true),
            _ => (false, false),
        };
        match pre {
            Some((QW::Q(q), pa)) => {
                qualifier = q;
                a = pa;
            }
            Some((_, pa)) => {
                if let Some(y) = range_end(t, j, between, from, digits)
                    && y.value > value
                    && !date_mask[y.a..y.b].iter().any(|&d| d)
                {
                    qualifier = Qualifier::Range;
                    a = pa;
                    // بين 10 و20 ألفاً: the scale of Y applies to X too.
                    if y.scaled && !num.scaled && y.value / value >= 1000.0 {
                        let s = 10f64.powi((y.value.log10().floor() as i32 / 3) * 3);
                        if value * s <= y.value {
                            value *= s;
                        }
                    }
                    upper = Some(y.value);
                    j = y.b;
                }
            }
            None => {}
        }
        if upper.is_none()
            && digits
            && t.kind(j) == Some(TK::Punct)
            && matches!(t.key(j), "-" | "–")
            && let Some(y) = range_end(t, j, false, false, true)
            && y.value > value
            && !(num.plain_int_digits == 4 && y.plain_int_digits == 4)
        {
            // 10-20: a range (two years are a period, left to dates).
            if qualifier == Qualifier::Exact {
                qualifier = Qualifier::Range;
                upper = Some(y.value);
                j = y.b;
            }
        }
        // What is counted.
        let mut kind = if cur.is_some() {
            QuantityKind::Money
        } else {
            QuantityKind::Number
        };
        let mut unit: Option<String> = cur.map(|(_, p)| t.text(p, p + 1).to_string());
        let mut ukey: Option<String> = cur.map(|(c, _)| c.key().to_string());
        let mut zero_ok = false;
        if let Pct::Yes(w) = percent_at(t, j) {
            kind = QuantityKind::Percent;
            unit = Some("%".into());
            ukey = Some("%".into());
            j += w;
            zero_ok = true;
        } else if cur.is_none()
            && t.kind(j) == Some(TK::Word)
            && let Some(c) = cur_word(t.key(j))
        {
            kind = QuantityKind::Money;
            unit = Some(t.text(j, j + 1).to_string());
            ukey = Some(c.key().to_string());
            j += 1;
        } else if cur.is_none()
            && t.kind(j) == Some(TK::Punct)
            && let Some(c) = cur_symbol(t.key(j))
        {
            kind = QuantityKind::Money;
            unit = Some(t.text(j, j + 1).to_string());
            ukey = Some(c.key().to_string());
            j += 1;
        } else if cur.is_none()
            && let Some((w, nt)) = noun_at(t, j)
        {
            kind = QuantityKind::Count;
            let txt = t.text(nt, nt + 1);
            unit = Some(txt.to_string());
            ukey = Some(unit_key(txt));
            j += w;
        }
        // Zero only counts before a percent word (صفر is also the month Safar).
        let zero_word = !digits && num.value == 0.0 && !t.v[num.a].latin;
        if zero_word && !zero_ok {
            i = num.b;
            continue;
        }
        // A lone واحد/واحدة follows its noun: جندي واحد.
        if !digits
            && num.b == num.a + 1
            && matches!(t.key(num.a), "واحد" | "واحده" | "واحدا")
            && unit.is_none()
        {
            if num.a > 0
                && a == num.a
                && t.kind(num.a - 1) == Some(TK::Word)
                && !t.v[num.a - 1].latin
            {
                let pk = t.key(num.a - 1);
                if !is_stop(pk) && pk != "ان" && pk != "وقت" && num_word(pk).is_none() {
                    a = num.a - 1;
                    kind = QuantityKind::Count;
                    let txt = t.text(a, a + 1);
                    unit = Some(txt.to_string());
                    ukey = Some(unit_key(txt));
                } else {
                    i = num.b;
                    continue;
                }
            } else {
                i = num.b;
                continue;
            }
        }
        // English "one" alone is usually a pronoun (one of, no one).
        if !digits
            && t.v[num.a].latin
            && num.b == num.a + 1
            && t.key(num.a) == "one"
            && kind == QuantityKind::Number
        {
            i = num.b;
            continue;
        }
        // Years are dates, not quantities.
        if num.plain_int_digits == 4
            && (1900.0..=2100.0).contains(&value)
            && upper.is_none()
            && kind != QuantityKind::Percent
            && kind != QuantityKind::Money
        {
            let intro =
                num.a > 0 && t.kind(num.a - 1) == Some(TK::Word) && is_year_intro(t.key(num.a - 1));
            // Without a hedge, a year-like number counts only a known noun (2000 جندي),
            // not whatever word follows a year (بحلول 2030 سيصل).
            let known_noun = unit.as_deref().is_some_and(|u| {
                let k = fold_word(u);
                if k.bytes().all(|b| b.is_ascii_alphabetic()) {
                    k.len() > 3 && k.ends_with('s') || noun_lex().contains_key(&k)
                } else {
                    arabic_lemma(&k).is_some()
                }
            });
            if intro
                || kind == QuantityKind::Number
                || (qualifier == Qualifier::Exact && !known_noun)
            {
                i = num.b;
                continue;
            }
        }
        if let Some((q, w)) = qualifier_after(t, j)
            && (qualifier == Qualifier::Exact || qualifier == q)
        {
            qualifier = q;
            j += w;
        }
        out.push(Slot::Quantity {
            text: t.text(a, j).to_string(),
            value,
            upper,
            unit,
            unit_key: ukey,
            qualifier,
            kind,
        });
        i = j.max(i + 1);
    }
    out
}

/// Quantities of one sentence, in text order (only `Slot::Quantity`).
pub fn find_quantities(sentence: &str) -> Vec<Slot> {
    quantities_in(&tokenize(sentence))
}

/// [`find_quantities`] over the sentence's tokens (shared with the date extractor).
pub(crate) fn quantities_in(t: &Toks) -> Vec<Slot> {
    if t.v.is_empty() {
        return Vec::new();
    }
    let mask = super::date::date_token_mask(t);
    find_in(t, &mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (value, upper, unit, qualifier, kind, text)
    type Q = (
        f64,
        Option<f64>,
        Option<String>,
        Qualifier,
        QuantityKind,
        String,
    );

    fn q(s: &str) -> Vec<Q> {
        find_quantities(s)
            .into_iter()
            .map(|x| match x {
                Slot::Quantity {
                    text,
                    value,
                    upper,
                    unit,
                    qualifier,
                    kind,
                    ..
                } => (value, upper, unit, qualifier, kind, text),
                _ => unreachable!(),
            })
            .collect()
    }

    fn one(s: &str) -> Q {
        let v = q(s);
        assert_eq!(v.len(), 1, "{s}: {v:?}");
        v.into_iter().next().unwrap()
    }

    fn val(s: &str) -> f64 {
        one(s).0
    }

    #[test]
    fn acceptance() {
        assert_eq!(val("ألفي"), 2000.0);
        let r = one("نحو ألفي جندي");
        assert_eq!(
            (r.0, r.3, r.2.as_deref()),
            (2000.0, Qualifier::About, Some("جندي"))
        );
        let r = one("تسعة جنود");
        assert_eq!(
            (r.0, r.2.as_deref(), r.4),
            (9.0, Some("جنود"), QuantityKind::Count)
        );
        let r = one("أكثر من 10 آلاف جندي");
        assert_eq!(
            (r.0, r.3, r.2.as_deref()),
            (10000.0, Qualifier::MoreThan, Some("جندي"))
        );
        assert_eq!(r.5, "أكثر من 10 آلاف جندي");
        assert_eq!(val("١٢"), 12.0);
        assert_eq!(val("خمسة وعشرون"), 25.0);
        assert_eq!(val("ثلاثمئة"), 300.0);
        assert_eq!(val("مئتين"), 200.0);
        assert_eq!(val("خمس مئة"), 500.0);
        assert_eq!(val("مليون ونصف"), 1_500_000.0);
        assert_eq!(val("1.5 مليون"), 1_500_000.0);
        assert_eq!(val("10,000"), 10000.0);
        assert_eq!(val("١٢٫٥"), 12.5);
        for s in ["50%", "٥٠٪", "50 بالمئة"] {
            let r = one(s);
            assert_eq!(
                (r.0, r.4, r.2.as_deref()),
                (50.0, QuantityKind::Percent, Some("%")),
                "{s}"
            );
        }
        let r = one("3 ملايين دولار");
        assert_eq!(
            (r.0, r.4, r.2.as_deref()),
            (3e6, QuantityKind::Money, Some("دولار"))
        );
        let r = one("جنديين");
        assert_eq!((r.0, r.2.as_deref()), (2.0, Some("جنديين")));
        let r = one("مقتل تسعة جنود على الأقل");
        assert_eq!((r.0, r.3), (9.0, Qualifier::AtLeast));
        assert_eq!(r.5, "تسعة جنود على الأقل");
        let r = one("بين 10 و20 قتيلاً");
        assert_eq!(
            (r.0, r.1, r.3, r.2.as_deref()),
            (10.0, Some(20.0), Qualifier::Range, Some("قتيلاً"))
        );
        let r = one("more than ten thousand soldiers");
        assert_eq!(
            (r.0, r.3, r.2.as_deref()),
            (10000.0, Qualifier::MoreThan, Some("soldiers"))
        );
        let r = one("at least 9 soldiers");
        assert_eq!((r.0, r.3), (9.0, Qualifier::AtLeast));
        // An article between the hedge and its number.
        let r = one("need at least an 8.5 average");
        assert_eq!((r.0, r.3), (8.5, Qualifier::AtLeast));
        assert!(q("عام 2024").is_empty());
    }

    #[test]
    fn units_and_gender_forms() {
        let rows: &[(&str, f64)] = &[
            ("واحد", 1.0),
            ("اثنان", 2.0),
            ("اثنين", 2.0),
            ("إثنين", 2.0),
            ("اثنتان", 2.0),
            ("اثنتين", 2.0),
            ("ثنتين", 2.0),
            ("ثلاثة", 3.0),
            ("ثلاث", 3.0),
            ("أربعة", 4.0),
            ("أربع", 4.0),
            ("خمسة", 5.0),
            ("خمس", 5.0),
            ("ستة", 6.0),
            ("ست", 6.0),
            ("سبعة", 7.0),
            ("سبع", 7.0),
            ("ثمانية", 8.0),
            ("ثماني", 8.0),
            ("ثمان", 8.0),
            ("تسعة", 9.0),
            ("تسع", 9.0),
            ("عشرة", 10.0),
            ("عشر", 10.0),
        ];
        for (w, v) in rows {
            let s = format!("{w} سيارات");
            let r = one(&s);
            assert_eq!(r.0, *v, "{w}");
        }
        assert_eq!(val("صفر بالمئة"), 0.0);
        assert!(q("في صفر").is_empty());
        let r = one("قتل جندي واحد");
        assert_eq!((r.0, r.2.as_deref()), (1.0, Some("جندي")));
    }

    #[test]
    fn teens() {
        let rows: &[(&str, f64)] = &[
            ("أحد عشر", 11.0),
            ("إحدى عشرة", 11.0),
            ("اثنا عشر", 12.0),
            ("اثني عشر", 12.0),
            ("اثنتا عشرة", 12.0),
            ("اثنتي عشرة", 12.0),
            ("ثلاثة عشر", 13.0),
            ("ثلاث عشرة", 13.0),
            ("أربعة عشر", 14.0),
            ("خمسة عشر", 15.0),
            ("ستة عشر", 16.0),
            ("سبع عشرة", 17.0),
            ("ثمانية عشر", 18.0),
            ("تسعة عشر", 19.0),
            ("تسع عشرة", 19.0),
        ];
        for (w, v) in rows {
            assert_eq!(val(&format!("{w} جنديا")), *v, "{w}");
        }
        assert!(q("أحد المسؤولين").is_empty());
    }

    #[test]
    fn tens() {
        let rows: &[(&str, f64)] = &[
            ("عشرون", 20.0),
            ("عشرين", 20.0),
            ("ثلاثون", 30.0),
            ("ثلاثين", 30.0),
            ("أربعون", 40.0),
            ("أربعين", 40.0),
            ("خمسون", 50.0),
            ("خمسين", 50.0),
            ("ستون", 60.0),
            ("ستين", 60.0),
            ("سبعون", 70.0),
            ("سبعين", 70.0),
            ("ثمانون", 80.0),
            ("ثمانين", 80.0),
            ("تسعون", 90.0),
            ("تسعين", 90.0),
            ("خمسة وعشرون", 25.0),
            ("ثلاث وأربعين", 43.0),
            ("تسعة وتسعون", 99.0),
        ];
        for (w, v) in rows {
            assert_eq!(val(&format!("{w} جنديا")), *v, "{w}");
        }
    }

    #[test]
    fn hundreds() {
        let rows: &[(&str, f64)] = &[
            ("مئة", 100.0),
            ("مائة", 100.0),
            ("مئتان", 200.0),
            ("مئتين", 200.0),
            ("مائتان", 200.0),
            ("مائتين", 200.0),
            ("مئتا", 200.0),
            ("مائتي", 200.0),
            ("ثلاثمئة", 300.0),
            ("ثلاثمائة", 300.0),
            ("أربعمئة", 400.0),
            ("أربعمائة", 400.0),
            ("خمسمئة", 500.0),
            ("خمسمائة", 500.0),
            ("ستمئة", 600.0),
            ("ستمائة", 600.0),
            ("سبعمئة", 700.0),
            ("سبعمائة", 700.0),
            ("ثمانمئة", 800.0),
            ("ثمانمائة", 800.0),
            ("ثمانيمئة", 800.0),
            ("تسعمئة", 900.0),
            ("تسعمائة", 900.0),
            ("ثلاث مئة", 300.0),
            ("خمس مائة", 500.0),
            ("تسع مئة", 900.0),
            ("مائة وعشرين", 120.0),
            ("مئة وخمسة وعشرون", 125.0),
        ];
        for (w, v) in rows {
            assert_eq!(val(&format!("{w} جندي")), *v, "{w}");
        }
    }

    #[test]
    fn scales() {
        let rows: &[(&str, f64)] = &[
            ("ألف", 1e3),
            ("ألفان", 2e3),
            ("ألفين", 2e3),
            ("ألفي", 2e3),
            ("ألفا", 2e3),
            ("ثلاثة آلاف", 3e3),
            ("عشرة آلاف", 1e4),
            ("عشرون ألفا", 2e4),
            ("مئة ألف", 1e5),
            ("ثلاثمائة ألف", 3e5),
            ("ألف وتسعمائة وتسعة وتسعون", 1999.0),
            ("مليون", 1e6),
            ("مليونان", 2e6),
            ("مليونين", 2e6),
            ("مليوني", 2e6),
            ("ثلاثة ملايين", 3e6),
            ("ثلاثة ملايين وخمسمائة ألف", 3.5e6),
            ("مليار", 1e9),
            ("ملياران", 2e9),
            ("مليارين", 2e9),
            ("خمسة مليارات", 5e9),
            ("بليون", 1e9),
            ("تريليون", 1e12),
            ("ترليون", 1e12),
            ("تريليونين", 2e12),
            ("نصف مليون", 5e5),
            ("ربع مليون", 2.5e5),
            ("ثلث مليون", 1e6 / 3.0),
            ("مليون ونصف", 1.5e6),
            ("ألف وربع", 1250.0),
            ("10 آلاف", 1e4),
            ("1.5 مليون", 1.5e6),
            ("3 ملايين", 3e6),
            ("2.5 مليار", 2.5e9),
            ("1,5 مليار", 1.5e9),
            ("20 ألفاً", 2e4),
            // A preposition on a long number word.
            ("بملياري", 2e9),
            ("لثلاثة ملايين", 3e6),
        ];
        for (w, v) in rows {
            assert!((val(&format!("{w} شخص")) - v).abs() < 1e-6, "{w}");
        }
        // Vague plurals are skipped.
        assert!(q("آلاف الجنود").is_empty());
        assert!(q("عشرات الآلاف من الأشخاص").is_empty());
        assert!(q("بضعة آلاف").is_empty());
        assert!(q("hundreds of soldiers").is_empty());
        assert!(q("نصف السكان").is_empty());
    }

    #[test]
    fn digits_and_separators() {
        assert_eq!(val("10.000 جندي"), 10000.0);
        assert_eq!(val("1,234,567 شخص"), 1234567.0);
        assert_eq!(val("3.5 شخص"), 3.5);
        assert_eq!(val("۱۲۳ شخص"), 123.0);
        assert_eq!(val("١٬٠٠٠ شخص"), 1000.0);
        assert!(q("الساعة 10:30").is_empty());
        assert!(q("طائرات F-16").is_empty());
        assert!(q("اتصل على +96612345678").is_empty());
        assert!(q("0123456789").is_empty());
        assert!(q("KCNA2 report").is_empty());
        assert!(q("5G").is_empty());
        assert!(q("الأول").is_empty());
        assert!(q("the first soldier").is_empty());
    }

    #[test]
    fn qualifiers_arabic() {
        use Qualifier::*;
        let rows: &[(&str, Qualifier)] = &[
            ("نحو", About),
            ("حوالي", About),
            ("حوالى", About),
            ("قرابة", About),
            ("زهاء", About),
            ("ما يقارب", About),
            ("يقارب", About),
            ("ما يناهز", About),
            ("في حدود", About),
            ("بحدود", About),
            ("بنحو", About),
            ("ما يزيد عن", MoreThan),
            ("ما يزيد على", MoreThan),
            ("أكثر من", MoreThan),
            ("اكثر من", MoreThan),
            ("لأكثر من", MoreThan),
            ("أزيد من", MoreThan),
            ("ما يربو على", MoreThan),
            ("يتجاوز", MoreThan),
            ("ما لا يقل عن", AtLeast),
            ("لا يقل عن", AtLeast),
            ("على الأقل", AtLeast),
            ("أقل من", LessThan),
            ("دون", LessThan),
            ("ما يقل عن", LessThan),
            ("لا يزيد عن", AtMost),
            ("ما لا يزيد على", AtMost),
            ("لا يتجاوز", AtMost),
            ("حتى", AtMost),
            ("ما يصل إلى", AtMost),
        ];
        for (w, qu) in rows {
            let s = format!("{w} 40 جنديا");
            let r = one(&s);
            assert_eq!((r.0, r.3), (40.0, *qu), "{w}");
            assert!(
                r.5.ends_with("40 جنديا") && r.5.len() > "40 جنديا".len(),
                "{w}: {}",
                r.5
            );
        }
        let post: &[(&str, Qualifier)] = &[
            ("على الأقل", AtLeast),
            ("تقريباً", About),
            ("على الأكثر", AtMost),
            ("كحد أقصى", AtMost),
        ];
        for (w, qu) in post {
            let r = one(&format!("قتل 40 جنديا {w}"));
            assert_eq!((r.0, r.3), (40.0, *qu), "{w}");
        }
        let r = one("من 10 إلى 20 جنديا");
        assert_eq!((r.0, r.1, r.3), (10.0, Some(20.0), Range));
        let r = one("ما بين عشرة وعشرين جنديا");
        assert_eq!((r.0, r.1, r.3), (10.0, Some(20.0), Range));
        let r = one("10-20 جنديا");
        assert_eq!((r.0, r.1, r.3), (10.0, Some(20.0), Range));
        let r = one("بين 10 و20 ألف جندي");
        assert_eq!((r.0, r.1), (10000.0, Some(20000.0)));
    }

    #[test]
    fn qualifiers_english() {
        use Qualifier::*;
        let rows: &[(&str, Qualifier)] = &[
            ("about", About),
            ("around", About),
            ("nearly", About),
            ("approximately", About),
            ("roughly", About),
            ("some", About),
            ("almost", About),
            ("more than", MoreThan),
            ("over", MoreThan),
            ("at least", AtLeast),
            ("no fewer than", AtLeast),
            ("fewer than", LessThan),
            ("less than", LessThan),
            ("under", LessThan),
            ("up to", AtMost),
            ("at most", AtMost),
            ("no more than", AtMost),
        ];
        for (w, qu) in rows {
            let r = one(&format!("{w} 40 soldiers"));
            assert_eq!(
                (r.0, r.3, r.2.as_deref()),
                (40.0, *qu, Some("soldiers")),
                "{w}"
            );
        }
        let r = one("between 10 and 20 soldiers");
        assert_eq!((r.0, r.1, r.3), (10.0, Some(20.0), Range));
        let r = one("40 soldiers or more");
        assert_eq!(r.3, AtLeast);
    }

    #[test]
    fn english_numbers() {
        assert_eq!(val("ten thousand soldiers"), 10000.0);
        assert_eq!(val("twenty-five soldiers"), 25.0);
        assert_eq!(val("two thousand five hundred troops"), 2500.0);
        assert_eq!(val("one hundred and five people"), 105.0);
        assert_eq!(val("a dozen soldiers"), 12.0);
        assert_eq!(val("2.5 million people"), 2.5e6);
        assert_eq!(val("a thousand people"), 1000.0);
        assert_eq!(val("nineteen people"), 19.0);
        let r = one("9 North Korean soldiers");
        assert_eq!(r.2.as_deref(), Some("soldiers"));
        assert!(q("one of the soldiers").is_empty());
        let r = one("$3 million");
        assert_eq!((r.0, r.4), (3e6, QuantityKind::Money));
        let r = one("40 percent");
        assert_eq!(r.4, QuantityKind::Percent);
        let r = one("40 per cent");
        assert_eq!(r.4, QuantityKind::Percent);
        assert!(q("in 2025 the army").is_empty());
    }

    #[test]
    fn money_and_percent() {
        let rows: &[(&str, &str)] = &[
            ("5 دولارات", "dollar"),
            ("5 يورو", "euro"),
            ("5 جنيهات", "pound"),
            ("5 ريالات", "riyal"),
            ("5 دنانير", "dinar"),
            ("5 دراهم", "dirham"),
            ("5 ليرات", "lira"),
            ("€5", "euro"),
            ("£5", "pound"),
            ("5 dollars", "dollar"),
        ];
        for (s, k) in rows {
            let v = find_quantities(s);
            match &v[..] {
                [
                    Slot::Quantity {
                        kind,
                        unit_key,
                        value,
                        ..
                    },
                ] => {
                    assert_eq!(
                        (*kind, unit_key.as_deref(), *value),
                        (QuantityKind::Money, Some(*k), 5.0),
                        "{s}"
                    )
                }
                _ => panic!("{s}: {v:?}"),
            }
        }
        for s in ["50 بالمائة", "50 في المئة", "50 في المائة", "50 ٪"] {
            assert_eq!(one(s).4, QuantityKind::Percent, "{s}");
        }
    }

    #[test]
    fn years_and_dates_are_not_quantities() {
        assert!(q("خلال عام 2024").is_empty());
        assert!(q("منذ بداية الحرب في 2022، تقاربت").is_empty());
        assert!(q("ديسمبر 25, 2025").is_empty());
        assert!(q("يوم 27 ديسمبر").is_empty());
        assert!(q("في 25/12/2025").is_empty());
        let r = one("نحو 2000 جندي كوري شمالي");
        assert_eq!(
            (r.0, r.2.as_deref(), r.3),
            (2000.0, Some("جندي"), Qualifier::About)
        );
        let r = one("واستمرت المهمة 120 يوماً مع خسائر");
        assert_eq!((r.0, r.2.as_deref()), (120.0, Some("يوماً")));
    }

    #[test]
    fn years_counted_and_labels() {
        // `عام` after a number counts years, with or without a space.
        for s in ["توفي عن عمر يناهز 25عام", "توفي عن عمر يناهز 25 عام"]
        {
            let r = one(s);
            assert_eq!(
                (r.0, r.2.as_deref(), r.3),
                (25.0, Some("عام"), Qualifier::About),
                "{s}"
            );
        }
        // ... but `عام` before a year introduces it.
        assert_eq!(one("قتل 5 عام 2011 في المدينة").2, None);
        // A number after `رقم` is a label, not a figure.
        assert!(q("القانون رقم 10 يثير الجدل").is_empty());
        assert!(q("Resolution number 2254 was adopted").is_empty());
    }

    #[test]
    fn duals() {
        for (w, k) in [
            ("جنديين", "جندي"),
            ("دولتين", "دوله"),
            ("يومين", "يوم"),
            ("الجنديين", "جندي"),
            ("عامين", "عام"),
        ] {
            let v = find_quantities(w);
            match &v[..] {
                [
                    Slot::Quantity {
                        value, unit_key, ..
                    },
                ] => assert_eq!((*value, unit_key.as_deref()), (2.0, Some(k)), "{w}"),
                _ => panic!("{w}: {v:?}"),
            }
        }
        for w in [
            "بوتين",
            "الكوريين",
            "المدنيين",
            "بين",
            "فلسطين",
            "باكستان",
            "بلدان",
            "الذين",
            "مدعومين",
        ] {
            assert!(q(w).is_empty(), "{w}");
        }
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

    #[test]
    fn seed_sentence() {
        let s = "وتشير تقديرات وكالات الاستخبارات الكورية الجنوبية والغربية إلى أن بيونج يانج أرسلت أكثر من 10 آلاف جندي إلى روسيا خلال عام 2024، مدعومين بكميات ضخمة";
        let r = one(s);
        assert_eq!((r.0, r.3), (10000.0, Qualifier::MoreThan));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,60}") {
            let _ = find_quantities(&s);
        }
        #[test]
        fn never_panics_numeric(s in "[0-9٠-٩۰-۹٫٬,.:/%$ -]{0,20}( ?(ألف|آلاف|مليون|و|نحو|بين|جندي|عشر|ثلاثة|مئة|F|-)){0,6}") {
            let _ = find_quantities(&s);
        }
    }
}
