//! `statecraft coalitions`: "6-0 or 5-1", run through the real binary. On the built-in scenario
//! the checks are invariants every correct answer has, with every actor's net gain recomputed
//! here from `statecraft show --format json` (an independent implementation of the utilities);
//! on small scenarios written to a temporary directory (five against one, a red line that blocks,
//! an affinity that turns a refusal into a yes) the answer is worked out by hand.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{csv_rows, ok_with, run, statecraft, workspace_dir};

/// Relative tolerance for values the optimiser returns (a share of the issue's range).
const SCALE_TOLERANCE: f64 = 1e-9;
/// How closely the net gains recomputed here must match the binary's.
const GAIN_TOLERANCE: f64 = 1e-9;

fn ok(args: &[&str]) -> String {
    ok_with(&[], args)
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// `statecraft coalitions ARGS --format json`, parsed.
fn coalitions_json(args: &[&str]) -> Value {
    let mut all = vec!["coalitions"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    parse(&ok(&all))
}

/// `statecraft coalitions ARGS` (the briefing).
fn briefing(args: &[&str]) -> String {
    let mut all = vec!["coalitions"];
    all.extend_from_slice(args);
    ok(&all)
}

fn number(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

fn numbers(value: &Value) -> Vec<f64> {
    array(value).iter().map(number).collect()
}

fn array(value: &Value) -> &Vec<Value> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
}

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"))
}

fn strings(value: &Value) -> Vec<String> {
    array(value).iter().map(|v| text(v).to_owned()).collect()
}

/// Writes `body` to `dir/name` and returns the path as a string for the command line.
fn write(dir: &Path, name: &str, body: &str) -> String {
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, body).expect("write to the temporary directory");
    path.to_str().expect("a UTF-8 temporary path").to_owned()
}

// ------------------------------------------------------------------------------------------------
// An independent implementation of the utilities, from `statecraft show --format json`.
// ------------------------------------------------------------------------------------------------

struct Issue {
    id: String,
    min: f64,
    max: f64,
    status_quo: f64,
}

impl Issue {
    fn range(&self) -> f64 {
        self.max - self.min
    }
}

struct Actor {
    id: String,
    /// Per issue: (position, salience) when the actor takes a position.
    stances: Vec<Option<(f64, f64)>>,
    /// (issue index, min, max).
    red_lines: Vec<(usize, f64, f64)>,
    /// (partner index, share).
    affinity: Vec<(usize, f64)>,
    reservation: f64,
}

/// The scenario as `show` prints it, with the utilities of the coalition analysis:
/// own_j(x) = sum_k s_jk (l((q_k - p_jk)/R_k) - l((x_k - p_jk)/R_k)), l(d) = |d| or d^2;
/// gain_i(x) = own_i(x) + sum_j a_ij own_j(x); net_i(x) = gain_i(x) - reservation_i.
struct Model {
    issues: Vec<Issue>,
    actors: Vec<Actor>,
    quadratic: bool,
}

impl Model {
    fn load(spec: &str, quadratic: bool) -> Model {
        let shown = parse(&ok(&["show", spec, "--format", "json"]));
        let issues: Vec<Issue> = array(&shown["issues"])
            .iter()
            .map(|i| Issue {
                id: text(&i["id"]).to_owned(),
                min: number(&i["min"]),
                max: number(&i["max"]),
                status_quo: number(&i["status_quo"]),
            })
            .collect();
        let issue_index = |id: &str| {
            issues
                .iter()
                .position(|i| i.id == id)
                .unwrap_or_else(|| panic!("unknown issue {id}"))
        };
        let actor_ids: Vec<String> = array(&shown["actors"])
            .iter()
            .map(|a| text(&a["id"]).to_owned())
            .collect();
        let actors = array(&shown["actors"])
            .iter()
            .map(|a| Actor {
                id: text(&a["id"]).to_owned(),
                stances: issues
                    .iter()
                    .map(|i| {
                        let s = &a["positions"][&i.id];
                        (!s.is_null()).then(|| (number(&s["position"]), number(&s["salience"])))
                    })
                    .collect(),
                red_lines: a["red_lines"]
                    .as_array()
                    .map(|lines| {
                        lines
                            .iter()
                            .map(|l| {
                                (
                                    issue_index(text(&l["issue"])),
                                    number(&l["min"]),
                                    number(&l["max"]),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                affinity: a["affinity"]
                    .as_object()
                    .map(|m| {
                        m.iter()
                            .map(|(partner, share)| {
                                let b = actor_ids.iter().position(|id| id == partner).unwrap();
                                (b, number(share))
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                reservation: a["reservation"].as_f64().unwrap_or(0.0),
            })
            .collect();
        Model {
            issues,
            actors,
            quadratic,
        }
    }

    fn loss(&self, d: f64) -> f64 {
        if self.quadratic {
            d * d
        } else {
            d.abs()
        }
    }

    fn own(&self, j: usize, x: &[f64]) -> f64 {
        let mut gain = 0.0;
        for (k, issue) in self.issues.iter().enumerate() {
            if let Some((p, s)) = self.actors[j].stances[k] {
                let r = issue.range();
                gain += s * (self.loss((issue.status_quo - p) / r) - self.loss((x[k] - p) / r));
            }
        }
        gain
    }

    fn net_gain(&self, i: usize, x: &[f64]) -> f64 {
        let actor = &self.actors[i];
        let partners: f64 = actor
            .affinity
            .iter()
            .map(|&(j, share)| share * self.own(j, x))
            .sum();
        self.own(i, x) + partners - actor.reservation
    }

    /// The issue of the first red line of `i` that `x` crosses.
    fn red_line_crossed(&self, i: usize, x: &[f64]) -> Option<&str> {
        self.actors[i]
            .red_lines
            .iter()
            .find(|&&(k, lo, hi)| lo <= x[k] && x[k] <= hi)
            .map(|&(k, _, _)| self.issues[k].id.as_str())
    }

    fn accepts(&self, i: usize, x: &[f64]) -> bool {
        self.red_line_crossed(i, x).is_none() && self.net_gain(i, x) > 0.0
    }

    fn actor_index(&self, id: &str) -> usize {
        self.actors
            .iter()
            .position(|a| a.id == id)
            .unwrap_or_else(|| panic!("unknown actor {id}"))
    }

    fn status_quo(&self) -> Vec<f64> {
        self.issues.iter().map(|i| i.status_quo).collect()
    }

    /// Asserts that `values` lie on every issue's scale (up to the optimiser's rounding).
    fn assert_on_scales(&self, what: &str, values: &[f64]) {
        assert_eq!(values.len(), self.issues.len(), "{what}: {values:?}");
        for (issue, &v) in self.issues.iter().zip(values) {
            let slack = SCALE_TOLERANCE * issue.range();
            assert!(
                issue.min - slack <= v && v <= issue.max + slack,
                "{what}: {} = {v} is off the scale {}..={}",
                issue.id,
                issue.min,
                issue.max
            );
        }
    }

    /// Asserts that the package's reported net gains are the ones recomputed here, and that its
    /// min_gain is the smallest over `members`.
    fn assert_gains(&self, what: &str, package: &Value, members: &[usize]) {
        let values = numbers(&package["values"]);
        let reported = numbers(&package["net_gains"]);
        assert_eq!(reported.len(), self.actors.len(), "{what}: {package}");
        for (i, &g) in reported.iter().enumerate() {
            let mine = self.net_gain(i, &values);
            assert!(
                (mine - g).abs() < GAIN_TOLERANCE,
                "{what}: {}'s net gain is {g}, recomputed {mine}",
                self.actors[i].id
            );
        }
        let smallest = members
            .iter()
            .map(|&i| reported[i])
            .fold(f64::INFINITY, f64::min);
        assert!(
            (number(&package["min_gain"]) - smallest).abs() < GAIN_TOLERANCE,
            "{what}: min_gain {} but the smallest member gain is {smallest}",
            package["min_gain"]
        );
    }

    /// Asserts that every member accepts the package: net gain > 0, no red line crossed.
    fn assert_accepted_by(&self, what: &str, package: &Value, members: &[usize]) {
        let values = numbers(&package["values"]);
        self.assert_on_scales(what, &values);
        self.assert_gains(what, package, members);
        for &i in members {
            let id = &self.actors[i].id;
            let reported = number(&package["net_gains"][i]);
            assert!(reported > 0.0, "{what}: {id}'s net gain is {reported}");
            assert_eq!(
                self.red_line_crossed(i, &values),
                None,
                "{what}: {values:?} crosses a red line of {id}"
            );
        }
    }
}

// ------------------------------------------------------------------------------------------------
// The built-in scenario.
// ------------------------------------------------------------------------------------------------

#[test]
fn the_briefing_and_the_json_give_the_same_verdict() {
    let table = briefing(&[]);
    let json = coalitions_json(&[]);
    let n = array(&json["actors"]).len();
    assert_eq!(n, 6, "the built-in scenario has six parties");
    let possible = table.contains("6-0 is possible");
    let out_of_reach = table.contains("6-0 is out of reach");
    assert!(
        possible != out_of_reach,
        "the briefing must say exactly one of the two:\n{table}"
    );
    assert_eq!(
        possible,
        !json["unanimous"].is_null(),
        "briefing and JSON disagree; briefing:\n{table}\nunanimous: {}",
        json["unanimous"]
    );
    // The blame paragraph follows the verdict: no one is isolated when all six can agree.
    if possible {
        assert!(table.contains("No one is isolated."), "{table}");
        assert!(!table.contains("Isolation:"), "{table}");
    } else {
        assert!(table.contains("Isolation:"), "{table}");
    }
    // The names in the briefing are the actors' names, not their ids.
    assert!(table.contains("North Korea (DPRK)"), "{table}");
}

/// The invariants of one analysis of the built-in scenario.
fn check_invariants(shape: &str) {
    let json = coalitions_json(&["--shape", shape]);
    let model = Model::load("six-party-2009", shape == "quadratic");
    let n = model.actors.len();
    assert_eq!(text(&json["shape"]), shape);
    assert_eq!(
        strings(&json["actors"]),
        model
            .actors
            .iter()
            .map(|a| a.id.clone())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        strings(&json["issues"]),
        model
            .issues
            .iter()
            .map(|i| i.id.clone())
            .collect::<Vec<_>>()
    );
    let everyone: Vec<usize> = (0..n).collect();

    // The per-issue win-sets: inside the scale, sorted, disjoint, and exactly where all accept.
    let win_sets = array(&json["issue_win_sets"]);
    assert_eq!(win_sets.len(), model.issues.len());
    for (k, (w, issue)) in win_sets.iter().zip(&model.issues).enumerate() {
        assert_eq!(text(&w["issue"]), issue.id);
        let intervals: Vec<(f64, f64)> = array(&w["intervals"])
            .iter()
            .map(|iv| (number(&iv["lo"]), number(&iv["hi"])))
            .collect();
        for &(lo, hi) in &intervals {
            assert!(
                issue.min <= lo && lo < hi && hi <= issue.max,
                "{shape}: {}: interval {lo}..{hi} is empty or off the scale",
                issue.id
            );
        }
        for pair in intervals.windows(2) {
            assert!(
                pair[0].1 <= pair[1].0,
                "{shape}: {}: intervals not sorted or overlapping: {intervals:?}",
                issue.id
            );
        }
        // A scan of the scale, the other issues at the status quo.
        let mut x = model.status_quo();
        for step in 0..=2000 {
            x[k] = issue.min + issue.range() * f64::from(step) / 2000.0;
            let near_an_end = intervals.iter().any(|&(lo, hi)| {
                (x[k] - lo).abs() < 1e-6 * issue.range() || (x[k] - hi).abs() < 1e-6 * issue.range()
            });
            if near_an_end {
                continue;
            }
            let inside = intervals.iter().any(|&(lo, hi)| lo < x[k] && x[k] < hi);
            let all_accept = everyone.iter().all(|&i| model.accepts(i, &x));
            assert_eq!(
                inside, all_accept,
                "{shape}: {} = {}: in the win-set {intervals:?}: {inside}, all accept: {all_accept}",
                issue.id, x[k]
            );
        }
    }

    // The unanimous package and its extent.
    let unanimous = &json["unanimous"];
    let extent = array(&json["unanimous_extent"]);
    if !unanimous.is_null() {
        model.assert_accepted_by(&format!("{shape}: unanimous"), unanimous, &everyone);
        let values = numbers(&unanimous["values"]);
        assert_eq!(extent.len(), model.issues.len(), "{shape}: {extent:?}");
        for (k, (e, issue)) in extent.iter().zip(&model.issues).enumerate() {
            assert!(
                !e.is_null(),
                "{shape}: {}: no extent though 6-0 exists",
                issue.id
            );
            let (lo, hi) = (number(&e["lo"]), number(&e["hi"]));
            let slack = SCALE_TOLERANCE * issue.range();
            assert!(
                lo - slack <= values[k] && values[k] <= hi + slack,
                "{shape}: {}: the package's {} lies outside its extent {lo}..{hi}",
                issue.id,
                values[k]
            );
            assert!(
                issue.min - slack <= lo && lo <= hi && hi <= issue.max + slack,
                "{shape}: {}: extent {lo}..{hi} is empty or off the scale",
                issue.id
            );
            // A one-issue win-set is made of unanimous packages, so the extent covers it.
            for iv in array(&win_sets[k]["intervals"]) {
                assert!(
                    lo - slack <= number(&iv["lo"]) && number(&iv["hi"]) <= hi + slack,
                    "{shape}: {}: win-set {iv} is not inside the extent {lo}..{hi}",
                    issue.id
                );
            }
        }
    }

    // The coalitions.
    let coalitions = array(&json["coalitions"]);
    let mut outsiders_seen = Vec::new();
    for (c_index, c) in coalitions.iter().enumerate() {
        let what = format!("{shape}: coalition {}", c_index + 1);
        let members: Vec<usize> = strings(&c["members"])
            .iter()
            .map(|id| model.actor_index(id))
            .collect();
        let outsiders: Vec<usize> = strings(&c["outsiders"])
            .iter()
            .map(|id| model.actor_index(id))
            .collect();
        let mut all: Vec<usize> = members.iter().chain(&outsiders).copied().collect();
        all.sort_unstable();
        assert_eq!(
            all, everyone,
            "{what}: members and outsiders must partition the actors"
        );
        model.assert_accepted_by(&what, &c["package"], &members);
        let share = number(&c["capability_share"]);
        assert!(
            0.0 < share && share < 1.0,
            "{what}: capability share {share}"
        );
        if !unanimous.is_null() {
            assert_eq!(
                members.len(),
                n - 1,
                "{what}: with 6-0 only 5-1 coalitions are listed"
            );
            // Fewer members to satisfy: they do at least as well as in the unanimous package.
            assert!(
                number(&c["package"]["min_gain"]) >= number(&unanimous["min_gain"]) - 1e-6,
                "{what}: smallest gain {} below the unanimous {}",
                c["package"]["min_gain"],
                unanimous["min_gain"]
            );
        }
        outsiders_seen.extend(outsiders);
    }
    if !unanimous.is_null() {
        // The unanimous package suits any five, so every 5-1 coalition can agree.
        outsiders_seen.sort_unstable();
        assert_eq!(
            outsiders_seen, everyone,
            "{shape}: with 6-0 possible, every actor is the outsider of one 5-1 coalition"
        );
    }

    // The blame block: for the first coalition's outsider, a package all the others accept.
    let blame = &json["blame"];
    if let Some(first) = coalitions.first() {
        if array(&first["outsiders"]).len() == 1 {
            assert_eq!(blame["holdout"], first["outsiders"][0], "{shape}");
            let holdout = model.actor_index(text(&blame["holdout"]));
            let others: Vec<usize> = everyone.iter().copied().filter(|&i| i != holdout).collect();
            let generous = &blame["most_generous"];
            let values = numbers(&generous["values"]);
            model.assert_on_scales(&format!("{shape}: most generous"), &values);
            model.assert_gains(&format!("{shape}: most generous"), generous, &others);
            for &i in &others {
                // The optimum lies on the boundary of the others' acceptance: 0 up to rounding.
                assert!(
                    number(&generous["net_gains"][i]) > -1e-9,
                    "{shape}: most generous leaves {} at {}",
                    model.actors[i].id,
                    generous["net_gains"][i]
                );
            }
            assert_eq!(
                number(&blame["holdout_net_gain"]),
                number(&generous["net_gains"][holdout]),
                "{shape}"
            );
            assert_eq!(
                blame["red_line"].as_str(),
                model.red_line_crossed(holdout, &values),
                "{shape}"
            );
        } else {
            assert!(blame.is_null(), "{shape}: {blame}");
        }
    } else {
        assert!(blame.is_null(), "{shape}: {blame}");
    }
}

#[test]
fn the_built_in_analysis_keeps_its_invariants() {
    check_invariants("linear");
}

#[test]
fn the_built_in_analysis_keeps_its_invariants_with_quadratic_losses() {
    check_invariants("quadratic");
}

/// The values the analysis prints should be usable as they are, for instance as the agreement of
/// `statecraft durability --package`, which refuses a value off the issue's scale.
#[test]
fn every_package_value_lies_exactly_on_its_scale() {
    let json = coalitions_json(&[]);
    let model = Model::load("six-party-2009", false);
    let mut packages = vec![json["unanimous"].clone()];
    packages.extend(
        array(&json["coalitions"])
            .iter()
            .map(|c| c["package"].clone()),
    );
    for package in packages.iter().filter(|p| !p.is_null()) {
        let values = numbers(&package["values"]);
        for (issue, &v) in model.issues.iter().zip(&values) {
            assert!(
                issue.min <= v && v <= issue.max,
                "{} = {v:?} is off the scale {}..={}",
                issue.id,
                issue.min,
                issue.max
            );
        }
        let agreement: Vec<String> = model
            .issues
            .iter()
            .zip(&values)
            .map(|(issue, v)| format!("{}={v}", issue.id))
            .collect();
        let agreement = agreement.join(",");
        ok(&["durability", "--package", &agreement, "--runs", "10"]);
    }
}

#[test]
fn quadratic_losses_give_a_different_package() {
    let linear = coalitions_json(&["--shape", "linear"]);
    let quadratic = coalitions_json(&["--shape", "quadratic"]);
    assert_eq!(text(&linear["shape"]), "linear");
    assert_eq!(text(&quadratic["shape"]), "quadratic");
    // The unanimous package when there is one, else the best coalition's.
    let package = |json: &Value| -> Vec<f64> {
        if json["unanimous"].is_null() {
            numbers(&json["coalitions"][0]["package"]["values"])
        } else {
            numbers(&json["unanimous"]["values"])
        }
    };
    let (a, b) = (package(&linear), package(&quadratic));
    let largest_difference = a
        .iter()
        .zip(&b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max);
    // Linear losses put the maximin package at positions and red-line edges; quadratic ones
    // spread it between them. On a 0..100 scale the two differ by far more than rounding.
    assert!(
        largest_difference > 1.0,
        "linear {a:?} and quadratic {b:?} are the same package"
    );
    let table = briefing(&["--shape", "quadratic"]);
    assert!(table.contains("(quadratic losses;"), "{table}");
}

#[test]
fn csv_has_one_row_per_package_and_issue_and_per_package_and_actor() {
    let json = coalitions_json(&[]);
    let csv = ok(&["coalitions", "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("package,members,kind,id,value,red_lines,label")
    );
    let issues = strings(&json["issues"]);
    let actors = strings(&json["actors"]);
    // The packages of the JSON, in the order the CSV lists them.
    let mut expected: Vec<(String, &Value)> = Vec::new();
    if !json["unanimous"].is_null() {
        expected.push(("unanimous".into(), &json["unanimous"]));
    }
    if !json["nash"].is_null() {
        expected.push(("nash".into(), &json["nash"]));
    }
    for (n, c) in array(&json["coalitions"]).iter().enumerate() {
        expected.push((format!("coalition-{}", n + 1), &c["package"]));
    }
    if !json["blame"].is_null() {
        expected.push((
            "most-generous-to-holdout".into(),
            &json["blame"]["most_generous"],
        ));
        if !json["blame"]["to_bring_in"].is_null() {
            expected.push(("to-bring-in-holdout".into(), &json["blame"]["to_bring_in"]));
        }
    }
    let rows = csv_rows(&csv);
    for row in &rows {
        assert_eq!(row.len(), 7, "{row:?}");
    }
    // The label column: the issue's label beside a value, the actor's name beside a gain.
    let unanimous_row = |id: &str| {
        rows.iter()
            .find(|r| r[0] == "unanimous" && r[3] == id)
            .map(|r| r[6].clone())
    };
    assert_eq!(
        unanimous_row("nuclear_status").as_deref(),
        Some("North Korea's nuclear status")
    );
    assert_eq!(unanimous_row("US").as_deref(), Some("United States"));
    assert_eq!(
        rows.len(),
        expected.len() * (issues.len() + actors.len()),
        "one value row per package and issue, one net_gain row per package and actor:\n{csv}"
    );
    for (name, package) in &expected {
        let values = numbers(&package["values"]);
        let gains = numbers(&package["net_gains"]);
        for (kind, ids, list) in [("value", &issues, &values), ("net_gain", &actors, &gains)] {
            for (id, &v) in ids.iter().zip(list) {
                let matching: Vec<_> = rows
                    .iter()
                    .filter(|r| r[0] == *name && r[2] == kind && r[3] == *id)
                    .collect();
                assert_eq!(matching.len(), 1, "{name} {kind} {id}:\n{csv}");
                let printed: f64 = matching[0][4].parse().expect("a number");
                assert_eq!(printed, v, "{name} {kind} {id}");
            }
        }
    }
    // The members column: everyone for the unanimous package, the coalition's members otherwise.
    for row in rows.iter().filter(|r| r[0] == "coalition-1") {
        assert_eq!(
            row[1],
            strings(&json["coalitions"][0]["members"]).join(" "),
            "{row:?}"
        );
    }
}

// ------------------------------------------------------------------------------------------------
// Small scenarios with known answers.
// ------------------------------------------------------------------------------------------------

/// Two issues on 0..100, both at status quo `q1`, `q2`.
fn two_issues(q1: f64, q2: f64) -> String {
    format!(
        "[[issues]]\nid = \"i1\"\nmin = 0\nmax = 100\nstatus_quo = {q1}\n\n\
         [[issues]]\nid = \"i2\"\nmin = 0\nmax = 100\nstatus_quo = {q2}\n"
    )
}

/// Five actors A1..A5 who want both issues at 80 and H ("Holdout") who wants both at 0; the
/// status quo is 50, 50. With linear losses the five accept only x1 + x2 > 100, H only
/// x1 + x2 < 100: no 6-0, and exactly one 5-1 coalition.
fn five_against_one() -> String {
    let mut toml = two_issues(50.0, 50.0);
    for k in 1..=5 {
        toml.push_str(&format!(
            "\n[[actors]]\nid = \"A{k}\"\ncapability = 10\n\
             positions = {{ i1 = {{ position = 80, salience = 0.8 }}, i2 = {{ position = 80, salience = 0.8 }} }}\n"
        ));
    }
    toml.push_str(
        "\n[[actors]]\nid = \"H\"\nname = \"Holdout\"\ncapability = 10\n\
         positions = { i1 = { position = 0, salience = 0.8 }, i2 = { position = 0, salience = 0.8 } }\n",
    );
    toml
}

#[test]
fn five_against_one_isolates_the_holdout() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "five-against-one.toml", &five_against_one());
    for shape in ["linear", "quadratic"] {
        let table = briefing(&[&file, "--shape", shape]);
        assert!(
            table.contains(
                "6-0 is out of reach: no package is preferred to the status quo by every actor."
            ),
            "{shape}:\n{table}"
        );
        assert!(
            table.contains("5-1 is the best: 1 coalition(s) of 5 can agree."),
            "{shape}:\n{table}"
        );
        assert!(
            table.contains("\nIsolation: Holdout.\n"),
            "{shape}:\n{table}"
        );
        assert!(table.contains("- without Holdout ("), "{shape}:\n{table}");

        let json = coalitions_json(&[&file, "--shape", shape]);
        assert!(
            json["unanimous"].is_null(),
            "{shape}: {}",
            json["unanimous"]
        );
        assert_eq!(array(&json["unanimous_extent"]).len(), 0, "{shape}");
        let coalitions = array(&json["coalitions"]);
        assert_eq!(coalitions.len(), 1, "{shape}: {coalitions:?}");
        assert_eq!(strings(&coalitions[0]["outsiders"]), ["H"], "{shape}");
        assert_eq!(
            strings(&coalitions[0]["members"]),
            ["A1", "A2", "A3", "A4", "A5"],
            "{shape}"
        );
        assert!(
            (number(&coalitions[0]["capability_share"]) - 5.0 / 6.0).abs() < 1e-12,
            "{shape}"
        );
        let blame = &json["blame"];
        assert_eq!(text(&blame["holdout"]), "H", "{shape}");
        assert!(blame["red_line"].is_null(), "{shape}: {blame}");
        // The most the five can give H still leaves it short of (or at) the status quo.
        assert!(
            number(&blame["holdout_net_gain"]) <= 1e-9,
            "{shape}: {}",
            blame["holdout_net_gain"]
        );
        // On one issue alone (the other at 50) no value suits all six.
        for w in array(&json["issue_win_sets"]) {
            assert_eq!(array(&w["intervals"]).len(), 0, "{shape}: {w}");
        }
    }
}

/// H's red line forbids issue 1 at or below 60 (the status quo is 70); the five care most about
/// issue 1 and ask for a gain of 0.12 before they sign, which needs issue 1 at 58 or lower
/// (0.12 = 1.0 x (70 - x1) / 100 at best, with issue 2 at their position 50). So every package
/// the five accept crosses H's red line, though H would otherwise gain from it (issue 2 up).
fn blocked_by_a_red_line() -> String {
    let mut toml = two_issues(70.0, 50.0);
    for k in 1..=5 {
        toml.push_str(&format!(
            "\n[[actors]]\nid = \"A{k}\"\ncapability = 10\nreservation = 0.12\n\
             positions = {{ i1 = {{ position = 0, salience = 1.0 }}, i2 = {{ position = 50, salience = 0.1 }} }}\n"
        ));
    }
    toml.push_str(
        "\n[[actors]]\nid = \"H\"\nname = \"Holdout\"\ncapability = 10\n\
         positions = { i1 = { position = 100, salience = 0.2 }, i2 = { position = 100, salience = 1.0 } }\n\n\
         [[actors.red_lines]]\nissue = \"i1\"\nmin = 0\nmax = 60\n",
    );
    toml
}

#[test]
fn a_red_line_that_blocks_every_package_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "red-line.toml", &blocked_by_a_red_line());
    let json = coalitions_json(&[&file]);
    assert!(json["unanimous"].is_null(), "{}", json["unanimous"]);
    assert_eq!(strings(&json["coalitions"][0]["outsiders"]), ["H"]);
    let blame = &json["blame"];
    assert_eq!(blame["red_line"].as_str(), Some("i1"), "{blame}");
    // Without the red line H would gain: the red line, not its interests, blocks.
    assert!(number(&blame["holdout_net_gain"]) > 0.0, "{blame}");
    let generous = numbers(&blame["most_generous"]["values"]);
    assert!(
        generous[0] <= 60.0,
        "{generous:?} does not cross the red line"
    );
    // Bringing H in means issue 1 above 60, where each of the five falls short of its margin.
    let in_reach = numbers(&blame["to_bring_in"]["values"]);
    assert!(in_reach[0] > 60.0, "{in_reach:?}");
    let sacrifices = array(&blame["sacrifices"]);
    assert_eq!(sacrifices.len(), 5, "{sacrifices:?}");
    for s in sacrifices {
        assert!(number(&s[1]) < 0.0, "{s}");
    }

    let table = briefing(&[&file]);
    assert!(table.contains("6-0 is out of reach"), "{table}");
    assert!(table.contains("\nIsolation: Holdout.\n"), "{table}");
    assert!(
        table.contains("it crosses Holdout's red line on i1"),
        "{table}"
    );
    assert!(
        table.contains("To bring Holdout in, the others would have to accept losses"),
        "{table}"
    );
}

/// One issue on 0..100 with the status quo at 50; A sits at 40 with salience 0.2, B and C at 100
/// with salience 1. Per 1 point above 50 (linear losses, range 100):
///   B and C gain (x - 50) / 100, so they accept every x in (50, 100];
///   A on its own gains 0.2 (10 - |x - 40|) / 100: it accepts only (30, 50), so 3-0 fails.
/// With `affinity = { B = 0.5 }`, A's gain for x in [50, 100] is
///   gain_A = own + share x gain_B = -0.2 (x - 50) / 100 + 0.5 (x - 50) / 100 = 0.3 (x - 50) / 100,
/// positive for every x > 50 (and for x in [40, 50] it is -0.3 (50 - x) / 100 < 0; below 40 both
/// terms fall), so the win-set is exactly (50, 100]. With a reservation of 0.1 on top, A needs
/// 0.3 (x - 50) / 100 > 0.1, i.e. x > 50 + 100/3.
fn affinity_scenario(affinity: &str) -> String {
    format!(
        "[[issues]]\nid = \"aid\"\nmin = 0\nmax = 100\nstatus_quo = 50\n\n\
         [[actors]]\nid = \"A\"\ncapability = 10\n{affinity}\n\
         positions = {{ aid = {{ position = 40, salience = 0.2 }} }}\n\n\
         [[actors]]\nid = \"B\"\ncapability = 10\n\
         positions = {{ aid = {{ position = 100, salience = 1.0 }} }}\n\n\
         [[actors]]\nid = \"C\"\ncapability = 10\n\
         positions = {{ aid = {{ position = 100, salience = 1.0 }} }}\n"
    )
}

/// The one-issue win-set of `aid` as (lo, hi) pairs.
fn aid_win_set(json: &Value) -> Vec<(f64, f64)> {
    let w = &json["issue_win_sets"][0];
    assert_eq!(text(&w["issue"]), "aid");
    array(&w["intervals"])
        .iter()
        .map(|iv| (number(&iv["lo"]), number(&iv["hi"])))
        .collect()
}

#[test]
fn an_affinity_turns_a_refusal_into_a_yes() {
    let dir = tempfile::tempdir().unwrap();
    let alone = write(dir.path(), "alone.toml", &affinity_scenario(""));
    let partner = write(
        dir.path(),
        "partner.toml",
        &affinity_scenario("affinity = { B = 0.5 }"),
    );
    let demanding = write(
        dir.path(),
        "demanding.toml",
        &affinity_scenario("affinity = { B = 0.5 }\nreservation = 0.1"),
    );

    // Without the affinity A refuses everything B and C accept.
    let json = coalitions_json(&[&alone]);
    assert!(aid_win_set(&json).is_empty(), "{}", json["issue_win_sets"]);
    assert!(json["unanimous"].is_null(), "{}", json["unanimous"]);
    assert_eq!(strings(&json["coalitions"][0]["outsiders"]), ["A"]);
    let table = briefing(&[&alone]);
    assert!(table.contains("3-0 is out of reach"), "{table}");
    assert!(table.contains("\nIsolation: A.\n"), "{table}");

    // With it, A accepts exactly what B and C accept.
    let json = coalitions_json(&[&partner]);
    let set = aid_win_set(&json);
    assert_eq!(set.len(), 1, "{set:?}");
    assert!((set[0].0 - 50.0).abs() < 1e-9, "{set:?}");
    assert!((set[0].1 - 100.0).abs() < 1e-9, "{set:?}");
    // The maximin package is x = 100, where A gains 0.3 x 50 / 100 = 0.15 and B and C 0.5.
    let unanimous = &json["unanimous"];
    assert!(
        (number(&unanimous["values"][0]) - 100.0).abs() < 1e-6,
        "{unanimous}"
    );
    let gains = numbers(&unanimous["net_gains"]);
    for (g, expected) in gains.iter().zip([0.15, 0.5, 0.5]) {
        assert!((g - expected).abs() < 1e-6, "{gains:?}");
    }
    let table = briefing(&[&partner]);
    assert!(table.contains("3-0 is possible"), "{table}");

    // A reservation margin of 0.1 moves the lower end to 50 + 100/3.
    let json = coalitions_json(&[&demanding]);
    let set = aid_win_set(&json);
    assert_eq!(set.len(), 1, "{set:?}");
    assert!((set[0].0 - (50.0 + 100.0 / 3.0)).abs() < 1e-9, "{set:?}");
    assert!((set[0].1 - 100.0).abs() < 1e-9, "{set:?}");
    // At x = 100 A's net gain is 0.15 - 0.1.
    assert!(
        (number(&json["unanimous"]["net_gains"][0]) - 0.05).abs() < 1e-6,
        "{}",
        json["unanimous"]
    );
}

// ------------------------------------------------------------------------------------------------
// Refusals.
// ------------------------------------------------------------------------------------------------

#[test]
fn an_issue_without_a_status_quo_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Issue i2 loses its status quo; the scenario itself is valid (`check` accepts it).
    let body = five_against_one().replacen(
        "id = \"i2\"\nmin = 0\nmax = 100\nstatus_quo = 50\n",
        "id = \"i2\"\nmin = 0\nmax = 100\n",
        1,
    );
    assert_ne!(body, five_against_one(), "the replacement must apply");
    let file = write(dir.path(), "no-status-quo.toml", &body);
    ok(&["check", &file]);
    for format in ["table", "json", "csv"] {
        let mut cmd = statecraft();
        cmd.current_dir(workspace_dir())
            .args(["coalitions", &file, "--format", format]);
        let (code, stdout, stderr) = run(&mut cmd);
        assert_eq!(code, Some(2), "{format}: stderr:\n{stderr}");
        assert!(stdout.is_empty(), "{format}: {stdout}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(stderr.contains("issue `i2`"), "{stderr}");
        assert!(stderr.contains("no status quo"), "{stderr}");
        assert!(!stderr.contains("issue `i1`"), "{stderr}");
    }
}

#[test]
fn an_unknown_shape_is_bad_usage() {
    let mut cmd = statecraft();
    cmd.current_dir(workspace_dir())
        .args(["coalitions", "--shape", "cubic"]);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, Some(2), "stderr:\n{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("cubic"), "{stderr}");
    assert!(
        stderr.contains("linear") && stderr.contains("quadratic"),
        "{stderr}"
    );
}
