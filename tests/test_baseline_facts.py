"""The baseline's facts, each checked against its source.

- County weights: the 2020 census residents of each county of Xinzhou (第七次全国人口普查,
  National Bureau of Statistics, as tabulated by citypopulation.de), which sum to the
  city's 2,689,668.
- Health staff: Xinzhou's 2019 statistical communique (忻州市2019年国民经济和社会发展统计公报):
  15,114 health technical staff, 4,120 of them in grassroots institutions (27 %).
- Teachers: no Xinzhou count was found; the share is an assumption kept plausible for a
  city of 2.7 million (Chongqing's 2007 yearbook: 7.8 full-time primary and secondary
  teachers per 1,000 residents).
"""
from __future__ import annotations

import pytest

CENSUS_2020 = {"忻府区": 577_089, "原平市": 413_922, "定襄县": 193_997, "五台县": 233_228,
               "代县": 178_870, "繁峙县": 250_409, "宁武县": 136_470, "静乐县": 119_277,
               "神池县": 75_757, "五寨县": 100_220, "岢岚县": 69_324, "河曲县": 123_505,
               "保德县": 144_218, "偏关县": 73_382}
CITY_2020 = 2_689_668


def test_each_county_weight_is_its_2020_census_figure(baseline_scenario):
    counties = baseline_scenario.params.population.counties
    assert counties == CENSUS_2020
    assert sum(counties.values()) == CITY_2020


def test_the_grassroots_share_of_health_staff_is_the_cited_27_percent(baseline_scenario):
    pop = baseline_scenario.params.population
    grassroots = sum(u.share for u in pop.unit_types.values() if u.series == "health" and u.grassroots)
    assert grassroots == pytest.approx(4_120 / 15_114, abs=0.005)


def test_health_staff_are_the_cited_15114(baseline_scenario):
    pop = baseline_scenario.params.population
    assert pop.size * pop.series["health"] == pytest.approx(15_114, rel=0.01)


def test_teachers_are_plausible_for_a_city_of_2_7_million(baseline_scenario):
    pop = baseline_scenario.params.population
    per_thousand = pop.size * pop.series["teachers"] / (CITY_2020 / 1000)
    assert 6 <= per_thousand <= 10


def test_no_paper_count_bars_an_application_in_the_baseline(baseline_scenario):
    """一(一): 坚持"破四唯" ... 不简单将人才称号、学术头衔作为职称评审的限制性条件. Papers count in
    the weighted research record; a paper minimum is a revision (scenarios/papers-required.yaml)."""
    from pathlib import Path

    from titlesim import load_scenario
    criteria = baseline_scenario.params.evaluation.criteria
    for route in ("general", "grassroots"):
        assert set(criteria[route].min_papers.values()) == {0}, route
        assert criteria[route].weights.research > 0, route
    revision = load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "papers-required.yaml")
    required = revision.params.evaluation.criteria
    assert required["general"].min_papers["full_senior"] == 2
    assert required["grassroots"].min_papers["deputy_senior"] == 1


def test_the_city_engineering_committee_evaluates_deputy_senior_only(baseline_scenario):
    """一(四): 市工信局 承接 ... 高级工程师评审权, 组建 ... 高级工程师评审委员会: 高级工程师 is the
    deputy-senior title, so a full-senior engineer is not counted against its places."""
    committee = baseline_scenario.params.evaluation.committees["engineering"]
    assert committee.capacity is not None and list(committee.levels) == ["deputy_senior"]
