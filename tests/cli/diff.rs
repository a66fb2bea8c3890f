//! `track diff`: modes, formats, options, exit codes.

use std::fs;

use crate::common::*;

/// A store with the seed 000 as v1 and the edited copy as v2.
fn two_versions() -> Workspace {
    let ws = Workspace::new();
    ws.add(&[s(&fixture("seeds"))]);
    ws.add(&["--key", SEED_000, s(&fixture("edits/000_v2.txt"))]);
    ws
}

#[test]
fn one_ref_compares_with_the_version_before() {
    let ws = two_versions();
    let (code, out, err) = ws.run(&["diff", SEED_000]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("1 edited, 1 added · 24 unchanged"), "{out}");
    assert!(out.contains("نحو [-2000-]{+2300+} جندي"), "{out}");
    assert!(
        out.contains("+ ولم تعلن بيونج يانج أي رقم رسمي للقتلى."),
        "{out}"
    );
    assert!(!out.contains('\x1b'), "no colour when not a terminal");
    // The same version against itself: no differences, exit 0.
    let (code, out, _) = ws.run(&["diff", &format!("{SEED_000}@1"), &format!("{SEED_000}@-1")]);
    assert_eq!(code, 0);
    assert!(out.contains("no differences"), "{out}");
}

#[test]
fn json_follows_the_contract() {
    let ws = two_versions();
    let (code, out, _) = ws.run(&[
        "diff",
        "--format",
        "json",
        &format!("{SEED_000}@1"),
        &format!("{SEED_000}@2"),
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["mode"], "versions");
    for side in ["from", "to"] {
        for field in ["key", "version", "hash", "fetched_at"] {
            assert!(v[side].get(field).is_some(), "{side}.{field}");
        }
    }
    assert_eq!(v["from"]["version"], 1);
    assert_eq!(v["to"]["version"], 2);
    assert!(v["claims"].is_array());
    let rows = v["sentences"].as_array().unwrap();
    let edited: Vec<&serde_json::Value> = rows.iter().filter(|r| r["op"] == "edited").collect();
    assert_eq!(edited.len(), 1);
    let e = edited[0];
    assert_eq!(e["orthographic_only"], false);
    assert!(e["from"]["text"].as_str().unwrap().contains("2000"));
    assert!(e["to"]["text"].as_str().unwrap().contains("2300"));
    let changed: Vec<(String, String)> = e["words"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["op"] != "equal")
        .map(|w| {
            (
                w["op"].as_str().unwrap().to_string(),
                w["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        changed,
        vec![
            ("delete".into(), "2000".into()),
            ("insert".into(), "2300".into())
        ]
    );
    let added: Vec<&serde_json::Value> = rows.iter().filter(|r| r["op"] == "added").collect();
    assert_eq!(added.len(), 1);
    assert!(added[0]["from"].is_null());
    for r in rows {
        for field in ["op", "from", "to", "orthographic_only", "words"] {
            assert!(r.get(field).is_some(), "row lacks {field}");
        }
    }
}

#[test]
fn only_and_ignore_orthographic() {
    let ws = Workspace::new();
    let a = ws.path("a.txt");
    let b = ws.path("b.txt");
    fs::write(
        &a,
        "أرسل كيم جونج أون رسالة إلى بوتين.\n\nقُتل 12 جندياً في المعارك.\n",
    )
    .unwrap();
    fs::write(&b, "أرسل كيم جونغ أون رسالة إلى بوتين.\n\nقُتل 12 جندياً في المعارك.\n\nوأضاف البيان تفاصيل جديدة.\n").unwrap();
    ws.add(&["--key", "k", s(&a)]);
    ws.add(&["--key", "k", s(&b)]);
    let json = ws.json_any(&["diff", "--format", "json", "k"]);
    let ops: Vec<(&str, bool)> = json["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["op"].as_str().unwrap(),
                r["orthographic_only"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ops,
        vec![("edited", true), ("unchanged", false), ("added", false)]
    );

    let (code, out, _) = ws.run(&[
        "diff",
        "--format",
        "json",
        "--ignore-orthographic",
        "--only",
        "added",
        "k",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ops: Vec<&str> = v["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["op"].as_str().unwrap())
        .collect();
    assert_eq!(ops, vec!["unchanged", "unchanged", "added"]);

    // Only an orthographic edit, ignored: no differences.
    fs::write(
        &b,
        "أرسل كيم جونغ أون رسالة إلى بوتين.\n\nقتل ١٢ جنديا في المعارك.\n",
    )
    .unwrap();
    ws.add(&["--key", "k2", s(&a)]);
    let (code, out, _) = ws.run(&["add", "--key", "k2", s(&b)]);
    assert_eq!(code, 0, "{out}");
    let (code, _, _) = ws.run(&["diff", "--ignore-orthographic", "k2"]);
    assert_eq!(code, 0);
    let (code, _, _) = ws.run(&["diff", "k2"]);
    assert_eq!(code, 1);
}

#[test]
fn unified_is_diff_u_with_sentences_as_lines() {
    let ws = two_versions();
    let (code, out, _) = ws.run(&["diff", "--format", "unified", "--context", "1", SEED_000]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(&format!("--- {SEED_000}@1\t")),
        "{out}"
    );
    assert!(
        lines[1].starts_with(&format!("+++ {SEED_000}@2\t")),
        "{out}"
    );
    assert!(lines[2].starts_with("@@ -"), "{out}");
    assert!(
        out.contains("\n-فقد ذكرت تقارير استخباراتية من سول أن نحو 2000 جندي"),
        "{out}"
    );
    assert!(
        out.contains("\n+فقد ذكرت تقارير استخباراتية من سول أن نحو 2300 جندي"),
        "{out}"
    );
    assert!(
        out.contains("\n+ولم تعلن بيونج يانج أي رقم رسمي للقتلى."),
        "{out}"
    );
}

#[test]
fn articles_mode_between_two_keys() {
    let ws = two_versions();
    let (code, out, _) = ws.run(&["diff", "--format", "json", SEED_000, SEED_004]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["mode"], "articles");
    assert_eq!(v["from"]["key"], SEED_000);
    assert_eq!(v["to"]["key"], SEED_004);
    // The summary's four probabilities: they sum to 1, and its confidence is
    // the probability of the relation it gives.
    let summary = &v["summary"];
    let p = &summary["probabilities"];
    let named: Vec<f64> = ["agree", "disagree", "related", "unrelated"]
        .iter()
        .map(|k| p[k].as_f64().unwrap())
        .collect();
    assert!((named.iter().sum::<f64>() - 1.0).abs() < 1e-3, "{summary}");
    let relation = summary["relation"].as_str().unwrap();
    assert_eq!(
        p[relation].as_f64(),
        summary["confidence"].as_f64(),
        "{summary}"
    );
}

#[test]
fn two_outlets_with_roles_swapped() {
    let ws = Workspace::new();
    std::fs::write(ws.path("a.txt"), "مصر تصدر الكهرباء إلى السودان\n").unwrap();
    std::fs::write(ws.path("b.txt"), "السودان يصدر الكهرباء لمصر\n").unwrap();
    ws.add(&["a.txt", "b.txt"]);
    let (code, out, _) = ws.run(&["diff", "a", "b"]);
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "≠ entity roles_swapped\n    in a@1: مصر on السودان\n    in b@1: السودان on مصر\n"
        ),
        "{out}"
    );
    let v = ws.json_any(&["diff", "--format", "json", "a", "b"]);
    let change = &v["claims"][0]["changes"][0];
    assert_eq!(v["claims"][0]["status"], "conflicting");
    assert_eq!(change["kind"], "roles_swapped");
    assert_eq!(change["from"]["canonical"], "Egypt");
    assert_eq!(change["to"]["canonical"], "Sudan");
}

#[test]
fn trouble_exits_2() {
    let ws = two_versions();
    let (code, _, err) = ws.run(&["diff", SEED_004]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "error: {SEED_004}@1 is the first version: nothing before it to compare (give two REFs)\n"
        )
    );
    let (code, _, err) = ws.run(&["diff", "nope", SEED_000]);
    assert_eq!(code, 2);
    assert!(err.contains("no article with key \"nope\""), "{err}");
    let (code, _, _) = ws.run(&["diff", &format!("{SEED_000}@9")]);
    assert_eq!(code, 2);
}

#[test]
fn html_escapes_the_scrape_and_sets_direction() {
    let ws = Workspace::new();
    let (a, b) = hostile_pair(&ws);
    ws.add(&["--key", "k", s(&a)]);
    ws.add(&["--key", "k", s(&b)]);
    let report = ws.path("report.html");
    let (code, _, err) = ws.run(&["diff", "--format", "html", "-o", s(&report), "k"]);
    assert_eq!(code, 1, "{err}");
    let html = fs::read_to_string(&report).unwrap();
    assert!(!html.contains("<script"), "a script tag in the report");
    assert!(!html.contains("<img"), "an img tag in the report");
    assert!(
        html.contains("&lt;script&gt;document.title"),
        "the payload is shown as text"
    );
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains(r#"dir="auto""#) || html.contains(r#"dir="rtl""#));
    assert!(html.contains("<ins><bdi>"), "changed spans are isolated");
    for external in ["http://", "https://"] {
        assert!(!html.contains(external), "the report references {external}");
    }
}

/// Two versions of an Arabic text whose second quotes markup a browser would run.
pub fn hostile_pair(ws: &Workspace) -> (std::path::PathBuf, std::path::PathBuf) {
    let a = ws.path("hostile-a.txt");
    let b = ws.path("hostile-b.txt");
    let base = "أشاد الرئيس الروسي فلاديمير بوتين بمتانة العلاقات الثنائية مع بيونج يانج، وذلك في رسالة رسمية.\n\n\
                وتشير تقديرات الاستخبارات إلى أن بيونج يانج أرسلت أكثر من 10 آلاف جندي إلى روسيا خلال عام 2024.\n";
    fs::write(&a, base).unwrap();
    fs::write(
        &b,
        format!(
            "{}\n\nونشر الموقع الشيفرة <script>document.title='PWNED'</script> والصورة <img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"> في التعليقات.\n",
            base.replace("10 آلاف", "12 ألف")
        ),
    )
    .unwrap();
    (a, b)
}

/// A bullet of the seed 004's list, with no figure or name in it, dropped from a later
/// version: versions mode reports it as a removed claim, and nothing else.
#[test]
fn a_dropped_bullet_is_a_removed_claim() {
    let ws = Workspace::new();
    let seed = fs::read_to_string(fixture(&format!("seeds/{SEED_004}.txt"))).unwrap();
    let bullet = "- التجارب الصاروخية زيادة ملحوظة لتحسين القدرات وتصدير الأسلحة.\n";
    assert!(seed.contains(bullet));
    fs::write(ws.path("v1.txt"), &seed).unwrap();
    fs::write(ws.path("v2.txt"), seed.replace(bullet, "")).unwrap();
    ws.add(&["--key", "k", s(&ws.path("v1.txt"))]);
    ws.add(&["--key", "k", s(&ws.path("v2.txt"))]);
    let v = ws.json_any(&["diff", "--format", "json", "k@1", "k@2"]);
    let reported: Vec<&serde_json::Value> = v["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "unchanged")
        .collect();
    assert_eq!(reported.len(), 1, "{reported:#?}");
    assert_eq!(reported[0]["status"], "removed");
    assert_eq!(reported[0]["to"], serde_json::Value::Null);
    assert!(
        reported[0]["from"]["text"]
            .as_str()
            .unwrap()
            .starts_with("التجارب الصاروخية زيادة ملحوظة")
    );
}

/// A diff caches its comparison (alignment, claim rows) per pair of texts:
/// read back, it gives the same outputs; a damaged entry is recomputed, and
/// `reanalyse` drops the entries of the texts it analysed.
#[test]
fn a_cached_comparison_reads_back_as_computed() {
    // Two stores alike, times included.
    let store = || {
        let ws = Workspace::new();
        ws.add(&["--at", "2025-12-25T10:00:00Z", s(&fixture("seeds"))]);
        let edit = fixture("edits/000_v2.txt");
        ws.add(&["--at", "2025-12-25T11:00:00Z", "--key", SEED_000, s(&edit)]);
        ws
    };
    let ws = store();
    let comparisons = |ws: &Workspace| -> i64 {
        rusqlite::Connection::open(ws.db())
            .unwrap()
            .query_row("SELECT count(*) FROM comparisons", [], |r| r.get(0))
            .unwrap()
    };
    let pairs: [&[&str]; 2] = [&[SEED_000], &[SEED_000, SEED_004]];
    let outputs = |ws: &Workspace| -> Vec<String> {
        let mut out = Vec::new();
        for refs in pairs {
            for format in ["json", "term", "unified"] {
                // No time budget: on a loaded machine (a debug build, tests in
                // parallel) the word detail would otherwise depend on the clock.
                let mut args = vec![
                    "diff",
                    "--format",
                    format,
                    "--min-confidence",
                    "0",
                    "--time-budget",
                    "0",
                ];
                args.extend_from_slice(refs);
                let (code, text, err) = ws.run(&args);
                assert_eq!(code, 1, "{err}");
                out.push(text);
            }
        }
        out
    };
    // As a store without the cache computes them (no comparison table).
    let uncached = store();
    rusqlite::Connection::open(uncached.db())
        .unwrap()
        .execute_batch("CREATE TRIGGER no_cache BEFORE INSERT ON comparisons BEGIN SELECT RAISE(ABORT, 'no'); END;")
        .unwrap();
    let computed = outputs(&uncached);
    assert_eq!(comparisons(&uncached), 0);

    assert_eq!(outputs(&ws), computed, "first reading, cached as it goes");
    assert_eq!(comparisons(&ws), 2);
    assert_eq!(outputs(&ws), computed, "read back from the cache");

    // A damaged entry is read as missing: recomputed, and replaced.
    rusqlite::Connection::open(ws.db())
        .unwrap()
        .execute_batch("UPDATE comparisons SET data = CAST(X'FF54413105' AS BLOB)")
        .unwrap();
    let (code, out, _) = ws.run(&["verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("cached comparison #"), "{out}");
    assert_eq!(outputs(&ws), computed);
    ws.track().arg("verify").assert().success();

    // Claims analysed again: their comparisons are stale, and dropped.
    ws.json(&["reanalyse", "--force", "--format", "json"]);
    assert_eq!(comparisons(&ws), 0);
    assert_eq!(outputs(&ws), computed);
}

/// A long diff's comparison is written to the cache while the report is
/// shown (on two threads): the report is whole, on standard output and in a
/// file, and the cache holds what a second diff reads back.
#[test]
fn a_long_diff_is_shown_while_its_comparison_is_cached() {
    let ws = Workspace::new();
    let sentences = |edited: bool| -> String {
        (0..400)
            .map(|i| {
                let n = if edited && i % 50 == 7 { i + 1000 } else { i };
                format!("قال المتحدث إن {n} شخصا وصلوا إلى المدينة رقم {i} يوم الخميس.\n\n")
            })
            .collect()
    };
    let (old, new) = (ws.path("old.txt"), ws.path("new.txt"));
    std::fs::write(&old, sentences(false)).unwrap();
    std::fs::write(&new, sentences(true)).unwrap();
    assert!(std::fs::metadata(&old).unwrap().len() > 16 * 1024);
    ws.add(&["--key", "long", s(&old)]);
    ws.add(&["--key", "long", s(&new)]);
    let comparisons = || -> i64 {
        rusqlite::Connection::open(ws.db())
            .unwrap()
            .query_row("SELECT count(*) FROM comparisons", [], |r| r.get(0))
            .unwrap()
    };
    let args = [
        "diff",
        "--format",
        "json",
        "--time-budget",
        "0",
        "long@1",
        "long@2",
    ];
    let (code, first, err) = ws.run(&args);
    assert_eq!(code, 1, "{err}");
    assert_eq!(comparisons(), 1);
    let report: serde_json::Value = serde_json::from_str(&first).unwrap();
    let changed = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "changed")
        .count();
    assert_eq!(changed, 8, "{first}");
    let (code, again, _) = ws.run(&args);
    assert_eq!((code, again.as_str()), (1, first.as_str()), "read back");
    let file = ws.path("report.json");
    let mut with_file = args.to_vec();
    with_file.extend(["--output", s(&file)]);
    let (code, out, _) = ws.run(&with_file);
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), first);
}
