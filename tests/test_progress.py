"""Long commands say what they are doing and how far they are (on stderr, in the user's
language); off when stderr is not a terminal unless TITLESIM_PROGRESS=1. The commands run
in this process (conftest.run_titlesim); the report's progress is checked on the report
that tests/test_report_command.py makes."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from conftest import run_titlesim
from titlesim import progress

ROOT = Path(__file__).resolve().parents[1]
BASELINE = str(ROOT / "scenarios/baseline-2022.yaml")
RATIO = str(ROOT / "scenarios/grassroots-ratio-0.6.yaml")
SMALL = ["--set", "population.size=1500", "--set", "horizon.years=2", "--replicates", "2"]


def titlesim(*args, cwd, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("TITLESIM_PROGRESS", "TITLESIM_LANG")}
    environment.update(PYTHONPATH=str(ROOT), **env)
    result = run_titlesim(*args, cwd=cwd, env=environment)
    assert result.returncode == 0, result.stderr
    return result


def test_progress_follows_the_argument_then_the_environment(monkeypatch):
    monkeypatch.setenv("TITLESIM_PROGRESS", "1")
    assert progress.enabled() and not progress.enabled(False)
    monkeypatch.setenv("TITLESIM_PROGRESS", "0")
    assert not progress.enabled() and progress.enabled(True)
    monkeypatch.delenv("TITLESIM_PROGRESS")
    assert progress.enabled() == sys.stderr.isatty()


def test_compare_says_which_scenario_it_simulates_and_when_it_writes(tmp_path):
    # what it says while writing does not depend on the figures, which are not drawn here
    shown = titlesim("compare", BASELINE, RATIO, *SMALL, "--out", "out", "--no-figures", cwd=tmp_path,
                     TITLESIM_PROGRESS="1").stderr
    assert "正在模拟情景 忻州市2022年度职称评审通知（原文）（1/2，2 次重复）" in shown
    assert "正在模拟情景 基层按比例合格比例提高到60%（2/2，2 次重复）" in shown
    assert "模拟:" in shown and "/4 [" in shown and "正在写出比较结果" in shown  # 2 replicates x 2 years
    quiet = titlesim("compare", BASELINE, RATIO, *SMALL, "--out", "out", "--no-figures",
                     cwd=tmp_path).stderr
    assert "正在模拟情景" not in quiet and "年·次/s" not in quiet and "0%|" not in quiet


def test_calibrate_counts_its_simulations_in_english_on_request(tmp_path):
    shown = titlesim("calibrate", ROOT / "examples/synthetic-roster.yaml", "--observed",
                     ROOT / "examples/synthetic-observed.csv", "--params", "exam.mean_score",
                     "--replicates", "2", "--max-evaluations", "3", "--out", "out", cwd=tmp_path,
                     TITLESIM_PROGRESS="1", TITLESIM_LANG="en").stderr
    assert "Calibrating 1 parameter(s)" in shown
    assert "calibrating (2 replicates per run):" in shown and "run/s" in shown

