//! Delivery that never loses an event.
//!
//! - [`queue`] writes a pass's alerts to the store's outbox in the pass's
//!   own transaction: a version that was recorded has its alerts queued,
//!   even if the process is killed the next instant.
//! - [`deliver`] sends what is due, each channel on a thread of its own,
//!   oldest first. A row is marked delivered only after the channel accepted
//!   it; a failure ends that channel's round (a dead endpoint costs one
//!   time-out) and schedules a retry (on the next pass, then with
//!   exponential back-off), across
//!   passes and `watch` cycles, until `max_attempts` (then the row is
//!   `failed`, shown by `track outbox`). A row exists once per event and
//!   channel (the idempotency key, also sent as `Idempotency-Key`, the
//!   e-mail's Message-ID and Matrix's transaction id), and one process
//!   delivers at a time, so an accepted alert is not sent to that channel
//!   again. Delivery is at least once: an answer lost to a crash or a
//!   time-out after the channel took the alert means it is sent again.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use chrono::Utc;

use super::channel::Channel;
use super::message::{self, Alert};
use super::send::{self, Payload};
use crate::store::outbox::Settled;
use crate::store::sources::Edit;
use crate::store::{Batch, Store, StoreError, format_time};
use crate::watch::config::Config;
use crate::watch::events::{Event, HOOK_TIMEOUT};

/// The longest wait between two attempts.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(6 * 3600);
/// Delivered rows are kept this long (they stop a second delivery).
pub const KEEP_DELIVERED: Duration = Duration::from_secs(7 * 24 * 3600);
/// Rows of one channel sent per round, at most.
const ROUND_ROWS: usize = 500;

/// How to deliver.
#[derive(Debug, Clone, Copy)]
pub struct DeliveryOptions {
    /// One delivery (an HTTP request, an SMTP session, a hook run), at most.
    pub timeout: Duration,
    /// The wait after a first failure, doubled after each (up to [`MAX_RETRY_DELAY`]).
    pub retry_delay: Duration,
    /// Attempts before a row is marked failed.
    pub max_attempts: u32,
    /// The whole round, at most.
    pub budget: Duration,
}

/// The wait before the next attempt after `failures` failed ones: none
/// after the first (the next pass tries again, as a blip is the commonest
/// failure), then `retry_delay`, doubled after each further failure, up to
/// [`MAX_RETRY_DELAY`].
pub fn backoff(retry_delay: Duration, failures: u32) -> Duration {
    if failures <= 1 {
        return Duration::ZERO;
    }
    let factor = 2u32.saturating_pow((failures - 2).min(20));
    retry_delay.saturating_mul(factor).min(MAX_RETRY_DELAY)
}

/// The first failure of a channel in a round.
#[derive(Debug, Clone)]
pub struct ChannelFailure {
    /// The channel, its secrets hidden.
    pub channel: String,
    /// Scrubbed of the channel's secrets.
    pub error: String,
    /// When it is tried again (`None`: attempts used up, marked failed).
    pub retry_at: Option<String>,
}

/// What a round of deliveries did.
#[derive(Debug, Default)]
pub struct DeliveryReport {
    pub delivered: usize,
    /// Rows still pending after the round (retried later).
    pub pending: usize,
    /// Rows marked failed (all attempts used), in all.
    pub failed: usize,
    pub failures: Vec<ChannelFailure>,
    /// Another process was delivering: this one left it to it.
    pub busy: bool,
    /// Pending rows for channels the sources file no longer has (kept;
    /// `track outbox --drop` removes them).
    pub unconfigured: usize,
}

/// Queue `events` (a chunk of a pass, inside its transaction) for the
/// channels that should get them:
/// - the `[events]` webhook and hook command: every event the events output
///   gets (spelling-only and order-only versions only with `minor_edits`);
/// - `notify` channels (the `[events]` ones and the source's own, else
///   `[defaults]`'): the events its rules find worth an alert.
///
/// Returns how many rows were queued.
pub fn queue(
    batch: &mut Batch<'_>,
    config: &Config,
    events: &[Event],
    now: &str,
) -> Result<usize, StoreError> {
    let legacy: Vec<Channel> = config
        .events
        .webhook
        .iter()
        .map(|w| Channel::webhook(w))
        .chain(
            config
                .events
                .command
                .iter()
                .map(|c| Channel::command(c.clone())),
        )
        .collect();
    let mut queued = 0;
    for event in events {
        let Some(source) = config.sources.iter().find(|s| s.name == event.source) else {
            continue;
        };
        let minor = event.edit.is_some_and(Edit::is_minor);
        let raw_targets: &[Channel] = if minor && !config.events.minor_edits {
            &[]
        } else {
            &legacy
        };
        let mut targets: Vec<(&Channel, Option<&str>)> =
            raw_targets.iter().map(|c| (c, None)).collect();
        let alert_json;
        let notify: Vec<&Channel> = config.events.notify.iter().chain(&source.notify).collect();
        if !notify.is_empty() && source.rules.worth_alert(event) {
            let alert = message::alert(event, &source.rules);
            alert_json = serde_json::to_string(&alert).unwrap_or_default();
            for c in notify {
                targets.push((c, (!c.is_raw()).then_some(alert_json.as_str())));
            }
        }
        if targets.is_empty() {
            continue;
        }
        // Plain data: serialising cannot fail.
        let Ok(json) = serde_json::to_string(event) else {
            continue;
        };
        for (channel, alert) in targets {
            if batch.queue_alert(&event.id, channel.key(), channel.label(), &json, alert, now)? {
                queued += 1;
            }
        }
    }
    Ok(queued)
}

/// Held while delivering: one process delivers at a time (released by the
/// system if the process dies).
fn delivery_lock(store: &Store) -> Option<Option<File>> {
    let mut path = PathBuf::from(store.path());
    let name = path
        .file_name()
        .map(|n| format!("{}.deliver-lock", n.to_string_lossy()))
        .unwrap_or_else(|| "track.deliver-lock".into());
    path.set_file_name(name);
    match OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
    {
        Ok(file) => match file.try_lock() {
            Ok(()) => Some(Some(file)),
            Err(std::fs::TryLockError::WouldBlock) => None,
            // No locking here (an odd file system): deliver unguarded.
            Err(std::fs::TryLockError::Error(_)) => Some(None),
        },
        Err(_) => Some(None),
    }
}

type Outcome = (usize, i64, Result<(), String>);

/// Deliver what is due to `channels`, within `opts.budget`. `stop` (a
/// signal) ends the round at once: the delivery in flight is abandoned and
/// its row stays pending.
pub fn deliver(
    store: &mut Store,
    channels: &[Channel],
    opts: &DeliveryOptions,
    stop: &AtomicBool,
) -> Result<DeliveryReport, StoreError> {
    let mut report = DeliveryReport::default();
    let started = Utc::now();
    let now = format_time(started);
    let by_key: HashMap<&str, &Channel> = channels.iter().map(|c| (c.key(), c)).collect();
    let waiting = store.outbox_channels()?;
    let mut lock = None;
    if waiting.iter().any(|(k, _)| by_key.contains_key(k.as_str())) && !stop.load(Ordering::SeqCst)
    {
        match delivery_lock(store) {
            Some(l) => lock = Some(l),
            None => report.busy = true,
        }
    }
    let mut work: Vec<(Channel, Vec<crate::store::outbox::OutboxRow>)> = Vec::new();
    if lock.is_some() {
        for (key, _) in &waiting {
            if let Some(channel) = by_key.get(key.as_str()) {
                let rows = store.outbox_due(key, &now, ROUND_ROWS)?;
                if !rows.is_empty() {
                    work.push(((*channel).clone(), rows));
                }
            }
        }
    }
    let mut settled: Vec<Settled> = Vec::new();
    if !work.is_empty() {
        let deadline = Instant::now() + opts.budget;
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel::<Outcome>();
        let mut attempts: HashMap<i64, i64> = HashMap::new();
        for (index, (channel, rows)) in work.iter().enumerate() {
            for r in rows {
                attempts.insert(r.id, r.attempts);
            }
            let (channel, rows) = (channel.clone(), rows.clone());
            let (tx, cancel) = (tx.clone(), Arc::clone(&cancel));
            let timeout = opts.timeout;
            // A thread per channel: a hung endpoint holds up only its own
            // alerts; the caller waits with the deadline and the stop flag.
            std::thread::spawn(move || {
                for row in rows {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if cancel.load(Ordering::SeqCst) || left.is_zero() {
                        break;
                    }
                    let alert: Option<Alert> = row
                        .alert
                        .as_deref()
                        .and_then(|a| serde_json::from_str(a).ok());
                    let key = format!("{}:{}", row.event_id, row.channel);
                    let payload = Payload {
                        event_json: &row.event,
                        alert: alert.as_ref(),
                        idempotency_key: &key,
                    };
                    // A hook command has its own, longer limit (it may do
                    // anything); every other channel the configured timeout.
                    let limit = match channel.kind {
                        super::channel::Kind::Command(_) => HOOK_TIMEOUT,
                        _ => timeout,
                    };
                    let result = send::deliver(&channel, &payload, limit.min(left));
                    let failed = result.is_err();
                    if tx.send((index, row.id, result)).is_err() || failed {
                        break;
                    }
                }
            });
        }
        drop(tx);
        loop {
            if stop.load(Ordering::SeqCst) || Instant::now() >= deadline {
                cancel.store(true, Ordering::SeqCst);
                break;
            }
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok((_, id, Ok(()))) => {
                    settled.push(Settled::Delivered { id });
                    report.delivered += 1;
                }
                Ok((index, id, Err(error))) => {
                    let failures = attempts.get(&id).copied().unwrap_or(0) + 1;
                    let give_up = failures >= i64::from(opts.max_attempts.max(1));
                    let wait = backoff(
                        opts.retry_delay,
                        u32::try_from(failures).unwrap_or(u32::MAX),
                    );
                    let retry_at = format_time(
                        Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default(),
                    );
                    report.failures.push(ChannelFailure {
                        channel: work[index].0.label().to_string(),
                        error: error.clone(),
                        retry_at: (!give_up).then(|| retry_at.clone()),
                    });
                    settled.push(Settled::Failed {
                        id,
                        error,
                        next_attempt: retry_at,
                        give_up,
                    });
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
    }
    store.settle_outbox(&settled, &format_time(Utc::now()))?;
    let keep = chrono::Duration::from_std(KEEP_DELIVERED).unwrap_or_default();
    store.prune_outbox(&format_time(started - keep))?;
    drop(lock);
    let (pending, failed) = store.outbox_counts()?;
    report.pending = pending;
    report.failed = failed;
    report.unconfigured = store
        .outbox_channels()?
        .into_iter()
        .filter(|(k, _)| !by_key.contains_key(k.as_str()))
        .map(|(_, n)| n)
        .sum();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_a_cap() {
        let d = Duration::from_secs(60);
        assert_eq!(backoff(d, 1), Duration::ZERO);
        assert_eq!(backoff(d, 2), d);
        assert_eq!(backoff(d, 3), d * 2);
        assert_eq!(backoff(d, 5), d * 8);
        assert_eq!(backoff(d, 40), MAX_RETRY_DELAY);
        assert_eq!(backoff(Duration::ZERO, 5), Duration::ZERO);
    }
}
