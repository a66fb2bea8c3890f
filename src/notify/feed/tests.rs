use super::*;
use crate::compare::{align_texts, compare_aligned, unstored};

const BEFORE: &str = "قال وزير الداخلية إن 9 أشخاص أصيبوا في الحادث الذي وقع صباح اليوم في وسط العاصمة.\n\n\
    وأضاف المتحدث باسم الوزارة أن التحقيق مستمر منذ ثلاثة أيام.\n";
const AFTER: &str = "قال وزير الداخلية إن 11 شخصاً أصيبوا في الحادث الذي وقع صباح اليوم في وسط العاصمة.\n\n\
    وأضاف المتحدث باسم الوزارة أن التحقيق مستمر منذ ثلاثة أيام.\n";

/// An entry for the change `before` → `after` of article `k`, as the
/// store would give it.
fn entry(before: &str, after: &str, titles: [&str; 2], url: Option<&str>) -> FeedEntry {
    let side = |version: i64, text: &str, title: &str| VersionText {
        title: Some(title.to_string()),
        url: url.map(str::to_string),
        lang: Some("ar".into()),
        dir: Some("rtl".into()),
        ..unstored("k", version, text)
    };
    let pair = Pair {
        mode: Mode::Versions,
        from: side(1, before, titles[0]),
        to: side(2, after, titles[1]),
        revert: false,
    };
    let report = compare_aligned(
        &pair,
        &align_texts(before, after, Mode::Versions),
        &CompareOptions::default(),
    );
    FeedEntry {
        change: Change {
            at: "2025-12-27T10:00:00Z".into(),
            kind: "new".into(),
            key: "k".into(),
            url: url.map(str::to_string),
            version: 2,
            previous: Some(1),
            title: Some(titles[1].to_string()),
            source: None,
            edit: Some(Edit::Text),
        },
        kind: EventKind::NewVersion,
        summary: summary("k", EventKind::NewVersion, 2, Some(1), Some(&report.counts)),
        version: pair.to.clone(),
        report: Some(report),
    }
}

fn document(entries: &[FeedEntry]) -> String {
    render(
        entries,
        &head(entries, &FeedOptions::new(Scope::Key("k".into()))),
    )
}

#[test]
fn an_arabic_number_edit_shows_both_numbers_isolated_right_to_left() {
    let e = entry(
        BEFORE,
        AFTER,
        ["حادث في العاصمة", "حادث مروع في العاصمة"],
        Some("https://example.org/story"),
    );
    let html = content_html(&e);
    assert!(html.starts_with("<div dir=\"rtl\" lang=\"ar\">"), "{html}");
    // The claim change, old value first in a left-to-right list, each value isolated.
    assert!(
        html.contains(
            "quantity update: <del><bdi dir=\"auto\">9 أشخاص</bdi></del> → <ins><bdi dir=\"auto\">11 شخصاً</bdi></ins>"
        ),
        "{html}"
    );
    assert!(html.contains("<ul dir=\"ltr\">"), "{html}");
    // The headline change, and the word diff in the article's direction.
    assert!(
        html.contains("Headline changed:</strong> <del><bdi dir=\"auto\">حادث في العاصمة</bdi></del> → <ins><bdi dir=\"auto\">حادث مروع في العاصمة</bdi></ins>"),
        "{html}"
    );
    assert!(
        html.contains("<p dir=\"rtl\">قال وزير الداخلية إن <del>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"https://example.org/story\">"),
        "{html}"
    );

    let xml = document(&[e]);
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("a feed");
    assert_eq!(feed.entries.len(), 1);
    let entry = &feed.entries[0];
    assert!(entry.id.starts_with("urn:uuid:"), "{}", entry.id);
    assert_eq!(
        entry.title.as_ref().unwrap().content,
        "حادث مروع في العاصمة — v2"
    );
    assert_eq!(entry.links[0].href, "https://example.org/story");
    // The content reads back as the HTML written.
    assert_eq!(
        entry.content.as_ref().unwrap().body.as_deref(),
        Some(html.as_str())
    );
}

#[test]
fn hostile_text_cannot_break_the_feed_or_reorder_it() {
    let hostile = |word: &str| {
        format!(
            "نص {word} ]]> <script>alert(1)</script> \u{1}\u{1b}[2J\u{9b}\u{7f} \u{202e}\u{2066}مقلوب\u{2069}\u{202c} \u{fffe} <img src=x onerror=alert(2)> آخر."
        )
    };
    let before = format!("{BEFORE}\n{}\n", hostile("قديم"));
    let after = format!("{AFTER}\n{}\n", hostile("جديد"));
    let mut e = entry(
        &before,
        &after,
        ["<b>t</b>\u{202e}", "<script>x</script>\u{1b}]0;title\u{7}"],
        Some("javascript:alert(1)"),
    );
    e.version.byline = Some("<i>x</i>\u{202e}".into());
    let xml = document(&[e]);
    let forbidden = |c: char| {
        crate::text::visible::is_bidi_control(c)
            || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            || c == '\u{fffe}'
    };
    assert!(!xml.contains(forbidden), "{xml}");
    assert!(!xml.contains("<script") && !xml.contains("<img"), "{xml}");
    assert!(!xml.contains("]]>"), "{xml}");
    assert!(!xml.contains("<link") && !xml.contains("javascript:alert(1)\""));
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("a feed");
    let body = feed.entries[0]
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap();
    // Once the XML is read, the HTML holds the page's markup as text.
    assert!(
        !body.contains("<script") && !body.contains("<img"),
        "{body}"
    );
    assert!(
        body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{body}"
    );
    assert!(
        body.contains("\\u{202e}") && body.contains("\\x1b[2J"),
        "{body}"
    );
    assert!(!body.contains(forbidden), "{body}");
    // The address is text, not a link.
    assert!(!body.contains("href"), "{body}");
    assert!(body.contains("javascript:alert(1)"), "{body}");
}

#[test]
fn only_web_addresses_become_links() {
    assert!(is_web_link("http://127.0.0.1:8080/a"));
    assert!(is_web_link(" https://x.org/?a=1&b=\"2\" "));
    for url in [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,<script>x</script>",
        "file:///etc/passwd",
        "/relative",
        "mailto:a@x.org",
        "http://",
    ] {
        assert!(!is_web_link(url), "{url}");
    }
    let e = entry(
        BEFORE,
        AFTER,
        ["a", "b"],
        Some("https://x.org/?a=1&b=\"2\""),
    );
    let xml = document(&[e]);
    assert!(
        xml.contains("href=\"https://x.org/?a=1&amp;b=&quot;2&quot;\""),
        "{xml}"
    );
}

#[test]
fn ids_are_name_based_uuids() {
    let id = uuid_urn(&["entry", "k", "2", "2025-12-27T10:00:00Z"]);
    assert_eq!(id, uuid_urn(&["entry", "k", "2", "2025-12-27T10:00:00Z"]));
    assert_ne!(id, uuid_urn(&["entry", "k", "2", "2025-12-28T10:00:00Z"]));
    // Parts are length-prefixed: no two splits of one string collide.
    assert_ne!(uuid_urn(&["ab", "c"]), uuid_urn(&["a", "bc"]));
    let hex = id.strip_prefix("urn:uuid:").unwrap();
    let groups: Vec<usize> = hex.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12]);
    assert!(hex.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    assert_eq!(&hex[14..15], "8", "version 8");
    assert!(matches!(&hex[19..20], "8" | "9" | "a" | "b"), "RFC variant");
}

#[test]
fn a_long_change_is_cut_to_the_content_limit() {
    let sentence =
        |i: usize, n: usize| format!("قال المتحدث إن {n} شخصاً أصيبوا في الحادث رقم {i} اليوم.");
    let before: String = (0..800).map(|i| sentence(i, 5) + "\n\n").collect();
    let after: String = (0..800).map(|i| sentence(i, 7) + "\n\n").collect();
    let e = entry(&before, &after, ["t", "t"], None);
    let html = content_html(&e);
    assert!(html.len() <= MAX_CONTENT + 2048, "{}", html.len());
    assert!(html.contains("more changed sentences"), "{html}");
    assert!(html.contains("… and "), "claims are capped too");
    // Without a URL the key is shown.
    assert!(html.contains("Key: <bdi dir=\"auto\">k</bdi>"), "{html}");
    // A long unchanged run keeps only the words around the change.
    let long = format!("{} 5 {}", "أ ".repeat(500), "ب ".repeat(500));
    let words = vec![
        WordChange {
            op: WordOp::Equal,
            text: long.clone(),
        },
        WordChange {
            op: WordOp::Delete,
            text: "5".into(),
        },
        WordChange {
            op: WordOp::Insert,
            text: "7".into(),
        },
        WordChange {
            op: WordOp::Equal,
            text: long,
        },
    ];
    let row = words_html(&words);
    assert!(row.chars().count() < 2 * EQUAL_KEPT + 200, "{row}");
    assert!(row.starts_with('…') && row.ends_with('…'), "{row}");
}

#[test]
fn xml_escapes_markup_and_drops_what_xml_forbids() {
    assert_eq!(
        xml("a<b>&\"c'\u{0}\u{8}\u{b}\u{c}\u{1f}\u{fffe}\u{ffff}\t\n"),
        "a&lt;b&gt;&amp;&quot;c&apos;\t\n"
    );
    assert_eq!(xml_line("x\u{1b}[2J\u{202e}"), "x\\x1b[2J\\u{202e}");
    assert_eq!(rfc3339("2025-12-27T12:00:00+02:00"), "2025-12-27T10:00:00Z");
    assert!(is_language_tag("ar") && is_language_tag("en-GB"));
    assert!(!is_language_tag("ar\" onload=\"x") && !is_language_tag(""));
}

#[test]
fn a_moved_sentence_is_shown_once_not_deleted_and_inserted() {
    let a = "الجملة الأولى عن الحادث في العاصمة اليوم.";
    let b = "الجملة الثانية عن التحقيق الذي بدأ أمس.";
    let c = "الجملة الثالثة عن فرق الإنقاذ في المكان.";
    let e = entry(
        &format!("{a}\n\n{b}\n\n{c}\n"),
        &format!("{c}\n\n{a}\n\n{b}\n"),
        ["t", "t"],
        None,
    );
    let html = content_html(&e);
    assert!(html.contains("(moved)"), "{html}");
    assert!(!html.contains("<del>") && !html.contains("<ins>"), "{html}");
}
