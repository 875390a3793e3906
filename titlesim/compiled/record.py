"""Compiled pass of step 9 (record): the year-end stock in one pass over the people.

The same as :func:`titlesim.steps.record_step` with :mod:`titlesim.rules.validity` and
:func:`titlesim.rules.posts.occupied` (the reference): headcount and people waiting for a
post per cell, passes that expire unused (counted, then cleared), and the posts and vacant
posts per unit-level cell.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from titlesim.kernels import at, rows
from titlesim.metrics import M
from titlesim.people import INTERMEDIATE
from titlesim.rules.validity import SCOPE_NONE

_HEADCOUNT, _WAITING, _EXPIRED = M["headcount"], M["waiting"], M["passes_expired_unused"]
_POSTS, _VACANT = M["posts"], M["posts_vacant"]


@njit(cache=True)
def _year_end(year, pair, level, post_level, unit, post_holder, pass_until, pass_scope,
              headcount, waiting, expired, taken, count_posts):
    """``headcount``, ``waiting``, ``expired``: the rows of the year's counts. The
    waiting count is added without a branch (a person waits about one time in nine,
    at random: a branch would be mispredicted as often)."""
    for j in range(pair.size):
        i = at(j)
        held = at(pair[i] * 4 + level[i])
        headcount[held] += 1
        waiting[held] += (level[i] > post_level[i]) & (level[i] >= INTERMEDIATE)
        if pass_until[i] == year:  # validity.expiring_unused
            expired[at(pair[i] * 4 + min(level[i] + 1, 3))] += 1
            pass_until[i] = 0
            pass_scope[i] = SCOPE_NONE
        if count_posts:
            taken[at(post_holder[at(unit[i])] * 4 + post_level[i])] += 1


@njit(cache=True)
def _posts(capacity, taken, unit_cells, counts):
    """Posts and vacant posts per unit-level cell (``capacity``, ``taken``: (unit, level)
    flattened)."""
    for k in range(capacity.size):
        counts[_POSTS, unit_cells[k]] += capacity[k]
        counts[_VACANT, unit_cells[k]] += max(capacity[k] - taken[k], 0)


def year_end(s, posts_taken: np.ndarray | None = None) -> None:
    """Counts the stock of the state ``s``, posts and vacancies included, and clears the
    expired passes. ``posts_taken``: the posts taken per (pool, unit, level), flat, as the
    hiring and mobility steps kept them this year (else counted here)."""
    p, setup = s.people, s.setup
    n_cells = len(setup.units) * 4
    if posts_taken is None:
        taken = np.zeros(n_cells, dtype=np.int64)
    else:  # the two pools' posts of a unit-level cell together
        taken = posts_taken[:n_cells] + posts_taken[n_cells:]
    _year_end(s.year, p.pair, p.level, p.post_level, p.unit, setup.post_holder, p.pass_until,
              p.pass_scope, *rows(s.counts.counts, _HEADCOUNT, _WAITING, _EXPIRED), taken,
              posts_taken is None)
    _posts(setup.posts_per_unit_level.ravel(), taken, setup.unit_cells, s.counts.counts)
