//! The app's answer to one edit: the built-in scenario with one salience changed, sent with the
//! scenario as loaded to `POST /app/views`, which re-runs every fast analysis (five forecast
//! models with the spatial model, the expected-utility rounds, 6-0 / 5-1, durability, voting
//! power) for both and returns every view. Target: under 100 ms.

// `criterion_group!` generates functions without docs.
#![allow(missing_docs)]

use axum::body::Body;
use axum::http::{header, Request};
use criterion::{criterion_group, criterion_main, Criterion};
use http_body_util::BodyExt;
use serde_json::json;
use statecraft_server::{app, Config};
use tower::ServiceExt;

fn edit(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = app(Config::default());
    let show = statecraft_api::run(
        &statecraft_api::Request::builtin("six-party-2009", statecraft_api::Analysis::Show),
        &statecraft_api::Context::default(),
    )
    .unwrap();
    let statecraft_api::AnalysisResult::Show(loaded) = show.result else {
        unreachable!()
    };
    let mut edited = loaded.clone();
    edited["actors"][1]["positions"]["nuclear_status"]["salience"] = json!(0.6);
    let body = json!({
        "scenario": { "inline": { "scenario": edited } },
        "baseline": { "inline": { "scenario": loaded } },
    })
    .to_string();
    let mut group = c.benchmark_group("app");
    group.sample_size(20);
    group.bench_function("edit_builtin_views", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let request = Request::post("/app/views")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body.clone()))
                    .unwrap();
                let response = app.clone().oneshot(request).await.unwrap();
                assert!(response.status().is_success());
                response
                    .into_body()
                    .collect()
                    .await
                    .unwrap()
                    .to_bytes()
                    .len()
            })
        })
    });
    group.finish();
}

criterion_group!(benches, edit);
criterion_main!(benches);
