//! Blob codec: BLAKE3-addressed bytes, zstd-compressed, optionally as a delta
//! against a base blob (the same article's previous version).
//!
//! A delta is a zstd frame compressed with the base's bytes as a *prefix*
//! (a single-use raw-content dictionary). News versions differ by a few
//! sentences, so the frame mostly holds back-references into the base: this is
//! what keeps the store near the size of a `git gc --aggressive` pack.

use zstd::zstd_safe::{CCtx, CParameter, DCtx};

/// Content address of a blob: BLAKE3 of its uncompressed bytes.
pub type Hash = [u8; 32];

/// How a blob's bytes are stored in the `blobs.data` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// zstd frame, no dictionary.
    Zstd = 1,
    /// zstd frame compressed with the base blob's bytes as prefix.
    ZstdDelta = 2,
}

impl Codec {
    pub(crate) fn from_i64(v: i64) -> Option<Codec> {
        match v {
            1 => Some(Codec::Zstd),
            2 => Some(Codec::ZstdDelta),
            _ => None,
        }
    }
}

/// zstd level for whole blobs and deltas. For ~6 KB inputs zstd switches to
/// its small-input tables, where level 9 already runs the slow binary-tree
/// match finder: on the ingest benchmark (1,000 articles x 10 versions) level 5
/// ingests 2x faster than level 9 for a store 1% larger (BENCHMARKS.md).
const LEVEL: i32 = 5;

/// Hash bytes the way blobs are addressed.
pub fn hash(bytes: &[u8]) -> Hash {
    *blake3::hash(bytes).as_bytes()
}

/// Lower-case hex of a hash.
pub fn hex(hash: &Hash) -> String {
    blake3::Hash::from_bytes(*hash).to_hex().to_string()
}

/// Compress `data`, as a delta against `base` when one is given.
pub(crate) fn compress(data: &[u8], base: Option<&[u8]>) -> Result<Vec<u8>, String> {
    let mut cctx = CCtx::create();
    cctx.set_parameter(CParameter::CompressionLevel(LEVEL))
        .map_err(zstd_error)?;
    // Bound the window to the data: small inputs then get small tables, which
    // is most of the speed at level 19.
    let window_log = window_log_for(data.len() + base.map_or(0, <[u8]>::len));
    cctx.set_parameter(CParameter::WindowLog(window_log))
        .map_err(zstd_error)?;
    if let Some(base) = base {
        cctx.ref_prefix(base).map_err(zstd_error)?;
    }
    let mut out = Vec::with_capacity(zstd::zstd_safe::compress_bound(data.len()));
    cctx.compress2(&mut out, data).map_err(zstd_error)?;
    Ok(out)
}

/// Decompress a frame of known size, with the base's bytes for a delta.
pub(crate) fn decompress(
    frame: &[u8],
    size: usize,
    base: Option<&[u8]>,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(size);
    match base {
        // A base that starts like a zstd dictionary would be read as one:
        // referenced as a prefix instead, as it was compressed.
        Some(base) if base.starts_with(&DICTIONARY_MAGIC) => {
            let mut dctx = DCtx::create();
            dctx.ref_prefix(base).map_err(zstd_error)?;
            dctx.decompress(&mut out, frame).map_err(zstd_error)?;
        }
        // One context per thread: creating one costs more than decoding a
        // small frame, and reading an old version decodes a chain of them.
        // A raw-content dictionary decodes exactly as the prefix it was.
        _ => DCTX.with_borrow_mut(|dctx| {
            dctx.decompress_using_dict(&mut out, frame, base.unwrap_or_default())
                .map(drop)
                .map_err(zstd_error)
        })?,
    }
    if out.len() != size {
        return Err(format!("expected {size} bytes, got {}", out.len()));
    }
    Ok(out)
}

/// The first bytes of a zstd dictionary (`ZSTD_MAGIC_DICTIONARY`, little-endian).
const DICTIONARY_MAGIC: [u8; 4] = 0xEC30_A437u32.to_le_bytes();

thread_local! {
    static DCTX: std::cell::RefCell<DCtx<'static>> = std::cell::RefCell::new(DCtx::create());
}

fn window_log_for(len: usize) -> u32 {
    let bits = usize::BITS - len.max(1).leading_zeros();
    (bits + 1).clamp(10, 27)
}

fn zstd_error(code: usize) -> String {
    zstd::zstd_safe::get_error_name(code).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_whole_and_delta() {
        let v1 = "أشاد الرئيس الروسي فلاديمير بوتين بمتانة العلاقات. ".repeat(60);
        let v2 = v1.replace("بوتين", "بوتين نفسه");
        let whole = compress(v1.as_bytes(), None).unwrap();
        assert_eq!(decompress(&whole, v1.len(), None).unwrap(), v1.as_bytes());
        let delta = compress(v2.as_bytes(), Some(v1.as_bytes())).unwrap();
        assert!(
            delta.len() < whole.len(),
            "delta {} whole {}",
            delta.len(),
            whole.len()
        );
        assert_eq!(
            decompress(&delta, v2.len(), Some(v1.as_bytes())).unwrap(),
            v2.as_bytes()
        );
        // Without the right base the delta does not decode to the same bytes.
        assert_ne!(
            decompress(&delta, v2.len(), Some(b"other")).ok().as_deref(),
            Some(v2.as_bytes())
        );
    }

    #[test]
    fn corrupt_frame_is_an_error_not_a_panic() {
        let data = b"hello hello hello hello".repeat(10);
        let mut frame = compress(&data, None).unwrap();
        let mid = frame.len() / 2;
        frame[mid] ^= 0xff;
        frame.truncate(frame.len() - 3);
        assert!(decompress(&frame, data.len(), None).is_err());
    }

    #[test]
    fn a_base_that_starts_like_a_dictionary_is_still_a_prefix() {
        let mut base = DICTIONARY_MAGIC.to_vec();
        base.extend_from_slice(&b"some page bytes, then more page bytes ".repeat(20));
        let data = [&base[..], b" and an edit"].concat();
        let delta = compress(&data, Some(&base)).unwrap();
        assert_eq!(decompress(&delta, data.len(), Some(&base)).unwrap(), data);
        // A context reused after a failed frame still decodes the next one.
        assert!(decompress(&delta[..delta.len() / 2], data.len(), Some(b"x")).is_err());
        let whole = compress(&data, None).unwrap();
        assert_eq!(decompress(&whole, data.len(), None).unwrap(), data);
    }
}
