//! How often each entry of the verdict lexicons (`lexicon.rs`) fires on a
//! text, read the way articles mode reads words: match key, the word and its
//! one-proclitic readings (and the `و`/`ف`-less form the substitution rule
//! uses), and for the classes of opposites the verb readings too. An entry
//! that never fires on the labelled data gets no weight from the model
//! trained on it, so it can go (`examples/lexicon_use.rs`).
//!
//! The readings are the union of those the rules use, so an entry counted as
//! never firing is matched by no rule.

use std::collections::{HashMap, HashSet};

use super::compare::proclitic_readings;
use super::lexicon::{ABSENCE, ASSETS, EVENTS, FAILURE, INDICATORS, OPPOSITES, STOPWORDS};
use super::opposites::verb_readings;
use crate::text::normalize::match_key;

/// One entry of a verdict lexicon.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The list (`STOPWORDS`, `OPPOSITES`, ...).
    pub list: &'static str,
    /// Its class within the list (event, asset, `3 up` for the up pole of
    /// the fourth class of opposites); empty for flat lists.
    pub class: String,
    /// As written in the list.
    pub word: &'static str,
    /// As matched (match key).
    pub key: String,
}

/// Every entry of the verdict lexicons with the number of words of the texts
/// read so far that it matched.
pub struct LexiconUse {
    entries: Vec<Entry>,
    hits: Vec<u64>,
    /// Match key → entries, for the lists read through proclitics only.
    plain: HashMap<String, Vec<usize>>,
    /// Match key → entries of the classes of opposites.
    opposites: HashMap<String, Vec<usize>>,
}

impl Default for LexiconUse {
    fn default() -> Self {
        Self::new()
    }
}

impl LexiconUse {
    pub fn new() -> LexiconUse {
        let mut entries = Vec::new();
        let mut flat = |list: &'static str, class: &str, words: &[&'static str]| {
            for &word in words {
                entries.push(Entry {
                    list,
                    class: class.to_string(),
                    word,
                    key: match_key(word).trim().to_string(),
                });
            }
        };
        flat("STOPWORDS", "", STOPWORDS);
        for (event, words) in EVENTS {
            flat("EVENTS", event, words);
        }
        for (asset, words) in ASSETS {
            flat("ASSETS", asset, words);
        }
        for (indicator, words) in INDICATORS {
            flat("INDICATORS", indicator, words);
        }
        flat("FAILURE", "", FAILURE);
        flat("ABSENCE", "", ABSENCE);
        for (k, (up, down)) in OPPOSITES.iter().enumerate() {
            flat("OPPOSITES", &format!("{k} up"), up);
            flat("OPPOSITES", &format!("{k} down"), down);
        }
        let (mut plain, mut opposites): (HashMap<String, Vec<usize>>, HashMap<_, Vec<usize>>) =
            Default::default();
        for (i, e) in entries.iter().enumerate() {
            let index = if e.list == "OPPOSITES" {
                &mut opposites
            } else {
                &mut plain
            };
            index.entry(e.key.clone()).or_default().push(i);
        }
        LexiconUse {
            hits: vec![0; entries.len()],
            entries,
            plain,
            opposites,
        }
    }

    /// Counts the entries each word of `text` fires (an entry once per word).
    pub fn read(&mut self, text: &str) {
        let key = match_key(text);
        for w in key
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let mut fired: HashSet<usize> = HashSet::new();
            let conj = w.trim_start_matches(['و', 'ف']);
            for r in proclitic_readings(w).chain([conj]) {
                fired.extend(self.plain.get(r).into_iter().flatten());
                verb_readings(
                    r,
                    |c| self.opposites.contains_key(c),
                    |c| fired.extend(&self.opposites[c]),
                );
            }
            for i in fired {
                self.hits[i] += 1;
            }
        }
    }

    /// Each entry with the number of words it matched.
    pub fn counts(&self) -> impl Iterator<Item = (&Entry, u64)> {
        self.entries.iter().zip(self.hits.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_fire_through_proclitics_and_conjugation() {
        let mut usage = LexiconUse::new();
        usage.read("وارتفعت أسعار الذهب بعد مقتل 3");
        let fired = |list: &str, word: &str| {
            usage
                .counts()
                .any(|(e, n)| e.list == list && e.word == word && n > 0)
        };
        assert!(fired("OPPOSITES", "ارتفعت"));
        assert!(fired("EVENTS", "مقتل"));
        assert!(fired("STOPWORDS", "بعد"));
        assert!(!fired("STOPWORDS", "قبل"));
    }
}
