//! The router called in-process: every route, and each error status a hostile or careless client
//! can cause (400, 403, 404, 408, 409, 413, 415, 422, 429, 500, 503), with the server still
//! answering afterwards.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::routing::get;
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use statecraft_server::{app, router, AppState, Config};
use tower::ServiceExt;

async fn send(
    app: &Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = app
        .clone()
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    (status, headers, body.to_vec())
}

async fn get_json(app: &Router, uri: &str) -> (StatusCode, Value) {
    let (status, _, body) = send(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn post(uri: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .unwrap()
}

async fn post_json(app: &Router, uri: &str, body: &Value) -> (StatusCode, Value) {
    let (status, _, bytes) = send(app, post(uri, body.to_string())).await;
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    (status, value)
}

fn forecast_request() -> Value {
    json!({ "analysis": { "forecast": { "models": ["compromise", "median"] } } })
}

fn message(body: &Value) -> String {
    body["problems"][0]["message"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn the_page_and_its_assets_come_with_strict_headers() {
    let app = app(Config::default());
    let (status, headers, body) = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(body).unwrap();
    assert!(page.contains("<script src=\"/assets/app.js\""), "{page}");
    assert!(
        !page.contains("<script>"),
        "no inline script: the CSP forbids it"
    );
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
    for (asset, mime) in [
        ("app.js", "text/javascript"),
        ("app.css", "text/css"),
        ("report.css", "text/css"),
    ] {
        let (status, headers, body) = send(
            &app,
            Request::get(format!("/assets/{asset}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{asset}");
        assert!(headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with(mime));
        assert!(body.len() > 500, "{asset} has content");
    }
    let (status, body) = get_json(&app, "/assets/evil.js").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["kind"], "not_found");
    let (status, body) = get_json(&app, "/no/such/route").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["problems"][0]["help"]
        .as_str()
        .unwrap()
        .contains("openapi"));
}

#[tokio::test]
async fn the_openapi_document_resolves_every_reference() {
    let app = app(Config::default());
    let (status, doc) = get_json(&app, "/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/v1/run",
        "/api/v1/jobs",
        "/api/v1/jobs/{id}",
        "/api/v1/jobs/{id}/result",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut refs = Vec::new();
    fn walk(v: &Value, refs: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                for (k, v) in o {
                    if k == "$ref" {
                        refs.push(v.as_str().unwrap().to_owned());
                    } else {
                        walk(v, refs);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, refs)),
            _ => {}
        }
    }
    walk(&doc, &mut refs);
    assert!(refs.len() > 20);
    for r in refs {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r} points outside the components"));
        assert!(schemas.contains_key(name), "{r} resolves");
    }
}

#[tokio::test]
async fn run_gives_the_same_result_as_the_api() {
    let app = app(Config::default());
    let (status, body) = get_json(&app, "/api/v1/builtins").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body[0]["name"], "six-party-2009");

    let (status, body) = post_json(&app, "/api/v1/run", &forecast_request()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let request = statecraft_api::Request::from_json("t", &forecast_request().to_string()).unwrap();
    let direct = statecraft_api::run(&request, &statecraft_api::Context::default()).unwrap();
    assert_eq!(body, serde_json::to_value(&direct).unwrap());
    assert_eq!(body["schema"], "statecraft-api/1");
}

#[tokio::test]
async fn bad_bodies_get_4xx_with_the_problems_as_data() {
    let app = app(Config {
        body_limit: 64 << 10,
        ..Config::default()
    });
    // Not JSON: 400, with the place.
    let (status, _, body) = send(&app, post("/api/v1/run", "{\"analysis\": ")).await;
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["kind"], "malformed");
    assert_eq!(body["problems"][0]["line"], 1);

    // JSON of the wrong shape: 422, naming the field.
    let (status, body) = post_json(
        &app,
        "/api/v1/run",
        &json!({ "analysis": { "forecast": { "q": 3 } } }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["kind"], "bad_input");
    assert!(body["problems"][0]["field"].as_str().is_some(), "{body}");

    // A scenario with a value off its range: 422, with its line and its path.
    let text = statecraft_io::builtin_source("six-party-2009")
        .unwrap()
        .replacen("salience = 0.95", "salience = 1.5", 1);
    let request = json!({ "scenario": { "text": { "file": "edited.toml", "text": text } }, "analysis": "check" });
    let (status, body) = post_json(&app, "/api/v1/run", &request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let p = &body["problems"][0];
    assert_eq!(p["file"], "edited.toml");
    assert!(p["line"].as_u64().unwrap() > 1, "{p}");
    assert!(
        p["message"].as_str().unwrap().contains("outside 0..=1"),
        "{p}"
    );
    assert!(p["path"].as_str().unwrap().ends_with(".salience"), "{p}");

    // Analyses that read files named in the request are refused: the server reads no file.
    for analysis in [
        json!({ "validate": { "data": "/etc/passwd" } }),
        json!({ "fit": { "data": "/etc/passwd" } }),
    ] {
        let (status, body) = post_json(&app, "/api/v1/run", &json!({ "analysis": analysis })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(message(&body).contains("reads no file"), "{body}");
        assert!(
            !body.to_string().contains("root:"),
            "nothing of the file is quoted"
        );
        let (status, _) = post_json(&app, "/api/v1/jobs", &json!({ "analysis": analysis })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    // Over the limit: 413.
    let big = format!(
        "{{\"analysis\": \"check\", \"pad\": \"{}\"}}",
        "x".repeat(70 << 10)
    );
    let (status, _, body) = send(&app, post("/api/v1/run", big)).await;
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["kind"], "too_large");

    // Not sent as JSON: 415. From another site: 403.
    let request = Request::post("/api/v1/run")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(forecast_request().to_string()))
        .unwrap();
    assert_eq!(
        send(&app, request).await.0,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let request = Request::post("/api/v1/run")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "http://evil.example")
        .body(Body::from(forecast_request().to_string()))
        .unwrap();
    assert_eq!(send(&app, request).await.0, StatusCode::FORBIDDEN);
    let request = Request::post("/api/v1/jobs")
        .header(header::CONTENT_TYPE, "application/json")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(forecast_request().to_string()))
        .unwrap();
    assert_eq!(send(&app, request).await.0, StatusCode::FORBIDDEN);
    let request = Request::builder()
        .method(Method::DELETE)
        .uri("/api/v1/jobs/1")
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "http://127.0.0.1:9999")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, request).await.0, StatusCode::FORBIDDEN);
    // The page's own origin is fine.
    let request = Request::post("/api/v1/run")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "http://127.0.0.1:8080")
        .body(Body::from(forecast_request().to_string()))
        .unwrap();
    assert_eq!(send(&app, request).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_slow_body_gets_408() {
    let app = app(Config {
        body_timeout: Duration::from_millis(100),
        ..Config::default()
    });
    let stream = futures_stream();
    let request = Request::post("/api/v1/run")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(stream))
        .unwrap();
    let (status, _, body) = send(&app, request).await;
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT, "{body}");
    assert_eq!(body["kind"], "timeout");
}

/// A body that sends its first bytes and then nothing more.
fn futures_stream(
) -> impl futures_util::Stream<Item = Result<axum::body::Bytes, std::io::Error>> + Send + 'static {
    use futures_util::StreamExt;
    futures_util::stream::once(async { Ok(axum::body::Bytes::from_static(b"{\"analysis\": ")) })
        .chain(futures_util::stream::pending())
}

#[tokio::test]
async fn a_fast_request_that_runs_too_long_gets_503() {
    let app = app(Config {
        run_timeout: Duration::from_millis(1),
        ..Config::default()
    });
    let request = json!({ "analysis": { "sweep": { "runs": 1_000_000 } } });
    let (status, body) = post_json(&app, "/api/v1/run", &request).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["kind"], "timeout");
    assert!(body["problems"][0]["help"]
        .as_str()
        .unwrap()
        .contains("/api/v1/jobs"));
}

async fn wait_for(app: &Router, id: u64, states: &[&str]) -> Value {
    for _ in 0..2000 {
        let (status, body) = get_json(app, &format!("/api/v1/jobs/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if states.contains(&body["state"].as_str().unwrap()) {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("job {id} never reached {states:?}");
}

#[tokio::test]
async fn jobs_run_report_progress_and_can_be_downloaded() {
    let app = app(Config::default());
    let request = json!({ "analysis": { "sweep": { "runs": 2000 } } });
    let (status, headers, body) = send(&app, post("/api/v1/jobs", request.to_string())).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let job: Value = serde_json::from_slice(&body).unwrap();
    let id = job["id"].as_u64().unwrap();
    assert_eq!(headers[header::LOCATION], format!("/api/v1/jobs/{id}"));
    let done = wait_for(&app, id, &["done", "failed", "cancelled"]).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["done"], 2000);
    assert_eq!(done["total"], 2000);
    let (status, result) = get_json(&app, &format!("/api/v1/jobs/{id}/result")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(result["analysis"], "sweep");
    assert_eq!(result["result"]["runs"], 2000);
    // A sweep is no report: it has no HTML, but it has views.
    let (status, body) = get_json(&app, &format!("/api/v1/jobs/{id}/result?format=html")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, views) = get_json(&app, &format!("/app/jobs/{id}/views")).await;
    assert_eq!(status, StatusCode::OK);
    let sure = views["views"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "sure")
        .expect("a sweep view");
    assert!(sure["html"].as_str().unwrap().contains("2000 draws"));

    // A report job downloads as HTML, Markdown and CSV.
    let (status, job) = post_json(
        &app,
        "/api/v1/jobs",
        &json!({ "analysis": { "report": { "histories": 500 } } }),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let id = job["id"].as_u64().unwrap();
    assert_eq!(
        wait_for(&app, id, &["done", "failed"]).await["state"],
        "done"
    );
    for (format, start) in [("html", "<!DOCTYPE html>"), ("md", "# "), ("csv", "")] {
        let (status, headers, body) = send(
            &app,
            Request::get(format!("/api/v1/jobs/{id}/result?format={format}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{format}");
        assert!(headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("attachment"));
        assert!(
            String::from_utf8(body).unwrap().starts_with(start),
            "{format}"
        );
    }
    let (status, list) = get_json(&app, "/api/v1/jobs").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 2);

    let (status, body) = get_json(&app, "/api/v1/jobs/999").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = get_json(&app, "/api/v1/jobs/999/result").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

#[tokio::test]
async fn jobs_are_cancelled_refused_when_full_and_reaped_when_their_client_has_gone() {
    let state = AppState::new(Config {
        max_running_jobs: 1,
        max_waiting_jobs: 1,
        job_idle: Duration::from_millis(200),
        ..Config::default()
    });
    let app = router(state.clone(), Router::new());
    let long = json!({ "analysis": { "sweep": { "runs": 1_000_000 } } });
    let (s1, first) = post_json(&app, "/api/v1/jobs", &long).await;
    let (s2, second) = post_json(&app, "/api/v1/jobs", &long).await;
    assert_eq!((s1, s2), (StatusCode::ACCEPTED, StatusCode::ACCEPTED));
    let (status, body) = post_json(&app, "/api/v1/jobs", &long).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["kind"], "busy");

    let (first, second) = (
        first["id"].as_u64().unwrap(),
        second["id"].as_u64().unwrap(),
    );
    let running = wait_for(&app, first, &["running"]).await;
    assert_eq!(running["state"], "running");
    // The second waits for the slot; its result is not there yet.
    let (status, body) = get_json(&app, &format!("/api/v1/jobs/{second}/result")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    let request = Request::builder()
        .method(Method::DELETE)
        .uri(format!("/api/v1/jobs/{first}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, request).await.0, StatusCode::ACCEPTED);
    let cancelled = wait_for(&app, first, &["cancelled", "done"]).await;
    assert_eq!(cancelled["state"], "cancelled", "{cancelled}");
    assert!(cancelled["done"].as_u64().unwrap() < 1_000_000);

    // Nobody asks about the second job any more: it is cancelled as its client has gone.
    wait_for(&app, second, &["running"]).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(state.jobs.reap(), 1);
    let reaped = wait_for(&app, second, &["cancelled", "done"]).await;
    assert_eq!(reaped["state"], "cancelled", "{reaped}");
}

async fn boom() -> &'static str {
    if std::hint::black_box(true) {
        panic!("a deliberate test panic");
    }
    "never"
}

#[tokio::test]
async fn a_panic_is_a_500_with_an_id_and_the_server_goes_on() {
    let state = AppState::new(Config::default());
    let extra: Router<std::sync::Arc<AppState>> = Router::new().route("/boom", get(boom));
    let app = router(state, extra);
    let (status, body) = get_json(&app, "/boom").await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let incident = body["incident"].as_str().expect("an incident id");
    assert!(message(&body).contains(incident), "{body}");
    assert!(
        !message(&body).contains("deliberate"),
        "the details stay in the log"
    );
    let (status, _) = post_json(&app, "/api/v1/run", &forecast_request()).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn views_show_every_analysis_and_put_problems_on_their_paths() {
    let app = app(Config::default());
    let (_, show) = post_json(&app, "/api/v1/run", &json!({ "analysis": "show" })).await;
    let loaded = show["result"].clone();
    let mut edited = loaded.clone();
    let dprk = edited["actors"]
        .as_array()
        .unwrap()
        .iter()
        .position(|a| a["id"] == "DPRK")
        .unwrap();
    edited["actors"][dprk]["positions"]["nuclear_status"]["salience"] = json!(0.6);
    let request = json!({ "scenario": { "inline": { "scenario": edited } }, "baseline": { "inline": { "scenario": loaded } } });
    let (status, body) = post_json(&app, "/app/views", &request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let ids: Vec<&str> = body["views"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    for id in [
        "lands",
        "coalitions",
        "durability",
        "inputs",
        "power",
        "whatif",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    let whatif = body["views"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "whatif")
        .unwrap();
    let html = whatif["html"].as_str().unwrap();
    assert!(html.contains("1 input value differs"), "{html}");
    assert!(html.contains("class=\"changed\""));
    // The compromise forecast, as the API computes it with the same change.
    let cli = json!({ "what_if": { "set": ["DPRK.nuclear_status.salience=0.6"] }, "analysis": { "forecast": { "models": ["compromise"] } } });
    let (_, forecast) = post_json(&app, "/api/v1/run", &cli).await;
    let expected = &forecast["result"]["forecasts"][0]["issues"][0];
    assert_eq!(expected["issue"], "nuclear_status");
    assert_eq!(body["compromise"]["nuclear_status"], expected["value"]);

    // A salience off its range: 422, with the path of the field.
    edited["actors"][dprk]["positions"]["nuclear_status"]["salience"] = json!(1.5);
    edited["actors"][0]["capability"] = json!("lots");
    let (status, body) = post_json(
        &app,
        "/app/views",
        &json!({ "scenario": { "inline": { "scenario": edited.clone() } } }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["problems"][0]["path"], "actors[0].capability",
        "{body}"
    );
    edited["actors"][0]["capability"] = json!(100);
    let (status, body) = post_json(
        &app,
        "/app/views",
        &json!({ "scenario": { "inline": { "scenario": edited } } }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["problems"][0]["path"],
        format!("actors[{dprk}].positions.nuclear_status.salience")
    );
    // Strings from the scenario are escaped in the views.
    let mut hostile = loaded.clone();
    hostile["actors"][0]["name"] = json!("<script>alert(1)</script>");
    let (status, body) = post_json(
        &app,
        "/app/views",
        &json!({ "scenario": { "inline": { "scenario": hostile } } }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let all: String = body["views"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["html"].as_str().unwrap())
        .collect();
    assert!(!all.contains("<script>"), "scenario text is escaped");
    assert!(all.contains("&lt;script&gt;"));
    let (status, body) = get_json(&app, "/app/initial").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["scenario"]["builtin"]["name"], "six-party-2009");
}
