//! The most work any one request may ask for, checked before any is done, so that no request
//! (from the CLI, the server or Python) can exhaust memory or run for hours: each limit is named
//! in the refusal. docs/reliability.md lists them with the memory each needs.

use statecraft_core::scenario::Scenario;

use crate::{Analysis, ApiError, Request};

/// The most draws of one sweep (`sweep --runs`, `report --sweep`). A sweep summarises its draws
/// chunk by chunk as they come (`statecraft_core::sweep::streaming`): it keeps at most
/// 10^7 forecasts for exact quantiles (80 MB) and a 16 KB histogram per model and issue beyond,
/// so memory does not grow with the runs; this limit only bounds the time asked for (10^9 draws
/// of the compromise alone on the six-party scenario take hours).
pub const MAX_RUNS: usize = 1_000_000_000;

/// The most draws of a sweep recorded in a run store (`--store`): the store keeps every draw's
/// forecasts on disk (about 1 KB a draw of the six-party scenario), so that it can resume.
pub const MAX_STORED_RUNS: usize = 1_000_000;

/// The most draws of a sweep with `--durability`: each draw simulates 200 histories and keeps its
/// chance of survival (8 bytes) for the quantiles.
pub const MAX_DURABILITY_DRAWS: usize = 1_000_000;

/// The most forecasts held at once by one chunk of a sweep (`--chunk` x models x issues, 8 bytes
/// each, 400 MB), and by one slice of a split sweep (`sweep_draws`).
pub const MAX_SWEEP_VALUES: usize = 50_000_000;

/// The most Sobol base rows (`--sensitivity`); each row needs inputs + 2 forecasts.
pub const MAX_SENSITIVITY: usize = 1_000_000;

/// The most rounds of the expected-utility model (`--rounds`, `--max-rounds`) and turns of the
/// spatial model: each round keeps a record per actor (about 100 bytes).
pub const MAX_ROUNDS: usize = 10_000;

/// The most Monte Carlo samples of `power` (they are summed as drawn, so memory does not grow;
/// 10^8 samples of a 6-player game take about a minute).
pub const MAX_SAMPLES: usize = 100_000_000;

/// The most simulated histories per agreement form (`durability --runs`, `report
/// --histories`): each keeps its end time (8 bytes, so 80 MB).
pub const MAX_HISTORIES: usize = statecraft_core::durability::MAX_RUNS;

/// The most draws of `infer` (chains x (warmup + most draws)), each keeping one value per
/// uncertain input.
pub const MAX_INFER_DRAWS: usize = 10_000_000;

/// The most actors the expected-utility model runs on: a round grows with the cube of the
/// actors (4.8 s at 1,000 in the release build, so up to 8 minutes for its 100 rounds; 2,000
/// actors ran past 16 minutes).
pub const MAX_BDM_ACTORS: usize = 1_000;

pub use statecraft_core::scenario::{MAX_ACTORS, MAX_ISSUES, MAX_POSITIONS};

/// The most issues `coalitions` and `report` (which includes it) search packages over: the
/// linear programme grows with issues x actors, and 2,000 issues ran past two minutes.
pub const MAX_COALITION_ISSUES: usize = 200;

/// The refusal of `value` of `option` (at `field` of the request) for passing `limit`.
fn over(option: &str, value: usize, limit: usize, what: &str, field: &str) -> ApiError {
    ApiError::usage(
        format!("{option} {value} is more than the limit of {limit} {what}"),
        format!("give {option} {limit} or less (docs/reliability.md lists every limit)"),
    )
    .at_field(field)
}

/// Checks the request's options against the limits, before any scenario is read.
pub(crate) fn check_options(request: &Request) -> Result<(), ApiError> {
    let at = |analysis: &str, name: &str| format!("analysis.{analysis}.{name}");
    let limit = |option: &str, value: usize, limit: usize, what: &str, field: String| {
        if value > limit {
            Err(over(option, value, limit, what, &field))
        } else {
            Ok(())
        }
    };
    match &request.analysis {
        Analysis::Forecast(o) => {
            if let Some(rounds) = o.bdm.rounds {
                limit(
                    "--rounds",
                    rounds,
                    MAX_ROUNDS,
                    "rounds",
                    at("forecast", "bdm.rounds"),
                )?;
            }
            limit(
                "--max-rounds",
                o.bdm.max_rounds,
                MAX_ROUNDS,
                "rounds",
                at("forecast", "bdm.max_rounds"),
            )?;
            limit(
                "--max-turns",
                o.smp.max_turns,
                MAX_ROUNDS,
                "turns",
                at("forecast", "smp.max_turns"),
            )?;
        }
        Analysis::Sweep(o) => {
            limit("--runs", o.runs, MAX_RUNS, "draws", at("sweep", "runs"))?;
            if o.durability.is_some() {
                let field = at("sweep", "runs");
                limit(
                    "--runs",
                    o.runs,
                    MAX_DURABILITY_DRAWS,
                    "draws with --durability",
                    field,
                )?;
            }
            if let Some(n) = o.sensitivity {
                let field = at("sweep", "sensitivity");
                limit("--sensitivity", n, MAX_SENSITIVITY, "base rows", field)?;
            }
        }
        Analysis::Report(o) => {
            limit("--sweep", o.sweep, MAX_RUNS, "draws", at("report", "sweep"))?;
            if let Some(n) = o.sensitivity {
                let field = at("report", "sensitivity");
                limit("--sensitivity", n, MAX_SENSITIVITY, "base rows", field)?;
            }
            let field = at("report", "histories");
            limit(
                "--histories",
                o.histories,
                MAX_HISTORIES,
                "histories",
                field,
            )?;
        }
        Analysis::Durability(o) => {
            let field = at("durability", "runs");
            limit("--runs", o.runs, MAX_HISTORIES, "histories", field)?;
        }
        Analysis::Power(o) => {
            let field = at("power", "samples");
            limit("--samples", o.samples, MAX_SAMPLES, "samples", field)?;
        }
        Analysis::Infer(o) => {
            let draws = o
                .chains
                .saturating_mul(o.warmup.saturating_add(o.max_draws.max(o.draws)));
            if draws > MAX_INFER_DRAWS {
                return Err(ApiError::usage(
                    format!(
                        "{} chains of {} warm-up and up to {} draws are more than the limit of {MAX_INFER_DRAWS} draws in all",
                        o.chains, o.warmup, o.max_draws.max(o.draws)
                    ),
                    "give fewer chains, warm-up or draws (docs/reliability.md lists every limit)",
                )
                .at_field(&at("infer", "max_draws")));
            }
        }
        _ => {}
    }
    Ok(())
}

/// Checks the scenario's size against the limits of the analysis asked for.
pub(crate) fn check_scenario(request: &Request, scenario: &Scenario) -> Result<(), ApiError> {
    let (actors, issues) = (scenario.actors().len(), scenario.issues().len());
    let size = |what: &str, n: usize, limit: usize, help: &str| {
        ApiError::usage(
            format!("the scenario has {n} {what}, more than the limit of {limit}"),
            format!("{help} (docs/reliability.md lists every limit)"),
        )
    };
    if actors > MAX_ACTORS {
        return Err(size("actors", actors, MAX_ACTORS, "split the scenario"));
    }
    if issues > MAX_ISSUES {
        return Err(size("issues", issues, MAX_ISSUES, "split the scenario"));
    }
    if actors * issues > MAX_POSITIONS {
        return Err(ApiError::usage(
            format!(
                "the scenario has {actors} actors x {issues} issues = {} positions, more than the limit of {MAX_POSITIONS}",
                actors * issues
            ),
            "split the scenario (docs/reliability.md lists every limit)",
        ));
    }
    let runs_bdm =
        |models: &[String]| models.is_empty() || models.iter().any(|m| m == "bdm" || m == "all");
    let bdm = match &request.analysis {
        Analysis::Forecast(o) => runs_bdm(&o.models),
        Analysis::Sweep(o) => runs_bdm(&o.models),
        Analysis::Report(_) => true,
        _ => false,
    };
    if bdm && actors > MAX_BDM_ACTORS {
        return Err(size(
            "actors",
            actors,
            MAX_BDM_ACTORS,
            "the expected-utility model (bdm) cannot run on so many; choose other models with --model compromise,median,nash",
        ));
    }
    let coalitions = matches!(
        request.analysis,
        Analysis::Coalitions(_) | Analysis::Report(_)
    );
    if coalitions && issues > MAX_COALITION_ISSUES {
        return Err(size(
            "issues",
            issues,
            MAX_COALITION_ISSUES,
            "the package search of coalitions (and of report) cannot cover so many; split the scenario",
        ));
    }
    if let Analysis::Sweep(o) = &request.analysis {
        let models = if o.models.is_empty() {
            4
        } else {
            o.models.len().max(1)
        };
        // A sweep holds one chunk of draws at a time.
        let held = o.runs.min(o.chunk.max(1));
        let values = held.saturating_mul(models).saturating_mul(issues);
        if values > MAX_SWEEP_VALUES {
            let most = MAX_SWEEP_VALUES / (models * issues).max(1);
            return Err(ApiError::usage(
                format!(
                    "chunks of {held} draws of {models} models on {issues} issues are {values} forecasts to hold at once, more than the limit of {MAX_SWEEP_VALUES}",
                ),
                format!("give --chunk {most} or less, or fewer models (docs/reliability.md lists every limit)"),
            )
            .at_field("analysis.sweep.chunk"));
        }
    }
    Ok(())
}
