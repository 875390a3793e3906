"""The baseline holds steady when no rule changes (model validation).

A bureau quotes the baseline's ten-year figures; they must come from the rules, not from
how the starting workforce was drawn. On the shipped baseline (ten years):

* titles per year within 15 % of the ten-year mean, in every year;
* headcount of every series x level with 200 people or more within 15 % of its starting
  value in every year, and the whole workforce within 2 % (growth_rate 0);
* starting grade shares of each series (after the history) within 5 points of the stated
  shares.
"""
from __future__ import annotations

import pytest
from conftest import BASELINE, small_scenario

from titlesim import load_scenario, simulate
from titlesim.steadiness import (HEADCOUNT_TOLERANCE, MIN_PEOPLE, SHARE_POINTS, STOCK_TOLERANCE,
                                 TITLES_TOLERANCE, measure)


@pytest.fixture(scope="module")
def loaded():
    return load_scenario(BASELINE, ["replicates=3"])


@pytest.fixture(scope="module")
def baseline(loaded):
    return measure(simulate(loaded))


def test_titles_per_year_stay_within_15_percent_of_the_ten_year_mean(baseline):
    assert len(baseline.titles_per_year) == 10
    mean = sum(baseline.titles_per_year.values()) / 10
    assert mean > 0.02 * sum(baseline.headcount_by_year.values()) / 10  # about 4 % of staff a year
    for year, titles in baseline.titles_per_year.items():
        assert abs(titles / mean - 1) <= TITLES_TOLERANCE, (year, titles, mean)


def test_headcount_stays_within_2_percent_with_no_growth(loaded, baseline):
    size = loaded.params.population.size
    assert baseline.headcount_start == pytest.approx(size, rel=HEADCOUNT_TOLERANCE)
    for year, heads in baseline.headcount_by_year.items():
        assert abs(heads / baseline.headcount_start - 1) <= HEADCOUNT_TOLERANCE, (year, heads)


def test_every_large_series_by_level_stays_within_15_percent_of_its_start(baseline):
    big = baseline.stocks[baseline.stocks["start"] >= MIN_PEOPLE]
    assert len(big) >= 10  # most series x level cells of a city are large enough
    for row in big.itertuples():
        assert row.low >= (1 - STOCK_TOLERANCE) * row.start, row
        assert row.high <= (1 + STOCK_TOLERANCE) * row.start, row


def test_the_history_ends_at_the_stated_grade_shares(baseline):
    shares = baseline.shares
    assert len(shares) == 4 * 4  # every level of every series
    worst = shares.loc[shares["gap"].abs().idxmax()]
    assert abs(worst["gap"]) <= SHARE_POINTS, worst.to_dict()
    # unit types too, where chance moves a small type's shares little (a thousand or more)
    by_type = baseline.shares_by_unit_type
    assert len(by_type) == 4 * 10
    assert by_type["gap"].abs().max() <= 2 * SHARE_POINTS


def test_posts_and_the_queue_do_not_drift(baseline):
    """Vacant posts and the waiting queue are where the history left them, not growing."""
    for series in (baseline.posts_vacant_by_year, baseline.waiting_by_year):
        first, last = series[min(series)], series[max(series)]
        assert abs(last - first) <= 0.15 * max(first, 100), (first, last)


def test_without_a_history_the_first_year_is_inflated():
    """What the history is for: from a freshly drawn workforce nobody holds an earlier
    pass and the grade mix is not the one the rules sustain, so the first years differ."""
    drawn = measure(simulate(small_scenario("history.years=0", size=8000, years=6,
                                            replicates=2)))
    steady = measure(simulate(small_scenario(size=8000, years=6, replicates=2)))
    assert drawn.titles_max_deviation > TITLES_TOLERANCE
    assert steady.titles_max_deviation < drawn.titles_max_deviation


def test_every_report_says_where_it_starts_and_how_steady_it_is():
    """The report's model-validation section: the history, the four criteria measured
    on the run, what to trust and what to replace."""
    from titlesim.report.sections import Inputs, build
    result = simulate(small_scenario(size=3000, years=3, replicates=2))
    section = build("validation", Inputs(result, "zh"))
    assert "40年的历史模拟" in section.paragraphs[0]
    table = section.tables[0].frame
    assert len(table) == 4 and set(table["holds"]) <= {"是", "否"}  # shown in words
    figure = measure(result).titles_max_deviation * 100
    assert table.iloc[0]["this_run"] == pytest.approx(figure, abs=0.05)
    assert f"{table.iloc[0]['this_run']:.1f}%" in section.paragraphs[1]
    english = build("validation", Inputs(result, "en")).paragraphs
    assert english[0].startswith("The first year (2022)") and "application.factor" in english[3]
