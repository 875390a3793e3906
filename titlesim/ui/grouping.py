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
def add_into_groups(counts, level_group, pair_groups, out):
    """``counts``: (row, cell), cell = pair * 4 + level (:class:`titlesim.metrics.Cells`);
    ``level_group``: per pair, its group by level for level 0 (level ``l``'s is ``+ l``);
    ``pair_groups``: (pair, grouping) the pair's group in each grouping that has no level;
    groups numbered across groupings; ``out``: (row, group) sums, added to. A pair's four
    cells are read together and skipped when all are zero (most are: a pair is a unit type
    x county x specialty), so the skip is decided once a pair, not once a cell."""
    rows = counts.shape[0]
    for r in range(rows):
        for p in range(level_group.size):
            c = 4 * p
            a, b, e, f = counts[r, c], counts[r, c + 1], counts[r, c + 2], counts[r, c + 3]
            if (a | b | e | f) != 0:
                g = level_group[p]
                out[r, g] += a
                out[r, g + 1] += b
                out[r, g + 2] += e
                out[r, g + 3] += f
                total = a + b + e + f
                for k in range(pair_groups.shape[1]):
                    out[r, pair_groups[p, k]] += total
