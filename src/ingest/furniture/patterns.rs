//! The text patterns furniture is written in: times, dates, read times,
//! "n of m" counters, photo credits, contact lines, bracketed labels.

// The patterns below are spelled out by hand rather than as regexes: they run
// on every block, and compiling Unicode-aware regexes cost a one-page `add`
// more than the whole extraction.

/// The value of a decimal digit: ASCII, Arabic-Indic or Eastern Arabic-Indic.
pub(super) fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        _ => None,
    }
}

/// `char::is_alphabetic`, with the common cases first: Unicode's table
/// lookup is the slow part of reading an Arabic paragraph.
pub(super) fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else if ('\u{0621}'..='\u{064A}').contains(&c) {
        true
    } else {
        c.is_alphabetic()
    }
}

/// Whether a letter has case at all and is upper case (Arabic has none).
pub(super) fn is_upper_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_uppercase()
    } else {
        !('\u{0600}'..='\u{06FF}').contains(&c) && c.is_uppercase()
    }
}

fn is_digit(c: char) -> bool {
    digit(c).is_some()
}

/// How many digits start at `i`.
fn digits_at(s: &[char], i: usize) -> usize {
    s.get(i..)
        .map_or(0, |r| r.iter().take_while(|c| is_digit(**c)).count())
}

/// Starts of maximal digit runs.
fn run_starts(s: &[char]) -> impl Iterator<Item = usize> + '_ {
    (0..s.len()).filter(|&i| is_digit(s[i]) && (i == 0 || !is_digit(s[i - 1])))
}

fn skip_spaces(s: &[char], mut i: usize) -> usize {
    while i < s.len() && s[i].is_whitespace() {
        i += 1;
    }
    i
}

/// `s[i..]` starts with `word` (lower case).
fn starts_at(s: &[char], i: usize, word: &str) -> Option<usize> {
    let mut j = i;
    for w in word.chars() {
        if s.get(j) != Some(&w) {
            return None;
        }
        j += 1;
    }
    Some(j)
}

fn is_letter_at(s: &[char], i: usize) -> bool {
    s.get(i).is_some_and(|c| is_letter(*c))
}

/// `9:41`, `17.30`: one or two digits, a colon or dot, two digits.
pub(super) fn has_time(s: &[char]) -> bool {
    run_starts(s).any(|i| {
        let n = digits_at(s, i);
        (1..=2).contains(&n)
            && matches!(s.get(i + n), Some(':' | '.'))
            && digits_at(s, i + n + 1) == 2
    })
}

/// `11/18/19`, `19-11-2019`, `2019.11.19`.
pub(super) fn has_numeric_date(s: &[char]) -> bool {
    let sep = |c: Option<&char>| matches!(c, Some('/' | '.' | '-'));
    run_starts(s).any(|i| {
        let a = digits_at(s, i);
        if !(1..=4).contains(&a) || !sep(s.get(i + a)) {
            return false;
        }
        let j = i + a + 1;
        let b = digits_at(s, j);
        if !(1..=2).contains(&b) || !sep(s.get(j + b)) {
            return false;
        }
        (2..=4).contains(&digits_at(s, j + b + 1))
    })
}

/// A year of this or the last century, on its own.
pub(super) fn has_year(s: &[char]) -> bool {
    run_starts(s).any(|i| {
        digits_at(s, i) == 4
            && matches!(
                (digit(s[i]), digit(s[i + 1])),
                (Some(1), Some(9)) | (Some(2), Some(0))
            )
    })
}

/// After `i`: `of`, `/` or `من` between spaces, and where the next part starts.
fn of_separator(s: &[char], i: usize) -> Option<usize> {
    let i = skip_spaces(s, i);
    let j = starts_at(s, i, "of")
        .or_else(|| starts_at(s, i, "/"))
        .or_else(|| starts_at(s, i, "من"))?;
    Some(skip_spaces(s, j))
}

/// The whole line is `Image 1 of 8`, `1 / 5`, `صورة 1 من 5`.
pub(super) fn is_n_of_m(s: &[char]) -> bool {
    let mut i = skip_spaces(s, 0);
    for prefix in ["image", "photo", "picture", "slide", "صورة"] {
        if let Some(j) = starts_at(s, i, prefix) {
            i = skip_spaces(s, j);
            break;
        }
    }
    let n = digits_at(s, i);
    if n == 0 {
        return false;
    }
    let Some(mut j) = of_separator(s, i + n) else {
        return false;
    };
    if s.get(j) == Some(&'/') {
        j = skip_spaces(s, j + 1);
    }
    let m = digits_at(s, j);
    m > 0 && skip_spaces(s, j + m) == s.len()
}

/// A gallery counter glued to its caption: `1of4Grass Valley's…`.
pub(super) fn starts_n_of_m(s: &[char]) -> bool {
    let n = digits_at(s, 0);
    if n == 0 {
        return false;
    }
    let Some(j) = of_separator(s, n) else {
        return false;
    };
    let m = digits_at(s, j);
    m >= 2 || (m == 1 && s.get(j + 1).is_some_and(|c| !c.is_whitespace()))
}

/// `8 mins read`, `2min`, `3 دقائق`.
pub(super) fn has_read_time(s: &[char]) -> bool {
    run_starts(s).any(|i| {
        let mut j = skip_spaces(s, i + digits_at(s, i));
        if s.get(j) == Some(&'-') {
            j = skip_spaces(s, j + 1);
        }
        ["minutes", "minute", "mins", "min", "دقائق", "دقيقة"]
            .iter()
            .any(|u| starts_at(s, j, u).is_some_and(|k| !is_letter_at(s, k)))
    })
}

/// `word` at `i` with no letter right before it.
fn word_start(s: &[char], i: usize) -> bool {
    i == 0 || !is_letter(s[i - 1])
}

/// A photo credit or source: `Photo: …`, `(Image credit: …)`, `Getty`,
/// `AFP`, `تصوير`, `المصدر:`, `©`.
pub(super) fn has_credit(s: &[char], lower: &str) -> bool {
    const LABELS: &[&str] = &[
        "photo",
        "photograph",
        "image",
        "picture",
        "credit",
        "courtesy",
        "source",
        "illustration",
        "graphic",
        "المصدر",
        "الصورة",
        "صورة",
    ];
    const AGENCIES: &[&str] = &["getty", "afp", "reuters", "ap photo"];
    const ANYWHERE: &[&str] = &[
        "credit:",
        "shutterstock",
        "istock",
        "تصوير",
        "مصدر الصورة",
        "©",
    ];
    if ANYWHERE.iter().any(|w| lower.contains(w)) {
        return true;
    }
    for i in 0..s.len() {
        // Every label and agency starts with one of these.
        if !matches!(s[i], 'p' | 'i' | 'c' | 's' | 'g' | 'a' | 'r' | 'ا' | 'ص') || !word_start(s, i)
        {
            continue;
        }
        for label in LABELS {
            if let Some(mut j) = starts_at(s, i, label) {
                if s.get(j) == Some(&'s') {
                    j += 1;
                }
                if s.get(skip_spaces(s, j)) == Some(&':') {
                    return true;
                }
            }
        }
        if AGENCIES
            .iter()
            .any(|a| starts_at(s, i, a).is_some_and(|k| !is_letter_at(s, k)))
        {
            return true;
        }
    }
    // A caption ending in `(Image: GETTY)`, `(Photo by …)`.
    let t = lower.trim_end();
    if let Some(inner) = t.strip_suffix(')')
        && let Some(open) = inner.rfind('(')
    {
        let content = &inner[open + 1..];
        return ["image", "photo", "picture"]
            .iter()
            .any(|w| content.starts_with(w));
    }
    false
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A web address, an e-mail address or a handle (`@name`).
pub(super) fn has_contact(s: &[char], lower: &str) -> bool {
    if ["http://", "https://", "www."]
        .iter()
        .any(|w| lower.contains(w))
    {
        return true;
    }
    (0..s.len()).filter(|&i| s[i] == '@').any(|i| {
        let after = s[i + 1..].iter().take_while(|c| is_word_char(**c)).count();
        let handle = (i == 0 || s[i - 1].is_whitespace()) && after >= 2;
        let user = i > 0 && (is_word_char(s[i - 1]) || matches!(s[i - 1], '.' | '+' | '-'));
        let domain = s[i + 1..]
            .iter()
            .take_while(|c| is_word_char(**c) || matches!(c, '-' | '.'))
            .collect::<String>();
        handle || (user && domain.split('.').filter(|p| !p.is_empty()).count() >= 2)
    })
}

/// Nothing but a number: `0`, `1,204`, `+3`, `12K`.
pub(super) fn is_number_only(s: &[char]) -> bool {
    let mut i = skip_spaces(s, 0);
    if s.get(i) == Some(&'+') {
        i += 1;
    }
    if !s.get(i).is_some_and(|c| is_digit(*c)) {
        return false;
    }
    while i < s.len() && (is_digit(s[i]) || matches!(s[i], '.' | ',')) {
        i += 1;
    }
    i = skip_spaces(s, i);
    if matches!(s.get(i), Some('k' | 'm')) {
        i = skip_spaces(s, i + 1);
    }
    i == s.len()
}

/// A bracketed label: `[VIDEO]`, `[Engadget]`.
pub(super) fn has_bracket(s: &[char]) -> bool {
    (0..s.len()).filter(|&i| s[i] == '[').any(|i| {
        let inner = s[i + 1..].iter().take(41).position(|c| *c == ']');
        inner.is_some_and(|n| (1..=40).contains(&n))
    })
}
