//! Work on a scrape that needs no write lock, done by ingest's workers so that
//! the one writer only records: content hashes, the sentences the search
//! index keeps (and their index text), and the compressed blobs.
//!
//! Compression is speculative: a worker compresses against the base the
//! writer will most likely choose (the article's latest version as a read
//! snapshot shows it, through its own [`Reader`]). The writer uses a frame
//! only when its own choice of base is the same, so the store holds exactly
//! what it would have held had the writer compressed itself; a snapshot that
//! was stale (another version of the article earlier in the same chunk,
//! another process writing) only costs the writer the work.

use std::collections::HashMap;

use rustc_hash::FxHashSet;
use std::ops::Range;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::search::sentences;
use super::{Hash, MAX_DELTA_DEPTH, Result, blob, read_blob, to_hash};
use crate::text::normalize;
use crate::text::search::index_text;

/// A blob compressed ahead of the write, and the base it was compressed
/// against (`None`: whole).
#[derive(Debug, Clone)]
pub(crate) struct Frame {
    pub(crate) base: Option<Hash>,
    pub(crate) data: Vec<u8>,
}

/// A distinct sentence of the text, as the search index keeps it.
#[derive(Debug, Clone)]
pub(crate) struct Sentence {
    pub(crate) hash: Hash,
    /// Where it is in the text.
    pub(crate) range: Range<usize>,
    /// Its index text, computed when the snapshot did not know the sentence
    /// (the writer computes what is missing).
    pub(crate) body: Option<String>,
}

/// What a worker derived from one scrape's text and bytes.
#[derive(Debug, Clone)]
pub struct Derived {
    /// Lengths of the text and bytes it was derived from: a scrape whose
    /// text was changed afterwards does not use it.
    pub(crate) lengths: (usize, usize),
    pub(crate) text_hash: Hash,
    pub(crate) raw_hash: Hash,
    /// `None` where the snapshot said the text is a known version (nothing
    /// new to index or compress).
    pub(crate) sentences: Option<Vec<Sentence>>,
    pub(crate) text_frame: Option<Frame>,
    pub(crate) raw_frame: Option<Frame>,
}

impl Derived {
    /// Whether this was derived from exactly these lengths of text and bytes.
    pub(crate) fn fits(&self, text: &str, raw: &[u8]) -> bool {
        self.lengths == (text.len(), raw.len())
    }
}

/// A read-only connection to a store for one worker thread.
pub struct Reader {
    conn: Connection,
    /// Decoded blobs, as delta bases (bounded; reused by one worker only
    /// when an article comes back, so it stays small).
    cache: HashMap<Hash, Vec<u8>>,
}

/// The article's latest version, as the snapshot shows it.
struct Latest {
    article: i64,
    text_hash: Hash,
    raw_hash: Hash,
}

impl Reader {
    /// Open `path` read-only. Readers never wait for the writer (WAL).
    pub fn open(path: &Path) -> Result<Reader> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(1))?;
        Ok(Reader {
            conn,
            cache: HashMap::new(),
        })
    }

    fn latest(&self, key: &str) -> Result<Option<Latest>> {
        let row: Option<(i64, Vec<u8>, Vec<u8>)> = self
            .conn
            .prepare_cached(
                "SELECT v.article_id, v.text_hash, v.raw_hash FROM articles a
                 JOIN versions v ON v.article_id = a.id
                 WHERE a.key = ?1 ORDER BY v.number DESC LIMIT 1",
            )?
            .query_row([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        row.map(|(article, t, r)| {
            Ok(Latest {
                article,
                text_hash: to_hash(&t)?,
                raw_hash: to_hash(&r)?,
            })
        })
        .transpose()
    }

    fn is_known_version(&self, article: i64, identity: &Hash) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM versions
                 WHERE article_id = ?1 AND identity = ?2 AND normalizer = ?3)",
            )?
            .query_row(
                params![article, &identity[..], normalize::NORMALIZER_VERSION],
                |r| r.get(0),
            )?)
    }

    fn indexed_sentences(&self, article: i64) -> Result<FxHashSet<Hash>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT hash FROM search_sentences WHERE article_id = ?1")?;
        let rows = stmt
            .query_map([article], |r| r.get::<_, Vec<u8>>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.iter().map(|h| to_hash(h)).collect()
    }

    /// Compress `bytes` as the writer would, against `base` (the article's
    /// latest blob of that kind). `None` when the blob is stored already.
    fn frame(&mut self, bytes: &[u8], hash: &Hash, base: Option<Hash>) -> Result<Option<Frame>> {
        let exists: bool = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM blobs WHERE hash = ?1)")?
            .query_row([&hash[..]], |r| r.get(0))?;
        if exists {
            return Ok(None);
        }
        let base = match base {
            Some(b) if b != *hash => self
                .conn
                .prepare_cached("SELECT depth FROM blobs WHERE hash = ?1")?
                .query_row([&b[..]], |r| r.get::<_, i64>(0))
                .optional()?
                .filter(|d| *d < MAX_DELTA_DEPTH)
                .map(|_| b),
            _ => None,
        };
        let data = match base {
            Some(b) => {
                if self.cache.len() > 64 {
                    self.cache.clear();
                }
                let base_bytes = read_blob(&self.conn, &b, &mut self.cache)?;
                blob::compress(bytes, Some(&base_bytes))
            }
            None => blob::compress(bytes, None),
        };
        // A failure is the writer's to report, with its own attempt.
        Ok(data.ok().map(|data| Frame { base, data }))
    }
}

/// Derive what the writer needs from a scrape of article `key`: always the
/// hashes and, unless `reader`'s snapshot knows the text as a version of the
/// article already, its sentences and its compressed blobs. `by_identity`:
/// whether `identity` decides the version (no furniture learned for a host,
/// which makes the identity the store's to compute).
pub fn derive(
    reader: Option<&mut Reader>,
    key: &str,
    text: &str,
    raw: &[u8],
    identity: &Hash,
    by_identity: bool,
) -> Derived {
    let text_hash = blob::hash(text.as_bytes());
    let raw_hash = if raw == text.as_bytes() {
        text_hash
    } else {
        blob::hash(raw)
    };
    let mut derived = Derived {
        lengths: (text.len(), raw.len()),
        text_hash,
        raw_hash,
        sentences: None,
        text_frame: None,
        raw_frame: None,
    };
    let Some(reader) = reader else {
        derived.sentences = Some(sentences_of(text, None));
        return derived;
    };
    // One read transaction for all of it: one snapshot, and the locks taken
    // once instead of per statement.
    let begun = reader
        .conn
        .prepare_cached("BEGIN")
        .and_then(|mut b| b.execute([]));
    if begun.is_err() {
        derived.sentences = Some(sentences_of(text, None));
        return derived;
    }
    // Best effort: a snapshot that cannot be read derives less.
    let _ = (|| -> Result<()> {
        let latest = reader.latest(key)?;
        if let Some(l) = &latest
            && by_identity
            && reader.is_known_version(l.article, identity)?
        {
            return Ok(());
        }
        let known = match &latest {
            Some(l) => reader.indexed_sentences(l.article)?,
            None => FxHashSet::default(),
        };
        derived.sentences = Some(sentences_of(text, Some(&known)));
        derived.text_frame = reader.frame(
            text.as_bytes(),
            &text_hash,
            latest.as_ref().map(|l| l.text_hash),
        )?;
        if raw_hash != text_hash {
            derived.raw_frame =
                reader.frame(raw, &raw_hash, latest.as_ref().map(|l| l.raw_hash))?;
        }
        Ok(())
    })();
    let _ = reader
        .conn
        .prepare_cached("COMMIT")
        .and_then(|mut c| c.execute([]));
    derived
}

/// The text's distinct sentences, with the index text of those `known` does
/// not have (`None`: of none; the writer computes what it needs).
fn sentences_of(text: &str, known: Option<&FxHashSet<Hash>>) -> Vec<Sentence> {
    sentences(text)
        .into_iter()
        .map(|(hash, range)| Sentence {
            hash,
            body: known
                .filter(|k| !k.contains(&hash))
                .map(|_| index_text(text.get(range.clone()).unwrap_or(""))),
            range,
        })
        .collect()
}
