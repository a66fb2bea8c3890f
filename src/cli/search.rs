//! `track search QUERY`: sentences of every version of every article.

use std::io::{IsTerminal, Write};

use chrono::{DateTime, Utc};
use clap::Args;

use super::error::{CliError, exit};
use super::read::to_json;
use super::{Context, Format};
use track::furniture::{host_of, host_of_argument};
use track::search::{Query, Request};
use track::store::OpenMode;
use track::store::search::SearchHit;
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
    track::search::parse_time(s, false, Utc::now())
}

fn parse_until(s: &str) -> Result<DateTime<Utc>, String> {
    track::search::parse_time(s, true, Utc::now())
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
    let found = track::search::search(
        &store,
        &Request {
            query: &query,
            key: args.key.as_deref(),
            host: host.as_deref(),
            since: args.since,
            until: args.until,
            removed: args.removed,
            limit: args.limit as usize,
        },
    )?;
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        writeln!(out, "{}", to_json(&found)?)?;
        return Ok(exit::OK);
    }
    let colour = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    for f in &found {
        write_hit(&mut out, &f.hit, &query, colour)?;
    }
    if found.is_empty() {
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
