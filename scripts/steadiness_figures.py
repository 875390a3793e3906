"""Print the model-validation figures of a scenario as Markdown (for docs/validation.md).

    .venv/bin/python scripts/steadiness_figures.py [SCENARIO] [--seed 17] [--replicates 3]
                                                   [--set KEY=VALUE ...]

Runs the scenario and prints: titles per year against the ten-year mean, total headcount,
each series x level against its start, grade shares at the start against the stated ones,
vacant posts and the waiting queue (means over the replicates), and the four criteria.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from titlesim import load_scenario, simulate  # noqa: E402
from titlesim.steadiness import MIN_PEOPLE, measure  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/baseline-2022.yaml"))
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--replicates", type=int, default=3)
    ap.add_argument("--set", action="append", default=[], dest="overrides")
    args = ap.parse_args()
    loaded = load_scenario(args.scenario, args.overrides)
    m = measure(simulate(loaded, replicates=args.replicates, seed=args.seed, progress=False))
    mean = sum(m.titles_per_year.values()) / len(m.titles_per_year)
    years = list(m.titles_per_year)
    print("| year | " + " | ".join(map(str, years)) + " |")
    print("|---|" + "---|" * len(years))
    print("| titles | " + " | ".join(f"{v:,.0f}" for v in m.titles_per_year.values()) + " |")
    print("| vs mean | " + " | ".join(f"{100 * (v / mean - 1):+.0f}%" for v in m.titles_per_year.values()) + " |")
    print("| headcount | " + " | ".join(f"{v:,.0f}" for v in m.headcount_by_year.values()) + " |")
    print("| vacant posts | " + " | ".join(f"{v:,.0f}" for v in m.posts_vacant_by_year.values()) + " |")
    print("| waiting | " + " | ".join(f"{v:,.0f}" for v in m.waiting_by_year.values()) + " |")
    print()
    print(f"headcount at the start {m.headcount_start:,.0f}")
    print()
    print("| series | level | start | low | high | largest change |")
    print("|---|---|---|---|---|---|")
    for row in m.stocks.itertuples():
        flag = "" if row.start >= MIN_PEOPLE else " (under 200)"
        print(f"| {row.series} | {row.level} | {row.start:,.0f} | {row.low:,.0f} | {row.high:,.0f} | "
              f"{100 * row.max_change:+.1f}%{flag} |")
    print()
    print("| series | level | stated % | start % | gap (points) |")
    print("|---|---|---|---|---|")
    for row in m.shares.itertuples():
        print(f"| {row.series} | {row.level} | {row.stated:.0f} | {row.start:.1f} | {row.gap:+.1f} |")
    print()
    print(m.summary())
    print(m.holds())


if __name__ == "__main__":
    main()
