"""Who applies, sits the exam, passes, is titled and hired, year by year and by county,
unit type, specialty and level (the users' question 1, docs/guide.md)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from titlesim.report import plots
from titlesim.report.model import Figure, Section, Table
from titlesim.report.numbers import (GRASSROOTS, add_band, band, count, mean, nonzero_groups,
                                     ratio, rounded, year_labels)
from titlesim.report.words import (caption, column_label, num, pct, say, section_title, trend,
                                   value_label)

FLOW = ("eligible", "applied", "sat_exam", "passed_provincial", "passed_ratio_only", "evaluated",
        "titled", "titled_directed", "hired")
BY_GROUP = {"applied": "applied", "sat_exam": "sat_exam",
            "passed": ("passed_provincial", "passed_ratio_only"), "titled": "titled",
            "hired": "hired"}
DIMENSIONS = ("level", "county", "unit_type", "specialty")
DRAWN = ("applied", "sat_exam", "passed", "titled", "hired")


def by_year(result) -> pd.DataFrame:
    """Each flow per year and over the whole horizon: the mean over replicates and its
    90 % interval, in whole people."""
    frame = pd.DataFrame({"year": year_labels(result)})
    for metric in FLOW:
        add_band(frame, metric, count(result, metric)[0][:, :, 0])
    return frame


def by_group(result, dimension: str) -> pd.DataFrame:
    """Totals over the horizon per group (mean over replicates and 90 % interval, whole
    people), and titles per 100 staff a year; groups with none of these flows are left out."""
    frame, arrays = pd.DataFrame(), []
    for name, metrics in BY_GROUP.items():
        v, groups = count(result, metrics, by=dimension)
        arrays.append(v)
        add_band(frame, name, v[:, -1, :])
    per_100, _ = ratio(result, "titled", "headcount", by=dimension)
    frame["titled_per_100"] = rounded(mean(per_100[:, -1, :]))
    frame.insert(0, dimension, [str(g) for g in groups])
    return frame[nonzero_groups(*arrays)].reset_index(drop=True)


def build(inputs) -> Section:
    r, lang = inputs.result, inputs.lang
    section = Section("flow", section_title("flow", lang))
    years = by_year(r)
    groups = {d: by_group(r, d) for d in DIMENSIONS}
    section.paragraphs = _sentences(inputs, years, groups)
    section.tables.append(Table("flow_by_year", caption("report_table", "flow_by_year", lang), years,
                                note=say("note_total_row", lang)))
    for d in DIMENSIONS:
        section.tables.append(Table(f"flow_by_{d}", caption("report_table", f"flow_by_{d}", lang),
                                    groups[d], note=say("note_horizon_totals", lang)))
    section.figures = [_over_time(r, lang), _titled_by_county(r, lang)]
    return section


def _sentences(inputs, years: pd.DataFrame, groups: dict) -> list[str]:
    r, lang, n = inputs.result, inputs.lang, inputs.n_years
    total = years.iloc[-1]
    titled_mean, titled_lo, titled_hi = band(count(r, "titled")[0][:, -1, 0] / n)
    out = [say("flow_summary", lang, start=inputs.first_year, end=inputs.last_year,
               applied=num(total["applied"] / n), sat=num(total["sat_exam"] / n),
               passed=num((total["passed_provincial"] + total["passed_ratio_only"]) / n),
               titled=num(titled_mean), lo=num(titled_lo), hi=num(titled_hi),
               directed=num(total["titled_directed"] / n), hired=num(total["hired"] / n))]
    if n > 1:
        out.append(trend(column_label("titled", lang), years["titled"].iloc[0],
                         years["titled"].iloc[-2], inputs.first_year, inputs.last_year, lang))
    levels = groups["level"]
    if levels["titled"].sum() > 0:
        top = levels.loc[levels["titled"].idxmax()]
        out.append(say("flow_level", lang, level=value_label("level", top["level"], lang),
                       n=num(top["titled"]), share=pct(100 * top["titled"] / levels["titled"].sum())))
        units = groups["unit_type"]
        top = units.loc[units["titled"].idxmax()]
        grassroots = mean(count(r, "titled", where=GRASSROOTS)[0][:, -1, 0])[()]
        out.append(say("flow_unit_type", lang, unit_type=value_label("unit_type", top["unit_type"], lang),
                       share=pct(100 * top["titled"] / units["titled"].sum()),
                       grassroots_share=pct(100 * grassroots / total["titled"])))
    counties = groups["county"].dropna(subset=["titled_per_100"])
    if len(counties) > 1:
        hi = counties.loc[counties["titled_per_100"].idxmax()]
        lo = counties.loc[counties["titled_per_100"].idxmin()]
        out.append(say("flow_county", lang, hi=value_label("county", hi["county"], lang),
                       vhi=num(hi["titled_per_100"], 1), lo=value_label("county", lo["county"], lang),
                       vlo=num(lo["titled_per_100"], 1)))
    return out


def _over_time(result, lang: str) -> Figure:
    rows = []
    for name in DRAWN:
        m, lo, hi = band(count(result, BY_GROUP[name])[0][:, :-1, 0])
        rows.append(pd.DataFrame({"metric": name, "year": result.years.astype(int),
                                  "mean": rounded(m), "lo": rounded(lo), "hi": rounded(hi)}))
    data = pd.concat(rows, ignore_index=True)
    fig = plots.lines_over_years(data, "metric", lang, column_label("persons", lang))
    title = caption("report_figure", "flow_over_time", lang)
    fig.suptitle(title)
    return Figure("flow_over_time", title, fig, data)


def _titled_by_county(result, lang: str) -> Figure:
    grassroots, counties = count(result, "titled", by="county", where=GRASSROOTS)
    everyone, _ = count(result, "titled", by="county")
    data = pd.DataFrame({"county": [str(c) for c in counties],
                         "titled_grassroots": rounded(mean(grassroots[:, -1, :])),
                         "titled_other": rounded(mean(everyone[:, -1, :] - grassroots[:, -1, :]))})
    data = data[np.asarray(data[["titled_grassroots", "titled_other"]].sum(axis=1) > 0)]
    data = data.reset_index(drop=True)
    fig = plots.bars_by_group(data, "county", ["titled_grassroots", "titled_other"], lang,
                              column_label("persons", lang), stacked=True)
    title = caption("report_figure", "titled_by_county", lang)
    fig.suptitle(title)
    return Figure("titled_by_county", title, fig, data)
