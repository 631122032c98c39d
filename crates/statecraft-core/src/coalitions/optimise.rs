//! Concave programs over a box, solved by Kelley's cutting planes: each concave constraint is
//! replaced by tangent planes (which lie above it), the linear program over the planes is solved
//! (microlp), and a plane is added wherever its solution breaks a true constraint, until none is
//! broken by more than a tolerance. The planes only ever over-estimate, so an infeasible linear
//! program proves the true problem infeasible.

use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};

/// A concave function of the package with its (sub)gradient written into the slice.
pub(crate) type Concave<'f> = &'f dyn Fn(&[f64], &mut [f64]) -> f64;

/// The constraint f(x) - a t >= b.
pub(crate) struct Constraint<'f> {
    pub(crate) f: Concave<'f>,
    pub(crate) a: f64,
    pub(crate) b: f64,
}

/// What to maximise.
#[derive(Clone, Copy)]
pub(crate) enum Objective {
    /// The auxiliary variable t (e.g. the smallest gain, when every constraint has a = 1).
    T,
    /// `sign` times one coordinate of the package.
    Coordinate(usize, f64),
    /// Nothing on the package or t (the caller adds its own objective variables).
    Other,
}

/// A solution: the package, t, and whether the planes converged.
pub(crate) struct Solution {
    pub(crate) x: Vec<f64>,
    pub(crate) t: f64,
    pub(crate) converged: bool,
}

/// How far a true constraint may be broken at the answer (gains are in utility units, where a
/// full swing of a top-salience issue is 1).
const TOLERANCE: f64 = 1e-7;
/// Bound on |t|, to keep the first linear programs bounded.
const T_BOUND: f64 = 1e6;
/// Rounds of planes before giving up (reported as not converged).
const MAX_ROUNDS: usize = 1000;

/// Adds the package's variables (bounded by the box) and t to `lp`, with `objective`'s weights.
fn package_variables(
    lp: &mut Problem,
    bounds: &[(f64, f64)],
    objective: Objective,
) -> (Vec<Variable>, Variable) {
    let xs = bounds
        .iter()
        .enumerate()
        .map(|(k, &(lo, hi))| {
            let coefficient = match objective {
                Objective::Coordinate(c, sign) if c == k => sign,
                _ => 0.0,
            };
            lp.add_var(coefficient, (lo, hi))
        })
        .collect();
    let t_coefficient = f64::from(u8::from(matches!(objective, Objective::T)));
    (xs, lp.add_var(t_coefficient, (-T_BOUND, T_BOUND)))
}

/// Maximises `objective` over the box `bounds` subject to `constraints`; `None` when infeasible.
pub(crate) fn maximise(
    bounds: &[(f64, f64)],
    constraints: &[Constraint<'_>],
    objective: Objective,
) -> Option<Solution> {
    let n = bounds.len();
    let centre: Vec<f64> = bounds.iter().map(|(lo, hi)| 0.5 * (lo + hi)).collect();
    // (constraint, value at the point, gradient, point).
    let mut planes: Vec<(usize, f64, Vec<f64>, Vec<f64>)> = Vec::new();
    let mut grad = vec![0.0; n];
    for (j, c) in constraints.iter().enumerate() {
        let value = (c.f)(&centre, &mut grad);
        planes.push((j, value, grad.clone(), centre.clone()));
    }
    let mut last = None;
    for _ in 0..MAX_ROUNDS {
        let mut lp = Problem::new(OptimizationDirection::Maximize);
        let (xs, t) = package_variables(&mut lp, bounds, objective);
        for (j, value, g, at) in &planes {
            let c = &constraints[*j];
            // value + g.(x - at) - a t >= b
            let mut terms: Vec<_> = xs.iter().zip(g).map(|(&v, &gk)| (v, gk)).collect();
            terms.push((t, -c.a));
            let shift: f64 = g.iter().zip(at).map(|(gk, ak)| gk * ak).sum();
            lp.add_constraint(&terms[..], ComparisonOp::Ge, c.b - value + shift);
        }
        // The planes over-estimate every constraint: no solution to them, none to the problem.
        let Ok(solution) = lp.solve() else {
            return None;
        };
        let x: Vec<f64> = xs
            .iter()
            .zip(bounds)
            .map(|(&v, &(lo, hi))| solution[v].clamp(lo, hi))
            .collect();
        let t_value = solution[t];
        let mut broken = false;
        for (j, c) in constraints.iter().enumerate() {
            let value = (c.f)(&x, &mut grad);
            if c.b + c.a * t_value - value > TOLERANCE {
                broken = true;
                planes.push((j, value, grad.clone(), x.clone()));
            }
        }
        if !broken {
            return Some(Solution {
                x,
                t: t_value,
                converged: true,
            });
        }
        last = Some((x, t_value));
    }
    last.map(|(x, t)| Solution {
        x,
        t,
        converged: false,
    })
}

/// The constraint c - sum_terms w |x_k - p| - a t >= 0 (w >= 0): a linear-loss net gain.
pub(crate) struct PiecewiseLinear {
    pub(crate) constant: f64,
    /// (issue k, position p, weight w >= 0).
    pub(crate) terms: Vec<(usize, f64, f64)>,
    pub(crate) a: f64,
}

/// Maximises `objective` over the box subject to piecewise-linear concave constraints, exactly,
/// as one linear program: each |x_k - p| becomes a variable e >= x_k - p, e >= p - x_k. Every
/// weight on e is negative in every constraint, so a solution's e can be lowered to |x_k - p|
/// without breaking any: the program's optimum is the true one.
pub(crate) fn maximise_piecewise_linear(
    bounds: &[(f64, f64)],
    constraints: &[PiecewiseLinear],
    objective: Objective,
) -> Option<Solution> {
    let mut lp = Problem::new(OptimizationDirection::Maximize);
    let (xs, t) = package_variables(&mut lp, bounds, objective);
    // One distance variable per (issue, position) pair.
    let mut distances: Vec<(usize, f64, Variable)> = Vec::new();
    for c in constraints {
        for &(k, p, _) in &c.terms {
            if !distances.iter().any(|&(k2, p2, _)| k2 == k && p2 == p) {
                let e = lp.add_var(0.0, (0.0, f64::INFINITY));
                lp.add_constraint(&[(e, 1.0), (xs[k], -1.0)][..], ComparisonOp::Ge, -p);
                lp.add_constraint(&[(e, 1.0), (xs[k], 1.0)][..], ComparisonOp::Ge, p);
                distances.push((k, p, e));
            }
        }
    }
    for c in constraints {
        // c.constant - sum w e - a t >= 0, with the weights of a shared distance added up (the
        // solver takes each variable once per constraint).
        let mut weights = vec![0.0; distances.len()];
        for &(k, p, w) in &c.terms {
            let d = distances
                .iter()
                .position(|&(k2, p2, _)| k2 == k && p2 == p)
                .expect("added above");
            weights[d] += w;
        }
        let mut terms: Vec<(Variable, f64)> = distances
            .iter()
            .zip(&weights)
            .filter(|(_, &w)| w != 0.0)
            .map(|(&(_, _, e), &w)| (e, -w))
            .collect();
        terms.push((t, -c.a));
        lp.add_constraint(&terms[..], ComparisonOp::Ge, -c.constant);
    }
    let solution = lp.solve().ok()?;
    Some(Solution {
        // The simplex may land a hair outside a bound; the package stays on its scales.
        x: xs
            .iter()
            .zip(bounds)
            .map(|(&v, &(lo, hi))| solution[v].clamp(lo, hi))
            .collect(),
        t: solution[t],
        converged: true,
    })
}

/// The Nash bargaining point with linear losses: maximises sum_i w_i ln(g_i) over the box, with
/// every g_i = c_i - sum w |x_k - p| (the constraints' `a` is ignored) above `floor`. Each ln is
/// replaced by tangent lines (which lie above it), first on a geometric grid of gains, then at
/// each solution, until the sum of the tangents exceeds the true objective by at most the
/// tolerance: the linear program over (x, distances, one variable per ln) is exact but for that
/// gap. Returns the package and the objective.
pub(crate) fn nash_piecewise_linear(
    bounds: &[(f64, f64)],
    gains: &[PiecewiseLinear],
    weights: &[f64],
    floor: f64,
) -> Option<Solution> {
    let true_value = |g: &[f64]| -> f64 { g.iter().zip(weights).map(|(g, w)| w * g.ln()).sum() };
    // Tangent points per gain.
    let mut points: Vec<Vec<f64>> =
        vec![(0..40).map(|k| floor.max(1e-6) * 1.5f64.powi(k)).collect(); gains.len()];
    for _ in 0..MAX_ROUNDS {
        let mut lp = Problem::new(OptimizationDirection::Maximize);
        let (xs, _t) = package_variables(&mut lp, bounds, Objective::Other);
        let mut distances: Vec<(usize, f64, Variable)> = Vec::new();
        let mut distance = |lp: &mut Problem, k: usize, p: f64| -> Variable {
            if let Some(&(_, _, e)) = distances.iter().find(|&&(k2, p2, _)| k2 == k && p2 == p) {
                return e;
            }
            let e = lp.add_var(0.0, (0.0, f64::INFINITY));
            lp.add_constraint(&[(e, 1.0), (xs[k], -1.0)][..], ComparisonOp::Ge, -p);
            lp.add_constraint(&[(e, 1.0), (xs[k], 1.0)][..], ComparisonOp::Ge, p);
            distances.push((k, p, e));
            e
        };
        // g_i as (constant, merged terms over distance variables).
        let mut gain_terms: Vec<Vec<(Variable, f64)>> = Vec::new();
        for g in gains {
            let mut merged: Vec<(Variable, f64)> = Vec::new();
            for &(k, p, w) in &g.terms {
                let e = distance(&mut lp, k, p);
                match merged.iter_mut().find(|(v, _)| *v == e) {
                    Some(entry) => entry.1 -= w,
                    None => merged.push((e, -w)),
                }
            }
            gain_terms.push(merged);
        }
        let mut logs = Vec::new();
        for (i, g) in gains.iter().enumerate() {
            // g_i >= floor
            lp.add_constraint(&gain_terms[i][..], ComparisonOp::Ge, floor - g.constant);
            let s = lp.add_var(weights[i], (-T_BOUND, T_BOUND));
            for &g0 in &points[i] {
                // s <= ln g0 + (g - g0) / g0, g = constant + terms
                let mut terms: Vec<(Variable, f64)> =
                    gain_terms[i].iter().map(|&(v, c)| (v, c / g0)).collect();
                terms.push((s, -1.0));
                lp.add_constraint(
                    &terms[..],
                    ComparisonOp::Ge,
                    1.0 - g0.ln() - g.constant / g0,
                );
            }
            logs.push(s);
        }
        let solution = lp.solve().ok()?;
        let x: Vec<f64> = xs
            .iter()
            .zip(bounds)
            .map(|(&v, &(lo, hi))| solution[v].clamp(lo, hi))
            .collect();
        let g: Vec<f64> = gains
            .iter()
            .map(|g| {
                g.constant
                    - g.terms
                        .iter()
                        .map(|&(k, p, w)| w * (x[k] - p).abs())
                        .sum::<f64>()
            })
            .collect();
        let bound: f64 = logs
            .iter()
            .zip(weights)
            .map(|(&s, w)| w * solution[s])
            .sum();
        let value = true_value(&g);
        if bound - value <= TOLERANCE * value.abs().max(1.0) {
            return Some(Solution {
                x,
                t: value,
                converged: true,
            });
        }
        for (i, &gi) in g.iter().enumerate() {
            points[i].push(gi.max(floor));
        }
    }
    None
}
