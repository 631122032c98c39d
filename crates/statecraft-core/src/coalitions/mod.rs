//! "6 to 0, or 5 to 1": which packages every actor prefers to the status quo, and when none
//! does, which coalitions of all but one (or fewer) can agree, who is left out, and by how much
//! the failure rests on them. See `docs/models/coalitions.md`.
//!
//! A package fixes a value on every issue. Actor i's gain from package x is
//! g_i(x) = D_i(x) + sum_j a_ij D_j(x), where D_j(x) = sum_k s_jk (l(q_k - p_jk) - l(x_k - p_jk))
//! over the issues on which j takes a position (l the linear or quadratic loss of the distance
//! divided by the issue's range, q the status quo, a_ij the affinity of i for partner j). i
//! accepts x when no red line of i contains any x_k and g_i(x) > m_i, its reservation margin.

mod interval;
mod optimise;
mod utility;

use serde::Serialize;

pub use interval::{accepted_on_issue, intersect, win_set_on_issue, Interval, IntervalSet};
pub use utility::{CoalitionError, Shape, Utilities};

use crate::scenario::Scenario;
use optimise::{
    maximise, maximise_piecewise_linear, nash_piecewise_linear, Constraint, Objective,
    PiecewiseLinear,
};

/// Red-line ends are excluded from the search by this share of the issue's range.
const RED_LINE_GAP: f64 = 1e-9;
/// Net gains within this of 0 count as 0 (the optimiser's tolerance).
pub const GAIN_TOLERANCE: f64 = 1e-9;
/// Two gains count as tied when they differ by at most this share of the larger (or by this
/// much, below 1): the optimiser's and floating point's noise (0.40766304332 against
/// 0.40766304338) must not single out one actor where several are equally placed.
pub const TIE_TOLERANCE: f64 = 1e-9;

/// Whether `a` and `b` tie within [`TIE_TOLERANCE`].
pub fn ties(a: f64, b: f64) -> bool {
    (a - b).abs() <= TIE_TOLERANCE * a.abs().max(b.abs()).max(1.0)
}

/// The largest number of actors whose coalitions are all enumerated.
const MAX_ENUMERATED: usize = 16;

/// A package with what each actor makes of it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Package {
    /// One value per issue.
    pub values: Vec<f64>,
    /// Per actor (scenario order): gain over the status quo minus its margin; above 0 accepts
    /// (unless a red line refuses the package).
    pub net_gains: Vec<f64>,
    /// The smallest net gain among the actors the package was made for.
    pub min_gain: f64,
    /// The actors the package was made for whose net gain is `min_gain` (within
    /// [`TIE_TOLERANCE`]): every least satisfied actor, in scenario order.
    pub least_satisfied: Vec<String>,
    /// The red lines (of any actor: members avoid their own, so these are outsiders') that the
    /// package falls inside, in issue then actor order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub red_lines: Vec<crate::red_lines::RedLineFlag>,
}

/// One issue's unanimous win-set with the other issues at the status quo.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct IssueWinSet {
    /// The issue's id.
    pub issue: String,
    /// The values every actor accepts (empty: none).
    pub intervals: IntervalSet,
}

/// A coalition that can agree on a package.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Coalition {
    /// Member ids.
    pub members: Vec<String>,
    /// Ids of the actors left out.
    pub outsiders: Vec<String>,
    /// The members' share of all capability.
    pub capability_share: f64,
    /// The package that maximises the smallest member gain.
    pub package: Package,
}

/// How far the holdout of the best all-but-one coalition stands from an agreement on one issue.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct IssueGap {
    /// The issue's id.
    pub issue: String,
    /// The value in the package most generous to the holdout.
    pub package_value: f64,
    /// The holdout's position, if it takes one.
    pub holdout_position: Option<f64>,
    /// How far (scale units) this issue alone would have to move toward the holdout for it to
    /// accept; `None` when even its own position would not be enough.
    pub move_needed: Option<f64>,
}

/// The blame margin: how clearly the failure of 6-0 rests on the holdout.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Blame {
    /// The holdout's id.
    pub holdout: String,
    /// Every actor whose all-but-one coalition ties with the holdout's (the same capability
    /// share and smallest gain, within [`TIE_TOLERANCE`]), the holdout among them, in scenario
    /// order: any of them could be named in its place; the rest of the blame is the holdout's.
    pub holdouts: Vec<String>,
    /// The most generous package to the holdout that every other actor still accepts.
    pub most_generous: Package,
    /// The holdout's net gain there: below 0, by how much it falls short.
    pub holdout_net_gain: f64,
    /// The issue of the holdout's red line that this package crosses, if any.
    pub red_line: Option<String>,
    /// Per issue, how far the package is from bringing the holdout in.
    pub issues: Vec<IssueGap>,
    /// The package the holdout accepts that is best for the others' smallest gain, if any.
    pub to_bring_in: Option<Package>,
    /// At that package, the others who would lose (net gain below 0 by more than
    /// [`GAIN_TOLERANCE`]), with their losses.
    pub sacrifices: Vec<(String, f64)>,
}

/// The whole analysis.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CoalitionAnalysis {
    /// The loss shape used.
    pub shape: Shape,
    /// Actor ids, in scenario order (the order of every `net_gains`).
    pub actors: Vec<String>,
    /// Per issue, the unanimous win-set with the other issues at the status quo.
    pub issue_win_sets: Vec<IssueWinSet>,
    /// The unanimous package that maximises the smallest gain, if every actor can agree.
    pub unanimous: Option<Package>,
    /// The Nash bargaining point inside the unanimous win-set: the package that maximises the
    /// capability-weighted sum of the logarithms of the net gains (when the win-set is not empty;
    /// linear losses only).
    pub nash: Option<Package>,
    /// Per issue, the range the unanimous win-set spans (when it is not empty).
    pub unanimous_extent: Vec<Option<Interval>>,
    /// The coalitions of all but one actor that can agree; when none can and unanimity fails,
    /// the largest smaller ones that can. Without unanimity they are ordered by capability share,
    /// then smallest gain (the first is the best 5-1); with unanimity by smallest gain (the first
    /// leaves out the actor whose inclusion costs the others most).
    pub coalitions: Vec<Coalition>,
    /// For the first coalition, when it leaves out one actor: how the failure (or the cost of
    /// inclusion) rests on that actor.
    pub blame: Option<Blame>,
    /// Whether every optimisation converged.
    pub converged: bool,
    /// Things the reader should know (skipped searches, non-convergence).
    pub notes: Vec<String>,
}

/// The search box for `members`: per issue, the scale without their red lines, as intervals.
fn allowed(u: &Utilities<'_>, members: &[usize]) -> Vec<IntervalSet> {
    u.scenario
        .issues()
        .iter()
        .enumerate()
        .map(|(k, issue)| {
            let gap = RED_LINE_GAP * issue.scale.range();
            let mut set = vec![Interval {
                lo: issue.scale.min,
                hi: issue.scale.max,
            }];
            for &i in members {
                for line in u.scenario.actors()[i]
                    .red_lines
                    .iter()
                    .filter(|l| l.issue == k)
                {
                    let keep_below = Interval {
                        lo: issue.scale.min,
                        hi: line.min - gap,
                    };
                    let keep_above = Interval {
                        lo: line.max + gap,
                        hi: issue.scale.max,
                    };
                    let outside: IntervalSet = [keep_below, keep_above]
                        .into_iter()
                        .filter(|iv| iv.lo <= iv.hi)
                        .collect();
                    set = intersect(&set, &outside);
                }
            }
            set
        })
        .collect()
}

/// Every box of the product of the per-issue interval sets.
fn boxes(allowed: &[IntervalSet]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for set in allowed {
        out = out
            .iter()
            .flat_map(|prefix| {
                set.iter().map(move |iv| {
                    let mut b = prefix.clone();
                    b.push((iv.lo, iv.hi));
                    b
                })
            })
            .collect();
    }
    out
}

/// The gain of `i` less its margin, as a concave function for the optimiser.
fn net_gain<'u>(u: &'u Utilities<'u>, i: usize) -> impl Fn(&[f64], &mut [f64]) -> f64 + 'u {
    move |x: &[f64], grad: &mut [f64]| u.gain_with_gradient(i, x, Some(grad)) - u.margin(i)
}

struct Search<'u> {
    u: &'u Utilities<'u>,
    converged: bool,
}

impl<'u> Search<'u> {
    fn package(&self, x: Vec<f64>, members: &[usize]) -> Package {
        let n = self.u.scenario.actors().len();
        let net_gains: Vec<f64> = (0..n)
            .map(|i| self.u.gain(i, &x) - self.u.margin(i))
            .collect();
        let min_gain = members
            .iter()
            .map(|&i| net_gains[i])
            .fold(f64::INFINITY, f64::min);
        let red_lines = crate::red_lines::in_package(self.u.scenario, &x)
            .into_iter()
            .flatten()
            .collect();
        let least_satisfied = members
            .iter()
            .filter(|&&i| ties(net_gains[i], min_gain))
            .map(|&i| self.u.scenario.actors()[i].id.clone())
            .collect();
        Package {
            values: x,
            net_gains,
            min_gain,
            least_satisfied,
            red_lines,
        }
    }

    /// Over the boxes without `avoid`'s red lines, maximises `objective` subject to
    /// net_gain_i - a_i t >= 0 for every (i, a_i) in `constraints`; the best solution.
    fn best(
        &mut self,
        avoid: &[usize],
        constraints: &[(usize, f64)],
        objective: Objective,
        score: impl Fn(&[f64], f64) -> f64,
    ) -> Option<(Vec<f64>, f64)> {
        let functions: Vec<_> = constraints
            .iter()
            .map(|&(i, _)| net_gain(self.u, i))
            .collect();
        let cs: Vec<Constraint<'_>> = functions
            .iter()
            .zip(constraints)
            .map(|(f, &(_, a))| Constraint { f, a, b: 0.0 })
            .collect();
        let linear: Vec<PiecewiseLinear> = constraints
            .iter()
            .map(|&(i, a)| {
                let (constant, terms) = self.u.linear_terms(i);
                PiecewiseLinear { constant, terms, a }
            })
            .collect();
        let mut best: Option<(Vec<f64>, f64, f64)> = None;
        for bounds in boxes(&allowed(self.u, avoid)) {
            let solution = match self.u.shape {
                Shape::Linear => maximise_piecewise_linear(&bounds, &linear, objective),
                Shape::Quadratic => maximise(&bounds, &cs, objective),
            };
            let Some(solution) = solution else {
                continue;
            };
            self.converged &= solution.converged;
            let value = score(&solution.x, solution.t);
            if best.as_ref().is_none_or(|b| value > b.2) {
                best = Some((solution.x, solution.t, value));
            }
        }
        best.map(|(x, t, _)| (x, t))
    }

    /// The package of `members` that maximises their smallest net gain, if that gain is > 0.
    fn maximin(&mut self, members: &[usize]) -> Option<Package> {
        let constraints: Vec<(usize, f64)> = members.iter().map(|&i| (i, 1.0)).collect();
        let u = self.u;
        let smallest = |x: &[f64], _t: f64| {
            members
                .iter()
                .map(|&i| u.gain(i, x) - u.margin(i))
                .fold(f64::INFINITY, f64::min)
        };
        let (x, _) = self.best(members, &constraints, Objective::T, smallest)?;
        let package = self.package(x, members);
        (package.min_gain > 0.0).then_some(package)
    }

    /// The Nash bargaining point of `members` inside their win-set: it maximises
    /// sum_i c_i ln(net gain_i) (c the capabilities). Computed for linear losses (`None` with
    /// quadratic ones).
    fn nash(&mut self, members: &[usize]) -> Option<Package> {
        let u = self.u;
        if u.shape != Shape::Linear {
            return None;
        }
        let weights: Vec<f64> = members
            .iter()
            .map(|&i| u.scenario.actors()[i].capability)
            .collect();
        let gains: Vec<PiecewiseLinear> = members
            .iter()
            .map(|&i| {
                let (constant, terms) = u.linear_terms(i);
                PiecewiseLinear {
                    constant,
                    terms,
                    a: 0.0,
                }
            })
            .collect();
        let mut best: Option<(Vec<f64>, f64)> = None;
        for bounds in boxes(&allowed(u, members)) {
            let Some(solution) = nash_piecewise_linear(&bounds, &gains, &weights, GAIN_TOLERANCE)
            else {
                continue;
            };
            self.converged &= solution.converged;
            if best.as_ref().is_none_or(|b| solution.t > b.1) {
                best = Some((solution.x, solution.t));
            }
        }
        best.map(|(x, _)| self.package(x, members))
    }

    /// Per issue, the smallest and largest value over the packages `members` all accept.
    fn extent(&mut self, members: &[usize]) -> Vec<Option<Interval>> {
        let constraints: Vec<(usize, f64)> = members.iter().map(|&i| (i, 0.0)).collect();
        (0..self.u.issues())
            .map(|k| {
                let low = self.best(
                    members,
                    &constraints,
                    Objective::Coordinate(k, -1.0),
                    |x, _| -x[k],
                )?;
                let high = self.best(
                    members,
                    &constraints,
                    Objective::Coordinate(k, 1.0),
                    |x, _| x[k],
                )?;
                Some(Interval {
                    lo: low.0[k],
                    hi: high.0[k],
                })
            })
            .collect()
    }

    /// The blame margin of `holdout` against the coalition `members`.
    fn blame(&mut self, members: &[usize], holdout: usize) -> Blame {
        let u = self.u;
        let ids = |i: usize| u.scenario.actors()[i].id.clone();
        let issue_id = |k: usize| u.scenario.issues()[k].id.clone();
        // Most generous: maximise t <= net gain of the holdout, the members accepting.
        let mut constraints: Vec<(usize, f64)> = members.iter().map(|&i| (i, 0.0)).collect();
        constraints.push((holdout, 1.0));
        let holdout_gain = |x: &[f64], _t: f64| u.gain(holdout, x) - u.margin(holdout);
        // Outside the holdout's red lines when the others allow it; else the red line is what
        // blocks, and the package shows where.
        let mut everyone: Vec<usize> = members.to_vec();
        everyone.push(holdout);
        let x = self
            .best(&everyone, &constraints, Objective::T, holdout_gain)
            .or_else(|| self.best(members, &constraints, Objective::T, holdout_gain))
            .map_or_else(|| u.status_quo().to_vec(), |(x, _)| x);
        let most_generous = self.package(x, members);
        let holdout_net_gain = most_generous.net_gains[holdout];
        let red_line = u
            .refused_by(holdout, &most_generous.values)
            .map(|(k, _, _)| issue_id(k));
        let issues = (0..u.issues())
            .map(|k| {
                let position = u.scenario.stance(holdout, k).map(|s| s.position);
                IssueGap {
                    issue: issue_id(k),
                    package_value: most_generous.values[k],
                    holdout_position: position,
                    move_needed: position
                        .and_then(|p| move_needed(u, holdout, &most_generous.values, k, p)),
                }
            })
            .collect();
        // To bring the holdout in: the members' best smallest gain with the holdout accepting.
        let mut constraints: Vec<(usize, f64)> = members.iter().map(|&i| (i, 1.0)).collect();
        constraints.push((holdout, 0.0));
        let smallest = |x: &[f64], _t: f64| {
            members
                .iter()
                .map(|&i| u.gain(i, x) - u.margin(i))
                .fold(f64::INFINITY, f64::min)
        };
        let to_bring_in = self
            .best(&everyone, &constraints, Objective::T, smallest)
            .map(|(x, _)| self.package(x, members));
        let sacrifices = to_bring_in
            .as_ref()
            .map(|p| {
                members
                    .iter()
                    .filter(|&&i| p.net_gains[i] < -GAIN_TOLERANCE)
                    .map(|&i| (ids(i), p.net_gains[i]))
                    .collect()
            })
            .unwrap_or_default();
        Blame {
            holdout: ids(holdout),
            holdouts: vec![ids(holdout)],
            most_generous,
            holdout_net_gain,
            red_line,
            issues,
            to_bring_in,
            sacrifices,
        }
    }
}

/// How far issue `k` of package `x` must move toward `target` (the holdout's position) for the
/// holdout to accept, the other issues fixed; `None` if reaching `target` is not enough.
fn move_needed(u: &Utilities<'_>, holdout: usize, x: &[f64], k: usize, target: f64) -> Option<f64> {
    let mut y = x.to_vec();
    let mut accepts_at = |v: f64| {
        y[k] = v;
        u.gain(holdout, &y) > u.margin(holdout) && u.refused_by(holdout, &y).is_none()
    };
    if accepts_at(x[k]) {
        return Some(0.0);
    }
    if !accepts_at(target) {
        return None;
    }
    // The gain is concave along the issue: one crossing between x_k and the target.
    let (mut lo, mut hi) = (x[k], target);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if accepts_at(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some((hi - x[k]).abs())
}

/// Subsets of `0..n` with `k` members, in lexicographic order of their bit patterns.
fn subsets(n: usize, k: usize) -> impl Iterator<Item = Vec<usize>> {
    (0u32..(1u32 << n))
        .filter(move |m| m.count_ones() as usize == k)
        .map(move |m| (0..n).filter(|i| m & (1 << i) != 0).collect())
}

/// The quick form of the analysis that sweeps repeat on every draw: whether every actor can
/// agree and, when not, the actors left out of the all-but-one coalitions that can (the
/// possible holdouts, in actor order).
pub fn unanimity(scenario: &Scenario, shape: Shape) -> Result<(bool, Vec<usize>), CoalitionError> {
    let u = Utilities::new(scenario, shape)?;
    let n = scenario.actors().len();
    let mut search = Search {
        u: &u,
        converged: true,
    };
    let everyone: Vec<usize> = (0..n).collect();
    if search.maximin(&everyone).is_some() {
        return Ok((true, Vec::new()));
    }
    let holdouts = (0..n)
        .filter(|&h| {
            let others: Vec<usize> = (0..n).filter(|&i| i != h).collect();
            search.maximin(&others).is_some()
        })
        .collect();
    Ok((false, holdouts))
}

/// Runs the whole analysis.
pub fn analyse(scenario: &Scenario, shape: Shape) -> Result<CoalitionAnalysis, CoalitionError> {
    let u = Utilities::new(scenario, shape)?;
    let actors = scenario.actors();
    let n = actors.len();
    let everyone: Vec<usize> = (0..n).collect();
    let mut search = Search {
        u: &u,
        converged: true,
    };
    let mut notes = Vec::new();
    let issue_win_sets = scenario
        .issues()
        .iter()
        .enumerate()
        .map(|(k, issue)| IssueWinSet {
            issue: issue.id.clone(),
            intervals: win_set_on_issue(&u, &everyone, k),
        })
        .collect();
    let unanimous = search.maximin(&everyone);
    let (unanimous_extent, nash) = if unanimous.is_some() {
        (search.extent(&everyone), search.nash(&everyone))
    } else {
        (Vec::new(), None)
    };
    let mut coalitions = Vec::new();
    let mut blame = None;
    if n > MAX_ENUMERATED {
        notes.push(format!(
            "coalitions of all but some actors were not searched: {n} actors are more than the {MAX_ENUMERATED} whose subsets are enumerated"
        ));
    } else {
        // All-but-one coalitions always (with 6-0 they show what each actor costs the others);
        // smaller ones only while no larger coalition can agree.
        let total: f64 = actors.iter().map(|a| a.capability).sum();
        for k in (1..n).rev() {
            for members in subsets(n, k) {
                if let Some(package) = search.maximin(&members) {
                    let share = members.iter().map(|&i| actors[i].capability).sum::<f64>() / total;
                    coalitions.push(Coalition {
                        outsiders: (0..n)
                            .filter(|i| !members.contains(i))
                            .map(|i| actors[i].id.clone())
                            .collect(),
                        members: members.iter().map(|&i| actors[i].id.clone()).collect(),
                        capability_share: share,
                        package,
                    });
                }
            }
            if !coalitions.is_empty() || n < 2 {
                break;
            }
        }
        let by_gain =
            |a: &Coalition, b: &Coalition| b.package.min_gain.total_cmp(&a.package.min_gain);
        if unanimous.is_some() {
            // The costliest actor to include first: the five do best without it.
            coalitions.sort_by(by_gain);
        } else {
            coalitions.sort_by(|a, b| {
                b.capability_share
                    .total_cmp(&a.capability_share)
                    .then(by_gain(a, b))
            });
        }
        if let Some(best) = coalitions.first().filter(|c| c.outsiders.len() == 1) {
            let holdout = scenario.actor_index(&best.outsiders[0]).expect("an actor");
            let members: Vec<usize> = (0..n).filter(|&i| i != holdout).collect();
            let mut b = search.blame(&members, holdout);
            let tied = |c: &Coalition| {
                c.outsiders.len() == 1
                    && ties(c.package.min_gain, best.package.min_gain)
                    && (unanimous.is_some() || ties(c.capability_share, best.capability_share))
            };
            let mut holdouts: Vec<usize> = coalitions
                .iter()
                .filter(|c| tied(c))
                .filter_map(|c| scenario.actor_index(&c.outsiders[0]))
                .collect();
            holdouts.sort_unstable();
            b.holdouts = holdouts.iter().map(|&i| actors[i].id.clone()).collect();
            blame = Some(b);
        }
    }
    if !search.converged {
        notes.push(
            "an optimisation stopped before its cutting planes converged; its package is approximate"
                .into(),
        );
    }
    Ok(CoalitionAnalysis {
        shape,
        actors: actors.iter().map(|a| a.id.clone()).collect(),
        issue_win_sets,
        unanimous,
        nash,
        unanimous_extent,
        coalitions,
        blame,
        converged: search.converged,
        notes,
    })
}
