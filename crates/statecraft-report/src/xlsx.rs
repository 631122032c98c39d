//! The report's tables as an Excel workbook (`report -o r.xlsx`), for analysts who work in a
//! spreadsheet: an "About" sheet, then one sheet per section of the long table the CSV export
//! writes (scenario, forecast, bdm, smp, coalitions, durability, power, sweep, sensitivity...),
//! with numbers stored as numbers at full precision and the header row frozen.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::export::{long_rows, title, ExportError};
use crate::report::Report;

/// Widths of the sheets' columns, in characters: subject, issue, measure, value.
const WIDTHS: [f64; 6] = [20.0, 28.0, 20.0, 32.0, 24.0, 16.0];

fn failed(e: XlsxError) -> ExportError {
    ExportError::Xlsx(e.to_string())
}

/// The report as the bytes of an `.xlsx` file.
pub fn xlsx(report: &Report) -> Result<Vec<u8>, ExportError> {
    let rows = long_rows(report)?;
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let plain = Format::new();

    let about = workbook.add_worksheet();
    about.set_name("About").map_err(failed)?;
    about.set_column_width(0, 100.0).map_err(failed)?;
    let mut lines = vec![title(report)];
    if let Some(date) = &report.scenario.date {
        lines.push(format!("The situation as of {date}."));
    }
    lines.push(format!(
        "Written by statecraft {}. One sheet per section of the report; numbers are at full \
         precision (the HTML report rounds them for reading).",
        env!("CARGO_PKG_VERSION")
    ));
    lines.push(
        "Columns: subject (an actor, a model or an agreement form, by id), subject_label, issue \
         (by id), issue_label, measure, value. The CSV export (report -o r.csv) has the same rows, its first column \
         naming the section."
            .into(),
    );
    for (r, line) in lines.iter().enumerate() {
        let format = if r == 0 { &bold } else { &plain };
        about
            .write_string_with_format(r as u32, 0, line, format)
            .map_err(failed)?;
    }

    let Some((header, body)) = rows.split_first() else {
        return workbook.save_to_buffer().map_err(failed);
    };
    // Sections in the order they first appear.
    let mut sections: Vec<&str> = Vec::new();
    for row in body {
        if !sections.contains(&row[0].as_str()) {
            sections.push(&row[0]);
        }
    }
    for section in sections {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(section)).map_err(failed)?;
        for (c, (name, width)) in header[1..].iter().zip(WIDTHS).enumerate() {
            sheet
                .write_string_with_format(0, c as u16, name, &bold)
                .map_err(failed)?;
            sheet.set_column_width(c as u16, width).map_err(failed)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(failed)?;
        for (r, row) in (1u32..).zip(body.iter().filter(|row| row[0] == section)) {
            for (c, cell) in row[1..].iter().enumerate() {
                write_cell(sheet, r, c as u16, cell)?;
            }
        }
    }
    workbook.save_to_buffer().map_err(failed)
}

/// A cell: a finite number as a number, `true`/`false` as a boolean, anything else as text.
fn write_cell(sheet: &mut Worksheet, row: u32, col: u16, text: &str) -> Result<(), ExportError> {
    match (text.parse::<f64>(), text) {
        (Ok(v), _) if v.is_finite() => sheet.write_number(row, col, v).map(|_| ()),
        (_, "true") => sheet.write_boolean(row, col, true).map(|_| ()),
        (_, "false") => sheet.write_boolean(row, col, false).map(|_| ()),
        _ => sheet.write_string(row, col, text).map(|_| ()),
    }
    .map_err(failed)
}

/// A section's sheet name: its title, or for a section without one its id capitalised (Excel
/// allows 31 characters and none of `[]:*?/\`).
pub(crate) fn sheet_name(section: &str) -> String {
    let title = match section {
        "forecast" => "Forecasts",
        "bdm" => "Expected-utility rounds",
        "smp" => "Spatial model turns",
        "power" => "Voting power",
        "sweep" => "Sweep spreads",
        "sensitivity" => "Sobol sensitivity",
        _ => "",
    };
    if !title.is_empty() {
        return title.into();
    }
    let clean: String = section
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    let mut chars = clean.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Section".into(),
    }
}
