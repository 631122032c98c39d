//! The sweep: draws the uncertain inputs chunk by chunk (recorded in the run store when there is
//! one, so that a stopped sweep resumes), runs the models on every draw, and summarises the
//! spreads, the coalition and durability spreads and the Sobol indices.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statecraft_core::models::bdm::BdmParams;
use statecraft_core::models::Model;
use statecraft_core::scenario::Scenario;
use statecraft_core::sweep::{
    coalition_sweep, durability_sweep, sensitivity, sweep_outcomes, uncertain_inputs,
    CoalitionSpread, DurabilitySpread, InputIndex, Summariser, SweepResult, UncertainInput,
    BOOTSTRAP_REPLICATES, INTERVAL_LEVEL,
};
use statecraft_core::validation::FittedModel;
use statecraft_io::store::Store;

use crate::context::{Context, Event, NoteLog};
use crate::error::ApiError;
use crate::forecast::{selected_models, variant, variant_needs_bdm, DEFAULT_VARIANT};
use crate::store::{open, store_error};
use crate::{AnalysisResult, Request};

/// The uncertainty used when a scenario states none and has no distribution.
pub const FALLBACK_UNCERTAINTY: f64 = 0.1;

/// Options of `sweep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SweepOptions {
    /// Models to run on every draw: compromise, median, nash, bdm, smp (the spatial model, all
    /// issues at once), or all (every one-issue model: all but smp).
    pub models: Vec<String>,
    /// Number of draws.
    pub runs: usize,
    /// Seed of the random streams (the same seed gives the same result on any machine).
    pub seed: u64,
    /// Uncertainty of every value not given a distribution, as a share [default: the
    /// scenario's `uncertainty`, else 0.1 when it has no distribution at all].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<f64>,
    /// Also ask on every draw whether all actors can agree and who is the holdout.
    pub coalitions: bool,
    /// Also repeat the durability analysis of the compromise package under this form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub durability: Option<String>,
    /// The expected-utility model's variant [default: scholz-reference]; only with `bdm` among
    /// the models.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Also rank the inputs by their Sobol indices on the first model, from this many base rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<usize>,
    /// Draws per chunk: the unit of progress, of cancellation and of what the store keeps.
    pub chunk: usize,
    /// Resume the stored sweep with this id (needs a run store): its scenario and settings are
    /// read from the store, and only the chunks it lacks are run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resume: Option<i64>,
    /// A parameter file (`statecraft fit`): its fitted forecasters run on every draw beside the
    /// models, from each draw's compromise and weighted median.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<crate::fit::ParamsSource>,
}

impl Default for SweepOptions {
    fn default() -> Self {
        Self {
            models: vec!["compromise".into(), "median".into(), "nash".into()],
            runs: 1000,
            seed: 1,
            uncertainty: None,
            coalitions: false,
            durability: None,
            variant: None,
            sensitivity: None,
            chunk: 1000,
            resume: None,
            params: None,
        }
    }
}

/// What a stored sweep needs to be resumed exactly.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SweepSettings {
    /// The models.
    pub models: Vec<String>,
    /// Draws.
    pub runs: usize,
    /// Seed.
    pub seed: u64,
    /// The uncertainty used.
    pub uncertainty: f64,
    /// The expected-utility variant.
    pub variant: String,
    /// Draws per chunk.
    pub chunk: usize,
    /// The fitted forecasters run beside the models (from `params`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<statecraft_core::validation::FittedParameters>,
}

/// What `sweep` returns, and what the store keeps of a finished sweep.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SweepResultOutput {
    /// The scenario's title.
    pub scenario: Option<String>,
    /// The uncertainty used for inputs without a distribution.
    pub uncertainty: f64,
    /// Whether every draw asked for was made (`false` when the sweep was stopped).
    pub complete: bool,
    /// The run's id in the store, when it was recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<i64>,
    /// Draws, seed, inputs and the spread of every model on every issue.
    #[serde(flatten)]
    pub result: SweepResult,
    /// The Sobol indices, when asked for.
    pub sensitivity: Option<SensitivityOutput>,
    /// How often all can agree, and who holds out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coalitions: Option<CoalitionSpread>,
    /// The spread of the compromise package's chance to survive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub durability: Option<DurabilitySpread>,
}

/// The Sobol indices of one model's forecast.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SensitivityOutput {
    /// The model.
    pub model: String,
    /// Base rows of the estimate.
    pub base_rows: usize,
    /// Bootstrap resamples of the base rows behind every interval (`null` in sweeps stored
    /// before intervals were computed).
    #[serde(default)]
    pub bootstrap_replicates: Option<usize>,
    /// The level of every interval (percentile bootstrap).
    #[serde(default)]
    pub interval_level: Option<f64>,
    /// An estimate of the base rows that would settle every index flagged as noise (the most
    /// any of them needs), when that is more than `base_rows`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settle_base_rows: Option<usize>,
    /// Per issue.
    pub issues: Vec<IssueSensitivity>,
}

/// The inputs that move one issue's forecast.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct IssueSensitivity {
    /// The issue's id.
    pub issue: String,
    /// Inputs by total effect, largest first; `null` when the forecast does not vary.
    pub inputs: Option<Vec<InputIndex>>,
}

/// Reads a stored sweep's scenario and settings.
pub(crate) fn stored(store: &Store, id: i64) -> Result<(Scenario, SweepSettings), ApiError> {
    let run = store.get(id).map_err(store_error)?;
    if run.summary.kind != "sweep" {
        return Err(ApiError::usage(
            format!("run {id} is a {}, not a sweep", run.summary.kind),
            "`statecraft runs list` shows every run",
        ));
    }
    let scenario = crate::store::stored_scenario(id, &run.scenario)?;
    let settings = serde_json::from_value(run.params)
        .map_err(|e| ApiError::failed(format!("the stored settings of run {id}: {e}")))?;
    Ok((scenario, settings))
}

/// Refuses inputs whose distribution cannot be drawn from in floating point.
fn drawable(inputs: &[UncertainInput]) -> Result<(), ApiError> {
    match statecraft_core::sweep::undrawable(inputs) {
        None => Ok(()),
        Some(input) => Err(ApiError::usage(
            format!(
                "`{}` cannot be drawn: its distribution ({:?}) is too wide for 64-bit numbers",
                input.label, input.distribution
            ),
            "narrow the issue's scale or the uncertainty: a spread must stay below about 1e307",
        )
        .at_field("analysis.sweep.uncertainty")),
    }
}

/// The settings of a new sweep of `scenario`, checked.
fn fresh(
    scenario: &Scenario,
    options: &SweepOptions,
    notes: &NoteLog,
) -> Result<SweepSettings, ApiError> {
    let field = |name: &str| format!("analysis.sweep.{name}");
    if let Some(u) = options.uncertainty {
        if !(u.is_finite() && u >= 0.0) {
            return Err(ApiError::usage(
                format!("--uncertainty {u} is not a share of 0 or more"),
                "0.1 means a standard deviation of 10%",
            )
            .at_field(&field("uncertainty")));
        }
    }
    if options.sensitivity == Some(0) {
        return Err(ApiError::usage(
            "--sensitivity 0: the Sobol estimates need base rows",
            "500 or more gives indices to about 0.05",
        )
        .at_field(&field("sensitivity")));
    }
    if options.runs == 0 {
        return Err(ApiError::bad_input(
            crate::ProblemData::message("--runs 0: a sweep needs at least one run")
                .at_field(field("runs")),
        ));
    }
    // Check the model names now rather than after the scenario is stored.
    variant_needs_bdm(options.variant.as_deref(), &options.models)
        .map_err(|e| e.at_field(&field("variant")))?;
    let variant_name = options.variant.as_deref().unwrap_or(DEFAULT_VARIANT);
    selected_models(&options.models, BdmParams::forecast(variant(variant_name)?))
        .map_err(|e| e.at_field(&field("models")))?;
    let mut uncertainty = options
        .uncertainty
        .or(scenario.meta().uncertainty)
        .unwrap_or(0.0);
    if options.uncertainty.is_none() && uncertain_inputs(scenario, Some(uncertainty)).is_empty() {
        uncertainty = FALLBACK_UNCERTAINTY;
        notes.note(format!(
            "the scenario gives no uncertainty; every value is drawn with a standard deviation of {:.0}% (set --uncertainty or the scenario's `uncertainty`)",
            100.0 * uncertainty
        ));
    }
    drawable(&uncertain_inputs(scenario, Some(uncertainty)))?;
    let params = match &options.params {
        Some(source) => {
            let fitted = source.parse()?;
            notes.note(format!(
                "fitted forecasters from `{}` (fitted on `{}`, {} capabilities) run on every draw \
                 from its compromise and weighted median",
                source.file,
                fitted.data,
                fitted.capabilities.name()
            ));
            Some(fitted)
        }
        None => None,
    };
    Ok(SweepSettings {
        models: options.models.clone(),
        runs: options.runs,
        seed: options.seed,
        uncertainty,
        variant: variant_name.to_owned(),
        chunk: options.chunk,
        params,
    })
}

/// `durability`: the durability of the compromise package over the draws.
fn sweep_durability(
    scenario: &Scenario,
    inputs: &[UncertainInput],
    form_id: &str,
    runs: usize,
    seed: u64,
) -> Result<DurabilitySpread, ApiError> {
    let field = "analysis.sweep.durability";
    let forms = if scenario.forms().is_empty() {
        statecraft_core::durability::default_forms()
    } else {
        scenario.forms().to_vec()
    };
    let Some(form) = forms.iter().find(|f| f.id == form_id) else {
        let ids: Vec<&str> = forms.iter().map(|f| f.id.as_str()).collect();
        return Err(ApiError::usage(
            format!("unknown agreement form `{form_id}`"),
            statecraft_io::unknown_name_help(form_id, &ids, "forms"),
        )
        .at_field(field));
    };
    let Some(start) = scenario.meta().date else {
        return Err(ApiError::usage(
            "--durability needs the scenario's date to place its elections",
            "give the scenario a `date`",
        )
        .at_field(field));
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
        ApiError::bad_input(
            crate::ProblemData::message(format!("--durability: {e}")).at_field(field),
        )
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

/// Runs the sweep of `scenario` (or, with `resume`, of the stored run's scenario).
pub(crate) fn run(
    scenario: Scenario,
    options: &SweepOptions,
    request: &Request,
    context: &Context,
    notes: &NoteLog,
) -> Result<(AnalysisResult, Scenario), ApiError> {
    if context.store.is_some()
        && options.resume.is_none()
        && options.runs > crate::limits::MAX_STORED_RUNS
    {
        return Err(ApiError::usage(
            format!(
                "--runs {} is more than the limit of {} draws of a sweep kept in a run store",
                options.runs,
                crate::limits::MAX_STORED_RUNS
            ),
            "the store keeps every draw to resume from; leave out --store (a sweep without it \
             keeps no draws), or give --runs 1000000 or less (docs/reliability.md)",
        )
        .at_field("analysis.sweep.runs"));
    }
    let store = match &context.store {
        Some(path) => Some(open(path)?),
        None => None,
    };
    let (scenario, settings, run_id) = match (options.resume, &store) {
        (Some(id), Some(store)) => {
            let (scenario, settings) = stored(store, id)?;
            store.resume(id).map_err(store_error)?;
            (scenario, settings, Some(id))
        }
        (Some(_), None) => {
            return Err(ApiError::usage(
                "resuming a sweep needs its run store",
                "give --store FILE with --resume ID",
            )
            .at_field("analysis.sweep.resume"))
        }
        (None, _) => {
            let settings = fresh(&scenario, options, notes)?;
            let id = match &store {
                Some(store) => {
                    let params = serde_json::to_value(&settings).expect("settings serialise");
                    let id = crate::store::start(
                        store,
                        "sweep",
                        &scenario,
                        &params,
                        Some(settings.seed),
                        request,
                    )?;
                    context.event(Event::Recorded(id));
                    Some(id)
                }
                None => None,
            };
            (scenario, settings, id)
        }
    };
    let plan = Plan::new(scenario, settings)?;
    let settings = &plan.settings;

    // Draws in chunks, summarised in chunk order as they come and then dropped, so that memory
    // does not grow with the runs: the store keeps each chunk as it is done (a resumed run reads
    // its stored chunks back one at a time); cancellation stops the drawing between chunks.
    let chunk = settings.chunk.max(1);
    let chunks = settings.runs.div_ceil(chunk);
    let stored: std::collections::BTreeSet<usize> = match (&store, run_id) {
        (Some(store), Some(id)) => store
            .chunk_numbers(id)
            .map_err(store_error)?
            .into_iter()
            .collect(),
        _ => Default::default(),
    };
    let size = |c: usize| ((c + 1) * chunk).min(settings.runs) - c * chunk;
    let total = settings.runs as u64;
    let mut finished: u64 = stored
        .iter()
        .filter(|&&c| c < chunks)
        .map(|&c| size(c) as u64)
        .sum();
    context.event(Event::Progress {
        done: finished,
        total,
    });
    let mut summariser = plan.summariser();
    let mut summarised = 0;
    for c in 0..chunks {
        let kept = match (&store, run_id, stored.contains(&c)) {
            (Some(store), Some(id), true) => store
                .chunk(id, c)
                .map_err(store_error)?
                .and_then(|data| decode(&data)),
            _ => None,
        };
        let outcomes = match kept {
            Some(outcomes) => outcomes,
            // Once stopped, only the chunks already stored are summarised.
            None if context.cancel.is_cancelled() => continue,
            None => {
                let outcomes = plan.draws(c * chunk..((c + 1) * chunk).min(settings.runs));
                if let (Some(store), Some(id)) = (&store, run_id) {
                    store
                        .put_chunk(id, c, &encode(&outcomes))
                        .map_err(store_error)?;
                }
                if !stored.contains(&c) {
                    finished += outcomes.len() as u64;
                }
                context.event(Event::Progress {
                    done: finished,
                    total,
                });
                outcomes
            }
        };
        summariser.add(&outcomes);
        summarised += 1;
    }
    let complete = summarised == chunks;
    let draws = summariser.draws();
    if !complete {
        let hint = match (run_id, &context.store) {
            (Some(id), Some(path)) => {
                format!("resume with --store {} --resume {id}", path.display())
            }
            _ => "use --store FILE to keep a sweep that may be stopped".into(),
        };
        notes.note(format!(
            "stopped after {draws} of {} draws; the spreads below are of those ({hint})",
            settings.runs
        ));
    }
    let result = summariser.finish(&plan.scenario, &plan.inputs, settings.seed);
    if let (Some(store), Some(id), false) = (&store, run_id, complete) {
        // Stopped, not crashed: `runs list` says so, and --resume takes it up again.
        store.interrupt(id).map_err(store_error)?;
    }
    let output = plan.summary(options, result, complete, run_id)?;
    if let (Some(store), Some(id), true) = (&store, run_id, complete) {
        let value = serde_json::to_value(&output).expect("the result serialises");
        store.finish(id, &value).map_err(store_error)?;
    }
    Ok((AnalysisResult::Sweep(output), plan.scenario))
}

/// A checked sweep, ready to draw: the scenario, its settings, the uncertain inputs and the
/// models. `run` and the split sweep ([`crate::sweep_draws`], [`crate::sweep_summary`]) share it,
/// so that a sweep split by run index gives the same numbers as one run.
pub(crate) struct Plan {
    pub(crate) scenario: Scenario,
    pub(crate) settings: SweepSettings,
    pub(crate) inputs: Vec<UncertainInput>,
    models: Vec<Box<dyn Model>>,
}

impl Plan {
    pub(crate) fn new(scenario: Scenario, settings: SweepSettings) -> Result<Self, ApiError> {
        let inputs = uncertain_inputs(&scenario, Some(settings.uncertainty));
        drawable(&inputs)?;
        let mut models: Vec<Box<dyn Model>> = selected_models(
            &settings.models,
            BdmParams::forecast(variant(&settings.variant)?),
        )?;
        if let Some(params) = &settings.params {
            for fitted in FittedModel::all(params, &scenario) {
                models.push(Box::new(fitted));
            }
        }
        Ok(Self {
            scenario,
            settings,
            inputs,
            models,
        })
    }

    /// The plan of a new (not resumed) sweep, its settings checked as `run` checks them.
    pub(crate) fn fresh(
        scenario: Scenario,
        options: &SweepOptions,
        notes: &NoteLog,
    ) -> Result<Self, ApiError> {
        if options.resume.is_some() {
            return Err(ApiError::usage(
                "a split sweep cannot resume a stored sweep",
                "leave out `resume`, or run the request whole with its store",
            )
            .at_field("analysis.sweep.resume"));
        }
        let settings = fresh(&scenario, options, notes)?;
        Self::new(scenario, settings)
    }

    /// Models per draw.
    pub(crate) fn model_count(&self) -> usize {
        self.models.len()
    }

    /// Issues per model.
    pub(crate) fn issue_count(&self) -> usize {
        self.scenario.issues().len()
    }

    /// The draws `range` (by run index): each the forecast of every model on every issue, NaN
    /// for no value. Any split of the runs gives the same draws.
    pub(crate) fn draws(&self, range: std::ops::Range<usize>) -> Vec<Vec<Vec<f64>>> {
        sweep_outcomes(
            &self.scenario,
            &self.inputs,
            &self.models,
            range,
            self.settings.seed,
        )
    }

    /// A summariser of this sweep's draws ([`Summariser::add`] them in run order).
    pub(crate) fn summariser(&self) -> Summariser {
        let ids: Vec<&str> = self.models.iter().map(|m| m.id()).collect();
        Summariser::new(&self.scenario, &ids)
    }

    /// The sweep's result from its spreads (`result`, of `result.runs` draws) and the
    /// analyses asked for beside them.
    pub(crate) fn summary(
        &self,
        options: &SweepOptions,
        result: SweepResult,
        complete: bool,
        run_id: Option<i64>,
    ) -> Result<SweepResultOutput, ApiError> {
        let (scenario, inputs, settings) = (&self.scenario, &self.inputs, &self.settings);
        let draws = result.runs;
        let coalitions = if options.coalitions {
            Some(
                coalition_sweep(scenario, inputs, draws, settings.seed).map_err(|e| {
                    ApiError::bad_input(
                        crate::ProblemData::message(format!("--coalitions: {e}"))
                            .at_field("analysis.sweep.coalitions"),
                    )
                })?,
            )
        } else {
            None
        };
        let durability = match &options.durability {
            Some(form) => Some(sweep_durability(
                scenario,
                inputs,
                form,
                draws,
                settings.seed,
            )?),
            None => None,
        };
        let ranking = options.sensitivity.map(|n| {
            let model = &self.models[0];
            let issues: Vec<IssueSensitivity> =
                sensitivity(scenario, inputs, model.as_ref(), n.max(2), options.seed)
                    .into_iter()
                    .map(|(issue, inputs)| IssueSensitivity { issue, inputs })
                    .collect();
            let settle_base_rows = issues
                .iter()
                .flat_map(|i| i.inputs.iter().flatten())
                .filter_map(|i| i.settle_base_rows)
                .max();
            SensitivityOutput {
                model: model.id().into(),
                base_rows: n,
                bootstrap_replicates: Some(BOOTSTRAP_REPLICATES),
                interval_level: Some(INTERVAL_LEVEL),
                settle_base_rows,
                issues,
            }
        });
        Ok(SweepResultOutput {
            scenario: scenario.meta().title.clone(),
            uncertainty: settings.uncertainty,
            complete,
            run: run_id,
            result,
            sensitivity: ranking,
            coalitions,
            durability,
        })
    }
}
