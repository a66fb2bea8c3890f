//! `check`, `watch`, `sources`, `changes` and `feed` against a local HTTP
//! server (tiny_http on 127.0.0.1, port 0): no other network.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command as Process, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::common::*;

/// What the test server answers on one path.
#[derive(Clone, Default)]
pub(crate) struct Route {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    pub(crate) content_type: String,
    pub(crate) etag: Option<String>,
    pub(crate) location: Option<String>,
    pub(crate) content_encoding: Option<String>,
    pub(crate) delay: Duration,
}

pub(crate) fn page(body: impl Into<Vec<u8>>) -> Route {
    Route {
        status: 200,
        body: body.into(),
        content_type: "text/html; charset=utf-8".into(),
        ..Route::default()
    }
}

#[derive(Default)]
struct Log {
    /// Requests per path.
    hits: HashMap<String, usize>,
    /// Requests that carried If-None-Match, per path.
    conditional: HashMap<String, usize>,
    /// Bodies POSTed or PUT (webhooks, channels), per path.
    posted: HashMap<String, Vec<String>>,
}

/// A tiny HTTP server whose routes the test changes between runs.
pub(crate) struct Server {
    port: u16,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    log: Arc<Mutex<Log>>,
}

impl Server {
    pub(crate) fn start() -> Server {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
        let port = server.server_addr().to_ip().expect("ip").port();
        let routes: Arc<Mutex<HashMap<String, Route>>> = Arc::default();
        let log: Arc<Mutex<Log>> = Arc::default();
        let (r, l) = (Arc::clone(&routes), Arc::clone(&log));
        std::thread::spawn(move || {
            for mut request in server.incoming_requests() {
                let (routes, log) = (Arc::clone(&r), Arc::clone(&l));
                // One thread per request: a slow route must not hold up the others.
                std::thread::spawn(move || {
                    let path = request.url().to_string();
                    let inm = request
                        .headers()
                        .iter()
                        .find(|h| h.field.equiv("If-None-Match"))
                        .map(|h| h.value.as_str().to_string());
                    {
                        let mut log = log.lock().unwrap();
                        *log.hits.entry(path.clone()).or_default() += 1;
                        if inm.is_some() {
                            *log.conditional.entry(path.clone()).or_default() += 1;
                        }
                        if matches!(
                            request.method(),
                            tiny_http::Method::Post | tiny_http::Method::Put
                        ) {
                            let mut body = String::new();
                            let _ = request.as_reader().read_to_string(&mut body);
                            log.posted.entry(path.clone()).or_default().push(body);
                        }
                    }
                    let route = routes.lock().unwrap().get(&path).cloned();
                    let Some(route) = route else {
                        let _ = request.respond(tiny_http::Response::empty(404));
                        return;
                    };
                    std::thread::sleep(route.delay);
                    if route.etag.is_some() && inm == route.etag {
                        let _ = request.respond(tiny_http::Response::empty(304));
                        return;
                    }
                    let mut response = tiny_http::Response::from_data(route.body.clone())
                        .with_status_code(route.status);
                    let mut header = |k: &str, v: &str| {
                        response.add_header(
                            tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).unwrap(),
                        );
                    };
                    header("Content-Type", &route.content_type);
                    if let Some(etag) = &route.etag {
                        header("ETag", etag);
                    }
                    if let Some(location) = &route.location {
                        header("Location", location);
                    }
                    if let Some(encoding) = &route.content_encoding {
                        header("Content-Encoding", encoding);
                    }
                    let _ = request.respond(response);
                });
            }
        });
        Server { port, routes, log }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub(crate) fn set(&self, path: &str, route: Route) {
        self.routes.lock().unwrap().insert(path.to_string(), route);
    }

    pub(crate) fn hits(&self, path: &str) -> usize {
        self.log
            .lock()
            .unwrap()
            .hits
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    fn conditional(&self, path: &str) -> usize {
        self.log
            .lock()
            .unwrap()
            .conditional
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    /// The paths that got a POST or PUT.
    pub(crate) fn posted_paths(&self) -> Vec<String> {
        self.log.lock().unwrap().posted.keys().cloned().collect()
    }

    pub(crate) fn posted(&self, path: &str) -> Vec<String> {
        self.log
            .lock()
            .unwrap()
            .posted
            .get(path)
            .cloned()
            .unwrap_or_default()
    }
}

/// An Arabic article page: title and paragraphs.
pub(crate) fn article(title: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!doctype html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><nav><a href=\"/\">الرئيسية</a></nav><article><h1>{title}</h1>\n{body}</article></body></html>"
    )
}

pub(crate) const PARAS: [&str; 6] = [
    "قال وزير الداخلية إن 12 شخصاً أصيبوا في الحادث الذي وقع صباح اليوم في وسط العاصمة.",
    "وأضاف المتحدث باسم الوزارة أن التحقيق مستمر منذ ثلاثة أيام وأن النتائج ستعلن قريباً.",
    "وأشار إلى أن فرق الإنقاذ وصلت إلى المكان بعد دقائق من وقوع الحادث ونقلت المصابين.",
    "وذكرت مصادر طبية أن حالة اثنين من المصابين خطيرة وأنهما يخضعان لعمليات جراحية.",
    "ودعت السلطات المواطنين إلى تجنب المنطقة حتى انتهاء أعمال التحقيق ورفع الأنقاض.",
    "وكانت المنطقة قد شهدت حادثاً مماثلاً قبل عامين أسفر عن إصابة عدد من المارة.",
];

pub(crate) fn full_article() -> String {
    article("حادث في العاصمة", &PARAS)
}

pub(crate) fn edited_article() -> String {
    let mut paras = PARAS;
    paras[0] = "قال وزير الداخلية إن 15 شخصاً أصيبوا في الحادث الذي وقع صباح اليوم في وسط العاصمة.";
    article("حادث في العاصمة", &paras)
}

pub(crate) fn write_sources(ws: &Workspace, text: &str) -> String {
    let path = ws.path("sources.toml");
    std::fs::write(&path, text).unwrap();
    s(&path).to_string()
}

pub(crate) fn url_source(name: &str, url: &str, extra: &str) -> String {
    format!("[[source]]\nname = \"{name}\"\nurl = \"{url}\"\nevery = \"15m\"\n{extra}\n")
}

/// Event lines on standard output.
pub(crate) fn events(out: &str) -> Vec<Value> {
    out.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// The state rows of `track sources`, by source name (source rows only).
fn state(ws: &Workspace, config: &str) -> HashMap<String, Value> {
    ws.json(&["sources", "--config", config, "--format", "json"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "source")
        .map(|r| (r["source"].as_str().unwrap().to_string(), r.clone()))
        .collect()
}

fn time(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap_or_else(|| panic!("no time: {v}")))
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn a_changed_page_gives_one_new_version_and_one_event() {
    let server = Server::start();
    server.set("/story", page(full_article()));
    let ws = Workspace::new();
    let config = write_sources(&ws, &url_source("story", &server.url("/story"), ""));

    let (code, out, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 0, "{err}");
    assert!(
        events(&out).is_empty(),
        "a new article raises no event by default: {out}"
    );
    assert!(err.contains("1 new articles"), "{err}");

    // Unchanged: an observation, no event.
    let (code, out, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    assert!(events(&out).is_empty(), "{out}");

    server.set("/story", page(edited_article()));
    let (code, out, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    let ev = events(&out);
    assert_eq!(ev.len(), 1, "{out}");
    let e = &ev[0];
    assert_eq!(e["source"], "story");
    assert_eq!(e["key"], server.url("/story"));
    assert_eq!(e["url"], server.url("/story"));
    assert_eq!(e["kind"], "new_version");
    assert_eq!(e["version"], 2);
    assert_eq!(e["previous"], 1);
    assert_eq!(e["counts"]["edited"], 1, "{e}");
    assert_eq!(e["counts"]["added"], 0, "{e}");
    assert!(e["summary"].as_str().unwrap().contains("1 edited"), "{e}");
    // The claim change comes with the event: the injured went from 12 to 15.
    let claims = e["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 1, "{e}");
    assert_eq!(claims[0]["status"], "changed");
    let change = &claims[0]["changes"][0];
    assert_eq!(
        (change["slot"].as_str(), change["kind"].as_str()),
        (Some("quantity"), Some("update"))
    );
    assert_eq!(
        (
            change["from"]["value"].as_f64(),
            change["to"]["value"].as_f64()
        ),
        (Some(12.0), Some(15.0))
    );
    assert!(e["at"].as_str().is_some());
    assert_eq!(ws.versions(), vec![(server.url("/story"), 2)]);

    // The stored version is the event's.
    let log = ws.json(&["log", &server.url("/story"), "--format", "json"]);
    assert_eq!(log.as_array().unwrap().len(), 2);

    // Not due right after a check: nothing fetched.
    let hits = server.hits("/story");
    let (code, out, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    assert_eq!(server.hits("/story"), hits);
    assert!(
        err.contains("checked 0") && err.contains("1 not due"),
        "{err}"
    );

    // changes and feed list the new article and the new version.
    let changes = ws.json(&["changes", "--since", "1h", "--format", "json"]);
    let kinds: Vec<&str> = changes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["new_article", "new_version"]);
    assert_eq!(changes[1]["previous"], 1);
    let (code, out, _) = ws.run(&["changes"]);
    assert_eq!(code, 0);
    assert!(out.contains("v1 → v2"), "{out}");

    let feed_path = ws.path("changes.xml");
    let (code, _, err) = ws.run(&["feed", "--since", "7d", "-o", s(&feed_path)]);
    assert_eq!(code, 0, "{err}");
    let xml = std::fs::read_to_string(&feed_path).unwrap();
    assert_eq!(xml.matches("<entry>").count(), 2, "{xml}");
    assert!(xml.contains("1 edited"), "{xml}");
    assert!(
        xml.contains(&format!("href=\"{}\"", server.url("/story"))),
        "{xml}"
    );
}

#[test]
fn a_304_is_an_observation_without_a_body() {
    let server = Server::start();
    let mut route = page(full_article());
    route.etag = Some("\"v1\"".into());
    server.set("/story", route);
    let ws = Workspace::new();
    let config = write_sources(&ws, &url_source("story", &server.url("/story"), ""));
    assert_eq!(ws.run(&["check", "--config", &config]).0, 0);
    assert_eq!(server.conditional("/story"), 0);

    let (code, out, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "{out}");
    assert_eq!(server.conditional("/story"), 1, "If-None-Match was sent");
    assert!(err.contains("1 not modified"), "{err}");
    let st = state(&ws, &config);
    assert_eq!(st["story"]["last_status"], "304 not modified");
    assert_eq!(st["story"]["failures"], 0);
    assert_eq!(st["story"]["etag"], "\"v1\"");
    // Recorded as checked: an unchanged observation of version 1.
    let log = ws.json(&["log", &server.url("/story"), "--format", "json"]);
    assert_eq!(log[0]["unchanged_observations"], 1, "{log}");
    assert_eq!(ws.versions()[0].1, 1);
}

/// Each failure: recorded in the state, no version, no event, retried later
/// than the normal interval, and skipped by a `check` right after.
#[test]
fn failures_are_recorded_and_backed_off_never_stored() {
    let server = Server::start();
    let ws = Workspace::new();
    server.set("/error", {
        let mut r = page("oops");
        r.status = 500;
        r
    });
    server.set("/slow", {
        let mut r = page(full_article());
        r.delay = Duration::from_secs(4);
        r
    });
    server.set("/empty", page(""));
    server.set("/image", {
        let mut r = page(vec![0x89, b'P', b'N', b'G', 0, 0, 0, 0]);
        r.content_type = "image/png".into();
        r
    });
    server.set("/pdf", {
        let mut r = page("%PDF-1.4 ...");
        r.content_type = "application/pdf".into();
        r
    });
    server.set("/loop", {
        let mut r = page("");
        r.status = 302;
        r.location = Some("/loop2".into());
        r
    });
    server.set("/loop2", {
        let mut r = page("");
        r.status = 302;
        r.location = Some("/loop".into());
        r
    });
    server.set("/truncated", page(full_article()));
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let names = [
        "error",
        "slow",
        "refused",
        "empty",
        "image",
        "pdf",
        "loop",
        "truncated",
    ];
    let mut text = String::new();
    for name in names {
        let url = if name == "refused" {
            format!("http://127.0.0.1:{refused}/story")
        } else {
            server.url(&format!("/{name}"))
        };
        let extra = if name == "slow" {
            "timeout = \"1s\""
        } else {
            ""
        };
        text.push_str(&url_source(name, &url, extra));
    }
    let config = write_sources(&ws, &text);

    // First pass: only the truncated page's full version is stored.
    let started = Instant::now();
    let (code, out, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 2, "failures exit 2: {err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the timeout cut the slow fetch"
    );
    assert_eq!(ws.versions(), vec![(server.url("/truncated"), 1)]);

    // The truncated page now yields far less text: refused.
    server.set(
        "/truncated",
        page(article("حادث في العاصمة", &["تفاصيل لاحقاً."])),
    );
    let (code, out, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "no event for a failure: {out}");
    assert_eq!(
        ws.versions(),
        vec![(server.url("/truncated"), 1)],
        "no false version"
    );

    let st = state(&ws, &config);
    let expect = [
        ("error", "HTTP 500"),
        ("slow", "timed out"),
        ("refused", "connection refused"),
        ("empty", "empty"),
        ("image", "not a text page (Content-Type image/png)"),
        ("pdf", "not a text page (Content-Type application/pdf)"),
        ("loop", "too many redirects"),
        ("truncated", "much shorter than the current version"),
    ];
    for (name, reason) in expect {
        let row = &st[name];
        let status = row["last_status"].as_str().unwrap();
        assert!(status.contains(reason), "{name}: {status}");
        assert!(err.contains(&format!("failed: {name}: ")), "{name}: {err}");
        let checked = time(&row["last_checked"]);
        let due = time(&row["next_due"]);
        // Back-off: longer than the normal 15 minutes.
        assert!(
            due - checked > chrono::Duration::minutes(15),
            "{name}: checked {checked}, due {due}"
        );
        let failures = row["failures"].as_i64().unwrap();
        let expected = if name == "truncated" { 1 } else { 2 };
        assert_eq!(failures, expected, "{name}");
    }
    assert_eq!(
        time(&st["error"]["next_due"]) - time(&st["error"]["last_checked"]),
        chrono::Duration::minutes(60),
        "two failures: 15 min × 2²"
    );

    // Right after, without --all: nothing is due, nothing fetched.
    let before: Vec<usize> = names
        .iter()
        .map(|n| server.hits(&format!("/{n}")))
        .collect();
    let (code, _, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("checked 0"), "{err}");
    let after: Vec<usize> = names
        .iter()
        .map(|n| server.hits(&format!("/{n}")))
        .collect();
    assert_eq!(before, after);
}

#[test]
fn timeout_on_the_command_line_overrides_the_sources() {
    let server = Server::start();
    server.set("/slow", {
        let mut r = page(full_article());
        r.delay = Duration::from_secs(3);
        r
    });
    let ws = Workspace::new();
    let config = write_sources(&ws, &url_source("slow", &server.url("/slow"), ""));
    let started = Instant::now();
    let (code, _, err) = ws.run(&["check", "--config", &config, "--timeout", "500ms"]);
    assert_eq!(code, 2, "{err}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(err.contains("failed: slow: timed out after 500ms"), "{err}");
}

#[test]
fn gzip_bodies_are_decompressed() {
    let html = full_article();
    let mut gzip = Process::new("gzip")
        .arg("-c")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip on PATH");
    {
        use std::io::Write;
        gzip.stdin
            .take()
            .unwrap()
            .write_all(html.as_bytes())
            .unwrap();
    }
    let compressed = gzip.wait_with_output().unwrap().stdout;
    assert_eq!(&compressed[..2], &[0x1f, 0x8b]);
    let server = Server::start();
    server.set("/story", {
        let mut r = page(compressed);
        r.content_encoding = Some("gzip".into());
        r
    });
    let ws = Workspace::new();
    let config = write_sources(&ws, &url_source("story", &server.url("/story"), ""));
    let (code, _, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 0, "{err}");
    let (_, text, _) = ws.run(&["show", &server.url("/story")]);
    assert!(text.contains("12 شخصاً"), "{text}");
}

#[test]
fn a_truncated_text_confirmed_three_times_is_accepted() {
    let server = Server::start();
    server.set("/story", page(full_article()));
    let ws = Workspace::new();
    let config = write_sources(&ws, &url_source("story", &server.url("/story"), ""));
    assert_eq!(ws.run(&["check", "--config", &config]).0, 0);
    server.set(
        "/story",
        page(article("حادث في العاصمة", &["تفاصيل لاحقاً."])),
    );
    assert_eq!(ws.run(&["check", "--config", &config, "--all"]).0, 2);
    assert_eq!(ws.run(&["check", "--config", &config, "--all"]).0, 2);
    let (code, out, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(events(&out).len(), 1);
    assert_eq!(ws.versions()[0].1, 2);
}

#[test]
fn a_feed_of_three_articles_tracks_three_articles() {
    let server = Server::start();
    let mut items = String::new();
    for i in 1..=3 {
        let mut paras = PARAS;
        let lead = format!("الخبر رقم {i}: {}", PARAS[0]);
        paras[0] = &lead;
        server.set(
            &format!("/news/{i}"),
            page(article(&format!("خبر {i}"), &paras)),
        );
        items.push_str(&format!(
            "<item><title>خبر {i}</title><link>{}?utm_source=rss</link></item>",
            server.url(&format!("/news/{i}"))
        ));
    }
    server.set("/rss", {
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
            "[events]\nnew_articles = true\n[[source]]\nname = \"feed\"\nfeed = \"{}\"\nevery = \"15m\"\n",
            server.url("/rss")
        ),
    );
    let (code, out, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 0, "{err}");
    let keys: Vec<String> = ws.versions().into_iter().map(|(k, _)| k).collect();
    let expected: Vec<String> = (1..=3).map(|i| server.url(&format!("/news/{i}"))).collect();
    assert_eq!(keys, expected);
    let ev = events(&out);
    assert_eq!(ev.len(), 3, "new_articles = true: {out}");
    assert!(
        ev.iter()
            .all(|e| e["kind"] == "new_article" && e["source"] == "feed")
    );

    // Each article has its own state.
    let rows = ws.json(&["sources", "--config", &config, "--format", "json"]);
    let articles: Vec<&Value> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "article")
        .collect();
    assert_eq!(articles.len(), 3);
    assert!(
        articles
            .iter()
            .all(|a| a["last_status"] == "200" && a["key"].is_string())
    );

    // An edit to one article, found by the next pass over the articles.
    server.set("/news/2", page(edited_article()));
    let (code, out, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    let ev = events(&out);
    assert_eq!(ev.len(), 1, "{out}");
    assert_eq!(ev[0]["key"], server.url("/news/2"));
}

#[test]
fn a_section_page_tracks_the_articles_it_links() {
    let server = Server::start();
    server.set("/politics/2025/kim-letter", page(full_article()));
    server.set("/article.php", page(edited_article()));
    server.set(
        "/politics",
        page(format!(
            "<!doctype html><html><body><a href=\"/\">home</a><a href=\"/about-us\">about</a>\
             <a href=\"/politics/2025/kim-letter#comments\">one</a>\
             <a href=\"{}\">two</a><a href=\"https://elsewhere.example/news/1\">off-site</a>\
             <a href=\"/logo-2025.png\">logo</a></body></html>",
            server.url("/article.php?id=7")
        )),
    );
    let ws = Workspace::new();
    let config = write_sources(
        &ws,
        &format!(
            "[[source]]\nname = \"section\"\nfeed = \"{}\"\nevery = \"1h\"\n",
            server.url("/politics")
        ),
    );
    let (code, _, err) = ws.run(&["check", "--config", &config]);
    // /article.php?id=7 is not a route of the server (404): a failure.
    assert_eq!(code, 2, "{err}");
    let keys: Vec<String> = ws.versions().into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, vec![server.url("/politics/2025/kim-letter")]);
    let rows = ws.json(&["sources", "--config", &config, "--format", "json"]);
    let mut items: Vec<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "article")
        .map(|r| r["item"].as_str().unwrap().to_string())
        .collect();
    items.sort();
    assert_eq!(
        items,
        vec![
            server.url("/article.php?id=7"),
            server.url("/politics/2025/kim-letter")
        ]
    );
}

#[test]
fn dir_and_command_sources_ingest_like_add() {
    let ws = Workspace::new();
    let spool = ws.path("spool");
    std::fs::create_dir_all(&spool).unwrap();
    std::fs::write(spool.join("one.html"), full_article()).unwrap();
    std::fs::write(spool.join("notes.bin"), [0u8, 1, 2]).unwrap();
    let script = ws.path("scrape.txt");
    std::fs::write(&script, PARAS.join("\n\n")).unwrap();
    let config = write_sources(
        &ws,
        &format!(
            "[[source]]\nname = \"spool\"\ndir = \"spool\"\nevery = \"1m\"\n\n\
             [[source]]\nname = \"scraper\"\ncommand = [\"cat\", \"{}\"]\nevery = \"1h\"\nkey = \"agency-story\"\n",
            s(&script)
        ),
    );
    let (code, _, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        ws.versions(),
        vec![("agency-story".to_string(), 1), ("one".to_string(), 1)]
    );

    // A new file and a changed one are ingested; the unchanged one is not re-read.
    std::fs::write(spool.join("two.txt"), PARAS[..3].join("\n\n")).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(spool.join("one.html"), edited_article()).unwrap();
    std::fs::write(&script, PARAS[1..].join("\n\n")).unwrap();
    let (code, out, err) = ws.run(&["check", "--config", &config, "--all", "-v"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        ws.versions(),
        vec![
            ("agency-story".to_string(), 2),
            ("one".to_string(), 2),
            ("two".to_string(), 1)
        ]
    );
    let ev = events(&out);
    assert_eq!(ev.len(), 2, "{out}");
    let (code, out, err) = ws.run(&["check", "--config", &config, "--all", "-v"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("spool: 2 found, 0 new or changed"), "{err}");
}

#[test]
fn ignore_rules_exclude_text_from_detection_and_storage() {
    let server = Server::start();
    let with_counter = |n: u32| {
        let mut paras: Vec<String> = PARAS.iter().map(|p| p.to_string()).collect();
        paras.push(format!("عدد المشاهدات: {n}"));
        let refs: Vec<&str> = paras.iter().map(String::as_str).collect();
        article("حادث في العاصمة", &refs)
    };
    server.set("/story", page(with_counter(10)));
    let ws = Workspace::new();
    let config = write_sources(
        &ws,
        &url_source(
            "story",
            &server.url("/story"),
            "ignore = ['(?m)^عدد المشاهدات: \\d+$']",
        ),
    );
    assert_eq!(ws.run(&["check", "--config", &config]).0, 0);
    server.set("/story", page(with_counter(4711)));
    let (code, out, _) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0);
    assert!(out.is_empty(), "{out}");
    assert_eq!(ws.versions()[0].1, 1);
    let (_, text, _) = ws.run(&["show", &server.url("/story")]);
    assert!(!text.contains("المشاهدات"), "{text}");
    assert!(text.contains("12 شخصاً"), "{text}");
}

#[test]
fn header_charset_decodes_a_page_without_meta() {
    let server = Server::start();
    let html = "<html><body><article><h1>عنوان الخبر</h1><p>قال الوزير إن 12 شخصاً أصيبوا في الحادث الذي وقع صباح اليوم في وسط العاصمة.</p><p>وأضاف المتحدث أن التحقيق مستمر منذ ثلاثة أيام.</p></article></body></html>";
    let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(html);
    server.set("/story", {
        let mut r = page(bytes.into_owned());
        r.content_type = "text/html; charset=windows-1256".into();
        r
    });
    let ws = Workspace::new();
    let config = write_sources(&ws, &url_source("story", &server.url("/story"), ""));
    let (code, _, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 0, "{err}");
    let (_, text, _) = ws.run(&["show", &server.url("/story")]);
    assert!(text.contains("قال الوزير إن 12 شخصاً"), "{text}");
    let log = ws.json(&["log", &server.url("/story"), "--format", "json"]);
    assert_eq!(log[0]["encoding"], "windows-1256");
}

#[test]
fn events_go_to_a_file_a_webhook_and_a_hook_command() {
    let server = Server::start();
    server.set("/story", page(full_article()));
    server.set("/hook", page("ok"));
    let ws = Workspace::new();
    let hook_out = ws.path("hook.json");
    let config = write_sources(
        &ws,
        &format!(
            "[events]\noutput = \"events.jsonl\"\nwebhook = \"{}\"\ncommand = [\"tee\", \"{}\"]\n\n{}",
            server.url("/hook"),
            s(&hook_out),
            url_source("story", &server.url("/story"), "")
        ),
    );
    assert_eq!(ws.run(&["check", "--config", &config]).0, 0);
    server.set("/story", page(edited_article()));
    let (code, out, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "events go to the file: {out}");
    let file = std::fs::read_to_string(ws.path("events.jsonl")).unwrap();
    assert_eq!(events(&file).len(), 1);
    let posted = server.posted("/hook");
    assert_eq!(posted.len(), 1);
    let hooked: Value = serde_json::from_str(&posted[0]).unwrap();
    assert_eq!(hooked["version"], 2);
    let piped: Value = serde_json::from_str(&std::fs::read_to_string(&hook_out).unwrap()).unwrap();
    assert_eq!(piped["key"], server.url("/story"));

    // A webhook that fails is logged, never fatal.
    server.set("/hook", {
        let mut r = page("no");
        r.status = 503;
        r
    });
    server.set("/story", page(full_article()));
    let (code, _, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: webhook") && err.contains("HTTP 503"),
        "{err}"
    );
    let file = std::fs::read_to_string(ws.path("events.jsonl")).unwrap();
    let ev = events(&file);
    assert_eq!(ev.len(), 2);
    assert_eq!(ev[1]["kind"], "revert");
}

#[test]
fn a_malformed_sources_file_is_one_line_naming_file_and_line() {
    let ws = Workspace::new();
    let cases = [
        (
            "[[source]]\nname = \"a\"\nurl = \"https://x.org/a\"\nfeed = \"https://x.org/rss\"\n",
            ":1: ",
            "exactly one of url, feed, dir or command",
        ),
        (
            "[[source]]\nname = \"a\"\nurl = \"https://x.org/a\"\nevery = \"sometimes\"\n",
            ":4: ",
            "not a duration",
        ),
        (
            "[[source]]\nname = \"a\"\nurl = \"https://x.org/a\"\n[[source]]\nname = \"a\"\nurl = \"https://x.org/b\"\n",
            ":5: ",
            "duplicate source name",
        ),
        (
            "[[source]]\nname = \"a\"\nurl = \"https://x.org/a\"\nignore = [\"(\"]\n",
            ":4: ",
            "ignore rule",
        ),
        ("[[source]\nname = \"a\"\n", ":1: ", ""),
        (
            "[[source]]\nname = \"a\"\nurl = \"https://x.org/a\"\ncolour = \"red\"\n",
            ":4: ",
            "colour",
        ),
    ];
    for (text, line, reason) in cases {
        let config = write_sources(&ws, text);
        let (code, out, err) = ws.run(&["check", "--config", &config]);
        assert_eq!(code, 2, "{text}: {err}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(
            err.starts_with(&format!("error: {config}{line}")),
            "{text}: {err}"
        );
        assert!(err.contains(reason), "{text}: {err}");
    }
    let (code, _, err) = ws.run(&["check", "--config", s(&ws.path("none.toml"))]);
    assert_eq!(code, 2);
    assert!(err.contains("none.toml: no such file"), "{err}");
    assert!(!ws.db().exists(), "nothing created for a bad sources file");
}

pub(crate) fn spawn_watch(ws: &Workspace, config: &str, extra: &[&str]) -> std::process::Child {
    Process::new(assert_cmd::cargo::cargo_bin("track"))
        .args(["--db", s(&ws.db()), "watch", "--config", config])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

pub(crate) fn wait_for(mut cond: impl FnMut() -> bool, what: &str) {
    let started = Instant::now();
    while !cond() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn kill_9_during_watch_loses_nothing_reported_and_the_next_run_carries_on() {
    let server = Server::start();
    let n = 120;
    let mut text = String::from("workers = 2\n[events]\nnew_articles = true\n\n");
    for i in 0..n {
        let path = format!("/a/{i}");
        let mut paras = PARAS;
        let lead = format!("الخبر رقم {i}: {}", PARAS[0]);
        paras[0] = &lead;
        let mut r = page(article(&format!("خبر {i}"), &paras));
        r.delay = Duration::from_millis(25);
        server.set(&path, r);
        text.push_str(&url_source(&format!("s{i:03}"), &server.url(&path), ""));
    }
    let ws = Workspace::new();
    let config = write_sources(&ws, &text);
    let mut child = spawn_watch(&ws, &config, &[]);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("an event").unwrap();
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let mut reported = vec![first];
    reported.extend(lines.map_while(Result::ok));
    assert!(
        reported.len() < n,
        "killed mid-pass ({} events)",
        reported.len()
    );

    let stored: HashMap<String, u64> = ws.versions().into_iter().collect();
    for line in &reported {
        let e: Value = serde_json::from_str(line).unwrap();
        let key = e["key"].as_str().unwrap();
        assert_eq!(stored.get(key), Some(&1), "reported {key} is stored");
    }

    // The next run checks what was not done, and only that.
    let (code, out, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(ws.versions().len(), n);
    assert_eq!(events(&out).len() + stored.len(), n, "{err}");
    for i in 0..n {
        let hits = server.hits(&format!("/a/{i}"));
        assert!((1..=2).contains(&hits), "/a/{i}: {hits} fetches");
    }
}

#[test]
fn sigterm_finishes_the_fetch_in_flight_and_exits_0() {
    let server = Server::start();
    server.set("/slow", {
        let mut r = page(full_article());
        r.delay = Duration::from_millis(1500);
        r
    });
    server.set("/other", page(edited_article()));
    let ws = Workspace::new();
    let config = write_sources(
        &ws,
        &format!(
            "workers = 1\n{}{}",
            url_source("a-slow", &server.url("/slow"), ""),
            url_source("b-other", &server.url("/other"), "")
        ),
    );
    let child = spawn_watch(&ws, &config, &[]);
    wait_for(|| server.hits("/slow") == 1, "the slow fetch to start");
    let status = Process::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{err}");
    // The fetch in flight was ingested; the next source was not started.
    assert_eq!(ws.versions(), vec![(server.url("/slow"), 1)], "{err}");
    assert_eq!(server.hits("/other"), 0);
    assert!(err.contains("interrupted"), "{err}");
}

#[test]
fn watch_sleeps_until_due_and_checks_again() {
    let server = Server::start();
    server.set("/story", page(full_article()));
    let ws = Workspace::new();
    let config = write_sources(
        &ws,
        &format!(
            "[[source]]\nname = \"story\"\nurl = \"{}\"\nevery = \"1s\"\n",
            server.url("/story")
        ),
    );
    let mut child = spawn_watch(&ws, &config, &[]);
    // Stored, not only requested: the server counts a hit before it reads
    // the page to send, so the edit could otherwise be the first version.
    wait_for(
        || server.hits("/story") >= 1 && ws.run(&["list"]).1.contains("/story"),
        "the first check",
    );
    server.set("/story", page(edited_article()));
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines.next().expect("an event").unwrap();
    let e: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(e["version"], 2);
    let _ = Process::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn a_changed_headline_is_reported_in_the_event() {
    let server = Server::start();
    server.set("/story", page(full_article()));
    let ws = Workspace::new();
    let config = write_sources(&ws, &url_source("story", &server.url("/story"), ""));
    assert_eq!(ws.run(&["check", "--config", &config]).0, 0);

    server.set("/story", page(article("حادث مروع في وسط العاصمة", &PARAS)));
    let (code, out, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    let ev = events(&out);
    assert_eq!(ev.len(), 1, "{out}");
    let e = &ev[0];
    assert_eq!(e["kind"], "new_version");
    assert_eq!(e["title"], "حادث مروع في وسط العاصمة");
    assert_eq!(e["title_change"]["from"], "حادث في العاصمة", "{e}");
    assert_eq!(e["title_change"]["to"], "حادث مروع في وسط العاصمة", "{e}");
    assert_eq!(e["title_change"]["orthographic_only"], false, "{e}");
    assert!(
        e["summary"]
            .as_str()
            .unwrap()
            .ends_with("; headline changed"),
        "{e}"
    );
    // Only the body changed: no title_change in the event.
    let mut paras = PARAS;
    paras[0] = "قال وزير الداخلية إن 15 شخصاً أصيبوا في الحادث الذي وقع صباح اليوم في وسط العاصمة.";
    server.set("/story", page(article("حادث مروع في وسط العاصمة", &paras)));
    let (_, out, _) = ws.run(&["check", "--config", &config, "--all"]);
    let ev = events(&out);
    assert_eq!(ev.len(), 1, "{out}");
    assert!(ev[0].get("title_change").is_none(), "{}", ev[0]);
}

#[test]
fn select_and_ignore_selector_per_source_and_in_defaults() {
    let server = Server::start();
    // The article sits in .story, beside a box automatic extraction would
    // keep; a view counter inside the story changes on every request.
    let with_counter = |n: u32| {
        let body: String = PARAS.iter().map(|p| format!("<p>{p}</p>\n")).collect();
        format!(
            "<!doctype html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>حادث في العاصمة</title></head>\
             <body><div class=\"story\"><h1>حادث في العاصمة</h1>\n{body}<span class=\"views\">المشاهدات {n}</span>\
             <div class=\"ad\">إعلان متغير رقم {n}</div></div>\
             <div class=\"box\"><p>الأكثر قراءة اليوم في موقعنا: قائمة طويلة من الأخبار الأخرى، وأخبار، وأخبار، وأخبار.</p></div></body></html>"
        )
    };
    server.set("/story", page(with_counter(10)));
    server.set("/other", page(with_counter(10)));
    let ws = Workspace::new();
    let config = write_sources(
        &ws,
        &format!(
            "[defaults]\nignore_selector = \".ad\"\n\n{}{}",
            url_source(
                "story",
                &server.url("/story"),
                "select = \"div.story\"\nignore_selector = [\".views\"]"
            ),
            url_source(
                "other",
                &server.url("/other"),
                "select = \"#no-such-container\""
            ),
        ),
    );
    let (code, _, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 0, "{err}");
    // The source whose container is not on the page: taken automatically, with a warning.
    assert!(
        err.contains("select \"#no-such-container\" matched nothing on this page"),
        "{err}"
    );
    for n in [11, 12] {
        server.set("/story", page(with_counter(n)));
        let (code, out, err) = ws.run(&["check", "--config", &config, "--all"]);
        assert_eq!(code, 0, "{err}");
        assert!(
            !out.contains(&server.url("/story")),
            "no event for the counter: {out}"
        );
    }
    let (_, text, _) = ws.run(&["show", &server.url("/story")]);
    assert!(text.contains("12 شخصاً"), "{text}");
    for furniture in ["المشاهدات", "إعلان", "الأكثر قراءة"] {
        assert!(!text.contains(furniture), "{furniture}: {text}");
    }
    let versions: Vec<u64> = ws
        .versions()
        .into_iter()
        .filter(|(k, _)| k == &server.url("/story"))
        .map(|(_, v)| v)
        .collect();
    assert_eq!(versions, [1]);
    // [defaults] ignore_selector applies to the other source too.
    let (_, text, _) = ws.run(&["show", &server.url("/other")]);
    assert!(!text.contains("إعلان"), "{text}");

    // An invalid selector: one line naming the file, the line and the selector.
    let bad = write_sources(
        &ws,
        &url_source("story", &server.url("/story"), "select = \"div[\""),
    );
    let (code, out, err) = ws.run(&["check", "--config", &bad]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!(
            "error: {bad}:5: select: invalid CSS selector \"div[\""
        )),
        "{err}"
    );
}
