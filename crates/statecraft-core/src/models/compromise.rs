//! The compromise model: the capability x salience weighted mean of the positions.
//!
//! x* = sum_i c_i s_i x_i / sum_i c_i s_i, over the actors with a position on the issue
//! (Achen 2006, "Institutional realism and bargaining models", in Thomson et al.,
//! *The European Union Decides*). Summed in actor order.

use super::{no_weight, weighted, IssueForecast, Model};
use crate::scenario::Scenario;

/// Capability x salience weighted mean.
#[derive(Debug, Clone, Copy, Default)]
pub struct Compromise;

impl Model for Compromise {
    fn id(&self) -> &'static str {
        "compromise"
    }

    fn label(&self) -> &'static str {
        "Compromise (weighted mean)"
    }

    fn assumption(&self) -> String {
        "takes the capability x salience weighted mean, so every actor gives ground in \
         proportion to its weight and no one threatens or holds out"
            .into()
    }

    fn forecast_issue(&self, scenario: &Scenario, issue: usize) -> IssueForecast {
        let points = weighted(scenario, issue);
        let (mut numerator, mut denominator) = (0.0, 0.0);
        for p in &points {
            numerator += p.weight * p.position;
            denominator += p.weight;
        }
        if denominator <= 0.0 {
            return no_weight(scenario, issue);
        }
        // Rounding can put the mean a hair outside the positions; keep it on their range.
        let lo = points
            .iter()
            .map(|p| p.position)
            .fold(f64::INFINITY, f64::min);
        let hi = points
            .iter()
            .map(|p| p.position)
            .fold(f64::NEG_INFINITY, f64::max);
        let value = (numerator / denominator).clamp(lo, hi);
        IssueForecast::point(&scenario.issues()[issue].id, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::test_support::one_issue;

    #[test]
    fn weighted_mean_of_two() {
        let s = one_issue(&[(60.0, 20.0, 0.5), (40.0, 80.0, 0.5)], None);
        assert_eq!(Compromise.forecast_issue(&s, 0).value, Some(44.0));
    }

    #[test]
    fn zero_salience_everywhere_has_no_answer() {
        let s = one_issue(&[(60.0, 20.0, 0.0), (40.0, 80.0, 0.0)], None);
        let f = Compromise.forecast_issue(&s, 0);
        assert_eq!(f.value, None);
        assert!(f.note.unwrap().contains("salience 0"));
    }
}
