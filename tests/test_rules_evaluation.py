"""Evaluation (评审) by the criteria.

Clause 一(一): "以品德、能力、业绩为导向，坚持'破四唯'和'立新标'并举"; 一(三): "新标准要突出
实践能力业绩导向 ... 把能看病、会看病、看好病作为临床医务人员职称评价的主要内容". A candidate's
record is a weighted mean of ability, practice (业绩) and research, plus the committee's
judgement; the title is granted at or above the route's threshold, after the conduct
(品德) check. A committee may evaluate at most ``capacity`` candidates a year (in order of
submission) and title at most ``pass_rate_cap`` of those it evaluates (the best first).
Each case is worked by hand.
"""
from __future__ import annotations

import numpy as np
from conftest import small_scenario, totals

from titlesim import simulate
from titlesim.rules.evaluation import judge, record_score
from titlesim.scenario.schema import Weights

NO_LIMIT = np.array([-1])
NO_CAP = np.array([np.nan])


def judged(score, threshold=0.0, conduct_ok=None, u_order=None, series=None,
           capacity=NO_LIMIT, pass_rate_cap=NO_CAP, capped=None):
    score = np.array(score, dtype=float)
    n = len(score)
    evaluated, titled = judge(
        np.ones(n, dtype=bool), np.zeros(n, dtype=np.int8) if series is None else np.array(series),
        score, np.full(n, threshold), np.ones(n, bool) if conduct_ok is None else np.array(conduct_ok),
        np.linspace(0, 0.9, n) if u_order is None else np.array(u_order),
        np.asarray(capacity), np.asarray(pass_rate_cap, dtype=float),
        None if capped is None else np.array(capped))
    return evaluated.tolist(), titled.tolist()


# ------------------------------------------------------------------------- the record
def test_the_grassroots_record_weighs_practice_most():
    # weights 0.2 / 0.7 / 0.1: (0.2 x 1 + 0.7 x 0.5 + 0.1 x -1) / 1.0 = 0.45
    got = record_score(np.array([1.0]), np.array([0.5]), np.array([-1.0]),
                       Weights(ability=0.2, practice=0.7, research=0.1), np.array([0.0]))
    np.testing.assert_allclose(got, [0.45])


def test_weights_are_relative_and_the_judgement_noise_is_added():
    # weights 1 / 1 / 0: (1 + 0) / 2 = 0.5, plus 0.1 of noise
    got = record_score(np.array([1.0]), np.array([0.0]), np.array([-1.0]),
                       Weights(ability=1, practice=1, research=0), np.array([0.1]))
    np.testing.assert_allclose(got, [0.6])


def test_dropping_research_makes_papers_irrelevant():
    """破四唯: with research weight 0, the papers record does not move the score."""
    w = Weights(ability=0.3, practice=0.7, research=0.0)
    few = record_score(np.array([0.2]), np.array([0.4]), np.array([-1.0]), w, np.array([0.0]))
    many = record_score(np.array([0.2]), np.array([0.4]), np.array([1.0]), w, np.array([0.0]))
    np.testing.assert_allclose(few, many)


def test_with_no_weights_only_the_judgement_counts():
    got = record_score(np.array([3.0]), np.array([3.0]), np.array([1.0]),
                       Weights(ability=0, practice=0, research=0), np.array([-0.2]))
    np.testing.assert_allclose(got, [-0.2])


# --------------------------------------------------------------- threshold and conduct
def test_the_title_is_granted_at_or_above_the_threshold():
    evaluated, titled = judged([0.5, -0.1, 0.0], threshold=0.0)
    assert evaluated == [True, True, True]
    assert titled == [True, False, True]


def test_a_conduct_failure_is_evaluated_but_not_titled():
    evaluated, titled = judged([0.9, 0.9], conduct_ok=[True, False])
    assert evaluated == [True, True]
    assert titled == [True, False]


# ------------------------------------------------------------------ committee capacity
def test_a_committee_evaluates_only_its_capacity_in_order_of_submission():
    # capacity 3, submission order u: 0.9, 0.1, 0.5, 0.3, 0.7 -> candidates 1, 3, 2
    evaluated, titled = judged([1.0] * 5, u_order=[0.9, 0.1, 0.5, 0.3, 0.7], capacity=np.array([3]))
    assert evaluated == [False, True, True, True, False]
    assert titled == [False, True, True, True, False]


def test_capacity_zero_evaluates_nobody():
    evaluated, titled = judged([1.0, 1.0], capacity=np.array([0]))
    assert evaluated == [False, False] and titled == [False, False]


def test_each_series_has_its_own_committee():
    # series 0 capacity 1; series 1 no limit
    evaluated, _ = judged([1.0] * 4, series=[0, 0, 1, 1], u_order=[0.6, 0.2, 0.9, 0.8],
                          capacity=np.array([1, -1]), pass_rate_cap=np.array([np.nan, np.nan]))
    assert evaluated == [False, True, True, True]


# ------------------------------------------------------------------- pass-rate cap
def test_a_pass_rate_cap_keeps_the_best_records():
    # 5 evaluated, cap 0.5 -> floor(2.5) = 2 titles; all above the threshold; best 0.9, 0.8
    evaluated, titled = judged([0.3, 0.9, 0.5, 0.8, 0.1], pass_rate_cap=np.array([0.5]))
    assert evaluated == [True] * 5
    assert titled == [False, True, False, True, False]


def test_a_cap_is_a_share_of_the_evaluated_not_of_those_above_the_threshold():
    # 4 evaluated, cap 0.5 -> 2; only one is above the threshold, so only one title
    _, titled = judged([0.9, -1, -1, -1], pass_rate_cap=np.array([0.5]))
    assert titled == [True, False, False, False]


def test_at_a_tie_under_the_cap_submission_order_decides():
    # 3 evaluated, cap 0.34 -> floor(1.02) = 1; two tie at 0.7; the earlier submission wins
    _, titled = judged([0.7, 0.7, 0.2], u_order=[0.8, 0.3, 0.1], pass_rate_cap=np.array([0.34]))
    assert titled == [False, True, False]


def test_capacity_and_cap_together():
    # capacity 4 of 6 (order u), then cap 0.5 of the 4 evaluated -> the 2 best of them
    evaluated, titled = judged([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], u_order=[0.5, 0.9, 0.1, 0.2, 0.3, 0.95],
                               capacity=np.array([4]), pass_rate_cap=np.array([0.5]))
    assert evaluated == [True, False, True, True, True, False]
    assert titled == [True, False, True, False, False, False]


def test_the_senior_engineers_committee_caps_senior_applicants_only():
    # 一(四) "组建相应专业高级工程师评审委员会": the committee evaluates senior levels. Capacity
    # 2, levels deputy and full senior; two intermediate and three deputy-senior candidates,
    # all with good records, submitted in the order of u: both intermediates are evaluated
    # (not the committee's level) and the first two deputies by submission
    evaluated, titled = judged([1.0] * 5, u_order=[0.1, 0.2, 0.5, 0.3, 0.4],
                               capacity=np.array([2]), capped=[False, False, True, True, True])
    assert evaluated == [True, True, False, True, True]
    assert titled == evaluated


def test_a_pass_rate_cap_counts_the_committees_levels_only():
    # cap 0.5 on senior levels: of two senior candidates one is titled (the better); the
    # intermediate candidate is not counted and is titled on his record alone
    evaluated, titled = judged([0.9, 0.8, 0.7], pass_rate_cap=np.array([0.5]),
                               capped=[False, True, True])
    assert titled == [True, True, False]


# ---------------------------------------------------------------------- in the engine
def test_in_the_engine_the_engineering_committee_evaluates_at_most_its_capacity():
    result = simulate(small_scenario("evaluation.committees.engineering.capacity=5",
                                     size=3000))
    """一(四): the city's 高级工程师评审委员会 evaluates deputy senior (高级工程师) only: its
    capacity holds deputy-senior candidates; intermediate and full-senior ones are evaluated
    outside it, every applicant of theirs."""
    by = ["replicate", "year"]
    evaluated = result.total("evaluated", by=("series", "level"))
    engineering = evaluated[evaluated["series"] == "engineering"]
    deputy = engineering[engineering["level"] == "deputy_senior"].groupby(by)["value"].sum()
    intermediate = engineering[engineering["level"] == "intermediate"]["value"]
    full = engineering[engineering["level"] == "full_senior"].groupby(by)["value"].sum()
    applied = result.total("applied", by=("series", "level"))
    applied = applied[applied["series"] == "engineering"]
    deputy_applied = applied[applied["level"] == "deputy_senior"].groupby(by)["value"].sum()
    full_applied = applied[applied["level"] == "full_senior"].groupby(by)["value"].sum()
    assert (deputy <= 5).all() and (deputy == 5).any()
    assert deputy_applied.max() > 5
    assert intermediate.sum() > 0  # intermediate engineers are not held back by the cap
    assert full_applied.sum() > 0 and full.sum() == full_applied.sum()  # nor full-senior ones
    assert deputy.add(full, fill_value=0).max() > 5  # with full senior counted, the cap would bind


def test_in_the_engine_a_pass_rate_cap_bounds_the_titles():
    result = simulate(small_scenario("evaluation.committees.health.pass_rate_cap=0.2", size=3000))
    by = ("replicate", "year")
    titled = result.total("titled", by=("series",)).query("series == 'health'").set_index(list(by))
    evaluated = result.total("evaluated", by=("series",)).query("series == 'health'").set_index(list(by))
    assert (titled["value"] <= np.floor(0.2 * evaluated["value"] + 1e-9)).all()
    assert totals(result)["titled"].sum() > 0
