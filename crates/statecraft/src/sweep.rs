//! `statecraft sweep`: draws the uncertain inputs, runs the chosen models on every draw, and
//! prints the spread of each forecast and, on request, the inputs that move it most.

use std::io::Write;

use anyhow::Context;
use comfy_table::{Cell, CellAlignment};
use serde::Serialize;
use statecraft_core::models::bdm::{BdmParams, Variant};
use statecraft_core::sweep::{sensitivity, sweep, uncertain_inputs, InputIndex, SweepResult};

use crate::cli::{OutputFormat, SweepArgs};
use crate::commands::{fmt_value, load, new_table, selected_models, write_out, DEFAULT_SCENARIO};
use crate::Failure;

/// The uncertainty used when a scenario states none and has no distribution.
const FALLBACK_UNCERTAINTY: f64 = 0.1;
/// Inputs listed per issue in the table's sensitivity ranking.
const TOP_INPUTS: usize = 5;

#[derive(Serialize)]
struct Output<'a> {
    scenario: Option<&'a str>,
    uncertainty: f64,
    #[serde(flatten)]
    result: &'a SweepResult,
    sensitivity: Option<Sensitivity<'a>>,
}

#[derive(Serialize)]
struct Sensitivity<'a> {
    model: &'a str,
    base_rows: usize,
    issues: Vec<IssueSensitivity<'a>>,
}

#[derive(Serialize)]
struct IssueSensitivity<'a> {
    issue: &'a str,
    /// Inputs by total effect, largest first; `null` when the forecast does not vary.
    inputs: Option<&'a [InputIndex]>,
}

pub(crate) fn run(args: SweepArgs) -> Result<(), Failure> {
    let spec = args.scenario.as_deref().unwrap_or(DEFAULT_SCENARIO);
    let loaded = load(spec, args.from.as_deref())?;
    let scenario = match crate::what_if::apply(&loaded.scenario, &args.what_if)? {
        Some(changed) => changed,
        None => loaded.scenario,
    };
    if let Some(u) = args.uncertainty {
        if !(u.is_finite() && u >= 0.0) {
            let _ = writeln!(
                std::io::stderr(),
                "error: --uncertainty {u} is not a share of 0 or more\n  help: 0.1 means a standard deviation of 10%"
            );
            return Err(Failure::BadInput);
        }
    }
    if args.runs == 0 {
        let _ = writeln!(
            std::io::stderr(),
            "error: --runs 0: a sweep needs at least one run"
        );
        return Err(Failure::BadInput);
    }
    let mut inputs = uncertain_inputs(&scenario, args.uncertainty);
    let mut uncertainty = args
        .uncertainty
        .or(scenario.meta().uncertainty)
        .unwrap_or(0.0);
    if inputs.is_empty() && args.uncertainty.is_none() {
        uncertainty = FALLBACK_UNCERTAINTY;
        inputs = uncertain_inputs(&scenario, Some(uncertainty));
        let _ = writeln!(
            std::io::stderr(),
            "note: the scenario gives no uncertainty; every value is drawn with a standard deviation of {:.0}% (set --uncertainty or the scenario's `uncertainty`)",
            100.0 * uncertainty
        );
    }
    let variant = Variant::from_name(&args.variant).expect("clap checked the variant");
    let models = selected_models(&args.model, BdmParams::forecast(variant))?;
    let result = sweep(&scenario, &inputs, &models, args.runs, args.seed);
    let ranking = args.sensitivity.map(|n| {
        let model = &models[0];
        (
            model.id(),
            n,
            sensitivity(&scenario, &inputs, model.as_ref(), n.max(2), args.seed),
        )
    });
    let text = match args.format {
        OutputFormat::Json => {
            let output = Output {
                scenario: scenario.meta().title.as_deref(),
                uncertainty,
                result: &result,
                sensitivity: ranking.as_ref().map(|(model, n, issues)| Sensitivity {
                    model,
                    base_rows: *n,
                    issues: issues
                        .iter()
                        .map(|(issue, inputs)| IssueSensitivity {
                            issue,
                            inputs: inputs.as_deref(),
                        })
                        .collect(),
                }),
            };
            serde_json::to_string_pretty(&output).context("cannot write JSON")? + "\n"
        }
        OutputFormat::Csv => {
            let mut text = String::from("model,issue,statistic,value\n");
            for m in &result.models {
                for s in &m.issues {
                    let mut row = |stat: &str, v: String| {
                        text.push_str(&format!("{},{},{stat},{v}\n", m.model, s.issue));
                    };
                    row("runs_with_value", s.runs_with_value.to_string());
                    if let (Some(mean), Some(sd), Some(q)) = (s.mean, s.sd, s.quantiles) {
                        row("mean", mean.to_string());
                        row("sd", sd.to_string());
                        for (p, v) in [5, 25, 50, 75, 95].iter().zip(q) {
                            row(&format!("q{p}"), v.to_string());
                        }
                    }
                }
            }
            text
        }
        OutputFormat::Table => {
            let mut out = String::new();
            if let Some(title) = &scenario.meta().title {
                out.push_str(&format!("{title}\n"));
            }
            out.push_str(&format!(
                "{} draws of {} uncertain inputs (seed {}); the spread of each forecast:\n",
                result.runs,
                inputs.len(),
                result.seed
            ));
            for m in &result.models {
                let mut t = new_table();
                t.set_header([
                    "Issue", "Mean", "SD", "5%", "25%", "Median", "75%", "95%", "Runs",
                ]);
                for s in &m.issues {
                    let mut row = vec![Cell::new(&s.issue)];
                    let numbers: Vec<String> = match (s.mean, s.sd, s.quantiles) {
                        (Some(mean), Some(sd), Some(q)) => std::iter::once(mean)
                            .chain(std::iter::once(sd))
                            .chain(q)
                            .map(fmt_value)
                            .collect(),
                        _ => vec!["none".into(); 7],
                    };
                    row.extend(
                        numbers
                            .into_iter()
                            .chain(std::iter::once(s.runs_with_value.to_string()))
                            .map(|v| Cell::new(v).set_alignment(CellAlignment::Right)),
                    );
                    t.add_row(row);
                }
                out.push_str(&format!("\n{}:\n{t}\n", m.model));
            }
            if let Some((model, n, issues)) = &ranking {
                out.push_str(&format!(
                    "\nWhat moves the {model} forecast most (Sobol indices from {n} base rows; first order / total):\n"
                ));
                for (issue, ranked) in issues {
                    match ranked {
                        None => out.push_str(&format!("  {issue}: the forecast does not vary\n")),
                        Some(ranked) => {
                            let top: Vec<String> = ranked
                                .iter()
                                .take(TOP_INPUTS)
                                .map(|i| format!("{} {:.2}/{:.2}", i.input, i.first_order, i.total))
                                .collect();
                            out.push_str(&format!("  {issue}: {}\n", top.join(", ")));
                        }
                    }
                }
            }
            out
        }
    };
    write_out(&text)
}
