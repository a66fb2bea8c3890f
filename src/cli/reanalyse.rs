//! `track reanalyse`: re-run the cached analyses of every stored version
//! (after an analyser changed), in parallel, with a progress bar.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::claims::{AliasArgs, load_names};
use super::error::{CliError, exit};
use super::{Context, Format};
use track::analysis::{self, ReanalyseOptions, Reanalysed};
use track::store::OpenMode;
use track::text::visible::visible_line;

#[derive(Debug, Args)]
pub struct ReanalyseArgs {
    /// Analyse every version again, even those whose analyses are of the current analysers
    #[arg(long)]
    pub force: bool,

    /// Threads that read and analyse versions while one writes [default: the number of CPUs]
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    /// No progress bar
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Output: a summary line (term) or a JSON object (json)
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,

    #[command(flatten)]
    pub aliases: AliasArgs,
}

pub fn run(ctx: &Context, args: &ReanalyseArgs) -> Result<i32, CliError> {
    let names = load_names(&args.aliases)?;
    let mut store = ctx.open(OpenMode::Existing)?;
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if args.quiet || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} versions, {per_sec}, eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    let opts = ReanalyseOptions {
        names: &names,
        workers: args.jobs.map_or_else(super::default_jobs, usize::from),
        force: args.force,
    };
    let counts = analysis::reanalyse(&mut store, &opts, |counts, failures| {
        bar.set_length(counts.total as u64);
        bar.set_position(counts.versions as u64);
        for f in failures {
            let line = format!("{}@{}: {}", f.key, f.version, f.reason);
            bar.suspend(|| eprintln!("error: {}", visible_line(&line)));
        }
    })?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::json!({
                "versions": counts.versions,
                "analysed": counts.analysed,
                "fresh": counts.fresh,
                "failed": counts.failed,
                "seconds": (seconds * 1000.0).round() / 1000.0,
            })
        )?,
        Format::Term => writeln!(out, "{}", summary_line(&counts, seconds))?,
    }
    // A version that could not be read is damage, as `verify` reports it.
    Ok(if counts.failed > 0 {
        exit::DIFFERENCES
    } else {
        exit::OK
    })
}

fn summary_line(c: &Reanalysed, seconds: f64) -> String {
    let rate = if seconds > 0.0 {
        format!(", {:.0} versions/s", c.versions as f64 / seconds)
    } else {
        String::new()
    };
    format!(
        "{} versions: {} analysed, {} already fresh, {} failed ({seconds:.1} s{rate})",
        c.versions, c.analysed, c.fresh, c.failed
    )
}
