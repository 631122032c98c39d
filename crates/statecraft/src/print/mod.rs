//! Printing results for people and programs: tables, briefings, CSV and JSON, from the results
//! that the analysis API returns. Nothing here decides what to compute.

pub(crate) mod coalitions;
pub(crate) mod compare;
pub(crate) mod diagnostics;
pub(crate) mod durability;
pub(crate) mod forecast;
pub(crate) mod infer;
pub(crate) mod power;
pub(crate) mod scenario;
pub(crate) mod smp;
pub(crate) mod sweep;
pub(crate) mod validate;

use std::io::Write;

use anyhow::Context;
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde::Serialize;
use statecraft_core::red_lines::RedLineFlag;

use crate::Failure;

pub(crate) use statecraft_core::text::number as fmt_value;

fn stdout() -> std::io::StdoutLock<'static> {
    std::io::stdout().lock()
}

/// Writes `text` to stdout.
pub(crate) fn write_out(text: &str) -> Result<(), Failure> {
    stdout()
        .write_all(printable(text).as_bytes())
        .context("cannot write to stdout")?;
    Ok(())
}

/// `text` with every control character but newline and tab written out as `\x1b` (or `\u{9b}`),
/// so that a name in a scenario cannot send escape sequences to the terminal (clear the screen,
/// set its title) through `check`, `show`, `--explain` or any other output.
pub(crate) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x100 && c.is_control() => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Pretty JSON with a final newline.
pub(crate) fn json(value: &impl Serialize) -> Result<String, Failure> {
    let mut text = serde_json::to_string_pretty(value).context("cannot write JSON")?;
    text.push('\n');
    Ok(text)
}

/// A table in the CLI's style, as wide as the terminal allows.
pub(crate) fn new_table() -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table
}

/// `text` wrapped at 100 columns, continuation lines indented by `indent`, ending in a newline.
pub(crate) fn wrap(text: &str, first: &str, indent: usize) -> String {
    let mut out = String::new();
    let mut line = first.to_owned();
    for word in text.split_whitespace() {
        let fresh = line.trim().is_empty();
        if !fresh && line.chars().count() + 1 + word.chars().count() > 100 {
            out.push_str(line.trim_end());
            out.push('\n');
            line = " ".repeat(indent);
        } else if !line.is_empty() && !line.ends_with(' ') {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// Rows written as CSV.
pub(crate) fn csv_text<I, R>(header: &[&str], rows: I) -> Result<String, Failure>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).context("CSV")?;
    for row in rows {
        writer.write_record(row).context("CSV")?;
    }
    Ok(String::from_utf8(writer.into_inner().context("CSV")?).context("CSV is UTF-8")?)
}

/// An actor's name, or the id itself when the scenario has no such actor.
pub(crate) fn name<'a>(scenario: &'a statecraft_core::scenario::Scenario, id: &'a str) -> &'a str {
    scenario
        .actor_index(id)
        .map_or(id, |a| scenario.actors()[a].name.as_str())
}

/// The mark after a value that falls inside a red line (explained by [`red_line_notes`]).
pub(crate) const RED_LINE_MARK: &str = "\u{2020}";

/// `value` as a table shows it, marked when it falls inside a red line.
pub(crate) fn marked(value: f64, flags: &[RedLineFlag]) -> String {
    if flags.is_empty() {
        fmt_value(value)
    } else {
        format!("{} {RED_LINE_MARK}", fmt_value(value))
    }
}

/// The footnote of the marked values: per (what, value, flags), the red lines it is inside.
pub(crate) fn red_line_notes<'a>(
    marked: impl IntoIterator<Item = (String, f64, &'a [RedLineFlag])>,
) -> String {
    let lines: Vec<String> = marked
        .into_iter()
        .filter(|(_, _, flags)| !flags.is_empty())
        .map(|(what, value, flags)| {
            let lines: Vec<String> = flags.iter().map(RedLineFlag::describe).collect();
            format!("  {what} {}: inside {}", fmt_value(value), lines.join(", "))
        })
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    format!(
        "\n{RED_LINE_MARK} Inside a red line (a value its actor says it will never accept; a red line's edges are part of it):\n{}\n",
        lines.join("\n")
    )
}

/// Flags as one CSV cell: `DPRK 0..=10; US 80..=100`.
pub(crate) fn red_line_cell(flags: &[RedLineFlag]) -> String {
    flags
        .iter()
        .map(|f| format!("{} {}..={}", f.actor, f.min, f.max))
        .collect::<Vec<_>>()
        .join("; ")
}
