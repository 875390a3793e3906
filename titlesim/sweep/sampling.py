"""Drawing sampled points: a unit-cube sample (Latin hypercube or scrambled Sobol', from
:mod:`scipy.stats.qmc`) mapped onto each parameter's range.

Whole-number parameters get whole numbers, each equally likely: the unit interval is cut
into ``high - low + 1`` equal parts. Other values are kept to 6 significant digits, so
the table's CSV and Parquet show the same number the simulation used.

>>> from titlesim.sweep.grid import Parameter
>>> value_at(Parameter("validity.years", low=1, high=5, integer=True), 0.99)
5
>>> value_at(Parameter("passline.ratio", low=0.3, high=0.8), 0.5)
0.55
"""
from __future__ import annotations

import math

import numpy as np

METHODS = ("lhs", "sobol")


def unit_sample(method: str, size: int, dims: int, seed: int) -> np.ndarray:
    """``size`` points in the unit cube of ``dims`` dimensions, the same for the same seed."""
    from scipy.stats import qmc
    if method == "lhs":
        return qmc.LatinHypercube(d=dims, rng=seed).random(size)
    if method == "sobol":
        return qmc.Sobol(d=dims, scramble=True, rng=seed).random_base2(int(math.log2(size)))
    raise ValueError(f"unknown sampling method {method!r}; known: {', '.join(METHODS)}")


def value_at(parameter, u: float):
    """The parameter's value at ``u`` in [0, 1) of its range."""
    low, high = parameter.low, parameter.high
    if parameter.integer:
        return int(min(high, math.floor(low + u * (high - low + 1))))
    value = float(f"{low + u * (high - low):.6g}")
    return min(max(value, low), high)
