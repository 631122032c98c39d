//! The forecast printed: the table of every model on every issue with the nearest labelled
//! point and the notes, the what-if comparison, the expected-utility trace (the reference's
//! parity columns) and the narration of rounds and turns.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use comfy_table::{Cell, CellAlignment};
use statecraft_api::{BdmRunOutput, ForecastResult, ModelInfo};
use statecraft_core::models::bdm;
use statecraft_core::models::disagreement::{Disagreement, DISAGREEMENT_SHARE};
use statecraft_core::models::{Forecast, IssueForecast};
use statecraft_core::scenario::Scenario;

use super::diagnostics::usage;
use super::{marked, new_table, red_line_notes, write_out};
use crate::cli::OutputFormat;
use crate::Failure;

/// Writes the trace of the expected-utility model or of the spatial model to `path`.
pub(crate) fn write_trace(
    scenario: &Scenario,
    result: &ForecastResult,
    path: &Path,
) -> Result<(), Failure> {
    let text = match (result.bdm_runs.is_empty(), &result.smp_run) {
        (false, None) => trace_csv(scenario, &result.bdm_runs)?,
        (true, Some(run)) => super::smp::trace_csv(run)?,
        (bdm_ran, _) => {
            return Err(if bdm_ran {
                usage(
                    "--trace needs the bdm or the smp model",
                    "add --model bdm or --model smp",
                )
            } else {
                usage(
                    "--trace writes one model's trace, but bdm and smp both ran",
                    "give --model bdm or --model smp",
                )
            })
        }
    };
    crate::commands::write_atomically(path, text)
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    let _ = writeln!(
        std::io::stderr(),
        "wrote the round-by-round trace to {}",
        path.display()
    );
    Ok(())
}

/// Prints the forecast in `format`, then the narration when asked for.
pub(crate) fn print(
    scenario: &Scenario,
    result: &ForecastResult,
    format: OutputFormat,
    explain: bool,
) -> Result<(), Failure> {
    let forecasts = &result.forecasts;
    let only_bdm = result.models.len() == 1 && !result.bdm_runs.is_empty();
    let text = match format {
        OutputFormat::Csv if only_bdm => trace_csv(scenario, &result.bdm_runs)?,
        OutputFormat::Csv if result.models.len() == 1 && result.smp_run.is_some() => {
            super::smp::trace_csv(result.smp_run.as_ref().expect("checked"))?
        }
        OutputFormat::Json => super::json(result)?,
        OutputFormat::Csv => super::csv_text(
            &[
                "model",
                "issue",
                "value",
                "note",
                "red_lines",
                "model_label",
                "issue_label",
            ],
            forecasts.iter().flat_map(|f| {
                let model_label = result
                    .models
                    .iter()
                    .find(|m| m.id == f.model)
                    .map_or(f.model.as_str(), |m| m.label.as_str());
                f.issues.iter().map(move |issue| {
                    [
                        f.model.clone(),
                        issue.issue.clone(),
                        issue.value.map(|v| v.to_string()).unwrap_or_default(),
                        issue.note.clone().unwrap_or_default(),
                        super::red_line_cell(&issue.red_lines),
                        model_label.to_owned(),
                        scenario
                            .issue_index(&issue.issue)
                            .map_or(issue.issue.clone(), |i| scenario.issues()[i].label.clone()),
                    ]
                })
            }),
        )?,
        OutputFormat::Table => {
            let changes = result.what_if.as_ref().map(|w| w.changes.as_str());
            let mut text = forecast_table(scenario, &result.models, forecasts, changes);
            if let Some(run) = &result.smp_run {
                text.push_str(&super::smp::tables(run));
            }
            text.push_str(&disagreement_notes(&result.disagreements));
            if let Some(w) = &result.what_if {
                text.push_str(&what_if_table(scenario, &w.changes, &w.baseline, forecasts));
            }
            super::for_people(&text)
        }
    };
    write_out(&text)?;
    if format == OutputFormat::Csv {
        // CSV has no place for a sentence; the disagreements go where notes go.
        for d in &result.disagreements {
            super::diagnostics::note(&d.note);
        }
    }
    if explain {
        if result.bdm_runs.is_empty() && result.smp_run.is_none() {
            let _ = writeln!(
                std::io::stderr(),
                "note: --explain narrates the bdm and smp models, which were not run"
            );
        }
        let mut out = String::new();
        if let Some(run) = &result.smp_run {
            out.push_str(&super::smp::explain(run));
        }
        for BdmRunOutput { issue, run } in &result.bdm_runs {
            let label = scenario
                .issue_index(issue)
                .map_or(issue.as_str(), |i| scenario.issues()[i].label.as_str());
            out.push('\n');
            for line in bdm::narrate(run, label) {
                out.push_str(&line);
                out.push('\n');
            }
        }
        // After a table the narration belongs on stdout; after JSON or CSV it would spoil the
        // data, so it goes to stderr.
        if format == OutputFormat::Table {
            write_out(&super::fit_lines(&out))?;
        } else {
            let _ = std::io::stderr().write_all(super::printable(&out).as_bytes());
        }
    }
    Ok(())
}

/// The note under the table on every issue where the models (or the expected-utility variants)
/// disagree, wrapped to the table's width.
fn disagreement_notes(disagreements: &[Disagreement]) -> String {
    if disagreements.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\nWhere the forecasts disagree by more than {:.0}% of the scale:\n",
        100.0 * DISAGREEMENT_SHARE
    );
    for d in disagreements {
        out.push_str(&super::wrap(&d.note, "- ", 2));
    }
    out
}

/// The forecasts with the what-ifs next to those without: `baseline -> what-if` per model.
fn what_if_table(
    scenario: &Scenario,
    changes: &str,
    baseline: &[Forecast],
    changed: &[Forecast],
) -> String {
    let mut t = new_table();
    let mut header = vec![Cell::new("Issue")];
    header.extend(changed.iter().map(|f| Cell::new(&f.model)));
    t.set_header(header);
    for (i, issue) in scenario.issues().iter().enumerate() {
        let mut row = vec![Cell::new(&issue.id)];
        for (b, c) in baseline.iter().zip(changed) {
            let show = |f: &IssueForecast| {
                f.value.map_or_else(
                    || "none".to_string(),
                    |v| marked(v, issue.scale.range(), &f.red_lines),
                )
            };
            let (was, now) = (&b.issues[i], &c.issues[i]);
            let text = if was.value == now.value {
                format!("{} (same)", show(now))
            } else {
                format!("{} -> {}", show(was), show(now))
            };
            row.push(Cell::new(text).set_alignment(CellAlignment::Right));
        }
        t.add_row(row);
    }
    let notes = red_line_notes(flagged(baseline, " (baseline)"));
    format!("\nWhat if {changes}: baseline -> with the change\n{t}\n{notes}")
}

/// Every value of `forecasts` with its red-line flags, named `model on issue{suffix}`.
fn flagged<'a>(
    forecasts: &'a [Forecast],
    suffix: &'a str,
) -> impl Iterator<Item = (String, f64, &'a [statecraft_core::red_lines::RedLineFlag])> + 'a {
    forecasts.iter().flat_map(move |f| {
        f.issues.iter().filter_map(move |i| {
            let what = format!("{} on {}{suffix}", f.model, i.issue);
            Some((what, i.value?, i.red_lines.as_slice()))
        })
    })
}

/// Python's `repr` of a float (shortest round trip, exponent below 1e-4 and from 1e16), so that
/// traces can be compared with the reference implementation's files as text.
fn repr(value: f64) -> String {
    if value.is_nan() {
        return "nan".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.into();
    }
    if value == 0.0 || (1e-4..1e16).contains(&value.abs()) {
        let text = format!("{value:?}");
        return if text.contains('.') || text.contains("inf") || text.contains("NaN") {
            text
        } else {
            format!("{text}.0")
        };
    }
    let text = format!("{value:e}");
    let (mantissa, exponent) = text.split_once('e').expect("exponent form");
    let exponent: i32 = exponent.parse().expect("exponent");
    format!(
        "{mantissa}e{}{:02}",
        if exponent < 0 { '-' } else { '+' },
        exponent.abs()
    )
}

/// The per-round actor table, with the reference's parity columns (and `issue` first when the
/// scenario has several issues).
pub(crate) fn trace_csv(scenario: &Scenario, runs: &[BdmRunOutput]) -> Result<String, Failure> {
    let with_issue = scenario.issues().len() > 1;
    // CRLF, as Python's csv module writes the reference files, so that the two compare byte for byte.
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header = vec![
        "round",
        "actor",
        "x_before",
        "danger_r1",
        "R",
        "r",
        "offer_type",
        "offer_from",
        "eu_ij",
        "eu_ji",
        "x_after",
    ];
    if with_issue {
        header.insert(0, "issue");
    }
    writer.write_record(&header).context("CSV")?;
    for BdmRunOutput { issue, run } in runs {
        for round in &run.rounds {
            for (a, actor) in round.actors.iter().enumerate() {
                let (kind, from, eu_ij, eu_ji) = match actor.offer {
                    Some(o) => (
                        o.kind.name().to_owned(),
                        run.actors[o.from].clone(),
                        repr(o.eu_ij),
                        repr(o.eu_ji),
                    ),
                    None => Default::default(),
                };
                let mut record = vec![
                    round.round.to_string(),
                    run.actors[a].clone(),
                    repr(actor.x_before),
                    repr(actor.danger_r1),
                    repr(actor.risk),
                    repr(actor.r),
                    kind,
                    from,
                    eu_ij,
                    eu_ji,
                    repr(actor.x_after),
                ];
                if with_issue {
                    record.insert(0, issue.clone());
                }
                writer.write_record(&record).context("CSV")?;
            }
        }
    }
    Ok(String::from_utf8(writer.into_inner().context("CSV")?).context("CSV is UTF-8")?)
}

/// The table of every model on every issue; with what-ifs (`changes`) its title names them, as
/// the values are those of the changed scenario.
fn forecast_table(
    scenario: &Scenario,
    models: &[ModelInfo],
    forecasts: &[Forecast],
    changes: Option<&str>,
) -> String {
    let mut out = String::new();
    match (&scenario.meta().title, changes) {
        (Some(title), None) => out.push_str(&format!("{title}\n")),
        (Some(title), Some(changes)) => out.push_str(&format!("{title}, with {changes}\n")),
        (None, Some(changes)) => out.push_str(&format!("The scenario with {changes}\n")),
        (None, None) => {}
    }
    let mut table = new_table();
    let mut header = vec![
        Cell::new("Issue"),
        Cell::new("Scale"),
        Cell::new("Status quo"),
    ];
    header.extend(models.iter().map(|m| Cell::new(&m.label)));
    table.set_header(header);
    let mut notes = Vec::new();
    for (i, issue) in scenario.issues().iter().enumerate() {
        let mut row = vec![
            Cell::new(&issue.label),
            Cell::new(format!(
                "{}..{}",
                super::on_issue(issue, issue.scale.min),
                super::on_issue(issue, issue.scale.max)
            )),
            Cell::new(
                issue
                    .status_quo
                    .map_or("-".into(), |v| super::on_issue(issue, v)),
            )
            .set_alignment(CellAlignment::Right),
        ];
        for f in forecasts {
            let result = &f.issues[i];
            let text = match result.value {
                Some(v) => marked(v, issue.scale.range(), &result.red_lines),
                None => "none".into(),
            };
            if let Some(note) = &result.note {
                notes.push(format!("{} on {}: {note}", f.model, issue.id));
            }
            row.push(Cell::new(text).set_alignment(CellAlignment::Right));
        }
        table.add_row(row);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    // What the first model's forecast means on each issue's own labelled scale.
    if let Some(first) = forecasts.first() {
        let mut meaning = Vec::new();
        for (i, issue) in scenario.issues().iter().enumerate() {
            if let (Some(v), Some(anchor)) = (
                first.issues[i].value,
                first.issues[i].value.and_then(|v| issue.nearest_anchor(v)),
            ) {
                meaning.push(format!(
                    "  {}: {} is nearest \"{}\" ({})",
                    issue.id,
                    super::on_issue(issue, v),
                    anchor.label,
                    super::on_issue(issue, anchor.value)
                ));
            }
        }
        if !meaning.is_empty() {
            out.push_str(&format!("\nWhere the {} forecast lands:\n", first.model));
            for line in meaning {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    out.push_str(&red_line_notes(flagged(forecasts, "")));
    if !notes.is_empty() {
        out.push_str("\nNotes:\n");
        for note in notes {
            out.push_str(&format!("  {note}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::repr;

    #[test]
    fn repr_writes_every_float_as_python_does() {
        let cases = [
            (0.0, "0.0"),
            (1.5, "1.5"),
            (3.0, "3.0"),
            (1e-5, "1e-05"),
            (9.223372036854776e18, "9.223372036854776e+18"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
        ];
        for (value, text) in cases {
            assert_eq!(repr(value), text, "{value}");
        }
    }
}
