"""Hiring into posts under the post structure (岗位结构比例).

A title and a post are separate (评聘分开): a new title holder is hired into a post of
that level only where the unit has a vacancy, otherwise holds the title and waits, in the
order of :mod:`titlesim.rules.hiring_order`. Directed titles use the unit's ordinary
quota, or a separate one (``directed_quota: separate``). Posts come from the structure as
a bureau allocates them: the city's total per unit type and level, so that a small unit's
share is not rounded away, placed on the counties and then on their units by largest
remainder (``allocation: largest_remainder``), or pooled per county for the unit types
listed in ``pooled_unit_types`` (``county_pool``).
"""
from __future__ import annotations

import numpy as np

POST_LEVELS = (1, 2, 3)  # intermediate, deputy senior, full senior; junior posts are not capped


def post_capacity(establishment, unit_type, county, structure_table: np.ndarray,
                  pooled: np.ndarray | None = None) -> np.ndarray:
    """(unit, level 0..3) -> posts, as a bureau allocates them.

    Per unit type and level, the city's posts are the share of the units' whole
    establishment, rounded half up (``floor(total + 0.5)``): the city's total is within
    half a post of ``share x establishment``, so small units' shares are not rounded away,
    however thinly they are spread over the counties. The total is placed on the counties
    by largest remainder (each county within one post of its share), then on each
    county's units by largest remainder (ties: the county, the unit listed first). Where
    ``pooled[unit]`` (``allocation: county_pool``), the county's posts of that unit type
    are one pool held by the first such unit (see :func:`post_holders`).
    ``structure_table[type, level]`` is a share of the establishment (level 0 is unused).

    Worked example: ten township centres of 22 staff in one county, full-senior share
    0.01: each unit's 0.22 rounds to 0, but the 2.2 posts round to 2, placed on the first
    two centres (equal remainders).

    >>> post_capacity(np.full(10, 22), np.zeros(10, int), np.zeros(10, int),
    ...               np.array([[0, 0.30, 0.07, 0.01]]))[:, 3].tolist()
    [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]

    Three college clinics of 20 staff, one in each of three counties, full-senior share
    0.02: each county's 0.4 would round to 0, the city's 1.2 rounds to 1, placed on the
    first county's clinic.

    >>> post_capacity(np.full(3, 20), np.zeros(3, int), np.arange(3),
    ...               np.array([[0, 0, 0, 0.02]]))[:, 3].tolist()
    [1, 0, 0]
    """
    establishment = np.asarray(establishment, dtype=np.float64)
    unit_type = np.asarray(unit_type, dtype=np.int64)
    exact = establishment[:, None] * structure_table[unit_type]  # (units, 4)
    group = _county_type_group(county, unit_type)
    n_groups = int(group.max(initial=-1)) + 1
    group_type = np.zeros(n_groups, dtype=np.int64)
    group_type[group] = unit_type
    n_types = int(unit_type.max(initial=-1)) + 1
    capacity = np.zeros(exact.shape, dtype=np.int64)
    for level in POST_LEVELS:  # over three levels, not units
        group_exact = np.bincount(group, weights=exact[:, level], minlength=n_groups)
        city_total = np.floor(np.bincount(group_type, weights=group_exact, minlength=n_types)
                              + 0.5 + 1e-9).astype(np.int64)
        group_total = _largest_remainder_by_group(group_exact, group_type, city_total)
        capacity[:, level] = _largest_remainder_by_group(exact[:, level], group, group_total)
    if pooled is not None and np.any(pooled):
        holder = post_holders(county, unit_type, pooled)
        pooled_capacity = np.zeros_like(capacity)
        np.add.at(pooled_capacity, holder, capacity)
        capacity = pooled_capacity
    return capacity


def post_holders(county, unit_type, pooled) -> np.ndarray:
    """The unit whose posts each unit uses: itself, or for a pooled unit
    (``allocation: county_pool``) the first unit of its type in its county.

    >>> post_holders(np.array([0, 0, 1, 0]), np.array([0, 0, 0, 1]),
    ...              np.array([True, True, True, False])).tolist()
    [0, 0, 2, 3]
    """
    group = _county_type_group(county, unit_type)
    first = np.full(int(group.max(initial=-1)) + 1, -1, dtype=np.int64)
    index = np.arange(len(group))
    first[group[::-1]] = index[::-1]  # the last write wins: the first unit of each group
    return np.where(np.asarray(pooled, dtype=bool), first[group], index).astype(np.int64)


def levels_without_posts(capacity: np.ndarray, unit_type, structure_table: np.ndarray,
                         held: np.ndarray | None = None):
    """(unit type, level) pairs with no post anywhere although the level has a positive
    share, or although staff of that type hold it (``held[type, level]``, people): everyone
    titled there waits for ever (the scenario is told, see :mod:`titlesim.setup`).

    >>> levels_without_posts(np.array([[0, 3, 0, 0]]), np.array([0]),
    ...                      np.array([[0, 0.3, 0.01, 0.0]]))
    [(0, 2)]
    >>> levels_without_posts(np.array([[0, 3, 0, 0]]), np.array([0]),
    ...                      np.array([[0, 0.3, 0.01, 0.0]]), held=np.array([[5, 3, 0, 2]]))
    [(0, 2), (0, 3)]
    """
    n_types = structure_table.shape[0]
    totals = np.zeros((n_types, 4), dtype=np.int64)
    np.add.at(totals, np.asarray(unit_type), capacity)
    present = np.bincount(np.asarray(unit_type), minlength=n_types) > 0
    wanted = structure_table > 0
    if held is not None:
        wanted = wanted | (np.asarray(held) > 0)
    empty = wanted & (totals == 0) & present[:, None]
    empty[:, 0] = False
    return [(int(t), int(lv)) for t, lv in zip(*np.nonzero(empty))]


def _county_type_group(county, unit_type) -> np.ndarray:
    key = np.asarray(county, dtype=np.int64) * (int(np.max(unit_type, initial=0)) + 1) + unit_type
    return np.unique(key, return_inverse=True)[1].reshape(-1)


def _largest_remainder_by_group(exact: np.ndarray, group: np.ndarray,
                                total: np.ndarray) -> np.ndarray:
    """Whole numbers per unit adding up to ``total[group]``: floors, then one more for
    the largest remainders of each group (ties: the unit listed first)."""
    base = np.floor(exact + 1e-9).astype(np.int64)
    extra = total - np.bincount(group, weights=base, minlength=len(total)).astype(np.int64)
    order = np.lexsort((np.arange(len(exact)), -(exact - base), group))
    sorted_group = group[order]
    rank = np.arange(len(order)) - np.searchsorted(sorted_group, sorted_group, side="left")
    base[order[rank < extra[sorted_group]]] += 1
    return base


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
    # draw breaks ties, not the order of the arrays), then the tie-break draw (cut to
    # tie_bits; in the rare case two are equal, the earlier person first: a stable sort)
    position = np.unique(queue_key[idx], return_inverse=True)[1].reshape(-1)
    cell_bits, position_bits = int(free.size).bit_length(), max(int(len(idx)).bit_length(), 1)
    tie_bits = 63 - cell_bits - position_bits
    if tie_bits < 1:
        raise ValueError("too many units and candidates for one sort key")
    tiebreak = (u_tiebreak[idx] * (1 << tie_bits)).astype(np.int64)
    order = np.argsort((cell << (tie_bits + position_bits)) | (position << tie_bits) | tiebreak,
                       kind="stable")
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
