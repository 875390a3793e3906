"""Grassroots-directed titles (定向评价、定向使用), and what a move out of grassroots does
to one.

Notice 一(二): "按照省教育厅制定的基层中小学教师高级职称评价标准 ... 完善我市基层中小学教师
'定向评价、定向使用'职称制度". 一(三) has grassroots health its own senior standard ("制定新的
基层医疗卫生 ... 高级职称评价标准") but does not say 定向: that grassroots health senior titles are
directed too is an assumption of the baseline (docs/model.md, 定向评价). Directed
evaluation is the grassroots route to **senior** titles: a title granted by the grassroots
route is directed at the levels listed in ``criteria.grassroots.directed_levels``
(baseline: deputy and full senior); grassroots intermediate titles are general titles.

A directed title is valid in grassroots units only. A holder who moves out of grassroots
loses it (``mobility.directed_on_leaving: lose``): they return to the level held before,
with the years at that level restored -- the years they held it before the directed
title plus the years since (the earlier title was never taken away, so its years ran on).
Or the holder may not move out at all (``barred``, :mod:`titlesim.rules.mobility`).
Only the years at the level before are kept, not whether that level was itself directed:
a holder of a directed full-senior title whose deputy-senior title was directed too returns
to deputy senior as a general title (a simplification, docs/model.md, 定向评价).

Worked example: an intermediate doctor of 6 years in a township centre obtains a directed
deputy-senior title in 2022; in 2025 (3 years later) she moves to the county hospital:
she is intermediate again, with 6 + 3 = 9 years at that level, eligible for deputy senior
(5 years for a bachelor) under the general criteria.
"""
from __future__ import annotations

import numpy as np


def directed_level_table(directed_levels_by_route, levels) -> np.ndarray:
    """(route code, level 0..3) -> a title granted by that route at that level is directed;
    ``directed_levels_by_route`` lists each route's ``directed_levels``, in the order of
    :data:`titlesim.rules.route.ROUTES` (general, grassroots)."""
    return np.array([[name in directed for name in levels] for directed in directed_levels_by_route],
                    dtype=bool).reshape(-1, len(levels))


def is_directed(titled, route, target_level, directed_by_route_level: np.ndarray) -> np.ndarray:
    """Which new titles are directed: granted by a route at one of its directed levels.

    >>> table = directed_level_table([[], ["deputy_senior", "full_senior"]],
    ...                              ["junior", "intermediate", "deputy_senior", "full_senior"])
    >>> is_directed(np.array([True, True, True, False]), np.array([1, 1, 0, 1]),
    ...             np.array([1, 2, 2, 2]), table).tolist()
    [False, True, False, False]
    """
    return np.asarray(titled, dtype=bool) & directed_by_route_level[np.asarray(route), np.asarray(target_level)]


def loses(moving, grassroots_from, grassroots_to, directed) -> np.ndarray:
    """Directed holders leaving the grassroots route: they lose the directed title.

    >>> loses(np.array([True, True, True]), np.array([True, True, False]),
    ...       np.array([False, True, False]), np.array([True, True, True])).tolist()
    [True, False, False]
    """
    return moving & grassroots_from & ~grassroots_to & directed


def level_after_loss(level, years_at_level, years_before) -> tuple[np.ndarray, np.ndarray]:
    """``(level, years_at_level)`` of those who lose a directed title: the level before,
    with its years restored (years held before the directed title, plus the years since).

    >>> level_after_loss(np.array([2]), np.array([3]), np.array([6]))
    (array([1]), array([9]))
    """
    level = np.asarray(level)
    years = np.asarray(years_before).astype(np.int64) + np.asarray(years_at_level)
    return level - 1, years
