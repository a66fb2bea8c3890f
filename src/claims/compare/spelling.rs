//! One name in two transliterations (`كيم جونج أون` / `كيم جونغ أون`,
//! arabic-text.md §6) is one name: before two articles' claims are read
//! against each other, a name word of the second spelled differently from one
//! of the first only in the letters transliterations swap takes the first's
//! spelling. Every reading (words, stems, roots, word vectors, alignment)
//! then sees the same word rather than a swapped one, which the model had
//! learned to read as a contradiction.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::claims::{Claim, Slot};
use crate::diff::fold_translit;
use crate::text::normalize::match_key;

/// A letter of one of the classes transliterations swap (the folded one too:
/// `ف` is the class of `ڤ`).
fn swappable(c: char) -> bool {
    fold_translit(c) != c || matches!(c, 'ف' | 'ب')
}

fn folded(key: &str) -> String {
    key.chars().map(fold_translit).collect()
}

/// The words of a claim's entity slots, as written.
fn name_words(claim: &Claim) -> impl Iterator<Item = &str> {
    claim
        .slots
        .iter()
        .filter_map(|s| match s {
            Slot::Entity { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .flat_map(str::split_whitespace)
}

/// `surface` with its swappable letters taken from `like` (a match key that
/// folds to the same), in order; `None` when nothing changes. Every swappable
/// letter takes two bytes in UTF-8, so spans into the text stay valid.
fn respell(surface: &str, like: &str) -> Option<String> {
    let mut letters = like.chars().filter(|&c| swappable(c));
    let out: String = surface
        .chars()
        .map(|c| {
            if swappable(c) {
                letters
                    .next()
                    .filter(|&l| fold_translit(l) == fold_translit(c))
                    .unwrap_or(c)
            } else {
                c
            }
        })
        .collect();
    (out != surface && out.len() == surface.len()).then_some(out)
}

/// The second article's claims with their names spelled as the first article
/// spells them (see the module doc), or `None` when no name needs it. Only
/// words of entity slots on both sides are respelled, three letters at least:
/// `قتل` and `كتل` fold alike too, and are different words.
pub fn respelled(from: &[Claim], to: &[Claim]) -> Option<Vec<Claim>> {
    let mut keys = HashSet::default();
    let mut by_fold: HashMap<String, String> = HashMap::default();
    for w in from.iter().flat_map(name_words) {
        let key = match_key(w).trim().to_string();
        if key.chars().count() >= 3 {
            by_fold.entry(folded(&key)).or_insert_with(|| key.clone());
            keys.insert(key);
        }
    }
    if by_fold.is_empty() {
        return None;
    }
    let mut out: Option<Vec<Claim>> = None;
    for (j, claim) in to.iter().enumerate() {
        let changes: Vec<(String, String)> = name_words(claim)
            .filter_map(|w| {
                let key = match_key(w).trim().to_string();
                if key.chars().count() < 3 || keys.contains(&key) {
                    return None;
                }
                let like = by_fold.get(&folded(&key))?;
                respell(w, like).map(|new| (w.to_string(), new))
            })
            .collect();
        if changes.is_empty() {
            continue;
        }
        let claims = out.get_or_insert_with(|| to.to_vec());
        let c = &mut claims[j];
        for (old, new) in &changes {
            c.text = c.text.replace(old.as_str(), new);
            for slot in &mut c.slots {
                if let Slot::Entity { text, .. } = slot {
                    *text = text.replace(old.as_str(), new);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::{ExtractOptions, extract};

    fn claims(text: &str) -> Vec<Claim> {
        extract(text, &ExtractOptions::default())
    }

    #[test]
    fn a_name_takes_the_first_articles_spelling() {
        let a = claims("التقى الزعيم كيم جونج أون بالرئيس الروسي في موسكو يوم الخميس.");
        let b = claims("التقى الزعيم كيم جونغ أون بالرئيس الروسي في موسكو يوم الخميس.");
        let respelled = respelled(&a, &b).expect("جونغ respelled");
        assert_eq!(respelled[0].text, a[0].text);
        // Spans into the text keep their bytes.
        assert_eq!(respelled[0].text.len(), b[0].text.len());
        // The same spelling on both sides: nothing to do.
        assert!(super::respelled(&a, &a).is_none());
    }

    #[test]
    fn words_outside_names_keep_their_letters() {
        // `قتل` (killed) and `كتل` (blocs) fold alike; neither is a name.
        let a = claims("قتل ثلاثة أشخاص في بغداد.");
        let b = claims("كتل سياسية تتنافس في بغداد.");
        assert!(respelled(&a, &b).is_none());
    }

    #[test]
    fn respelling_keeps_what_is_not_swappable() {
        assert_eq!(respell("جونغ", "جونج").as_deref(), Some("جونج"));
        assert_eq!(respell("بيونغ", "بيونج").as_deref(), Some("بيونج"));
        assert_eq!(respell("جونج", "جونج"), None);
        // A letter of another class is never taken.
        assert_eq!(respell("كيم", "بيم"), None);
    }
}
