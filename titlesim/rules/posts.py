"""Hiring into posts under the post structure (岗位结构比例).

A title and a post are separate (评聘分开): a new title holder is hired into a post of
that level only where the unit has a vacancy, otherwise holds the title and waits, first
come first served (``arrival``) or best record first (``merit``). Directed titles use the
unit's ordinary quota, or a separate one (``directed_quota: separate``).
"""
from __future__ import annotations

import numpy as np

POST_LEVELS = (1, 2, 3)  # intermediate, deputy senior, full senior; junior posts are not capped


def post_capacity(establishment, unit_type, structure_table: np.ndarray) -> np.ndarray:
    """(unit, level 0..3) -> posts; ``structure_table[type, level]`` is a share of the
    establishment (level 0 is unused)."""
    shares = structure_table[unit_type]  # (units, 4)
    return np.floor(establishment[:, None] * shares + 0.5).astype(np.int64)


def occupied(unit, post_level, pool, n_units: int) -> np.ndarray:
    """(pool, unit, level) -> people holding such a post (level 0 counts juniors, whose
    posts are not capped)."""
    key = unit * 4 + post_level
    if pool is not None and pool.any():
        key = key + pool.astype(np.int32) * (n_units * 4)
    return np.bincount(key, minlength=2 * n_units * 4).reshape(2, n_units, 4)


def hire(waiting, unit, level, pool, queue_key, u_tiebreak, vacancies: np.ndarray) -> np.ndarray:
    """Who among the waiting is hired: within each (pool, unit, level), the first
    ``vacancies`` by queue key (smaller first), ties broken by ``u_tiebreak``."""
    n_units = vacancies.shape[1]
    idx = np.flatnonzero(waiting)
    cell = (pool[idx].astype(np.int64) * n_units + unit[idx]) * 4 + level[idx]
    free = vacancies.reshape(-1)
    queue = np.bincount(cell, minlength=free.size)
    hired = np.zeros(len(waiting), dtype=bool)
    uncontested = queue[cell] <= free[cell]  # everyone in the queue gets a post
    hired[idx[uncontested]] = True
    idx, cell = idx[~uncontested], cell[~uncontested]
    # one int64 sort key: cell, then queue position (equal keys share one, so that the
    # draw breaks ties, not the order of the arrays), then the tie-break draw
    position = np.unique(queue_key[idx], return_inverse=True)[1].reshape(-1)
    cell_bits, position_bits = int(free.size).bit_length(), max(int(len(idx)).bit_length(), 1)
    tie_bits = 63 - cell_bits - position_bits
    if tie_bits < 1:
        raise ValueError("too many units and candidates for one sort key")
    tiebreak = (u_tiebreak[idx] * (1 << tie_bits)).astype(np.int64)
    order = np.argsort((cell << (tie_bits + position_bits)) | (position << tie_bits) | tiebreak)
    sorted_cell = cell[order]
    rank = np.arange(len(order)) - np.searchsorted(sorted_cell, sorted_cell, side="left")
    hired[idx[order[rank < free[sorted_cell]]]] = True
    return hired


def fit_to_posts(unit, level, post_level, years_at_level, pool, capacity: np.ndarray) -> np.ndarray:
    """Starting state: where more people hold a level's posts than the unit has, the
    most recently titled wait in a post one level lower, from the top level down, so
    that no level's posts are overfilled (those pushed down keep the lower post first:
    they held it before their title; junior posts are not capped)."""
    n_units = capacity.shape[1]
    free = capacity.reshape(-1)
    new_post = post_level.copy()
    for post in POST_LEVELS[::-1]:
        idx = np.flatnonzero(new_post == post)
        cell = (pool[idx].astype(np.int64) * n_units + unit[idx]) * 4 + post
        order = np.lexsort((-years_at_level[idx].astype(np.int64), -level[idx].astype(np.int64), cell))
        sorted_cell = cell[order]
        rank = np.arange(len(order)) - np.searchsorted(sorted_cell, sorted_cell, side="left")
        new_post[idx[order[rank >= free[sorted_cell]]]] = post - 1
    return new_post
