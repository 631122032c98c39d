//! The readers of past cases: the DEU table on a small invented fixture (and on the real
//! calibration file in `../shared` when present), the outcomes CSV, and located problems.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use statecraft_io::{load_cases, parse_deu, parse_outcomes, LoadError};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn fixture_text() -> String {
    std::fs::read_to_string(fixtures().join("deu/small.tsv")).expect("the fixture")
}

/// 1-based line and column of the first occurrence of `needle` in `text`.
fn place_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("the needle is in the text");
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn the_fixture_reads_as_one_case_per_proposal() {
    let set = load_cases(&fixtures().join("deu/small.tsv")).expect("the fixture loads");
    let ids: Vec<&str> = set.cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["d01001", "n05002", "d16003"]);
    let widgets = &set.cases[0];
    let s = &widgets.scenario;
    // Poland takes no position on either issue of this proposal, so it takes no part.
    let actors: Vec<&str> = s.actors().iter().map(|a| a.id.as_str()).collect();
    assert_eq!(actors, ["com", "ep", "de", "fr"]);
    assert!(s.actors().iter().all(|a| a.capability == 1.0));
    assert_eq!(s.actors()[0].name, "European Commission");
    assert_eq!(s.issues().len(), 2);
    assert_eq!(s.issues()[0].status_quo, Some(0.0));
    assert_eq!(s.issues()[1].status_quo, None);
    assert_eq!(widgets.outcomes, vec![Some(60.0), None]);
    let ep = s.stance(1, 0).unwrap();
    assert_eq!((ep.position, ep.salience), (80.0, 0.7));
    // France's salience on the first issue is not coded: DEU's 50.
    assert_eq!(s.stance(3, 0).unwrap().salience, 0.5);
    assert_eq!(widgets.procedure.as_deref(), Some("COD"));
    assert_eq!(widgets.introduced, date(2001, 3, 5));
    assert_eq!(widgets.decided, date(2002, 6, 12));
    let gadgets = &set.cases[1];
    assert_eq!(gadgets.procedure.as_deref(), Some("CNS"));
    assert_eq!(gadgets.decided, None);
    assert_eq!(gadgets.scenario.actors().len(), 5);
    assert_eq!(set.cases[2].introduced, date(2016, 2, 1));
    assert_eq!(set.cases[2].decided, date(2017, 6, 15));
    let notes = set.notes.join("\n");
    assert!(
        notes.contains("line 2") && notes.contains("not DEU data"),
        "{notes}"
    );
    assert!(notes.contains("1 positions have no salience"), "{notes}");
    assert!(notes.contains("2 dates written yyyy-mm-dd"), "{notes}");
}

/// The fixture with `from` replaced by `to`, which must fail with one problem at `cell` (a part
/// of `to`) whose message contains `says`.
fn check_problem(from: &str, to: &str, cell: &str, says: &str) {
    let text = fixture_text();
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` is unique in the fixture"
    );
    let text = text.replacen(from, to, 1);
    let error: LoadError = parse_deu("small.tsv", text.clone()).expect_err("a problem");
    assert_eq!(error.problems.len(), 1, "{error}");
    let problem = &error.problems[0];
    assert!(problem.message.contains(says), "{}", problem.message);
    assert_eq!(problem.file, "small.tsv");
    let at = text.find(to).unwrap() + to.find(cell).unwrap();
    let expected = place_of(&text, &text[at..]);
    assert_eq!(problem.line_column, Some(expected), "{problem}");
}

#[test]
fn a_position_that_is_not_a_number_is_located() {
    check_problem(
        "\t100\t80\t0\t50\t",
        "\t100\tabc\t0\t50\t",
        "abc",
        "position `pep` `abc` is not a number",
    );
}

#[test]
fn a_salience_above_100_is_located() {
    check_problem(
        "\t60\t70\t80\t",
        "\t60\t170\t80\t",
        "170",
        "salience `sep` 170 is outside 0..100",
    );
}

#[test]
fn an_outcome_off_the_scale_is_located() {
    check_problem(
        "\t100\t100\n",
        "\t100\t101\n",
        "101",
        "outcome `out` 101 is outside 0..100",
    );
}

#[test]
fn an_impossible_date_is_located() {
    check_problem(
        "\"10-10-05\"",
        "\"31-02-05\"",
        "31",
        "introduction date `intro` `31-02-05` is not a day",
    );
}

#[test]
fn two_procedures_for_one_proposal_are_located() {
    check_problem(
        "\"d01001i2\"\t\"Dir\"\t\"IM\"\t\"COD\"",
        "\"d01001i2\"\t\"Dir\"\t\"IM\"\t\"CNS\"",
        "CNS",
        "has procedure `CNS` here but `COD`",
    );
}

#[test]
fn a_missing_column_is_named() {
    let text = fixture_text().replacen("\t\"out\"", "\t\"outcome\"", 1);
    let error = parse_deu("small.tsv", text).expect_err("a problem");
    assert!(
        error.problems[0].message.contains("no out column"),
        "{error}"
    );
    assert_eq!(error.problems[0].line_column, Some((1, 1)));
}

#[test]
fn the_outcomes_csv_names_scenarios_and_issues() {
    let set = load_cases(&fixtures().join("cases/outcomes.csv")).expect("the fixture loads");
    assert_eq!(set.cases.len(), 2);
    assert_eq!(set.cases[0].id, "harbour.toml");
    assert_eq!(set.cases[0].outcomes, vec![Some(6.0), Some(40.0)]);
    assert_eq!(set.cases[0].procedure.as_deref(), Some("COD"));
    assert_eq!(set.cases[1].outcomes, vec![Some(45.0)]);
}

fn outcomes_problem(text: &str) -> statecraft_io::Problem {
    let error = parse_outcomes("outcomes.csv", text.to_owned(), &fixtures().join("cases"))
        .expect_err("a problem");
    assert_eq!(error.problems.len(), 1, "{error}");
    error.problems[0].clone()
}

#[test]
fn outcomes_csv_problems_are_located() {
    let p = outcomes_problem("scenario,issue,outcome\nharbour.toml,fees,6\n");
    assert!(p.message.contains("has no issue `fees`"), "{p}");
    assert!(
        p.help.as_deref().unwrap().contains("did you mean `fee`"),
        "{p:?}"
    );
    assert_eq!(p.line_column, Some((2, 14)));
    let p = outcomes_problem("scenario,issue,outcome\nharbour.toml,fee,12\n");
    assert!(p.message.contains("outside its scale 0..10"), "{p}");
    assert_eq!(p.line_column, Some((2, 18)));
    let p = outcomes_problem("scenario,issue,outcome\nbridge.toml,toll,4\nbridge.toml,toll,5\n");
    assert!(p.message.contains("given again (first on line 2)"), "{p}");
    let error = parse_outcomes(
        "outcomes.csv",
        "scenario,issue,outcome\nnowhere.toml,x,1\n".into(),
        &fixtures().join("cases"),
    )
    .expect_err("a problem");
    assert!(error.problems[0]
        .message
        .contains("`nowhere.toml` cannot be read"));
    assert!(error.problems[1].message.contains("no such file"));
}

#[test]
fn the_calibration_file_when_present() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/deu/deu_calibration.tsv");
    if !path.exists() {
        eprintln!("SKIPPED: {} is absent", path.display());
        return;
    }
    let set = load_cases(&path).expect("the calibration file loads");
    let issues: usize = set.cases.iter().map(|c| c.outcomes.len()).sum();
    let outcomes: usize = set
        .cases
        .iter()
        .map(|c| c.outcomes.iter().flatten().count())
        .sum();
    // The counts ../shared/data/SOURCES.md gives for this file.
    assert_eq!((set.cases.len(), issues, outcomes), (93, 233, 223));
    for case in &set.cases {
        assert!(case.procedure.is_some(), "{}", case.id);
        assert!(case.introduced.is_some(), "{}", case.id);
        if let (Some(a), Some(b)) = (case.introduced, case.decided) {
            assert!(a <= b, "{}: introduced {a} after decided {b}", case.id);
        }
    }
}
