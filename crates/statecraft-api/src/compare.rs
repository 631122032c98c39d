//! `compare`: two scenarios side by side (or a scenario and its what-if, or two runs of the run
//! store): which inputs differ, by path, and how every forecast and the coalitions' package
//! moved, biggest changes first.
//!
//! Both scenarios are analysed by the same requests as `forecast` and `coalitions`, so a
//! comparison shows exactly the numbers those commands print for each side. Two stored runs are
//! compared as they were recorded: their scenarios, their parameters and the numbers of their
//! results, with nothing run again.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statecraft_core::scenario::{PathValue, Scenario};

use statecraft_io::store::Store;

use crate::context::{Context, NoteLog};
use crate::error::{ApiError, ProblemData};
use crate::source::ScenarioSource;
use crate::store::store_error;
use crate::what_if::WhatIf;
use crate::{Analysis, AnalysisResult, CoalitionsOptions, ForecastOptions, Request};

/// Options of `compare`: the request's scenario is the first side (A); the second (B) is
/// `other` with the request's what-ifs, or, without `other`, the first with the what-ifs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompareOptions {
    /// The second scenario [default: the first, changed by the request's what-ifs].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<ScenarioSource>,
    /// The forecasts compared, as in `forecast` [default: compromise, median, nash, bdm].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<String>,
    /// Two finished runs of the run store (`statecraft runs list`), A then B, compared instead
    /// of scenarios: their stored scenarios and parameters, and the numbers of their results.
    /// Needs the store (`--store FILE`; `Context::store`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<i64>,
}

/// One input that differs: its path (docs/scenario-format.md, "Paths") and its value on each
/// side (`None`: the side has no such value, e.g. an actor it does not define).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct InputDifference {
    /// The value's path.
    pub path: String,
    /// In A.
    pub a: Option<String>,
    /// In B.
    pub b: Option<String>,
    /// How large the change is, for ordering: |b - a| / max(|a|, |b|) for numbers, 1 for any
    /// other change.
    pub size: f64,
}

/// One number of an analysis on both sides.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Move {
    /// What moved: `forecast`, or `coalitions.unanimous` / `coalitions.nash` (the package);
    /// between stored runs also `durability` (the chance to survive the horizon) and
    /// `sweep.mean` (a spread's mean).
    pub analysis: String,
    /// The model (forecasts, sweeps), the package's name, or the agreement form (durability).
    pub model: String,
    /// The issue's id (`horizon` for durability).
    pub issue: String,
    /// In A (`None`: no value).
    pub a: Option<f64>,
    /// In B.
    pub b: Option<f64>,
    /// b - a, when both have a value.
    pub change: Option<f64>,
    /// |b - a| as a share of the issue's scale in B (of 1 for durability's probabilities; 1 when
    /// only one side has a value).
    pub share: f64,
}

/// The comparison: differences first by size.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CompareResult {
    /// A, in words (the scenario's title or source).
    pub a: String,
    /// B, in words (with its what-ifs).
    pub b: String,
    /// The inputs that differ, biggest first (then in file order).
    pub inputs: Vec<InputDifference>,
    /// How the analyses moved, biggest first (then model and issue order); numbers that did not
    /// move by more than [`MOVE_TOLERANCE`] of their scale are left out.
    pub moves: Vec<Move>,
    /// How many numbers of the analyses were compared (moved or not).
    pub compared: usize,
}

fn relative(a: &str, b: &str) -> f64 {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => {
            let scale = x.abs().max(y.abs());
            if scale == 0.0 {
                0.0
            } else {
                (y - x).abs() / scale
            }
        }
        _ => 1.0,
    }
}

/// The values that differ between `a` and `b`, by path, biggest first.
pub(crate) fn input_differences(a: &Scenario, b: &Scenario) -> Vec<InputDifference> {
    let in_b: HashMap<String, PathValue> = b
        .values()
        .into_iter()
        .map(|v| (v.path.clone(), v))
        .collect();
    let in_a: Vec<PathValue> = a.values();
    let a_paths: std::collections::HashSet<&str> = in_a.iter().map(|v| v.path.as_str()).collect();
    let mut differences: Vec<InputDifference> = in_a
        .iter()
        .filter_map(|va| match in_b.get(&va.path) {
            Some(vb) if vb.value == va.value => None,
            Some(vb) => Some(InputDifference {
                path: va.path.clone(),
                a: Some(va.value.clone()),
                b: Some(vb.value.clone()),
                size: relative(&va.value, &vb.value),
            }),
            None => Some(InputDifference {
                path: va.path.clone(),
                a: Some(va.value.clone()),
                b: None,
                size: 1.0,
            }),
        })
        .collect();
    differences.extend(
        b.values()
            .into_iter()
            .filter(|vb| !a_paths.contains(vb.path.as_str()))
            .map(|vb| InputDifference {
                path: vb.path,
                a: None,
                b: Some(vb.value),
                size: 1.0,
            }),
    );
    // A stable sort keeps file order among equal sizes.
    differences.sort_by(|x, y| y.size.total_cmp(&x.size));
    differences
}

fn sub_request(scenario: &ScenarioSource, what_if: &WhatIf, analysis: Analysis) -> Request {
    Request {
        scenario: scenario.clone(),
        what_if: what_if.clone(),
        analysis,
    }
}

/// The forecasts compared when the options name none (as `CompareOptions::models` says).
pub const DEFAULT_MODELS: [&str; 4] = ["compromise", "median", "nash", "bdm"];

/// Issue id -> (model or package, value) of one side's analyses.
type Numbers = Vec<(String, String, String, Option<f64>)>;

/// One side's numbers and scenario, and why the coalitions are left out when they cannot run
/// on it (an issue without a status quo, say): the forecasts are still compared.
fn numbers(
    request_of: impl Fn(Analysis) -> Request,
    models: &[String],
) -> Result<(Numbers, Scenario, Option<String>), ApiError> {
    let quiet = Context::default();
    let models = if models.is_empty() {
        DEFAULT_MODELS.iter().map(|m| (*m).to_owned()).collect()
    } else {
        models.to_vec()
    };
    let forecast = crate::run(
        &request_of(Analysis::Forecast(ForecastOptions {
            models,
            ..ForecastOptions::default()
        })),
        &quiet,
    )?;
    let mut out = Numbers::new();
    if let AnalysisResult::Forecast(result) = &forecast.result {
        for f in &result.forecasts {
            for issue in &f.issues {
                out.push((
                    "forecast".into(),
                    f.model.clone(),
                    issue.issue.clone(),
                    issue.value,
                ));
            }
        }
    }
    let scenario = forecast.scenario.expect("a forecast has its scenario");
    let coalitions = match crate::run(
        &request_of(Analysis::Coalitions(CoalitionsOptions::default())),
        &quiet,
    ) {
        Ok(response) => response,
        Err(e) if e.kind == crate::ErrorKind::BadInput => {
            let why = e
                .problems
                .first()
                .map_or_else(String::new, |p| p.message.clone());
            return Ok((out, scenario, Some(why)));
        }
        Err(e) => return Err(e),
    };
    if let AnalysisResult::Coalitions(result) = &coalitions.result {
        for (name, package) in [
            ("unanimous", &result.analysis.unanimous),
            ("nash", &result.analysis.nash),
        ] {
            for (k, issue) in result.issues.iter().enumerate() {
                let value = package.as_ref().map(|p| p.values[k]);
                out.push((
                    format!("coalitions.{name}"),
                    name.into(),
                    issue.clone(),
                    value,
                ));
            }
        }
    }
    Ok((out, scenario, None))
}

fn title(scenario: &Scenario, source: &ScenarioSource) -> String {
    scenario
        .meta()
        .title
        .clone()
        .unwrap_or_else(|| source.name().to_owned())
}

/// A number moved when it changed by more than this share of its scale: an optimiser's package
/// may differ in the last bits between two runs of the same problem, and that is no move.
pub const MOVE_TOLERANCE: f64 = 1e-9;

/// The numbers of both sides matched by (analysis, model, issue), those that moved (by more
/// than [`MOVE_TOLERANCE`]), biggest first; `range` gives an issue's scale (the share's
/// denominator).
fn moves(in_a: Numbers, in_b: &Numbers, range: impl Fn(&str, &str) -> f64) -> Vec<Move> {
    let mut b_of: HashMap<(&str, &str, &str), Option<f64>> = HashMap::new();
    for (analysis, model, issue, value) in in_b {
        b_of.insert((analysis.as_str(), model.as_str(), issue.as_str()), *value);
    }
    let mut seen: std::collections::HashSet<(String, String, String)> =
        std::collections::HashSet::new();
    let mut moves: Vec<Move> = in_a
        .into_iter()
        .filter_map(|(analysis, model, issue, a)| {
            let b = b_of
                .get(&(analysis.as_str(), model.as_str(), issue.as_str()))
                .copied()
                .flatten();
            seen.insert((analysis.clone(), model.clone(), issue.clone()));
            let change = a.zip(b).map(|(a, b)| b - a);
            let share = match change {
                Some(change) => change.abs() / range(&analysis, &issue),
                None if a.is_none() && b.is_none() => 0.0,
                None => 1.0,
            };
            (share > MOVE_TOLERANCE).then_some(Move {
                analysis,
                model,
                issue,
                a,
                b,
                change,
                share,
            })
        })
        .collect();
    // Numbers only B has (a model or an issue A lacks) moved from nothing.
    moves.extend(
        in_b.iter()
            .filter(|(analysis, model, issue, b)| {
                b.is_some() && !seen.contains(&(analysis.clone(), model.clone(), issue.clone()))
            })
            .map(|(analysis, model, issue, b)| Move {
                analysis: analysis.clone(),
                model: model.clone(),
                issue: issue.clone(),
                a: None,
                b: *b,
                change: None,
                share: 1.0,
            }),
    );
    moves.sort_by(|x, y| y.share.total_cmp(&x.share));
    moves
}

/// Runs the comparison of two scenarios.
pub(crate) fn run(
    source: &ScenarioSource,
    what_if: &WhatIf,
    options: &CompareOptions,
    notes: &NoteLog,
) -> Result<AnalysisResult, ApiError> {
    let other = match (&options.other, what_if.is_empty()) {
        (Some(other), _) => other.clone(),
        (None, false) => source.clone(),
        (None, true) => {
            return Err(ApiError::bad_input(
                ProblemData::message("compare needs a second scenario or a what-if")
                    .with_help("name a second scenario (`statecraft compare A B`) or change the first (`statecraft compare A --set US.capability=80`)")
                    .at_field("analysis.compare.other"),
            ))
        }
    };
    let none = WhatIf::default();
    let (mut in_a, scenario_a, left_out_a) = numbers(
        |analysis| sub_request(source, &none, analysis),
        &options.models,
    )?;
    let (mut in_b, scenario_b, left_out_b) = numbers(
        |analysis| sub_request(&other, what_if, analysis),
        &options.models,
    )?;
    // The coalitions are compared only where both sides have them.
    if let Some(why) = left_out_a.as_ref().or(left_out_b.as_ref()) {
        in_a.retain(|(analysis, ..)| !analysis.starts_with("coalitions"));
        in_b.retain(|(analysis, ..)| !analysis.starts_with("coalitions"));
        notes.note(format!("the coalitions are not compared: {why}"));
    }
    let compared = in_a.len();
    let moves = moves(in_a, &in_b, |_, issue| issue_range(&scenario_b, issue));
    let b_name = if what_if.is_empty() {
        title(&scenario_b, &other)
    } else {
        format!("{} with {}", title(&scenario_b, &other), what_if.describe())
    };
    let inputs = input_differences(&scenario_a, &scenario_b);
    Ok(finish(
        title(&scenario_a, source),
        b_name,
        inputs,
        moves,
        compared,
        notes,
    ))
}

fn issue_range(scenario: &Scenario, issue: &str) -> f64 {
    scenario
        .issue_index(issue)
        .map_or(1.0, |i| scenario.issues()[i].scale.range())
}

fn finish(
    a: String,
    b: String,
    inputs: Vec<InputDifference>,
    moves: Vec<Move>,
    compared: usize,
    notes: &NoteLog,
) -> AnalysisResult {
    notes.note(format!(
        "{} inputs differ; {} of {compared} numbers of the analyses moved",
        inputs.len(),
        moves.len()
    ));
    AnalysisResult::Compare(CompareResult {
        a,
        b,
        inputs,
        moves,
        compared,
    })
}

/// One finished run of the store, read back.
struct StoredRun {
    id: i64,
    kind: String,
    scenario: Scenario,
    params: serde_json::Value,
    result: serde_json::Value,
}

fn stored_run(store: &Store, id: i64) -> Result<StoredRun, ApiError> {
    let run = store.get(id).map_err(store_error)?;
    let Some(result) = run.result else {
        return Err(ApiError::bad_input(
            ProblemData::message(format!(
                "run {id} is unfinished ({}): it has no result to compare",
                run.summary.status
            ))
            .with_help("compare finished runs (`statecraft runs list --store FILE` shows each run's status)")
            .at_field("analysis.compare.runs"),
        ));
    };
    let scenario = crate::store::stored_scenario(id, &run.scenario)?;
    Ok(StoredRun {
        id,
        kind: run.summary.kind,
        scenario,
        params: run.params,
        result,
    })
}

/// Every leaf of a JSON value by its dotted path under `prefix` (`params.models.0`).
fn leaves(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                leaves(&format!("{prefix}.{key}"), v, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (k, v) in items.iter().enumerate() {
                leaves(&format!("{prefix}.{k}"), v, out);
            }
        }
        serde_json::Value::String(text) => out.push((prefix.to_owned(), text.clone())),
        other => out.push((prefix.to_owned(), other.to_string())),
    }
}

/// The parameters that differ between two runs, as inputs under `params.`.
fn param_differences(a: &serde_json::Value, b: &serde_json::Value) -> Vec<InputDifference> {
    let (mut in_a, mut in_b) = (Vec::new(), Vec::new());
    leaves("params", a, &mut in_a);
    leaves("params", b, &mut in_b);
    let b_of: HashMap<&str, &str> = in_b.iter().map(|(p, v)| (p.as_str(), v.as_str())).collect();
    let a_paths: std::collections::HashSet<&str> = in_a.iter().map(|(p, _)| p.as_str()).collect();
    let mut out: Vec<InputDifference> = in_a
        .iter()
        .filter(|(path, value)| b_of.get(path.as_str()) != Some(&value.as_str()))
        .map(|(path, value)| {
            let b = b_of.get(path.as_str()).map(|v| (*v).to_owned());
            InputDifference {
                path: path.clone(),
                size: b.as_deref().map_or(1.0, |b| relative(value, b)),
                a: Some(value.clone()),
                b,
            }
        })
        .collect();
    out.extend(
        in_b.iter()
            .filter(|(path, _)| !a_paths.contains(path.as_str()))
            .map(|(path, value)| InputDifference {
                path: path.clone(),
                a: None,
                b: Some(value.clone()),
                size: 1.0,
            }),
    );
    out
}

fn str_of<'a>(value: &'a serde_json::Value, key: &str) -> &'a str {
    value.get(key).and_then(|v| v.as_str()).unwrap_or_default()
}

fn items<'a>(
    value: &'a serde_json::Value,
    key: &str,
) -> impl Iterator<Item = &'a serde_json::Value> {
    value
        .get(key)
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
}

/// The numbers of a stored run's result, by its kind.
fn stored_numbers(run: &StoredRun) -> Result<Numbers, ApiError> {
    let mut out = Numbers::new();
    let result = &run.result;
    match run.kind.as_str() {
        "forecast" => {
            for forecast in result.as_array().into_iter().flatten() {
                for issue in items(forecast, "issues") {
                    out.push((
                        "forecast".into(),
                        str_of(forecast, "model").to_owned(),
                        str_of(issue, "issue").to_owned(),
                        issue.get("value").and_then(|v| v.as_f64()),
                    ));
                }
            }
        }
        "coalitions" => {
            for name in ["unanimous", "nash"] {
                let values: Vec<Option<f64>> = result
                    .get(name)
                    .map(|p| items(p, "values").map(|v| v.as_f64()).collect())
                    .unwrap_or_default();
                for (k, issue) in run.scenario.issues().iter().enumerate() {
                    out.push((
                        format!("coalitions.{name}"),
                        name.into(),
                        issue.id.clone(),
                        values.get(k).copied().flatten(),
                    ));
                }
            }
        }
        "durability" => {
            for form in result.as_array().into_iter().flatten() {
                out.push((
                    "durability".into(),
                    str_of(form, "form").to_owned(),
                    "horizon".into(),
                    form.get("survives_horizon").and_then(|v| v.as_f64()),
                ));
            }
        }
        "sweep" => {
            for model in items(result, "models") {
                for spread in items(model, "issues") {
                    out.push((
                        "sweep.mean".into(),
                        str_of(model, "model").to_owned(),
                        str_of(spread, "issue").to_owned(),
                        spread.get("mean").and_then(|v| v.as_f64()),
                    ));
                }
            }
        }
        other => {
            return Err(ApiError::usage(
                format!("run {} is a {other} run, which compare cannot read", run.id),
                "compare runs of forecast, sweep, coalitions or durability",
            )
            .at_field("analysis.compare.runs"))
        }
    }
    Ok(out)
}

/// Runs the comparison of two stored runs of the context's store.
pub(crate) fn run_stored(
    what_if: &WhatIf,
    options: &CompareOptions,
    context: &Context,
    notes: &NoteLog,
) -> Result<AnalysisResult, ApiError> {
    let &[id_a, id_b] = options.runs.as_slice() else {
        return Err(ApiError::bad_input(
            ProblemData::message(format!(
                "compare takes two runs, and {} were given",
                options.runs.len()
            ))
            .with_help("name two run ids (`statecraft compare --store FILE 3 5`)")
            .at_field("analysis.compare.runs"),
        ));
    };
    if options.other.is_some() || !what_if.is_empty() || !options.models.is_empty() {
        return Err(ApiError::usage(
            "stored runs are compared as they were recorded: no second scenario, what-if or models with them",
            "compare two runs, or two scenarios, but not both",
        )
        .at_field("analysis.compare.runs"));
    }
    let Some(path) = &context.store else {
        return Err(ApiError::usage(
            "stored runs need their run store",
            "give the store with --store FILE",
        )
        .at_field("analysis.compare.runs"));
    };
    if !path.exists() {
        return Err(ApiError::usage(
            format!("no run store at `{}`", path.display()),
            "record runs with `--store FILE` (forecast, sweep, coalitions, durability), then compare them",
        ));
    }
    let store = Store::open_read_only(path).map_err(store_error)?;
    let (run_a, run_b) = (stored_run(&store, id_a)?, stored_run(&store, id_b)?);
    if run_a.kind != run_b.kind {
        return Err(ApiError::usage(
            format!(
                "run {id_a} is a {} run and run {id_b} a {} run: their results do not compare",
                run_a.kind, run_b.kind
            ),
            "compare two runs of one kind (`statecraft runs list` shows each run's kind)",
        )
        .at_field("analysis.compare.runs"));
    }
    let (in_a, in_b) = (stored_numbers(&run_a)?, stored_numbers(&run_b)?);
    let compared = in_a.len();
    let moves = moves(in_a, &in_b, |analysis, issue| {
        if analysis == "durability" {
            1.0
        } else {
            issue_range(&run_b.scenario, issue)
        }
    });
    let mut inputs = input_differences(&run_a.scenario, &run_b.scenario);
    inputs.extend(param_differences(&run_a.params, &run_b.params));
    inputs.sort_by(|x, y| y.size.total_cmp(&x.size));
    let name = |run: &StoredRun| match &run.scenario.meta().title {
        Some(title) => format!("run {} ({} of {title})", run.id, run.kind),
        None => format!("run {} ({})", run.id, run.kind),
    };
    Ok(finish(
        name(&run_a),
        name(&run_b),
        inputs,
        moves,
        compared,
        notes,
    ))
}
