"""Vectorised choices from per-group discrete distributions, driven by given uniforms."""
from __future__ import annotations

import numpy as np


class CategoricalTable:
    """Discrete distributions, one per group, sampled without a per-person loop.

    Group ``g``'s cumulative shares are stored as ``g + cumsum`` so that one sorted array
    serves every group: ``searchsorted(keys, g + u)`` lands inside group ``g``.

    >>> t = CategoricalTable([[0.5, 0.5], [0.0, 1.0]])
    >>> t.choose(np.array([0.2, 0.7, 0.1]), np.array([0, 0, 1])).tolist()
    [0, 1, 1]
    """

    def __init__(self, weights_per_group):
        keys, offsets, sizes = [], [], []
        start = 0
        for g, weights in enumerate(weights_per_group):
            w = np.asarray(weights, dtype=np.float64)
            total = w.sum()
            offsets.append(start)
            sizes.append(len(w))
            if len(w) == 0 or total <= 0:
                cum = np.full(len(w), np.inf)
            else:
                cum = np.cumsum(w) / total
                cum[-1] = 1.0
                cum[w == 0] = np.nan  # filled below so that zero weights are never chosen
                cum = _forward_fill(cum)
            keys.append(g + cum)
            start += len(w)
        self.keys = np.concatenate(keys) if keys else np.zeros(0)
        self.offsets = np.asarray(offsets, dtype=np.int64)
        self.sizes = np.asarray(sizes, dtype=np.int64)

    def choose(self, u: np.ndarray, group: np.ndarray) -> np.ndarray:
        """Index within its group's list for each (uniform, group) pair."""
        group = np.asarray(group, dtype=np.int64)
        index = np.searchsorted(self.keys, group + u, side="right")
        local = index - self.offsets[group]
        return np.minimum(local, self.sizes[group] - 1)


def _forward_fill(cum: np.ndarray) -> np.ndarray:
    """Zero-weight entries take the previous cumulative value (never chosen)."""
    known = np.where(np.isnan(cum), -1, np.arange(len(cum)))
    last = np.maximum.accumulate(known)  # the last entry not NaN up to each
    return np.where(last >= 0, cum[np.maximum(last, 0)], 0.0)


def largest_remainder(total: int, weights) -> np.ndarray:
    """Split an integer ``total`` in proportion to ``weights`` (Hamilton's method)."""
    w = np.asarray(weights, dtype=np.float64)
    whole = w.sum()
    if total <= 0 or whole <= 0:
        return np.zeros(len(w), dtype=np.int64)
    exact = total * w / whole
    base = np.floor(exact).astype(np.int64)
    rest = total - base.sum()
    order = np.argsort(-(exact - base), kind="stable")  # largest remainder first, ties in order
    base[order[:rest]] += 1
    return base
