//! A sweep printed: the spread of every model's forecast on every issue, how often all can
//! agree, the spread of the chance to survive, and the inputs that move each forecast most.

use comfy_table::{Cell, CellAlignment};
use statecraft_api::{SensitivityOutput, SweepResultOutput};
use statecraft_core::scenario::Scenario;

use super::{fmt_value, new_table};
use crate::cli::OutputFormat;
use crate::Failure;

/// Inputs listed per issue in the table's sensitivity ranking.
const TOP_INPUTS: usize = 5;

/// Prints the sweep in `format`.
pub(crate) fn print(
    scenario: &Scenario,
    output: &SweepResultOutput,
    format: OutputFormat,
) -> Result<(), Failure> {
    let result = &output.result;
    let text = match format {
        OutputFormat::Json => super::json(output)?,
        OutputFormat::Csv => {
            let mut rows: Vec<[String; 6]> = Vec::new();
            for m in &result.models {
                for s in &m.issues {
                    let mut row = |stat: &str, v: String| {
                        rows.push([
                            m.model.clone(),
                            s.issue.clone(),
                            stat.to_owned(),
                            v,
                            super::model_label(&m.model),
                            issue_label(scenario, &s.issue),
                        ]);
                    };
                    row("runs", s.runs.to_string());
                    row("runs_with_value", s.runs_with_value.to_string());
                    if let Some(mean) = s.mean {
                        row("mean", mean.to_string());
                    }
                    // Below MIN_DRAWS values there is no sd and no quantile (`too_few`).
                    if let (Some(sd), Some(q)) = (s.sd, s.quantiles) {
                        row("sd", sd.to_string());
                        for (p, v) in [5, 25, 50, 75, 95].iter().zip(q) {
                            row(&format!("q{p}"), v.to_string());
                        }
                        if let Some(r) = s.quantile_resolution {
                            row("quantile_resolution", r.to_string());
                        }
                    }
                }
            }
            super::csv_text(
                &[
                    "model",
                    "issue",
                    "statistic",
                    "value",
                    "model_label",
                    "issue_label",
                ],
                rows,
            )?
        }
        OutputFormat::Table => {
            let mut out = String::new();
            if let Some(title) = &scenario.meta().title {
                out.push_str(&format!("{title}\n"));
            }
            out.push_str(&format!(
                "{} draws of {} uncertain inputs (seed {}); the spread of each forecast:\n",
                result.runs,
                result.inputs.len(),
                result.seed
            ));
            for m in &result.models {
                let mut t = new_table();
                t.set_header([
                    "Issue", "Mean", "SD", "5%", "25%", "Median", "75%", "95%", "Runs",
                ]);
                let mut thin = Vec::new();
                for s in &m.issues {
                    let span = scenario
                        .issue_index(&s.issue)
                        .map_or(100.0, |i| scenario.issues()[i].scale.range());
                    let fmt_value = |v: f64| super::on_scale(v, span);
                    let mut row = vec![Cell::new(issue_label(scenario, &s.issue))];
                    let numbers: Vec<String> = match (s.mean, s.sd, s.quantiles) {
                        (Some(mean), Some(sd), Some(q)) => std::iter::once(mean)
                            .chain(std::iter::once(sd))
                            .chain(q)
                            .map(fmt_value)
                            .collect(),
                        // Too few values for a distribution: the mean alone, and why.
                        (Some(mean), _, _) => std::iter::once(fmt_value(mean))
                            .chain(std::iter::repeat_n("-".to_string(), 6))
                            .collect(),
                        _ => vec!["none".into(); 7],
                    };
                    if let Some(reason) = s.too_few_reason() {
                        thin.push(format!("  {}: {reason}\n", s.issue));
                    }
                    row.extend(
                        numbers
                            .into_iter()
                            .chain(std::iter::once(s.runs_with_value.to_string()))
                            .map(|v| Cell::new(v).set_alignment(CellAlignment::Right)),
                    );
                    t.add_row(row);
                }
                out.push_str(&format!("\n{}:\n{t}\n", super::model_label(&m.model)));
                if let Some(r) = m
                    .issues
                    .iter()
                    .filter_map(|s| s.quantile_resolution)
                    .reduce(f64::max)
                {
                    out.push_str(&format!(
                        "Quantiles past the first {} forecasts kept are read from a histogram of {} bins per issue: each is within {} of the exact one.\n",
                        crate::progress::grouped(statecraft_core::sweep::EXACT_VALUES as u64),
                        statecraft_core::sweep::FINE_BINS,
                        fmt_value(r)
                    ));
                }
                if !thin.is_empty() {
                    out.push_str(&format!(
                        "No spread where too few draws gave a value (the mean alone is shown):\n{}",
                        thin.concat()
                    ));
                }
            }
            if let Some(c) = &output.coalitions {
                let share = |k: usize| 100.0 * k as f64 / c.runs as f64;
                let n = scenario.actors().len();
                out.push_str(&format!(
                    "\n{n}-0 is possible in {:.1}% of draws; neither {n}-0 nor {}-1 in {:.1}%.\n",
                    share(c.unanimous),
                    n - 1,
                    share(c.no_n_minus_1)
                ));
                let isolated: Vec<String> = c
                    .holdouts
                    .iter()
                    .filter(|(_, k)| *k > 0)
                    .map(|(id, k)| format!("{id} {:.1}%", share(*k)))
                    .collect();
                if !isolated.is_empty() {
                    out.push_str(&format!(
                        "Holdouts of a {}-1: {}\n",
                        n - 1,
                        isolated.join(", ")
                    ));
                }
            }
            if let Some(d) = &output.durability {
                let q = d.quantiles;
                let spread = if format!("{:.1}", 100.0 * q[0]) == format!("{:.1}", 100.0 * q[4]) {
                    format!("{:.1}% in all draws", 100.0 * d.mean)
                } else {
                    format!(
                        "mean {:.1}%, 90% of draws between {:.1}% and {:.1}%",
                        100.0 * d.mean,
                        100.0 * q[0],
                        100.0 * q[4]
                    )
                };
                out.push_str(&format!(
                    "\nChance that the compromise package survives 8 years as `{}` ({} histories a draw): {spread}.\n",
                    d.form, d.histories,
                ));
            }
            if let Some(s) = &output.sensitivity {
                out.push_str(&sensitivity_table(s));
            }
            super::for_people(&out)
        }
    };
    super::write_out(&text)
}

/// The inputs that move each issue's forecast most, with their intervals, the estimates that
/// are noise, and how many base rows would settle them.
fn sensitivity_table(s: &SensitivityOutput) -> String {
    let (model, n) = (&s.model, s.base_rows);
    let level = s
        .interval_level
        .map_or_else(String::new, |l| format!("; [{:.0}% interval]", 100.0 * l));
    let mut out = format!(
        "\nWhat moves the {model} forecast most (Sobol indices from {n} base rows{level}):\n"
    );
    let mut t = new_table();
    t.set_header(["Issue", "Input", "First order S", "Total ST", "Noise"]);
    let mut still = Vec::new();
    let (mut noisy, mut shown) = (0, 0);
    for i in &s.issues {
        let Some(ranked) = &i.inputs else {
            still.push(i.issue.as_str());
            continue;
        };
        noisy += ranked.iter().filter(|x| !x.noise.is_empty()).count();
        for (k, index) in ranked.iter().take(TOP_INPUTS).enumerate() {
            let with = |v: f64, interval: Option<[f64; 2]>| match interval {
                Some([lo, hi]) => format!("{v:.2} [{lo:.2}, {hi:.2}]"),
                None => format!("{v:.2}"),
            };
            let noise: Vec<&str> = index.noise.iter().map(|c| c.symbol()).collect();
            // Under its issue, `China.nuclear_status.position` reads `China.position`.
            let input = index.input.replacen(&format!(".{}.", i.issue), ".", 1);
            shown += usize::from(!noise.is_empty());
            t.add_row([
                Cell::new(if k == 0 { i.issue.as_str() } else { "" }),
                Cell::new(input),
                Cell::new(with(index.first_order, index.first_order_interval))
                    .set_alignment(CellAlignment::Right),
                Cell::new(with(index.total, index.total_interval))
                    .set_alignment(CellAlignment::Right),
                Cell::new(noise.join(", ")),
            ]);
        }
    }
    out.push_str(&format!("{t}\n"));
    if !still.is_empty() {
        out.push_str(&format!(
            "The forecast does not vary on {}.\n",
            still.join(", ")
        ));
    }
    if noisy > 0 {
        let settle = match s.settle_base_rows {
            Some(rows) => format!(
                " About {} base rows (--sensitivity {rows}; an estimate, as interval widths \
                 shrink as 1/sqrt(n)) would make the intervals narrower than the \
                 contradictions: then they go, or show to be more than noise.",
                crate::progress::grouped(rows as u64)
            ),
            None => " Each lies beyond its intervals already.".into(),
        };
        out.push_str(&super::wrap(
            &format!(
                "Noise: for {noisy} inputs ({shown} in the table) the estimates contradict each \
                 other: S > ST (an input alone cannot cause more of the variance than with its \
                 interactions), S < 0 or ST > 1 (a share below none or above all). They are \
                 noise, not findings.{settle}"
            ),
            "",
            0,
        ));
    }
    out
}

/// An issue's label, from its id.
fn issue_label(scenario: &Scenario, id: &str) -> String {
    scenario
        .issue_index(id)
        .map_or_else(|| id.to_owned(), |i| scenario.issues()[i].label.clone())
}
