//! Hostile text never reaches a terminal raw: escape sequences, C1 controls,
//! lone carriage returns and bidi overrides from a scrape (or from a key or
//! file name) are shown as escapes (`\x1b`, `\u{202e}`) in every human
//! output, while the store and the JSON keep the text exactly. Keys with
//! control characters are refused.

use std::fs;

use crate::common::*;

/// Enough ordinary text that the hostile characters are a tiny share of it
/// (a page that is mostly controls is refused as binary).
fn filler() -> String {
    "The ministry said on Tuesday that the new transport plan would start next year. ".repeat(12)
}

/// A text scrape: two escape sequences, a bidi override, a C1 CSI, a lone CR.
fn hostile_text(first: &str) -> String {
    format!(
        "{}\n\n{first} \x1b[2J the screen. Then \x1b]0;title\x07 the title.\n\nAn evil \u{202e} override here. A C1 \u{9b}31m sequence. Over\rwritten line.\n",
        filler()
    )
}

/// Characters that must never reach a terminal raw (CR only when not part
/// of a CRLF).
fn raw_controls(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut found = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let bad = match c {
            '\n' | '\t' => false,
            '\r' => chars.get(i + 1) != Some(&'\n'),
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => true,
            c => c.is_control(),
        };
        if bad {
            found.push(format!("U+{:04X} at char {i}", c as u32));
        }
    }
    found
}

fn assert_clean(what: &str, out: &str, err: &str) {
    let bad = raw_controls(out);
    assert!(
        bad.is_empty(),
        "{what}: raw controls on stdout {bad:?}:\n{out}"
    );
    let bad = raw_controls(err);
    assert!(
        bad.is_empty(),
        "{what}: raw controls on stderr {bad:?}:\n{err}"
    );
}

/// `track ARGS` with code check; returns (stdout, stderr), checked clean.
fn clean_run(ws: &Workspace, args: &[&str], codes: &[i32]) -> (String, String) {
    let (code, out, err) = ws.run(args);
    assert!(
        codes.contains(&code),
        "track {args:?}: exit {code}\n{out}\n{err}"
    );
    assert_clean(&format!("track {args:?}"), &out, &err);
    (out, err)
}

/// Our own colour codes (SGR) removed: what remains must have no ESC.
fn without_sgr(s: &str) -> String {
    let re = regex::Regex::new("\x1b\\[[0-9;]*m").unwrap();
    re.replace_all(s, "").into_owned()
}

#[test]
fn hostile_text_is_shown_visibly_in_every_human_output() {
    let ws = Workspace::new();
    let v1 = ws.path("story.txt");
    fs::write(&v1, hostile_text("Clear")).unwrap();
    let page = ws.path("page.html");
    fs::write(
        &page,
        format!(
            "<!DOCTYPE html><html><head><title>Page &#27;[2J title</title></head><body><article>\
             <h1>Page &#27;[2J title</h1><p>{}</p><p>Escaped &#27;]0;pwned&#7; entity and &#x202E; override.</p>\
             </article></body></html>",
            filler()
        ),
    )
    .unwrap();
    let (out, _) = clean_run(&ws, &["add", s(&v1), s(&page)], &[0]);
    assert!(out.contains("new article story"), "{out}");
    fs::write(&v1, hostile_text("Wipe")).unwrap();
    clean_run(&ws, &["add", s(&v1)], &[0]);

    // show: visible in human output…
    let (out, _) = clean_run(&ws, &["show", "story"], &[0]);
    assert!(out.contains("Wipe \\x1b[2J the screen"), "{out}");
    assert!(out.contains("\\x1b]0;title\\x07"), "{out}");
    assert!(out.contains("evil \\u{202e} override"), "{out}");
    assert!(out.contains("\\u{9b}31m"), "{out}");
    assert!(out.contains("Over\\rwritten"), "{out}");
    let (out, _) = clean_run(&ws, &["show", "page"], &[0]);
    assert!(out.contains("\\x1b]0;pwned\\x07"), "{out}");
    assert!(out.contains("\\u{202e} override"), "{out}");
    // …while the store and the JSON keep the text exactly, and --raw to a
    // pipe gives the bytes as received.
    // JSON escapes every control (C1 and bidi ones too) and parses back exact.
    let (out, _) = clean_run(&ws, &["show", "story", "--format", "json"], &[0]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["text"].as_str().unwrap(), hostile_text("Wipe"));
    for args in [
        &["diff", "story", "--format", "json"][..],
        &["claims", "story", "--format", "json"],
        &["add", "--format", "json", s(&v1)],
    ] {
        let (out, _) = clean_run(&ws, args, &[0, 1]);
        assert!(out.contains("\\u202e") || args[0] != "diff", "{out}");
    }
    let raw = ws
        .track()
        .args(["show", "story", "--raw"])
        .output()
        .unwrap();
    assert_eq!(raw.stdout, hostile_text("Wipe").into_bytes());

    // diff: term (with and without colour), unified, html.
    let (out, _) = clean_run(&ws, &["diff", "story"], &[1]);
    assert!(out.contains("\\x1b[2J the screen"), "{out}");
    let (code, out, err) = ws.run(&["diff", "story", "--color", "always", "--context", "9"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains('\x1b'), "colour expected: {out}");
    assert_clean("diff --color always", &without_sgr(&out), &err);
    assert!(out.contains("\\u{202e}"), "{out}");
    let (out, _) = clean_run(&ws, &["diff", "story", "--format", "unified"], &[1]);
    assert!(out.contains("+Wipe \\x1b[2J the screen."), "{out}");
    let (out, _) = clean_run(&ws, &["diff", "story", "--format", "html"], &[1]);
    assert!(out.contains("\\x1b[2J"), "{out}");
    // Two articles, the page's hostile title in the header.
    let (out, _) = clean_run(&ws, &["diff", "story", "page"], &[0, 1]);
    assert!(out.contains("Page \\x1b[2J title"), "{out}");

    // claims, list, log, changes.
    let (out, _) = clean_run(&ws, &["claims", "story"], &[0]);
    assert!(out.contains("\\x1b"), "{out}");
    clean_run(&ws, &["list"], &[0]);
    clean_run(&ws, &["log", "story"], &[0]);
    let (out, _) = clean_run(&ws, &["changes"], &[0]);
    assert!(out.contains("Page \\x1b[2J title"), "{out}");
}

#[test]
fn keys_from_an_older_store_are_shown_visibly() {
    let ws = Workspace::new();
    let v1 = ws.path("story.txt");
    fs::write(&v1, format!("{}\nOne.\n", filler())).unwrap();
    ws.add(&[s(&v1)]);
    fs::write(&v1, format!("{}\nTwo.\n", filler())).unwrap();
    ws.add(&[s(&v1)]);
    // A store written before keys were checked.
    let key = "evil\n\x1b[2Jforged line\u{202e}";
    let conn = rusqlite::Connection::open(ws.db()).unwrap();
    conn.execute("UPDATE articles SET key = ?1", [key]).unwrap();
    drop(conn);
    let (out, _) = clean_run(&ws, &["list"], &[0]);
    assert_eq!(out.lines().count(), 2, "a key forged a line: {out}");
    assert!(out.contains("evil\\n\\x1b[2Jforged line\\u{202e}"), "{out}");
    clean_run(&ws, &["log", key], &[0]);
    let (out, _) = clean_run(&ws, &["diff", key], &[1]);
    assert!(
        out.contains("evil\\n\\x1b[2Jforged line\\u{202e}@2"),
        "{out}"
    );
    clean_run(&ws, &["diff", key, "--format", "unified"], &[1]);
    clean_run(&ws, &["claims", key], &[0]);
    clean_run(&ws, &["changes"], &[0]);
    // An error naming the key stays one visible line.
    let (_, err) = clean_run(&ws, &["show", &format!("{key}@7")], &[2]);
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn keys_with_control_characters_are_refused() {
    let ws = Workspace::new();
    let good = ws.path("good.txt");
    fs::write(&good, format!("{}\n", filler())).unwrap();
    let bad_name = ws.path("bad\nname\x1b[2J.txt");
    fs::write(&bad_name, format!("{}\n", filler())).unwrap();
    let canonical = ws.path("canonical.html");
    fs::write(
        &canonical,
        format!(
            "<html><head><link rel=\"canonical\" href=\"https://news.example/a&#27;[2Jb\"></head>\
             <body><article><p>{}</p></article></body></html>",
            filler()
        ),
    )
    .unwrap();
    let good2 = ws.path("good2.txt");
    fs::write(&good2, "Another article entirely, about the weather.\n").unwrap();

    // A bad file name or canonical URL fails its input only: the batch goes on.
    let (out, err) = clean_run(
        &ws,
        &["add", s(&good), s(&bad_name), s(&canonical), s(&good2)],
        &[2],
    );
    assert!(out.contains("new article good "), "{out}");
    assert!(out.contains("new article good2 "), "{out}");
    assert_eq!(err.lines().count(), 2, "one line per bad input:\n{err}");
    assert!(
        err.contains("bad\\nname\\x1b[2J.txt: key \"bad\\nname\\x1b[2J\" has a control character"),
        "{err}"
    );
    assert!(
        err.contains("canonical.html: key \"https://news.example/a\\x1b[2Jb\""),
        "{err}"
    );
    let keys: Vec<String> = ws.versions().into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["good", "good2"]);

    // --key and --url are refused before anything is read.
    for (flag, value) in [
        ("--key", "a\x1b]0;x\x07"),
        ("--key", "line\nforged"),
        ("--key", "rtl\u{202e}"),
        ("--url", "https://news.example/\u{9b}x"),
    ] {
        let (_, err) = clean_run(&ws, &["add", flag, value, s(&good2)], &[2]);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with(&format!("error: {flag}: ")), "{err}");
        assert!(err.contains("control character"), "{err}");
    }
    assert_eq!(ws.versions().len(), 2);
}

#[test]
fn usage_errors_show_hostile_arguments_visibly() {
    let ws = Workspace::new();
    for args in [
        &["list", "--format", "\x1b]0;t\x07\u{202e}json"][..],
        &["\x1b[2Jshow\u{2066}"],
    ] {
        let (_, err) = clean_run(&ws, args, &[2]);
        assert!(err.contains("\\u{"), "{err}");
    }
}

#[test]
fn a_sources_file_key_with_control_characters_is_refused_at_load() {
    let ws = Workspace::new();
    let config = ws.path("sources.toml");
    std::fs::write(
        &config,
        "[[source]]\nname = \"c\"\ncommand = [\"true\"]\nkey = \"story\\u001b[2J\"\n",
    )
    .unwrap();
    let (code, out, err) = ws.run(&["check", "--config", s(&config)]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("sources.toml") && err.contains("control character"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}') && !out.contains('\u{1b}'), "{err}");
}
