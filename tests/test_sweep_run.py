"""Running a sweep: what a point is, the folder it leaves, and resuming after an interruption.

A point is the scenario with the point's values set, simulated with the sweep's seed and
replicates (common random numbers). Finished points are kept one file each; a sweep
interrupted (point files lost, or the run killed) and run again with ``--resume``
computes only the points that are missing and ends with the same table.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import run_titlesim
from titlesim import load_scenario, simulate
from titlesim.compare.outcomes import values
from titlesim.sweep import run_sweep

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "scenarios" / "baseline-2022.yaml"
SMALL = ["population.size=2000", "horizon.years=3"]
SMALL_ARGS = ["--set", "population.size=2000", "--set", "horizon.years=3", "--replicates", "2"]
GRID = "parameters:\n  passline.ratio: [0.3, 0.5, 0.8]\n  validity.ratio_only_years: [1, 3]\n"


def titlesim(*args, cwd: Path, background: bool = False):
    """The command run in this process (conftest.run_titlesim; one worker computes the
    points here too), or ``background``: a real process, to be killed."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    if not background:
        return run_titlesim(*args, cwd=cwd, env=env)
    return subprocess.Popen([sys.executable, "-m", "titlesim", *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def sweep_cli(tmp_path: Path, out: Path, *extra, grid_text: str = GRID, size=SMALL_ARGS):
    grid = tmp_path / "grid.yaml"
    grid.write_text(grid_text, encoding="utf-8")
    return titlesim("sweep", BASELINE, "--grid", grid, "--out", out, "--workers", "1", "--quiet",
                    "--no-charts", *size, *extra, cwd=tmp_path)


def provenance(folder: Path) -> dict:
    return json.loads((folder / "provenance.json").read_text(encoding="utf-8"))


def point_keys(folder: Path) -> dict[int, str]:
    table = pd.read_csv(folder / "points.csv")
    return dict(zip(table["point"], table["point_key"]))


def test_a_point_is_the_scenario_with_its_values_under_the_same_seed(tmp_path):
    scenario = load_scenario(BASELINE, SMALL)
    chosen = [{"passline.ratio": 0.3}, {"passline.ratio": 0.8},
              {"passline.ratio": 0.8, "posts.directed_separate_structure.deputy_senior": 0.2}]
    paths = ["passline.ratio", "posts.directed_separate_structure.deputy_senior"]
    chosen = [{p: c.get(p, 0.05) for p in paths} for c in chosen]
    sweep = run_sweep(scenario, chosen, paths, seed=5, replicates=2, out=tmp_path / "sw")
    direct = simulate(scenario.with_overrides(["passline.ratio=0.8"]), replicates=2, seed=5)
    point1 = sweep.totals[sweep.totals["point"] == 1]
    for outcome in ("passed_ratio_only", "titled", "years_waited", "senior_share_grassroots"):
        expected = values(direct, outcome)[0][:, -1, 0]
        np.testing.assert_allclose(point1[outcome].to_numpy(), expected, rtol=1e-12)
    by_year = sweep.table[sweep.table["point"] == 1]
    np.testing.assert_array_equal(by_year["titled"], values(direct, "titled")[0][:, :-1, 0].ravel())
    # common random numbers: a parameter no rule reads (directed quota is ordinary) changes nothing
    same = sweep.totals[sweep.totals["point"] == 2].drop(columns=["point", *paths])
    pd.testing.assert_frame_equal(same.reset_index(drop=True),
                                  point1.drop(columns=["point", *paths]).reset_index(drop=True))
    # and the ratio does change the result
    assert not sweep.totals[sweep.totals["point"] == 0]["passed_ratio_only"].equals(
        point1["passed_ratio_only"])
    assert sorted(sweep.table.columns[:5]) == sorted(["point", *paths, "replicate", "year"])
    assert len(sweep.table) == 3 * 2 * 3 and len(sweep.totals) == 3 * 2


def test_a_worker_with_another_titlesim_version_refuses_a_point():
    from dataclasses import replace

    from titlesim.sweep.points import OtherVersion, compute_point, make_points, task_for
    scenario = load_scenario(BASELINE, SMALL)
    point = make_points(scenario, [{"passline.ratio": 0.6}], seed=1, replicates=1)[0]
    task = task_for(point, scenario, seed=1, replicates=1)
    assert set(compute_point(task)["replicate"]) == {0}
    with pytest.raises(OtherVersion):
        compute_point(replace(task, version="0.0.1"))


def test_an_interrupted_sweep_resumes_computing_only_the_missing_points(tmp_path):
    out = tmp_path / "sweep"
    first = sweep_cli(tmp_path, out)
    assert first.returncode == 0, first.stderr
    assert provenance(out)["computed_points"] == [0, 1, 2, 3, 4, 5]
    table = (out / "sweep.csv").read_bytes()
    totals = (out / "totals.csv").read_bytes()
    keys = point_keys(out)
    for point in (1, 4):  # lost, as if the run had stopped before them
        (out / "points" / f"{keys[point]}.parquet").unlink()
    (out / "points" / f".{keys[2]}.parquet.x1y2.tmp").write_bytes(b"half written")
    again = sweep_cli(tmp_path, out)
    assert again.returncode == 2 and "--resume" in again.stderr  # never reused unasked
    resumed = sweep_cli(tmp_path, out, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    record = provenance(out)
    assert record["computed_points"] == [1, 4]
    assert record["reused_points"] == [0, 2, 3, 5]
    assert (out / "sweep.csv").read_bytes() == table
    assert (out / "totals.csv").read_bytes() == totals
    pd.testing.assert_frame_equal(pd.read_parquet(out / "sweep.parquet"), pd.read_csv(out / "sweep.csv"),
                                  check_dtype=False)


def test_a_resumed_sweep_with_a_wider_grid_computes_only_the_new_points(tmp_path):
    out = tmp_path / "sweep"
    assert sweep_cli(tmp_path, out).returncode == 0
    wider = GRID.replace("[0.3, 0.5, 0.8]", "[0.3, 0.5, 0.6, 0.8]")
    result = sweep_cli(tmp_path, out, "--resume", grid_text=wider)
    assert result.returncode == 0, result.stderr
    assert provenance(out)["computed_points"] == [4, 5]  # 0.6 x (1, 3)
    table = pd.read_csv(out / "totals.csv")
    assert sorted(table["passline.ratio"].unique()) == [0.3, 0.5, 0.6, 0.8]
    # a different seed is a different sweep: nothing is reused
    reseeded = sweep_cli(tmp_path, out, "--resume", "--seed", "3", grid_text=wider)
    assert reseeded.returncode == 0 and provenance(out)["reused_points"] == []


def test_a_sweep_records_its_kind_and_title_and_runs_lists_it_by_them(tmp_path):
    """provenance.json says what the folder is and the scenario's titles: `titlesim runs`
    reads them there (older sweeps: from their keys and scenario.resolved.yaml)."""
    out = tmp_path / "sweep"
    grid = "parameters:\n  passline.ratio: [0.3, 0.8]\n"
    result = sweep_cli(tmp_path, out, grid_text=grid, size=[*SMALL_ARGS[:4], "--replicates", "1"])
    assert result.returncode == 0, result.stderr
    record = provenance(out)
    assert record["kind"] == "sweep"
    assert record["title"] == {"zh": "忻州市2022年度职称评审通知（原文）",
                               "en": "Xinzhou 2022 title evaluation notice, as written"}
    (out / "scenario.resolved.yaml").unlink()  # the title is read from the provenance
    listed = titlesim("runs", "--root", tmp_path, "--lang", "en", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[1].split()[:2] == ["sweep", "Xinzhou"], listed.stdout


def test_a_sweep_searches_its_parent_folder_for_leftovers_once(tmp_path, monkeypatch):
    """What interrupted runs of the same --out left is looked for once per sweep (and
    taken over, or removed once the new folder lands), not at every step."""
    import titlesim.sweep.store as store
    search, searched = store.interrupted, []

    def counted(parent, name):  # the real search, counted
        searched.append(name)
        return search(parent, name)

    monkeypatch.setattr(store, "interrupted", counted)
    scenario = load_scenario(BASELINE, SMALL)
    for resume in (False, True):
        searched.clear()
        run_sweep(scenario, [{"passline.ratio": 0.5}], ["passline.ratio"], replicates=1,
                  out=tmp_path / f"sweep-{resume}", resume=resume)
        assert searched == [f"sweep-{resume}"]


def finished_points(out: Path) -> set[str]:
    """Point files that landed in the sweep's hidden temporary folder (a new sweep folder
    lands whole, at the end; a hidden point name is a file still being written)."""
    return {p.stem for p in out.parent.glob(f".{out.name}.pid*.tmp/points/*.parquet")
            if not p.name.startswith(".")}


@pytest.mark.slow
def test_a_killed_sweep_resumes_where_it_stopped(tmp_path):
    out = tmp_path / "sweep"
    grid = "parameters:\n  passline.ratio: [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]\n"
    larger = ["--set", "population.size=20000", "--set", "horizon.years=3", "--replicates", "2"]
    (tmp_path / "grid.yaml").write_text(grid, encoding="utf-8")
    run = titlesim("sweep", BASELINE, "--grid", tmp_path / "grid.yaml", "--out", out, "--workers",
                   "1", "--quiet", "--no-charts", *larger, cwd=tmp_path, background=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(finished_points(out)) < 2:
        time.sleep(0.02)
    os.kill(run.pid, signal.SIGKILL)
    run.communicate(timeout=30)
    assert run.returncode == -signal.SIGKILL
    kept = finished_points(out)
    assert 2 <= len(kept) < 6 and not out.exists()  # nothing half-written where it lands
    resumed = sweep_cli(tmp_path, out, "--resume", grid_text=grid, size=larger)
    assert resumed.returncode == 0, resumed.stderr
    record = provenance(out)
    keys = point_keys(out)
    assert {keys[p] for p in record["reused_points"]} == kept
    assert finished_points(out) == set()  # taken over: the temporary folder is gone
    assert sorted(record["computed_points"] + record["reused_points"]) == list(range(6))
    fresh = sweep_cli(tmp_path, tmp_path / "fresh", grid_text=grid, size=larger)
    assert fresh.returncode == 0, fresh.stderr
    assert (out / "sweep.csv").read_bytes() == (tmp_path / "fresh" / "sweep.csv").read_bytes()


def test_a_folder_that_is_not_a_sweep_is_not_resumed(tmp_path):
    out = tmp_path / "notes"
    out.mkdir()
    (out / "mine.txt").write_text("keep me", encoding="utf-8")
    result = sweep_cli(tmp_path, out, "--resume")
    assert result.returncode == 2 and "不是扫描文件夹（其中没有 points/ 文件夹）" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]


@pytest.mark.parametrize("named", [True, False])
def test_a_sweep_that_fails_before_its_last_file_leaves_nothing(tmp_path, monkeypatch, named):
    """A new sweep folder lands whole or not at all: a command's own files (a sensitivity's
    indices, a sweep's charts) are written before it lands, and their failure removes it."""
    monkeypatch.chdir(tmp_path)
    scenario = load_scenario(BASELINE, SMALL)

    def finish(sweep):
        (sweep.folder / "indices.csv").write_text("half", encoding="utf-8")
        raise ValueError("the analysis failed")

    with pytest.raises(ValueError):
        run_sweep(scenario, [{"passline.ratio": 0.5}], ["passline.ratio"], replicates=1,
                  out=tmp_path / "sw" if named else None, finish=finish)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
