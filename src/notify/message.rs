//! The alert people read, and its renderings per channel.
//!
//! Every alert leads with the claim changes (`quantity update: 12 شخصاً →
//! 15 شخصاً`), then a short word diff of the changed sentences, then the
//! link to the article; the title is the e-mail's subject and the last line
//! of a chat message. An [`Alert`] is built once, when the event is queued,
//! with every text from the scrape already made safe (control and bidi
//! control characters shown as escapes, as in all human output); each
//! renderer then escapes its own markup: HTML (e-mail, Matrix, Telegram),
//! Slack mrkdwn, Discord markdown. Chat messages never ping anyone
//! (Discord `allowed_mentions` is empty; `<!channel>` can't be formed in Slack).
//!
//! Right-to-left text: in HTML each value sits in `<bdi>` and the article's
//! sentences in a `dir="rtl"` block; in plain text and chat markup, where
//! there is no isolation, the arrow between two values carries left-to-right
//! marks so an Arabic `from → to` is not laid out as `to ← from`.

use serde::{Deserialize, Serialize};

use super::rules::{Rules, Trigger};
use crate::claims::compare::{ClaimChange, Status};
use crate::diff::{Op, WordOp};
use crate::notify::feed::is_web_link;
use crate::report::html::esc as html_esc;
use crate::report::term::{describe_change_with, slot_text};
use crate::text::visible::visible_line;
use crate::watch::events::{Event, EventKind};

/// Claim lines shown, at most.
const MAX_CLAIM_LINES: usize = 8;
/// Changed sentences shown, at most.
const MAX_DIFF_ROWS: usize = 3;
/// Characters of one value or sentence shown, at most.
const MAX_TEXT: usize = 300;
/// Unchanged words kept on each side of a change in the word diff.
const CONTEXT_WORDS: usize = 6;
/// The arrow between two values, fenced by left-to-right marks.
const ARROW: &str = "\u{200e}→\u{200e}";

/// An alert, ready for any channel. Every string is safe to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// `TITLE — claims changed (v1 → v2)`: the e-mail's subject, a
    /// notification's title.
    pub subject: String,
    /// The article's title, else its key.
    pub title: String,
    /// The event's one-line summary.
    pub summary: String,
    /// What changed in substance, first.
    pub claims: Vec<ClaimLine>,
    /// Claim lines left out.
    pub more_claims: usize,
    /// A short word diff: the changed sentences, each a run of words.
    pub diff: Vec<Vec<Word>>,
    /// Changed sentences left out.
    pub more_rows: usize,
    /// The article (only an absolute http(s) URL).
    pub link: Option<String>,
    /// The article's text runs right to left.
    pub rtl: bool,
}

/// `what: from → to` (`quantity update: 12 → 15`, `claim added: …`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimLine {
    pub what: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A run of the word diff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub op: Mark,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Same,
    Deleted,
    Inserted,
    /// Unchanged words left out (`…`).
    Gap,
}

fn clip(text: &str, max: usize) -> String {
    let line = visible_line(text);
    if line.chars().count() <= max {
        return line.into_owned();
    }
    let cut: String = line.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

/// Build the alert for an event under a source's rules.
pub fn alert(event: &Event, rules: &Rules) -> Alert {
    let title = clip(
        event
            .title
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(&event.key),
        200,
    );
    let mut claims: Vec<ClaimLine> = Vec::new();
    let show_reworded = rules.on.contains(&Trigger::Reworded) || rules.on.contains(&Trigger::Text);
    for row in rules.claim_rows(event) {
        claims.extend(claim_lines(row, show_reworded));
    }
    if let Some(t) = &event.title_change {
        claims.push(ClaimLine {
            what: "headline".into(),
            from: Some(clip(&t.from, MAX_TEXT)),
            to: Some(clip(&t.to, MAX_TEXT)),
        });
    }
    let more_claims = claims.len().saturating_sub(MAX_CLAIM_LINES);
    claims.truncate(MAX_CLAIM_LINES);

    let mut rows: Vec<Vec<Word>> = Vec::new();
    for r in &event.sentences {
        let whole = |op: Mark, side: &Option<crate::report::UnitRef>| -> Vec<Word> {
            side.as_ref()
                .map(|u| {
                    vec![Word {
                        op,
                        text: clip(&u.text, MAX_TEXT),
                    }]
                })
                .unwrap_or_default()
        };
        let words = match r.op {
            Op::Unchanged | Op::Moved => continue,
            Op::Added => whole(Mark::Inserted, &r.to),
            Op::Removed if rules.only_added => continue,
            Op::Removed => whole(Mark::Deleted, &r.from),
            Op::Edited | Op::Split | Op::Merged if r.shows_words() => window(&r.words),
            Op::Edited | Op::Split | Op::Merged => {
                let mut w = whole(Mark::Deleted, &r.from);
                w.push(Word {
                    op: Mark::Same,
                    text: " ".into(),
                });
                w.extend(whole(Mark::Inserted, &r.to));
                w
            }
        };
        if !words.is_empty() {
            rows.push(words);
        }
    }
    let more_rows = rows.len().saturating_sub(MAX_DIFF_ROWS);
    rows.truncate(MAX_DIFF_ROWS);

    let what = match event.kind {
        EventKind::NewArticle => "new article",
        EventKind::Revert => "reverted",
        EventKind::NewVersion if claims.iter().any(|c| c.what != "headline") => "claims changed",
        EventKind::NewVersion if event.title_change.is_some() => "headline changed",
        EventKind::NewVersion => "changed",
    };
    let versions = match event.previous {
        Some(p) => format!("v{p} → v{}", event.version),
        None => format!("v{}", event.version),
    };
    let sample: String = rows
        .iter()
        .flatten()
        .map(|w| w.text.as_str())
        .chain([title.as_str()])
        .collect();
    Alert {
        subject: format!("{title} — {what} ({versions})"),
        summary: clip(&event.summary, 400),
        claims,
        more_claims,
        diff: rows,
        more_rows,
        link: event
            .url
            .as_deref()
            .filter(|u| is_web_link(u))
            .and_then(|u| url::Url::parse(u.trim()).ok())
            .map(|u| u.to_string()),
        rtl: starts_rtl(&sample),
        title,
    }
}

fn claim_lines(row: &ClaimChange, show_reworded: bool) -> Vec<ClaimLine> {
    let text =
        |s: &Option<crate::claims::compare::ClaimSide>| s.as_ref().map(|s| clip(&s.text, MAX_TEXT));
    match row.status {
        Status::Changed if !row.changes.is_empty() => row
            .changes
            .iter()
            .map(|ch| {
                let parts = describe_change_with(ch, slot_text);
                ClaimLine {
                    what: clip(&parts.what, 80),
                    from: parts.from.map(|s| clip(&s, MAX_TEXT)),
                    to: parts.to.map(|s| clip(&s, MAX_TEXT)),
                }
            })
            .collect(),
        Status::Changed => vec![ClaimLine {
            what: "claim changed".into(),
            from: text(&row.from),
            to: text(&row.to),
        }],
        Status::Added => vec![ClaimLine {
            what: "claim added".into(),
            from: None,
            to: text(&row.to),
        }],
        Status::Removed => vec![ClaimLine {
            what: "claim removed".into(),
            from: text(&row.from),
            to: None,
        }],
        Status::Reworded if show_reworded => vec![ClaimLine {
            what: "claim reworded".into(),
            from: text(&row.from),
            to: text(&row.to),
        }],
        _ => Vec::new(),
    }
}

/// The word diff of a sentence with long unchanged stretches cut to a few
/// words around each change.
fn window(words: &[crate::diff::WordChange]) -> Vec<Word> {
    let mut out = Vec::new();
    let last = words.len().saturating_sub(1);
    for (i, w) in words.iter().enumerate() {
        let text = visible_line(&w.text).into_owned();
        match w.op {
            WordOp::Delete => out.push(Word {
                op: Mark::Deleted,
                text: clip(&text, MAX_TEXT),
            }),
            WordOp::Insert => out.push(Word {
                op: Mark::Inserted,
                text: clip(&text, MAX_TEXT),
            }),
            WordOp::Equal => {
                let tokens: Vec<&str> = text.split_inclusive(char::is_whitespace).collect();
                let n = tokens.len();
                let (keep_head, keep_tail) = match (i == 0, i == last) {
                    (true, true) => (n, 0),
                    (true, false) => (0, CONTEXT_WORDS),
                    (false, true) => (CONTEXT_WORDS, 0),
                    (false, false) => (CONTEXT_WORDS, CONTEXT_WORDS),
                };
                if keep_head + keep_tail >= n {
                    out.push(Word {
                        op: Mark::Same,
                        text,
                    });
                    continue;
                }
                if keep_head > 0 {
                    out.push(Word {
                        op: Mark::Same,
                        text: tokens[..keep_head].concat(),
                    });
                }
                out.push(Word {
                    op: Mark::Gap,
                    text: "…".into(),
                });
                if keep_tail > 0 {
                    out.push(Word {
                        op: Mark::Same,
                        text: format!(" {}", tokens[n - keep_tail..].concat()),
                    });
                }
            }
        }
    }
    out
}

/// Whether the first letter with a strong direction is right-to-left
/// (Arabic, Hebrew, Syriac, Thaana, N'Ko and their presentation forms).
pub fn starts_rtl(text: &str) -> bool {
    for c in text.chars() {
        if matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
            && c.is_alphabetic()
        {
            return true;
        }
        if c.is_alphabetic() {
            return false;
        }
    }
    false
}

/// Lines joined while they fit in `limit` characters; a note says how many
/// were left out. Whole lines only, so markup is never cut in two.
fn fit(lines: Vec<String>, limit: usize) -> String {
    let mut out = String::new();
    let total = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        let note = format!("(… {} more lines)", total - i);
        if out.chars().count() + line.chars().count() + note.len() + 2 > limit {
            out.push_str(&note);
            return out;
        }
        out.push_str(&line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

fn more(n: usize, what: &str) -> Option<String> {
    (n > 0).then(|| format!("(… {n} more {what})"))
}

/// `what: from → to` with each value rendered by `value`.
fn claim_line(c: &ClaimLine, what: String, value: impl Fn(&str) -> String, arrow: &str) -> String {
    match (&c.from, &c.to) {
        (Some(a), Some(b)) => format!("{what}: {} {arrow} {}", value(a), value(b)),
        (Some(a), None) => format!("{what}: {}", value(a)),
        (None, Some(b)) => format!("{what}: {}", value(b)),
        (None, None) => what,
    }
}

/// Plain text: the e-mail's text part, ntfy, Matrix's fallback body.
/// Deleted words as `[-…-]`, inserted as `{+…+}` (as `wdiff`).
pub fn plain(a: &Alert) -> String {
    let mut lines = Vec::new();
    if a.claims.is_empty() {
        lines.push(a.summary.clone());
    }
    for c in &a.claims {
        lines.push(claim_line(
            c,
            format!("• {}", c.what),
            str::to_string,
            ARROW,
        ));
    }
    lines.extend(more(a.more_claims, "claim changes"));
    if !a.diff.is_empty() {
        lines.push(String::new());
    }
    for row in &a.diff {
        let mut s = String::from("» ");
        for w in row {
            match w.op {
                Mark::Same | Mark::Gap => s.push_str(&w.text),
                Mark::Deleted => s.push_str(&format!("[-{}-]", w.text)),
                Mark::Inserted => s.push_str(&format!("{{+{}+}}", w.text)),
            }
        }
        lines.push(s);
    }
    lines.extend(more(a.more_rows, "changed sentences"));
    lines.push(String::new());
    lines.push(a.title.clone());
    lines.extend(a.link.clone());
    lines.join("\n")
}

/// The HTML of an alert without a document around it (Matrix, and the
/// e-mail's body).
pub fn html_fragment(a: &Alert) -> String {
    let dir = if a.rtl { "rtl" } else { "ltr" };
    let bdi = |s: &str| format!("<bdi dir=\"auto\">{}</bdi>", html_esc(s));
    let mut h = String::new();
    if a.claims.is_empty() {
        h.push_str(&format!("<p dir=\"ltr\">{}</p>\n", bdi(&a.summary)));
    } else {
        h.push_str("<ul dir=\"ltr\">\n");
        for c in &a.claims {
            let what = format!("<b>{}</b>", html_esc(&c.what));
            h.push_str(&format!("<li>{}</li>\n", claim_line(c, what, bdi, "→")));
        }
        if let Some(m) = more(a.more_claims, "claim changes") {
            h.push_str(&format!("<li>{}</li>\n", html_esc(&m)));
        }
        h.push_str("</ul>\n");
    }
    for row in &a.diff {
        h.push_str(&format!("<blockquote dir=\"{dir}\"><p>"));
        for w in row {
            let t = html_esc(&w.text);
            match w.op {
                Mark::Same | Mark::Gap => h.push_str(&t),
                Mark::Deleted => h.push_str(&format!(
                    "<del style=\"background:#fdd\"><bdi>{t}</bdi></del>"
                )),
                Mark::Inserted => h.push_str(&format!(
                    "<ins style=\"background:#dfd\"><bdi>{t}</bdi></ins>"
                )),
            }
        }
        h.push_str("</p></blockquote>\n");
    }
    if let Some(m) = more(a.more_rows, "changed sentences") {
        h.push_str(&format!("<p dir=\"ltr\">{}</p>\n", html_esc(&m)));
    }
    match &a.link {
        Some(link) => h.push_str(&format!(
            "<p dir=\"ltr\"><a href=\"{}\">{}</a></p>\n",
            html_esc(link),
            bdi(&a.title)
        )),
        None => h.push_str(&format!("<p dir=\"ltr\">{}</p>\n", bdi(&a.title))),
    }
    h
}

/// The e-mail's HTML part: a whole document.
pub fn html_document(a: &Alert) -> String {
    format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body style=\"font-family:sans-serif\">\n{}</body></html>\n",
        html_esc(&a.subject),
        html_fragment(a)
    )
}

/// Slack mrkdwn: `&`, `<` and `>` escaped (so no link or `<!channel>` can be
/// formed), and a zero-width space after `*`, `_`, `~` and `` ` `` so a
/// scrape's text cannot open formatting.
fn slack_esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' | '_' | '~' | '`' => {
                out.push(c);
                out.push('\u{200b}');
            }
            c => out.push(c),
        }
    }
    out
}

/// Wrap the non-blank middle of `text` in a mark (formatting needs the
/// marks against the words).
fn wrap(text: &str, (open, close): (&str, &str)) -> String {
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len();
    if start >= end {
        return text.to_string();
    }
    format!(
        "{}{open}{}{close}{}",
        &text[..start],
        &text[start..end],
        &text[end..]
    )
}

fn chat_lines(
    a: &Alert,
    esc: impl Fn(&str) -> String,
    bold: (&str, &str),
    strike: (&str, &str),
    link: impl Fn(&str, &str) -> String,
) -> Vec<String> {
    let mut lines = Vec::new();
    if a.claims.is_empty() {
        lines.push(esc(&a.summary));
    }
    for c in &a.claims {
        let what = format!("• {}", wrap(&esc(&c.what), bold));
        lines.push(claim_line(c, what, &esc, ARROW));
    }
    lines.extend(more(a.more_claims, "claim changes").map(|m| esc(&m)));
    for row in &a.diff {
        let mut s = String::from("> ");
        for w in row {
            let t = esc(&w.text);
            match w.op {
                Mark::Same | Mark::Gap => s.push_str(&t),
                Mark::Deleted => s.push_str(&wrap(&t, strike)),
                Mark::Inserted => s.push_str(&wrap(&t, bold)),
            }
        }
        lines.push(s);
    }
    lines.extend(more(a.more_rows, "changed sentences").map(|m| esc(&m)));
    lines.push(match &a.link {
        Some(url) => link(url, &a.title),
        None => esc(&a.title),
    });
    lines
}

/// A Slack incoming-webhook payload.
pub fn slack(a: &Alert) -> serde_json::Value {
    let lines = chat_lines(a, slack_esc, ("*", "*"), ("~", "~"), |url, title| {
        format!(
            "<{}|{}>",
            slack_esc(url),
            slack_esc(title).replace('|', "¦")
        )
    });
    serde_json::json!({ "text": fit(lines, 3500) })
}

/// Discord markdown: a backslash before every markup character.
fn discord_esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*'
                | '_'
                | '~'
                | '`'
                | '|'
                | '>'
                | '<'
                | '#'
                | '['
                | ']'
                | '('
                | ')'
                | '-'
                | '@'
                | ':'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A Discord webhook payload; it mentions nobody whatever the text says.
pub fn discord(a: &Alert) -> serde_json::Value {
    let lines = chat_lines(a, discord_esc, ("**", "**"), ("~~", "~~"), |url, title| {
        format!("[{}](<{url}>)", discord_esc(title))
    });
    serde_json::json!({
        "content": fit(lines, 2000),
        "allowed_mentions": { "parse": [] },
    })
}

fn telegram_esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A Telegram `sendMessage` (HTML parse mode).
pub fn telegram(a: &Alert, chat_id: &str) -> serde_json::Value {
    let lines = chat_lines(
        a,
        telegram_esc,
        ("<b>", "</b>"),
        ("<s>", "</s>"),
        |url, title| {
            format!(
                "<a href=\"{}\">{}</a>",
                telegram_esc(url),
                telegram_esc(title)
            )
        },
    );
    let text = fit(lines, 4000);
    serde_json::json!({
        "chat_id": chat_id,
        "text": text,
        "parse_mode": "HTML",
        "disable_web_page_preview": true,
    })
}

/// A Matrix `m.room.message`: plain body and HTML.
pub fn matrix(a: &Alert) -> serde_json::Value {
    serde_json::json!({
        "msgtype": "m.text",
        "body": plain(a),
        "format": "org.matrix.custom.html",
        "formatted_body": html_fragment(a),
    })
}

/// An ntfy JSON publish.
pub fn ntfy(a: &Alert, topic: &str) -> serde_json::Value {
    let mut v = serde_json::json!({
        "topic": topic,
        "title": a.subject,
        "message": fit(plain(a).lines().map(str::to_string).collect(), 4000),
    });
    if let Some(link) = &a.link {
        v["click"] = serde_json::Value::String(link.clone());
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::compare::{ClaimSide, SlotChange};
    use crate::claims::{Qualifier, QuantityKind, Slot};
    use crate::diff::{Counts, WordChange};
    use crate::report::{SentenceRow, UnitRef};
    use crate::store::sources::Edit;

    fn q(text: &str, v: f64) -> Slot {
        Slot::Quantity {
            text: text.into(),
            value: v,
            upper: None,
            unit: None,
            unit_key: None,
            qualifier: Qualifier::About,
            kind: QuantityKind::Count,
        }
    }

    fn event(title: &str, sentence_words: Vec<WordChange>) -> Event {
        let side = |text: &str, slot: Slot| {
            Some(ClaimSide {
                sentence: 0,
                text: text.into(),
                slots: vec![slot],
            })
        };
        Event {
            id: "e".into(),
            at: "2025-12-27T10:00:00Z".into(),
            source: "s".into(),
            key: "https://x.org/a".into(),
            url: Some("https://x.org/a?x=1&y=<2>".into()),
            kind: EventKind::NewVersion,
            version: 2,
            previous: Some(1),
            counts: Some(Counts {
                edited: 1,
                ..Counts::default()
            }),
            title: Some(title.into()),
            title_change: None,
            summary: "k: v1 → v2: 1 edited (sentences)".into(),
            claims: vec![ClaimChange {
                status: Status::Changed,
                from: side("قتل نحو 2000 شخص", q("نحو 2000 شخص", 2000.0)),
                to: side("قتل نحو 2300 شخص", q("نحو 2300 شخص", 2300.0)),
                changes: vec![SlotChange {
                    slot: "quantity",
                    kind: "update",
                    from: Some(q("نحو 2000 شخص", 2000.0)),
                    to: Some(q("نحو 2300 شخص", 2300.0)),
                }],
                similarity: None,
                confidence: None,
            }],
            sentences: vec![SentenceRow {
                op: Op::Edited,
                from: None,
                to: Some(UnitRef {
                    index: 0,
                    text: String::new(),
                    indices: Vec::new(),
                    paragraph: 0,
                    kind: crate::text::segment::UnitKind::Sentence,
                }),
                orthographic_only: false,
                similarity: 0.9,
                words: sentence_words,
            }],
            edit: Some(Edit::Text),
        }
    }

    fn w(op: WordOp, text: &str) -> WordChange {
        WordChange {
            op,
            text: text.into(),
        }
    }

    #[test]
    fn claims_lead_then_words_then_link() {
        let e = event(
            "حصيلة القتلى",
            vec![
                w(WordOp::Equal, "قتل نحو "),
                w(WordOp::Delete, "2000"),
                w(WordOp::Insert, "2300"),
                w(WordOp::Equal, " شخص"),
            ],
        );
        let a = alert(&e, &Rules::default());
        assert!(a.rtl);
        assert_eq!(a.subject, "حصيلة القتلى — claims changed (v1 → v2)");
        let text = plain(&a);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            format!("• quantity update: نحو 2000 شخص {ARROW} نحو 2300 شخص")
        );
        assert_eq!(lines[2], "» قتل نحو [-2000-]{+2300+} شخص");
        assert_eq!(lines.last(), Some(&"https://x.org/a?x=1&y=%3C2%3E"));
        let html = html_document(&a);
        assert!(html.contains("<blockquote dir=\"rtl\">"), "{html}");
        assert!(
            html.contains(
                "<bdi dir=\"auto\">نحو 2000 شخص</bdi> → <bdi dir=\"auto\">نحو 2300 شخص</bdi>"
            ),
            "{html}"
        );
        assert!(html.find("quantity update") < html.find("<blockquote"));
        assert!(html.find("<blockquote") < html.find("href="));
    }

    #[test]
    fn scraped_text_is_escaped_everywhere() {
        let nasty =
            "<script>x</script> *bold* <!channel> @everyone [a](javascript:x) \u{1b}[2J\u{202e}";
        let e = event(nasty, vec![w(WordOp::Insert, nasty)]);
        let a = alert(&e, &Rules::default());
        // The texts a reader's program gets (JSON payloads: their strings).
        fn strings(v: &serde_json::Value) -> String {
            match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Object(m) => m.values().map(strings).collect(),
                serde_json::Value::Array(a) => a.iter().map(strings).collect(),
                _ => String::new(),
            }
        }
        let all = [
            plain(&a),
            html_document(&a),
            strings(&slack(&a)),
            strings(&discord(&a)),
            strings(&telegram(&a, "1")),
            strings(&matrix(&a)),
            strings(&ntfy(&a, "t")),
        ];
        for s in &all {
            assert!(!s.contains('\u{1b}') && !s.contains('\u{202e}'), "{s}");
            // Shown as escapes (Discord's markdown escapes them once more).
            assert!(
                s.contains("\\x1b[2J\\u{202e}") || s.contains("\\\\x1b\\[2J"),
                "{s}"
            );
        }
        assert!(!html_document(&a).contains("<script>"));
        let slack = slack(&a)["text"].as_str().unwrap().to_string();
        assert!(
            !slack.contains("<!channel>") && !slack.contains("<script>"),
            "{slack}"
        );
        assert!(slack.contains("*\u{200b}bold*\u{200b}"), "{slack}");
        let d = discord(&a);
        assert_eq!(d["allowed_mentions"]["parse"], serde_json::json!([]));
        let content = d["content"].as_str().unwrap();
        assert!(
            content.contains("\\*bold\\*") && content.contains("\\@everyone"),
            "{content}"
        );
        assert!(content.contains("\\[a\\]\\(javascript\\:x\\)"), "{content}");
        let t = telegram(&a, "1");
        assert!(!t["text"].as_str().unwrap().contains("<script>"));
    }

    #[test]
    fn long_equal_runs_are_cut_around_the_change() {
        let head = "one two three four five six seven eight nine ten ";
        let ws = window(&[
            w(WordOp::Equal, head),
            w(WordOp::Delete, "old"),
            w(WordOp::Insert, "new"),
            w(WordOp::Equal, &format!(" {head}")),
        ]);
        let text: String = ws.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            text,
            "… five six seven eight nine ten oldnew one two three four five …"
        );
    }

    #[test]
    fn direction() {
        assert!(starts_rtl("12 قتيلا"));
        assert!(!starts_rtl("12 dead, قتيلا"));
        assert!(!starts_rtl(""));
    }

    #[test]
    fn chat_messages_fit_their_limits() {
        let mut e = event("t", Vec::new());
        let row = e.claims[0].clone();
        e.claims = vec![row; 40];
        let a = alert(&e, &Rules::default());
        assert_eq!(a.claims.len(), MAX_CLAIM_LINES);
        assert_eq!(a.more_claims, 32);
        assert!(discord(&a)["content"].as_str().unwrap().chars().count() <= 2000);
    }
}
