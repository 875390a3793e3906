"""``titlesim sensitivity``: which assumptions matter for an outcome.

With the directed quota ordinary (the baseline), no rule reads
``posts.directed_separate_structure.deputy_senior``; the number passing by ratio only
depends on ``passline.ratio``. Both Sobol' and Morris must rank the unread parameter last
with an index of (about) zero, and the ratio first. Bad ranges are refused with exit 2.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_titlesim

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "scenarios" / "baseline-2022.yaml"
SMALL_ARGS = ["--set", "population.size=2000", "--set", "horizon.years=3", "--replicates", "2"]
UNREAD = "posts.directed_separate_structure.deputy_senior"


def sensitivity(tmp_path: Path, *args) -> subprocess.CompletedProcess:
    """The command, run in this process (conftest.run_titlesim); with ``--workers 2`` its
    local cluster's two worker processes are started from here, as the command starts them."""
    # the English wording is checked here; the Chinese in test_cli_language.py
    env = dict(os.environ, PYTHONPATH=str(REPO), TITLESIM_LANG="en")
    command = ["sensitivity", BASELINE, *SMALL_ARGS, *map(str, args)]
    return run_titlesim(*command, cwd=tmp_path, env=env)


def test_sobol_ranks_a_parameter_no_rule_reads_last_with_index_zero(tmp_path):
    out = tmp_path / "sa"
    result = sensitivity(tmp_path, "--params", f"{UNREAD}=0:0.2", "--params",
                         "passline.ratio=0.3:0.8", "--outcome", "passed_ratio_only",
                         "--samples", "16", "--workers", "1", "--out", out)
    assert result.returncode == 0, result.stderr
    assert "Glyph" not in result.stderr and "Traceback" not in result.stderr
    table = pd.read_csv(out / "indices.csv")
    assert table["parameter"].tolist() == ["passline.ratio", UNREAD]
    assert table["rank"].tolist() == [1, 2]
    ratio, unread = table.iloc[0], table.iloc[1]
    assert ratio["ST"] > 0.5 and ratio["S1"] > 0.3
    assert abs(unread["ST"]) < 0.02 and abs(unread["S1"]) < 0.02
    assert unread["label_zh"] == "定向职称单列副高级岗位比例"
    points = pd.read_csv(out / "totals.csv")
    assert points["point"].nunique() == 16 * (2 + 2)  # Saltelli: N x (D + 2)
    assert points["passline.ratio"].between(0.3, 0.8).all()
    assert (out / "tornado.png").stat().st_size > 0
    svg = (out / "tornado.svg").read_text(encoding="utf-8")
    # the run is in English (TITLESIM_LANG=en): so are the chart's labels
    assert unread["label_en"] in svg and ratio["label_en"] in svg and "定向职称" not in svg
    # the printed ranking: names and symbols as on the chart, intervals never below 0
    assert "ranked by total-order index ST" in result.stderr
    assert "1. grassroots pass ratio (passline.ratio): ST = " in result.stderr
    assert "(95% interval -" not in result.stderr and "mu_star" not in result.stderr
    # what the folder is and the scenario's titles, as `titlesim runs` lists them
    record = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert record["kind"] == "sensitivity"
    assert record["title"] == {"zh": "忻州市2022年度职称评审通知（原文）",
                               "en": "Xinzhou 2022 title evaluation notice, as written"}


def test_the_ranking_in_words_never_shows_an_index_below_zero():
    from titlesim.cli.sensitivity import summary
    from titlesim.compare.outcomes import get
    from titlesim.sweep.sensitivity import index_interval
    assert index_interval(1.5, 1.243) == (1.5 - 1.243, 1.5 + 1.243)
    assert index_interval(0.562, 0.932) == (0.0, 0.562 + 0.932)  # a mean of absolute effects
    assert index_interval(-0.01, 0.005) == (-0.01, -0.005)  # an estimate is shown as it is
    table = pd.DataFrame({"rank": [1], "parameter": ["passline.ratio"], "label_zh": ["基层按比例合格比例"],
                          "label_en": ["grassroots pass ratio"], "mu_star": [0.562],
                          "mu_star_conf": [0.932]})
    zh = summary(table, "morris", get("passed_ratio_only"), "zh")
    assert zh.splitlines()[1] == "  1. 基层按比例合格比例（passline.ratio）：μ* = 0.562（95% 区间 0.000 至 1.494）"
    assert "按Morris μ*" in zh.splitlines()[0] and "mu_star" not in zh


def test_morris_on_two_local_workers_ranks_the_same_way(tmp_path):
    out = tmp_path / "morris"
    result = sensitivity(tmp_path, "--params", "passline.ratio=0.3:0.8", "--params",
                         f"{UNREAD}=0:0.2", "--params", "validity.ratio_only_years=1:3",
                         "--outcome", "passed_ratio_only", "--method", "morris", "--samples", "6",
                         "--workers", "2", "--out", out, "--lang", "en", "--quiet")
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out / "indices.csv")
    assert table["parameter"].iloc[0] == "passline.ratio"
    # a parameter no rule reads has no effect (it may tie with another without one)
    assert table.set_index("parameter").loc[UNREAD, "mu_star"] == 0 and table["mu_star"].min() == 0
    assert table["mu_star"].iloc[0] > 1
    years = pd.read_csv(out / "totals.csv")["validity.ratio_only_years"]
    assert set(years.unique()) <= {1, 2, 3} and years.dtype.kind == "i"  # whole numbers
    assert "separate share of deputy senior posts" in (out / "tornado.svg").read_text(encoding="utf-8")


@pytest.mark.parametrize("args, expected", [
    (["--params", "passline.ratio=0.8:0.3"], ["--params", "passline.ratio", "range is empty"]),
    (["--params", "passline.ratoi=0.3:0.8"], ["passline.ratoi", "did you mean 'passline.ratio'"]),
    (["--params", "passline.ratio=0.3:1.5"], ["passline.ratio", "less than or equal to 1"]),
    (["--params", "passline.ties=0:1"], ["passline.ties", "not a number"]),
    (["--params", "passline.ratio"], ["KEY.PATH=LO:HI"]),
    (["--params", "passline.ratio=0.3:0.8", "--samples", "12"], ["--samples", "power of 2"]),
    (["--params", "passline.ratio=0.3:0.8", "--outcome", "happiness"], ["--outcome", "happiness"]),
])
def test_bad_sensitivity_input_is_refused_with_exit_status_2(tmp_path, args, expected):
    outcome = [] if "--outcome" in args else ["--outcome", "passed_ratio_only"]
    result = sensitivity(tmp_path, *args, *outcome, "--out", tmp_path / "out", "--workers", "1")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("titlesim: error: ") and "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr, (text, result.stderr)
    assert not (tmp_path / "out").exists()


def test_an_outcome_that_ranks_nothing_leaves_no_folder_and_no_run(tmp_path):
    """The outcome is the same at every point: the command fails (exit 2) after the points
    are computed, and leaves neither a folder nor anything ``titlesim runs`` lists."""
    shutil.copytree(REPO / "scenarios", tmp_path / "scenarios")
    env = dict(os.environ, PYTHONPATH=str(REPO))  # in Chinese, as the user ran it
    result = run_titlesim(
        "sensitivity", "scenarios/baseline-2022.yaml", "--params", "passline.ratio=0.3:0.8",
        "--params", "validity.ratio_only_years=1:3", "--outcome", "titled_grassroots",
        "--method", "morris", "--samples", "2", "--replicates", "1", "--workers", "1",
        "--set", "population.size=2000", "--set", "horizon.years=3", cwd=tmp_path, env=env)
    assert result.returncode == 2, result.stderr
    assert "无法排序" in result.stderr and "Traceback" not in result.stderr
    reports = tmp_path / "reports"
    assert not reports.exists() or [p for p in reports.rglob("*") if p.is_file()] == []
    listed = run_titlesim("runs", cwd=tmp_path, env=env)
    assert listed.returncode == 0 and listed.stdout == "", listed.stdout
