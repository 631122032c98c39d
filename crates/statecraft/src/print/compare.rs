//! A comparison printed: the inputs that differ by path, then how the analyses moved, biggest
//! first, as tables, one CSV or the API's JSON.

use comfy_table::{Cell, CellAlignment};
use statecraft_api::CompareResult;
use statecraft_core::scenario::Scenario;

use super::{fmt_value, new_table};
use crate::cli::OutputFormat;
use crate::Failure;

/// What a table shows for a side without a value.
const NONE: &str = "-";

/// Prints the comparison in `format`; `scenario` (side A, when the comparison is of scenarios
/// rather than stored runs) gives the table its issues' labels and scales.
pub(crate) fn print(
    result: &CompareResult,
    scenario: Option<&Scenario>,
    format: OutputFormat,
) -> Result<(), Failure> {
    let text = match format {
        OutputFormat::Json => super::json(result)?,
        OutputFormat::Csv => csv(result)?,
        OutputFormat::Table => super::for_people(&table(result, scenario)),
    };
    super::write_out(&text)
}

/// A value at the precision of its issue's scale (`span`), when known.
fn number(value: Option<f64>, span: Option<f64>) -> String {
    value.map_or_else(
        || NONE.to_owned(),
        |v| span.map_or_else(|| fmt_value(v), |span| super::on_scale(v, span)),
    )
}

fn percent(share: f64) -> String {
    format!("{}%", fmt_value(share * 100.0))
}

fn table(result: &CompareResult, scenario: Option<&Scenario>) -> String {
    let issue = |id: &str| {
        scenario
            .and_then(|s| s.issue_index(id).map(|k| &s.issues()[k]))
            .map(|i| (i.label.clone(), Some(i.scale.range())))
            .unwrap_or_else(|| (id.to_owned(), None))
    };
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
        let (label, span) = issue(&m.issue);
        t.add_row(vec![
            Cell::new(&m.analysis),
            Cell::new(super::model_label(&m.model)),
            Cell::new(label),
            right(number(m.a, span)),
            right(number(m.b, span)),
            right(m.change.map_or_else(
                || NONE.to_owned(),
                |c| {
                    let text = number(Some(c), span);
                    if c > 0.0 {
                        format!("+{text}")
                    } else {
                        text
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
