"""Observed counts: what a bureau counted in past years, in one documented CSV format.

One row per year, group and metric::

    year,grassroots,metric,value          (年度,基层,指标,数值 in Chinese)
    2019,是,applied,105
    2019,否,applied,300

- ``year`` (年度): the evaluation year, one of the scenario's horizon.
- group columns, any subset of ``series`` (系列), ``level`` (级别: the level sought, for
  applied ... hired), ``county`` (县（市、区）), ``unit_type`` (单位类型), ``specialty``
  (专业), ``grassroots`` (基层, 是/否): codes or labels; an empty cell means "all".
- ``metric`` (指标): ``applied``, ``sat_exam``, ``passed_provincial``, ``passed_ratio_only``,
  ``titled``, ``hired`` (or any other metric of metrics.csv), code or Chinese label.
- ``value`` (数值): the count, a whole number from 0 to what the workforce can reach
  (:func:`ceilings`).

Every problem of the file is reported at once, with its row, column, value and what was
expected (the same checks as a roster, :mod:`titlesim.roster.problems`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from titlesim.errors import Problem
from titlesim.i18n import msg
from titlesim.intake import label_headers, read_text_table, yes_no
from titlesim.labels import label
from titlesim.metrics import GROUP_COLUMNS, METRICS
from titlesim.roster.problems import (MISSING_COLUMN, NOT_NULLABLE, Rule, check, raise_if_any,
                                      validate)
from titlesim.roster.schema import code_of, one_of

KEY_COLUMNS = ("year", "metric", "value")
CAREER_YEARS = 60  # the longest a person can wait (a working life)
PERSON_YEARS = ("waiting_years",)  # metrics that count person-years, not people
COLUMNS = ("year", *GROUP_COLUMNS, "metric", "value")


@dataclass
class Observed:
    """Checked observed counts: ``rows`` has ``row``, ``year``, the group columns the file
    has (codes; None: all), ``metric`` and ``value``."""

    rows: pd.DataFrame
    by: tuple[str, ...]  # the group columns of the file
    file: str

    @property
    def years(self) -> list[int]:
        return sorted(self.rows["year"].unique().tolist())


column_for = label_headers(COLUMNS)


def read_observed(path, params, codes, staff: int | None = None) -> Observed:
    """Read and check an observed-counts file under the scenario ``params``; ``staff``:
    its starting establishment when already worked out (:func:`ceilings`)."""
    path = Path(path)
    file = str(path)
    raw, headers, ignored, records, problems = read_text_table(path, column_for, "observed counts",
                                                         lambda c: label("column", c))
    # a group column misnamed would be read as "all" and its rows as duplicates: refused
    problems += [Problem(msg("observed_unknown_column", header=header), file=file, key=header,
                         line=1, line_word="row", expected=accepted_headers())
                 for header in ignored]
    if ignored:  # its rows' problems (duplicates of the groups it was to tell apart) would mislead
        raise_if_any(records.problems_with(problems))
    frame = raw.copy()
    kinds = {"series": codes.series, "level": codes.levels, "county": codes.counties,
             "unit_type": codes.unit_types, "specialty": codes.specialties}
    for column in kinds:
        if column in frame:
            frame[column] = frame[column].map(lambda t, k=column: code_of(k, t), na_action="ignore")
    if "grassroots" in frame:
        frame["grassroots"] = frame["grassroots"].map(yes_no, na_action="ignore")
    if "metric" in frame:
        frame["metric"] = frame["metric"].map(lambda t: code_of("metric", t), na_action="ignore")
    for column in ("year", "value"):
        if column in frame:
            number = pd.to_numeric(frame[column], errors="coerce")  # text that is not a number:
            frame[column] = number.where(raw[column].isna() | number.notna(), -np.inf)  # -inf
    by = tuple(c for c in GROUP_COLUMNS if c in frame)
    has_keys = set(KEY_COLUMNS) <= set(frame)
    if has_keys:
        frame["_first"] = _first_row(frame, by)
    schema, rules = _schema(params, kinds, has_keys, staff)
    shown = {c: label("column", c) for c in COLUMNS} | headers
    problems += validate(schema, frame, raw, rules, shown, file)
    raise_if_any(records.problems_with(problems))
    rows = frame.reset_index()[["row", "year", *by, "metric", "value"]]
    rows["year"] = rows["year"].astype(np.int64)
    rows["value"] = rows["value"].astype(float)
    return Observed(rows, by, file)


def accepted_headers() -> str:
    """The column names an observed-counts file may use, each as 中文 (code)."""
    return msg("observed_accepted_headers", headers=msg("scorelist.list_separator").join(
        f"{label('column', c, 'zh')} ({c})" for c in COLUMNS))


def _first_row(frame: pd.DataFrame, by) -> pd.Series:
    key = frame[["year", *by, "metric"]].map(str).agg("\x1f".join, axis=1)
    rows = frame.index.to_series(index=frame.index)
    return rows.groupby(key).transform("min")


def ceilings(params, staff: int | None = None) -> dict[str, int]:
    """The most each metric can count in a year and group: the workforce at its largest
    (the units' establishment grown over the horizon), and for ``waiting_years`` that
    many people waiting a whole career each (docs/commands.md, observed counts).
    ``staff``: the starting establishment when already worked out (a roster is read for
    it, :func:`titlesim.resources.starting_establishment`)."""
    from titlesim.resources import peak_people, starting_establishment
    if staff is None:
        staff = starting_establishment(params)
    people = math.ceil(peak_people(params, staff))
    return {m: people * (CAREER_YEARS if m in PERSON_YEARS else 1) for m in METRICS}


def _schema(params, kinds: dict, has_keys: bool,
            staff: int | None = None) -> tuple[pa.DataFrameSchema, dict]:
    start, last = params.horizon.start, params.horizon.start + params.horizon.years - 1
    most = ceilings(params, staff)
    rules = {
        NOT_NULLABLE: Rule("the cell is empty"),
        "year": Rule("'{value}' is not a simulated year",
                     f"a whole year from {start} to {last} (the horizon)"),
        "metric": Rule("unknown metric '{value}'", one_of("metric", METRICS)),
        "value": Rule("'{value}' is not a count", "a whole number, at least 0"),
        "plausible": Rule(lambda v, row: f"'{v}' is more than the workforce can count: at most "
                          f"{most[row['metric']]:,}", "a count the workforce can reach "
                          "(population.size or the roster's establishment, grown over the "
                          "horizon)", column="value"),
        "grassroots": Rule("'{value}' is not yes or no", "是/否, yes/no or 1/0"),
        "duplicate": Rule(lambda v, row: f"the same year, group and metric as row {row['_first']}",
                          "one row per year, group and metric", column="metric"),
    }
    for name in KEY_COLUMNS:
        rules[f"{MISSING_COLUMN}:{name}"] = Rule(
            "", msg("scorelist.column_headed", code=name, label=label("column", name, "zh")))
    columns = {
        "year": pa.Column(None, check("year", lambda s: (s % 1 == 0) & s.between(start, last)),
                          nullable=False),
        "metric": pa.Column(None, check("metric", lambda s: s.isin(METRICS)), nullable=False),
        "value": pa.Column(None, check("value", lambda s: (s % 1 == 0) & (s >= 0)), nullable=False),
        "grassroots": pa.Column(None, check("grassroots", lambda s: s.isin([True, False])),
                                nullable=True, required=False),
    }
    for column, allowed in kinds.items():
        rules[column] = Rule(f"unknown {column.replace('_', ' ')} '{{value}}'",
                             one_of(column, allowed) + ", or empty for all")
        columns[column] = pa.Column(None, check(column, lambda s, a=list(allowed): s.isin(a)),
                                    nullable=True, required=False)
    wide = [check("duplicate", lambda d: d["_first"] == d.index),
            check("plausible", lambda d: ~(d["value"] > d["metric"].map(most)))] if has_keys else []
    return pa.DataFrameSchema(columns, checks=wide), rules


def selection(observed: Observed, cells_table: pd.DataFrame) -> np.ndarray:
    """(observed row, cell) -> True where the cell is counted in the row's group."""
    rows = observed.rows
    mask = np.ones((len(rows), len(cells_table)), dtype=bool)
    for column in observed.by:
        wanted = rows[column].to_numpy(dtype=object)
        have = cells_table[column].astype(object).to_numpy()
        given = pd.notna(wanted)
        mask[given] &= wanted[given, None] == have[None, :]
    return mask


def observed_from_result(result, by=("grassroots",), metrics=("applied", "titled"),
                         replicate: int = 0) -> pd.DataFrame:
    """One replicate of a simulation as observed counts, zeros included (for the
    examples and tests): one row per year, group of ``by`` and metric."""
    table = result.cells.table
    groups = table.groupby(list(by), observed=True).indices if by else {(): np.arange(len(table))}
    rows = []
    for y, year in enumerate(result.years):
        for metric in metrics:
            counts = result.counts[replicate, y, METRICS.index(metric)]
            for key, cells in groups.items():
                key = key if isinstance(key, tuple) else (key,)
                rows.append((int(year), *key, metric, int(counts[cells].sum())))
    return pd.DataFrame(rows, columns=["year", *by, "metric", "value"])
