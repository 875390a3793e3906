"""The what-if page's helper process: the replicates it simulates are the ones the page
would have simulated itself (same numbers), an update abandoned meanwhile keeps what the
helper sent back, and the helper ends with the page."""
from __future__ import annotations

import os
import pickle
import time

import numpy as np
import psutil
import pytest
from ui_scenarios import BASELINE

import titlesim
from titlesim.ui.helper import Helper
from titlesim.ui.runner import Runner, Superseded, scenario_key

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
    # the helper was given every replicate but the page's first, one by one from the last
    # down; the page took back those the helper had not started when it came to them
    assert asked == [[7], [6], [5], [4], [3], [2], [1]]
    entry = shared._entries[next(reversed(shared._entries))]
    assert not entry.asked and not entry.helped
    same(summary, Runner().summary(revision, 8))


def test_a_preview_shares_the_full_run_with_the_helper_before_it_is_simulated(loaded, helper):
    revision = loaded.with_overrides(["passline.ratio=0.65"])
    runner = Runner(helper=helper)
    runner.share(revision, 8)
    entry = runner._entries[next(reversed(runner._entries))]
    assert sorted(entry.asked) == [1, 2, 3, 4, 5, 6, 7]  # replicate 0 is the page's preview
    preview = runner.summary(revision, 1)
    assert preview.n == 1
    same(runner.summary(revision, 8), Runner().summary(revision, 8))


def test_a_newer_scenario_takes_back_the_helpers_work_not_started(loaded, helper):
    first, second = (loaded.with_overrides([f"passline.ratio={r}"]) for r in (0.45, 0.55))
    runner = Runner(helper=helper)
    runner.share(first, 8)
    old = runner._entries[scenario_key(first)]
    asked = dict(old.asked)
    runner.share(second, 8)
    cancelled = [r for r, f in asked.items() if f.cancelled()]
    assert len(cancelled) >= 4  # at most one under way and one queued in the helper
    assert not set(cancelled) & set(old.asked)
    same(runner.summary(second, 8), Runner().summary(second, 8))
    same(runner.summary(first, 8), Runner().summary(first, 8))  # and the first is still right


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
    while entry.asked:  # the helper carries on with what it was given
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert sorted(entry.helped) == [1, 2, 3, 4, 5, 6, 7]  # kept until replicate 0 is there
    same(runner.summary(revision, 8), Runner().summary(revision, 8))
    assert not entry.helped


def test_a_task_handed_to_the_helper_but_not_begun_is_taken_back_and_never_run_twice(loaded, helper):
    revision = loaded.with_overrides(["passline.ratio=0.75"])
    futures = [helper.replicates(revision, [r]) for r in (7, 6, 5)]
    deadline = time.monotonic() + 60
    while not futures[1].running():  # the pool hands it to the process while the first runs
        assert time.monotonic() < deadline
        time.sleep(0.001)
    assert not futures[1].cancel()  # so it can no longer be cancelled ...
    assert helper.take_back(futures[1]) and helper.take_back(futures[2])  # ... but taken back
    first = futures[0].result(timeout=300)
    assert len(first) == 1 and first[0].values.sum() > 0
    assert futures[1].result(timeout=300) is None  # skipped by the helper
    assert futures[2].cancelled() or futures[2].result(timeout=300) is None
    assert not helper.take_back(futures[0])  # run by the helper: not to be run again
    alone = Runner().summary(revision, 8).replicates[7]
    assert np.array_equal(first[0].values, alone.values)


def ready_helper() -> tuple[Helper, list]:
    """A helper started and ready, and the processes it started (multiprocessing's own
    resource tracker, one per process, left out)."""
    before = set(psutil.Process().children(recursive=True))
    helper = Helper(None)
    deadline = time.monotonic() + 300
    while not helper.ready:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    return helper, [c for c in psutil.Process().children(recursive=True) if c not in before
                    and "resource_tracker" not in " ".join(c.cmdline())]


def test_the_helpers_results_come_back_through_a_pipe_with_room_for_whole_summaries(loaded, helper):
    # a summary written into a 64 kB pipe waits, bit by bit, for the page's busy process
    import fcntl
    from titlesim.ui.helper import RESULT_PIPE
    result_pipe = helper._pool._result_queue._writer.fileno()
    assert fcntl.fcntl(result_pipe, fcntl.F_GETPIPE_SZ) >= RESULT_PIPE
    summary = helper.replicates(loaded, [3]).result(timeout=120)
    assert len(pickle.dumps(summary)) < RESULT_PIPE


def test_the_helper_process_ends_when_closed(loaded):
    helper, children = ready_helper()
    assert len(children) == 1
    helper.close()
    gone, alive = psutil.wait_procs(children, timeout=30)
    assert not alive


def test_a_page_gets_a_helper_on_request_never_when_refused_and_by_default_when_a_core_is_idle(monkeypatch):
    from titlesim.ui import helper as helper_module
    cores = len(os.sched_getaffinity(0))
    monkeypatch.setenv("TITLESIM_WHATIF_HELPER", "0")
    assert not helper_module.wanted()
    monkeypatch.setenv("TITLESIM_WHATIF_HELPER", "1")
    assert helper_module.wanted() == (cores >= 2)
    monkeypatch.delenv("TITLESIM_WHATIF_HELPER")
    monkeypatch.setattr(os, "getloadavg", lambda: (float(cores), 0.0, 0.0))  # every core busy
    assert not helper_module.wanted()
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))  # a quiet machine
    assert helper_module.wanted() == (cores >= 2 and psutil.virtual_memory().available >= helper_module.MEMORY)


class Starved:
    """A helper that starts every replicate it is given and never finishes one (as a
    helper below the page's priority on a machine busy with other work)."""

    ready = True

    def __init__(self):
        self.futures = []

    def replicates(self, scenario, indexes):
        from concurrent.futures import Future
        future = Future()
        future.set_running_or_notify_cancel()  # under way: it cannot be taken back
        self.futures.append(future)
        return future

    def take_back(self, future) -> bool:
        return future.cancel()  # False: under way


def test_a_helper_that_gets_no_time_does_not_hold_the_page_up(loaded):
    revision = loaded.with_overrides(["passline.ratio=0.35"])
    runner = Runner(helper=Starved())
    runner.seconds_per_replicate = 0.05
    started = time.monotonic()
    summary = runner.summary(revision, 8)
    assert time.monotonic() - started < 60
    assert len(runner.helper.futures) == 7 and not any(f.done() for f in runner.helper.futures)
    same(summary, Runner().summary(revision, 8))


def test_an_interrupt_of_the_pages_kernel_leaves_the_helper_working_and_quiet(loaded, capfd):
    """Interrupting the page's kernel (Ctrl-C, the stop button, Voilà shutting it down)
    signals its whole process group: the helper carries on, and prints no traceback."""
    import signal
    helper, (process,) = ready_helper()
    try:
        os.kill(process.pid, signal.SIGINT)
        time.sleep(1.0)
        assert process.is_running() and process.status() != psutil.STATUS_ZOMBIE
        revision = loaded.with_overrides(["passline.ratio=0.35"])
        runner = Runner(helper=helper)
        same(runner.summary(revision, 8), Runner().summary(revision, 8))
        assert helper.ready
    finally:
        helper.close()
    assert "KeyboardInterrupt" not in capfd.readouterr().err


def test_a_helper_whose_process_dies_leaves_the_page_to_simulate_alone(loaded):
    """The helper's process killed (by the system short of memory, say): the update under
    way and every later one give the page's own numbers, and the helper is given no more
    work; a closed helper neither."""
    helper, (process,) = ready_helper()
    process.kill()
    process.wait(30)
    runner = Runner(helper=helper)
    for ratio in ("0.45", "0.55"):  # the update that finds it dead, and the next one
        revision = loaded.with_overrides([f"passline.ratio={ratio}"])
        same(runner.summary(revision, 8), Runner().summary(revision, 8))
    assert not helper.ready
    closed = Helper(None)
    closed.close()
    assert not closed.ready
    revision = loaded.with_overrides(["passline.ratio=0.65"])
    same(Runner(helper=closed).summary(revision, 8), Runner().summary(revision, 8))


def test_a_helper_killed_while_holding_the_board_never_holds_the_page_up(loaded):
    """The board's lock is shared by the two processes; a process killed while it holds it
    never releases it. The page then gives up on the helper within seconds and simulates
    alone, instead of waiting for the lock for good."""
    import concurrent.futures
    import multiprocessing
    helper, _ = ready_helper()
    revision = loaded.with_overrides(["passline.ratio=0.35"])
    future = helper.replicates(revision, [0])
    concurrent.futures.wait([future], timeout=300)  # run: it can no longer be cancelled
    held = multiprocessing.Event()

    def hold(board, held):
        board.get_lock().acquire()
        held.set()
        time.sleep(600)
    holder = multiprocessing.get_context("fork").Process(target=hold, args=(helper._board, held))
    holder.start()
    try:
        assert held.wait(60)
        holder.kill()  # killed while holding the lock
        holder.join(30)
        started = time.monotonic()
        assert helper.take_back(future) is False
        assert time.monotonic() - started < 30 and not helper.ready
        same(Runner(helper=helper).summary(revision, 8), Runner().summary(revision, 8))
    finally:
        holder.kill()
        helper.close()
