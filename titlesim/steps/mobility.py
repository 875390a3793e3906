"""Step 8, mobility between grassroots and other units (docs/model.md).
:mod:`titlesim.compiled.mobility` does the same in compiled passes."""
from __future__ import annotations

import numpy as np

from titlesim.people import INTERMEDIATE
from titlesim.randomness import Purpose
from titlesim.rules import directed, hiring_order, mobility, posts, route, validity
from titlesim.sizes import kernels_for
from titlesim.steps.hiring import free_posts, post_pools
from titlesim.steps.state import State


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
    pool, unit = post_pools(s), s.post_unit()
    holders = idx[held_post]
    key = hiring_order.queue_key(params.posts.hiring_order, p.waiting_since[holders],
                                 p.ability[holders], p.practice[holders])
    takes = posts.hire(np.ones(len(holders), dtype=bool), unit[holders], p.level[holders],
                       pool[holders], key,
                       s.draws.uniform(s.year, Purpose.HIRING_ORDER, p.id[holders], salt=1),
                       free_posts(s, unit))
    took = holders[takes]
    p.post_level[took] = p.level[took]
    s.post_pool[took] = pool[took]
    p.waiting_since[idx] = s.year  # those without a post wait from the move
    s.counts.add("moved", p.pair[idx] * 4 + p.level[idx])
    s.counts.add("moved_into_post", p.pair[took] * 4 + p.level[took])
    s.events.moved, s.events.moved_lost_directed = idx.astype(np.int64), lose
    s.events.moved_took_post = np.isin(idx, took)
