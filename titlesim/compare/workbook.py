"""``compare.xlsx``: the comparison's tables for Excel users, one sheet per table, with
headers and category values in Chinese (or English) from the one label table, a unit on
every row that has one, and a sheet listing the scenarios and their provenance.

The numbers are those of the CSV files, cell for cell, but in the impact sheets: there
they are what the command's summary and the report show (counts of people whole, their
intervals whole, the difference that of the shown means), still numbers Excel computes with.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from titlesim import labels
from titlesim.compare.outcomes import definitions_in_words
from titlesim.paramdoc import ASSUMPTION
from titlesim.tablefiles import excel_writer

# table -> how its code values are shown (column -> label kind); "group" follows "dimension"
SHOWN = {
    "scenarios": {"role": "role"},
    "outcomes": {"outcome": "outcome", "unit": "unit", "over_horizon": "over_horizon",
                 "headline": "grassroots"},  # yes / no
    "diff": {},
    "impact": {"outcome": "outcome", "unit": "unit", "year": "year"},
    "impact_by_group": {"outcome": "outcome", "unit": "unit", "year": "year",
                        "dimension": "column"},
    "equity": {"rate": "outcome", "unit": "unit", "dimension": "column", "change": "change"},
}
GROUP_COLUMNS = ("group", "highest", "lowest")
# columns naming a scenario by its file name: shown by its title (the scenarios sheet keeps
# the file name beside the title, for the files)
SCENARIO_COLUMNS = {"diff": ("revision",), "impact": ("revision",),
                    "impact_by_group": ("revision",), "equity": ("scenario",)}
WIDTHS = {"key": 44, "label_zh": 26, "label_en": 30, "how": 60, "description": 40, "files": 50,
          "file_sha256": 30, "scenario_sha256": 30}


def sheet_name(table: str, lang: str) -> str:
    return labels.label("sheet", table, lang)[:31]


def shown(table: str, frame: pd.DataFrame, lang: str, titles: dict | None = None) -> pd.DataFrame:
    """Code values replaced by labels, scenarios' file names by their ``titles`` (file name
    -> title), headers by column labels; numbers untouched."""
    other = "label_en" if lang == "zh" else "label_zh"  # labels in the workbook's language only
    frame = frame.drop(columns=[other]) if other in frame else frame.copy()
    if table == "outcomes":  # metrics and cell filters in words, not the documented codes
        frame = definitions_in_words(frame, lang)
    for column in SCENARIO_COLUMNS.get(table, ()):
        if column in frame and titles:
            frame[column] = frame[column].map(lambda v: titles.get(v, v))
    if "dimension" in frame:  # a group is labelled by its dimension: unit_type -> 乡镇卫生院
        for column in (c for c in GROUP_COLUMNS if c in frame):
            frame[column] = [labels.label(d, g, lang) if isinstance(g, str) else g
                             for d, g in zip(frame["dimension"], frame[column])]
    for column, kind in SHOWN.get(table, {}).items():
        if column in frame:
            frame[column] = [labels.label(kind, v, lang) if isinstance(v, (str, bool, np.bool_)) else v
                             for v in frame[column]]
    if "source" in frame:
        frame["source"] = [ASSUMPTION[lang] if s == "assumption" else labels.clause_label(s, lang)
                           for s in frame["source"]]
    if "key" in frame:  # parameter values in words: 申报参加考试人数, not applied
        from titlesim.report.words import shown_value
        for column in ("base_value", "revision_value"):
            if column in frame:
                frame[column] = [shown_value(k, v, lang) if isinstance(v, str) else v
                                 for k, v in zip(frame["key"], frame[column])]
    frame.columns = [labels.label("column", c, lang) for c in frame.columns]
    return frame


def write_workbook(tables: dict[str, pd.DataFrame], path: Path, lang: str = "zh",
                   titles: dict | None = None) -> None:
    """One sheet per table; ``titles`` (file name -> title) names the scenarios."""
    other = "label_en" if lang == "zh" else "label_zh"
    with excel_writer(path) as writer:
        for table, frame in tables.items():
            name = sheet_name(table, lang)
            shown(table, frame, lang, titles).to_excel(writer, sheet_name=name, index=False)
            kept = [c for c in frame.columns if c != other]
            _format(writer.sheets[name], kept)
            _people_whole(writer.sheets[name], frame[kept])


PEOPLE_UNITS = ("persons", "sittings")


def _people_whole(sheet, frame: pd.DataFrame) -> None:
    """Rows counting people (or sittings) show whole numbers with thousands separated."""
    if "unit" not in frame:
        return
    numbers = [i for i, c in enumerate(frame.columns) if c != "year" and _numbers(frame[c])]
    for row, unit in enumerate(frame["unit"], start=2):
        if unit in PEOPLE_UNITS:
            for i in numbers:
                sheet.cell(row=row, column=i + 1).number_format = "#,##0"


def _numbers(column: pd.Series) -> bool:
    """A column of numbers (whole numbers and decimals mixed, as the impact sheets hold)."""
    if pd.api.types.is_numeric_dtype(column):
        return not pd.api.types.is_bool_dtype(column)
    return column.map(lambda v: isinstance(v, (int, float, np.number))
                      and not isinstance(v, (bool, np.bool_))).all()


def _format(sheet, columns: list[str]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    sheet.freeze_panes = "A2"
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = WIDTHS.get(column, 14)
        sheet.cell(row=1, column=i).font = Font(bold=True)
