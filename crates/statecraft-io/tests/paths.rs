//! Every value of every built-in scenario by its path: setting a value to what it already is
//! changes nothing, setting a number to another changes that value and no other, and the
//! changed scenario is validated again (a value off its range is refused at its path).

use statecraft_core::scenario::{Change, ChangeError, PathValue, Scenario, ValueKind};
use statecraft_io::{load_builtin, BUILTINS};

fn set(scenario: &Scenario, path: &str, to: &str) -> Result<Scenario, ChangeError> {
    scenario.changed(&[Change::Set {
        path: path.to_owned(),
        to: to.to_owned(),
    }])
}

/// The paths whose values differ between two scenarios of the same shape.
fn differences(a: &[PathValue], b: &[PathValue]) -> Vec<String> {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .filter(|(x, y)| x.value != y.value)
        .map(|(x, _)| x.path.clone())
        .collect()
}

#[test]
fn every_path_of_every_built_in_reads_back_and_sets_only_itself() {
    let mut n_changed = 0;
    for builtin in BUILTINS {
        let scenario = load_builtin(builtin.name).expect("a built-in").scenario;
        let values = scenario.values();
        assert!(
            values.len() > 20,
            "{}: {} values",
            builtin.name,
            values.len()
        );
        for value in &values {
            let resolved = scenario
                .resolve(&value.path)
                .expect("a listed path resolves");
            assert_eq!(&resolved, value);
            let same = set(&scenario, &value.path, &value.value).unwrap_or_else(|e| {
                panic!("{}: {} = {}: {e}", builtin.name, value.path, value.value)
            });
            assert_eq!(same.values(), values, "{}: {}", builtin.name, value.path);
            if matches!(value.kind, ValueKind::Number | ValueKind::OptionalNumber) {
                // Halfway to 0 from the value, or 0.5 when there is none: inside the range of
                // most values (probabilities, costs, scales that include 0).
                let to = value.value.parse::<f64>().map_or(0.5, |v| v / 2.0);
                if let Ok(changed) = set(&scenario, &value.path, &to.to_string()) {
                    let moved = differences(&values, &changed.values());
                    if value.value != to.to_string() {
                        assert_eq!(
                            moved,
                            std::slice::from_ref(&value.path),
                            "{}: {} = {to}",
                            builtin.name,
                            value.path
                        );
                        n_changed += 1;
                    }
                }
            }
        }
    }
    assert!(n_changed > 500, "only {n_changed} values were changed");
}

#[test]
fn a_value_off_its_range_is_refused_at_its_path() {
    let scenario = load_builtin("six-party-2009").expect("a built-in").scenario;
    let mut n_refused = 0;
    for value in scenario.values() {
        let bad = match value.path.rsplit('.').next() {
            Some("turnover" | "hazard" | "probability" | "salience" | "trust") => "1.5",
            Some("cost" | "reservation" | "delay" | "down" | "up" | "spread") => "-1",
            Some("status_quo" | "position" | "fallback" | "min") => "1e6",
            Some("max") => "-1e6",
            _ => continue,
        };
        match set(&scenario, &value.path, bad) {
            Err(ChangeError::Invalid(errors)) => {
                // At the value, or in the entry that holds it (a scale's min above its max is
                // reported at the max).
                let entry = value.locus.parent().expect("a value inside the scenario");
                assert!(
                    errors.0.iter().any(|e| e.locus.within(entry)),
                    "{} = {bad}: {errors}",
                    value.path
                );
                n_refused += 1;
            }
            other => panic!("{} = {bad} was not refused: {other:?}", value.path),
        }
    }
    assert!(n_refused > 200, "only {n_refused} refused");
}
