//! Properties every baseline forecast must have, on random one-issue scenarios: it lies within the
//! positions' range, ignores the order of actors and the unit of capability, and moves toward an
//! actor whose salience rises.

use proptest::prelude::*;
use statecraft_core::models::{baseline_models, Model};
use statecraft_core::scenario::{Actor, Issue, Scale, Scenario, ScenarioParts, Stance};

/// (capability, position, salience) per actor, and an optional status quo, on a 0..100 scale.
#[derive(Debug, Clone)]
struct Case {
    actors: Vec<(f64, f64, f64)>,
    status_quo: Option<f64>,
}

impl Case {
    fn scenario(&self) -> Scenario {
        let mut issue = Issue::new("issue", Scale::new(0.0, 100.0));
        issue.status_quo = self.status_quo;
        let parts = ScenarioParts {
            actors: (0..self.actors.len())
                .map(|k| Actor::new(format!("A{k}"), self.actors[k].0))
                .collect(),
            issues: vec![issue],
            stances: self
                .actors
                .iter()
                .map(|&(_, x, s)| vec![Some(Stance::new(x, s))])
                .collect(),
            ..ScenarioParts::default()
        };
        Scenario::new(parts).expect("generated scenarios are valid")
    }
}

fn case() -> impl Strategy<Value = Case> {
    let actor = (0.1f64..100.0, 0.0f64..=100.0, 0.05f64..=1.0);
    (
        prop::collection::vec(actor, 2..9),
        prop::option::of(0.0f64..=100.0),
    )
        .prop_map(|(actors, status_quo)| Case { actors, status_quo })
}

fn value(model: &dyn Model, case: &Case) -> Option<f64> {
    model.forecast_issue(&case.scenario(), 0).value
}

/// Agreement up to rounding: the models sum in actor order, so a new order may change the last bits.
fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * (1.0 + a.abs()),
        (None, None) => true,
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn forecast_lies_within_the_positions(case in case()) {
        let lo = case.actors.iter().map(|a| a.1).fold(f64::INFINITY, f64::min);
        let hi = case.actors.iter().map(|a| a.1).fold(f64::NEG_INFINITY, f64::max);
        for model in baseline_models() {
            if let Some(v) = value(model.as_ref(), &case) {
                prop_assert!(lo <= v && v <= hi, "{}: {v} outside {lo}..{hi}", model.id());
            }
        }
    }

    #[test]
    fn forecast_ignores_the_order_of_actors(case in case(), seed in any::<u64>()) {
        let mut shuffled = case.clone();
        // A deterministic permutation from the seed (proptest shrinks the seed, not the order).
        let n = shuffled.actors.len();
        let mut state = seed | 1;
        for k in (1..n).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.actors.swap(k, (state % (k as u64 + 1)) as usize);
        }
        for model in baseline_models() {
            let (a, b) = (value(model.as_ref(), &case), value(model.as_ref(), &shuffled));
            prop_assert!(close(a, b), "{}: {a:?} vs {b:?}", model.id());
        }
    }

    #[test]
    fn forecast_ignores_the_unit_of_capability(case in case(), factor in 0.001f64..1000.0) {
        let mut scaled = case.clone();
        for actor in &mut scaled.actors {
            actor.0 *= factor;
        }
        for model in baseline_models() {
            let (a, b) = (value(model.as_ref(), &case), value(model.as_ref(), &scaled));
            prop_assert!(close(a, b), "{}: {a:?} vs {b:?}", model.id());
        }
    }

    #[test]
    fn forecast_moves_toward_an_actor_whose_salience_rises(
        case in case(),
        pick in any::<prop::sample::Index>(),
        raise in 0.0f64..1.0,
    ) {
        let k = pick.index(case.actors.len());
        let mut raised = case.clone();
        let old_salience = raised.actors[k].2;
        raised.actors[k].2 = old_salience + raise * (1.0 - old_salience);
        let target = case.actors[k].1;
        for model in baseline_models() {
            let (Some(before), Some(after)) = (value(model.as_ref(), &case), value(model.as_ref(), &raised)) else {
                // Salience does not change who can gain, so the answer exists in both or neither.
                prop_assert!(close(value(model.as_ref(), &case), value(model.as_ref(), &raised)));
                continue;
            };
            let slack = 1e-9 * (1.0 + before.abs());
            if target >= before {
                prop_assert!(after >= before - slack, "{}: moved away from {target}: {before} -> {after}", model.id());
                prop_assert!(after <= target.max(before) + slack, "{}: overshot {target}: {before} -> {after}", model.id());
            } else {
                prop_assert!(after <= before + slack, "{}: moved away from {target}: {before} -> {after}", model.id());
                prop_assert!(after >= target.min(before) - slack, "{}: overshot {target}: {before} -> {after}", model.id());
            }
        }
    }
}

mod bdm_paper {
    //! Properties of the expected-utility model's paper variant.

    use proptest::prelude::*;
    use statecraft_core::models::bdm::{self, BdmActor, BdmParams, Variant};

    fn actors() -> impl Strategy<Value = Vec<BdmActor>> {
        let actor = (0.1f64..100.0, 0.0f64..=100.0, 0.05f64..=1.0);
        prop::collection::vec(actor, 2..12).prop_map(|list| {
            list.into_iter()
                .enumerate()
                .map(|(k, (capability, position, salience))| BdmActor {
                    name: format!("A{k}"),
                    capability,
                    position,
                    salience,
                })
                .collect()
        })
    }

    fn params() -> BdmParams {
        let mut params = BdmParams::reference(8);
        params.variant = Variant::ScholzPaper;
        params
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn positions_stay_within_the_initial_range(actors in actors()) {
            let lo = actors.iter().map(|a| a.position).fold(f64::INFINITY, f64::min);
            let hi = actors.iter().map(|a| a.position).fold(f64::NEG_INFINITY, f64::max);
            prop_assume!(hi > lo);
            let run = bdm::run(&actors, &params());
            for round in &run.rounds {
                for a in &round.actors {
                    prop_assert!(lo <= a.x_after && a.x_after <= hi, "{} outside {lo}..{hi}", a.x_after);
                }
                prop_assert!(lo <= round.median && round.median <= hi);
            }
        }

        #[test]
        fn results_do_not_depend_on_actor_order(actors in actors()) {
            let lo = actors.iter().map(|a| a.position).fold(f64::INFINITY, f64::min);
            let hi = actors.iter().map(|a| a.position).fold(f64::NEG_INFINITY, f64::max);
            prop_assume!(hi > lo);
            let forward = bdm::run(&actors, &params());
            let reversed_actors: Vec<BdmActor> = actors.iter().rev().cloned().collect();
            let backward = bdm::run(&reversed_actors, &params());
            let mut back_positions = backward.positions();
            back_positions.reverse();
            for (a, b) in forward.positions().iter().zip(&back_positions) {
                prop_assert!((a - b).abs() < 1e-9 * (1.0 + a.abs()), "{a} vs {b}");
            }
            prop_assert!((forward.median() - backward.median()).abs() < 1e-9 * (1.0 + forward.median().abs()));
        }
    }
}
