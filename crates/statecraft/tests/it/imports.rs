//! Tables as people have them: every accepted column name and delimiter reads to the same
//! scenario, a refusal lists what it found and what it accepts, and nothing in the file is
//! dropped without a note.

use serde_json::Value;

use crate::support::{flat, run, statecraft};

/// The same two actors under each header and delimiter: France (capability 10, position 20,
/// salience 0.8) and Germany (12, 60, 0.7).
fn table(header: [&str; 4], delimiter: char, decimal: char) -> String {
    let d = delimiter;
    let num = |x: &str| x.replace('.', &decimal.to_string());
    format!(
        "{}\nFrance{d}10{d}{}{d}{}\nGermany{d}12{d}60{d}{}\n",
        header.join(&d.to_string()),
        num("20.5"),
        num("0.8"),
        num("0.7"),
    )
}

/// Reads `text` as `name` and returns the scenario (JSON) and stderr.
fn read(name: &str, text: &str) -> (Value, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    let (code, stdout, stderr) = run(statecraft()
        .current_dir(dir.path())
        .args(["convert", name, "--to", "json", "-"]));
    assert_eq!(code, Some(0), "{name}:\n{text}\n{stderr}");
    (serde_json::from_str(&stdout).unwrap(), stderr)
}

fn assert_two_actors(scenario: &Value, what: &str) {
    let actors = scenario["actors"].as_array().unwrap();
    assert_eq!(actors.len(), 2, "{what}: {scenario}");
    assert_eq!(actors[0]["id"], "France", "{what}");
    assert_eq!(actors[0]["capability"], 10.0, "{what}");
    assert_eq!(actors[1]["capability"], 12.0, "{what}");
    let stance = actors[0]["positions"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap();
    assert_eq!(stance["position"], 20.5, "{what}");
    assert_eq!(stance["salience"], 0.8, "{what}");
}

#[test]
fn every_column_synonym_is_read() {
    let synonyms: [(usize, &[&str]); 4] = [
        (
            0,
            &[
                "Actor",
                "Country",
                "Name",
                "Player",
                "Party",
                "Stakeholder",
                "State",
                "Member",
            ],
        ),
        (
            1,
            &["Capability", "Power", "Clout", "Resources", "Influence"],
        ),
        (2, &["Position", "Stance", "Preference", "Ideal point"]),
        (3, &["Salience", "Importance", "Priority", "Intensity"]),
    ];
    for (column, names) in synonyms {
        for name in names {
            let mut header = ["Actor", "Capability", "Position", "Salience"];
            header[column] = name;
            let (scenario, stderr) = read("t.csv", &table(header, ',', '.'));
            assert_two_actors(&scenario, name);
            assert!(
                flat(&stderr).contains(&format!("`{name}` as ")),
                "{name}: {stderr}"
            );
        }
    }
}

#[test]
fn comma_semicolon_and_tab_are_recognised() {
    let header = ["Country", "Power", "Position", "Salience"];
    for (name, delimiter, decimal, said) in [
        ("t.csv", ',', '.', "comma-separated"),
        (
            "t.csv",
            ';',
            ',',
            "semicolon-separated (decimal commas accepted)",
        ),
        ("t.csv", ';', '.', "semicolon-separated"),
        ("t.csv", '\t', '.', "tab-separated"),
        ("t.tsv", '\t', '.', "tab-separated"),
    ] {
        let (scenario, stderr) = read(name, &table(header, delimiter, decimal));
        assert_two_actors(&scenario, said);
        assert!(stderr.contains(said), "{said}: {stderr}");
    }
}

#[test]
fn a_refusal_lists_the_columns_found_and_the_names_accepted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.csv"),
        "Who;Weight;Position;Salience\nA;1;2;0.5\n",
    )
    .unwrap();
    let (code, _, stderr) = run(statecraft()
        .current_dir(dir.path())
        .args(["check", "t.csv"]));
    assert_eq!(code, Some(2), "{stderr}");
    let text = crate::support::message_text(&stderr);
    for said in [
        "no actor column",
        "no capability column",
        "found: Who, Weight, Position, Salience",
        "semicolon-separated",
        "country",
        "influence",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
}

#[test]
fn columns_that_are_not_read_are_named() {
    let text = "Actor,Capability,Position,Salience,Source\nA,1,2,0.5,x\nB,1,8,0.5,y\n";
    let (_, stderr) = read("t.csv", text);
    assert!(stderr.contains("`Source` are not read"), "{stderr}");
}

#[test]
fn ktab_descriptions_that_cannot_name_the_actors_are_kept_as_notes() {
    let text = "case,about,2,1,\nActor,Description,Power,Pos1,Sal1\n\
                A,the same,10,20,50\nB,the same,12,60,70\n";
    let (scenario, stderr) = read("k.csv", text);
    let actors = scenario["actors"].as_array().unwrap();
    assert_eq!(actors[0]["note"], "the same", "{scenario}");
    assert_eq!(actors[1]["note"], "the same", "{scenario}");
    assert!(stderr.contains("Description column"), "{stderr}");
}
