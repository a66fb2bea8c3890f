//! Reading commands: `list`, `log`, `show`, `verify`.

use std::borrow::Cow;
use std::io::{IsTerminal, Write};

use clap::Args;
use serde::Serialize;

use super::error::{CliError, exit};
use super::{Context, Format};
use track::furniture::Hidden;
use track::store::{OpenMode, Store, StoreError, VerifyReport, VersionRef, VersionText};
use track::text::visible::{Visible, json_safe, visible_line};

#[derive(Debug, Args)]
pub struct FormatArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The article's key
    pub key: String,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// KEY (the current text: the latest observation's version), KEY@N (version N),
    /// KEY@-1 (the text that was current before the current one)
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Print the scrape's bytes as received (HTML, original encoding) instead of the text;
    /// on a terminal, control characters are still shown as escapes
    #[arg(long, conflicts_with = "format")]
    pub raw: bool,
    /// Print the stored text whole, page furniture learned on the article's host included
    /// (by default it is left out, and the count of hidden blocks goes to standard error)
    #[arg(long)]
    pub with_furniture: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `show --format json`: the version (its `text` exactly as stored), the
/// article's text and the furniture left out of it.
#[derive(Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    version: &'a VersionText,
    /// The text without the furniture learned on the article's host (the
    /// text `diff` and `claims` read).
    article_text: &'a str,
    /// The blocks left out, each with the id of the entry that hides it
    /// (`track furniture HOST --keep ID` keeps it).
    furniture: &'a [Hidden],
}

pub fn list(ctx: &Context, args: &FormatArgs) -> Result<i32, CliError> {
    let store = ctx.open(OpenMode::Existing)?;
    let articles = store.list()?;
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        writeln!(out, "{}", to_json(&articles)?)?;
        return Ok(exit::OK);
    }
    let (keys, width) = super::key_column(articles.iter().map(|a| a.key.as_str()));
    writeln!(
        out,
        "{:<width$}  {:>8}  {:>7}  {:<20}  {:<20}  {:<20}",
        "KEY", "VERSIONS", "CURRENT", "FIRST SEEN", "LAST CHANGED", "LAST CHECKED"
    )?;
    for (a, key) in articles.iter().zip(&keys) {
        // After a revert the current text is an older version: marked.
        let current = if a.current == a.versions {
            format!("v{}", a.current)
        } else {
            format!("↩ v{}", a.current)
        };
        let line = format!(
            "{key:<width$}  {:>8}  {current:>7}  {:<20}  {:<20}  {:<20}",
            a.versions, a.first_seen, a.last_changed, a.last_checked
        );
        writeln!(out, "{}", visible_line(&line))?;
    }
    Ok(exit::OK)
}

pub fn log(ctx: &Context, args: &LogArgs) -> Result<i32, CliError> {
    let store = ctx.open(OpenMode::Existing)?;
    let entries = track::history::log_entries(&store, &args.key)?;
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        writeln!(out, "{}", to_json(&entries)?)?;
        return Ok(exit::OK);
    }
    // Versions and reverts, in the order they happened; the header names
    // the current text (after a revert, an older version).
    let current = match store.states(&args.key)?.last() {
        Some(s) if s.revert => format!("  (current: v{}, after a revert)", s.version),
        Some(s) => format!("  (current: v{})", s.version),
        None => String::new(),
    };
    writeln!(out, "{}{current}", visible_line(&args.key))?;
    let mut shown_meta = String::new();
    for event in store.history(&args.key)? {
        let Some(e) = entries.iter().find(|e| e.info.version == event.version) else {
            continue;
        };
        if event.kind == "revert" {
            writeln!(out, "  ↩  {}  reverted to v{}", event.at, event.version)?;
            continue;
        }
        let v = &e.info;
        let seen = if v.unchanged_observations > 0 {
            format!("  (seen again {}×)", v.unchanged_observations)
        } else {
            String::new()
        };
        writeln!(
            out,
            "v{:<3} {}  {}  {:>8} B  {:>4} sentences  +{} -{} ~{}{}{seen}",
            v.version,
            v.fetched_at,
            &v.hash[..12],
            v.bytes,
            e.sentences,
            e.sentences_added,
            e.sentences_removed,
            e.sentences_edited,
            if e.sentences_moved > 0 {
                format!(" >{}", e.sentences_moved)
            } else {
                String::new()
            },
        )?;
        // Title, byline, publication and update times, under the first
        // version and wherever they change.
        let meta = [
            v.title.as_deref().map(|t| format!("“{t}”")),
            e.byline.as_deref().map(|b| format!("by {b}")),
            e.published.as_deref().map(|p| format!("published {p}")),
            e.modified.as_deref().map(|m| format!("updated {m}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
        if !meta.is_empty() && meta != shown_meta {
            writeln!(out, "     {}", visible_line(&meta))?;
        }
        shown_meta = meta;
        // A headline change is a change readers look for first: say so.
        let replaced = v
            .previous
            .and_then(|p| entries.iter().find(|e| e.info.version == p));
        if let (Some(old), Some(new)) = (replaced.and_then(|r| r.info.title.as_deref()), &v.title)
            && track::report::titles_differ(old, new)
        {
            writeln!(
                out,
                "     {}",
                visible_line(&format!("headline changed, was “{old}”"))
            )?;
        }
    }
    Ok(exit::OK)
}

pub fn show(ctx: &Context, args: &ShowArgs) -> Result<i32, CliError> {
    let store = ctx.open(OpenMode::Existing)?;
    let version = store.version(&VersionRef::parse(&args.reference))?;
    let (article, hidden) = track::furniture::article_of(&store, &version)?;
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json && !args.raw {
        // The exact stored text (JSON escapes control characters), and the article's.
        let shown = Shown {
            version: &version,
            article_text: &article.text,
            furniture: &hidden,
        };
        writeln!(out, "{}", to_json(&shown)?)?;
        out.flush()?;
        return Ok(exit::OK);
    }
    let version = if args.raw || args.with_furniture || hidden.is_empty() {
        version
    } else {
        let host = store.furniture_host(&version.key)?.unwrap_or_default();
        eprintln!(
            "track: {} block{} of page furniture learned on {} left out (track furniture {}; --with-furniture shows the stored text)",
            hidden.len(),
            if hidden.len() == 1 { "" } else { "s" },
            visible_line(&host),
            visible_line(&host),
        );
        article
    };
    if args.raw && !out.is_terminal() {
        // The scrape's bytes, untouched, for a pipe or a file.
        out.write_all(&store.blob(&version.raw_hash)?)?;
        out.flush()?;
        return Ok(exit::OK);
    }
    // The text (or, with --raw, the scrape) with control characters (ESC,
    // lone CR, C1, bidi overrides) shown as escapes: human output never
    // carries them raw. The exact text is in --format json.
    // A text scrape is printed byte for byte (to a pipe); text extracted
    // from HTML has no bytes of its own to keep, and ends its last line, as
    // does anything shown on a terminal.
    let end_line = out.is_terminal() || version.media_type != "text/plain";
    let mut out = Visible::new(out);
    if args.raw {
        out.write_all(&store.blob(&version.raw_hash)?)?;
    } else {
        out.write_all(version.text.as_bytes())?;
        if end_line && !version.text.is_empty() && !version.text.ends_with('\n') {
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(exit::OK)
}

pub fn verify(ctx: &Context, args: &FormatArgs) -> Result<i32, CliError> {
    let report = match Store::open(&ctx.db, OpenMode::Existing) {
        Ok(store) => store.verify()?,
        // Too damaged to open: that is what verify is asked to find.
        Err(StoreError::Damaged { path, reason }) => VerifyReport {
            problems: vec![format!(
                "{}: SQLite cannot read it as a database ({reason})",
                path.display()
            )],
            ..VerifyReport::default()
        },
        Err(e) => return Err(e.into()),
    };
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        writeln!(out, "{}", to_json(&report)?)?;
    } else {
        for p in &report.problems {
            writeln!(out, "damaged: {}", visible_line(p))?;
        }
        let verdict = if report.problems.is_empty() {
            "ok".to_string()
        } else {
            format!("damage found, {} problem(s)", report.problems.len())
        };
        writeln!(
            out,
            "verified {} blobs ({} bytes): {verdict}",
            report.blobs, report.bytes
        )?;
    }
    Ok(if report.problems.is_empty() {
        exit::OK
    } else {
        exit::DIFFERENCES
    })
}

/// Pretty JSON, with C1 and bidi controls escaped too.
pub(super) fn to_json(value: &impl Serialize) -> Result<String, CliError> {
    let json = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::internal(format!("JSON: {e}")))?;
    Ok(match json_safe(&json) {
        Cow::Borrowed(_) => json,
        Cow::Owned(safe) => safe,
    })
}

/// [`to_json`] as bytes, into a buffer of `capacity` bytes to start with: a
/// diff's JSON is a megabyte, which growing by doubling copies about twice
/// over (and checking it as UTF-8 byte by byte costs as much again).
pub(super) fn to_json_bytes(value: &impl Serialize, capacity: usize) -> Result<Vec<u8>, CliError> {
    let failed = |e: &dyn std::fmt::Display| CliError::internal(format!("JSON: {e}"));
    let mut json = Vec::with_capacity(capacity);
    value
        .serialize(&mut serde_json::Serializer::with_formatter(
            &mut json,
            Pretty::default(),
        ))
        .map_err(|e| failed(&e))?;
    let text = simdutf8::basic::from_utf8(&json).map_err(|e| failed(&e))?;
    Ok(match json_safe(text) {
        Cow::Borrowed(_) => json,
        Cow::Owned(safe) => safe.into_bytes(),
    })
}

/// serde_json's `PrettyFormatter` (two spaces), writing each line break and
/// its indent in one write rather than one per level: a diff's JSON has
/// tens of thousands of lines, nested five deep.
#[derive(Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    /// `,` (unless `first`), a line break and the indent of the current depth.
    fn line<W: ?Sized + Write>(&self, writer: &mut W, first: bool) -> std::io::Result<()> {
        const BREAK: &[u8] = b",\n                                                                ";
        let from = usize::from(first);
        match BREAK.get(from..2 + 2 * self.depth) {
            Some(line) => writer.write_all(line),
            None => {
                writer.write_all(&BREAK[from..2])?;
                (0..self.depth).try_for_each(|_| writer.write_all(b"  "))
            }
        }
    }

    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, end: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(writer, true)?;
        }
        writer.write_all(end)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The buffered formatter writes serde_json's pretty output byte for
    /// byte: empty and nested containers, nesting deeper than its indent
    /// buffer, and strings that must be escaped for a terminal.
    #[test]
    fn json_bytes_are_serde_jsons_pretty_output() {
        let deep = (0..40).fold(
            serde_json::json!(1),
            |v, _| serde_json::json!([v, {"k": []}, {}]),
        );
        let value = serde_json::json!({
            "a": [],
            "b": {},
            "c": [1, {"d": "x\u{202e}y\u{85}", "e": null}, [[], {}]],
            "deep": deep,
            "s": "نص \"مقتبس\"",
        });
        for capacity in [0, 16, 1 << 16] {
            let ours = to_json_bytes(&value, capacity).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), to_json(&value).unwrap());
        }
    }
}
