"""The README's table "What the shipped revisions show": the baseline against every
shipped revision, ten-year totals with 90 % intervals of the paired difference.

    .venv/bin/python benchmarks/revisions_table.py > /tmp/table.md
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REVISIONS = ("grassroots-ratio-0.6", "grassroots-ratio-0.4", "ratio-only-valid-3-years",
             "directed-separate-quota", "attached-units-outside-grassroots",
             "grassroots-no-papers", "township-posts-expansion")


def cell(row, unit: str) -> str:
    fmt = "{:+,.2f}" if unit in ("years", "percent") else "{:+,.0f}"
    base = "{:,.2f}" if unit in ("years", "percent") else "{:,.0f}"
    text = f"{base.format(row.base_mean)}→{base.format(row.revision_mean)}, {fmt.format(row.diff_mean)} "
    return text + f"[{fmt.format(row.diff_lo)}, {fmt.format(row.diff_hi)}]"


def main() -> None:
    from titlesim import load_scenario
    from titlesim.compare import compare, headline
    base = load_scenario(ROOT / "scenarios/baseline-2022.yaml")
    revisions = [load_scenario(ROOT / f"scenarios/{name}.yaml") for name in REVISIONS]
    cmp = compare(base, revisions)
    total = cmp.impact[cmp.impact["year"] == "total"]
    for name in cmp.revision_names:
        lines = (ROOT / f"scenarios/{name}.yaml").read_text(encoding="utf-8").splitlines()
        comment = " ".join(line.lstrip("# ") for line in lines if line.startswith("#"))
        question = comment.removeprefix("Question:").strip().split("?")[0] + "?"
        cells = []
        for outcome in headline():
            row = total[(total["revision"] == name) & (total["outcome"] == outcome.name)].iloc[0]
            cells.append(cell(row, outcome.unit))
        sys.stdout.write(f"| `{name}`: {question} | " + " | ".join(cells) + " |\n")


if __name__ == "__main__":
    main()
