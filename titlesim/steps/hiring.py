"""Step 7, hiring into posts (docs/model.md). :mod:`titlesim.compiled.hiring` does the
same in compiled passes."""
from __future__ import annotations

import numpy as np

from titlesim import events as ev
from titlesim.people import INTERMEDIATE
from titlesim.randomness import Purpose
from titlesim.rules import hiring_order, posts
from titlesim.sizes import kernels_for
from titlesim.steps.state import State


def hiring_step(s: State) -> None:
    """7. Title holders without a post of their level are hired where there is a vacancy,
    in the order of :mod:`titlesim.rules.hiring_order`."""
    if kernels_for(len(s.people)):
        from titlesim.compiled.hiring import hiring_step as compiled
        return compiled(s)
    s.posts_taken = None  # the compiled steps' table, not kept up to date here
    p, params = s.people, s.setup.params
    pool, unit = post_pools(s), s.post_unit()
    vacancies = free_posts(s, unit)
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


def free_posts(s: State, unit: np.ndarray) -> np.ndarray:
    """(pool, unit, level) -> free posts now."""
    taken = posts.occupied(unit, s.people.post_level, s.post_pool, len(s.setup.units))
    return np.maximum(s.setup.capacity - taken, 0)


def post_pools(s: State) -> np.ndarray:
    """Per person, the quota a post of theirs is taken from: 1 for a directed holder where
    directed titles have their own quota, else 0."""
    separate = s.setup.params.posts.directed_quota == "separate"
    return (s.people.directed & separate).astype(np.int8)
