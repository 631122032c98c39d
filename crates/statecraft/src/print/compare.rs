//! A comparison printed: the inputs that differ by path, then how the analyses moved, biggest
//! first, as tables, one CSV or the API's JSON.

use comfy_table::{Cell, CellAlignment};
use statecraft_api::CompareResult;

use super::{fmt_value, new_table};
use crate::cli::OutputFormat;
use crate::Failure;

/// What a table shows for a side without a value.
const NONE: &str = "-";

/// Prints the comparison in `format`.
pub(crate) fn print(result: &CompareResult, format: OutputFormat) -> Result<(), Failure> {
    let text = match format {
        OutputFormat::Json => super::json(result)?,
        OutputFormat::Csv => csv(result)?,
        OutputFormat::Table => table(result),
    };
    super::write_out(&text)
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(|| NONE.to_owned(), fmt_value)
}

fn percent(share: f64) -> String {
    format!("{}%", fmt_value(share * 100.0))
}

fn table(result: &CompareResult) -> String {
    let mut out = format!("A: {}\nB: {}\n\n", result.a, result.b);
    if result.inputs.is_empty() {
        out.push_str("No input differs.\n");
    } else {
        out.push_str(&format!(
            "Inputs that differ ({}), biggest change first:\n",
            result.inputs.len()
        ));
        let mut t = new_table();
        t.set_header(["Path", "A", "B"]);
        for d in &result.inputs {
            t.add_row([
                d.path.clone(),
                d.a.clone().unwrap_or_else(|| NONE.into()),
                d.b.clone().unwrap_or_else(|| NONE.into()),
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    out.push('\n');
    if result.moves.is_empty() {
        out.push_str(&format!(
            "No number of the analyses moved ({} compared).\n",
            result.compared
        ));
        return out;
    }
    out.push_str(&format!(
        "How the analyses moved ({} of {} numbers), biggest change first (share: of the issue's scale):\n",
        result.moves.len(),
        result.compared
    ));
    let mut t = new_table();
    t.set_header(["Analysis", "Model", "Issue", "A", "B", "Change", "Share"]);
    for m in &result.moves {
        let right = |text: String| Cell::new(text).set_alignment(CellAlignment::Right);
        t.add_row(vec![
            Cell::new(&m.analysis),
            Cell::new(&m.model),
            Cell::new(&m.issue),
            right(number(m.a)),
            right(number(m.b)),
            right(m.change.map_or_else(
                || NONE.to_owned(),
                |c| {
                    if c > 0.0 {
                        format!("+{}", fmt_value(c))
                    } else {
                        fmt_value(c)
                    }
                },
            )),
            right(percent(m.share)),
        ]);
    }
    out.push_str(&format!("{t}\n"));
    out
}

/// One CSV: a row per input that differs (`input`), then one per number that moved (`move`).
fn csv(result: &CompareResult) -> Result<String, Failure> {
    let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let inputs = result.inputs.iter().map(|d| {
        vec![
            "input".to_owned(),
            d.path.clone(),
            String::new(),
            String::new(),
            String::new(),
            d.a.clone().unwrap_or_default(),
            d.b.clone().unwrap_or_default(),
            String::new(),
            d.size.to_string(),
        ]
    });
    let moves = result.moves.iter().map(|m| {
        vec![
            "move".to_owned(),
            String::new(),
            m.analysis.clone(),
            m.model.clone(),
            m.issue.clone(),
            opt(m.a),
            opt(m.b),
            opt(m.change),
            m.share.to_string(),
        ]
    });
    super::csv_text(
        &[
            "row", "path", "analysis", "model", "issue", "a", "b", "change", "size",
        ],
        inputs.chain(moves),
    )
}
