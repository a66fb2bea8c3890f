//! Alerts: channels (an SMTP server and webhook catchers started here, on
//! 127.0.0.1), rules, and the outbox's delivery guarantees. No other network.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command as Process, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use crate::common::*;
use crate::watch::{
    PARAS, Route, Server, article, edited_article, events, full_article, page, url_source,
    wait_for, write_sources,
};

/// One message an SMTP session handed over.
#[derive(Debug, Clone, Default)]
struct Mail {
    /// `user\0password` as AUTH gave them.
    auth: Option<String>,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

/// A small SMTP server (plain text, AUTH PLAIN and LOGIN): enough for lettre.
struct Smtp {
    port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
}

fn b64decode(s: &str) -> String {
    const ABC: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.trim().chars().filter(|c| *c != '=') {
        let v = ABC.find(c).expect("base64") as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    String::from_utf8(out).unwrap()
}

impl Smtp {
    fn start() -> Smtp {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mails: Arc<Mutex<Vec<Mail>>> = Arc::default();
        let m = Arc::clone(&mails);
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let m = Arc::clone(&m);
                std::thread::spawn(move || Smtp::session(stream, &m));
            }
        });
        Smtp { port, mails }
    }

    fn session(stream: TcpStream, mails: &Mutex<Vec<Mail>>) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut w = stream;
        let say = |w: &mut TcpStream, s: &str| w.write_all(s.as_bytes());
        let _ = say(&mut w, "220 catcher ESMTP\r\n");
        let mut mail = Mail::default();
        let mut line = String::new();
        let read = |reader: &mut BufReader<TcpStream>, line: &mut String| {
            line.clear();
            reader.read_line(line).unwrap_or(0)
        };
        while read(&mut reader, &mut line) > 0 {
            let cmd = line.trim_end().to_string();
            let upper = cmd.to_ascii_uppercase();
            let reply = if upper.starts_with("EHLO") {
                "250-catcher\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n".to_string()
            } else if upper.starts_with("HELO") {
                "250 catcher\r\n".into()
            } else if upper.starts_with("AUTH PLAIN") {
                let arg = cmd[10..].trim().to_string();
                let arg = if arg.is_empty() {
                    let _ = say(&mut w, "334 \r\n");
                    read(&mut reader, &mut line);
                    line.trim().to_string()
                } else {
                    arg
                };
                mail.auth = Some(b64decode(&arg).trim_start_matches('\0').to_string());
                "235 2.7.0 ok\r\n".into()
            } else if upper.starts_with("AUTH LOGIN") {
                let _ = say(&mut w, "334 VXNlcm5hbWU6\r\n");
                read(&mut reader, &mut line);
                let user = b64decode(&line);
                let _ = say(&mut w, "334 UGFzc3dvcmQ6\r\n");
                read(&mut reader, &mut line);
                mail.auth = Some(format!("{user}\0{}", b64decode(&line)));
                "235 2.7.0 ok\r\n".into()
            } else if upper.starts_with("MAIL FROM:") {
                mail.from = cmd[10..].trim().to_string();
                "250 ok\r\n".into()
            } else if upper.starts_with("RCPT TO:") {
                mail.to.push(cmd[8..].trim().to_string());
                "250 ok\r\n".into()
            } else if upper == "DATA" {
                let _ = say(&mut w, "354 go on\r\n");
                let mut data = Vec::new();
                loop {
                    if read(&mut reader, &mut line) == 0 {
                        return;
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    let l = line.strip_prefix('.').unwrap_or(&line);
                    data.extend_from_slice(l.as_bytes());
                }
                mail.data = data;
                mails.lock().unwrap().push(mail.clone());
                "250 2.0.0 queued\r\n".into()
            } else if upper == "QUIT" {
                let _ = say(&mut w, "221 bye\r\n");
                return;
            } else if upper == "RSET" || upper == "NOOP" {
                "250 ok\r\n".into()
            } else {
                "502 unknown\r\n".into()
            };
            if say(&mut w, &reply).is_err() {
                return;
            }
        }
    }

    fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}

fn ok_route() -> Route {
    page("ok")
}

fn down_route() -> Route {
    Route {
        status: 503,
        body: b"down".to_vec(),
        content_type: "text/plain".into(),
        ..Route::default()
    }
}

/// The outbox rows (`track outbox --format json`), delivered ones too with `all`.
fn outbox(ws: &Workspace, all: bool) -> Vec<Value> {
    let mut args = vec!["outbox", "--format", "json"];
    if all {
        args.push("--all");
    }
    ws.json(&args).as_array().unwrap().clone()
}

#[test]
fn a_number_edit_is_mailed_with_the_claim_change_first_in_valid_multipart() {
    let server = Server::start();
    server.set("/story", page(full_article()));
    let smtp = Smtp::start();
    let ws = Workspace::new();
    let notify = format!(
        "notify = [\"smtp://desk%40x.org:s3cret-pw@127.0.0.1:{}?to=editor@x.org,night@x.org&from=Track <track@x.org>&tls=none\"]",
        smtp.port
    );
    let config = write_sources(&ws, &url_source("story", &server.url("/story"), &notify));
    let (code, _, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 0, "{err}");
    assert!(smtp.mails().is_empty(), "a new article is no alert");

    server.set("/story", page(edited_article()));
    let (code, out, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(events(&out).len(), 1);
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1, "{err}");
    let mail = &mails[0];
    assert_eq!(mail.auth.as_deref(), Some("desk@x.org\0s3cret-pw"));
    assert_eq!(mail.from, "<track@x.org>");
    assert_eq!(mail.to, ["<editor@x.org>", "<night@x.org>"]);

    let parsed = mailparse::parse_mail(&mail.data).expect("a valid message");
    let subject = parsed
        .headers
        .iter()
        .find(|h| h.get_key() == "Subject")
        .unwrap();
    let subject = subject.get_value();
    assert!(subject.contains("حادث في العاصمة"), "{subject}");
    assert!(subject.contains("v1 → v2"), "{subject}");
    assert_eq!(parsed.ctype.mimetype, "multipart/alternative");
    assert_eq!(parsed.subparts.len(), 2);
    assert_eq!(parsed.subparts[0].ctype.mimetype, "text/plain");
    assert_eq!(parsed.subparts[1].ctype.mimetype, "text/html");
    let text = parsed.subparts[0].get_body().unwrap();
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("• quantity update: 12 شخصاً") && first.ends_with("15 شخصاً"),
        "the claim change comes first: {text}"
    );
    let diff_at = text.find("[-12-]{+15+}").expect("a word diff");
    let link_at = text.find(&server.url("/story")).expect("the link");
    assert!(text.find("quantity update").unwrap() < diff_at && diff_at < link_at);
    let html = parsed.subparts[1].get_body().unwrap();
    assert!(html.contains("<blockquote dir=\"rtl\">"), "{html}");
    assert!(html.contains("<del"), "{html}");
    assert!(
        html.contains("<bdi dir=\"auto\">12 شخصاً</bdi> → <bdi dir=\"auto\">15 شخصاً</bdi>"),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"{}\"", server.url("/story"))));

    // Delivered once: the next passes send nothing more.
    assert_eq!(ws.run(&["check", "--config", &config, "--all"]).0, 0);
    assert_eq!(smtp.mails().len(), 1);
    let rows = outbox(&ws, true);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["state"], "delivered");
    let channel = rows[0]["channel"].as_str().unwrap();
    assert!(!channel.contains("s3cret"), "{channel}");
    assert!(channel.contains("127.0.0.1"), "{channel}");
}

#[test]
fn slack_and_discord_catchers_get_well_formed_payloads() {
    let server = Server::start();
    server.set("/story", page(full_article()));
    server.set("/services/T0001/B0002/XSECRETX", ok_route());
    server.set("/api/webhooks/12345/TOKSECRET", ok_route());
    let ws = Workspace::new();
    let base = server.url("");
    let config = write_sources(
        &ws,
        &format!(
            "[events]\nnotify = [\"slack://T0001/B0002/XSECRETX?base={base}\"]\n\n{}",
            url_source(
                "story",
                &server.url("/story"),
                &format!("notify = [\"discord://12345/TOKSECRET?base={base}\"]")
            )
        ),
    );
    assert_eq!(ws.run(&["check", "--config", &config]).0, 0);
    server.set("/story", page(edited_article()));
    let (code, _, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");

    let slack = server.posted("/services/T0001/B0002/XSECRETX");
    assert_eq!(slack.len(), 1, "{err}");
    let v: Value = serde_json::from_str(&slack[0]).expect("JSON");
    let text = v["text"].as_str().unwrap();
    assert!(text.starts_with("• *quantity update*: 12 شخصاً"), "{text}");
    assert!(text.contains("~12~*15*"), "{text}");
    assert!(
        text.ends_with(&format!("<{}|حادث في العاصمة>", server.url("/story"))),
        "{text}"
    );

    let discord = server.posted("/api/webhooks/12345/TOKSECRET");
    assert_eq!(discord.len(), 1, "{err}");
    let v: Value = serde_json::from_str(&discord[0]).expect("JSON");
    let content = v["content"].as_str().unwrap();
    assert!(
        content.starts_with("• **quantity update**: 12 شخصاً"),
        "{content}"
    );
    assert!(content.contains("~~12~~**15**"), "{content}");
    assert!(content.chars().count() <= 2000);
    assert_eq!(v["allowed_mentions"]["parse"], serde_json::json!([]));
}

#[test]
fn telegram_matrix_and_ntfy_get_their_payloads() {
    let server = Server::start();
    server.set("/story", page(full_article()));
    server.set("/bot123456:ABC-tgsecret/sendMessage", ok_route());
    server.set("/", ok_route());
    let ws = Workspace::new();
    let hp = server.url("").trim_start_matches("http://").to_string();
    let config = write_sources(
        &ws,
        &format!(
            "[events]\nnotify = [\"tg://123456:ABC-tgsecret/-1001?base={}\", \"matrix://mxsecret@{hp}/!room:x.org\", \"ntfy://{hp}/newsroom\"]\n\n{}",
            server.url(""),
            url_source("story", &server.url("/story"), "")
        ),
    );
    assert_eq!(ws.run(&["check", "--config", &config]).0, 0);
    server.set("/story", page(edited_article()));
    // Matrix's path ends with the transaction id: unknown to the catcher
    // until the first attempt, which it refuses (404).
    let (code, _, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("matrix://***@"), "{err}");
    assert!(
        !err.contains("mxsecret") && !err.contains("tgsecret"),
        "{err}"
    );

    let tg = server.posted("/bot123456:ABC-tgsecret/sendMessage");
    assert_eq!(tg.len(), 1, "{err}");
    let v: Value = serde_json::from_str(&tg[0]).unwrap();
    assert_eq!(v["chat_id"], "-1001");
    assert_eq!(v["parse_mode"], "HTML");
    let text = v["text"].as_str().unwrap();
    assert!(
        text.starts_with("• <b>quantity update</b>: 12 شخصاً"),
        "{text}"
    );
    assert!(text.contains("<s>12</s><b>15</b>"), "{text}");

    let ntfy = server.posted("/");
    assert_eq!(ntfy.len(), 1, "{err}");
    let v: Value = serde_json::from_str(&ntfy[0]).unwrap();
    assert_eq!(v["topic"], "newsroom");
    assert!(v["title"].as_str().unwrap().contains("حادث في العاصمة"));
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .starts_with("• quantity update")
    );
    assert_eq!(v["click"], server.url("/story"));

    let matrix_path = server
        .posted_paths()
        .into_iter()
        .find(|p| p.starts_with("/_matrix/client/v3/rooms/%21room%3Ax%2Eorg/send/m.room.message/"))
        .expect("a Matrix PUT");
    let v: Value = serde_json::from_str(&server.posted(&matrix_path)[0]).unwrap();
    assert_eq!(v["msgtype"], "m.text");
    assert_eq!(v["format"], "org.matrix.custom.html");
    assert!(
        v["formatted_body"]
            .as_str()
            .unwrap()
            .contains("<blockquote dir=\"rtl\">")
    );
    // The retry is the same PUT (same transaction id: the homeserver would
    // drop a duplicate); only Matrix is retried.
    server.set(&matrix_path, ok_route());
    let (code, _, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(server.posted(&matrix_path).len(), 2);
    assert_eq!(
        tg.len(),
        server.posted("/bot123456:ABC-tgsecret/sendMessage").len()
    );
    assert!(outbox(&ws, false).is_empty());
}

#[test]
fn a_channel_down_for_three_passes_then_up_gets_each_event_exactly_once() {
    let server = Server::start();
    server.set("/story", page(full_article()));
    server.set("/hook", down_route());
    server.set("/services/T1/B2/SLACKSECRET", down_route());
    let ws = Workspace::new();
    let config = write_sources(
        &ws,
        &format!(
            "[events]\nretry_delay = \"0s\"\nnotify = [\"json://{}/hook\", \"slack://T1/B2/SLACKSECRET?base={}\"]\n\n{}",
            server.url("").trim_start_matches("http://"),
            server.url(""),
            url_source("story", &server.url("/story"), "")
        ),
    );
    assert_eq!(ws.run(&["check", "--config", &config]).0, 0);
    // Pass 1: a new version (v2); its alerts fail.
    server.set("/story", page(edited_article()));
    let (code, _, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "a channel failing never fails the pass: {err}");
    assert!(err.contains("HTTP 503"), "{err}");
    assert!(
        !err.contains("SLACKSECRET"),
        "secrets are never shown: {err}"
    );
    // Pass 2: another version (v3), still down.
    let mut paras = PARAS;
    paras[0] = "قال وزير الداخلية إن 17 شخصاً أصيبوا في الحادث الذي وقع صباح اليوم في وسط العاصمة.";
    server.set("/story", page(article("حادث في العاصمة", &paras)));
    assert_eq!(ws.run(&["check", "--config", &config, "--all"]).0, 0);
    // Pass 3: nothing new, still down.
    assert_eq!(ws.run(&["check", "--config", &config]).0, 0);
    let rows = outbox(&ws, false);
    assert_eq!(rows.len(), 4, "2 events × 2 channels: {rows:?}");
    assert!(rows.iter().all(|r| r["state"] == "pending"));
    let (_, human, _) = ws.run(&["outbox"]);
    assert!(human.contains("4 pending, 0 failed"), "{human}");
    assert!(human.contains("HTTP 503"), "{human}");
    assert!(!human.contains("SLACKSECRET"), "{human}");
    let tries = server.posted("/hook").len();
    assert_eq!(
        tries, 3,
        "the oldest event once a pass: a failure ends the channel's round"
    );

    // Up: each event arrives once, in order, and never again.
    server.set("/hook", ok_route());
    server.set("/services/T1/B2/SLACKSECRET", ok_route());
    let (code, _, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(ws.run(&["check", "--config", &config]).0, 0);
    let posted = server.posted("/hook");
    let delivered: Vec<Value> = posted[tries..]
        .iter()
        .map(|b| serde_json::from_str(b).unwrap())
        .collect();
    let versions: Vec<i64> = delivered
        .iter()
        .map(|e| e["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [2, 3], "{err}");
    let ids: HashSet<&str> = delivered
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    assert_eq!(server.posted("/services/T1/B2/SLACKSECRET").len(), 3 + 2);
    assert!(outbox(&ws, false).is_empty());
    let all = outbox(&ws, true);
    assert_eq!(all.len(), 4);
    assert!(all.iter().all(|r| r["state"] == "delivered"), "{all:?}");
}

#[test]
fn back_off_waits_between_passes_and_outbox_retry_delivers_now() {
    let server = Server::start();
    server.set("/story", page(full_article()));
    server.set("/hook", down_route());
    let ws = Workspace::new();
    let config = write_sources(
        &ws,
        &format!(
            "[events]\nmax_attempts = 3\nnotify = [\"json://{}/hook\"]\n\n{}",
            server.url("").trim_start_matches("http://"),
            url_source("story", &server.url("/story"), "")
        ),
    );
    assert_eq!(ws.run(&["check", "--config", &config]).0, 0);
    server.set("/story", page(edited_article()));
    let (_, _, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert!(
        err.contains("HTTP 503: down (retried on the next pass)"),
        "{err}"
    );
    assert_eq!(server.posted("/hook").len(), 1);
    // The first retry is on the next pass; the one after waits a minute.
    let (_, _, err) = ws.run(&["check", "--config", &config]);
    assert!(err.contains("(retry at "), "{err}");
    assert_eq!(server.posted("/hook").len(), 2);
    assert_eq!(ws.run(&["check", "--config", &config]).0, 0);
    assert_eq!(server.posted("/hook").len(), 2);
    let rows = outbox(&ws, false);
    assert_eq!(rows[0]["attempts"], 2);
    assert!(rows[0]["next_attempt"].as_str().unwrap() > rows[0]["created_at"].as_str().unwrap());

    // Retry now: the third and last attempt fails, the row is marked failed.
    let (code, _, err) = ws.run(&["outbox", "--retry", "--config", &config]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("marked failed"), "{err}");
    assert_eq!(server.posted("/hook").len(), 3);
    let rows = outbox(&ws, false);
    assert_eq!(rows[0]["state"], "failed");
    assert_eq!(rows[0]["attempts"], 3);
    assert_eq!(rows[0]["last_error"], "HTTP 503: down");
    let (_, human, _) = ws.run(&["outbox"]);
    assert!(human.contains("FAILED after 3 attempts"), "{human}");
    // Failed rows are not tried by passes.
    assert_eq!(ws.run(&["check", "--config", &config]).0, 0);
    assert_eq!(server.posted("/hook").len(), 3);

    // Up again: retry it by id.
    server.set("/hook", ok_route());
    let id = rows[0]["id"].to_string();
    let (code, _, err) = ws.run(&["outbox", "--retry", &id, "--config", &config]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("delivered 1"), "{err}");
    assert_eq!(server.posted("/hook").len(), 4);
    assert!(outbox(&ws, false).is_empty());

    // Dropping: a failed row goes away on --drop.
    server.set("/hook", down_route());
    server.set("/story", page(full_article()));
    let _ = ws.run(&["check", "--config", &config, "--all"]);
    let _ = ws.run(&["outbox", "--retry", "--config", &config]);
    let _ = ws.run(&["outbox", "--retry", "--config", &config]);
    assert_eq!(outbox(&ws, false)[0]["state"], "failed");
    let (code, _, err) = ws.run(&["outbox", "--drop"]);
    assert_eq!(code, 0);
    assert!(err.contains("dropped 1 row"), "{err}");
    assert!(outbox(&ws, false).is_empty());
}

#[test]
fn kill_9_while_a_delivery_is_in_flight_loses_nothing() {
    let server = Server::start();
    server.set("/story", page(full_article()));
    server.set("/hook", ok_route());
    let ws = Workspace::new();
    let config = write_sources(
        &ws,
        &format!(
            "[events]\nnotify = [\"json://{}/hook\"]\n\n{}",
            server.url("").trim_start_matches("http://"),
            url_source("story", &server.url("/story"), "")
        ),
    );
    assert_eq!(ws.run(&["check", "--config", &config]).0, 0);
    server.set("/story", page(edited_article()));
    // The catcher holds the request: the version is committed, its alert
    // queued with it, and the delivery is in flight when the process dies.
    let mut slow = ok_route();
    slow.delay = Duration::from_secs(20);
    server.set("/hook", slow);
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("track"))
        .args(["--db", s(&ws.db()), "check", "--config", &config, "--all"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(|| server.hits("/hook") == 1, "the delivery to start");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    assert_eq!(ws.versions(), vec![(server.url("/story"), 2)]);
    let rows = outbox(&ws, false);
    assert_eq!(rows.len(), 1, "the alert is kept: {rows:?}");
    assert_eq!(rows[0]["state"], "pending");
    assert_eq!(rows[0]["version"], 2);

    server.set("/hook", ok_route());
    let (code, _, err) = ws.run(&["check", "--config", &config]);
    assert_eq!(code, 0, "{err}");
    let posted = server.posted("/hook");
    assert_eq!(
        posted.len(),
        2,
        "sent again after the crash (at least once)"
    );
    let e: Value = serde_json::from_str(&posted[1]).unwrap();
    assert_eq!(e["version"], 2);
    assert!(outbox(&ws, false).is_empty());
}

/// An article whose lead sentence gives `n` injured.
fn with_number(title: &str, n: &str) -> String {
    let lead = format!(
        "قال وزير الداخلية إن {n} شخصاً أصيبوا في الحادث الذي وقع صباح اليوم في وسط العاصمة."
    );
    // Each article's own paragraphs: text the same on three articles of one
    // host is learned as page furniture.
    let own: Vec<String> = PARAS[1..]
        .iter()
        .map(|p| format!("{p} ({title})"))
        .collect();
    let mut paras = vec![lead.as_str()];
    paras.extend(own.iter().map(String::as_str));
    article(title, &paras)
}

#[test]
fn rules_leave_spelling_order_and_small_changes_out() {
    let server = Server::start();
    server.set("/a", page(full_article()));
    server.set("/b", page(with_number("خبر ب", "9")));
    server.set("/c", page(with_number("خبر ج", "100")));
    for path in [
        "/services/T/B/AAAA",
        "/services/T/B/BBBB",
        "/services/T/B/CCCC",
    ] {
        server.set(path, ok_route());
    }
    let ws = Workspace::new();
    let base = server.url("");
    let config = write_sources(
        &ws,
        &format!(
            "{}{}{}",
            url_source(
                "a",
                &server.url("/a"),
                &format!("notify = [\"slack://T/B/AAAA?base={base}\"]")
            ),
            url_source(
                "b",
                &server.url("/b"),
                &format!("notify = [\"slack://T/B/BBBB?base={base}\"]\nnotify_on = [\"quantity\"]")
            ),
            url_source(
                "c",
                &server.url("/c"),
                &format!(
                    "notify = [\"slack://T/B/CCCC?base={base}\"]\nnotify_on = [\"quantity\"]\nmin_change = \"10%\""
                )
            ),
        ),
    );
    assert_eq!(ws.run(&["check", "--config", &config]).0, 0);

    // a: a spelling-only edit (a hamza dropped), then a moved-only edit.
    let mut paras = PARAS;
    let spelled = PARAS[0].replace("أصيبوا", "اصيبوا");
    paras[0] = &spelled;
    server.set("/a", page(article("حادث في العاصمة", &paras)));
    // b: 9 → 11; c: 100 → 105.
    server.set("/b", page(with_number("خبر ب", "11")));
    server.set("/c", page(with_number("خبر ج", "105")));
    let (code, _, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    let mut moved = PARAS;
    moved.swap(2, 3);
    moved[0] = &spelled;
    server.set("/a", page(article("حادث في العاصمة", &moved)));
    let (code, _, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");

    // Every version is stored whatever the rules say.
    let versions: std::collections::HashMap<String, u64> = ws.versions().into_iter().collect();
    assert_eq!(versions[&server.url("/a")], 3);
    assert_eq!(versions[&server.url("/b")], 2);
    assert_eq!(versions[&server.url("/c")], 2);
    assert!(
        server.posted("/services/T/B/AAAA").is_empty(),
        "spelling and order only"
    );
    let b = server.posted("/services/T/B/BBBB");
    assert_eq!(b.len(), 1, "9 → 11 is a quantity change: {err}");
    let text = serde_json::from_str::<Value>(&b[0]).unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.contains("9 شخصاً") && text.contains("11 شخصاً"),
        "{text}"
    );
    assert!(
        server.posted("/services/T/B/CCCC").is_empty(),
        "100 → 105 is under 10%"
    );

    // Asked for: notify_on = ["text"] alerts on spelling-only edits too.
    let text_rules = std::fs::read_to_string(&config).unwrap().replacen(
        &format!("notify = [\"slack://T/B/AAAA?base={base}\"]"),
        &format!("notify = [\"slack://T/B/AAAA?base={base}\"]\nnotify_on = [\"text\"]"),
        1,
    );
    std::fs::write(&config, text_rules).unwrap();
    let respelled = PARAS[0].replace("أصيبوا", "إصيبوا");
    moved[0] = &respelled;
    server.set("/a", page(article("حادث في العاصمة", &moved)));
    let (code, _, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(server.posted("/services/T/B/AAAA").len(), 1, "{err}");
}

#[test]
fn bad_notify_settings_are_one_line_without_secrets() {
    let ws = Workspace::new();
    for (extra, want) in [
        (
            "notify = [\"pushover://supersecrettoken@x\"]",
            ":5: notify entry 1: unknown notify scheme \"pushover\"",
        ),
        (
            "notify = [\"slack://T/B/C\", \"smtp://u:supersecrettoken@h\"]",
            ":5: notify entry 2: e-mail: give the recipients",
        ),
        (
            "notify_on = [\"claims\", \"weather\"]",
            ":5: notify_on: unknown value \"weather\"",
        ),
        (
            "min_change = \"10\"",
            ":5: min_change \"10\" must be a percentage",
        ),
    ] {
        let config = write_sources(&ws, &url_source("a", "https://x.org/a", extra));
        let (code, out, err) = ws.run(&["check", "--config", &config]);
        assert_eq!(code, 2, "{extra}: {err}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(want), "{extra}: {err}");
        assert!(!err.contains("supersecrettoken"), "{err}");
    }
    // An empty outbox, before any store exists.
    let (code, out, _) = ws.run(&["outbox"]);
    assert_eq!(code, 0);
    assert!(out.contains("outbox empty"), "{out}");
    assert_eq!(
        ws.json(&["outbox", "--format", "json"]),
        serde_json::json!([])
    );
}
