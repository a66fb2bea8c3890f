//! How two figures compare, in both modes: the parts of a quantity slot that
//! count, when two are the same, how the figures of two claims pair, how one
//! changed into another between versions (`update`, `refinement`, `hedge`),
//! and when two outlets' figures contradict.

use super::SlotChange;
use super::slots::change;
use crate::claims::{Qualifier, QuantityKind, Slot};
use crate::text::normalize::match_key;

/// The parts of a quantity that are compared.
#[derive(Clone)]
pub(super) struct Q {
    pub(super) value: f64,
    upper: Option<f64>,
    qualifier: Qualifier,
    pub(super) kind: QuantityKind,
    pub(super) unit: Option<String>,
    /// A dual noun standing alone (`البلدين`): "the two countries" refers
    /// back more often than it reports a figure.
    pub(super) dual_alone: bool,
}

pub(super) fn quantity(slot: &Slot) -> Option<Q> {
    match slot {
        Slot::Quantity {
            value,
            upper,
            qualifier,
            kind,
            unit_key,
            unit,
            text,
        } => Some(Q {
            dual_alone: *value == 2.0
                && !text.trim().contains(char::is_whitespace)
                && !text.chars().any(|c| c.is_numeric()),
            value: *value,
            upper: *upper,
            qualifier: *qualifier,
            kind: *kind,
            unit: unit_key.clone().or_else(|| unit.as_deref().map(match_key)),
        }),
        _ => None,
    }
}

pub(super) fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

pub(super) fn same_quantity(a: &Q, b: &Q) -> bool {
    close(a.value, b.value)
        && a.qualifier == b.qualifier
        && match (a.upper, b.upper) {
            (Some(x), Some(y)) => close(x, y),
            (None, None) => true,
            _ => false,
        }
}

/// Whether exact value `v` satisfies bound `b` (at least 9 → 11 does).
fn satisfies(bound: &Q, v: f64) -> bool {
    match bound.qualifier {
        Qualifier::MoreThan => v > bound.value,
        Qualifier::AtLeast => v >= bound.value,
        Qualifier::LessThan => v < bound.value,
        Qualifier::AtMost => v <= bound.value,
        Qualifier::About => (v - bound.value).abs() <= 0.2 * bound.value.abs(),
        Qualifier::Range => v >= bound.value && bound.upper.is_none_or(|u| v <= u),
        Qualifier::Exact => close(v, bound.value),
    }
}

/// A rule for pairing two quantities.
type QuantityMatch<'r> = &'r dyn Fn(&Q, &Q) -> bool;

/// Pair quantities: same kind and unit first, then same kind, in text order.
pub(super) fn pair_quantities<'a>(
    from: &[&'a Slot],
    to: &[&'a Slot],
) -> (Vec<(&'a Slot, &'a Slot)>, Vec<&'a Slot>, Vec<&'a Slot>) {
    let qa: Vec<Q> = from.iter().filter_map(|s| quantity(s)).collect();
    let qb: Vec<Q> = to.iter().filter_map(|s| quantity(s)).collect();
    let mut used_a = vec![false; from.len()];
    let mut used_b = vec![false; to.len()];
    let mut pairs = Vec::new();
    // Equal quantities pair first, so an unchanged number never absorbs a changed one.
    let passes: [QuantityMatch; 3] = [
        &|a, b| same_quantity(a, b) && a.kind == b.kind && a.unit == b.unit,
        &|a, b| a.kind == b.kind && a.unit.is_some() && a.unit == b.unit,
        &|a, b| a.kind == b.kind && (a.unit.is_none() || b.unit.is_none()),
    ];
    for pass in passes {
        for i in 0..from.len() {
            if used_a[i] {
                continue;
            }
            if let Some(j) = (0..to.len()).find(|&j| !used_b[j] && pass(&qa[i], &qb[j])) {
                used_a[i] = true;
                used_b[j] = true;
                pairs.push((from[i], to[j]));
            }
        }
    }
    let left_a = from
        .iter()
        .zip(&used_a)
        .filter(|(_, u)| !**u)
        .map(|(s, _)| *s)
        .collect();
    let left_b = to
        .iter()
        .zip(&used_b)
        .filter(|(_, u)| !**u)
        .map(|(s, _)| *s)
        .collect();
    (pairs, left_a, left_b)
}

pub(super) fn diff_quantities(from: &[&Slot], to: &[&Slot], out: &mut Vec<SlotChange>) {
    let (pairs, removed, added) = pair_quantities(from, to);
    for (a, b) in pairs {
        let (Some(qa), Some(qb)) = (quantity(a), quantity(b)) else {
            continue;
        };
        if same_quantity(&qa, &qb) {
            continue;
        }
        let kind = if close(qa.value, qb.value) && qa.upper.is_none() && qb.upper.is_none() {
            "hedge"
        } else if qa.qualifier != Qualifier::Exact
            && qb.qualifier == Qualifier::Exact
            && satisfies(&qa, qb.value)
        {
            "refinement"
        } else {
            "update"
        };
        out.push(change("quantity", kind, Some(a), Some(b)));
    }
    out.extend(
        removed
            .into_iter()
            .map(|s| change("quantity", "removed", Some(s), None)),
    );
    out.extend(
        added
            .into_iter()
            .map(|s| change("quantity", "added", None, Some(s))),
    );
}

/// Two outlets' figures for the same counted thing contradict unless they are
/// equal, or one is a bound the other meets within a factor of two (`more
/// than 10,000` and `12,000` agree; `at least 9` and `about 2,000` do not).
pub(super) fn quantities_conflict(a: &Q, b: &Q) -> bool {
    if a.kind != b.kind || close(a.value, b.value) {
        return false;
    }
    let near = |x: f64, y: f64| {
        let (lo, hi) = if x.abs() < y.abs() {
            (x.abs(), y.abs())
        } else {
            (y.abs(), x.abs())
        };
        lo > 0.0 && hi / lo <= 2.0
    };
    let agrees = |bound: &Q, other: &Q| {
        bound.qualifier != Qualifier::Exact
            && satisfies(bound, other.value)
            && near(bound.value, other.value)
    };
    !(agrees(a, b) || agrees(b, a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::compare::diff_slots;

    fn q(value: f64, qualifier: Qualifier, unit: &str) -> Slot {
        Slot::Quantity {
            text: format!("{value}"),
            value,
            upper: None,
            unit: Some(unit.into()),
            unit_key: Some(unit.into()),
            qualifier,
            kind: QuantityKind::Count,
        }
    }

    fn kinds(from: &[Slot], to: &[Slot]) -> Vec<(&'static str, &'static str)> {
        diff_slots(from, to)
            .iter()
            .map(|c| (c.slot, c.kind))
            .collect()
    }

    #[test]
    fn quantity_change_kinds() {
        assert_eq!(
            kinds(
                &[q(9.0, Qualifier::Exact, "جندي")],
                &[q(11.0, Qualifier::Exact, "جندي")]
            ),
            [("quantity", "update")]
        );
        assert_eq!(
            kinds(
                &[q(9.0, Qualifier::AtLeast, "جندي")],
                &[q(11.0, Qualifier::Exact, "جندي")]
            ),
            [("quantity", "refinement")]
        );
        assert_eq!(
            kinds(
                &[q(2000.0, Qualifier::Exact, "جندي")],
                &[q(2000.0, Qualifier::About, "جندي")]
            ),
            [("quantity", "hedge")]
        );
        assert_eq!(
            kinds(
                &[q(2000.0, Qualifier::About, "جندي")],
                &[q(2000.0, Qualifier::About, "جندي")]
            ),
            []
        );
        assert_eq!(
            kinds(&[], &[q(3.0, Qualifier::Exact, "x")]),
            [("quantity", "added")]
        );
        // An unchanged figure next to a changed one pairs with its twin.
        assert_eq!(
            kinds(
                &[q(5.0, Qualifier::Exact, "a"), q(7.0, Qualifier::Exact, "a")],
                &[q(7.0, Qualifier::Exact, "a"), q(8.0, Qualifier::Exact, "a")]
            ),
            [("quantity", "update")]
        );
    }

    #[test]
    fn figures_conflict_unless_compatible() {
        let b = |v, ql| quantity(&q(v, ql, "جندي")).unwrap();
        assert!(quantities_conflict(
            &b(2000.0, Qualifier::About),
            &b(9.0, Qualifier::AtLeast)
        ));
        assert!(!quantities_conflict(
            &b(10000.0, Qualifier::MoreThan),
            &b(12000.0, Qualifier::Exact)
        ));
        assert!(quantities_conflict(
            &b(10.0, Qualifier::Exact),
            &b(12.0, Qualifier::Exact)
        ));
        assert!(!quantities_conflict(
            &b(12.0, Qualifier::Exact),
            &b(12.0, Qualifier::About)
        ));
    }
}
