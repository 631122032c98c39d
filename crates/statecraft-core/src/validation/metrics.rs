//! Accuracy metrics and their seeded bootstrap: proposals are resampled with replacement, each
//! replicate drawing from its own ChaCha8 stream, so intervals are the same on any number of
//! threads.

use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// A figure with its bootstrap 95% interval (percentiles 2.5 and 97.5 of the replicates).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Estimate {
    /// On the data as given.
    pub value: f64,
    /// Lower end of the 95% interval.
    pub low: f64,
    /// Upper end of the 95% interval.
    pub high: f64,
}

/// Accuracy on the issues a forecaster answered, in points of a 0..100 scale (each issue's
/// scale mapped to 0..100).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Metrics {
    /// Mean absolute error.
    pub mae: Estimate,
    /// Root mean squared error.
    pub rmse: Estimate,
    /// Median absolute error.
    pub median_error: Estimate,
    /// Share of forecasts within 5 points of the outcome.
    pub within_5: Estimate,
    /// Share of forecasts within 10 points of the outcome.
    pub within_10: Estimate,
    /// The distribution of the absolute errors: their 5%, 25%, 50%, 75% and 95% quantiles
    /// (linear interpolation between order statistics), on every issue answered.
    pub error_quantiles: [f64; 5],
    /// Mean of forecast minus outcome: above 0, the forecasts lie above the outcomes on average.
    pub mean_signed_error: f64,
}

/// How many points MAE differs from the reference's on the issues both answered (negative:
/// fewer errors than the reference).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PairedDifference {
    /// Issues both forecasters answered.
    pub issues: usize,
    /// This forecaster's MAE minus the reference's, with its interval.
    pub mae_difference: Estimate,
}

/// How often an interval forecast holds the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Coverage {
    /// The interval's nominal level (0.8).
    pub nominal: f64,
    /// Share of outcomes inside the interval, with its bootstrap interval.
    pub coverage: Estimate,
    /// Mean width of the intervals, in points.
    pub mean_width: f64,
}

/// One forecaster's answers on the scored issues (in points on 0..100), and intervals if any.
pub(crate) struct Column {
    pub(crate) forecasts: Vec<Option<f64>>,
    pub(crate) intervals: Option<Vec<Option<(f64, f64)>>>,
}

/// What the bootstrap gives for one column.
pub(crate) struct ColumnStats {
    pub(crate) metrics: Option<Metrics>,
    pub(crate) versus_reference: Option<PairedDifference>,
    pub(crate) coverage: Option<Coverage>,
}

/// MAE, RMSE, median, within 5, within 10 of absolute errors (sorted in place).
fn summary(errors: &mut [f64]) -> Option<[f64; 5]> {
    if errors.is_empty() {
        return None;
    }
    let n = errors.len() as f64;
    let (mut sum, mut squares, mut five, mut ten) = (0.0, 0.0, 0.0, 0.0);
    for &e in errors.iter() {
        sum += e;
        squares += e * e;
        five += f64::from(u8::from(e <= 5.0));
        ten += f64::from(u8::from(e <= 10.0));
    }
    errors.sort_by(f64::total_cmp);
    Some([
        sum / n,
        (squares / n).sqrt(),
        quantile(errors, 0.5),
        five / n,
        ten / n,
    ])
}

/// The `q` quantile of sorted values, interpolating linearly between order statistics.
pub(crate) fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let fraction = position - below as f64;
    sorted[below] + fraction * (sorted[above] - sorted[below])
}

/// Everything one sample of proposals gives for every column.
struct Sample {
    summaries: Vec<Option<[f64; 5]>>,
    differences: Vec<Option<f64>>,
    coverages: Vec<Option<f64>>,
}

fn evaluate(columns: &[Column], outcomes: &[f64], records: &[usize], reference: usize) -> Sample {
    let mut summaries = Vec::with_capacity(columns.len());
    let mut differences = Vec::with_capacity(columns.len());
    let mut coverages = Vec::with_capacity(columns.len());
    for column in columns {
        let mut errors: Vec<f64> = records
            .iter()
            .filter_map(|&r| column.forecasts[r].map(|f| (f - outcomes[r]).abs()))
            .collect();
        summaries.push(summary(&mut errors));
        let (mut own, mut theirs, mut both) = (0.0, 0.0, 0usize);
        for &r in records {
            if let (Some(a), Some(b)) = (column.forecasts[r], columns[reference].forecasts[r]) {
                own += (a - outcomes[r]).abs();
                theirs += (b - outcomes[r]).abs();
                both += 1;
            }
        }
        differences.push((both > 0).then(|| (own - theirs) / both as f64));
        coverages.push(column.intervals.as_ref().and_then(|intervals| {
            let (mut inside, mut n) = (0usize, 0usize);
            for &r in records {
                if let Some((lo, hi)) = intervals[r] {
                    n += 1;
                    inside += usize::from(lo <= outcomes[r] && outcomes[r] <= hi);
                }
            }
            (n > 0).then(|| inside as f64 / n as f64)
        }));
    }
    Sample {
        summaries,
        differences,
        coverages,
    }
}

/// The random stream of bootstrap replicate `replicate` of `seed`.
pub(crate) fn stream(seed: u64, replicate: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(replicate);
    rng
}

fn interval(value: f64, mut samples: Vec<f64>) -> Estimate {
    if samples.is_empty() {
        return Estimate {
            value,
            low: value,
            high: value,
        };
    }
    samples.sort_by(f64::total_cmp);
    Estimate {
        value,
        low: quantile(&samples, 0.025),
        high: quantile(&samples, 0.975),
    }
}

/// Scores every column on the records (`by_case[c]`: the records of case `c`), with
/// `replicates` bootstrap samples of cases; differences are to column `reference`.
pub(crate) fn score(
    columns: &[Column],
    outcomes: &[f64],
    by_case: &[Vec<usize>],
    reference: usize,
    replicates: usize,
    seed: u64,
) -> Vec<ColumnStats> {
    let all: Vec<usize> = (0..outcomes.len()).collect();
    let full = evaluate(columns, outcomes, &all, reference);
    let n_cases = by_case.len();
    let samples: Vec<Sample> = (0..replicates as u64)
        .into_par_iter()
        .map(|r| {
            let mut rng = stream(seed, r);
            let mut records = Vec::with_capacity(outcomes.len());
            for _ in 0..n_cases {
                records.extend_from_slice(&by_case[rng.random_range(0..n_cases)]);
            }
            evaluate(columns, outcomes, &records, reference)
        })
        .collect();
    (0..columns.len())
        .map(|k| {
            let (mut absolute, mut signed) = (Vec::new(), 0.0);
            for r in &all {
                if let Some(f) = columns[k].forecasts[*r] {
                    absolute.push((f - outcomes[*r]).abs());
                    signed += f - outcomes[*r];
                }
            }
            absolute.sort_by(f64::total_cmp);
            let metrics = full.summaries[k].map(|value| {
                let pick = |m: usize| {
                    let draws = samples
                        .iter()
                        .filter_map(|s| s.summaries[k].map(|x| x[m]))
                        .collect();
                    interval(value[m], draws)
                };
                Metrics {
                    mae: pick(0),
                    rmse: pick(1),
                    median_error: pick(2),
                    within_5: pick(3),
                    within_10: pick(4),
                    error_quantiles: [0.05, 0.25, 0.5, 0.75, 0.95].map(|q| quantile(&absolute, q)),
                    mean_signed_error: signed / absolute.len() as f64,
                }
            });
            let issues = all
                .iter()
                .filter(|&&r| {
                    columns[k].forecasts[r].is_some() && columns[reference].forecasts[r].is_some()
                })
                .count();
            let versus_reference = full.differences[k].map(|value| PairedDifference {
                issues,
                mae_difference: interval(
                    value,
                    samples.iter().filter_map(|s| s.differences[k]).collect(),
                ),
            });
            let coverage = full.coverages[k].map(|value| {
                let intervals = columns[k]
                    .intervals
                    .as_ref()
                    .expect("coverage has intervals");
                let widths: Vec<f64> = intervals.iter().flatten().map(|(lo, hi)| hi - lo).collect();
                Coverage {
                    nominal: 0.8,
                    coverage: interval(
                        value,
                        samples.iter().filter_map(|s| s.coverages[k]).collect(),
                    ),
                    mean_width: widths.iter().sum::<f64>() / widths.len().max(1) as f64,
                }
            });
            ColumnStats {
                metrics,
                versus_reference,
                coverage,
            }
        })
        .collect()
}

/// The MAE of the records whose forecast exists (`None` when there are none).
pub(crate) fn mae(forecasts: &[Option<f64>], outcomes: &[f64], records: &[usize]) -> Option<f64> {
    let errors: Vec<f64> = records
        .iter()
        .filter_map(|&r| forecasts[r].map(|f| (f - outcomes[r]).abs()))
        .collect();
    (!errors.is_empty()).then(|| errors.iter().sum::<f64>() / errors.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_known_errors() {
        let mut errors = vec![0.0, 4.0, 6.0, 10.0, 30.0];
        let [mae, rmse, median, five, ten] = summary(&mut errors).unwrap();
        assert_eq!(mae, 10.0);
        assert!((rmse - (1052.0f64 / 5.0).sqrt()).abs() < 1e-12);
        assert_eq!(median, 6.0);
        assert_eq!(five, 0.4);
        assert_eq!(ten, 0.8);
    }

    #[test]
    fn quantile_interpolates() {
        assert_eq!(quantile(&[0.0, 10.0], 0.25), 2.5);
        assert_eq!(quantile(&[1.0, 2.0, 3.0], 0.5), 2.0);
    }

    #[test]
    fn the_error_distribution_is_of_the_answered_issues() {
        // Forecasts 10, none, 20, 0, 50 of outcomes 0, 0, 30, 5, 10: errors 10, 10, 5, 40.
        let column = Column {
            forecasts: vec![Some(10.0), None, Some(20.0), Some(0.0), Some(50.0)],
            intervals: None,
        };
        let outcomes = [0.0, 0.0, 30.0, 5.0, 10.0];
        let by_case = vec![vec![0, 1], vec![2, 3, 4]];
        let stats = score(&[column], &outcomes, &by_case, 0, 20, 1);
        let m = stats[0].metrics.expect("answered");
        // Sorted 5, 10, 10, 40: the median 10, the 25% quantile 8.75, the 95% 35.5.
        assert_eq!(m.error_quantiles[2], 10.0);
        assert_eq!(m.error_quantiles[1], 8.75);
        assert!((m.error_quantiles[4] - 35.5).abs() < 1e-12);
        // (10 - 10 - 5 + 40) / 4.
        assert_eq!(m.mean_signed_error, 8.75);
        assert_eq!(m.mae.value, 16.25);
    }
}
