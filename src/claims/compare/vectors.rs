//! Distributional word vectors over the comparison's word keys (the stems
//! and roots of `Profile::stems`): two words used in the same sentences of
//! news point the same way, so a paraphrase with few words in common
//! (`ستزود` / `بإمداد`) and a topically unrelated headline can be told apart.
//!
//! `examples/claims_model/` builds them from the training splits only
//! (co-occurrence within a statement, PPMI, truncated SVD) and writes
//! `word_vectors.bin` beside `model.json`; the build includes the file as it
//! is. Layout (little-endian): `TWV1`, key count `n`, dimension `d`, `n + 1`
//! u32 offsets into the key bytes, the keys (UTF-8, sorted bytewise), then
//! `n × d` i8 components (each vector scaled to its largest component).
//! Read in place: nothing is parsed at start-up.
//!
//! One key is no word: [`SCENE_KEY`] (a control character leads it, which no
//! word key holds) is the direction from the training sets' Arabic news
//! statements (ANS, ArbTEDS) towards their everyday scenes (ArNLI's
//! captions), so that the models can tell which labelling habits a pair of
//! texts is near.

use std::borrow::Cow;
use std::sync::OnceLock;

/// Malformed vector bytes.
#[derive(Debug, thiserror::Error)]
pub enum VectorsError {
    #[error("word vectors: {0}")]
    Format(&'static str),
    #[error("word vectors: already chosen for this process")]
    AlreadySet,
}

/// Unit vectors of word keys, read in place from their bytes.
pub struct WordVectors {
    bytes: Cow<'static, [u8]>,
    n: usize,
    dim: usize,
    keys_at: usize,
    data_at: usize,
}

const MAGIC: &[u8; 4] = b"TWV1";

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize)
}

impl WordVectors {
    /// The vectors of bytes in the layout above (checked once here).
    pub fn from_bytes(bytes: Cow<'static, [u8]>) -> Result<WordVectors, VectorsError> {
        let bad = VectorsError::Format;
        if bytes.get(..4) != Some(MAGIC) {
            return Err(bad("no TWV1 header"));
        }
        let n = u32_at(&bytes, 4).ok_or(bad("short header"))?;
        let dim = u32_at(&bytes, 8).ok_or(bad("short header"))?;
        let offsets_at = 12;
        let keys_at = offsets_at + 4 * (n + 1);
        let key_len = u32_at(&bytes, keys_at - 4).ok_or(bad("short offsets"))?;
        let data_at = keys_at + key_len;
        if bytes.len() != data_at + n * dim {
            return Err(bad("length does not match the header"));
        }
        let v = WordVectors {
            bytes,
            n,
            dim,
            keys_at,
            data_at,
        };
        for k in 0..n {
            let (a, b) = (v.offset(k), v.offset(k + 1));
            if a > b
                || b > key_len
                || std::str::from_utf8(&v.bytes[keys_at + a..keys_at + b]).is_err()
            {
                return Err(bad("bad key offsets"));
            }
            if k > 0 && v.key(k - 1) >= v.key(k) {
                return Err(bad("keys not sorted"));
            }
        }
        Ok(v)
    }

    /// The bytes of `entries` (key, components; any order, one dimension).
    pub fn encode(entries: &[(String, Vec<i8>)], dim: usize) -> Vec<u8> {
        let mut sorted: Vec<&(String, Vec<i8>)> = entries.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let le = |n: usize| u32::try_from(n).expect("small").to_le_bytes();
        let mut out = MAGIC.to_vec();
        out.extend(le(sorted.len()));
        out.extend(le(dim));
        let mut at = 0;
        out.extend(le(0));
        for (k, _) in &sorted {
            at += k.len();
            out.extend(le(at));
        }
        for (k, _) in &sorted {
            out.extend(k.as_bytes());
        }
        for (_, v) in &sorted {
            assert_eq!(v.len(), dim, "one dimension");
            out.extend(v.iter().map(|&c| c as u8));
        }
        out
    }

    fn offset(&self, k: usize) -> usize {
        u32_at(&self.bytes, 12 + 4 * k).unwrap_or(0)
    }

    fn key(&self, k: usize) -> &[u8] {
        &self.bytes[self.keys_at + self.offset(k)..self.keys_at + self.offset(k + 1)]
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The unit vector of a key, if it has one.
    pub fn get(&self, key: &str) -> Option<Vec<f32>> {
        let (mut lo, mut hi) = (0, self.n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.key(mid).cmp(key.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return self.vector(mid),
            }
        }
        None
    }

    fn vector(&self, k: usize) -> Option<Vec<f32>> {
        let at = self.data_at + k * self.dim;
        let v: Vec<f32> = self.bytes[at..at + self.dim]
            .iter()
            .map(|&c| f32::from(c as i8))
            .collect();
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        (norm > 0.0).then(|| v.iter().map(|x| x / norm).collect())
    }
}

/// The key of the news-to-scenes direction (see the module's comment).
pub const SCENE_KEY: &str = "\u{1}scene";

/// Vectors a training run built, used in place of the committed ones.
static TRAINED: OnceLock<WordVectors> = OnceLock::new();

/// Use `v` instead of the committed vectors for the rest of the process:
/// training measures its features with the vectors it is about to commit.
pub fn use_vectors(v: WordVectors) -> Result<(), VectorsError> {
    TRAINED.set(v).map_err(|_| VectorsError::AlreadySet)
}

/// The vectors features read: those of [`use_vectors`], else the committed file.
pub fn vectors() -> &'static WordVectors {
    static COMMITTED: OnceLock<WordVectors> = OnceLock::new();
    TRAINED.get().unwrap_or_else(|| {
        COMMITTED.get_or_init(|| {
            WordVectors::from_bytes(Cow::Borrowed(include_bytes!("../word_vectors.bin")))
                .expect("src/claims/word_vectors.bin is part of the build and must be valid")
        })
    })
}

/// The unit direction from news towards everyday scenes, when the vectors
/// carry one.
pub(super) fn scene_direction() -> Option<Vec<f32>> {
    vectors().get(SCENE_KEY)
}

/// A claim's word keys with their vectors, read once per claim.
#[derive(Clone, Default)]
pub(super) struct Senses {
    /// Every key, sorted, with the index of its vector in `vecs` (None: no vector).
    pub(super) keys: Vec<(String, Option<usize>)>,
    /// The known keys' unit vectors, `dim` each, in `keys` order.
    pub(super) vecs: Vec<Vec<f32>>,
    /// Sum of `vecs` (the claim's direction).
    pub(super) sum: Vec<f32>,
}

impl Senses {
    pub(super) fn of<'a>(stems: impl Iterator<Item = &'a String>) -> Senses {
        let wv = vectors();
        let mut keys: Vec<&String> = stems.collect();
        keys.sort();
        let mut s = Senses {
            sum: vec![0.0; wv.dim()],
            ..Senses::default()
        };
        for k in keys {
            let at = wv.get(k).map(|v| {
                s.sum.iter_mut().zip(&v).for_each(|(a, b)| *a += b);
                s.vecs.push(v);
                s.vecs.len() - 1
            });
            s.keys.push((k.clone(), at));
        }
        s
    }

    /// The union of several claims' senses, each key once, from the vectors
    /// they already hold (nothing looked up again).
    pub(super) fn union<'a>(parts: impl Iterator<Item = &'a Senses>) -> Senses {
        let mut all: Vec<(&String, Option<&Vec<f32>>)> = parts
            .flat_map(|s| s.keys.iter().map(|(k, at)| (k, at.map(|i| &s.vecs[i]))))
            .collect();
        all.sort_by(|a, b| a.0.cmp(b.0));
        all.dedup_by(|a, b| a.0 == b.0);
        let mut s = Senses {
            sum: vec![0.0; vectors().dim()],
            ..Senses::default()
        };
        for (k, v) in all {
            let at = v.map(|v| {
                s.sum.iter_mut().zip(v).for_each(|(a, b)| *a += b);
                s.vecs.push(v.clone());
                s.vecs.len() - 1
            });
            s.keys.push((k.clone(), at));
        }
        s
    }

    /// The best cosine of `v` to one of these vectors (0 with none).
    pub(super) fn best(&self, v: &[f32]) -> f32 {
        self.vecs.iter().map(|w| dot(v, w)).fold(0.0, f32::max)
    }

    pub(super) fn has(&self, key: &str) -> bool {
        self.keys
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .is_ok()
    }
}

pub(super) fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Cosine of two sums of vectors (0 when either is zero).
pub(super) fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let (na, nb) = (dot(a, a).sqrt(), dot(b, b).sqrt());
    if na > 0.0 && nb > 0.0 {
        dot(a, b) / (na * nb)
    } else {
        0.0
    }
}

/// How close `a`'s words missing from `b` are to `b`'s words: the mean best
/// cosine over them (a word without a vector counts 0; 1 when none is
/// missing), and how many of them have a neighbour at `CLOSE` or above, of how
/// many.
pub(super) fn unmatched(a: &Senses, b: &Senses) -> (f32, usize, usize) {
    let (mut sum, mut close, mut n) = (0.0, 0, 0);
    for (k, at) in &a.keys {
        if b.has(k) {
            continue;
        }
        n += 1;
        if let Some(i) = at {
            let c = b.best(&a.vecs[*i]);
            sum += c;
            close += usize::from(c >= CLOSE);
        }
    }
    (if n == 0 { 1.0 } else { sum / n as f32 }, close, n)
}

/// A cosine from which two words count as near in meaning.
pub(super) const CLOSE: f32 = 0.5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_vectors_read_back_sorted_and_unit() {
        let entries = vec![
            ("b".to_string(), vec![3i8, 4]),
            ("a".to_string(), vec![-127i8, 0]),
        ];
        let v = WordVectors::from_bytes(Cow::Owned(WordVectors::encode(&entries, 2))).unwrap();
        assert_eq!((v.len(), v.dim()), (2, 2));
        assert_eq!(v.get("a"), Some(vec![-1.0, 0.0]));
        assert_eq!(v.get("b"), Some(vec![0.6, 0.8]));
        assert_eq!(v.get("c"), None);
        assert!(WordVectors::from_bytes(Cow::Borrowed(b"TWV1")).is_err());
    }

    #[test]
    fn committed_vectors_load() {
        let v = vectors();
        assert!(v.is_empty() || v.dim() > 0);
    }
}
