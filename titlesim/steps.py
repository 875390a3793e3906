"""The steps of one evaluation year (docs/model.md, 一个评审年度的步骤), each
gluing the pure rules in :mod:`titlesim.rules` to the state of one replicate and
recording what happened. Random draws are made only for the people a step concerns
(the draw is keyed by person, so subsets do not disturb common random numbers)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from titlesim import events as ev
from titlesim.metrics import YearCounts
from titlesim.people import INTERMEDIATE, NAMES, People, arrangement, rearranged
from titlesim.randomness import Draws, Purpose
from titlesim.rules import (application, directed, eligibility, evaluation, exam, flows,
                            hiring_order, mobility, passline, posts, records, route, validity)
from titlesim.scenario.schema import EDUCATIONS, GROUPABLE
from titlesim.setup import Setup
from titlesim.sizes import kernels_for


@dataclass
class State:
    """One replicate's people and this year's working columns."""

    setup: Setup
    people: People
    draws: Draws
    next_id: int
    year: int = 0
    counts: YearCounts | None = None
    lines: list = field(default_factory=list)
    # this year's working columns, aligned with people after flows
    u_move: np.ndarray | None = None  # this year's draw for mobility (arrivals: 1, never)
    ratio_member: np.ndarray | None = None  # in the grassroots ratio groups and route
    target_cell: np.ndarray | None = None  # cell of the level sought
    applicants: np.ndarray | None = None  # indices of this year's applicants
    has_exam: np.ndarray | None = None  # per applicant: the level sought has an exam
    holds_pass: np.ndarray | None = None  # per applicant: holds a usable pass
    # per person: 1 where the post held is in the separate directed quota (a directed
    # holder waiting for a higher post keeps a post of either quota, so it is recorded)
    post_pool: np.ndarray | None = None
    # compiled steps only: posts taken per (pool, unit, level), flat, kept from the
    # hiring step through the mobility step to the record step of the same year
    # (nothing else moves posts between)
    posts_taken: np.ndarray | None = None
    events: ev.YearEvents = field(default_factory=ev.YearEvents)  # what happened to whom

    def __post_init__(self):
        if self.post_pool is None:  # the starting workforce holds ordinary posts
            self.post_pool = np.zeros(len(self.people), dtype=np.int8)

    def mark_ratio_members(self) -> None:
        p = self.people
        if kernels_for(len(p)):
            from titlesim.compiled.flows import ratio_members
            self.ratio_member = ratio_members(
                p.grassroots, p.attached, p.unit, self.setup.unit_graded,
                self.setup.params.attached_units.join_grassroots_route)
            return
        self.ratio_member = route.in_ratio_groups(
            p.grassroots, p.attached, self.setup.unit_graded[p.unit],
            self.setup.params.attached_units.join_grassroots_route)

    def post_unit(self) -> np.ndarray:
        """The unit whose posts each person's unit uses (itself, or its county pool)."""
        return self.setup.post_holder[self.people.unit]

    def held_cell(self) -> np.ndarray:
        return self.people.pair * 4 + self.people.level


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
    transfer_unit = _transfer_units(s, len(s.people) - len(gone))
    staff += np.bincount(transfer_unit, minlength=len(setup.units))
    # new juniors fill what leavers, movers and transfers in left open (balanced flows)
    target = flows.establishment_target(setup.units.establishment, params.flows.entrants.growth_rate,
                                        s.year - params.horizon.start + 1)
    new = flows.entrants_per_unit(staff, target, params.flows.entrants)
    entrant_unit = np.repeat(np.arange(len(setup.units), dtype=np.int32), new)
    first = s.next_id
    s.next_id += len(transfer_unit) + len(entrant_unit)
    plan = arrangement(len(s.people), gone, len(transfer_unit) + len(entrant_unit))
    if compiled:  # keeps s.ratio_member up to date for the arrivals
        from titlesim.compiled.newcomers import arrive
        arrive(s, plan, first, transfer_unit, entrant_unit)
    else:
        _arrive(s, plan, first, transfer_unit, entrant_unit)
        s.mark_ratio_members()


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


def _transfer_units(s: State, headcount: int) -> np.ndarray:
    """The units this year's transfers in arrive in (their number follows ``headcount``)."""
    setup, params = s.setup, s.setup.params.flows.transfers_in
    n = flows.transfers_count(s.draws.uniform(s.year, Purpose.TRANSFER, np.array([-1]))[0],
                              headcount, params.rate)
    ids = np.arange(s.next_id, s.next_id + n, dtype=np.int64)
    return setup.unit_weights.choose(s.draws.uniform(s.year, Purpose.TRANSFER, ids, salt=1),
                                     np.zeros(n, dtype=np.int64)).astype(np.int32)


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


def eligibility_and_application_step(s: State) -> None:
    """2-3. Who may apply for the next level, and who of them applies."""
    if kernels_for(len(s.people)):
        from titlesim.compiled.eligibility import eligible_and_applying
        applicants, has_exam, holds = eligible_and_applying(s, s.draws.stream(s.year, Purpose.APPLY))
        _record_applications(s, applicants, has_exam, holds)
    else:
        application_step(s, eligibility_step(s))


def eligibility_step(s: State) -> np.ndarray:
    """2. Who may apply for the next level (indices)."""
    p, setup = s.people, s.setup
    s.target_cell = p.pair * 4 + np.minimum(p.level + 1, 3)
    ok = eligibility.eligible(p.level, p.education, p.years_at_level, s.ratio_member,
                              setup.unit_jc_barred[p.unit], p.papers, setup.need_years,
                              setup.need_papers, len(EDUCATIONS))
    s.counts.add("eligible", s.target_cell, ok)
    return np.flatnonzero(ok)


def application_step(s: State, eligible: np.ndarray) -> None:
    """3. Who of the eligible applies."""
    p = s.people
    has_exam = s.setup.has_exam[p.series[eligible], p.level[eligible] + 1]
    holds = has_exam & validity.usable(p.pass_until[eligible], p.pass_scope[eligible], s.year,
                                       s.ratio_member[eligible])
    factor = s.setup.application_factor[s.setup.units.unit_type[p.unit[eligible]],
                                        p.level[eligible] + 1]
    applied = application.applies(s.draws.uniform(s.year, Purpose.APPLY, p.id[eligible]),
                                   True, p.grassroots[eligible], holds, p.failures[eligible],
                                   s.setup.params.application, factor)
    _record_applications(s, eligible[applied], has_exam[applied], holds[applied])
    cell = s.target_cell[s.applicants]
    s.counts.add("applied", cell)
    s.counts.add("valid_passes_held", cell, s.holds_pass)


def _record_applications(s: State, applicants: np.ndarray, has_exam: np.ndarray,
                         holds: np.ndarray) -> None:
    s.applicants, s.has_exam, s.holds_pass = applicants, has_exam, holds
    s.events.applied(applicants, s.people.level[applicants])
    s.events.exam[has_exam & holds] = ev.VALID_PASS


def exam_and_pass_lines_step(s: State) -> None:
    """4-5. Applicants without a usable pass sit; the provincial standard and the
    grassroots ratio lines decide who passes; the validity ledger records the passes."""
    if kernels_for(len(s.people)):
        from titlesim.compiled.exam import exam_and_pass_lines_step as compiled
        return compiled(s)
    p, params = s.people, s.setup.params
    takers = s.applicants[exam.sits(True, s.has_exam, s.holds_pass)]
    if len(takers) == 0:
        return
    ids = p.id[takers]
    score = exam.scores(p.ability[takers].astype(np.float64),
                        s.draws.normal(s.year, Purpose.EXAM_NOISE, ids),
                        s.draws.uniform(s.year, Purpose.ABSENT, ids), params.exam,
                        params.passline.full_marks)
    sat = ~np.isnan(score)
    at = s.events.at(takers)
    s.events.exam[at] = np.where(sat, ev.FAILED, ev.ABSENT)
    cell = s.target_cell[takers]
    s.counts.add("sat_exam", cell, sat)
    group, group_values = _ratio_groups(s, takers)
    lines = passline.set_pass_lines(score, group, s.ratio_member[takers], len(group_values),
                                    params.passline)
    s.counts.add("passed_provincial", cell, lines.person_provincial)
    s.counts.add("passed_ratio_only", cell, lines.person_ratio_only)
    until, scope = validity.new_passes(s.year, lines.person_provincial,
                                       lines.person_ratio_only, params.validity)
    passed = scope != validity.SCOPE_NONE
    s.events.exam[at[passed]] = np.where(scope[passed] == validity.SCOPE_GENERAL,
                                         ev.PASSED_PROVINCIAL, ev.PASSED_RATIO_ONLY)
    p.pass_until[takers[passed]] = until[passed]
    p.pass_scope[takers[passed]] = scope[passed]
    failed = takers[sat & ~passed]
    p.failures[failed] = np.minimum(p.failures[failed] + 1, 100)
    for g, values in enumerate(group_values):
        if lines.applied[g] > 0:
            s.lines.append((s.year, *values, int(lines.applied[g]), int(lines.sat[g]),
                            int(lines.k[g]), float(lines.line_score[g]),
                            int(lines.passed_ratio_only[g]), int(lines.passed_provincial[g])))


def _ratio_groups(s: State, takers: np.ndarray):
    """Group code of each taker by ``passline.group_by``, and each group's values."""
    setup, p = s.setup, s.people
    codes = setup.codes
    columns = {
        "series": (p.series[takers], codes.series),
        "level": (np.minimum(p.level[takers] + 1, 3), codes.levels),
        "specialty": (p.specialty[takers], codes.specialties),
        "county": (setup.units.county[p.unit[takers]], codes.counties),
    }
    by = [c for c in GROUPABLE if c in setup.params.passline.group_by]
    key = np.zeros(len(takers), dtype=np.int64)
    for c in by:
        key = key * len(columns[c][1]) + columns[c][0]
    unique, group = np.unique(key, return_inverse=True)
    values = []
    for k in unique.tolist():  # over groups, not people
        row = []
        for c in reversed(by):
            names = columns[c][1]
            row.append(names[k % len(names)])
            k //= len(names)
        values.append(tuple(reversed(row)))
    return group.reshape(-1), values


def evaluation_step(s: State) -> None:
    """6. Candidates with a usable pass (or all applicants where there is no exam) are
    judged by their route's criteria; titles are granted, directed ones (senior titles of
    the grassroots route) recorded as such."""
    if kernels_for(len(s.people)):
        from titlesim.compiled.evaluation import evaluation_step as compiled
        return compiled(s)
    p, params, setup = s.people, s.setup.params, s.setup
    a = s.applicants
    usable = validity.usable(p.pass_until[a], p.pass_scope[a], s.year, s.ratio_member[a])
    is_candidate = ~s.has_exam | usable
    c = a[is_candidate]  # candidates
    has_exam = s.has_exam[is_candidate]
    ids = p.id[c]
    chosen = route.chosen_route(s.ratio_member[c], p.attached[c], has_exam,
                                p.pass_scope[c] == validity.SCOPE_GENERAL,
                                s.draws.uniform(s.year, Purpose.ROUTE_CHOICE, ids), params.attached_units)
    route_grassroots = chosen == route.GRASSROOTS
    general, grassroots = params.evaluation.criteria["general"], params.evaluation.criteria["grassroots"]
    research = records.research_score(p.papers[c], params.records.research_saturation)
    noise = params.evaluation.noise_sd * s.draws.normal(s.year, Purpose.EVALUATION_NOISE, ids)
    ability, practice = p.ability[c].astype(np.float64), p.practice[c].astype(np.float64)
    score = np.where(route_grassroots,
                     evaluation.record_score(ability, practice, research, grassroots.weights, noise),
                     evaluation.record_score(ability, practice, research, general.weights, noise))
    threshold = np.where(route_grassroots, grassroots.threshold, general.threshold)
    conduct_ok = s.draws.uniform(s.year, Purpose.CONDUCT, ids) >= params.evaluation.conduct_fail_rate
    target = p.level[c] + 1
    evaluated, titled = evaluation.judge(
        np.ones(len(c), dtype=bool), p.series[c], score, threshold, conduct_ok,
        s.draws.uniform(s.year, Purpose.COMMITTEE_ORDER, ids),
        setup.committee_capacity, setup.committee_pass_rate_cap,
        capped=setup.committee_levels[p.series[c], target])
    is_directed = directed.is_directed(titled, chosen, target, setup.directed_by_level)
    cell = s.target_cell[c]
    s.counts.add("evaluated", cell, evaluated)
    s.counts.add("titled", cell, titled)
    s.counts.add("titled_directed", cell, is_directed)
    at = np.flatnonzero(is_candidate)
    s.events.route[at] = chosen
    s.events.result[at] = np.select([titled, evaluated], [ev.TITLED, ev.NOT_TITLED], ev.NOT_EVALUATED)
    s.events.scope[at[titled]] = np.where(is_directed[titled], 2, 1)
    failed = c[evaluated & ~titled]
    p.failures[failed] = np.minimum(p.failures[failed] + 1, 100)
    won = c[titled]
    p.level[won] += 1
    p.years_before[won] = p.years_at_level[won]
    p.years_at_level[won] = 0
    p.failures[won] = 0
    p.directed[won] = is_directed[titled]
    p.titled_year[won] = s.year
    p.waiting_since[won] = s.year
    validity.clear(p.pass_until, p.pass_scope, won[has_exam[titled]])  # consumed


def hiring_step(s: State) -> None:
    """7. Title holders without a post of their level are hired where there is a vacancy,
    in the order of :mod:`titlesim.rules.hiring_order`."""
    if kernels_for(len(s.people)):
        from titlesim.compiled.hiring import hiring_step as compiled
        return compiled(s)
    p, setup, params = s.people, s.setup, s.setup.params
    pool, unit = _pool(s), s.post_unit()
    vacancies = _vacancies(s, unit)
    waiting = (p.level > p.post_level) & (p.level >= INTERMEDIATE)
    w = np.flatnonzero(waiting)
    w = w[vacancies[pool[w], unit[w], p.level[w]] > 0]  # only where a post is free
    key = hiring_order.queue_key(params.posts.hiring_order, p.waiting_since[w], p.ability[w],
                                 p.practice[w])
    chosen = posts.hire(np.ones(len(w), dtype=bool), unit[w], p.level[w], pool[w], key,
                        s.draws.uniform(s.year, Purpose.HIRING_ORDER, p.id[w]), vacancies)
    hired = w[chosen]
    cell = p.pair[hired] * 4 + p.level[hired]
    s.counts.add("hired", cell)
    s.counts.add("waiting_years", cell, weights=hiring_order.years_waited(s.year, p.waiting_since[hired]))
    p.post_level[hired] = p.level[hired]
    s.post_pool[hired] = pool[hired]
    s.events.hired_people = hired.astype(np.int64)
    applied_hired = np.isin(s.events.applicant, hired)
    s.events.hired = applied_hired & (s.events.result == ev.TITLED)


def _vacancies(s: State, unit: np.ndarray) -> np.ndarray:
    """(pool, unit, level) -> free posts now."""
    taken = posts.occupied(unit, s.people.post_level, s.post_pool, len(s.setup.units))
    return np.maximum(s.setup.capacity - taken, 0)


def _pool(s: State) -> np.ndarray:
    separate = s.setup.params.posts.directed_quota == "separate"
    return (s.people.directed & separate).astype(np.int8)


def mobility_step(s: State) -> None:
    """8. Moves between grassroots and other units. A move is not a hire: the mover keeps
    their history; a post holder takes a vacancy of their level in the new unit, or waits
    there, counted from the move. A directed title is lost on leaving grassroots: back to
    the level before, its years restored (:mod:`titlesim.rules.directed`)."""
    if kernels_for(len(s.people)):
        from titlesim.compiled.mobility import mobility_step as compiled
        return compiled(s)
    s.posts_taken = None  # the compiled steps' table, not kept up to date here
    p, setup, params = s.people, s.setup, s.setup.params
    group = setup.destination_group[p.unit]
    moving = mobility.movers(s.u_move, p.grassroots, p.directed, params.mobility, group >= 0)
    idx = np.flatnonzero(moving)
    if len(idx) == 0:
        return
    u = s.draws.uniform(s.year, Purpose.MOBILITY_DESTINATION, p.id[idx])
    new_unit = setup.destination_unit(group[idx], u)
    new_member = route.in_ratio_groups(setup.units.grassroots[new_unit], setup.units.attached[new_unit],
                                       setup.unit_graded[new_unit],
                                       params.attached_units.join_grassroots_route)
    lose = directed.loses(np.ones(len(idx), bool), s.ratio_member[idx], new_member, p.directed[idx])
    lost = idx[lose]
    s.counts.add("directed_lost_by_move", p.pair[lost] * 4 + p.level[lost])
    level, years = directed.level_after_loss(p.level[lost], p.years_at_level[lost], p.years_before[lost])
    p.level[lost], p.years_at_level[lost] = level, np.minimum(years, 100)
    p.titled_year[lost] = s.year - p.years_at_level[lost].astype(np.int16)
    p.years_before[lost] = 0
    p.directed[lost] = False
    p.pass_scope[lost] = np.where(p.pass_scope[lost] == validity.SCOPE_GRASSROOTS,
                                  validity.SCOPE_NONE, p.pass_scope[lost])
    held_post = (p.post_level[idx] >= p.level[idx]) & (p.level[idx] >= INTERMEDIATE)
    p.post_level[idx] = 0  # the post of the old unit is left
    s.post_pool[idx] = 0
    p.unit[idx] = new_unit
    p.grassroots[idx] = setup.units.grassroots[new_unit]
    p.attached[idx] = setup.units.attached[new_unit]
    p.pair[idx] = setup.cells.person_pair(new_unit, p.specialty[idx])
    s.mark_ratio_members()
    pool, unit = _pool(s), s.post_unit()
    holders = idx[held_post]
    key = hiring_order.queue_key(params.posts.hiring_order, p.waiting_since[holders],
                                 p.ability[holders], p.practice[holders])
    takes = posts.hire(np.ones(len(holders), dtype=bool), unit[holders], p.level[holders],
                       pool[holders], key,
                       s.draws.uniform(s.year, Purpose.HIRING_ORDER, p.id[holders], salt=1),
                       _vacancies(s, unit))
    took = holders[takes]
    p.post_level[took] = p.level[took]
    s.post_pool[took] = pool[took]
    p.waiting_since[idx] = s.year  # those without a post wait from the move
    s.counts.add("moved", p.pair[idx] * 4 + p.level[idx])
    s.counts.add("moved_into_post", p.pair[took] * 4 + p.level[took])
    s.events.moved, s.events.moved_lost_directed = idx.astype(np.int64), lose
    s.events.moved_took_post = np.isin(idx, took)


def record_step(s: State) -> None:
    """9. Year-end stock: headcount, waiting, posts and vacancies, expired passes."""
    p, setup = s.people, s.setup
    taken, s.posts_taken = s.posts_taken, None  # used up: the table is this year's only
    if kernels_for(len(p)):
        from titlesim.compiled.record import year_end
        year_end(s, taken)
        return
    cell = s.held_cell()
    s.counts.add("headcount", cell)
    s.counts.add("waiting", cell, (p.level > p.post_level) & (p.level >= INTERMEDIATE))
    expiring = np.flatnonzero(validity.expiring_unused(p.pass_until, s.year))
    s.counts.add("passes_expired_unused",
                 p.pair[expiring] * 4 + np.minimum(p.level[expiring] + 1, 3))
    validity.clear(p.pass_until, p.pass_scope, expiring)
    taken = posts.occupied(s.post_unit(), p.post_level, None, len(setup.units))[0]
    capacity = setup.capacity.sum(axis=0)  # (unit, level)
    vacant = np.maximum(capacity - taken, 0)
    s.counts.add("posts", setup.unit_cells, weights=capacity.ravel().astype(np.float64))
    s.counts.add("posts_vacant", setup.unit_cells, weights=vacant.ravel().astype(np.float64))
