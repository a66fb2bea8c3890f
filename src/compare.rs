//! One way to compare two texts: align their sentences, extract (or load)
//! their claims, compare the claims as the mode says, and build the report.
//!
//! `track diff`, the demo, `track log`'s counts and monitoring's events all
//! come through here, so a change to a threshold or to the claim comparison
//! reaches every output at once.

use std::borrow::Cow;
use std::time::Duration;

use crate::analysis;
pub use crate::analysis::Names;
use crate::claims::Claim;
use crate::claims::compare::{Status, compare_articles_full, compare_versions_with, statements};
use crate::diff::{
    ARTICLES_THRESHOLD, DEFAULT_THRESHOLD, DiffOptions, TextDiff, diff_aligned, diff_keyed_aligned,
    diff_segmented,
};
use crate::parallel::{both, first_then_shared};
use crate::report::{DiffReport, Mode, Only, ReportOptions};
use rustc_hash::FxHashMap;

use crate::store::{Hash, Store, StoreError, VersionRef, VersionText, hex};
use crate::text::segment::{Unit, segment};

/// How to compare, and what the report keeps.
#[derive(Debug, Default)]
pub struct CompareOptions {
    /// Keep only these sentences, and the claims of the sentences kept.
    pub only: Option<Only>,
    /// Treat edits of spelling only as unchanged.
    pub ignore_orthographic: bool,
    pub names: Names,
    /// Human outputs show claim rows from this confidence up; `None` takes the
    /// mode's model's own threshold (chosen on dev data for precision).
    pub min_confidence: Option<f32>,
    /// Time for the sentence alignment and word diffs together before the
    /// detail gets coarser; `None` takes [`DiffOptions`]' default.
    pub time_budget: Option<Duration>,
}

/// Two texts to compare, and how.
#[derive(Debug, Clone)]
pub struct Pair {
    pub mode: Mode,
    pub from: VersionText,
    pub to: VersionText,
    /// `from` → `to` is a step of the article's history that went back to an
    /// earlier version (a revert).
    pub revert: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{key}@{version} is the first version: nothing before it to compare (give two REFs)")]
    FirstVersion { key: String, version: i64 },
    #[error("give one or two REFs")]
    RefCount,
}

/// Resolve REFs to the two texts to compare and the mode.
///
/// One REF shows the change that brought its text: `KEY` (the current text)
/// and `KEY@-N` from the state before them, so after a revert `diff KEY` is
/// the revert itself; `KEY@N` from the version current when N first appeared.
/// Two REFs of one article compare versions; of two articles, articles.
pub fn resolve<S: AsRef<str>>(store: &Store, refs: &[S]) -> Result<Pair, ResolveError> {
    match refs {
        [one] => {
            let reference = VersionRef::parse(one.as_ref());
            let to = store.version(&reference)?;
            let step = store.step(&reference)?;
            let Some(previous) = step.from else {
                return Err(ResolveError::FirstVersion {
                    key: to.key,
                    version: to.version,
                });
            };
            let from = store.version(&VersionRef {
                key: to.key.clone(),
                version: Some(previous),
            })?;
            Ok(Pair {
                mode: Mode::Versions,
                from,
                to,
                revert: step.revert,
            })
        }
        [a, b] => {
            let from = store.version(&VersionRef::parse(a.as_ref()))?;
            let to_ref = VersionRef::parse(b.as_ref());
            let to = store.version(&to_ref)?;
            if from.key != to.key {
                return Ok(Pair {
                    mode: Mode::Articles,
                    from,
                    to,
                    revert: false,
                });
            }
            // `diff KEY@-1 KEY` is the same step as `diff KEY`.
            let step = store.step(&to_ref)?;
            let revert = step.revert && step.from == Some(from.version) && step.to == to.version;
            Ok(Pair {
                mode: Mode::Versions,
                from,
                to,
                revert,
            })
        }
        _ => Err(ResolveError::RefCount),
    }
}

/// The similarity two different sentences need to be aligned.
pub fn threshold(mode: Mode) -> f32 {
    match mode {
        Mode::Versions => DEFAULT_THRESHOLD,
        // Two outlets share facts, not wording.
        Mode::Articles => ARTICLES_THRESHOLD,
    }
}

/// Align two segmented texts' sentences.
pub fn align(
    from_text: &str,
    from_units: Vec<Unit>,
    to_text: &str,
    to_units: Vec<Unit>,
    mode: Mode,
) -> TextDiff {
    diff_segmented(
        from_text,
        from_units,
        to_text,
        to_units,
        &DiffOptions {
            match_threshold: threshold(mode),
            ..DiffOptions::default()
        },
    )
}

/// Align two texts' sentences, segmenting them (nothing cached).
pub fn align_texts(from_text: &str, to_text: &str, mode: Mode) -> TextDiff {
    align(
        from_text,
        segment(from_text),
        to_text,
        segment(to_text),
        mode,
    )
}

/// Compare two stored versions (or articles), with their segmentation and
/// claims cached in the store, and the comparison itself (alignment, claim
/// rows) cached per pair of texts.
pub fn compare(store: &Store, pair: &Pair, options: &CompareOptions) -> DiffReport {
    compare_then(store, pair, options, |report| report)
}

/// [`compare`], the report handed to `then` (to render and print it, say),
/// which runs on another thread while a long comparison is written to the
/// store's cache on this one.
pub fn compare_then<R: Send>(
    store: &Store,
    pair: &Pair,
    options: &CompareOptions,
    then: impl FnOnce(DiffReport) -> R + Send,
) -> R {
    // Compared as the articles read now: furniture learned on their hosts
    // left out, whenever the versions were stored.
    let article = |v| crate::furniture::article_ref(store, v).unwrap_or(Cow::Borrowed(v));
    let (from, to) = (article(&pair.from), article(&pair.to));
    let names = &options.names;
    let diff_options = DiffOptions {
        match_threshold: threshold(pair.mode),
        word_deadline: options
            .time_budget
            .unwrap_or(DiffOptions::default().word_deadline),
    };
    let kind = format!(
        "{}{}",
        match pair.mode {
            Mode::Versions => "versions",
            Mode::Articles => "articles",
        },
        names.id()
    );
    let hashes = (&from.text_hash, &to.text_hash);
    let meanwhile = analysis::Meanwhile {
        // The comparison cached for these claims, looked up before they are
        // decoded (their digests are known) ...
        lookup: |from_digest: &Hash, to_digest: &Hash| {
            let inputs = rows_inputs(pair.mode, (&from, from_digest), (&to, to_digest));
            analysis::cached_comparison_bytes(store, (&kind, &inputs), hashes)
        },
        // ... else the texts are aligned while their claims are read or
        // decoded (on another thread).
        align: |f: analysis::Keyed<'_>, t: analysis::Keyed<'_>| {
            diff_keyed_aligned(
                &from.text,
                f.units.to_vec(),
                Some(f.keys),
                &to.text,
                t.units.to_vec(),
                Some(t.keys),
                &diff_options,
            )
        },
    };
    let analysis::PairAnalysis {
        from: from_side,
        to: to_side,
        looked_up,
        aligned: aligned_early,
        unsaved,
        spent,
    } = analysis::analyse_pair_with(
        store,
        (&from, &to),
        || names.gazetteer(),
        names.id(),
        Some(meanwhile),
    );
    let analysis::SideAnalysis {
        units: from_units,
        keys: from_keys,
        claims: from_claims,
        digest: from_digest,
    } = from_side;
    let analysis::SideAnalysis {
        units: to_units,
        keys: to_keys,
        claims: to_claims,
        digest: to_digest,
    } = to_side;
    let inputs = rows_inputs(pair.mode, (&from, &from_digest), (&to, &to_digest));
    let cached = {
        let from_source = analysis::RowSource {
            text: &from.text,
            units: &from_units,
            claims: &from_claims,
        };
        let to_source = analysis::RowSource {
            text: &to.text,
            units: &to_units,
            claims: &to_claims,
        };
        let data = looked_up
            .unwrap_or_else(|| analysis::cached_comparison_bytes(store, (&kind, &inputs), hashes));
        data.and_then(|data| analysis::read_comparison(&data, &from_source, &to_source))
    };
    let report =
        |diff: &TextDiff, rows| build((pair.mode, &from, &to, pair.revert), diff, rows, options);
    if let Some((alignment, rows)) = cached {
        unsaved.save(store);
        let diff = diff_aligned(
            &from.text,
            from_units,
            &to.text,
            to_units,
            alignment,
            &diff_options,
        );
        return then(report(&diff, rows));
    }
    let (alignment, diff) = match aligned_early {
        Some(aligned) => aligned,
        None => {
            // Aligning compares the units' keys, made with the units or
            // cached per text.
            let from_keys =
                from_keys.unwrap_or_else(|| analysis::unit_keys(store, &from, &from_units));
            let to_keys = to_keys.unwrap_or_else(|| analysis::unit_keys(store, &to, &to_units));
            diff_keyed_aligned(
                &from.text,
                from_units,
                Some(&from_keys),
                &to.text,
                to_units,
                Some(&to_keys),
                &diff_options,
            )
        }
    };
    // New analyses are cached while another thread makes claim rows.
    let save = (!unsaved.is_empty()).then_some(|| unsaved.save(store));
    let rows = claim_rows(
        pair.mode,
        &diff,
        (&from, &from_claims),
        (&to, &to_claims),
        (save, true),
    );
    // A side of a claim row is made of the units of one alignment row.
    let first_units = |to_side: bool| -> FxHashMap<usize, &[usize]> {
        diff.changes
            .iter()
            .map(|c| if to_side { &c.to[..] } else { &c.from[..] })
            .filter_map(|u| Some((*u.first()?, u)))
            .collect()
    };
    let (from_rows, to_rows) = (first_units(false), first_units(true));
    let (from_candidates, to_candidates) = (
        |i: usize| from_rows.get(&i).copied(),
        |i: usize| to_rows.get(&i).copied(),
    );
    let encoded = analysis::encode_comparison(
        (&kind, &inputs),
        (&alignment, &rows),
        (
            &from.text_hash,
            &analysis::RowSource {
                text: &from.text,
                units: &diff.old_units,
                claims: &from_claims,
            },
            &from_candidates,
        ),
        (
            &to.text_hash,
            &analysis::RowSource {
                text: &to.text,
                units: &diff.new_units,
                claims: &to_claims,
            },
            &to_candidates,
        ),
    );
    let long = from.text.len() + to.text.len() >= crate::parallel::WORTH_TWO_THREADS;
    match encoded {
        // Written while the report is built and shown: the first write of a
        // process to a store waits for the disk (SQLite syncs a new WAL's
        // header).
        Some(encoded) if long => {
            drop((from_rows, to_rows));
            let done_with = (from_claims, to_claims, spent);
            let show = move || {
                let shown = then(report(&diff, rows));
                // What the report no longer needs is freed there too, while
                // this thread finishes the cache write.
                drop((diff, done_with));
                shown
            };
            both(|| encoded.save(store), show).1
        }
        Some(encoded) => {
            encoded.save(store);
            then(report(&diff, rows))
        }
        None => then(report(&diff, rows)),
    }
}

include!(concat!(env!("OUT_DIR"), "/fingerprint.rs"));

/// What a comparison cached for two texts depends on besides the texts: both
/// sides' claims (their digests), the segmenter and claim analyser, the mode
/// (its alignment threshold), and the build (the code and models).
fn rows_inputs(mode: Mode, from: (&VersionText, &Hash), to: (&VersionText, &Hash)) -> Hash {
    let mut h = blake3::Hasher::new();
    h.update(b"track comparison\0");
    h.update(SOURCE_FINGERPRINT.as_bytes());
    h.update(&crate::text::segment::SEGMENTER_VERSION.to_le_bytes());
    h.update(&crate::claims::ANALYSER_VERSION.to_le_bytes());
    h.update(&[match mode {
        Mode::Versions => 1,
        Mode::Articles => 2,
    }]);
    for (version, claims) in [from, to] {
        h.update(&version.text_hash);
        h.update(claims);
    }
    *h.finalize().as_bytes()
}

/// Compare two texts that are not in a store (nothing cached). The report's
/// sides are keyed `from` and `to`, version 1, with no metadata.
pub fn compare_texts(
    from_text: &str,
    to_text: &str,
    mode: Mode,
    options: &CompareOptions,
) -> DiffReport {
    let pair = Pair {
        mode,
        from: unstored("from", 1, from_text),
        to: unstored("to", 1, to_text),
        revert: false,
    };
    compare_aligned(&pair, &align_texts(from_text, to_text, mode), options)
}

/// Compare a pair whose sentences `diff` already aligned (with [`align`] or
/// [`align_texts`] in the pair's mode),
/// extracting the claims (nothing cached): monitoring, which aligned the
/// texts to note the edit inside its write transaction.
pub fn compare_aligned(pair: &Pair, diff: &TextDiff, options: &CompareOptions) -> DiffReport {
    let gazetteer = options.names.gazetteer();
    let [from_claims, to_claims] = analysis::extract_claims_pair(
        [(&pair.from, &diff.old_units), (&pair.to, &diff.new_units)],
        gazetteer,
        false,
    );
    let rows = claim_rows(
        pair.mode,
        diff,
        (&pair.from, &from_claims),
        (&pair.to, &to_claims),
        (None::<fn()>, false),
    );
    build(
        (pair.mode, &pair.from, &pair.to, pair.revert),
        diff,
        rows,
        options,
    )
}

/// A text that is not in a store, as a version to compare: its hash is the
/// text's, its metadata empty (set `published` for relative dates).
pub fn unstored(key: &str, version: i64, text: &str) -> VersionText {
    let text_hash = *blake3::hash(text.as_bytes()).as_bytes();
    VersionText {
        key: key.to_string(),
        url: None,
        version,
        versions: version,
        current: true,
        hash: hex(&text_hash),
        fetched_at: String::new(),
        media_type: "text/plain".into(),
        encoding: "utf-8".into(),
        title: None,
        byline: None,
        published: None,
        modified: None,
        dir: None,
        lang: None,
        text: text.to_string(),
        text_hash,
        raw_hash: text_hash,
    }
}

/// Compare two texts' claims as the mode says: the claim rows, and the
/// summary of two articles. `meanwhile` (caching new analyses) runs on this
/// thread while another makes rows.
fn claim_rows(
    mode: Mode,
    diff: &TextDiff,
    (from, from_claims): (&VersionText, &[Claim]),
    (to, to_claims): (&VersionText, &[Claim]),
    (meanwhile, threads): (Option<impl FnOnce()>, bool),
) -> analysis::Rows {
    match mode {
        Mode::Versions => {
            // Long texts' rows are made by this thread (once `meanwhile` is
            // done) and another, a few at a time, when `threads` allows.
            let parallel =
                threads && from.text.len() + to.text.len() >= crate::parallel::WORTH_TWO_THREADS;
            let mut meanwhile = meanwhile;
            let rows = compare_versions_with(
                diff,
                (&from.text, &to.text),
                (from_claims, to_claims),
                |n, row| {
                    let first = || meanwhile.take().map(|m| m());
                    first_then_shared(first, n, parallel.then_some(ROWS_CHUNK), row).1
                },
            );
            if let Some(m) = meanwhile {
                m();
            }
            (rows, None)
        }
        Mode::Articles => {
            let rows = || {
                let full = compare_articles_full(
                    &statements(&from.text, &diff.old_units, from_claims),
                    &statements(&to.text, &diff.new_units, to_claims),
                );
                (full.rows, Some(full.summary))
            };
            match meanwhile {
                Some(m) => both(m, rows).1,
                None => rows(),
            }
        }
    }
}

/// Alignment rows a thread takes at a time when two make claim rows.
const ROWS_CHUNK: usize = 16;

/// The one path every comparison ends in. Thresholds (`min_confidence`,
/// `only`) apply here, after the claim rows, which may be cached.
fn build(
    (mode, from, to, revert): (Mode, &VersionText, &VersionText, bool),
    diff: &TextDiff,
    (rows, summary): analysis::Rows,
    options: &CompareOptions,
) -> DiffReport {
    let mut report = DiffReport::new(
        mode,
        from,
        to,
        diff,
        ReportOptions {
            only: options.only,
            ignore_orthographic: options.ignore_orthographic,
        },
    );
    report.revert = revert;
    report.min_confidence = options.min_confidence.unwrap_or_else(|| match mode {
        Mode::Versions => crate::claims::versions_model::model().min_confidence,
        Mode::Articles => crate::claims::model::MIN_CONFIDENCE,
    });
    // One threshold given is one threshold for all; by default summaries have
    // their own, chosen on dev for them.
    report.summary_min_confidence = options
        .min_confidence
        .unwrap_or(crate::claims::model::SUMMARY_MIN_CONFIDENCE);
    report.claims = rows;
    if mode == Mode::Articles {
        report.summary = summary;
    }
    // `only` keeps the claims of the sentences it keeps: added (or only in the second
    // article), removed (or only in the first), changed (changed, reworded, conflicting).
    // Unchanged claims stay, as unchanged rows do (context; the terminal does not list them).
    if let Some(only) = options.only {
        report.claims.retain(|c| match only {
            _ if c.status == Status::Unchanged => true,
            Only::Added => matches!(c.status, Status::Added | Status::OnlyTo),
            Only::Removed => matches!(c.status, Status::Removed | Status::OnlyFrom),
            Only::Changed => matches!(
                c.status,
                Status::Changed | Status::Reworded | Status::Conflicting
            ),
        });
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::Gazetteer;
    use crate::diff::{Op, diff_segmented_aligned};

    const BEFORE: &str =
        "قتل 5 أشخاص في انفجار في بغداد يوم الاثنين.\n\nوقال المتحدث باسم الشرطة إن التحقيق جار.\n";
    const AFTER: &str = "قتل 12 شخصا في انفجار في بغداد يوم الاثنين.\n\nوقال المتحدث باسم الشرطة إن التحقيق جار.\n\nوأعلنت الحكومة الحداد ثلاثة أيام.\n";

    #[test]
    fn versions_of_a_text_show_the_toll_raised_and_the_sentence_added() {
        let report = compare_texts(BEFORE, AFTER, Mode::Versions, &CompareOptions::default());
        assert_eq!(report.mode, Mode::Versions);
        assert_eq!(report.counts.unchanged, 1);
        assert_eq!(report.counts.edited, 1);
        assert_eq!(report.counts.added, 1);
        assert!(report.has_differences());
        let changed = report
            .claims
            .iter()
            .find(|c| c.status == Status::Changed)
            .expect("the toll's change");
        assert!(changed.changes.iter().any(|c| c.slot == "quantity"));
        assert!(!report.revert);
        assert_eq!(report.from.key, "from");
        assert_eq!(report.to.key, "to");

        // `only` keeps the rows and claims of one kind, and unchanged context.
        let added = compare_texts(
            BEFORE,
            AFTER,
            Mode::Versions,
            &CompareOptions {
                only: Some(Only::Added),
                ..CompareOptions::default()
            },
        );
        assert!(
            added
                .sentences
                .iter()
                .all(|s| matches!(s.op, Op::Added | Op::Unchanged))
        );
        assert!(
            added
                .claims
                .iter()
                .all(|c| matches!(c.status, Status::Added | Status::Unchanged))
        );
    }

    #[test]
    fn two_articles_disagree_on_the_toll() {
        let report = compare_texts(BEFORE, AFTER, Mode::Articles, &CompareOptions::default());
        assert_eq!(report.mode, Mode::Articles);
        assert!(
            report.claims.iter().any(|c| c.status == Status::Conflicting
                && c.changes.iter().any(|s| s.slot == "quantity"))
        );
        assert!(
            report
                .claims
                .iter()
                .all(|c| !matches!(c.status, Status::Added | Status::Removed))
        );
        // The same second sentence on both sides does not make them agree.
        let summary = report.summary.expect("articles mode has a summary");
        assert_ne!(
            summary.relation,
            crate::claims::compare::Relation::Agree,
            "{summary:?}"
        );
    }

    /// Rows and the summary verdict have thresholds of their own by default;
    /// one given by the user is one for both.
    #[test]
    fn thresholds_come_from_the_model_unless_given() {
        use crate::claims::model::{MIN_CONFIDENCE, SUMMARY_MIN_CONFIDENCE};
        let default = compare_texts(BEFORE, AFTER, Mode::Articles, &CompareOptions::default());
        assert_eq!(default.min_confidence, MIN_CONFIDENCE);
        assert_eq!(default.summary_min_confidence, SUMMARY_MIN_CONFIDENCE);
        let given = CompareOptions {
            min_confidence: Some(0.5),
            ..CompareOptions::default()
        };
        let report = compare_texts(BEFORE, AFTER, Mode::Articles, &given);
        assert_eq!(report.min_confidence, 0.5);
        assert_eq!(report.summary_min_confidence, 0.5);
    }

    /// A comparison encoded for the cache decodes to what was computed, in
    /// both modes, splits and merges included; anything cut short is `None`.
    #[test]
    fn a_comparison_reads_back_from_its_encoding() {
        use crate::analysis::codec::{decode_comparison, encode_comparison};
        use crate::text::segment::segment;
        const SPLIT: &str = "قتل 12 شخصا في انفجار في بغداد يوم الاثنين. وقال المتحدث باسم الشرطة إن التحقيق جار.\n\nوأعلنت الحكومة الحداد ثلاثة أيام وقالت إنها لن تتسامح مع أحد.\n";
        for (a, b) in [(BEFORE, AFTER), (AFTER, SPLIT), (SPLIT, BEFORE)] {
            for mode in [Mode::Versions, Mode::Articles] {
                let (from, to) = (unstored("a", 1, a), unstored("b", 1, b));
                let (fu, tu) = (segment(a), segment(b));
                let opts = DiffOptions {
                    match_threshold: threshold(mode),
                    ..DiffOptions::default()
                };
                let (alignment, diff) = diff_segmented_aligned(a, fu.clone(), b, tu.clone(), &opts);
                let again = crate::diff::align_segmented(a, &fu, b, &tu, &opts);
                assert_eq!(again, alignment);
                let gazetteer = Gazetteer::builtin();
                let fc = analysis::extract_claims(&from, &fu, gazetteer);
                let tc = analysis::extract_claims(&to, &tu, gazetteer);
                let rows = claim_rows(mode, &diff, (&from, &fc), (&to, &tc), (None::<fn()>, false));
                let first = |to_side: bool, i: usize| {
                    diff.changes
                        .iter()
                        .map(|c| if to_side { &c.to[..] } else { &c.from[..] })
                        .find(|u| u.first() == Some(&i))
                };
                let (fcand, tcand) = (|i| first(false, i), |i| first(true, i));
                let fs = analysis::RowSource {
                    text: a,
                    units: &fu,
                    claims: &fc,
                };
                let ts = analysis::RowSource {
                    text: b,
                    units: &tu,
                    claims: &tc,
                };
                let data = encode_comparison(
                    &alignment,
                    (&rows.0, rows.1.as_ref()),
                    (&fs, &fcand),
                    (&ts, &tcand),
                )
                .expect("encodable");
                let (back, (back_rows, back_summary)) =
                    decode_comparison(&data, Some((&fs, &ts))).expect("decodes");
                assert_eq!(back, alignment);
                let json =
                    |r: &[crate::claims::compare::ClaimChange]| serde_json::to_string(r).unwrap();
                assert_eq!(json(&back_rows), json(&rows.0), "{mode:?}");
                assert_eq!(back_summary, rows.1);
                assert!(decode_comparison(&data, None).is_some());
                for cut in 0..data.len() {
                    assert!(decode_comparison(&data[..cut], Some((&fs, &ts))).is_none());
                }
            }
        }
    }

    #[test]
    fn identical_texts_differ_in_nothing() {
        let report = compare_texts(BEFORE, BEFORE, Mode::Versions, &CompareOptions::default());
        assert!(!report.has_differences());
        assert!(report.claims.iter().all(|c| !c.is_change()));
    }
    /// The committed model reproduces a few verdicts anyone would give.
    #[test]
    fn the_committed_model_gives_known_verdicts() {
        use crate::claims::compare::Relation;
        let verdict = |a: &str, b: &str| {
            compare_texts(a, b, Mode::Articles, &CompareOptions::default())
                .summary
                .expect("articles mode has a summary")
        };
        let cases = [
            (
                "ارتفع عدد القتلى إلى 50 في زلزال جنوب تركيا",
                "ارتفع عدد القتلى إلى 50 في زلزال جنوب تركيا",
                Relation::Agree,
            ),
            (
                "مصر تصدر الكهرباء إلى السودان",
                "السودان يصدر الكهرباء لمصر",
                Relation::Disagree,
            ),
            (
                "قتل 12 شخصا في انفجار سيارة مفخخة في بغداد",
                "قتل 30 شخصا في انفجار سيارة مفخخة في بغداد",
                Relation::Disagree,
            ),
            (
                "افتتاح معرض دولي للكتاب في تونس",
                "ارتفاع أسعار النفط في الأسواق العالمية",
                Relation::Unrelated,
            ),
            // One name in two transliterations (جونج / جونغ): the same report.
            (
                "التقى الزعيم كيم جونج أون بالرئيس الروسي في موسكو يوم الخميس.",
                "التقى الزعيم كيم جونغ أون بالرئيس الروسي في موسكو يوم الخميس.",
                Relation::Agree,
            ),
        ];
        for (a, b, want) in cases {
            let got = verdict(a, b);
            assert_eq!(got.relation, want, "{a} | {b}: {got:?}");
        }
    }
}
