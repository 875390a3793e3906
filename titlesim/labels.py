"""The one table of labels: every metric, column, parameter and category value, in
Chinese (zh-CN, the default) and English, with the clause it comes from.

The table is ``titlesim/data/labels.csv`` (kind, key, zh, en, source); parameters are
labelled by key path, with ``*`` standing for any key of a table the user fills in
(``population.counties.*``).
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

LANGUAGES = ("zh", "en")


@lru_cache(maxsize=1)
def table() -> dict[tuple[str, str], dict[str, str]]:
    rows = {}
    with resources.files("titlesim").joinpath("data/labels.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows[(row["kind"], row["key"])] = row
    return rows


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    return lang


def label(kind: str, key, lang: str = "zh") -> str:
    """The label of ``key`` (a metric, a column, a category value ...) in ``lang``.

    >>> label("metric", "titled")
    '取得职称人数'
    >>> label("level", "deputy_senior", "en")
    'deputy senior'

    Keys not in the table (a county, a unit type a scenario adds) are shown as they are.
    """
    check_language(lang)
    row = table().get((kind, str(key)))
    return row[lang] if row else str(key)


def source(kind: str, key: str) -> str:
    row = table().get((kind, key))
    return row["source"] if row else ""


# one clause of the notice: part 一 or 二, item (一) to (五), as the notice numbers them
CLAUSE = re.compile(r"[一二三四五六七八九十]+[(（][一二三四五六七八九十]+[)）]")
# a source's clause and a note on its value (``一(三)；取值为假设``: the clause establishes the
# rule, the value itself is an assumption); the notes are ``source_note`` rows of the table
NOTE_MARK = "；"
VALUE_ASSUMED = "取值为假设"


def value_assumed(source: str) -> bool:
    """Whether a parameter's value is an assumption: its source is ``assumption``, or a
    clause whose note says the value is assumed (``一(三)；取值为假设``).

    >>> value_assumed("assumption"), value_assumed("一(三)；取值为假设"), value_assumed("一(三)")
    (True, True, False)
    """
    return source == "assumption" or source.partition(NOTE_MARK)[2] == VALUE_ASSUMED


def clause_label(source: str, lang: str = "zh") -> str:
    """A parameter's source as a reader of ``lang`` reads it: the notice's own clause
    numbers in Chinese, their English rendering (``clause`` rows of the table) in English.
    Several clauses run together (``一(二)一(三)``) are listed; anything else (the notice's
    number, ``assumption``) is looked up whole and shown as it is when not in the table.

    >>> clause_label("一(三)", "en"), clause_label("一(二)一(三)", "en")
    ('Part 1 (3)', 'Part 1 (2), Part 1 (3)')
    >>> clause_label("一(三)", "zh"), clause_label("assumption", "en")
    ('一(三)', 'assumption')

    A note on the value after ``；`` (the clause sets the rule, the value is assumed) is
    kept, in the reader's language:

    >>> clause_label("一(三)；取值为假设", "en")
    'Part 1 (3); value an assumption'
    """
    check_language(lang)
    if lang == "zh" or not source:
        return source
    clause, mark, note = source.partition(NOTE_MARK)
    if mark:  # 一(三)；取值为假设: the clause sets the rule, the note says how far the value is the notice's
        return f"{clause_label(clause, lang)}; {label('source_note', note, lang)}"
    if ("clause", source) in table():
        return label("clause", source, lang)
    parts = CLAUSE.findall(source)
    if parts and "".join(parts) == source:
        return ", ".join(label("clause", p.replace("（", "(").replace("）", ")"), lang) for p in parts)
    return source


def parameter_row(path: str) -> dict[str, str] | None:
    """The label row of a parameter key path; ``*`` in the table matches any one key.

    The most specific row wins: fewest ``*``, then ``*`` as far right as possible.

    >>> parameter_row("population.specialties.health.nursing")["key"]
    'population.specialties.*.*'
    """
    rows = table()
    if ("parameter", path) in rows:
        return rows[("parameter", path)]
    parts = path.split(".")
    matches = [pattern for pattern in _parameter_patterns().get(len(parts), ())
               if all(p in ("*", q) for p, q in zip(pattern, parts))]
    if not matches:
        return None
    best = min(matches, key=lambda pattern: (pattern.count("*"), [p == "*" for p in pattern]))
    return rows[("parameter", ".".join(best))]


@lru_cache(maxsize=1)
def _parameter_patterns() -> dict[int, list[tuple[str, ...]]]:
    by_length: dict[int, list[tuple[str, ...]]] = {}
    for kind, key in table():
        if kind == "parameter" and "*" in key:
            parts = tuple(key.split("."))
            by_length.setdefault(len(parts), []).append(parts)
    return by_length


def parameter_label(path: str, lang: str = "zh") -> str:
    row = parameter_row(path)
    return row[check_language(lang)] if row else path


# kinds of the table a ``*`` of a parameter's key path may stand for (a unit type ...)
STAR_KINDS = ("unit_type", "series", "level", "specialty", "county")


def parameter_name(path: str, lang: str = "zh") -> str:
    """A parameter's label that also names, in words, what each ``*`` of its row stands
    for: ten unit types share the label 副高级岗位比例, so it says whose.

    >>> parameter_name("posts.structure.township_health_centre.deputy_senior")
    '副高级岗位比例（乡镇卫生院）'
    >>> parameter_name("posts.structure.rural_school.deputy_senior", "en")
    'share of deputy senior posts (rural school)'
    >>> parameter_name("passline.ratio")
    '基层按比例合格比例'
    """
    row = parameter_row(path)
    if row is None:
        return path
    stars = [part for star, part in zip(row["key"].split("."), path.split(".")) if star == "*"]
    named = [next((table()[(kind, part)][check_language(lang)] for kind in STAR_KINDS
                   if (kind, part) in table()), part) for part in stars]
    if not named:
        return row[lang]
    return f"{row[lang]}（{'、'.join(named)}）" if lang == "zh" else \
        f"{row[lang]} ({', '.join(named)})"


def values(kind: str) -> dict[str, dict[str, str]]:
    """All keys of one kind, e.g. every level with its labels."""
    return {key: row for (k, key), row in table().items() if k == kind}


def code_for(kind: str, text: str) -> str | None:
    """Map a code or either label back to the code (``内科`` or ``internal medicine`` to
    ``internal_medicine``); None when unknown."""
    text = str(text).strip()
    for key, row in values(kind).items():
        if text in (key, row["zh"], row["en"]):
            return key
    return None
