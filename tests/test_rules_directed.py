"""Grassroots-directed titles are senior titles, and what a move does to a person's history.

Clause 一(二): "按照省教育厅制定的基层中小学教师高级职称评价标准 ... 完善我市基层中小学教师'定向
评价、定向使用'职称制度"; 一(三): "基层医疗卫生高级职称评价标准". Directed evaluation gives
**senior** titles; a grassroots intermediate title is a general title. A directed title
is valid in grassroots units only: a holder who moves out returns to the level held
before, with its years. A move is not a hire: the mover keeps their history, takes a
vacancy of their level in the new unit or waits there, counted from the move.
"""
from __future__ import annotations

import numpy as np
from conftest import first_year_state, small_scenario, totals

from titlesim import simulate
from titlesim.rules.directed import directed_level_table, is_directed, level_after_loss
from titlesim.rules.hiring_order import queue_key, years_waited
from titlesim.scenario.schema import LEVELS
from titlesim.steps import hiring_step, mobility_step

JUNIOR, INTERMEDIATE, DEPUTY, FULL = range(4)
# the baseline: the general route gives no directed title, the grassroots route senior ones
BASELINE_TABLE = directed_level_table([[], ["deputy_senior", "full_senior"]], LEVELS)
GENERAL_ROUTE, GRASSROOTS_ROUTE = 0, 1


def test_a_grassroots_intermediate_title_is_general_a_grassroots_senior_one_directed():
    # four titles by the grassroots route: intermediate, deputy senior, full senior; and a
    # deputy senior by the general route
    got = is_directed(np.ones(4, bool), np.array([GRASSROOTS_ROUTE] * 3 + [GENERAL_ROUTE]),
                      np.array([INTERMEDIATE, DEPUTY, FULL, DEPUTY]), BASELINE_TABLE)
    assert got.tolist() == [False, True, True, False]


def test_a_lost_directed_title_returns_the_level_before_with_its_years():
    # an intermediate doctor of 6 years obtains a directed deputy-senior title; 3 years
    # later she moves out of grassroots: intermediate again, 6 + 3 = 9 years at that level
    level, years = level_after_loss(np.array([DEPUTY]), np.array([3]), np.array([6]))
    assert level.tolist() == [INTERMEDIATE] and years.tolist() == [9]


def test_the_queue_runs_from_the_title_or_the_move():
    # A titled 2020, waiting since; B titled 2018, moved in 2023; C titled 2022: A, C, B
    key = queue_key("arrival", np.array([2020, 2023, 2022]), np.zeros(3), np.zeros(3))
    assert np.argsort(key).tolist() == [0, 2, 1]
    # B hired in 2024 has waited one year (from the move), not six (from the title)
    assert years_waited(2024, np.array([2023])).tolist() == [1.0]


def test_in_the_engine_directed_titles_are_senior_titles_only():
    result = simulate(small_scenario(size=3000, years=3))
    directed = result.total("titled_directed", by=("level",))
    assert directed["value"].sum() > 0
    assert set(directed.loc[directed["value"] > 0, "level"]) <= {"deputy_senior", "full_senior"}
    titled = result.total("titled", by=("level", "grassroots"))
    assert titled.query("level == 'intermediate' and grassroots")["value"].sum() > 0


# ------------------------------------------------------------------ moves, by hand
def _state_with_one_mover(vacancy: bool, directed: bool = False):
    """The first year's state after flows, with one grassroots deputy senior holding a
    post about to move out; every other person stays. ``vacancy``: the units outside
    grassroots have deputy-senior posts free (or none at all). College clinics and unit
    medical rooms are kept out of the grassroots route, so that every destination is
    outside it (a directed title stays valid in a unit that is in it)."""
    state = first_year_state(small_scenario("attached_units.join_grassroots_route=false", size=3000))
    p, setup = state.people, state.setup
    # a general (not directed) title: the history has made directed holders too
    candidates = np.flatnonzero(p.grassroots & (p.level == DEPUTY) & (p.post_level == DEPUTY)
                                & ~p.directed & (setup.destination_group[p.unit] >= 0))
    i = int(candidates[0])
    state.u_move = np.ones(len(p))
    state.u_move[i] = 0.0
    outside = ~setup.units.grassroots
    setup.capacity = setup.capacity.copy()
    setup.capacity[0, outside, DEPUTY] = 10_000 if vacancy else 0
    if directed:
        p.directed[i], p.years_before[i], p.years_at_level[i] = True, 6, 3
    return state, i


def test_a_post_holder_moving_to_a_unit_with_a_vacancy_waits_there_from_the_move():
    # a move is not a hire: even where posts are free the mover leaves the old post and
    # joins the new unit's queue, waiting counted from the move, history kept
    state, i = _state_with_one_mover(vacancy=True)
    p = state.people
    titled_year, years = int(p.titled_year[i]), int(p.years_at_level[i])
    mobility_step(state)
    c = totals_of(state)
    assert not p.grassroots[i] and p.post_level[i] == JUNIOR
    assert int(p.waiting_since[i]) == state.year
    assert (c["moved"], c["hired"]) == (1, 0)
    assert (int(p.titled_year[i]), int(p.years_at_level[i])) == (titled_year, years)  # history kept


def test_a_mover_is_hired_by_the_hiring_step_after_those_already_waiting():
    # the new unit has one deputy-senior post free and someone there has waited since
    # long before the move: first come first served, the one already waiting is
    # hired, the mover keeps waiting
    state, i = _state_with_one_mover(vacancy=False)
    p, setup = state.people, state.setup
    mobility_step(state)
    unit = int(p.unit[i])
    others = np.flatnonzero((p.unit == unit) & (np.arange(len(p)) != i))
    j = int(others[0])
    p.level[j], p.post_level[j], p.directed[j] = DEPUTY, INTERMEDIATE, False
    p.waiting_since[j] = state.year - 40  # ahead of anyone else waiting there
    held = int(((p.unit == unit) & (p.post_level == DEPUTY)).sum())
    setup.capacity[0, unit, DEPUTY] = held + 1
    state.year += 1
    hiring_step(state)
    assert p.post_level[j] == DEPUTY and p.post_level[i] == JUNIOR
    # posts for everyone waiting there: the mover is hired like anyone else
    setup.capacity[0, unit, DEPUTY] = 10_000
    state.year += 1
    hiring_step(state)
    assert p.post_level[i] == DEPUTY


def test_a_post_holder_moving_where_no_post_is_free_waits_counted_from_the_move():
    state, i = _state_with_one_mover(vacancy=False)
    p = state.people
    mobility_step(state)
    c = totals_of(state)
    assert p.level[i] == DEPUTY and p.post_level[i] == JUNIOR  # holds the title, waits
    assert int(p.waiting_since[i]) == state.year
    assert (c["moved"], c["hired"]) == (1, 0)


def test_a_directed_holder_moving_out_is_back_at_the_level_before_with_its_years():
    state, i = _state_with_one_mover(vacancy=True, directed=True)
    p = state.people
    mobility_step(state)
    assert (int(p.level[i]), int(p.years_at_level[i]), bool(p.directed[i])) == (INTERMEDIATE, 9, False)
    assert int(p.titled_year[i]) == state.year - 9
    assert totals_of(state)["directed_lost_by_move"] == 1


def totals_of(state) -> dict[str, int]:
    from titlesim.metrics import METRICS
    summed = state.counts.counts.sum(axis=1)
    return {name: int(summed[k]) for k, name in enumerate(METRICS)}


def test_in_the_engine_moves_are_counted_and_no_one_moves_straight_into_a_post():
    from titlesim.metrics import METRICS
    result = simulate(small_scenario(size=3000, years=3))
    t = totals(result)
    assert t["moved"].sum() > 0
    assert "moved_into_post" not in METRICS  # movers are hired by the hiring step
