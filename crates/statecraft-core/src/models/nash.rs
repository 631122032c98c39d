//! The Nash bargaining solution on one issue: the point that maximises the weighted product of
//! the actors' gains over the disagreement point.
//!
//! Utilities are quadratic and weighted by salience, u_i(x) = -s_i (x - x_i)^2. The disagreement
//! point is the status quo q, so the gain is g_i(x) = s_i (D_i^2 - (x - x_i)^2) with
//! D_i = |q - x_i|; with no status quo it is each actor's worst point on the scale,
//! D_i = max(x_i - min, max - x_i). The solution maximises prod_i g_i(x)^(w_i) over the points
//! where every g_i > 0 (Nash 1950; asymmetric form, Kalai 1977). On one issue the salience factors
//! out of the product, so the bargaining weights are w_i = c_i s_i (capability x salience, as in
//! the EU bargaining literature, e.g. Schneider, Finke & Bailer 2010) so that an actor that cares
//! more pulls harder. Actors with salience 0 are indifferent and take no part.
//!
//! The log of the objective is strictly concave, so its derivative
//! sum_i w_i (-2 (x - x_i)) / (D_i^2 - (x - x_i)^2) falls monotonically across the feasible
//! interval; statecraft finds its zero by bisection to machine precision. When the intervals
//! where each actor gains do not overlap (on one issue: actors on both sides of the status quo, or
//! an actor already at it) no point gives everyone a gain, and the model says so: the first sign
//! that unanimity ("6-0") is out of reach on this issue alone.

use super::{no_weight, weighted, IssueForecast, Model};
use crate::scenario::Scenario;

/// Asymmetric Nash bargaining solution with quadratic utilities.
#[derive(Debug, Clone, Copy, Default)]
pub struct NashBargaining;

/// One bargainer: ideal point, weight, and the distance at which its gain falls to zero.
struct Bargainer {
    actor: usize,
    position: f64,
    weight: f64,
    reach: f64,
}

impl Model for NashBargaining {
    fn id(&self) -> &'static str {
        "nash"
    }

    fn label(&self) -> &'static str {
        "Nash bargaining"
    }

    fn assumption(&self) -> String {
        "maximises the weighted product of every actor's gain over the status quo, so no \
         actor accepts a point that leaves it worse off"
            .into()
    }

    fn forecast_issue(&self, scenario: &Scenario, issue: usize) -> IssueForecast {
        let spec = &scenario.issues()[issue];
        let scale = spec.scale;
        let mut bargainers: Vec<Bargainer> = weighted(scenario, issue)
            .into_iter()
            .filter(|p| p.weight > 0.0)
            .map(|p| Bargainer {
                actor: p.actor,
                position: p.position,
                weight: p.weight,
                reach: match spec.status_quo {
                    Some(q) => (q - p.position).abs(),
                    None => (p.position - scale.min).max(scale.max - p.position),
                },
            })
            .collect();
        if bargainers.is_empty() {
            return no_weight(scenario, issue);
        }
        // Only the ratios of the weights matter: relative to the largest, so that tiny weights
        // (a salience of 5e-324) do not underflow the slope to 0 and end at the scale's edge.
        let heaviest = bargainers.iter().map(|b| b.weight).fold(0.0, f64::max);
        for b in &mut bargainers {
            b.weight /= heaviest;
        }
        let name = |b: &Bargainer| format!("`{}`", scenario.actors()[b.actor].id);
        if let Some(b) = bargainers.iter().find(|b| b.reach == 0.0) {
            return IssueForecast::none(
                &spec.id,
                format!(
                    "no point gives every actor a gain: {} already has its position {} at the status quo",
                    name(b),
                    crate::text::on_scale(b.position, scale.range())
                ),
            );
        }
        // Each actor gains strictly inside (x_i - D_i, x_i + D_i).
        let lower = bargainers
            .iter()
            .max_by(|a, b| (a.position - a.reach).total_cmp(&(b.position - b.reach)))
            .expect("not empty");
        let upper = bargainers
            .iter()
            .min_by(|a, b| (a.position + a.reach).total_cmp(&(b.position + b.reach)))
            .expect("not empty");
        let open_lo = lower.position - lower.reach;
        let open_hi = upper.position + upper.reach;
        if open_lo >= open_hi {
            let q = spec.status_quo.map_or(String::new(), |q| {
                format!(
                    " the status quo {}:",
                    crate::text::on_scale(q, scale.range())
                )
            });
            return IssueForecast::none(
                &spec.id,
                format!(
                    "no point gives every actor a gain; on opposite sides of{q} {} wants {} and {} wants {}",
                    name(upper),
                    crate::text::on_scale(upper.position, scale.range()),
                    name(lower),
                    crate::text::on_scale(lower.position, scale.range())
                ),
            );
        }
        let slope = |x: f64| -> f64 {
            bargainers
                .iter()
                .map(|b| {
                    let d = x - b.position;
                    -2.0 * b.weight * d / (b.reach * b.reach - d * d)
                })
                .sum()
        };
        // A scale end that is not where some gain vanishes is a closed end: the optimum may sit on it.
        let (mut lo, mut hi) = (open_lo, open_hi);
        if scale.max < open_hi {
            if slope(scale.max) >= 0.0 {
                return IssueForecast::point(&spec.id, scale.max);
            }
            hi = scale.max;
        }
        if scale.min > open_lo {
            if slope(scale.min) <= 0.0 {
                return IssueForecast::point(&spec.id, scale.min);
            }
            lo = scale.min;
        }
        loop {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if slope(mid) > 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        // The bisection's midpoint may round one unit in the last place past the outermost
        // position on a tiny scale (1e-100 wide, say); the bargain lies between the positions.
        let (first, last) = bargainers
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                (a.min(x.position), b.max(x.position))
            });
        IssueForecast::point(&spec.id, (0.5 * (lo + hi)).clamp(first, last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::test_support::one_issue;

    fn nash(actors: &[(f64, f64, f64)], q: Option<f64>) -> IssueForecast {
        NashBargaining.forecast_issue(&one_issue(actors, q), 0)
    }

    #[test]
    fn symmetric_pair_meets_in_the_middle() {
        let f = nash(&[(1.0, 30.0, 1.0), (1.0, 70.0, 1.0)], None);
        assert!((f.value.unwrap() - 50.0).abs() < 1e-9, "{f:?}");
    }

    #[test]
    fn same_side_of_status_quo_has_a_solution() {
        // Both gain only above 20 (A wants 40, reach 20: (20, 60); B wants 60, reach 40: (20, 100)).
        // Equal weights: maximise (400 - (x-40)^2)(1600 - (x-60)^2); the optimum is inside (20, 60).
        let f = nash(&[(1.0, 40.0, 1.0), (1.0, 60.0, 1.0)], Some(20.0));
        let x = f.value.unwrap();
        assert!(x > 40.0 && x < 60.0, "{x}");
        let objective = |x: f64| (400.0 - (x - 40.0f64).powi(2)) * (1600.0 - (x - 60.0f64).powi(2));
        assert!(objective(x) >= objective(x - 1e-4) && objective(x) >= objective(x + 1e-4));
    }

    #[test]
    fn opposite_sides_of_status_quo_have_none() {
        let f = nash(&[(1.0, 10.0, 1.0), (1.0, 90.0, 1.0)], Some(50.0));
        assert_eq!(f.value, None);
        assert!(f
            .note
            .unwrap()
            .contains("no point gives every actor a gain"));
    }

    #[test]
    fn actor_at_status_quo_blocks() {
        let f = nash(&[(1.0, 50.0, 1.0), (1.0, 90.0, 1.0)], Some(50.0));
        assert_eq!(f.value, None);
        assert!(f.note.unwrap().contains("A0"));
    }

    #[test]
    fn heavier_actor_pulls_harder() {
        let f = nash(&[(3.0, 30.0, 1.0), (1.0, 70.0, 1.0)], None);
        assert!(f.value.unwrap() < 50.0);
    }
}
