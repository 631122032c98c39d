//! Unit tests of the pieces that are not public: reasons and treaty periods.

use super::*;

#[test]
fn reasons_drop_names_and_numbers() {
    let actors = ["de", "fr"];
    let a = reason_of(
        "no point gives every actor a gain: de already has its position 40 at the status quo",
        &actors,
    );
    let b = reason_of(
        "no point gives every actor a gain: fr already has its position 12.5 at the status quo",
        &actors,
    );
    assert_eq!(a, b);
    assert!(
        a.contains("an actor already") && a.contains("position # at"),
        "{a}"
    );
    let c = reason_of("smp: actor `x1` gives every issue salience 0", &actors);
    assert_eq!(c, "smp: actor `...` gives every issue salience #");
}
