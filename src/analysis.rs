//! Analyses of stored versions — segmentation and claims — cached in the
//! store by text hash and analyser version, so each text is analysed once.
//!
//! The cache is best effort: a store that is busy or read-only still answers,
//! it only recomputes.

mod codec;

use chrono::NaiveDate;

use crate::claims::{self, Claim, ExtractOptions, Gazetteer};
use crate::store::{Store, VersionText};
use crate::text::segment::{self, SEGMENTER_VERSION, Unit};

/// A version's units (sentences, headings, list items, table rows).
pub fn units(store: &Store, version: &VersionText) -> Vec<Unit> {
    if let Some(units) = cached_units(store, version) {
        return units;
    }
    let units = segment::segment(&version.text);
    store_cached(
        store,
        version,
        "units",
        SEGMENTER_VERSION,
        &codec::encode_units(&units),
    );
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
    let analyser = format!("claims{gazetteer_id}");
    if let Some(found) = cached(
        store,
        version,
        &analyser,
        claims::ANALYSER_VERSION,
        |data| codec::decode_claims(data, &version.text),
    ) {
        return found;
    }
    // Units and claims, when both are new, are cached in one transaction.
    let (units, units_new) = match cached_units(store, version) {
        Some(units) => (units, None),
        None => {
            let units = segment::segment(&version.text);
            let encoded = codec::encode_units(&units);
            (units, Some(encoded))
        }
    };
    let found = extract_claims(version, &units, gazetteer());
    let encoded = codec::encode_claims(&version.text, &units, &found);
    let hash = &version.text_hash;
    let mut entries = vec![(
        hash,
        analyser.as_str(),
        claims::ANALYSER_VERSION,
        &encoded[..],
    )];
    if let Some(u) = &units_new {
        entries.insert(0, (hash, "units", SEGMENTER_VERSION, &u[..]));
    }
    let _ = store.put_analyses(&entries);
    found
}

/// A version's claims over `units`, not cached: the extraction [`claims`]
/// caches, for texts that are not in a store.
pub fn extract_claims(version: &VersionText, units: &[Unit], gazetteer: &Gazetteer) -> Vec<Claim> {
    // A page that gives only its update time still dates the article.
    let article_date = version
        .published
        .as_deref()
        .or(version.modified.as_deref())
        .and_then(|p| NaiveDate::parse_from_str(p.get(..10)?, "%Y-%m-%d").ok());
    claims::extract_units(
        &version.text,
        units,
        &ExtractOptions {
            article_date,
            gazetteer,
        },
    )
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
