"""Step 9, the year-end record (docs/model.md). :mod:`titlesim.compiled.record` does the
same in one compiled pass."""
from __future__ import annotations

import numpy as np

from titlesim.people import INTERMEDIATE
from titlesim.rules import posts, validity
from titlesim.sizes import kernels_for
from titlesim.steps.state import State


def record_step(s: State) -> None:
    """9. Year-end stock: headcount, waiting, posts and vacancies, expired passes."""
    p, setup = s.people, s.setup
    taken = s.posts_taken  # kept for next year (State.posts_taken)
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
    capacity = setup.posts_per_unit_level
    vacant = np.maximum(capacity - taken, 0)
    s.counts.add("posts", setup.unit_cells, weights=capacity.ravel().astype(np.float64))
    s.counts.add("posts_vacant", setup.unit_cells, weights=vacant.ravel().astype(np.float64))
