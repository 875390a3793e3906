"""Clause 一(三): "基层医疗卫生高级职称合格标准根据评审当年申报参加考试人数按比例划定，
达到省定卫生合格标准的专业考试成绩按三年有效规定执行。"

The grassroots pass line is set so that a ratio of that year's applicants (申报参加考试人数)
pass; every taker also passes by reaching the provincial standard (省定合格标准). Each case
below is worked by hand: scores out of 100, provincial standard 60, ratio 0.5, applied
base, half_up rounding, ties included, no floor, unless the case says otherwise.
"""
from __future__ import annotations

import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from titlesim.rules.passline import ratio_places, set_pass_lines
from titlesim.scenario.schema import PassLine

NAN = float("nan")
BASELINE = dict(full_marks=100.0, provincial_standard=60.0, ratio=0.5, ratio_base="applied",
                rounding="half_up", ties="include", floor=None, group_by=["specialty"])


def rule(**change) -> PassLine:
    return PassLine(**{**BASELINE, **change})


def one_group(scores, **change):
    """Everyone in one grassroots ratio group."""
    scores = np.array(scores, dtype=float)
    n = len(scores)
    return set_pass_lines(scores, np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool), 1, rule(**change))


def ratio_passers(scores, lines) -> list[float]:
    return sorted((s for s, p in zip(scores, lines.person_ratio_only) if p), reverse=True)


# ------------------------------------------------------------------ the worked example
def test_worked_example_five_applied_one_absent():
    # 5 applied, 1 absent: k = half_up(0.5 x 5 = 2.5) = 3; the 3rd highest of 72, 58, 55, 55
    # is 55. 72 passes the provincial standard; 58, 55, 55 pass by the ratio line only.
    scores = [72, 58, 55, 55, NAN]
    lines = one_group(scores)
    assert (lines.applied[0], lines.sat[0], lines.k[0], lines.line_score[0]) == (5, 4, 3, 55.0)
    assert lines.person_provincial.tolist() == [True, False, False, False, False]
    assert lines.person_ratio_only.tolist() == [False, True, True, True, False]
    assert (lines.passed_provincial[0], lines.passed_ratio_only[0]) == (1, 3)


def test_worked_example_with_ties_capped():
    # Same group, ties: cap. Four score at least 55, more than k = 3, so the two at exactly
    # 55 do not pass by ratio: only 72 (provincial) and 58 (ratio only) pass.
    lines = one_group([72, 58, 55, 55, NAN], ties="cap")
    assert lines.line_score[0] == 55.0
    assert lines.person_ratio_only.tolist() == [False, True, False, False, False]
    assert (lines.passed_provincial[0], lines.passed_ratio_only[0]) == (1, 1)


# ------------------------------------------------------------------------ ratio places k
@pytest.mark.parametrize("ratio, n, rounding, n_scored, k, why", [
    (0.3, 10, "ceil", 10, 3, "0.3 x 10 is 3"),
    (0.7, 10, "ceil", 10, 7, "0.7 x 10 is 7"),
    (0.7, 10, "floor", 10, 7, "0.7 x 10 is 7"),
    (0.15, 20, "ceil", 20, 3, "0.15 x 20 is 3"),
    (0.15, 20, "floor", 20, 3, "0.15 x 20 is 3"),
    # binary floating point gets these wrong; the rule computes them exactly
    (0.07, 100, "ceil", 100, 7, "0.07 x 100 is 7, not 7.000000000000001 (which ceils to 8)"),
    (0.55, 100, "ceil", 100, 55, "0.55 x 100 is 55, not 55.00000000000001"),
    (0.57, 100, "floor", 100, 57, "0.57 x 100 is 57, not 56.99999999999999"),
    (0.29, 100, "floor", 100, 29, "0.29 x 100 is 29, not 28.999999999999996"),
    (0.145, 100, "half_up", 100, 15, "0.145 x 100 is 14.5 (goes up), not 14.499999999999998"),
    (0.35, 10, "half_up", 10, 4, "3.5 goes up"),
    (0.5, 5, "half_up", 5, 3, "2.5 goes up"),
    (0.5, 5, "ceil", 5, 3, "2.5 up"),
    (0.5, 5, "floor", 5, 2, "2.5 down"),
    (0.45, 10, "half_up", 10, 5, "4.5 goes up"),
    (0.24, 10, "half_up", 10, 2, "2.4 goes down"),
    (0.26, 10, "half_up", 10, 3, "2.6 goes up"),
    (0.26, 10, "floor", 10, 2, "2.6 down"),
    (0.21, 10, "ceil", 10, 3, "2.1 up"),
    (0.01, 10, "floor", 10, 1, "0.1 rounds to 0, but at least one place"),
    (0.04, 10, "half_up", 10, 1, "0.4 rounds to 0, but at least one place"),
    (0.5, 10, "ceil", 3, 3, "5 places but only 3 scores"),
    (1.0, 10, "floor", 8, 8, "ratio 1 of 10 applied, 8 sat: all 8"),
    (1.0, 10, "floor", 10, 10, "ratio 1: all"),
    (0.0, 10, "ceil", 10, 0, "ratio 0: no places"),
    (0.5, 0, "ceil", 0, 0, "nobody applied"),
    (0.5, 10, "ceil", 0, 0, "nobody sat"),
])
def test_ratio_places(ratio, n, rounding, n_scored, k, why):
    assert ratio_places(ratio, n, rounding, n_scored) == k, why


def test_ratio_places_refuses_an_unknown_rounding():
    with pytest.raises(ValueError, match="rounding"):
        ratio_places(0.5, 10, "banker", 10)


# ---------------------------------------------------------- base: applied or sat (申报/参考)
SIX_SAT_FOUR_ABSENT = [58, 56, 54, 52, 50, 48, NAN, NAN, NAN, NAN]


def test_applied_base_counts_absent_applicants():
    # 10 applied (申报参加考试人数), 6 sat: k = 0.5 x 10 = 5, line = 5th highest = 50.
    lines = one_group(SIX_SAT_FOUR_ABSENT)
    assert (lines.applied[0], lines.sat[0], lines.k[0], lines.line_score[0]) == (10, 6, 5, 50.0)
    assert ratio_passers(SIX_SAT_FOUR_ABSENT, lines) == [58, 56, 54, 52, 50]


def test_sat_base_counts_only_those_with_a_score():
    # 6 sat: k = 0.5 x 6 = 3, line = 3rd highest = 54.
    lines = one_group(SIX_SAT_FOUR_ABSENT, ratio_base="sat")
    assert (lines.k[0], lines.line_score[0]) == (3, 54.0)
    assert ratio_passers(SIX_SAT_FOUR_ABSENT, lines) == [58, 56, 54]


def test_places_beyond_those_who_sat_are_capped():
    # ratio 0.8 of 10 applied = 8 places, but only 6 sat: k = 6, the line is the lowest score.
    lines = one_group(SIX_SAT_FOUR_ABSENT, ratio=0.8)
    assert (lines.k[0], lines.line_score[0], lines.passed_ratio_only[0]) == (6, 48.0, 6)


def test_everyone_absent_means_no_line():
    lines = one_group([NAN, NAN, NAN])
    assert (lines.applied[0], lines.sat[0], lines.k[0]) == (3, 0, 0)
    assert math.isnan(lines.line_score[0])
    assert not lines.person_ratio_only.any() and not lines.person_provincial.any()


# ---------------------------------------------------------------------- groups of 0, 1, 2
def test_groups_of_zero_one_and_two_takers():
    # group 0: nobody; group 1: one taker at 45 (k = half_up(0.5) = 1, line 45);
    # group 2: 50 and 40 (k = 1, line 50). A city-hospital taker (not in a ratio group,
    # group code meaningless) at 55 passes nothing; one at 65 passes the provincial standard.
    scores = np.array([45, 50, 40, 55, 65], dtype=float)
    group = np.array([1, 2, 2, -1, 99])
    in_ratio = np.array([True, True, True, False, False])
    lines = set_pass_lines(scores, group, in_ratio, 3, rule())
    assert lines.applied.tolist() == [0, 1, 2]
    assert lines.k.tolist() == [0, 1, 1]
    assert np.isnan(lines.line_score[0]) and lines.line_score[1:].tolist() == [45.0, 50.0]
    assert lines.person_ratio_only.tolist() == [True, True, False, False, False]
    assert lines.person_provincial.tolist() == [False, False, False, False, True]
    assert lines.passed_provincial.tolist() == [0, 0, 0]  # 65 is not in a ratio group


def test_ratio_group_member_above_the_standard_passes_provincially_not_by_ratio():
    lines = one_group([75, 61, 59, 40])  # k = 2, line 61
    assert lines.person_provincial.tolist() == [True, True, False, False]
    assert lines.person_ratio_only.tolist() == [False, False, False, False]
    assert (lines.passed_provincial[0], lines.passed_ratio_only[0]) == (2, 0)


# ----------------------------------------------------------------------------- the floor
SIX = [58, 56, 54, 52, 50, 48]  # sat base, ratio 0.5: k = 3, line 54


def test_floor_above_the_line_raises_it():
    lines = one_group(SIX, ratio_base="sat", floor=55.0)
    assert lines.line_score[0] == 55.0
    assert ratio_passers(SIX, lines) == [58, 56]


def test_floor_below_the_line_changes_nothing():
    lines = one_group(SIX, ratio_base="sat", floor=50.0)
    assert lines.line_score[0] == 54.0
    assert ratio_passers(SIX, lines) == [58, 56, 54]


def test_floor_above_every_score_passes_nobody_by_ratio():
    lines = one_group(SIX, ratio_base="sat", floor=59.0)
    assert lines.line_score[0] == 59.0 and lines.passed_ratio_only[0] == 0


# ---------------------------------------------------------------------- ties at the line
TIED = [58, 55, 55, 55, 50]  # ratio 0.4 of 5: k = 2, line 55, four at or above it


def test_ties_include_passes_everyone_at_the_line():
    lines = one_group(TIED, ratio=0.4)
    assert (lines.k[0], lines.line_score[0]) == (2, 55.0)
    assert ratio_passers(TIED, lines) == [58, 55, 55, 55]


def test_ties_cap_passes_no_one_at_the_line_when_over_k():
    lines = one_group(TIED, ratio=0.4, ties="cap")
    assert ratio_passers(TIED, lines) == [58]


def test_ties_cap_passes_those_at_the_line_when_exactly_k():
    lines = one_group([58, 55, 50], ratio=0.5, ties="cap")  # k = half_up(1.5) = 2, line 55
    assert ratio_passers([58, 55, 50], lines) == [58, 55]


def test_ties_cap_with_floor_at_a_tie():
    # k = 2, the 2nd highest is 50, the floor 50 keeps it; three at 50 exceed k: only 70.
    lines = one_group([70, 50, 50, 50, 40], ratio=0.4, ties="cap", floor=50.0, provincial_standard=80.0)
    assert lines.line_score[0] == 50.0 and ratio_passers([70, 50, 50, 50, 40], lines) == [70]


# ---------------------------------------------------------------------- ratio 0 and 1
def test_ratio_zero_passes_nobody_by_ratio():
    lines = one_group([58, 50, 40], ratio=0.0)
    assert lines.k[0] == 0 and math.isnan(lines.line_score[0]) and lines.passed_ratio_only[0] == 0


def test_ratio_one_passes_everyone_who_sat():
    lines = one_group([58, 50, 40, NAN], ratio=1.0)
    assert (lines.k[0], lines.line_score[0], lines.passed_ratio_only[0]) == (3, 40.0, 3)


def test_at_least_one_place_when_the_ratio_is_tiny():
    lines = one_group([58, 50, 40], ratio=0.01, rounding="floor")
    assert (lines.k[0], lines.line_score[0]) == (1, 58.0)


# ------------------------------------------------------------------------- robustness
def test_refuses_misaligned_arrays_and_bad_group_codes():
    with pytest.raises(ValueError, match="same length"):
        set_pass_lines(np.array([50.0]), np.zeros(2, dtype=np.int64), np.ones(1, bool), 1, rule())
    with pytest.raises(ValueError, match="group codes"):
        set_pass_lines(np.array([50.0]), np.array([3]), np.ones(1, bool), 1, rule())


def test_fast_for_a_hundred_thousand_takers():
    rng = np.random.default_rng(1)
    n = 100_000
    scores = np.round(rng.normal(57, 8, n).clip(0, 100) * 2) / 2
    scores[rng.random(n) < 0.04] = np.nan
    group = rng.integers(0, 140, n)
    start = time.perf_counter()
    lines = set_pass_lines(scores, group, rng.random(n) < 0.4, 140, rule(ties="cap"))
    assert time.perf_counter() - start < 2.0
    assert (lines.passed_ratio_only <= lines.k).all()


# ------------------------------------------------------------------ properties (hypothesis)
half_points = st.integers(0, 199).map(lambda x: x / 2)  # below the standard of 100
takers = st.lists(st.tuples(st.one_of(half_points, st.just(NAN)), st.integers(0, 3),
                            st.booleans()), min_size=0, max_size=60)
rules = st.fixed_dictionaries({
    "ratio": st.integers(0, 100).map(lambda x: x / 100),
    "ratio_base": st.sampled_from(["applied", "sat"]),
    "rounding": st.sampled_from(["ceil", "floor", "half_up"]),
    "floor": st.one_of(st.none(), half_points),
})


def _run(people, change, ties):
    scores = np.array([p[0] for p in people], dtype=float)
    group = np.array([p[1] for p in people], dtype=np.int64)
    in_ratio = np.array([p[2] for p in people], dtype=bool)
    lines = set_pass_lines(scores, group, in_ratio, 4, rule(provincial_standard=100.0, ties=ties, **change))
    return scores, group, in_ratio, lines


@settings(max_examples=300, deadline=None)
@given(takers, rules)
def test_cap_never_passes_more_than_k_and_include_passes_all_at_the_line(people, change):
    scores, group, in_ratio, capped = _run(people, change, "cap")
    _, _, _, included = _run(people, change, "include")
    for g in range(4):
        member = in_ratio & (group == g)
        assert capped.passed_ratio_only[g] <= capped.k[g]
        assert capped.passed_ratio_only[g] == (capped.person_ratio_only & member).sum()
        line = included.line_score[g]
        assert np.isnan(line) == (included.k[g] == 0)
        expected = member & (scores >= line) if not np.isnan(line) else np.zeros_like(member)
        assert (included.person_ratio_only[member] == expected[member]).all()
        assert included.passed_ratio_only[g] >= min(included.k[g], (member & (scores >= line)).sum())
    assert not (capped.person_ratio_only & ~in_ratio).any()


@settings(max_examples=300, deadline=None)
@given(takers, rules, st.integers(0, 100), st.sampled_from(["include", "cap"]))
def test_raising_the_ratio_never_lowers_ratio_passes(people, change, extra, ties):
    _, _, _, low = _run(people, change, ties)
    higher = dict(change, ratio=min(1.0, change["ratio"] + extra / 100))
    _, _, _, high = _run(people, higher, ties)
    assert (high.passed_ratio_only >= low.passed_ratio_only).all()
    assert (high.person_ratio_only >= low.person_ratio_only).all()


@given(st.integers(0, 100), st.integers(0, 500), st.integers(0, 500))
def test_ratio_places_orders_the_roundings_and_stays_in_range(percent, n, n_scored):
    r = percent / 100
    floor, half, ceil = (ratio_places(r, n, how, n_scored) for how in ("floor", "half_up", "ceil"))
    assert floor <= half <= ceil <= n_scored
    if r > 0 and n > 0 and n_scored > 0:
        assert floor >= 1 and ceil <= max(1, math.ceil(percent * n / 100))
    else:
        assert ceil == 0
