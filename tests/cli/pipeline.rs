//! `track add` as a pipeline: inputs prepared by several workers, recorded by
//! one writer in input order.

use std::fs;
use std::path::Path;

use crate::common::*;

/// A short Arabic article `i` of round `round`: its numbers change with the
/// round, so every round is a new version with claim changes.
fn article(i: usize, round: usize) -> String {
    format!(
        "تقرير رقم {i}: أعلنت الوزارة أن {} شخصاً أصيبوا في الحادث.\n\n\
         وقال المتحدث إن التحقيق مستمر منذ {} يوماً، وإن الأضرار بلغت {} مليون دولار.\n\n\
         وأضاف أن فرق الإنقاذ وصلت إلى المكان بعد ساعة.\n",
        i * 7 + round,
        i + 3,
        (i + 1) * (round + 2)
    )
}

/// Inputs of very different sizes, so that workers finish out of order: every
/// fifth is some 200 KB, the others a few lines.
fn write_mixed(dir: &Path, n: usize) -> Vec<String> {
    fs::create_dir_all(dir).unwrap();
    let mut names = Vec::new();
    for i in 0..n {
        let mut text = article(i, 0);
        if i % 5 == 0 {
            for j in 0..2500 {
                text.push_str(&format!(
                    "\nفقرة إضافية رقم {j} من التقرير {i} عن الحادث نفسه."
                ));
            }
            text.push('\n');
        }
        let name = format!("item-{i:03}.txt");
        fs::write(dir.join(&name), text).unwrap();
        names.push(name);
    }
    names
}

fn json_lines(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[test]
fn lines_and_versions_follow_the_input_order_with_four_jobs() {
    let ws = Workspace::new();
    let names = write_mixed(&ws.path("in"), 60);
    let (code, out, err) = ws.run(&["add", "--jobs", "4", "--format", "json", s(&ws.path("in"))]);
    assert_eq!(code, 0, "{err}");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), names.len() + 1, "{out}");
    for (line, name) in lines.iter().zip(&names) {
        assert!(
            line["input"].as_str().unwrap().ends_with(name.as_str()),
            "{line} is not {name}"
        );
        assert_eq!(line["status"], "new_article", "{line}");
    }

    // Versions of one article, all in one batch: numbered in input order.
    let paths: Vec<String> = names
        .iter()
        .map(|n| ws.path("in").join(n).display().to_string())
        .collect();
    let mut args = vec!["add", "--jobs", "4", "--format", "json", "--key", "story"];
    args.extend(paths.iter().map(String::as_str));
    let (code, out, err) = ws.run(&args);
    assert_eq!(code, 0, "{err}");
    for (n, (line, path)) in json_lines(&out).iter().zip(&paths).enumerate() {
        assert_eq!(line["input"], path.as_str());
        assert_eq!(line["version"], n as u64 + 1, "{line}");
    }
    for n in [1, 2, 6, 60] {
        let shown = ws
            .track()
            .args(["show", &format!("story@{n}")])
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8(shown.stdout).unwrap(),
            fs::read_to_string(&paths[n - 1]).unwrap(),
            "story@{n}"
        );
    }
    ws.track().arg("verify").assert().success();
}

#[test]
fn a_bad_input_in_the_middle_is_reported_and_the_rest_stored() {
    let ws = Workspace::new();
    let names = write_mixed(&ws.path("in"), 41);
    fs::write(ws.path("in").join(&names[20]), b"GIF89a\0\0binary").unwrap();
    fs::write(ws.path("in").join(&names[30]), "  \n\n").unwrap();
    let (code, out, err) = ws.run(&["add", "--jobs", "4", s(&ws.path("in"))]);
    assert_eq!(code, 2, "{out}{err}");
    let errors: Vec<&str> = err.lines().collect();
    assert_eq!(errors.len(), 2, "{err}");
    assert!(
        errors[0].starts_with("error: ") && errors[0].contains(&names[20]),
        "{err}"
    );
    assert!(
        errors[1].contains(&names[30]) && errors[1].contains("empty"),
        "{err}"
    );
    let stored: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("new article"))
        .collect();
    let expected: Vec<String> = names
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 20 && *i != 30)
        .map(|(_, n)| format!("new article {} (v1)", n.trim_end_matches(".txt")))
        .collect();
    assert_eq!(stored, expected);
    assert!(
        out.ends_with(
            "41 inputs: 39 new articles, 0 new versions, 0 unchanged, 0 reverted, 2 errors\n"
        ),
        "{out}"
    );
    assert_eq!(ws.versions().len(), 39);
}

/// Everything a store holds that ingest writes, in a comparable form.
fn dump(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut out = Vec::new();
    for sql in [
        "SELECT hex(hash), size, codec, hex(base), depth, hex(data) FROM blobs ORDER BY hash",
        "SELECT a.key, a.url, v.number, hex(v.text_hash), hex(v.raw_hash), hex(v.identity),
                v.fetched_at, v.media_type, v.encoding, v.title, v.byline, v.published, v.modified
         FROM versions v JOIN articles a ON a.id = v.article_id ORDER BY a.key, v.number",
        "SELECT a.key, v.number, o.observed_at, o.kind, hex(o.raw_hash), o.source
         FROM observations o JOIN articles a ON a.id = o.article_id
         JOIN versions v ON v.id = o.version_id ORDER BY a.key, o.id",
        "SELECT a.key, hex(s.hash), s.text, s.first_version, s.last_version, s.present
         FROM search_sentences s JOIN articles a ON a.id = s.article_id ORDER BY a.key, s.hash",
        "SELECT a.key, i.indexed FROM search_articles i JOIN articles a ON a.id = i.article_id
         ORDER BY a.key",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect();
                Ok(cells.join("|"))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

#[test]
fn one_job_and_four_jobs_store_the_same() {
    let ws = Workspace::new();
    for round in 0..3 {
        let dir = ws.path(&format!("round{round}"));
        fs::create_dir_all(&dir).unwrap();
        for i in 0..40 {
            // Every fourth article unchanged in round 1 (an observation), and
            // back to its first text in round 2 (a revert).
            let r = if i % 4 == 0 && round > 0 { 0 } else { round };
            let r = if i % 4 == 1 && round == 2 { 0 } else { r };
            fs::write(dir.join(format!("a{i:02}.txt")), article(i, r)).unwrap();
        }
    }
    let mut outputs = Vec::new();
    let mut dumps = Vec::new();
    for jobs in ["1", "4"] {
        let store = Workspace::new();
        let run = |args: &[&str]| {
            let out = store
                .track()
                .args(["add", "--jobs", jobs])
                .args(args)
                .output()
                .unwrap();
            assert!(out.status.success(), "{args:?}: {out:?}");
            String::from_utf8(out.stdout).unwrap()
        };
        let mut printed = String::new();
        printed += &run(&["--at", "2025-12-25T10:00:00Z", s(&fixture("seeds"))]);
        printed += &run(&["--at", "2025-12-25T10:00:00Z", s(&fixture("html/000.html"))]);
        printed += &run(&[
            "--at",
            "2025-12-25T10:00:00Z",
            "--key",
            "legacy",
            s(&fixture("encodings/000.windows-1256.txt")),
        ]);
        for round in 0..3 {
            let at = format!("2025-12-25T1{}:00:00Z", round + 1);
            printed += &run(&["--at", &at, s(&ws.path(&format!("round{round}")))]);
        }
        // Several versions of one article in one batch, then a revert.
        printed += &run(&[
            "--at",
            "2025-12-25T15:00:00Z",
            "--key",
            SEED_000,
            s(&fixture("edits/000_v2.txt")),
            s(&fixture("encodings/000.utf-16le.txt")),
            s(&fixture("edits/000_v2.txt")),
            s(&ws.path("round2/a05.txt")),
        ]);
        printed += &run(&[
            "--at",
            "2025-12-25T16:00:00Z",
            "--key",
            "legacy",
            s(&fixture("html/000.html")),
            s(&fixture("encodings/000.windows-1256.txt")),
        ]);
        outputs.push(printed);
        dumps.push(dump(&store.db()));
        let (_, found, _) = store.run(&["search", "--format", "json", "الإنقاذ"]);
        outputs.push(found);
    }
    assert_eq!(outputs[0], outputs[2], "lines printed");
    assert_eq!(outputs[1], outputs[3], "search");
    assert!(outputs[1].contains("الإنقاذ"), "{}", outputs[1]);
    assert!(outputs[0].contains("reverted to v1"), "{}", outputs[0]);
    assert_eq!(dumps[0].len(), dumps[1].len());
    for (a, b) in dumps[0].iter().zip(&dumps[1]) {
        assert_eq!(a, b);
    }
}
