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
