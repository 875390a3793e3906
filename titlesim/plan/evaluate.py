"""Evaluating candidate settings on the sweep machinery.

A candidate is one value per lever (its lattice positions). It runs as a sweep point:
the scenario with the candidate's values set, every candidate with the same seed and
replicates, so that replicate r of every candidate shares its luck (common random
numbers) and a difference between candidates shows the setting, not the noise. Finished
points are kept one file each in the plan folder's ``points/``, keyed by everything that
could change them, so an interrupted plan resumes where it stopped (``--resume``).
"""
from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from titlesim.sweep.execute import Where, point_results
from titlesim.sweep.points import make_points, task_for
from titlesim.sweep.store import Store

Candidate = tuple  # one lattice position (or option number) per lever


@dataclass
class Evaluated:
    """One candidate's outcomes: per replicate, over the horizon and in each year."""

    candidate: Candidate
    round: int
    key: str
    frame: pd.DataFrame = field(repr=False)

    def values(self, outcome: str, year: int | None = None) -> np.ndarray:
        """The outcome per replicate (replicate order), over the horizon or in ``year``."""
        rows = self.frame[self.frame["year"].isna()] if year is None else \
            self.frame[self.frame["year"] == year]
        return rows.sort_values("replicate")[outcome].to_numpy(dtype=float)


class Evaluator:
    """Runs batches of candidates and keeps what they gave, in evaluation order."""

    def __init__(self, scenario, levers, seed: int, replicates: int, store: Store, results,
                 progress=None):
        self.scenario, self.levers = scenario, levers
        self.seed, self.replicates = seed, replicates
        self.store, self._results, self._progress = store, results, progress
        self.evaluated: dict[Candidate, Evaluated] = {}
        self.computed: list[str] = []  # point keys computed by this run (others were kept)
        self._warned: set[tuple[str, str]] = set()

    def setting(self, candidate: Candidate) -> dict:
        return {lever.path: lever.value(i) for lever, i in zip(self.levers, candidate)}

    def run(self, candidates: list[Candidate], round_: int) -> list[Candidate]:
        """Evaluate the candidates not evaluated yet; return them."""
        new = [c for c in dict.fromkeys(candidates) if c not in self.evaluated]
        if not new:
            return []
        points = make_points(self.scenario, [self.setting(c) for c in new], self.seed,
                             self.replicates, "--lever")
        done = self.store.done()
        todo = [task_for(p, self.scenario, self.seed, self.replicates)
                for p in points if p.key not in done]
        finished = 0
        total = len(todo)
        if self._progress:
            self._progress(round_, finished, total)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for key, frame in self._results(list({t.key: t for t in todo}.values())):
                self.store.save(key, frame)
                self.computed.append(key)
                finished += 1
                if self._progress:
                    self._progress(round_, finished, total)
        self._show_once(caught)
        for candidate, point in zip(new, points):
            self.evaluated[candidate] = Evaluated(candidate, round_, point.key,
                                                  self.store.load(point.key))
        return new

    def _show_once(self, caught) -> None:
        """A warning about the scenario (a post level no unit gets) comes from every
        candidate alike: show each once per plan, not once per candidate."""
        for w in caught:
            text = (w.category.__name__, str(w.message))
            if text not in self._warned:
                self._warned.add(text)
                warnings.showwarning(w.message, w.category, w.filename, w.lineno)


@contextmanager
def evaluator(scenario, levers, seed: int, replicates: int, store: Store, where: Where,
              first_batch: int, progress=None):
    """An :class:`Evaluator` whose points run where asked: in this process, on local
    worker processes (one cluster for the whole search) or on a Dask scheduler. The plan
    folder is made only once the workers are reachable."""
    with point_results(where, first_batch) as results:
        store.create()
        yield Evaluator(scenario, levers, seed, replicates, store, results, progress)
