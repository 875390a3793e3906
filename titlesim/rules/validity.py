"""The three-year validity of exam passes (成绩三年有效), clause 一(三).

    "达到合格标准的专业考试成绩三年有效。"
    "达到省定卫生合格标准的专业考试成绩按三年有效规定执行。"

Each person holds at most one pass, stored as two columns: ``pass_until`` (the last
evaluation year it may be used in, 0 = no pass) and ``pass_scope`` (0 none, 1 general,
2 grassroots). A pass from exam year ``y`` may be used in evaluation years ``y`` to
``y + years - 1`` inclusive: ``validity.years`` for a pass of the provincial standard
(general scope), ``validity.ratio_only_years`` for a pass by the ratio line only, which
counts for the grassroots route alone. A pass is consumed when it is used for a title.

Worked example (years 3, ratio_only_years 1): a 2022 pass of the provincial standard is
usable in 2022, 2023 and 2024, not in 2025; a 2022 pass by ratio only is usable in the
2022 grassroots evaluation only.
"""
from __future__ import annotations

import numpy as np

SCOPE_NONE = 0
SCOPE_GENERAL = 1
SCOPE_GRASSROOTS = 2

UNTIL_DTYPE = np.int16
SCOPE_DTYPE = np.int8


def valid_until(exam_year, years) -> np.ndarray:
    """The last evaluation year a pass from ``exam_year`` may be used in.

    >>> valid_until(np.array([2022, 2023]), 3)
    array([2024, 2025], dtype=int16)
    """
    return (np.asarray(exam_year, dtype=np.int64) + np.asarray(years, dtype=np.int64) - 1
            ).astype(UNTIL_DTYPE)


def new_passes(exam_year, provincial: np.ndarray, ratio_only: np.ndarray,
               validity) -> tuple[np.ndarray, np.ndarray]:
    """``(pass_until, pass_scope)`` of this year's passes; ``validity`` is the scenario's
    ``validity`` (``years``, ``ratio_only_years``). A taker who passes neither gets 0, 0.

    >>> from types import SimpleNamespace as V
    >>> new_passes(2022, np.array([True, False, False]), np.array([False, True, False]),
    ...            V(years=3, ratio_only_years=1))
    (array([2024, 2022,    0], dtype=int16), array([1, 2, 0], dtype=int8))
    """
    provincial = np.asarray(provincial, dtype=bool)
    ratio_only = np.asarray(ratio_only, dtype=bool) & ~provincial
    scope = np.where(provincial, SCOPE_GENERAL,
                     np.where(ratio_only, SCOPE_GRASSROOTS, SCOPE_NONE)).astype(SCOPE_DTYPE)
    years = np.where(provincial, validity.years, validity.ratio_only_years)
    until = np.where(scope != SCOPE_NONE, valid_until(exam_year, years), 0).astype(UNTIL_DTYPE)
    return until, scope


def usable(pass_until: np.ndarray, pass_scope: np.ndarray, year: int,
           in_grassroots_route: np.ndarray) -> np.ndarray:
    """Who holds a pass usable in evaluation ``year``: not yet expired, and general, or
    grassroots-scope for someone evaluated in the grassroots route.

    >>> usable(np.array([2024, 2024, 2022, 0]), np.array([1, 2, 2, 0]), 2023,
    ...        np.array([False, True, True, True]))
    array([ True,  True, False, False])
    """
    pass_until = np.asarray(pass_until)
    pass_scope = np.asarray(pass_scope)
    in_scope = (pass_scope == SCOPE_GENERAL) | (
        (pass_scope == SCOPE_GRASSROOTS) & np.asarray(in_grassroots_route, dtype=bool))
    return in_scope & (pass_until >= year) & (pass_until > 0)


def expiring_unused(pass_until: np.ndarray, year: int) -> np.ndarray:
    """Passes whose last usable year is ``year`` and that are still held at its end
    (成绩过期未用). Call after this year's consumed passes are cleared.

    >>> expiring_unused(np.array([2022, 2023, 0]), 2022)
    array([ True, False, False])
    """
    return np.asarray(pass_until) == year


def consume(pass_until: np.ndarray, pass_scope: np.ndarray,
            used: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Clear the passes used for a title this year; returns new arrays.

    >>> consume(np.array([2024, 2023], dtype=np.int16), np.array([1, 2], dtype=np.int8),
    ...         np.array([True, False]))
    (array([   0, 2023], dtype=int16), array([0, 2], dtype=int8))
    """
    until = np.array(pass_until, dtype=UNTIL_DTYPE)
    scope = np.array(pass_scope, dtype=SCOPE_DTYPE)
    clear(until, scope, np.flatnonzero(np.asarray(used, dtype=bool)))
    return until, scope


def clear(pass_until: np.ndarray, pass_scope: np.ndarray, index: np.ndarray) -> None:
    """Clear the passes of the people at ``index``, in place (a pass used for a title,
    or one that has expired): the ledger then holds no pass for them."""
    pass_until[index] = 0
    pass_scope[index] = SCOPE_NONE
