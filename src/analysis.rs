//! Analyses of stored versions — segmentation and claims — cached in the
//! store by text hash and analyser version, so each text is analysed once.
//!
//! The cache is best effort: a store that is busy or read-only still answers,
//! it only recomputes.

use chrono::NaiveDate;

use crate::claims::{self, Claim, ExtractOptions, Gazetteer};
use crate::store::{Store, VersionText};
use crate::text::segment::{self, SEGMENTER_VERSION, Unit};

/// A version's units (sentences, headings, list items, table rows).
pub fn units(store: &Store, version: &VersionText) -> Vec<Unit> {
    if let Some(units) = cached::<Vec<Unit>>(store, version, "units", SEGMENTER_VERSION)
        && units
            .iter()
            .all(|u| u.start <= u.end && version.text.get(u.start..u.end).is_some())
    {
        return units;
    }
    let units = segment::segment(&version.text);
    store_cached(store, version, "units", SEGMENTER_VERSION, &units);
    units
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
    if let Some(found) = cached::<Vec<Claim>>(store, version, &analyser, claims::ANALYSER_VERSION) {
        return found;
    }
    let found = extract_claims(version, &units(store, version), gazetteer());
    store_cached(store, version, &analyser, claims::ANALYSER_VERSION, &found);
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

fn cached<T: serde::de::DeserializeOwned>(
    store: &Store,
    version: &VersionText,
    analyser: &str,
    v: i64,
) -> Option<T> {
    let bytes = store.analysis(&version.text_hash, analyser, v).ok()??;
    serde_json::from_slice(&bytes).ok()
}

fn store_cached<T: serde::Serialize>(
    store: &Store,
    version: &VersionText,
    analyser: &str,
    v: i64,
    value: &T,
) {
    if let Ok(bytes) = serde_json::to_vec(value) {
        let _ = store.put_analysis(&version.text_hash, analyser, v, &bytes);
    }
}
