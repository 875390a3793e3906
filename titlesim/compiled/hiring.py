"""Step 7, hiring into posts, compiled: :func:`titlesim.steps.hiring_step` in one pass
over the people (posts taken and who waits) and a queue over those who wait.

The queue is :func:`titlesim.rules.posts.hire`'s: within each (pool, unit, level) the
first ``vacancies`` by queue key (:mod:`titlesim.rules.hiring_order`), ties broken by
the draw cut to the same ``tie_bits``, then by person order. It is filled by a counting
pass (people grouped by cell) and a small sort within each contested cell, instead of
one sort of everyone who waits.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from titlesim import events as ev
from titlesim.kernels import person_uniform as uniform
from titlesim.metrics import M
from titlesim.people import INTERMEDIATE
from titlesim.randomness import Purpose
from titlesim.rules import hiring_order

_RUN = 16  # cells this small are sorted by insertion


@njit(cache=True)
def _bit_length(n):
    bits = 0
    while n > 0:
        bits += 1
        n >>= 1
    return bits


@njit(cache=True)
def queue_key(merit, waiting_since, ability, practice):
    """:func:`titlesim.rules.hiring_order.queue_key` of one person (smaller first)."""
    if merit:
        return -(np.float64(ability) + np.float64(practice))
    return np.float64(waiting_since)


@njit(cache=True)
def _sort(key, tie, who, lo, hi):
    """Sort the queue entries ``lo:hi`` (their keys, draws and people side by side, the
    people ascending) by key, then draw, then person: insertion sort for the few entries
    of most cells, two stable sorts for a long queue."""
    if hi - lo <= _RUN:
        for i in range(lo + 1, hi):
            k, t, w = key[i], tie[i], who[i]
            j = i - 1
            while j >= lo and (k < key[j] or (k == key[j] and t < tie[j])):
                key[j + 1], tie[j + 1], who[j + 1] = key[j], tie[j], who[j]
                j -= 1
            key[j + 1], tie[j + 1], who[j + 1] = k, t, w
        return
    by_tie = np.argsort(tie[lo:hi], kind="mergesort")  # stable: people stay ascending
    order = by_tie[np.argsort(key[lo:hi][by_tie], kind="mergesort")]
    key[lo:hi], tie[lo:hi], who[lo:hi] = key[lo:hi][order], tie[lo:hi][order], who[lo:hi][order]


@njit(cache=True)
def fill_posts(cell, key, ids, stream, free):
    """Who of the queue is hired (:func:`titlesim.rules.posts.hire`): ``cell`` the flat
    (pool, unit, level) of each entry, ``key`` its queue key, ``ids`` the person ids of
    the tie-break draw ``stream``, ``free`` the flat vacancies."""
    n = cell.size
    hired = np.zeros(n, dtype=np.bool_)
    queue = np.zeros(free.size, dtype=np.int32)
    for i in range(n):
        queue[cell[i]] += 1
    contested = 0
    for i in range(n):
        if queue[cell[i]] <= free[cell[i]]:
            hired[i] = True  # everyone in the queue gets a post
        else:
            contested += 1
    if contested == 0:
        return hired
    tie_bits = 63 - _bit_length(free.size) - max(_bit_length(contested), 1)
    if tie_bits < 1:
        raise ValueError("too many units and candidates for one sort key")
    scale = np.float64(np.int64(1) << tie_bits)
    # counting pass: the contested entries grouped by cell (queue[c] becomes its start)
    at = 0
    for c in range(free.size):
        if queue[c] > free[c]:
            at, queue[c] = at + queue[c], at
    by_key = np.empty(contested, dtype=np.float64)
    by_tie = np.empty(contested, dtype=np.int64)
    who = np.empty(contested, dtype=np.int64)
    for i in range(n):
        if not hired[i]:
            j = queue[cell[i]]
            queue[cell[i]] += 1
            by_key[j], by_tie[j], who[j] = key[i], np.int64(uniform(stream, ids[i]) * scale), i
    lo = 0
    while lo < contested:  # cell by cell, in cell order
        c = cell[who[lo]]
        hi = queue[c]  # the end of the cell's entries after the counting pass
        if free[c] == 1:  # the first in the queue only
            best = lo
            for j in range(lo + 1, hi):
                if by_key[j] < by_key[best] or (by_key[j] == by_key[best] and by_tie[j] < by_tie[best]):
                    best = j  # (equal key and draw: the earlier person, already first)
            hired[who[best]] = True
        elif free[c] > 1:
            _sort(by_key, by_tie, who, lo, hi)
            for j in range(lo, lo + free[c]):
                hired[who[j]] = True
        lo = hi
    return hired


@njit(cache=True)
def _hiring_pass(unit, post_holder, level, post_level, post_pool, directed, separate,
                 capacity, n_units, merit, waiting_since, ability, practice, ids, stream):
    n = level.size
    taken = np.zeros(capacity.size, dtype=np.int64)
    waiting = np.empty(n, dtype=np.int64)  # only its head is written
    count = 0
    for i in range(n):
        taken[(post_pool[i] * n_units + post_holder[unit[i]]) * 4 + post_level[i]] += 1
    for i in range(n):  # written always, kept where waiting (no branch to mispredict)
        waiting[count] = i
        count += (level[i] > post_level[i]) & (level[i] >= INTERMEDIATE)
    free = np.maximum(capacity - taken, 0)
    cell = np.empty(count, dtype=np.int64)
    m = 0
    for j in range(count):
        i = waiting[j]
        pool = np.int64(directed[i] & separate)
        c = (pool * n_units + post_holder[unit[i]]) * 4 + level[i]
        waiting[m] = i
        cell[m] = c
        m += free[c] > 0  # only where a post is free
    waiting, cell = waiting[:m], cell[:m]
    key = np.empty(m, dtype=np.float64)
    w_ids = np.empty(m, dtype=np.int64)
    for j in range(m):
        i = waiting[j]
        key[j] = queue_key(merit, waiting_since[i], ability[i], practice[i])
        w_ids[j] = ids[i]
    chosen = fill_posts(cell, key, w_ids, stream, free)
    hired = waiting[chosen]
    for i in hired:  # leaves the post held, takes the new one
        taken[(post_pool[i] * n_units + post_holder[unit[i]]) * 4 + post_level[i]] -= 1
        post_level[i] = level[i]
        post_pool[i] = 1 if (directed[i] and separate) else 0
        taken[(post_pool[i] * n_units + post_holder[unit[i]]) * 4 + post_level[i]] += 1
    return hired, taken


@njit(cache=True)
def hired_applicants(applicant, hired, result, titled):
    """``isin(applicant, hired) & (result == titled)``, both index arrays ascending."""
    out = np.zeros(applicant.size, dtype=np.bool_)
    j = 0
    for i in range(applicant.size):
        while j < hired.size and hired[j] < applicant[i]:
            j += 1
        out[i] = j < hired.size and hired[j] == applicant[i] and result[i] == titled
    return out


@njit(cache=True)
def _count_hired(year, hired, pair, level, waiting_since, hired_row, waited_row):
    """The counts ``hired`` and ``waiting_years`` (the years each waited, summed)."""
    for i in hired:
        cell = pair[i] * 4 + level[i]
        hired_row[cell] += 1
        waited_row[cell] += year - waiting_since[i]


def hiring_step(s) -> None:
    """:func:`titlesim.steps.hiring_step`, compiled (the same people hired, the same
    counts and records)."""
    p, setup, params = s.people, s.setup, s.setup.params
    order = params.posts.hiring_order
    hiring_order.queue_key(order, p.waiting_since[:0], p.ability[:0], p.practice[:0])  # checks it
    hired, s.posts_taken = _hiring_pass(
        p.unit, setup.post_holder, p.level, p.post_level, s.post_pool, p.directed,
        params.posts.directed_quota == "separate", setup.capacity.reshape(-1), len(setup.units),
        order == "merit", p.waiting_since, p.ability, p.practice, p.id,
        s.draws.stream(s.year, Purpose.HIRING_ORDER))
    rows = s.counts.counts
    _count_hired(s.year, hired, p.pair, p.level, p.waiting_since, rows[M["hired"]],
                 rows[M["waiting_years"]])
    s.events.hired_people = hired
    s.events.hired = hired_applicants(s.events.applicant, hired, s.events.result, ev.TITLED)
