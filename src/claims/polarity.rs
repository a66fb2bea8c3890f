//! Negation cues: what makes a sentence assert that something did *not* happen.
//!
//! Pragmatic and lexical: every verbal negation cue is reported, even where the negated
//! phrase is not the sentence's main assertion. A change of polarity between two versions is
//! then "a cue appeared or disappeared", which is what a reader wants flagged; deciding
//! whether the cue scopes over the main claim would need a parser. Two readings deny
//! nothing and are not cues: `لا` making an adjective of a verb (`الصداقة التي لا تُقهر`
//! "the invincible friendship", `ألم لا يطاق` "unbearable pain"; [`LA_ADJECTIVAL`]), and
//! a sentence that opens by addressing the reader (`Your email address will not be
//! published.`, `You cannot reply`): a report speaks of third parties, so a sentence that
//! starts with You/Your is the page talking to its reader, not a claim.
//!
//! Cues:
//! * Arabic: لم، لن، لا (not in the affirmative idioms لا سيما، لا بد، لا يزال، لا شك،
//!   لا ريب), ليس and its forms, ما before a verb at the start of a clause (ما قال; not
//!   ما زال, not relative ما before a present-tense verb, not ما opening a question), غير
//!   before a predicate adjective (غير صحيح، غير مؤكد… — not غير مسبوق, which is
//!   "unprecedented") or before any indefinite word after a definite subject (اسرائيل غير
//!   مدربة, "Israel is not trained"), and the denial and refusal verbs نفى and رفض in their
//!   common forms.
//!   دون/بدون are not cues ("without" does not negate the claim; articles mode weighs
//!   it as an absence, see `claims::compare`).
//! * English: not, never, nor, neither, nobody, nothing, none, nowhere, cannot, any `n't`, no
//!   as a determiner (not "No. 5"), and deny/refuse/reject in their common forms.

use super::Slot;
use super::entity::{P_BREAK, Tokens, lex, lex_of, with_analysis};

// Read by build.rs (`entity::lex_of`); here for the tests.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const AR_PLAIN: &[&str] = &[
    "لم",
    "لن",
    "ليس",
    "ليست",
    "لست",
    "لسنا",
    "ليسوا",
    "ليسا",
    "لستم",
    "نفي",
    "نفت",
    "ينفي",
    "تنفي",
    "نفوا",
    "ينفون",
    "نافيا",
    "رفض",
    "رفضت",
    "يرفض",
    "ترفض",
    "رفضوا",
    "يرفضون",
    "رافضا",
];

/// `لا X` that affirms rather than negates.
// Read by build.rs (`entity::lex_of`); here for the tests.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const LA_IDIOMS: &[&str] = &[
    "سيما",
    "بد",
    "يزال",
    "تزال",
    "يزالون",
    "تزالان",
    "يزالان",
    "نزال",
    "شك",
    "ريب",
    "سيّما",
];

/// `لا X` where `لا` makes an adjective of the verb: praise or degree, no denial (`لا
/// تقهر` "invincible", `لا تنسى` "unforgettable", `لا يطاق` "unbearable", `لا مثيل له`
/// "unequalled"). Keys as folded (ى → ي). Articles mode reads the same list through the
/// polarity slot (`claims::compare`).
// Read by build.rs (`entity::lex_of`); here for the tests.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const LA_ADJECTIVAL: &[&str] = &[
    "تقهر",
    "يقهر",
    "تنسي",
    "ينسي",
    "تصدق",
    "يصدق",
    "مثيل",
    "تتزعزع",
    "يتزعزع",
    "تضاهي",
    "يضاهي",
    "تعوض",
    "يعوض",
    "يطاق",
    "تطاق",
];

/// `ما X` that is not a negation.
// Read by build.rs (`entity::lex_of`); here for the tests.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const MA_NOT_NEG: &[&str] = &[
    "زال",
    "زالت",
    "زالوا",
    "دام",
    "دامت",
    "هو",
    "هي",
    "هم",
    "اذا",
    "بين",
    "ان",
    "لم",
    "يلي",
    "عدا",
    "بعد",
    "قبل",
    "من",
    "في",
    "الي",
    "علي",
    "كان",
    "كانت",
];

/// Adjectives that `غير` turns into a negated predicate.
const GHAYR_PRED: &[&str] = &[
    "صحيح",
    "دقيق",
    "موكد",
    "صادق",
    "حقيقي",
    "قانوني",
    "شرعي",
    "مقبول",
    "قادر",
    "مسموح",
    "واضح",
    "معروف",
    "كافي",
    "ممكن",
    "مسوول",
    "مستعد",
    "مستبعد",
    "وارد",
    "معني",
    "مهتم",
    "راغب",
    "امن",
    "جاهز",
    "مكترث",
    "متوقع",
    "راض",
    "مستقر",
    "سليم",
    "موهل",
    "صالح",
    "ملزم",
    "متاح",
    "موجود",
    "مناسب",
    "مضمون",
    "متورط",
    "مذنب",
    "معترف",
];

/// Arabic words that negate only in some contexts (see [`is_cue`]).
// Read by build.rs (`entity::lex_of`); here for the tests.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const AR_CONDITIONAL: &[&str] = &["لا", "غير", "ما"];

// Read by build.rs (`entity::lex_of`); here for the tests.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const EN_PLAIN: &[&str] = &[
    "not",
    "never",
    "nor",
    "neither",
    "nobody",
    "nothing",
    "none",
    "nowhere",
    "cannot",
    "deny",
    "denies",
    "denied",
    "denying",
    "refuse",
    "refuses",
    "refused",
    "refusing",
    "reject",
    "rejects",
    "rejected",
    "rejecting",
];

/// Negation cues in `sentence`, in order, as `Slot::Polarity { negated: true, text: cue }`
/// (the cue token as written). See the module doc for the cue list.
pub fn find_negations(sentence: &str) -> Vec<Slot> {
    // `ما` opening a question asks "what", it does not negate (`ما قصة …؟`).
    let question = sentence.trim_end().ends_with(['?', '؟']);
    let to_reader = addressed_to_reader(sentence);
    with_analysis(sentence, None, |t, _| {
        (0..t.len())
            .filter(|&i| {
                !(to_reader && t.key(i).is_ascii())
                    && is_cue(t, i, question)
                    && !prevention_follows(t, i)
            })
            .map(|i| Slot::Polarity {
                negated: true,
                text: t.text(i, i + 1).to_string(),
            })
            .collect()
    })
}

/// Whether the sentence opens by speaking to the reader (`Your email address will not be
/// published.`; `إذا كنت تتابع الأخبار، …`, "if you follow the news, …"): page furniture,
/// an instruction or the writer's aside, not a report.
pub(super) fn addressed_to_reader(sentence: &str) -> bool {
    let s = sentence.trim_start();
    // Every form starts with `You` or with a conditional particle: most sentences are
    // ruled out without finding their first word (asked of every sentence, that search
    // was a visible cost).
    if s.starts_with("You") {
        let first = s.split_whitespace().next().unwrap_or("");
        return matches!(first, "You" | "Your" | "You're" | "You’re");
    }
    if !s.starts_with(['إ', 'ا', 'ل', 'و', 'ف']) {
        return false;
    }
    // A condition put to "you" (`إذا كنت` / `إن كنتم` …): reports state conditions in the
    // third person; the second person is the page talking to its reader (`كنت` alone
    // could be "I was", which a report quotes inside quotation marks, not at its start).
    let mut words = s.split_whitespace();
    let (Some(particle), Some(verb)) = (words.next(), words.next()) else {
        return false;
    };
    let particle = particle
        .strip_prefix(['و', 'ف'])
        .filter(|rest| rest.chars().count() >= 2)
        .unwrap_or(particle);
    matches!(particle, "إذا" | "اذا" | "إن" | "ان" | "لو")
        && matches!(verb, "كنت" | "كنتم" | "كنتِ" | "كنتَ")
}

fn is_cue(t: &Tokens, i: usize, question: bool) -> bool {
    let k = t.key(i);
    // Looked at only for a few words.
    let next = || (i + 1 < t.len() && t.toks[i + 1].punct & P_BREAK == 0).then(|| t.key(i + 1));
    if k.is_ascii() {
        return match k {
            _ if t.is(i, lex::EN_PLAIN) => true,
            _ if k.ends_with("n't") => true,
            "no" => next().is_some_and(|n| n.bytes().all(|b| b.is_ascii_alphabetic())),
            _ => false,
        };
    }
    if t.any(i, lex::AR_PLAIN) {
        return true;
    }
    // Most words are none of the three below: one bit, looked up with the token.
    if !t.is0(i, lex::AR_CONDITIONAL) {
        return false;
    }
    let k0 = t.key_noconj(i);
    match k0 {
        "لا" => next().is_some_and(|n| lex_of(n) & lex::LA_IDIOMS == 0),
        "غير" => next().is_some_and(|n| ghayr_predicate(n) || ghayr_after_subject(t, i, n)),
        "ما" => {
            let clause_start = i == 0
                || k0.len() != k.len()
                || t.toks[i].punct & P_BREAK != 0
                || matches!(t.key(i - 1), "لكن" | "ولكن" | "بل" | "ثم");
            clause_start
                && !question
                && next().is_some_and(|n| {
                    lex_of(n) & lex::MA_NOT_NEG == 0
                        && !n.starts_with("ال")
                        && !n.starts_with(['ي', 'ت', 'ن'])
                        && n.chars().count() >= 3
                })
        }
        _ => false,
    }
}

/// Whether the cue at `i` denies a prevention (`لا يوجد ما يمنع تسليم`,
/// "nothing prevents the delivery"; `لا مانع من`, "no objection to"; `لم
/// يحل دون`; "did not prevent"): two negatives that leave the claim affirmed.
/// Looked for in the cue's next three words, up to a break.
fn prevention_follows(t: &Tokens, i: usize) -> bool {
    let prevents = |w: &str| {
        if w.is_ascii() {
            return w.starts_with("prevent");
        }
        // Conjugated forms read as the opposites lexicon reads verbs.
        let mut found = w == "مانع";
        super::opposites::verb_readings(w, |c| c == "منع", |_| found = true);
        found
    };
    (i + 1..t.len().min(i + 4))
        .take_while(|&j| t.toks[j].punct & P_BREAK == 0)
        .any(|j| {
            let w = t.key_noconj(j);
            prevents(w) || matches!(w, "يحول" | "تحول") && j + 1 < t.len() && t.key(j + 1) == "دون"
        })
}

/// `غير` + an indefinite word after a definite subject is a nominal
/// sentence's negated predicate (`اسرائيل غير مدربة`, `الخطابي غير معروف`:
/// "Israel is not trained"); after an indefinite noun it is an attributive
/// adjective (`بشكل غير مسبوق`, "in an unprecedented way"), and before a
/// definite word it agrees with a definite noun (`الأفارقة غير الشرعيين`,
/// "the illegal Africans"): neither denies anything. Definite: `ال`, a
/// pronoun, or a name the gazetteer knows.
fn ghayr_after_subject(t: &Tokens, i: usize, next: &str) -> bool {
    if i == 0 || next.starts_with("ال") || t.toks[i].punct & P_BREAK != 0 {
        return false;
    }
    let prev = t.key_noconj(i - 1);
    prev.starts_with("ال") && prev.chars().count() > 3
        || matches!(prev, "هو" | "هي" | "هم" | "انه" | "انها" | "انهم")
        || super::entity::Gazetteer::builtin()
            .lookup(t.text(i - 1, i))
            .is_some()
}

fn ghayr_predicate(n: &str) -> bool {
    GHAYR_PRED.iter().any(|p| {
        n.strip_prefix(p)
            .is_some_and(|rest| matches!(rest, "" | "ه" | "ين" | "ون" | "ا" | "يه" | "ي"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues(s: &str) -> Vec<String> {
        find_negations(s)
            .into_iter()
            .map(|p| match p {
                Slot::Polarity { negated, text } => {
                    assert!(negated);
                    text
                }
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn the_page_speaking_to_its_reader() {
        for s in [
            "Your email address will not be published.",
            "You can read more here.",
            "إذا كنت تتابع الأحداث الجيوسياسية، ستجد هنا تحليلاً مباشراً يساعدك على فهم السياق الأوسع.",
            "وإذا كنتم من محبي الذهب، فهذه فرصتكم.",
        ] {
            assert!(addressed_to_reader(s), "{s}");
        }
        for s in [
            "Young voters turned out in large numbers.",
            "إذا كانت الحكومة جادة فعليها أن تعلن الأرقام.",
            "«إذا كنت رئيسا لفعلت ذلك»، قال المرشح.",
            "وأكد الوزير أن الاتفاق سيوقع الأسبوع المقبل.",
            "لو",
        ] {
            assert!(!addressed_to_reader(s), "{s}");
        }
    }

    #[test]
    fn arabic_seed_sentences() {
        assert_eq!(
            cues("هذا لم يكن مجرد كلام احتفالي، بل إشارة إلى خسائر حقيقية."),
            ["لم"]
        );
        assert_eq!(
            cues("هذه الرسالة ليست مجرد تحية، بل اعتراف رسمي."),
            ["ليست"]
        );
        assert_eq!(cues("لم تكن رسالة كيم جونغ أون مفاجئة تماماً"), ["لم"]);
        // `لا` making an adjective denies nothing.
        assert!(cues("واصفاً إياها بـ “الصداقة التي لا تُقهر”").is_empty());
        assert!(cues("متحدثاً عن “ألم لا يطاق”").is_empty());
        assert!(cues("إنها تجربة لا تُنسى").is_empty());
        assert_eq!(cues("هذا ليس جديداً تماماً"), ["ليس"]);
        assert!(cues("أرسلت أكثر من 10 آلاف جندي إلى روسيا خلال عام 2024").is_empty());
        // غير مسبوق is "unprecedented", not a negated claim.
        assert!(cues("تقاربت العلاقات بشكل غير مسبوق").is_empty());
        assert!(cues("رسالة تهنئة غير تقليدية").is_empty());
        assert!(cues("ترحيل المهاجرين الأفارقة غير الشرعيين").is_empty());
        assert!(cues("قال الوزير: غير مسبوق").is_empty());
        // After a definite subject: a negated predicate, whatever the adjective.
        assert_eq!(cues("اسرائيل غير مدربة على التعامل مع المنظومة"), ["غير"]);
        assert_eq!(cues("الخطابي غير معروف"), ["غير"]);
        // Denying a prevention affirms: no cue.
        assert!(cues("لافروف: لا يوجد ما يمنع تسليم أنظمة إس 300 للأسد").is_empty());
        assert!(cues("لا مانع من عودة اللاجئين").is_empty());
        assert!(cues("The rain did not prevent the match").is_empty());
        assert_eq!(cues("لافروف يرفض تسليم الأنظمة"), ["يرفض"]);
        // Relative ما.
        assert!(cues("مشيراً إلى ما وصفه بـ “الدخول البطولي”").is_empty());
        assert!(cues("لكن ما يلفت الانتباه هو الاعتراف").is_empty());
    }

    #[test]
    fn arabic_cues() {
        assert_eq!(cues("ولن تتراجع موسكو"), ["ولن"]);
        assert_eq!(cues("وقال إن الخبر غير صحيح"), ["غير"]);
        assert_eq!(cues("الملعب غير آمن للعب"), ["غير"]);
        assert_eq!(cues("ليبيا غير جاهزة لانتخابات حرة"), ["غير"]);
        assert_eq!(cues("نفى الكرملين التقارير"), ["نفى"]);
        assert_eq!(cues("ونفت الوزارة ذلك"), ["ونفت"]);
        assert_eq!(cues("رفضت بيونغ يانغ التعليق"), ["رفضت"]);
        assert_eq!(cues("ما قال شيئاً عن الخسائر"), ["ما"]);
        assert!(cues("لا سيما في كورسك").is_empty());
        assert!(cues("لا يزال القتال مستمراً").is_empty());
        assert!(cues("ما زال القتال مستمراً").is_empty());
        assert!(cues("وهو ما يزيد من تعقيد المشهد").is_empty());
        // Interrogative ما.
        assert!(cues("ما قصة الرسالة التي وصلت إلى بيونغ يانغ؟").is_empty());
    }

    #[test]
    fn english_cues() {
        assert_eq!(cues("The Kremlin did not comment."), ["not"]);
        assert_eq!(cues("Officials didn't confirm it."), ["didn't"]);
        assert_eq!(cues("He never said that."), ["never"]);
        assert_eq!(cues("There is no evidence of losses."), ["no"]);
        assert_eq!(cues("Nobody is permitted to reach it."), ["Nobody"]);
        assert_eq!(cues("Moscow denied the report."), ["denied"]);
        assert_eq!(cues("Pyongyang refused to comment."), ["refused"]);
        assert!(cues("Resolution No. 5 was adopted.").is_empty());
        assert!(cues("Kim praised the soldiers.").is_empty());
        // The page speaking to its reader.
        assert!(cues("Your email address will not be published.").is_empty());
        assert_eq!(cues("“You will not win,” he said."), ["not"]);
    }

    #[test]
    fn odd_input() {
        assert!(cues("").is_empty());
        assert!(cues("لا").is_empty());
        assert_eq!(cues("لم"), ["لم"]);
    }
}
