"""A compiled pass that sums a replicate's counts into the what-if page's groups.

It does what :meth:`titlesim.ui.summary.CellGrouping.reduce_all`'s sparse product does
(the same sums of whole numbers, so the same values), in one pass over the counts: about
a fifth of the time at city scale. Used where the engine's compiled passes are
(:func:`titlesim.sizes.kernels_for`): the pages' long-lived kernels.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from titlesim.compiled_cache import use_keyed_folder

use_keyed_folder()  # before the cached function below is defined


@njit(cache=True)
def sum_into_groups(counts, groups, n_groups):
    """``counts``: (row, cell); ``groups``: (grouping, cell) the group of each cell in each
    grouping, numbered across groupings. Returns (group, row) sums as float64."""
    rows, cells = counts.shape
    out = np.zeros((n_groups, rows), dtype=np.float64)
    for r in range(rows):
        for c in range(cells):
            v = counts[r, c]
            if v != 0:
                for g in range(groups.shape[0]):
                    out[groups[g, c], r] += v
    return out
