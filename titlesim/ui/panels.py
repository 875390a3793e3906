"""The numbers behind each what-if panel, from the current and the loaded scenario.

Figures are means over replicates. A change against the scenario as loaded is the mean of
the paired differences over the replicates both have (they share their random numbers,
so the difference shows the policy, not the noise).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from titlesim import labels
from titlesim.compare.outcomes import Outcome
from titlesim.compare.outcomes import headline as headline_outcomes
from titlesim.ui.summary import LINE_COLUMNS, Summary


@dataclass(frozen=True)
class Headline:
    """One headline outcome (the comparison's definitions, titlesim.compare.outcomes)."""

    key: str
    label: str
    unit: str  # persons, sittings, years, percent
    value: float  # mean over the current replicates, over the horizon
    change: float  # mean paired change against the loaded scenario
    points: str = "pp"  # how percentage points are written

    @property
    def value_text(self) -> str:
        if not np.isfinite(self.value):
            return "–"
        if self.unit == "percent":
            return f"{self.value:.1f}%"
        return f"{self.value:.2f}" if self.unit == "years" else format_count(self.value)

    @property
    def change_text(self) -> str:
        if not np.isfinite(self.change):
            return "–"
        if self.unit == "percent":
            return "±0" if round(self.change, 1) == 0 else f"{self.change:+.1f}{self.points}"
        if self.unit == "years":
            return "±0" if round(self.change, 2) == 0 else f"{self.change:+.2f}"
        return format_count(self.change, sign=True)


def format_count(x: float, sign: bool = False) -> str:
    """Means of counts, one decimal: ``1,234.5``; with ``sign``: ``+12.0`` / ``-3.5`` / ``±0``."""
    if sign and round(x, 1) == 0:
        return "±0"
    return f"{x:{'+' if sign else ''},.1f}"


def paired_change(current: np.ndarray, loaded: np.ndarray) -> np.ndarray:
    """Mean over the replicates both have of current minus loaded (axis 0 = replicate);
    NaN (an undefined rate) in either leaves that replicate out."""
    n = min(len(current), len(loaded))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # every replicate undefined
        return np.nanmean(current[:n] - loaded[:n], axis=0)


def headline_label(outcome: Outcome, lang: str) -> str:
    """``取得职称人数（各年合计）``: the outcome and how the horizon is summed up."""
    when = labels.label("over_horizon", outcome.over_horizon, lang)
    return f"{outcome.label(lang)}（{when}）" if lang == "zh" else f"{outcome.label(lang)} ({when})"


def headlines(current: Summary, loaded: Summary, lang: str = "zh") -> list[Headline]:
    out = []
    points = ("" if lang == "zh" else " ") + labels.label("unit", "percentage_points", lang)
    for outcome in headline_outcomes():
        cur, old = current.over_horizon(outcome), loaded.over_horizon(outcome)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            value = float(np.nanmean(cur))
        out.append(Headline(outcome.name, headline_label(outcome, lang), outcome.unit, value,
                            float(paired_change(cur, old)), points))
    return out


def titled_by_route(current: Summary, loaded: Summary) -> pd.DataFrame:
    """Per year: titles of general scope and grassroots-directed ones (current), and the
    loaded scenario's total."""
    titled, directed = current.total("titled").mean(axis=0), current.total("titled_directed").mean(axis=0)
    return pd.DataFrame({"year": current.years, "general": titled - directed, "directed": directed,
                         "loaded_total": loaded.total("titled").mean(axis=0)})


def ratio_line(current: Summary, loaded: Summary) -> pd.DataFrame:
    """Per year: the ratio line's mean over groups and replicates (weighted by takers with
    a score), its 10th-90th percentile across groups, and the loaded scenario's mean."""
    frame = pd.DataFrame(_line_by_year(current), columns=["mean", "low", "high"])
    frame.insert(0, "year", current.years)
    frame["loaded_mean"] = _line_by_year(loaded)[:, 0]
    frame["standard"] = current.provincial_standard
    return frame


def _line_by_year(s: Summary) -> np.ndarray:
    """(year, [mean, 10th, 90th percentile]) of the groups' line scores; NaN without a line."""
    rows = s.line_array
    year, sat, score = rows[:, LINE_COLUMNS.index("year")], rows[:, LINE_COLUMNS.index("sat")], \
        rows[:, LINE_COLUMNS.index("line_score")]
    out = np.full((len(s.years), 3), np.nan)
    for i, y in enumerate(s.years):
        pick = (year == y) & np.isfinite(score)
        if sat[pick].sum() > 0:
            out[i] = (np.average(score[pick], weights=sat[pick]),
                      *np.percentile(score[pick], [10, 90]))
    return out


def post_queue(current: Summary, loaded: Summary) -> pd.DataFrame:
    """Per year end: titled staff waiting for a post, grassroots and other units."""
    cur, old = current.by_grassroots("waiting").mean(axis=0), loaded.by_grassroots("waiting").mean(axis=0)
    return pd.DataFrame({"year": current.years, "grassroots": cur[:, 1], "other": cur[:, 0],
                         "loaded_grassroots": old[:, 1], "loaded_other": old[:, 0]})


def county_change(current: Summary, loaded: Summary, lang: str = "zh") -> pd.DataFrame:
    """Per county: titles over the horizon (mean), and the paired change."""
    cur = current.by_county("titled").sum(axis=1)  # (replicate, county)
    old = loaded.by_county("titled").sum(axis=1)
    return pd.DataFrame({"county": list(current.counties),
                         "label": [labels.label("county", c, lang) for c in current.counties],
                         "current": cur.mean(axis=0), "loaded": old.mean(axis=0),
                         "change": paired_change(cur, old)})


@dataclass(frozen=True)
class Panels:
    """Everything the what-if view shows for one state of the controls."""

    headlines: list[Headline]
    titled_by_route: pd.DataFrame
    ratio_line: pd.DataFrame
    post_queue: pd.DataFrame
    county_change: pd.DataFrame
    replicates: int

    def headline(self, key: str) -> Headline:
        return next(h for h in self.headlines if h.key == key)


def panels(current: Summary, loaded: Summary, lang: str = "zh") -> Panels:
    return Panels(headlines(current, loaded, lang), titled_by_route(current, loaded),
                  ratio_line(current, loaded), post_queue(current, loaded),
                  county_change(current, loaded, lang), current.n)
