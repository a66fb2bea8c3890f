//! Smaller things a newcomer saw (issue 11, point 9): negations that deny
//! nothing, `--only` and the claims block, reworded rows, plurals, `show`'s
//! last line and metadata, weekdays without a date, `claims --aliases`,
//! `verify` naming the version of a damaged blob.

use std::fs;

use crate::common::*;

/// Add `text` as a new version of `key` (a file named after the key and `n`).
fn add_text(ws: &Workspace, key: &str, n: usize, text: &str) {
    let file = ws.path(&format!("{key}{n}.txt"));
    fs::write(&file, text).unwrap();
    ws.add(&["--key", key, s(&file)]);
}

/// The polarity slots of every claim of `reference`, with their sentence.
fn polarity_cues(ws: &Workspace, reference: &str) -> Vec<(String, String)> {
    let claims = ws.json(&["claims", reference, "--format", "json"]);
    let mut cues = Vec::new();
    for claim in claims.as_array().expect("claims") {
        for slot in claim["slots"].as_array().expect("slots") {
            if slot["type"] == "polarity" {
                cues.push((
                    claim["text"].as_str().unwrap().to_string(),
                    slot["text"].as_str().unwrap_or("").to_string(),
                ));
            }
        }
    }
    cues
}

#[test]
fn claims_praise_and_page_furniture_are_no_negations() {
    let ws = Workspace::new();
    add_text(
        &ws,
        "n",
        1,
        "أشاد الرئيس الروسي فلاديمير بوتين بالصداقة التي لا تُقهر مع كوريا الشمالية.\n\n\
         وتحدث كيم جونغ أون عن “ألم لا يطاق” لعائلات الجنود.\n\n\
         وقال الكرملين إن الجنود لم ينسحبوا من كورسك.\n\n\
         Your email address will not be published.\n",
    );
    let cues = polarity_cues(&ws, "n");
    // The real denial stays; praise, degree and the comment form deny nothing.
    assert_eq!(cues.len(), 1, "{cues:?}");
    assert!(cues[0].0.contains("لم ينسحبوا"), "{cues:?}");

    let (code, out, err) = ws.run(&["claims", "n"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("negated: لا"), "{out}");
    assert!(!out.contains("negated: not"), "{out}");
}

#[test]
fn diff_only_keeps_the_claims_of_the_kept_sentences() {
    let ws = Workspace::new();
    add_text(
        &ws,
        "o",
        1,
        "أعلنت الوزارة أن خمسة أشخاص أصيبوا في الحادث.\n",
    );
    add_text(
        &ws,
        "o",
        2,
        "أعلنت الوزارة أن سبعة أشخاص أصيبوا في الحادث.\n\n\
         وقال الكرملين إن 300 جندي وصلوا إلى موسكو.\n",
    );
    let (_, all, _) = ws.run(&["diff", "o"]);
    assert!(all.contains("quantity update"), "{all}");

    let (code, out, err) = ws.run(&["diff", "o", "--only", "added"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(!out.contains("quantity update"), "{out}");
    assert!(out.contains("+ added #"), "{out}");
    let json = ws.json_any(&["diff", "o", "--only", "added", "--format", "json"]);
    let statuses: Vec<&str> = json["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert!(statuses.contains(&"added"), "{statuses:?}");
    assert!(!statuses.contains(&"changed"), "{statuses:?}");

    let (_, out, _) = ws.run(&["diff", "o", "--only", "changed"]);
    assert!(out.contains("quantity update"), "{out}");
    assert!(!out.contains("+ added #"), "{out}");
}

#[test]
fn reworded_rows_show_where_the_sides_differ() {
    let ws = Workspace::new();
    let head = "وقال الكرملين في بيان طويل صدر بعد اجتماع مجلس الأمن الروسي برئاسة الرئيس فلاديمير بوتين \
                إن المحادثات مع الجانب الكوري الشمالي تناولت قضايا كثيرة منها التعاون العسكري والاقتصادي \
                والتبادل التجاري بين البلدين";
    add_text(
        &ws,
        "r",
        1,
        &format!("{head} في الأشهر الماضية بشكل مفصل.\n"),
    );
    add_text(
        &ws,
        "r",
        2,
        &format!("{head} خلال الأشهر الماضية بشكل موسع.\n"),
    );
    let (code, out, err) = ws.run(&["diff", "r"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("reworded"), "{out}");
    let side = |label: &str| {
        out.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no {label} line in:\n{out}"))
            .split_once(": ")
            .unwrap()
            .1
            .to_string()
    };
    let (was, now) = (side("r@1 #"), side("r@2 #"));
    assert_ne!(was, now, "both sides read the same:\n{out}");
    assert!(
        was.contains("في الأشهر") && now.contains("خلال الأشهر"),
        "{out}"
    );
}

#[test]
fn counts_of_one_are_singular() {
    let ws = Workspace::new();
    add_text(&ws, "p", 1, "وقال الكرملين إن 300 جندي وصلوا إلى موسكو.\n");
    add_text(
        &ws,
        "q",
        1,
        "وقال الكرملين إن 300 جندي وصلوا إلى موسكو.\n\nخبر آخر.\n",
    );
    let (_, out, _) = ws.run(&["diff", "p", "q"]);
    assert!(out.contains("sentences: 1 sentence alike"), "{out}");
    assert!(!out.contains("1 sentences"), "{out}");
    let (_, out, _) = ws.run(&["claims", "p"]);
    assert!(out.contains("in 1 sentence\n"), "{out}");
}

const ARTICLE: &str = r#"<!doctype html><html lang="ar" dir="rtl"><head>
<title>بوتين يشيد بالصداقة</title>
<meta name="author" content="أحمد محمود">
<meta property="article:published_time" content="2025-12-25T08:00:00Z">
</head><body><article><h1>بوتين يشيد بالصداقة</h1>
<p>أشاد الرئيس الروسي بالعلاقات مع كوريا الشمالية.</p>
<p>وقال الكرملين إن 300 جندي وصلوا إلى موسكو.</p>
</article></body></html>"#;

#[test]
fn show_ends_its_last_line_and_log_carries_the_metadata() {
    let ws = Workspace::new();
    let file = ws.path("a.html");
    fs::write(&file, ARTICLE).unwrap();
    ws.add(&["--key", "h", s(&file)]);

    let (code, out, _) = ws.run(&["show", "h"]);
    assert_eq!(code, 0);
    assert!(out.ends_with("موسكو.\n"), "{out:?}");

    let shown = ws.json(&["show", "h", "--format", "json"]);
    assert_eq!(shown["title"], "بوتين يشيد بالصداقة");
    assert_eq!(shown["byline"], "أحمد محمود");
    assert_eq!(shown["published"], "2025-12-25T08:00:00Z");

    let log = ws.json(&["log", "h", "--format", "json"]);
    let v1 = &log[0];
    assert_eq!(v1["title"], "بوتين يشيد بالصداقة", "{log}");
    assert_eq!(v1["byline"], "أحمد محمود", "{log}");
    assert_eq!(v1["published"], "2025-12-25T08:00:00Z", "{log}");

    let (code, out, _) = ws.run(&["log", "h"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("“بوتين يشيد بالصداقة” · by أحمد محمود · published 2025-12-25T08:00:00Z"),
        "{out}"
    );
}

#[test]
fn a_changed_weekday_is_a_date_change_without_an_article_date() {
    let ws = Workspace::new();
    add_text(
        &ws,
        "d",
        1,
        "قال المتحدث إن الاجتماع سيعقد يوم الأحد في القاعة الكبرى.\n",
    );
    add_text(
        &ws,
        "d",
        2,
        "قال المتحدث إن الاجتماع سيعقد يوم الاثنين في القاعة الكبرى.\n",
    );
    let json = ws.json_any(&["diff", "d", "--format", "json"]);
    let changes: Vec<(String, String)> = json["claims"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["changes"].as_array().cloned().unwrap_or_default())
        .map(|ch| {
            (
                ch["slot"].as_str().unwrap().to_string(),
                ch["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        changes.contains(&("date".into(), "update".into())),
        "{changes:?}\n{json}"
    );
    let (_, out, _) = ws.run(&["diff", "d"]);
    assert!(out.contains("date update"), "{out}");
    assert!(out.contains("was: يوم الأحد"), "{out}");
}

#[test]
fn claims_takes_an_aliases_file() {
    let ws = Workspace::new();
    add_text(&ws, "al", 1, "وقال أبو فلان إن 300 جندي وصلوا.\n");
    let aliases = ws.path("aliases.toml");
    fs::write(
        &aliases,
        "[[entity]]\ncanonical = \"Abu Fulan\"\nkind = \"person\"\nnames = [\"أبو فلان\"]\n",
    )
    .unwrap();
    let (code, out, err) = ws.run(&["claims", "al", "--aliases", s(&aliases)]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("= Abu Fulan (Person)"), "{out}");
}

#[test]
fn verify_names_the_version_holding_a_damaged_blob() {
    let ws = Workspace::new();
    add_text(&ws, "v", 1, "Second article, first version.\n");
    let conn = rusqlite::Connection::open(ws.db()).unwrap();
    conn.execute_batch(
        "UPDATE blobs SET data = x'00' WHERE hash = (SELECT v.text_hash FROM versions v
          JOIN articles a ON a.id = v.article_id WHERE a.key = 'v');",
    )
    .unwrap();
    drop(conn);
    let (code, out, err) = ws.run(&["verify"]);
    assert_eq!(code, 1, "{out}{err}");
    let line = out
        .lines()
        .find(|l| l.starts_with("damaged: blob "))
        .unwrap_or_else(|| panic!("no damaged blob in:\n{out}"));
    assert!(line.contains("v@1"), "{line}");
}
