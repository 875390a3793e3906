"""Step 8, mobility, compiled: :func:`titlesim.steps.mobility_step` in one pass over the
people (who moves, where to, a directed title lost, the post of the old unit left, the
posts taken after the moves). A title holder who moves waits in the new unit's queue,
counted from the move, for the next hiring step (:mod:`titlesim.compiled.hiring`).

The same arithmetic as :mod:`titlesim.rules.mobility`, :mod:`titlesim.rules.directed`,
:mod:`titlesim.rules.route` and :class:`titlesim.sampling.CategoricalTable`, so the
same people move to the same units.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from titlesim.kernels import AHEAD, at, choose, prefetch
from titlesim.kernels import person_uniform as uniform
from titlesim.compiled.posts import held_post
from titlesim.metrics import M
from titlesim.randomness import Purpose
from titlesim.rules import validity



@njit(cache=True, inline="always")
def _destination(group, u, keys, offsets, sizes, first_unit, units, within_group):
    """:meth:`titlesim.setup.Setup.destination_unit` of one mover. ``within_group``
    (the keys sorted, as they are where every group has a positive weight): the search
    looks among the group's own keys only, which finds the same place (the keys of the
    groups before are at most ``group``, those after at least ``group + 1``)."""
    if not within_group:
        return units[first_unit[group] + choose(keys, offsets, sizes, u, group)]
    lo, hi = offsets[group], offsets[group] + sizes[group]
    v = group + u
    while lo < hi:  # the first key above v (searchsorted, side right)
        mid = (lo + hi) >> 1
        if keys[mid] <= v:
            lo = mid + 1
        else:
            hi = mid
    return units[first_unit[group] + min(lo - offsets[group], sizes[group] - 1)]


@njit(cache=True)
def _drawn(u_move, grassroots, rates):
    """Who draws a move (:func:`titlesim.rules.mobility.movers`' rate: out of grassroots,
    into it), ascending; whether their unit has destinations is looked up for these few
    only."""
    drawn = np.empty(u_move.size, dtype=np.int64)  # only its head is written
    count = 0
    for j in range(u_move.size):
        i = at(j)
        drawn[count] = j  # written always, kept where drawn (no branch to mispredict)
        count += u_move[i] < (rates[0] if grassroots[i] else rates[1])
    return drawn[:count]


@njit(cache=True)
def _move(year, u_move, rates, barred, destination_group, tables, unit_columns, join, people,
          post_holder, n_units, stream, taken, lost_row, moved_row):
    keys, offsets, sizes, first_unit, units, within_group = tables
    unit_grassroots, unit_attached, unit_graded, unit_group, pair_of = unit_columns
    (ids, unit, specialty, grassroots, attached, directed, ratio_member, level, years_at_level,
     years_before, titled_year, pass_scope, post_level, post_pool, pair, waiting_since) = people
    n = unit.size
    count_all = taken.size == 0  # else the table of the hiring step, kept up to date here
    if count_all:
        taken = np.zeros(n_units * 8, dtype=np.int64)
    drawn = _drawn(u_move, grassroots, rates)
    movers = np.empty(drawn.size, dtype=np.int64)
    lose = np.empty(drawn.size, dtype=np.bool_)
    m = 0
    for d in range(drawn.size):
        if d + AHEAD < drawn.size:  # the columns of one drawn a few on, fetched meanwhile
            prefetch(people, at(drawn[d + AHEAD]))
        j = drawn[d]
        i = at(j)
        group = destination_group[unit[i]]  # the unit's destinations
        if group < 0 or (barred and grassroots[i] and directed[i]):
            continue
        if not count_all:
            taken[held_post(i, post_pool, post_holder, unit, post_level, n_units)] -= 1
        new = _destination(group, uniform(stream, ids[i]), keys, offsets, sizes, first_unit, units,
                           within_group)
        member = unit_grassroots[new] or (join and unit_attached[new] and not unit_graded[new])
        lost = ratio_member[i] and not member and directed[i]
        if lost:  # back to the level before, its years restored
            lost_row[pair[i] * 4 + level[i]] += 1
            level[i] -= 1
            years_at_level[i] = min(np.int64(years_before[i]) + years_at_level[i], 100)
            titled_year[i] = year - years_at_level[i]
            years_before[i] = 0
            directed[i] = False
            if pass_scope[i] == validity.SCOPE_GRASSROOTS:
                pass_scope[i] = validity.SCOPE_NONE
        post_level[i] = 0  # the post of the old unit is left
        post_pool[i] = 0
        unit[i] = new
        grassroots[i] = unit_grassroots[new]
        attached[i] = unit_attached[new]
        pair[i] = pair_of[unit_group[new], specialty[i]]
        ratio_member[i] = member
        waiting_since[i] = year  # a title holder waits for a post there, counted from the move
        moved_row[pair[i] * 4 + level[i]] += 1
        movers[m] = j
        lose[m] = lost
        m += 1
        if not count_all:
            taken[held_post(i, post_pool, post_holder, unit, post_level, n_units)] += 1
    if count_all:  # everyone's post, the movers' after the move
        for j in range(n):
            i = at(j)
            taken[held_post(i, post_pool, post_holder, unit, post_level, n_units)] += 1
    return movers[:m], lose[:m], taken


def mobility_step(s) -> None:
    """:func:`titlesim.steps.mobility_step`, compiled (the same moves, posts, counts and
    records)."""
    p, setup, params = s.people, s.setup, s.setup.params
    rule = params.mobility
    tables, unit_columns = _tables(setup)
    units = setup.units
    people = (p.id, p.unit, p.specialty, p.grassroots, p.attached, p.directed, s.ratio_member,
              p.level, p.years_at_level, p.years_before, p.titled_year, p.pass_scope, p.post_level,
              s.post_pool, p.pair, p.waiting_since)
    taken = s.posts_taken if s.posts_taken is not None else np.zeros(0, dtype=np.int64)
    s.posts_taken = None  # kept up to date below, then handed on to the record step
    rows = s.counts.counts
    movers, lose, taken = _move(
        s.year, s.u_move, (float(rule.out_of_grassroots), float(rule.into_grassroots)),
        rule.directed_on_leaving == "barred", setup.destination_group, tables, unit_columns,
        bool(params.attached_units.join_grassroots_route), people, setup.post_holder,
        len(units), s.draws.stream(s.year, Purpose.MOBILITY_DESTINATION),
        taken, rows[M["directed_lost_by_move"]], rows[M["moved"]])
    s.posts_taken = taken
    s.events.moved, s.events.moved_lost_directed = movers, lose


def _tables(setup) -> tuple[tuple, tuple]:
    """The destination tables and the units' columns the pass reads, made once per set-up
    (``Setup.derived``; the keys' order is checked once, not every year)."""
    return setup.derive("mobility", lambda: _make_tables(setup))


def _make_tables(setup) -> tuple[tuple, tuple]:
    table, units = setup.destination, setup.units
    tables = (table.keys, table.offsets, table.sizes, *setup.destination_lists(),
              bool(np.all(table.keys[1:] >= table.keys[:-1])))
    unit_columns = (units.grassroots, units.attached, setup.unit_graded,
                    setup.cells.unit_group, setup.cells.pair_of)
    return tables, unit_columns
