"""Hiring into posts under the post structure (岗位结构比例).

A title and a post are separate (评聘分开): a new title holder is hired into a post of
that level only where the unit has a vacancy; otherwise they hold the title and wait,
first come first served (``hiring_order: arrival``) or best record first (``merit``).
Grassroots-directed titles (一(二) "定向评价、定向使用") use the unit's ordinary posts or a
separate quota (``directed_quota``). Each case is worked by hand.
"""
from __future__ import annotations

import numpy as np
from conftest import small_scenario, totals
from hypothesis import given, settings
from hypothesis import strategies as st

from titlesim import simulate
import pytest

from titlesim.rules.posts import (fit_to_posts, hire, levels_without_posts, occupied, post_capacity,
                                  post_holders)
from titlesim.scenario.schema import LEVELS
from titlesim.setup import PostsWarning
from titlesim.setup import prepare

JUNIOR, INTERMEDIATE, DEPUTY, FULL = range(4)


def vacancies(*per_unit_level, pools=1):
    """(pool, unit, level) vacancies from {(pool, unit, level): n}."""
    n_units = 1 + max(k[1] for k in per_unit_level[0]) if per_unit_level[0] else 1
    v = np.zeros((2, n_units, 4), dtype=np.int64)
    for (pool, unit, level), n in per_unit_level[0].items():
        v[pool, unit, level] = n
    return v


def hired(unit, level, queue_key, u, free, pool=None):
    n = len(unit)
    return hire(np.ones(n, bool), np.array(unit), np.array(level), 
                np.zeros(n, np.int8) if pool is None else np.array(pool, dtype=np.int8),
                np.array(queue_key, dtype=float), np.array(u, dtype=float), vacancies(free)).tolist()


# -------------------------------------------------------------------- the structure
def test_a_unit_alone_in_its_county_gets_its_share_rounded_half_up():
    # a township centre of 22 staff: 0.30 x 22 = 6.6 -> 7 intermediate, 0.07 x 22 = 1.54 -> 2
    # deputy senior, 0.01 x 22 = 0.22 -> 0 full senior; a county hospital of 180 (another
    # county): 0.13 x 180 = 23.4 -> 23 deputy senior
    structure = np.array([[0, 0.30, 0.07, 0.01], [0, 0.38, 0.13, 0.03]])
    got = post_capacity(np.array([22, 180]), np.array([0, 1]), np.array([0, 1]), structure)
    assert got.tolist() == [[0, 7, 2, 0], [0, 68, 23, 5]]


def test_a_small_units_share_is_not_rounded_away_the_county_allocates_it():
    # "posts equal share x establishment within one post": ten township centres of 22 staff
    # in one county, full senior share 0.01: each centre is worth 0.22 of a post (0 when
    # rounded alone), the county 2.2 -> 2 posts, on the two centres listed first (equal
    # remainders); deputy senior 0.07: 1.54 each, 15.4 -> 15: every centre 1, then the five
    # largest remainders (all 0.54) one more
    structure = np.array([[0, 0.30, 0.07, 0.01]])
    got = post_capacity(np.full(10, 22), np.zeros(10, int), np.zeros(10, int), structure)
    assert got[:, FULL].tolist() == [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    assert got[:, DEPUTY].tolist() == [2, 2, 2, 2, 2, 1, 1, 1, 1, 1]
    assert got[:, INTERMEDIATE].sum() == 66  # 6.6 x 10


def test_the_larger_remainder_gets_the_post():
    # two centres in one county, 30 and 20 staff, full senior 0.01: 0.3 and 0.2 -> 0.5 rounds
    # half up to 1 post, which goes to the larger remainder (the 30-staff centre)
    got = post_capacity(np.array([20, 30]), np.zeros(2, int), np.zeros(2, int),
                        np.array([[0, 0, 0, 0.01]]))
    assert got[:, FULL].tolist() == [0, 1]


def test_units_of_other_types_are_allocated_apart():
    # two types in one county, 22 staff each, full senior 0.01: each type's 0.22 -> 0
    got = post_capacity(np.array([22, 22]), np.array([0, 1]), np.zeros(2, int),
                        np.array([[0, 0, 0, 0.01], [0, 0, 0, 0.01]]))
    assert got[:, FULL].tolist() == [0, 0]


def test_a_share_spread_thin_over_the_counties_is_not_rounded_away():
    # three college clinics of 20 staff, one in each of three counties, full senior 0.02:
    # each county's 0.4 rounded alone is 0 (the old per-county rounding); the city's 1.2
    # rounds to 1 post, placed on the county listed first (equal remainders)
    got = post_capacity(np.full(3, 20), np.zeros(3, int), np.arange(3), np.array([[0, 0, 0, 0.02]]))
    assert got[:, FULL].tolist() == [1, 0, 0]
    # five counties: 0.6 and 0.7 in two, 0.4 in three: 2.5 -> 3 posts: one for each of
    # the two larger counties, the third for the first of the 0.4s (largest remainders)
    got = post_capacity(np.array([30, 35, 20, 20, 20]), np.zeros(5, int), np.arange(5),
                        np.array([[0, 0, 0, 0.02]]))
    assert got[:, FULL].tolist() == [1, 1, 1, 0, 0]


def test_county_pooling_puts_the_countys_posts_in_one_pool():
    # allocation: county_pool for centres: the county's 2 full senior posts are one pool,
    # held by the first centre; every centre of the county uses that pool
    pooled = np.array([True, True, True, False])
    county, unit_type = np.array([0, 0, 0, 0]), np.array([0, 0, 0, 1])
    got = post_capacity(np.array([100, 60, 40, 50]), unit_type, county,
                        np.array([[0, 0, 0, 0.01], [0, 0, 0, 0.02]]), pooled)
    assert got[:, FULL].tolist() == [2, 0, 0, 1]
    assert post_holders(county, unit_type, pooled).tolist() == [0, 0, 0, 3]


def test_a_level_with_a_share_but_no_post_is_reported():
    # one unit medical room of 4 staff in each of five counties: deputy senior 0.10 x 4 x 5
    # = 2 posts; full senior 0.001 x 20 = 0.02, under half a post in the city: no post
    # anywhere, so the scenario's user is warned
    structure = np.array([[0, 0.35, 0.10, 0.001]])
    capacity = post_capacity(np.full(5, 4), np.zeros(5, int), np.arange(5), structure)
    assert capacity[:, DEPUTY].sum() == 2
    assert levels_without_posts(capacity, np.zeros(5, int), structure) == [(0, FULL)]
    loaded = small_scenario("posts.structure.unit_medical_room.full_senior=0.001", size=3000)
    with pytest.warns(PostsWarning, match="单位医务室"):
        prepare(loaded.params, loaded.params.seed)


def test_a_share_of_0_where_staff_hold_the_level_is_reported():
    # a share of 0 gives no post; where staff of that type hold the level they (and anyone
    # titled there) wait for ever, which the user is told; no one holding it: no warning
    structure = np.array([[0, 0.35, 0.10, 0.0]])
    capacity = post_capacity(np.full(5, 4), np.zeros(5, int), np.arange(5), structure)
    held = np.array([[10, 6, 2, 1]])
    assert levels_without_posts(capacity, np.zeros(5, int), structure, held) == [(0, FULL)]
    assert levels_without_posts(capacity, np.zeros(5, int), structure, held * [1, 1, 1, 0]) == []
    loaded = small_scenario("posts.structure.unit_medical_room.full_senior=0", size=40000)
    with pytest.warns(PostsWarning, match="单位医务室的正高级岗位比例为0，但该类单位有"):
        prepare(loaded.params, loaded.params.seed)


def test_the_baseline_warns_of_no_level_without_posts(baseline_scenario):
    # every (unit type, level) with staff or a share has a post at the baseline's size:
    # unit medical rooms have full-senior posts (一(三) 通过后可聘用到相应岗位)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error", PostsWarning)
        setup = prepare(baseline_scenario.params, baseline_scenario.params.seed)
    medical_room = setup.units.unit_type == setup.codes.unit_types.index("unit_medical_room")
    assert setup.capacity[0][medical_room, FULL].sum() == 8  # 0.01 x 760 staff = 7.6


def test_at_4000_people_college_clinics_keep_their_full_senior_post():
    # 0.02 x 46 staff spread over the counties = 0.9 of a post: 1, not 0 with a warning
    loaded = small_scenario(size=4000)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error", PostsWarning)
        setup = prepare(loaded.params, loaded.params.seed)
    clinic = setup.units.unit_type == setup.codes.unit_types.index("college_clinic")
    assert setup.capacity[0][clinic, FULL].sum() == 1


def test_on_the_baseline_the_citys_posts_are_its_share_within_half_a_post(baseline_scenario):
    """Point 1 on the shipped baseline: per unit type and level, the city's posts are
    share x establishment within half a post, each county's within one post; small
    units' shares are not rounded away, even spread thin over the counties."""
    params = baseline_scenario.params
    setup = prepare(params, params.seed)
    units, codes, capacity = setup.units, setup.codes, setup.capacity[0]
    city = {}
    for t, name in enumerate(codes.unit_types):
        for level in (INTERMEDIATE, DEPUTY, FULL):
            share = params.posts.structure[name].get(LEVELS[level], 0.0)
            for county in range(len(codes.counties)):
                m = (units.unit_type == t) & (units.county == county)
                exact = units.establishment[m].sum() * share
                assert abs(capacity[m, level].sum() - exact) < 1, (name, level, county)
            m = units.unit_type == t
            city[name, level] = (int(capacity[m, level].sum()), units.establishment[m].sum() * share)
            assert abs(city[name, level][0] - city[name, level][1]) <= 0.5 + 1e-9, (name, level)
    # college clinics' full-senior share is worth 9.1 posts: 9 (rounding per county gave 6)
    assert city["college_clinic", FULL][0] == 9


def test_occupied_posts_are_counted_per_unit_and_level():
    taken = occupied(np.array([0, 0, 1, 1]), np.array([2, 2, 1, 0]), None, 2)
    assert taken[0].tolist() == [[0, 0, 2, 0], [1, 1, 0, 0]]


# -------------------------------------------------------------------------- hiring
def test_with_two_vacancies_the_two_earliest_titled_are_hired():
    # arrival order: titled 2020, 2022, 2021, 2020; two deputy-senior posts free
    got = hired([0] * 4, [DEPUTY] * 4, [2020, 2022, 2021, 2020], [0.5, 0.1, 0.2, 0.3],
                {(0, 0, DEPUTY): 2})
    assert got == [True, False, False, True]


def test_at_a_tie_the_tie_break_draw_decides():
    # one post, two titled in 2020: the smaller draw (0.3) goes first
    got = hired([0, 0, 0], [DEPUTY] * 3, [2020, 2020, 2021], [0.5, 0.3, 0.0], {(0, 0, DEPUTY): 1})
    assert got == [False, True, False]


def test_by_merit_the_best_record_goes_first():
    # queue key is minus the record: records 0.2, 1.5, -0.3 -> the 1.5 first
    got = hired([0] * 3, [INTERMEDIATE] * 3, [-0.2, -1.5, 0.3], [0.1, 0.9, 0.5],
                {(0, 0, INTERMEDIATE): 1})
    assert got == [False, True, False]


def test_no_vacancy_no_hire_and_everyone_when_posts_suffice():
    assert hired([0, 0], [DEPUTY] * 2, [2020, 2021], [0.1, 0.2], {(0, 0, DEPUTY): 0}) == [False, False]
    assert hired([0, 0], [DEPUTY] * 2, [2020, 2021], [0.1, 0.2], {(0, 0, DEPUTY): 5}) == [True, True]


def test_units_and_levels_have_their_own_vacancies():
    # unit 0 has one deputy post, unit 1 one intermediate post
    got = hired([0, 0, 1, 1], [DEPUTY, DEPUTY, DEPUTY, INTERMEDIATE], [2020, 2021, 2020, 2020],
                [0.1] * 4, {(0, 0, DEPUTY): 1, (0, 1, INTERMEDIATE): 1})
    assert got == [True, False, False, True]


def test_a_separate_directed_quota_is_used_by_directed_titles_only():
    # no ordinary deputy post free, one directed one: only the directed holder is hired,
    # though the other was titled earlier
    got = hired([0, 0], [DEPUTY, DEPUTY], [2020, 2022], [0.1, 0.2],
                {(0, 0, DEPUTY): 0, (1, 0, DEPUTY): 1}, pool=[0, 1])
    assert got == [False, True]


# ------------------------------------------------------------- the starting workforce
def test_at_the_start_the_most_recently_titled_wait_in_a_post_lower_down():
    # one unit: 1 deputy post, 2 intermediate posts; deputies with 5 and 1 years, and
    # intermediates with 3 and 8 years. The deputy with 1 year waits in an intermediate
    # post (which they held first); the 2 intermediate posts go to that deputy and the
    # intermediate of 8 years; the intermediate of 3 years waits in a junior post.
    capacity = np.zeros((2, 1, 4), dtype=np.int64)
    capacity[0, 0, INTERMEDIATE], capacity[0, 0, DEPUTY] = 2, 1
    level = np.array([DEPUTY, DEPUTY, INTERMEDIATE, INTERMEDIATE], dtype=np.int8)
    got = fit_to_posts(np.zeros(4, dtype=np.int32), level, level.copy(),
                       np.array([5, 1, 3, 8], dtype=np.int8), np.zeros(4, np.int8), capacity)
    assert got.tolist() == [DEPUTY, INTERMEDIATE, JUNIOR, INTERMEDIATE]


def test_at_the_start_nobody_moves_where_posts_suffice():
    capacity = np.zeros((2, 1, 4), dtype=np.int64)
    capacity[0, 0, 1:] = 5
    level = np.array([FULL, DEPUTY, INTERMEDIATE, JUNIOR], dtype=np.int8)
    got = fit_to_posts(np.zeros(4, dtype=np.int32), level, level.copy(), np.ones(4, np.int8),
                       np.zeros(4, np.int8), capacity)
    assert got.tolist() == level.tolist()


# ---------------------------------------------------------------------- in the engine
def test_a_separate_quota_has_posts_only_where_directed_titles_are_held():
    """Directed titles are granted in the grassroots route (grassroots units, and college
    clinics and unit medical rooms when they join it): a city hospital has no directed
    posts to offer."""
    for join in (True, False):
        loaded = small_scenario("posts.directed_quota=separate",
                                f"attached_units.join_grassroots_route={join}", size=3000)
        setup = prepare(loaded.params, loaded.params.seed)
        units = setup.units
        holds_directed = units.grassroots | (units.attached & join)
        directed_posts = setup.capacity[1].sum(axis=1)
        assert (directed_posts[~holds_directed] == 0).all()
        assert (directed_posts[holds_directed] > 0).any()


def test_a_separate_quota_adds_posts_to_grassroots_units_only():
    ordinary = simulate(small_scenario(size=3000, replicates=1))
    separate = simulate(small_scenario("posts.directed_quota=separate", size=3000, replicates=1))

    def posts_by_grassroots(result):
        p = result.total("posts", by=("grassroots",))
        return p[p["year"] == 2022].set_index("grassroots")["value"]

    a, b = posts_by_grassroots(ordinary), posts_by_grassroots(separate)
    assert b[True] > a[True]
    # non-grassroots units gain only the college clinics' and medical rooms' directed posts
    assert b[False] - a[False] < b[True] - a[True]


def test_in_the_engine_titles_wait_when_posts_are_full():
    """With no deputy-senior posts at all, nobody is ever hired as deputy senior and every
    new deputy senior waits."""
    structure = ",".join(f"posts.structure.{t}.deputy_senior=0" for t in (
        "city_hospital", "county_hospital", "township_health_centre", "community_health_centre",
        "college_clinic", "unit_medical_room", "urban_school", "rural_school", "enterprise",
        "economic_unit"))
    result = simulate(small_scenario(*structure.split(","), size=2000))
    hired_ = result.total("hired", by=("level",))
    assert hired_[hired_["level"] == "deputy_senior"]["value"].sum() == 0
    titled = result.total("titled", by=("level",))
    waiting = result.total("waiting", by=("level",))
    assert titled[titled["level"] == "deputy_senior"]["value"].sum() > 0
    last = waiting[(waiting["level"] == "deputy_senior") & (waiting["year"] == 2024)]["value"]
    assert (last > 0).all()
    assert totals(result)["hired"].sum() > 0  # other levels still hire


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_each_unit_level_hires_the_head_of_its_queue_up_to_its_vacancies(data):
    n = data.draw(st.integers(1, 40))
    unit = np.array(data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))
    level = np.array(data.draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    pool = np.array(data.draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    key = np.array(data.draw(st.lists(st.integers(2015, 2022), min_size=n, max_size=n)), dtype=float)
    # distinct draws (a draw has 53 bits; the sort key keeps the first ~40 of them)
    u = np.array(data.draw(st.lists(st.integers(0, 2**20 - 1), min_size=n, max_size=n,
                                    unique=True))) / 2**20
    free = np.array(data.draw(st.lists(st.integers(0, 4), min_size=24, max_size=24))).reshape(2, 3, 4)
    got = hire(np.ones(n, bool), unit, level, pool, key, u, free)
    for c in set(zip(pool.tolist(), unit.tolist(), level.tolist())):
        queue = (pool == c[0]) & (unit == c[1]) & (level == c[2])
        assert got[queue].sum() == min(queue.sum(), free[c])
        # nobody left waiting is ahead of someone hired: earlier key, or same key, smaller draw
        for i in np.flatnonzero(queue & got):
            for j in np.flatnonzero(queue & ~got):
                assert (key[i], u[i]) < (key[j], u[j])


def test_in_the_engine_a_county_pool_is_never_overfilled():
    """``allocation: county_pool``: the township centres of a county share one pool of posts;
    after each year's hiring (seen before the moves) and moves (seen the next year, before
    the exam), no pool holds more people than its posts."""
    from titlesim.engine import run_replicate
    loaded = small_scenario("posts.allocation=county_pool", size=4000, years=3)
    setup = prepare(loaded.params, loaded.params.seed)
    pooled_types = [setup.codes.unit_types.index(t) for t in loaded.params.posts.pooled_unit_types]
    pooled = np.isin(setup.units.unit_type, pooled_types)
    assert (setup.post_holder[pooled] != np.flatnonzero(pooled)).any()  # pools of several units
    assert (setup.capacity[0][pooled & (setup.post_holder != np.arange(len(pooled)))] == 0).all()
    seen = []

    def check(step, state):
        if step in ("exam", "mobility"):
            taken = occupied(state.post_unit(), state.people.post_level, state.post_pool, len(setup.units))
            seen.append(bool((taken[:, :, 1:] <= setup.capacity[:, :, 1:]).all()))
    run_replicate(setup, 0, observe=check)
    assert seen == [True] * 6
