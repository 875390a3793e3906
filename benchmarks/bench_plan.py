"""Planning at city scale: a one-lever and a two-lever plan, time and candidates evaluated
(not a test: run by hand, figures go in docs/performance.md).

    .venv/bin/python benchmarks/bench_plan.py --replicates 10 --workers 1

Both plans start from the baseline (25,000 people, 10 years):

- one lever: ``passline.ratio=0.3:0.9`` (step 0.001, 601 values), target "at least 10 %
  more passed by ratio only than the baseline", least change;
- two levers: ``passline.ratio=0.3:0.9`` and ``validity.ratio_only_years=1:3``, targets
  "titled in grassroots units at least, and passes expired unused at most, what ratio 0.6
  with two-year ratio-only passes attains" (so a setting meets both), minimising exam
  sittings.

The targets are derived from a baseline run (never typed in). Prints wall and CPU time,
candidates evaluated, rounds, seconds per candidate, and the answer. The load average is
printed before and after: the machine may be shared.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import titlesim  # noqa: E402
from titlesim.compare.outcomes import values  # noqa: E402
from titlesim.plan import Objective, parse_lever, parse_target, run_plan, scenario_years  # noqa: E402
from titlesim.sweep import Where  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def baseline_mean(scenario, replicates: int, outcome: str, *overrides: str) -> float:
    result = titlesim.simulate(scenario.with_overrides(list(overrides)), replicates=replicates,
                               progress=False)
    return float(values(result, outcome)[0][:, -1, 0].mean())


def timed(name, scenario, levers, targets, objective, replicates, where, folder) -> dict:
    t0, c0 = time.perf_counter(), cpu_s()
    plan = run_plan(scenario, [parse_lever(t, scenario) for t in levers],
                    [parse_target(t, scenario_years(scenario)) for t in targets], objective,
                    replicates=replicates, out=folder, where=where)
    wall, cpu = time.perf_counter() - t0, cpu_s() - c0
    return {"plan": name, "levers": levers, "targets": targets, "feasible": plan.feasible,
            "setting": plan.setting, "candidates": len(plan.candidates), "rounds": plan.rounds,
            "wall_s": round(wall, 1), "cpu_s_this_process_and_ended_workers": round(cpu, 1),
            "s_per_candidate": round(wall / len(plan.candidates), 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", type=int, default=25_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--replicates", type=int, default=10)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--only", choices=("one", "two"), default=None)
    ap.add_argument("--scenario", default=str(ROOT / "scenarios/baseline-2022.yaml"))
    args = ap.parse_args()
    scenario = titlesim.load_scenario(args.scenario, [f"population.size={args.size}",
                                                      f"horizon.years={args.years}"])
    where = Where(workers=args.workers)
    load_before = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "one"):
            ratio_only = baseline_mean(scenario, args.replicates, "passed_ratio_only")
            rows.append(timed("one lever", scenario, ["passline.ratio=0.3:0.9"],
                              [f"passed_ratio_only >= {1.1 * ratio_only:.1f}"], Objective(),
                              args.replicates, where, Path(tmp) / "one"))
        if args.only in (None, "two"):
            known = ("passline.ratio=0.6", "validity.ratio_only_years=2")
            grassroots = baseline_mean(scenario, args.replicates, "titled_grassroots", *known)
            expired = baseline_mean(scenario, args.replicates, "passes_expired_unused", *known)
            rows.append(timed("two levers", scenario,
                              ["passline.ratio=0.3:0.9", "validity.ratio_only_years=1:3"],
                              [f"titled_grassroots >= {grassroots - 0.05:.1f}",
                               f"passes_expired_unused <= {expired + 0.05:.1f}"],
                              Objective("exam_sittings"), args.replicates, where,
                              Path(tmp) / "two"))
    print(json.dumps({"size": args.size, "years": args.years, "replicates": args.replicates,
                      "workers": args.workers, "load_before": [round(x, 2) for x in load_before],
                      "load_after": [round(x, 2) for x in os.getloadavg()], "plans": rows},
                     ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
