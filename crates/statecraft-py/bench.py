"""Benchmarks of the Python package (timeit): the Python overhead of a forecast of the built-in
scenario against the extension's call alone, and a 10^6-draw compromise sweep on a 2-worker
Dask LocalCluster against the same sweep run locally. Run: python crates/statecraft-py/bench.py"""

import json
import sys
import timeit

import statecraft
from statecraft import _native


def best(fn, number, repeat=5):
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def forecast_overhead():
    scenario = statecraft.load("six-party-2009")
    request = json.dumps(scenario.request({"forecast": {}}))
    rust = best(lambda: _native.run(request), number=20)
    python = best(lambda: scenario.forecast().table, number=20)
    print(f"forecast (all models), built-in scenario: _native.run {rust * 1e3:.2f} ms; "
          f"Scenario.forecast().table {python * 1e3:.2f} ms; overhead {100 * (python / rust - 1):.1f}%")


def dask_sweep(runs):
    from distributed import Client, LocalCluster

    scenario = statecraft.load("six-party-2009")
    local = best(lambda: scenario.sweep(runs=runs, models=["compromise"]), number=1, repeat=3)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        statecraft.dask.sweep(scenario, runs=1000, models=["compromise"], client=client)  # warm up
        remote = best(lambda: statecraft.dask.sweep(scenario, runs=runs, models=["compromise"], client=client), number=1, repeat=3)
    print(f"compromise sweep of {runs} draws: local {local:.2f} s; Dask 2-worker LocalCluster {remote:.2f} s; "
          f"ratio {remote / local:.2f}x")


if __name__ == "__main__":
    import statecraft.dask  # noqa: F401

    forecast_overhead()
    dask_sweep(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
