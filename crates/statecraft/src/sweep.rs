//! `statecraft sweep`: draws the uncertain inputs, runs the chosen models on every draw, and
//! prints the spread of each forecast and, on request, the inputs that move it most.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Context;
use comfy_table::{Cell, CellAlignment};
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};
use statecraft_core::model::Scenario;
use statecraft_core::models::bdm::{BdmParams, Variant};
use statecraft_core::models::Model;
use statecraft_core::sweep::{
    coalition_sweep, durability_sweep, sensitivity, summarise, sweep_outcomes, uncertain_inputs,
    CoalitionSpread, DurabilitySpread, InputIndex, SweepResult,
};
use statecraft_io::store::Store;
use statecraft_io::Format;

use crate::cli::{OutputFormat, SweepArgs};
use crate::commands::{fmt_value, load, new_table, selected_models, write_out, DEFAULT_SCENARIO};
use crate::Failure;

/// The uncertainty used when a scenario states none and has no distribution.
pub(crate) const FALLBACK_UNCERTAINTY: f64 = 0.1;
/// Inputs listed per issue in the table's sensitivity ranking.
const TOP_INPUTS: usize = 5;

#[derive(Serialize)]
struct Output<'a> {
    scenario: Option<&'a str>,
    uncertainty: f64,
    #[serde(flatten)]
    result: &'a SweepResult,
    sensitivity: Option<Sensitivity<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coalitions: Option<&'a CoalitionSpread>,
    #[serde(skip_serializing_if = "Option::is_none")]
    durability: Option<&'a DurabilitySpread>,
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

/// What a stored sweep needs to be resumed exactly.
#[derive(Serialize, Deserialize)]
pub(crate) struct Settings {
    models: Vec<String>,
    runs: usize,
    seed: u64,
    uncertainty: f64,
    variant: String,
    chunk: usize,
}

pub(crate) fn store_error(e: statecraft_io::store::StoreError) -> Failure {
    Failure::Failed(anyhow::anyhow!(e))
}

/// Reads a stored sweep's scenario and settings.
pub(crate) fn stored(store: &Store, id: i64) -> Result<(Scenario, Settings), Failure> {
    let run = store.get(id).map_err(store_error)?;
    if run.summary.kind != "sweep" {
        let _ = writeln!(
            std::io::stderr(),
            "error: run {id} is a {}, not a sweep\n  help: `statecraft runs list` shows every run",
            run.summary.kind
        );
        return Err(Failure::BadInput);
    }
    let scenario =
        statecraft_io::parse_str(&format!("run {id}"), run.scenario.to_string(), Format::Json)
            .map_err(|e| {
                Failure::Failed(anyhow::anyhow!(
                    "the stored scenario of run {id} does not read back: {e}"
                ))
            })?
            .scenario;
    let settings = serde_json::from_value(run.params)
        .map_err(|e| Failure::Failed(anyhow::anyhow!("the stored settings of run {id}: {e}")))?;
    Ok((scenario, settings))
}

/// The scenario (with its what-ifs) and the settings of a new sweep.
fn fresh(args: &SweepArgs) -> Result<(Scenario, Settings), Failure> {
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
    if args.sensitivity == Some(0) {
        let _ = writeln!(
            std::io::stderr(),
            "error: --sensitivity 0: the Sobol estimates need base rows\n  help: 500 or more gives indices to about 0.05"
        );
        return Err(Failure::BadInput);
    }
    if args.runs == 0 {
        let _ = writeln!(
            std::io::stderr(),
            "error: --runs 0: a sweep needs at least one run"
        );
        return Err(Failure::BadInput);
    }
    // Check the model names now rather than after the scenario is stored.
    selected_models(&args.model, BdmParams::forecast(Variant::ScholzReference))?;
    let mut uncertainty = args
        .uncertainty
        .or(scenario.meta().uncertainty)
        .unwrap_or(0.0);
    if args.uncertainty.is_none() && uncertain_inputs(&scenario, Some(uncertainty)).is_empty() {
        uncertainty = FALLBACK_UNCERTAINTY;
        let _ = writeln!(
            std::io::stderr(),
            "note: the scenario gives no uncertainty; every value is drawn with a standard deviation of {:.0}% (set --uncertainty or the scenario's `uncertainty`)",
            100.0 * uncertainty
        );
    }
    let settings = Settings {
        models: args.model.clone(),
        runs: args.runs,
        seed: args.seed,
        uncertainty,
        variant: args.variant.clone(),
        chunk: args.chunk,
    };
    Ok((scenario, settings))
}

/// `--durability FORM`: the durability of the compromise package over the draws.
fn sweep_durability(
    scenario: &Scenario,
    inputs: &[statecraft_core::sweep::UncertainInput],
    form_id: &str,
    runs: usize,
    seed: u64,
) -> Result<DurabilitySpread, Failure> {
    let forms = if scenario.forms().is_empty() {
        statecraft_core::durability::default_forms()
    } else {
        scenario.forms().to_vec()
    };
    let Some(form) = forms.iter().find(|f| f.id == form_id) else {
        let ids: Vec<&str> = forms.iter().map(|f| f.id.as_str()).collect();
        let _ = writeln!(
            std::io::stderr(),
            "error: unknown agreement form `{form_id}`\n  help: {}",
            statecraft_io::unknown_name_help(form_id, &ids, "forms")
        );
        return Err(Failure::BadInput);
    };
    let Some(start) = scenario.meta().date else {
        let _ = writeln!(
            std::io::stderr(),
            "error: --durability needs the scenario's date to place its elections\n  help: give the scenario a `date`"
        );
        return Err(Failure::BadInput);
    };
    let package: Vec<f64> = statecraft_core::models::Compromise
        .forecast(scenario)
        .issues
        .iter()
        .zip(scenario.issues())
        .map(|(f, issue)| f.value.or(issue.status_quo).unwrap_or(issue.scale.min))
        .collect();
    let params = statecraft_core::durability::DurabilityParams {
        years: 8.0,
        runs: 200,
        seed,
        step: 1.0,
        start,
    };
    durability_sweep(scenario, inputs, &package, form, &params, runs, seed).map_err(|e| {
        let _ = writeln!(std::io::stderr(), "error: --durability: {e}");
        Failure::BadInput
    })
}

/// A chunk's raw forecasts as JSON (`null` for no value) and back.
fn encode(outcomes: &[Vec<Vec<f64>>]) -> String {
    let nullable: Vec<Vec<Vec<Option<f64>>>> = outcomes
        .iter()
        .map(|o| {
            o.iter()
                .map(|m| m.iter().map(|v| (!v.is_nan()).then_some(*v)).collect())
                .collect()
        })
        .collect();
    serde_json::to_string(&nullable).expect("numbers serialise")
}

fn decode(text: &str) -> Option<Vec<Vec<Vec<f64>>>> {
    let nullable: Vec<Vec<Vec<Option<f64>>>> = serde_json::from_str(text).ok()?;
    Some(
        nullable
            .into_iter()
            .map(|o| {
                o.into_iter()
                    .map(|m| m.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect())
                    .collect()
            })
            .collect(),
    )
}

pub(crate) fn run(args: SweepArgs) -> Result<(), Failure> {
    let store = match &args.store {
        Some(path) => Some(Store::open(path).map_err(store_error)?),
        None => None,
    };
    let (scenario, settings, run_id) = match (args.resume, &store) {
        (Some(id), Some(store)) => {
            let (scenario, settings) = stored(store, id)?;
            (scenario, settings, Some(id))
        }
        _ => {
            let (scenario, settings) = fresh(&args)?;
            let id = match &store {
                Some(store) => {
                    let created =
                        chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                    let json = statecraft_io::export(&scenario, Format::Json);
                    let params = serde_json::to_value(&settings).expect("settings serialise");
                    let id = store
                        .start(
                            "sweep",
                            &created,
                            scenario.meta().title.as_deref(),
                            &json,
                            &params,
                            Some(settings.seed),
                        )
                        .map_err(store_error)?;
                    let _ = writeln!(std::io::stderr(), "recording as run {id}");
                    Some(id)
                }
                None => None,
            };
            (scenario, settings, id)
        }
    };
    let inputs = uncertain_inputs(&scenario, Some(settings.uncertainty));
    let variant = Variant::from_name(&settings.variant).expect("a known variant");
    let models = selected_models(&settings.models, BdmParams::forecast(variant))?;

    // Draws in chunks: the store keeps each chunk as it is done, Ctrl-C stops between chunks.
    let chunk = settings.chunk.max(1);
    let chunks = settings.runs.div_ceil(chunk);
    let mut done: BTreeMap<usize, Vec<Vec<Vec<f64>>>> = BTreeMap::new();
    if let (Some(store), Some(id)) = (&store, run_id) {
        for (c, data) in store.chunks(id).map_err(store_error)? {
            if let Some(outcomes) = decode(&data) {
                done.insert(c, outcomes);
            }
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        // A second handler cannot be installed; the first one is enough for a process.
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let bar = ProgressBar::new(settings.runs as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} draws, {eta} left")
            .expect("a valid template"),
    );
    bar.set_position(done.values().map(|o| o.len() as u64).sum());
    for c in 0..chunks {
        if done.contains_key(&c) {
            continue;
        }
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let range = c * chunk..((c + 1) * chunk).min(settings.runs);
        let outcomes = sweep_outcomes(&scenario, &inputs, &models, range, settings.seed);
        if let (Some(store), Some(id)) = (&store, run_id) {
            store
                .put_chunk(id, c, &encode(&outcomes))
                .map_err(store_error)?;
        }
        bar.inc(outcomes.len() as u64);
        done.insert(c, outcomes);
    }
    bar.finish_and_clear();
    let complete = done.len() == chunks;
    let outcomes: Vec<Vec<Vec<f64>>> = done.into_values().flatten().collect();
    if !complete {
        let hint = match run_id {
            Some(id) => format!(
                "resume with --store {} --resume {id}",
                args.store.as_ref().expect("a store").display()
            ),
            None => "use --store FILE to keep a sweep that may be stopped".into(),
        };
        let _ = writeln!(
            std::io::stderr(),
            "stopped after {} of {} draws; the spreads below are of those ({hint})",
            outcomes.len(),
            settings.runs
        );
    }
    let ids: Vec<&str> = models.iter().map(|m| m.id()).collect();
    let result = summarise(&scenario, &inputs, &ids, &outcomes, settings.seed);
    let uncertainty = settings.uncertainty;
    let coalitions = if args.coalitions {
        match coalition_sweep(&scenario, &inputs, outcomes.len(), settings.seed) {
            Ok(spread) => Some(spread),
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "error: --coalitions: {e}");
                return Err(Failure::BadInput);
            }
        }
    } else {
        None
    };
    let durability = match &args.durability {
        Some(form) => Some(sweep_durability(
            &scenario,
            &inputs,
            form,
            outcomes.len(),
            settings.seed,
        )?),
        None => None,
    };
    let ranking = args.sensitivity.map(|n| {
        let model = &models[0];
        (
            model.id(),
            n,
            sensitivity(&scenario, &inputs, model.as_ref(), n.max(2), args.seed),
        )
    });
    // What --format json prints, and what the store keeps of a finished sweep.
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
        coalitions: coalitions.as_ref(),
        durability: durability.as_ref(),
    };
    let text = match args.format {
        OutputFormat::Json => {
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
            if let Some(c) = &coalitions {
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
            if let Some(d) = &durability {
                let q = d.quantiles;
                out.push_str(&format!(
                    "\nChance that the compromise package survives 8 years as `{}` ({} histories a draw): mean {:.1}%, 90% of draws between {:.1}% and {:.1}%.\n",
                    d.form,
                    d.histories,
                    100.0 * d.mean,
                    100.0 * q[0],
                    100.0 * q[4]
                ));
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
    if let (Some(store), Some(id), true) = (&store, run_id, complete) {
        let output = serde_json::to_value(&output).expect("the result serialises");
        store.finish(id, &output).map_err(store_error)?;
    }
    write_out(&text)
}
