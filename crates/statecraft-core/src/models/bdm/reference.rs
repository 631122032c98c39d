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
            u[k * n + a] = power((x[k] - x[a]).abs() / delta, r[k]);
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
    // favour[j] sums k's votes for i over j in the order k = 0, 1, ...; keeping one running sum
    // per j (rather than finishing one j before the next) adds in that same order, bit for bit,
    // and lets the sums of different j proceed together.
    let mut p = vec![0.0; n * n];
    let mut favour = vec![0.0; n];
    for i in 0..n {
        favour.fill(0.0);
        for k in 0..n {
            let (w, row) = (setup.weight[k], &u[k * n..(k + 1) * n]);
            for (sum, &u_kj) in favour.iter_mut().zip(row) {
                *sum += f64::max(0.0, w * (u_kj - row[i]));
            }
        }
        for j in (0..n).filter(|&j| x[i] != x[j]) {
            p[i * n + j] = favour[j] / norm;
        }
    }
    p
}

/// The terms of one ordered pair (i, j) as i perceives them with its exponent r_i.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairTerms {
    /// P_ij: probability that i prevails over j.
    pub p_ij: f64,
    /// EU_i(i -> j).
    pub eu_ij: f64,
    /// EU_i(j -> i).
    pub eu_ji: f64,
    /// U_s: utility of success.
    pub success: f64,
    /// U_f: utility of failure.
    pub failure: f64,
}

/// base^r, with r = 1 (the whole security-level phase) spared the call: pow(b, 1) is b exactly.
fn power(base: f64, r: f64) -> f64 {
    if r == 1.0 {
        base
    } else {
        base.powf(r)
    }
}

/// The terms of the pair (i, j) under i's exponent `r_i`, given U_sq = `status_quo` under it.
fn pair_terms(
    setup: &Setup<'_>,
    x: &[f64],
    p: &[f64],
    (r_i, status_quo): (f64, f64),
    i: usize,
    j: usize,
) -> PairTerms {
    let n = x.len();
    let s = |k: usize| setup.actors[k].salience;
    let d = (x[i] - x[j]).abs() / setup.delta;
    let success = 2.0 - 4.0 * power(0.5 - 0.5 * d, r_i);
    let failure = 2.0 - 4.0 * power(0.5 + 0.5 * d, r_i);
    let (p_ij, p_ji) = (p[i * n + j], p[j * n + i]);
    let eu_ij =
        s(j) * (p_ij * success + (1.0 - p_ij) * failure) + (1.0 - s(j)) * success - status_quo;
    let eu_ji =
        s(i) * (p_ji * success + (1.0 - p_ji) * failure) + (1.0 - s(i)) * success - status_quo;
    PairTerms {
        p_ij,
        eu_ij,
        eu_ji,
        success,
        failure,
    }
}

/// U_sq = 2 - 4 (0.5)^r.
fn status_quo_utility(r: f64) -> f64 {
    2.0 - 4.0 * power(0.5, r)
}

/// Every term of one phase of a round (exponents `r`), for inspection and term-by-term tests.
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseTerms {
    /// `pairs[i * n + j]`: the ordered pair (i, j) as i sees it.
    pub pairs: Vec<PairTerms>,
    /// Per actor: U_sq under its exponent.
    pub status_quo: Vec<f64>,
    /// Per actor: S_i = sum over j != i of EU_i(j -> i) (the security level when every r = 1).
    pub security: Vec<f64>,
}

/// Computes one phase of the reference's round at positions `x` with exponents `r`.
pub(super) fn phase(setup: &Setup<'_>, x: &[f64], r: &[f64]) -> PhaseTerms {
    let n = x.len();
    let p = probabilities(setup, x, r);
    let status_quo: Vec<f64> = r.iter().map(|&r| status_quo_utility(r)).collect();
    let mut pairs = Vec::with_capacity(n * n);
    for i in 0..n {
        for j in 0..n {
            pairs.push(pair_terms(setup, x, &p, (r[i], status_quo[i]), i, j));
        }
    }
    let security = (0..n)
        .map(|i| {
            let mut total = 0.0;
            for j in (0..n).filter(|&j| j != i) {
                total += pairs[i * n + j].eu_ji;
            }
            total
        })
        .collect();
    PhaseTerms {
        pairs,
        status_quo,
        security,
    }
}

/// One round from positions `x`: security levels with r = 1, risk exponents, then each actor's
/// offer under the new exponents. `None` when every security level is equal.
pub(super) fn round(setup: &Setup<'_>, x: &[f64]) -> RoundResult {
    let n = x.len();
    let security = phase(setup, x, &vec![1.0; n]).security;
    let (big_r, r) = risk_exponents(&security)?;
    let p = probabilities(setup, x, &r);
    let capitulation_fix = setup.params.capitulation_fix;
    let rounds = (0..n)
        .map(|i| {
            // (priority, selection key, offer); the first j wins ties.
            let mut best: Option<(u8, f64, Offer)> = None;
            let perceiver = (r[i], status_quo_utility(r[i]));
            for j in (0..n).filter(|&j| x[j] != x[i]) {
                let terms = pair_terms(setup, x, &p, perceiver, i, j);
                let (a, b) = (terms.eu_ij, terms.eu_ji);
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
