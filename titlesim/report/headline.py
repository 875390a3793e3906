"""The headline figures of a report: shown in its overview, kept in ``tables/headline.csv``
and ``provenance.json``, and listed in ``reports/index.html`` and ``titlesim runs``."""
from __future__ import annotations

import numpy as np
import pandas as pd

from titlesim.report.numbers import GRASSROOTS, SENIOR, band, count, ratio

# measure -> decimals: people are whole numbers, years and shares one decimal
DECIMALS = {"titled_per_year": 0, "passed_ratio_only_per_year": 0, "line_mean": 1,
            "waiting_end": 0, "years_waited": 1, "senior_share_grassroots_end": 1}


def headline(result) -> pd.DataFrame:
    """``measure, value, lo, hi``: the mean over replicates and the interval holding the
    middle 90 % of them (the pass line: the mean over groups and years, no interval)."""
    n = len(result.years)
    per_replicate = {
        "titled_per_year": count(result, "titled")[0][:, -1, 0] / n,
        "passed_ratio_only_per_year": count(result, "passed_ratio_only")[0][:, -1, 0] / n,
        "waiting_end": count(result, "waiting", horizon="end")[0][:, -1, 0],
        "years_waited": ratio(result, "waiting_years", "hired", scale=1.0)[0][:, -1, 0],
        "senior_share_grassroots_end": ratio(
            result, "headcount", "headcount", where=GRASSROOTS + SENIOR, per_where=GRASSROOTS,
            horizon="end")[0][:, -1, 0],
    }
    line = result.lines["line_score"].mean() if len(result.lines) else float("nan")
    rows = []
    for measure, digits in DECIMALS.items():
        if measure == "line_mean":
            mean, lo, hi = float(line), float("nan"), float("nan")
        else:
            m, l, h = band(np.asarray(per_replicate[measure], dtype=float))
            mean, lo, hi = float(m), float(l), float(h)
        rows.append((measure, *(_round(v, digits) for v in (mean, lo, hi))))
    return pd.DataFrame(rows, columns=["measure", "value", "lo", "hi"], dtype=object)


def record(frame: pd.DataFrame) -> dict:
    """The headline figures as ``provenance.json`` keeps them (measure -> value, None
    where there is none), for ``reports/index.html`` and ``titlesim runs``."""
    return {k: (None if pd.isna(v) else float(v)) for k, v in zip(frame["measure"], frame["value"])}


def _round(value: float, digits: int) -> float | int:
    """People as whole numbers (int), the rest with ``digits`` decimals; never -0.0."""
    if value != value:
        return value
    if digits == 0:
        return int(round(value))
    rounded = round(value, digits)
    return 0.0 if rounded == 0 else rounded
