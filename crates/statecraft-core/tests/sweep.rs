//! Sweeps and sensitivity: the Sobol estimators on the Ishigami function, a case whose outcome
//! depends on one input only, determinism across thread counts, and the shape of the spreads.

mod common;
use common::on_threads;

use statecraft_core::models::Compromise;
use statecraft_core::models::{baseline_models, Model, WeightedMedian};
use statecraft_core::scenario::{
    Actor, Distribution, Issue, Scale, Scenario, ScenarioParts, Stance,
};
use statecraft_core::sweep::{
    sensitivity, sobol_indices, sobol_with_intervals, summarise, sweep, uncertain_inputs,
    uniform_row, Contradiction, Summariser, CONTRADICTION_TOLERANCE, FINE_BINS,
};

#[test]
fn sobol_indices_of_the_ishigami_function_match_the_analytic_values() {
    // f = sin x1 + a sin^2 x2 + b x3^4 sin x1 on (-pi, pi)^3 with a = 7, b = 0.1 (Ishigami &
    // Homma 1990). Analytic values (Sobol' & Levitan 1999): V = a^2/8 + b pi^4/5 + b^2 pi^8/18
    // + 1/2; S1 = (1 + b pi^4/5)^2 / (2V), S2 = a^2 / (8V), S3 = 0; ST3 = 8 b^2 pi^8 / (225 V),
    // ST1 = S1 + ST3, ST2 = S2.
    let (a, b) = (7.0f64, 0.1f64);
    let pi = std::f64::consts::PI;
    let v = a * a / 8.0 + b * pi.powi(4) / 5.0 + b * b * pi.powi(8) / 18.0 + 0.5;
    let s1 = (1.0 + b * pi.powi(4) / 5.0).powi(2) / (2.0 * v);
    let s2 = a * a / (8.0 * v);
    let st3 = 8.0 * b * b * pi.powi(8) / (225.0 * v);
    let expected = [(s1, s1 + st3), (s2, s2), (0.0, st3)];
    assert!(
        (s1 - 0.3139).abs() < 1e-4 && (s2 - 0.4424).abs() < 1e-4 && (st3 - 0.2437).abs() < 1e-4
    );
    let f = |x: &[f64]| vec![x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()];
    let n = 20_000;
    let indices = sobol_indices(3, n, 11, uniform_row(3, -pi, pi), f);
    let got = indices[0].as_ref().expect("the function varies");
    // Over 20 seeds at this n the estimates' standard deviations are below 0.01; 0.04 is four
    // of them.
    for (i, ((s, st), (es, est))) in got.iter().zip(expected).enumerate() {
        assert!((s - es).abs() < 0.04, "S{} = {s}, expected {es}", i + 1);
        assert!(
            (st - est).abs() < 0.04,
            "ST{} = {st}, expected {est}",
            i + 1
        );
    }
}

/// Analytic (S_i, ST_i) of three inputs.
type Analytic = [(f64, f64); 3];

/// The Ishigami function (a = 7, b = 0.1) and its analytic (S_i, ST_i).
fn ishigami() -> (impl Fn(&[f64]) -> Vec<f64> + Sync, Analytic) {
    let (a, b) = (7.0f64, 0.1f64);
    let pi = std::f64::consts::PI;
    let v = a * a / 8.0 + b * pi.powi(4) / 5.0 + b * b * pi.powi(8) / 18.0 + 0.5;
    let s1 = (1.0 + b * pi.powi(4) / 5.0).powi(2) / (2.0 * v);
    let s2 = a * a / (8.0 * v);
    let st3 = 8.0 * b * b * pi.powi(8) / (225.0 * v);
    let f =
        move |x: &[f64]| vec![x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()];
    (f, [(s1, s1 + st3), (s2, s2), (0.0, st3)])
}

#[test]
fn sobol_intervals_hold_their_estimates_shrink_as_one_over_root_n_and_ignore_threads() {
    let pi = std::f64::consts::PI;
    let (f, expected) = ishigami();
    let run = |n: usize| sobol_with_intervals(3, n, 11, uniform_row(3, -pi, pi), &f);
    let small = run(500);
    let large = on_threads(1, || run(2_000));
    assert_eq!(
        large,
        on_threads(2, || run(2_000)),
        "threads changed the intervals"
    );
    let (small, large) = (small[0].as_ref().unwrap(), large[0].as_ref().unwrap());
    let mut covered = 0;
    for (i, ((s, l), (es, est))) in small.iter().zip(large).zip(expected).enumerate() {
        for (value, [lo, hi]) in [
            (l.first_order, l.first_order_interval),
            (l.total, l.total_interval),
        ] {
            assert!(
                lo <= value && value <= hi,
                "input {i}: {value} outside {lo}..{hi}"
            );
        }
        covered += usize::from(l.first_order_interval[0] <= es && es <= l.first_order_interval[1]);
        covered += usize::from(l.total_interval[0] <= est && est <= l.total_interval[1]);
        // Four times the rows: intervals about half as wide (1/sqrt(n)); the bootstrap's own
        // noise allows 1.4 to 2.9.
        let width = |x: [f64; 2]| x[1] - x[0];
        for (w_small, w_large) in [
            (width(s.first_order_interval), width(l.first_order_interval)),
            (width(s.total_interval), width(l.total_interval)),
        ] {
            let ratio = w_small / w_large;
            assert!(
                (1.4..2.9).contains(&ratio),
                "input {i}: widths {w_small} / {w_large}"
            );
        }
    }
    // 95% intervals: five or six of the six analytic values inside is what to expect.
    assert!(
        covered >= 5,
        "only {covered} of 6 analytic values inside their intervals"
    );
}

#[test]
fn estimates_that_contradict_each_other_are_flagged_as_noise_with_the_rows_to_settle_them() {
    // The compromise is linear in the positions, so every input's S_i equals its ST_i: with few
    // base rows, S_i comes out above ST_i for some inputs, by noise alone.
    let s = middle_decides();
    let inputs = uncertain_inputs(&s, Some(0.2));
    let mut flagged = 0;
    for seed in 1..=10 {
        let ranked = sensitivity(&s, &inputs, &Compromise, 40, seed);
        for index in ranked[0].1.as_ref().expect("the compromise varies") {
            let above = index.first_order - index.total > CONTRADICTION_TOLERANCE;
            assert_eq!(
                index.noise.contains(&Contradiction::FirstOrderAboveTotal),
                above,
                "{index:?}"
            );
            assert_eq!(
                index.noise.contains(&Contradiction::NegativeFirstOrder),
                index.first_order < -CONTRADICTION_TOLERANCE,
                "{index:?}"
            );
            if index.noise.is_empty() {
                assert_eq!(index.settle_base_rows, None, "{index:?}");
                continue;
            }
            flagged += 1;
            let [lo, hi] = index.first_order_interval.expect("an interval");
            let [tlo, thi] = index.total_interval.expect("an interval");
            if above && (hi - lo + thi - tlo) / 2.0 > index.first_order - index.total {
                // Within the intervals: more rows would settle it.
                assert!(
                    index.settle_base_rows.expect("rows to settle") > 40,
                    "{index:?}"
                );
            }
        }
    }
    assert!(flagged > 0, "no estimate contradicted another in 10 seeds");
}

/// Three actors on one issue; the middle one, A, decides the weighted median as long as it stays
/// between the others, so the median is A's position whatever the other inputs do.
fn middle_decides() -> Scenario {
    let mut issue = Issue::new("issue", Scale::new(0.0, 100.0));
    issue.status_quo = Some(50.0);
    let mut left = Actor::new("L", 10.0);
    left.capability_uncertainty = Some(Distribution::Uniform {
        min: 9.0,
        max: 11.0,
    });
    let mut a = Stance::new(50.0, 0.5);
    a.position_uncertainty = Some(Distribution::Uniform {
        min: 40.0,
        max: 60.0,
    });
    let mut right = Stance::new(100.0, 0.5);
    right.salience_uncertainty = Some(Distribution::Uniform { min: 0.4, max: 0.6 });
    Scenario::new(ScenarioParts {
        actors: vec![left, Actor::new("A", 10.0), Actor::new("R", 10.0)],
        issues: vec![issue],
        stances: vec![
            vec![Some(Stance::new(0.0, 0.5))],
            vec![Some(a)],
            vec![Some(right)],
        ],
        ..ScenarioParts::default()
    })
    .unwrap()
}

#[test]
fn an_outcome_that_depends_on_one_input_ranks_it_first() {
    let s = middle_decides();
    let inputs = uncertain_inputs(&s, None);
    assert_eq!(inputs.len(), 3);
    let ranked = sensitivity(&s, &inputs, &WeightedMedian, 4_000, 3);
    let (issue, indices) = &ranked[0];
    assert_eq!(issue, "issue");
    let indices = indices.as_ref().expect("the median varies");
    assert_eq!(indices[0].input, "A.issue.position");
    assert!(
        (indices[0].first_order - 1.0).abs() < 0.05,
        "{:?}",
        indices[0]
    );
    assert!((indices[0].total - 1.0).abs() < 0.05, "{:?}", indices[0]);
    for other in &indices[1..] {
        assert!(
            other.first_order.abs() < 0.02 && other.total.abs() < 0.02,
            "{other:?}"
        );
    }
}

#[test]
fn one_or_two_threads_give_identical_sweeps() {
    let s = middle_decides();
    let inputs = uncertain_inputs(&s, Some(0.1));
    let models = baseline_models();
    let run = || sweep(&s, &inputs, &models, 3_000, 5);
    assert_eq!(on_threads(1, run), on_threads(2, run));
}

#[test]
fn spreads_are_ordered_and_count_every_run() {
    let s = middle_decides();
    let inputs = uncertain_inputs(&s, None);
    let models: Vec<Box<dyn Model>> = vec![Box::new(WeightedMedian)];
    let result = sweep(&s, &inputs, &models, 2_000, 9);
    let spread = &result.models[0].issues[0];
    assert_eq!(spread.runs_with_value, 2_000);
    assert_eq!(spread.histogram.iter().sum::<usize>(), 2_000);
    let q = spread.quantiles.expect("values");
    assert!(q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
    // The median is A's position, uniform on 40..60: quantiles near 41, 45, 50, 55, 59.
    for (got, want) in q.iter().zip([41.0, 45.0, 50.0, 55.0, 59.0]) {
        assert!((got - want).abs() < 1.0, "{q:?}");
    }
    // Every value lies in bins 4 and 5 (40..50, 50..60).
    assert_eq!(spread.histogram[4] + spread.histogram[5], 2_000);
}

#[test]
fn a_relative_uncertainty_makes_every_value_uncertain() {
    let s = middle_decides();
    // 3 capabilities + 3 positions + 3 saliences; the explicit distributions are kept.
    let inputs = uncertain_inputs(&s, Some(0.1));
    assert_eq!(inputs.len(), 9);
    let a = inputs
        .iter()
        .find(|i| i.label == "A.issue.position")
        .unwrap();
    assert_eq!(
        a.distribution,
        Distribution::Uniform {
            min: 40.0,
            max: 60.0
        }
    );
    let l = inputs
        .iter()
        .find(|i| i.label == "L.issue.position")
        .unwrap();
    assert_eq!(
        l.distribution,
        Distribution::Normal {
            mean: 0.0,
            sd: 10.0
        }
    );
}

#[test]
fn a_coalition_sweep_counts_unanimity_and_holdouts() {
    use statecraft_core::sweep::coalition_sweep;
    // Five actors want the issue at 90, H at 0; the status quo is 50: no unanimity in any draw,
    // and H is the holdout of every draw (positions vary by 10% of the scale).
    let mut issue = Issue::new("issue", Scale::new(0.0, 100.0));
    issue.status_quo = Some(50.0);
    let mut actors: Vec<Actor> = (1..=5).map(|k| Actor::new(format!("A{k}"), 10.0)).collect();
    actors.push(Actor::new("H", 10.0));
    let mut stances: Vec<Vec<Option<Stance>>> =
        (0..5).map(|_| vec![Some(Stance::new(90.0, 0.8))]).collect();
    stances.push(vec![Some(Stance::new(0.0, 0.8))]);
    let s = Scenario::new(ScenarioParts {
        actors,
        issues: vec![issue],
        stances,
        ..ScenarioParts::default()
    })
    .unwrap();
    let inputs = uncertain_inputs(&s, Some(0.1));
    let spread = coalition_sweep(&s, &inputs, 200, 4).unwrap();
    assert_eq!(spread.runs, 200);
    assert_eq!(spread.unanimous, 0);
    assert_eq!(spread.no_n_minus_1, 0);
    let h = spread.holdouts.iter().find(|(id, _)| id == "H").unwrap();
    assert_eq!(h.1, 200);
    assert!(spread
        .holdouts
        .iter()
        .filter(|(id, _)| id != "H")
        .all(|(_, k)| *k == 0));
}

/// Raw outcomes of one model on `middle_decides`'s one issue: a fixed scatter over 0..100.
fn scattered(draws: usize) -> Vec<Vec<Vec<f64>>> {
    (0..draws)
        .map(|k| vec![vec![((k * 7919) % 10007) as f64 / 100.07]])
        .collect()
}

#[test]
fn a_streamed_summary_within_its_budget_is_the_exact_one_whatever_the_chunks() {
    let s = middle_decides();
    let inputs = uncertain_inputs(&s, None);
    let outcomes = scattered(5_000);
    let exact = summarise(&s, &inputs, &["median"], &outcomes, 3);
    let mut streamed = Summariser::with_budget(&s, &["median"], 5_000);
    for chunk in outcomes.chunks(777) {
        streamed.add(chunk);
    }
    let streamed = streamed.finish(&s, &inputs, 3);
    assert_eq!(streamed, exact);
    assert_eq!(exact.models[0].issues[0].quantile_resolution, None);
}

#[test]
fn past_its_budget_a_summary_keeps_a_histogram_and_states_its_resolution() {
    let s = middle_decides();
    let inputs = uncertain_inputs(&s, None);
    let outcomes = scattered(20_000);
    let exact = &summarise(&s, &inputs, &["median"], &outcomes, 3).models[0].issues[0];
    let run = |chunk: usize| {
        let mut streamed = Summariser::with_budget(&s, &["median"], 1_000);
        for part in outcomes.chunks(chunk) {
            streamed.add(part);
        }
        streamed.finish(&s, &inputs, 3)
    };
    let result = run(1_000);
    assert_eq!(result, run(313), "the same whatever the chunks");
    let got = &result.models[0].issues[0];
    let resolution = 100.0 / FINE_BINS as f64;
    assert_eq!(got.quantile_resolution, Some(resolution));
    assert_eq!(got.runs_with_value, 20_000);
    assert_eq!(got.histogram, exact.histogram);
    let (q, e) = (got.quantiles.unwrap(), exact.quantiles.unwrap());
    for (a, b) in q.iter().zip(e) {
        assert!((a - b).abs() <= resolution, "{q:?} against {e:?}");
    }
    // Not exact (so the test would notice quantiles kept from all values), but close.
    assert_ne!(q, e);
    let (m, sd) = (got.mean.unwrap(), got.sd.unwrap());
    assert!((m - exact.mean.unwrap()).abs() < 1e-9 && (sd - exact.sd.unwrap()).abs() < 1e-9);
}
