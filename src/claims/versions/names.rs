//! Names read from capitalisation in Latin script: the people, firms and
//! places the gazetteer does not know.

use std::collections::HashSet;

use crate::claims::date;
use crate::text::normalize::match_key;

use super::wording::*;

/// The match key of a Latin word (lower case), without the general folding.
pub(super) fn latin_key(w: &str) -> String {
    if w.is_ascii() {
        w.to_ascii_lowercase()
    } else {
        match_key(w)
    }
}

/// A word without its possessive ending (`Monday's` → `Monday`).
fn without_possessive(w: &str) -> &str {
    ["'s", "’s"]
        .iter()
        .find_map(|p| w.strip_suffix(p))
        .unwrap_or(w)
}

/// A run of capitalised Latin words.
#[derive(Debug, Clone)]
pub(super) struct Name {
    /// As written.
    pub(super) text: String,
    /// Match-key words that name: function words and a sentence's first word left out.
    pub(super) words: Vec<String>,
    /// The capitalised words in order: match key and initials (`HP` for `Hewlett-Packard`).
    pub(super) caps: Vec<(String, String)>,
    /// Words written in capitals (`MPAA`), as match keys.
    pub(super) acronyms: Vec<String>,
}

impl Name {
    /// Initials of every run of two or more consecutive capitalised words (connectors
    /// skipped), lower case: `mpaa` for `Motion Picture Association of America`.
    pub(super) fn initials(&self) -> impl Iterator<Item = String> + '_ {
        (0..self.caps.len()).flat_map(move |a| {
            (a + 1..=self.caps.len()).filter_map(move |b| {
                let s: String = self.caps[a..b].iter().map(|(_, i)| i.as_str()).collect();
                (s.chars().count() >= 2).then(|| s.to_lowercase())
            })
        })
    }

    /// The initials of the runs of capitalised words that hold word `w`.
    pub(super) fn initials_covering<'n>(&'n self, w: &'n str) -> impl Iterator<Item = String> + 'n {
        let n = self.caps.len();
        (0..n).flat_map(move |a| {
            (a + 1..=n).filter_map(move |b| {
                let run = &self.caps[a..b];
                let s: String = run.iter().map(|(_, i)| i.as_str()).collect();
                (s.chars().count() >= 2 && run.iter().any(|(k, _)| k == w))
                    .then(|| s.to_lowercase())
            })
        })
    }
}

pub(super) fn dedup_names(names: &mut Vec<Name>) {
    let mut seen = HashSet::new();
    names.retain(|n| seen.insert(n.words.clone()));
}

/// The words of a text that are names (see the module doc) or numbers, as compared.
pub(in crate::claims) fn name_and_number_words(text: &str) -> HashSet<String> {
    latin_names(text)
        .into_iter()
        .flat_map(|n| n.words)
        .chain(words(text).into_iter().filter(|w| is_number(w)))
        .collect()
}

/// Capitalised runs of Latin words (see the module doc); a sentence's first word gives no
/// name words. A run
/// is broken by anything but spaces; lower-case connectors (`of`, `and`, `the`) may join
/// two capitalised words. A sentence's first word is a name only as part of a run (`New
/// Zealand has…`). Month and weekday names are dates, left to the date slots.
pub(super) fn latin_names(text: &str) -> Vec<Name> {
    // Every name starts with an ASCII capital (see `capitalised`): most
    // Arabic sentences have none to look at.
    if !text.bytes().any(|b| b.is_ascii_uppercase()) {
        return Vec::new();
    }
    struct Tok<'a> {
        word: &'a str,
        start: usize,
        /// It opens a sentence.
        opens: bool,
        /// Only spaces separate it from the previous token.
        joined: bool,
    }
    let mut toks: Vec<Tok> = Vec::new();
    let (mut opens, mut joined) = (true, false);
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let word_char = is_word_char(c) || is_apostrophe(c) || c == '-';
        match (start, word_char) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                toks.push(Tok {
                    word: &text[s..i],
                    start: s,
                    opens,
                    joined,
                });
                start = None;
                (opens, joined) = (false, true);
            }
            _ => {}
        }
        if !word_char && !c.is_whitespace() {
            joined = false;
            if matches!(c, '.' | '!' | '?' | ':' | '"' | '“' | '«' | '؟') {
                opens = true;
            }
        }
    }
    let capitalised = |w: &str| {
        w.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && w.chars().count() >= 2
            && !date::is_calendar_word(&latin_key(without_possessive(w)))
    };
    let connector = |w: &str| matches!(w, "of" | "and" | "the" | "for" | "de" | "al");
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !capitalised(toks[i].word) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        loop {
            if j < toks.len() && toks[j].joined && capitalised(toks[j].word) {
                j += 1;
            } else if j + 1 < toks.len()
                && toks[j].joined
                && toks[j + 1].joined
                && connector(toks[j].word)
                && capitalised(toks[j + 1].word)
            {
                j += 2;
            } else {
                break;
            }
        }
        let run = &toks[i..j];
        let last = &run[run.len() - 1];
        let key = |t: &Tok| words_of_key(&latin_key(t.word)).concat();
        let words: Vec<String> = run
            .iter()
            .filter(|t| !t.opens)
            .map(key)
            .filter(|w| !w.is_empty() && !is_stopword(w) && !is_number(w))
            .collect();
        let caps: Vec<(String, String)> = run
            .iter()
            .filter(|t| capitalised(t.word) && !is_stopword(&key(t)))
            .map(|t| {
                let initials = t
                    .word
                    .split('-')
                    .filter_map(|p| p.chars().next().filter(char::is_ascii_uppercase))
                    .collect();
                (key(t), initials)
            })
            .collect();
        let acronyms = run
            .iter()
            .filter(|t| {
                let letters = || t.word.chars().filter(|c| c.is_alphabetic());
                letters().count() >= 2 && letters().all(|c| c.is_uppercase())
            })
            .map(key)
            .collect();
        // A sentence's capitalised first word alone names nothing (`words` is empty) but
        // may spell out an acronym.
        out.push(Name {
            text: text[run[0].start..last.start + last.word.len()].to_string(),
            words,
            caps,
            acronyms,
        });
        i = j;
    }
    out
}
