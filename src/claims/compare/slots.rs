//! How the slots of one claim changed into those of another (versions mode),
//! slot type by slot type: figures as `quantities` pairs them, dates and
//! attributions by key, quotes by their words, entities by canonical name,
//! polarity by presence. Articles mode reuses the entity diff and the keys.

use rustc_hash::FxHashSet as HashSet;

use super::SlotChange;
use super::quantities::diff_quantities;
use super::words::words;
use crate::claims::Slot;
use crate::claims::entity::name_key;
use crate::text::normalize::match_key;

/// How the slots of one claim changed into those of another.
pub fn diff_slots(from: &[Slot], to: &[Slot]) -> Vec<SlotChange> {
    let mut changes = Vec::new();
    diff_quantities(
        &of_type(from, "quantity"),
        &of_type(to, "quantity"),
        &mut changes,
    );
    diff_by_key(
        &of_type(from, "date"),
        &of_type(to, "date"),
        date_key,
        |_, _| "update",
        &mut changes,
    );
    diff_quotes(&of_type(from, "quote"), &of_type(to, "quote"), &mut changes);
    diff_by_key(
        &of_type(from, "attribution"),
        &of_type(to, "attribution"),
        attribution_key,
        |a, b| match (anonymous(a), anonymous(b)) {
            (true, false) => "named",
            (false, true) => "anonymized",
            _ => "source",
        },
        &mut changes,
    );
    let mut entity_changes = Vec::new();
    diff_entities(
        &of_type(from, "entity"),
        &of_type(to, "entity"),
        &mut entity_changes,
    );
    // A source or speaker that is also an entity changed once, not twice.
    let named: HashSet<String> = changes
        .iter()
        .flat_map(|c| [&c.from, &c.to])
        .filter_map(|s| match s {
            Some(Slot::Attribution { source, .. }) => Some(any_name_key(source)),
            Some(Slot::Quote {
                speaker: Some(speaker),
                ..
            }) => Some(any_name_key(speaker)),
            _ => None,
        })
        .collect();
    entity_changes.retain(|c| {
        let mut names = [&c.from, &c.to]
            .into_iter()
            .flatten()
            .flat_map(|s| match s {
                Slot::Entity {
                    canonical, text, ..
                } => vec![any_name_key(canonical), any_name_key(text)],
                _ => Vec::new(),
            });
        c.kind == "replaced"
            || !names.any(|n| !n.is_empty() && named.iter().any(|m| m.contains(&n)))
    });
    changes.extend(entity_changes);
    diff_polarity(
        &of_type(from, "polarity"),
        &of_type(to, "polarity"),
        &mut changes,
    );
    changes
}

pub(super) fn of_type<'a>(slots: &'a [Slot], name: &str) -> Vec<&'a Slot> {
    slots.iter().filter(|s| s.type_name() == name).collect()
}

pub(super) fn change(
    slot: &'static str,
    kind: &'static str,
    from: Option<&Slot>,
    to: Option<&Slot>,
) -> SlotChange {
    SlotChange {
        slot,
        kind,
        from: from.cloned(),
        to: to.cloned(),
    }
}

pub(super) fn date_key(slot: &Slot) -> String {
    match slot {
        Slot::Date { value, .. } => value.clone(),
        _ => String::new(),
    }
}

fn attribution_key(slot: &Slot) -> String {
    match slot {
        Slot::Attribution { source, .. } => any_name_key(source),
        _ => String::new(),
    }
}

/// [`name_key`] for Arabic names; names in Latin script fall back to the
/// match key (the skeleton keeps Arabic letters only).
fn any_name_key(name: &str) -> String {
    let key = name_key(name);
    if key.is_empty() {
        match_key(name).trim().to_string()
    } else {
        key
    }
}

fn anonymous(slot: &Slot) -> bool {
    matches!(
        slot,
        Slot::Attribution {
            anonymous: true,
            ..
        }
    )
}

/// Slots equal under `key` cancel out; the rest pair in order (`kind` names
/// the change) and the leftovers are added or removed.
fn diff_by_key(
    from: &[&Slot],
    to: &[&Slot],
    key: fn(&Slot) -> String,
    kind: fn(&Slot, &Slot) -> &'static str,
    out: &mut Vec<SlotChange>,
) {
    let mut to_left: Vec<&Slot> = to.to_vec();
    let mut from_left = Vec::new();
    for a in from {
        match to_left.iter().position(|b| key(b) == key(a)) {
            Some(j) => {
                to_left.remove(j);
            }
            None => from_left.push(*a),
        }
    }
    let name = from.first().or(to.first()).map_or("", |s| s.type_name());
    let n = from_left.len().min(to_left.len());
    for (a, b) in from_left.iter().zip(&to_left) {
        out.push(change(name, kind(a, b), Some(a), Some(b)));
    }
    out.extend(
        from_left[n..]
            .iter()
            .map(|s| change(name, "removed", Some(s), None)),
    );
    out.extend(
        to_left[n..]
            .iter()
            .map(|s| change(name, "added", None, Some(s))),
    );
}

fn quote_text(slot: &Slot) -> (String, Option<String>) {
    match slot {
        Slot::Quote { text, speaker } => (
            words(&match_key(text)).join(" "),
            speaker.as_deref().map(any_name_key),
        ),
        _ => (String::new(), None),
    }
}

fn diff_quotes(from: &[&Slot], to: &[&Slot], out: &mut Vec<SlotChange>) {
    let mut to_left: Vec<&Slot> = to.to_vec();
    let mut from_left = Vec::new();
    for a in from {
        let (ta, sa) = quote_text(a);
        match to_left.iter().position(|b| quote_text(b).0 == ta) {
            Some(j) => {
                let (_, sb) = quote_text(to_left[j]);
                if sa.is_some() && sb.is_some() && sa != sb {
                    out.push(change("quote", "speaker", Some(a), Some(to_left[j])));
                }
                to_left.remove(j);
            }
            None => from_left.push(*a),
        }
    }
    // An edited quote: the most similar remaining quote on the other side.
    let mut unmatched_from = Vec::new();
    for a in from_left {
        let ta = quote_text(a).0;
        let best = to_left
            .iter()
            .enumerate()
            .map(|(j, b)| (j, dice(&words(&ta), &words(&quote_text(b).0))))
            .filter(|(_, s)| *s >= 0.3)
            .max_by(|x, y| x.1.total_cmp(&y.1));
        match best {
            Some((j, _)) => {
                out.push(change("quote", "edited", Some(a), Some(to_left[j])));
                to_left.remove(j);
            }
            None => unmatched_from.push(a),
        }
    }
    out.extend(
        unmatched_from
            .into_iter()
            .map(|s| change("quote", "removed", Some(s), None)),
    );
    out.extend(
        to_left
            .into_iter()
            .map(|s| change("quote", "added", None, Some(s))),
    );
}

pub(super) fn entity_parts(slot: &Slot) -> Option<(&str, crate::claims::EntityKind)> {
    match slot {
        Slot::Entity {
            canonical, kind, ..
        } => Some((canonical.as_str(), *kind)),
        _ => None,
    }
}

pub(super) fn diff_entities(from: &[&Slot], to: &[&Slot], out: &mut Vec<SlotChange>) {
    let names = |slots: &[&Slot]| -> HashSet<String> {
        slots
            .iter()
            .filter_map(|s| entity_parts(s))
            .map(|(c, _)| c.to_string())
            .collect()
    };
    let (a, b) = (names(from), names(to));
    // One slot per entity: the first mention.
    let first = |slots: &[&Slot], name: &str| -> Option<Slot> {
        slots
            .iter()
            .find(|s| entity_parts(s).is_some_and(|(c, _)| c == name))
            .map(|s| (*s).clone())
    };
    let mut removed: Vec<Slot> = from
        .iter()
        .filter_map(|s| entity_parts(s))
        .map(|(c, _)| c)
        .filter(|c| !b.contains(*c))
        .collect::<Vec<_>>()
        .into_iter()
        .fold(Vec::<&str>::new(), |mut acc, c| {
            if !acc.contains(&c) {
                acc.push(c);
            }
            acc
        })
        .into_iter()
        .filter_map(|c| first(from, c))
        .collect();
    let mut added: Vec<Slot> = to
        .iter()
        .filter_map(|s| entity_parts(s))
        .map(|(c, _)| c)
        .filter(|c| !a.contains(*c))
        .fold(Vec::<&str>::new(), |mut acc, c| {
            if !acc.contains(&c) {
                acc.push(c);
            }
            acc
        })
        .into_iter()
        .filter_map(|c| first(to, c))
        .collect();
    // A removed and an added entity of the same kind: a swap.
    let mut i = 0;
    while i < removed.len() {
        let kind = entity_parts(&removed[i]).map(|(_, k)| k);
        match added
            .iter()
            .position(|s| entity_parts(s).map(|(_, k)| k) == kind)
        {
            Some(j) => {
                let (r, a) = (removed.remove(i), added.remove(j));
                out.push(SlotChange {
                    slot: "entity",
                    kind: "replaced",
                    from: Some(r),
                    to: Some(a),
                });
            }
            None => i += 1,
        }
    }
    out.extend(removed.into_iter().map(|s| SlotChange {
        slot: "entity",
        kind: "removed",
        from: Some(s),
        to: None,
    }));
    out.extend(added.into_iter().map(|s| SlotChange {
        slot: "entity",
        kind: "added",
        from: None,
        to: Some(s),
    }));
}

fn diff_polarity(from: &[&Slot], to: &[&Slot], out: &mut Vec<SlotChange>) {
    match (from.first(), to.first()) {
        (None, Some(b)) => out.push(change("polarity", "negated", None, Some(b))),
        (Some(a), None) => out.push(change("polarity", "affirmed", Some(a), None)),
        _ => {}
    }
}

fn dice(a: &[String], b: &[String]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let sa: HashSet<&String> = a.iter().collect();
    let sb: HashSet<&String> = b.iter().collect();
    2.0 * sa.intersection(&sb).count() as f32 / (sa.len() + sb.len()) as f32
}
