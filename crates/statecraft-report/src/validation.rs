//! The accuracy report of `statecraft validate` for people: its tables and the chart of each
//! model's error distribution, as a section and as a self-contained HTML page.

use std::fmt::Write as _;

use statecraft_core::validation::{GroupScore, ModelScore, ValidationReport};

use crate::charts::{fmt, Chart, DataTable, Kind, ScaleAxis};
use crate::export::{escape, html_figure, html_table, page_head, ExportError, HtmlSection};

/// `low`..`high` as the tables write an interval.
fn interval(low: f64, high: f64) -> String {
    format!("[{:.2}, {:.2}]", low, high)
}

fn share(p: f64) -> String {
    format!("{:.0}%", 100.0 * p)
}

/// `name` with a star when the model is fitted (its figures are out of sample).
fn marked(m: &ModelScore, name: &str) -> String {
    match m.fit {
        Some(_) => format!("{name} *"),
        None => name.to_owned(),
    }
}

/// The model's label, marked when fitted.
fn fitted_mark(m: &ModelScore) -> String {
    marked(m, &m.label)
}

/// The model's id (short enough for a chart's axis), marked when fitted.
fn short_mark(m: &ModelScore) -> String {
    marked(m, &m.model)
}

/// Mean errors closer than this (points) are reported as tied.
const TIE: f64 = 0.005;

/// The chart of every model's absolute errors: a box for the middle half, whiskers from 5% to
/// 95%, the mean (the MAE) marked.
pub fn validation_chart(report: &ValidationReport) -> Chart {
    let rows: Vec<(String, [f64; 5], f64)> = report
        .models
        .iter()
        .filter_map(|m| {
            let metrics = m.metrics.as_ref()?;
            Some((short_mark(m), metrics.error_quantiles, metrics.mae.value))
        })
        .collect();
    let top = rows
        .iter()
        .map(|(_, q, _)| q[4])
        .fold(10.0_f64, f64::max)
        .min(100.0);
    let max = ((top / 10.0).ceil() * 10.0).min(100.0);
    // Only models that answered every issue compare fairly: a model that answered few may have
    // answered the easy ones.
    let most = report.models.iter().map(|m| m.forecasts).max().unwrap_or(0);
    let full: Vec<(&str, f64)> = report
        .models
        .iter()
        .filter(|m| m.forecasts == most)
        .filter_map(|m| Some((m.model.as_str(), m.metrics.as_ref()?.mae.value)))
        .collect();
    let lowest = full.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
    let tied: Vec<&str> = full
        .iter()
        .filter(|r| r.1 - lowest <= TIE)
        .map(|r| r.0)
        .collect();
    let among = format!("of the models that answered all {most} issues");
    let best = match tied.as_slice() {
        [] => None,
        [one] => Some(format!(
            " The lowest mean error {among} is {one}'s, {}.",
            fmt(lowest)
        )),
        many => Some(format!(
            " The lowest mean error {among}, {}, is shared by {} (equal to within {TIE} points).",
            fmt(lowest),
            many.join(", ")
        )),
    };
    Chart {
        id: "validation-errors".into(),
        title: format!(
            "How far each forecast fell from the outcome ({} issues, points of 0..100)",
            report.issues_with_outcome
        ),
        summary: format!(
            "For each model, the absolute error of its forecast on every issue it answered: boxes \
             span the middle half of the errors, whiskers 5% to 95%, the dot is the mean (MAE). \
             Fitted forecasters (*) are scored out of sample.{}",
            best.unwrap_or_default()
        ),
        table: DataTable {
            header: [
                "Model", "Issues", "MAE", "5%", "25%", "50%", "75%", "95%", "Bias",
            ]
            .map(String::from)
            .to_vec(),
            rows: report
                .models
                .iter()
                .filter_map(|m| {
                    let x = m.metrics.as_ref()?;
                    let mut row = vec![short_mark(m), m.forecasts.to_string(), fmt(x.mae.value)];
                    row.extend(x.error_quantiles.iter().map(|&v| fmt(v)));
                    row.push(format!("{:+.2}", x.mean_signed_error));
                    Some(row)
                })
                .collect(),
        },
        kind: Kind::Spread {
            axis: ScaleAxis {
                label: "Absolute error (points of 0..100)".into(),
                min: 0.0,
                max,
                anchors: Vec::new(),
                status_quo: None,
                red_lines: Vec::new(),
            },
            rows,
        },
    }
}

fn accuracy_table(report: &ValidationReport) -> DataTable {
    let header = [
        "Model",
        "Issues",
        "MAE [95%]",
        "RMSE",
        "Median error",
        "Within 5",
        "Within 10",
        "Bias",
        "MAE − compromise [95%]",
        "80% interval holds",
    ];
    let rows = report
        .models
        .iter()
        .map(|m| {
            let mut row = vec![fitted_mark(m), m.forecasts.to_string()];
            match &m.metrics {
                Some(x) => {
                    row.push(format!(
                        "{:.2} {}",
                        x.mae.value,
                        interval(x.mae.low, x.mae.high)
                    ));
                    row.push(format!("{:.2}", x.rmse.value));
                    row.push(format!("{:.2}", x.median_error.value));
                    row.push(share(x.within_5.value));
                    row.push(share(x.within_10.value));
                    row.push(format!("{:+.2}", x.mean_signed_error));
                }
                None => row.extend(std::iter::repeat_n("none answered".to_owned(), 6)),
            }
            row.push(match &m.versus_compromise {
                _ if m.model == "compromise" => "(reference)".into(),
                Some(d) => format!(
                    "{:+.2} {} on {}",
                    d.mae_difference.value,
                    interval(d.mae_difference.low, d.mae_difference.high),
                    d.issues
                ),
                None => "–".into(),
            });
            row.push(match &m.interval_80 {
                Some(c) => format!(
                    "{} [{}, {}]",
                    share(c.coverage.value),
                    share(c.coverage.low),
                    share(c.coverage.high)
                ),
                None => "–".into(),
            });
            row
        })
        .collect();
    DataTable {
        header: header.map(String::from).to_vec(),
        rows,
    }
}

/// MAE by group (procedure or treaty period), models as rows.
fn group_table(report: &ValidationReport, pick: fn(&ModelScore) -> &[GroupScore]) -> DataTable {
    let groups: Vec<String> = report
        .models
        .first()
        .map(|m| pick(m).iter().map(|g| g.group.clone()).collect())
        .unwrap_or_default();
    let mut header = vec!["Model".to_owned()];
    header.extend(groups.iter().cloned());
    let rows = report
        .models
        .iter()
        .map(|m| {
            let mut row = vec![fitted_mark(m)];
            for g in &groups {
                row.push(match pick(m).iter().find(|x| &x.group == g) {
                    Some(x) => match x.mae {
                        Some(mae) => format!("{:.2} ({})", mae, x.issues),
                        None => "none answered".into(),
                    },
                    None => "–".into(),
                });
            }
            row
        })
        .collect();
    DataTable { header, rows }
}

/// The accuracy report as one section (for pages that show it beside others).
pub fn validation_section(report: &ValidationReport) -> Result<HtmlSection, ExportError> {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<p>{} issues with a known outcome in {} cases, errors in points of a 0..100 scale. \
         Intervals are 95% bootstrap intervals over cases ({} replicates, seed {}); capabilities: \
         {}. Fitted forecasters (*) are scored by {}-fold cross-validation by case: every figure \
         of theirs is out of sample.</p>",
        report.issues_with_outcome,
        report.cases,
        report.options.bootstrap,
        report.options.seed,
        escape(report.options.capabilities.name()),
        report.options.folds
    );
    let _ = writeln!(
        out,
        "<p class=\"verdict\"><strong>Verdict:</strong> {}</p>",
        escape(&report.verdict)
    );
    html_table(&mut out, &accuracy_table(report), Some("Accuracy by model"));
    html_figure(&mut out, &validation_chart(report))?;
    if report.models.iter().any(|m| !m.by_procedure.is_empty()) {
        html_table(
            &mut out,
            &group_table(report, |m| &m.by_procedure),
            Some("MAE by legislative procedure (issues answered)"),
        );
    }
    if report.models.iter().any(|m| !m.by_period.is_empty()) {
        html_table(
            &mut out,
            &group_table(report, |m| &m.by_period),
            Some("MAE by treaty period (issues answered)"),
        );
    }
    let missing: Vec<&ModelScore> = report.models.iter().filter(|m| m.missing > 0).collect();
    if !missing.is_empty() {
        out.push_str("<h3>Issues without a forecast</h3><ul>");
        for m in missing {
            let reasons: Vec<String> = m
                .missing_reasons
                .iter()
                .map(|r| format!("{} ({})", escape(&r.reason), r.issues))
                .collect();
            let _ = write!(
                out,
                "<li>{}: {} of {}: {}</li>",
                escape(&m.label),
                m.missing,
                m.missing + m.forecasts,
                reasons.join("; ")
            );
        }
        out.push_str("</ul>\n");
    }
    if !report.notes.is_empty() {
        out.push_str("<h3>How the data were read</h3><ul>");
        for n in &report.notes {
            let _ = write!(out, "<li>{}</li>", escape(n));
        }
        out.push_str("</ul>\n");
    }
    Ok(HtmlSection {
        id: "validation",
        title: "Accuracy on decisions with a known outcome",
        html: out,
    })
}

/// The accuracy report as a self-contained HTML page (inline styles and SVG, no script).
pub fn validation_html(report: &ValidationReport, data: &str) -> Result<String, ExportError> {
    let section = validation_section(report)?;
    let title = format!("Accuracy of statecraft's models on {data}");
    let mut out = page_head(&title);
    let _ = writeln!(out, "<header><h1>{}</h1></header>\n<main>", escape(&title));
    section.write_to(&mut out);
    let _ = writeln!(
        out,
        "</main>\n<footer><p>Written by statecraft {}. docs/validation.md describes the data, \
         the capability schemes, the metrics and the fitting.</p></footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    Ok(out)
}
