"""The user's language: Chinese (zh) by default, English (en) on request.

Every sentence a user reads (help, messages, errors, progress, summaries) comes from one
catalogue, the CSV files ``titlesim/data/messages/*.csv`` (key, zh, en; one file per
area of the product, a key defined once across them all), through :func:`msg`. Labels of
metrics, columns, parameters and category values stay in ``labels.csv`` (:mod:`titlesim.labels`).

The language is, in order: the one set by :func:`set_language` (the CLI's ``--lang``), the
environment variable ``TITLESIM_LANG``, or Chinese. This module imports nothing heavy, so
``titlesim --help`` stays fast.

>>> set_language("en"); msg("error_prefix")
'titlesim: error'
>>> set_language("zh"); msg("error_prefix")
'titlesim：错误'
"""
from __future__ import annotations

import csv
import os
from functools import lru_cache
from importlib import resources

LANGUAGES = ("zh", "en")
ENV_VAR = "TITLESIM_LANG"
_chosen: str | None = None


def set_language(lang: str | None) -> None:
    """Choose the language for this process (``None`` goes back to the environment's)."""
    global _chosen
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    _chosen = lang


def current_language() -> str:
    if _chosen:
        return _chosen
    env = os.environ.get(ENV_VAR, "").strip().lower()
    return env if env in LANGUAGES else "zh"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    folder = resources.files("titlesim").joinpath("data/messages")
    for part in sorted(folder.iterdir(), key=lambda p: p.name):
        if not part.name.endswith(".csv"):
            continue
        with part.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["key"] in rows:
                    raise ValueError(f"message {row['key']!r} defined twice (again in {part.name})")
                rows[row["key"]] = row
    return rows


def msg(key: str, lang: str | None = None, **fields) -> str:
    """The sentence ``key`` in ``lang`` (default: :func:`current_language`), formatted
    with ``fields`` (``str.format`` placeholders in the catalogue)."""
    row = catalogue().get(key)
    if row is None:
        raise KeyError(f"no message {key!r} in data/messages/*.csv")
    text = row[lang or current_language()]
    return text.format(**fields) if fields else text
