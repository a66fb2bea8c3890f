//! Command-line interface: parse, call the library, render. Exit codes are
//! the design's contract (see [`ExitCode`](error::Exit)).

mod add;
mod claims;
mod demo;
mod diff;
pub mod error;
mod furniture;
mod outbox;
mod read;
mod reanalyse;
mod search;
mod serve;
mod watch;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use error::CliError;
use track::store::{OpenMode, Store};

/// Version a corpus of news articles and report what changed.
#[derive(Debug, Parser)]
#[command(name = "track", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// The store [default: $TRACK_DB, else ./track.db]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingest scrapes (files, folders, or - for standard input), text or HTML
    Add(add::AddArgs),
    /// List the tracked articles
    List(read::FormatArgs),
    /// Show the versions of one article
    Log(read::LogArgs),
    /// Print the text of one version (KEY, KEY@N, KEY@-1)
    Show(read::ShowArgs),
    /// Show what changed: between versions of an article, or between two articles
    Diff(diff::DiffArgs),
    /// The claims of one version: quantities, dates, quotes, attributions, entities, negations
    Claims(claims::ClaimsArgs),
    /// Re-hash every stored blob and report any damage (exit 1 if any)
    Verify(read::FormatArgs),
    /// Ingest the bundled fixtures into a fresh store and show what was stored
    Demo(demo::DemoArgs),
    /// One pass over the due sources of a sources file, then exit (for cron)
    Check(watch::CheckArgs),
    /// Check sources forever, sleeping until the next one is due
    Watch(watch::WatchArgs),
    /// Show the monitoring state of every source and article of a sources file
    Sources(watch::SourcesArgs),
    /// List recent new versions and reverts
    Changes(watch::ChangesArgs),
    /// Write an Atom feed of changes: of every article, one source (--source) or one article (--key)
    Feed(watch::FeedArgs),
    /// Page furniture learned per host (left out of versions, claims and diffs); keep, forget, add
    Furniture(furniture::FurnitureArgs),
    /// Alerts waiting for delivery or failed: list them, retry now, drop
    Outbox(outbox::OutboxArgs),
    /// Find sentences in every version of every article (Arabic spelling variants match)
    Search(search::SearchArgs),
    /// A local web UI and JSON API over the store, read-only (loopback unless given a token)
    Serve(serve::ServeArgs),
    /// Re-run the cached analyses (sentences, claims) of every stored version, e.g. after an upgrade
    Reanalyse(reanalyse::ReanalyseArgs),
}

/// Output format of reading commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// For people
    #[default]
    Term,
    /// The JSON contract, for scripts
    Json,
}

/// Everything a command needs from the environment, resolved once here so
/// the library never reads it.
pub struct Context {
    pub db: PathBuf,
}

impl Context {
    pub fn from_cli(db: Option<PathBuf>) -> Context {
        let db = db
            .or_else(|| {
                std::env::var_os("TRACK_DB")
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from)
            })
            .unwrap_or_else(|| PathBuf::from("track.db"));
        Context { db }
    }

    pub fn open(&self, mode: OpenMode) -> Result<Store, CliError> {
        Ok(Store::open(&self.db, mode)?)
    }
}

/// Article keys as a table shows them (controls made visible), and the
/// column width they need (at least the header's `KEY`).
pub fn key_column<'a>(keys: impl Iterator<Item = &'a str>) -> (Vec<String>, usize) {
    let keys: Vec<String> = keys
        .map(|k| track::text::visible::visible_line(k).into_owned())
        .collect();
    let width = keys
        .iter()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(3)
        .max(3);
    (keys, width)
}

/// Worker threads for parallel work when `--jobs` is not given: one per CPU
/// this process may use.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Run one parsed command; returns the exit status.
pub fn run(cli: Cli) -> Result<i32, CliError> {
    let explicit_db = cli.db.clone();
    let ctx = Context::from_cli(cli.db);
    match cli.command {
        Command::Add(args) => add::run(&ctx, args),
        Command::List(args) => read::list(&ctx, &args),
        Command::Log(args) => read::log(&ctx, &args),
        Command::Show(args) => read::show(&ctx, &args),
        Command::Diff(args) => diff::run(&ctx, &args),
        Command::Claims(args) => claims::run(&ctx, &args),
        Command::Verify(args) => read::verify(&ctx, &args),
        Command::Demo(args) => demo::run(explicit_db, args),
        Command::Check(args) => watch::check(&ctx, &args),
        Command::Watch(args) => watch::watch(&ctx, &args),
        Command::Sources(args) => watch::sources(&ctx, &args),
        Command::Changes(args) => watch::changes(&ctx, &args),
        Command::Feed(args) => watch::feed(&ctx, &args),
        Command::Furniture(args) => furniture::run(&ctx, &args),
        Command::Outbox(args) => outbox::run(&ctx, &args),
        Command::Search(args) => search::run(&ctx, &args),
        Command::Serve(args) => serve::run(&ctx, &args),
        Command::Reanalyse(args) => reanalyse::run(&ctx, &args),
    }
}
