//! How sure a forecast is: seeded Monte Carlo over a scenario's uncertain inputs, the spread of
//! every model's forecast per issue, and which inputs move it most (Sobol indices).
//!
//! Uncertain inputs are the positions, saliences and capabilities given as distributions, plus,
//! when the scenario (or the caller) sets a relative uncertainty r, every other one of them:
//! positions ~ N(p, (r R)^2) with R the issue's range, saliences ~ N(s, (r s)^2), capabilities
//! ~ N(c, (r c)^2). Normal draws are truncated to the value's range by redrawing (at most
//! [`MAX_REDRAWS`] times, then the central value is kept); a position inside the actor's own red
//! line is redrawn likewise.
//!
//! Run `r` of seed `s` draws from ChaCha8 stream `r` of `s`, so results are the same for any
//! number of threads. Sensitivity uses the Saltelli design (matrices A and B of independent draws,
//! and A with column i from B) with Saltelli's (2010) first-order estimator
//! S_i = mean((f(B) - m) (f(AB_i) - f(A))) / V (m the mean of f, subtracted to cut the
//! estimator's variance) and Jansen's (1999) total-effect estimator
//! ST_i = mean((f(A) - f(AB_i))^2) / (2 V), V the variance of f over A and B. Each index gets a
//! percentile bootstrap interval (the base rows resampled with replacement), and estimates that
//! contradict each other (S_i > ST_i, S_i < 0, ST_i > 1) are flagged as noise.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution as _, Normal, Triangular, Uniform};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::models::Model;
use crate::scenario::{Distribution, Scenario, ValueRef};

pub mod streaming;
pub use streaming::{Summariser, EXACT_VALUES, FINE_BINS};

/// Redraws allowed before a truncated draw falls back to the central value.
pub const MAX_REDRAWS: usize = 100;

/// One uncertain number of the scenario and where it is drawn from.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertainInput {
    /// Which number.
    pub value: ValueRef,
    /// Where it is drawn from.
    pub distribution: Distribution,
    /// Readable name: `US.nuclear_status.position`, `DPRK.capability`.
    pub label: String,
}

impl UncertainInput {
    /// One draw, set into `scenario` (redrawn while out of range or refused).
    fn draw_into(&self, scenario: &mut Scenario, rng: &mut ChaCha8Rng) {
        let (lo, hi) = valid_range(scenario, self.value);
        for _ in 0..MAX_REDRAWS {
            let v = draw(&self.distribution, rng);
            if v >= lo && v <= hi && scenario.set_value(self.value, v) {
                return;
            }
        }
        scenario.set_value(self.value, self.distribution.central());
    }
}

/// The range a value must stay in.
fn valid_range(scenario: &Scenario, r: ValueRef) -> (f64, f64) {
    match r {
        ValueRef::Position { issue, .. } => {
            let scale = scenario.issues()[issue].scale;
            (scale.min, scale.max)
        }
        ValueRef::Salience { .. } => (0.0, 1.0),
        ValueRef::Capability { .. } => (
            crate::scenario::MIN_CAPABILITY,
            crate::scenario::MAX_MAGNITUDE,
        ),
    }
}

/// One draw of `distribution` (not truncated).
pub(crate) fn draw(distribution: &Distribution, rng: &mut ChaCha8Rng) -> f64 {
    match *distribution {
        Distribution::Normal { mean, sd } if sd > 0.0 => {
            Normal::new(mean, sd).expect("sd > 0").sample(rng)
        }
        Distribution::Normal { mean, .. } => mean,
        Distribution::Uniform { min, max } => {
            Uniform::new(min, max).expect("min < max").sample(rng)
        }
        Distribution::Triangular { min, mode, max } => Triangular::new(min, max, mode)
            .expect("min <= mode <= max")
            .sample(rng),
    }
}

/// The scenario's uncertain inputs, in actor order (capability, then per issue position and
/// salience); `relative` overrides the scenario's own relative uncertainty.
pub fn uncertain_inputs(scenario: &Scenario, relative: Option<f64>) -> Vec<UncertainInput> {
    let relative = relative.or(scenario.meta().uncertainty).unwrap_or(0.0);
    let implicit = |central: f64, sd: f64| {
        (relative > 0.0 && sd > 0.0).then_some(Distribution::Normal { mean: central, sd })
    };
    let mut inputs = Vec::new();
    for (a, actor) in scenario.actors().iter().enumerate() {
        let capability = actor
            .capability_uncertainty
            .or_else(|| implicit(actor.capability, relative * actor.capability));
        if let Some(distribution) = capability {
            inputs.push(UncertainInput {
                value: ValueRef::Capability { actor: a },
                distribution,
                label: format!("{}.capability", actor.id),
            });
        }
        for (i, issue) in scenario.issues().iter().enumerate() {
            let Some(stance) = scenario.stance(a, i) else {
                continue;
            };
            let position = stance
                .position_uncertainty
                .or_else(|| implicit(stance.position, relative * issue.scale.range()));
            if let Some(distribution) = position {
                inputs.push(UncertainInput {
                    value: ValueRef::Position { actor: a, issue: i },
                    distribution,
                    label: format!("{}.{}.position", actor.id, issue.id),
                });
            }
            let salience = stance
                .salience_uncertainty
                .or_else(|| implicit(stance.salience, relative * stance.salience));
            if let Some(distribution) = salience {
                inputs.push(UncertainInput {
                    value: ValueRef::Salience { actor: a, issue: i },
                    distribution,
                    label: format!("{}.{}.salience", actor.id, issue.id),
                });
            }
        }
    }
    inputs
}

/// The first input whose distribution cannot be drawn from in floating point: a mean or standard
/// deviation that is not finite, or a range whose width overflows (a scale of -1e308..1e308,
/// say). A sweep refuses such inputs rather than draw from them.
pub fn undrawable(inputs: &[UncertainInput]) -> Option<&UncertainInput> {
    inputs.iter().find(|i| match i.distribution {
        Distribution::Normal { mean, sd } => !(mean.is_finite() && sd.is_finite()),
        Distribution::Uniform { min, max } | Distribution::Triangular { min, max, .. } => {
            !(max - min).is_finite()
        }
    })
}

/// The random stream of run `run` of `seed`.
fn stream(seed: u64, run: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    rng
}

/// Quantiles reported for every spread.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];
/// Bins of every histogram, over the issue's scale.
pub const BINS: usize = 10;

/// The fewest draws with a value whose spread is given as a distribution (standard deviation
/// and quantiles). With fewer, a 5% or 95% quantile is an interpolation between a handful of
/// values, not a property of the forecast: only the count and the mean are given, and the
/// outputs say why ("a value in 8 of 2,000 draws: too few for a spread").
pub const MIN_DRAWS: usize = 30;

/// The spread of one model's forecast on one issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Spread {
    /// The issue's id.
    pub issue: String,
    /// Draws made (with a value or not).
    #[serde(default)]
    pub runs: usize,
    /// Runs in which the model gave a value.
    pub runs_with_value: usize,
    /// Whether fewer than [`MIN_DRAWS`] draws gave a value, so that `sd` and `quantiles` are
    /// left out: too few values for a distribution.
    #[serde(default)]
    pub too_few: bool,
    /// Mean of those values (`None` if there are none).
    pub mean: Option<f64>,
    /// Standard deviation of those values (`None` with fewer than [`MIN_DRAWS`]).
    pub sd: Option<f64>,
    /// The 5, 25, 50, 75 and 95% quantiles (linear interpolation between order statistics;
    /// `None` with fewer than [`MIN_DRAWS`] values).
    pub quantiles: Option<[f64; 5]>,
    /// `None` when the quantiles are exact; otherwise the most they can be off by: the width of
    /// the fine histogram they were read from, once the sweep had more draws than it keeps
    /// ([`streaming`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantile_resolution: Option<f64>,
    /// Counts in [`BINS`] equal bins over the issue's scale (the last bin includes the max).
    pub histogram: Vec<usize>,
}

/// One model's spreads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ModelSpread {
    /// The model's id.
    pub model: String,
    /// Per issue.
    pub issues: Vec<Spread>,
}

/// A sweep's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SweepResult {
    /// Runs made.
    pub runs: usize,
    /// The seed.
    pub seed: u64,
    /// Labels of the inputs drawn.
    pub inputs: Vec<String>,
    /// Per model.
    pub models: Vec<ModelSpread>,
}

/// Linear-interpolation quantile of sorted values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

impl Spread {
    /// Why there is no distribution, in words, when there is none: "a value in 8 of 2,000
    /// draws: too few for a spread" (`None` when there is one).
    pub fn too_few_reason(&self) -> Option<String> {
        let n = self.runs_with_value;
        if n >= MIN_DRAWS && !self.too_few {
            return None;
        }
        let of = crate::text::count(self.runs.max(n));
        Some(match n {
            0 => format!("no value in any of {of} draws"),
            1 => {
                format!("a value in 1 of {of} draws: too few for a spread (fewer than {MIN_DRAWS})")
            }
            n => format!(
                "a value in {} of {of} draws: too few for a spread (fewer than {MIN_DRAWS})",
                crate::text::count(n)
            ),
        })
    }
}

fn spread(scenario: &Scenario, issue: usize, runs: usize, mut values: Vec<f64>) -> Spread {
    let scale = scenario.issues()[issue].scale;
    let mut histogram = vec![0; BINS];
    for &v in &values {
        let bin = ((v - scale.min) / scale.range() * BINS as f64).floor() as usize;
        histogram[bin.min(BINS - 1)] += 1;
    }
    let n = values.len();
    let (mean, sd, quantiles) = if n == 0 {
        (None, None, None)
    } else {
        // Shifted by the first value: equal values give exactly that value and sd 0, and large
        // means lose less to rounding.
        let shift = values[0];
        let mean = shift + values.iter().map(|v| v - shift).sum::<f64>() / n as f64;
        let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
        values.sort_by(f64::total_cmp);
        if n < MIN_DRAWS {
            (Some(mean), None, None)
        } else {
            (
                Some(mean),
                Some(var.sqrt()),
                Some(QUANTILES.map(|q| quantile(&values, q))),
            )
        }
    };
    Spread {
        issue: scenario.issues()[issue].id.clone(),
        runs,
        runs_with_value: n,
        too_few: n < MIN_DRAWS,
        mean,
        sd,
        quantiles,
        quantile_resolution: None,
        histogram,
    }
}

/// The raw forecasts of draws `runs` (a range of draw indices): per draw, per model, per issue,
/// NaN where a model gives no value. Draw r is the same whatever range it is computed in, so a
/// sweep can be computed in pieces (and resumed) with the same result.
pub fn sweep_outcomes(
    scenario: &Scenario,
    inputs: &[UncertainInput],
    models: &[Box<dyn Model>],
    runs: std::ops::Range<usize>,
    seed: u64,
) -> Vec<Vec<Vec<f64>>> {
    let lean = scenario.lean();
    runs.into_par_iter()
        .map(|r| {
            let mut rng = stream(seed, r as u64);
            let mut sample = lean.clone();
            for input in inputs {
                input.draw_into(&mut sample, &mut rng);
            }
            models
                .iter()
                .map(|m| {
                    m.forecast(&sample)
                        .issues
                        .iter()
                        .map(|f| f.value.unwrap_or(f64::NAN))
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// The spreads of raw forecasts (`outcomes[draw][model][issue]`, all draws in order).
pub fn summarise(
    scenario: &Scenario,
    inputs: &[UncertainInput],
    model_ids: &[&str],
    outcomes: &[Vec<Vec<f64>>],
    seed: u64,
) -> SweepResult {
    let mut summariser = Summariser::new(scenario, model_ids);
    summariser.add(outcomes);
    summariser.finish(scenario, inputs, seed)
}

/// Draws computed at a time by [`sweep`] before they are summarised and dropped.
pub const SWEEP_CHUNK: usize = 10_000;

/// Runs every model on `runs` draws of the uncertain inputs, in chunks of [`SWEEP_CHUNK`]
/// draws: memory stays bounded however many runs are asked for.
pub fn sweep(
    scenario: &Scenario,
    inputs: &[UncertainInput],
    models: &[Box<dyn Model>],
    runs: usize,
    seed: u64,
) -> SweepResult {
    let ids: Vec<&str> = models.iter().map(|m| m.id()).collect();
    let mut summariser = Summariser::new(scenario, &ids);
    for start in (0..runs).step_by(SWEEP_CHUNK) {
        let range = start..(start + SWEEP_CHUNK).min(runs);
        summariser.add(&sweep_outcomes(scenario, inputs, models, range, seed));
    }
    summariser.finish(scenario, inputs, seed)
}

/// How often, over the draws, every actor can agree (6-0), and how often each actor is a
/// holdout: left out of an all-but-one coalition that can agree when unanimity fails.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CoalitionSpread {
    /// Draws made.
    pub runs: usize,
    /// Draws with a package every actor prefers to the status quo.
    pub unanimous: usize,
    /// Draws with neither unanimity nor an all-but-one coalition.
    pub no_n_minus_1: usize,
    /// Per actor (scenario order): (id, draws in which it is a holdout).
    pub holdouts: Vec<(String, usize)>,
}

/// Repeats the unanimity question of `crate::coalitions` on `runs` draws (linear losses).
pub fn coalition_sweep(
    scenario: &Scenario,
    inputs: &[UncertainInput],
    runs: usize,
    seed: u64,
) -> Result<CoalitionSpread, crate::coalitions::CoalitionError> {
    let lean = scenario.lean();
    let actors = scenario.actors().len();
    // Counted as drawn (integer sums, so in any order): memory does not grow with the runs.
    let zero = || (0usize, 0usize, vec![0usize; actors]);
    let (unanimous, no_n_minus_1, counts) = (0..runs)
        .into_par_iter()
        .map(|r| {
            let mut rng = stream(seed, r as u64);
            let mut sample = lean.clone();
            for input in inputs {
                input.draw_into(&mut sample, &mut rng);
            }
            crate::coalitions::unanimity(&sample, crate::coalitions::Shape::Linear)
        })
        .try_fold(zero, |mut acc, draw| {
            let (all, outside) = draw?;
            acc.0 += usize::from(all);
            acc.1 += usize::from(!all && outside.is_empty());
            for h in outside {
                acc.2[h] += 1;
            }
            Ok(acc)
        })
        .try_reduce(zero, |mut a, b| {
            a.0 += b.0;
            a.1 += b.1;
            for (x, y) in a.2.iter_mut().zip(b.2) {
                *x += y;
            }
            Ok(a)
        })?;
    Ok(CoalitionSpread {
        runs,
        unanimous,
        no_n_minus_1,
        holdouts: scenario
            .actors()
            .iter()
            .zip(counts)
            .map(|(a, n)| (a.id.clone(), n))
            .collect(),
    })
}

/// The spread over the draws of an agreement's chance to survive the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DurabilitySpread {
    /// The form's id.
    pub form: String,
    /// Draws made.
    pub runs: usize,
    /// Histories simulated per draw.
    pub histories: usize,
    /// Mean over the draws of P(survives the horizon).
    pub mean: f64,
    /// Its 5, 25, 50, 75 and 95% quantiles over the draws.
    pub quantiles: [f64; 5],
}

/// Repeats the durability analysis of `package` under `form` on `runs` draws of the inputs
/// (each with `params.runs` histories from its own seed), to show how much the chance of
/// survival depends on the uncertain positions and saliences.
pub fn durability_sweep(
    scenario: &Scenario,
    inputs: &[UncertainInput],
    package: &[f64],
    form: &crate::scenario::AgreementForm,
    params: &crate::durability::DurabilityParams,
    runs: usize,
    seed: u64,
) -> Result<DurabilitySpread, crate::durability::DurabilityError> {
    let mut survival: Vec<f64> = (0..runs)
        .into_par_iter()
        .map(|r| {
            let mut rng = stream(seed, r as u64);
            // Leadership changes and forms are needed here, so the full scenario is copied.
            let mut sample = scenario.clone();
            for input in inputs {
                input.draw_into(&mut sample, &mut rng);
            }
            let mut p = *params;
            p.seed = seed ^ (r as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            crate::durability::analyse(&sample, package, form, &p).map(|d| d.survives_horizon)
        })
        .collect::<Result<_, _>>()?;
    let mean = survival.iter().sum::<f64>() / runs.max(1) as f64;
    survival.sort_by(f64::total_cmp);
    Ok(DurabilitySpread {
        form: form.id.clone(),
        runs,
        histories: params.runs,
        mean,
        quantiles: QUANTILES.map(|q| quantile(&survival, q)),
    })
}

/// Bootstrap replicates behind every Sobol interval.
pub const BOOTSTRAP_REPLICATES: usize = 200;
/// The level of every Sobol interval (percentile bootstrap).
pub const INTERVAL_LEVEL: f64 = 0.95;
/// Contradictions of this size or smaller (a step of the tables' last decimal) are not flagged.
pub const CONTRADICTION_TOLERANCE: f64 = 0.01;
/// Where the bootstrap's random streams start, far above the base rows' streams (0..n).
const BOOTSTRAP_STREAMS: u64 = 1 << 62;

/// A pair of Sobol estimates that cannot both be right: each says the estimates are noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Contradiction {
    /// S_i > ST_i, while an input alone cannot cause more than it causes with its interactions.
    FirstOrderAboveTotal,
    /// S_i < 0, while a share of a variance is not negative.
    NegativeFirstOrder,
    /// ST_i > 1, while a share of a variance is at most all of it.
    TotalAboveOne,
}

impl Contradiction {
    /// In words, for tables and charts.
    pub fn describe(self) -> &'static str {
        match self {
            Contradiction::FirstOrderAboveTotal => "first order above total",
            Contradiction::NegativeFirstOrder => "negative first order",
            Contradiction::TotalAboveOne => "total above 1",
        }
    }

    /// In symbols, for narrow tables: `S > ST`, `S < 0`, `ST > 1`.
    pub fn symbol(self) -> &'static str {
        match self {
            Contradiction::FirstOrderAboveTotal => "S > ST",
            Contradiction::NegativeFirstOrder => "S < 0",
            Contradiction::TotalAboveOne => "ST > 1",
        }
    }
}

/// One input's Sobol indices for one output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InputIndex {
    /// The input's label.
    pub input: String,
    /// First-order index S_i: the share of the output's variance due to this input alone.
    pub first_order: f64,
    /// Total-effect index ST_i: the share due to this input with all its interactions.
    pub total: f64,
    /// The [`INTERVAL_LEVEL`] bootstrap interval of `first_order` (`null` in sweeps stored
    /// before intervals were computed).
    #[serde(default)]
    pub first_order_interval: Option<[f64; 2]>,
    /// The [`INTERVAL_LEVEL`] bootstrap interval of `total`.
    #[serde(default)]
    pub total_interval: Option<[f64; 2]>,
    /// The ways the two estimates contradict each other (empty when they do not): such
    /// estimates are noise, not findings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub noise: Vec<Contradiction>,
    /// An estimate of the base rows after which the intervals would be narrower than the
    /// contradiction (widths scale as 1/sqrt(n)): by then it has gone, or it is more than
    /// noise. `null` when there is no contradiction, or when it already lies beyond the
    /// intervals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settle_base_rows: Option<usize>,
}

impl InputIndex {
    /// The indices of `input` from their estimates and bootstrap intervals, with their
    /// contradictions and the base rows that would settle them, from `n` base rows.
    fn new(input: &str, estimate: SobolEstimate, n: usize) -> Self {
        let SobolEstimate {
            first_order,
            total,
            first_order_interval,
            total_interval,
        } = estimate;
        let half = |i: [f64; 2]| (i[1] - i[0]) / 2.0;
        let (w_first, w_total) = (half(first_order_interval), half(total_interval));
        // Each contradiction with its size and the interval half-width it must exceed.
        let checks = [
            (
                Contradiction::FirstOrderAboveTotal,
                first_order - total,
                w_first + w_total,
            ),
            (Contradiction::NegativeFirstOrder, -first_order, w_first),
            (Contradiction::TotalAboveOne, total - 1.0, w_total),
        ];
        let found: Vec<(Contradiction, f64, f64)> = checks
            .into_iter()
            .filter(|(_, size, _)| *size > CONTRADICTION_TOLERANCE)
            .collect();
        // Widths scale as 1/sqrt(n): a width w at n rows is `size` at n (w / size)^2 rows.
        let settle = found
            .iter()
            .map(|(_, size, width)| (n as f64 * (width / size).powi(2)).ceil())
            .fold(0.0f64, f64::max);
        Self {
            input: input.to_owned(),
            first_order,
            total,
            first_order_interval: Some(first_order_interval),
            total_interval: Some(total_interval),
            noise: found.iter().map(|f| f.0).collect(),
            settle_base_rows: (settle > n as f64).then_some(settle as usize),
        }
    }
}

/// One input's Sobol estimates for one output, with their bootstrap intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolEstimate {
    /// S_i.
    pub first_order: f64,
    /// ST_i.
    pub total: f64,
    /// S_i's [`INTERVAL_LEVEL`] interval.
    pub first_order_interval: [f64; 2],
    /// ST_i's [`INTERVAL_LEVEL`] interval.
    pub total_interval: [f64; 2],
}

/// One output's (S_i, ST_i) of every input, `None` where the output does not vary.
type Estimates = Option<Vec<(f64, f64)>>;

/// Per base row: f(A), f(B), and f(AB_i) for every i.
type SaltelliRow = (Vec<f64>, Vec<f64>, Vec<Vec<f64>>);

/// The model runs of `n` base rows of the Saltelli design.
fn saltelli_rows<F>(
    d: usize,
    n: usize,
    seed: u64,
    draw: impl Fn(&mut ChaCha8Rng) -> Vec<f64> + Sync,
    f: F,
) -> Vec<SaltelliRow>
where
    F: Fn(&[f64]) -> Vec<f64> + Sync,
{
    (0..n)
        .into_par_iter()
        .map(|r| {
            let mut rng = stream(seed, r as u64);
            let a = draw(&mut rng);
            let b = draw(&mut rng);
            let ab: Vec<Vec<f64>> = (0..d)
                .map(|i| {
                    let mut row = a.clone();
                    row[i] = b[i];
                    f(&row)
                })
                .collect();
            (f(&a), f(&b), ab)
        })
        .collect()
}

/// S_i and ST_i of every input for output `o`, over the base rows `picks` (indices into `rows`,
/// repeats allowed: the bootstrap's resamples); `None` when the output does not vary over them.
fn estimate(rows: &[SaltelliRow], picks: &[usize], o: usize, d: usize) -> Estimates {
    let n = picks.len() as f64;
    let values = || picks.iter().flat_map(|&r| [rows[r].0[o], rows[r].1[o]]);
    let mean = values().sum::<f64>() / (2.0 * n);
    let var = values().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (2.0 * n);
    // A variance that is not above rounding (or is NaN) means the output does not vary.
    let varies = var > 1e-12 * mean.abs().max(1.0).powi(2);
    if !varies {
        return None;
    }
    Some(
        (0..d)
            .map(|i| {
                let (mut first, mut total) = (0.0, 0.0);
                for &r in picks {
                    let (fa, fb, ab) = &rows[r];
                    // Centring f(B) leaves the estimate unbiased (f(AB_i) - f(A) has mean 0)
                    // and removes the variance a large mean would add.
                    first += (fb[o] - mean) * (ab[i][o] - fa[o]);
                    total += (fa[o] - ab[i][o]).powi(2);
                }
                (first / n / var, total / (2.0 * n) / var)
            })
            .collect(),
    )
}

/// Sobol indices of every input for every output, from `n` base rows: `draw` fills one row of
/// inputs from a random stream, `f` maps a row to the outputs. Returns, per output, the indices
/// in input order and the output's variance (`None` where it does not vary).
pub fn sobol_indices<F>(
    d: usize,
    n: usize,
    seed: u64,
    draw: impl Fn(&mut ChaCha8Rng) -> Vec<f64> + Sync,
    f: F,
) -> Vec<Estimates>
where
    F: Fn(&[f64]) -> Vec<f64> + Sync,
{
    let rows = saltelli_rows(d, n, seed, draw, f);
    let all: Vec<usize> = (0..rows.len()).collect();
    let outputs = rows.first().map_or(0, |r| r.0.len());
    (0..outputs).map(|o| estimate(&rows, &all, o, d)).collect()
}

/// [`sobol_indices`] with a bootstrap interval on every index: [`BOOTSTRAP_REPLICATES`]
/// resamples of the base rows (with replacement), each from its own ChaCha8 stream of `seed`,
/// and the [`INTERVAL_LEVEL`] percentile interval of the estimates over them. The same seed
/// gives the same intervals on any number of threads.
pub fn sobol_with_intervals<F>(
    d: usize,
    n: usize,
    seed: u64,
    draw: impl Fn(&mut ChaCha8Rng) -> Vec<f64> + Sync,
    f: F,
) -> Vec<Option<Vec<SobolEstimate>>>
where
    F: Fn(&[f64]) -> Vec<f64> + Sync,
{
    let rows = saltelli_rows(d, n, seed, draw, f);
    let all: Vec<usize> = (0..rows.len()).collect();
    let outputs = rows.first().map_or(0, |r| r.0.len());
    // Per replicate, per output: the estimates over one resample.
    let replicates: Vec<Vec<Estimates>> = (0..BOOTSTRAP_REPLICATES as u64)
        .into_par_iter()
        .map(|b| {
            let mut rng = stream(seed, BOOTSTRAP_STREAMS + b);
            let picks: Vec<usize> = (0..rows.len())
                .map(|_| rng.random_range(0..rows.len()))
                .collect();
            (0..outputs)
                .map(|o| estimate(&rows, &picks, o, d))
                .collect()
        })
        .collect();
    let tail = (1.0 - INTERVAL_LEVEL) / 2.0;
    let interval = |mut values: Vec<f64>| -> [f64; 2] {
        values.retain(|v| v.is_finite());
        if values.is_empty() {
            return [f64::NAN, f64::NAN];
        }
        values.sort_by(f64::total_cmp);
        [quantile(&values, tail), quantile(&values, 1.0 - tail)]
    };
    (0..outputs)
        .map(|o| {
            let point = estimate(&rows, &all, o, d)?;
            Some(
                point
                    .into_iter()
                    .enumerate()
                    .map(|(i, (first_order, total))| {
                        // A resample over which the output does not vary gives no estimate.
                        let resampled = || {
                            replicates
                                .iter()
                                .filter_map(move |r| r[o].as_ref().map(|v| v[i]))
                        };
                        SobolEstimate {
                            first_order,
                            total,
                            first_order_interval: interval(resampled().map(|v| v.0).collect()),
                            total_interval: interval(resampled().map(|v| v.1).collect()),
                        }
                    })
                    .collect(),
            )
        })
        .collect()
}

/// Per issue, which uncertain inputs move `model`'s forecast most: Sobol indices from `n` base
/// rows ((inputs + 2) x n model runs), with their bootstrap intervals and contradictions, inputs
/// sorted by total effect, largest first. An issue whose forecast does not vary (or has no value
/// in some run) gets `None`.
pub fn sensitivity(
    scenario: &Scenario,
    inputs: &[UncertainInput],
    model: &dyn Model,
    n: usize,
    seed: u64,
) -> Vec<(String, Option<Vec<InputIndex>>)> {
    let lean = scenario.lean();
    let draw = |rng: &mut ChaCha8Rng| {
        let mut sample = lean.clone();
        inputs
            .iter()
            .map(|input| {
                input.draw_into(&mut sample, rng);
                sample.value(input.value).expect("drawn inputs exist")
            })
            .collect()
    };
    let f = |row: &[f64]| {
        let mut sample = lean.clone();
        for (input, &v) in inputs.iter().zip(row) {
            sample.set_value(input.value, v);
        }
        model
            .forecast(&sample)
            .issues
            .iter()
            .map(|f| f.value.unwrap_or(f64::NAN))
            .collect()
    };
    let indices = sobol_with_intervals(inputs.len(), n, seed, draw, f);
    scenario
        .issues()
        .iter()
        .zip(indices)
        .map(|(issue, per_input)| {
            let ranked = per_input
                .filter(|v| {
                    v.iter()
                        .all(|e| e.first_order.is_finite() && e.total.is_finite())
                })
                .map(|v| {
                    let mut ranked: Vec<InputIndex> = inputs
                        .iter()
                        .zip(v)
                        .map(|(input, estimate)| InputIndex::new(&input.label, estimate, n))
                        .collect();
                    ranked.sort_by(|a, b| b.total.total_cmp(&a.total));
                    ranked
                });
            (issue.id.clone(), ranked)
        })
        .collect()
}

/// Draws used by tests of the estimator: `d` inputs uniform on (lo, hi).
pub fn uniform_row(d: usize, lo: f64, hi: f64) -> impl Fn(&mut ChaCha8Rng) -> Vec<f64> + Sync {
    move |rng: &mut ChaCha8Rng| (0..d).map(|_| rng.random_range(lo..hi)).collect()
}
