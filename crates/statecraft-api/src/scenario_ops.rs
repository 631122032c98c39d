//! The scenario itself as the answer: check (counts and warnings), show (the scenario as data)
//! and convert (the scenario written as TOML or JSON).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statecraft_core::scenario::Scenario;
use statecraft_io::{Format, Loaded};

use crate::error::ApiError;
use crate::AnalysisResult;

/// What `check` returns.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CheckResult {
    /// Actors.
    pub actors: usize,
    /// Issues.
    pub issues: usize,
    /// Red lines, over all actors.
    pub red_lines: usize,
    /// Leadership changes, over all actors.
    pub leadership_changes: usize,
    /// Warnings (the response lists them).
    pub warnings: usize,
}

pub(crate) fn check(loaded: &Loaded) -> AnalysisResult {
    let s = &loaded.scenario;
    AnalysisResult::Check(CheckResult {
        actors: s.actors().len(),
        issues: s.issues().len(),
        red_lines: s.actors().iter().map(|a| a.red_lines.len()).sum(),
        leadership_changes: s.actors().iter().map(|a| a.domestic.len()).sum(),
        warnings: loaded.warnings.len(),
    })
}

pub(crate) fn show(scenario: &Scenario) -> AnalysisResult {
    let text = statecraft_io::export(scenario, Format::Json);
    AnalysisResult::Show(serde_json::from_str(&text).expect("the JSON export reads back"))
}

/// Options of `convert`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ConvertOptions {
    /// The format to write: toml or json.
    pub to: String,
}

impl Default for ConvertOptions {
    fn default() -> Self {
        Self { to: "toml".into() }
    }
}

/// What `convert` returns.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ConvertResult {
    /// The format written.
    pub format: String,
    /// The scenario in that format.
    pub text: String,
}

pub(crate) fn convert(
    scenario: &Scenario,
    options: &ConvertOptions,
) -> Result<AnalysisResult, ApiError> {
    let format = Format::from_name(&options.to)
        .filter(|f| f.can_write())
        .ok_or_else(|| {
            ApiError::usage(
                format!("statecraft cannot write `{}`", options.to),
                "write toml or json",
            )
            .at_field("analysis.convert.to")
        })?;
    Ok(AnalysisResult::Convert(ConvertResult {
        format: format.name().into(),
        text: statecraft_io::export(scenario, format),
    }))
}
