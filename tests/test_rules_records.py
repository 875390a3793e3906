"""Clause 一(一): "坚持'破四唯'和'立新标'并举 ... 不简单将人才称号、学术头衔作为职称评审的
限制性条件或评价指标。"

Papers are one record among others: the research record grows each year by the papers
rate of the person's education (an assumption of the scenario), and counts in the
evaluation up to a saturation; whether any papers are required is the criteria's
``min_papers``, not this rule's. Each case is worked by hand.
"""
from __future__ import annotations

import numpy as np

from titlesim.rules.records import new_papers, research_score


def test_a_quarter_paper_a_year_is_one_paper_a_quarter_of_the_time():
    # rate 0.25: whole part 0, one more paper when u < 0.25
    u = np.array([0.0, 0.24, 0.25, 0.9])
    assert new_papers(u, np.full(4, 0.25)).tolist() == [1, 1, 0, 0]


def test_a_rate_above_one_gives_the_whole_part_and_maybe_one_more():
    # rate 1.5: always 1, and a second paper when u < 0.5
    u = np.array([0.49, 0.5])
    assert new_papers(u, np.full(2, 1.5)).tolist() == [2, 1]


def test_no_rate_no_papers():
    assert new_papers(np.array([0.0, 0.5]), np.zeros(2)).tolist() == [0, 0]


def test_the_research_record_runs_from_minus_one_to_one_at_saturation():
    # saturation 4: 0 papers -> -1, 2 -> 0, 4 -> +1, more than 4 still +1
    papers = np.array([0, 1, 2, 4, 9])
    assert research_score(papers, 4).tolist() == [-1.0, -0.5, 0.0, 1.0, 1.0]


def test_one_paper_saturates_a_saturation_of_one():
    assert research_score(np.array([0, 1, 3]), 1).tolist() == [-1.0, 1.0, 1.0]
