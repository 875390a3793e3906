"""The report button makes the Papermill report of the saved revision (the real
``titlesim report`` command, run from the view), and says so when it cannot."""
from __future__ import annotations

import pytest
from ui_scenarios import small_scenario

import titlesim
from titlesim.ui.runner import Runner
from titlesim.ui.whatif import WhatIf


@pytest.fixture
def app(tmp_path):
    view = WhatIf(titlesim.load_scenario(small_scenario(tmp_path)), runner=Runner()).wait()
    yield view
    view.close()


def test_the_report_needs_a_saved_revision_first(app):
    app.report_button.click()
    assert "请先保存修订情景" in app.message.value and app.report is None


@pytest.mark.slow
def test_the_report_button_makes_the_report_of_the_saved_revision(app, tmp_path):
    app.set("passline.ratio", 0.7)
    app.save("ratio-0.7")
    app.report_button.click()
    outcome = app.wait_report(900)
    assert outcome.ok, outcome.output
    report = tmp_path / "reports" / "ratio-0.7"
    html = next(report.glob("*/report.html"))
    assert outcome.output == str(html) and str(html) in app.message.value
    assert "报告已生成" in app.message.value
    assert "ratio-0.7" in (html.parent / "provenance.json").read_text(encoding="utf-8")


def test_a_failing_report_is_reported(app):
    app.set("passline.ratio", 0.7)
    saved = app.save("gone")
    saved.unlink()  # the command cannot find it any more
    app.report_button.click()
    outcome = app.wait_report(300)
    assert not outcome.ok and "gone.yaml" in outcome.output
    assert "报告生成失败" in app.message.value
