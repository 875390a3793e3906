"""Time of reading a roster and of a calibration (not a test: run by hand, figures go in
docs/performance.md).

    .venv/bin/python benchmarks/bench_roster.py                 # 25,000 people
    .venv/bin/python benchmarks/bench_roster.py --size 100000

Steps: write a synthetic roster of SIZE people (examples/make_examples.py's way), read
and check it (``read_roster``, pandera), build the engine's workforce (``prepare``), and
calibrate exam.mean_score to one simulated history (3 years, 3 replicates).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples"))

from make_examples import HEADER, SCENARIO, roster_rows, write_csv  # noqa: E402

from titlesim import load_scenario, simulate  # noqa: E402
from titlesim.calibrate.fit import calibrate  # noqa: E402
from titlesim.calibrate.observed import observed_from_result, read_observed  # noqa: E402
from titlesim.calibrate.parameters import parse_params  # noqa: E402
from titlesim.people import Codebook  # noqa: E402
from titlesim.roster import read_roster  # noqa: E402
from titlesim.setup import prepare  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=25_000)
    args = ap.parse_args()
    times = {}
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "roster.csv"
        synthetic = load_scenario(SCENARIO, ["population.roster=null", f"population.size={args.size}"])
        write_csv(roster, HEADER, roster_rows(synthetic.params, 7))
        loaded = load_scenario(SCENARIO, [f"population.roster={roster}", "horizon.years=3",
                                          "replicates=3"])
        t = time.perf_counter()
        rows = read_roster(roster, loaded.params).rows
        times["read_and_check_s"] = time.perf_counter() - t
        t = time.perf_counter()
        prepare(loaded.params, 1)
        times["prepare_s"] = time.perf_counter() - t
        history = simulate(loaded.with_overrides(["exam.mean_score=54"]), replicates=1, seed=2)
        table = observed_from_result(history, ("grassroots",), ("applied", "passed_provincial"))
        table.to_csv(Path(tmp) / "observed.csv", index=False)
        observed = read_observed(Path(tmp) / "observed.csv", loaded.params,
                                 Codebook.from_scenario(loaded.params))
        t = time.perf_counter()
        cal = calibrate(loaded, observed, parse_params(["exam.mean_score"], []))
        times["calibrate_s"] = time.perf_counter() - t
    print(json.dumps({"people": len(rows), **{k: round(v, 2) for k, v in times.items()},
                      "evaluations": cal.evaluations, "fitted_mean_score": round(cal.fitted[0], 2),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024},
                     indent=1))


if __name__ == "__main__":
    main()
