"""The roster's checks across columns and rows: a title after the age of 16 and dated
unless junior; a specialty of the unit type's series; 是否基层 and 系列, when given,
agreeing with the unit type; a post no higher than the title; and one county, one unit
type and one establishment per unit (rows with the same 单位).

Each check is a pandera dataframe check returning, per row, whether the row passes; a
check whose columns the roster lacks is left out (the missing column is reported).
"""
from __future__ import annotations

import pandas as pd

from titlesim.labels import label
from titlesim.roster.problems import Rule, check
from titlesim.scenario.schema import LEVELS

TITLE_AGE = 16  # no title before this age
UNIT_COLUMNS = {"county": "county", "unit_type": "unit type", "establishment": "establishment"}


def column_word(column: str) -> str:
    """A unit-level column as a message names it: its documented header (县市区, 单位类型)
    in Chinese, an English word in English."""
    from titlesim.i18n import current_language
    from titlesim.roster.columns import BY_NAME
    return UNIT_COLUMNS[column] if current_language() == "en" else BY_NAME[column].header


def _rank(s: pd.Series) -> pd.Series:
    return s.map({lv: i for i, lv in enumerate(LEVELS)}).astype(float)


def _differs(given: pd.Series, valid: pd.Series, expected: pd.Series) -> pd.Series:
    """Rows whose valid value differs from the expected one (where that is known)."""
    return valid & expected.notna() & (given != expected)


def row_checks(params, codes, present: set[str], rules: dict) -> list:
    """The dataframe checks for a roster with the columns ``present``; their wording is
    added to ``rules``."""
    spec = params.population.unit_types
    series_of_specialty = dict(zip(codes.specialties,
                                   (codes.series[s] for s in codes.specialty_series)))
    checks = []

    def rule(key, needs, passes, wording: Rule):
        if set(needs) <= present:
            rules[key] = wording
            checks.append(check(key, passes))

    def type_says(d, what):
        return d["unit_type"].map({name: getattr(u, what) for name, u in spec.items()})

    def unit_type_label(row):
        return label("unit_type", row["unit_type"])

    rule("title_needed", ("level", "title_date"),
         lambda d: d["title_date"].notna() | (d["level"] == "junior"),
         Rule("the date of the current title is empty", "a date: only 初级 may leave it empty",
              column="title_date"))
    rule("title_age", ("title_date", "birth"),
         lambda d: ~(d["title_year"] < d["birth_year"] + TITLE_AGE),
         Rule(lambda v, row: f"'{v}' is before the age of {TITLE_AGE} (born {row['birth']})",
              f"a title obtained at {TITLE_AGE} or older", column="title_date"))
    rule("specialty_series", ("specialty", "unit_type"),
         lambda d: ~_differs(d["specialty"].map(series_of_specialty),
                             d["specialty"].isin(codes.specialties), type_says(d, "series")),
         Rule(lambda v, row: f"specialty '{v}' is of the "
              f"{label('series', series_of_specialty[row['specialty']])} series, not of "
              f"{unit_type_label(row)}'s", "a specialty of the unit type's series",
              column="specialty"))
    rule("grassroots_agrees", ("grassroots", "unit_type"),
         lambda d: ~_differs(d["grassroots"], d["grassroots"].isin([True, False]),
                             type_says(d, "grassroots")),
         Rule(lambda v, row: f"'{v}' disagrees with unit type {unit_type_label(row)}",
              "the unit type's grassroots flag (population.unit_types.*.grassroots)",
              column="grassroots"))
    rule("series_agrees", ("series", "unit_type"),
         lambda d: ~_differs(d["series"], d["series"].isin(codes.series), type_says(d, "series")),
         Rule(lambda v, row: f"series '{v}' disagrees with unit type {unit_type_label(row)}",
              "the unit type's series (population.unit_types.*.series)", column="series"))
    rule("post_above_title", ("post_level", "level"),
         lambda d: ~(_rank(d["post_level"]) > _rank(d["level"])),
         Rule("a post at level '{value}' is above the title held",
              "a post at most at the title's level", column="post_level"))
    for column in UNIT_COLUMNS:
        rule(f"unit_{column}", ("unit", column),
             lambda d, c=column: ~_differs(d[c], d[f"_{c}_valid"], d[f"_unit_{c}"]),
             Rule(lambda v, row, c=column: f"unit '{row['unit']}' has {column_word(c)} "
                  f"'{row[f'_unit_{c}']}' at row {row[f'_unit_{c}_row']}, here '{v}'",
                  f"one {column_word(column)} per unit", column=column))
    return checks
