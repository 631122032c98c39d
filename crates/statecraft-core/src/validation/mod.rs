//! Scoring forecasts against decisions whose outcome is known: every model, and forecasters
//! fitted out of sample, on a set of past cases, with seeded bootstrap intervals.
//!
//! [`validate`] is the one entry point: it takes the cases and [`ValidationOptions`] and
//! returns a [`ValidationReport`] that serialises to JSON, so that the command line and any
//! later API give the same numbers. Errors are in points of a 0..100 scale (each issue's
//! scale mapped to 0..100, which is the DEU data's own scale). Bootstrap replicate `r`
//! resamples the cases (proposals) with replacement from ChaCha8 stream `r` of the seed, so a
//! seed gives the same report on any number of threads.

mod council;
mod fit;
mod metrics;
mod params;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use council::{
    CapabilityScheme, InstitutionWeights, TreatyPeriod, COMMISSION, NICE, PARLIAMENT, POPULATION,
    PRE_NICE,
};
pub use fit::{
    cross_validate, folds, CrossValidated, Ensemble, FitItem, FitSummary, Fitter, Fixed,
    Institutions, Role, SaliencePower, StatusQuoPull,
};
pub use metrics::{Coverage, Estimate, Metrics, PairedDifference};
pub use params::{
    fitter_of, forecast_fitted, FittedForecast, FittedForecaster, FittedIssueForecast, FittedModel,
    FittedParameters, ParamsProblem, FITTER_IDS, PARAMS_SCHEMA,
};

use crate::models::bdm::{BdmParams, Variant};
use crate::models::{all_models, Model, SpatialModel};
use crate::scenario::Scenario;

/// A past negotiation with known outcomes: one scenario (a DEU proposal) and its issues'
/// outcomes.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The case's id (the DEU proposal number).
    pub id: String,
    /// The scenario, capabilities as read.
    pub scenario: Scenario,
    /// The outcome of each issue of the scenario, in issue order (`None`: not known).
    pub outcomes: Vec<Option<f64>>,
    /// The legislative procedure (`COD`, `CNS`), when known.
    pub procedure: Option<String>,
    /// When the proposal was introduced.
    pub introduced: Option<NaiveDate>,
    /// When the final act was adopted.
    pub decided: Option<NaiveDate>,
}

impl Case {
    /// The date that decides the treaty period: the decision, else the introduction.
    pub fn date(&self) -> Option<NaiveDate> {
        self.decided.or(self.introduced)
    }
}

/// What to validate and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ValidationOptions {
    /// How capabilities are set before the models run.
    pub capabilities: CapabilityScheme,
    /// Seed of the bootstrap and of the folds.
    pub seed: u64,
    /// Bootstrap replicates (at least 1).
    pub bootstrap: usize,
    /// Cross-validation folds (at least 2, at most the number of cases).
    pub folds: usize,
    /// Models to score, by id; empty: every model.
    pub models: Vec<String>,
    /// Fixed parameters (a parameter file): the fitted forecasters are scored with these, not
    /// refitted, so that data they were not fitted on give out-of-sample figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<FittedParameters>,
}

impl ValidationOptions {
    /// Given capabilities, seed 1, 1000 replicates, 10 folds, every model.
    pub fn standard() -> Self {
        Self {
            capabilities: CapabilityScheme::Given,
            seed: 1,
            bootstrap: 1000,
            folds: 10,
            models: Vec::new(),
            params: None,
        }
    }
}

/// Why validation cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// No case has an issue with a known outcome.
    #[error("validate: no issue has a known outcome")]
    NoOutcomes,
    /// A case's outcomes do not match its issues.
    #[error("validate: case `{case}` has {outcomes} outcomes for {issues} issues")]
    OutcomeShape {
        /// The case.
        case: String,
        /// Outcomes given.
        outcomes: usize,
        /// Issues of its scenario.
        issues: usize,
    },
    /// An option is out of range.
    #[error("validate: {0}")]
    InvalidOption(String),
    /// A model id is not known.
    #[error("validate: unknown model `{name}`; the models are {known}")]
    UnknownModel {
        /// The id given.
        name: String,
        /// The ids allowed.
        known: String,
    },
}

/// How many issues a forecaster left without an answer for one reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReasonCount {
    /// The reason (the model's note, with names and numbers taken out).
    pub reason: String,
    /// Issues with an outcome that it left unanswered for this reason.
    pub issues: usize,
}

/// MAE within one group of cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GroupScore {
    /// The group (a procedure, a treaty period).
    pub group: String,
    /// Issues with an outcome in the group that the forecaster answered.
    pub issues: usize,
    /// Mean absolute error there (`None` when it answered none).
    pub mae: Option<f64>,
}

/// One forecaster's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ModelScore {
    /// Id (`compromise`, `sq-pull`).
    pub model: String,
    /// Readable name.
    pub label: String,
    /// For a fitted forecaster: its parameters per fold and the leak check. Every figure of a
    /// fitted forecaster is out of sample (cross-validated).
    pub fit: Option<FitSummary>,
    /// Issues with an outcome that it answered.
    pub forecasts: usize,
    /// Issues with an outcome that it did not answer.
    pub missing: usize,
    /// Why, by reason, most frequent first.
    pub missing_reasons: Vec<ReasonCount>,
    /// Accuracy on the issues it answered.
    pub metrics: Option<Metrics>,
    /// Its MAE minus the compromise model's, on the issues both answered.
    pub versus_compromise: Option<PairedDifference>,
    /// The cross-validated 80% interval (training residuals' 10% and 90% quantiles) and how
    /// often it held the outcome.
    pub interval_80: Option<Coverage>,
    /// MAE by legislative procedure.
    pub by_procedure: Vec<GroupScore>,
    /// MAE by treaty period (Council voting rule).
    pub by_period: Vec<GroupScore>,
}

/// Every forecaster's record on the cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ValidationReport {
    /// `statecraft-validation/1`.
    pub schema: String,
    /// The options it ran with.
    pub options: ValidationOptions,
    /// Cases (proposals).
    pub cases: usize,
    /// Issues in all.
    pub issues: usize,
    /// Issues with a known outcome: the ones scored.
    pub issues_with_outcome: usize,
    /// The plain models, then the fitted forecasters.
    pub models: Vec<ModelScore>,
    /// Whether a fitted forecaster beats the compromise model out of sample (the paired
    /// interval of the MAE difference below zero), in words.
    pub verdict: String,
    /// How the data were read and what was assumed.
    pub notes: Vec<String>,
}

/// The model ids, in report order.
pub const MODEL_IDS: [&str; 5] = ["compromise", "median", "nash", "bdm", "smp"];

fn models() -> Vec<Box<dyn Model>> {
    let mut models = all_models(BdmParams::forecast(Variant::ScholzReference));
    models.push(Box::new(SpatialModel::default()));
    models
}

/// A note without the names and numbers in it, so that the same reason counts once: quoted
/// names become `...`, numbers `#`.
fn reason_of(note: &str) -> String {
    let mut out = String::new();
    let mut in_name = false;
    let mut last_number = false;
    for c in note.chars() {
        if c == '`' {
            if !in_name {
                out.push_str("`...`");
            }
            in_name = !in_name;
            continue;
        }
        if in_name {
            continue;
        }
        if c.is_ascii_digit() || (last_number && c == '.') {
            if !last_number {
                out.push('#');
            }
            last_number = true;
            continue;
        }
        last_number = false;
        out.push(c);
    }
    out
}

/// One scored issue.
struct Record {
    case: usize,
    issue: usize,
    outcome: f64,
}

/// Scores every model, and the fitted forecasters out of sample, on `cases`.
pub fn validate(
    cases: &[Case],
    options: &ValidationOptions,
) -> Result<ValidationReport, ValidationError> {
    if options.bootstrap == 0 {
        return Err(ValidationError::InvalidOption(
            "the bootstrap needs at least 1 replicate".into(),
        ));
    }
    if options.folds < 2 || options.folds > cases.len().max(2) {
        return Err(ValidationError::InvalidOption(format!(
            "folds must be from 2 to the number of cases ({}), not {}",
            cases.len(),
            options.folds
        )));
    }
    let every = models();
    let chosen: Vec<&dyn Model> = if options.models.is_empty() {
        every.iter().map(|m| m.as_ref()).collect()
    } else {
        let mut chosen = Vec::new();
        for name in &options.models {
            match every.iter().find(|m| m.id() == name) {
                Some(m) => chosen.push(m.as_ref()),
                None => {
                    return Err(ValidationError::UnknownModel {
                        name: name.clone(),
                        known: MODEL_IDS.join(", "),
                    })
                }
            }
        }
        // The compromise model is the reference of every paired difference: always first.
        chosen.retain(|m| m.id() != "compromise");
        chosen.insert(0, every[0].as_ref());
        chosen
    };

    let Prepared {
        scenarios,
        records,
        by_case,
        columns,
        reasons,
        items,
        mut notes,
    } = prepare(cases, options.capabilities, &chosen)?;
    let compromise = 0;
    let median = chosen.iter().position(|m| m.id() == "median");
    let case_fold = folds(cases.len(), options.folds, options.seed);

    let institutions = scenarios.iter().any(|s| {
        s.actors()
            .iter()
            .any(|a| a.id == COMMISSION || a.id == PARLIAMENT)
    });
    let fitters: Vec<Box<dyn Fitter>> = match &options.params {
        None => default_fitters(compromise, median, institutions),
        Some(given) => {
            if let Err(problem) = given.check() {
                return Err(ValidationError::InvalidOption(format!(
                    "parameters: {}: {}",
                    problem.field, problem.message
                )));
            }
            notes.push(format!(
                "fitted forecasters: parameters given (fitted on `{}`, {} capabilities, {} \
                 issues), not refitted; on other data their figures are out of sample, on the \
                 same data in sample",
                given.data,
                given.capabilities.name(),
                given.issues
            ));
            if given.capabilities != options.capabilities {
                notes.push(format!(
                    "the parameters were fitted with {} capabilities, these cases have {}",
                    given.capabilities.name(),
                    options.capabilities.name()
                ));
            }
            let mut list = Vec::new();
            for f in &given.forecasters {
                if f.id == "institutions" && !institutions {
                    notes.push("institutions: no actor `com` or `ep` here; not scored".into());
                    continue;
                }
                match fitter_of(&f.id, compromise, median) {
                    Some(fitter) => list.push(fitter),
                    None => notes.push(format!(
                        "{}: needs the weighted median among the models; not scored",
                        f.id
                    )),
                }
            }
            list
        }
    };

    let mut table: Vec<metrics::Column> = Vec::new();
    for (k, values) in columns.iter().enumerate() {
        let cv = cross_validate(&Fixed { column: k }, &items, &case_fold);
        table.push(metrics::Column {
            forecasts: values.clone(),
            intervals: Some(cv.intervals),
        });
    }
    let mut fits = Vec::new();
    for fitter in &fitters {
        let names: Vec<String> = fitter
            .parameter_names()
            .into_iter()
            .map(str::to_owned)
            .collect();
        let given = options
            .params
            .as_ref()
            .and_then(|p| p.forecasters.iter().find(|f| f.id == fitter.id()));
        if let Some(given) = given {
            let vector = given.vector(fitter.as_ref()).ok_or_else(|| {
                ValidationError::InvalidOption(format!("parameters of `{}` missing", given.id))
            })?;
            let predictions: Vec<Option<f64>> = items
                .iter()
                .map(|item| fitter.predict(&vector, item))
                .collect();
            let intervals = predictions
                .iter()
                .map(|p| p.map(|p| given.interval(p)))
                .collect();
            table.push(metrics::Column {
                forecasts: predictions,
                intervals: Some(intervals),
            });
            fits.push(FitSummary {
                parameters: names,
                per_fold: vec![vector],
                leak_check_passed: true,
                given: true,
            });
            continue;
        }
        let cv = cross_validate(fitter.as_ref(), &items, &case_fold);
        table.push(metrics::Column {
            forecasts: cv.predictions.clone(),
            intervals: Some(cv.intervals.clone()),
        });
        fits.push(FitSummary {
            parameters: names,
            per_fold: cv.parameters,
            leak_check_passed: cv.leak_free,
            given: false,
        });
    }
    let outcomes: Vec<f64> = records.iter().map(|r| r.outcome).collect();
    let stats = metrics::score(
        &table,
        &outcomes,
        &by_case,
        compromise,
        options.bootstrap,
        options.seed,
    );

    let procedure_of = |c: usize| {
        cases[c]
            .procedure
            .clone()
            .unwrap_or_else(|| "unknown".into())
    };
    let period_of = |c: usize| TreatyPeriod::of(&cases[c]);
    let groups = |column: &[Option<f64>], key: &dyn Fn(usize) -> String| {
        let mut names: Vec<String> = records.iter().map(|r| key(r.case)).collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .map(|group| {
                let members: Vec<usize> = (0..records.len())
                    .filter(|&k| key(records[k].case) == group)
                    .collect();
                GroupScore {
                    issues: members.iter().filter(|&&k| column[k].is_some()).count(),
                    mae: metrics::mae(column, &outcomes, &members),
                    group,
                }
            })
            .collect::<Vec<_>>()
    };
    let mut periods: Vec<TreatyPeriod> = records.iter().map(|r| period_of(r.case)).collect();
    periods.sort();
    periods.dedup();
    let period_key = |c: usize| {
        let p = period_of(c);
        format!(
            "{}. {}",
            periods.iter().position(|x| *x == p).unwrap_or(0) + 1,
            p.label()
        )
    };

    let mut scores = Vec::new();
    for (k, (column, stat)) in table.iter().zip(stats).enumerate() {
        let (model, label, fit, missing_reasons) = if k < chosen.len() {
            (
                chosen[k].id().to_owned(),
                chosen[k].label().to_owned(),
                None,
                reasons[k].clone(),
            )
        } else {
            let f = &fitters[k - chosen.len()];
            let missing = column.forecasts.iter().filter(|x| x.is_none()).count();
            let reasons = if missing > 0 {
                vec![ReasonCount {
                    reason: "the forecasters it is built on have no answer".into(),
                    issues: missing,
                }]
            } else {
                Vec::new()
            };
            (
                f.id().to_owned(),
                f.label().to_owned(),
                Some(fits[k - chosen.len()].clone()),
                reasons,
            )
        };
        let answered = column.forecasts.iter().filter(|x| x.is_some()).count();
        scores.push(ModelScore {
            model,
            label,
            fit,
            forecasts: answered,
            missing: records.len() - answered,
            missing_reasons,
            metrics: stat.metrics,
            versus_compromise: if k == compromise {
                None
            } else {
                stat.versus_reference
            },
            interval_80: stat.coverage,
            by_procedure: groups(&column.forecasts, &procedure_of),
            by_period: groups(&column.forecasts, &period_key),
        });
    }

    let mut verdict = verdict(&scores[chosen.len()..]);
    if options.params.is_some() {
        verdict = format!(
            "with the given parameters (out of sample only on data they were not fitted on): {verdict}"
        );
    }
    Ok(ValidationReport {
        schema: "statecraft-validation/1".into(),
        options: options.clone(),
        cases: cases.len(),
        issues: cases.iter().map(|c| c.outcomes.len()).sum(),
        issues_with_outcome: records.len(),
        models: scores,
        verdict,
        notes,
    })
}

/// The cases made ready for scoring and fitting: capabilities set, the scored issues, every
/// chosen model's forecast of each (in points) and why it gave none, and the fits' items.
struct Prepared {
    scenarios: Vec<Scenario>,
    records: Vec<Record>,
    by_case: Vec<Vec<usize>>,
    columns: Vec<Vec<Option<f64>>>,
    reasons: Vec<Vec<ReasonCount>>,
    items: Vec<FitItem>,
    notes: Vec<String>,
}

fn prepare(
    cases: &[Case],
    scheme: CapabilityScheme,
    chosen: &[&dyn Model],
) -> Result<Prepared, ValidationError> {
    for case in cases {
        if case.outcomes.len() != case.scenario.issues().len() {
            return Err(ValidationError::OutcomeShape {
                case: case.id.clone(),
                outcomes: case.outcomes.len(),
                issues: case.scenario.issues().len(),
            });
        }
    }
    let mut notes = Vec::new();
    let power = council::CouncilPower::of(scheme, cases);
    let scenarios: Vec<Scenario> = cases
        .iter()
        .map(|case| {
            let (scenario, case_notes) = council::apply(scheme, case, &power);
            notes.extend(case_notes);
            scenario
        })
        .collect();
    if scheme == CapabilityScheme::Council {
        notes.push(
            "capabilities: Council votes of the treaty period as shares of the Council, the \
             Commission and the Parliament by procedure (docs/validation.md)"
                .into(),
        );
    }
    if scheme == CapabilityScheme::ShapleyShubik {
        let councils: Vec<&str> = power.tables().iter().map(|(c, _)| c.label()).collect();
        notes.push(format!(
            "capabilities: Shapley-Shubik shares of the Council's qualified-majority game of \
             each proposal's date ({}), the Commission and the Parliament by procedure \
             (docs/validation.md); games of two rules estimated from {} orderings (seed {}, \
             largest standard error {:.5})",
            councils.join("; "),
            council::SHAPLEY_SAMPLES,
            council::SHAPLEY_SEED,
            power.max_standard_error
        ));
    }

    let mut records = Vec::new();
    let mut by_case = vec![Vec::new(); cases.len()];
    for (c, case) in cases.iter().enumerate() {
        for (i, outcome) in case.outcomes.iter().enumerate() {
            if let Some(o) = outcome {
                let scale = case.scenario.issues()[i].scale;
                by_case[c].push(records.len());
                records.push(Record {
                    case: c,
                    issue: i,
                    outcome: (o - scale.min) / scale.range() * 100.0,
                });
            }
        }
    }
    if records.is_empty() {
        return Err(ValidationError::NoOutcomes);
    }
    let to_points = |r: &Record, x: f64| {
        let scale = cases[r.case].scenario.issues()[r.issue].scale;
        (x - scale.min) / scale.range() * 100.0
    };

    // Every model on every case, through the same path; cases in parallel, gathered in order.
    let mut columns = Vec::new();
    let mut reasons = Vec::new();
    for model in chosen {
        let forecasts: Vec<_> = scenarios.par_iter().map(|s| model.forecast(s)).collect();
        let mut values = Vec::with_capacity(records.len());
        let mut counts: Vec<ReasonCount> = Vec::new();
        for r in &records {
            let f = &forecasts[r.case].issues[r.issue];
            values.push(f.value.map(|x| to_points(r, x)));
            if f.value.is_none() {
                let reason = reason_of(f.note.as_deref().unwrap_or("no reason given"));
                match counts.iter_mut().find(|c| c.reason == reason) {
                    Some(c) => c.issues += 1,
                    None => counts.push(ReasonCount { reason, issues: 1 }),
                }
            }
        }
        counts.sort_by(|a, b| b.issues.cmp(&a.issues).then(a.reason.cmp(&b.reason)));
        columns.push(values);
        reasons.push(counts);
    }

    let items: Vec<FitItem> = records
        .iter()
        .enumerate()
        .map(|(k, r)| fit_item(r, k, &cases[r.case], &scenarios[r.case], &columns))
        .collect();
    Ok(Prepared {
        scenarios,
        records,
        by_case,
        columns,
        reasons,
        items,
        notes,
    })
}

/// The fitted forecasters that `validate` cross-validates and `fit` fits.
fn default_fitters(
    compromise: usize,
    median: Option<usize>,
    institutions: bool,
) -> Vec<Box<dyn Fitter>> {
    let mut fitters: Vec<Box<dyn Fitter>> = vec![
        Box::new(StatusQuoPull { compromise }),
        Box::new(SaliencePower),
    ];
    if let Some(median) = median {
        fitters.push(Box::new(Ensemble { compromise, median }));
    }
    if institutions {
        fitters.push(Box::new(Institutions));
    }
    fitters
}

/// Fits every fitted forecaster on all of `cases` (`statecraft fit`): the parameters by least
/// MAE over the same grids as in `validate`, and the residual quantiles of an 80% interval.
/// `data` names the cases in the result. These figures are in sample; `validate` reports the
/// cross-validated ones.
pub fn fit_parameters(
    cases: &[Case],
    capabilities: CapabilityScheme,
    data: &str,
) -> Result<(FittedParameters, Vec<String>), ValidationError> {
    let every = models();
    let chosen: Vec<&dyn Model> = every
        .iter()
        .filter(|m| m.id() == "compromise" || m.id() == "median")
        .map(|m| m.as_ref())
        .collect();
    let prepared = prepare(cases, capabilities, &chosen)?;
    let institutions = prepared.scenarios.iter().any(|s| {
        s.actors()
            .iter()
            .any(|a| a.id == COMMISSION || a.id == PARLIAMENT)
    });
    let fitters = default_fitters(0, Some(1), institutions);
    let params = FittedParameters {
        schema: PARAMS_SCHEMA.into(),
        data: data.into(),
        capabilities,
        cases: cases.len(),
        issues: prepared.items.len(),
        forecasters: params::fit_all(&fitters, &prepared.items),
    };
    Ok((params, prepared.notes))
}

/// Whether any fitted forecaster beats the compromise model, in one sentence.
fn verdict(fitted: &[ModelScore]) -> String {
    let winners: Vec<String> = fitted
        .iter()
        .filter_map(|s| {
            let d = s.versus_compromise?.mae_difference;
            (d.high < 0.0).then(|| {
                format!(
                    "{} ({:+.2} [{:+.2}, {:+.2}])",
                    s.model, d.value, d.low, d.high
                )
            })
        })
        .collect();
    if winners.is_empty() {
        "no fitted forecaster beats the compromise model with the same capabilities out of \
         sample: every paired 95% interval of the MAE difference includes zero or lies above it"
            .into()
    } else {
        format!(
            "beats the compromise model with the same capabilities out of sample (MAE difference, 95% interval below zero): {}",
            winners.join(", ")
        )
    }
}

/// The fits' view of one scored issue.
fn fit_item(
    r: &Record,
    k: usize,
    case: &Case,
    scenario: &Scenario,
    columns: &[Vec<Option<f64>>],
) -> FitItem {
    let base = columns.iter().map(|c| c[k]).collect();
    let codecision = case.procedure.as_deref() == Some("COD");
    let mut item = params::scenario_item(scenario, r.issue, base, codecision);
    item.case = r.case;
    item.outcome = r.outcome;
    item
}

#[cfg(test)]
mod tests;
