"""Fit the baseline's flows so that its rules sustain the grade structure it states.

    .venv/bin/python scripts/fit_baseline.py [--scenario scenarios/baseline-2022.yaml]
                                             [--iterations 30] [--write]

As manpower-planning models do: the stated grade structure (``population.unit_types.*.
levels``) should be the one the flows hold steady. Each iteration simulates the history
(``history.years`` warm-up years from the stated structure, the engine's own year step)
and compares, per unit type, the share of staff above each level boundary at its end
with the stated share:

* ``application.factor`` (the propensity to apply for a level, as a factor on
  ``application.base``) is raised where too few are above a boundary and lowered where
  too many are; promotions across one boundary move only the share above it;
* where the propensity is already 1 and still too few are above a boundary (promotion
  is capped by eligibility, evaluation or a committee's capacity),
  ``flows.entrants.levels`` lets a share of new entrants come in at that level.

Exit rates are not fitted (they come from a published study). With ``--write`` the
fitted values replace the marked blocks of the scenario file, with what they were fitted
to and how well.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from titlesim import load_scenario  # noqa: E402
from titlesim.history import warm_up  # noqa: E402
from titlesim.scenario.schema import LEVELS, Scenario  # noqa: E402
from titlesim.setup import prepare_drawn  # noqa: E402

BOUNDARIES = LEVELS[1:]  # promotion into intermediate, deputy senior, full senior
GAIN = 1.5  # how strongly a factor answers a gap (share above / stated share above)
ENTRY_GAIN = 0.8  # how strongly the entry share answers a gap (share points per point)
MAX_ENTRY = 0.6  # at most this share of entrants above junior level


def shares_at_end(params: Scenario, seeds) -> dict[str, np.ndarray]:
    """Per unit type: share of staff at each level at the end of the history (pooled
    over the seeds, so that the fit follows the rules rather than one draw's luck)."""
    held = {}
    for seed in seeds:
        history = warm_up(params, seed)
        setup = prepare_drawn(params, seed, people=history.people)
        p = setup.people
        unit_type = setup.units.unit_type[p.unit]
        for t, name in enumerate(setup.codes.unit_types):
            held[name] = held.get(name, 0) + np.bincount(p.level[unit_type == t], minlength=4)
    return {name: h / h.sum() for name, h in held.items() if h.sum()}


def stated(params: Scenario) -> dict[str, np.ndarray]:
    return {name: np.array([spec.levels.get(lv, 0.0) for lv in LEVELS])
            for name, spec in params.population.unit_types.items()}


def with_fit(params: Scenario, factor: dict, entry: dict) -> Scenario:
    data = params.model_dump()
    data["application"]["factor"] = {t: {lv: round(float(f[i]), 3) for i, lv in enumerate(BOUNDARIES)}
                                     for t, f in factor.items()}
    data["flows"]["entrants"]["levels"] = {t: _mix(e) for t, e in entry.items() if e[1:].sum() > 0}
    return Scenario.model_validate(data, strict=False)


def _mix(e: np.ndarray) -> dict:
    rounded = np.round(e, 3)
    rounded[0] = round(1.0 - rounded[1:].sum(), 3)
    return {lv: float(v) for lv, v in zip(LEVELS, rounded) if v > 0}


def fit(params: Scenario, seeds, iterations: int, verbose: bool = True):
    target = stated(params)
    base = params.application.base
    kinds = {name: spec.grassroots for name, spec in params.population.unit_types.items()}
    factor = {t: np.array([params.application.factor.get(t, {}).get(lv, 1.0) for lv in BOUNDARIES])
              for t in target}
    entry = {t: np.array([params.flows.entrants.levels.get(t, {}).get(lv, 1.0 if lv == "junior" else 0.0)
                          for lv in LEVELS]) for t in target}
    best = None
    for it in range(iterations):
        trial = with_fit(params, factor, entry)
        shares = shares_at_end(trial, seeds)
        gap = max(float(np.abs(shares[t] - target[t]).max()) for t in shares) * 100
        if verbose:
            print(f"iteration {it}: largest gap {gap:.1f} points", flush=True)
        if best is None or gap < best[0]:
            best = (gap, trial, {t: s.copy() for t, s in shares.items()})
        for t, s in shares.items():
            cap = 1.0 / (base.grassroots if kinds[t] else base.other)
            above = np.cumsum(s[::-1])[::-1][1:]  # share above each boundary
            wanted = np.cumsum(target[t][::-1])[::-1][1:]
            for b in range(3):
                if wanted[b] <= 0:
                    factor[t][b] = 0.0
                    continue
                ratio = wanted[b] / max(above[b], 1e-3)
                if factor[t][b] >= cap and ratio > 1:  # promotion is capped: entrants instead
                    lower = above[b] - (above[b + 1] if b < 2 else 0.0)
                    wanted_lower = wanted[b] - (wanted[b + 1] if b < 2 else 0.0)
                    entry[t][b + 1] = float(np.clip(entry[t][b + 1]
                                                    + ENTRY_GAIN * (wanted_lower - lower), 0.0, MAX_ENTRY))
                elif entry[t][b + 1] > 0 and ratio < 1:  # too many above: fewer entrants first
                    entry[t][b + 1] = float(max(entry[t][b + 1] - ENTRY_GAIN * (above[b] - wanted[b]), 0.0))
                else:
                    factor[t][b] = float(np.clip(factor[t][b] * ratio ** GAIN, 0.02, cap))
            entry[t][0] = 1.0 - entry[t][1:].sum()
    return best


def write(path: Path, params: Scenario, gap: float, seeds) -> None:
    """Replace the fitted blocks of the scenario file (comments and order kept)."""
    text = path.read_text(encoding="utf-8")
    note = (f"fitted by scripts/fit_baseline.py (seeds {', '.join(map(str, seeds))}, "
            f"{params.population.size:,} people, "
            f"{params.history.years} warm-up years) so that the history ends at the stated "
            f"population.unit_types.*.levels; largest gap {gap:.1f} points")
    factor_lines = [f"  factor:   # {note}"] + [
        f"    {t}: {{{', '.join(f'{lv}: {v:g}' for lv, v in f.items())}}}"
        for t, f in params.application.factor.items()]
    levels_lines = [f"    levels:   # {note}"] + [
        f"      {t}: {{{', '.join(f'{lv}: {v:g}' for lv, v in m.items())}}}"
        for t, m in params.flows.entrants.levels.items()]
    if not params.flows.entrants.levels:
        levels_lines = [f"    levels: {{}}   # {note}"]
    text = _replace_after(text, r"^  failure_factor:.*\n", r"  factor:.*\n(?:    .*\n)*",
                          "\n".join(factor_lines) + "\n")
    text = _replace_after(text, r"^    growth_rate:.*\n", r"    levels:.*\n(?:      .*\n)*",
                          "\n".join(levels_lines) + "\n")
    path.write_text(text, encoding="utf-8")


def _replace_after(text: str, anchor: str, block: str, new: str) -> str:
    """Put ``new`` right after the ``anchor`` line, in place of the ``block`` found there."""
    pattern = re.compile(f"({anchor})(?:{block})?", flags=re.M)
    if not pattern.search(text):
        raise SystemExit(f"cannot find {anchor!r} in the scenario file")
    return pattern.sub(lambda m: m.group(1) + new, text, count=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", default=str(ROOT / "scenarios/baseline-2022.yaml"))
    ap.add_argument("--iterations", type=int, default=30)
    ap.add_argument("--seeds", type=int, default=2, help="histories pooled per iteration")
    ap.add_argument("--write", action="store_true", help="write the fitted values into the file")
    args = ap.parse_args()
    loaded = load_scenario(args.scenario)
    params = loaded.params
    seeds = [params.seed + k for k in range(args.seeds)]
    gap, fitted, shares = fit(params, seeds, args.iterations)
    target = stated(params)
    print(f"best: largest gap {gap:.1f} points")
    for t, s in shares.items():
        print(f"  {t:26s} stated {np.round(100 * target[t], 1)}  history ends at {np.round(100 * s, 1)}")
    print("application.factor:", fitted.application.factor)
    print("flows.entrants.levels:", fitted.flows.entrants.levels)
    if args.write:
        write(Path(args.scenario), fitted, gap, seeds)
        print(f"written to {args.scenario}")


if __name__ == "__main__":
    main()
