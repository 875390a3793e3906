"""``provenance.json`` of a report: everything needed to re-create it (titlesim version,
git commit, package versions, the template, the kernel's Python, every scenario's files
with their sha256 and its resolved content, seed, replicates, language, command line),
what it produced (the sha256 of every table and figure-data CSV) and its headline figures
(for the index)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from titlesim.report.headline import record
from titlesim.report.request import Request, scenario_record
from titlesim.runfolder import base_provenance, package_versions
from titlesim.runs import file_sha256

PACKAGES = ("numpy", "pandas", "scipy", "matplotlib", "pydantic", "pyyaml", "openpyxl",
            "pyarrow", "papermill", "nbconvert", "nbformat", "ipykernel", "jupyter_client")


def report_provenance(request: Request, folder: Path, template: Path, started: str, ended: str,
                      seconds: float) -> dict:
    from titlesim.report.runner import KERNEL, kernel_python
    headline = pd.read_csv(folder / "tables" / "headline.csv")
    return {
        "kind": "report",
        **base_provenance(),
        "versions": package_versions(PACKAGES),
        "scenario": request.name,
        "subject": request.subject,
        "scenarios": [scenario_record(s, "base" if i == 0 else "revision")
                      for i, s in enumerate(request.scenarios)],
        "overrides": list(request.overrides),
        "seed": request.seed,
        "replicates": request.replicates,
        "lang": request.lang,
        "years": _years(request),
        "template": {"path": str(template), "sha256": file_sha256(template)},
        "kernel": {"name": KERNEL, "python": kernel_python()},
        "command": request.command,
        "recreated_from": request.recreated_from,
        "started": started,
        "ended": ended,
        "seconds": round(seconds, 1),
        "outputs_sha256": outputs_sha256(folder),
        "headline": record(headline),
    }


def outputs_sha256(folder: Path) -> dict[str, str]:
    """sha256 of the tables' and figures' data files: equal for a re-created report."""
    files = sorted([*Path(folder).glob("tables/*.csv"), *Path(folder).glob("figures/*.csv")])
    return {str(p.relative_to(folder)): file_sha256(p) for p in files}


def _years(request: Request) -> list[int]:
    h = request.scenario.params.horizon
    return [h.start, h.start + h.years - 1]
