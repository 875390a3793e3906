"""The post queue (the users' question 4, docs/guide.md; post structure 岗位结构比例, 评聘分开): who holds
a title but waits for a post, how long those hired waited, vacancies, and the unit groups
(county x unit type x level) whose posts are all filled.

Counts are per cell (county x unit type), not per unit, so "at their cap" is said of a
unit group: every post of that level in that county's units of that type is filled.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from titlesim.compare.outcomes import group_codes
from titlesim.metrics import METRICS
from titlesim.report import plots
from titlesim.report.model import Figure, Section, Table
from titlesim.report.numbers import add_band, band, count, mean, nonzero_groups, ratio, rounded
from titlesim.report.words import caption, column_label, num, pct, say, section_title, trend, value_label


def unit_groups_at_cap(result, by: str | None = None):
    """(replicate, year, group) counts of unit groups with posts and no vacancy, of unit
    groups with posts, and the group names."""
    posts = result.counts[:, :, METRICS.index("posts"), :]
    vacant = result.counts[:, :, METRICS.index("posts_vacant"), :]
    codes, groups = group_codes(result.cells.table, by)
    weights = np.zeros((len(codes), len(groups)))
    weights[np.arange(len(codes)), codes] = 1.0
    has_posts = (posts > 0).astype(float)
    full = ((posts > 0) & (vacant == 0)).astype(float)
    return full @ weights, has_posts @ weights, groups


def by_year(result) -> pd.DataFrame:
    """Per year: counts (people, posts, unit groups) whole with their 90 % interval, the
    years waited a mean."""
    frame = pd.DataFrame({"year": result.years.astype(int)})
    for metric in ("titled", "hired"):
        add_band(frame, metric, count(result, metric)[0][:, :-1, 0])
    add_band(frame, "waiting", count(result, "waiting", horizon="end")[0][:, :-1, 0])
    frame["years_waited"] = rounded(mean(ratio(result, "waiting_years", "hired", scale=1.0)[0])[:-1, 0])
    for metric in ("posts", "posts_vacant"):
        add_band(frame, metric, count(result, metric, horizon="end")[0][:, :-1, 0])
    full, with_posts, _ = unit_groups_at_cap(result)
    add_band(frame, "groups_at_cap", full[:, :, 0])
    add_band(frame, "unit_groups", with_posts[:, :, 0])
    return frame


def by_unit_type(result) -> pd.DataFrame:
    """At the end of the horizon (stocks) and over it (hires, years waited)."""
    frame, arrays = pd.DataFrame(), []
    for metric in ("posts", "posts_vacant", "waiting"):
        v, groups = count(result, metric, by="unit_type", horizon="end")
        arrays.append(v)
        add_band(frame, metric, v[:, -1, :])
    hired, _ = count(result, "hired", by="unit_type")
    arrays.append(hired)
    add_band(frame, "hired", hired[:, -1, :])
    frame["years_waited"] = rounded(mean(ratio(result, "waiting_years", "hired", by="unit_type",
                                               scale=1.0)[0][:, -1, :]))
    full, with_posts, _ = unit_groups_at_cap(result, "unit_type")
    add_band(frame, "groups_at_cap", full[:, -1, :])
    add_band(frame, "unit_groups", with_posts[:, -1, :])
    frame.insert(0, "unit_type", [str(g) for g in groups])
    return frame[nonzero_groups(*arrays)].reset_index(drop=True)


def build(inputs) -> Section:
    r, lang = inputs.result, inputs.lang
    section = Section("posts", section_title("posts", lang))
    years, units = by_year(r), by_unit_type(r)
    section.paragraphs = _sentences(inputs, years, units)
    section.tables = [
        Table("posts_by_year", caption("report_table", "posts_by_year", lang), years,
              note=say("note_year_end", lang)),
        Table("posts_by_unit_type", caption("report_table", "posts_by_unit_type", lang), units,
              note=say("note_end_of_horizon", lang, year=inputs.last_year))]
    section.figures = [_over_time(r, years, lang), _by_unit_type(units, lang)]
    return section


def _sentences(inputs, years, units) -> list[str]:
    lang = inputs.lang
    end = years.iloc[-1]
    out = [say("posts_waiting", lang, year=inputs.last_year, waiting=num(end["waiting"]),
               lo=num(end["waiting_lo"]), hi=num(end["waiting_hi"]),
               hired=num(years["hired"].sum()),
               years_waited=num(_overall_years_waited(inputs.result), 1))]
    if len(years) > 1:
        out.append(trend(column_label("waiting", lang), years["waiting"].iloc[0], end["waiting"],
                         inputs.first_year, inputs.last_year, lang))
    if units["waiting"].sum() > 0:
        top = units.loc[units["waiting"].idxmax()]
        out.append(say("posts_top_waiting", lang, unit_type=value_label("unit_type", top["unit_type"], lang),
                       n=num(top["waiting"]), share=pct(100 * top["waiting"] / units["waiting"].sum())))
    if end["unit_groups"] > 0:
        out.append(say("posts_at_cap", lang, n=num(end["groups_at_cap"]), of=num(end["unit_groups"]),
                       share=pct(100 * end["groups_at_cap"] / end["unit_groups"])))
    if end["posts_vacant"] > 0 and end["waiting"] > 0:
        top = units.loc[units["posts_vacant"].idxmax()]
        out.append(say("posts_vacant_and_waiting", lang, vacant=num(end["posts_vacant"]),
                       unit_type=value_label("unit_type", top["unit_type"], lang)))
    return out


def _overall_years_waited(result) -> float:
    return float(mean(ratio(result, "waiting_years", "hired", scale=1.0)[0])[-1, 0])


def _over_time(result, years: pd.DataFrame, lang: str) -> Figure:
    rows = [pd.DataFrame({"metric": "waiting", "year": years["year"], "mean": years["waiting"],
                          "lo": years["waiting_lo"], "hi": years["waiting_hi"]})]
    for metric in ("posts_vacant", "hired"):
        m, lo, hi = band(count(result, metric)[0][:, :-1, 0])
        rows.append(pd.DataFrame({"metric": metric, "year": years["year"], "mean": rounded(m),
                                  "lo": rounded(lo), "hi": rounded(hi)}))
    data = pd.concat(rows, ignore_index=True)
    fig = plots.lines_over_years(data, "metric", lang, column_label("persons", lang))
    title = caption("report_figure", "posts_over_time", lang)
    fig.suptitle(title)
    return Figure("posts_over_time", title, fig, data)


def _by_unit_type(units: pd.DataFrame, lang: str) -> Figure:
    data = units[["unit_type", "waiting", "posts_vacant"]]
    fig = plots.bars_by_group(data, "unit_type", ["waiting", "posts_vacant"], lang,
                              column_label("persons", lang))
    title = caption("report_figure", "posts_by_unit_type", lang)
    fig.suptitle(title)
    return Figure("posts_by_unit_type", title, fig, data)
