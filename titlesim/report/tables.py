"""Tables on disk: ``tables/<name>.csv`` (codes, rounded numbers, the same bytes for the
same inputs) and ``tables.xlsx`` (one sheet per table with headers and category values in
the report's language, Chinese by default; the numbers are the CSV's, cell for cell), and
the labelled form the report shows."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from titlesim import tablefiles
from titlesim.report.model import Table
from titlesim.report.words import LABELLED_VALUES, caption, column_label, value_label

FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
# columns whose numbers the tables hold in words (a year beside 合计; a parameter's value
# among values that are words): number cells in the workbook
KEY_PATHS = "key_path_for_revisions"  # the header of a table's key paths (Table.key_paths)
NUMBERS_IN_WORDS = ("year", "value_label", "base_value", "revision_value")


def write_csv(table: Table, folder: Path) -> Path:
    path = Path(folder) / f"{table.name}.csv"
    tablefiles.write_csv(table.frame, path)
    return path


@dataclass(frozen=True)
class Banded:
    """A number as the report shows it: with its 90 % interval under it."""

    value: float
    lo: float
    hi: float


def banded_columns(frame: pd.DataFrame) -> list[str]:
    """The columns that have their interval beside them (``titled``, ``titled_lo``,
    ``titled_hi``)."""
    return [c for c in frame.columns if f"{c}_lo" in frame and f"{c}_hi" in frame]


def labelled(table: Table, lang: str, bands: bool = False) -> pd.DataFrame:
    """Codes replaced by labels, headers by column labels, the code columns kept for the
    CSV file only (``table.codes``) left out; numbers untouched. With ``bands`` (the HTML
    and Word tables), a column's interval bounds are folded into its cells (:class:`Banded`)."""
    if table.compare_table:
        from titlesim import labels
        from titlesim.compare.workbook import shown
        frame = shown(table.compare_table, table.frame, lang, table.names)
        return frame.drop(columns=[labels.label("column", c, lang) for c in table.codes
                                   if c in table.frame])
    frame = table.frame.drop(columns=[c for c in table.codes if c in table.frame])
    if table.key_paths in frame:  # last, under a header saying what they are for
        frame = frame[[c for c in frame.columns if c != table.key_paths] + [table.key_paths]]
        frame = frame.rename(columns={table.key_paths: KEY_PATHS})
    if bands:
        for column in banded_columns(frame):
            frame[column] = [Banded(*v) for v in zip(frame[column], frame[f"{column}_lo"],
                                                     frame[f"{column}_hi"])]
            frame = frame.drop(columns=[f"{column}_lo", f"{column}_hi"])
    dimensions = list(table.frame["dimension"]) if "dimension" in table.frame else None
    for column in frame.columns:
        if column == "group" and dimensions is not None:
            frame[column] = [value_label(d, g, lang) for d, g in zip(dimensions, frame[column])]
        elif column in ("dimension", "measure"):
            frame[column] = [column_label(v, lang) for v in frame[column]]
        elif column == "year" or column in LABELLED_VALUES:
            frame[column] = [value_label(column, v, lang) for v in frame[column]]
    frame.columns = [column_label(c, lang) for c in frame.columns]
    return frame


def sheet_names(tables: list[Table]) -> list[str]:
    """Sheet names from the tables' titles: at most 31 characters, unique (the contents
    sheet gives each whole title).

    >>> sheet_names([Table("a", "Applicants, exam takers, passes and titles", None)])
    ['Applicants, exam takers']
    """
    names, seen = [], set()
    for table in tables:
        base = _shortened(FORBIDDEN_IN_SHEET_NAMES.sub(" ", table.title).strip()) or table.name[:28]
        name, n = base, 1
        while name in seen:
            n += 1
            name = f"{base}-{n}"
        seen.add(name)
        names.append(name)
    return names


def _shortened(title: str, limit: int = 28) -> str:
    """``title`` cut to ``limit`` characters (room is left for a -2 suffix), at a space where
    a word would be cut (titles in English), before a bracket left open, without a dangling
    comma."""
    if len(title) <= limit:
        return title
    cut = title[:limit]
    space = cut.rfind(" ")
    if space >= limit // 2 and title[limit] != " ":
        cut = cut[:space]
    for opening, closing in (("(", ")"), ("（", "）")):
        if cut.count(opening) > cut.count(closing) and cut.rfind(opening) > 0:
            cut = cut[:cut.rfind(opening)]
    return cut.rstrip(" ,;:，、；：—-")


def write_workbook(tables: list[Table], path: Path, lang: str) -> None:
    """A contents sheet (sheet, title, CSV file, note), then one sheet per table."""
    names = sheet_names(tables)
    contents = pd.DataFrame({
        "sheet": names, "title": [t.title for t in tables],
        "file": [f"tables/{t.name}.csv" for t in tables], "note": [t.note for t in tables]})
    contents.columns = [column_label(c, lang) for c in contents.columns]
    headers = {column_label(c, lang) for c in NUMBERS_IN_WORDS}
    with tablefiles.excel_writer(path) as writer:
        contents_name = caption("report_table", "contents", lang)[:31]
        contents.to_excel(writer, sheet_name=contents_name, index=False)
        _format(writer.sheets[contents_name], [8, 40, 36, 60])
        for table, name in zip(tables, names):
            frame = labelled(table, lang)
            frame.to_excel(writer, sheet_name=name, index=False)
            _format(writer.sheets[name], [max(10, min(40, len(str(c)) * 2 + 2)) for c in frame.columns])
            tablefiles.numbers_as_numbers(writer.sheets[name], [
                i for i, c in enumerate(frame.columns, start=1) if c in headers])


def _format(sheet, widths: list[int]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    sheet.freeze_panes = "A2"
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.cell(row=1, column=i).font = Font(bold=True)
