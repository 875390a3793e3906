"""Levers: the scenario keys a plan may change, each with its range or its options.

``KEY=LO:HI`` is a range of numbers; whole-number keys (``validity.years``) stay whole.
Values lie on a lattice ``LO, LO + STEP, ... HI`` so that a plan writes plain numbers
(0.62, not 0.6234375): ``KEY=LO:HI:STEP`` states the step, else it is the power of ten
at most a hundredth of the range (1 for a whole number). ``KEY=A,B,C`` lists options
(``passline.ties=include,cap``); every option is tried.

Each value is checked against the scenario's schema, as a ``--set`` would be, before
anything runs.

>>> from titlesim import load_scenario
>>> s = load_scenario("scenarios/baseline-2022.yaml")
>>> r = parse_lever("passline.ratio=0.3:0.9", s)
>>> r.step, r.size, r.value(120), r.current
(0.001, 601, 0.42, 0.5)
>>> parse_lever("validity.years=1:5", s).values()
[1, 2, 3, 4, 5]
>>> parse_lever("passline.ties=include,cap", s).options
('include', 'cap')
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import yaml

from titlesim.errors import InputError, Problem
from titlesim.i18n import current_language, msg
from titlesim.sweep.grid import NOT_SWEPT, check_value, current_value, _check_key

MAX_LATTICE = 1_000_000


@dataclass(frozen=True)
class Lever:
    """One key a plan may change: a range on a lattice (``low`` + i x ``step``, i below
    ``size``), or a list of ``options``; ``current`` is the scenario's own value."""

    path: str
    current: object
    low: float | int | None = None
    high: float | int | None = None
    step: float | int | None = None
    integer: bool = False
    options: tuple = ()

    @property
    def is_range(self) -> bool:
        return not self.options

    @property
    def size(self) -> int:
        """How many values the lever can take."""
        if not self.is_range:
            return len(self.options)
        return int((Decimal(str(self.high)) - Decimal(str(self.low))) / Decimal(str(self.step))) + 1

    def value(self, index: int):
        """The value at lattice position ``index`` (an option for an option list)."""
        if not self.is_range:
            return self.options[index]
        exact = Decimal(str(self.low)) + index * Decimal(str(self.step))
        return int(exact) if self.integer else float(exact)

    def values(self) -> list:
        return [self.value(i) for i in range(self.size)]

    def index_of(self, value) -> int | None:
        """The lattice position of ``value`` (None if it is not one of the lever's values)."""
        if not self.is_range:
            return next((i for i, o in enumerate(self.options) if _same(o, value)), None)
        if not _is_number(value):
            return None
        i = round((Decimal(str(value)) - Decimal(str(self.low))) / Decimal(str(self.step)))
        return int(i) if 0 <= i < self.size and _same(self.value(int(i)), value) else None

    def change(self, value) -> float:
        """How far ``value`` is from the scenario's own: a share of the range (0 to 1
        inside it), or 1 for another option; what ``--least-change`` adds up."""
        if not self.is_range or not _is_number(self.current):
            return 0.0 if _same(value, self.current) else 1.0
        return abs(float(value) - float(self.current)) / (float(self.high) - float(self.low))

    def text(self) -> str:
        if not self.is_range:
            return f"{self.path}={','.join(map(_shown, self.options))}"
        return f"{self.path}={_shown(self.low)}:{_shown(self.high)}:{_shown(self.step)}"


def parse_lever(text: str, scenario) -> Lever:
    """A ``--lever`` as given on the command line, checked against ``scenario``."""
    where = {"key": "--lever"}
    path, sep, spec = text.partition("=")
    path, spec = path.strip(), spec.strip()
    if not sep or not path or not spec:
        raise InputError(Problem(msg("plan_lever_form", given=text), **where,
                                 expected="KEY=LO:HI, KEY=LO:HI:STEP, KEY=A,B"))
    if path in NOT_SWEPT:
        raise InputError(Problem(msg("plan_lever_not_swept", name=path, option=NOT_SWEPT[path]),
                                 **where))
    _check_key(scenario, path, {"file": "--lever", "key": path})
    _check_policy(path, text)
    current = current_value(scenario.resolved, path)
    if ":" in spec:
        lever = _range(path, spec, current, text)
        ends = [lever.low, lever.high]
    else:
        options = tuple(_scalar(part) for part in spec.split(","))
        if len(options) < 2 or len(set(map(_shown, options))) < len(options):
            raise InputError(Problem(msg("plan_lever_options", given=text), **where,
                                     expected="KEY=A,B (two or more different values)"))
        lever, ends = Lever(path, current, options=options), list(options)
    for value in ends:
        check_value(scenario, path, value, {"file": "--lever", "key": path})
    return lever


def _check_policy(path: str, text: str) -> None:
    """A lever is a policy parameter: not free text, and nothing a comparison requires the
    plan and its base to share (horizon, workforce, history; the rule is
    :func:`titlesim.compare.diff.fixed_for_revisions`), else the plan could not be
    compared with its base (docs/planning.md)."""
    from titlesim.compare.diff import NOT_COMPARED, fixed_for_revisions
    from titlesim.i18n import problem_text
    from titlesim.labels import parameter_label
    if path.split(".")[0] in NOT_COMPARED:
        raise InputError(Problem(msg("plan_lever_words", given=text, name=path), key="--lever"))
    why = fixed_for_revisions(path)
    if why is not None:
        raise InputError(Problem(msg("plan_lever_setup", given=text, name=path,
                                     label=parameter_label(path, current_language()),
                                     why=problem_text(why)),
                                 key="--lever", hint=msg("plan_lever_setup_hint", name=path)))


def _range(path: str, spec: str, current, text: str) -> Lever:
    where = {"key": "--lever"}
    parts = [_scalar(p) for p in spec.split(":")]
    if len(parts) not in (2, 3) or not all(_is_number(p) for p in parts):
        raise InputError(Problem(msg("plan_lever_range", given=text), **where,
                                 expected="KEY=LO:HI or KEY=LO:HI:STEP with numbers"))
    if current is not None and not _is_number(current):
        raise InputError(Problem(msg("plan_lever_not_number", name=path, value=_shown(current)),
                                 **where, hint=msg("plan_lever_list_hint", name=path)))
    low, high = parts[0], parts[1]
    integer = isinstance(current, int) and not isinstance(current, bool)
    if high <= low:
        raise InputError(Problem(msg("plan_lever_empty", given=text), **where,
                                 expected="LO < HI"))
    step = parts[2] if len(parts) == 3 else (1 if integer else _default_step(low, high))
    if step <= 0:
        raise InputError(Problem(msg("plan_lever_step", given=text), **where))
    if integer and any(v != int(v) for v in (low, high, step)):
        raise InputError(Problem(msg("plan_lever_whole", name=path, given=text), **where))
    if integer:
        low, high, step = int(low), int(high), int(step)
    lever = Lever(path, current, low=low, high=high, step=step, integer=integer)
    if lever.size > MAX_LATTICE:
        raise InputError(Problem(msg("plan_lever_step", given=text), **where))
    last = lever.value(lever.size - 1)  # HI may lie off the lattice (0.3:0.95:0.1)
    return lever if last == high else Lever(path, current, low=low, high=last, step=step,
                                            integer=integer)


def _default_step(low, high) -> float:
    """The power of ten at most a hundredth of the range (0.3:0.9 -> 0.001)."""
    return float(Decimal(1).scaleb(math.floor(math.log10((high - low) / 100))))


def _scalar(text: str):
    """A value as YAML reads it (``0.5`` a number, ``cap`` a text, ``true`` a boolean)."""
    try:
        return yaml.safe_load(text.strip()) if text.strip() else None
    except yaml.YAMLError:
        return text.strip()


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _same(a, b) -> bool:
    if _is_number(a) and _is_number(b):
        return a == b
    return type(a) is type(b) and a == b


def _shown(value) -> str:
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).strip() \
        .removesuffix("...").strip()
