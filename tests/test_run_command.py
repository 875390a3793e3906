"""``titlesim run SCENARIO``: a complete run folder, never overwritten; bad input refused.

Each command runs in a temporary folder where its output goes: the first run (the module's
fixture) and the terminal's progress bar through the real command line in a subprocess, the
others in this process (``conftest.run_titlesim``). A run folder holds ``metrics.csv`` and ``lines.csv`` exactly as docs/model.md's output
vocabulary says, ``scenario.resolved.yaml`` (the merged scenario, which loads back to the
same scenario) and ``provenance.json``.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import platform
import pty
import re
import struct
import subprocess
import termios
import textwrap

import numpy as np
import pandas as pd
import pytest

from titlesim.i18n import msg
from conftest import BASELINE, run_titlesim, titlesim_command

import titlesim
from titlesim import load_scenario

SMALL = ("--set", "population.size=1200", "--set", "horizon.years=2", "--replicates", "2")
# docs/model.md, 输出 / Outputs
GROUP_COLUMNS = ["series", "level", "county", "unit_type", "specialty", "grassroots"]
METRIC_NAMES = {
    "headcount", "entrants", "exits_retired", "exits_other", "transfers_in", "recognised",
    "eligible", "applied", "sat_exam", "passed_provincial", "passed_ratio_only",
    "valid_passes_held", "passes_expired_unused", "evaluated", "titled", "titled_directed",
    "hired", "waiting", "waiting_years", "posts", "posts_vacant", "directed_lost_by_move",
    "moved"}  # a move is not a hire: counted apart
LINE_NUMBERS = ["applied", "sat", "k", "line_score", "passed_ratio_only", "passed_provincial"]


def titlesim_run(cwd, *args, debug=False, subprocess_run=False):
    args = [*(["--debug"] if debug else []), "run", *args]
    if subprocess_run:
        return subprocess.run(titlesim_command(*args), cwd=cwd, capture_output=True, text=True,
                              timeout=300)
    return run_titlesim(*args, cwd=cwd)


def run_ok(cwd, *args, subprocess_run=False):
    out = titlesim_run(cwd, str(BASELINE), *SMALL, *args, subprocess_run=subprocess_run)
    assert out.returncode == 0, out.stderr
    return out


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One quiet run with an override and a seed; (folder, completed process)."""
    cwd = tmp_path_factory.mktemp("run")
    out = run_ok(cwd, "--set", "passline.group_by=[specialty, county]", "--seed", "11",
                 "--out", "runs", "--quiet", subprocess_run=True)
    return cwd / out.stdout.strip(), out


# ------------------------------------------------------------------ the run folder
def test_the_run_folder_holds_the_four_files(run):
    folder, _ = run
    assert sorted(p.name for p in folder.iterdir()) == [
        "lines.csv", "metrics.csv", "provenance.json", "scenario.resolved.yaml"]


def test_metrics_has_exactly_the_vocabulary_columns_and_metric_names(run):
    folder, _ = run
    metrics = pd.read_csv(folder / "metrics.csv")
    assert list(metrics.columns) == ["replicate", "year", *GROUP_COLUMNS, "metric", "value"]
    for name in ("metrics.csv", "lines.csv"):  # UTF-8 with a byte-order mark, for Excel
        assert (folder / name).read_bytes().startswith(b"\xef\xbb\xbfreplicate,year,"), name
    assert set(metrics["metric"]) <= METRIC_NAMES
    assert {"headcount", "applied", "titled", "posts"} <= set(metrics["metric"])
    assert sorted(metrics["replicate"].unique()) == [0, 1]
    assert sorted(metrics["year"].unique()) == [2022, 2023]
    assert (metrics["value"] > 0).all()  # zero rows are left out
    assert not metrics.duplicated(["replicate", "year", *GROUP_COLUMNS, "metric"]).any()


def test_lines_has_the_group_by_columns_of_the_scenario(run):
    folder, _ = run
    lines = pd.read_csv(folder / "lines.csv")
    assert list(lines.columns) == ["replicate", "year", "specialty", "county", *LINE_NUMBERS]
    assert len(lines) > 0
    assert (lines["passed_ratio_only"] + lines["passed_provincial"] <= lines["sat"]).all()
    assert (lines["sat"] <= lines["applied"]).all() and (lines["k"] <= lines["sat"]).all()


def test_the_resolved_scenario_loads_back_to_the_same_scenario(run):
    folder, _ = run
    provenance = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    again = load_scenario(folder / "scenario.resolved.yaml")
    assert again.sha256() == provenance["scenario_sha256"]
    expected = load_scenario(BASELINE, ["population.size=1200", "horizon.years=2",
                                        "passline.group_by=[specialty, county]", "seed=11",
                                        "replicates=2"])
    assert again.sha256() == expected.sha256()
    assert again.params.passline.group_by == ["specialty", "county"]
    assert again.params.seed == 11  # --seed is part of the resolved scenario


def test_provenance_says_what_ran_with_what(run):
    folder, _ = run
    p = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    assert p["titlesim_version"] == titlesim.__version__
    assert p["versions"]["python"] == platform.python_version()
    assert p["versions"]["numpy"] == np.__version__
    assert p["versions"]["pandas"] == pd.__version__
    assert p["seed"] == 11 and p["replicates"] == 2
    assert p["command"].startswith("titlesim run ") and "--seed 11" in p["command"]
    assert "passline.group_by=[specialty, county]" in p["command"]
    started, ended = dt.datetime.fromisoformat(p["started"]), dt.datetime.fromisoformat(p["ended"])
    assert started <= ended
    assert abs(dt.datetime.now().astimezone() - ended) < dt.timedelta(minutes=10)


def test_titlesim_runs_lists_the_runs_headline_as_a_reports(run):
    folder, _ = run
    metrics = pd.read_csv(folder / "metrics.csv")
    titled = metrics[metrics["metric"] == "titled"].groupby("replicate")["value"].sum()
    years = metrics["year"].nunique()
    headline = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))["headline"]
    assert headline["titled_per_year"] == round(titled.mean() / years)  # people: whole
    listed = run_titlesim("runs", "--root", str(folder.parent), cwd=folder.parent)
    assert listed.returncode == 0, listed.stderr
    row = listed.stdout.splitlines()[1].split()
    assert row[0] == "模拟" and row[-2] == f"{headline['titled_per_year']:,.0f}", listed.stdout


def test_quiet_prints_only_the_folder(run):
    folder, out = run
    assert out.stdout.splitlines() == [str(folder.relative_to(folder.parents[1]))]
    assert out.stderr == ""


# ------------------------------------------------------------- folders and output
def test_two_runs_never_overwrite_each_other(tmp_path):
    first = run_ok(tmp_path, "--out", "runs", "--quiet").stdout.strip()
    second = run_ok(tmp_path, "--out", "runs", "--quiet").stdout.strip()
    assert first != second
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == sorted(
        [os.path.basename(first), os.path.basename(second)])


def test_the_default_folder_is_under_reports_runs_and_the_scenario_name(tmp_path):
    folder = run_ok(tmp_path, "--quiet").stdout.strip()
    assert os.path.dirname(folder) == os.path.join("reports", "runs", "baseline-2022")
    assert (tmp_path / folder / "metrics.csv").is_file()


def test_without_a_terminal_there_is_no_progress_bar_and_a_summary_is_printed(tmp_path):
    out = run_ok(tmp_path, "--out", "runs")
    # no progress bar when stderr is not a terminal; only the scenario's warnings (at this
    # small size some post shares give no post), one line each
    warned = out.stderr.splitlines()
    assert warned and all(line.startswith("titlesim：提醒：") for line in warned)
    assert len(set(warned)) == len(warned), warned  # each warning once per command
    lines = out.stdout.splitlines()
    assert lines[-1].startswith("runs" + os.sep) and (tmp_path / lines[-1]).is_dir()
    assert "2022" in out.stdout and "2023" in out.stdout  # the yearly summary
    # a caption first: the numbers are means over the replicates, with the interval of
    # the titled per year
    assert lines[0].startswith("下表：各年数值为 2 次重复的平均值（人，四舍五入取整）。"), lines[0]
    assert re.search(r"全期平均每年取得职称 [\d,]+ 人，90% 区间 [\d,]+ 至 [\d,]+（", lines[0]), lines[0]
    # people as whole numbers (means over replicates, rounded), the years headed 年度
    assert lines[2].split() == ["年度"]
    yearly = [line.split() for line in lines if line[:4] in ("2022", "2023")]
    assert len(yearly) == 2 and all(cell.isdigit() for row in yearly for cell in row), yearly


def test_the_headline_is_worked_out_once_for_the_caption_and_the_provenance(tmp_path, monkeypatch):
    """The caption's titled per year and provenance.json's headline are the same figures,
    worked out once."""
    from titlesim.report import headline as report_headline
    worked_out = []
    real = report_headline.headline
    monkeypatch.setattr(report_headline, "headline",
                        lambda result: worked_out.append(result.seed) or real(result))
    out = run_ok(tmp_path, "--out", "runs")
    assert len(worked_out) == 1, worked_out
    folder = tmp_path / out.stdout.splitlines()[-1]
    recorded = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))["headline"]
    shown = re.search(r"全期平均每年取得职称 ([\d,]+) 人", out.stdout).group(1)
    assert shown == f"{recorded['titled_per_year']:,.0f}"


def test_on_a_terminal_there_is_a_progress_bar_unless_quiet(tmp_path):
    def stderr_on_a_terminal(*args):
        leader, follower = pty.openpty()
        # a terminal of 24 x 100 (a new pseudo-terminal has no size, and no room for a bar)
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
        process = subprocess.Popen(titlesim_command("run", str(BASELINE), *SMALL, "--out", "runs",
                                                    *args),
                                   cwd=tmp_path, stdout=subprocess.PIPE, stderr=follower)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.communicate(timeout=300)
        os.close(leader)
        assert process.returncode == 0
        return b"".join(chunks).decode("utf-8", "replace")

    from titlesim.i18n import msg
    assert msg("progress_simulating") in stderr_on_a_terminal()
    assert stderr_on_a_terminal("--quiet") == ""


# ---------------------------------------------------------------------- bad input
def scenario_with(tmp_path, body: str):
    path = tmp_path / "revision.yaml"
    path.write_text(f"extends: {os.path.relpath(BASELINE, tmp_path)}\n" + textwrap.dedent(body),
                    encoding="utf-8")
    return path.name


BAD_INPUTS = {
    # name: (arguments after 'run', words the message must contain)
    "missing scenario file": (["nowhere.yaml"], ["nowhere.yaml", msg("file_not_found", "en")]),
    "scenario is a folder": (["."], [msg("yaml_is_folder", "en",
                                         what=msg("yaml_kind_scenario", "en"))]),
    "unknown key in the file": (["{revision}"], ["revision.yaml", "line 2", "passline.ratoi",
                                                 "did you mean 'ratio'"]),
    "--set without '='": (["{baseline}", "--set", "passline.ratio"], ["passline.ratio", "KEY.PATH=VALUE"]),
    "--set unknown key": (["{baseline}", "--set", "passline.ratoi=0.5"], ["passline.ratoi"]),
    "--set out of range": (["{baseline}", "--set", "passline.ratio=1.5"], ["passline.ratio", "1.5"]),
    "--set wrong type": (["{baseline}", "--set", "validity.years=abc"], ["validity.years", "abc"]),
    "--replicates 0": (["{baseline}", "--replicates", "0"], ["--replicates"]),
    "--replicates x": (["{baseline}", "--replicates", "x"], ["--replicates"]),
    "--seed negative": (["{baseline}", "--seed", "-1"], ["--seed"]),
    "--out is a file": (["{baseline}", "--out", "a-file"], ["a-file", "--out"]),
    "--out under a file": (["{baseline}", "--out", "a-file/runs"], ["a-file", "--out"]),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_refused_clearly_and_leaves_nothing_behind(tmp_path, case):
    args, words = BAD_INPUTS[case]
    (tmp_path / "a-file").write_text("not a folder\n", encoding="utf-8")
    revision = scenario_with(tmp_path, "passline: {ratoi: 0.5}\n")
    before = sorted(os.listdir(tmp_path))
    args = [a.format(baseline=BASELINE, revision=revision) for a in args]
    if "--out" not in args:
        args += ["--out", "runs"]
    out = titlesim_run(tmp_path, *args, "--set", "population.size=600", "--lang", "en")
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    for word in words:
        assert word in out.stderr, (word, out.stderr)
    assert sorted(os.listdir(tmp_path)) == before  # no run folder, no hidden temporary one
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "not a folder\n"


def test_debug_shows_the_traceback_of_a_bad_key(tmp_path):
    out = titlesim_run(tmp_path, str(BASELINE), "--set", "passline.ratoi=0.5", "--out", "runs",
                       debug=True)
    assert out.returncode != 0
    assert "Traceback" in out.stderr and "passline.ratoi" in out.stderr
    assert not (tmp_path / "runs").exists()
