"""Every Python analysis gives exactly the CLI's ``--format json`` output for the same request."""

import statecraft
from conftest import REPO


def test_forecast_builtin(cli, small_dir):
    assert statecraft.load("six-party-2009").forecast().to_dict() == cli(["forecast", "--format", "json"], small_dir)


def test_forecast_file_with_what_if_and_traces(cli, small_dir):
    s = statecraft.load("small.toml").with_changes(set=["A.capability=60"])
    f = s.forecast(models=["compromise", "bdm", "smp"])
    assert f.to_dict() == cli(
        ["forecast", "small.toml", "--model", "compromise,bdm,smp", "--set", "A.capability=60", "--format", "json"],
        small_dir,
    )
    table = f.table
    assert list(table.columns) == ["issue", "model", "value", "note"]
    assert len(table) == 3 * 2
    assert set(f.rounds["issue"]) == {"tariff", "quota"}
    assert len(f.round_summary) == len({(r["issue"], r["round"]) for _, r in f.rounds.iterrows()})
    assert set(f.turns["actor"]) == {"A", "B", "C"}


def test_forecast_bdm_options(cli, small_dir):
    f = statecraft.load("six-party-2009").forecast(models=["bdm"], bdm={"variant": "scholz-paper", "q": 0.5, "rounds": 5})
    assert f.to_dict() == cli(
        ["forecast", "--model", "bdm", "--variant", "scholz-paper", "--q", "0.5", "--rounds", "5", "--format", "json"],
        small_dir,
    )


def test_check(cli, small_dir):
    assert statecraft.load("small.toml").check().to_dict() == cli(["check", "small.toml", "--format", "json"], small_dir)


def test_show_and_round_trips(cli, small_dir):
    s = statecraft.load("six-party-2009").with_changes(drop=["Russia"])
    data = s.to_dict()
    assert data == cli(["show", "six-party-2009", "--drop", "Russia", "--format", "json"], small_dir)
    again = statecraft.Scenario.from_dict(data)
    assert again.forecast().to_dict()["forecasts"] == s.forecast().to_dict()["forecasts"]
    toml = statecraft.load("small.toml").to_toml()
    assert statecraft.Scenario.from_text(toml).to_dict() == statecraft.load("small.toml").to_dict()


def test_sweep(cli, small_dir):
    sweep = statecraft.load("six-party-2009").sweep(runs=300, seed=7, coalitions=True)
    assert sweep.to_dict() == cli(["sweep", "--runs", "300", "--seed", "7", "--coalitions", "--format", "json"], small_dir)
    assert {"model", "issue", "mean", "sd", "q5", "q95"} <= set(sweep.table.columns)


def test_coalitions(cli, small_dir):
    c = statecraft.load("six-party-2009").coalitions(shape="quadratic")
    assert c.to_dict() == cli(["coalitions", "--shape", "quadratic", "--format", "json"], small_dir)


def test_durability(cli, small_dir):
    d = statecraft.load("six-party-2009").durability(runs=2000, forms=["treaty"])
    assert d.to_dict() == cli(["durability", "--runs", "2000", "--form", "treaty", "--format", "json"], small_dir)
    assert list(d.table.columns) == ["form", "years", "survival"]


def test_power(cli, small_dir):
    p = statecraft.load("six-party-2009").power(rule="qualified=0.65")
    assert p.to_dict() == cli(["power", "--rule", "qualified=0.65", "--format", "json"], small_dir)
    assert list(p.table["name"]) == ["US", "DPRK", "ROK", "Japan", "China", "Russia"]
    game = statecraft.power([4, 3, 2, 1], quota=6)
    assert game.to_dict() == cli(["power", "--weights", "4,3,2,1", "--quota", "6", "--format", "json"], small_dir)


def test_report(cli, small_dir):
    r = statecraft.load("small.toml").report(small_dir / "report.json", histories=500)
    assert r.to_dict() == cli(["report", "small.toml", "--histories", "500", "--format", "json"], small_dir)
    assert (small_dir / "report.json").exists()


def test_validate(cli, small_dir):
    data = str(REPO / "crates/statecraft-io/tests/fixtures/deu/small.tsv")
    v = statecraft.validate(data, folds=3, bootstrap=200)
    assert v.to_dict() == cli(["validate", data, "--folds", "3", "--bootstrap", "200", "--format", "json"], small_dir)


def test_report_as_html_and_markdown(cli, small_dir):
    """The written report is the CLI's, byte for byte, in every format the path names."""
    import subprocess
    from conftest import _binary

    s = statecraft.load("small.toml")
    for name in ["py.html", "py.md"]:
        s.report(small_dir / name, histories=500)
        theirs = "cli" + name[2:]
        subprocess.run([str(_binary()), "report", "small.toml", "--histories", "500", "-o", theirs], cwd=small_dir, check=True, capture_output=True)
        assert (small_dir / name).read_text() == (small_dir / theirs).read_text()
    assert (small_dir / "py.html").read_text().startswith("<!DOCTYPE html>")


def test_infer(cli, small_dir):
    result = statecraft.load("six-party-2009").infer(seed=3)
    assert result.to_dict() == cli(["infer", "--seed", "3", "--format", "json"], small_dir)
    assert result.converged
    posterior = result.posterior
    assert len(posterior) == 72  # a position and a salience per actor and issue
    assert (posterior["posterior_q10"] <= posterior["posterior_q90"]).all()
    acceptance = result.acceptance
    assert list(acceptance["actor"])[:6] == ["US", "DPRK", "ROK", "Japan", "China", "Russia"]
    assert ((acceptance["posterior"] >= 0) & (acceptance["posterior"] <= 1)).all()
