//! Finding quantities in a sentence's tokens: a number with its range, hedge and what
//! it counts, leaving years and the tokens of dates alone.

use super::numbers::{Num, num_word, parse_arabic_words, parse_number};
use super::qualifiers::{QW, qualifier_after, qualifier_before};
use super::tokens::{TK, Toks, fold_word, tokenize};
use super::units::{
    Cur, Pct, arabic_lemma, cur_symbol, cur_word, dual_lemma, is_stop, noun_lex, percent_at,
    unit_key,
};
use crate::claims::{Qualifier, QuantityKind, Slot};

/// Words before a 4-digit number that make it a year.
fn is_year_intro(k: &str) -> bool {
    matches!(
        k,
        "عام"
            | "العام"
            | "سنه"
            | "السنه"
            | "لعام"
            | "بعام"
            | "بحلول"
            | "وعام"
            | "لسنه"
            | "منذ"
            | "في"
            | "خلال"
            | "حتي"
            | "مطلع"
            | "بدايه"
            | "نهايه"
            | "اواخر"
            | "اوائل"
            | "منتصف"
            | "موازنه"
            | "in"
            | "since"
            | "during"
            | "until"
            | "by"
            | "of"
            | "year"
            | "early"
            | "late"
            | "mid"
            | "through"
            | "before"
            | "after"
    )
}

/// The second number of a range after the first one ends at `j`: (number, connector
/// position) for "و Y" (between) or "إلى/حتى/- Y" (from, or digits X-Y).
fn range_end(t: &Toks, j: usize, between: bool, from: bool, digits: bool) -> Option<Num> {
    let k = t.key(j);
    if t.kind(j) == Some(TK::Word) {
        if between && (k == "and" || k == "و") {
            return parse_number(t, j + 1, false).ok().flatten();
        }
        if between && k.starts_with('و') && !t.v[j].latin {
            // و20 is split into و + 20 by the tokenizer; وعشرين is one word.
            if t.kind(j + 1) == Some(TK::Num) && t.glued(j + 1) && k == "و" {
                return parse_number(t, j + 1, false).ok().flatten();
            }
            return parse_arabic_words(t, j, true);
        }
        if from && matches!(k, "الي" | "حتي" | "to") {
            return parse_number(t, j + 1, false).ok().flatten();
        }
    }
    if (digits || from || between) && t.kind(j) == Some(TK::Punct) && matches!(k, "-" | "–" | "—")
    {
        return match parse_number(t, j + 1, false) {
            Ok(Some(n)) if t.kind(j + 1) == Some(TK::Num) => Some(n),
            _ => None,
        };
    }
    None
}

/// Counted noun at `j`: (tokens consumed incl. a leading من, noun token).
fn noun_at(t: &Toks, j: usize) -> Option<(usize, usize)> {
    let tok = t.v.get(j)?;
    if tok.kind != TK::Word {
        return None;
    }
    let k = t.key(j);
    if k == "من" && !tok.latin {
        // ثلاثة من الجنود
        let n = t.v.get(j + 1)?;
        if n.kind == TK::Word && t.key(j + 1).starts_with("ال") && !is_stop(t.key(j + 1)) {
            return Some((2, j + 1));
        }
        return None;
    }
    // `عام` after a number is "years" (`منذ 100عام`), unless a year follows
    // (`5 عام 2011`: "in the year").
    if k == "عام" && !tok.latin && t.kind(j + 1) != Some(TK::Num) {
        return Some((1, j));
    }
    if is_stop(k) || num_word(k).is_some() || crate::claims::date::is_month_word(k) {
        return None;
    }
    if tok.latin {
        // "9 North Korean soldiers": skip up to two capitalised adjectives.
        let mut m = j;
        while t
            .v
            .get(m)
            .is_some_and(|x| x.cap && x.latin && x.kind == TK::Word)
            && m < j + 2
        {
            m += 1;
        }
        if m > j
            && let Some(x) = t.v.get(m)
            && x.kind == TK::Word
            && x.latin
            && !x.cap
            && !is_stop(t.key(m))
        {
            return Some((m - j + 1, m));
        }
        if tok.cap {
            return None;
        }
    }
    Some((1, j))
}

fn find_in(t: &Toks, date_mask: &[bool]) -> Vec<Slot> {
    let mut out = Vec::new();
    let n = t.len();
    let mut i = 0;
    while i < n {
        if date_mask[i] {
            i += 1;
            continue;
        }
        let tok = t.v[i];
        // Currency symbol before the number: $5, € 3 million.
        let mut cur: Option<(Cur, usize)> = None;
        let mut num_i = i;
        if tok.kind == TK::Punct {
            match cur_symbol(t.key(i)) {
                Some(c) if t.kind(i + 1) == Some(TK::Num) => {
                    cur = Some((c, i));
                    num_i = i + 1;
                }
                _ => {
                    i += 1;
                    continue;
                }
            }
        }
        let num = match parse_number(t, num_i, false) {
            Ok(Some(num)) => num,
            Ok(None) => {
                // A dual noun alone means two.
                if tok.kind == TK::Word
                    && !tok.latin
                    && let Some(lemma) = dual_lemma(t.key(i))
                {
                    let (q, a) = match qualifier_before(t, i) {
                        Some((QW::Q(q), a)) => (q, a),
                        _ => (Qualifier::Exact, i),
                    };
                    out.push(Slot::Quantity {
                        text: t.text(a, i + 1).to_string(),
                        value: 2.0,
                        upper: None,
                        unit: Some(t.text(i, i + 1).to_string()),
                        unit_key: Some(lemma.to_string()),
                        qualifier: q,
                        kind: QuantityKind::Count,
                    });
                }
                i += 1;
                continue;
            }
            Err(skip) => {
                i = skip.max(i + 1);
                continue;
            }
        };
        if num.b <= num_i || date_mask[num_i..num.b].iter().any(|&d| d) {
            i = num.b.max(i + 1);
            continue;
        }
        let digits = t.kind(num.a) == Some(TK::Num);
        // A number after "number" is a label (`القانون رقم 10`), not a figure.
        if digits
            && num.a > 0
            && t.kind(num.a - 1) == Some(TK::Word)
            && matches!(t.key(num.a - 1), "رقم" | "برقم" | "الرقم" | "number")
        {
            i = num.b;
            continue;
        }
        let start = cur.map_or(num.a, |c| c.1);
        let pre = qualifier_before(t, start);
        let mut qualifier = Qualifier::Exact;
        let mut a = start;
        let mut upper = None;
        let mut j = num.b;
        let mut value = num.value;
        let (between, from) = match pre {
            Some((QW::Between, _)) => (true, false),
            Some((QW::From, _)) => (false, true),
            _ => (false, false),
        };
        match pre {
            Some((QW::Q(q), pa)) => {
                qualifier = q;
                a = pa;
            }
            Some((_, pa)) => {
                if let Some(y) = range_end(t, j, between, from, digits)
                    && y.value > value
                    && !date_mask[y.a..y.b].iter().any(|&d| d)
                {
                    qualifier = Qualifier::Range;
                    a = pa;
                    // بين 10 و20 ألفاً: the scale of Y applies to X too.
                    if y.scaled && !num.scaled && y.value / value >= 1000.0 {
                        let s = 10f64.powi((y.value.log10().floor() as i32 / 3) * 3);
                        if value * s <= y.value {
                            value *= s;
                        }
                    }
                    upper = Some(y.value);
                    j = y.b;
                }
            }
            None => {}
        }
        if upper.is_none()
            && digits
            && t.kind(j) == Some(TK::Punct)
            && matches!(t.key(j), "-" | "–")
            && let Some(y) = range_end(t, j, false, false, true)
            && y.value > value
            && !(num.plain_int_digits == 4 && y.plain_int_digits == 4)
        {
            // 10-20: a range (two years are a period, left to dates).
            if qualifier == Qualifier::Exact {
                qualifier = Qualifier::Range;
                upper = Some(y.value);
                j = y.b;
            }
        }
        // What is counted.
        let mut kind = if cur.is_some() {
            QuantityKind::Money
        } else {
            QuantityKind::Number
        };
        let mut unit: Option<String> = cur.map(|(_, p)| t.text(p, p + 1).to_string());
        let mut ukey: Option<String> = cur.map(|(c, _)| c.key().to_string());
        let mut zero_ok = false;
        if let Pct::Yes(w) = percent_at(t, j) {
            kind = QuantityKind::Percent;
            unit = Some("%".into());
            ukey = Some("%".into());
            j += w;
            zero_ok = true;
        } else if cur.is_none()
            && t.kind(j) == Some(TK::Word)
            && let Some(c) = cur_word(t.key(j))
        {
            kind = QuantityKind::Money;
            unit = Some(t.text(j, j + 1).to_string());
            ukey = Some(c.key().to_string());
            j += 1;
        } else if cur.is_none()
            && t.kind(j) == Some(TK::Punct)
            && let Some(c) = cur_symbol(t.key(j))
        {
            kind = QuantityKind::Money;
            unit = Some(t.text(j, j + 1).to_string());
            ukey = Some(c.key().to_string());
            j += 1;
        } else if cur.is_none()
            && let Some((w, nt)) = noun_at(t, j)
        {
            kind = QuantityKind::Count;
            let txt = t.text(nt, nt + 1);
            unit = Some(txt.to_string());
            ukey = Some(unit_key(txt));
            j += w;
        }
        // Zero only counts before a percent word (صفر is also the month Safar).
        let zero_word = !digits && num.value == 0.0 && !t.v[num.a].latin;
        if zero_word && !zero_ok {
            i = num.b;
            continue;
        }
        // A lone واحد/واحدة follows its noun: جندي واحد.
        if !digits
            && num.b == num.a + 1
            && matches!(t.key(num.a), "واحد" | "واحده" | "واحدا")
            && unit.is_none()
        {
            if num.a > 0
                && a == num.a
                && t.kind(num.a - 1) == Some(TK::Word)
                && !t.v[num.a - 1].latin
            {
                let pk = t.key(num.a - 1);
                if !is_stop(pk) && pk != "ان" && pk != "وقت" && num_word(pk).is_none() {
                    a = num.a - 1;
                    kind = QuantityKind::Count;
                    let txt = t.text(a, a + 1);
                    unit = Some(txt.to_string());
                    ukey = Some(unit_key(txt));
                } else {
                    i = num.b;
                    continue;
                }
            } else {
                i = num.b;
                continue;
            }
        }
        // English "one" alone is usually a pronoun (one of, no one).
        if !digits
            && t.v[num.a].latin
            && num.b == num.a + 1
            && t.key(num.a) == "one"
            && kind == QuantityKind::Number
        {
            i = num.b;
            continue;
        }
        // Years are dates, not quantities.
        if num.plain_int_digits == 4
            && (1900.0..=2100.0).contains(&value)
            && upper.is_none()
            && kind != QuantityKind::Percent
            && kind != QuantityKind::Money
        {
            let intro =
                num.a > 0 && t.kind(num.a - 1) == Some(TK::Word) && is_year_intro(t.key(num.a - 1));
            // Without a hedge, a year-like number counts only a known noun (2000 جندي),
            // not whatever word follows a year (بحلول 2030 سيصل).
            let known_noun = unit.as_deref().is_some_and(|u| {
                let k = fold_word(u);
                if k.bytes().all(|b| b.is_ascii_alphabetic()) {
                    k.len() > 3 && k.ends_with('s') || noun_lex().contains_key(&k)
                } else {
                    arabic_lemma(&k).is_some()
                }
            });
            if intro
                || kind == QuantityKind::Number
                || (qualifier == Qualifier::Exact && !known_noun)
            {
                i = num.b;
                continue;
            }
        }
        if let Some((q, w)) = qualifier_after(t, j)
            && (qualifier == Qualifier::Exact || qualifier == q)
        {
            qualifier = q;
            j += w;
        }
        out.push(Slot::Quantity {
            text: t.text(a, j).to_string(),
            value,
            upper,
            unit,
            unit_key: ukey,
            qualifier,
            kind,
        });
        i = j.max(i + 1);
    }
    out
}

/// Quantities of one sentence, in text order (only `Slot::Quantity`).
pub fn find_quantities(sentence: &str) -> Vec<Slot> {
    quantities_in(&tokenize(sentence))
}

/// [`find_quantities`] over the sentence's tokens (shared with the date extractor).
pub(crate) fn quantities_in(t: &Toks) -> Vec<Slot> {
    if t.v.is_empty() {
        return Vec::new();
    }
    let mask = crate::claims::date::date_token_mask(t);
    find_in(t, &mask)
}
