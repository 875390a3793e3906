"""What the what-if panels need from a simulation, kept small enough to cache.

A replicate's full counts (year x metric x cell) weigh megabytes at city scale; the panels
only need each metric by county, grassroots status and level, and the pass lines. One
:class:`ReplicateSummary` holds that for one replicate; :class:`Summary` stacks them.
Every figure is still an additive count, so any total is a sum over axes.
"""
from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from functools import cached_property
from types import SimpleNamespace
from typing import Callable

import numpy as np
import pandas as pd
from scipy import sparse

from titlesim.compare.outcomes import values as outcome_values
from titlesim.metrics import METRICS, Cells
from titlesim.scenario.schema import LEVELS
from titlesim.sizes import kernels_for

# axes of Summary.values after (replicate, year, metric)
GROUP_AXES = ("county", "grassroots", "level")
# the equity view's other dimensions, each summed on its own: (year, metric, group)
EQUITY_AXES = ("unit_type", "specialty")
LINE_COLUMNS = ("year", "applied", "sat", "k", "line_score", "passed_ratio_only")


class CellGrouping:
    """Maps each cell of a simulation to its (county, grassroots, level) group."""

    def __init__(self, cells: Cells, counties: tuple[str, ...]):
        table = cells.table
        self.counties = counties
        self.shape = (len(counties), 2, 4)
        group = (table["county"].cat.codes.to_numpy().astype(np.int64) * 2
                 + table["grassroots"].to_numpy().astype(np.int64)) * 4 \
            + table["level"].cat.codes.to_numpy()
        self.membership = _membership(group, int(np.prod(self.shape)))
        self.equity_groups: dict[str, list[str]] = {}
        self.equity_membership = {}
        for axis in EQUITY_AXES:
            column = table[axis]
            self.equity_groups[axis] = [str(c) for c in column.cat.categories]
            self.equity_membership[axis] = _membership(column.cat.codes.to_numpy().astype(np.int64),
                                                       len(column.cat.categories))
        # every grouping at once, groups as rows: (sparse groups x cells) @ (cells x rows)
        # is one compiled pass over the nonzeros (a dense @ sparse product is ten times slower)
        self._all = sparse.vstack([self.membership.T, *(m.T for m in self.equity_membership.values())],
                                  format="csr")
        self._ends = np.cumsum([self.membership.shape[1],
                                *(m.shape[1] for m in self.equity_membership.values())])
        self.n_groups = int(self._ends[-1])
        # the same groups as codes, numbered across groupings, for the compiled pass: a
        # cell is pair * 4 + level, and the first grouping's group is its pair's + level
        codes = np.vstack([np.asarray(m.indices, dtype=np.int32) + start for m, start in
                           zip([self.membership, *self.equity_membership.values()],
                               [0, *self._ends[:-1]])]).T.reshape(-1, 4, len(self._ends))
        self._level_group = np.ascontiguousarray(codes[:, 0, 0])
        self._pair_groups = np.ascontiguousarray(codes[:, 0, 1:])
        assert (codes[:, :, 0] == self._level_group[:, None] + np.arange(4)).all() and \
            (codes[:, :, 1:] == self._pair_groups[:, None, :]).all()

    def add_year(self, counts: np.ndarray, out: np.ndarray) -> None:
        """Add one year's (metric, cell) counts into ``out``, its (metric, group) sums
        (every grouping's groups side by side: :meth:`split` tells them apart)."""
        if kernels_for(counts.size):
            from titlesim.ui.grouping import add_into_groups
            add_into_groups(counts, self._level_group, self._pair_groups, out)
        else:
            out += (self._all @ counts.T).T

    def split(self, sums: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """(year, metric, group) sums -> the (year, metric, county, grassroots, level) sums
        and, per equity axis, the (year, metric, group) sums."""
        years, metrics, _ = sums.shape
        parts = np.split(sums, self._ends[:-1], axis=2)
        values = np.ascontiguousarray(parts[0]).reshape(years, metrics, *self.shape)
        equity = {axis: np.ascontiguousarray(part)
                  for axis, part in zip(self.equity_membership, parts[1:])}
        return values, equity

    def reduce_all(self, counts: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """(year, metric, cell) counts -> the (year, metric, county, grassroots, level) sums
        and, per equity axis, the (year, metric, group) sums."""
        years, metrics, _ = counts.shape
        sums = np.zeros((years, metrics, self.n_groups))
        for y in range(years):
            self.add_year(np.ascontiguousarray(counts[y]), sums[y])
        return self.split(sums)

    def reduce(self, counts: np.ndarray) -> np.ndarray:
        """(year, metric, cell) counts -> (year, metric, county, grassroots, level) sums."""
        return self.reduce_all(counts)[0]

    def reduce_equity(self, counts: np.ndarray) -> dict[str, np.ndarray]:
        return self.reduce_all(counts)[1]


def _membership(group: np.ndarray, n_groups: int):
    """(cell, group) membership: summing cells into groups is one sparse product."""
    return sparse.csr_matrix((np.ones(len(group), dtype=np.int64), (np.arange(len(group)), group)),
                             shape=(len(group), n_groups))


@dataclass(frozen=True)
class ReplicateSummary:
    values: np.ndarray  # (year, metric, county, grassroots, level)
    lines: np.ndarray  # (row, LINE_COLUMNS)
    equity: dict = field(default_factory=dict)  # EQUITY_AXES -> (year, metric, group)

    @classmethod
    def of(cls, counts: np.ndarray, line_rows: list, grouping: CellGrouping) -> "ReplicateSummary":
        values, equity = grouping.reduce_all(counts)
        return cls(np.ascontiguousarray(values), _line_array(line_rows),
                   {axis: np.ascontiguousarray(v) for axis, v in equity.items()})

    @classmethod
    def simulated(cls, setup, replicate: int, grouping: CellGrouping,
                  on_year: Callable[[], None] | None = None) -> "ReplicateSummary":
        """Simulate replicate ``replicate`` of ``setup`` and summarise it year by year: each
        year's counts (one year's array, used again every year) are added into the year's
        group sums at the year's end (the same sums as :meth:`of` of the whole counts)."""
        from titlesim.engine import run_replicate
        sums = np.zeros((len(setup.years), len(METRICS), grouping.n_groups))
        _, rows = run_replicate(setup, replicate, on_year=on_year, out=_year_counts(setup.cells.n),
                                each_year=lambda y, counts: grouping.add_year(counts, sums[y]))
        values, equity = grouping.split(sums)
        return cls(values, _line_array(rows), equity)


def _line_array(line_rows: list) -> np.ndarray:
    # a line row is (replicate, year, *group values, applied, sat, k, line_score,
    # passed_ratio_only, passed_provincial): the group columns vary with group_by
    lines = np.array([(row[1], *row[-6:-1]) for row in line_rows], dtype=np.float64)
    return lines.reshape(-1, len(LINE_COLUMNS))


_counting = threading.local()  # one year's counts per thread, used again for every year


def _year_counts(cells: int) -> np.ndarray:
    counts = getattr(_counting, "counts", None)
    if counts is None or counts.shape[1] != cells:
        counts = _counting.counts = np.zeros((len(METRICS), cells), dtype=np.int32)
    return counts


@functools.lru_cache(maxsize=16)
def _group_cells(counties: tuple[str, ...]) -> SimpleNamespace:
    """The groups of :attr:`Summary.values` as cells (the comparison's outcome definitions
    filter them by county, grassroots and level): the same table for the same counties."""
    county, grassroots, level = np.meshgrid(np.arange(len(counties)), [False, True],
                                            np.arange(4), indexing="ij")
    return SimpleNamespace(table=pd.DataFrame({
        "county": np.array(counties, dtype=object)[county.ravel()],
        "grassroots": grassroots.ravel(),
        "level": np.array(LEVELS, dtype=object)[level.ravel()]}))


@dataclass(frozen=True)
class Summary:
    """Replicates 0..n-1 of one scenario, summarised."""

    years: np.ndarray
    counties: tuple[str, ...]
    provincial_standard: float
    replicates: tuple[ReplicateSummary, ...]
    equity_groups: dict = field(default_factory=dict, compare=False)  # axis -> group names
    _outcomes: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _equity_stacked: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def n(self) -> int:
        return len(self.replicates)

    @cached_property
    def values(self) -> np.ndarray:
        """(replicate, year, metric, county, grassroots, level)."""
        return np.stack([r.values for r in self.replicates])

    def by_year(self, outcome) -> np.ndarray:
        """(replicate, years + 1): a comparison outcome per year and its ``total`` over the
        horizon last (:func:`titlesim.compare.outcomes.values`), remembered per summary."""
        if outcome.name not in self._outcomes:
            self._outcomes[outcome.name] = outcome_values(self, outcome)[0][:, :, 0]
        return self._outcomes[outcome.name]

    def over_horizon(self, outcome) -> np.ndarray:
        """One figure per replicate: a comparison outcome's ``total`` over the horizon."""
        return self.by_year(outcome)[:, -1]

    @property
    def counts(self) -> np.ndarray:
        """(replicate, year, metric, group): the engine's Result.counts layout, with the
        groups of :attr:`cells` in place of cells, so the comparison's outcome definitions
        (:func:`titlesim.compare.outcomes.values`) apply to a summary unchanged."""
        return self.values.reshape(*self.values.shape[:3], -1)

    @property
    def cells(self) -> SimpleNamespace:
        return _group_cells(self.counties)

    def metric(self, name: str) -> np.ndarray:
        return self.values[:, :, METRICS.index(name)]

    def total(self, name: str) -> np.ndarray:
        """(replicate, year) totals of one metric."""
        return self.metric(name).sum(axis=(2, 3, 4))

    def by_county(self, name: str) -> np.ndarray:
        """(replicate, year, county)."""
        return self.metric(name).sum(axis=(3, 4))

    def by_equity(self, name: str, axis: str) -> np.ndarray:
        """(replicate, year, group) of one metric by unit type or specialty."""
        return self._equity(axis)[:, :, METRICS.index(name)]

    def _equity(self, axis: str) -> np.ndarray:
        """(replicate, year, metric, group) by unit type or specialty, stacked once."""
        if axis not in self._equity_stacked:
            self._equity_stacked[axis] = np.stack([r.equity[axis] for r in self.replicates])
        return self._equity_stacked[axis]

    def by_grassroots(self, name: str) -> np.ndarray:
        """(replicate, year, [other, grassroots])."""
        return self.metric(name).sum(axis=(2, 4))

    @cached_property
    def line_array(self) -> np.ndarray:
        """Pass-line rows of every replicate, LINE_COLUMNS as columns."""
        return np.concatenate([r.lines for r in self.replicates]) if self.replicates \
            else np.zeros((0, len(LINE_COLUMNS)))

    @cached_property
    def lines(self) -> pd.DataFrame:
        """Pass-line rows of every replicate: replicate and LINE_COLUMNS."""
        frames = [pd.DataFrame(r.lines, columns=list(LINE_COLUMNS)).assign(replicate=i)
                  for i, r in enumerate(self.replicates)]
        frame = pd.concat(frames, ignore_index=True) if frames else \
            pd.DataFrame(columns=["replicate", *LINE_COLUMNS])
        return frame[["replicate", *LINE_COLUMNS]]
