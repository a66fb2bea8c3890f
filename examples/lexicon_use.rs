//! How often each entry of the verdict lexicons fires on the labelled data
//! the claims model is trained and tuned on (`../shared/data`, train and dev
//! splits only: ANS, ArNLI, ArbTEDS, FNC-1 train, Baly dev). An entry that
//! never fires carries no learned weight: issue 12 deletes it.
//!
//!     cargo run --release --example lexicon_use -- [--data ../shared/data]
//!
//! Prints, per list, its entries, those that fire and the never-firing ones;
//! writes every entry with its count to `target/lexicon_use.tsv`.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use track::claims::lexicon_use::LexiconUse;

#[path = "common/data.rs"]
mod data;
use data::read_csv;

/// Every text of the train and dev splits, each once.
fn texts(data: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let columns: &[(&str, &[&str])] = &[
        ("ans/stance-train.csv", &["s1", "s2"]),
        ("ans/stance-dev.csv", &["s1", "s2"]),
        ("arnli/train_nli.csv", &["t", "h"]),
        ("arnli/valid_nli.csv", &["t", "h"]),
        ("arbteds/train_ArbTEDS.csv", &["t", "h"]),
        ("arbteds/valid_ArbTEDS.csv", &["t", "h"]),
        ("fnc1/train_bodies.csv", &["articleBody"]),
        ("fnc1/train_stances.csv", &["Headline"]),
    ];
    for (file, cols) in columns {
        for r in read_csv(&data.join(file)) {
            out.extend(cols.iter().map(|c| r[*c].clone()));
        }
    }
    let baly =
        std::fs::read_to_string(data.join("baly-dev/pairs.jsonl")).expect("baly-dev/pairs.jsonl");
    for line in baly.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("baly json");
        for field in ["claim", "article"] {
            out.push(v[field].as_str().unwrap_or_default().to_string());
        }
    }
    let mut seen = HashSet::new();
    out.retain(|t| seen.insert(blake3::hash(t.as_bytes())));
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = args
        .iter()
        .position(|a| a == "--data")
        .and_then(|i| args.get(i + 1))
        .map_or_else(|| PathBuf::from("../shared/data"), PathBuf::from);
    let texts = texts(&data);
    let mut usage = LexiconUse::new();
    for t in &texts {
        usage.read(t);
    }
    println!(
        "{} distinct texts read from {}",
        texts.len(),
        data.display()
    );
    let mut per_list: BTreeMap<&str, (usize, usize, Vec<String>)> = BTreeMap::new();
    let mut tsv = String::from("list\tclass\tword\tkey\twords_matched\n");
    for (e, n) in usage.counts() {
        let (total, firing, never) = per_list.entry(e.list).or_default();
        *total += 1;
        if n > 0 {
            *firing += 1;
        } else if e.class.is_empty() {
            never.push(e.word.to_string());
        } else {
            never.push(format!("{} ({})", e.word, e.class));
        }
        tsv.push_str(&format!(
            "{}\t{}\t{}\t{}\t{n}\n",
            e.list, e.class, e.word, e.key
        ));
    }
    for (list, (total, firing, never)) in &per_list {
        println!(
            "{list}: {total} entries, {firing} fire, {} never",
            never.len()
        );
        if !never.is_empty() {
            println!("  never: {}", never.join(" | "));
        }
    }
    let out = Path::new("target/lexicon_use.tsv");
    match std::fs::write(out, tsv) {
        Ok(()) => println!("every entry with its count: {}", out.display()),
        Err(e) => eprintln!("{}: {e}", out.display()),
    }
}
