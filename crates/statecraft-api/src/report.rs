//! The report: every analysis of a scenario gathered into one document, optionally with a new
//! sweep or a finished sweep from the run store.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statecraft_core::durability::DurabilityParams;
use statecraft_core::models::bdm::BdmParams;
use statecraft_core::scenario::Scenario;
use statecraft_core::sweep::{InputIndex, SweepResult};
use statecraft_report::{DurabilityOptions, Report, SweepOptions, SweepSection};

use crate::agreements::{forms, package};
use crate::context::{Context, NoteLog};
use crate::error::ApiError;
use crate::forecast::variant;
use crate::store::{open, store_error};
use crate::sweep::{stored, FALLBACK_UNCERTAINTY};
use crate::AnalysisResult;

/// Options of `report`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ReportOptions {
    /// Run a sweep of this many draws and show the forecast spreads (0: no sweep).
    pub sweep: usize,
    /// With a sweep: Sobol sensitivity of the compromise forecast from this many base rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<usize>,
    /// With a sweep: relative uncertainty of inputs without a distribution [default: the
    /// scenario's `uncertainty`, else 0.1].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<f64>,
    /// The agreement whose durability is simulated, as `ISSUE=VALUE` pairs [default: the
    /// compromise forecast].
    pub package: Vec<String>,
    /// Agreement forms compared [default: every form of the scenario].
    pub forms: Vec<String>,
    /// Durability horizon in years.
    pub years: f64,
    /// Simulated histories per agreement form.
    pub histories: usize,
    /// Seed of every random stream.
    pub seed: u64,
    /// The expected-utility model's variant.
    pub variant: String,
    /// Report on this finished sweep from the run store: its scenario, spreads and
    /// sensitivities instead of a new sweep.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<i64>,
    /// Add what the scenario's record of observations says each actor wants (`infer` with its
    /// default settings and this report's seed).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub infer: bool,
    /// A parameter file (`statecraft fit`): its fitted forecasters beside the models, in the
    /// forecasts and in the sweep.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<crate::fit::ParamsSource>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self {
            sweep: 0,
            sensitivity: None,
            uncertainty: None,
            package: Vec::new(),
            forms: Vec::new(),
            years: 8.0,
            histories: 20_000,
            seed: 1,
            variant: "scholz-reference".into(),
            run: None,
            infer: false,
            params: None,
        }
    }
}

fn usage(message: &str, help: &str) -> ApiError {
    ApiError::usage(message, help)
}

pub(crate) fn run(
    scenario: &Scenario,
    source: &crate::ScenarioSource,
    options: &ReportOptions,
    context: &Context,
    notes: &NoteLog,
) -> Result<(AnalysisResult, Scenario), ApiError> {
    let (scenario, stored_sweep) = match options.run {
        Some(id) => {
            let (scenario, sweep) = stored_sweep(context, id)?;
            (scenario, Some(sweep))
        }
        None => (scenario.clone(), None),
    };
    if let Some(u) = options.uncertainty {
        if !(u.is_finite() && u >= 0.0) {
            return Err(usage(
                &format!("--uncertainty {u} is not a share of 0 or more"),
                "0.1 means a standard deviation of 10%",
            )
            .at_field("analysis.report.uncertainty"));
        }
    }
    if options.sensitivity.is_some() && options.sweep == 0 {
        return Err(usage(
            "--sensitivity needs a sweep",
            "add --sweep N, e.g. --sweep 2000 --sensitivity 500",
        )
        .at_field("analysis.report.sensitivity"));
    }
    if options.sensitivity == Some(0) {
        return Err(usage(
            "--sensitivity 0: the Sobol estimates need base rows",
            "500 or more gives indices to about 0.05",
        )
        .at_field("analysis.report.sensitivity"));
    }
    if options.histories == 0 {
        return Err(usage(
            "--histories 0: the durability analysis needs at least one history",
            "e.g. --histories 20000",
        )
        .at_field("analysis.report.histories"));
    }
    let variant = variant(&options.variant)?;
    // Durability needs a signing date; a scenario without one simply has no such section.
    let durability = match scenario.meta().date {
        Some(start) => Some(DurabilityOptions {
            package: package(&scenario, &options.package)
                .map_err(|e| e.at_field("analysis.report.package"))?,
            forms: forms(&scenario, &options.forms)
                .map_err(|e| e.at_field("analysis.report.forms"))?,
            params: DurabilityParams {
                years: options.years,
                runs: options.histories,
                seed: options.seed,
                step: 0.25,
                start,
            },
        }),
        None => None,
    };
    let sweep = (options.sweep > 0).then(|| SweepOptions {
        runs: options.sweep,
        uncertainty: options
            .uncertainty
            .or(scenario.meta().uncertainty)
            .unwrap_or(FALLBACK_UNCERTAINTY),
        sensitivity: options.sensitivity,
    });
    let fitted = match &options.params {
        Some(source) => {
            let fitted = source.parse()?;
            notes.note(format!(
                "fitted forecasters from `{}` (fitted on `{}`, {} capabilities), on the \
                 scenario's own capabilities",
                source.file,
                fitted.data,
                fitted.capabilities.name()
            ));
            Some(fitted)
        }
        None => None,
    };
    let report_options = statecraft_report::ReportOptions {
        bdm: BdmParams::forecast(variant),
        durability,
        sweep,
        power_samples: 100_000,
        seed: options.seed,
        fitted,
    };
    if context.cancel.is_cancelled() {
        return Err(ApiError::cancelled());
    }
    let mut report = Report::build(&scenario, &report_options);
    if options.infer {
        let infer_options = crate::InferOptions {
            seed: options.seed,
            ..crate::InferOptions::default()
        };
        match crate::infer::run(&scenario, source, &infer_options, context, notes)? {
            AnalysisResult::Infer(result) => report.inference = Some(result.inference),
            _ => unreachable!("infer returns an inference"),
        }
    }
    if stored_sweep.is_some() {
        report.sweep = stored_sweep;
    }
    if report_options.durability.is_none() {
        report.notes.push(
            "The durability analysis is left out: the scenario has no date on which to place its elections."
                .into(),
        );
    }
    Ok((AnalysisResult::Report(report), scenario))
}

/// A report on a finished sweep's `response` (what [`crate::run`] returned for a sweep): its
/// scenario's fast analyses (no durability) with the sweep's spreads and sensitivities, so that a
/// front end can draw a sweep it ran as a job with the report's charts.
pub fn sweep_report(response: &crate::Response) -> Result<Report, ApiError> {
    let (AnalysisResult::Sweep(output), Some(scenario)) = (&response.result, &response.scenario)
    else {
        return Err(usage(
            "only a sweep's response has a sweep report",
            "run a sweep request first",
        ));
    };
    let value = serde_json::to_value(output)
        .map_err(|e| ApiError::failed(format!("the sweep does not serialise: {e}")))?;
    let section = section_of(value, "the finished sweep")?;
    let options = statecraft_report::ReportOptions {
        bdm: BdmParams::forecast(variant("scholz-reference")?),
        durability: None,
        sweep: None,
        power_samples: 100_000,
        seed: output.result.seed,
        fitted: None,
    };
    let mut report = Report::build(scenario, &options);
    report.sweep = Some(section);
    Ok(report)
}

/// The report's sweep section from a sweep's result as JSON (fresh or stored).
fn section_of(value: serde_json::Value, what: &str) -> Result<SweepSection, ApiError> {
    let stored: StoredSweep = serde_json::from_value(value)
        .map_err(|e| ApiError::failed(format!("the result of {what} does not read back: {e}")))?;
    let ranking = stored.sensitivity.map(|s| {
        (
            s.model,
            s.issues.into_iter().map(|i| (i.issue, i.inputs)).collect(),
        )
    });
    Ok(SweepSection::from_result(
        stored.result,
        stored.uncertainty,
        ranking,
    ))
}

/// The parts of a stored sweep's result (what `sweep` returns) that the report shows.
#[derive(Deserialize)]
struct StoredSweep {
    #[serde(flatten)]
    result: SweepResult,
    uncertainty: f64,
    sensitivity: Option<StoredSensitivity>,
}

#[derive(Deserialize)]
struct StoredSensitivity {
    model: String,
    issues: Vec<StoredIssueSensitivity>,
}

#[derive(Deserialize)]
struct StoredIssueSensitivity {
    issue: String,
    inputs: Option<Vec<InputIndex>>,
}

/// The scenario and the spreads of finished sweep `id` in the context's store.
fn stored_sweep(context: &Context, id: i64) -> Result<(Scenario, SweepSection), ApiError> {
    let Some(path) = &context.store else {
        return Err(usage(
            "a stored sweep needs its run store",
            "give --store FILE with --run ID",
        )
        .at_field("analysis.report.run"));
    };
    let store = open(path)?;
    let run = store.get(id).map_err(store_error)?;
    // Checks that the run is a sweep, and reads its scenario back.
    let (scenario, _) = stored(&store, id)?;
    let Some(result) = run.result else {
        return Err(usage(
            &format!("sweep {id} in `{}` did not finish", path.display()),
            &format!(
                "finish it with `statecraft sweep --store {} --resume {id}`",
                path.display()
            ),
        ));
    };
    let section = section_of(result, &format!("sweep {id}"))?;
    Ok((scenario, section))
}
