"""The history's cost (not a test: run by hand, figures go in docs/performance.md).

    .venv/bin/python benchmarks/bench_history.py --size 25000
    .venv/bin/python benchmarks/bench_history.py --size 1000000 --replicates 1

Measures, for the baseline at the given size: the history (``history.years`` warm-up
years through the engine's own year step, computed once per key), a second ``prepare``
of the same scenario and of a revision (both reuse the cached history), the history read
back from the disk cache (what a new process pays; the cache is a fresh temporary folder,
so the first history is always computed), and the horizon itself (years x replicates), so
that the history's cost reads beside the engine's speed.
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
os.environ["TITLESIM_CACHE_DIR"] = tempfile.mkdtemp(prefix="titlesim-bench-cache-")

import titlesim  # noqa: E402
from titlesim.history import clear_cache, rules_before_start  # noqa: E402
from titlesim.setup import prepare, prepare_drawn  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=25_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--replicates", type=int, default=10)
    ap.add_argument("--scenario", default=str(ROOT / "scenarios/baseline-2022.yaml"))
    args = ap.parse_args()
    common = [f"population.size={args.size}", f"horizon.years={args.years}"]
    base = titlesim.load_scenario(args.scenario, common)
    revision = titlesim.load_scenario(args.scenario, common + ["passline.ratio=0.6"])
    seed = base.params.seed

    t = time.perf_counter()
    prepare_drawn(base.params, seed)
    drawn_s = time.perf_counter() - t

    clear_cache()
    t = time.perf_counter()
    setup = prepare(base.params, seed, rules_before_start(base))
    first_s = time.perf_counter() - t
    t = time.perf_counter()
    prepare(base.params, seed, rules_before_start(base))
    again_s = time.perf_counter() - t
    t = time.perf_counter()
    rev = prepare(revision.params, seed, rules_before_start(revision))
    revision_s = time.perf_counter() - t
    assert rev.history is setup.history
    clear_cache()  # as a new process: the history is read from the disk cache
    t = time.perf_counter()
    prepare(base.params, seed, rules_before_start(base))
    from_disk_s = time.perf_counter() - t
    cache_mib = sum(p.stat().st_size for p in Path(os.environ["TITLESIM_CACHE_DIR"]).glob("*.npz")) / 2**20

    t = time.perf_counter()
    titlesim.simulate(base, replicates=args.replicates, setup=setup, progress=False)
    horizon_s = time.perf_counter() - t
    history = setup.history
    n_years = len(history.years)
    people = len(setup.people)
    report = {
        "people_at_start": people, "history_years": n_years,
        "drawn_workforce_s": round(drawn_s, 2),
        "history_s": round(history.seconds, 2),
        "prepare_with_history_s": round(first_s, 2),
        "prepare_again_cached_s": round(again_s, 2),
        "prepare_revision_cached_s": round(revision_s, 2),
        "prepare_from_disk_cache_s": round(from_disk_s, 2),
        "disk_cache_entry_mib": round(cache_mib, 1),
        "history_person_years_per_s": round(people * n_years / history.seconds),
        "horizon_s": round(horizon_s, 2), "horizon_years": args.years, "replicates": args.replicates,
        "horizon_person_years_per_s": round(people * args.years * args.replicates / horizon_s),
        "history_vs_one_replicate": round(history.seconds / (horizon_s / args.replicates), 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(report, indent=2))
    import shutil
    shutil.rmtree(os.environ["TITLESIM_CACHE_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
