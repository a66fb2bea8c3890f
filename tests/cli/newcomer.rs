//! What a newcomer hit (issue 11): claim values that read backwards in a
//! bidi terminal, HTML report labels and layout, and a 90 MB release binary.

use std::collections::HashMap;

use unicode_bidi::{BidiInfo, Level};

use crate::common::*;

/// The directions a terminal may give each line: from its first strong
/// letter (terminals that detect it), or left to right (most others).
fn paragraphs() -> [Option<Level>; 2] {
    [None, Some(Level::ltr())]
}

/// The visual column of each character of `line` (by byte offset) in a
/// terminal that lays lines out with the Unicode bidi algorithm.
fn columns(line: &str, para: Option<Level>) -> HashMap<usize, usize> {
    let info = BidiInfo::new(line, para);
    let mut map = HashMap::new();
    let Some(p) = info.paragraphs.first() else {
        return map;
    };
    let (levels, runs) = info.visual_runs(p, p.range.clone());
    let mut column = 0;
    for run in runs {
        let mut offsets: Vec<usize> = line[run.clone()]
            .char_indices()
            .map(|(i, _)| run.start + i)
            .collect();
        if levels[run.start].is_rtl() {
            offsets.reverse();
        }
        for o in offsets {
            map.insert(o, column);
            column += 1;
        }
    }
    map
}

/// Where the first occurrence of `needle` at or after line `from_line` is
/// displayed: (line, leftmost column, rightmost column).
fn shown_at(
    out: &str,
    needle: &str,
    from_line: usize,
    para: Option<Level>,
) -> (usize, usize, usize) {
    for (n, line) in out.lines().enumerate().skip(from_line) {
        if let Some(at) = line.find(needle) {
            let cols = columns(line, para);
            let spots: Vec<usize> = line[at..at + needle.len()]
                .char_indices()
                .map(|(i, _)| cols[&(at + i)])
                .collect();
            let (lo, hi) = (spots.iter().min().unwrap(), spots.iter().max().unwrap());
            return (n, *lo, *hi);
        }
    }
    panic!("{needle:?} not found after line {from_line} in:\n{out}")
}

/// Read top to bottom and left to right as displayed, `old` comes before `new`.
fn assert_reads_before(out: &str, old: &str, new: &str, from_line: usize) {
    for para in paragraphs() {
        let a = shown_at(out, old, from_line, para);
        let b = shown_at(out, new, from_line, para);
        assert!(
            a.0 < b.0 || (a.0 == b.0 && a.2 < b.1),
            "with paragraph direction {para:?}, {old:?} is shown at {a:?}, after {new:?} at {b:?}:\n{}",
            out.lines()
                .skip(from_line)
                .take(6)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// The index of the first line that starts with `prefix`.
fn line_starting(out: &str, prefix: &str) -> usize {
    out.lines()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starts with {prefix:?}:\n{out}"))
}

#[test]
fn claim_values_read_old_then_new_in_bidi_terminals() {
    let ws = Workspace::new();
    ws.add(&[s(&fixture("seeds"))]);
    ws.add(&["--key", SEED_000, s(&fixture("edits/000_v2.txt"))]);
    let (code, out, err) = ws.run(&["diff", SEED_000]);
    assert_eq!(code, 1, "{err}");
    let claims = line_starting(&out, "~ quantity update");
    assert_reads_before(&out, "نحو 2000 جندي", "نحو 2300 جندي", claims);
    // Each value is labelled, the label first on its line as displayed.
    for (label, value) in [("was:", "نحو 2000 جندي"), ("now:", "نحو 2300 جندي")] {
        let line = out.lines().find(|l| l.contains(value)).unwrap();
        assert!(line.trim_start().starts_with(label), "{line}");
        assert_reads_before(line, label, value, 0);
    }

    // Two outlets: the first article's value first, each named.
    let outlets = Workspace::new();
    std::fs::write(outlets.path("a.txt"), "قتل نحو 2000 جندي في معارك كورسك\n").unwrap();
    std::fs::write(outlets.path("b.txt"), "قتل 9 جنود في معارك كورسك\n").unwrap();
    outlets.add(&["a.txt", "b.txt"]);
    let (code, out, err) = outlets.run(&["diff", "--min-confidence", "0", "a", "b"]);
    assert_eq!(code, 1, "{err}");
    let conflict = line_starting(&out, "≠ quantity conflict");
    assert_reads_before(&out, "نحو 2000 جندي", "9 جنود", conflict);
    let line = out
        .lines()
        .skip(conflict)
        .find(|l| l.contains("9 جنود"))
        .unwrap();
    assert!(line.trim_start().starts_with("in b@1:"), "{line}");
}

/// Release builds ship without debug info (the binary was 90 MB of line
/// tables); a `profiling` profile keeps line tables for perf.
#[test]
fn release_profile_has_no_debug_info_and_profiling_keeps_it() {
    let manifest: toml::Table = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"),
    )
    .unwrap()
    .parse()
    .unwrap();
    let profile = |name: &str| -> toml::Table {
        manifest["profile"][name]
            .as_table()
            .unwrap_or_else(|| panic!("no [profile.{name}]"))
            .clone()
    };
    let release = profile("release");
    let no_debug = |v: Option<&toml::Value>| match v {
        None => true,
        Some(toml::Value::Boolean(b)) => !b,
        Some(toml::Value::Integer(n)) => *n == 0,
        Some(toml::Value::String(s)) => s == "none",
        Some(_) => false,
    };
    assert!(
        no_debug(release.get("debug")),
        "[profile.release] keeps debug info: {release:?}"
    );
    assert!(
        matches!(
            release.get("strip").and_then(|s| s.as_str()),
            Some("debuginfo" | "symbols")
        ),
        "[profile.release] does not strip the standard library's debug info: {release:?}"
    );
    let profiling = profile("profiling");
    assert_eq!(profiling["inherits"].as_str(), Some("release"));
    assert!(
        !no_debug(profiling.get("debug")),
        "[profile.profiling] has no debug info: {profiling:?}"
    );
}

/// The line as displayed, left to right, brackets mirrored in right-to-left runs.
fn displayed(line: &str, para: Option<Level>) -> String {
    let info = BidiInfo::new(line, para);
    let Some(p) = info.paragraphs.first() else {
        return String::new();
    };
    let (levels, runs) = info.visual_runs(p, p.range.clone());
    let mut shown = String::new();
    for run in runs {
        let rtl = levels[run.start].is_rtl();
        let mut chars: Vec<char> = line[run.clone()].chars().collect();
        if rtl {
            chars.reverse();
            for c in &mut chars {
                *c = match *c {
                    '[' => ']',
                    ']' => '[',
                    '{' => '}',
                    '}' => '{',
                    '(' => ')',
                    ')' => '(',
                    '<' => '>',
                    '>' => '<',
                    c => c,
                };
            }
        }
        shown.extend(chars);
    }
    shown
}

/// The checker sees the old layout (`old → new` on one line) read backwards.
#[test]
fn one_line_arrow_reads_backwards_in_a_bidi_terminal() {
    let line = "~ quantity update: نحو 2000 جندي → نحو 2300 جندي";
    for para in paragraphs() {
        let (old, new) = (
            shown_at(line, "2000", 0, para),
            shown_at(line, "2300", 0, para),
        );
        assert!(old.1 > new.2, "{para:?}: {}", displayed(line, para));
    }
}

/// Word changes inside an Arabic sentence keep their markers whole in a
/// bidi terminal, the deleted words first in the sentence's (right-to-left)
/// reading order, whichever direction the terminal gives the line. (Known
/// limit, not changed here: a number replaced by a Latin word inside an
/// Arabic sentence, `[-2000-]{+Trump+}`, is split around the neighbouring
/// Arabic word when the terminal forces left-to-right lines; the markers
/// still say which is which.)
#[test]
fn word_markers_in_arabic_rows_stay_whole() {
    let ws = Workspace::new();
    ws.add(&[s(&fixture("seeds"))]);
    ws.add(&["--key", SEED_000, s(&fixture("edits/000_v2.txt"))]);
    let (code, out, err) = ws.run(&["diff", SEED_000]);
    assert_eq!(code, 1, "{err}");
    let line = out.lines().find(|l| l.contains("[-2000-]")).unwrap();
    for para in paragraphs() {
        let shown = displayed(line, para);
        let (old, new) = (
            shown.find("[-2000-]").expect(&shown),
            shown.find("{+2300+}").expect(&shown),
        );
        // Read right to left, as the Arabic around them: old first.
        assert!(old > new, "{para:?}: {shown}");
    }
}

/// The claims table of an HTML report (from its start to `</table>`).
fn claims_table(html: &str) -> &str {
    let start = html
        .find(r#"<table class="claimtab""#)
        .expect("a claims table");
    &html[start..start + html[start..].find("</table>").unwrap()]
}

/// What the HTML report's claims table says: row classes and labels are the
/// contract's status names, each with a colour; the columns are headed with
/// the two sides; an RTL article's first side is on the right; the view
/// switches show which view is on.
#[test]
fn html_report_claims_use_the_contract_names_and_name_both_sides() {
    let ws = Workspace::new();
    ws.add(&[s(&fixture("seeds"))]);
    ws.add(&["--key", SEED_000, s(&fixture("edits/000_v2.txt"))]);
    let from_ref = format!("{SEED_000}@1");
    let report = ws.path("articles.html");
    ws.track()
        .args([
            "diff",
            "--format",
            "html",
            // Every row, not only those the model is sure enough of to show
            // by default: the contract holds for all (which rows pass the
            // threshold is the model's business, not this test's).
            "--min-confidence",
            "0",
            "-o",
            s(&report),
            &from_ref,
            SEED_004,
        ])
        .assert()
        .code(1);
    let html = std::fs::read_to_string(&report).unwrap();
    let table = claims_table(&html);
    let contract = [
        "added",
        "removed",
        "changed",
        "reworded",
        "shared",
        "conflicting",
        "related",
        "only_from",
        "only_to",
    ];
    let mut seen = std::collections::BTreeSet::new();
    for row in table.split(r#"<tr class="claim "#).skip(1) {
        let status = &row[..row.find('"').unwrap()];
        assert!(
            contract.contains(&status),
            "class {status:?} is not a contract status"
        );
        // The label is the status too.
        assert!(
            row.contains(&format!(">{status}<")),
            "row {status} labelled otherwise: {}",
            &row[..row.len().min(200)]
        );
        seen.insert(status.to_string());
    }
    for status in ["only_from", "only_to", "related"] {
        assert!(seen.contains(status), "no {status} row: {seen:?}");
        assert!(
            html.contains(&format!("tr.claim.{status}")),
            "no colour for {status} rows"
        );
    }
    // Column headings name both articles.
    let head = &table[..table.find("</thead>").expect("column headings")];
    for name in [
        from_ref.as_str(),
        &format!("{SEED_004}@1"),
        "first",
        "second",
    ] {
        assert!(head.contains(name), "{name} not in the headings: {head}");
    }

    // Two versions: the headings give each version and its date.
    let v = ws.json_any(&["diff", "--format", "json", SEED_000]);
    let report = ws.path("versions.html");
    ws.track()
        .args(["diff", "--format", "html", "-o", s(&report), SEED_000])
        .assert()
        .code(1);
    let html = std::fs::read_to_string(&report).unwrap();
    let table = claims_table(&html);
    let head = &table[..table.find("</thead>").expect("column headings")];
    for side in ["from", "to"] {
        let reference = format!(
            "{}@{}",
            v[side]["key"].as_str().unwrap(),
            v[side]["version"]
        );
        let date = v[side]["fetched_at"].as_str().unwrap();
        for needle in [reference.as_str(), date] {
            assert!(
                head.contains(needle),
                "{needle} not in the headings: {head}"
            );
        }
    }
    // The article is Arabic (a text scrape: no declared dir): both tables put
    // the first side on the right, the side-by-side headings first side first.
    assert!(
        table.starts_with(r#"<table class="claimtab" dir="rtl""#),
        "{table:.80}"
    );
    let side = &html[html.find(r#"<table class="side""#).unwrap()..];
    assert!(
        side.starts_with(r#"<table class="side" dir="rtl""#),
        "{side:.80}"
    );
    let first_th = &side[side.find("<th").unwrap()..];
    assert!(
        first_th[..first_th.find("</th>").unwrap()].contains(&format!("{SEED_000}@1")),
        "{side:.300}"
    );

    // In a browser: the first side's cell is right of the second's, and the
    // switch of the view that is on looks different from the other.
    let Some(browser) = crate::browser::chromium() else {
        eprintln!("NOTE: chromium not found; the layout was not checked in a browser");
        return;
    };
    let csp_start = html
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .unwrap();
    let csp_end = csp_start + html[csp_start..].find('>').unwrap() + 1;
    let probe = r#"<script>
const bg = (id) => getComputedStyle(document.querySelector(`label[for="${id}"]`)).backgroundColor;
const before = [bg('view-inline'), bg('view-side')];
document.getElementById('view-side').checked = true;
const after = [bg('view-inline'), bg('view-side')];
document.body.setAttribute('data-active-shown', String(before[0] !== before[1] && after[0] === before[1] && after[1] === before[0]));
const cells = document.querySelector('table.side tbody tr.edited').querySelectorAll('td');
const [a, b] = [cells[0].getBoundingClientRect(), cells[1].getBoundingClientRect()];
document.body.setAttribute('data-first-right', String(a.width > 0 && a.left > b.left));
</script>"#;
    let measured = format!("{}{}", &html[..csp_start], &html[csp_end..])
        .replace("</body>", &format!("{probe}</body>"));
    let harness = ws.path("harness.html");
    std::fs::write(&harness, measured).unwrap();
    let dom = crate::browser::dump_dom(&browser, &harness, &ws.path("profile"));
    assert!(
        dom.contains(r#"data-active-shown="true""#),
        "the active view switch looks like the other"
    );
    assert!(
        dom.contains(r#"data-first-right="true""#),
        "the old version is not on the right in the side-by-side view"
    );
}
