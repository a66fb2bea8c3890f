//! Numbers: the Arabic and English number words, and reading the number that starts at
//! a token (digits with grouping and decimals, or words) with its scale.

use super::number_words::NW;
use super::tokens::{KeyFilter, TK, Toks};
use crate::claims::static_map::StaticMap;

// NUMBER_WORDS, NUMBER_WORDS_FILTER and NUMBER_FORMS_FILTER: `number_words` folded by
// build.rs.
include!(concat!(env!("OUT_DIR"), "/number_words.rs"));

#[inline]
pub(super) fn num_word(k: &str) -> Option<NW> {
    if !NUMBER_WORDS_FILTER.may_contain(k) {
        return None;
    }
    NUMBER_WORDS.get(k).copied()
}

/// A number word with an optional leading و (returned as `true`). Other clitics (ب، ل)
/// only for long stems (`بملياري دولار`): لست (I am not) must not become ل + ست.
fn num_word_clitic(k: &str) -> Option<(NW, bool)> {
    // Asked of nearly every Arabic word, and most are none of the forms below: one bit
    // test over all of them (every number word, alone and with each clitic it may take)
    // rules out the four lookups at once.
    if !NUMBER_FORMS_FILTER.may_contain(k) {
        return None;
    }
    if let Some(nw) = num_word(k) {
        return Some((nw, false));
    }
    if let Some(nw) = k.strip_prefix('و').and_then(num_word) {
        return Some((nw, true));
    }
    ['ب', 'ل'].iter().find_map(|&p| {
        let rest = k.strip_prefix(p).filter(|r| r.chars().nth(3).is_some())?;
        num_word(rest).map(|nw| (nw, false))
    })
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Num {
    pub(super) value: f64,
    /// Token range of the number itself (scale word included).
    pub(super) a: usize,
    pub(super) b: usize,
    /// Written in digits without grouping, decimals or scale (year candidate).
    pub(super) plain_int_digits: usize,
    pub(super) scaled: bool,
}

/// Digits at `i`: grouping (`,`/`.` + exactly 3 digits), decimal part. `None` when the
/// digits belong to a time, a phone number, a code (F-16) or a numeric date; `skip_to`
/// then says where scanning resumes.
fn parse_digits(t: &Toks, i: usize) -> Result<Num, usize> {
    let n = t.len();
    // Glued to Latin letters (F-16, 5G, KCNA2) or a leading +/: (phone, time).
    let prev_glued = t.glued(i) && i > 0;
    if prev_glued {
        let p = &t.v[i - 1];
        if p.kind == TK::Word && p.latin {
            return Err(i + 1);
        }
        if p.kind == TK::Punct
            && matches!(t.key(i - 1), "+" | ":" | "/" | "-" | "." | "#")
            && (t.key(i - 1) != "-" || (i >= 2 && t.glued(i - 1) && t.v[i - 2].latin))
        {
            return Err(i + 1);
        }
    }
    let mut j = i + 1;
    let mut int_digits: String = t.key(i).to_string();
    let mut frac: &str = "";
    let mut grouped = false;
    while j + 1 < n && t.glued(j) && t.glued(j + 1) && t.kind(j + 1) == Some(TK::Num) {
        let sep = t.key(j);
        let d = t.key(j + 1);
        match sep {
            "," | "."
                if d.len() == 3 && int_digits.len() <= 3
                    || (grouped && d.len() == 3 && sep == ",") =>
            {
                int_digits.push_str(d);
                grouped = true;
                j += 2;
            }
            "," | "."
                if frac.is_empty() && sep != "," || (sep == "," && !grouped && d.len() != 3) =>
            {
                frac = d;
                j += 2;
                break;
            }
            _ => break,
        }
    }
    // What follows, glued: a time, a date, a code, letters.
    if j < n && t.glued(j) {
        match t.kind(j) {
            Some(TK::Word) if t.v[j].latin => return Err(j + 1),
            Some(TK::Punct) => {
                let k = t.key(j);
                if matches!(k, ":" | "/" | "." | ",")
                    && t.glued(j + 1)
                    && t.kind(j + 1) == Some(TK::Num)
                {
                    return Err(skip_num_run(t, j));
                }
                // 050-123-4567, 2025-12-25: not a range.
                if k == "-"
                    && t.glued(j + 1)
                    && t.kind(j + 1) == Some(TK::Num)
                    && t.is_punct(j + 2, "-")
                    && t.glued(j + 2)
                {
                    return Err(skip_num_run(t, j));
                }
            }
            _ => {}
        }
    }
    let raw_len = int_digits.len();
    if !grouped && frac.is_empty() && raw_len >= 8 {
        return Err(j); // phone numbers, IDs
    }
    let mut value = 0f64;
    for b in int_digits.bytes() {
        value = value * 10.0 + f64::from(b - b'0');
    }
    let mut scale = 0.1;
    for b in frac.bytes() {
        value += f64::from(b - b'0') * scale;
        scale /= 10.0;
    }
    let plain = if !grouped && frac.is_empty() {
        raw_len
    } else {
        0
    };
    Ok(Num {
        value,
        a: i,
        b: j,
        plain_int_digits: plain,
        scaled: false,
    })
}

/// End of a run of digits joined by punctuation without spaces (dates, times, phones).
fn skip_num_run(t: &Toks, mut j: usize) -> usize {
    while j < t.len() && t.glued(j) && matches!(t.kind(j), Some(TK::Num) | Some(TK::Punct)) {
        j += 1;
    }
    j
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Last {
    None,
    Unit(u8),
    Teen,
    Ten,
    Hundred,
    Scale(f64),
    Frac,
}

/// Arabic number words from `i` (§3.3 accumulator). `allow_waw` lets the first word carry
/// و (the second number of a range: و20، وعشرين).
#[inline]
pub(super) fn parse_arabic_words(t: &Toks, i: usize, allow_waw: bool) -> Option<Num> {
    // Nearly every word is asked and most are no number word: rejected here, as the first
    // step of the parse would, before its state is set up.
    if t.kind(i) != Some(TK::Word) || t.v[i].latin || num_word_clitic(t.key(i)).is_none() {
        return None;
    }
    parse_arabic_number(t, i, allow_waw)
}

/// [`parse_arabic_words`] past its first check.
fn parse_arabic_number(t: &Toks, i: usize, allow_waw: bool) -> Option<Num> {
    let n = t.len();
    let mut total = 0f64;
    let mut block = 0f64;
    let mut last = Last::None;
    let mut max_scale = f64::INFINITY;
    let mut j = i;
    let mut end = i;
    let mut pending_waw = false;
    while j < n && t.kind(j) == Some(TK::Word) && !t.v[j].latin {
        let k = t.key(j);
        if k == "و" && last != Last::None {
            pending_waw = true;
            j += 1;
            continue;
        }
        let Some((nw, mut waw)) = num_word_clitic(k) else {
            break;
        };
        waw |= pending_waw;
        pending_waw = false;
        if waw && last == Last::None && !allow_waw {
            break;
        }
        let started = last != Last::None;
        match nw {
            NW::Unit(v) | NW::Construct(v) => {
                let teen_next = v <= 9 && matches!(t.key(j + 1), "عشر" | "عشره");
                let ok = (!started && (!waw || allow_waw))
                    || (waw && matches!(last, Last::Hundred | Last::Scale(_)));
                if !ok {
                    break;
                }
                if teen_next {
                    block += 10.0 + f64::from(v);
                    last = Last::Teen;
                    j += 2;
                } else if matches!(nw, NW::Construct(_)) {
                    break;
                } else {
                    block += f64::from(v);
                    last = Last::Unit(v);
                    j += 1;
                }
            }
            NW::Ten(v) => {
                let ok = !started
                    || (waw && matches!(last, Last::Unit(u) if (1..=9).contains(&u)))
                    || (waw && matches!(last, Last::Hundred | Last::Scale(_)));
                if !ok {
                    break;
                }
                block += f64::from(v);
                last = Last::Ten;
                j += 1;
            }
            NW::Hundred => {
                if let Last::Unit(u) = last
                    && !waw
                    && (3..=9).contains(&u)
                {
                    block += f64::from(u) * 99.0;
                } else if !started || (waw && matches!(last, Last::Scale(_))) {
                    block += 100.0;
                } else {
                    break;
                }
                last = Last::Hundred;
                j += 1;
            }
            NW::Hundreds(v) => {
                if !(!started || (waw && matches!(last, Last::Scale(_)))) {
                    break;
                }
                block += f64::from(v);
                last = Last::Hundred;
                j += 1;
            }
            NW::Scale(s) | NW::ScaleDual(s) | NW::ScalePlural(s) | NW::ScaleAmb(s) => {
                if waw || s >= max_scale {
                    break;
                }
                let has_block = matches!(
                    last,
                    Last::Unit(_) | Last::Teen | Last::Ten | Last::Hundred | Last::Frac
                );
                let mult = match nw {
                    NW::Scale(_) if has_block => block,
                    NW::Scale(_) if !started => 1.0,
                    NW::ScaleAmb(_) if has_block => block,
                    NW::ScaleAmb(_) | NW::ScaleDual(_) if !started => 2.0,
                    NW::ScalePlural(_) if has_block && block >= 3.0 => block,
                    _ => break,
                };
                total += mult * s;
                block = 0.0;
                max_scale = s;
                last = Last::Scale(s);
                j += 1;
            }
            NW::Frac(f) => {
                if waw {
                    match last {
                        Last::Scale(s) => total += f * s,
                        Last::Unit(_) | Last::Teen | Last::Ten | Last::Hundred => block += f,
                        _ => break,
                    }
                    j += 1;
                    end = j;
                    break;
                }
                if started {
                    break;
                }
                block = f;
                last = Last::Frac;
                j += 1;
                continue; // a fraction alone is not a number: `end` stays put
            }
            NW::Zero => {
                if started {
                    break;
                }
                last = Last::Unit(0);
                j += 1;
            }
            _ => break,
        }
        end = j;
    }
    if end == i {
        return None;
    }
    Some(Num {
        value: total + block,
        a: i,
        b: end,
        plain_int_digits: 0,
        scaled: total > 0.0,
    })
}

/// English number words from `i` ("ten thousand", "twenty-five", "a dozen",
/// "one hundred and five").
fn parse_english_words(t: &Toks, i: usize) -> Option<Num> {
    let n = t.len();
    let mut total = 0f64;
    let mut block = 0f64;
    let mut last = Last::None;
    let mut article = false;
    let mut j = i;
    let mut end = i;
    while j < n {
        if t.kind(j) != Some(TK::Word) || !t.v[j].latin {
            // twenty-five
            if last == Last::Ten
                && t.is_punct(j, "-")
                && t.glued(j)
                && t.glued(j + 1)
                && let Some(NW::Unit(u)) = num_word(t.key(j + 1))
                && u >= 1
            {
                block += f64::from(u);
                last = Last::Unit(u);
                j += 2;
                end = j;
                continue;
            }
            break;
        }
        let k = t.key(j);
        if k == "and" && matches!(last, Last::Hundred | Last::Scale(_)) {
            if let Some(NW::Unit(_) | NW::Teen(_) | NW::Ten(_)) = num_word(t.key(j + 1)) {
                j += 1;
                continue;
            }
            break;
        }
        let Some(nw) = num_word(k) else { break };
        let started = last != Last::None || article;
        match nw {
            NW::Article if !started => {
                article = true;
                j += 1;
                continue;
            }
            NW::Unit(v) => {
                if article
                    || !(matches!(
                        last,
                        Last::None | Last::Ten | Last::Hundred | Last::Scale(_)
                    ))
                {
                    break;
                }
                if last == Last::Ten && v == 0 {
                    break;
                }
                block += f64::from(v);
                last = Last::Unit(v);
            }
            NW::Teen(v) | NW::Ten(v) => {
                if article || !matches!(last, Last::None | Last::Hundred | Last::Scale(_)) {
                    break;
                }
                block += f64::from(v);
                last = if matches!(nw, NW::Teen(_)) {
                    Last::Teen
                } else {
                    Last::Ten
                };
            }
            NW::Hundred => {
                if article || last == Last::None {
                    block = 100.0;
                } else if matches!(last, Last::Unit(_) | Last::Teen | Last::Ten) && block < 100.0 {
                    block *= 100.0;
                } else {
                    break;
                }
                last = Last::Hundred;
            }
            NW::Scale(s) => {
                if let Last::Scale(p) = last
                    && p <= s
                {
                    break;
                }
                total += if block > 0.0 { block } else { 1.0 } * s;
                block = 0.0;
                last = Last::Scale(s);
            }
            NW::Dozen => {
                block = if block > 0.0 && last != Last::Hundred {
                    block * 12.0
                } else {
                    12.0
                };
                last = Last::Teen;
            }
            NW::Frac(f) if started && t.key(j.wrapping_sub(1)) == "and" => {
                // "one and a half million": handled loosely
                block += f;
            }
            NW::Vague => {
                return None;
            }
            _ => break,
        }
        j += 1;
        end = j;
    }
    if end == i || (last == Last::None) {
        return None;
    }
    Some(Num {
        value: total + block,
        a: i,
        b: end,
        plain_int_digits: 0,
        scaled: total > 0.0,
    })
}

/// Scale word after digits: 10 آلاف، 1.5 مليون، 2.5 million, 3 ملايين.
fn apply_scale(t: &Toks, mut num: Num) -> Num {
    if let Some(NW::Scale(s) | NW::ScalePlural(s) | NW::ScaleAmb(s)) = num_word(t.key(num.b))
        && t.kind(num.b) == Some(TK::Word)
    {
        num.value *= s;
        num.b += 1;
        num.scaled = true;
        num.plain_int_digits = 0;
        // مليون ونصف
        if let Some(NW::Frac(f)) = t.key(num.b).strip_prefix('و').and_then(num_word) {
            num.value += f * s;
            num.b += 1;
        }
    }
    num
}

/// Any number starting at `i`.
pub(super) fn parse_number(t: &Toks, i: usize, allow_waw: bool) -> Result<Option<Num>, usize> {
    match t.kind(i) {
        Some(TK::Num) => parse_digits(t, i).map(|n| Some(apply_scale(t, n))),
        Some(TK::Word) if t.v[i].latin => Ok(parse_english_words(t, i)),
        Some(TK::Word) => Ok(parse_arabic_words(t, i, allow_waw)),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::quantity::{FxMap, fold_word};

    /// NUMBER_WORDS and its filters, as build.rs laid them out, against the list folded
    /// here (a later word replaces an earlier one).
    #[test]
    fn static_tables_are_the_list() {
        let mut words: FxMap<NW> = FxMap::default();
        super::super::number_words::number_words(&mut |w, nw| {
            words.insert(fold_word(w), nw);
        });
        assert_eq!(NUMBER_WORDS.len(), words.len());
        for (w, nw) in &words {
            assert_eq!(NUMBER_WORDS.get(w), Some(nw), "{w}");
        }
        let mut forms = Vec::new();
        for w in words.keys() {
            super::super::number_words::clitic_forms(w, &mut |f| forms.push(f));
        }
        let filter = |keys: &mut dyn Iterator<Item = &str>| KeyFilter::new(keys).0;
        assert_eq!(
            NUMBER_WORDS_FILTER.0,
            filter(&mut words.keys().map(String::as_str))
        );
        assert_eq!(
            NUMBER_FORMS_FILTER.0,
            filter(&mut forms.iter().map(String::as_str))
        );
        // A few words, folded as tokens are.
        assert!(matches!(num_word(&fold_word("مليون")), Some(NW::Scale(s)) if s == 1e6));
        assert!(matches!(
            num_word_clitic(&fold_word("وثلاثة")),
            Some((NW::Unit(3), true))
        ));
        assert!(
            matches!(num_word_clitic(&fold_word("بملياري")), Some((NW::ScaleDual(s), false)) if s == 1e9)
        );
        assert_eq!(num_word(&fold_word("قال")), None);
    }
}
