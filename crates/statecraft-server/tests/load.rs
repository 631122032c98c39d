//! The load test: 1,000 forecast requests, 100 at a time, over loopback TCP to a real server,
//! with an oversize, a slow-body and a malformed request in the middle; none is lost or wrong
//! and the hostile ones get their 413, 408 and 400. It checks answers, not times: the latencies
//! are printed, and `cargo bench -p statecraft-server --bench load` measures them.

mod common;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_forecasts_a_hundred_at_a_time_none_lost_or_wrong() {
    let report = common::load::run(1000, 100).await;
    assert_eq!(report.latencies.len(), 1000, "every forecast was answered");
    assert_eq!(report.right, 1000, "every answer is the API's own");
    assert_eq!(
        report.hostile,
        vec![1, 1, 1],
        "413, 408 and 400 for the hostile requests"
    );
    println!(
        "load: 1000 forecasts in {:.2?}; p50 {:.2?}, p99 {:.2?}",
        report.wall,
        report.quantile(0.5),
        report.quantile(0.99)
    );
}
