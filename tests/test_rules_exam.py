"""Clause 一(三): "改进评价方式，正高级职称采取评审的方式，副高级职称继续采取考试与评审相结合
的方式" (full senior by evaluation only; deputy senior by exam plus evaluation).

Only the health series' deputy senior level has an exam in the baseline
(``exam.levels: {health: [deputy_senior]}``). Applicants without a usable pass sit; the
score is mean + effect x ability + noise, reported in steps of ``score_step``, within 0
and the full marks; an absent applicant has no score. Baseline score model (an
assumption): mean 57, 8 points per unit of ability, noise 6, half points, 4 % absent.
"""
from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from titlesim.rules.exam import exam_level_table, scores, sits
from titlesim.scenario.schema import Exam

BASELINE = Exam(levels={"health": ["deputy_senior"]}, mean_score=57, ability_effect=8,
                noise_sd=6, score_step=0.5, absent_rate=0.04)
SERIES = ("health", "teachers", "engineering", "economics")


def score_of(ability, z, u_absent=0.5, exam=BASELINE, full_marks=100.0) -> list[float]:
    ability, z, u_absent = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, dtype=float))
                                                 for v in (ability, z, u_absent)))
    return scores(ability, z, u_absent, exam, full_marks).tolist()


# ------------------------------------------------------------------- who has an exam
def test_deputy_senior_health_has_an_exam_and_full_senior_has_none():
    table = exam_level_table(BASELINE.levels, SERIES)
    health = SERIES.index("health")
    assert table[health, 2]       # 副高级: 考试与评审相结合
    assert not table[health, 3]   # 正高级: 评审
    assert not table[health, 1]   # intermediate: not in the notice's exam clause


def test_other_series_are_evaluation_only():
    table = exam_level_table(BASELINE.levels, SERIES)
    assert not table[1:].any()    # teachers, engineering, economics: 评审 only


def test_an_exam_may_be_added_for_a_level_by_the_scenario():
    table = exam_level_table({"health": ["deputy_senior", "full_senior"]}, SERIES)
    assert table[0, 2] and table[0, 3]


def test_only_applicants_to_an_exam_level_without_a_usable_pass_sit():
    applied = np.array([True, True, True, False])
    has_exam = np.array([True, True, False, True])
    holds = np.array([False, True, False, False])
    assert sits(applied, has_exam, holds).tolist() == [True, False, False, False]


# ------------------------------------------------------------------------ the scores
def test_an_average_taker_scores_the_mean():
    assert score_of(0.0, 0.0) == [57.0]


def test_half_a_unit_of_ability_is_worth_four_points():
    assert score_of(0.5, 0.0) == [61.0]


def test_scores_are_reported_in_half_points():
    # raw 57 + 8 x 0.4 = 60.2 -> 60.0; 57 + 8 x 0.45 = 60.6 -> 60.5
    assert score_of([0.4, 0.45], 0.0) == [60.0, 60.5]


def test_scores_stay_within_zero_and_the_full_marks():
    assert score_of([20.0, -20.0], 0.0) == [100.0, 0.0]
    assert score_of(20.0, 0.0, full_marks=150.0) == [150.0]  # raw 57 + 160 = 217


def test_an_absent_applicant_has_no_score():
    got = score_of(0.0, 0.0, u_absent=np.array([0.01, 0.0399, 0.04, 0.9]))
    assert [math.isnan(s) for s in got] == [True, True, False, False]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-6, 6), min_size=1, max_size=20), st.floats(-6, 6),
       st.sampled_from([0.5, 1.0, 2.0]), st.sampled_from([100.0, 150.0]))
def test_every_score_is_a_step_between_zero_and_the_full_marks(ability, z, step, full_marks):
    exam = BASELINE.model_copy(update={"score_step": step})
    got = np.array(score_of(np.array(ability), z, exam=exam, full_marks=full_marks))
    assert ((got >= 0) & (got <= full_marks)).all()
    np.testing.assert_allclose(got / step, np.round(got / step))


# ---------------------------------------------------------------------- in the engine
def test_in_the_engine_only_health_deputy_senior_applicants_sit(small_baseline_result):
    sat = small_baseline_result.total("sat_exam", by=("series", "level"))
    sat = sat[sat["value"] > 0]
    assert set(zip(sat["series"].astype(str), sat["level"].astype(str))) == {
        ("health", "deputy_senior")}
    titled = small_baseline_result.total("titled", by=("series", "level"))
    titled = titled[titled["value"] > 0]
    # full seniors and the other series are titled all the same, by evaluation alone
    assert ("health", "full_senior") in set(zip(titled["series"].astype(str),
                                                 titled["level"].astype(str)))
    assert {"teachers", "engineering", "economics"} <= set(titled["series"].astype(str))
