"""Sweep grids: which scenario parameters a sweep varies, and over what values.

A grid is a small YAML file. A **full grid** lists values (or stepped ranges) and runs
every combination::

    parameters:
      passline.ratio: {min: 0.3, max: 0.8, step: 0.1}   # 0.3, 0.4, ..., 0.8
      validity.ratio_only_years: [1, 2, 3]

A **sampled grid** adds ``sample:`` and gives ranges without a step; ``size`` points are
drawn by a Latin hypercube (``lhs``) or a scrambled Sobol' sequence (``sobol``, a power
of 2), from :mod:`scipy.stats.qmc`. Lists in a sampled grid are crossed with the sample,
so every rule of a list is run at the same sampled points::

    sample: {method: lhs, size: 16}
    parameters:
      passline.ratio: {min: 0.3, max: 0.8}
      validity.years: {min: 1, max: 5}     # a whole-number parameter: values are whole
      passline.ties: [include, cap]

Every value (every listed value, both ends of a range) is checked against the scenario's
schema by applying it as a ``--set`` override, so a grid is refused before anything runs,
naming the grid file, the line and the key.

>>> from titlesim import load_scenario
>>> s = load_scenario("scenarios/baseline-2022.yaml")
>>> g = load_grid("scenarios/grids/ratio-by-validity.yaml", s)
>>> len(g.points(seed=1)), g.points(seed=1)[1]
(18, {'passline.ratio': 0.3, 'validity.ratio_only_years': 2})
"""
from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from titlesim.errors import InputError, Problem
from titlesim.scenario.loader import apply_overrides
from titlesim.sweep.sampling import METHODS, unit_sample, value_at
from titlesim.yamlfile import YamlDoc, read_yaml

MAX_POINTS = 100_000
NOT_SWEPT = {"seed": "--seed", "replicates": "--replicates"}


@dataclass(frozen=True)
class Parameter:
    """One swept key path: explicit ``values``, or a sampled range ``low``..``high``."""

    path: str
    values: tuple = ()
    low: float | None = None
    high: float | None = None
    integer: bool = False  # a whole-number parameter: sampled values are whole numbers
    line: int | None = None

    @property
    def sampled(self) -> bool:
        return self.low is not None


@dataclass(frozen=True)
class Grid:
    file: str
    parameters: tuple[Parameter, ...]
    method: str | None = None  # None: a full grid
    size: int = 0
    seed: int | None = None  # of the sample; None: the run's seed

    @property
    def paths(self) -> list[str]:
        return [p.path for p in self.parameters]

    def points(self, seed: int) -> list[dict]:
        """Every point, in a fixed order: the grid's product, or each sampled point
        crossed with the product of the listed values."""
        listed = [p for p in self.parameters if not p.sampled]
        ranges = [p for p in self.parameters if p.sampled]
        combos = list(itertools.product(*(p.values for p in listed)))
        rows = [()]
        if ranges:
            u = unit_sample(self.method, self.size, len(ranges),
                            self.seed if self.seed is not None else seed)
            rows = [tuple(value_at(p, x) for p, x in zip(ranges, row)) for row in u]
        points = []
        for row in rows:
            for combo in combos:
                chosen = dict(zip([p.path for p in listed], combo)) | dict(
                    zip([p.path for p in ranges], row))
                points.append({path: chosen[path] for path in self.paths})
        return points


def override(path: str, value) -> str:
    """The ``--set`` text of one value (JSON is YAML, so the loader reads it back exactly)."""
    return f"{path}={json.dumps(value, ensure_ascii=False)}"


# ----------------------------------------------------------------------------- reading
GRID_KEYS = ("parameters", "sample", "description")  # a grid file's keys (also titlesim validate's test)


def load_grid(path, scenario, doc: YamlDoc | None = None) -> Grid:
    """Read and check a grid file against ``scenario`` (a LoadedScenario); ``doc``: the
    file already read."""
    file = str(path)
    data, lines = _read(Path(path), doc)
    unknown = sorted(set(map(str, data)) - set(GRID_KEYS))
    if unknown:
        raise InputError(Problem(f"unknown key '{unknown[0]}'", file=file, key=unknown[0],
                                 line=lines.get((unknown[0],)), expected=", ".join(GRID_KEYS)))
    params = data.get("parameters")
    if not isinstance(params, dict) or not params:
        raise InputError(Problem("the grid names no parameters", file=file, key="parameters",
                                 line=lines.get(("parameters",)),
                                 expected="parameters: with KEY.PATH: [values] or "
                                          "KEY.PATH: {min: .., max: ..}"))
    method, size, seed = _sample(data.get("sample"), file, lines)
    parameters = tuple(
        parameter(str(key), spec, scenario, file, lines.get(("parameters", str(key))),
                  sampled=method is not None)
        for key, spec in params.items())
    if method and not any(p.sampled for p in parameters):
        raise InputError(Problem("sample: is given but no parameter has a range to sample",
                                 file=file, key="sample", line=lines.get(("sample",)),
                                 expected="a parameter given as {min: .., max: ..}"))
    grid = Grid(file, parameters, method, size, seed)
    _check_count(grid)
    return grid


def parameter(path: str, spec, scenario, file: str, line, sampled: bool) -> Parameter:
    """One parameter of a grid (or of ``--params``), checked value by value."""
    where = dict(file=file, key=path, line=line)
    current = current_value(scenario.resolved, path)
    if path in NOT_SWEPT:
        raise InputError(Problem(f"'{path}' is set for the whole sweep, not per point",
                                 **where, hint=f"use {NOT_SWEPT[path]}"))
    _check_key(scenario, path, where)
    integer = isinstance(current, int) and not isinstance(current, bool)
    if isinstance(spec, list):
        if not spec:
            raise InputError(Problem("the list of values is empty", **where,
                                     expected="at least one value"))
        values = tuple(spec)
    elif isinstance(spec, dict):
        low, high, step = _range(spec, where, sampled, integer, current)
        if sampled:
            for end in (low, high):
                check_value(scenario, path, end, where)
            return Parameter(path, low=low, high=high, integer=integer, line=line)
        values = stepped(low, high, step)
        if len(values) > MAX_POINTS:
            raise InputError(Problem(f"the range has {len(values):,} values, more than "
                                     f"{MAX_POINTS:,}", **where, hint="use a larger step"))
    else:
        values = (spec,)
    for value in values:
        check_value(scenario, path, value, where)
    return Parameter(path, values=values, integer=integer, line=line)


def _check_key(scenario, path: str, where: dict) -> None:
    """An unknown key is named (with a close match) before any of its values is read."""
    try:
        apply_overrides(scenario.resolved, [override(path, None)])
    except InputError as exc:
        raise InputError([Problem(p.message, **where, expected=p.expected, hint=p.hint)
                          for p in exc.problems]) from None


def check_value(scenario, path: str, value, where: dict) -> None:
    """Apply ``path=value`` to the scenario; re-raise its problems at the grid's line."""
    try:
        scenario.with_overrides([override(path, value)])
    except InputError as exc:
        raise InputError([Problem(p.message if ", got " in p.message else
                                  f"{_shown(value)}: {p.message}", **where, expected=p.expected,
                                  hint=p.hint)
                          for p in exc.problems]) from None


def stepped(low, high, step) -> tuple:
    """``low, low + step, ... <= high``, exactly (0.3 + 0.1 is 0.4, not 0.4000000000000001)."""
    lo, hi, st = (Decimal(str(v)) for v in (low, high, step))
    count = min(int((hi - lo) / st) + 1, MAX_POINTS + 1)
    whole = all(isinstance(v, int) for v in (low, high, step))
    return tuple(int(lo + i * st) if whole else float(lo + i * st) for i in range(count))


def _range(spec: dict, where: dict, sampled: bool, integer: bool, current):
    keys = ("min", "max", "step") if not sampled else ("min", "max")
    expected = ("{min: .., max: .., step: ..} (or add sample: to draw values from "
                "{min: .., max: ..})") if not sampled else "{min: .., max: ..}"
    extra = set(spec) - set(keys)
    if extra or not {"min", "max"} <= set(spec) or (not sampled and "step" not in spec):
        hint = "step is for full grids; a sampled grid draws its values" if sampled and \
            "step" in spec else None
        raise InputError(Problem(f"a range needs {', '.join(keys[:-1])} and {keys[-1]}"
                                 + (f", got {', '.join(map(str, spec))}" if spec else ""),
                                 **where, expected=expected, hint=hint))
    if current is not None and not _is_number(current):  # None: an optional number, unset
        raise InputError(Problem(f"is not a number ({_shown(current)}), so it has no range",
                                 **where, hint="in a grid, list its values instead: [a, b]"))
    for name in keys:
        if not _is_number(spec[name]):
            raise InputError(Problem(f"{name} must be a number, got {_shown(spec[name])}",
                                     **where))
        if integer and spec[name] != int(spec[name]):
            raise InputError(Problem(f"{name} must be a whole number (the parameter is), "
                                     f"got {spec[name]}", **where))
    low, high = spec["min"], spec["max"]
    if high < low or (sampled and high == low):
        raise InputError(Problem(f"the range is empty: min {low} {'>' if high < low else '='} "
                                 f"max {high}", **where, expected="min below max",
                                 hint="for one value, write it alone" if high == low else None))
    step = spec.get("step")
    if step is not None and step <= 0:
        raise InputError(Problem(f"step must be above 0, got {step}", **where))
    if integer:
        low, high = int(low), int(high)
        step = int(step) if step is not None else None
    return low, high, step


def _sample(spec, file: str, lines: dict):
    if spec is None:
        return None, 0, None
    line = lines.get(("sample",))
    if not isinstance(spec, dict):
        raise InputError(Problem("sample must be a mapping", file=file, key="sample", line=line,
                                 expected="{method: lhs|sobol, size: N}"))
    unknown = sorted(set(map(str, spec)) - {"method", "size", "seed"})
    if unknown:
        raise InputError(Problem(f"unknown key '{unknown[0]}'", file=file,
                                 key=f"sample.{unknown[0]}", expected="method, size, seed",
                                 line=lines.get(("sample", unknown[0]), line)))
    method, size, seed = spec.get("method"), spec.get("size"), spec.get("seed")
    at = {k: dict(file=file, key=f"sample.{k}", line=lines.get(("sample", k), line))
          for k in ("method", "size", "seed")}
    if method not in METHODS:
        raise InputError(Problem(f"unknown sampling method {_shown(method)}", **at["method"],
                                 expected=" or ".join(METHODS)))
    if not _is_whole(size) or size < 1:
        raise InputError(Problem(f"size must be a whole number of points, got {_shown(size)}",
                                 **at["size"], expected="1 or more"))
    if method == "sobol" and size & (size - 1):
        low = 1 << (size.bit_length() - 1)
        raise InputError(Problem(f"a Sobol' sample needs a power of 2 points, got {size}",
                                 **at["size"], hint=f"use {low} or {low * 2}"))
    if seed is not None and (not _is_whole(seed) or seed < 0):
        raise InputError(Problem(f"seed must be a whole number, got {_shown(seed)}", **at["seed"]))
    return method, size, seed


def _check_count(grid: Grid) -> None:
    count = grid.size or 1
    for p in grid.parameters:
        count *= len(p.values) if not p.sampled else 1
    if count > MAX_POINTS:
        raise InputError(Problem(f"the grid has {count:,} points, more than {MAX_POINTS:,}",
                                 file=grid.file, key="parameters",
                                 hint="use a sample (sample: {method: lhs, size: N})"))


def _read(path: Path, doc: YamlDoc | None = None) -> tuple[dict, dict]:
    doc = doc if doc is not None else read_yaml(path, "grid")
    if not isinstance(doc.data, dict):
        raise InputError(Problem("a grid must be a mapping", file=str(path), line=1,
                                 expected="parameters: (and optionally sample:)"))
    return doc.data, doc.lines


def current_value(resolved: dict, path: str):
    """The scenario's value at ``path`` (None where there is none)."""
    node = resolved
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shown(value) -> str:
    return json.dumps(value, ensure_ascii=False)
