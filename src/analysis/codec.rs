//! The cached analyses' own encoding: compact binary, read back without a
//! parser. Decoding the JSON form took most of a cached `diff`'s time on long
//! articles (the claims' JSON is larger than the text itself); here every
//! string that is a span of the version's text (a claim's sentence, nearly
//! every slot's text) is stored as that span, so reading it is a bounds check
//! and a copy, with no UTF-8 validation.
//!
//! An entry starts with [`MAGIC`], which no JSON text starts with: entries
//! written as JSON by older builds are still read (see `super::cached`).
//! Anything malformed decodes to `None`, and the caller recomputes.

use rustc_hash::FxHashMap;

use crate::claims::compare::{
    Basis, ClaimChange, ClaimSide, Probabilities, Relation, SlotChange, Status, Summary,
};
use crate::claims::{Claim, EntityKind, Qualifier, QuantityKind, Slot};
use crate::diff::align::Group;
use crate::diff::{Alignment, KeyHash};
use crate::text::segment::{Unit, UnitKind};

/// First bytes of every binary entry (0xFF never starts UTF-8, let alone JSON).
pub const MAGIC: &[u8; 4] = b"\xFFTA1";

/// What [`well_formed`] calls a cached comparison.
pub const COMPARISON: &str = "comparison";

/// The analyser name of a text's unit key hashes.
pub const UNIT_KEYS: &str = "unit_keys";

/// Whether `data` is in this encoding (else it is an older entry's JSON).
pub fn is_binary(data: &[u8]) -> bool {
    data.starts_with(MAGIC)
}

struct Writer<'t> {
    out: Vec<u8>,
    /// The text the spans point into.
    text: &'t str,
}

impl Writer<'_> {
    fn new(text: &str) -> Writer<'_> {
        Writer {
            out: MAGIC.to_vec(),
            text,
        }
    }

    fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.out.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }

    fn usize(&mut self, v: usize) {
        self.uint(v as u64);
    }

    fn f64(&mut self, v: f64) {
        self.out.extend_from_slice(&v.to_bits().to_le_bytes());
    }

    fn bool(&mut self, v: bool) {
        self.out.push(u8::from(v));
    }

    /// `s`, as the span `at..at + s.len()` of the text when it is there,
    /// else inline.
    fn str_at(&mut self, s: &str, at: Option<usize>) {
        match at.filter(|&a| self.text.get(a..a + s.len()) == Some(s)) {
            Some(a) => {
                self.uint(1);
                self.usize(a);
                self.usize(s.len());
            }
            None => {
                self.uint(0);
                self.usize(s.len());
                self.out.extend_from_slice(s.as_bytes());
            }
        }
    }

    /// `s`, looked for inside the text's span `within` (a claim's sentence).
    fn str_in(&mut self, s: &str, within: Option<(usize, &str)>) {
        let at = within.and_then(|(start, sentence)| Some(start + find(sentence, s)?));
        self.str_at(s, at);
    }

    fn opt_str_in(&mut self, s: &Option<String>, within: Option<(usize, &str)>) {
        match s {
            None => self.bool(false),
            Some(s) => {
                self.bool(true);
                self.str_in(s, within);
            }
        }
    }
}

/// Where `needle` first occurs in `hay`, as `str::find` says: a slot's text
/// in its sentence. Setting up a searcher costs more than most searches
/// (a quote's searcher, a few thousand instructions, more than finding it),
/// so candidates are found by the needle's second byte and checked
/// `SHORT_NEEDLE` bytes deep; a long needle gets a few full comparisons
/// before a searcher takes over, so the time stays linear in the sentence.
fn find(hay: &str, needle: &str) -> Option<usize> {
    const SHORT_NEEDLE: usize = 32;
    const LONG_TRIES: usize = 4;
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    match needle {
        [] => Some(0),
        [first] => memchr::memchr(*first, hay),
        // Found by its second byte: in Arabic the first is nearly always
        // 0xD8 or 0xD9, as is every other byte of the sentence.
        [_, second, ..] => {
            let prefix = &needle[..needle.len().min(SHORT_NEEDLE)];
            let mut tries = 0;
            for i in memchr::memchr_iter(*second, hay).filter_map(|i| i.checked_sub(1)) {
                if !hay[i..].starts_with(prefix) {
                    continue;
                }
                if prefix.len() == needle.len() || hay[i..].starts_with(needle) {
                    return Some(i);
                }
                tries += 1;
                if tries == LONG_TRIES {
                    // No occurrence before `i`: the searcher's first from
                    // here is the first.
                    return memchr::memmem::find(&hay[i..], needle).map(|j| i + j);
                }
            }
            None
        }
    }
}

struct Reader<'d, 't> {
    data: &'d [u8],
    at: usize,
    /// `None`: check the structure only (spans read as empty strings).
    text: Option<&'t str>,
}

impl Reader<'_, '_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn uint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7F) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.uint()?).ok()
    }

    fn f64(&mut self) -> Option<f64> {
        let bytes = self.data.get(self.at..self.at + 8)?;
        self.at += 8;
        Some(f64::from_bits(u64::from_le_bytes(bytes.try_into().ok()?)))
    }

    fn bool(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn string(&mut self) -> Option<String> {
        match self.uint()? {
            1 => {
                let start = self.usize()?;
                let end = start.checked_add(self.usize()?)?;
                match self.text {
                    Some(text) => Some(text.get(start..end)?.to_string()),
                    None => Some(String::new()),
                }
            }
            0 => {
                let len = self.usize()?;
                let bytes = self.data.get(self.at..self.at.checked_add(len)?)?;
                self.at += len;
                Some(std::str::from_utf8(bytes).ok()?.to_string())
            }
            _ => None,
        }
    }

    fn opt_string(&mut self) -> Option<Option<String>> {
        Some(if self.bool()? {
            Some(self.string()?)
        } else {
            None
        })
    }

    fn done(&self) -> bool {
        self.at == self.data.len()
    }
}

fn reader<'d, 't>(data: &'d [u8], text: Option<&'t str>) -> Option<Reader<'d, 't>> {
    data.starts_with(MAGIC).then_some(Reader {
        data,
        at: MAGIC.len(),
        text,
    })
}

fn unit_kind_code(k: UnitKind) -> u64 {
    match k {
        UnitKind::Sentence => 0,
        UnitKind::Heading => 1,
        UnitKind::ListItem => 2,
        UnitKind::TableRow => 3,
    }
}

fn unit_kind(code: u64) -> Option<UnitKind> {
    Some(match code {
        0 => UnitKind::Sentence,
        1 => UnitKind::Heading,
        2 => UnitKind::ListItem,
        3 => UnitKind::TableRow,
        _ => return None,
    })
}

/// A text's units.
pub fn encode_units(units: &[Unit]) -> Vec<u8> {
    let mut w = Writer::new("");
    w.usize(units.len());
    for u in units {
        w.usize(u.paragraph);
        w.uint(unit_kind_code(u.kind));
        w.usize(u.start);
        w.usize(u.end);
    }
    w.out
}

pub fn decode_units(data: &[u8]) -> Option<Vec<Unit>> {
    let mut r = reader(data, None)?;
    let n = r.usize()?;
    // Each unit takes at least four bytes: no allocation bigger than the entry.
    let mut units = Vec::with_capacity(n.min(data.len() / 4));
    for _ in 0..n {
        units.push(Unit {
            paragraph: r.usize()?,
            kind: unit_kind(r.uint()?)?,
            start: r.usize()?,
            end: r.usize()?,
        });
    }
    r.done().then_some(units)
}

/// A text's unit key hashes (see `crate::diff::unit_key_hashes`): their
/// count, then 16 bytes each, little-endian.
pub fn encode_unit_keys(keys: &[KeyHash]) -> Vec<u8> {
    let mut w = Writer::new("");
    w.usize(keys.len());
    w.out.reserve(keys.len() * 16);
    for k in keys {
        w.out.extend_from_slice(&k.to_le_bytes());
    }
    w.out
}

pub fn decode_unit_keys(data: &[u8]) -> Option<Vec<KeyHash>> {
    let mut r = reader(data, None)?;
    let n = r.usize()?;
    let rest = data.get(r.at..)?;
    if rest.len() != n.checked_mul(16)? {
        return None;
    }
    Some(
        rest.chunks_exact(16)
            .map(|c| KeyHash::from_le_bytes(c.try_into().unwrap_or_default()))
            .collect(),
    )
}

fn qualifier_code(q: Qualifier) -> u64 {
    match q {
        Qualifier::Exact => 0,
        Qualifier::About => 1,
        Qualifier::MoreThan => 2,
        Qualifier::AtLeast => 3,
        Qualifier::LessThan => 4,
        Qualifier::AtMost => 5,
        Qualifier::Range => 6,
    }
}

fn qualifier(code: u64) -> Option<Qualifier> {
    Some(match code {
        0 => Qualifier::Exact,
        1 => Qualifier::About,
        2 => Qualifier::MoreThan,
        3 => Qualifier::AtLeast,
        4 => Qualifier::LessThan,
        5 => Qualifier::AtMost,
        6 => Qualifier::Range,
        _ => return None,
    })
}

fn quantity_kind_code(k: QuantityKind) -> u64 {
    match k {
        QuantityKind::Count => 0,
        QuantityKind::Percent => 1,
        QuantityKind::Money => 2,
        QuantityKind::Number => 3,
    }
}

fn quantity_kind(code: u64) -> Option<QuantityKind> {
    Some(match code {
        0 => QuantityKind::Count,
        1 => QuantityKind::Percent,
        2 => QuantityKind::Money,
        3 => QuantityKind::Number,
        _ => return None,
    })
}

fn entity_kind_code(k: EntityKind) -> u64 {
    match k {
        EntityKind::Person => 0,
        EntityKind::Place => 1,
        EntityKind::Organization => 2,
        EntityKind::Other => 3,
    }
}

fn entity_kind(code: u64) -> Option<EntityKind> {
    Some(match code {
        0 => EntityKind::Person,
        1 => EntityKind::Place,
        2 => EntityKind::Organization,
        3 => EntityKind::Other,
        _ => return None,
    })
}

/// A version's claims, extracted from `text` over `units` (a claim's text is
/// its unit's: stored as that span).
pub fn encode_claims(text: &str, units: &[Unit], claims: &[Claim]) -> Vec<u8> {
    let mut w = Writer::new(text);
    w.usize(claims.len());
    for c in claims {
        w.usize(c.sentence);
        let start = units.get(c.sentence).map(|u| u.start);
        w.str_at(&c.text, start);
        // Slot texts are found in the sentence as the text has it.
        let within = start.and_then(|s| Some((s, text.get(s..s + c.text.len())?)));
        w.usize(c.slots.len());
        for slot in &c.slots {
            write_slot(&mut w, slot, within);
        }
    }
    w.out
}

/// One slot; its strings looked for in `within` (a claim's sentence).
fn write_slot(w: &mut Writer<'_>, slot: &Slot, within: Option<(usize, &str)>) {
    match slot {
        Slot::Quantity {
            text,
            value,
            upper,
            unit,
            unit_key,
            qualifier,
            kind,
        } => {
            w.uint(0);
            w.str_in(text, within);
            w.f64(*value);
            match upper {
                None => w.bool(false),
                Some(u) => {
                    w.bool(true);
                    w.f64(*u);
                }
            }
            w.opt_str_in(unit, within);
            w.opt_str_in(unit_key, within);
            w.uint(qualifier_code(*qualifier));
            w.uint(quantity_kind_code(*kind));
        }
        Slot::Date {
            text,
            value,
            relative,
        } => {
            w.uint(1);
            w.str_in(text, within);
            w.str_at(value, None);
            w.bool(*relative);
        }
        Slot::Quote { text, speaker } => {
            w.uint(2);
            w.str_in(text, within);
            w.opt_str_in(speaker, within);
        }
        Slot::Attribution {
            text,
            source,
            anonymous,
        } => {
            w.uint(3);
            w.str_in(text, within);
            w.str_in(source, within);
            w.bool(*anonymous);
        }
        Slot::Entity {
            text,
            canonical,
            kind,
        } => {
            w.uint(4);
            w.str_in(text, within);
            w.str_in(canonical, within);
            w.uint(entity_kind_code(*kind));
        }
        Slot::Polarity { negated, text } => {
            w.uint(5);
            w.bool(*negated);
            w.str_in(text, within);
        }
    }
}

/// Claims encoded by [`encode_claims`] against this same `text`.
pub fn decode_claims(data: &[u8], text: &str) -> Option<Vec<Claim>> {
    read_claims(reader(data, Some(text))?)
}

/// Whether `data` is a whole, well-formed entry of this analyser (without
/// the text its spans point into: those are checked when it is read).
pub fn well_formed(analyser: &str, data: &[u8]) -> bool {
    if analyser == "units" {
        decode_units(data).is_some()
    } else if analyser == UNIT_KEYS {
        decode_unit_keys(data).is_some()
    } else if analyser.starts_with("claims") {
        reader(data, None).and_then(read_claims).is_some()
    } else if analyser == COMPARISON {
        decode_comparison(data, None).is_some()
    } else {
        false
    }
}

fn read_claims(mut r: Reader<'_, '_>) -> Option<Vec<Claim>> {
    let data = r.data;
    let n = r.usize()?;
    let mut claims = Vec::with_capacity(n.min(data.len() / 4));
    for _ in 0..n {
        let sentence = r.usize()?;
        let text = r.string()?;
        let k = r.usize()?;
        let mut slots = Vec::with_capacity(k.min(data.len() / 4));
        for _ in 0..k {
            slots.push(read_slot(&mut r)?);
        }
        claims.push(Claim {
            sentence,
            text,
            slots,
        });
    }
    r.done().then_some(claims)
}

fn read_slot(r: &mut Reader<'_, '_>) -> Option<Slot> {
    Some(match r.uint()? {
        0 => Slot::Quantity {
            text: r.string()?,
            value: r.f64()?,
            upper: if r.bool()? { Some(r.f64()?) } else { None },
            unit: r.opt_string()?,
            unit_key: r.opt_string()?,
            qualifier: qualifier(r.uint()?)?,
            kind: quantity_kind(r.uint()?)?,
        },
        1 => Slot::Date {
            text: r.string()?,
            value: r.string()?,
            relative: r.bool()?,
        },
        2 => Slot::Quote {
            text: r.string()?,
            speaker: r.opt_string()?,
        },
        3 => Slot::Attribution {
            text: r.string()?,
            source: r.string()?,
            anonymous: r.bool()?,
        },
        4 => Slot::Entity {
            text: r.string()?,
            canonical: r.string()?,
            kind: entity_kind(r.uint()?)?,
        },
        5 => Slot::Polarity {
            negated: r.bool()?,
            text: r.string()?,
        },
        _ => return None,
    })
}

/// One text's part in a claim comparison: what the cached rows point into.
pub struct RowSource<'a> {
    pub text: &'a str,
    pub units: &'a [Unit],
    pub claims: &'a [Claim],
}

impl RowSource<'_> {
    /// The side a comparison makes of these units (as `claims::compare`
    /// does): the first unit's index, the units' texts joined, their claims'
    /// slots together. `None` if an index is out of range.
    fn side(&self, by_unit: &FxHashMap<usize, &Claim>, units: &[usize]) -> Option<ClaimSide> {
        let mut text = String::new();
        let mut slots = Vec::new();
        for (n, &i) in units.iter().enumerate() {
            if n > 0 {
                text.push(' ');
            }
            text.push_str(self.units.get(i)?.text(self.text));
            if let Some(c) = by_unit.get(&i) {
                slots.extend(c.slots.iter().cloned());
            }
        }
        Some(ClaimSide {
            sentence: *units.first()?,
            text,
            slots,
        })
    }

    /// Whether [`Self::side`] of these units is `side`, told without making
    /// it (a comparison's every row is checked so when it is cached).
    fn side_is(
        &self,
        by_unit: &FxHashMap<usize, &Claim>,
        units: &[usize],
        side: &ClaimSide,
    ) -> bool {
        if units.first() != Some(&side.sentence) {
            return false;
        }
        let mut rest = side.text.as_str();
        for (n, &i) in units.iter().enumerate() {
            let Some(unit) = self.units.get(i) else {
                return false;
            };
            if n > 0 {
                let Some(r) = rest.strip_prefix(' ') else {
                    return false;
                };
                rest = r;
            }
            let Some(r) = rest.strip_prefix(unit.text(self.text)) else {
                return false;
            };
            rest = r;
        }
        if !rest.is_empty() {
            return false;
        }
        let mut slots = side.slots.iter();
        units
            .iter()
            .filter_map(|i| by_unit.get(i))
            .flat_map(|c| &c.slots)
            .all(|s| slots.next() == Some(s))
            && slots.next().is_none()
    }

    fn by_unit(&self) -> FxHashMap<usize, &Claim> {
        // As the comparison looks claims up: the last of a unit's wins.
        self.claims.iter().map(|c| (c.sentence, c)).collect()
    }
}

/// Claim rows (and the articles summary) as a comparison made them.
pub type Rows = (Vec<ClaimChange>, Option<Summary>);

/// Where a side of a claim row may come from: the units of the alignment row
/// whose first unit is the side's (`None`: the side's unit alone).
pub type Candidates<'a> = &'a dyn Fn(usize) -> Option<&'a [usize]>;

/// The names a slot change's `slot` and `kind` take (a row with another is
/// not cached).
const CHANGE_NAMES: &[&str] = &[
    "quantity",
    "date",
    "quote",
    "attribution",
    "entity",
    "polarity",
    "update",
    "refinement",
    "hedge",
    "added",
    "removed",
    "edited",
    "speaker",
    "named",
    "anonymized",
    "source",
    "replaced",
    "negated",
    "affirmed",
    "antonym",
    "conflict",
    "substituted",
    "roles_swapped",
];

const STATUSES: [Status; 10] = [
    Status::Added,
    Status::Removed,
    Status::Changed,
    Status::Reworded,
    Status::Unchanged,
    Status::Shared,
    Status::Conflicting,
    Status::Related,
    Status::OnlyFrom,
    Status::OnlyTo,
];

const RELATIONS: [Relation; 4] = [
    Relation::Agree,
    Relation::Disagree,
    Relation::Related,
    Relation::Unrelated,
];

/// A comparison's summary tag: none, the layout before the summary carried
/// its probabilities (still well formed for `verify`, never read back), and
/// with them. The first two are the bytes `false` and `true` once written.
const SUMMARY_NONE: usize = 0;
const SUMMARY_WITHOUT_PROBABILITIES: usize = 1;
const SUMMARY_WITH_PROBABILITIES: usize = 2;

/// A comparison of two texts: their alignment, and the claim rows and
/// summary. A claim row's side is stored as the units it was made of when
/// that gives it back exactly (nearly always: `candidates` says which units
/// to try, by the side's first unit), else whole. `None` when a slot change
/// has a name this encoding does not know.
pub fn encode_comparison(
    alignment: &Alignment,
    (rows, summary): (&[ClaimChange], Option<&Summary>),
    from: (&RowSource<'_>, Candidates<'_>),
    to: (&RowSource<'_>, Candidates<'_>),
) -> Option<Vec<u8>> {
    let mut w = Writer::new("");
    w.usize(alignment.groups.len());
    for g in &alignment.groups {
        for units in [&g.old, &g.new] {
            w.usize(units.len());
            for &u in units {
                w.usize(u);
            }
        }
        w.uint(u64::from(g.sim.to_bits()));
        w.uint(u64::from(g.exact) | (u64::from(g.in_order) << 1));
    }
    match summary {
        None => w.usize(SUMMARY_NONE),
        Some(s) => {
            w.usize(SUMMARY_WITH_PROBABILITIES);
            w.usize(RELATIONS.iter().position(|r| *r == s.relation)?);
            w.uint(u64::from(s.confidence.to_bits()));
            w.bool(s.basis == Basis::Headlines);
            for v in s.probabilities.as_array() {
                w.uint(u64::from(v.to_bits()));
            }
        }
    }
    let (from_by, to_by) = (from.0.by_unit(), to.0.by_unit());
    let opt_f32 = |w: &mut Writer<'_>, v: Option<f32>| match v {
        None => w.bool(false),
        Some(v) => {
            w.bool(true);
            w.uint(u64::from(v.to_bits()));
        }
    };
    let side = |w: &mut Writer<'_>,
                side: &Option<ClaimSide>,
                (src, candidates): (&RowSource<'_>, Candidates<'_>),
                by: &FxHashMap<usize, &Claim>| {
        let Some(side) = side else {
            w.uint(0);
            return;
        };
        let one = [side.sentence];
        let same = |units: &[usize]| src.side_is(by, units, side);
        let units = candidates(side.sentence)
            .filter(|u| same(u))
            .or_else(|| same(&one).then_some(&one[..]));
        match units {
            Some(units) => {
                w.uint(1);
                w.usize(units.len());
                for &u in units {
                    w.usize(u);
                }
            }
            None => {
                w.uint(2);
                w.usize(side.sentence);
                w.str_at(&side.text, None);
                w.usize(side.slots.len());
                for slot in &side.slots {
                    write_slot(w, slot, None);
                }
            }
        }
    };
    w.usize(rows.len());
    for row in rows {
        w.usize(STATUSES.iter().position(|s| *s == row.status)?);
        side(&mut w, &row.from, from, &from_by);
        side(&mut w, &row.to, to, &to_by);
        w.usize(row.changes.len());
        for c in &row.changes {
            w.usize(CHANGE_NAMES.iter().position(|n| *n == c.slot)?);
            w.usize(CHANGE_NAMES.iter().position(|n| *n == c.kind)?);
            for slot in [&c.from, &c.to] {
                match slot {
                    None => w.bool(false),
                    Some(slot) => {
                        w.bool(true);
                        write_slot(&mut w, slot, None);
                    }
                }
            }
        }
        opt_f32(&mut w, row.similarity);
        opt_f32(&mut w, row.confidence);
    }
    Some(w.out)
}

/// A comparison encoded by [`encode_comparison`] against these same sides
/// (`None`: check the structure only, sides read as empty). Unit indices are
/// checked against the sides' units.
pub fn decode_comparison(
    data: &[u8],
    sources: Option<(&RowSource<'_>, &RowSource<'_>)>,
) -> Option<(Alignment, Rows)> {
    let mut r = reader(data, None)?;
    let n = r.usize()?;
    let mut groups = Vec::with_capacity(n.min(data.len()));
    for _ in 0..n {
        let mut sides = [Vec::new(), Vec::new()];
        for (k, units) in sides.iter_mut().enumerate() {
            let len = sources.map(|(f, t)| if k == 0 { f.units.len() } else { t.units.len() });
            let m = r.usize()?;
            units.reserve(m.min(data.len()));
            for _ in 0..m {
                let u = r.usize()?;
                if len.is_some_and(|len| u >= len) {
                    return None;
                }
                units.push(u);
            }
        }
        let sim = f32::from_bits(u32::try_from(r.uint()?).ok()?);
        let flags = r.uint()?;
        if flags > 3 {
            return None;
        }
        let [old, new] = sides;
        groups.push(Group {
            old,
            new,
            exact: flags & 1 != 0,
            sim,
            in_order: flags & 2 != 0,
        });
    }
    let alignment = Alignment {
        groups,
        complete: true,
    };
    let summary = match r.usize()? {
        SUMMARY_NONE => None,
        tag @ (SUMMARY_WITHOUT_PROBABILITIES | SUMMARY_WITH_PROBABILITIES) => {
            let relation = *RELATIONS.get(r.usize()?)?;
            let confidence = f32::from_bits(u32::try_from(r.uint()?).ok()?);
            let basis = if r.bool()? {
                Basis::Headlines
            } else {
                Basis::Claim
            };
            let mut p = [0f32; 4];
            if tag == SUMMARY_WITH_PROBABILITIES {
                for v in &mut p {
                    *v = f32::from_bits(u32::try_from(r.uint()?).ok()?);
                }
            } else if sources.is_some() {
                // An older build's entry (its fingerprint misses anyway):
                // well formed, but it lacks what a report now carries.
                return None;
            }
            Some(Summary {
                relation,
                confidence,
                basis,
                probabilities: Probabilities::of(&p),
            })
        }
        _ => return None,
    };
    let by = sources.map(|(f, t)| (f.by_unit(), t.by_unit()));
    let opt_f32 = |r: &mut Reader<'_, '_>| -> Option<Option<f32>> {
        Some(if r.bool()? {
            Some(f32::from_bits(u32::try_from(r.uint()?).ok()?))
        } else {
            None
        })
    };
    let side = |r: &mut Reader<'_, '_>, to: bool| -> Option<Option<ClaimSide>> {
        Some(match r.uint()? {
            0 => None,
            1 => {
                let n = r.usize()?;
                let mut units = Vec::with_capacity(n.min(data.len()));
                for _ in 0..n {
                    units.push(r.usize()?);
                }
                Some(match (sources, &by) {
                    (Some((f, t)), Some((fb, tb))) => {
                        if to {
                            t.side(tb, &units)?
                        } else {
                            f.side(fb, &units)?
                        }
                    }
                    _ => ClaimSide {
                        sentence: *units.first()?,
                        text: String::new(),
                        slots: Vec::new(),
                    },
                })
            }
            2 => {
                let sentence = r.usize()?;
                let text = r.string()?;
                let k = r.usize()?;
                let mut slots = Vec::with_capacity(k.min(data.len()));
                for _ in 0..k {
                    slots.push(read_slot(r)?);
                }
                Some(ClaimSide {
                    sentence,
                    text,
                    slots,
                })
            }
            _ => return None,
        })
    };
    let n = r.usize()?;
    let mut rows = Vec::with_capacity(n.min(data.len()));
    for _ in 0..n {
        let status = *STATUSES.get(r.usize()?)?;
        let from = side(&mut r, false)?;
        let to = side(&mut r, true)?;
        let k = r.usize()?;
        let mut changes = Vec::with_capacity(k.min(data.len()));
        for _ in 0..k {
            let slot = *CHANGE_NAMES.get(r.usize()?)?;
            let kind = *CHANGE_NAMES.get(r.usize()?)?;
            let mut sides = [None, None];
            for s in &mut sides {
                if r.bool()? {
                    *s = Some(read_slot(&mut r)?);
                }
            }
            let [from, to] = sides;
            changes.push(SlotChange {
                slot,
                kind,
                from,
                to,
            });
        }
        rows.push(ClaimChange {
            status,
            from,
            to,
            changes,
            similarity: opt_f32(&mut r)?,
            confidence: opt_f32(&mut r)?,
        });
    }
    r.done().then_some((alignment, (rows, summary)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cached comparison whose summary has the layout before it carried
    /// its probabilities is well formed (`verify` does not call an older
    /// build's cache damage) but never read back; an unknown tag is damage.
    #[test]
    fn an_older_summary_layout_is_well_formed_but_not_read() {
        let entry = |tag: usize| {
            let mut w = Writer::new("");
            w.usize(0); // alignment groups
            w.usize(tag);
            w.usize(1); // disagree
            w.uint(u64::from(0.75f32.to_bits()));
            w.bool(false);
            if tag == SUMMARY_WITH_PROBABILITIES {
                for p in [0.1f32, 0.75, 0.1, 0.05] {
                    w.uint(u64::from(p.to_bits()));
                }
            }
            w.usize(0); // rows
            w.out
        };
        let (units, claims) = (Vec::new(), Vec::new());
        let empty = RowSource {
            text: "",
            units: &units,
            claims: &claims,
        };
        let old = entry(SUMMARY_WITHOUT_PROBABILITIES);
        assert!(well_formed(COMPARISON, &old));
        assert!(decode_comparison(&old, Some((&empty, &empty))).is_none());
        let new = entry(SUMMARY_WITH_PROBABILITIES);
        let (_, (_, summary)) = decode_comparison(&new, Some((&empty, &empty))).unwrap();
        let summary = summary.unwrap();
        assert_eq!(summary.relation, Relation::Disagree);
        assert_eq!(summary.probabilities.as_array(), [0.1, 0.75, 0.1, 0.05]);
        assert!(!well_formed(COMPARISON, &entry(3)));
    }

    #[test]
    fn find_is_str_find() {
        let hay = "قال الوزير إن 12 شخصا قتلوا، وقال الوزير إن 12 جريحا. The end, the end.";
        let long = "وقال الوزير إن 12 جريحا. The end";
        for needle in [
            "",
            "الوزير",
            "12",
            "وقال الوزير إن 12",
            "the end",
            "end.",
            long,
            "غائب",
            ".",
        ] {
            assert_eq!(find(hay, needle), hay.find(needle), "{needle}");
        }
        assert!(long.len() > 32);
        assert_eq!(find("ab", "abc"), None);
        // Long needles whose first 32 bytes match often: a few full
        // comparisons, then the searcher, from where they stopped.
        let near = "ab".repeat(20);
        for (hay, needle) in [
            (format!("{}c{near}c", "ab".repeat(100)), format!("{near}c")),
            (format!("{near}d{near}c"), format!("{near}c")),
            (format!("x{}", "ab".repeat(200)), format!("{near}c")),
            (format!("{near}c{near}c"), format!("b{near}c")),
            ("ع".repeat(60), "ع".repeat(30)),
            (
                format!("{}ب", "ع".repeat(60)),
                format!("{}ب", "ع".repeat(30)),
            ),
        ] {
            assert_eq!(find(&hay, &needle), hay.find(&needle[..]), "{needle}");
        }
    }
    use crate::claims::{ExtractOptions, extract_units};
    use crate::text::segment::segment;

    const TEXT: &str = "قتل 5 أشخاص في انفجار في بغداد يوم الاثنين.\n\n\
        وقال المتحدث باسم الشرطة «لن نسمح بذلك» بحسب وكالة الأنباء.\n\n\
        Between 10 and 20 people died on 25/12/2025, officials said, about 1.5 million dollars.\n";

    #[test]
    fn units_and_claims_come_back_as_they_went() {
        let units = segment(TEXT);
        assert_eq!(decode_units(&encode_units(&units)), Some(units.clone()));
        let claims = extract_units(TEXT, &units, &ExtractOptions::default());
        assert!(claims.iter().map(|c| c.slots.len()).sum::<usize>() >= 6);
        let encoded = encode_claims(TEXT, &units, &claims);
        assert_eq!(decode_claims(&encoded, TEXT), Some(claims.clone()));
        // Strings that are not in the text are kept inline.
        let mut odd = claims.clone();
        odd[0].text = "not in the text".into();
        odd[0].slots.push(Slot::Polarity {
            negated: true,
            text: "nowhere".into(),
        });
        let encoded = encode_claims(TEXT, &units, &odd);
        assert_eq!(decode_claims(&encoded, TEXT), Some(odd));
    }

    #[test]
    fn anything_malformed_is_none() {
        let units = segment(TEXT);
        let claims = extract_units(TEXT, &units, &ExtractOptions::default());
        let encoded = encode_claims(TEXT, &units, &claims);
        for cut in 0..encoded.len() {
            assert_eq!(decode_claims(&encoded[..cut], TEXT), None, "cut at {cut}");
        }
        let mut longer = encoded.clone();
        longer.push(0);
        assert_eq!(decode_claims(&longer, TEXT), None);
        // Spans must fall on character boundaries of the text they point into.
        assert_eq!(decode_claims(&encoded, "short"), None);
        assert_eq!(decode_units(b"[]"), None);
        assert!(!is_binary(b"[{\"sentence\":1}]"));
    }

    /// `side_is` answers as comparing with the side `side` makes would.
    #[test]
    fn a_side_is_told_as_it_is_made() {
        let units = segment(TEXT);
        let claims = extract_units(TEXT, &units, &ExtractOptions::default());
        let src = RowSource {
            text: TEXT,
            units: &units,
            claims: &claims,
        };
        let by = src.by_unit();
        let n = units.len();
        let mut runs: Vec<Vec<usize>> = vec![Vec::new()];
        for a in 0..=n + 1 {
            for b in a + 1..=(a + 3).min(n + 2) {
                runs.push((a..b).collect());
            }
        }
        let mut checked = 0;
        for made in &runs {
            let Some(side) = src.side(&by, made) else {
                continue;
            };
            let mut other_text = side.clone();
            other_text.text.push(' ');
            let mut fewer_slots = side.clone();
            fewer_slots.slots.pop();
            for side in [&side, &other_text, &fewer_slots] {
                for asked in &runs {
                    let want = src.side(&by, asked).is_some_and(|s| {
                        s.sentence == side.sentence && s.text == side.text && s.slots == side.slots
                    });
                    assert_eq!(src.side_is(&by, asked, side), want, "{made:?} {asked:?}");
                    checked += usize::from(want);
                }
            }
        }
        assert!(checked >= n);
    }

    #[test]
    fn unit_keys_come_back_whole_or_not_at_all() {
        let units = segment(TEXT);
        let keys = crate::diff::unit_key_hashes(TEXT, &units);
        assert_eq!(keys.len(), units.len());
        let encoded = encode_unit_keys(&keys);
        assert_eq!(decode_unit_keys(&encoded), Some(keys));
        assert!(well_formed(UNIT_KEYS, &encoded));
        for cut in 0..encoded.len() {
            assert_eq!(decode_unit_keys(&encoded[..cut]), None, "cut at {cut}");
        }
        let mut longer = encoded;
        longer.push(0);
        assert_eq!(decode_unit_keys(&longer), None);
        assert_eq!(decode_unit_keys(&encode_unit_keys(&[])), Some(Vec::new()));
    }
}
