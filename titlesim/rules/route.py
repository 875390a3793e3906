"""The route of evaluation: who is in the grassroots ratio groups and route, and which
route a college clinic's or unit medical room's candidate takes.

Notice 一(三): "基层医疗卫生高级职称合格标准根据评审当年申报参加考试人数按比例划定" (the
grassroots line is set among the grassroots takers), and "根据我市高等院校校医院（已经评定
等级的除外）和各类单位医务室所承担的工作内容和性质的实际情况，所属卫生专业技术人员可按照属地原则
参加基层卫生高级职称评审，通过后可聘用到相应岗位。同时，积极鼓励他们参加全省统一的卫生系列高级
职称评审" (staff of college clinics, graded ones excepted, and of unit medical rooms may
join the grassroots evaluation by locality; they are encouraged, not obliged, to enter the
provincial one).

The same rule serves the engine, ``titlesim passline`` and the export.

Worked example (``join_grassroots_route: true``): a township centre's doctor is in the
ratio groups; a unit medical room's doctor too; a graded college hospital's (unit type
``graded: true``) is not; a county hospital's is not. Of the medical room's candidates
holding a pass of the provincial standard, ``route_choice: share`` with
``provincial_share: 0.3`` sends those whose draw is below 0.3 to the provincial route;
``route_choice: where_valid`` sends every one of them there (their pass is valid in it)
and leaves the others, whose pass counts for the grassroots route only, in it.
"""
from __future__ import annotations

import numpy as np

GENERAL, GRASSROOTS = 0, 1  # route codes: general (provincial, 全省统一) or grassroots (基层)
ROUTES = ("general", "grassroots")


def in_ratio_groups(grassroots, attached, graded, join_grassroots_route: bool) -> np.ndarray:
    """Who is in the grassroots ratio groups and may take the grassroots route: staff of
    grassroots units, and of attached units (college clinics, unit medical rooms) that
    are not graded when ``join_grassroots_route``.

    >>> in_ratio_groups(np.array([True, False, False, False]), np.array([False, True, True, False]),
    ...                 np.array([False, False, True, False]), True).tolist()
    [True, True, False, False]
    """
    grassroots = np.asarray(grassroots, dtype=bool)
    if not join_grassroots_route:
        return grassroots.copy()
    return grassroots | (np.asarray(attached, dtype=bool) & ~np.asarray(graded, dtype=bool))


def chosen_route(ratio_member, attached, has_exam, general_pass, u, attached_units) -> np.ndarray:
    """Each candidate's route (:data:`GENERAL` or :data:`GRASSROOTS`).

    Members of the ratio groups take the grassroots route; a member from an attached unit
    may take the provincial route instead when ``attached_units.may_enter_provincial``
    and the provincial route would take them (a level without an exam, or a pass of the
    provincial standard): ``route_choice: share`` -- those whose draw ``u`` is below
    ``provincial_share``; ``where_valid`` -- those holding a pass of the provincial
    standard. Everyone else takes the general route.

    >>> from types import SimpleNamespace as A
    >>> rule = A(may_enter_provincial=True, route_choice="share", provincial_share=0.3)
    >>> chosen_route(np.array([True, True, True, False]), np.array([False, True, True, False]),
    ...              np.array([True, True, True, True]), np.array([True, True, True, True]),
    ...              np.array([0.1, 0.1, 0.5, 0.1]), rule).tolist()
    [1, 0, 1, 0]
    """
    ratio_member = np.asarray(ratio_member, dtype=bool)
    attached = np.asarray(attached, dtype=bool)
    route = np.where(ratio_member, GRASSROOTS, GENERAL).astype(np.int8)
    if not attached_units.may_enter_provincial:
        return route
    general_pass = np.asarray(general_pass, dtype=bool)
    if attached_units.route_choice == "where_valid":
        provincial = general_pass & np.asarray(has_exam, dtype=bool)
    else:
        may = ~np.asarray(has_exam, dtype=bool) | general_pass
        provincial = may & (np.asarray(u) < attached_units.provincial_share)
    route[ratio_member & attached & provincial] = GENERAL
    return route
