//! Change events (one per new version or revert) and their delivery to a
//! webhook or a hook command. (The Atom feeds are in `notify::feed`.)

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::config::EventsConfig;
use super::fetch::Group;
use crate::diff::Counts;
use crate::store::sources::{DeliveryTarget, Edit, PendingEvent};
use crate::store::{Store, StoreError};

/// How long a hook command may run before it is killed.
pub const HOOK_TIMEOUT: Duration = Duration::from_secs(30);

/// What kind of change an event reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Version 1 of an article tracked for the first time (only with `new_articles = true`).
    NewArticle,
    NewVersion,
    /// The article went back to the text of an earlier version.
    Revert,
}

/// One change, as written to the events output (one JSON object per line).
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub at: String,
    /// The `[[source]]` name.
    pub source: String,
    pub key: String,
    pub url: Option<String>,
    pub kind: EventKind,
    pub version: i64,
    /// The version that was current before (`null` for a new article).
    pub previous: Option<i64>,
    /// Sentence rows of the diff previous → version (`null` for a new article).
    pub counts: Option<Counts>,
    pub title: Option<String>,
    /// The headline changed: `{"from", "to", "orthographic_only", "words"}`
    /// as in `track diff --format json` (only present then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_change: Option<crate::report::TitleChange>,
    /// One line for people.
    pub summary: String,
    /// Claim changes between the two versions (the rows of `track diff`'s
    /// `claims` that report a change: changed, added, removed, reworded).
    pub claims: Vec<crate::claims::compare::ClaimChange>,
    /// What the change edited: `text`, or only `orthographic` (spelling) or
    /// `moved` (sentence order) — those raise events only with
    /// `minor_edits = true`; `null` for a new article.
    pub edit: Option<Edit>,
}

/// Why a delivery failed (never fatal: the caller logs it and goes on).
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error("webhook {url}: {reason}")]
    Webhook { url: String, reason: String },
    #[error("hook {program}: {reason}")]
    Hook { program: String, reason: String },
}

/// A one-line summary: what changed, in numbers.
pub fn summary(
    key: &str,
    kind: EventKind,
    version: i64,
    previous: Option<i64>,
    counts: Option<&Counts>,
) -> String {
    match (kind, previous, counts) {
        (EventKind::NewArticle, _, _) => format!("{key}: new article (v{version})"),
        (EventKind::Revert, Some(p), _) => format!("{key}: reverted from v{p} to v{version}"),
        (EventKind::Revert, None, _) => format!("{key}: reverted to v{version}"),
        (EventKind::NewVersion, p, c) => {
            let from = p.map(|p| format!("v{p} → ")).unwrap_or_default();
            match c {
                Some(c) => format!("{key}: {from}v{version}: {}", describe_counts(c)),
                None => format!("{key}: {from}v{version}"),
            }
        }
    }
}

/// `2 edited, 1 added, 1 removed` (only the non-zero changes).
pub fn describe_counts(c: &Counts) -> String {
    let parts: Vec<String> = [
        (c.edited, "edited"),
        (c.added, "added"),
        (c.removed, "removed"),
        (c.moved, "moved"),
        (c.split, "split"),
        (c.merged, "merged"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if parts.is_empty() {
        "no sentence changed".to_string()
    } else {
        format!("{} (sentences)", parts.join(", "))
    }
}

/// POST one event (its JSON) to a webhook, within `timeout` all told.
pub fn post_webhook(url: &str, json: &str, timeout: Duration) -> Result<(), DeliveryError> {
    let err = |reason: String| DeliveryError::Webhook {
        url: url.to_string(),
        reason,
    };
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .build()
        .new_agent();
    let response = agent
        .post(url)
        .header("Content-Type", "application/json")
        .send(json.as_bytes())
        .map_err(|e| match e {
            ureq::Error::Timeout(_) => err(format!("no answer within {timeout:?}")),
            e => err(e.to_string()),
        })?;
    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(err(format!("HTTP {status}")));
    }
    Ok(())
}

/// Run the hook command (no shell) with one event's JSON on its standard
/// input. It runs in a process group of its own, killed whole after `timeout`.
pub fn run_hook(argv: &[String], json: &str, timeout: Duration) -> Result<(), DeliveryError> {
    let program = argv.first().cloned().unwrap_or_default();
    let err = |reason: String| DeliveryError::Hook {
        program: program.clone(),
        reason,
    };
    let mut input = json.as_bytes().to_vec();
    input.push(b'\n');
    let mut child = Command::new(&program)
        .args(&argv[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| err(format!("cannot run: {e}")))?;
    let mut group = Group::new(&child);
    if let Some(mut stdin) = child.stdin.take() {
        // On a thread: a hook that does not read must not block us. A hook
        // that ignores its input closes the pipe early: not a failure.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(s)) if s.success() => return Ok(()),
            Ok(Some(s)) => return Err(err(format!("exited with {s}"))),
            Ok(None) if started.elapsed() > timeout => {
                group.kill(&mut child);
                return Err(err(format!("killed after {timeout:?}")));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => {
                group.kill(&mut child);
                return Err(err(e.to_string()));
            }
        }
    }
}

/// Events delivered per call of [`deliver_pending`], at most.
const DELIVERY_BATCH: usize = 1000;

/// What a round of deliveries did.
#[derive(Debug, Default)]
pub struct DeliveryReport {
    pub delivered: usize,
    /// Events still waiting (retried by the next round).
    pub pending: usize,
    /// The first failure of each target (one per target and round).
    pub failures: Vec<DeliveryError>,
}

/// Deliver the events waiting in the store, oldest first, within `budget`
/// all told. A delivered event is deleted; one that was not stays for the
/// next round (at least once: an event whose answer came too late may be
/// delivered again). The first failure of a target ends that target's
/// deliveries for this round, so a dead endpoint costs one time-out, not
/// one per event, and events arrive in order. `stop` (a signal) ends the
/// round at once: the delivery in flight is abandoned, its event kept.
pub fn deliver_pending(
    store: &mut Store,
    config: &EventsConfig,
    budget: Duration,
    stop: &AtomicBool,
) -> Result<DeliveryReport, StoreError> {
    let mut report = DeliveryReport::default();
    let rows: Vec<PendingEvent> = store
        .pending_events(DELIVERY_BATCH)?
        .into_iter()
        .filter(|p| match p.target {
            DeliveryTarget::Webhook => config.webhook.is_some(),
            DeliveryTarget::Command => config.command.is_some(),
        })
        .collect();
    if rows.is_empty() || stop.load(Ordering::SeqCst) {
        report.pending = store.pending_count()?;
        return Ok(report);
    }
    let deadline = Instant::now() + budget;
    let cancel = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel::<(i64, Result<(), DeliveryError>)>();
    {
        let cancel = Arc::clone(&cancel);
        let webhook = config.webhook.clone();
        let webhook_timeout = config.webhook_timeout;
        let command = config.command.clone();
        // On a thread of its own: the caller waits with the deadline and the
        // stop flag, never for a hung endpoint.
        std::thread::spawn(move || {
            let mut given_up: Vec<DeliveryTarget> = Vec::new();
            for row in rows {
                if cancel.load(Ordering::SeqCst) {
                    break;
                }
                if given_up.contains(&row.target) {
                    continue;
                }
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                let result = match (row.target, &webhook, &command) {
                    (DeliveryTarget::Webhook, Some(url), _) => {
                        post_webhook(url, &row.event, webhook_timeout.min(left))
                    }
                    (DeliveryTarget::Command, _, Some(argv)) => {
                        run_hook(argv, &row.event, HOOK_TIMEOUT.min(left))
                    }
                    _ => continue,
                };
                if result.is_err() {
                    given_up.push(row.target);
                }
                if tx.send((row.id, result)).is_err() {
                    break;
                }
            }
        });
    }
    let mut delivered = Vec::new();
    let mut failed = Vec::new();
    loop {
        if stop.load(Ordering::SeqCst) || Instant::now() >= deadline {
            cancel.store(true, Ordering::SeqCst);
            break;
        }
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok((id, Ok(()))) => delivered.push(id),
            Ok((id, Err(e))) => {
                failed.push((id, e.to_string()));
                report.failures.push(e);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    store.settle_deliveries(&delivered, &failed)?;
    report.delivered = delivered.len();
    report.pending = store.pending_count()?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries() {
        let c = Counts {
            edited: 1,
            added: 2,
            ..Counts::default()
        };
        assert_eq!(
            summary("k", EventKind::NewVersion, 3, Some(2), Some(&c)),
            "k: v2 → v3: 1 edited, 2 added (sentences)"
        );
        assert_eq!(
            summary("k", EventKind::Revert, 1, Some(2), None),
            "k: reverted from v2 to v1"
        );
    }
}
