//! The expected-utility model's `scholz-reference` variant against the reference implementation's
//! own outputs, number for number: every actor, every round, every field, compared with `==`.
//!
//! The random cases (`pNN_nK`) are ours and live in `fixtures/parity/scholz/`; the public cases
//! (EC emissions, the small published data sets) are read from `../shared/parity/` when it is
//! present, and the test says so when it is not.

use std::path::{Path, PathBuf};

use statecraft_core::models::bdm::{self, BdmActor, BdmParams, Ending};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Reads `Actor,Capability,Position,Salience` (salience on 0..1).
fn read_actors(path: &Path) -> Vec<BdmActor> {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reader
        .records()
        .map(|r| {
            let r = r.expect("readable row");
            BdmActor {
                name: r[0].to_owned(),
                capability: r[1].parse().expect("capability"),
                position: r[2].parse().expect("position"),
                salience: r[3].parse().expect("salience"),
            }
        })
        .collect()
}

fn parse(cell: &str) -> Option<f64> {
    (!cell.is_empty()).then(|| cell.parse().expect("a number"))
}

/// Runs one reference case described by its `_meta.json` and compares every row.
fn check_case(meta_path: &Path, input_root: &Path) {
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(meta_path).expect("meta")).expect("json");
    let input = input_root.join(meta["input"].as_str().expect("input"));
    let rounds = meta["rounds"].as_u64().expect("rounds") as usize;
    let mut params = BdmParams::reference(rounds);
    params.capitulation_fix = meta["capitulation_fix"].as_bool().expect("flag");
    let actors = read_actors(&input);
    let run = bdm::run(&actors, &params);
    let name = meta_path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .replace("_meta.json", "");

    assert_eq!(
        run.position_range,
        meta["position_range"].as_f64().unwrap(),
        "{name}: range"
    );
    match meta["halted_at"].as_u64() {
        Some(round) => assert_eq!(
            run.ending,
            Ending::Halted {
                round: round as usize
            },
            "{name}"
        ),
        None => assert_eq!(run.ending, Ending::MaxRounds { rounds }, "{name}"),
    }

    let actors_csv = meta_path.with_file_name(format!("{name}_actors.csv"));
    let mut reader = csv::Reader::from_path(&actors_csv).expect("actors csv");
    let mut n_rows = 0;
    for record in reader.records() {
        let r = record.expect("row");
        let round: usize = r[0].parse().unwrap();
        let trace = &run.rounds[round - 1];
        let a = n_rows % actors.len();
        let got = &trace.actors[a];
        let at = format!("{name}: round {round}, actor {} ({})", a, &r[1]);
        assert_eq!(&r[1], actors[a].name, "{at}: actor order");
        assert_eq!(got.x_before, parse(&r[2]).unwrap(), "{at}: x_before");
        assert_eq!(got.danger_r1, parse(&r[3]).unwrap(), "{at}: danger_r1");
        assert_eq!(got.risk, parse(&r[4]).unwrap(), "{at}: R");
        assert_eq!(got.r, parse(&r[5]).unwrap(), "{at}: r");
        match got.offer {
            None => assert_eq!(&r[6], "", "{at}: expected an offer"),
            Some(offer) => {
                assert_eq!(offer.kind.name(), &r[6], "{at}: offer type");
                assert_eq!(actors[offer.from].name, &r[7], "{at}: offer from");
                assert_eq!(offer.eu_ij, parse(&r[8]).unwrap(), "{at}: eu_ij");
                assert_eq!(offer.eu_ji, parse(&r[9]).unwrap(), "{at}: eu_ji");
            }
        }
        assert_eq!(got.x_after, parse(&r[10]).unwrap(), "{at}: x_after");
        n_rows += 1;
    }
    assert_eq!(
        n_rows,
        run.rounds.len() * actors.len(),
        "{name}: number of rows"
    );

    let rounds_csv = meta_path.with_file_name(format!("{name}_rounds.csv"));
    let mut reader = csv::Reader::from_path(&rounds_csv).expect("rounds csv");
    for record in reader.records() {
        let r = record.expect("row");
        let round: usize = r[0].parse().unwrap();
        let (median, mean) = if round == 0 {
            (run.initial_median, run.initial_mean)
        } else {
            (run.rounds[round - 1].median, run.rounds[round - 1].mean)
        };
        assert_eq!(
            median,
            parse(&r[1]).unwrap(),
            "{name}: median after round {round}"
        );
        assert_eq!(
            mean,
            parse(&r[2]).unwrap(),
            "{name}: mean after round {round}"
        );
    }
}

fn metas(dir: &Path, filter: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.to_string_lossy().ends_with("_meta.json")
                && filter(&p.file_name().unwrap().to_string_lossy())
        })
        .collect();
    found.sort();
    found
}

#[test]
fn random_cases_match_the_reference_exactly() {
    let dir = workspace().join("fixtures/parity/scholz");
    let cases = metas(&dir, |_| true);
    assert_eq!(
        cases.len(),
        27,
        "the fixtures hold 27 reference runs of the random cases"
    );
    for meta in cases {
        check_case(&meta, &dir);
    }
}

/// Says on stderr that a check did not run. Written to the stream directly rather than with
/// `eprintln!`, which the test harness captures and hides for passing tests.
fn skipped(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED: {message}");
}

#[test]
fn public_cases_match_the_reference_exactly() {
    let dir = workspace().join("../shared/parity/scholz-reference");
    if !dir.exists() {
        skipped(&format!(
            "{} is not present; the public reference cases were not checked",
            dir.display()
        ));
        return;
    }
    let cases = metas(&dir, |name| !name.starts_with('p'));
    assert!(
        cases.len() >= 10,
        "expected the EC and public cases, found {}",
        cases.len()
    );
    for meta in cases {
        check_case(&meta, &dir.join(".."));
    }
}

#[test]
fn ec_matrices_match_term_by_term() {
    let path = workspace()
        .join("../shared/parity/scholz-reference/ec_emissions_scholzref_matrices_r3.json");
    if !path.exists() {
        skipped(&format!(
            "{} is not present; the EC matrices were not checked",
            path.display()
        ));
        return;
    }
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("matrices")).expect("json");
    let names: Vec<&str> = doc["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let number = |v: &serde_json::Value| v.as_f64().expect("a number");
    let index = |name: &serde_json::Value| {
        names
            .iter()
            .position(|n| *n == name.as_str().unwrap())
            .expect("known actor")
    };
    let initial = read_actors(&workspace().join("../shared/data/ec_emissions.csv"));
    let delta = number(&doc["position_range"]);
    let mut n_terms = 0;
    for round in doc["rounds"].as_array().unwrap() {
        let at = |phase: &str| round[phase]["actors"].as_array().unwrap().clone();
        let positions: Vec<f64> = at("r1").iter().map(|a| number(&a["x"])).collect();
        let (first, second) = bdm::reference_round_terms(&initial, &positions, delta);
        let (r, second) = second.expect("the EC rounds do not halt");
        let n = names.len();
        for (phase_name, terms) in [("r1", &first), ("rnew", &second)] {
            let label = format!("round {}, phase {phase_name}", round["round"]);
            for pair in round[phase_name]["pairs"].as_array().unwrap() {
                let (i, j) = (index(&pair["i"]), index(&pair["j"]));
                let got = terms.pairs[i * n + j];
                let at = format!("{label}, {} -> {}", names[i], names[j]);
                assert_eq!(got.p_ij, number(&pair["P_ij"]), "{at}: P_ij");
                assert_eq!(got.eu_ij, number(&pair["EUi_ij"]), "{at}: EU_i(i->j)");
                assert_eq!(got.eu_ji, number(&pair["EUi_ji"]), "{at}: EU_i(j->i)");
                assert_eq!(got.success, number(&pair["Us"]), "{at}: U_s");
                assert_eq!(got.failure, number(&pair["Uf"]), "{at}: U_f");
                n_terms += 5;
            }
            for actor in round[phase_name]["actors"].as_array().unwrap() {
                let a = index(&actor["actor"]);
                assert_eq!(
                    terms.status_quo[a],
                    number(&actor["Usq"]),
                    "{label}, {}: U_sq",
                    names[a]
                );
                if phase_name == "r1" {
                    assert_eq!(
                        terms.security[a],
                        number(&actor["danger"]),
                        "{label}, {}: S_i",
                        names[a]
                    );
                } else {
                    assert_eq!(r[a], number(&actor["r"]), "{label}, {}: r_i", names[a]);
                }
                n_terms += 2;
            }
        }
    }
    assert!(n_terms > 2_000, "only {n_terms} terms compared");
}
