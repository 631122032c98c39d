//! The durability analysis against what can be computed by hand: a constant hazard gives an
//! exponential survival curve, an even election halves survival on its date, no risk gives 1;
//! higher reversal costs never lower survival, and thread counts never change a result.

mod common;
use common::on_threads;

use chrono::NaiveDate;
use proptest::prelude::*;
use statecraft_core::durability::{analyse, DurabilityParams};
use statecraft_core::scenario::{
    Actor, AgreementForm, ChangeTiming, DirectionalCost, Issue, LeadershipChange, Scale, Scenario,
    ScenarioParts, Stance, StanceChange, Successor,
};

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2009, 5, 9).unwrap()
}

fn params(years: f64, runs: usize) -> DurabilityParams {
    DurabilityParams {
        years,
        runs,
        seed: 7,
        step: 0.5,
        start: start(),
    }
}

/// Two actors on one issue (0..100, status quo 50, package 20). Actor A signed at 20; its
/// leadership changes as `timing`, to a successor at `successor_position` with `spread`.
fn scenario(timing: ChangeTiming, successor_position: f64, spread: Option<f64>) -> Scenario {
    let mut issue = Issue::new("issue", Scale::new(0.0, 100.0));
    issue.status_quo = Some(50.0);
    let mut a = Actor::new("A", 1.0);
    a.domestic.push(LeadershipChange {
        label: "change".into(),
        timing,
        successors: vec![Successor {
            label: "successor".into(),
            probability: 1.0,
            positions: vec![(
                0,
                StanceChange {
                    position: Some(successor_position),
                    salience: None,
                    spread,
                },
            )],
            note: None,
        }],
        note: None,
    });
    let parts = ScenarioParts {
        actors: vec![a, Actor::new("B", 1.0)],
        issues: vec![issue],
        stances: vec![
            vec![Some(Stance::new(20.0, 1.0))],
            vec![Some(Stance::new(10.0, 1.0))],
        ],
        ..ScenarioParts::default()
    };
    Scenario::new(parts).unwrap()
}

/// Asserts that the Monte Carlo value is within 4 standard errors of the exact one.
fn close(got: f64, exact: f64, runs: usize, what: &str) {
    let se = (exact * (1.0 - exact) / runs as f64).sqrt();
    assert!(
        (got - exact).abs() <= 4.0 * se + 1e-12,
        "{what}: {got} vs exact {exact} (4 SE = {})",
        4.0 * se
    );
}

fn free() -> AgreementForm {
    AgreementForm::new("free", "No cost", 0.0)
}

#[test]
fn a_constant_hazard_with_certain_reneging_decays_exponentially() {
    // The successor wants 80: going back to 50 gains (60 - 30) / 100 = 0.3 > 0.
    let yearly = 0.2;
    let s = scenario(ChangeTiming::Hazard { yearly }, 80.0, None);
    let runs = 20_000;
    let result = analyse(&s, &[20.0], &free(), &params(10.0, runs)).unwrap();
    let rate = -(1.0f64 - yearly).ln();
    for (&t, &got) in result.times.iter().zip(&result.survival) {
        close(got, (-rate * t).exp(), runs, &format!("S({t})"));
    }
    assert_eq!(result.changes[0].p_renege, 1.0);
    let first = &result.first_defectors;
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].actor, "A");
    // The median of an exponential lifetime is ln 2 / rate (3.1 years).
    let median = result.median_years.expect("most runs end within 10 years");
    assert!((median - 2f64.ln() / rate).abs() < 0.15, "median {median}");
}

#[test]
fn an_even_election_with_certain_reneging_halves_survival_on_its_date() {
    let date = NaiveDate::from_ymd_opt(2012, 5, 9).unwrap();
    let timing = ChangeTiming::Scheduled {
        date,
        turnover: 0.5,
    };
    let s = scenario(timing, 80.0, None);
    let runs = 20_000;
    let result = analyse(&s, &[20.0], &free(), &params(8.0, runs)).unwrap();
    let at = result.elections[0].at_years;
    assert!((at - 3.0).abs() < 0.01, "the election is 3 years in: {at}");
    for (&t, &got) in result.times.iter().zip(&result.survival) {
        let exact = if t < at { 1.0 } else { 0.5 };
        close(got, exact, runs, &format!("S({t})"));
    }
    let election = &result.elections[0];
    assert_eq!(election.alive_before, 1.0);
    close(election.alive_after, 0.5, runs, "after the election");
    // About half the runs end on the election's date exactly: the median lifetime is that date
    // when at least half did, else beyond the horizon.
    assert!(
        result.median_years.is_none_or(|t| t == at),
        "median {:?}",
        result.median_years
    );
}

#[test]
fn without_any_risk_every_agreement_survives() {
    for s in [
        scenario(ChangeTiming::Hazard { yearly: 0.0 }, 80.0, None),
        // A successor that likes the package as much as its predecessor never reneges.
        scenario(ChangeTiming::Hazard { yearly: 0.5 }, 20.0, None),
    ] {
        let result = analyse(&s, &[20.0], &free(), &params(10.0, 2_000)).unwrap();
        assert!(result.survival.iter().all(|&v| v == 1.0));
        assert_eq!(result.survives_horizon, 1.0);
        assert_eq!(result.median_years, None);
        assert!(result.first_defectors.is_empty());
    }
}

#[test]
fn a_reversal_cost_above_the_gain_holds_the_successor() {
    let s = scenario(ChangeTiming::Hazard { yearly: 0.5 }, 80.0, None);
    let treaty = AgreementForm::new("treaty", "Treaty", 0.31);
    let result = analyse(&s, &[20.0], &treaty, &params(10.0, 1_000)).unwrap();
    assert_eq!(result.survives_horizon, 1.0);
    let verdict = &result.changes[0].successors[0];
    assert!((verdict.gain_from_reneging - 0.3).abs() < 1e-12);
    assert_eq!(verdict.cost, 0.31);
}

#[test]
fn undoing_a_move_can_cost_more_in_one_direction() {
    // Reneging moves the issue from 20 back up to 50: only the cost of moving up counts.
    let s = scenario(ChangeTiming::Hazard { yearly: 0.5 }, 80.0, None);
    let mut form = AgreementForm::new("asym", "Asymmetric", 0.0);
    form.issue_costs.push(DirectionalCost {
        issue: 0,
        down: 0.0,
        up: 1.1,
    });
    // 0.3 of the range moved up at 1.1 per range: 0.33 > 0.3, so it holds.
    let holds = analyse(&s, &[20.0], &form, &params(10.0, 1_000)).unwrap();
    assert_eq!(holds.survives_horizon, 1.0);
    form.issue_costs[0] = DirectionalCost {
        issue: 0,
        down: 1.1,
        up: 0.0,
    };
    let breaks = analyse(&s, &[20.0], &form, &params(10.0, 1_000)).unwrap();
    assert!(breaks.survives_horizon < 0.05);
}

#[test]
fn one_or_two_threads_give_identical_results() {
    let s = scenario(ChangeTiming::Hazard { yearly: 0.3 }, 60.0, Some(25.0));
    let run = || analyse(&s, &[20.0], &free(), &params(10.0, 5_000)).unwrap();
    assert_eq!(on_threads(1, run), on_threads(2, run));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn raising_a_reversal_cost_never_lowers_survival(
        yearly in 0.05f64..0.9,
        position in 0.0f64..=100.0,
        spread in prop::option::of(0.0f64..40.0),
        low in 0.0f64..0.5,
        extra in 0.0f64..0.5,
        seed in any::<u64>(),
    ) {
        let s = scenario(ChangeTiming::Hazard { yearly }, position, spread);
        let mut p = params(6.0, 400);
        p.seed = seed;
        let cheap = analyse(&s, &[20.0], &AgreementForm::new("a", "a", low), &p).unwrap();
        let dear = analyse(&s, &[20.0], &AgreementForm::new("b", "b", low + extra), &p).unwrap();
        for (c, d) in cheap.survival.iter().zip(&dear.survival) {
            prop_assert!(d >= c, "survival fell from {c} to {d} as the cost rose");
        }
    }
}

#[test]
fn a_certain_yearly_change_is_refused_rather_than_simulated_for_ever() {
    let s = scenario(ChangeTiming::Hazard { yearly: 1.0 }, 80.0, None);
    let error = analyse(&s, &[20.0], &free(), &params(10.0, 10)).unwrap_err();
    assert!(error.to_string().contains("below 1"), "{error}");
}

#[test]
fn the_curve_ends_at_the_horizon_whatever_the_step() {
    let s = scenario(ChangeTiming::Hazard { yearly: 0.2 }, 80.0, None);
    for (years, step, points) in [(1.0, 0.3, 5), (1.0, 5.0, 2), (2.4, 1.0, 4), (2.0, 0.5, 5)] {
        let mut p = params(years, 10);
        p.step = step;
        let result = analyse(&s, &[20.0], &free(), &p).unwrap();
        assert_eq!(result.times.len(), points, "years {years}, step {step}");
        assert_eq!(result.times.last(), Some(&years));
    }
}
