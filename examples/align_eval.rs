//! Sentence-alignment quality on the hand-annotated fixtures: micro precision, recall and F1
//! of aligned (old, new) unit pairs (split / merge rows expanded to one pair per part).
//!
//! Gold: `fixtures/align/NAME.gold.json` (a list of `[old, new]` pairs) and the matched rows
//! of `fixtures/diff/NAME.expected.json`.
//!
//! ```text
//! cargo run --release --example align_eval            # default threshold, per-fixture lines
//! cargo run --release --example align_eval -- sweep   # F1 over a range of thresholds
//! ```

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use track::diff::{DiffOptions, diff_texts};

type Pairs = BTreeSet<(usize, usize)>;

fn read(base: &Path, ext: &str) -> String {
    let p = base.with_extension(ext);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn pairs_of(v: &serde_json::Value, from: &str, to: &str) -> Vec<(usize, usize)> {
    let idx = |x: &serde_json::Value| -> Vec<usize> {
        x.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|i| i.as_u64())
                    .map(|i| i as usize)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for row in v.as_array().into_iter().flatten() {
        let (f, t) = (idx(&row[from]), idx(&row[to]));
        for &o in &f {
            for &n in &t {
                out.push((o, n));
            }
        }
    }
    out
}

fn gold_sets() -> Vec<(String, PathBuf, Pairs)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for (dir, suffix) in [("align", ".gold.json"), ("diff", ".expected.json")] {
        let mut names: Vec<String> = std::fs::read_dir(root.join(dir))
            .expect("fixtures directory")
            .filter_map(|e| {
                let n = e.ok()?.file_name().into_string().ok()?;
                n.strip_suffix(suffix).map(str::to_owned)
            })
            .collect();
        names.sort();
        for name in names {
            let base = root.join(dir).join(&name);
            let v: serde_json::Value =
                serde_json::from_str(&read(&base, &suffix[1..])).expect("valid JSON");
            let set: Pairs = if dir == "align" {
                v.as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| Some((p[0].as_u64()? as usize, p[1].as_u64()? as usize)))
                    .collect()
            } else {
                pairs_of(&v, "from", "to").into_iter().collect()
            };
            out.push((format!("{dir}/{name}"), base, set));
        }
    }
    out
}

fn predicted(base: &Path, threshold: f32) -> Pairs {
    let opts = DiffOptions {
        match_threshold: threshold,
        ..DiffOptions::default()
    };
    let d = diff_texts(&read(base, "a.txt"), &read(base, "b.txt"), &opts);
    let mut s = Pairs::new();
    for c in &d.changes {
        for &o in &c.from {
            for &n in &c.to {
                s.insert((o, n));
            }
        }
    }
    s
}

fn prf(tp: usize, np: usize, ng: usize) -> (f64, f64, f64) {
    let p = tp as f64 / np.max(1) as f64;
    let r = tp as f64 / ng.max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

fn main() {
    let sets = gold_sets();
    let sweep = std::env::args().any(|a| a == "sweep");
    let thresholds: Vec<f32> = if sweep {
        (6..=14).map(|k| k as f32 * 0.05).collect()
    } else {
        vec![DiffOptions::default().match_threshold]
    };
    for t in thresholds {
        let (mut tp, mut np, mut ng) = (0, 0, 0);
        for (name, base, gold) in &sets {
            let pred = predicted(base, t);
            let hit = pred.intersection(gold).count();
            if !sweep {
                let (p, r, f) = prf(hit, pred.len(), gold.len());
                let missed: Vec<_> = gold.difference(&pred).collect();
                let wrong: Vec<_> = pred.difference(gold).collect();
                println!(
                    "{name:32} P {p:.3} R {r:.3} F1 {f:.3}  missed {missed:?} wrong {wrong:?}"
                );
            }
            tp += hit;
            np += pred.len();
            ng += gold.len();
        }
        let (p, r, f) = prf(tp, np, ng);
        println!(
            "threshold {t:.2}: {} version pairs, {ng} gold pairs, {np} predicted: P {p:.4} R {r:.4} F1 {f:.4}",
            sets.len()
        );
    }
}
