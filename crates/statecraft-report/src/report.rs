//! The report as data: every analysis of one scenario gathered into one serialisable document,
//! whose JSON form is the stable interface for notebooks (see `docs/report.md`).

use serde::Serialize;
use statecraft_core::coalitions::{
    self, accepted_on_issue, win_set_on_issue, Interval, Shape, Utilities,
};
use statecraft_core::durability::{self, DurabilityParams};
use statecraft_core::models::bdm::{self, BdmParams};
use statecraft_core::models::disagreement::{forecast_disagreements, Disagreement};
use statecraft_core::models::{all_models, smp, ExpectedUtility, Forecast, Model, SpatialModel};
use statecraft_core::power::{
    capability_weight, power_indices, Choice, Game, Method, PowerConfig, Rule,
};
use statecraft_core::red_lines::{self, RedLineFlag};
use statecraft_core::scenario::{AgreementForm, ChangeTiming, Scenario};
use statecraft_core::sweep as sw;
use statecraft_core::validation::{FittedModel, FittedParameters};

/// The name and version of the JSON document; bumped only when a field changes meaning or goes.
pub const SCHEMA: &str = "statecraft-report/1";

/// What to run beyond the forecasts, and how.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Parameters of the expected-utility model.
    pub bdm: BdmParams,
    /// The durability analysis, or `None` to leave it out.
    pub durability: Option<DurabilityOptions>,
    /// The sweep, or `None` to leave it out.
    pub sweep: Option<SweepOptions>,
    /// Monte Carlo samples for power indices when the game is too large to be exact.
    pub power_samples: usize,
    /// Seed of every random stream (durability, sweep, power estimates).
    pub seed: u64,
    /// Fitted forecasters (a parameter file) shown beside the models, in the forecasts and the
    /// sweep.
    pub fitted: Option<FittedParameters>,
}

/// How the durability analysis runs.
#[derive(Debug, Clone)]
pub struct DurabilityOptions {
    /// The package whose survival is simulated, one value per issue.
    pub package: Vec<f64>,
    /// The forms compared.
    pub forms: Vec<AgreementForm>,
    /// Horizon, histories, spacing of the curve and signing date.
    pub params: DurabilityParams,
}

/// How the sweep runs.
#[derive(Debug, Clone, Copy)]
pub struct SweepOptions {
    /// Draws of the uncertain inputs.
    pub runs: usize,
    /// Relative uncertainty for inputs without a distribution of their own.
    pub uncertainty: f64,
    /// Base rows of the Sobol estimate of the compromise model's sensitivity, if wanted.
    pub sensitivity: Option<usize>,
}

/// Everything a report shows. Sections that were not run are `None` and are left out of every
/// export; `notes` says why when an analysis could not run.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Report {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// The scenario as given.
    pub scenario: ScenarioSection,
    /// The inputs that drive the coalitions and durability analyses: red lines, leadership
    /// changes and their successors, agreement forms and their costs, affinity, reservation
    /// margins and responses.
    pub inputs: InputsSection,
    /// Every model's forecast, per issue.
    pub forecasts: Vec<ModelForecast>,
    /// The issues on which the models, or the expected-utility model's variants, lie further
    /// apart than a quarter of the scale, with what each assumes.
    pub disagreements: Vec<Disagreement>,
    /// The expected-utility model's rounds, per issue it ran on.
    pub bdm: Vec<BdmIssue>,
    /// KTAB's spatial model: every actor's position over the turns, all issues at once.
    pub smp: Option<SmpSection>,
    /// The 6-0 / 5-1 analysis.
    pub coalitions: Option<CoalitionSection>,
    /// Survival of a package by agreement form.
    pub durability: Option<DurabilitySection>,
    /// Voting power of the actors under majority of capability.
    pub power: Option<PowerSection>,
    /// Spreads of the forecasts over uncertain inputs.
    pub sweep: Option<SweepSection>,
    /// What the record of accepted and refused packages says each actor wants (`infer`), when
    /// asked for.
    pub inference: Option<statecraft_core::inference::Inference>,
    /// Why any analysis was left out.
    pub notes: Vec<String>,
}

/// The inputs that drive the coalitions and durability results, listed so that a reader sees
/// what those results rest on. Every list is in scenario order (actors, then their entries).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct InputsSection {
    /// Every actor's red lines, with whether each edge is itself refused.
    pub red_lines: Vec<RedLineFlag>,
    /// Every actor's leadership changes (elections and hazards) with their successors.
    pub leadership_changes: Vec<LeadershipInput>,
    /// The agreement forms and what reneging on each costs: the scenario's, or, when it defines
    /// none, the defaults the durability analysis uses (`forms_are_defaults`).
    pub forms: Vec<FormInput>,
    /// Whether `forms` are the defaults because the scenario defines none.
    pub forms_are_defaults: bool,
    /// Every affinity: the share of a partner's gains and losses an actor counts as its own.
    pub affinity: Vec<AffinityInput>,
    /// Every actor's reservation margin and its response to another's reneging.
    pub actors: Vec<ActorTerms>,
}

/// One leadership change of one actor.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LeadershipInput {
    /// The actor's id.
    pub actor: String,
    /// The change's label ("2012 presidential election").
    pub label: String,
    /// `election` (on a date) or `hazard` (at any time).
    pub kind: String,
    /// The election's date (YYYY-MM-DD); `None` for a hazard.
    pub date: Option<String>,
    /// The chance of turnover at the election, or the yearly chance of a change (hazard).
    pub probability: f64,
    /// Who may take over, and how each differs from the incumbent.
    pub successors: Vec<SuccessorInput>,
    /// Why, if the scenario says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One possible successor.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SuccessorInput {
    /// Its label.
    pub label: String,
    /// The chance it takes over, given the change.
    pub probability: f64,
    /// Where it differs from the incumbent, by issue (values left `None` are unchanged).
    pub positions: Vec<SuccessorStance>,
}

/// How a successor's stance on one issue differs from the incumbent's.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SuccessorStance {
    /// The issue's id.
    pub issue: String,
    /// Its position, if it differs.
    pub position: Option<f64>,
    /// Its salience, if it differs.
    pub salience: Option<f64>,
    /// The standard deviation of its position, if uncertain.
    pub spread: Option<f64>,
    /// Its fallback, if it differs.
    pub fallback: Option<f64>,
}

/// One agreement form and its costs of reneging.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FormInput {
    /// The form's id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// The cost for every signatory without its own.
    pub cost: f64,
    /// Signatories with their own cost: (actor id, cost).
    pub actor_costs: Vec<(String, f64)>,
    /// Extra costs by issue and direction: (issue id, down, up).
    pub issue_costs: Vec<(String, f64, f64)>,
    /// The yearly relative change of the own costs.
    pub cost_trend: f64,
}

/// One affinity entry.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AffinityInput {
    /// The actor whose utility it is.
    pub actor: String,
    /// The partner whose gains and losses count.
    pub partner: String,
    /// The share, 0..=1.
    pub share: f64,
}

/// One actor's terms of agreement.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ActorTerms {
    /// The actor's id.
    pub actor: String,
    /// How much a package must beat the status quo by before it accepts.
    pub reservation: f64,
    /// The chance it reverses its side when another reneges.
    pub response_probability: f64,
    /// Years before it does.
    pub response_delay: f64,
}

/// The scenario: actors, issues with their labelled scales, stances and sources.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ScenarioSection {
    /// Title, if given.
    pub title: Option<String>,
    /// Date of the situation described, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Description, if given.
    pub description: Option<String>,
    /// Sources cited.
    pub sources: Vec<String>,
    /// Actors, in input order.
    pub actors: Vec<ActorInfo>,
    /// Issues, in input order.
    pub issues: Vec<IssueInfo>,
    /// Every actor's stance on every issue it takes part in.
    pub stances: Vec<StanceInfo>,
}

/// One actor.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ActorInfo {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Capability (clout).
    pub capability: f64,
}

/// One issue and its scale.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct IssueInfo {
    /// Identifier.
    pub id: String,
    /// Display label.
    pub label: String,
    /// Lower end of the scale.
    pub min: f64,
    /// Upper end of the scale.
    pub max: f64,
    /// Status quo, if given.
    pub status_quo: Option<f64>,
    /// Labelled points of the scale, in increasing order.
    pub anchors: Vec<AnchorInfo>,
    /// The actors' red lines on this issue (ranges they refuse), in actor order; the issue's
    /// charts draw them as hatched bands.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub red_lines: Vec<RedLineInfo>,
}

/// A range of an issue's scale that an actor refuses in any agreement.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RedLineInfo {
    /// Actor id.
    pub actor: String,
    /// Lower end of the refused range.
    pub min: f64,
    /// Upper end of the refused range (both ends are refused).
    pub max: f64,
}

/// A labelled point of a scale.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AnchorInfo {
    /// Where on the scale.
    pub value: f64,
    /// What it means.
    pub label: String,
}

/// One actor's stance on one issue.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct StanceInfo {
    /// Actor id.
    pub actor: String,
    /// Issue id.
    pub issue: String,
    /// Position on the issue's scale.
    pub position: f64,
    /// Salience, 0 to 1.
    pub salience: f64,
}

/// One model's forecast.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ModelForecast {
    /// Model id (`compromise`, `median`, `nash`, `bdm`, `smp`).
    pub model: String,
    /// Model name for people.
    pub label: String,
    /// One entry per issue, in issue order.
    pub issues: Vec<IssueValue>,
}

/// A model's value on one issue.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct IssueValue {
    /// Issue id.
    pub issue: String,
    /// The forecast, or `None` when the model gives none.
    pub value: Option<f64>,
    /// The label of the anchor nearest the value.
    pub nearest_anchor: Option<String>,
    /// The model's remark, if any.
    pub note: Option<String>,
    /// The actors' red lines the value falls inside.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub red_lines: Vec<RedLineFlag>,
}

/// The expected-utility model's rounds on one issue.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct BdmIssue {
    /// Issue id.
    pub issue: String,
    /// Actor ids, the order of each row of `positions`.
    pub actors: Vec<String>,
    /// Positions before the first round (row 0) and after each round.
    pub positions: Vec<Vec<f64>>,
    /// The forecast: the median after the last round.
    pub forecast: f64,
    /// Why the run ended.
    pub ending: String,
    /// The rounds told in words.
    pub narrative: Vec<String>,
}

/// The spatial model's run: positions over the turns on every issue, and the turns in words.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SmpSection {
    /// Actor ids, the order of each row of every issue's `positions`.
    pub actors: Vec<String>,
    /// One entry per issue.
    pub issues: Vec<SmpIssueTurns>,
    /// Why the run ended.
    pub ending: String,
    /// The turns told in words.
    pub narrative: Vec<String>,
}

/// The spatial model's positions on one issue.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SmpIssueTurns {
    /// Issue id.
    pub issue: String,
    /// Positions at the start (row 0) and after each turn, on the issue's scale.
    pub positions: Vec<Vec<f64>>,
    /// The forecast: the probability-weighted position after the last turn.
    pub forecast: f64,
}

/// The 6-0 / 5-1 analysis.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CoalitionSection {
    /// Whether some package makes every actor better off than the status quo.
    pub unanimous_possible: bool,
    /// The maximin package every actor prefers, when one exists.
    pub unanimous_package: Option<Vec<f64>>,
    /// Per issue of the unanimous package, the red line its value stops just beside, in words
    /// ("just above DPRK's red line 0..=10; 10 itself is refused"), else `None`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unanimous_beside: Vec<Option<String>>,
    /// The smallest gain over the status quo in that package.
    pub unanimous_min_gain: Option<f64>,
    /// Every actor with that smallest gain (ties within
    /// [`statecraft_core::coalitions::TIE_TOLERANCE`]), in scenario order.
    pub least_satisfied: Vec<String>,
    /// The actors' red lines that package falls inside (outsiders' only: it avoids every
    /// actor's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unanimous_red_lines: Vec<RedLineFlag>,
    /// The actor whose inclusion costs the others most (the holdout when 6-0 fails).
    pub holdout: Option<String>,
    /// Every actor tied with `holdout` for that place, `holdout` among them, in scenario order.
    pub holdouts: Vec<String>,
    /// Whether 6-0 fails and the holdout is blamed for it.
    pub holdout_blamed: bool,
    /// The others' smallest gain in their best package without the holdout (against
    /// `unanimous_min_gain` with it): how much its inclusion costs them.
    pub without_holdout_min_gain: Option<f64>,
    /// The holdout's net gain in the package most generous to it that every other actor still
    /// accepts: below 0, by how much even that leaves it short (how clearly the failure rests
    /// on it).
    pub holdout_net_gain: Option<f64>,
    /// The holdout's red line that even that package crosses, if any (issue id).
    pub holdout_red_line: Option<String>,
    /// Per issue, moving that issue alone from the status quo.
    pub issues: Vec<IssueCoalition>,
}

/// Who accepts what on one issue, the other issues at the status quo.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct IssueCoalition {
    /// Issue id.
    pub issue: String,
    /// Each actor's acceptable values (where it is at least as well off as with the status quo).
    pub accepted: Vec<ActorIntervals>,
    /// Where every actor accepts.
    pub win_set: Vec<Interval>,
    /// The win-set's intervals in words, each end that stops against a red line saying whether
    /// the edge itself is accepted ("just above 10 to 40 (DPRK's red line 0..=10 ends at 10, 10
    /// itself refused)").
    pub win_set_words: Vec<String>,
    /// Actors without whom the rest would have a win-set here that they lack with them.
    pub holdouts: Vec<String>,
}

/// One actor's acceptable intervals.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ActorIntervals {
    /// Actor id.
    pub actor: String,
    /// The intervals, in increasing order.
    pub intervals: Vec<Interval>,
}

/// Survival of one package by agreement form.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DurabilitySection {
    /// The package, one value per issue.
    pub package: Vec<f64>,
    /// The actors' red lines the package falls inside, in issue then actor order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub red_lines: Vec<RedLineFlag>,
    /// Horizon in years.
    pub years: f64,
    /// Simulated histories per form.
    pub runs: usize,
    /// Signing date, `YYYY-MM-DD`.
    pub start: String,
    /// One curve per form.
    pub forms: Vec<FormSurvival>,
    /// The scheduled leadership changes within the horizon, marked on the survival chart.
    pub elections: Vec<ElectionMark>,
}

impl DurabilitySection {
    /// Whether every form holds in every simulated history to the horizon: then a chart of flat
    /// lines says nothing a sentence does not.
    pub fn every_form_survives(&self) -> bool {
        self.forms
            .iter()
            .all(|f| f.survival.iter().all(|&s| s >= 1.0))
    }
}

/// A scheduled leadership change on the survival chart's time axis.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ElectionMark {
    /// The change's label (`United States: 2012 presidential election`).
    pub label: String,
    /// Years from signing.
    pub at_years: f64,
}

/// The survival curve of one form.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FormSurvival {
    /// Form id.
    pub form: String,
    /// Form label.
    pub label: String,
    /// Years since signing.
    pub times: Vec<f64>,
    /// Share of histories in which the agreement still holds at each time.
    pub survival: Vec<f64>,
    /// Survival at the horizon.
    pub survives_horizon: f64,
    /// Its standard error.
    pub standard_error: f64,
    /// Year by which half the histories have seen it broken, if within the horizon.
    pub median_years: Option<f64>,
    /// The actor that most often breaks it first, with the share of all histories in which it does.
    pub first_defector: Option<(String, f64)>,
}

/// Voting power of the actors.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PowerSection {
    /// The decision rule.
    pub rule: String,
    /// `exact` or `monte-carlo`.
    pub method: Method,
    /// One entry per actor.
    pub players: Vec<PlayerPower>,
}

/// One actor's voting power.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PlayerPower {
    /// Actor id.
    pub actor: String,
    /// Its weight (capability x 100, rounded).
    pub weight: u64,
    /// Shapley-Shubik index.
    pub shapley_shubik: f64,
    /// Normalised Banzhaf index.
    pub banzhaf: f64,
}

/// Spreads over uncertain inputs.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SweepSection {
    /// Draws.
    pub runs: usize,
    /// Seed.
    pub seed: u64,
    /// Relative uncertainty of inputs without their own distribution.
    pub uncertainty: f64,
    /// Per model, per issue: mean and the 5, 25, 50, 75 and 95% quantiles.
    pub models: Vec<ModelSpread>,
    /// Sobol indices of the compromise forecast, per issue, when asked for.
    pub sensitivity: Vec<IssueSensitivity>,
}

/// One model's spreads.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ModelSpread {
    /// Model id.
    pub model: String,
    /// One per issue.
    pub issues: Vec<Spread>,
}

/// One model's spread on one issue.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Spread {
    /// Issue id.
    pub issue: String,
    /// Draws that gave a value (of the section's `runs`).
    pub runs_with_value: usize,
    /// Mean over the draws that gave a value.
    pub mean: Option<f64>,
    /// 5, 25, 50, 75 and 95% quantiles; `None` when fewer than
    /// [`statecraft_core::sweep::MIN_DRAWS`] draws gave a value.
    pub quantiles: Option<[f64; 5]>,
    /// Why there is no distribution, when too few draws gave a value ("a value in 8 of 2,000
    /// draws: too few for a spread").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub too_few: Option<String>,
}

/// Which inputs move one issue's forecast most.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct IssueSensitivity {
    /// Issue id.
    pub issue: String,
    /// The model whose forecast is analysed.
    pub model: String,
    /// Inputs by total effect, largest first.
    pub inputs: Vec<sw::InputIndex>,
}

impl Report {
    /// Runs every analysis of `scenario` that `options` asks for.
    pub fn build(scenario: &Scenario, options: &ReportOptions) -> Report {
        let mut notes = Vec::new();
        let coalitions = match coalition_section(scenario) {
            Ok(section) => Some(section),
            Err(e) => {
                notes.push(format!("The 6-0 / 5-1 analysis is left out: {e}."));
                None
            }
        };
        let durability =
            options
                .durability
                .as_ref()
                .and_then(|d| match durability_section(scenario, d) {
                    Ok(section) => Some(section),
                    Err(e) => {
                        notes.push(format!("The durability analysis is left out: {e}."));
                        None
                    }
                });
        let power = match power_section(scenario, options) {
            Ok(section) => Some(section),
            Err(e) => {
                notes.push(format!("Voting power is left out: {e}."));
                None
            }
        };
        let smp = match SpatialModel::default().run_scenario(scenario) {
            Ok((_, run)) => Some(smp_section(&run)),
            Err(e) => {
                notes.push(format!("The spatial model's turns are left out: {e}."));
                None
            }
        };
        let (forecasts, disagreements) = forecasts(scenario, options.bdm, options.fitted.as_ref());
        Report {
            schema: SCHEMA,
            scenario: scenario_section(scenario),
            inputs: inputs_section(scenario),
            forecasts,
            disagreements,
            bdm: bdm_runs(scenario, options.bdm),
            smp,
            coalitions,
            durability,
            power,
            sweep: options
                .sweep
                .map(|s| sweep_section(scenario, &s, options.seed, options.fitted.as_ref())),
            inference: None,
            notes,
        }
    }

    /// The issue with id `id`.
    pub fn issue(&self, id: &str) -> Option<&IssueInfo> {
        self.scenario.issues.iter().find(|i| i.id == id)
    }

    /// The display name of actor `id` (the id itself if unknown).
    pub fn actor_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.scenario
            .actors
            .iter()
            .find(|a| a.id == id)
            .map_or(id, |a| a.name.as_str())
    }
}

fn inputs_section(scenario: &Scenario) -> InputsSection {
    let actors = scenario.actors();
    let issue_id = |k: usize| scenario.issues()[k].id.clone();
    let mut leadership_changes = Vec::new();
    let mut affinity = Vec::new();
    for actor in actors {
        for change in &actor.domestic {
            let (kind, date, probability) = match &change.timing {
                ChangeTiming::Scheduled { date, turnover } => (
                    "election",
                    Some(date.format("%Y-%m-%d").to_string()),
                    *turnover,
                ),
                ChangeTiming::Hazard { yearly } => ("hazard", None, *yearly),
            };
            leadership_changes.push(LeadershipInput {
                actor: actor.id.clone(),
                label: change.label.clone(),
                kind: kind.into(),
                date,
                probability,
                successors: change
                    .successors
                    .iter()
                    .map(|s| SuccessorInput {
                        label: s.label.clone(),
                        probability: s.probability,
                        positions: s
                            .positions
                            .iter()
                            .map(|(k, c)| SuccessorStance {
                                issue: issue_id(*k),
                                position: c.position,
                                salience: c.salience,
                                spread: c.spread,
                                fallback: c.fallback,
                            })
                            .collect(),
                    })
                    .collect(),
                note: change.note.clone(),
            });
        }
        for &(partner, share) in &actor.affinity {
            affinity.push(AffinityInput {
                actor: actor.id.clone(),
                partner: actors[partner].id.clone(),
                share,
            });
        }
    }
    let defaults = durability::default_forms();
    let forms_are_defaults = scenario.forms().is_empty();
    let forms = if forms_are_defaults {
        defaults.as_slice()
    } else {
        scenario.forms()
    };
    InputsSection {
        red_lines: red_lines::all(scenario),
        leadership_changes,
        forms_are_defaults,
        forms: forms
            .iter()
            .map(|f| FormInput {
                id: f.id.clone(),
                label: f.label.clone(),
                cost: f.cost,
                actor_costs: f
                    .actor_costs
                    .iter()
                    .map(|&(a, c)| (actors[a].id.clone(), c))
                    .collect(),
                issue_costs: f
                    .issue_costs
                    .iter()
                    .map(|c| (issue_id(c.issue), c.down, c.up))
                    .collect(),
                cost_trend: f.cost_trend,
            })
            .collect(),
        affinity,
        actors: actors
            .iter()
            .map(|a| ActorTerms {
                actor: a.id.clone(),
                reservation: a.reservation,
                response_probability: a.response.probability,
                response_delay: a.response.delay,
            })
            .collect(),
    }
}

fn scenario_section(scenario: &Scenario) -> ScenarioSection {
    let meta = scenario.meta();
    let mut stances = Vec::new();
    for (a, actor) in scenario.actors().iter().enumerate() {
        for (k, issue) in scenario.issues().iter().enumerate() {
            if let Some(s) = scenario.stance(a, k) {
                stances.push(StanceInfo {
                    actor: actor.id.clone(),
                    issue: issue.id.clone(),
                    position: s.position,
                    salience: s.salience,
                });
            }
        }
    }
    ScenarioSection {
        title: meta.title.clone(),
        date: meta.date.map(|d| d.format("%Y-%m-%d").to_string()),
        description: meta.description.clone(),
        sources: meta.sources.clone(),
        actors: scenario
            .actors()
            .iter()
            .map(|a| ActorInfo {
                id: a.id.clone(),
                name: a.name.clone(),
                capability: a.capability,
            })
            .collect(),
        issues: scenario
            .issues()
            .iter()
            .enumerate()
            .map(|(k, i)| {
                let mut anchors: Vec<AnchorInfo> = i
                    .anchors
                    .iter()
                    .map(|a| AnchorInfo {
                        value: a.value,
                        label: a.label.clone(),
                    })
                    .collect();
                anchors.sort_by(|a, b| a.value.total_cmp(&b.value));
                IssueInfo {
                    id: i.id.clone(),
                    label: i.label.clone(),
                    min: i.scale.min,
                    max: i.scale.max,
                    status_quo: i.status_quo,
                    anchors,
                    red_lines: scenario
                        .actors()
                        .iter()
                        .flat_map(|a| {
                            a.red_lines
                                .iter()
                                .filter(|r| r.issue == k)
                                .map(|r| RedLineInfo {
                                    actor: a.id.clone(),
                                    min: r.min,
                                    max: r.max,
                                })
                        })
                        .collect(),
                }
            })
            .collect(),
        stances,
    }
}

/// The fitted forecasters of `fitted` that apply to `scenario`, as models.
fn fitted_models(fitted: Option<&FittedParameters>, scenario: &Scenario) -> Vec<Box<dyn Model>> {
    fitted
        .map(|p| FittedModel::all(p, scenario))
        .unwrap_or_default()
        .into_iter()
        .map(|m| Box::new(m) as Box<dyn Model>)
        .collect()
}

fn forecasts(
    scenario: &Scenario,
    bdm: BdmParams,
    fitted: Option<&FittedParameters>,
) -> (Vec<ModelForecast>, Vec<Disagreement>) {
    let mut models = all_models(bdm);
    models.push(Box::new(SpatialModel::default()));
    // The fitted forecasters are built on the compromise and the median, so only the models
    // are compared.
    let compared = models.len();
    models.extend(fitted_models(fitted, scenario));
    let runs: Vec<Forecast> = models.iter().map(|m| m.forecast(scenario)).collect();
    let refs: Vec<&dyn Model> = models[..compared].iter().map(|m| m.as_ref()).collect();
    let disagreements = forecast_disagreements(scenario, &refs, &runs[..compared], Some(bdm));
    let forecasts = models
        .iter()
        .zip(runs)
        .map(|(m, forecast)| ModelForecast {
            model: m.id().to_owned(),
            label: m.label().to_owned(),
            issues: forecast
                .issues
                .into_iter()
                .zip(scenario.issues())
                .enumerate()
                .map(|(k, (f, issue))| IssueValue {
                    nearest_anchor: f
                        .value
                        .and_then(|v| issue.nearest_anchor(v))
                        .map(|a| a.label.clone()),
                    red_lines: f
                        .value
                        .map(|v| red_lines::at_point(scenario, k, v))
                        .unwrap_or_default(),
                    issue: f.issue,
                    value: f.value,
                    note: f.note,
                })
                .collect(),
        })
        .collect();
    (forecasts, disagreements)
}

fn bdm_runs(scenario: &Scenario, params: BdmParams) -> Vec<BdmIssue> {
    let model = ExpectedUtility { params };
    (0..scenario.issues().len())
        .filter_map(|k| {
            let run = model.run_issue(scenario, k).ok()?;
            let issue = &scenario.issues()[k];
            let mut positions = Vec::with_capacity(run.rounds.len() + 1);
            if let Some(first) = run.rounds.first() {
                positions.push(first.actors.iter().map(|a| a.x_before).collect());
            }
            for round in &run.rounds {
                positions.push(round.actors.iter().map(|a| a.x_after).collect());
            }
            let forecast = bdm::forecast_of(&run, &issue.id);
            Some(BdmIssue {
                issue: issue.id.clone(),
                // By id, as everywhere in the report's data (the run itself names them).
                actors: bdm::issue_actors(scenario, k)
                    .0
                    .iter()
                    .map(|&a| scenario.actors()[a].id.clone())
                    .collect(),
                positions,
                forecast: forecast.value.unwrap_or(run.median()),
                ending: forecast.note.unwrap_or_default(),
                narrative: bdm::narrate(&run, &issue.label),
            })
        })
        .collect()
}

fn smp_section(run: &smp::SmpRun) -> SmpSection {
    SmpSection {
        actors: run.actors.clone(),
        issues: run
            .dimensions
            .iter()
            .enumerate()
            .map(|(d, dim)| SmpIssueTurns {
                issue: dim.id.clone(),
                positions: run
                    .states
                    .iter()
                    .map(|state| state.positions.iter().map(|p| p[d]).collect())
                    .collect(),
                forecast: run.forecast[d].expected,
            })
            .collect(),
        ending: smp::describe_ending(&run.ending),
        narrative: smp::narrate(run),
    }
}

/// Whether an interval set holds more than single points.
fn has_room(set: &[Interval], range: f64) -> bool {
    set.iter().any(|i| i.hi - i.lo > 1e-9 * range)
}

fn coalition_section(scenario: &Scenario) -> Result<CoalitionSection, String> {
    let analysis = coalitions::analyse(scenario, Shape::Linear).map_err(|e| e.to_string())?;
    let u = Utilities::new(scenario, Shape::Linear).map_err(|e| e.to_string())?;
    let n = scenario.actors().len();
    let everyone: Vec<usize> = (0..n).collect();
    let issues = scenario
        .issues()
        .iter()
        .enumerate()
        .map(|(k, issue)| {
            let range = issue.scale.range();
            let win_set = win_set_on_issue(&u, &everyone, k);
            let holdouts = if has_room(&win_set, range) {
                Vec::new()
            } else {
                (0..n)
                    .filter(|&out| {
                        let rest: Vec<usize> =
                            everyone.iter().copied().filter(|&a| a != out).collect();
                        has_room(&win_set_on_issue(&u, &rest, k), range)
                    })
                    .map(|a| scenario.actors()[a].id.clone())
                    .collect()
            };
            IssueCoalition {
                issue: issue.id.clone(),
                accepted: (0..n)
                    .map(|a| ActorIntervals {
                        actor: scenario.actors()[a].id.clone(),
                        intervals: accepted_on_issue(&u, a, k),
                    })
                    .collect(),
                win_set_words: win_set
                    .iter()
                    .map(|iv| {
                        if iv.hi - iv.lo <= 1e-9 * (1.0 + iv.hi.abs()) {
                            statecraft_core::text::number(iv.lo)
                        } else {
                            red_lines::range_words(scenario, k, iv.lo, iv.hi)
                        }
                    })
                    .collect(),
                win_set,
                holdouts,
            }
        })
        .collect();
    let holdout = analysis.blame.as_ref().map(|b| b.holdout.clone());
    let without_holdout_min_gain = holdout.as_ref().and_then(|h| {
        analysis
            .coalitions
            .iter()
            .find(|c| c.outsiders.len() == 1 && c.outsiders[0] == *h)
            .map(|c| c.package.min_gain)
    });
    Ok(CoalitionSection {
        without_holdout_min_gain,
        holdout_net_gain: analysis.blame.as_ref().map(|b| b.holdout_net_gain),
        holdout_red_line: analysis.blame.as_ref().and_then(|b| b.red_line.clone()),
        unanimous_possible: analysis.unanimous.is_some(),
        unanimous_package: analysis.unanimous.as_ref().map(|p| p.values.clone()),
        unanimous_beside: analysis
            .unanimous
            .as_ref()
            .map(|p| {
                p.values
                    .iter()
                    .enumerate()
                    .map(|(k, &v)| red_lines::beside_words(scenario, k, v))
                    .collect()
            })
            .filter(|words: &Vec<Option<String>>| words.iter().any(Option::is_some))
            .unwrap_or_default(),
        unanimous_min_gain: analysis.unanimous.as_ref().map(|p| p.min_gain),
        least_satisfied: analysis
            .unanimous
            .as_ref()
            .map(|p| p.least_satisfied.clone())
            .unwrap_or_default(),
        unanimous_red_lines: analysis
            .unanimous
            .as_ref()
            .map(|p| p.red_lines.clone())
            .unwrap_or_default(),
        holdouts: analysis
            .blame
            .as_ref()
            .map(|b| b.holdouts.clone())
            .unwrap_or_default(),
        holdout_blamed: analysis.unanimous.is_none() && holdout.is_some(),
        holdout,
        issues,
    })
}

fn durability_section(
    scenario: &Scenario,
    options: &DurabilityOptions,
) -> Result<DurabilitySection, String> {
    let mut forms = Vec::new();
    let mut elections = Vec::new();
    for form in &options.forms {
        let d = durability::analyse(scenario, &options.package, form, &options.params)
            .map_err(|e| e.to_string())?;
        if elections.is_empty() {
            elections = d
                .elections
                .iter()
                .filter(|e| e.at_years <= options.params.years)
                .map(|e| ElectionMark {
                    label: e.label.clone(),
                    at_years: e.at_years,
                })
                .collect();
        }
        forms.push(FormSurvival {
            form: d.form,
            label: d.label,
            times: d.times,
            survival: d.survival,
            survives_horizon: d.survives_horizon,
            standard_error: d.standard_error,
            median_years: d.median_years,
            first_defector: d
                .first_defectors
                .first()
                .map(|f| (f.actor.clone(), f.share)),
        });
    }
    Ok(DurabilitySection {
        package: options.package.clone(),
        red_lines: red_lines::in_package(scenario, &options.package)
            .into_iter()
            .flatten()
            .collect(),
        years: options.params.years,
        runs: options.params.runs,
        start: options.params.start.format("%Y-%m-%d").to_string(),
        forms,
        elections,
    })
}

fn power_section(scenario: &Scenario, options: &ReportOptions) -> Result<PowerSection, String> {
    let weights = scenario
        .actors()
        .iter()
        .map(|actor| {
            capability_weight(actor.capability).ok_or_else(|| {
                format!(
                    "actor `{}` has capability {}, too large to use as a weight",
                    actor.id, actor.capability
                )
            })
        })
        .collect::<Result<Vec<u64>, String>>()?;
    let rule = Rule::majority(weights.clone());
    let game = Game::weighted(weights.clone(), rule.quota).map_err(|e| e.to_string())?;
    let config = PowerConfig {
        choice: Choice::Auto,
        samples: options.power_samples,
        seed: options.seed,
    };
    let indices = power_indices(&game, &config).map_err(|e| e.to_string())?;
    Ok(PowerSection {
        rule: format!(
            "majority of capability (quota {} of {})",
            rule.quota,
            weights.iter().sum::<u64>()
        ),
        method: indices.method,
        players: scenario
            .actors()
            .iter()
            .zip(&weights)
            .zip(&indices.players)
            .map(|((actor, &weight), p)| PlayerPower {
                actor: actor.id.clone(),
                weight,
                shapley_shubik: p.shapley_shubik,
                banzhaf: p.banzhaf,
            })
            .collect(),
    })
}

/// A sweep's Sobol ranking: the model analysed and, per issue, its inputs by total effect
/// (`None` where the forecast does not vary).
pub type Ranking = (String, Vec<(String, Option<Vec<sw::InputIndex>>)>);

impl SweepSection {
    /// The section for a sweep's `result` (run with relative `uncertainty`) and, when one was
    /// computed, its sensitivity `ranking`.
    pub fn from_result(
        result: sw::SweepResult,
        uncertainty: f64,
        ranking: Option<Ranking>,
    ) -> Self {
        let sensitivity = match ranking {
            Some((model, issues)) => issues
                .into_iter()
                .filter_map(|(issue, ranked)| {
                    Some(IssueSensitivity {
                        issue,
                        model: model.clone(),
                        inputs: ranked?,
                    })
                })
                .collect(),
            None => Vec::new(),
        };
        SweepSection {
            runs: result.runs,
            seed: result.seed,
            uncertainty,
            models: result
                .models
                .into_iter()
                .map(|m| ModelSpread {
                    model: m.model,
                    issues: m
                        .issues
                        .into_iter()
                        .map(|s| Spread {
                            too_few: s.too_few_reason(),
                            issue: s.issue,
                            runs_with_value: s.runs_with_value,
                            mean: s.mean,
                            // A stored sweep of an older version may hold quantiles of too few.
                            quantiles: s
                                .quantiles
                                .filter(|_| s.runs_with_value >= statecraft_core::sweep::MIN_DRAWS),
                        })
                        .collect(),
                })
                .collect(),
            sensitivity,
        }
    }
}

fn sweep_section(
    scenario: &Scenario,
    options: &SweepOptions,
    seed: u64,
    fitted: Option<&FittedParameters>,
) -> SweepSection {
    let inputs = sw::uncertain_inputs(scenario, Some(options.uncertainty));
    // The baseline models (quick enough for thousands of draws) and any fitted forecasters.
    let mut models = statecraft_core::models::baseline_models();
    models.extend(fitted_models(fitted, scenario));
    let result = sw::sweep(scenario, &inputs, &models, options.runs, seed);
    let ranking = options.sensitivity.map(|n| {
        (
            models[0].id().to_owned(),
            sw::sensitivity(scenario, &inputs, models[0].as_ref(), n.max(2), seed),
        )
    });
    SweepSection::from_result(result, options.uncertainty, ranking)
}
