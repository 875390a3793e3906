"""A table file (CSV in UTF-8 or GBK, or XLSX) as text cells, indexed by the row number
the spreadsheet shows (the header is row 1), with its headers mapped to internal names."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd

from titlesim.errors import InputError, Problem
from titlesim.scorelist import read_records  # the one reader of CSV/XLSX tables


def read_text_table(path: Path, column_for: Callable[[str], str | None], what: str,
                    shown: Callable[[str], str] = str):
    """``(frame, headers, ignored, format, problems)``: the cells as text (None where
    empty; empty rows skipped) under internal column names; the file's header of each
    column; the headers not used; the format read; problems of the header row.
    ``shown(name)`` is how a column is named in a problem when the file has no header."""
    file = str(path)
    if not path.exists():
        raise InputError(Problem(f"{what} file not found", file=file))
    if path.is_dir():
        raise InputError(Problem(f"is a folder, not a {what}", file=file))
    records, fmt = read_records(path)
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
    return frame, headers, ignored, fmt, problems
