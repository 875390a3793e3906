"""What changes: each outcome under the base and under a revision, and their paired
difference over replicates.

All scenarios of a comparison run with the same seed and replicates, so replicate ``r``
of the base and replicate ``r`` of a revision share their luck person by person (common
random numbers). The difference is taken within each replicate, then summarised: its
mean, and the interval holding the middle 90 % of the replicates' differences
(``diff_lo`` the 5th, ``diff_hi`` the 95th percentile).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from titlesim.compare.outcomes import DIMENSIONS, Outcome, headline, values
from titlesim.shown_interval import shown_interval

LOW, HIGH = 0.05, 0.95
TOTAL = "total"
PEOPLE = ("persons", "sittings")  # counts: whole numbers wherever a reader sees them
STATS = ["base_mean", "revision_mean", "diff_mean", "diff_lo", "diff_hi"]
IMPACT_COLUMNS = ["revision", "outcome", "unit", "year", *STATS]
GROUP_COLUMNS = ["revision", "outcome", "unit", "dimension", "group", "year", *STATS]


def summarise(values_: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and the 5th and 95th percentiles over replicates (axis 0), NaN ignored."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices: undefined rates
        mean = np.nanmean(values_, axis=0)
    ordered = np.sort(values_, axis=0)  # NaN last
    return mean, _quantile(ordered, LOW), _quantile(ordered, HIGH)


def _quantile(ordered: np.ndarray, q: float) -> np.ndarray:
    """numpy's default (linear) quantile over axis 0 of sorted values, NaN ignored;
    ``np.nanquantile`` does the same one column at a time, 20 times slower here.

    >>> v = np.sort(np.array([[1.0, np.nan], [3.0, 2.0], [2.0, np.nan]]), axis=0)
    >>> _quantile(v, 0.25).tolist() == [np.nanquantile(v[:, 0], 0.25), 2.0]
    True
    """
    n = (~np.isnan(ordered)).sum(axis=0)
    position = q * np.maximum(n - 1, 0)
    below = np.floor(position).astype(np.int64)[None]
    above = np.minimum(below + 1, np.maximum(n - 1, 0)[None])
    low = np.take_along_axis(ordered, below, axis=0)[0]
    high = np.take_along_axis(ordered, above, axis=0)[0]
    fraction = position - below[0]
    with np.errstate(invalid="ignore"):
        result = low + (high - low) * fraction
    return np.where(n > 0, np.where(fraction == 0, low, result), np.nan)


def paired(base: np.ndarray, revision: np.ndarray) -> dict[str, np.ndarray]:
    """The five statistics of two aligned (replicate, ...) arrays."""
    diff_mean, diff_lo, diff_hi = summarise(revision - base)
    return {"base_mean": summarise(base)[0], "revision_mean": summarise(revision)[0],
            "diff_mean": diff_mean, "diff_lo": diff_lo, "diff_hi": diff_hi}


def as_shown(frame: pd.DataFrame, digits: int) -> pd.DataFrame:
    """Rows of :func:`impact` or :func:`impact_by_group` as a reader sees them: counts of
    people (or sittings) as whole numbers, means and interval bounds alike; other rows
    rounded to ``digits``; the mean difference that of the shown means, so that a row adds
    up by hand ("7,173 → 7,148, -25", where the unrounded -24.35 would show as -24), as
    :func:`titlesim.report.words.shown_difference` writes it (but for a rate undefined in
    some replicates of one scenario only, whose paired mean is not the difference of the
    means); the interval widened to hold the shown difference
    (:func:`titlesim.shown_interval.shown_interval`). Numbers stay numbers.

    >>> row = pd.DataFrame({"unit": ["sittings", "percent"], "base_mean": [7172.65, 13.4703],
    ...     "revision_mean": [7148.3, 13.6203], "diff_mean": [-24.35, 0.15],
    ...     "diff_lo": [-32.05, 0.1166], "diff_hi": [-19.0, 0.2021]})
    >>> as_shown(row, 1)[STATS].values.tolist()
    [[7173, 7148, -25, -32, -19], [13.5, 13.6, 0.1, 0.1, 0.2]]
    >>> row["diff_lo"], row["diff_hi"] = [-24.4, 0.16], [-24.3, 0.17]  # naive: [-24, -24], [0.2, 0.2]
    >>> as_shown(row, 1)[STATS].values.tolist()
    [[7173, 7148, -25, -25, -24], [13.5, 13.6, 0.1, 0.1, 0.2]]
    """
    people = frame["unit"].isin(PEOPLE).to_numpy()
    out = frame.copy()
    shown = {}
    for column in STATS:
        v = frame[column].to_numpy(dtype=float)
        shown[column] = np.where(people, np.round(v), np.round(v, digits))
    base, revision, diff = (frame[c].to_numpy(dtype=float) for c in ("base_mean", "revision_mean", "diff_mean"))
    with np.errstate(invalid="ignore"):
        # the mean difference is the difference of the means unless a rate is undefined
        # in some replicates of one scenario only: then the paired mean, rounded
        same = np.isclose(revision - base, diff, rtol=1e-9, atol=1e-9)
        shown["diff_mean"] = np.where(people | same,
                                      np.round(shown["revision_mean"] - shown["base_mean"], digits),
                                      shown["diff_mean"])
    # the interval rounded to hold the shown difference (docs/guide.md)
    for whole in (True, False):
        rows = people == whole
        _, shown["diff_lo"][rows], shown["diff_hi"][rows] = shown_interval(
            shown["diff_mean"][rows], shown["diff_lo"][rows], shown["diff_hi"][rows],
            0 if whole else digits)
    for column, v in shown.items():
        out[column] = pd.Series([int(x) if whole and x == x else float(x) + 0.0  # no -0.0
                                 for x, whole in zip(v, people)], index=frame.index, dtype=object)
    return out


def year_labels(result) -> list:
    return [int(y) for y in result.years] + [TOTAL]


def impact(results: dict, base: str, outcomes: list[Outcome] | None = None) -> pd.DataFrame:
    """One row per revision, outcome and year (and a ``total`` row over the horizon)."""
    return _by_revision(_rows(results, base, outcomes, None), results)[IMPACT_COLUMNS]


def impact_by_group(results: dict, base: str, outcomes: list[Outcome] | None = None,
                    dimensions=DIMENSIONS) -> pd.DataFrame:
    """The same by county, unit type, specialty and grassroots status. Groups where the
    outcome is zero (or undefined) in every replicate of both scenarios are left out."""
    frames = [_rows(results, base, outcomes, d) for d in dimensions]
    return _by_revision(pd.concat(frames, ignore_index=True), results)[GROUP_COLUMNS]


def _by_revision(frame: pd.DataFrame, results: dict) -> pd.DataFrame:
    """Rows of one revision together, revisions in the order given (stable otherwise)."""
    order = frame["revision"].map({name: i for i, name in enumerate(results)}).to_numpy()
    return frame.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)


def _rows(results: dict, base: str, outcomes, dimension) -> pd.DataFrame:
    outcomes = headline() if outcomes is None else outcomes
    years = year_labels(results[base])
    frames = []
    for outcome in outcomes:
        b, groups = values(results[base], outcome, dimension)
        for name, result in results.items():
            if name == base:
                continue
            r, _ = values(result, outcome, dimension)
            keep = np.ones(len(groups), bool) if dimension is None else \
                _informative(b) | _informative(r)
            if not keep.any():
                continue
            stats = {k: v[:, keep].T.ravel() for k, v in paired(b, r).items()}  # group-major
            kept = [str(g) for g, k in zip(groups, keep) if k]
            frames.append(pd.DataFrame({
                "revision": name, "outcome": outcome.name, "unit": outcome.unit,
                "dimension": dimension, "group": np.repeat(kept, len(years)),
                "year": pd.Series(years * len(kept), dtype=object), **stats}))
    if not frames:
        return pd.DataFrame(columns=GROUP_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def _informative(v: np.ndarray) -> np.ndarray:
    """Per group: some replicate and year has a value that is defined and not zero."""
    return (np.nan_to_num(v, nan=0.0) != 0).any(axis=(0, 1))
