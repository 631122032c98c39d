//! `compare`: two scenarios side by side (or a scenario and its what-if): which inputs differ,
//! by path, and how every forecast and the coalitions' package moved, biggest changes first.
//!
//! Both sides are analysed by the same requests as `forecast` and `coalitions`, so a
//! comparison shows exactly the numbers those commands print for each side.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statecraft_core::scenario::{PathValue, Scenario};

use crate::context::{Context, NoteLog};
use crate::error::{ApiError, ProblemData};
use crate::source::ScenarioSource;
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
    /// What moved: `forecast`, or `coalitions.unanimous` / `coalitions.nash` (the package).
    pub analysis: String,
    /// The model (forecasts), or the package's name.
    pub model: String,
    /// The issue's id.
    pub issue: String,
    /// In A (`None`: no value).
    pub a: Option<f64>,
    /// In B.
    pub b: Option<f64>,
    /// b - a, when both have a value.
    pub change: Option<f64>,
    /// |b - a| as a share of the issue's scale in B (1 when only one side has a value).
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
    /// How the analyses moved, biggest first (then model and issue order); unchanged numbers
    /// are left out.
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

/// Issue id -> (model or package, value) of one side's analyses.
type Numbers = Vec<(String, String, String, Option<f64>)>;

fn numbers(
    request_of: impl Fn(Analysis) -> Request,
    models: &[String],
) -> Result<(Numbers, Scenario), ApiError> {
    let quiet = Context::default();
    let forecast = crate::run(
        &request_of(Analysis::Forecast(ForecastOptions {
            models: models.to_vec(),
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
    let coalitions = crate::run(
        &request_of(Analysis::Coalitions(CoalitionsOptions::default())),
        &quiet,
    )?;
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
    Ok((out, scenario))
}

fn title(scenario: &Scenario, source: &ScenarioSource) -> String {
    scenario
        .meta()
        .title
        .clone()
        .unwrap_or_else(|| source.name().to_owned())
}

/// Runs the comparison.
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
    let (in_a, scenario_a) = numbers(
        |analysis| sub_request(source, &none, analysis),
        &options.models,
    )?;
    let (in_b, scenario_b) = numbers(
        |analysis| sub_request(&other, what_if, analysis),
        &options.models,
    )?;
    let mut b_of: HashMap<(String, String, String), Option<f64>> = HashMap::new();
    for (analysis, model, issue, value) in &in_b {
        b_of.insert((analysis.clone(), model.clone(), issue.clone()), *value);
    }
    let range = |issue: &str| {
        scenario_b
            .issue_index(issue)
            .map_or(1.0, |i| scenario_b.issues()[i].scale.range())
    };
    let compared = in_a.len();
    let mut moves: Vec<Move> = in_a
        .into_iter()
        .filter_map(|(analysis, model, issue, a)| {
            let b = b_of
                .get(&(analysis.clone(), model.clone(), issue.clone()))
                .copied()
                .flatten();
            let change = a.zip(b).map(|(a, b)| b - a);
            let share = match change {
                Some(change) => change.abs() / range(&issue),
                None if a.is_none() && b.is_none() => 0.0,
                None => 1.0,
            };
            (share > 0.0).then_some(Move {
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
    moves.sort_by(|x, y| y.share.total_cmp(&x.share));
    let b_name = if what_if.is_empty() {
        title(&scenario_b, &other)
    } else {
        format!("{} with {}", title(&scenario_b, &other), what_if.describe())
    };
    let inputs = input_differences(&scenario_a, &scenario_b);
    notes.note(format!(
        "{} inputs differ; {} of {compared} numbers of the analyses moved",
        inputs.len(),
        moves.len()
    ));
    Ok(AnalysisResult::Compare(CompareResult {
        a: title(&scenario_a, source),
        b: b_name,
        inputs,
        moves,
        compared,
    }))
}
