"""What a valid roster cell is, under a scenario: a pandera schema and the wording of
each of its checks (the rules across columns and rows are in
:mod:`titlesim.roster.consistency`).

The roster describes the workforce at the start of the first simulated year
(``horizon.start``): ages and years at the current level are counted at the end of the
year before. Counties, unit types and specialties are the scenario's.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from titlesim.intake import yes_no
from titlesim.labels import code_for, label, values
from titlesim.roster.columns import BY_NAME, COUNT_RANGES, EDUCATION_WORDS, LEVEL_WORDS, SEX_WORDS
from titlesim.roster.consistency import UNIT_COLUMNS, row_checks
from titlesim.roster.dates import parse_years
from titlesim.roster.problems import MISSING_COLUMN, NOT_NULLABLE, Rule, check
from titlesim.scenario.schema import EDUCATIONS, LEVELS

AGE_RANGE = (16, 75)  # a working age at the start: younger or older is a mistyped date
CODED = (("unit_type", "unit_type", None), ("specialty", "specialty", None),
         ("level", "level", LEVEL_WORDS), ("post_level", "level", LEVEL_WORDS),
         ("education", "education", EDUCATION_WORDS), ("series", "series", None),
         ("sex", "sex", SEX_WORDS))  # column, label kind, other words for values


def is_whole(s: pd.Series) -> pd.Series:
    """Whether each cell is a whole number (of any sign or size)."""
    return pd.to_numeric(s, errors="coerce") % 1 == 0


def in_range(s: pd.Series, low: int, high: int) -> pd.Series:
    """Whether each cell, when it is a whole number, lies from ``low`` to ``high`` (a cell
    that is not a whole number passes: it is refused as such, once)."""
    return ~is_whole(s) | pd.to_numeric(s, errors="coerce").between(low, high)


def code_of(kind: str, text, words: dict | None = None):
    """A label or code to its code; unknown text is kept (and refused by the schema)."""
    if text is None:
        return None
    found = code_for(kind, text) or (words or {}).get(text.lower() if text.isascii() else text)
    if found is None and text.isascii():
        lower = text.lower()
        found = next((k for k, r in values(kind).items() if lower in (k, r["en"].lower())), None)
    return found or text


def one_of(kind: str, allowed) -> str:
    """The values allowed, each by its Chinese label and its code (counties: their names)."""
    from titlesim.scorelist import _one_of
    return _one_of(kind, allowed)


def normalise(raw: pd.DataFrame, params) -> pd.DataFrame:
    """Codes where the text names one (kept as written where it does not), the years of
    the dates, and for each unit-level column the unit's first valid value and its row."""
    frame = raw.copy()
    for column, kind, words in CODED:
        if column in frame:
            mapping = {t: code_of(kind, t, words) for t in frame[column].dropna().unique()}
            frame[column] = frame[column].map(mapping)
    if "grassroots" in frame:
        frame["grassroots"] = frame["grassroots"].map(yes_no, na_action="ignore")
    for column, year in (("title_date", "title_year"), ("birth", "birth_year")):
        if column in frame:
            frame[year] = parse_years(frame[column])
    if "unit" not in frame:
        return frame
    row = frame.index.to_series(index=frame.index)
    valid = {"county": lambda s: s.isin(list(params.population.counties)),
             "unit_type": lambda s: s.isin(list(params.population.unit_types)),
             "establishment": lambda s: is_whole(s) & in_range(s, *COUNT_RANGES["establishment"])}
    for column in UNIT_COLUMNS:
        if column in frame:
            frame[f"_{column}_valid"] = valid[column](frame[column])
            first = row.where(frame[f"_{column}_valid"]).groupby(frame["unit"]).transform("min")
            frame[f"_unit_{column}_row"] = first.astype("Int64")
            at = first.fillna(-1).astype(np.int64)
            frame[f"_unit_{column}"] = frame[column].reindex(at).to_numpy()
    return frame


def roster_schema(params, codes, present: set[str], identifier: str):
    """The schema for a roster with the columns ``present`` (checks of each cell, then of
    the rows), and the wording of every check."""
    start = params.horizon.start
    rules = {
        NOT_NULLABLE: Rule("the cell is empty"),
        "date": Rule("'{value}' is not a possible date",
                     "a date such as 2015-07, 2015年7月 or 201507, from 1900 on"),
        f"{NOT_NULLABLE}:person_key": Rule(f"the identifier ({identifier}) is empty",
                                           f"a {identifier} on every row", hide_value=True),
        "field_uniqueness:person_key": Rule(
            lambda v, row: f"the same person as row {row['_person_row']} (same {identifier})",
            "one row per person", hide_value=True),
    }
    for column in BY_NAME.values():
        if column.need == "required":
            rules[f"{MISSING_COLUMN}:{column.name}"] = Rule(
                "", f"a column headed {column.header}: {column.meaning}")
    columns = {"unit": pa.Column(None, nullable=False),
               "person_key": pa.Column(None, nullable=False, unique=True,
                                       report_duplicates="exclude_first", required=False)}

    def categorical(name, kind, allowed, required=True):
        allowed = list(allowed)
        rules[f"unknown_{name}"] = Rule(f"unknown {kind.replace('_', ' ')} '{{value}}'",
                                        one_of(kind, allowed))
        columns[name] = pa.Column(None, check(f"unknown_{name}", lambda s: s.isin(allowed)),
                                  nullable=not required, required=required)

    categorical("county", "county", codes.counties)
    categorical("unit_type", "unit_type", codes.unit_types)
    categorical("specialty", "specialty", codes.specialties)
    categorical("level", "level", LEVELS)
    categorical("education", "education", EDUCATIONS)
    categorical("sex", "sex", ("male", "female"), required=False)
    categorical("series", "series", codes.series, required=False)
    categorical("post_level", "level", LEVELS, required=False)
    rules["yes_no"] = Rule("'{value}' is not yes or no", "是/否, yes/no or 1/0")
    columns["grassroots"] = pa.Column(None, check("yes_no", lambda s: s.isin([True, False])),
                                      nullable=True, required=False)

    def dated(s):
        return parse_years(s).notna()

    columns["title_date"] = pa.Column(None, check("date", dated), nullable=True)
    columns["birth"] = pa.Column(None, check("date", dated), nullable=False)
    rules["title_future"] = Rule("'{value}' is after the roster's date",
                                 f"a date no later than {start} (horizon.start)", column="title_date")
    columns["title_year"] = pa.Column(None, check("title_future", lambda s: s <= start),
                                      nullable=True, required=False)
    low, high = AGE_RANGE
    rules["age"] = Rule("born '{value}': not a working age at the start",
                        f"born {start - 1 - high} to {start - 1 - low} (aged {low} to {high} "
                        f"at the end of {start - 1})", column="birth")
    columns["birth_year"] = pa.Column(
        None, check("age", lambda s: (start - 1 - s).between(low, high)),
        nullable=True, required=False)
    for name, (least, most) in COUNT_RANGES.items():
        expected = f"a whole number from {least} to {most:,}"
        rules[f"count_{name}"] = Rule("'{value}' is not a whole number", expected)
        rules[f"range_{name}"] = Rule("'{value}' is out of range", expected)
        columns[name] = pa.Column(None, [
            check(f"count_{name}", is_whole),
            check(f"range_{name}", lambda s, lo=least, hi=most: in_range(s, lo, hi))],
            nullable=True, required=False)
    wide = row_checks(params, codes, present, rules)
    return pa.DataFrameSchema(columns, checks=wide), rules
