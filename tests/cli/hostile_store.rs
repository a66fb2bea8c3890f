//! A store under attack: many writers at once, damage `verify` must find, and
//! the exit codes and messages of a store that cannot be used.

use std::fs;
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::*;

/// Article `key` as of `round`; round 2 differs per writer (new versions).
fn article(key: usize, round: usize, writer: usize) -> String {
    let mut text = format!(
        "خبر {key}: أعلنت الوزارة أن {key} شخصاً أصيبوا في الحادث.\n\nوقال المتحدث إن التحقيق مستمر منذ {} يوماً.\n",
        key * 7 + 3
    );
    if round == 2 {
        text.push_str(&format!(
            "\nتحديث من المصدر {writer}: ارتفع العدد إلى {}.\n",
            key + writer
        ));
    }
    text
}

fn track_cmd(db: &Path) -> Process {
    let mut cmd = Process::new(assert_cmd::cargo::cargo_bin("track"));
    cmd.arg("--db").arg(db).env("NO_COLOR", "1");
    cmd
}

/// Version numbers of every article, straight from the database.
fn version_numbers(db: &Path) -> Vec<(String, Vec<i64>)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT a.key, v.number FROM articles a JOIN versions v ON v.article_id = a.id
             ORDER BY a.key, v.number",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .unwrap();
    let mut out: Vec<(String, Vec<i64>)> = Vec::new();
    for row in rows {
        let (key, n) = row.unwrap();
        match out.last_mut() {
            Some((k, ns)) if *k == key => ns.push(n),
            _ => out.push((key, vec![n])),
        }
    }
    out
}

#[test]
fn eight_writers_and_two_readers_all_succeed() {
    const WRITERS: usize = 8;
    const KEYS: usize = 100;
    let ws = Workspace::new();
    for w in 0..WRITERS {
        for round in [1, 2] {
            let dir = ws.path(&format!("w{w}/r{round}"));
            fs::create_dir_all(&dir).unwrap();
            // Overlapping keys: each key is written by two writers.
            for i in 0..KEYS {
                let key = w * KEYS / 2 + i;
                fs::write(dir.join(format!("k{key:05}.txt")), article(key, round, w)).unwrap();
            }
        }
    }
    // Readers need a store to read.
    ws.add(&["--key", "k00000", s(&ws.path("w0/r1/k00000.txt"))]);

    let db = ws.db();
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|n| {
            let db = db.clone();
            let done = Arc::clone(&done);
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                let mut rounds = 0;
                while !done.load(Ordering::SeqCst) || rounds == 0 {
                    rounds += 1;
                    // verify and list read; diff also writes its analysis cache.
                    let commands: [&[&str]; 3] = [
                        &["verify"],
                        &["list", "--format", "json"],
                        &["diff", "k00000@1", "k00000"],
                    ];
                    for args in commands {
                        let out = track_cmd(&db).args(args).output().unwrap();
                        let code = out.status.code().unwrap_or(-1);
                        let ok = code == 0 || (args[0] == "diff" && code == 1);
                        if !ok {
                            failures.push(format!(
                                "reader {n}: {args:?} exit {code}: {}",
                                String::from_utf8_lossy(&out.stderr)
                            ));
                        }
                    }
                }
                failures
            })
        })
        .collect();
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let db = db.clone();
            let r1 = ws.path(&format!("w{w}/r1"));
            let r2 = ws.path(&format!("w{w}/r2"));
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                for dir in [r1, r2] {
                    let out = track_cmd(&db)
                        .arg("add")
                        .arg(&dir)
                        .stdout(Stdio::null())
                        .output()
                        .unwrap();
                    if !out.status.success() {
                        failures.push(format!(
                            "writer {w}: exit {:?}: {}",
                            out.status.code(),
                            String::from_utf8_lossy(&out.stderr)
                        ));
                    }
                }
                failures
            })
        })
        .collect();
    let mut failures: Vec<String> = Vec::new();
    for t in writers {
        failures.extend(t.join().unwrap());
    }
    done.store(true, Ordering::SeqCst);
    for t in readers {
        failures.extend(t.join().unwrap());
    }
    assert!(failures.is_empty(), "{failures:#?}");

    let numbers = version_numbers(&db);
    assert_eq!(numbers.len(), (WRITERS - 1) * KEYS / 2 + KEYS);
    for (key, ns) in &numbers {
        let expected: Vec<i64> = (1..=ns.len() as i64).collect();
        assert_eq!(ns, &expected, "{key}: versions not contiguous");
        // v1 once, then at most one new version per writer of the key.
        assert!(ns.len() <= 3, "{key}: {ns:?}");
    }
    let (code, out, err) = ws.run(&["verify"]);
    assert_eq!(code, 0, "{out}{err}");
}
