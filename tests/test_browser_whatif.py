"""A real browser: Voilà serves notebooks/whatif.ipynb on 127.0.0.1, Debian's headless
Chromium (through Playwright's Python client, never ``playwright install``) moves the
ratio slider with the keyboard, and the headline figure shown must become the figure the
package computes for that ratio. A screenshot is kept in test-artifacts/.

The page opens a 3,000-person, 3-year, 3-replicate scenario through the notebook's
environment variables (TITLESIM_WHATIF_SCENARIO, TITLESIM_WHATIF_SET).
"""
from __future__ import annotations

import os
import re
import sys

import pytest
from browser_support import ARTIFACTS, chromium, explained, free_port, server
from ui_scenarios import BASELINE, ROOT, SMALL_SET

import titlesim
from titlesim.ui.panels import format_count
from titlesim.ui.runner import scenario_key

HEADLINE = ".titlesim-headline-passed_ratio_only .titlesim-value"
RATIO = ".titlesim-control-passline-ratio"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    env = dict(os.environ, TITLESIM_WHATIF_SCENARIO=str(BASELINE), TITLESIM_WHATIF_SET=SMALL_SET,
               TITLESIM_LANG="zh")
    command = [sys.executable, "-m", "voila", str(ROOT / "notebooks" / "whatif.ipynb"), "--no-browser",
               f"--port={port}", "--Voila.ip=127.0.0.1"]
    with server(command, port, log, env=env, cwd=ROOT / "notebooks"):
        yield f"http://127.0.0.1:{port}/", log


@pytest.fixture
def page(served):
    url, log = served
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1500, "height": 1700})
        with explained(page, log):
            page.goto(url, timeout=300_000)  # a fresh checkout's first page, on a busy machine
        yield page


def shown_for(ratio: float) -> tuple[str, str]:
    """What the page must show at ``ratio``: the headline text (mean over replicates of the
    ratio-only passes of the horizon) and the settings key, computed by the package."""
    loaded = titlesim.load_scenario(BASELINE, SMALL_SET.split(";") + [f"passline.ratio={ratio}"])
    totals = titlesim.simulate(loaded).total("passed_ratio_only")
    return format_count(totals.groupby("replicate")["value"].sum().mean()), scenario_key(loaded)[:16]


def wait_full(page, key: str) -> None:
    # 300 s: the first page of a fresh checkout starts its kernel while the other test worker
    # keeps both cores busy (as the app test allows)
    page.wait_for_selector(f".titlesim-status [data-state=full][data-key='{key}']", timeout=300_000)


def test_moving_the_ratio_slider_shows_the_packages_figure(page, served):
    with explained(page, served[1]):  # a failure shows what the page and its kernel showed
        # the widgets are drawn after the page has loaded: as long as the other waits, not 30 s
        page.wait_for_selector(f"{RATIO} .widget-readout", timeout=300_000)
        start = float(page.inner_text(f"{RATIO} .widget-readout"))
        before, key = shown_for(start)
        wait_full(page, key)
        assert page.inner_text(HEADLINE) == before
        body = page.inner_text("body")
        assert "基层按比例合格比例" in body and "仅按比例合格人数" in body
        assert len(re.findall(r"[\u4e00-\u9fff]", body)) > 200

        page.focus(f"{RATIO} .noUi-handle")
        for _ in range(6):  # 0.5 -> 0.8: at 3,000 people 0.7 passes 11 as 0.5 does (whole people)
            page.keyboard.press("ArrowRight")
        page.wait_for_function("([sel, old]) => document.querySelector(sel).innerText !== old",
                               arg=[HEADLINE, before], timeout=300_000)
        ratio = float(page.inner_text(f"{RATIO} .widget-readout"))
        assert ratio == pytest.approx(start + 0.3)
        after, key = shown_for(ratio)
        wait_full(page, key)
        assert after != before
        assert page.inner_text(HEADLINE) == after

        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "whatif.png"
        page.screenshot(path=str(shot), full_page=True)
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
