//! A sweep's spreads gathered draw by draw, so that a sweep of any length needs bounded memory:
//! every draw's forecasts are kept (for exact quantiles) only while they fit a fixed budget, and
//! beyond it each spread's quantiles come from a fine histogram over the issue's scale.
//!
//! Per model and issue the summariser keeps the count, the sums of d = v - v_0 and d^2 (v_0 the
//! first value, so that equal values give sd 0 exactly), the coarse [`BINS`] histogram, the
//! extremes, and either every value (while the sweep keeps at most [`EXACT_VALUES`] in all) or
//! [`FINE_BINS`] counts over the scale. With every value kept, the spread is exactly the one of
//! [`super::summarise`] on all draws. From the fine counts, the order statistic of rank k is
//! placed at its share of the bin it falls in (values spread evenly within a bin), clamped to the
//! extremes: it is off by at most one fine bin, `range / FINE_BINS`, which the spread states as
//! its `quantile_resolution`. Mean and sd from the running sums differ from the two-pass ones
//! only by rounding.
//!
//! Draws must be added in run order for the result to be the same whatever the chunking; the
//! API adds stored and new chunks in chunk order.

use super::{spread, Spread, SweepResult, UncertainInput, BINS, MIN_DRAWS, QUANTILES};
use crate::scenario::{Scale, Scenario};

/// The most forecasts (draws x models x issues) a sweep keeps for exact quantiles: 80 MB.
pub const EXACT_VALUES: usize = 10_000_000;

/// Bins of the fine histogram a spread switches to when its values no longer fit: quantiles
/// are then within `range / FINE_BINS` of the exact ones (4 bytes a bin, 16 KB a spread).
pub const FINE_BINS: usize = 4096;

/// The running spread of one model on one issue.
#[derive(Debug, Clone)]
struct Cell {
    n: usize,
    first: f64,
    sum: f64,
    sum_sq: f64,
    min: f64,
    max: f64,
    histogram: Vec<usize>,
    values: Option<Vec<f64>>,
    fine: Vec<u32>,
}

impl Cell {
    fn new() -> Self {
        Self {
            n: 0,
            first: 0.0,
            sum: 0.0,
            sum_sq: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            histogram: vec![0; BINS],
            values: Some(Vec::new()),
            fine: Vec::new(),
        }
    }

    fn bin(scale: Scale, v: f64, bins: usize) -> usize {
        let bin = ((v - scale.min) / scale.range() * bins as f64).floor();
        // NaN and negative bins (rounding below the minimum) go to bin 0.
        if bin >= 0.0 {
            (bin as usize).min(bins - 1)
        } else {
            0
        }
    }

    fn add(&mut self, scale: Scale, v: f64, cap: usize) {
        if self.n == 0 {
            self.first = v;
        }
        self.n += 1;
        let d = v - self.first;
        self.sum += d;
        self.sum_sq += d * d;
        self.min = self.min.min(v);
        self.max = self.max.max(v);
        self.histogram[Self::bin(scale, v, BINS)] += 1;
        match &mut self.values {
            Some(values) if values.len() < cap => values.push(v),
            Some(values) => {
                // Past the budget: the values kept so far go into the fine histogram.
                self.fine = vec![0; FINE_BINS];
                for &kept in values.iter() {
                    self.fine[Self::bin(scale, kept, FINE_BINS)] += 1;
                }
                self.fine[Self::bin(scale, v, FINE_BINS)] += 1;
                self.values = None;
            }
            None => self.fine[Self::bin(scale, v, FINE_BINS)] += 1,
        }
    }

    /// The value of rank `k` (0-based) from the fine histogram.
    fn ranked(&self, scale: Scale, k: usize) -> f64 {
        let width = scale.range() / FINE_BINS as f64;
        let mut below = 0usize;
        for (b, &count) in self.fine.iter().enumerate() {
            let count = count as usize;
            if k < below + count {
                let share = (k - below) as f64 + 0.5;
                let v = scale.min + width * (b as f64 + share / count as f64);
                return v.clamp(self.min, self.max);
            }
            below += count;
        }
        self.max
    }

    fn spread(self, scenario: &Scenario, issue: usize, runs: usize) -> Spread {
        if let Some(values) = self.values {
            return spread(scenario, issue, runs, values);
        }
        let too_few = self.n < MIN_DRAWS;
        let scale = scenario.issues()[issue].scale;
        let n = self.n as f64;
        let mean_d = self.sum / n;
        let var = (self.sum_sq / n - mean_d * mean_d).max(0.0);
        let quantiles = QUANTILES.map(|q| {
            let h = q * (self.n - 1) as f64;
            let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
            let (a, b) = (self.ranked(scale, lo), self.ranked(scale, hi));
            a + (h - lo as f64) * (b - a)
        });
        Spread {
            issue: scenario.issues()[issue].id.clone(),
            runs,
            runs_with_value: self.n,
            too_few,
            mean: Some(self.first + mean_d),
            sd: (!too_few).then(|| var.sqrt()),
            quantiles: (!too_few).then_some(quantiles),
            quantile_resolution: (!too_few).then(|| scale.range() / FINE_BINS as f64),
            histogram: self.histogram,
        }
    }
}

/// The spreads of a sweep, fed with its draws in run order.
#[derive(Debug, Clone)]
pub struct Summariser {
    scales: Vec<Scale>,
    models: Vec<String>,
    /// `cells[model * issues + issue]`.
    cells: Vec<Cell>,
    draws: usize,
    cap: usize,
}

impl Summariser {
    /// A summariser of the forecasts of `model_ids` on the issues of `scenario`, keeping up to
    /// [`EXACT_VALUES`] of them for exact quantiles.
    pub fn new(scenario: &Scenario, model_ids: &[&str]) -> Self {
        Self::with_budget(scenario, model_ids, EXACT_VALUES)
    }

    /// The same with a budget of `exact` values kept (shared evenly by the models and issues).
    pub fn with_budget(scenario: &Scenario, model_ids: &[&str], exact: usize) -> Self {
        let scales: Vec<Scale> = scenario.issues().iter().map(|i| i.scale).collect();
        let count = scales.len() * model_ids.len();
        Self {
            cells: vec![Cell::new(); count],
            cap: exact / count.max(1),
            scales,
            models: model_ids.iter().map(|m| (*m).to_owned()).collect(),
            draws: 0,
        }
    }

    /// Draws added so far.
    pub fn draws(&self) -> usize {
        self.draws
    }

    /// Adds draws (`outcomes[draw][model][issue]`, NaN for no value), the next in run order.
    pub fn add(&mut self, outcomes: &[Vec<Vec<f64>>]) {
        let issues = self.scales.len();
        for draw in outcomes {
            for (m, values) in draw.iter().enumerate().take(self.models.len()) {
                for (i, &v) in values.iter().enumerate().take(issues) {
                    if !v.is_nan() {
                        self.cells[m * issues + i].add(self.scales[i], v, self.cap);
                    }
                }
            }
        }
        self.draws += outcomes.len();
    }

    /// The sweep's result.
    pub fn finish(self, scenario: &Scenario, inputs: &[UncertainInput], seed: u64) -> SweepResult {
        let (issues, draws) = (self.scales.len(), self.draws);
        let mut cells = self.cells.into_iter();
        let models = self
            .models
            .into_iter()
            .map(|model| super::ModelSpread {
                model,
                issues: (0..issues)
                    .map(|i| {
                        cells
                            .next()
                            .expect("a cell per model and issue")
                            .spread(scenario, i, draws)
                    })
                    .collect(),
            })
            .collect();
        SweepResult {
            runs: draws,
            seed,
            inputs: inputs.iter().map(|i| i.label.clone()).collect(),
            models,
        }
    }
}
