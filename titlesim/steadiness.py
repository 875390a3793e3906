"""What a run holds steady when no rule changes: the figures of the model-validation page.

Three criteria, each measured on a :class:`~titlesim.simulate.Result` (means over its
replicates):

* **titles per year**: every year's titles (取得职称人数) within ``titles_tolerance`` of the
  mean over the horizon;
* **headcount by series x level**: every series x level with at least ``min_people`` people
  at the start stays within ``stock_tolerance`` of its starting headcount in every year;
  and the whole workforce within ``headcount_tolerance``;
* **grade shares**: the share of each level in each series at the start is within
  ``share_points`` percentage points of the share the scenario states (the unit types'
  ``population.unit_types.*.levels``, weighted by their share of the series); the same
  by unit type is reported too (small unit types vary more by chance).

>>> from titlesim import load_scenario, simulate
>>> s = load_scenario("scenarios/baseline-2022.yaml", ["population.size=3000", "horizon.years=3"])
>>> report = measure(simulate(s, replicates=1))
>>> sorted(report.titles_per_year)[:1]
[2022]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from titlesim.metrics import METRICS
from titlesim.scenario.schema import LEVELS

TITLES_TOLERANCE = 0.15
STOCK_TOLERANCE = 0.15
HEADCOUNT_TOLERANCE = 0.02
SHARE_POINTS = 5.0
MIN_PEOPLE = 200


@dataclass(frozen=True)
class Steadiness:
    titles_per_year: dict  # year -> mean titles
    titles_max_deviation: float  # largest |year / mean - 1|
    headcount_start: float
    headcount_by_year: dict  # year -> mean year-end headcount
    headcount_max_change: float  # largest |year / start - 1|
    stocks: pd.DataFrame  # series, level, start, low, high, max_change (relative)
    shares: pd.DataFrame  # series, level, stated, start (both in percent), gap (points)
    shares_by_unit_type: pd.DataFrame  # the same by unit type
    posts_vacant_by_year: dict  # year -> mean vacant posts
    waiting_by_year: dict  # year -> mean titled people waiting for a post

    @property
    def stocks_max_change(self) -> float:
        big = self.stocks[self.stocks["start"] >= MIN_PEOPLE]
        return float(big["max_change"].abs().max()) if len(big) else 0.0

    @property
    def shares_max_gap(self) -> float:
        return float(self.shares["gap"].abs().max()) if len(self.shares) else 0.0

    def holds(self) -> dict[str, bool]:
        """Each criterion, True where it holds."""
        return {
            "titles": self.titles_max_deviation <= TITLES_TOLERANCE,
            "headcount": self.headcount_max_change <= HEADCOUNT_TOLERANCE,
            "stocks": self.stocks_max_change <= STOCK_TOLERANCE,
            "shares": self.shares_max_gap <= SHARE_POINTS,
        }

    def summary(self) -> dict:
        """The headline figures, rounded for a table."""
        return {
            "titles_mean": round(float(np.mean(list(self.titles_per_year.values()))), 1),
            "titles_max_deviation_pct": round(100 * self.titles_max_deviation, 1),
            "headcount_start": round(self.headcount_start),
            "headcount_max_change_pct": round(100 * self.headcount_max_change, 2),
            "stocks_max_change_pct": round(100 * self.stocks_max_change, 1),
            "shares_max_gap_points": round(self.shares_max_gap, 1),
            "unit_type_shares_max_gap_points": round(float(self.shares_by_unit_type["gap"].abs().max()), 1),
            "posts_vacant_first_last": (round(_first(self.posts_vacant_by_year)),
                                        round(_last(self.posts_vacant_by_year))),
            "waiting_first_last": (round(_first(self.waiting_by_year)),
                                   round(_last(self.waiting_by_year))),
        }


def _first(d: dict) -> float:
    return float(d[min(d)])


def _last(d: dict) -> float:
    return float(d[max(d)])


def measure(result) -> Steadiness:
    """The steadiness figures of a run (``result.start`` is the headcount per cell at
    ``horizon.start``)."""
    counts = result.counts.mean(axis=0)  # (year, metric, cell), mean over replicates
    years = [int(y) for y in result.years]
    table = result.cells.table

    def per_year(metric):
        return counts[:, METRICS.index(metric), :].sum(axis=1)

    titles = per_year("titled")
    heads = per_year("headcount")
    start = np.asarray(result.start, dtype=np.float64)
    key = table["series"].astype(str) + "\0" + table["level"].astype(str)
    by_key = pd.DataFrame(counts[:, METRICS.index("headcount"), :].T, columns=years)
    by_key.insert(0, "start", start)
    grouped = by_key.groupby(key.values, sort=False).sum()
    change = grouped[years].div(grouped["start"].where(grouped["start"] > 0), axis=0) - 1
    worst = change.apply(lambda row: row.loc[row.abs().idxmax()] if row.notna().any() else 0.0,
                         axis=1)
    series_level = grouped.index.to_series().str.split("\0", expand=True)
    stocks = pd.DataFrame({
        "series": series_level[0].values, "level": series_level[1].values,
        "start": grouped["start"].values, "low": grouped[years].min(axis=1).values,
        "high": grouped[years].max(axis=1).values, "max_change": worst.values})
    stocks = stocks[stocks["start"] > 0].reset_index(drop=True)
    return Steadiness(
        titles_per_year=dict(zip(years, titles.tolist())),
        titles_max_deviation=float(np.max(np.abs(titles / titles.mean() - 1))) if titles.mean() else 0.0,
        headcount_start=float(start.sum()),
        headcount_by_year=dict(zip(years, heads.tolist())),
        headcount_max_change=float(np.max(np.abs(heads / start.sum() - 1))),
        stocks=stocks,
        shares=grade_shares(result.scenario.params, table, start, "series"),
        shares_by_unit_type=grade_shares(result.scenario.params, table, start, "unit_type"),
        posts_vacant_by_year=dict(zip(years, per_year("posts_vacant").tolist())),
        waiting_by_year=dict(zip(years, per_year("waiting").tolist())),
    )


def grade_shares(params, cells_table: pd.DataFrame, headcount: np.ndarray,
                 by: str = "series") -> pd.DataFrame:
    """Share of each level at the start against the stated share, per series (the unit
    types' stated mixes weighted by their share of the series) or per unit type."""
    frame = pd.DataFrame({by: cells_table[by].astype(str),
                          "level": cells_table["level"].astype(str), "n": headcount})
    held = frame.groupby([by, "level"], sort=False)["n"].sum()
    stated: dict[str, np.ndarray] = {}
    for name, spec in params.population.unit_types.items():
        key, weight = (spec.series, spec.share) if by == "series" else (name, 1.0)
        mix = np.array([spec.levels.get(lv, 0.0) for lv in LEVELS])
        stated[key] = stated.get(key, 0.0) + weight * mix
    rows = []
    for key, mix in stated.items():
        total = sum(held.get((key, lv), 0.0) for lv in LEVELS)
        if total <= 0:
            continue
        mix = 100 * mix / mix.sum()
        for i, lv in enumerate(LEVELS):
            actual = 100 * held.get((key, lv), 0.0) / total
            rows.append((key, lv, mix[i], actual, actual - mix[i]))
    return pd.DataFrame(rows, columns=[by, "level", "stated", "start", "gap"])
