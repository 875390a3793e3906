"""Step 8, mobility between grassroots and other units (docs/model.md).
:mod:`titlesim.compiled.mobility` does the same in compiled passes."""
from __future__ import annotations

import numpy as np

from titlesim.randomness import Purpose
from titlesim.rules import directed, mobility, route, validity
from titlesim.sizes import kernels_for
from titlesim.steps.state import State


def mobility_step(s: State) -> None:
    """8. Moves between grassroots and other units. A move is not a hire: the mover keeps
    their history and leaves the post of the old unit; a title holder joins the new unit's
    queue for a post of their level, waiting counted from the move, and is hired by the
    next hiring step like everyone else (:mod:`titlesim.steps.hiring`). A directed title
    is lost on leaving grassroots: back to the level before, its years restored
    (:mod:`titlesim.rules.directed`)."""
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
    p.post_level[idx] = 0  # the post of the old unit is left
    s.post_pool[idx] = 0
    p.unit[idx] = new_unit
    p.grassroots[idx] = setup.units.grassroots[new_unit]
    p.attached[idx] = setup.units.attached[new_unit]
    p.pair[idx] = setup.cells.person_pair(new_unit, p.specialty[idx])
    s.mark_ratio_members()
    p.waiting_since[idx] = s.year  # a title holder waits for a post there, counted from the move
    s.counts.add("moved", p.pair[idx] * 4 + p.level[idx])
    s.events.moved, s.events.moved_lost_directed = idx.astype(np.int64), lose
