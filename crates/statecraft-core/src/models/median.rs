//! The weighted median: the position that a capability x salience weighted majority cannot move.
//!
//! With the positions sorted and weights w_i = c_i s_i summing to W, the forecast is the smallest
//! position x_k whose cumulative weight reaches half: sum_{x_i <= x_k} w_i >= W / 2 (Black's
//! median voter theorem with weighted votes; the "median" model of Thomson et al. 2006,
//! *The European Union Decides*). **Tie rule:** when the cumulative weight equals W / 2 exactly,
//! every point between x_k and the next position is a median; statecraft takes the lower one,
//! x_k, and says so in the forecast's note.

use super::{no_weight, weighted, IssueForecast, Model};
use crate::scenario::Scenario;

/// Capability x salience weighted median (lower median on an exact tie).
#[derive(Debug, Clone, Copy, Default)]
pub struct WeightedMedian;

impl Model for WeightedMedian {
    fn id(&self) -> &'static str {
        "median"
    }

    fn label(&self) -> &'static str {
        "Weighted median"
    }

    fn assumption(&self) -> String {
        "takes the weighted median, where a capability x salience majority decides and how \
         far the others stand does not count"
            .into()
    }

    fn forecast_issue(&self, scenario: &Scenario, issue: usize) -> IssueForecast {
        let mut points = weighted(scenario, issue);
        let total: f64 = points.iter().map(|p| p.weight).sum();
        if total <= 0.0 {
            return no_weight(scenario, issue);
        }
        points.sort_by(|a, b| a.position.total_cmp(&b.position));
        let id = &scenario.issues()[issue].id;
        let mut cumulative = 0.0;
        let mut k = 0;
        while k < points.len() {
            let position = points[k].position;
            // All actors at the same position vote together.
            while k < points.len() && points[k].position == position {
                cumulative += points[k].weight;
                k += 1;
            }
            if 2.0 * cumulative >= total {
                let mut forecast = IssueForecast::point(id, position);
                if 2.0 * cumulative == total && k < points.len() {
                    forecast.note = Some(format!(
                        "exact tie: every point from {position} to {} is a weighted median; the lower is taken",
                        points[k].position
                    ));
                }
                return forecast;
            }
        }
        unreachable!("the cumulative weight reaches the total at the last position")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::test_support::one_issue;

    #[test]
    fn heavier_side_wins() {
        let s = one_issue(
            &[(60.0, 20.0, 0.5), (40.0, 80.0, 0.5), (10.0, 50.0, 1.0)],
            None,
        );
        assert_eq!(WeightedMedian.forecast_issue(&s, 0).value, Some(20.0));
    }

    #[test]
    fn exact_tie_takes_the_lower_and_says_so() {
        let s = one_issue(&[(50.0, 20.0, 0.5), (50.0, 80.0, 0.5)], None);
        let f = WeightedMedian.forecast_issue(&s, 0);
        assert_eq!(f.value, Some(20.0));
        assert!(f.note.unwrap().contains("tie"));
    }

    #[test]
    fn zero_weight_actor_does_not_count() {
        let s = one_issue(
            &[(50.0, 20.0, 0.5), (50.0, 80.0, 0.6), (90.0, 10.0, 0.0)],
            None,
        );
        assert_eq!(WeightedMedian.forecast_issue(&s, 0).value, Some(80.0));
    }
}
