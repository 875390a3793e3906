"""The headline figures of a report: shown in its overview, kept in ``tables/headline.csv``
and ``provenance.json``, and listed in ``reports/index.html`` and ``titlesim runs``."""
from __future__ import annotations

import pandas as pd

from titlesim.report.numbers import GRASSROOTS, SENIOR, count, mean, ratio, rounded


def headline(result) -> pd.DataFrame:
    """``measure, value``: means over replicates, one decimal."""
    n = len(result.years)
    values = {
        "titled_per_year": mean(count(result, "titled")[0][:, -1, 0]) / n,
        "passed_ratio_only_per_year": mean(count(result, "passed_ratio_only")[0][:, -1, 0]) / n,
        "line_mean": result.lines["line_score"].mean() if len(result.lines) else float("nan"),
        "waiting_end": mean(count(result, "waiting", horizon="end")[0][:, -1, 0]),
        "years_waited": mean(ratio(result, "waiting_years", "hired", scale=1.0)[0][:, -1, 0]),
        "senior_share_grassroots_end": mean(ratio(
            result, "headcount", "headcount", where=GRASSROOTS + SENIOR, per_where=GRASSROOTS,
            horizon="end")[0][:, -1, 0]),
    }
    return pd.DataFrame({"measure": list(values), "value": rounded([float(v) for v in values.values()])})
