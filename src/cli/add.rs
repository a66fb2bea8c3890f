//! `track add`: ingest files, folders and standard input.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::error::{CliError, exit};
use super::{Context, Format};
use track::ingest::{
    self, Candidate, IngestOptions, InputError, InputFormat, ObservedTime, Outcome, Summary,
};
use track::store::{OpenMode, Recorded};
use track::text::visible::{check_key, json_safe, visible_line};

/// Batches larger than this get a progress bar on a terminal.
const PROGRESS_THRESHOLD: usize = 50;

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Files or folders (recursive) to ingest; - reads standard input
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Article key for every input [default: the page's canonical URL, else --url, else the file name without extension; two different files of one batch with the same name are refused]
    #[arg(long)]
    pub key: Option<String>,

    /// The article's URL
    #[arg(long)]
    pub url: Option<String>,

    /// When the scrape was taken, RFC 3339 (e.g. 2025-12-25T10:00:00Z) [default: now].
    /// An article's history is kept in time order: a scrape observed before its latest
    /// observation is refused
    #[arg(long, value_name = "RFC3339", value_parser = parse_time)]
    pub at: Option<DateTime<Utc>>,

    /// Take each file's modification time as when it was scraped, and ingest the inputs
    /// oldest first (for back-filling an archive of scrapes)
    #[arg(long, conflicts_with = "at")]
    pub at_mtime: bool,

    /// Encoding of the inputs (windows-1256, iso-8859-6, utf-16le, …) [default: detected]
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// What the inputs are [default: HTML for .html/.htm files and documents starting with <!doctype html or <html, else text]
    #[arg(long, value_enum, value_name = "FORMAT", alias = "as")]
    pub input_format: Option<InputFormatArg>,

    /// CSS selector of the article's container in HTML inputs, used instead of automatic
    /// extraction (repeatable; a selector list such as 'article, .story' works too). A page
    /// it matches nothing on is extracted automatically, with a warning
    #[arg(long, value_name = "CSS")]
    pub select: Vec<String>,

    /// CSS selector of elements to remove from HTML inputs before extraction
    /// (repeatable), e.g. '.related, .ad'
    #[arg(long, value_name = "CSS")]
    pub ignore_selector: Vec<String>,

    /// Refuse inputs larger than this (bytes, or with k, M, G)
    #[arg(long, value_name = "SIZE", default_value = "20M", value_parser = parse_size)]
    pub max_size: u64,

    /// Output: one line per input (term) or one JSON object per line (json)
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,

    /// Threads that read, decode and extract inputs while one writes them, in input
    /// order [default: the number of CPUs]
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum InputFormatArg {
    Text,
    Html,
}

fn parse_time(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("not an RFC 3339 time ({e}); example: 2025-12-25T10:00:00Z"))
}

fn parse_size(s: &str) -> Result<u64, String> {
    track::watch::schedule::parse_size(s)
}

pub fn run(ctx: &Context, args: AddArgs) -> Result<i32, CliError> {
    // A key or URL given for every input is refused before anything is read.
    for (flag, what, value) in [("--key", "key", &args.key), ("--url", "URL", &args.url)] {
        if let Some(value) = value {
            check_key(what, value).map_err(|e| CliError::input(format!("{flag}: {e}")))?;
        }
    }
    // A scrape from the future would pin its article: nothing observed
    // later could be recorded.
    if let Some(at) = args.at
        && at > Utc::now() + chrono::Duration::minutes(1)
    {
        return Err(CliError::input(format!(
            "--at {}: in the future (history is kept in time order)",
            track::store::format_time(at)
        )));
    }
    if args.at_mtime && args.paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(CliError::input(
            "--at-mtime: standard input (-) has no modification time (add it separately, with --at)",
        ));
    }
    // Selectors are checked before anything is read, each naming itself.
    for (flag, list) in [
        ("--select", &args.select),
        ("--ignore-selector", &args.ignore_selector),
    ] {
        for selector in list {
            ingest::select::compile(selector)
                .map_err(|e| CliError::input(format!("{flag}: {e}")))?;
        }
    }
    let selectors = ingest::select::Selectors {
        select: args.select,
        ignore: args.ignore_selector,
    };
    let opts = IngestOptions {
        key: args.key,
        url: args.url,
        observed_at: args.at.unwrap_or_else(Utc::now),
        time: match (args.at, args.at_mtime) {
            (_, true) => ObservedTime::Mtime,
            (Some(_), false) => ObservedTime::Given,
            (None, false) => ObservedTime::Now,
        },
        max_bytes: args.max_size,
        encoding: args.encoding,
        format: match args.input_format {
            None => InputFormat::Auto,
            Some(InputFormatArg::Text) => InputFormat::Text,
            Some(InputFormatArg::Html) => InputFormat::Html,
        },
        selectors,
    };
    let mut candidates = Vec::new();
    let mut files = Vec::new();
    for path in args.paths {
        if path.as_os_str() == "-" {
            candidates.append(&mut ingest::expand(&std::mem::take(&mut files)));
            candidates.push(read_stdin(opts.max_bytes));
        } else {
            files.push(path);
        }
    }
    candidates.append(&mut ingest::expand(&files));

    let mut store = ctx.open(OpenMode::Create)?;
    let total = candidates.len();
    let bar = (total > PROGRESS_THRESHOLD && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(total as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} inputs, {per_sec}, eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut write_error: Option<std::io::Error> = None;
    let jobs = args.jobs.map_or_else(super::default_jobs, usize::from);
    let summary = ingest::ingest(&mut store, candidates, &opts, jobs, |outcomes| {
        // One write per committed chunk: what a reader sees is what is stored.
        let mut buffer = Vec::with_capacity(outcomes.len() * 64);
        for outcome in outcomes {
            let _ = match args.format {
                Format::Term => print_term(&mut buffer, outcome),
                Format::Json => print_json(&mut buffer, outcome),
            };
        }
        let mut emit = || out.write_all(&buffer).and_then(|()| out.flush());
        let result = match &bar {
            Some(bar) => {
                bar.inc(outcomes.len() as u64);
                bar.suspend(emit)
            }
            None => emit(),
        };
        if let Err(e) = result {
            write_error.get_or_insert(e);
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(e) = write_error {
        return Err(e.into());
    }
    match args.format {
        Format::Term if summary.inputs > 1 => writeln!(out, "{}", summary_line(&summary))?,
        Format::Json => writeln!(out, "{}", serde_json::json!({ "summary": summary }))?,
        Format::Term => {}
    }
    Ok(if summary.errors > 0 {
        exit::BAD_INPUT
    } else {
        exit::OK
    })
}

fn read_stdin(max_bytes: u64) -> Candidate {
    let name = "-".to_string();
    let mut bytes = Vec::new();
    match std::io::stdin()
        .lock()
        .take(max_bytes + 1)
        .read_to_end(&mut bytes)
    {
        Err(e) => Candidate::Problem {
            name,
            error: InputError::Unreadable(e.to_string()),
        },
        Ok(_) if bytes.len() as u64 > max_bytes => Candidate::Problem {
            name,
            error: InputError::TooLarge {
                size: bytes.len() as u64,
                limit: max_bytes,
            },
        },
        Ok(_) => Candidate::Bytes { name, bytes },
    }
}

/// One line per input; keys and file names with control characters shown
/// as escapes.
pub(super) fn print_term(out: &mut impl Write, o: &Outcome) -> std::io::Result<()> {
    for warning in &o.warnings {
        let _ = writeln!(
            std::io::stderr(),
            "warning: {}: {}",
            visible_line(&o.input),
            visible_line(warning)
        );
    }
    let key = visible_line(o.key.as_deref().unwrap_or("?"));
    match &o.result {
        Ok(Recorded::NewArticle { version }) => writeln!(out, "new article {key} (v{version})"),
        Ok(Recorded::NewVersion { version }) => writeln!(out, "{key}: new version v{version}"),
        Ok(Recorded::Unchanged { .. }) => writeln!(out, "{key}: unchanged"),
        Ok(Recorded::Reverted { version }) => writeln!(out, "{key}: reverted to v{version}"),
        Err(e) => {
            // Errors go to stderr, one line each, naming the input.
            let line = format!("{}: {e}", o.input);
            let _ = writeln!(std::io::stderr(), "error: {}", visible_line(&line));
            Ok(())
        }
    }
}

fn print_json(out: &mut impl Write, o: &Outcome) -> std::io::Result<()> {
    let value = match &o.result {
        Ok(r) => {
            let mut v = serde_json::to_value(r).unwrap_or_default();
            v["input"] = o.input.clone().into();
            v["key"] = o.key.clone().into();
            if !o.warnings.is_empty() {
                v["warnings"] = o.warnings.clone().into();
            }
            v
        }
        Err(e) => {
            serde_json::json!({ "input": o.input, "status": "error", "error": e.to_string() })
        }
    };
    writeln!(out, "{}", json_safe(&value.to_string()))
}

fn summary_line(s: &Summary) -> String {
    fn plural(n: usize, one: &str, many: &str) -> String {
        format!("{n} {}", if n == 1 { one } else { many })
    }
    format!(
        "{}: {}, {}, {} unchanged, {} reverted, {}",
        plural(s.inputs, "input", "inputs"),
        plural(s.new_articles, "new article", "new articles"),
        plural(s.new_versions, "new version", "new versions"),
        s.unchanged,
        s.reverted,
        plural(s.errors, "error", "errors"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("20M").unwrap(), 20_000_000);
        assert_eq!(parse_size("500k").unwrap(), 500_000);
        assert_eq!(parse_size("1.5MB").unwrap(), 1_500_000);
        assert_eq!(parse_size("1KiB").unwrap(), 1024);
        assert_eq!(parse_size("123").unwrap(), 123);
        assert!(parse_size("lots").is_err());
        assert!(parse_size("3 parsecs").is_err());
    }
}
