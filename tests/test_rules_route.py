"""The route of evaluation and who is in the grassroots ratio groups.

Clause 一(三): "根据我市高等院校校医院（已经评定等级的除外）和各类单位医务室所承担的工作内容和性质
的实际情况，所属卫生专业技术人员可按照属地原则参加基层卫生高级职称评审，通过后可聘用到相应岗位。
同时，积极鼓励他们参加全省统一的卫生系列高级职称评审". Staff of college clinics (graded ones
excepted) and unit medical rooms *may* join the grassroots evaluation; the provincial one
is encouraged, not imposed: a choice. One rule serves the engine, ``passline`` and export.
"""
from __future__ import annotations

from types import SimpleNamespace as A

import numpy as np
from conftest import small_scenario

from titlesim.export import person_events
from titlesim.rules.route import GENERAL, GRASSROOTS, chosen_route, in_ratio_groups

SHARE = A(may_enter_provincial=True, route_choice="share", provincial_share=0.3)
WHERE_VALID = A(may_enter_provincial=True, route_choice="where_valid", provincial_share=0.3)


def test_who_is_in_the_grassroots_ratio_groups():
    # township centre; unit medical room; graded college hospital; county hospital
    grassroots = np.array([True, False, False, False])
    attached = np.array([False, True, True, False])
    graded = np.array([False, False, True, False])
    assert in_ratio_groups(grassroots, attached, graded, True).tolist() == [True, True, False, False]
    # when attached units do not join the grassroots route, only grassroots units are in it
    assert in_ratio_groups(grassroots, attached, graded, False).tolist() == [True, False, False, False]


def route_of(rule, attached, has_exam, general_pass, u):
    n = len(attached)
    return chosen_route(np.ones(n, bool), np.array(attached), np.array(has_exam),
                        np.array(general_pass), np.array(u, dtype=float), rule).tolist()


def test_a_share_of_the_attached_with_a_provincial_pass_choose_the_provincial_route():
    # medical-room doctors holding a provincial-standard pass, draws 0.1 and 0.5, share
    # 0.3: the first chooses the provincial route, the second stays in the grassroots one;
    # a township doctor (not attached) with the same pass and draw 0.1 stays grassroots
    got = chosen_route(np.ones(3, bool), np.array([True, True, False]), np.ones(3, bool),
                       np.ones(3, bool), np.array([0.1, 0.5, 0.1]), SHARE).tolist()
    assert got == [GENERAL, GRASSROOTS, GRASSROOTS]


def test_a_ratio_only_pass_keeps_the_candidate_in_the_grassroots_route():
    # the pass counts for the grassroots route only: no choice, whatever the draw
    assert route_of(SHARE, [True], [True], [False], [0.0]) == [GRASSROOTS]
    assert route_of(WHERE_VALID, [True], [True], [False], [0.0]) == [GRASSROOTS]


def test_full_senior_has_no_exam_so_the_attached_may_choose_either_route():
    assert route_of(SHARE, [True, True], [False, False], [False, False], [0.2, 0.9]) == [GENERAL, GRASSROOTS]


def test_where_valid_takes_every_provincial_pass_to_the_provincial_route():
    assert route_of(WHERE_VALID, [True, True], [True, True], [True, False], [0.9, 0.9]) == [GENERAL, GRASSROOTS]


def test_nobody_takes_the_provincial_route_when_it_is_closed_to_them():
    closed = A(may_enter_provincial=False, route_choice="share", provincial_share=1.0)
    assert route_of(closed, [True], [True], [True], [0.0]) == [GRASSROOTS]


def test_outside_the_ratio_groups_everyone_takes_the_general_route():
    got = chosen_route(np.array([False]), np.array([False]), np.array([True]), np.array([True]),
                       np.array([0.9]), SHARE)
    assert got.tolist() == [GENERAL]


# ---------------------------------------------------------------------- in the engine
def attached_routes(*overrides):
    events, _ = person_events(small_scenario(*overrides, size=4000, years=3, replicates=1))
    attached = events[events["unit_type"].isin(["college_clinic", "unit_medical_room"])
                      & (events["result"] != "no_valid_pass")]
    return attached


def test_in_the_engine_attached_staff_are_not_forced_onto_the_provincial_route():
    none = attached_routes("attached_units.provincial_share=0")
    assert len(none) > 0 and (none["route"] == "grassroots").all()
    every = attached_routes("attached_units.route_choice=where_valid")
    with_pass = every[every["exam"].isin(["passed_provincial", "valid_pass"])]
    # where_valid: a provincial pass takes its holder to the provincial route (the old rule)
    assert (with_pass["route"] == "general").any()


def test_in_the_engine_a_graded_college_hospital_takes_the_general_route():
    events = attached_routes("population.unit_types.college_clinic.graded=true",
                             "attached_units.provincial_share=0")
    clinic = events[events["unit_type"] == "college_clinic"]
    assert len(clinic) > 0 and (clinic["route"] == "general").all()
    assert (clinic["scope"] != "grassroots").all()
