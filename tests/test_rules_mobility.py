"""Moves between units, and what a grassroots-directed title is worth after one.

Clause 一(二): "完善基层中小学教师'定向评价、定向使用'职称制度 ... 鼓励和吸引优秀人才向基层
一线流动": a directed title is evaluated for, and used in, grassroots units. A holder who
moves out of grassroots loses it there (``directed_on_leaving: lose``: back to the level
below), or may not move out at all (``barred``). The yearly rates of moving are
assumptions (baseline: 2 % out of grassroots, 0.5 % into it). Each case is worked by hand.
"""
from __future__ import annotations

import numpy as np
from conftest import small_scenario, totals

from titlesim import simulate
from titlesim.rules.directed import loses as loses_directed
from titlesim.rules.mobility import movers
from titlesim.scenario.schema import Mobility

LOSE = Mobility(out_of_grassroots=0.02, into_grassroots=0.005, directed_on_leaving="lose")
BARRED = LOSE.model_copy(update={"directed_on_leaving": "barred"})


def moving(u, grassroots, directed=False, can_move=True, mobility=LOSE):
    n = len(u)
    return movers(np.array(u), np.array(grassroots), np.broadcast_to(directed, n), mobility,
                  np.broadcast_to(can_move, n)).tolist()


def test_grassroots_staff_move_out_at_2_percent_and_others_in_at_half_a_percent():
    got = moving([0.01, 0.03, 0.004, 0.006], [True, True, False, False])
    assert got == [True, False, True, False]


def test_nobody_moves_where_no_unit_of_the_other_kind_exists():
    assert moving([0.0, 0.0], [True, False], can_move=False) == [False, False]


def test_a_directed_holder_may_leave_grassroots_under_lose():
    assert moving([0.01], [True], directed=True) == [True]


def test_a_directed_holder_may_not_leave_grassroots_under_barred():
    assert moving([0.01], [True], directed=True, mobility=BARRED) == [False]


def test_barred_stops_directed_holders_only():
    assert moving([0.01, 0.001], [True, False], directed=[False, True], mobility=BARRED) == [True, True]


def test_the_directed_title_is_lost_on_leaving_grassroots_only():
    moving_ = np.array([True, True, True, False, True])
    from_grassroots = np.array([True, True, False, True, True])
    to_grassroots = np.array([False, False, True, False, True])
    directed = np.array([True, False, True, True, True])
    got = loses_directed(moving_, from_grassroots, to_grassroots, directed)
    # directed leaver: loses; undirected leaver: nothing to lose; arriving in grassroots:
    # keeps; not moving: keeps; grassroots to grassroots: keeps
    assert got.tolist() == [True, False, False, False, False]


# ---------------------------------------------------------------------- in the engine
MANY_MOVE = ("mobility.out_of_grassroots=0.3",)


def test_in_the_engine_directed_titles_are_lost_on_leaving_under_lose():
    result = simulate(small_scenario(*MANY_MOVE, "mobility.directed_on_leaving=lose", size=3000))
    lost = totals(result)["directed_lost_by_move"]
    assert lost.sum() > 0
    by = result.total("directed_lost_by_move", by=("grassroots",))
    # counted where the holder was: in grassroots units, at the level they lost
    assert set(by.loc[by["value"] > 0, "grassroots"]) == {True}
    by_level = result.total("directed_lost_by_move", by=("level",))
    assert "junior" not in set(by_level.loc[by_level["value"] > 0, "level"].astype(str))


def test_in_the_engine_nobody_loses_a_directed_title_under_barred():
    result = simulate(small_scenario(*MANY_MOVE, "mobility.directed_on_leaving=barred", size=3000))
    t = totals(result)
    assert t["directed_lost_by_move"].sum() == 0
    assert t["titled_directed"].sum() > 0  # there were directed titles to lose
