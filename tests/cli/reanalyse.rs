//! `track reanalyse`: the cached analyses of every version, rebuilt.

use std::fs;
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

/// Article `i` as of `round`: figures that change from round to round (claim
/// changes), a quote and a date.
fn article(i: usize, round: usize) -> String {
    format!(
        "قال المتحدث باسم الوزارة إن {} شخصاً أصيبوا في الحادث رقم {i}.\n\n\
         وأضاف في بيان صدر يوم 12 مارس 2025 أن الأضرار بلغت {} مليون دولار.\n\n\
         وقال الوزير: «سنعيد بناء كل ما تهدم خلال {} أشهر».\n",
        i * 3 + round * 11 + 2,
        (i + 2) * (round + 1),
        round + 3
    )
}

/// Fill a workspace's store: `n` articles over `rounds` rounds, plus the
/// seeds and their edit.
fn fill(ws: &Workspace, input: &Path, n: usize, rounds: usize) {
    for round in 0..rounds {
        let dir = input.join(format!("r{round}"));
        if !dir.exists() {
            fs::create_dir_all(&dir).unwrap();
            for i in 0..n {
                fs::write(dir.join(format!("a{i:04}.txt")), article(i, round)).unwrap();
            }
        }
        let at = format!("2025-12-25T1{round}:00:00Z");
        ws.add(&["--at", &at, "--format", "json", s(&dir)]);
    }
    ws.add(&["--at", "2025-12-25T19:00:00Z", s(&fixture("seeds"))]);
    ws.add(&[
        "--at",
        "2025-12-25T19:30:00Z",
        "--key",
        SEED_000,
        s(&fixture("edits/000_v2.txt")),
    ]);
}

/// Every cached analysis: text hash, analyser, version, data.
fn analyses(db: &Path) -> Vec<(String, String, i64, Vec<u8>)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT hex(text_hash), analyser, version, data FROM analyses ORDER BY 1, 2")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// What a reader sees of every version: its claims and the change it made.
fn readings(ws: &Workspace, refs: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    // A word diff past its time budget is shown coarser: a generous budget
    // keeps a loaded machine from changing what is compared.
    let budget = ["--time-budget", "60000"];
    for r in refs {
        out.push(ws.run(&["claims", "--format", "json", r]).1);
        out.push(
            ws.run(&[&["diff", "--format", "json", r][..], &budget].concat())
                .1,
        );
        out.push(ws.run(&[&["diff", r][..], &budget].concat()).1);
    }
    out
}

fn refs(n: usize, rounds: usize) -> Vec<String> {
    let mut refs: Vec<String> = (0..n)
        .flat_map(|i| (1..=rounds).map(move |v| format!("a{i:04}@{v}")))
        .collect();
    refs.push(format!("{SEED_000}@2"));
    refs.push(format!("{SEED_004}@1"));
    refs
}

#[test]
fn stale_and_missing_analyses_are_rebuilt_as_a_fresh_store_reads_them() {
    let input = Workspace::new();
    let (n, rounds) = (12, 3);
    let refs = refs(n, rounds);

    // A fresh store, whose analyses are cached as they are first read.
    let fresh = Workspace::new();
    fill(&fresh, input.dir.path(), n, rounds);
    let expected = readings(&fresh, &refs);

    // The same store after an analyser changed: some analyses stale (and
    // wrong), some missing, the rest never made.
    let ws = Workspace::new();
    fill(&ws, input.dir.path(), n, rounds);
    for r in refs.iter().step_by(2) {
        ws.run(&["claims", r]);
    }
    let conn = rusqlite::Connection::open(ws.db()).unwrap();
    conn.execute_batch(
        "UPDATE analyses SET version = version - 1, data = CAST('[]' AS BLOB) WHERE id % 2 = 0;
         DELETE FROM analyses WHERE id % 3 = 0;",
    )
    .unwrap();
    drop(conn);

    let summary = ws.json(&["reanalyse", "--jobs", "3", "--format", "json"]);
    let total = (n * rounds + 3) as u64;
    assert_eq!(summary["versions"], total, "{summary}");
    assert_eq!(summary["failed"], 0, "{summary}");
    assert!(summary["analysed"].as_u64().unwrap() > 0, "{summary}");
    assert_eq!(
        summary["analysed"].as_u64().unwrap() + summary["fresh"].as_u64().unwrap(),
        total
    );
    // Exactly what reading every version cached in the fresh store.
    assert_eq!(analyses(&ws.db()), analyses(&fresh.db()));
    // Read from the cache, every reading is the fresh store's.
    assert_eq!(readings(&ws, &refs), expected);

    // Nothing left to do: a second run analyses nothing.
    let again = ws.json(&["reanalyse", "--format", "json"]);
    assert_eq!(again["analysed"], 0, "{again}");
    assert_eq!(again["fresh"], total, "{again}");
    // --force does it all again, to the same result.
    let forced = ws.json(&["reanalyse", "--force", "--jobs", "1", "--format", "json"]);
    assert_eq!(forced["analysed"], total, "{forced}");
    assert_eq!(analyses(&ws.db()), analyses(&fresh.db()));

    let (code, out, err) = ws.run(&["reanalyse", "--quiet"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!(
            "{total} versions: 0 analysed, {total} already fresh, 0 failed ("
        )),
        "{out}"
    );
    assert_eq!(err, "", "no progress bar off a terminal");
}

#[test]
fn an_interrupted_reanalysis_leaves_the_store_consistent_and_resumes() {
    let ws = Workspace::new();
    let (n, rounds) = (300, 2);
    fill(&ws, &ws.path("in"), n, rounds);
    let total = (n * rounds + 3) as u64;

    let mut child = Process::new(assert_cmd::cargo::cargo_bin("track"))
        .args(["--db", s(&ws.db()), "reanalyse", "--jobs", "2"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed once it has committed something, before it is done.
    let conn = rusqlite::Connection::open(ws.db()).unwrap();
    let started = Instant::now();
    loop {
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM analyses", [], |r| r.get(0))
            .unwrap();
        if rows > 0 || started.elapsed() > Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let running = child.try_wait().unwrap().is_none();
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        running,
        "the run finished before the kill; nothing was tested"
    );

    ws.track().arg("verify").assert().success();
    // Each committed chunk holds both analyses of every text it analysed.
    let count = |analyser: &str| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM analyses WHERE analyser = ?1",
            [analyser],
            |r| r.get(0),
        )
        .unwrap()
    };
    let done = count("units");
    assert_eq!(done, count("claims"));
    assert!((done as u64) < total, "{done} of {total}");

    let resumed = ws.json(&["reanalyse", "--format", "json"]);
    assert_eq!(resumed["versions"], total, "{resumed}");
    assert_eq!(resumed["fresh"], done, "{resumed}");
    assert_eq!(resumed["analysed"], total - done as u64, "{resumed}");
    let again = ws.json(&["reanalyse", "--format", "json"]);
    assert_eq!(again["analysed"], 0, "{again}");

    // What it cached reads as a fresh store reads.
    let fresh = Workspace::new();
    fill(&fresh, &ws.path("in"), n, rounds);
    let some: Vec<String> = refs(n, rounds).into_iter().step_by(97).collect();
    assert_eq!(readings(&ws, &some), readings(&fresh, &some));
}
