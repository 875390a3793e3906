"""The what-if runner: its summaries hold the engine's numbers, a preview replicate is the
first replicate of the full run, and a workforce is never reused for other parameters."""
from __future__ import annotations

import numpy as np
import pytest
from ui_scenarios import BASELINE

import titlesim
from titlesim.metrics import METRICS
from titlesim.ui.runner import Runner, Superseded, scenario_key

SMALL = ["population.size=2000", "horizon.years=3", "replicates=2"]


@pytest.fixture(scope="module")
def loaded():
    return titlesim.load_scenario(BASELINE, SMALL)


def test_summaries_hold_the_engines_counts_for_every_metric_and_county(loaded):
    summary = Runner().summary(loaded, 2)
    result = titlesim.simulate(loaded)
    totals = result.counts.sum(axis=3)  # (replicate, year, metric)
    for m, name in enumerate(METRICS):
        assert np.array_equal(summary.total(name), totals[:, :, m]), name
    by_county = result.total("titled", by=("county",))
    for i, county in enumerate(summary.counties):
        engine = by_county[by_county["county"] == county].pivot(
            index="replicate", columns="year", values="value").reindex(
            index=range(2), columns=result.years).fillna(0)
        assert np.array_equal(summary.by_county("titled")[:, :, i], engine.to_numpy()), county
    columns = ["replicate", "year", "applied", "sat", "k", "line_score", "passed_ratio_only"]
    def rows(frame):
        return frame[columns].astype(float).sort_values(columns).to_numpy()
    assert len(summary.lines) > 0
    np.testing.assert_array_equal(rows(summary.lines), rows(result.lines))


def test_a_preview_replicate_is_the_first_replicate_of_the_full_run(loaded):
    runner = Runner()
    preview = runner.summary(loaded, 1)
    assert runner.cached(loaded) == 1
    full = runner.summary(loaded.with_overrides(["replicates=3"]), 3)  # same key: replicates aside
    assert runner.cached(loaded) == 3
    assert np.array_equal(full.values[0], preview.values[0])
    assert not np.array_equal(full.values[1], full.values[0])


def test_other_criteria_are_simulated_with_their_own_parameters(loaded):
    runner = Runner()
    revised = loaded.with_overrides(["passline.ratio=0.9"])
    assert scenario_key(revised) != scenario_key(loaded)
    assert scenario_key(loaded.with_overrides(["replicates=7"])) == scenario_key(loaded)
    runner.summary(loaded, 2)
    mine = runner.summary(revised, 2).total("passed_ratio_only")
    engine = titlesim.simulate(revised).total("passed_ratio_only")["value"].to_numpy()
    assert np.array_equal(mine.ravel(), engine)


def test_work_can_be_abandoned_after_any_year_and_resumed(loaded):
    runner = Runner()
    years = []

    def stop():
        years.append(1)
        if len(years) == 2:
            raise Superseded()

    with pytest.raises(Superseded):
        runner.summary(loaded, 2, stop)
    assert runner.cached(loaded) == 0
    assert runner.summary(loaded, 2).n == 2 and runner.seconds_per_replicate > 0


def test_a_forgotten_workforce_is_prepared_again_only_when_replicates_are_missing(loaded, monkeypatch):
    import titlesim.ui.runner as runner_module
    calls = []
    real = runner_module.prepare
    monkeypatch.setattr(runner_module, "prepare", lambda *a: calls.append(1) or real(*a))
    runner = Runner(max_setups=1)
    revised = loaded.with_overrides(["passline.ratio=0.9"])
    first = runner.summary(loaded, 1)
    runner.summary(revised, 1)  # keeps only this workforce
    assert len(calls) == 2
    assert runner.summary(loaded, 1) is first  # cached: no workforce needed, same object
    assert len(calls) == 2
    runner.summary(loaded, 2)  # a missing replicate: the workforce is prepared again
    assert len(calls) == 3


def test_the_compiled_grouping_gives_the_sums_of_the_sparse_one(loaded):
    from titlesim import sizes
    from titlesim.engine import run_replicate
    from titlesim.setup import prepare
    from titlesim.ui.summary import CellGrouping, ReplicateSummary
    setup = prepare(loaded.params, loaded.params.seed)
    grouping = CellGrouping(setup.cells, tuple(loaded.params.population.counties))
    counts, rows = run_replicate(setup, 1)
    before = sizes.PREFERRED
    try:
        sizes.prefer_compiled(False)
        sparse_sums = ReplicateSummary.of(counts, rows, grouping)
        sizes.prefer_compiled(True)
        compiled_sums = ReplicateSummary.of(counts, rows, grouping)
    finally:
        sizes.prefer_compiled(before)
    assert compiled_sums.values.sum() > 0
    assert np.array_equal(sparse_sums.values, compiled_sums.values)
    for axis in sparse_sums.equity:
        assert np.array_equal(sparse_sums.equity[axis], compiled_sums.equity[axis]), axis


@pytest.mark.parametrize("compiled", [False, True])
def test_a_replicate_summarised_year_by_year_is_the_summary_of_its_whole_counts(loaded, compiled):
    from titlesim import sizes
    from titlesim.engine import run_replicate
    from titlesim.setup import prepare
    from titlesim.ui.summary import CellGrouping, ReplicateSummary
    before = sizes.PREFERRED
    try:
        sizes.prefer_compiled(compiled)
        setup = prepare(loaded.params, loaded.params.seed)
        grouping = CellGrouping(setup.cells, tuple(loaded.params.population.counties))
        whole = ReplicateSummary.of(*run_replicate(setup, 1), grouping)
        ReplicateSummary.simulated(setup, 0, grouping)  # the year's array is used again
        by_year = ReplicateSummary.simulated(setup, 1, grouping)
    finally:
        sizes.prefer_compiled(before)
    assert by_year.values.sum() > 0 and by_year.values.shape == whole.values.shape
    assert np.array_equal(by_year.values, whole.values)
    assert np.array_equal(by_year.lines, whole.lines, equal_nan=True)
    assert by_year.equity.keys() == whole.equity.keys()
    for axis in whole.equity:
        assert np.array_equal(by_year.equity[axis], whole.equity[axis]), axis


def test_taking_the_helpers_replicates_survives_its_callback_adding_one_meanwhile():
    """The helper's replicates arrive in a callback on another thread, which may add to
    what the page's thread is looking through; that must not fail the page's update. The
    threads switch every microsecond here, so the old loop failed within a second."""
    import sys
    import threading
    import time

    from titlesim.ui.runner import _Entry
    entry = _Entry.__new__(_Entry)  # no workforce needed: only the replicates it holds
    entry.replicates, entry.helped = [], {}
    done = threading.Event()

    def helper_callbacks():
        i = 0
        while not done.is_set():
            entry.helped[1000 + i % 50] = None  # replicates far ahead, never taken
            entry.helped.pop(1000 + (i - 25) % 50, None)
            i += 1

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    thread = threading.Thread(target=helper_callbacks, daemon=True)
    thread.start()
    try:
        until = time.monotonic() + 1.0
        while time.monotonic() < until:
            entry.take_helped()
    finally:
        done.set()
        thread.join()
        sys.setswitchinterval(interval)
    assert entry.replicates == []
