"""Sweep speed-up from 1 to 2 local workers (not a test: run by hand, figures go in docs/performance.md).

    .venv/bin/python benchmarks/bench_sweep.py --size 100000 --years 10 --replicates 2 --points 8

The same grid of ``--points`` values of ``passline.ratio`` is swept three times into fresh
folders: in this process (``--workers 1``), with ``--workers 2`` (a LocalCluster started
and stopped inside the timing, as the command does), and on a 2-worker LocalCluster
started beforehand, its workers having imported titlesim (the ``--scheduler`` path,
start-up excluded). The three tables must be identical. The load average is printed
before and after: the machine may be shared.
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
from titlesim.sweep import Where, run_sweep  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def cpu_s() -> float:
    """CPU seconds of this process and of its ended children (local workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_sweep(scenario, points, where: Where, folder: Path, replicates: int):
    """Wall seconds and CPU seconds (this process and ended children) of one sweep."""
    t0, c0 = time.perf_counter(), cpu_s()
    run_sweep(scenario, points, ["passline.ratio"], replicates=replicates, out=folder, where=where)
    return time.perf_counter() - t0, cpu_s() - c0


def workers_cpu_s(client) -> float:
    return sum(client.run(lambda: time.process_time()).values())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--replicates", type=int, default=2)
    ap.add_argument("--points", type=int, default=8)
    ap.add_argument("--scenario", default=str(ROOT / "scenarios/baseline-2022.yaml"))
    args = ap.parse_args()
    scenario = titlesim.load_scenario(args.scenario, [f"population.size={args.size}",
                                                      f"horizon.years={args.years}"])
    points = [{"passline.ratio": round(0.3 + 0.5 * i / max(1, args.points - 1), 4)}
              for i in range(args.points)]
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        serial_s, serial_cpu = timed_sweep(scenario, points, Where(workers=1), tmp / "serial",
                                           args.replicates)
        local_s, local_cpu = timed_sweep(scenario, points, Where(workers=2), tmp / "local",
                                         args.replicates)
        from titlesim.sweep.execute import cluster_client
        t0 = time.perf_counter()
        with cluster_client(Where(workers=2), points=2) as client:  # as --workers 2 makes it
            client.run(lambda: __import__("titlesim.sweep.points"))  # before the timing
            startup_s = time.perf_counter() - t0
            before = workers_cpu_s(client)
            running_s, _ = timed_sweep(scenario, points, Where(scheduler=client.scheduler.address),
                                       tmp / "running", args.replicates)
            running_cpu = workers_cpu_s(client) - before
        same = all((tmp / "serial" / f).read_bytes() == (tmp / name / f).read_bytes()
                   for name in ("local", "running") for f in ("sweep.csv", "totals.csv"))
    person_years = args.size * args.years * args.replicates * args.points
    print(json.dumps({
        "people": args.size, "years": args.years, "replicates": args.replicates,
        "points": args.points, "cpu_count": os.cpu_count(),
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_after": [round(v, 2) for v in os.getloadavg()],
        "serial_s": round(serial_s, 2),
        "two_workers_s": round(local_s, 2),
        "speedup_two_workers": round(serial_s / local_s, 2),
        "cluster_startup_s": round(startup_s, 2),
        "two_workers_running_cluster_s": round(running_s, 2),
        "speedup_running_cluster": round(serial_s / running_s, 2),
        # CPU seconds per point, and the cores the sweep obtained (CPU / wall): on a shared
        # machine a speed-up below 2 with ~1 core obtained means the cores were busy elsewhere
        "serial_cpu_s_per_point": round(serial_cpu / args.points, 2),
        "two_workers_cpu_s_per_point": round(local_cpu / args.points, 2),
        "running_cluster_cpu_s_per_point": round(running_cpu / args.points, 2),
        "serial_cores_obtained": round(serial_cpu / serial_s, 2),
        "running_cluster_cores_obtained": round(running_cpu / running_s, 2),
        "serial_person_years_per_s": round(person_years / serial_s),
        "tables_identical": same,
    }, indent=2))

if __name__ == "__main__":
    main()
