"""Personal identifiers never leave the reading of the roster.

Each person is known by a salted hash of their identifier: the 身份证号 (ID-card number),
else the 人员编号 (the bureau's staff number), else 姓名 + 出生年月 + 单位 (name, birth and
unit). The identifier columns are dropped as soon as the hash is made; the hash itself
is used only to find duplicates and to order people, and the engine's person ids are
the ranks 0, 1, 2 ... of the hashes. No name, number or hash is stored or written out.

The salt is the environment variable ``TITLESIM_ROSTER_SALT`` if set, else the
scenario's ``population.roster_salt``. The same roster with the same salt gives the same
person ids, hence the same random draws (common random numbers) in every run.
"""
from __future__ import annotations

import hashlib
import os

import pandas as pd

from titlesim.errors import InputError, Problem
from titlesim.roster.columns import BY_NAME, IDENTIFIERS

SALT_VARIABLE = "TITLESIM_ROSTER_SALT"


def given_salt(params) -> str | None:
    """The salt for this scenario, if one is given (the environment's first)."""
    return os.environ.get(SALT_VARIABLE) or params.population.roster_salt or None


def missing_salt(file: str | None = None, line: int | None = None) -> Problem:
    """A roster without a salt, said in ``file`` at ``line`` (where the roster is named;
    the scenario loader knows them)."""
    return Problem(
        "a roster needs a salt for its hashed person ids", file=file, line=line,
        key="population.roster_salt",
        expected=f"population.roster_salt in the scenario, or the environment variable "
                 f"{SALT_VARIABLE}",
        hint="any text kept by the bureau; the same salt gives the same person ids")


def roster_salt(params) -> str:
    """The salt for this scenario; an :class:`InputError` says how to give one (the
    scenario loader refuses a scenario naming a roster without one, at its file and line)."""
    salt = given_salt(params)
    if not salt:
        raise InputError(missing_salt())
    return salt


def identifier_text(frame: pd.DataFrame) -> tuple[pd.Series, str]:
    """The text each person is known by, and which column(s) it comes from. ``frame``
    holds the roster's text with internal column names."""
    for name in IDENTIFIERS[:2]:
        if name in frame:
            text = frame[name].fillna("").str.strip().str.upper()
            return text, BY_NAME[name].header
    parts = [frame[c].fillna("").str.strip() for c in ("name", "birth", "unit") if c in frame]
    text = parts[0]
    for part in parts[1:]:
        text = text + "\x1f" + part
    text = text.where(frame["name"].fillna("").str.strip() != "", "")
    return text, "姓名 + 出生年月 + 单位"


def salted_hashes(text: pd.Series, salt: str) -> pd.Series:
    """SHA-256 of salt and identifier, hex; empty where the identifier is empty."""
    prefix = salt.encode("utf-8") + b"\x1e"
    return text.map(lambda t: hashlib.sha256(prefix + t.encode("utf-8")).hexdigest() if t else "")


def drop_identifiers(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[c for c in IDENTIFIERS if c in frame])
