"""Type stubs of the Rust extension ``statecraft._native`` (a thin adapter over the analysis API)."""

from typing import Any, Dict, List, Optional, Tuple

class ScenarioError(ValueError):
    """The scenario, the request or an option is malformed.

    ``problems`` lists each problem as a dict with ``file``, ``line``, ``column``, ``field``,
    ``message``, ``help`` and ``severity`` (missing parts are None).
    """

    problems: List[Dict[str, Any]]

class RunError(RuntimeError):
    """The input was fine but the run failed; ``problems`` as in ScenarioError."""

    problems: List[Dict[str, Any]]

def report(request_json: str, format: str) -> Tuple[str, str]:
    """Runs a report request; returns the response (JSON text) and the report written in
    ``format`` (html, md, json or csv)."""
    ...

def run(request_json: str, store: Optional[str] = None) -> str:
    """Runs one request (JSON text, docs/api.md) and returns the response as JSON text;
    ``store`` names a run store (SQLite) to record in or to compare stored runs from.

    The GIL is released while Rust computes; Ctrl-C cancels the run and raises
    KeyboardInterrupt. Bad input raises ScenarioError.
    """

def sweep_draws(request_json: str, start: int, end: int) -> Tuple[bytes, int, int]:
    """The draws ``start..end`` of a sweep request: (little-endian f64 bytes, models, issues).

    The values are draw-major, then model, then issue; NaN where a model gives no value.
    """

def sweep_summary(request_json: str, values: bytes) -> str:
    """The response (JSON text) of a sweep request from all its draws in run order."""

class SweepSummary:
    """A split sweep summarised slice by slice in run order; it keeps summaries, not draws."""

    def __init__(self, request_json: str) -> None: ...
    def next_run(self) -> int:
        """The run index the next slice must start at."""
    def add(self, start: int, values: bytes) -> None:
        """Adds the draws starting at run ``start`` (the bytes of ``sweep_draws``)."""
    def finish(self) -> str:
        """The response (JSON text) once every run has been added."""

def builtins() -> List[Tuple[str, str]]:
    """The built-in scenarios as (name, summary) pairs."""

def schema_version() -> str:
    """The version of the request and response formats (``statecraft-api/1``)."""
