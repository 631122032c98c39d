//! Forecasters with free parameters, fitted out of sample: k-fold cross-validation by proposal
//! (folds fixed by a seed), a check that no fit reads a test proposal, and 80% prediction
//! intervals from the training residuals.

use rand::seq::SliceRandom;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::metrics::{quantile, stream};

/// Which institution an actor is, for fits that weigh them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A member state (or any actor that is not an institution).
    Member,
    /// The Commission (`com`).
    Commission,
    /// The Parliament (`ep`).
    Parliament,
}

/// One scored issue as the fits see it; every value in points on 0..100.
#[derive(Debug, Clone, PartialEq)]
pub struct FitItem {
    /// Index of the case (proposal).
    pub case: usize,
    /// The real outcome.
    pub outcome: f64,
    /// Every plain model's forecast, in the report's model order (`None`: no answer).
    pub base: Vec<Option<f64>>,
    /// The reference point (status quo), when coded.
    pub status_quo: Option<f64>,
    /// Whether the proposal was decided under co-decision.
    pub codecision: bool,
    /// The positioned actors: role, position, salience and capability.
    pub stances: Vec<(Role, f64, f64, f64)>,
    /// The capabilities of the case's member states (actors that are not institutions) summed.
    pub member_total: f64,
}

/// A forecaster with free parameters, fitted on training proposals only.
pub trait Fitter: Send + Sync {
    /// Short id (`sq-pull`).
    fn id(&self) -> &'static str;
    /// Readable name.
    fn label(&self) -> &'static str;
    /// The parameters' names, in the order `fit` returns them.
    fn parameter_names(&self) -> Vec<&'static str>;
    /// Fits on the items whose indices are in `train`; it must read no other item's outcome.
    fn fit(&self, items: &[FitItem], train: &[usize]) -> Vec<f64>;
    /// The forecast for one item with fitted `params`.
    fn predict(&self, params: &[f64], item: &FitItem) -> Option<f64>;
}

/// The mean absolute error of `predict` over `train`, or infinity when nothing is answered.
fn training_mae(
    train: &[usize],
    items: &[FitItem],
    predict: impl Fn(&FitItem) -> Option<f64>,
) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for &t in train {
        if let Some(p) = predict(&items[t]) {
            sum += (p - items[t].outcome).abs();
            n += 1;
        }
    }
    if n == 0 {
        f64::INFINITY
    } else {
        sum / n as f64
    }
}

/// The candidate of `grid` with the least training MAE; the first on a tie.
fn best_of(
    grid: Vec<Vec<f64>>,
    train: &[usize],
    items: &[FitItem],
    fitter: &dyn Fitter,
) -> Vec<f64> {
    let mut best = (f64::INFINITY, Vec::new());
    for candidate in grid {
        let loss = training_mae(train, items, |item| fitter.predict(&candidate, item));
        if loss < best.0 {
            best = (loss, candidate);
        }
    }
    best.1
}

/// A plain model's forecast with no parameter (its interval comes from its training residuals).
#[derive(Debug, Clone, Copy)]
pub struct Fixed {
    /// Index of the model in `FitItem::base`.
    pub column: usize,
}

impl Fitter for Fixed {
    fn id(&self) -> &'static str {
        "fixed"
    }
    fn label(&self) -> &'static str {
        "a plain model"
    }
    fn parameter_names(&self) -> Vec<&'static str> {
        Vec::new()
    }
    fn fit(&self, _: &[FitItem], _: &[usize]) -> Vec<f64> {
        Vec::new()
    }
    fn predict(&self, _: &[f64], item: &FitItem) -> Option<f64> {
        item.base[self.column]
    }
}

/// The compromise pulled toward the reference point: (1 - l) x compromise + l x status quo
/// where the status quo is coded, the compromise elsewhere; l in 0..1 by 0.01.
#[derive(Debug, Clone, Copy)]
pub struct StatusQuoPull {
    /// Index of the compromise model in `FitItem::base`.
    pub compromise: usize,
}

impl Fitter for StatusQuoPull {
    fn id(&self) -> &'static str {
        "sq-pull"
    }
    fn label(&self) -> &'static str {
        "Compromise pulled toward the status quo (fitted)"
    }
    fn parameter_names(&self) -> Vec<&'static str> {
        vec!["pull"]
    }
    fn fit(&self, items: &[FitItem], train: &[usize]) -> Vec<f64> {
        let grid = (0..=100).map(|k| vec![f64::from(k) / 100.0]).collect();
        best_of(grid, train, items, self)
    }
    fn predict(&self, params: &[f64], item: &FitItem) -> Option<f64> {
        let c = item.base[self.compromise]?;
        Some(match item.status_quo {
            Some(q) => (1.0 - params[0]) * c + params[0] * q,
            None => c,
        })
    }
}

/// A weighted mean of the compromise, the weighted median and the status quo, the weights on
/// the simplex by 0.05; a missing part's weight is shared out among the others.
#[derive(Debug, Clone, Copy)]
pub struct Ensemble {
    /// Index of the compromise model in `FitItem::base`.
    pub compromise: usize,
    /// Index of the weighted median in `FitItem::base`.
    pub median: usize,
}

impl Fitter for Ensemble {
    fn id(&self) -> &'static str {
        "ensemble"
    }
    fn label(&self) -> &'static str {
        "Ensemble: compromise, median, status quo (fitted)"
    }
    fn parameter_names(&self) -> Vec<&'static str> {
        vec!["compromise", "median", "status_quo"]
    }
    fn fit(&self, items: &[FitItem], train: &[usize]) -> Vec<f64> {
        let mut grid = Vec::new();
        for a in 0..=20 {
            for b in 0..=(20 - a) {
                let (a, b) = (f64::from(a) / 20.0, f64::from(b) / 20.0);
                grid.push(vec![a, b, (1.0 - a - b).max(0.0)]);
            }
        }
        best_of(grid, train, items, self)
    }
    fn predict(&self, params: &[f64], item: &FitItem) -> Option<f64> {
        let parts = [
            item.base[self.compromise],
            item.base[self.median],
            item.status_quo,
        ];
        let (mut sum, mut weight) = (0.0, 0.0);
        for (w, part) in params.iter().zip(parts) {
            if let Some(x) = part {
                sum += w * x;
                weight += w;
            }
        }
        if weight > 0.0 {
            Some(sum / weight)
        } else {
            item.base[self.compromise]
        }
    }
}

/// The compromise with the Commission's and the Parliament's capability per procedure fitted,
/// as shares of all member states together (which keep their relative capabilities).
#[derive(Debug, Clone, Copy)]
pub struct Institutions;

/// The capability shares tried for each institution.
const INSTITUTION_GRID: [f64; 10] = [0.01, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5, 2.5];

impl Fitter for Institutions {
    fn id(&self) -> &'static str {
        "institutions"
    }
    fn label(&self) -> &'static str {
        "Compromise, institutions weighted by procedure (fitted)"
    }
    fn parameter_names(&self) -> Vec<&'static str> {
        vec![
            "commission_cod",
            "parliament_cod",
            "commission_cns",
            "parliament_cns",
        ]
    }
    fn fit(&self, items: &[FitItem], train: &[usize]) -> Vec<f64> {
        // The co-decision and consultation items do not interact: fit each pair on its own.
        let mut params = vec![0.0; 4];
        for (codecision, at) in [(true, 0), (false, 2)] {
            let subset: Vec<usize> = train
                .iter()
                .copied()
                .filter(|&t| items[t].codecision == codecision)
                .collect();
            let mut grid = Vec::new();
            for &c in &INSTITUTION_GRID {
                for &p in &INSTITUTION_GRID {
                    grid.push(vec![c, p, c, p]);
                }
            }
            let best = best_of(grid, &subset, items, self);
            params[at] = best.get(at).copied().unwrap_or(INSTITUTION_GRID[0]);
            params[at + 1] = best.get(at + 1).copied().unwrap_or(INSTITUTION_GRID[0]);
        }
        params
    }
    fn predict(&self, params: &[f64], item: &FitItem) -> Option<f64> {
        let (commission, parliament) = if item.codecision {
            (params[0], params[1])
        } else {
            (params[2], params[3])
        };
        let (mut sum, mut weight) = (0.0, 0.0);
        for &(role, position, salience, capability) in &item.stances {
            let c = match role {
                Role::Member => capability / item.member_total,
                Role::Commission => commission,
                Role::Parliament => parliament,
            };
            sum += c * salience * position;
            weight += c * salience;
        }
        (weight > 0.0).then(|| sum / weight)
    }
}

/// The compromise with saliences raised to a fitted power: sum c s^g x / sum c s^g, g in 0..2
/// by 0.1 (g = 1 is the compromise, g = 0 the capability-weighted mean of the positions); an
/// actor with salience 0 keeps weight 0.
#[derive(Debug, Clone, Copy)]
pub struct SaliencePower;

impl Fitter for SaliencePower {
    fn id(&self) -> &'static str {
        "salience-power"
    }
    fn label(&self) -> &'static str {
        "Compromise with saliences to a fitted power"
    }
    fn parameter_names(&self) -> Vec<&'static str> {
        vec!["power"]
    }
    fn fit(&self, items: &[FitItem], train: &[usize]) -> Vec<f64> {
        let grid = (0..=20).map(|k| vec![f64::from(k) / 10.0]).collect();
        best_of(grid, train, items, self)
    }
    fn predict(&self, params: &[f64], item: &FitItem) -> Option<f64> {
        let (mut sum, mut weight) = (0.0, 0.0);
        for &(_, position, salience, capability) in &item.stances {
            if salience > 0.0 {
                let w = capability * salience.powf(params[0]);
                sum += w * position;
                weight += w;
            }
        }
        (weight > 0.0).then(|| sum / weight)
    }
}

/// What cross-validating one forecaster gives.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossValidated {
    /// The out-of-fold forecast of every item.
    pub predictions: Vec<Option<f64>>,
    /// The out-of-fold 80% interval of every item (training residuals' 10% and 90% quantiles).
    pub intervals: Vec<Option<(f64, f64)>>,
    /// The parameters fitted on each fold's training proposals.
    pub parameters: Vec<Vec<f64>>,
    /// Whether every fold's fit stayed the same when its test outcomes were changed.
    pub leak_free: bool,
}

/// Fold of each case: the cases shuffled by `seed` (a stream no bootstrap replicate uses) and
/// dealt round-robin into `k` folds.
pub fn folds(n_cases: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n_cases).collect();
    order.shuffle(&mut stream(seed, u64::MAX));
    let mut fold = vec![0; n_cases];
    for (place, &case) in order.iter().enumerate() {
        fold[case] = place % k.max(1);
    }
    fold
}

/// The 80% interval around `prediction` from sorted training residuals.
fn interval(prediction: f64, residuals: &[f64]) -> Option<(f64, f64)> {
    if residuals.len() < 2 {
        return None;
    }
    let lo = (prediction + quantile(residuals, 0.1)).clamp(0.0, 100.0);
    let hi = (prediction + quantile(residuals, 0.9)).clamp(0.0, 100.0);
    Some((lo, hi))
}

/// One fold's parameters, whether the leak check passed, and its test items' (index, forecast,
/// interval).
type FoldResult = (
    Vec<f64>,
    bool,
    Vec<(usize, Option<f64>, Option<(f64, f64)>)>,
);

/// Cross-validates `fitter` over the folds of the cases (`case_fold[c]`), with the leak check:
/// every fold is fitted again with its test outcomes mirrored (100 - outcome), and the
/// parameters must not change.
pub fn cross_validate(
    fitter: &dyn Fitter,
    items: &[FitItem],
    case_fold: &[usize],
) -> CrossValidated {
    let k = case_fold.iter().copied().max().map_or(0, |m| m + 1);
    let per_fold: Vec<FoldResult> = (0..k)
        .into_par_iter()
        .map(|f| {
            let in_test = |item: &FitItem| case_fold[item.case] == f;
            let train: Vec<usize> = (0..items.len()).filter(|&i| !in_test(&items[i])).collect();
            let params = fitter.fit(items, &train);
            let mut mirrored = items.to_vec();
            for item in mirrored.iter_mut().filter(|item| in_test(item)) {
                item.outcome = 100.0 - item.outcome;
            }
            let unchanged = fitter.fit(&mirrored, &train) == params;
            let mut residuals: Vec<f64> = train
                .iter()
                .filter_map(|&t| {
                    fitter
                        .predict(&params, &items[t])
                        .map(|p| items[t].outcome - p)
                })
                .collect();
            residuals.sort_by(f64::total_cmp);
            let tests = (0..items.len())
                .filter(|&i| in_test(&items[i]))
                .map(|i| {
                    let p = fitter.predict(&params, &items[i]);
                    (i, p, p.and_then(|p| interval(p, &residuals)))
                })
                .collect();
            (params, unchanged, tests)
        })
        .collect();
    let mut predictions = vec![None; items.len()];
    let mut intervals = vec![None; items.len()];
    let mut parameters = Vec::new();
    let mut leak_free = true;
    for (params, unchanged, tests) in per_fold {
        parameters.push(params);
        leak_free &= unchanged;
        for (i, p, band) in tests {
            predictions[i] = p;
            intervals[i] = band;
        }
    }
    CrossValidated {
        predictions,
        intervals,
        parameters,
        leak_free,
    }
}

/// A fitted forecaster's parameters as the report shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FitSummary {
    /// The parameters' names.
    pub parameters: Vec<String>,
    /// The values fitted on each fold's training proposals, fold by fold.
    pub per_fold: Vec<Vec<f64>>,
    /// Whether the leak check passed: no fold's fit changed when its test outcomes did.
    pub leak_check_passed: bool,
    /// The parameters were given (`--params`), not fitted: `per_fold` holds them once.
    #[serde(default)]
    pub given: bool,
}
