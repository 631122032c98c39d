//! The durability model checked against history: each case is a scenario written as of an
//! agreement's signing, with the dates on which it is known to have been in force or not; the
//! model's survival probability on each date is scored (Brier score, calibration) next to two
//! naive forecasts (always 50%, and the share of dates on which agreements were in force).
//!
//! Brier score: B = (1/N) sum_n (p_n - o_n)^2 over every dated check n, p_n the predicted
//! P(in force), o_n 1 if it was in force and 0 if not (Brier 1950, "Verification of forecasts
//! expressed in terms of probability", Monthly Weather Review 78(1)).

use serde::Serialize;

use crate::durability::{default_forms, simulate, DurabilityError, DurabilityParams};
use crate::scenario::Scenario;

/// Days in a year, as the durability analysis counts them.
const DAYS_PER_YEAR: f64 = 365.25;

/// Number of calibration bins over 0..=1.
const CALIBRATION_BINS: usize = 5;

/// One case of the backtest: a scenario with an `[agreement]` block.
#[derive(Debug, Clone, Copy)]
pub struct BacktestCase<'a> {
    /// Its name (the built-in's name or the file's).
    pub name: &'a str,
    /// The scenario.
    pub scenario: &'a Scenario,
}

/// How the backtest's simulations run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BacktestParams {
    /// Histories per case.
    pub runs: usize,
    /// Seed of every case's random streams.
    pub seed: u64,
}

/// Why the backtest cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BacktestError {
    /// No case was given.
    #[error("the backtest needs at least one case")]
    NoCases,
    /// A scenario without an `[agreement]` block.
    #[error(
        "case `{case}` has no `[agreement]` block saying what was signed and when it was in force"
    )]
    NoAgreement {
        /// The case's name.
        case: String,
    },
    /// The durability analysis refused the case.
    #[error("case `{case}`: {source}")]
    Durability {
        /// The case's name.
        case: String,
        /// Why.
        source: DurabilityError,
    },
}

/// One dated check: what the model said and what happened.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BacktestCheck {
    /// The case's name.
    pub case: String,
    /// The date, YYYY-MM-DD.
    pub date: String,
    /// Years from signing.
    pub years: f64,
    /// The model's P(in force on that date).
    pub predicted: f64,
    /// Whether it was.
    pub in_force: bool,
    /// What happened, from the case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One case's score.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CaseScore {
    /// The case's name.
    pub case: String,
    /// The scenario's title.
    pub title: Option<String>,
    /// The signing date, YYYY-MM-DD.
    pub signed: String,
    /// The agreement form simulated.
    pub form: String,
    /// Dated checks of this case.
    pub checks: usize,
    /// Its Brier score.
    pub brier: f64,
}

/// A naive forecast's score on the same checks.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Baseline {
    /// What it forecasts.
    pub name: String,
    /// The probability it gives every check.
    pub predicted: f64,
    /// Its Brier score.
    pub brier: f64,
}

/// The checks whose predicted probability falls in one bin.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CalibrationBin {
    /// Lower end (included).
    pub from: f64,
    /// Upper end (included for the last bin only).
    pub to: f64,
    /// Checks in the bin.
    pub checks: usize,
    /// Their mean predicted probability (`None` when empty).
    pub mean_predicted: Option<f64>,
    /// The share of them in force (`None` when empty).
    pub observed: Option<f64>,
}

/// The backtest's result.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Backtest {
    /// Per case.
    pub cases: Vec<CaseScore>,
    /// Every dated check, case by case.
    pub checks: Vec<BacktestCheck>,
    /// The model's Brier score over every check.
    pub brier: f64,
    /// Always 50%, and the base rate (the share of checks in force, computed on these same
    /// checks, so it is a hindsight baseline that flatters itself).
    pub baselines: Vec<Baseline>,
    /// The model's calibration, in bins of predicted probability.
    pub calibration: Vec<CalibrationBin>,
    /// Histories per case.
    pub runs: usize,
    /// Seed.
    pub seed: u64,
}

/// Mean squared difference between `predicted` and the outcomes.
fn brier(pairs: impl Iterator<Item = (f64, bool)>) -> f64 {
    let (sum, n) = pairs.fold((0.0, 0usize), |(sum, n), (p, o)| {
        let d = p - f64::from(u8::from(o));
        (sum + d * d, n + 1)
    });
    sum / n as f64
}

/// Scores the durability model on `cases`.
pub fn backtest(
    cases: &[BacktestCase<'_>],
    params: &BacktestParams,
) -> Result<Backtest, BacktestError> {
    if cases.is_empty() {
        return Err(BacktestError::NoCases);
    }
    let mut scores = Vec::new();
    let mut checks = Vec::new();
    for case in cases {
        let scenario = case.scenario;
        let refuse = |source| BacktestError::Durability {
            case: case.name.to_owned(),
            source,
        };
        let agreement = scenario
            .agreement()
            .ok_or_else(|| BacktestError::NoAgreement {
                case: case.name.to_owned(),
            })?;
        let issues = scenario.issues();
        if let Some(issue) = issues.iter().find(|i| i.status_quo.is_none()) {
            return Err(refuse(DurabilityError::NoStatusQuo {
                issue: issue.id.clone(),
            }));
        }
        let mut package: Vec<f64> = issues
            .iter()
            .map(|i| i.status_quo.expect("checked above"))
            .collect();
        for &(k, value) in &agreement.package {
            package[k] = value;
        }
        // Validation checked that the form exists.
        let form = scenario
            .forms()
            .iter()
            .cloned()
            .chain(if scenario.forms().is_empty() {
                default_forms()
            } else {
                Vec::new()
            })
            .find(|f| f.id == agreement.form)
            .expect("a validated agreement names a defined form");
        let years_of =
            |date: chrono::NaiveDate| (date - agreement.signed).num_days() as f64 / DAYS_PER_YEAR;
        let horizon = agreement
            .fate
            .iter()
            .map(|c| years_of(c.date))
            .fold(0.0, f64::max);
        let durability = DurabilityParams {
            years: horizon,
            runs: params.runs,
            seed: params.seed,
            step: horizon,
            start: agreement.signed,
        };
        let simulation = simulate(scenario, &package, &form, &durability).map_err(refuse)?;
        let mut ends: Vec<f64> = simulation
            .outcomes
            .iter()
            .flatten()
            .map(|e| e.years)
            .collect();
        ends.sort_by(f64::total_cmp);
        let first = checks.len();
        for check in &agreement.fate {
            let t = years_of(check.date);
            let ended = ends.partition_point(|&e| e <= t);
            checks.push(BacktestCheck {
                case: case.name.to_owned(),
                date: check.date.format("%Y-%m-%d").to_string(),
                years: t,
                predicted: 1.0 - ended as f64 / params.runs as f64,
                in_force: check.in_force,
                note: check.note.clone(),
            });
        }
        scores.push(CaseScore {
            case: case.name.to_owned(),
            title: scenario.meta().title.clone(),
            signed: agreement.signed.format("%Y-%m-%d").to_string(),
            form: form.id.clone(),
            checks: checks.len() - first,
            brier: brier(checks[first..].iter().map(|c| (c.predicted, c.in_force))),
        });
    }
    let outcomes = || checks.iter().map(|c| c.in_force);
    let base_rate = outcomes().filter(|&o| o).count() as f64 / checks.len() as f64;
    let baselines = [("always 50%", 0.5), ("base rate", base_rate)]
        .into_iter()
        .map(|(name, p)| Baseline {
            name: name.into(),
            predicted: p,
            brier: brier(outcomes().map(|o| (p, o))),
        })
        .collect();
    let calibration = (0..CALIBRATION_BINS)
        .map(|b| {
            let from = b as f64 / CALIBRATION_BINS as f64;
            let to = (b + 1) as f64 / CALIBRATION_BINS as f64;
            let last = b + 1 == CALIBRATION_BINS;
            let inside: Vec<&BacktestCheck> = checks
                .iter()
                .filter(|c| c.predicted >= from && (c.predicted < to || last))
                .collect();
            let n = inside.len();
            let mean = |f: &dyn Fn(&BacktestCheck) -> f64| {
                (n > 0).then(|| inside.iter().map(|c| f(c)).sum::<f64>() / n as f64)
            };
            CalibrationBin {
                from,
                to,
                checks: n,
                mean_predicted: mean(&|c| c.predicted),
                observed: mean(&|c| f64::from(u8::from(c.in_force))),
            }
        })
        .collect();
    Ok(Backtest {
        brier: brier(checks.iter().map(|c| (c.predicted, c.in_force))),
        cases: scores,
        checks,
        baselines,
        calibration,
        runs: params.runs,
        seed: params.seed,
    })
}
