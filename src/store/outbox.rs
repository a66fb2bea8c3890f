//! The outbox (migration 8): alerts waiting for delivery, one row per event
//! and channel. Rows are queued inside the batch that records the change
//! (so a recorded change always has its alerts, even after `kill -9`), and
//! settled by [`crate::notify::outbox`] after each delivery attempt.

use rusqlite::{Row, params};
use serde::Serialize;

use super::{Batch, Result, Store};

/// Where a row stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting for its next attempt.
    Pending,
    /// The channel accepted it.
    Delivered,
    /// Every attempt allowed failed; kept until retried or dropped.
    Failed,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Delivered => "delivered",
            OutboxState::Failed => "failed",
        }
    }

    fn parse(s: &str) -> OutboxState {
        match s {
            "delivered" => OutboxState::Delivered,
            "failed" => OutboxState::Failed,
            _ => OutboxState::Pending,
        }
    }
}

/// One event for one channel.
#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub event_id: String,
    /// The channel's key (`webhook`, `command`, `n:…`).
    pub channel: String,
    /// The channel, its secrets hidden.
    pub label: String,
    /// The event, JSON.
    pub event: String,
    /// The alert for people, JSON (`None`: the channel gets the event).
    pub alert: Option<String>,
    pub created_at: String,
    pub state: OutboxState,
    /// Failed attempts so far.
    pub attempts: i64,
    pub next_attempt: String,
    pub last_error: Option<String>,
    pub delivered_at: Option<String>,
}

const COLUMNS: &str = "id, event_id, channel, label, event, alert, created_at, state, attempts,
     next_attempt, last_error, delivered_at";

fn row(r: &Row<'_>) -> rusqlite::Result<OutboxRow> {
    Ok(OutboxRow {
        id: r.get(0)?,
        event_id: r.get(1)?,
        channel: r.get(2)?,
        label: r.get(3)?,
        event: r.get(4)?,
        alert: r.get(5)?,
        created_at: r.get(6)?,
        state: OutboxState::parse(&r.get::<_, String>(7)?),
        attempts: r.get(8)?,
        next_attempt: r.get(9)?,
        last_error: r.get(10)?,
        delivered_at: r.get(11)?,
    })
}

/// What became of one attempt.
#[derive(Debug, Clone)]
pub enum Settled {
    Delivered {
        id: i64,
    },
    /// Failed: retried at `next_attempt`, or never again if `give_up`.
    Failed {
        id: i64,
        error: String,
        next_attempt: String,
        give_up: bool,
    },
}

/// Which rows `retry` or `drop` act on.
#[derive(Debug, Clone)]
pub enum Selection {
    /// These ids.
    Ids(Vec<i64>),
    /// Every failed row.
    Failed,
    /// Every row not delivered (pending and failed).
    Undelivered,
}

impl Selection {
    fn filter(&self) -> String {
        match self {
            Selection::Ids(ids) => format!(
                "id IN ({}) AND state != 'delivered'",
                ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
            ),
            Selection::Failed => "state = 'failed'".into(),
            Selection::Undelivered => "state != 'delivered'".into(),
        }
    }
}

impl Batch<'_> {
    /// Queue an event for a channel; delivered only if this batch commits.
    /// False if that event was already queued for that channel (the
    /// idempotency key).
    #[allow(clippy::too_many_arguments)]
    pub fn queue_alert(
        &mut self,
        event_id: &str,
        channel: &str,
        label: &str,
        event: &str,
        alert: Option<&str>,
        now: &str,
    ) -> Result<bool> {
        let n = self
            .store
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO outbox (event_id, channel, label, event, alert, created_at, next_attempt)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            )?
            .execute(params![event_id, channel, label, event, alert, now])?;
        Ok(n > 0)
    }
}

impl Store {
    /// The rows of the outbox, oldest first: those not delivered, and the
    /// delivered ones too with `delivered`.
    pub fn outbox(&self, delivered: bool) -> Result<Vec<OutboxRow>> {
        let filter = if delivered {
            ""
        } else {
            "WHERE state != 'delivered'"
        };
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM outbox {filter} ORDER BY id"
        ))?;
        let rows = stmt.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The channels with pending rows, and how many each.
    pub fn outbox_channels(&self) -> Result<Vec<(String, usize)>> {
        let mut stmt = self.conn.prepare(
            "SELECT channel, count(*) FROM outbox WHERE state = 'pending' GROUP BY channel",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get(0)?, usize::try_from(r.get::<_, i64>(1)?).unwrap_or(0)))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The pending rows of a channel, oldest first, at most `limit` — none
    /// unless the oldest is due at `now`: a channel's alerts go in order,
    /// and its back-off is its oldest row's.
    pub fn outbox_due(&self, channel: &str, now: &str, limit: usize) -> Result<Vec<OutboxRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM outbox WHERE channel = ?1 AND state = 'pending'
             ORDER BY id LIMIT ?2"
        ))?;
        let rows: Vec<OutboxRow> = stmt
            .query_map(
                params![channel, i64::try_from(limit).unwrap_or(i64::MAX)],
                row,
            )?
            .collect::<rusqlite::Result<_>>()?;
        match rows.first() {
            Some(first) if first.next_attempt.as_str() <= now => Ok(rows),
            _ => Ok(Vec::new()),
        }
    }

    /// Rows pending and failed.
    pub fn outbox_counts(&self) -> Result<(usize, usize)> {
        let (pending, failed): (i64, i64) = self.conn.query_row(
            "SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'failed')
             FROM outbox",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((
            usize::try_from(pending).unwrap_or(0),
            usize::try_from(failed).unwrap_or(0),
        ))
    }

    /// Record what became of attempts, in one transaction.
    pub fn settle_outbox(&mut self, settled: &[Settled], now: &str) -> Result<()> {
        if settled.is_empty() {
            return Ok(());
        }
        let batch = self.batch()?;
        {
            let conn = &batch.store.conn;
            let mut delivered = conn.prepare_cached(
                "UPDATE outbox SET state = 'delivered', delivered_at = ?2, last_error = NULL
                 WHERE id = ?1",
            )?;
            let mut failed = conn.prepare_cached(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt = ?3,
                    state = CASE WHEN ?4 THEN 'failed' ELSE 'pending' END
                 WHERE id = ?1 AND state = 'pending'",
            )?;
            for s in settled {
                match s {
                    Settled::Delivered { id } => {
                        delivered.execute(params![id, now])?;
                    }
                    Settled::Failed {
                        id,
                        error,
                        next_attempt,
                        give_up,
                    } => {
                        failed.execute(params![id, error, next_attempt, give_up])?;
                    }
                }
            }
        }
        batch.commit()
    }

    /// Make rows due now; failed ones are pending again with their attempts
    /// counted from zero. Returns how many.
    pub fn outbox_retry(&mut self, which: &Selection, now: &str) -> Result<usize> {
        let batch = self.batch()?;
        let n = batch.store.conn.execute(
            &format!(
                "UPDATE outbox SET next_attempt = ?1,
                    attempts = CASE WHEN state = 'failed' THEN 0 ELSE attempts END,
                    state = 'pending'
                 WHERE {}",
                which.filter()
            ),
            [now],
        )?;
        batch.commit()?;
        Ok(n)
    }

    /// Remove rows that are not delivered. Returns how many.
    pub fn outbox_drop(&mut self, which: &Selection) -> Result<usize> {
        let batch = self.batch()?;
        let n = batch
            .store
            .conn
            .execute(&format!("DELETE FROM outbox WHERE {}", which.filter()), [])?;
        batch.commit()?;
        Ok(n)
    }

    /// Forget delivered rows delivered before `before` (they only guard
    /// against delivering again, which cannot happen that late).
    pub fn prune_outbox(&mut self, before: &str) -> Result<usize> {
        let stale: i64 = self.conn.query_row(
            "SELECT count(*) FROM outbox WHERE state = 'delivered' AND delivered_at < ?1",
            [before],
            |r| r.get(0),
        )?;
        if stale == 0 {
            return Ok(0);
        }
        let batch = self.batch()?;
        let n = batch.store.conn.execute(
            "DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < ?1",
            [before],
        )?;
        batch.commit()?;
        Ok(n)
    }
}

/// SQL that turns a store back into what it was before migration 8 (for
/// tests of the migrations).
#[cfg(test)]
pub(crate) const UNDO_MIGRATION_8: &str = "DROP TABLE outbox;
CREATE TABLE pending_events (
    id         INTEGER PRIMARY KEY,
    target     TEXT NOT NULL CHECK (target IN ('webhook', 'command')),
    event      TEXT NOT NULL,               -- the event, JSON
    created_at TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,  -- failed deliveries so far
    last_error TEXT
)";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::OpenMode;

    #[test]
    fn events_queued_by_an_older_track_move_to_the_outbox() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        drop(Store::open(&path, OpenMode::Create).unwrap());
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch(&format!(
                "{}; {UNDO_MIGRATION_8};
                 INSERT INTO pending_events (target, event, created_at, attempts, last_error)
                 VALUES ('webhook', '{{\"version\": 2}}', '2025-12-27T10:00:00Z', 3, 'HTTP 503'),
                        ('command', '{{\"version\": 2}}', '2025-12-27T10:00:00Z', 0, NULL);
                 PRAGMA user_version = 7;",
                crate::store::search::UNDO_MIGRATION_9
            ))
            .unwrap();
        let mut store = Store::open(&path, OpenMode::Existing).unwrap();
        let rows = store.outbox(false).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].channel.as_str(), rows[0].state, rows[0].attempts),
            ("webhook", OutboxState::Pending, 3)
        );
        assert_eq!(rows[0].last_error.as_deref(), Some("HTTP 503"));
        assert_eq!(rows[1].channel, "command");
        assert!(store.verify().unwrap().problems.is_empty());

        // Queued once per event and channel; settled, retried, dropped.
        let now = "2025-12-28T00:00:00Z";
        let mut batch = store.batch().unwrap();
        assert!(
            batch
                .queue_alert("e1", "n:1", "slack://T/***/***", "{}", Some("{}"), now)
                .unwrap()
        );
        assert!(
            !batch
                .queue_alert("e1", "n:1", "slack://T/***/***", "{}", Some("{}"), now)
                .unwrap()
        );
        batch.commit().unwrap();
        let due = store.outbox_due("n:1", now, 10).unwrap();
        assert_eq!(due.len(), 1);
        let id = due[0].id;
        store
            .settle_outbox(
                &[Settled::Failed {
                    id,
                    error: "HTTP 500".into(),
                    next_attempt: "2025-12-28T00:01:00Z".into(),
                    give_up: false,
                }],
                now,
            )
            .unwrap();
        assert!(
            store.outbox_due("n:1", now, 10).unwrap().is_empty(),
            "backing off"
        );
        assert_eq!(
            store
                .outbox_due("n:1", "2025-12-28T00:01:00Z", 10)
                .unwrap()
                .len(),
            1
        );
        store
            .settle_outbox(&[Settled::Delivered { id }], now)
            .unwrap();
        assert!(
            store
                .outbox_due("n:1", "2026-01-01T00:00:00Z", 10)
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.outbox_counts().unwrap(), (2, 0));
        // A delivered row is neither retried nor dropped.
        assert_eq!(
            store.outbox_retry(&Selection::Ids(vec![id]), now).unwrap(),
            0
        );
        assert_eq!(store.outbox_drop(&Selection::Ids(vec![id])).unwrap(), 0);
        assert_eq!(store.prune_outbox("2025-12-27T00:00:00Z").unwrap(), 0);
        assert_eq!(store.prune_outbox("2025-12-29T00:00:00Z").unwrap(), 1);
        assert_eq!(store.outbox_drop(&Selection::Undelivered).unwrap(), 2);
    }
}
