//! `track outbox`: alerts and events waiting for delivery or failed, and
//! what to do about them (retry now, drop).

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use chrono::Utc;
use clap::Args;

use super::error::{CliError, exit};
use super::{Context, Format};
use track::store::outbox::{OutboxRow, OutboxState, Selection};
use track::store::{OpenMode, format_time};
use track::text::visible::{json_safe, visible_line};
use track::watch::config;

#[derive(Debug, Args)]
pub struct OutboxArgs {
    /// Also list the rows delivered in the last 7 days
    #[arg(long)]
    pub all: bool,
    /// Make rows due now: the given ids, else every pending and failed row
    /// (failed rows get their attempts back). With --config, deliver them now
    #[arg(long, num_args = 0.., value_name = "ID")]
    pub retry: Option<Vec<i64>>,
    /// Remove rows not delivered: the given ids, else every failed row
    #[arg(long, num_args = 0.., value_name = "ID", conflicts_with = "retry")]
    pub drop: Option<Vec<i64>>,
    /// The sources file whose channels --retry delivers to
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// A row as `--format json` shows it: the outbox's columns and what the
/// event says (no channel secrets: `channel` is the redacted label).
fn json_row(r: &OutboxRow) -> serde_json::Value {
    let event: serde_json::Value = serde_json::from_str(&r.event).unwrap_or_default();
    serde_json::json!({
        "id": r.id,
        "event_id": r.event_id,
        "channel": r.label,
        "state": r.state.as_str(),
        "attempts": r.attempts,
        "next_attempt": (r.state == OutboxState::Pending).then_some(&r.next_attempt),
        "last_error": r.last_error,
        "created_at": r.created_at,
        "delivered_at": r.delivered_at,
        "source": event.get("source"),
        "key": event.get("key"),
        "kind": event.get("kind"),
        "version": event.get("version"),
        "title": event.get("title"),
    })
}

pub fn run(ctx: &Context, args: &OutboxArgs) -> Result<i32, CliError> {
    let config = match &args.config {
        Some(path) => Some(config::load(path).map_err(|e| CliError::input(e.to_string()))?),
        None => None,
    };
    if config.is_some() && args.retry.is_none() {
        return Err(CliError::input(
            "--config is for --retry (the channels to deliver to)",
        ));
    }
    // No store yet: nothing was ever queued.
    if !ctx.db.exists() && args.retry.is_none() && args.drop.is_none() {
        return print(&[], args);
    }
    let mut store = ctx.open(OpenMode::Existing)?;
    let select = |ids: &Vec<i64>, default: Selection| {
        if ids.is_empty() {
            default
        } else {
            Selection::Ids(ids.clone())
        }
    };
    let mut err = std::io::stderr().lock();
    if let Some(ids) = &args.drop {
        let n = store.outbox_drop(&select(ids, Selection::Failed))?;
        writeln!(err, "dropped {n} {}", if n == 1 { "row" } else { "rows" })?;
    }
    if let Some(ids) = &args.retry {
        let n = store.outbox_retry(
            &select(ids, Selection::Undelivered),
            &format_time(Utc::now()),
        )?;
        writeln!(
            err,
            "{n} {} due now",
            if n == 1 { "row is" } else { "rows are" }
        )?;
        if let Some(config) = &config {
            let stop = AtomicBool::new(false);
            drop(err);
            let report = super::watch::deliver(&mut store, config, &stop)?;
            err = std::io::stderr().lock();
            writeln!(err, "delivered {}", report.delivered)?;
        }
    }
    let rows = store.outbox(args.all)?;
    print(&rows, args)
}

fn print(rows: &[OutboxRow], args: &OutboxArgs) -> Result<i32, CliError> {
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        let list: Vec<serde_json::Value> = rows.iter().map(json_row).collect();
        writeln!(
            out,
            "{}",
            json_safe(&serde_json::Value::Array(list).to_string())
        )?;
        return Ok(exit::OK);
    }
    let count = |s: OutboxState| rows.iter().filter(|r| r.state == s).count();
    if rows.is_empty() {
        writeln!(out, "outbox empty: nothing pending or failed")?;
        return Ok(exit::OK);
    }
    for r in rows {
        let v = json_row(r);
        let what = format!(
            "{} v{}",
            v["key"].as_str().unwrap_or("?"),
            v["version"].as_i64().unwrap_or(0)
        );
        let state = match r.state {
            OutboxState::Pending if r.attempts == 0 => format!("pending (due {})", r.next_attempt),
            OutboxState::Pending => format!(
                "pending, {} failed {} (next {})",
                r.attempts,
                if r.attempts == 1 {
                    "attempt"
                } else {
                    "attempts"
                },
                r.next_attempt
            ),
            OutboxState::Failed => format!("FAILED after {} attempts", r.attempts),
            OutboxState::Delivered => format!(
                "delivered {}",
                r.delivered_at.as_deref().unwrap_or_default()
            ),
        };
        let line = format!("#{:<5} {}  →  {}  {}", r.id, what, r.label, state);
        writeln!(out, "{}", visible_line(&line))?;
        if let Some(e) = &r.last_error
            && r.state != OutboxState::Delivered
        {
            writeln!(out, "       last error: {}", visible_line(e))?;
        }
    }
    writeln!(
        out,
        "{} pending, {} failed{}",
        count(OutboxState::Pending),
        count(OutboxState::Failed),
        if args.all {
            format!(", {} delivered", count(OutboxState::Delivered))
        } else {
            String::new()
        }
    )?;
    Ok(exit::OK)
}
