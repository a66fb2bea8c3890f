//! Fixture tests (fixtures/diff), the alignment evaluation (fixtures/align + fixtures/diff),
//! invariants (proptest) and time bounds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::*;

fn fixtures(dir: &str, suffix: &str) -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(dir);
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            let stem = name.strip_suffix(suffix)?.to_owned();
            Some((stem.clone(), root.join(stem)))
        })
        .collect();
    out.sort();
    out
}

fn read(base: &Path, ext: &str) -> String {
    let p = base.with_extension(ext);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn indices(v: &serde_json::Value) -> Vec<usize> {
    v.as_array()
        .expect("index list")
        .iter()
        .map(|x| x.as_u64().expect("index") as usize)
        .collect()
}

/// (op, from, to, orthographic_only) rows of a fixture's expected.json.
fn expected_rows(base: &Path) -> Vec<(String, Vec<usize>, Vec<usize>, bool)> {
    let v: serde_json::Value =
        serde_json::from_str(&read(base, "expected.json")).expect("expected.json");
    v.as_array()
        .expect("list of rows")
        .iter()
        .map(|r| {
            (
                r["op"].as_str().expect("op").to_owned(),
                indices(&r["from"]),
                indices(&r["to"]),
                r["orthographic_only"].as_bool().expect("orthographic_only"),
            )
        })
        .collect()
}

fn op_name(op: Op) -> String {
    serde_json::to_value(op)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[test]
fn diff_fixtures() {
    let all = fixtures("diff", ".expected.json");
    assert!(all.len() >= 10, "fixtures/diff is incomplete");
    for (name, base) in all {
        let d = diff_texts(
            &read(&base, "a.txt"),
            &read(&base, "b.txt"),
            &DiffOptions::default(),
        );
        let got: Vec<(String, Vec<usize>, Vec<usize>, bool)> = d
            .changes
            .iter()
            .map(|c| {
                (
                    op_name(c.op),
                    c.from.clone(),
                    c.to.clone(),
                    c.orthographic_only,
                )
            })
            .collect();
        assert_eq!(got, expected_rows(&base), "fixture {name}");
    }
}

#[test]
fn one_number_changed_is_one_edited_row() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff/edit");
    let d = diff_texts(
        &read(&base, "a.txt"),
        &read(&base, "b.txt"),
        &DiffOptions::default(),
    );
    let edited: Vec<&SentenceChange> = d.changes.iter().filter(|c| c.op != Op::Unchanged).collect();
    assert_eq!(edited.len(), 1);
    let w: Vec<(WordOp, &str)> = edited[0]
        .words
        .iter()
        .map(|w| (w.op, w.text.as_str()))
        .collect();
    assert_eq!(w.len(), 4);
    assert_eq!((w[0].0, w[3].0), (WordOp::Equal, WordOp::Equal));
    assert_eq!(w[1], (WordOp::Delete, "2000"));
    assert_eq!(w[2], (WordOp::Insert, "2300"));
    assert!(!edited[0].orthographic_only);
    assert!(!d.is_identical());
    assert_eq!(
        d.counts(),
        Counts {
            unchanged: 7,
            edited: 1,
            ..Counts::default()
        }
    );
}

#[test]
fn each_changed_row_has_its_own_word_diff() {
    // 300 sentences, every third with a number changed.
    let sentence = |i: usize, n: usize| {
        format!("قالت الوزارة في بيانها رقم {i} إن عدد المصابين بلغ {n} شخصا في المنطقة الشمالية.")
    };
    let old: String = (0..300).map(|i| sentence(i, 100 + i) + "\n").collect();
    let new: String = (0..300)
        .map(|i| sentence(i, if i % 3 == 0 { 900 + i } else { 100 + i }) + "\n")
        .collect();
    let d = diff_texts(&old, &new, &DiffOptions::default());
    let edited: Vec<&SentenceChange> = d.changes.iter().filter(|c| c.op != Op::Unchanged).collect();
    assert_eq!(edited.len(), 100);
    for c in edited {
        let (a, b) = (
            d.old_units[c.from[0]].text(&old),
            d.new_units[c.to[0]].text(&new),
        );
        let (words, orthographic_only) = diff_words(a, b);
        assert_eq!(c.words, words, "{a} | {b}");
        assert_eq!(c.orthographic_only, orthographic_only);
    }
}

#[test]
fn moved_paragraph_is_moved() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff/move");
    let d = diff_texts(
        &read(&base, "a.txt"),
        &read(&base, "b.txt"),
        &DiffOptions::default(),
    );
    let c = d.counts();
    assert_eq!((c.moved, c.added, c.removed), (1, 0, 0));
    assert!(!d.is_identical());
}

/// Predicted aligned pairs: every (old, new) of a matched row, split/merge expanded.
fn predicted_pairs(d: &TextDiff) -> BTreeSet<(usize, usize)> {
    let mut s = BTreeSet::new();
    for c in &d.changes {
        for &o in &c.from {
            for &n in &c.to {
                s.insert((o, n));
            }
        }
    }
    s
}

/// Micro precision / recall / F1 of aligned pairs over every annotated version pair.
pub(crate) fn align_eval(threshold: f32) -> (f64, f64, f64) {
    let opts = DiffOptions {
        match_threshold: threshold,
        ..DiffOptions::default()
    };
    let mut gold_sets: Vec<(PathBuf, BTreeSet<(usize, usize)>)> = Vec::new();
    for (_, base) in fixtures("align", ".gold.json") {
        let v: serde_json::Value = serde_json::from_str(&read(&base, "gold.json")).expect("gold");
        let set = v
            .as_array()
            .expect("pairs")
            .iter()
            .map(|p| {
                let p = indices(p);
                (p[0], p[1])
            })
            .collect();
        gold_sets.push((base, set));
    }
    for (_, base) in fixtures("diff", ".expected.json") {
        let mut set = BTreeSet::new();
        for (_, from, to, _) in expected_rows(&base) {
            for &o in &from {
                for &n in &to {
                    set.insert((o, n));
                }
            }
        }
        gold_sets.push((base, set));
    }
    let (mut tp, mut np, mut ng) = (0usize, 0usize, 0usize);
    for (base, gold) in gold_sets {
        let d = diff_texts(&read(&base, "a.txt"), &read(&base, "b.txt"), &opts);
        let pred = predicted_pairs(&d);
        tp += pred.intersection(&gold).count();
        np += pred.len();
        ng += gold.len();
    }
    let p = tp as f64 / np.max(1) as f64;
    let r = tp as f64 / ng.max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

#[test]
fn alignment_f1() {
    let (p, r, f) = align_eval(DEFAULT_THRESHOLD);
    assert!(f >= 0.95, "P {p:.3} R {r:.3} F1 {f:.3}");
}

fn check_partition(d: &TextDiff) -> Result<(), TestCaseError> {
    let mut old_seen = vec![0u32; d.old_units.len()];
    let mut new_seen = vec![0u32; d.new_units.len()];
    for c in &d.changes {
        let (nf, nt) = (c.from.len(), c.to.len());
        let shape_ok = match c.op {
            Op::Unchanged | Op::Edited | Op::Moved => nf == 1 && nt == 1,
            Op::Added => nf == 0 && nt == 1,
            Op::Removed => nf == 1 && nt == 0,
            Op::Split => nf == 1 && nt >= 2,
            Op::Merged => nf >= 2 && nt == 1,
        };
        prop_assert!(shape_ok, "bad row {:?}", c);
        prop_assert_eq!(
            c.op == Op::Unchanged || c.op == Op::Added || c.op == Op::Removed,
            c.words.is_empty()
        );
        for &o in &c.from {
            old_seen[o] += 1;
        }
        for &n in &c.to {
            new_seen[n] += 1;
        }
    }
    prop_assert!(old_seen.iter().all(|&k| k == 1), "old {:?}", old_seen);
    prop_assert!(new_seen.iter().all(|&k| k == 1), "new {:?}", new_seen);
    // Reading order: the `to` side increases down the rows.
    let firsts: Vec<usize> = d
        .changes
        .iter()
        .filter_map(|c| c.to.first().copied())
        .collect();
    prop_assert!(firsts.windows(2).all(|w| w[0] < w[1]));
    Ok(())
}

/// Sentences drawn from a small vocabulary, so units repeat, collide and get reordered.
fn doc() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "بوتين",
        "كيم",
        "جونج",
        "جونغ",
        "تُقهر",
        "تقهر",
        "2000",
        "٢٠٠٠",
        "الجنود",
        "والجنود",
        "روسيا",
        "في",
        "the",
        "army",
        "Kursk",
        "sent",
        "10",
        "من",
    ]);
    let sentence = prop::collection::vec(word, 1..8).prop_map(|w| w.join(" "));
    let end = prop::sample::select(vec![". ", "؟ ", ".\n", ".\n\n", "\n- ", " "]);
    prop::collection::vec((sentence, end), 0..14)
        .prop_map(|v| v.into_iter().map(|(s, e)| format!("{s}{e}")).collect())
}

/// `b` made from `a` by shuffling, dropping, duplicating and editing its sentences.
fn edited_pair() -> impl Strategy<Value = (String, String)> {
    (doc(), prop::collection::vec(0usize..6, 0..20), doc()).prop_map(|(a, ops, extra)| {
        let mut parts: Vec<String> = a
            .split_inclusive(['.', '؟', '\n'])
            .map(str::to_owned)
            .collect();
        let extras: Vec<&str> = extra.split_inclusive('.').collect();
        for (i, op) in ops.into_iter().enumerate() {
            if parts.is_empty() {
                break;
            }
            let k = i * 7 % parts.len();
            match op {
                0 => {
                    parts.remove(k);
                }
                1 => {
                    let p = parts.remove(k);
                    parts.push(p);
                }
                2 => parts[k] = parts[k].replace("2000", "2300"),
                3 => parts.insert(
                    k,
                    extras
                        .get(i % extras.len().max(1))
                        .copied()
                        .unwrap_or("x.")
                        .to_owned(),
                ),
                4 => parts[k] = parts[k].replace(". ", ", "),
                _ => {
                    let j = (k + 1) % parts.len();
                    parts.swap(k, j);
                }
            }
        }
        (a, parts.concat())
    })
}

proptest! {
    #[test]
    fn self_diff_is_all_unchanged(a in doc()) {
        let d = diff_texts(&a, &a, &DiffOptions::default());
        prop_assert!(d.is_identical());
        prop_assert!(d.changes.iter().all(|c| c.op == Op::Unchanged && c.words.is_empty()));
        check_partition(&d)?;
    }

    #[test]
    fn every_unit_once_and_deterministic((a, b) in edited_pair()) {
        let d = diff_texts(&a, &b, &DiffOptions::default());
        check_partition(&d)?;
        let again = diff_texts(&a, &b, &DiffOptions::default());
        prop_assert_eq!(&d.changes, &again.changes);
    }

    #[test]
    fn unrelated_texts_partition((a, b) in (doc(), doc())) {
        check_partition(&diff_texts(&a, &b, &DiffOptions::default()))?;
    }

    #[test]
    fn any_input_partition(a in any::<String>(), b in any::<String>()) {
        check_partition(&diff_texts(&a, &b, &DiffOptions::default()))?;
    }
}

/// Deterministic pseudo-random text (xorshift), `n` sentences over a `vocab`-word vocabulary.
pub(crate) fn random_text(seed: u64, n: usize, vocab: usize) -> String {
    let mut x = seed | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut s = String::new();
    for i in 0..n {
        let len = 5 + (next() % 20) as usize;
        for k in 0..len {
            if k > 0 {
                s.push(' ');
            }
            // Letters only, at least three: digits or short words would read as
            // abbreviations to the segmenter.
            let mut w = next() % vocab as u64;
            // Capitalised sentence starts, as the segmenter wants for Latin text.
            s.push_str(if k == 0 { "Wor" } else { "wor" });
            loop {
                s.push(char::from(b'a' + (w % 26) as u8));
                w /= 26;
                if w == 0 {
                    break;
                }
            }
        }
        s.push_str(if i % 5 == 4 { ".\n\n" } else { ". " });
    }
    s
}

/// Two unrelated 10,000-sentence texts align without trouble (their cost is
/// measured by `scripts/bench_diff.py`, not timed here: a timed test fails on
/// a busy machine).
#[test]
fn large_random_texts_align() {
    for vocab in [50, 100_000] {
        let a = random_text(1, 10_000, vocab);
        let b = random_text(2, 10_000, vocab);
        let d = diff_texts(&a, &b, &DiffOptions::default());
        assert_eq!(d.old_units.len(), 10_000);
        assert_eq!(d.new_units.len(), 10_000);
    }
}
