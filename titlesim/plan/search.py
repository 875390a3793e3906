"""The search: a grid over the levers, refined round by round around the best setting.

Round 0 lays a coarse grid over every range (a few values each, fewer the more levers
there are) crossed with every option of the option levers. Each later round centres a
finer grid on the best candidate so far (the best that meets the targets, or the closest
when none does), one old grid step either side, with the options fixed at the best's.
It stops when the grid step is one lattice step on every range and the best candidate's
neighbours have all been evaluated. Candidates already evaluated are never run again.

Outcomes under common random numbers move in steps (a pass line moves by whole
candidates), so the search compares simulated candidates only and never interpolates:
the answer is always a setting that was simulated. The search is local: refining around
the best of the coarse grid can miss a better region the coarse grid fell between; the
runner-up and the candidates table show how clear the answer is.

>>> grid_axis(0, 600, 11)[:3], grid_axis(3, 7, 11)
([0, 60, 120], [3, 4, 5, 6, 7])
"""
from __future__ import annotations

import itertools
import math

PER_LEVER = {1: 11, 2: 7, 3: 5, 4: 4}  # grid values per range lever and round
MAX_ROUNDS = 12


def per_lever(ranges: int) -> int:
    return PER_LEVER.get(ranges, 3)


def grid_axis(low: int, high: int, count: int) -> list[int]:
    """At most ``count`` lattice positions from ``low`` to ``high``, both ends included,
    evenly spaced."""
    if high - low + 1 <= count:
        return list(range(low, high + 1))
    return sorted({low + round(k * (high - low) / (count - 1)) for k in range(count)})


def first_round(levers) -> tuple[list[tuple], list[int]]:
    """The coarse grid and each lever's grid step."""
    count = per_lever(sum(lever.is_range for lever in levers))
    axes, steps = [], []
    for lever in levers:
        if lever.is_range:
            axes.append(grid_axis(0, lever.size - 1, count))
            steps.append(_step(axes[-1]))
        else:
            axes.append(list(range(lever.size)))
            steps.append(0)
    return list(itertools.product(*axes)), steps


def next_round(levers, best: tuple, steps: list[int]) -> tuple[list[tuple], list[int]]:
    """A finer grid centred on ``best``, one old step either side; options fixed."""
    count = per_lever(sum(lever.is_range for lever in levers))
    axes, new_steps = [], []
    for lever, centre, step in zip(levers, best, steps):
        if not lever.is_range:
            axes.append([centre])
            new_steps.append(0)
            continue
        reach = max(step, 1)
        axis = grid_axis(max(0, centre - reach), min(lever.size - 1, centre + reach), count)
        axes.append(axis)
        new_steps.append(min(_step(axis), max(1, reach // 2)))  # shrinks with 3 values too
    return list(itertools.product(*axes)), new_steps


def _step(axis: list[int]) -> int:
    return max(1, math.ceil((axis[-1] - axis[0]) / max(len(axis) - 1, 1)))


def search(levers, evaluate, best_so_far) -> int:
    """Run the rounds: ``evaluate(candidates, round)`` runs those not yet evaluated and
    returns them, ``best_so_far()`` is the best candidate by then. Returns the rounds run."""
    candidates, steps = first_round(levers)
    evaluate(candidates, 0)
    rounds = 1
    for _ in range(MAX_ROUNDS * 2):
        candidates, next_steps = next_round(levers, best_so_far(), steps)
        if evaluate(candidates, rounds):
            rounds += 1
        elif all(s <= 1 for s in steps):  # the best's neighbours, at the finest step, are known
            break
        if rounds >= MAX_ROUNDS:
            break
        steps = next_steps
    return rounds
