//! Sentence alignment: which old units correspond to which new units.
//!
//! 1. Patience LCS over the unit keys gives the in-order exact matches.
//! 2. Exact keys among the leftovers, paired by occurrence, are moves.
//! 3. Leftovers are compared by a lexical similarity (token Dice with light Arabic clitic
//!    stripping + character 3-gram Dice). Candidate pairs come from the diff's own gaps
//!    (small replaced regions: all pairs) and from an inverted index over rare tokens, so
//!    the work stays near-linear. 1→n splits and n→1 merges of consecutive units are
//!    candidates too; all candidates are paired greedily, best score first.
//! 4. A maximum-weight increasing subsequence over every accepted pair decides what is in
//!    order (unchanged / edited) and what crossed (moved): the fewest, lightest moves.

use std::time::Instant;

// Fx: the keys are our own small strings and ids, and SipHash was a visible
// part of aligning long texts (no map here is iterated in hash order).
use rustc_hash::{FxHashMap, FxHashMap as HashMap};

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

use crate::text::is_word_char;
use crate::text::normalize::match_key;

/// One accepted correspondence. `old` / `new` are sorted unit indices; one side has one
/// element unless it is a split (new ≥ 2) or a merge (old ≥ 2).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    pub old: Vec<usize>,
    pub new: Vec<usize>,
    /// Keys are equal (only possible for 1:1 groups).
    pub exact: bool,
    pub sim: f32,
    /// Part of the maximum-weight increasing subsequence.
    pub in_order: bool,
}

/// The key units are compared on: `match_key`, whitespace collapsed, surrounding
/// punctuation trimmed. A unit that is all punctuation (a table separator) keeps it, so it
/// still matches itself and not every other such unit.
/// Hashes of it are cached per text: a change of its output bumps
/// [`UNIT_KEY_VERSION`].
pub(crate) fn unit_key(text: &str) -> String {
    let k = match_key(text);
    // `match_key` leaves no whitespace but ' ' and '\n' (it maps all other to
    // them), so runs of those two are the `split_whitespace` separators.
    let mut collapsed = String::with_capacity(k.len());
    let bytes = k.as_bytes();
    let mut word = 0;
    for i in 0..=bytes.len() {
        if i == bytes.len() || bytes[i] == b' ' || bytes[i] == b'\n' {
            if word < i {
                if !collapsed.is_empty() {
                    collapsed.push(' ');
                }
                collapsed.push_str(&k[word..i]);
            }
            word = i + 1;
        }
    }
    let trimmed = collapsed.trim_matches(|c: char| !is_word_char(c));
    if trimmed.is_empty() || trimmed.len() == collapsed.len() {
        collapsed
    } else {
        trimmed.to_owned()
    }
}

/// Lexical features of one leftover unit.
#[derive(Debug, Clone, Default)]
struct Feat {
    /// Sorted, deduplicated token ids (clitics stripped).
    tokens: Vec<u32>,
    /// Sorted character 3-gram codes (a multiset).
    grams: Vec<u64>,
}

/// Proclitics stripped for the overlap test only, longest first (و ف ب ل ال وال بال لل).
const CLITICS: [&str; 8] = ["وال", "بال", "فال", "لل", "ال", "و", "ف", "ب"];

fn strip_clitic(tok: &str) -> &str {
    for p in CLITICS.iter().copied().chain(std::iter::once("ل")) {
        if let Some(rest) = tok.strip_prefix(p) {
            // Keep short words whole: "ولد" is not و + "لد".
            if rest.chars().count() >= 3 {
                return rest;
            }
        }
    }
    tok
}

struct Interner(HashMap<String, u32>);

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.0.get(s) {
            return i;
        }
        let i = u32::try_from(self.0.len()).unwrap_or(u32::MAX);
        self.0.insert(s.to_owned(), i);
        i
    }
}

fn features(key: &str, interner: &mut Interner) -> Feat {
    let mut tokens: Vec<u32> = key
        .split_whitespace()
        .map(|t| t.trim_matches(|c: char| !is_word_char(c)))
        .filter(|t| !t.is_empty())
        .map(|t| interner.id(strip_clitic(t)))
        .collect();
    tokens.sort_unstable();
    tokens.dedup();
    let chars: Vec<u64> = key.chars().map(|c| u64::from(u32::from(c))).collect();
    let mut grams: Vec<u64> = if chars.len() < 3 {
        vec![chars.iter().fold(0u64, |h, &c| (h << 21) | c)]
    } else {
        chars
            .windows(3)
            .map(|w| (w[0] << 42) | (w[1] << 21) | w[2])
            .collect()
    };
    grams.sort_unstable();
    Feat { tokens, grams }
}

/// Size of the intersection of two sorted sequences (multiset semantics).
fn common<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn dice<T: Ord>(a: &[T], b: &[T]) -> f32 {
    let total = a.len() + b.len();
    if total == 0 {
        return 0.0;
    }
    (2 * common(a, b)) as f32 / total as f32
}

fn similarity(a: &Feat, b: &Feat) -> f32 {
    let td = dice(&a.tokens, &b.tokens);
    // Units sharing almost no words cannot align; skip the costlier 3-gram pass.
    if td < MIN_TOKEN_DICE {
        return 0.5 * td;
    }
    0.5 * td + 0.5 * dice(&a.grams, &b.grams)
}

/// Share of `part`'s tokens found in `whole`.
fn containment(part: &Feat, whole: &Feat) -> f32 {
    if part.tokens.is_empty() {
        return 0.0;
    }
    common(&part.tokens, &whole.tokens) as f32 / part.tokens.len() as f32
}

fn join(parts: &[&Feat]) -> Feat {
    let mut tokens: Vec<u32> = parts
        .iter()
        .flat_map(|f| f.tokens.iter().copied())
        .collect();
    tokens.sort_unstable();
    tokens.dedup();
    let mut grams: Vec<u64> = parts.iter().flat_map(|f| f.grams.iter().copied()).collect();
    grams.sort_unstable();
    Feat { tokens, grams }
}

/// Below this token overlap a pair is not worth the 3-gram comparison.
const MIN_TOKEN_DICE: f32 = 0.15;
/// Caps that keep step 3 near-linear on any input.
const MAX_GAP_PAIRS: usize = 64;
const SMALL_ALL_PAIRS: usize = 4096;
const MAX_POSTING: usize = 64;
const MAX_RARE_TOKENS: usize = 12;
const MAX_CANDIDATES: usize = 16;
const MAX_PARTS: usize = 4;
/// A part of a split (merge) must be mostly made of the whole's words.
const PART_CONTAINMENT: f32 = 0.8;
/// A split must explain the old unit clearly better than its best single part does.
const SPLIT_GAIN: f32 = 0.05;
/// Ranking bonus for a pair inside one gap of the LCS: edits usually stay in place.
const SAME_GAP_BONUS: f32 = 0.05;

struct Cand {
    old: Vec<usize>,
    new: Vec<usize>,
    sim: f32,
    score: f32,
}

/// What alignment compares units on: their [`unit_key`]s, or hashes of them
/// ([`KeyHash`]) read from a cache. Only equality matters, so both align alike.
pub(crate) trait Key: std::hash::Hash + Eq {}
impl Key for String {}
impl Key for KeyHash {}

/// A unit key's hash: 128 bits of BLAKE3, so that two different keys never
/// compare equal in practice, even keys written to collide.
pub type KeyHash = u128;

/// Bumped whenever [`unit_key`] changes output (a change of `match_key` bumps
/// `NORMALIZER_VERSION` instead): key hashes cached per text depend on it.
pub const UNIT_KEY_VERSION: i64 = 1;

/// The hash of a unit's [`unit_key`].
pub fn key_hash(text: &str) -> KeyHash {
    let h = blake3::hash(unit_key(text).as_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&h.as_bytes()[..16]);
    u128::from_le_bytes(first)
}

/// The keys of one text's units: most units of two versions are the same
/// text, so a unit whose text is one of `known`'s reuses its key.
fn keys_of(texts: &[&str], known: Option<(&[&str], &[String])>) -> Vec<String> {
    let index: FxHashMap<&str, usize> = known
        .map(|(texts, _)| texts.iter().enumerate().map(|(i, t)| (*t, i)).collect())
        .unwrap_or_default();
    texts
        .iter()
        .map(|t| match (index.get(t), known) {
            (Some(&i), Some((_, keys))) => keys[i].clone(),
            _ => unit_key(t),
        })
        .collect()
}

/// Align two texts' units, keyed on their texts (nothing cached).
pub(crate) fn align(
    old_texts: &[&str],
    new_texts: &[&str],
    threshold: f32,
    deadline: Option<Instant>,
) -> Vec<Group> {
    let old_keys = keys_of(old_texts, None);
    let new_keys = keys_of(new_texts, Some((old_texts, &old_keys)));
    align_keyed(
        (old_texts, &old_keys),
        (new_texts, &new_keys),
        |key: &String, _| std::borrow::Cow::Borrowed(key.as_str()),
        threshold,
        deadline,
    )
}

/// Align two texts' units whose key hashes are at hand (cached per text):
/// the keys themselves are made only for the units left to compare by
/// similarity, a few of a long text.
pub(crate) fn align_hashed(
    (old_texts, old_keys): (&[&str], &[KeyHash]),
    (new_texts, new_keys): (&[&str], &[KeyHash]),
    threshold: f32,
    deadline: Option<Instant>,
) -> Vec<Group> {
    align_keyed(
        (old_texts, old_keys),
        (new_texts, new_keys),
        |_: &KeyHash, text| std::borrow::Cow::Owned(unit_key(text)),
        threshold,
        deadline,
    )
}

/// [`align`] over keys of any kind; `key_text` gives a unit's key as text
/// (from its key and its text), for the similarity of the leftovers.
fn align_keyed<'k, K: Key>(
    (old_texts, old_keys): (&[&str], &'k [K]),
    (new_texts, new_keys): (&[&str], &'k [K]),
    key_text: impl Fn(&'k K, &str) -> std::borrow::Cow<'k, str>,
    threshold: f32,
    deadline: Option<Instant>,
) -> Vec<Group> {
    let ops = capture_diff_slices_deadline(Algorithm::Patience, old_keys, new_keys, deadline);

    let mut groups: Vec<Group> = Vec::new();
    let mut old_used = vec![false; old_keys.len()];
    let mut new_used = vec![false; new_keys.len()];
    // Gap id of each unit not matched by the LCS (usize::MAX: none / too big to pair all).
    let mut old_gap = vec![usize::MAX; old_keys.len()];
    let mut new_gap = vec![usize::MAX; new_keys.len()];
    let mut gaps: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = Vec::new();
    for op in &ops {
        match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    let (o, n) = (old_index + k, new_index + k);
                    // The LCS runs on keys, but guard anyway: a pair must really be equal.
                    if old_keys.get(o) == new_keys.get(n) && o < old_used.len() {
                        old_used[o] = true;
                        new_used[n] = true;
                        groups.push(exact(o, n));
                    }
                }
            }
            _ => {
                let (or, nr) = (op.old_range(), op.new_range());
                let g = gaps.len();
                for o in or.clone() {
                    if let Some(x) = old_gap.get_mut(o) {
                        *x = g;
                    }
                }
                for n in nr.clone() {
                    if let Some(x) = new_gap.get_mut(n) {
                        *x = g;
                    }
                }
                gaps.push((or, nr));
            }
        }
    }

    // Step 2: exact keys out of order, k-th old occurrence with k-th new occurrence.
    let mut by_key: HashMap<&K, Vec<usize>> = HashMap::default();
    for (o, k) in old_keys.iter().enumerate() {
        if !old_used[o] {
            by_key.entry(k).or_default().push(o);
        }
    }
    let mut taken: HashMap<&K, usize> = HashMap::default();
    for (n, k) in new_keys.iter().enumerate() {
        if new_used[n] {
            continue;
        }
        if let Some(olds) = by_key.get(k) {
            let t = taken.entry(k).or_default();
            if let Some(&o) = olds.get(*t) {
                *t += 1;
                old_used[o] = true;
                new_used[n] = true;
                groups.push(exact(o, n));
            }
        }
    }

    // Step 3: similarity among the leftovers.
    let mut interner = Interner(HashMap::default());
    let old_feat: Vec<Option<Feat>> = old_keys
        .iter()
        .enumerate()
        .map(|(i, k)| (!old_used[i]).then(|| features(&key_text(k, old_texts[i]), &mut interner)))
        .collect();
    let new_feat: Vec<Option<Feat>> = new_keys
        .iter()
        .enumerate()
        .map(|(i, k)| (!new_used[i]).then(|| features(&key_text(k, new_texts[i]), &mut interner)))
        .collect();
    let old_left: Vec<usize> = (0..old_keys.len()).filter(|&i| !old_used[i]).collect();
    let new_left: Vec<usize> = (0..new_keys.len()).filter(|&i| !new_used[i]).collect();

    let pairs = candidate_pairs(&old_left, &new_left, &old_feat, &new_feat, &gaps);
    let mut cands: Vec<Cand> = Vec::new();
    // Best single similarity per unit, for the split / merge gain test.
    let mut best_old = vec![0f32; old_keys.len()];
    let mut best_new = vec![0f32; new_keys.len()];
    let mut old_cands: Vec<Vec<usize>> = vec![Vec::new(); old_keys.len()];
    let mut new_cands: Vec<Vec<usize>> = vec![Vec::new(); new_keys.len()];
    for &(o, n) in &pairs {
        let (Some(fo), Some(fn_)) = (&old_feat[o], &new_feat[n]) else {
            continue;
        };
        let sim = similarity(fo, fn_);
        best_old[o] = best_old[o].max(sim);
        best_new[n] = best_new[n].max(sim);
        old_cands[o].push(n);
        new_cands[n].push(o);
        if sim >= threshold {
            let bonus = if old_gap[o] != usize::MAX && old_gap[o] == new_gap[n] {
                SAME_GAP_BONUS
            } else {
                0.0
            };
            cands.push(Cand {
                old: vec![o],
                new: vec![n],
                sim,
                score: sim + bonus,
            });
        }
    }
    for (whole, start, len, sim) in splits(&old_cands, &old_feat, &new_feat, &best_old, threshold) {
        cands.push(Cand {
            old: vec![whole],
            new: (start..start + len).collect(),
            sim,
            score: sim,
        });
    }
    for (whole, start, len, sim) in splits(&new_cands, &new_feat, &old_feat, &best_new, threshold) {
        cands.push(Cand {
            old: (start..start + len).collect(),
            new: vec![whole],
            sim,
            score: sim,
        });
    }
    // Best first; ties broken by position so the result is deterministic.
    cands.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.old.cmp(&b.old))
            .then_with(|| a.new.cmp(&b.new))
    });
    for c in cands {
        if c.old.iter().any(|&o| old_used[o]) || c.new.iter().any(|&n| new_used[n]) {
            continue;
        }
        for &o in &c.old {
            old_used[o] = true;
        }
        for &n in &c.new {
            new_used[n] = true;
        }
        groups.push(Group {
            old: c.old,
            new: c.new,
            exact: false,
            sim: c.sim,
            in_order: false,
        });
    }

    mark_in_order(&mut groups, new_keys.len());
    groups
}

fn exact(o: usize, n: usize) -> Group {
    Group {
        old: vec![o],
        new: vec![n],
        exact: true,
        sim: 1.0,
        in_order: false,
    }
}

/// Candidate (old, new) pairs among the leftovers, sorted and deduplicated.
fn candidate_pairs(
    old_left: &[usize],
    new_left: &[usize],
    old_feat: &[Option<Feat>],
    new_feat: &[Option<Feat>],
    gaps: &[(std::ops::Range<usize>, std::ops::Range<usize>)],
) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    if old_left.len().saturating_mul(new_left.len()) <= SMALL_ALL_PAIRS {
        for &o in old_left {
            for &n in new_left {
                pairs.push((o, n));
            }
        }
        return pairs;
    }
    // Every pair inside a small gap of the LCS: the usual place of an edited sentence.
    for (or, nr) in gaps {
        if or.len().saturating_mul(nr.len()) <= MAX_GAP_PAIRS {
            for o in or.clone() {
                for n in nr.clone() {
                    pairs.push((o, n));
                }
            }
        }
    }
    // Inverted index over leftover new units; only rare tokens are looked up, and long
    // posting lists are skipped, so each old unit costs at most a few hundred steps.
    let mut postings: HashMap<u32, Vec<usize>> = HashMap::default();
    for &n in new_left {
        if let Some(f) = &new_feat[n] {
            for &t in &f.tokens {
                postings.entry(t).or_default().push(n);
            }
        }
    }
    let mut counts: HashMap<usize, u32> = HashMap::default();
    for &o in old_left {
        let Some(f) = &old_feat[o] else { continue };
        let mut toks: Vec<(usize, u32)> = f
            .tokens
            .iter()
            .filter_map(|t| postings.get(t).map(|p| (p.len(), *t)))
            .filter(|&(len, _)| len <= MAX_POSTING)
            .collect();
        toks.sort_unstable();
        counts.clear();
        for &(_, t) in toks.iter().take(MAX_RARE_TOKENS) {
            for &n in postings.get(&t).map(Vec::as_slice).unwrap_or(&[]) {
                *counts.entry(n).or_default() += 1;
            }
        }
        let mut ranked: Vec<(u32, usize)> = counts.iter().map(|(&n, &c)| (c, n)).collect();
        ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, n) in ranked.iter().take(MAX_CANDIDATES) {
            pairs.push((o, n));
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// 1→n groups: a `whole` unit on one side against a run of 2..=MAX_PARTS consecutive
/// leftover units on the other side, each mostly made of the whole's words, that together
/// are similar to it (≥ threshold) and clearly more than any single part is. Returns the
/// best run per whole as (whole, start, len, similarity).
fn splits(
    cands: &[Vec<usize>],
    whole_feat: &[Option<Feat>],
    part_feat: &[Option<Feat>],
    best_single: &[f32],
    threshold: f32,
) -> Vec<(usize, usize, usize, f32)> {
    let mut out = Vec::new();
    for (w, parts) in cands.iter().enumerate() {
        let Some(wf) = &whole_feat[w] else { continue };
        let contained = |p: usize| {
            part_feat
                .get(p)
                .and_then(Option::as_ref)
                .is_some_and(|pf| containment(pf, wf) >= PART_CONTAINMENT)
        };
        let mut best: Option<(usize, usize, f32)> = None;
        for &p in parts {
            if !contained(p) {
                continue;
            }
            let mut lo = p;
            while lo > 0 && p - lo < MAX_PARTS - 1 && contained(lo - 1) {
                lo -= 1;
            }
            let mut hi = p;
            while hi + 1 < part_feat.len() && hi - p < MAX_PARTS - 1 && contained(hi + 1) {
                hi += 1;
            }
            for start in lo..=p {
                for end in p..=hi {
                    let len = end - start + 1;
                    if !(2..=MAX_PARTS).contains(&len) {
                        continue;
                    }
                    let feats: Vec<&Feat> = (start..=end)
                        .filter_map(|i| part_feat[i].as_ref())
                        .collect();
                    let sim = similarity(wf, &join(&feats));
                    if sim >= threshold
                        && sim >= best_single[w] + SPLIT_GAIN
                        && best.is_none_or(|(_, _, s)| sim > s)
                    {
                        best = Some((start, len, sim));
                    }
                }
            }
        }
        if let Some((start, len, sim)) = best {
            out.push((w, start, len, sim));
        }
    }
    out
}

/// Marks the maximum-weight set of groups whose (old, new) positions increase together.
/// Exact pairs weigh 1, others their similarity, so the groups declared moved are the
/// fewest and weakest that explain the reordering (NewsEdits' crossing removal, solved
/// exactly with a Fenwick tree in O(n log n)).
fn mark_in_order(groups: &mut [Group], new_len: usize) {
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_unstable_by_key(|&g| (groups[g].old[0], groups[g].new[0]));
    // Fenwick tree over new positions holding (best chain weight, group index).
    let mut tree: Vec<(f64, usize)> = vec![(0.0, usize::MAX); new_len + 1];
    let mut best_at: Vec<(f64, usize)> = vec![(0.0, usize::MAX); groups.len()];
    for &g in &order {
        let n = groups[g].new[0];
        let mut q = (0.0f64, usize::MAX);
        let mut i = n; // prefix [0, n) in 1-based positions 1..=n
        while i > 0 {
            if tree[i].0 > q.0 {
                q = tree[i];
            }
            i &= i - 1;
        }
        let w = if groups[g].exact {
            1.0
        } else {
            f64::from(groups[g].sim)
        };
        let here = (q.0 + w, g);
        best_at[g] = (here.0, q.1);
        let mut i = n + 1;
        while i <= new_len {
            if here.0 > tree[i].0 {
                tree[i] = here;
            }
            i += i & i.wrapping_neg();
        }
    }
    let mut end = usize::MAX;
    let mut best = 0.0;
    for &g in &order {
        if best_at[g].0 > best {
            best = best_at[g].0;
            end = g;
        }
    }
    while end != usize::MAX {
        groups[end].in_order = true;
        end = best_at[end].1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_trim_and_fold() {
        assert_eq!(unit_key("  أكثر من   10 آلاف.  "), "اكثر من 10 الاف");
        assert_eq!(unit_key("|---|---|"), "|---|---|");
        assert_eq!(unit_key("«سنرد»."), "سنرد");
    }

    /// The key as it was first written, whitespace collapsed the general way.
    fn unit_key_reference(text: &str) -> String {
        let k = match_key(text);
        let collapsed = k.split_whitespace().collect::<Vec<_>>().join(" ");
        let trimmed = collapsed.trim_matches(|c: char| !c.is_alphanumeric());
        if trimmed.is_empty() {
            collapsed
        } else {
            trimmed.to_owned()
        }
    }

    proptest::proptest! {
        #[test]
        fn keys_collapse_every_whitespace(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    "[ \t\n\r\u{0B}\u{0C}\u{85}\u{A0}\u{1680}\u{2000}-\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}]{1,3}",
                    "[a-zA-Zأإآءابةتىيئؤ٠-٩ًٌٍَُِّ\u{200B}-\u{200F}\u{FEFB}\u{FDF2}\u{FDFA}.،|-]{1,6}",
                    "\\PC{1,4}",
                ],
                0..12,
            )
        ) {
            let text: String = parts.concat();
            proptest::prop_assert_eq!(unit_key(&text), unit_key_reference(&text));
        }
    }

    #[test]
    fn clitics() {
        assert_eq!(strip_clitic("والجنود"), "جنود");
        assert_eq!(strip_clitic("للجنود"), "جنود");
        assert_eq!(strip_clitic("ولد"), "ولد");
        let mut i = Interner(HashMap::default());
        let a = features("الجنود في كورسك", &mut i);
        let b = features("وجنود في كورسك", &mut i);
        assert_eq!(a.tokens, b.tokens);
    }

    #[test]
    fn lis_prefers_heavier_chain() {
        let mut g = vec![
            exact(0, 2),
            Group {
                old: vec![1],
                new: vec![0],
                exact: false,
                sim: 0.9,
                in_order: false,
            },
            Group {
                old: vec![2],
                new: vec![1],
                exact: false,
                sim: 0.9,
                in_order: false,
            },
        ];
        mark_in_order(&mut g, 3);
        assert_eq!(
            g.iter().map(|x| x.in_order).collect::<Vec<_>>(),
            [false, true, true]
        );
    }
}
