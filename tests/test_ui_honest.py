"""Honest numbers in the what-if view: every card and chart carries the 90 % interval over
replicates; the change is paired with the loaded scenario at the same replicates, whose
own figure is shown; a preview is marked until the full result replaces it; the equity
view and the per-year table add up to the headline figures; pinned results sit side by
side with their settings and paired differences."""
from __future__ import annotations

import re

import numpy as np
import pytest
from ui_scenarios import small_scenario

import titlesim
from titlesim.compare.outcomes import get
from titlesim.ui.runner import Runner
from titlesim.ui.whatif import WhatIf


@pytest.fixture(scope="module")
def runner():
    return Runner()


@pytest.fixture
def app(tmp_path_factory, runner):
    view = WhatIf(titlesim.load_scenario(small_scenario(tmp_path_factory.mktemp("honest"))),
                  runner=runner).wait()
    yield view
    view.close()


def per_replicate(scenario, metric):
    return titlesim.simulate(scenario).total(metric).groupby("replicate")["value"].sum().to_numpy()


def test_a_card_shows_the_90_percent_interval_and_the_paired_change_with_its_interval(app):
    app.set("passline.ratio", 0.8)
    app.wait()
    now = per_replicate(app.shown_scenario, "passed_ratio_only")
    base = per_replicate(app.loaded, "passed_ratio_only")
    h = app.shown.headline("passed_ratio_only")
    assert (h.value_lo, h.value_hi) == pytest.approx(tuple(np.percentile(now, [5, 95])))
    assert (h.change_lo, h.change_hi) == pytest.approx(tuple(np.percentile(now - base, [5, 95])))
    assert h.base == pytest.approx(base.mean())
    card = app.cards["passed_ratio_only"].value
    assert f"90%区间 {h.value_interval}" in card and h.change_interval in card
    assert f"原情景（同3次重复）：{h.base_text}" in card


def test_more_replicates_pair_the_change_with_the_loaded_scenario_at_those_replicates(app, runner):
    app.set("replicates", 5)
    app.wait()
    h = app.shown.headline("titled")
    base = runner.summary(app.loaded, 5).over_horizon(get("titled"))
    assert h.n == 5 and h.base == pytest.approx(base.mean())
    assert "同5次重复" in app.cards["titled"].value


def test_every_chart_draws_its_interval_and_a_hover_value(app):
    # a change that moves every county at 3,000 people (a ratio of 0.7 for 0.5 can pass no
    # one more in groups this small: its county chart is then all ±0, without whiskers)
    app.set("passline.provincial_standard", 55)
    app.wait()
    figures = app.figures
    assert "class='whisker'" in figures["titled_by_route"].value
    assert "class='band'" in figures["ratio_line"].value
    assert figures["post_queue"].value.count("class='band'") >= 2
    assert "class='whisker'" in figures["county_change"].value
    for svg in (f.value for f in figures.values()):
        assert "<title>" in svg and "width='100%'" in svg


def test_a_preview_is_marked_until_the_full_result_replaces_it(tmp_path):
    view = WhatIf(titlesim.load_scenario(small_scenario(tmp_path)), runner=Runner(), budget=0.0).wait()
    seen = []
    view.banner.observe(lambda change: seen.append((change["new"], list(view.results._dom_classes))), "value")
    try:
        view.set("passline.ratio", 0.65)
        view.wait()
        assert [t.state for t in view.timings][-2:] == ["preview", "full"]
        marked = [classes for text, classes in seen if "预览" in text]
        assert marked and all("titlesim-preview" in classes for classes in marked)
        assert view.banner.value == "" and "titlesim-preview" not in view.results._dom_classes
        assert "无区间" not in view.cards["titled"].value
    finally:
        view.close()


def test_the_equity_view_and_the_per_year_table_add_up_to_the_headline(app):
    app.set("passline.ratio", 0.75)
    app.wait()
    titled = app.shown.headline("titled")
    for dimension in ("grassroots", "unit_type", "specialty"):
        frame = app.shown.equity[dimension]
        assert frame["current"].sum() == pytest.approx(titled.value), dimension
        assert frame["change"].sum() == pytest.approx(titled.change), dimension
    assert list(app.shown.equity["grassroots"]["group"]) == ["其他单位", "基层单位"]
    per_year = app.shown.per_year.query("outcome == 'titled'")
    assert per_year["current"].sum() == pytest.approx(titled.value)
    assert "乡镇卫生院" in app.equity.value and "按专业" in app.equity.value
    assert "2022" in app.per_year.value and "[" in app.per_year.value
    # titles are counts of people: whole in the equity tables (titles per 100 applicants
    # is a rate and keeps its decimal)
    cells = re.findall(r"<td>([^<]*)</td>", app.equity.value)
    numbers = [c for c in cells if re.search(r"\d", c)]
    whole = r"(?:[+-]?[\d,]+|±0)"
    assert numbers and all(re.fullmatch(rf"{whole}( \[{whole}, {whole}\])?|\d+\.\d", c) for c in numbers), numbers


def test_pinned_results_show_their_settings_and_paired_differences_side_by_side(app):
    app.set("passline.ratio", 0.7)
    app.wait()
    app.pin_button.click()
    app.set("validity.years", 2)
    app.wait()
    app.pin_button.click()
    assert [p.name for p in app.pins] == ["固定1", "固定2"]
    table = app.pinned.value
    assert "达标成绩有效年数" in table and "titlesim-differs" in table and "固定2 − 固定1" in table
    first, second = app.pins
    # people whole: the difference of the shown values
    shown = [round(p.panels.headline("passes_expired_unused").value) for p in (first, second)]
    assert f"{shown[1] - shown[0]:+,d} [" in table or (shown[0] == shown[1] and "±0 [" in table)
    app.set("passline.rounding", "floor")  # an option is shown as its control shows it
    app.wait()
    app.pin_button.click()
    table = app.pinned.value
    assert "向下取整" in table and "四舍五入" in table and "floor" not in table and "half_up" not in table


def test_years_are_written_with_one_decimal_as_the_reports_write_them():
    from titlesim.ui.panels import Headline
    waited = Headline(key="years_waited", label="平均待聘年数", unit="years", value=2.345, change=0.04)
    assert waited.text(waited.value) == "2.3"
    assert waited.text(0.04, sign=True) == "±0" and waited.text(-0.26, sign=True) == "-0.3"
