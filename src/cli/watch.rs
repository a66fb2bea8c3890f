//! Monitoring commands: `check` (one pass, for cron and systemd timers),
//! `watch` (the same forever), `sources` (the state of every polled item),
//! `changes` (recent new versions and reverts) and `feed` (an Atom feed of
//! them: every article's, one source's or one article's).

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use clap::Args;

use super::error::{CliError, exit};
use super::{Context, Format};
use track::notify::feed::{self as atom, FeedError, FeedOptions, Scope};
use track::notify::outbox::{self, DeliveryOptions, DeliveryReport};
use track::store::sources::{Change, ItemKind, WatchItem};
use track::store::{OpenMode, Store, format_time};
use track::text::visible::{json_safe, visible_line};
use track::watch::config::{self, Config, Output};
use track::watch::engine::{self, Checked, Outcome, PassOptions, PassSummary};
use track::watch::events::Event;
use track::watch::schedule::parse_duration;

/// How far back the feed of every article goes unless told (`--since`).
const FEED_SINCE: Duration = Duration::from_secs(7 * 24 * 3600);
/// How often `watch` looks at the stop flag while it sleeps.
const NAP: Duration = Duration::from_millis(100);
/// Longest sleep of `watch` between looks at the sources file.
const MAX_SLEEP: Duration = Duration::from_secs(60);
/// Time for the webhook and hook deliveries after a pass, all told.
const DELIVERY_BUDGET: Duration = Duration::from_secs(30);

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The sources file (TOML; see fixtures/sources.example.toml)
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// Check every source and article now, due or not
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The sources file (TOML; re-read when it changes)
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    #[command(flatten)]
    pub run: RunArgs,
}

/// Options shared by `check` and `watch`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Parallel fetches [default: the file's workers, else 8]
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// Time limit of every fetch, overriding the sources' timeout (e.g. 10s)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,
    /// Where events go: a JSON-lines file (appended) or - for standard output [default: the file's events.output, else -]
    #[arg(long, value_name = "PATH")]
    pub events: Option<PathBuf>,
    /// Also list every checked item on standard error
    #[arg(long, short)]
    pub verbose: bool,
    /// No summary line on standard error (failures are still reported)
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct SourcesArgs {
    /// The sources file
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ChangesArgs {
    /// How far back (e.g. 30m, 24h, 7d)
    #[arg(long, value_name = "DURATION", default_value = "24h", value_parser = parse_duration)]
    pub since: Duration,
    /// Also list versions that only changed spelling or sentence order
    #[arg(long)]
    pub all: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct FeedArgs {
    /// Only the articles of this source (its name in the sources file)
    #[arg(long, value_name = "NAME", conflicts_with = "key")]
    pub source: Option<String>,
    /// Only this article
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
    /// How far back (e.g. 24h, 7d) [default: 7d; with --source or --key, however old]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub since: Option<Duration>,
    /// Also list versions that only changed spelling or sentence order
    #[arg(long)]
    pub all: bool,
    /// Entries at most (the newest; 1 to 1000)
    #[arg(long, value_name = "N", default_value_t = atom::DEFAULT_LIMIT as u64,
          value_parser = clap::value_parser!(u64).range(1..=atom::MAX_LIMIT as u64))]
    pub limit: u64,
    /// Write the feed here instead of standard output (replaced whole, never half written)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The feed's title [default: "track: changes", or naming the source or article]
    #[arg(long)]
    pub title: Option<String>,
}

fn load(path: &Path, run: &RunArgs) -> Result<Config, CliError> {
    let mut config = config::load(path).map_err(|e| CliError::input(e.to_string()))?;
    if let Some(w) = run.workers {
        config.workers = w.clamp(1, 256);
    }
    if let Some(t) = run.timeout {
        for s in &mut config.sources {
            s.timeout = t;
        }
    }
    if let Some(e) = &run.events {
        config.events.output = if e.as_os_str() == "-" {
            Output::Stdout
        } else {
            Output::File(e.clone())
        };
    }
    Ok(config)
}

/// SIGINT and SIGTERM set the flag (the pass stops starting fetches, records
/// those in flight, and the command exits 0); a second one exits at once.
fn stop_flag() -> Result<Arc<AtomicBool>, CliError> {
    let flag = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(sig, 1, Arc::clone(&flag))
            .and_then(|_| signal_hook::flag::register(sig, Arc::clone(&flag)))
            .map_err(|e| CliError::internal(format!("installing signal handlers: {e}")))?;
    }
    Ok(flag)
}

/// Writes events where the sources file says. The webhook and the hook
/// command get them from the store's queue (see [`deliver`]).
struct Sink {
    output: Box<dyn Write>,
}

impl Sink {
    fn new(config: &Config) -> Result<Sink, CliError> {
        let output: Box<dyn Write> = match &config.events.output {
            Output::Stdout => Box::new(std::io::stdout()),
            Output::File(path) => Box::new(
                OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(|e| CliError::input(format!("{}: {e}", path.display())))?,
            ),
        };
        Ok(Sink { output })
    }

    /// Called right after a commit: what is written is stored.
    fn emit(&mut self, events: &[Event]) -> std::io::Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let mut buf = String::with_capacity(events.len() * 256);
        for e in events {
            let line = serde_json::to_string(e).map_err(std::io::Error::other)?;
            buf.push_str(&json_safe(&line));
            buf.push('\n');
        }
        self.output.write_all(buf.as_bytes())?;
        self.output.flush()
    }
}

/// How `check`, `watch` and `outbox --retry` deliver.
pub fn delivery_options(config: &Config) -> DeliveryOptions {
    DeliveryOptions {
        timeout: config.events.webhook_timeout,
        retry_delay: config.events.retry_delay,
        max_attempts: config.events.max_attempts,
        budget: DELIVERY_BUDGET,
    }
}

/// Deliver the queued alerts and events to their channels, within
/// [`DELIVERY_BUDGET`]; failures are warnings, and what is not delivered
/// stays in the outbox for a later pass.
pub fn deliver(
    store: &mut Store,
    config: &Config,
    stop: &AtomicBool,
) -> Result<DeliveryReport, CliError> {
    let channels = config.channels();
    let report = outbox::deliver(store, &channels, &delivery_options(config), stop)?;
    for f in &report.failures {
        let when = match &f.retry_at {
            Some(t) if *t <= format_time(Utc::now()) => "retried on the next pass".to_string(),
            Some(t) => format!("retry at {t}"),
            None => "no attempts left: marked failed (track outbox --retry)".to_string(),
        };
        eprintln!(
            "warning: {}: {} ({when})",
            visible_line(&f.channel),
            visible_line(&f.error)
        );
    }
    if report.unconfigured > 0 {
        eprintln!(
            "note: {} deliveries wait for channels no longer in the sources file (track outbox lists them; --drop ID removes them)",
            report.unconfigured
        );
    }
    if report.busy {
        eprintln!("note: another track process is delivering alerts; left to it");
    }
    if !channels.is_empty() && (report.pending > 0 || report.failed > 0) {
        eprintln!(
            "warning: {} event deliveries pending, {} failed (kept in the store and retried; see track outbox)",
            report.pending, report.failed
        );
    }
    Ok(report)
}

fn report(checked: &[Checked], verbose: bool) {
    let mut err = std::io::stderr().lock();
    for c in checked {
        let what = if c.item.is_empty() {
            c.source.clone()
        } else {
            format!("{} {}", c.source, c.item)
        };
        for warning in &c.warnings {
            let _ = writeln!(
                err,
                "warning: {}: {}",
                visible_line(&what),
                visible_line(warning)
            );
        }
        let _ = match &c.outcome {
            Outcome::Failed { reason, retry_at } => {
                let line = format!("failed: {what}: {reason} (retry at {retry_at})");
                writeln!(err, "{}", visible_line(&line))
            }
            o if verbose => {
                let line = match o {
                    Outcome::NewArticle { version } => format!("new article (v{version})"),
                    Outcome::NewVersion { version } => format!("new version v{version}"),
                    Outcome::Unchanged { .. } => "unchanged".into(),
                    Outcome::Reverted { version } => format!("reverted to v{version}"),
                    Outcome::NotModified => "not modified".into(),
                    Outcome::Listed { found, new } => {
                        format!("{found} found, {new} new or changed")
                    }
                    Outcome::Skipped { owner } => {
                        format!("skipped (the article is tracked by source {owner})")
                    }
                    Outcome::Failed { .. } => unreachable!(),
                };
                let key = c
                    .key
                    .as_deref()
                    .map(|k| format!(" [{k}]"))
                    .unwrap_or_default();
                writeln!(err, "{}", visible_line(&format!("{what}{key}: {line}")))
            }
            _ => Ok(()),
        };
    }
}

fn summary_line(s: &PassSummary) -> String {
    format!(
        "checked {}: {} new articles, {} new versions, {} reverts, {} unchanged, {} not modified, {} feeds/folders read, {} failed{}; {} not due{}",
        s.checked,
        s.new_articles,
        s.new_versions,
        s.reverts,
        s.unchanged,
        s.not_modified,
        s.listed,
        s.failed,
        if s.skipped > 0 {
            format!(
                ", {} skipped (tracked by another source or item)",
                s.skipped
            )
        } else {
            String::new()
        },
        s.not_due,
        if s.interrupted { " (interrupted)" } else { "" }
    )
}

/// One pass and a summary; events written as their chunks commit.
fn pass(
    store: &mut Store,
    config: &Config,
    opts: &PassOptions,
    stop: &AtomicBool,
    sink: &mut Sink,
    verbose: bool,
) -> Result<PassSummary, CliError> {
    let mut write_error: Option<std::io::Error> = None;
    let summary = engine::run_pass(store, config, opts, stop, |checked, events| {
        report(checked, verbose);
        if let Err(e) = sink.emit(events) {
            write_error.get_or_insert(e);
        }
    })?;
    if let Some(e) = write_error {
        return Err(e.into());
    }
    Ok(summary)
}

pub fn check(ctx: &Context, args: &CheckArgs) -> Result<i32, CliError> {
    let config = load(&args.config, &args.run)?;
    let stop = stop_flag()?;
    let mut store = ctx.open(OpenMode::Create)?;
    let mut sink = Sink::new(&config)?;
    let opts = PassOptions {
        all: args.all,
        workers: config.workers,
    };
    let summary = pass(
        &mut store,
        &config,
        &opts,
        &stop,
        &mut sink,
        args.run.verbose,
    )?;
    deliver(&mut store, &config, &stop)?;
    if !args.run.quiet {
        eprintln!("{}", summary_line(&summary));
    }
    Ok(if summary.failed > 0 && !summary.interrupted {
        exit::BAD_INPUT
    } else {
        exit::OK
    })
}

pub fn watch(ctx: &Context, args: &WatchArgs) -> Result<i32, CliError> {
    let mut config = load(&args.config, &args.run)?;
    let mut loaded_at = modified(&args.config);
    let stop = stop_flag()?;
    let mut store = ctx.open(OpenMode::Create)?;
    let mut sink = Sink::new(&config)?;
    let result = (|| -> Result<(), CliError> {
        while !stop.load(Ordering::SeqCst) {
            let opts = PassOptions {
                all: false,
                workers: config.workers,
            };
            let summary = pass(
                &mut store,
                &config,
                &opts,
                &stop,
                &mut sink,
                args.run.verbose,
            )?;
            if !args.run.quiet && summary.checked > 0 {
                eprintln!("{}: {}", format_time(Utc::now()), summary_line(&summary));
            }
            deliver(&mut store, &config, &stop)?;
            // Sleep until the next item is due, waking for signals and to
            // notice a changed sources file.
            let next = engine::next_due(&store, &config)?;
            let wake = Utc::now()
                + chrono::Duration::from_std(MAX_SLEEP).unwrap_or(chrono::Duration::seconds(60));
            let until = next.map_or(wake, |n| n.min(wake));
            while !stop.load(Ordering::SeqCst) && Utc::now() < until {
                std::thread::sleep(NAP);
            }
            let now_modified = modified(&args.config);
            if now_modified != loaded_at {
                loaded_at = now_modified;
                match load(&args.config, &args.run) {
                    Ok(c) => config = c,
                    Err(e) => eprintln!(
                        "warning: {} (keeping the previous sources)",
                        visible_line(&e.message)
                    ),
                }
            }
        }
        Ok(())
    })();
    result?;
    Ok(exit::OK)
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

pub fn sources(ctx: &Context, args: &SourcesArgs) -> Result<i32, CliError> {
    let config = config::load(&args.config).map_err(|e| CliError::input(e.to_string()))?;
    let items: Vec<WatchItem> = match Store::open(&ctx.db, OpenMode::Existing) {
        Ok(store) => store.watch_items()?,
        Err(track::store::StoreError::Missing { .. }) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let names: std::collections::HashSet<&str> =
        config.sources.iter().map(|s| s.name.as_str()).collect();
    let mut rows: Vec<serde_json::Value> = Vec::new();
    for s in &config.sources {
        let mut own: Vec<&WatchItem> = items.iter().filter(|i| i.source == s.name).collect();
        own.sort_by_key(|i| (i.kind != ItemKind::Source, i.item.clone()));
        if own.is_empty() {
            rows.push(serde_json::json!({
                "source": s.name, "item": "", "kind": "source", "target": s.target.describe(),
                "last_checked": null, "next_due": null, "failures": 0, "last_status": null,
            }));
        }
        for i in own {
            let mut v = serde_json::to_value(i).unwrap_or_default();
            if i.kind == ItemKind::Source {
                v["target"] = s.target.describe().into();
            }
            rows.push(v);
        }
    }
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        writeln!(
            out,
            "{}",
            json_safe(&serde_json::Value::Array(rows).to_string())
        )?;
        return Ok(exit::OK);
    }
    let orphaned = items
        .iter()
        .filter(|i| !names.contains(i.source.as_str()))
        .count();
    writeln!(
        out,
        "{:<16}  {:<7}  {:<20}  {:<20}  {:<20}  {:>3}  ITEM / STATUS",
        "SOURCE", "KIND", "LAST CHECKED", "LAST CHANGED", "NEXT DUE", "ERR"
    )?;
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("-").to_string();
    for r in &rows {
        let item = s(&r["item"]);
        let what = if item == "-" || item.is_empty() {
            s(&r["target"])
        } else {
            item
        };
        let line = format!(
            "{:<16}  {:<7}  {:<20}  {:<20}  {:<20}  {:>3}  {}  {}",
            s(&r["source"]),
            s(&r["kind"]),
            s(&r["last_checked"]),
            s(&r["last_changed"]),
            s(&r["next_due"]).replace(NEVER_SHOWN, "when changed"),
            r["failures"].as_i64().unwrap_or(0),
            what,
            s(&r["last_status"]),
        );
        writeln!(out, "{}", visible_line(&line))?;
    }
    if orphaned > 0 {
        writeln!(
            out,
            "({orphaned} items of sources no longer in the file are not shown)"
        )?;
    }
    Ok(exit::OK)
}

/// How the engine marks items that are never due on a timer.
const NEVER_SHOWN: &str = "9999-12-31T23:59:59Z";

/// The time `since` ago.
fn since_instant(since: Duration) -> DateTime<Utc> {
    let d = chrono::Duration::from_std(since).unwrap_or(chrono::Duration::MAX);
    Utc::now()
        .checked_sub_signed(d)
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn since_time(since: Duration) -> String {
    format_time(since_instant(since))
}

/// The changes since `since`; versions that only changed spelling or
/// sentence order only with `all`.
fn recent_changes(store: &Store, since: Duration, all: bool) -> Result<Vec<Change>, CliError> {
    Ok(track::ingest::recent_changes(
        store,
        &since_time(since),
        all,
    )?)
}

pub fn changes(ctx: &Context, args: &ChangesArgs) -> Result<i32, CliError> {
    let store = ctx.open(OpenMode::Existing)?;
    let changes = recent_changes(&store, args.since, args.all)?;
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        let rows: Vec<serde_json::Value> = changes.iter().map(Change::to_json).collect();
        writeln!(
            out,
            "{}",
            json_safe(&serde_json::Value::Array(rows).to_string())
        )?;
        return Ok(exit::OK);
    }
    let (keys, width) = super::key_column(changes.iter().map(|c| c.key.as_str()));
    writeln!(
        out,
        "{:<20}  {:<11}  {:<width$}  {:<10}  TITLE",
        "AT", "KIND", "KEY", "VERSION"
    )?;
    for (c, key) in changes.iter().zip(&keys) {
        let version = match c.previous {
            Some(p) => format!("v{p} → v{}", c.version),
            None => format!("v{}", c.version),
        };
        let line = format!(
            "{:<20}  {:<11}  {key:<width$}  {:<10}  {}",
            c.at,
            match c.edit.filter(|e| e.is_minor()) {
                Some(e) => format!("{} ({})", c.event_kind(), e.as_str()),
                None => c.event_kind().to_string(),
            },
            version,
            c.title.as_deref().unwrap_or("")
        );
        writeln!(out, "{}", visible_line(&line))?;
    }
    Ok(exit::OK)
}

pub fn feed(ctx: &Context, args: &FeedArgs) -> Result<i32, CliError> {
    let store = ctx.open(OpenMode::Existing)?;
    let scope = match (&args.source, &args.key) {
        (Some(name), _) => Scope::Source(name.clone()),
        (None, Some(key)) => Scope::Key(key.clone()),
        (None, None) => Scope::All,
    };
    // A subscriber to one source or article wants its latest changes
    // however old; the feed of everything keeps to the last week.
    let since = match (args.since, &scope) {
        (Some(since), _) => Some(since),
        (None, Scope::All) => Some(FEED_SINCE),
        (None, _) => None,
    };
    let options = FeedOptions {
        since: since.map(since_instant),
        all: args.all,
        limit: usize::try_from(args.limit).unwrap_or(atom::MAX_LIMIT),
        title: args.title.clone(),
        ..FeedOptions::new(scope)
    };
    let xml = atom::feed(&store, &options).map_err(|e| match e {
        FeedError::Store(e) => CliError::from(e),
        e @ FeedError::UnknownSource(_) => CliError::input(e.to_string()),
    })?;
    match &args.output {
        Some(path) => write_whole(path, xml.as_bytes())
            .map_err(|e| CliError::input(format!("{}: {e}", path.display())))?,
        None => std::io::stdout().lock().write_all(xml.as_bytes())?,
    }
    Ok(exit::OK)
}

/// Write a file through a temporary one beside it, renamed over it: a web
/// server or reader of the file never sees half a feed.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("not a file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}
