//! The design choices under study (`train`'s flags), the examples' weights,
//! training the models, and the calibration maps fitted on training groups
//! each read by models trained without them (cross-fitted).

use std::collections::HashMap;

use track::claims::features::{self, PAIR_CLASSES, PAIR_FEATURES, ROW_CLASSES, ROW_FEATURES};
use track::claims::model::{self, Classifier, Models, OnlyIn, TrainOptions};

use crate::scoring::{best_rows, only_in_rows};
use crate::sets::{Computed, Example, Set, Split, hash_byte};

/// The design choices under study (flags of `train`), defaults as committed.
#[derive(Debug, Clone)]
pub struct Config {
    pub opts: TrainOptions,
    /// Made-up examples weigh `cap / negatives_divisor` at most per set in
    /// the row model's training.
    pub negatives_divisor: f32,
    /// The same in the pair models' (`--pair-negatives-divisor`; 25: there
    /// they taught what is not the same claim but also how often two
    /// headlines are unrelated, and at 5 false `other` was ANS's largest
    /// error; the row model keeps 5, which "5 killed" against "12 killed"
    /// needs to stay a conflict).
    pub pair_negatives_divisor: f32,
    /// Shuffled pairs (two texts of two stories) weigh `cap /
    /// pair_shuffled_divisor` at most in the pair models
    /// (`--pair-shuffled-divisor`; 5): with the hard negatives left to the
    /// row model they are what teaches the short-pair model that texts with
    /// nothing in common are unrelated, and at 25 it read "parliament passed
    /// the budget" against "snow closed the schools" as unrelated at 55 %.
    pub pair_shuffled_divisor: f32,
    /// ANS pairs with a sentence of another story beside them (`Set::Context`)
    /// weigh `cap / context_divisor` at most (`--context-divisor`): they keep
    /// their pair's label, so they teach nothing of how often two headlines
    /// are unrelated, only that an identical sentence added on both sides
    /// does not make two reports agree.
    pub context_divisor: f32,
    /// Weight per example of each set is capped at this total.
    pub cap: f32,
    /// ANS's weight multiplied by this, in the row and the pair models
    /// (`--ans-weight`; 1), and in the pair models only (`--pair-ans-weight`).
    pub ans_weight: f32,
    pub pair_ans_weight: f32,
    /// Within each labelled set, each class weighs `(n / (k · n_class))^balance`
    /// (0: as the data has them).
    pub balance: f32,
    /// Row features left out (read as zero, their weights zeroed): other
    /// designs on the same computed features.
    pub drop: Vec<usize>,
    /// Pair features left out, the same way.
    pub drop_pair: Vec<usize>,
    /// Train on every example read both ways too (the two claims, or two
    /// texts of as many statements, in each other's place), as inference
    /// reads them (default; `--mirror 0` leaves it out).
    pub mirror: bool,
    /// Fit the row and only-in confidence maps on every training group,
    /// each scored by models trained without it (`--maps cross`, default)
    /// rather than on the held-out tenth alone (`--maps held-out`).
    pub cross_fit_maps: bool,
    /// The class the pair models learn for the made-up hard negatives
    /// (`--pair-hard unrelated|related`), or none: by default they are left
    /// to the row model. Two headlines of one topic with other details
    /// ("gold rises on Trump's decision", "gold rises on the trade war")
    /// are not unrelated, and "unrelated" there was ANS's largest error.
    pub pair_hard: Option<usize>,
}

impl Config {
    pub fn from_args(value: &dyn Fn(&str) -> Option<String>) -> Config {
        let num =
            |flag: &str, default: f32| value(flag).map_or(default, |v| v.parse().expect(flag));
        let base = TrainOptions::default();
        Config {
            opts: TrainOptions {
                hidden: num("--hidden", base.hidden as f32) as usize,
                epochs: num("--epochs", base.epochs as f32) as usize,
                learning_rate: num("--lr", base.learning_rate),
                l2: num("--l2", base.l2),
                seed: num("--seed", base.seed as f32) as u64,
                ensemble: num("--ensemble", base.ensemble as f32) as usize,
                average_from: value("--average-from").map(|v| v.parse().expect("--average-from")),
                ..base
            },
            negatives_divisor: num("--negatives-divisor", 5.0),
            pair_negatives_divisor: num("--pair-negatives-divisor", 25.0),
            pair_shuffled_divisor: num("--pair-shuffled-divisor", 5.0),
            context_divisor: num("--context-divisor", 5.0),
            cap: num("--cap", 3000.0),
            ans_weight: num("--ans-weight", 1.0),
            pair_ans_weight: num("--pair-ans-weight", 1.0),
            balance: num("--balance", 0.0),
            drop: feature_indices(value("--drop"), "--drop", ROW_FEATURES),
            drop_pair: feature_indices(value("--drop-pair"), "--drop-pair", PAIR_FEATURES),
            mirror: value("--mirror").is_none_or(|v| v != "0"),
            cross_fit_maps: value("--maps").is_none_or(|v| v != "held-out"),
            pair_hard: match value("--pair-hard").as_deref() {
                Some("unrelated") => Some(3),
                Some("related") => Some(2),
                None | Some("none") => None,
                Some(other) => panic!("--pair-hard {other}"),
            },
        }
    }
}

/// The positions in `names` of a flag's comma-separated feature names.
fn feature_indices(list: Option<String>, flag: &str, names: &[&str]) -> Vec<usize> {
    list.unwrap_or_default()
        .split(',')
        .filter(|f| !f.is_empty())
        .flat_map(|f| {
            // `name*` stands for every feature whose name starts so.
            let found: Vec<usize> = match f.strip_suffix('*') {
                Some(prefix) => (0..names.len())
                    .filter(|&k| names[k].starts_with(prefix))
                    .collect(),
                None => names.iter().position(|x| *x == f).into_iter().collect(),
            };
            assert!(!found.is_empty(), "{flag}: no feature {f}");
            found
        })
        .collect()
}

/// Which model examples are weighed for: made-up sets weigh differently in
/// the row and the pair models.
#[derive(Clone, Copy, PartialEq)]
pub enum Weighed {
    Rows,
    Pairs,
}

/// Per-set weight so that the large sets do not drown the small ones, and
/// within a labelled set per class as `balance` asks.
pub fn weights(
    sets: &[Set],
    labels: &[usize],
    cap: f32,
    weighed: Weighed,
    config: &Config,
) -> Vec<f32> {
    let mut count: HashMap<Set, f32> = HashMap::new();
    let mut per_class: HashMap<(Set, usize), f32> = HashMap::new();
    for (s, y) in sets.iter().zip(labels) {
        *count.entry(*s).or_default() += 1.0;
        *per_class.entry((*s, *y)).or_default() += 1.0;
    }
    let classes: HashMap<Set, f32> = per_class.keys().fold(HashMap::new(), |mut m, (s, _)| {
        *m.entry(*s).or_default() += 1.0;
        m
    });
    let class_weight = |s: &Set, y: usize| {
        if config.balance == 0.0 || s.made_up() {
            1.0
        } else {
            (count[s] / (classes[s] * per_class[&(*s, y)])).powf(config.balance)
        }
    };
    // Made-up negatives teach what is not the same claim; they must not
    // outweigh the labelled data.
    let cap_of = |s: &Set| match (s, weighed) {
        (Set::Context, _) => cap / config.context_divisor,
        (Set::Shuffled, Weighed::Pairs) => cap / config.pair_shuffled_divisor,
        (_, Weighed::Pairs) if s.made_up() => cap / config.pair_negatives_divisor,
        _ if s.made_up() => cap / config.negatives_divisor,
        _ => cap,
    };
    let set_weight = |s: &Set| match (s, weighed) {
        (Set::Ans, Weighed::Rows) => config.ans_weight,
        (Set::Ans, Weighed::Pairs) => config.ans_weight * config.pair_ans_weight,
        _ => 1.0,
    };
    sets.iter()
        .zip(labels)
        .map(|(s, y)| (cap_of(s) / count[s]).min(1.0) * class_weight(s, *y) * set_weight(s))
        .collect()
}

/// Whether a training example is held out to fit the models' calibration:
/// a tenth of the groups (see [`Example::group`]), not of the pairs.
pub fn calibration(group: &str) -> bool {
    hash_byte(group).is_multiple_of(10)
}

/// Train both models on the examples `use_for_training` selects.
pub fn train_models(
    examples: &[Example],
    computed: &[Computed],
    use_for_training: &dyn Fn(&Example) -> bool,
    config: &Config,
) -> Models {
    let opts = config.opts;
    let w_of = |sets: &[Set], y: &[usize], cap: f32| weights(sets, y, cap, Weighed::Rows, config);
    let pair_w_of =
        |sets: &[Set], y: &[usize], cap: f32| weights(sets, y, cap, Weighed::Pairs, config);
    let dropped = |mut f: Vec<f32>| {
        for &d in &config.drop {
            f[d] = 0.0;
        }
        f
    };
    let (mut fit, mut cal): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    for (k, ex) in examples.iter().enumerate() {
        if use_for_training(ex) {
            if calibration(&ex.group) {
                cal.push(k);
            } else {
                fit.push(k);
            }
        }
    }
    let rows_of = |idx: &[usize]| {
        let mut x = Vec::new();
        let mut y = Vec::new();
        let mut sets = Vec::new();
        for &k in idx {
            for (f, c) in &computed[k].rows {
                x.push(dropped(f.clone()));
                y.push(*c);
                sets.push(examples[k].set);
                if config.mirror {
                    x.push(dropped(model::mirrored_row(f)));
                    y.push(*c);
                    sets.push(examples[k].set);
                }
            }
        }
        (x, y, sets)
    };
    let (x, y, sets) = rows_of(&fit);
    let w = w_of(&sets, &y, config.cap);
    let mut row = model::train(ROW_CLASSES, ROW_FEATURES, &x, &y, &w, &opts);
    mask_inputs(&mut row, &config.drop);
    let (xc, yc, setsc) = rows_of(&cal);
    row.temperature =
        model::fit_row_temperature(&row, &xc, &yc, &w_of(&setsc, &yc, config.cap / 10.0));

    // Each pair's features as inference reads it: once, and two texts of as
    // many statements again with the second as the short one (the rows'
    // probabilities computed once for both readings).
    let readings = |k: usize| -> Vec<Vec<f32>> {
        let c = &computed[k];
        let probabilities: Vec<Vec<f32>> = c
            .considered
            .iter()
            .map(|r| model::row_probabilities(&row, &r.features))
            .collect();
        let mut read = features::pair_readings(&c.doc, &c.considered, &probabilities);
        for f in &mut read {
            for &d in &config.drop_pair {
                f[d] = 0.0;
            }
        }
        read
    };
    // Two pair models: a claim or headline against an article, and two short
    // texts (the sentence-pair sets), whose labels mean different things.
    let short = |k: &usize| computed[*k].doc.long_len <= model::SENTENCE_SIDE;
    let train_pair = |fit: &[usize], cal: &[usize]| {
        let (mut x, mut y, mut sets) = (Vec::new(), Vec::new(), Vec::new());
        // Each example the pair models learn, with the class they learn.
        let labelled = |idx: &[usize]| -> Vec<(usize, usize)> {
            idx.iter()
                .filter_map(|&k| match examples[k].set {
                    Set::Hard => Some((k, config.pair_hard?)),
                    _ => Some((k, examples[k].label)),
                })
                .collect()
        };
        let (fit, cal) = (labelled(fit), labelled(cal));
        for &(k, label) in &fit {
            // Without `mirror`, trained on the pairs as given only.
            let mut read = readings(k);
            read.truncate(if config.mirror { 2 } else { 1 });
            for f in read {
                x.push(f);
                y.push(label);
                sets.push(examples[k].set);
            }
        }
        let mut m = model::train(
            PAIR_CLASSES,
            PAIR_FEATURES,
            &x,
            &y,
            &pair_w_of(&sets, &y, config.cap),
            &opts,
        );
        mask_inputs(&mut m, &config.drop_pair);
        // Calibrated as inference reads a pair: both ways when it can be.
        let xc: Vec<Vec<Vec<f32>>> = cal.iter().map(|&(k, _)| readings(k)).collect();
        let yc: Vec<usize> = cal.iter().map(|&(_, label)| label).collect();
        let setsc: Vec<Set> = cal.iter().map(|&(k, _)| examples[k].set).collect();
        m.temperature = model::fit_temperature_readings(
            &m,
            &xc,
            &yc,
            &pair_w_of(&setsc, &yc, config.cap / 10.0),
        );
        m
    };
    let split = |idx: &[usize], want_short: bool| -> Vec<usize> {
        idx.iter()
            .copied()
            .filter(|k| short(k) == want_short)
            .collect()
    };
    let pair = train_pair(&split(&fit, false), &split(&cal, false));
    let pair_sentences = Some(train_pair(&split(&fit, true), &split(&cal, true)));
    Models {
        row,
        pair,
        pair_sentences,
        row_confidence: None,
        only_in_confidence: None,
        min_confidence: 0.5,
        summary_min_confidence: None,
        trained: String::new(),
    }
}

/// Zero every weight that reads a left-out input, in each network of the
/// ensemble: the classifier then ignores it whatever its value.
fn mask_inputs(c: &mut Classifier, drop: &[usize]) {
    let mask = |hidden: &mut Vec<Vec<f32>>, output: &mut Vec<Vec<f32>>| {
        let reads = if hidden.is_empty() { output } else { hidden };
        for unit in reads.iter_mut() {
            for &d in drop {
                unit[d] = 0.0;
            }
        }
    };
    mask(&mut c.hidden, &mut c.output);
    for m in &mut c.members {
        mask(&mut m.hidden, &mut m.output);
    }
}

/// Whether a training example is in the held-out tenth of the training
/// groups (Baly, scored by folds, is not read here).
pub fn held_out(ex: &Example) -> bool {
    ex.split == Split::Train && calibration(&ex.group)
}

/// Items the confidence maps are fitted on: rows (confidence as decided,
/// right) and only-in claims (reading, right).
pub struct MapItems {
    pub rows: Vec<(f32, bool)>,
    pub only_in: Vec<(OnlyIn, bool)>,
}

/// [`MapItems`] of the examples `select` picks, as `m` (without its maps)
/// reads them.
pub fn map_items(
    m: &Models,
    examples: &[Example],
    computed: &[Computed],
    select: &dyn Fn(&Example) -> bool,
) -> MapItems {
    MapItems {
        rows: best_rows(m, examples, computed, select),
        only_in: only_in_rows(m, examples, computed, select)
            .into_iter()
            .map(|(_, reading, right)| (reading, right))
            .collect(),
    }
}

/// Fit `row_confidence` on `items.rows` and
/// `only_in_confidence` on `items.only_in`; `whence` says where they come
/// from, for the record.
pub fn set_maps(m: &mut Models, items: &MapItems, whence: &str) {
    m.row_confidence = Some(model::fit_confidence(&items.rows));
    eprintln!(
        "row confidence map {:?} from {} {whence} rows",
        m.row_confidence,
        items.rows.len()
    );
    set_only_in(m, &items.only_in, whence);
}

pub fn set_only_in(m: &mut Models, items: &[(OnlyIn, bool)], whence: &str) {
    m.only_in_confidence = Some(model::fit_only_in(items));
    eprintln!(
        "only-in confidence map {:?} from {} {whence} claims",
        m.only_in_confidence,
        items.len()
    );
}

/// Folds of the training groups for cross-fitting the confidence maps
/// (salted apart from `calibration` and `split_of`).
const MAP_FOLDS: u8 = 5;

fn map_fold(group: &str) -> u8 {
    hash_byte(&format!("map:{group}")) % MAP_FOLDS
}

/// Every training group's best rows and only-in claims, each scored by
/// models trained without its fold (and without the maps): ten times the
/// held-out tenth's items for the maps to be fitted on, so that a small
/// block (a claim against a short text) is not fitted on a few dozen.
pub fn cross_fitted(examples: &[Example], computed: &[Computed], config: &Config) -> MapItems {
    let mut all = MapItems {
        rows: Vec::new(),
        only_in: Vec::new(),
    };
    for k in 0..MAP_FOLDS {
        let in_fold = |ex: &Example| ex.split == Split::Train && map_fold(&ex.group) == k;
        let m = train_models(
            examples,
            computed,
            &|ex| (ex.split == Split::Train || ex.set == Set::Baly) && !in_fold(ex),
            config,
        );
        let fold = map_items(&m, examples, computed, &in_fold);
        all.rows.extend(fold.rows);
        all.only_in.extend(fold.only_in);
        eprintln!("maps: fold {k} of {MAP_FOLDS} scored");
    }
    all
}
