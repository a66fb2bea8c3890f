//! The words two versions' passages are compared by: folded (case, letter
//! variants, apostrophes, a leading conjunction), counted in bags, spelling
//! fixes and joined words cancelled; and the numbers written in digits.

use std::collections::BTreeMap;

use crate::text::normalize::match_key;

/// Word counts.
pub(super) type Bag = BTreeMap<String, usize>;

/// Shortest words (in letters) whose one-letter differences are read as spelling fixes.
const SPELLING_MIN: usize = 6;

pub(super) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘' | '`')
}

/// The words of a text as compared: match key (case, Arabic letter variants and digit
/// scripts folded), apostrophes dropped, split at everything but letters and digits. A
/// leading Arabic conjunction (`و`, `ف`) is dropped, as editors add and remove it freely.
pub(in crate::claims) fn words(text: &str) -> Vec<String> {
    words_of_key(&key_of(text))
}

/// Most sentences a per-thread memo of [`key_of`] keeps.
const KEY_MEMO_LIMIT: usize = 1 << 10;

/// The match key of a sentence (or any text), memoised per thread: comparing
/// two versions reads the key of each edited sentence a dozen times (its
/// words, its numbers, its neighbourhood, its readings). Short texts are
/// keyed directly.
pub(in crate::claims) fn key_of(text: &str) -> std::rc::Rc<str> {
    use std::cell::RefCell;
    use std::rc::Rc;
    thread_local! {
        static MEMO: RefCell<rustc_hash::FxHashMap<Box<str>, Rc<str>>> =
            RefCell::new(rustc_hash::FxHashMap::default());
    }
    if text.len() < 32 {
        return Rc::from(match_key(text));
    }
    if let Some(key) = MEMO.with_borrow(|m| m.get(text).cloned()) {
        return key;
    }
    let key: Rc<str> = Rc::from(match_key(text));
    MEMO.with_borrow_mut(|m| {
        if m.len() >= KEY_MEMO_LIMIT {
            m.clear();
        }
        m.insert(Box::from(text), key.clone());
    });
    key
}

/// [`words`] of a text already in match-key form.
pub(super) fn words_of_key(key: &str) -> Vec<String> {
    // A word is a run of letters, digits and apostrophes, less the
    // apostrophes: each is copied whole from the key (the run's start, and
    // whether it holds an apostrophe to drop).
    let mut out = Vec::new();
    let mut run: Option<(usize, bool)> = None;
    for (i, c) in key.char_indices() {
        let apostrophe = is_apostrophe(c);
        if apostrophe || is_word_char(c) {
            match &mut run {
                None => run = Some((i, apostrophe)),
                Some((_, any)) => *any |= apostrophe,
            }
        } else if let Some((start, any)) = run.take() {
            push_word(&mut out, &key[start..i], any);
        }
    }
    if let Some((start, any)) = run {
        push_word(&mut out, &key[start..], any);
    }
    out
}

fn push_word(out: &mut Vec<String>, run: &str, apostrophes: bool) {
    let word: String = if apostrophes {
        run.chars().filter(|&c| !is_apostrophe(c)).collect()
    } else {
        run.to_string()
    };
    if !word.is_empty() {
        out.push(fold_conjunction(word));
    }
}

/// Letters and digits; ASCII and the Arabic letters first, as the general Unicode lookup
/// is slow.
pub(super) fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || ('\u{0621}'..='\u{064A}').contains(&c)
        || (!c.is_ascii() && c.is_alphanumeric())
}

fn fold_conjunction(mut w: String) -> String {
    if w.starts_with(['و', 'ف']) && w.chars().nth(3).is_some() {
        // Both letters are two bytes long.
        w.replace_range(..2, "");
    }
    w
}

pub(super) fn is_number(w: &str) -> bool {
    w.chars().any(|c| c.is_ascii_digit())
}

/// Whether a match-key word is one of the shared stopwords (Arabic and English function
/// words; folded at build time).
pub(super) fn is_stopword(w: &str) -> bool {
    crate::claims::tables::STOPWORDS.contains(w)
}

/// English function words beyond the shared stopwords (pronouns, determiners, auxiliaries,
/// conjunctions): a sentence split off or merged in brings these along, not news.
const FUNCTION_WORDS: &[&str] = &[
    "i", "you", "he", "she", "we", "they", "me", "him", "her", "us", "them", "my", "your", "his",
    "our", "their", "who", "whom", "whose", "which", "what", "these", "those", "there", "then",
    "than", "some", "any", "each", "every", "all", "both", "other", "such", "but", "if", "so",
    "because", "while", "though", "although", "also", "just", "only", "do", "does", "did", "will",
    "would", "can", "could", "may", "might", "must", "shall", "should", "being", "into", "onto",
    "over", "after", "before", "about", "up", "out",
];

pub(super) fn is_function_word(w: &str) -> bool {
    is_stopword(w) || FUNCTION_WORDS.contains(&w)
}

/// Words that carry a value: not function words, not numbers.
pub(super) fn content_words(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .filter(|w| !is_stopword(w) && !is_number(w))
        .collect()
}

pub(super) fn bag(words: &[String]) -> Bag {
    let mut b = Bag::new();
    for w in words {
        *b.entry(w.clone()).or_default() += 1;
    }
    b
}

pub(super) fn minus(a: &Bag, b: &Bag) -> Bag {
    a.iter()
        .filter_map(|(w, &n)| {
            let m = b.get(w).copied().unwrap_or(0);
            (n > m).then(|| (w.clone(), n - m))
        })
        .collect()
}

pub(super) fn count(b: &Bag, w: &str) -> usize {
    b.get(w).copied().unwrap_or(0)
}

pub(super) fn take(b: &mut Bag, w: &str) {
    if let Some(n) = b.get_mut(w) {
        *n -= 1;
        if *n == 0 {
            b.remove(w);
        }
    }
}

/// Whether two words differ by one letter inserted, deleted, replaced or two adjacent
/// letters swapped.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b {
        return false;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    match long.len() - short.len() {
        0 => {
            let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            match diff.as_slice() {
                [_] => true,
                [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
                _ => false,
            }
        }
        1 => {
            let i = (0..short.len())
                .find(|&i| short[i] != long[i])
                .unwrap_or(short.len());
            short[i..] == long[i + 1..]
        }
        _ => false,
    }
}

/// Words only on one side that are the other side's words joined (`keyzilberman` from
/// `key zilberman`): both lose them.
pub(super) fn cancel_joins(whole: &mut Bag, parts: &mut Bag, parts_text: &[String]) {
    for pair in parts_text.windows(2) {
        // The changed words are few: look them up before joining any.
        if whole.is_empty() || count(parts, &pair[0]) == 0 || count(parts, &pair[1]) == 0 {
            continue;
        }
        let joined = format!("{}{}", pair[0], pair[1]);
        if count(whole, &joined) > 0 {
            take(whole, &joined);
            take(parts, &pair[0]);
            take(parts, &pair[1]);
        }
    }
}

/// A one-letter spelling fix in a long word is no change of word.
pub(super) fn cancel_spelling(deleted: &mut Bag, inserted: &mut Bag) {
    let long = |w: &str| w.chars().count() >= SPELLING_MIN && !is_number(w);
    let candidates: Vec<String> = deleted.keys().filter(|w| long(w)).cloned().collect();
    for d in candidates {
        while count(deleted, &d) > 0 {
            let Some(i) = inserted
                .keys()
                .find(|i| long(i) && one_edit_apart(&d, i))
                .cloned()
            else {
                break;
            };
            take(deleted, &d);
            take(inserted, &i);
        }
    }
}

/// Numbers written in digits (`15,000`, `8.5`, `3:30` is two), folded to values.
#[cfg(test)]
pub(super) fn digit_numbers(text: &str) -> Vec<f64> {
    digit_runs(text).into_iter().map(|(_, v)| v).collect()
}

/// Numbers written in digits, as written (match key) and as values.
pub(super) fn digit_runs(text: &str) -> Vec<(String, f64)> {
    digit_runs_of_key(&key_of(text))
}

pub(super) fn digit_runs_of_key(key: &str) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    // ASCII digits and separators: a digit byte is never inside a longer
    // character, so the key is walked byte by byte.
    let bytes = key.as_bytes();
    let digit_at = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    // A separator's length when one stands at `i` (`٫` and `٬` are two bytes).
    let separator_at = |i: usize| match bytes.get(i..) {
        Some([b',' | b'.', ..]) => Some(1),
        Some([0xD9, 0xAB | 0xAC, ..]) => Some(2),
        _ => None,
    };
    let mut i = 0;
    while i < bytes.len() {
        if !digit_at(i) {
            i += 1;
            continue;
        }
        let start = i;
        loop {
            if digit_at(i) {
                i += 1;
            } else if let Some(len) = separator_at(i).filter(|&len| digit_at(i + len)) {
                i += len;
            } else {
                break;
            }
        }
        let run = &key[start..i];
        if let Some(v) = parse_digits(run) {
            out.push((run.to_string(), v));
        }
    }
    out
}

/// Whether the digits `run` stand in `text` as an ordinal (`11th`, `2nd`), which the other
/// version may spell out (`eleventh`).
pub(super) fn ordinal(text: &str, run: &str) -> bool {
    let key = key_of(text);
    key.match_indices(run).any(|(i, _)| {
        let rest = &key[i + run.len()..];
        ["st", "nd", "rd", "th"].iter().any(|s| {
            rest.strip_prefix(s)
                .is_some_and(|r| !r.starts_with(is_word_char))
        })
    })
}

pub(super) fn parse_digits(run: &str) -> Option<f64> {
    let groups: Vec<&str> = run.split([',', '٬']).collect();
    let thousands = groups.len() > 1 && groups[1..].iter().all(|g| g.len() == 3);
    let s = if thousands {
        groups.concat()
    } else {
        run.replace([',', '٬'], ".")
    };
    let s = s.replace('٫', ".");
    s.parse().ok().or_else(|| s.split('.').next()?.parse().ok())
}

pub(super) fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}
