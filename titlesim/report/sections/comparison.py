"""Comparing revisions (the users' question 7, docs/guide.md), from :func:`titlesim.compare.compare`: what
differs (the parameters), what changes (each headline outcome over the horizon, the
paired difference with its 90 % interval) and which counties gain or lose.

A change is called clear when the whole 90 % interval of the paired difference lies on
one side of zero, unchanged when every replicate gives exactly the same value, and
within the noise otherwise.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from titlesim import labels
from titlesim.compare import figures as compare_figures
from titlesim.compare.impact import PEOPLE, as_shown
from titlesim.compare.small_workforce import in_words as small_workforce_words
from titlesim.compare.small_workforce import too_small_to_show
from titlesim.report.model import Figure, Section, Table
from titlesim.report.numbers import DECIMALS, rounded
from titlesim.report.revision_table import revision_table
from titlesim.report.words import (caption, difference_and_interval, list_of, num, say,
                                    section_title)

TIMELINE = "titled"  # the outcome drawn for every scenario over time


def diff_table(cmp, lang: str) -> pd.DataFrame:
    """As in compare.xlsx: numbers stay numbers, other values as scenario text."""
    from titlesim.compare.output import output_tables
    return output_tables(cmp, lang)["diff"]


def impact_total(cmp) -> pd.DataFrame:
    """Over the whole horizon, unrounded (the verdicts are taken on these numbers)."""
    impact = cmp.impact
    return impact[impact["year"] == "total"].drop(columns="year").reset_index(drop=True)


def people_whole(frame: pd.DataFrame) -> pd.DataFrame:
    """Rounded as the report shows it: the numbers of rows counting people (or sittings)
    as whole numbers, the others with one decimal; the mean difference is that of the
    shown means, so that each row adds up by hand (as in compare.xlsx)."""
    return as_shown(frame, DECIMALS)


def county_changes(cmp) -> pd.DataFrame:
    equity = cmp.equity
    rows = equity[(equity["dimension"] == "county") & (equity["scenario"] != cmp.base_name)]
    keep = ["scenario", "rate", "dimension", "group", "mean", "diff_mean", "diff_lo", "diff_hi",
            "change"]
    return rounded(rows[keep]).reset_index(drop=True)


def verdict(row) -> str:
    """clear, unchanged or noise (see the module's docstring)."""
    if row["diff_lo"] == 0 and row["diff_hi"] == 0 and row["diff_mean"] == 0:
        return "unchanged"
    if row["diff_lo"] > 0 or row["diff_hi"] < 0:
        return "clear"
    return "noise"


def build(inputs) -> Section:
    lang, cmp = inputs.lang, inputs.comparison
    section = Section("comparison", section_title("comparison", lang))
    if cmp is None:
        section.paragraphs = [say("comparison_absent", lang)]
        return section
    diff, impact, counties = diff_table(cmp, lang), impact_total(cmp), county_changes(cmp)
    titles = {name: s.title_in(lang) for name, s in cmp.scenarios.items()}
    for name in cmp.revision_names:
        section.paragraphs += _sentences(cmp, name, diff, impact, counties, lang)
    section.tables = [
        Table("revision_clauses", caption("report_table", "revision_clauses", lang),
              revision_table(cmp, lang), note=say("note_revision_clauses", lang),
              codes=("revision", "key")),
        Table("comparison_diff", caption("report_table", "comparison_diff", lang), diff,
              compare_table="diff", codes=("key",), names=titles),  # a parameter: by its label
        Table("comparison_impact", caption("report_table", "comparison_impact", lang), people_whole(impact),
              note=say("note_impact", lang), compare_table="impact", names=titles),
        Table("comparison_counties", caption("report_table", "comparison_counties", lang),
              counties, compare_table="equity", names=titles)]
    section.figures = _figures(cmp, impact, lang)
    return section


def _sentences(cmp, name, diff, impact, counties, lang) -> list[str]:
    changed = diff[diff["revision"] == name]
    keys = [labels.parameter_label(k, lang) for k in changed["key"]]
    out = [say("comparison_changes", lang, revision=cmp.scenarios[name].title_in(lang),
               base=cmp.scenarios[cmp.base_name].title_in(lang), n=len(keys),
               keys=list_of(keys, lang) if keys else "–")]
    rows = impact[impact["revision"] == name]
    verdicts = rows.apply(verdict, axis=1) if len(rows) else pd.Series(dtype=str)
    clear = rows[verdicts == "clear"]
    if len(clear):
        parts = [say("comparison_outcome", lang, outcome=labels.label("outcome", r["outcome"], lang),
                     base=num(r["base_mean"], d), revision=num(r["revision_mean"], d),
                     diff=shown[0], lo=shown[1], hi=shown[2], unit=_unit(r["unit"], lang))
                 for _, r in clear.iterrows()
                 for d in [0 if r["unit"] in PEOPLE else 1]
                 for shown in [difference_and_interval(r["base_mean"], r["revision_mean"],
                                                       r["diff_lo"], r["diff_hi"], d)]]
        out.append(say("comparison_clear", lang, changes=("；" if lang == "zh" else "; ").join(parts)))
    else:
        out.append(say("comparison_none_clear", lang))
    for kind in ("noise", "unchanged"):
        names = [labels.label("outcome", o, lang) for o in rows.loc[verdicts == kind, "outcome"]]
        if names:
            out.append(say(f"comparison_{kind}", lang, outcomes=list_of(names, lang)))
    too_small = too_small_to_show(cmp, name)
    if too_small:
        out.append(small_workforce_words(too_small, cmp.scenarios[name].title_in(lang), lang))
    title_rate = counties[(counties["scenario"] == name) & (counties["rate"] == "title_rate")]
    if len(title_rate):
        n = title_rate["change"].value_counts()
        out.append(say("comparison_counties", lang, gains=int(n.get("gains", 0)),
                       loses=int(n.get("loses", 0)),
                       other=int(len(title_rate) - n.get("gains", 0) - n.get("loses", 0))))
    return out


def _unit(unit: str, lang: str) -> str:
    if unit == "percent":
        unit = "percentage_points"
    return labels.label("unit", unit, lang)


def _biggest_change(impact: pd.DataFrame) -> str:
    """The headline outcome whose mean difference is largest relative to its base value."""
    with np.errstate(divide="ignore", invalid="ignore"):
        size = (impact["diff_mean"].abs() / impact["base_mean"].abs().replace(0, np.nan)).fillna(0)
    if not len(impact) or size.max() == 0:
        return TIMELINE
    return str(impact.loc[size.idxmax(), "outcome"])


def _figures(cmp, impact: pd.DataFrame, lang: str) -> list[Figure]:
    by_year = cmp.impact[cmp.impact["year"] != "total"]
    biggest = _biggest_change(impact)
    figures = []
    for name, fig, outcome in (
            ("comparison_over_time", compare_figures.outcome_over_time(cmp, TIMELINE, lang), TIMELINE),
            ("comparison_difference", compare_figures.difference_band(cmp, biggest, lang), biggest)):
        data = people_whole(by_year[by_year["outcome"] == outcome]).reset_index(drop=True)
        title = say("caption_outcome", lang, caption=caption("report_figure", name, lang),
                    outcome=labels.label("outcome", outcome, lang))
        figures.append(Figure(name, title, fig, data))
    counties = county_changes(cmp)
    figures.append(Figure("comparison_counties", caption("report_figure", "comparison_counties", lang),
                          compare_figures.county_gains(cmp, lang),
                          counties[counties["rate"] == "title_rate"].reset_index(drop=True)))
    return figures
