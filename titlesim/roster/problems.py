"""From a pandera validation to problems policy staff can act on.

A table is validated lazily (every check on every row) and each failure becomes a
:class:`~titlesim.errors.Problem` naming the file, the row as the spreadsheet numbers it
(the header is row 1; the frame's index is that number), the column as the file heads it,
the value as written, and what was expected. Each check carries a key (its ``error``)
that looks up a :class:`Rule` saying how to word it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd
import pandera.pandas as pa

from titlesim.errors import InputError, Problem

MAX_SHOWN = 50  # problems shown per column and kind; the rest are counted in one line


@dataclass(frozen=True)
class Rule:
    """How one check's failures are worded. ``message`` is a template over ``value`` (the
    cell as written) and the row's columns (``row``); ``column`` is the column to name
    (by default the one pandera reports); ``hide_value`` keeps identifiers out of messages."""

    message: str | Callable[[str, pd.Series], str]
    expected: str | None = None
    column: str | None = None
    hide_value: bool = False

    def text(self, value: str, row: pd.Series) -> str:
        if callable(self.message):
            return self.message(value, row)
        return self.message.format(value=value, row=row)


NOT_NULLABLE = "not_nullable"
MISSING_COLUMN = "column_in_dataframe"


def check(rule_key: str, fn, element_wise: bool = False) -> pa.Check:
    """A pandera check whose failures are worded by ``rules[rule_key]``."""
    return pa.Check(fn, error=rule_key, element_wise=element_wise, ignore_na=True)


def validate(schema: pa.DataFrameSchema, frame: pd.DataFrame, raw: pd.DataFrame,
             rules: dict[str, Rule], headers: dict[str, str], file: str,
             max_shown: int | None = MAX_SHOWN) -> list[Problem]:
    """Every problem of ``frame`` under ``schema``; ``raw`` holds the cells as written
    (same index and column names), ``headers`` the file's header of each column. Beyond
    ``max_shown`` rows with the same problem in a column (None: no limit), one line
    counts the rest."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return _problems(exc.failure_cases, frame, raw, rules, headers, file,
                         max_shown or len(frame) + 1)
    return []


def _problems(failures: pd.DataFrame, frame, raw, rules, headers, file,
              max_shown: int) -> list[Problem]:
    items, more, seen, shown = [], [], set(), {}
    for case in failures.itertuples(index=False):
        key = str(case.check)
        if key == MISSING_COLUMN:
            items.append(_missing(str(case.failure_case), rules, headers, file))
            continue
        rule = rules.get(f"{key}:{case.column}") or rules.get(key)
        if rule is None or case.index is None or pd.isna(case.index):
            raise RuntimeError(f"unworded validation failure: {case}")  # a bug, not bad input
        column = rule.column or str(case.column)
        row = int(case.index)
        if (key, column, row) in seen:  # dataframe-wide checks report every column of a row
            continue
        seen.add((key, column, row))
        count = shown[(key, column)] = shown.get((key, column), 0) + 1
        if count > max_shown:
            continue
        value = "" if rule.hide_value or column not in raw else _text(raw.at[row, column])
        items.append(Problem(rule.text(value, frame.loc[row]), file=file,
                             key=headers.get(column, column), line=row,
                             expected=rule.expected, line_word="row"))
    for (key, column), count in shown.items():
        if count > max_shown:
            more.append(Problem(f"and {count - max_shown} more rows with the same problem "
                                f"(every one: --all-problems)",
                                file=file, key=headers.get(column, column)))
    return sorted(items, key=lambda p: (p.line or 0)) + more


def _missing(column: str, rules, headers, file) -> Problem:
    rule = rules.get(f"{MISSING_COLUMN}:{column}")
    expected = rule.expected if rule else None
    return Problem("required column is missing", file=file, key=headers.get(column, column),
                   line=1, expected=expected, line_word="row")


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise InputError(problems)
