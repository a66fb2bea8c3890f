//! Which events are worth an alert: `notify_on`, `min_change` and
//! `only_added`, per source or in `[defaults]`. Pure functions over an
//! [`Event`]: rules choose alerts, never what is stored.

use crate::claims::Slot;
use crate::claims::compare::{ClaimChange, SlotChange, Status};
use crate::diff::{Op, WordOp};
use crate::store::sources::Edit;
use crate::watch::events::{Event, EventKind};

/// One value of `notify_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// A claim changed a value, or a claim was added or removed (the default).
    Claims,
    Quantity,
    Date,
    Quote,
    Attribution,
    Entity,
    Polarity,
    /// The headline changed (beyond spelling).
    Headline,
    /// Sentences or claims were added.
    Added,
    /// Sentences or claims were removed.
    Removed,
    /// Any change at all, spelling-only and order-only versions included.
    Text,
    /// A version that only changed spelling.
    Orthographic,
    /// A version that only changed the order of sentences.
    Moved,
    /// A claim said again in other words, no value changed.
    Reworded,
}

impl Trigger {
    pub const ALL: [Trigger; 14] = [
        Trigger::Claims,
        Trigger::Quantity,
        Trigger::Date,
        Trigger::Quote,
        Trigger::Attribution,
        Trigger::Entity,
        Trigger::Polarity,
        Trigger::Headline,
        Trigger::Added,
        Trigger::Removed,
        Trigger::Text,
        Trigger::Orthographic,
        Trigger::Moved,
        Trigger::Reworded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Claims => "claims",
            Trigger::Quantity => "quantity",
            Trigger::Date => "date",
            Trigger::Quote => "quote",
            Trigger::Attribution => "attribution",
            Trigger::Entity => "entity",
            Trigger::Polarity => "polarity",
            Trigger::Headline => "headline",
            Trigger::Added => "added",
            Trigger::Removed => "removed",
            Trigger::Text => "text",
            Trigger::Orthographic => "orthographic",
            Trigger::Moved => "moved",
            Trigger::Reworded => "reworded",
        }
    }

    pub fn parse(s: &str) -> Option<Trigger> {
        Trigger::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }

    /// The claim slot this trigger watches, if it is one.
    fn slot(self) -> Option<&'static str> {
        match self {
            Trigger::Quantity => Some("quantity"),
            Trigger::Date => Some("date"),
            Trigger::Quote => Some("quote"),
            Trigger::Attribution => Some("attribution"),
            Trigger::Entity => Some("entity"),
            Trigger::Polarity => Some("polarity"),
            _ => None,
        }
    }
}

/// The alert rules of one source.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    /// Any of these makes an event an alert.
    pub on: Vec<Trigger>,
    /// A quantity that moved by less than this fraction of its old value
    /// (`min_change = "10%"`: 0.1) is not a change worth an alert.
    pub min_change: Option<f64>,
    /// Removals alone are not worth an alert, and alerts leave them out.
    pub only_added: bool,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            on: vec![Trigger::Claims],
            min_change: None,
            only_added: false,
        }
    }
}

impl Rules {
    /// Whether a version that only changed spelling or order can alert:
    /// the pass then builds its event even without `minor_edits`.
    pub fn wants_minor(&self) -> bool {
        self.on
            .iter()
            .any(|t| matches!(t, Trigger::Text | Trigger::Orthographic | Trigger::Moved))
    }

    /// Whether `event` is worth an alert under these rules.
    pub fn worth_alert(&self, event: &Event) -> bool {
        // A new article is an event only when the sources file asked for
        // them (`new_articles = true`): that is the request for an alert.
        if event.kind == EventKind::NewArticle {
            return true;
        }
        match event.edit {
            Some(Edit::Orthographic) => {
                return self.has(Trigger::Orthographic) || self.has(Trigger::Text);
            }
            Some(Edit::Moved) => return self.has(Trigger::Moved) || self.has(Trigger::Text),
            Some(Edit::Text) | None => {}
        }
        self.on.iter().any(|&t| self.fires(t, event))
    }

    fn has(&self, t: Trigger) -> bool {
        self.on.contains(&t)
    }

    fn fires(&self, t: Trigger, e: &Event) -> bool {
        let rows = || self.claim_rows(e);
        match t {
            Trigger::Claims => rows().any(|c| match c.status {
                Status::Added | Status::Removed => true,
                Status::Changed => c.changes.is_empty() || self.significant(c).next().is_some(),
                _ => false,
            }),
            Trigger::Quantity
            | Trigger::Date
            | Trigger::Quote
            | Trigger::Attribution
            | Trigger::Entity
            | Trigger::Polarity => {
                let slot = t.slot().unwrap_or_default();
                let holds = |side: &Option<crate::claims::compare::ClaimSide>| {
                    side.as_ref()
                        .is_some_and(|s| s.slots.iter().any(|x| x.type_name() == slot))
                };
                rows().any(|c| match c.status {
                    Status::Changed => self.significant(c).any(|ch| ch.slot == slot),
                    Status::Added => holds(&c.to),
                    Status::Removed => holds(&c.from),
                    _ => false,
                })
            }
            Trigger::Headline => e
                .title_change
                .as_ref()
                .is_some_and(|t| !t.orthographic_only),
            Trigger::Added => {
                e.counts.is_some_and(|c| c.added > 0) || rows().any(|c| c.status == Status::Added)
            }
            Trigger::Removed => {
                !self.only_added
                    && (e.counts.is_some_and(|c| c.removed > 0)
                        || rows().any(|c| c.status == Status::Removed))
            }
            Trigger::Text => !self.only_added || adds_something(e),
            Trigger::Reworded => rows().any(|c| c.status == Status::Reworded),
            // Versions that changed only these were decided above.
            Trigger::Orthographic | Trigger::Moved => false,
        }
    }

    /// The claim rows the rules look at (and an alert shows).
    pub fn claim_rows<'e>(&self, e: &'e Event) -> impl Iterator<Item = &'e ClaimChange> + 'e {
        let only_added = self.only_added;
        e.claims
            .iter()
            .filter(move |c| !(only_added && c.status == Status::Removed))
    }

    /// The slot changes of a row that pass `min_change`.
    fn significant<'c>(&self, c: &'c ClaimChange) -> impl Iterator<Item = &'c SlotChange> + 'c {
        let min = self.min_change;
        c.changes
            .iter()
            .filter(move |ch| min.is_none_or(|m| !below(ch, m)))
    }
}

/// Whether a quantity change moved the value by less than `min` (a
/// fraction) of the old value. Other slots, and quantities without two
/// values, are never below.
fn below(ch: &SlotChange, min: f64) -> bool {
    match (&ch.from, &ch.to) {
        (Some(Slot::Quantity { value: a, .. }), Some(Slot::Quantity { value: b, .. })) => {
            if *a == 0.0 {
                return *b == 0.0;
            }
            ((b - a) / a).abs() < min
        }
        _ => false,
    }
}

/// Whether a change adds anything: sentences added, split or merged, words
/// inserted, a claim added or changed, a new headline.
fn adds_something(e: &Event) -> bool {
    e.counts
        .is_some_and(|c| c.added > 0 || c.split > 0 || c.merged > 0)
        || e.sentences
            .iter()
            .any(|r| r.op == Op::Added || r.words.iter().any(|w| w.op == WordOp::Insert))
        || e.claims
            .iter()
            .any(|c| matches!(c.status, Status::Added | Status::Changed))
        || e.title_change.is_some()
}

/// Parse `min_change`: a percentage (`"10%"`, `"2.5 %"`) as a fraction.
pub fn parse_min_change(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let number = t
        .strip_suffix('%')
        .ok_or_else(|| format!("min_change {t:?} must be a percentage, e.g. \"10%\""))?;
    match number.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v / 100.0),
        _ => Err(format!(
            "min_change {t:?} must be a percentage, e.g. \"10%\""
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::compare::ClaimSide;
    use crate::claims::{Qualifier, QuantityKind};
    use crate::diff::Counts;

    fn quantity(v: f64) -> Slot {
        Slot::Quantity {
            text: format!("{v} جندي"),
            value: v,
            upper: None,
            unit: Some("جندي".into()),
            unit_key: None,
            qualifier: Qualifier::Exact,
            kind: QuantityKind::Count,
        }
    }

    fn side(slots: Vec<Slot>) -> Option<ClaimSide> {
        Some(ClaimSide {
            sentence: 0,
            text: "…".into(),
            slots,
        })
    }

    fn changed(slot: &'static str, from: Slot, to: Slot) -> ClaimChange {
        ClaimChange {
            status: Status::Changed,
            from: side(vec![from.clone()]),
            to: side(vec![to.clone()]),
            changes: vec![SlotChange {
                slot,
                kind: "update",
                from: Some(from),
                to: Some(to),
            }],
            similarity: None,
            confidence: None,
        }
    }

    fn event(edit: Edit, claims: Vec<ClaimChange>, counts: Counts) -> Event {
        Event {
            id: "e".into(),
            at: "2025-12-27T10:00:00Z".into(),
            source: "s".into(),
            key: "k".into(),
            url: None,
            kind: EventKind::NewVersion,
            version: 2,
            previous: Some(1),
            counts: Some(counts),
            title: None,
            title_change: None,
            summary: String::new(),
            claims,
            sentences: Vec::new(),
            edit: Some(edit),
        }
    }

    fn rules(on: &[Trigger]) -> Rules {
        Rules {
            on: on.to_vec(),
            ..Rules::default()
        }
    }

    fn edited() -> Counts {
        Counts {
            edited: 1,
            ..Counts::default()
        }
    }

    #[test]
    fn spelling_only_and_order_only_never_alert_unless_asked() {
        for edit in [Edit::Orthographic, Edit::Moved] {
            let e = event(edit, Vec::new(), Counts::default());
            assert!(!Rules::default().worth_alert(&e));
            assert!(!rules(&[Trigger::Claims, Trigger::Headline, Trigger::Added]).worth_alert(&e));
            assert!(rules(&[Trigger::Text]).worth_alert(&e));
        }
        let e = event(Edit::Orthographic, Vec::new(), Counts::default());
        assert!(rules(&[Trigger::Orthographic]).worth_alert(&e));
        assert!(!rules(&[Trigger::Moved]).worth_alert(&e));
    }

    #[test]
    fn reworded_only_alerts_only_when_asked() {
        let mut row = changed("quantity", quantity(9.0), quantity(9.0));
        row.status = Status::Reworded;
        row.changes.clear();
        let e = event(Edit::Text, vec![row], edited());
        assert!(!Rules::default().worth_alert(&e));
        assert!(rules(&[Trigger::Reworded]).worth_alert(&e));
        assert!(rules(&[Trigger::Text]).worth_alert(&e));
    }

    #[test]
    fn quantities_and_min_change() {
        let e = event(
            Edit::Text,
            vec![changed("quantity", quantity(9.0), quantity(11.0))],
            edited(),
        );
        assert!(rules(&[Trigger::Quantity]).worth_alert(&e));
        assert!(Rules::default().worth_alert(&e));
        assert!(!rules(&[Trigger::Date]).worth_alert(&e));
        let small = event(
            Edit::Text,
            vec![changed("quantity", quantity(100.0), quantity(105.0))],
            edited(),
        );
        let ten = Rules {
            on: vec![Trigger::Quantity, Trigger::Claims],
            min_change: Some(0.10),
            only_added: false,
        };
        assert!(!ten.worth_alert(&small));
        assert!(ten.worth_alert(&e), "9 → 11 is 22 %");
        // Exactly the threshold alerts.
        let exact = event(
            Edit::Text,
            vec![changed("quantity", quantity(100.0), quantity(110.0))],
            edited(),
        );
        assert!(ten.worth_alert(&exact));
        // min_change is about quantities: another slot in the row still counts.
        let mut both = changed("quantity", quantity(100.0), quantity(105.0));
        both.changes.push(SlotChange {
            slot: "date",
            kind: "update",
            from: None,
            to: None,
        });
        let e = event(Edit::Text, vec![both], edited());
        assert!(ten.worth_alert(&e));
        assert!(
            !Rules {
                on: vec![Trigger::Quantity],
                ..ten.clone()
            }
            .worth_alert(&e)
        );
    }

    #[test]
    fn added_removed_and_only_added() {
        let removed = ClaimChange {
            status: Status::Removed,
            from: side(vec![quantity(3.0)]),
            to: None,
            changes: Vec::new(),
            similarity: None,
            confidence: None,
        };
        let counts = Counts {
            removed: 1,
            ..Counts::default()
        };
        let e = event(Edit::Text, vec![removed], counts);
        assert!(Rules::default().worth_alert(&e));
        assert!(rules(&[Trigger::Removed]).worth_alert(&e));
        assert!(rules(&[Trigger::Quantity]).worth_alert(&e));
        assert!(!rules(&[Trigger::Added]).worth_alert(&e));
        let only = |on: &[Trigger]| Rules {
            on: on.to_vec(),
            min_change: None,
            only_added: true,
        };
        for on in [
            &[Trigger::Claims][..],
            &[Trigger::Removed],
            &[Trigger::Text],
            &[Trigger::Quantity],
        ] {
            assert!(!only(on).worth_alert(&e), "{on:?}");
        }
        let added = Counts {
            added: 1,
            ..Counts::default()
        };
        let e = event(Edit::Text, Vec::new(), added);
        assert!(only(&[Trigger::Text]).worth_alert(&e));
        assert!(only(&[Trigger::Added]).worth_alert(&e));
        assert!(!Rules::default().worth_alert(&e), "no claim changed");
    }

    #[test]
    fn triggers_and_min_change_parse() {
        for t in Trigger::ALL {
            assert_eq!(Trigger::parse(t.as_str()), Some(t));
        }
        assert_eq!(Trigger::parse("claim"), None);
        assert_eq!(parse_min_change("10%"), Ok(0.1));
        assert_eq!(parse_min_change(" 2.5 % "), Ok(0.025));
        assert!(parse_min_change("10").is_err());
        assert!(parse_min_change("-1%").is_err());
    }
}
