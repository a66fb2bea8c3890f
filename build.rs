//! Build-time work that saves every run of `track` a fixed cost.
//!
//! 1. The claim models (`src/claims/model.json`, ~94 KB of decimal floats)
//!    are packed into a binary value tree (`$OUT_DIR/model.bin`): parsing the
//!    JSON took ~3 M instructions at every start that compares claims. The
//!    numbers are parsed here by serde_json, as `models()` parsed them, and
//!    kept as the same u64 / i64 / f64, so the weights are bit-identical
//!    (`packed::tests` checks it against the JSON). Format: see `src/packed.rs`.
//! 2. The models' `min_confidence` as a constant (`$OUT_DIR/model_consts.rs`):
//!    every report carries it, and a versions diff needs nothing else of the
//!    models, whose unpacking was ~0.6 M instructions of its fixed cost.
//! 3. A fingerprint of the sources (`$OUT_DIR/fingerprint.rs`): claim rows
//!    cached in a store are valid only for the build that computed them, and
//!    no version number a person must remember to bump says when comparing
//!    changed.
//! 4. The claim comparison's word lists, demonyms and the gazetteer's
//!    countries as static hash tables (`$OUT_DIR/claim_tables.rs`, probed by
//!    `src/claims/static_map.rs`): folding and inserting them into hash maps
//!    was ~2.2 M instructions at every start that compares claims. Words are
//!    folded by the crate's own `match_key` (normalize.rs, included below),
//!    and `claims::tables::tests` checks every entry against the run-time
//!    construction.
//! 5. The built-in gazetteer, keyed (`$OUT_DIR/gazetteer.rs`, included by
//!    `claims::entity::builtin`), and the extractors' lexicon: tokenising and
//!    keying ~4,000 spellings into hash maps and bit filters was ~12.5 M
//!    instructions at every start that extracts claims. The spellings are
//!    keyed by the crate's own tokeniser and name keys (`src/claims/names.rs`,
//!    included below); `claims::entity::tests` checks every table against the
//!    run-time construction, which alias files still use.
//! 6. The number words, date words and counted nouns with their currency words
//!    (`$OUT_DIR/number_words.rs`, `date_words.rs`, `unit_words.rs`), with the bit filters
//!    over them and over the clitic forms the extractors look up: building them as hash maps
//!    on first use was ~1.5 M instructions of every process that extracts claims. The lists
//!    live in `src/claims/quantity/number_words.rs`, `src/claims/date_words.rs` and
//!    `src/claims/quantity/unit_words.rs`, folded here by the crate's own `fold_word`
//!    (`src/claims/quantity/fold.rs`); the modules' tests check every table against them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

// normalize.rs hashes version identities with `blake3::hash`, which folding
// words never calls: this script stands in for the crate (see `hash`).
extern crate self as blake3;

// At the crate's paths, for names.rs.
#[path = "src/text"]
mod text {
    #[allow(dead_code)]
    pub mod normalize;
}
use text::normalize;

#[path = "src/claims"]
mod claims {
    #[allow(dead_code)]
    pub mod names;

    /// What names.rs uses of entity.rs.
    pub mod entity {
        /// The tokens' lexicon bits, which keying names never reads.
        pub fn lex_of(_: &str) -> u32 {
            0
        }
    }
}

#[allow(dead_code)]
#[path = "src/claims/lexicon.rs"]
mod lexicon;

#[path = "src/claims/quantity/fold.rs"]
mod fold;

#[allow(dead_code)]
#[path = "src/claims/quantity/number_words.rs"]
mod number_words;

#[allow(dead_code)]
#[path = "src/claims/date_words.rs"]
mod date_words;

#[allow(dead_code)]
#[path = "src/claims/quantity/unit_words.rs"]
mod unit_words;

#[allow(dead_code)]
#[path = "src/claims/static_map.rs"]
mod static_map;

/// `blake3::hash` for normalize.rs (never called here).
fn hash(_: &[u8]) -> Hash {
    unreachable!("build.rs hashes no version identities")
}

/// `blake3::Hash`, as far as normalize.rs uses it.
struct Hash;

impl From<Hash> for [u8; 32] {
    fn from(_: Hash) -> Self {
        unreachable!("build.rs hashes no version identities")
    }
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/claims/model.json");
    let json = std::fs::read_to_string("src/claims/model.json").expect("src/claims/model.json");
    let value: Value = serde_json::from_str(&json).expect("src/claims/model.json must parse");
    let mut packed = Vec::new();
    pack(&value, &mut packed);
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(Path::new(&out).join("model.bin"), packed).expect("write model.bin");
    // As serde reads a JSON float into an f32 field: the f64, then `as f32`.
    let min = value["min_confidence"]
        .as_f64()
        .expect("model.json has a numeric min_confidence") as f32;
    let summary_min = value["summary_min_confidence"]
        .as_f64()
        .map_or(min, |v| v as f32);
    let consts = format!(
        "/// `models().min_confidence`, bit for bit (written by build.rs).\n\
         pub const MIN_CONFIDENCE: f32 = f32::from_bits({:#010x});\n\
         /// `models().summary_min_confidence` (else `min_confidence`), bit for bit.\n\
         pub const SUMMARY_MIN_CONFIDENCE: f32 = f32::from_bits({:#010x});\n",
        min.to_bits(),
        summary_min.to_bits()
    );
    std::fs::write(Path::new(&out).join("model_consts.rs"), consts).expect("write model_consts.rs");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let mut files = Vec::new();
    sources(Path::new("src"), &mut files);
    files.push("Cargo.lock".into());
    files.sort();
    // Two SipHash passes (fixed keys) make 128 bits: enough to tell builds
    // apart, and nothing to add to the build's dependencies.
    let mut halves = [0u64; 2];
    for (n, half) in halves.iter_mut().enumerate() {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        (n, env!("CARGO_PKG_VERSION")).hash(&mut h);
        for f in &files {
            f.to_string_lossy().hash(&mut h);
            std::fs::read(f).unwrap_or_default().hash(&mut h);
        }
        *half = h.finish();
    }
    let fingerprint = format!(
        "/// The sources this build was made from, hashed (written by build.rs).\n\
         pub const SOURCE_FINGERPRINT: &str = \"{:016x}{:016x}\";\n",
        halves[0], halves[1]
    );
    std::fs::write(Path::new(&out).join("fingerprint.rs"), fingerprint)
        .expect("write fingerprint.rs");
    std::fs::write(Path::new(&out).join("claim_tables.rs"), claim_tables())
        .expect("write claim_tables.rs");
    std::fs::write(Path::new(&out).join("gazetteer.rs"), gazetteer_tables())
        .expect("write gazetteer.rs");
    std::fs::write(Path::new(&out).join("number_words.rs"), number_tables())
        .expect("write number_words.rs");
    std::fs::write(Path::new(&out).join("date_words.rs"), date_tables())
        .expect("write date_words.rs");
    std::fs::write(Path::new(&out).join("unit_words.rs"), unit_tables())
        .expect("write unit_words.rs");
}

/// The built-in gazetteer's tables (`claims::entity::builtin`): `gazetteer.txt` keyed by
/// the crate's own names.rs and added as `Built::builtin` adds it at run time (the first
/// entity of a canonical name keeps its kind; a spelling lists each entity and form once,
/// in line order; a first-word hash keeps the most tokens). `entity::tests` checks every
/// table against the run-time construction.
fn gazetteer_tables() -> String {
    use claims::names::{Bits, HASH_WORDS, KeyBuilder, gazetteer_line, hash_bit, mix, spelling};
    type Hits = BTreeMap<String, Vec<String>>;
    let text = std::fs::read_to_string("src/claims/gazetteer.txt").expect("gazetteer.txt");
    let mut entries: Vec<(String, &str)> = Vec::new();
    let mut by_canonical: BTreeMap<String, u32> = BTreeMap::new();
    let (mut exact, mut phon, mut skel) = (Hits::new(), Hits::new(), Hits::new());
    // A hit as Rust, and its (entry, form) for the one-per-spelling rule.
    let insert = |map: &mut Hits, key: &str, lit: &str, id: &str| {
        let v = map.entry(key.to_string()).or_default();
        if !v.iter().any(|h| h.starts_with(id)) {
            v.push(lit.to_string());
        }
    };
    let mut first: BTreeMap<u64, u8> = BTreeMap::new();
    let mut whole: BTreeSet<u64> = BTreeSet::new();
    let mut bits: [Box<Bits>; 3] = [(); 3].map(|()| Box::new([0u64; HASH_WORDS]));
    let set = |b: &mut Bits, h: u64| {
        let (w, m) = hash_bit(h);
        b[w] |= m;
    };
    let mut kb = KeyBuilder::default();
    for line in text.lines() {
        let Some((kind, canonical, lists)) = gazetteer_line(line) else {
            continue;
        };
        let kind = match kind {
            "P" => "Person",
            "L" => "Place",
            "O" => "Organization",
            _ => "Other",
        };
        let next = entries.len() as u32;
        let entry = *by_canonical
            .entry(canonical.to_string())
            .or_insert_with(|| {
                entries.push((canonical.to_string(), kind));
                next
            });
        for (form, list) in lists.into_iter().enumerate() {
            for n in list.split(',') {
                let Some(s) = spelling(n, form == 1, &mut kb) else {
                    continue;
                };
                let id = format!("hit({entry}, {form}, ");
                let lit = format!(
                    "{id}{}, {}, {}, '\\u{{{:x}}}', {})",
                    s.acronym, s.capital, s.tokens, s.last as u32, s.phon_len
                );
                insert(&mut exact, &kb.light, &lit, &id);
                if s.in_phon {
                    insert(&mut phon, &kb.phon, &lit, &id);
                }
                let mut firsts = vec![s.first_phon];
                whole.insert(kb.phon_h);
                set(&mut bits[1], kb.phon_h);
                if s.in_skel {
                    insert(&mut skel, &kb.skel, &lit, &id);
                    firsts.push(s.first_skel);
                    whole.insert(kb.skel_h);
                    set(&mut bits[1], kb.skel_h);
                }
                for key in [&kb.phon, &kb.skel] {
                    let mut h = 0;
                    for c in key.chars() {
                        h = mix(h, c);
                        set(&mut bits[2], h);
                    }
                }
                for k in firsts {
                    set(&mut bits[0], k);
                    let e = first.entry(k).or_insert(0);
                    *e = (*e).max(s.tokens);
                }
            }
        }
    }
    let mut code = String::from("// Written by build.rs: the built-in gazetteer, keyed.\n\n");
    // Pointer-free, as `StaticMap` (no relocations): the canonical names concatenated.
    let names: Vec<&str> = entries.iter().map(|(c, _)| c.as_str()).collect();
    let mut offsets = vec![0usize];
    for n in &names {
        offsets.push(offsets[offsets.len() - 1] + n.len());
    }
    let _ = writeln!(code, "pub static NAMES: &str = {:?};", names.concat());
    let _ = writeln!(code, "pub static NAME_OFFSETS: &[u32] = &{offsets:?};");
    let kinds: Vec<String> = entries
        .iter()
        .map(|(_, k)| format!("EntityKind::{k}"))
        .collect();
    let _ = writeln!(
        code,
        "pub static KINDS: &[EntityKind] = &[{}];\n",
        kinds.join(", ")
    );
    // Each map's hits in one array; a key's value is its range there.
    for (name, map) in [("EXACT", exact), ("PHON", phon), ("SKEL", skel)] {
        let mut all = Vec::new();
        let map = map
            .into_iter()
            .map(|(k, hits)| {
                let start = all.len();
                all.extend(hits);
                (k, format!("({start}, {})", all.len()))
            })
            .collect();
        table(&mut code, name, "(u32, u32)", &map);
        let _ = writeln!(
            code,
            "pub static {name}_HITS: &[Hit] = &[{}];\n",
            all.join(", ")
        );
    }
    let whole: Vec<(u64, u8)> = whole.into_iter().map(|h| (h, 1)).collect();
    let first: Vec<(u64, u8)> = first.into_iter().collect();
    for (name, entries) in [("FIRST", first), ("WHOLE", whole)] {
        let (keys, values) = static_map::layout_u64(&entries);
        let _ = writeln!(code, "pub static {name}: StaticU64Map = StaticU64Map {{");
        let _ = writeln!(code, "    keys: &{keys:?},");
        let _ = writeln!(code, "    values: &{values:?},");
        let _ = writeln!(code, "}};\n");
    }
    for (name, b) in ["FIRST_BITS", "WHOLE_BITS", "PREFIX_BITS"]
        .iter()
        .zip(&bits)
    {
        let _ = writeln!(code, "pub static {name}: Bits = {:?};\n", &b[..]);
    }
    // The extractors' lexicons (`entity::lex_of`): each word with the bits of every list
    // that has it, and the filter over `bloom_slot`, as `entity::lexicon` built them.
    let mut words: BTreeMap<String, u32> = BTreeMap::new();
    for (file, list, bit) in claims::names::LEXICON_LISTS {
        let src = std::fs::read_to_string(format!("src/claims/{file}")).expect(file);
        for w in literals(&src, list) {
            *words.entry(w).or_insert(0) |= bit;
        }
    }
    let bloom = bloom_bits(words.keys());
    let words = words.into_iter().map(|(w, b)| (w, b.to_string())).collect();
    table(&mut code, "LEXICON", "u32", &words);
    let _ = writeln!(code, "pub static LEXICON_BLOOM: [u64; 1024] = {bloom:?};");
    code
}

/// The tables of `src/claims/tables.rs`, as Rust: each entry exactly what the
/// run-time construction they replace gave (same folding, same first or last
/// entry kept where two lists give a word).
fn claim_tables() -> String {
    let fold = |w: &str| normalize::match_key(w).trim().to_string();
    let set = |words: &[&str]| -> BTreeSet<String> { words.iter().map(|w| fold(w)).collect() };
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut code = String::from("// Written by build.rs: the word lists folded at build time.\n\n");
    let sets = |code: &mut String, name: &str, words: BTreeSet<String>| {
        let entries: BTreeMap<String, String> =
            words.into_iter().map(|w| (w, "()".into())).collect();
        table(code, name, "()", &entries);
    };
    sets(&mut code, "STOPWORDS", set(lexicon::STOPWORDS));
    sets(&mut code, "FAILURE", set(lexicon::FAILURE));
    sets(&mut code, "ABSENCE", set(lexicon::ABSENCE));
    sets(&mut code, "ENDERS", set(lexicon::ENDERS));
    sets(&mut code, "CASUALTY_UNITS", set(lexicon::CASUALTY_UNITS));
    let attribution = read("src/claims/attribution.rs");
    let verbs = |name: &str| literals(&attribution, name);
    let reporting: BTreeSet<String> = verbs("AR_VERBS")
        .iter()
        .chain(&verbs("EN_VERBS"))
        .map(|w| fold(w))
        .collect();
    sets(&mut code, "REPORTING", reporting);
    // A word may cue several events: all of them, in list order.
    let mut event_of: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (e, cues) in lexicon::EVENTS {
        for w in set(cues) {
            event_of.entry(w).or_default().push(e);
        }
    }
    let event_of = event_of
        .into_iter()
        .map(|(w, es)| (w, format!("&{es:?}")))
        .collect();
    table(&mut code, "EVENT_OF", "&'static [&'static str]", &event_of);
    let mut pole_of: BTreeMap<String, Vec<(usize, bool)>> = BTreeMap::new();
    for (k, (up, down)) in lexicon::OPPOSITES.iter().enumerate() {
        for (words, is_up) in [(up, true), (down, false)] {
            for w in set(words) {
                pole_of.entry(w).or_default().push((k, is_up));
            }
        }
    }
    let pole_of = pole_of
        .into_iter()
        .map(|(w, ps)| (w, format!("&{ps:?}")))
        .collect();
    table(&mut code, "POLE_OF", "&'static [(usize, bool)]", &pole_of);
    // A word of two assets or indicators names the last (as collecting them
    // into a map did).
    for (name, lists) in [
        ("ASSETS", lexicon::ASSETS),
        ("INDICATORS", lexicon::INDICATORS),
    ] {
        let mut m = BTreeMap::new();
        for (c, words) in lists {
            for w in set(words) {
                m.insert(w, format!("{c:?}"));
            }
        }
        table(&mut code, name, "&'static str", &m);
    }
    // Demonyms: every stem with every nisba ending, then whole words; the
    // first list to give a form keeps it.
    let demonym = read("src/claims/demonym.rs");
    let mut demonyms = BTreeMap::new();
    let suffixes = literals(&demonym, "SUFFIXES");
    for pair in literals(&demonym, "ARABIC").chunks(2) {
        let stem = fold(&pair[0]);
        for s in &suffixes {
            demonyms
                .entry(format!("{stem}{s}"))
                .or_insert_with(|| format!("{:?}", pair[1]));
        }
    }
    for pair in literals(&demonym, "WORDS").chunks(2) {
        demonyms
            .entry(fold(&pair[0]))
            .or_insert_with(|| format!("{:?}", pair[1]));
    }
    table(&mut code, "DEMONYMS", "&'static str", &demonyms);
    // The gazetteer's `IN|Country|places` lines: a place named twice lies in
    // the country of its last line.
    let mut country_of = BTreeMap::new();
    for line in read("src/claims/gazetteer.txt")
        .lines()
        .filter_map(|l| l.trim().strip_prefix("IN|"))
    {
        let mut parts = line.split('|');
        let Some(country) = parts.next().map(str::trim).filter(|c| !c.is_empty()) else {
            continue;
        };
        country_of.insert(country.to_string(), format!("{country:?}"));
        for place in parts.next().unwrap_or("").split(',').map(str::trim) {
            if !place.is_empty() {
                country_of.insert(place.to_string(), format!("{country:?}"));
            }
        }
    }
    table(&mut code, "COUNTRY_OF", "&'static str", &country_of);
    code
}

/// The number words (`src/claims/quantity/number_words.rs`) folded into `NUMBER_WORDS`,
/// with the filters over them and over every form `num_word_clitic` may be asked.
fn number_tables() -> String {
    let mut words = BTreeMap::new();
    number_words::number_words(&mut |w, nw| {
        // Later entries replace earlier ones, as inserting into a hash map did.
        words.insert(fold::fold_word(w), format!("NW::{nw:?}"));
    });
    let mut forms = Vec::new();
    for w in words.keys() {
        number_words::clitic_forms(w, &mut |f| forms.push(f));
    }
    let mut code =
        String::from("// Written by build.rs: the number words folded at build time.\n\n");
    private_table(&mut code, "NUMBER_WORDS", "NW", &words);
    key_filter(&mut code, "NUMBER_WORDS_FILTER", words.keys());
    key_filter(&mut code, "NUMBER_FORMS_FILTER", forms.iter());
    code
}

/// The date words (`src/claims/date_words.rs`) folded into `DATE_WORDS`; `DATE_STARTS`,
/// every word `date::hit_at` looks further at (those words, their clitic forms, and the
/// lists of date.rs `maybe_date_word` knows, as written); and a filter over each.
fn date_tables() -> String {
    let mut words = BTreeMap::new();
    date_words::date_words(&mut |w, dw| {
        // Nested enums print bare in Debug: qualified here.
        let d = format!("{dw:?}");
        let d = match (d.strip_prefix("Head("), d.strip_prefix("Cycle(")) {
            (Some(inner), _) => format!("Head(Head::{inner}"),
            (_, Some(inner)) => format!("Cycle(Cyc::{inner}"),
            _ => d,
        };
        words.insert(fold::fold_word(w), format!("DW::{d}"));
    });
    let mut starts = BTreeMap::new();
    for w in words.keys() {
        date_words::clitic_forms(w, &mut |f| {
            starts.insert(f, "()".to_string());
        });
    }
    let src = std::fs::read_to_string("src/claims/date.rs").expect("src/claims/date.rs");
    for list in ["YEAR_STRONG", "YEAR_WEAK", "DATE_LEADS", "ORDINAL_DAYS"] {
        for w in literals(&src, list) {
            starts.insert(w, "()".to_string());
        }
    }
    let mut code = String::from("// Written by build.rs: the date words folded at build time.\n\n");
    private_table(&mut code, "DATE_WORDS", "DW", &words);
    key_filter(&mut code, "DATE_WORDS_FILTER", words.keys());
    private_table(&mut code, "DATE_STARTS", "()", &starts);
    key_filter(&mut code, "DATE_STARTS_FILTER", starts.keys());
    code
}

/// The counted nouns (`src/claims/quantity/unit_words.rs`) folded into `NOUN_LEX`, with
/// the filter over them, and the currency words into `CURRENCY_LEX`.
fn unit_tables() -> String {
    let mut nouns = BTreeMap::new();
    unit_words::noun_entries(&fold::fold_word, &mut |form, lemma, dual_ok| {
        // `units::NOUN_KEY_MAX`: the longest key the filter is asked about.
        assert!(form.len() <= 64, "{form}: a noun key longer than 64 bytes");
        nouns.insert(
            form,
            format!("NounEntry {{ lemma: {lemma:?}, dual_ok: {dual_ok} }}"),
        );
    });
    let mut currencies = BTreeMap::new();
    for (cur, words) in unit_words::CURRENCY_ROWS {
        for w in *words {
            currencies.insert(fold::fold_word(w), format!("Cur::{cur:?}"));
        }
    }
    let mut code = String::from("// Written by build.rs: the unit words folded at build time.\n\n");
    private_table(&mut code, "NOUN_LEX", "NounEntry", &nouns);
    key_filter(&mut code, "NOUN_FILTER", nouns.keys());
    private_table(&mut code, "CURRENCY_LEX", "Cur", &currencies);
    code
}

/// One `static NAME: KeyFilter` over `keys`.
fn key_filter<'a>(code: &mut String, name: &str, keys: impl Iterator<Item = &'a String>) {
    let bits = bloom_bits(keys);
    let _ = writeln!(code, "static {name}: KeyFilter = KeyFilter(&{bits:?});\n");
}

/// The 64K bits over `bloom_slot` of `keys`, as the entity lexicon's filter
/// and `KeyFilter::new` set them.
fn bloom_bits<'a>(keys: impl Iterator<Item = &'a String>) -> Vec<u64> {
    let mut bits = vec![0u64; 1024];
    for k in keys {
        let slot = claims::names::bloom_slot(k.as_bytes());
        bits[slot / 64] |= 1 << (slot % 64);
    }
    bits
}

/// One `pub static NAME: StaticMap<ty>`; values are Rust expressions.
fn table(code: &mut String, name: &str, ty: &str, entries: &BTreeMap<String, String>) {
    table_with(code, "pub ", name, ty, entries);
}

/// [`table`] private to the module that includes it, as its value type is.
fn private_table(code: &mut String, name: &str, ty: &str, entries: &BTreeMap<String, String>) {
    table_with(code, "", name, ty, entries);
}

fn table_with(
    code: &mut String,
    vis: &str,
    name: &str,
    ty: &str,
    entries: &BTreeMap<String, String>,
) {
    let keys: Vec<&str> = entries.keys().map(String::as_str).collect();
    let slots = static_map::layout(&keys);
    let _ = writeln!(code, "{vis}static {name}: StaticMap<{ty}> = StaticMap {{");
    let _ = writeln!(code, "    slots: &{slots:?},");
    let _ = writeln!(code, "    text: {:?},", keys.concat());
    let mut offsets = vec![0u32];
    for k in &keys {
        offsets.push(offsets[offsets.len() - 1] + u32::try_from(k.len()).expect("short"));
    }
    let _ = writeln!(code, "    offsets: &{offsets:?},");
    let values: Vec<&str> = entries.values().map(String::as_str).collect();
    let _ = writeln!(code, "    values: &[{}],", values.join(", "));
    let _ = writeln!(code, "}};\n");
}

/// The string literals of the list `const NAME` of a source file, in order:
/// lists that live beside the code using them (attribution.rs, demonym.rs)
/// are read as text. Plain literals only (anything else stops the build);
/// `claims::tables::tests` checks what comes of them against the constants.
fn literals(src: &str, name: &str) -> Vec<String> {
    let head = format!("const {name}: ");
    assert_eq!(src.matches(&head).count(), 1, "one `{head}` expected");
    let start = src.find(&head).expect("counted above");
    let body = &src[start..];
    let open = body
        .find("= &[")
        .unwrap_or_else(|| panic!("{name}: `= &[` expected"))
        + 4;
    // The first `];` after the opening: a list on one line closes on it.
    let close = body[open..]
        .find("];")
        .unwrap_or_else(|| panic!("{name}: no closing `];`"))
        + open;
    let mut out = Vec::new();
    for line in body[open..close].lines() {
        let t = line.trim();
        if t.starts_with("//") {
            continue;
        }
        assert!(!t.contains('\\'), "{name}: no escapes in `{t}`");
        let pieces: Vec<&str> = t.split('"').collect();
        assert!(pieces.len() % 2 == 1, "{name}: unbalanced quotes in `{t}`");
        for (i, p) in pieces.into_iter().enumerate() {
            if i % 2 == 1 {
                out.push(p.to_string());
            } else {
                assert!(
                    p.chars().all(|c| " ,()".contains(c)),
                    "{name}: `{p}` in `{t}`"
                );
            }
        }
    }
    out
}

/// Every file under `dir`.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// One value: a tag byte, then its content (lengths and counts as u32 LE).
fn pack(v: &Value, out: &mut Vec<u8>) {
    let len = |n: usize, out: &mut Vec<u8>| {
        out.extend_from_slice(&u32::try_from(n).expect("small").to_le_bytes());
    };
    match v {
        Value::Null => out.push(0),
        Value::Bool(b) => out.push(1 + u8::from(*b)),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                out.push(3);
                out.extend_from_slice(&u.to_le_bytes());
            } else if let Some(i) = n.as_i64() {
                out.push(4);
                out.extend_from_slice(&i.to_le_bytes());
            } else {
                out.push(5);
                let f = n.as_f64().expect("a JSON number is u64, i64 or f64");
                out.extend_from_slice(&f.to_bits().to_le_bytes());
            }
        }
        Value::String(s) => {
            out.push(6);
            len(s.len(), out);
            out.extend_from_slice(s.as_bytes());
        }
        Value::Array(items) => {
            out.push(7);
            len(items.len(), out);
            for item in items {
                pack(item, out);
            }
        }
        Value::Object(fields) => {
            out.push(8);
            len(fields.len(), out);
            for (k, item) in fields {
                len(k.len(), out);
                out.extend_from_slice(k.as_bytes());
                pack(item, out);
            }
        }
    }
}
