"""Test-suite time: the README's test command (``scripts/test.sh``, every test on every
core) timed as a whole, with the machine's load before and after (the goal, 2.5 minutes
on 2 cores, is for a machine doing nothing else).

    .venv/bin/python benchmarks/bench_suite.py                # scripts/test.sh
    .venv/bin/python benchmarks/bench_suite.py -- -n 0        # one process, for comparison

Prints wall time, the CPU time of the whole process tree, the pass/fail line, the 15
slowest tests, the 15 files that took longest (their tests' set-up, call and tear-down
summed) and the tests that failed.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pytest_args", nargs="*", help="extra arguments for pytest (after --)")
    args = ap.parse_args()
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    out = subprocess.run(["bash", "scripts/test.sh", "-q", "-p", "no:cacheprovider",
                          "--durations=0", *args.pytest_args], cwd=ROOT, capture_output=True,
                         text=True)
    wall = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = out.stdout.splitlines()
    summary = next((ln for ln in reversed(lines) if re.search(r"\d+ (passed|failed)", ln)), "")
    start = next((i for i, ln in enumerate(lines) if "slowest" in ln), len(lines))
    durations = [m for ln in lines[start + 1:] if (m := re.match(r"([\d.]+)s\s+\w+\s+(\S+?)::", ln))]
    per_file: dict[str, float] = {}
    for m in durations:
        per_file[m.group(2)] = per_file.get(m.group(2), 0.0) + float(m.group(1))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    print(json.dumps({
        "command": " ".join(["scripts/test.sh", *args.pytest_args]), "commit": commit,
        "cores": os.cpu_count(), "wall_s": round(wall, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "result": summary.strip("= "), "slowest": lines[start + 1:start + 16],
        "slowest_files": [f"{seconds:.1f} s {name}" for name, seconds in
                          sorted(per_file.items(), key=lambda kv: -kv[1])[:15]],
        "failed": [ln for ln in lines if ln.startswith(("FAILED ", "ERROR "))],
    }, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
