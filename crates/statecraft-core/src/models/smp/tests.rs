//! Unit tests of the SMP on small generated scenarios: shapes and ranges, symmetry under a
//! mirrored scale, thread-count independence, every parameter value, degenerate inputs.
//! KTAB parity is tested against KTAB's own outputs in `crates/statecraft-io/tests/smp_parity.rs`.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::scenario::{Actor, Issue, ScenarioParts, Stance};

/// A scenario on `dims` issues of scale `scale`; actors are (capability, positions, saliences).
fn scenario(actors: &[(f64, Vec<f64>, Vec<f64>)], scale: Scale) -> Scenario {
    let dims = actors[0].1.len();
    let parts = ScenarioParts {
        actors: (0..actors.len())
            .map(|a| Actor::new(format!("A{a}"), actors[a].0))
            .collect(),
        issues: (0..dims)
            .map(|k| Issue::new(format!("d{k}"), scale))
            .collect(),
        stances: actors
            .iter()
            .map(|(_, x, s)| {
                x.iter()
                    .zip(s)
                    .map(|(&x, &s)| Some(Stance::new(x, s)))
                    .collect()
            })
            .collect(),
        ..ScenarioParts::default()
    };
    Scenario::new(parts).expect("test scenarios are valid")
}

/// `n` random actors on `dims` issues of 0..100, saliences summing to 0.5..1.
fn random_actors(seed: u64, n: usize, dims: usize) -> Vec<(f64, Vec<f64>, Vec<f64>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let capability = rng.random_range(10.0..200.0);
            let position: Vec<f64> = (0..dims)
                .map(|_| (rng.random_range(0.0..100.0f64) * 100.0).round() / 100.0)
                .collect();
            let raw: Vec<f64> = (0..dims).map(|_| rng.random_range(0.1..1.0)).collect();
            let total: f64 = raw.iter().sum();
            let level = rng.random_range(0.5..1.0);
            let salience = raw.iter().map(|r| r / total * level * 0.999).collect();
            (capability, position, salience)
        })
        .collect()
}

fn run_default(s: &Scenario) -> SmpRun {
    SpatialModel::default().run_scenario(s).expect("runs").1
}

fn assert_sane(run: &SmpRun, scale: Scale) {
    assert!(!run.turns.is_empty() && run.turns.len() <= run.params.stop.max_turns);
    assert_eq!(run.states.len(), run.turns.len() + 1);
    for state in &run.states {
        for row in &state.positions {
            for &x in row {
                assert!(x.is_finite() && scale.min - 1e-9 <= x && x <= scale.max + 1e-9);
            }
        }
        let total: f64 = state.distribution.iter().map(|d| d.probability).sum();
        assert!((total - 1.0).abs() < 1e-6, "probabilities sum to {total}");
        let members: usize = state.distribution.iter().map(|d| d.actors.len()).sum();
        assert_eq!(members, run.actors.len());
        let in_range = |r: &f64| r.is_finite() && (-1.0 - 1e-12..=1.0 + 1e-12).contains(r);
        assert!(state.risk.iter().all(in_range), "{:?}", state.risk);
    }
    for f in &run.forecast {
        assert!(scale.contains(f.expected) && scale.contains(f.most_probable));
    }
}

#[test]
fn two_actors_bargain_toward_each_other() {
    let s = scenario(
        &[
            (100.0, vec![20.0, 70.0], vec![0.6, 0.3]),
            (60.0, vec![80.0, 40.0], vec![0.2, 0.7]),
        ],
        Scale::new(0.0, 100.0),
    );
    let run = run_default(&s);
    assert_sane(&run, Scale::new(0.0, 100.0));
    let first = &run.states[0].positions;
    let last = &run.last().positions;
    for k in 0..2 {
        let (lo, hi) = (first[0][k].min(first[1][k]), first[0][k].max(first[1][k]));
        for row in last {
            assert!(lo - 0.01 <= row[k] && row[k] <= hi + 0.01);
        }
    }
    assert!(!run.turns[0].bargains.is_empty(), "someone proposes");
}

#[test]
fn a_mirrored_scale_gives_the_mirrored_run() {
    let actors = random_actors(7, 9, 2);
    let mirrored: Vec<_> = actors
        .iter()
        .map(|(c, x, s)| (*c, x.iter().map(|v| 100.0 - v).collect(), s.clone()))
        .collect();
    let scale = Scale::new(0.0, 100.0);
    let run = run_default(&scenario(&actors, scale));
    let run_m = run_default(&scenario(&mirrored, scale));
    assert_eq!(run.turns.len(), run_m.turns.len());
    for (a, b) in run.states.iter().zip(&run_m.states) {
        for (ra, rb) in a.positions.iter().zip(&b.positions) {
            for (x, y) in ra.iter().zip(rb) {
                assert!((x - (100.0 - y)).abs() < 1e-6, "{x} vs 100 - {y}");
            }
        }
    }
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let s = scenario(&random_actors(11, 24, 3), Scale::new(0.0, 100.0));
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a pool")
            .install(|| run_default(&s))
    };
    let one = on(1);
    assert_eq!(one, on(2));
    assert_eq!(one, on(3));
}

#[test]
fn any_scale_gives_the_same_run_rescaled() {
    let actors = random_actors(3, 8, 2);
    let shifted: Vec<_> = actors
        .iter()
        .map(|(c, x, s)| (*c, x.iter().map(|v| -5.0 + v / 10.0).collect(), s.clone()))
        .collect();
    let run = run_default(&scenario(&actors, Scale::new(0.0, 100.0)));
    let run_s = run_default(&scenario(&shifted, Scale::new(-5.0, 5.0)));
    assert_eq!(run.turns.len(), run_s.turns.len());
    for (a, b) in run.last().positions.iter().zip(&run_s.last().positions) {
        for (x, y) in a.iter().zip(b) {
            assert!((x / 10.0 - 5.0 - y).abs() < 1e-9);
        }
    }
}

#[test]
fn everyone_agreeing_settles_at_once() {
    let s = scenario(
        &[
            (10.0, vec![40.0], vec![0.5]),
            (20.0, vec![40.0], vec![0.9]),
            (30.0, vec![40.0], vec![0.1]),
        ],
        Scale::new(0.0, 100.0),
    );
    let run = run_default(&s);
    assert_sane(&run, Scale::new(0.0, 100.0));
    assert_eq!(run.turns.len(), 2);
    assert!(matches!(run.ending, SmpEnding::Converged { turn: 2, .. }));
    assert!(run.turns.iter().all(|t| t.bargains.is_empty()));
    assert_eq!(run.last().distribution.len(), 1);
    assert_eq!(run.forecast[0].expected, 40.0);
}

#[test]
fn every_parameter_value_runs_and_keeps_positions_in_range() {
    let s = scenario(&random_actors(5, 7, 2), Scale::new(0.0, 100.0));
    let base = SmpParams::default();
    let mut variants = Vec::new();
    for &v in VotingRule::ALL {
        variants.push(SmpParams { voting: v, ..base });
    }
    for &v in VictoryProbModel::ALL {
        variants.push(SmpParams { victory: v, ..base });
    }
    for &v in PceModel::ALL {
        variants.push(SmpParams { pce: v, ..base });
    }
    for &v in StateTransitions::ALL {
        variants.push(SmpParams {
            transitions: v,
            ..base
        });
    }
    for &v in BigRAdjust::ALL {
        variants.push(SmpParams {
            risk_adjust: v,
            ..base
        });
    }
    for &v in BigRRange::ALL {
        variants.push(SmpParams {
            risk_range: v,
            ..base
        });
    }
    for &v in ThirdPartyCommit::ALL {
        variants.push(SmpParams {
            third_party: v,
            ..base
        });
    }
    for &v in InterVecBrgn::ALL {
        variants.push(SmpParams {
            interpolation: v,
            ..base
        });
    }
    for &v in BargainModel::ALL {
        variants.push(SmpParams {
            bargaining: v,
            ..base
        });
    }
    for params in variants {
        let run = SpatialModel { params }.run_scenario(&s).expect("runs").1;
        assert_sane(&run, Scale::new(0.0, 100.0));
        if params.bargaining == BargainModel::InitRcvrInterp {
            let t = &run.turns[0];
            assert!(t.bargains.iter().any(|b| b.perspective == b.receiver));
        }
    }
}

#[test]
fn stochastic_runs_replay_with_their_seed() {
    let s = scenario(&random_actors(9, 8, 2), Scale::new(0.0, 100.0));
    let params = SmpParams {
        transitions: StateTransitions::Stochastic,
        pce: PceModel::MarkovIncentive,
        ..SmpParams::default()
    };
    let model = SpatialModel { params };
    let a = model.run_scenario(&s).unwrap().1;
    assert_eq!(a, model.run_scenario(&s).unwrap().1);
    // Every adopted position is one of the queue's options.
    for (t, turn) in a.turns.iter().enumerate() {
        for (k, q) in turn.queues.iter().enumerate() {
            let expected = match q.accepted {
                None => a.states[t].positions[k].clone(),
                Some(b) if turn.bargains[b].initiator == k => {
                    turn.bargains[b].initiator_position.clone()
                }
                Some(b) => turn.bargains[b].receiver_position.clone(),
            };
            assert_eq!(a.states[t + 1].positions[k], expected);
        }
    }
}

#[test]
fn the_stopping_rule_is_kept() {
    let s = scenario(&random_actors(21, 10, 1), Scale::new(0.0, 100.0));
    let mut params = SmpParams::default();
    params.stop.max_turns = 1;
    let run = SpatialModel { params }.run_scenario(&s).unwrap().1;
    assert_eq!(run.turns.len(), 1);
    assert_eq!(run.ending, SmpEnding::MaxTurns { turns: 1 });
    let full = run_default(&s);
    if let SmpEnding::Converged { turn, ratio } = full.ending {
        assert_eq!(turn, full.turns.len());
        assert!(ratio < 0.02);
        assert!(full.turns[..turn - 1]
            .iter()
            .skip(1)
            .all(|t| t.movement_ratio >= 0.02));
    }
    params.stop.max_turns = 0;
    assert!(matches!(
        SpatialModel { params }.run_scenario(&s),
        Err(SmpError::InvalidParameter(_))
    ));
}

#[test]
fn saliences_above_one_are_shares_of_attention() {
    // Each actor's saliences sum to 1, then are doubled (each stays within 0..1).
    let shares: Vec<_> = random_actors(13, 6, 3)
        .into_iter()
        .map(|(c, x, _)| (c, x, vec![0.3, 0.45, 0.25]))
        .collect();
    let loud: Vec<_> = shares
        .iter()
        .map(|(c, x, s)| (*c, x.clone(), s.iter().map(|v| v * 2.0).collect::<Vec<_>>()))
        .collect();
    let shares: Vec<_> = shares
        .into_iter()
        .map(|(c, x, s)| (c, x, s.iter().map(|v| v * 0.999_999).collect::<Vec<_>>()))
        .collect();
    let input = SmpInput::from_scenario(&scenario(&loud, Scale::new(0.0, 100.0))).unwrap();
    assert!(input
        .notes
        .iter()
        .any(|n| n.contains("divided by their sum")));
    for row in &input.salience {
        let total: f64 = row.iter().sum();
        assert!((total - 1.0).abs() < 1e-12);
    }
    let a = run(&input, &SmpParams::default()).unwrap();
    let b = run_default(&scenario(&shares, Scale::new(0.0, 100.0)));
    assert_sane(&a, Scale::new(0.0, 100.0));
    assert_eq!(a.turns.len(), b.turns.len());
    for (x, y) in a.last().positions.iter().zip(&b.last().positions) {
        for (p, q) in x.iter().zip(y) {
            assert!((p - q).abs() < 1e-3, "{p} vs {q}");
        }
    }
}

#[test]
fn a_missing_stance_is_noted_and_an_actor_without_salience_takes_no_part() {
    let mut parts = scenario(&random_actors(4, 4, 2), Scale::new(0.0, 100.0)).into_parts();
    parts.issues[1].status_quo = Some(30.0);
    parts.stances[2][1] = None;
    let s = Scenario::new(parts.clone()).unwrap();
    let input = SmpInput::from_scenario(&s).unwrap();
    assert_eq!(input.salience[2][1], 0.0);
    assert!((input.position[2][1] - 0.3).abs() < 1e-15);
    assert!(input.notes[0].contains("A2 on d1"));
    assert_sane(&run_default(&s), Scale::new(0.0, 100.0));

    parts.stances[2][0].as_mut().unwrap().salience = 0.0;
    let s = Scenario::new(parts).unwrap();
    let forecast = SpatialModel::default().forecast(&s);
    assert!(forecast.issues.iter().all(|f| f.value.is_some()));
    assert!(forecast.issues[0]
        .note
        .as_deref()
        .unwrap()
        .contains("without A2"));
}

#[test]
fn ideal_adjustment_identity_is_the_default_and_bad_rows_are_refused() {
    let s = scenario(&random_actors(17, 5, 2), Scale::new(0.0, 100.0));
    let mut input = SmpInput::from_scenario(&s).unwrap();
    let plain = run(&input, &SmpParams::default()).unwrap();
    input.set_ideal_adjustment(&[(0, 0, 1.0)]).unwrap();
    assert_eq!(run(&input, &SmpParams::default()).unwrap(), plain);

    input
        .set_ideal_adjustment(&[(0, 0, 0.8), (1, 1, 0.5), (1, 0, 0.2)])
        .unwrap();
    let lagging = run(&input, &SmpParams::default()).unwrap();
    assert!(lagging.states[1].ideals.is_some());
    assert!(matches!(
        input.set_ideal_adjustment(&[(1, 0, 0.3)]),
        Err(SmpError::IdealAdjustment { .. })
    ));
    assert!(matches!(
        input.set_ideal_adjustment(&[(1, 1, -0.1)]),
        Err(SmpError::IdealAdjustment { .. })
    ));
}

#[test]
fn ideals_follow_the_accommodation_matrix() {
    let a = vec![vec![0.5, 0.25], vec![0.0, 1.0]];
    let position = vec![vec![0.2, 0.4], vec![0.6, 0.8]];
    let ideal = vec![vec![0.0, 1.0], vec![0.3, 0.3]];
    let next = turn::adjusted_ideals(&a, &position, &ideal);
    // 0.5 * 0.2 + 0.25 * 0.6 + 0.25 * 0 = 0.25; 0.5 * 0.4 + 0.25 * 0.8 + 0.25 * 1 = 0.65.
    assert!((next[0][0] - 0.25).abs() < 1e-15 && (next[0][1] - 0.65).abs() < 1e-15);
    assert_eq!(next[1], vec![0.6, 0.8]);
}

#[test]
fn the_model_interface_forecasts_every_issue() {
    let s = scenario(&random_actors(8, 6, 3), Scale::new(0.0, 100.0));
    let forecast = SpatialModel::default().forecast(&s);
    assert_eq!(forecast.model, "smp");
    assert_eq!(forecast.issues.len(), 3);
    assert!(forecast.issues.iter().all(|f| f.value.is_some()));
    let one = SpatialModel::default().forecast_issue(&s, 2);
    assert_eq!(one, forecast.issues[2]);
    let lines = narrate(&run_default(&s));
    assert!(lines[0].starts_with("SMP over d0, d1, d2 (6 actors)"));
    assert!(lines.last().unwrap().contains("Forecast"));
}

#[test]
fn distinct_positions_join_the_first_close_one() {
    let p = vec![
        vec![0.1],
        vec![0.1005],
        vec![0.5],
        vec![0.1009],
        vec![0.5009],
    ];
    let (unique, member) = turn::distinct_positions(&p);
    assert_eq!(unique, vec![0, 2]);
    assert_eq!(member, vec![0, 0, 1, 0, 1]);
}

#[test]
fn an_actor_with_no_salience_anywhere_takes_no_part() {
    let actors = random_actors(21, 5, 2);
    let mut with_silent = actors.clone();
    with_silent.insert(2, (80.0, vec![10.0, 90.0], vec![0.0, 0.0]));
    let silent = scenario(&with_silent, Scale::new(0.0, 100.0));
    let input = SmpInput::from_scenario(&silent).expect("the others bargain");
    assert_eq!(input.left_out, vec!["A2".to_owned()]);
    assert_eq!(input.participants, vec![0, 1, 3, 4, 5]);
    assert!(input
        .notes
        .iter()
        .any(|n| n.contains("A2") && n.contains("no part")));
    // Leaving it out is the same as not having it: the same run as on the other five.
    let without = scenario(&actors, Scale::new(0.0, 100.0));
    let (a, b) = (run_default(&silent), run_default(&without));
    assert_eq!(a.states.len(), b.states.len());
    for k in 0..2 {
        assert_eq!(a.forecast[k].expected, b.forecast[k].expected);
    }
    let forecast = SpatialModel::default().forecast(&silent);
    assert!(forecast.issues.iter().all(|f| f.value.is_some()));
    assert!(forecast.issues[0]
        .note
        .as_deref()
        .unwrap()
        .contains("without A2"));
}

#[test]
fn fewer_than_two_actors_with_salience_cannot_bargain() {
    let actors = vec![
        (50.0, vec![10.0], vec![0.5]),
        (50.0, vec![90.0], vec![0.0]),
        (50.0, vec![40.0], vec![0.0]),
    ];
    let s = scenario(&actors, Scale::new(0.0, 100.0));
    let error = SmpInput::from_scenario(&s).unwrap_err();
    assert!(error.to_string().contains("only one actor"), "{error}");
    let forecast = SpatialModel::default().forecast(&s);
    assert!(forecast.issues[0].value.is_none());
}

#[test]
fn an_ending_never_says_it_moved_the_actors_zero_percent() {
    let said = |ratio: f64| describe_ending(&SmpEnding::Converged { turn: 2, ratio });
    assert!(
        said(0.0004).contains("less than 0.1% as much"),
        "{}",
        said(0.0004)
    );
    assert!(said(0.001).contains("0.1% as much"), "{}", said(0.001));
    assert!(said(0.0123).contains("1.2% as much"), "{}", said(0.0123));
}
