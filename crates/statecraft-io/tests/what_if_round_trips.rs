//! What-ifs round trip, for any numeric value of any built-in scenario set to any number (from
//! tiny to the ±1e100 a scenario may hold): a change the scenario accepts reads back at its path
//! as the number written, survives a write to TOML and JSON and a read back, and setting the old
//! value again gives back every value of the scenario as it was.

use proptest::prelude::*;
use statecraft_core::scenario::{Change, Scenario, ValueKind};
use statecraft_io::{export, load_builtin, parse_str, Format, BUILTINS};

/// A number of any magnitude a scenario may hold, or one of the everyday ranges.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1e100f64..1e100,
        -1.0f64..1.0,
        0.0f64..100.0,
        (-300i32..=100).prop_map(|e| 10f64.powi(e)),
        Just(-0.0),
    ]
}

/// Every value of `scenario` with its path.
fn by_path(scenario: &Scenario) -> Vec<(String, String)> {
    scenario
        .values()
        .into_iter()
        .map(|v| (v.path, v.value))
        .collect()
}

fn set(path: &str, to: &str) -> Vec<Change> {
    vec![Change::Set {
        path: path.to_owned(),
        to: to.to_owned(),
    }]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_what_if_reads_back_writes_back_and_reverts(
        which in 0..BUILTINS.len(),
        pick in any::<prop::sample::Index>(),
        to in number(),
    ) {
        let scenario = load_builtin(BUILTINS[which].name).expect("a built-in").scenario;
        let numbers: Vec<_> = scenario
            .values()
            .into_iter()
            .filter(|v| matches!(v.kind, ValueKind::Number | ValueKind::OptionalNumber))
            .collect();
        let old = &numbers[pick.index(numbers.len())];
        let Ok(changed) = scenario.changed(&set(&old.path, &to.to_string())) else {
            // Refused (off its range); refusals are tested in paths.rs.
            return Ok(());
        };
        let read = changed.resolve(&old.path).expect("the path still resolves");
        let read: f64 = read.value.parse().expect("a number reads back");
        // Bit for bit, but for the sign of a zero: a cost of -0 where none was given is no cost
        // (positions keep the sign of -0: `minus_zero_keeps_its_sign_through_toml`).
        if to == 0.0 {
            prop_assert_eq!(read, 0.0, "{} = {}", old.path, to);
        } else {
            prop_assert_eq!(read.to_bits(), to.to_bits(), "{} = {}", old.path, to);
        }
        for format in [Format::Toml, Format::Json] {
            let text = export(&changed, format);
            let again = parse_str("what-if", text, format)
                .unwrap_or_else(|e| panic!("{} = {to} as {format:?}: {e:?}", old.path));
            prop_assert_eq!(&again.scenario, &changed, "{} = {} as {:?}", old.path, to, format);
        }
        let reverted = changed
            .changed(&set(&old.path, &old.value))
            .expect("the old value is accepted again");
        // Value for value: setting a cost that was absent (0) adds an entry, which setting it
        // back to 0 leaves in place, equal in every value to no entry.
        prop_assert_eq!(
            by_path(&reverted),
            by_path(&scenario),
            "{} back to {}",
            old.path,
            old.value
        );
    }
}
