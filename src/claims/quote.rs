//! Direct quotes (`reference/arabic-text.md` §2 rule 5): spans inside “…”, «…», „…“, "…"
//! (and the reversed ”…“ some right-to-left sites produce), with their speaker.
//!
//! * `text` is the quoted words without the marks, trimmed of spaces and of a final
//!   `.`/`,`/`،` (outlets differ on putting it inside). Short scare quotes (“أخوة نضالية”)
//!   are kept: a changed term is a changed quote. An opening mark that is never closed in
//!   the sentence quotes up to the sentence's end (the quote goes on in the next one).
//! * `speaker`: the subject of the nearest speech verb (قال، أضاف، أكد، أوضح، صرح، أعلن،
//!   شدد، said, told, added…) before the quote, else after it. An Arabic verb's subject
//!   follows it (`قال كيم إن “…”`), an English verb's precedes it (`Putin said`) unless
//!   nothing does (`“…,” said Putin`). For participles and object-bearing forms whose
//!   subject is the sentence's (`واصفاً إياها بـ “…”`، `ما وصفه بـ “…”`, "saying"), and for
//!   وصف ("described … as"), the speaker is the first person named in the sentence. When
//!   the subject is a known entity the speaker is its **canonical name** (`Kim Jong Un`,
//!   not `كيم`), so versions and outlets compare; otherwise the phrase in the `clean` layer
//!   (`المتحدث باسم الوزارة`). Pronouns (`he said`) give no speaker.

use super::attribution::{phrase_after, phrase_before};
use super::entity::{EntMatch, Gazetteer, P_BREAK, Tokens, lex, with_analysis};
use super::{EntityKind, Slot};

/// Arabic speech verbs whose subject follows them.
// Read by build.rs (`entity::lex_of`); here for the tests.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const AR_FINITE: &[&str] = &[
    "قال",
    "قالت",
    "يقول",
    "تقول",
    "قالوا",
    "اضاف",
    "اضافت",
    "يضيف",
    "تضيف",
    "اكد",
    "اكدت",
    "يوكد",
    "توكد",
    "اوضح",
    "اوضحت",
    "يوضح",
    "صرح",
    "صرحت",
    "اعلن",
    "اعلنت",
    "يعلن",
    "شدد",
    "شددت",
    "اشار",
    "اشارت",
    "تابع",
    "تابعت",
    "كتب",
    "كتبت",
    "حذر",
    "حذرت",
    "اعتبر",
    "اعتبرت",
    "ذكرت",
    "تحدث",
    "تحدثت",
];

/// "Described": the phrase after it is usually the object, so only a named subject counts.
// Read by build.rs (`entity::lex_of`); here for the tests.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const AR_DESCRIBE: &[&str] = &["وصف", "وصفت", "يصف", "تصف"];

/// Forms whose subject is the sentence's subject.
// Read by build.rs (`entity::lex_of`); here for the tests.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const AR_PARTICIPLE: &[&str] = &[
    "واصفا",
    "قايلا",
    "مضيفا",
    "موكدا",
    "مشيرا",
    "موضحا",
    "مشددا",
    "معتبرا",
    "محذرا",
    "متحدثا",
    "معلنا",
    "مصرحا",
    "وصفه",
    "وصفها",
    "وصفته",
    "وصفوه",
    "اسماه",
    "اسمته",
    "سماه",
];

// Read by build.rs (`entity::lex_of`); here for the tests.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const EN_FINITE: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "stated",
    "wrote",
    "warned",
    "declared",
    "insisted",
    "described",
    "called",
    "asked",
    "noted",
    "stressed",
];

// Read by build.rs (`entity::lex_of`); here for the tests.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const EN_PARTICIPLE: &[&str] = &[
    "saying",
    "adding",
    "calling",
    "describing",
    "warning",
    "noting",
    "stressing",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verb {
    ArFinite,
    ArDescribe,
    EnFinite,
    Participle,
}

/// Quotes in `sentence` with speakers resolved against the built-in gazetteer.
pub fn find_quotes(sentence: &str) -> Vec<Slot> {
    find_quotes_with(sentence, Gazetteer::builtin())
}

/// Quotes in `sentence` with speakers resolved against `gazetteer` (see the module doc).
pub fn find_quotes_with(sentence: &str, gazetteer: &Gazetteer) -> Vec<Slot> {
    let spans = quote_spans(sentence);
    if spans.is_empty() {
        return Vec::new();
    }
    with_analysis(sentence, Some(gazetteer), |t, ents| {
        quotes(sentence, &spans, t, ents, gazetteer)
    })
}

fn quotes(
    sentence: &str,
    spans: &[Span],
    t: &Tokens,
    ents: &[EntMatch],
    gazetteer: &Gazetteer,
) -> Vec<Slot> {
    // Token ranges of the quotes: words inside them are never speech verbs or speakers.
    let ranges: Vec<(usize, usize)> = spans
        .iter()
        .map(|s| (t.index_at(s.open), t.index_at(s.close)))
        .collect();
    let in_quote = |j: usize| ranges.iter().any(|&(a, b)| j >= a && j < b);
    spans
        .iter()
        .zip(&ranges)
        .filter_map(|(s, &(qa, qb))| {
            let text = trim_quote(&sentence[s.inner.0..s.inner.1]);
            if !text.chars().any(char::is_alphanumeric) {
                return None;
            }
            Some(Slot::Quote {
                text: text.to_string(),
                speaker: speaker(t, ents, gazetteer, qa, qb, &in_quote),
            })
        })
        .collect()
}

struct Span {
    /// Byte offset of the opening mark.
    open: usize,
    /// Byte range of the quoted text.
    inner: (usize, usize),
    /// Byte offset just after the closing mark (or the sentence end).
    close: usize,
}

/// Quote spans, in order, not nested (an inner pair of another style is part of the text).
fn quote_spans(s: &str) -> Vec<Span> {
    let mut out = Vec::new();
    // Cheap pre-filter: every mark is '"' or starts with byte 0xC2 («) or 0xE2 (“ ” „).
    if memchr::memchr3(b'"', 0xC2, 0xE2, s.as_bytes()).is_none() {
        return out;
    }
    let mut pos = 0;
    while let Some((i, c)) = s[pos..].char_indices().find(|&(_, c)| is_opener(c)) {
        let open = pos + i;
        let after = open + c.len_utf8();
        let closers: &[char] = match c {
            '“' => &['”'],
            '«' => &['»'],
            '„' => &['“', '”'],
            '"' => &['"'],
            // A reversed pair ”…“ only when a “ follows; a lone ” closes an earlier quote.
            _ => {
                let starts_word = s[after..]
                    .chars()
                    .next()
                    .is_some_and(|n| !n.is_whitespace());
                if starts_word && s[after..].contains('“') {
                    &['“']
                } else {
                    pos = after;
                    continue;
                }
            }
        };
        match s[after..].find(closers) {
            Some(j) => {
                let close_at = after + j;
                let cl = s[close_at..].chars().next().map_or(1, char::len_utf8);
                out.push(Span {
                    open,
                    inner: (after, close_at),
                    close: close_at + cl,
                });
                pos = close_at + cl;
            }
            None => {
                out.push(Span {
                    open,
                    inner: (after, s.len()),
                    close: s.len(),
                });
                break;
            }
        }
    }
    out
}

#[inline]
fn is_opener(c: char) -> bool {
    matches!(c, '“' | '«' | '„' | '"' | '”')
}

fn trim_quote(q: &str) -> &str {
    q.trim().trim_end_matches(['.', ',', '،', '؛']).trim_end()
}

fn verb_kind(t: &Tokens, j: usize) -> Option<Verb> {
    let k = t.key(j);
    if k.is_ascii() {
        return if t.is(j, lex::EN_FINITE) {
            Some(Verb::EnFinite)
        } else if t.is(j, lex::EN_PARTICIPLE) {
            Some(Verb::Participle)
        } else {
            None
        };
    }
    // واصفاً starts with و: try the whole word first.
    if t.is(j, lex::AR_PARTICIPLE) {
        Some(Verb::Participle)
    } else if t.any(j, lex::AR_FINITE) {
        Some(Verb::ArFinite)
    } else if t.any(j, lex::AR_DESCRIBE) {
        Some(Verb::ArDescribe)
    } else if t.is0(j, lex::AR_PARTICIPLE) {
        Some(Verb::Participle)
    } else {
        None
    }
}

fn speaker(
    t: &Tokens,
    ents: &[EntMatch],
    g: &Gazetteer,
    qa: usize,
    qb: usize,
    in_quote: &dyn Fn(usize) -> bool,
) -> Option<String> {
    // The nearest speech verb before the quote, else the first after it.
    let verb = (0..qa.min(t.len()))
        .rev()
        .filter(|&j| !in_quote(j))
        .find_map(|j| verb_kind(t, j).map(|v| (j, v)))
        .or_else(|| {
            (qb..t.len())
                .filter(|&j| !in_quote(j))
                .find_map(|j| verb_kind(t, j).map(|v| (j, v)))
        });
    let (v, kind) = verb?;
    let subject_of_sentence = || {
        let person = |e: &&EntMatch| e.kind(g) == EntityKind::Person && !in_quote(e.a);
        ents.iter()
            .filter(|e| e.a < v)
            .find(person)
            .or_else(|| ents.iter().find(person))
            .map(|e| e.canonical(g).to_string())
    };
    let outside = |a: usize, b: usize| (a..b).all(|j| !in_quote(j));
    match kind {
        Verb::Participle => subject_of_sentence(),
        Verb::ArFinite | Verb::ArDescribe => {
            let after = phrase_after(t, v + 1, ents, g, 0)
                .filter(|s| outside(v + 1, s.next) && v + 1 < t.len())
                .filter(|s| t.toks[v + 1].punct & P_BREAK == 0 || s.entity.is_some());
            match after {
                Some(s) if s.entity.is_some() => Some(s.source),
                Some(s) if kind == Verb::ArFinite => Some(s.source),
                _ => subject_of_sentence(),
            }
        }
        Verb::EnFinite => {
            // The subject phrase stops at punctuation, so it never reaches into a quote.
            if let Some(s) = phrase_before(t, v, ents, g) {
                return Some(s.source);
            }
            let prev_is_pronoun = v > 0
                && super::attribution::is_pronoun(t.key(v - 1))
                && t.toks[v].punct & P_BREAK == 0;
            if prev_is_pronoun {
                return None;
            }
            phrase_after(t, v + 1, ents, g, 0)
                .filter(|s| outside(v + 1, s.next))
                .map(|s| s.source)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(s: &str) -> Vec<(String, Option<String>)> {
        find_quotes(s)
            .into_iter()
            .map(|q| match q {
                Slot::Quote { text, speaker } => (text, speaker),
                _ => unreachable!(),
            })
            .collect()
    }

    fn q(text: &str, speaker: Option<&str>) -> (String, Option<String>) {
        (text.to_string(), speaker.map(str::to_string))
    }

    #[test]
    fn seed_quotes() {
        assert_eq!(
            quotes(
                "أشاد الرئيس الروسي فلاديمير بوتين بمتانة العلاقات الثنائية مع بيونج يانج، واصفاً إياها بـ “الصداقة التي لا تُقهر”، وذلك في رسالة رسمية."
            ),
            [q("الصداقة التي لا تُقهر", Some("Vladimir Putin"))]
        );
        assert_eq!(
            quotes(
                "قال كيم إن البلدين “تقاسما الدماء والحياة والموت في الخندق نفسه”، وهو تعبير يعترف صراحة بمشاركة الجنود."
            ),
            [q(
                "تقاسما الدماء والحياة والموت في الخندق نفسه",
                Some("Kim Jong Un")
            )]
        );
        assert_eq!(
            quotes(
                "واستخدم الرئيس الروسي مصطلح “أخوة نضالية” لوصف التعاون الميداني، مشيراً بشكل صريح إلى ما وصفه بـ “الدخول البطولي” لجنود الجيش الشعبي الكوري."
            ),
            [
                q("أخوة نضالية", Some("Vladimir Putin")),
                q("الدخول البطولي", Some("Vladimir Putin"))
            ]
        );
        assert_eq!(
            quotes(
                "حيث نشرت وسائل إعلام رسمية صوراً للزعيم كيم جونج أون وهو يواسي عائلات الجنود القتلى، متحدثاً عن “ألم لا يطاق”."
            ),
            [q("ألم لا يطاق", Some("Kim Jong Un"))]
        );
        // The object of وصفت is not its speaker.
        assert_eq!(
            quotes("بدأت الرسالة تنتشر، ووصفت عام 2025 بأنه “عام حاسم” في بناء هذا التحالف."),
            [q("عام حاسم", None)]
        );
    }

    #[test]
    fn marks() {
        assert_eq!(quotes("قال: «سنرد». ثم غادر"), [q("سنرد", None)]);
        assert_eq!(
            quotes("قال الوزير: \"لن نتراجع\""),
            [q("لن نتراجع", Some("الوزير"))]
        );
        assert_eq!(quotes("وصف ”الصداقة“ بأنها"), [q("الصداقة", None)]);
        assert_eq!(
            quotes("قال بوتين: “ما زال الطريق طويلاً"),
            [q("ما زال الطريق طويلاً", Some("Vladimir Putin"))]
        );
        assert!(quotes("لا علامات اقتباس هنا").is_empty());
        assert!(quotes("“ ”").is_empty());
        assert!(quotes("نهاية اقتباس” هنا").is_empty());
    }

    #[test]
    fn english() {
        assert_eq!(
            quotes("Putin called it an “invincible friendship”."),
            [q("invincible friendship", Some("Vladimir Putin"))]
        );
        assert_eq!(
            quotes("“We shared blood and death,” Kim said."),
            [q("We shared blood and death", Some("Kim Jong Un"))]
        );
        assert_eq!(
            quotes("“We shared blood,” said the North Korean leader."),
            [q("We shared blood", Some("Kim Jong Un"))]
        );
        assert_eq!(
            quotes("A spokesman told reporters: \"No comment.\""),
            [q("No comment", Some("A spokesman"))]
        );
        assert_eq!(quotes("He said: “Never.”"), [q("Never", None)]);
    }
}
