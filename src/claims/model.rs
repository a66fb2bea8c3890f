//! The learned part of claim comparison: a small classifier over the rule
//! features of `features.rs`, with its parameters in `model.json` beside this
//! file. `examples/claims_model/` trains it from the labelled data in
//! `../shared/data/` and writes that file; nothing here reads the data.
//!
//! The classifier is a one-hidden-layer network (or plain multinomial logistic
//! regression when the hidden layer is empty) over standardised features,
//! followed by a temperature that calibrates its probabilities. Training is
//! full-batch and seeded, so the same data always gives the same file, and
//! inference is a few hundred multiply-adds.

use serde::{Deserialize, Serialize};

use super::features::{Considered, DocStats, pair_readings};

/// One trained classifier.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Classifier {
    /// Class names, in output order.
    pub classes: Vec<String>,
    /// Feature names, in input order (checked against the code's list at load).
    pub features: Vec<String>,
    pub mean: Vec<f32>,
    pub scale: Vec<f32>,
    /// Hidden layer: `hidden[h][f]` weights and `hidden_bias[h]`; empty for a
    /// linear model.
    pub hidden: Vec<Vec<f32>>,
    pub hidden_bias: Vec<f32>,
    /// Output layer: `output[c][i]` over the hidden units (or the features).
    pub output: Vec<Vec<f32>>,
    pub output_bias: Vec<f32>,
    /// Logits are divided by this before the softmax (fitted on held-out data).
    pub temperature: f32,
    /// More networks of the same shape trained from other seeds: the logits
    /// are averaged over all of them (one seed's luck is not the model's).
    #[serde(default)]
    pub members: Vec<Net>,
}

/// The weights of one further network of an ensemble (see [`Classifier`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Net {
    pub hidden: Vec<Vec<f32>>,
    pub hidden_bias: Vec<f32>,
    pub output: Vec<Vec<f32>>,
    pub output_bias: Vec<f32>,
}

/// Both classifiers, as committed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Models {
    /// One claim of each article: shared / conflicting / related / unrelated.
    pub row: Classifier,
    /// The two articles as a whole: agree / disagree / related / unrelated
    /// (a claim or headline against an article).
    pub pair: Classifier,
    /// The same, for two texts of a few sentences each (two headlines, two
    /// claims): the labels there mean something else ("other" is unrelated
    /// news, not a discussion), so it is learned apart. Absent: `pair` serves.
    #[serde(default)]
    pub pair_sentences: Option<Classifier>,
    /// How often a row decided with probability `p` is right:
    /// `sigmoid(a·logit(p) + b)` with `[a, b]` fitted on training rows, each
    /// scored by models trained without its fold (cross-fitted), after
    /// [`Models::decide_row`]'s rule (which moves probability between
    /// classes, so the row model's own temperature is not enough).
    /// Absent: the probability as decided.
    #[serde(default)]
    pub row_confidence: Option<[f32; 2]>,
    /// How often a claim read as only in one article really is (the other
    /// does not report it): a logistic regression over [`OnlyIn::inputs`],
    /// fitted (cross-fitted, as `row_confidence`) on training claims of one
    /// statement whose pair is labelled unrelated (right) or agreeing,
    /// contradicting or discussing (wrong). Absent: the row model's
    /// "unrelated" as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_in_confidence: Option<Vec<f32>>,
    /// The least confidence a row needs to be shown by default: chosen on dev
    /// data for precision at least 0.9 of what is shown.
    pub min_confidence: f32,
    /// The least confidence a pair-level summary needs to be shown as a
    /// verdict (below it people read "not sure" and the best guess): chosen
    /// on dev data (Baly's cross-validated) so that each set's verdicts shown
    /// are right at least 0.9 of the time. Absent: `min_confidence`.
    #[serde(default)]
    pub summary_min_confidence: Option<f32>,
    /// How the parameters were made (command, data, figures), for the record.
    #[serde(default)]
    pub trained: String,
}

/// The most statements the longer side may have for the sentence-pair model.
pub const SENTENCE_SIDE: usize = 3;

impl Models {
    /// The pair model for two texts whose longer side has `longest` statements.
    pub fn pair_for(&self, longest: usize) -> &Classifier {
        match &self.pair_sentences {
            Some(m) if longest <= SENTENCE_SIDE => m,
            _ => &self.pair,
        }
    }

    /// The row model's probabilities for each pair of claims considered.
    /// Two claims whose figures for the same counted thing, or dates of the
    /// same event, differ by the rules' reading do not assert the same thing:
    /// what the model gave "shared" goes to "conflicting". (Rows of article
    /// pairs labelled as agreeing teach it otherwise: an agreeing article
    /// can give another toll.)
    pub fn rows(&self, considered: &[Considered]) -> Vec<Vec<f32>> {
        considered
            .iter()
            .map(|c| {
                let mut p = row_probabilities(&self.row, &c.features);
                if values_conflict(&c.changes) {
                    p[1] += p[0];
                    p[0] = 0.0;
                }
                p
            })
            .collect()
    }

    /// A row's class (index into `ROW_CLASSES`) and how likely it is right,
    /// from the row model's probabilities. A conflict needs a contradiction
    /// the rules can name: without one, what the model took for a
    /// contradiction counts as "related" (the same event, not the same
    /// assertion).
    pub fn decide_row(&self, p: &[f32], contradiction_named: bool) -> (usize, f32) {
        let mut q = p.to_vec();
        if !contradiction_named {
            q[2] += q[1];
            q[1] = 0.0;
        }
        let class = (0..q.len())
            .max_by(|&x, &y| q[x].total_cmp(&q[y]).then(y.cmp(&x)))
            .unwrap_or(3);
        let confidence = match self.row_confidence {
            Some(ab) => platt(ab, q[class]),
            None => q[class],
        };
        (class, confidence)
    }

    /// How likely a claim read as only in one article is (see
    /// [`Models::only_in_confidence`]).
    pub fn only_in(&self, reading: &OnlyIn) -> f32 {
        match &self.only_in_confidence {
            Some(w) if w.len() == ONLY_IN_INPUTS => {
                let z: f32 = w.iter().zip(reading.inputs()).map(|(a, b)| a * b).sum();
                1.0 / (1.0 + (-z).exp())
            }
            _ => reading.unrelated,
        }
    }

    /// The pair's probabilities (agree, disagree, related, unrelated), from
    /// the text-level readings and the rows' probabilities.
    ///
    /// Two texts of as many statements each have no short side: each is read
    /// as the short one in turn and the two readings averaged, so that which
    /// text comes first never changes the answer.
    pub fn relation(
        &self,
        doc: &DocStats,
        considered: &[Considered],
        rows: &[Vec<f32>],
    ) -> Vec<f32> {
        let model = self.pair_for(doc.long_len);
        let readings = pair_readings(doc, considered, rows);
        softmax(&model.mean_logits(&readings), model.temperature)
    }
}

impl Classifier {
    /// Raw scores before the softmax, averaged over the ensemble.
    fn logits(&self, x: &[f32]) -> Vec<f32> {
        let z: Vec<f32> = x
            .iter()
            .zip(self.mean.iter().zip(&self.scale))
            .map(|(v, (m, s))| (v - m) / s)
            .collect();
        let mut sum = net_logits(
            &self.hidden,
            &self.hidden_bias,
            &self.output,
            &self.output_bias,
            &z,
        );
        for m in &self.members {
            let l = net_logits(&m.hidden, &m.hidden_bias, &m.output, &m.output_bias, &z);
            sum.iter_mut().zip(l).for_each(|(s, v)| *s += v);
        }
        let n = (1 + self.members.len()) as f32;
        sum.iter_mut().for_each(|s| *s /= n);
        sum
    }

    /// The scores of several readings of one example, averaged (before the
    /// temperature: a model calibrated on these averages stays calibrated).
    pub fn mean_logits(&self, readings: &[Vec<f32>]) -> Vec<f32> {
        let mut sum = vec![0.0; self.classes.len()];
        for x in readings {
            sum.iter_mut()
                .zip(self.logits(x))
                .for_each(|(s, l)| *s += l);
        }
        let n = readings.len().max(1) as f32;
        sum.iter_mut().for_each(|s| *s /= n);
        sum
    }

    /// Calibrated class probabilities.
    pub fn predict(&self, x: &[f32]) -> Vec<f32> {
        softmax(&self.logits(x), self.temperature)
    }
}

/// The row model's probabilities for one pair of claims, read both ways
/// (each claim's features in the other's place) with the two readings'
/// scores averaged: whether two claims agree does not depend on which
/// article is named first.
pub fn row_probabilities(row: &Classifier, features: &[f32]) -> Vec<f32> {
    softmax(&row_logits(row, features), row.temperature)
}

/// The row model's scores, read both ways (see [`row_probabilities`]).
fn row_logits(row: &Classifier, features: &[f32]) -> Vec<f32> {
    let swapped = mirrored_row(features);
    if swapped == features {
        return row.logits(features);
    }
    row.mean_logits(&[features.to_vec(), swapped])
}

/// Row features (see [`super::features::ROW_FEATURES`]) as read with the
/// two claims in each other's place.
pub fn mirrored_row(features: &[f32]) -> Vec<f32> {
    row_mirror().iter().map(|&k| features[k]).collect()
}

/// For each row feature, the feature read of the other claim (`cover_from`
/// for `cover_to`); itself for those of the pair as a whole.
fn row_mirror() -> &'static [usize] {
    static MIRROR: std::sync::OnceLock<Vec<usize>> = std::sync::OnceLock::new();
    MIRROR.get_or_init(|| {
        let names = super::features::ROW_FEATURES;
        let other = |name: &str| {
            let swapped = if let Some(stem) = name.strip_suffix("_from") {
                format!("{stem}_to")
            } else if let Some(stem) = name.strip_suffix("_to") {
                format!("{stem}_from")
            } else {
                return None;
            };
            names.iter().position(|n| *n == swapped)
        };
        (0..names.len())
            .map(|k| other(names[k]).unwrap_or(k))
            .collect()
    })
}

/// Whether the rules read a figure or a date of the two claims as in
/// conflict (the values themselves, not a reading of the wording).
fn values_conflict(changes: &[crate::claims::compare::SlotChange]) -> bool {
    changes
        .iter()
        .any(|c| matches!(c.slot, "quantity" | "date") && c.kind == "conflict")
}

fn net_logits(
    hidden: &[Vec<f32>],
    hidden_bias: &[f32],
    output: &[Vec<f32>],
    output_bias: &[f32],
    z: &[f32],
) -> Vec<f32> {
    let layer: Vec<f32> = if hidden.is_empty() {
        z.to_vec()
    } else {
        hidden
            .iter()
            .zip(hidden_bias)
            .map(|(w, b)| (dot(w, z) + b).tanh())
            .collect()
    };
    output
        .iter()
        .zip(output_bias)
        .map(|(w, b)| dot(w, &layer) + b)
        .collect()
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn softmax(logits: &[f32], temperature: f32) -> Vec<f32> {
    let t = temperature.max(1e-3);
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e: Vec<f32> = logits.iter().map(|l| ((l - max) / t).exp()).collect();
    let sum: f32 = e.iter().sum();
    e.iter().map(|v| v / sum).collect()
}

include!(concat!(env!("OUT_DIR"), "/model_consts.rs"));

/// The committed models, read once (packed from `model.json` at build time,
/// see `build.rs`: the same numbers, without parsing text).
pub fn models() -> &'static Models {
    static MODELS: std::sync::OnceLock<Models> = std::sync::OnceLock::new();
    MODELS.get_or_init(|| {
        crate::packed::from_bytes(include_bytes!(concat!(env!("OUT_DIR"), "/model.bin")))
            .expect("src/claims/model.json is part of the build and must parse")
    })
}

/// What training needs besides the data.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    pub hidden: usize,
    pub l2: f32,
    pub epochs: usize,
    /// Examples per step (the order is shuffled by `seed` each epoch).
    pub batch: usize,
    pub learning_rate: f32,
    pub seed: u64,
    /// Networks trained (seeds `seed`, `seed + 1`, …), their logits averaged.
    pub ensemble: usize,
    /// Floor of a feature's standardising scale: a rare binary feature (a
    /// tenth of a percent of the rows) would otherwise be multiplied by a
    /// hundred and fitted to a handful of rows.
    pub min_scale: f32,
    /// When set, the parameters kept are the average of those at the end of
    /// each epoch from this one (counted from 1) on, not the last ones: the
    /// last epochs of a constant step wander around a minimum, and their
    /// mean lies nearer its middle than any one of them (one network's
    /// cost at inference; less variance between seeds).
    pub average_from: Option<usize>,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            hidden: 16,
            l2: 1e-4,
            epochs: 30,
            batch: 128,
            learning_rate: 0.005,
            seed: 7,
            ensemble: 5,
            min_scale: 1e-3,
            average_from: None,
        }
    }
}

/// A small deterministic generator for the initial weights.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    }
}

/// Fit a classifier: `opts.ensemble` networks (see [`train_one`]) from
/// consecutive seeds, their logits averaged.
pub fn train(
    classes: &[&str],
    features: &[&str],
    x: &[Vec<f32>],
    y: &[usize],
    w: &[f32],
    opts: &TrainOptions,
) -> Classifier {
    let mut first = train_one(classes, features, x, y, w, opts);
    for k in 1..opts.ensemble.max(1) {
        let seeded = TrainOptions {
            seed: opts.seed + k as u64,
            ..*opts
        };
        let c = train_one(classes, features, x, y, w, &seeded);
        first.members.push(Net {
            hidden: c.hidden,
            hidden_bias: c.hidden_bias,
            output: c.output,
            output_bias: c.output_bias,
        });
    }
    first
}

/// Fit one network: mini-batch Adam on weighted cross-entropy, in a seeded order. `y` holds
/// class indices; `w` example weights.
fn train_one(
    classes: &[&str],
    features: &[&str],
    x: &[Vec<f32>],
    y: &[usize],
    w: &[f32],
    opts: &TrainOptions,
) -> Classifier {
    let (n, f, k) = (x.len(), features.len(), classes.len());
    let total_w: f32 = w.iter().sum::<f32>().max(1e-9);
    let mut mean = vec![0f32; f];
    let mut scale = vec![0f32; f];
    for (row, wi) in x.iter().zip(w) {
        for j in 0..f {
            mean[j] += wi * row[j];
        }
    }
    mean.iter_mut().for_each(|m| *m /= total_w);
    for (row, wi) in x.iter().zip(w) {
        for j in 0..f {
            scale[j] += wi * (row[j] - mean[j]).powi(2);
        }
    }
    scale
        .iter_mut()
        .for_each(|s| *s = (*s / total_w).sqrt().max(opts.min_scale));
    let z: Vec<Vec<f32>> = x
        .iter()
        .map(|row| (0..f).map(|j| (row[j] - mean[j]) / scale[j]).collect())
        .collect();

    let h = opts.hidden;
    let inner = if h == 0 { f } else { h };
    let mut rng = Lcg(opts.seed);
    // Parameters flattened: hidden weights, hidden biases, output weights, output biases.
    let mut hidden: Vec<Vec<f32>> = (0..h)
        .map(|_| (0..f).map(|_| rng.next() / (f as f32).sqrt()).collect())
        .collect();
    let mut hidden_bias = vec![0f32; h];
    let mut output: Vec<Vec<f32>> = (0..k)
        .map(|_| {
            (0..inner)
                .map(|_| rng.next() / (inner as f32).sqrt())
                .collect()
        })
        .collect();
    let mut output_bias = vec![0f32; k];

    let size = h * f + h + k * inner + k;
    let (mut m1, mut m2) = (vec![0f32; size], vec![0f32; size]);
    let (b1, b2, eps) = (0.9f32, 0.999f32, 1e-8f32);
    let mut order: Vec<usize> = (0..n).collect();
    let mean_w = total_w / n.max(1) as f32;
    let mut step = 0i32;
    let mut averaged: Option<(Vec<f32>, f32)> = None;
    for epoch in 1..=opts.epochs {
        // Fisher-Yates with the seeded generator: the same data, the same model.
        for i in (1..n).rev() {
            let j = ((rng.next() + 1.0) * 0.5 * (i + 1) as f32) as usize;
            order.swap(i, j.min(i));
        }
        for batch in order.chunks(opts.batch.max(1)) {
            step += 1;
            let mut grad = vec![0f32; size];
            let scale_w = 1.0 / (mean_w * batch.len() as f32);
            for &i in batch {
                let layer: Vec<f32> = if h == 0 {
                    z[i].clone()
                } else {
                    (0..h)
                        .map(|u| (dot(&hidden[u], &z[i]) + hidden_bias[u]).tanh())
                        .collect()
                };
                let logits: Vec<f32> = (0..k)
                    .map(|c| dot(&output[c], &layer) + output_bias[c])
                    .collect();
                let p = softmax(&logits, 1.0);
                let wi = w[i] * scale_w;
                let off_out = h * f + h;
                let mut back = vec![0f32; inner];
                for c in 0..k {
                    let d = wi * (p[c] - if y[i] == c { 1.0 } else { 0.0 });
                    for u in 0..inner {
                        grad[off_out + c * inner + u] += d * layer[u];
                        back[u] += d * output[c][u];
                    }
                    grad[off_out + k * inner + c] += d;
                }
                if h > 0 {
                    for u in 0..h {
                        let d = back[u] * (1.0 - layer[u] * layer[u]);
                        for j in 0..f {
                            grad[u * f + j] += d * z[i][j];
                        }
                        grad[h * f + u] += d;
                    }
                }
            }
            // L2 on weights only.
            let mut params = flatten(&hidden, &hidden_bias, &output, &output_bias);
            for u in 0..h * f {
                grad[u] += opts.l2 * params[u];
            }
            let off_out = h * f + h;
            for u in 0..k * inner {
                grad[off_out + u] += opts.l2 * params[off_out + u];
            }
            let lr = opts.learning_rate;
            for u in 0..size {
                m1[u] = b1 * m1[u] + (1.0 - b1) * grad[u];
                m2[u] = b2 * m2[u] + (1.0 - b2) * grad[u] * grad[u];
                let mh = m1[u] / (1.0 - b1.powi(step));
                let vh = m2[u] / (1.0 - b2.powi(step));
                params[u] -= lr * mh / (vh.sqrt() + eps);
            }
            unflatten(
                &params,
                f,
                inner,
                &mut hidden,
                &mut hidden_bias,
                &mut output,
                &mut output_bias,
            );
        }
        if opts.average_from.is_some_and(|from| epoch >= from) {
            let params = flatten(&hidden, &hidden_bias, &output, &output_bias);
            let (sum, count) = averaged.get_or_insert_with(|| (vec![0f32; size], 0.0));
            sum.iter_mut().zip(&params).for_each(|(s, p)| *s += p);
            *count += 1.0;
        }
    }
    if let Some((sum, count)) = averaged {
        let mean: Vec<f32> = sum.iter().map(|s| s / count).collect();
        unflatten(
            &mean,
            f,
            inner,
            &mut hidden,
            &mut hidden_bias,
            &mut output,
            &mut output_bias,
        );
    }
    Classifier {
        classes: classes.iter().map(|c| c.to_string()).collect(),
        features: features.iter().map(|c| c.to_string()).collect(),
        mean,
        scale,
        hidden,
        hidden_bias,
        output,
        output_bias,
        temperature: 1.0,
        members: Vec::new(),
    }
}

fn flatten(hidden: &[Vec<f32>], hb: &[f32], output: &[Vec<f32>], ob: &[f32]) -> Vec<f32> {
    let mut v: Vec<f32> = hidden.iter().flatten().copied().collect();
    v.extend(hb);
    v.extend(output.iter().flatten());
    v.extend(ob);
    v
}

fn unflatten(
    v: &[f32],
    f: usize,
    inner: usize,
    hidden: &mut [Vec<f32>],
    hb: &mut [f32],
    output: &mut [Vec<f32>],
    ob: &mut [f32],
) {
    let h = hidden.len();
    for u in 0..h {
        hidden[u].copy_from_slice(&v[u * f..(u + 1) * f]);
    }
    hb.copy_from_slice(&v[h * f..h * f + h]);
    let off = h * f + h;
    for (c, row) in output.iter_mut().enumerate() {
        row.copy_from_slice(&v[off + c * inner..off + (c + 1) * inner]);
    }
    let k = output.len();
    ob.copy_from_slice(&v[off + k * inner..off + k * inner + k]);
}

fn platt([a, b]: [f32; 2], p: f32) -> f32 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    let z = a * (p / (1.0 - p)).ln() + b;
    1.0 / (1.0 + (-z).exp())
}

/// What a claim read as only in one article is judged by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OnlyIn {
    /// The row model's "unrelated" for the claim's best partner (1 when
    /// nothing in the other article is like it).
    pub unrelated: f32,
    /// That partner's match score (0 without one).
    pub similarity: f32,
    /// How many statements the claim's article has, and the other.
    pub own_statements: usize,
    pub other_statements: usize,
    /// The pair model's "unrelated" for the two articles.
    pub pair_unrelated: f32,
}

/// How many inputs [`OnlyIn::inputs`] gives.
pub const ONLY_IN_INPUTS: usize = 7;

/// Which of them are a block's bias (not shrunk when fitting).
const ONLY_IN_BIASES: [usize; 2] = [0, 3];

impl OnlyIn {
    /// The calibration's inputs, in two blocks fitted apart, each with its
    /// own bias: against a whole article, and against a text of a few
    /// statements (a headline, a claim: "only in" one of those is a different
    /// question). Each reads the log-odds of "unrelated" (bounded) and the
    /// match score; the second also the pair model's log-odds of "unrelated"
    /// when the claim's own side is a few statements too (then "is this claim
    /// in the other?" is the pair's own question, which that model learned).
    /// Against an article the labelled claims are headlines, and an article's
    /// own statements have no such pair reading: it is left out there, so
    /// that the same fit holds for both.
    pub fn inputs(&self) -> [f32; ONLY_IN_INPUTS] {
        let logit = |p: f32| {
            let p = p.clamp(1e-4, 1.0 - 1e-4);
            (p / (1.0 - p)).ln()
        };
        let (unrelated, similarity) = (logit(self.unrelated), self.similarity);
        if self.other_statements <= SENTENCE_SIDE {
            let pair = if self.own_statements <= SENTENCE_SIDE {
                logit(self.pair_unrelated)
            } else {
                0.0
            };
            [0.0, 0.0, 0.0, 1.0, unrelated, similarity, pair]
        } else {
            [1.0, unrelated, similarity, 0.0, 0.0, 0.0, 0.0]
        }
    }
}

/// The weights of [`Models::only_in_confidence`] that minimise the log loss
/// of held-out (reading, right) pairs, with a little L2 on all but the
/// biases: Newton's method from zero, a fixed number of steps
/// (deterministic).
pub fn fit_only_in(items: &[(OnlyIn, bool)]) -> Vec<f32> {
    const K: usize = ONLY_IN_INPUTS;
    let rows: Vec<([f64; K], f64)> = items
        .iter()
        .map(|(r, right)| (r.inputs().map(f64::from), if *right { 1.0 } else { 0.0 }))
        .collect();
    let l2 = 1.0;
    let mut w = [0.0f64; K];
    for _ in 0..30 {
        let mut g = [0.0f64; K];
        let mut h = [[0.0f64; K]; K];
        for (x, y) in &rows {
            let z: f64 = w.iter().zip(x).map(|(a, b)| a * b).sum();
            let q = 1.0 / (1.0 + (-z).exp());
            for i in 0..K {
                g[i] += (q - y) * x[i];
                for j in 0..K {
                    h[i][j] += q * (1.0 - q) * x[i] * x[j];
                }
            }
        }
        for i in 0..K {
            // A block no item reaches keeps zero weights (the Hessian's
            // tiny diagonal term keeps it solvable).
            let shrink = if ONLY_IN_BIASES.contains(&i) {
                1e-6
            } else {
                l2
            };
            g[i] += shrink * w[i];
            h[i][i] += shrink;
        }
        let Some(step) = solve(h, g) else { break };
        for (wi, d) in w.iter_mut().zip(step) {
            *wi -= d;
        }
    }
    w.iter().map(|&v| v as f32).collect()
}

/// `x` with `a·x = b` (Gaussian elimination with partial pivoting), or
/// `None` when `a` is singular.
fn solve<const K: usize>(mut a: [[f64; K]; K], mut b: [f64; K]) -> Option<[f64; K]> {
    for col in 0..K {
        let pivot = (col..K).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (pivot_row, pivot_b) = (a[col], b[col]);
        for row in col + 1..K {
            let f = a[row][col] / pivot_row[col];
            for (x, p) in a[row].iter_mut().zip(pivot_row).skip(col) {
                *x -= f * p;
            }
            b[row] -= f * pivot_b;
        }
    }
    let mut x = [0.0f64; K];
    for row in (0..K).rev() {
        let rest: f64 = (row + 1..K).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - rest) / a[row][row];
    }
    Some(x)
}

/// The `[a, b]` of [`Models::row_confidence`] that minimise the log loss of
/// held-out (probability, right) pairs (a grid search: deterministic).
pub fn fit_confidence(items: &[(f32, bool)]) -> [f32; 2] {
    let loss = |ab: [f32; 2]| -> f32 {
        items
            .iter()
            .map(|&(p, right)| {
                let q = platt(ab, p).clamp(1e-7, 1.0 - 1e-7);
                -(if right { q } else { 1.0 - q }).ln()
            })
            .sum()
    };
    let mut best = ([1.0, 0.0], loss([1.0, 0.0]));
    for i in 0..=70 {
        for j in 0..=80 {
            let ab = [0.2 + i as f32 * 0.04, -2.0 + j as f32 * 0.05];
            let l = loss(ab);
            if l < best.1 {
                best = (ab, l);
            }
        }
    }
    best.0
}

/// The temperature that minimises the log loss of held-out predictions
/// (a one-dimensional search; the argmax is unchanged by it), each example
/// read one or several ways (see [`Classifier::mean_logits`]).
pub fn fit_temperature_readings(
    model: &Classifier,
    x: &[Vec<Vec<f32>>],
    y: &[usize],
    w: &[f32],
) -> f32 {
    let logits: Vec<Vec<f32>> = x.iter().map(|r| model.mean_logits(r)).collect();
    fit_temperature_on(&logits, y, w)
}

/// [`fit_temperature_readings`] for the row model, whose scores are read
/// both ways (see [`row_probabilities`]).
pub fn fit_row_temperature(row: &Classifier, x: &[Vec<f32>], y: &[usize], w: &[f32]) -> f32 {
    let logits: Vec<Vec<f32>> = x.iter().map(|r| row_logits(row, r)).collect();
    fit_temperature_on(&logits, y, w)
}

fn fit_temperature_on(logits: &[Vec<f32>], y: &[usize], w: &[f32]) -> f32 {
    let loss = |t: f32| -> f32 {
        logits
            .iter()
            .zip(y.iter().zip(w))
            .map(|(l, (&c, wi))| -wi * softmax(l, t)[c].max(1e-7).ln())
            .sum()
    };
    let mut best = (1.0f32, loss(1.0));
    let mut t = 0.3f32;
    while t <= 4.0 {
        let l = loss(t);
        if l < best.1 {
            best = (t, l);
        }
        t += 0.02;
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_map_learns_overconfidence_and_keeps_order() {
        // Rows said 0.9 sure but right only 60 % of the time.
        let items: Vec<(f32, bool)> = (0..100).map(|k| (0.9, k % 10 < 6)).collect();
        let ab = fit_confidence(&items);
        let mapped = platt(ab, 0.9);
        assert!((mapped - 0.6).abs() < 0.05, "{mapped}");
        assert!(platt(ab, 0.95) >= platt(ab, 0.8), "monotone");
        assert!((platt([1.0, 0.0], 0.7) - 0.7).abs() < 1e-5, "identity");
    }

    #[test]
    fn only_in_calibration_learns_what_the_other_side_says() {
        // Against a whole article, "only in" at 0.95 is right 90 % of the
        // time; against one sentence, 40 %: the fit tells them apart.
        let reading = |other_statements| OnlyIn {
            unrelated: 0.95,
            similarity: 0.3,
            own_statements: 1,
            other_statements,
            pair_unrelated: 0.5,
        };
        let items: Vec<(OnlyIn, bool)> = (0..200)
            .map(|k| (reading(30), k % 10 < 9))
            .chain((0..200).map(|k| (reading(1), k % 10 < 4)))
            .collect();
        let models = Models {
            only_in_confidence: Some(fit_only_in(&items)),
            ..models().clone()
        };
        let long = models.only_in(&reading(30));
        let short = models.only_in(&reading(1));
        assert!((long - 0.9).abs() < 0.03, "{long}");
        assert!((short - 0.4).abs() < 0.03, "{short}");
        assert_eq!(fit_only_in(&items), fit_only_in(&items), "deterministic");
        let raw = Models {
            only_in_confidence: None,
            ..models
        };
        assert_eq!(
            raw.only_in(&reading(1)),
            0.95,
            "absent: as the row model says"
        );
    }

    #[test]
    fn row_features_mirror_into_each_other() {
        let names = super::super::features::ROW_FEATURES;
        let mirror = row_mirror();
        for (k, &m) in mirror.iter().enumerate() {
            assert_eq!(mirror[m], k, "{} and {}", names[k], names[m]);
            if let Some(stem) = names[k].strip_suffix("_from") {
                assert_eq!(names[m], format!("{stem}_to"));
            }
        }
        assert!(mirror.iter().enumerate().any(|(k, &m)| k != m));
    }

    #[test]
    fn solving_a_small_system() {
        let x = solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0]).unwrap();
        assert!(
            (x[0] - 0.8).abs() < 1e-12 && (x[1] - 1.4).abs() < 1e-12,
            "{x:?}"
        );
        assert!(
            solve([[1.0, 2.0], [2.0, 4.0]], [1.0, 2.0]).is_none(),
            "singular"
        );
    }

    #[test]
    fn committed_models_load_and_match_the_feature_lists() {
        let m = models();
        assert_eq!(m.row.features, super::super::features::ROW_FEATURES);
        assert_eq!(m.pair.features, super::super::features::PAIR_FEATURES);
        assert_eq!(m.row.mean.len(), m.row.features.len());
        assert_eq!(m.pair.classes.len(), 4);
        assert!((0.0..1.0).contains(&m.min_confidence));
        assert_eq!(MIN_CONFIDENCE.to_bits(), m.min_confidence.to_bits());
        let summary = m.summary_min_confidence.unwrap_or(m.min_confidence);
        assert_eq!(SUMMARY_MIN_CONFIDENCE.to_bits(), summary.to_bits());
        // A calibration of "only in" for other inputs would be ignored.
        let only_in = m.only_in_confidence.as_ref().expect("only-in calibration");
        assert_eq!(only_in.len(), ONLY_IN_INPUTS);
    }

    /// 200 rows of two features, the class set by the first alone.
    fn simple_rule() -> (Vec<Vec<f32>>, Vec<usize>, Vec<f32>) {
        let x: Vec<Vec<f32>> = (0..200)
            .map(|i| vec![(i % 20) as f32, ((i * 7) % 13) as f32])
            .collect();
        let y: Vec<usize> = x.iter().map(|r| usize::from(r[0] > 9.0)).collect();
        let w = vec![1.0; x.len()];
        (x, y, w)
    }

    /// How many rows `c` classes as the rule does.
    fn rule_followed(c: &Classifier, x: &[Vec<f32>], y: &[usize]) -> usize {
        x.iter()
            .zip(y)
            .filter(|(r, k)| {
                let p = c.predict(r);
                usize::from(p[1] > p[0]) == **k
            })
            .count()
    }

    #[test]
    fn training_separates_a_simple_rule_and_is_deterministic() {
        let (x, y, w) = simple_rule();
        let opts = TrainOptions {
            epochs: 100,
            hidden: 4,
            ..TrainOptions::default()
        };
        let a = train(&["no", "yes"], &["a", "b"], &x, &y, &w, &opts);
        let b = train(&["no", "yes"], &["a", "b"], &x, &y, &w, &opts);
        assert_eq!(a.output, b.output);
        let right = rule_followed(&a, &x, &y);
        assert!(right >= 190, "{right}");
    }

    #[test]
    fn averaged_parameters_are_the_mean_of_the_last_epochs() {
        let (x, y, w) = simple_rule();
        let plain = TrainOptions {
            epochs: 40,
            hidden: 4,
            ensemble: 1,
            ..TrainOptions::default()
        };
        // Averaging over the last epoch alone keeps the last parameters.
        let last_only = TrainOptions {
            average_from: Some(40),
            ..plain
        };
        let a = train(&["no", "yes"], &["a", "b"], &x, &y, &w, &plain);
        let b = train(&["no", "yes"], &["a", "b"], &x, &y, &w, &last_only);
        assert_eq!(a.output, b.output);
        assert_eq!(a.hidden, b.hidden);
        // Over the last twenty: other parameters, the same rule learnt.
        let averaged = TrainOptions {
            average_from: Some(21),
            ..plain
        };
        let c = train(&["no", "yes"], &["a", "b"], &x, &y, &w, &averaged);
        assert_ne!(a.output, c.output);
        let right = rule_followed(&c, &x, &y);
        assert!(right >= 190, "{right}");
    }
}
