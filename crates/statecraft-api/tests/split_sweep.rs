//! A sweep split by run index (`sweep_draws` slices put back in run order, then `sweep_summary`)
//! gives exactly the response of one `run` of the same request: what the Dask front end relies on.

use statecraft_api::{run, sweep_draws, sweep_summary, Context, ErrorKind, Request, SweepSummary};

fn request(json: &str) -> Request {
    Request::from_json("request.json", json).expect("the request reads")
}

fn split_equals_run(json: &str, cuts: &[usize]) {
    let request = request(json);
    let whole = run(&request, &Context::default()).expect("the sweep runs");
    let mut values = Vec::new();
    // The same slices summarised one at a time as they come, keeping no draw.
    let mut streaming = SweepSummary::new(&request).expect("a summary");
    for pair in cuts.windows(2) {
        let slice = sweep_draws(&request, pair[0]..pair[1]).expect("the slice draws");
        assert_eq!(slice.start, pair[0]);
        assert_eq!(slice.len(), pair[1] - pair[0]);
        assert_eq!(streaming.next_run(), pair[0]);
        streaming
            .add(slice.start, &slice.values)
            .expect("the slice adds");
        values.extend(slice.values);
    }
    let whole = serde_json::to_string(&whole).unwrap();
    let split = sweep_summary(&request, &values).expect("the summary");
    assert_eq!(serde_json::to_string(&split).unwrap(), whole);
    let streamed = streaming.finish().expect("every run was added");
    assert_eq!(serde_json::to_string(&streamed).unwrap(), whole);
}

#[test]
fn a_streaming_summary_takes_slices_in_run_order_and_all_of_them() {
    let request =
        request(r#"{ "analysis": { "sweep": { "runs": 10, "models": ["compromise"] } } }"#);
    let first = sweep_draws(&request, 0..4).unwrap();
    let second = sweep_draws(&request, 4..10).unwrap();
    let mut summary = SweepSummary::new(&request).unwrap();
    // Out of order: the second slice before the first.
    let e = summary.add(second.start, &second.values).unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadInput);
    assert!(e.problems[0].message.contains("run 0 was due"), "{e:?}");
    // Not whole draws.
    let e = summary.add(0, &first.values[1..]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadInput);
    summary.add(first.start, &first.values).unwrap();
    assert_eq!(summary.next_run(), 4);
    // Past the sweep's runs: the first slice again, at run 4, would end at 8; twice, past 10.
    summary.add(4, &first.values).unwrap();
    let e = summary.add(8, &first.values).unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadInput);
    // Finished early: 8 of 10 runs.
    let e = summary.finish().unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadInput);
    assert!(
        e.problems[0].message.contains("8 of the sweep's 10 runs"),
        "{e:?}"
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
