"""The same sweep gives the identical table whatever runs it: this process alone
(``--workers 1``), a local cluster of two worker processes, or a real Dask cluster
(``dask scheduler`` and ``dask worker`` started here on 127.0.0.1, stopped by PID).
The commands run in the test process (conftest.run_titlesim), but the one that starts a
local cluster, which runs as a real process.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_titlesim

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "scenarios" / "baseline-2022.yaml"
SMALL_ARGS = ["--set", "population.size=2000", "--set", "horizon.years=3", "--replicates", "2"]
GRID = "parameters:\n  passline.ratio: [0.3, 0.5, 0.8]\n  validity.ratio_only_years: [1, 3]\n"
TABLES = ("sweep.csv", "totals.csv", "points.csv")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the scheduler stopped"
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


def stop(process: subprocess.Popen) -> None:
    """Stop a process we started, and its children (its own session), by its PID."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """``dask scheduler`` and one ``dask worker`` (1 process, 1 thread, without the nanny
    process that would start it in a second process) on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("dask")
    dask = Path(sys.executable).with_name("dask")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    started = []
    try:
        with open(folder / "scheduler.log", "w") as log:
            started.append(subprocess.Popen(
                [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        wait_for_port(port, started[0])
        with open(folder / "worker.log", "w") as log:
            started.append(subprocess.Popen(
                [dask, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                 "--no-nanny",  # the worker in this process: one Python less to start
                 "--host", "127.0.0.1", "--local-directory", folder],
                cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        yield address, folder
    finally:
        for process in reversed(started):
            stop(process)


def sweep(tmp_path: Path, name: str, *where, subprocess_run=False) -> Path:
    """The sweep command, in this process (conftest.run_titlesim) or as a real process."""
    grid = tmp_path / "grid.yaml"
    grid.write_text(GRID, encoding="utf-8")
    out = tmp_path / name
    env = dict(os.environ, PYTHONPATH=str(REPO))
    command = ["sweep", BASELINE, "--grid", grid, "--out", out, "--no-charts", *SMALL_ARGS, *where]
    result = subprocess.run([sys.executable, "-m", "titlesim", *map(str, command)], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=300) \
        if subprocess_run else run_titlesim(*command, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    from titlesim.i18n import msg
    assert msg("progress_points") in result.stderr and "/6 [" in result.stderr  # the bar, 6 points
    assert result.stdout.strip() == str(out)
    return out


@pytest.mark.slow
def test_serial_two_local_workers_and_a_dask_cluster_give_the_identical_table(tmp_path, dask_cluster):
    address, _ = dask_cluster
    # the local cluster is started by a real command process, as a user's command starts it
    serial = sweep(tmp_path, "serial", "--workers", "1")
    local = sweep(tmp_path, "local", "--workers", "2", subprocess_run=True)
    remote = sweep(tmp_path, "remote", "--scheduler", address)
    for name in TABLES:
        expected = (serial / name).read_bytes()
        assert (local / name).read_bytes() == expected, name
        assert (remote / name).read_bytes() == expected, name
    for name in ("sweep.parquet", "totals.parquet"):
        expected = pd.read_parquet(serial / name)
        pd.testing.assert_frame_equal(pd.read_parquet(local / name), expected)
        pd.testing.assert_frame_equal(pd.read_parquet(remote / name), expected)
    table = pd.read_csv(serial / "sweep.csv")
    assert len(table) == 6 * 2 * 3
    assert table.groupby("passline.ratio")["passed_ratio_only"].sum().is_monotonic_increasing
    ran_on = [json.loads((f / "provenance.json").read_text())["ran_on"] for f in (serial, local, remote)]
    assert ran_on == [{"workers": 1}, {"workers": 2}, {"scheduler": address}]
    assert executed_on_cluster(address) == 6  # the points ran on the cluster's worker


def executed_on_cluster(address: str) -> int:
    """Tasks the cluster's workers ran (a lambda travels by value; this module does not); the
    connection may wait a minute, as the suite's other processes load the machine."""
    from distributed import Client
    with Client(address, timeout="60s") as client:
        return sum(client.run(lambda dask_worker: dask_worker.state.executed_count).values())


def test_local_workers_start_without_the_malloc_setting_that_slows_the_engine():
    """Dask gives workers MALLOC_TRIM_THRESHOLD_, under which every engine array is a
    fresh mmap (about 180x the page faults, twice the time per point)."""
    from titlesim.sweep.execute import Where, cluster_client
    with cluster_client(Where(workers=2), points=2) as client:
        found = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
    assert list(found.values()) == [None, None]


def reminders(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "提醒" in line]


@pytest.fixture(scope="module")
def one_worker_reminders(tmp_path_factory) -> list[str]:
    """The warnings a sweep of the baseline shows with one worker (in this process), as
    the command line formats them: the scenario's post levels that get no post."""
    folder = tmp_path_factory.mktemp("one")
    (folder / "grid.yaml").write_text(SMALL_GRID, encoding="utf-8")
    result = run_titlesim("sweep", BASELINE, "--grid", folder / "grid.yaml", "--no-charts",
                          "--quiet", *SMALL_ARGS[:4], "--replicates", "1", "--workers", "1",
                          cwd=folder, env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert result.returncode == 0, result.stderr
    found = reminders(result.stderr)
    assert found and all(line.startswith("titlesim：提醒：") for line in found)
    return found


SMALL_GRID = "parameters:\n  passline.ratio: [0.3, 0.8]\n"


@pytest.mark.parametrize("command", [
    ["sweep", "--grid", "grid.yaml", "--no-charts"],
    ["plan", "--lever", "passline.ratio=0.3:0.8:0.25", "--target", "titled_grassroots >= 1"],
])
def test_two_local_workers_show_each_warning_once_as_one_worker_does(tmp_path, command,
                                                                    one_worker_reminders):
    """A warning raised in a worker process is shown by the command, formatted as with
    one worker, once: not printed raw by each worker for each point (a real process, so
    that the workers' own stderr is the command's)."""
    (tmp_path / "grid.yaml").write_text(SMALL_GRID, encoding="utf-8")
    name, *options = command
    result = subprocess.run(
        [sys.executable, "-m", "titlesim", name, str(BASELINE), *options, *SMALL_ARGS[:4],
         "--replicates", "1", "--workers", "2", "--quiet"], cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(REPO)), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "PostsWarning" not in result.stderr and ".py:" not in result.stderr, result.stderr
    assert reminders(result.stderr) == one_worker_reminders, result.stderr
