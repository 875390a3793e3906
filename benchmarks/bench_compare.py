"""Time of one comparison, step by step (not a test: run by hand, figures go in docs/performance.md).

    .venv/bin/python benchmarks/bench_compare.py
    .venv/bin/python benchmarks/bench_compare.py --revision scenarios/grassroots-ratio-0.4.yaml --replicates 50

Steps: simulate every scenario (common random numbers), the impact tables, impact by
group, equity, and writing the folder (CSV, 19 figures in PNG and SVG, workbook).
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

from titlesim import load_scenario  # noqa: E402
from titlesim.compare import compare, write_comparison  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--base", default=str(ROOT / "scenarios/baseline-2022.yaml"))
    ap.add_argument("--revision", action="append", default=None)
    ap.add_argument("--replicates", type=int, default=None)
    ap.add_argument("--set", dest="overrides", action="append", default=[])
    args = ap.parse_args()
    revisions = args.revision or [str(ROOT / "scenarios/grassroots-ratio-0.6.yaml")]
    base = load_scenario(args.base, args.overrides)
    loaded = [load_scenario(p, args.overrides) for p in revisions]
    times = {}
    t = time.perf_counter()
    cmp = compare(base, loaded, replicates=args.replicates)
    times["simulate_s"] = time.perf_counter() - t
    for table in ("impact", "impact_by_group", "equity"):
        t = time.perf_counter()
        getattr(cmp, table)
        times[f"{table}_s"] = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        write_comparison(cmp, Path(tmp))
        times["write_s"] = time.perf_counter() - t
    report = {
        "scenarios": len(cmp.results), "replicates": cmp.replicates,
        "years": len(cmp.years), "people": int(base.params.population.size),
        **{k: round(v, 2) for k, v in times.items()},
        "total_s": round(sum(times.values()), 2),
        "impact_by_group_rows": len(cmp.impact_by_group),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
