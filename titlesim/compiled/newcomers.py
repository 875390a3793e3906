"""Compiled pass of step 1's arrivals: transfers in (with recognition) and new entrants,
drawn straight into the people's columns.

The same as :func:`titlesim.steps.flows._transfers` and :func:`titlesim.steps.flows._entrants`
with :meth:`titlesim.population.PersonSampler.draw` and the rules of
:mod:`titlesim.rules.flows` (the reference): every attribute from the newcomer's own
draws (:func:`titlesim.kernels.person_uniform`, keyed by year, purpose, salt and id; the
normals by :mod:`titlesim.compiled.normal`),
written in the places the leavers left or at the end of the columns
(:func:`titlesim.people.arrangement`), counted as it goes. At city scale this replaces
some eighty numpy calls a year by a few.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from titlesim.compiled.normal import person_normal_float32
from titlesim.kernels import AHEAD, at, choose_guided, guide, person_uniform, prefetch, stream_of
from titlesim.people import grown
from titlesim.metrics import M
from titlesim.randomness import Purpose
from titlesim.rules import route

_TRANSFERS_IN, _RECOGNISED, _ENTRANTS = M["transfers_in"], M["recognised"], M["entrants"]
_SALTS = 12  # streams of a purpose by salt: the sampler's 1-6, 10, 11
_TRANSFER, _ENTRANT, _RECOGNITION = int(Purpose.TRANSFER), int(Purpose.ENTRANT), int(Purpose.RECOGNITION)


@njit(cache=True)
def _arrive(n_transfers, year, first_id, slots, unit_of, key, recognition_rate, sampler, tables,
            units, columns, u_move, post_pool, ratio_member, counts):
    (female_share, male_age, female_age, entry_min, entry_max, max_years,
     ability_grassroots, ability_other, practice_grassroots, practice_other) = sampler
    (age_min, age_max, papers_rate, entry_age_offset, transfer_keys, transfer_offsets, transfer_sizes,
     transfer_guide, entry_keys, entry_offsets, entry_sizes, entry_guide, edu_keys, edu_offsets,
     edu_sizes, edu_guide, spec_keys, spec_offsets, spec_sizes, spec_guide) = tables
    unit_grassroots, unit_attached, unit_series, unit_type, unit_group, pair_of, unit_member = units
    (id_, unit_, specialty, level_, post_level, education, female_, age_, years_at_level,
     ability, practice, papers, failures, pass_until, pass_scope, directed, titled_year,
     waiting_since, years_before, grassroots_, attached, series, pair) = columns
    transfer_streams = np.empty(_SALTS, dtype=np.uint64)
    entrant_streams = np.empty(_SALTS, dtype=np.uint64)
    for salt in range(_SALTS):
        transfer_streams[salt] = stream_of(key, year, _TRANSFER, salt)
        entrant_streams[salt] = stream_of(key, year, _ENTRANT, salt)
    recognition_stream = stream_of(key, year, _RECOGNITION, 0)
    entrant_stream_level = stream_of(key, year, _ENTRANT, 21)
    entrant_stream_age = stream_of(key, year, _ENTRANT, 20)
    for k in range(slots.size):
        if k + AHEAD < slots.size:  # the places of an arrival a few on, fetched meanwhile
            later = at(slots[k + AHEAD])
            prefetch(columns, later)
            prefetch((u_move, post_pool, ratio_member), later)
        i = at(slots[k])
        pid = first_id + k
        unit = unit_of[k]
        transfer = k < n_transfers
        streams = transfer_streams if transfer else entrant_streams
        level_held = 0
        if transfer:
            level_held = choose_guided(transfer_keys, transfer_offsets, transfer_sizes,
                                       transfer_guide, person_uniform(streams[2], pid), 0)
            recognised = person_uniform(recognition_stream, pid) < recognition_rate
            level = level_held if recognised else level_held - 1
        else:
            level = choose_guided(entry_keys, entry_offsets, entry_sizes, entry_guide,
                                  person_uniform(entrant_stream_level, pid), unit_type[unit])
        grassroots = unit_grassroots[unit]
        female = person_uniform(streams[1], pid) < female_share
        retire = female_age if female else male_age
        if transfer:  # the age is drawn from the level's range
            hi = min(age_max[level], retire - 1)
            lo = min(age_min[level], hi)
            age = lo + np.int64(np.floor(person_uniform(streams[2], pid) * (hi - lo + 1)))
        else:  # entrants above junior level are as much older as the level's youngest age says
            age = np.int64(entry_min + entry_age_offset[level] + np.floor(
                person_uniform(entrant_stream_age, pid) * (entry_max - entry_min + 1)))
        age = min(age, retire - 1)
        career = max(age - entry_min, 0)
        years_cap = min(career, max_years)
        e = choose_guided(edu_keys, edu_offsets, edu_sizes, edu_guide,
                          person_uniform(streams[4], pid), np.int64(grassroots))
        spec = choose_guided(spec_keys, spec_offsets, spec_sizes, spec_guide,
                             person_uniform(streams[6], pid), unit_series[unit])
        id_[i] = pid
        unit_[i] = unit
        specialty[i] = spec
        level_[i] = level
        post_level[i] = 0  # they queue for a post
        education[i] = e
        female_[i] = female
        age_[i] = age
        ability[i] = person_normal_float32(
            streams[10], pid, ability_grassroots if grassroots else ability_other)
        practice[i] = person_normal_float32(
            streams[11], pid, practice_grassroots if grassroots else practice_other)
        failures[i] = 0
        pass_until[i] = 0
        pass_scope[i] = 0
        directed[i] = False
        years_before[i] = 0
        grassroots_[i] = grassroots
        attached[i] = unit_attached[unit]
        series[i] = unit_series[unit]
        pair[i] = pair_of[unit_group[unit], spec]
        u_move[i] = 1.0  # arrivals do not move in their first year
        post_pool[i] = 0
        ratio_member[i] = unit_member[unit]
        if transfer:
            if level > 0:
                years = np.floor(person_uniform(streams[3], pid) * (years_cap + 1))
            else:
                years = np.float64(min(career, years_cap))
            years_at_level[i] = np.int64(years)
            papers[i] = np.int64(np.floor(papers_rate[e] * career + person_uniform(streams[5], pid)))
            titled_year[i] = year
            waiting_since[i] = year
            counts[_TRANSFERS_IN, pair[i] * 4 + level_held] += 1
            if recognised:
                counts[_RECOGNISED, pair[i] * 4 + level_held] += 1
        else:
            years_at_level[i] = 0
            papers[i] = 0
            titled_year[i] = year if level > 0 else 0
            waiting_since[i] = year if level > 0 else 0
            counts[_ENTRANTS, pair[i] * 4 + level] += 1


def _tables(setup) -> tuple:
    """The setup's tables the pass reads, made once per setup (``Setup.derive``)."""
    return setup.derive("arrivals", lambda: _make_tables(setup))


def _make_tables(setup) -> tuple:
    params, sampler, units = setup.params, setup.sampler, setup.units
    pop, flows = params.population, params.flows

    def table(t):
        return t.keys, t.offsets, t.sizes, guide(t.keys, t.offsets)
    return (
        (float(pop.female_share), int(flows.retirement_age.male), int(flows.retirement_age.female),
         int(pop.entry_age.min), int(pop.entry_age.max), int(pop.max_years_at_level),
         float(pop.ability_mean.grassroots), float(pop.ability_mean.other),
         float(pop.practice_mean.grassroots), float(pop.practice_mean.other)),
        (sampler.age_min, sampler.age_max, sampler.papers_rate,
         np.asarray(setup.entry_age_offset, dtype=np.int64),
         *table(setup.transfer_levels), *table(setup.entry_levels),
         *table(sampler.education), *table(sampler.specialty)),
        (units.grassroots, units.attached, units.series, units.unit_type.astype(np.int64),
         setup.cells.unit_group.astype(np.int64), setup.cells.pair_of,
         route.in_ratio_groups(units.grassroots, units.attached, setup.unit_graded,
                               params.attached_units.join_grassroots_route)),
    )


def arrive(s, plan, first_id: int, transfer_unit: np.ndarray, entrant_unit: np.ndarray) -> bool:
    """Transfers in (in ``transfer_unit``), then entrants (in ``entrant_unit``), with ids
    from ``first_id``, drawn into the places ``plan`` gives
    (:func:`titlesim.people.arrangement`); the places left empty are filled.
    ``s.ratio_member`` is kept aligned with the people (arrivals take their unit's), so
    it need not be computed again for everyone. False, and nothing done, when a table of
    shares has a group without any (no valid scenario has one): the numpy rules then
    draw the arrivals."""
    sampler, tables, units = _tables(s.setup)
    if any(table is None for table in tables):
        return False
    p, draws, year = s.people, s.draws, s.year
    n = len(p)
    if s.ratio_member is None or len(s.ratio_member) != n:
        s.mark_ratio_members()
    if plan.length > n:
        p.make_room(plan.length - n)
        s.u_move, s.post_pool, s.ratio_member = (grown(column, plan.length - n) for column in
                                                 (s.u_move, s.post_pool, s.ratio_member))
    _arrive(len(transfer_unit), year, first_id, plan.slots,
            np.concatenate([transfer_unit, entrant_unit]).astype(np.int32), np.uint64(draws.key),
            float(s.setup.params.flows.transfers_in.recognition_rate), sampler, tables, units,
            p.columns(), s.u_move, s.post_pool, s.ratio_member, s.counts.counts)
    if len(plan.targets):
        move(plan.targets, plan.movers, p.by_width(extra=(s.u_move, s.post_pool, s.ratio_member)))
    if plan.length < n:
        p.head(plan.length)
        s.u_move, s.post_pool, s.ratio_member = (column[:plan.length] for column in
                                                 (s.u_move, s.post_pool, s.ratio_member))
    return True


FEW_MOVES = 4096  # fewer people than this are moved by numpy


def move(targets: np.ndarray, movers: np.ndarray, by_width: tuple) -> None:
    """Move the people at ``movers`` to ``targets`` (places apart) in every column of
    :meth:`titlesim.people.People.by_width`. A few (a year with a handful more leavers
    than arrivals) by numpy, twenty-odd small copies, rather than by the compiled pass,
    whose first call costs loading its machine code (5-9 ms of CPU); the same values."""
    if len(targets) >= FEW_MOVES:
        _move(targets, movers, *by_width)
        return
    for columns in by_width:
        for column in columns:
            column[targets] = column[movers]


@njit(cache=True)
def _move(targets, movers, bytes1, bytes2, bytes4):
    """Move the people at ``movers`` to ``targets`` in every column."""
    for c in range(len(bytes1)):
        column = bytes1[c]
        for k in range(targets.size):
            column[targets[k]] = column[movers[k]]
    for c in range(len(bytes2)):
        column = bytes2[c]
        for k in range(targets.size):
            column[targets[k]] = column[movers[k]]
    for c in range(len(bytes4)):
        column = bytes4[c]
        for k in range(targets.size):
            column[targets[k]] = column[movers[k]]
