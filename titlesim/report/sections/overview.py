"""What was run and the headline figures: the scenario, its horizon, replicates and seed,
the criteria in force (the parameters the notice's clauses set), and the headline
numbers every later section explains."""
from __future__ import annotations

import pandas as pd

from titlesim import labels
from titlesim.paramdoc import flatten, format_value
from titlesim.report.model import Section, Table
from titlesim.report.words import (caption, list_of, num, pct, say, section_title,
                                   shown_value, source_label)

CRITERIA = ("passline.provincial_standard", "passline.ratio", "passline.ratio_base",
            "passline.group_by", "passline.floor", "passline.ties", "validity.years",
            "validity.ratio_only_years", "attached_units.join_grassroots_route",
            "posts.hiring_order", "posts.directed_quota", "mobility.directed_on_leaving",
            "population.size", "horizon.start", "horizon.years")


def criteria(scenario, lang: str) -> pd.DataFrame:
    """The criteria in force: key path, label, value (code, for the CSV file) and the value
    in words, and the clause (or 假设)."""
    flat = flatten(scenario.resolved)
    rows = []
    for key in CRITERIA:
        row = labels.parameter_row(key) or {}
        source = row.get("source", "")
        rows.append((key, labels.parameter_label(key, lang), format_value(flat.get(key)),
                     shown_value(key, flat.get(key), lang), source_label(source, lang)))
    return pd.DataFrame(rows, columns=["parameter", "label", "value", "value_label", "source"])


def build(inputs) -> Section:
    lang, r, p = inputs.lang, inputs.result, inputs.params
    section = Section("overview", section_title("overview", lang))
    h = inputs.headline.set_index("measure")["value"]
    section.paragraphs = [
        say("overview_run", lang, scenario=inputs.scenario.title_in(lang),
            description=inputs.scenario.question_in(lang),
            start=inputs.first_year, end=inputs.last_year, years=inputs.n_years,
            replicates=r.replicates, seed=r.seed, people=num(p.population.size)),
        say("overview_headline", lang, titled=num(h["titled_per_year"]),
            ratio_only=num(h["passed_ratio_only_per_year"]), year=inputs.last_year,
            waiting=num(h["waiting_end"]), years_waited=num(h["years_waited"], 1),
            share=pct(h["senior_share_grassroots_end"])),
    ]
    cmp = inputs.comparison
    if cmp is not None and inputs.scenario.name != cmp.base_name:  # the report of a revision
        section.paragraphs.append(say("overview_revision_of", lang,
                                      base=cmp.scenarios[cmp.base_name].title_in(lang)))
    elif cmp is not None:
        section.paragraphs.append(say("overview_revisions", lang, n=len(cmp.revision_names),
                                      names=list_of([cmp.scenarios[n].title_in(lang)
                                                     for n in cmp.revision_names], lang)))
    section.tables = [
        Table("headline", caption("report_table", "headline", lang), inputs.headline),
        Table("criteria", caption("report_table", "criteria", lang), criteria(inputs.scenario, lang),
              codes=("parameter", "value"))]  # named in words: key paths are in the annex
    return section
