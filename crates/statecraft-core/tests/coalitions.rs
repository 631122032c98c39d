//! The 6-0 / 5-1 analysis on cases with a known answer, and one-issue win-sets against a
//! brute-force scan of the scale.

use proptest::prelude::*;
use statecraft_core::coalitions::{analyse, win_set_on_issue, Shape, Utilities};
use statecraft_core::scenario::{Actor, Issue, RedLine, Scale, Scenario, ScenarioParts, Stance};

/// Issues `i1`, `i2`, ... on 0..100 with the given status quo.
fn issues(status_quo: &[f64]) -> Vec<Issue> {
    status_quo
        .iter()
        .enumerate()
        .map(|(k, &q)| {
            let mut issue = Issue::new(format!("i{}", k + 1), Scale::new(0.0, 100.0));
            issue.status_quo = Some(q);
            issue
        })
        .collect()
}

/// An actor with capability 10 and (position, salience) per issue.
fn actor(id: &str, stances: &[(f64, f64)]) -> (Actor, Vec<Option<Stance>>) {
    (
        Actor::new(id, 10.0),
        stances
            .iter()
            .map(|&(p, s)| Some(Stance::new(p, s)))
            .collect(),
    )
}

fn scenario(status_quo: &[f64], actors: Vec<(Actor, Vec<Option<Stance>>)>) -> Scenario {
    let (actors, stances) = actors.into_iter().unzip();
    Scenario::new(ScenarioParts {
        actors,
        issues: issues(status_quo),
        stances,
        ..ScenarioParts::default()
    })
    .unwrap()
}

/// Five actors who want both issues raised to 80 and one, `H`, who wants both at 0 and asks for
/// a gain of 0.05 before it signs; the status quo is 50, 50. With linear losses H accepts only
/// packages with x1 + x2 < 93.75 (0.8 (100 - x1 - x2) / 100 > 0.05), the five only x1 + x2 > 100.
fn five_against_one() -> Scenario {
    let mut actors: Vec<_> = (1..=5)
        .map(|k| actor(&format!("A{k}"), &[(80.0, 0.8), (80.0, 0.8)]))
        .collect();
    let (mut h, stances) = actor("H", &[(0.0, 0.8), (0.0, 0.8)]);
    h.reservation = 0.05;
    actors.push((h, stances));
    scenario(&[50.0, 50.0], actors)
}

#[test]
fn five_against_one_has_no_6_0_and_one_5_1_coalition() {
    for shape in [Shape::Linear, Shape::Quadratic] {
        let a = analyse(&five_against_one(), shape).unwrap();
        assert!(a.unanimous.is_none(), "{shape:?}");
        assert!(a.converged, "{shape:?}");
        assert_eq!(a.coalitions.len(), 1, "{shape:?}: {:?}", a.coalitions);
        let best = &a.coalitions[0];
        assert_eq!(best.outsiders, vec!["H".to_string()]);
        assert!(best.package.min_gain > 0.0);
        // The five do best at their common ideal. A quadratic gain is flat at its top, so the
        // cutting planes pin the gain to 1e-7 but the place only to about its square root
        // (3e-4 of the range: 0.03 here).
        let tolerance = match shape {
            Shape::Linear => 1e-6,
            Shape::Quadratic => 0.05,
        };
        for v in &best.package.values {
            assert!(
                (v - 80.0).abs() < tolerance,
                "{shape:?}: {:?}",
                best.package.values
            );
        }
        let blame = a.blame.as_ref().expect("a 5-1 has a holdout");
        assert_eq!(blame.holdout, "H");
        assert!(blame.red_line.is_none());
        // The most H can get from the five leaves it short of the status quo.
        assert!(
            blame.holdout_net_gain < 0.0,
            "{shape:?}: {}",
            blame.holdout_net_gain
        );
        // Bringing H in costs the five: every one of them would lose.
        assert!(
            blame.to_bring_in.is_some(),
            "H accepts packages on its side"
        );
        assert_eq!(
            blame.sacrifices.len(),
            5,
            "{shape:?}: {:?}",
            blame.sacrifices
        );
    }
}

#[test]
fn five_against_one_blame_is_exact_with_linear_losses() {
    // The five accept x1 + x2 >= 100 at best; H's gain is 0.8 (100 - x1 - x2) / 100, at most 0
    // there, so H falls short of its margin by exactly 0.05.
    let a = analyse(&five_against_one(), Shape::Linear).unwrap();
    let blame = a.blame.unwrap();
    assert!(
        (blame.holdout_net_gain + 0.05).abs() < 1e-9,
        "{}",
        blame.holdout_net_gain
    );
    let sum: f64 = blame.most_generous.values.iter().sum();
    assert!(
        (sum - 100.0).abs() < 1e-6,
        "{:?}",
        blame.most_generous.values
    );
}

/// H's red line forbids issue 1 at or below 60 (the status quo is 70); the five care most about
/// issue 1 and ask for a gain of 0.12 before they sign, which needs issue 1 at 58 or lower.
fn blocked_by_a_red_line() -> Scenario {
    let mut actors: Vec<_> = (1..=5)
        .map(|k| {
            let (mut a, stances) = actor(&format!("A{k}"), &[(0.0, 1.0), (50.0, 0.1)]);
            a.reservation = 0.12;
            (a, stances)
        })
        .collect();
    let (mut h, stances) = actor("H", &[(100.0, 0.2), (100.0, 1.0)]);
    h.red_lines.push(RedLine {
        issue: 0,
        min: 0.0,
        max: 60.0,
        note: None,
    });
    actors.push((h, stances));
    scenario(&[70.0, 50.0], actors)
}

#[test]
fn a_red_line_that_blocks_every_package_is_named() {
    let a = analyse(&blocked_by_a_red_line(), Shape::Linear).unwrap();
    assert!(a.unanimous.is_none());
    assert_eq!(a.coalitions[0].outsiders, vec!["H".to_string()]);
    let blame = a.blame.unwrap();
    assert_eq!(blame.red_line.as_deref(), Some("i1"));
    // Without the red line H would gain: the red line, not its interests, blocks.
    assert!(blame.holdout_net_gain > 0.0);
    let in_reach = blame
        .to_bring_in
        .expect("H accepts packages outside its red line");
    assert!(in_reach.values[0] > 60.0);
    assert_eq!(blame.sacrifices.len(), 5);
}

#[test]
fn when_all_agree_the_package_is_accepted_by_all() {
    let actors = vec![
        actor("A", &[(80.0, 0.5), (20.0, 0.9)]),
        actor("B", &[(70.0, 0.9), (40.0, 0.3)]),
        actor("C", &[(90.0, 0.2), (10.0, 0.6)]),
    ];
    let s = scenario(&[50.0, 50.0], actors);
    for shape in [Shape::Linear, Shape::Quadratic] {
        let a = analyse(&s, shape).unwrap();
        let package = a
            .unanimous
            .expect("all three want both issues moved the same way");
        let u = Utilities::new(&s, shape).unwrap();
        for i in 0..3 {
            assert!(u.accepts(i, &package.values), "{shape:?}: actor {i}");
        }
        // The extent of each issue holds the package, and is more than a point.
        for (k, extent) in a.unanimous_extent.iter().enumerate() {
            let extent = extent.expect("a non-empty win-set has an extent");
            let v = package.values[k];
            assert!(
                extent.lo <= v + 1e-9 && v <= extent.hi + 1e-9,
                "{shape:?}: {extent:?} {v}"
            );
            assert!(extent.hi - extent.lo > 1.0, "{shape:?}: {extent:?}");
        }
    }
}

#[test]
fn an_issue_without_a_status_quo_is_refused() {
    let mut parts = five_against_one().into_parts();
    parts.issues[1].status_quo = None;
    let s = Scenario::new(parts).unwrap();
    let error = analyse(&s, Shape::Linear).unwrap_err();
    assert!(error.to_string().contains("`i2`"), "{error}");
}

/// Random one-issue scenarios with red lines, margins and affinities.
fn one_issue() -> impl Strategy<Value = Scenario> {
    let actor = (
        0.0f64..=100.0,
        0.05f64..=1.0,
        prop::option::of((0.0f64..=100.0, 0.0f64..=30.0)),
        prop::sample::select(vec![0.0, 0.0, 0.05]),
        prop::option::of(0.0f64..=1.0),
    );
    (0.0f64..=100.0, prop::collection::vec(actor, 2..6)).prop_map(|(q, list)| {
        let n = list.len();
        let mut actors = Vec::new();
        let mut stances = Vec::new();
        for (k, (p, s, line, margin, affinity)) in list.into_iter().enumerate() {
            let mut a = Actor::new(format!("A{k}"), 1.0);
            if let Some((start, width)) = line {
                // A red line that keeps clear of the actor's own position.
                let (min, max) = (start, (start + width).min(100.0));
                if !(min..=max).contains(&p) {
                    a.red_lines.push(RedLine {
                        issue: 0,
                        min,
                        max,
                        note: None,
                    });
                }
            }
            a.reservation = margin;
            if let Some(share) = affinity {
                a.affinity.push(((k + 1) % n, share));
            }
            actors.push(a);
            stances.push(vec![Some(Stance::new(p, s))]);
        }
        Scenario::new(ScenarioParts {
            actors,
            issues: issues(&[q]),
            stances,
            ..ScenarioParts::default()
        })
        .unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn one_issue_win_sets_equal_a_scan_of_the_scale(s in one_issue(), quadratic in any::<bool>()) {
        let shape = if quadratic { Shape::Quadratic } else { Shape::Linear };
        let u = Utilities::new(&s, shape).unwrap();
        let everyone: Vec<usize> = (0..s.actors().len()).collect();
        let set = win_set_on_issue(&u, &everyone, 0);
        let mut x = vec![0.0];
        for step in 0..=2000 {
            x[0] = step as f64 * 0.05;
            // Points within a hair of an end are where rounding decides; skip them.
            if set.iter().any(|iv| (iv.lo - x[0]).abs() < 1e-6 || (iv.hi - x[0]).abs() < 1e-6) {
                continue;
            }
            let inside = set.iter().any(|iv| iv.lo < x[0] && x[0] < iv.hi);
            let all_accept = everyone.iter().all(|&i| u.accepts(i, &x));
            prop_assert_eq!(inside, all_accept, "x = {}, set {:?}", x[0], set);
        }
    }
}

/// Random two-issue scenarios on a coarse grid of positions (so that actors and partners share
/// positions), with red lines, margins and affinities.
fn two_issues() -> impl Strategy<Value = Scenario> {
    let grid = prop::sample::select(vec![0.0, 20.0, 40.0, 50.0, 60.0, 80.0, 100.0]);
    let actor = (
        (grid.clone(), 0.05f64..=1.0),
        (grid, 0.05f64..=1.0),
        prop::option::of((0usize..2, 0.0f64..=90.0, 5.0f64..=30.0)),
        prop::sample::select(vec![0.0, 0.0, 0.02]),
        prop::option::of(0.0f64..=1.0),
    );
    (
        prop::sample::select(vec![30.0, 50.0, 70.0]),
        prop::collection::vec(actor, 2..5),
    )
        .prop_map(|(q, list)| {
            let n = list.len();
            let mut actors = Vec::new();
            let mut stances = Vec::new();
            for (k, (s1, s2, line, margin, affinity)) in list.into_iter().enumerate() {
                let mut a = Actor::new(format!("A{k}"), 1.0 + k as f64);
                let own = [s1.0, s2.0];
                if let Some((issue, min, width)) = line {
                    let max = (min + width).min(100.0);
                    if !(min..=max).contains(&own[issue]) {
                        a.red_lines.push(RedLine {
                            issue,
                            min,
                            max,
                            note: None,
                        });
                    }
                }
                a.reservation = margin;
                if let Some(share) = affinity {
                    a.affinity.push(((k + 1) % n, share));
                }
                actors.push(a);
                stances.push(vec![
                    Some(Stance::new(s1.0, s1.1)),
                    Some(Stance::new(s2.0, s2.1)),
                ]);
            }
            Scenario::new(ScenarioParts {
                actors,
                issues: issues(&[q, 100.0 - q]),
                stances,
                ..ScenarioParts::default()
            })
            .unwrap()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The optimiser's verdict on 6-0 agrees with a scan of a 51 x 51 grid of packages: a package
    /// it returns is accepted by all, and when it finds none, no grid package is either.
    #[test]
    fn unanimity_agrees_with_a_grid_scan(s in two_issues()) {
        let u = Utilities::new(&s, Shape::Linear).unwrap();
        let n = s.actors().len();
        let a = analyse(&s, Shape::Linear).unwrap();
        prop_assert!(a.converged);
        match &a.unanimous {
            Some(p) => {
                for i in 0..n {
                    prop_assert!(u.accepts(i, &p.values), "actor {} refuses {:?}", i, p.values);
                }
            }
            None => {
                for x1 in 0..=50 {
                    for x2 in 0..=50 {
                        let x = [x1 as f64 * 2.0, x2 as f64 * 2.0];
                        let all = (0..n).all(|i| u.accepts(i, &x));
                        prop_assert!(!all, "every actor accepts {:?}, but no unanimous package was found", x);
                    }
                }
            }
        }
        for c in &a.coalitions {
            for m in &c.members {
                let i = s.actor_index(m).unwrap();
                prop_assert!(u.accepts(i, &c.package.values), "{} refuses its coalition's package", m);
            }
        }
    }
}

#[test]
fn the_nash_point_beats_every_package_of_a_grid() {
    // Three actors who all want issue 1 up and issue 2 down, with different saliences: the Nash
    // point maximises sum c_i ln(net gain_i) (capabilities 10) over the win-set.
    let actors = vec![
        actor("A", &[(80.0, 0.5), (20.0, 0.9)]),
        actor("B", &[(70.0, 0.9), (40.0, 0.3)]),
        actor("C", &[(90.0, 0.2), (10.0, 0.6)]),
    ];
    let s = scenario(&[50.0, 50.0], actors);
    let a = analyse(&s, Shape::Linear).unwrap();
    assert!(a.converged);
    let nash = a.nash.expect("a non-empty win-set has a Nash point");
    let u = Utilities::new(&s, Shape::Linear).unwrap();
    let objective = |x: &[f64]| -> Option<f64> {
        (0..3)
            .map(|i| {
                let g = u.gain(i, x) - u.margin(i);
                (g > 0.0).then(|| 10.0 * g.ln())
            })
            .sum()
    };
    let best = objective(&nash.values).expect("inside the win-set");
    for x1 in 0..=100 {
        for x2 in 0..=100 {
            if let Some(v) = objective(&[x1 as f64, x2 as f64]) {
                assert!(v <= best + 1e-6, "({x1}, {x2}) gives {v} > {best}");
            }
        }
    }
    // Quadratic losses: not computed.
    assert!(analyse(&s, Shape::Quadratic).unwrap().nash.is_none());
}
