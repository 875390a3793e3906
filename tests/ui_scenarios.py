"""Small scenarios for the what-if tests: a copy of the baseline in a temporary folder and
a 3,000-person, 3-year, 3-replicate revision of it, so that saved revisions land there."""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline-2022.yaml"
SMALL = {"population.size": 3000, "horizon.years": 3, "replicates": 3}
SMALL_SET = ";".join(f"{k}={v}" for k, v in SMALL.items())


def small_scenario(folder: Path) -> Path:
    """``folder/scenarios/small.yaml`` extending a copy of the baseline beside it."""
    scenarios = Path(folder) / "scenarios"
    scenarios.mkdir(parents=True, exist_ok=True)
    shutil.copy(BASELINE, scenarios / "baseline-2022.yaml")
    path = scenarios / "small.yaml"
    path.write_text("extends: baseline-2022.yaml\npopulation: {size: 3000}\n"
                    "horizon: {years: 3}\nreplicates: 3\n", encoding="utf-8")
    return path
