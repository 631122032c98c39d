//! KTAB's Spatial Model of Politics (SMP): actors bargain over every issue at once, turn by
//! turn, until their moves die down; the forecast is the probability of each position they end
//! at.
//!
//! The model as KTAB implements it (KAPSARC's KTAB, `examples/smp`, MIT licence), stated in
//! `../shared/docs/models/ktab-smp.md` and, in our words, in `docs/models/smp.md`:
//!
//! - Positions theta_i in [0,1]^K (each issue's scale mapped to 0..1), saliences s_ik in 0..1
//!   with S_i = sum_k s_ik <= 1, capabilities c_i > 0, ideals q_i (initially theta_i).
//! - Distance d_i(x) = sqrt(sum_k s_ik^2 (q_ik - x_k)^2 / sum_k s_ik^2); utility
//!   u(d; R) = (1 - d)(1 + d R), with risk attitudes R drawn every turn from how likely each
//!   actor's position is (`kernel.rs`).
//! - Every turn each actor challenges the actor it gains most from challenging, offering a
//!   bargain between their positions; every actor's queue of bargains is resolved by a
//!   probabilistic Condorcet election; ideals follow positions (`turn.rs`).
//! - Stop after turn t >= 2 when the turn's total movement is below 2% of the first turn's
//!   (plus 1e-4), or after `max_turns` (`params.rs`).
//!
//! KTAB's defaults are [`SmpParams::default`]; the other values of its nine switches are enum
//! variants. With the defaults, runs match KTAB's own per-turn positions
//! (`../shared/parity/ktab/`, tests in `crates/statecraft-io/tests/smp_parity.rs`).
//!
//! Departures from KTAB, all outside its valid inputs or on its undefined behaviour: a
//! scenario actor without a stance on an issue gets salience 0 there and sits at the status quo
//! (else mid-scale); an actor with salience 0 on every issue takes no part (KTAB would divide
//! by zero); saliences summing above 1 are divided by their sum; when every position is
//! equally likely, risk attitudes are 0 (KTAB divides by zero); queues hold the status quo first
//! and then bargains by initiator, and stochastic draws go one per queue in actor order (KTAB
//! fills queues and draws in thread order, so its stochastic runs cannot be replayed).

mod explain;
mod kernel;
mod params;
mod prng;
mod turn;

pub use explain::narrate;
pub use params::{
    BargainModel, BigRAdjust, BigRRange, InterVecBrgn, PceModel, SmpParams, StateTransitions,
    StopRule, ThirdPartyCommit, VictoryProbModel, VotingRule, KTAB_DEFAULT_SEED, PARAMETER_KEYS,
};

use serde::Serialize;

use super::{Forecast, IssueForecast, Model};
use crate::scenario::{Scale, Scenario};
use turn::{assess, euclidean, step, Assessment, Positions, Setup};

/// Why the SMP cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SmpError {
    /// An actor gives every issue salience 0: it has no distance to measure.
    #[error("smp: actor `{actor}` gives every issue salience 0, so it has no preferences to bargain over")]
    NoSalience {
        /// The actor's id.
        actor: String,
    },
    /// An ideal-adjustment (accommodation) entry is out of range.
    #[error("smp: ideal adjustment of actor `{actor}`: {message}")]
    IdealAdjustment {
        /// The adjusting actor's id.
        actor: String,
        /// What is wrong.
        message: String,
    },
    /// A model parameter's name is not one of KTAB's nine.
    #[error("smp: unknown model parameter `{key}`; the parameters are {expected}")]
    UnknownParameter {
        /// The name given.
        key: String,
        /// The names allowed.
        expected: String,
    },
    /// A model parameter's value is not one KTAB knows.
    #[error("smp: unknown value `{value}` for {key}; expected one of {expected}")]
    UnknownParameterValue {
        /// The parameter.
        key: String,
        /// The value given.
        value: String,
        /// The values allowed.
        expected: String,
    },
    /// A parameter (the stopping rule) is out of range.
    #[error("smp: {0}")]
    InvalidParameter(String),
    /// The input's tables do not fit together or hold values outside their ranges.
    #[error("smp: {0}")]
    InvalidInput(String),
}

/// One issue as the model sees it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SmpDimension {
    /// The issue's id.
    pub id: String,
    /// Readable name.
    pub label: String,
    /// The scale positions are reported on (the model works on 0..1).
    #[serde(skip)]
    pub scale: Scale,
}

impl SmpDimension {
    fn to_scale(&self, x: f64) -> f64 {
        self.scale.min + x * self.scale.range()
    }
}

/// The model's input: capabilities, positions (0..1) and saliences per actor and dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct SmpInput {
    /// Actor ids, in order.
    pub actors: Vec<String>,
    /// The dimensions, in order.
    pub dimensions: Vec<SmpDimension>,
    /// c_i > 0.
    pub capability: Vec<f64>,
    /// theta_i: [actor][dimension] on 0..1.
    pub position: Vec<Vec<f64>>,
    /// s_ik: [actor][dimension] in 0..1, summing to at most 1 per actor.
    pub salience: Vec<Vec<f64>>,
    /// a_ij (KTAB's `IdealAdjustment`): how far i's ideal follows j's position each turn;
    /// `None` is the identity, ideals equal positions.
    pub accommodation: Option<Vec<Vec<f64>>>,
    /// How the scenario was adapted (missing stances, saliences rescaled, actors left out).
    pub notes: Vec<String>,
    /// The scenario's index of each of the model's actors (actors with salience 0 on every
    /// issue take no part, so the two can differ).
    pub participants: Vec<usize>,
    /// The ids of the scenario's actors that take no part (salience 0 on every issue).
    pub left_out: Vec<String>,
}

/// Saliences may sum a rounding error above 1 in KTAB's files (percentages adding up to 100).
const SALIENCE_SUM_TOLERANCE: f64 = 1e-9;

impl SmpInput {
    /// The model's view of a scenario: every issue a dimension scaled to 0..1 by its scale.
    ///
    /// An actor without a stance on an issue gets salience 0 there and the issue's status quo
    /// (or mid-scale) as position; an actor whose saliences sum above 1 has them divided by
    /// their sum (KTAB reads saliences as shares of one's attention); an actor with salience 0
    /// on every issue has no preferences to bargain over and takes no part. All are noted.
    /// Fails when fewer than two actors are left.
    pub fn from_scenario(scenario: &Scenario) -> Result<SmpInput, SmpError> {
        let dimensions: Vec<SmpDimension> = scenario
            .issues()
            .iter()
            .map(|issue| SmpDimension {
                id: issue.id.clone(),
                label: issue.label.clone(),
                scale: issue.scale,
            })
            .collect();
        let mut notes = Vec::new();
        let mut position = Vec::new();
        let mut salience = Vec::new();
        let mut missing = Vec::new();
        let mut rescaled = Vec::new();
        let mut participants = Vec::new();
        let mut left_out = Vec::new();
        for (a, actor) in scenario.actors().iter().enumerate() {
            let mut row_position = Vec::new();
            let mut row_salience = Vec::new();
            for (i, issue) in scenario.issues().iter().enumerate() {
                let scale = issue.scale;
                match scenario.stance(a, i) {
                    Some(stance) => {
                        row_position.push((stance.position - scale.min) / scale.range());
                        row_salience.push(stance.salience);
                    }
                    None => {
                        let at = issue.status_quo.unwrap_or(scale.min + scale.range() / 2.0);
                        row_position.push((at - scale.min) / scale.range());
                        row_salience.push(0.0);
                        missing.push(format!("{} on {}", actor.id, issue.id));
                    }
                }
            }
            let total = row_salience.iter().fold(0.0, |acc, &s| acc + s);
            if total == 0.0 {
                left_out.push(actor.id.clone());
                continue;
            }
            if total > 1.0 + SALIENCE_SUM_TOLERANCE {
                for s in &mut row_salience {
                    *s /= total;
                }
                rescaled.push(actor.id.clone());
            }
            participants.push(a);
            position.push(row_position);
            salience.push(row_salience);
        }
        if participants.len() < 2 {
            let actor = left_out.first().cloned().unwrap_or_default();
            return Err(match participants.len() {
                0 => SmpError::NoSalience { actor },
                _ => SmpError::InvalidInput(format!(
                    "only one actor gives any issue a salience above 0 ({} give none), so there is no one to bargain with",
                    left_out.join(", ")
                )),
            });
        }
        if !missing.is_empty() {
            notes.push(format!(
                "smp: no stance for {}: salience 0 there, position at the status quo (or mid-scale)",
                missing.join(", ")
            ));
        }
        if !left_out.is_empty() {
            notes.push(format!(
                "smp: {} {} salience 0 on every issue and so take{} no part",
                left_out.join(", "),
                if left_out.len() == 1 { "gives" } else { "give" },
                if left_out.len() == 1 { "s" } else { "" }
            ));
        }
        if !rescaled.is_empty() {
            notes.push(format!(
                "smp: the saliences of {} sum above 1 and were divided by their sum (the SMP reads saliences as shares of an actor's attention)",
                rescaled.join(", ")
            ));
        }
        let actors = scenario.actors();
        Ok(SmpInput {
            actors: participants.iter().map(|&a| actors[a].id.clone()).collect(),
            dimensions,
            capability: participants.iter().map(|&a| actors[a].capability).collect(),
            position,
            salience,
            accommodation: None,
            notes,
            participants,
            left_out,
        })
    }

    /// Sets KTAB's ideal adjustment from (adjusting actor, reference actor, a) triples by the
    /// scenario's actor index; entries not given are those of the identity matrix. Entries
    /// naming an actor that takes no part are dropped, with a note.
    pub fn set_ideal_adjustment(&mut self, pairs: &[(usize, usize, f64)]) -> Result<(), SmpError> {
        let n = self.actors.len();
        let n_scenario = self.participants.len() + self.left_out.len();
        let mut a: Vec<Vec<f64>> = (0..n)
            .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
            .collect();
        let mut dropped = 0;
        for &(i, j, value) in pairs {
            if i >= n_scenario || j >= n_scenario {
                return Err(SmpError::InvalidInput(format!(
                    "ideal adjustment names actor {} of {n_scenario}",
                    i.max(j) + 1
                )));
            }
            let here = |x: usize| self.participants.iter().position(|&p| p == x);
            match (here(i), here(j)) {
                (Some(i), Some(j)) => a[i][j] = value,
                _ => dropped += 1,
            }
        }
        if dropped > 0 {
            self.notes.push(format!(
                "smp: {dropped} ideal adjustment(s) name an actor that takes no part and are ignored"
            ));
        }
        self.accommodation = Some(a);
        self.check()
    }

    /// Checks that the tables fit together and hold values in range.
    pub fn check(&self) -> Result<(), SmpError> {
        let (n, dims) = (self.actors.len(), self.dimensions.len());
        if n < 2 {
            return Err(SmpError::InvalidInput(format!(
                "the model needs at least 2 actors, not {n}"
            )));
        }
        if dims == 0 {
            return Err(SmpError::InvalidInput(
                "the model needs at least one issue".into(),
            ));
        }
        let shape_ok = self.capability.len() == n
            && self.position.len() == n
            && self.salience.len() == n
            && self.position.iter().all(|r| r.len() == dims)
            && self.salience.iter().all(|r| r.len() == dims);
        if !shape_ok {
            return Err(SmpError::InvalidInput(format!(
                "capabilities, positions and saliences must have {n} rows of {dims} dimensions"
            )));
        }
        for (a, actor) in self.actors.iter().enumerate() {
            let c = self.capability[a];
            if !(c.is_finite() && c > 0.0) {
                return Err(SmpError::InvalidInput(format!(
                    "actor `{actor}`: capability {c} must be a number above 0"
                )));
            }
            for k in 0..dims {
                let (x, s) = (self.position[a][k], self.salience[a][k]);
                if !(0.0..=1.0).contains(&x) || !(0.0..=1.0).contains(&s) {
                    return Err(SmpError::InvalidInput(format!(
                        "actor `{actor}`, dimension `{}`: position {x} and salience {s} must lie in 0..=1",
                        self.dimensions[k].id
                    )));
                }
            }
            let total = self.salience[a].iter().fold(0.0, |acc, &s| acc + s);
            if total == 0.0 {
                return Err(SmpError::NoSalience {
                    actor: actor.clone(),
                });
            }
            if total > 1.0 + SALIENCE_SUM_TOLERANCE {
                return Err(SmpError::InvalidInput(format!(
                    "actor `{actor}`: saliences sum to {total}, above 1"
                )));
            }
        }
        if let Some(a) = &self.accommodation {
            if a.len() != n || a.iter().any(|r| r.len() != n) {
                return Err(SmpError::InvalidInput(format!(
                    "the ideal adjustment must be {n} x {n}"
                )));
            }
            for (i, row) in a.iter().enumerate() {
                let actor = self.actors[i].clone();
                if let Some(bad) = row.iter().find(|x| !(0.0..=1.0).contains(*x)) {
                    return Err(SmpError::IdealAdjustment {
                        actor,
                        message: format!("{bad} is outside 0..=1"),
                    });
                }
                let total = row.iter().fold(0.0, |acc, &x| acc + x);
                if total > 1.0 + 1e-10 {
                    return Err(SmpError::IdealAdjustment {
                        actor,
                        message: format!(
                            "the shares sum to {total}; an ideal cannot follow others by more than 1"
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// Whether ideals simply follow positions.
    fn identity_accommodation(&self) -> bool {
        self.accommodation.as_ref().is_none_or(|a| {
            a.iter().enumerate().all(|(i, row)| {
                row.iter()
                    .enumerate()
                    .all(|(j, &x)| x == if i == j { 1.0 } else { 0.0 })
            })
        })
    }
}

/// A distinct position and how likely it is to prevail.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PositionProbability {
    /// The actors holding it (within 1e-3 on the 0..1 scale), the first one's position shown.
    pub actors: Vec<usize>,
    /// Where, on each issue's scale.
    pub position: Vec<f64>,
    /// Probability, from a probabilistic Condorcet election among the distinct positions.
    pub probability: f64,
}

/// The actors' positions at one moment, and what they imply.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SmpState {
    /// [actor][dimension], on each issue's scale.
    pub positions: Vec<Vec<f64>>,
    /// Ideals, [actor][dimension] on each issue's scale, when they differ from positions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ideals: Option<Vec<Vec<f64>>>,
    /// Risk attitudes R_i drawn from this state (1 most risk-averse).
    pub risk: Vec<f64>,
    /// Each distinct position with its probability, in order of first holder.
    pub distribution: Vec<PositionProbability>,
}

/// A bargain one actor offered another.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SmpBargain {
    /// Who proposed it.
    pub initiator: usize,
    /// To whom.
    pub receiver: usize,
    /// Whose estimate of the odds shaped it (`InitRcvrInterp` offers both versions).
    pub perspective: usize,
    /// That estimate of the probability that the initiator would win a contest.
    pub win_probability: f64,
    /// The initiator's expected gain from challenging (x 2 scale, as KTAB's `UtilChlg`).
    pub gain: f64,
    /// Where the initiator would move, on each issue's scale.
    pub initiator_position: Vec<f64>,
    /// Where the receiver would move.
    pub receiver_position: Vec<f64>,
}

/// How one actor chose among the bargains in its queue.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct QueueChoice {
    /// The options: `None` for the status quo (stay put), else an index into the turn's
    /// bargains.
    pub options: Vec<Option<usize>>,
    /// Their probabilities.
    pub probabilities: Vec<f64>,
    /// The bargain adopted, or `None` for the status quo.
    pub accepted: Option<usize>,
}

/// One turn: the bargains proposed and how each actor resolved its queue.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SmpTurn {
    /// 1-based.
    pub turn: usize,
    /// Every bargain proposed, by initiator.
    pub bargains: Vec<SmpBargain>,
    /// One entry per actor.
    pub queues: Vec<QueueChoice>,
    /// sum_i ||theta_i(t) - theta_i(t-1)||_2, on the 0..1 scale.
    pub movement: f64,
    /// movement / (first turn's movement + 1e-4): the stopping rule's measure.
    pub movement_ratio: f64,
}

/// Why a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum SmpEnding {
    /// Moves died down: the turn moved less than the stopping ratio of the first turn.
    Converged {
        /// The last turn.
        turn: usize,
        /// Its movement ratio.
        ratio: f64,
    },
    /// It ran the most turns allowed.
    MaxTurns {
        /// How many.
        turns: usize,
    },
}

/// The forecast on one dimension, from the last state's distribution.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DimensionForecast {
    /// The issue's id.
    pub issue: String,
    /// Probability-weighted position.
    pub expected: f64,
    /// The most probable position (first on ties).
    pub most_probable: f64,
    /// Its probability.
    pub probability: f64,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SmpRun {
    /// Actor ids, in order.
    pub actors: Vec<String>,
    /// Dimensions, in order.
    pub dimensions: Vec<SmpDimension>,
    /// The parameters used.
    pub params: SmpParams,
    /// `states[0]` is the start, `states[t]` the state after turn t.
    pub states: Vec<SmpState>,
    /// `turns[t - 1]` is turn t.
    pub turns: Vec<SmpTurn>,
    /// Why it ended.
    pub ending: SmpEnding,
    /// One forecast per dimension.
    pub forecast: Vec<DimensionForecast>,
}

impl SmpRun {
    /// Actor `actor`'s position on dimension `dim` at every state, start included.
    pub fn path(&self, actor: usize, dim: usize) -> Vec<f64> {
        self.states
            .iter()
            .map(|s| s.positions[actor][dim])
            .collect()
    }

    /// The final state.
    pub fn last(&self) -> &SmpState {
        self.states.last().expect("a run has its initial state")
    }
}

/// Runs the model.
pub fn run(input: &SmpInput, params: &SmpParams) -> Result<SmpRun, SmpError> {
    params.check()?;
    input.check()?;
    let accommodation = if input.identity_accommodation() {
        None
    } else {
        input.accommodation.as_deref()
    };
    let setup = Setup::new(&input.capability, &input.salience, accommodation, *params);
    let mut state = Positions {
        position: input.position.clone(),
        ideal: input.position.clone(),
    };
    let mut rng = prng::KtabRng::new(params.seed);
    let mut assessment = assess(&setup, &state);
    let show_ideals = accommodation.is_some();
    let mut states = vec![export_state(input, &state, &assessment, show_ideals)];
    let mut turns = Vec::new();
    let mut first_movement = None;
    let ending = loop {
        let t = turns.len() + 1;
        let raw = step(&setup, &state, &assessment, &mut rng);
        let movement = state
            .position
            .iter()
            .zip(&raw.next.position)
            .fold(0.0, |acc, (a, b)| acc + euclidean(b, a));
        let first = *first_movement.get_or_insert(movement + params.stop.min_delta);
        let ratio = movement / first;
        turns.push(export_turn(input, t, &raw, movement, ratio));
        state = raw.next;
        assessment = assess(&setup, &state);
        states.push(export_state(input, &state, &assessment, show_ideals));
        if t >= params.stop.min_turns && ratio < params.stop.ratio {
            break SmpEnding::Converged { turn: t, ratio };
        }
        if t >= params.stop.max_turns {
            break SmpEnding::MaxTurns { turns: t };
        }
    };
    let last = states.last().expect("not empty");
    let forecast = summarise(input, last);
    Ok(SmpRun {
        actors: input.actors.clone(),
        dimensions: input.dimensions.clone(),
        params: *params,
        states,
        turns,
        ending,
        forecast,
    })
}

/// Audits an observed path (states x actors x issues, on the issues' scales; the first state is
/// the input's): for every turn, the positions each actor could adopt from the observed state,
/// its queue's options as the model computes them (the status quo first, then its side of each
/// bargain). Ideals follow the observed positions through the input's ideal adjustment. With
/// stochastic transitions KTAB's runs cannot be replayed, but each of its moves must be one of
/// these.
pub fn queue_options(
    input: &SmpInput,
    params: &SmpParams,
    path: &[Vec<Vec<f64>>],
) -> Result<Vec<Vec<Vec<Vec<f64>>>>, SmpError> {
    params.check()?;
    input.check()?;
    let accommodation = if input.identity_accommodation() {
        None
    } else {
        input.accommodation.as_deref()
    };
    let setup = Setup::new(&input.capability, &input.salience, accommodation, *params);
    let from_scale = |state: &Vec<Vec<f64>>| -> Vec<Vec<f64>> {
        state
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&input.dimensions)
                    .map(|(&x, d)| (x - d.scale.min) / d.scale.range())
                    .collect()
            })
            .collect()
    };
    let mut rng = prng::KtabRng::new(params.seed);
    let mut options = Vec::new();
    let Some(first) = path.first() else {
        return Ok(options);
    };
    let position = from_scale(first);
    let mut state = Positions {
        ideal: position.clone(),
        position,
    };
    for next in &path[1..] {
        let assessment = assess(&setup, &state);
        let raw = step(&setup, &state, &assessment, &mut rng);
        options.push(
            raw.queues
                .iter()
                .enumerate()
                .map(|(k, queue)| {
                    queue
                        .options
                        .iter()
                        .map(|option| match option {
                            None => to_scale(input, &state.position[k]),
                            Some(b) if raw.bargains[*b].initiator == k => {
                                to_scale(input, &raw.bargains[*b].initiator_position)
                            }
                            Some(b) => to_scale(input, &raw.bargains[*b].receiver_position),
                        })
                        .collect()
                })
                .collect(),
        );
        let position = from_scale(next);
        state.ideal = match accommodation {
            None => position.clone(),
            Some(a) => turn::adjusted_ideals(a, &position, &state.ideal),
        };
        state.position = position;
    }
    Ok(options)
}

fn to_scale(input: &SmpInput, x: &[f64]) -> Vec<f64> {
    x.iter()
        .zip(&input.dimensions)
        .map(|(&v, d)| d.to_scale(v))
        .collect()
}

fn export_state(
    input: &SmpInput,
    state: &Positions,
    assessment: &Assessment,
    show_ideals: bool,
) -> SmpState {
    let positions: Vec<Vec<f64>> = state.position.iter().map(|p| to_scale(input, p)).collect();
    let distribution = assessment
        .unique
        .iter()
        .enumerate()
        .map(|(u, &first)| PositionProbability {
            actors: (0..positions.len())
                .filter(|&a| assessment.member[a] == u)
                .collect(),
            position: positions[first].clone(),
            probability: assessment.probability[u],
        })
        .collect();
    SmpState {
        ideals: show_ideals.then(|| state.ideal.iter().map(|q| to_scale(input, q)).collect()),
        positions,
        risk: assessment.risk.clone(),
        distribution,
    }
}

fn export_turn(
    input: &SmpInput,
    turn: usize,
    raw: &turn::RawTurn,
    movement: f64,
    movement_ratio: f64,
) -> SmpTurn {
    SmpTurn {
        turn,
        bargains: raw
            .bargains
            .iter()
            .map(|b| SmpBargain {
                initiator: b.initiator,
                receiver: b.receiver,
                perspective: b.perspective,
                win_probability: b.win_probability,
                gain: b.gain,
                initiator_position: to_scale(input, &b.initiator_position),
                receiver_position: to_scale(input, &b.receiver_position),
            })
            .collect(),
        queues: raw
            .queues
            .iter()
            .map(|q| QueueChoice {
                options: q.options.clone(),
                probabilities: q.probability.clone(),
                accepted: q.options[q.chosen],
            })
            .collect(),
        movement,
        movement_ratio,
    }
}

/// Probability-weighted and most probable position per dimension.
fn summarise(input: &SmpInput, state: &SmpState) -> Vec<DimensionForecast> {
    let best = turn::first_max(
        &state
            .distribution
            .iter()
            .map(|d| d.probability)
            .collect::<Vec<_>>(),
    );
    input
        .dimensions
        .iter()
        .enumerate()
        .map(|(k, dim)| DimensionForecast {
            issue: dim.id.clone(),
            expected: state
                .distribution
                .iter()
                .fold(0.0, |acc, d| acc + d.probability * d.position[k]),
            most_probable: state.distribution[best].position[k],
            probability: state.distribution[best].probability,
        })
        .collect()
}

/// One sentence on why a run ended.
pub fn describe_ending(ending: &SmpEnding) -> String {
    match ending {
        SmpEnding::Converged { turn, ratio } => {
            // Never "0.0% as much": below a tenth of a percent, say so.
            let share = if ratio * 100.0 < 0.05 {
                "less than 0.1%".to_owned()
            } else {
                format!("{:.1}%", ratio * 100.0)
            };
            format!(
                "settled after turn {turn} (it moved the actors {share} as much as the first turn)"
            )
        }
        SmpEnding::MaxTurns { turns } => format!("stopped after the maximum of {turns} turns"),
    }
}

/// The SMP behind the common [`Model`] interface: one run over every issue, each issue's value
/// the probability-weighted position after the last turn.
#[derive(Debug, Clone, Copy, Default)]
pub struct SpatialModel {
    /// Parameters.
    pub params: SmpParams,
}

impl SpatialModel {
    /// Runs the model on a scenario, returning the input it built (with its notes) and the run.
    pub fn run_scenario(&self, scenario: &Scenario) -> Result<(SmpInput, SmpRun), SmpError> {
        let input = SmpInput::from_scenario(scenario)?;
        let run = run(&input, &self.params)?;
        Ok((input, run))
    }
}

/// The forecast a run gives: per issue the probability-weighted position, with the most
/// probable position and the ending in the note.
pub fn forecast_of(run: &SmpRun) -> Forecast {
    let ending = describe_ending(&run.ending);
    Forecast {
        model: "smp".into(),
        issues: run
            .forecast
            .iter()
            .zip(&run.dimensions)
            .map(|(f, d)| {
                let mut forecast = IssueForecast::point(&f.issue, f.expected);
                forecast.note = Some(format!(
                    "most probable {} (p = {:.3}); {ending}",
                    crate::text::on_scale(f.most_probable, d.scale.range()),
                    f.probability
                ));
                forecast
            })
            .collect(),
    }
}

impl Model for SpatialModel {
    fn id(&self) -> &'static str {
        "smp"
    }

    fn label(&self) -> &'static str {
        "Spatial model of politics (KTAB SMP)"
    }

    fn assumption(&self) -> String {
        "lets actors on all issues at once challenge one another, coalitions voting on each \
         challenge (KTAB's spatial model, with its nine switches)"
            .into()
    }

    fn forecast_issue(&self, scenario: &Scenario, issue: usize) -> IssueForecast {
        self.forecast(scenario).issues.swap_remove(issue)
    }

    fn forecast(&self, scenario: &Scenario) -> Forecast {
        match self.run_scenario(scenario) {
            Ok((input, run)) => {
                let mut forecast = forecast_of(&run);
                if !input.left_out.is_empty() {
                    let part = format!(
                        "; without {} (salience 0 on every issue, so no part in the bargaining)",
                        input.left_out.join(", ")
                    );
                    for issue in &mut forecast.issues {
                        issue.note.get_or_insert_with(String::new).push_str(&part);
                    }
                }
                forecast
            }
            Err(error) => Forecast {
                model: self.id().into(),
                issues: scenario
                    .issues()
                    .iter()
                    .map(|i| IssueForecast::none(&i.id, error.to_string()))
                    .collect(),
            },
        }
    }
}

#[cfg(test)]
mod tests;
