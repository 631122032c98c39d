"""What the analyst reads reaches Python unchanged: red-line flags, draw counts, Sobol intervals,
ties, disagreement notes, the report's inputs, and ``compare`` of scenarios and stored runs, each
equal to the CLI's ``--format json`` for the same request."""

import statecraft

# C refuses tariffs of 30..45: the compromise (weights 40 at 20, 15 at 70, 8 at 55: 36.3) falls
# inside it. A faces an election with a successor; there are two agreement forms.
RED = """
[scenario]
title = "Red lines"
date = "2020-01-01"

[[issues]]
id = "tariff"
min = 0
max = 100
status_quo = 40

[[actors]]
id = "A"
capability = 50
positions = { tariff = { position = 20, salience = 0.8 } }

[actors.domestic]
[[actors.domestic.changes]]
label = "2022 election"
date = "2022-05-01"
turnover = 0.4
[[actors.domestic.changes.successors]]
label = "protectionist"
probability = 1
positions = { tariff = { position = 80 } }

[[actors]]
id = "B"
capability = 30
positions = { tariff = { position = 70, salience = 0.5 } }

[[actors]]
id = "C"
capability = 20
positions = { tariff = { position = 55, salience = 0.4 } }

[[actors.red_lines]]
issue = "tariff"
min = 30
max = 45

[[forms]]
id = "statement"
label = "Joint statement"
cost = 0.05

[[forms]]
id = "treaty"
label = "Ratified treaty"
cost = 0.4
"""


def _red(tmp_path):
    (tmp_path / "red.toml").write_text(RED)
    return statecraft.load(str(tmp_path / "red.toml"))


def test_red_line_flags_reach_python(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = _red(tmp_path)
    f = s.forecast(models=["compromise"])
    assert f.to_dict() == cli(["forecast", "red.toml", "--model", "compromise", "--format", "json"], tmp_path)
    flags = f.data["forecasts"][0]["issues"][0]["red_lines"]
    assert [(x["actor"], x["min"], x["max"], x["min_included"], x["max_included"]) for x in flags] == [
        ("C", 30.0, 45.0, True, True)
    ]


def test_draw_counts_intervals_ties_and_disagreements_reach_python(cli, small_dir):
    s = statecraft.load("six-party-2009")
    sweep = s.sweep(runs=256, seed=3, models=["compromise"], sensitivity=64)
    assert sweep.to_dict() == cli(
        ["sweep", "--runs", "256", "--seed", "3", "--model", "compromise", "--sensitivity", "64", "--format", "json"],
        small_dir,
    )
    spread = sweep.data["models"][0]["issues"][0]
    assert spread["runs"] == 256 and spread["runs_with_value"] <= 256
    index = sweep.data["sensitivity"]["issues"][0]["inputs"][0]
    low, high = index["total_interval"]
    assert low <= high

    c = s.coalitions()
    assert isinstance(c.data["unanimous"]["least_satisfied"], list)
    f = s.forecast()
    assert f.data["disagreements"], "the built-in scenario's models disagree on some issue"
    assert all(d["note"] for d in f.data["disagreements"])


def test_report_lists_its_inputs(tmp_path):
    report = _red(tmp_path).report(histories=200).to_dict()
    inputs = report["inputs"]
    assert [(x["actor"], x["issue"], x["min"], x["max"]) for x in inputs["red_lines"]] == [("C", "tariff", 30.0, 45.0)]
    (change,) = inputs["leadership_changes"]
    assert (change["actor"], change["kind"], change["probability"]) == ("A", "election", 0.4)
    assert change["successors"][0]["positions"][0]["position"] == 80.0
    assert [f["id"] for f in inputs["forms"]] == ["statement", "treaty"]


def test_compare_scenarios_and_what_ifs(cli, small_dir):
    s = statecraft.load("small.toml")
    changed = s.with_changes(set=["A.capability=10"])
    c = changed.compare(models=["compromise", "median"])
    assert c.to_dict() == cli(
        ["compare", "small.toml", "--set", "A.capability=10", "--model", "compromise,median", "--format", "json"],
        small_dir,
    )
    assert list(c.inputs["path"]) == ["A.capability"]
    assert not c.moves.empty
    assert list(c.moves["share"]) == sorted(c.moves["share"], reverse=True)


def test_compare_stored_runs(cli, small_dir):
    store = small_dir / "runs.sqlite"
    cli(["forecast", "small.toml", "--format", "json", "--store", str(store)], small_dir)
    cli(["forecast", "small.toml", "--set", "B.capability=90", "--format", "json", "--store", str(store)], small_dir)
    c = statecraft.compare_runs(store, 1, 2)
    assert c.to_dict() == cli(["compare", "--store", str(store), "1", "2", "--format", "json"], small_dir)
    assert "B.capability" in list(c.inputs["path"])
