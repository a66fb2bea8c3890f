//! Unified diff with sentences as lines, like `diff -u` (for patch tools and
//! people used to them). Moves show as a removal plus an addition, as in any
//! line diff; the other formats say `moved`. Control characters in the text
//! are shown as escapes (`\x1b`), as in every human format.

use std::io::{self, Write};

use similar::TextDiff;

use super::DiffReport;
use crate::text::visible::{visible, visible_line};

/// Write the report as a unified diff of the two versions' sentences.
pub fn render(
    report: &DiffReport,
    old_sentences: &[&str],
    new_sentences: &[&str],
    context: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    // One sentence per line; a line break inside a unit would split it.
    let join = |units: &[&str]| -> String {
        units
            .iter()
            .map(|s| format!("{}\n", visible(&s.replace(['\n', '\r'], " "))))
            .collect()
    };
    let old = join(old_sentences);
    let new = join(new_sentences);
    let diff = TextDiff::from_lines(&old, &new);
    let from = format!(
        "{}\t{}",
        visible_line(&report.from.reference()),
        report.from.fetched_at
    );
    let to = format!(
        "{}\t{}",
        visible_line(&report.to.reference()),
        report.to.fetched_at
    );
    write!(
        out,
        "{}",
        diff.unified_diff()
            .context_radius(context)
            .header(&from, &to)
    )
}
