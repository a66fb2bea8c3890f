//! Claim extraction throughput on Arabic news text: the two seed articles
//! repeated to ~10 MB, extracted sentence by sentence on one thread.
//!
//! `cargo run --release --example bench_claims` (target: ≥ 20 MB/s per core).
//! `-- RUNS ROUNDS` (default 100 3) shortens it, e.g. `-- 2 1` under callgrind.

use std::time::Instant;

use track::claims::{ExtractOptions, extract};

/// The allocator the `track` binary extracts with (src/main.rs): with the
/// system's, a sixteenth of this benchmark was glibc's malloc and free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let seeds: String = ["000_00b06d22c5d2f91c", "004_f29be4e2a4ac97ad"]
        .iter()
        .map(|s| std::fs::read_to_string(format!("{root}/fixtures/seeds/{s}.txt")).expect("seed"))
        .collect::<Vec<_>>()
        .join("\n\n");
    // One article of ~100 KB, extracted 100 times: per-article work, as in use.
    let article = seeds.repeat(6);
    let opts = ExtractOptions::default();
    let mut args = std::env::args()
        .skip(1)
        .map(|a| a.parse::<usize>().expect("RUNS ROUNDS: numbers"));
    let runs = args.next().unwrap_or(100);
    let rounds = args.next().unwrap_or(3);
    let mut best = f64::MAX;
    let mut claims = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        for _ in 0..runs {
            claims = extract(&article, &opts).len();
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    let mb = (article.len() * runs) as f64 / 1e6;
    println!(
        "claim extraction: {mb:.1} MB of Arabic news in {best:.3} s on one thread = {:.1} MB/s ({claims} claims per {} KB article)",
        mb / best,
        article.len() / 1000
    );
}
