"""Results of statecraft analyses as Python data: each wraps one API response (docs/api.md),
gives the result as plain data (``to_dict()``) and tables as pandas DataFrames. Nothing here
computes an analysis; the tables only reshape the response."""

from __future__ import annotations

import copy
import json
from typing import Any, Dict, List

import pandas as pd


class Result:
    """One analysis's response: ``to_dict()`` is exactly the CLI's ``--format json`` output."""

    def __init__(self, response: Dict[str, Any]):
        self.response = response
        self.analysis: str = response["analysis"]
        self.notes: List[str] = list(response.get("notes", []))
        self.warnings: List[Dict[str, Any]] = list(response.get("warnings", []))

    def to_dict(self) -> Dict[str, Any]:
        """The result as plain data (a deep copy), as ``statecraft COMMAND --format json``."""
        return copy.deepcopy(self.response["result"])

    def to_json(self) -> str:
        """The result as JSON text."""
        return json.dumps(self.response["result"])

    @property
    def data(self) -> Dict[str, Any]:
        return self.response["result"]

    def __repr__(self) -> str:
        return f"<statecraft {self.analysis} result; .to_dict() for the data>"


class Forecast(Result):
    """A forecast: ``table`` (issue, model, value, note), ``rounds`` and ``round_summary`` (the
    expected-utility model's rounds), ``turns`` (the spatial model's positions by turn)."""

    @property
    def table(self) -> pd.DataFrame:
        rows = [
            {"issue": i["issue"], "model": f["model"], "value": i["value"], "note": i["note"]}
            for f in self.data["forecasts"]
            for i in f["issues"]
        ]
        frame = pd.DataFrame(rows, columns=["issue", "model", "value", "note"])
        frame["value"] = frame["value"].astype(float)
        return frame

    @property
    def rounds(self) -> pd.DataFrame:
        """One row per issue, round and actor of the expected-utility model's runs."""
        rows = []
        for entry in self.data.get("bdm_runs") or []:
            run = entry["run"]
            for rnd in run["rounds"]:
                for actor, a in zip(run["actors"], rnd["actors"]):
                    offer = a.get("offer") or {}
                    rows.append(
                        {
                            "issue": entry["issue"],
                            "round": rnd["round"],
                            "actor": actor,
                            "x_before": a.get("x_before"),
                            "danger_r1": a.get("danger_r1"),
                            "risk": a.get("risk"),
                            "r": a.get("r"),
                            "offer_kind": offer.get("kind"),
                            "offer_from": offer.get("from"),
                            "eu_ij": offer.get("eu_ij"),
                            "eu_ji": offer.get("eu_ji"),
                            "offer_to": offer.get("to"),
                            "x_after": a.get("x_after"),
                        }
                    )
        return pd.DataFrame(rows)

    @property
    def round_summary(self) -> pd.DataFrame:
        """The median and mean position per issue and round of the expected-utility model."""
        rows = [
            {"issue": e["issue"], "round": r["round"], "median": r["median"], "mean": r["mean"]}
            for e in self.data.get("bdm_runs") or []
            for r in e["run"]["rounds"]
        ]
        return pd.DataFrame(rows, columns=["issue", "round", "median", "mean"])

    @property
    def turns(self) -> pd.DataFrame:
        """The spatial model's positions: one row per state (0 = start), actor and issue."""
        run = self.data.get("smp_run")
        if not run:
            return pd.DataFrame(columns=["turn", "actor", "issue", "position"])
        dims = [d["id"] for d in run["dimensions"]]
        rows = [
            {"turn": t, "actor": actor, "issue": dims[d], "position": p}
            for t, state in enumerate(run["states"])
            for actor, positions in zip(run["actors"], state["positions"])
            for d, p in enumerate(positions)
        ]
        return pd.DataFrame(rows)


class Sweep(Result):
    """A sweep: ``table`` has one row per model and issue with its spread."""

    @property
    def table(self) -> pd.DataFrame:
        rows = []
        for m in self.data["models"]:
            for i in m["issues"]:
                q = i.get("quantiles") or [None] * 5
                rows.append(
                    {
                        "model": m["model"],
                        "issue": i["issue"],
                        "runs_with_value": i["runs_with_value"],
                        "mean": i["mean"],
                        "sd": i["sd"],
                        "q5": q[0],
                        "q25": q[1],
                        "q50": q[2],
                        "q75": q[3],
                        "q95": q[4],
                    }
                )
        return pd.DataFrame(rows)


class Coalitions(Result):
    """The coalition analysis: ``table`` has one row per coalition."""

    @property
    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.data.get("coalitions") or [])


class Durability(Result):
    """The durability analysis: ``table`` holds the survival curves (form, years, survival)."""

    @property
    def table(self) -> pd.DataFrame:
        rows = [
            {"form": f["form"], "years": t, "survival": s}
            for f in self.data["forms"]
            for t, s in zip(f["times"], f["survival"])
        ]
        return pd.DataFrame(rows, columns=["form", "years", "survival"])


class Power(Result):
    """Voting power: ``table`` has one row per player."""

    @property
    def table(self) -> pd.DataFrame:
        for key in ("players", "actors"):
            if isinstance(self.data.get(key), list):
                return pd.DataFrame(self.data[key])
        return pd.DataFrame()


class Comparison(Result):
    """A comparison (``compare``): ``inputs`` (path, a, b, size) holds the inputs that differ,
    ``moves`` (analysis, model, issue, a, b, change, share) how the analyses moved, biggest
    first."""

    @property
    def inputs(self) -> pd.DataFrame:
        return pd.DataFrame(self.data["inputs"], columns=["path", "a", "b", "size"])

    @property
    def moves(self) -> pd.DataFrame:
        return pd.DataFrame(
            self.data["moves"], columns=["analysis", "model", "issue", "a", "b", "change", "share"]
        )


class Report(Result):
    """The report document (schema ``statecraft-report/1``)."""


class Validation(Result):
    """The accuracy report of ``validate`` (docs/validation.md)."""


class Inference(Result):
    """What the record says each party wants (``infer``, docs/models/inference.md):
    ``converged``, ``posterior`` (one row per inferred value, prior against posterior) and
    ``acceptance`` (each actor's chance of accepting the package, prior and posterior)."""

    @property
    def converged(self) -> bool:
        return bool(self.data["converged"])

    @property
    def posterior(self) -> pd.DataFrame:
        rows = []
        for p in self.data["parameters"]:
            row = {"actor": p["actor"], "issue": p["issue"], "quantity": p["quantity"], "touched": p["touched"]}
            for side in ("prior", "posterior"):
                for key in ("mean", "q10", "q90"):
                    row[f"{side}_{key}"] = p[side][key]
            row["rhat"] = p["rhat"]
            row["ess"] = p["ess"]
            rows.append(row)
        return pd.DataFrame(rows)

    @property
    def acceptance(self) -> pd.DataFrame:
        prediction = self.data["prediction"]
        rows = [dict(a) for a in prediction["accept"]]
        rows.append({"actor": "all (6-0)" if len(rows) == 6 else "all", **{k: v for k, v in prediction["unanimous"].items() if k != "actor"}})
        return pd.DataFrame(rows, columns=["actor", "prior", "posterior"])


KINDS = {
    "forecast": Forecast,
    "sweep": Sweep,
    "coalitions": Coalitions,
    "durability": Durability,
    "power": Power,
    "report": Report,
    "validate": Validation,
    "infer": Inference,
    "compare": Comparison,
}


def wrap(response: Dict[str, Any]) -> Result:
    """The result class of a response's analysis."""
    return KINDS.get(response["analysis"], Result)(response)
