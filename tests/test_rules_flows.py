"""Clause 一(五): "从省外、中直驻晋单位流动或军队转业安置到我市单位工作的专业技术人员 ...
原评审取得的高级职称由市人社局负责认定，中、初级职称按照属地原则由各级人社部门负责认定。"

People arrive with titles held elsewhere and have them recognised (认定); the other
flows of the year (retirement at the ages the scenario states, other exits, new juniors
filling what leavers left) are assumptions of the scenario. Each case is worked by hand.
"""
from __future__ import annotations

import numpy as np
from conftest import first_year_state, small_scenario, totals
from hypothesis import given, settings
from hypothesis import strategies as st

from titlesim import simulate
from titlesim.metrics import METRICS
from titlesim.people import DEPUTY_SENIOR, FULL_SENIOR
from titlesim.engine import run_replicate
from titlesim.history import rules_before_start
from titlesim.rules.flows import (entrants_per_unit, establishment_target, leaving, recognised,
                                  retiring, transfers_count)
from titlesim.scenario.schema import Entrants, RetirementAge, ShareByGrassroots
from titlesim.setup import prepare

AGES = RetirementAge(male=60, female=55)


# ------------------------------------------------------------------------- retirement
def test_women_retire_at_55_and_men_at_60():
    age = np.array([54, 55, 56, 59, 60, 61])
    female = np.array([True, True, True, False, False, False])
    assert retiring(age, female, AGES).tolist() == [False, True, True, False, True, True]


def test_a_later_retirement_age_keeps_people_on():
    age = np.array([55, 60])
    later = RetirementAge(male=63, female=58)
    assert retiring(age, np.array([True, False]), later).tolist() == [False, False]


def test_retirements_in_the_first_year_are_those_reaching_the_age():
    """Everyone of the starting workforce whose age next year reaches their sex's
    retirement age retires in the first year, and nobody else does."""
    loaded = small_scenario(size=2000, years=1, replicates=1)
    setup = prepare(loaded.params, loaded.params.seed)
    p = setup.people
    ages = loaded.params.flows.retirement_age
    by_hand = int(np.sum(np.where(p.female, p.age + 1 >= ages.female, p.age + 1 >= ages.male)))
    result = simulate(loaded, setup=setup)
    assert by_hand > 0
    assert totals(result)["exits_retired"][0, 0] == by_hand


# ------------------------------------------------------------------------ other exits
def test_grassroots_and_other_staff_leave_at_their_own_rates():
    rates = ShareByGrassroots(grassroots=0.085, other=0.03)
    u = np.array([0.08, 0.09, 0.02, 0.04])
    grassroots = np.array([True, True, False, False])
    assert leaving(u, grassroots, rates).tolist() == [True, False, True, False]


# --------------------------------------------------------------------------- entrants
def test_new_juniors_fill_each_unit_up_to_its_establishment():
    # staff after exits and transfers in: 17 of 20, 10 of 10, 31 of 30 (a transfer in
    # filled more than the leavers left): 3, 0 and 0 new juniors
    new = entrants_per_unit(np.array([17, 10, 31]), np.array([20, 10, 30]),
                            Entrants(replacement_rate=1.0, growth_rate=0.0))
    assert new.tolist() == [3, 0, 0]


def test_half_replacement_splits_by_largest_remainder_with_an_exact_total():
    # vacancies 3, 1, 2, half filled: wanted 1.5, 0.5, 1.0, total 3; whole parts 1, 0, 1;
    # the one left goes to the largest remainder, 0.5 in units 0 and 1 alike, so to the
    # first: 2, 0, 1
    new = entrants_per_unit(np.array([17, 9, 28]), np.array([20, 10, 30]),
                            Entrants(replacement_rate=0.5, growth_rate=0.0))
    assert new.tolist() == [2, 0, 1]


def test_growth_raises_the_establishment_from_the_first_year_of_the_horizon():
    # 5 % a year: in the horizon's first year 20 -> 21, 10 -> 10.5, 30 -> 31.5: wanted
    # 1, 0.5, 1.5, total 3; whole 1, 0, 1; the remainders 0.5 tie, the first (unit 1) wins
    target = establishment_target(np.array([20, 10, 30]), 0.05, 1)
    new = entrants_per_unit(np.array([20, 10, 30]), target,
                            Entrants(replacement_rate=1.0, growth_rate=0.05))
    assert new.tolist() == [1, 1, 1]
    # in the history (before the horizon) establishments do not grow
    assert establishment_target(np.array([20]), 0.05, 0).tolist() == [20.0]
    assert establishment_target(np.array([20]), 0.05, -3).tolist() == [20.0]


def test_shrinking_establishments_take_no_entrants():
    target = establishment_target(np.array([20, 10]), -0.5, 1)
    new = entrants_per_unit(np.array([19, 10]), target,
                            Entrants(replacement_rate=1.0, growth_rate=-0.5))
    assert new.tolist() == [0, 0]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=12),
       st.sampled_from([0.0, 0.3, 0.5, 0.75, 1.0, 1.5]))
def test_entrants_total_is_the_rounded_wanted_total_and_each_unit_within_one(vacancies, rate):
    vacancies = np.array(vacancies)
    establishment = np.full(len(vacancies), 30)
    new = entrants_per_unit(establishment - vacancies, establishment,
                            Entrants(replacement_rate=rate, growth_rate=0.0))
    wanted = vacancies * rate
    assert new.sum() == round(wanted.sum())
    assert (np.abs(new - wanted) < 1 + 1e-9).all()


def test_in_the_engine_every_unit_is_staffed_to_its_establishment_after_the_flows():
    """replacement_rate 1, growth 0 (the baseline): after each year's flows every unit
    holds at least its establishment (exits, last year's moves and transfers in are all
    offset by new juniors), and more only by transfers in and people who moved in."""
    loaded = small_scenario(size=2000)
    setup = prepare(loaded.params, loaded.params.seed, rules_before_start(loaded))
    seen = []

    def observe(step, state):
        if step == "exam":
            seen.append(np.bincount(state.people.unit, minlength=len(setup.units)))

    counts, _ = run_replicate(setup, 0, observe=observe)
    establishment = setup.units.establishment
    entrants = counts[:, METRICS.index("entrants"), :].sum(axis=1)
    for staff in seen:
        assert (staff >= establishment).all()
        # overall above the establishment only by the few who arrived where it was full
        assert staff.sum() - establishment.sum() <= 0.02 * establishment.sum()
    assert entrants.sum() > 0


def test_with_no_growth_the_headcount_stays_within_two_percent():
    result = simulate(small_scenario(size=4000, years=10, replicates=1))
    heads = totals(result)["headcount"][0]
    establishment = prepare(result.scenario.params, result.seed).units.establishment.sum()
    assert (np.abs(heads / establishment - 1) <= 0.02).all()


# -------------------------------------------------------------------------- transfers
def test_transfers_are_the_expected_number_rounded_up_with_its_fraction():
    # 1,000 staff x 0.004 = 4 exactly; 1,010 x 0.004 = 4.04: 5 when u < 0.04, else 4
    assert transfers_count(0.99, 1000, 0.004) == 4
    assert transfers_count(0.03, 1010, 0.004) == 5
    assert transfers_count(0.05, 1010, 0.004) == 4
    assert transfers_count(0.0, 1000, 0.0) == 0


def test_titles_are_recognised_at_the_recognition_rate():
    u = np.array([0.1, 0.949, 0.95, 0.99])
    assert recognised(u, 0.95).tolist() == [True, True, False, False]


def first_year_flows(*overrides):
    """The people after the first year's flows step, and the step's counts."""
    state = first_year_state(small_scenario(*overrides, size=2000, years=1, replicates=1))
    return state, {name: int(state.counts.counts[i].sum()) for i, name in enumerate(METRICS)}


def transfers(state, counts) -> np.ndarray:
    """Who arrived as a transfer this year: transfers in take the first new ids of the
    year, before the new entrants who fill what is left open."""
    first = state.setup.next_id
    return (state.people.id >= first) & (state.people.id < first + counts["transfers_in"])


ONLY_FULL_SENIORS = ("flows.transfers_in.rate=0.05",
                     "flows.transfers_in.levels={intermediate: 0, deputy_senior: 0, full_senior: 1}")


def test_in_the_engine_a_recognised_title_is_kept():
    state, counts = first_year_flows(*ONLY_FULL_SENIORS, "flows.transfers_in.recognition_rate=1")
    arrivals = transfers(state, counts)
    assert (state.people.titled_year[arrivals] == 2022).all()
    assert counts["transfers_in"] == counts["recognised"] == arrivals.sum() > 0
    assert (state.people.level[arrivals] == FULL_SENIOR).all()


def test_in_the_engine_an_unrecognised_title_arrives_one_level_lower():
    state, counts = first_year_flows(*ONLY_FULL_SENIORS, "flows.transfers_in.recognition_rate=0")
    arrivals = transfers(state, counts)
    assert counts["transfers_in"] == arrivals.sum() > 0 and counts["recognised"] == 0
    assert (state.people.level[arrivals] == DEPUTY_SENIOR).all()
    # they queue for a post of their level: none is placed above the unit's posts
    assert (state.people.post_level[arrivals] == 0).all()


def test_transfers_are_counted_at_the_level_held_elsewhere():
    result = simulate(small_scenario(*ONLY_FULL_SENIORS, "flows.transfers_in.recognition_rate=0"))
    t = result.total("transfers_in", by=("level",))
    assert set(t["level"].astype(str)) == {"full_senior"}
