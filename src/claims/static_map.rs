//! String-keyed hash tables laid out at build time and compiled into the
//! binary: the comparison's word lists (folded with `match_key`), demonyms and
//! the gazetteer's countries cost nothing at start-up, where building them as
//! hash maps was ~2.2 M instructions of every process that compares claims;
//! so do the built-in gazetteer's spellings and the extractors' lexicon
//! (`entity::builtin`), ~12.5 M of every process that extracts claims, and the
//! number, date and counted-noun words (~1.5 M).
//!
//! build.rs includes this file, so the tables it writes are probed with the
//! very hash and layout they were built with.

/// A map from strings to `V`: open addressing with linear probing, at most
/// half full. A lookup hashes the word once and compares strings only where
/// 16 more bits of the hash agree: most words asked about are in no list.
pub struct StaticMap<V: 'static> {
    /// Per slot, [`tag`] of the key that sits there in the high 16 bits, 1 +
    /// its index in the low 16; 0 for none. A power of two long.
    pub slots: &'static [u32],
    /// The keys, concatenated: key `i` is `text[offsets[i]..offsets[i + 1]]`.
    /// One string rather than a slice of `&str`, which would be a pointer
    /// per key for the dynamic loader to relocate at every start.
    pub text: &'static str,
    pub offsets: &'static [u32],
    /// `values[i]` goes with key `i`.
    pub values: &'static [V],
}

/// A set of strings.
pub type StaticSet = StaticMap<()>;

impl<V> StaticMap<V> {
    #[inline]
    fn index(&self, key: &str) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let h = hash(key);
        let tag = tag(h);
        let mut i = slot_of(h, mask);
        loop {
            let s = self.slots[i];
            if s == 0 {
                return None;
            }
            if s >> 16 == tag {
                let k = (s & 0xffff) as usize - 1;
                if self.key_bytes(k) == key.as_bytes() {
                    return Some(k);
                }
            }
            i = (i + 1) & mask;
        }
    }

    #[inline]
    fn key_bytes(&self, k: usize) -> &'static [u8] {
        &self.text.as_bytes()[self.offsets[k] as usize..self.offsets[k + 1] as usize]
    }

    #[inline]
    pub fn get(&self, key: &str) -> Option<&'static V> {
        self.index(key).map(|k| &self.values[k])
    }

    #[inline]
    pub fn contains_key(&self, key: &str) -> bool {
        self.index(key).is_some()
    }

    /// Every entry, in the order the table lists them.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &'static V)> {
        self.offsets
            .windows(2)
            .map(|w| &self.text[w[0] as usize..w[1] as usize])
            .zip(self.values.iter())
    }

    #[cfg_attr(not(test), allow(dead_code))]
    pub fn len(&self) -> usize {
        self.values.len()
    }
}

impl StaticSet {
    #[inline]
    pub fn contains(&self, key: &str) -> bool {
        self.index(key).is_some()
    }
}

/// FxHash-style: eight bytes at a time, rotate, xor, multiply. Words are
/// short; this costs a few instructions per word where SipHash costs ~100.
/// The last (or only) word is read as whole words that may overlap the ones
/// before (the length, hashed first, tells such keys apart): no byte-by-byte
/// copy of a tail.
#[inline]
pub fn hash(key: &str) -> u64 {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    let b = key.as_bytes();
    let n = b.len();
    let word = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().expect("eight bytes"));
    let half = |i: usize| u64::from(u32::from_le_bytes(b[i..i + 4].try_into().expect("four")));
    let mut h = n as u64;
    let last = if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            h = (h.rotate_left(5) ^ word(i)).wrapping_mul(K);
            i += 8;
        }
        word(n - 8)
    } else if n >= 4 {
        half(0) << 32 | half(n - 4)
    } else if n > 0 {
        u64::from(b[0]) << 16 | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1])
    } else {
        0
    };
    h = (h.rotate_left(5) ^ last).wrapping_mul(K);
    // The product's high bits mix every input bit: fold them down.
    h ^ (h >> 29)
}

/// The first slot a hash probes in a table of `mask + 1` slots.
fn slot_of(h: u64, mask: usize) -> usize {
    // Bits above 32: a multiply's upper half depends on all of its input.
    (h >> 32) as usize & mask
}

/// The bits of a hash a slot keeps (none of those [`slot_of`] uses for a
/// table of up to 2^16 slots).
fn tag(h: u64) -> u32 {
    (h >> 48) as u32
}

/// The slots of a table of `keys` (distinct), as [`StaticMap::slots`]: what
/// build.rs writes.
#[allow(dead_code)]
pub fn layout(keys: &[&str]) -> Vec<u32> {
    assert!(
        keys.len() < 0x8000,
        "up to 2^15 keys: 16-bit indexes, 2^16 slots"
    );
    let size = (keys.len() * 2).max(1).next_power_of_two();
    let mask = size - 1;
    let mut slots = vec![0u32; size];
    for (k, key) in keys.iter().enumerate() {
        let h = hash(key);
        let mut i = slot_of(h, mask);
        while slots[i] != 0 {
            let other = keys[(slots[i] & 0xffff) as usize - 1];
            assert_ne!(other, *key, "duplicate key {key}");
            i = (i + 1) & mask;
        }
        slots[i] = tag(h) << 16 | u32::try_from(k + 1).expect("checked above");
    }
    slots
}

/// A map from 64-bit hashes (the gazetteer's name-key hashes, already mixed) to non-zero
/// bytes: open addressing with linear probing, at most half full; a value of 0 marks an
/// empty slot.
pub struct StaticU64Map {
    /// Power of two long.
    pub keys: &'static [u64],
    pub values: &'static [u8],
}

impl StaticU64Map {
    #[inline]
    pub fn get(&self, h: u64) -> Option<u8> {
        let mask = self.keys.len() - 1;
        let mut i = slot_of(h, mask);
        loop {
            let v = self.values[i];
            if v == 0 {
                return None;
            }
            if self.keys[i] == h {
                return Some(v);
            }
            i = (i + 1) & mask;
        }
    }

    /// Entries in the table.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn len(&self) -> usize {
        self.values.iter().filter(|&&v| v != 0).count()
    }
}

/// The keys and values of a [`StaticU64Map`] of `entries` (distinct keys, values not 0):
/// what build.rs writes.
#[allow(dead_code)]
pub fn layout_u64(entries: &[(u64, u8)]) -> (Vec<u64>, Vec<u8>) {
    let size = (entries.len() * 2).max(1).next_power_of_two();
    let mask = size - 1;
    let (mut keys, mut values) = (vec![0u64; size], vec![0u8; size]);
    for &(h, v) in entries {
        assert_ne!(v, 0, "0 marks an empty slot");
        let mut i = slot_of(h, mask);
        while values[i] != 0 {
            assert_ne!(keys[i], h, "duplicate key {h}");
            i = (i + 1) & mask;
        }
        keys[i] = h;
        values[i] = v;
    }
    (keys, values)
}
