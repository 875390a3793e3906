"""Pass lines of the deputy-senior health exam (合格标准), clause 一(三).

    "基层医疗卫生高级职称合格标准根据评审当年申报参加考试人数按比例划定，
     达到省定卫生合格标准的专业考试成绩按三年有效规定执行。"

Two lines apply in one exam year:

* the provincial standard (省定卫生合格标准): every taker, grassroots or not, passes when
  ``score >= passline.provincial_standard``;
* the grassroots ratio line (按比例划定的合格线): within each ratio group (grassroots takers,
  and college clinics and unit medical rooms when they join the grassroots route, grouped
  by ``passline.group_by``) the line is set so that a ratio of the group passes. A taker
  below the provincial standard who reaches the line passes by ratio only.

The rule, exactly as docs/model.md (合格线规则 / Pass-line rule) states it:

* ``n`` is the group's applicants (``ratio_base: applied``, the notice's 申报参加考试人数;
  an absent applicant has no score and cannot pass) or those with a score (``sat``);
* ``k = rounding(ratio x n)`` computed exactly, then at least 1 when ``ratio > 0`` and
  ``n > 0``, and at most the number with a score; ``k = 0`` means the group has no line;
* the line is the k-th highest score; a ``floor`` above it raises it to the floor;
* ``ties: include``: everyone at or above the line passes (more than ``k`` at a tie);
  ``ties: cap``: if more than ``k`` are at or above the line, those exactly at it do not
  pass by ratio, so never more than ``k`` pass by ratio.

Worked example (ratio 0.5, applied base, half_up, ties include, standard 60): a group of
five applied, one absent, scores 72, 58, 55, 55. ``k = half_up(2.5) = 3``; the 3rd highest
score is 55, so 72 (provincial) and 58, 55, 55 (ratio only) pass; with ``ties: cap`` the
four at or above 55 exceed k = 3, so only 72 and 58 pass.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

ROUNDINGS = ("ceil", "floor", "half_up")


def ratio_places(ratio: float, n: int, rounding: str, n_scored: int) -> int:
    """The number of ratio places ``k`` of a group (按比例合格名额).

    ``ratio x n`` is computed exactly from the ratio's decimal text, so 0.3 x 10 is 3.

    >>> ratio_places(0.3, 10, "ceil", 10)
    3
    >>> ratio_places(0.5, 5, "half_up", 5), ratio_places(0.5, 5, "floor", 5)
    (3, 2)
    >>> ratio_places(0.01, 10, "floor", 10)  # at least one place
    1
    >>> ratio_places(0.5, 10, "ceil", 3)  # never more places than scores
    3
    """
    if rounding not in ROUNDINGS:
        raise ValueError(f"rounding must be one of {', '.join(ROUNDINGS)}, got {rounding!r}")
    if ratio == 0 or n <= 0 or n_scored <= 0:
        return 0
    exact = Fraction(str(float(ratio))) * int(n)
    if rounding == "ceil":
        k = math.ceil(exact)
    elif rounding == "floor":
        k = math.floor(exact)
    else:
        k = math.floor(exact + Fraction(1, 2))
    return int(min(max(k, 1), n_scored))


@dataclass(frozen=True)
class PassLines:
    """The lines of one exam year, per ratio group, and who passes, per person.

    Group arrays have length ``n_groups``; only groups with at least one ratio-group
    applicant are meaningful (the others are all zero with no line). Person arrays have
    the length of the inputs.
    """

    applied: np.ndarray  # int64: ratio-group applicants (score may be NaN = absent)
    sat: np.ndarray  # int64: those with a score
    k: np.ndarray  # int64: ratio places
    line_score: np.ndarray  # float64: the ratio line, NaN where the group has no line
    passed_ratio_only: np.ndarray  # int64: below the standard, at or above the line
    passed_provincial: np.ndarray  # int64: ratio-group members at or above the standard
    person_provincial: np.ndarray  # bool: score >= provincial_standard (everyone)
    person_ratio_only: np.ndarray  # bool: in a ratio group, below the standard, passes by the line


def _check(params) -> None:
    if params.ratio_base not in ("applied", "sat"):
        raise ValueError(f"ratio_base must be applied or sat, got {params.ratio_base!r}")
    if params.ties not in ("include", "cap"):
        raise ValueError(f"ties must be include or cap, got {params.ties!r}")


def set_pass_lines(score: np.ndarray, group: np.ndarray, in_ratio: np.ndarray,
                   n_groups: int, params) -> PassLines:
    """Set every ratio group's line and mark who passes, in one vectorised pass.

    ``score``: float64, NaN for an applicant who did not sit; ``group``: int64 codes
    ``0 .. n_groups-1``, read only where ``in_ratio``; ``in_ratio``: bool, the taker is in
    a ratio group; ``params``: the scenario's ``passline`` (``PassLine`` or anything with
    its attributes).

    >>> from types import SimpleNamespace as P
    >>> p = P(provincial_standard=60, ratio=0.5, ratio_base="applied", rounding="half_up",
    ...       ties="include", floor=None)
    >>> s = np.array([72, 58, 55, 55, np.nan])
    >>> lines = set_pass_lines(s, np.zeros(5, dtype=np.int64), np.ones(5, bool), 1, p)
    >>> int(lines.k[0]), float(lines.line_score[0]), int(lines.passed_ratio_only[0])
    (3, 55.0, 3)
    """
    _check(params)
    score = np.asarray(score, dtype=np.float64)
    in_ratio = np.asarray(in_ratio, dtype=bool)
    group = np.asarray(group, dtype=np.int64)
    if not (score.shape == in_ratio.shape == group.shape):
        raise ValueError("score, group and in_ratio must have the same length")

    person_provincial = score >= params.provincial_standard  # NaN compares False
    members = np.flatnonzero(in_ratio)
    g = group[members]
    if g.size and (g.min() < 0 or g.max() >= n_groups):
        raise ValueError(f"group codes must lie in 0..{n_groups - 1}")
    s = score[members]
    has_score = ~np.isnan(s)

    applied = np.bincount(g, minlength=n_groups).astype(np.int64)
    sat = np.bincount(g[has_score], minlength=n_groups).astype(np.int64)
    base = applied if params.ratio_base == "applied" else sat
    k = np.array([ratio_places(params.ratio, n, params.rounding, m) for n, m in zip(base, sat)],
                 dtype=np.int64)

    # k-th highest score of each group: sort scored members by group, then score descending
    scored_g, scored_s = g[has_score], s[has_score]
    order = np.lexsort((-scored_s, scored_g))
    first = np.cumsum(sat) - sat
    has_line = k > 0
    line_score = np.full(n_groups, np.nan)
    line_score[has_line] = scored_s[order][first[has_line] + k[has_line] - 1]
    if params.floor is not None:
        line_score[has_line] = np.maximum(line_score[has_line], params.floor)

    member_line = line_score[g]
    at_or_above = s >= member_line  # False for NaN score or no line
    over_k = np.bincount(g[at_or_above], minlength=n_groups) > k
    if params.ties == "cap":
        by_ratio = at_or_above & ~(over_k[g] & (s == member_line))
    else:
        by_ratio = at_or_above

    person_ratio_only = np.zeros(score.shape, dtype=bool)
    person_ratio_only[members] = by_ratio & ~person_provincial[members]
    return PassLines(
        applied=applied,
        sat=sat,
        k=k,
        line_score=line_score,
        passed_ratio_only=np.bincount(g, weights=person_ratio_only[members],
                                      minlength=n_groups).astype(np.int64),
        passed_provincial=np.bincount(g, weights=person_provincial[members],
                                      minlength=n_groups).astype(np.int64),
        person_provincial=person_provincial,
        person_ratio_only=person_ratio_only,
    )
