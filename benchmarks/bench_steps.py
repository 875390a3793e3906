"""CPU time of each step of the engine's year, per year (not a test: run by hand, figures go
in docs/performance.md).

    .venv/bin/python benchmarks/bench_steps.py --size 1000000 --years 10 --replicates 3

Each step of :func:`titlesim.engine.run_year` is timed with ``time.process_time`` (CPU, not
wall: the machine is shared) while whole replicates run; the figures are milliseconds per
year, the median and range over the replicates. Compiled passes are on (``--compiled
off`` for the numpy rules); a first replicate of one year at 2,000 people is run before
timing, so that compiled code is loaded. ``replicate`` is the whole replicate per year, the
copy of the starting workforce included.
"""
from __future__ import annotations

import argparse
import json
import os
import time
import warnings
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
warnings.filterwarnings("ignore", module="titlesim")  # a scenario's notes, not the figures

import numpy as np  # noqa: E402

import titlesim  # noqa: E402
from titlesim import engine, sizes  # noqa: E402
from titlesim.setup import prepare  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
STEPS = ("flows_step", "eligibility_and_application_step", "exam_and_pass_lines_step",
         "evaluation_step", "hiring_step", "mobility_step", "record_step")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--replicates", type=int, default=3)
    ap.add_argument("--scenario", default=str(ROOT / "scenarios/baseline-2022.yaml"))
    ap.add_argument("--compiled", choices=("on", "off"), default="on")
    args = ap.parse_args()
    sizes.prefer_compiled(args.compiled == "on")
    warm = titlesim.load_scenario(args.scenario, ["population.size=2000", "horizon.years=1"])
    titlesim.simulate(warm, replicates=1, progress=False)
    scenario = titlesim.load_scenario(args.scenario, [f"population.size={args.size}",
                                                      f"horizon.years={args.years}"])
    setup = prepare(scenario.params, scenario.params.seed)
    spent = {name: [] for name in STEPS + ("replicate",)}
    for replicate in range(args.replicates):
        clock = dict.fromkeys(STEPS, 0.0)
        started = time.process_time()
        with timed_steps(clock):
            engine.run_replicate(setup, replicate)
        spent["replicate"].append((time.process_time() - started) / args.years)
        for name in STEPS:
            spent[name].append(clock[name] / args.years)
    report = {"people": len(setup.people), "years": args.years, "replicates": args.replicates,
              "compiled": args.compiled, "load_average": [round(x, 2) for x in os.getloadavg()],
              "ms_per_year": {name.removesuffix("_step"): summary(values)
                              for name, values in spent.items()}}
    print(json.dumps(report, indent=2))


class timed_steps:
    """Within this block, each step the year loop calls adds its CPU seconds to ``clock``."""

    def __init__(self, clock: dict):
        self.clock, self.steps = clock, {name: getattr(engine, name) for name in STEPS}

    def __enter__(self):
        for name, step in self.steps.items():
            setattr(engine, name, self._timed(name, step))

    def __exit__(self, *exc):
        for name, step in self.steps.items():
            setattr(engine, name, step)

    def _timed(self, name, step):
        def run(state):
            started = time.process_time()
            step(state)
            self.clock[name] += time.process_time() - started
        return run


def summary(seconds: list[float]) -> dict:
    ms = np.asarray(seconds) * 1000
    return {"median": round(float(np.median(ms)), 2), "min": round(float(ms.min()), 2),
            "max": round(float(ms.max()), 2)}


if __name__ == "__main__":
    main()
