"""The report's words: headings, column names and sentence templates, all from the one
label table (``titlesim/data/labels.csv``), and numbers written for people.

Kinds used here: ``report_section`` (headings), ``report_table`` and ``report_figure``
(captions), ``report_column`` (derived columns such as ``pass_rate``), ``report_text``
(sentence templates with ``{named}`` blanks, filled from the numbers by the section
builders; where the numbers decide the wording, there is one template per case, e.g.
``trend_rises``, ``trend_falls``, ``trend_steady``).

>>> trend("titled", 100, 80, 2022, 2031, "en")
'Titled falls from 100 in 2022 to 80 in 2031.'
"""
from __future__ import annotations

import datetime as _dt
import math

from titlesim import labels

IDENTIFIERS = ("seed",)  # whole numbers that name rather than count: never grouped
GROUP_KINDS = ("series", "level", "county", "unit_type", "specialty", "grassroots")
# columns whose values are codes of the label table's kind of the same name
LABELLED_VALUES = GROUP_KINDS + ("role", "outcome", "unit", "change")
# kinds of the label table a parameter's text value may be a code of
CATEGORY_KINDS = ("unit_type", "specialty", "series", "level", "education", "county", "column")
# relative changes smaller than this are described as "about the same" (wording only)
STEADY = 0.05


def say(key: str, lang: str, **values) -> str:
    """One sentence of the report, its blanks filled with ``values``."""
    template = labels.label("report_text", key, lang)
    if template == key:
        raise KeyError(f"no report_text {key!r} in the label table")
    return template.format(**values)


def section_title(key: str, lang: str) -> str:
    return labels.label("report_section", key, lang)


def caption(kind: str, key: str, lang: str) -> str:
    """The title of a table (``kind="report_table"``) or figure (``"report_figure"``)."""
    return labels.label(kind, key, lang)


def column_label(name: str, lang: str) -> str:
    """A column header: report columns first, then the output columns and metrics; the
    bounds of a column's interval (``titled_lo``) from the column's own label.

    >>> column_label("titled_hi", "zh")
    '取得职称人数90%区间上限'
    """
    row = _column_row(name)
    if row:
        return row[lang]
    base, _, bound = name.rpartition("_")
    if bound in ("lo", "hi") and _column_row(base):
        return say(f"column_{bound}", lang, what=_column_row(base)[lang])
    return name


def _column_row(name: str) -> dict | None:
    for kind in ("report_column", "column", "metric"):
        row = labels.table().get((kind, name))
        if row:
            return row
    return None


def value_label(column: str, value, lang: str) -> str:
    """A category value (a county, a unit type, 'total' ...) as the reader sees it."""
    if column == "year":
        return labels.label("year", value, lang) if isinstance(value, str) else str(value)
    if column in LABELLED_VALUES and isinstance(value, (str, bool)):
        return labels.label(column, value, lang)
    return value


def shown_value(path: str, value, lang: str) -> str:
    """A parameter's value as people read it: options and categories by their labels
    (按申报参加考试人数, not ``applied``), yes/no, 不设 for none, lists joined.

    >>> shown_value("passline.ratio_base", "applied", "zh")
    '申报参加考试人数'
    >>> shown_value("passline.group_by", ["specialty", "county"], "zh")
    '专业、县（市、区）'
    >>> shown_value("population.size", 40000, "zh"), shown_value("horizon.start", 2022, "zh")
    ('40,000', '2022')
    """
    if isinstance(value, bool):
        return labels.label("grassroots", value, lang)
    if value is None:
        return labels.label("value", "none", lang)
    if isinstance(value, (list, tuple, dict)) and not value:
        return labels.label("value", "empty", lang)
    if isinstance(value, (list, tuple)):
        return list_of([shown_value(path, v, lang) for v in value], lang)
    if isinstance(value, str):
        option = labels.table().get(("option", f"{path}={value}"))
        if option:
            return option[lang]
        for kind in CATEGORY_KINDS:
            row = labels.table().get((kind, value))
            if row:
                return row[lang]
        return value
    if isinstance(value, int) and abs(value) >= 10_000 and path not in IDENTIFIERS:
        return num(value)  # 40,000; as GB/T 15835, four digits (a year: 2022) stay ungrouped
    from titlesim.paramdoc import format_value
    return format_value(value)


def local_time(stamp: str) -> str:
    """A run's start as people read it: the computer's local time to the minute, no
    ``T`` and no UTC offset (a time without an offset is taken as already local).

    >>> local_time("2026-01-03T00:00:00"), local_time("")
    ('2026-01-03 00:00', '')
    """
    try:
        when = _dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp or "")
    return (when.astimezone() if when.tzinfo else when).strftime("%Y-%m-%d %H:%M")


def source_label(source: str, lang: str) -> str:
    """A parameter's source: its clause (一(三), in English Part 1 (3)), or 假设 / assumption."""
    return labels.label("value", source, lang) if source == "assumption" else \
        labels.clause_label(source, lang)


def list_of(items, lang: str) -> str:
    items = [str(i) for i in items]
    return ("、" if lang == "zh" else ", ").join(items)


# ----------------------------------------------------------------------------- numbers
def num(x, digits: int = 0) -> str:
    """A count or a mean for a sentence: thousands separated, ``–`` when undefined.

    >>> num(12345.678), num(2.25, 1), num(float("nan")), num(-0.04, 1)
    ('12,346', '2.2', '–', '0.0')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return _no_minus_zero(f"{x:,.{digits}f}")


def signed(x, digits: int = 0) -> str:
    """A difference with its sign: ``+12``, ``-3.5``, ``0`` (never ``-0.0``).

    >>> signed(12.4), signed(-0.04, 1), signed(-3.46, 1)
    ('+12', '0.0', '-3.5')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    text = f"{x:+,.{digits}f}"
    return text.lstrip("+-") if not text.strip("+-0.,") else text


def shown_difference(base, revision, digits: int = 0) -> str:
    """The change from ``base`` to ``revision`` as the reader works it out by hand: the
    shown (rounded) revision minus the shown base, so that "7,173 → 7,148, 差 -25" adds up
    even where the unrounded difference (-24.2) would round to -24.

    >>> shown_difference(7172.6, 7148.4), signed(7148.4 - 7172.6)
    ('-25', '-24')
    >>> shown_difference(1.04, 1.06, 1), shown_difference(float("nan"), 3.0)
    ('+0.1', '–')
    """
    from titlesim.shown_interval import shown_difference as difference
    return signed(difference(_number(base), _number(revision), digits), digits)  # NaN: –


def difference_and_interval(base, revision, lo, hi, digits: int = 0) -> tuple[str, str, str]:
    """The shown difference (:func:`shown_difference`) and its 90 % interval, the interval
    rounded by the one rule of :func:`titlesim.shown_interval.shown_interval`, so that
    the shown difference lies within it.

    >>> difference_and_interval(158.4, 160.45, 2.6, 3.4)  # not "+2 (+3 至 +3)"
    ('+2', '+2', '+3')
    """
    from titlesim.shown_interval import shown_difference as difference
    from titlesim.shown_interval import shown_interval
    point, low, high = shown_interval(difference(_number(base), _number(revision), digits),
                                      lo, hi, digits)
    return signed(point, digits), signed(low, digits), signed(high, digits)


def _number(x) -> float:
    """``x`` as a float, NaN where undefined (None)."""
    return float("nan") if x is None else float(x)



def _no_minus_zero(text: str) -> str:
    """``-0`` and ``-0.0`` (a tiny negative rounded away) written as ``0``, ``0.0``."""
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def pct(x, digits: int = 1) -> str:
    """A percentage already scaled to 0-100: ``12.5%``."""
    return num(x, digits) + ("%" if not _missing(x) else "")


def trend(what: str, first: float, last: float, y0: int, y1: int, lang: str, digits: int = 0,
          unit: str = "") -> str:
    """A sentence saying how ``what`` moves from ``y0`` to ``y1``: rises, falls or stays
    about the same (within :data:`STEADY`)."""
    sentence = say("trend_" + trend_word(first, last), lang, what=what, y0=y0, y1=y1,
                   v0=num(first, digits) + unit, v1=num(last, digits) + unit)
    return sentence[:1].upper() + sentence[1:]


def trend_word(first: float, last: float) -> str:
    """rises, falls or stays about the same (the word key)."""
    if _missing(first) or _missing(last):
        return "steady"
    base = max(abs(first), 1e-9)
    change = (last - first) / base
    if abs(change) < STEADY:
        return "steady"
    return "rises" if change > 0 else "falls"


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))
