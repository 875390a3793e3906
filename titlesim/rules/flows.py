"""Flows of people: retirement, other exits, new entrants, transfers in with recognition.

Notice 一(五): "从省外、中直驻晋单位流动或军队转业安置到我市单位工作的专业技术人员 ...
原评审取得的高级职称由市人社局负责认定，中、初级职称按照属地原则由各级人社部门负责认定"
(titles held by people arriving from elsewhere are recognised: senior titles by the city
bureau, intermediate and junior by the county bureau of the place).
"""
from __future__ import annotations

import numpy as np

from titlesim.sampling import largest_remainder


def retiring(age: np.ndarray, female: np.ndarray, retirement_age) -> np.ndarray:
    """Who reaches retirement age this year."""
    return age >= np.where(female, retirement_age.female, retirement_age.male)


def leaving(u: np.ndarray, grassroots: np.ndarray, exit_rate) -> np.ndarray:
    """Who leaves for other reasons (moving away, changing career), by unit kind."""
    return u < np.where(grassroots, exit_rate.grassroots, exit_rate.other)


def establishment_target(establishment: np.ndarray, growth_rate: float, years_of_growth: int) -> np.ndarray:
    """Staff each unit is set up for after ``years_of_growth`` years of growth (none before
    the horizon: a history keeps establishments as they are at the start).

    >>> establishment_target(np.array([100, 20]), 0.05, 2).round(2).tolist()
    [110.25, 22.05]
    """
    return establishment * (1.0 + growth_rate) ** max(int(years_of_growth), 0)


def entrants_per_unit(staff: np.ndarray, target: np.ndarray, entrants) -> np.ndarray:
    """New juniors per unit: ``replacement_rate`` of the unit's vacancies (its target
    establishment minus its staff after exits and transfers in), so that leavers, people
    who moved away and transfers in are all offset. Rounded per unit so that the city
    total is exact.

    >>> from types import SimpleNamespace as E
    >>> entrants_per_unit(np.array([17, 10, 31]), np.array([20, 10, 30]),
    ...                   E(replacement_rate=1.0)).tolist()
    [3, 0, 0]
    """
    wanted = np.maximum(np.asarray(target, dtype=np.float64) - staff, 0.0) * entrants.replacement_rate
    total = int(round(wanted.sum()))
    return largest_remainder(total, wanted) if total else np.zeros(len(wanted), dtype=np.int64)


def transfers_count(u: float, headcount: int, rate: float) -> int:
    """Number arriving this year with a title from outside: the expected number, with
    the fractional part rounded up with that probability."""
    expected = headcount * rate
    whole = int(np.floor(expected))
    return whole + int(u < expected - whole)


def recognised(u: np.ndarray, recognition_rate: float) -> np.ndarray:
    """Whose title is recognised (认定); the others arrive one level lower."""
    return u < recognition_rate
