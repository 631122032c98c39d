//! A sweep split by run index (`sweep_draws` slices put back in run order, then `sweep_summary`)
//! gives exactly the response of one `run` of the same request: what the Dask front end relies on.

use statecraft_api::{run, sweep_draws, sweep_summary, Context, ErrorKind, Request};

fn request(json: &str) -> Request {
    Request::from_json("request.json", json).expect("the request reads")
}

fn split_equals_run(json: &str, cuts: &[usize]) {
    let request = request(json);
    let whole = run(&request, &Context::default()).expect("the sweep runs");
    let mut values = Vec::new();
    for pair in cuts.windows(2) {
        let slice = sweep_draws(&request, pair[0]..pair[1]).expect("the slice draws");
        assert_eq!(slice.start, pair[0]);
        assert_eq!(slice.len(), pair[1] - pair[0]);
        values.extend(slice.values);
    }
    let split = sweep_summary(&request, &values).expect("the summary");
    assert_eq!(
        serde_json::to_string(&split).unwrap(),
        serde_json::to_string(&whole).unwrap()
    );
}

#[test]
fn a_split_sweep_equals_one_run() {
    split_equals_run(
        r#"{ "analysis": { "sweep": { "runs": 300, "seed": 7, "coalitions": true } } }"#,
        &[0, 1, 120, 120, 300],
    );
    split_equals_run(
        r#"{ "what_if": { "drop": ["Russia"] },
             "analysis": { "sweep": { "models": ["compromise", "bdm"], "runs": 40, "sensitivity": 20 } } }"#,
        &[0, 17, 40],
    );
}

#[test]
fn bad_slices_and_values_are_bad_input() {
    let request = request(r#"{ "analysis": { "sweep": { "runs": 10 } } }"#);
    let e = sweep_draws(&request, 5..11).unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadInput);
    let e = sweep_summary(&request, &[1.0, 2.0]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadInput);
    let forecast = Request::from_json("r.json", r#"{ "analysis": { "forecast": {} } }"#).unwrap();
    assert_eq!(
        sweep_draws(&forecast, 0..1).unwrap_err().problems[0]
            .field
            .as_deref(),
        Some("analysis")
    );
}
