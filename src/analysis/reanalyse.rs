//! Re-running the cached analyses of every stored version after an analyser
//! changed: parallel readers, one writer, resumable; an article's versions
//! read in a row so each reads only the sentences new to it.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{SEGMENTER_VERSION, UNIT_KEYS_VERSION, claims_analyser, codec, stated_date};
use crate::claims::{self, Claim, Gazetteer, Slot};
use crate::diff::KeyHash;
use crate::store::{Store, VersionText};
use crate::text::segment::{self, Unit};

/// How to re-run the analyses of a store.
pub struct ReanalyseOptions<'a> {
    /// The gazetteer claims are extracted with (and cached for).
    pub names: &'a super::Names,
    /// Threads that read and analyse versions; the calling thread writes.
    pub workers: usize,
    /// Analyse again even texts whose analyses are of the current analysers.
    pub force: bool,
}

/// What [`reanalyse`] did, so far or in all.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Reanalysed {
    /// Stored versions looked at (of `total`).
    pub versions: usize,
    pub total: usize,
    /// Versions whose text was analysed and cached.
    pub analysed: usize,
    /// Versions whose text had analyses of the current analysers already.
    pub fresh: usize,
    /// Versions that could not be read.
    pub failed: usize,
}

/// A version that could not be analysed, and why.
#[derive(Debug, Clone)]
pub struct Failure {
    pub key: String,
    pub version: i64,
    pub reason: String,
}

/// Rows cached per transaction, at most (two analyses each).
const REANALYSE_CHUNK: usize = 256;
/// Time a chunk of results waits for its transaction, at most.
const REANALYSE_CHUNK_TIME: std::time::Duration = std::time::Duration::from_millis(1000);

/// Versions of one article a reanalysis worker takes at once, at most.
const REANALYSE_RUN: usize = 64;

/// What a worker made of one version.
enum Analysed {
    Fresh,
    Done {
        text_hash: crate::store::Hash,
        units: Vec<u8>,
        unit_keys: Vec<u8>,
        claims: Vec<u8>,
    },
    Failed(Failure),
}

/// Re-run the cached analyses (segmentation, claims) of every stored
/// version, as `diff`, `claims` and `log` would compute them now: after an
/// analyser changed, all at once instead of at each first read.
///
/// `workers` threads read the versions (through read-only connections) and
/// analyse them; the calling thread caches the results in chunked
/// transactions, so an interrupted run keeps what it committed and a
/// second run skips what is fresh (resumable, idempotent). `on_progress`
/// gets the counts so far and the failures since its last call, after each
/// chunk.
pub fn reanalyse(
    store: &mut Store,
    opts: &ReanalyseOptions<'_>,
    mut on_progress: impl FnMut(&Reanalysed, &[Failure]),
) -> Result<Reanalysed, crate::store::StoreError> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::mpsc;

    let refs = store.version_refs()?;
    let mut counts = Reanalysed {
        total: refs.len(),
        ..Reanalysed::default()
    };
    let workers = opts.workers.clamp(1, refs.len().max(1));
    // Work is handed out in runs of one article's versions (at most
    // REANALYSE_RUN, so one long history still spreads over the workers).
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, (key, _)) in refs.iter().enumerate() {
        match runs.last_mut() {
            Some(run) if refs[run.start].0 == *key && run.len() < REANALYSE_RUN => run.end = i + 1,
            _ => runs.push(i..i + 1),
        }
    }
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let analyser = claims_analyser(opts.names.id());
    let (tx, rx) = mpsc::sync_channel::<Analysed>(workers * 4);
    let mut readers = Vec::with_capacity(workers);
    for _ in 0..workers.min(refs.len()) {
        readers.push(store.read_only()?);
    }
    std::thread::scope(|scope| {
        for reader in readers {
            let tx = tx.clone();
            let (refs, runs, next, stop, analyser) = (&refs, &runs, &next, &stop, &analyser);
            scope.spawn(move || {
                'runs: while let Some(run) = runs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    // One article's versions in a row: each reads only the
                    // sentences its predecessor did not have.
                    let mut before = Reading::default();
                    for (key, number) in &refs[run.clone()] {
                        if stop.load(Ordering::Relaxed) {
                            break 'runs;
                        }
                        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            analyse_version(&reader, key, *number, opts, analyser, &mut before)
                        }))
                        .unwrap_or_else(|_| {
                            before = Reading::default();
                            Analysed::Failed(Failure {
                                key: key.clone(),
                                version: *number,
                                reason: "internal error while analysing".into(),
                            })
                        });
                        if tx.send(result).is_err() {
                            break 'runs;
                        }
                    }
                }
            });
        }
        drop(tx);
        let written = (|| -> Result<(), crate::store::StoreError> {
            let mut done = false;
            while !done {
                let started = std::time::Instant::now();
                let mut ready = Vec::new();
                let mut failures = Vec::new();
                while ready.len() < REANALYSE_CHUNK {
                    let left = REANALYSE_CHUNK_TIME.saturating_sub(started.elapsed());
                    match rx.recv_timeout(left) {
                        Ok(Analysed::Fresh) => counts.fresh += 1,
                        Ok(Analysed::Failed(f)) => failures.push(f),
                        Ok(done @ Analysed::Done { .. }) => ready.push(done),
                        Err(mpsc::RecvTimeoutError::Timeout) => break,
                        Err(mpsc::RecvTimeoutError::Disconnected) => {
                            done = true;
                            break;
                        }
                    }
                }
                if !ready.is_empty() {
                    let mut batch = store.batch()?;
                    for r in &ready {
                        if let Analysed::Done {
                            text_hash,
                            units,
                            unit_keys,
                            claims,
                        } = r
                        {
                            batch.put_analysis(text_hash, "units", SEGMENTER_VERSION, units)?;
                            batch.put_analysis(
                                text_hash,
                                codec::UNIT_KEYS,
                                UNIT_KEYS_VERSION,
                                unit_keys,
                            )?;
                            batch.forget_comparisons(text_hash)?;
                            batch.put_analysis(
                                text_hash,
                                &analyser,
                                claims::ANALYSER_VERSION,
                                claims,
                            )?;
                        }
                    }
                    batch.commit()?;
                }
                counts.analysed += ready.len();
                counts.failed += failures.len();
                counts.versions = counts.analysed + counts.fresh + counts.failed;
                on_progress(&counts, &failures);
            }
            Ok(())
        })();
        if written.is_err() {
            stop.store(true, Ordering::Relaxed);
            // Let workers blocked on a full channel see the flag.
            while rx.recv().is_ok() {}
        }
        written
    })?;
    Ok(counts)
}

/// Read one version as its article reads now (learned furniture left out)
/// and analyse it, unless its analyses are fresh.
fn analyse_version(
    reader: &Store,
    key: &str,
    number: i64,
    opts: &ReanalyseOptions<'_>,
    analyser: &str,
    before: &mut Reading,
) -> Analysed {
    let failed = |e: crate::store::StoreError| {
        Analysed::Failed(Failure {
            key: key.to_string(),
            version: number,
            reason: e.to_string(),
        })
    };
    let version = match reader.version(&crate::store::VersionRef {
        key: key.to_string(),
        version: Some(number),
    }) {
        Ok(v) => v,
        Err(e) => return failed(e),
    };
    let version = match crate::furniture::article_of(reader, &version) {
        Ok((article, _)) => article,
        Err(e) => return failed(e),
    };
    if !opts.force {
        let fresh = reader
            .has_analysis(&version.text_hash, "units", SEGMENTER_VERSION)
            .and_then(|units| {
                Ok(units
                    && reader.has_analysis(
                        &version.text_hash,
                        codec::UNIT_KEYS,
                        UNIT_KEYS_VERSION,
                    )?
                    && reader.has_analysis(
                        &version.text_hash,
                        analyser,
                        claims::ANALYSER_VERSION,
                    )?)
            });
        match fresh {
            Ok(true) => return Analysed::Fresh,
            Ok(false) => {}
            Err(e) => return failed(e),
        }
    }
    // As `units`, `unit_keys` and `claims` above compute and cache them.
    let units = segment::segment(&version.text);
    let (keys, found) = before.read(&version, &units, opts.names.gazetteer());
    Analysed::Done {
        text_hash: version.text_hash,
        units: codec::encode_units(&units),
        unit_keys: codec::encode_unit_keys(&keys),
        claims: codec::encode_claims(&version.text, &units, &found),
    }
}

/// The unit key and slots of each sentence of the text read last, for the
/// next text: versions of an article share most sentences, and a sentence's
/// reading depends only on its words and the article's date.
#[derive(Default)]
struct Reading {
    date: Option<Option<NaiveDate>>,
    sentences: HashMap<String, (KeyHash, Vec<Slot>)>,
}

impl Reading {
    /// `version`'s unit keys and claims, as [`crate::diff::unit_key_hashes`]
    /// and [`extract_claims`] make them; what is read is kept for the next
    /// call (only this text's sentences: the memory is one text's).
    fn read(
        &mut self,
        version: &VersionText,
        units: &[Unit],
        gazetteer: &Gazetteer,
    ) -> (Vec<KeyHash>, Vec<Claim>) {
        let date = claims::article_date(&version.text, units, stated_date(version));
        if self.date != Some(date) {
            self.sentences.clear();
            self.date = Some(date);
        }
        let mut now: HashMap<String, (KeyHash, Vec<Slot>)> = HashMap::with_capacity(units.len());
        let mut keys = Vec::with_capacity(units.len());
        let mut found = Vec::new();
        for (i, unit) in units.iter().enumerate() {
            let sentence = unit.text(&version.text);
            let (key, slots) = match now.get(sentence) {
                Some(read) => read,
                None => {
                    let read = self.sentences.remove(sentence).unwrap_or_else(|| {
                        (
                            crate::diff::unit_key_hash(sentence),
                            claims::sentence_slots(sentence, date, gazetteer),
                        )
                    });
                    now.entry(sentence.to_string()).or_insert(read)
                }
            };
            keys.push(*key);
            if !slots.is_empty() {
                found.push(Claim {
                    sentence: i,
                    text: sentence.to_string(),
                    slots: slots.clone(),
                });
            }
        }
        self.sentences = now;
        (keys, found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::extract_claims;
    use crate::compare::unstored;

    /// Reading an article's versions one after another, each reusing what the
    /// one before read, gives each version's keys and claims as reading it
    /// alone does: sentences repeated in a text, dropped and brought back,
    /// and a change of article date (relative dates read again).
    #[test]
    fn versions_read_in_a_row_read_as_each_alone() {
        let s1 = "وقال الوزير أمس إن 12 شخصا قتلوا في 3 مارس.";
        let s2 = "The minister said on Monday that 40 people were hurt.";
        let s3 = "وأضاف أن 5 جرحى نقلوا إلى المستشفى.";
        let texts = [
            (format!("{s1}\n\n{s2}\n\n{s1}\n"), None),
            (format!("{s2}\n\n{s3}\n"), None),
            (format!("{s1}\n\n{s3}\n\n{s2}\n"), Some("2025-01-10")),
            (format!("{s1}\n\n{s2}\n"), Some("2025-01-10")),
            (format!("{s1}\n\n{s2}\n"), None),
        ];
        let g = Gazetteer::builtin();
        let mut before = Reading::default();
        for (text, date) in &texts {
            let v = VersionText {
                published: date.map(str::to_string),
                ..unstored("a", 1, text)
            };
            let units = segment::segment(&v.text);
            let alone = (
                crate::diff::unit_key_hashes(&v.text, &units),
                extract_claims(&v, &units, g),
            );
            assert_eq!(before.read(&v, &units, g), alone, "{text} {date:?}");
        }
    }
}
