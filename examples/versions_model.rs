//! Train and measure the confidence of versions-mode claim rows
//! (`src/claims/versions_model.json`) on real Wikinews revisions whose edits people labelled
//! with why they were made (IteraTeR news, development half, `../shared/data/iterater-news-dev/`;
//! never copied into the repository; the held-out half is never read).
//!
//! ```text
//! cargo run --release --example versions_model -- train   # writes src/claims/versions_model.json
//! cargo run --release --example versions_model -- cv      # figures only
//!     [--data DIR] [--out FILE] [--oof FILE] [--l2 X] [--features a,b,…]
//! ```
//!
//! Every edit goes through the library path of `track diff` in versions mode
//! (`compare_texts`: segmentation, alignment, extraction, `compare_versions`), its `before`
//! as the first version and its `after` as the second. A flagged row (`changed`, `added`,
//! `removed`) is a positive when its edit is `meaning-changed`. The model is a logistic
//! regression over `versions_model::FEATURES`.
//!
//! The data has one split, so every figure is out-of-fold: 5-fold cross-validation **by
//! document** (all edits of a document in one fold; fold = blake3(salt + doc id) mod 5),
//! repeated with 5 salts for the spread. The threshold that decides what human outputs show
//! is chosen inside each training part (by an inner cross-validation over its folds) and
//! applied to the held-out fold, so it is out-of-fold too. The committed model is trained
//! on every edit; its threshold is chosen on the out-of-fold predictions of salt 0.
//! `--oof FILE` writes salt 0's out-of-fold rows per edit, for `scripts/eval_iterater.py`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use track::claims::compare::Status;
use track::claims::versions_model::{FEATURES, VersionsModel, row_features};
use track::compare::{CompareOptions, compare_texts};
use track::report::Mode;

/// The features the committed model uses (out of `FEATURES`; `--features` tries others).
/// `added` and `removed` weighed nothing (the word counts say it); the names and numbers
/// an edit brings in are the facts it adds.
const MODEL_FEATURES: &[&str] = &[
    "removal_only",
    "log_inserted_words",
    "log_deleted_words",
    "log_inserted_names",
];
/// The L2 penalty: out of fold, its slope of calibration is about 1 (5 leaves the model
/// overconfident, 20 underconfident).
const L2: f64 = 10.0;
const FOLDS: u8 = 5;
const SALTS: [&str; 5] = ["0", "1", "2", "3", "4"];
/// Precision wanted of the edits shown by default (issue 12's versions-mode target).
const TARGET: f64 = 0.7;
/// A threshold must leave this many edits shown where it is chosen (precision of a
/// handful is luck).
const MIN_SHOWN: usize = 20;

struct Edit {
    id: String,
    doc: String,
    positive: bool,
    /// Flagged rows: status and features.
    rows: Vec<(Status, Vec<f64>)>,
}

fn load(dir: &std::path::Path) -> Vec<Edit> {
    let path = dir.join("edits.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the data lives in ../shared/data/)",
            path.display()
        )
    });
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let e: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
        let (before, after) = (s("before"), s("after"));
        // An empty `after` cannot be a version (the data's README).
        if after.trim().is_empty() {
            continue;
        }
        // As `scripts/eval_iterater.py` writes the two versions.
        let report = compare_texts(
            &format!("{before}\n"),
            &format!("{after}\n"),
            Mode::Versions,
            &CompareOptions::default(),
        );
        let rows = report
            .claims
            .iter()
            .filter_map(|r| {
                row_features(r).map(|x| (r.status, x.into_iter().map(f64::from).collect()))
            })
            .collect();
        out.push(Edit {
            id: s("id"),
            doc: e["doc_id"].to_string().trim_matches('"').to_string(),
            positive: s("intent") == "meaning-changed",
            rows,
        });
    }
    out
}

fn fold(salt: &str, doc: &str) -> u8 {
    blake3::hash(format!("{salt}{doc}").as_bytes()).as_bytes()[0] % FOLDS
}

/// Standardised logistic regression, fitted by full-batch gradient descent with an L2
/// penalty on the weights (deterministic: no sampling).
fn fit(x: &[Vec<f64>], y: &[bool], l2: f64, names: &[&str]) -> VersionsModel {
    let (n, f) = (x.len().max(1) as f64, names.len());
    let mut mean = vec![0.0; f];
    let mut scale = vec![0.0; f];
    for r in x {
        for j in 0..f {
            mean[j] += r[j] / n;
        }
    }
    for r in x {
        for j in 0..f {
            scale[j] += (r[j] - mean[j]).powi(2) / n;
        }
    }
    // A feature constant in the training part (no added row in a fold) gets no weight.
    scale.iter_mut().for_each(|s| *s = s.sqrt().max(1e-3));
    let z: Vec<Vec<f64>> = x
        .iter()
        .map(|r| (0..f).map(|j| (r[j] - mean[j]) / scale[j]).collect())
        .collect();
    let (mut w, mut b) = (vec![0.0; f], 0.0);
    for _ in 0..4000 {
        let (mut gw, mut gb) = (vec![0.0; f], 0.0);
        for (zi, &yi) in z.iter().zip(y) {
            let p = sigmoid(dot(&w, zi) + b);
            let d = p - if yi { 1.0 } else { 0.0 };
            for j in 0..f {
                gw[j] += d * zi[j] / n;
            }
            gb += d / n;
        }
        for j in 0..f {
            w[j] -= 0.5 * (gw[j] + l2 * w[j] / n);
        }
        b -= 0.5 * gb;
    }
    VersionsModel {
        features: names.iter().map(|s| s.to_string()).collect(),
        mean: mean.iter().map(|&v| v as f32).collect(),
        scale: scale.iter().map(|&v| v as f32).collect(),
        weights: w.iter().map(|&v| v as f32).collect(),
        bias: b as f32,
        min_confidence: 0.0,
        trained: String::new(),
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// What a fit uses: the features (names, in model order) and the L2 penalty.
struct Setup {
    names: Vec<&'static str>,
    l2: f64,
}

impl Setup {
    /// A row's features of this setup, out of all of them.
    fn project(&self, all: &[f64]) -> Vec<f64> {
        self.names
            .iter()
            .map(|n| {
                all[FEATURES
                    .iter()
                    .position(|f| f == n)
                    .expect("a known feature")]
            })
            .collect()
    }
}

/// Fit on the flagged rows of `train` edits.
fn fit_edits(edits: &[Edit], train: &[usize], setup: &Setup) -> VersionsModel {
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for &i in train {
        for (_, r) in &edits[i].rows {
            x.push(setup.project(r));
            y.push(edits[i].positive);
        }
    }
    fit(&x, &y, setup.l2, &setup.names)
}

fn predict(m: &VersionsModel, edits: &[Edit], i: usize) -> Vec<f64> {
    let x = |r: &Vec<f64>| r.iter().map(|&v| v as f32).collect::<Vec<f32>>();
    edits[i]
        .rows
        .iter()
        .map(|(_, r)| f64::from(m.confidence(&m.select(&x(r)))))
        .collect()
}

/// Out-of-fold row probabilities of the edits `part` (indices), folds given by `fold_of`.
fn out_of_fold(
    edits: &[Edit],
    part: &[usize],
    fold_of: &dyn Fn(usize) -> u8,
    setup: &Setup,
) -> BTreeMap<usize, Vec<f64>> {
    let mut out = BTreeMap::new();
    let folds: std::collections::BTreeSet<u8> = part.iter().map(|&i| fold_of(i)).collect();
    for &k in &folds {
        let train: Vec<usize> = part.iter().copied().filter(|&i| fold_of(i) != k).collect();
        let m = fit_edits(edits, &train, setup);
        for &i in part.iter().filter(|&&i| fold_of(i) == k) {
            out.insert(i, predict(&m, edits, i));
        }
    }
    out
}

/// The smallest threshold whose shown edits (an edit is shown when one of its flagged rows
/// reaches it) have precision `TARGET` or more, `MIN_SHOWN` of them at least; else the one
/// of best precision.
fn choose_threshold(edits: &[Edit], p: &BTreeMap<usize, Vec<f64>>) -> f64 {
    let best = |i: &usize| p[i].iter().copied().fold(0.0, f64::max);
    let mut scored: Vec<(f64, bool)> = p
        .keys()
        .filter(|i| !p[*i].is_empty())
        .map(|i| (best(i), edits[*i].positive))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut tp, mut best_p) = (0usize, (0.0, 1.0));
    let mut chosen = None;
    for (k, &(t, pos)) in scored.iter().enumerate() {
        tp += usize::from(pos);
        // Only where the next score differs: a threshold shows all rows at its score.
        if scored.get(k + 1).is_some_and(|n| n.0 == t) {
            continue;
        }
        let precision = tp as f64 / (k + 1) as f64;
        if k + 1 >= MIN_SHOWN && precision >= TARGET {
            chosen = Some(t);
        }
        if k + 1 >= MIN_SHOWN && precision > best_p.0 {
            best_p = (precision, t);
        }
    }
    chosen.unwrap_or(best_p.1)
}

/// Figures of one cross-validation: shown (flag) and shown `changed`, P and R at edit level,
/// row ECE.
#[derive(Debug, Clone, Copy, Default)]
struct Figures {
    flag_p: f64,
    flag_r: f64,
    changed_p: f64,
    changed_r: f64,
    ece: f64,
}

fn figures(
    edits: &[Edit],
    p: &BTreeMap<usize, Vec<f64>>,
    threshold_of: &dyn Fn(usize) -> f64,
) -> Figures {
    let positives = edits.iter().filter(|e| e.positive).count() as f64;
    let pr = |shown: &dyn Fn(usize) -> bool| {
        let (mut n, mut tp) = (0.0, 0.0);
        for (i, e) in edits.iter().enumerate() {
            if shown(i) {
                n += 1.0;
                tp += f64::from(u8::from(e.positive));
            }
        }
        (if n > 0.0 { tp / n } else { 0.0 }, tp / positives)
    };
    let any = |i: usize, want: &dyn Fn(Status) -> bool| {
        p.get(&i).is_some_and(|ps| {
            edits[i]
                .rows
                .iter()
                .zip(ps)
                .any(|((s, _), &q)| want(*s) && q >= threshold_of(i))
        })
    };
    let (flag_p, flag_r) = pr(&|i| any(i, &|_| true));
    let (changed_p, changed_r) = pr(&|i| any(i, &|s| s == Status::Changed));
    let rows: Vec<(f64, bool)> = p
        .iter()
        .flat_map(|(&i, ps)| ps.iter().map(move |&q| (q, edits[i].positive)))
        .collect();
    Figures {
        flag_p,
        flag_r,
        changed_p,
        changed_r,
        ece: ece(&rows),
    }
}

/// Expected calibration error over 10 equal-width bins.
fn ece(rows: &[(f64, bool)]) -> f64 {
    let mut bins = [(0.0, 0.0, 0.0); 10];
    for &(q, y) in rows {
        let b = ((q * 10.0) as usize).min(9);
        bins[b].0 += 1.0;
        bins[b].1 += q;
        bins[b].2 += f64::from(u8::from(y));
    }
    let n = rows.len().max(1) as f64;
    bins.iter()
        .filter(|b| b.0 > 0.0)
        .map(|b| b.0 / n * (b.1 / b.0 - b.2 / b.0).abs())
        .sum()
}

/// One cross-validation by document with `salt`: out-of-fold rows and figures, the
/// threshold of each fold chosen inside its training part.
fn cross_validate(
    edits: &[Edit],
    salt: &str,
    setup: &Setup,
) -> (BTreeMap<usize, Vec<f64>>, Vec<f64>, Figures) {
    let all: Vec<usize> = (0..edits.len()).collect();
    let fold_of = |i: usize| fold(salt, &edits[i].doc);
    let oof = out_of_fold(edits, &all, &fold_of, setup);
    let mut thresholds = vec![0.0; FOLDS as usize];
    for k in 0..FOLDS {
        let train: Vec<usize> = all.iter().copied().filter(|&i| fold_of(i) != k).collect();
        let inner = out_of_fold(edits, &train, &fold_of, setup);
        thresholds[k as usize] = choose_threshold(edits, &inner);
    }
    let f = figures(edits, &oof, &|i| thresholds[fold_of(i) as usize]);
    (oof, thresholds, f)
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len().max(1) as f64;
    let m = v.iter().sum::<f64>() / n;
    (
        m,
        (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n).sqrt(),
    )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map(String::as_str).unwrap_or("cv");
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let data =
        PathBuf::from(value("--data").unwrap_or_else(|| "../shared/data/iterater-news-dev".into()));
    let out =
        PathBuf::from(value("--out").unwrap_or_else(|| "src/claims/versions_model.json".into()));
    let l2: f64 = value("--l2").map_or(L2, |v| v.parse().expect("--l2 X"));
    let names: Vec<&'static str> = match value("--features") {
        Some(list) => list
            .split(',')
            .map(|n| {
                *FEATURES
                    .iter()
                    .find(|f| **f == n)
                    .unwrap_or_else(|| panic!("--features: {n} is not one of {FEATURES:?}"))
            })
            .collect(),
        None => MODEL_FEATURES.to_vec(),
    };
    let setup = Setup { names, l2 };

    let t0 = std::time::Instant::now();
    let edits = load(&data);
    let rows: usize = edits.iter().map(|e| e.rows.len()).sum();
    let pos_rows: usize = edits
        .iter()
        .filter(|e| e.positive)
        .map(|e| e.rows.len())
        .sum();
    eprintln!(
        "{} edits ({} meaning-changed), {rows} flagged rows ({pos_rows} in meaning-changed edits), in {:.1} s",
        edits.len(),
        edits.iter().filter(|e| e.positive).count(),
        t0.elapsed().as_secs_f32()
    );
    let all_rows = figures(
        &edits,
        &edits
            .iter()
            .enumerate()
            .map(|(i, e)| (i, vec![1.0; e.rows.len()]))
            .collect(),
        &|_| 0.0,
    );
    println!(
        "every flagged row (no model): flagged P {:.3} R {:.3}; changed P {:.3} R {:.3}",
        all_rows.flag_p, all_rows.flag_r, all_rows.changed_p, all_rows.changed_r
    );

    let mut runs = Vec::new();
    for salt in SALTS {
        let (oof, thresholds, f) = cross_validate(&edits, salt, &setup);
        println!(
            "salt {salt}: shown P {:.3} R {:.3}; changed shown P {:.3} R {:.3}; row ECE {:.3}; fold thresholds {}",
            f.flag_p,
            f.flag_r,
            f.changed_p,
            f.changed_r,
            f.ece,
            thresholds
                .iter()
                .map(|t| format!("{t:.3}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        runs.push((oof, thresholds, f));
    }
    let stat = |g: fn(&Figures) -> f64| mean_sd(&runs.iter().map(|r| g(&r.2)).collect::<Vec<_>>());
    let line = |name: &str, g: fn(&Figures) -> f64| {
        let (m, s) = stat(g);
        format!("{name} {m:.3} ± {s:.3}")
    };
    let summary = format!(
        "out-of-fold, 5-fold CV by document × {} salts (mean ± sd): shown {}, {}; changed shown {}, {}; row ECE {:.3} ± {:.3}",
        SALTS.len(),
        line("P", |f| f.flag_p),
        line("R", |f| f.flag_r),
        line("P", |f| f.changed_p),
        line("R", |f| f.changed_r),
        stat(|f| f.ece).0,
        stat(|f| f.ece).1,
    );
    println!("{summary}");

    let (oof0, thresholds0, _) = &runs[0];
    if let Some(path) = value("--oof") {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("--oof FILE"));
        for (i, e) in edits.iter().enumerate() {
            let t = thresholds0[fold("0", &e.doc) as usize];
            let rows: Vec<serde_json::Value> = e
                .rows
                .iter()
                .zip(oof0.get(&i).cloned().unwrap_or_default())
                .map(|((s, _), q)| {
                    serde_json::json!({"status": s, "confidence": q, "shown": q >= t})
                })
                .collect();
            writeln!(
                f,
                "{}",
                serde_json::json!({"id": e.id, "threshold": t, "rows": rows})
            )
            .expect("write --oof");
        }
        eprintln!("out-of-fold rows of salt 0 written to {path}");
    }

    if mode == "train" {
        let all: Vec<usize> = (0..edits.len()).collect();
        let mut m = fit_edits(&edits, &all, &setup);
        m.min_confidence = choose_threshold(&edits, oof0) as f32;
        let shown = figures(&edits, oof0, &|_| f64::from(m.min_confidence));
        m.trained = format!(
            "cargo run --release --example versions_model -- train (l2 {l2}, features {}); IteraTeR news dev, {} edits, {rows} flagged rows; min_confidence chosen on salt 0's out-of-fold rows for precision >= {TARGET} (there: shown P {:.3} R {:.3}, changed P {:.3} R {:.3}); {summary}",
            setup.names.join(","),
            edits.len(),
            shown.flag_p,
            shown.flag_r,
            shown.changed_p,
            shown.changed_r,
        );
        let json = serde_json::to_string_pretty(&m).expect("serialise");
        std::fs::write(&out, json + "\n").expect("write the model");
        println!(
            "weights {:?} bias {:.3}; min_confidence {:.3}; written to {}",
            m.weights,
            m.bias,
            m.min_confidence,
            out.display()
        );
    }
}
