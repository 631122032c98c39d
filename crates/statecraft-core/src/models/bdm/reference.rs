//! One round of the public reference reconstruction of the expected-utility model, reproduced
//! exactly: same formulas, same quirks, same order of floating-point operations.
//!
//! The quirks kept (see `docs/models/bdm.md` and the shared model notes): the probability of
//! success uses one global normaliser over every actor's votes on every ordered pair; votes and
//! utilities use the risk exponents; EU_i(j -> i) is computed with i's exponent; offers are taken
//! in the priority confrontation > compromise > capitulation, the compromise with the smallest
//! resulting point winning; the capitulation branch is dead unless repaired; a round in which
//! every security level is equal cannot be computed (the reference divides by zero).

use super::{risk_exponents, ActorRound, Offer, OfferKind, RoundResult, Setup};

/// Probabilities of success P[i][j] (row-major) under exponents `r`.
fn probabilities(setup: &Setup<'_>, x: &[f64], r: &[f64]) -> Vec<f64> {
    let n = x.len();
    let delta = setup.delta;
    // u[k][a] = (|x_k - x_a| / delta)^r_k: each vote is w_k (u[k][b] - u[k][a]).
    let mut u = vec![0.0; n * n];
    for k in 0..n {
        for a in 0..n {
            u[k * n + a] = ((x[k] - x[a]).abs() / delta).powf(r[k]);
        }
    }
    // The global normaliser, summed over k, then a, then b, as the reference does.
    let mut norm = 0.0;
    for k in 0..n {
        let w = setup.weight[k];
        for a in 0..n {
            for b in 0..n {
                norm += (w * (u[k * n + b] - u[k * n + a])).abs();
            }
        }
    }
    let mut p = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            if x[i] == x[j] {
                continue;
            }
            let mut favour = 0.0;
            for k in 0..n {
                favour += f64::max(0.0, setup.weight[k] * (u[k * n + j] - u[k * n + i]));
            }
            p[i * n + j] = favour / norm;
        }
    }
    p
}

/// (EU_i(i -> j), EU_i(j -> i)), both as perceived by i with its exponent r_i.
fn expected_utilities(
    setup: &Setup<'_>,
    x: &[f64],
    p: &[f64],
    r_i: f64,
    i: usize,
    j: usize,
) -> (f64, f64) {
    let n = x.len();
    let s = |k: usize| setup.actors[k].salience;
    let d = (x[i] - x[j]).abs() / setup.delta;
    let success = 2.0 - 4.0 * (0.5 - 0.5 * d).powf(r_i);
    let failure = 2.0 - 4.0 * (0.5 + 0.5 * d).powf(r_i);
    let status_quo = 2.0 - 4.0 * 0.5f64.powf(r_i);
    let (p_ij, p_ji) = (p[i * n + j], p[j * n + i]);
    let eu_ij =
        s(j) * (p_ij * success + (1.0 - p_ij) * failure) + (1.0 - s(j)) * success - status_quo;
    let eu_ji =
        s(i) * (p_ji * success + (1.0 - p_ji) * failure) + (1.0 - s(i)) * success - status_quo;
    (eu_ij, eu_ji)
}

/// One round from positions `x`: security levels with r = 1, risk exponents, then each actor's
/// offer under the new exponents. `None` when every security level is equal.
pub(super) fn round(setup: &Setup<'_>, x: &[f64]) -> RoundResult {
    let n = x.len();
    let ones = vec![1.0; n];
    let p = probabilities(setup, x, &ones);
    let security: Vec<f64> = (0..n)
        .map(|i| {
            let mut total = 0.0;
            for j in (0..n).filter(|&j| j != i) {
                total += expected_utilities(setup, x, &p, 1.0, i, j).1;
            }
            total
        })
        .collect();
    let (big_r, r) = risk_exponents(&security)?;
    let p = probabilities(setup, x, &r);
    let capitulation_fix = setup.params.capitulation_fix;
    let rounds = (0..n)
        .map(|i| {
            // (priority, selection key, offer); the first j wins ties.
            let mut best: Option<(u8, f64, Offer)> = None;
            for j in (0..n).filter(|&j| x[j] != x[i]) {
                let (a, b) = expected_utilities(setup, x, &p, r[i], i, j);
                let candidate = if b > a && a > 0.0 {
                    let offer = Offer {
                        kind: OfferKind::Confrontation,
                        from: j,
                        eu_ij: a,
                        eu_ji: b,
                        to: x[j],
                    };
                    (0, (x[j] - x[i]).abs(), offer)
                } else if b > 0.0 && 0.0 > a && a.abs() < b {
                    let to = x[i] + (x[j] - x[i]) * (a / b).abs();
                    let key = (a.abs() * x[i] + b.abs() * x[j]) / (a.abs() + b.abs());
                    (
                        1,
                        key,
                        Offer {
                            kind: OfferKind::Compromise,
                            from: j,
                            eu_ij: a,
                            eu_ji: b,
                            to,
                        },
                    )
                } else if capitulation_fix && b > 0.0 && 0.0 > a && a.abs() > b {
                    let offer = Offer {
                        kind: OfferKind::Capitulation,
                        from: j,
                        eu_ij: a,
                        eu_ji: b,
                        to: x[j],
                    };
                    (2, (x[j] - x[i]).abs(), offer)
                } else {
                    continue;
                };
                let better = match &best {
                    None => true,
                    Some((priority, key, _)) => (candidate.0, candidate.1) < (*priority, *key),
                };
                if better {
                    best = Some(candidate);
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
