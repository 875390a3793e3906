"""Sweeps and sensitivity: a scenario run at many points of its parameters, each
with the same seed and replicates (common random numbers), spread over Dask workers.

>>> from titlesim import load_scenario
>>> from titlesim.sweep import load_grid
>>> s = load_scenario("scenarios/baseline-2022.yaml")
>>> load_grid("scenarios/grids/ratio-by-validity.yaml", s).paths
['passline.ratio', 'validity.ratio_only_years']

Modules: :mod:`.grid` (grid files, checked against the scenario schema), :mod:`.sampling`
(Latin hypercube and Sobol' points), :mod:`.points` (one point: simulate, reduce to the
outcome table), :mod:`.execute` (in process, local cluster or a scheduler address),
:mod:`.store` (the resumable folder and its tables), :mod:`.run` (``run_sweep``),
:mod:`.sensitivity` (Sobol' and Morris indices with SALib), :mod:`.charts`.
"""
from __future__ import annotations

import importlib

# imported when first used: reading a grid (``titlesim validate``) needs neither the
# engine nor pandas, which running one (execute, run) loads
_PUBLIC = {"Where": "titlesim.sweep.execute", "Grid": "titlesim.sweep.grid",
           "Parameter": "titlesim.sweep.grid", "load_grid": "titlesim.sweep.grid",
           "Sweep": "titlesim.sweep.run", "run_sweep": "titlesim.sweep.run"}

__all__ = ["Grid", "Parameter", "Sweep", "Where", "load_grid", "run_sweep"]


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'titlesim.sweep' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__():
    return sorted({*globals(), *_PUBLIC})
