"""Type stubs of ``statecraft.dask``: sweeps split by run index and maps over scenarios on Dask."""

from typing import Any, Dict, Iterable, List, Optional, Union

from . import Scenario
from ._results import Result, Sweep

def sweep(
    scenario: Scenario,
    runs: Optional[int] = ...,
    seed: Optional[int] = ...,
    models: Optional[List[str]] = ...,
    client: Any = ...,
    chunks: Optional[int] = ...,
    **options: Any,
) -> Sweep:
    """``scenario.sweep(runs=..., seed=...)`` on a Dask cluster, equal to it number for number."""

def map(
    analysis: Union[str, Dict[str, Any]],
    items: Iterable[Union[Scenario, Dict[str, Any]]],
    base: Optional[Scenario] = ...,
    client: Any = ...,
    **options: Any,
) -> List[Result]:
    """One analysis over many scenarios or what-ifs (dicts applied to ``base``), one task each."""
