"""The state of one replicate during a year: its people and the year's working columns
(docs/model.md, 一个评审年度的步骤)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from titlesim import events as ev
from titlesim.metrics import YearCounts
from titlesim.people import People
from titlesim.randomness import Draws
from titlesim.rules import route
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
    # compiled steps only: posts taken per (pool, unit, level), flat, counted by the first
    # hiring step, then kept from year to year: hiring and mobility update it, the flows
    # take the leavers' posts off and add the arrivals' junior posts
    # (:func:`titlesim.compiled.hiring.flows_posts`), the record step reads it; nothing
    # else moves posts. None: counted again by the next step that needs it
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
