"""Targets: what a plan must reach, as ``"OUTCOME OP VALUE"``.

OUTCOME is a name of the comparison's outcome table (:mod:`titlesim.compare.outcomes`),
over the horizon as ``compare`` forms it (counts summed, stocks and shares at the end),
or in one year as ``OUTCOME@YEAR``. OP is ``>=``, ``<=`` or ``=``; ``=`` holds within a
tolerance, ``± TOL`` (or ``+- TOL``) after the value, by default 1 % of the value.

A target holds on average (the mean over replicates meets it), or with a confidence P
when it holds in at least P of the replicates.

>>> t = parse_target("senior_share_grassroots@2030 >= 15", years=range(2022, 2032))
>>> t.outcome, t.year, t.op, t.value
('senior_share_grassroots', 2030, '>=', 15.0)
>>> parse_target("titled = 500 ± 10", years=[2022]).tolerance
10.0
>>> parse_target("titled = 500", years=[2022]).tolerance
5.0
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from titlesim.errors import InputError, Problem
from titlesim.i18n import msg

OPS = (">=", "<=", "=")
DEFAULT_TOLERANCE = 0.01  # of the value, for "=" without ± TOL
_FORM = re.compile(r"^\s*(?P<name>[A-Za-z_]+)(?:@(?P<year>\S+))?\s*(?P<op>>=|<=|==|=|≥|≤)\s*"
                   r"(?P<value>[^±+]+?)\s*(?:(?:±|\+-|\+/-)\s*(?P<tol>\S+))?\s*$")


@dataclass(frozen=True)
class Target:
    """``outcome`` (in ``year``, or over the horizon when None) ``op`` ``value``."""

    outcome: str
    op: str
    value: float
    year: int | None = None
    tolerance: float = 0.0  # for "=" only

    @property
    def column(self) -> str:
        return self.outcome if self.year is None else f"{self.outcome}@{self.year}"

    def text(self) -> str:
        tol = f" ± {written(self.tolerance)}" if self.op == "=" else ""
        return f"{self.column} {self.op} {written(self.value)}{tol}"

    def label(self, lang: str | None = None) -> str:
        """The target in words: ``基层单位高级职称人员占比（2030年） ≥ 15 %``."""
        from titlesim import labels
        from titlesim.compare.outcomes import get
        from titlesim.i18n import current_language
        lang = lang or current_language()
        outcome = get(self.outcome)
        name = outcome.label(lang)
        if self.year is not None:
            name = msg("plan_in_year", lang, name=name, year=self.year)
        op = {">=": "≥", "<=": "≤", "=": "="}[self.op]
        tol = f" ± {written(self.tolerance, True)}" if self.op == "=" else ""
        return f"{name} {op} {written(self.value, True)}{tol} {labels.label('unit', outcome.unit, lang)}"

    def gaps(self, values: np.ndarray) -> np.ndarray:
        """How far each value falls short (0 or below: met). An undefined value (a rate
        with nothing to divide by) falls short by infinity."""
        values = np.asarray(values, dtype=float)
        if self.op == ">=":
            gap = self.value - values
        elif self.op == "<=":
            gap = values - self.value
        else:
            gap = np.abs(values - self.value) - self.tolerance
        return np.where(np.isnan(gap), np.inf, gap)

    def scale(self) -> float:
        """What a shortfall is measured against, to add shortfalls of different units."""
        return max(abs(self.value), self.tolerance, 1.0)


def written(value: float, grouped: bool = False) -> str:
    """A target's number as people write it: six significant digits, never in exponent
    form (1000000, not 1e+06); ``grouped``: thousands separated (1,000,000).

    >>> written(1e6), written(1e6, True), written(736.6666667), written(15.5), written(0.25)
    ('1000000', '1,000,000', '736.667', '15.5', '0.25')
    >>> written(-0.5, True), written(-12345678.9, True)
    ('-0.5', '-12,345,679')
    """
    shown = f"{value:.6g}"
    if "e" in shown:  # large: whole digits, with the decimals six digits would keep
        shown = f"{value:.{max(6 - len(str(int(abs(value)))), 0)}f}"
    if grouped:
        sign, digits = ("-", shown[1:]) if shown.startswith("-") else ("", shown)
        whole, dot, decimals = digits.partition(".")
        shown = sign + f"{int(whole):,}" + dot + decimals
    return shown


def parse_target(text: str, years) -> Target:
    """A ``--target`` as given; ``years`` are the scenario's evaluation years."""
    where = {"key": "--target"}
    match = _FORM.match(text or "")
    if not match:
        raise InputError(Problem(msg("plan_target_form", given=text), **where,
                                 expected='"OUTCOME >= VALUE", "OUTCOME@YEAR <= VALUE", '
                                          '"OUTCOME = VALUE ± TOL"'))
    name, year = parse_outcome(match["name"] + (f"@{match['year']}" if match["year"] else ""),
                               years, "--target")
    op = {"==": "=", "≥": ">=", "≤": "<="}.get(match["op"], match["op"])
    value = _number(match["value"], text)
    tolerance = 0.0
    if match["tol"] is not None:
        if op != "=":
            raise InputError(Problem(msg("plan_target_tolerance_op", given=text), **where))
        tolerance = _number(match["tol"], text)
        if tolerance < 0:
            raise InputError(Problem(msg("plan_target_form", given=text), **where,
                                     expected="± TOL with TOL >= 0"))
    elif op == "=":
        tolerance = abs(value) * DEFAULT_TOLERANCE
    return Target(name, op, value, year, tolerance)


def parse_outcome(text: str, years, option: str) -> tuple[str, int | None]:
    """``OUTCOME`` or ``OUTCOME@YEAR``, checked: (outcome, year or None)."""
    from titlesim.compare.outcomes import OUTCOMES
    name, _, year_text = text.strip().partition("@")
    if name not in OUTCOMES:
        import difflib
        close = difflib.get_close_matches(name, list(OUTCOMES), n=1)
        raise InputError(Problem(msg("plan_target_outcome", name=name), key=option,
                                 expected=", ".join(OUTCOMES),
                                 hint=msg("plan_did_you_mean", value=close[0]) if close else None))
    if not year_text:
        return name, None
    years = [int(y) for y in years]
    if not year_text.isdigit() or int(year_text) not in years:
        raise InputError(Problem(msg("plan_target_year", given=year_text, first=years[0],
                                     last=years[-1]), key=option))
    return name, int(year_text)


def scenario_years(scenario) -> list[int]:
    """The evaluation years of a scenario."""
    h = scenario.params.horizon
    return list(range(h.start, h.start + h.years))


def _number(text: str, given: str) -> float:
    try:
        value = float(text.strip().removesuffix("%").strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InputError(Problem(msg("plan_target_value", value=text.strip(), given=given),
                                 key="--target", expected="a number"))
    return value
