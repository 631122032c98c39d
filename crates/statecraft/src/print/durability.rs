//! The durability analysis printed: the package, survival by form over the years, the
//! elections, and who would renege; or the survival curves as CSV. Also the backtest's scores.

use comfy_table::{Cell, CellAlignment};
use statecraft_api::{DurabilityResult, PackageValue};
use statecraft_core::backtest::Backtest;
use statecraft_core::durability::{Durability, DurabilityParams};
use statecraft_core::scenario::Scenario;

use super::{fmt_value, marked, name, new_table, red_line_notes};
use crate::cli::OutputFormat;
use crate::Failure;

/// Prints the analysis in `format`.
pub(crate) fn print(
    scenario: &Scenario,
    result: &DurabilityResult,
    format: OutputFormat,
) -> Result<(), Failure> {
    let text = match format {
        OutputFormat::Json => super::json(result)?,
        OutputFormat::Csv => super::csv_text(
            &["form", "years", "survival", "form_label"],
            result.forms.iter().flat_map(|r| {
                r.times.iter().zip(&r.survival).map(|(t, s)| {
                    [
                        r.form.clone(),
                        t.to_string(),
                        s.to_string(),
                        r.label.clone(),
                    ]
                })
            }),
        )?,
        OutputFormat::Table => super::for_people(&table(
            scenario,
            &result.package,
            &result.params(),
            &result.forms,
        )),
    };
    super::write_out(&text)
}

fn percent(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

/// The readable report: the package, survival by form over the years, the elections, and who
/// would renege.
fn table(
    scenario: &Scenario,
    package: &[PackageValue],
    params: &DurabilityParams,
    results: &[Durability],
) -> String {
    let mut out = String::new();
    if let Some(title) = &scenario.meta().title {
        out.push_str(&format!("{title}\n"));
    }
    out.push_str(&format!(
        "How long an agreement signed on {} survives changes of government ({} simulated histories, seed {}).\n\nThe package:\n",
        params.start, params.runs, params.seed
    ));
    for (issue, p) in scenario.issues().iter().zip(package) {
        let sq = issue
            .status_quo
            .map_or("none".into(), |v| super::on_issue(issue, v));
        let label = issue
            .nearest_anchor(p.value)
            .map(|a| format!(" (nearest \"{}\")", a.label))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {}: {}{label}; status quo {sq}\n",
            issue.id,
            marked(p.value, issue.scale.range(), &p.red_lines)
        ));
    }
    out.push_str(&red_line_notes(
        package
            .iter()
            .map(|p| (p.issue.clone(), p.value, p.red_lines.as_slice())),
    ));
    if results.iter().all(|r| r.survival.iter().all(|&s| s == 1.0)) {
        out.push_str(&format!(
            "\nEvery form survives every simulated history for {} years: no new leader gains more from reneging than it costs.\n",
            fmt_value(params.years)
        ));
    }
    // Survival by form at whole years.
    let whole_years: Vec<usize> = (1..=params.years.floor() as usize).collect();
    let mut t = new_table();
    let mut header = vec![Cell::new("Form")];
    header.extend(whole_years.iter().map(|y| Cell::new(format!("{y} y"))));
    header.push(Cell::new("Median lifetime"));
    t.set_header(header);
    for r in results {
        let mut row = vec![Cell::new(&r.label)];
        for &y in &whole_years {
            let k = r.times.iter().position(|&t| (t - y as f64).abs() < 1e-9);
            let s = k.map_or_else(|| "".into(), |k| percent(r.survival[k]));
            row.push(Cell::new(s).set_alignment(CellAlignment::Right));
        }
        let median = r
            .median_years
            .map_or(format!("over {} y", fmt_value(params.years)), |m| {
                format!("{m:.1} y")
            });
        row.push(Cell::new(median).set_alignment(CellAlignment::Right));
        t.add_row(row);
    }
    out.push_str(&format!(
        "\nShare of histories in which the agreement is still in force:\n{t}\n"
    ));
    if let Some(first) = results.first() {
        let se = 100.0 * results.iter().map(|r| r.standard_error).fold(0.0, f64::max);
        out.push_str(&standard_error_line(se));
        if !first.elections.is_empty() {
            let mut t = new_table();
            let mut header = vec![Cell::new("Scheduled change"), Cell::new("In")];
            header.extend(results.iter().map(|r| Cell::new(&r.label)));
            t.set_header(header);
            for (k, e) in first.elections.iter().enumerate() {
                let mut row = vec![
                    Cell::new(format!("{}: {}", name(scenario, &e.actor), e.label)),
                    Cell::new(format!("{:.1} y", e.at_years)),
                ];
                for r in results {
                    let s = r.elections[k]
                        .survives_given_alive
                        .map_or("-".into(), percent);
                    row.push(Cell::new(s).set_alignment(CellAlignment::Right));
                }
                t.add_row(row);
            }
            out.push_str(&format!("\nChance the agreement survives each scheduled change, if in force before it:\n{t}\n"));
        }
    }
    for r in results {
        out.push_str(&format!(
            "\n{} (survives {} years: {}):\n",
            r.label,
            fmt_value(params.years),
            percent(r.survives_horizon)
        ));
        let mut any = false;
        for c in &r.changes {
            for s in c.successors.iter().filter(|s| s.p_renege > 0.0) {
                any = true;
                let when = c.at_years.map_or_else(
                    || format!("{} a year", percent(c.probability)),
                    |t| format!("in {t:.1} y, turnover {}", percent(c.probability)),
                );
                let how = if s.p_renege < 1.0 {
                    format!("reneges in {} of draws", percent(s.p_renege))
                } else {
                    "reneges".into()
                };
                let issue = s
                    .decisive_issue
                    .as_deref()
                    .map(|k| format!(", reversing `{k}` above all"))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "  {} after {} ({when}): {} {how}: reneging{issue} is worth {:.3} against a cost of {:.3}\n",
                    name(scenario, &c.actor), c.label, s.label, s.gain_from_reneging, s.cost
                ));
            }
        }
        if !any {
            out.push_str("  no successor would renege: the cost of reneging exceeds every successor's gain\n");
        }
        for f in &r.first_defectors {
            let issues: Vec<String> = f
                .issues
                .iter()
                .map(|i| format!("`{}` {}", i.issue, percent(i.share)))
                .collect();
            let why = if issues.is_empty() {
                String::new()
            } else {
                format!("; the issue whose reversal did it: {}", issues.join(", "))
            };
            out.push_str(&format!(
                "  {} ends it first in {} of histories (on average after {:.1} y){why}\n",
                name(scenario, &f.actor),
                percent(f.share),
                f.mean_years
            ));
        }
        for e in &r.elections {
            for w in &e.walk_away {
                out.push_str(&format!(
                    "  at {}'s {} ({:.1} y): the {} walks away in {} of histories\n",
                    name(scenario, &e.actor),
                    e.label,
                    e.at_years,
                    w.successor,
                    percent(w.share)
                ));
            }
        }
        for i in r.incumbents.iter().filter(|i| i.gain_from_reneging > 0.0) {
            let verdict = if i.gain_from_reneging > i.cost {
                "more than its cost of reneging: it would hardly sign"
            } else {
                "held only by the cost of reneging"
            };
            out.push_str(&format!(
                "  note: {}'s current leadership prefers the status quo by {:.3}, {verdict} ({:.3})\n",
                name(scenario, &i.actor),
                i.gain_from_reneging,
                i.cost
            ));
        }
    }
    out
}

/// Prints the backtest in `format`: per case, every dated check, the scores against the
/// baselines and the calibration table; csv prints the dated checks.
pub(crate) fn print_backtest(result: &Backtest, format: OutputFormat) -> Result<(), Failure> {
    let text = match format {
        OutputFormat::Json => super::json(result)?,
        OutputFormat::Csv => super::csv_text(
            &["case", "date", "years", "predicted", "in_force"],
            result.checks.iter().map(|c| {
                vec![
                    c.case.clone(),
                    c.date.clone(),
                    format!("{:.3}", c.years),
                    format!("{}", c.predicted),
                    c.in_force.to_string(),
                ]
            }),
        )?,
        OutputFormat::Table => super::for_people(&backtest_table(result)),
    };
    super::write_out(&text)
}

fn backtest_table(result: &Backtest) -> String {
    let mut out = format!(
        "The durability model on {} agreements whose fate is known ({} histories per case, seed {}).\n",
        result.cases.len(),
        result.runs,
        result.seed
    );
    let mut t = new_table();
    t.set_header(["Case", "Signed", "Form", "Checks", "Brier"]);
    for c in &result.cases {
        t.add_row(vec![
            Cell::new(c.title.as_deref().unwrap_or(&c.case)),
            Cell::new(&c.signed),
            Cell::new(&c.form),
            Cell::new(c.checks).set_alignment(CellAlignment::Right),
            Cell::new(format!("{:.3}", c.brier)).set_alignment(CellAlignment::Right),
        ]);
    }
    out.push_str(&format!("\n{t}\n"));
    let mut t = new_table();
    t.set_header(["Case", "Date", "P(in force)", "In force"]);
    for c in &result.checks {
        t.add_row(vec![
            Cell::new(&c.case),
            Cell::new(&c.date),
            Cell::new(percent(c.predicted)).set_alignment(CellAlignment::Right),
            Cell::new(if c.in_force { "yes" } else { "no" }),
        ]);
    }
    out.push_str(&format!("\nEvery dated check:\n{t}\n"));
    let mut t = new_table();
    t.set_header(["Forecast", "Brier score"]);
    t.add_row(vec![
        Cell::new("durability model"),
        Cell::new(format!("{:.3}", result.brier)).set_alignment(CellAlignment::Right),
    ]);
    for b in &result.baselines {
        t.add_row(vec![
            Cell::new(format!("{} ({})", b.name, percent(b.predicted))),
            Cell::new(format!("{:.3}", b.brier)).set_alignment(CellAlignment::Right),
        ]);
    }
    out.push_str(&format!(
        "\nScores over {} checks (lower is better; the base rate is computed on these same checks):\n{t}\n",
        result.checks.len()
    ));
    let mut t = new_table();
    t.set_header(["Predicted", "Checks", "Mean predicted", "Share in force"]);
    for b in &result.calibration {
        let show = |v: Option<f64>| v.map_or("-".into(), percent);
        t.add_row(vec![
            Cell::new(format!("{:.0}-{:.0}%", 100.0 * b.from, 100.0 * b.to)),
            Cell::new(b.checks).set_alignment(CellAlignment::Right),
            Cell::new(show(b.mean_predicted)).set_alignment(CellAlignment::Right),
            Cell::new(show(b.observed)).set_alignment(CellAlignment::Right),
        ]);
    }
    out.push_str(&format!("\nCalibration:\n{t}\n"));
    out
}

/// The Monte Carlo error line, never `at most 0.0 points`.
fn standard_error_line(points: f64) -> String {
    if points == 0.0 {
        "Monte Carlo standard error at the horizon: none (every history of a form ends the same way).\n".into()
    } else if points < 0.05 {
        "Monte Carlo standard error at the horizon: below 0.05 points.\n".into()
    } else {
        format!("Monte Carlo standard error at the horizon: at most {points:.1} points.\n")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_error_line_never_says_at_most_zero() {
        for (points, said) in [
            (0.0, "none (every history"),
            (0.01, "below 0.05 points"),
            (0.049, "below 0.05 points"),
            (0.26, "at most 0.3 points"),
        ] {
            let line = super::standard_error_line(points);
            assert!(line.contains(said), "{points}: {line}");
            assert!(!line.contains("0.0 points"), "{line}");
        }
    }
}
