//! The agreement analyses: 6-0 or 5-1 (coalitions) and whether a package survives changes of
//! government (durability), with the package and forms they are asked about.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statecraft_core::coalitions::{analyse as analyse_coalitions, CoalitionAnalysis, Shape};
use statecraft_core::durability::{analyse, default_forms, Durability, DurabilityParams};
use statecraft_core::models::{Compromise, Model};
use statecraft_core::red_lines::{self, RedLineFlag};
use statecraft_core::scenario::{AgreementForm, Scenario};

use crate::context::{Context, Event, NoteLog};
use crate::error::ApiError;
use crate::source::ScenarioSource;
use crate::AnalysisResult;

fn usage(message: &str, help: &str) -> ApiError {
    ApiError::usage(message, help)
}

/// Options of `coalitions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CoalitionsOptions {
    /// How an actor's loss grows with the distance from its position: linear or quadratic.
    pub shape: String,
}

impl Default for CoalitionsOptions {
    fn default() -> Self {
        Self {
            shape: "linear".into(),
        }
    }
}

/// What `coalitions` returns.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CoalitionsResult {
    /// The scenario's title.
    pub scenario: Option<String>,
    /// The issues' ids, in order.
    pub issues: Vec<String>,
    /// The analysis (docs/output.md).
    #[serde(flatten)]
    pub analysis: CoalitionAnalysis,
}

pub(crate) fn coalitions(
    scenario: &Scenario,
    source: &ScenarioSource,
    options: &CoalitionsOptions,
    _context: &Context,
    _notes: &NoteLog,
) -> Result<AnalysisResult, ApiError> {
    let shape = match options.shape.as_str() {
        "linear" => Shape::Linear,
        "quadratic" => Shape::Quadratic,
        other => {
            return Err(usage(
                &format!("unknown shape `{other}`"),
                "the shapes are linear and quadratic",
            )
            .at_field("analysis.coalitions.shape"))
        }
    };
    let analysis = analyse_coalitions(scenario, shape).map_err(|e| {
        ApiError::bad_input(crate::ProblemData::message(format!(
            "{}: {e}",
            source.name()
        )))
    })?;
    Ok(AnalysisResult::Coalitions(CoalitionsResult {
        scenario: scenario.meta().title.clone(),
        issues: scenario.issues().iter().map(|i| i.id.clone()).collect(),
        analysis,
    }))
}

/// Options of `durability`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DurabilityOptions {
    /// The agreement as `ISSUE=VALUE` pairs; issues not named stay at their status quo
    /// [default: the compromise forecast on every issue].
    pub package: Vec<String>,
    /// Agreement forms to compare, by id [default: every form of the scenario, or statement,
    /// executive and treaty when it defines none].
    pub forms: Vec<String>,
    /// Horizon in years.
    pub years: f64,
    /// Number of simulated histories.
    pub runs: usize,
    /// Seed of the random streams.
    pub seed: u64,
    /// Spacing of the survival curve's points, in years.
    pub step: f64,
    /// Signing date, YYYY-MM-DD [default: the scenario's date].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
}

impl Default for DurabilityOptions {
    fn default() -> Self {
        Self {
            package: Vec::new(),
            forms: Vec::new(),
            years: 8.0,
            runs: 100_000,
            seed: 1,
            step: 0.5,
            start: None,
        }
    }
}

/// What `durability` returns.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DurabilityResult {
    /// The scenario's title.
    pub scenario: Option<String>,
    /// The signing date.
    pub start: String,
    /// Horizon in years.
    pub years: f64,
    /// Histories simulated per form.
    pub runs: usize,
    /// Seed of the random streams.
    pub seed: u64,
    /// The package, issue by issue.
    pub package: Vec<PackageValue>,
    /// One result per form.
    pub forms: Vec<Durability>,
}

/// One issue of a package.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PackageValue {
    /// The issue's id.
    pub issue: String,
    /// The package's value.
    pub value: f64,
    /// The issue's status quo.
    pub status_quo: Option<f64>,
    /// The actors' red lines that the value falls inside.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub red_lines: Vec<RedLineFlag>,
}

impl DurabilityResult {
    /// The Monte Carlo settings, as the analysis used them.
    pub fn params(&self) -> DurabilityParams {
        DurabilityParams {
            years: self.years,
            runs: self.runs,
            seed: self.seed,
            step: 0.0,
            start: NaiveDate::parse_from_str(&self.start, "%Y-%m-%d").unwrap_or_default(),
        }
    }

    /// The package's values, in issue order.
    pub fn values(&self) -> Vec<f64> {
        self.package.iter().map(|p| p.value).collect()
    }

    /// What the run store keeps as the analysis's parameters.
    pub(crate) fn store_params(&self, step: f64) -> serde_json::Value {
        serde_json::json!({
            "package": self.values(),
            "forms": self.forms.iter().map(|f| f.form.as_str()).collect::<Vec<_>>(),
            "years": self.years,
            "runs": self.runs,
            "step": step,
            "start": self.start,
        })
    }
}

/// The signing date: the option's, else the scenario's.
pub(crate) fn start_date(scenario: &Scenario, start: Option<&str>) -> Result<NaiveDate, ApiError> {
    match (start, scenario.meta().date) {
        (Some(text), _) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| {
            usage(
                &format!("--start `{text}` is not a date: {e}"),
                "write YYYY-MM-DD, e.g. 2009-05-09",
            )
            .at_field("analysis.durability.start")
        }),
        (None, Some(date)) => Ok(date),
        (None, None) => Err(usage(
            "the scenario has no date, so its elections cannot be placed in time",
            "give the signing date with --start YYYY-MM-DD, or a `date` in the scenario",
        )),
    }
}

pub(crate) fn durability(
    scenario: &Scenario,
    source: &ScenarioSource,
    options: &DurabilityOptions,
    context: &Context,
    _notes: &NoteLog,
) -> Result<AnalysisResult, ApiError> {
    let start = start_date(scenario, options.start.as_deref())?;
    let package = package(scenario, &options.package)
        .map_err(|e| e.at_field("analysis.durability.package"))?;
    let forms =
        forms(scenario, &options.forms).map_err(|e| e.at_field("analysis.durability.forms"))?;
    let params = DurabilityParams {
        years: options.years,
        runs: options.runs,
        seed: options.seed,
        step: options.step,
        start,
    };
    let mut results = Vec::new();
    for (k, form) in forms.iter().enumerate() {
        if context.cancel.is_cancelled() {
            return Err(ApiError::cancelled());
        }
        match analyse(scenario, &package, form, &params) {
            Ok(result) => results.push(result),
            Err(e) => {
                return Err(ApiError::bad_input(crate::ProblemData::message(format!(
                    "{}: {e}",
                    source.name()
                ))))
            }
        }
        context.event(Event::Progress {
            done: ((k + 1) * params.runs) as u64,
            total: (forms.len() * params.runs) as u64,
        });
    }
    Ok(AnalysisResult::Durability(DurabilityResult {
        scenario: scenario.meta().title.clone(),
        start: start.format("%Y-%m-%d").to_string(),
        years: params.years,
        runs: params.runs,
        seed: params.seed,
        package: scenario
            .issues()
            .iter()
            .zip(&package)
            .enumerate()
            .map(|(k, (i, &value))| PackageValue {
                issue: i.id.clone(),
                value,
                status_quo: i.status_quo,
                red_lines: red_lines::at_point(scenario, k, value),
            })
            .collect(),
        forms: results,
    }))
}

/// The package: the compromise forecast on every issue when `--package` is not given; else the
/// values it names, with the other issues left at their status quo.
pub(crate) fn package(scenario: &Scenario, pairs: &[String]) -> Result<Vec<f64>, ApiError> {
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
            return Err(usage(
                &format!("--package `{pair}` is not ISSUE=VALUE"),
                "e.g. --package nuclear_status=20,sanctions=60",
            ));
        };
        let (id, value) = (id.trim(), value.trim());
        let Some(k) = scenario.issue_index(id) else {
            let help = statecraft_io::unknown_name_help(id, &ids, "issues");
            return Err(usage(
                &format!("--package names issue `{id}`, which the scenario does not define"),
                &help,
            ));
        };
        let scale = issues[k].scale;
        match value.parse::<f64>() {
            Ok(v) if v.is_finite() && scale.contains(v) => values[k] = v,
            _ => {
                return Err(usage(
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
pub(crate) fn forms(scenario: &Scenario, names: &[String]) -> Result<Vec<AgreementForm>, ApiError> {
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
                    usage(
                        &format!("unknown agreement form `{name}`"),
                        &format!("the forms are: {}", ids.join(", ")),
                    )
                })
        })
        .collect()
}
