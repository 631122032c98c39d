//! The Markov chains: random-walk Metropolis within Gibbs, one unknown at a time, proposals
//! reflected at the ends of the unknown's range, step sizes adapted during warm-up only (toward
//! an acceptance rate of 0.44, Roberts and Rosenthal 2009) and fixed afterwards, so the kept draws
//! come from a chain that leaves the posterior invariant. Each chain owns a ChaCha8 stream
//! (`seed`, stream = chain index), so the draws do not depend on the number of threads.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution as _, StandardNormal};

use super::model::{unit, Posterior};

/// The acceptance rate the warm-up aims for (optimal for one-dimensional random-walk updates).
const TARGET_ACCEPTANCE: f64 = 0.44;

/// One chain's state and kept draws.
pub(crate) struct Chain {
    rng: ChaCha8Rng,
    /// The value table (every stance's position and salience).
    values: Vec<f64>,
    /// The log likelihood of every answer at `values`.
    answer_ll: Vec<f64>,
    /// Per unknown, the log of its proposal scale.
    log_step: Vec<f64>,
    /// Warm-up sweeps done (for the adaptation's decreasing gain).
    adapted: usize,
    scratch: Vec<f64>,
    /// Kept draws of the unknowns, draw-major.
    pub(crate) draws: Vec<f64>,
    /// Per kept draw, the log likelihood of each observation.
    pub(crate) observation_ll: Vec<f64>,
}

/// Reflects `x` into `lo..=hi`.
fn reflect(x: f64, lo: f64, hi: f64) -> f64 {
    let width = hi - lo;
    if width <= 0.0 {
        return lo;
    }
    let y = (x - lo).rem_euclid(2.0 * width);
    lo + if y > width { 2.0 * width - y } else { y }
}

impl Chain {
    /// A chain started from a draw of the prior, on stream `index` of `seed`.
    pub(crate) fn new(posterior: &Posterior, seed: u64, index: usize) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(index as u64);
        let values = posterior.draw_prior(&mut rng);
        let answer_ll = (0..posterior.answers.len())
            .map(|t| posterior.answer_log_lik(t, &values))
            .collect();
        let log_step = posterior
            .unknowns
            .iter()
            .map(|u| u.initial_step().ln())
            .collect();
        Chain {
            rng,
            values,
            answer_ll,
            log_step,
            adapted: 0,
            scratch: Vec::new(),
            draws: Vec::new(),
            observation_ll: Vec::new(),
        }
    }

    /// One Metropolis update of unknown `i`; returns the acceptance probability.
    fn update(&mut self, posterior: &Posterior, i: usize) -> f64 {
        let unknown = &posterior.unknowns[i];
        let slot = unknown.slot;
        let old = self.values[slot];
        let z: f64 = StandardNormal.sample(&mut self.rng);
        let proposal = reflect(old + self.log_step[i].exp() * z, unknown.lo, unknown.hi);
        let threshold = unit(&mut self.rng).ln();
        if !unknown.allows(proposal) {
            return 0.0;
        }
        let mut delta = unknown.log_prior(proposal) - unknown.log_prior(old);
        for &m in &posterior.measurements_of[i] {
            delta -= posterior.measurement_log_lik(m, &self.values);
        }
        self.values[slot] = proposal;
        for &m in &posterior.measurements_of[i] {
            delta += posterior.measurement_log_lik(m, &self.values);
        }
        self.scratch.clear();
        for &t in &posterior.answers_of[i] {
            let ll = posterior.answer_log_lik(t, &self.values);
            delta += ll - self.answer_ll[t];
            self.scratch.push(ll);
        }
        let chance = if delta.is_nan() {
            0.0
        } else {
            delta.exp().min(1.0)
        };
        if threshold < delta {
            for (&t, &ll) in posterior.answers_of[i].iter().zip(&self.scratch) {
                self.answer_ll[t] = ll;
            }
        } else {
            self.values[slot] = old;
        }
        chance
    }

    /// One sweep over every unknown, adapting the step sizes when `adapt`.
    fn sweep(&mut self, posterior: &Posterior, adapt: bool) {
        let gain = ((self.adapted + 1) as f64).powf(-0.6);
        for i in 0..posterior.unknowns.len() {
            let chance = self.update(posterior, i);
            if adapt {
                let width = posterior.unknowns[i].hi - posterior.unknowns[i].lo;
                self.log_step[i] = (self.log_step[i] + gain * (chance - TARGET_ACCEPTANCE))
                    .min(width.ln())
                    .max((width * 1e-9).ln());
            }
        }
        if adapt {
            self.adapted += 1;
        }
    }

    /// `sweeps` warm-up sweeps, adapting the step sizes; nothing is kept.
    pub(crate) fn warm_up(&mut self, posterior: &Posterior, sweeps: usize) {
        for _ in 0..sweeps {
            self.sweep(posterior, true);
        }
    }

    /// `sweeps` more sweeps, each kept as a draw.
    pub(crate) fn sample(&mut self, posterior: &Posterior, sweeps: usize) {
        let n_obs = posterior.n_observations;
        let mut ll = vec![0.0; n_obs];
        for _ in 0..sweeps {
            self.sweep(posterior, false);
            self.draws
                .extend(posterior.unknowns.iter().map(|u| self.values[u.slot]));
            posterior.observation_log_liks(&self.values, &mut ll);
            self.observation_ll.extend_from_slice(&ll);
        }
    }

    /// The number of kept draws.
    pub(crate) fn len(&self, n_unknowns: usize) -> usize {
        self.draws.len() / n_unknowns.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::reflect;

    #[test]
    fn reflection_folds_back_into_the_range() {
        assert_eq!(reflect(5.0, 0.0, 10.0), 5.0);
        assert_eq!(reflect(12.0, 0.0, 10.0), 8.0);
        assert_eq!(reflect(-3.0, 0.0, 10.0), 3.0);
        assert_eq!(reflect(23.0, 0.0, 10.0), 3.0);
    }
}
