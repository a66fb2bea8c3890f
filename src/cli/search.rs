//! `track search QUERY`: sentences of every version of every article.

use std::io::{IsTerminal, Write};

use chrono::{DateTime, NaiveDate, Utc};
use clap::Args;
use serde::Serialize;

use super::error::{CliError, exit};
use super::read::to_json;
use super::{Context, Format};
use track::furniture::{host_of, host_of_argument};
use track::search::Query;
use track::store::search::{SearchFilter, SearchHit};
use track::store::{OpenMode, format_time};
use track::text::visible::visible_line;

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to find, all of them, in one sentence (Arabic spelling variants, diacritics,
    /// tatweel and digit scripts do not matter; nothing in it is search syntax)
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    /// Only this article
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
    /// Only articles whose URL is on this host (example.org, or a URL)
    #[arg(long, value_name = "HOST")]
    pub host: Option<String>,
    /// Only sentences still there at or after this time: RFC 3339, a date (2025-12-25),
    /// or how long ago (7d)
    #[arg(long, value_name = "TIME", value_parser = parse_since)]
    pub since: Option<DateTime<Utc>>,
    /// Only sentences that had appeared by this time: RFC 3339, a date (to its end), or
    /// how long ago (7d)
    #[arg(long, value_name = "TIME", value_parser = parse_until)]
    pub until: Option<DateTime<Utc>>,
    /// Only sentences the article's current version no longer has (what was taken out)
    #[arg(long)]
    pub removed: bool,
    /// Results at most (the most recently seen first)
    #[arg(long, value_name = "N", default_value_t = 50,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub limit: u32,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

fn parse_since(s: &str) -> Result<DateTime<Utc>, String> {
    parse_bound(s, false)
}

fn parse_until(s: &str) -> Result<DateTime<Utc>, String> {
    parse_bound(s, true)
}

/// A time, a date (its start, or its end for `--until`), or a duration ago.
fn parse_bound(s: &str, end_of_day: bool) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let t = if end_of_day {
            d.and_hms_opt(23, 59, 59)
        } else {
            d.and_hms_opt(0, 0, 0)
        };
        return t
            .map(|t| t.and_utc())
            .ok_or_else(|| "not a time".to_string());
    }
    match track::watch::schedule::parse_duration(s) {
        Ok(ago) => {
            let ago = chrono::Duration::from_std(ago).unwrap_or(chrono::Duration::MAX);
            Ok(Utc::now()
                .checked_sub_signed(ago)
                .unwrap_or(DateTime::<Utc>::MIN_UTC))
        }
        Err(_) => Err(
            "not a time: give RFC 3339 (2025-12-25T10:00:00Z), a date (2025-12-25) or a duration (7d)"
                .into(),
        ),
    }
}

/// `search --format json`: one object per matching sentence.
#[derive(Serialize)]
struct JsonHit<'a> {
    #[serde(flatten)]
    hit: &'a SearchHit,
    host: Option<String>,
    /// The words that matched, as character offsets into `sentence`.
    marks: Vec<JsonMark<'a>>,
}

#[derive(Serialize)]
struct JsonMark<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

pub fn run(ctx: &Context, args: &SearchArgs) -> Result<i32, CliError> {
    let query = Query::parse(&args.query).map_err(|e| CliError::input(e.to_string()))?;
    let host =
        match &args.host {
            Some(arg) => Some(host_of_argument(arg).ok_or_else(|| {
                CliError::input(format!("--host {}: not a host", visible_line(arg)))
            })?),
            None => None,
        };
    let store = ctx.open(OpenMode::Existing)?;
    let articles: Option<Vec<i64>> = match &host {
        Some(host) => Some(
            store
                .article_urls()?
                .into_iter()
                .filter(|(_, url)| url.as_deref().and_then(host_of).as_ref() == Some(host))
                .map(|(id, _)| id)
                .collect(),
        ),
        None => None,
    };
    let since = args.since.map(format_time);
    let until = args.until.map(format_time);
    let hits = store.search(&SearchFilter {
        query: &query,
        key: args.key.as_deref(),
        articles: articles.as_deref(),
        since: since.as_deref(),
        until: until.as_deref(),
        removed: args.removed,
        limit: args.limit as usize,
    })?;
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        let json: Vec<JsonHit> = hits
            .iter()
            .map(|hit| JsonHit {
                hit,
                host: hit.url.as_deref().and_then(host_of),
                marks: query
                    .marks(&hit.sentence)
                    .into_iter()
                    .map(|r| JsonMark {
                        start: hit.sentence[..r.start].chars().count(),
                        end: hit.sentence[..r.end].chars().count(),
                        text: &hit.sentence[r],
                    })
                    .collect(),
            })
            .collect();
        writeln!(out, "{}", to_json(&json)?)?;
        return Ok(exit::OK);
    }
    let colour = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    for hit in &hits {
        write_hit(&mut out, hit, &query, colour)?;
    }
    if hits.is_empty() {
        writeln!(out, "no matching sentence")?;
    }
    Ok(exit::OK)
}

/// One hit for people: everything from the store through `visible_line`, the
/// marks (bold, or `[…]` without colour) added around it.
fn write_hit(
    out: &mut impl Write,
    hit: &SearchHit,
    query: &Query,
    colour: bool,
) -> Result<(), CliError> {
    let host = hit.url.as_deref().and_then(host_of);
    write!(out, "{}", visible_line(&hit.key))?;
    if let Some(host) = &host {
        write!(out, " ({})", visible_line(host))?;
    }
    if let Some(title) = hit.title.as_deref().filter(|t| !t.is_empty()) {
        write!(out, " — {}", visible_line(title))?;
    }
    writeln!(out)?;
    let state = if hit.present {
        "still there"
    } else {
        "removed"
    };
    writeln!(
        out,
        "  v{} {} … v{} {} · {state}",
        hit.first_seen.version,
        hit.first_seen.fetched_at,
        hit.last_seen.version,
        hit.last_seen.fetched_at
    )?;
    let (open, close) = if colour {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    let mut line = String::from("  ");
    let mut at = 0;
    for r in query.marks(&hit.sentence) {
        line.push_str(&visible_line(&hit.sentence[at..r.start]));
        line.push_str(open);
        line.push_str(&visible_line(&hit.sentence[r.clone()]));
        line.push_str(close);
        at = r.end;
    }
    line.push_str(&visible_line(&hit.sentence[at..]));
    writeln!(out, "{line}")?;
    writeln!(out)?;
    Ok(())
}
