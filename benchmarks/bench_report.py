"""Wall time of ``titlesim report`` (not a test: run by hand, the figure goes in docs/performance.md).

    .venv/bin/python benchmarks/bench_report.py                      # the baseline, 20 replicates
    .venv/bin/python benchmarks/bench_report.py --set population.size=3000 --replicates 3

Runs the real command in a fresh process (cold kernel included: Papermill starts a new
kernel every time) in a temporary working folder, so nothing is written into reports/.
Prints the wall time of each run, its CPU time (the command, its kernel and the Chromium
that prints the PDF: every process it waited for) and, from the run's provenance.json, the
time spent inside the report (kernel start to provenance). On a shared machine compare
CPU times: wall time grows with the load.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_run(scenario: str, extra: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-report-") as cwd:
        t0, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([sys.executable, "-m", "titlesim", "report", scenario, *extra],
                              cwd=cwd, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        if done.returncode != 0:
            sys.exit(f"report failed ({done.returncode}):\n{done.stderr}")
        html = Path(cwd) / done.stdout.strip().splitlines()[-1]
        provenance = json.loads((html.parent / "provenance.json").read_text(encoding="utf-8"))
        return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "inside_report_s": provenance["seconds"],
                "replicates": provenance["replicates"], "html_mib": round(html.stat().st_size / 2**20, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", default=str(ROOT / "scenarios" / "baseline-2022.yaml"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--replicates", type=int, default=None)
    ap.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY.PATH=VALUE")
    args = ap.parse_args()
    extra = [f"--set={o}" for o in args.overrides]
    if args.replicates:
        extra += ["--replicates", str(args.replicates)]
    scenario = str(Path(args.scenario).resolve())  # the run happens in a temporary folder
    runs = [one_run(scenario, extra) for _ in range(args.runs)]
    for r in runs:
        print(json.dumps(r))
    walls, cpus = [r["wall_s"] for r in runs], [r["cpu_s"] for r in runs]
    print(json.dumps({"scenario": Path(args.scenario).name, "overrides": args.overrides,
                      "runs": len(runs), "wall_median_s": statistics.median(walls),
                      "wall_max_s": max(walls), "cpu_median_s": statistics.median(cpus),
                      "load": [round(x, 1) for x in os.getloadavg()]}))


if __name__ == "__main__":
    main()
