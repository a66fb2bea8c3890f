//! How right the models are: per-set scores and their intervals, calibration
//! error, the thresholds chosen for what human outputs show.

use track::claims::compare::{FromReading, makes_claim, read_claims};
use track::claims::features::ROW_CLASSES;
use track::claims::model::{self, Models, OnlyIn};

use crate::sets::{Computed, Example, Set, Split};

/// The pair's probabilities under the models (the library's own inference,
/// as `track diff` runs it).
pub fn predict_pair(models: &Models, c: &Computed) -> Vec<f32> {
    models.relation(&c.doc, &c.considered, &models.rows(&c.considered))
}

/// Classes of a set's own task and how the four relations map onto them.
fn task(set: Set) -> (&'static [&'static str], fn(usize) -> usize) {
    match set {
        Set::Ans | Set::Arnli | Set::Shuffled | Set::Hard | Set::Same | Set::Context => {
            (&["agree", "disagree", "other"], |k| k.min(2))
        }
        Set::Arbteds => (&["entails", "not"], |k| usize::from(k != 0)),
        Set::Fnc | Set::Baly => (&["agree", "disagree", "discuss", "unrelated"], |k| k),
    }
}

pub struct Scored {
    pub gold: usize,
    pub predicted: usize,
    pub confidence: f32,
}

pub fn score_set(set: Set, items: &[(usize, Vec<f32>)]) -> (Vec<Scored>, usize) {
    let (classes, map) = task(set);
    let scored = items
        .iter()
        .map(|(gold, p)| {
            let mut q = vec![0f32; classes.len()];
            for (k, v) in p.iter().enumerate() {
                q[map(k)] += v;
            }
            // The prediction is the relation `track diff` reports (argmax of the
            // four), mapped onto the set's classes.
            let top = (0..p.len())
                .max_by(|&a, &b| p[a].total_cmp(&p[b]))
                .unwrap_or(3);
            let predicted = map(top);
            Scored {
                gold: map(*gold),
                predicted,
                confidence: q[predicted],
            }
        })
        .collect();
    (scored, classes.len())
}

/// ANS labels no `related`: its figure when the answer is the most probable
/// of the three relations it has (what `scripts/eval_ans.py` prints from
/// `summary.probabilities`).
pub fn own_labels(items: &[(usize, Vec<f32>)]) -> String {
    let scored: Vec<(usize, usize)> = items
        .iter()
        .map(|(gold, p)| {
            let top = [0, 1, 3]
                .into_iter()
                .max_by(|&a, &b| p[a].total_cmp(&p[b]))
                .unwrap_or(3);
            ((*gold).min(2), top.min(2))
        })
        .collect();
    let macro_f1 = macro_f1_of(&scored, 3);
    let acc = scored.iter().filter(|s| s.0 == s.1).count() as f32 / scored.len().max(1) as f32;
    format!(
        "         on ANS's own labels (most probable of agree, disagree, unrelated): macro-F1 {macro_f1:.3}  accuracy {acc:.3}"
    )
}

/// Precision, recall, F1, gold and predicted counts of class `c` over
/// (gold, predicted) pairs.
fn class_scores(scored: &[(usize, usize)], c: usize) -> (f32, f32, f32, f32, f32) {
    let tp = scored.iter().filter(|s| s.0 == c && s.1 == c).count() as f32;
    let pp = scored.iter().filter(|s| s.1 == c).count() as f32;
    let gp = scored.iter().filter(|s| s.0 == c).count() as f32;
    let p = if pp > 0.0 { tp / pp } else { 0.0 };
    let r = if gp > 0.0 { tp / gp } else { 0.0 };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f, gp, pp)
}

pub fn report(set: Set, scored: &[Scored], k: usize, shown_from: f32, lines: &mut Vec<String>) {
    let (classes, _) = task(set);
    let n = scored.len() as f32;
    let acc = scored.iter().filter(|s| s.gold == s.predicted).count() as f32 / n;
    let mut f1s = Vec::new();
    let mut per = Vec::new();
    let pairs: Vec<(usize, usize)> = scored.iter().map(|s| (s.gold, s.predicted)).collect();
    for (c, name) in classes.iter().enumerate().take(k) {
        let (p, r, f, gp, pp) = class_scores(&pairs, c);
        f1s.push(f);
        per.push(format!(
            "{name} P {p:.3} R {r:.3} F1 {f:.3} (n {gp}, predicted {pp})"
        ));
    }
    let macro_f1 = f1s.iter().sum::<f32>() / k as f32;
    let items: Vec<(f32, bool)> = scored
        .iter()
        .map(|s| (s.confidence, s.gold == s.predicted))
        .collect();
    let ece = calibration_error(&items);
    let floor = ece_floor(&items);
    let (f1_low, f1_high) = bootstrap_interval(&pairs, |sample| macro_f1_of(sample, k));
    let (acc_low, acc_high) = bootstrap_interval(&pairs, |sample| {
        sample.iter().filter(|s| s.0 == s.1).count() as f32 / sample.len().max(1) as f32
    });
    let mut line = format!(
        "{:8} n {:5}  macro-F1 {macro_f1:.3} [{f1_low:.3}, {f1_high:.3}]  accuracy {acc:.3} [{acc_low:.3}, {acc_high:.3}]  ECE {ece:.3} (floor {floor:.3})",
        set.name(),
        scored.len()
    );
    if set == Set::Fnc {
        let (mut got, mut best) = (0.0f32, 0.0f32);
        for s in scored {
            let related = |c: usize| c != 3;
            best += if related(s.gold) { 1.0 } else { 0.25 };
            if related(s.gold) == related(s.predicted) {
                got += 0.25;
            }
            if related(s.gold) && s.gold == s.predicted {
                got += 0.75;
            }
        }
        line.push_str(&format!("  FNC score {:.1} %", 100.0 * got / best));
    }
    // The verdicts a person sees by default (the rest are "not sure").
    let shown: Vec<&Scored> = scored
        .iter()
        .filter(|s| s.confidence >= shown_from)
        .collect();
    let shown_right = shown.iter().filter(|s| s.gold == s.predicted).count();
    line.push_str(&format!(
        "  shown {} right {:.3}",
        shown.len(),
        shown_right as f32 / shown.len().max(1) as f32
    ));
    lines.push(line);
    for (c, p) in per.iter().enumerate() {
        // A verdict shown by default, class by class: what a reader is told.
        let of_class = shown.iter().filter(|s| s.predicted == c);
        let (n, right) = of_class.fold((0, 0), |(n, r), s| (n + 1, r + usize::from(s.gold == c)));
        lines.push(format!("           {p}; shown {right} right of {n}"));
    }
}

/// Macro-F1 over the first `k` classes of (gold, predicted) pairs.
fn macro_f1_of(pairs: &[(usize, usize)], k: usize) -> f32 {
    (0..k).map(|c| class_scores(pairs, c).2).sum::<f32>() / k as f32
}

/// How far a figure could move with another draw of as many pairs: the 2.5th
/// and 97.5th percentiles of `metric` over 1,000 resamples (with replacement,
/// a fixed seed, so the same figures each run). A dev set of 755 pairs with a
/// 16-pair class gives a wide interval; the printed figure is one draw.
fn bootstrap_interval(
    pairs: &[(usize, usize)],
    metric: impl Fn(&[(usize, usize)]) -> f32,
) -> (f32, f32) {
    if pairs.is_empty() {
        return (0.0, 0.0);
    }
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut sample = Vec::with_capacity(pairs.len());
    let mut values: Vec<f32> = (0..1000)
        .map(|_| {
            sample.clear();
            sample.extend((0..pairs.len()).map(|_| pairs[(next() % pairs.len() as u64) as usize]));
            metric(&sample)
        })
        .collect();
    values.sort_by(f32::total_cmp);
    (values[25], values[974])
}

/// Rows shown by default must be right at least this often.
const SHOWN_PRECISION: f32 = 0.9;

/// The smallest confidence threshold at which the rows a user is shown
/// (shared, conflicting, related) on the dev sentence pairs are right at least
/// 90 % of the time; and that precision.
pub fn choose_threshold(
    models: &Models,
    examples: &[Example],
    computed: &[Computed],
) -> (f32, f32, usize, usize) {
    let mut rows = dev_rows(models, examples, computed);
    let (t, p, shown) = precise_rows_from(&mut rows);
    (t, p, shown, rows.len())
}

/// The least confidence from which these rows, surest first, are right at
/// least [`SHOWN_PRECISION`] of the time (20 rows at least); that precision
/// and how many rows it shows. Sorts `rows`.
fn precise_rows_from(rows: &mut [(f32, bool)]) -> (f32, f32, usize) {
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut best = (1.0, 0.0, 0);
    let mut right = 0;
    for (k, (conf, ok)) in rows.iter().enumerate() {
        right += usize::from(*ok);
        let precision = right as f32 / (k + 1) as f32;
        if precision >= SHOWN_PRECISION && (k + 1) >= 20 {
            best = (*conf, precision, k + 1);
        }
    }
    best
}

/// A set's verdicts count toward the summary threshold from this many dev
/// pairs (ArbTEDS, 90 pairs, is reported but too small to set it). Baly's
/// cross-validated verdicts count too (in `run`).
pub const SUMMARY_SET_SIZE: usize = 200;

/// The least confidence (a 0.0025 grid) from which each of these sets'
/// verdicts are right at least [`SHOWN_PRECISION`] of the time: each set on
/// its own, so that a large easy set (FNC-1) cannot carry a hard one (ArNLI).
pub fn precise_from(scored: &[Vec<Scored>]) -> f32 {
    (200..400)
        .map(|i| i as f32 * 0.0025)
        .find(|&t| {
            scored.iter().all(|set| {
                let shown = set.iter().filter(|s| s.confidence >= t);
                let (n, right) = shown.fold((0usize, 0usize), |(n, r), s| {
                    (n + 1, r + usize::from(s.gold == s.predicted))
                });
                n == 0 || right as f32 >= SHOWN_PRECISION * n as f32
            })
        })
        .unwrap_or(1.0)
}

/// Calibration of the rows' confidence (ECE, 10 bins) on the dev sentence
/// pairs, over the rows `track diff` would report as shared, conflicting or
/// related; and how many.
pub fn row_calibration(
    models: &Models,
    examples: &[Example],
    computed: &[Computed],
) -> (f32, usize) {
    let rows = dev_rows(models, examples, computed);
    (calibration_error(&rows), rows.len())
}

/// Expected calibration error over (confidence, right) pairs, 10 equal bins.
fn calibration_error(items: &[(f32, bool)]) -> f32 {
    let n = items.len() as f32;
    let mut ece = 0.0;
    for b in 0..10 {
        let (lo, hi) = (b as f32 / 10.0, (b + 1) as f32 / 10.0);
        let bin: Vec<&(f32, bool)> = items
            .iter()
            .filter(|(c, _)| (*c > lo && *c <= hi) || (b == 0 && *c == 0.0))
            .collect();
        if bin.is_empty() {
            continue;
        }
        let conf = bin.iter().map(|r| r.0).sum::<f32>() / bin.len() as f32;
        let acc = bin.iter().filter(|r| r.1).count() as f32 / bin.len() as f32;
        ece += (bin.len() as f32 / n) * (conf - acc).abs();
    }
    ece
}

/// The ECE a perfectly calibrated model would show on rows with these
/// confidences, on average over draws of the outcomes from them (fixed seed):
/// the bins' sampling noise alone, which on a hundred rows is about the size
/// of the 0.05 target.
fn ece_floor(items: &[(f32, bool)]) -> f32 {
    const DRAWS: usize = 500;
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut uniform = move || {
        // xorshift64*: deterministic, good enough for drawing outcomes.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 40) as f32 / (1u64 << 24) as f32
    };
    let mut total = 0.0;
    for _ in 0..DRAWS {
        let drawn: Vec<(f32, bool)> = items.iter().map(|&(c, _)| (c, uniform() < c)).collect();
        total += calibration_error(&drawn);
    }
    total / DRAWS as f32
}

/// The best-matched row of each dev sentence pair that `track diff` would
/// report as shared, conflicting or related: its confidence, and whether its
/// status is right.
fn dev_rows(models: &Models, examples: &[Example], computed: &[Computed]) -> Vec<(f32, bool)> {
    best_rows(models, examples, computed, &|ex| ex.split == Split::Dev)
}

/// [`dev_rows`] over the sentence-pair examples `select` picks.
pub fn best_rows(
    models: &Models,
    examples: &[Example],
    computed: &[Computed],
    select: &dyn Fn(&Example) -> bool,
) -> Vec<(f32, bool)> {
    rows_judged(models, examples, computed, select, false)
        .into_iter()
        .map(|(confidence, right, _)| (confidence, right))
        .collect()
}

/// [`best_rows`]; `exact`: a row is right only with the status the labels
/// name (a `related` row of a disagreeing pair is then wrong), for the record.
fn rows_judged(
    models: &Models,
    examples: &[Example],
    computed: &[Computed],
    select: &dyn Fn(&Example) -> bool,
    exact: bool,
) -> Vec<(f32, bool, usize)> {
    let mut rows = Vec::new();
    for (ex, c) in examples.iter().zip(computed) {
        if !select(ex) || !matches!(ex.set, Set::Ans | Set::Arnli | Set::Arbteds) {
            continue;
        }
        let Some(r) = c
            .considered
            .iter()
            .filter(|r| r.matched)
            .max_by(|a, b| a.similarity.total_cmp(&b.similarity))
        else {
            continue;
        };
        let p = model::row_probabilities(&models.row, &r.features);
        let (class, confidence) = models.decide_row(&p, !r.changes.is_empty());
        if class == 3 {
            continue;
        }
        // ArbTEDS "not" is related or conflicting: either is right for it.
        // A contradiction no rule names is reported `related` (its confidence
        // is that of related or conflicting, as `decide_row` adds them): right
        // for a disagreeing pair, as the README defines the status.
        let right = match ex.set {
            Set::Arbteds if ex.label != 0 => class != 0,
            Set::Ans if ex.label == 3 => false,
            _ if class == 2 && ex.label == 1 => !exact,
            _ => class == ex.label,
        };
        rows.push((confidence, right, class));
    }
    rows
}

/// The claims `track diff` would show as only in one article, among the
/// examples `select` picks: their set, the row model's "unrelated" for the
/// best partner (before `only_in_confidence`'s map), and whether "only in
/// one" is right — the pair is labelled unrelated; a claim of a pair that
/// agrees, contradicts or discusses is reported by both. ArbTEDS' "not" says
/// neither, and is left out. Only a side of one statement is
/// judged (the claim the label speaks of): which statements of a longer one
/// the other text reports is not labelled.
pub fn only_in_rows(
    models: &Models,
    examples: &[Example],
    computed: &[Computed],
    select: &dyn Fn(&Example) -> bool,
) -> Vec<(Set, OnlyIn, bool)> {
    let mut out = Vec::new();
    for (ex, c) in examples.iter().zip(computed) {
        // ArNLI's pairs are captions of photos: its labels say whether two
        // scenes can be one, not whether one text reports the other's claim
        // ("a dog catches a ball" against "a person jumps on the grass" is a
        // contradiction there).
        if !select(ex) || ex.set.made_up() || ex.set == Set::Arnli {
            continue;
        }
        if ex.set == Set::Arbteds && ex.label != 0 {
            continue;
        }
        let right = ex.label == 3;
        let probabilities = models.rows(&c.considered);
        let pair = models.relation(&c.doc, &c.considered, &probabilities);
        let reading = read_claims(
            models,
            (&c.considered, &probabilities),
            (ex.from.len(), ex.to.len()),
            pair[3],
        );
        // A side of one statement is the claim the label speaks of; of a
        // longer one, which statement the other text reports is not labelled.
        if let ([claim], [FromReading::Only(reading)]) = (&ex.from[..], &reading.from[..])
            && makes_claim(&claim.text, &claim.slots)
        {
            out.push((ex.set, *reading, right));
        }
        // Of two short texts, the second's claim too.
        if matches!(ex.set, Set::Ans | Set::Arbteds)
            && let ([claim], [Some(reading)]) = (&ex.to[..], &reading.only_to[..])
            && makes_claim(&claim.text, &claim.slots)
        {
            out.push((ex.set, *reading, right));
        }
    }
    out
}

/// [`only_in_rows`] of the dev sets as `track diff` reports them (through
/// `only_in_confidence`), set by set: how many, how sure, how often right,
/// the calibration error, and the precision of those shown by default.
pub fn only_in_by_set(
    models: &Models,
    examples: &[Example],
    computed: &[Computed],
    select: &dyn Fn(&Example) -> bool,
) -> String {
    let rows = only_in_rows(models, examples, computed, select);
    let mut parts = Vec::new();
    for (name, set) in [
        ("ANS", Set::Ans),
        ("ArbTEDS", Set::Arbteds),
        ("FNC-1", Set::Fnc),
    ] {
        let of_set: Vec<(f32, bool)> = rows
            .iter()
            .filter(|r| r.0 == set)
            .map(|r| (models.only_in(&r.1), r.2))
            .collect();
        if of_set.is_empty() {
            continue;
        }
        let n = of_set.len() as f32;
        let confidence = of_set.iter().map(|r| r.0).sum::<f32>() / n;
        let right = of_set.iter().filter(|r| r.1).count();
        let shown: Vec<&(f32, bool)> = of_set
            .iter()
            .filter(|r| r.0 >= models.min_confidence)
            .collect();
        let shown_right = shown.iter().filter(|r| r.1).count();
        parts.push(format!(
            "{name} n {} confidence {confidence:.3} right {:.3} ECE {:.3} (floor {:.3}); shown {} right {}",
            of_set.len(),
            right as f32 / n,
            calibration_error(&of_set),
            ece_floor(&of_set),
            shown.len(),
            shown_right
        ));
    }
    parts.join("; ")
}

/// The dev rows a reader is shown by default (from `min_confidence`), status
/// by status: how many, and how many right.
pub fn rows_shown_by_status(
    models: &Models,
    examples: &[Example],
    computed: &[Computed],
) -> String {
    let rows = rows_judged(
        models,
        examples,
        computed,
        &|ex| ex.split == Split::Dev,
        false,
    );
    (0..3)
        .map(|class| {
            let shown = rows
                .iter()
                .filter(|r| r.2 == class && r.0 >= models.min_confidence);
            let (n, right) = shown.fold((0, 0), |(n, k), r| (n + 1, k + usize::from(r.1)));
            // Where this status alone would reach the shown precision.
            let mut of_class: Vec<(f32, bool)> = rows
                .iter()
                .filter(|r| r.2 == class)
                .map(|r| (r.0, r.1))
                .collect();
            let (from, _, shown_from) = precise_rows_from(&mut of_class);
            let all = of_class.len().max(1) as f32;
            let mean = of_class.iter().map(|r| r.0).sum::<f32>() / all;
            let acc = of_class.iter().filter(|r| r.1).count() as f32 / all;
            format!(
                "{} {right} right of {n} (0.9 from {from:.3}: {shown_from} rows; all {}: confidence {mean:.3}, right {acc:.3}, ECE {:.3})",
                ROW_CLASSES[class],
                of_class.len(),
                calibration_error(&of_class)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rows' calibration set by set, over the sentence-pair examples `select`
/// picks: mean confidence, share right, ECE and its floor.
pub fn rows_by_set(
    models: &Models,
    examples: &[Example],
    computed: &[Computed],
    select: &dyn Fn(&Example) -> bool,
) -> String {
    let mut parts = Vec::new();
    for (name, set) in [
        ("ANS", Set::Ans),
        ("ArNLI", Set::Arnli),
        ("ArbTEDS", Set::Arbteds),
    ] {
        let rows = best_rows(models, examples, computed, &|ex| {
            select(ex) && ex.set == set
        });
        if rows.is_empty() {
            continue;
        }
        let n = rows.len() as f32;
        let confidence = rows.iter().map(|r| r.0).sum::<f32>() / n;
        let right = rows.iter().filter(|r| r.1).count() as f32 / n;
        let exact = rows_judged(
            models,
            examples,
            computed,
            &|ex| select(ex) && ex.set == set,
            true,
        );
        let exact = exact.iter().filter(|r| r.1).count() as f32 / n;
        parts.push(format!(
            "{name} n {} confidence {confidence:.3} right {right:.3} (exact status {exact:.3}) ECE {:.3} (floor {:.3})",
            rows.len(),
            calibration_error(&rows),
            ece_floor(&rows)
        ));
    }
    parts.join("; ")
}
