//! `track add` and the reading commands on the seed articles.

use std::fs;

use crate::common::*;

#[test]
fn seeds_rescrapes_edits_and_reverts() {
    let ws = Workspace::new();
    let seeds = fixture("seeds");
    let out = ws.add(&[s(&seeds)]);
    assert_eq!(
        out,
        format!(
            "new article {SEED_000} (v1)\nnew article {SEED_004} (v1)\n2 inputs: 2 new articles, 0 new versions, 0 unchanged, 0 reverted, 0 errors\n"
        )
    );
    assert_eq!(
        ws.versions(),
        vec![(SEED_000.into(), 1), (SEED_004.into(), 1)]
    );
    let blobs = ws.blobs();
    assert_eq!(blobs, 2);

    // The same scrape again: an observation only.
    let v1 = fixture(&format!("seeds/{SEED_000}.txt"));
    assert_eq!(ws.add(&[s(&v1)]), format!("{SEED_000}: unchanged\n"));
    assert_eq!(ws.blobs(), blobs);

    // CRLF and trailing whitespace: unchanged.
    let crlf = fixture("encodings/000.crlf-trailing-space.txt");
    assert_eq!(
        ws.add(&["--key", SEED_000, s(&crlf)]),
        format!("{SEED_000}: unchanged\n")
    );
    assert_eq!(ws.blobs(), blobs);

    // A real edit: v2.
    let v2 = fixture("edits/000_v2.txt");
    assert_eq!(
        ws.add(&["--key", SEED_000, s(&v2)]),
        format!("{SEED_000}: new version v2\n")
    );
    let blobs_v2 = ws.blobs();
    assert_eq!(blobs_v2, blobs + 1);

    // v1's text again: a revert, no new blob.
    assert_eq!(ws.add(&[s(&v1)]), format!("{SEED_000}: reverted to v1\n"));
    assert_eq!(ws.blobs(), blobs_v2);
    assert_eq!(
        ws.versions(),
        vec![(SEED_000.into(), 2), (SEED_004.into(), 1)]
    );

    // show prints each version byte for byte.
    let shown = ws
        .track()
        .args(["show", &format!("{SEED_000}@1")])
        .output()
        .unwrap();
    assert_eq!(shown.stdout, fs::read(&v1).unwrap());
    let shown = ws
        .track()
        .args(["show", &format!("{SEED_000}@2")])
        .output()
        .unwrap();
    assert_eq!(shown.stdout, fs::read(&v2).unwrap());
    // A bare KEY is the current text: after the revert, v1's; KEY@-1 the
    // text current before it, v2's.
    let current = ws.track().args(["show", SEED_000]).output().unwrap();
    assert_eq!(current.stdout, fs::read(&v1).unwrap());
    let before_current = ws
        .track()
        .args(["show", &format!("{SEED_000}@-1")])
        .output()
        .unwrap();
    assert_eq!(before_current.stdout, fs::read(&v2).unwrap());

    // log shows both versions, sentence counts and the revert.
    let (code, log, _) = ws.run(&["log", SEED_000]);
    assert_eq!(code, 0);
    // v2 edits one sentence and adds one.
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 4, "{log}");
    assert!(lines[1].starts_with("v1 "), "{log}");
    assert!(
        lines[2].starts_with("v2 ") && lines[2].ends_with("+1 -0 ~1"),
        "{log}"
    );
    assert!(lines[3].ends_with("reverted to v1"), "{log}");
    let json = ws.json(&["log", SEED_000, "--format", "json"]);
    let entries = json.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    for field in ["version", "hash", "fetched_at", "bytes"] {
        assert!(entries[0].get(field).is_some(), "log JSON lacks {field}");
    }
    assert_eq!(entries[1]["version"], 2);
    assert_eq!(entries[0]["reverts"].as_array().unwrap().len(), 1);
    assert_eq!(entries[0]["hash"].as_str().unwrap().len(), 64);

    let list = ws.json(&["list", "--format", "json"]);
    for field in [
        "key",
        "url",
        "versions",
        "first_seen",
        "last_changed",
        "last_checked",
    ] {
        assert!(list[0].get(field).is_some(), "list JSON lacks {field}");
    }
}

#[test]
fn other_encodings_give_the_same_version() {
    for variant in [
        "000.windows-1256.txt",
        "000.utf-16le.txt",
        "000.utf-16be.txt",
        "000.utf-8-bom.txt",
    ] {
        let ws = Workspace::new();
        ws.add(&[s(&fixture(&format!("seeds/{SEED_000}.txt")))]);
        let blobs = ws.blobs();
        let out = ws.add(&[
            "--key",
            SEED_000,
            s(&fixture(&format!("encodings/{variant}"))),
        ]);
        assert_eq!(out, format!("{SEED_000}: unchanged\n"), "{variant}");
        assert_eq!(ws.blobs(), blobs, "{variant}");

        // Ingested first, it decodes to exactly the UTF-8 seed's text.
        let ws = Workspace::new();
        ws.add(&["--key", "k", s(&fixture(&format!("encodings/{variant}")))]);
        let shown = ws.track().args(["show", "k"]).output().unwrap();
        assert_eq!(
            String::from_utf8(shown.stdout).unwrap(),
            fs::read_to_string(fixture(&format!("seeds/{SEED_000}.txt"))).unwrap(),
            "{variant}"
        );
    }
}

#[test]
fn html_is_reduced_to_the_article() {
    let ws = Workspace::new();
    let out = ws.add(&[s(&fixture("html/000.html"))]);
    let key = "https://news.example/world/putin-kim-letter";
    assert_eq!(out, format!("new article {key} (v1)\n"));
    let shown = ws.json(&["show", key, "--format", "json"]);
    assert_eq!(shown["dir"], "rtl");
    assert_eq!(shown["lang"], "ar");
    assert_eq!(shown["media_type"], "text/html");
    let text = shown["text"].as_str().unwrap();
    assert!(text.contains("نحو 2000 جندي كوري شمالي"), "{text}");
    for junk in ["window.tracker", "injected", "سياسة الخصوصية", "اشترك الآن"]
    {
        assert!(!text.contains(junk), "{junk} leaked into the text: {text}");
    }
    // The raw page is kept byte for byte.
    let raw = ws.track().args(["show", "--raw", key]).output().unwrap();
    assert_eq!(raw.stdout, fs::read(fixture("html/000.html")).unwrap());

    // ISO-8859-6 declared in <meta>.
    let out = ws.add(&[
        "--key",
        "short",
        s(&fixture("encodings/short.iso-8859-6.html")),
    ]);
    assert_eq!(out, "new article short (v1)\n");
    let shown = ws.json(&["show", "short", "--format", "json"]);
    assert_eq!(shown["encoding"], "ISO-8859-6");
    assert!(
        shown["text"]
            .as_str()
            .unwrap()
            .contains("أكثر من 10 آلاف جندي")
    );
}

#[test]
fn stdin_needs_a_key_and_is_ingested_with_one() {
    let ws = Workspace::new();
    let text = "خبر قصير عن الطقس اليوم.\n";
    let assert = ws
        .track()
        .args(["add", "-"])
        .write_stdin(text)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(err.contains("-: no key"), "{err}");
    ws.track()
        .args(["add", "--key", "weather", "-"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout("new article weather (v1)\n");
    let shown = ws.track().args(["show", "weather"]).output().unwrap();
    assert_eq!(shown.stdout, text.as_bytes());
}

#[test]
fn json_lines_output() {
    let ws = Workspace::new();
    let (code, out, _) = ws.run(&["add", "--format", "json", s(&fixture("seeds"))]);
    assert_eq!(code, 0);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["status"], "new_article");
    assert_eq!(lines[0]["key"], SEED_000);
    assert_eq!(lines[0]["version"], 1);
    assert_eq!(lines[2]["summary"]["new_articles"], 2);
}

#[test]
fn unknown_refs_are_bad_input() {
    let ws = Workspace::new();
    ws.add(&[s(&fixture("seeds"))]);
    let (code, _, err) = ws.run(&["show", "nope"]);
    assert_eq!(code, 2);
    assert_eq!(err, "error: no article with key \"nope\"\n");
    let (code, _, err) = ws.run(&["show", &format!("{SEED_000}@7")]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!("error: {SEED_000} has no version 7 (it has 1)\n")
    );
    let (code, _, err) = ws.run(&["log", "nope"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn demo_runs() {
    let ws = Workspace::new();
    let out = ws
        .track()
        .arg("demo")
        .env_remove("TRACK_DB")
        .output()
        .unwrap();
    // --db names a path that already exists? No: the workspace db was not created.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("reverted to v1"), "{stdout}");
    assert!(stdout.contains("verified"), "{stdout}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn store_path_comes_from_flag_then_env_then_cwd() {
    let ws = Workspace::new();
    let seed = fixture(&format!("seeds/{SEED_000}.txt"));
    let bare = || {
        let mut cmd = assert_cmd::Command::cargo_bin("track").unwrap();
        cmd.current_dir(ws.dir.path()).env_remove("TRACK_DB");
        cmd
    };
    bare().args(["add", s(&seed)]).assert().success();
    assert!(ws.path("track.db").exists());
    bare()
        .env("TRACK_DB", ws.path("env.db"))
        .args(["add", s(&seed)])
        .assert()
        .success();
    assert!(ws.path("env.db").exists());
    bare()
        .env("TRACK_DB", ws.path("env.db"))
        .args(["--db", s(&ws.path("flag.db")), "add", s(&seed)])
        .assert()
        .success()
        .stdout(format!("new article {SEED_000} (v1)\n"));
    assert!(ws.path("flag.db").exists());
}
