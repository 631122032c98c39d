//! Forecasting models behind one interface, so that the CLI, reports and sweeps treat them alike.
//!
//! Each model answers, per issue, where the negotiation lands. The baseline models here are
//! one-dimensional and static; see `docs/models/` for their equations and sources.

pub mod bdm;
mod compromise;
pub mod disagreement;
mod median;
mod nash;
pub mod smp;

pub use bdm::ExpectedUtility;
pub use compromise::Compromise;
pub use median::WeightedMedian;
pub use nash::NashBargaining;
pub use smp::SpatialModel;

use serde::Serialize;

use crate::scenario::Scenario;

/// One model's answer on one issue.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct IssueForecast {
    /// The issue's id.
    pub issue: String,
    /// Where it lands, on the issue's scale; `None` when the model has no answer.
    pub value: Option<f64>,
    /// Why there is no answer, or what is special about this one (a tie, say).
    pub note: Option<String>,
    /// The actors' red lines that the value falls inside (set by the analysis API and reports,
    /// not by the models: see [`crate::red_lines`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub red_lines: Vec<crate::red_lines::RedLineFlag>,
}

impl IssueForecast {
    pub(crate) fn point(issue: &str, value: f64) -> Self {
        Self {
            issue: issue.to_owned(),
            value: Some(value),
            note: None,
            red_lines: Vec::new(),
        }
    }

    fn none(issue: &str, note: String) -> Self {
        Self {
            issue: issue.to_owned(),
            value: None,
            note: Some(note),
            red_lines: Vec::new(),
        }
    }
}

/// One model's answers on every issue of a scenario, in the scenario's issue order.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Forecast {
    /// The model's id, as on the command line.
    pub model: String,
    /// One entry per issue.
    pub issues: Vec<IssueForecast>,
}

/// A forecasting model: given a scenario, where does each issue land?
pub trait Model: Send + Sync {
    /// Short id used on the command line and in outputs (`compromise`).
    fn id(&self) -> &'static str;

    /// Readable name (`Compromise (weighted mean)`).
    fn label(&self) -> &'static str;

    /// What the model assumes about how the negotiation ends, as a phrase that follows the
    /// model's id (`compromise takes ...`): shown when models disagree, to say what drives the
    /// difference.
    fn assumption(&self) -> String;

    /// The forecast on one issue, by index.
    fn forecast_issue(&self, scenario: &Scenario, issue: usize) -> IssueForecast;

    /// The forecast on every issue.
    fn forecast(&self, scenario: &Scenario) -> Forecast {
        Forecast {
            model: self.id().to_owned(),
            issues: (0..scenario.issues().len())
                .map(|i| self.forecast_issue(scenario, i))
                .collect(),
        }
    }
}

/// The baseline models, in the order the CLI shows them.
pub fn baseline_models() -> Vec<Box<dyn Model>> {
    vec![
        Box::new(Compromise),
        Box::new(WeightedMedian),
        Box::new(NashBargaining),
    ]
}

/// Every model, in the order the CLI shows them: the baselines, then the expected-utility model
/// with `bdm` parameters.
pub fn all_models(bdm: bdm::BdmParams) -> Vec<Box<dyn Model>> {
    let mut models = baseline_models();
    models.push(Box::new(ExpectedUtility { params: bdm }));
    models
}

/// A positioned actor's place and weight on one issue.
#[derive(Debug, Clone, Copy)]
struct Weighted {
    actor: usize,
    position: f64,
    /// capability x salience.
    weight: f64,
}

/// The positioned actors on `issue` with weight capability x salience, in actor order.
fn weighted(scenario: &Scenario, issue: usize) -> Vec<Weighted> {
    scenario
        .positioned(issue)
        .map(|(actor, a, stance)| Weighted {
            actor,
            position: stance.position,
            weight: a.capability * stance.salience,
        })
        .collect()
}

/// The note given when every positioned actor has salience 0 on the issue.
fn no_weight(scenario: &Scenario, issue: usize) -> IssueForecast {
    let id = &scenario.issues()[issue].id;
    IssueForecast::none(
        id,
        "every actor gives this issue salience 0, so there is nothing to weigh".into(),
    )
}

#[cfg(test)]
pub(crate) mod test_support;
