"""Who may apply for the next level.

The notice leaves the years to the criteria (一(一) "根据国家各系列（专业）基本标准 ... 细化完善
高、中、初级职称评价标准") and encourages grassroots staff (一(三) "鼓励卫生专业技术人员扎根
防病治病一线"). The cases below use the baseline's assumptions, written out here so that a
policy officer can check each by hand:

* years at the current level by education: deputy senior (副主任医师) after 5 years with a
  bachelor's degree, 4 with a master's, 2 with a doctorate, 7 from junior college (大专),
  never from secondary vocational school; full senior after 5 years (bachelor and up);
  intermediate after 4 (bachelor);
* grassroots staff need one year less (``grassroots_years_reduction: 1``);
* junior-college graduates may seek senior titles only in the listed unit types;
* papers (``min_papers``): 1 for deputy senior, 2 for full senior in the general route,
  1 and 1 in the grassroots route.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from conftest import first_year_state, small_scenario

from titlesim.rules.eligibility import (NOT_ALLOWED, eligible, papers_table, requirement_tables,
                                        years_table)
from titlesim.scenario.schema import EDUCATIONS, LEVELS
from titlesim.steps import eligibility_step

YEARS = {
    "intermediate": {"secondary_vocational": 7, "junior_college": 6, "bachelor": 4, "master": 2,
                     "doctorate": 0},
    "deputy_senior": {"secondary_vocational": None, "junior_college": 7, "bachelor": 5,
                      "master": 4, "doctorate": 2},
    "full_senior": {"secondary_vocational": None, "junior_college": None, "bachelor": 5,
                    "master": 5, "doctorate": 5},
}
PAPERS = {"general": {"intermediate": 0, "deputy_senior": 1, "full_senior": 2},
          "grassroots": {"intermediate": 0, "deputy_senior": 1, "full_senior": 1}}


def requirements(papers=PAPERS, reduction=1):
    criteria = {route: SimpleNamespace(min_papers=need) for route, need in papers.items()}
    return requirement_tables(years_table(YEARS), papers_table(criteria), reduction,
                              EDUCATIONS.index("junior_college"))


def may_apply(level, education, years, grassroots=False, barred=False, papers=9,
              tables=None) -> bool:
    """Whether one person holding ``level`` may apply for the next level."""
    need_years, need_papers = tables or requirements()
    return bool(eligible(np.array([LEVELS.index(level)], dtype=np.int8),
                         np.array([EDUCATIONS.index(education)], dtype=np.int8),
                         np.array([years], dtype=np.int8), np.array([grassroots]),
                         np.array([barred]), np.array([papers], dtype=np.int16),
                         need_years, need_papers, len(EDUCATIONS))[0])


# ---------------------------------------------------------------- years by education
def test_a_bachelor_intermediate_with_5_years_may_seek_deputy_senior_with_4_not():
    assert may_apply("intermediate", "bachelor", 5)
    assert not may_apply("intermediate", "bachelor", 4)


def test_in_a_grassroots_unit_4_years_are_enough():
    assert may_apply("intermediate", "bachelor", 4, grassroots=True)
    assert not may_apply("intermediate", "bachelor", 3, grassroots=True)


def test_without_the_grassroots_reduction_grassroots_staff_wait_as_long():
    tables = requirements(reduction=0)
    assert not may_apply("intermediate", "bachelor", 4, grassroots=True, tables=tables)


def test_a_master_needs_4_years_and_a_doctor_2():
    assert may_apply("intermediate", "master", 4) and not may_apply("intermediate", "master", 3)
    assert may_apply("intermediate", "doctorate", 2) and not may_apply("intermediate", "doctorate", 1)


def test_a_doctor_may_seek_intermediate_at_once():
    assert may_apply("junior", "doctorate", 0)


def test_secondary_vocational_never_leads_to_a_senior_title():
    assert may_apply("junior", "secondary_vocational", 7)  # intermediate after 7 years
    assert not may_apply("intermediate", "secondary_vocational", 40)
    assert not may_apply("intermediate", "secondary_vocational", 40, grassroots=True)


def test_full_senior_after_5_years_at_deputy_senior():
    assert may_apply("deputy_senior", "bachelor", 5)
    assert not may_apply("deputy_senior", "bachelor", 4)
    assert not may_apply("deputy_senior", "junior_college", 30)  # not allowed at all


def test_there_is_nothing_above_full_senior():
    assert not may_apply("full_senior", "doctorate", 40)


def test_the_reduction_never_makes_the_years_negative():
    need_years, _ = requirements(reduction=3)
    assert need_years.min() >= NOT_ALLOWED
    assert may_apply("junior", "doctorate", 0, grassroots=True, tables=requirements(reduction=3))


# ------------------------------------------------------------------ junior college (大专)
def test_junior_college_may_seek_deputy_senior_after_7_years_in_a_listed_unit():
    assert may_apply("intermediate", "junior_college", 7)
    assert not may_apply("intermediate", "junior_college", 6)


def test_junior_college_is_barred_from_senior_titles_outside_the_listed_units():
    assert not may_apply("intermediate", "junior_college", 7, barred=True)
    assert not may_apply("intermediate", "junior_college", 30, barred=True, grassroots=True)


def test_the_bar_concerns_senior_titles_only():
    assert may_apply("junior", "junior_college", 6, barred=True)  # intermediate is open


def test_the_bar_concerns_junior_college_only():
    assert may_apply("intermediate", "bachelor", 5, barred=True)


# ------------------------------------------------------------------------ min_papers
def test_deputy_senior_needs_one_paper():
    assert may_apply("intermediate", "bachelor", 5, papers=1)
    assert not may_apply("intermediate", "bachelor", 5, papers=0)


def test_full_senior_needs_two_papers_in_the_general_route_and_one_in_grassroots():
    assert not may_apply("deputy_senior", "bachelor", 5, papers=1)
    assert may_apply("deputy_senior", "bachelor", 5, papers=2)
    assert may_apply("deputy_senior", "bachelor", 4, papers=1, grassroots=True)


def test_a_revision_without_papers_opens_the_title_to_those_without():
    """破四唯: a revision may drop the paper requirement."""
    no_papers = {route: {level: 0 for level in need} for route, need in PAPERS.items()}
    tables = requirements(papers=no_papers)
    assert may_apply("intermediate", "bachelor", 5, papers=0, tables=tables)


def test_every_person_of_an_array_is_judged_on_their_own_row():
    need_years, need_papers = requirements()
    level = np.array([1, 1, 1, 2, 0], dtype=np.int8)
    edu = np.array([EDUCATIONS.index(e) for e in
                    ("bachelor", "bachelor", "junior_college", "master", "junior_college")],
                   dtype=np.int8)
    years = np.array([5, 4, 7, 5, 6], dtype=np.int8)
    grassroots = np.array([False, True, False, False, False])
    barred = np.array([False, False, True, False, True])
    papers = np.array([1, 1, 3, 1, 0], dtype=np.int16)
    got = eligible(level, edu, years, grassroots, barred, papers, need_years, need_papers,
                   len(EDUCATIONS))
    # bachelor 5 y: yes; bachelor 4 y grassroots: yes; junior college barred: no;
    # master deputy 5 y with 1 paper (full senior needs 2): no; junior college -> intermediate: yes
    assert got.tolist() == [True, True, False, False, True]


# ----------------------------------------------------------------------- in the engine
@pytest.fixture(scope="module")
def after_flows():
    return first_year_state(small_scenario(size=3000, years=1, replicates=1))


def test_the_scenario_lists_the_units_where_junior_college_may_seek_senior_titles(after_flows):
    setup = after_flows.setup
    allowed = set(setup.params.eligibility.junior_college_senior_unit_types)
    for t, name in enumerate(setup.codes.unit_types):
        units = setup.units.unit_type == t
        if units.any():
            assert (setup.unit_jc_barred[units] == (name not in allowed)).all(), name


def test_in_the_engine_no_barred_junior_college_graduate_is_eligible_for_a_senior_title(after_flows):
    state = after_flows
    p = state.people
    who = eligibility_step(state)
    junior_college = p.education[who] == EDUCATIONS.index("junior_college")
    seeks_senior = p.level[who] >= LEVELS.index("intermediate")
    barred = state.setup.unit_jc_barred[p.unit[who]]
    assert not (junior_college & seeks_senior & barred).any()
    assert (junior_college & seeks_senior & ~barred).any()  # the listed units do have some
