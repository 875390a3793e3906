"""A target's numbers as the plan shows them, one rule for the summary, the console and
plan.yaml's comment: people (and exam sittings) whole, shares and years with two
decimals, each attained mean with its 90 % interval rounded as
:func:`titlesim.shown_interval.shown_interval` rounds every shown interval (the point
always within its bounds); a shortfall honestly rounded (about 111 people, not 111.3)
and a share's shortfall in percentage points (docs/planning.md).

>>> attained(309.5, 304.6, 314.4, "persons")
('310', '305', '314')
>>> shortfall(111.3, "persons", "zh"), shortfall(4920.0, "persons", "zh")
('约 111 人', '4,920 人')
>>> shortfall(0.3353, "percent", "zh"), shortfall(0.3, "persons", "en")
('0.34 个百分点', 'less than 1 person')
"""
from __future__ import annotations

from titlesim.compare.impact import PEOPLE as WHOLE  # counted: shown as whole numbers


def digits(unit: str) -> int:
    """Decimals a value of ``unit`` is shown with: counts whole, shares and years two."""
    return 0 if unit in WHOLE else 2


def attained(mean: float, lo: float, hi: float, unit: str) -> tuple[str, str, str]:
    """(mean, lower, upper) as shown: rounded to the unit's decimals, the bounds holding
    the shown mean."""
    from titlesim.report.words import num
    from titlesim.shown_interval import shown_interval
    d = digits(unit)
    return tuple(num(x, d) for x in shown_interval(mean, lo, hi, d))


def shortfall(value: float, unit: str, lang: str) -> str:
    """How far a target is missed, with its unit: 约 111 人 (111.3 people), 不到 1 人
    (0.3), 0.34 个百分点 for a share (a difference of percentages)."""
    from titlesim import labels
    from titlesim.i18n import msg
    from titlesim.report.words import num
    d = digits(unit)
    shown_unit = labels.label("unit", "percentage_points" if unit == "percent" else unit, lang)
    rounded = round(value, d)
    if rounded == 0 and value > 0:  # less than one (person): the unit as of one
        one = labels.label("unit_one", unit, lang) if unit in WHOLE else shown_unit
        return msg("plan_less_than", lang, value=num(10.0 ** -d, d), unit=one)
    # "about" for a count that is a mean over replicates (111.3 people); a share or years
    # keeps its decimals
    key = "plan_about" if unit in WHOLE and rounded != value else "plan_exactly"
    return msg(key, lang, value=num(value, d), unit=shown_unit)
