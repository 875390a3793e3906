"""The table of docs/revisions.md, "What the shipped revisions show": the baseline
against every shipped revision, ten-year totals with 90 % intervals of the paired
difference.

    .venv/bin/python benchmarks/revisions_table.py                    # print it
    .venv/bin/python benchmarks/revisions_table.py --update docs/revisions.md

``--update`` rewrites the part of the page between ``<!-- revisions:start -->`` and
``<!-- revisions:end -->`` (the run's description and the table), nothing else.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REVISIONS = ("grassroots-ratio-0.6", "grassroots-ratio-0.4", "ratio-only-valid-3-years",
             "directed-separate-quota", "attached-units-outside-grassroots",
             "papers-required", "township-posts-expansion")


def cell(row, unit: str) -> str:
    fmt = "{:+,.2f}" if unit in ("years", "percent") else "{:+,.0f}"
    base = "{:,.2f}" if unit in ("years", "percent") else "{:,.0f}"
    text = f"{base.format(row.base_mean)}→{base.format(row.revision_mean)}, {fmt.format(row.diff_mean)} "
    return text + f"[{fmt.format(row.diff_lo)}, {fmt.format(row.diff_hi)}]"


START, END = "<!-- revisions:start -->\n", "<!-- revisions:end -->"


def table() -> str:
    from titlesim import load_scenario
    from titlesim.compare import compare, headline
    from titlesim.labels import label
    base = load_scenario(ROOT / "scenarios/baseline-2022.yaml")
    revisions = [load_scenario(ROOT / f"scenarios/{name}.yaml") for name in REVISIONS]
    cmp = compare(base, revisions)
    total = cmp.impact[cmp.impact["year"] == "total"]
    p = base.params
    last = p.horizon.start + p.horizon.years - 1
    out = [f"Baseline against each revision, {p.population.size:,} people, {p.horizon.start}–{last}, "
           f"{p.replicates} replicates, seed {p.seed}; baseline → revision, then the paired difference "
           f"[90 % interval]; counts are {p.horizon.years}-year totals, waiting and senior share "
           f"{last} values.\n\n",
           "| revision (question) | " + " | ".join(label("outcome", o.name, "en") for o in headline())
           + " |\n", "|---" * (len(headline()) + 1) + "|\n"]
    for name in cmp.revision_names:
        lines = (ROOT / f"scenarios/{name}.yaml").read_text(encoding="utf-8").splitlines()
        comment = " ".join(line.lstrip("# ") for line in lines if line.startswith("#"))
        question = comment.removeprefix("Question:").strip().split("?")[0] + "?"
        cells = []
        for outcome in headline():
            row = total[(total["revision"] == name) & (total["outcome"] == outcome.name)].iloc[0]
            cells.append(cell(row, outcome.unit))
        out.append(f"| `{name}`: {question} | " + " | ".join(cells) + " |\n")
    return "".join(out)


def main() -> None:
    text = table()
    if len(sys.argv) == 3 and sys.argv[1] == "--update":
        page = Path(sys.argv[2])
        before, rest = page.read_text(encoding="utf-8").split(START)
        after = rest.split(END)[1]
        page.write_text(before + START + text + END + after, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
