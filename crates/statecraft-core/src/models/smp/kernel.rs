//! The SMP's building blocks, each in KTAB's floating-point order so that runs match KTAB's
//! positions to the last printed digit.
//!
//! - Distance from actor i's ideal q_i to a point x (`smp.cpp` `bvDiff`):
//!   d_i(x) = sqrt( sum_k (s_ik (q_ik - x_k))^2 / sum_k s_ik^2 ).
//! - Utility of distance d with risk attitude R (`smp.cpp` `bsUtil`):
//!   u(d; R) = (1 - d)(1 + d R) for d <= 1, else (1 - d)(1 + R).
//! - Vote of weight w on utilities a over b (`kmodel.cpp` `Model::vote`): see [`VotingRule`].
//! - Coalitions over options (`kmodel.cpp` `Model::coalitions`):
//!   C(a, b) = 1e-8 + sum_k [v_k(a:b)]^+, with one vote per voter and pair, its sign deciding
//!   the side.
//! - Victory probability (`kmodel.cpp` `Model::vProb`): P[a > b] = C_ab^n / (C_ab^n + C_ba^n),
//!   n = 1, 2, 4, 8, or the binary law; P[a > a] = 1/2.
//! - Probabilistic Condorcet election (`kmodel.cpp` `condPCE`, `markovUniformPCE`,
//!   `markovIncentivePCE`): see [`PceModel`].
//! - Risk attitudes from probabilities (`kmodel.cpp` `bigRfromProb`, `estNRA`).
//!
//! Source: `../shared/docs/models/ktab-smp.md` section 2 and its precisions (KTAB, KAPSARC, MIT
//! licence).

use super::params::{BigRAdjust, BigRRange, PceModel, VictoryProbModel, VotingRule};

/// The floor of every coalition (`kmodel.cpp` `minC`).
const MIN_COALITION: f64 = 1e-8;

/// Markov PCEs stop after this many iterations (KTAB throws instead; it never happens in
/// practice: 10 to 30 iterations are typical).
const MAX_MARKOV_ITERATIONS: usize = 1000;

/// Salience-weighted distance between `ideal` and `x`, for an actor with saliences `salience`
/// (at least one of them positive).
pub(crate) fn distance(ideal: &[f64], x: &[f64], salience: &[f64]) -> f64 {
    let mut weighted = 0.0;
    let mut total = 0.0;
    for ((&q, &xk), &s) in ideal.iter().zip(x).zip(salience) {
        let ds = (q - xk) * s;
        weighted += ds * ds;
        total += s * s;
    }
    (weighted / total).sqrt()
}

/// Utility of distance `d` for risk attitude `risk` (R = 1 risk-averse, 0 neutral, < 0
/// risk-seeking).
pub(crate) fn utility(d: f64, risk: f64) -> f64 {
    if d <= 1.0 {
        (1.0 - d) * (1.0 + d * risk)
    } else {
        (1.0 - d) * (1.0 + risk)
    }
}

/// The vote of weight `w` for an option worth `u_a` over one worth `u_b`.
pub(crate) fn vote(rule: VotingRule, w: f64, u_a: f64, u_b: f64) -> f64 {
    let du = u_a - u_b;
    let binary = (du / 1e-8).clamp(-1.0, 1.0);
    match rule {
        VotingRule::Binary => w * binary,
        VotingRule::PropBin => w * ((1.0 - 0.2) * du + 0.2 * binary),
        VotingRule::Proportional => w * du,
        VotingRule::PropCbc => w * ((1.0 - 0.5) * du + 0.5 * (du * du * du)),
        VotingRule::Cubic => w * (du * du * du),
        VotingRule::ASymProsp => {
            if du < 0.0 {
                w * du
            } else if du > 0.0 {
                (2.0 * w * du) / 3.0
            } else {
                0.0
            }
        }
    }
}

/// (P[1 beats 2], P[2 beats 1]) from the strengths of the two coalitions.
pub(crate) fn victory(model: VictoryProbModel, s1: f64, s2: f64) -> (f64, f64) {
    let (x1, x2) = match model {
        VictoryProbModel::Linear => (s1, s2),
        VictoryProbModel::Square => (s1 * s1, s2 * s2),
        VictoryProbModel::Quartic => (quartic(s1), quartic(s2)),
        VictoryProbModel::Octic => {
            let (q1, q2) = (quartic(s1), quartic(s2));
            (q1 * q1, q2 * q2)
        }
        VictoryProbModel::Binary => {
            // A 10% advantage either way is a certain win; in between, linear in s1/(s1+s2)
            // through (t/(1+t), 1), (1/2, 1/2) and (1/(1+t), 0).
            const THRESHOLD: f64 = 1.10;
            const MIN_X: f64 = 1e-6;
            if s1 >= THRESHOLD * s2 {
                (1.0, MIN_X)
            } else if s2 >= THRESHOLD * s1 {
                (MIN_X, 1.0)
            } else {
                let r12 = s1 / (s1 + s2);
                let p12 = (r12 * (THRESHOLD + 1.0) - 1.0) / (THRESHOLD - 1.0);
                (p12, 1.0 - p12)
            }
        }
    };
    (x1 / (x1 + x2), x2 / (x1 + x2))
}

fn quartic(x: f64) -> f64 {
    let sq = x * x;
    sq * sq
}

/// A square matrix stored by rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Square {
    pub(crate) n: usize,
    pub(crate) values: Vec<f64>,
}

impl Square {
    pub(crate) fn new(n: usize) -> Self {
        Self {
            n,
            values: vec![0.0; n * n],
        }
    }

    pub(crate) fn at(&self, i: usize, j: usize) -> f64 {
        self.values[i * self.n + j]
    }

    fn set(&mut self, i: usize, j: usize, value: f64) {
        self.values[i * self.n + j] = value;
    }
}

/// Coalition strengths C(a, b) over `n_options` options, from `n_voters` voters' votes:
/// `vote_of(k, a, b)` is voter k's vote for a over b (asked once per pair, with a > b).
pub(crate) fn coalitions(
    n_voters: usize,
    n_options: usize,
    vote_of: impl Fn(usize, usize, usize) -> f64,
) -> Square {
    let mut c = Square::new(n_options);
    for a in 0..n_options {
        for b in 0..a {
            let mut c_ab = MIN_COALITION;
            let mut c_ba = MIN_COALITION;
            for k in 0..n_voters {
                let v = vote_of(k, a, b);
                if v > 0.0 {
                    c_ab += v;
                }
                if v < 0.0 {
                    c_ba -= v;
                }
            }
            c.set(a, b, c_ab);
            c.set(b, a, c_ba);
        }
        c.set(a, a, MIN_COALITION);
    }
    c
}

/// Pairwise victory probabilities from coalition strengths.
fn victory_matrix(model: VictoryProbModel, c: &Square) -> Square {
    let mut p = Square::new(c.n);
    for a in 0..c.n {
        for b in 0..a {
            let (p_ab, p_ba) = victory(model, c.at(a, b), c.at(b, a));
            p.set(a, b, p_ab);
            p.set(b, a, p_ba);
        }
        p.set(a, a, 0.5);
    }
    p
}

/// The probability of each option from coalition strengths.
pub(crate) fn pce(pce: PceModel, model: VictoryProbModel, c: &Square) -> Vec<f64> {
    let pv = victory_matrix(model, c);
    match pce {
        PceModel::Conditional => conditional(&pv),
        PceModel::MarkovUniform => markov_uniform(&pv),
        PceModel::MarkovIncentive => markov_incentive(c, &pv),
    }
}

/// p_a proportional to the product over b of P[a beats b], the 1/2 of a against itself
/// included.
fn conditional(pv: &Square) -> Vec<f64> {
    let n = pv.n;
    let p: Vec<f64> = (0..n)
        .map(|a| (0..n).fold(1.0, |acc, b| acc * pv.at(a, b)))
        .collect();
    let total = p.iter().fold(0.0, |acc, &x| acc + x);
    p.into_iter().map(|x| x / total).collect()
}

/// Challenges by any option with equal probability: q_a = (1/M) sum_b P[a > b](p_a + p_b),
/// p <- (p + q)/2, until max |q - p| <= 1e-6 (measured before averaging).
fn markov_uniform(pv: &Square) -> Vec<f64> {
    let n = pv.n;
    averaged_fixed_point(n, 1e-6, |p, a| {
        let mut sum = 0.0;
        for b in 0..n {
            sum += pv.at(a, b) * (p[a] + p[b]);
        }
        sum / n as f64
    })
}

/// From the uniform distribution, iterates p <- (p + q(p)) / 2 with q_a = `q_of(p, a)` until
/// max |q - p| <= `tolerance` (measured before averaging) or the iteration limit.
fn averaged_fixed_point(n: usize, tolerance: f64, q_of: impl Fn(&[f64], usize) -> f64) -> Vec<f64> {
    let mut p = vec![1.0 / n as f64; n];
    let mut q = p.clone();
    let mut change = 1.0;
    let mut iterations = 0;
    while tolerance < change && iterations < MAX_MARKOV_ITERATIONS {
        change = 0.0;
        for a in 0..n {
            q[a] = q_of(&p, a);
            change = f64::max(change, (q[a] - p[a]).abs());
        }
        for a in 0..n {
            p[a] = (p[a] + q[a]) / 2.0;
        }
        iterations += 1;
    }
    p
}

/// Challenges follow the incentive n[a -> b] = C(a, b) P[a > b] (+1e-10 on the diagonal):
/// P[a -> b] = n[a -> b] / sum_a' n[a' -> b]; q_a = sum_b P[a > b](p_a P[b -> a] + p_b P[a -> b]),
/// p <- (p + q)/2, until max |q - p| <= 1e-8 (measured before averaging).
fn markov_incentive(c: &Square, pv: &Square) -> Vec<f64> {
    let n = c.n;
    let mut incentive = Square::new(n);
    for a in 0..n {
        for b in 0..n {
            let mut value = c.at(a, b) * pv.at(a, b);
            if a == b {
                value += 1e-10;
            }
            incentive.set(a, b, value);
        }
    }
    let column_sums: Vec<f64> = (0..n)
        .map(|b| (0..n).fold(0.0, |acc, a| acc + incentive.at(a, b)))
        .collect();
    // challenge.at(a, b): probability that a challenges b when b is the favourite.
    let mut challenge = Square::new(n);
    for a in 0..n {
        for (b, &sum) in column_sums.iter().enumerate() {
            challenge.set(a, b, incentive.at(a, b) / sum);
        }
    }
    averaged_fixed_point(n, 1e-8, |p, a| {
        let mut sum = 0.0;
        for b in 0..n {
            // ct(a, b) = p_a P[b -> a]; the chain moves between a and b either way.
            let ct_ab = p[a] * challenge.at(b, a);
            let ct_ba = p[b] * challenge.at(a, b);
            sum += pv.at(a, b) * (ct_ab + ct_ba);
        }
        sum
    })
}

/// The probability of each option when voters with weights `weights` value option m at
/// `utilities(voter, m)`: coalitions, victory probabilities and the PCE.
pub(crate) fn scalar_pce(
    weights: &[f64],
    n_options: usize,
    utilities: impl Fn(usize, usize) -> f64,
    rule: VotingRule,
    model: VictoryProbModel,
    pce_model: PceModel,
) -> Vec<f64> {
    let c = coalitions(weights.len(), n_options, |k, a, b| {
        vote(rule, weights[k], utilities(k, a), utilities(k, b))
    });
    pce(pce_model, model, &c)
}

/// Risk attitudes from the probabilities of the actors' positions; all 0 when every
/// probability is the same (KTAB would divide by zero).
pub(crate) fn risk_from_probabilities(p: &[f64], range: BigRRange) -> Vec<f64> {
    let mut p_min = 1.0;
    let mut p_max = 0.0;
    for &x in p {
        if x < p_min {
            p_min = x;
        }
        if x > p_max {
            p_max = x;
        }
    }
    if p_max - p_min == 0.0 {
        return vec![0.0; p.len()];
    }
    p.iter()
        .map(|&x| match range {
            BigRRange::Min => (x - p_min) / (p_max - p_min),
            BigRRange::Mid => (3.0 * x - (p_max + 2.0 * p_min)) / (2.0 * (p_max - p_min)),
            BigRRange::Max => (2.0 * x - (p_max + p_min)) / (p_max - p_min),
        })
        .collect()
}

/// Actor h's estimate of actor i's risk attitude, from their own attitudes r_h and r_i.
pub(crate) fn estimated_risk(r_h: f64, r_i: f64, adjust: BigRAdjust) -> f64 {
    match adjust {
        BigRAdjust::Full => r_i,
        BigRAdjust::TwoThirds => (r_h + 2.0 * r_i) / 3.0,
        BigRAdjust::Half => (r_h + r_i) / 2.0,
        BigRAdjust::OneThird => (2.0 * r_h + r_i) / 3.0,
        BigRAdjust::None => r_h,
    }
}

/// KTAB's `round4`: `(int)(0.5 + 10000 x) / 10000`, round half up in double arithmetic (for
/// the 0..1 positions it is applied to).
pub(crate) fn round4(x: f64) -> f64 {
    (0.5 + x * 10000.0).trunc() / 10000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utility_by_risk_attitude() {
        assert_eq!(utility(0.0, 1.0), 1.0);
        assert_eq!(utility(1.0, -0.5), 0.0);
        assert_eq!(utility(0.5, 1.0), 0.75); // 1 - d^2
        assert_eq!(utility(0.5, 0.0), 0.5);
        assert_eq!(utility(0.5, -1.0), 0.25); // (1 - d)^2
    }

    #[test]
    fn distance_ignores_the_overall_salience_level() {
        let d1 = distance(&[0.2, 0.8], &[0.6, 0.5], &[0.3, 0.1]);
        let d2 = distance(&[0.2, 0.8], &[0.6, 0.5], &[0.6, 0.2]);
        assert!((d1 - d2).abs() < 1e-15);
        assert_eq!(distance(&[0.4], &[0.1], &[0.5]), 0.30000000000000004);
    }

    #[test]
    fn votes_follow_each_rule() {
        assert_eq!(vote(VotingRule::Proportional, 2.0, 0.75, 0.25), 1.0);
        assert_eq!(vote(VotingRule::Binary, 2.0, 0.75, 0.25), 2.0);
        assert_eq!(vote(VotingRule::Cubic, 2.0, 0.75, 0.25), 0.25);
        assert_eq!(vote(VotingRule::PropCbc, 2.0, 0.75, 0.25), 0.625);
        assert!((vote(VotingRule::PropBin, 2.0, 0.75, 0.25) - 1.2).abs() < 1e-15);
        assert_eq!(vote(VotingRule::ASymProsp, 3.0, 0.25, 0.75), -1.5);
        assert_eq!(vote(VotingRule::ASymProsp, 3.0, 0.75, 0.25), 1.0);
    }

    #[test]
    fn victory_laws() {
        assert_eq!(victory(VictoryProbModel::Linear, 2.0, 1.0).0, 2.0 / 3.0);
        assert_eq!(victory(VictoryProbModel::Square, 2.0, 1.0).0, 0.8);
        assert_eq!(victory(VictoryProbModel::Quartic, 2.0, 1.0).0, 16.0 / 17.0);
        assert_eq!(victory(VictoryProbModel::Octic, 2.0, 1.0).0, 256.0 / 257.0);
        assert!(victory(VictoryProbModel::Binary, 1.1, 1.0).0 > 0.999_998);
        assert!((victory(VictoryProbModel::Binary, 1.0, 1.0).0 - 0.5).abs() < 1e-12);
    }

    #[test]
    fn pce_models_agree_on_a_clear_favourite_and_sum_to_one() {
        // Option 0 is preferred by every voter.
        let u = [[1.0, 0.5, 0.2], [0.9, 0.8, 0.1], [0.7, 0.6, 0.65]];
        for model in PceModel::ALL {
            let p = scalar_pce(
                &[1.0, 2.0, 1.5],
                3,
                |k, m| u[k][m],
                VotingRule::Proportional,
                VictoryProbModel::Linear,
                *model,
            );
            let total: f64 = p.iter().sum();
            assert!((total - 1.0).abs() < 1e-6, "{model:?}: {p:?}");
            assert!(p[0] > p[1] && p[0] > p[2], "{model:?}: {p:?}");
        }
    }

    #[test]
    fn risk_ranges() {
        let p = [0.1, 0.3, 0.6];
        let min = risk_from_probabilities(&p, BigRRange::Min);
        assert!(min[0] == 0.0 && (min[1] - 0.4).abs() < 1e-15 && min[2] == 1.0);
        let mid = risk_from_probabilities(&p, BigRRange::Mid);
        assert!((mid[0] + 0.5).abs() < 1e-15 && (mid[2] - 1.0).abs() < 1e-15);
        let max = risk_from_probabilities(&p, BigRRange::Max);
        assert!((max[0] + 1.0).abs() < 1e-15 && (max[2] - 1.0).abs() < 1e-15);
        assert_eq!(
            risk_from_probabilities(&[0.5, 0.5], BigRRange::Mid),
            [0.0, 0.0]
        );
    }

    #[test]
    fn round4_rounds_half_up() {
        assert_eq!(round4(0.12345), 0.1235);
        assert_eq!(round4(0.12344), 0.1234);
        assert_eq!(round4(1.0), 1.0);
        assert_eq!(round4(0.0), 0.0);
    }
}
