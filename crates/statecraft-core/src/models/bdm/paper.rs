//! One round of the expected-utility model as the paper describes it, in O(n^2 log n).
//!
//! Differences from the reference (`reference.rs`): votes are linear in distance
//! (v_k = c_k s_k (|x_k - x_j| - |x_k - x_i|) / delta), so the probability that i prevails over j
//! is per pair, P_ij = sum of the votes for i / sum of all votes' magnitudes; the status-quo term
//! uses general Q and T; every actor takes the offer that moves it least; capitulation works; and
//! when every security level is equal every actor is risk neutral (r = 1) rather than halting.
//!
//! Linear votes let P_ij come from prefix sums over the sorted positions: with lo < hi the two
//! positions and m their midpoint, actors at or below lo favour the lower position by (hi - lo),
//! actors at or above hi favour the upper one by as much, and an actor at x_k in between favours
//! the lower one by (lo + hi - 2 x_k). Each pair then costs two binary searches.

use rayon::prelude::*;

use super::{risk_exponents, ActorRound, Offer, OfferKind, RoundResult, Setup};

/// Sorted positions with prefix sums of weight and weight x position.
pub(crate) struct VoteTable {
    xs: Vec<f64>,
    /// w_prefix[t] = sum of the weights of the first t sorted actors.
    w_prefix: Vec<f64>,
    /// wx_prefix[t] = sum of weight x position of the first t sorted actors.
    wx_prefix: Vec<f64>,
}

impl VoteTable {
    pub(crate) fn new(weight: &[f64], x: &[f64]) -> Self {
        let mut order: Vec<usize> = (0..x.len()).collect();
        order.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
        let mut w_prefix = vec![0.0; x.len() + 1];
        let mut wx_prefix = vec![0.0; x.len() + 1];
        for (t, &k) in order.iter().enumerate() {
            w_prefix[t + 1] = w_prefix[t] + weight[k];
            wx_prefix[t + 1] = wx_prefix[t] + weight[k] * x[k];
        }
        Self {
            xs: order.iter().map(|&k| x[k]).collect(),
            w_prefix,
            wx_prefix,
        }
    }

    /// Number of sorted positions strictly below `v` / at or below `v`.
    fn below(&self, v: f64) -> usize {
        self.xs.partition_point(|&x| x < v)
    }

    fn at_or_below(&self, v: f64) -> usize {
        self.xs.partition_point(|&x| x <= v)
    }

    /// P(the actor at `xi` prevails over the actor at `xj`), from the weighted linear votes.
    pub(crate) fn probability(&self, xi: f64, xj: f64) -> f64 {
        if xi == xj {
            return 0.0;
        }
        let (lo, hi) = if xi < xj { (xi, xj) } else { (xj, xi) };
        let gap = hi - lo;
        let mid = 0.5 * (lo + hi);
        let total_w = self.w_prefix[self.xs.len()];
        // Votes for the lower position: those at or below lo, and those in (lo, mid).
        let t_lo = self.at_or_below(lo);
        let t_mid_below = self.below(mid);
        let t_mid_above = self.at_or_below(mid);
        let t_hi = self.below(hi);
        let (w, wx) = (&self.w_prefix, &self.wx_prefix);
        let between_low =
            (w[t_mid_below] - w[t_lo]) * (lo + hi) - 2.0 * (wx[t_mid_below] - wx[t_lo]);
        let between_high =
            2.0 * (wx[t_hi] - wx[t_mid_above]) - (w[t_hi] - w[t_mid_above]) * (lo + hi);
        let for_lower = w[t_lo] * gap + between_low.max(0.0);
        let for_upper = (total_w - w[t_hi]) * gap + between_high.max(0.0);
        let total = for_lower + for_upper;
        if total <= 0.0 {
            return 0.0;
        }
        if xi < xj {
            for_lower / total
        } else {
            for_upper / total
        }
    }
}

/// EU_i(i -> j) and EU_i(j -> i) as perceived by i with exponent `r_i`, with general Q and T.
fn expected_utilities(
    setup: &Setup<'_>,
    x: &[f64],
    votes: &VoteTable,
    median: f64,
    r_i: f64,
    i: usize,
    j: usize,
) -> (f64, f64) {
    let s = |k: usize| setup.actors[k].salience;
    let (q, t) = (setup.params.q, setup.params.t);
    let delta = setup.delta;
    let d = (x[i] - x[j]).abs() / delta;
    let utility = |base: f64| 2.0 - 4.0 * base.powf(r_i);
    let success = utility(0.5 - 0.5 * d);
    let failure = utility(0.5 + 0.5 * d);
    // The status quo term: it persists (Q), or changes for the better (T) or the worse.
    let status_quo_term = |from: f64| {
        if q == 1.0 {
            return utility(0.5);
        }
        let shift = 0.25 * ((from - median).abs() + (x[i] - x[j]).abs()) / delta;
        q * utility(0.5) + (1.0 - q) * (t * utility(0.5 - shift) + (1.0 - t) * utility(0.5 + shift))
    };
    let p_ij = votes.probability(x[i], x[j]);
    let p_ji = votes.probability(x[j], x[i]);
    let eu_ij = s(j) * (p_ij * success + (1.0 - p_ij) * failure) + (1.0 - s(j)) * success
        - status_quo_term(x[i]);
    let eu_ji = s(i) * (p_ji * success + (1.0 - p_ji) * failure) + (1.0 - s(i)) * success
        - status_quo_term(x[j]);
    (eu_ij, eu_ji)
}

/// One round from positions `x` and the current median. Never halts.
pub(super) fn round(setup: &Setup<'_>, x: &[f64], median: f64) -> RoundResult {
    let n = x.len();
    let votes = VoteTable::new(&setup.weight, x);
    let security: Vec<f64> = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut total = 0.0;
            for j in (0..n).filter(|&j| j != i) {
                total += expected_utilities(setup, x, &votes, median, 1.0, i, j).1;
            }
            total
        })
        .collect();
    let (big_r, r) = risk_exponents(&security).unwrap_or_else(|| (vec![0.0; n], vec![1.0; n]));
    let rounds = (0..n)
        .into_par_iter()
        .map(|i| {
            // (movement, offer); the first j wins ties.
            let mut best: Option<(f64, Offer)> = None;
            for j in (0..n).filter(|&j| x[j] != x[i]) {
                let (a, b) = expected_utilities(setup, x, &votes, median, r[i], i, j);
                let offer = if b > a && a > 0.0 {
                    Offer {
                        kind: OfferKind::Confrontation,
                        from: j,
                        eu_ij: a,
                        eu_ji: b,
                        to: x[j],
                    }
                } else if b > 0.0 && 0.0 > a && a.abs() < b {
                    let to = x[i] + (x[j] - x[i]) * (a / b).abs();
                    Offer {
                        kind: OfferKind::Compromise,
                        from: j,
                        eu_ij: a,
                        eu_ji: b,
                        to,
                    }
                } else if b > 0.0 && 0.0 > a {
                    Offer {
                        kind: OfferKind::Capitulation,
                        from: j,
                        eu_ij: a,
                        eu_ji: b,
                        to: x[j],
                    }
                } else {
                    continue;
                };
                let movement = (offer.to - x[i]).abs();
                if best.as_ref().is_none_or(|(m, _)| movement < *m) {
                    best = Some((movement, offer));
                }
            }
            ActorRound {
                x_before: x[i],
                danger_r1: security[i],
                risk: big_r[i],
                r: r[i],
                offer: best.map(|b| b.1),
                x_after: x[i],
            }
        })
        .collect();
    Some(rounds)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prefix-sum probability equals the direct sum over voters.
    fn direct(weight: &[f64], x: &[f64], xi: f64, xj: f64) -> f64 {
        let (mut favour, mut total) = (0.0, 0.0);
        for (k, &xk) in x.iter().enumerate() {
            let v = weight[k] * ((xk - xj).abs() - (xk - xi).abs());
            favour += v.max(0.0);
            total += v.abs();
        }
        if total == 0.0 {
            0.0
        } else {
            favour / total
        }
    }

    #[test]
    fn prefix_sums_match_the_direct_sum() {
        let x = [
            4.0, 7.0, 4.0, 4.0, 10.0, 10.0, 10.0, 7.0, 4.0, 7.0, 5.5, 8.25,
        ];
        let w = [
            0.064, 0.032, 0.006, 0.128, 0.096, 0.096, 0.144, 0.005, 0.05, 0.056, 0.2, 0.01,
        ];
        let table = VoteTable::new(&w, &x);
        for &xi in &x {
            for &xj in &x {
                let (fast, slow) = (table.probability(xi, xj), direct(&w, &x, xi, xj));
                assert!(
                    (fast - slow).abs() < 1e-12,
                    "{xi} vs {xj}: {fast} != {slow}"
                );
            }
        }
    }
}
