//! `statecraft durability`: reads the package and forms from the command line, runs the survival
//! analysis for each form and prints the comparison.

use std::io::Write;

use anyhow::Context;
use chrono::NaiveDate;
use comfy_table::{Cell, CellAlignment};
use serde::Serialize;
use statecraft_core::durability::{analyse, default_forms, Durability, DurabilityParams};
use statecraft_core::model::{AgreementForm, Scenario};
use statecraft_core::models::{Compromise, Model};

use crate::cli::{DurabilityArgs, OutputFormat};
use crate::commands::{fmt_value, new_table, write_out, DEFAULT_SCENARIO};
use crate::Failure;

/// Prints `error: MESSAGE` and `help: HELP` on stderr; the caller exits with code 2.
fn bad_usage(message: &str, help: &str) -> Failure {
    let _ = writeln!(std::io::stderr(), "error: {message}\n  help: {help}");
    Failure::BadInput
}

/// The package: the compromise forecast on every issue when `--package` is not given; else the
/// values it names, with the other issues left at their status quo.
pub(crate) fn package(scenario: &Scenario, pairs: &[String]) -> Result<Vec<f64>, Failure> {
    let issues = scenario.issues();
    let mut values: Vec<f64> = if pairs.is_empty() {
        let forecast = Compromise.forecast(scenario);
        forecast
            .issues
            .iter()
            .zip(issues)
            .map(|(f, issue)| f.value.or(issue.status_quo).unwrap_or(issue.scale.min))
            .collect()
    } else {
        // An issue without a status quo is refused by the analysis, which names it.
        issues
            .iter()
            .map(|i| i.status_quo.unwrap_or(i.scale.min))
            .collect()
    };
    let ids: Vec<&str> = issues.iter().map(|i| i.id.as_str()).collect();
    for pair in pairs {
        let Some((id, value)) = pair.split_once('=') else {
            return Err(bad_usage(
                &format!("--package `{pair}` is not ISSUE=VALUE"),
                "e.g. --package nuclear_status=20,sanctions=60",
            ));
        };
        let (id, value) = (id.trim(), value.trim());
        let Some(k) = scenario.issue_index(id) else {
            let help = statecraft_io::unknown_name_help(id, &ids, "issues");
            return Err(bad_usage(
                &format!("--package names issue `{id}`, which the scenario does not define"),
                &help,
            ));
        };
        let scale = issues[k].scale;
        match value.parse::<f64>() {
            Ok(v) if v.is_finite() && scale.contains(v) => values[k] = v,
            _ => {
                return Err(bad_usage(
                    &format!("--package gives issue `{id}` the value `{value}`"),
                    &format!(
                        "give a number on the issue's scale {}..={}",
                        scale.min, scale.max
                    ),
                ))
            }
        }
    }
    Ok(values)
}

/// The forms named by `--form`, or every form the scenario defines (the defaults if none).
pub(crate) fn forms(scenario: &Scenario, names: &[String]) -> Result<Vec<AgreementForm>, Failure> {
    let available = if scenario.forms().is_empty() {
        default_forms()
    } else {
        scenario.forms().to_vec()
    };
    if names.is_empty() {
        return Ok(available);
    }
    let ids: Vec<&str> = available.iter().map(|f| f.id.as_str()).collect();
    names
        .iter()
        .map(|name| {
            available
                .iter()
                .find(|f| f.id == *name)
                .cloned()
                .ok_or_else(|| {
                    bad_usage(
                        &format!("unknown agreement form `{name}`"),
                        &format!("the forms are: {}", ids.join(", ")),
                    )
                })
        })
        .collect()
}

/// What `--format json` prints.
#[derive(Serialize)]
struct Output<'a> {
    scenario: Option<&'a str>,
    start: String,
    years: f64,
    runs: usize,
    seed: u64,
    package: Vec<PackageValue<'a>>,
    forms: &'a [Durability],
}

#[derive(Serialize)]
struct PackageValue<'a> {
    issue: &'a str,
    value: f64,
    status_quo: Option<f64>,
}

pub(crate) fn run(args: DurabilityArgs) -> Result<(), Failure> {
    let spec = args.scenario.as_deref().unwrap_or(DEFAULT_SCENARIO);
    let changed = crate::what_if::load_changed(
        args.scenario.as_deref(),
        args.from.as_deref(),
        &args.what_if,
    )?;
    let scenario = &changed;
    let start = match (&args.start, scenario.meta().date) {
        (Some(text), _) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| {
            bad_usage(
                &format!("--start `{text}` is not a date: {e}"),
                "write YYYY-MM-DD, e.g. 2009-05-09",
            )
        })?,
        (None, Some(date)) => date,
        (None, None) => {
            return Err(bad_usage(
                "the scenario has no date, so its elections cannot be placed in time",
                "give the signing date with --start YYYY-MM-DD, or a `date` in the scenario",
            ))
        }
    };
    let package = package(scenario, &args.package)?;
    let forms = forms(scenario, &args.form)?;
    let params = DurabilityParams {
        years: args.years,
        runs: args.runs,
        seed: args.seed,
        step: args.step,
        start,
    };
    let mut results = Vec::new();
    for form in &forms {
        match analyse(scenario, &package, form, &params) {
            Ok(result) => results.push(result),
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "error: {spec}: {e}");
                return Err(Failure::BadInput);
            }
        }
    }
    if let Some(path) = &args.store {
        let params = serde_json::json!({
            "package": package,
            "forms": forms.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            "years": params.years,
            "runs": params.runs,
            "step": params.step,
            "start": start.format("%Y-%m-%d").to_string(),
        });
        crate::runs::record(
            path,
            "durability",
            scenario,
            params,
            Some(args.seed),
            &results,
        )?;
    }
    match args.format {
        OutputFormat::Json => {
            let output = Output {
                scenario: scenario.meta().title.as_deref(),
                start: start.format("%Y-%m-%d").to_string(),
                years: params.years,
                runs: params.runs,
                seed: params.seed,
                package: scenario
                    .issues()
                    .iter()
                    .zip(&package)
                    .map(|(i, &value)| PackageValue {
                        issue: &i.id,
                        value,
                        status_quo: i.status_quo,
                    })
                    .collect(),
                forms: &results,
            };
            let text = serde_json::to_string_pretty(&output).context("cannot write JSON")?;
            write_out(&(text + "\n"))
        }
        OutputFormat::Csv => {
            let mut text = String::from("form,years,survival\n");
            for r in &results {
                for (t, s) in r.times.iter().zip(&r.survival) {
                    text.push_str(&format!("{},{t},{s}\n", r.form));
                }
            }
            write_out(&text)
        }
        OutputFormat::Table => write_out(&table(scenario, &package, &params, &results)),
    }
}

fn percent(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

fn name<'a>(scenario: &'a Scenario, id: &'a str) -> &'a str {
    scenario
        .actor_index(id)
        .map_or(id, |a| scenario.actors()[a].name.as_str())
}

/// The readable report: the package, survival by form over the years, the elections, and who
/// would renege.
fn table(
    scenario: &Scenario,
    package: &[f64],
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
    for (issue, value) in scenario.issues().iter().zip(package) {
        let sq = issue.status_quo.map_or("none".into(), fmt_value);
        let label = issue
            .nearest_anchor(*value)
            .map(|a| format!(" (nearest \"{}\")", a.label))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {}: {}{label}; status quo {sq}\n",
            issue.id,
            fmt_value(*value)
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
        out.push_str(&format!(
            "Monte Carlo standard error at the horizon: at most {:.1} points.\n",
            100.0 * results.iter().map(|r| r.standard_error).fold(0.0, f64::max)
        ));
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
                out.push_str(&format!(
                    "  {} after {} ({when}): {} {how}: going back to the status quo is worth {:.3} against a cost of {:.3}\n",
                    name(scenario, &c.actor), c.label, s.label, s.gain_from_reneging, s.cost
                ));
            }
        }
        if !any {
            out.push_str("  no successor would renege: the cost of reneging exceeds every successor's gain\n");
        }
        for f in &r.first_defectors {
            out.push_str(&format!(
                "  {} ends it first in {} of histories (on average after {:.1} y)\n",
                name(scenario, &f.actor),
                percent(f.share),
                f.mean_years
            ));
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
