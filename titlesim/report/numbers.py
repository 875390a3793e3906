"""The figures a report is made of, from a :class:`~titlesim.Result`'s additive counts.

Everything is computed per replicate first (sums over cells, rates as ratios of sums) and
only then summarised over replicates: the mean, and the interval holding the middle 90 %
of replicates (the comparison's :func:`titlesim.compare.impact.summarise`). Arrays are
(replicate, year + a last ``total`` column, group), as
:func:`titlesim.compare.outcomes.values` gives them.
"""
from __future__ import annotations

import numpy as np

from titlesim.compare.impact import summarise
from titlesim.compare.outcomes import Outcome, values

SENIOR = (("level", ("deputy_senior", "full_senior")),)
GRASSROOTS = (("grassroots", (True,)),)
DECIMALS = 1  # tables, CSV files and the workbook hold the same rounded numbers


def count(result, metrics, by: str | None = None, where=(), horizon: str = "sum"):
    """(replicate, year + total, group) sums of one or more metrics, and the group names.
    ``horizon`` forms the total column: ``sum`` of the years (flows) or the ``end`` value
    (stocks)."""
    metrics = (metrics,) if isinstance(metrics, str) else tuple(metrics)
    return values(result, Outcome("count", metrics, "persons", over_horizon=horizon,
                                  where=tuple(where)), by)


def ratio(result, metrics, per, by: str | None = None, where=(), per_where=None,
          horizon: str = "sum", scale: float = 100.0):
    """The same for ``scale x metrics / per`` (NaN where nothing to divide by)."""
    metrics = (metrics,) if isinstance(metrics, str) else tuple(metrics)
    per = (per,) if isinstance(per, str) else tuple(per)
    outcome = Outcome("ratio", metrics, "percent", over_horizon=horizon, where=tuple(where), per=per,
                      per_where=None if per_where is None else tuple(per_where), scale=scale)
    return values(result, outcome, by)


def mean(v: np.ndarray) -> np.ndarray:
    """Mean over replicates (axis 0), NaN ignored."""
    return summarise(v)[0]


def band(v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, 5th and 95th percentile over replicates."""
    return summarise(v)


def per_year(v: np.ndarray, years: int) -> np.ndarray:
    """The total column of a (replicate, year + total, group) array as a yearly average,
    per replicate: (replicate, group)."""
    return v[:, -1, :] / years


def rounded(x):
    return np.round(x, DECIMALS)


def whole(x) -> np.ndarray:
    """Counts of people (and of groups, posts) as whole numbers.

    >>> whole([2.5, 3.5, -0.2]).tolist()
    [2, 4, 0]
    """
    return np.round(np.asarray(x, dtype=float)).astype(np.int64)


def add_band(frame, name: str, v: np.ndarray) -> None:
    """Columns ``name``, ``name_lo``, ``name_hi`` of ``frame``: the mean of ``v`` over
    replicates (axis 0) and the interval holding the middle 90 % of them, as whole
    numbers (a count of people is shown with its interval, never with decimals)."""
    m, lo, hi = band(np.asarray(v, dtype=float))
    frame[name], frame[f"{name}_lo"], frame[f"{name}_hi"] = whole(m), whole(lo), whole(hi)


def year_labels(result) -> list:
    """The year column of a by-year table with a total row (``total`` as in impact.csv)."""
    return [int(y) for y in result.years] + ["total"]


def nonzero_groups(*arrays: np.ndarray) -> np.ndarray:
    """Groups where any of the (replicate, year, group) arrays is non-zero."""
    keep = np.zeros(arrays[0].shape[-1], dtype=bool)
    for a in arrays:
        keep |= np.nan_to_num(np.abs(a)).sum(axis=(0, 1)) > 0
    return keep
