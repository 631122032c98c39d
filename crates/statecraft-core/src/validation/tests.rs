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
