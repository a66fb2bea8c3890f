//! Control characters made visible, for every output meant for people.
//!
//! A scrape can carry terminal escape sequences (`ESC [2J`, `ESC ]0;…BEL`),
//! C1 controls, carriage returns and bidi overrides. Stored text keeps them
//! exactly; human renderings (terminal, unified diff, HTML, error messages)
//! show each one as an escape instead: `\x1b` for C0 controls and DEL,
//! `\u{9b}` for C1 controls, `\u{202e}` for the bidi embedding, override and
//! isolate controls (U+202A–202E, U+2066–2069), so none of them can move the
//! cursor, retitle the window, or reorder the report's own text. Newlines and
//! tabs are kept in running text; a single line (a key, a file name, an error
//! message) shows them as `\n` and `\t` too. The marks LRM, RLM and ALM, which
//! Arabic text legitimately uses, are kept.
//!
//! JSON output needs none of this: it escapes control characters itself.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Whether `c` is a bidi embedding, override or isolate control (or their
/// terminators), which can reorder the text around them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` must not reach a terminal raw: C0 controls, DEL, C1 controls
/// and the bidi controls. Newline and tab are included; running text keeps
/// them (see [`visible`]).
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Append the visible form of `c` (`\x1b`, `\u{9b}`, `\u{202e}`).
fn push_escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c if (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// `text` with the characters `hide` picks (given the next character) shown
/// as escapes. `hide` picks only [`is_unsafe`] characters, and each of those
/// has in its UTF-8 a byte below 0x20, 0x7f, or the lead byte 0xc2 (C1) or
/// 0xe2 (bidi): only characters at such bytes are decoded and asked about, the
/// runs between them (Arabic and Latin letters: most of a report) are copied
/// whole.
fn escape_where(text: &str, hide: impl Fn(char, Option<char>) -> bool) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let candidate = |b: &u8| *b < 0x20 || matches!(*b, 0x7f | 0xc2 | 0xe2);
    let mut out: Option<String> = None;
    // `text[..copied]` is in `out`.
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = bytes[at..].iter().position(candidate) {
        // A byte below 0x80 or a lead byte: a character starts there.
        let start = at + found;
        let mut rest = text[start..].chars();
        let Some(c) = rest.next() else { break };
        at = start + c.len_utf8();
        if hide(c, rest.next()) {
            let out = out.get_or_insert_with(|| String::with_capacity(text.len() + 16));
            out.push_str(&text[copied..start]);
            push_escape(out, c);
            copied = at;
        }
    }
    match out {
        Some(mut s) => {
            s.push_str(&text[copied..]);
            Cow::Owned(s)
        }
        None => Cow::Borrowed(text),
    }
}

/// Running text for people: every unsafe character shown as an escape;
/// newlines, tabs and the CR of a CRLF kept.
pub fn visible(text: &str) -> Cow<'_, str> {
    escape_where(text, |c, next| match c {
        '\n' | '\t' => false,
        '\r' => next != Some('\n'),
        c => is_unsafe(c),
    })
}

/// One line for people (a key, a file name, a title, an error message):
/// every unsafe character shown as an escape, newlines and tabs included.
pub fn visible_line(text: &str) -> Cow<'_, str> {
    escape_where(text, |c, _| is_unsafe(c))
}

/// A writer that shows what passes through it as [`visible`] does: for
/// outputs that never write escape sequences of their own. Bytes that are not
/// UTF-8 are shown as `\xNN`. A CR that ends a write is held until the next
/// byte tells whether it begins a CRLF.
pub struct Visible<W: Write> {
    inner: W,
    /// The start of a UTF-8 sequence split across writes.
    pending: Vec<u8>,
}

impl<W: Write> Visible<W> {
    pub fn new(inner: W) -> Visible<W> {
        Visible {
            inner,
            pending: Vec::new(),
        }
    }

    fn emit(&mut self, bytes: &[u8], last: bool) -> io::Result<()> {
        let (mut bytes, held_cr) = match bytes.split_last() {
            Some((b'\r', head)) if !last => (head, true),
            _ => (bytes, false),
        };
        let mut out = String::with_capacity(bytes.len() + 16);
        loop {
            match std::str::from_utf8(bytes) {
                Ok(s) => {
                    out.push_str(&visible(s));
                    break;
                }
                Err(e) => {
                    let (good, rest) = bytes.split_at(e.valid_up_to());
                    // Checked by from_utf8 just now.
                    out.push_str(&visible(std::str::from_utf8(good).unwrap_or_default()));
                    match e.error_len() {
                        Some(n) => {
                            for b in &rest[..n] {
                                let _ = write!(out, "\\x{b:02x}");
                            }
                            bytes = &rest[n..];
                        }
                        // An incomplete sequence at the end: wait for more.
                        None if !last => {
                            self.pending.extend_from_slice(rest);
                            break;
                        }
                        None => {
                            for b in rest {
                                let _ = write!(out, "\\x{b:02x}");
                            }
                            break;
                        }
                    }
                }
            }
        }
        if held_cr {
            self.pending.push(b'\r');
        }
        self.inner.write_all(out.as_bytes())
    }

    /// Flush and return the inner writer.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.flush()?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for Visible<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.pending.is_empty() {
            self.emit(buf, false)?;
        } else {
            let mut joined = std::mem::take(&mut self.pending);
            joined.extend_from_slice(buf);
            self.emit(&joined, false)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let pending = std::mem::take(&mut self.pending);
            self.emit(&pending, true)?;
        }
        self.inner.flush()
    }
}

/// JSON text with DEL, C1 controls and bidi controls written as `\uXXXX`
/// escapes, as JSON writers already write the C0 controls: the same value
/// for a parser, nothing raw for a terminal. (Those characters can only
/// occur inside JSON strings, where the escape means the same character.)
pub fn json_safe(json: &str) -> Cow<'_, str> {
    let hide = |c: char| c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c) || is_bidi_control(c);
    let Some(first) = first_hidden(json.as_bytes()) else {
        return Cow::Borrowed(json);
    };
    let mut out = String::with_capacity(json.len() + 16);
    out.push_str(&json[..first]);
    for c in json[first..].chars() {
        if hide(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Where the first character [`json_safe`] escapes starts in UTF-8 `text`:
/// DEL (`7F`), a C1 control (`C2 80`–`C2 9F`) or a bidi control (`E2 80 AA`–
/// `E2 80 AE`, `E2 81 A6`–`E2 81 A9`). A report's JSON is a megabyte of
/// Arabic: the lead bytes are searched for (vectorised), and no character is
/// decoded.
fn first_hidden(text: &[u8]) -> Option<usize> {
    let hidden_at = |i: usize| match text[i] {
        0x7f => true,
        0xc2 => matches!(text.get(i + 1), Some(0x80..=0x9f)),
        0xe2 => matches!(
            (text.get(i + 1), text.get(i + 2)),
            (Some(0x80), Some(0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ),
        _ => false,
    };
    memchr::memchr3_iter(0x7f, 0xc2, 0xe2, text).find(|&i| hidden_at(i))
}

/// Why a key or URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{what} {shown} has a control character ({code}); keys and URLs may not contain control characters",
    shown = format!("\"{}\"", visible_line(.text)),
    code = format!("U+{:04X}", *.found as u32)
)]
pub struct ControlInKey {
    /// `key` or `URL`.
    pub what: &'static str,
    pub text: String,
    pub found: char,
}

/// Refuse an article key or URL with a control character (C0 including
/// newline and tab, DEL, C1) or a bidi control: it would forge lines or
/// reorder text wherever it is shown.
pub fn check_key(what: &'static str, text: &str) -> Result<(), ControlInKey> {
    match text.chars().find(|&c| is_unsafe(c)) {
        None => Ok(()),
        Some(found) => Err(ControlInKey {
            what,
            text: text.to_string(),
            found,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `escape_where` as first written: a character at a time.
    fn escape_where_reference(
        text: &str,
        hide: impl Fn(char, Option<char>) -> bool,
    ) -> Cow<'_, str> {
        let mut chars = text.chars().peekable();
        let mut out: Option<String> = None;
        let mut at = 0;
        while let Some(c) = chars.next() {
            if hide(c, chars.peek().copied()) {
                let out = out.get_or_insert_with(|| {
                    let mut s = String::with_capacity(text.len() + 16);
                    s.push_str(&text[..at]);
                    s
                });
                push_escape(out, c);
            } else if let Some(out) = &mut out {
                out.push(c);
            }
            at += c.len_utf8();
        }
        match out {
            Some(s) => Cow::Owned(s),
            None => Cow::Borrowed(text),
        }
    }

    fn same_as_reference(text: &str) {
        let running = |c: char, next: Option<char>| match c {
            '\n' | '\t' => false,
            '\r' => next != Some('\n'),
            c => is_unsafe(c),
        };
        assert_eq!(
            visible(text),
            escape_where_reference(text, running),
            "{text:?}"
        );
        assert_eq!(
            visible_line(text),
            escape_where_reference(text, |c, _| is_unsafe(c)),
            "{text:?}"
        );
        assert_eq!(
            matches!(visible_line(text), Cow::Borrowed(_)),
            !text.chars().any(is_unsafe),
            "{text:?}"
        );
    }

    #[test]
    fn every_unsafe_character_is_found_between_runs() {
        let unsafe_chars: Vec<char> = ('\0'..='\u{2100}').filter(|&c| is_unsafe(c)).collect();
        for c in unsafe_chars {
            for text in [
                format!("{c}"),
                format!("قال {c}x"),
                format!("a\r{c}\r\nb — “c” {c}"),
                format!("\u{2028}{c}\u{200f}é\u{9f}\u{a0}"),
            ] {
                same_as_reference(&text);
            }
        }
    }

    proptest! {
        #[test]
        fn same_as_a_character_at_a_time(
            text in proptest::collection::vec(
                prop_oneof![
                    Just("\r".to_string()),
                    Just("\n".to_string()),
                    Just("\r\n".to_string()),
                    Just("\u{202e}".to_string()),
                    Just("\u{9b}".to_string()),
                    Just("— “x”".to_string()),
                    Just("قال".to_string()),
                    any::<char>().prop_map(String::from),
                    "[a-z \t]{0,5}",
                ],
                0..30,
            ).prop_map(|v| v.concat())
        ) {
            same_as_reference(&text);
        }
    }

    #[test]
    fn controls_become_escapes() {
        assert_eq!(
            visible("a\x1b[2Jb\x1b]0;t\x07\r\u{9b}1m\u{7f}"),
            "a\\x1b[2Jb\\x1b]0;t\\x07\\r\\u{9b}1m\\x7f"
        );
        assert_eq!(visible("x\u{202e}y\u{2066}z"), "x\\u{202e}y\\u{2066}z");
        assert_eq!(visible("line\n\tnext"), "line\n\tnext");
        // CRLF is a line end; a lone CR would overwrite the line.
        assert_eq!(visible("a\r\nb\rc\r"), "a\r\nb\\rc\\r");
        assert_eq!(visible_line("a\nb\tc"), "a\\nb\\tc");
        // Marks Arabic needs stay.
        let arabic = "قال\u{200f} 25\u{200e} \u{61c}x";
        assert!(matches!(visible(arabic), Cow::Borrowed(s) if s == arabic));
    }

    #[test]
    fn writer_handles_split_sequences_and_bad_bytes() {
        let mut w = Visible::new(Vec::new());
        let text = "é\u{9b}\u{202e}ok\x1b".as_bytes();
        for b in text {
            w.write_all(&[*b]).unwrap();
        }
        w.write_all(b"\xff\xc2").unwrap();
        w.flush().unwrap();
        w.write_all(b" a\r").unwrap();
        w.write_all(b"\nb\r").unwrap();
        let out = w.into_inner().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "é\\u{9b}\\u{202e}ok\\x1b\\xff\\xc2 a\r\nb\\r"
        );
    }

    #[test]
    fn json_escapes_c1_and_bidi_controls() {
        let value = serde_json::json!({ "t": "a\u{1b}\u{7f}\u{9b}\u{202e}\u{2069}\u{200f}é" });
        let text = value.to_string();
        let safe = json_safe(&text);
        // RLM is a mark Arabic needs: kept.
        assert_eq!(
            safe,
            "{\"t\":\"a\\u001b\\u007f\\u009b\\u202e\\u2069\u{200f}é\"}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    /// The byte scan finds what a scan of the characters finds, wherever
    /// the character falls against the 32-byte chunks.
    #[test]
    fn hidden_characters_are_found_at_any_offset() {
        let hide =
            |c: char| c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c) || is_bidi_control(c);
        let reference = |t: &str| t.char_indices().find(|&(_, c)| hide(c)).map(|(i, _)| i);
        let shown = [
            "\u{7f}", "\u{80}", "\u{9f}", "\u{202a}", "\u{202e}", "\u{2066}", "\u{2069}",
        ];
        let kept = [
            "\u{a0}", "©", "\u{200f}", "\u{2029}", "\u{202f}", "\u{2065}", "\u{206a}", "“", "ع",
            "\u{61c}",
        ];
        for pad in 0..70 {
            let prefix = "ب".repeat(pad / 2) + &"x".repeat(pad % 2);
            for k in kept {
                let t = format!("{prefix}{k}{k}z");
                assert_eq!(first_hidden(t.as_bytes()), None, "{t:?}");
            }
            for h in shown {
                let t = format!("{prefix}“{h}ي{h}");
                assert_eq!(first_hidden(t.as_bytes()), reference(&t), "{t:?}");
                assert!(json_safe(&t).contains("\\u"));
            }
        }
    }

    #[test]
    fn keys_with_controls_are_refused() {
        assert!(check_key("key", "https://example.org/a?b=1").is_ok());
        assert!(check_key("key", "خبر-١").is_ok());
        for bad in ["a\nb", "a\x1bb", "a\u{9b}", "a\u{202e}b", "a\tb", "a\u{7f}"] {
            assert!(check_key("key", bad).is_err(), "{bad:?}");
        }
        let e = check_key("key", "x\n\x1b[2J").unwrap_err().to_string();
        assert_eq!(
            e,
            "key \"x\\n\\x1b[2J\" has a control character (U+000A); keys and URLs may not contain control characters"
        );
    }
}
