//! Accuracy on past decisions: the cases (the DEU table, or scenario files with an outcomes
//! CSV) read from a file, every model scored against what was decided, fitted forecasters
//! cross-validated (docs/validation.md).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statecraft_core::validation::{validate, ValidationOptions};

use crate::context::{Context, Event, NoteLog};
use crate::error::{ApiError, ProblemData};
use crate::AnalysisResult;

/// Options of `validate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidateOptions {
    /// The cases: a DEU table (.tsv) or an outcomes CSV (`scenario,issue,outcome`) whose
    /// scenario paths are relative to it. Read from the file system by the API.
    pub data: String,
    /// given, equal, council or shapley-shubik [default: given].
    #[serde(default = "given")]
    pub capabilities: String,
    /// Seed of the bootstrap and of the folds.
    #[serde(default = "one")]
    pub seed: u64,
    /// Bootstrap replicates.
    #[serde(default = "thousand")]
    pub bootstrap: usize,
    /// Cross-validation folds.
    #[serde(default = "ten")]
    pub folds: usize,
    /// The models to score [default: every model and fitted forecaster].
    #[serde(default)]
    pub models: Vec<String>,
    /// A parameter file (`statecraft fit`): score its fixed parameters instead of
    /// cross-validating the fitted forecasters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<crate::fit::ParamsSource>,
}

fn given() -> String {
    "given".into()
}
fn one() -> u64 {
    1
}
fn thousand() -> usize {
    1000
}
fn ten() -> usize {
    10
}

pub(crate) fn run(
    options: &ValidateOptions,
    context: &Context,
    notes: &NoteLog,
) -> Result<AnalysisResult, ApiError> {
    let set = crate::fit::load_cases(&options.data, notes)?;
    if let Some(first) = set.warnings.first() {
        notes.note(format!(
            "{} warnings on the cases' scenarios (shown with `statecraft check`); the first: {first}",
            set.warnings.len()
        ));
    }
    let capabilities = crate::fit::scheme(&options.capabilities, "analysis.validate.capabilities")?;
    let params = match &options.params {
        Some(source) => Some(source.parse()?),
        None => None,
    };
    let validation = ValidationOptions {
        capabilities,
        seed: options.seed,
        bootstrap: options.bootstrap,
        folds: options.folds,
        models: options.models.clone(),
        params,
    };
    if context.cancel.is_cancelled() {
        return Err(ApiError::cancelled());
    }
    let report = validate(&set.cases, &validation)
        .map_err(|e| ApiError::bad_input(ProblemData::message(e.to_string())))?;
    for note in &report.notes {
        notes.note(note.clone());
    }
    context.event(Event::Progress { done: 1, total: 1 });
    Ok(AnalysisResult::Validate(report))
}
