//! Whether an agreement survives changes of government: a seeded Monte Carlo over the scenario's
//! elections and successions, in which each new leader reneges when reversing what it controls,
//! and the other parties' answer to that, is worth more to it than the agreement's reversal cost.
//!
//! The model (see `docs/models/durability.md`):
//!
//! - A **package** fixes a value x_k on every issue (the status quo where nothing is agreed).
//! - A leader's utility is U(y) = -sum_k s_k |y_k - p_k| / range_k over the issues on which it
//!   takes a position (p its positions, s its saliences): a full swing of the scale on an issue of
//!   salience 1 costs 1.
//! - Each issue is **controlled** by some actors (`controlled_by`; every actor when none is
//!   named). An actor that reneges takes the issues it controls to its fallback (the status quo
//!   unless it declares one); the controllers of each other issue answer by reversing theirs to
//!   their own fallback with their response probability, discounted by e^(-rho delay). The
//!   outcome y of reneging is that lottery; with every actor controlling every issue and no
//!   fallback it is the status quo, the earlier model.
//! - The signatories' leaders at signing stand by the agreement. At each **leadership change**
//!   (a scheduled election that turns the government over with probability `turnover`, or a
//!   hazard: a Poisson process with yearly probability h, rate -ln(1 - h)) a successor is drawn
//!   from the change's list; its stance is the actor's stance with the successor's differences
//!   (a position drawn from N(position, spread) clamped to the scale when a spread is given).
//! - The new leader **reneges** when E U(y) - U(x) > c(t), the reversal cost at t years: the
//!   form's own cost for that actor times (1 + trend)^t plus, per issue it moves itself, the
//!   form's cost per full range moved in the direction of its reversal (x_k to its fallback). The
//!   agreement ends at the first reneging.
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

/// The most histories one analysis simulates: each keeps how it ended (24 bytes), so this
/// bounds the memory at 240 MB, and 10^6 histories of the six-party scenario take about a second.
pub const MAX_RUNS: usize = 10_000_000;

/// How fast a leader discounts a loss that comes later, per year: the other side's reversal
/// `delay` years after the reneging weighs e^(-RESPONSE_DISCOUNT delay) of one that comes at
/// once (0.25: a loss four years off, one term of office, counts for e^-1 = 37%).
pub const RESPONSE_DISCOUNT: f64 = 0.25;

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
    /// The issue whose reversal adds most to its gain at its central stance.
    pub decisive_issue: Option<String>,
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
    /// Its reversal cost under the form, at signing.
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
    /// Which issue's reversal did it: for each issue, the share of all runs in which this actor
    /// ended the agreement and that issue added most to its gain (issues that never did are
    /// left out).
    pub issues: Vec<IssueShare>,
}

/// A share of runs attributed to one issue.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct IssueShare {
    /// The issue's id.
    pub issue: String,
    /// Share of all runs.
    pub share: f64,
}

/// A share of runs attributed to one successor.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SuccessorShare {
    /// The successor's label.
    pub successor: String,
    /// Share of all runs in which it took office at this change and walked away.
    pub share: f64,
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
    /// Who walks away at this election: each successor's share of all runs (successors that
    /// never do are left out).
    pub walk_away: Vec<SuccessorShare>,
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

/// What reneging by one actor leads to, issue by issue, before its own fallbacks are known.
#[derive(Clone)]
enum Reversal {
    /// The reneger controls the issue: it takes it to its own fallback.
    Own,
    /// Others control it: a lottery of (probability, value), the package's value included.
    Answer(Vec<(f64, f64)>),
}

/// E|y_k - p| for a leader at `position`, with `own` the reneger's own fallback on the issue.
fn expected_distance(reversal: &Reversal, own: f64, position: f64) -> f64 {
    match reversal {
        Reversal::Own => (own - position).abs(),
        Reversal::Answer(lottery) => lottery.iter().map(|(w, v)| w * (v - position).abs()).sum(),
    }
}

/// E U(y) - U(package) for a leader with `stances`, whose reneging leads to `reversals` (its own
/// issues going to `own_to`), and the issue that adds most to it.
fn gain_and_issue(
    stances: &Stances,
    package: &[f64],
    reversals: &[Reversal],
    own_to: &[f64],
    ranges: &[f64],
) -> (f64, Option<usize>) {
    let mut gain = 0.0;
    let mut decisive: Option<(usize, f64)> = None;
    for (k, s) in stances
        .iter()
        .enumerate()
        .filter_map(|(k, s)| s.as_ref().map(|s| (k, s)))
    {
        let after = expected_distance(&reversals[k], own_to[k], s.position);
        let term = s.salience * ((package[k] - s.position).abs() - after) / ranges[k];
        gain += term;
        if term > 0.0 && decisive.is_none_or(|(_, best)| term > best) {
            decisive = Some((k, term));
        }
    }
    (gain, decisive.map(|(k, _)| k))
}

/// Where a leader with `stances` takes the issues it controls when it reneges: its fallback, else
/// the status quo; the package's value on the issues it does not control.
fn own_targets(
    stances: &Stances,
    reversals: &[Reversal],
    package: &[f64],
    status_quo: &[f64],
) -> Vec<f64> {
    reversals
        .iter()
        .enumerate()
        .map(|(k, r)| match r {
            Reversal::Own => stances[k]
                .as_ref()
                .and_then(|s| s.fallback)
                .unwrap_or(status_quo[k]),
            Reversal::Answer(_) => package[k],
        })
        .collect()
}

/// A successor ready to be drawn: its central stance and the issues whose position is uncertain.
#[derive(Clone)]
struct SuccessorDraw {
    probability: f64,
    stances: Stances,
    /// (issue, sd, scale min, scale max).
    spreads: Vec<(usize, Normal<f64>, f64, f64)>,
    /// Where it takes each issue it controls when it reneges (the package elsewhere).
    own_to: Vec<f64>,
    /// The form's issue costs of that move.
    directional_cost: f64,
}

/// A change ready to be simulated.
struct Change {
    actor: usize,
    /// Index in the actor's `domestic` list.
    index: usize,
    timing: Timing,
    successors: Vec<SuccessorDraw>,
}

#[derive(Clone, Copy)]
enum Timing {
    /// Years from signing, probability of turnover.
    At(f64, f64),
    /// Rate per year of a Poisson process (infinite when the yearly probability is 1).
    Rate(f64),
}

/// How one history ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct End {
    /// Years from signing.
    pub(crate) years: f64,
    /// The change (index in `Setup::changes`) whose new leader reneged.
    change: u32,
    /// Its successor (index in the change's list).
    successor: u32,
    /// The issue that added most to its gain (`u32::MAX`: none).
    issue: u32,
}

/// Everything a run needs, fixed for the analysis.
struct Setup<'a> {
    changes: Vec<Change>,
    package: &'a [f64],
    ranges: Vec<f64>,
    horizon: f64,
    /// What reneging by each actor leads to, per issue.
    reversals: Vec<Vec<Reversal>>,
    /// Each actor's own cost under the form at signing, and the form's yearly trend.
    own_costs: Vec<f64>,
    cost_trend: f64,
}

impl Setup<'_> {
    /// The reversal cost of `successor` of `actor` deciding `years` after signing.
    fn cost(&self, actor: usize, successor: &SuccessorDraw, years: f64) -> f64 {
        let own = if self.cost_trend == 0.0 {
            self.own_costs[actor]
        } else {
            self.own_costs[actor] * (1.0 + self.cost_trend).powf(years)
        };
        own + successor.directional_cost
    }

    /// Whether a new leader after `change` at `years` reneges, drawing its successor from `rng`:
    /// the successor and the decisive issue when it does.
    fn reneges(&self, change: &Change, years: f64, rng: &mut ChaCha8Rng) -> Option<(u32, u32)> {
        let (index, successor) = pick(&change.successors, rng)?;
        let reversals = &self.reversals[change.actor];
        let cost = self.cost(change.actor, successor, years);
        let judge = |stances: &Stances| {
            let (gain, issue) = gain_and_issue(
                stances,
                self.package,
                reversals,
                &successor.own_to,
                &self.ranges,
            );
            (gain > cost).then(|| (index as u32, issue.map_or(u32::MAX, |k| k as u32)))
        };
        if successor.spreads.is_empty() {
            return judge(&successor.stances);
        }
        let mut stances = successor.stances.clone();
        for (issue, normal, min, max) in &successor.spreads {
            if let Some(stance) = stances[*issue].as_mut() {
                stance.position = normal.sample(rng).clamp(*min, *max);
            }
        }
        judge(&stances)
    }

    /// One history: how the agreement ended, or `None` if it survives.
    fn run(&self, rng: &mut ChaCha8Rng) -> Option<End> {
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
            self.reneges(&self.changes[c], t, rng)
                .map(|(successor, issue)| End {
                    years: t,
                    change: c as u32,
                    successor,
                    issue,
                })
        })
    }
}

/// Draws one successor by its probability (`None` when the list is empty), with its index.
fn pick<'s>(
    successors: &'s [SuccessorDraw],
    rng: &mut ChaCha8Rng,
) -> Option<(usize, &'s SuccessorDraw)> {
    let u: f64 = rng.random();
    let mut total = 0.0;
    for (k, s) in successors.iter().enumerate() {
        total += s.probability;
        if u < total {
            return Some((k, s));
        }
    }
    successors.len().checked_sub(1).map(|k| (k, &successors[k]))
}

/// What reneging by each actor leads to on each issue: its own issues go to its fallback; on
/// the others, each controller (in actor order) answers by reversing to its fallback with its
/// response probability discounted for the delay, the first that does deciding the value.
fn reversals(scenario: &Scenario, package: &[f64], status_quo: &[f64]) -> Vec<Vec<Reversal>> {
    let issues = scenario.issues();
    let actors = scenario.actors();
    (0..actors.len())
        .map(|i| {
            issues
                .iter()
                .enumerate()
                .map(|(k, issue)| {
                    if issue.is_controlled_by(i) {
                        return Reversal::Own;
                    }
                    let mut lottery = Vec::new();
                    let mut none = 1.0;
                    for &j in &issue.controlled_by {
                        let response = actors[j].response;
                        let weight =
                            response.probability * (-RESPONSE_DISCOUNT * response.delay).exp();
                        let fallback = scenario
                            .stance(j, k)
                            .and_then(|s| s.fallback)
                            .unwrap_or(status_quo[k]);
                        lottery.push((none * weight, fallback));
                        none *= 1.0 - weight;
                    }
                    lottery.push((none, package[k]));
                    Reversal::Answer(lottery)
                })
                .collect()
        })
        .collect()
}

/// The analysis's fixed parts and its histories.
pub(crate) struct Simulation<'a> {
    setup: Setup<'a>,
    status_quo: Vec<f64>,
    pub(crate) outcomes: Vec<Option<End>>,
}

/// Prepares the changes and runs the histories.
pub(crate) fn simulate<'a>(
    scenario: &Scenario,
    package: &'a [f64],
    form: &AgreementForm,
    params: &DurabilityParams,
) -> Result<Simulation<'a>, DurabilityError> {
    check(scenario, package, params)?;
    let issues = scenario.issues();
    let status_quo: Vec<f64> = issues
        .iter()
        .map(|i| i.status_quo.expect("checked"))
        .collect();
    let ranges: Vec<f64> = issues.iter().map(|i| i.scale.range()).collect();
    let actors = scenario.actors();
    let reversals = reversals(scenario, package, &status_quo);
    let base = |a: usize| -> Stances {
        (0..issues.len())
            .map(|k| scenario.stance(a, k).cloned())
            .collect()
    };

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
                            (Some(old), p, sal) => {
                                let mut new = Stance::new(
                                    p.unwrap_or(old.position),
                                    sal.unwrap_or(old.salience),
                                );
                                new.fallback = delta.fallback.or(old.fallback);
                                Some(new)
                            }
                            (None, Some(p), Some(sal)) => {
                                let mut new = Stance::new(p, sal);
                                new.fallback = delta.fallback;
                                Some(new)
                            }
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
                    let own_to = own_targets(&stances, &reversals[a], package, &status_quo);
                    SuccessorDraw {
                        probability: s.probability,
                        directional_cost: form.directional_cost(package, &own_to, &ranges),
                        stances,
                        spreads,
                        own_to,
                    }
                })
                .collect();
            changes.push(Change {
                actor: a,
                index,
                timing,
                successors,
            });
        }
    }
    let setup = Setup {
        changes,
        package,
        ranges,
        horizon: params.years,
        reversals,
        own_costs: (0..actors.len()).map(|a| form.own_cost(a)).collect(),
        cost_trend: form.cost_trend,
    };
    let outcomes: Vec<Option<End>> = (0..params.runs)
        .into_par_iter()
        .map(|r| {
            let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
            rng.set_stream(r as u64);
            setup.run(&mut rng)
        })
        .collect();
    Ok(Simulation {
        setup,
        status_quo,
        outcomes,
    })
}

/// Runs the analysis of `package` (one value per issue) under `form`.
pub fn analyse(
    scenario: &Scenario,
    package: &[f64],
    form: &AgreementForm,
    params: &DurabilityParams,
) -> Result<Durability, DurabilityError> {
    let Simulation {
        setup,
        status_quo,
        outcomes,
    } = simulate(scenario, package, form, params)?;
    let issues = scenario.issues();
    let actors = scenario.actors();
    let runs = params.runs as f64;
    let mut ends: Vec<f64> = outcomes.iter().flatten().map(|e| e.years).collect();
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

    // Per actor: the times of its endings and how often each issue decided them.
    let mut by_actor: Vec<(Vec<f64>, Vec<usize>)> =
        vec![(Vec::new(), vec![0; issues.len()]); actors.len()];
    // Per change and successor: how many runs it ended.
    let mut by_successor: Vec<Vec<usize>> = setup
        .changes
        .iter()
        .map(|c| vec![0; c.successors.len()])
        .collect();
    for end in outcomes.iter().flatten() {
        let change = &setup.changes[end.change as usize];
        let (times, counts) = &mut by_actor[change.actor];
        times.push(end.years);
        if let Some(n) = counts.get_mut(end.issue as usize) {
            *n += 1;
        }
        by_successor[end.change as usize][end.successor as usize] += 1;
    }
    let first_defectors = by_actor
        .iter()
        .enumerate()
        .filter(|(_, (times, _))| !times.is_empty())
        .map(|(a, (times, counts))| FirstDefector {
            actor: actors[a].id.clone(),
            share: times.len() as f64 / runs,
            mean_years: times.iter().sum::<f64>() / times.len() as f64,
            issues: counts
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(|(k, &n)| IssueShare {
                    issue: issues[k].id.clone(),
                    share: n as f64 / runs,
                })
                .collect(),
        })
        .collect();

    let verdicts = change_verdicts(scenario, &setup, params);
    let mut elections: Vec<ElectionSurvival> = verdicts
        .iter()
        .zip(&by_successor)
        .filter_map(|(v, counts)| {
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
                walk_away: v
                    .successors
                    .iter()
                    .zip(counts)
                    .filter(|(_, &n)| n > 0)
                    .map(|(s, &n)| SuccessorShare {
                        successor: s.label.clone(),
                        share: n as f64 / runs,
                    })
                    .collect(),
            })
        })
        .collect();
    elections.sort_by(|a, b| a.at_years.total_cmp(&b.at_years));

    let incumbents = (0..actors.len())
        .map(|a| {
            let stances: Stances = (0..issues.len())
                .map(|k| scenario.stance(a, k).cloned())
                .collect();
            let reversals = &setup.reversals[a];
            let own_to = own_targets(&stances, reversals, package, &status_quo);
            let (gain, _) = gain_and_issue(&stances, package, reversals, &own_to, &setup.ranges);
            Incumbent {
                actor: actors[a].id.clone(),
                gain_from_reneging: gain,
                cost: setup.own_costs[a] + form.directional_cost(package, &own_to, &setup.ranges),
            }
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

/// What each change's successors would do, for the report: judged on the change's date when it
/// is scheduled, at signing for a hazard.
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
            let when = at_years.unwrap_or(0.0);
            let successors: Vec<SuccessorVerdict> = change
                .successors
                .iter()
                .zip(&prepared.successors)
                .map(|(s, draw)| {
                    let (gain, issue) = gain_and_issue(
                        &draw.stances,
                        setup.package,
                        &setup.reversals[prepared.actor],
                        &draw.own_to,
                        &setup.ranges,
                    );
                    let cost = setup.cost(prepared.actor, draw, when);
                    let p_renege = if draw.spreads.is_empty() {
                        f64::from(u8::from(gain > cost))
                    } else {
                        estimate_renege(setup, prepared, draw, when, params.seed)
                    };
                    SuccessorVerdict {
                        label: s.label.clone(),
                        probability: s.probability,
                        gain_from_reneging: gain,
                        cost,
                        p_renege,
                        decisive_issue: issue.map(|k| scenario.issues()[k].id.clone()),
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
fn estimate_renege(
    setup: &Setup<'_>,
    change: &Change,
    draw: &SuccessorDraw,
    years: f64,
    seed: u64,
) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Runs use streams 0..runs; this estimate uses the last stream, which no run reaches.
    rng.set_stream(u64::MAX);
    let lone = Change {
        successors: vec![SuccessorDraw {
            probability: 1.0,
            ..draw.clone()
        }],
        ..*change
    };
    let hits = (0..VERDICT_DRAWS)
        .filter(|_| setup.reneges(&lone, years, &mut rng).is_some())
        .count();
    hits as f64 / VERDICT_DRAWS as f64
}
