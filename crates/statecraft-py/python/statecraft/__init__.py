"""statecraft: model and forecast multilateral negotiations from Python.

Every call builds one analysis request (docs/api.md) and runs it in Rust through the same API as
the command line, so Python and ``statecraft COMMAND --format json`` give the same numbers. The
GIL is released while Rust computes; Ctrl-C stops a long run with KeyboardInterrupt.

>>> import statecraft
>>> s = statecraft.load("six-party-2009")
>>> s.forecast(models=["compromise"]).table  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import _native
from ._native import RunError, ScenarioError
from ._results import (
    Coalitions,
    Comparison,
    Durability,
    Forecast,
    Inference,
    Power,
    Report,
    Result,
    Sweep,
    Validation,
    wrap,
)

__all__ = [
    "Scenario",
    "ScenarioError",
    "RunError",
    "Result",
    "Forecast",
    "Sweep",
    "Coalitions",
    "Comparison",
    "Durability",
    "Power",
    "Report",
    "Validation",
    "Inference",
    "load",
    "builtins",
    "run",
    "power",
    "validate",
    "compare_runs",
]

SCHEMA_VERSION: str = _native.schema_version()


def _options(**options: Any) -> Dict[str, Any]:
    """The options given (None means: the API's default)."""
    return {k: v for k, v in options.items() if v is not None}


def run_request(request: Dict[str, Any], store: Union[str, "os.PathLike[str]", None] = None) -> Dict[str, Any]:
    """Runs a request (a dict as in docs/api.md) and returns the whole response as a dict;
    ``store`` names a run store (SQLite) to record in, or to compare stored runs from."""
    path = None if store is None else os.fspath(store)
    return json.loads(_native.run(json.dumps(request), path))


def run(request: Dict[str, Any], store: Union[str, "os.PathLike[str]", None] = None) -> Result:
    """Runs a request (a dict as in docs/api.md) and returns its result object."""
    return wrap(run_request(request, store))


def builtins() -> List[Tuple[str, str]]:
    """The built-in scenarios as (name, summary) pairs."""
    return [tuple(b) for b in _native.builtins()]  # type: ignore[misc]


class Scenario:
    """A scenario (where it comes from, as in a request) and the what-ifs applied to it.

    A Scenario is plain data: ``source`` and ``what_if`` are dicts of the request format, so it
    pickles and crosses to Dask workers as that data.
    """

    def __init__(self, source: Dict[str, Any], what_if: Optional[Dict[str, List[str]]] = None):
        self.source: Dict[str, Any] = source
        self.what_if: Dict[str, List[str]] = {k: list(v) for k, v in (what_if or {}).items() if v}

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def builtin(cls, name: str) -> "Scenario":
        """A built-in scenario by name (see :func:`builtins`)."""
        return cls({"builtin": {"name": name}})

    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"], format: Optional[str] = None) -> "Scenario":
        """A scenario file (TOML, JSON, CSV, KTAB, DECIDE); problems are located in it."""
        with open(path, encoding="utf-8") as f:
            text = f.read()
        source: Dict[str, Any] = {"file": os.fspath(path), "text": text}
        if format is not None:
            source["format"] = format
        return cls({"text": source})

    @classmethod
    def from_text(cls, text: str, file: str = "scenario.toml", format: Optional[str] = None) -> "Scenario":
        """A scenario from its text, named ``file`` in problems."""
        source: Dict[str, Any] = {"file": file, "text": text}
        if format is not None:
            source["format"] = format
        return cls({"text": source})

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Scenario":
        """A scenario from data in statecraft's JSON format (what :meth:`to_dict` gives)."""
        return cls({"inline": {"scenario": data}})

    # -- plain data -----------------------------------------------------------------------
    def request(self, analysis: Any) -> Dict[str, Any]:
        """The request of ``analysis`` (a dict or a name such as ``"check"``) on this scenario."""
        request: Dict[str, Any] = {"scenario": self.source, "analysis": analysis}
        if self.what_if:
            request["what_if"] = self.what_if
        return request

    def to_source(self) -> Dict[str, Any]:
        """The scenario and its what-ifs as plain data (what crosses to Dask workers)."""
        return {"source": self.source, "what_if": self.what_if}

    @classmethod
    def from_source(cls, data: Dict[str, Any]) -> "Scenario":
        """The inverse of :meth:`to_source`."""
        return cls(data["source"], data.get("what_if"))

    def __getstate__(self) -> Dict[str, Any]:
        return self.to_source()

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self.source = state["source"]
        self.what_if = state.get("what_if") or {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scenario) and self.to_source() == other.to_source()

    def __repr__(self) -> str:
        kind = next(iter(self.source))
        name = self.source[kind].get("name") or self.source[kind].get("file") or kind
        changes = f", what_if={self.what_if}" if self.what_if else ""
        return f"Scenario({name!r}{changes})"

    def to_dict(self) -> Dict[str, Any]:
        """The scenario (after its what-ifs) in statecraft's JSON format (``statecraft show``)."""
        return self._run("show").to_dict()

    def to_toml(self) -> str:
        """The scenario (after its what-ifs) as TOML (``statecraft convert``)."""
        return self._run({"convert": {"to": "toml"}}).data["text"]

    # -- what-ifs -------------------------------------------------------------------------
    def with_changes(
        self,
        set: Union[str, Iterable[str], Dict[str, Any], None] = None,
        drop: Union[str, Iterable[str], None] = None,
        add_actor: Union[str, Iterable[str], None] = None,
    ) -> "Scenario":
        """A copy with more what-ifs, written as on the command line: ``set=["US.capability=50"]``
        (or a dict ``{"US.capability": 50}``), ``drop=["Russia"]``, ``add_actor=[...]``."""
        def listed(v: Any) -> List[str]:
            if v is None:
                return []
            if isinstance(v, str):
                return [v]
            if isinstance(v, dict):
                return [f"{k}={val}" for k, val in v.items()]
            return [str(x) for x in v]

        what_if = {k: list(v) for k, v in self.what_if.items()}
        for key, value in (("set", set), ("drop", drop), ("add_actor", add_actor)):
            extra = listed(value)
            if extra:
                what_if[key] = what_if.get(key, []) + extra
        return Scenario(self.source, what_if)

    # -- analyses -------------------------------------------------------------------------
    def _run(self, analysis: Any) -> Result:
        return run(self.request(analysis))

    def check(self) -> Result:
        """Reads and validates the scenario (``statecraft check``)."""
        return self._run("check")

    def forecast(
        self,
        models: Optional[Sequence[str]] = None,
        bdm: Optional[Dict[str, Any]] = None,
        smp: Optional[Dict[str, Any]] = None,
    ) -> Forecast:
        """Where each issue lands by every chosen model (``statecraft forecast``)."""
        return self._run({"forecast": _options(models=_list(models), bdm=bdm, smp=smp)})  # type: ignore[return-value]

    def sweep(self, runs: Optional[int] = None, seed: Optional[int] = None, models: Optional[Sequence[str]] = None, **options: Any) -> Sweep:
        """Monte Carlo over the uncertain inputs (``statecraft sweep``); options as in
        docs/api.md (``uncertainty``, ``coalitions``, ``durability``, ``sensitivity``, ...)."""
        return self._run({"sweep": _options(runs=runs, seed=seed, models=_list(models), **options)})  # type: ignore[return-value]

    def coalitions(self, shape: Optional[str] = None) -> Coalitions:
        """Who can agree with whom (``statecraft coalitions``); ``shape`` linear or quadratic."""
        return self._run({"coalitions": _options(shape=shape)})  # type: ignore[return-value]

    def durability(self, package: Optional[Sequence[str]] = None, forms: Optional[Sequence[str]] = None, **options: Any) -> Durability:
        """Survival of an agreement under changes of government (``statecraft durability``);
        ``package=["ISSUE=VALUE", ...]``, ``forms``, ``years``, ``runs``, ``seed``, ``step``."""
        return self._run({"durability": _options(package=_list(package), forms=_list(forms), **options)})  # type: ignore[return-value]

    def power(self, rule: Optional[str] = None, **options: Any) -> Power:
        """Voting power of the scenario's actors (``statecraft power``)."""
        return self._run({"power": _options(rule=rule, **options)})  # type: ignore[return-value]

    def infer(self, package: Optional[Sequence[str]] = None, seed: Optional[int] = None, **options: Any) -> Inference:
        """What the record of accepted and refused packages says each party wants
        (``statecraft infer``): posteriors of positions and saliences, and the chance that each
        actor accepts ``package=["ISSUE=VALUE", ...]`` (default: the maximin package); options
        ``uncertainty``, ``chains``, ``draws``, ``noise``, ``lapse``, ... as in docs/api.md."""
        return self._run({"infer": _options(package=_list(package), seed=seed, **options)})  # type: ignore[return-value]

    def compare(self, other: Optional["Scenario"] = None, models: Optional[Sequence[str]] = None) -> Comparison:
        """This scenario (A) against ``other`` (B, with ``other``'s what-ifs), or, without
        ``other``, against itself with its what-ifs applied (``statecraft compare``): the inputs
        that differ by path, and how every analysis moved, biggest first."""
        if other is None:
            # The request's what-ifs make B from A.
            return self._run({"compare": _options(models=_list(models))})  # type: ignore[return-value]
        if self.what_if:
            raise ValueError("compare(other) takes A without what-ifs: put the changes on `other`")
        request = self.request({"compare": _options(other=other.source, models=_list(models))})
        if other.what_if:
            request["what_if"] = other.what_if
        return run(request)  # type: ignore[return-value]

    def report(
        self,
        path: Union[str, "os.PathLike[str]", None] = None,
        format: Optional[str] = None,
        **options: Any,
    ) -> Report:
        """Every analysis as one report document (``statecraft report``). With ``path``, the
        report is also written there: HTML, Markdown, JSON or CSV, from ``format`` or else the
        file's extension (``.html``, ``.md``, ``.json``, ``.csv``; HTML otherwise), by the same
        exporters as ``statecraft report -o``."""
        request = self.request({"report": _options(**options)})
        if path is None:
            return run(request)  # type: ignore[return-value]
        if format is None:
            ext = os.path.splitext(os.fspath(path))[1].lower()
            format = {".md": "md", ".markdown": "md", ".json": "json", ".csv": "csv"}.get(ext, "html")
        response, text = _native.report(json.dumps(request), format)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return wrap(json.loads(response))  # type: ignore[return-value]


def _list(v: Optional[Sequence[str]]) -> Optional[List[str]]:
    if v is None:
        return None
    return [v] if isinstance(v, str) else list(v)


def load(path_or_builtin: Union[str, "os.PathLike[str]"], format: Optional[str] = None) -> Scenario:
    """A scenario: a built-in name (``"six-party-2009"``) or a scenario file's path."""
    name = os.fspath(path_or_builtin)
    if not os.path.exists(name) and name in {b[0] for b in builtins()}:
        return Scenario.builtin(name)
    return Scenario.from_file(name, format)


def power(weights: Sequence[Any], quota: Optional[Any] = None, rule: Optional[str] = None, **options: Any) -> Power:
    """Voting power of a weighted game given by its weights (``statecraft power --weights``)."""
    return run({"analysis": {"power": _options(weights=[str(w) for w in weights], quota=None if quota is None else str(quota), rule=rule, **options)}})  # type: ignore[return-value]


def validate(data: Union[str, "os.PathLike[str]"], **options: Any) -> Validation:
    """Scores every model against past decisions with known outcomes (``statecraft validate``);
    ``data`` is a DEU table or an outcomes CSV."""
    return run({"analysis": {"validate": _options(data=os.fspath(data), **options)}})  # type: ignore[return-value]


def compare_runs(store: Union[str, "os.PathLike[str]"], a: int, b: int) -> Comparison:
    """Two finished runs of the run store ``store`` side by side (``statecraft compare --store
    FILE A B``): their stored scenarios, parameters and results, nothing run again."""
    return run({"analysis": {"compare": {"runs": [int(a), int(b)]}}}, store)  # type: ignore[return-value]
