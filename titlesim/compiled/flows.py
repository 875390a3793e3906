"""Compiled pass of step 1 (flows): ageing, retirement and other exits, new papers, and
the removal of the leavers, in one pass over the people.

The same arithmetic as :func:`titlesim.steps.flows._age_and_leave` with the rules of
:mod:`titlesim.rules.flows` and :mod:`titlesim.rules.records` (the reference): each rule
is a small scalar function here, the pass applies them person by person, draws each
person's three uniforms (:meth:`titlesim.randomness.Draws.uniforms`) from the id, counts
the exits and notes the leavers' places, which the year's arrivals then take
(:mod:`titlesim.compiled.newcomers`), so no array of a million is made or moved.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from titlesim.compiled.posts import held_post
from titlesim.kernels import at, choose_guided, guide, person_bits, person_uniform
from titlesim.metrics import M

_EXITS_RETIRED, _EXITS_OTHER = M["exits_retired"], M["exits_other"]
_WIDTH, _MASK = np.uint64(21), np.uint64((1 << 21) - 1)  # Draws.uniforms(k=3)
_SCALE = np.float32(1.0 / (1 << 21))


@njit(cache=True, inline="always")
def _retiring(age, female, male_age, female_age):
    """:func:`titlesim.rules.flows.retiring` for one person."""
    return age >= (female_age if female else male_age)


@njit(cache=True, inline="always")
def _leaving(u, grassroots, rate_grassroots, rate_other):
    """:func:`titlesim.rules.flows.leaving` for one person."""
    return np.float64(u) < (rate_grassroots if grassroots else rate_other)


@njit(cache=True, inline="always")
def _new_papers(u, rate):
    """:func:`titlesim.rules.records.new_papers` for one person."""
    whole = np.floor(rate)
    return np.int16(whole + (np.float64(u) < rate - whole))


@njit(cache=True)
def _age_and_leave(stream, id_, age, years_at_level, female, grassroots, education, papers,
                   pair, level, unit, male_age, female_age, rate_grassroots, rate_other,
                   papers_rate, counts, staff, u_move, gone, posts, taken):
    """Ages everyone and counts the leavers; writes their places in ``gone`` (returns
    how many) and counts those who stay per unit in ``staff``. Where the posts table is
    kept (``taken`` not empty), each leaver's post is given up there and then
    (``posts``: the post pools, post levels, post holder of each unit, and the units)."""
    post_pool, post_level, post_holder, n_units = posts
    n_gone = 0
    for j in range(id_.size):
        i = at(j)
        age[i] += 1
        years_at_level[i] = min(years_at_level[i] + 1, 100)
        x = person_bits(stream, id_[i])
        u_exit = np.float32(x & _MASK) * _SCALE
        u_move[i] = np.float32((x >> _WIDTH) & _MASK) * _SCALE
        u_papers = np.float32((x >> (_WIDTH + _WIDTH)) & _MASK) * _SCALE
        papers[i] += _new_papers(u_papers, papers_rate[at(education[i])])
        held = at(pair[i] * 4 + level[i])
        if _retiring(age[i], female[i], male_age, female_age):
            counts[_EXITS_RETIRED, held] += 1
        elif _leaving(u_exit, grassroots[i], rate_grassroots, rate_other):
            counts[_EXITS_OTHER, held] += 1
        else:
            staff[at(unit[i])] += 1
            continue
        gone[at(n_gone)] = j
        n_gone += 1
        if taken.size:  # :func:`titlesim.compiled.hiring.flows_posts` for the leavers
            taken[held_post(i, post_pool, post_holder, unit, post_level, n_units)] -= 1
    return n_gone


def age_and_leave(s, stream: np.uint64) -> tuple[np.ndarray, np.ndarray]:
    """Step 1's first half on the state ``s``, in place; returns the leavers' places and
    the staff per unit of those who stay. ``stream``: the draws' stream of (year, EXIT).
    The posts the state keeps, if it keeps them (``s.posts_taken``), lose the leavers'
    posts in the same pass (the arrivals' are added by
    :func:`titlesim.compiled.hiring.flows_posts`)."""
    p, setup = s.people, s.setup
    flows = setup.params.flows
    n = len(p)
    u_move = s.u_move if s.u_move is not None and len(s.u_move) == n else np.empty(n, np.float32)
    staff = np.zeros(len(setup.units), dtype=np.int64)
    gone = np.empty(n, dtype=np.int64)  # only the pages written are ever touched
    n_gone = _age_and_leave(
        stream, p.id, p.age, p.years_at_level, p.female, p.grassroots, p.education, p.papers,
        p.pair, p.level, p.unit, flows.retirement_age.male, flows.retirement_age.female,
        float(flows.exit_rate.grassroots), float(flows.exit_rate.other),
        setup.sampler.papers_rate, s.counts.counts, staff, u_move, gone,
        (s.post_pool, p.post_level, setup.post_holder, len(setup.units)),
        s.posts_taken if s.posts_taken is not None else np.zeros(0, dtype=np.int64))
    s.u_move = u_move
    return gone[:n_gone].copy(), staff


@njit(cache=True)
def _transfer_units(first_id, stream, keys, offsets, sizes, unit_guide, staff, out):
    """Each transfer in's unit (ids from ``first_id``; :meth:`titlesim.sampling.CategoricalTable.choose`
    of its uniform, :meth:`titlesim.randomness.Draws.uniform` of ``stream``), and one more
    staff there."""
    for k in range(out.size):
        unit = choose_guided(keys, offsets, sizes, unit_guide, person_uniform(stream, first_id + k), 0)
        out[k] = unit
        staff[unit] += 1


def transfer_units(setup, n: int, first_id: int, stream: np.uint64, staff: np.ndarray) -> np.ndarray | None:
    """The units of ``n`` transfers in, ids from ``first_id`` (int32), as
    :func:`titlesim.steps.flows._transfer_units` draws them (``stream``: the draws' stream
    of (year, TRANSFER, salt 1)), each added to ``staff`` (per unit, in place). None, and
    nothing done, where the units' weights are not sorted keys (a unit of establishment 0
    has none: then the numpy rule draws them)."""
    table = setup.unit_weights
    unit_guide = setup.derive("transfer_guide", lambda: guide(table.keys, table.offsets))
    if unit_guide is None:
        return None
    out = np.empty(n, dtype=np.int32)
    _transfer_units(np.int64(first_id), stream, table.keys, table.offsets, table.sizes, unit_guide,
                    staff, out)
    return out


@njit(cache=True)
def _ratio_members(grassroots, attached, unit, unit_graded, join, out):
    for i in range(unit.size):
        out[i] = grassroots[i] or (join and attached[i] and not unit_graded[unit[i]])


def ratio_members(grassroots, attached, unit, unit_graded, join: bool) -> np.ndarray:
    """:func:`titlesim.rules.route.in_ratio_groups` of every person, in one pass."""
    out = np.empty(len(unit), dtype=bool)
    _ratio_members(grassroots, attached, unit, unit_graded, bool(join), out)
    return out


def entrant_units(staff: np.ndarray, target: np.ndarray, replacement_rate: float) -> np.ndarray:
    """The unit of each new junior (int32, by unit): ``np.repeat`` of the units' numbers by
    :func:`titlesim.rules.flows.entrants_per_unit`, whose largest-remainder split
    (:func:`titlesim.sampling.largest_remainder`) is one compiled pass here. The sum of the
    wanted juniors is numpy's (its pairwise order), so the split is the same to the bit."""
    wanted = np.maximum(np.asarray(target, dtype=np.float64) - staff, 0.0) * replacement_rate
    whole = wanted.sum()
    total = int(round(whole))
    if total <= 0 or whole <= 0:
        return np.zeros(0, dtype=np.int32)
    return _entrant_units(total, wanted, whole)


@njit(cache=True)
def _entrant_units(total, wanted, whole):
    n = wanted.size
    base = np.empty(n, dtype=np.int64)
    behind = np.empty(n, dtype=np.float64)  # minus the remainder: the largest first
    rest = total
    for u in range(n):
        exact = total * wanted[u] / whole
        base[u] = np.int64(np.floor(exact))
        behind[u] = -(exact - base[u])
        rest -= base[u]
    order = np.argsort(behind, kind="mergesort")  # stable: ties in the units' order
    if rest < 0:  # numpy's order[:rest] of a negative rest (never met: sums round)
        rest = max(n + rest, 0)
    for k in range(min(rest, n)):
        base[order[k]] += 1
    out = np.empty(base.sum(), dtype=np.int32)
    k = 0
    for u in range(n):
        for _ in range(base[u]):
            out[k] = u
            k += 1
    return out
