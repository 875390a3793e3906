"""A bureau's roster as the engine's starting workforce: :class:`~titlesim.people.Units`
and :class:`~titlesim.people.People`, used exactly as a synthetic workforce is.

Units are the roster's 单位, ordered by county, unit type and name; each unit's
establishment is its 编制数, or its headcount. People are ordered by their person id,
the rank of their salted hash, so the row order of the file changes nothing. What the
roster does not say (latent exam ability, practice record, and sex, papers or the years
of a junior without a date when those are empty) is drawn from the scenario's
distributions with the same draws a synthetic person with that id would get (common
random numbers): :meth:`~titlesim.population.PersonSampler.draw`, then the roster's
columns overwrite the drawn ones.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from titlesim.i18n import msg
from titlesim.people import Codebook, People, Units
from titlesim.population import POPULATION_STREAM, PersonSampler
from titlesim.randomness import Draws, Purpose
from titlesim.roster.privacy import roster_salt
from titlesim.roster.read import Roster, read_roster
from titlesim.scenario.schema import EDUCATIONS, LEVELS, Scenario

OVERSTAFFED = 2  # establishment beyond this many times the roster's people is warned of


def _codes(column: pd.Series, names) -> np.ndarray:
    return column.map({n: i for i, n in enumerate(names)}).to_numpy()


def unit_establishment(rows: pd.DataFrame) -> pd.Series:
    """Each unit's establishment: its 编制数, or else its headcount (by unit name)."""
    headcount = rows["unit"].value_counts()
    stated = pd.to_numeric(rows.groupby("unit")["establishment"].first(), errors="coerce")
    return stated.reindex(headcount.index).fillna(headcount)


def roster_establishment(params: Scenario) -> int:
    """The staff the units of the scenario's roster are set up for (the workforce the
    simulation fills its vacancies towards)."""
    roster = read_roster(params.population.roster, params, roster_salt(params))
    return int(unit_establishment(roster.rows).sum())


def warn_if_overstaffed(headcount: int, establishment: int) -> None:
    """A warning when the units' 编制数 add up to far more than the roster's people: the
    first year's entrants fill the vacancies, so the workforce jumps (docs/commands.md)."""
    if establishment > OVERSTAFFED * headcount:
        warnings.warn(msg("roster.establishment_far_above", people=f"{headcount:,}",
                          establishment=f"{establishment:,}",
                          times=f"{establishment / headcount:.0f}"), stacklevel=2)


def roster_units(rows: pd.DataFrame, params: Scenario, codes: Codebook) -> tuple[Units, np.ndarray]:
    """The units of the roster and the unit of each row."""
    spec = params.population.unit_types
    first = rows.groupby("unit", sort=False).first()
    first["county_code"] = _codes(first["county"], codes.counties)
    first["type_code"] = _codes(first["unit_type"], codes.unit_types)
    first = first.reset_index().sort_values(["county_code", "type_code", "unit"], kind="stable")
    establishment = unit_establishment(rows).reindex(first["unit"])
    types = first["unit_type"]
    units = Units(
        county=first["county_code"].to_numpy(np.int16),
        unit_type=first["type_code"].to_numpy(np.int16),
        series=np.array([codes.series.index(spec[t].series) for t in types], dtype=np.int8),
        grassroots=np.array([spec[t].grassroots for t in types], dtype=bool),
        attached=np.array([spec[t].attached for t in types], dtype=bool),
        establishment=establishment.to_numpy(np.int32),
    )
    index = pd.Series(np.arange(len(first)), index=first["unit"].to_numpy())
    return units, rows["unit"].map(index).to_numpy(np.int32)


def roster_people(roster: Roster, params: Scenario, codes: Codebook, units: Units,
                  unit: np.ndarray, sampler: PersonSampler, seed: int) -> People:
    """People of the roster, in the order of their ids (ranks of the salted hashes)."""
    rows = roster.rows
    order = np.argsort(rows["person_key"].to_numpy(dtype=str), kind="stable")
    rows, unit = rows.iloc[order].reset_index(drop=True), unit[order]
    ids = np.arange(len(rows), dtype=np.int32)
    year = params.horizon.start - 1  # the roster is the state at the end of this year
    level = _codes(rows["level"], LEVELS).astype(np.int8)
    age = (year - rows["birth_year"]).to_numpy(np.int64)
    people = sampler.draw(ids, unit, Draws(seed, POPULATION_STREAM), year, Purpose.POPULATION,
                          level=level, age=age)
    people.age = age.astype(np.int8)
    people.specialty = _codes(rows["specialty"], codes.specialties).astype(np.int16)
    people.education = _codes(rows["education"], EDUCATIONS).astype(np.int8)
    sex = rows["sex"].to_numpy(dtype=object)
    people.female = np.where(pd.isna(sex), people.female, sex == "female").astype(bool)
    title_year = rows["title_year"].to_numpy(dtype=float)
    years = np.where(np.isnan(title_year), people.years_at_level, np.maximum(year - title_year, 0))
    people.years_at_level = years.astype(np.int8)
    people.titled_year = np.where(level > 0, year - years, 0).astype(np.int16)
    people.waiting_since = people.titled_year.copy()
    papers = pd.to_numeric(rows["papers"], errors="coerce").to_numpy(dtype=float)
    people.papers = np.where(np.isnan(papers), people.papers, papers).astype(np.int16)
    post = _codes(rows["post_level"], LEVELS).astype(float)
    people.post_level = np.where(np.isnan(post), level, post).astype(np.int8)
    return people


def roster_workforce(params: Scenario, codes: Codebook, seed: int, roster_path):
    """The starting workforce from the roster file: ``(units, people, sampler)``, as
    :func:`titlesim.population.synthetic_workforce` gives it."""
    roster = read_roster(roster_path, params, roster_salt(params))
    units, unit = roster_units(roster.rows, params, codes)
    warn_if_overstaffed(len(roster.rows), int(units.establishment.sum()))
    sampler = PersonSampler(params, codes, units)
    people = roster_people(roster, params, codes, units, unit, sampler, seed)
    return units, people, sampler
