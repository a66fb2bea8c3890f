//! The claim comparison's word lists, demonyms and gazetteer countries as
//! tables built at compile time (build.rs writes them from `lexicon.rs`,
//! `attribution.rs`, `demonym.rs` and `gazetteer.txt`): a process that
//! compares claims no longer folds and hashes ~3,000 words as it starts.

use super::static_map::StaticMap;

include!(concat!(env!("OUT_DIR"), "/claim_tables.rs"));

#[cfg(test)]
mod tests {
    //! Every table against the run-time construction it replaced (kept here,
    //! as it was): the same keys, each with the same value.

    use std::collections::HashMap;
    use std::fmt::Debug;

    use super::super::static_map::StaticSet;
    use super::super::{attribution, demonym, lexicon};
    use super::*;
    use crate::text::normalize::match_key;

    fn folded(words: &[&str]) -> Vec<String> {
        let mut out: Vec<String> = words
            .iter()
            .map(|w| match_key(w).trim().to_string())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn same<V: PartialEq + Debug>(name: &str, table: &StaticMap<V>, old: &HashMap<String, V>) {
        assert_eq!(table.len(), old.len(), "{name}: size");
        for (k, v) in old {
            assert_eq!(table.get(k), Some(v), "{name}: {k}");
        }
        for (k, v) in table.iter() {
            assert_eq!(old.get(k), Some(v), "{name}: {k}");
        }
    }

    fn same_set(name: &str, table: &StaticSet, old: &[String]) {
        let old: HashMap<String, ()> = old.iter().map(|w| (w.clone(), ())).collect();
        same(name, table, &old);
        for w in old.keys() {
            assert!(table.contains(w), "{name}: {w}");
        }
    }

    #[test]
    fn word_sets_are_the_folded_lists() {
        same_set("STOPWORDS", &STOPWORDS, &folded(lexicon::STOPWORDS));
        same_set("FAILURE", &FAILURE, &folded(lexicon::FAILURE));
        same_set("ABSENCE", &ABSENCE, &folded(lexicon::ABSENCE));
        same_set("ENDERS", &ENDERS, &folded(lexicon::ENDERS));
        same_set(
            "CASUALTY_UNITS",
            &CASUALTY_UNITS,
            &folded(lexicon::CASUALTY_UNITS),
        );
        let verbs: Vec<&str> = attribution::AR_VERBS
            .iter()
            .chain(attribution::EN_VERBS)
            .copied()
            .collect();
        same_set("REPORTING", &REPORTING, &folded(&verbs));
    }

    #[test]
    fn word_maps_are_the_folded_lists() {
        let mut event_of: HashMap<String, Vec<&'static str>> = HashMap::new();
        for (e, cues) in lexicon::EVENTS {
            for w in folded(cues) {
                event_of.entry(w).or_default().push(*e);
            }
        }
        let event_of = event_of
            .into_iter()
            .map(|(w, v)| (w, v.leak() as &[_]))
            .collect();
        same("EVENT_OF", &EVENT_OF, &event_of);
        let mut pole_of: HashMap<String, Vec<(usize, bool)>> = HashMap::new();
        for (k, (up, down)) in lexicon::OPPOSITES.iter().enumerate() {
            for (words, is_up) in [(up, true), (down, false)] {
                for w in folded(words) {
                    pole_of.entry(w).or_default().push((k, is_up));
                }
            }
        }
        let pole_of = pole_of
            .into_iter()
            .map(|(w, v)| (w, v.leak() as &[_]))
            .collect();
        same("POLE_OF", &POLE_OF, &pole_of);
        for (name, table, lists) in [
            ("ASSETS", &ASSETS, lexicon::ASSETS),
            ("INDICATORS", &INDICATORS, lexicon::INDICATORS),
        ] {
            let old: HashMap<String, &'static str> = lists
                .iter()
                .flat_map(|(c, words)| folded(words).into_iter().map(move |w| (w, *c)))
                .collect();
            same(name, table, &old);
        }
    }

    #[test]
    fn demonyms_are_every_stem_and_ending() {
        let mut old: HashMap<String, &'static str> = HashMap::new();
        for (stem, c) in demonym::ARABIC {
            let stem = match_key(stem).trim().to_string();
            for s in demonym::SUFFIXES {
                old.entry(format!("{stem}{s}")).or_insert(c);
            }
        }
        for (w, c) in demonym::WORDS {
            old.entry(match_key(w).trim().to_string()).or_insert(c);
        }
        same("DEMONYMS", &DEMONYMS, &old);
    }

    #[test]
    fn countries_are_the_gazetteers() {
        let mut old: HashMap<String, &'static str> = HashMap::new();
        let builtin: &'static str = include_str!("gazetteer.txt");
        for line in builtin.lines().filter_map(|l| l.trim().strip_prefix("IN|")) {
            let mut parts = line.split('|');
            let Some(country) = parts.next().map(str::trim).filter(|c| !c.is_empty()) else {
                continue;
            };
            old.insert(country.to_string(), country);
            for place in parts.next().unwrap_or("").split(',').map(str::trim) {
                if !place.is_empty() {
                    old.insert(place.to_string(), country);
                }
            }
        }
        same("COUNTRY_OF", &COUNTRY_OF, &old);
    }

    #[test]
    fn lookups_miss_what_is_not_listed() {
        for w in ["", "a", "zzzzzzzzzzzzzzzzzz", "السلام عليكم"] {
            assert_eq!(COUNTRY_OF.get(w), None, "{w}");
            assert_eq!(DEMONYMS.get(w), None, "{w}");
        }
    }
}
