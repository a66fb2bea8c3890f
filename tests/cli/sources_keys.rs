//! Keys from file names, overlapping sources, and versions that change only
//! spelling or sentence order (issue 11, points 5, 7 and 8).

use std::collections::HashMap;
use std::fs;
use std::sync::{Arc, Mutex};

use serde_json::Value;

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

// ---- A tiny HTTP server (127.0.0.1, port 0), routes fixed per test ----

struct Server {
    port: u16,
    routes: Arc<Mutex<HashMap<String, String>>>,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

impl Server {
    fn start() -> Server {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
        let port = server.server_addr().to_ip().expect("ip").port();
        let routes: Arc<Mutex<HashMap<String, String>>> = Arc::default();
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let (r, h) = (Arc::clone(&routes), Arc::clone(&hits));
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let path = request.url().to_string();
                *h.lock().unwrap().entry(path.clone()).or_default() += 1;
                let body = r.lock().unwrap().get(&path).cloned();
                let _ = match body {
                    None => request.respond(tiny_http::Response::empty(404)),
                    Some(body) => request.respond(
                        tiny_http::Response::from_string(body).with_header(
                            tiny_http::Header::from_bytes(
                                &b"Content-Type"[..],
                                &b"text/html; charset=utf-8"[..],
                            )
                            .unwrap(),
                        ),
                    ),
                };
            }
        });
        Server { port, routes, hits }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn set(&self, path: &str, body: String) {
        self.routes.lock().unwrap().insert(path.to_string(), body);
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

fn page(paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!doctype html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>رسالة كيم</title></head>\
         <body><article><h1>رسالة كيم</h1>\n{body}</article></body></html>"
    )
}

const PARAS: [&str; 5] = [
    "قال الرئيس جونج إن الاجتماع مع الوفد الكوري كان مثمراً وبناءً للغاية.",
    "وأضاف المتحدث باسم الرئاسة أن المحادثات ستستمر غداً في العاصمة سيول.",
    "وأشار إلى أن الطرفين اتفقا على تشكيل لجنة مشتركة لمتابعة الملفات العالقة.",
    "وذكرت وكالة الأنباء الرسمية أن الرسالة سلمت إلى السفير يوم الثلاثاء الماضي.",
    "ودعت المعارضة الحكومة إلى نشر نص الرسالة كاملاً أمام الرأي العام.",
];

fn section(links: &[String]) -> String {
    let a: String = links
        .iter()
        .map(|l| format!("<a href=\"{l}\">story</a>"))
        .collect();
    format!("<!doctype html><html><body><a href=\"/\">home</a>{a}</body></html>")
}

fn write_sources(ws: &Workspace, text: &str) -> String {
    let path = ws.path("sources.toml");
    fs::write(&path, text).unwrap();
    s(&path).to_string()
}

/// Event lines on standard output.
fn events(out: &str) -> Vec<Value> {
    out.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn article_items(ws: &Workspace, config: &str) -> Vec<Value> {
    ws.json(&["sources", "--config", config, "--format", "json"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "article")
        .cloned()
        .collect()
}

// ---- 7. Overlapping sources ----

#[test]
fn overlap_two_sections_linking_one_article_give_no_false_versions() {
    let server = Server::start();
    // Each source removes a different part of the page: their texts differ.
    let mut paras = PARAS.to_vec();
    paras.push("آخر تحديث: 10:32");
    paras.push("4500 مشاهدة");
    server.set("/news/2025/kim-letter", page(&paras));
    let story = server.url("/news/2025/kim-letter");
    server.set("/world", section(std::slice::from_ref(&story)));
    server.set("/front", section(std::slice::from_ref(&story)));
    let ws = Workspace::new();
    let config = write_sources(
        &ws,
        &format!(
            "[[source]]\nname = \"world\"\nfeed = \"{}\"\nevery = \"1h\"\nignore = ['(?m)^آخر تحديث:.*$']\n\n\
             [[source]]\nname = \"front\"\nfeed = \"{}\"\nevery = \"1h\"\nignore = ['\\d+ مشاهدة']\n",
            server.url("/world"),
            server.url("/front")
        ),
    );
    for _ in 0..3 {
        let (code, out, err) = ws.run(&["check", "--all", "--config", &config]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(events(&out).is_empty(), "no change, no event: {out}");
    }
    // One article, one version: no v2, v3, no "reverted".
    assert_eq!(ws.versions(), vec![(story.clone(), 1)]);
    let changes = ws.json(&["changes", "--format", "json"]);
    assert_eq!(changes.as_array().unwrap().len(), 1, "{changes}");
    // It was fetched twice in the first pass (nothing was known yet), then
    // once a pass.
    assert_eq!(server.hits("/news/2025/kim-letter"), 4);
    // `sources` shows which source has it: one item owns it, the other
    // defers to that item's source.
    let items = article_items(&ws, &config);
    assert_eq!(items.len(), 2, "{items:?}");
    let owner: Vec<&Value> = items.iter().filter(|i| i["owner"].is_null()).collect();
    let deferring: Vec<&Value> = items.iter().filter(|i| !i["owner"].is_null()).collect();
    assert_eq!((owner.len(), deferring.len()), (1, 1), "{items:?}");
    assert_eq!(deferring[0]["owner"], owner[0]["source"]);
    assert!(
        deferring[0]["last_status"]
            .as_str()
            .unwrap()
            .contains(&format!(
                "belongs to source {}",
                owner[0]["source"].as_str().unwrap()
            )),
        "{items:?}"
    );
    let (_, term, _) = ws.run(&["sources", "--config", &config]);
    assert!(
        term.contains("skipped: the article belongs to source"),
        "{term}"
    );
}

#[test]
fn overlap_a_url_source_owns_its_page_over_a_section_linking_it() {
    let server = Server::start();
    let mut paras = PARAS.to_vec();
    paras.push("4500 مشاهدة");
    server.set("/news/2025/kim-letter", page(&paras));
    let story = server.url("/news/2025/kim-letter");
    server.set("/front", section(std::slice::from_ref(&story)));
    let ws = Workspace::new();
    let config = write_sources(
        &ws,
        &format!(
            "[[source]]\nname = \"front\"\nfeed = \"{}\"\nevery = \"1h\"\n\n\
             [[source]]\nname = \"story\"\nurl = \"{story}\"\nevery = \"1h\"\nignore = ['\\d+ مشاهدة']\n",
            server.url("/front"),
        ),
    );
    for views in ["4501 مشاهدة", "4502 مشاهدة"] {
        let (code, out, err) = ws.run(&["check", "--all", "--config", &config]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(events(&out).is_empty(), "{out}");
        *paras.last_mut().unwrap() = views;
        server.set("/news/2025/kim-letter", page(&paras));
    }
    let (code, out, err) = ws.run(&["check", "--all", "--config", &config]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(events(&out).is_empty(), "{out}");
    assert_eq!(ws.versions(), vec![(story.clone(), 1)]);
    // Only the url source fetches it.
    assert_eq!(server.hits("/news/2025/kim-letter"), 3);
    let items = article_items(&ws, &config);
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["owner"], "story", "{items:?}");
}

// ---- 8. Orthographic-only and moved-only versions ----

#[test]
fn minor_edits_are_stored_but_not_listed_or_raised_by_default() {
    let ws = Workspace::new();
    let add = |paras: &[&str], at: &str| {
        fs::write(ws.path("kim.html"), page(paras)).unwrap();
        ws.add(&["--at", at, s(&ws.path("kim.html"))])
    };
    add(&PARAS, "2025-12-25T10:00:00Z");
    // v2: only the spelling of a name.
    let mut spelled = PARAS.to_vec();
    spelled[0] = "قال الرئيس جونغ إن الاجتماع مع الوفد الكوري كان مثمراً وبناءً للغاية.";
    assert!(add(&spelled, "2025-12-25T11:00:00Z").contains("new version v2"));
    // v3: only the order of sentences.
    let mut moved = spelled.clone();
    let last = moved.pop().unwrap();
    moved.insert(1, last);
    assert!(add(&moved, "2025-12-25T12:00:00Z").contains("new version v3"));
    // v4: a real edit.
    let mut edited = moved.clone();
    edited[2] = "وأضاف المتحدث باسم الرئاسة أن المحادثات علقت حتى إشعار آخر.";
    assert!(add(&edited, "2025-12-25T13:00:00Z").contains("new version v4"));
    assert_eq!(ws.versions(), vec![("kim".to_string(), 4)]);

    let since = ["--since", "100000d"];
    let changes = ws.json(&[&["changes", "--format", "json"][..], &since[..]].concat());
    let listed: Vec<(i64, Value)> = changes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["version"].as_i64().unwrap(), c["edit"].clone()))
        .collect();
    assert_eq!(
        listed,
        vec![(1, Value::Null), (4, Value::from("text"))],
        "{changes}"
    );
    let all = ws.json(&[&["changes", "--all", "--format", "json"][..], &since[..]].concat());
    let edits: Vec<Value> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["edit"].clone())
        .collect();
    assert_eq!(
        edits,
        vec![
            Value::Null,
            "orthographic".into(),
            "moved".into(),
            "text".into()
        ],
        "{all}"
    );
    let (_, term, _) = ws.run(&[&["changes", "--all"][..], &since[..]].concat());
    assert!(term.contains("new_version (orthographic)"), "{term}");
    assert!(term.contains("new_version (moved)"), "{term}");
    let (_, feed, _) = ws.run(&[&["feed"][..], &since[..]].concat());
    assert_eq!(feed.matches("<entry>").count(), 2, "{feed}");
    let (_, feed, _) = ws.run(&[&["feed", "--all"][..], &since[..]].concat());
    assert_eq!(feed.matches("<entry>").count(), 4, "{feed}");
    // The store knows the new column.
    let (code, out, err) = ws.run(&["verify"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn minor_edits_raise_no_event_unless_asked() {
    let server = Server::start();
    server.set("/kim", page(&PARAS));
    let ws = Workspace::new();
    let source = format!(
        "[[source]]\nname = \"kim\"\nurl = \"{}\"\nevery = \"1h\"\n",
        server.url("/kim")
    );
    let config = write_sources(&ws, &source);
    let check = || {
        let (code, out, err) = ws.run(&["check", "--all", "--config", &config]);
        assert_eq!(code, 0, "{out}{err}");
        events(&out)
    };
    assert!(check().is_empty());
    let mut spelled = PARAS.to_vec();
    spelled[0] = "قال الرئيس جونغ إن الاجتماع مع الوفد الكوري كان مثمراً وبناءً للغاية.";
    server.set("/kim", page(&spelled));
    assert!(
        check().is_empty(),
        "an orthographic version raises no event"
    );
    let mut edited = spelled.clone();
    edited[1] = "وأضاف المتحدث باسم الرئاسة أن المحادثات علقت حتى إشعار آخر.";
    server.set("/kim", page(&edited));
    let ev = check();
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0]["kind"], "new_version");
    assert_eq!(ev[0]["edit"], "text");
    assert_eq!(ev[0]["previous"], 2);
    assert_eq!(ws.versions(), vec![(server.url("/kim"), 3)]);
    // With minor_edits = true they are raised, marked.
    let config = write_sources(&ws, &format!("[events]\nminor_edits = true\n\n{source}"));
    server.set(
        "/kim",
        page(&{
            let mut p = edited.clone();
            p[0] = PARAS[0];
            p
        }),
    );
    let (code, out, err) = ws.run(&["check", "--all", "--config", &config]);
    assert_eq!(code, 0, "{out}{err}");
    let ev = events(&out);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0]["edit"], "orthographic", "{ev:?}");
}
