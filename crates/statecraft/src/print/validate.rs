//! The accuracy report of `statecraft validate` printed as tables of at most 100 columns, JSON
//! or CSV. Every figure is computed in the library.

use anyhow::Context;
use comfy_table::{Cell, CellAlignment};
use statecraft_core::validation::{Estimate, FittedParameters, ModelScore, ValidationReport};

use super::{new_table, wrap, write_out};
use crate::cli::OutputFormat;
use crate::Failure;

/// Prints the accuracy report in `format`.
pub(crate) fn print(report: &ValidationReport, format: OutputFormat) -> Result<(), Failure> {
    let text = match format {
        OutputFormat::Json => super::json(report)?,
        OutputFormat::Csv => csv_of(report)?,
        OutputFormat::Table => super::for_people(&tables(report)),
    };
    write_out(&text)
}

/// Prints what `fit` fitted: a line per forecaster (table) or the parameters (json).
pub(crate) fn print_fit(params: &FittedParameters, format: OutputFormat) -> Result<(), Failure> {
    let text = match format {
        OutputFormat::Json => super::json(params)?,
        OutputFormat::Table | OutputFormat::Csv => {
            let mut table = new_table();
            table.set_header(vec![
                "forecaster",
                "parameters",
                "80% residuals",
                "training MAE (in sample)",
            ]);
            for f in &params.forecasters {
                let values: Vec<String> = f
                    .parameters
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect();
                table.add_row(vec![
                    Cell::new(&f.id),
                    Cell::new(values.join(", ")),
                    Cell::new(format!("{:+.2} to {:+.2}", f.residual_q10, f.residual_q90)),
                    Cell::new(format!(
                        "{:.2} ({} issues)",
                        f.training_mae, f.training_issues
                    ))
                    .set_alignment(CellAlignment::Right),
                ]);
            }
            format!(
                "Fitted on {} ({} cases, {} issues, {} capabilities)\n{table}\n",
                params.data,
                params.cases,
                params.issues,
                params.capabilities.name()
            )
        }
    };
    write_out(&text)
}

fn with_interval(e: &Estimate, percent: bool) -> String {
    if percent {
        format!(
            "{:.0} [{:.0},{:.0}]",
            e.value * 100.0,
            e.low * 100.0,
            e.high * 100.0
        )
    } else {
        format!("{:.2} [{:.2},{:.2}]", e.value, e.low, e.high)
    }
}

fn right(text: impl Into<String>) -> Cell {
    Cell::new(text.into()).set_alignment(CellAlignment::Right)
}

fn name(m: &ModelScore) -> String {
    if m.fit.is_some() {
        format!("{}*", m.model)
    } else {
        m.model.clone()
    }
}

/// The report as tables of at most 100 columns.
fn tables(r: &ValidationReport) -> String {
    let mut out = String::from("\n");
    out.push_str(&wrap(
        &format!(
            "Accuracy on {} issues with an outcome ({} proposals), points on 0..100; 95% \
             bootstrap intervals over proposals ({} replicates, seed {}); capabilities: {}",
            r.issues_with_outcome,
            r.cases,
            r.options.bootstrap,
            r.options.seed,
            r.options.capabilities.name()
        ),
        "",
        0,
    ));
    let mut t = new_table();
    t.set_width(100);
    t.set_header(vec![
        "Model",
        "Issues",
        "MAE",
        "RMSE",
        "Median",
        "Within 5 (%)",
        "Within 10 (%)",
    ]);
    for m in &r.models {
        let mut row = vec![Cell::new(name(m)), right(m.forecasts.to_string())];
        match &m.metrics {
            Some(x) => {
                row.push(right(with_interval(&x.mae, false)));
                row.push(right(format!("{:.2}", x.rmse.value)));
                row.push(right(format!("{:.2}", x.median_error.value)));
                row.push(right(with_interval(&x.within_5, true)));
                row.push(right(with_interval(&x.within_10, true)));
            }
            None => row.push(Cell::new("no forecasts")),
        }
        t.add_row(row);
    }
    out.push_str(&format!("{t}\n"));
    out.push_str("* fitted: every figure is cross-validated (out of sample)\n");

    out.push('\n');
    out.push_str(&wrap(
        "Against the compromise model (MAE difference on the issues both answered; below 0 is \
         better) and the 80% interval from cross-validated residuals",
        "",
        0,
    ));
    let mut t = new_table();
    t.set_width(100);
    t.set_header(vec![
        "Model",
        "Both",
        "MAE - compromise",
        "80% interval holds (%)",
        "Mean width",
    ]);
    for m in &r.models {
        let diff = m.versus_compromise.map_or("(reference)".to_owned(), |d| {
            with_interval(&d.mae_difference, false)
        });
        let both = m
            .versus_compromise
            .map_or(m.forecasts.to_string(), |d| d.issues.to_string());
        let (cover, width) = m.interval_80.map_or(("-".into(), "-".into()), |c| {
            (
                with_interval(&c.coverage, true),
                format!("{:.1}", c.mean_width),
            )
        });
        t.add_row(vec![
            Cell::new(name(m)),
            right(both),
            right(diff),
            right(cover),
            right(width),
        ]);
    }
    out.push_str(&format!("{t}\n"));

    for (title, pick) in [
        (
            "MAE by procedure",
            (|m: &ModelScore| &m.by_procedure) as fn(&ModelScore) -> &Vec<_>,
        ),
        ("MAE by treaty period (Council voting rule)", |m| {
            &m.by_period
        }),
    ] {
        let groups: Vec<String> = pick(&r.models[0]).iter().map(|g| g.group.clone()).collect();
        let mut t = new_table();
        t.set_width(100);
        let mut header = vec![Cell::new("Model")];
        header.extend(groups.iter().map(|g| {
            let n = pick(&r.models[0])
                .iter()
                .find(|x| &x.group == g)
                .map_or(0, |x| x.issues);
            Cell::new(format!("{g} (n={n})"))
        }));
        t.set_header(header);
        for m in &r.models {
            let mut row = vec![Cell::new(name(m))];
            for g in &groups {
                let text = pick(m)
                    .iter()
                    .find(|x| &x.group == g)
                    .and_then(|x| x.mae.map(|v| format!("{v:.2} ({})", x.issues)))
                    .unwrap_or_else(|| "-".into());
                row.push(right(text));
            }
            t.add_row(row);
        }
        out.push_str(&format!("\n{title}: MAE (issues answered)\n{t}\n"));
    }

    let unanswered: Vec<&ModelScore> = r.models.iter().filter(|m| m.missing > 0).collect();
    if !unanswered.is_empty() {
        out.push_str("\nIssues without a forecast, by reason\n");
        for m in unanswered {
            out.push_str(&format!("  {} ({}):\n", name(m), m.missing));
            for reason in &m.missing_reasons {
                out.push_str(&wrap(
                    &reason.reason,
                    &format!("    {:>4}  ", reason.issues),
                    10,
                ));
            }
        }
    }
    let fitted: Vec<&ModelScore> = r.models.iter().filter(|m| m.fit.is_some()).collect();
    if !fitted.is_empty() {
        out.push('\n');
        let heading = match &r.options.params {
            Some(p) => format!(
                "Fitted forecasters: the given parameters (fitted on {}), not refitted: out of \
                 sample on data they were not fitted on, in sample on the same data",
                p.data
            ),
            None => format!(
                "Fitted forecasters ({}-fold cross-validation by proposal, folds fixed by seed \
                 {}): every figure above is out of sample",
                r.options.folds, r.options.seed
            ),
        };
        out.push_str(&wrap(&heading, "", 0));
        for m in fitted {
            let fit = m.fit.as_ref().expect("filtered");
            let range = |k: usize| {
                let values: Vec<f64> = fit.per_fold.iter().map(|p| p[k]).collect();
                let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                // Grid values carry rounding noise (0.1 + 0.05 = 0.15000000000000002): four
                // decimals say all a grid step of 0.01 can.
                let show = |x: f64| {
                    let t = format!("{x:.4}");
                    let t = t.trim_end_matches('0').trim_end_matches('.');
                    if t == "-0" {
                        "0".to_owned()
                    } else {
                        t.to_owned()
                    }
                };
                if show(lo) == show(hi) {
                    show(lo)
                } else {
                    format!("{}..{}", show(lo), show(hi))
                }
            };
            let params: Vec<String> = fit
                .parameters
                .iter()
                .enumerate()
                .map(|(k, p)| format!("{p} {}", range(k)))
                .collect();
            out.push_str(&wrap(
                &format!(
                    "{}: {}; {} {}; leak check {}",
                    m.model,
                    m.label,
                    if fit.given { "given" } else { "over the folds" },
                    params.join(", "),
                    if fit.given {
                        "not needed (nothing fitted)"
                    } else if fit.leak_check_passed {
                        "passed"
                    } else {
                        "FAILED"
                    }
                ),
                "  ",
                4,
            ));
        }
    }
    out.push('\n');
    out.push_str(&wrap(&format!("Verdict: {}", r.verdict), "", 2));
    out
}

/// One row per figure: model, measure, group, issues, value, low, high.
fn csv_of(r: &ValidationReport) -> Result<String, Failure> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "model", "measure", "group", "issues", "value", "low", "high",
    ])
    .context("CSV")?;
    let num = |x: f64| x.to_string();
    for m in &r.models {
        let n = m.forecasts.to_string();
        if let Some(x) = &m.metrics {
            for (measure, e) in [
                ("mae", x.mae),
                ("rmse", x.rmse),
                ("median_error", x.median_error),
                ("within_5", x.within_5),
                ("within_10", x.within_10),
            ] {
                w.write_record([
                    m.model.as_str(),
                    measure,
                    "all",
                    &n,
                    &num(e.value),
                    &num(e.low),
                    &num(e.high),
                ])
                .context("CSV")?;
            }
        }
        if let Some(d) = &m.versus_compromise {
            let e = d.mae_difference;
            w.write_record([
                m.model.as_str(),
                "mae_minus_compromise",
                "all",
                &d.issues.to_string(),
                &num(e.value),
                &num(e.low),
                &num(e.high),
            ])
            .context("CSV")?;
        }
        if let Some(c) = &m.interval_80 {
            let e = c.coverage;
            w.write_record([
                m.model.as_str(),
                "coverage_80",
                "all",
                &n,
                &num(e.value),
                &num(e.low),
                &num(e.high),
            ])
            .context("CSV")?;
        }
        for (kind, groups) in [("procedure", &m.by_procedure), ("period", &m.by_period)] {
            for g in groups {
                let value = g.mae.map_or(String::new(), num);
                w.write_record([
                    m.model.as_str(),
                    "mae",
                    &format!("{kind}: {}", g.group),
                    &g.issues.to_string(),
                    &value,
                    "",
                    "",
                ])
                .context("CSV")?;
            }
        }
        for reason in &m.missing_reasons {
            w.write_record([
                m.model.as_str(),
                "unanswered",
                &reason.reason,
                &reason.issues.to_string(),
                "",
                "",
                "",
            ])
            .context("CSV")?;
        }
    }
    Ok(String::from_utf8(w.into_inner().context("CSV")?).context("CSV is UTF-8")?)
}
