//! Train and cross-validate the page-furniture classifier
//! (`src/ingest/furniture_model.json`) on the Zyte article-extraction dev pages in
//! `../shared/data/extraction-zyte/` (read at run time, never copied into the repository).
//!
//! ```text
//! cargo run --release --example furniture -- train   # writes src/ingest/furniture_model.json
//! cargo run --release --example furniture -- cv --out DIR
//!     # each page extracted by a model trained without its fold: DIR/ID.json ({title, text}),
//!     # scored by `python3 scripts/eval_zyte.py --cv` (which runs this)
//! cargo run --release --example furniture -- explain --page ID   # one page, block by block
//! cargo run --release --example furniture -- file PAGE.html…      # the committed model on any page
//!     [--data DIR] [--folds 5] [--hidden N] [--ensemble N] [--epochs N] [--keep-weight X]
//!     [--threshold X|auto] [--recall-floor R] [--seed N] [--min-scale X] [--l2 X]
//!     [--drop FEATURE,…]
//! ```
//!
//! `--drop` zeroes the named features in every row and weight: an ablation without a rebuild
//! (`python3 scripts/eval_zyte.py --cv --no-track --cv-args '--drop site_mention'`).
//!
//! Every page goes through the library's own path (`decode`, then `html::page_blocks`:
//! dom_smoothie and the walk), so the features trained on are the ones seen at `add` time.
//!
//! Labels come from the gold bodies: a block is article text when most of its 4-token
//! shingles are in the gold body (a multiset, consumed in page order, so a caption repeated
//! three times is article text at most once); a block of one to three tokens is article text
//! when it is a whole line of the gold (a subheading, a list item). Each block weighs what it
//! moves in the benchmark's per-page measure: its tokens plus the three shingles that cross
//! its edges, as a share of its page (every page counts alike, as in the metric), and article
//! blocks weigh `--keep-weight` times more, since a lost paragraph is worse than a kept credit.
//!
//! Besides the Zyte pages (none of them Arabic), the model learns from a few Arabic pages of
//! our own in `fixtures/html/furniture/train/` (`NAME.html` and its gold body `NAME.txt`),
//! modelled on other outlets' layouts than the held-out test pages in
//! `fixtures/html/furniture/` (CNN Arabic, Al Jazeera, LBC), each weighing `--extra-weight`
//! Zyte pages: they teach the Arabic cue words (`آخر تحديث`, `حمل تطبيق`, `اقرأ أيضا`) weight.
//!
//! Folds are by page (the first 8 hex digits of the page ID, or a hash of our own pages'
//! names, modulo the number of folds), so a page's blocks are never scored by a model that
//! saw them.
//!
//! The committed model is the defaults: ten networks of one hidden layer of 16 averaged
//! (`--hidden 16 --ensemble 10`; a linear model, `--hidden 0 --ensemble 1`, was the one
//! before), at the threshold 0.5, the cost-weighted decision that `--keep-weight` sets.
//! Ten rather than five: the figures then depend less on the seeds, and five lost one real
//! paragraph of our own Arabic pages (between a newsletter prompt and a credit) that ten keep.
//! `--threshold auto` chooses it inside the training pages instead: the best approximate F1
//! over 0.30–0.70 (or with `--recall-floor R` the most precise threshold whose recall
//! reaches R) of scores from models trained without each page's inner fold, so `cv`'s
//! figure covers that choice too. On the networks' flat F1 it lands at 0.60–0.70, which
//! trades the precision they gain for recall.
//! `cv` prints the approximate figures of the Zyte pages and of our own Arabic pages
//! apart, and writes the Zyte pages' texts for the scorer.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use track::claims::model::{TrainOptions, train};
use track::ingest::furniture::{FEATURES, Model};
use track::ingest::{decode, html};

struct Page {
    id: String,
    html: String,
    gold: String,
    blocks: Vec<(String, Vec<f32>)>,
    labels: Vec<usize>,
    weights: Vec<f32>,
}

struct Config {
    data: PathBuf,
    /// Pages of our own (`NAME.html` with its gold body in `NAME.txt`): the Arabic ones.
    extra: PathBuf,
    extra_weight: f32,
    folds: u32,
    hidden: usize,
    /// Networks averaged (`--ensemble N`, seeds in turn from `--seed`).
    ensemble: usize,
    seed: u64,
    epochs: usize,
    keep_weight: f32,
    /// 0.5 by default; `None` (`--threshold auto`): chosen by cross-validation inside the
    /// training pages, so no page's threshold is chosen by looking at that page.
    threshold: Option<f32>,
    min_scale: f32,
    l2: f32,
    /// `--recall-floor R`: `auto` takes the most precise threshold whose inner
    /// cross-validated recall reaches R (the best F1 when none does), since
    /// the target is precision at a recall floor, not F1.
    recall_floor: Option<f64>,
    out: Option<PathBuf>,
    /// Features left out (`--drop a,b`): zero in every row and weight, for ablations
    /// without a rebuild.
    drop: Vec<usize>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map(String::as_str).unwrap_or("");
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let num = |name: &str, default: f64| value(name).map_or(default, |v| v.parse().unwrap());
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config {
        data: value("--data").map_or_else(
            || repo.join("../shared/data/extraction-zyte"),
            PathBuf::from,
        ),
        extra: value("--extra")
            .map_or_else(|| repo.join("fixtures/html/furniture/train"), PathBuf::from),
        extra_weight: num("--extra-weight", 3.0) as f32,
        folds: num("--folds", 5.0) as u32,
        hidden: num("--hidden", 16.0) as usize,
        ensemble: num("--ensemble", 10.0) as usize,
        seed: num("--seed", 7.0) as u64,
        epochs: num("--epochs", 40.0) as usize,
        keep_weight: num("--keep-weight", 2.0) as f32,
        threshold: match value("--threshold").as_deref() {
            Some("auto") => None,
            Some(v) => Some(v.parse().unwrap()),
            None => Some(0.5),
        },
        min_scale: num("--min-scale", 0.25) as f32,
        l2: num("--l2", 1e-4) as f32,
        recall_floor: value("--recall-floor").map(|v| v.parse().unwrap()),
        out: value("--out").map(PathBuf::from),
        drop: value("--drop")
            .map(|v| {
                v.split(',')
                    .map(|n| {
                        FEATURES
                            .iter()
                            .position(|f| *f == n)
                            .unwrap_or_else(|| panic!("--drop: no feature {n}"))
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    if mode == "file" {
        // The committed model on any pages: each block, its furniture probability, kept or not.
        for path in args.iter().skip(1).filter(|a| !a.starts_with("--")) {
            let raw = std::fs::read(path).unwrap();
            let text = decode::decode(&raw, None).unwrap().text;
            let (title, blocks) = html::page_blocks(&text, None).unwrap();
            let model = Model::builtin();
            let rows: Vec<Vec<f32>> = blocks.iter().map(|(_, r)| r.clone()).collect();
            let probs = model.furniture_probability(&rows);
            let kept = html::extract(&text, None).unwrap().text;
            println!("== {path}: {title}");
            for ((t, row), p) in blocks.iter().zip(probs) {
                let keep = kept.split("\n\n").any(|k| k == t);
                let short: String = t.chars().take(100).collect();
                println!("{} {p:.2} {short}", if keep { "keep" } else { "DROP" });
                if args.iter().any(|a| a == "--why") {
                    println!("          {}", reasons(model, row).join(", "));
                }
            }
        }
        return;
    }
    let mut pages = load(&config.data);
    let zyte = pages.len();
    pages.extend(load_extra(&config.extra, config.extra_weight));
    for p in &mut pages {
        for (_, row) in &mut p.blocks {
            for &j in &config.drop {
                row[j] = 0.0;
            }
        }
    }
    eprintln!(
        "{} pages, {} blocks ({} furniture by the gold)",
        pages.len(),
        pages.iter().map(|p| p.blocks.len()).sum::<usize>(),
        pages
            .iter()
            .flat_map(|p| &p.labels)
            .filter(|&&l| l == 1)
            .count()
    );
    match mode {
        "train" => {
            let refs: Vec<&Page> = pages.iter().collect();
            let mut model = fit(&refs, &config);
            model.threshold = config
                .threshold
                .unwrap_or_else(|| choose_threshold(&refs, &config));
            eprintln!("threshold {:.2}", model.threshold);
            sweep("in-sample, Zyte", &pages[..zyte], &|_| &model);
            sweep("in-sample, own Arabic pages", &pages[zyte..], &|_| &model);
            model.trained = format!(
                "cargo run --release --example furniture -- train --hidden {} --ensemble {} --epochs {} \
                 --keep-weight {} --threshold {} --min-scale {} --l2 {} --extra-weight {} \
                 (threshold {:.2}); \
                 {} Zyte article-extraction dev pages and {} Arabic pages of our own \
                 (fixtures/html/furniture/train), labels from their gold bodies",
                config.hidden,
                config.ensemble,
                config.epochs,
                config.keep_weight,
                config
                    .threshold
                    .map_or_else(|| "auto".to_owned(), |t| t.to_string()),
                config.min_scale,
                config.l2,
                config.extra_weight,
                model.threshold,
                zyte,
                pages.len() - zyte
            );
            let out = config
                .out
                .clone()
                .unwrap_or_else(|| repo.join("src/ingest/furniture_model.json"));
            let json = serde_json::to_string(&model).unwrap();
            std::fs::write(&out, json + "\n").unwrap();
            eprintln!("wrote {}", out.display());
        }
        "cv" => {
            let models: Vec<Model> = (0..config.folds)
                .map(|k| {
                    let train: Vec<&Page> = pages
                        .iter()
                        .filter(|p| fold(&p.id, config.folds) != k)
                        .collect();
                    let mut model = fit(&train, &config);
                    model.threshold = config
                        .threshold
                        .unwrap_or_else(|| choose_threshold(&train, &config));
                    eprintln!("fold {k}: threshold {:.2}", model.threshold);
                    model
                })
                .collect();
            let model_of = |p: &Page| &models[fold(&p.id, config.folds) as usize];
            sweep("cross-validated, Zyte", &pages[..zyte], &model_of);
            sweep(
                "cross-validated, own Arabic pages",
                &pages[zyte..],
                &model_of,
            );
            if let Some(out) = &config.out {
                std::fs::create_dir_all(out).unwrap();
                for p in &pages[..zyte] {
                    let model = &models[fold(&p.id, config.folds) as usize];
                    let (title, text) = match html::extract_with_model(&p.html, None, Some(model)) {
                        Ok(e) => (e.title, e.text),
                        Err(_) => (None, String::new()),
                    };
                    let doc = serde_json::json!({ "title": title, "text": text });
                    std::fs::write(out.join(format!("{}.json", p.id)), doc.to_string()).unwrap();
                }
                eprintln!("wrote {zyte} pages to {}", out.display());
            }
        }
        "explain" => {
            // Per block of one page: label, cross-validated probability, and (linear model)
            // the features that pushed it most.
            let id = value("--page").expect("--page ID (a prefix will do)");
            let p = pages
                .iter()
                .find(|p| p.id.starts_with(&id))
                .expect("no such page");
            let k = fold(&p.id, config.folds);
            let train: Vec<&Page> = pages
                .iter()
                .filter(|q| fold(&q.id, config.folds) != k)
                .collect();
            let model = fit(&train, &config);
            let rows: Vec<Vec<f32>> = p.blocks.iter().map(|(_, r)| r.clone()).collect();
            let probs = model.furniture_probability(&rows);
            for (((text, row), label), prob) in p.blocks.iter().zip(&p.labels).zip(&probs) {
                let why = reasons(&model, row);
                let short: String = text.chars().take(90).collect();
                println!(
                    "{} {prob:.2} {short:<90} | {}",
                    if *label == 1 { "F" } else { "A" },
                    why.join(", ")
                );
            }
        }
        _ => {
            eprintln!(
                "usage: furniture train|cv [--data DIR] [--folds N] [--out PATH] [--hidden N] [--epochs N] [--keep-weight X] [--threshold X]"
            );
            std::process::exit(2);
        }
    }
}

/// The features that pushed a block most towards furniture (+) or article (-), for a
/// linear model: weight times standardised value.
fn reasons(model: &Model, row: &[f32]) -> Vec<String> {
    let c = &model.classifier;
    let mut why: Vec<(f32, &str)> = Vec::new();
    if c.hidden.is_empty() {
        for (j, name) in FEATURES.iter().enumerate() {
            let z = (row[j] - c.mean[j]) / c.scale[j];
            why.push(((c.output[1][j] - c.output[0][j]) * z, name));
        }
        why.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
    }
    why.iter()
        .take(5)
        .map(|(v, n)| format!("{n} {v:+.1}"))
        .collect()
}

/// A page's fold: the Zyte IDs are hex digests (their first 8 digits); our own pages'
/// names are hashed (FNV-1a) to the same end.
fn fold(id: &str, folds: u32) -> u32 {
    page_hash(id) % folds.max(1)
}

/// The fold of a page inside a training set, for choosing the threshold: from the hash's
/// higher part, so the inner folds split every outer fold's pages evenly.
fn inner_fold(id: &str, folds: u32) -> u32 {
    (page_hash(id) / folds.max(1)) % folds.max(1)
}

fn page_hash(id: &str) -> u32 {
    id.get(..8)
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .unwrap_or_else(|| {
            id.bytes().fold(0x811c_9dc5u32, |h, b| {
                (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
            })
        })
}

/// The decision threshold for a model trained on `pages`: every page is scored by a
/// model trained without its inner fold, and the threshold of the best approximate F1
/// over those out-of-fold scores is taken (ties: the higher one, which keeps more text).
fn choose_threshold(pages: &[&Page], config: &Config) -> f32 {
    let mut probs: Vec<Vec<f32>> = vec![Vec::new(); pages.len()];
    for j in 0..config.folds {
        let train: Vec<&Page> = pages
            .iter()
            .copied()
            .filter(|p| inner_fold(&p.id, config.folds) != j)
            .collect();
        let model = fit(&train, config);
        for (p, out) in pages.iter().zip(probs.iter_mut()) {
            if inner_fold(&p.id, config.folds) == j {
                *out = model.furniture_probability(&rows_of(p));
            }
        }
    }
    let mut best = (f64::MIN, 0.5f32);
    let mut precise: Option<(f64, f32)> = None;
    for step in 0..=8 {
        let t = 0.3 + 0.05 * step as f32;
        let (p, r, f1) = approx_scores(pages.iter().copied(), &probs, t);
        if f1 >= best.0 - 1e-9 {
            best = (f1, t);
        }
        if config.recall_floor.is_some_and(|floor| r >= floor)
            && precise.is_none_or(|(bp, _)| p > bp + 1e-9)
        {
            precise = Some((p, t));
        }
    }
    precise.map_or(best.1, |(_, t)| t)
}

fn rows_of(p: &Page) -> Vec<Vec<f32>> {
    p.blocks.iter().map(|(_, r)| r.clone()).collect()
}

/// The benchmark's measure, approximately (word characters as Rust sees them), with the
/// blocks of a furniture probability above `t` dropped: mean P, mean R, F1.
fn approx_scores<'a>(
    pages: impl Iterator<Item = &'a Page>,
    probs: &[Vec<f32>],
    t: f32,
) -> (f64, f64, f64) {
    let (mut ps, mut rs) = (Vec::new(), Vec::new());
    for (p, pr) in pages.zip(probs) {
        let kept: Vec<&str> = p
            .blocks
            .iter()
            .zip(pr)
            .filter(|(_, q)| **q <= t)
            .map(|((text, _), _)| text.as_str())
            .collect();
        let kept = if kept.is_empty() {
            p.blocks.iter().map(|(t, _)| t.as_str()).collect()
        } else {
            kept
        };
        let (tp, fp, fn_) = counts(&p.gold, &kept.join("\n\n"));
        if tp + fp > 0 {
            ps.push(ratio(tp, fp, fn_, fp));
        }
        rs.push(ratio(tp, fp, fn_, fn_));
    }
    let (mp, mr) = (mean(&ps), mean(&rs));
    (mp, mr, 2.0 * mp * mr / (mp + mr))
}

fn fit(pages: &[&Page], config: &Config) -> Model {
    let mut x = Vec::new();
    let mut y = Vec::new();
    let mut w = Vec::new();
    for p in pages {
        for ((_, row), (&label, &weight)) in p.blocks.iter().zip(p.labels.iter().zip(&p.weights)) {
            x.push(row.clone());
            y.push(label);
            w.push(if label == 0 {
                weight * config.keep_weight
            } else {
                weight
            });
        }
    }
    let opts = TrainOptions {
        hidden: config.hidden,
        epochs: config.epochs,
        min_scale: config.min_scale,
        l2: config.l2,
        ensemble: config.ensemble,
        seed: config.seed,
        ..TrainOptions::default()
    };
    let mut classifier = train(&["article", "furniture"], FEATURES, &x, &y, &w, &opts);
    for &j in &config.drop {
        classifier.mean[j] = 0.0;
        // The first layer's weights are the features' (the output layer's, for a linear model).
        let first = if classifier.hidden.is_empty() {
            &mut classifier.output
        } else {
            &mut classifier.hidden
        };
        for row in first.iter_mut() {
            row[j] = 0.0;
        }
    }
    Model {
        classifier,
        threshold: config.threshold.unwrap_or(0.5),
        trained: String::new(),
    }
}

/// The benchmark's measure, approximately (word characters as Rust sees them), over
/// thresholds: for choosing one. The figure to report is the Python scorer's.
fn sweep<'a, 'm>(label: &str, pages: &'a [Page], model_of: &dyn Fn(&'a Page) -> &'m Model) {
    if pages.is_empty() {
        return;
    }
    let probs: Vec<Vec<f32>> = pages
        .iter()
        .map(|p| model_of(p).furniture_probability(&rows_of(p)))
        .collect();
    eprintln!("{label}: threshold → P R F1 (approximate, blocks only)");
    for t in [0.3f32, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01] {
        let (p, r, f1) = approx_scores(pages.iter(), &probs, t);
        eprintln!("  {t:.2}: P {p:.3} R {r:.3} F1 {f1:.3}");
    }
    // Each page at its own model's threshold: the figure `extract_with_model` gives.
    let (mut ps, mut rs) = (Vec::new(), Vec::new());
    for (page, pr) in pages.iter().zip(&probs) {
        let t = model_of(page).threshold;
        let (p, r, _) = approx_scores(std::iter::once(page), std::slice::from_ref(pr), t);
        ps.push(p);
        rs.push(r);
    }
    let (p, r) = (mean(&ps), mean(&rs));
    eprintln!(
        "  model's: P {p:.3} R {r:.3} F1 {:.3}",
        2.0 * p * r / (p + r)
    );
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

fn ratio(tp: usize, fp: usize, fn_: usize, other: usize) -> f64 {
    if fp == 0 && fn_ == 0 {
        1.0
    } else if tp == 0 && other == 0 {
        0.0
    } else {
        tp as f64 / (tp + other) as f64
    }
}

fn tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .collect()
}

fn shingles<'a>(toks: &[&'a str]) -> HashMap<Vec<&'a str>, usize> {
    let mut m = HashMap::new();
    if toks.is_empty() {
        return m;
    }
    if toks.len() < 4 {
        m.insert(toks.to_vec(), 1);
        return m;
    }
    for w in toks.windows(4) {
        *m.entry(w.to_vec()).or_default() += 1;
    }
    m
}

fn counts(gold: &str, pred: &str) -> (usize, usize, usize) {
    let (g, p) = (shingles(&tokens(gold)), shingles(&tokens(pred)));
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for (s, &gc) in &g {
        let pc = p.get(s).copied().unwrap_or(0);
        tp += gc.min(pc);
        fn_ += gc.saturating_sub(pc);
    }
    for (s, &pc) in &p {
        fp += pc.saturating_sub(g.get(s).copied().unwrap_or(0));
    }
    (tp, fp, fn_)
}

fn load_extra(dir: &Path, weight: f32) -> Vec<Page> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    names.retain(|p| p.extension().is_some_and(|e| e == "html"));
    names.sort();
    let mut pages = Vec::new();
    for path in names {
        let gold = std::fs::read_to_string(path.with_extension("txt")).unwrap();
        let raw = std::fs::read(&path).unwrap();
        let text = decode::decode(&raw, None).unwrap().text;
        let Ok((_, blocks)) = html::page_blocks(&text, None) else {
            continue;
        };
        let (labels, mut weights) = label(&gold, &blocks);
        weights.iter_mut().for_each(|w| *w *= weight);
        pages.push(Page {
            id: format!("own-{}", path.file_stem().unwrap().to_string_lossy()),
            html: text,
            gold,
            blocks,
            labels,
            weights,
        });
    }
    pages
}

fn load(data: &Path) -> Vec<Page> {
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data.join("ground-truth.json"))
            .unwrap_or_else(|e| panic!("{}: {e} (the Zyte dev data, see --data)", data.display())),
    )
    .unwrap();
    let mut ids: Vec<&String> = truth.as_object().unwrap().keys().collect();
    ids.sort();
    let mut pages = Vec::new();
    for id in ids {
        let gold = truth[id]["articleBody"].as_str().unwrap_or("").to_owned();
        let mut raw = Vec::new();
        let file = std::fs::File::open(data.join("html").join(format!("{id}.html.gz"))).unwrap();
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut raw)
            .unwrap();
        let Ok(decoded) = decode::decode(&raw, None) else {
            continue;
        };
        let Ok((_, blocks)) = html::page_blocks(&decoded.text, None) else {
            continue;
        };
        let (labels, weights) = label(&gold, &blocks);
        pages.push(Page {
            id: id.clone(),
            html: decoded.text,
            gold,
            blocks,
            labels,
            weights,
        });
    }
    pages
}

/// Labels (0 article, 1 furniture) and weights of a page's blocks; see the module's doc.
fn label(gold: &str, blocks: &[(String, Vec<f32>)]) -> (Vec<usize>, Vec<f32>) {
    let gold_tokens = tokens(gold);
    let mut remaining = shingles(&gold_tokens);
    let lines: std::collections::HashSet<Vec<&str>> =
        gold.lines().map(tokens).filter(|t| !t.is_empty()).collect();
    let mut labels = Vec::new();
    let mut sizes = Vec::new();
    for (text, _) in blocks {
        let toks = tokens(text);
        let article = if toks.is_empty() {
            false
        } else if toks.len() < 4 {
            lines.contains(&toks)
        } else {
            let mut found = 0;
            let total = toks.len() - 3;
            for w in toks.windows(4) {
                if let Some(c) = remaining.get_mut(w)
                    && *c > 0
                {
                    *c -= 1;
                    found += 1;
                }
            }
            found * 2 >= total
        };
        labels.push(usize::from(!article));
        sizes.push(toks.len() as f32 + 3.0);
    }
    let total: f32 = sizes.iter().sum::<f32>().max(1.0);
    (labels, sizes.iter().map(|s| s / total).collect())
}
