//! The routes and the layers around them: body limits and time-outs, the origin and media-type
//! checks of state-changing requests, security headers, and panics turned into 500s with an id.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, Request as HttpRequest, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use statecraft_api::{Analysis, CancelToken, Context, Request};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;

use crate::error::HttpError;
use crate::jobs::Refused;
use crate::{assets, openapi, views, AppState};

/// Sent with every response: nothing but this server's own script, styles and images.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub(crate) fn router(state: Arc<AppState>, extra: Router<Arc<AppState>>) -> Router {
    let panic_state = Arc::clone(&state);
    let limit = state.config.body_limit;
    let body_timeout = state.config.body_timeout;
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{name}", get(assets::asset))
        .route(
            "/api/v1/openapi.json",
            get(|| async { Json(openapi::openapi()) }),
        )
        .route("/api/v1/builtins", get(builtins))
        .route("/api/v1/run", post(run))
        .route("/api/v1/jobs", post(submit).get(list))
        .route("/api/v1/jobs/{id}", get(status).delete(cancel))
        .route("/api/v1/jobs/{id}/result", get(result))
        .route("/app/views", post(views::views))
        .route("/app/initial", get(initial))
        .route("/app/jobs/{id}/views", get(views::job_views))
        .merge(extra)
        .fallback(not_found)
        .layer(middleware::from_fn(guard_state_changes))
        .layer(DefaultBodyLimit::max(limit))
        .layer(RequestBodyTimeoutLayer::new(body_timeout))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(CatchPanicLayer::custom(
            move |panic: Box<dyn std::any::Any + Send>| {
                let what = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("a panic");
                HttpError::internal(panic_state.incident(), what).into_response()
            },
        ))
        .with_state(state)
}

async fn not_found() -> HttpError {
    HttpError::new(StatusCode::NOT_FOUND, "not_found", "no such route")
        .with_help("GET /api/v1/openapi.json lists the routes")
}

/// State-changing requests must come from this server's own pages and carry JSON: a form or a
/// script on another site can neither post here nor read the answer.
async fn guard_state_changes(request: HttpRequest, next: Next) -> Response {
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD && method != Method::OPTIONS {
        let headers = request.headers();
        if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
            if site == "cross-site" || site == "same-site" {
                return HttpError::new(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    "requests from other sites are refused",
                )
                .into_response();
            }
        }
        if let Some(origin) = headers.get(header::ORIGIN) {
            if !same_origin(origin, headers) {
                return HttpError::new(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    format!(
                        "requests from origin {} are refused",
                        origin.to_str().unwrap_or("?")
                    ),
                )
                .into_response();
            }
        }
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().starts_with("application/json"));
        if method == Method::POST && !json {
            return HttpError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "the body must be JSON, sent with Content-Type: application/json",
            )
            .into_response();
        }
    }
    next.run(request).await
}

/// Whether `Origin` names the host the request was sent to.
fn same_origin(origin: &HeaderValue, headers: &HeaderMap) -> bool {
    let (Ok(origin), Some(host)) = (
        origin.to_str(),
        headers.get(header::HOST).and_then(|h| h.to_str().ok()),
    ) else {
        return false;
    };
    let without_scheme = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    without_scheme == Some(host)
}

/// The body as JSON of type `T`: 413 past the limit, 408 when it came too slowly, 400 when it is
/// not JSON, 422 when it is JSON of the wrong shape.
pub(crate) fn json_body<T>(
    body: Result<Bytes, BytesRejection>,
    parse: impl FnOnce(&str) -> Result<T, HttpError>,
) -> Result<T, HttpError> {
    let bytes = body.map_err(|e| {
        let text = e.body_text();
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE || text.contains("length limit") {
            HttpError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "the request body is over the server's limit",
            )
            .with_help("upload scenarios of at most 4 MiB (statecraft serve --body-limit)")
        } else if text.contains("timeout") || text.contains("timed out") {
            HttpError::new(
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                "the request body came too slowly",
            )
        } else {
            HttpError::new(StatusCode::BAD_REQUEST, "malformed", text)
        }
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        HttpError::new(
            StatusCode::BAD_REQUEST,
            "malformed",
            format!("the body is not UTF-8: {e}"),
        )
    })?;
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        let mut err = HttpError::new(
            StatusCode::BAD_REQUEST,
            "malformed",
            format!("the body is not JSON: {e}"),
        );
        err.problems[0].line = Some(e.line());
        err.problems[0].column = Some(e.column());
        return Err(err);
    }
    parse(text)
}

/// Cancels a run when its handler is dropped: the client has gone, or the time ran out.
pub(crate) struct CancelOnDrop(pub(crate) CancelToken);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Runs one request on a blocking thread within the run time limit and the bound on requests
/// running at once.
pub(crate) async fn run_fast(
    state: &Arc<AppState>,
    request: Request,
) -> Result<statecraft_api::Response, HttpError> {
    let limit = state.config.run_timeout;
    let cancel = CancelToken::new();
    let _guard = CancelOnDrop(cancel.clone());
    let store = state.config.store.clone();
    let work = async {
        let _permit = state.requests.acquire().await.map_err(|_| {
            HttpError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", "shutting down")
        })?;
        let token = cancel.clone();
        tokio::task::spawn_blocking(move || {
            let context = Context {
                on_event: None,
                cancel: token,
                store,
            };
            statecraft_api::run(&request, &context)
        })
        .await
        .map_err(|panic| HttpError::internal(state.incident(), &panic.to_string()))
    };
    match tokio::time::timeout(limit, work).await {
        Err(_) => Err(HttpError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!(
                "the request ran past the server's limit of {} s and was stopped",
                limit.as_secs_f64()
            ),
        )
        .with_help("run slow analyses as a job: POST /api/v1/jobs")),
        Ok(Err(e)) => Err(e),
        Ok(Ok(Err(e))) => Err(HttpError::from_api(e, state)),
        Ok(Ok(Ok(response))) => Ok(response),
    }
}

pub(crate) fn parse_request(text: &str) -> Result<Request, HttpError> {
    let request = Request::from_json("request", text).map_err(|e| {
        let mut err = HttpError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_input", "");
        err.problems = e.problems;
        err
    })?;
    // `validate` and `fit` read the cases at a path the request names: a client could make the
    // server read (and quote in its messages) any file it can see. The server reads none.
    let reads = match &request.analysis {
        Analysis::Validate(_) => Some("validate"),
        Analysis::Fit(_) => Some("fit"),
        _ => None,
    };
    if let Some(name) = reads {
        return Err(HttpError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_input",
            format!("`{name}` reads its cases from a path on the server's disk, and the server reads no file a request names"),
        )
        .with_help(format!("run `statecraft {name}` on the machine that has the data")));
    }
    Ok(request)
}

async fn run(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<statecraft_api::Response>, HttpError> {
    let request = json_body(body, parse_request)?;
    Ok(Json(run_fast(&state, request).await?))
}

async fn builtins() -> Json<serde_json::Value> {
    let list: Vec<serde_json::Value> = statecraft_api::builtins()
        .into_iter()
        .map(|(name, summary)| serde_json::json!({ "name": name, "summary": summary }))
        .collect();
    Json(serde_json::Value::Array(list))
}

async fn initial(State(state): State<Arc<AppState>>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "scenario": state.config.initial }))
}

async fn submit(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, HttpError> {
    let request = json_body(body, parse_request)?;
    match state.jobs.submit(request) {
        Ok(status) => {
            let location = format!("/api/v1/jobs/{}", status.id);
            Ok((
                StatusCode::ACCEPTED,
                [(header::LOCATION, location)],
                Json(status),
            )
                .into_response())
        }
        Err(Refused::Busy { open }) => Err(HttpError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "busy",
            format!("{open} jobs are running or waiting; try again when one has finished"),
        )),
    }
}

async fn list(State(state): State<Arc<AppState>>) -> Json<Vec<crate::JobStatus>> {
    Json(state.jobs.list())
}

fn no_job(id: u64) -> HttpError {
    HttpError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("there is no job {id}"),
    )
    .with_help("GET /api/v1/jobs lists the jobs; finished jobs are kept for a while, not for ever")
}

async fn status(
    State(state): State<Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Json<crate::JobStatus>, HttpError> {
    state.jobs.status(id).map(Json).ok_or_else(|| no_job(id))
}

async fn cancel(
    State(state): State<Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<(StatusCode, Json<crate::JobStatus>), HttpError> {
    let status = state.jobs.cancel(id).ok_or_else(|| no_job(id))?;
    Ok((StatusCode::ACCEPTED, Json(status)))
}

#[derive(Deserialize)]
pub(crate) struct ResultQuery {
    #[serde(default)]
    format: Option<String>,
}

/// A finished job's response, the job's response (`format=json`, the default) or its report as
/// a file (`html`, `md`, `csv`).
pub(crate) async fn finished(
    state: &AppState,
    id: u64,
) -> Result<Arc<statecraft_api::Response>, HttpError> {
    let (status, response) = state.jobs.result(id).ok_or_else(|| no_job(id))?;
    match response {
        Some(r) => Ok(r),
        None => {
            let mut err = HttpError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("job {id} has no result: it is {:?}", status.state).to_lowercase(),
            );
            if let Some(e) = status.error {
                err.problems.extend(e.problems);
            }
            Err(err)
        }
    }
}

async fn result(
    State(state): State<Arc<AppState>>,
    Path(id): Path<u64>,
    Query(query): Query<ResultQuery>,
) -> Result<Response, HttpError> {
    let response = finished(&state, id).await?;
    let format = query.format.as_deref().unwrap_or("json");
    if format == "json" {
        return Ok(Json(&*response).into_response());
    }
    let text = statecraft_api::export_report(&response, format)
        .map_err(|e| HttpError::from_api(e, &state))?;
    let (mime, ext) = match format {
        "html" => ("text/html; charset=utf-8", "html"),
        "md" | "markdown" => ("text/markdown; charset=utf-8", "md"),
        "csv" => ("text/csv; charset=utf-8", "csv"),
        _ => ("application/json", "json"),
    };
    let disposition = format!("attachment; filename=\"statecraft-job-{id}.{ext}\"");
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    )
        .into_response())
}
