"""The workforce itself (DOMAIN.md question 6): the senior share of the grassroots
workforce (and of everyone), and who leaves: retirements, other exits, directed titles
lost by moving out of grassroots units (一(二) 定向使用)."""
from __future__ import annotations

import pandas as pd

from titlesim.report import plots
from titlesim.report.model import Figure, Section, Table
from titlesim.report.numbers import GRASSROOTS, SENIOR, band, count, mean, ratio, rounded
from titlesim.report.words import caption, num, say, section_title, trend
from titlesim import labels

FLOWS = ("entrants", "exits_retired", "exits_other", "transfers_in", "directed_lost_by_move")


def senior_share(result, grassroots_only: bool):
    where = GRASSROOTS if grassroots_only else ()
    return ratio(result, "headcount", "headcount", where=where + SENIOR, per_where=where,
                 horizon="end")[0][:, :-1, 0]


def by_year(result) -> pd.DataFrame:
    frame = pd.DataFrame({"year": result.years.astype(int)})
    frame["headcount"] = mean(count(result, "headcount")[0])[:-1, 0]
    share = band(senior_share(result, True))
    frame["senior_share_grassroots"], frame["senior_share_grassroots_lo"], \
        frame["senior_share_grassroots_hi"] = share
    frame["senior_share_all"] = mean(senior_share(result, False))
    for metric in FLOWS:
        frame[metric] = mean(count(result, metric)[0])[:-1, 0]
    return rounded(frame)


def build(inputs) -> Section:
    r, lang = inputs.result, inputs.lang
    section = Section("stock", section_title("stock", lang))
    years = by_year(r)
    section.paragraphs = _sentences(inputs, years)
    section.tables = [Table("stock_by_year", caption("report_table", "stock_by_year", lang), years,
                            note=say("note_year_end", lang))]
    section.figures = [_senior_share(r, years, lang)]
    return section


def _sentences(inputs, years) -> list[str]:
    lang, first, last = inputs.lang, years.iloc[0], years.iloc[-1]
    out = [trend(labels.label("outcome", "senior_share_grassroots", lang), first["senior_share_grassroots"],
                 last["senior_share_grassroots"], inputs.first_year, inputs.last_year, lang,
                 digits=1, unit="%")]
    out.append(say("stock_all", lang, v0=num(first["senior_share_all"], 1),
                   v1=num(last["senior_share_all"], 1)))
    out.append(say("stock_flows", lang, retired=num(years["exits_retired"].mean()),
                   other=num(years["exits_other"].mean()), entrants=num(years["entrants"].mean()),
                   lost=num(years["directed_lost_by_move"].sum())))
    return out


def _senior_share(result, years: pd.DataFrame, lang: str) -> Figure:
    data = pd.concat([
        pd.DataFrame({"metric": "senior_share_grassroots", "year": years["year"],
                      "mean": years["senior_share_grassroots"],
                      "lo": years["senior_share_grassroots_lo"],
                      "hi": years["senior_share_grassroots_hi"]}),
        pd.DataFrame({"metric": "senior_share_all", "year": years["year"],
                      "mean": years["senior_share_all"]})], ignore_index=True)
    fig = plots.lines_over_years(data, "metric", lang, labels.label("unit", "percent", lang))
    title = caption("report_figure", "senior_share_over_time", lang)
    fig.suptitle(title)
    return Figure("senior_share_over_time", title, fig, data)
