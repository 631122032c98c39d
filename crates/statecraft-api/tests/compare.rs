//! `compare`: the inputs that differ are exactly the values the what-ifs set (by path), and every
//! forecast that moved is listed with the numbers two plain forecasts give, biggest first.

use statecraft_api::{
    run, Analysis, AnalysisResult, CompareOptions, Context, ErrorKind, ForecastOptions, Request,
    ScenarioSource, WhatIf,
};

const MODELS: [&str; 3] = ["compromise", "median", "nash"];

fn what_if() -> WhatIf {
    WhatIf {
        set: vec![
            "DPRK.capability=70".into(),
            "issues.sanctions.status_quo=20".into(),
            "US.domestic.1.turnover=0.5".into(),
        ],
        ..WhatIf::default()
    }
}

fn forecasts(what_if: WhatIf) -> Vec<(String, String, Option<f64>)> {
    let mut request = Request::builtin(
        "six-party-2009",
        Analysis::Forecast(ForecastOptions {
            models: MODELS.iter().map(|m| m.to_string()).collect(),
            ..ForecastOptions::default()
        }),
    );
    request.what_if = what_if;
    let response = run(&request, &Context::default()).expect("a forecast");
    let AnalysisResult::Forecast(result) = response.result else {
        panic!("not a forecast")
    };
    result
        .forecasts
        .iter()
        .flat_map(|f| {
            f.issues
                .iter()
                .map(|i| (f.model.clone(), i.issue.clone(), i.value))
        })
        .collect()
}

#[test]
fn a_scenario_against_its_what_if() {
    let mut request = Request::builtin(
        "six-party-2009",
        Analysis::Compare(CompareOptions {
            models: MODELS.iter().map(|m| m.to_string()).collect(),
            ..CompareOptions::default()
        }),
    );
    request.what_if = what_if();
    let response = run(&request, &Context::default()).expect("a comparison");
    let AnalysisResult::Compare(result) = response.result else {
        panic!("not a comparison")
    };
    let mut paths: Vec<&str> = result.inputs.iter().map(|d| d.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "DPRK.capability",
            "US.domestic.1.turnover",
            "issues.sanctions.status_quo"
        ]
    );
    let turnover = result
        .inputs
        .iter()
        .find(|d| d.path == "US.domestic.1.turnover")
        .expect("the turnover");
    assert_eq!(
        (turnover.a.as_deref(), turnover.b.as_deref()),
        (Some("0.4"), Some("0.5"))
    );

    let before = forecasts(WhatIf::default());
    let after = forecasts(what_if());
    let mut n_moved = 0;
    for ((model, issue, a), (_, _, b)) in before.iter().zip(&after) {
        let listed = result
            .moves
            .iter()
            .find(|m| m.analysis == "forecast" && &m.model == model && &m.issue == issue);
        if a == b {
            assert!(listed.is_none(), "{model} {issue} did not move: {listed:?}");
        } else {
            let listed = listed.unwrap_or_else(|| panic!("{model} {issue} moved, not listed"));
            assert_eq!((listed.a, listed.b), (*a, *b));
            n_moved += 1;
        }
    }
    assert!(n_moved > 0, "the what-if moves some forecast");
    assert!(result.moves.windows(2).all(|w| w[0].share >= w[1].share));
}

#[test]
fn two_scenarios_or_none() {
    // The built-in against itself: nothing differs.
    let mut request = Request::builtin(
        "six-party-2009",
        Analysis::Compare(CompareOptions {
            other: Some(ScenarioSource::Builtin {
                name: "six-party-2009".into(),
            }),
            models: vec!["compromise".into()],
            ..CompareOptions::default()
        }),
    );
    let response = run(&request, &Context::default()).expect("a comparison");
    let AnalysisResult::Compare(result) = response.result else {
        panic!("not a comparison")
    };
    assert!(
        result.inputs.is_empty() && result.moves.is_empty(),
        "{result:?}"
    );
    assert!(result.compared > 0);
    // Without a second scenario or a what-if there is nothing to compare.
    let Analysis::Compare(options) = &mut request.analysis else {
        unreachable!()
    };
    options.other = None;
    let error = run(&request, &Context::default()).expect_err("refused");
    assert_eq!(error.kind, ErrorKind::BadInput);
    assert_eq!(
        error.problems[0].field.as_deref(),
        Some("analysis.compare.other")
    );
}
