//! `statecraft report`: runs every analysis, writes the report in the chosen format and, with
//! `--charts`, every chart as SVG and PNG.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use serde::Deserialize;
use statecraft_core::durability::DurabilityParams;
use statecraft_core::model::Scenario;
use statecraft_core::models::bdm::{BdmParams, Variant};
use statecraft_core::sweep::{InputIndex, SweepResult};
use statecraft_io::store::Store;
use statecraft_report::{
    charts, exporter, DurabilityOptions, Report, ReportOptions, SweepOptions, SweepSection,
};

use crate::cli::ReportArgs;
use crate::commands::{write_atomically, write_out};
use crate::Failure;

fn bad_usage(message: &str, help: &str) -> Failure {
    let _ = writeln!(std::io::stderr(), "error: {message}\n  help: {help}");
    Failure::BadInput
}

/// The format asked for, or the one the output file's extension names, or HTML.
fn format(args: &ReportArgs) -> Result<String, Failure> {
    if let Some(f) = &args.format {
        return Ok(f.clone());
    }
    let Some(path) = &args.output else {
        return Ok("html".into());
    };
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => Ok("html".into()),
        "md" | "markdown" => Ok("md".into()),
        "json" => Ok("json".into()),
        "csv" => Ok("csv".into()),
        _ => Err(bad_usage(
            &format!("cannot tell the report format from `{}`", path.display()),
            "name the file .html, .md, .json or .csv, or give --format",
        )),
    }
}

pub(crate) fn run(args: ReportArgs) -> Result<(), Failure> {
    let format = format(&args)?;
    let (scenario, stored_sweep) = match (&args.store, args.run) {
        (Some(path), Some(id)) => {
            let (scenario, sweep) = stored_sweep(path, id)?;
            (scenario, Some(sweep))
        }
        _ => (
            crate::what_if::load_changed(
                args.scenario.as_deref(),
                args.from.as_deref(),
                &args.what_if,
            )?,
            None,
        ),
    };
    if let Some(u) = args.uncertainty {
        if !(u.is_finite() && u >= 0.0) {
            return Err(bad_usage(
                &format!("--uncertainty {u} is not a share of 0 or more"),
                "0.1 means a standard deviation of 10%",
            ));
        }
    }
    if args.sensitivity.is_some() && args.sweep == 0 {
        return Err(bad_usage(
            "--sensitivity needs a sweep",
            "add --sweep N, e.g. --sweep 2000 --sensitivity 500",
        ));
    }
    if args.sensitivity == Some(0) {
        return Err(bad_usage(
            "--sensitivity 0: the Sobol estimates need base rows",
            "500 or more gives indices to about 0.05",
        ));
    }
    if args.histories == 0 {
        return Err(bad_usage(
            "--histories 0: the durability analysis needs at least one history",
            "e.g. --histories 20000",
        ));
    }
    let variant = Variant::from_name(&args.variant).expect("clap checked the variant");
    // Durability needs a signing date; a scenario without one simply has no such section.
    let durability = match scenario.meta().date {
        Some(start) => Some(DurabilityOptions {
            package: crate::durability::package(&scenario, &args.package)?,
            forms: crate::durability::forms(&scenario, &args.form)?,
            params: DurabilityParams {
                years: args.years,
                runs: args.histories,
                seed: args.seed,
                step: 0.25,
                start,
            },
        }),
        None => None,
    };
    let sweep = (args.sweep > 0).then(|| SweepOptions {
        runs: args.sweep,
        uncertainty: args
            .uncertainty
            .or(scenario.meta().uncertainty)
            .unwrap_or(crate::sweep::FALLBACK_UNCERTAINTY),
        sensitivity: args.sensitivity,
    });
    let options = ReportOptions {
        bdm: BdmParams::forecast(variant),
        durability,
        sweep,
        power_samples: 100_000,
        seed: args.seed,
    };
    let mut report = Report::build(&scenario, &options);
    if stored_sweep.is_some() {
        report.sweep = stored_sweep;
    }
    if options.durability.is_none() {
        report.notes.push(
            "The durability analysis is left out: the scenario has no date on which to place its elections."
                .into(),
        );
    }
    let exporter = exporter(&format).expect("clap checked the format");
    let text = exporter
        .export(&report)
        .context("cannot write the report")?;
    match &args.output {
        Some(path) => {
            write_atomically(path, &text)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            let _ = writeln!(std::io::stderr(), "wrote {}", path.display());
        }
        None => write_out(&text)?,
    }
    if let Some(dir) = &args.charts {
        write_charts(&report, dir)?;
    }
    Ok(())
}

fn write_charts(report: &Report, dir: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the chart directory `{}`", dir.display()))?;
    let charts = charts(report);
    for chart in &charts {
        let svg = chart.svg().context("cannot draw a chart")?;
        let png = chart.png().context("cannot draw a chart")?;
        for (ext, bytes) in [("svg", svg.as_bytes()), ("png", png.as_slice())] {
            let path = dir.join(format!("{}.{ext}", chart.id));
            write_atomically(&path, bytes)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "wrote {} charts as SVG and PNG to {}",
        charts.len(),
        dir.display()
    );
    Ok(())
}

/// The parts of a stored sweep's result (what `statecraft sweep --format json` prints) that the
/// report shows.
#[derive(Deserialize)]
struct StoredSweep {
    #[serde(flatten)]
    result: SweepResult,
    uncertainty: f64,
    sensitivity: Option<StoredSensitivity>,
}

#[derive(Deserialize)]
struct StoredSensitivity {
    model: String,
    issues: Vec<StoredIssueSensitivity>,
}

#[derive(Deserialize)]
struct StoredIssueSensitivity {
    issue: String,
    inputs: Option<Vec<InputIndex>>,
}

/// The scenario and the spreads of finished sweep `id` in the store at `path`.
fn stored_sweep(path: &Path, id: i64) -> Result<(Scenario, SweepSection), Failure> {
    let store = Store::open(path).map_err(crate::sweep::store_error)?;
    let run = store.get(id).map_err(|e| {
        let _ = writeln!(
            std::io::stderr(),
            "error: {e}\n  help: `statecraft runs list --store {}` shows the runs",
            path.display()
        );
        Failure::BadInput
    })?;
    // Checks that the run is a sweep, and reads its scenario back.
    let (scenario, _) = crate::sweep::stored(&store, id)?;
    let Some(result) = run.result else {
        return Err(bad_usage(
            &format!("sweep {id} in `{}` did not finish", path.display()),
            &format!(
                "finish it with `statecraft sweep --store {} --resume {id}`",
                path.display()
            ),
        ));
    };
    let stored: StoredSweep = serde_json::from_value(result).map_err(|e| {
        Failure::Failed(anyhow::anyhow!(
            "the stored result of sweep {id} does not read back: {e}"
        ))
    })?;
    let ranking = stored.sensitivity.map(|s| {
        (
            s.model,
            s.issues.into_iter().map(|i| (i.issue, i.inputs)).collect(),
        )
    });
    Ok((
        scenario,
        SweepSection::from_result(stored.result, stored.uncertainty, ranking),
    ))
}
