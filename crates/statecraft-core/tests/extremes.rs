//! Every model's forecast is finite and inside the positions' range on any valid scenario, including
//! numbers at the extremes a scenario allows (capabilities 1e-100..1e100, scales and positions up to
//! 1e100 in magnitude): issue 21 found `inf`, `NaN` and wrong answers at such magnitudes.

use proptest::prelude::*;
use statecraft_core::models::bdm::{BdmParams, Variant};
use statecraft_core::models::{all_models, Model, SpatialModel};
use statecraft_core::scenario::{
    Actor, Issue, Scale, Scenario, ScenarioParts, Stance, MAX_MAGNITUDE, MIN_CAPABILITY,
};

/// A scenario of one issue on `min..max`, with (capability, position as a share of the scale,
/// salience) per actor.
fn scenario(min: f64, max: f64, actors: &[(f64, f64, f64)]) -> Scenario {
    let parts = ScenarioParts {
        actors: (0..actors.len())
            .map(|k| Actor::new(format!("A{k}"), actors[k].0))
            .collect(),
        issues: vec![Issue::new("issue", Scale::new(min, max))],
        stances: actors
            .iter()
            .map(|&(_, share, s)| vec![Some(Stance::new(min + share * (max - min), s))])
            .collect(),
        ..ScenarioParts::default()
    };
    Scenario::new(parts).expect("generated scenarios are valid")
}

/// A number 10^e for e in -100..=100 (a capability), or the limits themselves.
fn magnitude() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-100i32..=100).prop_map(|e| 10f64.powi(e).clamp(MIN_CAPABILITY, MAX_MAGNITUDE)),
        Just(MIN_CAPABILITY),
        Just(MAX_MAGNITUDE),
    ]
}

/// A scale: both ends anywhere in -1e100..1e100 (wide, narrow, far from 0).
fn scale() -> impl Strategy<Value = (f64, f64)> {
    prop_oneof![
        Just((-MAX_MAGNITUDE, MAX_MAGNITUDE)),
        (magnitude(), any::<bool>()).prop_map(|(m, neg)| if neg { (-m, 0.0) } else { (0.0, m) }),
        (magnitude(), 1e-15f64..1.0).prop_map(|(m, w)| (m * (1.0 - w), m)),
        (0.0f64..100.0, 1.0f64..100.0).prop_map(|(a, w)| (a, a + w)),
    ]
}

fn models() -> Vec<Box<dyn Model>> {
    let mut bdm = BdmParams::reference(8);
    bdm.variant = Variant::ScholzPaper;
    let mut models = all_models(bdm);
    models.push(Box::new(SpatialModel::default()));
    models
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_forecast_is_finite_and_within_the_positions_at_any_magnitude(
        (min, max) in scale(),
        actors in prop::collection::vec(
            (magnitude(), 0.0f64..=1.0, prop_oneof![Just(1.0), Just(5e-324), 0.0f64..=1.0]),
            2..6,
        ),
    ) {
        let s = scenario(min, max, &actors);
        let positions: Vec<f64> = s.positioned(0).map(|(_, _, stance)| stance.position).collect();
        let lo = positions.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = positions.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for model in models() {
            // KTAB's SMP works on positions rounded to 1e-4 of the scale (its `round4`), so its
            // answer may pass the outermost position by that much, at any magnitude.
            let slack = if model.id() == "smp" { 1e-4 * (max - min) } else { 0.0 };
            let forecast = model.forecast(&s);
            for f in &forecast.issues {
                if let Some(v) = f.value {
                    prop_assert!(v.is_finite(), "{}: {v}", model.id());
                    prop_assert!(
                        lo - slack <= v && v <= hi + slack,
                        "{}: {v} outside {lo}..{hi}",
                        model.id()
                    );
                }
            }
        }
    }
}

/// The case the property found: on a scale 1e-100 wide, Nash bargaining's bisection landed one
/// unit in the last place below the lower position.
#[test]
fn nash_stays_within_the_positions_on_a_tiny_scale() {
    let (min, max) = (2.6035763610975925e-102, 1e-100);
    let s = scenario(
        min,
        max,
        &[
            (1.0, 0.46065877985833376, 1.0),
            (1.0, 0.6463418530104582, 5e-324),
        ],
    );
    let positions: Vec<f64> = s.positioned(0).map(|(_, _, st)| st.position).collect();
    let v = statecraft_core::models::NashBargaining
        .forecast_issue(&s, 0)
        .value
        .expect("a bargain");
    assert!(
        positions[0] <= v && v <= positions[1],
        "{v} outside {positions:?}"
    );
}
