//! `durability --backtest`: the durability model run on the casebook (built-in scenarios of
//! agreements whose fate is known, or the cases a request names) and scored against what happened.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statecraft_core::backtest::{backtest, BacktestCase, BacktestParams};

use crate::context::{Context, Event, NoteLog};
use crate::error::{ApiError, ProblemData};
use crate::source::{load, ScenarioSource};
use crate::AnalysisResult;

/// Options of the durability backtest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct BacktestOptions {
    /// The cases: scenarios with an `[agreement]` block [default: every built-in case].
    pub cases: Vec<ScenarioSource>,
    /// Histories simulated per case.
    pub runs: usize,
    /// Seed of every case's random streams.
    pub seed: u64,
}

impl Default for BacktestOptions {
    fn default() -> Self {
        Self {
            cases: Vec::new(),
            runs: 20_000,
            seed: 1,
        }
    }
}

/// The built-in scenarios that are backtest cases (they carry an `[agreement]` block), in the
/// order they are listed.
pub fn builtin_cases() -> Vec<&'static str> {
    statecraft_io::BUILTINS
        .iter()
        .filter(|b| {
            statecraft_io::load_builtin(b.name).is_some_and(|l| l.scenario.agreement().is_some())
        })
        .map(|b| b.name)
        .collect()
}

pub(crate) fn run(
    options: &BacktestOptions,
    context: &Context,
    notes: &NoteLog,
) -> Result<AnalysisResult, ApiError> {
    let sources: Vec<ScenarioSource> = if options.cases.is_empty() {
        builtin_cases()
            .into_iter()
            .map(|name| ScenarioSource::Builtin { name: name.into() })
            .collect()
    } else {
        options.cases.clone()
    };
    let mut loaded = Vec::new();
    for (k, source) in sources.iter().enumerate() {
        let case = load(source, notes)?;
        if case.scenario.agreement().is_none() {
            return Err(ApiError::bad_input(
                ProblemData::message(format!(
                    "{}: the scenario has no `[agreement]` block, so there is nothing to score",
                    source.name()
                ))
                .with_help(
                    "a case says what was signed and when it was in force; see docs/scenario-format.md, `[agreement]`",
                )
                .at_field(format!("analysis.backtest.cases[{k}]")),
            ));
        }
        loaded.push((source.name().to_owned(), case.scenario));
    }
    if context.cancel.is_cancelled() {
        return Err(ApiError::cancelled());
    }
    let cases: Vec<BacktestCase<'_>> = loaded
        .iter()
        .map(|(name, scenario)| BacktestCase { name, scenario })
        .collect();
    let params = BacktestParams {
        runs: options.runs,
        seed: options.seed,
    };
    let result = backtest(&cases, &params).map_err(|e| {
        ApiError::bad_input(ProblemData::message(e.to_string())).at_field("analysis.backtest")
    })?;
    context.event(Event::Progress {
        done: cases.len() as u64,
        total: cases.len() as u64,
    });
    Ok(AnalysisResult::Backtest(result))
}
