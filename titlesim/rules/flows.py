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


def entrants_per_unit(leavers: np.ndarray, establishment: np.ndarray, entrants) -> np.ndarray:
    """New juniors per unit: a share of each unit's leavers replaced, plus growth of the
    establishment. Rounded per unit so that the city total is exact."""
    wanted = leavers * entrants.replacement_rate + establishment * entrants.growth_rate
    wanted = np.maximum(wanted, 0.0)
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
