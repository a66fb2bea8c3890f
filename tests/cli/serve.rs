//! `track serve` over HTTP: the real binary on a temporary store, bound to
//! `127.0.0.1:0`; requests go to 127.0.0.1 only.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::*;

/// A `track serve` process, killed when dropped.
pub struct Served {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl Served {
    pub fn start(ws: &Workspace, extra: &[&str]) -> Served {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("track"))
            .current_dir(ws.dir.path())
            .env_remove("TRACK_DB")
            .arg("--db")
            .arg(ws.db())
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start track serve");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("the bound address");
        let addr = first
            .trim()
            .strip_prefix("http://")
            .and_then(|a| a.strip_suffix('/'))
            .unwrap_or_else(|| panic!("first line is not the address: {first:?}"))
            .to_string();
        Served { child, addr }
    }

    pub fn url(&self, target: &str) -> String {
        format!("http://{}{target}", self.addr)
    }

    pub fn get(&self, target: &str) -> Reply {
        get(&self.addr, target, &[])
    }

    /// A JSON reply with status 200.
    pub fn json(&self, target: &str) -> Value {
        let r = self.get(target);
        assert_eq!(r.status, 200, "{target}: {}", r.body);
        r.json()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        assert!(
            self.header("content-type")
                .is_some_and(|c| c.starts_with("application/json")),
            "not JSON: {:?}",
            self.headers
        );
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One GET over a fresh connection (`Connection: close`), with extra headers.
pub fn get(addr: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut request = format!("GET {target} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        request.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the reply");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let body = String::from_utf8(raw[split + 4..].to_vec()).expect("UTF-8 body");
    Reply {
        status,
        headers,
        body,
    }
}

/// A key as one path segment.
pub fn segment(key: &str) -> String {
    url::form_urlencoded::byte_serialize(key.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// A query parameter's value.
pub fn param(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The seed article and its edit (2,000 → 2,300 soldiers) as `k`, the other
/// seed as itself.
pub fn seeded(ws: &Workspace) {
    let seed = fixture(&format!("seeds/{SEED_000}.txt"));
    ws.add(&["--key", "k", s(&seed)]);
    ws.add(&["--key", "k", s(&fixture("edits/000_v2.txt"))]);
    ws.add(&[s(&fixture(&format!("seeds/{SEED_004}.txt")))]);
}

/// Every response carries the security headers.
fn assert_secure(r: &Reply, what: &str) {
    assert_eq!(
        r.header("content-security-policy"),
        Some(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        ),
        "{what}"
    );
    assert_eq!(
        r.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{what}");
}

#[test]
fn every_api_endpoint_returns_the_cli_json() {
    let ws = Workspace::new();
    seeded(&ws);
    let served = Served::start(&ws, &[]);

    // Articles: `track list`'s fields, and more.
    let r = served.get("/api/articles");
    assert_eq!(r.status, 200);
    assert_secure(&r, "/api/articles");
    assert_eq!(r.header("x-total-count"), Some("2"));
    let articles = r.json();
    let list = ws.json(&["list", "--format", "json"]);
    let rows = articles.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    // Sorted by last change: the other seed was added last.
    assert_eq!(rows[0]["key"], SEED_004);
    assert_eq!(rows[1]["key"], "k");
    for row in rows {
        let listed = list
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["key"] == row["key"])
            .unwrap();
        for (field, value) in listed.as_object().unwrap() {
            assert_eq!(&row[field], value, "{field} of {}", row["key"]);
        }
        for field in ["title", "dir", "lang", "changes", "host", "claim_changes"] {
            assert!(row.get(field).is_some(), "{field} missing: {row}");
        }
    }
    assert_eq!(rows[1]["changes"], 1);
    assert_eq!(rows[0]["changes"], 0);
    assert_eq!(rows[0]["claim_changes"], 0);
    let by_key = served.json("/api/articles?sort=key&limit=1&offset=1");
    assert_eq!(by_key.as_array().unwrap().len(), 1);
    assert_eq!(by_key[0]["key"], "k");

    // One article: its row and its history, claim changes first computed.
    let article = served.json("/api/articles/k");
    assert_eq!(article["key"], "k");
    assert_eq!(article["versions"], 2);
    assert_eq!(article["claim_changes"], 2);
    let steps = article["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0]["kind"], "new");
    assert_eq!(steps[0]["summary"], Value::Null);
    let summary = &steps[1]["summary"];
    assert_eq!(steps[1]["previous"], 1);
    assert_eq!(summary["edited"], 1);
    assert_eq!(summary["added"], 1);
    assert_eq!(summary["claims"][0]["status"], "changed");
    assert_eq!(
        summary["claims"][0]["changes"][0]["what"],
        "quantity update"
    );
    assert_eq!(summary["claims"][0]["changes"][0]["from"], "نحو 2000 جندي");
    assert_eq!(summary["claims"][0]["changes"][0]["to"], "نحو 2300 جندي");
    // Now counted, the list has it too: the count is cached best effort (a
    // page never waits for the write lock, which the background warmer may
    // hold while it counts the same article), so wait for one of them.
    let deadline = Instant::now() + Duration::from_secs(30);
    let listed = loop {
        let listed = served.json("/api/articles");
        if listed[1]["claim_changes"] != Value::Null || Instant::now() > deadline {
            break listed;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(listed[1]["claim_changes"], 2);

    // Versions: `track log --format json`.
    assert_eq!(
        served.json("/api/articles/k/versions"),
        ws.json(&["log", "k", "--format", "json"])
    );
    // Diff: `track diff --format json`, two REFs or one.
    assert_eq!(
        served.json("/api/diff?from=k%401&to=k%402"),
        ws.json_any(&["diff", "--format", "json", "k@1", "k@2"])
    );
    assert_eq!(
        served.json("/api/diff?ref=k"),
        ws.json_any(&["diff", "--format", "json", "k"])
    );
    let across = served.json(&format!("/api/diff?from=k&to={SEED_004}"));
    assert_eq!(across["mode"], "articles");
    assert!(across["summary"]["relation"].is_string());
    // Claims: `track claims --format json`.
    assert_eq!(
        served.json("/api/claims?ref=k%401"),
        ws.json(&["claims", "k@1", "--format", "json"])
    );
    // Search, with its filters: `track search --format json`.
    let q = param("جندي");
    assert_eq!(
        served.json(&format!("/api/search?q={q}")),
        ws.json(&["search", "جندي", "--format", "json"])
    );
    assert_eq!(
        served.json(&format!("/api/search?q={q}&removed=1&key=k")),
        ws.json(&[
            "search",
            "جندي",
            "--removed",
            "--key",
            "k",
            "--format",
            "json"
        ])
    );
    // Changes: `track changes --format json` (both: the last 24 hours).
    assert_eq!(
        served.json("/api/changes"),
        ws.json(&["changes", "--format", "json"])
    );
    assert_eq!(
        served
            .json("/api/changes?since=2d")
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        served.json("/api/changes?since=2d&limit=1")[0]["key"],
        SEED_004
    );
}

#[test]
fn unknown_keys_are_404_and_bad_parameters_400_in_json() {
    let ws = Workspace::new();
    seeded(&ws);
    let served = Served::start(&ws, &[]);
    for target in [
        "/api/articles/nope".to_string(),
        "/api/articles/nope/versions".to_string(),
        "/api/diff?from=nope&to=k".to_string(),
        "/api/diff?from=k%401&to=k%409".to_string(),
        "/api/claims?ref=k%409".to_string(),
        "/api/nothing/here".to_string(),
        format!("/api/articles/{}", segment("https://example.org/a/b")),
    ] {
        let r = served.get(&target);
        assert_eq!(r.status, 404, "{target}: {}", r.body);
        assert_secure(&r, &target);
        assert!(r.json()["error"].is_string(), "{target}: {}", r.body);
    }
    for target in [
        "/api/search",
        "/api/search?q=%22%20*",
        "/api/search?q=x&limit=0",
        "/api/search?q=x&since=yesterday",
        "/api/articles?limit=100000",
        "/api/articles?sort=size",
        "/api/diff",
        "/api/diff?ref=k%401",
        "/api/claims",
        "/api/changes?since=soon",
    ] {
        let r = served.get(target);
        assert_eq!(r.status, 400, "{target}: {}", r.body);
        assert!(r.json()["error"].is_string(), "{target}");
    }
    // Pages answer unknown things with a page, and the same status.
    let r = served.get("/article?key=nope");
    assert_eq!(r.status, 404);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(served.get("/no/such/page").status, 404);
    // Too long a request target.
    let long = format!("/api/search?q={}", "a".repeat(9000));
    assert_eq!(served.get(&long).status, 414);
    let r = served.get(&format!("/api/search?q={}", "a".repeat(300)));
    assert_eq!(r.status, 400, "a query over 256 characters");
}

#[test]
fn a_key_with_slashes_is_one_path_segment() {
    let ws = Workspace::new();
    let page = ws.path("p.txt");
    fs::write(&page, "The ministry said 12 people were hurt on Monday.\n").unwrap();
    let key = "https://example.org/news/2025/story?id=7";
    ws.add(&["--key", key, s(&page)]);
    let served = Served::start(&ws, &[]);
    let article = served.json(&format!("/api/articles/{}", segment(key)));
    assert_eq!(article["key"], key);
    let versions = served.json(&format!("/api/articles/{}/versions", segment(key)));
    assert_eq!(versions.as_array().unwrap().len(), 1);
    assert_eq!(
        served.get(&format!("/article?key={}", param(key))).status,
        200
    );
}

#[test]
fn a_non_loopback_address_without_a_token_is_refused() {
    let ws = Workspace::new();
    seeded(&ws);
    for addr in ["0.0.0.0:0", "[::]:0"] {
        let (code, out, err) = ws.run(&["serve", "--addr", addr]);
        assert_eq!(code, 2, "{addr}: {out}{err}");
        assert!(out.is_empty(), "{out}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.contains("--token"), "{err}");
    }
    let (code, _, err) = ws.run(&["serve", "--addr", "127.0.0.1:0", "--token", ""]);
    assert_eq!(code, 2, "{err}");
    // A missing store is refused before anything listens.
    let empty = Workspace::new();
    let (code, out, err) = empty.run(&["serve", "--addr", "127.0.0.1:0"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty());
}

#[test]
fn with_a_token_every_request_must_carry_it() {
    let ws = Workspace::new();
    seeded(&ws);
    let token = "s3cret-Token/+=";
    fs::write(ws.path("token"), format!("{token}\n")).unwrap();
    let served = Served::start(&ws, &["--token-file", s(&ws.path("token"))]);
    let addr = served.addr.clone();
    for target in ["/api/articles", "/", "/static/track.css", "/feed"] {
        let r = served.get(target);
        assert_eq!(r.status, 401, "{target}");
        assert_secure(&r, target);
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    }
    assert!(served.get("/api/articles").json()["error"].is_string());
    let bearer = format!("Bearer {token}");
    let r = get(&addr, "/api/articles", &[("Authorization", &bearer)]);
    assert_eq!(r.status, 200, "{}", r.body);
    let wrong = get(
        &addr,
        "/api/articles",
        &[("Authorization", "Bearer s3cret-Token")],
    );
    assert_eq!(wrong.status, 401);
    // `?token=` once: a cookie, and the address without the token.
    let r = served.get(&format!("/search?q=x&token={}", param(token)));
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/search?q=x"));
    let cookie = r.header("set-cookie").expect("a cookie").to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let pair = cookie.split(';').next().unwrap();
    let r = get(&addr, "/", &[("Cookie", pair)]);
    assert_eq!(r.status, 200);
    assert_eq!(
        served.get(&format!("/?token={}", param("nope"))).status,
        401
    );
    // With a token, any Host may be used (the token is the guard).
    let r = get(
        &addr,
        "/api/articles",
        &[("Authorization", &bearer), ("Host", "track.example")],
    );
    assert_eq!(r.status, 200);
}

#[test]
fn without_a_token_only_requests_addressed_to_this_machine_are_answered() {
    let ws = Workspace::new();
    seeded(&ws);
    let served = Served::start(&ws, &[]);
    // A name of someone else's rebound to 127.0.0.1 by a web page.
    let r = get(
        &served.addr,
        "/api/articles",
        &[("Host", "evil.example:80")],
    );
    assert_eq!(r.status, 403);
    assert!(r.json()["error"].is_string());
    let r = get(&served.addr, "/", &[("Host", "localhost")]);
    assert_eq!(r.status, 200);
}

/// An article whose title and text carry markup, a bidi override and a
/// script, as a page (HTML entities: the extracted text holds them literally).
pub fn hostile_article(ws: &Workspace) -> &'static str {
    let key = "evil<b>&\"key";
    let body = |n: &str| {
        format!(
            r#"<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>&lt;/title&gt;&lt;script&gt;document.title='PWNED'&lt;/script&gt; عنوان &#x202E;مقلوب</title></head>
<body><article><h1>&lt;/title&gt;&lt;script&gt;document.title='PWNED'&lt;/script&gt; عنوان &#x202E;مقلوب</h1>
<p>أشاد الرئيس الروسي فلاديمير بوتين بمتانة العلاقات الثنائية مع بيونج يانج، وذلك في رسالة رسمية وجهها إلى الزعيم الكوري الشمالي كيم جونج أون بمناسبة العام الجديد.</p>
<p>وتشير تقديرات الاستخبارات إلى أن بيونج يانج أرسلت أكثر من {n} آلاف جندي إلى روسيا خلال عام 2024، وفق ما نقلته وكالات الأنباء عن مسؤولين في سول.</p>
<p>ونشر الموقع الشيفرة &lt;script&gt;document.title='PWNED'&lt;/script&gt; والصورة &lt;img src=x onerror="document.body.setAttribute('data-pwned','1')"&gt; ثم &#x202E;نص مقلوب&#x202C; في التعليقات على هذا الخبر المنشور.</p>
</article></body></html>"#
        )
    };
    fs::write(ws.path("evil1.html"), body("10")).unwrap();
    fs::write(ws.path("evil2.html"), body("12")).unwrap();
    ws.add(&["--key", key, s(&ws.path("evil1.html"))]);
    ws.add(&["--key", key, s(&ws.path("evil2.html"))]);
    key
}

/// Text with the entities of HTML escaping turned back (for finding what
/// a page shows as text).
fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&gt;", ">")
        .replace("&#62;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// Live markup from the scrape: a script or image element, an event
/// handler, a second title, or a raw bidi override.
fn live_markup(body: &str) -> Vec<String> {
    let lower = body.to_lowercase();
    let mut found = Vec::new();
    for needle in [
        "<script",
        "<img",
        "onerror=\"",
        "</title><",
        "\u{202e}",
        "\u{202c}",
    ] {
        if lower.contains(needle) {
            found.push(format!("{needle:?}"));
        }
    }
    if lower.starts_with("<!doctype html") && lower.matches("<title>").count() > 1 {
        found.push("two titles".into());
    }
    found
}

#[test]
fn a_hostile_article_never_appears_as_live_markup() {
    let ws = Workspace::new();
    seeded(&ws);
    let key = hostile_article(&ws);
    let served = Served::start(&ws, &[]);
    let k = param(key);
    let pages = [
        "/".to_string(),
        format!("/article?key={k}"),
        format!("/version?ref={}", param(&format!("{key}@2"))),
        format!("/diff?ref={k}"),
        format!("/diff?from={}&to={k}", param(&format!("{key}@1"))),
        format!("/compare?a={k}&b=k"),
        format!("/compare?a={k}&q={}", param("الشيفرة")),
        format!("/search?q={}", param("الشيفرة script")),
        format!("/search?q={}", param("مقلوب")),
    ];
    for target in &pages {
        let r = served.get(target);
        assert_eq!(r.status, 200, "{target}: {}", r.body);
        assert_secure(&r, target);
        let live = live_markup(&r.body);
        assert!(live.is_empty(), "{target}: live markup {live:?}");
        let shown = unescape(&r.body);
        assert!(
            shown.contains("<script>document.title=") || shown.contains("</title><script>"),
            "{target}: the payload is not shown as text"
        );
    }
    // The override is shown as an escape, as in every human output.
    let article = served.get(&format!("/article?key={k}")).body;
    assert!(article.contains("\\u{202e}"), "{article}");
    // Its feed and the JSON keep the exact text, escaped for their formats.
    let feed = served.get(&format!("/feed?key={k}"));
    assert_eq!(feed.status, 200);
    assert!(
        feed.header("content-type")
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let live = live_markup(&feed.body);
    assert!(live.is_empty(), "feed: {live:?}");
    let json = served.get(&format!("/api/articles/{}", segment(key)));
    assert!(!json.body.contains('\u{202e}'));
    assert!(json.body.contains("\\u202e"), "{}", json.body);
    assert_eq!(json.json()["key"], key);
}

#[test]
fn the_feeds_are_served() {
    let ws = Workspace::new();
    seeded(&ws);
    let served = Served::start(&ws, &[]);
    let global = served.get("/feed");
    assert_eq!(global.status, 200);
    assert!(
        global
            .body
            .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">")
    );
    assert!(global.body.contains("k — v2"), "{}", global.body);
    let one = served.get("/feed?key=k");
    assert!(one.body.contains("k — v2"));
    assert!(!one.body.contains(SEED_004));
    assert_eq!(served.get("/feed?key=nope").status, 404);
    assert_eq!(served.get("/feed?source=nope").status, 404);
    let css = served.get("/static/track.css");
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
}

#[test]
fn pages_show_the_list_the_timeline_a_diff_and_search_results() {
    let ws = Workspace::new();
    seeded(&ws);
    let served = Served::start(&ws, &[]);
    let list = served.get("/").body;
    assert!(list.contains("href=\"/article?key=k\""), "{list}");
    // A text scrape declares no direction: its letters give it.
    assert!(
        served
            .get("/article?key=k")
            .body
            .contains(r#"<p class="sentence" dir="rtl">"#)
    );
    assert!(list.contains(SEED_004));
    let article = served.get("/article?key=k").body;
    // Claim changes first, then the timeline.
    let claims_at = article.find("quantity update").expect("the claim change");
    let timeline_at = article.find("Timeline").unwrap();
    assert!(claims_at < timeline_at);
    assert!(article.contains("نحو 2000 جندي") && article.contains("نحو 2300 جندي"));
    assert!(
        unescape(&article).contains("href=\"/diff?from=k%401&to=k%402\""),
        "{article}"
    );
    let diff = served.get("/diff?from=k%401&to=k%402").body;
    assert!(diff.contains(r#"<section class="inline" dir="#));
    assert!(
        diff.contains("<del><bdi>2000</bdi></del><ins><bdi>2300</bdi></ins>"),
        "{diff}"
    );
    let search = served.get(&format!("/search?q={}", param("2300"))).body;
    assert!(search.contains("<mark>2300</mark>"), "{search}");
    assert!(search.contains("href=\"/version?ref=k%402\""));
    let version = served.get("/version?ref=k%402").body;
    assert!(version.contains("2300 جندي"));
}

#[test]
fn pages_load_while_another_process_holds_the_write_lock() {
    let ws = Workspace::new();
    seeded(&ws);
    let key = hostile_article(&ws);
    let served = Served::start(&ws, &[]);
    // A writer (as `watch` recording a version) holds the write lock and
    // has written without committing.
    let writer = rusqlite::Connection::open(ws.db()).unwrap();
    writer
        .execute_batch(
            "BEGIN IMMEDIATE; INSERT INTO analyses (text_hash, analyser, version, data)
             VALUES (zeroblob(32), 'held', 1, x'5b5d');",
        )
        .unwrap();
    // Nothing is cached yet: every page below would write the cache, and
    // with a wait for the lock take 2 s per write.
    let k = param(key);
    for target in [
        "/".to_string(),
        "/api/articles".to_string(),
        format!("/article?key={k}"),
        format!("/diff?ref={k}"),
        format!("/api/diff?from=k&to={k}"),
        "/api/claims?ref=k%401".to_string(),
        format!("/search?q={}", param("جندي")),
        "/api/articles/k".to_string(),
        "/feed".to_string(),
    ] {
        let started = Instant::now();
        let r = served.get(&target);
        let took = started.elapsed();
        assert_eq!(r.status, 200, "{target}: {}", r.body);
        assert!(
            took < Duration::from_secs(4),
            "{target} took {took:?} while a writer held the lock"
        );
    }
    writer.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn the_timeline_has_every_version_and_revert() {
    let ws = Workspace::new();
    seeded(&ws);
    // Back to the first text: a revert, not a new version.
    let seed = fixture(&format!("seeds/{SEED_000}.txt"));
    ws.add(&["--key", "k", s(&seed)]);
    let served = Served::start(&ws, &[]);
    let article = served.json("/api/articles/k");
    let kinds: Vec<&str> = article["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["new", "new", "revert"]);
    assert_eq!(article["current"], 1);
    assert_eq!(article["steps"][2]["previous"], 2);
    // The revert takes the figure back: a claim change too.
    assert_eq!(
        article["steps"][2]["summary"]["claims"][0]["changes"][0]["to"],
        "نحو 2000 جندي"
    );
    let page = served.get("/article?key=k").body;
    assert!(page.contains("reverted from v2 to v1"), "{page}");
    assert!(page.contains("v1 → v2"));
    assert!(page.contains("first version, v1"));
    let list = served.get("/").body;
    assert!(list.contains("↩ v1"), "{list}");
}

#[test]
fn a_headline_change_is_in_the_timeline() {
    let ws = Workspace::new();
    let page = |title: &str| {
        format!(
            "<!doctype html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
             <body><article><h1>{title}</h1><p>أعلنت وزارة الصحة أن 12 شخصاً أصيبوا في الحادث الذي وقع صباح الاثنين في وسط المدينة، وفق بيان رسمي.</p>\
             <p>وقال المتحدث باسم الوزارة إن فرق الإسعاف نقلت المصابين إلى المستشفيات القريبة وإن حالتهم مستقرة.</p></article></body></html>"
        )
    };
    fs::write(ws.path("h1.html"), page("إصابة 12 شخصاً في حادث")).unwrap();
    fs::write(ws.path("h2.html"), page("إصابة 15 شخصاً في حادث")).unwrap();
    ws.add(&["--key", "h", s(&ws.path("h1.html"))]);
    ws.add(&["--key", "h", s(&ws.path("h2.html"))]);
    let served = Served::start(&ws, &[]);
    let article = served.json("/api/articles/h");
    assert_eq!(
        article["steps"][1]["summary"]["headline"],
        serde_json::json!({"from": "إصابة 12 شخصاً في حادث", "to": "إصابة 15 شخصاً في حادث"})
    );
    assert_eq!(article["dir"], "rtl");
    let body = served.get("/article?key=h").body;
    assert!(body.contains("headline was:"), "{body}");
    assert!(body.contains("<h1 dir=\"rtl\" lang=\"ar\">"), "{body}");
}
