"""Model validation (part of the method): where the run starts from (its history), what
the baseline holds steady with no rule changed (measured on this run's base), which
outcomes are trustworthy for which use, and which numbers are assumptions a bureau should
replace with its own. Sentences from ``data/messages/validation.csv``."""
from __future__ import annotations

import pandas as pd

from titlesim import labels
from titlesim.i18n import msg
from titlesim.report.model import Section, Table
from titlesim.report.words import caption, num, section_title
from titlesim.steadiness import (HEADCOUNT_TOLERANCE, SHARE_POINTS, STOCK_TOLERANCE,
                                 TITLES_TOLERANCE, measure)


def criteria(result) -> pd.DataFrame:
    """The four steadiness criteria on this run: figure, tolerance, whether it holds."""
    m = measure(result)
    holds = m.holds()
    rows = [
        ("titles", 100 * m.titles_max_deviation, 100 * TITLES_TOLERANCE, "percent"),
        ("headcount", 100 * m.headcount_max_change, 100 * HEADCOUNT_TOLERANCE, "percent"),
        ("stocks", 100 * m.stocks_max_change, 100 * STOCK_TOLERANCE, "percent"),
        ("shares", m.shares_max_gap, SHARE_POINTS, "points"),
    ]
    return pd.DataFrame([(k, round(v, 1), t, u, bool(holds[k])) for k, v, t, u in rows],
                        columns=["criterion", "this_run", "standard", "measure_unit", "holds"])


def build(inputs) -> Section:
    lang, r = inputs.lang, inputs.result
    section = Section("validation", section_title("validation", lang))
    years = r.scenario.params.history.years
    table = criteria(r)
    shown = table.assign(criterion=[msg(f"validation_criterion_{k}", lang) for k in table["criterion"]],
                         measure_unit=[msg(f"validation_unit_{u}", lang) for u in table["measure_unit"]],
                         holds=[labels.label("grassroots", bool(h), lang) for h in table["holds"]])  # 是/否
    figures = {k: num(v, 1) for k, v in zip(table["criterion"], table["this_run"])}
    if years > 0:
        first = msg("validation_history", lang, years=years, start=inputs.first_year)
    else:
        first = msg("validation_no_history", lang, start=inputs.first_year)
    section.paragraphs = [
        first,
        msg("validation_steady", lang, n=inputs.n_years, **figures,
            held=num(int(table["holds"].sum())), total=num(len(table))),
        msg("validation_trust", lang),
        msg("validation_assumptions", lang),
    ]
    section.tables = [Table("validation_criteria", caption("report_table", "validation_criteria", lang),
                            shown, note=msg("validation_note", lang))]
    return section
