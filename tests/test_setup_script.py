"""scripts/setup.sh is idempotent: on a set-up checkout a second run installs nothing
and says so, step by step."""
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_second_setup_installs_nothing_and_says_what_it_checked():
    stamp = ROOT / ".venv/.titlesim-installed"
    subprocess.run(["bash", "scripts/setup.sh"], cwd=ROOT, check=True, capture_output=True)
    before = stamp.stat().st_mtime_ns
    env = {**os.environ, "TITLESIM_LANG": "en"}
    again = subprocess.run(["bash", "scripts/setup.sh"], cwd=ROOT, env=env, check=True,
                           capture_output=True, text=True)
    steps = [line for line in again.stderr.splitlines() if line.startswith("setup: [")]
    assert [s[:12] for s in steps] == ["setup: [1/3]", "setup: [2/3]", "setup: [3/3]"]
    assert "installing" not in again.stderr
    assert "compiling" not in again.stderr  # this code's compiled passes are there already
    assert "nothing to install" in steps[2]
    if os.geteuid() == 0 and Path("/usr/bin/chromium").exists():
        assert "already there" in steps[0]  # the fonts are found every time
    assert stamp.stat().st_mtime_ns == before


def test_the_messages_are_chinese_by_default():
    env = {k: v for k, v in os.environ.items() if k != "TITLESIM_LANG"}
    run = subprocess.run(["bash", "scripts/setup.sh"], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True)
    assert "环境准备：[3/3]" in run.stderr and "无需安装" in run.stderr
