"""Shares that must add up: a mix (of levels, series, education ...) adds up to 1, and
a unit type's post shares (岗位结构比例) add up to at most 1.

>>> shares_add_up_to_one({"junior": 0.5, "intermediate": 0.5}, "levels", ("levels",))
>>> shares_add_up_to_one({"junior": 0.5}, "levels", ("levels",))
Traceback (most recent call last):
...
titlesim.scenario.checks.KeyProblem: the shares of levels must add up to 1, they add up to 0.5
"""
from __future__ import annotations

from titlesim.scenario.checks import KeyProblem


def shares_add_up_to_one(mix: dict, what: str, path: tuple) -> None:
    """The shares of ``mix`` (named ``what`` in the message) add up to 1; an empty mix
    is allowed (nothing to share out)."""
    total = sum(mix.values())
    if mix and abs(total - 1.0) > 1e-6:
        raise KeyProblem(path, f"the shares of {what} must add up to 1, they add up to {total:g}")


def post_shares_leave_room_for_junior(mix: dict, path: tuple) -> None:
    """岗位结构比例: the senior and intermediate shares of a unit type's establishment
    leave the rest to junior posts, so together they are at most 1."""
    total = sum(mix.values())
    if total > 1.0 + 1e-9:
        levels = " + ".join(f"{level} {share:g}" for level, share in mix.items())
        raise KeyProblem(path, f"the post shares add up to more than 1 ({levels} = {total:g}); "
                               f"expected senior and intermediate shares that add up to at most 1 "
                               f"(the rest are junior posts)")
