//! `fit`: the fitted forecasters trained on every case of a data set, returned as data (the
//! CLI writes them as a parameter file); and the parameter file carried by a request as text.

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statecraft_core::validation::{fit_parameters, CapabilityScheme, FittedParameters};

use crate::context::{Context, Event, NoteLog};
use crate::error::{ApiError, ProblemData};
use crate::AnalysisResult;

/// Options of `fit`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FitOptions {
    /// The cases to fit on, all of them: a DEU table or an outcomes CSV (as for `validate`).
    pub data: String,
    /// given, equal, council or shapley-shubik [default: given].
    #[serde(default = "given")]
    pub capabilities: String,
}

fn given() -> String {
    "given".into()
}

/// A parameter file's text (written by `statecraft fit`), carried in the request so that it
/// reruns without the file; problems are located in `text` as in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParamsSource {
    /// The file's name, for messages.
    pub file: String,
    /// Its TOML text.
    pub text: String,
}

impl ParamsSource {
    /// The parameters, checked.
    pub(crate) fn parse(&self) -> Result<FittedParameters, ApiError> {
        Ok(statecraft_io::parse_params(&self.file, self.text.clone())?)
    }
}

/// A capability scheme by name, or a usage error at `field`.
pub(crate) fn scheme(name: &str, field: &str) -> Result<CapabilityScheme, ApiError> {
    CapabilityScheme::from_name(name).ok_or_else(|| {
        ApiError::usage(
            format!("unknown capability scheme `{name}`"),
            "the schemes are given, equal, council and shapley-shubik",
        )
        .at_field(field)
    })
}

/// The past cases in `data` (a DEU table or an outcomes CSV), passing on how they were read.
pub(crate) fn load_cases(data: &str, notes: &NoteLog) -> Result<statecraft_io::CaseSet, ApiError> {
    let set = statecraft_io::load_cases(Path::new(data))?;
    for note in &set.notes {
        notes.note(note.clone());
    }
    Ok(set)
}

pub(crate) fn run(
    options: &FitOptions,
    context: &Context,
    notes: &NoteLog,
) -> Result<AnalysisResult, ApiError> {
    let set = load_cases(&options.data, notes)?;
    let capabilities = scheme(&options.capabilities, "analysis.fit.capabilities")?;
    if context.cancel.is_cancelled() {
        return Err(ApiError::cancelled());
    }
    let data = Path::new(&options.data).file_name().map_or_else(
        || options.data.clone(),
        |n| n.to_string_lossy().into_owned(),
    );
    let (params, fit_notes) = fit_parameters(&set.cases, capabilities, &data)
        .map_err(|e| ApiError::bad_input(ProblemData::message(e.to_string())))?;
    for note in fit_notes {
        notes.note(note);
    }
    notes.note(
        "fit: trained on every case of the data; its training MAE is in sample (validate \
         reports cross-validated figures)",
    );
    context.event(Event::Progress { done: 1, total: 1 });
    Ok(AnalysisResult::Fit(params))
}
