//! Unit tests of the pieces that are not public: how reasons are grouped.

use super::*;

#[test]
fn reasons_drop_names_and_numbers() {
    let a = reason_of(
        "no point gives every actor a gain: `at` already has its position 40 at the status quo",
    );
    let b = reason_of(
        "no point gives every actor a gain: `fr` already has its position 12.5 at the status quo",
    );
    assert_eq!(a, b);
    assert!(
        a.contains("`...` already") && a.contains("position # at the"),
        "{a}"
    );
    let c = reason_of("smp: actor `x1` gives every issue salience 0");
    assert_eq!(c, "smp: actor `...` gives every issue salience #");
}

mod council_power {
    use super::council::{apply, CouncilPower};
    use super::*;
    use crate::scenario::{Actor, Issue, Scale, ScenarioParts, Stance};

    /// A one-issue case among `ids`, decided on `date`.
    fn case(ids: &[&str], date: (i32, u32, u32), procedure: &str) -> Case {
        let actors: Vec<Actor> = ids.iter().map(|id| Actor::new(*id, 1.0)).collect();
        let stances = (0..ids.len())
            .map(|a| vec![Some(Stance::new(10.0 * a as f64, 0.5))])
            .collect();
        let parts = ScenarioParts {
            actors,
            issues: vec![Issue::new("i", Scale::new(0.0, 100.0))],
            stances,
            ..ScenarioParts::default()
        };
        Case {
            id: "c".into(),
            scenario: Scenario::new(parts).expect("valid"),
            outcomes: vec![Some(50.0)],
            procedure: Some(procedure.into()),
            introduced: None,
            decided: NaiveDate::from_ymd_opt(date.0, date.1, date.2),
        }
    }

    /// Shapley-Shubik values by the textbook sum over the coalitions S of the others,
    /// |S|! (n-|S|-1)! / n! for each S that the player turns from losing to winning; written
    /// apart from `power` so that the scheme is checked against something it does not call.
    fn shapley_by_subsets(weights: &[u64], quota: u64) -> Vec<f64> {
        let n = weights.len();
        let factorial = |k: usize| (1..=k).map(|x| x as f64).product::<f64>();
        let mut values = vec![0.0; n];
        for mask in 0usize..1 << n {
            let weight: u64 = (0..n)
                .filter(|i| mask >> i & 1 == 1)
                .map(|i| weights[i])
                .sum();
            let size = mask.count_ones() as usize;
            for (i, value) in values.iter_mut().enumerate() {
                if mask >> i & 1 == 0 && weight < quota && weight + weights[i] >= quota {
                    *value += factorial(size) * factorial(n - size - 1) / factorial(n);
                }
            }
        }
        values
    }

    #[test]
    fn the_council_follows_the_date() {
        let eu15 = ["de", "fr", "lu"];
        let expect = [
            ((2003, 5, 1), &eu15[..], "EU-15"),
            ((2003, 5, 1), &["de", "pl"][..], "EU-25"),
            ((2005, 6, 1), &eu15[..], "EU-25"),
            ((2008, 6, 1), &eu15[..], "EU-27"),
            ((2014, 1, 1), &eu15[..], "EU-28 (Nice"),
            ((2016, 1, 1), &eu15[..], "EU-28 (double"),
            ((2021, 1, 1), &eu15[..], "EU-27 (double"),
        ];
        for (date, ids, label) in expect {
            let c = case(ids, date, "COD");
            let council = council::Council::of(&c);
            assert!(
                council.label().contains(label),
                "{date:?}: {}",
                council.label()
            );
        }
    }

    #[test]
    fn eu15_shares_are_the_exact_shapley_values_of_62_of_87() {
        let ids = ["de", "es", "be", "at", "dk", "lu", "com", "ep"];
        let c = case(&ids, (2001, 3, 1), "COD");
        let power = CouncilPower::of(CapabilityScheme::ShapleyShubik, std::slice::from_ref(&c));
        let (scenario, notes) = apply(CapabilityScheme::ShapleyShubik, &c, &power);
        assert!(notes.is_empty(), "{notes:?}");
        let weights: Vec<u64> = PRE_NICE.iter().map(|(_, w)| *w as u64).collect();
        let truth = shapley_by_subsets(&weights, 62);
        assert!((truth.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        for (a, actor) in scenario.actors().iter().enumerate() {
            let expected = match actor.id.as_str() {
                "com" => InstitutionWeights::A_PRIORI.commission_cod,
                "ep" => InstitutionWeights::A_PRIORI.parliament_cod,
                id => {
                    truth[PRE_NICE
                        .iter()
                        .position(|(c, _)| *c == id)
                        .expect("a member")]
                }
            };
            let got = scenario.actors()[a].capability;
            assert!(
                (got - expected).abs() < 1e-12,
                "{}: {got} vs {expected}",
                actor.id
            );
        }
        // Not the vote shares: Spain's 8 of 87 votes (9.2%) give it more than that in the game.
        let spain = scenario.actors()[1].capability;
        assert!(spain > 8.0 / 87.0 + 0.002, "{spain}");
    }

    #[test]
    fn the_double_majority_is_estimated_and_ordered_by_population() {
        let c = case(&["de", "fr", "mt", "com", "ep"], (2016, 1, 1), "CNS");
        let power = CouncilPower::of(CapabilityScheme::ShapleyShubik, std::slice::from_ref(&c));
        assert!(power.max_standard_error > 0.0 && power.max_standard_error < 0.002);
        let (_, shares) = &power.tables()[0];
        assert_eq!(shares.len(), 28);
        let total: f64 = shares.iter().map(|(_, s)| s).sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        let share = |id: &str| shares.iter().find(|(c, _)| *c == id).expect("member").1;
        assert!(
            share("de") > share("fr") && share("fr") > share("nl") && share("nl") > share("mt")
        );
        let (scenario, _) = apply(CapabilityScheme::ShapleyShubik, &c, &power);
        let caps: Vec<f64> = scenario.actors().iter().map(|a| a.capability).collect();
        assert_eq!(caps[0], share("de"));
        assert_eq!(caps[3], InstitutionWeights::A_PRIORI.commission_cns);
        assert_eq!(caps[4], InstitutionWeights::A_PRIORI.parliament_cns);
        // The same seed gives the same shares.
        let again = CouncilPower::of(CapabilityScheme::ShapleyShubik, std::slice::from_ref(&c));
        assert_eq!(again.tables()[0].1, *shares);
    }
}
