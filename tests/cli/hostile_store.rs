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
    // The readers' `diff` cached its analyses despite the writers.
    let cached: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM analyses", [], |r| r.get(0))
        .unwrap();
    assert!(cached > 0, "no analysis cached");
    let (code, out, err) = ws.run(&["verify"]);
    assert_eq!(code, 0, "{out}{err}");
}

/// A store with articles `a` (two versions), `b` and `c` (one each).
fn small_store(ws: &Workspace) {
    let texts = [
        ("a", "أعلنت الوزارة أن خمسة أشخاص أصيبوا في الحادث.\n"),
        ("a", "أعلنت الوزارة أن سبعة أشخاص أصيبوا في الحادث.\n"),
        ("b", "Second article, first version.\n"),
        ("c", "Third article, first version.\n"),
    ];
    for (i, (key, text)) in texts.iter().enumerate() {
        let file = ws.path(&format!("in{i}.txt"));
        fs::write(&file, text).unwrap();
        ws.add(&["--key", key, s(&file)]);
    }
}

fn sql(ws: &Workspace, statements: &str) {
    let conn = rusqlite::Connection::open(ws.db()).unwrap();
    conn.execute_batch(statements).unwrap();
}

#[test]
fn verify_names_the_version_of_each_damage() {
    let ws = Workspace::new();
    small_store(&ws);
    let (code, out, _) = ws.run(&["verify"]);
    assert_eq!(code, 0, "{out}");

    sql(
        &ws,
        "PRAGMA foreign_keys = OFF;
         UPDATE versions SET identity = zeroblob(32)
          WHERE number = 2 AND article_id = (SELECT id FROM articles WHERE key = 'a');
         UPDATE versions SET title = CAST(x'41ff42' AS TEXT)
          WHERE article_id = (SELECT id FROM articles WHERE key = 'b');
         UPDATE observations SET raw_hash = zeroblob(32)
          WHERE kind = 'new' AND article_id = (SELECT id FROM articles WHERE key = 'a')
            AND version_id = (SELECT min(id) FROM versions);
         DELETE FROM blobs WHERE hash = (SELECT v.text_hash FROM versions v
          JOIN articles a ON a.id = v.article_id WHERE a.key = 'c');",
    );
    let (code, out, err) = ws.run(&["verify"]);
    assert_eq!(code, 1, "{out}{err}");
    for expected in [
        "damaged: a@2: identity does not match its text",
        "damaged: b@1: title is not UTF-8",
        "damaged: a@1: its first observation's scrape hash differs from the stored scrape",
        "damaged: c@1: text blob ",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert!(out.contains("damage found"), "{out}");
    // The same text again is the version it is, not a false new one.
    let file = ws.path("again.txt");
    fs::write(&file, "أعلنت الوزارة أن سبعة أشخاص أصيبوا في الحادث.\n").unwrap();
    let out = ws.add(&["--key", "a", s(&file)]);
    assert!(out.contains("unchanged"), "{out}");
}

#[test]
fn verify_reports_a_damaged_type_instead_of_failing() {
    let ws = Workspace::new();
    small_store(&ws);
    // A blob's size that is no longer a number, a version number that is text.
    sql(
        &ws,
        "UPDATE blobs SET size = 'x' WHERE rowid = (SELECT min(rowid) FROM blobs);
         UPDATE versions SET fetched_at = 'yesterday'
          WHERE article_id = (SELECT id FROM articles WHERE key = 'b');",
    );
    let (code, out, err) = ws.run(&["verify"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("size is text, not integer"), "{out}");
    assert!(out.contains("b@1: fetch time is not a time"), "{out}");
    assert!(!err.contains("database error"), "{err}");
}

/// xorshift64*: deterministic bytes for the damage trials.
fn next(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

#[test]
fn a_flipped_byte_is_found_or_changes_nothing_shown() {
    let ws = Workspace::new();
    small_store(&ws);
    let refs = ["a@1", "a@2", "b@1", "c@1"];
    let shown = |db: &Path, r: &str| {
        let out = track_cmd(db).args(["show", r]).output().unwrap();
        (out.status.code(), out.stdout)
    };
    let originals: Vec<_> = refs.iter().map(|r| shown(&ws.db(), r)).collect();
    // Readers leave what they cached in the WAL (only data writers checkpoint
    // on close): fold it into the main file, whose bytes are flipped below.
    rusqlite::Connection::open(ws.db())
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    let pristine = fs::read(ws.db()).unwrap();
    assert!(!ws.path("track.db-wal").exists(), "store checkpointed");
    // Flip bytes where there is content: zero runs are mostly free space.
    let content: Vec<usize> = (100..pristine.len())
        .filter(|&i| pristine[i] != 0)
        .collect();
    let mut silent = 0;
    for seed in 1..=3u64 {
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        for trial in 0..12 {
            let at = content[(next(&mut state) % content.len() as u64) as usize];
            let mut bytes = pristine.clone();
            bytes[at] ^= 1 << (next(&mut state) % 8);
            let db = ws.path(&format!("flip-{seed}-{trial}.db"));
            fs::write(&db, &bytes).unwrap();
            let out = track_cmd(&db).arg("verify").output().unwrap();
            let code = out.status.code();
            assert!(
                code == Some(0) || code == Some(1),
                "byte {at}: verify exit {code:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            if code == Some(0) {
                silent += 1;
                for (r, original) in refs.iter().zip(&originals) {
                    assert_eq!(
                        &shown(&db, r),
                        original,
                        "byte {at} flipped: verify exit 0 but `show {r}` changed"
                    );
                }
            }
        }
    }
    eprintln!("{silent} of 36 flips: verify clean, every text unchanged");
}

#[test]
fn a_store_that_is_a_directory_is_bad_input_naming_it() {
    let ws = Workspace::new();
    fs::create_dir(ws.db()).unwrap();
    let file = ws.path("a.txt");
    fs::write(&file, "Some text.\n").unwrap();
    for args in [vec!["add", s(&file)], vec!["list"], vec!["verify"]] {
        let (code, _, err) = ws.run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains(s(&ws.db())) && err.contains("is a directory"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_truncated_store_is_damage_found() {
    let ws = Workspace::new();
    small_store(&ws);
    let bytes = fs::read(ws.db()).unwrap();
    fs::write(ws.db(), &bytes[..bytes.len() / 3]).unwrap();
    let (code, out, err) = ws.run(&["verify"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("damage found"), "{out}");
    assert!(out.contains(s(&ws.db())), "{out}");
}

#[test]
fn version_zero_says_versions_start_at_one() {
    let ws = Workspace::new();
    small_store(&ws);
    let (code, _, err) = ws.run(&["show", "a@0"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("a has no version 0") && err.contains("numbered from 1"),
        "{err}"
    );
}

/// Whether this process runs as root (who may write any file).
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

#[test]
fn a_read_only_store_is_blamed_on_the_store() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Workspace::new();
    small_store(&ws);
    let file = ws.path("new.txt");
    fs::write(&file, "A new article.\n").unwrap();
    fs::set_permissions(ws.db(), fs::Permissions::from_mode(0o444)).unwrap();
    // Root writes read-only files: run as nobody (setpriv), where possible.
    let mut cmd = if is_root() {
        if !Path::new("/usr/bin/setpriv").exists() {
            eprintln!("skipped: root, and no setpriv to drop privileges");
            return;
        }
        fs::set_permissions(ws.dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
        let mut cmd = Process::new("/usr/bin/setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(assert_cmd::cargo::cargo_bin("track"));
        cmd
    } else {
        Process::new(assert_cmd::cargo::cargo_bin("track"))
    };
    let out = cmd
        .arg("--db")
        .arg(ws.db())
        .args(["add", "--key", "new", s(&file)])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(s(&ws.db())) && err.contains("read-only"),
        "{err}"
    );
    assert!(!err.contains("new.txt"), "blamed on the input: {err}");
}
