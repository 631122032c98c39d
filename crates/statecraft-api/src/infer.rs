//! `infer`: what the record of accepted and refused packages says the actors want, and the
//! chances that they accept a package (by default the maximin package of `coalitions`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statecraft_core::coalitions::{analyse as analyse_coalitions, Shape};
use statecraft_core::inference::{
    infer, posterior_scenario, InferConfig, Inference, ParameterPosterior, Summary,
};
use statecraft_core::scenario::{ObservationKind, Scenario};
use statecraft_core::sweep::uncertain_inputs;

use crate::context::{Context, NoteLog};
use crate::error::ApiError;
use crate::source::ScenarioSource;
use crate::{AnalysisResult, Response, FALLBACK_UNCERTAINTY};

/// Options of `infer`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct InferOptions {
    /// The package whose acceptance is predicted, as `ISSUE=VALUE` pairs; issues not named stay
    /// at their status quo [default: the maximin package of `coalitions`].
    pub package: Vec<String>,
    /// Seed of the chains' random streams.
    pub seed: u64,
    /// Number of chains.
    pub chains: usize,
    /// Warm-up sweeps per chain (not kept).
    pub warmup: usize,
    /// Kept sweeps per chain in the first round; rounds double them until convergence.
    pub draws: usize,
    /// The most kept sweeps per chain.
    pub max_draws: usize,
    /// Scale of the random utility's logistic noise, in utility units.
    pub noise: f64,
    /// Chance that an answer ignores the utility.
    pub lapse: f64,
    /// Relative uncertainty of the values without a distribution (the priors) [default: the
    /// scenario's `uncertainty`, else 0.1].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<f64>,
    /// How an actor's loss grows with the distance from its position: linear or quadratic.
    pub shape: String,
}

impl Default for InferOptions {
    fn default() -> Self {
        let standard = InferConfig::standard(1);
        Self {
            package: Vec::new(),
            seed: standard.seed,
            chains: standard.chains,
            warmup: standard.warmup,
            draws: standard.draws,
            max_draws: standard.max_draws,
            noise: standard.noise,
            lapse: standard.lapse,
            uncertainty: None,
            shape: "linear".into(),
        }
    }
}

/// What `infer` returns.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct InferResult {
    /// The scenario's title.
    pub scenario: Option<String>,
    /// The issues' ids, in order (the order of the package).
    pub issues: Vec<String>,
    /// Where the predicted package comes from.
    pub package_from: String,
    /// The inference (docs/models/inference.md).
    #[serde(flatten)]
    pub inference: Inference,
    /// What the record says about each actor that refused something on it (empty when the
    /// chains have not converged).
    pub records: Vec<ActorRecord>,
}

/// What the record says about one actor that refused at least one package.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ActorRecord {
    /// The actor's id.
    pub actor: String,
    /// Decisions it answered.
    pub answered: usize,
    /// The decisions it refused, numbered from 1 in the record's order.
    pub refused: Vec<usize>,
    /// Its values (labels as in `parameters`) that the record moves by at least 0.05 prior
    /// standard deviations, the largest move first.
    pub moved: Vec<String>,
    /// The mean over its values of the posterior's 80% interval width as a share of the prior's.
    pub narrowing: f64,
}

/// Moves smaller than this many prior standard deviations are not counted as moves.
const NOTABLE_SHIFT: f64 = 0.05;

fn records(scenario: &Scenario, inference: &Inference) -> Vec<ActorRecord> {
    if !inference.converged {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (a, actor) in scenario.actors().iter().enumerate() {
        let mut answered = 0;
        let mut refused = Vec::new();
        for (k, o) in scenario.observations().iter().enumerate() {
            if let ObservationKind::Decision(d) = &o.kind {
                for &(_, accepted) in d.responses.iter().filter(|(who, _)| *who == a) {
                    answered += 1;
                    if !accepted {
                        refused.push(k + 1);
                    }
                }
            }
        }
        if refused.is_empty() {
            continue;
        }
        let mine: Vec<&ParameterPosterior> = inference
            .parameters
            .iter()
            .filter(|p| p.actor == actor.id)
            .collect();
        let shift =
            |p: &ParameterPosterior| (p.posterior.mean - p.prior.mean) / p.prior.sd.max(1e-12);
        let mut moved: Vec<&ParameterPosterior> = mine
            .iter()
            .copied()
            .filter(|p| shift(p).abs() >= NOTABLE_SHIFT)
            .collect();
        moved.sort_by(|x, y| shift(y).abs().total_cmp(&shift(x).abs()));
        let width = |s: &Summary| (s.q90 - s.q10).max(1e-12);
        let narrowing = mine
            .iter()
            .map(|p| width(&p.posterior) / width(&p.prior))
            .sum::<f64>()
            / mine.len().max(1) as f64;
        out.push(ActorRecord {
            actor: actor.id.clone(),
            answered,
            refused,
            moved: moved.iter().map(|p| p.label.clone()).collect(),
            narrowing,
        });
    }
    out
}

fn shape(name: &str) -> Result<Shape, ApiError> {
    match name {
        "linear" => Ok(Shape::Linear),
        "quadratic" => Ok(Shape::Quadratic),
        other => Err(ApiError::usage(
            format!("unknown shape `{other}`"),
            "the shapes are linear and quadratic",
        )
        .at_field("analysis.infer.shape")),
    }
}

/// The package asked about, and where it comes from: the one given, else the unanimous maximin
/// package of `coalitions`, else its best all-but-one coalition's.
fn package(
    scenario: &Scenario,
    source: &ScenarioSource,
    options: &InferOptions,
    shape: Shape,
) -> Result<(Vec<f64>, String), ApiError> {
    if !options.package.is_empty() {
        let values = crate::agreements::package(scenario, &options.package)
            .map_err(|e| e.at_field("analysis.infer.package"))?;
        return Ok((values, "given".into()));
    }
    let analysis = analyse_coalitions(scenario, shape).map_err(|e| {
        ApiError::bad_input(crate::ProblemData::message(format!(
            "{}: {e}",
            source.name()
        )))
    })?;
    if let Some(unanimous) = analysis.unanimous {
        return Ok((
            unanimous.values,
            "the maximin package of `coalitions` (6-0)".into(),
        ));
    }
    match analysis.coalitions.first() {
        Some(best) => Ok((
            best.package.values.clone(),
            format!(
                "the maximin package of the best coalition of `coalitions` (without {})",
                best.outsiders.join(", ")
            ),
        )),
        None => Ok((
            scenario
                .issues()
                .iter()
                .map(|i| i.status_quo.unwrap_or(i.scale.min))
                .collect(),
            "the status quo (`coalitions` found no package)".into(),
        )),
    }
}

pub(crate) fn run(
    scenario: &Scenario,
    source: &ScenarioSource,
    options: &InferOptions,
    _context: &Context,
    notes: &NoteLog,
) -> Result<AnalysisResult, ApiError> {
    let shape = shape(&options.shape)?;
    let mut relative = options.uncertainty.or(scenario.meta().uncertainty);
    if relative.is_none() && uncertain_inputs(scenario, None).is_empty() {
        relative = Some(FALLBACK_UNCERTAINTY);
        notes.note(format!(
            "the scenario gives no uncertainty; every prior has a standard deviation of {:.0}% (set --uncertainty or the scenario's `uncertainty`)",
            100.0 * FALLBACK_UNCERTAINTY
        ));
    }
    let (values, package_from) = package(scenario, source, options, shape)?;
    let config = InferConfig {
        shape,
        noise: options.noise,
        lapse: options.lapse,
        relative,
        chains: options.chains,
        warmup: options.warmup,
        draws: options.draws,
        max_draws: options.max_draws.max(options.draws),
        seed: options.seed,
        ..InferConfig::standard(options.seed)
    };
    let inference = infer(scenario, &config, Some(&values)).map_err(|e| {
        ApiError::bad_input(crate::ProblemData::message(format!(
            "{}: {e}",
            source.name()
        )))
        .at_field("analysis.infer")
    })?;
    for note in &inference.notes {
        notes.note(note.clone());
    }
    Ok(AnalysisResult::Infer(InferResult {
        scenario: scenario.meta().title.clone(),
        issues: scenario.issues().iter().map(|i| i.id.clone()).collect(),
        package_from,
        records: records(scenario, &inference),
        inference,
    }))
}

/// The scenario of an `infer` response with the posterior as distributions, written as `format`
/// (toml or json): what `statecraft infer --write FILE` writes, for every front end. Refused
/// when the chains have not converged.
pub fn export_posterior(response: &Response, format: &str) -> Result<String, ApiError> {
    let (AnalysisResult::Infer(result), Some(scenario)) = (&response.result, &response.scenario)
    else {
        return Err(ApiError::usage(
            "only the result of `infer` has a posterior to write",
            "run a request whose analysis is `infer`",
        ));
    };
    if !result.inference.converged {
        return Err(ApiError::failed(format!(
            "the chains have not converged (largest R-hat {:.3} on {}), so the posterior is not written; run more draws",
            result.inference.max_rhat, result.inference.worst
        )));
    }
    let format = statecraft_io::Format::from_name(format)
        .filter(|f| f.can_write())
        .ok_or_else(|| {
            ApiError::usage(
                format!("cannot write a scenario as `{format}`"),
                "write toml or json",
            )
        })?;
    let posterior = posterior_scenario(scenario, &result.inference)
        .map_err(|e| ApiError::failed(format!("the posterior is not a valid scenario: {e}")))?;
    Ok(statecraft_io::export(&posterior, format))
}
