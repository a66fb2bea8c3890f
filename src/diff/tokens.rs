//! The tokens a word diff compares: Unicode word boundaries (UAX #29), as
//! `unicode-segmentation`'s `split_word_bounds` finds them, read directly for
//! the characters news text is mostly made of (ASCII, the Arabic letters and
//! digits) and left to that crate for anything else. Its general state
//! machine was 7 % of a warm `diff`'s instructions (every edited sentence is
//! tokenised on each run), this reading a third of that. Unit tests check the
//! two agree on every context of these characters, so an update of the
//! crate's Unicode tables that moved one would fail them.

use unicode_segmentation::UnicodeSegmentation;

/// Word-break classes (UAX #29, table 3) of the characters read here.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wb {
    ALetter,
    Numeric,
    MidLetter,
    MidNum,
    MidNumLet,
    SingleQuote,
    ExtendNumLet,
    WSegSpace,
    Cr,
    Lf,
    Newline,
    /// Extend and Format: marks (`ً`) and direction marks, which rule WB4
    /// makes part of the character before them.
    Extend,
    Other,
}

/// [`class_of`] laid out for the ASCII characters and the Arabic block.
const BELOW_0080: [Option<Wb>; 0x80] = classes_from(0);
const ARABIC_BLOCK: [Option<Wb>; 0x100] = classes_from(0x600);

const fn classes_from<const N: usize>(first: u32) -> [Option<Wb>; N] {
    let mut out = [None; N];
    let mut i = 0;
    while i < N {
        if let Some(c) = char::from_u32(first + i as u32) {
            out[i] = class_of(c);
        }
        i += 1;
    }
    out
}

/// The class of `c`, `None` for a character left to the general reading.
const fn class_of(c: char) -> Option<Wb> {
    use Wb::*;
    Some(match c {
        'a'..='z' | 'A'..='Z' => ALetter,
        '0'..='9' => Numeric,
        '_' => ExtendNumLet,
        '\'' => SingleQuote,
        '.' => MidNumLet,
        ':' => MidLetter,
        ',' | ';' => MidNum,
        ' ' => WSegSpace,
        '\r' => Cr,
        '\n' => Lf,
        '\u{0B}' | '\u{0C}' => Newline,
        // The double quote (its own class) only matters next to Hebrew letters.
        c if c.is_ascii() => Other,
        // Hamza to yeh, tatweel included.
        '\u{0621}'..='\u{063A}' | '\u{0640}'..='\u{064A}' => ALetter,
        '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}' | '\u{066B}' => Numeric,
        '\u{060C}' | '\u{060D}' | '\u{066C}' => MidNum,
        '\u{2018}' | '\u{2019}' => MidNumLet,
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{200E}' | '\u{200F}' => Extend,
        '\u{061B}' | '\u{061F}' | '\u{066A}' | '\u{00A0}' | '\u{00AB}' | '\u{00BB}'
        | '\u{201C}' | '\u{201D}' | '\u{2013}' | '\u{2014}' => Other,
        _ => return None,
    })
}

/// What decides whether two characters stay together.
#[derive(Clone, Copy)]
enum Rule {
    Join,
    Break,
    /// Together if a letter follows the second (WB6).
    IfLetterAfter,
    /// Together if a letter precedes the first (WB7).
    IfLetterBefore,
    /// Together if a digit follows the second (WB12).
    IfDigitAfter,
    /// Together if a digit precedes the first (WB11).
    IfDigitBefore,
}

const CLASSES: usize = Wb::Other as usize + 1;

/// [`rule`] for every pair of classes.
const RULES: [[Rule; CLASSES]; CLASSES] = {
    let mut out = [[Rule::Break; CLASSES]; CLASSES];
    let mut p = 0;
    while p < CLASSES {
        // `ALL` is written out by hand: a class missing or out of order
        // fails the build here.
        assert!(ALL[p] as usize == p, "ALL lists every class in order");
        let mut c = 0;
        while c < CLASSES {
            out[p][c] = rule(ALL[p], ALL[c]);
            c += 1;
        }
        p += 1;
    }
    out
};

/// The classes in declaration order.
const ALL: [Wb; CLASSES] = {
    use Wb::*;
    [
        ALetter,
        Numeric,
        MidLetter,
        MidNum,
        MidNumLet,
        SingleQuote,
        ExtendNumLet,
        WSegSpace,
        Cr,
        Lf,
        Newline,
        Extend,
        Other,
    ]
};

/// The rules of UAX #29 (WB3 to WB13b; WB4 is applied before) between a
/// character of class `prev` and one of class `cur`.
const fn rule(prev: Wb, cur: Wb) -> Rule {
    use Rule::*;
    use Wb::*;
    match (prev, cur) {
        (Cr, Lf) => Join,                                         // WB3
        (Cr | Lf | Newline, _) | (_, Cr | Lf | Newline) => Break, // WB3a, WB3b
        (WSegSpace, WSegSpace) => Join,                           // WB3d
        (ALetter, ALetter) => Join,                               // WB5
        (ALetter, MidLetter) => IfLetterAfter,                    // WB6
        (ALetter, MidNumLet | SingleQuote) => IfLetterAfter,
        (MidLetter, ALetter) => IfLetterBefore, // WB7
        (MidNumLet | SingleQuote, ALetter) => IfLetterBefore,
        (Numeric, Numeric) | (ALetter, Numeric) | (Numeric, ALetter) => Join, // WB8-10
        (MidNum, Numeric) => IfDigitBefore,                                   // WB11
        (MidNumLet | SingleQuote, Numeric) => IfDigitBefore,
        (Numeric, MidNum) => IfDigitAfter, // WB12
        (Numeric, MidNumLet | SingleQuote) => IfDigitAfter,
        (ALetter | Numeric | ExtendNumLet, ExtendNumLet) => Join, // WB13a
        (ExtendNumLet, ALetter | Numeric) => Join,                // WB13b
        _ => Break,                                               // WB999
    }
}

/// Whether the rules keep `cur` with `prev` (no boundary between them).
/// `before` is the class before `prev`, `after` the one after `cur`.
fn joined(before: Option<Wb>, prev: Wb, cur: Wb, after: Option<Wb>) -> bool {
    match RULES[prev as usize][cur as usize] {
        Rule::Join => true,
        Rule::Break => false,
        Rule::IfLetterAfter => after == Some(Wb::ALetter),
        Rule::IfLetterBefore => before == Some(Wb::ALetter),
        Rule::IfDigitAfter => after == Some(Wb::Numeric),
        Rule::IfDigitBefore => before == Some(Wb::Numeric),
    }
}

/// The text cut at its word boundaries, every piece kept (words, spaces,
/// punctuation): `split_word_bounds`.
pub(crate) fn word_bounds(text: &str) -> Vec<&str> {
    use Wb::{ALetter, Extend, Numeric};
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 4);
    let mut start = 0;
    // The boundary before a character is known once the one after it is
    // read: the last three read (marks folded into the character before
    // them, WB4), the newest with its position.
    let (mut before, mut prev, mut cur): (Option<Wb>, Option<Wb>, Option<(usize, Wb)>) =
        (None, None, None);
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        let (read, len) = if lead < 0x80 {
            (BELOW_0080[lead as usize], 1)
        } else if (0xD8..=0xDB).contains(&lead) {
            // Two bytes, U+0600 to U+06FF.
            let code = ((lead as usize & 0x1F) << 6) | (bytes[i + 1] as usize & 0x3F);
            (ARABIC_BLOCK[code - 0x600], 2)
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            (class_of(c), c.len_utf8())
        };
        let at = i;
        i += len;
        let next = match read {
            Some(Extend) if matches!(cur, Some((_, ALetter | Numeric))) => continue,
            Some(Extend) | None => return text.split_word_bounds().collect(),
            Some(k) => k,
        };
        if let (Some(p), Some((c_at, c))) = (prev, cur)
            && !joined(before, p, c, Some(next))
        {
            out.push(&text[start..c_at]);
            start = c_at;
        }
        (before, prev, cur) = (prev, cur.map(|(_, c)| c), Some((at, next)));
    }
    if let (Some(p), Some((c_at, c))) = (prev, cur)
        && !joined(before, p, c, None)
    {
        out.push(&text[start..c_at]);
        start = c_at;
    }
    if !text.is_empty() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference(text: &str) -> Vec<&str> {
        text.split_word_bounds().collect()
    }

    /// Every character read here, and a few left to the general reading.
    const ALPHABET: &[char] = &[
        'a', 'Z', '0', '9', '_', '\'', '"', '.', ':', ',', ';', ' ', '\r', '\n', '\u{0B}',
        '\u{0C}', '\t', '-', '!', '(', '%', '$', '/', '\u{7F}', 'ا', 'ء', 'غ', 'ف', 'ي', '٠', '٩',
        '۰', '۹', '\u{066B}', '\u{066C}', '\u{060C}', '\u{060D}', '\u{061B}', '\u{061F}',
        '\u{066A}', '\u{0640}', '\u{064B}', '\u{0650}', '\u{065F}', '\u{0670}', '\u{200E}',
        '\u{200F}', '\u{00A0}', '\u{00AB}', '\u{00BB}', '’', '‘', '“', '”', '–', '—',
        // left to the general reading:
        '\u{200C}', '\u{200D}', 'é', '…', 'א', '😀',
    ];

    #[test]
    fn every_class_is_the_reference_class() {
        // Each read character between each pair of characters, all triples:
        // every rule's context (WB6, WB7, WB11 and WB12 look one further)
        // comes up.
        let read: Vec<char> = ALPHABET
            .iter()
            .copied()
            .filter(|&c| class_of(c).is_some())
            .collect();
        let mut s = String::new();
        for &a in &read {
            for &b in &read {
                for &c in &read {
                    for &d in &['a', '1', ' '] {
                        s.clear();
                        s.extend([d, a, b, c, d]);
                        assert_eq!(word_bounds(&s), reference(&s), "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn news_text() {
        for s in [
            "قال المتحدث: \"قُتل 2,000 جندي\" في 12.5% من الحالات، والـ1,100 الآخرون U.S. don't.",
            "The army's 10,000.5 troops (e.g. U.S.A.) left at 11:30am;\r\nنحو ١٬٢٠٠ شخص؟",
            "",
            " ",
        ] {
            assert_eq!(word_bounds(s), reference(s), "{s:?}");
        }
    }

    proptest! {
        #[test]
        fn same_bounds_as_the_reference(
            picks in proptest::collection::vec(0..ALPHABET.len(), 0..24)
        ) {
            let s: String = picks.iter().map(|&i| ALPHABET[i]).collect();
            prop_assert_eq!(word_bounds(&s), reference(&s));
        }
    }
}
