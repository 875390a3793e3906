"""Who may apply for the next level.

Years at the current level by education (a parameter table); grassroots staff may apply
earlier (一(二)一(三): "鼓励卫生专业技术人员扎根防病治病一线"); junior-college graduates
may seek senior titles only in the unit types the scenario lists; and the hard
requirements of the criteria that apply to the person's route (``min_papers``).
"""
from __future__ import annotations

import numpy as np

from titlesim.people import FULL_SENIOR
from titlesim.scenario.schema import EDUCATIONS, TARGET_LEVELS

NOT_ALLOWED = -1


def years_table(years_required) -> np.ndarray:
    """(target level 0..3, education) -> years required; -1 where not allowed."""
    table = np.full((4, len(EDUCATIONS)), NOT_ALLOWED, dtype=np.int16)
    for t_index, target in enumerate(TARGET_LEVELS, start=1):
        for e_index, edu in enumerate(EDUCATIONS):
            value = years_required.get(target, {}).get(edu)
            if value is not None:
                table[t_index, e_index] = value
    return table


def papers_table(criteria) -> np.ndarray:
    """(route: 0 general / 1 grassroots, target level 0..3) -> papers required."""
    table = np.zeros((2, 4), dtype=np.int16)
    for r_index, route in enumerate(("general", "grassroots")):
        for t_index, target in enumerate(TARGET_LEVELS, start=1):
            table[r_index, t_index] = criteria[route].min_papers.get(target, 0)
    return table


def requirement_tables(years: np.ndarray, papers_required: np.ndarray,
                       grassroots_reduction: int, junior_college: int):
    """Flatten the requirements into lookups by one small code per person:
    ``((level x educations + education) x 2 + grassroots route) x 2 + junior college
    barred`` -> (years needed, papers needed); -1 years where not allowed."""
    n_edu = years.shape[1]
    need_years = np.full((4, n_edu, 2, 2), NOT_ALLOWED, dtype=np.int16)
    need_papers = np.zeros((4, n_edu, 2, 2), dtype=np.int16)
    for level in range(FULL_SENIOR):
        target = level + 1
        for edu in range(n_edu):
            for route in (0, 1):
                for barred in (0, 1):
                    required = years[target, edu]
                    if required == NOT_ALLOWED or (barred and edu == junior_college and target >= 2):
                        continue
                    need_years[level, edu, route, barred] = max(required - grassroots_reduction * route, 0)
                    need_papers[level, edu, route, barred] = papers_required[route, target]
    return need_years.ravel(), need_papers.ravel()


def eligible(level, education, years_at_level, grassroots_route, junior_college_barred,
             papers, need_years: np.ndarray, need_papers: np.ndarray, n_educations: int) -> np.ndarray:
    """Eligible to apply for ``level + 1`` this year (tables from
    :func:`requirement_tables`)."""
    code = level.astype(np.int16) * n_educations + education
    code *= 2
    code += grassroots_route
    code *= 2
    code += junior_college_barred
    required = need_years.take(code)
    ok = required != NOT_ALLOWED
    ok &= years_at_level >= required
    ok &= papers >= need_papers.take(code)
    return ok
