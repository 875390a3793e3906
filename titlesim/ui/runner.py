"""Simulate scenarios replicate by replicate, remembering what was already computed.

Replicate r of a scenario depends only on the scenario and the seed (common random
numbers), so a fast preview of replicate 0 is also the first replicate of the full run,
and moving a slider back to an earlier value costs nothing. The cache is keyed by the
scenario without its ``replicates``: asking for more replicates extends what is there.

The workforce (:func:`titlesim.setup.prepare`) is prepared once per scenario: a Setup
carries its scenario's parameters and the engine reads them from it, so it must never
be reused for a scenario with other parameters.
"""
from __future__ import annotations

import hashlib
import json
import threading
import time
import weakref
from collections import OrderedDict
from concurrent.futures import Future
from typing import Callable

import numpy as np

from titlesim.compare.diff import NOT_COMPARED
from titlesim.history import rules_before_start
from titlesim.scenario import LoadedScenario
from titlesim.setup import Setup, prepare
from titlesim.ui.summary import CellGrouping, ReplicateSummary, Summary


class Superseded(Exception):
    """A newer request replaced the one being computed."""


def _wait(future, seconds: float) -> None:
    import concurrent.futures
    concurrent.futures.wait([future], timeout=seconds)


_keys: OrderedDict[int, tuple] = OrderedDict()  # id(scenario) -> (weak reference, key)


def scenario_key(scenario: LoadedScenario) -> str:
    """What decides a replicate's numbers: every parameter except the replicate count.
    (Remembered for the last few scenario objects: an update asks for it a dozen times.)"""
    known = _keys.get(id(scenario))
    if known is not None and known[0]() is scenario:
        return known[1]
    data = {k: v for k, v in scenario.resolved.items() if k not in ("replicates", *NOT_COMPARED)}
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    _keys[id(scenario)] = weakref.ref(scenario), key
    while len(_keys) > 64:
        _keys.popitem(last=False)
    return key


_groupings: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # cells -> {counties: grouping}


def grouping_of(cells, counties: tuple[str, ...]) -> CellGrouping:
    """The page's groups of ``cells``, made once for the same cells (set-ups of settings
    with the same workforce share their cells: :func:`titlesim.setup.cells_of`)."""
    made = _groupings.setdefault(cells, {})
    if counties not in made:
        made[counties] = CellGrouping(cells, counties)
    return made[counties]


class _Entry:
    """One scenario: its workforce (while kept), its replicates, their summaries."""

    def __init__(self, scenario: LoadedScenario):
        self.setup: Setup | None = prepare(scenario.params, scenario.params.seed, rules_before_start(scenario))
        self.params = scenario.params
        self.grouping = grouping_of(self.setup.cells, tuple(self.params.population.counties))
        self.replicates: list[ReplicateSummary] = []
        self.summaries: dict[int, Summary] = {}  # the same object for the same count
        self.helped: dict[int, ReplicateSummary] = {}  # from the helper, not yet in order
        self.asked: dict[int, Future] = {}  # replicates the helper was given and has not sent yet

    def take_helped(self) -> None:
        """Append the helper's replicates that now follow on."""
        while len(self.replicates) in self.helped:
            self.replicates.append(self.helped.pop(len(self.replicates)))
        # list() copies the keys in one step: the helper's callback (another thread) may add
        # one meanwhile, and a loop over the dictionary itself would then fail ("dictionary
        # changed size during iteration"), and with it the page's update
        for r in [r for r in list(self.helped) if r < len(self.replicates)]:  # sent twice
            self.helped.pop(r, None)

    def summary(self, n: int) -> Summary:
        if n not in self.summaries:
            p = self.params
            years = np.arange(p.horizon.start, p.horizon.start + p.horizon.years)
            self.summaries[n] = Summary(years, tuple(p.population.counties),
                                        float(p.passline.provincial_standard),
                                        tuple(self.replicates[:n]), self.grouping.equity_groups)
        return self.summaries[n]


SHARED_FROM = 4  # missing replicates from which a helper process shares the work


class Runner:
    """Computes :class:`Summary` objects, caching replicates per scenario (least recently
    used scenarios are forgotten beyond ``max_scenarios``; their workforce beyond
    ``max_setups``).

    With a ``helper`` (:class:`titlesim.ui.helper.Helper`), the helper process is given the
    missing replicates one by one from the last down, while this thread simulates them from
    the first up; where the two meet, this thread takes back what the helper has not
    started, and waits for what it has under way at most as long as a replicate takes
    here, so both cores work until the end and a slow helper never holds the page up.
    :meth:`share` hands the helper its part before a preview is simulated, so it works
    while the preview is simulated and shown."""

    def __init__(self, max_scenarios: int = 64, max_setups: int = 4, helper=None):
        self.max_scenarios, self.max_setups = max_scenarios, max_setups
        self.helper = helper
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.RLock()
        self.seconds_per_replicate: float | None = None  # running estimate

    def cached(self, scenario: LoadedScenario) -> int:
        """How many replicates of ``scenario`` are ready."""
        with self._lock:
            entry = self._entries.get(scenario_key(scenario))
            return len(entry.replicates) if entry else 0

    def estimate(self, scenario: LoadedScenario, replicates: int) -> float:
        """Seconds to have ``replicates`` of ``scenario`` ready (infinite while no replicate
        has been timed yet)."""
        missing = max(replicates - self.cached(scenario), 0)
        if missing == 0:
            return 0.0
        return float("inf") if self.seconds_per_replicate is None else missing * self.seconds_per_replicate

    def share(self, scenario: LoadedScenario, replicates: int) -> None:
        """Give the helper (if there is one, ready) its part of replicates
        0..replicates-1 of ``scenario`` now, e.g. before asking for a preview."""
        if self.helper is None or not self.helper.ready:
            return
        with self._lock:
            entry = self._entry(scenario, replicates)
            self._share(scenario, entry, replicates)

    def summary(self, scenario: LoadedScenario, replicates: int,
                stop: Callable[[], None] | None = None) -> Summary:
        """Replicates 0..replicates-1 of ``scenario``; ``stop`` is called after every
        simulated year and may raise :class:`Superseded` to abandon the work."""
        with self._lock:
            entry = self._entry(scenario, replicates)
            if len(entry.replicates) < replicates:
                self._share(scenario, entry, replicates)
            while len(entry.replicates) < replicates:
                r = len(entry.replicates)
                future = entry.asked.get(r)
                if future is not None and not self.helper.take_back(future):  # under way in the helper
                    self._await(future, stop)
                    if future.done():
                        self._keep(entry, r, future)
                        entry.take_helped()
                        if len(entry.replicates) > r:
                            continue
                # not started there, failed, or slow (a busy machine): simulate it here
                entry.asked.pop(r, None)
                self._simulate(entry, stop)
            return entry.summary(replicates)

    def _await(self, future: Future, stop) -> None:
        """Wait for a replicate the helper has under way, at most as long as a replicate
        takes here: on a busy machine the helper (below the page's priority) may get
        little time, and the page then simulates that replicate itself."""
        patience = time.perf_counter() + (self.seconds_per_replicate or 0.05)
        while not future.done() and time.perf_counter() < patience:
            if stop:
                stop()
            _wait(future, 0.01)

    def _entry(self, scenario: LoadedScenario, replicates: int) -> "_Entry":
        key = scenario_key(scenario)
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry(scenario)
        self._entries.move_to_end(key)
        if len(entry.replicates) < replicates and entry.setup is None:
            entry.setup = prepare(scenario.params, scenario.params.seed, rules_before_start(scenario))
        self._forget()
        entry.take_helped()
        return entry

    def _simulate(self, entry: "_Entry", stop) -> None:
        started = time.perf_counter()
        entry.replicates.append(ReplicateSummary.simulated(entry.setup, len(entry.replicates),
                                                           entry.grouping, on_year=stop))
        self._learn(time.perf_counter() - started)
        entry.take_helped()

    def _share(self, scenario: LoadedScenario, entry: "_Entry", replicates: int) -> None:
        """Give the helper the missing replicates but the next one, from the last down,
        each on its own (what it sends back is kept even if the update is abandoned);
        work it was given for other scenarios and has not started is taken back."""
        if self.helper is None or not self.helper.ready or \
                replicates - len(entry.replicates) < SHARED_FROM:
            return
        for other in self._entries.values():  # the page wants the latest scenario only
            if other is not entry:
                for r, future in list(other.asked.items()):
                    if self.helper.take_back(future):
                        other.asked.pop(r, None)
        for r in range(replicates - 1, len(entry.replicates), -1):
            if r in entry.helped or r in entry.asked:
                continue
            try:
                future = entry.asked[r] = self.helper.replicates(scenario, [r])
            except RuntimeError:  # its process has died (BrokenProcessPool) or it was closed
                self.helper.lost()
                return
            future.add_done_callback(lambda done, r=r: self._keep(entry, r, done))

    @staticmethod
    def _keep(entry: "_Entry", r: int, done: Future) -> None:
        """Keep what the helper sent for replicate ``r`` (called from the pool's thread:
        no lock, single dictionary operations only)."""
        if not done.cancelled() and done.exception() is None and done.result() is not None \
                and r >= len(entry.replicates):
            entry.helped[r] = done.result()[0]
        if entry.asked.get(r) is done:
            entry.asked.pop(r, None)

    def _forget(self) -> None:
        while len(self._entries) > self.max_scenarios:
            self._entries.popitem(last=False)
        for entry in list(self._entries.values())[:-self.max_setups]:
            entry.setup = None  # the workforce is large; the summaries are not

    def _learn(self, seconds: float) -> None:
        old = self.seconds_per_replicate
        self.seconds_per_replicate = seconds if old is None else 0.7 * old + 0.3 * seconds
