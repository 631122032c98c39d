//! Recording runs in the run store (SQLite): the scenario, the parameters, the seed, the result
//! and the request that made the run, so that `statecraft run` can run it again.

use std::path::Path;

use serde::Serialize;
use statecraft_core::scenario::Scenario;
use statecraft_io::store::{Store, StoreError};
use statecraft_io::Format;

use crate::context::{Context, Event};
use crate::error::ApiError;
use crate::Request;

pub(crate) fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::NoRun { .. } => ApiError::usage(
            e.to_string(),
            "`statecraft runs list --store FILE` shows the runs",
        ),
        other => ApiError::failed(other.to_string()),
    }
}

/// The scenario a stored run recorded, read back from its JSON.
pub(crate) fn stored_scenario(id: i64, stored: &serde_json::Value) -> Result<Scenario, ApiError> {
    statecraft_io::parse_str(&format!("run {id}"), stored.to_string(), Format::Json)
        .map(|loaded| loaded.scenario)
        .map_err(|e| {
            ApiError::failed(format!(
                "the stored scenario of run {id} does not read back: {e}"
            ))
        })
}

pub(crate) fn open(path: &Path) -> Result<Store, ApiError> {
    Store::open(path).map_err(store_error)
}

/// Starts a run of `kind` in the store, with its request; returns its id.
pub(crate) fn start(
    store: &Store,
    kind: &str,
    scenario: &Scenario,
    params: &serde_json::Value,
    seed: Option<u64>,
    request: &Request,
) -> Result<i64, ApiError> {
    let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let json = statecraft_io::export(scenario, Format::Json);
    let id = store
        .start(
            kind,
            &created,
            scenario.meta().title.as_deref(),
            &json,
            params,
            seed,
        )
        .map_err(store_error)?;
    let request = serde_json::to_value(request).expect("requests serialise");
    store.set_request(id, &request).map_err(store_error)?;
    Ok(id)
}

/// Records a finished run of `kind` (a forecast, an analysis) in the context's store, if any.
#[allow(clippy::too_many_arguments)]
pub(crate) fn record(
    context: &Context,
    kind: &str,
    scenario: &Scenario,
    params: serde_json::Value,
    seed: Option<u64>,
    result: &impl Serialize,
    request: &Request,
) -> Result<(), ApiError> {
    let Some(path) = &context.store else {
        return Ok(());
    };
    let store = open(path)?;
    let id = start(&store, kind, scenario, &params, seed, request)?;
    let result = serde_json::to_value(result).expect("results serialise");
    store.finish(id, &result).map_err(store_error)?;
    context.event(Event::Recorded(id));
    Ok(())
}
