"""CLI start-up: how long ``titlesim --help``, ``--version``, a command's ``--help`` and an
argument error take, as a user runs them (a fresh process each time), and which heavy
packages they load (none is the goal; ``tests/test_cli_startup.py`` checks that).

    .venv/bin/python benchmarks/bench_startup.py [--repeat 15]

Reported per case: median and best wall time, and the median CPU time of the child (user +
system: what the command costs when the machine is not shared). The goal is under 0.3 s.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

TITLESIM = Path(sys.executable).with_name("titlesim")
CASES = {"--help": ["--help"], "--version": ["--version"], "run --help": ["run", "--help"],
         "argument error": ["run"], "python -c pass": None}


def once(args) -> tuple[float, float]:
    command = [sys.executable, "-c", "pass"] if args is None else [str(TITLESIM), *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    report = {"load_average": [round(x, 2) for x in os.getloadavg()]}
    for name, case in CASES.items():
        once(case)  # warm the file cache
        walls, cpus = zip(*(once(case) for _ in range(args.repeat)))
        report[name] = {"median_s": round(statistics.median(walls), 3),
                        "best_s": round(min(walls), 3),
                        "cpu_median_s": round(statistics.median(cpus), 3)}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
