//! `statecraft serve`: the analysts' web app and an HTTP JSON API, both thin adapters over
//! [`statecraft_api::run`]. The server parses HTTP into the API's requests and sends back its
//! results; it runs no analysis of its own.
//!
//! Routes (docs/api.md, "The HTTP API"; the OpenAPI document at `/api/v1/openapi.json`):
//!
//! | route | what it does |
//! |---|---|
//! | `GET /` | the app (one embedded page, a script and two stylesheets) |
//! | `GET /api/v1/builtins` | the built-in scenarios |
//! | `POST /api/v1/run` | one fast request, answered within the run time limit (else 503) |
//! | `POST /api/v1/jobs` | a slow request as a job (202; 429 when the queue is full) |
//! | `GET /api/v1/jobs`, `GET /api/v1/jobs/{id}` | jobs and their progress |
//! | `DELETE /api/v1/jobs/{id}` | cancel a job |
//! | `GET /api/v1/jobs/{id}/result?format=` | a finished job's response, or its report as a file |
//! | `POST /app/views` | the page's views of a scenario (the report's sections as HTML) |
//! | `GET /app/initial` | the scenario the server was started with |
//!
//! Hostile clients: bodies over [`Config::body_limit`] get 413, slow bodies 408, malformed JSON
//! 400, bad requests and scenarios 422 with the problems as data; a panic becomes a 500 whose id
//! the log also prints; state-changing routes refuse other origins (403) and bodies that are not
//! JSON (415); every response carries a strict Content-Security-Policy.

mod assets;
mod error;
pub mod jobs;
mod openapi;
mod routes;
mod views;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use statecraft_api::ScenarioSource;

pub use error::HttpError;
pub use jobs::{JobState, JobStatus, Jobs};
pub use openapi::openapi;
pub use views::{ViewsRequest, ViewsResponse, LIVE_HISTORIES};

/// How the server behaves; [`Config::default`] is what `statecraft serve` uses.
#[derive(Debug, Clone)]
pub struct Config {
    /// The scenario the page opens with [default: the built-in scenario].
    pub initial: ScenarioSource,
    /// The run store that requests record in (`--store`); none by default, so that requests
    /// never touch the file system.
    pub store: Option<PathBuf>,
    /// How long `POST /api/v1/run` and `POST /app/views` may take before they answer 503.
    pub run_timeout: Duration,
    /// Jobs that run at once.
    pub max_running_jobs: usize,
    /// Jobs that may wait for a slot; one more gets 429.
    pub max_waiting_jobs: usize,
    /// Finished jobs kept for download (the oldest go first).
    pub max_finished_jobs: usize,
    /// Largest request body, in bytes.
    pub body_limit: usize,
    /// How long a client may take to send its body.
    pub body_timeout: Duration,
    /// A job that no client has asked about for this long is cancelled (its client has gone).
    pub job_idle: Duration,
    /// Fast requests that run at once; the others wait (within their time limit).
    pub max_running_requests: usize,
}

impl Default for Config {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            initial: ScenarioSource::default(),
            store: None,
            run_timeout: Duration::from_secs(10),
            max_running_jobs: 2,
            max_waiting_jobs: 8,
            max_finished_jobs: 50,
            body_limit: 4 << 20,
            body_timeout: Duration::from_secs(10),
            job_idle: Duration::from_secs(60),
            max_running_requests: 2 * cores,
        }
    }
}

/// What every handler shares.
pub struct AppState {
    /// The configuration.
    pub config: Config,
    /// The job table.
    pub jobs: Arc<Jobs>,
    /// Bounds the fast requests that run at once.
    requests: tokio::sync::Semaphore,
    /// Numbers the internal errors, so that a client's 500 and the log line match.
    incidents: AtomicU64,
    /// The reports of the scenarios as loaded, for the what-if view.
    baselines: views::BaselineCache,
}

impl AppState {
    /// The state for `config`.
    pub fn new(config: Config) -> Arc<Self> {
        Arc::new(Self {
            jobs: Arc::new(Jobs::new(&config)),
            requests: tokio::sync::Semaphore::new(config.max_running_requests.max(1)),
            config,
            incidents: AtomicU64::new(0),
            baselines: views::BaselineCache::default(),
        })
    }

    /// A new incident id for an internal error (`E3-1700000000`): the count and the time.
    pub(crate) fn incident(&self) -> String {
        let n = self.incidents.fetch_add(1, Ordering::Relaxed) + 1;
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        format!("E{n}-{secs}")
    }
}

/// The app with the default configuration: what the router tests call.
pub fn app(config: Config) -> Router {
    router(AppState::new(config), Router::new())
}

/// The app over `state`, with `extra` routes merged in under the same limits and headers (the
/// tests add a route that panics).
pub fn router(state: Arc<AppState>, extra: Router<Arc<AppState>>) -> Router {
    routes::router(state, extra)
}

/// Serves the app on `listener` until `shutdown` resolves; then every job is cancelled and the
/// server waits for open requests to finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(Arc::clone(&state), Router::new());
    let jobs_state = Arc::clone(&state);
    let reaper = tokio::spawn(async move { jobs_state.jobs.reap_forever().await });
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            state.jobs.cancel_all();
        })
        .await;
    reaper.abort();
    result
}
