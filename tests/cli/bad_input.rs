//! Bad inputs: one line each naming the input and the reason, exit 2, the
//! rest of the batch still ingested, nothing stored for them.

use std::fs;

use crate::common::*;

#[test]
fn every_kind_of_bad_input_in_one_batch() {
    let ws = Workspace::new();
    let good = ws.path("good.txt");
    fs::write(&good, "أعلنت الوزارة اليوم عن خطة جديدة للنقل.\n").unwrap();
    let good2 = ws.path("good2.txt");
    fs::write(
        &good2,
        "The ministry announced a new transport plan today.\n",
    )
    .unwrap();
    let missing = ws.path("missing.txt");
    let empty_dir = ws.path("empty-dir");
    fs::create_dir(&empty_dir).unwrap();
    fs::write(
        empty_dir.join("photo.jpg"),
        b"\xff\xd8\xff\xe0 not an article",
    )
    .unwrap();
    let empty = ws.path("empty.txt");
    fs::write(&empty, "").unwrap();
    let blank = ws.path("blank.txt");
    fs::write(&blank, " \n\u{200B}\n\t\n").unwrap();
    let png = ws.path("image.png");
    fs::write(
        &png,
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0",
    )
    .unwrap();
    let undecodable = ws.path("broken.txt");
    fs::write(
        &undecodable,
        b"\xef\xbb\xbf\xd8\xa3\xd8 \xff\xfe broken after a UTF-8 BOM\n",
    )
    .unwrap();
    let large = ws.path("large.txt");
    fs::write(&large, "كلمة ".repeat(1000)).unwrap();
    let socket = ws.path("unreadable.txt");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();

    let inputs = [
        &good,
        &missing,
        &empty_dir,
        &empty,
        &blank,
        &png,
        &undecodable,
        &large,
        &socket,
        &good2,
    ];
    let mut args = vec!["add", "--max-size", "2k"];
    args.extend(inputs.iter().map(|p| s(p)));
    let (code, out, err) = ws.run(&args);
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(
        out,
        "new article good (v1)\nnew article good2 (v1)\n10 inputs: 2 new articles, 0 new versions, 0 unchanged, 0 reverted, 8 errors\n"
    );
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 8, "{err}");
    let expect = [
        (&missing, "no such file or directory"),
        (&empty_dir, "no articles found"),
        (&empty, "empty"),
        (&blank, "empty"),
        (&png, "binary file (PNG image)"),
        (&undecodable, "undecodable bytes"),
        (&large, "too large"),
        (&socket, "not a regular file (a socket)"),
    ];
    for (line, (path, reason)) in lines.iter().zip(expect) {
        let prefix = format!("error: {}: ", path.display());
        assert!(
            line.starts_with(&prefix),
            "{line:?} should name {}",
            path.display()
        );
        assert!(line.contains(reason), "{line:?} should say {reason:?}");
    }
    assert_eq!(ws.versions(), vec![("good".into(), 1), ("good2".into(), 1)]);
    assert_eq!(ws.blobs(), 2);

    // A larger limit takes the large file.
    assert_eq!(
        ws.add(&["--max-size", "1M", s(&large)]),
        "new article large (v1)\n"
    );
}

#[test]
fn foreign_and_newer_databases_are_refused_and_left_untouched() {
    let ws = Workspace::new();
    let seed = fixture(&format!("seeds/{SEED_000}.txt"));

    let notes = ws.path("notes.db");
    fs::write(&notes, "these are my notes, not a database").unwrap();
    let bare = || assert_cmd::Command::cargo_bin("track").unwrap();
    let out = bare()
        .args(["--db", s(&notes), "add", s(&seed)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err,
        format!(
            "error: {}: not a track database (not an SQLite file); it was left untouched\n",
            notes.display()
        )
    );
    assert_eq!(
        fs::read_to_string(&notes).unwrap(),
        "these are my notes, not a database"
    );

    let other = ws.path("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE people (name TEXT)")
        .unwrap();
    let before = fs::read(&other).unwrap();
    let out = bare()
        .args(["--db", s(&other), "add", s(&seed)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("another program"));
    assert_eq!(fs::read(&other).unwrap(), before);

    ws.add(&[s(&seed)]);
    rusqlite::Connection::open(ws.db())
        .unwrap()
        .execute_batch("PRAGMA user_version = 42")
        .unwrap();
    let (code, _, err) = ws.run(&["list"]);
    assert_eq!(code, 2);
    assert!(err.contains("written by a newer track (schema 42"), "{err}");

    let (code, _, err) = Workspace::new().run(&["list"]);
    assert_eq!(code, 2);
    assert!(err.contains("no database here"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let ws = Workspace::new();
    let (code, _, err) = ws.run(&["add", "--at", "yesterday", "x.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("RFC 3339"), "{err}");
    let (code, _, _) = ws.run(&["add"]);
    assert_eq!(code, 2);
    let (code, _, err) = ws.run(&["add", "--encoding", "klingon", s(&fixture("seeds"))]);
    assert_eq!(code, 2);
    assert!(err.contains("klingon"), "{err}");
}
