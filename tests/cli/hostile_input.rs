//! Inputs that used to be lost, garbled or hang: prose mentioning tags, stray
//! bytes in UTF-8, NUL bytes late in a file, named pipes, nonsense sizes and
//! canonical URLs of other sites.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use crate::common::*;

const ARABIC: &str =
    "قال المتحدث باسم الوزارة إن الحكومة اتخذت إجراءات جديدة للحد من انتشار المرض. ";

/// A long plain-text article whose prose mentions `<p>`, `<br>` and `<!--`
/// near the start, with a marker sentence far past them.
fn prose_about_tags(marker: &str) -> String {
    let mut s = String::from(
        "How to write HTML: a paragraph starts with <p> and a line break is <br>.\n\
         A comment starts with <!-- and everything after it is hidden from readers.\n\n",
    );
    for i in 0..2000 {
        s.push_str(&format!(
            "Sentence number {i} of the tutorial explains markup. "
        ));
        if i % 10 == 9 {
            s.push('\n');
        }
    }
    s.push_str(&format!("\n{marker}\n"));
    s
}

#[test]
fn plain_text_mentioning_tags_is_kept_whole() {
    let ws = Workspace::new();
    let v1 = prose_about_tags("The final count was 120 delegates.");
    assert!(v1.len() > 90_000);
    std::fs::write(ws.path("tutorial.txt"), &v1).unwrap();
    ws.add(&[s(&ws.path("tutorial.txt"))]);
    let (code, shown, _) = ws.run(&["show", "tutorial"]);
    assert_eq!(code, 0);
    assert_eq!(
        shown.trim_end(),
        v1.trim_end(),
        "text after <!-- was dropped"
    );

    // An edit far past the `<!--` is a new version, not "unchanged".
    let v2 = prose_about_tags("The final count was 130 delegates.");
    std::fs::write(ws.path("tutorial.txt"), &v2).unwrap();
    let out = ws.add(&[s(&ws.path("tutorial.txt"))]);
    assert!(out.contains("tutorial: new version v2"), "{out}");

    // Standard input without a document start is text too.
    let out = ws
        .track()
        .args(["add", "--key", "piped", "-"])
        .write_stdin(v1.clone())
        .output()
        .unwrap();
    assert!(out.status.success());
    let (_, shown, _) = ws.run(&["show", "piped"]);
    assert_eq!(shown.trim_end(), v1.trim_end());
}

#[test]
fn html_is_html_by_ending_format_or_document_start() {
    let ws = Workspace::new();
    let page = "<p>First paragraph of the story.</p><p>Second paragraph of it.</p>";
    // A fragment piped in is text unless the user says it is HTML.
    let run = |args: &[&str], input: &str| {
        let out = ws.track().args(args).write_stdin(input).output().unwrap();
        assert!(out.status.success(), "{out:?}");
    };
    run(&["add", "--key", "as-text", "-"], page);
    run(
        &["add", "--key", "as-html", "--input-format", "html", "-"],
        page,
    );
    run(
        &["add", "--key", "doc", "-"],
        &format!("<!DOCTYPE html><html><body>{page}</body></html>"),
    );
    let show = |key: &str| ws.run(&["show", key]).1;
    assert!(show("as-text").contains("<p>"));
    assert!(!show("as-html").contains("<p>"));
    assert!(show("as-html").contains("Second paragraph of it."));
    assert!(!show("doc").contains("<p>"));
    // A file ending in .html is HTML whatever its start.
    std::fs::write(ws.path("frag.html"), page).unwrap();
    ws.add(&[s(&ws.path("frag.html"))]);
    assert!(!show("frag").contains("<p>"));
    // And --input-format text keeps even a document as text.
    std::fs::write(
        ws.path("doc.html"),
        format!("<html><body>{page}</body></html>"),
    )
    .unwrap();
    ws.add(&["--input-format", "text", s(&ws.path("doc.html"))]);
    assert!(show("doc").contains("<html>"));
}

#[test]
fn utf8_with_a_stray_byte_is_utf8_with_a_warning_never_mojibake() {
    let ws = Workspace::new();
    let mut bytes = ARABIC.repeat(3).into_bytes();
    let at = bytes.len();
    bytes.push(0xa0);
    bytes.extend_from_slice(ARABIC.as_bytes());
    // Cut in the middle of the last character.
    bytes.extend_from_slice(&"ق".as_bytes()[..1]);
    let cut = bytes.len() - 1;
    std::fs::write(ws.path("stray.txt"), &bytes).unwrap();
    let (code, out, err) = ws.run(&["add", s(&ws.path("stray.txt"))]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("warning: "), "{err}");
    assert!(err.contains("stray.txt"), "{err}");
    assert!(err.contains(&format!("{at}, {cut}")), "{err}");
    let (_, shown, _) = ws.run(&["show", "stray"]);
    assert!(shown.contains("قال المتحدث"), "{shown}");
    assert!(!shown.contains("Ù"), "mojibake stored: {shown}");
    assert_eq!(shown.matches('\u{fffd}').count(), 2);
    let log = ws.json(&["log", "stray", "--format", "json"]);
    assert_eq!(log[0]["version"], 1);

    // The JSON output carries the warning too.
    let (_, out, _) = ws.run(&[
        "add",
        "--format",
        "json",
        "--key",
        "j",
        s(&ws.path("stray.txt")),
    ]);
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert!(
        first["warnings"][0].as_str().unwrap().contains("U+FFFD"),
        "{first}"
    );
}

#[test]
fn a_nul_byte_anywhere_makes_a_file_binary() {
    let ws = Workspace::new();
    let mut bytes = ARABIC.repeat(200).into_bytes();
    assert!(bytes.len() > 8 * 1024 * 2);
    bytes.push(0);
    bytes.extend_from_slice(b"tail");
    std::fs::write(ws.path("late-nul.txt"), &bytes).unwrap();
    let (code, _, err) = ws.run(&["add", s(&ws.path("late-nul.txt"))]);
    assert_eq!(code, 2);
    assert!(
        err.contains("late-nul.txt: binary file (contains NUL bytes)"),
        "{err}"
    );
    assert!(ws.versions().is_empty());
}

fn mkfifo(path: &std::path::Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success());
}

#[test]
fn a_named_pipe_gets_one_error_line_and_never_hangs() {
    let ws = Workspace::new();
    let dir = ws.path("folder");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("a.txt"), ARABIC).unwrap();
    mkfifo(&dir.join("b.txt"));
    std::fs::write(dir.join("c.txt"), ARABIC.repeat(2)).unwrap();
    mkfifo(&ws.path("named.txt"));
    // A link to a pipe is a pipe.
    std::os::unix::fs::symlink(dir.join("b.txt"), dir.join("d.txt")).unwrap();
    let out = ws
        .track()
        .args(["add", s(&dir), s(&ws.path("named.txt"))])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(
        err.matches("not a regular file (a named pipe)").count(),
        3,
        "{err}"
    );
    assert!(err.contains("b.txt: not a regular file"), "{err}");
    assert!(err.contains("named.txt: not a regular file"), "{err}");
    let keys: Vec<String> = ws.versions().into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["a", "c"]);
}

#[test]
fn sizes_are_parsed_exactly_or_refused() {
    let ws = Workspace::new();
    std::fs::write(ws.path("a.txt"), ARABIC).unwrap();
    for bad in ["99999999999999999999", "0.5", "0", "lots"] {
        let (code, _, err) = ws.run(&["add", "--max-size", bad, s(&ws.path("a.txt"))]);
        assert_eq!(code, 2, "--max-size {bad}: {err}");
        assert!(err.contains("--max-size"), "{err}");
        assert!(!err.contains("empty"), "{err}");
    }
    assert!(!ws.db().exists());
    ws.add(&["--max-size", "0.5k", s(&ws.path("a.txt"))]);

    let config = ws.path("sources.toml");
    std::fs::write(
        &config,
        format!(
            "[[source]]\nname = \"d\"\ndir = \"{}\"\nmax_bytes = \"99999999999999999999\"\n",
            ws.dir.path().display()
        ),
    )
    .unwrap();
    let (code, _, err) = ws.run(&["check", "--config", s(&config)]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("sources.toml") && err.contains("too large"),
        "{err}"
    );
}

fn canonical_page(canonical: &str) -> String {
    format!(
        "<!doctype html><html><head><title>Story</title>\
         <link rel=\"canonical\" href=\"{canonical}\"></head>\
         <body><article><h1>Story</h1><p>{ARABIC}</p><p>{ARABIC}{ARABIC}</p></article></body></html>"
    )
}

#[test]
fn a_canonical_url_of_another_site_is_not_trusted() {
    let ws = Workspace::new();
    let victim = "https://victim.example/news/1";
    std::fs::write(ws.path("page.html"), canonical_page(victim)).unwrap();
    let (code, out, err) = ws.run(&[
        "add",
        "--url",
        "https://attacker.example/x",
        s(&ws.path("page.html")),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("new article https://attacker.example/x"),
        "{out}"
    );
    assert!(
        err.contains("not on the site of https://attacker.example/x"),
        "{err}"
    );
    // The same site (another subdomain of it) may name its canonical URL.
    std::fs::write(
        ws.path("same.html"),
        canonical_page("https://example.org/story"),
    )
    .unwrap();
    let out = ws.add(&[
        "--url",
        "https://m.example.org/story?amp=1",
        s(&ws.path("same.html")),
    ]);
    assert!(
        out.contains("new article https://example.org/story"),
        "{out}"
    );
}

/// A server on 127.0.0.1 answering every request with one page, `count` times.
fn serve(body: Vec<u8>, content_type: &'static str, count: usize) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(count) {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    port
}

#[test]
fn fetched_pages_canonical_and_charset() {
    let ws = Workspace::new();
    // A page on one site naming another's URL as canonical.
    let evil = serve(
        canonical_page("http://127.0.0.2:1/victim-story").into_bytes(),
        "text/html; charset=utf-8",
        1,
    );
    // A UTF-8 page with one stray byte, served as UTF-8.
    let mut body = canonical_page("")
        .replace("<link rel=\"canonical\" href=\"\">", "")
        .into_bytes();
    let at = body.len() - 40;
    body.insert(at, 0xa0);
    let stray = serve(body, "text/html; charset=UTF-8", 1);
    let config = ws.path("sources.toml");
    std::fs::write(
        &config,
        format!(
            "[[source]]\nname = \"evil\"\nurl = \"http://127.0.0.1:{evil}/page\"\n\n\
             [[source]]\nname = \"stray\"\nurl = \"http://127.0.0.1:{stray}/page\"\n"
        ),
    )
    .unwrap();
    let (code, _, err) = ws.run(&["check", "--config", s(&config), "--verbose"]);
    assert_eq!(code, 0, "{err}");
    let keys: Vec<String> = ws.versions().into_iter().map(|(k, _)| k).collect();
    assert!(
        keys.contains(&format!("http://127.0.0.1:{evil}/page")),
        "{keys:?}"
    );
    assert!(!keys.iter().any(|k| k.contains("victim")), "{keys:?}");
    assert!(err.contains("is not on the site of"), "{err}");
    assert!(err.contains("invalid UTF-8 sequence replaced"), "{err}");
    for key in keys {
        let (_, shown, _) = ws.run(&["show", &key]);
        assert!(
            shown.contains("قال المتحدث") && !shown.contains("Ù"),
            "{shown}"
        );
    }
}
