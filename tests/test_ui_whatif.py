"""The what-if view without a browser: build it, move controls as a user would, and check
that the panels show what the engine computes and change as the notice's rules say."""
from __future__ import annotations

import re

import numpy as np
import pytest
from ui_scenarios import small_scenario

import titlesim
from titlesim import labels
from titlesim.compare.outcomes import headline as headline_outcomes
from titlesim.ui.controls import CONTROLS, css_class
from titlesim.ui.panels import format_count
from titlesim.ui.runner import Runner
from titlesim.ui.whatif import WhatIf

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def runner():
    return Runner()  # shared: replicates already simulated are reused across tests


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory):
    return small_scenario(tmp_path_factory.mktemp("whatif"))


@pytest.fixture
def app(scenario_file, runner):
    view = WhatIf(titlesim.load_scenario(scenario_file), runner=runner).wait()
    yield view
    view.close()


def first_year(summary, metric):
    return summary.total(metric)[:, 0]


def settle(app, **changes):
    for path, value in changes.items():
        app.set(path.replace("__", "."), value)
    return app.wait()


def engine_headline(result, metric):
    """Mean over replicates of the metric summed over the horizon, straight from the engine."""
    return result.total(metric).groupby("replicate")["value"].sum().mean()


# ------------------------------------------------------------------------- controls
def test_every_control_shows_its_chinese_label_and_its_clause(app):
    rows = app.controls.rows()
    assert len(rows) == len(CONTROLS) + 1  # and the unit-type picker of the post structure
    for control in CONTROLS:
        widget = app.controls.widgets[control.path]
        assert css_class(control.path) in widget._dom_classes
        row = next(r for r in rows if r.children[1] is widget)
        name, source = row.children[0].value, row.children[2].value
        assert labels.parameter_label(control.path, "zh") in name and CJK.search(name)
        clause = labels.parameter_row(control.path)["source"]
        assert (clause if clause != "assumption" else "假设") in source
        assert control.path in widget.tooltip and labels.parameter_label(control.path, "en") in widget.tooltip


def test_only_changed_keys_are_changes_and_moving_back_undoes_them(app):
    settle(app, passline__ratio=0.6, posts__structure__township_health_centre__deputy_senior=0.2)
    assert app.controls.changes() == {"passline.ratio": 0.6,
                                      "posts.structure.township_health_centre.deputy_senior": 0.2}
    assert app.controls.picker.value == "township_health_centre"
    app.controls.picker.value = "city_hospital"  # the sliders show the other unit type ...
    loaded = app.loaded.params.posts.structure["city_hospital"]["deputy_senior"]
    assert app.controls.widgets["posts.structure.*.deputy_senior"].value == loaded
    assert len(app.controls.changes()) == 2  # ... without changing anything
    settle(app, passline__ratio=app.loaded.params.passline.ratio)
    assert list(app.controls.changes()) == ["posts.structure.township_health_centre.deputy_senior"]


def test_the_reset_button_goes_back_to_the_scenario_as_loaded(app):
    settle(app, passline__ratio=0.7, validity__years=2, posts__structure__rural_school__deputy_senior=0.2)
    app.reset_button.click()
    app.wait()
    assert app.controls.changes() == {}
    assert app.shown_scenario.resolved == app.loaded.resolved
    assert all(h.change_text == "±0" for h in app.shown.headlines)


# ---------------------------------------------------------------- what is displayed
def test_the_loaded_scenario_shows_the_engines_figures_and_no_change(app):
    result = titlesim.simulate(app.loaded)
    assert app.shown_state == "full" and app.shown.replicates == 3
    assert [h.key for h in app.shown.headlines] == [o.name for o in headline_outcomes()]
    for key in ("titled", "passed_ratio_only", "passes_expired_unused", "waiting"):
        headline = app.shown.headline(key)
        if key == "waiting":  # a stock: at the end of the horizon
            expected = result.total(key).query(f"year == {result.years[-1]}")["value"].mean()
        else:
            expected = engine_headline(result, key)
        assert headline.value_text == format_count(expected)
        assert float(headline.value_text.replace(",", "")) == pytest.approx(expected, abs=0.5)  # whole
        assert headline.value_text in app.cards[key].value
    grassroots = result.total("headcount", by=("grassroots", "level"))
    end = grassroots[(grassroots["year"] == result.years[-1]) & grassroots["grassroots"]]
    senior = end[end["level"].isin(["deputy_senior", "full_senior"])].groupby("replicate")["value"].sum()
    share = (100 * senior / end.groupby("replicate")["value"].sum()).mean()
    assert app.shown.headline("senior_share_grassroots").value_text == f"{share:.1f}%"
    assert all(h.change_text == "±0" for h in app.shown.headlines)
    assert "data-state='full'" in app.status.value
    assert re.search(r"已完成（\d+次重复） · \d+\.\d\d 秒<", app.status.value), app.status.value  # no English "s"


def test_moving_the_ratio_shows_the_engines_figures_for_that_ratio(app):
    settle(app, passline__ratio=0.7)
    result = titlesim.simulate(app.loaded.with_overrides(["passline.ratio=0.7"]))
    base = titlesim.simulate(app.loaded)
    shown = app.shown.headline("passed_ratio_only")
    assert float(shown.value_text.replace(",", "")) == pytest.approx(engine_headline(result, "passed_ratio_only"), abs=0.5)
    change = engine_headline(result, "passed_ratio_only") - engine_headline(base, "passed_ratio_only")
    assert shown.change == pytest.approx(change)
    assert app.shown_scenario.params.passline.ratio == 0.7
    # people whole on the cards; the change is worked out from the shown figures
    for h in app.shown.headlines:
        if h.unit in ("persons", "sittings"):
            assert re.fullmatch(r"\d{1,3}(,\d{3})*", h.value_text), h.value_text
            assert re.fullmatch(r"[+-]\d{1,3}(,\d{3})*|±0", h.change_text), h.change_text
            whole = [int(t.replace(",", "")) for t in (h.value_text, h.base_text)]
            assert int(h.change_text.replace("±", "").replace(",", "")) == whole[0] - whole[1]
            assert h.value_text in app.cards[h.key].value and h.change_text in app.cards[h.key].value


# ------------------------------------------------------- the rules, through the panels
def test_a_higher_ratio_passes_at_least_as_many_by_ratio_and_lowers_the_line(app, runner):
    settle(app, passline__ratio=0.3)
    low_line, low = app.shown.ratio_line, runner.summary(app.shown_scenario, 3)
    settle(app, passline__ratio=0.8)
    high_line, high = app.shown.ratio_line, runner.summary(app.shown_scenario, 3)
    # the same takers and scores in the first year (common random numbers): a larger
    # k = ratio x applicants takes the line down to a lower score
    assert (first_year(high, "passed_ratio_only") >= first_year(low, "passed_ratio_only")).all()
    assert first_year(high, "passed_ratio_only").sum() > first_year(low, "passed_ratio_only").sum()
    assert high_line["mean"].iloc[0] < low_line["mean"].iloc[0]
    assert app.shown.headline("passed_ratio_only").change > 0
    assert "<polyline class='line'" in app.figures["ratio_line"].value


def test_the_ratio_line_panel_shows_the_provincial_standard(app):
    settle(app, passline__provincial_standard=65.0)
    assert (app.shown.ratio_line["standard"] == 65.0).all()
    assert "class='hline' data-value='65'" in app.figures["ratio_line"].value


def test_a_higher_provincial_standard_passes_fewer_by_it(app, runner):
    settle(app, passline__provincial_standard=55.0)
    easy = runner.summary(app.shown_scenario, 3).total("passed_provincial")
    settle(app, passline__provincial_standard=65.0)
    hard = runner.summary(app.shown_scenario, 3).total("passed_provincial")
    assert (hard[:, 0] <= easy[:, 0]).all() and hard.sum() < easy.sum()
    assert app.shown.ratio_line["standard"].iloc[0] == 65.0


def test_more_senior_posts_in_township_centres_shorten_the_grassroots_queue(app):
    settle(app, posts__structure__township_health_centre__deputy_senior=0.3)
    queue = app.shown.post_queue
    assert (queue["grassroots"] <= queue["loaded_grassroots"]).all()
    assert queue["grassroots"].iloc[0] < queue["loaded_grassroots"].iloc[0]
    assert app.shown.headline("waiting").change < 0


def test_stricter_paper_requirements_give_no_more_directed_titles(app, runner):
    settle(app, evaluation__criteria__grassroots__min_papers__deputy_senior=3)
    strict = runner.summary(app.shown_scenario, 3)
    loaded = runner.summary(app.loaded, 3)
    assert (first_year(strict, "titled_directed") <= first_year(loaded, "titled_directed")).all()
    assert app.shown.titled_by_route["directed"].sum() < loaded.total("titled_directed").mean(0).sum()
    assert app.shown.headline("titled_grassroots").change < 0


def test_longer_validity_of_ratio_only_passes_lets_fewer_expire_unused(app):
    settle(app, validity__ratio_only_years=3)
    assert app.shown.headline("passes_expired_unused").change < 0


def test_the_titled_panel_splits_titles_by_scope_and_the_county_panel_adds_up(app, runner):
    settle(app, passline__ratio=0.8)
    route = app.shown.titled_by_route
    titled = app.shown.headline("titled")
    assert route["general"].sum() + route["directed"].sum() == pytest.approx(titled.value)
    directed = runner.summary(app.shown_scenario, 3).total("titled_directed").mean(axis=0)
    assert route["directed"].tolist() == pytest.approx(directed.tolist())
    counties = app.shown.county_change
    assert list(counties["county"]) == list(app.loaded.params.population.counties)
    assert counties["change"].sum() == pytest.approx(titled.change)
    assert "忻府区" in app.figures["county_change"].value


# ------------------------------------------------------------- preview, then full
def test_a_slow_update_shows_a_one_replicate_preview_first(scenario_file):
    view = WhatIf(titlesim.load_scenario(scenario_file), runner=Runner(), budget=0.0).wait()
    try:
        view.timings.clear()
        settle(view, passline__ratio=0.65)
        assert [t.state for t in view.timings] == ["preview", "full"]
        assert view.shown_state == "full" and view.shown.replicates == 3
    finally:
        view.close()


def test_a_fast_update_goes_straight_to_the_full_replicates(scenario_file):
    view = WhatIf(titlesim.load_scenario(scenario_file), runner=Runner(), budget=1e9).wait()
    try:
        view.timings.clear()
        settle(view, passline__ratio=0.65)
        assert [t.state for t in view.timings] == ["full"]
    finally:
        view.close()


def test_the_next_step_of_the_slider_moved_last_is_ready_before_it_is_asked(scenario_file):
    runner = Runner()
    app = WhatIf(titlesim.load_scenario(scenario_file), runner=runner).wait()
    try:
        settle(app, passline__ratio=0.35)
        for ratio in (0.3, 0.4):
            assert runner.cached(app.loaded.with_overrides([f"passline.ratio={ratio}"])) == 1
        assert runner.cached(app.loaded.with_overrides(["passline.ratio=0.45"])) == 0
    finally:
        app.close()


def test_neighbours_are_one_slider_step_either_side(app):
    assert app.controls.neighbours("validity.years") == [2, 4]
    assert app.controls.neighbours("passline.rounding") == []
    app.set("posts.structure.rural_school.intermediate", 0.41)
    assert app.controls.neighbours("posts.structure.rural_school.intermediate") == [0.4, 0.42]


def test_the_replicates_control_sets_the_replicates_shown(app):
    settle(app, replicates=5)
    assert app.shown.replicates == 5
    assert "5" in app.status.value and "data-state='full'" in app.status.value


def test_a_burst_of_changes_shows_only_the_last_settings(app):
    app.timings.clear()
    for ratio in (0.55, 0.6, 0.65, 0.7, 0.75):
        app.set("passline.ratio", ratio)
    app.wait()
    assert app.shown_scenario.params.passline.ratio == 0.75
    assert len(app.timings) <= 2  # debounced: not one update per step


def test_settings_the_model_refuses_show_the_problem_and_keep_the_figures(app):
    before = app.shown
    app.worker.submit(({"passline.ratio": 1.5}, None))
    app.wait()
    assert "data-state='error'" in app.status.value and "passline.ratio" in app.status.value
    assert app.shown is before


def test_a_failed_computation_says_so_in_chinese_and_logs_its_traceback(app, monkeypatch, capfd):
    def broken(*args, **kwargs):
        raise RuntimeError("an internal fault")
    monkeypatch.setattr(app.runner, "summary", broken)
    app.worker.submit(({"passline.ratio": 0.45}, None))
    app.worker.wait(60)
    app.worker.errors.clear()
    assert "data-state='failed'" in app.status.value and "计算出错" in app.status.value
    assert "未能算出" in app.status.value and "RuntimeError" not in app.status.value
    assert "RuntimeError: an internal fault" in capfd.readouterr().err  # the server's log


def test_english_labels(scenario_file, runner):
    view = WhatIf(titlesim.load_scenario(scenario_file), lang="en", runner=runner).wait()
    try:
        assert view.shown.headline("titled").label == "titled (sum of the years)"
        assert view.shown.headline("senior_share_grassroots").label == \
            "senior share of the grassroots workforce (value at the end)"
        assert "grassroots pass ratio" in view.controls.rows()[0].children[0].value
        assert "Save as revision" == view.save_button.description
    finally:
        view.close()


def test_figures_are_svg_with_chinese_titles(app):
    for name, html in ((n, f.value) for n, f in app.figures.items()):
        assert html.startswith("<svg") and CJK.search(html), name
    assert np.isfinite(app.shown.ratio_line["mean"]).any()


def test_a_refused_setting_is_told_in_chinese_by_default_and_english_on_request(app, scenario_file, runner):
    app.worker.submit(({"passline.ratio": 1.5}, None))
    app.wait()
    assert "应小于或等于 1，实际为 1.5" in app.status.value and "passline.ratio" in app.status.value
    assert "must be" not in app.status.value and "got" not in app.status.value
    english = WhatIf(titlesim.load_scenario(scenario_file), lang="en", runner=runner).wait()
    english.worker.submit(({"passline.ratio": 1.5}, None))
    english.wait()
    assert "1.5" in english.status.value and "passline.ratio" in english.status.value
    assert "应小于" not in english.status.value


def test_the_page_says_what_to_do_in_its_own_language_and_names_a_mean_as_one(app):
    """The page's intro comes from the page (Chinese here), not from the notebook in both
    languages; a mean over the years is not called a sum of the years."""
    top = app.widget.children[0].value
    assert "移动左侧的控件" in top and "Move a control" not in top
    waited = app.cards["years_waited"].value
    assert "（全期）" in waited and "各年合计" not in waited
    import json
    from pathlib import Path
    notebook = json.loads((Path(__file__).resolve().parents[1] / "notebooks" / "whatif.ipynb")
                          .read_text(encoding="utf-8"))
    assert all(cell["cell_type"] == "code" for cell in notebook["cells"])  # thin: no fixed text
