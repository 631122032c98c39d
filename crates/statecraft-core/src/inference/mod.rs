//! "What do they want?": the positions and saliences that the actors' record of accepted and
//! refused packages and declared positions implies, with honest uncertainty, and what that says
//! about a new package. See `docs/models/inference.md`.
//!
//! The scenario's uncertain values are the priors (as `sweep` draws them); each answer to a
//! decision is a random-utility choice on the coalitions package utility,
//! P(accept) = lapse / 2 + (1 - lapse) L((g - m) / noise) (L the logistic function, g the gain
//! over the status quo of the day, m the reservation margin; a red line crossed leaves only the
//! lapse); each statement is a normal measurement of the position. Several chains of
//! random-walk Metropolis within Gibbs sample the posterior; split R-hat and the effective sample
//! size say whether they agree, and a result that has not converged says so.

mod diagnostics;
mod model;
mod sampler;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use crate::coalitions::Shape;
use crate::scenario::{Distribution, Scenario, ScenarioErrors, ScenarioParts, ValueRef};

pub use diagnostics::rhat_ess;
use model::Posterior;
use sampler::Chain;

/// How many observations are listed as having moved each unknown most.
const TOP_INFLUENCES: usize = 3;
/// Shifts smaller than this (in prior standard deviations) are not listed: they are within the
/// importance-sampling estimate's noise.
const MIN_SHIFT: f64 = 0.05;

/// The settings of an inference. There is no `Default`: [`InferConfig::standard`] gives the
/// documented defaults for a seed.
#[derive(Debug, Clone, PartialEq)]
pub struct InferConfig {
    /// The loss shape of the package utility.
    pub shape: Shape,
    /// The scale of the random utility's logistic noise, in utility units (a full swing of a
    /// scale on an issue of salience 1 is 1).
    pub noise: f64,
    /// The chance that an answer ignores the utility (a coin flip instead), in 0..1.
    pub lapse: f64,
    /// The relative uncertainty of the values without a distribution of their own (overrides
    /// the scenario's `uncertainty`, as in `sweep`).
    pub relative: Option<f64>,
    /// Number of chains (at least 2).
    pub chains: usize,
    /// Warm-up sweeps per chain (adapting, not kept).
    pub warmup: usize,
    /// Kept sweeps per chain in the first round.
    pub draws: usize,
    /// The most kept sweeps per chain: rounds double the draws until convergence or this.
    pub max_draws: usize,
    /// Seed of the chains' streams.
    pub seed: u64,
    /// Converged means every unknown's split R-hat is below this ...
    pub target_rhat: f64,
    /// ... and its effective sample size at least this.
    pub min_ess: f64,
}

impl InferConfig {
    /// The defaults: linear losses, noise 0.05, lapse 0.02, 4 chains of 1000 warm-up and 1000
    /// kept sweeps, up to 16000 kept, R-hat below 1.01 and ESS at least 400.
    pub fn standard(seed: u64) -> Self {
        Self {
            shape: Shape::Linear,
            noise: 0.05,
            lapse: 0.02,
            relative: None,
            chains: 4,
            warmup: 1000,
            draws: 1000,
            max_draws: 16_000,
            seed,
            target_rhat: 1.01,
            min_ess: 400.0,
        }
    }
}

/// Why an inference cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum InferError {
    /// A setting out of its range.
    #[error("{setting} is {value}; {rule}")]
    BadSetting {
        /// Which setting.
        setting: &'static str,
        /// Its value.
        value: f64,
        /// What is allowed.
        rule: &'static str,
    },
    /// Nothing is uncertain, so there is nothing to infer.
    #[error("no position or salience is uncertain, so there is nothing to infer; give the scenario an `uncertainty` (or distributions), or set a relative uncertainty")]
    NothingUnknown,
    /// The package to predict has the wrong length or leaves a scale.
    #[error(
        "the package to predict has {found} values for {issues} issues, or one is off its scale"
    )]
    BadPackage {
        /// Values given.
        found: usize,
        /// Issues of the scenario.
        issues: usize,
    },
    /// An issue without a status quo, so the package to predict has nothing to beat.
    #[error("issue `{issue}` has no status quo to compare the package with")]
    NoStatusQuo {
        /// The issue's id.
        issue: String,
    },
}

/// A distribution's summary: mean, standard deviation, and the 10%, 50% and 90% quantiles
/// (the 80% interval is q10..q90).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Summary {
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// 10% quantile.
    pub q10: f64,
    /// Median.
    pub q50: f64,
    /// 90% quantile.
    pub q90: f64,
}

impl Summary {
    fn of(values: &mut [f64]) -> Self {
        values.sort_by(f64::total_cmp);
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0).max(1.0);
        let q = |p: f64| {
            let at = p * (n - 1.0);
            let lo = at.floor() as usize;
            let hi = (lo + 1).min(values.len() - 1);
            values[lo] + (at - lo as f64) * (values[hi] - values[lo])
        };
        Summary {
            mean,
            sd: var.sqrt(),
            q10: q(0.1),
            q50: q(0.5),
            q90: q(0.9),
        }
    }

    /// Whether `x` lies in the 80% interval.
    pub fn covers(&self, x: f64) -> bool {
        self.q10 <= x && x <= self.q90
    }
}

/// How far one observation moved an unknown's posterior mean.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Influence {
    /// The observation's index in the scenario (0-based).
    pub observation: usize,
    /// The posterior mean with the observation minus the posterior mean without it, in prior
    /// standard deviations (importance-sampling estimate).
    pub shift: f64,
}

/// The posterior of one unknown next to its prior.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ParameterPosterior {
    /// `DPRK.nuclear_status.position`.
    pub label: String,
    /// The actor's id.
    pub actor: String,
    /// The issue's id.
    pub issue: String,
    /// `position` or `salience`.
    pub quantity: String,
    /// The prior (from draws of it).
    pub prior: Summary,
    /// The posterior.
    pub posterior: Summary,
    /// Split R-hat.
    pub rhat: f64,
    /// Effective sample size.
    pub ess: f64,
    /// Whether any observation bears on it; when none does, the posterior is the prior.
    pub touched: bool,
    /// The observations that bear on it directly and moved it most (by at least 0.05 prior
    /// sd), largest shift first.
    pub influences: Vec<Influence>,
}

/// One actor's chance of a result, before and after the record.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Chance {
    /// The actor's id (or `none`, `two or more`).
    pub actor: String,
    /// Under the prior.
    pub prior: f64,
    /// Under the posterior.
    pub posterior: f64,
}

/// What the posterior says about one package.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Prediction {
    /// The package, one value per issue, compared with the scenario's status quo.
    pub package: Vec<f64>,
    /// Per actor, the chance that it accepts.
    pub accept: Vec<Chance>,
    /// The chance that every actor accepts (6-0).
    pub unanimous: Chance,
    /// Per actor, the chance that it alone refuses (the holdout of a 5-1).
    pub holdout: Vec<Chance>,
    /// The chance that two or more refuse.
    pub several_refuse: Chance,
}

/// The result of an inference.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Inference {
    /// Whether every unknown's R-hat and ESS meet the targets; when false, no number here is a
    /// finding.
    pub converged: bool,
    /// The largest split R-hat.
    pub max_rhat: f64,
    /// The smallest effective sample size.
    pub min_ess: f64,
    /// The unknown with the largest R-hat.
    pub worst: String,
    /// Chains run.
    pub chains: usize,
    /// Warm-up sweeps per chain.
    pub warmup: usize,
    /// Kept sweeps per chain.
    pub draws: usize,
    /// Seed.
    pub seed: u64,
    /// Noise scale of the random utility.
    pub noise: f64,
    /// Lapse rate.
    pub lapse: f64,
    /// The R-hat target.
    pub target_rhat: f64,
    /// The ESS target.
    pub target_ess: f64,
    /// The number of observations used.
    pub n_observations: usize,
    /// Per unknown, in actor then issue order (position before salience).
    pub parameters: Vec<ParameterPosterior>,
    /// The prediction for the package asked about, if any.
    pub prediction: Option<Prediction>,
    /// What the reader should know.
    pub notes: Vec<String>,
}

impl InferError {
    fn setting(setting: &'static str, value: f64, rule: &'static str) -> Self {
        InferError::BadSetting {
            setting,
            value,
            rule,
        }
    }
}

fn check(config: &InferConfig) -> Result<(), InferError> {
    let rules = [
        (
            "noise",
            config.noise,
            config.noise > 0.0 && config.noise.is_finite(),
            "it must be a positive number",
        ),
        (
            "lapse",
            config.lapse,
            (0.0..1.0).contains(&config.lapse),
            "it must lie in 0..1",
        ),
        (
            "chains",
            config.chains as f64,
            config.chains >= 2,
            "R-hat needs at least 2 chains",
        ),
        (
            "draws",
            config.draws as f64,
            config.draws >= 20,
            "each chain needs at least 20 kept draws",
        ),
        (
            "uncertainty",
            config.relative.unwrap_or(0.0),
            config.relative.is_none_or(|r| r.is_finite() && r >= 0.0),
            "it must be a share of 0 or more",
        ),
    ];
    for (setting, value, ok, rule) in rules {
        if !ok {
            return Err(InferError::setting(setting, value, rule));
        }
    }
    Ok(())
}

/// Samples the posterior of `scenario`'s uncertain positions and saliences given its
/// observations, and predicts the answers to `package` (one value per issue) when given.
pub fn infer(
    scenario: &Scenario,
    config: &InferConfig,
    package: Option<&[f64]>,
) -> Result<Inference, InferError> {
    check(config)?;
    let posterior = Posterior::new(scenario, config);
    let n_u = posterior.unknowns.len();
    if n_u == 0 {
        return Err(InferError::NothingUnknown);
    }
    if let Some(package) = package {
        let issues = scenario.issues();
        let on_scales = package.len() == issues.len()
            && package
                .iter()
                .zip(issues)
                .all(|(v, i)| v.is_finite() && i.scale.contains(*v));
        if !on_scales {
            return Err(InferError::BadPackage {
                found: package.len(),
                issues: issues.len(),
            });
        }
        if let Some(issue) = issues.iter().find(|i| i.status_quo.is_none()) {
            return Err(InferError::NoStatusQuo {
                issue: issue.id.clone(),
            });
        }
    }
    let mut chains: Vec<Chain> = (0..config.chains)
        .map(|c| Chain::new(&posterior, config.seed, c))
        .collect();
    chains
        .par_iter_mut()
        .for_each(|c| c.warm_up(&posterior, config.warmup));
    let mut batch = config.draws;
    let mut kept = 0;
    let diagnostics = loop {
        chains
            .par_iter_mut()
            .for_each(|c| c.sample(&posterior, batch));
        kept += batch;
        let diagnostics = diagnose(&chains, n_u);
        let converged = diagnostics
            .iter()
            .all(|&(r, e)| r < config.target_rhat && e >= config.min_ess);
        if converged || kept >= config.max_draws {
            break diagnostics;
        }
        batch = kept.min(config.max_draws - kept);
    };
    Ok(summarise(
        scenario,
        config,
        &posterior,
        &chains,
        &diagnostics,
        package,
    ))
}

/// R-hat and ESS of every unknown.
fn diagnose(chains: &[Chain], n_u: usize) -> Vec<(f64, f64)> {
    (0..n_u)
        .into_par_iter()
        .map(|i| {
            let series: Vec<Vec<f64>> = chains
                .iter()
                .map(|c| c.draws.iter().skip(i).step_by(n_u).copied().collect())
                .collect();
            let refs: Vec<&[f64]> = series.iter().map(Vec::as_slice).collect();
            rhat_ess(&refs)
        })
        .collect()
}

/// The chances of the prediction from value tables.
fn predict_from<'a>(
    posterior: &Posterior,
    answers: &[model::Answer],
    tables: impl Iterator<Item = &'a [f64]>,
) -> (Vec<f64>, f64, Vec<f64>) {
    let n = answers.len();
    let mut accept = vec![0.0; n];
    let mut holdout = vec![0.0; n];
    let mut unanimous = 0.0;
    let mut count = 0.0;
    let mut p = vec![0.0; n];
    for v in tables {
        for (a, answer) in answers.iter().enumerate() {
            let net = posterior.gain_of(answer, v) - answer.margin;
            p[a] = posterior.accept_chance(net, answer.red_line);
            accept[a] += p[a];
        }
        let all: f64 = p.iter().product();
        unanimous += all;
        for a in 0..n {
            let others: f64 = (0..n).filter(|&b| b != a).map(|b| p[b]).product();
            holdout[a] += (1.0 - p[a]) * others;
        }
        count += 1.0;
    }
    for x in accept.iter_mut().chain(holdout.iter_mut()) {
        *x /= count;
    }
    (accept, unanimous / count, holdout)
}

fn summarise(
    scenario: &Scenario,
    config: &InferConfig,
    posterior: &Posterior,
    chains: &[Chain],
    diagnostics: &[(f64, f64)],
    package: Option<&[f64]>,
) -> Inference {
    let n_u = posterior.unknowns.len();
    let n_obs = posterior.n_observations;
    let total: usize = chains.iter().map(|c| c.len(n_u)).sum();
    // Prior draws on their own stream, as many as the posterior's.
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    rng.set_stream(u64::MAX);
    let prior_tables: Vec<Vec<f64>> = (0..total).map(|_| posterior.draw_prior(&mut rng)).collect();
    let column = |i: usize| -> Vec<f64> {
        chains
            .iter()
            .flat_map(|c| c.draws.iter().skip(i).step_by(n_u).copied())
            .collect()
    };
    // Importance weights that remove observation o: 1 / L_o, scaled for stability.
    let obs_ll: Vec<f64> = chains
        .iter()
        .flat_map(|c| c.observation_ll.iter().copied())
        .collect();
    let weights: Vec<Vec<f64>> = (0..n_obs)
        .map(|o| {
            let lls: Vec<f64> = (0..total).map(|s| obs_ll[s * n_obs + o]).collect();
            let least = lls.iter().copied().fold(f64::INFINITY, f64::min);
            lls.iter().map(|ll| (least - ll).exp()).collect()
        })
        .collect();
    let actors = scenario.actors();
    let issues = scenario.issues();
    let parameters: Vec<ParameterPosterior> = posterior
        .unknowns
        .iter()
        .enumerate()
        .map(|(i, unknown)| {
            let mut draws = column(i);
            let mut prior_draws: Vec<f64> = prior_tables.iter().map(|v| v[unknown.slot]).collect();
            let prior = Summary::of(&mut prior_draws);
            let values = column(i);
            let mean = values.iter().sum::<f64>() / total as f64;
            let touched = posterior.touched(i);
            let bearing = posterior.observations_of(i);
            let mut influences: Vec<Influence> = if touched {
                weights
                    .iter()
                    .enumerate()
                    .filter(|(o, _)| bearing.contains(o))
                    .map(|(o, w)| {
                        let sum: f64 = w.iter().sum();
                        let without = w.iter().zip(&values).map(|(w, x)| w * x).sum::<f64>() / sum;
                        Influence {
                            observation: o,
                            shift: (mean - without) / prior.sd.max(f64::MIN_POSITIVE),
                        }
                    })
                    .filter(|inf| inf.shift.abs() >= MIN_SHIFT)
                    .collect()
            } else {
                Vec::new()
            };
            influences.sort_by(|a, b| b.shift.abs().total_cmp(&a.shift.abs()));
            influences.truncate(TOP_INFLUENCES);
            let (actor, issue, quantity) = match unknown.value {
                ValueRef::Position { actor, issue } => (actor, issue, "position"),
                ValueRef::Salience { actor, issue } => (actor, issue, "salience"),
                ValueRef::Capability { .. } => unreachable!("capabilities are not inferred"),
            };
            ParameterPosterior {
                label: unknown.label.clone(),
                actor: actors[actor].id.clone(),
                issue: issues[issue].id.clone(),
                quantity: quantity.into(),
                prior,
                posterior: Summary::of(&mut draws),
                rhat: diagnostics[i].0,
                ess: diagnostics[i].1,
                touched,
                influences,
            }
        })
        .collect();
    let (worst, max_rhat) = parameters
        .iter()
        .map(|p| (p.label.clone(), p.rhat))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or_default();
    let min_ess = parameters
        .iter()
        .map(|p| p.ess)
        .fold(f64::INFINITY, f64::min);
    let converged = parameters
        .iter()
        .all(|p| p.rhat < config.target_rhat && p.ess >= config.min_ess);
    let prediction = package.map(|package| {
        let answers = posterior.answers_to(scenario, package);
        let post_tables: Vec<Vec<f64>> = (0..total)
            .map(|s| {
                let (c, k) = (s / chains[0].len(n_u), s % chains[0].len(n_u));
                let mut v = posterior.start.clone();
                for (i, u) in posterior.unknowns.iter().enumerate() {
                    v[u.slot] = chains[c].draws[k * n_u + i];
                }
                v
            })
            .collect();
        let before = predict_from(posterior, &answers, prior_tables.iter().map(Vec::as_slice));
        let after = predict_from(posterior, &answers, post_tables.iter().map(Vec::as_slice));
        let chances = |b: &[f64], a: &[f64]| -> Vec<Chance> {
            actors
                .iter()
                .zip(b.iter().zip(a))
                .map(|(actor, (&prior, &posterior))| Chance {
                    actor: actor.id.clone(),
                    prior,
                    posterior,
                })
                .collect()
        };
        let rest = |x: &(Vec<f64>, f64, Vec<f64>)| 1.0 - x.1 - x.2.iter().sum::<f64>();
        Prediction {
            package: package.to_vec(),
            accept: chances(&before.0, &after.0),
            unanimous: Chance {
                actor: "none".into(),
                prior: before.1,
                posterior: after.1,
            },
            holdout: chances(&before.2, &after.2),
            several_refuse: Chance {
                actor: "two or more".into(),
                prior: rest(&before).max(0.0),
                posterior: rest(&after).max(0.0),
            },
        }
    });
    let mut notes = Vec::new();
    let untouched = parameters.iter().filter(|p| !p.touched).count();
    if n_obs == 0 {
        notes.push("the scenario records no observations, so every posterior is its prior".into());
    } else if untouched > 0 {
        notes.push(format!(
            "{untouched} of {} unknowns are touched by no observation: they keep their priors",
            parameters.len()
        ));
    }
    if !converged {
        notes.push(format!(
            "the chains have not converged (largest R-hat {max_rhat:.3} on {worst}, smallest ESS {min_ess:.0}, after {} draws per chain): no number here is a finding",
            chains[0].len(n_u)
        ));
    }
    Inference {
        converged,
        max_rhat,
        min_ess,
        worst,
        chains: config.chains,
        warmup: config.warmup,
        draws: chains[0].len(n_u),
        seed: config.seed,
        noise: config.noise,
        lapse: config.lapse,
        target_rhat: config.target_rhat,
        target_ess: config.min_ess,
        n_observations: n_obs,
        parameters,
        prediction,
        notes,
    }
}

/// The scenario with every inferred value replaced by its posterior, as a normal distribution
/// (mean and sd of the draws) that `sweep` and the other analyses read. The observations are
/// dropped: they are in the posterior now, and inferring again from the written scenario would
/// count them twice.
pub fn posterior_scenario(
    scenario: &Scenario,
    inference: &Inference,
) -> Result<Scenario, ScenarioErrors> {
    let mut parts: ScenarioParts = scenario.clone().into_parts();
    for p in &inference.parameters {
        let (Some(a), Some(k)) = (
            scenario.actor_index(&p.actor),
            scenario.issue_index(&p.issue),
        ) else {
            continue;
        };
        let actor = &parts.actors[a];
        let scale = parts.issues[k].scale;
        let mut mean = p.posterior.mean;
        if p.quantity == "position" {
            // A mean inside the actor's own red line (possible when the line splits the scale)
            // moves to the nearest end of the line on the side of the median.
            if let Some(line) = actor
                .red_lines
                .iter()
                .find(|l| l.issue == k && l.refuses(mean))
            {
                let below = line.min > scale.min && p.posterior.q50 < line.min;
                mean = if below || line.max >= scale.max {
                    line.min - 1e-9 * scale.range()
                } else {
                    line.max + 1e-9 * scale.range()
                };
            }
        }
        let Some(stance) = parts.stances[a][k].as_mut() else {
            continue;
        };
        let distribution = Some(Distribution::Normal {
            mean,
            sd: p.posterior.sd,
        });
        if p.quantity == "position" {
            stance.position = mean.clamp(scale.min, scale.max);
            stance.position_uncertainty = distribution;
        } else {
            stance.salience = mean.clamp(0.0, 1.0);
            stance.salience_uncertainty = distribution;
        }
    }
    let used = parts.observations.len();
    parts.observations.clear();
    parts.meta.sources.push(format!(
        "positions and saliences with distributions: the posterior of `statecraft infer` over {used} observations (seed {}, {} chains of {} draws)",
        inference.seed, inference.chains, inference.draws
    ));
    Scenario::new(parts)
}
