//! Fitted parameters as data: the fitted forecasters trained on every case of a data set
//! (`statecraft fit`), their 80% intervals from the training residuals, and their use on data
//! or scenarios they were not fitted on (`validate --params`, `forecast --params`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::fit::{Ensemble, FitItem, Fitter, Institutions, Role, SaliencePower, StatusQuoPull};
use super::metrics::quantile;
use super::{CapabilityScheme, COMMISSION, PARLIAMENT};
use crate::models::{Compromise, IssueForecast, Model, WeightedMedian};
use crate::scenario::Scenario;

/// The schema name of a parameter file.
pub const PARAMS_SCHEMA: &str = "statecraft-params/1";

/// The ids of the fitted forecasters, in report order.
pub const FITTER_IDS: [&str; 4] = ["sq-pull", "salience-power", "ensemble", "institutions"];

/// Every fitted forecaster's parameters, fitted on all cases of one data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FittedParameters {
    /// `statecraft-params/1`.
    pub schema: String,
    /// The data it was fitted on, as named on the command line.
    pub data: String,
    /// The capability scheme the cases were given before fitting.
    pub capabilities: CapabilityScheme,
    /// Cases (proposals) fitted on.
    pub cases: usize,
    /// Issues with a known outcome fitted on.
    pub issues: usize,
    /// One entry per fitted forecaster.
    pub forecasters: Vec<FittedForecaster>,
}

/// One fitted forecaster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FittedForecaster {
    /// Its id (`sq-pull`, `salience-power`, `ensemble`, `institutions`).
    pub id: String,
    /// Its parameters by name.
    pub parameters: BTreeMap<String, f64>,
    /// The 10% quantile of the training residuals (outcome - forecast, points of 0..100).
    pub residual_q10: f64,
    /// The 90% quantile of the training residuals: with `residual_q10`, the 80% interval.
    pub residual_q90: f64,
    /// Its mean absolute error on the data it was fitted on (in sample).
    pub training_mae: f64,
    /// Issues it answered there.
    pub training_issues: usize,
}

/// A problem with parameters read from a file: which forecaster (index) and field, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamsProblem {
    /// Index into `forecasters`, when the problem is in one.
    pub forecaster: Option<usize>,
    /// The field (`schema`, `residual_q10`, `parameters.pull`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// The fitter of an id; `compromise` and `median` are the columns of those models in the items.
pub fn fitter_of(id: &str, compromise: usize, median: Option<usize>) -> Option<Box<dyn Fitter>> {
    match id {
        "sq-pull" => Some(Box::new(StatusQuoPull { compromise })),
        "salience-power" => Some(Box::new(SaliencePower)),
        "ensemble" => median.map(|median| Box::new(Ensemble { compromise, median }) as _),
        "institutions" => Some(Box::new(Institutions)),
        _ => None,
    }
}

impl FittedForecaster {
    /// The parameter vector in the fitter's order (`None` when a name is missing).
    pub fn vector(&self, fitter: &dyn Fitter) -> Option<Vec<f64>> {
        fitter
            .parameter_names()
            .iter()
            .map(|n| self.parameters.get(*n).copied())
            .collect()
    }

    /// The 80% interval around a forecast in points, clamped to 0..100.
    pub fn interval(&self, prediction: f64) -> (f64, f64) {
        (
            (prediction + self.residual_q10).clamp(0.0, 100.0),
            (prediction + self.residual_q90).clamp(0.0, 100.0),
        )
    }
}

impl FittedParameters {
    /// Checks what serde cannot: the schema, known ids, every parameter named, finite values.
    pub fn check(&self) -> Result<(), ParamsProblem> {
        let top = |field: &str, message: String| ParamsProblem {
            forecaster: None,
            field: field.into(),
            message,
        };
        if self.schema != PARAMS_SCHEMA {
            return Err(top(
                "schema",
                format!("schema `{}` is not `{PARAMS_SCHEMA}`", self.schema),
            ));
        }
        for (k, f) in self.forecasters.iter().enumerate() {
            let at = |field: &str, message: String| ParamsProblem {
                forecaster: Some(k),
                field: field.into(),
                message,
            };
            let Some(fitter) = fitter_of(&f.id, 0, Some(1)) else {
                return Err(at(
                    "id",
                    format!(
                        "unknown forecaster `{}`; the fitted forecasters are {}",
                        f.id,
                        FITTER_IDS.join(", ")
                    ),
                ));
            };
            let names = fitter.parameter_names();
            for (name, value) in &f.parameters {
                if !names.contains(&name.as_str()) {
                    return Err(at(
                        &format!("parameters.{name}"),
                        format!(
                            "`{}` has no parameter `{name}`; its parameters are {}",
                            f.id,
                            names.join(", ")
                        ),
                    ));
                }
                if !value.is_finite() || *value < 0.0 {
                    return Err(at(
                        &format!("parameters.{name}"),
                        format!("{name} = {value} is not a finite number >= 0"),
                    ));
                }
            }
            for name in &names {
                if !f.parameters.contains_key(*name) {
                    return Err(at(
                        "parameters",
                        format!("`{}` needs the parameter `{name}`", f.id),
                    ));
                }
            }
            for (field, value) in [
                ("residual_q10", f.residual_q10),
                ("residual_q90", f.residual_q90),
            ] {
                if !value.is_finite() || value.abs() > 100.0 {
                    return Err(at(
                        field,
                        format!("{field} = {value} is not a number from -100 to 100"),
                    ));
                }
            }
            if f.residual_q10 > f.residual_q90 {
                return Err(at(
                    "residual_q90",
                    format!(
                        "residual_q90 ({}) is below residual_q10 ({})",
                        f.residual_q90, f.residual_q10
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Fits every fitter on all `items` (no fold held out) and summarises the residuals.
pub(crate) fn fit_all(fitters: &[Box<dyn Fitter>], items: &[FitItem]) -> Vec<FittedForecaster> {
    let all: Vec<usize> = (0..items.len()).collect();
    fitters
        .iter()
        .map(|fitter| {
            let params = fitter.fit(items, &all);
            let mut residuals: Vec<f64> = items
                .iter()
                .filter_map(|item| fitter.predict(&params, item).map(|p| item.outcome - p))
                .collect();
            residuals.sort_by(f64::total_cmp);
            let n = residuals.len();
            let mae = residuals.iter().map(|r| r.abs()).sum::<f64>() / n.max(1) as f64;
            FittedForecaster {
                id: fitter.id().into(),
                parameters: fitter
                    .parameter_names()
                    .into_iter()
                    .map(str::to_owned)
                    .zip(params)
                    .collect(),
                residual_q10: if n > 0 {
                    quantile(&residuals, 0.1)
                } else {
                    0.0
                },
                residual_q90: if n > 0 {
                    quantile(&residuals, 0.9)
                } else {
                    0.0
                },
                training_mae: mae,
                training_issues: n,
            }
        })
        .collect()
}

/// One fitted forecaster's forecast of a scenario: value and 80% interval on each issue's scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FittedForecast {
    /// The forecaster's id.
    pub model: String,
    /// One entry per issue, in order.
    pub issues: Vec<FittedIssueForecast>,
}

/// A fitted forecaster on one issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FittedIssueForecast {
    /// The issue's id.
    pub issue: String,
    /// The forecast on the issue's scale (`None`: no answer).
    pub value: Option<f64>,
    /// The 80% interval's low end on the issue's scale.
    pub low: Option<f64>,
    /// The 80% interval's high end.
    pub high: Option<f64>,
}

/// The generic fitted forecasters of `params` on `scenario`, from its compromise and median
/// forecasts (on its own capabilities). `institutions` is used only when the scenario has the
/// actors `com` or `ep`, with the shares of `procedure` (`COD`; anything else: consultation).
pub fn forecast_fitted(
    params: &FittedParameters,
    scenario: &Scenario,
    compromise: &[Option<f64>],
    median: &[Option<f64>],
    procedure: Option<&str>,
) -> Vec<FittedForecast> {
    let institutions = scenario
        .actors()
        .iter()
        .any(|a| a.id == COMMISSION || a.id == PARLIAMENT);
    let codecision = procedure == Some("COD");
    let mut out = Vec::new();
    for f in &params.forecasters {
        if f.id == "institutions" && !institutions {
            continue;
        }
        let Some(fitter) = fitter_of(&f.id, 0, Some(1)) else {
            continue;
        };
        let Some(vector) = f.vector(fitter.as_ref()) else {
            continue;
        };
        let issues = scenario
            .issues()
            .iter()
            .enumerate()
            .map(|(i, issue)| {
                let to_points = |x: f64| (x - issue.scale.min) / issue.scale.range() * 100.0;
                let from_points = |p: f64| issue.scale.min + p / 100.0 * issue.scale.range();
                let item = scenario_item(
                    scenario,
                    i,
                    vec![
                        compromise.get(i).copied().flatten().map(to_points),
                        median.get(i).copied().flatten().map(to_points),
                    ],
                    codecision,
                );
                let value = fitter.predict(&vector, &item);
                let band = value.map(|p| f.interval(p));
                FittedIssueForecast {
                    issue: issue.id.clone(),
                    value: value.map(from_points),
                    low: band.map(|b| from_points(b.0)),
                    high: band.map(|b| from_points(b.1)),
                }
            })
            .collect();
        out.push(FittedForecast {
            model: f.id.clone(),
            issues,
        });
    }
    out
}

/// One fitted forecaster of a parameter file as a [`Model`], so that every analysis that runs
/// models (sweeps, reports) can run it: on each issue it computes the scenario's compromise and
/// weighted median, on the scenario's own capabilities, and applies the file's parameters. Under
/// `institutions` it uses the consultation shares, since a scenario names no procedure.
pub struct FittedModel {
    fitter: Box<dyn Fitter>,
    vector: Vec<f64>,
}

impl FittedModel {
    /// The file's fitted forecasters that apply to `scenario` (`institutions` only when it has
    /// the actors `com` or `ep`), in the file's order.
    pub fn all(params: &FittedParameters, scenario: &Scenario) -> Vec<FittedModel> {
        let institutions = scenario
            .actors()
            .iter()
            .any(|a| a.id == COMMISSION || a.id == PARLIAMENT);
        params
            .forecasters
            .iter()
            .filter(|f| f.id != "institutions" || institutions)
            .filter_map(|f| {
                let fitter = fitter_of(&f.id, 0, Some(1))?;
                let vector = f.vector(fitter.as_ref())?;
                Some(FittedModel { fitter, vector })
            })
            .collect()
    }
}

impl Model for FittedModel {
    fn id(&self) -> &'static str {
        self.fitter.id()
    }

    fn label(&self) -> &'static str {
        self.fitter.label()
    }

    fn assumption(&self) -> String {
        format!(
            "applies parameters fitted on past cases ({}) to the compromise and weighted median",
            self.fitter.label()
        )
    }

    fn forecast_issue(&self, scenario: &Scenario, issue: usize) -> IssueForecast {
        let scale = scenario.issues()[issue].scale;
        let to_points = |x: f64| (x - scale.min) / scale.range() * 100.0;
        let base = vec![
            Compromise
                .forecast_issue(scenario, issue)
                .value
                .map(to_points),
            WeightedMedian
                .forecast_issue(scenario, issue)
                .value
                .map(to_points),
        ];
        let item = scenario_item(scenario, issue, base, false);
        let value = self
            .fitter
            .predict(&self.vector, &item)
            .map(|p| scale.min + p / 100.0 * scale.range());
        IssueForecast {
            issue: scenario.issues()[issue].id.clone(),
            value,
            note: value
                .is_none()
                .then(|| "the fitted forecaster has no answer: its base models give none".into()),
            red_lines: Vec::new(),
        }
    }
}

/// The fits' view of one issue of a scenario with no outcome (0 stands in; it is not read).
pub(crate) fn scenario_item(
    scenario: &Scenario,
    issue: usize,
    base: Vec<Option<f64>>,
    codecision: bool,
) -> FitItem {
    let scale = scenario.issues()[issue].scale;
    let to_points = |x: f64| (x - scale.min) / scale.range() * 100.0;
    let role = |id: &str| match id {
        COMMISSION => Role::Commission,
        PARLIAMENT => Role::Parliament,
        _ => Role::Member,
    };
    let members: f64 = scenario
        .actors()
        .iter()
        .filter(|a| role(&a.id) == Role::Member)
        .map(|a| a.capability)
        .sum();
    FitItem {
        case: 0,
        outcome: 0.0,
        base,
        status_quo: scenario.issues()[issue].status_quo.map(to_points),
        codecision,
        stances: scenario
            .positioned(issue)
            .map(|(_, actor, stance)| {
                (
                    role(&actor.id),
                    to_points(stance.position),
                    stance.salience,
                    actor.capability,
                )
            })
            .collect(),
        member_total: if members > 0.0 { members } else { 1.0 },
    }
}
