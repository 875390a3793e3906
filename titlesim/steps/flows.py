"""Step 1, flows: ageing, retirements and exits, transfers in (认定) and new entrants
(docs/model.md). :mod:`titlesim.compiled.flows` and :mod:`titlesim.compiled.newcomers`
do the same in compiled passes."""
from __future__ import annotations

import numpy as np

from titlesim import events as ev
from titlesim.people import NAMES, People, arrangement, rearranged
from titlesim.randomness import Purpose
from titlesim.rules import flows, records
from titlesim.sizes import kernels_for
from titlesim.steps.state import State


def flows_step(s: State) -> None:
    """1. Age and years advance; retirements and exits; transfers in (认定); new entrants
    filling what is left open of each unit's establishment. Arrivals take the leavers'
    places (:func:`titlesim.people.arrangement`)."""
    setup, params = s.setup, s.setup.params
    s.events = ev.YearEvents()
    compiled = kernels_for(len(s.people))
    if compiled:
        from titlesim.compiled.flows import age_and_leave
        gone, staff = age_and_leave(s, s.draws.stream(s.year, Purpose.EXIT))
    else:
        gone, staff = _age_and_leave(s)
    transfer_unit = _transfer_units(s, len(s.people) - len(gone), staff, compiled)
    # new juniors fill what leavers, movers and transfers in left open (balanced flows)
    target = _establishment_target(setup, s.year - params.horizon.start + 1)
    if compiled:
        from titlesim.compiled.flows import entrant_units
        entrant_unit = entrant_units(staff, target, params.flows.entrants.replacement_rate)
    else:
        new = flows.entrants_per_unit(staff, target, params.flows.entrants)
        entrant_unit = np.repeat(_unit_numbers(setup), new)
    first = s.next_id
    s.next_id += len(transfer_unit) + len(entrant_unit)
    plan = arrangement(len(s.people), gone, len(transfer_unit) + len(entrant_unit))
    if s.posts_taken is not None:  # the posts table kept across years
        from titlesim.compiled.hiring import flows_posts
        flows_posts(s, None if compiled else gone, (transfer_unit, entrant_unit))
    if compiled:  # keeps s.ratio_member up to date for the arrivals
        from titlesim.compiled.newcomers import arrive
        compiled = arrive(s, plan, first, transfer_unit, entrant_unit)
    if not compiled:
        _arrive(s, plan, first, transfer_unit, entrant_unit)
        s.mark_ratio_members()


def _establishment_target(setup, years_of_growth: int) -> np.ndarray:
    """:func:`titlesim.rules.flows.establishment_target` of the set-up's units, worked out
    once per set-up and year of growth (the same for every replicate; read only)."""
    by_years = setup.derive("establishment_target", dict)
    target = by_years.get(years_of_growth)
    if target is None:
        target = flows.establishment_target(setup.units.establishment,
                                            setup.params.flows.entrants.growth_rate, years_of_growth)
        target.flags.writeable = False
        by_years[years_of_growth] = target
    return target


def _unit_numbers(setup) -> np.ndarray:
    """0, 1, ... one per unit (int32), made once per set-up (read only)."""
    def make() -> np.ndarray:
        numbers = np.arange(len(setup.units), dtype=np.int32)
        numbers.flags.writeable = False
        return numbers
    return setup.derive("unit_numbers", make)


def _age_and_leave(s: State) -> tuple[np.ndarray, np.ndarray]:
    """Ageing, exits and new papers. Returns the leavers' places and the staff per unit
    of those who stay. (:mod:`titlesim.compiled.flows` does the same in one pass.)"""
    p, params, setup, c = s.people, s.setup.params, s.setup, s.counts
    p.age += 1
    np.minimum(p.years_at_level + 1, 100, out=p.years_at_level, casting="unsafe")
    u_exit, s.u_move, u_papers = s.draws.uniforms(s.year, Purpose.EXIT, p.id, 3)
    held = s.held_cell()
    retire = flows.retiring(p.age, p.female, params.flows.retirement_age)
    other = flows.leaving(u_exit, p.grassroots, params.flows.exit_rate) & ~retire
    c.add("exits_retired", held, retire)
    c.add("exits_other", held, other)
    p.papers += records.new_papers(u_papers, setup.sampler.papers_rate[p.education])
    gone = retire | other
    return np.flatnonzero(gone), np.bincount(p.unit[~gone], minlength=len(setup.units))


def _transfer_units(s: State, headcount: int, staff: np.ndarray, compiled: bool) -> np.ndarray:
    """The units this year's transfers in arrive in (their number follows ``headcount``),
    each added to ``staff`` (the staff per unit, in place; in the same pass when
    ``compiled``)."""
    setup, params = s.setup, s.setup.params.flows.transfers_in
    n = flows.transfers_count(s.draws.uniform_of(s.year, Purpose.TRANSFER, -1), headcount, params.rate)
    if compiled:
        from titlesim.compiled.flows import transfer_units
        units = transfer_units(setup, n, s.next_id, s.draws.stream(s.year, Purpose.TRANSFER, 1), staff)
        if units is not None:
            return units
    ids = np.arange(s.next_id, s.next_id + n, dtype=np.int64)
    units = setup.unit_weights.choose(s.draws.uniform(s.year, Purpose.TRANSFER, ids, salt=1),
                                      np.zeros(n, dtype=np.int64)).astype(np.int32)
    staff += np.bincount(units, minlength=len(setup.units))
    return units


def _arrive(s: State, plan, first: int, transfer_unit: np.ndarray, entrant_unit: np.ndarray) -> None:
    """Transfers in, then entrants, with ids from ``first``, placed by ``plan``.
    (:mod:`titlesim.compiled.newcomers` does the same in one pass.)"""
    transfers, level_held, recognised = _transfers(s, first, transfer_unit)
    entrants = _entrants(s, first + len(transfer_unit), entrant_unit)
    new = People(**{name: np.concatenate([getattr(transfers, name), getattr(entrants, name)])
                    for name in NAMES})
    new.place(s.setup.units, s.setup.cells.person_pair)
    s.people.rearrange(plan, new)
    s.u_move = rearranged(s.u_move, plan, 1.0)  # arrivals do not move in their first year
    s.post_pool = rearranged(s.post_pool, plan, 0)
    n = len(transfer_unit)
    cell = new.pair * 4 + np.concatenate([level_held, new.level[n:]])
    s.counts.add("transfers_in", cell[:n])
    s.counts.add("recognised", cell[:n], recognised)
    s.counts.add("entrants", cell[n:])


def _entrants(s: State, first: int, unit: np.ndarray) -> People:
    """New entrants, one in each of ``unit``."""
    ids = np.arange(first, first + len(unit), dtype=np.int64)
    setup = s.setup
    entry = setup.params.population.entry_age
    level = setup.entry_levels.choose(s.draws.uniform(s.year, Purpose.ENTRANT, ids, salt=21),
                                      setup.units.unit_type[unit]).astype(np.int8)
    # entrants above junior level are as much older as the level's youngest age says
    age = entry.min + setup.entry_age_offset[level] + np.floor(
        s.draws.uniform(s.year, Purpose.ENTRANT, ids, salt=20) * (entry.max - entry.min + 1))
    new = setup.sampler.draw(ids, unit, s.draws, s.year, Purpose.ENTRANT, level=level, age=age)
    new.years_at_level[:] = 0
    new.papers[:] = 0
    new.post_level[:] = 0  # above junior level they queue for a post, as transfers in do
    new.titled_year[:] = np.where(new.level > 0, s.year, 0)
    new.waiting_since[:] = np.where(new.level > 0, s.year, 0)
    return new


def _transfers(s: State, first: int, unit: np.ndarray):
    """The transfers in, the level each held before, and whether it was recognised."""
    setup, params = s.setup, s.setup.params.flows.transfers_in
    n = len(unit)
    ids = np.arange(first, first + n, dtype=np.int64)
    level_held = setup.transfer_levels.choose(
        s.draws.uniform(s.year, Purpose.TRANSFER, ids, salt=2), np.zeros(n, dtype=np.int64))
    ok = flows.recognised(s.draws.uniform(s.year, Purpose.RECOGNITION, ids), params.recognition_rate)
    level = np.where(ok, level_held, level_held - 1).astype(np.int8)
    new = setup.sampler.draw(ids, unit, s.draws, s.year, Purpose.TRANSFER, level=level)
    new.post_level = np.zeros(n, dtype=np.int8)  # they queue for a post, as movers do
    new.titled_year[:] = s.year
    new.waiting_since[:] = s.year
    return new, level_held, ok
