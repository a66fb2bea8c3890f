//! The rules as features: what the learned comparison (`model.rs`) reads of a
//! pair of claims (one row) and of a pair of articles (the summary).
//!
//! The same readings that used to decide on their own (a quantity conflict, a
//! negation, antonyms, swapped roles, word overlap weighted by rarity) are
//! measured here for every candidate pair, and a classifier trained on
//! labelled data decides how they combine. The conflict readings also explain
//! a `conflicting` row (its `changes`).
//!
//! A child of `compare` (it reads the profiles of `profile`, the match
//! scores of `matching` and the readings of `conflicts`).

use std::sync::Arc;

use rustc_hash::FxHashSet as HashSet;

use super::SlotChange;
use super::conflicts::conflicts;
use super::matching::{Bag, Rarity, bags, elsewhere, only_figures_shared, overlap, score};
use super::profile::{Profile, profile};
use super::quantities::same_quantity;
use super::vectors::{Senses, cosine, unmatched};
use super::words::{Token, lexicons, strip_proclitic, words};
use crate::claims::Claim;
use crate::text::normalize::match_key;

/// Row features, in the order the models read them.
pub const ROW_FEATURES: &[&str] = &[
    "similarity",
    "shared_words",
    "cover_from",
    "cover_to",
    "token_jaccard",
    "len_from",
    "len_to",
    "len_ratio",
    "same_event",
    "events_differ",
    "event_one_side",
    "rare_entity_shared",
    "entities_shared",
    "entities_only_from",
    "entities_only_to",
    "elsewhere",
    "dates_shared",
    "quantities_equal",
    "quantities_each_side",
    "conflict_quantity",
    "conflict_entity",
    "roles_swapped",
    "conflict_date",
    "negation_differs",
    "antonym",
    "substituted",
    "negated_from",
    "negated_to",
    "refute_from",
    "refute_to",
    "hedge_from",
    "hedge_to",
    "numbers_differ",
    "only_figures_shared",
    "english",
    "concession_differs",
    "unaligned_from",
    "unaligned_to",
    "unaligned_share_from",
    "unaligned_share_to",
    "one_word_swapped",
    "aligned_by_root",
    "order_crossed",
    "negation_on_aligned",
    "wv_cosine",
    "wv_unmatched_from",
    "wv_unmatched_to",
    "wv_close_share",
    "scene_like",
];

/// Classes of a row, in the row model's output order.
pub const ROW_CLASSES: &[&str] = &["shared", "conflicting", "related", "unrelated"];

/// Pair (summary) features.
pub const PAIR_FEATURES: &[&str] = &[
    "statements_short",
    "statements_long",
    "one_statement_each",
    "best_shared",
    "best_conflicting",
    "best_related",
    "best_unrelated",
    "best_similarity",
    "best_has_conflict",
    "matched_fraction_short",
    "mean_top3_related",
    "short_in_long",
    "short_pairs_in_long",
    "short_in_lead",
    "refute_long",
    "refute_short",
    "hedge_long",
    "hedge_short",
    "negated_short",
    "english",
    "wv_doc_cosine",
    "wv_short_cover",
    "scene_like",
    "refute_near",
    "hedge_near",
    "negated_near",
];

/// Relations of a pair of articles, in the pair model's output order.
pub const PAIR_CLASSES: &[&str] = &["agree", "disagree", "related", "unrelated"];

/// Words that deny or debunk what is reported (the kind of cue the FNC-1
/// baseline reads: "hoax", "denies"), folded to match keys. A small, general
/// list: it says an article argues against something, not against what.
const REFUTE: &[&str] = &[
    "fake",
    "fraud",
    "hoax",
    "false",
    "deny",
    "denies",
    "denied",
    "refute",
    "refutes",
    "refuted",
    "debunk",
    "debunked",
    "bogus",
    "retract",
    "retracted",
    "rumor",
    "rumors",
    "rumour",
    "rumours",
    "untrue",
    "misleading",
    "fabricated",
    "doubt",
    "doubts",
    "نفي",
    "ينفي",
    "تنفي",
    "نفت",
    "نافيا",
    "شائعه",
    "شائعات",
    "اشاعه",
    "اشاعات",
    "كاذب",
    "كاذبه",
    "مفبرك",
    "مفبركه",
    "مزيف",
    "مزيفه",
    "تكذيب",
    "يكذب",
    "كذب",
    "زائف",
    "زائفه",
    "مضلل",
    "مضلله",
    "دحض",
    "عار",
];

/// Words that report without asserting ("allegedly", `يزعم`): an article
/// full of them discusses a claim rather than confirms it.
const HEDGE: &[&str] = &[
    "reportedly",
    "allegedly",
    "alleged",
    "claims",
    "claimed",
    "rumored",
    "unconfirmed",
    "apparently",
    "purportedly",
    "may",
    "might",
    "could",
    "possibly",
    "reports",
    "according",
    "يزعم",
    "زعم",
    "تزعم",
    "مزاعم",
    "انباء",
    "تقارير",
    "ربما",
    "قد",
    "محتمل",
    "يحتمل",
    "مصادر",
    "وفقا",
    "حسب",
    "نقلا",
    "افادت",
    "ذكرت",
    "يعتقد",
];

/// Words that concede (`رغم`, "despite"): "X despite Y" sets Y against X,
/// where another report may give Y as X's cause. Never a contradiction on its
/// own (it explains nothing); the model weighs it.
const CONCESSION: &[&str] = &[
    "رغم",
    "بالرغم",
    "رغما",
    "despite",
    "although",
    "notwithstanding",
];

struct Cues {
    refute: HashSet<String>,
    hedge: HashSet<String>,
    concession: HashSet<String>,
}

fn cues() -> &'static Cues {
    static CUES: std::sync::OnceLock<Cues> = std::sync::OnceLock::new();
    CUES.get_or_init(|| {
        let fold = |ws: &[&str]| ws.iter().map(|w| match_key(w).trim().to_string()).collect();
        Cues {
            refute: fold(REFUTE),
            hedge: fold(HEDGE),
            concession: fold(CONCESSION),
        }
    })
}

/// What is read of one claim once, beyond its profile.
#[derive(Clone)]
pub(super) struct Reading {
    pub(super) refute: f32,
    pub(super) hedge: f32,
    pub(super) concedes: bool,
    pub(super) numbers: Vec<String>,
    pub(super) english: bool,
    pub(super) keys: HashSet<String>,
    /// The words in order (`Evidence::doc` reads adjacent pairs).
    words: Vec<String>,
}

/// What is read of a claim beside its profile; `ws` are the [`words`] of its
/// text's match key.
fn reading(claim: &Claim, ws: Vec<String>) -> Reading {
    let c = cues();
    let count = |set: &HashSet<String>| {
        ws.iter()
            .filter(|w| set.contains(w.as_str()) || set.contains(strip_proclitic(w)))
            .count() as f32
    };
    // Arabic letters and ASCII ones are enough to tell the language (the
    // general Unicode lookup is slow).
    let arabic = claim
        .text
        .chars()
        .filter(|c| ('\u{0600}'..='\u{06FF}').contains(c))
        .count();
    let ascii = claim
        .text
        .bytes()
        .filter(|b| b.is_ascii_alphabetic())
        .count();
    let letters = arabic + ascii;
    Reading {
        refute: count(&c.refute),
        hedge: count(&c.hedge),
        concedes: count(&c.concession) > 0.0,
        numbers: ws
            .iter()
            .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
            .cloned()
            .collect(),
        english: letters > 0 && ascii * 2 > letters,
        keys: ws.iter().cloned().collect(),
        words: ws,
    }
}

/// Everything the comparison of two articles reads, computed once: profiles,
/// rarity, word bags, and the match score of every pair of claims worth
/// scoring.
pub struct Evidence<'c> {
    pub from: &'c [Claim],
    pub to: &'c [Claim],
    // Shared, not copied, by the headline's evidence (`Evidence::headline`).
    profiles_from: Arc<[Profile]>,
    profiles_to: Arc<[Profile]>,
    readings_from: Arc<[Reading]>,
    readings_to: Arc<[Reading]>,
    rarity: Rarity,
    bags_from: Vec<Bag>,
    bags_to: Vec<Bag>,
    /// How near the two texts together lie to everyday scenes rather than
    /// news (see [`scene_like`]).
    scene: f32,
    /// `(score, i, j)` for every pair with a positive score, best first.
    pub scored: Vec<(f32, usize, usize)>,
}

impl<'c> Evidence<'c> {
    pub fn of(from: &'c [Claim], to: &'c [Claim]) -> Evidence<'c> {
        // Each claim's words are read once, for its profile and its reading.
        let read = |claims: &[Claim]| -> (Arc<[Profile]>, Arc<[Reading]>) {
            let (profiles, readings): (Vec<_>, Vec<_>) = claims
                .iter()
                .map(|c| {
                    let ws = words(&match_key(&c.text));
                    (profile(c, &ws), reading(c, ws))
                })
                .unzip();
            (profiles.into(), readings.into())
        };
        let ((profiles_from, readings_from), (profiles_to, readings_to)) = (read(from), read(to));
        Evidence::from_parts(
            from,
            to,
            profiles_from,
            profiles_to,
            readings_from,
            readings_to,
        )
    }

    fn from_parts(
        from: &'c [Claim],
        to: &'c [Claim],
        profiles_from: Arc<[Profile]>,
        profiles_to: Arc<[Profile]>,
        readings_from: Arc<[Reading]>,
        readings_to: Arc<[Reading]>,
    ) -> Evidence<'c> {
        let rarity = Rarity::of(&profiles_from, &profiles_to);
        let (bags_from, bags_to) = bags(&profiles_from, &profiles_to, &rarity);
        let mut scored = Vec::new();
        for (i, a) in profiles_from.iter().enumerate() {
            for (j, b) in profiles_to.iter().enumerate() {
                let s = score(a, b, &rarity, &bags_from[i], &bags_to[j]);
                if s > 0.0 {
                    scored.push((s, i, j));
                }
            }
        }
        scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        let scene = scene_like(&profiles_from, &profiles_to);
        Evidence {
            from,
            to,
            readings_from,
            readings_to,
            profiles_from,
            profiles_to,
            rarity,
            bags_from,
            bags_to,
            scene,
            scored,
        }
    }

    /// One article's headline (its first claim) against the whole of the
    /// other (`first`: the first article's), from the profiles already read.
    pub fn headline(&self, first: bool) -> Evidence<'c> {
        let (head, rest) = if first {
            (&self.from[..1], self.to)
        } else {
            (&self.to[..1], self.from)
        };
        let (ph, pr, rh, rr) = if first {
            (
                &self.profiles_from,
                &self.profiles_to,
                &self.readings_from,
                &self.readings_to,
            )
        } else {
            (
                &self.profiles_to,
                &self.profiles_from,
                &self.readings_to,
                &self.readings_from,
            )
        };
        Evidence::from_parts(
            head,
            rest,
            ph[..1].to_vec().into(),
            pr.clone(),
            rh[..1].to_vec().into(),
            rr.clone(),
        )
    }

    /// How near the two texts lie to everyday scenes rather than news (the
    /// `scene_like` feature).
    pub fn scene(&self) -> f32 {
        self.scene
    }

    /// The match score of claim `i` of the first article and `j` of the second.
    pub fn similarity(&self, i: usize, j: usize) -> f32 {
        score(
            &self.profiles_from[i],
            &self.profiles_to[j],
            &self.rarity,
            &self.bags_from[i],
            &self.bags_to[j],
        )
    }

    /// The row features of claims `i` and `j` (see [`ROW_FEATURES`]), and the
    /// contradictions the rules read in them (the explanation of a conflict).
    pub fn row(&self, i: usize, j: usize) -> (Vec<f32>, Vec<SlotChange>) {
        let (a, b) = (&self.from[i], &self.to[j]);
        let (pa, pb) = (&self.profiles_from[i], &self.profiles_to[j]);
        let (ra, rb) = (&self.readings_from[i], &self.readings_to[j]);
        let (ba, bb) = (&self.bags_from[i], &self.bags_to[j]);
        let s = self.similarity(i, j);
        let (shared, shared_count) = overlap(ba, bb);
        let cover = |total: f32| if total > 0.0 { shared / total } else { 0.0 };
        let union = ra.keys.union(&rb.keys).count();
        let jaccard = if union == 0 {
            0.0
        } else {
            ra.keys.intersection(&rb.keys).count() as f32 / union as f32
        };
        let (la, lb) = (pa.tokens.len() as f32, pb.tokens.len() as f32);
        let changes = conflicts(a, b, pa, pb, s);
        let has = |slot: &str, kinds: &[&str]| {
            changes
                .iter()
                .filter(|c| c.slot == slot && kinds.contains(&c.kind))
                .count()
                .min(3) as f32
        };
        // The profiles' quantities: the claims' quantity slots, read once.
        let (qa, qb) = (&pa.quantities, &pb.quantities);
        let equal_quantities = qa
            .iter()
            .filter(|x| qb.iter().any(|y| same_quantity(x, y)))
            .count()
            .min(3) as f32;
        let numbers_differ = {
            let (x, y): (HashSet<&String>, HashSet<&String>) =
                (ra.numbers.iter().collect(), rb.numbers.iter().collect());
            f32::from(!x.is_empty() && !y.is_empty() && x != y)
        };
        // A capital stands for its country (`القاهرة` / `مصر`).
        let party = |e: &String| {
            crate::claims::entity::country_of(e)
                .unwrap_or(e)
                .to_string()
        };
        let (parties_a, parties_b): (HashSet<String>, HashSet<String>) = (
            pa.entities.iter().map(party).collect(),
            pb.entities.iter().map(party).collect(),
        );
        let only = |x: &HashSet<String>, y: &HashSet<String>| x.difference(y).count().min(3) as f32;
        let flag = |b: bool| f32::from(b);
        let mut features = vec![
            s.min(2.0),
            (shared_count as f32).ln_1p(),
            cover(ba.total),
            cover(bb.total),
            jaccard,
            la.ln_1p(),
            lb.ln_1p(),
            if la.max(lb) > 0.0 {
                la.min(lb) / la.max(lb)
            } else {
                0.0
            },
            flag(!pa.events.is_disjoint(&pb.events)),
            flag(
                !pa.events.is_empty() && !pb.events.is_empty() && pa.events.is_disjoint(&pb.events),
            ),
            flag(pa.events.is_empty() != pb.events.is_empty()),
            flag(
                pa.entities
                    .intersection(&pb.entities)
                    .any(|e| self.rarity.rare_entities.contains(e)),
            ),
            (pa.entities.intersection(&pb.entities).count().min(3)) as f32,
            only(&parties_a, &parties_b),
            only(&parties_b, &parties_a),
            flag(elsewhere(pa, pb)),
            flag(pa.dates.iter().any(|d| pb.dates.contains(d))),
            equal_quantities,
            flag(!qa.is_empty() && !qb.is_empty()),
            has("quantity", &["conflict"]),
            has("entity", &["conflict"]),
            has("entity", &["roles_swapped"]),
            has("date", &["conflict"]),
            flag(pa.negated_against(pb) != pb.negated_against(pa)),
            has("polarity", &["antonym"]),
            has("entity", &["substituted"]),
            flag(pa.negated_against(pb)),
            flag(pb.negated_against(pa)),
            ra.refute.min(3.0),
            rb.refute.min(3.0),
            ra.hedge.min(3.0),
            rb.hedge.min(3.0),
            numbers_differ,
            flag(shared_count > 0 && only_figures_shared(pa, pb)),
            flag(ra.english || rb.english),
            flag(ra.concedes != rb.concedes),
        ];
        features.extend(alignment(pa, pb));
        features.extend(senses_row(&pa.senses, &pb.senses));
        features.push(self.scene);
        debug_assert_eq!(features.len(), ROW_FEATURES.len());
        (features, changes)
    }

    /// The pairs the models read: claims paired one to one by match score
    /// (best first), and each claim left unpaired with its best partner (how
    /// sure "only in one article" is). Each with its row features and the
    /// contradictions the rules read in it.
    pub fn consider(&self) -> Vec<Considered> {
        let (n, m) = (self.from.len(), self.to.len());
        let (mut match_a, mut match_b) = (vec![None; n], vec![None; m]);
        let (mut best_a, mut best_b) = (vec![None; n], vec![None; m]);
        for &(_, i, j) in &self.scored {
            best_a[i].get_or_insert(j);
            best_b[j].get_or_insert(i);
            if match_a[i].is_none() && match_b[j].is_none() {
                match_a[i] = Some(j);
                match_b[j] = Some(i);
            }
        }
        let mut pairs: Vec<(usize, usize, bool)> = Vec::new();
        for i in 0..n {
            match (match_a[i], best_a[i]) {
                (Some(j), _) => pairs.push((i, j, true)),
                (None, Some(j)) => pairs.push((i, j, false)),
                (None, None) => {}
            }
        }
        for j in 0..m {
            if let (None, Some(i)) = (match_b[j], best_b[j])
                && !pairs.iter().any(|p| p.0 == i && p.1 == j)
            {
                pairs.push((i, j, false));
            }
        }
        pairs
            .into_iter()
            .map(|(i, j, matched)| {
                let (features, changes) = self.row(i, j);
                Considered {
                    from: i,
                    to: j,
                    matched,
                    similarity: self.similarity(i, j),
                    features,
                    changes,
                }
            })
            .collect()
    }

    /// What the summary reads of the two texts as wholes, before any model:
    /// how much of the shorter one the longer one covers, and its cues.
    pub fn doc(&self) -> DocStats {
        let from_is_short = self.from.len() <= self.to.len();
        DocStats {
            from_is_short,
            short_len: self.from.len().min(self.to.len()),
            long_len: self.from.len().max(self.to.len()),
            values: self.doc_values(from_is_short),
            // As many statements a side: the second text read as the short one.
            mirror_values: (self.from.len() == self.to.len()).then(|| self.doc_values(false)),
        }
    }

    /// [`DocStats::values`] with the given side read as the short one.
    fn doc_values<'r>(&'r self, from_is_short: bool) -> [f32; 12] {
        let (short, long) = if from_is_short {
            (&self.profiles_from, &self.profiles_to)
        } else {
            (&self.profiles_to, &self.profiles_from)
        };
        let (rshort, rlong) = if from_is_short {
            (&self.readings_from, &self.readings_to)
        } else {
            (&self.readings_to, &self.readings_from)
        };
        let stems_long: HashSet<&String> = long.iter().flat_map(|p| p.stems.iter()).collect();
        let stems_lead: HashSet<&String> =
            long.iter().take(3).flat_map(|p| p.stems.iter()).collect();
        let stems_short: HashSet<&String> = short.iter().flat_map(|p| p.stems.iter()).collect();
        let fraction = |within: &HashSet<&String>| {
            if stems_short.is_empty() {
                0.0
            } else {
                stems_short.iter().filter(|s| within.contains(*s)).count() as f32
                    / stems_short.len() as f32
            }
        };
        // Adjacent word pairs of the short side found in the long one.
        let pairs = |rs: &'r [Reading]| -> HashSet<(&'r str, &'r str)> {
            rs.iter()
                .flat_map(|r| r.words.windows(2).map(|w| (w[0].as_str(), w[1].as_str())))
                .collect()
        };
        let (ps, pl) = (pairs(rshort), pairs(rlong));
        let per_word = |rs: &[Reading], f: fn(&Reading) -> f32| {
            let words: f32 = rs.iter().map(|r| r.keys.len() as f32).sum();
            let hits: f32 = rs.iter().map(f).sum();
            if words > 0.0 {
                (100.0 * hits / words).min(10.0)
            } else {
                0.0
            }
        };
        [
            fraction(&stems_long),
            if ps.is_empty() {
                0.0
            } else {
                ps.intersection(&pl).count() as f32 / ps.len() as f32
            },
            fraction(&stems_lead),
            per_word(rlong, |r| r.refute),
            per_word(rshort, |r| r.refute),
            per_word(rlong, |r| r.hedge),
            per_word(rshort, |r| r.hedge),
            f32::from(short.iter().any(|p| p.negated)),
            f32::from(rshort.iter().chain(rlong.iter()).any(|r| r.english)),
            cosine(&sum_of(short), &sum_of(long)),
            cover(short, long),
            self.scene,
        ]
    }
}

/// Content words of a side that the alignment reads at most.
const ALIGNED_WORDS: usize = 256;

/// The words of a claim the word alignment reads (indices into its tokens):
/// content words, not function words, negation or absence cues.
pub(super) fn content_words(claim: &Claim, tokens: &[Token]) -> Vec<usize> {
    let lex = lexicons();
    let cue: HashSet<String> = claim
        .slots
        .iter()
        .filter_map(|s| match s {
            crate::claims::Slot::Polarity { text, .. } => Some(words(&match_key(text))),
            _ => None,
        })
        .flatten()
        .collect();
    let content = |t: &Token| {
        let conj = t.key.trim_start_matches(['و', 'ف']);
        t.key.chars().count() >= 2
            && ![t.key.as_str(), t.bare.as_str(), conj]
                .iter()
                .any(|w| lex.stopwords.contains(w) || lex.absence.contains(w) || cue.contains(*w))
    };
    // Matching is quadratic in the words: a scraped "sentence" without an end
    // could hold thousands. Real claims hold far fewer than the bound.
    (0..tokens.len())
        .filter(|&i| content(&tokens[i]))
        .take(ALIGNED_WORDS)
        .collect()
}

/// Word alignment, the classic signal of entailment between two short
/// texts: each content word of one side matched to a word of the other (same
/// key, bare form, stem or root). How many of each side's words find no
/// partner (a hypothesis with none left over is entailed; one word swapped
/// each way is a substitution, `piano` / `guitar`), whether the aligned words
/// keep their order (who did what to whom), and a negation that differs while
/// everything else aligns (a contradiction, not another event).
fn alignment(pa: &Profile, pb: &Profile) -> [f32; 8] {
    fn side(p: &Profile) -> Vec<&Token> {
        p.content.iter().map(|&i| &p.tokens[i]).collect()
    }
    let (ta, tb) = (side(pa), side(pb));
    // Position of the first partner of each word (None: unaligned), and
    // whether it was found by root only.
    let align = |xs: &[&Token], ys: &[&Token]| -> Vec<(Option<usize>, bool)> {
        xs.iter()
            .map(|x| match ys.iter().position(|y| x.same(y)) {
                Some(j) => (Some(j), false),
                None => (
                    x.root
                        .and_then(|r| ys.iter().position(|y| y.root == Some(r))),
                    true,
                ),
            })
            .collect()
    };
    let (aa, ab) = (align(&ta, &tb), align(&tb, &ta));
    let unaligned = |al: &[(Option<usize>, bool)]| al.iter().filter(|(j, _)| j.is_none()).count();
    let (ua, ub) = (unaligned(&aa), unaligned(&ab));
    let share = |u: usize, n: usize| if n == 0 { 0.0 } else { u as f32 / n as f32 };
    let (sa, sb) = (share(ua, ta.len()), share(ub, tb.len()));
    let by_root = aa
        .iter()
        .chain(&ab)
        .filter(|(j, root)| j.is_some() && *root)
        .count();
    // Read from both sides (many words may align to one), so that the
    // feature is the same whichever claim comes first.
    let (mut crossed, mut pairs) = (0usize, 0usize);
    for al in [&aa, &ab] {
        let aligned: Vec<usize> = al.iter().filter_map(|(j, _)| *j).collect();
        for x in 0..aligned.len() {
            for y in x + 1..aligned.len() {
                if aligned[x] != aligned[y] {
                    pairs += 1;
                    crossed += usize::from(aligned[x] > aligned[y]);
                }
            }
        }
    }
    let flag = |b: bool| f32::from(b);
    [
        (ua as f32).ln_1p(),
        (ub as f32).ln_1p(),
        sa,
        sb,
        flag(ua == 1 && ub == 1),
        (by_root as f32).ln_1p(),
        if pairs == 0 {
            0.0
        } else {
            crossed as f32 / pairs as f32
        },
        flag(pa.negated_against(pb) != pb.negated_against(pa)) * (1.0 - sa.max(sb)),
    ]
}

/// Word-vector readings of a pair of claims: the cosine of their
/// directions, how near each side's words missing from the other are to the
/// other's words, and the share of missing words with a near neighbour (1
/// when no word is missing).
fn senses_row(a: &Senses, b: &Senses) -> [f32; 4] {
    let (ua, ca, na) = unmatched(a, b);
    let (ub, cb, nb) = unmatched(b, a);
    [
        cosine(&a.sum, &b.sum),
        ua,
        ub,
        if na + nb == 0 {
            1.0
        } else {
            (ca + cb) as f32 / (na + nb) as f32
        },
    ]
}

/// The summed word vectors of a side's claims.
fn sum_of(side: &[Profile]) -> Vec<f32> {
    let mut sum = vec![0.0; super::vectors::vectors().dim()];
    for p in side {
        sum.iter_mut().zip(&p.senses.sum).for_each(|(s, v)| *s += v);
    }
    sum
}

/// How near two texts lie to everyday scenes rather than news: the cosine
/// of their summed word vectors with the direction the training sets give
/// (0 without one). ArNLI's captions and the news sets were labelled with
/// different habits (a caption that adds a detail is "neutral", a headline
/// that gives another cause contradicts); this lets the models learn both
/// and apply each where the texts are like it.
fn scene_like(from: &[Profile], to: &[Profile]) -> f32 {
    let Some(direction) = super::vectors::scene_direction() else {
        return 0.0;
    };
    let mut sum = sum_of(from);
    sum.iter_mut().zip(sum_of(to)).for_each(|(s, v)| *s += v);
    cosine(&sum, &direction)
}

/// The mean best cosine of the short side's distinct words to the long
/// side's (a word of both counts 1, a word without a vector 0).
fn cover(short: &[Profile], long: &[Profile]) -> f32 {
    let merge = |side: &[Profile]| Senses::union(side.iter().map(|p| &p.senses));
    let (s, l) = (merge(short), merge(long));
    let (u, _, n) = unmatched(&s, &l);
    if s.keys.is_empty() {
        return 0.0;
    }
    // `unmatched` averages over the missing words only.
    let shared = s.keys.len() - n;
    (shared as f32 + u * n as f32) / s.keys.len() as f32
}

/// The vector key of one word (its content key: root or stem), for looking
/// at the vectors; claims' keys are [`sense_keys`].
pub fn sense_key(word: &str) -> String {
    super::words::content_key(match_key(word).trim())
}

/// The word keys of a claim that word vectors are kept for (its profile's
/// stems, sorted): what `examples/claims_model/` counts co-occurrences of.
pub fn sense_keys(claim: &Claim) -> Vec<String> {
    let p = profile(claim, &words(&match_key(&claim.text)));
    let mut keys: Vec<String> = p.stems.into_iter().collect();
    keys.sort();
    keys
}

/// A pair of claims the models read.
#[derive(Debug, Clone)]
pub struct Considered {
    pub from: usize,
    pub to: usize,
    /// Paired one to one (else the best partner of a claim left unpaired).
    pub matched: bool,
    pub similarity: f32,
    pub features: Vec<f32>,
    pub changes: Vec<crate::claims::compare::SlotChange>,
}

/// The model-free part of the pair features.
#[derive(Debug, Clone, Copy)]
pub struct DocStats {
    pub from_is_short: bool,
    pub short_len: usize,
    pub long_len: usize,
    /// `short_in_long` … `scene_like` of [`PAIR_FEATURES`].
    pub values: [f32; 12],
    /// When both sides have as many statements: the same read with the
    /// second side as the short one (see [`DocStats::mirrored`]).
    pub mirror_values: Option<[f32; 12]>,
}

impl DocStats {
    /// The same texts with the other side read as the short one, when both
    /// have as many statements (else there is one reading).
    pub fn mirrored(&self) -> Option<DocStats> {
        self.mirror_values.map(|values| DocStats {
            from_is_short: !self.from_is_short,
            values,
            mirror_values: Some(self.values),
            ..*self
        })
    }
}

/// The pair features of each way inference reads a pair: as given, and two
/// texts of as many statements again with the second as the short one.
pub fn pair_readings(
    doc: &DocStats,
    rows: &[Considered],
    probabilities: &[Vec<f32>],
) -> Vec<Vec<f32>> {
    std::iter::once(*doc)
        .chain(doc.mirrored())
        .map(|d| pair_features(&d, rows, probabilities))
        .collect()
}

/// The pair features (see [`PAIR_FEATURES`]) from the text-level readings and
/// the row model's probabilities of each considered pair.
fn pair_features(doc: &DocStats, rows: &[Considered], probabilities: &[Vec<f32>]) -> Vec<f32> {
    let best = |k: usize| probabilities.iter().map(|p| p[k]).fold(0.0f32, f32::max);
    let best_row =
        (0..rows.len()).max_by(|&x, &y| probabilities[y][3].total_cmp(&probabilities[x][3]));
    let best_similarity = rows.iter().map(|r| r.similarity).fold(0.0f32, f32::max);
    let matched_short: HashSet<usize> = rows
        .iter()
        .zip(probabilities)
        .filter(|(_, p)| p[3] < 0.5)
        .map(|(r, _)| if doc.from_is_short { r.from } else { r.to })
        .collect();
    let mut related: Vec<f32> = probabilities.iter().map(|p| 1.0 - p[3]).collect();
    related.sort_by(|a, b| b.total_cmp(a));
    let top3 = related.iter().take(3).sum::<f32>() / 3.0;
    let mut features = vec![
        (doc.short_len as f32).ln_1p(),
        (doc.long_len as f32).ln_1p(),
        f32::from(doc.short_len <= 1 && doc.long_len <= 1),
        best(0),
        best(1),
        best(2),
        best_row.map_or(1.0, |k| probabilities[k][3]),
        best_similarity.min(2.0),
        f32::from(best_row.is_some_and(|k| !rows[k].changes.is_empty())),
        matched_short.len() as f32 / doc.short_len.max(1) as f32,
        top3,
    ];
    features.extend(doc.values);
    features.extend(near_cues(doc, rows, probabilities).map(f32::ln_1p));
    debug_assert_eq!(features.len(), PAIR_FEATURES.len());
    features
}

/// Denial, hedging and negation cues where the long side speaks of the
/// short one (its three most related claims), not anywhere in it: an article
/// that debunks a claim says so there. Two short texts are read by their own
/// model, which does better without these (ANS: there every claim is
/// "near"), so they are zero for them.
fn near_cues(doc: &DocStats, rows: &[Considered], probabilities: &[Vec<f32>]) -> [f32; 3] {
    let mut near = [0f32; 3];
    if doc.long_len <= crate::claims::model::SENTENCE_SIDE {
        return near;
    }
    let at = |name: &str| ROW_FEATURES.iter().position(|f| *f == name).unwrap_or(0);
    let cues = if doc.from_is_short {
        [at("refute_to"), at("hedge_to"), at("negated_to")]
    } else {
        [at("refute_from"), at("hedge_from"), at("negated_from")]
    };
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&x, &y| {
        probabilities[x][3]
            .total_cmp(&probabilities[y][3])
            .then(x.cmp(&y))
    });
    let mut seen = HashSet::default();
    for &k in &order {
        let long = if doc.from_is_short {
            rows[k].to
        } else {
            rows[k].from
        };
        if probabilities[k][3] >= 0.5 || !seen.insert(long) {
            continue;
        }
        for (n, &cue) in near.iter_mut().zip(&cues) {
            *n += rows[k].features[cue];
        }
        if seen.len() == 3 {
            break;
        }
    }
    near
}
