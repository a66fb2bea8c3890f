//! Train and evaluate the learned claim comparison (`src/claims/model.json`)
//! on the labelled development data in `../shared/data/` (never copied into
//! the repository; the blind test splits are never read).
//!
//! ```text
//! cargo run --release --example claims_model -- train   # writes src/claims/model.json, prints dev figures
//! cargo run --release --example claims_model -- eval    # dev figures of the committed model
//!     [--data ../shared/data] [--out FILE] [--errors SET:N]
//!     [--hidden N] [--epochs N] [--lr X] [--l2 X] [--seed N] [--ensemble N] [--negatives-divisor X] [--context-divisor X] [--cap X]
//!     [--ans-weight X] [--pair-ans-weight X]   # ANS's weight multiplied (both models; the pair models only)
//!     [--pair-negatives-divisor X] [--pair-shuffled-divisor X]   # made-up sets' weight in the pair models
//!     [--average-from E]   # keep the mean of each network's parameters over epochs E.. (not the last ones)
//!     [--balance X] [--drop FEATURE,FEATURE] [--drop-pair FEATURE,…]   # class weights within a set; features left out (`name*`: every name so starting)
//!     [--mirror 0]   # train on each pair as given only, not also read the other way round
//!     [--pair-hard unrelated|related]   # the pair models also learn the made-up hard negatives
//!     [--also "FLAGS|FLAGS…"]   # more designs on the same features, written to FILE.N.json
//!     [--inner]   # choose designs without the dev sets: a fifth of each training split
//!                 # (by a salted hash of its first text / FNC-1 body) held out instead;
//!                 # Baly trains but is not scored; writes target/claims_model_inner.json
//!     [--dump-pairs FILE]   # every pair's features and the models' probabilities, one JSON
//!                           # line each (for `scripts/compare_gbdt.py`: another model family
//!                           # on the same features; `scripts/baly_ceiling.py`: Baly's ceiling)
//! ```
//!
//! Data and splits:
//! - ANS (Arabic headline pairs): train → dev.
//! - ArNLI (Arabic NLI): train → valid. ArbTEDS (Arabic entailment): train → valid.
//! - FNC-1 (English headline/body): its training set split by body id (blake3 of the
//!   id, first byte % 5 == 0 is dev, about a fifth), never the competition test set.
//! - Baly et al. (Arabic claim/article, development half only): evaluated by 4-fold
//!   cross-validation by claim (each fold scored by models trained without it); the
//!   committed model is trained on all of it.
//!
//! Every pair goes through the same library path as `track diff` in articles mode:
//! segmentation, extraction, `statements`, then `features::Evidence` and the models.
//! A tenth of each training split (by hash of the pair's id) is held out to fit the
//! temperatures that calibrate the two models.
//!
//! The code follows the data: `sets` reads the labelled sets into examples and
//! computes what the models read of each; `training` weighs them and trains the
//! models and their calibration maps; `scoring` measures them; `vectors` builds
//! the word vectors; this file parses the command and prints.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use track::claims::Claim;
use track::claims::compare::vectors::WordVectors;
use track::claims::features::{self, PAIR_CLASSES};
use track::claims::model::{self, Models};

use crate::scoring::{
    SUMMARY_SET_SIZE, Scored, choose_threshold, only_in_by_set, own_labels, precise_from,
    predict_pair, report, row_calibration, rows_by_set, rows_shown_by_status, score_set,
};
use crate::sets::{Computed, Example, Set, Split, compute_all, load};
use crate::training::{
    Config, calibration, cross_fitted, held_out, map_items, set_maps, set_only_in, train_models,
};
use crate::vectors::{probe_vectors, scene_by_set, vectors_path, word_vectors};

#[path = "../common/data.rs"]
mod data;
#[path = "../common/wordvec.rs"]
mod wordvec;

mod scoring;
mod sets;
mod training;
mod vectors;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map(String::as_str).unwrap_or("eval");
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let data = PathBuf::from(value("--data").unwrap_or_else(|| "../shared/data".into()));
    // Choosing between designs: a held-out fifth of the training splits in
    // place of the dev sets (which are not read), Baly left out of the figures.
    let inner = args.iter().any(|a| a == "--inner");
    let default_out = if inner {
        "target/claims_model_inner.json"
    } else {
        "src/claims/model.json"
    };
    let out = PathBuf::from(value("--out").unwrap_or_else(|| default_out.into()));
    let errors = value("--errors");
    let config = Config::from_args(&value);

    let t0 = std::time::Instant::now();
    let examples = load(&data, inner);
    // The word vectors the features read: built from the training splits
    // (never a dev split, nor Baly) and written beside the model, or the
    // committed ones when evaluating.
    let mut vectors_note = String::from("committed word vectors");
    if mode == "train" {
        let built = word_vectors(&examples);
        let path = vectors_path(&out);
        std::fs::write(&path, &built.bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        eprintln!(
            "word vectors: {} ({} bytes, {})",
            built.summary,
            built.bytes.len(),
            path.display()
        );
        vectors_note = format!("word vectors: {}", built.summary);
        let v = WordVectors::from_bytes(std::borrow::Cow::Owned(built.bytes))
            .expect("vectors just built");
        track::claims::compare::vectors::use_vectors(v).expect("vectors chosen once");
        probe_vectors();
    }
    // `eval --model FILE`: another model (and the word vectors written beside
    // it), e.g. one `train --inner` wrote, scored on the same sets: a rule
    // changed in the features is measured without retraining.
    let other_model: Option<Models> =
        (mode == "eval")
            .then(|| value("--model"))
            .flatten()
            .map(|path| {
                let path = PathBuf::from(path);
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let vectors = std::fs::read(vectors_path(&path))
                    .unwrap_or_else(|e| panic!("{}: {e}", vectors_path(&path).display()));
                let v = WordVectors::from_bytes(std::borrow::Cow::Owned(vectors))
                    .expect("word vectors beside the model");
                track::claims::compare::vectors::use_vectors(v).expect("vectors chosen once");
                vectors_note = format!("word vectors of {}", path.display());
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            });
    let computed = compute_all(&examples);
    eprintln!(
        "{} pairs read and measured in {:.1} s",
        examples.len(),
        t0.elapsed().as_secs_f32()
    );
    scene_by_set(&examples, &computed);

    let mut runs = vec![(config, out, args.clone())];
    // Alternative designs measured on the same features (one `|`-separated
    // list of flag sets), each written beside `--out`. A flag an alternative
    // does not set is the command line's (`--seed 12 --also "--maps held-out"`
    // compares two designs from seed 12).
    if let Some(alternatives) = value("--also") {
        for (n, alternative) in alternatives.split('|').enumerate() {
            let alt: Vec<String> = alternative.split_whitespace().map(str::to_string).collect();
            let alt_value = |flag: &str| {
                alt.iter()
                    .position(|a| a == flag)
                    .and_then(|i| alt.get(i + 1).cloned())
                    .or_else(|| value(flag))
            };
            let config = Config::from_args(&alt_value);
            let out = runs[0].1.with_extension(format!("{n}.json"));
            let mut alt_args = vec![mode.to_string()];
            alt_args.extend(alt.iter().cloned());
            runs.push((config, out, alt_args));
        }
    }
    for (config, out, args) in &runs {
        eprintln!("{config:?}");
        run(
            mode,
            &examples,
            &computed,
            config,
            out,
            args,
            Printing {
                errors: errors.as_deref(),
                inner,
                vectors: &vectors_note,
                other_model: other_model.as_ref(),
            },
        );
    }
}

/// What `run` prints besides the figures.
struct Printing<'a> {
    /// `SET:N`: the first N errors on that set.
    errors: Option<&'a str>,
    /// Figures on the inner validation (see `split_of`).
    inner: bool,
    /// How the word vectors were made, for the record.
    vectors: &'a str,
    /// `eval --model FILE`: the models to score in place of the committed ones.
    other_model: Option<&'a Models>,
}

/// Train (or load) the models of one design, print its dev figures, and
/// write it when trained.
fn run(
    mode: &str,
    examples: &[Example],
    computed: &[Computed],
    config: &Config,
    out: &Path,
    args: &[String],
    printing: Printing,
) {
    let Printing {
        errors,
        inner,
        vectors,
        other_model,
    } = printing;
    let t0 = std::time::Instant::now();
    let models = match mode {
        "train" => {
            let mut m = train_models(
                examples,
                computed,
                &|ex| ex.split == Split::Train || ex.set == Set::Baly,
                config,
            );
            // Row and only-in confidences, as `track diff` decides them,
            // calibrated on training groups the scoring models did not see
            // (pairs sharing a first text, an FNC-1 body or a Baly claim go
            // together: held out pair by pair, near twins in training made
            // rows look surer than they are on new stories): every group,
            // cross-fitted, or the held-out tenth alone.
            if config.cross_fit_maps {
                set_maps(
                    &mut m,
                    &cross_fitted(examples, computed, config),
                    "cross-fitted",
                );
            } else {
                let items = map_items(&m, examples, computed, &held_out);
                set_maps(&mut m, &items, "held-out");
            }
            let (t, p, shown, of) = choose_threshold(&m, examples, computed);
            m.min_confidence = t;
            eprintln!(
                "min_confidence {t:.3}: shown rows precision {p:.3} ({shown} of {of} dev rows)"
            );
            m
        }
        "eval" => {
            let mut m = other_model
                .cloned()
                .unwrap_or_else(|| track::claims::model::models().clone());
            // Trying another calibration of "only in" without retraining
            // (the rest of a retrain would give the committed models).
            if args.iter().any(|a| a == "--fit-only-in") {
                let items = map_items(&m, examples, computed, &held_out);
                set_only_in(&mut m, &items.only_in, "held-out");
            }
            // Or none: the row model's "unrelated" as it is (for the record).
            if args.iter().any(|a| a == "--raw-only-in") {
                m.only_in_confidence = None;
            }
            m
        }
        other => {
            eprintln!("unknown mode {other}: train | eval");
            std::process::exit(2);
        }
    };

    if let Some(path) = args
        .iter()
        .position(|a| a == "--dump-pairs")
        .and_then(|i| args.get(i + 1))
    {
        dump_pairs(&models, examples, computed, Path::new(path));
    }
    let mut lines = Vec::new();
    let (row_ece, row_n) = row_calibration(&models, examples, computed);
    let (t, p, shown, of) = choose_threshold(&models, examples, computed);
    lines.push(format!(
        "rows     n {row_n:5}  ECE {row_ece:.3} (best-matched row of each dev sentence pair, shared/conflicting/related); shown by default from confidence {:.3}: precision {p:.3}, {shown} of {of} rows (threshold for 0.9 on these rows: {t:.3})",
        models.min_confidence
    ));
    // Where the rows' calibration stands, set by set (each set's own floor:
    // the ECE a calibrated model would show on as many rows).
    let dev = rows_by_set(&models, examples, computed, &|ex| ex.split == Split::Dev);
    lines.push(format!("rows by set: {dev}"));
    lines.push(format!(
        "rows shown by default, by status: {}",
        rows_shown_by_status(&models, examples, computed)
    ));
    lines.push(format!(
        "only-in rows by set (dev): {}",
        only_in_by_set(&models, examples, computed, &|ex| ex.split == Split::Dev)
    ));
    lines.push(format!(
        "only-in rows by set (held-out train): {}",
        only_in_by_set(&models, examples, computed, &|ex| ex.split == Split::Train
            && calibration(&ex.group))
    ));
    lines.push(format!(
        "held-out train rows by set: {}",
        rows_by_set(&models, examples, computed, &|ex| ex.split == Split::Train
            && calibration(&ex.group))
    ));
    let mut by_set: HashMap<Set, Vec<(usize, Vec<f32>)>> = HashMap::new();
    let mut wrong: Vec<(Set, usize, usize, String)> = Vec::new();
    for (ex, c) in examples.iter().zip(computed) {
        if ex.split != Split::Dev || ex.set == Set::Baly {
            continue;
        }
        let p = predict_pair(&models, c);
        by_set.entry(ex.set).or_default().push((ex.label, p));
    }
    // Baly: each fold scored by models trained without it.
    if inner {
        lines.push(
            "(inner validation: a held-out fifth of the training splits; Baly not scored)".into(),
        );
    } else if mode == "train" {
        for fold in 0..4u8 {
            let m = train_models(
                examples,
                computed,
                &|ex| ex.split == Split::Train || (ex.set == Set::Baly && ex.fold != fold),
                config,
            );
            for (ex, c) in examples.iter().zip(computed) {
                if ex.set == Set::Baly && ex.fold == fold {
                    let p = predict_pair(&m, c);
                    by_set.entry(Set::Baly).or_default().push((ex.label, p));
                }
            }
        }
    } else {
        for (ex, c) in examples.iter().zip(computed) {
            if ex.set == Set::Baly {
                by_set
                    .entry(Set::Baly)
                    .or_default()
                    .push((ex.label, predict_pair(&models, c)));
            }
        }
        lines.push("(Baly: scored by the committed model, which was trained on it; `train` prints the cross-validated figure)".into());
    }
    let mut sets: Vec<&Set> = by_set.keys().collect();
    sets.sort();
    // Baly's verdicts count too where they are scored out of fold (`train`,
    // its cross-validation): the claim-against-article set is the closest to
    // what people compare.
    let baly_from = (mode == "train" && !inner)
        .then(|| by_set.get(&Set::Baly))
        .flatten()
        .map(|baly| precise_from(&[score_set(Set::Baly, baly).0]));
    // The dev sets other than Baly (which the committed model is trained on),
    // as scored above.
    let dev_sets: Vec<Vec<Scored>> = by_set
        .iter()
        .filter(|(set, items)| **set != Set::Baly && items.len() >= SUMMARY_SET_SIZE)
        .map(|(set, items)| score_set(*set, items).0)
        .collect();
    let dev_from = precise_from(&dev_sets);
    let summary_from = match (mode, baly_from) {
        (_, Some(b)) => dev_from.max(b),
        ("train", None) => dev_from,
        _ => models
            .summary_min_confidence
            .unwrap_or(models.min_confidence),
    };
    lines.push(format!(
        "summaries shown as verdicts from confidence {summary_from:.4} (right at least 0.9 from: {dev_from:.4} in each dev set of at least {SUMMARY_SET_SIZE} pairs; {})",
        baly_from.map_or("Baly, trained on, scored out of fold by `train` only".into(), |b| {
            format!("{b:.4} in Baly, cross-validated")
        })
    ));
    for set in sets {
        let (scored, k) = score_set(*set, &by_set[set]);
        report(*set, &scored, k, summary_from, &mut lines);
        if *set == Set::Ans {
            lines.push(own_labels(&by_set[set]));
        }
    }
    if let Some(spec) = errors {
        let (name, n) = spec.split_once(':').unwrap_or((spec, "10"));
        let n: usize = n.parse().unwrap_or(10);
        for (ex, c) in examples.iter().zip(computed) {
            if ex.split == Split::Dev && ex.set.name().eq_ignore_ascii_case(name) {
                let p = predict_pair(&models, c);
                let top = (0..4).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap_or(3);
                if top != ex.label {
                    let text = |cs: &[Claim]| {
                        cs.iter()
                            .map(|c| c.text.as_str())
                            .collect::<Vec<_>>()
                            .join(" ")
                    };
                    wrong.push((
                        ex.set,
                        ex.label,
                        top,
                        format!(
                            "{}\n      | {}",
                            text(&ex.from),
                            text(&ex.to).chars().take(300).collect::<String>()
                        ),
                    ));
                }
            }
        }
        for (_, gold, got, text) in wrong.iter().take(n) {
            lines.push(format!(
                "  gold {} got {}: {text}",
                PAIR_CLASSES[*gold], PAIR_CLASSES[*got]
            ));
        }
    }
    for l in &lines {
        println!("{l}");
    }
    if mode == "train" {
        let mut m = models;
        m.summary_min_confidence = Some(summary_from);
        m.trained = format!(
            "cargo run --release --example claims_model -- {} (data: ../shared/data dev/train splits; {config:?}; {vectors}); dev figures at training time: {}",
            args.join(" "),
            lines
                .iter()
                .filter(|l| !l.starts_with(' '))
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("; ")
        );
        let json = serde_json::to_string(&m).expect("serialise");
        std::fs::write(out, json + "\n").unwrap_or_else(|e| panic!("{}: {e}", out.display()));
        eprintln!(
            "wrote {} in {:.1} s",
            out.display(),
            t0.elapsed().as_secs_f32()
        );
    }
}

/// Each pair's features (both readings, as inference reads them), its set,
/// split and label, and the trained models' probabilities: one JSON line per
/// pair, for measuring another model family on the same features.
fn dump_pairs(models: &Models, examples: &[Example], computed: &[Computed], path: &Path) {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("dump file"));
    for (ex, c) in examples.iter().zip(computed) {
        let probabilities = models.rows(&c.considered);
        let readings = features::pair_readings(&c.doc, &c.considered, &probabilities);
        let line = serde_json::json!({
            "set": ex.set.name(),
            "split": format!("{:?}", ex.split),
            "group": ex.group,
            "fold": ex.fold,
            "cal": calibration(&ex.group),
            "label": ex.label,
            "short": c.doc.long_len <= model::SENTENCE_SIDE,
            "p": models.relation(&c.doc, &c.considered, &probabilities),
            "x": readings,
        });
        writeln!(f, "{line}").expect("dump write");
    }
}
