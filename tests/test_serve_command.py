"""``titlesim serve`` without a browser: its refusal of a folder without scenarios, and
the Voilà settings it passes (kernel release, visitor cap, the workspace for kernels)."""
from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from titlesim.cli import _register, cli
from titlesim.ui.serve import ServeOptions, kernel_environment, voila_arguments


def test_a_folder_without_the_baseline_is_refused_in_chinese(tmp_path):
    _register()
    result = CliRunner().invoke(cli, ["serve", "--scenarios", str(tmp_path)], env={"TITLESIM_LANG": "zh"})
    assert result.exit_code == 2
    assert "baseline-2022.yaml" in result.output and "--scenarios" in result.output
    assert "没有基准情景" in result.output
    assert "Traceback" not in result.output


def test_voila_is_told_to_release_kernels_and_cap_visitors(tmp_path):
    options = ServeOptions(port=9001, host="127.0.0.1", idle_minutes=5, max_visitors=7,
                           workspace=tmp_path, scenarios=tmp_path / "s")
    args = voila_arguments(options)
    assert "--MappingKernelManager.cull_idle_timeout=300" in args
    assert "--MappingKernelManager.cull_connected=True" in args
    assert "--TitlesimVoila.max_visitors=7" in args
    assert "--port=9001" in args and "--Voila.ip=127.0.0.1" in args
    closed = int(next(a for a in args if a.startswith("--VisitorKernelManager.closed_seconds=")).split("=")[1])
    interval = int(next(a for a in args if a.startswith("--MappingKernelManager.cull_interval=")).split("=")[1])
    assert closed + interval <= 60  # a closed page's kernel goes within a minute
    env = kernel_environment(options)
    assert Path(env["TITLESIM_SCENARIOS"]) == (tmp_path / "s").resolve()
    assert env["TITLESIM_DOWNLOADS"] == "/titlesim/download/"


def test_the_page_is_told_how_long_an_unused_session_lasts_in_the_visitors_language():
    from titlesim.ui.serve import closed_notice_script
    assert "--TitlesimVoila.idle_minutes=5" in voila_arguments(ServeOptions(idle_minutes=5))
    chinese, english = closed_notice_script(45, "zh"), closed_notice_script(2.5, "en")
    readable = json.loads(re.search(r"var T=(\{.*?\});", chinese).group(1))
    assert "本页面已超过 45 分钟无人操作" in readable["culled"] and readable["reload"] == "刷新页面"
    assert "not used for more than 2.5 minutes" in english and "Reload the page" in english
    assert "The connection to the server was lost" in english
    assert chinese.isascii() and chinese.count("</") == 1  # nothing closes the script early
    assert "var POLL=15000;" in chinese  # every 15 s for a long limit


def test_an_idle_limit_under_a_minute_is_kept_and_told_in_seconds():
    from titlesim.ui.serve import closed_notice_script
    args = voila_arguments(ServeOptions(idle_minutes=0.25, closed_seconds=6))
    assert "--MappingKernelManager.cull_idle_timeout=15" in args
    assert "--VisitorKernelManager.closed_seconds=6" in args
    assert "--MappingKernelManager.cull_interval=2" in args  # a third of the shorter limit
    assert "--MappingKernelManager.cull_interval=10" in voila_arguments(ServeOptions())
    script = closed_notice_script(0.25, "zh")
    readable = json.loads(re.search(r"var T=(\{.*?\});", script).group(1))
    assert "本页面已超过 15 秒无人操作" in readable["culled"]
    assert "var POLL=3750;" in script  # a quarter of the limit
    assert "more than 15 seconds" in closed_notice_script(0.25, "en")


def test_the_command_accepts_a_fraction_of_a_minute_and_refuses_none(tmp_path):
    _register()
    result = CliRunner().invoke(cli, ["serve", "--idle-minutes", "0", "--scenarios", str(tmp_path)],
                                env={"TITLESIM_LANG": "en"})
    assert result.exit_code == 2 and "--idle-minutes" in result.output
    result = CliRunner().invoke(cli, ["serve", "--closed-seconds", "0", "--scenarios", str(tmp_path)],
                                env={"TITLESIM_LANG": "en"})
    assert result.exit_code == 2 and "--closed-seconds" in result.output
    # a fraction passes the option checks and reaches the folder check
    result = CliRunner().invoke(cli, ["serve", "--idle-minutes", "0.25", "--closed-seconds", "5",
                                      "--scenarios", str(tmp_path)], env={"TITLESIM_LANG": "en"})
    assert result.exit_code == 2 and "baseline-2022.yaml" in result.output


def test_a_kernel_being_shut_down_no_longer_counts_against_the_cap():
    """A page just closed (or released for being unused) keeps its kernel listed while it
    stops; the cap counts it no more, so a visitor arriving then is not turned away."""
    import asyncio

    from jupyter_client.multikernelmanager import AsyncMultiKernelManager

    from titlesim.ui.serve import visitors

    async def check():
        manager = AsyncMultiKernelManager()
        kernel_id = await manager.start_kernel(kernel_name="python3")
        try:
            assert visitors(manager) == 1
            stopping = asyncio.ensure_future(manager.shutdown_kernel(kernel_id))
            for _ in range(1000):  # until the shutdown has begun
                await asyncio.sleep(0)
                if manager.get_kernel(kernel_id).shutting_down:
                    break
            assert kernel_id in manager.list_kernel_ids()  # still listed while it stops
            assert visitors(manager) == 0
            await stopping
            assert manager.list_kernel_ids() == [] and visitors(manager) == 0
        finally:
            if kernel_id in manager.list_kernel_ids():
                await manager.shutdown_kernel(kernel_id, now=True)

    asyncio.run(check())
