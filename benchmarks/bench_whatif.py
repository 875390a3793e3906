"""What-if update times at city scale (not a test: run by hand, figures go in docs/performance.md).

    .venv/bin/python benchmarks/bench_whatif.py            # 25,000 people, 10 years, 10 replicates
    .venv/bin/python benchmarks/bench_whatif.py --size 3000 --changes 20

Pinned to one CPU core (``--core``). Changes are made as a user's would be, through the
view's controls; the background worker shows a one-replicate preview, then the full
replicates. Three ways of changing:

- ``settled``: each change moves a control to a value not seen before (nothing cached);
  the next change comes after the full result is shown;
- ``rapid``: the next change comes ``--gap`` seconds after the previous one, so newer
  changes abandon full runs under way (a user trying values in quick succession);
- ``steps``: one slider moved one step at a time (the provincial standard, 0.5 points a
  step), settled: the view has prepared the preview of the next step meanwhile.

Reported, p50 and p95 in milliseconds: ``preview_ms`` (from the change, debounce included,
to the preview's last widget set), ``preview_work_ms`` (the work alone: simulate, summarise, draw),
``preview_cpu_ms`` (CPU time of that work: what it costs when the core is not shared with
other processes), ``full_ms`` (from the change to the full replicates drawn), ``full_cpu_ms``
(CPU time of the page's worker thread for the whole update, preview included); and
``panels_cpu``: the CPU time of the numbers, charts and tables alone (90 % intervals, equity
view, per-year table) for a preview and for the full replicates, as after a change.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from titlesim import load_scenario  # noqa: E402
from titlesim.ui.whatif import WhatIf  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def steps(start: float = 50.0):
    for i in itertools.count():
        yield "passline.provincial_standard", start + 0.5 * i


def changes(propensity: str):
    """An endless walk over the controls, never repeating a full setting (each walk moves
    its own application ``propensity``, so two walks do not meet either)."""
    ratios = itertools.cycle(np.round(np.arange(0.05, 1.0, 0.05), 2).tolist())
    standards = itertools.cycle([55.0, 57.5, 62.5, 65.0, 60.0])
    validity = itertools.cycle([(2, 1), (4, 2), (5, 3), (3, 1)])
    for step in itertools.count():
        kind = step % 4
        if kind == 0:
            yield "passline.ratio", next(ratios)
        elif kind == 1:
            yield "passline.provincial_standard", next(standards)
        elif kind == 2:
            years, ratio_only = next(validity)
            yield "validity.years", years
            yield "validity.ratio_only_years", ratio_only
        else:
            yield f"application.base.{propensity}", round(0.2 + 0.05 * (step // 4 % 12), 2)


def percentiles(values) -> dict | None:
    v = np.array(values) * 1000
    if len(v) == 0:  # e.g. every preview superseded before it was shown
        return None
    return {"n": len(v), "p50": round(float(np.percentile(v, 50)), 1),
            "p95": round(float(np.percentile(v, 95)), 1), "max": round(float(v.max()), 1)}


def run(app: WhatIf, n: int, gap: float | None, walk) -> dict:
    preview, preview_work, preview_cpu, full, full_cpu = [], [], [], [], []
    for _ in range(n):
        before = len(app.timings)
        path, value = next(walk)
        started = time.perf_counter()
        app.set(path, value)
        if gap is None:
            app.wait(600)
        else:
            time.sleep(gap)
        for t in app.timings[before:]:
            if t.state == "preview":
                preview.append(t.shown_at - started)
                preview_work.append(t.seconds)
                preview_cpu.append(t.cpu_seconds)
            else:
                full.append(t.shown_at - started)
                full_cpu.append(t.cpu_seconds)
    app.wait(600)
    return {"preview_ms": percentiles(preview), "preview_work_ms": percentiles(preview_work),
            "preview_cpu_ms": percentiles(preview_cpu),
            "full_ms": percentiles(full) if full else None,
            "full_cpu_ms": percentiles(full_cpu) if full_cpu else None}


def panels_cpu(app: WhatIf, replicates: int, repeat: int = 5) -> dict:
    """CPU time of the numbers and charts alone (intervals, equity view, per-year table),
    from summaries already simulated: one replicate (a preview) and all of them. The
    current setting's summary is a fresh copy each time (as after a change: its outcomes
    not yet computed), and the full result's tables are made as the page makes them."""
    from dataclasses import replace

    from titlesim.ui.figures import panel_svgs
    from titlesim.ui.panels import panels
    from titlesim.ui.tables import equity_tables, per_year_table
    out = {}
    for n, detail in ((1, False), (replicates, True)):
        current, loaded = app.runner.summary(app.current, n), app.runner.summary(app.loaded, n)
        times = []
        for _ in range(repeat):
            fresh = replace(current)
            started = time.thread_time()
            shown = panels(fresh, loaded, app.lang, detail=detail)
            panel_svgs(shown, app.lang)
            if detail:
                equity_tables(shown, app.lang), per_year_table(shown, app.lang)
            times.append(time.thread_time() - started)
        out[f"{n}_replicates_ms"] = round(1000 * float(np.median(times)), 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=25_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--replicates", type=int, default=10)
    ap.add_argument("--changes", type=int, default=40)
    ap.add_argument("--gap", type=float, default=0.3, help="seconds between rapid changes")
    ap.add_argument("--scenario", default=str(ROOT / "scenarios/baseline-2022.yaml"))
    ap.add_argument("--core", type=int, default=None, help="CPU core to run on (default: the first)")
    ap.add_argument("--cores", type=int, default=1, help="cores to run on (2: the full replicates' pool has one)")
    ap.add_argument("--compiled", choices=("on", "off"), default="on",
                    help="on: as the pages run (compiled passes, loaded before timing); off: numpy passes")
    ap.add_argument("--rounds", default="settled,rapid,steps", help="which ways of changing to time")
    ap.add_argument("--helper", action="store_true",
                    help="a helper process simulates half of the full replicates (as the page does "
                         "with two cores; use with --cores 2)")
    args = ap.parse_args()
    cores = sorted(os.sched_getaffinity(0))
    core = cores[0] if args.core is None else args.core
    os.sched_setaffinity(0, set(([core] + [c for c in cores if c != core])[:args.cores]))
    if args.compiled == "on":
        from titlesim.ui.engine import use_compiled
        use_compiled().join()
    else:
        from titlesim.sizes import prefer_compiled
        prefer_compiled(False)
    loaded = load_scenario(args.scenario, [f"population.size={args.size}",
                                           f"horizon.years={args.years}",
                                           f"replicates={args.replicates}"])
    runner = None
    if args.helper:
        from titlesim.ui.helper import Helper
        from titlesim.ui.runner import Runner
        runner = Runner(helper=Helper(loaded))
        while not runner.helper.ready:  # as on the page: the helper is ready before changes are made
            time.sleep(0.1)
    t0 = time.perf_counter()
    app = WhatIf(loaded, runner=runner).wait(600)
    first = time.perf_counter() - t0
    report = {"people": args.size, "years": args.years, "replicates": args.replicates,
              "cores": sorted(os.sched_getaffinity(0)), "compiled": args.compiled, "helper": args.helper,
              "load_average": [round(x, 2) for x in os.getloadavg()],
              "first_full_s": round(first, 2),
              "seconds_per_replicate": round(app.runner.seconds_per_replicate, 3)}
    rounds = {"settled": (None, changes("grassroots")), "rapid": (args.gap, changes("other")),
              "steps": (None, steps())}
    for name in args.rounds.split(","):
        gap, walk = rounds[name]
        report[name] = run(app, args.changes, gap, walk)
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    if args.helper:  # the helper's CPU time, start and preparation included
        import psutil
        report["helper_cpu_s"] = round(sum(sum(c.cpu_times()[:2]) for c in psutil.Process().children()), 2)
    report["panels_cpu"] = panels_cpu(app, args.replicates)
    app.close()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
