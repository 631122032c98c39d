//! One analysis API for every front end: a [`Request`] (the scenario, its what-ifs and the
//! analysis with its options) goes in, a [`Response`] (the result as data, with its notes and
//! warnings) or an [`ApiError`] comes out. The CLI, the web server and the Python module are thin
//! adapters over [`run`]: they parse their own input into a request and print or send the result,
//! so that every front end runs the same analyses with the same defaults, notes, errors and
//! numbers.
//!
//! ```
//! use statecraft_api::{run, Analysis, Context, ForecastOptions, Request};
//!
//! let request = Request::builtin("six-party-2009", Analysis::Forecast(ForecastOptions {
//!     models: vec!["compromise".into()],
//!     ..ForecastOptions::default()
//! }));
//! let response = run(&request, &Context::default()).expect("the built-in scenario forecasts");
//! let statecraft_api::AnalysisResult::Forecast(forecast) = &response.result else { panic!() };
//! assert_eq!(forecast.forecasts[0].model, "compromise");
//! ```
//!
//! Requests and results are serde types with JSON Schemas ([`request_schema`],
//! [`response_schema`]); `docs/api.md` describes them with an example of each.

mod backtest;
mod compare;
mod context;
mod error;
mod fit;
mod forecast;
mod infer;
pub mod limits;
mod power;
mod report;
mod scenario_ops;
mod source;
mod store;
mod sweep;
mod validate;
mod what_if;

mod agreements;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statecraft_core::scenario::Scenario;

pub use agreements::{
    CoalitionsOptions, CoalitionsResult, DurabilityOptions, DurabilityResult, PackageValue,
};
pub use backtest::{builtin_cases, BacktestOptions};
pub use compare::{CompareOptions, CompareResult, InputDifference, Move, MOVE_TOLERANCE};
pub use context::{CancelToken, Context, Event};
pub use error::{ApiError, ErrorKind, ProblemData, Severity};
pub use fit::{FitOptions, ParamsSource};
pub use forecast::{
    BdmOptions, BdmRunOutput, ForecastOptions, ForecastResult, IssueInfo, ModelInfo, SmpOptions,
    WhatIfBaseline,
};
pub use infer::{export_posterior, ActorRecord, InferOptions, InferResult};
pub use power::{PlayerOutput, PowerOptions, PowerResult};
pub use report::{sweep_report, ReportOptions};
pub use scenario_ops::{CheckResult, ConvertOptions, ConvertResult};
pub use source::{ScenarioSource, DEFAULT_SCENARIO};
pub use sweep::{
    IssueSensitivity, SensitivityOutput, SweepOptions, SweepResultOutput, SweepSettings,
    FALLBACK_UNCERTAINTY,
};
pub use validate::ValidateOptions;
pub use what_if::WhatIf;

/// The version of the request and response formats; a response carries it as `schema`.
pub const SCHEMA_VERSION: &str = "statecraft-api/1";

/// One analysis to run: a complete, reproducible description of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The scenario [default: the built-in `six-party-2009`].
    #[serde(default)]
    pub scenario: ScenarioSource,
    /// Changes applied to the scenario before the analysis.
    #[serde(default, skip_serializing_if = "WhatIf::is_empty")]
    pub what_if: WhatIf,
    /// The analysis and its options.
    pub analysis: Analysis,
}

impl Request {
    /// A request for `analysis` of the built-in scenario `name`.
    pub fn builtin(name: &str, analysis: Analysis) -> Self {
        Self {
            scenario: ScenarioSource::Builtin { name: name.into() },
            what_if: WhatIf::default(),
            analysis,
        }
    }

    /// Reads a request from JSON text, naming the field of any problem (`analysis.forecast.q`).
    pub fn from_json(file: &str, text: &str) -> Result<Self, ApiError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let request: Request = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let (line, column) = (inner.line(), inner.column());
            ApiError::bad_input(ProblemData {
                file: Some(file.to_owned()),
                line: (line > 0).then_some(line),
                column: (line > 0).then_some(column),
                field: (path != ".").then_some(path),
                path: None,
                message: strip_position(&inner.to_string()),
                help: Some("see docs/api.md for the requests and docs/schema/request.json".into()),
                severity: error::Severity::Error,
            })
        })?;
        de.end()
            .map_err(|e| ApiError::bad_input(ProblemData::message(format!("{file}: {e}"))))?;
        Ok(request)
    }
}

/// serde_json's messages end in " at line L column C"; the problem carries those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(k) => message[..k].to_owned(),
        None => message.to_owned(),
    }
}

/// Which analysis to run, with its options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Analysis {
    /// Where each issue lands, by every chosen model (`statecraft forecast`).
    Forecast(ForecastOptions),
    /// Read and validate the scenario (`statecraft check`).
    Check,
    /// The scenario itself, after the what-ifs (`statecraft show --format json`).
    Show,
    /// The scenario written as TOML or JSON (`statecraft convert`).
    Convert(ConvertOptions),
    /// Monte Carlo over the uncertain inputs (`statecraft sweep`).
    Sweep(SweepOptions),
    /// 6-0 or 5-1 (`statecraft coalitions`).
    Coalitions(CoalitionsOptions),
    /// Survival of an agreement under changes of government (`statecraft durability`).
    Durability(DurabilityOptions),
    /// The durability model scored on agreements whose fate is known
    /// (`statecraft durability --backtest`).
    Backtest(BacktestOptions),
    /// What the record of accepted and refused packages says the actors want
    /// (`statecraft infer`).
    Infer(InferOptions),
    /// Voting power (`statecraft power`).
    Power(PowerOptions),
    /// Every analysis as one report document (`statecraft report`).
    Report(ReportOptions),
    /// Every model scored against past decisions with known outcomes (`statecraft validate`).
    Validate(ValidateOptions),
    /// The fitted forecasters trained on every case of a data set (`statecraft fit`).
    Fit(FitOptions),
    /// Two scenarios, a scenario and its what-if, or two stored runs, side by side: the inputs
    /// that differ and how the analyses moved (`statecraft compare`).
    Compare(CompareOptions),
}

impl Analysis {
    /// The analysis's name, as in requests and responses (`forecast`).
    pub fn name(&self) -> &'static str {
        match self {
            Analysis::Forecast(_) => "forecast",
            Analysis::Check => "check",
            Analysis::Show => "show",
            Analysis::Convert(_) => "convert",
            Analysis::Sweep(_) => "sweep",
            Analysis::Coalitions(_) => "coalitions",
            Analysis::Durability(_) => "durability",
            Analysis::Backtest(_) => "backtest",
            Analysis::Infer(_) => "infer",
            Analysis::Power(_) => "power",
            Analysis::Report(_) => "report",
            Analysis::Validate(_) => "validate",
            Analysis::Fit(_) => "fit",
            Analysis::Compare(_) => "compare",
        }
    }
}

/// What an analysis returned: the data that the CLI prints with `--format json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "analysis", content = "result")]
#[allow(clippy::large_enum_variant)]
pub enum AnalysisResult {
    /// See [`ForecastResult`].
    Forecast(ForecastResult),
    /// See [`CheckResult`].
    Check(CheckResult),
    /// The scenario in statecraft's JSON format (docs/scenario-format.md).
    Show(serde_json::Value),
    /// See [`ConvertResult`].
    Convert(ConvertResult),
    /// See [`SweepResultOutput`].
    Sweep(SweepResultOutput),
    /// See [`CoalitionsResult`].
    Coalitions(CoalitionsResult),
    /// See [`DurabilityResult`].
    Durability(DurabilityResult),
    /// The backtest's scores (docs/models/durability.md, "Backtest").
    Backtest(statecraft_core::backtest::Backtest),
    /// See [`InferResult`].
    Infer(InferResult),
    /// See [`PowerResult`].
    Power(PowerResult),
    /// The report document (schema `statecraft-report/1`, docs/report.md).
    Report(statecraft_report::Report),
    /// The accuracy report (docs/validation.md).
    Validate(statecraft_core::validation::ValidationReport),
    /// The fitted parameters (docs/validation.md, "Parameter files").
    Fit(statecraft_core::validation::FittedParameters),
    /// See [`CompareResult`].
    Compare(CompareResult),
}

/// A finished analysis: its result, and what was said on the way.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Response {
    /// [`SCHEMA_VERSION`].
    pub schema: String,
    /// The analysis and its result.
    #[serde(flatten)]
    pub result: AnalysisResult,
    /// How the input was read and what the analysis noticed, in order.
    pub notes: Vec<String>,
    /// Soft problems with the scenario, located in its file.
    pub warnings: Vec<ProblemData>,
    /// The scenario that was analysed (after the what-ifs), for front ends that show labels,
    /// scales and anchors next to the result; not part of the JSON.
    #[serde(skip)]
    #[schemars(skip)]
    pub scenario: Option<Scenario>,
}

impl Response {
    /// The result alone, as JSON: what `statecraft COMMAND --format json` prints.
    pub fn result_json(&self) -> serde_json::Value {
        let full = serde_json::to_value(&self.result).expect("results serialise");
        full.get("result")
            .cloned()
            .unwrap_or(serde_json::Value::Null)
    }
}

/// Runs one request. Notes and progress go to `context` as they happen and are also gathered
/// in the response; a run cancelled through `context.cancel` stops at the next chunk and
/// returns [`ErrorKind::Cancelled`] (a sweep returns the draws it finished instead, marked
/// interrupted).
pub fn run(request: &Request, context: &Context) -> Result<Response, ApiError> {
    let notes = context::NoteLog::new(context);
    limits::check_options(request)?;
    // A game given by its weights, validation and fitting need no scenario.
    let without_scenario = match &request.analysis {
        Analysis::Power(options) if !options.weights.is_empty() => {
            Some(power::run(None, options, &notes)?)
        }
        Analysis::Validate(options) => Some(validate::run(options, context, &notes)?),
        Analysis::Fit(options) => Some(fit::run(options, context, &notes)?),
        Analysis::Backtest(options) => Some(backtest::run(options, context, &notes)?),
        Analysis::Compare(options) if !options.runs.is_empty() => Some(compare::run_stored(
            &request.what_if,
            options,
            context,
            &notes,
        )?),
        _ => None,
    };
    if let Some(result) = without_scenario {
        return Ok(Response {
            schema: SCHEMA_VERSION.into(),
            result,
            notes: notes.into_notes(),
            warnings: Vec::new(),
            scenario: None,
        });
    }
    let loaded = source::load(&request.scenario, &notes)?;
    limits::check_scenario(request, &loaded.scenario)?;
    for warning in &loaded.warnings {
        context.event(Event::Warning(warning));
    }
    let warnings: Vec<ProblemData> = loaded.warnings.iter().map(ProblemData::from).collect();
    let (result, scenario) = match &request.analysis {
        Analysis::Forecast(options) => {
            forecast::run(&loaded, &request.what_if, options, &notes, context)?
        }
        Analysis::Compare(options) => (
            compare::run(&request.scenario, &request.what_if, options, &notes)?,
            loaded.scenario.clone(),
        ),
        analysis => {
            let scenario = what_if::load_changed(&loaded, &request.what_if, &notes)?;
            let source = &request.scenario;
            match analysis {
                Analysis::Sweep(options) => {
                    sweep::run(scenario, options, request, context, &notes)?
                }
                Analysis::Report(options) => {
                    report::run(&scenario, source, options, context, &notes)?
                }
                other => {
                    let result = match other {
                        Analysis::Check => scenario_ops::check(&loaded),
                        Analysis::Show => scenario_ops::show(&scenario),
                        Analysis::Convert(options) => scenario_ops::convert(&scenario, options)?,
                        Analysis::Coalitions(options) => {
                            agreements::coalitions(&scenario, source, options, context, &notes)?
                        }
                        Analysis::Durability(options) => {
                            agreements::durability(&scenario, source, options, context, &notes)?
                        }
                        Analysis::Infer(options) => {
                            infer::run(&scenario, source, options, context, &notes)?
                        }
                        Analysis::Power(options) => {
                            power::run(Some((&scenario, source.name())), options, &notes)?
                        }
                        _ => unreachable!("handled above"),
                    };
                    (result, scenario)
                }
            }
        }
    };
    record(request, &result, &scenario, context)?;
    Ok(Response {
        schema: SCHEMA_VERSION.into(),
        result,
        notes: notes.into_notes(),
        warnings,
        scenario: Some(scenario),
    })
}

/// Records a finished forecast, coalition or durability analysis in the context's run store
/// (sweeps record themselves chunk by chunk).
fn record(
    request: &Request,
    result: &AnalysisResult,
    scenario: &Scenario,
    context: &Context,
) -> Result<(), ApiError> {
    match (&request.analysis, result) {
        (Analysis::Forecast(options), AnalysisResult::Forecast(r)) => store::record(
            context,
            "forecast",
            scenario,
            forecast::store_params(options, &request.what_if),
            None,
            &r.forecasts,
            request,
        ),
        (Analysis::Coalitions(options), AnalysisResult::Coalitions(r)) => store::record(
            context,
            "coalitions",
            scenario,
            serde_json::json!({ "shape": options.shape }),
            None,
            &r.analysis,
            request,
        ),
        (Analysis::Durability(options), AnalysisResult::Durability(r)) => store::record(
            context,
            "durability",
            scenario,
            r.store_params(options.step),
            Some(options.seed),
            &r.forms,
            request,
        ),
        _ => Ok(()),
    }
}

/// A `validate` response as a self-contained HTML page (its tables and the chart of each model's
/// errors); `data` names the cases in the title (the file name, say).
pub fn export_validation(response: &Response, data: &str) -> Result<String, ApiError> {
    let AnalysisResult::Validate(report) = &response.result else {
        return Err(ApiError::usage(
            format!(
                "only a validation report can be written as an accuracy page, and this is a {} result",
                response_kind(&response.result)
            ),
            "run a request whose analysis is `validate`",
        ));
    };
    statecraft_report::validation_html(report, data)
        .map_err(|e| ApiError::failed(format!("cannot write the accuracy page: {e}")))
}

/// A report's response written in one of the report crate's formats (html, md, json or csv):
/// what `statecraft report -o FILE` writes, for every front end.
pub fn export_report(response: &Response, format: &str) -> Result<String, ApiError> {
    let AnalysisResult::Report(report) = &response.result else {
        return Err(ApiError::usage(
            format!(
                "only a report can be exported, and this is a {} result",
                response_kind(&response.result)
            ),
            "run a request whose analysis is `report`",
        ));
    };
    let exporter = statecraft_report::exporter(format).ok_or_else(|| {
        ApiError::usage(
            format!("unknown report format `{format}`"),
            "the formats are html, md, json, csv and xlsx",
        )
    })?;
    exporter
        .export(report)
        .map_err(|e| ApiError::failed(format!("cannot write the report: {e}")))
}

/// A report response as the bytes of a file in `format`: the text formats of [`export_report`],
/// or `xlsx`, a workbook with one sheet per section.
pub fn export_report_bytes(response: &Response, format: &str) -> Result<Vec<u8>, ApiError> {
    if format != "xlsx" {
        return export_report(response, format).map(String::into_bytes);
    }
    let AnalysisResult::Report(report) = &response.result else {
        return export_report(response, format).map(String::into_bytes);
    };
    statecraft_report::xlsx(report)
        .map_err(|e| ApiError::failed(format!("cannot write the report: {e}")))
}

fn response_kind(result: &AnalysisResult) -> String {
    serde_json::to_value(result)
        .ok()
        .and_then(|v| {
            v.get("analysis")
                .and_then(|a| a.as_str())
                .map(str::to_owned)
        })
        .unwrap_or_default()
}

/// The JSON Schema of [`Request`].
pub fn request_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Request)).expect("schemas serialise")
}

/// The JSON Schema of [`Response`].
pub fn response_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Response)).expect("schemas serialise")
}

/// The built-in scenarios: (name, one-line summary).
pub fn builtins() -> Vec<(&'static str, &'static str)> {
    statecraft_io::BUILTINS
        .iter()
        .map(|b| (b.name, b.summary))
        .collect()
}

/// A slice of a sweep's draws, by run index: what a worker of a split sweep sends back.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepDraws {
    /// The first run index of the slice.
    pub start: usize,
    /// Models per draw, in the order of the request's models.
    pub models: usize,
    /// Issues per model, in the scenario's order.
    pub issues: usize,
    /// Draw-major, then model, then issue: `values[(d * models + m) * issues + i]`; NaN where a
    /// model gives no value.
    pub values: Vec<f64>,
}

impl SweepDraws {
    /// How many draws the slice holds.
    pub fn len(&self) -> usize {
        self.values.len() / (self.models * self.issues).max(1)
    }

    /// Whether the slice holds no draw.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// The sweep of a request, loaded and checked exactly as [`run`] does it.
fn sweep_plan<'a>(
    request: &'a Request,
    notes: &context::NoteLog,
) -> Result<(sweep::Plan, &'a SweepOptions, Vec<ProblemData>), ApiError> {
    let Analysis::Sweep(options) = &request.analysis else {
        return Err(ApiError::bad_input(
            ProblemData::message(format!(
                "a split sweep needs a sweep request, not {}",
                request.analysis.name()
            ))
            .at_field("analysis"),
        ));
    };
    let loaded = source::load(&request.scenario, notes)?;
    let warnings = loaded.warnings.iter().map(ProblemData::from).collect();
    let scenario = what_if::load_changed(&loaded, &request.what_if, notes)?;
    Ok((
        sweep::Plan::fresh(scenario, options, notes)?,
        options,
        warnings,
    ))
}

/// The draws `runs` (run indices, within `0..options.runs`) of a sweep request, as [`run`]
/// makes them: a sweep split into slices by run index and put back in run order gives
/// [`sweep_summary`] exactly the draws of one run, so the same numbers.
pub fn sweep_draws(
    request: &Request,
    runs: std::ops::Range<usize>,
) -> Result<SweepDraws, ApiError> {
    let context = Context::default();
    let notes = context::NoteLog::new(&context);
    let (plan, _, _) = sweep_plan(request, &notes)?;
    let total = plan.settings.runs;
    if runs.start > runs.end || runs.end > total {
        return Err(ApiError::bad_input(
            ProblemData::message(format!(
                "draws {}..{} are not within the sweep's {total} runs",
                runs.start, runs.end
            ))
            .with_help("give run indices from 0 up to `runs`"),
        ));
    }
    let values = (runs.end - runs.start)
        .saturating_mul(plan.model_count())
        .saturating_mul(plan.issue_count());
    if values > limits::MAX_SWEEP_VALUES {
        return Err(ApiError::bad_input(
            ProblemData::message(format!(
                "draws {}..{} are {values} forecasts, more than the limit of {} one slice holds",
                runs.start,
                runs.end,
                limits::MAX_SWEEP_VALUES
            ))
            .with_help("split the sweep into smaller slices (docs/reliability.md)"),
        ));
    }
    let start = runs.start;
    let outcomes = plan.draws(runs);
    let values = outcomes.into_iter().flatten().flatten().collect();
    Ok(SweepDraws {
        start,
        models: plan.model_count(),
        issues: plan.issue_count(),
        values,
    })
}

/// A split sweep summarised slice by slice as the slices arrive, in run order: it keeps the
/// streaming summaries of the draws seen so far, never the draws, so a driver that gathers a
/// sweep's slices from many workers holds one slice at a time. [`SweepSummary::finish`] gives
/// the same response as [`run`] of the request, number for number.
pub struct SweepSummary {
    plan: sweep::Plan,
    options: SweepOptions,
    warnings: Vec<ProblemData>,
    notes: Vec<String>,
    summariser: statecraft_core::sweep::Summariser,
    next: usize,
}

impl SweepSummary {
    /// A summary of the sweep `request` with no draw yet.
    pub fn new(request: &Request) -> Result<Self, ApiError> {
        let context = Context::default();
        let notes = context::NoteLog::new(&context);
        let (plan, options, warnings) = sweep_plan(request, &notes)?;
        let options = options.clone();
        let notes = notes.into_notes();
        let summariser = plan.summariser();
        Ok(Self {
            plan,
            options,
            warnings,
            notes,
            summariser,
            next: 0,
        })
    }

    /// The run index the next slice must start at: the draws so far.
    pub fn next_run(&self) -> usize {
        self.next
    }

    /// Adds the slice of draws starting at run `start` (as [`sweep_draws`] gives its
    /// `values`): `start` must be [`Self::next_run`], and the slice whole draws within the
    /// sweep's runs.
    pub fn add(&mut self, start: usize, values: &[f64]) -> Result<(), ApiError> {
        let (models, issues, runs) = (
            self.plan.model_count(),
            self.plan.issue_count(),
            self.plan.settings.runs,
        );
        if start != self.next {
            return Err(ApiError::bad_input(
                ProblemData::message(format!(
                    "a slice starting at run {start} came where run {} was due",
                    self.next
                ))
                .with_help("add the slices in run order"),
            ));
        }
        let per_draw = models * issues;
        let draws = values.len().checked_div(per_draw).unwrap_or(0);
        let whole = if per_draw == 0 {
            values.is_empty()
        } else {
            values.len().is_multiple_of(per_draw)
        };
        if !whole || start + draws > runs {
            return Err(ApiError::bad_input(ProblemData::message(format!(
                "{} values at run {start} are not whole draws of {models} models on {issues} \
                 issues within the sweep's {runs} runs",
                values.len()
            ))));
        }
        let outcomes: Vec<Vec<Vec<f64>>> = values
            .chunks(per_draw.max(1))
            .map(|draw| draw.chunks(issues.max(1)).map(<[f64]>::to_vec).collect())
            .collect();
        self.summariser.add(&outcomes);
        self.next += draws;
        Ok(())
    }

    /// The response, once every run has been added.
    pub fn finish(self) -> Result<Response, ApiError> {
        let (models, issues, runs) = (
            self.plan.model_count(),
            self.plan.issue_count(),
            self.plan.settings.runs,
        );
        // A sweep with no value per draw has its runs without any slice to carry them.
        let next = if models * issues == 0 {
            runs
        } else {
            self.next
        };
        if next != runs {
            return Err(ApiError::bad_input(ProblemData::message(format!(
                "{next} of the sweep's {runs} runs were added: the summary needs all of them"
            ))));
        }
        let summariser = if models * issues == 0 {
            let mut empty = self.plan.summariser();
            empty.add(&vec![vec![Vec::new(); models]; runs]);
            empty
        } else {
            self.summariser
        };
        let result = summariser.finish(
            &self.plan.scenario,
            &self.plan.inputs,
            self.plan.settings.seed,
        );
        let output = self.plan.summary(&self.options, result, true, None)?;
        Ok(Response {
            schema: SCHEMA_VERSION.into(),
            result: AnalysisResult::Sweep(output),
            notes: self.notes,
            warnings: self.warnings,
            scenario: Some(self.plan.scenario),
        })
    }
}

/// The response of a sweep request from all its draws (as [`sweep_draws`] gives them, every
/// slice concatenated in run order): the same response as [`run`] of the request.
pub fn sweep_summary(request: &Request, values: &[f64]) -> Result<Response, ApiError> {
    let mut summary = SweepSummary::new(request)?;
    summary.add(0, values)?;
    summary.finish()
}
