//! Articles mode's answer: every statement of two outlets' articles as a
//! claim candidate, the rows the learned models make of the pairs `features`
//! measures, and the pair-level summary. The end-to-end tests of the readings
//! (two one-sentence articles compared) are here.

use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use super::features::{Considered, Evidence};
use super::{ClaimChange, ClaimSide, Status};
use crate::claims::Claim;
use crate::claims::model::OnlyIn;
use crate::claims::polarity::addressed_to_reader;
use crate::claims::versions::claim_unit;

/// Every unit of a text as a claim candidate for articles mode: the units
/// with slots carry them, the others (statements without a number, name or
/// negation) still take part, since outlets contradict each other in words
/// too (`rose` / `fell`). Single words (a label, a byline) are left out.
pub fn statements(
    text: &str,
    units: &[crate::text::segment::Unit],
    claims: &[Claim],
) -> Vec<Claim> {
    let by_unit: HashMap<usize, &Claim> = claims.iter().map(|c| (c.sentence, c)).collect();
    units
        .iter()
        .enumerate()
        .filter_map(|(i, u)| match by_unit.get(&i) {
            Some(c) => Some((*c).clone()),
            None => {
                let t = u.text(text);
                (t.split_whitespace().count() >= 2).then(|| Claim {
                    sentence: i,
                    text: t.to_string(),
                    slots: Vec::new(),
                })
            }
        })
        .collect()
}

/// What two articles' reports amount to together (the contract's `summary`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Agree,
    Disagree,
    Related,
    Unrelated,
}

/// The pair-level answer to "do these two reports agree?".
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    pub relation: Relation,
    /// Calibrated probability that the relation is right (as measured for a
    /// claim against an article; see `basis`).
    pub confidence: f32,
    /// `claim`: one side is a claim or headline (a few sentences), the
    /// setting the model was trained and calibrated in. `headlines`: two whole
    /// articles, read through each one's headline against the other — no
    /// labelled data measures that, so it is a best guess.
    pub basis: Basis,
    /// The four relations' probabilities (summing to 1; `confidence` is the
    /// largest): for a reader whose task has fewer answers, e.g. a corpus
    /// that labels no `related`.
    pub probabilities: Probabilities,
}

/// A probability per [`Relation`], in the contract's order.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Probabilities {
    pub agree: f32,
    pub disagree: f32,
    pub related: f32,
    pub unrelated: f32,
}

impl Probabilities {
    /// From the model's four outputs (agree, disagree, related, unrelated).
    pub fn of(p: &[f32]) -> Probabilities {
        let at = |k: usize| p.get(k).copied().unwrap_or(0.0);
        Probabilities {
            agree: at(0),
            disagree: at(1),
            related: at(2),
            unrelated: at(3),
        }
    }

    pub fn as_array(&self) -> [f32; 4] {
        [self.agree, self.disagree, self.related, self.unrelated]
    }
}

/// What a summary was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    Claim,
    Headlines,
}

/// Articles mode in full: the claim rows and the pair's summary.
#[derive(Debug, Clone)]
pub struct ArticlesComparison {
    pub rows: Vec<ClaimChange>,
    pub summary: Summary,
}

/// Compare two outlets' claims. Claims are paired one to one by match score
/// (best first); the learned row model then says of each pair whether both
/// assert the same thing (`shared`), contradict each other (`conflicting`,
/// only where a rule reads the contradiction, which becomes its `changes`),
/// are about the same event without the same assertion (`related`), or are
/// unrelated after all (two `only_*` rows). Rows follow the first article's
/// order, then the second's leftovers.
pub fn compare_articles(from: &[Claim], to: &[Claim]) -> Vec<ClaimChange> {
    compare_articles_full(from, to).rows
}

/// The most statements a side may have to be read as one claim by the pair
/// model (a headline or a claim, as in its training data); longer sides are
/// whole articles.
const LONGEST_CLAIM_SIDE: usize = 3;

/// The pair model's probabilities for a claim against an article.
fn pair_probabilities(ev: &Evidence) -> Vec<f32> {
    let models = crate::claims::model::models();
    let considered = ev.consider();
    models.relation(&ev.doc(), &considered, &models.rows(&considered))
}

/// How a claim of the first article is read against the second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FromReading {
    /// Paired with a claim of the second: the considered pair's index, its
    /// row's class (shared, conflicting or related, as `ROW_CLASSES`) and
    /// confidence (see [`crate::claims::model::Models::decide_row`]).
    Paired {
        candidate: usize,
        class: usize,
        confidence: f32,
    },
    /// Only in the first article: what
    /// [`crate::claims::model::Models::only_in`] judges that by.
    Only(OnlyIn),
}

/// Each claim of two articles as the rows read it: the first's claims paired
/// or only in it; the second's claims that no pair took, only in it (as
/// [`FromReading::Only`]), the others `None`.
#[derive(Debug, Clone)]
pub struct ClaimReadings {
    pub from: Vec<FromReading>,
    pub only_to: Vec<Option<OnlyIn>>,
}

/// [`ClaimReadings`] of two articles' claims (`from_len` and `to_len` of
/// them), from the considered pairs and their row probabilities, and the
/// pair model's "unrelated" for the two.
pub fn read_claims(
    models: &crate::claims::model::Models,
    (considered, probabilities): (&[Considered], &[Vec<f32>]),
    (from_len, to_len): (usize, usize),
    pair_unrelated: f32,
) -> ClaimReadings {
    // How sure "only in one article" is: the row model's "unrelated" for the
    // claim it was paired with one to one (when that pair was read as
    // unrelated), else for its best partner (certain when nothing in the
    // other is like it). Both articles' claims are read alike, so that their
    // order does not change how sure a row is.
    let unrelated = |is_side: &dyn Fn(&Considered) -> bool, sizes: (usize, usize)| {
        let side = considered
            .iter()
            .zip(probabilities)
            .filter(|(c, _)| is_side(c));
        let best = side
            .clone()
            .find(|(c, _)| c.matched)
            .or_else(|| side.min_by(|x, y| x.1[3].total_cmp(&y.1[3])));
        OnlyIn {
            unrelated: best.map_or(1.0, |(_, p)| p[3]),
            similarity: best.map_or(0.0, |(c, _)| c.similarity),
            own_statements: sizes.0,
            other_statements: sizes.1,
            pair_unrelated,
        }
    };
    let mut paired_to = vec![false; to_len];
    let from = (0..from_len)
        .map(|i| {
            let matched = considered
                .iter()
                .zip(probabilities)
                .enumerate()
                .find(|(_, (c, _))| c.matched && c.from == i);
            let Some((candidate, (c, p))) = matched else {
                return FromReading::Only(unrelated(&|c| c.from == i, (from_len, to_len)));
            };
            let (class, confidence) = models.decide_row(p, !c.changes.is_empty());
            if class == 3 {
                return FromReading::Only(unrelated(&|c| c.from == i, (from_len, to_len)));
            }
            paired_to[c.to] = true;
            FromReading::Paired {
                candidate,
                class,
                confidence,
            }
        })
        .collect();
    let only_to = (0..to_len)
        .map(|j| (!paired_to[j]).then(|| unrelated(&|c| c.to == j, (to_len, from_len))))
        .collect();
    ClaimReadings { from, only_to }
}

/// Whether a statement may be a row "only in one article": a line that makes
/// no claim (`8 mins read`, a dateline, `Leave a comment`, `Your email address
/// will not be published.`) or speaks to the reader is read with the rest (the
/// models learned from whole texts) but is no row of its own.
pub fn makes_claim(text: &str, slots: &[crate::claims::Slot]) -> bool {
    claim_unit(text, slots) && !addressed_to_reader(text)
}

/// [`compare_articles`] with the pair-level summary.
pub fn compare_articles_full(from: &[Claim], to: &[Claim]) -> ArticlesComparison {
    let models = crate::claims::model::models();
    // Read with the first article's spelling of names; shown as written.
    let respelled = super::spelling::respelled(from, to);
    let ev = Evidence::of(from, respelled.as_deref().unwrap_or(to));
    let considered = ev.consider();
    let probabilities = models.rows(&considered);
    let side = |c: &Claim| ClaimSide {
        sentence: c.sentence,
        text: c.text.clone(),
        slots: c.slots.clone(),
    };
    let only = |status, from: Option<ClaimSide>, to: Option<ClaimSide>, p: f32| ClaimChange {
        status,
        from,
        to,
        changes: Vec::new(),
        similarity: None,
        confidence: Some(p),
    };
    let basis = if from.len().min(to.len()) > LONGEST_CLAIM_SIDE {
        Basis::Headlines
    } else {
        Basis::Claim
    };
    let p = if basis == Basis::Headlines {
        // Two whole articles: the model learned from a claim (a headline)
        // against an article, so each article's headline is read against the
        // other article, and the two readings averaged.
        let a = pair_probabilities(&ev.headline(true));
        let b = pair_probabilities(&ev.headline(false));
        a.iter().zip(&b).map(|(x, y)| (x + y) / 2.0).collect()
    } else {
        models.relation(&ev.doc(), &considered, &probabilities)
    };
    let reading = read_claims(
        models,
        (&considered, &probabilities),
        (from.len(), to.len()),
        p[3],
    );
    let mut out = Vec::new();
    for (a, r) in from.iter().zip(&reading.from) {
        match *r {
            FromReading::Only(reading) => out.push(only(
                Status::OnlyFrom,
                Some(side(a)),
                None,
                models.only_in(&reading),
            )),
            FromReading::Paired {
                candidate,
                class,
                confidence,
            } => {
                let c = &considered[candidate];
                let status = [Status::Shared, Status::Conflicting, Status::Related][class];
                out.push(ClaimChange {
                    status,
                    from: Some(side(a)),
                    to: Some(side(&to[c.to])),
                    changes: if status == Status::Conflicting {
                        c.changes.clone()
                    } else {
                        Vec::new()
                    },
                    similarity: Some(c.similarity),
                    confidence: Some(confidence),
                });
            }
        }
    }
    for (b, r) in to.iter().zip(&reading.only_to) {
        if let Some(reading) = r {
            out.push(only(
                Status::OnlyTo,
                None,
                Some(side(b)),
                models.only_in(reading),
            ));
        }
    }
    // A line that makes no claim (`8 mins read`, a dateline, `Leave a
    // comment`, `Your email address will not be published.`) is read with the
    // rest (the models learned from whole texts) but is no row of its own:
    // "only in one article" is said of claims.
    out.retain(|r| match (r.status, &r.from, &r.to) {
        (Status::OnlyFrom, Some(s), None) | (Status::OnlyTo, None, Some(s)) => {
            makes_claim(&s.text, &s.slots)
        }
        _ => true,
    });
    let (k, confidence) = p
        .iter()
        .copied()
        .enumerate()
        .max_by(|x, y| x.1.total_cmp(&y.1))
        .unwrap_or((3, 1.0));
    let relation = [
        Relation::Agree,
        Relation::Disagree,
        Relation::Related,
        Relation::Unrelated,
    ][k.min(3)];
    ArticlesComparison {
        rows: out,
        summary: Summary {
            relation,
            confidence,
            basis,
            probabilities: Probabilities::of(&p),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The statements of a text, as `track diff` reads an article.
    fn side(t: &str) -> Vec<Claim> {
        let units = crate::text::segment::segment(t);
        statements(
            t,
            &units,
            &crate::claims::extract(t, &crate::claims::ExtractOptions::default()),
        )
    }

    /// Captions of everyday scenes (ArNLI's kind, labelled with its own
    /// habits) and news headlines lie on either side of the direction the
    /// word vectors carry, which the models read as `scene_like`.
    #[test]
    fn scenes_and_news_lie_apart() {
        let scene = |a: &str, b: &str| Evidence::of(&side(a), &side(b)).scene();
        let captions = scene("رجل يركب الحصان", "امرأة تقطع البصل في المطبخ");
        let headlines = scene(
            "البنك المركزي المصري يرفع أسعار الفائدة",
            "الحكومة التركية تعلن خطة لدعم الليرة",
        );
        assert!(captions > 0.3, "{captions}");
        assert!(headlines < 0.0, "{headlines}");
    }

    /// Two one-sentence articles compared: the statuses and the changes.
    /// The statuses the model gives, and what the rules read in the best
    /// matched pair (the contradictions they can name, which explain a
    /// `conflicting` row). The rules are tested as readings; the model decides.
    fn across(a: &str, b: &str) -> (Vec<Status>, Vec<(&'static str, &'static str)>) {
        let (sa, sb) = (side(a), side(b));
        let rows = compare_articles(&sa, &sb);
        let ev = Evidence::of(&sa, &sb);
        let readings = ev
            .consider()
            .into_iter()
            .filter(|c| c.matched)
            .max_by(|x, y| x.similarity.total_cmp(&y.similarity))
            .map(|c| c.changes.iter().map(|ch| (ch.slot, ch.kind)).collect())
            .unwrap_or_default();
        // What a person sees by default: a row the model is not sure of is
        // held back (`Unchanged` stands for it here).
        let threshold = crate::claims::model::models().min_confidence;
        let shown = rows
            .iter()
            .map(|r| {
                if r.confidence.unwrap_or(1.0) < threshold {
                    Status::Unchanged
                } else {
                    r.status
                }
            })
            .collect();
        (shown, readings)
    }

    /// Page furniture and lines that speak to the reader are read with the
    /// rest but are no "only in" rows; the statements beside them are.
    #[test]
    fn furniture_is_only_in_no_article() {
        let a = "The minister resigned on Monday after the vote.\n\n8 mins read\n\nديسمبر 25, 2025\n\nاترك تعليقاً\n\nYour email address will not be published.\n";
        let b = "The ministry opened a new hospital in the north of the country.\n\n5 comments\n";
        let rows = compare_articles(&side(a), &side(b));
        let texts: Vec<(Status, &str)> = rows
            .iter()
            .map(|r| {
                let s = r.from.as_ref().or(r.to.as_ref()).unwrap();
                (r.status, s.text.as_str())
            })
            .collect();
        assert_eq!(
            texts,
            [
                (
                    Status::OnlyFrom,
                    "The minister resigned on Monday after the vote."
                ),
                (
                    Status::OnlyTo,
                    "The ministry opened a new hospital in the north of the country."
                ),
            ]
        );
    }

    /// Two short reports of unrelated news: each claim only in its own, more
    /// likely right than not, and in English sure enough to be shown; the
    /// same claim beside a report of it is no "only in" row at all.
    ///
    /// Two Arabic headlines' "only in" is calibrated on ANS, whose headline
    /// pairs are nearly always one story told twice (of its dev headlines
    /// read as only in one, 38 % are), so this pair's rows (0.71) stay under
    /// the threshold and are held back by default.
    #[test]
    fn unrelated_reports_are_each_only_in_their_own() {
        let shown = crate::claims::model::models().min_confidence;
        for (a, b, english) in [
            (
                "The central bank raised interest rates by half a point on Tuesday.",
                "Heavy snow closed schools across the northern provinces.",
                true,
            ),
            (
                "وافق البرلمان على الميزانية الجديدة بأغلبية كبيرة يوم الأحد.",
                "أغلقت الثلوج الكثيفة المدارس في المحافظات الشمالية.",
                false,
            ),
        ] {
            let rows = compare_articles(&side(a), &side(b));
            let statuses: Vec<Status> = rows.iter().map(|r| r.status).collect();
            assert_eq!(statuses, [Status::OnlyFrom, Status::OnlyTo], "{a} | {b}");
            let least = if english { shown } else { 0.6 };
            assert!(
                rows.iter().all(|r| r.confidence.unwrap() >= least),
                "{rows:#?}"
            );
        }
        let (status, _) = across(
            "The central bank raised interest rates by half a point on Tuesday.",
            "On Tuesday the central bank raised interest rates by half a point.",
        );
        assert!(
            !status.contains(&Status::OnlyFrom) && !status.contains(&Status::OnlyTo),
            "{status:?}"
        );
    }

    /// A contradiction the rules read is never shown as the same claim.
    #[track_caller]
    fn assert_contradiction(status: &[Status], readings: &[(&str, &str)]) {
        assert!(!readings.is_empty(), "no rule reads a contradiction");
        assert!(!status.contains(&Status::Shared), "{status:?}");
    }

    /// The same claim in other words: no contradiction read or shown.
    #[track_caller]
    fn assert_no_contradiction(status: &[Status]) {
        assert!(!status.contains(&Status::Conflicting), "{status:?}");
    }

    #[test]
    fn swapped_roles_conflict() {
        let (status, changes) = across(
            "مصر تصدر الكهرباء إلى السودان",
            "السودان يصدر الكهرباء لمصر",
        );
        assert_contradiction(&status, &changes);
        assert!(
            changes.contains(&("entity", "roles_swapped")),
            "{changes:?}"
        );
        // A nominal headline: the demonym acts, the party after `ل` is acted on.
        let (_, changes) = across(
            "دعم مالي سعودي للأردن بقيمة مليار دولار",
            "الأردن يقدم دعما ماليا للسعودية",
        );
        assert!(
            changes.contains(&("entity", "roles_swapped")),
            "{changes:?}"
        );
        // The converse verb with `من` reads no roles: no swap is made up.
        let (_, changes) = across(
            "مصر تصدر الكهرباء إلى السودان",
            "السودان يستورد الكهرباء من مصر",
        );
        assert!(
            !changes.contains(&("entity", "roles_swapped")),
            "{changes:?}"
        );
        // Datelines and passives give no agent.
        let (_, changes) = across(
            "سوريا: غارة روسية على إدلب",
            "غارة سورية على إدلب بدعم روسيا",
        );
        assert!(
            !changes.contains(&("entity", "roles_swapped")),
            "{changes:?}"
        );
    }

    #[test]
    fn another_country_conflicts() {
        let (status, changes) = across(
            "تحطم طائرة عسكرية جزائرية ومقتل طاقمها",
            "تحطم طائرة عسكرية في ليبيا ومقتل طاقمها",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("entity", "conflict")), "{changes:?}");
        // The demonym and the name are one country.
        let (status, _) = across(
            "تحطم طائرة عسكرية جزائرية ومقتل طاقمها",
            "تحطم طائرة عسكرية في الجزائر ومقتل طاقمها",
        );
        assert_no_contradiction(&status);
        // Casualties "fell" (`سقوط أشخاص`) in another country.
        let (status, changes) = across(
            "مقتل 12 شخصا في هجوم انتحاري في ليبيا",
            "سقوط أشخاص في هجوم انتحاري في سوريا",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("entity", "conflict")), "{changes:?}");
    }

    #[test]
    fn a_capital_stands_for_its_country() {
        let (status, changes) = across(
            "الرئيس يزور القاهرة لبحث التعاون الاقتصادي مع الحكومة",
            "الرئيس يزور مصر لبحث التعاون الاقتصادي مع الحكومة",
        );
        assert_no_contradiction(&status);
        assert!(changes.is_empty(), "{changes:?}");
        let (_, changes) = across(
            "بكين تعاقب واشنطن برسوم جديدة",
            "واشنطن تعاقب الصين برسوم جديدة",
        );
        assert!(
            changes.contains(&("entity", "roles_swapped")),
            "{changes:?}"
        );
    }

    #[test]
    fn long_sentences_need_more_than_another_country() {
        // Nearly the same long sentence told of another city: still a conflict.
        let (status, changes) = across(
            "وقال المسؤول في مؤتمر صحفي عقده بعد اجتماع مطول مع وفد من الخبراء الدوليين إن الهجوم الذي وقع صباح الأحد أسفر عن أضرار كبيرة في المنشآت العامة والخاصة في مدينة حلب وفق التقديرات الأولية التي نشرت مساء اليوم",
            "وقال المسؤول في مؤتمر صحفي عقده بعد اجتماع مطول مع وفد من الخبراء الدوليين إن الهجوم الذي وقع صباح الأحد أسفر عن أضرار كبيرة في المنشآت العامة والخاصة في مدينة الموصل وفق التقديرات الأولية التي نشرت مساء اليوم",
        );
        assert_contradiction(&status, &changes);
        // Two long sentences on one theme that name different countries in
        // passing are not told of different countries.
        let (_, changes) = across(
            "وألقى هذا التعاون العسكري المتنامي بظلاله على الأمن الإقليمي حيث ألمحت اليابان في وقت سابق إلى إمكانية مراجعة سياستها الدفاعية التي تحظر تصدير الأسلحة إلى مناطق النزاع في العالم وهو ما يزيد من تعقيد المشهد الدولي",
            "ويرى محللون أن هذا التعاون العسكري المتنامي قد يؤدي إلى عقوبات إضافية على إيران ويزيد من تعقيد المشهد الدولي في المنطقة خلال الأشهر المقبلة",
        );
        assert!(!changes.contains(&("entity", "conflict")), "{changes:?}");
    }

    #[test]
    fn another_asset_conflicts() {
        let (status, changes) = across(
            "الذهب يقفز إلى أعلى مستوى في شهرين بعد قرار الفائدة",
            "النفط يقفز إلى أعلى مستوى منذ شهرين بعد قرار الفائدة",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("entity", "conflict")), "{changes:?}");
        // Both name the dollar; one adds gold: no conflict on the assets.
        let (status, _) = across(
            "الدولار يرتفع بعد قرار الفائدة",
            "الدولار يرتفع والذهب يستقر بعد قرار الفائدة",
        );
        assert_no_contradiction(&status);
    }

    #[test]
    fn first_pole_is_the_claim() {
        let (status, changes) = across("الذهب يرتفع مع هبوط الدولار", "الذهب يتراجع مع صعود الدولار");
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
        let (status, _) = across("الذهب يرتفع مع هبوط الدولار", "ارتفاع الذهب وهبوط الدولار");
        assert_no_contradiction(&status);
    }

    #[test]
    fn conjugated_verbs_take_their_listed_pole() {
        // `تتدنى` is read as `تدنى` (decline), `يفرون` as `يفر`, `منعت` as `منع`.
        let (status, changes) = across(
            "ارتفاع تكلفة مشروع القطار السريع في كاليفورنيا",
            "تكلفة مشروع القطار السريع في كاليفورنيا تتدنى",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
        let (status, changes) = across(
            "آلاف المدنيين يفرون من الغوطة الشرقية",
            "المدنيون في الغوطة الشرقية يتمسكون بالبقاء",
        );
        assert_contradiction(&status, &changes);
        let (status, changes) = across(
            "إسرائيل تمنح ألف طالب لجوء حق الإقامة الدائمة",
            "منعت إسرائيل ألف طالب لجوء من الإقامة الدائمة",
        );
        assert_contradiction(&status, &changes);
    }

    #[test]
    fn ending_a_thing_is_its_opposite() {
        // `إنهاء الحرب` is peace: the same side as `اتفاق سلام`.
        let (status, _) = across(
            "توقيع اتفاق سلام جديد لإنهاء الحرب الأهلية في جنوب السودان",
            "إنهاء الحرب الأهلية في جنوب السودان عن طريق اتفاق سلام جديد",
        );
        assert_no_contradiction(&status);
        let (status, changes) = across(
            "توقيع اتفاق سلام جديد لإنهاء الحرب الأهلية في جنوب السودان",
            "استمرار الحرب الأهلية في جنوب السودان",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
    }

    #[test]
    fn stopping_a_thing_is_its_opposite() {
        // `توقف القصف` is calm, against `قصف`.
        let (status, changes) = across(
            "طائرات حربية تقصف مخزن أسلحة في سوريا",
            "توقف القصف في سوريا",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
        let (status, changes) = across(
            "المغني كاني ويست يختفي مجددا من وسائل التواصل الاجتماعي",
            "المغني كاني ويست يظهر مجددا على وسائل التواصل الاجتماعي",
        );
        assert_contradiction(&status, &changes);
    }

    #[test]
    fn two_assets_moving_are_compared_asset_by_asset() {
        // Word order differs, each asset moves the same way: no contradiction.
        let (status, _) = across(
            "أسعار الذهب تنخفض مع صعود الدولار",
            "صعود للدولار يؤدي لهبوط أسعار الذهب",
        );
        assert_no_contradiction(&status);
        let (status, _) = across(
            "انخفاض أسعار الذهب مع تعافي الدولار",
            "ارتفاع الدولار ينزل بالذهب",
        );
        assert_no_contradiction(&status);
        // Gold up on one side, down on the other.
        let (status, changes) = across("الذهب يصعد مع هبوط الدولار", "هبوط الذهب بارتفاع الدولار");
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
        // Stocks of crude are not crude.
        let (status, changes) = across(
            "النفط يرتفع مع انخفاض مخزونات الخام الأميركية",
            "النفط يهبط مع ارتفاع مخزونات الخام الأميركية",
        );
        assert_contradiction(&status, &changes);
    }

    #[test]
    fn indicators_move_like_assets() {
        let (status, _) = across(
            "تركيا.. التضخم يرتفع والليرة تتراجع لمستوى قياسي",
            "الليرة في تراجع قياسي وارتفاع للتضخم في تركيا",
        );
        assert_no_contradiction(&status);
        let (status, _) = across("معدلات النمو تتراجع في تركيا", "تراجع معدل النمو في تركيا");
        assert_no_contradiction(&status);
    }

    #[test]
    fn what_came_before_is_background() {
        let (status, _) = across(
            "بعد الانهيار.. الليرة التركية تسجل ارتفاعا طفيفا",
            "ارتفاع طفيف لليرة التركية",
        );
        assert_no_contradiction(&status);
    }

    #[test]
    fn giving_up_gains_is_falling() {
        let (status, _) = across(
            "الذهب يتخلى عن مكاسبه مع تماسك الدولار",
            "الذهب يتراجع أمام تماسك الدولار",
        );
        assert_no_contradiction(&status);
        let (status, changes) = across(
            "النفط يعوض بعض خسائره بعد إعلان ترامب",
            "النفط يتراجع بعد إعلان ترامب",
        );
        assert_contradiction(&status, &changes);
        // `لوقف` is `ل` + `وقف`; `فوزه` is `فوز` + `ه`.
        let (status, changes) = across(
            "مصر والإمارات شراكة استراتيجية لتطوير الأداء الحكومي",
            "مصر والإمارات تتجهان لوقف التعاون في تطوير الأداء الحكومي",
        );
        assert_contradiction(&status, &changes);
        let (status, changes) = across(
            "حزب النهضة يعلن فوزه في الانتخابات البلدية",
            "حزب النهضة يخسر الانتخابات البلدية",
        );
        assert_contradiction(&status, &changes);
    }

    #[test]
    fn emergency_and_abduction_have_opposites() {
        let (status, changes) = across(
            "إيران تعلن حالة الطوارئ بعد تحطم طائرة مدنية",
            "هدوء الأوضاع في إيران بعد تحطم الطائرة المدنية",
        );
        assert_contradiction(&status, &changes);
        let (status, changes) = across(
            "اختطاف 14 من قوات الأمن على يد جماعة مسلحة",
            "الجماعة المسلحة تفرج عن قوات الأمن",
        );
        assert_contradiction(&status, &changes);
    }

    #[test]
    fn same_figure_counting_another_class_conflicts() {
        let (status, changes) = across(
            "لغة نادرة يتحدث بها 3 رجال فقط",
            "لغة نادرة يتحدث بها ثلاثة بلدان فقط",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("quantity", "conflict")), "{changes:?}");
        // Soldiers and people are both people: the same figure told differently.
        let (status, _) = across(
            "مقتل 3 جنود في هجوم على الحدود",
            "مقتل ثلاثة أشخاص في هجوم على الحدود",
        );
        assert_no_contradiction(&status);
    }

    #[test]
    fn unprecedented_since_is_no_denial() {
        let (status, _) = across(
            "مقتل 4 أشخاص إثر هطول أمطار غزيرة لم تجتح تونس منذ 20 عاما",
            "مقتل 4 أشخاص بعد الأمطار الغزيرة التي ضربت تونس",
        );
        assert_no_contradiction(&status);
        // A name before the cue is the subject of a real denial.
        let (status, changes) = across(
            "النجم سايمون كاول لم يستخدم الهاتف المحمول منذ عشرة أشهر",
            "النجم سايمون كاول يستخدم الهاتف المحمول",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "conflict")), "{changes:?}");
    }

    #[test]
    fn conditions_and_names_deny_nothing() {
        let (status, _) = across(
            "ترامب يهدد كندا بالرسوم إذا لم تتفاهم معه",
            "ترامب يهدد كندا بالرسوم",
        );
        assert_no_contradiction(&status);
        let (status, _) = across(
            "أطباء بلا حدود: العشرات يغرقون قرب ليبيا",
            "غرق العشرات قرب ليبيا",
        );
        assert_no_contradiction(&status);
        // Praise worded as a negation.
        let (status, _) = across(
            "بوتين لكيم: صداقة روسيا وكوريا الشمالية لا تقهر",
            "بوتين يشيد بصداقة روسيا وكوريا الشمالية",
        );
        assert_no_contradiction(&status);
    }

    #[test]
    fn figures_alone_do_not_make_one_claim() {
        let (status, _) = across(
            "بكين تفرض رسوما بقيمة 50 مليار دولار",
            "الرياض تصدر سندات دولية بملياري دولار",
        );
        assert!(!status.contains(&Status::Conflicting), "{status:?}");
        assert!(!status.contains(&Status::Shared), "{status:?}");
    }

    #[test]
    fn one_word_substituted_conflicts() {
        let (status, changes) = across(
            "الشركة تطلق سيارة كهربائية جديدة في السوق المحلية",
            "الشركة تطلق دراجة كهربائية جديدة في السوق المحلية",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("entity", "substituted")), "{changes:?}");
        // Two words for one direction are the same predicate, not another thing.
        let (_, changes) = across(
            "رفعت الشركة أسعارها بنسبة 5 في المئة يوم الاثنين",
            "زادت الشركة أسعارها بنسبة 5 في المئة يوم الاثنين",
        );
        assert!(!changes.contains(&("entity", "substituted")), "{changes:?}");
        // The same root reworded, and a reporting verb swapped, are no contradiction.
        let (status, _) = across(
            "السلطات تفرج عن الصحفي المعتقل منذ شهر",
            "الإفراج عن الصحفي المعتقل منذ شهر",
        );
        assert_no_contradiction(&status);
        let (status, _) = across(
            "قال الوزير إن المحادثات ستستأنف الأسبوع المقبل",
            "أكد الوزير أن المحادثات ستستأنف الأسبوع المقبل",
        );
        assert_no_contradiction(&status);
    }

    #[test]
    fn undoing_cue_on_one_side_conflicts() {
        let (status, changes) = across(
            "الحكومة تلغي حظر التجول في المدينة",
            "الحكومة تفرض حظر التجول في المدينة",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
        // `بالإلغاء` is `ب` + `الإلغاء`: both sides cancel.
        let (status, _) = across(
            "الحكومة تلغي حظر التجول في المدينة",
            "قامت الحكومة بإلغاء حظر التجول في المدينة",
        );
        assert_no_contradiction(&status);
    }

    #[test]
    fn a_negated_predicate_after_its_subject() {
        // `غير` + an indefinite word after a definite subject denies the
        // predicate: "Israel is not trained to deal with the S-300" (ANS dev,
        // labelled disagree; shown as `shared` before).
        let (status, changes) = across(
            "تعرف على منظومة الدفاع الجوي أس-300 التي تدربت اسرائيل على التعامل معها",
            "اسرائيل غير مدربة على التعامل مع منظومة الدفاع الجوي أس-300",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "conflict")), "{changes:?}");
        // "Nothing prevents the delivery" affirms it; "refuses" denies it
        // (ANS dev, labelled disagree; both read as negated before).
        let (status, changes) = across(
            "لافروف: لا يوجد ما يمنع تسليم أنظمة إس 300 الصاروخية للأسد",
            "لافروف يرفض تسليم أنظمة إس 300 الصاروخية للأسد",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "conflict")), "{changes:?}");
    }

    #[test]
    fn absence_is_a_negation() {
        let (status, changes) = across(
            "قافلة مساعدات إنسانية تدخل المدينة المحاصرة",
            "المدينة المحاصرة بدون مساعدات إنسانية",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "conflict")), "{changes:?}");
        // Without on one side, no on the other: the same claim.
        let (status, _) = across(
            "مرور الشاحنات عبر المعبر بلا عوائق",
            "لا عوائق أمام مرور الشاحنات عبر المعبر",
        );
        assert_no_contradiction(&status);
        // "Without X" where the other claim says nothing of X adds a
        // detail; it denies nothing (ANS dev, ArNLI valid: both paraphrases).
        for (a, b) in [
            (
                "ترحيب بظهور أشهر عارضات الأزياء في العالم من دون رتوش",
                "ترحيب بأشهر عارضات الأزياء في العالم",
            ),
            (
                "الرجل يرتدي نظارة شمسية ويجلس على طاولة",
                "الرجل يرتدي نظارة شمسية ويجلس بلا حراك على طاولة",
            ),
        ] {
            let (_, changes) = across(a, b);
            assert!(
                !changes.contains(&("polarity", "conflict")),
                "{a} / {b}: {changes:?}"
            );
        }
        // The same "without" against a claim that gives what is missing.
        let (_, changes) = across(
            "فتاة سوداء بلا بيكيني ترتدي قبعة على الشاطئ",
            "فتاة ترتدي قبعة سوداء ترتدي البيكيني على الشاطئ",
        );
        assert!(changes.contains(&("polarity", "conflict")), "{changes:?}");
        // `دون` before a figure is "below".
        let (status, _) = across(
            "سعر القمح يستقر دون 300 دولار للطن",
            "سعر القمح يستقر عند أقل من 300 دولار للطن",
        );
        assert_no_contradiction(&status);
    }

    #[test]
    fn single_figures_compared_across_units() {
        let (status, changes) = across(
            "غرق 7 من الصيادين قبالة الساحل الشرقي",
            "غرق ثلاثة أشخاص قبالة الساحل الشرقي",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("quantity", "conflict")), "{changes:?}");
        let (status, _) = across(
            "غرق 3 من الصيادين قبالة الساحل الشرقي",
            "غرق ثلاثة أشخاص قبالة الساحل الشرقي",
        );
        assert_no_contradiction(&status);
    }

    #[test]
    fn confirm_and_deny_are_opposites() {
        let (status, changes) = across(
            "الوزارة تؤكد تسجيل 12 إصابة بالحصبة في ثلاث مدن",
            "الوزارة تنفي تسجيل إصابات بالحصبة",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
    }

    #[test]
    fn the_opposition_is_a_party_not_opposing() {
        // `المعارضة` names the party on both sides; defaming against supporting.
        let (status, changes) = across(
            "غرامة على زعيم المعارضة المحلية لتشهيره بالرئيس",
            "زعيم المعارضة المحلية يدعم الرئيس",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
    }

    #[test]
    fn despite_undoes_nothing() {
        // "OPEC holds to its curbs despite oil's rise": a concession, not a
        // failure of what the other headline reports.
        let (status, changes) = across(
            "أوبك تتمسك بقيود المعروض رغم صعود النفط",
            "صعود بالنفط وتمسك اوبك بقيود المعروض",
        );
        assert_no_contradiction(&status);
        assert!(!changes.contains(&("polarity", "antonym")), "{changes:?}");
    }

    #[test]
    fn a_country_named_by_its_adjective_is_not_swapped() {
        // Syria is `سوريا` in one and `الأراضي السورية` in the other.
        let (_, changes) = across(
            "أردوغان ينتقد الوجود العسكري الأمريكي في سوريا",
            "تركيا تحتج على التواجد العسكري الأمريكي في الأراضي السورية",
        );
        assert!(!changes.contains(&("entity", "conflict")), "{changes:?}");
        // Iran is `الإيراني` in one, Washington `أميركي` in the other.
        let (_, changes) = across(
            "واشنطن تدرس إعفاءات للدول التي تتخلى عن النفط الإيراني",
            "إعفاء أميركي عن دول تقاطع نفط إيران",
        );
        assert!(!changes.contains(&("entity", "conflict")), "{changes:?}");
    }

    #[test]
    fn leaving_and_staying_are_opposites() {
        let (status, changes) = across(
            "نزوح آلاف السكان من البلدة بسبب القصف",
            "تمسك السكان بالبلدة رغم القصف",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
    }

    #[test]
    fn before_and_after_the_same_thing_conflict() {
        let (status, changes) = across(
            "قبل الانتخابات.. الشركة تتسلم 3 قطارات جديدة",
            "قطارات جديدة للشركة بعد الانتخابات",
        );
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
        // `قبل` alone is "before", not "accepted": no accept / reject pole.
        let (status, _) = across(
            "الشركة ترفض العرض قبل الاجتماع",
            "الشركة ترفض العرض قبل الاجتماع",
        );
        assert_no_contradiction(&status);
        // Before one thing, after another: no contradiction.
        let (status, _) = across(
            "قبل الانتخابات.. الشركة تتسلم قطارات جديدة",
            "قطارات جديدة للشركة بعد العقوبات",
        );
        assert_ne!(status, [Status::Conflicting]);
    }

    #[test]
    fn same_count_in_other_places_is_another_event() {
        // Dead in Hodeidah, dead in Morocco: little else shared, not one claim.
        let (status, changes) = across(
            "20 قتيلا في غارات على الحديدة اليمنية",
            "المغرب: 7 قتلى على الأقل في حادث انقلاب قطار",
        );
        assert!(
            !status.contains(&Status::Conflicting),
            "{status:?} {changes:?}"
        );
        // The same story told of two places still compares its figures.
        let (status, changes) = across(
            "سياح بريطانيون يعودون بعد وفاة اثنين منهم في مصر",
            "سياح بريطانيون يعودون بعد وفاة عشرة منهم في لبنان",
        );
        assert_contradiction(&status, &changes);
    }

    #[test]
    fn compatible_bounds_and_spellings_are_no_contradiction() {
        // "At least 1,100" and "at least 1,000" can both be true.
        let (status, changes) = across(
            "مقتل ما لا يقل عن 1100 شخص في الزلزال",
            "مقتل ما لا يقل عن 1000 شخص في الزلزال",
        );
        assert_no_contradiction(&status);
        assert!(!changes.contains(&("quantity", "conflict")), "{changes:?}");
        // One name in two transliterations is never a substitution.
        let (status, changes) = across(
            "كيم جونج أون يزور موسكو الأسبوع المقبل",
            "كيم جونغ أون يزور موسكو الأسبوع المقبل",
        );
        assert_no_contradiction(&status);
        assert!(changes.is_empty(), "{changes:?}");
    }

    #[test]
    fn a_shared_name_alone_is_no_match() {
        let (status, _) = across(
            "افتتاح معرض دولي للكتاب في تونس",
            "أمطار غزيرة تغرق شوارع تونس",
        );
        assert!(
            !status
                .iter()
                .any(|s| matches!(s, Status::Shared | Status::Conflicting | Status::Related)),
            "{status:?}"
        );
    }

    #[test]
    fn opposite_directions_of_one_thing_align() {
        let (status, changes) = across("أسعار القمح تصعد", "هبوط جديد لأسعار القمح عالميا");
        assert_contradiction(&status, &changes);
        assert!(changes.contains(&("polarity", "antonym")), "{changes:?}");
        let (status, changes) = across(
            "البلدية تسمح بالتدخين في المقاهي",
            "البلدية تحظر التدخين في المقاهي",
        );
        assert_contradiction(&status, &changes);
    }

    #[test]
    fn which_report_comes_first_does_not_change_the_answer() {
        // A paraphrase, a contradiction, one report adding a detail, two
        // short texts of two statements each, a claim against a longer text.
        let pairs = [
            (
                "لبنان يبدأ التنقيب عن النفط والغاز",
                "بدء التنقيب عن نفط وغاز لبنان",
            ),
            ("الذهب يصعد مع هبوط الدولار", "الذهب يهبط مع صعود الدولار"),
            (
                "Five people were killed in a blast in Baghdad on Monday.",
                "Five people were killed in a blast in Baghdad on Monday, police said, as the city mourned.",
            ),
            (
                "مقتل 5 في انفجار ببغداد. الشرطة تفتح تحقيقا.",
                "الشرطة تحقق في انفجار ببغداد. مقتل 12 شخصا في الانفجار.",
            ),
            (
                "The minister resigned on Friday.",
                "The minister resigned on Friday. He had led the ministry since 2019. His deputy takes over. Parliament meets next week.",
            ),
        ];
        let mirror = |s: Status| match s {
            Status::OnlyFrom => Status::OnlyTo,
            Status::OnlyTo => Status::OnlyFrom,
            s => s,
        };
        for (a, b) in pairs {
            let (sa, sb) = (side(a), side(b));
            let (ab, ba) = (
                compare_articles_full(&sa, &sb),
                compare_articles_full(&sb, &sa),
            );
            assert_eq!(ab.summary.relation, ba.summary.relation, "{a} | {b}");
            assert!(
                (ab.summary.confidence - ba.summary.confidence).abs() < 1e-5,
                "{a} | {b}: {} against {}",
                ab.summary.confidence,
                ba.summary.confidence
            );
            let rows = |c: &ArticlesComparison, flip: bool| {
                let mut r: Vec<(String, String, Status, i64)> = c
                    .rows
                    .iter()
                    .map(|row| {
                        let text = |s: &Option<ClaimSide>| {
                            s.as_ref().map(|s| s.text.clone()).unwrap_or_default()
                        };
                        let (x, y) = (text(&row.from), text(&row.to));
                        let confidence = (row.confidence.unwrap_or(0.0) * 1e4).round() as i64;
                        if flip {
                            (y, x, mirror(row.status), confidence)
                        } else {
                            (x, y, row.status, confidence)
                        }
                    })
                    .collect();
                r.sort_by(|p, q| (&p.0, &p.1).cmp(&(&q.0, &q.1)));
                r
            };
            assert_eq!(rows(&ab, false), rows(&ba, true), "{a} | {b}");
        }
    }
}
