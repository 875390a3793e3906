"""The output vocabulary: additive counts per cell, and the cells themselves.

A cell is one combination of the group columns (series, level, county, unit type,
specialty, grassroots). Unit-level figures (posts, vacancies) have an empty specialty.
Counts are kept as a dense array per year (metric x cell) and turned into the
long form (one row per replicate, year, group and metric, zero rows left out) at the end.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from titlesim.people import Codebook, Units
from titlesim.sizes import kernels_for

METRICS = (
    "headcount", "entrants", "exits_retired", "exits_other", "transfers_in", "recognised",
    "eligible", "applied", "sat_exam", "passed_provincial", "passed_ratio_only",
    "valid_passes_held", "passes_expired_unused", "evaluated", "titled", "titled_directed",
    "hired", "waiting", "waiting_years", "posts", "posts_vacant", "directed_lost_by_move",
    "moved",
)
M = {name: i for i, name in enumerate(METRICS)}
GROUP_COLUMNS = ("series", "level", "county", "unit_type", "specialty", "grassroots")
UNIT_LEVEL = ""  # the specialty of unit-level cells


class Cells:
    """Cell numbering: cell = pair * 4 + level, pair = (unit group, specialty)."""

    def __init__(self, codes: Codebook, units: Units):
        n_types = len(codes.unit_types)
        group_key = units.county.astype(np.int64) * n_types + units.unit_type
        keys, self.unit_group = np.unique(group_key, return_inverse=True)
        n_spec = len(codes.specialties)
        self.pair_of = np.full((len(keys), n_spec + 1), -1, dtype=np.int64)
        rows = []
        first_unit = np.searchsorted(np.sort(group_key), keys)
        order = np.argsort(group_key, kind="stable")
        for g, key in enumerate(keys):
            unit = order[first_unit[g]]
            series = units.series[unit]
            for spec in [*np.flatnonzero(codes.specialty_series == series), n_spec]:
                self.pair_of[g, spec] = len(rows)
                rows.append((int(key // n_types), int(key % n_types), int(series),
                             int(spec), bool(units.grassroots[unit])))
        self.n_pairs = len(rows)
        self.n = self.n_pairs * 4
        self.unit_pair = self.pair_of[self.unit_group, n_spec]  # unit-level pair of each unit
        pairs = np.array(rows, dtype=np.int64).reshape(-1, 5)
        spec_names = list(codes.specialties) + [UNIT_LEVEL]
        level = np.tile(np.arange(4), self.n_pairs)
        pair = np.repeat(np.arange(self.n_pairs), 4)
        self.table = pd.DataFrame({
            "series": pd.Categorical.from_codes(pairs[pair, 2], codes.series),
            "level": pd.Categorical.from_codes(level, codes.levels),
            "county": pd.Categorical.from_codes(pairs[pair, 0], codes.counties),
            "unit_type": pd.Categorical.from_codes(pairs[pair, 1], codes.unit_types),
            "specialty": pd.Categorical.from_codes(pairs[pair, 3], spec_names),
            "grassroots": pairs[pair, 4].astype(bool),
        })

    def person_pair(self, unit: np.ndarray, specialty: np.ndarray) -> np.ndarray:
        return self.pair_of[self.unit_group[unit], specialty]


class YearCounts:
    """Counts of one replicate-year: (metric, cell)."""

    def __init__(self, n_cells: int, counts: np.ndarray | None = None):
        """``counts``: zeros (metric, cell) to count into (a year of a larger array)."""
        self.n_cells = n_cells
        self.counts = np.zeros((len(METRICS), n_cells), dtype=np.int32) if counts is None else counts

    def add(self, metric: str, cell: np.ndarray, mask: np.ndarray | None = None,
            weights: np.ndarray | None = None) -> None:
        if weights is None and kernels_for(len(cell)):  # count in place, no subset taken
            from titlesim import kernels
            kernels.count(self.counts[M[metric]], cell, mask)
            return
        if mask is not None:
            cell = cell[mask]
            weights = None if weights is None else weights[mask]
        self.counts[M[metric]] += np.bincount(cell, weights=weights, minlength=self.n_cells
                                              ).astype(np.int32)


def long_form(counts: np.ndarray, cells: Cells, years: np.ndarray,
              replicates: np.ndarray) -> pd.DataFrame:
    """(replicate, year, metric, cell) counts -> the long table of docs/model.md (输出 / Outputs), zeros left out."""
    r, y, m, c = np.nonzero(counts)
    frame = cells.table.iloc[c].reset_index(drop=True)
    frame.insert(0, "year", years[y])
    frame.insert(0, "replicate", replicates[r])
    frame["metric"] = pd.Categorical.from_codes(m, METRICS)
    frame["value"] = counts[r, y, m, c]
    return frame
