"""Engine throughput and peak memory (not a test: run by hand, figures go in the README).

    .venv/bin/python benchmarks/bench_engine.py --size 25000 --years 10 --replicates 10
    .venv/bin/python benchmarks/bench_engine.py --size 1000000 --years 10 --replicates 1

Person-years per second = people at the start x years x replicates / simulation seconds
(set-up of the workforce excluded and reported apart). Peak memory is the process's peak
resident set above what it held before the workforce was built, per person.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import titlesim  # noqa: E402
from titlesim.setup import prepare  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def rss_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=25_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--replicates", type=int, default=10)
    ap.add_argument("--scenario", default=str(ROOT / "scenarios/baseline-2022.yaml"))
    args = ap.parse_args()
    scenario = titlesim.load_scenario(args.scenario, [f"population.size={args.size}",
                                                      f"horizon.years={args.years}"])
    before = rss_mib()
    t0 = time.perf_counter()
    setup = prepare(scenario.params, scenario.params.seed)
    t1 = time.perf_counter()
    result = titlesim.simulate(scenario, replicates=args.replicates, setup=setup, progress=False)
    t2 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
    people = len(setup.people)
    person_years = people * args.years * args.replicates
    report = {
        "people": people, "years": args.years, "replicates": args.replicates,
        "setup_s": round(t1 - t0, 3), "simulate_s": round(t2 - t1, 3),
        "person_years_per_s": round(person_years / (t2 - t1)),
        "peak_rss_mib": round(peak, 1), "rss_before_mib": round(before, 1),
        "peak_bytes_per_person": round((peak - before) * 2**20 / people, 1),
        "counts_mib": round(result.counts.nbytes / 2**20, 1),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
