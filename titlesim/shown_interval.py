"""A difference and its 90 % interval as a reader sees them: one rounding rule for every
place that shows both (the command's summary, the report, compare.xlsx, the compare and
what-if pages; docs/guide.md, ``titlesim compare``).

The point, the lower and the upper bound are each rounded to the shown decimals; where
the shown point then falls outside the shown bounds (few replicates, or a point worked
out from two shown means), the nearer bound is moved to the point. So a shown
difference always lies within its shown interval: never "+2 (90 % 区间 +3 至 +3)".
"""
from __future__ import annotations

import numpy as np


def shown_interval(point, lo, hi, digits: int = 0):
    """``(point, lo, hi)`` rounded to ``digits`` decimals, the bounds widened to hold the
    rounded point. Works on numbers and on numpy arrays alike; a NaN point leaves the
    bounds as rounded, NaN bounds stay NaN.

    >>> shown_interval(2, 2.6, 3.4)  # naive rounding: +2 outside [+3, +3]
    (2.0, 2.0, 3.0)
    >>> shown_interval(-18, -17.4, -17.3)
    (-18.0, -18.0, -17.0)
    >>> shown_interval(0.1, 0.01, 0.03, 1)  # 1.4 → 1.5 is +0.1, not inside [0.0, 0.0]
    (0.1, 0.0, 0.1)
    >>> shown_interval(-24.35, -32.05, -19.0)
    (-24.0, -32.0, -19.0)
    >>> shown_interval(float("nan"), 1.26, 2.0, 1)
    (nan, 1.3, 2.0)
    """
    point, lo, hi = (np.round(np.asarray(x, dtype=float), digits) for x in (point, lo, hi))
    known = ~np.isnan(point)
    with np.errstate(invalid="ignore"):
        lo = np.where(known & ~np.isnan(lo), np.fmin(lo, point), lo)
        hi = np.where(known & ~np.isnan(hi), np.fmax(hi, point), hi)
    if point.ndim == 0:
        return float(point) + 0.0, float(lo) + 0.0, float(hi) + 0.0  # no -0.0
    return point + 0.0, lo + 0.0, hi + 0.0


def shown_difference(base, revision, digits: int = 0) -> float:
    """The change from ``base`` to ``revision`` as the reader works it out from the two
    shown (rounded) values: 7,172.6 → 7,148.4 is -25 (not the -24 the unrounded -24.2
    rounds to); 1.44 → 1.46 with one decimal is +0.1. NaN when either is undefined.

    Each value is rounded as it is written out (Python's formatting, as
    :func:`titlesim.report.words.num` and the pages write it), so the difference is that
    of the very digits shown.

    >>> shown_difference(7172.6, 7148.4), shown_difference(1.44, 1.46, 1)
    (-25.0, 0.1)
    """
    as_written = np.vectorize(lambda x: float(f"{x:.{digits}f}"), otypes=[float])
    difference = np.round(as_written(revision) - as_written(base), digits) + 0.0
    return float(difference) if difference.ndim == 0 else difference
