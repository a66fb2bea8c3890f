//! Where two aligned claims of different outlets contradict (articles mode):
//! another figure, date, country, person or asset, a negation, words of
//! opposite meaning, roles swapped, one word substituted. These readings are
//! features of the learned model, and explain a `conflicting` row.

use std::collections::BTreeMap;

use rustc_hash::FxHashSet as HashSet;

use super::SlotChange;
use super::profile::Profile;
use super::quantities::{Q, close, pair_quantities, quantities_conflict, quantity};
use super::roles::{roles_change, roles_swapped, surface_of};
use super::slots::{change, date_key, diff_entities, of_type};
use super::words::{Token, lexicons, words};
use crate::claims::entity::country_of;
use crate::claims::opposites::{antonyms, poles};
use crate::claims::quantity::unit_class;
use crate::claims::{Claim, Qualifier, QuantityKind, Slot};
use crate::text::normalize::match_key;

/// Above this match score two claims say the same thing in nearly the same
/// words, so a swapped name (Russia for China) is a contradiction.
const SAME_WORDING: f32 = 0.6;

/// The most words a claim may have for a country, person or asset only it
/// names to contradict the other claim (see `conflicts`).
const SHORT_CLAIM: usize = 30;

/// Above this match score two claims are about the same thing, so one
/// negating what the other affirms is a contradiction.
const SAME_CLAIM: f32 = 0.38;

/// The slots on which two aligned claims of different outlets contradict.
pub(super) fn conflicts(
    a: &Claim,
    b: &Claim,
    pa: &Profile,
    pb: &Profile,
    similarity: f32,
) -> Vec<SlotChange> {
    let mut out = Vec::new();
    if similarity >= SAME_WORDING {
        let mut swaps = Vec::new();
        diff_entities(
            &of_type(&a.slots, "entity"),
            &of_type(&b.slots, "entity"),
            &mut swaps,
        );
        // A capital for its country (`برلين` / `ألمانيا`) is the same party.
        let same_country = |c: &SlotChange| {
            let canon = |s: &Option<Slot>| match s {
                Some(Slot::Entity { canonical, .. }) => country_of(canonical),
                _ => None,
            };
            canon(&c.from).is_some() && canon(&c.from) == canon(&c.to)
        };
        // A name the other claim also gives, by an adjective (`سوريا` /
        // `الأراضي السورية`) or a place within it, was not swapped out.
        let named_by = |s: &Option<Slot>, p: &Profile| match s {
            Some(Slot::Entity { canonical, .. }) => {
                p.entities.contains(canonical)
                    || p.regions
                        .contains(country_of(canonical).unwrap_or(canonical))
            }
            _ => false,
        };
        out.extend(
            swaps
                .into_iter()
                .filter(|c| c.kind == "replaced" && !same_country(c))
                .filter(|c| !named_by(&c.from, pb) && !named_by(&c.to, pa))
                .map(|c| SlotChange {
                    kind: "conflict",
                    ..c
                }),
        );
    }
    let qa: Vec<&Slot> = of_type(&a.slots, "quantity");
    let qb: Vec<&Slot> = of_type(&b.slots, "quantity");
    let (mut pairs, left_a, left_b) = pair_quantities(&qa, &qb);
    // One figure left on each side, counts of differently named things (`5
    // من أفراد الشرطة` / `شخصين`) or one without its noun: the same figure
    // told differently.
    if let ([x], [y]) = (left_a.as_slice(), left_b.as_slice())
        && let (Some(p), Some(q)) = (quantity(x), quantity(y))
        && [p.kind, q.kind]
            .iter()
            .all(|k| matches!(k, QuantityKind::Count | QuantityKind::Number))
    {
        pairs.push((x, y));
    }
    for (x, y) in pairs {
        let (Some(mut p), Some(q)) = (quantity(x), quantity(y)) else {
            continue;
        };
        p.kind = q.kind;
        // The same figure counting things of another class (`3 رجال` /
        // `ثلاثة بلدان`) says something else.
        let class = |q: &Q| q.unit.as_deref().and_then(unit_class);
        let recounted = close(p.value, q.value)
            && class(&p).is_some()
            && class(&q).is_some()
            && class(&p) != class(&q);
        if quantities_conflict(&p, &q) || recounted {
            out.push(change("quantity", "conflict", Some(x), Some(y)));
        }
    }
    // The same story told of another country (`تحطم طائرة عسكرية بالجزائر` /
    // `تحطم طائرة عسكرية سورية`), of or by another person (`بيل غيتس:` /
    // `تصريح لإيلون ماسك`), or of another traded asset (`الذهب يرتفع` /
    // `النفط يرتفع`). What both name is common ground (`مهاجر يمني` /
    // `السوريين`, both in Saudi Arabia). Countries count as named, not cities
    // taken for their country: `البصرة` lies in Iraq, but `البرلمان الإيراني
    // ... البصرة` is still Iran against Iraq. A long sentence names these in
    // many roles (sources, backdrop, comparisons), so only claims of headline
    // length are read this way.
    if pa.tokens.len().max(pb.tokens.len()) <= SHORT_CLAIM {
        // Per kind, canonical name → as written.
        let named = |c: &Claim, p: &Profile| -> [BTreeMap<String, String>; 3] {
            let countries = p
                .places
                .iter()
                .filter(|n| country_of(n) == Some(n.as_str()))
                .map(|n| (n.clone(), surface_of(c, p, n)))
                .collect();
            let persons = c
                .slots
                .iter()
                .filter_map(|s| match s {
                    Slot::Entity {
                        text,
                        canonical,
                        kind: crate::claims::EntityKind::Person,
                    } => Some((canonical.clone(), text.clone())),
                    _ => None,
                })
                .collect();
            let assets = p
                .assets
                .iter()
                .map(|(k, w)| (k.to_string(), w.clone()))
                .collect();
            [countries, persons, assets]
        };
        let kinds = [
            crate::claims::EntityKind::Place,
            crate::claims::EntityKind::Person,
            crate::claims::EntityKind::Other,
        ];
        for ((na, nb), kind) in named(a, pa).iter().zip(&named(b, pb)).zip(kinds) {
            let only = |x: &BTreeMap<String, String>, y: &BTreeMap<String, String>| {
                x.iter()
                    .find(|(k, _)| !y.contains_key(*k))
                    .map(|(k, w)| Slot::Entity {
                        text: w.clone(),
                        canonical: k.clone(),
                        kind,
                    })
            };
            if let (Some(from), Some(to)) = (only(na, nb), only(nb, na)) {
                out.push(SlotChange {
                    slot: "entity",
                    kind: "conflict",
                    from: Some(from),
                    to: Some(to),
                });
            }
        }
    }
    if let Some((x, y)) = roles_swapped(&pa.roles, &pb.roles) {
        out.push(roles_change(
            (surface_of(a, pa, x), x),
            (surface_of(b, pb, y), y),
        ));
    }
    let da = of_type(&a.slots, "date");
    let db = of_type(&b.slots, "date");
    if !da.is_empty() && !db.is_empty() && pa.dates.iter().all(|d| !pb.dates.contains(d)) {
        // Only dates of the same precision can contradict (2025-12 vs 2025-12-27 does not).
        if let Some((x, y)) = da.iter().find_map(|x| {
            db.iter()
                .find(|y| {
                    let (x, y) = (date_key(x), date_key(y));
                    // A weekday without a calendar date (`-W-7`) is compared with weekdays only.
                    x.len() == y.len() && x.starts_with("-W") == y.starts_with("-W")
                })
                .map(|y| (*x, *y))
        }) {
            out.push(change("date", "conflict", Some(x), Some(y)));
        }
    }
    // Negation differs all the time between outlets' loosely matched
    // sentences; it contradicts only when they say nearly the same thing.
    let (negated_a, negated_b) = (pa.negated_against(pb), pb.negated_against(pa));
    if negated_a != negated_b && similarity >= SAME_CLAIM {
        // The cue of the side that negates (an absence word the other claim
        // leaves aside is no cue).
        let cue = |c: &Claim, p: &Profile, negated: bool| {
            c.slots
                .iter()
                .find(|s| matches!(s, Slot::Polarity { .. }))
                .cloned()
                .or_else(|| {
                    p.absent
                        .as_ref()
                        .filter(|_| negated)
                        .map(|w| Slot::Polarity {
                            negated: true,
                            text: w.clone(),
                        })
                })
        };
        out.push(SlotChange {
            slot: "polarity",
            kind: "conflict",
            from: cue(a, pa, negated_a),
            to: cue(b, pb, negated_b),
        });
    }
    out.extend(
        antonyms(&pa.poles, &pb.poles)
            .into_iter()
            .map(|(p, q)| antonym(p, q)),
    );
    out.extend(before_after(&pa.relative, &pb.relative));
    // One claims a failure of what the other reports done (`تفشل في القبض`
    // against `تقبض على 22`).
    let failed = |p: &Profile| {
        p.bare
            .iter()
            .any(|w| lexicons().failure.contains(w.as_str()))
    };
    if similarity >= SAME_CLAIM && failed(pa) != failed(pb) && negated_a == negated_b {
        let cue = |p: &Profile| {
            p.bare
                .iter()
                .find(|w| lexicons().failure.contains(w.as_str()))
                .cloned()
                .unwrap_or_default()
        };
        let (f, t) = if failed(pa) {
            (cue(pa), String::new())
        } else {
            (String::new(), cue(pb))
        };
        out.push(SlotChange {
            slot: "polarity",
            kind: "antonym",
            from: Some(Slot::Polarity {
                negated: !f.is_empty(),
                text: f,
            }),
            to: Some(Slot::Polarity {
                negated: !t.is_empty(),
                text: t,
            }),
        });
    }
    // Dead on one side, "without casualties" on the other.
    let casualties = |c: &Claim, p: &Profile| -> Option<Slot> {
        let units = &lexicons().casualty_units;
        c.slots
            .iter()
            .find(|s| {
                quantity(s).is_some_and(|q| {
                    q.value > 0.0 && q.unit.as_deref().is_some_and(|u| units.contains(u))
                })
            })
            .cloned()
            .or_else(|| {
                p.events.contains("killed").then(|| Slot::Polarity {
                    negated: false,
                    text: "killed".into(),
                })
            })
    };
    let zero = |text: &str| Slot::Quantity {
        text: text.to_string(),
        value: 0.0,
        upper: None,
        unit: None,
        unit_key: None,
        qualifier: Qualifier::Exact,
        kind: QuantityKind::Count,
    };
    if pa.no_casualties != pb.no_casualties {
        let (dead, none_text) = if pb.no_casualties {
            (casualties(a, pa), &b.text)
        } else {
            (casualties(b, pb), &a.text)
        };
        if let Some(dead) = dead {
            let (from, to) = if pb.no_casualties {
                (dead, zero(none_text))
            } else {
                (zero(none_text), dead)
            };
            out.push(SlotChange {
                slot: "quantity",
                kind: "conflict",
                from: Some(from),
                to: Some(to),
            });
        }
    }
    // A year no extractor took as a date (`أوسكار 2018` / `أوسكار 2010`),
    // in claims worded nearly alike.
    if similarity >= SAME_CLAIM
        && !pa.years.is_empty()
        && !pb.years.is_empty()
        && pa.years.iter().all(|y| !pb.years.contains(y))
        && !out.iter().any(|c| c.slot == "date")
    {
        let year = |y: &String| Slot::Date {
            text: y.clone(),
            value: y.clone(),
            relative: false,
        };
        out.push(SlotChange {
            slot: "date",
            kind: "conflict",
            from: Some(year(&pa.years[0])),
            to: Some(year(&pb.years[0])),
        });
    }
    // Words of a name both claims give (in any spelling: `جونج` / `جونغ`)
    // are no substitution.
    let shared_name_words = |c: &Claim, other: &Profile| -> HashSet<String> {
        c.slots
            .iter()
            .filter_map(|s| match s {
                Slot::Entity {
                    text, canonical, ..
                } if other.entities.contains(canonical) => Some(words(&match_key(text))),
                _ => None,
            })
            .flatten()
            .collect()
    };
    let (names_a, names_b) = (shared_name_words(a, pb), shared_name_words(b, pa));
    if out.is_empty()
        && let Some((x, y)) = substitution(&pa.tokens, &pb.tokens)
        && !(x.iter().all(|t| names_a.contains(&t.key))
            && y.iter().all(|t| names_b.contains(&t.key)))
    {
        let word = |side: &[&Token]| {
            let mut text: Vec<&str> = Vec::new();
            for t in side {
                if text.last() != Some(&t.surface.as_str()) {
                    text.push(&t.surface);
                }
            }
            let text = text.join(" ");
            Slot::Entity {
                canonical: text.clone(),
                text,
                kind: crate::claims::EntityKind::Other,
            }
        };
        let (from, to) = (word(&x), word(&y));
        // A capital for its country (`القاهرة` / `مصر`) is no substitution.
        let country = |slot: &Slot| {
            let Slot::Entity { text, .. } = slot else {
                return None;
            };
            let (canonical, _) = crate::claims::entity::Gazetteer::builtin().lookup(text)?;
            country_of(canonical)
        };
        if country(&from).is_none() || country(&from) != country(&to) {
            out.push(SlotChange {
                slot: "entity",
                kind: "substituted",
                from: Some(from),
                to: Some(to),
            });
        }
    }
    out
}

/// The one place where two nearly identical claims differ, when that is one
/// or two words replaced by one or two others (`النساء` / `الأطفال`, `وضع` /
/// `نزع`) and at least three words and 60% of the longer claim are the same:
/// the outlets tell the same story about something else. Figures, reporting
/// verbs and function words are left to the other rules.
fn substitution<'p>(a: &'p [Token], b: &'p [Token]) -> Option<(Vec<&'p Token>, Vec<&'p Token>)> {
    let (n, m) = (a.len(), b.len());
    if n.min(m) < 4 || n.max(m) > 60 {
        return None;
    }
    // Longest common subsequence of words.
    let mut lcs = vec![vec![0u16; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i].same(&b[j]) {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let same = lcs[0][0] as usize;
    if same < 3 || (same as f32) < 0.6 * n.max(m) as f32 {
        return None;
    }
    // Walk the alignment and collect the runs of unmatched words.
    let mut blocks: Vec<(Vec<&Token>, Vec<&Token>)> = Vec::new();
    let mut open = false;
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i].same(&b[j]) && lcs[i][j] == lcs[i + 1][j + 1] + 1 {
            open = false;
            i += 1;
            j += 1;
            continue;
        }
        if !open {
            blocks.push((Vec::new(), Vec::new()));
            open = true;
        }
        let block = blocks.last_mut()?;
        if j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1]) {
            block.0.push(&a[i]);
            i += 1;
        } else {
            block.1.push(&b[j]);
            j += 1;
        }
    }
    let [(from, to)] = <[_; 1]>::try_from(blocks).ok()?;
    if from.is_empty() || to.is_empty() || from.len() > 2 || to.len() > 2 {
        return None;
    }
    let lex = lexicons();
    // Function words (with their conjunction: `ولا`), negation and absence
    // words (the polarity rule's), and reporting verbs.
    let plain = |side: &[&Token]| {
        side.iter()
            .any(|t| t.key.chars().any(|c| c.is_ascii_digit()))
            || side.iter().all(|t| {
                let conj = t.key.trim_start_matches(['و', 'ف']);
                [t.key.as_str(), t.bare.as_str(), conj].iter().any(|w| {
                    lex.stopwords.contains(w)
                        || lex.absence.contains(w)
                        || lex.reporting.contains(w)
                })
            })
    };
    if plain(&from) || plain(&to) || from.iter().any(|x| to.iter().any(|y| x.related(y))) {
        return None;
    }
    // The same side of a class of opposites (`رفعت` / `زادت`, raised /
    // increased) rewords the predicate; the opposite side is the antonym rule's.
    let keys = |side: &[&Token]| side.iter().map(|t| t.key.clone()).collect::<Vec<_>>();
    if poles(&keys(&from)).share_a_pole(&poles(&keys(&to))) {
        return None;
    }
    Some((from, to))
}

/// "Before the sanctions" against "after the sanctions" (the same anchor).
pub(super) fn before_after(a: &[(bool, String)], b: &[(bool, String)]) -> Option<SlotChange> {
    let (x, y) = a.iter().find_map(|(after, anchor)| {
        b.iter()
            .find(|(b_after, b_anchor)| b_after != after && b_anchor == anchor)
            .filter(|_| !a.contains(&(!*after, anchor.clone())))
            .map(|(b_after, _)| (*after, *b_after))
    })?;
    let word = |after: bool| if after { "بعد" } else { "قبل" };
    Some(antonym(word(x).into(), word(y).into()))
}

/// Two words of opposite meaning, as a polarity change.
pub(super) fn antonym(from: String, to: String) -> SlotChange {
    SlotChange {
        slot: "polarity",
        kind: "antonym",
        from: Some(Slot::Polarity {
            negated: false,
            text: from,
        }),
        to: Some(Slot::Polarity {
            negated: false,
            text: to,
        }),
    }
}
