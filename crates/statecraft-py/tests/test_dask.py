"""Sweeps split over Dask workers equal the local sweep number for number; a map over what-ifs
equals the local calls."""

import pytest

import statecraft
import statecraft.dask

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_a_dask_sweep_equals_the_local_one(client):
    s = statecraft.load("six-party-2009")
    local = s.sweep(runs=2000, seed=11, models=["compromise", "median", "nash"], coalitions=True)
    remote = statecraft.dask.sweep(s, runs=2000, seed=11, models=["compromise", "median", "nash"], coalitions=True, client=client, chunks=7)
    assert remote.to_dict() == local.to_dict()
    assert remote.notes == local.notes


def test_a_dask_sweep_of_a_what_if_with_bdm_equals_the_local_one(client):
    s = statecraft.load("six-party-2009").with_changes(drop=["Russia"])
    local = s.sweep(runs=60, seed=3, models=["bdm", "compromise"])
    remote = statecraft.dask.sweep(s, runs=60, seed=3, models=["bdm", "compromise"], client=client)
    assert remote.to_dict() == local.to_dict()


def test_map_over_three_what_ifs_equals_three_local_calls(client):
    base = statecraft.load("six-party-2009")
    what_ifs = [{"drop": ["Russia"]}, {"set": ["US.capability=50"]}, {"drop": ["Japan"], "set": ["China.capability=90"]}]
    remote = statecraft.dask.map("forecast", what_ifs, base=base, client=client, models=["compromise", "bdm"])
    local = [base.with_changes(**w).forecast(models=["compromise", "bdm"]) for w in what_ifs]
    assert [r.to_dict() for r in remote] == [r.to_dict() for r in local]


def test_scenarios_cross_as_plain_data():
    import pickle

    s = statecraft.load("six-party-2009").with_changes(drop=["Russia"])
    state = s.__getstate__()
    assert state == {"source": {"builtin": {"name": "six-party-2009"}}, "what_if": {"drop": ["Russia"]}}
    assert pickle.loads(pickle.dumps(s)) == s


def test_a_sweep_summarised_slice_by_slice_equals_the_local_one():
    import json

    from statecraft import _native

    s = statecraft.load("six-party-2009")
    local = s.sweep(runs=300, seed=5, models=["compromise", "median"])
    text = json.dumps(s.request({"sweep": {"runs": 300, "seed": 5, "models": ["compromise", "median"]}}))
    summary = _native.SweepSummary(text)
    for start, end in [(0, 1), (1, 130), (130, 300)]:
        assert summary.next_run() == start
        values, _, _ = _native.sweep_draws(text, start, end)
        summary.add(start, values)
    streamed = statecraft._results.wrap(json.loads(summary.finish()))
    assert streamed.to_dict() == local.to_dict()
    # Finished: nothing more is taken.
    with pytest.raises(statecraft.RunError):
        summary.finish()


def test_a_streaming_summary_refuses_slices_out_of_order_and_an_early_finish():
    import json

    from statecraft import _native

    s = statecraft.load("six-party-2009")
    text = json.dumps(s.request({"sweep": {"runs": 10, "seed": 1, "models": ["compromise"]}}))
    later, _, _ = _native.sweep_draws(text, 4, 10)
    summary = _native.SweepSummary(text)
    with pytest.raises(statecraft.ScenarioError, match="run 0 was due"):
        summary.add(4, later)
    first, _, _ = _native.sweep_draws(text, 0, 4)
    summary.add(0, first)
    with pytest.raises(statecraft.ScenarioError, match="4 of the sweep's 10 runs"):
        summary.finish()
