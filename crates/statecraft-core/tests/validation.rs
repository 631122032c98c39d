//! `validate` on invented cases: its figures against direct computation, seeded and
//! thread-invariant bootstrap, the leak check, and fits that recover a planted rule.

mod common;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use statecraft_core::scenario::{Actor, Issue, Scale, Scenario, ScenarioParts, Stance};
use statecraft_core::validation::{
    cross_validate, folds, validate, Case, FitItem, Fitter, StatusQuoPull, ValidationOptions,
};

/// `n` invented proposals of 1..=3 issues among 5 actors; `outcome` makes each outcome from
/// (compromise, status quo, random draw).
fn cases(n: usize, seed: u64, outcome: impl Fn(f64, f64, f64) -> f64) -> Vec<Case> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|c| {
            let n_issues = rng.random_range(1..=3);
            let actors: Vec<Actor> = (0..5)
                .map(|a| Actor::new(format!("a{a}"), rng.random_range(1.0..5.0)))
                .collect();
            let mut issues = Vec::new();
            let mut stances = vec![Vec::new(); actors.len()];
            let mut outcomes = Vec::new();
            for i in 0..n_issues {
                let mut issue = Issue::new(format!("p{c}i{i}"), Scale::new(0.0, 100.0));
                let sq = f64::from(rng.random_range(0..=10u8)) * 10.0;
                issue.status_quo = Some(sq);
                let (mut num, mut den) = (0.0, 0.0);
                for (a, actor) in actors.iter().enumerate() {
                    let x = f64::from(rng.random_range(0..=20u8)) * 5.0;
                    let s = rng.random_range(0.1..1.0);
                    num += actor.capability * s * x;
                    den += actor.capability * s;
                    stances[a].push(Some(Stance::new(x, s)));
                }
                let draw = rng.random_range(0.0..1.0);
                outcomes.push(Some(outcome(num / den, sq, draw).clamp(0.0, 100.0)));
                issues.push(issue);
            }
            let parts = ScenarioParts {
                actors,
                issues,
                stances,
                ..ScenarioParts::default()
            };
            Case {
                id: format!("p{c}"),
                scenario: Scenario::new(parts).expect("valid"),
                outcomes,
                procedure: Some(if c % 2 == 0 { "COD" } else { "CNS" }.into()),
                introduced: None,
                decided: None,
            }
        })
        .collect()
}

fn options(models: &[&str]) -> ValidationOptions {
    let mut options = ValidationOptions::standard();
    options.models = models.iter().map(|m| (*m).to_owned()).collect();
    options.bootstrap = 200;
    options.folds = 5;
    options
}

#[test]
fn compromise_figures_match_a_direct_computation() {
    let data = cases(40, 7, |_, _, draw| draw * 100.0);
    let report = validate(&data, &options(&["compromise"])).unwrap();
    let mut errors = Vec::new();
    for case in &data {
        let s = &case.scenario;
        for (i, outcome) in case.outcomes.iter().enumerate() {
            let (mut num, mut den) = (0.0, 0.0);
            for (a, actor) in s.actors().iter().enumerate() {
                let st = s.stance(a, i).unwrap();
                num += actor.capability * st.salience * st.position;
                den += actor.capability * st.salience;
            }
            errors.push((num / den - outcome.unwrap()).abs());
        }
    }
    let m = report.models[0].metrics.unwrap();
    let mae = errors.iter().sum::<f64>() / errors.len() as f64;
    assert!((m.mae.value - mae).abs() < 1e-9, "{} vs {mae}", m.mae.value);
    let within10 = errors.iter().filter(|e| **e <= 10.0).count() as f64 / errors.len() as f64;
    assert!((m.within_10.value - within10).abs() < 1e-12);
    assert!(m.mae.low < m.mae.value && m.mae.value < m.mae.high);
    assert_eq!(report.issues_with_outcome, errors.len());
    let by_procedure: usize = report.models[0].by_procedure.iter().map(|g| g.issues).sum();
    assert_eq!(by_procedure, errors.len());
}

#[test]
fn bootstrap_is_seeded_and_thread_invariant() {
    let data = cases(30, 3, |c, _, draw| c + (draw - 0.5) * 40.0);
    let o = options(&["compromise", "median", "nash"]);
    let one = common::on_threads(1, || validate(&data, &o).unwrap());
    let two = common::on_threads(2, || validate(&data, &o).unwrap());
    assert_eq!(one, two);
    let mut other = o.clone();
    other.seed = 2;
    let three = validate(&data, &other).unwrap();
    let (a, b) = (
        one.models[1].metrics.unwrap().mae,
        three.models[1].metrics.unwrap().mae,
    );
    assert_eq!(a.value, b.value);
    assert_ne!((a.low, a.high), (b.low, b.high));
}

#[test]
fn every_unanswered_issue_has_a_counted_reason() {
    let data = cases(30, 5, |_, _, draw| draw * 100.0);
    let report = validate(&data, &options(&["compromise", "nash"])).unwrap();
    for model in &report.models {
        let counted: usize = model.missing_reasons.iter().map(|r| r.issues).sum();
        assert_eq!(counted, model.missing, "{}", model.model);
        assert_eq!(model.missing + model.forecasts, report.issues_with_outcome);
    }
    let nash = &report.models[1];
    assert!(
        nash.missing > 0,
        "the status quo at 0..100 blocks some bargains"
    );
    assert!(nash
        .missing_reasons
        .iter()
        .all(|r| !r.reason.contains('`') || r.reason.contains("`...`")));
}

/// Fits the pull on every item, test items included: the leak the check must catch.
struct Leaky(StatusQuoPull);

impl Fitter for Leaky {
    fn id(&self) -> &'static str {
        "leaky"
    }
    fn label(&self) -> &'static str {
        "fits on every proposal"
    }
    fn parameter_names(&self) -> Vec<&'static str> {
        self.0.parameter_names()
    }
    fn fit(&self, items: &[FitItem], _train: &[usize]) -> Vec<f64> {
        let everything: Vec<usize> = (0..items.len()).collect();
        self.0.fit(items, &everything)
    }
    fn predict(&self, params: &[f64], item: &FitItem) -> Option<f64> {
        self.0.predict(params, item)
    }
}

fn items(data: &[Case]) -> Vec<FitItem> {
    let mut items = Vec::new();
    for (c, case) in data.iter().enumerate() {
        let s = &case.scenario;
        for (i, outcome) in case.outcomes.iter().enumerate() {
            let (mut num, mut den) = (0.0, 0.0);
            for (a, actor) in s.actors().iter().enumerate() {
                let st = s.stance(a, i).unwrap();
                num += actor.capability * st.salience * st.position;
                den += actor.capability * st.salience;
            }
            items.push(FitItem {
                case: c,
                outcome: outcome.unwrap(),
                base: vec![Some(num / den)],
                status_quo: s.issues()[i].status_quo,
                codecision: true,
                stances: Vec::new(),
                member_total: 1.0,
            });
        }
    }
    items
}

#[test]
fn the_leak_check_catches_a_fit_that_reads_test_proposals() {
    let data = cases(40, 11, |c, sq, draw| {
        0.6 * c + 0.4 * sq + (draw - 0.5) * 30.0
    });
    let items = items(&data);
    let fold = folds(data.len(), 5, 1);
    let honest = cross_validate(&StatusQuoPull { compromise: 0 }, &items, &fold);
    assert!(honest.leak_free);
    let leaky = cross_validate(&Leaky(StatusQuoPull { compromise: 0 }), &items, &fold);
    assert!(!leaky.leak_free);
}

#[test]
fn folds_are_balanced_and_fixed_by_the_seed() {
    let a = folds(23, 5, 9);
    assert_eq!(a, folds(23, 5, 9));
    assert_ne!(a, folds(23, 5, 10));
    for f in 0..5 {
        let n = a.iter().filter(|&&x| x == f).count();
        assert!(n == 4 || n == 5, "fold {f} has {n}");
    }
}

#[test]
fn a_planted_pull_is_recovered_and_beats_the_compromise() {
    let data = cases(60, 13, |c, sq, draw| {
        0.3 * c + 0.7 * sq + (draw - 0.5) * 4.0
    });
    let report = validate(&data, &options(&["compromise", "median"])).unwrap();
    let pull = report.models.iter().find(|m| m.model == "sq-pull").unwrap();
    let fit = pull.fit.as_ref().unwrap();
    assert!(fit.leak_check_passed);
    for params in &fit.per_fold {
        assert!((params[0] - 0.7).abs() <= 0.03, "{params:?}");
    }
    let d = pull.versus_compromise.unwrap().mae_difference;
    assert!(d.high < 0.0, "{d:?}");
    assert!(report.verdict.contains("sq-pull"), "{}", report.verdict);
    let coverage = pull.interval_80.unwrap().coverage.value;
    assert!((0.65..=0.95).contains(&coverage), "{coverage}");
}

#[test]
fn pure_noise_beats_nothing() {
    let data = cases(40, 17, |_, _, draw| draw * 100.0);
    let report = validate(&data, &options(&["compromise", "median"])).unwrap();
    for m in report.models.iter().filter(|m| m.fit.is_some()) {
        assert!(m.fit.as_ref().unwrap().leak_check_passed, "{}", m.model);
    }
    assert!(
        report.verdict.starts_with("no fitted forecaster"),
        "{}",
        report.verdict
    );
}

/// `fit_parameters` recovers a planted rule on one set of cases; scored with those fixed
/// parameters on a fresh set drawn from the same rule (`--params`), the pull beats the
/// compromise model and its 80% interval covers about 80%.
#[test]
fn fitted_parameters_carry_to_new_cases() {
    let rule = |c: f64, sq: f64, draw: f64| 0.3 * c + 0.7 * sq + (draw - 0.5) * 10.0;
    let train = cases(60, 11, rule);
    let (params, _) = statecraft_core::validation::fit_parameters(
        &train,
        statecraft_core::validation::CapabilityScheme::Given,
        "train",
    )
    .expect("fits");
    let pull = &params.forecasters[0];
    assert_eq!(pull.id, "sq-pull");
    assert!((pull.parameters["pull"] - 0.7).abs() <= 0.05, "{pull:?}");
    assert!(
        pull.residual_q10 < 0.0 && pull.residual_q90 > 0.0,
        "{pull:?}"
    );

    let fresh = cases(60, 12, rule);
    let mut opts = options(&["compromise", "median"]);
    opts.params = Some(params.clone());
    let report = validate(&fresh, &opts).expect("scores");
    let scored = report
        .models
        .iter()
        .find(|m| m.model == "sq-pull")
        .expect("the given pull is scored");
    let fit = scored.fit.as_ref().expect("a fit summary");
    assert!(fit.given);
    assert_eq!(fit.per_fold, vec![vec![pull.parameters["pull"]]]);
    let d = scored.versus_compromise.expect("paired").mae_difference;
    assert!(d.high < 0.0, "{d:?}");
    let coverage = scored.interval_80.expect("coverage").coverage.value;
    assert!((0.65..=0.95).contains(&coverage), "{coverage}");
}

#[test]
fn a_fitted_forecaster_as_a_model_forecasts_as_the_parameter_file_does() {
    use statecraft_core::models::bdm::{BdmParams, Variant};
    use statecraft_core::models::{all_models, Model};
    use statecraft_core::validation::{forecast_fitted, CapabilityScheme, FittedModel};
    let rule = |c: f64, sq: f64, draw: f64| 0.4 * c + 0.6 * sq + (draw - 0.5) * 8.0;
    let (params, _) = statecraft_core::validation::fit_parameters(
        &cases(40, 21, rule),
        CapabilityScheme::Given,
        "train",
    )
    .expect("fits");
    for case in cases(10, 22, rule) {
        let s = &case.scenario;
        let column = |id: &str| -> Vec<Option<f64>> {
            let model = all_models(BdmParams::forecast(Variant::ScholzReference))
                .into_iter()
                .find(|m| m.id() == id)
                .expect("a model");
            model.forecast(s).issues.iter().map(|f| f.value).collect()
        };
        let expected = forecast_fitted(&params, s, &column("compromise"), &column("median"), None);
        let models = FittedModel::all(&params, s);
        // No `com` or `ep` among the actors: the institutions forecaster does not apply.
        assert_eq!(
            models.iter().map(|m| m.id()).collect::<Vec<_>>(),
            ["sq-pull", "salience-power", "ensemble"]
        );
        for (model, fitted) in models.iter().zip(&expected) {
            assert_eq!(model.id(), fitted.model);
            let got: Vec<Option<f64>> = model.forecast(s).issues.iter().map(|f| f.value).collect();
            let want: Vec<Option<f64>> = fitted.issues.iter().map(|f| f.value).collect();
            assert_eq!(got, want, "{} on {}", model.id(), case.id);
        }
        // The pull toward the status quo moved the forecast off the compromise.
        assert_ne!(
            models[0].forecast(s).issues[0].value,
            column("compromise")[0]
        );
    }
}
