//! The posterior density that `infer` samples: priors from the scenario's uncertain values, the
//! random-utility likelihood of every answer to a decision, and statements as noisy measurements
//! of positions. Built once per scenario; the sampler only evaluates it.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::coalitions::Shape;
use crate::scenario::{Distribution, ObservationKind, Scenario, ValueRef};
use crate::sweep::{draw, uncertain_inputs, MAX_REDRAWS};

use super::InferConfig;

/// One unknown number: an actor's position or salience on an issue.
#[derive(Debug, Clone)]
pub(crate) struct Unknown {
    /// Which value of the scenario.
    pub(crate) value: ValueRef,
    /// Readable name: `DPRK.nuclear_status.position`.
    pub(crate) label: String,
    /// The prior.
    pub(crate) prior: Distribution,
    /// The valid range (the scale, or 0..=1).
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    /// Ranges the value may not take (the actor's own red lines, for a position).
    pub(crate) excluded: Vec<(f64, f64)>,
    /// Index in the value table.
    pub(crate) slot: usize,
}

impl Unknown {
    /// Whether `x` is a value the parameter may take.
    pub(crate) fn allows(&self, x: f64) -> bool {
        x >= self.lo && x <= self.hi && !self.excluded.iter().any(|&(a, b)| a <= x && x <= b)
    }

    /// The log prior density at `x`, up to a constant (minus infinity outside the support).
    pub(crate) fn log_prior(&self, x: f64) -> f64 {
        if !self.allows(x) {
            return f64::NEG_INFINITY;
        }
        match self.prior {
            Distribution::Normal { mean, sd } => {
                let z = (x - mean) / sd;
                -0.5 * z * z
            }
            Distribution::Uniform { min, max } => {
                if x < min || x > max {
                    f64::NEG_INFINITY
                } else {
                    0.0
                }
            }
            Distribution::Triangular { min, mode, max } => {
                let density = if x < min || x > max {
                    0.0
                } else if x < mode {
                    (x - min) / (mode - min)
                } else if x > mode {
                    (max - x) / (max - mode)
                } else {
                    1.0
                };
                density.ln()
            }
        }
    }

    /// A draw from the prior (redrawn while outside the support; the central value after
    /// [`MAX_REDRAWS`] tries).
    pub(crate) fn draw_prior(&self, rng: &mut ChaCha8Rng) -> f64 {
        for _ in 0..MAX_REDRAWS {
            let x = draw(&self.prior, rng);
            if self.allows(x) && self.log_prior(x).is_finite() {
                return x;
            }
        }
        self.prior.central()
    }

    /// A first proposal scale: the prior's spread, at most the width of the support.
    pub(crate) fn initial_step(&self) -> f64 {
        let spread = match self.prior {
            Distribution::Normal { sd, .. } => sd,
            Distribution::Uniform { min, max } => (max - min) / 12f64.sqrt(),
            Distribution::Triangular { min, max, .. } => (max - min) / 24f64.sqrt(),
        };
        spread.min(self.hi - self.lo).max(f64::MIN_POSITIVE)
    }
}

/// One issue's part of an answering actor's gain: `weight * s * (l(q - p) - l(x - p))`.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    /// Slot of the position in the value table.
    pub(crate) position: usize,
    /// Slot of the salience.
    pub(crate) salience: usize,
    /// Affinity share (1 for the actor itself), divided by nothing: the loss takes the range.
    pub(crate) weight: f64,
    /// The package's value.
    pub(crate) x: f64,
    /// The status quo of the day.
    pub(crate) q: f64,
    /// The issue's range.
    pub(crate) range: f64,
}

/// One actor's answer to one decision.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    /// Observation index.
    pub(crate) observation: usize,
    /// Whether it accepted.
    pub(crate) accepted: bool,
    /// Whether the package crossed one of its red lines (then only a lapse can accept).
    pub(crate) red_line: bool,
    /// Its reservation margin.
    pub(crate) margin: f64,
    /// The issues where the package moved away from the status quo.
    pub(crate) parts: Vec<Part>,
}

/// A statement: a measurement of a position with a known standard deviation.
#[derive(Debug, Clone)]
pub(crate) struct Measurement {
    pub(crate) observation: usize,
    pub(crate) slot: usize,
    pub(crate) declared: f64,
    pub(crate) sd: f64,
}

/// Everything the density needs, fixed once.
#[derive(Debug, Clone)]
pub(crate) struct Posterior {
    pub(crate) shape: Shape,
    pub(crate) noise: f64,
    pub(crate) lapse: f64,
    /// The value table: position and salience of every stance, unknown or fixed.
    pub(crate) start: Vec<f64>,
    pub(crate) unknowns: Vec<Unknown>,
    pub(crate) answers: Vec<Answer>,
    pub(crate) measurements: Vec<Measurement>,
    /// Per unknown: the answers whose gain it enters.
    pub(crate) answers_of: Vec<Vec<usize>>,
    /// Per unknown: the measurements of it.
    pub(crate) measurements_of: Vec<Vec<usize>>,
    /// Slot of each stance's position, by actor then issue (`None` without a stance).
    pub(crate) position_slot: Vec<Vec<Option<usize>>>,
    /// Slot of each stance's salience.
    pub(crate) salience_slot: Vec<Vec<Option<usize>>>,
    /// The number of observations.
    pub(crate) n_observations: usize,
}

type Slots<'a> = (&'a [Vec<Option<usize>>], &'a [Vec<Option<usize>>]);

/// Actor `b`'s answer to observation `o` on the package `x` (per issue: the value and the status
/// quo of the day, `None` where the package leaves the issue alone).
fn answer(
    scenario: &Scenario,
    (position_slot, salience_slot): Slots<'_>,
    (o, b, accepted): (usize, usize, bool),
    x: &[Option<(f64, f64)>],
) -> Answer {
    let actors = scenario.actors();
    let issues = scenario.issues();
    let red_line = actors[b]
        .red_lines
        .iter()
        .any(|l| x[l.issue].is_some_and(|(v, _)| l.refuses(v)));
    let mut parts = Vec::new();
    let involved = std::iter::once((b, 1.0)).chain(actors[b].affinity.iter().copied());
    for (j, weight) in involved {
        for (k, xq) in x.iter().enumerate() {
            let (Some((value, q)), Some(position), Some(salience)) =
                (*xq, position_slot[j][k], salience_slot[j][k])
            else {
                continue;
            };
            if value != q {
                parts.push(Part {
                    position,
                    salience,
                    weight,
                    x: value,
                    q,
                    range: issues[k].scale.range(),
                });
            }
        }
    }
    Answer {
        observation: o,
        accepted,
        red_line,
        margin: actors[b].reservation,
        parts,
    }
}

fn loss(shape: Shape, d: f64) -> f64 {
    match shape {
        Shape::Linear => d.abs(),
        Shape::Quadratic => d * d,
    }
}

/// The logistic function.
fn logistic(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

impl Posterior {
    /// The density for `scenario` with `config`.
    pub(crate) fn new(scenario: &Scenario, config: &InferConfig) -> Self {
        let issues = scenario.issues();
        let actors = scenario.actors();
        let mut start = Vec::new();
        let mut position_slot = vec![vec![None; issues.len()]; actors.len()];
        let mut salience_slot = vec![vec![None; issues.len()]; actors.len()];
        for a in 0..actors.len() {
            for k in 0..issues.len() {
                if let Some(stance) = scenario.stance(a, k) {
                    position_slot[a][k] = Some(start.len());
                    start.push(stance.position);
                    salience_slot[a][k] = Some(start.len());
                    start.push(stance.salience);
                }
            }
        }
        let unknowns: Vec<Unknown> = uncertain_inputs(scenario, config.relative)
            .into_iter()
            .filter_map(|input| {
                let (slot, lo, hi, excluded) = match input.value {
                    ValueRef::Position { actor, issue } => {
                        let scale = issues[issue].scale;
                        let excluded = actors[actor]
                            .red_lines
                            .iter()
                            .filter(|l| l.issue == issue)
                            .map(|l| (l.min, l.max))
                            .collect();
                        (position_slot[actor][issue]?, scale.min, scale.max, excluded)
                    }
                    ValueRef::Salience { actor, issue } => {
                        (salience_slot[actor][issue]?, 0.0, 1.0, Vec::new())
                    }
                    ValueRef::Capability { .. } => return None,
                };
                let degenerate =
                    matches!(input.distribution, Distribution::Normal { sd, .. } if sd <= 0.0);
                (!degenerate).then_some(Unknown {
                    value: input.value,
                    label: input.label,
                    prior: input.distribution,
                    lo,
                    hi,
                    excluded,
                    slot,
                })
            })
            .collect();
        let mut answers = Vec::new();
        let mut measurements = Vec::new();
        for (o, observation) in scenario.observations().iter().enumerate() {
            match &observation.kind {
                ObservationKind::Decision(decision) => {
                    let mut x: Vec<Option<(f64, f64)>> = vec![None; issues.len()];
                    for &(k, value) in &decision.package {
                        let q = decision
                            .status_quo_on(k, issues)
                            .expect("validated: every issue of a package has a status quo");
                        x[k] = Some((value, q));
                    }
                    for &(b, accepted) in &decision.responses {
                        let slots = (&position_slot[..], &salience_slot[..]);
                        answers.push(answer(scenario, slots, (o, b, accepted), &x));
                    }
                }
                ObservationKind::Statement(statement) => {
                    let slot = position_slot[statement.actor][statement.issue]
                        .expect("validated: a statement's actor takes a position");
                    measurements.push(Measurement {
                        observation: o,
                        slot,
                        declared: statement.position,
                        sd: statement.sd(issues[statement.issue].scale.range()),
                    });
                }
            }
        }
        let answers_of = unknowns
            .iter()
            .map(|u| {
                (0..answers.len())
                    .filter(|&t| {
                        answers[t]
                            .parts
                            .iter()
                            .any(|p| p.position == u.slot || p.salience == u.slot)
                    })
                    .collect()
            })
            .collect();
        let measurements_of = unknowns
            .iter()
            .map(|u| {
                (0..measurements.len())
                    .filter(|&m| measurements[m].slot == u.slot)
                    .collect()
            })
            .collect();
        Posterior {
            shape: config.shape,
            noise: config.noise,
            lapse: config.lapse,
            start,
            unknowns,
            answers,
            measurements,
            answers_of,
            measurements_of,
            position_slot,
            salience_slot,
            n_observations: scenario.observations().len(),
        }
    }

    /// The gain over the status quo of answer `t`'s actor, for the value table `v`.
    pub(crate) fn gain(&self, t: usize, v: &[f64]) -> f64 {
        self.gain_of(&self.answers[t], v)
    }

    /// The chance of accepting at net gain `net` (gain minus margin), or after a red line.
    pub(crate) fn accept_chance(&self, net: f64, red_line: bool) -> f64 {
        let utility = if red_line {
            0.0
        } else {
            logistic(net / self.noise)
        };
        0.5 * self.lapse + (1.0 - self.lapse) * utility
    }

    /// The log likelihood of answer `t` for the value table `v`.
    pub(crate) fn answer_log_lik(&self, t: usize, v: &[f64]) -> f64 {
        let answer = &self.answers[t];
        let net = self.gain(t, v) - answer.margin;
        let p = self.accept_chance(net, answer.red_line);
        if answer.accepted {
            p.ln()
        } else {
            (1.0 - p).ln()
        }
    }

    /// The log likelihood of measurement `m` (up to a constant).
    pub(crate) fn measurement_log_lik(&self, m: usize, v: &[f64]) -> f64 {
        let measurement = &self.measurements[m];
        let z = (measurement.declared - v[measurement.slot]) / measurement.sd;
        -0.5 * z * z
    }

    /// The log likelihood of every observation for the value table `v`, by observation.
    pub(crate) fn observation_log_liks(&self, v: &[f64], out: &mut [f64]) {
        out.fill(0.0);
        for t in 0..self.answers.len() {
            out[self.answers[t].observation] += self.answer_log_lik(t, v);
        }
        for m in 0..self.measurements.len() {
            out[self.measurements[m].observation] += self.measurement_log_lik(m, v);
        }
    }

    /// Every actor's answer to `package` against the scenario's status quo (for predictions; the
    /// answers' `accepted` is meaningless).
    pub(crate) fn answers_to(&self, scenario: &Scenario, package: &[f64]) -> Vec<Answer> {
        let x: Vec<Option<(f64, f64)>> = scenario
            .issues()
            .iter()
            .zip(package)
            .map(|(issue, &value)| issue.status_quo.map(|q| (value, q)))
            .collect();
        let slots = (&self.position_slot[..], &self.salience_slot[..]);
        (0..scenario.actors().len())
            .map(|b| answer(scenario, slots, (usize::MAX, b, true), &x))
            .collect()
    }

    /// The gain of `answer`'s actor for the value table `v`.
    pub(crate) fn gain_of(&self, answer: &Answer, v: &[f64]) -> f64 {
        answer
            .parts
            .iter()
            .map(|p| {
                let at_q = loss(self.shape, (p.q - v[p.position]) / p.range);
                let at_x = loss(self.shape, (p.x - v[p.position]) / p.range);
                p.weight * v[p.salience] * (at_q - at_x)
            })
            .sum()
    }

    /// The observations that bear on unknown `i` directly, in order.
    pub(crate) fn observations_of(&self, i: usize) -> Vec<usize> {
        let mut out: Vec<usize> = self.answers_of[i]
            .iter()
            .map(|&t| self.answers[t].observation)
            .chain(
                self.measurements_of[i]
                    .iter()
                    .map(|&m| self.measurements[m].observation),
            )
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether any observation bears on unknown `i`.
    pub(crate) fn touched(&self, i: usize) -> bool {
        !self.answers_of[i].is_empty() || !self.measurements_of[i].is_empty()
    }

    /// A value table drawn from the prior.
    pub(crate) fn draw_prior(&self, rng: &mut ChaCha8Rng) -> Vec<f64> {
        let mut v = self.start.clone();
        for u in &self.unknowns {
            v[u.slot] = u.draw_prior(rng);
        }
        v
    }
}

/// A uniform draw in 0..1 (for Metropolis acceptance).
pub(crate) fn unit(rng: &mut ChaCha8Rng) -> f64 {
    rng.random::<f64>()
}
