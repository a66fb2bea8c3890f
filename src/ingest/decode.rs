//! Turn the raw bytes of a scraped file into text, choosing the encoding the
//! way a careful browser would, but refusing (rather than papering over with
//! U+FFFD) anything that does not decode cleanly: a silently mangled article
//! would poison every later diff. The one exception is text that is
//! overwhelmingly valid UTF-8 with a few stray bytes (a truncated scrape, a
//! lone 0xA0): it is UTF-8, decoded with those bytes replaced, and the
//! offsets are reported so the caller can say so. Reading it as a legacy code
//! page instead would store mojibake.

use std::borrow::Cow;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{DecoderResult, Encoding, REPLACEMENT, UTF_8, UTF_16BE, UTF_16LE};

/// How far into the file `<meta charset>` is looked for (the HTML spec's
/// prescan uses 1 KiB; real pages often put it later, behind long comments).
const META_SCAN: usize = 4 * 1024;
/// How much the statistical detector sees, from the first non-ASCII byte
/// on: plenty to tell Arabic code pages apart, and chardetng (~25 MB/s) is
/// the slowest step here.
const SNIFF_WINDOW: usize = 32 * 1024;

/// Text decoded from a file, with how its encoding was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// WHATWG name of the encoding, e.g. "UTF-8", "windows-1256", "UTF-16LE".
    pub encoding: &'static str,
    pub source: EncodingSource,
    /// Byte offsets (in the input, BOM included) of invalid UTF-8 sequences
    /// that were replaced with U+FFFD. Empty for every clean decode.
    pub replaced: Vec<usize>,
}

/// Why a given encoding was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingSource {
    /// A byte-order mark at the start of the file.
    Bom,
    /// The caller named the encoding.
    Override,
    /// `<meta charset>` or `<meta http-equiv="Content-Type">`.
    Declared,
    /// No declaration (or a harmless one on pure ASCII); the bytes are valid UTF-8.
    Utf8Valid,
    /// Guessed statistically by chardetng.
    Sniffed,
    /// No declaration; overwhelmingly valid UTF-8 with a few bad bytes.
    Utf8Repaired,
}

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The file is not text; the payload says what it looks like.
    #[error("binary file ({0})")]
    Binary(String),
    #[error("undecodable bytes: {0}")]
    Undecodable(String),
    #[error("unknown encoding label {0:?}")]
    UnknownEncoding(String),
    #[error("empty")]
    Empty,
}

/// Decode `bytes` to text.
///
/// Order: binary sniffing, BOM, `override_label`, valid UTF-8, nearly valid
/// UTF-8, `<meta>` declaration, statistical detection. Every decode is
/// strict (a malformed sequence is an error, never a replacement character)
/// except UTF-8 that is overwhelmingly valid: see [`repair_utf8`].
pub fn decode(bytes: &[u8], override_label: Option<&str>) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some(kind) = magic_kind(bytes) {
        return Err(DecodeError::Binary(kind.to_owned()));
    }
    let bom = Encoding::for_bom(bytes);
    let override_enc = match override_label {
        Some(label) => Some(override_encoding(label)?),
        None => None,
    };
    // UTF-16 legitimately contains NULs; without a BOM (or the caller saying
    // so) it is far more likely to be some binary format.
    let utf16 = |e: &'static Encoding| e == UTF_16LE || e == UTF_16BE;
    let expects_nul = bom.is_some_and(|(e, _)| utf16(e)) || override_enc.is_some_and(utf16);
    // Anywhere in the input, not only near the start: a text file does not
    // hold NUL bytes, and what follows one would otherwise be stored as text.
    if !expects_nul && memchr_nul(bytes) {
        return Err(DecodeError::Binary("contains NUL bytes".to_owned()));
    }

    let ((text, replaced), encoding, source) = if let Some((enc, bom_len)) = bom {
        let text = strict(enc, &bytes[bom_len..], bom_len, "")?;
        (text, enc, EncodingSource::Bom)
    } else if let Some(enc) = override_enc {
        let text = strict(enc, bytes, 0, " (--encoding)")?;
        (text, enc, EncodingSource::Override)
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        // Valid UTF-8 wins even over a contrary <meta>: on pure ASCII every
        // ASCII-compatible declaration decodes identically, and non-ASCII
        // legacy text is practically never valid UTF-8 by accident.
        ((s.to_owned(), Vec::new()), UTF_8, EncodingSource::Utf8Valid)
    } else if let Some(repaired) = repair_utf8(bytes, 0) {
        // Before <meta>: a stale declaration is common, and nearly valid
        // UTF-8 is as unlikely by accident as valid UTF-8.
        (repaired, UTF_8, EncodingSource::Utf8Repaired)
    } else if let Some(enc) = prescan_meta(&bytes[..bytes.len().min(META_SCAN)]) {
        let text = strict(enc, bytes, 0, " (declared in <meta>)")?;
        (text, enc, EncodingSource::Declared)
    } else {
        let enc = sniff(bytes);
        let text = strict(enc, bytes, 0, " (detected)")?;
        (text, enc, EncodingSource::Sniffed)
    };

    let trimmed = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if trimmed.is_empty() {
        return Err(DecodeError::Empty);
    }
    if too_many_controls(&text) {
        return Err(DecodeError::Undecodable(
            "control characters: not text in a known encoding".to_owned(),
        ));
    }
    Ok(Decoded {
        text,
        encoding: encoding.name(),
        source,
        replaced,
    })
}

/// At most one bad sequence per this many valid non-ASCII characters makes
/// a text "overwhelmingly" UTF-8. Legacy Arabic code pages almost never form
/// a valid multi-byte sequence, so their ratio is the other way round.
const REPAIR_RATIO: usize = 20;
/// And at least this many valid non-ASCII characters, so a short legacy text
/// that happens to contain one valid sequence is not taken for UTF-8.
const REPAIR_MIN_CHARS: usize = 8;

/// Decode nearly valid UTF-8, replacing each maximal invalid sequence with
/// U+FFFD; `None` unless the valid non-ASCII characters outnumber the bad
/// sequences by [`REPAIR_RATIO`] to one. Offsets are shifted by `base`.
fn repair_utf8(bytes: &[u8], base: usize) -> Option<(String, Vec<usize>)> {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut replaced = Vec::new();
    let mut multibyte = 0usize;
    let mut pos = 0usize;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        // Lead bytes of multi-byte characters: every byte >= 0xC0.
        multibyte += valid.bytes().filter(|&b| b >= 0xc0).count();
        text.push_str(valid);
        pos += valid.len();
        let invalid = chunk.invalid();
        if !invalid.is_empty() {
            replaced.push(base + pos);
            text.push(char::REPLACEMENT_CHARACTER);
            pos += invalid.len();
        }
    }
    let plausible = !replaced.is_empty()
        && multibyte >= REPAIR_MIN_CHARS
        && multibyte >= replaced.len() * REPAIR_RATIO;
    plausible.then_some((text, replaced))
}

/// Whether a text is an HTML document by its start: after any BOM,
/// whitespace, comments and XML declaration, `<!doctype html` or `<html`.
/// This is what decides, for an input with no file ending, format or
/// content type saying so, whether it is HTML: a tag somewhere in prose
/// (an article about `<p>` or `<!--`) never makes plain text HTML, and
/// parsing text as HTML would drop whatever a stray `<!--` swallows.
pub fn starts_as_html_document(text: &str) -> bool {
    let mut rest = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    loop {
        let head = rest.as_bytes();
        if starts_with_ci(head, b"<!--") {
            let Some(end) = rest[4..].find("-->") else {
                return false;
            };
            rest = rest[4 + end + 3..].trim_start();
        } else if starts_with_ci(head, b"<?xml") {
            let Some(end) = rest.find("?>") else {
                return false;
            };
            rest = rest[end + 2..].trim_start();
        } else {
            break;
        }
    }
    let head = rest.as_bytes();
    let tag_end = |n: usize| {
        head.get(n)
            .is_none_or(|c| c.is_ascii_whitespace() || *c == b'>')
    };
    (starts_with_ci(head, b"<!doctype") && tag_end(9))
        || (starts_with_ci(head, b"<html") && tag_end(5))
}

/// Cheap guess whether decoded text is HTML rather than plain text: looks
/// for typical tags near the start. Used only to tell a section page from a
/// feed; an input to ingest is HTML by [`starts_as_html_document`].
pub fn is_probably_html(text: &str) -> bool {
    let mut end = text.len().min(4096);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = text[..end].trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let head = head.as_bytes();
    if head.first() == Some(&b'<') && starts_with_ci(head, b"<!doctype html") {
        return true;
    }
    const MARKERS: [&[u8]; 12] = [
        b"<html",
        b"<head",
        b"<body",
        b"<meta ",
        b"<title>",
        b"<p>",
        b"<p ",
        b"<div",
        b"<article",
        b"<br>",
        b"<br/>",
        b"<br />",
    ];
    // Only look where a tag can start: plain text has few or no '<'.
    head.iter()
        .enumerate()
        .filter(|(_, b)| **b == b'<')
        .any(|(i, _)| {
            MARKERS
                .iter()
                .any(|m| head.len() - i >= m.len() && head[i..i + m.len()].eq_ignore_ascii_case(m))
        })
}

fn override_encoding(label: &str) -> Result<&'static Encoding, DecodeError> {
    match Encoding::for_label(label.trim().as_bytes()) {
        // The "replacement" encoding decodes everything to U+FFFD: useless here.
        Some(enc) if enc != REPLACEMENT => Ok(enc),
        _ => Err(DecodeError::UnknownEncoding(label.to_owned())),
    }
}

/// Recognise common binary formats by their magic numbers.
fn magic_kind(b: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 15] = [
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"%PDF-", "PDF document"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"PK\x05\x06", "ZIP archive"),
        (b"\x1f\x8b", "gzip archive"),
        (b"\x28\xb5\x2f\xfd", "zstd archive"),
        (b"\xfd7zXZ\x00", "xz archive"),
        (b"7z\xbc\xaf\x27\x1c", "7z archive"),
        (b"\x7fELF", "ELF executable"),
        (b"SQLite format 3\x00", "SQLite database"),
        (b"wOFF", "WOFF font"),
        (b"wOF2", "WOFF2 font"),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(m, _)| b.starts_with(m)) {
        return Some(kind);
    }
    if b.len() >= 12 && b.starts_with(b"RIFF") {
        return Some(match &b[8..12] {
            b"WEBP" => "WebP image",
            b"WAVE" => "WAV audio",
            b"AVI " => "AVI video",
            _ => "RIFF media",
        });
    }
    if b.len() >= 12 && &b[4..8] == b"ftyp" {
        return Some(match &b[8..12] {
            b"avif" | b"avis" => "AVIF image",
            b"heic" | b"heix" | b"mif1" => "HEIF image",
            _ => "MP4 video",
        });
    }
    None
}

fn memchr_nul(b: &[u8]) -> bool {
    b.contains(&0)
}

/// Decode without replacement (except nearly valid UTF-8, see
/// [`repair_utf8`]); on failure report the byte offset in the original file
/// (`base` is the length of any stripped BOM). Returns the text and the
/// offsets of replaced sequences.
fn strict(
    enc: &'static Encoding,
    bytes: &[u8],
    base: usize,
    how: &str,
) -> Result<(String, Vec<usize>), DecodeError> {
    if enc == UTF_8 {
        return match std::str::from_utf8(bytes) {
            Ok(s) => Ok((s.to_owned(), Vec::new())),
            Err(e) => {
                repair_utf8(bytes, base).ok_or_else(|| malformed(enc, base + e.valid_up_to(), how))
            }
        };
    }
    match enc.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(Cow::Borrowed(s)) => Ok((s.to_owned(), Vec::new())),
        Some(Cow::Owned(s)) => Ok((s, Vec::new())),
        // Rare path: decode again, chunk by chunk, only to locate the error.
        None => Err(malformed(enc, base + malformed_offset(enc, bytes), how)),
    }
}

fn malformed(enc: &'static Encoding, offset: usize, how: &str) -> DecodeError {
    DecodeError::Undecodable(format!("invalid {}{how} at byte {offset}", enc.name()))
}

fn malformed_offset(enc: &'static Encoding, bytes: &[u8]) -> usize {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut buf = [0u8; 8192];
    let mut pos = 0;
    loop {
        let input = &bytes[pos..];
        let (res, read, _) = decoder.decode_to_utf8_without_replacement(input, &mut buf, true);
        match res {
            DecoderResult::InputEmpty => return bytes.len(),
            DecoderResult::OutputFull => pos += read,
            DecoderResult::Malformed(bad, after) => {
                return (pos + read).saturating_sub(bad as usize + after as usize);
            }
        }
    }
}

fn sniff(bytes: &[u8]) -> &'static Encoding {
    let mut det = EncodingDetector::new(Iso2022JpDetection::Deny);
    // Leading ASCII (markup, scripts) carries no signal; skipping it keeps
    // the window on the actual text. Starting right at a non-ASCII byte is
    // safe: no multi-byte sequence can have begun in the ASCII before it.
    let start = bytes.iter().position(|&b| !b.is_ascii()).unwrap_or(0);
    let end = bytes.len().min(start.saturating_add(SNIFF_WINDOW));
    det.feed(&bytes[start..end], end == bytes.len());
    det.guess(None, Utf8Detection::Allow)
}

/// Share of C0/C1 control characters (other than tab, newline, carriage
/// return and form feed) above 1% means the "text" is really bytes that some
/// single-byte code page happens to map.
fn too_many_controls(text: &str) -> bool {
    let b = text.as_bytes();
    // Byte-wise over UTF-8, in simple passes the compiler can vectorise:
    // C0 and DEL are single bytes; C1 is C2 80..=C2 9F; chars are the
    // non-continuation bytes.
    let c0 = b
        .iter()
        .filter(|&&c| (c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r' | 0x0c)) || c == 0x7f)
        .count();
    let c1 = if b.contains(&0xc2) {
        b.windows(2)
            .filter(|w| w[0] == 0xc2 && (0x80..=0x9f).contains(&w[1]))
            .count()
    } else {
        0
    };
    let controls = c0 + c1;
    if controls == 0 {
        return false;
    }
    let chars = b.iter().filter(|&&c| (c as i8) >= -0x40).count();
    controls * 100 > chars
}

/// Find a charset declared by `<meta charset>` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">`.
fn prescan_meta(b: &[u8]) -> Option<&'static Encoding> {
    let mut pos = 0;
    while let Some(lt) = b[pos..].iter().position(|&c| c == b'<').map(|i| i + pos) {
        let rest = &b[lt..];
        if rest.starts_with(b"<!--") {
            // Declarations inside comments don't count.
            pos = match find_ci(b, b"-->", lt + 4) {
                Some(end) => end + 3,
                None => return None,
            };
            continue;
        }
        pos = lt + 1;
        if starts_with_ci(rest, b"<meta")
            && rest
                .get(5)
                .is_some_and(|&c| c.is_ascii_whitespace() || c == b'/')
        {
            let (enc, end) = meta_charset(b, lt + 5);
            pos = end;
            if let Some(enc) = enc {
                return Some(enc);
            }
        }
    }
    None
}

/// Parse the attributes of one `<meta>` starting at `i`; returns the charset
/// it declares (if any) and where the tag ends.
fn meta_charset(b: &[u8], mut i: usize) -> (Option<&'static Encoding>, usize) {
    let mut charset: Option<&[u8]> = None;
    let mut content: Option<&[u8]> = None;
    let mut http_equiv_ct = false;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            break;
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = &b[name_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value: &[u8] = b"";
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let start = i + 1;
                let end = b[start..]
                    .iter()
                    .position(|&c| c == q)
                    .map_or(b.len(), |p| start + p);
                value = &b[start..end];
                i = (end + 1).min(b.len());
            } else {
                let start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = &b[start..i];
            }
        }
        if name.eq_ignore_ascii_case(b"charset") {
            charset.get_or_insert(value);
        } else if name.eq_ignore_ascii_case(b"content") {
            content.get_or_insert(value);
        } else if name.eq_ignore_ascii_case(b"http-equiv") {
            http_equiv_ct |= value.trim_ascii().eq_ignore_ascii_case(b"content-type");
        }
    }
    let label = charset.or_else(|| {
        if http_equiv_ct {
            content.and_then(charset_from_content)
        } else {
            None
        }
    });
    let enc = label.and_then(|l| Encoding::for_label(l.trim_ascii()));
    // As in browsers: a UTF-16 declaration in an ASCII-compatible byte
    // stream means UTF-8, x-user-defined means windows-1252, and the
    // replacement encoding is no answer at all.
    let enc = enc.and_then(|e| {
        if e == UTF_16LE || e == UTF_16BE {
            Some(UTF_8)
        } else if e == encoding_rs::X_USER_DEFINED {
            Some(encoding_rs::WINDOWS_1252)
        } else if e == REPLACEMENT {
            None
        } else {
            Some(e)
        }
    });
    (enc, i)
}

/// `text/html; charset=windows-1256` → `windows-1256`.
fn charset_from_content(content: &[u8]) -> Option<&[u8]> {
    let at = find_ci(content, b"charset", 0)?;
    let mut i = at + 7;
    while i < content.len() && content[i].is_ascii_whitespace() {
        i += 1;
    }
    if content.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    while i < content.len() && content[i].is_ascii_whitespace() {
        i += 1;
    }
    let rest = &content[i..];
    let rest = match rest.first() {
        Some(&q @ (b'"' | b'\'')) => {
            let inner = &rest[1..];
            &inner[..inner.iter().position(|&c| c == q)?]
        }
        _ => {
            let end = rest
                .iter()
                .position(|&c| c == b';' || c.is_ascii_whitespace())
                .unwrap_or(rest.len());
            &rest[..end]
        }
    };
    (!rest.is_empty()).then_some(rest)
}

fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle)
}

fn find_ci(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{ISO_8859_6, WINDOWS_1256};

    const ARABIC_NEWS: &str = "أعلنت وزارة الصحة في بيان رسمي صدر اليوم عن ارتفاع عدد الإصابات \
        بالفيروس إلى أكثر من ألف حالة خلال الأسبوع الماضي، مشيرة إلى أن معظم الحالات سجلت في \
        المناطق الشمالية من البلاد. وقال المتحدث باسم الوزارة إن الحكومة اتخذت إجراءات جديدة \
        للحد من انتشار المرض، من بينها إغلاق المدارس والجامعات لمدة أسبوعين. \
        وأضاف أن المستشفيات تعمل بكامل طاقتها، داعيا المواطنين إلى الالتزام بالتعليمات الصحية \
        وتجنب التجمعات. من جهة أخرى، أكد رئيس الوزراء في مؤتمر صحفي أن الوضع تحت السيطرة.";

    fn enc(e: &'static Encoding, s: &str) -> Vec<u8> {
        let (b, _, had_errors) = e.encode(s);
        assert!(!had_errors, "test text not representable in {}", e.name());
        b.into_owned()
    }

    fn utf16(s: &str, le: bool) -> Vec<u8> {
        let mut out = if le {
            vec![0xff, 0xfe]
        } else {
            vec![0xfe, 0xff]
        };
        for u in s.encode_utf16() {
            out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    #[test]
    fn empty_inputs() {
        assert!(matches!(decode(b"", None), Err(DecodeError::Empty)));
        assert!(matches!(decode(b"  \n\t ", None), Err(DecodeError::Empty)));
        assert!(matches!(
            decode(b"\xef\xbb\xbf \n", None),
            Err(DecodeError::Empty)
        ));
        assert!(matches!(
            decode(&utf16(" ", true), None),
            Err(DecodeError::Empty)
        ));
        assert_eq!(DecodeError::Empty.to_string(), "empty");
    }

    #[test]
    fn binary_magic() {
        let cases: [(&[u8], &str); 8] = [
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "PNG image"),
            (b"\xff\xd8\xff\xe0\0\x10JFIF", "JPEG image"),
            (b"%PDF-1.7\n", "PDF document"),
            (b"PK\x03\x04\x14\0\x06\0", "ZIP archive"),
            (b"\x1f\x8b\x08\0", "gzip archive"),
            (b"RIFF\x10\0\0\0WEBPVP8 ", "WebP image"),
            (b"\0\0\0\x20ftypisom\0\0\x02\0", "MP4 video"),
            (b"SQLite format 3\0\x10\0", "SQLite database"),
        ];
        for (bytes, kind) in cases {
            match decode(bytes, None) {
                Err(DecodeError::Binary(k)) => assert_eq!(k, kind),
                other => panic!("{kind}: {other:?}"),
            }
        }
        let e = decode(b"\x89PNG\r\n\x1a\nxxxx", None).unwrap_err();
        assert_eq!(e.to_string(), "binary file (PNG image)");
    }

    #[test]
    fn nul_bytes_are_binary_without_utf16_bom() {
        let e = decode(b"hello\0world", None).unwrap_err();
        assert_eq!(e.to_string(), "binary file (contains NUL bytes)");
        // BOM-less UTF-16 looks like NUL-laden binary too.
        let mut le = utf16("hello world", true);
        le.drain(..2);
        assert!(matches!(decode(&le, None), Err(DecodeError::Binary(_))));
        // ...unless the caller says what it is.
        let d = decode(&le, Some("utf-16le")).unwrap();
        assert_eq!(d.text, "hello world");
        assert_eq!(d.source, EncodingSource::Override);
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode(ARABIC_NEWS.as_bytes(), None).unwrap();
        assert_eq!((d.encoding, d.source), ("UTF-8", EncodingSource::Utf8Valid));
        assert_eq!(d.text, ARABIC_NEWS);

        let mut b = b"\xef\xbb\xbf".to_vec();
        b.extend_from_slice("مرحبا\r\nبالعالم".as_bytes());
        let d = decode(&b, None).unwrap();
        assert_eq!((d.encoding, d.source), ("UTF-8", EncodingSource::Bom));
        // BOM stripped, line endings untouched.
        assert_eq!(d.text, "مرحبا\r\nبالعالم");
    }

    #[test]
    fn utf8_bom_with_bad_bytes() {
        let e = decode(b"\xef\xbb\xbfabc\xffdef", None).unwrap_err();
        assert_eq!(e.to_string(), "undecodable bytes: invalid UTF-8 at byte 6");
    }

    #[test]
    fn utf16_with_bom() {
        for le in [true, false] {
            let d = decode(&utf16(ARABIC_NEWS, le), None).unwrap();
            assert_eq!(d.text, ARABIC_NEWS);
            assert_eq!(d.source, EncodingSource::Bom);
            assert_eq!(d.encoding, if le { "UTF-16LE" } else { "UTF-16BE" });
        }
        // Unpaired surrogate.
        let e = decode(b"\xff\xfea\x00\x00\xd8b\x00", None).unwrap_err();
        assert!(matches!(e, DecodeError::Undecodable(_)), "{e:?}");
    }

    #[test]
    fn windows_1256_sniffed_without_declaration() {
        let html = format!("<html><body><p>{ARABIC_NEWS}</p></body></html>");
        let d = decode(&enc(WINDOWS_1256, &html), None).unwrap();
        assert_eq!(d.encoding, "windows-1256");
        assert_eq!(d.source, EncodingSource::Sniffed);
        assert_eq!(d.text, html);
        // A long ASCII head (inline scripts, CSS) before any Arabic.
        let html = format!(
            "<html><head><script>{}</script></head><body><p>{ARABIC_NEWS}</p></body></html>",
            "var a = 1;\n".repeat(20_000)
        );
        let d = decode(&enc(WINDOWS_1256, &html), None).unwrap();
        assert_eq!(d.encoding, "windows-1256");
        assert_eq!(d.text, html);
        // Plain text, no markup at all.
        let d = decode(&enc(WINDOWS_1256, ARABIC_NEWS), None).unwrap();
        assert_eq!(d.encoding, "windows-1256");
        assert_eq!(d.text, ARABIC_NEWS);
    }

    #[test]
    fn iso_8859_6_sniffed_without_declaration() {
        let d = decode(&enc(ISO_8859_6, ARABIC_NEWS), None).unwrap();
        assert_eq!(
            (d.encoding, d.source),
            ("ISO-8859-6", EncodingSource::Sniffed)
        );
        assert_eq!(d.text, ARABIC_NEWS);
    }

    #[test]
    fn declared_in_meta() {
        let page = |decl: &str| {
            format!(
                "<!DOCTYPE html><html><head><!-- <meta charset=\"koi8-r\"> -->{decl}\
                 <title>خبر</title></head><body><p>{ARABIC_NEWS}</p></body></html>"
            )
        };
        let html = page("<META CHARSET=iso-8859-6>");
        let d = decode(&enc(ISO_8859_6, &html), None).unwrap();
        assert_eq!(
            (d.encoding, d.source),
            ("ISO-8859-6", EncodingSource::Declared)
        );
        assert_eq!(d.text, html);

        let html =
            page("<meta http-equiv='Content-Type' content='text/html; charset=windows-1256'>");
        let d = decode(&enc(WINDOWS_1256, &html), None).unwrap();
        assert_eq!(
            (d.encoding, d.source),
            ("windows-1256", EncodingSource::Declared)
        );
        assert_eq!(d.text, html);

        let html = page("<meta content=\"text/html;charset=&quot;x\" http-equiv=content-type>");
        // Unknown declared label: falls through to sniffing.
        let d = decode(&enc(WINDOWS_1256, &html), None).unwrap();
        assert_eq!(d.source, EncodingSource::Sniffed);
    }

    #[test]
    fn declared_encoding_with_malformed_bytes() {
        // 0xA1 is unassigned in ISO-8859-6.
        let mut b = b"<meta charset=\"iso-8859-6\"><p>".to_vec();
        let off = b.len();
        b.extend_from_slice(b"\xc7\xe1\xa1");
        let e = decode(&b, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "undecodable bytes: invalid ISO-8859-6 (declared in <meta>) at byte {}",
                off + 2
            )
        );
        let e = decode(b"<meta charset=utf-8><p>\xc7\xe1</p>", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "undecodable bytes: invalid UTF-8 (declared in <meta>) at byte 23"
        );
    }

    #[test]
    fn ascii_with_contrary_declaration_is_utf8() {
        let d = decode(b"<meta charset=windows-1256><p>hello</p>", None).unwrap();
        assert_eq!((d.encoding, d.source), ("UTF-8", EncodingSource::Utf8Valid));
    }

    #[test]
    fn override_label() {
        let b = enc(WINDOWS_1256, ARABIC_NEWS);
        let d = decode(&b, Some(" CP1256 ")).unwrap();
        assert_eq!(
            (d.encoding, d.source),
            ("windows-1256", EncodingSource::Override)
        );
        assert_eq!(d.text, ARABIC_NEWS);
        let e = decode(&b, Some("klingon")).unwrap_err();
        assert_eq!(e.to_string(), "unknown encoding label \"klingon\"");
        assert!(matches!(
            decode(&b, Some("iso-2022-kr")),
            Err(DecodeError::UnknownEncoding(_))
        ));
        let e = decode(&b, Some("utf-8")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "undecodable bytes: invalid UTF-8 (--encoding) at byte 0"
        );
    }

    #[test]
    fn random_bytes_are_rejected() {
        // Deterministic pseudo-random bytes without NULs.
        let mut x: u32 = 0x1234_5678;
        let bytes: Vec<u8> = (0..4000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x as u8).max(1)
            })
            .collect();
        let e = decode(&bytes, None).unwrap_err();
        assert!(matches!(e, DecodeError::Undecodable(_)), "{e:?}");
    }

    #[test]
    fn control_characters() {
        assert!(too_many_controls("ab\u{1}"));
        assert!(too_many_controls("ab\u{85}"));
        assert!(!too_many_controls("a\tb\r\nc\u{c}d"));
        let mut s = "x".repeat(1000);
        s.push('\u{1b}');
        assert!(!too_many_controls(&s));
    }

    #[test]
    fn html_document_start() {
        assert!(starts_as_html_document("\u{feff}  <!DOCTYPE html><html>"));
        assert!(starts_as_html_document("<HTML lang=ar><BODY>x"));
        assert!(starts_as_html_document("<html>"));
        assert!(starts_as_html_document(
            "<!-- saved from url=(0014)about:internet -->\n<!doctype html>"
        ));
        assert!(starts_as_html_document(
            "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">"
        ));
        // Prose that mentions tags, or a comment, stays text.
        assert!(!starts_as_html_document(
            "Use <p> for paragraphs.\n<!-- and the rest"
        ));
        assert!(!starts_as_html_document("<p>a paragraph</p>"));
        assert!(!starts_as_html_document("<!-- unterminated comment <html>"));
        assert!(!starts_as_html_document("<htmlfoo>"));
        assert!(!starts_as_html_document("<!doctypes are fun"));
        assert!(!starts_as_html_document(""));
    }

    #[test]
    fn nearly_valid_utf8_is_repaired_not_mojibake() {
        // A stray 0xA0 in the middle and a character cut at the end.
        let mut b = ARABIC_NEWS.as_bytes()[..200].to_vec();
        let stray = b.len();
        b.push(0xa0);
        b.extend_from_slice(&ARABIC_NEWS.as_bytes()[200..]);
        let cut = b.len();
        b.extend_from_slice(&"ق".as_bytes()[..1]);
        let d = decode(&b, None).unwrap();
        assert_eq!(
            (d.encoding, d.source),
            ("UTF-8", EncodingSource::Utf8Repaired)
        );
        assert_eq!(d.replaced, vec![stray, cut]);
        assert!(d.text.starts_with("أعلنت وزارة الصحة"));
        assert_eq!(d.text.matches('\u{fffd}').count(), 2);
        // A contrary <meta> does not turn it into windows-1256 either.
        let mut page = b"<meta charset=windows-1256><p>".to_vec();
        page.extend_from_slice(&b);
        let d = decode(&page, None).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.replaced.len(), 2);
        // Declared UTF-8 (a header, --encoding) and a BOM: the same repair.
        let d = decode(&b, Some("utf-8")).unwrap();
        assert_eq!(d.replaced, vec![stray, cut]);
        let mut bom = b"\xef\xbb\xbf".to_vec();
        bom.extend_from_slice(&b);
        let d = decode(&bom, None).unwrap();
        assert_eq!(d.replaced, vec![stray + 3, cut + 3]);
        // Clean decodes replace nothing.
        assert!(
            decode(ARABIC_NEWS.as_bytes(), None)
                .unwrap()
                .replaced
                .is_empty()
        );
    }

    #[test]
    fn mostly_invalid_utf8_is_not_repaired() {
        // Legacy text is never taken for damaged UTF-8.
        let d = decode(&enc(WINDOWS_1256, ARABIC_NEWS), None).unwrap();
        assert_eq!(d.encoding, "windows-1256");
        assert!(d.replaced.is_empty());
        // Many bad bytes among a little UTF-8: refused, not repaired.
        let mut b = "سلام عليكم".as_bytes().to_vec();
        b.extend_from_slice(b" \xff\xfe\xfd x \xff y \xfe");
        assert_eq!(repair_utf8(&b, 0), None);
    }

    #[test]
    fn nul_anywhere_is_binary() {
        let mut b = ARABIC_NEWS.repeat(40).into_bytes();
        assert!(b.len() > 20_000);
        b.push(0);
        b.extend_from_slice(b"more text");
        let e = decode(&b, None).unwrap_err();
        assert_eq!(e.to_string(), "binary file (contains NUL bytes)");
    }

    #[test]
    fn html_detection() {
        assert!(is_probably_html("\u{feff}  <!DOCTYPE html><html>"));
        assert!(is_probably_html("<HTML><BODY>x"));
        assert!(is_probably_html("some text <p>para</p>"));
        assert!(!is_probably_html("plain text, 3 < 4 and 5 > 2"));
        assert!(!is_probably_html(""));
        // Cut in the middle of a multibyte char must not panic.
        let s = "ب".repeat(3000);
        assert!(!is_probably_html(&s));
    }

    #[test]
    fn meta_prescan_edge_cases() {
        assert_eq!(prescan_meta(b"<meta charset"), None);
        assert_eq!(prescan_meta(b"<meta charset='"), None);
        assert_eq!(prescan_meta(b"<!-- <meta charset=utf-8>"), None);
        assert_eq!(prescan_meta(b"<metax charset=utf-8>"), None);
        assert_eq!(
            prescan_meta(b"<meta/charset=\"UTF-16\">"),
            Some(UTF_8),
            "UTF-16 declared in ASCII means UTF-8"
        );
        assert_eq!(
            charset_from_content(b"text/html; charset=\"koi8-r\""),
            Some(&b"koi8-r"[..])
        );
        assert_eq!(charset_from_content(b"text/html; charset="), None);
    }

    proptest::proptest! {
        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..600),
                               label in proptest::option::of("[a-z0-9-]{0,12}")) {
            let _ = decode(&bytes, label.as_deref());
        }

        #[test]
        fn utf8_roundtrip(s in "\\PC{1,200}") {
            if let Ok(d) = decode(s.as_bytes(), None) {
                proptest::prop_assert_eq!(d.text, s);
            }
        }
    }
}
