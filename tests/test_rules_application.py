"""Who of the eligible applies this year.

Clause 一(三): "达到合格标准的专业考试成绩三年有效": someone holding a valid pass need not
sit again, so is more likely to apply; the propensities themselves are assumptions of
the scenario. Baseline: 25 % of eligible grassroots staff apply in a year, 30 % of the
others, 95 % of those holding a usable pass, and each earlier failure multiplies the
propensity by 0.8. Each case is worked by hand.
"""
from __future__ import annotations

import numpy as np

from titlesim.rules.application import applies
from titlesim.scenario.schema import Application, ShareByGrassroots

BASELINE = Application(base=ShareByGrassroots(grassroots=0.25, other=0.30), with_valid_pass=0.95,
                       failure_factor=0.8)


def apply_(u, grassroots=False, holds=False, failures=0, eligible=True, application=BASELINE):
    n = len(u)
    return applies(np.array(u), np.full(n, eligible), np.full(n, grassroots), np.full(n, holds),
                   np.full(n, failures, dtype=np.int8), application).tolist()


def test_a_quarter_of_eligible_grassroots_staff_apply():
    assert apply_([0.24, 0.2499, 0.25, 0.26], grassroots=True) == [True, True, False, False]


def test_thirty_percent_of_the_others_apply():
    assert apply_([0.29, 0.30, 0.31]) == [True, False, False]


def test_each_failure_lowers_the_propensity_by_the_failure_factor():
    # grassroots, two failures: 0.25 x 0.8 x 0.8 = 0.16
    assert apply_([0.15, 0.17], grassroots=True, failures=2) == [True, False]


def test_a_valid_pass_raises_the_propensity_whatever_the_failures():
    assert apply_([0.94, 0.96], grassroots=True, holds=True, failures=3) == [True, False]


def test_the_ineligible_never_apply():
    assert apply_([0.0, 0.5], eligible=False, holds=True) == [False, False]


def test_each_person_is_judged_on_their_own_row():
    u = np.array([0.2, 0.2, 0.9, 0.5])
    got = applies(u, np.array([True, True, True, False]), np.array([True, False, False, True]),
                  np.array([False, False, True, False]), np.array([2, 0, 0, 0], dtype=np.int8),
                  BASELINE)
    # 0.2 < 0.16? no; 0.2 < 0.30 yes; 0.9 < 0.95 yes; not eligible
    assert got.tolist() == [False, True, True, False]
