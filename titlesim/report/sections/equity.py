"""Equity (the users' question 5, docs/guide.md): exam pass rates and title rates across counties, unit
types, specialties and grassroots status over the horizon, each with its 90 % interval,
and the spread between the highest and the lowest group. The rates are the comparison's
(:mod:`titlesim.compare.equity`): pass rate = passes / sittings, title rate = titles /
applicants."""
from __future__ import annotations

import pandas as pd

from titlesim.compare.equity import equity as equity_table
from titlesim.report import plots
from titlesim.report.model import Figure, Section, Table
from titlesim.report.numbers import rounded
from titlesim.report.words import caption, column_label, num, pct, say, section_title, value_label
from titlesim import labels

RATES = ("pass_rate", "title_rate")
DIMENSIONS = ("county", "unit_type", "specialty", "grassroots")


def rates(result) -> pd.DataFrame:
    """One row per dimension and group: each rate's mean, 5th and 95th percentile."""
    name = result.scenario.name
    long = equity_table({name: result}, name, rates=RATES, dimensions=DIMENSIONS)
    frame = None
    for rate in RATES:
        part = long[long["rate"] == rate][["dimension", "group", "mean", "lo", "hi"]]
        part = part.rename(columns={"mean": rate, "lo": f"{rate}_lo", "hi": f"{rate}_hi"})
        frame = part if frame is None else frame.merge(part, on=["dimension", "group"], how="outer",
                                                      sort=False)
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    frame = frame.sort_values("dimension", key=lambda s: s.map(order), kind="stable")
    return rounded(frame).reset_index(drop=True)


def build(inputs) -> Section:
    r, lang = inputs.result, inputs.lang
    section = Section("equity", section_title("equity", lang))
    table = rates(r)
    section.paragraphs = _sentences(table, lang)
    section.tables = [Table("equity", caption("report_table", "equity", lang), table,
                            note=say("note_rates", lang))]
    counties = table[table["dimension"] == "county"]
    if len(counties):
        section.figures = [_by_county(counties, lang)]
    return section


def _sentences(table: pd.DataFrame, lang: str) -> list[str]:
    out = []
    for dimension in ("county", "unit_type", "specialty"):
        rows = table[table["dimension"] == dimension]
        parts = []
        for rate in RATES:
            defined = rows.dropna(subset=[rate])
            if len(defined) < 2:
                continue
            hi = defined.loc[defined[rate].idxmax()]
            lo = defined.loc[defined[rate].idxmin()]
            parts.append(say("equity_rate", lang, rate=labels.label("outcome", rate, lang),
                             hi=value_label(dimension, hi["group"], lang), vhi=pct(hi[rate]),
                             lo=value_label(dimension, lo["group"], lang), vlo=pct(lo[rate]),
                             spread=num(hi[rate] - lo[rate], 1)))
        if parts:
            out.append(say("equity_dimension", lang, dimension=column_label(dimension, lang),
                           rates="；".join(parts) if lang == "zh" else "; ".join(parts)))
    grassroots = table[table["dimension"] == "grassroots"].set_index("group")
    if {"True", "False"} <= set(grassroots.index):
        out.append(say("equity_grassroots", lang, g=pct(grassroots.loc["True", "title_rate"]),
                       ng=pct(grassroots.loc["False", "title_rate"]),
                       gp=pct(grassroots.loc["True", "pass_rate"]),
                       ngp=pct(grassroots.loc["False", "pass_rate"])))
    return out


def _by_county(counties: pd.DataFrame, lang: str) -> Figure:
    data = counties.rename(columns={"group": "county"}).drop(columns="dimension")
    data = data.reset_index(drop=True)
    fig = plots.bars_by_group(data, "county", list(RATES), lang, labels.label("unit", "percent", lang),
                              errors={r: (f"{r}_lo", f"{r}_hi") for r in RATES})
    title = caption("report_figure", "equity_by_county", lang)
    fig.suptitle(title)
    return Figure("equity_by_county", title, fig, data)
