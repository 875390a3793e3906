"""titlesim: simulate professional-title (职称) evaluation under a criteria revision.

>>> import titlesim
>>> scenario = titlesim.load_scenario("scenarios/baseline-2022.yaml")
>>> result = titlesim.simulate(scenario, replicates=2)      # doctest: +SKIP
>>> result.metrics.head()                                   # doctest: +SKIP
"""
__version__ = "0.1.0"

from titlesim.scenario import LoadedScenario, load_scenario  # noqa: E402
from titlesim.simulate import Result, simulate  # noqa: E402

__all__ = ["LoadedScenario", "Result", "load_scenario", "simulate", "__version__"]
