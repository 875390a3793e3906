"""Step 7, hiring into posts, compiled: :func:`titlesim.steps.hiring_step` in one pass
over the people (who waits), one over those who wait (where a post is free: the queue)
and the queue. The posts taken are counted the first year, then kept
(:attr:`titlesim.steps.state.State.posts_taken`).

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
from titlesim.compiled.posts import held_post, post_cell
from titlesim.kernels import AHEAD, at, prefetch
from titlesim.kernels import person_uniform as uniform
from titlesim.metrics import M
from titlesim.people import INTERMEDIATE
from titlesim.randomness import Purpose
from titlesim.rules import hiring_order
from titlesim.rules.posts import occupied



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
    the tie-break draw ``stream``, ``free`` the flat vacancies."""
    return fill_queue(cell, free[cell], key, ids, stream, free.size)


@njit(cache=True)
def fill_queue(cell, free, key, ids, stream, n_cells):
    """:func:`fill_posts` with ``free`` the vacancies of each entry's cell, of ``n_cells``
    cells: work over the entries only, not the cells.

    Where a cell's queue is no longer than its vacancies, all are hired. A contested
    cell keeps a room of ``free`` places holding the first of its queue seen so far, as
    a heap whose top is the last of them: an entry that comes before the top replaces
    it. What is left in the rooms is what a stable sort of each queue puts first (the
    order: key, then draw, then person), without sorting anyone."""
    n = cell.size
    hired = np.zeros(n, dtype=np.bool_)
    queue = np.zeros(n_cells, dtype=np.int32)  # the entries of a cell; for a contested
    for i in range(n):                         # one, then -1 - the places of its room taken
        queue[cell[i]] += 1
    start = np.empty(n_cells, dtype=np.int64)  # a contested cell's room; others unread
    contested = rooms = 0
    for i in range(n):
        c = cell[i]
        if queue[c] > free[i]:  # the cell's first contested entry: its room
            start[c], rooms = rooms, rooms + free[i]
            queue[c] = -1
        if queue[c] < 0:
            contested += 1
        else:
            hired[i] = True  # everyone in the queue gets a post
    if contested == 0:
        return hired
    tie_bits = 63 - _bit_length(n_cells) - max(_bit_length(contested), 1)
    if tie_bits < 1:
        raise ValueError("too many units and candidates for one sort key")
    scale = np.float64(np.int64(1) << tie_bits)
    room_key = np.empty(rooms + 1, dtype=np.float64)  # (the last place: an entry's own)
    room_tie = np.empty(rooms + 1, dtype=np.int64)
    room_who = np.empty(rooms + 1, dtype=np.int64)
    for i in range(n):
        c = cell[i]
        if hired[i] or free[i] == 0:
            continue
        lo, size, held = start[c], free[i], -1 - queue[c]
        room_key[rooms], room_tie[rooms] = key[i], np.int64(uniform(stream, ids[i]) * scale)
        room_who[rooms] = i
        if held < size:  # a free place: in at the bottom, up while after its parent
            place = held
            queue[c] -= 1
        elif _after(room_key, room_tie, room_who, lo, rooms):
            place = 0  # before the last of the room: takes the top's place, then down
        else:
            continue
        room_key[lo + place], room_tie[lo + place], room_who[lo + place] = key[i], room_tie[rooms], i
        if held < size:
            while place > 0 and _after(room_key, room_tie, room_who, lo + place, lo + (place - 1) // 2):
                _swap(room_key, room_tie, room_who, lo + place, lo + (place - 1) // 2)
                place = (place - 1) // 2
        else:
            while 2 * place + 1 < size:
                child = 2 * place + 1
                if child + 1 < size and _after(room_key, room_tie, room_who, lo + child + 1, lo + child):
                    child += 1
                if not _after(room_key, room_tie, room_who, lo + child, lo + place):
                    break
                _swap(room_key, room_tie, room_who, lo + place, lo + child)
                place = child
    for r in range(rooms):
        hired[room_who[r]] = True
    return hired


@njit(cache=True)
def count_taken(unit, post_holder, post_level, post_pool, n_units):
    """Posts taken per (pool, unit, level), flat: :func:`titlesim.rules.posts.occupied`."""
    taken = np.zeros(2 * n_units * 4, dtype=np.int64)
    for i in range(unit.size):
        taken[held_post(i, post_pool, post_holder, unit, post_level, n_units)] += 1
    return taken


@njit(cache=True)
def _waiting(level, post_level):
    """Who holds a title above their post (intermediate or higher), ascending."""
    n = level.size
    waiting = np.empty(n, dtype=np.int32)  # only its head is written
    count = 0
    for j in range(n):
        i = at(j)
        waiting[count] = j  # written always, kept where waiting (no branch to mispredict)
        count += (level[i] > post_level[i]) & (level[i] >= INTERMEDIATE)
    return waiting[:count]


@njit(cache=True)
def _hiring_pass(unit, post_holder, level, post_level, post_pool, directed, separate,
                 capacity, n_units, merit, waiting_since, ability, practice, ids, stream,
                 year, pair, hired_row, waited_row, taken, applicant, result, titled):
    if taken.size == 0:  # else the table kept from last year
        taken = count_taken(unit, post_holder, post_level, post_pool, n_units)
    vacant = np.empty(capacity.size, dtype=np.int32)  # free posts of each cell now
    for c in range(capacity.size):
        vacant[c] = max(capacity[c] - taken[c], 0)
    waiting = _waiting(level, post_level)
    m = waiting.size
    who = np.empty(m, dtype=np.int64)  # those waiting where a post is free: the queue
    cell = np.empty(m, dtype=np.int64)
    free = np.empty(m, dtype=np.int64)
    key = np.empty(m, dtype=np.float64)
    w_ids = np.empty(m, dtype=np.int64)
    q = 0
    for j in range(m):
        i = at(waiting[j])
        c = post_cell(directed[i] & separate, post_holder[at(unit[i])], level[i], n_units)
        who[q], cell[q], free[q] = waiting[j], c, vacant[at(c)]
        key[q], w_ids[q] = queue_key(merit, waiting_since[i], ability[i], practice[i]), ids[i]
        q += free[q] > 0  # only where a post is free
    chosen = fill_queue(cell[:q], free[:q], key[:q], w_ids[:q], stream, capacity.size)
    hired = who[:q][chosen]
    mark = np.zeros((level.size >> 6) + 1, dtype=np.uint64)  # a bit for each person hired
    for k in range(hired.size):  # leaves the post held, takes the new one; counted
        if k + AHEAD < hired.size:  # the columns of one hired a few on, fetched meanwhile
            prefetch((post_pool, unit, post_level, level, directed, pair, waiting_since),
                     at(hired[k + AHEAD]))
        i = hired[k]
        taken[held_post(i, post_pool, post_holder, unit, post_level, n_units)] -= 1
        post_level[i] = level[i]
        post_pool[i] = 1 if (directed[i] and separate) else 0
        taken[held_post(i, post_pool, post_holder, unit, post_level, n_units)] += 1
        held = pair[i] * 4 + level[i]
        hired_row[held] += 1
        waited_row[held] += year - waiting_since[i]  # the years each waited, summed
        mark[i >> 6] |= np.uint64(1) << np.uint64(i & 63)
    hired_applicant = np.empty(applicant.size, dtype=np.bool_)  # hired, and titled this year
    for j in range(applicant.size):
        a = applicant[j]
        hired_applicant[j] = ((mark[a >> 6] >> np.uint64(a & 63)) & np.uint64(1)) != 0 \
            and result[j] == titled
    return hired, taken, hired_applicant


def hiring_step(s) -> None:
    """:func:`titlesim.steps.hiring_step`, compiled (the same people hired, the same
    counts and records)."""
    p, setup, params = s.people, s.setup, s.setup.params
    order = params.posts.hiring_order
    hiring_order.check_order(order)
    kept = s.posts_taken if s.posts_taken is not None else np.zeros(0, dtype=np.int64)
    hired, s.posts_taken, s.events.hired = _hiring_pass(
        p.unit, setup.post_holder, p.level, p.post_level, s.post_pool, p.directed,
        params.posts.directed_quota == "separate", setup.capacity.reshape(-1), len(setup.units),
        order == "merit", p.waiting_since, p.ability, p.practice, p.id,
        s.draws.stream(s.year, Purpose.HIRING_ORDER), s.year, p.pair, s.counts.counts[M["hired"]],
        s.counts.counts[M["waiting_years"]], kept, s.events.applicant, s.events.result, ev.TITLED)
    s.events.hired_people = hired


def flows_posts(s, gone: np.ndarray | None, arrival_units: tuple) -> None:
    """The posts table the state keeps from year to year, if it keeps one
    (:attr:`titlesim.steps.state.State.posts_taken`), after the flows: the posts of the
    leavers ``gone`` (their places, before the arrivals take them) given up (None: the
    compiled ageing pass gave them up, :func:`titlesim.compiled.flows.age_and_leave`);
    the arrivals, in the units of ``arrival_units`` (arrays), holding junior posts of the
    ordinary quota. In numpy: a few thousand a year, not worth a compiled pass of its
    own (whose first call, late in a run, costs loading its machine code)."""
    taken = s.posts_taken
    if taken is None:
        return
    p, post_holder, n_units = s.people, s.setup.post_holder, len(s.setup.units)
    if gone is not None:
        leavers = occupied(post_holder[p.unit[gone]], p.post_level[gone], s.post_pool[gone], n_units)
        taken -= leavers.reshape(-1)
    arrivals = post_holder[np.concatenate(arrival_units)]
    taken += occupied(arrivals, np.zeros_like(arrivals), None, n_units).reshape(-1)
