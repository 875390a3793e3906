"""The synthetic workforce: units placed in counties, people with titles, education, age,
ability and records, every share and size read from ``population`` in the scenario.

The workforce is drawn once from the seed and shared by every replicate (replicates vary
what happens, not who is there at the start), so that a bureau's roster and a synthetic
workforce are used the same way.
"""
from __future__ import annotations

import numpy as np

from titlesim.people import NO_PASS, Codebook, People, Units
from titlesim.randomness import Draws, Purpose
from titlesim.sampling import CategoricalTable, largest_remainder
from titlesim.scenario.schema import EDUCATIONS, LEVELS, Scenario

POPULATION_STREAM = 2**32 - 1  # SeedSequence child for the starting workforce


def build_units(params: Scenario, codes: Codebook) -> Units:
    """Units of each type, spread over counties in proportion to their weight."""
    pop = params.population
    county_weights = np.array([pop.counties[c] for c in codes.counties], dtype=np.float64)
    seat = codes.counties.index(pop.seat_county)
    columns = {k: [] for k in ("county", "unit_type", "series", "grassroots", "attached", "establishment")}
    for t_index, name in enumerate(codes.unit_types):
        spec = pop.unit_types[name]
        staff = int(round(pop.size * pop.series[spec.series] * spec.share))
        if staff == 0:
            continue
        n_units = max(1, int(round(staff / spec.staff_per_unit)))
        if spec.city_level:
            per_county = np.zeros(len(codes.counties), dtype=np.int64)
            per_county[seat] = n_units
        else:
            per_county = largest_remainder(n_units, county_weights)
        county = np.repeat(np.arange(len(codes.counties)), per_county)
        establishment = largest_remainder(staff, np.ones(n_units))
        columns["county"].append(county)
        columns["unit_type"].append(np.full(n_units, t_index))
        columns["series"].append(np.full(n_units, codes.series.index(spec.series)))
        columns["grassroots"].append(np.full(n_units, spec.grassroots))
        columns["attached"].append(np.full(n_units, spec.attached))
        columns["establishment"].append(establishment)
    dtypes = dict(county=np.int16, unit_type=np.int16, series=np.int8, grassroots=bool,
                  attached=bool, establishment=np.int32)
    return Units(**{k: np.concatenate(v).astype(dtypes[k]) for k, v in columns.items()})


class PersonSampler:
    """Draws the attributes of new people (starting workforce, entrants, transfers in)."""

    def __init__(self, params: Scenario, codes: Codebook, units: Units):
        pop = params.population
        self.params, self.codes, self.units = params, codes, units
        self.specialty = CategoricalTable(
            [[pop.specialties[s].get(sp, 0.0) if codes.specialty_series[i] == si else 0.0
              for i, sp in enumerate(codes.specialties)] for si, s in enumerate(codes.series)])
        self.level = CategoricalTable(
            [[pop.unit_types[t].levels.get(lv, 0.0) for lv in LEVELS] for t in codes.unit_types])
        self.education = CategoricalTable(
            [[pop.education[g].get(e, 0.0) for e in EDUCATIONS] for g in ("other", "grassroots")])
        self.age_min = np.array([pop.age_by_level[lv].min for lv in LEVELS], dtype=np.int64)
        self.age_max = np.array([pop.age_by_level[lv].max for lv in LEVELS], dtype=np.int64)
        self.papers_rate = np.array([params.records.papers_per_year[e] for e in EDUCATIONS])

    def draw(self, ids, unit, draws: Draws, year: int, purpose: Purpose, level=None,
             age=None) -> People:
        """New people with the given ids in the given units; ``level`` None draws the
        level from the unit type's mix; ``age`` None draws it from the level's range."""
        pop, units = self.params.population, self.units
        n = len(ids)
        def u(k):  # drawn when needed, so that only one temporary array lives at a time
            return draws.uniform(year, purpose, ids, salt=k)

        grassroots = units.grassroots[unit]
        if level is None:
            level = self.level.choose(u(0), units.unit_type[unit])
        level = np.asarray(level, dtype=np.int8)
        female = u(1) < pop.female_share
        retire = np.where(female, self.params.flows.retirement_age.female,
                          self.params.flows.retirement_age.male)
        if age is None:
            hi = np.minimum(self.age_max[level], retire - 1)
            lo = np.minimum(self.age_min[level], hi)
            age = lo + np.floor(u(2) * (hi - lo + 1)).astype(np.int64)
        age = np.minimum(np.asarray(age, dtype=np.int64), retire - 1)
        career = np.maximum(age - pop.entry_age.min, 0)
        years_cap = np.minimum(career, pop.max_years_at_level)
        years = np.where(level > 0, np.floor(u(3) * (years_cap + 1)), np.minimum(career, years_cap))
        education = self.education.choose(u(4), grassroots.astype(np.int64))
        ability = draws.normal(year, purpose, ids, salt=10) + np.where(
            grassroots, pop.ability_mean.grassroots, pop.ability_mean.other)
        practice = draws.normal(year, purpose, ids, salt=11) + np.where(
            grassroots, pop.practice_mean.grassroots, pop.practice_mean.other)
        papers = np.floor(self.papers_rate[education] * career + u(5))  # expected, randomly rounded
        specialty = self.specialty.choose(u(6), units.series[unit])
        return People(
            id=np.asarray(ids, dtype=np.int32), unit=np.asarray(unit, dtype=np.int32),
            specialty=specialty.astype(np.int16), level=level,
            post_level=level.copy(), education=education.astype(np.int8), female=female,
            age=age.astype(np.int8), years_at_level=years.astype(np.int8),
            ability=ability.astype(np.float32), practice=practice.astype(np.float32),
            papers=papers.astype(np.int16), failures=np.zeros(n, dtype=np.int8),
            pass_until=np.full(n, NO_PASS, dtype=np.int16),
            pass_scope=np.zeros(n, dtype=np.int8), directed=np.zeros(n, dtype=bool),
            titled_year=np.where(level > 0, year - years, 0).astype(np.int16),
            waiting_since=np.where(level > 0, year - years, 0).astype(np.int16),
            years_before=np.zeros(n, dtype=np.int8),
            grassroots=grassroots, attached=units.attached[unit], series=units.series[unit],
            pair=np.zeros(n, dtype=np.int32),
        )


def synthetic_workforce(params: Scenario, codes: Codebook, seed: int, year: int | None = None):
    """The starting workforce: (units, people, sampler), drawn in ``year`` (by default the
    year before the start; earlier when a history follows). Every unit is staffed to its
    establishment; titles beyond the unit's posts wait for a post (评聘分开)."""
    units = build_units(params, codes)
    unit = np.repeat(np.arange(len(units), dtype=np.int32), units.establishment)
    ids = np.arange(len(unit), dtype=np.int32)
    sampler = PersonSampler(params, codes, units)
    draws = Draws(seed, POPULATION_STREAM)
    year = params.horizon.start - 1 if year is None else year
    people = sampler.draw(ids, unit, draws, year, Purpose.POPULATION)
    return units, people, sampler
