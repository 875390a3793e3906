"""Compiled pass of steps 2-3 (eligibility and application), in one pass over the people.

The same arithmetic as :func:`titlesim.steps.eligibility_step` and
:func:`titlesim.steps.application_step` with the rules of
:mod:`titlesim.rules.eligibility`, :mod:`titlesim.rules.validity` and
:mod:`titlesim.rules.application` (the reference), each a small scalar function here:
who is eligible for the next level, and who of the eligible applies (the draw made for
them alone, from the id). It counts ``eligible``, ``applied`` and ``valid_passes_held``
as it goes and writes the applicants' positions, so no subset of the people is taken.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from titlesim.kernels import at, person_bits, rows
from titlesim.metrics import M
from titlesim.rules.eligibility import NOT_ALLOWED
from titlesim.rules.validity import SCOPE_GENERAL, SCOPE_GRASSROOTS
from titlesim.scenario.schema import EDUCATIONS

_ELIGIBLE, _APPLIED, _VALID = M["eligible"], M["applied"], M["valid_passes_held"]


@njit(cache=True, inline="always")
def _eligible(level, education, years_at_level, grassroots_route, barred, papers,
              need_years, need_papers, n_educations):
    """:func:`titlesim.rules.eligibility.eligible` for one person."""
    code = ((level * n_educations + education) * 2 + grassroots_route) * 2 + barred
    required = need_years[at(code)]
    return (required != NOT_ALLOWED) & (years_at_level >= required) & (papers >= need_papers[at(code)])


@njit(cache=True, inline="always")
def _usable(pass_until, pass_scope, year, grassroots_route):
    """:func:`titlesim.rules.validity.usable` for one person."""
    in_scope = (pass_scope == SCOPE_GENERAL) | ((pass_scope == SCOPE_GRASSROOTS) & grassroots_route)
    return in_scope & (pass_until >= year) & (pass_until > 0)


@njit(cache=True, inline="always")
def _propensity(grassroots, holds_pass, failures, factor, base_grassroots, base_other,
                with_valid_pass, failure_power):
    """The probability of :func:`titlesim.rules.application.applies` for one person
    (``failure_power[f]``: ``failure_factor ** f``)."""
    p = min((base_grassroots if grassroots else base_other) * factor, 1.0) * failure_power[failures]
    return with_valid_pass if holds_pass else p


@njit(cache=True)
def _eligible_and_applying(year, stream, id_, level, education, years_at_level, ratio_member,
                           unit, unit_jc_barred, papers, need_years, need_papers,
                           n_educations, pair, series, has_exam, pass_until, pass_scope,
                           unit_type, application_factor, grassroots, failures,
                           base_grassroots, base_other, with_valid_pass, failure_power,
                           eligible_row, applied_row, valid_row, target_cell, applicants,
                           applicant_has_exam, applicant_holds):
    """Every person is tested and drawn for without a branch (59 % are eligible, at
    random: a branch would be mispredicted often); what is counted and kept is the same.
    The level sought is looked up for everyone: for the eligible it is ``level + 1``
    (the full senior level has no next)."""
    k = 0
    for j in range(id_.size):
        i = at(j)
        sought = min(level[i] + 1, 3)
        cell = pair[i] * 4 + sought
        target_cell[i] = cell
        ok = _eligible(level[i], education[i], years_at_level[i], ratio_member[i],
                       unit_jc_barred[at(unit[i])], papers[i], need_years, need_papers,
                       n_educations)
        c = at(cell)
        eligible_row[c] += ok
        exam = has_exam[at(series[i]), at(sought)]
        holds = exam & _usable(pass_until[i], pass_scope[i], year, ratio_member[i])
        p = _propensity(grassroots[i], holds, at(failures[i]),
                        application_factor[at(unit_type[at(unit[i])]), at(sought)],
                        base_grassroots, base_other, with_valid_pass, failure_power)
        u = np.float64(person_bits(stream, id_[i]) >> np.uint64(11)) * (1.0 / (1 << 53))
        applies = ok & (u < p)
        applied_row[c] += applies
        valid_row[c] += applies & holds
        applicants[at(k)] = j
        applicant_has_exam[at(k)] = exam
        applicant_holds[at(k)] = holds
        k += applies
    return k


def eligible_and_applying(s, stream: np.uint64) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Steps 2-3 on the state ``s``: sets ``s.target_cell``, counts, and returns the
    applicants' positions, whether the level they seek has an exam and whether they hold
    a usable pass. ``stream``: the draws' stream of (year, APPLY)."""
    p, setup = s.people, s.setup
    application = setup.params.application
    n = len(p)
    s.target_cell = np.empty(n, dtype=np.int32)
    applicants = np.empty(n, dtype=np.int64)  # only the pages written are ever touched
    has_exam, holds = np.empty(n, dtype=bool), np.empty(n, dtype=bool)
    k = _eligible_and_applying(
        s.year, stream, p.id, p.level, p.education, p.years_at_level, s.ratio_member, p.unit,
        setup.unit_jc_barred, p.papers, setup.need_years, setup.need_papers,
        len(EDUCATIONS), p.pair, p.series, setup.has_exam,
        p.pass_until, p.pass_scope, setup.units.unit_type, setup.application_factor,
        p.grassroots, p.failures, float(application.base.grassroots),
        float(application.base.other), float(application.with_valid_pass),
        _failure_powers(setup),
        *rows(s.counts.counts, _ELIGIBLE, _APPLIED, _VALID), s.target_cell,
        applicants, has_exam, holds)
    return applicants[:k].copy(), has_exam[:k].copy(), holds[:k].copy()


def _failure_powers(setup) -> np.ndarray:
    """:func:`failure_powers` of the set-up's scenario, made once per set-up."""
    return setup.derive("failure_powers",
                        lambda: failure_powers(setup.params.application.failure_factor))


def failure_powers(failure_factor: float) -> np.ndarray:
    """``failure_factor ** f`` for every number of failures an int8 holds, computed by
    numpy as :func:`titlesim.rules.application.applies` does."""
    return np.power(failure_factor, np.arange(128, dtype=np.float64))
