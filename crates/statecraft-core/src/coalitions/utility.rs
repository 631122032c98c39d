//! What a package is worth to each actor: salience-weighted distance to its positions (linear or
//! quadratic), partners' gains counted by affinity, red lines that refuse a package outright.

use serde::Serialize;

use crate::scenario::Scenario;

/// How an actor's loss grows with the distance from its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// Loss proportional to the distance: s |x - p| / R.
    Linear,
    /// Loss proportional to the squared distance: s ((x - p) / R)^2.
    Quadratic,
}

impl Shape {
    /// The loss of one actor on one issue at normalised signed distance `d = (x - p) / R`, and
    /// its derivative with respect to d (a subgradient, 0 at the kink, for `Linear`).
    fn loss(self, d: f64) -> (f64, f64) {
        match self {
            Shape::Linear => (d.abs(), d.signum() * f64::from(u8::from(d != 0.0))),
            Shape::Quadratic => (d * d, 2.0 * d),
        }
    }
}

/// Why a scenario cannot be analysed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CoalitionError {
    /// An issue has no status quo to compare packages with.
    #[error("issue `{issue}` has no status quo; every package is compared with the status quo, so give the issue a `status_quo`")]
    NoStatusQuo {
        /// The issue's id.
        issue: String,
    },
}

/// The utilities of packages for one scenario: everything fixed once.
pub struct Utilities<'a> {
    pub(crate) scenario: &'a Scenario,
    pub(crate) shape: Shape,
    /// The status quo of every issue.
    pub(crate) status_quo: Vec<f64>,
    ranges: Vec<f64>,
}

impl<'a> Utilities<'a> {
    /// Prepares the utilities; every issue needs a status quo.
    pub fn new(scenario: &'a Scenario, shape: Shape) -> Result<Self, CoalitionError> {
        let status_quo = scenario
            .issues()
            .iter()
            .map(|i| {
                i.status_quo.ok_or_else(|| CoalitionError::NoStatusQuo {
                    issue: i.id.clone(),
                })
            })
            .collect::<Result<Vec<f64>, _>>()?;
        Ok(Self {
            scenario,
            shape,
            ranges: scenario.issues().iter().map(|i| i.scale.range()).collect(),
            status_quo,
        })
    }

    /// The number of issues.
    pub fn issues(&self) -> usize {
        self.status_quo.len()
    }

    /// The status quo package.
    pub fn status_quo(&self) -> &[f64] {
        &self.status_quo
    }

    /// Actor `i`'s own utility of `x` minus that of the status quo, with its gradient added into
    /// `grad` (scaled by `weight`) when given.
    fn own_gain(&self, i: usize, x: &[f64], weight: f64, mut grad: Option<&mut [f64]>) -> f64 {
        let mut gain = 0.0;
        for (k, &xk) in x.iter().enumerate() {
            let Some(stance) = self.scenario.stance(i, k) else {
                continue;
            };
            let r = self.ranges[k];
            let (at_x, slope) = self.shape.loss((xk - stance.position) / r);
            let (at_sq, _) = self.shape.loss((self.status_quo[k] - stance.position) / r);
            gain += stance.salience * (at_sq - at_x);
            if let Some(g) = grad.as_deref_mut() {
                g[k] -= weight * stance.salience * slope / r;
            }
        }
        gain
    }

    /// Actor `i`'s gain from `x` over the status quo: its own, plus each partner's times its
    /// affinity with that partner.
    pub fn gain(&self, i: usize, x: &[f64]) -> f64 {
        self.gain_with_gradient(i, x, None)
    }

    /// The gain, with its (sub)gradient written into `grad` when given.
    pub(crate) fn gain_with_gradient(
        &self,
        i: usize,
        x: &[f64],
        mut grad: Option<&mut [f64]>,
    ) -> f64 {
        if let Some(g) = grad.as_deref_mut() {
            g.fill(0.0);
        }
        let actor = &self.scenario.actors()[i];
        let mut gain = self.own_gain(i, x, 1.0, grad.as_deref_mut());
        for &(partner, share) in &actor.affinity {
            gain += share * self.own_gain(partner, x, share, grad.as_deref_mut());
        }
        gain
    }

    /// Actor `i`'s reservation margin.
    pub fn margin(&self, i: usize) -> f64 {
        self.scenario.actors()[i].reservation
    }

    /// The first of `i`'s red lines that `x` crosses: (issue index, its min, its max).
    pub fn refused_by(&self, i: usize, x: &[f64]) -> Option<(usize, f64, f64)> {
        self.scenario.actors()[i]
            .red_lines
            .iter()
            .find(|l| l.refuses(x[l.issue]))
            .map(|l| (l.issue, l.min, l.max))
    }

    /// Whether `i` accepts `x`: no red line crossed, and a gain above its margin.
    pub fn accepts(&self, i: usize, x: &[f64]) -> bool {
        self.refused_by(i, x).is_none() && self.gain(i, x) > self.margin(i)
    }

    /// With linear losses, i's net gain as c - sum w |x_k - p| (each w >= 0): (c, terms).
    pub(crate) fn linear_terms(&self, i: usize) -> (f64, Vec<(usize, f64, f64)>) {
        let actor = &self.scenario.actors()[i];
        let weights = std::iter::once((i, 1.0)).chain(actor.affinity.iter().copied());
        let mut constant = -self.margin(i);
        let mut terms = Vec::new();
        for (j, share) in weights {
            for (k, &q) in self.status_quo.iter().enumerate() {
                if let Some(stance) = self.scenario.stance(j, k) {
                    let w = share * stance.salience / self.ranges[k];
                    constant += w * (q - stance.position).abs();
                    terms.push((k, stance.position, w));
                }
            }
        }
        (constant, terms)
    }

    /// The actors whose stances enter `i`'s gain: itself and its partners.
    pub(crate) fn involved(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(i).chain(self.scenario.actors()[i].affinity.iter().map(|(b, _)| *b))
    }
}
