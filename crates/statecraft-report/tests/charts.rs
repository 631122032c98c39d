//! Charts of crowded scenarios stay readable: rounds charts name the actors that moved most and
//! grey the rest; power charts show the largest players; nothing is lost from the tables.

use statecraft_core::models::bdm::{BdmParams, Variant};
use statecraft_core::scenario::{Actor, Issue, Scale, Scenario, ScenarioParts, Stance};
use statecraft_report::{charts, Kind, Report, ReportOptions};

/// `n` actors on one issue, spread over the scale, with capabilities 1..=n.
fn crowd(n: usize) -> Scenario {
    let mut issue = Issue::new("x", Scale::new(0.0, 100.0));
    issue.status_quo = Some(50.0);
    Scenario::new(ScenarioParts {
        actors: (0..n)
            .map(|a| Actor::new(format!("A{a}"), (a + 1) as f64))
            .collect(),
        issues: vec![issue],
        stances: (0..n)
            .map(|a| {
                vec![Some(Stance::new(
                    (a * 97 % 101) as f64 * 0.99,
                    0.5 + (a % 5) as f64 / 10.0,
                ))]
            })
            .collect(),
        ..ScenarioParts::default()
    })
    .expect("a valid scenario")
}

fn report(n: usize) -> Report {
    let options = ReportOptions {
        bdm: BdmParams::forecast(Variant::ScholzReference),
        durability: None,
        sweep: None,
        power_samples: 1000,
        seed: 1,
        fitted: None,
    };
    Report::build(&crowd(n), &options)
}

#[test]
fn a_crowded_rounds_chart_names_the_eight_that_moved_most() {
    for (n, named) in [(6, 6), (40, 8)] {
        let report = report(n);
        let all = charts(&report);
        let rounds = all
            .iter()
            .find(|c| c.id == "rounds-x")
            .expect("a rounds chart");
        let Kind::Rounds {
            series,
            highlighted,
            ..
        } = &rounds.kind
        else {
            panic!("not a rounds chart");
        };
        assert_eq!(series.len(), n);
        assert_eq!(
            highlighted.iter().filter(|&&h| h).count(),
            named,
            "{n} actors"
        );
        // Every grey actor moved no more than every named one.
        let moved = |s: &[f64]| (s[s.len() - 1] - s[0]).abs();
        let least_named = series
            .iter()
            .zip(highlighted)
            .filter(|(_, &h)| h)
            .map(|(s, _)| moved(&s.1))
            .fold(f64::INFINITY, f64::min);
        for (s, _) in series.iter().zip(highlighted).filter(|(_, &h)| !h) {
            assert!(
                moved(&s.1) <= least_named,
                "{} moved more than a named actor",
                s.0
            );
        }
        assert_eq!(rounds.table.rows.len(), n, "the table keeps every actor");
        rounds.png().expect("draws");
    }
}

#[test]
fn a_crowded_power_chart_shows_the_thirty_largest() {
    let report = report(40);
    let all = charts(&report);
    let power = all.iter().find(|c| c.id == "power").expect("a power chart");
    let Kind::Power { players } = &power.kind else {
        panic!("not a power chart");
    };
    assert_eq!(players.len(), 30);
    assert!(power.title.contains("30 largest of 40"), "{}", power.title);
    let smallest_shown = players.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let all_players = &report.power.as_ref().expect("power ran").players;
    let shown_names: Vec<&str> = players.iter().map(|p| p.0.as_str()).collect();
    for p in all_players
        .iter()
        .filter(|p| !shown_names.contains(&p.actor.as_str()))
    {
        assert!(p.shapley_shubik <= smallest_shown);
    }
    assert_eq!(power.table.rows.len(), 40);
    power.png().expect("draws");
}

/// A durability section with two forms: one that holds everywhere and one whose curve falls
/// (`falls`), and two elections four months apart.
fn durability(falls: bool) -> statecraft_report::DurabilitySection {
    use statecraft_report::{DurabilitySection, ElectionMark, FormSurvival};
    let curve = |drop: bool| FormSurvival {
        form: if drop { "statement" } else { "treaty" }.into(),
        label: if drop {
            "Joint statement"
        } else {
            "Ratified treaty"
        }
        .into(),
        times: vec![0.0, 1.0, 2.0, 3.0, 4.0],
        survival: if drop {
            vec![1.0, 1.0, 0.6, 0.6, 0.5]
        } else {
            vec![1.0; 5]
        },
        survives_horizon: if drop { 0.5 } else { 1.0 },
        standard_error: 0.0,
        median_years: None,
        first_defector: None,
    };
    DurabilitySection {
        package: vec![50.0],
        red_lines: Vec::new(),
        years: 4.0,
        runs: 1000,
        start: "2009-05-09".into(),
        forms: vec![curve(falls), curve(false)],
        elections: vec![
            ElectionMark {
                label: "United States: 2012 presidential election".into(),
                at_years: 1.5,
            },
            ElectionMark {
                label: "South Korea: 2012 presidential election".into(),
                at_years: 1.8,
            },
        ],
    }
}

#[test]
fn the_survival_chart_marks_the_elections_and_flat_lines_become_a_sentence() {
    let mut r = report(3);
    r.durability = Some(durability(true));
    let all = charts(&r);
    let chart = all
        .iter()
        .find(|c| c.id == "durability")
        .expect("a falling curve is drawn");
    let Kind::Survival { elections, .. } = &chart.kind else {
        panic!("not a survival chart");
    };
    assert_eq!(
        elections,
        &vec![(1.5, "E1".to_owned()), (1.8, "E2".to_owned())]
    );
    assert!(
        chart
            .summary
            .contains("E1 United States: 2012 presidential election (1.5 y)")
            && chart.summary.contains("E2 South Korea"),
        "{}",
        chart.summary
    );
    let svg = chart.svg().expect("draws");
    let texts: Vec<&str> = svg
        .split("<text")
        .skip(1)
        .map(|t| t.split("</text>").next().unwrap_or_default())
        .collect();
    for mark in ["E1", "E2"] {
        assert!(
            texts
                .iter()
                .any(|t| t.trim_end().ends_with(&format!(">\n{mark}"))),
            "no mark {mark} among {texts:?}"
        );
    }

    r.durability = Some(durability(false));
    assert!(
        charts(&r).iter().all(|c| c.id != "durability"),
        "flat lines at 100% are not drawn"
    );
    let html = statecraft_report::exporter("html")
        .expect("html")
        .export(&r)
        .expect("exports");
    assert!(
        html.contains("holds in all 1000 simulated histories for 4 years"),
        "no sentence"
    );
    assert!(html.contains("through United States: 2012 presidential election"));
}
