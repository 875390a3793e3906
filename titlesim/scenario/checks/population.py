"""The population section agrees with itself: counties, series, specialties, unit types
and education mixes name each other consistently and their shares add up."""
from __future__ import annotations

from titlesim.scenario.checks import KeyProblem
from titlesim.scenario.checks.shares import shares_add_up_to_one


def population_is_consistent(population, levels: tuple[str, ...]) -> None:
    """``population`` (a :class:`titlesim.scenario.schema.Population`) names at least one
    county, its seat among them, an age range for every one of ``levels``, specialties and
    unit types for every series (each mix adding up to 1), no specialty in two series,
    and is large enough to staff a unit (unless a roster gives the people)."""
    if not population.counties:
        raise KeyProblem(("counties",), "at least one county is needed")
    missing_levels = set(levels) - set(population.age_by_level)
    if missing_levels:
        raise KeyProblem(("age_by_level",),
                         f"age_by_level has no entry for {sorted(missing_levels)}")
    if population.seat_county not in population.counties:
        raise KeyProblem(("seat_county",),
                         f"seat_county '{population.seat_county}' is not one of the counties")
    shares_add_up_to_one(population.series, "series", ("series",))
    for name, mix in population.education.items():
        shares_add_up_to_one(mix, f"education.{name}", ("education", name))
    _every_series_has_specialties_and_unit_types(population)
    _unit_types_name_known_series(population)
    _no_specialty_in_two_series(population)
    _some_unit_is_staffed(population)


def _every_series_has_specialties_and_unit_types(population) -> None:
    for series in population.series:
        if series not in population.specialties:
            raise KeyProblem(("series", series), f"series '{series}' has no specialties")
        shares_add_up_to_one(population.specialties[series], f"specialties.{series}",
                             ("specialties", series))
        shares = {k: u.share for k, u in population.unit_types.items() if u.series == series}
        if not shares:
            raise KeyProblem(("series", series), f"series '{series}' has no unit types")
        shares_add_up_to_one(shares, f"unit types of series '{series}'", ("unit_types",))


def _unit_types_name_known_series(population) -> None:
    for name, unit in population.unit_types.items():
        if unit.series not in population.series:
            raise KeyProblem(("unit_types", name, "series"),
                             f"unit type '{name}' names series '{unit.series}', "
                             f"which is not in population.series")


def _no_specialty_in_two_series(population) -> None:
    seen = {}
    for series, mix in population.specialties.items():
        for spec in mix:
            if spec in seen:
                raise KeyProblem(("specialties", series, spec),
                                 f"specialty '{spec}' is in both '{seen[spec]}' and '{series}'")
            seen[spec] = series


def _some_unit_is_staffed(population) -> None:
    staffed = [k for k, u in population.unit_types.items()
               if round(population.size * population.series[u.series] * u.share) > 0]
    if not staffed and population.roster is None:
        from titlesim.i18n import msg
        raise KeyProblem(("size",), msg("population_too_small", size=population.size))
