"""Names used outside ``population`` are defined in it: every unit type named by posts,
application factors, entrants' levels or eligibility is one of ``population.unit_types``,
every series named by the exam or the committees one of ``population.series``, and every
unit type has a post structure and every series a committee."""
from __future__ import annotations

from titlesim.scenario.checks import KeyProblem


def names_are_defined_in_population(scenario) -> None:
    """``scenario`` (a :class:`titlesim.scenario.schema.Scenario`) names only the unit
    types and series its population defines, and gives each its posts and committee."""
    _unit_types_are_defined(scenario, set(scenario.population.unit_types))
    _series_are_defined(scenario, set(scenario.population.series))


def _unit_types_are_defined(scenario, unit_types: set) -> None:
    posts = scenario.posts
    for name in posts.structure:
        if name not in unit_types:
            raise KeyProblem(("posts", "structure", name),
                             f"posts.structure names unit type '{name}', which is not in "
                             f"population.unit_types ({', '.join(sorted(unit_types))})")
    missing = unit_types - set(posts.structure)
    if missing:
        raise KeyProblem(("posts", "structure"),
                         f"posts.structure has no entry for unit type(s) {sorted(missing)}")
    for name in posts.pooled_unit_types:
        if name not in unit_types:
            raise KeyProblem(("posts", "pooled_unit_types"),
                             f"posts.pooled_unit_types names '{name}', which is not in "
                             f"population.unit_types")
    for where, named in ((("application", "factor"), scenario.application.factor),
                         (("flows", "entrants", "levels"), scenario.flows.entrants.levels)):
        for name in named:
            if name not in unit_types:
                raise KeyProblem(where + (name,), f"unit type '{name}' is not in "
                                 f"population.unit_types ({', '.join(sorted(unit_types))})")
    for name in scenario.eligibility.junior_college_senior_unit_types:
        if name not in unit_types:
            raise KeyProblem(("eligibility", "junior_college_senior_unit_types"),
                             f"eligibility.junior_college_senior_unit_types names '{name}', "
                             f"which is not in population.unit_types")


def _series_are_defined(scenario, series: set) -> None:
    committees = scenario.evaluation.committees
    for where, named in ((("exam", "levels"), scenario.exam.levels),
                         (("evaluation", "committees"), committees)):
        for s in named:
            if s not in series:
                raise KeyProblem(where + (s,), f"series '{s}' is not in population.series "
                                 f"({', '.join(sorted(series))})")
    for s in series - set(committees):
        raise KeyProblem(("evaluation", "committees"),
                         f"evaluation.committees has no entry for series '{s}'")
