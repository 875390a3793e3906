"""The year loop. It reads like the list of the steps in docs/model.md of one evaluation year."""
from __future__ import annotations

from typing import Callable

import numpy as np

from titlesim.metrics import METRICS, YearCounts
from titlesim.randomness import Draws
from titlesim.setup import Setup
from titlesim.steps import (State, eligibility_and_application_step, evaluation_step,
                            exam_and_pass_lines_step, flows_step, hiring_step, mobility_step,
                            record_step)

Observe = Callable[[str, State], None]


def run_replicate(setup: Setup, replicate: int, on_year: Callable[[], None] | None = None,
                  observe: Observe | None = None, out: np.ndarray | None = None,
                  each_year: Callable[[int, np.ndarray], None] | None = None
                  ) -> tuple[np.ndarray, list]:
    """One replicate: counts (year, metric, cell) and the pass-line rows.

    ``observe(step, state)``, when given, is called just before the steps ``"exam"``,
    ``"evaluation"``, ``"hiring"`` and ``"mobility"`` (for exports and tests that look at
    people between steps; it must not change the state). ``out``: zeros to count into.
    ``each_year(y, counts)``, when given, is handed each year's counts (metric, cell) at
    the year's end; ``out`` may then be one year's (metric, cell) array, set to zero and
    counted into afresh every year (a caller that keeps less than the counts, such as the
    what-if page's summaries, then needs a year's memory, used again while still in cache)."""
    state = starting_state(setup, Draws(setup.seed, replicate))
    if out is None:
        out = np.zeros((len(setup.years), len(METRICS), setup.cells.n), dtype=np.int32)
    for y, year in enumerate(setup.years):
        counts = out[y] if out.ndim == 3 else out
        if out.ndim == 2:
            counts.fill(0)
        run_year(state, int(year), observe, counts=counts)
        if each_year is not None:
            each_year(y, counts)
        if on_year is not None:
            on_year()
    return out, [(replicate, *row) for row in state.lines]


def starting_state(setup: Setup, draws: Draws, copy: bool = True) -> State:
    """A fresh copy of the workforce at the start (the history's end, when there is one).
    ``copy=False``: the state takes the set-up's people themselves (a set-up used once)."""
    pool = None if setup.post_pool is None else setup.post_pool.copy()
    next_id = setup.next_id if setup.next_id is not None else int(setup.people.id.max(initial=-1)) + 1
    return State(setup=setup, people=setup.people.copy() if copy else setup.people, draws=draws,
                 next_id=next_id, post_pool=pool)


def run_year(state: State, year: int, observe: Observe | None = None,
             counts: np.ndarray | None = None) -> None:
    """One evaluation year, in the order of docs/model.md; its counts are ``state.counts``
    (counted into ``counts``, zeros (metric, cell), when given)."""
    see = observe or (lambda step, s: None)
    state.year = year
    state.counts = YearCounts(state.setup.cells.n, counts)
    flows_step(state)                      # 1. flows
    eligibility_and_application_step(state)  # 2-3. eligibility and application
    see("exam", state)
    exam_and_pass_lines_step(state)        # 4-5. exam and pass lines
    see("evaluation", state)
    evaluation_step(state)                 # 6. evaluation
    see("hiring", state)
    hiring_step(state)                     # 7. hiring into posts
    see("mobility", state)
    mobility_step(state)                   # 8. mobility
    record_step(state)                     # 9. record
