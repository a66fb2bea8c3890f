//! Change events (one per new version or revert), their delivery to a
//! webhook or a hook command, and the Atom feed of recent changes.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::diff::Counts;
use crate::store::sources::Change;

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
    /// One line for people.
    pub summary: String,
    /// Claim changes between the two versions (the rows of `track diff`'s
    /// `claims` that report a change: changed, added, removed, reworded).
    pub claims: Vec<crate::claims::compare::ClaimChange>,
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

/// POST one event as JSON to a webhook.
pub fn post_webhook(url: &str, event: &Event, timeout: Duration) -> Result<(), DeliveryError> {
    let err = |reason: String| DeliveryError::Webhook {
        url: url.to_string(),
        reason,
    };
    let body = serde_json::to_string(event).map_err(|e| err(e.to_string()))?;
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .build()
        .new_agent();
    let response = agent
        .post(url)
        .header("Content-Type", "application/json")
        .send(body.as_bytes())
        .map_err(|e| err(e.to_string()))?;
    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(err(format!("HTTP {status}")));
    }
    Ok(())
}

/// Run the hook command (no shell) with the event's JSON on its standard input.
pub fn run_hook(argv: &[String], event: &Event) -> Result<(), DeliveryError> {
    let program = argv.first().cloned().unwrap_or_default();
    let err = |reason: String| DeliveryError::Hook {
        program: program.clone(),
        reason,
    };
    let mut json = serde_json::to_vec(event).map_err(|e| err(e.to_string()))?;
    json.push(b'\n');
    let mut child = Command::new(&program)
        .args(&argv[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| err(format!("cannot run: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that ignores its input closes the pipe early: not a failure.
        let _ = stdin.write_all(&json);
    }
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(s)) if s.success() => return Ok(()),
            Ok(Some(s)) => return Err(err(format!("exited with {s}"))),
            Ok(None) if started.elapsed() > HOOK_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(err(format!("killed after {HOOK_TIMEOUT:?}")));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(err(e.to_string())),
        }
    }
}

/// One entry of the Atom feed: a change, with its counts when computed.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub change: Change,
    pub counts: Option<Counts>,
}

/// An Atom feed of changes, newest first. Everything from the store is escaped.
pub fn atom_feed(entries: &[FeedEntry], updated: &str, title: &str) -> String {
    let mut out = String::with_capacity(512 + entries.len() * 512);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{}</title>\n", esc(title)));
    out.push_str("  <id>urn:track:changes</id>\n");
    out.push_str(&format!("  <updated>{}</updated>\n", esc(updated)));
    out.push_str("  <generator>track</generator>\n");
    for e in entries.iter().rev() {
        let c = &e.change;
        let kind = match (c.kind.as_str(), c.version) {
            ("revert", _) => EventKind::Revert,
            (_, 1) => EventKind::NewArticle,
            _ => EventKind::NewVersion,
        };
        let line = summary(&c.key, kind, c.version, c.previous, e.counts.as_ref());
        let entry_title = match &c.title {
            Some(t) => format!("{t} — v{}", c.version),
            None => format!("{} — v{}", c.key, c.version),
        };
        let id = format!(
            "urn:track:{}:v{}:{}",
            &crate::store::hex(&crate::store::blob::hash(c.key.as_bytes()))[..16],
            c.version,
            c.at.replace([':', '-'], "")
        );
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", esc(&entry_title)));
        out.push_str(&format!("    <id>{}</id>\n", esc(&id)));
        out.push_str(&format!("    <updated>{}</updated>\n", esc(&c.at)));
        // Only http(s) addresses become links: a page can claim any URL
        // (`javascript:`, `data:`, `file:`), and feed readers follow them.
        if let Some(url) = c.url.as_deref().filter(|u| is_web_link(u)) {
            out.push_str(&format!(
                "    <link rel=\"alternate\" href=\"{}\"/>\n",
                esc(url)
            ));
        }
        out.push_str(&format!("    <summary>{}</summary>\n", esc(&line)));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// Whether an address may be rendered as a link (an `href`): an absolute
/// http or https URL with a host. Anything else (`javascript:`, `data:`,
/// `file:`, relative or unparsable addresses) is shown as text at most.
pub fn is_web_link(url: &str) -> bool {
    url::Url::parse(url.trim()).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
    })
}

/// Escape text for XML content and attribute values; drops characters XML 1.0 forbids.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
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

    #[test]
    fn feed_escapes_everything() {
        let entries = vec![FeedEntry {
            change: Change {
                at: "2025-12-27T10:00:00Z".into(),
                kind: "new".into(),
                key: "a<b>&\"c\"".into(),
                url: Some("https://x.org/?a=1&b=\"2\"".into()),
                version: 2,
                previous: Some(1),
                title: Some("<script>alert(1)</script>\u{1}".into()),
                source: None,
            },
            counts: Some(Counts::default()),
        }];
        let xml = atom_feed(&entries, "2025-12-27T10:00:00Z", "t & t");
        assert!(!xml.contains("<script>"), "{xml}");
        assert!(xml.contains("&lt;script&gt;"), "{xml}");
        assert!(
            xml.contains("href=\"https://x.org/?a=1&amp;b=&quot;2&quot;\""),
            "{xml}"
        );
        assert!(xml.contains("<title>t &amp; t</title>"), "{xml}");
        assert!(!xml.contains('\u{1}'));
        // Only http(s) addresses become links.
        let mut bad = entries.clone();
        for url in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,<script>x</script>",
            "file:///etc/passwd",
            "/relative",
        ] {
            bad[0].change.url = Some(url.into());
            let xml = atom_feed(&bad, "2025-12-27T10:00:00Z", "t");
            assert!(!xml.contains("<link"), "{url}: {xml}");
        }
        assert!(is_web_link("http://127.0.0.1:8080/a"));
        assert!(!is_web_link("mailto:a@x.org"));
        // Well-formed enough for a feed parser.
        let feed = feed_rs::parser::parse(xml.as_bytes()).unwrap();
        assert_eq!(feed.entries.len(), 1);
    }
}
