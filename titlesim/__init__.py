"""titlesim: simulate professional-title (职称) evaluation under a criteria revision.

>>> import titlesim
>>> scenario = titlesim.load_scenario("scenarios/baseline-2022.yaml")
>>> result = titlesim.simulate(scenario, replicates=2)      # doctest: +SKIP
>>> result.metrics.head()                                   # doctest: +SKIP

The public names are imported when first used, so that ``import titlesim`` and
``titlesim --help`` load neither numpy, pandas nor pydantic.
"""
from __future__ import annotations

import importlib
import sys
import types

__version__ = "0.1.0"

if sys.argv and (sys.argv[0] == "-m" or sys.argv[0].replace("\\", "/").endswith(
        ("/titlesim", "titlesim/__main__.py"))):
    from titlesim import interrupt as _interrupt  # Ctrl-C while the command starts: one line
    _interrupt.early()

_PUBLIC = {
    "LoadedScenario": "titlesim.scenario",
    "load_scenario": "titlesim.scenario",
    "Result": "titlesim.simulate",
    "simulate": "titlesim.simulate",
}

__all__ = ["LoadedScenario", "Result", "load_scenario", "simulate", "__version__"]


class _Package(types.ModuleType):
    """``titlesim.simulate`` is the function, as it was when it was imported eagerly:
    loading the submodule of that name must not put the module in its place."""

    def __getattr__(self, name: str):
        module = _PUBLIC.get(name)
        if module is None:
            raise AttributeError(f"module 'titlesim' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        super().__setattr__(name, value)  # later look-ups skip this method
        return value

    def __setattr__(self, name: str, value) -> None:
        if name in _PUBLIC and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)

    def __dir__(self):
        return sorted({*super().__dir__(), *_PUBLIC})


sys.modules[__name__].__class__ = _Package
