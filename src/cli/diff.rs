//! `track diff`: what changed between two versions, or between two articles.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::Context;
use super::claims::Names;
use super::error::{CliError, exit};
use track::analysis;
use track::claims::compare::{Status, compare_articles, compare_versions, statements};
use track::diff::{ARTICLES_THRESHOLD, DEFAULT_THRESHOLD, DiffOptions, diff_segmented};
use track::report::{self, DiffReport, Mode, Only, ReportOptions, TermOptions};
use track::store::{OpenMode, VersionRef, VersionText};

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

/// Two texts to compare, and how.
pub struct Resolved {
    pub mode: Mode,
    pub from: VersionText,
    pub to: VersionText,
    /// `from` → `to` is a step of the article's history that went back to an
    /// earlier version (a revert).
    pub revert: bool,
}

/// Resolve the REFs to the two texts to compare and the mode.
///
/// One REF shows the change that brought its text: `KEY` (the current text)
/// and `KEY@-N` from the state before them, so after a revert `diff KEY` is
/// the revert itself; `KEY@N` from the version current when N first appeared.
pub fn resolve(store: &track::store::Store, refs: &[String]) -> Result<Resolved, CliError> {
    match refs {
        [one] => {
            let reference = VersionRef::parse(one);
            let to = store.version(&reference)?;
            let step = store.step(&reference)?;
            let Some(previous) = step.from else {
                return Err(CliError::input(format!(
                    "{}@{} is the first version: nothing before it to compare (give two REFs)",
                    to.key, to.version
                )));
            };
            let from = store.version(&VersionRef {
                key: to.key.clone(),
                version: Some(previous),
            })?;
            Ok(Resolved {
                mode: Mode::Versions,
                from,
                to,
                revert: step.revert,
            })
        }
        [a, b] => {
            let from = store.version(&VersionRef::parse(a))?;
            let to_ref = VersionRef::parse(b);
            let to = store.version(&to_ref)?;
            if from.key != to.key {
                return Ok(Resolved {
                    mode: Mode::Articles,
                    from,
                    to,
                    revert: false,
                });
            }
            // `diff KEY@-1 KEY` is the same step as `diff KEY`.
            let step = store.step(&to_ref)?;
            let revert = step.revert && step.from == Some(from.version) && step.to == to.version;
            Ok(Resolved {
                mode: Mode::Versions,
                from,
                to,
                revert,
            })
        }
        _ => Err(CliError::input("give one or two REFs")),
    }
}

pub fn run(ctx: &Context, args: &DiffArgs) -> Result<i32, CliError> {
    let names = Names::load(&args.aliases)?;
    let store = ctx.open(OpenMode::Existing)?;
    let Resolved {
        mode,
        from,
        to,
        revert,
    } = resolve(&store, &args.refs)?;
    let threshold = match mode {
        Mode::Versions => DEFAULT_THRESHOLD,
        Mode::Articles => ARTICLES_THRESHOLD,
    };
    let diff = diff_segmented(
        &from.text,
        analysis::units(&store, &from),
        &to.text,
        analysis::units(&store, &to),
        &DiffOptions {
            match_threshold: threshold,
            ..DiffOptions::default()
        },
    );
    let opts = ReportOptions {
        only: args.only.map(|o| match o {
            OnlyArg::Added => Only::Added,
            OnlyArg::Removed => Only::Removed,
            OnlyArg::Changed => Only::Changed,
        }),
        ignore_orthographic: args.ignore_orthographic,
    };
    let mut report = DiffReport::new(mode, &from, &to, &diff, opts);
    report.revert = revert;
    let old_claims = analysis::claims(&store, &from, || names.gazetteer(), names.id());
    let new_claims = analysis::claims(&store, &to, || names.gazetteer(), names.id());
    report.claims = match mode {
        Mode::Versions => compare_versions(&diff, &from.text, &to.text, &old_claims, &new_claims),
        Mode::Articles => compare_articles(
            &statements(&from.text, &diff.old_units, &old_claims),
            &statements(&to.text, &diff.new_units, &new_claims),
        ),
    };
    // `--only` keeps the claims of the sentences it keeps: added (or only in the second
    // article), removed (or only in the first), changed (changed, reworded, conflicting).
    // Unchanged claims stay, as unchanged rows do (context; the terminal does not list them).
    if let Some(only) = opts.only {
        report.claims.retain(|c| match only {
            _ if c.status == Status::Unchanged => true,
            Only::Added => matches!(c.status, Status::Added | Status::OnlyTo),
            Only::Removed => matches!(c.status, Status::Removed | Status::OnlyFrom),
            Only::Changed => matches!(
                c.status,
                Status::Changed | Status::Reworded | Status::Conflicting
            ),
        });
    }

    let mut buffer: Vec<u8> = Vec::new();
    match args.format {
        DiffFormat::Json => {
            buffer = super::read::to_json(&report)?.into_bytes();
            buffer.push(b'\n');
        }
        DiffFormat::Html => report::render_html(&report, args.context.unwrap_or(3), &mut buffer)?,
        DiffFormat::Unified => {
            let old: Vec<&str> = diff.old_units.iter().map(|u| u.text(&from.text)).collect();
            let new: Vec<&str> = diff.new_units.iter().map(|u| u.text(&to.text)).collect();
            report::render_unified(&report, &old, &new, args.context.unwrap_or(3), &mut buffer)?;
        }
        DiffFormat::Term => {
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
                &report,
                TermOptions {
                    color,
                    context: args.context.unwrap_or(2),
                },
                &mut buffer,
            )?;
        }
    }
    match &args.output {
        Some(path) => std::fs::write(path, &buffer)
            .map_err(|e| CliError::input(format!("{}: cannot write: {e}", path.display())))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&buffer)?;
            out.flush()?;
        }
    }
    Ok(if report.has_differences() {
        exit::DIFFERENCES
    } else {
        exit::OK
    })
}
