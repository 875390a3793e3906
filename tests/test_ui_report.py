"""The report button makes the comparison report of the saved revision against the
scenario it revises (the real ``titlesim report BASE --compare REVISION`` command, run
from the view), offers its files for download, and says so when it cannot."""
from __future__ import annotations

import base64
import json

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
def test_the_report_button_makes_the_comparison_report_and_offers_its_files(app, tmp_path):
    app.set("passline.ratio", 0.7)
    app.save("ratio-0.7")
    app.report_button.click()
    assert "正在生成比较报告（ratio-0.7.yaml 对比 small.yaml）" in app.message.value
    outcome = app.wait_report(900)
    assert outcome.ok, outcome.output
    html = next((tmp_path / "reports" / "small").glob("*/report.html"))
    assert outcome.output == str(html) and "比较报告已生成" in app.message.value
    assert outcome.command[outcome.command.index("--compare") + 1].endswith("ratio-0.7.yaml")
    provenance = json.loads((html.parent / "provenance.json").read_text(encoding="utf-8"))
    assert "ratio-0.7" in json.dumps(provenance, ensure_ascii=False)
    names = [p.name for p in outcome.files]
    assert names[0] == "report.html" and "tables.xlsx" in names
    assert set(names) <= {"report.html", "report.docx", "report.pdf", "tables.xlsx"}
    for path in outcome.files:  # each embedded in its link (no server here)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        assert f"download='{path.name}'" in app.downloads.value and data in app.downloads.value
    assert "download='ratio-0.7.yaml'" in app.downloads.value


def test_a_failing_report_is_reported(app):
    app.set("passline.ratio", 0.7)
    saved = app.save("gone")
    saved.unlink()  # the command cannot find it any more
    app.report_button.click()
    outcome = app.wait_report(300)
    assert not outcome.ok and "gone.yaml" in outcome.output
    assert "报告生成失败" in app.message.value
