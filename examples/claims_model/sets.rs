//! The labelled sets read into examples (pairs of texts with a label, a split
//! and a group), and what the models read of each, computed once.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use track::claims::compare::statements;
use track::claims::features::{Considered, DocStats, Evidence};
use track::claims::{Claim, ExtractOptions, extract_units};
use track::text::segment::segment;

use crate::data::read_csv;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Set {
    Ans,
    Arnli,
    Arbteds,
    Fnc,
    Baly,
    /// Sentences of one training pair set against another pair's: unrelated.
    Shuffled,
    /// ANS headlines against the most alike headline of another story: unrelated.
    Hard,
    /// A training sentence against itself: the same claim (agree). The labelled
    /// sets hardly hold one, and the model must not read identity as anything else.
    Same,
    /// An ANS training pair with one sentence of another story added to both
    /// sides: the same stance. An identical sentence beside a contradiction
    /// does not make two reports agree (the sets hold single sentences only).
    Context,
}

impl Set {
    /// Examples made up from the labelled sets (weighted down, never
    /// class-balanced).
    pub fn made_up(self) -> bool {
        matches!(self, Set::Shuffled | Set::Hard | Set::Same | Set::Context)
    }

    pub fn name(self) -> &'static str {
        match self {
            Set::Ans => "ANS",
            Set::Arnli => "ArNLI",
            Set::Arbteds => "ArbTEDS",
            Set::Fnc => "FNC-1",
            Set::Baly => "Baly",
            Set::Shuffled => "shuffled",
            Set::Hard => "hard negatives",
            Set::Same => "identical",
            Set::Context => "with context",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    Train,
    Dev,
}

pub struct Example {
    pub set: Set,
    pub split: Split,
    pub id: String,
    /// What pairs sharing a text have in common (the first text of a
    /// sentence pair, an FNC-1 body, a Baly claim): held-out pairs are held
    /// out by it, so that none has a near twin in training.
    pub group: String,
    /// Cross-validation fold (Baly, by claim); 0 elsewhere.
    pub fold: u8,
    pub from: Arc<Vec<Claim>>,
    pub to: Arc<Vec<Claim>>,
    /// Pair class (index into PAIR_CLASSES).
    pub label: usize,
    /// Baly rationale: the article's evidence lines.
    pub evidence_lines: Vec<usize>,
    /// Line number of each statement of `to` (Baly).
    pub to_lines: Vec<usize>,
}

/// What training and evaluation need of an example, computed once.
pub struct Computed {
    pub considered: Vec<Considered>,
    pub doc: DocStats,
    /// Row examples: features and row class.
    pub rows: Vec<(Vec<f32>, usize)>,
}

fn statements_of(text: &str) -> Vec<Claim> {
    let units = segment(text);
    let claims = extract_units(text, &units, &ExtractOptions::default());
    statements(text, &units, &claims)
}

/// Statements of a text and the line each starts on.
fn statements_with_lines(text: &str) -> (Vec<Claim>, Vec<usize>) {
    let units = segment(text);
    let claims = extract_units(text, &units, &ExtractOptions::default());
    let st = statements(text, &units, &claims);
    let lines = st
        .iter()
        .map(|c| {
            let start = units[c.sentence].start;
            text[..start.min(text.len())].matches('\n').count()
        })
        .collect();
    (st, lines)
}

pub fn hash_byte(s: &str) -> u8 {
    blake3::hash(s.as_bytes()).as_bytes()[0]
}

fn simple(set: Set, split: Split, id: String, from: &str, to: &str, label: usize) -> Example {
    Example {
        set,
        split,
        id,
        group: format!("{set:?}:{from}"),
        fold: 0,
        from: Arc::new(statements_of(from)),
        to: Arc::new(statements_of(to)),
        label,
        evidence_lines: Vec::new(),
        to_lines: Vec::new(),
    }
}

/// The split an example takes: as the data says, or with `inner` (choosing
/// between designs without looking at the dev sets) the dev splits left out
/// and a fifth of each training split held out in their place, by a salted
/// hash of `group` (the first text of a sentence pair, an FNC-1 body), so
/// that pairs sharing a text fall on one side.
pub fn split_of(split: Split, group: &str, inner: bool) -> Option<Split> {
    match (inner, split) {
        (false, s) => Some(s),
        (true, Split::Dev) => None,
        (true, Split::Train) => Some(if hash_byte(&format!("inner:{group}")).is_multiple_of(5) {
            Split::Dev
        } else {
            Split::Train
        }),
    }
}

pub fn load(data: &Path, inner: bool) -> Vec<Example> {
    let mut out = Vec::new();
    // ANS training pairs (agree or disagree) as read, and their group, for
    // `Set::Context`.
    let mut ans_texts: Vec<(String, String, usize, String)> = Vec::new();
    for (file, split) in [
        ("stance-train.csv", Split::Train),
        ("stance-dev.csv", Split::Dev),
    ] {
        for (k, r) in read_csv(&data.join("ans").join(file)).iter().enumerate() {
            let label = match r["stance"].as_str() {
                "agree" => 0,
                "disagree" => 1,
                _ => 3,
            };
            let Some(split) = split_of(split, &r["s1"], inner) else {
                continue;
            };
            let example = simple(
                Set::Ans,
                split,
                format!("ans-{file}-{k}"),
                &r["s1"],
                &r["s2"],
                label,
            );
            if split == Split::Train && label != 3 {
                let group = example.group.clone();
                ans_texts.push((r["s1"].clone(), r["s2"].clone(), label, group));
            }
            out.push(example);
        }
    }
    for (file, split) in [
        ("train_nli.csv", Split::Train),
        ("valid_nli.csv", Split::Dev),
    ] {
        for (k, r) in read_csv(&data.join("arnli").join(file)).iter().enumerate() {
            let related: f32 = r["relatedness_score"].parse().unwrap_or(3.0);
            let label = match r["label"].as_str() {
                "1" => 0,
                "2" => 1,
                _ if related < 2.5 => 3,
                _ => 2,
            };
            let Some(split) = split_of(split, &r["t"], inner) else {
                continue;
            };
            out.push(simple(
                Set::Arnli,
                split,
                format!("arnli-{file}-{k}"),
                &r["t"],
                &r["h"],
                label,
            ));
        }
    }
    for (file, split) in [
        ("train_ArbTEDS.csv", Split::Train),
        ("valid_ArbTEDS.csv", Split::Dev),
    ] {
        for (k, r) in read_csv(&data.join("arbteds").join(file))
            .iter()
            .enumerate()
        {
            let label = if r["label"] == "1" { 0 } else { 2 };
            let Some(split) = split_of(split, &r["t"], inner) else {
                continue;
            };
            out.push(simple(
                Set::Arbteds,
                split,
                format!("arbteds-{file}-{k}"),
                &r["t"],
                &r["h"],
                label,
            ));
        }
    }
    // Negatives: each third training pair's first sentence against another
    // pair's second (ANS and ArNLI train), so that "any overlap" is not "the same".
    let mut shuffled = Vec::new();
    for set in [Set::Ans, Set::Arnli] {
        let train: Vec<&Example> = out
            .iter()
            .filter(|e| e.set == set && e.split == Split::Train)
            .collect();
        let n = train.len();
        for k in (0..n).step_by(3) {
            let other = train[(k * 7 + 13) % n];
            shuffled.push(Example {
                set: Set::Shuffled,
                split: Split::Train,
                id: format!("shuffled-{}-{}", train[k].id, other.id),
                group: train[k].group.clone(),
                fold: 0,
                from: train[k].from.clone(),
                to: other.to.clone(),
                label: 3,
                evidence_lines: Vec::new(),
                to_lines: Vec::new(),
            });
        }
    }
    // Hard negatives: each ANS training headline against the most alike second
    // headline of another story (another first headline): the same words or
    // figures about something else (`50 مليار دولار` of tariffs, `ملياري دولار`
    // of bonds) are not the same claim.
    let ans: Vec<&Example> = out
        .iter()
        .filter(|e| e.set == Set::Ans && e.split == Split::Train)
        .collect();
    let keys = |cs: &[Claim]| -> std::collections::HashSet<String> {
        cs.iter()
            .flat_map(|c| {
                track::text::normalize::match_key(&c.text)
                    .split_whitespace()
                    .filter(|w| w.chars().count() >= 3)
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let first: Vec<_> = ans.iter().map(|e| keys(&e.from)).collect();
    let second: Vec<_> = ans.iter().map(|e| keys(&e.to)).collect();
    // Another story, surely: ANS holds several pairs per story, worded
    // differently, so the two pairs share no word in either headline, and
    // the words in common are not what the other story is about (not in its
    // first headline). Looser filters made "negatives" of the same story:
    // identical headlines, a currency that rises against one that falls.
    let another_story = |k: usize, j: usize| {
        first[j].is_disjoint(&first[k])
            && second[j].is_disjoint(&second[k])
            && first[k]
                .intersection(&second[j])
                .all(|w| !first[j].contains(w))
    };
    for k in 0..ans.len() {
        let best = (0..ans.len())
            .filter(|&j| another_story(k, j))
            .map(|j| (first[k].intersection(&second[j]).count(), j))
            .filter(|(n, _)| *n >= 2)
            .max();
        if let Some((_, j)) = best {
            shuffled.push(Example {
                set: Set::Hard,
                split: Split::Train,
                id: format!("hard-{}-{}", ans[k].id, ans[j].id),
                group: ans[k].group.clone(),
                fold: 0,
                from: ans[k].from.clone(),
                to: ans[j].to.clone(),
                label: 3,
                evidence_lines: Vec::new(),
                to_lines: Vec::new(),
            });
        }
    }
    for set in [Set::Ans, Set::Arnli] {
        let train: Vec<&Example> = out
            .iter()
            .filter(|e| e.set == set && e.split == Split::Train)
            .collect();
        for e in train.iter().step_by(5) {
            shuffled.push(Example {
                set: Set::Same,
                split: Split::Train,
                id: format!("same-{}", e.id),
                group: e.group.clone(),
                fold: 0,
                from: e.from.clone(),
                to: e.from.clone(),
                label: 0,
                evidence_lines: Vec::new(),
                to_lines: Vec::new(),
            });
        }
    }
    // Each third ANS pair with another pair's first headline beside it on
    // both sides, before or after (a shared sentence in two short reports).
    let n = ans_texts.len();
    for k in (0..n).step_by(3) {
        let (s1, s2, label, group) = &ans_texts[k];
        let context = &ans_texts[(k * 7 + n / 2) % n].0;
        let side = |t: &str| {
            if k % 2 == 0 {
                format!("{t}\n\n{context}")
            } else {
                format!("{context}\n\n{t}")
            }
        };
        shuffled.push(Example {
            set: Set::Context,
            split: Split::Train,
            id: format!("context-{k}"),
            group: group.clone(),
            fold: 0,
            from: Arc::new(statements_of(&side(s1))),
            to: Arc::new(statements_of(&side(s2))),
            label: *label,
            evidence_lines: Vec::new(),
            to_lines: Vec::new(),
        });
    }
    out.extend(shuffled);
    // FNC-1: bodies once, headlines once each.
    let bodies: HashMap<String, Arc<Vec<Claim>>> = read_csv(&data.join("fnc1/train_bodies.csv"))
        .iter()
        .map(|r| {
            (
                r["Body ID"].clone(),
                Arc::new(statements_of(&r["articleBody"])),
            )
        })
        .collect();
    let mut headlines: HashMap<String, Arc<Vec<Claim>>> = HashMap::new();
    for (k, r) in read_csv(&data.join("fnc1/train_stances.csv"))
        .iter()
        .enumerate()
    {
        let body = &r["Body ID"];
        let label = match r["Stance"].as_str() {
            "agree" => 0,
            "disagree" => 1,
            "discuss" => 2,
            _ => 3,
        };
        let split = if hash_byte(body).is_multiple_of(5) {
            Split::Dev
        } else {
            Split::Train
        };
        let Some(split) = split_of(split, body, inner) else {
            continue;
        };
        let from = headlines
            .entry(r["Headline"].clone())
            .or_insert_with(|| Arc::new(statements_of(&r["Headline"])))
            .clone();
        out.push(Example {
            set: Set::Fnc,
            split,
            id: format!("fnc-{k}"),
            group: format!("fnc-body:{body}"),
            fold: 0,
            from,
            to: bodies[body].clone(),
            label,
            evidence_lines: Vec::new(),
            to_lines: Vec::new(),
        });
    }
    let text =
        std::fs::read_to_string(data.join("baly-dev/pairs.jsonl")).expect("baly-dev/pairs.jsonl");
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("baly json");
        let id = v["id"].as_str().unwrap_or_default().to_string();
        let claim_id = id.rsplit_once('_').map_or(id.as_str(), |p| p.0).to_string();
        let label = match v["label"].as_str() {
            Some("agree") => 0,
            Some("disagree") => 1,
            Some("discuss") => 2,
            _ => 3,
        };
        let evidence_lines = v["rationale"]
            .as_str()
            .unwrap_or_default()
            .trim_matches(['[', ']'])
            .split(',')
            .filter_map(|x| x.trim().parse().ok())
            .collect();
        let (to, to_lines) = statements_with_lines(v["article"].as_str().unwrap_or_default());
        out.push(Example {
            set: Set::Baly,
            split: Split::Dev,
            fold: hash_byte(&claim_id) % 4,
            id,
            group: format!("baly:{claim_id}"),
            from: Arc::new(statements_of(v["claim"].as_str().unwrap_or_default())),
            to: Arc::new(to),
            label,
            evidence_lines,
            to_lines,
        });
    }
    out
}

/// Row class from a pair class: agree → shared, disagree → conflicting,
/// related → related, unrelated → unrelated (the same indices).
fn compute(ex: &Example) -> Computed {
    // As `track diff` reads two articles: names in the first's spelling.
    let respelled = track::claims::compare::spelling::respelled(&ex.from, &ex.to);
    let ev = Evidence::of(&ex.from, respelled.as_deref().unwrap_or(&ex.to));
    let considered = ev.consider();
    let doc = ev.doc();
    let mut rows = Vec::new();
    let best_matched = considered
        .iter()
        .filter(|c| c.matched)
        .max_by(|a, b| a.similarity.total_cmp(&b.similarity));
    let mut by_similarity: Vec<&Considered> = considered.iter().collect();
    by_similarity.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
    match ex.set {
        // Its best-matched row is the added sentence: no row example.
        Set::Context => {}
        Set::Ans | Set::Arnli | Set::Arbteds | Set::Shuffled | Set::Hard | Set::Same => {
            if let Some(c) = best_matched {
                rows.push((c.features.clone(), ex.label));
            }
        }
        Set::Fnc | Set::Baly => match ex.label {
            // The best candidates of an unrelated article are unrelated; the
            // best of an article that discusses the claim is related.
            3 => rows.extend(
                by_similarity
                    .iter()
                    .take(3)
                    .map(|c| (c.features.clone(), 3)),
            ),
            2 => rows.extend(
                by_similarity
                    .iter()
                    .take(1)
                    .map(|c| (c.features.clone(), 2)),
            ),
            _ if !ex.evidence_lines.is_empty() && !ex.from.is_empty() => {
                // The annotators' evidence lines agree or disagree; the other
                // close candidates of the same article are only related.
                for (j, line) in ex.to_lines.iter().enumerate() {
                    if !ex.evidence_lines.contains(line) {
                        continue;
                    }
                    let i = (0..ex.from.len())
                        .max_by(|&x, &y| ev.similarity(x, j).total_cmp(&ev.similarity(y, j)))
                        .unwrap_or(0);
                    rows.push((ev.row(i, j).0, ex.label));
                }
                rows.extend(
                    by_similarity
                        .iter()
                        .filter(|c| !ex.evidence_lines.contains(&ex.to_lines[c.to]))
                        .take(3)
                        .map(|c| (c.features.clone(), 2)),
                );
            }
            _ => {}
        },
    }
    Computed {
        considered,
        doc,
        rows,
    }
}

pub fn compute_all(examples: &[Example]) -> Vec<Computed> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = examples.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = examples
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(compute).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker"))
            .collect()
    })
}
