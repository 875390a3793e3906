"""The what-if notebook in JupyterLab, in a real browser at 1,400 px (the file browser
open, as a new user finds it): once the cells have run, the results sit beside the
controls, not below them, and a chart uses the width of its column."""
from __future__ import annotations

import os
import shutil
import sys

import pytest
from browser_support import ARTIFACTS, chromium, free_port, server
from ui_scenarios import SMALL_SET, small_scenario

from titlesim.workfolder import shipped_path

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    work = tmp_path_factory.mktemp("lab")
    scenario = small_scenario(work).parent / "baseline-2022.yaml"
    shutil.copy(shipped_path("notebooks", "whatif.ipynb"), work / "whatif.ipynb")
    port = free_port()
    env = dict(os.environ, TITLESIM_WHATIF_SCENARIO=str(scenario), TITLESIM_WHATIF_SET=SMALL_SET,
               TITLESIM_LANG="zh", JUPYTER_CONFIG_DIR=str(work / ".jupyter"))
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
               "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
               "--allow-root", "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={work}"]
    with server(command, port, work / "lab.log", env=env, cwd=work):
        yield f"http://127.0.0.1:{port}"


def test_results_beside_the_controls_in_jupyterlab_at_1400_px(lab):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(lab + "/lab/tree/whatif.ipynb", timeout=120_000)
        page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget"
                               " && window.jupyterapp.shell.currentWidget.sessionContext"
                               " && window.jupyterapp.shell.currentWidget.sessionContext.session",
                               timeout=120_000)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_selector(".titlesim-status [data-state=full]", timeout=180_000)
        page.locator(".titlesim-whatif").first.scroll_into_view_if_needed()
        controls = page.locator(".titlesim-controls-column").first.bounding_box()
        results = page.locator(".titlesim-results").first.bounding_box()
        chart = page.locator(".titlesim-panel-titled_by_route svg").first.bounding_box()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "whatif-jupyterlab-1400.png"))
    assert results["x"] >= controls["x"] + controls["width"] - 1  # beside, not below
    assert results["y"] < controls["y"] + 200
    assert results["x"] + results["width"] <= 1400
    assert chart["width"] >= 380
