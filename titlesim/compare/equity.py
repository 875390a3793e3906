"""Equity (the users' question 5, docs/guide.md): title and pass rates by county, unit type, specialty
and grassroots status over the horizon, for every scenario; the spread between the
highest and the lowest group; and, for a revision, who gains and who loses against the
base (the paired difference of the group's rate, in percentage points).

A group ``gains`` when the whole 90 % interval of its paired difference is above zero,
``loses`` when it is below zero, ``none`` when it is the same in every replicate, and is
``unclear`` otherwise; base rows say ``base``.
Groups where a rate is never defined (no exam in the specialty, nobody applied) are left
out.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from titlesim.compare.impact import paired, summarise
from titlesim.compare.outcomes import DIMENSIONS, get, values

RATES = ("title_rate", "pass_rate")
COLUMNS = ["scenario", "rate", "unit", "dimension", "group", "mean", "lo", "hi", "spread",
           "highest", "lowest", "diff_mean", "diff_lo", "diff_hi", "change"]


def equity(results: dict, base: str, rates=RATES, dimensions=DIMENSIONS) -> pd.DataFrame:
    """One row per scenario (base first), rate, dimension and group."""
    frames = []
    for rate in map(get, rates):
        for dimension in dimensions:
            base_values, groups = _over_horizon(results[base], rate, dimension)
            for name, result in results.items():
                v = base_values if name == base else _over_horizon(result, rate, dimension)[0]
                frames.append(_block(name, name == base, rate, dimension, groups, base_values, v))
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def _over_horizon(result, rate, dimension) -> tuple[np.ndarray, list]:
    """(replicate, group) values of the rate over the whole horizon."""
    v, groups = values(result, rate, dimension)
    return v[:, -1, :], groups


def _block(name, is_base, rate, dimension, groups, base_values, v) -> pd.DataFrame:
    defined = ~(np.isnan(base_values).all(axis=0) & np.isnan(v).all(axis=0))
    mean, lo, hi = summarise(v)
    stats = paired(base_values, v)
    names = np.array([str(g) for g in groups], dtype=object)
    frame = pd.DataFrame({
        "scenario": name, "rate": rate.name, "unit": rate.unit, "dimension": dimension,
        "group": names, "mean": mean, "lo": lo, "hi": hi,
        "diff_mean": stats["diff_mean"], "diff_lo": stats["diff_lo"], "diff_hi": stats["diff_hi"],
    })[defined].reset_index(drop=True)
    ranked = frame.dropna(subset=["mean"])
    if len(ranked):
        frame["spread"] = ranked["mean"].max() - ranked["mean"].min()
        frame["highest"] = ranked.loc[ranked["mean"].idxmax(), "group"]
        frame["lowest"] = ranked.loc[ranked["mean"].idxmin(), "group"]
    else:
        frame["spread"], frame["highest"], frame["lowest"] = np.nan, "", ""
    with np.errstate(invalid="ignore"):
        unmoved = (np.abs(v - base_values) > 0).sum(axis=0)[defined] == 0
    frame["change"] = "base" if is_base else np.select(
        [unmoved, frame["diff_lo"] > 0, frame["diff_hi"] < 0], ["none", "gains", "loses"],
        "unclear")
    if is_base:
        frame[["diff_mean", "diff_lo", "diff_hi"]] = np.nan
    return frame
