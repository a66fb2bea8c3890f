//! Who acts on whom in a claim, and a party as the claim writes it. Read only
//! where the wording makes it plain, so that two claims with the parties'
//! roles swapped contradict (articles mode) or an edit that swapped them is
//! a change (versions mode).

use super::SlotChange;
use super::profile::Profile;
use super::words::{Token, Written};
use crate::claims::entity::country_of;
use crate::claims::{Claim, Slot};
use crate::text::normalize::match_key;

/// The parties of a claim by role (canonical names).
#[derive(Default, Clone)]
pub(super) struct Roles {
    pub(super) agent: Option<String>,
    targets: Vec<String>,
}

/// Words before a party that make it the one acted on (`على`, `ضد`, `إلى`).
const TARGET_MARKERS: &[&str] = &[
    "الي", "علي", "ضد", "نحو", "لدي", "تجاه", "to", "against", "on", "into", "toward", "towards",
];

/// Currencies: a demonym after one (`دولار أميركي`, `ريال سعودي`) names money, not a party.
const CURRENCIES: &[&str] = &[
    "دولار",
    "دولارا",
    "يورو",
    "ريال",
    "جنيه",
    "دينار",
    "درهم",
    "ليره",
    "روبل",
    "يوان",
];

/// Whether a word (match key) reads as an Arabic imperfect verb (`تسلم`,
/// `يستحوذ`, `تعاقب`): a prefix letter on a word of four letters or more that
/// is not a verbal noun of the `تفعيل` pattern (`تهجير`) or feminine (`تسوية`).
/// Only asked of the word right after a party's name, where a verb is likely.
fn verb_like(key: &str) -> bool {
    let w: Vec<char> = key.trim_start_matches(['و', 'ف']).chars().collect();
    w.len() >= 4
        && matches!(w[0], 'ي' | 'ت' | 'ن')
        && !(w[0] == 'ت' && w[w.len() - 2] == 'ي')
        && !w.ends_with(&['ه'])
}

/// Who acts on whom in a claim, read only where the wording makes it plain:
/// a party named bare and followed by an imperfect verb is the agent
/// (`السعودية تسلم`, `شاحنة غاز مصرية تدخل`); a party right after that verb
/// (`تسلم اليمن`) or after `ب`, `ل`, `على`, `ضد`, `إلى` is acted on
/// (`بالسعودية`, `لمصر`). Nominal headlines, passives (`على يد`, `بأمر من`)
/// and datelines (`سوريا:`) give no agent, so no swap is read into them.
pub(super) fn roles(claim: &Claim, written: &[Written]) -> Roles {
    let spans: Vec<(usize, usize)> = written.iter().map(|w| (w.start, w.end)).collect();
    let word_at = |offset: usize| spans.iter().position(|&(s, e)| s <= offset && offset < e);
    let keys: Vec<&str> = written.iter().map(|w| w.key.as_str()).collect();
    // (first word, last word, canonical, proclitic letters before the name)
    let mut mentions: Vec<(usize, usize, String, String)> = Vec::new();
    for slot in &claim.slots {
        if let Slot::Entity {
            text, canonical, ..
        } = slot
            && let Some(offset) = claim.text.find(text.as_str())
            && let (Some(i), Some(j)) = (word_at(offset), word_at(offset + text.len() - 1))
        {
            // The matcher keeps `لل` (`ل` + `ال`) inside the name's text
            // (`للأردن`): that `ل` marks it too.
            let mut proclitic = claim.text[spans[i].0..offset].to_string();
            if match_key(text)
                .trim_start_matches(['و', 'ف'])
                .starts_with("لل")
            {
                proclitic.push('ل');
            }
            mentions.push((i, j, canonical.clone(), proclitic));
        }
    }
    for (i, key) in keys.iter().enumerate() {
        if mentions.iter().any(|m| m.0 <= i && i <= m.1) {
            continue;
        }
        if let Some(c) = crate::claims::demonym::country(key) {
            // An adjective agrees with its noun: `دولار أميركي` is money, but
            // in `مليار دولار سعودية وديعة` the feminine qualifies the deposit.
            let feminine = |w: &str| w.ends_with('ه');
            let after_currency = i > 0
                && CURRENCIES.iter().any(|cur| {
                    keys[i - 1].trim_start_matches(['و', 'ب']) == *cur
                        && feminine(cur) == feminine(key)
                });
            if after_currency {
                continue;
            }
            // `للبنانيين` is "for the Lebanese".
            let bare = key.trim_start_matches(['و', 'ف']);
            let proclitic = if bare.starts_with("لل") { "ل" } else { "" };
            mentions.push((i, i, c.to_string(), proclitic.to_string()));
        }
    }
    mentions.sort_by_key(|m| m.0);
    let marked = |(i, _, _, proclitic): &(usize, usize, String, String)| {
        match_key(proclitic)
            .trim()
            .trim_start_matches(['و', 'ف'])
            .contains(['ب', 'ل'])
            || (*i > 0 && TARGET_MARKERS.contains(&keys[*i - 1]))
    };
    let mut roles = Roles::default();
    let dateline = |m: &(usize, usize, String, String)| {
        claim.text[spans[m.1].0..spans[m.1].1].ends_with([':', '：'])
    };
    let agent = mentions
        .iter()
        .find(|m| !marked(m) && !dateline(m) && keys.get(m.1 + 1).is_some_and(|k| verb_like(k)));
    if let Some(agent) = agent {
        roles.agent = Some(agent.2.clone());
        let object = agent.1 + 2;
        for m in &mentions {
            if m.2 != agent.2 && (marked(m) || m.0 == object) && !roles.targets.contains(&m.2) {
                roles.targets.push(m.2.clone());
            }
        }
        return roles;
    }
    // A nominal headline: the act's demonym is its agent and the party after
    // `ل` or `ب` the one acted on (`عقاب صيني لواشنطن`, `وديعة سعودية باليمن`).
    let agent = mentions.iter().position(|m| {
        !marked(m) && !dateline(m) && crate::claims::demonym::country(keys[m.0]).is_some()
    });
    if let Some(k) = agent {
        let targets: Vec<String> = mentions[k + 1..]
            .iter()
            .filter(|m| marked(m) && m.2 != mentions[k].2)
            .map(|m| m.2.clone())
            .collect();
        if !targets.is_empty() {
            roles.agent = Some(mentions[k].2.clone());
            roles.targets = targets;
        }
    }
    roles
}

/// Two claims that name the same two parties with their roles swapped (`السعودية
/// تودع في اليمن` / `اليمن تودع في السعودية`): the agent of each is acted on in the other.
pub(super) fn roles_swapped<'p>(ra: &'p Roles, rb: &'p Roles) -> Option<(&'p str, &'p str)> {
    let (x, y) = (ra.agent.as_deref()?, rb.agent.as_deref()?);
    // A capital acts for its country (`بكين تعاقب` / `تعاقب الصين`).
    let party = |c: &str| country_of(c).unwrap_or(c).to_string();
    let (px, py) = (party(x), party(y));
    (px != py
        && rb.targets.iter().any(|t| party(t) == px)
        && ra.targets.iter().any(|t| party(t) == py))
    .then_some((x, y))
}

/// The parties' roles swapped: each claim's agent, as written.
pub(super) fn roles_change(from: (String, &str), to: (String, &str)) -> SlotChange {
    let party = |(text, canonical): (String, &str)| Slot::Entity {
        text,
        canonical: canonical.to_string(),
        kind: crate::claims::EntityKind::Other,
    };
    SlotChange {
        slot: "entity",
        kind: "roles_swapped",
        from: Some(party(from)),
        to: Some(party(to)),
    }
}

/// A party as the claim writes it: its entity slot's text, or the demonym's word.
pub(super) fn surface_of(claim: &Claim, p: &Profile, canonical: &str) -> String {
    party_surface(claim, &p.tokens, canonical)
}

pub(super) fn party_surface(claim: &Claim, tokens: &[Token], canonical: &str) -> String {
    claim
        .slots
        .iter()
        .find_map(|s| match s {
            Slot::Entity {
                text, canonical: c, ..
            } if c == canonical => Some(text.clone()),
            _ => None,
        })
        .or_else(|| {
            tokens
                .iter()
                .find(|t| crate::claims::demonym::country(&t.key) == Some(canonical))
                .map(|t| t.surface.clone())
        })
        .unwrap_or_else(|| canonical.to_string())
}
