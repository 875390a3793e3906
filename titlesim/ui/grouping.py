"""A compiled pass that sums a year's counts into the what-if page's groups.

It does what :meth:`titlesim.ui.summary.CellGrouping.reduce_all`'s sparse product does
(the same sums of whole numbers, so the same values), in one pass over the counts,
written straight into the replicate's array of sums. Used where the engine's compiled
passes are (:func:`titlesim.sizes.kernels_for`): the pages' long-lived kernels.
"""
from __future__ import annotations

from numba import njit

from titlesim.compiled_cache import use_keyed_folder

use_keyed_folder()  # before the cached function below is defined


@njit(cache=True)
def add_into_groups(counts, groups, out):
    """``counts``: (row, cell); ``groups``: (cell, grouping) the group of each cell in
    each grouping, numbered across groupings; ``out``: (row, group) sums, added to. Most
    counts are zero (a cell is a unit type x county x specialty x level): they are skipped."""
    rows, cells = counts.shape
    for r in range(rows):
        for c in range(cells):
            v = counts[r, c]
            if v != 0:
                for g in range(groups.shape[1]):
                    out[r, groups[c, g]] += v
