//! The word vectors built from the training statements, and two looks at
//! them (the scene direction set by set, a few neighbours).

use std::path::{Path, PathBuf};

use track::claims::Claim;
use track::claims::features::{self, PAIR_FEATURES};

use crate::sets::{Computed, Example, Set, Split};

use crate::wordvec;

/// Keys given word vectors, at most, and their dimension (the committed
/// file is ~`VOCAB × (DIM + 12)` bytes).
const VOCAB: usize = 12_000;
const DIM: usize = 48;

/// Where the word vectors of a model written to `out` go: beside the
/// committed `model.json` as `word_vectors.bin`, else `out` with the
/// extension `vectors.bin`.
pub fn vectors_path(out: &Path) -> PathBuf {
    if out.file_name().is_some_and(|n| n == "model.json") {
        out.with_file_name("word_vectors.bin")
    } else {
        out.with_extension("vectors.bin")
    }
}

/// Word vectors from the statements of the training pairs of the labelled
/// sentence sets and FNC-1 (each distinct statement once).
pub fn word_vectors(examples: &[Example]) -> wordvec::Built {
    let mut seen = std::collections::HashSet::new();
    let mut claims: Vec<&Claim> = Vec::new();
    // Whether each statement is one of ArNLI's everyday scenes, or of the
    // Arabic news sets (FNC-1's English is told apart by a feature of its
    // own, and would make the direction one of language).
    let mut scenes: Vec<Option<bool>> = Vec::new();
    for ex in examples {
        if ex.split != Split::Train
            || !matches!(ex.set, Set::Ans | Set::Arnli | Set::Arbteds | Set::Fnc)
        {
            continue;
        }
        for c in ex.from.iter().chain(ex.to.iter()) {
            if seen.insert(c.text.as_str()) {
                claims.push(c);
                scenes.push(match ex.set {
                    Set::Arnli => Some(true),
                    Set::Ans | Set::Arbteds => Some(false),
                    _ => None,
                });
            }
        }
    }
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = claims.len().div_ceil(threads).max(1);
    let keys: Vec<Vec<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = claims
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|c| features::sense_keys(c))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker"))
            .collect()
    });
    let built = wordvec::build(&keys, VOCAB, DIM, 0x5eed);
    let labelled: Vec<(Vec<String>, bool)> = keys
        .into_iter()
        .zip(scenes)
        .filter_map(|(k, scene)| Some((k, scene?)))
        .collect();
    wordvec::with_scene_direction(built, &labelled)
}

/// The pair feature `scene_like` set by set (mean and range), to see that
/// the direction tells ArNLI's scenes from the news sets.
pub fn scene_by_set(examples: &[Example], computed: &[Computed]) {
    // `DocStats::values` are the pair features from `short_in_long` on.
    let position = |name: &str| PAIR_FEATURES.iter().position(|f| *f == name);
    let (Some(first), Some(scene)) = (position("short_in_long"), position("scene_like")) else {
        return;
    };
    let mut by: std::collections::BTreeMap<&str, Vec<f32>> = Default::default();
    for (ex, c) in examples.iter().zip(computed) {
        by.entry(ex.set.name())
            .or_default()
            .push(c.doc.values[scene - first]);
    }
    let line: Vec<String> = by
        .iter()
        .map(|(set, v)| {
            let mean = v.iter().sum::<f32>() / v.len().max(1) as f32;
            let (lo, hi) = v
                .iter()
                .fold((f32::MAX, f32::MIN), |(a, b), &x| (a.min(x), b.max(x)));
            format!("{set} {mean:.2} ({lo:.2} to {hi:.2})")
        })
        .collect();
    eprintln!("scene_like by set: {}", line.join("; "));
}

/// A few neighbours, to see the vectors make sense.
pub fn probe_vectors() {
    let v = track::claims::compare::vectors::vectors();
    let key_of = |w: &str| Some(features::sense_key(w));
    let pairs = [
        ("ستزود", "بإمداد"),
        ("الأمطار", "طقس"),
        ("مقتل", "قتلى"),
        ("النفط", "البنزين"),
        ("الانتخابات", "التصويت"),
        ("الأمطار", "الانتخابات"),
        ("rain", "weather"),
        ("killed", "dead"),
        ("ستزود", "الانتخابات"),
    ];
    for (a, b) in pairs {
        let (ka, kb) = (key_of(a), key_of(b));
        let cos = match (
            ka.as_deref().and_then(|k| v.get(k)),
            kb.as_deref().and_then(|k| v.get(k)),
        ) {
            (Some(x), Some(y)) => {
                format!("{:.2}", x.iter().zip(&y).map(|(p, q)| p * q).sum::<f32>())
            }
            _ => "-".into(),
        };
        eprintln!("  cos({a} {ka:?}, {b} {kb:?}) = {cos}");
    }
}
