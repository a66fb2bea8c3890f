//! `track demo`: the bundled fixtures through a fresh store, step by step.
//!
//! The fixtures are compiled into the binary so the demo runs anywhere.

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use clap::Args;

use super::error::{CliError, exit};
use super::{Context, Format, add, read};
use track::ingest::{self, Candidate, DEFAULT_MAX_BYTES, IngestOptions, InputFormat};
use track::store::{OpenMode, Store};

#[derive(Debug, Args)]
pub struct DemoArgs {}

const SEED_000: &str = "000_00b06d22c5d2f91c";
const SEED_004: &str = "004_f29be4e2a4ac97ad";

macro_rules! fixture {
    ($path:literal) => {
        (
            $path,
            include_bytes!(concat!("../../fixtures/", $path)).as_slice(),
        )
    };
}

/// (what the step shows, fixture, the article key: None = from the page)
type Step = (
    &'static str,
    (&'static str, &'static [u8]),
    Option<&'static str>,
);

const STEPS: &[Step] = &[
    (
        "Two outlets' reports of one event (Arabic, UTF-8)",
        fixture!("seeds/000_00b06d22c5d2f91c.txt"),
        Some(SEED_000),
    ),
    (
        "",
        fixture!("seeds/004_f29be4e2a4ac97ad.txt"),
        Some(SEED_004),
    ),
    (
        "The same scrape again: an observation, not a version",
        fixture!("seeds/000_00b06d22c5d2f91c.txt"),
        Some(SEED_000),
    ),
    (
        "Re-scrapes that differ only in encoding, BOM, CRLF or trailing spaces",
        fixture!("encodings/000.windows-1256.txt"),
        Some(SEED_000),
    ),
    ("", fixture!("encodings/000.utf-16le.txt"), Some(SEED_000)),
    (
        "",
        fixture!("encodings/000.crlf-trailing-space.txt"),
        Some(SEED_000),
    ),
    (
        "A silent edit: the death toll raised, a sentence added",
        fixture!("edits/000_v2.txt"),
        Some(SEED_000),
    ),
    (
        "The outlet puts the old text back: a revert, no new blob",
        fixture!("seeds/000_00b06d22c5d2f91c.txt"),
        Some(SEED_000),
    ),
    (
        "An HTML page: the article is extracted, keyed by its canonical URL",
        fixture!("html/000.html"),
        None,
    ),
];

pub fn run(explicit_db: Option<PathBuf>, _args: DemoArgs) -> Result<i32, CliError> {
    let temp;
    let db = match explicit_db {
        Some(path) => {
            if path.exists() {
                return Err(CliError::input(format!(
                    "{}: already exists; the demo builds a fresh store (give a new path, or none)",
                    path.display()
                )));
            }
            path
        }
        None => {
            temp = std::env::temp_dir().join(format!("track-demo-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&temp);
            temp.join("track.db")
        }
    };
    let mut store = Store::open(&db, OpenMode::Create)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "track demo: a fresh store at {}\n", db.display())?;

    // Scrape times an hour apart, so the log reads like a real history.
    let start: DateTime<Utc> = DateTime::parse_from_rfc3339("2025-12-25T08:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| CliError::internal(e.to_string()))?;
    for (i, (heading, (name, bytes), key)) in STEPS.iter().enumerate() {
        if !heading.is_empty() {
            writeln!(out, "## {heading}")?;
        }
        let key_arg = match key {
            Some(k) if *k != file_stem(name) => format!("--key {k} "),
            _ => String::new(),
        };
        writeln!(out, "$ track add {key_arg}fixtures/{name}")?;
        let opts = IngestOptions {
            key: key.map(str::to_string),
            url: None,
            observed_at: start + Duration::hours(i as i64),
            time: ingest::ObservedTime::Given,
            max_bytes: DEFAULT_MAX_BYTES,
            encoding: None,
            // As `track add` reads the file it names: by its ending.
            format: if name.ends_with(".html") {
                InputFormat::Html
            } else {
                InputFormat::Auto
            },
            selectors: Default::default(),
        };
        let candidate = Candidate::Bytes {
            name: format!("fixtures/{name}"),
            bytes: bytes.to_vec(),
        };
        let mut write_error = None;
        ingest::ingest(&mut store, vec![candidate], &opts, 1, |outcomes| {
            for o in outcomes {
                if let Err(e) = add::print_term(&mut out, o) {
                    write_error.get_or_insert(e);
                }
            }
        })?;
        if let Some(e) = write_error {
            return Err(e.into());
        }
        if STEPS.get(i + 1).is_none_or(|s| !s.0.is_empty()) {
            writeln!(out)?;
        }
    }
    drop(out);
    let ctx = Context { db: db.clone() };
    println!("$ track list");
    read::list(
        &ctx,
        &read::FormatArgs {
            format: Format::Term,
        },
    )?;
    println!("\n$ track log {SEED_000}");
    read::log(
        &ctx,
        &read::LogArgs {
            key: SEED_000.into(),
            format: Format::Term,
        },
    )?;
    println!("\n$ track log {SEED_004}");
    read::log(
        &ctx,
        &read::LogArgs {
            key: SEED_004.into(),
            format: Format::Term,
        },
    )?;
    println!("\n$ track diff {SEED_000}@1 {SEED_000}@2");
    super::diff::run(
        &ctx,
        &super::diff::DiffArgs {
            refs: vec![format!("{SEED_000}@1"), format!("{SEED_000}@2")],
            format: super::diff::DiffFormat::Term,
            context: Some(1),
            only: None,
            ignore_orthographic: false,
            color: super::diff::ColorChoice::Never,
            output: None,
            aliases: Default::default(),
            min_confidence: None,
            time_budget: None,
        },
    )?;
    cross_outlet(&store)?;
    let stats = store.stats()?;
    println!(
        "\n{} articles, {} versions, {} observations; {} blobs: {} bytes of text kept in {} bytes",
        stats.articles,
        stats.versions,
        stats.observations,
        stats.blobs,
        stats.blob_bytes,
        stats.stored_bytes
    );
    let report = store.verify()?;
    println!(
        "$ track verify\nverified {} blobs: {}",
        report.blobs,
        if report.problems.is_empty() {
            "ok"
        } else {
            "DAMAGED"
        }
    );
    println!(
        "\nThe store is kept: try `track --db {} show {SEED_000}@2`",
        db.display()
    );
    Ok(exit::OK)
}

fn file_stem(name: &str) -> String {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.split('.').next().unwrap_or(base).to_string()
}

/// The two outlets' claims side by side: what they share and where they
/// contradict each other.
fn cross_outlet(store: &Store) -> Result<(), CliError> {
    use track::claims::compare::Status;
    use track::compare::{CompareOptions, Pair, compare};
    use track::report::Mode;
    use track::store::VersionRef;

    let version = |key: &str| {
        store.version(&VersionRef {
            key: key.into(),
            version: Some(1),
        })
    };
    let pair = Pair {
        mode: Mode::Articles,
        from: version(SEED_000)?,
        to: version(SEED_004)?,
        revert: false,
    };
    let report = compare(store, &pair, &CompareOptions::default());
    let (shown, held_back) = report.shown_claims();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "\n$ track diff {SEED_000} {SEED_004}   # two outlets, one event: claims side by side"
    )?;
    if let Some(summary) = &report.summary {
        writeln!(
            out,
            "{}",
            track::report::summary_line(summary, report.summary_min_confidence)
        )?;
    }
    let count = |s: Status| shown.iter().filter(|r| r.status == s).count();
    for row in shown.iter().filter(|r| {
        matches!(
            r.status,
            Status::Conflicting | Status::Shared | Status::Related
        )
    }) {
        let label = match row.status {
            Status::Conflicting => "≠ conflicting",
            Status::Shared => "= shared",
            _ => "≈ related",
        };
        let sure = row.confidence.unwrap_or(1.0);
        writeln!(out, "{label} ({:.0} % sure)", 100.0 * sure)?;
        // Each value on its own labelled line: `old → new` on one line reads
        // backwards in a bidi terminal when the values are Arabic.
        let labels = [format!("in {SEED_000}"), format!("in {SEED_004}")];
        for change in &row.changes {
            let lines = track::report::describe_change(change, [&labels[0], &labels[1]]);
            for (i, line) in lines.iter().enumerate() {
                writeln!(out, "{}{line}", if i == 0 { "  " } else { "    " })?;
            }
        }
        for side in [&row.from, &row.to].into_iter().flatten() {
            writeln!(out, "    #{}: {}", side.sentence, side.text)?;
        }
    }
    writeln!(
        out,
        "{} claims only in {SEED_000}, {} only in {SEED_004}; {held_back} rows held back below {:.0} % sure (all of them: track diff --format json {SEED_000} {SEED_004})",
        count(Status::OnlyFrom),
        count(Status::OnlyTo),
        100.0 * report.min_confidence
    )?;
    Ok(())
}
