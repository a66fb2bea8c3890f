//! `track claims`: the claims of one version; and the gazetteer the claim
//! commands share.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::error::{CliError, exit};
use super::{Context, Format};
use track::claims::Slot;
use track::compare::Names;
use track::report::plural;
use track::store::{OpenMode, VersionRef};
use track::text::visible::visible_line;

#[derive(Debug, Args)]
pub struct ClaimsArgs {
    /// KEY (latest), KEY@N, KEY@-1
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    #[command(flatten)]
    pub aliases: AliasArgs,
}

#[derive(Debug, Args, Clone, Default)]
pub struct AliasArgs {
    /// Extra names for the entity gazetteer (TOML: [[entity]] canonical, kind, names, short)
    #[arg(long, value_name = "FILE")]
    pub aliases: Option<PathBuf>,
}

/// The gazetteer `--aliases` asks for.
pub fn load_names(args: &AliasArgs) -> Result<Names, CliError> {
    let Some(path) = &args.aliases else {
        return Ok(Names::Builtin);
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::input(format!("{}: cannot read: {e}", path.display())))?;
    Names::with_aliases(&text).map_err(|e| CliError::input(format!("{}: {e}", path.display())))
}

pub fn run(ctx: &Context, args: &ClaimsArgs) -> Result<i32, CliError> {
    let names = load_names(&args.aliases)?;
    let store = ctx.open(OpenMode::Existing)?;
    let version = store.version(&VersionRef::parse(&args.reference))?;
    // The article's claims: furniture learned on its host left out.
    let (version, _) = track::furniture::article_of(&store, &version)?;
    let found = track::analysis::claims(&store, &version, || names.gazetteer(), names.id());
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        writeln!(out, "{}", super::read::to_json(&found)?)?;
        return Ok(exit::OK);
    }
    writeln!(
        out,
        "{}@{}: {} in {}",
        visible_line(&version.key),
        version.version,
        plural(
            found.iter().map(|c| c.slots.len()).sum::<usize>(),
            "claim",
            "claims"
        ),
        plural(found.len(), "sentence", "sentences")
    )?;
    for claim in &found {
        writeln!(
            out,
            "\n#{:<3} {}",
            claim.sentence,
            visible_line(&claim.text)
        )?;
        for slot in &claim.slots {
            writeln!(out, "     {}", visible_line(&describe(slot)))?;
        }
    }
    Ok(exit::OK)
}

/// One line for a slot: its type, its text and what it means.
pub fn describe(slot: &Slot) -> String {
    match slot {
        Slot::Quantity {
            text,
            value,
            upper,
            unit,
            qualifier,
            ..
        } => {
            let value = match upper {
                Some(u) => format!("{value}–{u}"),
                None => format!("{value}"),
            };
            let qualifier = serde_json::to_value(qualifier)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            format!(
                "quantity     {text}  = {qualifier} {value} {}",
                unit.as_deref().unwrap_or("")
            )
        }
        Slot::Date {
            text,
            value,
            relative,
        } => {
            format!(
                "date         {text}  = {value}{}",
                if *relative { " (relative)" } else { "" }
            )
        }
        Slot::Quote { text, speaker } => {
            format!(
                "quote        “{text}”{}",
                speaker
                    .as_deref()
                    .map(|s| format!("  — {s}"))
                    .unwrap_or_default()
            )
        }
        Slot::Attribution {
            text,
            source,
            anonymous,
        } => {
            format!(
                "attribution  {text}  = {source}{}",
                if *anonymous { " (anonymous)" } else { "" }
            )
        }
        Slot::Entity {
            text,
            canonical,
            kind,
        } => format!("entity       {text}  = {canonical} ({kind:?})"),
        Slot::Polarity { negated, text } => format!(
            "polarity     {}{text}",
            if *negated { "negated: " } else { "" }
        ),
    }
}
