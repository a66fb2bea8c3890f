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

use std::path::Path;

use serde_json::Value;

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
    let consts = format!(
        "/// `models().min_confidence`, bit for bit (written by build.rs).\n\
         pub const MIN_CONFIDENCE: f32 = f32::from_bits({:#010x});\n",
        min.to_bits()
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
