//! Voting power in weighted voting games: who can turn a losing coalition into a winning one,
//! measured by the Shapley-Shubik and Banzhaf indices, exactly when that is feasible and by a
//! seeded Monte Carlo with standard errors when it is not.
//!
//! A **game** has n players and one or more weighted **rules**; a coalition S wins when it meets
//! every rule, w_r(S) = sum_{j in S} w_rj >= q_r (a double majority is two rules). Player i is a
//! **swing** in a coalition S of the other players when S loses and S + {i} wins.
//!
//! - **Shapley-Shubik** (Shapley & Shubik 1954): the share of the n! orderings in which i is
//!   pivotal, phi_i = sum over swings S of s! (n-1-s)! / n!, with s = |S|.
//! - **Banzhaf** (Penrose 1946; Banzhaf 1965): absolute beta'_i = eta_i / 2^(n-1), eta_i being the
//!   number of swings; normalised beta_i = eta_i / sum_j eta_j.
//!
//! **Exact, one rule** (see `docs/models/power.md`). With every other player joining
//! independently with probability p, let g_i(p) = P(q - w_i <= X_{-i} <= q - 1), X_{-i} the weight
//! that joins. Then beta'_i = g_i(1/2) and, since the integral of p^s (1-p)^(n-1-s) over [0, 1] is
//! s! (n-1-s)! / n!, phi_i = integral of g_i(p) dp (Owen's multilinear extension). g_i is a
//! polynomial of degree n - 1, so Gauss-Legendre quadrature with ceil(n/2) nodes integrates it
//! exactly. At each node the distribution D of X (all players) is the generating function
//! prod_j (1 - p + p y^(w_j)), truncated below the quota and multiplied out one weight class at
//! a time; one player of weight w is taken out again by dividing by (1 - p + p y^w), a geometric
//! series, so g_i = (1/(1-p)) sum_k (-p/(1-p))^k S_k with S_k the mass of D in the window moved
//! down by k w. Working with probabilities instead of coalition counts keeps every number in
//! [0, 1] (no overflow at n = 1000), and the division is stable because it is only done with
//! p <= 1/2 (the ratio p / (1-p) <= 1): a node p > 1/2 is evaluated on the blocking game,
//! g_i(p; q) = g_i(1 - p; W - q + 1), W the total weight, which shares the node's table. Nodes
//! whose Chernoff bound shows they add at most 2^-60 in all are skipped. Players with equal
//! weights get the same values: the work is done once per distinct weight. Dummies (no swing at
//! all) are found exactly by a subset-sum bitset and get exactly 0. The results are exact up to
//! rounding: an absolute error of order 1e-15.
//!
//! **Exact, several rules**: every one of the 2^n coalitions is enumerated (n <= 25).
//!
//! **Monte Carlo**: random orderings for Shapley-Shubik (the pivotal player of each ordering is
//! counted) and uniformly random coalitions for Banzhaf (every player's swing is checked in the
//! same coalition). Batch k of 1,024 samples draws from ChaCha8 stream 2k (orderings) or 2k + 1
//! (coalitions) of the seed, so a seed gives the same numbers on any number of threads.

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

/// The largest game whose 2^n coalitions are enumerated.
pub const MAX_ENUMERATION_PLAYERS: usize = 25;

/// The largest quota (or blocking quota W - q + 1), after dividing the weights by their greatest
/// common divisor, for which the exact single-rule method runs (its tables have this many cells).
pub const MAX_EXACT_QUOTA: u64 = 1 << 24;

/// Above this many cell updates (nodes x players x table length) `Choice::Auto` prefers Monte
/// Carlo over the exact single-rule method (about a minute on one core).
const AUTO_EXACT_WORK: f64 = 1e11;

/// Samples per Monte Carlo batch; batch k uses streams 2k and 2k + 1 of the seed.
const BATCH: usize = 1024;

/// The most that skipped quadrature nodes may add to any player's Shapley-Shubik index.
const SKIP_BUDGET: f64 = 1.0 / (1u64 << 60) as f64;

/// One weighted rule: a coalition meets it when its members' weights add up to the quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Rule {
    /// Each player's weight, in player order.
    pub weights: Vec<u64>,
    /// The weight a coalition needs, 1..=total.
    pub quota: u64,
}

impl Rule {
    /// A rule with these weights and quota (checked when the game is built).
    pub fn new(weights: Vec<u64>, quota: u64) -> Self {
        Self { weights, quota }
    }

    /// Unanimity among `n` players: every weight 1 and the quota n.
    pub fn unanimity(n: usize) -> Self {
        Self {
            weights: vec![1; n],
            quota: n as u64,
        }
    }

    /// Weights with the smallest quota that is at least `numerator / denominator` of the total
    /// weight, computed in integers (so 0.65 of 100 is 65, not 66 by a rounding error).
    pub fn with_share(weights: Vec<u64>, numerator: u64, denominator: u64) -> Self {
        let total: u128 = weights.iter().map(|&w| u128::from(w)).sum();
        let quota = quota_for_share(total, numerator, denominator);
        Self {
            weights,
            quota: u64::try_from(quota).unwrap_or(u64::MAX),
        }
    }

    /// Weights with a simple majority: more than half of the total weight.
    pub fn majority(weights: Vec<u64>) -> Self {
        let total: u128 = weights.iter().map(|&w| u128::from(w)).sum();
        Self {
            weights,
            quota: u64::try_from(total / 2 + 1).unwrap_or(u64::MAX),
        }
    }

    /// The total weight, or `None` when it does not fit in a u64.
    pub fn total(&self) -> Option<u64> {
        self.weights.iter().try_fold(0u64, |t, &w| t.checked_add(w))
    }
}

/// ceil(total * numerator / denominator), the smallest weight that is at least that share.
fn quota_for_share(total: u128, numerator: u64, denominator: u64) -> u128 {
    let product = total * u128::from(numerator);
    let denominator = u128::from(denominator.max(1));
    product.div_ceil(denominator)
}

/// Why a game cannot be built or its indices computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PowerError {
    /// No rule at all.
    #[error("a game needs at least one rule")]
    NoRules,
    /// The rules weigh nobody.
    #[error("a game needs at least one player, but the weights are empty")]
    NoPlayers,
    /// Two rules weigh different numbers of players.
    #[error("rule {rule} has {found} weights but rule 1 has {expected}; every rule weighs the same players")]
    WeightCount {
        /// The rule, counted from 1.
        rule: usize,
        /// Its number of weights.
        found: usize,
        /// The first rule's number of weights.
        expected: usize,
    },
    /// A quota that no coalition or every coalition meets.
    #[error("rule {rule}: the quota {quota} is outside 1..={total}, the total weight")]
    QuotaOutOfRange {
        /// The rule, counted from 1.
        rule: usize,
        /// The quota.
        quota: u64,
        /// The rule's total weight.
        total: u64,
    },
    /// The weights add up to more than a u64 holds.
    #[error("rule {rule}: the weights add up to more than 2^64 - 1")]
    TotalOverflow {
        /// The rule, counted from 1.
        rule: usize,
    },
    /// Several rules and too many players to enumerate every coalition.
    #[error("exact indices of a game with {rules} rules enumerate all 2^n coalitions, feasible up to {max} players; this game has {players} (use Monte Carlo)")]
    TooManyPlayers {
        /// Players in the game.
        players: usize,
        /// Rules in the game.
        rules: usize,
        /// The largest game enumerated.
        max: usize,
    },
    /// Weights so large (relative to their common divisor) that the exact tables do not fit.
    #[error("exact indices need a table of {cells} cells (the quota after dividing the weights by their common divisor), more than {max}; this game has {players} players, too many to enumerate (use Monte Carlo)")]
    WeightsTooLarge {
        /// Cells needed.
        cells: u64,
        /// The largest table.
        max: u64,
        /// Players in the game.
        players: usize,
    },
    /// Monte Carlo with fewer than two samples cannot estimate an error.
    #[error("Monte Carlo needs at least 2 samples to estimate its error; got {samples}")]
    TooFewSamples {
        /// The samples asked for.
        samples: usize,
    },
}

/// A validated game: at least one player, the same players in every rule, every quota in
/// 1..=total. It can only be built by [`Game::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Game {
    rules: Vec<Rule>,
}

impl Game {
    /// Checks the rules and builds the game.
    pub fn new(rules: Vec<Rule>) -> Result<Self, PowerError> {
        let first = rules.first().ok_or(PowerError::NoRules)?;
        let n = first.weights.len();
        if n == 0 {
            return Err(PowerError::NoPlayers);
        }
        for (r, rule) in rules.iter().enumerate() {
            if rule.weights.len() != n {
                return Err(PowerError::WeightCount {
                    rule: r + 1,
                    found: rule.weights.len(),
                    expected: n,
                });
            }
            let total = rule
                .total()
                .ok_or(PowerError::TotalOverflow { rule: r + 1 })?;
            if rule.quota == 0 || rule.quota > total {
                return Err(PowerError::QuotaOutOfRange {
                    rule: r + 1,
                    quota: rule.quota,
                    total,
                });
            }
        }
        Ok(Self { rules })
    }

    /// A game of one weighted rule.
    pub fn weighted(weights: Vec<u64>, quota: u64) -> Result<Self, PowerError> {
        Self::new(vec![Rule::new(weights, quota)])
    }

    /// The rules, all of which a winning coalition meets.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The number of players.
    pub fn n_players(&self) -> usize {
        self.rules[0].weights.len()
    }

    /// Whether the coalition (`members[i]` true when player i is in it) meets every rule.
    pub fn is_winning(&self, members: &[bool]) -> bool {
        self.rules.iter().all(|rule| {
            let weight: u64 = rule
                .weights
                .iter()
                .zip(members)
                .filter(|(_, &m)| m)
                .map(|(&w, _)| w)
                .sum();
            weight >= rule.quota
        })
    }
}

/// How to compute the indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Exact when feasible (one rule with moderate weights, or at most 25 players), else Monte
    /// Carlo.
    Auto,
    /// Exact, or an error when it is not feasible.
    Exact,
    /// Monte Carlo even when the exact method is feasible.
    MonteCarlo,
}

/// Options of [`power_indices`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PowerConfig {
    /// Exact, Monte Carlo, or whichever fits.
    pub choice: Choice,
    /// Monte Carlo samples: orderings for Shapley-Shubik and, separately, coalitions for Banzhaf.
    pub samples: usize,
    /// Seed of the Monte Carlo streams.
    pub seed: u64,
}

/// Scale on which capabilities become whole-number voting weights: capability x 100, rounded,
/// at least 1, so that capabilities given to two decimals keep their ratios.
pub const CAPABILITY_SCALE: f64 = 100.0;

/// The voting weight of an actor of `capability`, or `None` when the capability is too large
/// (or not finite) for the weight to be exact.
pub fn capability_weight(capability: f64) -> Option<u64> {
    let scaled = capability * CAPABILITY_SCALE;
    if !scaled.is_finite() || scaled >= 2f64.powi(53) {
        return None;
    }
    Some((scaled.round() as u64).max(1))
}

/// How the indices were computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Exact (up to floating-point rounding).
    Exact,
    /// Monte Carlo estimates with standard errors.
    MonteCarlo,
}

/// Standard errors of Monte Carlo estimates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StandardErrors {
    /// Of the Shapley-Shubik index.
    pub shapley_shubik: f64,
    /// Of the normalised Banzhaf index (delta method for the ratio).
    pub banzhaf: f64,
    /// Of the absolute Banzhaf index.
    pub banzhaf_absolute: f64,
}

/// One player's power.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PlayerPower {
    /// Shapley-Shubik index: the share of orderings in which the player is pivotal.
    pub shapley_shubik: f64,
    /// Normalised Banzhaf index: the player's swings over all players' swings.
    pub banzhaf: f64,
    /// Absolute Banzhaf index: the player's swings over 2^(n-1).
    pub banzhaf_absolute: f64,
    /// Standard errors, for Monte Carlo estimates.
    pub standard_errors: Option<StandardErrors>,
}

/// The indices of every player, in player order.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PowerIndices {
    /// Exact or Monte Carlo.
    pub method: Method,
    /// Monte Carlo samples (per index), `None` when exact.
    pub samples: Option<usize>,
    /// One entry per player.
    pub players: Vec<PlayerPower>,
}

/// The indices, by the method `config` chooses. [`Choice::Auto`] computes exactly a single
/// rule whose quadrature takes at most about 1e11 table updates (a minute or so) and any game of
/// at most 25 players, and estimates the rest by Monte Carlo.
pub fn power_indices(game: &Game, config: &PowerConfig) -> Result<PowerIndices, PowerError> {
    let small = game.n_players() <= MAX_ENUMERATION_PLAYERS;
    match config.choice {
        Choice::Exact => exact(game),
        Choice::MonteCarlo => monte_carlo(game, config.samples, config.seed),
        Choice::Auto => {
            // Every node costs n times the table's length: when one node is already too much,
            // the plan (whose nodes take O(n^2) to place) is not worth making.
            let (_, quota, blocking) = reduced(&game.rules[0]);
            let one_node = game.n_players() as f64 * quota.max(blocking) as f64;
            if game.rules.len() == 1 && (small || one_node <= AUTO_EXACT_WORK) {
                if let Ok(plan) = SinglePlan::new(&game.rules[0]) {
                    if small || plan.work() <= AUTO_EXACT_WORK {
                        return Ok(plan.run());
                    }
                    return monte_carlo(game, config.samples, config.seed);
                }
            }
            if small {
                enumerate(game)
            } else {
                monte_carlo(game, config.samples, config.seed)
            }
        }
    }
}

/// Exact indices: for one rule the quadrature method (enumeration only when its tables would be
/// too large and the game has at most 25 players); for several rules enumeration of all
/// coalitions (n <= 25).
pub fn exact(game: &Game) -> Result<PowerIndices, PowerError> {
    if game.rules.len() == 1 {
        match SinglePlan::new(&game.rules[0]) {
            Ok(plan) => return Ok(plan.run()),
            Err(e) if game.n_players() > MAX_ENUMERATION_PLAYERS => return Err(e),
            Err(_) => {}
        }
    }
    enumerate(game)
}

/// Exact indices by enumerating all 2^n coalitions (n <= 25): a reference for the faster
/// method and the exact method for several rules.
pub fn enumerate(game: &Game) -> Result<PowerIndices, PowerError> {
    let n = game.n_players();
    if n > MAX_ENUMERATION_PLAYERS {
        return Err(PowerError::TooManyPlayers {
            players: n,
            rules: game.rules.len(),
            max: MAX_ENUMERATION_PLAYERS,
        });
    }
    let wins = winning_bitset(game);
    let is_win = |mask: usize| wins[mask / 64] >> (mask % 64) & 1 == 1;
    // swings[i * n + s]: coalitions of size s of the others in which player i swings.
    let block_bits = n.min(16);
    let blocks = 1usize << (n - block_bits);
    let swings = (0..blocks)
        .into_par_iter()
        .map(|block| {
            let mut counts = vec![0u64; n * n];
            let base = block << block_bits;
            for low in 0..1usize << block_bits {
                let mask = base | low;
                if !is_win(mask) {
                    continue;
                }
                let size = mask.count_ones() as usize;
                let mut rest = mask;
                while rest != 0 {
                    let i = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    if !is_win(mask ^ (1 << i)) {
                        counts[i * n + size - 1] += 1;
                    }
                }
            }
            counts
        })
        .reduce(
            || vec![0u64; n * n],
            |mut a, b| {
                a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                a
            },
        );
    // s! (n-1-s)! / n! = 1 / (n C(n-1, s)); C(24, 12) is exact in f64.
    let coefficient: Vec<f64> = (0..n)
        .map(|s| 1.0 / (n as f64 * binomial(n as u64 - 1, s as u64)))
        .collect();
    let eta: Vec<u64> = (0..n)
        .map(|i| swings[i * n..(i + 1) * n].iter().sum())
        .collect();
    let shapley: Vec<f64> = (0..n)
        .map(|i| {
            (0..n)
                .map(|s| swings[i * n + s] as f64 * coefficient[s])
                .sum()
        })
        .collect();
    let half = (1u64 << (n - 1)) as f64;
    let absolute: Vec<f64> = eta.iter().map(|&e| e as f64 / half).collect();
    Ok(assemble(&shapley, &absolute, None, None))
}

/// C(n, k) as f64 by the multiplicative formula (exact while it fits 53 bits).
fn binomial(n: u64, k: u64) -> f64 {
    let k = k.min(n - k);
    (0..k).fold(1.0, |c, j| c * (n - j) as f64 / (j + 1) as f64)
}

/// One bit per coalition (bit `mask`), set when it wins; built block by block along a Gray
/// code, which changes one member at a time.
fn winning_bitset(game: &Game) -> Vec<u64> {
    let n = game.n_players();
    let block_bits = n.min(16);
    let blocks = 1usize << (n - block_bits);
    let words_per_block = (1usize << block_bits).div_ceil(64);
    let rules = &game.rules;
    (0..blocks)
        .into_par_iter()
        .flat_map_iter(|block| {
            let mut words = vec![0u64; words_per_block];
            let base = block << block_bits;
            let mut sums: Vec<u64> = rules
                .iter()
                .map(|rule| {
                    (block_bits..n)
                        .filter(|&j| base >> j & 1 == 1)
                        .map(|j| rule.weights[j])
                        .sum()
                })
                .collect();
            let meets = |sums: &[u64]| rules.iter().zip(sums).all(|(r, &s)| s >= r.quota);
            if meets(&sums) {
                words[0] |= 1;
            }
            for g in 1usize..1 << block_bits {
                let bit = g.trailing_zeros() as usize;
                let gray = g ^ (g >> 1);
                let joined = gray >> bit & 1 == 1;
                for (sum, rule) in sums.iter_mut().zip(rules) {
                    if joined {
                        *sum += rule.weights[bit];
                    } else {
                        *sum -= rule.weights[bit];
                    }
                }
                if meets(&sums) {
                    words[gray / 64] |= 1 << (gray % 64);
                }
            }
            words
        })
        .collect()
}

/// Per-player results from the indices, normalising Banzhaf by the total.
fn assemble(
    shapley: &[f64],
    absolute: &[f64],
    errors: Option<Vec<StandardErrors>>,
    samples: Option<usize>,
) -> PowerIndices {
    let total: f64 = absolute.iter().sum();
    let players = (0..shapley.len())
        .map(|i| PlayerPower {
            shapley_shubik: shapley[i],
            banzhaf: if total > 0.0 {
                absolute[i] / total
            } else {
                0.0
            },
            banzhaf_absolute: absolute[i],
            standard_errors: errors.as_ref().map(|e| e[i]),
        })
        .collect();
    PowerIndices {
        method: if samples.is_some() {
            Method::MonteCarlo
        } else {
            Method::Exact
        },
        samples,
        players,
    }
}

// ---------------------------------------------------------------------------------------------
// Exact indices of one rule: Gauss-Legendre quadrature of the multilinear extension.
// ---------------------------------------------------------------------------------------------

/// One side of a quadrature node: the node p = r (with the quota) or p = 1 - r (evaluated on
/// the blocking game, with the blocking quota), and its quadrature weight on [0, 1].
#[derive(Debug, Clone, Copy)]
struct Side {
    quota: usize,
    weight: f64,
}

/// A quadrature node to evaluate: the inclusion probability r <= 1/2 and its kept sides.
#[derive(Debug, Clone)]
struct Node {
    r: f64,
    sides: Vec<Side>,
}

/// Everything the exact single-rule method needs, worked out before the heavy part.
#[derive(Debug)]
struct SinglePlan {
    /// Player -> index of its weight class.
    class_of: Vec<usize>,
    /// Distinct reduced weights, ascending.
    class_weight: Vec<usize>,
    /// Players per class.
    class_count: Vec<usize>,
    /// Reduced quota q and blocking quota W - q + 1.
    quota: usize,
    blocking: usize,
    /// Classes whose players are dummies (never a swing).
    dummy: Vec<bool>,
    /// The quadrature nodes left after skipping the negligible ones.
    nodes: Vec<Node>,
}

impl SinglePlan {
    fn new(rule: &Rule) -> Result<Self, PowerError> {
        let n = rule.weights.len();
        let (divisor, quota, blocking) = reduced(rule);
        let cells = quota.max(blocking);
        if cells > MAX_EXACT_QUOTA {
            return Err(PowerError::WeightsTooLarge {
                cells,
                max: MAX_EXACT_QUOTA,
                players: n,
            });
        }
        let mut class_weight: Vec<usize> = rule
            .weights
            .iter()
            .map(|&w| (w / divisor) as usize)
            .collect();
        class_weight.sort_unstable();
        class_weight.dedup();
        let class_of: Vec<usize> = rule
            .weights
            .iter()
            .map(|&w| {
                class_weight
                    .binary_search(&((w / divisor) as usize))
                    .expect("every weight has its class")
            })
            .collect();
        let mut class_count = vec![0; class_weight.len()];
        for &k in &class_of {
            class_count[k] += 1;
        }
        let (quota, blocking) = (quota as usize, blocking as usize);
        let dummy = dummies(&class_weight, &class_count, quota);
        let nodes = plan_nodes(n, &class_weight, &class_count, quota, blocking);
        Ok(Self {
            class_of,
            class_weight,
            class_count,
            quota,
            blocking,
            dummy,
            nodes,
        })
    }

    /// Cell updates the quadrature will do (its cost).
    fn work(&self) -> f64 {
        let n: usize = self.class_count.iter().sum();
        self.nodes
            .iter()
            .map(|node| {
                let len = node.sides.iter().map(|s| s.quota).max().unwrap_or(0);
                n as f64 * len as f64
            })
            .sum()
    }

    fn run(&self) -> PowerIndices {
        // Absolute Banzhaf: g at p = 1/2, where the game and its blocking game agree; the
        // shorter table is used.
        let banzhaf_class = self.evaluate(&Node {
            r: 0.5,
            sides: vec![Side {
                quota: self.quota.min(self.blocking),
                weight: 1.0,
            }],
        });
        let per_node: Vec<Vec<f64>> = self
            .nodes
            .par_iter()
            .map(|node| self.evaluate(node))
            .collect();
        // Summed in node order, so the result does not depend on the threads.
        let mut shapley_class = vec![0.0; self.class_weight.len()];
        for values in &per_node {
            for (sum, v) in shapley_class.iter_mut().zip(values) {
                *sum += v;
            }
        }
        let shapley: Vec<f64> = self.class_of.iter().map(|&k| shapley_class[k]).collect();
        let absolute: Vec<f64> = self.class_of.iter().map(|&k| banzhaf_class[k]).collect();
        assemble(&shapley, &absolute, None, None)
    }

    /// Sum over the node's sides of weight * g(side), for each weight class (0 for dummies).
    fn evaluate(&self, node: &Node) -> Vec<f64> {
        let len = node.sides.iter().map(|s| s.quota).max().unwrap_or(0);
        let (r, keep) = (node.r, 1.0 - node.r);
        // D(v) = P(X = v) for v < len, X the weight of all players joining with probability r,
        // stored after `pad` zeros so that the shifted reads of `add_players` stay inside.
        let pad = self
            .class_weight
            .iter()
            .zip(&self.class_count)
            .map(|(&w, &count)| w.saturating_mul(count.min(MAX_KERNEL_PLAYERS)))
            .max()
            .unwrap_or(0)
            .min(len);
        let mut dist = vec![0.0; pad + len];
        let mut next = vec![0.0; pad + len];
        dist[pad] = 1.0;
        for (&w, &count) in self.class_weight.iter().zip(&self.class_count) {
            let mut left = count;
            while left > 0 {
                let batch = left.min(MAX_KERNEL_PLAYERS);
                add_players(&dist, &mut next, pad, w, batch, keep, r);
                std::mem::swap(&mut dist, &mut next);
                left -= batch;
            }
        }
        let prefix = Prefix::new(&dist[pad..]);
        let mut out = vec![0.0; self.class_weight.len()];
        for (k, &w) in self.class_weight.iter().enumerate() {
            if self.dummy[k] {
                continue;
            }
            out[k] = node
                .sides
                .iter()
                .map(|side| side.weight * window_without(&prefix, side.quota, w, r, keep))
                .sum();
        }
        out
    }
}

/// The rule with its weights divided by their greatest common divisor d, the same game with
/// smaller tables: (d, the quota ceil(q / d), the blocking quota W / d - ceil(q / d) + 1).
fn reduced(rule: &Rule) -> (u64, u64, u64) {
    let divisor = rule.weights.iter().fold(0u64, |g, &w| gcd(g, w)).max(1);
    let total = rule.weights.iter().sum::<u64>() / divisor;
    let quota = rule.quota.div_ceil(divisor);
    (divisor, quota, total - quota + 1)
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Players of one weight added to a table at once, at most (so that keep^count, the first
/// binomial term, stays far from underflow).
const MAX_KERNEL_PLAYERS: usize = 32;

/// Entries of the output computed together, in registers, while every term is added.
const LANES: usize = 16;

/// `count` more players of weight w, each joining with probability r: next(v) = sum over j of
/// C(count, j) r^j keep^(count-j) dist(v - j w), the generating function multiplied by
/// (keep + r y^w)^count in one pass (the same as `count` passes of
/// next(v) = keep dist(v) + r dist(v - w), with less memory traffic). Both tables hold their
/// values after `pad` >= count w zeros (or pad = their length). Weights at or beyond the
/// table's end are dropped: they never come back below the quota.
fn add_players(
    dist: &[f64],
    next: &mut [f64],
    pad: usize,
    w: usize,
    count: usize,
    keep: f64,
    r: f64,
) {
    let len = dist.len() - pad;
    let mut taps: Vec<(usize, f64)> = Vec::with_capacity(count + 1);
    let mut beta = keep.powi(count as i32);
    for j in 0..=count {
        if j > 0 {
            beta *= (count - j + 1) as f64 / j as f64 * (r / keep);
        }
        let shift = j.saturating_mul(w);
        if shift >= len {
            break;
        }
        taps.push((shift, beta));
    }
    let body = len / LANES * LANES;
    for v in (0..body).step_by(LANES) {
        let mut sum = [0.0; LANES];
        for &(shift, b) in &taps {
            let at = pad + v - shift;
            let source: &[f64; LANES] = dist[at..at + LANES].try_into().expect("LANES values");
            for (s, d) in sum.iter_mut().zip(source) {
                *s += b * d;
            }
        }
        next[pad + v..pad + v + LANES].copy_from_slice(&sum);
    }
    for v in body..len {
        next[pad + v] = taps
            .iter()
            .filter(|(shift, _)| *shift <= v)
            .map(|&(shift, b)| b * dist[pad + v - shift])
            .sum();
    }
}

/// Prefix sums of a table in double-double arithmetic: the sum of `table[..v]` is
/// `high[v] + low[v]`, so that the sum of any block is accurate to rounding of its own size,
/// however small it is next to the prefix.
struct Prefix {
    high: Vec<f64>,
    low: Vec<f64>,
}

impl Prefix {
    fn new(table: &[f64]) -> Self {
        let mut high = Vec::with_capacity(table.len() + 1);
        let mut low = Vec::with_capacity(table.len() + 1);
        let (mut sum, mut error) = (0.0f64, 0.0f64);
        high.push(sum);
        low.push(error);
        for &x in table {
            // Knuth's TwoSum: next + e == sum + x exactly.
            let next = sum + x;
            let back = next - sum;
            error += (sum - (next - back)) + (x - back);
            sum = next;
            high.push(sum);
            low.push(error);
        }
        Self { high, low }
    }

    /// The sum of `table[from..to]`.
    fn block(&self, from: usize, to: usize) -> f64 {
        (self.high[to] - self.high[from]) + (self.low[to] - self.low[from])
    }
}

/// P(Q - w <= X' <= Q - 1), X' the weight joining among all players but one of weight w, from
/// the table of all players. Taking the player out divides the generating function by
/// (keep + r y^w), whose inverse is the series (1/keep) sum_j (-rho)^j y^(jw), rho = r / keep:
/// so f(v) = (1/keep) sum_j (-rho)^j D(v - jw) and the window's probability is
/// (1/keep) sum_j (-rho)^j S_j, S_j the sum of D over [Q - (j+1) w, Q - jw). With r <= 1/2,
/// rho <= 1 and the result's rounding error is at most a few units of the last place times
/// sum_j S_j <= 1. A tiny negative result of rounding is clamped to 0.
fn window_without(prefix: &Prefix, quota: usize, w: usize, r: f64, keep: f64) -> f64 {
    let rho = r / keep;
    let mut factor = 1.0f64;
    let mut sum = 0.0;
    let mut top = quota;
    // The terms left are at most |factor| times the mass below `top`; once that is below
    // 1e-300 they cannot change the sum (and `factor` never becomes subnormal, which is slow).
    while top > 0 && factor.abs() * prefix.block(0, top) > 1e-300 {
        let bottom = top.saturating_sub(w);
        sum += factor * prefix.block(bottom, top);
        factor *= -rho;
        top = bottom;
    }
    (sum / keep).max(0.0)
}

/// Which classes are dummies: no coalition of the others weighs q - w..=q - 1. In a weighted
/// game a heavier player is at least as powerful, so the dummies are the lightest classes and
/// the check stops at the first class that swings. Exact: a bitset of reachable sums below q.
fn dummies(class_weight: &[usize], class_count: &[usize], quota: usize) -> Vec<bool> {
    let mut dummy = vec![false; class_weight.len()];
    for k in 0..class_weight.len() {
        let w = class_weight[k];
        if w == 0 {
            dummy[k] = true;
            continue;
        }
        let words = quota.div_ceil(64);
        let mut reach = vec![0u64; words];
        reach[0] = 1;
        for (j, (&wj, &count)) in class_weight.iter().zip(class_count).enumerate() {
            let count = if j == k { count - 1 } else { count };
            if wj == 0 || wj >= quota {
                continue;
            }
            for _ in 0..count {
                shift_or(&mut reach, wj);
            }
        }
        let low = quota.saturating_sub(w);
        let swings = (low..quota).any(|v| reach[v / 64] >> (v % 64) & 1 == 1);
        if swings {
            break;
        }
        dummy[k] = true;
    }
    dummy
}

/// bits |= bits << shift, in place (from the top, so every source word is still the old one).
fn shift_or(bits: &mut [u64], shift: usize) {
    let (word_shift, bit_shift) = (shift / 64, shift % 64);
    for i in (word_shift..bits.len()).rev() {
        let mut moved = bits[i - word_shift] << bit_shift;
        if bit_shift > 0 && i > word_shift {
            moved |= bits[i - word_shift - 1] >> (64 - bit_shift);
        }
        bits[i] |= moved;
    }
}

/// The Gauss-Legendre nodes for ceil(n/2) points, paired as r and 1 - r, with each side's
/// quota, less those whose Chernoff bound shows they add at most [`SKIP_BUDGET`] in all.
fn plan_nodes(
    n: usize,
    class_weight: &[usize],
    class_count: &[usize],
    quota: usize,
    blocking: usize,
) -> Vec<Node> {
    let points = n.div_ceil(2);
    let max_weight = *class_weight.last().expect("at least one player");
    // (node index, side index, bound on what the side adds).
    let mut nodes: Vec<Node> = Vec::new();
    let mut bounds: Vec<(f64, usize, usize)> = Vec::new();
    for (x, weight) in gauss_legendre_nonnegative(points) {
        // r = (1 - x) / 2 is the node below 1/2; its mirror 1 - r is evaluated on the blocking
        // game with inclusion probability r as well. The middle node (x = 0) has one side.
        let r = 0.5 * (1.0 - x);
        let sides = if x == 0.0 {
            vec![Side {
                quota: quota.min(blocking),
                weight,
            }]
        } else {
            vec![
                Side { quota, weight },
                Side {
                    quota: blocking,
                    weight,
                },
            ]
        };
        for (s, side) in sides.iter().enumerate() {
            // g_i <= P(X >= Q - w_i) <= P(X >= Q - w_max) for every player i.
            let threshold = side.quota as f64 - max_weight as f64;
            let bound = side.weight * upper_tail_bound(class_weight, class_count, r, threshold);
            bounds.push((bound, nodes.len(), s));
        }
        nodes.push(Node { r, sides });
    }
    bounds.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut skipped = 0.0;
    let mut drop = vec![[false; 2]; nodes.len()];
    for &(bound, node, side) in &bounds {
        if skipped + bound > SKIP_BUDGET {
            break;
        }
        skipped += bound;
        drop[node][side] = true;
    }
    nodes
        .into_iter()
        .zip(drop)
        .filter_map(|(node, drop)| {
            let sides: Vec<Side> = node
                .sides
                .iter()
                .enumerate()
                .filter(|(s, _)| !drop[*s])
                .map(|(_, side)| *side)
                .collect();
            (!sides.is_empty()).then_some(Node { r: node.r, sides })
        })
        .collect()
}

/// Chernoff's bound on P(X >= t), X the weight of players joining independently with
/// probability r: the minimum over lambda >= 0 of exp(phi(lambda)),
/// phi(lambda) = -lambda t + sum_j ln(1 - r + r e^(lambda w_j)). phi is convex; its minimum is
/// found by Newton's method, kept inside a bracket. Any lambda gives a valid bound, so the
/// search need not be precise; the result is doubled to cover rounding.
fn upper_tail_bound(class_weight: &[usize], class_count: &[usize], r: f64, t: f64) -> f64 {
    let classes: Vec<(f64, f64)> = class_weight
        .iter()
        .zip(class_count)
        .filter(|(&w, _)| w > 0)
        .map(|(&w, &m)| (w as f64, m as f64))
        .collect();
    let total: f64 = classes.iter().map(|(w, m)| w * m).sum();
    if t <= r * total {
        return 1.0;
    }
    if t > total {
        return 0.0;
    }
    let odds = (1.0 - r) / r;
    // phi'(lambda) = -t + sum m w s and phi''(lambda) = sum m w^2 s (1 - s), with
    // s = 1 / (1 + odds e^(-lambda w)) the joining probability tilted by lambda.
    let derivatives = |lambda: f64| {
        classes.iter().fold((-t, 0.0), |(first, second), &(w, m)| {
            let s = 1.0 / (1.0 + odds * (-lambda * w).exp());
            (first + m * w * s, second + m * w * w * s * (1.0 - s))
        })
    };
    // phi, written with e^(-lambda w) <= 1 so that nothing overflows.
    let exponent = |lambda: f64| {
        -lambda * (t - total)
            + classes
                .iter()
                .map(|&(w, m)| m * (r + (1.0 - r) * (-lambda * w).exp()).ln())
                .sum::<f64>()
    };
    // Start where a normal approximation puts the minimum.
    let variance: f64 = classes.iter().map(|(w, m)| m * w * w).sum::<f64>() * r * (1.0 - r);
    let (mut low, mut high) = (0.0f64, f64::INFINITY);
    let mut lambda = (t - r * total) / variance;
    for _ in 0..60 {
        let (first, second) = derivatives(lambda);
        if first < 0.0 {
            low = lambda;
        } else {
            high = lambda;
        }
        let mut next = lambda - first / second;
        if !(next > low && next < high) {
            next = if high.is_finite() {
                0.5 * (low + high)
            } else {
                2.0 * lambda
            };
        }
        let done = (next - lambda).abs() <= 1e-6 * lambda;
        lambda = next;
        if done {
            break;
        }
    }
    (2.0 * exponent(lambda).exp()).min(1.0)
}

/// The Gauss-Legendre rule with `points` nodes mapped to [0, 1]: the nodes x >= 0 of the rule
/// on [-1, 1] (x and -x give the nodes (1 -+ x)/2) with the weight of each node on [0, 1].
/// Newton's method on the three-term recurrence of the Legendre polynomials, from the usual
/// first guess cos(pi (k - 1/4) / (points + 1/2)).
fn gauss_legendre_nonnegative(points: usize) -> Vec<(f64, f64)> {
    let legendre = |x: f64| {
        // (P_points(x), P'_points(x))
        let (mut previous, mut current) = (1.0, x);
        for j in 2..=points {
            let j = j as f64;
            let next = ((2.0 * j - 1.0) * x * current - (j - 1.0) * previous) / j;
            previous = current;
            current = next;
        }
        let derivative = points as f64 * (x * current - previous) / (x * x - 1.0);
        (current, derivative)
    };
    (1..=points.div_ceil(2))
        .map(|k| {
            let mut x = (std::f64::consts::PI * (k as f64 - 0.25) / (points as f64 + 0.5)).cos();
            if 2 * k - 1 == points {
                x = 0.0; // the middle root of an odd rule, exactly
            } else {
                for _ in 0..100 {
                    let (value, derivative) = legendre(x);
                    let step = value / derivative;
                    x -= step;
                    if step.abs() < 1e-15 {
                        break;
                    }
                }
            }
            let (_, derivative) = legendre(x);
            // 2 / ((1 - x^2) P'(x)^2) on [-1, 1], halved on [0, 1].
            let weight = 1.0 / ((1.0 - x) * (1.0 + x) * derivative * derivative);
            (x, weight)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Monte Carlo.
// ---------------------------------------------------------------------------------------------

/// Monte Carlo estimates with standard errors: `samples` random orderings for Shapley-Shubik and
/// `samples` random coalitions for Banzhaf, in seeded batches (same numbers on any threads).
pub fn monte_carlo(game: &Game, samples: usize, seed: u64) -> Result<PowerIndices, PowerError> {
    if samples < 2 {
        return Err(PowerError::TooFewSamples { samples });
    }
    let n = game.n_players();
    let batches = samples.div_ceil(BATCH);
    let size = |b: usize| BATCH.min(samples - b * BATCH);
    let tallies: Vec<(Vec<u64>, BanzhafTally)> = (0..batches)
        .into_par_iter()
        .map(|b| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(2 * b as u64);
            let pivots = pivot_batch(game, &mut rng, size(b));
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(2 * b as u64 + 1);
            (pivots, swing_batch(game, &mut rng, size(b)))
        })
        .collect();
    // Integer tallies: their sum is the same in any order.
    let mut pivots = vec![0u64; n];
    let mut tally = BanzhafTally::new(n);
    for (p, t) in &tallies {
        pivots.iter_mut().zip(p).for_each(|(a, b)| *a += b);
        tally.add(t);
    }
    let count = samples as f64;
    let proportion_se = |hits: u64| {
        let p = hits as f64 / count;
        (p * (1.0 - p) / (count - 1.0)).sqrt()
    };
    let shapley: Vec<f64> = pivots.iter().map(|&c| c as f64 / count).collect();
    let absolute: Vec<f64> = tally.swings.iter().map(|&c| c as f64 / count).collect();
    // Normalised Banzhaf is a ratio of means, b_i = mean(X_i) / mean(T), T the swings in a
    // sample; by the delta method its variance is Var(X_i - b_i T) / (N mean(T)^2).
    let mean_total = tally.sum_total as f64 / count;
    let errors: Vec<StandardErrors> = (0..n)
        .map(|i| {
            let b = if tally.sum_total > 0 {
                tally.swings[i] as f64 / tally.sum_total as f64
            } else {
                0.0
            };
            let squares = tally.swings[i] as f64 - 2.0 * b * tally.cross[i] as f64
                + b * b * tally.sum_total_squared as f64;
            let variance = (squares / (count - 1.0)).max(0.0);
            StandardErrors {
                shapley_shubik: proportion_se(pivots[i]),
                banzhaf: if mean_total > 0.0 {
                    (variance / count).sqrt() / mean_total
                } else {
                    0.0
                },
                banzhaf_absolute: proportion_se(tally.swings[i]),
            }
        })
        .collect();
    Ok(assemble(&shapley, &absolute, Some(errors), Some(samples)))
}

/// Sums over Banzhaf samples: per player the swings X_i and the sum of X_i T, and the sums of
/// T and T^2, T being the number of swing players in a sample.
#[derive(Debug, Clone)]
struct BanzhafTally {
    swings: Vec<u64>,
    cross: Vec<u128>,
    sum_total: u128,
    sum_total_squared: u128,
}

impl BanzhafTally {
    fn new(n: usize) -> Self {
        Self {
            swings: vec![0; n],
            cross: vec![0; n],
            sum_total: 0,
            sum_total_squared: 0,
        }
    }

    fn add(&mut self, other: &Self) {
        self.swings
            .iter_mut()
            .zip(&other.swings)
            .for_each(|(a, b)| *a += b);
        self.cross
            .iter_mut()
            .zip(&other.cross)
            .for_each(|(a, b)| *a += b);
        self.sum_total += other.sum_total;
        self.sum_total_squared += other.sum_total_squared;
    }
}

/// How many times each player is pivotal in `count` random orderings. An ordering is drawn
/// one place at a time (Fisher-Yates) and abandoned once the coalition wins.
fn pivot_batch(game: &Game, rng: &mut ChaCha8Rng, count: usize) -> Vec<u64> {
    let n = game.n_players();
    let mut pivots = vec![0u64; n];
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut sums = vec![0u64; game.rules.len()];
    for _ in 0..count {
        sums.iter_mut().for_each(|s| *s = 0);
        for place in 0..n {
            let pick = rng.random_range(place as u32..n as u32) as usize;
            order.swap(place, pick);
            let player = order[place] as usize;
            let mut wins = true;
            for (sum, rule) in sums.iter_mut().zip(&game.rules) {
                *sum += rule.weights[player];
                wins &= *sum >= rule.quota;
            }
            if wins {
                pivots[player] += 1;
                break;
            }
        }
    }
    pivots
}

/// Swings in `count` random coalitions (each player in with probability 1/2, from the bits of
/// the generator): player i swings when the coalition with i wins and without i loses.
fn swing_batch(game: &Game, rng: &mut ChaCha8Rng, count: usize) -> BanzhafTally {
    let n = game.n_players();
    let mut tally = BanzhafTally::new(n);
    let mut bits = vec![0u64; n.div_ceil(64)];
    let mut sums = vec![0u64; game.rules.len()];
    let mut swing = vec![false; n];
    for _ in 0..count {
        bits.iter_mut().for_each(|b| *b = rng.next_u64());
        let member = |i: usize| bits[i / 64] >> (i % 64) & 1 == 1;
        for (sum, rule) in sums.iter_mut().zip(&game.rules) {
            *sum = (0..n).filter(|&i| member(i)).map(|i| rule.weights[i]).sum();
        }
        let mut total = 0u64;
        for (i, s) in swing.iter_mut().enumerate() {
            let inside = member(i);
            let mut with = true;
            let mut without = true;
            for (&sum, rule) in sums.iter().zip(&game.rules) {
                let w = rule.weights[i];
                let (sum_with, sum_without) = if inside {
                    (sum, sum - w)
                } else {
                    (sum + w, sum)
                };
                with &= sum_with >= rule.quota;
                without &= sum_without >= rule.quota;
            }
            *s = with && !without;
            total += u64::from(*s);
        }
        for (i, &s) in swing.iter().enumerate() {
            if s {
                tally.swings[i] += 1;
                tally.cross[i] += u128::from(total);
            }
        }
        tally.sum_total += u128::from(total);
        tally.sum_total_squared += u128::from(total * total);
    }
    tally
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauss_legendre_weights_sum_to_one_and_integrate_exactly() {
        for points in [1, 2, 3, 7, 50, 501] {
            let rule = gauss_legendre_nonnegative(points);
            let mut sum = 0.0;
            let mut moment = 0.0; // integral of p^(2 points - 1) over [0, 1]
            let degree = 2 * points as i32 - 1;
            for &(x, w) in &rule {
                let pairs: &[f64] = if x == 0.0 {
                    &[0.5]
                } else {
                    &[0.5 * (1.0 - x), 0.5 * (1.0 + x)]
                };
                for &p in pairs {
                    sum += w;
                    moment += w * p.powi(degree);
                }
            }
            assert!((sum - 1.0).abs() < 1e-13, "{points}: {sum}");
            let exact = 1.0 / (degree as f64 + 1.0);
            assert!(
                (moment - exact).abs() < 1e-13 * exact.max(1e-3),
                "{points}: {moment} vs {exact}"
            );
        }
    }

    #[test]
    fn chernoff_bound_covers_a_binomial_tail() {
        // 20 players of weight 1 joining with probability 0.3: P(X >= 15) exactly.
        let exact: f64 = (15..=20)
            .map(|k| binomial(20, k) * 0.3f64.powi(k as i32) * 0.7f64.powi(20 - k as i32))
            .sum();
        let bound = upper_tail_bound(&[1], &[20], 0.3, 15.0);
        assert!(bound >= exact && bound < 1e3 * exact, "{bound} vs {exact}");
    }

    #[test]
    fn most_nodes_of_a_large_game_are_skipped() {
        // The benchmark's game: 1,000 weights in 1..=100, a majority quota.
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let weights: Vec<u64> = (0..1000)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                1 + (state >> 33) % 100
            })
            .collect();
        let total: u64 = weights.iter().sum();
        let plan = SinglePlan::new(&Rule::new(weights, total / 2 + 1)).unwrap();
        assert_eq!(plan.class_weight.len(), 100);
        assert_eq!(plan.nodes.len(), 51, "of 250 pairs");
        assert!(plan.dummy.iter().all(|&d| !d));
    }

    #[test]
    fn shift_or_moves_bits_across_words() {
        let mut bits = vec![1u64, 0, 0];
        shift_or(&mut bits, 70);
        assert_eq!(bits, vec![1, 1 << 6, 0]);
        shift_or(&mut bits, 63);
        assert_eq!(bits, vec![1 | 1 << 63, 1 << 6, 1 << 5]);
    }
}
