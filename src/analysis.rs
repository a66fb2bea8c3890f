//! Analyses of stored versions — segmentation and claims — cached in the
//! store by text hash and analyser version, so each text is analysed once.
//!
//! The cache is best effort: a store that is busy or read-only still answers,
//! it only recomputes.

pub(crate) mod codec;
mod reanalyse;

pub use codec::{Candidates, RowSource, Rows};
pub use reanalyse::{Failure, ReanalyseOptions, Reanalysed, reanalyse};

use rustc_hash::FxHashMap;

use chrono::NaiveDate;

use crate::claims::entity::AliasError;
use crate::claims::{self, Claim, ExtractOptions, Gazetteer, Slot};
use crate::diff::{Alignment, KeyHash};
use crate::parallel::both;
use crate::store::{Hash, Store, VersionText};
use crate::text::segment::{self, SEGMENTER_VERSION, Unit};

/// The gazetteer claims are extracted with, and the id that keys the claims
/// cached with it.
#[derive(Debug, Default)]
pub enum Names {
    #[default]
    Builtin,
    WithAliases(Box<Gazetteer>, String),
}

impl Names {
    /// The built-in gazetteer plus the entries of an alias file's text.
    pub fn with_aliases(toml_text: &str) -> Result<Names, AliasError> {
        let gazetteer = Gazetteer::with_aliases(toml_text)?;
        let id = format!("+{}", &blake3::hash(toml_text.as_bytes()).to_hex()[..16]);
        Ok(Names::WithAliases(Box::new(gazetteer), id))
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        match self {
            Names::Builtin => Gazetteer::builtin(),
            Names::WithAliases(g, _) => g,
        }
    }

    /// Empty for the built-in gazetteer.
    pub fn id(&self) -> &str {
        match self {
            Names::Builtin => "",
            Names::WithAliases(_, id) => id,
        }
    }
}

/// A version's units (sentences, headings, list items, table rows).
pub fn units(store: &Store, version: &VersionText) -> Vec<Unit> {
    if let Some(units) = cached_units(store, version) {
        return units;
    }
    let units = segment::segment(&version.text);
    // The unit keys with them: a diff needs both.
    let keys = codec::encode_unit_keys(&crate::diff::unit_key_hashes(&version.text, &units));
    let _ = store.put_analyses(&[
        (
            &version.text_hash,
            "units",
            SEGMENTER_VERSION,
            &codec::encode_units(&units),
        ),
        (
            &version.text_hash,
            codec::UNIT_KEYS,
            UNIT_KEYS_VERSION,
            &keys,
        ),
    ]);
    units
}

fn cached_units(store: &Store, version: &VersionText) -> Option<Vec<Unit>> {
    cached(store, version, "units", SEGMENTER_VERSION, |data| {
        codec::decode_units(data)
    })
    .filter(|units| {
        units
            .iter()
            .all(|u| u.start <= u.end && version.text.get(u.start..u.end).is_some())
    })
}

/// The version of a text's cached unit key hashes: they depend on its
/// segmentation, on `match_key` and on the key made of it.
pub const UNIT_KEYS_VERSION: i64 = (SEGMENTER_VERSION << 32)
    | ((crate::text::normalize::NORMALIZER_VERSION as i64) << 16)
    | crate::diff::UNIT_KEY_VERSION;

/// The hashes of a version's unit keys, what aligning it compares its units
/// on (see [`crate::diff::unit_key_hashes`]): cached per text, as its units,
/// because making them is a good part of a long text's first diff against
/// any other.
pub fn unit_keys(store: &Store, version: &VersionText, units: &[Unit]) -> Vec<KeyHash> {
    let cached = store
        .analysis(&version.text_hash, codec::UNIT_KEYS, UNIT_KEYS_VERSION)
        .ok()
        .flatten()
        .and_then(|data| codec::decode_unit_keys(&data))
        .filter(|keys| keys.len() == units.len());
    if let Some(keys) = cached {
        return keys;
    }
    let keys = crate::diff::unit_key_hashes(&version.text, units);
    store_cached(
        store,
        version,
        codec::UNIT_KEYS,
        UNIT_KEYS_VERSION,
        &codec::encode_unit_keys(&keys),
    );
    keys
}

/// A version's claims. `gazetteer_id` tells apart gazetteers with user aliases
/// (empty for the built-in one). The gazetteer is asked for only when the
/// claims are not cached: building the built-in one is a good part of a
/// cached `diff`'s time.
pub fn claims<'g>(
    store: &Store,
    version: &VersionText,
    gazetteer: impl FnOnce() -> &'g Gazetteer,
    gazetteer_id: &str,
) -> Vec<Claim> {
    claims_and_digest(store, version, gazetteer, gazetteer_id).0
}

/// [`claims`], and a digest that tells these claims apart from any others
/// (of the cached entry's bytes, which encode them): comparisons cached
/// against them are keyed on it (see [`cached_comparison_bytes`]).
pub fn claims_and_digest<'g>(
    store: &Store,
    version: &VersionText,
    gazetteer: impl FnOnce() -> &'g Gazetteer,
    gazetteer_id: &str,
) -> (Vec<Claim>, Hash) {
    let analyser = claims_analyser(gazetteer_id);
    if let Some(found) = cached_claims(store, version, &analyser) {
        return found;
    }
    // Units (and their keys) and claims, when both are new, are cached in
    // one transaction.
    let mut side = Side {
        units: cached_units(store, version),
        ..Side::default()
    };
    side.work(version, gazetteer);
    side.unsaved(&version.text_hash, &analyser).save(store);
    let SideAnalysis { claims, digest, .. } = side.finish();
    (claims, digest)
}

/// A version's cached claims, and the digest of their entry.
fn cached_claims(
    store: &Store,
    version: &VersionText,
    analyser: &str,
) -> Option<(Vec<Claim>, Hash)> {
    let (bytes, digest) = cached_claim_bytes(store, version, analyser)?;
    Some((decode_claims(&bytes, version)?, digest))
}

/// A version's cached claims as stored, and their digest.
fn cached_claim_bytes(
    store: &Store,
    version: &VersionText,
    analyser: &str,
) -> Option<(Vec<u8>, Hash)> {
    let bytes = store
        .analysis(&version.text_hash, analyser, claims::ANALYSER_VERSION)
        .ok()??;
    let digest = *blake3::hash(&bytes).as_bytes();
    Some((bytes, digest))
}

/// Cached claims read back (`None`: not readable, to be extracted again).
fn decode_claims(bytes: &[u8], version: &VersionText) -> Option<Vec<Claim>> {
    if codec::is_binary(bytes) {
        codec::decode_claims(bytes, &version.text)
    } else {
        serde_json::from_slice(bytes).ok()
    }
}

/// One side of a comparison, analysed.
pub struct SideAnalysis {
    pub units: Vec<Unit>,
    /// The units' keys (see [`unit_keys`]) when they were segmented here.
    pub keys: Option<Vec<KeyHash>>,
    pub claims: Vec<Claim>,
    /// The digest of the claims' cached entry (see [`claims_and_digest`]).
    pub digest: Hash,
}

/// Distinct sentences a thread takes at a time when two read them.
const READ_CHUNK: usize = 8;

/// [`units`] and [`claims_and_digest`] of both sides of a comparison, the
/// same values. What is not cached is computed for both sides at once — on
/// two threads when the new text is long (a first `diff` right after `add`:
/// extraction is most of its time) — and cached in one transaction.
pub fn analyse_pair<'g, G>(
    store: &Store,
    pair: (&VersionText, &VersionText),
    gazetteer: G,
    gazetteer_id: &str,
) -> (SideAnalysis, SideAnalysis)
where
    G: Fn() -> &'g Gazetteer + Sync,
{
    let none = None::<Meanwhile<fn(&Hash, &Hash) -> Option<()>, fn(Keyed<'_>, Keyed<'_>)>>;
    let analysed = analyse_pair_with(store, pair, gazetteer, gazetteer_id, none);
    analysed.unsaved.save(store);
    (analysed.from, analysed.to)
}

/// One side's units and their keys, as aligning reads them.
#[derive(Clone, Copy)]
pub struct Keyed<'a> {
    pub units: &'a [Unit],
    pub keys: &'a [KeyHash],
}

/// What a comparison does while its sides are analysed (see
/// [`analyse_pair_with`]).
pub struct Meanwhile<L, A> {
    /// Looks up the comparison cached for the two sides' claim digests
    /// (when both sides' claims were cached).
    pub lookup: L,
    /// Aligns the two sides, unless `lookup` found the comparison.
    pub align: A,
}

/// Both sides of a comparison analysed (see [`analyse_pair_with`]).
pub struct PairAnalysis<T, R> {
    pub from: SideAnalysis,
    pub to: SideAnalysis,
    /// What `lookup` found, if it was asked (and the digests it was asked
    /// for are the sides').
    pub looked_up: Option<Option<T>>,
    /// What `align` returned, if it ran.
    pub aligned: Option<R>,
    /// What was computed, to cache.
    pub unsaved: Unsaved,
    /// What the analysis is done with.
    pub spent: Spent,
}

/// Memory an analysis is done with (the slots read of each distinct
/// sentence, copied into the claims). Freeing it takes a while, so a caller
/// with another thread at hand may drop it there; anywhere is fine.
#[derive(Default)]
pub struct Spent(Vec<Vec<Slot>>);

/// Analyses computed and not yet cached.
#[derive(Default)]
pub struct Unsaved(Vec<(Hash, String, i64, Vec<u8>)>);

impl Unsaved {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Cache them, best effort, in one transaction (none for nothing).
    pub fn save(self, store: &Store) {
        if self.0.is_empty() {
            return;
        }
        let entries: Vec<_> = self
            .0
            .iter()
            .map(|(hash, analyser, version, data)| (hash, &analyser[..], *version, &data[..]))
            .collect();
        let _ = store.put_analyses(&entries);
    }
}

/// [`analyse_pair`], leaving the caching to the caller. With `meanwhile`:
/// when both sides' claims were cached, the cached comparison is looked up
/// first; unless it is found, the sides are aligned on this thread while
/// another reads or decodes the claims.
pub fn analyse_pair_with<'g, G, L, T, A, R>(
    store: &Store,
    (from, to): (&VersionText, &VersionText),
    gazetteer: G,
    gazetteer_id: &str,
    meanwhile: Option<Meanwhile<L, A>>,
) -> PairAnalysis<T, R>
where
    G: Fn() -> &'g Gazetteer + Sync,
    L: FnOnce(&Hash, &Hash) -> Option<T>,
    A: FnOnce(Keyed<'_>, Keyed<'_>) -> R,
{
    let analyser = claims_analyser(gazetteer_id);
    let plan = |version: &VersionText| Side {
        units: cached_units(store, version),
        encoded: cached_claim_bytes(store, version, &analyser),
        ..Side::default()
    };
    let same_text = from.text_hash == to.text_hash;
    let mut a = plan(from);
    let mut b = if same_text { Side::default() } else { plan(to) };
    let mut looked_up = None;
    let aligned = {
        let mut sides: Vec<(&mut Side, &VersionText)> = vec![(&mut a, from)];
        if !same_text {
            sides.push((&mut b, to));
        }
        let mut align = None;
        if let Some(Meanwhile { lookup, align: a }) = meanwhile {
            let digests: Option<Vec<Hash>> = sides
                .iter()
                .map(|(side, _)| side.encoded.as_ref().map(|(_, d)| *d))
                .collect();
            match digests {
                Some(d) => {
                    let found = lookup(&d[0], &d[d.len() - 1]);
                    if found.is_none() {
                        align = Some(a);
                    }
                    looked_up = Some(found);
                }
                None => align = Some(a),
            }
        }
        if align.is_some() {
            // Aligning needs every side's unit keys: cached ones are read here.
            for (side, version) in sides.iter_mut() {
                if let Some(units) = &side.units {
                    side.keys = Some(unit_keys(store, version, units));
                }
            }
        }
        let align = align.map(|a| {
            move |sides: &[(&mut Side, &VersionText)]| {
                // New units and keys are cached first, while the other
                // thread reads claims: the first write after a checkpoint
                // waits for the disk (SQLite syncs a fresh WAL's header).
                let mut units = Unsaved::default();
                for (side, version) in sides {
                    units.0.extend(side.units_entries(&version.text_hash));
                }
                units.save(store);
                let last = &sides[sides.len() - 1].0;
                a(sides[0].0.keyed(), last.keyed())
            }
        });
        let (aligned, align) = decode_sides(&mut sides, align);
        if sides.iter().any(|(side, _)| side.encoded_unreadable) {
            // Looked up for digests the claims will not have.
            looked_up = None;
        }
        let aligned = aligned.or_else(|| analyse_sides(&mut sides, &gazetteer, align));
        if aligned.is_some() {
            for (side, _) in sides.iter_mut() {
                side.units_saved = true;
            }
        }
        aligned
    };
    let mut unsaved = a.unsaved(&from.text_hash, &analyser);
    unsaved.0.extend(b.unsaved(&to.text_hash, &analyser).0);
    let mut spent = std::mem::take(&mut a.spent);
    spent.0.append(&mut b.spent.0);
    let a = a.finish();
    let b = if same_text {
        SideAnalysis {
            units: a.units.clone(),
            keys: a.keys.clone(),
            claims: a.claims.clone(),
            digest: a.digest,
        }
    } else {
        b.finish()
    };
    PairAnalysis {
        from: a,
        to: b,
        looked_up,
        aligned,
        unsaved,
        spent,
    }
}

/// Decode the sides' cached claims: on another thread while this one runs
/// `align` when that is all there is to do (every unit and claim cached)
/// and the texts are long; else here, leaving `align` to be run.
fn decode_sides<F: FnOnce(&[(&mut Side, &VersionText)]) -> R, R>(
    sides: &mut [(&mut Side, &VersionText)],
    align: Option<F>,
) -> (Option<R>, Option<F>) {
    let all_cached = sides
        .iter()
        .all(|(side, _)| side.units.is_some() && side.encoded.is_some());
    let bytes: usize = sides.iter().map(|(_, v)| v.text.len()).sum();
    match align {
        Some(align) if all_cached && bytes >= crate::parallel::WORTH_TWO_THREADS => {
            let encoded: Vec<_> = sides
                .iter_mut()
                .map(|(side, v)| (side.encoded.take(), *v))
                .collect();
            let decode = || {
                encoded
                    .into_iter()
                    .map(|(e, v)| e.and_then(|(bytes, d)| Some((decode_claims(&bytes, v)?, d))))
                    .collect::<Vec<_>>()
            };
            let (aligned, decoded) = both(|| align(sides), decode);
            for ((side, _), claims) in sides.iter_mut().zip(decoded) {
                side.encoded_unreadable = claims.is_none();
                side.claims = claims;
            }
            (Some(aligned), None)
        }
        align => {
            for (side, version) in sides.iter_mut() {
                if let Some((bytes, digest)) = side.encoded.take() {
                    let claims = decode_claims(&bytes, version);
                    side.encoded_unreadable = claims.is_none();
                    side.claims = claims.map(|c| (c, digest));
                }
            }
            (None, align)
        }
    }
}

/// Segment and extract what the sides (one or two texts) miss; touches no
/// store. Each side is segmented on its own, then each distinct sentence of
/// the new ones is read once — its unit key, its slots — since two versions
/// of an article share most of their sentences; then each side's claims are
/// encoded. Long new texts are worked on two threads at each step; while the
/// other thread reads claims, this one makes the keys and runs `meanwhile`
/// (given every side, keyed), then reads along.
fn analyse_sides<'g, G, R>(
    sides: &mut [(&mut Side, &VersionText)],
    gazetteer: &G,
    meanwhile: Option<impl FnOnce(&[(&mut Side, &VersionText)]) -> R>,
) -> Option<R>
where
    G: Fn() -> &'g Gazetteer + Sync,
{
    let new_bytes: usize = sides
        .iter()
        .filter(|(side, _)| side.needs_work())
        .map(|(_, v)| v.text.len())
        .sum();
    let parallel = new_bytes >= crate::parallel::WORTH_TWO_THREADS;
    let on_each = |sides: &mut [(&mut Side, &VersionText)],
                   work: &(dyn Fn(&mut Side, &VersionText) + Sync)| {
        let mut todo: Vec<_> = sides
            .iter_mut()
            .filter(|(side, _)| side.needs_work())
            .collect();
        match &mut todo[..] {
            [x, y] if parallel => {
                both(|| work(x.0, x.1), || work(y.0, y.1));
            }
            todo => todo.iter_mut().for_each(|s| work(s.0, s.1)),
        }
    };
    on_each(sides, &|side, v| side.segment(v));
    // The date relative dates are read against: sentences are read once for
    // all sides only when it is one date.
    let dates: Vec<_> = sides
        .iter()
        .filter(|(side, _)| side.claims.is_none())
        .map(|(side, v)| claims::article_date(&v.text, side.units(), stated_date(v)))
        .collect();
    let one_date = match dates[..] {
        [] => None,
        [date, ref rest @ ..] => rest.iter().all(|d| *d == date).then_some(date),
    };
    // The texts read together: those to key, and those to read claims of.
    let read_here =
        |side: &Side| side.wants_keys() || (one_date.is_some() && side.claims.is_none());
    let texts: Vec<usize> = (0..sides.len())
        .filter(|&i| read_here(sides[i].0))
        .collect();
    let mut meanwhile = meanwhile;
    if texts.is_empty() {
        let ran = meanwhile.map(|m| m(sides));
        on_each(sides, &|side, v| side.claim(v, gazetteer, None));
        return ran;
    }
    let versions: Vec<&VersionText> = texts.iter().map(|&i| sides[i].1).collect();
    let distinct = Distinct::new(
        texts
            .iter()
            .zip(&versions)
            .map(|(&i, v)| (&v.text[..], sides[i].0.units())),
    );
    // This thread's part before it reads: the new keys, then `meanwhile`.
    let mut keys_and_meanwhile = |sides: &mut [(&mut Side, &VersionText)]| {
        if sides.iter().any(|(side, _)| side.wants_keys()) {
            let keys = distinct.keys();
            for (k, &i) in texts.iter().enumerate() {
                if sides[i].0.wants_keys() {
                    sides[i].0.keys = Some(distinct.ids[k].iter().map(|&d| keys[d]).collect());
                }
            }
        }
        meanwhile.take().map(|m| m(sides))
    };
    let Some(date) = one_date else {
        let ran = keys_and_meanwhile(sides);
        on_each(sides, &|side, v| side.claim(v, gazetteer, None));
        return ran;
    };
    let (ran, slots) = distinct.slots((date, gazetteer()), parallel, || {
        keys_and_meanwhile(&mut *sides)
    });
    for (k, &i) in texts.iter().enumerate() {
        if sides[i].0.claims.is_none() {
            sides[i].0.distinct = Some(k);
        }
    }
    // Claims read above are encoded; a side read against a date of its own
    // is read here.
    let read = (&distinct, &slots[..]);
    on_each(sides, &|side, v| side.claim(v, gazetteer, Some(read)));
    sides[0].0.spent = Spent(slots);
    ran
}

/// What [`analyse_pair`] or [`claims_and_digest`] found cached of one side,
/// and what it computed.
#[derive(Default)]
struct Side {
    units: Option<Vec<Unit>>,
    /// Whether the units were segmented here (not cached): they and their
    /// keys are to be cached.
    segmented: bool,
    /// The units' keys, when segmented here (or read for aligning).
    keys: Option<Vec<KeyHash>>,
    claims: Option<(Vec<Claim>, Hash)>,
    /// Cached claims not decoded yet, and their digest.
    encoded: Option<(Vec<u8>, Hash)>,
    /// Whether cached claims could not be decoded (and are extracted again).
    encoded_unreadable: bool,
    /// Which text of the distinct sentences read this side's are.
    distinct: Option<usize>,
    /// Encoded claims, to cache.
    new_claims: Option<Vec<u8>>,
    /// Whether the units segmented here were cached already.
    units_saved: bool,
    /// The distinct sentences' slots, once this side's claims are made of them.
    spent: Spent,
}

impl Side {
    fn needs_work(&self) -> bool {
        self.units.is_none() || self.claims.is_none()
    }

    /// Segment the text unless its units were cached.
    fn segment(&mut self, version: &VersionText) {
        if self.units.is_none() {
            self.units = Some(segment::segment(&version.text));
            self.segmented = true;
        }
    }

    fn wants_keys(&self) -> bool {
        self.segmented && self.keys.is_none()
    }

    /// The units and their keys, once both are there.
    fn keyed(&self) -> Keyed<'_> {
        Keyed {
            units: self.units(),
            keys: self.keys.as_deref().unwrap_or_default(),
        }
    }

    /// The units, after [`Side::segment`].
    fn units(&self) -> &[Unit] {
        self.units.as_deref().unwrap_or_default()
    }

    /// The claims, unless cached: the ones read (`read`: the distinct
    /// sentences and their slots), else extracted here; and their encoding,
    /// to be cached.
    fn claim<'g>(
        &mut self,
        version: &VersionText,
        gazetteer: impl FnOnce() -> &'g Gazetteer,
        read: Option<(&Distinct<'_>, &[Vec<Slot>])>,
    ) {
        if self.claims.is_some() {
            return;
        }
        let found = match (self.distinct, read) {
            (Some(k), Some((distinct, slots))) => distinct.claims(k, slots),
            _ => extract_claims(version, self.units(), gazetteer()),
        };
        let encoded = codec::encode_claims(&version.text, self.units(), &found);
        self.claims = Some((found, *blake3::hash(&encoded).as_bytes()));
        self.new_claims = Some(encoded);
    }

    /// Segment and extract what is missing, on this thread; touches no store.
    fn work<'g>(&mut self, version: &VersionText, gazetteer: impl FnOnce() -> &'g Gazetteer) {
        self.segment(version);
        if self.wants_keys() {
            self.keys = Some(crate::diff::unit_key_hashes(&version.text, self.units()));
        }
        self.claim(version, gazetteer, None);
    }

    /// What [`Side::work`] computed, to cache (the claims' encoding moved out).
    fn unsaved(&mut self, hash: &Hash, analyser: &str) -> Unsaved {
        let mut out = if self.units_saved {
            Vec::new()
        } else {
            self.units_entries(hash)
        };
        if let Some(encoded) = self.new_claims.take() {
            out.push((
                *hash,
                analyser.to_string(),
                claims::ANALYSER_VERSION,
                encoded,
            ));
        }
        Unsaved(out)
    }

    /// The units segmented here and their keys, to cache.
    fn units_entries(&self, hash: &Hash) -> Vec<(Hash, String, i64, Vec<u8>)> {
        let mut out = Vec::new();
        if let (true, Some(keys)) = (self.segmented, &self.keys) {
            let units = codec::encode_units(self.units());
            out.push((*hash, "units".to_string(), SEGMENTER_VERSION, units));
            let keys = codec::encode_unit_keys(keys);
            out.push((*hash, codec::UNIT_KEYS.to_string(), UNIT_KEYS_VERSION, keys));
        }
        out
    }

    /// After [`Side::work`], every field is there.
    fn finish(self) -> SideAnalysis {
        let (claims, digest) = self.claims.unwrap_or_default();
        SideAnalysis {
            units: self.units.unwrap_or_default(),
            keys: self.keys,
            claims,
            digest,
        }
    }
}

/// Two texts compared as `kind` (the mode and the gazetteer), cached per
/// ordered pair of text hashes and valid for `inputs`, a fingerprint of
/// everything else the comparison depends on (see `compare::compare`), as
/// stored: the alignment and the claim rows, read back against the two sides
/// with [`read_comparison`].
pub fn cached_comparison_bytes(
    store: &Store,
    (kind, inputs): (&str, &Hash),
    (from, to): (&Hash, &Hash),
) -> Option<Vec<u8>> {
    store.comparison(from, to, kind, inputs).ok()?
}

/// A cached comparison's bytes read back against its two sides.
pub fn read_comparison(
    data: &[u8],
    from_source: &RowSource<'_>,
    to_source: &RowSource<'_>,
) -> Option<(Alignment, Rows)> {
    codec::decode_comparison(data, Some((from_source, to_source)))
}

/// A comparison encoded for the cache ([`encode_comparison`]), not written
/// yet: the encoding borrows the claim rows, the writing (which may wait for
/// the disk) does not, and can run while the report is shown.
pub struct EncodedComparison {
    from: Hash,
    to: Hash,
    kind: String,
    inputs: Hash,
    data: Vec<u8>,
}

impl EncodedComparison {
    /// Cache it for [`cached_comparison_bytes`] (replacing a stale one), best
    /// effort as every analysis: a cache that cannot be written is only a
    /// cache missed.
    pub fn save(self, store: &Store) {
        let _ = store.put_comparison(&self.from, &self.to, &self.kind, &self.inputs, &self.data);
    }
}

/// A comparison to cache, encoded; none for an alignment made past its time
/// budget, which is not kept.
pub fn encode_comparison(
    (kind, inputs): (&str, &Hash),
    (alignment, rows): (&Alignment, &Rows),
    (from, from_source, from_candidates): (&Hash, &RowSource<'_>, Candidates<'_>),
    (to, to_source, to_candidates): (&Hash, &RowSource<'_>, Candidates<'_>),
) -> Option<EncodedComparison> {
    if !alignment.complete() {
        return None;
    }
    let data = codec::encode_comparison(
        alignment,
        (&rows.0, rows.1.as_ref()),
        (from_source, from_candidates),
        (to_source, to_candidates),
    )?;
    Some(EncodedComparison {
        from: *from,
        to: *to,
        kind: kind.to_string(),
        inputs: *inputs,
        data,
    })
}

/// A version's claims over `units`, not cached: the extraction [`claims`]
/// caches, for texts that are not in a store.
pub fn extract_claims(version: &VersionText, units: &[Unit], gazetteer: &Gazetteer) -> Vec<Claim> {
    claims::extract_units(
        &version.text,
        units,
        &ExtractOptions {
            article_date: stated_date(version),
            gazetteer,
        },
    )
}

/// The article's date as its page gave it: a page that gives only its update
/// time still dates the article.
fn stated_date(version: &VersionText) -> Option<NaiveDate> {
    version
        .published
        .as_deref()
        .or(version.modified.as_deref())
        .and_then(|p| NaiveDate::parse_from_str(p.get(..10)?, "%Y-%m-%d").ok())
}

/// [`extract_claims`] of two texts, the same values, with each distinct
/// sentence read once when both are read against one article date (a
/// sentence's slots depend on nothing else): two versions of an article share
/// most of their sentences. `parallel`: the distinct sentences are split
/// between this thread and another.
pub fn extract_claims_pair(
    sides: [(&VersionText, &[Unit]); 2],
    gazetteer: &Gazetteer,
    parallel: bool,
) -> [Vec<Claim>; 2] {
    let dates = sides.map(|(v, units)| claims::article_date(&v.text, units, stated_date(v)));
    let [(a, au), (b, bu)] = sides;
    if dates[0] != dates[1] {
        let one = || extract_claims(a, au, gazetteer);
        let other = || extract_claims(b, bu, gazetteer);
        return if parallel {
            let (x, y) = both(one, other);
            [x, y]
        } else {
            [one(), other()]
        };
    }
    let distinct = Distinct::new([(&a.text[..], au), (&b.text[..], bu)]);
    let ((), slots) = distinct.slots((dates[0], gazetteer), parallel, || ());
    [0, 1].map(|side| distinct.claims(side, &slots))
}

/// The distinct sentences (unit texts) of one or more texts, and each unit's
/// among them.
struct Distinct<'t> {
    sentences: Vec<&'t str>,
    /// Per text, per unit: the index of its sentence.
    ids: Vec<Vec<usize>>,
}

impl<'t> Distinct<'t> {
    fn new<'u>(texts: impl IntoIterator<Item = (&'t str, &'u [Unit])>) -> Distinct<'t> {
        let mut sentences = Vec::new();
        let mut index: FxHashMap<&str, usize> = FxHashMap::default();
        let ids = texts
            .into_iter()
            .map(|(text, units)| {
                index.reserve(units.len());
                units
                    .iter()
                    .map(|u| {
                        let sentence = u.text(text);
                        *index.entry(sentence).or_insert_with(|| {
                            sentences.push(sentence);
                            sentences.len() - 1
                        })
                    })
                    .collect()
            })
            .collect();
        Distinct { sentences, ids }
    }

    /// Each distinct sentence's unit key hash.
    fn keys(&self) -> Vec<KeyHash> {
        self.sentences
            .iter()
            .map(|s| crate::diff::unit_key_hash(s))
            .collect()
    }

    /// Each distinct sentence's slots, read against `date`; and what
    /// `first` returns, run before this thread reads. `parallel`: another
    /// thread reads too, starting at once.
    fn slots<R>(
        &self,
        (date, gazetteer): (Option<NaiveDate>, &Gazetteer),
        parallel: bool,
        first: impl FnOnce() -> R,
    ) -> (R, Vec<Vec<Slot>>) {
        let read = |i: usize| claims::sentence_slots(self.sentences[i], date, gazetteer);
        let chunks = parallel.then_some(READ_CHUNK);
        crate::parallel::first_then_shared(first, self.sentences.len(), chunks, read)
    }

    /// The claims of text `side`: its units with slots, in order.
    fn claims(&self, side: usize, slots: &[Vec<Slot>]) -> Vec<Claim> {
        self.ids[side]
            .iter()
            .enumerate()
            .filter(|&(_, &d)| !slots[d].is_empty())
            .map(|(i, &d)| Claim {
                sentence: i,
                text: self.sentences[d].to_string(),
                slots: slots[d].clone(),
            })
            .collect()
    }
}

/// A cached analysis: in [`codec`]'s encoding, or as the JSON older builds
/// wrote (read as it is, rewritten only when stale).
fn cached<T: serde::de::DeserializeOwned>(
    store: &Store,
    version: &VersionText,
    analyser: &str,
    v: i64,
    decode: impl FnOnce(&[u8]) -> Option<T>,
) -> Option<T> {
    let bytes = store.analysis(&version.text_hash, analyser, v).ok()??;
    if codec::is_binary(&bytes) {
        decode(&bytes)
    } else {
        serde_json::from_slice(&bytes).ok()
    }
}

fn store_cached(store: &Store, version: &VersionText, analyser: &str, v: i64, bytes: &[u8]) {
    let _ = store.put_analysis(&version.text_hash, analyser, v, bytes);
}

/// What is wrong with a cached entry of `analyser`, if anything: it must be
/// well formed in this encoding, or JSON.
pub fn cache_problem(analyser: &str, data: &[u8]) -> Option<&'static str> {
    if codec::is_binary(data) {
        (!codec::well_formed(analyser, data)).then_some("malformed")
    } else {
        serde_json::from_slice::<serde::de::IgnoredAny>(data)
            .is_err()
            .then_some("not JSON")
    }
}

/// What is wrong with a cached comparison, if anything (see
/// [`cached_comparison_bytes`]).
pub fn comparison_problem(data: &[u8]) -> Option<&'static str> {
    (!codec::well_formed(codec::COMPARISON, data)).then_some("malformed")
}

/// The analyser name of claims extracted with a gazetteer (`gazetteer_id`:
/// see [`Names::id`]).
fn claims_analyser(gazetteer_id: &str) -> String {
    format!("claims{gazetteer_id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::unstored;
    use crate::store::OpenMode;

    /// Each distinct sentence read once gives each side's claims as reading
    /// it alone does, whether the sides share an article date (relative and
    /// yearless dates read against it) or not, on one thread or two.
    #[test]
    fn a_pair_of_texts_reads_as_each_text_alone() {
        let shared = "وقال الوزير أمس إن 12 شخصا قتلوا في 3 مارس. The minister said on Monday that 40 people were hurt.\n\nلم تعلن الحكومة أي تفاصيل.\n\n";
        let (a, b) = (
            format!("{shared}وأضاف أن 5 جرحى نقلوا إلى المستشفى.\n\n{shared}"),
            format!("وأضاف أن 7 جرحى نقلوا إلى المستشفى.\n\n{shared}"),
        );
        let dated = |key, text: &str, date: Option<&str>| VersionText {
            published: date.map(str::to_string),
            ..unstored(key, 1, text)
        };
        let g = Gazetteer::builtin();
        for dates in [
            (None, None),
            (Some("2025-01-10"), Some("2025-01-10")),
            (Some("2025-01-10T08:00:00Z"), Some("2025-03-01")),
            (None, Some("2024-12-31")),
        ] {
            let (a, b) = (dated("a", &a, dates.0), dated("b", &b, dates.1));
            let (au, bu) = (segment::segment(&a.text), segment::segment(&b.text));
            let alone = [extract_claims(&a, &au, g), extract_claims(&b, &bu, g)];
            assert!(alone[0].iter().any(|c| c.slots.len() > 1), "{alone:?}");
            if dates.0.is_some() {
                // The date is read: the case is one where it matters.
                let undated = dated("a", &a.text, None);
                assert_ne!(alone[0], extract_claims(&undated, &au, g));
            }
            for parallel in [false, true] {
                let pair = extract_claims_pair([(&a, &au[..]), (&b, &bu[..])], g, parallel);
                assert_eq!(pair, alone, "{dates:?}, parallel: {parallel}");
            }
        }
    }

    /// Both sides new and long (two threads), one side cached, the same text
    /// twice: the same units, claims and digests as analysing each side alone,
    /// and everything cached.
    #[test]
    fn a_pair_is_analysed_as_each_side_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db"), OpenMode::Create).unwrap();
        let alone = Store::open(&dir.path().join("alone.db"), OpenMode::Create).unwrap();
        let paragraph = |i: usize| {
            format!(
                "قالت وزارة الصحة إن {} شخصا أصيبوا في 3 مارس {i}. Officials said {} people died on Monday.\n\n",
                10 + i,
                20 + i
            )
        };
        let long = |start: usize| (start..start + 150).map(paragraph).collect::<String>();
        let (a, b) = (unstored("a", 1, &long(0)), unstored("b", 1, &long(5)));
        assert!(a.text.len() + b.text.len() >= crate::parallel::WORTH_TWO_THREADS);
        let builtin = Gazetteer::builtin;
        let expect = |v: &VersionText| {
            let units = units(&alone, v);
            let (claims, digest) = claims_and_digest(&alone, v, builtin, "");
            (units, claims, digest)
        };
        let check = |got: &SideAnalysis, v: &VersionText| {
            let (units, claims, digest) = expect(v);
            assert_eq!(got.units, units);
            assert_eq!(got.claims, claims);
            assert_eq!(got.digest, digest);
            assert!(!got.claims.is_empty());
        };
        let (x, y) = analyse_pair(&store, (&a, &b), builtin, "");
        check(&x, &a);
        check(&y, &b);
        for v in [&a, &b] {
            for analyser in ["units", codec::UNIT_KEYS, "claims"] {
                assert!(
                    store
                        .analysis(
                            &v.text_hash,
                            analyser,
                            match analyser {
                                "units" => SEGMENTER_VERSION,
                                "claims" => claims::ANALYSER_VERSION,
                                _ => UNIT_KEYS_VERSION,
                            }
                        )
                        .unwrap()
                        .is_some(),
                    "{analyser} not cached"
                );
            }
        }
        // One side cached, the other new; then one text on both sides.
        let c = unstored("c", 1, &long(9));
        let (x, y) = analyse_pair(&store, (&a, &c), builtin, "");
        check(&x, &a);
        check(&y, &c);
        let d = unstored("d", 1, &long(20));
        let (x, y) = analyse_pair(&store, (&d, &d), builtin, "");
        check(&x, &d);
        check(&y, &d);
    }

    /// With an alignment to run meanwhile: the same analyses as without,
    /// the alignment given every side's units and keys; the cached
    /// comparison looked up only when both sides' claims were cached, and
    /// not aligned for when it is found; unreadable cached claims extracted
    /// again (and the lookup, made for their old digest, dropped).
    #[test]
    fn aligning_meanwhile_analyses_as_without() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db"), OpenMode::Create).unwrap();
        let alone = Store::open(&dir.path().join("alone.db"), OpenMode::Create).unwrap();
        let paragraph = |i: usize| {
            format!(
                "قال مسؤولون إن {} شخصا أصيبوا في 3 مارس {i}. Officials said {} people died.\n\n",
                10 + i,
                20 + i
            )
        };
        let long = |start: usize| (start..start + 150).map(paragraph).collect::<String>();
        let (a, b) = (unstored("a", 1, &long(0)), unstored("b", 1, &long(5)));
        let builtin = Gazetteer::builtin;
        let (xa, xb) = analyse_pair(&alone, (&a, &b), builtin, "");
        let keys = |v: &VersionText, units: &[Unit]| crate::diff::unit_key_hashes(&v.text, units);
        let expected_keyed = (
            xa.units.clone(),
            keys(&a, &xa.units),
            xb.units.clone(),
            keys(&b, &xb.units),
        );
        let run = |found: Option<u8>| {
            let meanwhile = Meanwhile {
                lookup: move |_: &Hash, _: &Hash| found,
                align: |f: Keyed<'_>, t: Keyed<'_>| {
                    (
                        f.units.to_vec(),
                        f.keys.to_vec(),
                        t.units.to_vec(),
                        t.keys.to_vec(),
                    )
                },
            };
            let got = analyse_pair_with(&store, (&a, &b), builtin, "", Some(meanwhile));
            for (side, expected) in [(&got.from, &xa), (&got.to, &xb)] {
                assert_eq!(side.units, expected.units);
                assert_eq!(side.claims, expected.claims);
                assert_eq!(side.digest, expected.digest);
            }
            got
        };
        // Nothing cached: aligned while the claims are read; nothing looked up.
        let got = run(Some(1));
        assert_eq!(got.looked_up, None);
        assert_eq!(got.aligned.as_ref(), Some(&expected_keyed));
        assert!(!got.unsaved.is_empty());
        got.unsaved.save(&store);
        // All cached: looked up; aligned (while decoding) only if not found.
        let got = run(None);
        assert_eq!(got.looked_up, Some(None));
        assert_eq!(got.aligned.as_ref(), Some(&expected_keyed));
        assert!(got.unsaved.is_empty());
        let got = run(Some(7));
        assert_eq!(got.looked_up, Some(Some(7)));
        assert!(got.aligned.is_none());
        // One side's cached claims unreadable: extracted again, the lookup dropped.
        store
            .put_analysis(
                &b.text_hash,
                "claims",
                claims::ANALYSER_VERSION,
                b"not json",
            )
            .unwrap();
        let got = run(Some(7));
        assert_eq!(got.looked_up, None);
        assert!(got.aligned.is_none() || got.aligned.as_ref() == Some(&expected_keyed));
        assert!(!got.unsaved.is_empty());
    }
}
