//! `track furniture [HOST]`: what was learned to be page furniture on a host,
//! and the user's overrides (keep, forget, add).

use std::io::Write;

use chrono::Utc;
use clap::Args;

use super::error::{CliError, exit};
use super::read::to_json;
use super::{Context, Format};
use track::furniture::host_of_argument;
use track::store::furniture::{Entry, Override};
use track::store::{OpenMode, format_time};
use track::text::visible::visible_line;

#[derive(Debug, Args)]
pub struct FurnitureArgs {
    /// The host (or a URL on it); without it, every host with pages or furniture
    pub host: Option<String>,
    /// Pin an entry as article text: never furniture, never learned again (repeatable)
    #[arg(long, value_name = "ID", requires = "host")]
    pub keep: Vec<String>,
    /// Forget an entry and its evidence; it may be learned again (repeatable)
    #[arg(long, value_name = "ID", requires = "host")]
    pub forget: Vec<String>,
    /// Make a block furniture by hand: its exact text (repeatable)
    #[arg(long, value_name = "TEXT", requires = "host")]
    pub add: Vec<String>,
    /// With --add: every short line of the text's shape (its digits masked), as for a clock
    #[arg(long, requires = "add")]
    pub shape: bool,
    /// Also list evidence not (yet) learned: blocks seen on several articles, lines that changed
    #[arg(long)]
    pub all: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(ctx: &Context, args: &FurnitureArgs) -> Result<i32, CliError> {
    let editing = !(args.keep.is_empty() && args.forget.is_empty() && args.add.is_empty());
    let mut store = ctx.open(if editing {
        OpenMode::Create
    } else {
        OpenMode::Existing
    })?;
    let mut out = std::io::stdout().lock();
    let Some(arg) = &args.host else {
        let hosts = store.furniture_hosts()?;
        if args.format == Format::Json {
            writeln!(out, "{}", to_json(&hosts)?)?;
            return Ok(exit::OK);
        }
        writeln!(
            out,
            "{:<30}  {:>6}  {:>7}  {:>5}  {:>4}",
            "HOST", "PAGES", "LEARNED", "ADDED", "KEPT"
        )?;
        for h in hosts {
            let line = format!(
                "{:<30}  {:>6}  {:>7}  {:>5}  {:>4}",
                h.host, h.pages, h.learned, h.added, h.kept
            );
            writeln!(out, "{}", visible_line(&line))?;
        }
        return Ok(exit::OK);
    };
    let host = host_of_argument(arg)
        .ok_or_else(|| CliError::input(format!("{arg}: not a host or an http(s) URL")))?;
    let now = format_time(Utc::now());
    let mut changes: Vec<(&str, Override)> = Vec::new();
    changes.extend(
        args.keep
            .iter()
            .map(|id| ("kept", Override::Keep(id.clone()))),
    );
    changes.extend(
        args.forget
            .iter()
            .map(|id| ("forgot", Override::Forget(id.clone()))),
    );
    changes.extend(args.add.iter().map(|text| {
        (
            "added",
            Override::Add {
                text: text.clone(),
                shape: args.shape,
            },
        )
    }));
    let mut unknown = Vec::new();
    let mut touched: Vec<Entry> = Vec::new();
    for (verb, change) in &changes {
        match store.furniture_override(&host, change, &now)? {
            Some(entry) => {
                if args.format == Format::Term {
                    let line = format!("{verb} {} {}", entry.id, entry.text);
                    writeln!(out, "{}", visible_line(&line))?;
                }
                touched.push(entry);
            }
            None => match change {
                Override::Keep(id) | Override::Forget(id) => unknown.push(id.clone()),
                Override::Add { .. } => {}
            },
        }
    }
    if !unknown.is_empty() {
        return Err(CliError::input(format!(
            "no furniture entry {} on {host} (ids are listed by `track furniture {host} --all`)",
            unknown.join(", ")
        )));
    }
    if editing {
        if args.format == Format::Json {
            writeln!(out, "{}", to_json(&touched)?)?;
        }
        return Ok(exit::OK);
    }
    let entries = store.furniture_entries(&host, args.all)?;
    if args.format == Format::Json {
        writeln!(out, "{}", to_json(&entries)?)?;
        return Ok(exit::OK);
    }
    if entries.is_empty() {
        writeln!(
            out,
            "{}",
            visible_line(&format!("{host}: nothing learned (yet)"))
        )?;
        return Ok(exit::OK);
    }
    writeln!(
        out,
        "{:<13}  {:<8}  {:<9}  {:>8}  {:>7}  TEXT",
        "ID", "STATUS", "RULE", "ARTICLES", "CHANGES"
    )?;
    for e in entries {
        let articles = if e.articles >= track::furniture::MAX_SEEN_IN {
            format!("{}+", e.articles)
        } else {
            e.articles.to_string()
        };
        let line = format!(
            "{:<13}  {:<8}  {:<9}  {:>8}  {:>7}  {}",
            e.id,
            e.status,
            e.rule.as_deref().unwrap_or("-"),
            articles,
            e.volatile,
            e.text
        );
        writeln!(out, "{}", visible_line(&line))?;
    }
    Ok(exit::OK)
}
