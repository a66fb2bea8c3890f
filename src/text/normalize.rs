//! Text normalisation layers (see `reference/arabic-text.md` §1.6 and the design's
//! "Normalisation" section).
//!
//! * `display` is the stored text itself (NFC) and is not produced here.
//! * [`clean`] removes what carries no meaning for a reader: invisible/format characters,
//!   tatweel, harakat and Quranic marks; it folds digits to ASCII and all whitespace to a
//!   plain space. Line breaks survive as `'\n'`.
//! * [`match_key`] is `clean` plus lossy letter folding (alef forms, yeh forms, teh marbuta,
//!   hamza carriers) and Latin lowercasing, for alignment and lexicon lookups only.
//!
//! Version identity ([`identity_text`], [`identity_hash`]) is built on `clean`, so a re-scrape
//! that only adds or drops diacritics, tatweel or switches digit script is *not* a new
//! version. That is intended: such edits are reported by the diff layer as orthographic,
//! they do not deserve a version of their own.
//!
//! Every function is a single pass over the characters into a pre-sized `String`; NFC runs
//! only when the input is not already NFC, NFKC only on presentation-form characters.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Bumped whenever any function below changes output: stored identities depend on it.
pub const NORMALIZER_VERSION: u32 = 1;

/// Layer `clean` (§1.6 steps 1–5). Keeps `'\n'`; CRLF, lone CR, NEL and U+2028 become
/// `'\n'`, U+2029 (paragraph separator) becomes a blank line. Other whitespace (tabs, NBSP,
/// thin spaces, …) becomes one `' '` each; runs are *not* collapsed here.
pub fn clean(text: &str) -> String {
    run(text, Layer::Clean)
}

/// Layer `match_key`: [`clean`], then §1.6 steps 6–9 (أ إ آ ٱ→ا, ى ی→ي, ک→ك, ة→ه, ؤ→و,
/// ئ→ي) and lowercasing. Lossy: never show it to users.
pub fn match_key(text: &str) -> String {
    run(text, Layer::Key)
}

/// The text whose hash is a version's identity: [`clean`], then every line trimmed with
/// inner runs of spaces collapsed to one and blank lines dropped. No trailing newline.
pub fn identity_text(text: &str) -> String {
    let cleaned = clean(text);
    let mut out = String::with_capacity(cleaned.len());
    // Blank lines are dropped: a re-scrape that only adds or removes blank
    // lines (one extractor's "\n\n" against another's "\n") is whitespace.
    for line in cleaned.split('\n') {
        let mut words = line.split(' ').filter(|w| !w.is_empty());
        let Some(first) = words.next() else {
            continue;
        };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(first);
        for w in words {
            out.push(' ');
            out.push_str(w);
        }
    }
    out
}

/// BLAKE3 of [`identity_text`]. Stored identities depend on [`NORMALIZER_VERSION`].
pub fn identity_hash(text: &str) -> [u8; 32] {
    blake3::hash(identity_text(text).as_bytes()).into()
}

/// Only the digit part of §1.6 step 4: Arabic-Indic and Extended Arabic-Indic digits to
/// ASCII, ٫ → `.`, ٬ deleted, ٪ → `%`. Everything else is copied unchanged.
pub fn fold_digits(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match fold_digit_char(c) {
            Some(Some(d)) => out.push(d),
            Some(None) => {}
            None => out.push(c),
        }
    }
    out
}

/// `Some(Some(c))`: replace; `Some(None)`: delete; `None`: not a digit character.
#[inline]
fn fold_digit_char(c: char) -> Option<Option<char>> {
    match c {
        '\u{0660}'..='\u{0669}' => Some(char::from_u32(c as u32 - 0x0660 + '0' as u32)),
        '\u{06F0}'..='\u{06F9}' => Some(char::from_u32(c as u32 - 0x06F0 + '0' as u32)),
        '\u{066B}' => Some(Some('.')),
        '\u{066C}' => Some(None),
        '\u{066A}' => Some(Some('%')),
        _ => None,
    }
}

/// Invisible format/control characters deleted by `clean` (§1.6 step 2, plus soft hyphen,
/// word joiner and friends, and C0/C1 controls other than line breaks and tabs: none of them
/// is visible, so none may change identity). ZWNJ/ZWJ are deleted, not turned into a space.
#[inline]
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{0000}'..='\u{0008}' | '\u{000E}'..='\u{001F}' | '\u{007F}'..='\u{0084}'
        | '\u{0086}'..='\u{009F}'
        | '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{0600}'..='\u{0605}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
}

/// Tatweel and Arabic marks deleted by `clean` (§1.6 step 3).
#[inline]
pub(crate) fn is_removed_mark(c: char) -> bool {
    matches!(c,
        '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0610}'..='\u{061A}'
        | '\u{06D6}'..='\u{06DC}' | '\u{06DF}'..='\u{06E4}' | '\u{06E7}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}' | '\u{08D3}'..='\u{08FF}')
}

/// Arabic presentation forms (§1.6 step 1): the only characters that get NFKC, so Latin
/// ligatures, superscripts and full-width forms stay as written.
#[inline]
fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}')
}

/// Letter folding of `match_key` (§1.6 steps 6–9).
#[inline]
pub(crate) fn fold_letter(c: char) -> char {
    match c {
        '\u{0623}' | '\u{0625}' | '\u{0622}' | '\u{0671}' => '\u{0627}',
        '\u{0649}' | '\u{06CC}' | '\u{0626}' => '\u{064A}',
        '\u{06A9}' => '\u{0643}',
        '\u{0629}' => '\u{0647}',
        '\u{0624}' => '\u{0648}',
        _ => c,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Layer {
    Clean,
    Key,
}

/// Output buffer that notices when a deletion may have left the text non-NFC (e.g. a
/// deleted ZWJ between a base letter and a combining mark), so the rare fix-up pass runs
/// only when needed and `clean` stays idempotent.
struct Out {
    s: String,
    /// Something was deleted or expanded just before the next pushed character.
    pending: bool,
    /// The output may not be NFC any more.
    dirty: bool,
    /// The previous kept input character was a CR, so an LF right after it is part of CRLF.
    after_cr: bool,
}

impl Out {
    #[inline]
    fn push(&mut self, c: char) {
        if self.pending {
            self.pending = false;
            if !c.is_ascii()
                && (canonical_combining_class(c) != 0
                    || is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes)
            {
                self.dirty = true;
            }
        }
        self.s.push(c);
    }
}

fn run(text: &str, layer: Layer) -> String {
    // Optimistic single pass: assume the input is NFC (scrapes nearly always are) and check
    // that while mapping; only if the check fails, normalise and map again.
    match run_mapped(text, layer, true) {
        Some(out) => out,
        None => {
            let nfc: String = text.nfc().collect();
            run_mapped(&nfc, layer, false).unwrap_or_default()
        }
    }
}

/// Maps `text` through the layer; with `check_nfc`, returns `None` as soon as the input
/// turns out not to be (quick-check) NFC. This is `is_nfc_quick` inlined, with ASCII and
/// the basic Arabic letters (starters, NFC_QC=Yes) skipping the table lookups.
fn run_mapped(text: &str, layer: Layer, check_nfc: bool) -> Option<String> {
    let mut out = Out {
        s: String::with_capacity(text.len()),
        pending: false,
        dirty: false,
        after_cr: false,
    };
    let mut last_cc = 0u8;
    let bytes = text.as_bytes();
    // Hot path, the bulk of any text: printable ASCII and the basic Arabic
    // letters are NFC starters that no layer deletes or expands, and most of
    // them map to themselves: runs of those are copied whole. For them the
    // general path below reduces to resetting the state, as `settle` does.
    let mut run = 0;
    let mut i = 0;
    let settle = |out: &mut Out, last_cc: &mut u8| {
        *last_cc = 0;
        out.after_cr = false;
        out.pending = false;
    };
    let key = layer == Layer::Key;
    let n = bytes.len();
    while i < n {
        let b = bytes[i];
        if b.wrapping_sub(b' ') <= b'~' - b' ' {
            // Printable ASCII: kept, but for capitals in a key.
            if !(key && b.is_ascii_uppercase()) {
                i += 1;
                continue;
            }
        } else if b & 0xFE == 0xD8 && i + 1 < n {
            // A two-byte sequence (the text is UTF-8): U+0600–U+067F.
            let low = (usize::from(b & 1) << 6) | usize::from(bytes[i + 1] & 0x3F);
            let class = ARABIC_CLASS[low];
            if class == KEPT || (class == FOLDED && !key) {
                i += 2;
                continue;
            }
            if class == FOLDED {
                let c = char::from_u32(0x0600 + low as u32).unwrap_or(' ');
                out.s.push_str(&text[run..i]);
                settle(&mut out, &mut last_cc);
                out.s.push(fold_letter(c));
                i += 2;
                run = i;
                continue;
            }
        }
        if run < i {
            out.s.push_str(&text[run..i]);
            settle(&mut out, &mut last_cc);
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        run = i;
        if c.is_ascii_uppercase() {
            // Key layer (the only one that stops here for it): lowercased.
            settle(&mut out, &mut last_cc);
            out.s.push(c.to_ascii_lowercase());
            continue;
        }
        if check_nfc {
            if c.is_ascii() || is_basic_arabic_letter(c) {
                last_cc = 0;
            } else {
                let cc = canonical_combining_class(c);
                if (last_cc > cc && cc != 0)
                    || is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes
                {
                    return None;
                }
                last_cc = cc;
            }
        }
        if is_presentation_form(c) {
            for d in std::iter::once(c).nfkc() {
                map_char(d, layer, &mut out);
            }
            out.pending = true;
        } else {
            map_char(c, layer, &mut out);
        }
    }
    if run < bytes.len() {
        out.s.push_str(&text[run..]);
        settle(&mut out, &mut last_cc);
    }
    if out.dirty && is_nfc_quick(out.s.chars()) != IsNormalized::Yes {
        out.s = out.s.nfc().collect();
    }
    Some(out.s)
}

/// ء–غ and ف–ي: the letters of nearly all Arabic text, all NFC starters.
#[inline]
fn is_basic_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}')
}

/// U+0600–U+067F by `c - U+0600`: [`OTHER`], or a basic letter
/// ([`is_basic_arabic_letter`]) that [`fold_letter`] keeps ([`KEPT`]) or
/// changes ([`FOLDED`]: آ أ ؤ إ ئ ة ى).
static ARABIC_CLASS: [u8; 128] = {
    let mut t = [OTHER; 128];
    let mut i = 0x21;
    while i <= 0x4A {
        if i <= 0x3A || i >= 0x41 {
            t[i] = match i {
                0x22..=0x26 | 0x29 | 0x49 => FOLDED,
                _ => KEPT,
            };
        }
        i += 1;
    }
    t
};
const OTHER: u8 = 0;
const KEPT: u8 = 1;
const FOLDED: u8 = 2;

#[inline]
fn map_char(c: char, layer: Layer, out: &mut Out) {
    if c.is_ascii() {
        let after_cr = std::mem::take(&mut out.after_cr);
        match c {
            '\n' if after_cr => {}
            '\r' => {
                out.after_cr = true;
                out.push('\n');
            }
            '\n' | ' ' => out.push(c),
            '\t' | '\u{0B}' | '\u{0C}' => out.push(' '),
            _ if c.is_ascii_control() => {
                // Deleted like any invisible character; keep CRLF pairing across it.
                out.after_cr = after_cr;
                out.pending = true;
            }
            _ if layer == Layer::Key => out.push(c.to_ascii_lowercase()),
            _ => out.push(c),
        }
        return;
    }
    // Common Arabic letters pass straight through (the hot path for Arabic text).
    if is_basic_arabic_letter(c) {
        out.after_cr = false;
        out.push(if layer == Layer::Key {
            fold_letter(c)
        } else {
            c
        });
        return;
    }
    if is_invisible(c) || is_removed_mark(c) {
        // Deleted without resetting `after_cr`, so "\r<ZWSP>\n" is still one line break.
        out.pending = true;
        return;
    }
    out.after_cr = false;
    if let Some(d) = fold_digit_char(c) {
        match d {
            Some(d) => out.push(d),
            None => out.pending = true,
        }
        return;
    }
    match c {
        '\u{0085}' | '\u{2028}' => out.push('\n'),
        '\u{2029}' => {
            out.push('\n');
            out.push('\n');
        }
        _ if c.is_whitespace() => out.push(' '),
        _ if layer == Layer::Key => {
            let f = fold_letter(c);
            if f != c {
                out.push(f);
            } else if c.is_uppercase() {
                for l in c.to_lowercase() {
                    out.push(l);
                }
                // Lowercasing is outside the NFC guarantees; let the final check decide.
                out.dirty = true;
            } else {
                out.push(c);
            }
        }
        _ => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn clean_removes_marks_tatweel_and_invisibles() {
        assert_eq!(clean("مؤكداً"), "مؤكدا");
        assert_eq!(clean("لا تُقهر"), "لا تقهر");
        assert_eq!(clean("دمـــى"), "دمى");
        assert_eq!(clean("يوماً"), clean("يومًا"));
        assert_eq!(
            clean("a\u{200B}b\u{200C}c\u{200D}d\u{200E}e\u{200F}f\u{061C}g"),
            "abcdefg"
        );
        assert_eq!(clean("\u{FEFF}\u{202B}نص\u{202C}\u{2067}x\u{2069}"), "نصx");
        assert_eq!(clean("soft\u{00AD}hyphen"), "softhyphen");
        // ZWNJ is deleted, not turned into a space (§1.6 step 2).
        assert_eq!(clean("می\u{200C}خواهم"), "میخواهم");
    }

    #[test]
    fn clean_keeps_hamza_letters_and_punctuation() {
        let s = "أشاد الرئيس، وقال: «سنرد». إلى؟ ؤ ئ ة ى";
        assert_eq!(clean(s), s);
    }

    #[test]
    fn clean_folds_digits_and_number_punctuation() {
        assert_eq!(clean("٢٠٢٥ و۱۲۳"), "2025 و123");
        assert_eq!(clean("١٢٫٥٪"), "12.5%");
        assert_eq!(clean("١٠٬٠٠٠"), "10000");
        assert_eq!(fold_digits("عام ٢٠٢٤، ٣٫٥٪ ـ"), "عام 2024، 3.5% ـ");
    }

    #[test]
    fn clean_whitespace_and_line_breaks() {
        assert_eq!(clean("a\u{00A0}b\tc\u{2009}d\u{3000}e"), "a b c d e");
        assert_eq!(clean("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(clean("a\r\u{200B}\nb"), "a\nb");
        assert_eq!(clean("a\u{2028}b\u{2029}c"), "a\nb\n\nc");
    }

    #[test]
    fn clean_presentation_forms_only() {
        // ﻻ → لا, ﷲ → الله, lam-alef with hamza keeps the hamza.
        assert_eq!(clean("\u{FEFB}"), "لا");
        assert_eq!(clean("\u{FDF2}"), "الله");
        assert_eq!(clean("\u{FEF7}"), "لأ");
        // Latin compatibility characters are left alone.
        assert_eq!(clean("ﬁ x²"), "ﬁ x²");
    }

    #[test]
    fn clean_applies_nfc() {
        assert_eq!(clean("\u{0627}\u{0654}"), "\u{0623}");
        assert_eq!(clean("e\u{0301}"), "é");
        // Marks out of canonical order are reordered (input not NFC).
        assert_eq!(clean("a\u{0301}\u{0316}"), clean("a\u{0316}\u{0301}"));
        // A deleted invisible between base and mark must not leave non-NFC text.
        assert_eq!(clean("e\u{200D}\u{0301}"), "é");
    }

    #[test]
    fn match_key_folds_letters_and_case() {
        assert_eq!(match_key("أكثر من 10 آلاف جندي"), "اكثر من 10 الاف جندي");
        assert_eq!(match_key("مقتل تسعة جنود"), "مقتل تسعه جنود");
        assert_eq!(match_key("إلى مستشفى"), "الي مستشفي");
        assert_eq!(match_key("ٱلله ؤ ئ ی ک"), "الله و ي ي ك");
        assert_eq!(match_key("The U.S. Army ÉTÉ"), "the u.s. army été");
        assert_eq!(match_key("أبنائك"), "ابنايك");
    }

    #[test]
    fn identity_text_whitespace_rules() {
        let a =
            "\n\n  بوتين لكيم:  صداقة \t روسيا  \r\n\r\n\r\n\n ديسمبر 25, 2025 \n8 mins read\n\n\n";
        assert_eq!(
            identity_text(a),
            "بوتين لكيم: صداقة روسيا\nديسمبر 25, 2025\n8 mins read"
        );
        assert_eq!(identity_text(""), "");
        assert_eq!(identity_text(" \n \u{200B}\n"), "");
    }

    const PARA: &str = "أشاد الرئيس الروسي فلاديمير بوتين بمتانة العلاقات الثنائية مع بيونج يانج، واصفاً إياها بـ “الصداقة التي لا تُقهر”، وذلك في رسالة رسمية.\n\nأخوة نضالية في ساحات المعارك\n\nأرسلت أكثر من 10 آلاف جندي إلى روسيا خلال عام 2024.";

    #[test]
    fn identity_stable_under_rescrape_noise() {
        let base = identity_hash(PARA);
        let noisy = format!(
            "\u{FEFF}\r\n{}  \r\n\r\n\r\n",
            PARA.replace(' ', "\u{00A0}\u{200F}")
                .replace("\n\n", " \t\r\n \r\n\u{2066}\u{2069}\r\n")
                .replace("بوتين", "بو\u{200C}تين")
        );
        assert_eq!(identity_hash(&noisy), base);
        // Diacritics, tatweel and digit script are orthographic: same identity by design.
        let ortho = PARA
            .replace("الصداقة", "الصّداقة")
            .replace("10", "١٠")
            .replace("جندي", "جنـدي");
        assert_eq!(identity_hash(&ortho), base);
    }

    #[test]
    fn blank_lines_are_whitespace() {
        assert_eq!(
            identity_hash(PARA),
            identity_hash(&PARA.replace("\n\n", "\n"))
        );
    }

    #[test]
    fn identity_changes_on_meaningful_edits() {
        let base = identity_hash(PARA);
        for edited in [
            PARA.replace("10", "11"),
            PARA.replace("الثنائية", "الثلاثية"),
            PARA.replace("يانج،", "يانج؛"),
            PARA.replace("2024.", "2024"),
            PARA.replace("\n\n", " "),
            PARA.replace("أكثر", "اكثر"),
        ] {
            assert_ne!(identity_hash(&edited), base, "{edited}");
        }
    }

    fn texty() -> impl Strategy<Value = String> {
        // Biased towards the characters the rules care about, plus arbitrary chars.
        let pieces = prop_oneof![
            Just("ا".to_string()),
            Just("أ".to_string()),
            Just("ى".to_string()),
            Just("ة".to_string()),
            Just("ب".to_string()),
            Just("\u{064B}".to_string()),
            Just("\u{0651}".to_string()),
            Just("\u{0654}".to_string()),
            Just("\u{0640}".to_string()),
            Just("\u{200C}".to_string()),
            Just("\u{200D}".to_string()),
            Just("\u{FEFB}".to_string()),
            Just("\u{FEF7}".to_string()),
            Just("٣".to_string()),
            Just("٫".to_string()),
            Just("٬".to_string()),
            Just("e\u{0301}".to_string()),
            Just("\u{0301}".to_string()),
            Just("\u{0316}".to_string()),
            Just(" ".to_string()),
            Just("\u{00A0}".to_string()),
            Just("\t".to_string()),
            Just("\r".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("\u{2029}".to_string()),
            Just("A".to_string()),
            Just(".".to_string()),
            any::<char>().prop_map(String::from),
        ];
        proptest::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    /// The layers char by char, as first written: what the run-copying fast
    /// path of `run_mapped` must reproduce exactly (stored identities hang on it).
    fn run_reference(text: &str, layer: Layer) -> String {
        let mapped = |text: &str, check_nfc: bool| -> Option<String> {
            let mut out = Out {
                s: String::new(),
                pending: false,
                dirty: false,
                after_cr: false,
            };
            let mut last_cc = 0u8;
            for c in text.chars() {
                if check_nfc {
                    if c.is_ascii() || is_basic_arabic_letter(c) {
                        last_cc = 0;
                    } else {
                        let cc = canonical_combining_class(c);
                        if (last_cc > cc && cc != 0)
                            || is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes
                        {
                            return None;
                        }
                        last_cc = cc;
                    }
                }
                if is_presentation_form(c) {
                    for d in std::iter::once(c).nfkc() {
                        map_char(d, layer, &mut out);
                    }
                    out.pending = true;
                } else {
                    map_char(c, layer, &mut out);
                }
            }
            if out.dirty && is_nfc_quick(out.s.chars()) != IsNormalized::Yes {
                out.s = out.s.nfc().collect();
            }
            Some(out.s)
        };
        mapped(text, true).unwrap_or_else(|| {
            let nfc: String = text.nfc().collect();
            mapped(&nfc, false).unwrap_or_default()
        })
    }

    #[test]
    fn letter_bits_agree_with_the_letter_rules() {
        for low in 0..128u32 {
            let c = char::from_u32(0x0600 + low).unwrap();
            let class = ARABIC_CLASS[low as usize];
            assert_eq!(class != OTHER, is_basic_arabic_letter(c), "{c}");
            let folded = is_basic_arabic_letter(c) && fold_letter(c) != c;
            assert_eq!(class == FOLDED, folded, "{c}");
        }
    }

    proptest! {
        #[test]
        fn layers_match_the_char_by_char_reference(s in texty(), t in any::<String>()) {
            for text in [&s, &t] {
                prop_assert_eq!(clean(text), run_reference(text, Layer::Clean));
                prop_assert_eq!(match_key(text), run_reference(text, Layer::Key));
            }
        }

        #[test]
        fn clean_is_idempotent(s in texty()) {
            let c = clean(&s);
            prop_assert_eq!(clean(&c), c.clone());
            prop_assert!(unicode_normalization::is_nfc(&c));
            prop_assert!(!c.contains('\r'));
            prop_assert!(!c.chars().any(|ch| is_invisible(ch) || is_removed_mark(ch)));
        }

        #[test]
        fn match_key_is_idempotent(s in texty()) {
            let k = match_key(&s);
            prop_assert_eq!(match_key(&k), k.clone());
            prop_assert_eq!(match_key(&clean(&s)), k);
        }

        #[test]
        fn identity_text_is_idempotent(s in texty()) {
            let t = identity_text(&s);
            prop_assert_eq!(identity_text(&t), t.clone());
            prop_assert!(!t.starts_with('\n') && !t.ends_with('\n') && !t.contains("\n\n\n"));
            prop_assert!(!t.contains("  ") && !t.contains(" \n") && !t.contains("\n "));
        }

        #[test]
        fn identity_ignores_whitespace_and_invisibles(
            words in proptest::collection::vec("[a-z0-9.،؟ابتثجحخدذرزسشصضطظعغفقكلمنهوي]{1,8}", 1..12),
            seps in proptest::collection::vec(
                prop_oneof![Just(" "), Just("  "), Just("\t"), Just("\u{00A0}"), Just(" \u{200B}"),
                            Just("\u{200F} "), Just(" \u{2066}\u{2069}"), Just("\u{202F}")], 12),
            breaks in proptest::collection::vec(0u8..4, 12),
        ) {
            let mut plain = String::new();
            let mut noisy = String::from("\u{FEFF}\r\n");
            for (i, w) in words.iter().enumerate() {
                if i > 0 {
                    match breaks[i] {
                        0 => { plain.push('\n'); noisy.push_str(" \r\n\u{200E}"); }
                        1 => { plain.push_str("\n\n"); noisy.push_str("\r\n \n\t\n"); }
                        _ => { plain.push(' '); noisy.push_str(seps[i]); }
                    }
                }
                plain.push_str(w);
                noisy.push_str(w);
            }
            noisy.push_str("  \n\n");
            prop_assert_eq!(identity_hash(&plain), identity_hash(&noisy));
        }

        #[test]
        fn identity_changes_when_a_word_changes(
            words in proptest::collection::vec("[a-z0-9ابتثجحخدذرزسشصضطظعغفقكلمنهوي]{1,8}", 1..10),
            idx in any::<prop::sample::Index>(),
            extra in "[a-z0-9بكم]",
        ) {
            let a = words.join(" ");
            let mut w2 = words.clone();
            let i = idx.index(w2.len());
            w2[i].push_str(&extra);
            let b = w2.join(" ");
            prop_assert_ne!(identity_hash(&a), identity_hash(&b));
        }

        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = clean(&s);
            let _ = match_key(&s);
            let _ = identity_hash(&s);
            let _ = fold_digits(&s);
        }
    }
}
