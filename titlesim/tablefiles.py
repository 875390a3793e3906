"""Writing the tables staff open in Excel or WPS: text that can never run as a formula.

Text in titlesim's outputs can come from files sent by other offices (a county named
``=cmd|' /C calc'!A0``, a person id, a scenario's description). A spreadsheet program
runs a CSV field that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
as a formula, so every text field written here is neutralised by OWASP's rule: such a
field gets a leading apostrophe (``'=cmd...``), which the program shows as text. Text
that is a plain number (``-0.5``) is left as it is. In a workbook every text value is a
string cell, never a formula, whatever it begins with.

Every CSV and XLSX output of every command is written through this module. A CSV file
is UTF-8 with a byte-order mark (:data:`ENCODING`): Excel in a Chinese Windows takes a CSV
without one for GBK and garbles its Chinese; with it, Excel, WPS, pandas, Arrow and
titlesim's own readers (:mod:`titlesim.intake`) all read the file as UTF-8.

>>> neutralise("=HYPERLINK(\\"http://evil.example/\\")"), neutralise("-0.5"), neutralise("内科")
('\\'=HYPERLINK("http://evil.example/")', '-0.5', '内科')
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark, for Excel
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def neutralise(text):
    """``text`` made safe to open in a spreadsheet (anything that is not text unchanged)."""
    if isinstance(text, str) and text.startswith(TRIGGERS) and not _NUMBER.match(text):
        return "'" + text
    return text


def needs_neutralising(text) -> bool:
    return neutralise(text) is not text


def neutral_frame(frame):
    """A copy of ``frame`` whose text values, category names and headers are neutralised
    (numbers untouched); ``frame`` itself when nothing needs it (no copy)."""
    import pandas as pd
    changes = {}
    for column in frame.columns:
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            categories = series.cat.categories
            if any(map(needs_neutralising, categories)):
                changes[column] = series.cat.rename_categories([neutralise(c) for c in categories])
        elif series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            if series.map(needs_neutralising, na_action="ignore").fillna(False).astype(bool).any():
                changes[column] = series.map(neutralise, na_action="ignore")
    renamed = {c: neutralise(c) for c in frame.columns if needs_neutralising(c)}
    if not changes and not renamed:
        return frame
    out = frame.copy()
    for column, values in changes.items():
        out[column] = values
    return out.rename(columns=renamed)


def write_csv(frame, path: Path, **options) -> None:
    """``frame.to_csv`` with neutralised text; ``index=False``, ``\\n`` line ends and
    UTF-8 with a byte-order mark unless ``options`` say otherwise."""
    options = {"index": False, "lineterminator": "\n", "encoding": ENCODING, **options}
    neutral_frame(frame).to_csv(path, **options)


def write_rows(path: Path, header: list, rows) -> None:
    """A CSV of already formatted text rows (``csv.writer``), neutralised."""
    import csv
    with Path(path).open("w", encoding=ENCODING, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([neutralise(h) for h in header])
        writer.writerows([neutralise(v) for v in row] for row in rows)


@contextmanager
def excel_writer(path: Path):
    """``pandas.ExcelWriter`` (openpyxl) whose workbook, when the block ends, holds no
    formula: every cell openpyxl took for one (text beginning with ``=``) is made a
    string cell showing that text."""
    import pandas as pd
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        yield writer
        strings_not_formulas(writer.book)


_SHOWN_WHOLE = re.compile(r"^-?\d+$")
_SHOWN_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+$")
_SHOWN_DECIMAL = re.compile(r"^-?\d+\.\d+$")
NUMBER_FORMATS = {"whole": "0", "grouped": "#,##0"}  # a decimal: as many places as shown


def shown_number(text) -> tuple[float | int, str] | None:
    """A number as titlesim shows it in words (``2022``, ``40,000``, ``0.5``) read back,
    with the Excel number format that shows it the same way; None for any other value.

    >>> shown_number("2022"), shown_number("40,000"), shown_number("0.5"), shown_number("合计")
    ((2022, '0'), (40000, '#,##0'), (0.5, '0.0'), None)
    """
    if not isinstance(text, str):
        return None
    if _SHOWN_WHOLE.match(text):
        return int(text), NUMBER_FORMATS["whole"]
    if _SHOWN_GROUPED.match(text):
        return int(text.replace(",", "")), NUMBER_FORMATS["grouped"]
    if _SHOWN_DECIMAL.match(text):
        return float(text), "0." + "0" * len(text.partition(".")[2])
    return None


def numbers_as_numbers(sheet, columns) -> int:
    """In the ``columns`` (1-based) of an openpyxl sheet, below the header, every text cell
    that shows a number (a year, a parameter's value in words) becomes a number cell with
    a number format that shows it as before, so that Excel sorts and computes with it; any
    other text stays text. A number cell is never a formula. The count changed."""
    count = 0
    for column in columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            found = shown_number(cell.value) if cell.data_type == "s" else None
            if found:
                cell.value, cell.number_format = found
                count += 1
    return count


def strings_not_formulas(book) -> int:
    """Turn every formula cell of an openpyxl workbook into a string cell; the count."""
    count = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    cell.quotePrefix = True  # Excel keeps it text even when edited
                    count += 1
    return count
