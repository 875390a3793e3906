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
from collections import OrderedDict
from typing import Callable

import numpy as np

from titlesim.compare.diff import NOT_COMPARED
from titlesim.engine import run_replicate
from titlesim.history import rules_before_start
from titlesim.scenario import LoadedScenario
from titlesim.setup import Setup, prepare
from titlesim.ui.summary import CellGrouping, ReplicateSummary, Summary


class Superseded(Exception):
    """A newer request replaced the one being computed."""


def _wait(future, seconds: float) -> None:
    import concurrent.futures
    concurrent.futures.wait([future], timeout=seconds)


def scenario_key(scenario: LoadedScenario) -> str:
    """What decides a replicate's numbers: every parameter except the replicate count."""
    data = {k: v for k, v in scenario.resolved.items() if k not in ("replicates", *NOT_COMPARED)}
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Entry:
    """One scenario: its workforce (while kept), its replicates, their summaries."""

    def __init__(self, scenario: LoadedScenario):
        self.setup: Setup | None = prepare(scenario.params, scenario.params.seed, rules_before_start(scenario))
        self.params = scenario.params
        self.grouping = CellGrouping(self.setup.cells, tuple(self.params.population.counties))
        self.replicates: list[ReplicateSummary] = []
        self.summaries: dict[int, Summary] = {}  # the same object for the same count
        self.helped: dict[int, ReplicateSummary] = {}  # from the helper, not yet in order

    def take_helped(self) -> None:
        """Append the helper's replicates that now follow on."""
        while len(self.replicates) in self.helped:
            self.replicates.append(self.helped.pop(len(self.replicates)))

    def summary(self, n: int) -> Summary:
        if n not in self.summaries:
            p = self.params
            years = np.arange(p.horizon.start, p.horizon.start + p.horizon.years)
            self.summaries[n] = Summary(years, tuple(p.population.counties),
                                        float(p.passline.provincial_standard),
                                        tuple(self.replicates[:n]), self.grouping.equity_groups)
        return self.summaries[n]


SHARED_FROM = 4  # missing replicates from which a helper process takes half


class Runner:
    """Computes :class:`Summary` objects, caching replicates per scenario (least recently
    used scenarios are forgotten beyond ``max_scenarios``; their workforce beyond
    ``max_setups``). With a ``helper`` (:class:`titlesim.ui.helper.Helper`), a helper
    process simulates the second half of the replicates missing while this thread
    simulates the first."""

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

    def summary(self, scenario: LoadedScenario, replicates: int,
                stop: Callable[[], None] | None = None) -> Summary:
        """Replicates 0..replicates-1 of ``scenario``; ``stop`` is called after every
        simulated year and may raise :class:`Superseded` to abandon the work."""
        with self._lock:
            key = scenario_key(scenario)
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = _Entry(scenario)
            self._entries.move_to_end(key)
            if len(entry.replicates) < replicates and entry.setup is None:
                entry.setup = prepare(scenario.params, scenario.params.seed, rules_before_start(scenario))
            self._forget()
            entry.take_helped()
            helped = None
            if self.helper is not None and self.helper.ready and \
                    replicates - len(entry.replicates) >= SHARED_FROM:
                helped = self._share(scenario, entry, replicates)
            until = replicates if helped is None else (len(entry.replicates) + replicates) // 2
            while len(entry.replicates) < until:
                self._simulate(entry, stop)
            if helped is not None:
                while not helped.done():  # the helper's half
                    if stop:
                        stop()
                    _wait(helped, 0.02)
                entry.take_helped()
                while len(entry.replicates) < replicates:  # the helper failed: simulate here
                    self._simulate(entry, stop)
            return entry.summary(replicates)

    def _simulate(self, entry: "_Entry", stop) -> None:
        started = time.perf_counter()
        counts, rows = run_replicate(entry.setup, len(entry.replicates), on_year=stop)
        entry.replicates.append(ReplicateSummary.of(counts, rows, entry.grouping))
        self._learn(time.perf_counter() - started)
        entry.take_helped()

    def _share(self, scenario: LoadedScenario, entry: "_Entry", replicates: int):
        """Give the helper the second half of the missing replicates; what it sends back
        is kept even if this update is abandoned meanwhile."""
        first = len(entry.replicates)
        theirs = [r for r in range((first + replicates) // 2, replicates) if r not in entry.helped]
        if not theirs:
            return None
        future = self.helper.replicates(scenario, theirs)

        def keep(done) -> None:
            if not done.cancelled() and done.exception() is None:
                entry.helped.update(zip(theirs, done.result()))
        future.add_done_callback(keep)
        return future

    def _forget(self) -> None:
        while len(self._entries) > self.max_scenarios:
            self._entries.popitem(last=False)
        for entry in list(self._entries.values())[:-self.max_setups]:
            entry.setup = None  # the workforce is large; the summaries are not

    def _learn(self, seconds: float) -> None:
        old = self.seconds_per_replicate
        self.seconds_per_replicate = seconds if old is None else 0.7 * old + 0.3 * seconds
