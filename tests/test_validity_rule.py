"""Clause 一(三): "达到合格标准的专业考试成绩三年有效" and "达到省定卫生合格标准的专业考试成绩
按三年有效规定执行".

A pass from exam year y may be used in evaluation years y to y + years - 1: with the
baseline's three years, a 2022 pass counts in 2022, 2023 and 2024, not in 2025. A pass by
the grassroots ratio line only counts for grassroots evaluation, for ``ratio_only_years``
(baseline: that year alone). A pass is consumed when it is used for a title.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from titlesim.rules.validity import (SCOPE_GENERAL, SCOPE_GRASSROOTS, SCOPE_NONE, consume,
                                     expiring_unused, new_passes, usable, valid_until)

BASELINE = SimpleNamespace(years=3, ratio_only_years=1)
BOTH_ROUTES = np.array([False, True])  # the same pass, seen by a general and a grassroots candidate


def held(until, scope):
    return np.array([until, until], dtype=np.int16), np.array([scope, scope], dtype=np.int8)


# ------------------------------------------------------------------ the worked examples
def test_a_provincial_pass_of_2022_counts_in_2022_2023_2024_not_2025():
    until, scope = new_passes(2022, np.array([True]), np.array([False]), BASELINE)
    assert (until[0], scope[0]) == (2024, SCOPE_GENERAL)
    pass_until, pass_scope = held(until[0], scope[0])
    for year, ok in [(2022, True), (2023, True), (2024, True), (2025, False)]:
        assert usable(pass_until, pass_scope, year, BOTH_ROUTES).tolist() == [ok, ok], year


def test_a_ratio_only_pass_counts_that_year_for_grassroots_evaluation_only():
    until, scope = new_passes(2022, np.array([False]), np.array([True]), BASELINE)
    assert (until[0], scope[0]) == (2022, SCOPE_GRASSROOTS)
    pass_until, pass_scope = held(until[0], scope[0])
    assert usable(pass_until, pass_scope, 2022, BOTH_ROUTES).tolist() == [False, True]
    assert usable(pass_until, pass_scope, 2023, BOTH_ROUTES).tolist() == [False, False]


def test_ratio_only_validity_is_a_parameter():
    two_years = SimpleNamespace(years=3, ratio_only_years=2)
    until, scope = new_passes(2022, np.array([False]), np.array([True]), two_years)
    pass_until, pass_scope = held(until[0], scope[0])
    assert usable(pass_until, pass_scope, 2023, BOTH_ROUTES).tolist() == [False, True]
    assert usable(pass_until, pass_scope, 2024, BOTH_ROUTES).tolist() == [False, False]


def test_no_pass_is_never_usable():
    until, scope = new_passes(2022, np.array([False]), np.array([False]), BASELINE)
    assert (until[0], scope[0]) == (0, SCOPE_NONE)
    assert not usable(*held(0, SCOPE_NONE), 2022, BOTH_ROUTES).any()


def test_a_provincial_pass_wins_over_the_ratio_flag():
    until, scope = new_passes(2022, np.array([True]), np.array([True]), BASELINE)
    assert (until[0], scope[0]) == (2024, SCOPE_GENERAL)


# ------------------------------------------------------------------------ window edges
@pytest.mark.parametrize("years, last", [(1, 2022), (2, 2023), (3, 2024), (4, 2025), (5, 2026)])
def test_valid_until_is_the_exam_year_plus_years_minus_one(years, last):
    assert valid_until(np.array([2022]), years).tolist() == [last]


def test_valid_until_per_person():
    assert valid_until(np.array([2022, 2023]), np.array([3, 1])).tolist() == [2024, 2023]


# ------------------------------------------------------------------ expiry and consumption
def test_expiring_unused_in_its_last_year_only():
    pass_until = np.array([2022, 2023, 2024, 0], dtype=np.int16)
    assert expiring_unused(pass_until, 2022).tolist() == [True, False, False, False]
    assert expiring_unused(pass_until, 2024).tolist() == [False, False, True, False]


def test_a_pass_used_for_a_title_is_consumed_and_does_not_expire_unused():
    pass_until = np.array([2024, 2024], dtype=np.int16)
    pass_scope = np.array([SCOPE_GENERAL, SCOPE_GRASSROOTS], dtype=np.int8)
    until, scope = consume(pass_until, pass_scope, np.array([True, False]))
    assert until.tolist() == [0, 2024] and scope.tolist() == [SCOPE_NONE, SCOPE_GRASSROOTS]
    assert until.dtype == np.int16 and scope.dtype == np.int8
    assert pass_until.tolist() == [2024, 2024]  # inputs untouched
    assert expiring_unused(until, 2024).tolist() == [False, True]


def test_a_pass_held_through_its_window_is_usable_exactly_years_times():
    # the ledger holds a pass from its exam year on, so the walk starts there
    until, scope = new_passes(2022, np.array([True]), np.array([False]), BASELINE)
    usable_years = [y for y in range(2022, 2030) if usable(until, scope, y, np.array([False]))[0]]
    assert usable_years == [2022, 2023, 2024]
    assert [y for y in range(2022, 2030) if expiring_unused(until, y)[0]] == [2024]


@given(st.integers(1990, 2100), st.integers(1, 5), st.integers(1, 5), st.booleans())
def test_window_is_exactly_years_long(exam_year, years, ratio_only_years, provincial):
    rules = SimpleNamespace(years=years, ratio_only_years=ratio_only_years)
    until, scope = new_passes(exam_year, np.array([provincial]), np.array([not provincial]), rules)
    span = [y for y in range(exam_year, exam_year + 8)
            if usable(until, scope, y, np.array([True]))[0]]
    length = years if provincial else ratio_only_years
    assert span == list(range(exam_year, exam_year + length))
    assert usable(until, scope, exam_year, np.array([False]))[0] == provincial
