"""The planning view: widget values become the command's own levers and targets, the
answer and its chart are shown, and "save as revision" writes a revision that loads to
the planned setting. Small scenario (3,000 people, 3 years), 2 replicates."""
from __future__ import annotations

import pytest
from ui_scenarios import small_scenario

from titlesim.compare.diff import changed
from titlesim.scenario import load_scenario
from titlesim.ui import plan_app


@pytest.fixture(autouse=True)
def no_environment_overrides(monkeypatch):
    for name in ("TITLESIM_WHATIF_SCENARIO", "TITLESIM_WHATIF_SET", "TITLESIM_LANG",
                 "TITLESIM_SERVE_FOLDER"):
        monkeypatch.delenv(name, raising=False)


def test_widgets_make_the_commands_question_and_show_the_answer(tmp_path):
    scenario = small_scenario(tmp_path)
    view = plan_app(scenario, levers=["validity.ratio_only_years=1:3"],
                    targets=["titled >= 1"], replicates=2, out_root=tmp_path / "reports")
    assert [r.text() for r in view.lever_rows] == ["validity.ratio_only_years=1:3"]
    assert [r.text() for r in view.target_rows] == ["titled >= 1"]
    view.target_rows[0].year.value = 2023
    assert view.target_rows[0].text() == "titled@2023 >= 1"
    seen = []
    view._progress = lambda *a: seen.append(a)  # the bar's callback is called as points finish
    plan = view.run()
    assert plan is not None and plan.feasible
    assert plan.setting == {"validity.ratio_only_years": 1}  # the least change: none
    assert seen and seen[-1][1] == seen[-1][2]
    assert "validity.ratio_only_years" in view.answer.value
    assert view.chart.value[:4] == b"\x89PNG"
    assert (plan.folder / "plan.yaml").is_file()
    assert not view.save_button.disabled


def test_save_as_revision_writes_the_planned_setting_beside_the_scenario(tmp_path):
    scenario = small_scenario(tmp_path)
    target = "passed_ratio_only >= 1"
    view = plan_app(scenario, levers=["passline.ratio=0.6:0.8:0.1"], targets=[target],
                    replicates=2, out_root=tmp_path / "reports")
    plan = view.run()
    view.name.value = "ratio-plan"
    path = view.save()
    assert path == scenario.parent / "ratio-plan.yaml"
    differs = changed(load_scenario(scenario).resolved, load_scenario(path).resolved)
    assert [(k, new) for k, _, new in differs] == [("passline.ratio", plan.setting["passline.ratio"])]


def test_a_refused_question_is_shown_not_raised(tmp_path):
    view = plan_app(small_scenario(tmp_path), levers=["passline.ratio=0.9:0.3"],
                    targets=["titled >= 1"], replicates=2, out_root=tmp_path / "reports", lang="en")
    assert view.run() is None
    assert "0.9:0.3" in view.message and view.save_button.disabled


def test_a_refused_question_is_told_in_chinese_by_default(tmp_path):
    view = plan_app(small_scenario(tmp_path), levers=["passline.ratio=0.9:0.3"],
                    targets=["titled >= 1"], replicates=2, out_root=tmp_path / "reports")
    assert view.run() is None
    assert "0.9:0.3" in view.message and "范围为空" in view.message, view.message
    assert "empty" not in view.message and "expected" not in view.message, view.message
