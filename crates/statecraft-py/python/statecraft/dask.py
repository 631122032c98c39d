"""Statecraft on Dask: a sweep split into chunks by run index (every draw has its own seeded
random stream, so the split changes no number), and a map of one analysis over many scenarios or
what-ifs. Only plain data crosses to the workers: request JSON text out, draws as bytes (or
response JSON) back."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Optional, Union

from . import _native, _results, Scenario, _options, _list


def _client(client: Any) -> Any:
    if client is not None:
        return client
    from distributed import get_client

    return get_client()


def _draws(request_json: str, start: int, end: int) -> bytes:
    """On a worker: the draws start..end of a sweep request as little-endian f64 bytes."""
    values, _, _ = _native.sweep_draws(request_json, start, end)
    return values


def _run(request_json: str) -> str:
    """On a worker: the response of one request as JSON text."""
    return _native.run(request_json)


def sweep(
    scenario: Scenario,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    models: Optional[List[str]] = None,
    client: Any = None,
    chunks: Optional[int] = None,
    **options: Any,
) -> _results.Sweep:
    """``scenario.sweep(runs=..., seed=...)`` on a Dask cluster: the runs are split into
    ``chunks`` slices by run index (default: four per worker), drawn on the workers and
    summarised here slice by slice in run order as they arrive: the driver keeps the streaming
    summaries and one slice at a time, never every draw. The result equals the local sweep
    number for number."""
    request = scenario.request({"sweep": _options(runs=runs, seed=seed, models=_list(models), **options)})
    text = json.dumps(request)
    total = runs if runs is not None else 1000
    client = _client(client)
    if chunks is None:
        workers = len(client.scheduler_info().get("workers", {})) or 1
        chunks = 4 * workers
    chunks = max(1, min(int(chunks), total))
    bounds = [total * k // chunks for k in range(chunks + 1)]
    summary = _native.SweepSummary(text)
    futures = [
        client.submit(_draws, text, a, b, pure=False)
        for a, b in zip(bounds, bounds[1:])
    ]
    # In run order: each slice is added, then dropped here and released on the cluster.
    for k, (start, future) in enumerate(zip(bounds, futures)):
        summary.add(start, future.result())
        futures[k] = None
        future.release()
    response = json.loads(summary.finish())
    return _results.wrap(response)  # type: ignore[return-value]


def map(
    analysis: Union[str, Dict[str, Any]],
    items: Iterable[Union[Scenario, Dict[str, Any]]],
    base: Optional[Scenario] = None,
    client: Any = None,
    **options: Any,
) -> List[_results.Result]:
    """One analysis over many scenarios or what-ifs, one task each: ``analysis`` is its name
    (``"forecast"``) with ``options``, or a request's ``analysis`` dict; each item is a
    Scenario, or a what-if dict (``{"set": [...], "drop": [...]}``) applied to ``base`` (default:
    the built-in scenario). Results come back in the order of ``items``."""
    if isinstance(analysis, str):
        body: Any = analysis if analysis in ("check", "show") else {analysis: _options(**options)}
    else:
        body = analysis
    base = base or Scenario.builtin("six-party-2009")
    requests = []
    for item in items:
        scenario = item if isinstance(item, Scenario) else base.with_changes(**item)
        requests.append(json.dumps(scenario.request(body)))
    client = _client(client)
    futures = [client.submit(_run, r, pure=False) for r in requests]
    return [_results.wrap(json.loads(t)) for t in client.gather(futures)]
