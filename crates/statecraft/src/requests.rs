//! The command line mapped to requests of the analysis API: each command's arguments become one
//! `Request`, with the scenario file read into it so that the request alone reproduces the run.

use std::path::Path;

use statecraft_api::{
    Analysis, BacktestOptions, BdmOptions, CoalitionsOptions, CompareOptions, ConvertOptions,
    DurabilityOptions, FitOptions, ForecastOptions, InferOptions, ParamsSource, PowerOptions,
    ReportOptions, Request, ScenarioSource, SmpOptions, SweepOptions, ValidateOptions, WhatIf,
    DEFAULT_SCENARIO,
};

use crate::cli::{
    BdmArgs, CoalitionsArgs, CompareArgs, DurabilityArgs, FitArgs, ForecastArgs, InferArgs,
    PowerArgs, ReportArgs, SmpArgs, SweepArgs, ValidateArgs, WhatIfArgs,
};
use crate::print::diagnostics;
use crate::Failure;

/// The scenario named on the command line: a built-in name (unless a file of that name exists),
/// else a file, read here so that the request carries its text.
pub(crate) fn source(spec: Option<&str>, from: Option<&str>) -> Result<ScenarioSource, Failure> {
    let spec = spec.unwrap_or(DEFAULT_SCENARIO);
    if !Path::new(spec).exists() && statecraft_io::builtin_source(spec).is_some() {
        return Ok(ScenarioSource::Builtin { name: spec.into() });
    }
    match statecraft_io::read_path(Path::new(spec)) {
        Ok(text) => Ok(ScenarioSource::Text {
            file: spec.into(),
            format: from.map(str::to_owned),
            text,
        }),
        Err(error) => Err(diagnostics::api_error(error.into())),
    }
}

pub(crate) fn what_if(args: &WhatIfArgs) -> WhatIf {
    WhatIf {
        set: args.set.clone(),
        drop: args.drop.clone(),
        add_actor: args.add_actor.clone(),
    }
}

fn request(
    spec: Option<&str>,
    from: Option<&str>,
    changes: &WhatIfArgs,
    analysis: Analysis,
) -> Result<Request, Failure> {
    Ok(Request {
        scenario: source(spec, from)?,
        what_if: what_if(changes),
        analysis,
    })
}

/// A request whose analysis names no scenario of the command line (a stored run, given weights).
fn without_scenario(analysis: Analysis) -> Request {
    Request {
        scenario: ScenarioSource::default(),
        what_if: WhatIf::default(),
        analysis,
    }
}

fn bdm(args: &BdmArgs) -> BdmOptions {
    BdmOptions {
        variant: args.variant.clone(),
        rounds: args.rounds,
        max_rounds: args.max_rounds,
        capitulation_fix: args.capitulation_fix,
        q: args.q,
        t: args.t,
    }
}

fn smp(args: &SmpArgs) -> SmpOptions {
    SmpOptions {
        max_turns: args.max_turns,
        params: args.params.clone(),
        seed: args.smp_seed,
    }
}

pub(crate) fn forecast(args: &ForecastArgs) -> Result<Request, Failure> {
    request(
        args.scenario.as_deref(),
        args.from.as_deref(),
        &args.what_if,
        Analysis::Forecast(ForecastOptions {
            models: args.model.clone(),
            bdm: bdm(&args.bdm),
            smp: smp(&args.smp),
            params: params(args.params_file.as_deref())?,
        }),
    )
}

/// `statecraft compare`: two scenarios (B read like A), A and its what-ifs, or two run ids of
/// `--store`.
pub(crate) fn compare(args: &CompareArgs) -> Result<Request, Failure> {
    if args.store.is_some() {
        let id = |text: &str| {
            text.parse::<i64>().map_err(|_| {
                diagnostics::usage(
                    &format!("`{text}` is not a run id"),
                    "with --store, name two runs by their ids (`statecraft runs list --store FILE` shows them)",
                )
            })
        };
        let Some(b) = &args.b else {
            return Err(diagnostics::usage(
                "compare --store needs two run ids",
                "name both runs, e.g. `statecraft compare --store runs.db 3 5`",
            ));
        };
        return Ok(without_scenario(Analysis::Compare(CompareOptions {
            runs: vec![id(&args.a)?, id(b)?],
            ..CompareOptions::default()
        })));
    }
    let other = match &args.b {
        Some(b) => Some(source(Some(b), args.from.as_deref())?),
        None => None,
    };
    request(
        Some(&args.a),
        args.from.as_deref(),
        &args.what_if,
        Analysis::Compare(CompareOptions {
            other,
            models: args.model.clone(),
            runs: Vec::new(),
        }),
    )
}

pub(crate) fn scenario(
    spec: &str,
    from: Option<&str>,
    changes: &WhatIfArgs,
    analysis: Analysis,
) -> Result<Request, Failure> {
    request(Some(spec), from, changes, analysis)
}

pub(crate) fn convert(
    spec: &str,
    from: Option<&str>,
    changes: &WhatIfArgs,
    to: &str,
) -> Result<Request, Failure> {
    request(
        Some(spec),
        from,
        changes,
        Analysis::Convert(ConvertOptions { to: to.into() }),
    )
}

pub(crate) fn sweep(args: &SweepArgs) -> Result<Request, Failure> {
    let analysis = Analysis::Sweep(SweepOptions {
        models: args.model.clone(),
        runs: args.runs,
        seed: args.seed,
        uncertainty: args.uncertainty,
        coalitions: args.coalitions,
        durability: args.durability.clone(),
        variant: args.variant.clone(),
        sensitivity: args.sensitivity,
        chunk: args.chunk,
        resume: args.resume,
        params: params(args.params_file.as_deref())?,
    });
    // A resumed sweep reads its scenario from the store.
    if args.resume.is_some() {
        return Ok(without_scenario(analysis));
    }
    request(
        args.scenario.as_deref(),
        args.from.as_deref(),
        &args.what_if,
        analysis,
    )
}

pub(crate) fn coalitions(args: &CoalitionsArgs) -> Result<Request, Failure> {
    request(
        args.scenario.as_deref(),
        args.from.as_deref(),
        &args.what_if,
        Analysis::Coalitions(CoalitionsOptions {
            shape: args.shape.clone(),
        }),
    )
}

pub(crate) fn infer(args: &InferArgs) -> Result<Request, Failure> {
    request(
        args.scenario.as_deref(),
        args.from.as_deref(),
        &args.what_if,
        Analysis::Infer(InferOptions {
            package: args.package.clone(),
            seed: args.seed,
            chains: args.chains,
            warmup: args.warmup,
            draws: args.draws,
            max_draws: args.max_draws,
            noise: args.noise,
            lapse: args.lapse,
            uncertainty: args.uncertainty,
            shape: args.shape.clone(),
        }),
    )
}

pub(crate) fn durability(args: &DurabilityArgs) -> Result<Request, Failure> {
    request(
        args.scenario.as_deref(),
        args.from.as_deref(),
        &args.what_if,
        Analysis::Durability(DurabilityOptions {
            package: args.package.clone(),
            forms: args.form.clone(),
            years: args.years,
            runs: args.runs,
            seed: args.seed,
            step: args.step,
            start: args.start.clone(),
        }),
    )
}

/// `durability --backtest [CASES]`: each case a built-in name or a scenario file.
pub(crate) fn backtest(args: &DurabilityArgs, cases: &[String]) -> Result<Request, Failure> {
    let cases = cases
        .iter()
        .map(|case| source(Some(case), None))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(without_scenario(Analysis::Backtest(BacktestOptions {
        cases,
        runs: args.runs,
        seed: args.seed,
    })))
}

pub(crate) fn power(args: &PowerArgs) -> Result<Request, Failure> {
    let options = PowerOptions {
        weights: args.weights.clone(),
        quota: args.quota.clone(),
        names: args.names.clone(),
        rule: args.rule.clone(),
        monte_carlo: args.monte_carlo,
        samples: args.samples,
        seed: args.seed,
    };
    if args.weights.is_empty() {
        return request(
            args.scenario.as_deref(),
            args.from.as_deref(),
            &args.what_if,
            Analysis::Power(options),
        );
    }
    if let Some(scenario) = &args.scenario {
        return Err(diagnostics::usage(
            &format!("both a scenario (`{scenario}`) and --weights were given"),
            "give either a scenario, whose capabilities are the weights, or --weights",
        ));
    }
    Ok(without_scenario(Analysis::Power(options)))
}

pub(crate) fn report(args: &ReportArgs) -> Result<Request, Failure> {
    let analysis = Analysis::Report(ReportOptions {
        sweep: args.sweep,
        sensitivity: args.sensitivity,
        uncertainty: args.uncertainty,
        package: args.package.clone(),
        forms: args.form.clone(),
        years: args.years,
        histories: args.histories,
        seed: args.seed,
        variant: args.variant.clone(),
        run: args.run,
        infer: args.infer,
        params: params(args.params_file.as_deref())?,
    });
    // A report on a stored sweep reads its scenario from the store.
    if args.run.is_some() {
        return Ok(without_scenario(analysis));
    }
    request(
        args.scenario.as_deref(),
        args.from.as_deref(),
        &args.what_if,
        analysis,
    )
}

/// A parameter file read into the request, so that the request alone reproduces the run.
pub(crate) fn params(path: Option<&Path>) -> Result<Option<ParamsSource>, Failure> {
    let Some(path) = path else {
        return Ok(None);
    };
    match statecraft_io::read_path(path) {
        Ok(text) => Ok(Some(ParamsSource {
            file: path.display().to_string(),
            text,
        })),
        Err(error) => Err(diagnostics::api_error(error.into())),
    }
}

pub(crate) fn fit(args: &FitArgs) -> Request {
    without_scenario(Analysis::Fit(FitOptions {
        data: args.data.display().to_string(),
        capabilities: args.capabilities.clone(),
    }))
}

pub(crate) fn validate(args: &ValidateArgs) -> Result<Request, Failure> {
    Ok(without_scenario(Analysis::Validate(ValidateOptions {
        data: args.data.display().to_string(),
        capabilities: args.capabilities.clone(),
        seed: args.seed,
        bootstrap: args.bootstrap,
        folds: args.folds,
        models: args.model.clone(),
        params: params(args.params.as_deref())?,
    })))
}
