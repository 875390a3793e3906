"""The what-if page's helper process: the replicates it simulates are the ones the page
would have simulated itself (same numbers), an update abandoned meanwhile keeps what the
helper sent back, and the helper ends with the page."""
from __future__ import annotations

import time

import numpy as np
import psutil
import pytest
from ui_scenarios import BASELINE

import titlesim
from titlesim.ui.helper import Helper
from titlesim.ui.runner import Runner, Superseded

SMALL = ["population.size=2000", "horizon.years=3", "replicates=8"]


@pytest.fixture(scope="module")
def loaded():
    return titlesim.load_scenario(BASELINE, SMALL)


@pytest.fixture(scope="module")
def helper(loaded):
    helper = Helper(loaded)
    deadline = time.monotonic() + 300
    while not helper.ready:
        assert time.monotonic() < deadline, "the helper did not start within 300 s"
        time.sleep(0.1)
    yield helper
    helper.close()


def same(a, b) -> None:
    assert a.n == b.n
    assert np.array_equal(a.values, b.values)
    assert np.array_equal(a.line_array, b.line_array, equal_nan=True)  # no line: NaN
    for axis in a.replicates[0].equity:
        assert np.array_equal(a.by_equity("titled", axis), b.by_equity("titled", axis))


def test_the_helper_simulates_half_and_the_numbers_are_the_pages_own(loaded, helper):
    revision = loaded.with_overrides(["passline.ratio=0.6"])
    shared = Runner(helper=helper)
    asked = []
    original = helper.replicates
    helper.replicates = lambda scenario, indexes: asked.append(list(indexes)) or original(scenario, indexes)
    try:
        summary = shared.summary(revision, 8)
    finally:
        del helper.replicates
    assert asked == [[4, 5, 6, 7]]  # the second half went to the helper
    same(summary, Runner().summary(revision, 8))


def test_an_abandoned_update_keeps_what_the_helper_sent(loaded, helper):
    revision = loaded.with_overrides(["passline.ratio=0.7"])
    runner = Runner(helper=helper)

    def stop():
        raise Superseded()
    with pytest.raises(Superseded):
        runner.summary(revision, 8, stop)
    deadline = time.monotonic() + 60
    while runner.cached(revision) == 0 and not runner._entries[next(reversed(runner._entries))].helped:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    entry = runner._entries[next(reversed(runner._entries))]
    assert sorted(entry.helped) == [4, 5, 6, 7]  # kept until the first half is there
    same(runner.summary(revision, 8), Runner().summary(revision, 8))
    assert not entry.helped


def test_the_helper_process_ends_when_closed(loaded):
    before = set(psutil.Process().children(recursive=True))
    helper = Helper(None)
    deadline = time.monotonic() + 300
    while not helper.ready:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    children = [c for c in psutil.Process().children(recursive=True) if c not in before
                and "resource_tracker" not in " ".join(c.cmdline())]  # multiprocessing's own, one per process
    assert len(children) == 1
    helper.close()
    gone, alive = psutil.wait_procs(children, timeout=30)
    assert not alive
