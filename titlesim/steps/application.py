"""Steps 2-3, eligibility and application (docs/model.md).
:mod:`titlesim.compiled.eligibility` does the same in one compiled pass."""
from __future__ import annotations

import numpy as np

from titlesim import events as ev
from titlesim.randomness import Purpose
from titlesim.rules import application, eligibility, validity
from titlesim.scenario.schema import EDUCATIONS
from titlesim.sizes import kernels_for
from titlesim.steps.state import State


def eligibility_and_application_step(s: State) -> None:
    """2-3. Who may apply for the next level, and who of them applies."""
    if kernels_for(len(s.people)):
        from titlesim.compiled.eligibility import eligible_and_applying
        applicants, has_exam, holds = eligible_and_applying(s, s.draws.stream(s.year, Purpose.APPLY))
        _record_applications(s, applicants, has_exam, holds)
    else:
        application_step(s, eligibility_step(s))


def eligibility_step(s: State) -> np.ndarray:
    """2. Who may apply for the next level (indices)."""
    p, setup = s.people, s.setup
    s.target_cell = p.pair * 4 + np.minimum(p.level + 1, 3)
    ok = eligibility.eligible(p.level, p.education, p.years_at_level, s.ratio_member,
                              setup.unit_jc_barred[p.unit], p.papers, setup.need_years,
                              setup.need_papers, len(EDUCATIONS))
    s.counts.add("eligible", s.target_cell, ok)
    return np.flatnonzero(ok)


def application_step(s: State, eligible: np.ndarray) -> None:
    """3. Who of the eligible applies."""
    p = s.people
    has_exam = s.setup.has_exam[p.series[eligible], p.level[eligible] + 1]
    holds = has_exam & validity.usable(p.pass_until[eligible], p.pass_scope[eligible], s.year,
                                       s.ratio_member[eligible])
    factor = s.setup.application_factor[s.setup.units.unit_type[p.unit[eligible]],
                                        p.level[eligible] + 1]
    applied = application.applies(s.draws.uniform(s.year, Purpose.APPLY, p.id[eligible]),
                                   True, p.grassroots[eligible], holds, p.failures[eligible],
                                   s.setup.params.application, factor)
    _record_applications(s, eligible[applied], has_exam[applied], holds[applied])
    cell = s.target_cell[s.applicants]
    s.counts.add("applied", cell)
    s.counts.add("valid_passes_held", cell, s.holds_pass)


def _record_applications(s: State, applicants: np.ndarray, has_exam: np.ndarray,
                         holds: np.ndarray) -> None:
    s.applicants, s.has_exam, s.holds_pass = applicants, has_exam, holds
    s.events.applied(applicants, s.people.level[applicants])
    s.events.exam[has_exam & holds] = ev.VALID_PASS
