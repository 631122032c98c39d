//! The Python extension `statecraft._native`: a thin adapter that hands request JSON to
//! `statecraft_api` with the GIL released, turns Ctrl-C into a cancelled run, and maps the API's
//! errors to Python exceptions. The Python package (python/statecraft) builds the requests; no
//! analysis happens here.

use std::sync::Mutex;

use pyo3::create_exception;
use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use statecraft_api::{ApiError, CancelToken, Context, ErrorKind, Event, Request};

create_exception!(
    _native,
    ScenarioError,
    PyValueError,
    "The scenario, the request or an option is malformed; `.problems` lists each problem as a \
     dict with file, line, column, field, message, help and severity."
);

create_exception!(
    _native,
    RunError,
    PyRuntimeError,
    "The input was fine but the run failed (a store that cannot be written); `.problems` as in \
     ScenarioError."
);

/// The API's error as a Python exception carrying its problems as dicts.
fn to_py_err(py: Python<'_>, error: ApiError) -> PyErr {
    let err = match error.kind {
        ErrorKind::BadInput => ScenarioError::new_err(error.to_string()),
        ErrorKind::Failed => RunError::new_err(error.to_string()),
        ErrorKind::Cancelled => return PyKeyboardInterrupt::new_err(error.to_string()),
    };
    let problems = PyList::empty(py);
    for p in &error.problems {
        let d = PyDict::new(py);
        let severity = match p.severity {
            statecraft_api::Severity::Error => "error",
            statecraft_api::Severity::Warning => "warning",
        };
        let items: [(&str, PyObject); 7] = [
            (
                "severity",
                severity
                    .into_pyobject(py)
                    .map(|o| o.into_any().unbind())
                    .unwrap_or_else(|_| py.None()),
            ),
            ("file", opt(py, p.file.as_deref())),
            (
                "line",
                p.line.map_or_else(|| py.None(), |v| usize_obj(py, v)),
            ),
            (
                "column",
                p.column.map_or_else(|| py.None(), |v| usize_obj(py, v)),
            ),
            ("field", opt(py, p.field.as_deref())),
            ("message", opt(py, Some(&p.message))),
            ("help", opt(py, p.help.as_deref())),
        ];
        for (k, v) in items {
            let _ = d.set_item(k, v);
        }
        let _ = problems.append(d);
    }
    let _ = err.value(py).setattr("problems", problems);
    err
}

fn opt(py: Python<'_>, s: Option<&str>) -> PyObject {
    match s {
        Some(s) => s
            .into_pyobject(py)
            .map(|o| o.into_any().unbind())
            .unwrap_or_else(|_| py.None()),
        None => py.None(),
    }
}

fn usize_obj(py: Python<'_>, v: usize) -> PyObject {
    v.into_pyobject(py)
        .map(|o| o.into_any().unbind())
        .unwrap_or_else(|_| py.None())
}

fn parse(py: Python<'_>, request_json: &str) -> PyResult<Request> {
    Request::from_json("request", request_json).map_err(|e| to_py_err(py, e))
}

/// Runs one request (JSON text, docs/api.md) and returns the response as JSON text; `store`
/// names a run store (SQLite) that the run records in or reads from (a comparison of stored
/// runs). The GIL is released while Rust computes; Ctrl-C cancels the run and raises
/// KeyboardInterrupt.
#[pyfunction]
#[pyo3(signature = (request_json, store = None))]
fn run(py: Python<'_>, request_json: &str, store: Option<std::path::PathBuf>) -> PyResult<String> {
    let request = parse(py, request_json)?;
    let cancel = CancelToken::new();
    let interrupt: Mutex<Option<PyErr>> = Mutex::new(None);
    let outcome = py.allow_threads(|| {
        let on_event = |event: Event| {
            if let Event::Progress { .. } = event {
                if let Err(e) = Python::with_gil(|py| py.check_signals()) {
                    if let Ok(mut slot) = interrupt.lock() {
                        slot.get_or_insert(e);
                    }
                    cancel.cancel();
                }
            }
        };
        let context = Context {
            on_event: Some(&on_event),
            cancel: cancel.clone(),
            store,
        };
        statecraft_api::run(&request, &context)
            .map(|response| serde_json::to_string(&response).map_err(|e| e.to_string()))
    });
    if cancel.is_cancelled() {
        let stored = interrupt.lock().ok().and_then(|mut slot| slot.take());
        return Err(stored.unwrap_or_else(|| PyKeyboardInterrupt::new_err("the run was cancelled")));
    }
    match outcome {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(e)) => Err(RunError::new_err(format!(
            "the response does not serialise: {e}"
        ))),
        Err(e) => Err(to_py_err(py, e)),
    }
}

/// Runs a report request and writes the report in `format` (html, md, json or csv): returns the
/// response as JSON text and the report's text. The GIL is released while Rust computes.
#[pyfunction]
fn report(py: Python<'_>, request_json: &str, format: &str) -> PyResult<(String, String)> {
    let request = parse(py, request_json)?;
    let outcome = py.allow_threads(|| {
        let response = statecraft_api::run(&request, &Context::default())?;
        let text = statecraft_api::export_report(&response, format)?;
        Ok::<_, statecraft_api::ApiError>((response, text))
    });
    match outcome {
        Ok((response, text)) => {
            let json = serde_json::to_string(&response)
                .map_err(|e| RunError::new_err(format!("the response does not serialise: {e}")))?;
            Ok((json, text))
        }
        Err(e) => Err(to_py_err(py, e)),
    }
}

/// The draws `start..end` (run indices) of a sweep request, as little-endian f64 bytes
/// (draw-major, then model, then issue; NaN for no value), with the models and issues per draw.
#[pyfunction]
fn sweep_draws<'py>(
    py: Python<'py>,
    request_json: &str,
    start: usize,
    end: usize,
) -> PyResult<(Bound<'py, PyBytes>, usize, usize)> {
    let request = parse(py, request_json)?;
    let draws = py
        .allow_threads(|| statecraft_api::sweep_draws(&request, start..end))
        .map_err(|e| to_py_err(py, e))?;
    let mut bytes = Vec::with_capacity(draws.values.len() * 8);
    for v in &draws.values {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    Ok((PyBytes::new(py, &bytes), draws.models, draws.issues))
}

/// Little-endian f64 bytes, as `sweep_draws` gives them, as floats.
fn floats(values: &[u8]) -> PyResult<Vec<f64>> {
    if values.len() % 8 != 0 {
        return Err(ScenarioError::new_err(
            "the draws are not a whole number of 8-byte floats",
        ));
    }
    Ok(values
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
        .collect())
}

/// A response as JSON text.
fn response_text(response: &statecraft_api::Response) -> PyResult<String> {
    serde_json::to_string(response)
        .map_err(|e| RunError::new_err(format!("the response does not serialise: {e}")))
}

/// The response (JSON text) of a sweep request from all its draws in run order, as the
/// little-endian f64 bytes that `sweep_draws` gives, concatenated.
#[pyfunction]
fn sweep_summary(py: Python<'_>, request_json: &str, values: &[u8]) -> PyResult<String> {
    let request = parse(py, request_json)?;
    let values = floats(values)?;
    let response = py
        .allow_threads(|| statecraft_api::sweep_summary(&request, &values))
        .map_err(|e| to_py_err(py, e))?;
    response_text(&response)
}

/// A split sweep summarised slice by slice, in run order, as the slices arrive: it keeps the
/// summaries, never the draws (`statecraft_api::SweepSummary`).
#[pyclass(module = "statecraft._native")]
struct SweepSummary {
    /// `None` once finished.
    inner: Option<statecraft_api::SweepSummary>,
}

#[pymethods]
impl SweepSummary {
    #[new]
    fn new(py: Python<'_>, request_json: &str) -> PyResult<Self> {
        let request = parse(py, request_json)?;
        let inner = statecraft_api::SweepSummary::new(&request).map_err(|e| to_py_err(py, e))?;
        Ok(Self { inner: Some(inner) })
    }

    /// The run index the next slice must start at.
    fn next_run(&self) -> PyResult<usize> {
        Ok(self.summary()?.next_run())
    }

    /// Adds the draws starting at run `start` (the bytes of `sweep_draws`).
    fn add(&mut self, py: Python<'_>, start: usize, values: &[u8]) -> PyResult<()> {
        let values = floats(values)?;
        let inner = self
            .inner
            .as_mut()
            .ok_or_else(|| RunError::new_err("this sweep summary is finished"))?;
        py.allow_threads(|| inner.add(start, &values))
            .map_err(|e| to_py_err(py, e))
    }

    /// The response (JSON text) once every run has been added.
    fn finish(&mut self, py: Python<'_>) -> PyResult<String> {
        let inner = self
            .inner
            .take()
            .ok_or_else(|| RunError::new_err("this sweep summary is finished"))?;
        let response = py
            .allow_threads(|| inner.finish())
            .map_err(|e| to_py_err(py, e))?;
        response_text(&response)
    }
}

impl SweepSummary {
    fn summary(&self) -> PyResult<&statecraft_api::SweepSummary> {
        self.inner
            .as_ref()
            .ok_or_else(|| RunError::new_err("this sweep summary is finished"))
    }
}

/// The built-in scenarios as (name, summary) pairs.
#[pyfunction]
fn builtins() -> Vec<(&'static str, &'static str)> {
    statecraft_api::builtins()
}

/// The version of the request and response formats (`statecraft-api/1`).
#[pyfunction]
fn schema_version() -> &'static str {
    statecraft_api::SCHEMA_VERSION
}

/// The Rust side of the `statecraft` package.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ScenarioError", py.get_type::<ScenarioError>())?;
    m.add("RunError", py.get_type::<RunError>())?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(report, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_draws, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_summary, m)?)?;
    m.add_class::<SweepSummary>()?;
    m.add_function(wrap_pyfunction!(builtins, m)?)?;
    m.add_function(wrap_pyfunction!(schema_version, m)?)?;
    Ok(())
}
