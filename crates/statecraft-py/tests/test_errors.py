"""Bad input raises ScenarioError (a ValueError) carrying the problems as data; Ctrl-C cancels."""

import threading
import _thread
import time

import pytest

import statecraft


def test_a_bad_scenario_is_located(small_dir):
    (small_dir / "bad.toml").write_text("[scenario]\ntitle = 3\n[[issues]]\nid = \n")
    with pytest.raises(statecraft.ScenarioError) as info:
        statecraft.load("bad.toml").forecast()
    assert isinstance(info.value, ValueError)
    problem = info.value.problems[0]
    assert problem["file"] == "bad.toml"
    assert problem["line"] == 4
    assert isinstance(problem["column"], int)
    assert problem["message"]
    assert set(problem) >= {"file", "line", "column", "field", "message", "help"}


def test_a_bad_option_names_its_field():
    with pytest.raises(statecraft.ScenarioError) as info:
        statecraft.load("six-party-2009").sweep(runs=0)
    assert info.value.problems[0]["field"] == "analysis.sweep.runs"
    with pytest.raises(statecraft.ScenarioError) as info:
        statecraft.run({"analysis": {"forecast": {"bdm": {"q": "x"}}}})
    assert info.value.problems[0]["field"] == "analysis.forecast.bdm.q"


def test_an_unknown_what_if_is_bad_input():
    with pytest.raises(statecraft.ScenarioError) as info:
        statecraft.load("six-party-2009").with_changes(drop=["Atlantis"]).forecast()
    assert info.value.problems


def test_ctrl_c_stops_a_long_sweep_with_keyboard_interrupt():
    # A sweep far too long to finish (the expected-utility model on a million draws, the most a
    # sweep may ask for: minutes on two cores); an interrupt from another thread arrives while Rust
    # computes with the GIL released.
    timer = threading.Timer(0.5, _thread.interrupt_main)
    timer.start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        statecraft.load("six-party-2009").sweep(runs=1_000_000, models=["bdm"], chunk=1000)
    timer.cancel()
    assert time.monotonic() - started < 30
