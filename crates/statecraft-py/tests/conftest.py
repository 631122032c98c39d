"""Shared fixtures of the Python tests: the repository, the built CLI binary, a small scenario."""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]

SMALL = """
[scenario]
title = "Three parties"
date = "2020-01-01"

[[issues]]
id = "tariff"
min = 0
max = 100
status_quo = 40

[[issues]]
id = "quota"
min = 0
max = 10
status_quo = 2

[[actors]]
id = "A"
capability = 50
positions = { tariff = { position = 20, salience = 0.8 }, quota = { position = 8, salience = 0.3 } }

[[actors]]
id = "B"
capability = 30
positions = { tariff = { position = 70, salience = 0.5 }, quota = { position = 3, salience = 0.6 } }

[[actors]]
id = "C"
capability = 20
positions = { tariff = { position = 55, salience = 0.4 }, quota = { position = 6, salience = 0.5 } }
"""


def _binary() -> Path:
    env = os.environ.get("STATECRAFT_BIN")
    if env:
        return Path(env)
    for profile in ("debug", "release"):
        path = REPO / "target" / profile / "statecraft"
        if path.exists():
            return path
    pytest.skip("build the CLI first: cargo build -p statecraft")


@pytest.fixture(scope="session")
def cli():
    """Runs the CLI with arguments in a directory; returns its parsed JSON output."""
    binary = _binary()

    def call(args, cwd):
        out = subprocess.run([str(binary), *args], cwd=cwd, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    return call


@pytest.fixture
def small_dir(tmp_path, monkeypatch):
    """A directory holding small.toml, made the working directory."""
    (tmp_path / "small.toml").write_text(SMALL)
    monkeypatch.chdir(tmp_path)
    return tmp_path
