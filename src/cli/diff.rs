//! `track diff`: what changed between two versions, or between two articles.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::Context;
use super::claims::load_names;
use super::error::{CliError, exit};
use track::analysis;
use track::compare::{self, CompareOptions};
use track::report::{self, DiffReport, Only, TermOptions};
use track::store::{OpenMode, Store, VersionText};

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// One REF (the change that brought its text: `diff KEY` is the latest change, a revert
    /// included), or two REFs: two versions of one article, or two different articles
    /// (KEY = the current text, KEY@N, KEY@-1 = the text current before it)
    #[arg(required = true, num_args = 1..=2, value_name = "REF")]
    pub refs: Vec<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: DiffFormat,

    /// Unchanged sentences shown around each change [default: 2 for term, 3 for unified and html]
    #[arg(long, value_name = "N")]
    pub context: Option<usize>,

    /// Show only these sentences (changed = edited, moved, split or merged)
    #[arg(long, value_enum)]
    pub only: Option<OnlyArg>,

    /// Treat edits of spelling only (diacritics, digit script, name variants) as unchanged
    #[arg(long)]
    pub ignore_orthographic: bool,

    /// Colour: auto (a terminal, and NO_COLOR unset), always, never
    #[arg(long, value_enum, default_value_t)]
    pub color: ColorChoice,

    /// Show claim rows, and the articles' overall verdict, from this
    /// confidence up (0 shows all) [default: the model's thresholds, chosen for
    /// precision on dev data: 90 % between articles, 70 % between versions]
    #[arg(long, value_name = "P", value_parser = parse_confidence)]
    pub min_confidence: Option<f32>,

    /// Milliseconds for aligning sentences and diffing their words; past it the
    /// word-level detail gets coarser, never wrong (0 = no limit) [default: 200]
    #[arg(long, value_name = "MS")]
    pub time_budget: Option<u64>,

    #[command(flatten)]
    pub aliases: super::claims::AliasArgs,

    /// Write the report to this file instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum DiffFormat {
    /// For people: colours, word changes inline
    #[default]
    Term,
    /// Like diff -u, one sentence per line
    Unified,
    /// The JSON contract
    Json,
    /// One self-contained HTML file: inline and side-by-side views
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnlyArg {
    Added,
    Removed,
    Changed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

fn parse_confidence(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("{s:?} is not a probability between 0 and 1")),
    }
}

pub fn run(ctx: &Context, args: &DiffArgs) -> Result<i32, CliError> {
    let options = CompareOptions {
        only: args.only.map(|o| match o {
            OnlyArg::Added => Only::Added,
            OnlyArg::Removed => Only::Removed,
            OnlyArg::Changed => Only::Changed,
        }),
        ignore_orthographic: args.ignore_orthographic,
        names: load_names(&args.aliases)?,
        min_confidence: args.min_confidence,
        time_budget: args.time_budget.map(|ms| match ms {
            0 => std::time::Duration::MAX,
            ms => std::time::Duration::from_millis(ms),
        }),
    };
    let store = ctx.open(OpenMode::Existing)?;
    let pair = compare::resolve(&store, &args.refs)?;
    match args.format {
        // Unified output reads the versions' units from the store.
        DiffFormat::Unified => {
            let report = compare::compare(&store, &pair, &options);
            let (old, new) = (unit_texts(&store, &pair.from), unit_texts(&store, &pair.to));
            let mut buffer = Vec::new();
            report::render_unified(&report, &old, &new, args.context.unwrap_or(3), &mut buffer)?;
            show(args, &report, &buffer)
        }
        // Shown while a long comparison is written to the store's cache.
        format => compare::compare_then(&store, &pair, &options, |report| {
            let buffer = render(format, &pair, args, &report)?;
            show(args, &report, &buffer)
        }),
    }
}

/// `report` in `format` (any but unified, which needs the versions' units).
fn render(
    format: DiffFormat,
    pair: &compare::Pair,
    args: &DiffArgs,
    report: &DiffReport,
) -> Result<Vec<u8>, CliError> {
    let mut buffer: Vec<u8> = Vec::new();
    match format {
        DiffFormat::Json => {
            // The texts, each about twice (both sides of a row), and the rest.
            let texts = pair.from.text.len() + pair.to.text.len();
            buffer = super::read::to_json_bytes(report, 5 * texts + 4096)?;
            buffer.push(b'\n');
        }
        DiffFormat::Html => report::render_html(report, args.context.unwrap_or(3), &mut buffer)?,
        // Unified output is rendered in `run`, where the units are read.
        DiffFormat::Term | DiffFormat::Unified => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    args.output.is_none()
                        && std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            report::render_term(
                report,
                TermOptions {
                    color,
                    context: args.context.unwrap_or(2),
                },
                &mut buffer,
            )?;
        }
    }
    Ok(buffer)
}

/// Write the rendered report to standard output or the file asked for; the
/// exit code.
fn show(args: &DiffArgs, report: &DiffReport, buffer: &[u8]) -> Result<i32, CliError> {
    match &args.output {
        Some(path) => std::fs::write(path, buffer)
            .map_err(|e| CliError::input(format!("{}: cannot write: {e}", path.display())))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(buffer)?;
            out.flush()?;
        }
    }
    Ok(if report.has_differences() {
        exit::DIFFERENCES
    } else {
        exit::OK
    })
}

/// A version's sentences (its cached units: the ones its report was aligned on).
fn unit_texts<'t>(store: &Store, version: &'t VersionText) -> Vec<&'t str> {
    analysis::units(store, version)
        .iter()
        .map(|u| u.text(&version.text))
        .collect()
}
