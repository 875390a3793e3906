"""The 修订对照表 of a revision: for each parameter it changes, the clause the parameter
encodes in the notice's own words, the base value, the revised value (both in words), and
the revision's measured impact on the number titled over the horizon with its 90 %
interval (the paired difference of :mod:`titlesim.compare.impact`). When a revision
changes several parameters, the impact is that of the revision as a whole (a note says
so): the parameters' separate effects are not simulated.

The notice's words come from ``titlesim/data/clauses.csv`` (the most specific key-path
prefix wins); a parameter the notice does not set says so.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

import pandas as pd

from titlesim import labels
from titlesim.report.words import shown_value, source_label
from titlesim.shown_interval import shown_interval

IMPACT_OUTCOME = "titled"
COLUMNS = ["revision", "revision_title", "key", "clause", "notice_text", "label", "base_value", "revision_value",
           "impact_outcome", "impact_mean", "impact_lo", "impact_hi"]


@lru_cache(maxsize=1)
def clauses() -> dict[str, dict[str, str]]:
    with resources.files("titlesim").joinpath("data/clauses.csv").open(encoding="utf-8") as fh:
        return {row["prefix"]: row for row in csv.DictReader(fh)}


def notice_words(key: str, lang: str) -> tuple[str, str]:
    """(clause, the notice's words) for a parameter key path.

    >>> notice_words("passline.ratio", "zh")[0]
    '一(三)'
    """
    parts = key.split(".")
    for cut in range(len(parts), 0, -1):
        row = clauses().get(".".join(parts[:cut]))
        if row:
            return labels.clause_label(row["clause"], lang), row[lang]
    source = (labels.parameter_row(key) or {}).get("source", "assumption")
    return source_label(source, lang), labels.label("report_text", "not_in_notice", lang)


def revision_table(cmp, lang: str) -> pd.DataFrame:
    """One row per revision and changed parameter (see the module's docstring)."""
    from titlesim.compare.diff import changed
    from titlesim.paramdoc import flatten
    base = cmp.scenarios[cmp.base_name]
    impact = cmp.impact
    total = impact[(impact["year"] == "total") & (impact["outcome"] == IMPACT_OUTCOME)]
    rows = []
    for name in cmp.revision_names:
        revision = cmp.scenarios[name]
        effect = total[total["revision"] == name]
        mean, lo, hi = (float(effect[c].iloc[0]) if len(effect) else float("nan")
                        for c in ("diff_mean", "diff_lo", "diff_hi"))
        old, new = flatten(base.resolved), flatten(revision.resolved)
        for key, _, _ in changed(base.resolved, revision.resolved):
            clause, words = notice_words(key, lang)
            rows.append((name, revision.title_in(lang), key, clause, words, labels.parameter_label(key, lang),
                         shown_value(key, old.get(key), lang), shown_value(key, new.get(key), lang),
                         labels.label("outcome", IMPACT_OUTCOME, lang),
                         *(_whole(v) for v in shown_interval(mean, lo, hi))))
    return pd.DataFrame(rows, columns=COLUMNS)


def _whole(x: float) -> float | int:
    """People as a whole number (never -0); NaN stays."""
    return float("nan") if x != x else int(round(x))
