//! Whether an agreement survives changes of government: a seeded Monte Carlo over the scenario's
//! elections and successions, in which each new leader reneges when going back to the status quo
//! is worth more to it than the agreement's reversal cost.
//!
//! The model (see `docs/models/durability.md`):
//!
//! - A **package** fixes a value x_k on every issue (the status quo where nothing is agreed).
//! - A leader's utility is U(y) = -sum_k s_k |y_k - p_k| / range_k over the issues on which it
//!   takes a position (p its positions, s its saliences): a full swing of the scale on an issue of
//!   salience 1 costs 1.
//! - The signatories' leaders at signing stand by the agreement. At each **leadership change**
//!   (a scheduled election that turns the government over with probability `turnover`, or a
//!   hazard: a Poisson process with yearly probability h, rate -ln(1 - h)) a successor is drawn
//!   from the change's list; its stance is the actor's stance with the successor's differences
//!   (a position drawn from N(position, spread) clamped to the scale when a spread is given).
//! - The new leader **reneges** when U(status quo) - U(x) > c, the reversal cost: the form's cost
//!   for that actor plus, per issue, the form's cost per full range moved in the direction of the
//!   reversal (x_k to the status quo). The agreement ends at the first reneging.
//!
//! Run `r` of a seed draws from its own ChaCha8 stream (`seed`, stream `r`), so results do not
//! depend on how runs are spread over threads.

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use rayon::prelude::*;
use serde::Serialize;

use crate::scenario::{AgreementForm, ChangeTiming, Scenario, Stance};

/// Days in a year, for placing election dates on the time axis.
const DAYS_PER_YEAR: f64 = 365.25;

/// The longest horizon, in years (hazards draw events over the whole horizon).
const MAX_YEARS: f64 = 1000.0;

/// The most points a survival curve may have.
const MAX_POINTS: f64 = 100_000.0;

/// The most histories one analysis simulates: each keeps its end time (8 bytes), so this bounds
/// the memory at 80 MB, and 10^6 histories of the six-party scenario take about a second.
pub const MAX_RUNS: usize = 10_000_000;

/// How the Monte Carlo runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DurabilityParams {
    /// Horizon in years.
    pub years: f64,
    /// Number of simulated histories.
    pub runs: usize,
    /// Seed of the random streams.
    pub seed: u64,
    /// Spacing of the survival curve's points, in years.
    pub step: f64,
    /// The date the agreement is signed (time 0); elections are placed relative to it.
    pub start: NaiveDate,
}

/// Why the analysis cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DurabilityError {
    /// An issue in the package has no status quo to return to.
    #[error("issue `{issue}` has no status quo, so reneging on it has nowhere to go back to; give the issue a `status_quo`")]
    NoStatusQuo {
        /// The issue's id.
        issue: String,
    },
    /// The package has the wrong number of values.
    #[error("the package has {found} values for {expected} issues")]
    PackageShape {
        /// Values given.
        found: usize,
        /// Issues in the scenario.
        expected: usize,
    },
    /// A package value outside its issue's scale, or not finite.
    #[error("the package puts issue `{issue}` at {value}, outside its scale {min}..={max}")]
    PackageOutsideScale {
        /// The issue's id.
        issue: String,
        /// The value.
        value: f64,
        /// Scale min.
        min: f64,
        /// Scale max.
        max: f64,
    },
    /// Bad run settings.
    #[error("{0}")]
    Params(String),
}

/// Checks the package and the settings before a run.
fn check(
    scenario: &Scenario,
    package: &[f64],
    params: &DurabilityParams,
) -> Result<(), DurabilityError> {
    let issues = scenario.issues();
    if package.len() != issues.len() {
        return Err(DurabilityError::PackageShape {
            found: package.len(),
            expected: issues.len(),
        });
    }
    for (issue, &value) in issues.iter().zip(package) {
        if issue.status_quo.is_none() {
            return Err(DurabilityError::NoStatusQuo {
                issue: issue.id.clone(),
            });
        }
        if !(value.is_finite() && issue.scale.contains(value)) {
            return Err(DurabilityError::PackageOutsideScale {
                issue: issue.id.clone(),
                value,
                min: issue.scale.min,
                max: issue.scale.max,
            });
        }
    }
    if !(params.years.is_finite() && params.years > 0.0 && params.years <= MAX_YEARS) {
        return Err(DurabilityError::Params(format!(
            "the horizon must be a positive number of years up to {MAX_YEARS}, not {}",
            params.years
        )));
    }
    if !(params.step.is_finite() && params.step > 0.0 && params.years / params.step <= MAX_POINTS) {
        return Err(DurabilityError::Params(format!(
            "the curve's step must be a positive number of years giving at most {MAX_POINTS} points over the horizon (at least {} here), not {}",
            params.years / MAX_POINTS,
            params.step
        )));
    }
    for actor in scenario.actors() {
        for change in &actor.domestic {
            if let ChangeTiming::Hazard { yearly } = change.timing {
                if yearly >= 1.0 {
                    return Err(DurabilityError::Params(format!(
                        "actor `{}`: change `{}` has a yearly probability of {yearly}, which means the government changes continuously; give a probability below 1",
                        actor.id, change.label
                    )));
                }
            }
        }
    }
    if params.runs == 0 {
        return Err(DurabilityError::Params("at least one run is needed".into()));
    }
    if params.runs > MAX_RUNS {
        return Err(DurabilityError::Params(format!(
            "{} histories are more than the {MAX_RUNS} one analysis simulates; give --runs {MAX_RUNS} or fewer",
            params.runs
        )));
    }
    Ok(())
}

/// The forms used when a scenario defines none. Costs are in utility units (a full swing of the
/// scale on an issue of salience 1 is 1); see `docs/models/durability.md` for their reasons.
pub fn default_forms() -> Vec<AgreementForm> {
    vec![
        AgreementForm::new("statement", "Joint statement", 0.0),
        AgreementForm::new("executive", "Executive agreement", 0.1),
        AgreementForm::new("treaty", "Ratified treaty", 0.3),
    ]
}

/// One possible successor after a change, and what it would do.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SuccessorVerdict {
    /// The successor's label.
    pub label: String,
    /// Its probability, given that the change happens.
    pub probability: f64,
    /// U(status quo) - U(package) at its central stance (no spread drawn).
    pub gain_from_reneging: f64,
    /// Its reversal cost under the form.
    pub cost: f64,
    /// Share of its draws that renege (0 or 1 without a spread).
    pub p_renege: f64,
}

/// One leadership change and the chance that it ends the agreement.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ChangeVerdict {
    /// Actor id.
    pub actor: String,
    /// The change's label.
    pub label: String,
    /// Years from signing to a scheduled change (`None` for a hazard).
    pub at_years: Option<f64>,
    /// Probability of turnover (scheduled) or yearly probability (hazard).
    pub probability: f64,
    /// The successors.
    pub successors: Vec<SuccessorVerdict>,
    /// P(the new leader reneges | the change happens).
    pub p_renege: f64,
}

/// How an actor's current leadership stands toward the package.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Incumbent {
    /// Actor id.
    pub actor: String,
    /// U(status quo) - U(package): above 0 when it would rather have no deal.
    pub gain_from_reneging: f64,
    /// Its reversal cost under the form.
    pub cost: f64,
}

/// Who reneges first, how often and when.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FirstDefector {
    /// Actor id.
    pub actor: String,
    /// Share of all runs in which it ends the agreement within the horizon.
    pub share: f64,
    /// Mean time of its reneging, in years, over those runs.
    pub mean_years: f64,
}

/// The agreement's fate at one scheduled election.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ElectionSurvival {
    /// Actor id.
    pub actor: String,
    /// The change's label.
    pub label: String,
    /// Years from signing.
    pub at_years: f64,
    /// P(the agreement is alive when the election comes).
    pub alive_before: f64,
    /// P(the agreement is alive after it).
    pub alive_after: f64,
    /// P(it survives the election | alive before), `None` when it never reaches it.
    pub survives_given_alive: Option<f64>,
}

/// The result for one agreement form.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Durability {
    /// The form's id.
    pub form: String,
    /// The form's label.
    pub label: String,
    /// Points of the survival curve, in years from signing.
    pub times: Vec<f64>,
    /// S(t) at each of `times`: the share of runs still in force.
    pub survival: Vec<f64>,
    /// P(in force at the horizon).
    pub survives_horizon: f64,
    /// Its Monte Carlo standard error, sqrt(S (1 - S) / runs).
    pub standard_error: f64,
    /// The time by which half the runs have ended, `None` when more than half survive.
    pub median_years: Option<f64>,
    /// Who ends it, per actor, in actor order (actors that never do are left out).
    pub first_defectors: Vec<FirstDefector>,
    /// Every scheduled election within the horizon, in time order.
    pub elections: Vec<ElectionSurvival>,
    /// Every leadership change and what its successors would do.
    pub changes: Vec<ChangeVerdict>,
    /// Each actor's current leadership's view of the package.
    pub incumbents: Vec<Incumbent>,
    /// Runs simulated.
    pub runs: usize,
}

/// One actor's stance on every issue, as a leader holds it.
type Stances = Vec<Option<Stance>>;

/// U(status quo) - U(package) for a leader with `stances`.
fn gain_from_reneging(stances: &Stances, package: &[f64], sq: &[f64], ranges: &[f64]) -> f64 {
    stances
        .iter()
        .enumerate()
        .filter_map(|(k, s)| s.as_ref().map(|s| (k, s)))
        .map(|(k, s)| {
            s.salience * ((package[k] - s.position).abs() - (sq[k] - s.position).abs()) / ranges[k]
        })
        .sum()
}

/// A successor ready to be drawn: its central stance and the issues whose position is uncertain.
#[derive(Clone)]
struct SuccessorDraw {
    probability: f64,
    stances: Stances,
    /// (issue, sd, scale min, scale max).
    spreads: Vec<(usize, Normal<f64>, f64, f64)>,
}

/// A change ready to be simulated.
struct Change {
    actor: usize,
    /// Index in the actor's `domestic` list.
    index: usize,
    timing: Timing,
    successors: Vec<SuccessorDraw>,
    /// The actor's reversal cost.
    cost: f64,
}

#[derive(Clone, Copy)]
enum Timing {
    /// Years from signing, probability of turnover.
    At(f64, f64),
    /// Rate per year of a Poisson process (infinite when the yearly probability is 1).
    Rate(f64),
}

/// Everything a run needs, fixed for the analysis.
struct Setup<'a> {
    changes: Vec<Change>,
    package: &'a [f64],
    status_quo: Vec<f64>,
    ranges: Vec<f64>,
    horizon: f64,
}

impl Setup<'_> {
    /// Whether a new leader after `change` reneges, drawing its successor from `rng`.
    fn reneges(&self, change: &Change, rng: &mut ChaCha8Rng) -> bool {
        let Some(successor) = pick(&change.successors, rng) else {
            return false;
        };
        let reneges_with = |stances: &Stances| {
            gain_from_reneging(stances, self.package, &self.status_quo, &self.ranges) > change.cost
        };
        if successor.spreads.is_empty() {
            return reneges_with(&successor.stances);
        }
        let mut stances = successor.stances.clone();
        for (issue, normal, min, max) in &successor.spreads {
            if let Some(stance) = stances[*issue].as_mut() {
                stance.position = normal.sample(rng).clamp(*min, *max);
            }
        }
        reneges_with(&stances)
    }

    /// One history: (the time the agreement ends, who ends it), or `None` if it survives.
    fn run(&self, rng: &mut ChaCha8Rng) -> Option<(f64, usize)> {
        // Every change's events within the horizon, then taken in time order.
        let mut events: Vec<(f64, usize)> = Vec::new();
        for (c, change) in self.changes.iter().enumerate() {
            match change.timing {
                Timing::At(t, turnover) => {
                    if rng.random::<f64>() < turnover {
                        events.push((t, c));
                    }
                }
                Timing::Rate(rate) => {
                    let mut t = 0.0;
                    loop {
                        // 1 - U lies in (0, 1], so its logarithm is finite.
                        t += -(1.0 - rng.random::<f64>()).ln() / rate;
                        if t > self.horizon {
                            break;
                        }
                        events.push((t, c));
                    }
                }
            }
        }
        events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        events.into_iter().find_map(|(t, c)| {
            let change = &self.changes[c];
            self.reneges(change, rng).then_some((t, change.actor))
        })
    }
}

/// Draws one successor by its probability (`None` when the list is empty).
fn pick<'s>(successors: &'s [SuccessorDraw], rng: &mut ChaCha8Rng) -> Option<&'s SuccessorDraw> {
    let u: f64 = rng.random();
    let mut total = 0.0;
    for s in successors {
        total += s.probability;
        if u < total {
            return Some(s);
        }
    }
    successors.last()
}

/// Runs the analysis of `package` (one value per issue) under `form`.
pub fn analyse(
    scenario: &Scenario,
    package: &[f64],
    form: &AgreementForm,
    params: &DurabilityParams,
) -> Result<Durability, DurabilityError> {
    check(scenario, package, params)?;
    let issues = scenario.issues();
    let status_quo: Vec<f64> = issues
        .iter()
        .map(|i| i.status_quo.expect("checked"))
        .collect();
    let ranges: Vec<f64> = issues.iter().map(|i| i.scale.range()).collect();
    let actors = scenario.actors();
    let base = |a: usize| -> Stances {
        (0..issues.len())
            .map(|k| scenario.stance(a, k).cloned())
            .collect()
    };
    let cost_of = |a: usize| form.reversal_cost(a, package, &status_quo, &ranges);

    let mut changes = Vec::new();
    for (a, actor) in actors.iter().enumerate() {
        for (index, change) in actor.domestic.iter().enumerate() {
            let timing = match change.timing {
                ChangeTiming::Scheduled { date, turnover } => {
                    let t = (date - params.start).num_days() as f64 / DAYS_PER_YEAR;
                    if t <= 0.0 || t > params.years {
                        continue;
                    }
                    Timing::At(t, turnover)
                }
                ChangeTiming::Hazard { yearly } if yearly > 0.0 => {
                    Timing::Rate(-(1.0 - yearly).ln())
                }
                ChangeTiming::Hazard { .. } => continue,
            };
            let successors = change
                .successors
                .iter()
                .map(|s| {
                    let mut stances = base(a);
                    let mut spreads = Vec::new();
                    for (k, delta) in &s.positions {
                        let stance = match (&stances[*k], delta.position, delta.salience) {
                            (Some(old), p, sal) => Some(Stance::new(
                                p.unwrap_or(old.position),
                                sal.unwrap_or(old.salience),
                            )),
                            (None, Some(p), Some(sal)) => Some(Stance::new(p, sal)),
                            (None, _, _) => None,
                        };
                        if let (Some(stance), Some(sd)) = (&stance, delta.spread) {
                            if sd > 0.0 {
                                let normal = Normal::new(stance.position, sd).expect("sd > 0");
                                let scale = issues[*k].scale;
                                spreads.push((*k, normal, scale.min, scale.max));
                            }
                        }
                        stances[*k] = stance;
                    }
                    SuccessorDraw {
                        probability: s.probability,
                        stances,
                        spreads,
                    }
                })
                .collect();
            changes.push(Change {
                actor: a,
                index,
                timing,
                successors,
                cost: cost_of(a),
            });
        }
    }
    let setup = Setup {
        changes,
        package,
        status_quo: status_quo.clone(),
        ranges: ranges.clone(),
        horizon: params.years,
    };

    let outcomes: Vec<Option<(f64, usize)>> = (0..params.runs)
        .into_par_iter()
        .map(|r| {
            let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
            rng.set_stream(r as u64);
            setup.run(&mut rng)
        })
        .collect();

    let runs = params.runs as f64;
    let mut ends: Vec<f64> = outcomes.iter().flatten().map(|(t, _)| *t).collect();
    ends.sort_by(f64::total_cmp);
    // Runs that have ended by time t (at or before it).
    let ended_by = |t: f64| ends.partition_point(|&e| e <= t);
    let ended_before = |t: f64| ends.partition_point(|&e| e < t);
    // Multiples of the step below the horizon, then the horizon itself.
    let below = (params.years / params.step).ceil() as usize;
    let mut times: Vec<f64> = (0..below)
        .map(|j| j as f64 * params.step)
        .filter(|&t| t < params.years)
        .collect();
    times.push(params.years);
    let survival: Vec<f64> = times
        .iter()
        .map(|&t| 1.0 - ended_by(t) as f64 / runs)
        .collect();
    let survives_horizon = 1.0 - ends.len() as f64 / runs;
    let half = params.runs.div_ceil(2);
    let median_years = (half >= 1 && ends.len() >= half).then(|| ends[half - 1]);

    let first_defectors = (0..actors.len())
        .filter_map(|a| {
            let times: Vec<f64> = outcomes
                .iter()
                .flatten()
                .filter(|(_, who)| *who == a)
                .map(|(t, _)| *t)
                .collect();
            (!times.is_empty()).then(|| FirstDefector {
                actor: actors[a].id.clone(),
                share: times.len() as f64 / runs,
                mean_years: times.iter().sum::<f64>() / times.len() as f64,
            })
        })
        .collect();

    let verdicts = change_verdicts(scenario, &setup, params);
    let mut elections: Vec<ElectionSurvival> = verdicts
        .iter()
        .filter_map(|v| {
            let t = v.at_years?;
            let alive_before = 1.0 - ended_before(t) as f64 / runs;
            let alive_after = 1.0 - ended_by(t) as f64 / runs;
            Some(ElectionSurvival {
                actor: v.actor.clone(),
                label: v.label.clone(),
                at_years: t,
                alive_before,
                alive_after,
                survives_given_alive: (alive_before > 0.0).then(|| alive_after / alive_before),
            })
        })
        .collect();
    elections.sort_by(|a, b| a.at_years.total_cmp(&b.at_years));

    let incumbents = (0..actors.len())
        .map(|a| Incumbent {
            actor: actors[a].id.clone(),
            gain_from_reneging: gain_from_reneging(&base(a), package, &status_quo, &ranges),
            cost: cost_of(a),
        })
        .collect();

    Ok(Durability {
        form: form.id.clone(),
        label: form.label.clone(),
        times,
        survival,
        survives_horizon,
        standard_error: (survives_horizon * (1.0 - survives_horizon) / runs).sqrt(),
        median_years,
        first_defectors,
        elections,
        changes: verdicts,
        incumbents,
        runs: params.runs,
    })
}

/// Draws used to estimate a successor's P(renege) when its position is uncertain.
const VERDICT_DRAWS: u64 = 4096;

/// What each change's successors would do, for the report.
fn change_verdicts(
    scenario: &Scenario,
    setup: &Setup<'_>,
    params: &DurabilityParams,
) -> Vec<ChangeVerdict> {
    setup
        .changes
        .iter()
        .map(|prepared| {
            let change = &scenario.actors()[prepared.actor].domestic[prepared.index];
            let (at_years, probability) = match (prepared.timing, &change.timing) {
                (Timing::At(t, turnover), _) => (Some(t), turnover),
                (_, ChangeTiming::Hazard { yearly }) => (None, *yearly),
                (_, ChangeTiming::Scheduled { turnover, .. }) => (None, *turnover),
            };
            let successors: Vec<SuccessorVerdict> = change
                .successors
                .iter()
                .zip(&prepared.successors)
                .map(|(s, draw)| {
                    let gain = gain_from_reneging(
                        &draw.stances,
                        setup.package,
                        &setup.status_quo,
                        &setup.ranges,
                    );
                    let p_renege = if draw.spreads.is_empty() {
                        f64::from(u8::from(gain > prepared.cost))
                    } else {
                        estimate_renege(setup, prepared, draw, params.seed)
                    };
                    SuccessorVerdict {
                        label: s.label.clone(),
                        probability: s.probability,
                        gain_from_reneging: gain,
                        cost: prepared.cost,
                        p_renege,
                    }
                })
                .collect();
            ChangeVerdict {
                actor: scenario.actors()[prepared.actor].id.clone(),
                label: change.label.clone(),
                at_years,
                probability,
                p_renege: successors.iter().map(|s| s.probability * s.p_renege).sum(),
                successors,
            }
        })
        .collect()
}

/// P(a successor with an uncertain position reneges), from its own random stream.
fn estimate_renege(setup: &Setup<'_>, change: &Change, draw: &SuccessorDraw, seed: u64) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Runs use streams 0..runs; this estimate uses the last stream, which no run reaches.
    rng.set_stream(u64::MAX);
    let lone = Change {
        successors: vec![SuccessorDraw {
            probability: 1.0,
            stances: draw.stances.clone(),
            spreads: draw.spreads.clone(),
        }],
        ..*change
    };
    let hits = (0..VERDICT_DRAWS)
        .filter(|_| setup.reneges(&lone, &mut rng))
        .count();
    hits as f64 / VERDICT_DRAWS as f64
}
