//! `statecraft runs`: listing, showing and exporting what the run store holds (the analysis
//! API records the runs).

use std::io::Write;

use anyhow::Context;
use statecraft_io::store::{Store, StoreError};

use crate::cli::{RunsAction, RunsArgs};
use crate::print::{new_table, write_out};
use crate::Failure;

fn store_error(e: StoreError) -> Failure {
    Failure::Failed(anyhow::anyhow!(e))
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
    let store = Store::open_read_only(&args.store).map_err(store_error)?;
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
        RunsAction::Show { id, request } => {
            let run = store.get(id).map_err(|e| match e {
                StoreError::NoRun { .. } => {
                    let _ = writeln!(std::io::stderr(), "error: {e}");
                    Failure::BadInput
                }
                other => store_error(other),
            })?;
            if request {
                let Some(request) = &run.request else {
                    let _ = writeln!(
                        std::io::stderr(),
                        "error: run {id} was recorded without its request\n  help: runs recorded by this version keep the request that made them"
                    );
                    return Err(Failure::BadInput);
                };
                serde_json::to_string_pretty(request).context("JSON")? + "\n"
            } else {
                serde_json::to_string_pretty(&run).context("JSON")? + "\n"
            }
        }
        RunsAction::Export { id } => {
            let run = store.get(id).map_err(|e| match e {
                StoreError::NoRun { .. } => {
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
