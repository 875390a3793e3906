"""Scenarios: the criteria and assumptions of one run, as validated data."""
from titlesim.scenario.loader import LoadedScenario, load_scenario, scenario_from_dict
from titlesim.scenario.schema import Scenario

__all__ = ["LoadedScenario", "Scenario", "load_scenario", "scenario_from_dict"]
