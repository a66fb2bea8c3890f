//! Metadata (title, byline, published and modified times) through `add`,
//! `show`, `log` and `diff`; a changed headline; `--select` and
//! `--ignore-selector`.

use serde_json::Value;

use crate::common::*;

/// A news page: JSON-LD in a `@graph` (dates, an author by reference), a
/// glued byline in the markup, an "Updated" `<time>`.
fn page(title: &str, toll: u32, modified: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | The Example Post</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@graph":[
 {{"@type":"WebSite","@id":"https://post.example/#site","name":"The Example Post"}},
 {{"@type":"NewsArticle","headline":"{title}","datePublished":"2025-12-25T08:00:00+00:00",
   "dateModified":"{modified}","author":{{"@id":"https://post.example/#jane"}}}},
 {{"@type":"Person","@id":"https://post.example/#jane","name":"Jane Arnold"}}]}}</script>
<script type="application/ld+json">{{"@type":"NewsArticle","datePublished": broken</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1>
<p class="byline">By Jane ArnoldDecember 25, 2025</p>
<p>The storm killed {toll} people in the coastal towns, the civil protection agency said on Thursday evening.</p>
<p>Rescue teams were still searching for survivors in the flooded districts north of the harbour.</p>
<p>The government declared three days of national mourning and promised help for the families.</p>
</article>
<aside class="related"><ul><li><time datetime="2001-01-01">old</time> Another story</li></ul></aside>
</body></html>"#
    )
}

fn add_page(ws: &Workspace, name: &str, html: &str, at: &str) {
    std::fs::write(ws.path(name), html).unwrap();
    ws.add(&["--key", "storm", "--at", at, s(&ws.path(name))]);
}

#[test]
fn show_and_log_carry_title_byline_published_and_modified() {
    let ws = Workspace::new();
    add_page(
        &ws,
        "v1.html",
        &page("Storm kills 12", 12, "2025-12-25T09:00:00+00:00"),
        "2025-12-25T10:00:00Z",
    );
    add_page(
        &ws,
        "v2.html",
        &page("Storm toll rises to 15", 15, "2025-12-25T11:41:00+00:00"),
        "2025-12-25T12:00:00Z",
    );
    let shown = ws.json(&["show", "--format", "json", "storm"]);
    assert_eq!(shown["title"], "Storm toll rises to 15");
    assert_eq!(shown["byline"], "Jane Arnold");
    assert_eq!(shown["published"], "2025-12-25T08:00:00+00:00");
    assert_eq!(shown["modified"], "2025-12-25T11:41:00+00:00");
    let v1 = ws.json(&["show", "--format", "json", "storm@1"]);
    assert_eq!(v1["title"], "Storm kills 12");
    assert_eq!(v1["modified"], "2025-12-25T09:00:00+00:00");

    let log = ws.json(&["log", "--format", "json", "storm"]);
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 2);
    for (entry, title, modified) in [
        (&log[0], "Storm kills 12", "2025-12-25T09:00:00+00:00"),
        (
            &log[1],
            "Storm toll rises to 15",
            "2025-12-25T11:41:00+00:00",
        ),
    ] {
        assert_eq!(entry["title"], title, "{entry}");
        assert_eq!(entry["byline"], "Jane Arnold", "{entry}");
        assert_eq!(entry["published"], "2025-12-25T08:00:00+00:00", "{entry}");
        assert_eq!(entry["modified"], modified, "{entry}");
    }
    let (code, out, err) = ws.run(&["log", "storm"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "“Storm kills 12” · by Jane Arnold · published 2025-12-25T08:00:00+00:00 · updated 2025-12-25T09:00:00+00:00"
        ),
        "{out}"
    );
    assert!(
        out.contains("headline changed, was “Storm kills 12”"),
        "{out}"
    );
}

#[test]
fn a_changed_headline_is_a_change_in_every_diff_format() {
    let ws = Workspace::new();
    add_page(
        &ws,
        "v1.html",
        &page("Storm kills 12", 12, "2025-12-25T09:00:00+00:00"),
        "2025-12-25T10:00:00Z",
    );
    add_page(
        &ws,
        "v2.html",
        &page("Storm toll rises to 15", 15, "2025-12-25T11:41:00+00:00"),
        "2025-12-25T12:00:00Z",
    );
    let (code, out, _) = ws.run(&["diff", "--format", "json", "storm"]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&out).unwrap();
    let t = &report["title_change"];
    assert_eq!(t["from"], "Storm kills 12", "{report}");
    assert_eq!(t["to"], "Storm toll rises to 15");
    assert_eq!(t["orthographic_only"], false);
    let words: Vec<(&str, &str)> = t["words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["op"].as_str().unwrap(), w["text"].as_str().unwrap()))
        .collect();
    assert!(words.contains(&("equal", "Storm ")), "{words:?}");
    assert!(words.iter().any(|(op, _)| *op == "insert"), "{words:?}");
    // The contract's fields are still there.
    for field in ["mode", "from", "to", "sentences", "claims"] {
        assert!(report.get(field).is_some(), "{field}");
    }

    let (code, out, _) = ws.run(&["diff", "storm"]);
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "headline changed:\n    was: Storm kills 12\n    now: Storm toll rises to 15\n"
        ),
        "{out}"
    );
    let (code, out, _) = ws.run(&["diff", "--format", "html", "storm"]);
    assert_eq!(code, 1);
    assert!(out.contains("Headline changed"), "{out}");
    assert!(
        out.contains("<del><bdi>Storm kills 12</bdi></del>"),
        "{out}"
    );

    // A re-scrape whose headline is the same (only the body changed): no
    // title_change, and none between two different articles.
    add_page(
        &ws,
        "v3.html",
        &page("Storm toll rises to 15", 16, "2025-12-25T12:41:00+00:00"),
        "2025-12-25T13:00:00Z",
    );
    let report = ws.json_any(&["diff", "--format", "json", "storm"]);
    assert!(report.get("title_change").is_none(), "{report}");
    std::fs::write(ws.path("other.txt"), "The storm killed 15 people.\n").unwrap();
    ws.add(&[s(&ws.path("other.txt"))]);
    let report = ws.json_any(&["diff", "--format", "json", "storm", "other"]);
    assert!(report.get("title_change").is_none(), "{report}");
}

#[test]
fn add_takes_select_and_ignore_selector() {
    let ws = Workspace::new();
    let html = r#"<html><head><title>Budget approved | Daily</title></head><body>
<nav><a href="/">Home</a></nav>
<div class="story"><h1>Budget approved</h1>
<p>The council voted 7-2 to approve the budget on Tuesday evening after a long debate.</p>
<div class="views">Views: 4711</div>
<p>Spending on transport rises by 12 percent, the largest increase in a decade.</p></div>
<div class="promo"><p>Most read today: a long list of other stories that the automatic extraction
keeps because it is long and full of commas, commas, commas, and words, words, words.</p></div>
</body></html>"#;
    std::fs::write(ws.path("budget.html"), html).unwrap();
    let path = ws.path("budget.html");
    let file = s(&path);
    ws.add(&[
        "--select",
        "div.story",
        "--ignore-selector",
        ".views",
        "--ignore-selector",
        "nav, .ad",
        file,
    ]);
    let (_, text, _) = ws.run(&["show", "budget"]);
    assert_eq!(
        text,
        "Budget approved\n\n\
         The council voted 7-2 to approve the budget on Tuesday evening after a long debate.\n\n\
         Spending on transport rises by 12 percent, the largest increase in a decade.\n"
    );

    // Matching nothing: the page is still taken, automatically, and a warning says so.
    let (code, out, err) = ws.run(&["add", "--key", "auto", "--select", "#story-body", file]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("new article auto (v1)"), "{out}");
    assert!(
        err.contains("select \"#story-body\" matched nothing on this page; the article was extracted automatically"),
        "{err}"
    );
    let (_, text, _) = ws.run(&["show", "auto"]);
    assert!(text.contains("council voted"), "{text}");

    // An invalid selector: one line naming it, exit 2, nothing read.
    for (flag, bad) in [("--select", "div["), ("--ignore-selector", "p >")] {
        let (code, out, err) = ws.run(&["add", "--key", "bad", flag, bad, file]);
        assert_eq!(code, 2, "{err}");
        assert!(out.is_empty(), "{out}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with(&format!("error: {flag}: invalid CSS selector {bad:?} (")),
            "{err}"
        );
    }
    assert!(ws.run(&["show", "bad"]).0 == 2);
}
