//! How well two outlets' claims match (articles mode), before any
//! contradiction is read: word overlap weighted by rarity across both
//! articles, plus shared rare entities, events, counted things and dates.

// A fast, deterministic hasher: iteration order must not change a float sum
// between runs.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::profile::Profile;

/// Minimum match score for two outlets' claims to be the same claim (tuned on
/// the seeds and the ANS train split; see BENCHMARKS.md).
pub const ARTICLES_MATCH_THRESHOLD: f32 = 0.3;

/// What the two articles' claims have in common overall: how rare each stem
/// and each entity is across both.
pub(super) struct Rarity {
    stem_idf: HashMap<String, f32>,
    /// Entities named in few claims: sharing one is a strong sign of one claim.
    pub(super) rare_entities: HashSet<String>,
}

impl Rarity {
    pub(super) fn of(from: &[Profile], to: &[Profile]) -> Rarity {
        let mut df: HashMap<String, f32> = HashMap::default();
        for p in from.iter().chain(to) {
            for s in &p.stems {
                *df.entry(s.clone()).or_default() += 1.0;
            }
        }
        let n = (from.len() + to.len()) as f32;
        // An entity one article names in a single claim marks that claim: a
        // claim of the other article naming it too is likely the same one.
        fn count(side: &[Profile]) -> HashMap<&str, usize> {
            let mut m: HashMap<&str, usize> = HashMap::default();
            for p in side {
                for e in &p.entities {
                    *m.entry(e.as_str()).or_default() += 1;
                }
            }
            m
        }
        let (ca, cb) = (count(from), count(to));
        let rare_entities = ca
            .iter()
            .filter_map(|(e, &da)| cb.get(e).map(|&db| (e, da.min(db))))
            .filter(|(_, d)| *d <= 1)
            .map(|(e, _)| (*e).to_string())
            .collect();
        Rarity {
            stem_idf: df
                .into_iter()
                .map(|(s, d)| (s, (1.0 + n / d).ln()))
                .collect(),
            rare_entities,
        }
    }
}

/// A claim's stems as sorted ids with their weights: pairs of claims are
/// scored many times, so the strings are hashed once.
pub(super) struct Bag {
    ids: Vec<u32>,
    weights: Vec<f32>,
    pub(super) total: f32,
}

/// The bags of both articles' claims, over one id space.
pub(super) fn bags<'p>(
    from: &'p [Profile],
    to: &'p [Profile],
    rarity: &Rarity,
) -> (Vec<Bag>, Vec<Bag>) {
    let mut ids: HashMap<&'p str, u32> = HashMap::default();
    let mut bag = |p: &'p Profile| {
        let mut pairs: Vec<(u32, f32)> = p
            .stems
            .iter()
            .map(|s| {
                let next = ids.len() as u32;
                (
                    *ids.entry(s.as_str()).or_insert(next),
                    rarity.stem_idf.get(s).copied().unwrap_or(1.0),
                )
            })
            .collect();
        pairs.sort_by_key(|(id, _)| *id);
        Bag {
            total: pairs.iter().map(|(_, w)| w).sum(),
            ids: pairs.iter().map(|(id, _)| *id).collect(),
            weights: pairs.iter().map(|(_, w)| *w).collect(),
        }
    };
    let a = from.iter().map(&mut bag).collect();
    let b = to.iter().map(&mut bag).collect();
    (a, b)
}

/// Weight and number of the stems two bags share (a merge of sorted ids).
pub(super) fn overlap(a: &Bag, b: &Bag) -> (f32, usize) {
    let (mut i, mut j, mut weight, mut count) = (0, 0, 0.0, 0);
    while i < a.ids.len() && j < b.ids.len() {
        match a.ids[i].cmp(&b.ids[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                weight += a.weights[i];
                count += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (weight, count)
}

/// Match score of two claims: word overlap weighted by rarity, plus shared
/// rare entities, events, counted things and dates; claims about different
/// events (a killing, a deployment) are kept apart.
pub(super) fn score(a: &Profile, b: &Profile, rarity: &Rarity, bag_a: &Bag, bag_b: &Bag) -> f32 {
    let (shared, shared_stems) = overlap(bag_a, bag_b);
    let (total_a, total_b) = (bag_a.total, bag_b.total);
    let mut s = if total_a > 0.0 && total_b > 0.0 {
        shared / (total_a * total_b).sqrt()
    } else {
        0.0
    };
    // A shared rare name marks the same claim only when something else is
    // shared too: two headlines that only both name Syria are not one claim.
    if shared_stems >= 2
        && a.entities
            .intersection(&b.entities)
            .any(|e| rarity.rare_entities.contains(e))
    {
        s += 0.3;
    }
    let same_event = !a.events.is_disjoint(&b.events);
    // A count of the same thing in different places, with nothing in common
    // but the figures' words, is two events (`20 قتيلا في الحديدة` / `المغرب:
    // 7 قتلى`).
    let same_counted = !(elsewhere(a, b) && only_figures_shared(a, b))
        && a.quantities.iter().any(|x| {
            b.quantities
                .iter()
                .any(|y| x.unit.is_some() && x.unit == y.unit && !(x.dual_alone && y.dual_alone))
        });
    if same_event {
        s += 0.15;
    }
    if same_counted {
        // A count of the same thing in the same event is the same figure,
        // however differently worded (the death toll in two outlets).
        s += if same_event { 0.25 } else { 0.15 };
    }
    if a.dates.iter().any(|d| b.dates.contains(d)) {
        s += 0.1;
    }
    match (a.events.is_empty(), b.events.is_empty()) {
        (false, false) if a.events.is_disjoint(&b.events) => s * 0.5,
        (true, false) | (false, true) => s * 0.7,
        _ => s,
    }
}

/// Both claims name places and none in common (`الحديدة` / `المغرب`).
pub(super) fn elsewhere(a: &Profile, b: &Profile) -> bool {
    !a.places.is_empty() && !b.places.is_empty() && a.regions.is_disjoint(&b.regions)
}

/// The claims share no word but those of their figures.
pub(super) fn only_figures_shared(a: &Profile, b: &Profile) -> bool {
    a.stems
        .intersection(&b.stems)
        .all(|s| a.figure_stems.contains(s) || b.figure_stems.contains(s))
}
