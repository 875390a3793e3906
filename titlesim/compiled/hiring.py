"""Step 7, hiring into posts, compiled: :func:`titlesim.steps.hiring_step` in one pass
over the people (posts taken and who waits) and a queue over those who wait.

The queue is :func:`titlesim.rules.posts.hire`'s: within each (pool, unit, level) the
first ``vacancies`` by queue key (:mod:`titlesim.rules.hiring_order`), ties broken by
the draw cut to the same ``tie_bits``, then by person order. It is filled in one pass
over the queue: each contested cell keeps only its first ``vacancies`` seen so far (a
heap of a few places), so nobody is sorted.
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


@njit(cache=True, inline="always")
def _after(key, tie, who, a, b):
    """Entry ``a`` of a room comes after entry ``b`` in the queue: a larger key, or the
    same key and a larger draw, or both the same and a later person."""
    if key[a] != key[b]:
        return key[a] > key[b]
    if tie[a] != tie[b]:
        return tie[a] > tie[b]
    return who[a] > who[b]


@njit(cache=True, inline="always")
def _swap(key, tie, who, a, b):
    key[a], key[b] = key[b], key[a]
    tie[a], tie[b] = tie[b], tie[a]
    who[a], who[b] = who[b], who[a]


@njit(cache=True)
def fill_posts(cell, key, ids, stream, free):
    """Who of the queue is hired (:func:`titlesim.rules.posts.hire`): ``cell`` the flat
    (pool, unit, level) of each entry, ``key`` its queue key, ``ids`` the person ids of
    the tie-break draw ``stream``, ``free`` the flat vacancies.

    Where a cell's queue is no longer than its vacancies, all are hired. A contested
    cell keeps a room of ``free`` places holding the first of its queue seen so far, as
    a heap whose top is the last of them: an entry that comes before the top replaces
    it. What is left in the rooms is what a stable sort of each queue puts first (the
    order: key, then draw, then person), without sorting anyone."""
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
    start = np.empty(free.size, dtype=np.int64)  # a contested cell's room; others unread
    rooms = 0
    for c in range(free.size):
        if queue[c] > free[c]:
            start[c], rooms = rooms, rooms + free[c]
            queue[c] = 0  # from now on: the places of its room taken
    room_key = np.empty(rooms + 1, dtype=np.float64)  # (the last place: an entry's own)
    room_tie = np.empty(rooms + 1, dtype=np.int64)
    room_who = np.empty(rooms + 1, dtype=np.int64)
    for i in range(n):
        c = cell[i]
        if hired[i] or free[c] == 0:
            continue
        lo, size, held = start[c], free[c], queue[c]
        room_key[rooms], room_tie[rooms] = key[i], np.int64(uniform(stream, ids[i]) * scale)
        room_who[rooms] = i
        if held < size:  # a free place: in at the bottom, up while after its parent
            at = held
            queue[c] = held + 1
        elif _after(room_key, room_tie, room_who, lo, rooms):
            at = 0  # before the last of the room: takes the top's place, then down
        else:
            continue
        room_key[lo + at], room_tie[lo + at], room_who[lo + at] = key[i], room_tie[rooms], i
        if held < size:
            while at > 0 and _after(room_key, room_tie, room_who, lo + at, lo + (at - 1) // 2):
                _swap(room_key, room_tie, room_who, lo + at, lo + (at - 1) // 2)
                at = (at - 1) // 2
        else:
            while 2 * at + 1 < size:
                child = 2 * at + 1
                if child + 1 < size and _after(room_key, room_tie, room_who, lo + child + 1, lo + child):
                    child += 1
                if not _after(room_key, room_tie, room_who, lo + child, lo + at):
                    break
                _swap(room_key, room_tie, room_who, lo + at, lo + child)
                at = child
    for r in range(rooms):
        hired[room_who[r]] = True
    return hired


@njit(cache=True)
def _hiring_pass(unit, post_holder, level, post_level, post_pool, directed, separate,
                 capacity, n_units, merit, waiting_since, ability, practice, ids, stream,
                 year, pair, hired_row, waited_row, taken):
    n = level.size
    count_all = taken.size == 0  # else the table kept from last year
    if count_all:
        taken = np.zeros(capacity.size, dtype=np.int64)
    waiting = np.empty(n, dtype=np.int64)  # only their heads are written
    cell = np.empty(n, dtype=np.int64)
    count = 0
    for i in range(n):  # posts taken, and who waits for which cell
        holder = post_holder[unit[i]]
        if count_all:
            taken[(post_pool[i] * n_units + holder) * 4 + post_level[i]] += 1
        waiting[count] = i  # written always, kept where waiting (no branch to mispredict)
        cell[count] = (np.int64(directed[i] & separate) * n_units + holder) * 4 + level[i]
        count += (level[i] > post_level[i]) & (level[i] >= INTERMEDIATE)
    free = np.maximum(capacity - taken, 0)
    m = 0
    for j in range(count):
        c = cell[j]
        waiting[m] = waiting[j]
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
    for i in hired:  # leaves the post held, takes the new one; counted
        taken[(post_pool[i] * n_units + post_holder[unit[i]]) * 4 + post_level[i]] -= 1
        post_level[i] = level[i]
        post_pool[i] = 1 if (directed[i] and separate) else 0
        taken[(post_pool[i] * n_units + post_holder[unit[i]]) * 4 + post_level[i]] += 1
        held = pair[i] * 4 + level[i]
        hired_row[held] += 1
        waited_row[held] += year - waiting_since[i]  # the years each waited, summed
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


def hiring_step(s) -> None:
    """:func:`titlesim.steps.hiring_step`, compiled (the same people hired, the same
    counts and records)."""
    p, setup, params = s.people, s.setup, s.setup.params
    order = params.posts.hiring_order
    hiring_order.queue_key(order, p.waiting_since[:0], p.ability[:0], p.practice[:0])  # checks it
    kept = s.posts_taken if s.posts_taken is not None else np.zeros(0, dtype=np.int64)
    hired, s.posts_taken = _hiring_pass(
        p.unit, setup.post_holder, p.level, p.post_level, s.post_pool, p.directed,
        params.posts.directed_quota == "separate", setup.capacity.reshape(-1), len(setup.units),
        order == "merit", p.waiting_since, p.ability, p.practice, p.id,
        s.draws.stream(s.year, Purpose.HIRING_ORDER), s.year, p.pair, s.counts.counts[M["hired"]],
        s.counts.counts[M["waiting_years"]], kept)
    s.events.hired_people = hired
    s.events.hired = hired_applicants(s.events.applicant, hired, s.events.result, ev.TITLED)


@njit(cache=True)
def _flows_posts(gone, arrival_units, unit, post_holder, post_level, post_pool, n_units, taken):
    for i in gone:
        taken[(post_pool[i] * n_units + post_holder[unit[i]]) * 4 + post_level[i]] -= 1
    for arrival_unit in arrival_units:  # a junior post of the ordinary quota
        for u in arrival_unit:
            taken[post_holder[u] * 4] += 1


def flows_posts(s, gone: np.ndarray, arrival_units: tuple) -> None:
    """The posts table the state keeps from year to year, if it keeps one
    (:attr:`titlesim.steps.state.State.posts_taken`), after the flows: the posts of the
    leavers ``gone`` (their places, before the arrivals take them) given up; the
    arrivals, in the units of ``arrival_units`` (arrays), holding junior posts."""
    if s.posts_taken is not None:
        p = s.people
        _flows_posts(gone, arrival_units, p.unit, s.setup.post_holder, p.post_level, s.post_pool,
                     len(s.setup.units), s.posts_taken)
