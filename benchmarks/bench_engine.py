"""Engine throughput and peak memory (not a test: run by hand, figures go in
docs/performance.md).

    .venv/bin/python benchmarks/bench_engine.py --size 25000 --years 10 --replicates 20   # city
    .venv/bin/python benchmarks/bench_engine.py --size 1000000 --years 10 --replicates 1  # province
    .venv/bin/python benchmarks/bench_engine.py --size 1000000 --per-person 10000          # memory

Person-years per second = people at the start x years x replicates / simulation seconds
(set-up of the workforce excluded and reported apart; a first replicate of one year is run
before timing, so that compiled code is loaded). ``cpu_s`` is the CPU time of the same
work: what it costs when the core is not shared. Peak memory is the process's peak
resident set above what it held before the workforce was built, per person. With
``--per-person SMALL`` the whole run is repeated in two fresh processes, at ``--size`` and
at ``SMALL`` people, and the bytes per person are the difference of their peak resident
sets over the difference of their people (what each added person costs, whatever the
libraries loaded).
"""
from __future__ import annotations

import argparse
import warnings
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
warnings.filterwarnings("ignore", module="titlesim")  # a scenario's notes, not the figures

import titlesim  # noqa: E402
try:
    from titlesim import sizes  # noqa: E402
except ImportError:  # code from before the compiled loops, for before/after figures
    sizes = type("sizes", (), {"LARGE": 0})
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
    ap.add_argument("--compiled", choices=("auto", "on", "off"), default="auto",
                    help="compiled passes: by titlesim.sizes' rule (auto), always, never")
    ap.add_argument("--per-person", type=int, default=None, metavar="SMALL",
                    help="bytes per added person: two fresh processes, --size and SMALL people")
    args = ap.parse_args()
    if args.per_person:
        per_person(args)
        return
    if args.compiled != "auto":
        sizes.prefer_compiled(args.compiled == "on")
    scenario = titlesim.load_scenario(args.scenario, [f"population.size={args.size}",
                                                      f"horizon.years={args.years}"])
    before = rss_mib()
    t0 = time.perf_counter()
    setup = prepare(scenario.params, scenario.params.seed)
    t1 = time.perf_counter()
    warm = titlesim.load_scenario(args.scenario, ["population.size=2000", "horizon.years=1"])
    if args.compiled != "off":
        large, sizes.LARGE = sizes.LARGE, 0
        titlesim.simulate(warm, replicates=1, progress=False)  # load compiled code, not timed
        sizes.LARGE = large
    del warm
    c1, t1 = time.process_time(), time.perf_counter()
    result = titlesim.simulate(scenario, replicates=args.replicates, setup=setup, progress=False)
    t2, c2 = time.perf_counter(), time.process_time()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
    people = len(setup.people)
    person_years = people * args.years * args.replicates
    report = {
        "people": people, "years": args.years, "replicates": args.replicates,
        "setup_s": round(t1 - t0, 3), "simulate_s": round(t2 - t1, 3), "cpu_s": round(c2 - c1, 3),
        "person_years_per_s": round(person_years / (t2 - t1)),
        "person_years_per_cpu_s": round(person_years / (c2 - c1)),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "peak_rss_mib": round(peak, 1), "rss_before_mib": round(before, 1),
        "peak_bytes_per_person": round((peak - before) * 2**20 / people, 1),
        "counts_mib": round(result.counts.nbytes / 2**20, 1),
    }
    print(json.dumps(report, indent=2))


def per_person(args) -> None:
    def peak(size: int) -> dict:
        out = subprocess.run([sys.executable, __file__, "--size", str(size), "--years",
                              str(args.years), "--replicates", str(args.replicates),
                              "--scenario", args.scenario, "--compiled", args.compiled], capture_output=True, text=True,
                             check=True)
        return json.loads(out.stdout)
    big, small = peak(args.size), peak(args.per_person)
    print(json.dumps({
        "people": [small["people"], big["people"]],
        "peak_rss_mib": [small["peak_rss_mib"], big["peak_rss_mib"]],
        "bytes_per_added_person": round((big["peak_rss_mib"] - small["peak_rss_mib"]) * 2**20
                                        / (big["people"] - small["people"]), 1),
        "person_years_per_s": big["person_years_per_s"],
        "person_years_per_cpu_s": big["person_years_per_cpu_s"]}, indent=2))


if __name__ == "__main__":
    main()
