//! The durability analysis against what can be computed by hand: a constant hazard gives an
//! exponential survival curve, an even election halves survival on its date, no risk gives 1;
//! higher reversal costs never lower survival, and thread counts never change a result. Issue
//! control: hand-worked two-actor cases (reneging on one's own issue, retaliation, fallbacks, a
//! fading audience cost) and the default that reproduces the model without control.

mod common;
use common::on_threads;

use chrono::NaiveDate;
use proptest::prelude::*;
use statecraft_core::durability::{analyse, DurabilityParams};
use statecraft_core::scenario::{
    Actor, AgreementForm, ChangeTiming, DirectionalCost, Issue, LeadershipChange, Response, Scale,
    Scenario, ScenarioParts, Stance, StanceChange, Successor,
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
                    fallback: None,
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

/// Two actors and two issues, each issue under one actor's control: `mine` (A's, status quo 50)
/// and `theirs` (B's, status quo 50); the package puts both at 20. A's leadership changes for
/// certain one year in, to a successor at `mine_position` on its own issue who still wants
/// `theirs` at 20 (salience 1 on both). B answers with `response`.
fn controlled(mine_position: f64, response: Response, fallback: Option<f64>) -> Scenario {
    let mut mine = Issue::new("mine", Scale::new(0.0, 100.0));
    mine.status_quo = Some(50.0);
    mine.controlled_by = vec![0];
    let mut theirs = Issue::new("theirs", Scale::new(0.0, 100.0));
    theirs.status_quo = Some(50.0);
    theirs.controlled_by = vec![1];
    let mut a = Actor::new("A", 1.0);
    a.domestic.push(LeadershipChange {
        label: "election".into(),
        timing: ChangeTiming::Scheduled {
            date: NaiveDate::from_ymd_opt(2010, 5, 9).unwrap(),
            turnover: 1.0,
        },
        successors: vec![Successor {
            label: "successor".into(),
            probability: 1.0,
            positions: vec![(
                0,
                StanceChange {
                    position: Some(mine_position),
                    fallback,
                    ..StanceChange::default()
                },
            )],
            note: None,
        }],
        note: None,
    });
    let mut b = Actor::new("B", 1.0);
    b.response = response;
    let parts = ScenarioParts {
        actors: vec![a, b],
        issues: vec![mine, theirs],
        stances: vec![
            vec![Some(Stance::new(20.0, 1.0)), Some(Stance::new(20.0, 1.0))],
            vec![Some(Stance::new(10.0, 1.0)), Some(Stance::new(10.0, 1.0))],
        ],
        ..ScenarioParts::default()
    };
    Scenario::new(parts).unwrap()
}

const KEEPS: Response = Response {
    probability: 0.0,
    delay: 0.0,
};

/// The result of the package (20, 20) under a form costing `cost`, over 3 years.
fn two_issue_run(s: &Scenario, cost: f64) -> statecraft_core::durability::Durability {
    let form = AgreementForm::new("form", "Form", cost);
    analyse(s, &[20.0, 20.0], &form, &params(3.0, 500)).unwrap()
}

#[test]
fn a_successor_who_gains_more_than_the_cost_from_reversing_its_own_issue_reneges() {
    // Going back from 20 to 50 on its own issue, the successor at 80 gains (60 - 30) / 100 = 0.3;
    // B keeps its side, so nothing else moves.
    let s = controlled(80.0, KEEPS, None);
    let breaks = two_issue_run(&s, 0.25);
    let verdict = &breaks.changes[0].successors[0];
    assert!(
        (verdict.gain_from_reneging - 0.3).abs() < 1e-12,
        "{verdict:?}"
    );
    assert_eq!(verdict.decisive_issue.as_deref(), Some("mine"));
    assert_eq!(breaks.survives_horizon, 0.0);
    assert_eq!(breaks.first_defectors[0].actor, "A");
    assert_eq!(breaks.first_defectors[0].issues[0].issue, "mine");
    assert_eq!(breaks.elections[0].walk_away[0].successor, "successor");
    assert_eq!(breaks.elections[0].walk_away[0].share, 1.0);
    // A cost of 0.35 is more than the 0.3 it gains: it stays.
    let holds = two_issue_run(&s, 0.35);
    assert_eq!(holds.survives_horizon, 1.0);
    assert!(holds.elections[0].walk_away.is_empty());
}

#[test]
fn with_retaliation_certain_the_decision_counts_the_loss_of_the_other_side() {
    // B reverses its issue at once: the successor also loses (30 - 0) / 100 = 0.3 on `theirs`,
    // so the net gain is 0 and even a free exit is not worth it.
    let certain = Response {
        probability: 1.0,
        delay: 0.0,
    };
    let s = controlled(80.0, certain, None);
    let result = two_issue_run(&s, 0.0);
    let verdict = &result.changes[0].successors[0];
    assert!(verdict.gain_from_reneging.abs() < 1e-12, "{verdict:?}");
    assert_eq!(result.survives_horizon, 1.0);
    // Half a chance of retaliation halves the loss: 0.3 - 0.15 = 0.15.
    let half = Response {
        probability: 0.5,
        delay: 0.0,
    };
    let verdict =
        two_issue_run(&controlled(80.0, half, None), 0.0).changes[0].successors[0].clone();
    assert!(
        (verdict.gain_from_reneging - 0.15).abs() < 1e-12,
        "{verdict:?}"
    );
    // A retaliation four years later weighs e^(-0.25 x 4) = e^-1 of one at once.
    let late = Response {
        probability: 1.0,
        delay: 4.0,
    };
    let verdict =
        two_issue_run(&controlled(80.0, late, None), 0.0).changes[0].successors[0].clone();
    let exact = 0.3 - 0.3 * (-1.0f64).exp();
    assert!(
        (verdict.gain_from_reneging - exact).abs() < 1e-12,
        "{verdict:?}"
    );
}

#[test]
fn a_declared_fallback_is_where_the_reneger_takes_its_issue() {
    // "Maximum pressure": the successor takes its issue to 100, not back to 50: it gains
    // (60 - 20) / 100 = 0.4, and a directional cost prices the 0.8 of the range it moves.
    let s = controlled(80.0, KEEPS, Some(100.0));
    let verdict = two_issue_run(&s, 0.0).changes[0].successors[0].clone();
    assert!(
        (verdict.gain_from_reneging - 0.4).abs() < 1e-12,
        "{verdict:?}"
    );
    let mut form = AgreementForm::new("form", "Form", 0.0);
    form.issue_costs.push(DirectionalCost {
        issue: 0,
        down: 0.0,
        up: 0.6,
    });
    let result = analyse(&s, &[20.0, 20.0], &form, &params(3.0, 100)).unwrap();
    let verdict = &result.changes[0].successors[0];
    assert!((verdict.cost - 0.48).abs() < 1e-12, "{verdict:?}");
    assert_eq!(result.survives_horizon, 1.0);
}

#[test]
fn an_audience_cost_that_fades_lets_a_later_successor_walk_away() {
    // A cost of 0.5 halving every year is 0.5 x 0.5^t at the election one year in: 0.25 < 0.3.
    let s = controlled(80.0, KEEPS, None);
    let mut form = AgreementForm::new("fading", "Fading", 0.5);
    let fixed = analyse(&s, &[20.0, 20.0], &form, &params(3.0, 100)).unwrap();
    assert_eq!(fixed.survives_horizon, 1.0);
    form.cost_trend = -0.5;
    let fading = analyse(&s, &[20.0, 20.0], &form, &params(3.0, 100)).unwrap();
    let at = fading.elections[0].at_years;
    let verdict = &fading.changes[0].successors[0];
    assert!(
        (verdict.cost - 0.5 * 0.5f64.powf(at)).abs() < 1e-12,
        "{verdict:?}"
    );
    assert_eq!(fading.survives_horizon, 0.0);
}

#[test]
fn naming_every_actor_as_controller_is_the_same_as_naming_none() {
    // The default (no `controlled_by`) is "every actor controls every issue": reneging takes
    // every issue back to the status quo, as the model did before issue control existed.
    let everyone = scenario(ChangeTiming::Hazard { yearly: 0.3 }, 60.0, Some(25.0));
    let mut parts = everyone.parts().clone();
    parts.issues[0].controlled_by = vec![0, 1];
    let named = Scenario::new(parts).unwrap();
    let p = params(10.0, 3_000);
    assert_eq!(
        analyse(&everyone, &[20.0], &free(), &p).unwrap(),
        analyse(&named, &[20.0], &free(), &p).unwrap()
    );
}
