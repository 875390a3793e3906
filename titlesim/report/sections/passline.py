"""Where the grassroots ratio line falls, and who passes below the provincial standard
(the users' question 2, docs/guide.md; clause 一(三) 基层……按比例划定).

Read from ``Result.lines`` (one row per replicate, year and ratio group) and, by county,
from the additive counts.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from titlesim.report import plots
from titlesim.report.model import Figure, Section, Table
from titlesim.report.numbers import add_band, count, mean, rounded
from titlesim.report.words import (caption, column_label, list_of, num, pct, say, section_title,
                                   value_label)

LINE_COLUMNS = ("replicate", "year", "applied", "sat", "k", "line_score", "passed_ratio_only",
                "passed_provincial")
MANY_GROUPS = 12  # more groups than this: the figure draws their mean and range, not each one


def group_columns(lines: pd.DataFrame) -> list[str]:
    return [c for c in lines.columns if c not in LINE_COLUMNS]


GROUP_COUNTS = ("applied", "sat", "k", "passed_provincial", "passed_ratio_only")


def _per_replicate(frame: pd.DataFrame, index: list[str], column: str, replicates: int) -> np.ndarray:
    """(replicate, row) array of ``frame[column]`` summed by ``index`` and replicate, rows
    in the order of the sorted index; a row a replicate lacks counts 0."""
    table = frame.groupby([*index, "replicate"], observed=True)[column].sum().unstack("replicate")
    return table.reindex(columns=range(replicates), fill_value=0).fillna(0).to_numpy(float).T


def by_group(result) -> pd.DataFrame:
    """Per ratio group: yearly means of applicants, takers, places (k) and passes, in
    whole people with their 90 % interval; the line's mean, lowest and highest score over
    replicates and years; the share of passes that are below the provincial standard, and
    of years whose line is below it."""
    lines, standard = result.lines, result.scenario.params.passline.provincial_standard
    by = group_columns(lines)
    years = len(result.years)
    lines = lines.assign(below=lines["line_score"] < standard)
    grouped = lines.groupby(by, observed=True, sort=True)
    frame = pd.DataFrame(index=grouped.size().index)
    for column in GROUP_COUNTS:
        add_band(frame, column, _per_replicate(lines, by, column, result.replicates) / years)
    frame["line_mean"] = rounded(grouped["line_score"].mean())
    frame["line_min"] = rounded(grouped["line_score"].min())
    frame["line_max"] = rounded(grouped["line_score"].max())
    frame["years_below"] = rounded(100 * grouped["below"].sum() / grouped["line_score"].count())
    passes = grouped["passed_ratio_only"].sum() + grouped["passed_provincial"].sum()
    frame["share_below"] = rounded(100 * grouped["passed_ratio_only"].sum() / passes.replace(0, np.nan))
    return frame.reset_index().astype({c: str for c in by})


def by_year(result) -> pd.DataFrame:
    """Per year: groups with a line, how many groups' lines are below the standard and
    the passes (whole, with their 90 % interval), the mean and lowest line (means over
    replicates)."""
    lines, standard = result.lines, result.scenario.params.passline.provincial_standard
    lines = lines.assign(has_line=lines["line_score"].notna(), below=lines["line_score"] < standard)
    frame = pd.DataFrame({"year": sorted(lines["year"].unique())})
    for column, source in (("groups_with_line", "has_line"), ("groups_below", "below"),
                           ("passed_provincial", "passed_provincial"),
                           ("passed_ratio_only", "passed_ratio_only")):
        add_band(frame, column, _per_replicate(lines, ["year"], source, result.replicates))
    per_rep = lines.groupby(["replicate", "year"])["line_score"].agg(["mean", "min"])
    scores = per_rep.groupby("year").mean()
    frame["line_mean"] = rounded(scores["mean"].to_numpy())
    frame["line_min"] = rounded(scores["min"].to_numpy())
    passes = frame["passed_ratio_only"] + frame["passed_provincial"]
    frame["share_below"] = rounded(100 * frame["passed_ratio_only"] / passes.replace(0, np.nan))
    return frame


def by_county(result) -> pd.DataFrame:
    """Passes over the horizon per county (whole, with their 90 % interval), and the
    share below the provincial standard."""
    ratio_only, counties = count(result, "passed_ratio_only", by="county")
    provincial, _ = count(result, "passed_provincial", by="county")
    frame = pd.DataFrame({"county": [str(c) for c in counties]})
    add_band(frame, "passed_provincial", provincial[:, -1, :])
    add_band(frame, "passed_ratio_only", ratio_only[:, -1, :])
    passes = mean(provincial[:, -1, :] + ratio_only[:, -1, :])
    frame["share_below"] = rounded(100 * mean(ratio_only[:, -1, :]) / np.where(passes > 0, passes, np.nan))
    return frame[passes > 0].reset_index(drop=True)


def build(inputs) -> Section:
    r, lang = inputs.result, inputs.lang
    section = Section("passline", section_title("passline", lang))
    groups, years, counties = by_group(r), by_year(r), by_county(r)
    section.paragraphs = _sentences(inputs, groups, years, counties)
    section.tables = [
        Table("passline_by_group", caption("report_table", "passline_by_group", lang), groups,
              note=say("note_yearly_means", lang)),
        Table("passline_by_year", caption("report_table", "passline_by_year", lang), years),
        Table("passline_by_county", caption("report_table", "passline_by_county", lang), counties,
              note=say("note_horizon_totals", lang))]
    if r.lines["line_score"].notna().any():
        section.figures.append(_line_over_time(r, lang))
    return section


def _group_name(row, by: list[str], lang: str) -> str:
    return " · ".join(str(value_label(c, row[c], lang)) for c in by)


def _sentences(inputs, groups, years, counties) -> list[str]:
    r, lang = inputs.result, inputs.lang
    p = inputs.params.passline
    lines = r.lines
    by = group_columns(lines)
    scores = lines["line_score"].dropna()
    if scores.empty:
        return [say("passline_none", lang, ratio=pct(100 * p.ratio, 0))]
    out = [say("passline_summary", lang, ratio=pct(100 * p.ratio, 0),
               base=column_label(p.ratio_base, lang),
               group_by=list_of([column_label(c, lang) for c in by], lang),
               mean=num(scores.mean(), 1), min=num(scores.min(), 1), max=num(scores.max(), 1),
               standard=num(p.provincial_standard, 1))]
    below = (scores < p.provincial_standard).mean() * 100
    n = r.replicates * len(r.years)
    ratio_only = lines["passed_ratio_only"].sum() / n
    if ratio_only == 0:
        out.append(say("passline_never_below", lang))
        return out
    passes = ratio_only + lines["passed_provincial"].sum() / n
    top = groups.loc[groups["passed_ratio_only"].idxmax()]
    out.append(say("passline_below", lang, years_below=pct(below), ratio_only=num(ratio_only),
                   share=pct(100 * ratio_only / passes), top=_group_name(top, by, lang),
                   top_n=num(top["passed_ratio_only"])))
    if len(counties) > 1:
        hi = counties.loc[counties["share_below"].idxmax()]
        out.append(say("passline_county", lang, county=value_label("county", hi["county"], lang),
                       share=pct(hi["share_below"])))
    return out


def _line_over_time(result, lang: str) -> Figure:
    lines = result.lines
    by = group_columns(lines)
    standard = result.scenario.params.passline.provincial_standard
    per_year = lines.groupby([*by, "year"], observed=True)["line_score"].mean().reset_index()
    per_year["group"] = [_group_name(row, by, lang) for _, row in per_year.iterrows()]
    if per_year["group"].nunique() > MANY_GROUPS:
        per_year = per_year.groupby("year")["line_score"].agg(["mean", "min", "max"]).reset_index()
        data = pd.DataFrame({"group": column_label("line_mean", lang), "year": per_year["year"],
                             "mean": per_year["mean"], "lo": per_year["min"], "hi": per_year["max"]})
    else:
        data = pd.DataFrame({"group": per_year["group"], "year": per_year["year"],
                             "mean": per_year["line_score"]})
    data = rounded(data.astype({"year": int}))
    fig = plots.lines_over_years(data, "group", lang, column_label("line_score", lang),
                                 reference=(standard, column_label("provincial_standard", lang)))
    title = caption("report_figure", "passline_over_time", lang)
    fig.suptitle(title)
    return Figure("passline_over_time", title, fig, data)
