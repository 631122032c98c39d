//! One round of the expected-utility model as the paper describes it, in O(n^2) after a sort.
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
//! the lower one by (lo + hi - 2 x_k). Each pair needs four boundaries in the sorted positions
//! (at lo, either side of m, at hi). For a fixed i, as j sweeps the positions in ascending order,
//! lo, m and hi never decrease (lo = x_j then x_i, hi = x_i then x_j), so the four boundaries only
//! advance: all of i's pairs cost O(n) together, and the round O(n^2) after an O(n log n) sort.

use rayon::prelude::*;

use super::{risk_exponents, ActorRound, Offer, OfferKind, RoundResult, Setup};

/// Sorted positions with prefix sums of weight and weight x position.
pub(crate) struct VoteTable {
    /// Actor indices in ascending order of position (ties by index).
    order: Vec<usize>,
    xs: Vec<f64>,
    /// w_prefix[t] = sum of the weights of the first t sorted actors.
    w_prefix: Vec<f64>,
    /// wx_prefix[t] = sum of weight x position of the first t sorted actors.
    wx_prefix: Vec<f64>,
}

/// The four boundaries of a pair in the sorted positions; each only moves forward during a sweep.
#[derive(Default)]
struct Cursor {
    /// Positions at or below lo.
    at_or_below_lo: usize,
    /// Positions strictly below the midpoint.
    below_mid: usize,
    /// Positions at or below the midpoint.
    at_or_below_mid: usize,
    /// Positions strictly below hi.
    below_hi: usize,
}

/// Moves `t` forward past every sorted position `xs[t]` with `passes(xs[t])`.
fn advance(xs: &[f64], t: &mut usize, passes: impl Fn(f64) -> bool) {
    while *t < xs.len() && passes(xs[*t]) {
        *t += 1;
    }
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
            order,
            w_prefix,
            wx_prefix,
        }
    }

    /// (P(the actor at `xi` prevails over the one at `xj`), the reverse), from the weighted
    /// linear votes; the cursor must not have passed the boundaries of this pair.
    fn probabilities(&self, cursor: &mut Cursor, xi: f64, xj: f64) -> (f64, f64) {
        if xi == xj {
            return (0.0, 0.0);
        }
        let (lo, hi) = if xi < xj { (xi, xj) } else { (xj, xi) };
        let gap = hi - lo;
        let mid = 0.5 * (lo + hi);
        let xs = &self.xs;
        advance(xs, &mut cursor.at_or_below_lo, |x| x <= lo);
        advance(xs, &mut cursor.below_mid, |x| x < mid);
        advance(xs, &mut cursor.at_or_below_mid, |x| x <= mid);
        advance(xs, &mut cursor.below_hi, |x| x < hi);
        let (t_lo, t_mid_below, t_mid_above, t_hi) = (
            cursor.at_or_below_lo,
            cursor.below_mid,
            cursor.at_or_below_mid,
            cursor.below_hi,
        );
        let total_w = self.w_prefix[xs.len()];
        let (w, wx) = (&self.w_prefix, &self.wx_prefix);
        // Votes for the lower position: those at or below lo, and those in (lo, mid).
        let between_low =
            (w[t_mid_below] - w[t_lo]) * (lo + hi) - 2.0 * (wx[t_mid_below] - wx[t_lo]);
        let between_high =
            2.0 * (wx[t_hi] - wx[t_mid_above]) - (w[t_hi] - w[t_mid_above]) * (lo + hi);
        let for_lower = w[t_lo] * gap + between_low.max(0.0);
        let for_upper = (total_w - w[t_hi]) * gap + between_high.max(0.0);
        let total = for_lower + for_upper;
        if total <= 0.0 {
            return (0.0, 0.0);
        }
        let (p_lower, p_upper) = (for_lower / total, for_upper / total);
        if xi < xj {
            (p_lower, p_upper)
        } else {
            (p_upper, p_lower)
        }
    }

    /// Every j != i with (j, P_ij, P_ji), in ascending order of x_j.
    fn sweep(&self, x: &[f64], i: usize) -> Vec<(usize, f64, f64)> {
        let mut cursor = Cursor::default();
        self.order
            .iter()
            .filter(|&&j| j != i)
            .map(|&j| {
                let (p_ij, p_ji) = self.probabilities(&mut cursor, x[i], x[j]);
                (j, p_ij, p_ji)
            })
            .collect()
    }
}

/// Actor i's risk exponent r_i, with its utility of the midpoint (2 - 4 x 0.5^r_i) formed once.
#[derive(Clone, Copy)]
struct Perceiver {
    i: usize,
    r: f64,
    utility_of_half: f64,
}

impl Perceiver {
    fn new(i: usize, r: f64) -> Self {
        let mut me = Self {
            i,
            r,
            utility_of_half: 0.0,
        };
        me.utility_of_half = me.utility(0.5);
        me
    }

    /// 2 - 4 base^r, with r = 1 (every security-level pass) spared the power.
    fn utility(&self, base: f64) -> f64 {
        let power = if self.r == 1.0 {
            base
        } else {
            base.powf(self.r)
        };
        2.0 - 4.0 * power
    }
}

/// EU_i(i -> j) and EU_i(j -> i) as perceived by i, with general Q and T, given P_ij and P_ji.
fn expected_utilities(
    setup: &Setup<'_>,
    x: &[f64],
    median: f64,
    me: Perceiver,
    j: usize,
    (p_ij, p_ji): (f64, f64),
) -> (f64, f64) {
    let i = me.i;
    let s = |k: usize| setup.actors[k].salience;
    let (q, t) = (setup.params.q, setup.params.t);
    let delta = setup.delta;
    let d = (x[i] - x[j]).abs() / delta;
    let success = me.utility(0.5 - 0.5 * d);
    let failure = me.utility(0.5 + 0.5 * d);
    // The status quo term: it persists (Q), or changes for the better (T) or the worse.
    let status_quo_term = |from: f64| {
        if q == 1.0 {
            return me.utility_of_half;
        }
        let shift = 0.25 * ((from - median).abs() + (x[i] - x[j]).abs()) / delta;
        q * me.utility_of_half
            + (1.0 - q) * (t * me.utility(0.5 - shift) + (1.0 - t) * me.utility(0.5 + shift))
    };
    let eu_ij = s(j) * (p_ij * success + (1.0 - p_ij) * failure) + (1.0 - s(j)) * success
        - status_quo_term(x[i]);
    let eu_ji = s(i) * (p_ji * success + (1.0 - p_ji) * failure) + (1.0 - s(i)) * success
        - status_quo_term(x[j]);
    (eu_ij, eu_ji)
}

/// For actor i, every other actor j with (j, P_ij, P_ji), in any order.
type Pairs<'a> = dyn Fn(usize) -> Vec<(usize, f64, f64)> + Sync + 'a;

/// One round from positions `x` and the current median. Never halts.
pub(super) fn round(setup: &Setup<'_>, x: &[f64], median: f64) -> RoundResult {
    let votes = VoteTable::new(&setup.weight, x);
    round_with(setup, x, median, &|i| votes.sweep(x, i))
}

/// The round with any way of computing each actor's pair probabilities (the tests pass the
/// direct O(n) sum). The order of the pairs changes sums only in their last bits; ties between
/// offers go to the lowest j whatever the order.
fn round_with(setup: &Setup<'_>, x: &[f64], median: f64, pairs: &Pairs<'_>) -> RoundResult {
    let n = x.len();
    let security: Vec<f64> = (0..n)
        .into_par_iter()
        .map(|i| {
            let me = Perceiver::new(i, 1.0);
            pairs(i)
                .into_iter()
                .map(|(j, p_ij, p_ji)| expected_utilities(setup, x, median, me, j, (p_ij, p_ji)).1)
                .sum()
        })
        .collect();
    let (big_r, r) = risk_exponents(&security).unwrap_or_else(|| (vec![0.0; n], vec![1.0; n]));
    let rounds = (0..n)
        .into_par_iter()
        .map(|i| {
            // (movement, j, offer): the least movement, then the lowest j.
            let mut best: Option<(f64, usize, Offer)> = None;
            let me = Perceiver::new(i, r[i]);
            for (j, p_ij, p_ji) in pairs(i) {
                if x[j] == x[i] {
                    continue;
                }
                let (a, b) = expected_utilities(setup, x, median, me, j, (p_ij, p_ji));
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
                let better = best
                    .as_ref()
                    .is_none_or(|&(m, k, _)| movement < m || (movement == m && j < k));
                if better {
                    best = Some((movement, j, offer));
                }
            }
            ActorRound {
                x_before: x[i],
                danger_r1: security[i],
                risk: big_r[i],
                r: r[i],
                offer: best.map(|b| b.2),
                x_after: x[i],
            }
        })
        .collect();
    Some(rounds)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::models::bdm::{BdmActor, BdmParams, Variant};

    /// P from the direct sum over voters: O(n) per pair.
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

    /// Actors with a few shared positions, so that ties between voters and positions occur.
    fn actors() -> impl Strategy<Value = Vec<BdmActor>> {
        let actor = (
            0.1f64..10.0,
            prop::sample::select(vec![0.0, 12.5, 25.0, 50.0, 50.0, 75.0, 100.0]),
            0.0f64..100.0,
            any::<bool>(),
            0.05f64..=1.0,
        );
        prop::collection::vec(actor, 2..14).prop_map(|list| {
            list.into_iter()
                .enumerate()
                .map(
                    |(k, (capability, grid, free, on_grid, salience))| BdmActor {
                        name: format!("A{k}"),
                        capability,
                        position: if on_grid { grid } else { free },
                        salience,
                    },
                )
                .collect()
        })
    }

    fn setup(actors: &[BdmActor], params: BdmParams) -> Setup<'_> {
        let x: Vec<f64> = actors.iter().map(|a| a.position).collect();
        let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
        Setup {
            actors,
            weight: actors.iter().map(|a| a.capability * a.salience).collect(),
            delta: (hi - lo).max(1.0),
            params,
        }
    }

    proptest! {
        #[test]
        fn prefix_sums_match_the_direct_sum(actors in actors()) {
            let x: Vec<f64> = actors.iter().map(|a| a.position).collect();
            let w: Vec<f64> = actors.iter().map(|a| a.capability * a.salience).collect();
            let table = VoteTable::new(&w, &x);
            for i in 0..x.len() {
                let swept = table.sweep(&x, i);
                prop_assert_eq!(swept.len(), x.len() - 1);
                for (j, p_ij, p_ji) in swept {
                    let (xi, xj) = (x[i], x[j]);
                    let (slow_ij, slow_ji) = (direct(&w, &x, xi, xj), direct(&w, &x, xj, xi));
                    // The prefix sums subtract running totals of w and w·x, so their rounding
                    // error is about ε·Σ w(|x| + |xi| + |xj|); the probability divides it by the
                    // pair's vote mass Σ w·|(|x - xj| - |x - xi|)|, which is tiny when the two
                    // positions nearly coincide (a failing case had them 4e-5 apart). The direct
                    // sum has no such cancellation, so the agreement is bounded by that ratio.
                    let magnitude: f64 =
                        w.iter().zip(&x).map(|(w, xk)| w * (xk.abs() + xi.abs() + xj.abs())).sum();
                    let mass: f64 = w
                        .iter()
                        .zip(&x)
                        .map(|(w, xk)| (w * ((xk - xj).abs() - (xk - xi).abs())).abs())
                        .sum();
                    let bound = 1e-12 + 64.0 * f64::EPSILON * magnitude / mass.max(f64::MIN_POSITIVE);
                    prop_assert!((p_ij - slow_ij).abs() < bound, "{xi} vs {xj}: {p_ij} != {slow_ij} (bound {bound})");
                    prop_assert!((p_ji - slow_ji).abs() < bound, "{xj} vs {xi}: {p_ji} != {slow_ji} (bound {bound})");
                }
            }
        }

        #[test]
        fn probabilities_of_a_pair_add_up_to_one(actors in actors()) {
            let x: Vec<f64> = actors.iter().map(|a| a.position).collect();
            let w: Vec<f64> = actors.iter().map(|a| a.capability * a.salience).collect();
            let table = VoteTable::new(&w, &x);
            for i in 0..x.len() {
                for (j, p_ij, p_ji) in table.sweep(&x, i) {
                    if x[j] != x[i] {
                        let sum = p_ij + p_ji;
                        prop_assert!((sum - 1.0).abs() < 1e-12, "P({},{}) + P({},{}) = {sum}", x[i], x[j], x[j], x[i]);
                    }
                }
            }
        }

        #[test]
        fn fast_round_equals_the_naive_round(actors in actors(), q in 0.0f64..=1.0, t in 0.0f64..=1.0) {
            let mut params = BdmParams::reference(1);
            params.variant = Variant::ScholzPaper;
            params.q = q;
            params.t = t;
            let setup = setup(&actors, params);
            let x: Vec<f64> = actors.iter().map(|a| a.position).collect();
            let median = super::super::median(&setup, &x);
            let fast = round(&setup, &x, median).expect("the paper variant never halts");
            let naive_pairs = |i: usize| {
                (0..x.len())
                    .filter(|&j| j != i)
                    .map(|j| (j, direct(&setup.weight, &x, x[i], x[j]), direct(&setup.weight, &x, x[j], x[i])))
                    .collect()
            };
            let naive = round_with(&setup, &x, median, &naive_pairs).expect("never halts");
            for (a, (f, s)) in fast.iter().zip(&naive).enumerate() {
                prop_assert!((f.danger_r1 - s.danger_r1).abs() < 1e-9, "actor {a}: S {} vs {}", f.danger_r1, s.danger_r1);
                prop_assert!((f.r - s.r).abs() < 1e-9, "actor {a}: r {} vs {}", f.r, s.r);
                let to = |o: &Option<Offer>| o.map(|o| (o.kind, o.from, o.to));
                match (to(&f.offer), to(&s.offer)) {
                    (Some((k1, j1, x1)), Some((k2, j2, x2))) => {
                        prop_assert_eq!((k1, j1), (k2, j2), "actor {}", a);
                        prop_assert!((x1 - x2).abs() < 1e-9, "actor {a}: {x1} vs {x2}");
                    }
                    (None, None) => {}
                    (got, want) => prop_assert!(false, "actor {a}: {got:?} vs {want:?}"),
                }
            }
        }
    }
}
