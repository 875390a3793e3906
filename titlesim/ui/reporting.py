"""The report button: make the Papermill report of a saved revision.

The report runs as the command line does (``titlesim report SCENARIO``), in its own
process: a report executes a notebook in a kernel of its own, and the what-if view's
kernel stays free for the controls meanwhile.
"""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ReportOutcome:
    ok: bool
    output: str  # what the command printed last (the report's path when it worked)
    command: list[str]


def report_command(scenario: Path, lang: str = "zh") -> list[str]:
    return [sys.executable, "-m", "titlesim", "report", str(scenario), "--lang", lang]


def make_report(scenario: Path, cwd: Path, lang: str = "zh", timeout: float = 1800) -> ReportOutcome:
    """Run ``titlesim report`` on ``scenario`` with ``cwd`` as the working folder (where
    ``reports/`` is)."""
    command = report_command(Path(scenario).resolve(), lang)
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    ok = done.returncode == 0
    lines = (done.stdout if ok else done.stderr).strip().splitlines()
    last = lines[-1] if lines else ""
    if ok and last:
        last = str((Path(cwd) / last).resolve())  # the command prints it relative to cwd
    return ReportOutcome(ok, last, command)
