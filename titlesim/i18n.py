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
import re
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources

LANGUAGES = ("zh", "en")
_HAN = re.compile(r"[\u4e00-\u9fff]")
ENV_VAR = "TITLESIM_LANG"
_chosen: str | None = None


def set_language(lang: str | None) -> None:
    """Choose the language for this process (``None`` goes back to the environment's)."""
    global _chosen
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    _chosen = lang


@contextmanager
def language(lang: str | None):
    """Within the block, the language is ``lang`` (as :func:`set_language`); after it,
    exactly what was chosen before (``None`` included: the environment's again)."""
    global _chosen
    before = _chosen
    set_language(lang)
    try:
        yield
    finally:
        _chosen = before


def chosen_language() -> str | None:
    """The language the user asked for (``--lang``, then ``TITLESIM_LANG``), or None."""
    if _chosen:
        return _chosen
    env = os.environ.get(ENV_VAR, "").strip().lower()
    return env if env in LANGUAGES else None


def current_language() -> str:
    return chosen_language() or "zh"


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


def problem_text(text: str, lang: str | None = None) -> str:
    """A problem's sentence in ``lang``: the code writes it in English; the catalogue's
    ``problem:`` rows give its Chinese, their ``{field}`` parts matching any text.

    >>> problem_text("unknown key 'passline.ratoi'", "zh")
    '未知的键“passline.ratoi”'
    """
    if (lang or current_language()) == "en":
        return text
    for pattern, zh in _problem_patterns():
        found = pattern.fullmatch(text)
        if found:
            return zh.format(**{k: (foreign if k == "reason" else problem_text)(v, lang)
                                for k, v in found.groupdict().items()})
    return text


def foreign(text: str, lang: str | None = None) -> str:
    """Another library's words (PyYAML, openpyxl, pyarrow, the system's "Permission
    denied") passed on as the reason of a problem, in ``lang``: the catalogue's
    ``problem:`` rows give the Chinese of those we know; in Chinese, one we do not know is
    not shown (it would be English) but pointed to (``--lang en`` shows it).

    >>> foreign("Permission denied", "zh"), foreign("Permission denied", "en")
    ('没有权限', 'Permission denied')
    >>> foreign("some new library message", "zh")
    '原因的原文为英文，加 --lang en 可查看'
    """
    text = str(text)
    if (lang or current_language()) == "en":
        return text
    chinese = problem_text(text, lang)
    return chinese if _HAN.search(chinese) else msg("detail.in_english", lang)


@lru_cache(maxsize=1)
def _problem_patterns() -> list:
    import string
    patterns = []
    for key, row in catalogue().items():
        if not key.startswith("problem:"):
            continue
        parts = list(string.Formatter().parse(row["en"]))
        regex = "".join(re.escape(literal) + (f"(?P<{field}>.+?)" if field else "")
                        for literal, field, _, _ in parts)
        literal = sum(len(p[0]) for p in parts)
        patterns.append((literal, re.compile(regex, re.DOTALL), row["zh"]))
    # the longest fixed text first: the most specific sentence wins
    return [(pattern, zh) for _, pattern, zh in sorted(patterns, key=lambda p: -p[0])]
