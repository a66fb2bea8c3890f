//! Damage detection, crashes and concurrent writers.

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command as Process, Stdio};

use crate::common::*;

/// Write `n` distinct small Arabic articles into `dir` (prefix-NNNNN.txt).
fn write_articles(dir: &Path, prefix: &str, n: usize) {
    fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        let text = format!(
            "{prefix} {i}: أعلنت الوزارة أن {i} شخصاً أصيبوا في الحادث.\n\nوقال المتحدث إن التحقيق مستمر منذ {} يوماً.\n",
            i * 7 + 3
        );
        fs::write(dir.join(format!("{prefix}-{i:05}.txt")), text).unwrap();
    }
}

#[test]
fn verify_reports_a_blob_corrupted_inside_the_database_file() {
    let ws = Workspace::new();
    ws.add(&[s(&fixture("seeds"))]);
    ws.track().arg("verify").assert().success();

    // Find one blob's stored bytes in the database file and flip one in the middle.
    let (hash, data): (Vec<u8>, Vec<u8>) = rusqlite::Connection::open(ws.db())
        .unwrap()
        .query_row(
            "SELECT hash, data FROM blobs ORDER BY size LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let mut file = fs::read(ws.db()).unwrap();
    let probe = &data[data.len() / 2..data.len() / 2 + 64];
    // Stale copies may sit in free pages: damage every copy.
    let copies: Vec<usize> = (0..file.len() - probe.len())
        .filter(|&i| &file[i..i + probe.len()] == probe)
        .collect();
    assert!(!copies.is_empty(), "blob bytes are in the file");
    for at in copies {
        file[at + 10] ^= 0x5a;
    }
    fs::write(ws.db(), file).unwrap();

    let (code, out, _) = ws.run(&["verify"]);
    assert_eq!(code, 1, "{out}");
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    assert!(out.contains(&format!("damaged: blob {hex}")), "{out}");
    assert!(out.ends_with("1 problem(s)\n"), "{out}");
}

#[test]
fn kill_9_mid_batch_keeps_exactly_what_was_reported() {
    let ws = Workspace::new();
    let total = 6000;
    write_articles(&ws.path("batch"), "a", total);
    // Create the store first so the child spends its time ingesting.
    ws.add(&[s(&fixture("seeds"))]);

    let mut child = Process::new(assert_cmd::cargo::cargo_bin("track"))
        .args([
            "--db",
            s(&ws.db()),
            "add",
            "--format",
            "json",
            s(&ws.path("batch")),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a first line").unwrap();
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let mut reported = BTreeSet::new();
    for line in std::iter::once(first).chain(lines.map_while(Result::ok)) {
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["status"], "new_article", "{line}");
        reported.insert(v["key"].as_str().unwrap().to_string());
    }
    assert!(!reported.is_empty());
    assert!(
        reported.len() < total,
        "the batch finished before the kill; nothing was tested"
    );

    ws.track().arg("verify").assert().success();
    let stored: BTreeSet<String> = ws
        .versions()
        .into_iter()
        .map(|(k, _)| k)
        .filter(|k| k.starts_with("a-"))
        .collect();
    assert_eq!(stored, reported);

    // The next run carries on: the rest are new, the reported ones unchanged.
    let (code, out, _) = ws.run(&["add", s(&ws.path("batch"))]);
    assert_eq!(code, 0);
    let summary = out.lines().last().unwrap();
    assert_eq!(
        summary,
        format!(
            "{total} inputs: {} new articles, 0 new versions, {} unchanged, 0 reverted, 0 errors",
            total - reported.len(),
            reported.len()
        )
    );
}

#[test]
fn two_writers_at_once_both_succeed() {
    let ws = Workspace::new();
    write_articles(&ws.path("one"), "one", 400);
    write_articles(&ws.path("two"), "two", 400);
    let shared = fixture(&format!("seeds/{SEED_000}.txt"));
    // Both start on a store that does not exist yet: creation races too.
    let spawn = |dir: &str| {
        Process::new(assert_cmd::cargo::cargo_bin("track"))
            .args(["--db", s(&ws.db()), "add", s(&ws.path(dir)), s(&shared)])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn("one");
    let b = spawn("two");
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let versions = ws.versions();
    assert_eq!(versions.len(), 801);
    assert!(versions.iter().all(|(_, n)| *n == 1));
    ws.track().arg("verify").assert().success();
}
