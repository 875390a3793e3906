"""Global sensitivity of one outcome to chosen parameters (SALib): which assumptions
matter most for the decision at hand.

The outcome of a point is its value over the whole horizon (as
:mod:`titlesim.compare.outcomes` defines it), averaged over the replicates; every point
shares the same random numbers, so differences come from the parameters, not the luck.

- ``sobol``: Saltelli's sample of ``N x (D + 2)`` points (``N`` a power of 2); first-order
  ``S1`` (the share of the outcome's variance a parameter explains alone) and total
  ``ST`` (alone and with others), with 95 % confidence intervals.
- ``morris``: ``N`` trajectories of ``D + 1`` points on 4 levels; ``mu_star`` (the mean
  absolute elementary effect over the unit range) ranks the parameters.

SALib samples the unit cube; :func:`titlesim.sweep.sampling.value_at` maps it onto each
range (whole numbers for whole-number parameters), as for sampled grids.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from titlesim import labels
from titlesim.errors import InputError, Problem
from titlesim.sweep.grid import Parameter, parameter
from titlesim.sweep.sampling import value_at

METHODS = ("sobol", "morris")
MORRIS_LEVELS = 4
MAIN_INDEX = {"sobol": "ST", "morris": "mu_star"}
SOURCE = "--params"


@dataclass(frozen=True)
class Design:
    """The sample: parameters, method, ``samples`` (N) and the unit-cube rows."""

    parameters: tuple[Parameter, ...]
    method: str
    samples: int
    unit: np.ndarray = None

    @property
    def paths(self) -> list[str]:
        return [p.path for p in self.parameters]

    def points(self) -> list[dict]:
        return [{p.path: value_at(p, u) for p, u in zip(self.parameters, row)} for row in self.unit]


def parse_params(specs, scenario) -> tuple[Parameter, ...]:
    """``KEY.PATH=LO:HI`` texts -> parameters, each checked against the scenario."""
    from titlesim.yamlfile import parse_value
    parameters = []
    for text in specs:
        path, _, bounds = str(text).partition("=")
        low, colon, high = bounds.partition(":")
        if not path.strip() or not colon:
            raise InputError(Problem(f"{text!r}: expected KEY.PATH=LO:HI", key=SOURCE,
                                     hint="e.g. --params passline.ratio=0.3:0.8"))
        spec = {"min": parse_value(low, path.strip(), SOURCE),
                "max": parse_value(high, path.strip(), SOURCE)}
        parameters.append(parameter(path.strip(), spec, scenario, SOURCE, None, sampled=True))
    paths = [p.path for p in parameters]
    for path in {p for p in paths if paths.count(p) > 1}:
        raise InputError(Problem("the parameter is given twice", file=SOURCE, key=path))
    if not parameters:
        raise InputError(Problem("no parameters", key=SOURCE, expected="one or more "
                                 "--params KEY.PATH=LO:HI"))
    return tuple(parameters)


def design(parameters, method: str, samples: int, seed: int) -> Design:
    """The sample of ``method`` with ``samples`` base points (Sobol': a power of 2)."""
    if method not in METHODS:
        raise InputError(Problem(f"unknown method {method!r}", key="--method",
                                 expected=" or ".join(METHODS)))
    if method == "sobol" and (samples < 2 or samples & (samples - 1)):
        low = 1 << max(1, samples.bit_length() - 1)
        raise InputError(Problem(f"a Sobol' analysis needs a power of 2 samples, got {samples}",
                                 key="--samples", hint=f"use {low} or {low * 2}"))
    if method == "morris" and samples < 2:
        raise InputError(Problem(f"Morris needs at least 2 trajectories, got {samples}",
                                 key="--samples"))
    problem = _problem(len(parameters))
    if method == "sobol":
        from SALib.sample import sobol
        unit = sobol.sample(problem, samples, calc_second_order=False, seed=seed)
    else:
        from SALib.sample import morris
        unit = morris.sample(problem, samples, num_levels=MORRIS_LEVELS, seed=seed)
    return Design(tuple(parameters), method, samples, unit)


def outcome_per_point(totals: pd.DataFrame, outcome: str, n_points: int) -> np.ndarray:
    """The outcome over the horizon, mean of the replicates, in point order."""
    y = totals.groupby("point")[outcome].mean().reindex(range(n_points)).to_numpy(dtype=float)
    if np.isnan(y).any():
        raise InputError(Problem(f"the outcome '{outcome}' is undefined at some points (nothing "
                                 "to divide by)", key="--outcome", hint="choose a count outcome"))
    return y


def indices(d: Design, y: np.ndarray, seed: int) -> pd.DataFrame:
    """One row per parameter: labels, the method's indices and the rank (1 = matters most)."""
    if np.ptp(y) == 0:
        raise InputError(Problem(f"the outcome is the same ({y[0]:g}) at every point, so "
                                 "nothing can be ranked", key="--outcome",
                                 hint="widen the ranges, or choose another outcome"))
    problem = _problem(len(d.parameters))
    if d.method == "sobol":
        from SALib.analyze import sobol
        found = sobol.analyze(problem, y, calc_second_order=False, seed=seed)
        columns = ("S1", "S1_conf", "ST", "ST_conf")
    else:
        from SALib.analyze import morris
        found = morris.analyze(problem, d.unit, y, num_levels=MORRIS_LEVELS, seed=seed)
        columns = ("mu_star", "mu_star_conf", "mu", "sigma")
    table = pd.DataFrame({
        "parameter": d.paths,
        "label_zh": [labels.parameter_label(p, "zh") for p in d.paths],
        "label_en": [labels.parameter_label(p, "en") for p in d.paths],
        "low": [p.low for p in d.parameters],
        "high": [p.high for p in d.parameters],
        **{c: np.asarray(found[c], dtype=float) for c in columns},
    })
    main = MAIN_INDEX[d.method]
    table = table.sort_values(main, ascending=False, kind="stable").reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table


def index_interval(value: float, conf: float) -> tuple[float, float]:
    """The 95 % interval of an index (its estimate ± ``conf``, SALib's bootstrap) with its
    lower bound cut at 0, as no index is below 0 (μ* is a mean of absolute effects, a
    Sobol' index a share of the variance); never cut above the estimate itself (a Sobol'
    estimate from few samples can fall below 0 or above 1: it is shown as it is)."""
    return min(max(value - conf, 0.0), value), value + conf


def _problem(dims: int) -> dict:
    return {"num_vars": dims, "names": [f"x{i}" for i in range(dims)], "bounds": [[0.0, 1.0]] * dims}
