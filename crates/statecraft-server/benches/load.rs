//! The load benchmark: the load test's run (1,000 forecasts, 100 at a time, over loopback TCP,
//! hostile requests in the middle), timed in a release build; prints p50 and p99 (README).

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    // One warm-up run, then the measured ones.
    runtime.block_on(common::load::run(200, 100));
    for round in 1..=3 {
        let report = runtime.block_on(common::load::run(1000, 100));
        assert_eq!(report.right, 1000, "every answer is right");
        assert_eq!(
            report.hostile,
            vec![1, 1, 1],
            "413, 408 and 400 for the hostile requests"
        );
        println!(
            "load round {round}: 1000 forecasts, 100 at a time, in {:.3?}: p50 {:.2?}, p99 {:.2?}, max {:.2?} ({:.0} requests/s)",
            report.wall,
            report.quantile(0.5),
            report.quantile(0.99),
            report.quantile(1.0),
            1000.0 / report.wall.as_secs_f64()
        );
    }
}
