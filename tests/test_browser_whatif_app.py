"""The what-if page as served by ``titlesim serve``, in a real browser (Chromium through
Playwright) at 1,400 px: the results sit beside the controls with the buttons in view; a
dropdown and a checkbox change what is shown to the package's own figures; saving with a
title writes the revision, and its download link answers 200 with that file; the report
button makes the comparison report, and each of its download links answers 200 with a
valid file."""
from __future__ import annotations

import io
import os
import sys
import urllib.request
import zipfile

import pytest
import yaml
from browser_support import ARTIFACTS, chromium, explained, free_port, server
from ui_scenarios import SMALL_SET, small_scenario

import titlesim
from titlesim.ui.controls import option_label
from titlesim.ui.runner import scenario_key

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 1400, 900


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    work = tmp_path_factory.mktemp("app")
    small_scenario(work)
    port = free_port()
    env = dict(os.environ, TITLESIM_WHATIF_SET=SMALL_SET, TITLESIM_LANG="zh")
    command = [sys.executable, "-m", "titlesim", "serve", f"--port={port}",
               "--scenarios", str(work / "scenarios"), "--workspace", str(work)]
    with server(command, port, work / "serve.log", env=env, cwd=work):
        yield f"http://127.0.0.1:{port}", work


@pytest.fixture(scope="module")
def page(served):
    url, work = served
    with chromium() as browser:
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        # the first page of a fresh checkout may wait for the compiled passes on a busy machine;
        # a page that never gets there says what it showed and what the server logged
        with explained(page, work / "serve.log"):
            page.goto(url + "/voila/render/whatif.ipynb", timeout=300_000)
            page.wait_for_selector(".titlesim-status [data-state=full]", timeout=300_000)
        yield page


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_results_sit_beside_the_controls_with_the_buttons_in_view(page):
    # the status line can be drawn before the last figure: wait for the four, not count once
    page.wait_for_function("document.querySelectorAll('.titlesim-results svg').length == 4", timeout=30_000)
    controls, results = box(page, ".titlesim-controls-column"), box(page, ".titlesim-results")
    assert results["x"] >= controls["x"] + controls["width"] - 1  # beside, not below
    assert results["y"] < controls["y"] + 200
    assert results["x"] + results["width"] <= WIDTH + 1
    for button in (".titlesim-save", ".titlesim-report", ".titlesim-pin", ".titlesim-reset"):
        b = box(page, button)
        assert b["y"] + b["height"] <= HEIGHT, button
    chart = box(page, ".titlesim-panel-titled_by_route svg")
    assert chart["width"] >= 380 and chart["y"] < HEIGHT  # a chart in view, using its column
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "whatif-1400.png"))


def test_a_dropdown_and_a_checkbox_change_the_figures(page, served):
    _, work = served
    baseline = work / "scenarios" / "baseline-2022.yaml"
    page.select_option(".titlesim-control-passline-rounding select",
                       label=option_label("passline.rounding", "ceil", "zh"))
    key = scenario_key(titlesim.load_scenario(baseline, SMALL_SET.split(";") + ["passline.rounding=ceil"]))
    page.wait_for_selector(f".titlesim-status [data-state=full][data-key='{key[:16]}']", timeout=120_000)
    page.click(".titlesim-section-evaluation .jupyter-widget-Collapse-header")  # unfold the group
    page.click(".titlesim-control-attached_units-join_grassroots_route input[type=checkbox]")
    loaded = titlesim.load_scenario(baseline, SMALL_SET.split(";"))
    assert loaded.params.attached_units.join_grassroots_route  # the box was ticked
    scenario = loaded.with_overrides(["passline.rounding=ceil", "attached_units.join_grassroots_route=false"])
    page.wait_for_selector(f".titlesim-status [data-state=full][data-key='{scenario_key(scenario)[:16]}']",
                           timeout=120_000)
    page.click(".titlesim-reset")
    page.wait_for_selector(f".titlesim-status [data-state=full][data-key='{scenario_key(loaded)[:16]}']",
                           timeout=120_000)


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=60) as answer:
        return answer.status, answer.read()


def valid(name: str, data: bytes) -> bool:
    if name.endswith(".yaml"):
        return isinstance(yaml.safe_load(data.decode("utf-8")), dict)
    if name.endswith(".html"):
        return b"<html" in data[:2000].lower()
    if name.endswith(".pdf"):
        return data.startswith(b"%PDF")
    if name.endswith((".xlsx", ".docx")):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "[Content_Types].xml" in z.namelist()
    return False


def links(page) -> dict[str, str]:
    return page.eval_on_selector_all(".titlesim-downloads a.titlesim-download",
                                     "els => Object.fromEntries(els.map(a => [a.download, a.href]))")


def test_saving_with_a_title_then_the_report_and_every_download(page, served):
    url, work = served
    handle = page.locator(".titlesim-control-passline-ratio .noUi-handle")
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_selector(".titlesim-status [data-state=full]", timeout=120_000)
    page.fill(".titlesim-save-name input", "基层 比例")
    page.fill(".titlesim-save-title input", "基层比例合格比例提高一档")
    page.fill(".titlesim-save-question textarea", "比例提高一档后，仅按比例合格的人会多多少？")
    page.click(".titlesim-save")
    page.wait_for_selector(".titlesim-message [data-state=saved]", timeout=60_000)
    saved = work / "scenarios" / "基层-比例.yaml"
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data["title"] == "基层比例合格比例提高一档" and "population" not in data
    found = links(page)
    assert list(found) == ["基层-比例.yaml"]
    status, body = fetch(found["基层-比例.yaml"])
    assert status == 200 and body == saved.read_bytes()

    page.screenshot(path=str(ARTIFACTS / "whatif-saved.png"))
    page.click(".titlesim-report")
    page.wait_for_selector(".titlesim-message [data-state=report-done]", timeout=600_000)
    found = links(page)
    assert "report.html" in found and "tables.xlsx" in found
    for name, href in found.items():
        assert href.startswith(url + "/titlesim/download/"), href
        status, body = fetch(href)
        assert status == 200 and valid(name, body), name
    page.screenshot(path=str(ARTIFACTS / "whatif-report.png"), full_page=True)


def test_pinning_twice_shows_both_settings_side_by_side(page, served):
    _, work = served
    loaded = titlesim.load_scenario(work / "scenarios" / "baseline-2022.yaml", SMALL_SET.split(";"))
    page.click(".titlesim-reset")
    page.wait_for_selector(f".titlesim-status [data-state=full][data-key='{scenario_key(loaded)[:16]}']",
                           timeout=120_000)
    page.click(".titlesim-pin")
    page.select_option(".titlesim-control-passline-rounding select",
                       label=option_label("passline.rounding", "floor", "zh"))
    floor = loaded.with_overrides(["passline.rounding=floor"])
    page.wait_for_selector(f".titlesim-status [data-state=full][data-key='{scenario_key(floor)[:16]}']",
                           timeout=120_000)
    page.click(".titlesim-pin")
    page.click(".lm-TabBar-tab:has-text('固定对比')")
    # the table of the first pin is there already: wait for the second's column
    settings = page.locator(".titlesim-pins-settings", has_text="固定2")
    settings.wait_for(timeout=30_000)
    text = settings.inner_text()
    assert "固定1" in text and "固定2" in text
    differs = page.locator(".titlesim-pins-settings .titlesim-differs")
    assert differs.count() >= 1  # the setting that differs is marked
    assert option_label("passline.rounding", "floor", "zh") in " ".join(differs.all_inner_texts())
    assert page.locator(".titlesim-pins-outcomes").is_visible()
    page.screenshot(path=str(ARTIFACTS / "whatif-pins.png"))
