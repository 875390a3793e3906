"""The numbers behind each what-if panel, from the current and the loaded scenario.

Every figure comes with its 90 % interval over replicates (the 5th to 95th percentile,
as the comparison reports it, :func:`titlesim.compare.impact.summarise`). A change
against the scenario as loaded is taken replicate by replicate over the same replicates
(they share their random numbers, so the difference shows the policy, not the noise),
and the loaded scenario's own figure is shown at those same replicates.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from titlesim import labels
from titlesim.compare.impact import summarise
from titlesim.compare.outcomes import Outcome
from titlesim.compare.outcomes import headline as headline_outcomes
from titlesim.shown_interval import shown_difference, shown_interval
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
    value_lo: float = np.nan  # 90 % interval of the value over replicates
    value_hi: float = np.nan
    change_lo: float = np.nan  # 90 % interval of the paired change
    change_hi: float = np.nan
    base: float = np.nan  # the loaded scenario's mean at the same replicates
    n: int = 0  # replicates

    def text(self, x: float, sign: bool = False) -> str:
        if not np.isfinite(x):
            return "–"
        if self.unit == "percent":
            if sign:
                return "±0" if round(x, 1) == 0 else f"{x:+.1f}{self.points}"
            return f"{x:.1f}%"
        if self.unit == "years":  # one decimal, as the reports write years
            return ("±0" if round(x, 1) == 0 else f"{x:+.1f}") if sign else f"{x:.1f}"
        return format_count(x, sign)

    @property
    def value_text(self) -> str:
        return self.text(self.value)

    @property
    def digits(self) -> int:
        """Decimals shown: people whole, years and percentages one."""
        return 0 if self.unit in PEOPLE else 1

    @property
    def shown_change(self) -> float:
        """The difference of the shown value and loaded figure (1.4 → 1.5 is +0.1)."""
        return shown_change(self.value, self.base, self.change, self.digits)

    @property
    def change_text(self) -> str:
        return self.text(self.shown_change, sign=True)

    @property
    def base_text(self) -> str:
        return self.text(self.base)

    @property
    def has_interval(self) -> bool:
        return self.n >= 2 and np.isfinite(self.value_lo)

    @property
    def value_interval(self) -> str:
        """``[1,200.0, 1,260.5]``; ``–`` with fewer than two replicates."""
        if not self.has_interval:
            return "–"
        return f"[{self.text(self.value_lo)}, {self.text(self.value_hi)}]"

    @property
    def change_interval(self) -> str:
        if not self.has_interval or not np.isfinite(self.change_lo):
            return "–"
        _, lo, hi = shown_interval(self.shown_change, self.change_lo, self.change_hi, self.digits)
        return f"[{self.text(lo, True)}, {self.text(hi, True)}]"


PEOPLE = ("persons", "sittings")  # counts: shown whole


def format_count(x: float, sign: bool = False) -> str:
    """Means of counts of people, whole: ``1,235``; with ``sign``: ``+12`` / ``-4`` / ``±0``
    (never ``-0``)."""
    if round(x) == 0:
        return "±0" if sign else "0"
    return f"{x:{'+' if sign else ''},.0f}"


def shown_change(current: float, loaded: float, change: float, digits: int = 0) -> float:
    """A change between two means as the reader works it out from the shown means
    (``digits`` decimals): 7,173 → 7,148 is -25, even where the unrounded -24.4 would show
    -24; 1.4 → 1.5 years is +0.1. The paired mean itself where it is not their difference
    (a scenario with fewer replicates, or a mean undefined).

    >>> shown_change(7148.4, 7172.6, -24.2), shown_change(1.46, 1.44, 0.02, 1)
    (-25.0, 0.1)
    """
    if not (np.isfinite(current) and np.isfinite(loaded) and np.isfinite(change)):
        return change
    if not np.isclose(current - loaded, change, rtol=1e-9, atol=1e-6):
        return change
    return shown_difference(loaded, current, digits)


def paired_change(current: np.ndarray, loaded: np.ndarray) -> np.ndarray:
    """Mean over the replicates both have of current minus loaded (axis 0 = replicate);
    NaN (an undefined rate) in either leaves that replicate out."""
    return paired(current, loaded)[0]


def paired(current: np.ndarray, loaded: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, 5th and 95th percentile over the replicates both have of current minus loaded."""
    n = min(len(current), len(loaded))
    return summarise(np.asarray(current[:n], float) - np.asarray(loaded[:n], float))


def _mean(x: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # every replicate undefined
        return np.nanmean(x, axis=0)


def headline_label(outcome: Outcome, lang: str) -> str:
    """``取得职称人数（各年合计）``: the outcome and how the horizon is summed up (a rate:
    over the whole horizon, its parts summed, then divided)."""
    how = "whole" if outcome.is_rate and outcome.over_horizon == "sum" else outcome.over_horizon
    when = labels.label("over_horizon", how, lang)
    return f"{outcome.label(lang)}（{when}）" if lang == "zh" else f"{outcome.label(lang)} ({when})"


def headlines(current: Summary, loaded: Summary, lang: str = "zh") -> list[Headline]:
    out = []
    points = ("" if lang == "zh" else " ") + labels.label("unit", "percentage_points", lang)
    n = min(current.n, loaded.n)
    for outcome in headline_outcomes():
        cur, old = current.over_horizon(outcome)[:n], loaded.over_horizon(outcome)[:n]
        value, lo, hi = (float(v) for v in summarise(cur))
        change, change_lo, change_hi = (float(v) for v in paired(cur, old))
        out.append(Headline(outcome.name, headline_label(outcome, lang), outcome.unit, value,
                            change, points, lo, hi, change_lo, change_hi, float(_mean(old)), n))
    return out


def titled_by_route(current: Summary, loaded: Summary) -> pd.DataFrame:
    """Per year: titles of general scope and grassroots-directed ones (current), the 90 %
    interval of the yearly total, and the loaded scenario's total."""
    total, directed = current.total("titled"), current.total("titled_directed")
    mean, lo, hi = summarise(total)
    return pd.DataFrame({"year": current.years, "general": mean - directed.mean(axis=0),
                         "directed": directed.mean(axis=0), "total_lo": lo, "total_hi": hi,
                         "loaded_total": loaded.total("titled")[:current.n].mean(axis=0)})


def ratio_line(current: Summary, loaded: Summary) -> pd.DataFrame:
    """Per year: the ratio line's mean over groups and replicates (weighted by takers with
    a score), its 90 % interval over replicates, and the loaded scenario's mean."""
    mean, lo, hi = _line_by_year(current)
    frame = pd.DataFrame({"year": current.years, "mean": mean, "low": lo, "high": hi})
    frame["loaded_mean"] = _line_by_year(loaded, current.n)[0]
    frame["standard"] = current.provincial_standard
    return frame


def _line_by_year(s: Summary, n: int | None = None):
    """Mean, 5th and 95th percentile over replicates of each year's line score (the mean
    over groups weighted by takers); NaN without a line."""
    n = n or s.n
    reps = s.replicates[:n]
    rows = np.concatenate([r.lines for r in reps]) if reps else np.zeros((0, len(LINE_COLUMNS)))
    rep = np.repeat(np.arange(len(reps)), [len(r.lines) for r in reps])
    year = np.searchsorted(s.years, rows[:, LINE_COLUMNS.index("year")])
    sat, score = rows[:, LINE_COLUMNS.index("sat")], rows[:, LINE_COLUMNS.index("line_score")]
    ok = np.isfinite(score) & (sat > 0)
    slot = (rep * len(s.years) + year)[ok]
    size = max(len(reps), 1) * len(s.years)
    weight = np.bincount(slot, sat[ok], minlength=size)
    total = np.bincount(slot, (score * sat)[ok], minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        per = np.where(weight > 0, total / np.where(weight > 0, weight, 1), np.nan)
    return summarise(per.reshape(max(len(reps), 1), len(s.years)))


def post_queue(current: Summary, loaded: Summary) -> pd.DataFrame:
    """Per year end: titled staff waiting for a post, grassroots and other units, with 90 %
    intervals."""
    cur, old = current.by_grassroots("waiting"), loaded.by_grassroots("waiting")[:current.n]
    frame = {"year": current.years}
    for name, column in (("grassroots", 1), ("other", 0)):
        mean, lo, hi = summarise(cur[:, :, column])
        frame.update({name: mean, f"{name}_lo": lo, f"{name}_hi": hi,
                      f"loaded_{name}": old[:, :, column].mean(axis=0)})
    return pd.DataFrame(frame)


def county_change(current: Summary, loaded: Summary, lang: str = "zh") -> pd.DataFrame:
    """Per county: titles over the horizon (mean), and the paired change with its interval."""
    cur = current.by_county("titled").sum(axis=1)  # (replicate, county)
    old = loaded.by_county("titled").sum(axis=1)[:current.n]
    change, lo, hi = paired(cur, old)
    return pd.DataFrame({"county": list(current.counties),
                         "label": [labels.label("county", c, lang) for c in current.counties],
                         "current": cur.mean(axis=0), "loaded": old.mean(axis=0),
                         "change": change, "change_lo": lo, "change_hi": hi})


EQUITY_DIMENSIONS = ("grassroots", "unit_type", "specialty")


def equity(current: Summary, loaded: Summary, dimension: str, lang: str = "zh") -> pd.DataFrame:
    """Titles over the horizon by unit type, specialty or grassroots status: current and
    loaded means, the paired change with its 90 % interval, and titles per 100 applicants."""
    if dimension == "grassroots":
        cur_t, old_t = current.by_grassroots("titled"), loaded.by_grassroots("titled")
        cur_a = current.by_grassroots("applied")
        groups = [labels.label("ui", f"whatif.{g}_units", lang) for g in ("other", "grassroots")]
    else:
        cur_t, old_t = current.by_equity("titled", dimension), loaded.by_equity("titled", dimension)
        cur_a = current.by_equity("applied", dimension)
        groups = [labels.label(dimension, g, lang) for g in current.equity_groups[dimension]]
    cur, old, applied = cur_t.sum(axis=1), old_t.sum(axis=1)[:current.n], cur_a.sum(axis=1)
    change, lo, hi = paired(cur, old)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(applied > 0, 100 * cur / np.where(applied > 0, applied, 1), np.nan)
    current_mean, loaded_mean = cur.mean(axis=0), old.mean(axis=0)
    shown = np.flatnonzero((current_mean > 0) | (loaded_mean > 0))  # groups with titles in either
    return pd.DataFrame({"group": [groups[i] for i in shown], "current": current_mean[shown],
                         "loaded": loaded_mean[shown], "change": change[shown],
                         "change_lo": lo[shown], "change_hi": hi[shown],
                         "per_100_applied": _mean(rate)[shown]})


def per_year(current: Summary, loaded: Summary) -> pd.DataFrame:
    """Each headline outcome per year: current mean, loaded mean (same replicates) and the
    paired change with its 90 % interval."""
    rows = []
    n = min(current.n, loaded.n)
    for outcome in headline_outcomes():
        cur = current.by_year(outcome)[:n, :-1]
        old = loaded.by_year(outcome)[:n, :-1]
        change, lo, hi = paired(cur, old)
        cur_mean, old_mean = _mean(cur), _mean(old)
        for i, year in enumerate(current.years):
            rows.append((outcome.name, outcome.unit, int(year), float(cur_mean[i]),
                         float(old_mean[i]), change[i], lo[i], hi[i]))
    return pd.DataFrame(rows, columns=["outcome", "unit", "year", "current", "loaded", "change",
                                       "change_lo", "change_hi"])


@dataclass(frozen=True)
class Panels:
    """Everything the what-if view shows for one state of the controls."""

    headlines: list[Headline]
    titled_by_route: pd.DataFrame
    ratio_line: pd.DataFrame
    post_queue: pd.DataFrame
    county_change: pd.DataFrame
    replicates: int
    equity: dict | None = None  # EQUITY_DIMENSIONS -> DataFrame
    per_year: pd.DataFrame | None = None

    def headline(self, key: str) -> Headline:
        return next(h for h in self.headlines if h.key == key)


def panels(current: Summary, loaded: Summary, lang: str = "zh", detail: bool = True) -> Panels:
    """The panels; ``detail=False`` (a quick preview) leaves out the equity view and the
    per-year table."""
    return Panels(headlines(current, loaded, lang), titled_by_route(current, loaded),
                  ratio_line(current, loaded), post_queue(current, loaded),
                  county_change(current, loaded, lang), current.n,
                  {d: equity(current, loaded, d, lang) for d in EQUITY_DIMENSIONS} if detail else None,
                  per_year(current, loaded) if detail else None)
