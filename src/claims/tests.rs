//! Claim comparison on the fixture pairs (one per change kind) and on the
//! two seed articles (two outlets, one event).

use std::path::Path;

use super::compare::{ClaimChange, Status, compare_versions};
use super::{ExtractOptions, extract};
use crate::diff::{DiffOptions, diff_texts};

fn fixture(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The rows that report something, as (status, [(slot, kind)]).
fn summary(rows: &[ClaimChange]) -> Vec<(String, Vec<(String, String)>)> {
    rows.iter()
        .filter(|r| r.status != Status::Unchanged)
        .map(|r| {
            let status = serde_json::to_value(r.status)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string();
            (
                status,
                r.changes
                    .iter()
                    .map(|c| (c.slot.to_string(), c.kind.to_string()))
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn each_change_kind_is_reported_exactly() {
    let names = [
        "update",
        "refinement",
        "hedge",
        "date",
        "quote",
        "attribution",
        "entity",
        "polarity",
        "roles",
        "antonym",
        "before_after",
        "reworded",
        "rewrite_same_values",
    ];
    let opts = ExtractOptions::default();
    let mut failures = Vec::new();
    for name in names {
        let a = fixture(&format!("claims/{name}.a.txt"));
        let b = fixture(&format!("claims/{name}.b.txt"));
        let expected: Vec<(String, Vec<(String, String)>)> =
            serde_json::from_str(&fixture(&format!("claims/{name}.expected.json"))).unwrap();
        let diff = diff_texts(&a, &b, &DiffOptions::default());
        let rows = compare_versions(&diff, &a, &b, &extract(&a, &opts), &extract(&b, &opts));
        let got = summary(&rows);
        if got != expected {
            failures.push(format!("{name}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Shared pairs a reader of both seed articles accepts, as (a phrase of the
/// first article's sentence, a phrase of the second's, why). A `shared` row
/// shown by default must be one of these.
const ACCEPTED_SHARED: &[(&str, &str, &str)] = &[
    (
        "10 آلاف جندي",
        "آلاف الجنود الكوريين",
        "both: thousands of North Korean soldiers sent to fight for Russia",
    ),
    (
        "كورسك",
        "كورسك",
        "both: North Korean troops in the Kursk fighting",
    ),
    (
        "الدفاع المشترك",
        "الدفاع المشترك",
        "both: the mutual-defence clause of the partnership",
    ),
];

#[test]
fn seeds_compared_across_outlets() {
    let a = fixture("seeds/000_00b06d22c5d2f91c.txt");
    let b = fixture("seeds/004_f29be4e2a4ac97ad.txt");
    let report = crate::compare::compare_texts(
        &a,
        &b,
        crate::report::Mode::Articles,
        &crate::compare::CompareOptions::default(),
    );
    let rows = &report.claims;
    let text = |s: &Option<super::compare::ClaimSide>| {
        s.as_ref().map(|s| s.text.clone()).unwrap_or_default()
    };
    // Every row carries a confidence, and the report a summary.
    assert!(rows.iter().all(|r| r.confidence.is_some()));
    assert!(report.summary.is_some());

    // Every shared pair shown by default is one a reader accepts.
    let (shown, _) = report.shown_claims();
    for r in shown.iter().filter(|r| r.status == Status::Shared) {
        let (f, t) = (text(&r.from), text(&r.to));
        assert!(
            ACCEPTED_SHARED
                .iter()
                .any(|(x, y, _)| f.contains(x) && t.contains(y)),
            "a shared pair no reader accepts is shown: {f} | {t}"
        );
    }
    // About 2,000 killed in all the fighting against 9 killed in one demining
    // mission: different scopes, not outlets disagreeing.
    assert!(
        !rows.iter().any(|r| r.status == Status::Conflicting
            && text(&r.from).contains("2000")
            && (text(&r.to).contains("تسعة") || text(&r.to).contains(" 9 "))),
        "2000 killed set against 9 as a conflict"
    );
    // Putin's letter to Kim is not Kim's letter to Putin.
    assert!(
        !rows.iter().any(|r| r.status == Status::Shared
            && text(&r.from).contains("بوتين لكيم")
            && text(&r.to).contains("لبوتين")),
        "Putin to Kim shared with Kim to Putin"
    );
    // The strategic-partnership treaty: only in 000.
    let treaty: Vec<&ClaimChange> = rows
        .iter()
        .filter(|r| text(&r.from).contains("المعاهدة التاريخية"))
        .collect();
    assert!(!treaty.is_empty());
    assert!(
        treaty.iter().all(|r| r.status == Status::OnlyFrom),
        "treaty: {treaty:#?}"
    );
    // The order to raise missile production: only in 004.
    let missiles: Vec<&ClaimChange> = rows
        .iter()
        .filter(|r| text(&r.to).contains("إنتاج الصواريخ"))
        .collect();
    assert!(!missiles.is_empty());
    assert!(
        missiles.iter().all(|r| r.status == Status::OnlyTo),
        "missiles: {missiles:#?}"
    );
}

#[test]
fn seeds_read_the_same_whichever_comes_first() {
    let a = fixture("seeds/000_00b06d22c5d2f91c.txt");
    let b = fixture("seeds/004_f29be4e2a4ac97ad.txt");
    let compare = |x: &str, y: &str| {
        crate::compare::compare_texts(
            x,
            y,
            crate::report::Mode::Articles,
            &crate::compare::CompareOptions::default(),
        )
    };
    let (ab, ba) = (compare(&a, &b), compare(&b, &a));
    let text = |s: &Option<super::compare::ClaimSide>| {
        s.as_ref().map(|s| s.text.clone()).unwrap_or_default()
    };
    // Each row as (first article's claim, second's, status, confidence), the
    // second report's rows turned round.
    let rows = |report: &crate::report::DiffReport, turned: bool| {
        let mut rows: Vec<(String, String, Status, i64)> = report
            .claims
            .iter()
            .map(|r| {
                let confidence = (r.confidence.unwrap_or(0.0) * 1e4).round() as i64;
                if turned {
                    let status = match r.status {
                        Status::OnlyFrom => Status::OnlyTo,
                        Status::OnlyTo => Status::OnlyFrom,
                        s => s,
                    };
                    (text(&r.to), text(&r.from), status, confidence)
                } else {
                    (text(&r.from), text(&r.to), r.status, confidence)
                }
            })
            .collect();
        rows.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
        rows
    };
    assert_eq!(rows(&ab, false), rows(&ba, true));
    let summary = |r: &crate::report::DiffReport| {
        r.summary.as_ref().map(|s| {
            (
                format!("{:?}", s.relation),
                (s.confidence * 1e4).round() as i64,
            )
        })
    };
    assert_eq!(summary(&ab), summary(&ba));
}
