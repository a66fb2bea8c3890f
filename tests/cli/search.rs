//! `track search`: Arabic-normalised full-text search over every version.

use crate::common::Workspace;

/// Write `text` to a file in the workspace and ingest it as `key` at `at`.
fn add_text(ws: &Workspace, key: &str, url: Option<&str>, at: &str, text: &str) {
    let file = ws.path(&format!("{key}-{}.txt", at.replace(':', "")));
    std::fs::write(&file, text).unwrap();
    let mut args = vec!["--key", key, "--at", at];
    if let Some(url) = url {
        args.extend(["--url", url]);
    }
    args.push(file.to_str().unwrap());
    ws.add(&args);
}

fn search(ws: &Workspace, args: &[&str]) -> Vec<serde_json::Value> {
    let args = [&["search", "--format", "json"], args].concat();
    ws.json(&args).as_array().expect("a list").clone()
}

const ARTICLE: &str = "زار أَحْمَـــد مدرسة البلدة قبل الظهر.\n\
    ثم عاد إلى المدينة مساءً.\n\
    بلغ عدد الجنود ٢٣٠٠ جندي.\n\
    The Minister said 4500 people left.\n";

#[test]
fn arabic_spelling_variants_and_digit_scripts_match() {
    let ws = Workspace::new();
    add_text(&ws, "k1", None, "2025-01-01T00:00:00Z", ARTICLE);
    let finds = |query: &str, needle: &str| {
        let hits = search(&ws, &[query]);
        assert_eq!(hits.len(), 1, "{query}: {hits:?}");
        let sentence = hits[0]["sentence"].as_str().unwrap();
        assert!(sentence.contains(needle), "{query}: {sentence}");
    };
    for q in ["أحمد", "احمد", "أَحْمَد", "احـــمد", "إحمد"] {
        finds(q, "زار");
    }
    for q in ["مدرسة", "مدرسه", "مَدْرَسَةٌ", "المدرسة"] {
        if q == "المدرسة" {
            assert!(
                search(&ws, &[q]).is_empty(),
                "the article is a word of its own"
            );
        } else {
            finds(q, "زار");
        }
    }
    for q in ["إلى", "الى", "إلي", "المدينه"] {
        finds(q, "عاد");
    }
    // Digits of any script are equal, either way round.
    finds("2300", "٢٣٠٠");
    finds("٢٣٠٠", "٢٣٠٠");
    finds("٤٥٠٠", "4500");
    finds("۴۵۰۰", "4500");
    // English is case-folded; every word must be in the sentence.
    finds("MINISTER people", "Minister");
    assert!(search(&ws, &["minister soldiers"]).is_empty());
    // A word with an article or a conjunction fused to it is found by the bare word.
    add_text(
        &ws,
        "k2",
        None,
        "2025-01-01T00:00:00Z",
        "ووصلت القوات والمدرسة مغلقة.\n",
    );
    let hits = search(&ws, &["مدرسة", "--key", "k2"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["marks"][0]["text"], "والمدرسة");
}

#[test]
fn removed_finds_a_sentence_dropped_in_v2_and_a_revert_restores_it() {
    let ws = Workspace::new();
    let v1 = "قال الوزير إن عدد الضحايا بلغ ٣٠ شخصا.\n\
              وأكد مصدر أمني أن الهجوم نفذه مسلحون مجهولون.\n\
              وستستمر التحقيقات حتى نهاية الأسبوع.\n";
    let v2 = "قال الوزير إن عدد الضحايا بلغ ٤٠ شخصا.\n\
              وستستمر التحقيقات حتى نهاية الأسبوع.\n";
    add_text(&ws, "story", None, "2025-01-01T00:00:00Z", v1);
    add_text(&ws, "story", None, "2025-01-02T00:00:00Z", v2);

    let removed = search(&ws, &["--removed", "مسلحون"]);
    assert_eq!(removed.len(), 1, "{removed:?}");
    let hit = &removed[0];
    assert_eq!(hit["present"], false);
    assert_eq!(hit["first_seen"]["version"], 1);
    assert_eq!(hit["last_seen"]["version"], 1);
    assert_eq!(hit["first_seen"]["fetched_at"], "2025-01-01T00:00:00Z");
    // A sentence still there is not "removed".
    assert!(search(&ws, &["--removed", "التحقيقات"]).is_empty());
    let kept = search(&ws, &["التحقيقات"]);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0]["present"], true);
    assert_eq!(kept[0]["first_seen"]["version"], 1);
    assert_eq!(kept[0]["last_seen"]["version"], 2);
    assert_eq!(kept[0]["last_seen"]["fetched_at"], "2025-01-02T00:00:00Z");
    // The edited sentence: its old wording removed, its new one there.
    let edited = search(&ws, &["الضحايا"]);
    assert_eq!(edited.len(), 2, "{edited:?}");
    let removed_wording = search(&ws, &["--removed", "الضحايا"]);
    assert_eq!(removed_wording.len(), 1);
    assert!(
        removed_wording[0]["sentence"]
            .as_str()
            .unwrap()
            .contains("٣٠")
    );

    // The terminal output marks the hit and says it was removed.
    let (code, out, _) = ws.run(&["search", "--removed", "مسلحون"]);
    assert_eq!(code, 0);
    assert!(out.contains("[مسلحون]"), "{out}");
    assert!(out.contains("removed"), "{out}");

    // A revert to v1 brings the sentence back: no longer removed.
    add_text(&ws, "story", None, "2025-01-03T00:00:00Z", v1);
    assert!(search(&ws, &["--removed", "مسلحون"]).is_empty());
    let back = search(&ws, &["مسلحون"]);
    assert_eq!(back[0]["present"], true);
    assert_eq!(back[0]["last_seen"]["version"], 1);
    let gone = search(&ws, &["--removed", "الضحايا"]);
    assert_eq!(gone.len(), 1);
    assert!(gone[0]["sentence"].as_str().unwrap().contains("٤٠"));
}

#[test]
fn json_shape_and_filters() {
    let ws = Workspace::new();
    add_text(
        &ws,
        "a",
        Some("https://www.one.example/a"),
        "2025-01-01T00:00:00Z",
        "<html><head><title>Title A</title></head><body><p>The ceasefire began at dawn.</p></body></html>",
    );
    add_text(
        &ws,
        "b",
        Some("https://two.example/b"),
        "2025-03-01T00:00:00Z",
        "A ceasefire was announced.\n",
    );
    let hits = search(&ws, &["ceasefire"]);
    assert_eq!(hits.len(), 2);
    // The most recently seen first.
    assert_eq!(hits[0]["key"], "b");
    let a = &hits[1];
    let mut fields: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "first_seen",
            "host",
            "key",
            "last_seen",
            "marks",
            "present",
            "sentence",
            "title",
            "url"
        ]
    );
    assert_eq!(a["url"], "https://www.one.example/a");
    assert_eq!(a["host"], "one.example");
    assert_eq!(a["sentence"], "The ceasefire began at dawn.");
    assert_eq!(
        a["marks"],
        serde_json::json!([{"start": 4, "end": 13, "text": "ceasefire"}])
    );
    assert_eq!(
        a["first_seen"],
        serde_json::json!({"version": 1, "fetched_at": "2025-01-01T00:00:00Z"})
    );
    assert_eq!(a["present"], true);

    let only = |args: &[&str]| -> Vec<String> {
        search(&ws, &[&["ceasefire"], args].concat())
            .iter()
            .map(|h| h["key"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(only(&["--key", "a"]), ["a"]);
    assert_eq!(only(&["--host", "one.example"]), ["a"]);
    assert_eq!(only(&["--host", "https://two.example/"]), ["b"]);
    assert!(only(&["--host", "three.example"]).is_empty());
    assert!(only(&["--key", "nope"]).is_empty());
    assert_eq!(only(&["--until", "2025-01-31"]), ["a"]);
    assert_eq!(only(&["--since", "2025-02-01T00:00:00Z"]), ["b", "a"]);
    assert_eq!(only(&["--limit", "1"]), ["b"]);
}

#[test]
fn query_syntax_cannot_be_injected_and_a_query_without_words_is_refused() {
    let ws = Workspace::new();
    add_text(
        &ws,
        "k",
        None,
        "2025-01-01T00:00:00Z",
        "Near the border, troops moved.\n",
    );
    for q in [
        r#"NEAR(border troops)"#,
        r#""border"*"#,
        "-border",
        "body:border",
        "border AND OR NOT",
        "^border",
    ] {
        let (code, out, err) = ws.run(&["search", "--format", "json", q]);
        assert_eq!(code, 0, "{q}: {err}");
        assert!(
            serde_json::from_str::<serde_json::Value>(&out).is_ok(),
            "{q}"
        );
    }
    assert_eq!(search(&ws, &["NEAR(border troops)"]).len(), 1);
    assert!(search(&ws, &["border AND OR NOT"]).is_empty());
    for q in ["", "\"*-:()", "؟!"] {
        let (code, out, err) = ws.run(&["search", q]);
        assert_eq!(code, 2, "{q}: {out}{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
}

#[test]
fn a_store_from_before_the_index_is_indexed_when_opened() {
    let ws = Workspace::new();
    add_text(
        &ws,
        "old",
        None,
        "2025-01-01T00:00:00Z",
        "كانت المدرسة مغلقة.\nوصل ٥٠ جنديا.\n",
    );
    add_text(
        &ws,
        "old",
        None,
        "2025-01-02T00:00:00Z",
        "كانت المدرسة مغلقة.\n",
    );
    {
        let conn = rusqlite::Connection::open(ws.db()).unwrap();
        conn.execute_batch(
            "DROP TABLE search_sentences; DROP TABLE search_fts; DROP TABLE search_articles;
             DROP TABLE search_backlog; PRAGMA user_version = 8;",
        )
        .unwrap();
    }
    let hits = search(&ws, &["--removed", "50"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["first_seen"]["version"], 1);
    assert_eq!(hits[0]["last_seen"]["version"], 1);
    let kept = search(&ws, &["مدرسه"]);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0]["last_seen"]["version"], 2);
    assert_eq!(kept[0]["present"], true);
    // Ingest goes on from there.
    add_text(
        &ws,
        "old",
        None,
        "2025-01-03T00:00:00Z",
        "كانت المدرسة مفتوحة.\n",
    );
    assert_eq!(search(&ws, &["--removed", "مغلقه"]).len(), 1);
    assert_eq!(search(&ws, &["مفتوحه"])[0]["first_seen"]["version"], 3);
}

#[test]
fn first_and_last_versions_follow_a_sentence_that_leaves_and_comes_back() {
    let ws = Workspace::new();
    let texts = [
        "Alpha stays.\nBravo leaves and returns.\nCharlie goes in v3.\n",
        "Alpha stays.\nCharlie goes in v3.\nDelta arrives.\n",
        "Alpha stays.\nBravo leaves and returns.\nDelta arrives.\n",
    ];
    for (i, t) in texts.iter().enumerate() {
        add_text(&ws, "k", None, &format!("2025-01-0{}T00:00:00Z", i + 1), t);
    }
    let versions = |q: &str| {
        let hits = search(&ws, &[q]);
        assert_eq!(hits.len(), 1, "{q}: {hits:?}");
        let h = &hits[0];
        (
            h["first_seen"]["version"].as_i64().unwrap(),
            h["last_seen"]["version"].as_i64().unwrap(),
            h["present"].as_bool().unwrap(),
        )
    };
    assert_eq!(versions("alpha"), (1, 3, true));
    assert_eq!(versions("bravo"), (1, 3, true));
    assert_eq!(versions("charlie"), (1, 2, false));
    assert_eq!(versions("delta"), (2, 3, true));
}

#[test]
fn control_characters_from_a_scrape_never_reach_the_terminal() {
    let ws = Workspace::new();
    add_text(
        &ws,
        "k",
        None,
        "2025-01-01T00:00:00Z",
        "<p>The &#x1b;[31mred&#x1b;[0m report \u{202E}rang.</p>",
    );
    let (code, out, _) = ws.run(&["search", "report"]);
    assert_eq!(code, 0);
    assert!(out.contains("[report]"), "{out}");
    assert!(
        !out.contains('\u{1b}') && !out.contains('\u{202E}'),
        "{out:?}"
    );
}
