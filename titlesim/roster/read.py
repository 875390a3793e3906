"""Read a roster file (CSV in UTF-8 or GBK, or XLSX) and check every row.

:func:`read_roster` returns the checked roster with codes in place of labels and a salted
hash in place of the identifiers, or raises one :class:`~titlesim.errors.InputError`
listing every problem of the file (row, column, value, what was expected). Nothing is
imported in part.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from titlesim.errors import Problem
from titlesim.intake import read_text_table
from titlesim.people import Codebook
from titlesim.roster import privacy
from titlesim.roster.columns import BY_NAME, IDENTIFIERS, column_for
from titlesim.roster.problems import MAX_SHOWN, raise_if_any, validate
from titlesim.roster.schema import normalise, roster_schema

KEPT = ("row", "unit", "county", "unit_type", "specialty", "level", "post_level", "education",
        "sex", "title_year", "birth_year", "papers", "establishment", "person_key")


@dataclass
class Roster:
    """A checked roster: one row per person, no identifier. ``rows`` has the columns of
    :data:`KEPT` (codes; years as numbers; NaN or None where the roster left a cell
    empty or had no such column; ``person_key`` the salted hash)."""

    rows: pd.DataFrame
    format: str
    identifier: str  # which column(s) told people apart
    ignored: list[str] = field(default_factory=list)  # headers titlesim does not use


def read_table(path: Path):
    """The roster's cells (see :func:`~titlesim.intake.read_text_table`) and the
    problems of its header, including a missing identifier column."""
    frame, headers, ignored, records, problems = read_text_table(
        path, column_for, "roster", lambda name: BY_NAME[name].header)
    if not any(name in headers for name in IDENTIFIERS):
        problems.append(Problem("no column tells people apart", file=str(path), line=1,
                                line_word="row", expected="a column headed 身份证号, 人员编号 or 姓名"))
    return frame, headers, ignored, records, problems


def read_roster(path, params, salt: str | None = None,
                max_shown: int | None = MAX_SHOWN) -> Roster:
    """Read and check ``path`` under the scenario ``params``. ``salt`` None: a throw-away
    salt (enough to find duplicates; a simulation passes the scenario's salt).
    ``max_shown``: rows listed per column and problem (None: all)."""
    path = Path(path)
    if salt is None or not path.is_file():
        return _read_checked(path, params, secrets.token_hex(16), max_shown)
    # by what the file holds, not by its size and time: a roster saved again within the
    # file system's time resolution (or copied keeping its time) with as many bytes
    # would otherwise be served as it was
    key = (str(path.resolve()), hashlib.sha256(path.read_bytes()).hexdigest(), salt,
           params.model_dump_json(include={"population", "horizon"}))
    if key not in _CACHE:  # calibration prepares the same roster many times
        _CACHE.clear()
        _CACHE[key] = _read_checked(path, params, salt)
    return _CACHE[key]


_CACHE: dict[tuple, Roster] = {}


def _read_checked(path: Path, params, salt: str, max_shown: int | None = MAX_SHOWN) -> Roster:
    file = str(path)
    raw, headers, ignored, records, problems = read_table(path)
    key, identifier = privacy.identifier_text(raw) if any(i in raw for i in IDENTIFIERS) \
        else (pd.Series(None, index=raw.index, dtype=object), "")
    raw = privacy.drop_identifiers(raw)
    frame = normalise(raw, params)
    frame["person_key"] = privacy.salted_hashes(key.fillna(""), salt).replace("", None)
    first = frame.index.to_series(index=frame.index).groupby(frame["person_key"]).transform("min")
    frame["_person_row"] = first.astype("Int64")
    shown = {c.name: c.header for c in BY_NAME.values()} | headers
    shown["person_key"] = identifier or "身份证号"
    schema, rules = roster_schema(params, Codebook.from_scenario(params), set(raw.columns),
                                  identifier)
    if not any(i in headers for i in IDENTIFIERS):
        frame = frame.drop(columns="person_key")
    problems += validate(schema, frame, raw, rules, shown, file, max_shown)
    raise_if_any(records.problems_with(problems))
    rows = frame.reset_index().reindex(columns=list(KEPT))
    return Roster(rows, records.format, identifier, ignored)


__all__ = ["Roster", "read_roster", "read_table"]
