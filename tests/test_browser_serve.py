"""``titlesim serve`` in a real browser: the Chinese index page links the two pages; a
visitor's page gets a kernel, and closing the page releases it after ``--closed-seconds``
(5 here; 30 by default), an unused open page after ``--idle-minutes`` (a quarter of a
minute here; 30 minutes by default) with a notice on the page; beyond the
visitor cap a new visitor gets a polite Chinese page instead of a kernel; downloads are
limited to scenario and report files."""
from __future__ import annotations

import os
import sys
import time
import urllib.error
import urllib.request

import pytest
from browser_support import ARTIFACTS, chromium, explained, free_port, kernel_processes, server
from ui_scenarios import SMALL_SET, small_scenario

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    work = tmp_path_factory.mktemp("serve")
    small_scenario(work)
    port = free_port()
    env = dict(os.environ, TITLESIM_WHATIF_SET=SMALL_SET, TITLESIM_LANG="zh")
    command = [sys.executable, "-m", "titlesim", "serve", f"--port={port}", "--max-visitors=1",
               "--closed-seconds=5", "--scenarios", str(work / "scenarios"), "--workspace", str(work)]
    with server(command, port, work / "serve.log", env=env, cwd=work) as process:
        yield f"http://127.0.0.1:{port}/", process


def status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_until(condition, timeout: float, step: float = 1.0) -> float:
    """Seconds until ``condition()`` held; fails after ``timeout``."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, f"not within {timeout} s"
        time.sleep(step)
    return time.monotonic() - started


# every text the loading line shows, recorded from before the page's own scripts run
LOADING_TEXTS = """
window.titlesimLoading = [];
new MutationObserver(() => {
  const el = document.getElementById('loading_text');
  const seen = window.titlesimLoading;
  if (el && seen[seen.length - 1] !== el.textContent) seen.push(el.textContent);
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


def test_a_closed_page_releases_its_kernel_and_the_cap_holds(served):
    url, process = served
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.add_init_script(LOADING_TEXTS)
        page.goto(url)
        assert "职称评审政策模拟" in page.inner_text("h1")
        page.click(".titlesim-page-whatif")
        # the page shows once its first results are computed (a kernel started on a busy machine)
        page.wait_for_selector(".titlesim-status [data-state=full]", timeout=300_000)
        # meanwhile its loading line spoke Chinese, not Voila's "Executing 1 of 3"
        shown = page.evaluate("window.titlesimLoading")
        assert any("正在打开页面并计算首批结果" in text for text in shown), shown
        assert not any("Executing" in text for text in shown), shown
        assert len(kernel_processes(process.pid)) == 1

        code, text = status(url + "voila/render/compare.ipynb")  # a second visitor
        assert code == 503 and "上限" in text and "稍候" in text
        assert len(kernel_processes(process.pid)) == 1

        page.close()
        seconds = wait_until(lambda: not kernel_processes(process.pid), timeout=40, step=0.5)
    print(f"kernel released {seconds:.0f} s after the page closed")
    # the server forgets the kernel moments after its process ends: the count follows
    wait_until(lambda: "当前在线：0 人" in status(url)[1], timeout=20, step=0.5)
    code, text = status(url)
    assert code == 200 and "当前在线：0 人" in text


def test_downloads_are_limited_to_scenario_and_report_files(served):
    url, _ = served
    code, text = status(url + "titlesim/download/scenarios/small.yaml")
    assert code == 200 and "extends: baseline-2022.yaml" in text
    for path in ("scenarios/../serve.log", "scenarios/%2e%2e/serve.log", "reports/../serve.log",
                 "scenarios/nothing.yaml"):
        assert status(url + "titlesim/download/" + path)[0] in (403, 404), path
    assert status(url + "voila/render/report.ipynb")[0] == 404


def test_a_page_left_open_but_unused_is_released_after_the_idle_minutes(tmp_path):
    small_scenario(tmp_path)
    port = free_port()
    env = dict(os.environ, TITLESIM_WHATIF_SET=SMALL_SET, TITLESIM_LANG="zh")
    command = [sys.executable, "-m", "titlesim", "serve", f"--port={port}", "--idle-minutes=0.25",
               "--scenarios", str(tmp_path / "scenarios"), "--workspace", str(tmp_path)]
    with server(command, port, tmp_path / "serve.log", env=env, cwd=tmp_path) as process, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        with explained(page, tmp_path / "serve.log"):  # a failure shows what the page and kernel showed
            # the page loads once its first results are computed: as long as the other pages wait
            page.goto(f"http://127.0.0.1:{port}/voila/render/whatif.ipynb", timeout=300_000)
            page.wait_for_selector(".titlesim-status [data-state=full]", timeout=300_000)
            opened = time.monotonic()
            assert len(kernel_processes(process.pid)) == 1
            wait_until(lambda: not kernel_processes(process.pid), timeout=120, step=0.5)
            idle = time.monotonic() - opened
            assert not page.is_closed()  # the page is still open: released for being unused
            # the open page says so in Chinese, instead of controls that no longer answer
            notice = page.wait_for_selector("#titlesim-closed[data-kind=culled]", timeout=30_000)
            assert "本页面已超过 15 秒无人操作" in notice.inner_text() and "刷新页面" in notice.inner_text()
            page.screenshot(path=str(ARTIFACTS / "whatif-closed.png"))
            page.click("#titlesim-closed .titlesim-reload")  # a new session
            page.wait_for_selector(".titlesim-status [data-state=full]", timeout=300_000)
            assert page.locator("#titlesim-closed").count() == 0
            assert len(kernel_processes(process.pid)) == 1
    assert 10 <= idle <= 45, idle  # 15 s, checked every 5 s; the page sees its last update late under load


def test_the_compare_page_runs_with_progress_and_one_small_chart_per_revision(served):
    url, _ = served
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url + "voila/render/compare.ipynb", timeout=120_000)
        row = page.locator(".titlesim-compare-pick", has_text="small.yaml")
        row.locator("input[type=checkbox]").check()
        page.click(".titlesim-compare-run")
        page.wait_for_selector(".titlesim-status [data-state=running]", timeout=60_000)
        page.wait_for_selector(".titlesim-status [data-state=done]", timeout=300_000)
        assert page.locator(".titlesim-compare-multiple svg").count() == 1
        assert "90%区间" in page.inner_text("body")
        page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)
        page.close()
