//! The gazetteer: its entries and the tables its spellings are looked up in,
//! built in (keyed at build time) or read from an alias file.

use super::*;

/// FxHash: the keys are short strings and this is the hot path.
#[derive(Default, Clone, Copy)]
pub(super) struct Fx(u64);

impl Hasher for Fx {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.add(w);
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Fx {
    #[inline]
    pub(super) fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub(super) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Form {
    Name,
    Short,
    Title,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Hit {
    pub(super) entry: u32,
    pub(super) form: Form,
    /// Latin acronym: the text must be in capitals.
    pub(super) acronym: bool,
    /// One Latin word: the text must be capitalised.
    pub(super) capital: bool,
    /// Tokens of the spelling, and its last phonetic letter: a skeleton match must agree
    /// on both (so `فلسطيني` "Palestinian" is not `فلسطين`, and no two words make one name).
    pub(super) tokens: u8,
    pub(super) last: char,
    /// Phonetic length: a skeleton match may differ by one letter at most (a long vowel),
    /// not by a plural ending (`فلسطينيين`).
    pub(super) phon_len: u8,
}

/// A [`Hit`] in the tables build.rs writes (`form`: 0 name, 1 short form, 2 title).
pub(super) const fn hit(
    entry: u32,
    form: u8,
    acronym: bool,
    capital: bool,
    tokens: u8,
    last: char,
    phon_len: u8,
) -> Hit {
    Hit {
        entry,
        form: match form {
            0 => Form::Name,
            1 => Form::Short,
            _ => Form::Title,
        },
        acronym,
        capital,
        tokens,
        last,
        phon_len,
    }
}

#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) canonical: Box<str>,
    pub(super) kind: EntityKind,
}

/// Places, people and organisations with their spellings. See the module doc.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    /// Identifies the content (a gazetteer never changes once built) for the memo.
    pub(super) id: u64,
    pub(super) tables: Tables,
}

/// Where a gazetteer's spellings are: both kinds are matched by the same (generic) code.
#[derive(Debug, Clone)]
pub(super) enum Tables {
    /// The built-in gazetteer, keyed at build time (build.rs writes [`builtin`]): building
    /// it at start-up was ~12.5 M instructions of every process that extracts claims.
    Builtin,
    /// Built at run time: the built-in lines and a user alias file.
    Built(Box<Built>),
}

impl Default for Gazetteer {
    /// An empty gazetteer.
    fn default() -> Self {
        Gazetteer {
            id: next_id(),
            tables: Tables::Built(Box::default()),
        }
    }
}

/// A gazetteer built at run time (see [`Gazetteer`]'s fields for the built-in one).
#[derive(Debug, Clone, Default)]
pub(super) struct Built {
    pub(super) entries: Vec<Entry>,
    by_canonical: HashMap<Box<str>, u32>,
    /// Concatenated light keys, phonetic keys and skeletons of the spellings.
    pub(super) exact: FxMap<Box<str>, Vec<Hit>>,
    pub(super) phon: FxMap<Box<str>, Vec<Hit>>,
    pub(super) skel: FxMap<Box<str>, Vec<Hit>>,
    /// Hash of the phonetic key or skeleton of a first token → the most tokens a name
    /// starting so has (a pre-filter: most tokens are no name's first word).
    pub(super) first: FxMap<u64, u8>,
    /// Hashes of the phonetic keys of all spellings and of the skeletons in `skel`: a
    /// pre-filter for the string lookups (an exact or phonetic match implies an equal
    /// phonetic key, a skeleton match an equal skeleton).
    pub(super) whole: FxMap<u64, ()>,
    /// Bit filters over the keys of `first` and `whole`: most words are in neither, and a
    /// bit test is cheaper than a hash lookup.
    pub(super) first_bits: HashBits,
    pub(super) whole_bits: HashBits,
    /// Bit filter over the hashes of every prefix (letter by letter) of the phonetic keys
    /// and skeletons of all spellings: once the words read so far are a prefix of none,
    /// no longer spelling can match there either.
    pub(super) prefix_bits: HashBits,
}

/// A one-hash bit filter over 64-bit hashes ([`hash_bit`]): a clear bit means the hash
/// was never inserted.
#[derive(Debug, Clone)]
pub(super) struct HashBits(pub(super) Box<Bits>);

impl Default for HashBits {
    fn default() -> Self {
        HashBits(Box::new([0; HASH_WORDS]))
    }
}

impl HashBits {
    fn insert(&mut self, h: u64) {
        let (w, b) = hash_bit(h);
        self.0[w] |= b;
    }
}

/// Whether bit filter `bits` may hold hash `h`.
#[inline]
pub(super) fn may_contain(bits: &Bits, h: u64) -> bool {
    let (w, b) = hash_bit(h);
    bits[w] & b != 0
}

/// The tables the matcher asks, built-in (static) or built at run time.
pub(super) trait Lookup {
    fn first_bits(&self) -> &Bits;
    fn whole_bits(&self) -> &Bits;
    fn prefix_bits(&self) -> &Bits;
    fn first(&self, h: u64) -> Option<u8>;
    fn whole(&self, h: u64) -> bool;
    fn exact(&self, key: &str) -> Option<&[Hit]>;
    fn phon(&self, key: &str) -> Option<&[Hit]>;
    fn skel(&self, key: &str) -> Option<&[Hit]>;
}

impl Lookup for Built {
    #[inline]
    fn first_bits(&self) -> &Bits {
        &self.first_bits.0
    }
    #[inline]
    fn whole_bits(&self) -> &Bits {
        &self.whole_bits.0
    }
    #[inline]
    fn prefix_bits(&self) -> &Bits {
        &self.prefix_bits.0
    }
    #[inline]
    fn first(&self, h: u64) -> Option<u8> {
        self.first.get(&h).copied()
    }
    #[inline]
    fn whole(&self, h: u64) -> bool {
        self.whole.contains_key(&h)
    }
    #[inline]
    fn exact(&self, key: &str) -> Option<&[Hit]> {
        self.exact.get(key).map(Vec::as_slice)
    }
    #[inline]
    fn phon(&self, key: &str) -> Option<&[Hit]> {
        self.phon.get(key).map(Vec::as_slice)
    }
    #[inline]
    fn skel(&self, key: &str) -> Option<&[Hit]> {
        self.skel.get(key).map(Vec::as_slice)
    }
}

/// The tables of [`builtin`].
pub(super) struct Static;

impl Lookup for Static {
    #[inline]
    fn first_bits(&self) -> &Bits {
        &builtin::FIRST_BITS
    }
    #[inline]
    fn whole_bits(&self) -> &Bits {
        &builtin::WHOLE_BITS
    }
    #[inline]
    fn prefix_bits(&self) -> &Bits {
        &builtin::PREFIX_BITS
    }
    #[inline]
    fn first(&self, h: u64) -> Option<u8> {
        builtin::FIRST.get(h)
    }
    #[inline]
    fn whole(&self, h: u64) -> bool {
        builtin::WHOLE.get(h).is_some()
    }
    #[inline]
    fn exact(&self, key: &str) -> Option<&[Hit]> {
        builtin::EXACT
            .get(key)
            .map(|&(s, e)| &builtin::EXACT_HITS[s as usize..e as usize])
    }
    #[inline]
    fn phon(&self, key: &str) -> Option<&[Hit]> {
        builtin::PHON
            .get(key)
            .map(|&(s, e)| &builtin::PHON_HITS[s as usize..e as usize])
    }
    #[inline]
    fn skel(&self, key: &str) -> Option<&[Hit]> {
        builtin::SKEL
            .get(key)
            .map(|&(s, e)| &builtin::SKEL_HITS[s as usize..e as usize])
    }
}

pub(super) const BUILTIN: &str = include_str!("../gazetteer.txt");

/// The country a place of the built-in gazetteer (by canonical name) lies in,
/// the country itself for a country; `None` for regions, contested places and
/// anything else. Read from the gazetteer's `IN|` lines alone.
pub fn country_of(canonical: &str) -> Option<&'static str> {
    // Read from those lines by build.rs (`super::tables`).
    crate::claims::tables::COUNTRY_OF.get(canonical).copied()
}

/// Ids of gazetteers built at run time; the built-in one is 0.
pub(super) fn next_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// What went wrong in a user alias file: the line (1-based, when known) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("alias file{}: {reason}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
pub struct AliasError {
    pub line: Option<usize>,
    pub reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasFile {
    #[serde(default)]
    pub(super) entity: Vec<toml::Spanned<AliasEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasEntry {
    pub(super) canonical: String,
    pub(super) kind: String,
    #[serde(default)]
    pub(super) names: Vec<String>,
    #[serde(default)]
    short: Vec<String>,
    #[serde(default)]
    titles: Vec<String>,
}

impl Gazetteer {
    /// The built-in gazetteer (static tables: nothing is built).
    pub fn builtin() -> &'static Gazetteer {
        static G: Gazetteer = Gazetteer {
            id: 0,
            tables: Tables::Builtin,
        };
        &G
    }

    /// The built-in gazetteer plus the entries of a user alias file (format in the module
    /// doc). User spellings take precedence over built-in ones.
    pub fn with_aliases(toml_text: &str) -> Result<Gazetteer, AliasError> {
        let file: AliasFile = toml::from_str(toml_text).map_err(|e| AliasError {
            line: e.span().map(|s| line_of(toml_text, s.start)),
            reason: e.message().trim().replace('\n', " "),
        })?;
        // The built-in tables are static: the built-in lines are keyed again here, into
        // maps the user's spellings go on top of.
        let mut g = Built::builtin();
        for spanned in file.entity {
            let line = Some(line_of(toml_text, spanned.span().start));
            let e = spanned.into_inner();
            let err = |reason: String| AliasError { line, reason };
            let canonical = e.canonical.trim();
            if canonical.is_empty() {
                return Err(err("entity has an empty `canonical`".into()));
            }
            let kind = match e.kind.trim() {
                "person" => EntityKind::Person,
                "place" => EntityKind::Place,
                "organization" | "organisation" => EntityKind::Organization,
                "other" => EntityKind::Other,
                k => {
                    return Err(err(format!(
                        "entity `{canonical}`: unknown kind `{k}` (expected person, place, organization or other)"
                    )));
                }
            };
            if !e.names.iter().any(|n| !name_key(n).is_empty()) {
                return Err(err(format!("entity `{canonical}` has no usable `names`")));
            }
            if let Some(bad) = e
                .short
                .iter()
                .chain(&e.titles)
                .find(|n| name_key(n).is_empty())
            {
                return Err(err(format!(
                    "entity `{canonical}`: empty short form or title `{bad}`"
                )));
            }
            let id = g.entry(canonical, kind);
            let mut kb = KeyBuilder::default();
            for n in &e.names {
                g.add_form(id, n, Form::Name, true, &mut kb);
            }
            for n in &e.short {
                g.add_form(id, n, Form::Short, true, &mut kb);
            }
            for n in &e.titles {
                g.add_form(id, n, Form::Title, true, &mut kb);
            }
        }
        Ok(Gazetteer {
            id: next_id(),
            tables: Tables::Built(Box::new(g)),
        })
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        match &self.tables {
            Tables::Builtin => builtin::KINDS.len(),
            Tables::Built(b) => b.entries.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The canonical name and kind of entity `i`.
    #[inline]
    pub(super) fn entry(&self, i: u32) -> (&str, EntityKind) {
        match &self.tables {
            Tables::Builtin => builtin::entry(i as usize),
            Tables::Built(b) => {
                let e = &b.entries[i as usize];
                (&e.canonical, e.kind)
            }
        }
    }

    /// The canonical name and kind of the entity one of whose names is `name`.
    pub fn lookup(&self, name: &str) -> Option<(&str, EntityKind)> {
        let m = find_matches(&Tokens::new(name), self);
        match m.as_slice() {
            [one] => Some(self.entry(one.entry)),
            _ => None,
        }
    }
}

impl Built {
    /// The built-in gazetteer, keyed at run time (what build.rs does at build time).
    pub(super) fn builtin() -> Built {
        let mut g = Built::default();
        // Sized once: grown by doubling, the maps rehashed every key
        // several times (a tenth of the build). Each spelling ends at a `,`
        // or a `|`; each line is at most one entity.
        let bytes = BUILTIN.as_bytes();
        let spellings = memchr::memchr2_iter(b',', b'|', bytes).count();
        let lines = memchr::memchr_iter(b'\n', bytes).count();
        g.exact.reserve(spellings);
        g.phon.reserve(spellings);
        g.skel.reserve(spellings);
        g.first.reserve(spellings);
        g.whole.reserve(2 * spellings);
        g.entries.reserve(lines);
        g.by_canonical.reserve(lines);
        let mut kb = KeyBuilder::default();
        for line in BUILTIN.lines() {
            g.add_line(line, &mut kb);
        }
        g
    }

    /// `kb`: scratch space, reused from form to form.
    fn add_line(&mut self, line: &str, kb: &mut KeyBuilder) {
        let Some((kind, canonical, lists)) = gazetteer_line(line) else {
            return;
        };
        let kind = match kind {
            "P" => EntityKind::Person,
            "L" => EntityKind::Place,
            "O" => EntityKind::Organization,
            _ => EntityKind::Other,
        };
        let id = self.entry(canonical, kind);
        for (form, list) in [Form::Name, Form::Short, Form::Title]
            .into_iter()
            .zip(lists)
        {
            for n in list.split(',') {
                self.add_form(id, n, form, false, kb);
            }
        }
    }

    pub(super) fn entry(&mut self, canonical: &str, kind: EntityKind) -> u32 {
        if let Some(&id) = self.by_canonical.get(canonical) {
            return id;
        }
        let id = self.entries.len() as u32;
        self.entries.push(Entry {
            canonical: canonical.into(),
            kind,
        });
        self.by_canonical.insert(canonical.into(), id);
        id
    }

    fn add_form(&mut self, entry: u32, name: &str, form: Form, front: bool, kb: &mut KeyBuilder) {
        let Some(s) = spelling(name, form == Form::Short, kb) else {
            return;
        };
        let hit = Hit {
            entry,
            form,
            acronym: s.acronym,
            capital: s.capital,
            tokens: s.tokens,
            last: s.last,
            phon_len: s.phon_len,
        };
        insert_hit(&mut self.exact, &kb.light, hit, front);
        if s.in_phon {
            insert_hit(&mut self.phon, &kb.phon, hit, front);
        }
        let mut firsts = vec![s.first_phon];
        self.whole.insert(kb.phon_h, ());
        self.whole_bits.insert(kb.phon_h);
        if s.in_skel {
            insert_hit(&mut self.skel, &kb.skel, hit, front);
            firsts.push(s.first_skel);
            self.whole.insert(kb.skel_h, ());
            self.whole_bits.insert(kb.skel_h);
        }
        // The keys' hashes are built letter by letter (`mix`), so these are the hashes the
        // matcher holds after each word of a spelling, and after any letter in between.
        for key in [&kb.phon, &kb.skel] {
            let mut h = 0;
            for c in key.chars() {
                h = mix(h, c);
                self.prefix_bits.insert(h);
            }
        }
        // Exact and phonetic matches imply equal phonetic keys, so the first token's phonetic
        // hash is enough for them; the skeleton hash only for spellings in `skel`.
        for k in firsts {
            self.first_bits.insert(k);
            let e = self.first.entry(k).or_insert(0);
            *e = (*e).max(s.tokens);
        }
    }
}

fn insert_hit(map: &mut FxMap<Box<str>, Vec<Hit>>, key: &str, hit: Hit, front: bool) {
    let v = map.entry(key.into()).or_default();
    if v.iter().any(|h| h.entry == hit.entry && h.form == hit.form) {
        return;
    }
    if front {
        v.insert(0, hit);
    } else {
        v.push(hit);
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    let end = byte.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
