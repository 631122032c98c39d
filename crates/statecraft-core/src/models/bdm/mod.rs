//! Bueno de Mesquita's expected-utility model, as reconstructed by Scholz, Calbert & Smith (2011):
//! actors challenge one another round by round and move when they expect to lose.
//!
//! Two variants share the driver in this file (rounds, stopping rules, the trace):
//! - [`Variant::ScholzReference`] reproduces the public reference implementation number for
//!   number, quirks included (see `reference.rs` and `docs/models/bdm.md`);
//! - [`Variant::ScholzPaper`] is the model as the paper describes it, with an
//!   O(n^2) round after one sort (see `paper.rs`).
//!
//! The model is one-dimensional: on a multi-issue scenario it runs once per issue, over the actors
//! that take a position on it.

mod explain;
mod paper;
mod reference;

pub use explain::narrate;
pub use reference::{PairTerms, PhaseTerms};

use serde::Serialize;

use super::{IssueForecast, Model};
use crate::scenario::Scenario;

/// Which reconstruction to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Variant {
    /// The public reference implementation, bit for bit.
    ScholzReference,
    /// The model as the paper describes it.
    ScholzPaper,
}

impl Variant {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Variant::ScholzReference => "scholz-reference",
            Variant::ScholzPaper => "scholz-paper",
        }
    }

    /// Parses a command-line name.
    pub fn from_name(name: &str) -> Option<Variant> {
        [Variant::ScholzReference, Variant::ScholzPaper]
            .into_iter()
            .find(|v| v.name() == name)
    }
}

/// When a run ends.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "rule", rename_all = "kebab-case")]
pub enum StopRule {
    /// Run exactly `max_rounds` rounds (unless the model halts).
    Fixed,
    /// Stop early when bargaining has settled or is cycling.
    Adaptive {
        /// Settled: for `patience` rounds in a row, the median and every position move by at
        /// most `epsilon` times the initial range of positions.
        epsilon: f64,
        /// How many quiet rounds in a row count as settled.
        patience: usize,
        /// Stop when the median returns, for the second time, to a value it had left.
        detect_cycles: bool,
    },
}

/// The model's parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BdmParams {
    /// Which reconstruction.
    pub variant: Variant,
    /// Reference variant only: repair the capitulation branch (capitulate when b > 0 > a and
    /// |a| > b), which the published code never takes. The paper variant always capitulates.
    pub capitulation_fix: bool,
    /// Paper variant only: probability that the status quo persists absent a challenge.
    pub q: f64,
    /// Paper variant only: probability that a spontaneous change is for the better.
    pub t: f64,
    /// The most rounds to run.
    pub max_rounds: usize,
    /// When to stop before `max_rounds`.
    pub stop: StopRule,
}

impl BdmParams {
    /// The reference variant for exactly `rounds` rounds, as the parity files were made.
    pub fn reference(rounds: usize) -> Self {
        Self {
            variant: Variant::ScholzReference,
            capitulation_fix: false,
            q: 1.0,
            t: 1.0,
            max_rounds: rounds,
            stop: StopRule::Fixed,
        }
    }

    /// What `statecraft forecast` uses: up to 100 rounds, stopping when settled or cycling.
    pub fn forecast(variant: Variant) -> Self {
        Self {
            variant,
            capitulation_fix: false,
            q: 1.0,
            t: 1.0,
            max_rounds: 100,
            stop: StopRule::Adaptive {
                epsilon: 1e-6,
                patience: 3,
                detect_cycles: true,
            },
        }
    }
}

/// One actor as the model sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct BdmActor {
    /// Display name.
    pub name: String,
    /// Capability (> 0).
    pub capability: f64,
    /// Initial position.
    pub position: f64,
    /// Salience, 0..=1: the probability that the actor resists a challenge.
    pub salience: f64,
}

/// How an actor came to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OfferKind {
    /// It expected to lose a confrontation and gave in: it moves to the other's position.
    Confrontation,
    /// It expected to lose but less than the other gains: it moves part of the way.
    Compromise,
    /// It expected to lose more than the other gains: it moves to the other's position.
    Capitulation,
}

impl OfferKind {
    /// The word used in traces, as in the parity files.
    pub fn name(self) -> &'static str {
        match self {
            OfferKind::Confrontation => "confrontation",
            OfferKind::Compromise => "compromise",
            OfferKind::Capitulation => "capitulation",
        }
    }
}

/// The offer an actor accepted in a round.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Offer {
    /// What kind.
    pub kind: OfferKind,
    /// Index of the actor who pressed.
    pub from: usize,
    /// EU_i(i -> j): what the accepting actor expects from challenging the other.
    pub eu_ij: f64,
    /// EU_i(j -> i): what it expects the other gains from challenging it.
    pub eu_ji: f64,
    /// Where it moves.
    pub to: f64,
}

/// One actor in one round.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ActorRound {
    /// Position before the round.
    pub x_before: f64,
    /// Security level S_i computed with every risk exponent at 1.
    pub danger_r1: f64,
    /// Relative risk R_i in -1..=1.
    pub risk: f64,
    /// Risk exponent r_i in 0.5..=2 used in the round.
    pub r: f64,
    /// The offer accepted, if any.
    pub offer: Option<Offer>,
    /// Position after the round.
    pub x_after: f64,
}

/// One round of bargaining.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Round {
    /// 1-based.
    pub round: usize,
    /// One entry per actor, in input order.
    pub actors: Vec<ActorRound>,
    /// Median voter position after the round.
    pub median: f64,
    /// Capability x salience weighted mean after the round.
    pub mean: f64,
}

/// Why a run ended.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Ending {
    /// It ran the most rounds allowed.
    MaxRounds {
        /// How many.
        rounds: usize,
    },
    /// The median and every position stayed put for `patience` rounds.
    Converged {
        /// The last round run.
        round: usize,
    },
    /// The median keeps returning to a value it left: bargaining cycles.
    Cycle {
        /// The round the median first had the value.
        first: usize,
        /// The rounds in which it came back.
        returns: Vec<usize>,
        /// Lowest median over the cycle.
        low: f64,
        /// Highest median over the cycle.
        high: f64,
    },
    /// Every actor's position is back where it was `period` rounds earlier (period 2 or more):
    /// the model is deterministic, so the same positions will recur for ever.
    PositionCycle {
        /// The round whose positions recur.
        since: usize,
        /// The length of the cycle in rounds.
        period: usize,
        /// Lowest median over the cycle.
        low: f64,
        /// Highest median over the cycle.
        high: f64,
    },
    /// The reference cannot compute this round (every security level is equal: it divides by
    /// zero). The rounds before it are kept.
    Halted {
        /// The round that could not be computed.
        round: usize,
    },
}

/// A whole run: the rounds, and why it ended.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BdmRun {
    /// Actor names, in input order.
    pub actors: Vec<String>,
    /// The parameters used.
    pub params: BdmParams,
    /// Range of the initial positions (fixed for the run).
    pub position_range: f64,
    /// Median before any round.
    pub initial_median: f64,
    /// Weighted mean before any round.
    pub initial_mean: f64,
    /// Every round run.
    pub rounds: Vec<Round>,
    /// Why it ended.
    pub ending: Ending,
}

impl BdmRun {
    /// The median after the last round: the model's prediction under majority rule.
    pub fn median(&self) -> f64 {
        self.rounds.last().map_or(self.initial_median, |r| r.median)
    }

    /// The weighted mean after the last round.
    pub fn mean(&self) -> f64 {
        self.rounds.last().map_or(self.initial_mean, |r| r.mean)
    }

    /// Positions after the last round.
    pub fn positions(&self) -> Vec<f64> {
        match self.rounds.last() {
            Some(r) => r.actors.iter().map(|a| a.x_after).collect(),
            None => Vec::new(),
        }
    }
}

/// The state every round reads: weights and saliences, fixed for the run.
pub(crate) struct Setup<'a> {
    pub(crate) actors: &'a [BdmActor],
    /// capability x salience, formed once as the reference does.
    pub(crate) weight: Vec<f64>,
    /// Range of the initial positions.
    pub(crate) delta: f64,
    pub(crate) params: BdmParams,
}

/// What a round function returns: per actor, everything but `x_after`; or a halt.
pub(crate) type RoundResult = Option<Vec<ActorRound>>;

/// The median voter position by pairwise tournament over the distinct positions, in ascending
/// order: a challenger replaces the champion when the weighted (r = 1) votes favour it strictly,
/// so on an exact tie the lower position is kept.
pub(crate) fn median(setup: &Setup<'_>, x: &[f64]) -> f64 {
    let mut candidates: Vec<f64> = x.to_vec();
    candidates.sort_by(f64::total_cmp);
    candidates.dedup();
    let delta = setup.delta;
    let mut champion = candidates[0];
    for &challenger in &candidates[1..] {
        let mut total = 0.0;
        for (k, &xk) in x.iter().enumerate() {
            total +=
                setup.weight[k] * ((xk - champion).abs() / delta - (xk - challenger).abs() / delta);
        }
        if total > 0.0 {
            champion = challenger;
        }
    }
    champion
}

/// Capability x salience weighted mean, summed in actor order.
pub(crate) fn mean(setup: &Setup<'_>, x: &[f64]) -> f64 {
    let (mut numerator, mut denominator) = (0.0, 0.0);
    for (k, &xk) in x.iter().enumerate() {
        numerator += setup.weight[k] * xk;
        denominator += setup.weight[k];
    }
    numerator / denominator
}

/// Risk from security levels: R_i = (2 S_i - S_max - S_min) / (S_max - S_min) and
/// r_i = (1 - R_i/3) / (1 + R_i/3); `None` when every S_i is equal.
pub(crate) fn risk_exponents(security: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
    let s_max = security.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let s_min = security.iter().copied().fold(f64::INFINITY, f64::min);
    if s_max == s_min {
        return None;
    }
    let big_r: Vec<f64> = security
        .iter()
        .map(|&s| (2.0 * s - s_max - s_min) / (s_max - s_min))
        .collect();
    let r = big_r
        .iter()
        .map(|&rr| (1.0 - rr / 3.0) / (1.0 + rr / 3.0))
        .collect();
    Some((big_r, r))
}

/// Runs the model on one issue's actors.
///
/// # Panics
/// When fewer than two actors are given or their positions are all equal (a validated scenario
/// issue always has two positioned actors; callers check that the positions differ).
pub fn run(actors: &[BdmActor], params: &BdmParams) -> BdmRun {
    run_watched(actors, params, &mut |_| {})
}

/// [`run`], calling `after_round` with each round's number as it ends, so that a long run (its
/// rounds grow with the cube of the actors) can show its progress.
///
/// # Panics
/// As [`run`].
pub fn run_watched(
    actors: &[BdmActor],
    params: &BdmParams,
    after_round: &mut dyn FnMut(usize),
) -> BdmRun {
    let x0: Vec<f64> = actors.iter().map(|a| a.position).collect();
    let hi = x0.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lo = x0.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(
        actors.len() >= 2 && hi > lo,
        "the expected-utility model needs two distinct positions"
    );
    let setup = Setup {
        actors,
        weight: actors.iter().map(|a| a.capability * a.salience).collect(),
        delta: hi - lo,
        params: *params,
    };
    let initial_median = median(&setup, &x0);
    let mut run = BdmRun {
        actors: actors.iter().map(|a| a.name.clone()).collect(),
        params: *params,
        position_range: setup.delta,
        initial_median,
        initial_mean: mean(&setup, &x0),
        rounds: Vec::new(),
        ending: Ending::MaxRounds {
            rounds: params.max_rounds,
        },
    };
    let mut states = vec![x0.clone()];
    let mut x = x0;
    let mut quiet_rounds = 0;
    let mut medians = vec![initial_median];
    for round in 1..=params.max_rounds {
        let result = match params.variant {
            Variant::ScholzReference => reference::round(&setup, &x),
            Variant::ScholzPaper => paper::round(&setup, &x, *medians.last().expect("not empty")),
        };
        let Some(mut per_actor) = result else {
            run.ending = Ending::Halted { round };
            return run;
        };
        // Every actor chose from the same state; the moves apply together.
        let new_x: Vec<f64> = per_actor
            .iter()
            .map(|a| a.offer.map_or(a.x_before, |o| o.to))
            .collect();
        for (a, &xa) in per_actor.iter_mut().zip(&new_x) {
            a.x_after = xa;
        }
        let round_median = median(&setup, &new_x);
        let largest_move = x
            .iter()
            .zip(&new_x)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        let median_move = (round_median - medians.last().expect("not empty")).abs();
        run.rounds.push(Round {
            round,
            actors: per_actor,
            median: round_median,
            mean: mean(&setup, &new_x),
        });
        medians.push(round_median);
        after_round(round);
        states.push(new_x.clone());
        x = new_x;
        if let StopRule::Adaptive {
            epsilon,
            patience,
            detect_cycles,
        } = params.stop
        {
            let tolerance = epsilon * setup.delta;
            quiet_rounds = if largest_move <= tolerance && median_move <= tolerance {
                quiet_rounds + 1
            } else {
                0
            };
            if quiet_rounds >= patience {
                run.ending = Ending::Converged { round };
                return run;
            }
            if detect_cycles {
                let cycle = find_position_cycle(&states, &medians, tolerance)
                    .or_else(|| find_cycle(&medians, tolerance));
                if let Some(cycle) = cycle {
                    run.ending = cycle;
                    return run;
                }
            }
        }
    }
    run
}

/// A cycle of the whole state: the latest positions equal (each within `tolerance`) those of
/// `period` >= 2 rounds before, and differ from the previous round's (period 1 is convergence).
fn find_position_cycle(states: &[Vec<f64>], medians: &[f64], tolerance: f64) -> Option<Ending> {
    let now = states.len() - 1;
    let same = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(p, q)| (p - q).abs() <= tolerance);
    if now == 0 || same(&states[now], &states[now - 1]) {
        return None;
    }
    let period = (2..=now).find(|&p| same(&states[now], &states[now - p]))?;
    let since = now - period;
    let (low, high) = extent(&medians[since..=now]);
    Some(Ending::PositionCycle {
        since,
        period,
        low,
        high,
    })
}

/// The lowest and highest of `values`.
fn extent(values: &[f64]) -> (f64, f64) {
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (low, high)
}

/// A cycle: the latest median equals (within `tolerance`) an earlier value that the median had
/// left, and this is the second such return. Returns are counted once per visit.
fn find_cycle(medians: &[f64], tolerance: f64) -> Option<Ending> {
    let last = *medians.last()?;
    let now = medians.len() - 1;
    // Only the first round of a visit counts.
    if now == 0 || (medians[now - 1] - last).abs() <= tolerance {
        return None;
    }
    let near = |v: f64| (v - last).abs() <= tolerance;
    let first = medians.iter().position(|&m| near(m))?;
    if first == now {
        return None;
    }
    // Rounds (after the first visit) at which the median arrived at this value from elsewhere.
    let returns: Vec<usize> = (first + 1..=now)
        .filter(|&t| near(medians[t]) && !near(medians[t - 1]))
        .collect();
    if returns.len() < 2 {
        return None;
    }
    let (low, high) = extent(&medians[first..=now]);
    Some(Ending::Cycle {
        first,
        returns,
        low,
        high,
    })
}

/// The reference variant's terms for one round at the actors' initial positions: the phase with
/// every r = 1, the exponents it yields, and the phase with those exponents (`None` for the
/// second when the round halts). Positions after earlier rounds can be given in `positions`.
pub fn reference_round_terms(
    actors: &[BdmActor],
    positions: &[f64],
    position_range: f64,
) -> (PhaseTerms, Option<(Vec<f64>, PhaseTerms)>) {
    let setup = Setup {
        actors,
        weight: actors.iter().map(|a| a.capability * a.salience).collect(),
        delta: position_range,
        params: BdmParams::reference(1),
    };
    let first = reference::phase(&setup, positions, &vec![1.0; positions.len()]);
    let second = risk_exponents(&first.security).map(|(_, r)| {
        let terms = reference::phase(&setup, positions, &r);
        (r, terms)
    });
    (first, second)
}

/// The model's actors on one issue of a scenario (those with a position), with their indices.
pub fn issue_actors(scenario: &Scenario, issue: usize) -> (Vec<usize>, Vec<BdmActor>) {
    scenario
        .positioned(issue)
        .map(|(a, actor, stance)| {
            (
                a,
                BdmActor {
                    name: actor.name.clone(),
                    capability: actor.capability,
                    position: stance.position,
                    salience: stance.salience,
                },
            )
        })
        .unzip()
}

/// The expected-utility model behind the common [`Model`] interface: the median after the run.
#[derive(Debug, Clone, Copy)]
pub struct ExpectedUtility {
    /// Parameters.
    pub params: BdmParams,
}

impl Default for ExpectedUtility {
    fn default() -> Self {
        Self {
            params: BdmParams::forecast(Variant::ScholzReference),
        }
    }
}

/// One sentence on why a run ended; values show the precision of a scale `span` wide
/// ([`crate::text::on_scale`]).
pub fn describe_ending(ending: &Ending, span: f64) -> String {
    let v = |x: &f64| crate::text::on_scale(*x, span);
    match ending {
        Ending::MaxRounds { rounds } => format!("stopped after the maximum of {rounds} rounds"),
        Ending::Converged { round } => format!("settled by round {round}"),
        Ending::Cycle { first, returns, low, high } => format!(
            "no convergence: the median cycles between {} and {} (it returned in rounds {} to its value of round {first})",
            v(low),
            v(high),
            returns.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(" and ")
        ),
        Ending::PositionCycle { since, period, low, high } => {
            let median = if high - low <= f64::EPSILON * high.abs().max(1.0) {
                format!("the median stays at {}", v(low))
            } else {
                format!("the median cycles between {} and {}", v(low), v(high))
            };
            format!(
                "no convergence: from round {since} the positions repeat every {period} rounds; {median}"
            )
        }
        Ending::Halted { round } => format!(
            "the reference halts in round {round}: every actor's security level is equal (it would divide by zero)"
        ),
    }
}

impl Model for ExpectedUtility {
    fn id(&self) -> &'static str {
        "bdm"
    }

    fn label(&self) -> &'static str {
        "Expected utility (BDM)"
    }

    fn assumption(&self) -> String {
        format!(
            "lets actors challenge those they expect to beat, round after round (odds from \
             capability x salience and risk-taking), and takes the median where the challenges \
             stop, with {}",
            self.variant_assumption()
        )
    }

    fn forecast_issue(&self, scenario: &Scenario, issue: usize) -> IssueForecast {
        match self.run_issue(scenario, issue) {
            Ok(run) => forecast_of(&run, &scenario.issues()[issue].id),
            Err(no_run) => no_run,
        }
    }
}

impl ExpectedUtility {
    /// What this variant of the model assumes beyond the others, as a noun phrase.
    pub fn variant_assumption(&self) -> String {
        let p = &self.params;
        match (p.variant, p.capitulation_fix) {
            (Variant::ScholzReference, false) => "the reference code's round (risk-weighted \
                 votes, one global normaliser, and an actor that should capitulate never does)"
                .into(),
            (Variant::ScholzReference, true) => "the reference code's round (risk-weighted \
                 votes, one global normaliser) with capitulation repaired (an actor that \
                 expects to lose badly gives in)"
                .into(),
            (Variant::ScholzPaper, _) => format!(
                "the paper's round (linear votes, per-pair odds, each actor takes the offer that \
                 moves it least, the status quo persists absent a challenge with q = {} and a \
                 change is for the better with t = {})",
                crate::text::number(p.q),
                crate::text::number(p.t)
            ),
        }
    }

    /// Runs the model on one issue; when there is nothing to run (every actor already agrees, or
    /// no one gives the issue any salience) returns the forecast that says so instead.
    pub fn run_issue(&self, scenario: &Scenario, issue: usize) -> Result<BdmRun, IssueForecast> {
        self.run_issue_watched(scenario, issue, &mut |_| {})
    }

    /// [`ExpectedUtility::run_issue`], calling `after_round` as each round ends ([`run_watched`]).
    pub fn run_issue_watched(
        &self,
        scenario: &Scenario,
        issue: usize,
        after_round: &mut dyn FnMut(usize),
    ) -> Result<BdmRun, IssueForecast> {
        let id = &scenario.issues()[issue].id;
        let (_, actors) = issue_actors(scenario, issue);
        let first = actors[0].position;
        if actors.iter().all(|a| a.position == first) {
            let mut f = IssueForecast::point(id, first);
            f.note = Some("every actor already holds the same position".into());
            return Err(f);
        }
        if actors.iter().all(|a| a.salience == 0.0) {
            return Err(super::no_weight(scenario, issue));
        }
        Ok(run_watched(&actors, &self.params, after_round))
    }
}

/// The forecast a run gives: the median after the last round, with the mean and the ending.
pub fn forecast_of(run: &BdmRun, issue_id: &str) -> IssueForecast {
    let mut forecast = IssueForecast::point(issue_id, run.median());
    forecast.note = Some(format!(
        "mean {}; {}",
        crate::text::on_scale(run.mean(), run.position_range),
        describe_ending(&run.ending, run.position_range)
    ));
    forecast
}

#[cfg(test)]
mod tests {
    use super::*;

    fn states(rows: &[&[f64]]) -> Vec<Vec<f64>> {
        rows.iter().map(|r| r.to_vec()).collect()
    }

    #[test]
    fn positions_that_alternate_are_a_cycle_of_period_two() {
        let s = states(&[&[0.0, 40.0], &[0.0, 55.0], &[0.0, 51.3], &[0.0, 55.0]]);
        let medians = [40.0, 55.0, 55.0, 55.0];
        assert_eq!(
            find_position_cycle(&s, &medians, 1e-9),
            Some(Ending::PositionCycle {
                since: 1,
                period: 2,
                low: 55.0,
                high: 55.0
            })
        );
    }

    #[test]
    fn positions_at_rest_or_never_repeating_are_not_a_cycle() {
        let resting = states(&[&[0.0, 40.0], &[0.0, 55.0], &[0.0, 55.0]]);
        assert_eq!(
            find_position_cycle(&resting, &[40.0, 55.0, 55.0], 1e-9),
            None
        );
        let drifting = states(&[&[0.0, 40.0], &[0.0, 45.0], &[0.0, 50.0], &[0.0, 55.0]]);
        let medians = [40.0, 45.0, 50.0, 55.0];
        assert_eq!(find_position_cycle(&drifting, &medians, 1e-9), None);
    }

    #[test]
    fn a_repeat_within_the_tolerance_counts() {
        let s = states(&[&[1.0, 2.0], &[3.0, 2.0], &[1.0 + 1e-12, 2.0]]);
        let found = find_position_cycle(&s, &[1.0, 2.0, 1.0], 1e-9);
        assert!(matches!(
            found,
            Some(Ending::PositionCycle {
                since: 0,
                period: 2,
                ..
            })
        ));
    }
}
