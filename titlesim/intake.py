"""The one reader of tables that come from other offices: score lists, rosters, observed counts.

A table is a CSV file (UTF-8, UTF-8 with BOM, UTF-16 with BOM or GBK; comma- or
tab-separated, as Excel's "Unicode 文本" export is), an ``.xlsx``
workbook (the sheet whose row 1 has the most known headers: a 说明 page is passed over;
merged cells filled from their top-left cell) or a Parquet file. It is read as text cells, row 1 the header,
the rows numbered as the spreadsheet shows them. The guards live here once:

- only a regular file of a known kind, at most :data:`MAX_BYTES` (a FIFO, a device or a
  folder is refused before it is opened);
- a workbook cell holding a formula with no saved value is a problem at its row and
  column (it is not read as empty: the value is unknown, not absent);
- headers match in Chinese or English, in any case, with or without spaces, underscores
  or full-width brackets (:func:`normalise_header`, the one header normaliser);
- yes/no words (是/否, yes/no, true/false, 1/0, y/n) read the same everywhere (:func:`yes_no`).

Each kind of table then checks its rows with pandera where it fits
(:mod:`titlesim.roster.problems`), naming row, column, value and what was expected.

>>> normalise_header(" Person_ID "), normalise_header("县(市、区)")
('personid', '县（市、区）')
"""
from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from titlesim.errors import InputError, Problem
from titlesim.i18n import foreign, msg

MAX_BYTES = 512 * 2**20  # a score list of a whole province is a few tens of MB
SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".parquet")
YES = frozenset({"是", "yes", "true", "1", "y"})
NO = frozenset({"否", "no", "false", "0", "n"})
MAX_FORMULA_PROBLEMS = 20


def normalise_header(text) -> str:
    """Headers compare without surrounding or inner spaces, underscores, case or bracket style."""
    text = str(text).strip().lower().replace("(", "（").replace(")", "）")
    return re.sub(r"[\s_]+", "", text)


def header_index(accepted: dict[str, "tuple[str, ...] | list[str]"]) -> Callable[[str], str | None]:
    """``column_for(header)`` from ``{name: accepted headers}`` (the name itself is accepted)."""
    index = {normalise_header(h): name for name, headers in accepted.items()
             for h in (*headers, name)}
    return lambda header: index.get(normalise_header(header))


def label_headers(names) -> Callable[[str], str | None]:
    """``column_for(header)`` for columns named by their code or their Chinese or English
    label in the label table (``labels.csv``, kind ``column``)."""
    from titlesim.labels import values
    rows = values("column")
    return header_index({n: [rows[n]["zh"], rows[n]["en"]] if n in rows else [] for n in names})


def yes_no(text):
    """True for a yes word, False for a no word, the text itself otherwise (None stays None)."""
    if text is None:
        return None
    word = str(text).strip().lower()
    return True if word in YES else False if word in NO else text


def format_words(fmt: str) -> str:
    """The format read (``csv (GBK)``, ``xlsx``), as the user is told it: in Chinese
    ``CSV，GBK 编码``; the provenance keeps the code."""
    found = re.fullmatch(r"(csv|tsv) \((.+)\)", fmt)
    if found:
        return msg(f"intake.format_{found.group(1)}",
                   encoding=msg(f"intake.encoding.{found.group(2)}"))
    return msg(f"intake.format_{fmt}")


# ------------------------------------------------------------------------------ reading
@dataclass
class Records:
    """A table's rows as text (row 1 first), the format read and, for a workbook, the
    sheet read and its cells whose value is unknown (formulas without a saved value; read
    as empty). :meth:`problems_with` puts those together with the problems the rows'
    checks found, so that a file's every problem is told at once."""

    rows: list[list[str]]
    format: str
    sheet: str | None = None
    unknown: list[Problem] = field(default_factory=list)  # one per formula cell, in order
    unknown_cells: set[tuple[int, str]] = field(default_factory=set)  # (row, header)
    sheets: list[str] = field(default_factory=list)  # a workbook's sheets, in order

    def problems_with(self, problems: list[Problem]) -> list[Problem]:
        """The formula cells' problems and ``problems`` (the rows' checks), minus what those
        checks said about a formula cell (its value is unknown, not empty), by row; each
        problem of this file names the sheet it is on."""
        found = [p for p in problems if (p.line, p.key) not in self.unknown_cells]
        shown = self.unknown[:MAX_FORMULA_PROBLEMS]
        more = ([Problem(msg("table_more_formulas", count=len(self.unknown) - len(shown)),
                         file=shown[0].file)] if len(self.unknown) > len(shown) else [])
        at_rows = sorted([p for p in [*shown, *found] if p.line is not None], key=lambda p: p.line)
        rest = [p for p in [*found, *more] if p.line is None]
        return [self._on_sheet(p) for p in at_rows + rest + self._sheet_chosen(at_rows)]

    def _sheet_chosen(self, problems: list[Problem]) -> list[Problem]:
        """With a problem of the header, which sheet of a workbook of several was read."""
        if len(self.sheets) < 2 or not any(p.line == 1 for p in problems):
            return []
        return [Problem(msg("table_sheet_read", sheet=self.sheet, sheets="、".join(
            f"“{name}”" for name in self.sheets)), file=problems[0].file,
            hint=msg("table_sheet_hint"))]

    def _on_sheet(self, problem: Problem) -> Problem:
        if self.sheet is None or problem.sheet is not None or problem.line_word != "row":
            return problem
        return replace(problem, sheet=self.sheet)


def read_table_records(path, what: str = "table",
                       column_for: Callable[[str], str | None] | None = None) -> Records:
    """All rows of the file as text, row 1 first, with what could not be read in them;
    of a workbook, the sheet with the most headers ``column_for`` knows."""
    path = Path(path)
    file = str(path)
    _check_file(path, what)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _workbook_records(path, column_for)
    if suffix == ".parquet":
        return Records(_parquet_records(path), "parquet")
    text, encoding = _decode(path.read_bytes(), file)
    kind, delimiter = ("tsv", "\t") if _tab_separated(text) else ("csv", ",")
    try:
        return Records([[c.strip() for c in rec]
                        for rec in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)],
                       f"{kind} ({encoding})")
    except csv.Error as exc:
        raise InputError(Problem(f"not a readable CSV table ({exc})", file=file)) from None


def _check_file(path: Path, what: str) -> None:
    file = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(Problem("file not found", file=file)) from None
    except OSError as exc:
        raise InputError(Problem(msg("file_unreadable", reason=foreign(exc.strerror or "?")), file=file)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(Problem(f"is a folder, not a {what}", file=file))
    if not stat.S_ISREG(info.st_mode):
        raise InputError(Problem(msg("table_not_regular"), file=file))
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(Problem(f"cannot read a '{suffix or 'no extension'}' file", file=file,
                                 expected="a .csv, .xlsx or .parquet file (save an .xls as .xlsx)"))
    if info.st_size > MAX_BYTES:
        raise InputError(Problem(msg("table_too_big", limit=MAX_BYTES // 2**20), file=file))
    if not os.access(path, os.R_OK):
        raise InputError(Problem(msg("file_unreadable", reason="permission denied"), file=file))


# what a file that is not text is, by its first bytes (a workbook saved under a .csv name)
NOT_TEXT = ((b"PK\x03\x04", "intake_is_xlsx"), (b"\xd0\xcf\x11\xe0", "intake_is_xls"))


def _decode(raw: bytes, file: str) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK.
    A workbook or other binary file under a text name is named for what it is."""
    kind = next((key for magic, key in NOT_TEXT if raw.startswith(magic)), None)
    if kind is None and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            and b"\x00" in raw[:4096]:
        kind = "intake_is_binary"  # GBK would read it as characters without complaint
    if kind is not None:
        line = raw[:raw.find(b"\x00")].count(b"\n") + 1 if kind == "intake_is_binary" else None
        raise InputError(Problem(msg(kind), file=file, hint=msg(f"{kind}_hint"), line=line,
                                 line_word="row"))  # where the first zero byte is
    candidates = ([("utf-8-sig", "UTF-8 with BOM")] if raw.startswith(codecs.BOM_UTF8) else
                  [("utf-16", "UTF-16")] if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
                  else [("utf-8", "UTF-8"), ("gb18030", "GBK")])
    for codec, name in candidates:
        try:
            return raw.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise InputError(Problem("cannot read the text", file=file,
                             expected="a CSV file saved as UTF-8 or GBK, or an .xlsx workbook"))


def _tab_separated(text: str) -> bool:
    """Whether the text's header line is separated by tabs, not commas (Excel's "Unicode
    文本" export: UTF-16 with a byte-order mark, tab-separated)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    return header.count("\t") > header.count(",")


def cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 2022 and 60 as floats
    return "" if value is None else str(value).strip()


def _workbook_records(path: Path, column_for: Callable[[str], str | None] | None = None) -> Records:
    """The values of the sheet whose row 1 holds the most headers ``column_for`` knows
    (the first sheet on a tie, or without ``column_for``): a 说明 page before the data is
    passed over. A formula is read as the value Excel saved with it; a formula without
    one (written by a program, never opened in Excel) is a problem at its cell, and the
    cell is read as empty. Merged cells are filled from their top-left cell
    (:func:`fill_merged`)."""
    import openpyxl
    file = str(path)
    try:
        values_book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formula_book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InputError(Problem(f"cannot open the workbook ({exc})", file=file)) from None
    try:
        chosen = _data_sheet(values_book.worksheets, column_for)
        sheet = values_book.worksheets[chosen].title
        sheets = [w.title for w in values_book.worksheets]
        merged = _merged_ranges(path, values_book.worksheets[chosen])
        values = values_book.worksheets[chosen].iter_rows(values_only=True)
        formulas = formula_book.worksheets[chosen].iter_rows(values_only=True)
        rows, problems, cells = [], [], set()
        for number, (row, raw) in enumerate(zip(values, formulas), start=1):
            for column, (value, source) in enumerate(zip(row, raw), start=1):
                if value is None and isinstance(source, str) and source.startswith("="):
                    problems.append(Problem(msg("table_formula_no_value"), file=file,
                                            key=_column_name(rows, column), line=number,
                                            line_word="row", sheet=sheet,
                                            expected=msg("table_formula_expected")))
                    header = rows[0][column - 1] if rows and column <= len(rows[0]) else ""
                    cells.add((number, header))
            rows.append([cell_text(v) for v in row])
    finally:
        values_book.close()
        formula_book.close()
    return Records(fill_merged(rows, merged), "xlsx", sheet, problems, cells, sheets)


def _data_sheet(worksheets, column_for) -> int:
    """The index of the sheet whose row 1 has the most known headers (first on a tie)."""
    if column_for is None or len(worksheets) < 2:
        return 0

    def known(sheet) -> int:
        first = next(sheet.iter_rows(max_row=1, values_only=True), ())
        return len({column_for(cell_text(v)) for v in first if v is not None} - {None})
    counts = [known(w) for w in worksheets]
    return counts.index(max(counts))


def _merged_ranges(path: Path, worksheet) -> list[tuple[int, int, int, int]]:
    """``(first row, first column, last row, last column)`` of each merged range of the
    sheet (1-based), read from its XML: openpyxl's read-only sheets do not give them."""
    import zipfile
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries
    part = getattr(worksheet, "_worksheet_path", None)  # the sheet's part in the package
    if part is None:
        return []
    ranges = []
    with zipfile.ZipFile(path) as package, package.open(part) as xml:
        for _, element in iterparse(xml):
            if element.tag.endswith("}mergeCell") and element.get("ref"):
                first_col, first_row, last_col, last_row = range_boundaries(element.get("ref"))
                ranges.append((first_row, first_col, last_row, last_col))
            element.clear()
    return ranges


def fill_merged(rows: list[list[str]], ranges) -> list[list[str]]:
    """The rows with each merged range's cells holding its top-left cell's text, as a
    reader sees the sheet (one 单位 written across several rows belongs to each of them;
    docs/guide.md). ``ranges``: ``(first row, first column, last row, last column)``, 1-based.

    >>> fill_merged([["单位", "姓名"], ["甲院", "王一"], ["", "李二"]], [(2, 1, 3, 1)])
    [['单位', '姓名'], ['甲院', '王一'], ['甲院', '李二']]
    """
    for first_row, first_col, last_row, last_col in ranges:
        if first_row > len(rows):
            continue
        top = rows[first_row - 1]
        text = top[first_col - 1] if first_col <= len(top) else ""
        for r in range(first_row, min(last_row, len(rows)) + 1):
            row = rows[r - 1]
            row.extend([""] * (last_col - len(row)))
            row[first_col - 1:last_col] = [text] * (last_col - first_col + 1)
    return rows


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(n)


def _column_name(rows: list[list[str]], n: int) -> str:
    """Column ``n`` (1-based) as people find it: its header in row 1 and its letter
    (成绩 (C)), or the letter alone where row 1 has none (or is the row read)."""
    letter = _column_letter(n)
    header = rows[0][n - 1] if rows and n <= len(rows[0]) else ""
    return f"{header} ({letter})" if header else letter


def _parquet_records(path: Path) -> list[list[str]]:
    """A Parquet table's rows as text, its column names first (as a CSV would read)."""
    import pyarrow.parquet as pq
    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several kinds for a damaged file
        raise InputError(Problem(f"cannot read the Parquet file ({exc})", file=str(path))) from None
    columns = [["" if v != v else cell_text(v) for v in column.to_pylist()]  # NaN: empty
               for column in table.columns]
    return [list(table.column_names), *(list(row) for row in zip(*columns))]


def read_text_table(path, column_for: Callable[[str], str | None], what: str,
                    shown: Callable[[str], str] = str):
    """``(frame, headers, ignored, records, problems)``: the cells as text (None where
    empty; empty rows skipped) under internal column names, indexed by the row number the
    spreadsheet shows (the header is row 1); the file's header of each column; the
    headers not used; the :class:`Records` read (its ``format``, and its
    ``problems_with`` that a reader calls on the rows' problems to tell them all with
    the formula cells); problems of the header row. ``shown(name)`` is how a column is
    named in a problem when the file has no header."""
    import pandas as pd
    path = Path(path)
    file = str(path)
    if not path.exists() and not path.is_symlink():
        raise InputError(Problem(f"{what} file not found", file=file))
    read = read_table_records(path, what, column_for)
    records = read.rows
    if not records or not any(records[0]):
        raise InputError(Problem("row 1 must hold the column names", file=file, line=1,
                                 line_word="row"))
    headers, position, ignored, problems = {}, {}, [], []
    for i, text in enumerate(records[0]):
        name = column_for(text) if text else None
        if name is None:
            if text:
                ignored.append(text)
        elif name in headers:
            problems.append(Problem(f"columns '{headers[name]}' and '{text}' both give "
                                    f"{shown(name)}", file=file, line=1, line_word="row"))
        else:
            headers[name], position[name] = text, i
    body = [(n, rec) for n, rec in enumerate(records[1:], start=2) if any(rec)]
    frame = pd.DataFrame({name: [rec[i] if i < len(rec) else "" for _, rec in body]
                          for name, i in position.items()},
                         index=pd.Index([n for n, _ in body], name="row"), dtype=object)
    frame = frame.map(lambda v: (v.strip() or None) if isinstance(v, str) else None)
    if not body:
        problems.append(Problem("no rows below the header", file=file, line=2, line_word="row"))
    return frame, headers, ignored, read, problems
