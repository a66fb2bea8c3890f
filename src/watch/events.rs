//! Change events (one per new version or revert) and the hook command that
//! receives them. Their delivery to channels is [`crate::notify::outbox`]'s;
//! the Atom feeds are [`crate::notify::feed`]'s.

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::fetch::Group;
use crate::diff::Counts;
use crate::store::sources::Edit;

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
    /// A stable id (the same event always has the same id): with a
    /// channel, the idempotency key of its delivery.
    pub id: String,
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
    /// The changed sentence rows of the diff (as in `track diff --format
    /// json`, at most [`EVENT_SENTENCES`]), with their word diffs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sentences: Vec<crate::report::SentenceRow>,
    /// What the change edited: `text`, or only `orthographic` (spelling) or
    /// `moved` (sentence order) — those raise events only with
    /// `minor_edits = true`; `null` for a new article.
    pub edit: Option<Edit>,
}

/// Changed sentence rows an event carries, at most.
pub const EVENT_SENTENCES: usize = 10;

/// The id of the event for `kind` of version `version` of `key` seen at `at`
/// by `source`: 32 hex digits of a BLAKE3 hash, the same every time.
pub fn event_id(source: &str, key: &str, kind: EventKind, version: i64, at: &str) -> String {
    let kind = match kind {
        EventKind::NewArticle => "new_article",
        EventKind::NewVersion => "new_version",
        EventKind::Revert => "revert",
    };
    let text = format!("{source}\0{key}\0{kind}\0{version}\0{at}");
    crate::store::hex(&crate::store::blob::hash(text.as_bytes()))[..32].to_string()
}

/// Why a hook command failed (never fatal: the event stays queued).
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
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
