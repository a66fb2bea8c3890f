//! Sentence segmentation (`reference/arabic-text.md` §2, "Recommended rules").
//!
//! Works on the `display` text and returns byte ranges into it, so callers can always quote
//! the original. Structure first, then sentences:
//!
//! * a blank line (or U+2029) starts a new paragraph; every line break ends a unit;
//! * a line starting and ending with `|` is one [`UnitKind::TableRow`] (cells may hold dots);
//! * a line starting with a bullet or list marker is a [`UnitKind::ListItem`]; the marker is
//!   not part of the unit (so "-" → "•" or a renumbering is not a text change), and a long
//!   item is still split at sentence ends, every piece keeping kind `ListItem`;
//! * a short line with no sentence end, standing between sentence-final context and body
//!   text, is a [`UnitKind::Heading`] (see `is_heading` for the exact, conservative rule);
//! * everything else is split into [`UnitKind::Sentence`]s by our own scanner. We do not use
//!   UAX #29 (`unicode-segmentation`) because it always breaks after "د. " and "Mr. " and
//!   would need a re-joining pass anyway; the scanner implements the same terminator rule
//!   plus the abbreviation and quote guards in one pass.

use super::normalize::{is_invisible, is_removed_mark, match_key};

/// Bumped whenever [`segment`] changes output: cached segmentations of an
/// older version are recomputed.
pub const SEGMENTER_VERSION: i64 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Sentence,
    Heading,
    ListItem,
    TableRow,
}

/// One unit of alignment: a byte range of the segmented text, trimmed of surrounding
/// whitespace and invisible characters, never empty, never spanning a line break.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Unit {
    /// Index of the paragraph (block between blank lines), from 0, counting only
    /// paragraphs that have units.
    pub paragraph: usize,
    pub kind: UnitKind,
    pub start: usize,
    pub end: usize,
}

impl Unit {
    /// The unit's text in `source` (the string given to [`segment`]); empty if `source` is
    /// another string whose boundaries do not fit.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        source.get(self.start..self.end).unwrap_or("")
    }
}

/// Sentence terminators (§2 rule 2).
#[inline]
fn is_terminator(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '\u{061F}' | '\u{06D4}' | '\u{061E}' | '\u{203C}' | '\u{2049}'
    )
}

/// Closing characters absorbed after a terminator (§2 rule 2).
#[inline]
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '»' | '”' | '"' | '’' | '\'' | ')' | ']' | '›' | '…' | '}' | '\u{FD3E}' | '\u{FD3F}'
    )
}

/// What surrounds units and is trimmed away.
#[inline]
fn is_space(c: char) -> bool {
    c.is_whitespace() || is_invisible(c)
}

/// Lines without the surrounding whitespace/invisible characters, as byte ranges.
#[inline]
fn trim_range(text: &str, start: usize, end: usize) -> (usize, usize) {
    let s = &text[start..end];
    let t = s.trim_start_matches(is_space);
    let a = start + (s.len() - t.len());
    let t = t.trim_end_matches(is_space);
    (a, a + t.len())
}

/// Splits `text` into units in document order.
pub fn segment(text: &str) -> Vec<Unit> {
    let mut units = Vec::with_capacity(text.len() / 80 + 1);
    let mut block: Vec<Line> = Vec::new();
    let mut paragraph = 0;
    for (start, end, para_break_after) in physical_lines(text) {
        let (s, e) = trim_range(text, start, end);
        if s < e {
            block.push(classify(text, s, e));
        }
        if (s >= e || para_break_after) && !block.is_empty() {
            flush_block(text, &mut block, paragraph, &mut units);
            paragraph += 1;
        }
    }
    if !block.is_empty() {
        flush_block(text, &mut block, paragraph, &mut units);
    }
    units
}

/// Byte ranges of lines (without the break), and whether the break is a paragraph
/// separator (U+2029). Breaks: LF, CRLF, lone CR, NEL, U+2028, U+2029.
fn physical_lines(text: &str) -> impl Iterator<Item = (usize, usize, bool)> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    // Next 0xE2 (lead byte of U+2028/U+2029) at or after `pos`, kept between lines so the
    // rare byte is not searched for again from every line.
    let mut next_e2: Option<usize> = None;
    std::iter::from_fn(move || {
        // A final break yields one more, empty, line: harmless, it is blank.
        if pos > bytes.len() {
            return None;
        }
        let start = pos;
        let mut i = pos;
        while i < bytes.len() {
            // Vectorised skip to the next byte that may start a break (LF, CR, NEL's 0xC2,
            // U+2028/9's 0xE2): most of a line is letters.
            if next_e2.is_none_or(|e| e < i) {
                next_e2 = Some(memchr::memchr(0xE2, &bytes[i..]).map_or(bytes.len(), |e| i + e));
            }
            let e2 = next_e2.unwrap_or(bytes.len());
            i = memchr::memchr3(b'\n', b'\r', 0xC2, &bytes[i..e2]).map_or(e2, |c| i + c);
            if i >= bytes.len() {
                break;
            }
            match bytes[i] {
                b'\n' => {
                    pos = i + 1;
                    return Some((start, i, false));
                }
                b'\r' => {
                    pos = if bytes.get(i + 1) == Some(&b'\n') {
                        i + 2
                    } else {
                        i + 1
                    };
                    return Some((start, i, false));
                }
                0xC2 if bytes.get(i + 1) == Some(&0x85) => {
                    pos = i + 2;
                    return Some((start, i, false));
                }
                0xE2 if bytes.get(i + 1) == Some(&0x80)
                    && matches!(bytes.get(i + 2), Some(&0xA8) | Some(&0xA9)) =>
                {
                    pos = i + 3;
                    return Some((start, i, bytes[i + 2] == 0xA9));
                }
                _ => i += 1,
            }
        }
        pos = bytes.len() + 1;
        Some((start, bytes.len(), false))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Plain,
    List,
    Table,
}

#[derive(Debug)]
struct Line {
    kind: LineKind,
    /// Trimmed line range.
    start: usize,
    end: usize,
    /// Sentence ranges inside the line (content after a list marker).
    sentences: Vec<(usize, usize)>,
}

impl Line {
    /// Ends like a finished sentence (terminator, maybe followed by closers).
    fn terminated(&self, text: &str) -> bool {
        text[self.start..self.end]
            .trim_end_matches(is_closer)
            .chars()
            .next_back()
            .is_some_and(is_terminator)
    }
}

fn classify(text: &str, start: usize, end: usize) -> Line {
    let line = &text[start..end];
    if line.len() >= 2 && line.starts_with('|') && line.ends_with('|') {
        return Line {
            kind: LineKind::Table,
            start,
            end,
            sentences: vec![(start, end)],
        };
    }
    let (kind, content_start) = match list_marker_len(line) {
        // A marker with nothing after it (a lone "•") is kept as plain text.
        Some(n) if trim_range(text, start + n, end).0 < end => {
            (LineKind::List, trim_range(text, start + n, end).0)
        }
        _ => (LineKind::Plain, start),
    };
    let mut sentences = Vec::new();
    if content_start < end {
        split_sentences(text, content_start, end, &mut sentences);
    }
    Line {
        kind,
        start,
        end,
        sentences,
    }
}

/// Arabic ordinal list markers, as `match_key` (so أولاً / اولا / أولًا all match).
const ARABIC_ORDINALS: [&str; 10] = [
    "اولا",
    "ثانيا",
    "ثالثا",
    "رابعا",
    "خامسا",
    "سادسا",
    "سابعا",
    "ثامنا",
    "تاسعا",
    "عاشرا",
];

/// Byte length of a list marker at the start of a trimmed line, if any.
fn list_marker_len(line: &str) -> Option<usize> {
    let mut chars = line.char_indices();
    let (_, first) = chars.next()?;
    let next_is_space = |at: usize| line[at..].chars().next().is_some_and(is_space);
    match first {
        // Real bullets are unambiguous, even without a following space.
        '•' | '▪' | '◦' | '·' | '●' | '■' | '○' | '◆' | '▸' | '►' | '‣' | '⁃' | '∙' =>
        {
            return Some(first.len_utf8());
        }
        // ASCII-ish markers only with a space after: "-5 درجات", "*emphasis*" are text.
        '-' | '–' | '*' => {
            let n = first.len_utf8();
            return next_is_space(n).then_some(n);
        }
        _ => {}
    }
    // "1-", "١-", "1)", "1.", "(1)": at most 2 digits so a year like "2025." is not a marker.
    let (open, digits_from) = if first == '(' { (true, 1) } else { (false, 0) };
    let mut ndigits = 0;
    let mut pos = digits_from;
    for c in line[digits_from..].chars() {
        if c.is_ascii_digit() || matches!(c, '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}') {
            ndigits += 1;
            pos += c.len_utf8();
        } else {
            break;
        }
    }
    if (1..=2).contains(&ndigits) {
        let delim = line[pos..].chars().next();
        let n = pos + delim.map_or(0, char::len_utf8);
        let ok = match delim {
            Some(')') => true,
            Some('-' | '–') if !open => true,
            // "1." also starts sentences like "1. januar"; require a space after it.
            Some('.') if !open => next_is_space(n),
            _ => false,
        };
        // "1-2 مليون" is a range, not a marker: the marker needs no digit right after.
        let digit_after = line[n.min(line.len())..]
            .chars()
            .next()
            .is_some_and(|c| c.is_numeric());
        if ok && !digit_after {
            return Some(n);
        }
        return None;
    }
    // "أولاً:", "ثانياً -", "ثالثاً)". The first-letter test keeps `match_key` off most lines.
    if !matches!(first, 'ا' | 'أ' | 'إ' | 'ث' | 'ر' | 'خ' | 'س' | 'ت' | 'ع') {
        return None;
    }
    let word_end = line
        .find(|c: char| is_space(c) || matches!(c, ':' | '-' | '–' | ')'))
        .unwrap_or(line.len());
    if word_end == 0 || word_end > 24 {
        return None;
    }
    if !ARABIC_ORDINALS.contains(&match_key(&line[..word_end]).as_str()) {
        return None;
    }
    let rest = &line[word_end..];
    let after_ws = rest.trim_start_matches(is_space);
    let delim = after_ws.chars().next()?;
    if matches!(delim, ':' | '-' | '–' | ')') {
        Some(line.len() - after_ws.len() + delim.len_utf8())
    } else {
        None
    }
}

/// Quoted spans `(open, close)` (byte offsets of the quote characters) that open and close
/// on this line. Unmatched quotes are ignored, so a stray quote never glues a whole line.
fn quote_spans(line: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut guillemets: Vec<usize> = Vec::new();
    let mut curly: Vec<usize> = Vec::new();
    let mut ascii: Option<usize> = None;
    for (i, c) in line.char_indices() {
        match c {
            '«' => guillemets.push(i),
            '»' => {
                if let Some(o) = guillemets.pop() {
                    spans.push((o, i));
                }
            }
            '“' => curly.push(i),
            '”' => {
                if let Some(o) = curly.pop() {
                    spans.push((o, i));
                }
            }
            '"' => match ascii.take() {
                Some(o) => spans.push((o, i)),
                None => ascii = Some(i),
            },
            _ => {}
        }
    }
    spans
}

/// Splits `text[start..end]` (one line, no line breaks) into trimmed sentence ranges.
fn split_sentences(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let line = &text[start..end];
    // The bytes '"', 0xC2 (of «) and 0xE2 (of “) first: a vectorised search.
    let spans = if memchr::memchr3(b'"', 0xC2, 0xE2, line.as_bytes()).is_some()
        && line.contains(['«', '“', '"'])
    {
        quote_spans(line)
    } else {
        Vec::new()
    };
    let mut unit_start = 0;
    let mut pos = 0;
    while let Some(i) = next_terminator(line.as_bytes(), pos) {
        let mut iter = line[i..].char_indices().map(|(j, c)| (i + j, c)).peekable();
        let Some((_, c)) = iter.next() else { break };
        let run_start = i;
        let mut only_dots = c == '.';
        let mut run_len = 1;
        while let Some(&(_, d)) = iter.peek() {
            if !is_terminator(d) {
                break;
            }
            only_dots &= d == '.';
            run_len += 1;
            iter.next();
        }
        while iter.peek().is_some_and(|&(_, d)| is_closer(d)) {
            iter.next();
        }
        let Some(&(after, next)) = iter.peek() else {
            break; // end of line ends the unit anyway
        };
        // The scan goes on from the character after the run and its closers.
        pos = after;
        if !next.is_whitespace() {
            continue;
        }
        // ".." / "..." is an ellipsis, like "…": never a break.
        if only_dots && run_len >= 2 {
            continue;
        }
        // Inside a quote that does not close right here: keep the quote in one unit.
        if spans.iter().any(|&(o, cl)| o < run_start && after <= cl) {
            continue;
        }
        if only_dots {
            let next_word = line[after..].trim_start_matches(is_space);
            // UAX #29 SB8: a lowercase word after "." continues the sentence.
            if next_word.chars().next().is_some_and(char::is_lowercase) {
                continue;
            }
            if is_abbreviation(token_before(line, run_start), next_word.chars().next()) {
                continue;
            }
        }
        push_trimmed(text, start + unit_start, start + after, out);
        unit_start = after;
    }
    push_trimmed(text, start + unit_start, end, out);
}

/// Byte offset of the first [`is_terminator`] character at or after `from` (a character
/// boundary): vectorised byte searches, as most of a line is letters and decoding each
/// costs more. Each search stops at the best candidate so far.
#[inline]
fn next_terminator(b: &[u8], from: usize) -> Option<usize> {
    let mut best = memchr::memchr3(b'.', b'!', b'?', &b[from..]).map_or(b.len(), |k| from + k);
    // U+061E, U+061F (0xD8 0x9E/0x9F) and U+06D4 (0xDB 0x94), by their second byte.
    let mut j = from;
    while let Some(k) = memchr::memchr3(0x9E, 0x9F, 0x94, &b[j..best]) {
        let t = j + k;
        if t > from
            && match b[t - 1] {
                0xD8 => b[t] != 0x94,
                0xDB => b[t] == 0x94,
                _ => false,
            }
        {
            best = t - 1;
            break;
        }
        j = t + 1;
    }
    // U+203C, U+2049
    let mut j = from;
    while let Some(k) = memchr::memchr(0xE2, &b[j..best]) {
        let t = j + k;
        if matches!(
            (b.get(t + 1), b.get(t + 2)),
            (Some(0x80), Some(0xBC)) | (Some(0x81), Some(0x89))
        ) {
            best = t;
            break;
        }
        j = t + 1;
    }
    (best < b.len()).then_some(best)
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let (s, e) = trim_range(text, start, end);
    if s < e {
        out.push((s, e));
    }
}

/// The whitespace-delimited token that ends at `at`, without opening punctuation.
fn token_before(line: &str, at: usize) -> &str {
    let head = &line[..at];
    let from = head
        .char_indices()
        .rev()
        .find(|&(_, c)| is_space(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    head[from..].trim_start_matches(['(', '[', '{', '«', '“', '"', '\'', '‘', '‹'])
}

/// English abbreviations that do not end a sentence (§2 rule 4 and the module brief).
const EN_ABBREVIATIONS: [&str; 31] = [
    "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Jr", "Sr", "vs", "Jan", "Feb", "Mar", "Apr", "Jun",
    "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Gen", "Gov", "Sen", "Rep", "Lt", "Col",
    "Capt", "Sgt", "Rev", "Mt",
];

/// Two-letter Arabic words that can end a sentence, so "له." is not taken for "د.".
const AR_SHORT_WORDS: [&str; 10] = ["له", "لي", "به", "بي", "لك", "بك", "هو", "هي", "هم", "لا"];

/// Counts letters of an abbreviation candidate, ignoring harakat and tatweel ("هـ" is one
/// letter); `None` if it contains anything but letters.
fn letter_count(s: &str) -> Option<usize> {
    let mut n = 0;
    for c in s.chars() {
        if is_removed_mark(c) {
            continue;
        }
        // ء–ي are all letters: answered without the Unicode table, slow for Arabic.
        if !(c.is_ascii_alphabetic()
            || ('\u{0621}'..='\u{064A}').contains(&c)
            || (!c.is_ascii() && c.is_alphabetic()))
        {
            return None;
        }
        n += 1;
    }
    Some(n)
}

#[inline]
fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}')
}

/// Whether `token` + "." is an abbreviation (no sentence break after it).
fn is_abbreviation(token: &str, next: Option<char>) -> bool {
    if token.is_empty() {
        return false;
    }
    // Dotted acronyms: أ.ف.ب. U.S. U.N. ق.م. e.g. (each piece 1–2 letters).
    if token.contains('.') {
        return token
            .split('.')
            .all(|p| letter_count(p).is_some_and(|n| (1..=2).contains(&n)));
    }
    let Some(letters) = letter_count(token) else {
        return false;
    };
    let first = token.chars().next().unwrap_or(' ');
    if is_arabic(first) {
        // د. م. أ. ص. ج. هـ. : one or two Arabic letters.
        let bare: String = token.chars().filter(|&c| !is_removed_mark(c)).collect();
        return (1..=2).contains(&letters) && !AR_SHORT_WORDS.contains(&bare.as_str());
    }
    if letters == 1 && first.is_uppercase() {
        return true; // an initial, "J. Smith"
    }
    match token {
        "No" => next.is_some_and(|c| c.is_numeric()),
        // "etc." often does end a sentence; only a capital after it says so.
        "etc" => !next.is_some_and(char::is_uppercase),
        _ => EN_ABBREVIATIONS.contains(&token),
    }
}

/// Maximum words of a heading line.
const HEADING_MAX_WORDS: usize = 12;

/// A plain line that is one short unit and does not end like a sentence or a lead-in.
fn heading_candidate(text: &str, line: &Line) -> bool {
    if line.kind != LineKind::Plain || line.sentences.len() != 1 {
        return false;
    }
    let s = &text[line.start..line.end];
    let last = s.trim_end_matches(is_closer).chars().next_back();
    if last.is_some_and(|c| is_terminator(c) || matches!(c, ':' | '،' | ',' | '؛' | ';' | '…'))
    {
        return false;
    }
    s.split_whitespace().count() <= HEADING_MAX_WORDS
}

/// A heading is a heading candidate that is a paragraph of its own, or whose previous line
/// in the block (if any) is finished (sentence end, list item, table row) and whose next
/// line is body text: a list, a table, or a sentence-final or long line. Runs of short unterminated lines, like a
/// byline block "ديسمبر 25, 2025 / 8 mins read", are left as sentences: being wrong the
/// other way round would hide real text edits behind "heading" styling.
fn is_heading(text: &str, block: &[Line], i: usize) -> bool {
    if !heading_candidate(text, &block[i]) {
        return false;
    }
    let prev_ok = i == 0 || {
        let p = &block[i - 1];
        p.kind != LineKind::Plain || p.terminated(text)
    };
    // Standalone (a paragraph of its own) or followed by body text; a short line closing a
    // block after body text is more likely a caption or a fragment than a heading.
    let next_ok = match block.get(i + 1) {
        None => i == 0,
        Some(n) => {
            n.kind != LineKind::Plain
                || n.terminated(text)
                || text[n.start..n.end].split_whitespace().count() > HEADING_MAX_WORDS
        }
    };
    prev_ok && next_ok
}

fn flush_block(text: &str, block: &mut Vec<Line>, paragraph: usize, units: &mut Vec<Unit>) {
    for i in 0..block.len() {
        let line = &block[i];
        let kind = match line.kind {
            LineKind::Table => UnitKind::TableRow,
            LineKind::List => UnitKind::ListItem,
            LineKind::Plain if is_heading(text, block, i) => UnitKind::Heading,
            LineKind::Plain => UnitKind::Sentence,
        };
        units.extend(line.sentences.iter().map(|&(start, end)| Unit {
            paragraph,
            kind,
            start,
            end,
        }));
    }
    block.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(s: &str) -> Vec<&str> {
        segment(s).iter().map(|u| u.text(s)).collect()
    }

    fn kinds(s: &str) -> Vec<(usize, UnitKind, &str)> {
        segment(s)
            .iter()
            .map(|u| (u.paragraph, u.kind, u.text(s)))
            .collect()
    }

    use UnitKind::*;

    // From seed 000 (first lines, one body paragraph, a heading and its paragraph).
    const SEED_000: &str = "بوتين لكيم: صداقة روسيا وكوريا الشمالية لا تُقهر وسط الحرب\n\nديسمبر 25, 2025\n8 mins read\nبوتين يشيد في رسالة لكيم جونج أون بالصداقة التي لا تقهر بين روسيا وكوريا الشمالية، مؤكداً تفعيل اتفاقية الدفاع المشترك ودور الجنود الكوريين في حرب أوكرانيا.\n\nأشاد الرئيس الروسي فلاديمير بوتين بمتانة العلاقات الثنائية مع بيونج يانج، واصفاً إياها بـ “الصداقة التي لا تُقهر”، وذلك في رسالة رسمية وجهها إلى الزعيم الكوري الشمالي كيم جونج أون بمناسبة العام الجديد. وتأتي هذه الرسالة لتؤكد عمق التحالف العسكري والسياسي المتنامي بين البلدين في ظل التوترات الجيوسياسية العالمية.\n\nأخوة نضالية في ساحات المعارك\n\nوتشير تقديرات وكالات الاستخبارات الكورية الجنوبية والغربية إلى أن بيونج يانج أرسلت أكثر من 10 آلاف جندي إلى روسيا خلال عام 2024، مدعومين بكميات ضخمة من الذخائر وأنظمة الصواريخ بعيدة المدى، مما يعكس تحولاً نوعياً في طبيعة الصراع.\n\nاترك تعليقاً\n\nYour email address will not be published.\n\nأذهب إلىالأعلى";

    #[test]
    fn seed_000_structure() {
        let k = kinds(SEED_000);
        assert_eq!(
            k[0],
            (
                0,
                Heading,
                "بوتين لكيم: صداقة روسيا وكوريا الشمالية لا تُقهر وسط الحرب"
            )
        );
        // A byline block of short lines is not a heading.
        assert_eq!(k[1], (1, Sentence, "ديسمبر 25, 2025"));
        assert_eq!(k[2], (1, Sentence, "8 mins read"));
        assert_eq!(k[3].0, 1);
        assert!(k[3].2.ends_with("حرب أوكرانيا."));
        // The quote with “…” stays inside its sentence; ، never breaks.
        assert_eq!(k[4].0, 2);
        assert!(k[4].2.contains("“الصداقة التي لا تُقهر”، وذلك"));
        assert!(k[4].2.ends_with("العام الجديد."));
        assert!(k[5].2.starts_with("وتأتي"));
        assert_eq!(k[6], (3, Heading, "أخوة نضالية في ساحات المعارك"));
        assert_eq!(k[7].0, 4);
        assert!(k[7].2.ends_with("طبيعة الصراع."));
        assert_eq!(k[8], (5, Heading, "اترك تعليقاً"));
        assert_eq!(
            k[9],
            (6, Sentence, "Your email address will not be published.")
        );
        assert_eq!(k[10], (7, Heading, "أذهب إلىالأعلى"));
        assert_eq!(k.len(), 11);
    }

    // From seed 004: headings inside a block, "- " lists, a markdown table.
    const SEED_004: &str = "كيم جونغ أون يرسل “تهنئة دموية” لبوتين: تقاسمنا الدماء في حرب أوكرانيا\nمع اقتراب رأس السنة الجديدة 2026، أرسل الزعيم الكوري الشمالي كيم جونغ أون رسالة تهنئة غير تقليدية للرئيس الروسي فلاديمير بوتين، مليئة بكلمات تبرز “تقاسم الدماء والحياة والموت” في خنادق حرب أوكرانيا. هذه الرسالة ليست مجرد تحية، بل اعتراف رسمي بتعميق التحالف بين بيونغ يانغ وموسكو.\nتفاصيل الرسالة التهنئية ودلالاتها\nفي رسالة كيم جونغ أون، التي نشرتها وكالة KCNA يوم 27 ديسمبر، يبرز الزعيم الكوري الشمالي كيف أن عام 2025 كان نقطة تحول في الشراكة مع روسيا. قال كيم إن البلدين “تقاسما الدماء والحياة والموت في الخندق نفسه”، وهو تعبير يعترف صراحة بمشاركة الجنود الكوريين في القتال.\n- ابتداءً من أبريل 2025، أكدت كوريا الشمالية نشر قواتها لدعم روسيا، مع تقارير عن مقتل جنود في المعارك.\n- في أغسطس 2025، أرسلت قوات لإزالة الألغام في كورسك، واستمرت المهمة 120 يوماً مع خسائر مؤكدة.\n- خطاب ديسمبر اعتراف بمقتل 9 جنود في مهمة هندسية.\nباختصار، الرسالة ليست تهنئة عادية. إذا كنت تتابع الأخبار، فهذا يعني أن التحالف أصبح أقوى.\n\nعمق التعاون العسكري بين كوريا الشمالية وروسيا\nهذا التبادل يساعد كوريا الشمالية على مواجهة العقوبات الدولية، بينما تعزز روسيا جبهتها في أوكرانيا.\n| الدعم الكوري الشمالي لروسيا | الدعم الروسي لكوريا الشمالية |\n|---|---|\n| آلاف الجنود للقتال والمهام الهندسية | مساعدات مالية لمواجهة العقوبات |\nهذا الجدول يلخص التبادل المتبادل، الذي يجعل التحالف استراتيجياً طويل الأمد.\nالتداعيات الجيوسياسية لهذا التحالف\nيثير هذا الاعتراف قلقاً دولياً كبيراً.\n\n\n\n";

    #[test]
    fn seed_004_structure() {
        let k = kinds(SEED_004);
        let got: Vec<(usize, UnitKind)> = k.iter().map(|&(p, kd, _)| (p, kd)).collect();
        assert_eq!(
            got,
            vec![
                (0, Heading),
                (0, Sentence),
                (0, Sentence),
                (0, Heading),
                (0, Sentence),
                (0, Sentence),
                (0, ListItem),
                (0, ListItem),
                (0, ListItem),
                (0, Sentence),
                (0, Sentence),
                (1, Heading),
                (1, Sentence),
                (1, TableRow),
                (1, TableRow),
                (1, TableRow),
                (1, Sentence),
                (1, Heading),
                (1, Sentence),
            ]
        );
        assert_eq!(k[3].2, "تفاصيل الرسالة التهنئية ودلالاتها");
        // The list marker is not part of the unit.
        assert!(k[6].2.starts_with("ابتداءً من أبريل 2025"));
        assert_eq!(
            k[13].2,
            "| الدعم الكوري الشمالي لروسيا | الدعم الروسي لكوريا الشمالية |"
        );
        assert_eq!(k[14].2, "|---|---|");
        assert!(k[5].2.starts_with("قال كيم إن البلدين “تقاسما"));
    }

    #[test]
    fn arabic_abbreviations_and_numbers() {
        assert_eq!(
            texts("قال د. أحمد إن 10.000 جندي و3.5 مليون. ثم غادر"),
            ["قال د. أحمد إن 10.000 جندي و3.5 مليون.", "ثم غادر"]
        );
        assert_eq!(
            texts("نقلت أ.ف.ب. عن م. خالد أن عام 1445 هـ. كان صعبا. وأضاف"),
            ["نقلت أ.ف.ب. عن م. خالد أن عام 1445 هـ. كان صعبا.", "وأضاف"]
        );
        assert_eq!(
            texts("في القرن الثالث ق.م. بنيت المدينة."),
            ["في القرن الثالث ق.م. بنيت المدينة."]
        );
        // A short real word still ends a sentence.
        assert_eq!(
            texts("قدم الشكر له. ثم غادر."),
            ["قدم الشكر له.", "ثم غادر."]
        );
    }

    #[test]
    fn arabic_terminators_and_non_terminators() {
        assert_eq!(
            texts("هل انتهى؟ نعم! قال: الحرب، والسلم؛ ثم… انتهى. جاء الجنود۔ ذهبوا"),
            [
                "هل انتهى؟",
                "نعم!",
                "قال: الحرب، والسلم؛ ثم… انتهى.",
                "جاء الجنود۔",
                "ذهبوا"
            ]
        );
        assert_eq!(texts("قال: «انتهى». ثم غادر"), ["قال: «انتهى».", "ثم غادر"]);
        assert_eq!(texts("قال: “انتهى.” ثم غادر"), ["قال: “انتهى.”", "ثم غادر"]);
        assert_eq!(
            texts("قال: «سنرد. لن نصمت». وأضاف أن"),
            ["قال: «سنرد. لن نصمت».", "وأضاف أن"]
        );
        assert_eq!(texts("انتظر... ثم قال"), ["انتظر... ثم قال"]);
        // A stray opening quote does not glue the rest of the line.
        assert_eq!(texts("قال «انتهى. ثم غادر."), ["قال «انتهى.", "ثم غادر."]);
        assert_eq!(
            texts("(أ ف ب) - قتل 9 جنود. واشنطن"),
            ["(أ ف ب) - قتل 9 جنود.", "واشنطن"]
        );
    }

    #[test]
    fn english_rules() {
        assert_eq!(
            texts(
                "Mr. Smith joined the U.S. Army on Dec. 25, 2025. He said: \"We will win. They will lose.\" Then he left."
            ),
            [
                "Mr. Smith joined the U.S. Army on Dec. 25, 2025.",
                "He said: \"We will win. They will lose.\"",
                "Then he left."
            ]
        );
        assert_eq!(
            texts(
                "J. Smith met Dr. Jones vs. the U.N. at No. 10. It was 3.5 p.m. today. Really?! Yes."
            ),
            [
                "J. Smith met Dr. Jones vs. the U.N. at No. 10.",
                "It was 3.5 p.m. today.",
                "Really?!",
                "Yes."
            ]
        );
        assert_eq!(
            texts("apples, pears, etc. and more. Fruit etc. Next one."),
            ["apples, pears, etc. and more.", "Fruit etc.", "Next one."]
        );
        assert_eq!(texts("“Stop!” “Go.” Done"), ["“Stop!”", "“Go.”", "Done"]);
    }

    #[test]
    fn lists_and_markers() {
        let s = "• أولى\n- ثانية. مع جملة ثانية.\n* ثالثة\n1- بند\n١- بند\n2) بند\n3. بند\nأولاً: بند\nثانياً - بند\n-5 درجات\n1-2 مليون\n2025. سنة";
        assert_eq!(
            kinds(s),
            [
                (0, ListItem, "أولى"),
                (0, ListItem, "ثانية."),
                (0, ListItem, "مع جملة ثانية."),
                (0, ListItem, "ثالثة"),
                (0, ListItem, "بند"),
                (0, ListItem, "بند"),
                (0, ListItem, "بند"),
                (0, ListItem, "بند"),
                (0, ListItem, "بند"),
                (0, ListItem, "بند"),
                (0, Sentence, "-5 درجات"),
                (0, Sentence, "1-2 مليون"),
                (0, Sentence, "2025."),
                (0, Sentence, "سنة"),
            ]
        );
    }

    #[test]
    fn paragraphs_and_line_breaks() {
        let s = "\u{FEFF}  first.\r\nsecond\r\n \t\r\n\u{200F}\r\nthird.\u{2029}fourth.\rfifth.";
        assert_eq!(
            kinds(s),
            [
                (0, Sentence, "first."),
                (0, Sentence, "second"),
                (1, Sentence, "third."),
                (2, Sentence, "fourth."),
                (2, Sentence, "fifth."),
            ]
        );
        assert!(segment("").is_empty());
        assert!(segment(" \n\n \u{200B}").is_empty());
    }

    proptest! {
        #[test]
        fn units_are_well_formed(s in "[ \\n\\r\\t.!?؟«»“”\"|•*1١)(ا-ي a-zA-Z\u{200F}\u{2029}-]{0,120}") {
            check_units(&s)?;
        }

        #[test]
        fn never_panics(s in any::<String>()) {
            check_units(&s)?;
        }
    }

    fn check_units(s: &str) -> Result<(), TestCaseError> {
        let units = segment(s);
        let mut last_end = 0;
        let mut last_para = 0;
        for u in &units {
            prop_assert!(u.start < u.end && u.end <= s.len());
            prop_assert!(u.start >= last_end);
            prop_assert!(u.paragraph >= last_para);
            prop_assert!(s.is_char_boundary(u.start) && s.is_char_boundary(u.end));
            let t = u.text(s);
            let breaks = ['\n', '\r', '\u{2028}', '\u{2029}', '\u{85}'];
            prop_assert!(!t.contains(breaks), "line break inside {:?}", t);
            prop_assert_eq!(t.trim_matches(is_space), t);
            last_end = u.end;
            last_para = u.paragraph;
        }
        Ok(())
    }
}
