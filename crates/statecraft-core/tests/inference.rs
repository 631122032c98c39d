//! `infer` against answers known independently: a posterior worked out by quadrature, priors
//! that no observation touches, calibration of the 80% intervals over generated problems whose
//! truth is drawn from the prior and whose answers are drawn from the likelihood (implemented
//! again here), narrower intervals from more observations, and the same draws for any number of
//! threads.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution as _, Normal};
use statecraft_core::inference::{infer, InferConfig, Inference, ParameterPosterior};
use statecraft_core::scenario::{
    Actor, Decision, Distribution, Issue, Metadata, Observation, ObservationKind, Scale, Scenario,
    ScenarioParts, Stance, Statement,
};

const NOISE: f64 = 0.05;
const LAPSE: f64 = 0.02;

/// The likelihood's chance of accepting, written again from docs/models/inference.md: linear
/// losses, one actor, no affinity, margin 0.
fn accept_chance(position: f64, salience: f64, x: f64, q: f64, range: f64) -> f64 {
    let gain = salience * ((q - position).abs() - (x - position).abs()) / range;
    0.5 * LAPSE + (1.0 - LAPSE) / (1.0 + (-gain / NOISE).exp())
}

fn config(seed: u64) -> InferConfig {
    InferConfig {
        noise: NOISE,
        lapse: LAPSE,
        ..InferConfig::standard(seed)
    }
}

/// A small, quick configuration for the many generated problems.
fn quick(seed: u64) -> InferConfig {
    InferConfig {
        chains: 4,
        warmup: 300,
        draws: 500,
        max_draws: 2000,
        min_ess: 200.0,
        target_rhat: 1.02,
        ..config(seed)
    }
}

struct Problem {
    status_quo: f64,
    /// Per actor: (position, salience) as the scenario states them.
    stances: Vec<(f64, f64)>,
    /// Per actor: the explicit priors, if any (else the relative uncertainty applies).
    priors: Vec<(Option<Distribution>, Option<Distribution>)>,
    relative: Option<f64>,
    /// (package value, [(actor, accepted)]).
    decisions: Vec<(f64, Vec<(usize, bool)>)>,
    /// (actor, declared position, trust).
    statements: Vec<(usize, f64, f64)>,
}

impl Problem {
    fn scenario(&self) -> Scenario {
        let n = self.stances.len();
        let mut issue = Issue::new("i", Scale::new(0.0, 100.0));
        issue.status_quo = Some(self.status_quo);
        let actors = (0..n).map(|a| Actor::new(format!("A{a}"), 10.0)).collect();
        let stances = self
            .stances
            .iter()
            .zip(&self.priors)
            .map(|(&(p, s), &(pp, sp))| {
                let mut stance = Stance::new(p, s);
                stance.position_uncertainty = pp;
                stance.salience_uncertainty = sp;
                vec![Some(stance)]
            })
            .collect();
        let mut observations: Vec<Observation> = self
            .decisions
            .iter()
            .map(|(x, responses)| Observation {
                date: None,
                kind: ObservationKind::Decision(Decision {
                    package: vec![(0, *x)],
                    status_quo: Vec::new(),
                    responses: responses.clone(),
                }),
                note: None,
                source: None,
            })
            .collect();
        observations.extend(
            self.statements
                .iter()
                .map(|&(actor, position, trust)| Observation {
                    date: None,
                    kind: ObservationKind::Statement(Statement {
                        actor,
                        issue: 0,
                        position,
                        trust,
                    }),
                    note: None,
                    source: None,
                }),
        );
        Scenario::new(ScenarioParts {
            meta: Metadata {
                uncertainty: self.relative,
                ..Metadata::default()
            },
            actors,
            issues: vec![issue],
            stances,
            observations,
            ..ScenarioParts::default()
        })
        .expect("a valid generated scenario")
    }
}

fn parameter<'a>(inference: &'a Inference, label: &str) -> &'a ParameterPosterior {
    inference
        .parameters
        .iter()
        .find(|p| p.label == label)
        .unwrap_or_else(|| panic!("no parameter {label}"))
}

/// Mean, sd, 10% and 90% quantiles of a density tabulated on an even grid.
fn moments(grid: &[f64], density: &[f64]) -> (f64, f64, f64, f64) {
    let total: f64 = density.iter().sum();
    let mean = grid.iter().zip(density).map(|(x, d)| x * d).sum::<f64>() / total;
    let var = grid
        .iter()
        .zip(density)
        .map(|(x, d)| (x - mean) * (x - mean) * d)
        .sum::<f64>()
        / total;
    let quantile = |p: f64| {
        let mut acc = 0.0;
        for (x, d) in grid.iter().zip(density) {
            acc += d / total;
            if acc >= p {
                return *x;
            }
        }
        *grid.last().unwrap()
    };
    (mean, var.sqrt(), quantile(0.1), quantile(0.9))
}

fn grid(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|k| lo + (hi - lo) * (k as f64 + 0.5) / n as f64)
        .collect()
}

fn normal_density(x: f64, mean: f64, sd: f64) -> f64 {
    (-0.5 * ((x - mean) / sd).powi(2)).exp()
}

/// Asserts that `estimate` is within 4 Monte Carlo standard errors of `exact`.
fn within_mc_error(what: &str, estimate: f64, exact: f64, mcse: f64) {
    assert!(
        (estimate - exact).abs() < 4.0 * mcse,
        "{what}: {estimate} vs {exact} (Monte Carlo error {mcse})"
    );
}

/// One unknown (A0's position; its salience and A1 fixed), four decisions and a statement: the
/// posterior on a grid of 20000 points against the sampler's.
#[test]
fn one_position_matches_quadrature() {
    let problem = Problem {
        status_quo: 50.0,
        stances: vec![(40.0, 0.6), (80.0, 0.5)],
        priors: vec![
            (
                Some(Distribution::Normal {
                    mean: 40.0,
                    sd: 20.0,
                }),
                None,
            ),
            (None, None),
        ],
        relative: None,
        decisions: vec![
            (30.0, vec![(0, true)]),
            (70.0, vec![(0, false)]),
            (20.0, vec![(0, false)]),
            (45.0, vec![(0, true)]),
        ],
        statements: vec![(0, 35.0, 0.7)],
    };
    let scenario = problem.scenario();
    let inference = infer(&scenario, &config(3), None).unwrap();
    assert!(inference.converged, "{:?}", inference.notes);
    assert_eq!(inference.parameters.len(), 1);
    let xs = grid(0.0, 100.0, 20_000);
    let density: Vec<f64> = xs
        .iter()
        .map(|&p| {
            let mut d = normal_density(p, 40.0, 20.0);
            for (x, responses) in &problem.decisions {
                let chance = accept_chance(p, 0.6, *x, 50.0, 100.0);
                d *= if responses[0].1 { chance } else { 1.0 - chance };
            }
            d * normal_density(35.0, p, 0.5 * (1.0 - 0.7) * 100.0)
        })
        .collect();
    let (mean, sd, q10, q90) = moments(&xs, &density);
    let p = &inference.parameters[0];
    let mcse = sd / p.ess.sqrt();
    within_mc_error("mean", p.posterior.mean, mean, mcse);
    within_mc_error("sd", p.posterior.sd, sd, sd / (2.0 * p.ess).sqrt());
    // Quantiles of a smooth density: their Monte Carlo error is about sd / sqrt(ESS) times
    // sqrt(p (1 - p)) / density-at-the-quantile-in-sd-units, at most about 2.5 sd / sqrt(ESS).
    within_mc_error("q10", p.posterior.q10, q10, 2.5 * mcse);
    within_mc_error("q90", p.posterior.q90, q90, 2.5 * mcse);
    // And the record moved it: the prior mean is 40 and sd 20.
    assert!(p.posterior.sd < 0.7 * p.prior.sd, "{:?}", p.posterior);
}

/// Position and salience of A0 both unknown: a 400 x 400 grid against the sampler.
#[test]
fn position_and_salience_match_quadrature() {
    let problem = Problem {
        status_quo: 60.0,
        stances: vec![(30.0, 0.5), (80.0, 0.5)],
        priors: vec![
            (
                Some(Distribution::Normal {
                    mean: 30.0,
                    sd: 25.0,
                }),
                Some(Distribution::Uniform { min: 0.0, max: 1.0 }),
            ),
            (None, None),
        ],
        relative: None,
        decisions: vec![
            (40.0, vec![(0, true)]),
            (55.0, vec![(0, false)]),
            (10.0, vec![(0, true)]),
            (90.0, vec![(0, false)]),
            (50.0, vec![(0, true)]),
        ],
        statements: Vec::new(),
    };
    let scenario = problem.scenario();
    let inference = infer(&scenario, &config(5), None).unwrap();
    assert!(inference.converged, "{:?}", inference.notes);
    let ps = grid(0.0, 100.0, 400);
    let ss = grid(0.0, 1.0, 400);
    let mut position_density = vec![0.0; ps.len()];
    let mut salience_density = vec![0.0; ss.len()];
    for (i, &p) in ps.iter().enumerate() {
        for (j, &s) in ss.iter().enumerate() {
            let mut d = normal_density(p, 30.0, 25.0);
            for (x, responses) in &problem.decisions {
                let chance = accept_chance(p, s, *x, 60.0, 100.0);
                d *= if responses[0].1 { chance } else { 1.0 - chance };
            }
            position_density[i] += d;
            salience_density[j] += d;
        }
    }
    for (label, xs, density) in [
        ("A0.i.position", &ps, &position_density),
        ("A0.i.salience", &ss, &salience_density),
    ] {
        let (mean, sd, _, _) = moments(xs, density);
        let p = parameter(&inference, label);
        within_mc_error(label, p.posterior.mean, mean, sd / p.ess.sqrt());
        within_mc_error(label, p.posterior.sd, sd, sd / (2.0 * p.ess).sqrt());
    }
}

/// A1's stance is in no decision and no statement: it keeps its prior, a normal truncated to
/// the scale (mean and quantiles by quadrature), and the output says it is untouched.
#[test]
fn an_untouched_parameter_keeps_its_prior() {
    let problem = Problem {
        status_quo: 50.0,
        stances: vec![(40.0, 0.6), (90.0, 0.5)],
        priors: vec![(None, None), (None, None)],
        relative: Some(0.3),
        decisions: vec![(30.0, vec![(0, true)]), (70.0, vec![(0, false)])],
        statements: Vec::new(),
    };
    let inference = infer(&problem.scenario(), &config(11), None).unwrap();
    assert!(inference.converged, "{:?}", inference.notes);
    assert!(parameter(&inference, "A0.i.position").touched);
    assert!(parameter(&inference, "A0.i.salience").touched);
    let xs = grid(0.0, 100.0, 20_000);
    let density: Vec<f64> = xs.iter().map(|&x| normal_density(x, 90.0, 30.0)).collect();
    let (mean, sd, q10, q90) = moments(&xs, &density);
    let p = parameter(&inference, "A1.i.position");
    assert!(!p.touched);
    assert!(p.influences.is_empty());
    let mcse = sd / p.ess.sqrt();
    within_mc_error("mean", p.posterior.mean, mean, mcse);
    within_mc_error("sd", p.posterior.sd, sd, sd / (2.0 * p.ess).sqrt());
    within_mc_error("q10", p.posterior.q10, q10, 2.5 * mcse);
    within_mc_error("q90", p.posterior.q90, q90, 2.5 * mcse);
    let ss = grid(0.0, 1.0, 20_000);
    let density: Vec<f64> = ss.iter().map(|&s| normal_density(s, 0.5, 0.15)).collect();
    let (mean, sd, _, _) = moments(&ss, &density);
    let p = parameter(&inference, "A1.i.salience");
    assert!(!p.touched);
    within_mc_error("salience mean", p.posterior.mean, mean, sd / p.ess.sqrt());
    assert!(inference
        .notes
        .iter()
        .any(|n| n.contains("2 of 4 unknowns")));
}

/// A draw from a normal truncated to `lo..=hi` by redrawing (as the scenario's priors are).
fn truncated(rng: &mut ChaCha8Rng, mean: f64, sd: f64, lo: f64, hi: f64) -> f64 {
    let normal = Normal::new(mean, sd).unwrap();
    loop {
        let x = normal.sample(rng);
        if (lo..=hi).contains(&x) {
            return x;
        }
    }
}

/// Two actors on one issue, stances stated at random, the truth drawn from the prior, and
/// `n_decisions` packages answered by both as the likelihood says.
fn generated(rng: &mut ChaCha8Rng, n_decisions: usize) -> (Problem, Vec<(String, f64)>) {
    let relative = 0.25;
    let status_quo = rng.random_range(20.0..80.0);
    let stances: Vec<(f64, f64)> = (0..2)
        .map(|_| (rng.random_range(10.0..90.0), rng.random_range(0.3..0.8)))
        .collect();
    let truth: Vec<(f64, f64)> = stances
        .iter()
        .map(|&(p, s)| {
            (
                truncated(rng, p, relative * 100.0, 0.0, 100.0),
                truncated(rng, s, relative * s, 0.0, 1.0),
            )
        })
        .collect();
    let decisions = (0..n_decisions)
        .map(|_| {
            let x: f64 = rng.random_range(0.0..100.0);
            let responses = truth
                .iter()
                .enumerate()
                .map(|(a, &(p, s))| {
                    (
                        a,
                        rng.random::<f64>() < accept_chance(p, s, x, status_quo, 100.0),
                    )
                })
                .collect();
            (x, responses)
        })
        .collect();
    let labels = truth
        .iter()
        .enumerate()
        .flat_map(|(a, &(p, s))| {
            [
                (format!("A{a}.i.position"), p),
                (format!("A{a}.i.salience"), s),
            ]
        })
        .collect();
    let problem = Problem {
        status_quo,
        stances,
        priors: vec![(None, None); 2],
        relative: Some(relative),
        decisions,
        statements: Vec::new(),
    };
    (problem, labels)
}

/// Over 200 generated problems (800 intervals), the 80% intervals hold the truth 75% to 85% of
/// the time.
#[test]
fn eighty_percent_intervals_cover_the_truth_eighty_percent_of_the_time() {
    let mut rng = ChaCha8Rng::seed_from_u64(2009);
    let (mut covered, mut total, mut unconverged) = (0, 0, 0);
    for k in 0..200 {
        let (problem, truth) = generated(&mut rng, 10);
        let inference = infer(&problem.scenario(), &quick(k), None).unwrap();
        unconverged += usize::from(!inference.converged);
        for (label, value) in truth {
            total += 1;
            covered += usize::from(parameter(&inference, &label).posterior.covers(value));
        }
    }
    let share = covered as f64 / total as f64;
    eprintln!("coverage {covered}/{total} = {share:.3}, {unconverged} unconverged");
    assert!((0.75..=0.85).contains(&share), "coverage {share}");
    assert!(unconverged <= 10, "{unconverged} of 200 did not converge");
}

/// The same truth observed through 5 and through 40 decisions (the first 5 shared): the
/// intervals, relative to the prior's, are narrower with more, in every one of 10 problems.
#[test]
fn more_observations_give_narrower_intervals() {
    let mut rng = ChaCha8Rng::seed_from_u64(77);
    let width = |i: &Inference| {
        i.parameters
            .iter()
            .map(|p| (p.posterior.q90 - p.posterior.q10) / (p.prior.q90 - p.prior.q10))
            .sum::<f64>()
    };
    for k in 0..10 {
        let (many, _) = generated(&mut rng, 40);
        let few = Problem {
            decisions: many.decisions[..5].to_vec(),
            stances: many.stances.clone(),
            priors: many.priors.clone(),
            statements: Vec::new(),
            ..many
        };
        let a = infer(&few.scenario(), &quick(k), None).unwrap();
        let b = infer(&many.scenario(), &quick(k), None).unwrap();
        assert!(
            width(&b) < width(&a),
            "problem {k}: {} vs {}",
            width(&b),
            width(&a)
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_result_with_one_and_two_threads() {
    let (problem, _) = generated(&mut ChaCha8Rng::seed_from_u64(4), 10);
    let scenario = problem.scenario();
    let package = [35.0];
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| infer(&scenario, &quick(9), Some(&package)).unwrap())
    };
    let one = run(1);
    let two = run(2);
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&two).unwrap()
    );
    let other_seed = infer(&scenario, &quick(10), Some(&package)).unwrap();
    assert_ne!(one.parameters, other_seed.parameters);
}

/// Too few draws to converge: the result says so, and says that nothing in it is a finding.
#[test]
fn an_unconverged_result_says_so() {
    let (problem, _) = generated(&mut ChaCha8Rng::seed_from_u64(8), 10);
    let config = InferConfig {
        warmup: 0,
        draws: 20,
        max_draws: 20,
        ..config(1)
    };
    let inference = infer(&problem.scenario(), &config, None).unwrap();
    assert!(!inference.converged);
    assert!(inference
        .notes
        .iter()
        .any(|n| n.contains("not a finding") || n.contains("no number here is a finding")));
}

/// The predicted chances add up and follow the posterior: an actor that refused every package
/// like the one asked about is unlikely to accept it.
#[test]
fn predictions_add_up_and_follow_the_record() {
    let problem = Problem {
        status_quo: 50.0,
        stances: vec![(40.0, 0.6), (60.0, 0.5)],
        priors: vec![(None, None), (None, None)],
        relative: Some(0.3),
        decisions: (0..6)
            .map(|_| (20.0, vec![(0, true), (1, false)]))
            .collect(),
        statements: Vec::new(),
    };
    let inference = infer(&problem.scenario(), &config(2), Some(&[20.0])).unwrap();
    assert!(inference.converged, "{:?}", inference.notes);
    let prediction = inference.prediction.unwrap();
    let sum = prediction.unanimous.posterior
        + prediction.holdout.iter().map(|h| h.posterior).sum::<f64>()
        + prediction.several_refuse.posterior;
    assert!((sum - 1.0).abs() < 1e-9, "{sum}");
    assert!(
        prediction.accept[0].posterior > 0.8,
        "{:?}",
        prediction.accept
    );
    assert!(
        prediction.accept[1].posterior < 0.2,
        "{:?}",
        prediction.accept
    );
    assert!(prediction.accept[1].posterior < prediction.accept[1].prior);
    assert!(prediction.holdout[1].posterior > 0.7);
}

#[test]
fn bad_settings_are_refused() {
    let (problem, _) = generated(&mut ChaCha8Rng::seed_from_u64(8), 3);
    let scenario = problem.scenario();
    for config in [
        InferConfig {
            noise: 0.0,
            ..config(1)
        },
        InferConfig {
            lapse: 1.0,
            ..config(1)
        },
        InferConfig {
            chains: 1,
            ..config(1)
        },
    ] {
        assert!(infer(&scenario, &config, None).is_err(), "{config:?}");
    }
    assert!(infer(&scenario, &config(1), Some(&[150.0])).is_err());
    assert!(infer(&scenario, &config(1), Some(&[1.0, 2.0])).is_err());
}
