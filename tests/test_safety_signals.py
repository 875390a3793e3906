"""Interruption with real signals, leftovers of a killed process, concurrent identical
runs, and work refused before it starts when it cannot fit the machine.

What is about the process (signals, a killed process, processes at once) runs the real
command in a subprocess; a refusal before any work runs the command in the test process
(``run_titlesim``). The interrupted runs are of 5,000 people: writing the run folder, where
the signal lands, takes as long as at 40,000 (the tables are per cell, not per person)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import run_titlesim

from titlesim.i18n import msg

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "scenarios" / "baseline-2022.yaml"
SMALLER = ("--set", "population.size=5000")  # the folder written is as large as the baseline's


def start(*args, cwd: Path, env: dict | None = None) -> subprocess.Popen:
    """The real command; SIGINT restored to its default (a background job ignores it)."""
    return subprocess.Popen([sys.executable, "-m", "titlesim", *map(str, args)], cwd=cwd,
                            env=dict(os.environ, PYTHONPATH=str(REPO), **(env or {})),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def wait_for(condition, timeout: float = 300.0, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(step)
    raise AssertionError("timed out waiting")


def temp_entries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*.tmp*")] if folder.exists() else []


@pytest.mark.parametrize("sig, code, key", [(signal.SIGINT, 130, "interrupted"),
                                            (signal.SIGTERM, 143, "terminated")])
def test_a_signal_while_the_run_folder_is_written_leaves_nothing(tmp_path, sig, code, key):
    out = tmp_path / "runs"
    process = start("run", BASELINE, *SMALLER, "--replicates", "8", "--quiet", "--out", out, cwd=tmp_path)
    wait_for(lambda: temp_entries(out))  # the run is writing its folder
    process.send_signal(sig)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == code, stderr
    assert stderr == msg('cli.stopped', text=msg(key)) + "\n"
    assert list(out.iterdir()) == []


def test_a_signal_while_simulating_exits_at_once(tmp_path):
    out = tmp_path / "runs"
    process = start("run", BASELINE, "--replicates", "50", "--quiet", "--out", out, cwd=tmp_path)
    time.sleep(4)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr) == (143, msg('cli.stopped', text=msg('terminated')) + "\n")
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize("error, code, key", [("Terminated", 143, "terminated"),
                                               ("KeyboardInterrupt", 130, "interrupted")])
def test_a_signal_wrapped_by_compiled_code_still_exits_cleanly(tmp_path, error, code, key):
    # a signal handled while compiled code calls back into Python reaches the command as
    # "SystemError: ... returned a result with an exception set", caused by the signal's
    # exception: it must end as the signal does, not with a traceback
    script = tmp_path / "wrapped.py"
    script.write_text(
        "from titlesim.cli import cli\n"
        "from titlesim.interrupt import Terminated\n"
        "@cli.command('wrapped')\n"
        "def wrapped():\n"
        f"    try:\n        raise {error}()\n"
        f"    except {error} as exc:\n"
        "        raise SystemError('<built-in function f> returned a result with an exception set') from exc\n"
        "cli.main(['wrapped'])\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "TITLESIM_LANG"}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          env=dict(env, PYTHONPATH=str(REPO)), timeout=120)
    assert (done.returncode, done.stderr) == (code, msg('cli.stopped', text=msg(key)) + "\n")


def _kernels(pid: int) -> list[psutil.Process]:
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    return [c for c in children if "ipykernel" in " ".join(c.cmdline())]


@pytest.mark.slow
def test_ctrl_c_during_a_report_stops_the_kernel_and_leaves_nothing(tmp_path):
    process = start("report", BASELINE, "--set", "population.size=2000", "--set",
                    "horizon.years=2", "--replicates", "2", cwd=tmp_path)
    kernels = wait_for(lambda: _kernels(process.pid))
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == msg('cli.stopped', text=msg('interrupted'))
    assert "Traceback" not in stderr and "ZMQError" not in stderr
    wait_for(lambda: not any(k.is_running() and k.status() != psutil.STATUS_ZOMBIE
                             for k in kernels), timeout=10)
    assert temp_entries(tmp_path / "reports") == []


def test_runs_clean_removes_what_a_killed_process_left_and_nothing_else(tmp_path):
    out = tmp_path / "reports" / "runs" / "baseline"
    process = start("run", BASELINE, *SMALLER, "--replicates", "8", "--quiet", "--out", out, cwd=tmp_path)
    wait_for(lambda: temp_entries(out))
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    left = temp_entries(out)
    assert left, "SIGKILL leaves the temporary folder"
    running = out / f".20990101-000000-abc.pid{os.getpid()}.x1.tmp"  # a live process's
    running.mkdir()
    listing = run_titlesim("runs", "--root", "reports", cwd=tmp_path)
    assert ".tmp" not in listing.stdout  # never shown as a run
    cleaned = run_titlesim("runs", "--clean", "--root", "reports", cwd=tmp_path)
    assert cleaned.returncode == 0, cleaned.stderr
    assert all(p.name in cleaned.stdout for p in left if p.parent == out)
    assert sorted(p.name for p in out.iterdir()) == [running.name]


def test_identical_runs_started_together_both_land(tmp_path):
    out = tmp_path / "runs"
    small = ["--set", "population.size=1500", "--set", "horizon.years=2", "--replicates", "1"]
    processes = [start("run", BASELINE, *small, "--quiet", "--out", out, cwd=tmp_path)
                 for _ in range(3)]
    results = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], [r[1] for r in results]
    folders = sorted(Path(r[0].strip().splitlines()[-1]) for r in results)
    assert len(set(folders)) == 3
    assert sorted(out.iterdir()) == folders
    assert all((f / "provenance.json").exists() for f in folders)


def test_work_beyond_the_machine_is_refused_before_it_starts(tmp_path):
    started = time.monotonic()
    refused = run_titlesim("run", BASELINE, "--replicates", "10000", "--out", tmp_path / "runs",
                           cwd=tmp_path)
    assert refused.returncode == 2, refused.stderr
    assert "--allow-large" in refused.stderr and "10000" in refused.stderr.replace(",", "") \
        or "--allow-large" in refused.stderr
    assert time.monotonic() - started < 60
    assert not (tmp_path / "runs").exists()


def test_allow_large_lets_those_who_know_better_run(tmp_path):
    small = ["--set", "population.size=1500", "--set", "horizon.years=2", "--replicates", "1"]
    env = dict(os.environ, TITLESIM_AVAILABLE_MEMORY=str(10 * 2**20))
    command = ["run", BASELINE, *small, "--quiet", "--out", tmp_path / "runs"]
    refused = run_titlesim(*command, cwd=tmp_path, env=env)
    assert refused.returncode == 2 and "--allow-large" in refused.stderr
    allowed = run_titlesim(*command, "--allow-large", cwd=tmp_path, env=env)
    assert allowed.returncode == 0, allowed.stderr


def test_an_out_that_is_a_file_or_a_symlink_is_refused_before_simulating(tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    link = tmp_path / "link"
    link.symlink_to(tmp_path)
    for place in (a_file, link, a_file / "below"):
        started = time.monotonic()
        result = run_titlesim("run", BASELINE, "--replicates", "50", "--out", place, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert str(place) in result.stderr and "--out" in result.stderr
        assert time.monotonic() - started < 30  # nothing was simulated
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "link"]


@pytest.mark.slow
def test_ctrl_c_on_a_sweep_with_workers_says_one_line_and_how_to_go_on(tmp_path):
    # Ctrl-C in a terminal reaches every process of the command (its process group): the
    # local workers too, which load the command's main module and must leave silently
    grid = tmp_path / "grid.yaml"
    grid.write_text("parameters:\n  passline.ratio: [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]\n"
                    "  validity.years: [2, 3, 4]\n", encoding="utf-8")
    out = tmp_path / "sweep"
    args = ("sweep", BASELINE, "--grid", grid, "--set", "population.size=20000", "--set",
            "horizon.years=3", "--replicates", "2", "--no-charts", "--quiet", "--out", out)
    process = subprocess.Popen(
        [sys.executable, "-m", "titlesim", *map(str, args), "--workers", "2"], cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(REPO)), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True)
    wait_for(lambda: list(tmp_path.glob(".sweep.pid*.tmp/points/[!.]*.parquet")))
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    lines = [line for line in stderr.splitlines() if "提醒" not in line]
    assert process.returncode == 130, stderr
    assert lines == [msg("cli.stopped", text=msg("interrupted")),
                     msg("cli.note", note=msg("sweep_resume_hint", out=str(out)))], stderr
    left = list(tmp_path.glob(".sweep.pid*.tmp"))
    assert len(left) == 1 and not out.exists()
    # run again without --resume: told the earlier part is superseded, and it is removed
    grid.write_text("parameters:\n  passline.ratio: [0.3, 0.8]\n", encoding="utf-8")  # a fresh run: any grid
    smaller = [a.replace("population.size=20000", "population.size=2000") for a in map(str, args)]
    again = subprocess.run([sys.executable, "-m", "titlesim", *smaller, "--workers", "1"],
                           cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(REPO)),
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert msg("sweep_fresh_over_interrupted", out=str(out)) in again.stderr
    assert out.is_dir() and not list(tmp_path.glob(".sweep.pid*.tmp"))
