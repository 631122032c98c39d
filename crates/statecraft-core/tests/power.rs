//! Voting power indices checked against values worked out by hand (the UN Security Council and
//! small textbook games), against full enumeration of coalitions (proptest), against the
//! properties every index has, and, for Monte Carlo, against the exact values within four
//! standard errors and across thread counts.

mod common;
use common::on_threads;

use proptest::prelude::*;
use statecraft_core::power::{
    enumerate, exact, monte_carlo, power_indices, Choice, Game, Method, PowerConfig, PowerError,
    PowerIndices, Rule,
};

/// Indices to compare with, in player order: (Shapley-Shubik, normalised Banzhaf, absolute
/// Banzhaf).
type Expected = Vec<(f64, f64, f64)>;

/// The UN Security Council: five permanent members of weight 7, ten others of weight 1, quota
/// 39, so a resolution needs all five permanent members and at least four others.
///
/// Shapley-Shubik, non-permanent member j: j is pivotal when exactly the five permanent members
/// and three of the other nine non-permanent members come before it, in C(9,3) = 84 sets of size
/// 8, each weighted 8! 6! / 15! = 1 / 45045: phi = 84 / 45045 = 4 / 2145 = 0.0018648.
/// Permanent member: (1 - 10 * 4/2145) / 5 = 421 / 2145 = 0.19627.
///
/// Banzhaf: j swings when the others are the five permanent members and exactly three others:
/// 84 swings. A permanent member swings whenever the other four permanent members and at least
/// four non-permanent members are in: sum_{k=4}^{10} C(10,k) = 1024 - 176 = 848 swings. Total
/// 5 * 848 + 10 * 84 = 5080: normalised 848/5080 = 0.16693 and 84/5080 = 0.016535; absolute
/// 848/2^14 = 0.051758 and 84/2^14 = 0.0051270.
fn security_council() -> (Vec<u64>, u64, Expected) {
    let mut weights = vec![7; 5];
    weights.extend([1; 10]);
    let permanent = (421.0 / 2145.0, 848.0 / 5080.0, 848.0 / 16384.0);
    let elected = (4.0 / 2145.0, 84.0 / 5080.0, 84.0 / 16384.0);
    let mut expected = vec![permanent; 5];
    expected.extend([elected; 10]);
    (weights, 39, expected)
}

/// Small games whose indices are worked out in the comments.
fn hand_cases() -> Vec<(&'static str, Vec<Rule>, Expected)> {
    let (weights, quota, council) = security_council();
    vec![
        ("security council", vec![Rule::new(weights, quota)], council),
        // Symmetric majority: everyone alike.
        (
            "three equal, majority",
            vec![Rule::new(vec![1, 1, 1], 2)],
            vec![(1.0 / 3.0, 1.0 / 3.0, 0.5); 3],
        ),
        // 50/49/1 with quota 51: the big player is pivotal in 4 of 6 orderings; it swings with
        // {49}, {1} and {49, 1}, each small player only with {50}.
        (
            "50-49-1",
            vec![Rule::new(vec![50, 49, 1], 51)],
            vec![
                (2.0 / 3.0, 0.6, 0.75),
                (1.0 / 6.0, 0.2, 0.25),
                (1.0 / 6.0, 0.2, 0.25),
            ],
        ),
        // 2/2/1 with quota 4: the weight-1 player never swings (the others weigh 0, 2, 2 or 4).
        (
            "dummy",
            vec![Rule::new(vec![2, 2, 1], 4)],
            vec![(0.5, 0.5, 0.5), (0.5, 0.5, 0.5), (0.0, 0.0, 0.0)],
        ),
        // Unanimity of four: each swings only with all three others in (1 of 8 coalitions).
        (
            "unanimity of four",
            vec![Rule::unanimity(4)],
            vec![(0.25, 0.25, 0.125); 4],
        ),
        // A dictator: weight 5 meets the quota alone; the others never matter.
        (
            "dictator",
            vec![Rule::new(vec![5, 1, 1], 5)],
            vec![(1.0, 1.0, 1.0), (0.0, 0.0, 0.0), (0.0, 0.0, 0.0)],
        ),
        // Double majority: two of three members, and weight 3 of 5 in the second rule, which
        // only coalitions with player 1 reach; so the winning coalitions are {1,2}, {1,3} and
        // {1,2,3}, the game of 50-49-1.
        (
            "double majority",
            vec![Rule::new(vec![1, 1, 1], 2), Rule::new(vec![3, 1, 1], 3)],
            vec![
                (2.0 / 3.0, 0.6, 0.75),
                (1.0 / 6.0, 0.2, 0.25),
                (1.0 / 6.0, 0.2, 0.25),
            ],
        ),
        // Common divisor: weights 20/20/10 and quota 31 are the game 2/2/1 with quota 4.
        (
            "common divisor",
            vec![Rule::new(vec![20, 20, 10], 31)],
            vec![(0.5, 0.5, 0.5), (0.5, 0.5, 0.5), (0.0, 0.0, 0.0)],
        ),
    ]
}

fn assert_indices(name: &str, got: &PowerIndices, expected: &Expected, tolerance: f64) {
    assert_eq!(got.players.len(), expected.len(), "{name}");
    for (i, (p, &(ss, bz, abs))) in got.players.iter().zip(expected).enumerate() {
        for (what, value, want) in [
            ("Shapley-Shubik", p.shapley_shubik, ss),
            ("Banzhaf", p.banzhaf, bz),
            ("absolute Banzhaf", p.banzhaf_absolute, abs),
        ] {
            assert!(
                (value - want).abs() <= tolerance,
                "{name}: player {i}: {what} {value} but expected {want}"
            );
        }
    }
}

#[test]
fn hand_worked_games_exact_and_enumerated() {
    for (name, rules, expected) in hand_cases() {
        let game = Game::new(rules).unwrap();
        let got = exact(&game).unwrap();
        assert_eq!(got.method, Method::Exact, "{name}");
        assert!(got.players.iter().all(|p| p.standard_errors.is_none()));
        assert_indices(name, &got, &expected, 1e-12);
        assert_indices(name, &enumerate(&game).unwrap(), &expected, 1e-12);
    }
}

#[test]
fn security_council_to_four_significant_digits() {
    let (weights, quota, _) = security_council();
    let got = exact(&Game::weighted(weights, quota).unwrap()).unwrap();
    let round4 = |x: f64| {
        let scale = 10f64.powi(3 - x.abs().log10().floor() as i32);
        (x * scale).round() / scale
    };
    let (permanent, elected) = (&got.players[0], &got.players[5]);
    assert_eq!(round4(permanent.shapley_shubik), 0.1963);
    assert_eq!(round4(elected.shapley_shubik), 0.001865);
    assert_eq!(round4(permanent.banzhaf), 0.1669);
    assert_eq!(round4(elected.banzhaf), 0.01654);
}

#[test]
fn dummies_get_exactly_zero() {
    // Weights 10, 10, 10, 1, 1 and quota 20: two of the big three always decide; the sums of
    // the small players (0..=2) cannot bridge 10 to 20.
    let game = Game::weighted(vec![10, 10, 10, 1, 1], 20).unwrap();
    let got = exact(&game).unwrap();
    for p in &got.players[3..] {
        assert_eq!(p.shapley_shubik, 0.0);
        assert_eq!(p.banzhaf, 0.0);
        assert_eq!(p.banzhaf_absolute, 0.0);
    }
    let mc = monte_carlo(&game, 5_000, 7).unwrap();
    assert_eq!(mc.players[3].shapley_shubik, 0.0);
    assert_eq!(mc.players[4].banzhaf, 0.0);
}

#[test]
fn invalid_games_are_refused_with_the_reason() {
    let cases: Vec<(Vec<Rule>, PowerError)> = vec![
        (vec![], PowerError::NoRules),
        (vec![Rule::new(vec![], 1)], PowerError::NoPlayers),
        (
            vec![Rule::new(vec![1, 2], 2), Rule::new(vec![1, 2, 3], 2)],
            PowerError::WeightCount {
                rule: 2,
                found: 3,
                expected: 2,
            },
        ),
        (
            vec![Rule::new(vec![1, 2], 0)],
            PowerError::QuotaOutOfRange {
                rule: 1,
                quota: 0,
                total: 3,
            },
        ),
        (
            vec![Rule::new(vec![1, 2], 4)],
            PowerError::QuotaOutOfRange {
                rule: 1,
                quota: 4,
                total: 3,
            },
        ),
        (
            vec![Rule::new(vec![u64::MAX, 1], 5)],
            PowerError::TotalOverflow { rule: 1 },
        ),
    ];
    for (rules, error) in cases {
        assert_eq!(Game::new(rules.clone()), Err(error.clone()), "{rules:?}");
        assert!(!error.to_string().is_empty());
    }
    let game = Game::weighted(vec![1, 1], 1).unwrap();
    assert_eq!(
        monte_carlo(&game, 1, 0),
        Err(PowerError::TooFewSamples { samples: 1 })
    );
    let wide = Game::new(vec![Rule::new(vec![1; 30], 16), Rule::new(vec![2; 30], 40)]).unwrap();
    assert!(matches!(
        exact(&wide),
        Err(PowerError::TooManyPlayers { players: 30, .. })
    ));
}

#[test]
fn quotas_from_shares_are_computed_in_integers() {
    // 0.07 * 100 is 7.000000000000001 in floating point; the quota must still be 7.
    assert_eq!(Rule::with_share(vec![50, 50], 7, 100).quota, 7);
    assert_eq!(Rule::with_share(vec![50, 50], 65, 100).quota, 65);
    assert_eq!(Rule::with_share(vec![1, 1, 1], 1, 2).quota, 2);
    assert_eq!(Rule::majority(vec![1, 1, 1, 1]).quota, 3);
    assert_eq!(Rule::majority(vec![7; 5]).quota, 18);
}

#[test]
fn auto_chooses_exact_when_feasible_and_monte_carlo_otherwise() {
    let config = PowerConfig {
        choice: Choice::Auto,
        samples: 2_000,
        seed: 3,
    };
    let single = Game::weighted((1..=300).collect(), 300 * 301 / 4 + 1).unwrap();
    assert_eq!(
        power_indices(&single, &config).unwrap().method,
        Method::Exact
    );
    let members = vec![1; 27];
    let population: Vec<u64> = (1..=27).map(|k| k * k).collect();
    let double = Game::new(vec![
        Rule::new(members, 15),
        Rule::with_share(population, 65, 100),
    ])
    .unwrap();
    let got = power_indices(&double, &config).unwrap();
    assert_eq!(got.method, Method::MonteCarlo);
    assert_eq!(got.samples, Some(2_000));
    assert!(got.players.iter().all(|p| p.standard_errors.is_some()));
    let forced = PowerConfig {
        choice: Choice::MonteCarlo,
        ..config
    };
    let small = Game::weighted(vec![3, 2, 1], 4).unwrap();
    assert_eq!(
        power_indices(&small, &forced).unwrap().method,
        Method::MonteCarlo
    );
}

/// A large game (300 players, weights 1..=300, quota just over half): the indices sum to 1 and
/// never decrease with weight, and equal weights get identical values.
#[test]
fn large_game_is_consistent() {
    let mut weights: Vec<u64> = (1..=300).collect();
    weights.extend([150, 150]);
    let total: u64 = weights.iter().sum();
    let got = exact(&Game::weighted(weights.clone(), total / 2 + 1).unwrap()).unwrap();
    let sum_ss: f64 = got.players.iter().map(|p| p.shapley_shubik).sum();
    let sum_bz: f64 = got.players.iter().map(|p| p.banzhaf).sum();
    assert!((sum_ss - 1.0).abs() < 1e-12, "{sum_ss}");
    assert!((sum_bz - 1.0).abs() < 1e-12, "{sum_bz}");
    for pair in got.players[..300].windows(2) {
        assert!(pair[0].shapley_shubik <= pair[1].shapley_shubik * (1.0 + 1e-9));
        assert!(pair[0].banzhaf_absolute <= pair[1].banzhaf_absolute * (1.0 + 1e-9));
    }
    assert_eq!(got.players[149], got.players[300]);
    assert_eq!(got.players[149], got.players[301]);
}

/// A 12-player game with several weight classes.
fn twelve() -> Game {
    Game::weighted(vec![9, 8, 8, 6, 5, 5, 4, 3, 2, 2, 1, 1], 28).unwrap()
}

#[test]
fn monte_carlo_is_within_four_standard_errors_of_exact() {
    let game = twelve();
    let truth = exact(&game).unwrap();
    let estimate = monte_carlo(&game, 40_000, 11).unwrap();
    assert_eq!(estimate.method, Method::MonteCarlo);
    for (i, (t, e)) in truth.players.iter().zip(&estimate.players).enumerate() {
        let se = e.standard_errors.expect("Monte Carlo reports errors");
        for (what, exact_value, estimated, error) in [
            ("SS", t.shapley_shubik, e.shapley_shubik, se.shapley_shubik),
            ("Bz", t.banzhaf, e.banzhaf, se.banzhaf),
            (
                "abs Bz",
                t.banzhaf_absolute,
                e.banzhaf_absolute,
                se.banzhaf_absolute,
            ),
        ] {
            assert!(error > 0.0 && error < 0.01, "player {i} {what}: se {error}");
            assert!(
                (estimated - exact_value).abs() <= 4.0 * error,
                "player {i} {what}: {estimated} vs exact {exact_value} (se {error})"
            );
        }
    }
}

#[test]
fn monte_carlo_of_a_double_majority_matches_enumeration() {
    let game = Game::new(vec![
        Rule::new(vec![1; 10], 6),
        Rule::new(vec![30, 25, 12, 9, 8, 6, 4, 3, 2, 1], 65),
    ])
    .unwrap();
    let truth = enumerate(&game).unwrap();
    let estimate = monte_carlo(&game, 30_000, 5).unwrap();
    for (t, e) in truth.players.iter().zip(&estimate.players) {
        let se = e.standard_errors.unwrap();
        assert!((e.shapley_shubik - t.shapley_shubik).abs() <= 4.0 * se.shapley_shubik);
        assert!((e.banzhaf - t.banzhaf).abs() <= 4.0 * se.banzhaf);
    }
}

#[test]
fn monte_carlo_is_the_same_on_one_and_two_threads() {
    let game = twelve();
    let on = |threads: usize| on_threads(threads, || monte_carlo(&game, 10_000, 42).unwrap());
    let one = on(1);
    assert_eq!(one, on(2));
    assert_ne!(one, monte_carlo(&game, 10_000, 43).unwrap());
}

#[test]
fn exact_is_the_same_on_one_and_two_threads() {
    let weights: Vec<u64> = (0..200).map(|k| 1 + (k * 37 % 50)).collect();
    let total: u64 = weights.iter().sum();
    let game = Game::weighted(weights, total * 2 / 3).unwrap();
    let on = |threads: usize| on_threads(threads, || exact(&game).unwrap());
    assert_eq!(on(1), on(2));
}

/// A random single-rule game of 1..=15 players (some weights 0) and a quota in 1..=total.
fn single_rule_game() -> impl Strategy<Value = Game> {
    prop::collection::vec(prop_oneof![1 => Just(0u64), 6 => 1u64..=20], 1..=15)
        .prop_filter("some weight", |w| w.iter().sum::<u64>() > 0)
        .prop_flat_map(|weights| {
            let total: u64 = weights.iter().sum();
            (Just(weights), 1..=total)
        })
        .prop_map(|(weights, quota)| Game::weighted(weights, quota).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The quadrature over generating functions equals counting every coalition.
    #[test]
    fn quadrature_equals_enumeration(game in single_rule_game()) {
        let fast = exact(&game).unwrap();
        let slow = enumerate(&game).unwrap();
        for (i, (f, s)) in fast.players.iter().zip(&slow.players).enumerate() {
            prop_assert!((f.shapley_shubik - s.shapley_shubik).abs() < 1e-12,
                "player {}: SS {} vs {}", i, f.shapley_shubik, s.shapley_shubik);
            prop_assert!((f.banzhaf - s.banzhaf).abs() < 1e-12,
                "player {}: Bz {} vs {}", i, f.banzhaf, s.banzhaf);
            prop_assert!((f.banzhaf_absolute - s.banzhaf_absolute).abs() < 1e-12,
                "player {}: abs Bz {} vs {}", i, f.banzhaf_absolute, s.banzhaf_absolute);
        }
    }

    /// Shapley-Shubik and normalised Banzhaf sum to 1; equal weights get identical values; a
    /// player of weight 0 is a dummy with exactly 0.
    #[test]
    fn indices_sum_to_one_and_treat_equals_equally(game in single_rule_game()) {
        let got = exact(&game).unwrap();
        let weights = &game.rules()[0].weights;
        let ss: f64 = got.players.iter().map(|p| p.shapley_shubik).sum();
        let bz: f64 = got.players.iter().map(|p| p.banzhaf).sum();
        prop_assert!((ss - 1.0).abs() < 1e-12, "SS sums to {}", ss);
        prop_assert!((bz - 1.0).abs() < 1e-12, "Banzhaf sums to {}", bz);
        for i in 0..weights.len() {
            if weights[i] == 0 {
                prop_assert_eq!(got.players[i].shapley_shubik, 0.0);
                prop_assert_eq!(got.players[i].banzhaf_absolute, 0.0);
            }
            for j in 0..i {
                if weights[i] == weights[j] {
                    prop_assert_eq!(got.players[i], got.players[j]);
                }
            }
        }
    }
}
