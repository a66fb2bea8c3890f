//! `track feed`: the Atom feed of every article, of one source (`--source`)
//! and of one article (`--key`), read back with a real Atom parser
//! (feed-rs) and checked well-formed XML 1.0 (quick-xml, strictly), against
//! pages served on 127.0.0.1.

use std::collections::HashSet;

use quick_xml::events::Event as Xml;

use crate::common::*;
use crate::serve::Served;
use crate::watch::{PARAS, Server, article, page, url_source, write_sources};

/// Whether `c` may appear in an XML 1.0 document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
        || ('\u{20}'..='\u{d7ff}').contains(&c)
        || ('\u{e000}'..='\u{fffd}').contains(&c)
        || c >= '\u{10000}'
}

/// Bidi embedding, override and isolate controls.
fn bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Check that `xml` is one well-formed XML 1.0 element (after an optional
/// declaration): only XML characters, matching tags, attribute values and
/// references that resolve, no `]]>` or `<` where XML forbids them. Returns
/// every element's name and its attributes' names, in document order.
fn well_formed(xml: &str) -> Result<Vec<(String, Vec<String>)>, String> {
    if let Some(c) = xml.chars().find(|&c| !xml_char(c)) {
        return Err(format!("character {c:?} is not allowed in XML 1.0"));
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    reader.config_mut().check_comments = true;
    let (mut depth, mut roots) = (0usize, 0usize);
    let mut elements = Vec::new();
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("{e} at byte {at}"))?;
        let mut start = |e: &quick_xml::events::BytesStart<'_>| -> Result<(), String> {
            if depth == 0 {
                roots += 1;
            }
            if e.attributes_raw().contains('<') {
                return Err(format!("'<' in an attribute value at byte {at}"));
            }
            let mut names = Vec::new();
            for a in e.attributes().with_checks(true) {
                let a = a.map_err(|e| format!("{e} at byte {at}"))?;
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|e| format!("{e} at byte {at}"))?;
                names.push(a.key.as_ref().to_string());
            }
            elements.push((e.name().as_ref().to_string(), names));
            Ok(())
        };
        match event {
            Xml::Start(e) => {
                start(&e)?;
                depth += 1;
            }
            Xml::Empty(e) => start(&e)?,
            Xml::End(_) => depth -= 1,
            Xml::Text(t) => {
                if t.contains("]]>") {
                    return Err(format!("]]> in text at byte {at}"));
                }
                if depth == 0 && !t.trim().is_empty() {
                    return Err(format!("text outside the root at byte {at}"));
                }
            }
            Xml::GeneralRef(r) => {
                if r.is_char_ref() {
                    let c = r
                        .resolve_char_ref()
                        .map_err(|e| format!("{e} at byte {at}"))?;
                    if !c.is_some_and(xml_char) {
                        return Err(format!("bad character reference at byte {at}"));
                    }
                } else if !matches!(&*r, "amp" | "lt" | "gt" | "quot" | "apos") {
                    return Err(format!("undefined entity &{}; at byte {at}", &*r));
                }
            }
            Xml::Decl(_) | Xml::Comment(_) | Xml::CData(_) => {}
            Xml::PI(_) | Xml::DocType(_) => return Err(format!("unexpected markup at byte {at}")),
            Xml::Eof => break,
        }
    }
    if depth != 0 || roots != 1 {
        return Err(format!("{roots} root elements, {depth} left open"));
    }
    Ok(elements)
}

/// Read a feed: well-formed, parsed by feed-rs, every element Atom wants
/// present (feed id, title, updated; entry id, title, updated, link,
/// content).
fn atom(xml: &str) -> feed_rs::model::Feed {
    well_formed(xml).unwrap_or_else(|e| panic!("not well-formed: {e}\n{xml}"));
    let feed =
        feed_rs::parser::parse(xml.as_bytes()).unwrap_or_else(|e| panic!("not a feed: {e}\n{xml}"));
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert!(feed.id.starts_with("urn:"), "{}", feed.id);
    assert!(feed.title.is_some() && feed.updated.is_some(), "{xml}");
    assert!(xml.contains("<author><name>track</name></author>"), "{xml}");
    for (e, raw) in feed.entries.iter().zip(xml.split("<entry>").skip(1)) {
        for element in ["<id>", "<title>", "<updated>", "<content type=\"html\">"] {
            assert!(raw.contains(element), "{element} missing: {raw}");
        }
        assert!(e.id.starts_with("urn:uuid:"), "{}", e.id);
        assert!(e.title.is_some() && e.updated.is_some(), "{raw}");
        assert!(
            e.content.as_ref().and_then(|c| c.body.as_ref()).is_some(),
            "{raw}"
        );
    }
    assert_eq!(feed.entries.len(), xml.matches("<entry>").count());
    feed
}

fn body(e: &feed_rs::model::Entry) -> String {
    e.content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap_or_default()
}

fn links(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| e.links.first().map(|l| l.href.clone()).unwrap_or_default())
        .collect()
}

fn ids(feed: &feed_rs::model::Feed) -> HashSet<String> {
    feed.entries.iter().map(|e| e.id.clone()).collect()
}

fn run_feed(ws: &Workspace, args: &[&str]) -> feed_rs::model::Feed {
    let (code, xml, err) = ws.run(&[&["feed"], args].concat());
    assert_eq!(code, 0, "feed {args:?}: {err}");
    atom(&xml)
}

/// PARAS with the injured counted `n`.
fn paras_with(n: &str) -> Vec<String> {
    let mut paras: Vec<String> = PARAS.iter().map(|p| p.to_string()).collect();
    paras[0] =
        format!("قال وزير الداخلية إن {n} أصيبوا في الحادث الذي وقع صباح اليوم في وسط العاصمة.");
    paras
}

fn page_of(title: &str, paras: &[String]) -> String {
    let refs: Vec<&str> = paras.iter().map(String::as_str).collect();
    article(title, &refs)
}

#[test]
fn entries_validate_as_atom_and_carry_the_claim_and_headline_changes() {
    let server = Server::start();
    server.set(
        "/story",
        page(page_of("حادث في العاصمة", &paras_with("9 أشخاص"))),
    );
    let ws = Workspace::new();
    let config = write_sources(&ws, &url_source("story", &server.url("/story"), ""));
    assert_eq!(ws.run(&["check", "--config", &config]).0, 0);
    server.set(
        "/story",
        page(page_of("حادث مروع في العاصمة", &paras_with("11 شخصاً"))),
    );
    let (code, _, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");

    let (code, xml, err) = ws.run(&["feed", "--key", &server.url("/story")]);
    assert_eq!(code, 0, "{err}");
    let feed = atom(&xml);
    assert_eq!(feed.entries.len(), 2, "the new article and its edit: {xml}");
    assert_eq!(
        feed.title.as_ref().unwrap().content,
        "track: changes to حادث مروع في العاصمة"
    );
    let edit = &feed.entries[0];
    assert_eq!(
        edit.title.as_ref().unwrap().content,
        "حادث مروع في العاصمة — v2"
    );
    assert_eq!(edit.links[0].href, server.url("/story"));
    assert_eq!(
        feed.updated, edit.updated,
        "the feed is as new as its newest entry"
    );
    let html = body(edit);
    // The claim change, both numbers, the old one first, each isolated.
    assert!(
        html.contains(
            "quantity update: <del><bdi dir=\"auto\">9 أشخاص</bdi></del> → <ins><bdi dir=\"auto\">11 شخصاً</bdi></ins>"
        ),
        "{html}"
    );
    // The headline change.
    assert!(
        html.contains("Headline changed:</strong> <del><bdi dir=\"auto\">حادث في العاصمة</bdi></del> → <ins><bdi dir=\"auto\">حادث مروع في العاصمة</bdi></ins>"),
        "{html}"
    );
    assert!(
        edit.summary
            .as_ref()
            .unwrap()
            .content
            .contains("headline changed")
    );
    // The article right to left, the word diff's changes isolated.
    assert!(html.starts_with("<div dir=\"rtl\" lang=\"ar\">"), "{html}");
    assert!(
        html.contains("<p dir=\"rtl\">قال وزير الداخلية إن <del><bdi dir=\"auto\">9 أشخاص</bdi></del><ins><bdi dir=\"auto\">11 شخصاً</bdi></ins> أصيبوا"),
        "{html}"
    );
    // The new article's entry begins the text.
    let first = &feed.entries[1];
    assert!(body(first).contains("New article (v1)."), "{}", body(first));
    assert!(body(first).contains("9 أشخاص"), "{}", body(first));

    // The feed of everything has the same entries (same ids); -o writes the
    // same document.
    let global = run_feed(&ws, &[]);
    assert_eq!(ids(&global), ids(&feed));
    assert_eq!(global.id, "urn:track:changes");
    let path = ws.path("feed.xml");
    let (code, out, err) = ws.run(&["feed", "--key", &server.url("/story"), "-o", s(&path)]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), xml);
}

#[test]
fn a_source_feed_holds_only_its_sources_articles_and_an_article_feed_only_its_article() {
    let server = Server::start();
    server.set(
        "/ministry/story",
        page(page_of("بيان الوزارة", &paras_with("9 أشخاص"))),
    );
    let agency = |i: usize| server.url(&format!("/agency/{i}"));
    for i in 1..=2 {
        server.set(
            &format!("/agency/{i}"),
            page(page_of(
                &format!("خبر الوكالة {i}"),
                &paras_with(&format!("{i}0 أشخاص")),
            )),
        );
    }
    server.set("/agency/rss", {
        let items: String = (1..=2)
            .map(|i| format!("<item><title>خبر {i}</title><link>{}</link></item>", agency(i)))
            .collect();
        let mut r = page(format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>{items}</channel></rss>"
        ));
        r.content_type = "application/rss+xml".into();
        r
    });
    let ws = Workspace::new();
    let config = write_sources(
        &ws,
        &format!(
            "{}[[source]]\nname = \"agency\"\nfeed = \"{}\"\nevery = \"15m\"\n",
            url_source("ministry", &server.url("/ministry/story"), ""),
            server.url("/agency/rss")
        ),
    );
    let (code, _, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    // Edits in both sources.
    server.set(
        "/ministry/story",
        page(page_of("بيان الوزارة", &paras_with("12 شخصاً"))),
    );
    server.set(
        "/agency/1",
        page(page_of("خبر الوكالة 1", &paras_with("15 شخصاً"))),
    );
    let (code, _, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(ws.versions().len(), 3);

    let ministry = run_feed(&ws, &["--source", "ministry"]);
    assert_eq!(
        links(&ministry),
        vec![server.url("/ministry/story"); 2],
        "the story's edit and its first version"
    );
    assert_eq!(
        ministry.title.as_ref().unwrap().content,
        "track: changes in ministry"
    );
    assert!(body(&ministry.entries[0]).contains("12 شخصاً"));

    let agency_feed = run_feed(&ws, &["--source", "agency"]);
    let mut got = links(&agency_feed);
    got.sort();
    assert_eq!(got, vec![agency(1), agency(1), agency(2)]);
    assert!(body(&agency_feed.entries[0]).contains("15 شخصاً"));

    let one = run_feed(&ws, &["--key", &agency(1)]);
    assert_eq!(links(&one), vec![agency(1); 2]);

    // The global feed holds them all, with the same entry ids; each feed has its own id.
    let global = run_feed(&ws, &[]);
    assert_eq!(global.entries.len(), 5);
    let all = ids(&global);
    for part in [&ministry, &agency_feed, &one] {
        assert!(ids(part).is_subset(&all));
    }
    let feed_ids: HashSet<&str> = [&global, &ministry, &agency_feed, &one]
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(feed_ids.len(), 4);
    assert_eq!(ids(&ministry).intersection(&ids(&agency_feed)).count(), 0);

    // Unknown names and keys, and both at once, are refused.
    let (code, out, err) = ws.run(&["feed", "--source", "nope"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("no source \"nope\""), "{err}");
    let (code, _, err) = ws.run(&["feed", "--key", "nope"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nope"), "{err}");
    let (code, _, _) = ws.run(&["feed", "--source", "agency", "--key", &agency(1)]);
    assert_eq!(code, 2);

    // `track serve` gives the same feeds over HTTP.
    let served = Served::start(&ws, &[]);
    for (query, cli) in [
        ("source=ministry", &ministry),
        ("source=agency", &agency_feed),
    ] {
        let reply = served.get(&format!("/feed?{query}"));
        assert_eq!(reply.status, 200, "{query}: {}", reply.body);
        assert!(
            reply
                .header("content-type")
                .unwrap()
                .starts_with("application/atom+xml")
        );
        let over_http = atom(&reply.body);
        assert_eq!(ids(&over_http), ids(cli), "{query}");
        assert_eq!(over_http.id, cli.id, "{query}");
        let mut got = links(&over_http);
        let mut want = links(cli);
        got.sort();
        want.sort();
        assert_eq!(got, want, "{query}");
    }
    assert_eq!(served.get("/feed?source=nope").status, 404);
}

#[test]
fn a_hostile_page_gives_a_well_formed_feed_without_live_markup_or_bidi_overrides() {
    // Page text with a CDATA end, markup as text, a script element, control
    // characters and bidi overrides, in the headline too.
    let hostile = |n: &str| {
        format!(
            "<!doctype html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\">\
             <title>عنوان &lt;script&gt;alert(1)&lt;/script&gt; \u{202e}مقلوب\u{202c} ]]&gt;</title></head><body><article>\
             <h1>عنوان &lt;script&gt;alert(1)&lt;/script&gt; \u{202e}مقلوب\u{202c} ]]&gt;</h1>\
             <p>قال وزير الداخلية إن {n} أصيبوا في الحادث ]]&gt; &lt;script&gt;alert(2)&lt;/script&gt; \
             &lt;img src=x onerror=alert(3)&gt; \u{1}\u{1b}[2J\u{7f}\u{9b} \u{202e}\u{2066}مقلوب\u{2069}\u{202c} نهاية.</p>\
             <script>document.title = 'x'</script>\
             <p>{}</p><p>{}</p><p>{}</p></article></body></html>",
            PARAS[1], PARAS[2], PARAS[3]
        )
    };
    let server = Server::start();
    server.set("/story", page(hostile("9 أشخاص")));
    let ws = Workspace::new();
    let config = write_sources(&ws, &url_source("story", &server.url("/story"), ""));
    assert_eq!(ws.run(&["check", "--config", &config]).0, 0);
    server.set("/story", page(hostile("11 شخصاً")));
    let (code, _, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(ws.versions()[0].1, 2, "the edit is a new version");

    let (code, xml, err) = ws.run(&["feed", "--source", "story"]);
    assert_eq!(code, 0, "{err}");
    let feed = atom(&xml);
    assert_eq!(feed.entries.len(), 2, "{xml}");
    assert!(!xml.contains(bidi_control), "{xml}");
    assert!(!xml.contains("]]>"), "{xml}");
    for e in &feed.entries {
        let title = &e.title.as_ref().unwrap().content;
        assert!(!title.contains(bidi_control), "{title}");
        assert!(!title.contains(|c: char| c.is_control()), "{title}");
        let html = body(e);
        assert!(!html.contains(bidi_control), "{html}");
        assert!(
            !html.contains(|c: char| c.is_control() && c != '\n' && c != '\t'),
            "{html}"
        );
        // The page's markup is text: the content's own HTML is a few
        // harmless elements, well-formed, with no attribute but these.
        let lower = html.to_lowercase();
        assert!(
            !lower.contains("<script") && !lower.contains("<img"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;alert("), "{html}");
        let elements = well_formed(&format!("<root>{html}</root>"))
            .unwrap_or_else(|e| panic!("content not well-formed: {e}\n{html}"));
        for (name, attributes) in elements {
            assert!(
                [
                    "root", "div", "p", "strong", "ul", "li", "del", "ins", "bdi", "small", "a",
                    "code"
                ]
                .contains(&name.as_str()),
                "<{name}> in {html}"
            );
            assert!(
                attributes
                    .iter()
                    .all(|a| ["dir", "lang", "href"].contains(&a.as_str())),
                "{attributes:?} in {html}"
            );
        }
    }
    let edit = body(&feed.entries[0]);
    assert!(
        edit.contains("<del><bdi dir=\"auto\">9 أشخاص</bdi></del>")
            && edit.contains("<ins><bdi dir=\"auto\">11 شخصاً</bdi></ins>"),
        "{edit}"
    );
    // Controls and overrides are shown as escapes, as in every human output.
    assert!(edit.contains("\\u{202e}"), "{edit}");
}

#[test]
fn entries_are_capped_reverts_are_entries_and_old_articles_stay_in_their_feed() {
    let ws = Workspace::new();
    let file = ws.path("story.txt");
    let texts = [
        paras_with("9 أشخاص").join("\n\n"),
        paras_with("11 شخصاً").join("\n\n"),
        paras_with("13 شخصاً").join("\n\n"),
    ];
    for text in [&texts[0], &texts[1], &texts[2], &texts[0]] {
        std::fs::write(&file, text).unwrap();
        ws.add(&["--key", "story", s(&file)]);
    }
    // An article last seen long ago.
    std::fs::write(&file, &texts[1]).unwrap();
    ws.add(&["--key", "old", "--at", "2020-01-01T00:00:00Z", s(&file)]);

    let feed = run_feed(&ws, &["--key", "story"]);
    let kinds: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.categories[0].term.clone())
        .collect();
    assert_eq!(
        kinds,
        ["revert", "new_version", "new_version", "new_article"],
        "newest first"
    );
    assert_eq!(ids(&feed).len(), 4, "a revert to v1 is an entry of its own");
    assert!(
        body(&feed.entries[0]).contains("Reverted: from v3 back to the text of v1."),
        "{}",
        body(&feed.entries[0])
    );
    // Without a URL: no link, the key in the content.
    assert!(feed.entries[0].links.is_empty());
    assert!(body(&feed.entries[0]).contains("Key: <bdi dir=\"auto\">story</bdi>"));

    let capped = run_feed(&ws, &["--key", "story", "--limit", "2"]);
    let capped_ids: Vec<&String> = capped.entries.iter().map(|e| &e.id).collect();
    let newest: Vec<&String> = feed.entries.iter().take(2).map(|e| &e.id).collect();
    assert_eq!(capped_ids, newest);
    for bad in ["0", "1001", "x"] {
        assert_eq!(ws.run(&["feed", "--limit", bad]).0, 2, "--limit {bad}");
    }

    // The feed of everything keeps to the last week unless told; one
    // article's feed shows its changes however old.
    let global = run_feed(&ws, &[]);
    assert_eq!(global.entries.len(), 4);
    assert_eq!(run_feed(&ws, &["--since", "100000d"]).entries.len(), 5);
    assert_eq!(run_feed(&ws, &["--key", "old"]).entries.len(), 1);
    assert_eq!(
        run_feed(&ws, &["--key", "old", "--since", "1d"])
            .entries
            .len(),
        0
    );
    let titled = run_feed(&ws, &["--title", "<mine> & \u{202e}"]);
    assert_eq!(titled.title.as_ref().unwrap().content, "<mine> & \\u{202e}");
}
