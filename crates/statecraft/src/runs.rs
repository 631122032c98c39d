//! `statecraft runs` and `--store`: recording forecasts and analyses in the run store, and
//! listing, showing and exporting what it holds.

use std::io::Write;

use anyhow::Context;
use serde::Serialize;
use statecraft_core::model::Scenario;
use statecraft_io::store::Store;
use statecraft_io::Format;

use crate::cli::{RunsAction, RunsArgs};
use crate::commands::{new_table, write_out};
use crate::sweep::store_error;
use crate::Failure;

/// Records a finished run of `kind` (a forecast, an analysis) in the store at `path`.
pub(crate) fn record(
    path: &std::path::Path,
    kind: &str,
    scenario: &Scenario,
    params: serde_json::Value,
    seed: Option<u64>,
    result: &impl Serialize,
) -> Result<(), Failure> {
    let store = Store::open(path).map_err(store_error)?;
    let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let json = statecraft_io::export(scenario, Format::Json);
    let id = store
        .start(
            kind,
            &created,
            scenario.meta().title.as_deref(),
            &json,
            &params,
            seed,
        )
        .map_err(store_error)?;
    let result = serde_json::to_value(result).context("the result as JSON")?;
    store.finish(id, &result).map_err(store_error)?;
    let _ = writeln!(
        std::io::stderr(),
        "recorded as run {id} in {}",
        path.display()
    );
    Ok(())
}

/// `statecraft runs list|show|export`.
pub(crate) fn run(args: RunsArgs) -> Result<(), Failure> {
    if !args.store.exists() {
        let _ = writeln!(
            std::io::stderr(),
            "error: no run store at `{}`\n  help: record runs with `statecraft sweep --store FILE`, or name the store with --store",
            args.store.display()
        );
        return Err(Failure::BadInput);
    }
    let store = Store::open(&args.store).map_err(store_error)?;
    let text = match args.action {
        RunsAction::List => {
            let mut t = new_table();
            t.set_header([
                "Id", "Kind", "Created", "Status", "Scenario", "Hash", "Seed", "Chunks",
            ]);
            for r in store.list().map_err(store_error)? {
                t.add_row([
                    r.id.to_string(),
                    r.kind,
                    r.created,
                    r.status,
                    r.title.unwrap_or_default(),
                    r.scenario_hash,
                    r.seed.map(|s| s.to_string()).unwrap_or_default(),
                    r.chunks.to_string(),
                ]);
            }
            format!("{t}\n")
        }
        RunsAction::Show { id } => {
            let run = store.get(id).map_err(|e| match e {
                statecraft_io::store::StoreError::NoRun { .. } => {
                    let _ = writeln!(std::io::stderr(), "error: {e}");
                    Failure::BadInput
                }
                other => store_error(other),
            })?;
            serde_json::to_string_pretty(&run).context("JSON")? + "\n"
        }
        RunsAction::Export { id } => {
            let run = store.get(id).map_err(|e| match e {
                statecraft_io::store::StoreError::NoRun { .. } => {
                    let _ = writeln!(std::io::stderr(), "error: {e}");
                    Failure::BadInput
                }
                other => store_error(other),
            })?;
            match run.result {
                Some(result) => serde_json::to_string_pretty(&result).context("JSON")? + "\n",
                None => {
                    let _ = writeln!(
                        std::io::stderr(),
                        "error: run {id} is unfinished ({} chunks stored)\n  help: finish it with `statecraft sweep --store {} --resume {id}`",
                        run.summary.chunks,
                        args.store.display()
                    );
                    return Err(Failure::BadInput);
                }
            }
        }
    };
    write_out(&text)
}
