//! The forecast: which models run with which parameters, the expected-utility rounds and the
//! spatial model's turns kept for traces and narration, and the what-if baseline.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statecraft_core::models::bdm::{self, BdmParams, BdmRun, StopRule, Variant};
use statecraft_core::models::disagreement::{forecast_disagreements, Disagreement};
use statecraft_core::models::smp::{self, SmpInput, SmpParams, SmpRun, SpatialModel};
use statecraft_core::models::{all_models, ExpectedUtility, Forecast, IssueForecast, Model};
use statecraft_core::red_lines;
use statecraft_core::scenario::Scenario;
use statecraft_core::validation::{forecast_fitted, FittedForecast};
use statecraft_io::Loaded;

use crate::context::NoteLog;
use crate::error::ApiError;
use crate::what_if::{self, WhatIf};
use crate::AnalysisResult;
use crate::{Context, Event};

/// The spatial model's id.
const SMP: &str = "smp";

/// Options of `forecast`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ForecastOptions {
    /// Models to run: compromise, median, nash, bdm, smp, or all (every one-issue model: all
    /// but smp) [default: all].
    pub models: Vec<String>,
    /// Expected-utility model options.
    pub bdm: BdmOptions,
    /// Spatial model of politics options.
    pub smp: SmpOptions,
    /// A parameter file (`statecraft fit`): adds its generic fitted forecasters with their 80%
    /// intervals from the fitted residuals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<crate::fit::ParamsSource>,
}

impl Default for ForecastOptions {
    fn default() -> Self {
        Self {
            models: vec!["all".into()],
            bdm: BdmOptions::default(),
            smp: SmpOptions::default(),
            params: None,
        }
    }
}

/// Options of the expected-utility (`bdm`) model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct BdmOptions {
    /// `scholz-reference` (the reference implementation, bit for bit) or `scholz-paper`
    /// [default: scholz-reference]; only with the bdm model among the models.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Run exactly this many rounds, with no early stop.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rounds: Option<usize>,
    /// Run at most this many rounds, stopping early when bargaining settles or cycles.
    pub max_rounds: usize,
    /// Reference variant: repair the capitulation branch that the published code never takes.
    pub capitulation_fix: bool,
    /// Paper variant: probability that the status quo persists absent a challenge (0..=1).
    pub q: f64,
    /// Paper variant: probability that a spontaneous change is for the better (0..=1).
    pub t: f64,
}

impl Default for BdmOptions {
    fn default() -> Self {
        Self {
            variant: None,
            rounds: None,
            max_rounds: 100,
            capitulation_fix: false,
            q: 1.0,
            t: 1.0,
        }
    }
}

/// Options of KTAB's spatial model of politics (`smp`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SmpOptions {
    /// Run at most this many turns (KTAB: 100), stopping earlier when moves die down.
    pub max_turns: usize,
    /// KTAB's model parameters as `KEY=VALUE` (`VotingRule=Binary`), over a KTAB XML file's.
    pub params: Vec<String>,
    /// Seed of stochastic transitions [default: the KTAB XML file's, else KTAB's].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

impl Default for SmpOptions {
    fn default() -> Self {
        Self {
            max_turns: 100,
            params: Vec::new(),
            seed: None,
        }
    }
}

/// What `forecast` returns (docs/output.md).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ForecastResult {
    /// The scenario's title.
    pub scenario: Option<String>,
    /// The issues, in order.
    pub issues: Vec<IssueInfo>,
    /// The models that ran, in the order of `forecasts`.
    pub models: Vec<ModelInfo>,
    /// One forecast per model.
    pub forecasts: Vec<Forecast>,
    /// The expected-utility model's rounds, per issue it ran on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bdm_runs: Vec<BdmRunOutput>,
    /// The spatial model's turns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smp_run: Option<SmpRun>,
    /// With what-ifs: the changes and the forecasts without them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub what_if: Option<WhatIfBaseline>,
    /// With a parameter file: each fitted forecaster's forecast with its 80% interval (also in
    /// `forecasts`, without the interval).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intervals_80: Vec<FittedForecast>,
    /// The issues on which the models, or the expected-utility model's variants, lie further
    /// apart than a quarter of the scale, with what each assumes (docs/output.md).
    pub disagreements: Vec<Disagreement>,
}

/// The what-ifs applied and the forecasts without them.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WhatIfBaseline {
    /// The changes, in words.
    pub changes: String,
    /// The forecasts of the scenario as loaded.
    pub baseline: Vec<Forecast>,
}

/// The expected-utility model's run on one issue.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BdmRunOutput {
    /// The issue's id.
    pub issue: String,
    /// Every round.
    pub run: BdmRun,
}

/// An issue as the forecast shows it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct IssueInfo {
    /// Its id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// The scale's low end.
    pub min: f64,
    /// The scale's high end.
    pub max: f64,
    /// Where it stands without agreement.
    pub status_quo: Option<f64>,
}

/// A model that ran.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ModelInfo {
    /// Its id (`compromise`).
    pub id: String,
    /// Its name (`Compromise (weighted mean)`).
    pub label: String,
}

/// The expected-utility parameters, checked.
pub(crate) fn bdm_params(options: &BdmOptions) -> Result<BdmParams, ApiError> {
    for (name, value) in [("--q", options.q), ("--t", options.t)] {
        if !(0.0..=1.0).contains(&value) {
            return Err(ApiError::usage(
                format!("{name} {value} is outside 0..=1"),
                "it is a probability",
            )
            .at_field(&format!("analysis.forecast.bdm.{}", &name[2..])));
        }
    }
    let variant = variant(options.variant.as_deref().unwrap_or(DEFAULT_VARIANT))?;
    let mut params = BdmParams::forecast(variant);
    params.capitulation_fix = options.capitulation_fix;
    params.q = options.q;
    params.t = options.t;
    match options.rounds {
        Some(rounds) => {
            params.max_rounds = rounds;
            params.stop = StopRule::Fixed;
        }
        None => params.max_rounds = options.max_rounds,
    }
    Ok(params)
}

/// The expected-utility model's variant when none is named.
pub(crate) const DEFAULT_VARIANT: &str = "scholz-reference";

/// Refuses a variant named for a run without the expected-utility model, which alone has
/// variants: it would be ignored, and the reader would think it mattered.
pub(crate) fn variant_needs_bdm(variant: Option<&str>, models: &[String]) -> Result<(), ApiError> {
    let Some(name) = variant else {
        return Ok(());
    };
    if models.iter().any(|m| m == "bdm" || m == "all") {
        return Ok(());
    }
    Err(ApiError::usage(
        format!(
            "--variant {name} applies to the expected-utility model (bdm), which is not among the models ({})",
            models.join(", ")
        ),
        "add bdm to --model, or leave out --variant",
    ))
}

/// The expected-utility model's variant by name.
pub(crate) fn variant(name: &str) -> Result<Variant, ApiError> {
    Variant::from_name(name).ok_or_else(|| {
        ApiError::usage(
            format!("unknown variant `{name}`"),
            "the variants are scholz-reference and scholz-paper",
        )
        .at_field("variant")
    })
}

/// The models named (or `all`: every one-issue model), in the order given; `smp`, the spatial
/// model with KTAB's default parameters, only when named.
pub(crate) fn selected_models(
    names: &[String],
    bdm: BdmParams,
) -> Result<Vec<Box<dyn Model>>, ApiError> {
    if names.iter().any(|n| n == "all") {
        return Ok(all_models(bdm));
    }
    let mut chosen: Vec<Box<dyn Model>> = Vec::new();
    for name in names {
        if name == SMP {
            chosen.push(Box::new(SpatialModel::default()));
            continue;
        }
        match all_models(bdm).into_iter().find(|m| m.id() == name) {
            Some(model) => chosen.push(model),
            None => {
                let mut ids: Vec<&str> = all_models(bdm).iter().map(|m| m.id()).collect();
                ids.push(SMP);
                return Err(ApiError::usage(
                    format!("unknown model `{name}`"),
                    format!("the models are: {}, or all", ids.join(", ")),
                )
                .at_field("models"));
            }
        }
    }
    Ok(chosen)
}

/// The spatial model's parameters: KTAB's defaults, then a KTAB XML file's seed and
/// `<ModelParameters>`, then the options.
fn smp_params(options: &SmpOptions, loaded: &Loaded) -> Result<SmpParams, ApiError> {
    let usage = |message: String, help: &str| {
        ApiError::usage(message, help).at_field("analysis.forecast.smp")
    };
    let mut params = SmpParams::default();
    if let Some(ktab) = &loaded.ktab {
        for (key, value) in &ktab.parameters {
            params
                .set(key, value)
                .map_err(|e| usage(e.to_string(), "the reader checked these names"))?;
        }
        if let Some(seed) = ktab.seed {
            params.seed = seed;
        }
    }
    for setting in &options.params {
        let Some((key, value)) = setting.split_once('=') else {
            return Err(usage(
                format!("--smp `{setting}` is not KEY=VALUE"),
                "e.g. --smp VotingRule=Binary; the keys are KTAB's parameter names",
            ));
        };
        params.set(key, value).map_err(|e| {
            usage(
                e.to_string().trim_start_matches("smp: ").to_owned(),
                "see docs/models/smp.md for every parameter and value",
            )
        })?;
    }
    if let Some(seed) = options.seed {
        params.seed = seed;
    }
    if options.max_turns == 0 {
        return Err(usage(
            "--max-turns 0: the model needs at least one turn".into(),
            "give a whole number of turns, e.g. 100 (KTAB's)",
        ));
    }
    params.stop.max_turns = options.max_turns;
    Ok(params)
}

/// Runs the spatial model on `scenario` (with a KTAB XML file's ideal adjustments when it is
/// the file's own scenario): the forecast, and the run when there is one.
fn run_smp(
    scenario: &Scenario,
    loaded: &Loaded,
    params: SmpParams,
    notes: &NoteLog,
) -> (Forecast, Option<SmpRun>) {
    let fail = |message: String| Forecast {
        model: SMP.into(),
        issues: scenario
            .issues()
            .iter()
            .map(|i| IssueForecast {
                issue: i.id.clone(),
                value: None,
                note: Some(message.clone()),
                red_lines: Vec::new(),
            })
            .collect(),
    };
    let mut input = match SmpInput::from_scenario(scenario) {
        Ok(input) => input,
        Err(e) => return (fail(e.to_string()), None),
    };
    if let Some(ktab) = loaded
        .ktab
        .as_ref()
        .filter(|k| !k.ideal_adjustment.is_empty())
    {
        if same_actors(scenario, &loaded.scenario) {
            if let Err(e) = input.set_ideal_adjustment(&ktab.ideal_adjustment) {
                return (fail(e.to_string()), None);
            }
        } else {
            input.notes.push(
                "smp: the file's ideal adjustments are ignored: the what-ifs changed the actors"
                    .into(),
            );
        }
    }
    for note in &input.notes {
        notes.note(note.clone());
    }
    match smp::run(&input, &params) {
        Ok(run) => (smp::forecast_of(&run), Some(run)),
        Err(e) => (fail(e.to_string()), None),
    }
}

fn same_actors(a: &Scenario, b: &Scenario) -> bool {
    a.actors().len() == b.actors().len()
        && a.actors().iter().zip(b.actors()).all(|(x, y)| x.id == y.id)
}

/// Runs the forecast of the loaded scenario with the what-ifs.
pub(crate) fn run(
    loaded: &Loaded,
    changes: &WhatIf,
    options: &ForecastOptions,
    notes: &NoteLog,
    context: &Context,
) -> Result<(AnalysisResult, Scenario), ApiError> {
    variant_needs_bdm(options.bdm.variant.as_deref(), &options.models)
        .map_err(|e| e.at_field("analysis.forecast.bdm.variant"))?;
    let params = bdm_params(&options.bdm)?;
    // The spatial model runs every issue at once, so it is not among `all`: it is named.
    let smp_wanted = options.models.iter().any(|n| n == SMP);
    let names: Vec<String> = options
        .models
        .iter()
        .filter(|n| *n != SMP)
        .cloned()
        .collect();
    let mut models = if names.is_empty() {
        Vec::new()
    } else {
        selected_models(&names, params).map_err(|e| e.at_field("analysis.forecast.models"))?
    };
    let smp_params = smp_params(&options.smp, loaded)?;
    if smp_wanted {
        models.push(Box::new(SpatialModel { params: smp_params }));
    }
    let changed = what_if::apply(&loaded.scenario, changes)?;
    // With what-ifs, the forecasts are of the changed scenario and the original's are the
    // baseline they are compared with.
    let baseline: Option<Vec<Forecast>> = changed.as_ref().map(|_| {
        models
            .iter()
            .map(|m| m.forecast(&loaded.scenario))
            .collect()
    });
    let scenario = changed.unwrap_or_else(|| loaded.scenario.clone());
    // The expected-utility model is run once per issue here, so that its rounds can be shown.
    let eu_model = ExpectedUtility { params };
    let mut runs: Vec<BdmRunOutput> = Vec::new();
    let mut smp_run = None;
    let mut forecasts: Vec<Forecast> = models
        .iter()
        .map(|m| {
            if m.id() == SMP {
                let (forecast, run) = run_smp(&scenario, loaded, smp_params, notes);
                smp_run = run;
                return forecast;
            }
            if m.id() != eu_model.id() {
                return m.forecast(&scenario);
            }
            // Its rounds grow with the cube of the actors: progress is told round by round, out
            // of the most rounds every issue may take (an issue that settles early skips the
            // rest of its share).
            let (n, most) = (scenario.issues().len() as u64, params.max_rounds as u64);
            let issues = (0..scenario.issues().len())
                .map(|i| {
                    let before = i as u64 * most;
                    let mut after_round = |round: usize| {
                        context.event(Event::Progress {
                            done: before + round as u64,
                            total: n * most,
                        })
                    };
                    let run = eu_model.run_issue_watched(&scenario, i, &mut after_round);
                    context.event(Event::Progress {
                        done: before + most,
                        total: n * most,
                    });
                    (i, run)
                })
                .map(|(i, run)| match run {
                    Ok(run) => {
                        let issue = scenario.issues()[i].id.clone();
                        let f = bdm::forecast_of(&run, &issue);
                        runs.push(BdmRunOutput { issue, run });
                        f
                    }
                    Err(no_run) => no_run,
                })
                .collect();
            Forecast {
                model: m.id().to_owned(),
                issues,
            }
        })
        .collect();
    // The fitted forecasters (added below) are built on the compromise and the median, so only
    // the models are compared.
    let model_refs: Vec<&dyn Model> = models.iter().map(|m| m.as_ref()).collect();
    let bdm_ran = models.iter().any(|m| m.id() == eu_model.id());
    let disagreements = forecast_disagreements(
        &scenario,
        &model_refs,
        &forecasts,
        bdm_ran.then_some(params),
    );
    let mut model_infos: Vec<ModelInfo> = models
        .iter()
        .map(|m| ModelInfo {
            id: m.id().into(),
            label: m.label().into(),
        })
        .collect();
    let mut intervals_80 = Vec::new();
    if let Some(source) = &options.params {
        let fitted = source.parse()?;
        let column = |id: &str| -> Vec<Option<f64>> {
            all_models(params)
                .into_iter()
                .find(|m| m.id() == id)
                .map(|m| {
                    m.forecast(&scenario)
                        .issues
                        .iter()
                        .map(|f| f.value)
                        .collect()
                })
                .unwrap_or_default()
        };
        intervals_80 = forecast_fitted(
            &fitted,
            &scenario,
            &column("compromise"),
            &column("median"),
            None,
        );
        notes.note(format!(
            "fitted forecasters from `{}` (fitted on `{}`, {} capabilities); their 80% \
             intervals come from the fitted residuals; the scenario's own capabilities are used",
            source.file,
            fitted.data,
            fitted.capabilities.name()
        ));
        for f in &intervals_80 {
            model_infos.push(ModelInfo {
                id: f.model.clone(),
                label: format!("{} (fitted, {})", f.model, source.file),
            });
            forecasts.push(Forecast {
                model: f.model.clone(),
                issues: f
                    .issues
                    .iter()
                    .map(|i| IssueForecast {
                        issue: i.issue.clone(),
                        value: i.value,
                        note: match (i.low, i.high) {
                            (Some(lo), Some(hi)) => {
                                Some(format!("80% interval {lo:.1} to {hi:.1}"))
                            }
                            _ => Some("no answer: the models it is built on have none".into()),
                        },
                        red_lines: Vec::new(),
                    })
                    .collect(),
            });
        }
    }
    // Every forecast says which actors' red lines it falls inside (the models themselves do not
    // all respect them: docs/models/).
    for forecast in &mut forecasts {
        red_lines::flag_forecast(&scenario, forecast);
    }
    let baseline = baseline.map(|mut baseline| {
        for forecast in &mut baseline {
            red_lines::flag_forecast(&loaded.scenario, forecast);
        }
        baseline
    });
    let result = ForecastResult {
        scenario: scenario.meta().title.clone(),
        issues: scenario
            .issues()
            .iter()
            .map(|i| IssueInfo {
                id: i.id.clone(),
                label: i.label.clone(),
                min: i.scale.min,
                max: i.scale.max,
                status_quo: i.status_quo,
            })
            .collect(),
        models: model_infos,
        forecasts,
        bdm_runs: runs,
        smp_run,
        what_if: baseline.map(|baseline| WhatIfBaseline {
            changes: changes.describe(),
            baseline,
        }),
        intervals_80,
        disagreements,
    };
    Ok((AnalysisResult::Forecast(result), scenario))
}

/// What the run store keeps as a forecast's parameters.
pub(crate) fn store_params(options: &ForecastOptions, what_if: &WhatIf) -> serde_json::Value {
    serde_json::json!({
        "models": options.models,
        "variant": options.bdm.variant.as_deref().unwrap_or(DEFAULT_VARIANT),
        "rounds": options.bdm.rounds,
        "max_rounds": options.bdm.max_rounds,
        "capitulation_fix": options.bdm.capitulation_fix,
        "q": options.bdm.q,
        "t": options.bdm.t,
        "what_if": what_if.describe(),
    })
}
