"""Invariants of the simulation over random scenarios (hypothesis).

Whatever the criteria, in every year and replicate:

* people are conserved: headcount = last year's (or the starting workforce) + entrants
  + transfers in - retirements - other exits;
* the funnel narrows: passed (provincial + ratio only) <= sat the exam <= applied <=
  eligible, evaluated <= applied, titled <= evaluated, directed titles <= titles, in
  every cell (a cell is one level sought in one unit group and specialty);
* hiring never exceeds the posts (岗位结构比例): a unit hires at a level no more people
  than it had vacant posts, and after hiring no unit holds more people in posts of a
  level than its structure gives it (also with a separate directed quota, and at the start);
* no pass is used outside its window (成绩三年有效: exam year to exam year + years - 1);
* every count is non-negative; waiting >= 0.
"""
from __future__ import annotations

import os
import unittest.mock

import numpy as np
from conftest import ROOT, small_scenario, totals
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from titlesim import load_scenario, simulate
from titlesim.engine import run_replicate
from titlesim.metrics import M, METRICS
from titlesim.people import INTERMEDIATE
from titlesim.rules import posts, validity
from titlesim.setup import prepare

GROUPABLE = ["series", "level", "specialty", "county"]


@st.composite
def scenarios(draw):
    """A small random scenario: the baseline with the criteria a revision may change, as
    ``--set`` overrides."""
    group_by = draw(st.lists(st.sampled_from(GROUPABLE), unique=True, max_size=4))
    floor = draw(st.one_of(st.none(), st.sampled_from([40, 50, 55, 70])))
    overrides = [
        f"passline.ratio={draw(st.sampled_from([0, 0.1, 0.3, 0.5, 0.6, 0.85, 1]))}",
        f"passline.ratio_base={draw(st.sampled_from(['applied', 'sat']))}",
        f"passline.rounding={draw(st.sampled_from(['ceil', 'floor', 'half_up']))}",
        f"passline.ties={draw(st.sampled_from(['include', 'cap']))}",
        f"passline.floor={'null' if floor is None else floor}",
        f"passline.group_by=[{', '.join(group_by)}]",
        f"validity.years={draw(st.integers(1, 5))}",
        f"validity.ratio_only_years={draw(st.integers(1, 5))}",
        f"posts.directed_quota={draw(st.sampled_from(['ordinary', 'separate']))}",
        f"posts.hiring_order={draw(st.sampled_from(['arrival', 'merit']))}",
        f"mobility.directed_on_leaving={draw(st.sampled_from(['lose', 'barred']))}",
        f"attached_units.join_grassroots_route={draw(st.booleans())}",
        f"seed={draw(st.integers(0, 2**32))}",
        f"population.size={draw(st.integers(500, 3000))}",
        f"horizon.years={draw(st.integers(2, 4))}",
        f"replicates={draw(st.integers(1, 2))}",
    ]
    return overrides  # a falsifying example prints as the --set list that reproduces it


RANDOM_SCENARIOS = settings(max_examples=15, deadline=None,
                            suppress_health_check=[HealthCheck.too_slow])


def histories_in_memory():
    """Each random scenario's history is computed for one example and never asked for
    again: keep it in this process's memory only, not in the disk cache the test session
    shares (writing it cost about a fifth of these tests' CPU)."""
    return unittest.mock.patch.dict(os.environ, {"TITLESIM_CACHE_DIR": "off"})


def cell_counts(result, metric: str) -> np.ndarray:
    """(replicate, year, cell) counts of one metric."""
    return result.counts[:, :, M[metric], :].astype(np.int64)


# ------------------------------------------------------------------ from the outputs
@RANDOM_SCENARIOS
@given(scenarios())
def test_people_are_conserved_every_year(overrides):
    loaded = small_scenario(*overrides)
    with histories_in_memory():
        setup = prepare(loaded.params, loaded.params.seed)
        result = simulate(loaded, setup=setup)
    t = totals(result)
    before = np.concatenate([np.full((result.replicates, 1), len(setup.people)),
                             t["headcount"][:, :-1]], axis=1)
    expected = before + t["entrants"] + t["transfers_in"] - t["exits_retired"] - t["exits_other"]
    np.testing.assert_array_equal(t["headcount"], expected)


@RANDOM_SCENARIOS
@given(scenarios())
def test_the_funnel_narrows_in_every_cell(overrides):
    with histories_in_memory():
        result = simulate(small_scenario(*overrides))
    c = {name: cell_counts(result, name) for name in METRICS}
    assert (result.counts >= 0).all()
    assert (c["passed_provincial"] + c["passed_ratio_only"] <= c["sat_exam"]).all()
    assert (c["sat_exam"] <= c["applied"]).all()
    assert (c["applied"] <= c["eligible"]).all()
    assert (c["valid_passes_held"] <= c["applied"]).all()
    assert (c["evaluated"] <= c["applied"]).all()
    assert (c["titled"] <= c["evaluated"]).all()
    assert (c["titled_directed"] <= c["titled"]).all()
    assert (c["recognised"] <= c["transfers_in"]).all()
    assert (c["waiting"] <= c["headcount"]).all()
    assert (c["posts_vacant"] <= c["posts"]).all()
    # the same by year, summed over cells
    t = totals(result)
    assert (t["passed_provincial"] + t["passed_ratio_only"] <= t["sat_exam"]).all()
    assert (t["sat_exam"] <= t["applied"]).all() and (t["applied"] <= t["eligible"]).all()


@RANDOM_SCENARIOS
@given(scenarios())
def test_hires_never_exceed_the_posts_of_a_unit_group_and_level(overrides):
    with histories_in_memory():
        result = simulate(small_scenario(*overrides))
    table = result.cells.table
    # one (county, unit type, level) group per cell; posts sit on the unit-level cells
    group = table.groupby(["county", "unit_type", "level"], observed=True).ngroup().to_numpy()
    n = group.max() + 1
    for r in range(result.replicates):
        for y in range(len(result.years)):
            hired = np.bincount(group, weights=result.counts[r, y, M["hired"]], minlength=n)
            posts_ = np.bincount(group, weights=result.counts[r, y, M["posts"]], minlength=n)
            assert (hired <= posts_).all()


# ------------------------------------------------------------------- validity windows
def test_with_one_year_validity_no_pass_is_ever_carried_into_a_later_year():
    """validity.years 1 and ratio_only_years 1: a pass counts in its exam year only, so no
    applicant ever holds a valid pass from an earlier year, once the passes of the
    history (three years valid under the base's rules: 2020 and 2021 exams) are gone."""
    result = simulate(small_scenario("validity.years=1", "validity.ratio_only_years=1",
                                     size=3000, years=4))
    t = totals(result)
    assert (t["valid_passes_held"][:, 2:] == 0).all()
    assert t["valid_passes_held"][:, :2].sum() > 0  # from the history, valid till 2023
    assert t["passed_provincial"].sum() > 0  # passes there were, none carried over


def test_with_three_year_validity_passes_are_carried_into_later_years():
    result = simulate(small_scenario("validity.years=3", size=3000, years=4))
    t = totals(result)
    assert (t["valid_passes_held"] > 0).all()  # the history's 2020-2021 passes, then the horizon's
    drawn = simulate(small_scenario("validity.years=3", "history.years=0", size=3000, years=4))
    assert (totals(drawn)["valid_passes_held"][:, 0] == 0).all()  # a drawn workforce holds none


# --------------------------------------------------------------- inside the year loop
class Observer:
    """Checks, inside the loop, what the outputs cannot show."""

    def __init__(self, setup):
        self.setup = setup
        self.capacity = setup.capacity  # (pool, unit, level)
        self.problems = []
        self.candidates_checked = 0
        self.hires = 0

    def occupied_total(self, people):
        return posts.occupied(people.unit, people.post_level, None, len(self.setup.units))[0]

    def __call__(self, step, state):
        """The engine's ``observe`` hook: called just before a step."""
        p = state.people
        if step == "evaluation":
            self.check_passes_in_window(state)
            return
        if step == "hiring":
            self.before = {"post_level": p.post_level.copy(), "occupied": self.occupied_total(p)}
            return
        if step != "mobility":
            return
        before = self.before
        # after hiring: hires per (unit, level) within the vacancies before hiring, both
        # quotas together (a separate directed quota adds to the unit's posts)
        new = np.flatnonzero(p.post_level != before["post_level"])
        self.hires += len(new)
        total_capacity = self.capacity.sum(axis=0)
        hired = np.zeros_like(total_capacity)
        np.add.at(hired, (p.unit[new], p.level[new]), 1)
        vacant_before = np.maximum(total_capacity - before["occupied"], 0)
        if (hired > vacant_before).any():
            self.problems.append((state.year, "more hired than vacant posts"))
        after = self.occupied_total(p)[:, INTERMEDIATE:]
        if (after > total_capacity[:, INTERMEDIATE:]).any():
            self.problems.append((state.year, "posts over the structure after hiring"))

    def check_passes_in_window(self, state):
        """Every candidate of an exam level who will be evaluated holds a pass from an exam
        year y within its window, y <= year <= y + years - 1, that is
        year <= pass_until <= year + years - 1 (``years`` of the pass's scope)."""
        p, v = state.people, self.setup.params.validity
        a = state.applicants
        c = a[state.has_exam & validity.usable(p.pass_until[a], p.pass_scope[a], state.year,
                                                state.ratio_member[a])]
        until = p.pass_until[c].astype(np.int64)
        years = np.where(p.pass_scope[c] == validity.SCOPE_GENERAL, v.years, v.ratio_only_years)
        self.candidates_checked += len(c)
        if ((until < state.year) | (until > state.year + years - 1)).any():
            self.problems.append((state.year, "a pass used outside its window"))


@RANDOM_SCENARIOS
@given(scenarios())
def test_inside_the_loop_hires_fit_the_posts_and_passes_their_windows(overrides):
    loaded = small_scenario(*overrides)
    with histories_in_memory():
        setup = prepare(loaded.params, loaded.params.seed)
    observer = Observer(setup)
    counts, _ = run_replicate(setup, 0, observe=observer)
    engine_counts, _ = run_replicate(setup, 0)
    np.testing.assert_array_equal(counts, engine_counts)  # observing changes nothing
    assert observer.problems == []
    assert observer.hires > 0


def test_the_starting_workforce_fits_the_post_structure():
    """At the start no unit holds more people in posts of a level than its structure
    allows (the most recently titled wait, in a post lower down)."""
    loaded = small_scenario(size=3000)
    setup = prepare(loaded.params, loaded.params.seed)
    p = setup.people
    occupied = posts.occupied(p.unit, p.post_level, None, len(setup.units))[0]
    total_capacity = setup.capacity.sum(axis=0)
    over = occupied[:, INTERMEDIATE:] > total_capacity[:, INTERMEDIATE:]
    assert not over.any(), f"{int(over.sum())} unit levels over their posts"
    assert ((p.level > p.post_level) & (p.level >= INTERMEDIATE)).any()  # some wait


def test_a_separate_directed_quota_never_overfills_a_units_posts():
    """scenarios/directed-separate-quota.yaml: directed titles have posts of their own.
    A directed holder waiting for a higher post still sits in a post lower down, which
    must count against the unit's posts, so that hiring never fills more posts than the
    unit has."""
    loaded = load_scenario(ROOT / "scenarios" / "directed-separate-quota.yaml",
                           ["population.size=3000", "horizon.years=5"])
    setup = prepare(loaded.params, loaded.params.seed)
    observer = Observer(setup)
    run_replicate(setup, 0, observe=observer)
    assert observer.problems == []
    assert observer.hires > 0 and observer.candidates_checked > 0
