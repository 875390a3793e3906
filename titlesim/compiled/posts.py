"""Where a post is counted in the posts table the compiled passes keep: one small helper
shared by the ageing, hiring and mobility passes, so the table's layout is written once.

The table is :func:`titlesim.rules.posts.occupied`'s, flat: (pool, post-holding unit,
level), pool 1 being the directed titles' own quota where they have one (docs/model.md).
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, inline="always")
def post_cell(pool, holder, level, n_units):
    """The flat place of a post of ``level`` in the ``pool`` of the post-holding unit
    ``holder``, of ``n_units`` units."""
    return (np.int64(pool) * n_units + holder) * 4 + level


@njit(cache=True, inline="always")
def held_post(i, post_pool, post_holder, unit, post_level, n_units):
    """:func:`post_cell` of the post person ``i`` holds now."""
    return post_cell(post_pool[i], post_holder[unit[i]], post_level[i], n_units)
