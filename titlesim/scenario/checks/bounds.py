"""Keys bounded by other keys: an age range's max by its min, a pass line by full marks,
the routes that need criteria, the sections ``history.before`` may hold."""
from __future__ import annotations

from titlesim.scenario.checks import KeyProblem


def age_range_is_ordered(age_range) -> None:
    if age_range.max < age_range.min:
        raise KeyProblem(("max",), f"max ({age_range.max}) must not be below min ({age_range.min})")


def pass_line_within_full_marks(passline) -> None:
    """The provincial standard and the floor are scores out of ``full_marks``, and a
    pass line groups by each column once."""
    if passline.provincial_standard > passline.full_marks:
        raise KeyProblem(("provincial_standard",),
                         f"provincial_standard ({passline.provincial_standard:g}) is above "
                         f"full_marks ({passline.full_marks:g})")
    if passline.floor is not None and passline.floor > passline.full_marks:
        raise KeyProblem(("floor",),
                         f"floor ({passline.floor:g}) is above full_marks ({passline.full_marks:g})")
    if len(set(passline.group_by)) != len(passline.group_by):
        raise KeyProblem(("group_by",), "group_by names a column twice")


def both_routes_have_criteria(criteria: dict) -> None:
    """The general and the grassroots route (基层) each have evaluation criteria."""
    missing = {"general", "grassroots"} - set(criteria)
    if missing:
        raise KeyProblem(("criteria",), f"criteria for route(s) {sorted(missing)} are missing")


def history_before_holds_rules_only(before: dict, not_rules: tuple[str, ...]) -> None:
    for key in before:
        if key in not_rules:
            raise KeyProblem(("before", key), f"history.before may hold rules only, not '{key}'")
