"""The workforce itself (the users' question 6, docs/guide.md): the senior share of the grassroots
workforce (and of everyone), and who leaves: retirements, other exits, directed titles
lost by moving out of grassroots units (一(二) 定向使用)."""
from __future__ import annotations

import pandas as pd

from titlesim.report import plots
from titlesim.report.model import Figure, Section, Table
from titlesim.report.numbers import GRASSROOTS, SENIOR, add_band, band, count, mean, ratio, rounded
from titlesim.report.words import caption, num, say, section_title, trend
from titlesim import labels

JUMP = 1.2  # a year's retirements this many times the year before's are explained
FLOWS = ("entrants", "exits_retired", "exits_other", "transfers_in", "directed_lost_by_move")


def senior_share(result, grassroots_only: bool):
    where = GRASSROOTS if grassroots_only else ()
    return ratio(result, "headcount", "headcount", where=where + SENIOR, per_where=where,
                 horizon="end")[0][:, :-1, 0]


def by_year(result) -> pd.DataFrame:
    frame = pd.DataFrame({"year": result.years.astype(int)})
    add_band(frame, "headcount", count(result, "headcount")[0][:, :-1, 0])
    share = band(senior_share(result, True))
    frame["senior_share_grassroots"], frame["senior_share_grassroots_lo"], \
        frame["senior_share_grassroots_hi"] = (rounded(s) for s in share)
    frame["senior_share_all"] = rounded(mean(senior_share(result, False)))
    for metric in FLOWS:
        add_band(frame, metric, count(result, metric)[0][:, :-1, 0])
    return frame


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
    jump = _retirement_jump(inputs, years)
    if jump:
        out.append(jump)
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


def first_retirements(params) -> list[tuple[int, str, str, int]]:
    """(year index from 1, level, sex, age) at which the oldest of each level of the
    starting workforce first reach retirement age: the retirements jump that year, as a
    cohort the starting ages (``population.age_by_level``) left out reaches the age.

    >>> from titlesim import load_scenario
    >>> (10, 'junior', 'female', 45) in first_retirements(
    ...     load_scenario("scenarios/baseline-2022.yaml").params)
    True
    """
    ages = params.flows.retirement_age
    found = []
    for level, ages_ in params.population.age_by_level.items():
        for sex in ("female", "male"):
            retire = getattr(ages, sex)
            if ages_.max < retire - 1:
                found.append((retire - ages_.max, level, sex, ages_.max))
    return sorted(found)


def _retirement_jump(inputs, years) -> str | None:
    """A sentence for the year the retirements rise most (by a fifth or more), when a
    cohort of the starting workforce first reaches retirement age that year (see
    :func:`first_retirements`)."""
    lang, retired = inputs.lang, years.set_index("year")["exits_retired"]
    rise = (retired / retired.shift(1)).dropna()
    if not len(rise) or rise.max() < JUMP:
        return None
    year = int(rise.idxmax())
    k = year - inputs.first_year + 1
    for first, level, sex, age in first_retirements(inputs.params):
        if first == k:
            return say("stock_retirement_jump", lang, year=year, before=num(retired[year - 1]),
                       after=num(retired[year]), level=labels.label("level", level, lang),
                       age=age, sex=labels.label("sex", sex, lang),
                       retire=getattr(inputs.params.flows.retirement_age, sex), k=k)
    return None
