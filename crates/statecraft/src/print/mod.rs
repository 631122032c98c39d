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
pub(crate) use statecraft_core::text::on_scale;

/// A value on `issue` at the precision of its scale (one rule for every table and sentence:
/// [`on_scale`]).
pub(crate) fn on_issue(issue: &statecraft_core::scenario::Issue, value: f64) -> String {
    on_scale(value, issue.scale.range())
}

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

/// `text` with every control character but newline, tab and the carriage return of a CRLF line
/// end written out as `\x1b` (or `\u{9b}`), so that a name in a scenario cannot send escape
/// sequences to the terminal (clear the screen, set its title, overwrite a line with a lone
/// carriage return) through `check`, `show`, `--explain` or any other output. CRLF stays, so
/// that the trace CSV on stdout is byte for byte the file `--trace` writes.
pub(crate) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let harmful = |at: usize, c: char| {
        c.is_control() && c != '\n' && c != '\t' && !(c == '\r' && text[at + 1..].starts_with('\n'))
    };
    if !text.char_indices().any(|(at, c)| harmful(at, c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (at, c) in text.char_indices() {
        match c {
            c if !harmful(at, c) => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
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

/// The width output is laid out for: `COLUMNS` when it is set to a number, else the terminal's
/// width when stdout is a terminal, else 100 columns (a pipe, a file, a test).
pub(crate) fn width() -> usize {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c >= 20)
    {
        return columns;
    }
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() {
        if let Some(w) = Table::new().width() {
            return usize::from(w).max(20);
        }
    }
    DEFAULT_WIDTH
}

/// How wide a table's first column may stay before its cells wrap.
const FIRST_COLUMN: usize = 24;

/// The width when nothing says otherwise.
pub(crate) const DEFAULT_WIDTH: usize = 100;

/// A table in the CLI's style. It prints as wide as [`width`] allows, wrapping cells at words (a
/// column is never narrower than its longest word); a table that cannot fit that way prints
/// vertically, one block per row.
pub(crate) struct Grid(Table);

impl std::ops::Deref for Grid {
    type Target = Table;
    fn deref(&self) -> &Table {
        &self.0
    }
}

impl std::ops::DerefMut for Grid {
    fn deref_mut(&mut self) -> &mut Table {
        &mut self.0
    }
}

impl std::fmt::Display for Grid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&layout(&self.0, width()))
    }
}

/// A new table in the CLI's style.
pub(crate) fn new_table() -> Grid {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    Grid(table)
}

/// The cells of a table, header first, as text.
fn cells(table: &Table) -> (Vec<String>, Vec<Vec<String>>) {
    let row = |r: &comfy_table::Row| r.cell_iter().map(comfy_table::Cell::content).collect();
    let header = table.header().map(row).unwrap_or_default();
    (header, table.row_iter().map(row).collect())
}

fn text_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `table` laid out in `width` columns: as a grid when every column can hold its longest word,
/// else vertically.
pub(crate) fn layout(table: &Table, width: usize) -> String {
    let (header, rows) = cells(table);
    let columns = rows
        .iter()
        .map(Vec::len)
        .chain([header.len()])
        .max()
        .unwrap_or(0);
    let longest_word = |c: usize| {
        rows.iter()
            .chain([&header])
            .filter_map(|r| r.get(c))
            .flat_map(|cell| cell.split_whitespace())
            .map(text_width)
            .max()
            .unwrap_or(0)
    };
    let mut words: Vec<usize> = (0..columns).map(longest_word).collect();
    // The first column names the row: it keeps up to FIRST_COLUMN columns before it wraps.
    if let Some(first) = words.first_mut() {
        let natural = rows
            .iter()
            .chain([&header])
            .filter_map(|r| r.first())
            .flat_map(|cell| cell.lines())
            .map(text_width)
            .max()
            .unwrap_or(0);
        *first = (*first).max(natural.min(FIRST_COLUMN));
    }
    // Each column: its text, a space either side, and a rule; one more rule closes the row.
    let least: usize = words.iter().map(|w| w + 3).sum::<usize>() + 1;
    if least > width && columns > 1 {
        return vertical(&header, &rows, width);
    }
    let mut table = table.clone();
    table.set_width(u16::try_from(width).unwrap_or(u16::MAX));
    for (column, &w) in table.column_iter_mut().zip(&words) {
        column.set_constraint(comfy_table::ColumnConstraint::LowerBoundary(
            // comfy-table's widths include the padding, a space either side.
            comfy_table::Width::Fixed(u16::try_from(w + 2).unwrap_or(u16::MAX)),
        ));
    }
    table.to_string()
}

/// Rows as blocks: the first cell as a heading, then each other cell as `header: value`, wrapped.
fn vertical(header: &[String], rows: &[Vec<String>], width: usize) -> String {
    let mut out = String::new();
    for (k, row) in rows.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        let mut cells = row.iter().enumerate();
        if let Some((_, first)) = cells.next() {
            let title = match header.first() {
                Some(h) if !h.is_empty() => format!("{h}: {}", one_line(first)),
                _ => one_line(first),
            };
            out.push_str(&wrap_to(&title, "", 2, width));
        }
        for (c, cell) in cells {
            let name = header.get(c).map_or(String::new(), |h| one_line(h));
            let first = format!("  {name}: ");
            out.push_str(&wrap_to(&one_line(cell), &first, 4, width));
        }
    }
    out.trim_end().to_owned()
}

/// A cell's lines joined into one.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` wrapped at [`width`] columns, continuation lines indented by `indent`, ending in a
/// newline.
pub(crate) fn wrap(text: &str, first: &str, indent: usize) -> String {
    wrap_to(text, first, indent, width())
}

/// `text` wrapped at `width` columns after `first`, continuation lines indented by `indent`.
pub(crate) fn wrap_to(text: &str, first: &str, indent: usize, width: usize) -> String {
    let mut out = String::new();
    let mut line = first.to_owned();
    for word in text.split_whitespace() {
        let fresh = line.trim().is_empty();
        if !fresh && text_width(&line) + 1 + text_width(word) > width {
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

/// `text` for a person ([`fit_lines`]) with, under it, the meaning of every glossary term it uses
/// (`docs/glossary.md`).
pub(crate) fn for_people(text: &str) -> String {
    let mut out = fit_lines(text);
    let terms = statecraft_core::text::terms_in(text);
    if !terms.is_empty() {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("\nTerms (docs/glossary.md):\n");
        for (term, meaning) in terms {
            out.push_str(&wrap(meaning, &format!("  {term}: "), 4));
        }
    }
    out
}

/// `text` for a person: every line wider than [`width`] wrapped at words, its continuation lines
/// indented two columns past the line's own indent (tables are already laid out to fit).
pub(crate) fn fit_lines(text: &str) -> String {
    let width = width();
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if text_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let lead = body.len() - body.trim_start().len();
        let wrapped = wrap_to(body.trim_start(), &body[..lead], lead + 2, width);
        out.push_str(if line.ends_with('\n') {
            &wrapped
        } else {
            wrapped.trim_end_matches('\n')
        });
    }
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

/// A model's label, from its id (the id itself for one the core does not know).
pub(crate) fn model_label(id: &str) -> String {
    use statecraft_core::models::{all_models, bdm::BdmParams, smp::SpatialModel};
    let mut models = all_models(BdmParams::reference(1));
    // The spatial model is named, never among `all`.
    models.push(Box::new(SpatialModel::default()));
    models
        .iter()
        .find(|m| m.id() == id)
        .map_or_else(|| id.to_owned(), |m| m.label().to_owned())
}

/// The mark after a value that falls inside a red line (explained by [`red_line_notes`]).
pub(crate) const RED_LINE_MARK: &str = "\u{2020}";

/// `value` on a scale `span` wide as a table shows it, marked when it falls inside a red line.
pub(crate) fn marked(value: f64, span: f64, flags: &[RedLineFlag]) -> String {
    if flags.is_empty() {
        on_scale(value, span)
    } else {
        format!("{} {RED_LINE_MARK}", on_scale(value, span))
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

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn only_harmless_control_characters_are_printed_as_they_are() {
        for (text, shown) in [
            ("a\tb\nc\r\n", "a\tb\nc\r\n"),
            ("a\rb", "a\\x0db"),
            ("\r", "\\x0d"),
            ("\u{1b}[2J", "\\x1b[2J"),
            ("\u{9b}2J", "\\x9b2J"),
            ("\u{2028}", "\u{2028}"),
        ] {
            assert_eq!(printable(text), shown, "{text:?}");
        }
    }
}
