//! One turn of the SMP (KTAB's `stepBCN`/`doBCN`): assess the state, let every actor choose a
//! target and propose a bargain, resolve every actor's queue of bargains, move, adjust ideals.
//!
//! Assessment of a state (`smp.cpp` `setAllAUtil`, `pDist`):
//! 1. D(i, j) = d_i(theta_j), distances from ideals.
//! 2. Risk: votes of weight c_k on utilities u(D; 0), coalitions and PCE over all N positions
//!    give p_i; R_i from p (BigRRange); r_hi = h's estimate of R_i (BigRAdjust);
//!    aUtil[h](i, j) = u(D(i, j); r_hi).
//! 3. The reported distribution: PCE over the distinct positions (||dtheta||_2 < 1e-3, first
//!    holder represents), voters' utilities aUtil[i](i, j), weights c.
//!
//! Challenges (`smpbcn.cpp` `probEduChlg`), h's estimate, U = aUtil[h], w_n = c_n S_n:
//! principals a = V(w_i, U(i,i) - U(i,j)), b = V(w_j, U(j,i) - U(j,j)), C_ij = 1e-10 + [a]+ + [b]+,
//! C_ji = 1e-10 + [a]- + [b]-; each third party n judges the little contest
//! pi_n = (C_ij + [v_n]+)/(C_ij + [v_n]+ + C_ji + [v_n]-), v_n = V(w_n, U(n,i) - U(n,j)), and
//! votes V(w_n, EU(join i) - EU(join j)) with its commitment's payoffs; P = C_ij / (C_ij + C_ji);
//! for k: SQ = U(k,i) + U(k,j), Vict = 2U(k,i), Contest = P 2U(k,i) + (1-P) 2U(k,j),
//! Chlg = (1 - S_j) Vict + S_j Contest, gain = Chlg - SQ.
//!
//! Each actor i targets the j with the largest gain above 1e-5 (lowest j on ties) and proposes
//! a bargain, interpolated per dimension (InterVecBrgn) with the odds of the chosen perspective
//! (BargnModel); it joins the initiator's and the receiver's queues. Each queue, holding the
//! status quo first and then bargains by initiator, is resolved by a PCE over the bargains with
//! weights c and U_a(m) = (1/N)[u_a(b_I) + u_a(b_R) + sum_{n not I, R} aUtil[a](a, n)]; the actor
//! adopts its coordinates from the most probable bargain (or a drawn one). Ideals then follow
//! q_i <- sum_j a_ij theta_j + (1 - sum_j a_ij) q_i.
//!
//! Initiators and queues are processed in parallel (rayon); every sum runs in a fixed order,
//! so results do not depend on the number of threads.
//!
//! Source: `../shared/docs/models/ktab-smp.md` section 2 and precisions 1-7 (KTAB, KAPSARC, MIT
//! licence).

use rayon::prelude::*;

use super::kernel::{
    distance, estimated_risk, risk_from_probabilities, round4, scalar_pce, utility, vote, Square,
};
use super::params::{
    BargainModel, InterVecBrgn, SmpParams, StateTransitions, ThirdPartyCommit, VotingRule,
};
use super::prng::KtabRng;

/// Two positions closer than this (Euclidean, 0..1 scale) are one position (`smp.h` posTol).
pub(crate) const POSITION_TOLERANCE: f64 = 1e-3;

/// A challenge worth less than this is not worth making (`smpbcn.cpp` minSigEDU).
const MIN_GAIN: f64 = 1e-5;

/// The floor of the principals' coalitions in a challenge (`smpbcn.cpp` minCltn).
const MIN_CHALLENGE_COALITION: f64 = 1e-10;

/// Added to one side's weight in bargain interpolation, against 0/0 (`smp.cpp` minW).
const MIN_BARGAIN_WEIGHT: f64 = 1e-6;

/// What stays fixed for a run: capabilities, saliences, accommodation, parameters.
pub(crate) struct Setup<'a> {
    pub(crate) capability: &'a [f64],
    /// [actor][dimension], 0..1, summing to at most 1 per actor.
    pub(crate) salience: &'a [Vec<f64>],
    /// S_i, summed in dimension order.
    pub(crate) total_salience: Vec<f64>,
    /// c_i S_i, the weight of an actor in challenges.
    pub(crate) challenge_weight: Vec<f64>,
    /// a_ij, or `None` for the identity (ideals follow positions).
    pub(crate) accommodation: Option<&'a [Vec<f64>]>,
    pub(crate) params: SmpParams,
}

impl<'a> Setup<'a> {
    pub(crate) fn new(
        capability: &'a [f64],
        salience: &'a [Vec<f64>],
        accommodation: Option<&'a [Vec<f64>]>,
        params: SmpParams,
    ) -> Self {
        let total_salience: Vec<f64> = salience
            .iter()
            .map(|s| s.iter().fold(0.0, |acc, &x| acc + x))
            .collect();
        let challenge_weight = total_salience
            .iter()
            .zip(capability)
            .map(|(&s, &c)| s * c)
            .collect();
        Self {
            capability,
            salience,
            total_salience,
            challenge_weight,
            accommodation,
            params,
        }
    }

    fn n(&self) -> usize {
        self.capability.len()
    }
}

/// Positions and ideals, on the 0..1 scale: [actor][dimension].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Positions {
    pub(crate) position: Vec<Vec<f64>>,
    pub(crate) ideal: Vec<Vec<f64>>,
}

/// What a state implies: risk attitudes, utilities and the distribution over positions.
pub(crate) struct Assessment {
    /// D(i, j): distance from i's ideal to j's position, by i's saliences.
    distance: Square,
    /// R_i.
    pub(crate) risk: Vec<f64>,
    /// aUtil[i](i, j): i's own utility for j's position.
    own: Square,
    /// Indices of the distinct positions' first holders.
    pub(crate) unique: Vec<usize>,
    /// For each actor, the index in `unique` of its position.
    pub(crate) member: Vec<usize>,
    /// The probability of each distinct position.
    pub(crate) probability: Vec<f64>,
}

/// Assesses a state: distances, risk attitudes, own utilities and the reported distribution.
pub(crate) fn assess(setup: &Setup<'_>, state: &Positions) -> Assessment {
    let n = setup.n();
    let params = &setup.params;
    let rows: Vec<Vec<f64>> = (0..n)
        .into_par_iter()
        .map(|i| {
            (0..n)
                .map(|j| distance(&state.ideal[i], &state.position[j], &setup.salience[i]))
                .collect()
        })
        .collect();
    let distance_matrix = Square {
        n,
        values: rows.concat(),
    };
    // Risk-neutral utilities (R = 0 for everyone) decide how likely each position is.
    let neutral = Square {
        n,
        values: distance_matrix
            .values
            .iter()
            .map(|&d| utility(d, 0.0))
            .collect(),
    };
    let p = scalar_pce(
        setup.capability,
        n,
        |k, m| neutral.at(k, m),
        params.voting,
        params.victory,
        params.pce,
    );
    let risk = risk_from_probabilities(&p, params.risk_range);
    let own = Square {
        n,
        values: (0..n)
            .flat_map(|i| {
                let r = estimated_risk(risk[i], risk[i], params.risk_adjust);
                let d = &distance_matrix;
                (0..n).map(move |j| utility(d.at(i, j), r))
            })
            .collect(),
    };
    let (unique, member) = distinct_positions(&state.position);
    let probability = scalar_pce(
        setup.capability,
        unique.len(),
        |voter, u| own.at(voter, unique[u]),
        params.voting,
        params.victory,
        params.pce,
    );
    Assessment {
        distance: distance_matrix,
        risk,
        own,
        unique,
        member,
        probability,
    }
}

/// KTAB's `ueIndices`: each position joins the first distinct position within the tolerance,
/// or starts a new one.
pub(crate) fn distinct_positions(position: &[Vec<f64>]) -> (Vec<usize>, Vec<usize>) {
    let mut unique: Vec<usize> = Vec::new();
    let mut member = Vec::with_capacity(position.len());
    for (i, p) in position.iter().enumerate() {
        match unique
            .iter()
            .position(|&u| euclidean(p, &position[u]) < POSITION_TOLERANCE)
        {
            Some(found) => member.push(found),
            None => {
                unique.push(i);
                member.push(unique.len() - 1);
            }
        }
    }
    (unique, member)
}

/// ||a - b||_2, summed in dimension order.
pub(crate) fn euclidean(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .fold(0.0, |acc, (&x, &y)| {
            let d = x - y;
            acc + d * d
        })
        .sqrt()
}

/// h's utilities: aUtil[h](i, j) = u(D(i, j); r_hi).
fn perspective(setup: &Setup<'_>, assessment: &Assessment, h: usize) -> Square {
    let n = setup.n();
    let adjust = setup.params.risk_adjust;
    let mut values = Vec::with_capacity(n * n);
    for i in 0..n {
        let r = estimated_risk(assessment.risk[h], assessment.risk[i], adjust);
        for j in 0..n {
            values.push(utility(assessment.distance.at(i, j), r));
        }
    }
    Square { n, values }
}

/// h's estimate (utilities `u` = aUtil[h]) of the probability that i beats j and of the
/// expected gain to k if i challenges j.
fn challenge(setup: &Setup<'_>, u: &Square, k: usize, i: usize, j: usize) -> (f64, f64) {
    let rule = setup.params.voting;
    let commit = setup.params.third_party;
    let w = &setup.challenge_weight;
    let s_j = setup.total_salience[j];
    let eu_sq = u.at(k, i) + u.at(k, j);
    let eu_i_wins = u.at(k, i) + u.at(k, i);
    let eu_j_wins = u.at(k, j) + u.at(k, j);

    let contribution_i = vote(rule, w[i], u.at(i, i), u.at(i, j));
    let contribution_j = vote(rule, w[j], u.at(j, i), u.at(j, j));
    let mut c_ij = MIN_CHALLENGE_COALITION;
    let mut c_ji = MIN_CHALLENGE_COALITION;
    if contribution_i > 0.0 {
        c_ij += contribution_i;
    }
    if contribution_i < 0.0 {
        c_ji -= contribution_i;
    }
    if contribution_j > 0.0 {
        c_ij += contribution_j;
    }
    if contribution_j < 0.0 {
        c_ji -= contribution_j;
    }
    // Each third party weighs in against the principals' strengths alone.
    let (principals_ij, principals_ji) = (c_ij, c_ji);
    for (n, &w_n) in w.iter().enumerate() {
        if n == i || n == j {
            continue;
        }
        let (u_ni, u_nj, u_nn) = (u.at(n, i), u.at(n, j), u.at(n, n));
        let v = third_party_vote(
            rule,
            commit,
            w_n,
            u_ni,
            u_nj,
            u_nn,
            principals_ij,
            principals_ji,
        );
        if v > 0.0 {
            c_ij += v;
        }
        if v < 0.0 {
            c_ji -= v;
        }
    }
    let p_ij = c_ij / (c_ij + c_ji);
    let p_ji = c_ji / (c_ij + c_ji);
    let eu_contest = p_ij * eu_i_wins + p_ji * eu_j_wins;
    let eu_challenge = (1.0 - s_j) * eu_i_wins + s_j * eu_contest;
    (p_ij, eu_challenge - eu_sq)
}

/// A third party's vote in i's challenge of j (`kmodel.cpp` `vProbLittle` and
/// `thirdPartyVoteSU`): the odds of the little contest it would join, then its payoffs
/// (x 3 scale) from joining either side.
#[allow(clippy::too_many_arguments)]
fn third_party_vote(
    rule: VotingRule,
    commit: ThirdPartyCommit,
    w: f64,
    u_i: f64,
    u_j: f64,
    u_own: f64,
    c_ij: f64,
    c_ji: f64,
) -> f64 {
    let little = vote(rule, w, u_i, u_j);
    let with_i = if little > 0.0 { c_ij + little } else { c_ij };
    let with_j = if little < 0.0 { c_ji - little } else { c_ji };
    let p_i = with_i / (with_i + with_j);
    let p_j = 1.0 - p_i;
    // (joins i and i wins, joins i and j wins, joins j and i wins, joins j and j wins)
    let (join_i_wins, join_i_loses, join_j_loses, join_j_wins) = match commit {
        ThirdPartyCommit::FullCommit => (
            u_i + u_i + u_i,
            u_j + u_j + u_j,
            u_i + u_i + u_i,
            u_j + u_j + u_j,
        ),
        ThirdPartyCommit::SemiCommit => (
            u_i + u_i + u_own,
            u_j + u_j + u_j,
            u_i + u_i + u_i,
            u_j + u_j + u_own,
        ),
        ThirdPartyCommit::NoCommit => (
            u_i + u_i + u_own,
            u_j + u_j + u_own,
            u_i + u_i + u_own,
            u_j + u_j + u_own,
        ),
    };
    let eu_join_i = p_i * join_i_wins + p_j * join_i_loses;
    let eu_join_j = p_i * join_j_loses + p_j * join_j_wins;
    vote(rule, w, eu_join_i, eu_join_j)
}

/// A bargain on the 0..1 scale.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawBargain {
    pub(crate) initiator: usize,
    pub(crate) receiver: usize,
    /// Whose estimate of the odds shaped it (the initiator's, the receiver's, or for the
    /// power-weighted compromise the initiator's).
    pub(crate) perspective: usize,
    /// That estimate of P[initiator beats receiver].
    pub(crate) win_probability: f64,
    /// The initiator's expected gain from the challenge.
    pub(crate) gain: f64,
    pub(crate) initiator_position: Vec<f64>,
    pub(crate) receiver_position: Vec<f64>,
}

/// The interpolated positions for i and j, where i expects to win with probability `p_i` and
/// j with `p_j`.
fn interpolate(
    setup: &Setup<'_>,
    state: &Positions,
    i: usize,
    j: usize,
    p_i: f64,
    p_j: f64,
) -> (Vec<f64>, Vec<f64>) {
    let dims = state.position[i].len();
    let mut for_i = Vec::with_capacity(dims);
    let mut for_j = Vec::with_capacity(dims);
    for k in 0..dims {
        let (t_i, s_i) = (state.position[i][k], setup.salience[i][k]);
        let (t_j, s_j) = (state.position[j][k], setup.salience[j][k]);
        let (b_i, b_j) = match setup.params.interpolation {
            InterVecBrgn::S1P1 => weighted_pair(t_i, s_i, p_i, t_j, s_j, p_j),
            InterVecBrgn::S2P2 => {
                weighted_pair(t_i, s_i * s_i, p_i * p_i, t_j, s_j * s_j, p_j * p_j)
            }
            InterVecBrgn::S2PMax => {
                let d_i = if p_j > p_i { p_j - p_i } else { 0.0 };
                let d_j = if p_i > p_j { p_i - p_j } else { 0.0 };
                let (s_i2, s_j2) = (s_i * s_i, s_j * s_j);
                let share_i =
                    (d_i * s_j2) / ((d_i * s_j2) + MIN_BARGAIN_WEIGHT + ((1.0 - d_i) * s_i2));
                let share_j =
                    (d_j * s_i2) / ((d_j * s_i2) + MIN_BARGAIN_WEIGHT + ((1.0 - d_j) * s_j2));
                (t_i + share_i * (t_j - t_i), t_j + share_j * (t_i - t_j))
            }
        };
        for_i.push(b_i);
        for_j.push(b_j);
    }
    (for_i, for_j)
}

/// S1P1/S2P2 interpolation with the salience and probability factors already raised to their
/// powers; the small extra weight goes to each party's own coordinate.
fn weighted_pair(t_i: f64, ws_i: f64, wp_i: f64, t_j: f64, ws_j: f64, wp_j: f64) -> (f64, f64) {
    let w_i = ws_i * wp_i;
    let w_j = ws_j * wp_j;
    let b_i =
        round4(((w_i + MIN_BARGAIN_WEIGHT) * t_i + w_j * t_j) / (w_i + MIN_BARGAIN_WEIGHT + w_j));
    let b_j =
        round4((w_i * t_i + (MIN_BARGAIN_WEIGHT + w_j) * t_j) / (w_i + MIN_BARGAIN_WEIGHT + w_j));
    (b_i, b_j)
}

/// Actor i's proposal(s): its best target and the bargain(s) it offers, if any challenge is
/// worth making.
fn propose(
    setup: &Setup<'_>,
    assessment: &Assessment,
    state: &Positions,
    i: usize,
) -> Vec<RawBargain> {
    let n = setup.n();
    let u_i = perspective(setup, assessment, i);
    let mut best: Option<(usize, f64, f64)> = None;
    let mut best_gain = -1.0;
    for j in 0..n {
        if j == i {
            continue;
        }
        let (p, gain) = challenge(setup, &u_i, i, i, j);
        if MIN_GAIN < gain && best_gain < gain {
            best = Some((j, p, gain));
            best_gain = gain;
        }
    }
    let Some((j, p_i, gain)) = best else {
        return Vec::new();
    };
    let own_view = || {
        let (for_i, for_j) = interpolate(setup, state, i, j, p_i, 1.0 - p_i);
        RawBargain {
            initiator: i,
            receiver: j,
            perspective: i,
            win_probability: p_i,
            gain,
            initiator_position: for_i,
            receiver_position: for_j,
        }
    };
    let receiver_view = || {
        let u_j = perspective(setup, assessment, j);
        let (p_j, _) = challenge(setup, &u_j, i, i, j);
        let (for_i, for_j) = interpolate(setup, state, i, j, p_j, 1.0 - p_j);
        RawBargain {
            initiator: i,
            receiver: j,
            perspective: j,
            win_probability: p_j,
            gain,
            initiator_position: for_i,
            receiver_position: for_j,
        }
    };
    match setup.params.bargaining {
        BargainModel::InitOnlyInterp => vec![own_view()],
        BargainModel::InitRcvrInterp => vec![own_view(), receiver_view()],
        BargainModel::PWCompInterp => {
            let (mine, theirs) = (own_view(), receiver_view());
            // KTAB weighs the receiver's version with the initiator's capability
            // (`smpbcn.cpp`: scj is the capability of brgnJIJ's initiator).
            let w_i = setup.capability[i] * setup.total_salience[i];
            let w_j = setup.capability[i] * setup.total_salience[j];
            let blend = |a: &[f64], b: &[f64]| -> Vec<f64> {
                a.iter()
                    .zip(b)
                    .map(|(&x, &y)| (w_i * x + w_j * y) / (w_i + w_j))
                    .collect()
            };
            vec![RawBargain {
                initiator_position: blend(&mine.initiator_position, &theirs.initiator_position),
                receiver_position: blend(&mine.receiver_position, &theirs.receiver_position),
                ..mine
            }]
        }
    }
}

/// How one actor's queue was resolved.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawQueue {
    /// `None` for the status quo, else an index into the turn's bargains.
    pub(crate) options: Vec<Option<usize>>,
    pub(crate) probability: Vec<f64>,
    /// Index into `options`.
    pub(crate) chosen: usize,
}

/// Everything a turn produced, on the 0..1 scale.
pub(crate) struct RawTurn {
    pub(crate) bargains: Vec<RawBargain>,
    pub(crate) queues: Vec<RawQueue>,
    pub(crate) next: Positions,
}

/// Runs one turn from `state` (already assessed).
pub(crate) fn step(
    setup: &Setup<'_>,
    state: &Positions,
    assessment: &Assessment,
    rng: &mut KtabRng,
) -> RawTurn {
    let n = setup.n();
    let params = &setup.params;
    let bargains: Vec<RawBargain> = (0..n)
        .into_par_iter()
        .map(|i| propose(setup, assessment, state, i))
        .collect::<Vec<_>>()
        .concat();

    // Queues: the status quo first, then bargains by initiator.
    let mut options: Vec<Vec<Option<usize>>> = vec![vec![None]; n];
    for (b, bargain) in bargains.iter().enumerate() {
        options[bargain.initiator].push(Some(b));
        options[bargain.receiver].push(Some(b));
    }

    // Each voter's utility for the state after each bargain (x N), and for the status quo.
    let utility_sq: Vec<f64> = (0..n)
        .map(|a| (0..n).fold(0.0, |acc, m| acc + assessment.own.at(a, m)) / n as f64)
        .collect();
    let utility_bargain: Vec<Vec<f64>> = bargains
        .par_iter()
        .map(|bargain| {
            (0..n)
                .map(|a| {
                    let r = assessment.risk[a];
                    let (ideal, salience) = (&state.ideal[a], &setup.salience[a]);
                    let u_init = utility(distance(ideal, &bargain.initiator_position, salience), r);
                    let u_rcvr = utility(distance(ideal, &bargain.receiver_position, salience), r);
                    let mut sum = 0.0 + u_init + u_rcvr;
                    for m in 0..n {
                        if m != bargain.initiator && m != bargain.receiver {
                            sum += assessment.own.at(a, m);
                        }
                    }
                    sum / n as f64
                })
                .collect()
        })
        .collect();

    let probabilities: Vec<Vec<f64>> = options
        .par_iter()
        .map(|queue| {
            scalar_pce(
                setup.capability,
                queue.len(),
                |a, m| match queue[m] {
                    None => utility_sq[a],
                    Some(b) => utility_bargain[b][a],
                },
                params.voting,
                params.victory,
                params.pce,
            )
        })
        .collect();

    let mut queues = Vec::with_capacity(n);
    let mut position = state.position.clone();
    for (k, (queue, p)) in options.into_iter().zip(probabilities).enumerate() {
        let chosen = match params.transitions {
            StateTransitions::Deterministic => first_max(&p),
            StateTransitions::Stochastic => rng.pick(&p),
        };
        if let Some(b) = queue[chosen] {
            let bargain = &bargains[b];
            position[k] = if bargain.initiator == k {
                bargain.initiator_position.clone()
            } else {
                bargain.receiver_position.clone()
            };
        }
        queues.push(RawQueue {
            options: queue,
            probability: p,
            chosen,
        });
    }
    let ideal = match setup.accommodation {
        None => position.clone(),
        Some(a) => adjusted_ideals(a, &position, &state.ideal),
    };
    RawTurn {
        bargains,
        queues,
        next: Positions { position, ideal },
    }
}

/// q_i <- sum_j a_ij theta_j + (1 - min(1, sum_j a_ij)) q_i (`smp.cpp` `newIdeals`).
pub(crate) fn adjusted_ideals(
    accommodation: &[Vec<f64>],
    position: &[Vec<f64>],
    ideal: &[Vec<f64>],
) -> Vec<Vec<f64>> {
    let dims = position.first().map_or(0, Vec::len);
    accommodation
        .iter()
        .zip(ideal)
        .map(|(row, q)| {
            let mut next = vec![0.0; dims];
            let mut total = 0.0;
            for (a_ij, theta_j) in row.iter().zip(position) {
                total += a_ij;
                for (x, t) in next.iter_mut().zip(theta_j) {
                    *x += a_ij * t;
                }
            }
            let lag = 1.0 - f64::min(total, 1.0);
            next.iter().zip(q).map(|(x, q)| x + lag * q).collect()
        })
        .collect()
}

/// The index of the largest value, the first on ties.
pub(crate) fn first_max(values: &[f64]) -> usize {
    let mut best = 0;
    for (m, &v) in values.iter().enumerate() {
        if v > values[best] {
            best = m;
        }
    }
    best
}
