"""The search and the judging rules on known surfaces, without simulating: a grid refined
around the best must land on the exact lattice point where a monotone outcome first
meets its target, and the binding target is the one no setting can meet."""
from __future__ import annotations

import numpy as np
import pandas as pd

from titlesim.plan.answer import binding_targets
from titlesim.plan.levers import Lever
from titlesim.plan.search import search


def run_search(levers, feasible, cost):
    """Search with a fake evaluation: ``feasible(values)`` and ``cost(values)``."""
    seen: dict[tuple, None] = {}

    def evaluate(candidates, _round):
        new = [c for c in dict.fromkeys(candidates) if c not in seen]
        seen.update(dict.fromkeys(new))
        return new

    def best():
        def key(c):
            values = [lever.value(i) for lever, i in zip(levers, c)]
            return (not feasible(values), cost(values), list(seen).index(c))
        return min(seen, key=key)

    rounds = search(levers, evaluate, best)
    return [lever.value(i) for lever, i in zip(levers, best())], len(seen), rounds


def test_one_lever_lands_on_the_first_lattice_point_meeting_the_target():
    ratio = Lever("passline.ratio", 0.5, low=0.3, high=0.9, step=0.001)
    # an outcome rising with the ratio; the target is first met at 0.637; least change from 0.5
    found, evaluated, _ = run_search([ratio], lambda v: v[0] >= 0.637 - 1e-12,
                                     lambda v: abs(v[0] - 0.5))
    assert found == [0.637]
    assert evaluated < 60  # of 601 lattice points


def test_two_levers_and_an_option_find_the_cheapest_feasible_corner():
    ratio = Lever("passline.ratio", 0.5, low=0.3, high=0.9, step=0.01)
    years = Lever("validity.ratio_only_years", 1, low=1, high=5, step=1, integer=True)
    ties = Lever("passline.ties", "include", options=("include", "cap"))
    # feasible when ratio x years >= 1.2 (and "cap" needs 10 % more); cost: years, then ratio
    feasible = lambda v: v[0] * v[1] * (1.1 if v[2] == "cap" else 1.0) >= 1.2 - 1e-9
    cost = lambda v: v[1] * 10 + v[0] + (0.5 if v[2] == "cap" else 0)
    found, evaluated, rounds = run_search([ratio, years, ties], feasible, cost)
    assert found == [0.6, 2, "include"]
    assert evaluated < 200 and rounds <= 12


def test_the_binding_target_is_the_one_no_setting_meets():
    met = np.array([[True, False, True], [True, False, False], [False, False, True]])
    frame = pd.DataFrame({"target1_shortfall": [0, 0, 1.0], "target2_shortfall": [5.0, 4.0, 9.0],
                          "target3_shortfall": [0, 2.0, 0]})

    class T:
        def scale(self):
            return 1.0
    assert binding_targets(met, frame, closest=0, targets=[T(), T(), T()]) == [2]
    # every target met somewhere, never together: the one whose removal makes it feasible
    met = np.array([[True, False], [False, True]])
    frame = pd.DataFrame({"target1_shortfall": [0, 3.0], "target2_shortfall": [1.0, 0]})
    assert binding_targets(met, frame, closest=0, targets=[T(), T()]) == [2, 1]


class _Outcomes:
    """A candidate's outcome per replicate (what answer() reads for the paired cost)."""

    def __init__(self, sittings):
        self.sittings = np.array(sittings, dtype=float)

    def values(self, outcome, year=None):
        return self.sittings


def test_same_result_when_none_meets_the_targets_means_the_same_shortfall_and_cost():
    from titlesim.plan.answer import Objective, answer, rank
    # none meets the target; all fall equally short, but cost differs: 98.33 is not 99
    sittings = [[99, 99, 99], [98, 98, 99], [98, 98, 99], [99, 100, 101]]
    frame = pd.DataFrame({"candidate": range(4), "feasible": False,
                          "shortfall": [0.5, 0.5, 0.5, 0.7], "change": [0.1, 0.2, 0.3, 0.0],
                          "cost_mean": [np.mean(s) for s in sittings],
                          "target1_met": False, "target1_shortfall": [5.0, 5.0, 5.0, 7.0]})
    objective = Objective("exam_sittings")
    frame["rank"] = rank(frame, objective)
    a = answer(frame, [_Outcomes(s) for s in sittings], [_T()], objective)
    assert a.best == 1  # as short as any, cheapest, least change among the cheapest
    assert a.tied == [2]  # the same shortfall and the same cost; not candidate 0 (costs more)
    assert a.runner_up == 0
    assert a.runner_up_cost["of"] == "cost" and a.runner_up_cost["mean"] > 0


class _T:
    def scale(self):
        return 1.0
