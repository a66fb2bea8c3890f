//! The HTML report in a real browser (headless Chromium): nothing from the
//! scrape runs, and Arabic paragraphs lay out right to left.
//!
//! Chromium comes from Debian's `chromium` package (`.ci/run` installs it).
//! Without it the test fails under CI and is reported as not run elsewhere.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use crate::diff::hostile_pair;

pub(crate) fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::split_paths(&std::env::var_os("PATH")?)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
}

/// The DOM after the page loaded (and ran whatever it was allowed to run).
pub(crate) fn dump_dom(browser: &Path, page: &Path, profile: &Path) -> String {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn report_runs_no_script_and_lays_out_arabic_rtl() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium (.ci/run installs it)"
        );
        eprintln!(
            "NOTE: chromium not found; the browser test did not run (apt-get install chromium)"
        );
        return;
    };
    let ws = Workspace::new();
    let (a, b) = hostile_pair(&ws);
    ws.add(&["--key", "k", s(&a)]);
    ws.add(&["--key", "k", s(&b)]);
    let report = ws.path("report.html");
    ws.track()
        .args(["diff", "--format", "html", "-o", s(&report), "k"])
        .assert()
        .code(1);

    // 1. As generated: the scrape's markup is text, nothing runs.
    let dom = dump_dom(&browser, &report, &ws.path("profile1"));
    assert!(
        !dom.contains("<title>PWNED"),
        "a script from the scrape ran"
    );
    assert!(
        dom.contains("<title>track diff k@1 → k@2</title>"),
        "the title was changed"
    );
    assert!(
        !dom.contains("data-pwned=\"1\""),
        "an event handler from the scrape ran"
    );
    assert!(
        dom.contains("&lt;script&gt;document.title="),
        "the payload is visible as text"
    );

    // 2. A copy with a measuring script of ours (the report itself forbids
    //    scripts): where do the first and last letters of an Arabic paragraph sit?
    let html = fs::read_to_string(&report).unwrap();
    let csp_start = html
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .unwrap();
    let csp_end = csp_start + html[csp_start..].find('>').unwrap() + 1;
    let probe = r#"<script>
const p = document.querySelector('.inline .row p');
const text = p.firstChild;
const rect = (i) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1); return r.getBoundingClientRect(); };
const first = rect(0), last = rect(text.length - 2);
document.body.setAttribute('data-direction', getComputedStyle(p).direction);
document.body.setAttribute('data-first-right-of-last', String(first.left > last.left || first.top < last.top && first.right > last.right));
const claims = document.querySelector('table.claimtab');
document.body.setAttribute('data-claims-shown', String(!!claims && claims.offsetHeight > 0));
</script>"#;
    let measured = format!("{}{}", &html[..csp_start], &html[csp_end..])
        .replace("</body>", &format!("{probe}</body>"));
    let harness = ws.path("harness.html");
    fs::write(&harness, measured).unwrap();
    let dom = dump_dom(&browser, &harness, &ws.path("profile2"));
    assert!(
        dom.contains("data-direction=\"rtl\""),
        "the Arabic paragraph is not rtl: {}",
        &dom[..dom.len().min(400)]
    );
    assert!(
        dom.contains("data-first-right-of-last=\"true\""),
        "the first letter is not on the right"
    );
    // The claim changes (12 thousand against 10 thousand soldiers) are shown first.
    assert!(
        dom.contains("data-claims-shown=\"true\""),
        "the claim changes are not displayed"
    );
}

/// Chromium's flags for a quiet, local, headless run.
const HEADLESS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=3000",
];

/// The DOM of a served page after it loaded.
fn dump_url(browser: &Path, url: &str, profile: &Path) -> String {
    let out = Command::new(browser)
        .args(HEADLESS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed on {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A screenshot of a served page.
fn screenshot(browser: &Path, url: &str, profile: &Path, png: &Path) {
    let out = Command::new(browser)
        .args(HEADLESS)
        .args(["--hide-scrollbars", "--window-size=1280,1600"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        out.status.success() && png.is_file(),
        "no screenshot of {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Where the served pages' screenshots go: `target/serve-screenshots/`.
fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("serve-screenshots");
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// What a page shows as text, roughly: its DOM with the entities of
/// escaping turned back.
fn shown(dom: &str) -> String {
    dom.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// No script from a scrape ran: the title is the page's own, and the
/// payload's attribute was never set.
fn assert_nothing_ran(dom: &str, what: &str) {
    assert!(!dom.contains("<title>PWNED"), "{what}: a script ran");
    assert!(
        !dom.contains("data-pwned=\"1\""),
        "{what}: an event handler from the scrape ran"
    );
}

#[test]
fn serve_in_a_browser_list_article_diff_search_and_a_result() {
    use crate::serve::{Served, get, hostile_article, param, seeded};
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium (.ci/run installs it)"
        );
        eprintln!(
            "NOTE: chromium not found; the served pages' browser test did not run (apt-get install chromium)"
        );
        return;
    };
    let ws = Workspace::new();
    seeded(&ws);
    let evil = hostile_article(&ws);
    let served = Served::start(&ws, &[]);
    let shots = screenshot_dir();
    let profile = |n: &str| ws.path(&format!("profile-{n}"));

    // 1. The list: both articles, the hostile title as text.
    let list = dump_url(&browser, &served.url("/"), &profile("list"));
    assert_nothing_ran(&list, "list");
    assert!(list.contains("<title>track: articles</title>"), "{list}");
    assert!(list.contains(SEED_004) && list.contains(">k<"), "{list}");
    assert!(shown(&list).contains("</title><script>document.title='PWNED'</script> عنوان"));
    screenshot(
        &browser,
        &served.url("/"),
        &profile("list"),
        &shots.join("list.png"),
    );

    // 2. An article: claim changes first, then the timeline.
    let article_url = served.url("/article?key=k");
    let article = dump_url(&browser, &article_url, &profile("article"));
    let claims_at = article.find("Claim and headline changes").expect("claims");
    let timeline_at = article.find("Timeline").expect("timeline");
    assert!(claims_at < timeline_at);
    assert!(article.contains("quantity update") && article.contains("نحو 2300 جندي"));
    screenshot(
        &browser,
        &article_url,
        &profile("article"),
        &shots.join("article.png"),
    );
    let evil_url = served.url(&format!("/article?key={}", param(evil)));
    let evil_page = dump_url(&browser, &evil_url, &profile("evil"));
    assert_nothing_ran(&evil_page, "hostile article");
    assert!(shown(&evil_page).contains("<script>document.title='PWNED'</script>"));
    screenshot(
        &browser,
        &evil_url,
        &profile("evil"),
        &shots.join("hostile-article.png"),
    );

    // 3. A diff: the word change, laid out right to left.
    let diff_url = served.url("/diff?from=k%401&to=k%402");
    let diff = dump_url(&browser, &diff_url, &profile("diff"));
    assert!(
        diff.contains("<del><bdi>2000</bdi></del><ins><bdi>2300</bdi></ins>"),
        "{diff}"
    );
    screenshot(
        &browser,
        &diff_url,
        &profile("diff"),
        &shots.join("diff.png"),
    );
    let evil_diff_url = served.url(&format!("/diff?ref={}", param(evil)));
    let evil_diff = dump_url(&browser, &evil_diff_url, &profile("evil-diff"));
    assert_nothing_ran(&evil_diff, "hostile diff");
    assert!(shown(&evil_diff).contains("<img src=x onerror="));
    screenshot(
        &browser,
        &evil_diff_url,
        &profile("evil-diff"),
        &shots.join("hostile-diff.png"),
    );
    // Where do an Arabic row's first and last letters sit? The served page
    // allows no script, so a copy with the served style sheet and a
    // measuring script of ours is loaded from a file.
    let page = get(&served.addr, "/diff?from=k%401&to=k%402", &[]).body;
    let css = get(&served.addr, "/static/track.css", &[]).body;
    fs::write(ws.path("track.css"), css).unwrap();
    let probe = r#"<script>
const p = document.querySelector('.inline .row.edited p');
const text = p.firstChild;
const rect = (i) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1); return r.getBoundingClientRect(); };
const first = rect(0), last = rect(text.length - 2);
document.body.setAttribute('data-direction', getComputedStyle(p).direction);
document.body.setAttribute('data-first-right-of-last', String(first.left > last.left || first.top < last.top && first.right > last.right));
</script>"#;
    let harness = ws.path("served-diff.html");
    fs::write(
        &harness,
        page.replace("/static/track.css", "track.css")
            .replace("</body>", &format!("{probe}</body>")),
    )
    .unwrap();
    let measured = dump_dom(&browser, &harness, &profile("harness"));
    assert!(
        measured.contains("data-direction=\"rtl\""),
        "the Arabic diff is not right to left"
    );
    assert!(
        measured.contains("data-first-right-of-last=\"true\""),
        "the first letter is not on the right"
    );

    // 4. A search, and a result followed.
    let search_url = served.url(&format!("/search?q={}", param("2300 جندي")));
    let search = dump_url(&browser, &search_url, &profile("search"));
    assert!(search.contains("<mark>2300</mark>"), "{search}");
    assert!(search.contains("still there"));
    screenshot(
        &browser,
        &search_url,
        &profile("search"),
        &shots.join("search.png"),
    );
    let link = search
        .split("href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .find(|href| href.starts_with("/version?ref="))
        .expect("a result links to a version")
        .replace("&amp;", "&");
    let result_url = served.url(&link);
    let result = dump_url(&browser, &result_url, &profile("result"));
    assert!(result.contains("2300 جندي"), "{result}");
    assert!(result.contains("class=\"text\" dir=\"rtl\""), "{result}");
    screenshot(
        &browser,
        &result_url,
        &profile("result"),
        &shots.join("result.png"),
    );
    let evil_search = served.url(&format!("/search?q={}", param("الشيفرة")));
    assert_nothing_ran(
        &dump_url(&browser, &evil_search, &profile("evil-search")),
        "search",
    );
}
