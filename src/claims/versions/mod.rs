//! Versions mode precision: which slot changes between two versions of a passage are changes
//! of *value*, and which added or removed units are claims.
//!
//! Slots are read from spans, and spans move when only punctuation or the wording around a
//! value changes: a comma after an attribution ends its source elsewhere, quote marks put
//! around words already there make a quote, "11am" written "11 a.m." becomes a quantity. So a
//! slot change counts only when its value changed in the text itself, as seen on the words of
//! the edited neighbourhood (the row and the changed rows next to it, so a sentence that the
//! alignment splits or merges loosely is seen whole) — a [`Witness`]:
//!
//! * a number: it occurs more often on one side than on the other (digits as written, or the
//!   value a quantity slot reads from words); the same number with another counted noun is a
//!   change only when that noun left the passage and the new one was not in it;
//! * a date, the words of a quote, an attribution's source or a quote's speaker, a negation
//!   cue: one of its words was deleted or inserted by the edit; two sources one of which holds
//!   the other's words, or that carry the same capitalised name, are one source;
//! * a named entity: its words left the passage altogether (or entered it), and no demonym on
//!   the other side names the same country (`American` → `United States`); or the edit
//!   inserted another mention of a name already there (`for Wellington from Nelson` beside
//!   `Nelson Airport`): a new statement about it. A mention dropped while the name stays is
//!   not a change (editors trim repetitions).
//!
//! The words compared fold what is not a value: case, apostrophes and punctuation, a word
//! split or joined (`Keyzilberman` → `Key Zilberman`), a one-letter spelling fix in a long
//! word (`Jamacia` → `Jamaica`).
//!
//! Numbers written in digits that no slot read (`12:43 a.m.` → `00:26 hrs`) still change
//! when they leave or enter the passage.
//!
//! Names the gazetteer does not know (most people, firms and places of English news) are read
//! from capitalisation in Latin script: a run of capitalised words that does not open a
//! sentence. A name that leaves or enters the passage is an entity change, unless it is the
//! other side's acronym or abbreviation (`PM` / `Prime Minister`, `Mar` / `March`).
//!
//! An added or removed unit is a claim when it asserts something ([`asserts`]) and brings
//! words its neighbourhood's other side does not have.
//!
//! The words compared and the digits read are folded in `wording`, the Latin names read in
//! `names`; this file weighs them as witnesses.

use std::collections::HashSet;

use super::compare::SlotChange;
use super::{EntityKind, Slot, demonym};
use crate::text::normalize::match_key;

mod names;
mod wording;

pub(super) use names::name_and_number_words;
use names::*;
use wording::*;
pub(super) use wording::{key_of, words};

/// Shortest abbreviation of a name (`Mar` for `March`).
const ABBREVIATION_MIN: usize = 3;

/// One side of a neighbourhood. Its numbers are read at once; its words and
/// names only when a check asks for them (most edited rows need the numbers
/// only: an edit of a number, or of a word no slot holds, in a text with no
/// Latin names).
struct Side {
    /// The texts as written, for their names.
    texts: Vec<String>,
    /// Their match keys.
    keys: Vec<std::rc::Rc<str>>,
    /// The words in order, and counted.
    words: std::cell::OnceCell<(Vec<String>, Bag)>,
    /// Numbers written in digits.
    digits: Vec<f64>,
    /// Values of the quantity slots (numbers written in words included).
    quantities: Vec<f64>,
    /// Countries named by demonyms (`American`, `الروسية`), of the words:
    /// read when first asked for (few neighbourhoods ask).
    countries: std::cell::OnceCell<HashSet<&'static str>>,
    /// Canonical names of the entity slots.
    entities: HashSet<String>,
    /// Latin names (see the module doc) and acronyms, as match-key words.
    names: std::cell::OnceCell<Vec<Name>>,
}

impl Side {
    fn new(texts: Vec<String>, slots: &[&Slot]) -> Side {
        let keys: Vec<std::rc::Rc<str>> = texts.iter().map(|t| key_of(t)).collect();
        Side {
            texts,
            countries: std::cell::OnceCell::new(),
            words: std::cell::OnceCell::new(),
            digits: keys
                .iter()
                .flat_map(|k| digit_runs_of_key(k))
                .map(|(_, v)| v)
                .collect(),
            keys,
            quantities: slots
                .iter()
                .filter_map(|s| match s {
                    Slot::Quantity { value, .. } => Some(*value),
                    _ => None,
                })
                .collect(),
            entities: slots
                .iter()
                .filter_map(|s| match s {
                    Slot::Entity { canonical, .. } => Some(canonical.clone()),
                    _ => None,
                })
                .collect(),
            names: std::cell::OnceCell::new(),
        }
    }

    /// The words in text order.
    fn word_list(&self) -> &[String] {
        &self.read_words().0
    }

    /// The words, counted.
    fn words(&self) -> &Bag {
        &self.read_words().1
    }

    fn read_words(&self) -> &(Vec<String>, Bag) {
        self.words.get_or_init(|| {
            let all: Vec<String> = self.keys.iter().flat_map(|k| words_of_key(k)).collect();
            let counted = bag(&all);
            (all, counted)
        })
    }

    fn names(&self) -> &[Name] {
        self.names
            .get_or_init(|| self.texts.iter().flat_map(|t| latin_names(t)).collect())
    }

    /// Whether this side names the country a demonym word names (`American` and `United
    /// States`), or uses a demonym of this country.
    fn names_country(&self, country: &str) -> bool {
        self.countries().contains(country) || self.entities.contains(country)
    }

    fn countries(&self) -> &HashSet<&'static str> {
        self.countries.get_or_init(|| {
            self.words()
                .keys()
                .filter_map(|w| demonym::country(w))
                .collect()
        })
    }

    /// How often a number occurs: as written in digits or as read by a quantity slot,
    /// whichever reading finds it more often (extraction misses `11am`, digits miss `two`).
    fn occurrences(&self, v: f64) -> usize {
        let n = |vs: &[f64]| vs.iter().filter(|&&x| close(x, v)).count();
        n(&self.digits).max(n(&self.quantities))
    }

    fn has(&self, w: &str) -> bool {
        count(self.words(), w) > 0
    }
}

/// What the two sides of an edited neighbourhood say, to tell value changes from span
/// changes.
pub(super) struct Witness {
    old: Side,
    new: Side,
    /// Words more often on the old side (after spelling fixes and joins cancel out), and
    /// words more often on the new side: read when first asked for.
    changed: std::cell::OnceCell<(Bag, Bag)>,
}

/// A side of a neighbourhood.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Which {
    Old,
    New,
}

impl Witness {
    pub(super) fn new(
        old_texts: Vec<String>,
        new_texts: Vec<String>,
        old_slots: &[&Slot],
        new_slots: &[&Slot],
    ) -> Witness {
        Witness {
            old: Side::new(old_texts, old_slots),
            new: Side::new(new_texts, new_slots),
            changed: std::cell::OnceCell::new(),
        }
    }

    fn read_changed(&self) -> &(Bag, Bag) {
        self.changed.get_or_init(|| {
            let (old, new) = (&self.old, &self.new);
            let mut deleted = minus(old.words(), new.words());
            let mut inserted = minus(new.words(), old.words());
            cancel_joins(&mut deleted, &mut inserted, new.word_list());
            cancel_joins(&mut inserted, &mut deleted, old.word_list());
            cancel_spelling(&mut deleted, &mut inserted);
            (deleted, inserted)
        })
    }

    /// Words more often on the old side.
    fn deleted(&self) -> &Bag {
        &self.read_changed().0
    }

    /// Words more often on the new side.
    fn inserted(&self) -> &Bag {
        &self.read_changed().1
    }

    fn side(&self, which: Which) -> &Side {
        match which {
            Which::Old => &self.old,
            Which::New => &self.new,
        }
    }

    /// The words side `which` has more of than the other.
    fn changed(&self, which: Which) -> &Bag {
        match which {
            Which::Old => self.deleted(),
            Which::New => self.inserted(),
        }
    }

    /// Whether some of these words (as written on side `which`) left that side: deleted
    /// from the old side or inserted into the new one. `None` when none of them is written
    /// there (a canonical name standing for the text): the change cannot be checked.
    fn moved_words(&self, ws: &[String], which: Which) -> Option<bool> {
        let side = self.side(which);
        let written: Vec<&String> = ws.iter().filter(|w| side.has(w)).collect();
        if written.is_empty() {
            return None;
        }
        Some(written.iter().any(|w| count(self.changed(which), w) > 0))
    }

    /// Whether a name's words left side `which` altogether (the other side has none left):
    /// an entity mentioned once less is still mentioned. `None` as for `moved_words`.
    fn gone(&self, ws: &[String], which: Which) -> Option<bool> {
        let other = self.side(match which {
            Which::Old => Which::New,
            Which::New => Which::Old,
        });
        self.moved_words(ws, which)?;
        Some(
            ws.iter()
                .any(|w| count(self.changed(which), w) > 0 && !other.has(w)),
        )
    }

    /// Keep the slot changes that change a value (see the module doc).
    pub(super) fn value_changes(&self, changes: Vec<SlotChange>) -> Vec<SlotChange> {
        let verdicts: Vec<Option<bool>> = changes.iter().map(|c| self.value_changed(c)).collect();
        // Quantities whose number stayed: a removed and an added one of the same value are
        // the same figure, unless what it counts changed.
        let mut keep: Vec<bool> = verdicts.iter().map(|v| v.unwrap_or(false)).collect();
        for i in 0..changes.len() {
            if verdicts[i].is_some() || changes[i].kind != "removed" {
                continue;
            }
            let Some(v) = changes[i].from.as_ref().and_then(quantity_value) else {
                continue;
            };
            if let Some(j) = (0..changes.len()).find(|&j| {
                verdicts[j].is_none()
                    && !keep[j]
                    && changes[j].kind == "added"
                    && changes[j]
                        .to
                        .as_ref()
                        .and_then(quantity_value)
                        .is_some_and(|w| close(v, w))
            }) && self.unit_changed(changes[i].from.as_ref(), changes[j].to.as_ref())
            {
                keep[i] = true;
                keep[j] = true;
            }
        }
        changes
            .into_iter()
            .zip(keep)
            .filter_map(|(c, k)| k.then_some(c))
            .collect()
    }

    /// `Some(true)`: a value changed; `Some(false)`: only a span; `None`: a quantity added
    /// or removed whose number stayed (its counted noun decides, see `value_changes`).
    fn value_changed(&self, c: &SlotChange) -> Option<bool> {
        let (from, to) = (c.from.as_ref(), c.to.as_ref());
        match c.slot {
            "quantity" => {
                if c.kind == "hedge" {
                    return Some(true);
                }
                let lost = from
                    .and_then(quantity_value)
                    .is_some_and(|v| self.old.occurrences(v) > self.new.occurrences(v));
                let gained = to
                    .and_then(quantity_value)
                    .is_some_and(|v| self.new.occurrences(v) > self.old.occurrences(v));
                if lost || gained {
                    Some(true)
                } else if from.is_some() && to.is_some() {
                    // Two numbers paired, neither changed in count: they swapped places.
                    Some(false)
                } else {
                    None
                }
            }
            "entity" => Some(self.entity_changed(from, to)),
            _ => {
                if let (Some(a), Some(b)) = (from, to)
                    && (c.slot == "attribution" || c.kind == "speaker")
                    && let (Some(x), Some(y)) = (source_of(a, c.slot), source_of(b, c.slot))
                    && same_source(&x, &y)
                {
                    return Some(false);
                }
                let ws = |s: Option<&Slot>| s.map(|s| value_words(s, c.kind));
                let lost = ws(from).map(|w| self.moved_words(&w, Which::Old));
                let gained = ws(to).map(|w| self.moved_words(&w, Which::New));
                // A side that cannot be checked (a canonical name) keeps the change.
                Some(
                    matches!(lost, Some(Some(true) | None))
                        || matches!(gained, Some(Some(true) | None)),
                )
            }
        }
    }

    fn entity_changed(&self, from: Option<&Slot>, to: Option<&Slot>) -> bool {
        let check = |s: Option<&Slot>, which: Which| -> bool {
            let Some(Slot::Entity {
                text, canonical, ..
            }) = s
            else {
                return false;
            };
            let other = self.side(if which == Which::Old {
                Which::New
            } else {
                Which::Old
            });
            if other.names_country(canonical) {
                return false;
            }
            self.gone(&content_words(text), which).unwrap_or(true)
        };
        check(from, Which::Old) || check(to, Which::New)
    }

    /// Whether the noun a number counts changed: the old one left the passage and the new
    /// one was not in it.
    fn unit_changed(&self, from: Option<&Slot>, to: Option<&Slot>) -> bool {
        let unit = |s: Option<&Slot>| match s {
            Some(Slot::Quantity {
                unit: Some(u),
                unit_key,
                ..
            }) => Some((content_words(u), unit_key.clone())),
            _ => None,
        };
        let (Some((a, ka)), Some((b, kb))) = (unit(from), unit(to)) else {
            return false;
        };
        if a.is_empty() || b.is_empty() || (ka.is_some() && ka == kb) {
            return false;
        }
        a.iter()
            .all(|w| count(self.deleted(), w) > 0 && !self.new.has(w))
            && b.iter()
                .all(|w| count(self.inserted(), w) > 0 && !self.old.has(w))
    }

    /// Whether an added (`which` = New) or removed (Old) unit brings words its
    /// neighbourhood's other side does not have: a number or a name, or two content words
    /// making at least half of its own (less is a sentence split off or merged in with a
    /// few words to join it).
    pub(super) fn brings_news(&self, text: &str, which: Which) -> bool {
        let changed = self.changed(which);
        let mut all: Vec<String> = words(text)
            .into_iter()
            .filter(|w| !is_function_word(w))
            .collect();
        all.sort();
        all.dedup();
        let fresh: Vec<&String> = all.iter().filter(|w| count(changed, w) > 0).collect();
        let names: HashSet<String> = latin_names(text)
            .into_iter()
            .flat_map(|n| n.words)
            .collect();
        let content = all.iter().filter(|w| !is_number(w)).count();
        let fresh_content = fresh.iter().filter(|w| !is_number(w)).count();
        fresh.iter().any(|w| is_number(w) || names.contains(*w))
            || (fresh_content >= 2 && 2 * fresh_content >= content)
    }

    /// Whether word `w` of name `name` (on side `which`) left that side (or entered it)
    /// without the other side naming the same thing another way: a demonym of the country
    /// (`American`, `United States`), an abbreviation (`Mar`, `March`; `Ret.`, `retired`), an
    /// acronym and its expansion (`PM`, `Prime Minister`; `HP`, `Hewlett-Packard`).
    fn name_word_moved(&self, w: &str, name: &Name, which: Which) -> bool {
        let (changed, other) = match which {
            Which::Old => (self.deleted(), &self.new),
            Which::New => (self.inserted(), &self.old),
        };
        if count(changed, w) == 0 || other.has(w) {
            return false;
        }
        let abbreviation = |a: &str, b: &str| {
            a.chars().count() >= ABBREVIATION_MIN && b.starts_with(a) && !is_number(b)
        };
        if other
            .words()
            .keys()
            .any(|o| abbreviation(w, o) || abbreviation(o, w))
        {
            return false;
        }
        if demonym::country(w).is_some_and(|c| other.names_country(c))
            || other
                .countries()
                .iter()
                .any(|c| match_key(c) == match_key(&name.text))
        {
            return false;
        }
        // An acronym spelled out on either side (`Hewlett-Packard (HP)`).
        let this = match which {
            Which::Old => &self.old,
            Which::New => &self.new,
        };
        if name.acronyms.iter().any(|a| a == w)
            && other
                .names()
                .iter()
                .chain(this.names())
                .any(|m| m.initials().any(|i| i == w))
        {
            return false;
        }
        // Words the other side writes as an acronym.
        !name.initials_covering(w).any(|i| other.has(&i))
    }

    /// Whether the inserted words name again, in a new place, a name the old side already
    /// had (`departed for Wellington from Nelson` beside `Nelson Airport`): each of its
    /// words is a name on the old side and names more often on the new side (as a name: a
    /// sentence's first word or the same word in lower case does not count). The
    /// other way round, a repeated mention dropped is prose tightened while the name stays,
    /// as for `gone`.
    fn named_again(&self, name: &Name) -> bool {
        let named = |side: &Side, w: &str| {
            side.names()
                .iter()
                .map(|n| n.words.iter().filter(|x| *x == w).count())
                .sum::<usize>()
        };
        !name.words.is_empty()
            && name.words.iter().all(|w| {
                let old = named(&self.old, w);
                old > 0 && named(&self.new, w) > old
            })
    }

    /// Numbers written in digits that left or entered the passage with this row where no
    /// quantity or date slot read them (`12:43 a.m.` → `00:26 hrs`), as quantity changes.
    /// Nothing when a quantity or date change is already reported.
    pub(super) fn number_changes(
        &self,
        from_text: &str,
        to_text: &str,
        reported: &[SlotChange],
    ) -> Vec<SlotChange> {
        if reported
            .iter()
            .any(|c| matches!(c.slot, "quantity" | "date"))
        {
            return Vec::new();
        }
        // Digits with their separators dropped: `30.000` and `30,000` are one number
        // written two ways.
        let digits_only = |t: &str| t.chars().filter(char::is_ascii_digit).collect::<String>();
        let moved = |text: &str, this: &Side, other: &Side, other_text: &str| -> Vec<Slot> {
            let other_digits: Vec<String> = digit_runs(other_text)
                .iter()
                .map(|(t, _)| digits_only(t))
                .collect();
            let mut seen: Vec<f64> = Vec::new();
            digit_runs(text)
                .into_iter()
                .filter(|(t, v)| {
                    let fresh = this.occurrences(*v) > other.occurrences(*v)
                        && !seen.iter().any(|&s| close(s, *v))
                        && !ordinal(text, t)
                        && !other_digits.contains(&digits_only(t));
                    seen.push(*v);
                    fresh
                })
                .map(|(text, value)| Slot::Quantity {
                    text,
                    value,
                    upper: None,
                    unit: None,
                    unit_key: None,
                    qualifier: super::Qualifier::Exact,
                    kind: super::QuantityKind::Number,
                })
                .collect()
        };
        let gone = moved(from_text, &self.old, &self.new, to_text);
        let came = moved(to_text, &self.new, &self.old, from_text);
        let pairs = gone.len().min(came.len());
        let mut out: Vec<SlotChange> = gone
            .iter()
            .zip(&came)
            .map(|(a, b)| SlotChange {
                slot: "quantity",
                kind: "update",
                from: Some(a.clone()),
                to: Some(b.clone()),
            })
            .collect();
        out.extend(gone[pairs..].iter().map(|a| SlotChange {
            slot: "quantity",
            kind: "removed",
            from: Some(a.clone()),
            to: None,
        }));
        out.extend(came[pairs..].iter().map(|b| SlotChange {
            slot: "quantity",
            kind: "added",
            from: None,
            to: Some(b.clone()),
        }));
        out
    }

    /// Latin names that left or entered the passage with this row (see the module doc), as
    /// entity changes; names already reported by `reported` are left out.
    pub(super) fn name_changes(
        &self,
        from_text: &str,
        to_text: &str,
        reported: &[SlotChange],
    ) -> Vec<SlotChange> {
        let already: HashSet<String> = reported
            .iter()
            .flat_map(|c| [&c.from, &c.to])
            .flatten()
            .flat_map(slot_words)
            .collect();
        let moved = |text: &str, which: Which| -> Vec<Name> {
            latin_names(text)
                .into_iter()
                .filter(|n| {
                    !n.words.iter().any(|w| already.contains(w))
                        && (n.words.iter().any(|w| self.name_word_moved(w, n, which))
                            || (which == Which::New && self.named_again(n)))
                })
                .collect()
        };
        let (mut gone, mut came) = (moved(from_text, Which::Old), moved(to_text, Which::New));
        dedup_names(&mut gone);
        dedup_names(&mut came);
        let entity = |n: &Name| Slot::Entity {
            text: n.text.clone(),
            canonical: n.text.clone(),
            kind: EntityKind::Other,
        };
        let mut out = Vec::new();
        let pairs = gone.len().min(came.len());
        for (a, b) in gone.iter().zip(&came) {
            out.push(SlotChange {
                slot: "entity",
                kind: "replaced",
                from: Some(entity(a)),
                to: Some(entity(b)),
            });
        }
        out.extend(gone[pairs..].iter().map(|n| SlotChange {
            slot: "entity",
            kind: "removed",
            from: Some(entity(n)),
            to: None,
        }));
        out.extend(came[pairs..].iter().map(|n| SlotChange {
            slot: "entity",
            kind: "added",
            from: None,
            to: Some(entity(n)),
        }));
        out
    }
}

fn quantity_value(s: &Slot) -> Option<f64> {
    match s {
        Slot::Quantity { value, .. } => Some(*value),
        _ => None,
    }
}

/// Who a source or speaker is, for [`same_source`].
fn source_of(s: &Slot, slot: &str) -> Option<String> {
    match (slot, s) {
        ("attribution", Slot::Attribution { source, .. }) => Some(source.clone()),
        (
            "quote",
            Slot::Quote {
                speaker: Some(speaker),
                ..
            },
        ) => Some(speaker.clone()),
        _ => None,
    }
}

/// The words that make a slot's value.
fn value_words(s: &Slot, kind: &str) -> Vec<String> {
    match s {
        Slot::Quote {
            speaker: Some(sp), ..
        } if kind == "speaker" => content_words(sp),
        // A negation inside a quote is a polarity slot of its own.
        Slot::Quote { text, .. } => content_words(text),
        Slot::Attribution { source, .. } => content_words(source),
        Slot::Date { text, .. } => words(text)
            .into_iter()
            .filter(|w| !is_stopword(w))
            .collect(),
        Slot::Polarity { text, .. } => words(text),
        Slot::Entity { text, .. } => content_words(text),
        Slot::Quantity { text, .. } => words(text),
    }
}

fn slot_words(s: &Slot) -> Vec<String> {
    match s {
        Slot::Entity { text, .. } => content_words(text),
        Slot::Attribution { source, .. } => content_words(source),
        Slot::Quote {
            speaker: Some(sp), ..
        } => content_words(sp),
        _ => Vec::new(),
    }
}

/// Two sources are one when one holds the other's words (`a spokesperson for X` /
/// `however a spokesperson for X`), or when both carry the same capitalised name.
fn same_source(a: &str, b: &str) -> bool {
    let (wa, wb): (HashSet<String>, HashSet<String>) = (
        content_words(a).into_iter().collect(),
        content_words(b).into_iter().collect(),
    );
    if !wa.is_empty() && !wb.is_empty() && (wa.is_subset(&wb) || wb.is_subset(&wa)) {
        return true;
    }
    let joined = |s: &str| -> String {
        latin_names(&format!(", {s}"))
            .into_iter()
            .flat_map(|n| n.words)
            .collect()
    };
    let (na, nb) = (joined(a), joined(b));
    !na.is_empty() && na == nb
}

/// Sentence ends, closing quotes and brackets after them allowed.
fn ends_as_sentence(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(['"', '\'', '”', '’', '»', ')', ']'])
        .ends_with(['.', '!', '?', '؟', '…'])
}

/// A Latin-script line of capitalised words that does not end like a sentence: a credit, a
/// byline, a title-case label (`Photo: AFP via Getty Images`, `Updated 9:41 AM`).
fn label_like(text: &str) -> bool {
    if ends_as_sentence(text) {
        return false;
    }
    let mut latin = 0;
    let mut lower = 0;
    for w in text.split(|c: char| !(is_word_char(c) || is_apostrophe(c))) {
        let Some(first) = w.chars().next() else {
            continue;
        };
        if !first.is_alphabetic() || is_stopword(&latin_key(w)) {
            continue;
        }
        if !first.is_ascii_alphabetic() {
            return false;
        }
        latin += 1;
        lower += usize::from(first.is_ascii_lowercase());
    }
    latin > 0 && lower <= 1
}

/// Whether a unit asserts something, rather than being a label or page furniture (`8 mins
/// read`, `5 comments`, `Updated 9:41 AM`, `Photo: AFP via Getty Images`): four content
/// words, or two in a unit that ends like a sentence (`He resigned.`), and not a
/// [`label_like`] line. Without a parser a finite verb cannot be told from a noun in both
/// scripts; the count of content words is what separates a statement from a label.
pub fn asserts(text: &str) -> bool {
    if label_like(text) {
        return false;
    }
    let content = content_words(text).len();
    content >= 4 || (ends_as_sentence(text) && content >= 2)
}

/// Whether a unit can hold a claim at all: it [`asserts`] something, or it names someone
/// or something (an entity, a source, a quote, a negation) outside a label. Only figures
/// and dates in a few words (`8 mins read`, `5 comments`, a dateline) are furniture.
pub(super) fn claim_unit(text: &str, slots: &[Slot]) -> bool {
    // The slots first: reading them is cheaper than reading the words.
    (slots
        .iter()
        .any(|s| !matches!(s, Slot::Quantity { .. } | Slot::Date { .. }))
        && !label_like(text))
        || asserts(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn witness(a: &str, b: &str) -> Witness {
        let slots =
            |t: &str| super::super::sentence_slots(t, None, super::super::Gazetteer::builtin());
        let (sa, sb) = (slots(a), slots(b));
        let (ra, rb): (Vec<&Slot>, Vec<&Slot>) = (sa.iter().collect(), sb.iter().collect());
        Witness::new(vec![a.to_string()], vec![b.to_string()], &ra, &rb)
    }

    #[test]
    fn words_fold_case_apostrophes_and_conjunctions() {
        assert_eq!(words("Bilbrey's coach"), ["bilbreys", "coach"]);
        assert_eq!(words("وروسيا"), ["روسيا"]);
    }

    #[test]
    fn spelling_fixes_and_joins_are_no_word_change() {
        let w = witness(
            "Jamacia and Naty Keyzilberman",
            "Jamaica and Naty Key Zilberman",
        );
        assert!(w.deleted().is_empty(), "{:?}", w.deleted());
        assert!(w.inserted().is_empty(), "{:?}", w.inserted());
        // Short words are not read as misspellings of each other.
        let w = witness("Iran said", "Iraq said");
        assert_eq!(count(w.deleted(), "iran"), 1);
    }

    /// `words_of_key` as first written: a char at a time.
    fn words_of_key_reference(key: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = String::new();
        for c in key.chars().chain(std::iter::once(' ')) {
            if is_apostrophe(c) {
                continue;
            }
            if is_word_char(c) {
                cur.push(c);
            } else if !cur.is_empty() {
                let w = std::mem::take(&mut cur);
                let mut chars = w.chars();
                out.push(match chars.next() {
                    Some('و' | 'ف') if w.chars().count() >= 4 => chars.as_str().to_string(),
                    _ => w,
                });
            }
        }
        out
    }

    /// `digit_runs_of_key` as first written: over a vector of chars.
    fn digit_runs_reference(key: &str) -> Vec<(String, f64)> {
        let mut out = Vec::new();
        let chars: Vec<char> = key.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if !chars[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let mut run = String::new();
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (matches!(chars[i], ',' | '.' | '٫' | '٬')
                        && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())))
            {
                run.push(chars[i]);
                i += 1;
            }
            if let Some(v) = parse_digits(&run) {
                out.push((run, v));
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn words_and_digit_runs_read_as_first_written(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    "[ \n.,'’ʼ‘`٫٬:-]{1,3}",
                    "[a-zA-Z0-9وفبلاسمنع٠-٩ًé]{1,6}",
                    "\\PC{1,4}",
                ],
                0..12,
            )
        ) {
            let text: String = parts.concat();
            for key in [text.clone(), match_key(&text)] {
                proptest::prop_assert_eq!(words_of_key(&key), words_of_key_reference(&key));
                let (got, want) = (digit_runs_of_key(&key), digit_runs_reference(&key));
                proptest::prop_assert_eq!(got.len(), want.len());
                for ((a, x), (b, y)) in got.iter().zip(&want) {
                    proptest::prop_assert_eq!(a, b);
                    proptest::prop_assert!(x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()));
                }
            }
        }
    }

    #[test]
    fn numbers_as_written() {
        assert_eq!(
            digit_numbers("15,000 and 8.5 at 3:30"),
            [15000.0, 8.5, 3.0, 30.0]
        );
        assert_eq!(digit_numbers("before 11am"), [11.0]);
    }

    #[test]
    fn furniture_and_labels_assert_nothing() {
        for s in [
            "8 mins read",
            "5 comments",
            "1.2K shares",
            "Updated 9:41 AM",
            "Photo: AFP via Getty Images",
            "ديسمبر 25, 2025",
            "8 دقائق للقراءة",
            "تصوير: رويترز",
        ] {
            assert!(!asserts(s), "{s}");
        }
        for s in [
            "التجارب الصاروخية زيادة ملحوظة لتحسين القدرات وتصدير الأسلحة.",
            "He resigned.",
            "The river burst its banks and flooded the town",
            "استقال الوزير.",
        ] {
            assert!(asserts(s), "{s}");
        }
    }

    #[test]
    fn latin_names_skip_sentence_openers() {
        let names: Vec<Vec<String>> = latin_names(
            "Yesterday Blunkett met the Motion Picture Association of America (MPAA) in Paris. \
             Officials said so.",
        )
        .into_iter()
        .map(|n| n.words)
        .filter(|w| !w.is_empty())
        .collect();
        assert_eq!(
            names,
            [
                vec!["blunkett"],
                vec!["motion", "picture", "association", "america"],
                vec!["mpaa"],
                vec!["paris"]
            ]
        );
    }

    #[test]
    fn names_written_another_way_did_not_change() {
        for (a, b) in [
            (
                "Helen Clark, PM of NZ, prefers it.",
                "Helen Clark, Prime Minister of NZ, prefers it.",
            ),
            (
                "It filed with The FCC on Monday.",
                "It filed with The Federal Communications Commission on Monday.",
            ),
            (
                "The board of Hewlett-Packard met.",
                "The board of Hewlett-Packard (HP) met.",
            ),
            (
                "It rose on Sunday ( Mar 2 ).",
                "It rose on Sunday ( March 2 ).",
            ),
            (
                "The speaker was General John Vessey (Ret.).",
                "The speaker was retired general John Vessey.",
            ),
            (
                "It bowed to American media firms.",
                "It bowed to United States media firms.",
            ),
            ("It met Naty Keyzilberman.", "It met Naty Key Zilberman."),
        ] {
            let w = witness(a, b);
            assert!(
                w.name_changes(a, b, &[]).is_empty(),
                "{a} → {b}: {:?}",
                w.name_changes(a, b, &[])
            );
        }
    }

    #[test]
    fn names_that_leave_or_enter_are_entity_changes() {
        let (a, b) = (
            "The performer was crushed, said the Royal Russian Circus.",
            "The performer was crushed, said the Royal Browne Circus.",
        );
        let changes = witness(a, b).name_changes(a, b, &[]);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].kind, "replaced");
        // Named again in a new place: added; a repeated mention dropped: nothing.
        let (a, b) = (
            "It departed for Wellington and landed at Nelson Airport.",
            "It departed for Wellington from Nelson, and landed at Nelson Airport.",
        );
        let changes = witness(a, b).name_changes(a, b, &[]);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].kind, "added");
        assert!(witness(b, a).name_changes(b, a, &[]).is_empty());
        let (a, b) = ("He was arrested.", "He was arrested, Tony Teng said.");
        let changes = witness(a, b).name_changes(a, b, &[]);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].kind, "added");
    }

    /// The rows of `compare_versions` that report something: (status, [(slot, kind)]).
    fn rows(a: &str, b: &str) -> Vec<(String, Vec<(String, String)>)> {
        use crate::diff::{DiffOptions, diff_texts};
        let opts = super::super::ExtractOptions::default();
        let diff = diff_texts(a, b, &DiffOptions::default());
        let (ca, cb) = (
            super::super::extract(a, &opts),
            super::super::extract(b, &opts),
        );
        super::super::compare::compare_versions(&diff, a, b, &ca, &cb)
            .into_iter()
            .filter(|r| r.status != super::super::compare::Status::Unchanged)
            .map(|r| {
                let status = serde_json::to_value(r.status).unwrap();
                (
                    status.as_str().unwrap().to_string(),
                    r.changes
                        .iter()
                        .map(|c| (c.slot.to_string(), c.kind.to_string()))
                        .collect(),
                )
            })
            .collect()
    }

    fn statuses(a: &str, b: &str) -> Vec<String> {
        rows(a, b).into_iter().map(|(s, _)| s).collect()
    }

    #[test]
    fn spans_moved_by_punctuation_are_reworded() {
        for (a, b) in [
            // An attribution whose source ran on until a comma was added.
            (
                "According to the press release  the company had 14,000 pending lawsuits.",
                "According to the press release , the company had 14,000 pending lawsuits.",
            ),
            (
                "Unemployment fell in July,  Federal Labour Office said.",
                "Unemployment fell in July, the Federal Labour Office said.",
            ),
            (
                "ذكرت تقارير استخباراتية من سول أن نحو 2000 جندي لقوا حتفهم.",
                "ذكرت تقارير استخباراتية، من سول، أن نحو 2000 جندي لقوا حتفهم.",
            ),
            // Quote marks put around words already there.
            (
                "Blair called the talks extraordinarily complicated on Friday.",
                "Blair called the talks \"extraordinarily complicated\" on Friday.",
            ),
            // A number written another way, a unit respelled.
            (
                "Clark released the news shortly before 11am in Wellington.",
                "Clark released the news shortly before 11 a.m. in Wellington.",
            ),
            (
                "A 55 sqaure miles wildfire burned close to the town.",
                "A 55 square mile wildfire burned close to the town.",
            ),
            // A misspelt name corrected, a name split.
            (
                "Jamacia and England both showed interest in hosting it.",
                "Jamaica and England both showed interest in hosting it.",
            ),
        ] {
            let got = rows(a, b);
            assert!(
                got.iter().all(|(s, _)| s == "reworded"),
                "{a} → {b}: {got:?}"
            );
        }
    }

    #[test]
    fn values_that_change_are_changed() {
        for (a, b, slot) in [
            (
                "ذكرت تقارير أن نحو 2000 جندي لقوا حتفهم.",
                "ذكرت تقارير أن نحو 2300 جندي لقوا حتفهم.",
                "quantity",
            ),
            (
                "The earthquake left two people dead and 15 injured.",
                "The earthquake left two people dead and injured.",
                "quantity",
            ),
            (
                "The ship hit a rock at 12:43 near the island.",
                "The ship hit a rock at 00:26 near the island.",
                "quantity",
            ),
            (
                "قال كيم إن البلدين “تقاسما الدماء والحياة والموت في الخندق نفسه”.",
                "قال كيم إن البلدين “تقاسما الدماء في الخندق نفسه”.",
                "quote",
            ),
            (
                "The hacker stated that it will take some time.",
                "Schwartz stated that it will take some time.",
                "attribution",
            ),
            (
                "The performer was crushed in the tent of the Royal Russian Circus.",
                "The performer was crushed in the tent of the Royal Browne Circus.",
                "entity",
            ),
            (
                "The ministry confirmed the talks took place.",
                "The ministry confirmed the talks never took place.",
                "polarity",
            ),
        ] {
            let got = rows(a, b);
            assert!(
                got.iter()
                    .any(|(s, ch)| s == "changed" && ch.iter().any(|(sl, _)| sl == slot)),
                "{a} → {b}: {got:?}"
            );
        }
    }

    #[test]
    fn added_and_removed_statements_are_claims_without_slots() {
        let a = "The river rose overnight.\n\nResidents left their homes.\n";
        let b = "The river rose overnight.\n\nThe water destroyed the old bridge.\n\nResidents left their homes.\n";
        assert_eq!(statuses(a, b), ["added"]);
        assert_eq!(statuses(b, a), ["removed"]);
    }

    #[test]
    fn furniture_is_no_claim() {
        let body = "The river rose overnight and flooded the town.\n";
        for extra in [
            "8 mins read",
            "5 comments",
            "Updated 9:41 AM",
            "Photo: AFP via Getty Images",
        ] {
            let with = format!("{extra}\n{body}");
            assert!(
                rows(body, &with).is_empty(),
                "{extra}: {:?}",
                rows(body, &with)
            );
            assert!(rows(&with, body).is_empty(), "{extra}");
        }
        let a = format!("5 comments\n{body}");
        let b = format!("7 comments\n{body}");
        assert!(rows(&a, &b).is_empty(), "{:?}", rows(&a, &b));
    }

    #[test]
    fn a_sentence_split_in_two_adds_no_claim() {
        let a = "The plane landed without incident and the passengers were put on a flight to Wellington.\n";
        let b = "The plane landed without incident. The passengers were put on a flight to Wellington.\n";
        assert!(
            rows(a, b)
                .iter()
                .all(|(s, _)| s != "added" && s != "removed"),
            "{:?}",
            rows(a, b)
        );
    }

    /// Modelled on the seeds' bullet lists (004): a bullet without figures or names,
    /// dropped from a later version, is a removed claim.
    #[test]
    fn a_bullet_dropped_from_a_list_is_a_removed_claim() {
        let a = "اعترافات كيم السابقة وتأكيد المشاركة العسكرية
- الاعتراف الأول في أبريل 2025، أعلنت كوريا الشمالية نشر قواتها رسمياً.
- زيادة إنتاج الصواريخ بأوامر من الزعيم لتعزيز القدرات.
- التجارب الصاروخية زيادة كبيرة لتطوير القدرات وبيع الأسلحة.
هذه الاعترافات تجعل الرسالة خطوة متقدمة في علنية التحالف.
";
        let b = a.replace(
            "- التجارب الصاروخية زيادة كبيرة لتطوير القدرات وبيع الأسلحة.\n",
            "",
        );
        let got = rows(a, &b);
        assert_eq!(got, [("removed".to_string(), Vec::new())]);
        assert_eq!(rows(&b, a), [("added".to_string(), Vec::new())]);
    }
}
