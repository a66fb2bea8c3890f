//! What of a claim is compared across outlets (articles mode): its stems and
//! roots, events, figures, dates, places, negation, opposites, assets and
//! roles, read once per claim, since pairs of claims are compared many times.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::features;
use super::quantities::{Q, quantity};
use super::roles::{Roles, roles};
use super::slots::{date_key, entity_parts};
use super::vectors::Senses;
use super::words::{
    PROCLITICS, Token, content_key, lexicons, names_the_opposition, proclitic_readings, stem,
    strip_proclitic, tokens, words, written_words,
};
use crate::claims::entity::country_of;
use crate::claims::opposites::{Poles, poles};
use crate::claims::{Claim, Slot};
use crate::text::normalize::match_key;

/// What of a claim is compared across outlets.
#[derive(Clone)]
pub(super) struct Profile {
    pub(super) stems: HashSet<String>,
    pub(super) events: HashSet<&'static str>,
    pub(super) quantities: Vec<Q>,
    /// Stems of the quantities' own words (`قتلى`, `مليار`, `دولار`).
    pub(super) figure_stems: HashSet<String>,
    pub(super) dates: Vec<String>,
    /// Words with proclitics stripped, for the classes of opposites (ordered,
    /// so the cue reported is always the same one).
    pub(super) bare: BTreeSet<String>,
    /// Per class of opposites: the first word of each pole this claim uses
    /// (computed once: pairs of claims are compared many times).
    pub(super) poles: Poles,
    /// Says there were no casualties ("دون وقوع ضحايا").
    pub(super) no_casualties: bool,
    /// Four-digit years written in the text, slot or not (`أوسكار 2018`).
    pub(super) years: Vec<String>,
    pub(super) entities: HashSet<String>,
    /// The places named (canonical).
    pub(super) places: HashSet<String>,
    /// The places with a city read as its country (`elsewhere` compares them
    /// for every pair of claims).
    pub(super) regions: HashSet<String>,
    /// "Before X" / "after X" (`قبل العقوبات`): the anchor word's stem with
    /// `true` for after.
    pub(super) relative: Vec<(bool, String)>,
    /// A negation cue, or an absence word (`بلا`, `دون`, `عدم`): read alone.
    /// Against another claim, [`Profile::negated_against`].
    pub(super) negated: bool,
    /// A negation cue denies the claim (not an absence word).
    denied: bool,
    pub(super) absent: Option<String>,
    /// What the absence word says is missing: the first of the next two
    /// words that is not a stopword (`رتوش` of `من دون رتوش`), if any.
    absent_what: Option<Token>,
    /// The words in order, for the word-by-word comparison of nearly identical claims.
    pub(super) tokens: Vec<Token>,
    /// Which of `tokens` the word alignment reads (`features::content_words`).
    pub(super) content: Vec<usize>,
    /// Traded assets named (`الذهب`, `النفط`, `الدولار`): canonical → the word.
    pub(super) assets: BTreeMap<&'static str, String>,
    /// Who acts on whom: the first party named bare (`السعودية تسلم`, `عقاب
    /// صيني`) and the parties named after a preposition or after it (`باليمن`,
    /// `لواشنطن`, `تسلم اليمن`).
    pub(super) roles: Roles,
    /// `stems` with their word vectors.
    pub(super) senses: Senses,
}

impl Profile {
    /// Whether this claim is negated as read against `other`: a negation cue
    /// always; "without X" only where the other claim speaks of X (`بلا
    /// عوائق` against `عوائق`, `بدون مساعدات` against `تدخل مساعدات`). "Sits
    /// without moving" (`يجلس بلا حراك`) against "sits", or "without
    /// retouching" against a claim that says nothing of retouching, adds a
    /// detail; it does not deny what the other says.
    pub(super) fn negated_against(&self, other: &Profile) -> bool {
        self.denied
            || self.absent.is_some()
                && self.absent_what.as_ref().is_none_or(|what| {
                    other.tokens.iter().any(|t| {
                        // A proclitic read on one side only (`بيكيني`, `البيكيني`).
                        t.same(what) || t.related(what) || t.key == what.bare || t.bare == what.key
                    })
                })
    }
}

/// What of a claim is compared across outlets; `ws` are the [`words`] of its
/// text's match key.
pub(super) fn profile(claim: &Claim, ws: &[String]) -> Profile {
    let lex = lexicons();
    let written = written_words(&claim.text);
    let tokens = tokens(&claim.text, &written);
    let no_casualties = says_no_casualties(ws);
    // A figure the quantity reader took (`1100 شخص`: people, not a year) is
    // no year, nor a number outside the years news speaks of.
    let counted: HashSet<String> = claim
        .slots
        .iter()
        .filter_map(|s| match s {
            Slot::Quantity { text, .. } => Some(words(&match_key(text))),
            _ => None,
        })
        .flatten()
        .collect();
    let years: Vec<String> = ws
        .iter()
        .filter(|w| {
            w.len() == 4
                && w.bytes().all(|b| b.is_ascii_digit())
                && w.parse::<u32>().is_ok_and(|y| (1800..=2100).contains(&y))
                && !counted.contains(w.as_str())
        })
        .cloned()
        .collect();
    // One-word place names as written, so that the name and its demonym
    // (`الصين`, `الصيني`) count as one shared word.
    let place_words: HashMap<String, &str> = claim
        .slots
        .iter()
        .filter_map(|s| match s {
            Slot::Entity {
                text,
                canonical,
                kind: crate::claims::EntityKind::Place,
            } => Some((match_key(text).trim().to_string(), canonical.as_str())),
            _ => None,
        })
        .filter(|(k, _)| !k.contains(' '))
        .collect();
    let place_of = |w: &str| -> Option<String> {
        let bare = PROCLITICS
            .iter()
            .find_map(|p| w.strip_prefix(p).filter(|r| place_words.contains_key(*r)))
            .unwrap_or(w);
        place_words
            .get(bare)
            .copied()
            .or_else(|| crate::claims::demonym::country(w))
            .map(|c| format!("@{c}"))
    };
    // The lemma first, so broken plurals meet their singular (جنود, جندي).
    // A traded asset by its name, whatever its clitics (`لليرة` is `ل` +
    // `الليرة`, `بتكوين` no `ب` + `تكوين`).
    let stem_of = |w: &str| -> String {
        place_of(w)
            .or_else(|| {
                proclitic_readings(w)
                    .find_map(|r| lex.assets.get(r))
                    .map(|a| format!("${a}"))
            })
            .unwrap_or_else(|| content_key(w))
    };
    let stems: HashSet<String> = ws
        .iter()
        .filter(|w| w.chars().count() >= 3 && !lex.stopwords.contains(w.as_str()))
        .map(|w| stem_of(w))
        .collect();
    let poles = poles(ws);
    let mut events = HashSet::default();
    let mut bare_words = BTreeSet::new();
    for (i, w) in ws.iter().enumerate() {
        // `على الأقل` is "at least", not "lower".
        if w == "الاقل" && i > 0 && ws[i - 1] == "علي" {
            continue;
        }
        let bare = strip_proclitic(w);
        for cue in [w.as_str(), bare] {
            if let Some(of) = lex.event_of.get(cue) {
                events.extend(of.iter().copied());
            }
        }
        bare_words.insert(w.clone());
        if names_the_opposition(w) {
            continue;
        }
        bare_words.extend(proclitic_readings(w).map(str::to_string));
    }
    // Words of a name (`أطباء بلا حدود`) say nothing of the claim.
    let name_words: HashSet<String> = claim
        .slots
        .iter()
        .filter_map(|s| match s {
            Slot::Entity { text, .. } => Some(words(&match_key(text))),
            _ => None,
        })
        .flatten()
        .collect();
    let in_name = |w: &str| name_words.contains(w);
    // "Without" or "lacking" negates the claim as `لا` would (`بلا عوائق`,
    // `لا عوائق`), but not "below" a figure (`دون 80 دولارا`), and a claim
    // of no casualties is the casualty rule's.
    let absent_at = (!no_casualties)
        .then(|| {
            ws.iter().enumerate().position(|(i, w)| {
                let below = ws
                    .get(i + 1)
                    .is_some_and(|n| n.chars().next().is_some_and(|c| c.is_ascii_digit()));
                let bare = strip_proclitic(w);
                (lex.absence.contains(w.as_str()) || lex.absence.contains(bare))
                    && !below
                    && !in_name(w)
            })
        })
        .flatten();
    let absent = absent_at.map(|i| ws[i].clone());
    let absent_what = absent_at.and_then(|i| {
        let what = ws[i + 1..]
            .iter()
            .take(2)
            .find(|w| !lex.stopwords.contains(w.as_str()))?;
        tokens.iter().find(|t| &t.key == what).cloned()
    });
    let denied = denies(claim, ws, &name_words);
    // "A Syrian plane" names Syria as much as "a plane in Syria" does.
    let demonyms: Vec<&str> = ws
        .iter()
        .filter_map(|w| crate::claims::demonym::country(w))
        .collect();
    // "Casualties fell" (`سقوط قتلى`, `سقوط أشخاص`): people killed, not a
    // plane or a regime falling.
    let fallen = [
        "قتلي",
        "ضحايا",
        "جرحي",
        "مصابين",
        "اشخاص",
        "شخص",
        "عشرات",
        "مئات",
        "الاف",
        "مدنيين",
    ];
    if ws.windows(2).any(|p| {
        p[0].trim_start_matches('و') == "سقوط"
            && (fallen.contains(&p[1].as_str())
                || p[1].starts_with(|c: char| c.is_ascii_digit())
                || crate::claims::demonym::country(&p[1]).is_some())
    }) {
        events.insert("killed");
    }
    // "Without casualties" speaks of the same thing as a death toll.
    if no_casualties {
        events.insert("killed");
    }
    let places: HashSet<String> = claim
        .slots
        .iter()
        .filter_map(entity_parts)
        .filter(|(_, k)| *k == crate::claims::EntityKind::Place)
        .map(|(c, _)| c.to_string())
        .chain(demonyms.iter().map(|c| c.to_string()))
        .collect();
    Profile {
        // A place and the country it lies in are not elsewhere (`القاهرة` / `مصر`).
        regions: places
            .iter()
            .map(|c| country_of(c).unwrap_or(c).to_string())
            .collect(),
        senses: Senses::of(stems.iter()),
        stems,
        no_casualties,
        years,
        poles,
        bare: bare_words,
        events,
        quantities: claim.slots.iter().filter_map(quantity).collect(),
        figure_stems: claim
            .slots
            .iter()
            .filter_map(|s| match s {
                Slot::Quantity { text, .. } => Some(text),
                _ => None,
            })
            .flat_map(|t| words(&match_key(t)))
            .map(|w| stem_of(&w))
            .collect(),
        dates: claim
            .slots
            .iter()
            .filter(|s| matches!(s, Slot::Date { .. }))
            .map(date_key)
            .collect(),
        entities: claim
            .slots
            .iter()
            .filter_map(entity_parts)
            .map(|(c, _)| c.to_string())
            .chain(demonyms.iter().map(|c| c.to_string()))
            .collect(),
        places,
        relative: relative(ws),
        negated: absent.is_some() || denied,
        denied,
        absent,
        absent_what,
        assets: {
            let mut found = BTreeMap::new();
            for t in &tokens {
                if let Some(&c) = lex
                    .assets
                    .get(t.bare.as_str())
                    .or(lex.assets.get(t.key.as_str()))
                {
                    found.entry(c).or_insert_with(|| t.surface.clone());
                }
            }
            found
        },
        content: features::content_words(claim, &tokens),
        tokens,
        roles: roles(claim, &written),
    }
}

/// "Without casualties" in its common forms: a claim of zero dead.
fn says_no_casualties(words: &[String]) -> bool {
    let heads = ["دون", "بدون", "عدم", "لا", "without", "no"];
    let nouns = [
        "ضحايا",
        "اصابات",
        "قتلي",
        "casualties",
        "deaths",
        "injuries",
        "victims",
    ];
    words.iter().enumerate().any(|(i, w)| {
        heads.contains(&w.as_str())
            && words[i + 1..]
                .iter()
                .take(3)
                .any(|n| nouns.contains(&n.as_str()))
    })
}

/// Whether a negation cue of the claim denies it (praise worded as a negation,
/// `لا تقهر`, is no cue at all: `claims::polarity`). Not a condition, nor the
/// "unprecedented since" frame: a negated clause describing an indefinite noun and dated by
/// `منذ` (`أمطار غزيرة لم تجتح تونس منذ 20 عاما`, rain "such as had not hit
/// Tunisia in 20 years") says how rare the thing is, not that it did not
/// happen. Read only where the claim has already said what happened.
fn denies(claim: &Claim, ws: &[String], name_words: &HashSet<String>) -> bool {
    let stopwords = &lexicons().stopwords;
    let since_frame = |i: usize| {
        let Some(prev) = i.checked_sub(1).map(|p| ws[p].as_str()) else {
            return false;
        };
        let indefinite_noun = i >= 2
            && prev.chars().count() >= 3
            && !prev.trim_start_matches(['و', 'ف', 'ب']).starts_with("ال")
            && !prev.starts_with("لل")
            && !stopwords.contains(prev)
            && !name_words.contains(prev);
        let dated = ws[i + 1..]
            .iter()
            .take(5)
            .collect::<Vec<_>>()
            .windows(2)
            .any(|w| {
                w[0] == "منذ"
                    && w[1]
                        .starts_with(|c: char| c.is_ascii_digit() || matches!(c, 'ع' | 'س' | 'ق'))
            });
        // The claim has already said what happened (`مقتل 4 أشخاص إثر ...`):
        // a bare name before the cue (`سايمون كاول لم يستخدم الهاتف منذ عشرة
        // أشهر`) is the subject of a real denial.
        let told = ws[..i - 1].iter().any(|w| {
            w.starts_with(|c: char| c.is_ascii_digit())
                || lexicons().event_of.contains_key(w.as_str())
        });
        matches!(ws[i].trim_start_matches('و'), "لم" | "لا") && indefinite_noun && dated && told
    };
    // A condition (`إذا لم تتفاهم`, "if it does not") denies nothing.
    let conditional = |i: usize| {
        i > 0
            && match ws[i - 1].as_str() {
                "اذا" | "لو" | "if" | "unless" => true,
                "ان" => ws[i].trim_start_matches('و') == "لم",
                _ => false,
            }
    };
    claim.slots.iter().any(|s| match s {
        Slot::Polarity {
            negated: true,
            text,
        } => {
            let cue = match_key(text);
            let cue = cue.trim();
            let mut at = ws.iter().enumerate().filter(|(_, w)| *w == cue).peekable();
            at.peek().is_none() || at.any(|(i, _)| !since_frame(i) && !conditional(i))
        }
        _ => false,
    })
}

/// "Before X" / "after X" in a claim (`قبل العقوبات`): the anchor word's stem
/// with `true` for after.
pub(super) fn relative(ws: &[String]) -> Vec<(bool, String)> {
    let lex = lexicons();
    ws.windows(2)
        .filter_map(|w| {
            let after = match w[0].as_str() {
                "قبل" | "قبيل" | "before" => false,
                "بعد" | "after" => true,
                _ => return None,
            };
            (w[1].chars().count() >= 3 && !lex.stopwords.contains(w[1].as_str()))
                .then(|| (after, stem(&w[1])))
        })
        .collect()
}
