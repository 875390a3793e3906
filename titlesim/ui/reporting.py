"""The report button: a comparison report of the saved revision against its base.

The report runs as the command line does (``titlesim report BASE --compare REVISION``),
in its own process: a report executes a notebook in a kernel of its own, and the what-if
view's kernel stays free for the controls meanwhile. Settings the page was opened with for
a smaller trial are passed on (``--set``), so the report shows what the page showed.
"""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from titlesim.ui.downloads import report_files


@dataclass(frozen=True)
class ReportOutcome:
    ok: bool
    output: str  # what the command printed last (the report's path when it worked)
    command: list[str]
    files: list[Path] = field(default_factory=list)  # the report's files to download


def report_command(base: Path, revision: Path, lang: str = "zh", overrides=()) -> list[str]:
    sets = [part for o in overrides for part in ("--set", o)]
    return [sys.executable, "-m", "titlesim", "report", str(base), "--compare", str(revision),
            "--lang", lang, *sets]


def make_report(base: Path, revision: Path, cwd: Path, lang: str = "zh", overrides=(),
                timeout: float = 1800) -> ReportOutcome:
    """Run ``titlesim report BASE --compare REVISION`` with ``cwd`` as the working folder
    (where ``reports/`` is)."""
    command = report_command(Path(base).resolve(), Path(revision).resolve(), lang, overrides)
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    ok = done.returncode == 0
    lines = (done.stdout if ok else done.stderr).strip().splitlines()
    last = lines[-1] if lines else ""
    files = []
    if ok and last:
        last = str((Path(cwd) / last).resolve())  # the command prints it relative to cwd
        files = report_files(Path(last).parent)
    return ReportOutcome(ok, last, command, files)
