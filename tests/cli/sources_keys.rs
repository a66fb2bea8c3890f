//! Keys from file names, overlapping sources, and versions that change only
//! spelling or sentence order (issue 11, points 5, 7 and 8).

use std::fs;

use crate::common::{Workspace, s};

// ---- 5. Keys from folders ----

#[test]
fn keys_two_files_of_one_batch_with_one_name_are_refused() {
    let ws = Workspace::new();
    fs::create_dir_all(ws.path("o1")).unwrap();
    fs::create_dir_all(ws.path("o2")).unwrap();
    fs::write(
        ws.path("o1/index.txt"),
        "Outlet one says the minister resigned.\n",
    )
    .unwrap();
    fs::write(
        ws.path("o2/index.txt"),
        "Outlet two says the minister stayed.\n",
    )
    .unwrap();
    let (code, out, err) = ws.run(&["add", s(&ws.path("o1")), s(&ws.path("o2"))]);
    assert_eq!(code, 2, "{out}{err}");
    // One error line, naming both files.
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(errors[0].contains("o2/index.txt"), "{err}");
    assert!(errors[0].contains("o1/index.txt"), "{err}");
    assert!(errors[0].contains("--key"), "{err}");
    assert!(out.contains("new article index (v1)"), "{out}");
    assert!(!out.contains("index: new version"), "{out}");
    // The first one is stored, alone.
    assert_eq!(ws.versions(), vec![("index".to_string(), 1)]);

    // The same file twice in a batch is no collision; re-adding it later with
    // new text is a new version as always.
    let (code, out, err) = ws.run(&[
        "add",
        s(&ws.path("o1/index.txt")),
        s(&ws.path("o1/../o1/index.txt")),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    fs::write(
        ws.path("o1/index.txt"),
        "Outlet one says the minister quit.\n",
    )
    .unwrap();
    let out = ws.add(&[s(&ws.path("o1"))]);
    assert!(out.contains("index: new version v2"), "{out}");

    // With --key each, both are taken.
    let out = ws.add(&["--key", "o2-index", s(&ws.path("o2/index.txt"))]);
    assert!(out.contains("new article o2-index"), "{out}");
}

#[test]
fn keys_folder_files_keep_their_stem() {
    let ws = Workspace::new();
    fs::create_dir_all(ws.path("site/a")).unwrap();
    fs::write(ws.path("site/000_x.txt"), "A first article.\n").unwrap();
    fs::write(ws.path("site/a/story.txt"), "A second article.\n").unwrap();
    ws.add(&[s(&ws.path("site"))]);
    let mut keys: Vec<String> = ws.versions().into_iter().map(|(k, _)| k).collect();
    keys.sort();
    assert_eq!(keys, vec!["000_x".to_string(), "story".to_string()]);
}
