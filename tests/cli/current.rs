//! Which text a bare `KEY` means (the current one: after a revert, an older
//! version), and history kept in time order.

use std::fs;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::common::*;

const V1: &str =
    "Officials said 12 people were hurt in the blast.\n\nThe ministry gave no further details.\n";
const V2: &str =
    "Officials said 15 people were hurt in the blast.\n\nThe ministry gave no further details.\n";
const V3: &str = "Officials said 12 people were hurt in the blast.\n\nThe ministry gave no further details.\n\nAn inquiry was opened on Monday.\n";

/// Write a scrape into the workspace.
fn scrape(ws: &Workspace, name: &str, text: &str) -> PathBuf {
    let path = ws.path(name);
    fs::write(&path, text).unwrap();
    path
}

/// Add a text as an observation of `story` at `at`.
fn add_at(ws: &Workspace, name: &str, text: &str, at: &str) -> String {
    let path = scrape(ws, name, text);
    ws.add(&["--key", "story", "--at", at, s(&path)])
}

/// `story`: v1, v2, then v1's text again (a revert).
fn reverted() -> Workspace {
    let ws = Workspace::new();
    assert_eq!(
        add_at(&ws, "a.txt", V1, "2025-12-25T10:00:00Z"),
        "new article story (v1)\n"
    );
    assert_eq!(
        add_at(&ws, "b.txt", V2, "2025-12-25T11:00:00Z"),
        "story: new version v2\n"
    );
    assert_eq!(
        add_at(&ws, "c.txt", V1, "2025-12-25T12:00:00Z"),
        "story: reverted to v1\n"
    );
    ws
}

fn show(ws: &Workspace, reference: &str) -> String {
    let (code, out, err) = ws.run(&["show", reference]);
    assert_eq!(code, 0, "show {reference}: {err}");
    out
}

#[test]
fn a_bare_key_is_the_current_text_after_a_revert() {
    let ws = reverted();
    // KEY is the current text; KEY@-N walks back through the states.
    assert_eq!(show(&ws, "story"), V1);
    assert_eq!(show(&ws, "story@-1"), V2);
    assert_eq!(show(&ws, "story@-2"), V1);
    assert_eq!(show(&ws, "story@2"), V2);
    let (code, out, err) = ws.run(&["show", "story@-3"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("story@-3") && err.contains("2 time"), "{err}");

    // show --format json says it is the current text.
    let json = ws.json(&["show", "story", "--format", "json"]);
    assert_eq!(json["version"], 1);
    assert_eq!(json["current"], true);

    // claims of KEY: the current text's (12, not 15).
    let claims = ws.json(&["claims", "story", "--format", "json"]);
    assert!(claims.to_string().contains("12"), "{claims}");
    assert!(!claims.to_string().contains("15"), "{claims}");
}

#[test]
fn diff_of_a_bare_key_is_the_revert_itself() {
    let ws = reverted();
    let (code, out, err) = ws.run(&["diff", "story"]);
    assert_eq!(code, 1, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("from   story@2 "), "{out}");
    assert!(
        lines[1].starts_with("to     story@1 ") && lines[1].contains("(current)"),
        "{out}"
    );
    assert!(
        lines[2].starts_with("revert:") && lines[2].contains("from v2") && lines[2].contains("v1"),
        "{out}"
    );
    assert!(out.contains("[-15-]{+12+}"), "{out}");

    let v = ws.json_any(&["diff", "story", "--format", "json"]);
    assert_eq!(v["from"]["version"], 2);
    assert_eq!(v["to"]["version"], 1);
    assert_eq!(v["revert"], true);
    assert_eq!(v["to"]["current"], true);
    assert_eq!(v["from"]["current"], false);

    // The same step named with two REFs is a revert too; other pairs are not.
    let v = ws.json_any(&["diff", "story@-1", "story", "--format", "json"]);
    assert_eq!(
        (v["from"]["version"].clone(), v["revert"].clone()),
        (2.into(), true.into())
    );
    let v = ws.json_any(&["diff", "story@1", "story@2", "--format", "json"]);
    assert_eq!(v["revert"], false);
    assert_eq!(v["to"]["current"], false);
    // KEY@-1 alone: the change that brought it (v1 → v2).
    let v = ws.json_any(&["diff", "story@-1", "--format", "json"]);
    assert_eq!(
        (
            v["from"]["version"].clone(),
            v["to"]["version"].clone(),
            v["revert"].clone()
        ),
        (1.into(), 2.into(), false.into())
    );
    // A version's first appearance is never a revert.
    let v = ws.json_any(&["diff", "story@2", "--format", "json"]);
    assert_eq!(v["revert"], false);

    // The HTML report says so as well.
    let (code, html, _) = ws.run(&["diff", "story", "--format", "html"]);
    assert_eq!(code, 1);
    assert!(
        html.contains("revert: back from v2 to the text of v1"),
        "{html}"
    );
}

#[test]
fn list_and_log_show_which_version_is_current() {
    let ws = reverted();
    let list = ws.json(&["list", "--format", "json"]);
    assert_eq!(list[0]["versions"], 2);
    assert_eq!(list[0]["current"], 1);
    let (code, out, _) = ws.run(&["list"]);
    assert_eq!(code, 0);
    assert!(out.lines().next().unwrap().contains("CURRENT"), "{out}");
    assert!(out.lines().nth(1).unwrap().contains("↩ v1"), "{out}");

    let log = ws.json(&["log", "story", "--format", "json"]);
    let current: Vec<(Value, Value)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["version"].clone(), e["current"].clone()))
        .collect();
    assert_eq!(
        current,
        vec![(1.into(), true.into()), (2.into(), false.into())]
    );
    let (code, out, _) = ws.run(&["log", "story"]);
    assert_eq!(code, 0);
    assert!(
        out.lines()
            .next()
            .unwrap()
            .contains("current: v1, after a revert"),
        "{out}"
    );

    // Without a revert the latest version is current, unmarked.
    let ws = Workspace::new();
    add_at(&ws, "a.txt", V1, "2025-12-25T10:00:00Z");
    add_at(&ws, "b.txt", V2, "2025-12-25T11:00:00Z");
    assert_eq!(ws.json(&["list", "--format", "json"])[0]["current"], 2);
    let (_, out, _) = ws.run(&["list"]);
    assert!(!out.contains('↩'), "{out}");
}

#[test]
fn a_version_after_a_revert_is_compared_with_the_text_it_replaced() {
    let ws = reverted();
    assert_eq!(
        add_at(&ws, "d.txt", V3, "2025-12-25T13:00:00Z"),
        "story: new version v3\n"
    );
    assert_eq!(show(&ws, "story"), V3);
    // v3 replaced v1's text (current since the revert), not v2's.
    let v = ws.json_any(&["diff", "story", "--format", "json"]);
    assert_eq!(
        (v["from"]["version"].clone(), v["to"]["version"].clone()),
        (1.into(), 3.into())
    );
    let v = ws.json_any(&["diff", "story@3", "--format", "json"]);
    assert_eq!(v["from"]["version"], 1);
    assert_eq!(v["counts"]["added"], 1, "{v}");
    assert_eq!(v["counts"]["edited"], 0, "{v}");
    let log = ws.json(&["log", "story", "--format", "json"]);
    assert_eq!(log[2]["previous"], 1);
    assert_eq!(log[2]["sentences_added"], 1);
    assert_eq!(log[2]["sentences_edited"], 0);
}

#[test]
fn monitoring_reports_the_revert_from_the_previous_state() {
    let ws = Workspace::new();
    let page = scrape(&ws, "page.txt", V1);
    let config = ws.path("sources.toml");
    fs::write(
        &config,
        format!(
            "[[source]]\nname = \"agency\"\ncommand = [\"cat\", \"{}\"]\nevery = \"1h\"\nkey = \"story\"\n",
            s(&page)
        ),
    )
    .unwrap();
    let config = s(&config).to_string();
    for text in [V1, V2, V1] {
        fs::write(&page, text).unwrap();
        let (code, _, err) = ws.run(&["check", "--config", &config, "--all"]);
        assert_eq!(code, 0, "{err}");
    }
    assert_eq!(show(&ws, "story"), V1);
    let changes = ws.json(&["changes", "--format", "json"]);
    let last = changes.as_array().unwrap().last().unwrap();
    assert_eq!(last["kind"], "revert");
    assert_eq!(
        (last["previous"].clone(), last["version"].clone()),
        (2.into(), 1.into())
    );

    // The next change is compared with the current text (v1), and its
    // event says so.
    fs::write(&page, V3).unwrap();
    let (code, out, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    let event: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(event["kind"], "new_version");
    assert_eq!(
        (event["previous"].clone(), event["version"].clone()),
        (1.into(), 3.into())
    );
    assert_eq!(event["counts"]["added"], 1, "{event}");
    assert_eq!(event["counts"]["edited"], 0, "{event}");
    let v = ws.json_any(&["diff", "story", "--format", "json"]);
    assert_eq!(v["from"]["version"], 1);
}

#[test]
fn an_observation_before_the_latest_one_is_refused() {
    let ws = Workspace::new();
    add_at(&ws, "a.txt", V1, "2020-06-01T00:00:00Z");
    let old = scrape(&ws, "old.txt", V2);
    let (code, out, err) = ws.run(&[
        "add",
        "--key",
        "story",
        "--at",
        "2019-06-01T00:00:00Z",
        s(&old),
    ]);
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("old.txt"), "{err}");
    assert!(
        err.contains(
            "observed at 2019-06-01T00:00:00Z, before the article's latest observation at 2020-06-01T00:00:00Z; history is kept in time order"
        ),
        "{err}"
    );
    // Nothing stored: one version, one observation.
    assert_eq!(ws.versions(), vec![("story".to_string(), 1)]);
    assert_eq!(show(&ws, "story"), V1);
    // Even the current text again, earlier, is refused; the same second is not.
    let again = scrape(&ws, "again.txt", V1);
    let (code, _, err) = ws.run(&[
        "add",
        "--key",
        "story",
        "--at",
        "2019-06-01T00:00:00Z",
        s(&again),
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        ws.add(&["--key", "story", "--at", "2020-06-01T00:00:00Z", s(&old)]),
        "story: new version v2\n"
    );
    let log = ws.json(&["log", "story", "--format", "json"]);
    assert_eq!(log.as_array().unwrap().len(), 2);
}

/// Set a file's modification time.
fn set_mtime(path: &std::path::Path, unix_seconds: u64) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(unix_seconds))
        .unwrap();
}

#[test]
fn at_mtime_back_fills_a_folder_in_time_order() {
    let ws = Workspace::new();
    let archive = ws.path("archive");
    fs::create_dir_all(&archive).unwrap();
    // Names sort against time: the oldest scrape is "c".
    let (a, b, c) = (
        archive.join("a.txt"),
        archive.join("b.txt"),
        archive.join("c.txt"),
    );
    fs::write(&a, V3).unwrap();
    fs::write(&b, V2).unwrap();
    fs::write(&c, V1).unwrap();
    set_mtime(&a, 1_600_000_000 + 7200); // 2020-09-13T14:26:40Z
    set_mtime(&b, 1_600_000_000 + 3600);
    set_mtime(&c, 1_600_000_000);
    let out = ws.add(&["--key", "story", "--at-mtime", s(&archive)]);
    assert_eq!(
        out,
        "new article story (v1)\nstory: new version v2\nstory: new version v3\n3 inputs: 1 new article, 2 new versions, 0 unchanged, 0 reverted, 0 errors\n"
    );
    let log = ws.json(&["log", "story", "--format", "json"]);
    let times: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fetched_at"].as_str().unwrap())
        .collect();
    assert_eq!(
        times,
        vec![
            "2020-09-13T12:26:40Z",
            "2020-09-13T13:26:40Z",
            "2020-09-13T14:26:40Z"
        ]
    );
    assert_eq!(show(&ws, "story@1"), V1);
    assert_eq!(show(&ws, "story"), V3);

    // A file older than the latest observation is refused by name.
    let late = ws.path("late.txt");
    fs::write(&late, V2).unwrap();
    set_mtime(&late, 1_500_000_000);
    let (code, _, err) = ws.run(&["add", "--key", "story", "--at-mtime", s(&late)]);
    assert_eq!(code, 2);
    assert!(
        err.contains("late.txt") && err.contains("history is kept in time order"),
        "{err}"
    );

    // Standard input has no modification time; --at and --at-mtime conflict.
    let (code, _, err) = ws.run(&["add", "--key", "story", "--at-mtime", "-"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--at-mtime") && err.contains("standard input"),
        "{err}"
    );
    let (code, _, _) = ws.run(&[
        "add",
        "--at-mtime",
        "--at",
        "2025-12-25T10:00:00Z",
        s(&late),
    ]);
    assert_eq!(code, 2);
}

#[test]
fn a_scrape_dated_in_the_future_is_refused() {
    // It would pin its article: nothing observed later could be recorded.
    let ws = Workspace::new();
    let page = scrape(&ws, "page.txt", V1);
    let (code, out, err) = ws.run(&[
        "add",
        "--key",
        "story",
        "--at",
        "2999-01-01T00:00:00Z",
        s(&page),
    ]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert_eq!(
        err,
        "error: --at 2999-01-01T00:00:00Z: in the future (history is kept in time order)\n"
    );
    assert!(!ws.db().exists() || ws.versions().is_empty());
}
