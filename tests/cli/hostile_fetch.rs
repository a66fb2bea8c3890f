//! Monitoring against hostile inputs: gzip bombs, scrapers that leave
//! grandchildren behind, FIFOs in watched folders, webhooks that never
//! answer, non-http links and fetches steered to other addresses. Every
//! server runs on a loopback address (127.0.0.0/8), port 0.

use std::io::Write;

use std::process::{Child, Command as Process, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::*;

/// What a test server answers: status, headers and body.
type Answer = (u16, Vec<(String, String)>, Vec<u8>);

/// Requests seen by a server: method, path and body.
type Seen = Arc<Mutex<Vec<(String, String, String)>>>;

/// A tiny_http server on `ip` (port 0) answering with `handler`.
fn serve(ip: &str, handler: impl Fn(&str) -> Answer + Send + 'static) -> (String, Seen) {
    let server = tiny_http::Server::http(format!("{ip}:0")).expect("bind");
    let port = server.server_addr().to_ip().expect("ip").port();
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for mut request in server.incoming_requests() {
            let mut body = String::new();
            let _ = request.as_reader().read_to_string(&mut body);
            let path = request.url().to_string();
            log.lock()
                .unwrap()
                .push((request.method().to_string(), path.clone(), body));
            let (status, headers, bytes) = handler(&path);
            let mut response = tiny_http::Response::from_data(bytes).with_status_code(status);
            for (k, v) in headers {
                response
                    .add_header(tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).unwrap());
            }
            let _ = request.respond(response);
        }
    });
    (format!("http://{ip}:{port}"), seen)
}

fn html(body: impl Into<Vec<u8>>) -> Answer {
    (
        200,
        vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
        body.into(),
    )
}

const PARAS: [&str; 3] = [
    "قال وزير الداخلية إن 12 شخصاً أصيبوا في الحادث الذي وقع صباح اليوم في وسط العاصمة.",
    "وأضاف المتحدث باسم الوزارة أن التحقيق مستمر منذ ثلاثة أيام وأن النتائج ستعلن قريباً.",
    "وأشار إلى أن فرق الإنقاذ وصلت إلى المكان بعد دقائق من وقوع الحادث ونقلت المصابين.",
];

/// An Arabic article page; `n` changes its first sentence.
fn article(n: usize) -> String {
    let body: String = PARAS
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i == 0 {
                format!("<p>{p} ({n})</p>\n")
            } else {
                format!("<p>{p}</p>\n")
            }
        })
        .collect();
    format!(
        "<!doctype html><html lang=\"ar\"><head><meta charset=\"utf-8\"><title>حادث {n}</title></head>\
         <body><article><h1>حادث {n}</h1>\n{body}</article></body></html>"
    )
}

fn write_sources(ws: &Workspace, text: &str) -> String {
    let path = ws.path("sources.toml");
    std::fs::write(&path, text).unwrap();
    s(&path).to_string()
}

/// The real binary on the workspace's store, output piped.
fn spawn(ws: &Workspace, args: &[&str]) -> Child {
    Process::new(assert_cmd::cargo::cargo_bin("track"))
        .current_dir(ws.dir.path())
        .env_remove("TRACK_DB")
        .args(["--db", s(&ws.db())])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn article_count(ws: &Workspace) -> usize {
    let (code, out, _) = ws.run(&["list", "--format", "json"]);
    if code != 0 {
        return 0;
    }
    serde_json::from_str::<serde_json::Value>(&out)
        .ok()
        .and_then(|v| v.as_array().map(Vec::len))
        .unwrap_or(0)
}

/// `count` gzip members of 1 MiB of zeros each: a small body that inflates
/// to `count` MiB (gzip readers concatenate members).
fn gzip_bomb(count: usize) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&vec![0u8; 1 << 20]).unwrap();
    let member = enc.finish().unwrap();
    member.repeat(count)
}

#[test]
fn a_gzip_bomb_is_cut_at_max_bytes_of_decoded_text() {
    // 64 MiB inflated from ~64 KB on the wire; max_bytes is 1 MB.
    let bomb = gzip_bomb(64);
    assert!(bomb.len() < 200_000);
    let (base, _) = serve("127.0.0.1", move |_| {
        (
            200,
            vec![
                ("Content-Type".into(), "text/html".into()),
                ("Content-Encoding".into(), "gzip".into()),
            ],
            bomb.clone(),
        )
    });
    let ws = Workspace::new();
    let config = write_sources(
        &ws,
        &format!(
            "[[source]]\nname = \"bomb\"\nurl = \"{base}/story\"\nevery = \"1h\"\nmax_bytes = \"1M\"\n"
        ),
    );
    let (code, out, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("failed: bomb: larger than max_bytes (1000000 bytes)"),
        "the fetch itself stops at the limit of decoded bytes: {err}"
    );
    assert_eq!(article_count(&ws), 0);
}

/// State letter of a process in /proc (None: gone).
fn proc_state(pid: &str) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(") ")?.1.chars().next()
}

#[test]
fn a_scraper_grandchild_holding_stdout_is_killed_at_the_timeout() {
    let ws = Workspace::new();
    let pid_file = ws.path("grandchild.pid");
    // sh starts a grandchild that inherits stdout and outlives the timeout.
    let script = format!("sleep 30 & echo $! > '{}'; wait", s(&pid_file));
    let config = write_sources(
        &ws,
        &format!(
            "[[source]]\nname = \"scraper\"\ncommand = [\"sh\", \"-c\", {script:?}]\ntimeout = \"1s\"\nevery = \"1h\"\n"
        ),
    );
    let started = Instant::now();
    let (code, out, err) = ws.run(&["check", "--config", &config]);
    let took = started.elapsed();
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("failed: scraper: timed out after 1s"), "{err}");
    // Far below the grandchild's 30 s: the pass did not wait for it.
    assert!(took < Duration::from_secs(20), "took {took:?}");
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let pid = pid.trim();
    // The grandchild was killed with its group (at most a zombie left to reap).
    let deadline = Instant::now() + Duration::from_secs(5);
    while proc_state(pid).is_some_and(|s| s != 'Z') && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        proc_state(pid).is_none_or(|s| s == 'Z'),
        "grandchild {pid} still running"
    );
}

#[test]
fn a_scraper_that_exits_but_leaves_stdout_open_does_not_hold_the_pass() {
    let ws = Workspace::new();
    let config = write_sources(
        &ws,
        "[[source]]\nname = \"scraper\"\ncommand = [\"sh\", \"-c\", \"echo text; sleep 30 &\"]\ntimeout = \"1s\"\nevery = \"1h\"\n",
    );
    let started = Instant::now();
    let (code, out, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("failed: scraper: timed out after 1s"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_fifo_in_a_watched_folder_is_one_error_line_not_a_hang() {
    let ws = Workspace::new();
    let spool = ws.path("spool");
    std::fs::create_dir_all(&spool).unwrap();
    std::fs::write(spool.join("one.txt"), PARAS.join("\n\n")).unwrap();
    let fifo = spool.join("two.txt");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    let config = write_sources(
        &ws,
        "[[source]]\nname = \"spool\"\ndir = \"spool\"\nevery = \"1m\"\ntimeout = \"2s\"\n",
    );
    let mut child = spawn(&ws, &["check", "--config", &config]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("check hangs on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("failed:")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains("two.txt") && lines[0].contains("not a regular file"),
        "{err}"
    );
    assert_eq!(ws.versions(), vec![("one".to_string(), 1)]);
}

#[test]
fn only_http_urls_become_links_in_the_atom_feed() {
    let ws = Workspace::new();
    let file = ws.path("story.txt");
    std::fs::write(&file, PARAS.join("\n\n")).unwrap();
    let (code, _, err) = ws.run(&[
        "add",
        "--key",
        "story",
        "--url",
        "javascript:alert(document.cookie)",
        s(&file),
    ]);
    if code == 2 {
        // Refused at the door: it cannot become a link either.
        assert!(err.contains("javascript"), "{err}");
        return;
    }
    assert_eq!(code, 0, "{err}");
    std::fs::write(&file, PARAS[1..].join("\n\n")).unwrap();
    ws.add(&["--key", "story", "--url", "javascript:alert(1)", s(&file)]);
    let (code, xml, err) = ws.run(&["feed", "--since", "1d"]);
    assert_eq!(code, 0, "{err}");
    assert!(xml.contains("<entry>"), "{xml}");
    // Shown as text in the entry's content, never a link.
    assert!(!xml.contains("<link"), "{xml}");
    assert!(!xml.contains("href"), "{xml}");
    assert!(
        xml.contains("Address: &lt;bdi dir=&quot;auto&quot;&gt;javascript:alert("),
        "{xml}"
    );
}

/// A webhook that accepts connections and never answers; counts accepts.
fn silent_webhook() -> (String, Arc<Mutex<usize>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(Mutex::new(0));
    let count = Arc::clone(&accepted);
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            *count.lock().unwrap() += 1;
            held.push(stream); // kept open, never answered
        }
    });
    (format!("http://127.0.0.1:{port}/hook"), accepted)
}

/// A folder of `n` distinct articles and a sources file watching it, with
/// an event for every new article, delivered to `webhook`.
fn spool_with_webhook(ws: &Workspace, n: usize, webhook: &str, timeout: &str) -> String {
    let spool = ws.path("spool");
    std::fs::create_dir_all(&spool).unwrap();
    for i in 0..n {
        std::fs::write(
            spool.join(format!("story-{i}.txt")),
            format!("{} ({i})\n\n{}", PARAS[0], PARAS[1]),
        )
        .unwrap();
    }
    write_sources(
        ws,
        &format!(
            "[events]\noutput = \"events.jsonl\"\nnew_articles = true\nwebhook = \"{webhook}\"\nwebhook_timeout = \"{timeout}\"\n\n\
             [[source]]\nname = \"spool\"\ndir = \"spool\"\nevery = \"1h\"\n"
        ),
    )
}

fn posted(seen: &Seen) -> Vec<serde_json::Value> {
    seen.lock()
        .unwrap()
        .iter()
        .filter(|(m, _, _)| m == "POST")
        .map(|(_, _, b)| serde_json::from_str(b).unwrap())
        .collect()
}

#[test]
fn a_webhook_that_never_answers_costs_one_timeout_and_loses_nothing() {
    let ws = Workspace::new();
    let (dead, accepted) = silent_webhook();
    let config = spool_with_webhook(&ws, 40, &dead, "1s");
    let started = Instant::now();
    let (code, out, err) = ws.run(&["check", "--config", &config]);
    let took = started.elapsed();
    assert_eq!(code, 0, "{out}{err}");
    // Not one time-out per event (40 s): the dead endpoint is given up for the pass.
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert_eq!(*accepted.lock().unwrap(), 1, "{err}");
    assert!(err.contains("warning: webhook"), "{err}");
    assert!(err.contains("40 event deliveries pending"), "{err}");
    let file = std::fs::read_to_string(ws.path("events.jsonl")).unwrap();
    assert_eq!(file.lines().count(), 40);

    // A later check with a working webhook delivers every pending event, once.
    let (live, seen) = serve("127.0.0.1", |_| html("ok"));
    let config = spool_with_webhook(&ws, 40, &format!("{live}/hook"), "5s");
    let (code, out, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!err.contains("pending"), "{err}");
    let got = posted(&seen);
    assert_eq!(got.len(), 40);
    let mut keys: Vec<String> = got
        .iter()
        .map(|e| e["key"].as_str().unwrap().to_string())
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 40);
    let (code, _, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(posted(&seen).len(), 40, "delivered once");
}

#[test]
fn sigterm_during_a_hung_delivery_exits_at_once_and_keeps_the_event() {
    let ws = Workspace::new();
    let (dead, accepted) = silent_webhook();
    let config = spool_with_webhook(&ws, 3, &dead, "60s");
    let mut child = spawn(&ws, &["check", "--config", &config]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while *accepted.lock().unwrap() == 0 {
        assert!(Instant::now() < deadline, "the webhook was never called");
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = Process::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let sent = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if sent.elapsed() > Duration::from_secs(15) {
            let _ = child.kill();
            panic!("check still delivering 15 s after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let (live, seen) = serve("127.0.0.1", |_| html("ok"));
    let config = spool_with_webhook(&ws, 3, &format!("{live}/hook"), "5s");
    let (code, _, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(posted(&seen).len(), 3, "{err}");
}

/// An RSS feed linking `links`.
fn rss(links: &[String]) -> Answer {
    let items: String = links
        .iter()
        .map(|l| format!("<item><title>t</title><link>{l}</link></item>"))
        .collect();
    (
        200,
        vec![("Content-Type".into(), "application/rss+xml".into())],
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>{items}</channel></rss>"
        )
        .into_bytes(),
    )
}

#[test]
fn a_feed_cannot_steer_fetches_to_another_loopback_or_private_address() {
    // The article lives on 127.0.0.2: loopback, but not the feed's own host.
    let (other, other_seen) = serve("127.0.0.2", |_| html(article(1)));
    let own_link = "/news/2025/12/own-story".to_string();
    let links = vec![format!("{other}/news/2025/12/story"), own_link.clone()];
    let (home, _) = serve("127.0.0.1", move |path| {
        if path == "/rss" {
            rss(&links)
        } else {
            html(article(2))
        }
    });
    let ws = Workspace::new();
    let feed = |extra: &str| {
        format!("[[source]]\nname = \"wire\"\nfeed = \"{home}/rss\"\nevery = \"1h\"\n{extra}")
    };
    let config = write_sources(&ws, &feed(""));
    let (code, out, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 2, "{out}{err}");
    let failed: Vec<&str> = err.lines().filter(|l| l.starts_with("failed:")).collect();
    assert_eq!(failed.len(), 1, "{err}");
    assert!(
        failed[0].contains("127.0.0.2") && failed[0].contains("address refused"),
        "{err}"
    );
    assert!(other_seen.lock().unwrap().is_empty(), "never connected");
    // Its own host's articles are fetched.
    assert_eq!(article_count(&ws), 1);

    // The operator can allow it.
    let config = write_sources(&ws, &feed("allow_private = true\n"));
    let (code, out, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(other_seen.lock().unwrap().len(), 1);
    assert_eq!(article_count(&ws), 2);
}

#[test]
fn a_redirect_cannot_leave_for_another_loopback_or_private_address() {
    let (other, other_seen) = serve("127.0.0.2", |_| html(article(1)));
    let (home, _) = serve("127.0.0.1", move |path| {
        if path == "/moved" {
            (
                302,
                vec![("Location".into(), format!("{other}/story"))],
                Vec::new(),
            )
        } else if path == "/here" {
            (302, vec![("Location".into(), "/story".into())], Vec::new())
        } else {
            html(article(3))
        }
    });
    let ws = Workspace::new();
    let source = |name: &str, path: &str, extra: &str| {
        format!("[[source]]\nname = \"{name}\"\nurl = \"{home}{path}\"\nevery = \"1h\"\n{extra}\n")
    };
    let config = write_sources(
        &ws,
        &format!(
            "{}{}",
            source("away", "/moved", ""),
            source("home", "/here", "")
        ),
    );
    let (code, out, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("failed: away: address refused: 127.0.0.2 is a loopback address"),
        "{err}"
    );
    assert!(!err.contains("failed: home"), "{err}");
    assert!(other_seen.lock().unwrap().is_empty());
    assert_eq!(article_count(&ws), 1);

    let config = write_sources(&ws, &source("away", "/moved", "allow_private = true"));
    let (code, out, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(other_seen.lock().unwrap().len(), 1);
}
