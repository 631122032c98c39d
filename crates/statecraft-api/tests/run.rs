//! The API's contract with front ends: events arrive as the run goes, cancellation stops long
//! work with a clear outcome, and errors carry their kind and field.

use std::cell::RefCell;

use statecraft_api::{
    run, Analysis, AnalysisResult, CancelToken, Context, DurabilityOptions, ErrorKind, Event,
    ForecastOptions, Request, SweepOptions, WhatIf,
};

fn sweep(runs: usize, chunk: usize) -> Request {
    Request::builtin(
        "six-party-2009",
        Analysis::Sweep(SweepOptions {
            models: vec!["compromise".into()],
            runs,
            chunk,
            ..SweepOptions::default()
        }),
    )
}

#[test]
fn progress_and_notes_arrive_in_order() {
    let seen = RefCell::new(Vec::new());
    let on_event = |e: Event| {
        seen.borrow_mut().push(match e {
            Event::Note(text) => format!("note {text}"),
            Event::Progress { done, total } => format!("progress {done}/{total}"),
            Event::Recorded(id) => format!("recorded {id}"),
            Event::Warning(w) => format!("warning {}", w.message),
        })
    };
    let context = Context {
        on_event: Some(&on_event),
        ..Context::default()
    };
    let mut request = sweep(300, 100);
    request.what_if = WhatIf {
        drop: vec!["Russia".into()],
        ..WhatIf::default()
    };
    let response = run(&request, &context).expect("runs");
    let seen = seen.into_inner();
    assert_eq!(
        seen,
        [
            "note with the what-ifs --drop Russia",
            "progress 0/300",
            "progress 100/300",
            "progress 200/300",
            "progress 300/300",
        ]
    );
    assert_eq!(response.notes, ["with the what-ifs --drop Russia"]);
}

#[test]
fn a_cancelled_sweep_returns_the_draws_it_made_and_says_so() {
    let cancel = CancelToken::new();
    let on_event = |e: Event| {
        if let Event::Progress { done, .. } = e {
            if done >= 200 {
                cancel.cancel();
            }
        }
    };
    let context = Context {
        on_event: Some(&on_event),
        cancel: cancel.clone(),
        store: None,
    };
    let response = run(&sweep(1000, 100), &context).expect("a partial result");
    let AnalysisResult::Sweep(result) = &response.result else {
        panic!("a sweep")
    };
    assert!(!result.complete);
    assert_eq!(result.result.runs, 200);
    assert!(response
        .notes
        .iter()
        .any(|n| n.starts_with("stopped after 200 of 1000 draws")));
    // The draws it made are those of the full sweep: the first 200 of a 200-draw sweep.
    let full = run(&sweep(200, 100), &Context::default()).expect("runs");
    let AnalysisResult::Sweep(whole) = &full.result else {
        panic!("a sweep")
    };
    assert!(whole.complete);
    assert_eq!(whole.result.models, result.result.models);
}

#[test]
fn a_cancelled_durability_run_is_cancelled() {
    let context = Context::default();
    context.cancel.cancel();
    let request = Request::builtin(
        "six-party-2009",
        Analysis::Durability(DurabilityOptions {
            runs: 1000,
            ..DurabilityOptions::default()
        }),
    );
    let error = run(&request, &context).expect_err("cancelled");
    assert_eq!(error.kind, ErrorKind::Cancelled);
}

#[test]
fn bad_options_are_bad_input_with_their_field() {
    let mut options = ForecastOptions::default();
    options.bdm.t = 1.5;
    let error = run(
        &Request::builtin("six-party-2009", Analysis::Forecast(options)),
        &Context::default(),
    )
    .expect_err("t is a probability");
    assert_eq!(error.kind, ErrorKind::BadInput);
    assert_eq!(
        error.problems[0].field.as_deref(),
        Some("analysis.forecast.bdm.t")
    );
    let error = run(
        &Request::builtin("nowhere", Analysis::Check),
        &Context::default(),
    )
    .expect_err("no such built-in");
    assert_eq!(error.kind, ErrorKind::BadInput);
    assert!(error.problems[0]
        .help
        .as_deref()
        .unwrap()
        .contains("six-party-2009"));
}

#[test]
fn a_request_round_trips_through_json_and_gives_the_same_numbers() {
    let request = sweep(100, 50);
    let text = serde_json::to_string(&request).expect("serialises");
    let again = Request::from_json("request.json", &text).expect("reads");
    assert_eq!(again, request);
    let a = serde_json::to_value(run(&request, &Context::default()).unwrap()).unwrap();
    let b = serde_json::to_value(run(&again, &Context::default()).unwrap()).unwrap();
    assert_eq!(a, b);
}
