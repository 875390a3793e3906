"""Steps 4-5, exam and pass lines, compiled: :func:`titlesim.steps.exam_and_pass_lines_step`
in one pass over the applicants (who sits, their score, their ratio group), the lines
of the groups (each group's scores sorted), and one pass that records the passes.

The same arithmetic as :mod:`titlesim.rules.exam`, :mod:`titlesim.rules.passline` and
:mod:`titlesim.rules.validity`, so the same people pass and the same lines are set. A
group is numbered by its key (the ``group_by`` columns in mixed radix, as
:func:`titlesim.steps.exam._ratio_groups`), groups in the order of their keys.
"""
from __future__ import annotations

import weakref
from fractions import Fraction

import numpy as np
from numba import njit

from titlesim import events as ev
from titlesim.kernels import at, person_normal, person_uniform
from titlesim.metrics import M
from titlesim.randomness import Purpose
from titlesim.rules import passline, validity
from titlesim.scenario.schema import GROUPABLE

_CEIL, _FLOOR, _HALF_UP = range(3)
_DENSE_KEYS = 1 << 22  # more possible groups than this: numbered by a sort instead


@njit(cache=True)
def _sit(applicant, has_exam, holds_pass, ids, ability, ratio_member, columns, by, radix, exam,
         streams, target_cell, ev_exam, sat_row):
    """Who sits, their score (NaN: absent) and ratio-group key (-1: not in a group)."""
    mean, effect, noise_sd, step, absent_rate, full_marks = exam
    noise_stream, absent_stream = streams
    series, level, specialty, unit, county = columns
    n = applicant.size
    taker_at = np.empty(n, dtype=np.int64)
    score = np.empty(n, dtype=np.float64)
    key = np.empty(n, dtype=np.int64)
    m = 0
    for j in range(n):
        if not has_exam[j] or holds_pass[j]:
            continue
        i = at(applicant[j])
        raw = mean + effect * np.float64(ability[i]) + noise_sd * person_normal(noise_stream, ids[i])
        s = min(max(np.round(raw / step) * step, 0.0), full_marks)
        if person_uniform(absent_stream, ids[i]) < absent_rate:
            s = np.nan
            ev_exam[j] = ev.ABSENT
        else:
            ev_exam[j] = ev.FAILED  # until the lines say otherwise
            sat_row[target_cell[i]] += 1
        k = -1
        if ratio_member[i]:
            k = 0
            for c in range(by.size):  # the columns of GROUPABLE, in its order
                if by[c] == 0:
                    v = np.int64(series[i])
                elif by[c] == 1:
                    v = min(np.int64(level[i]) + 1, 3)
                elif by[c] == 2:
                    v = np.int64(specialty[i])
                else:
                    v = np.int64(county[unit[i]])
                k = k * radix[c] + v
        taker_at[m], score[m], key[m] = j, s, k
        m += 1
    return taker_at[:m], score[:m], key[:m]


@njit(cache=True)
def _group_counts(score, group, n_groups):
    """Each ratio group's applicants and those with a score."""
    applied = np.zeros(n_groups, dtype=np.int64)
    sat = np.zeros(n_groups, dtype=np.int64)
    for j in range(group.size):
        if group[j] >= 0:
            applied[group[j]] += 1
            sat[group[j]] += not np.isnan(score[j])
    return applied, sat


@njit(cache=True)
def _places(p, q, rounding, base, sat):
    """:func:`titlesim.rules.passline.ratio_places` of each group, the ratio being the
    exact fraction ``p / q`` (small enough that ``2 p n`` fits 63 bits)."""
    k = np.zeros(base.size, dtype=np.int64)
    for g in range(base.size):
        n = base[g]
        if p == 0 or n <= 0 or sat[g] <= 0:
            continue
        if rounding == _CEIL:
            places = (p * n + q - 1) // q
        elif rounding == _FLOOR:
            places = (p * n) // q
        else:
            places = (2 * p * n + q) // (2 * q)
        k[g] = min(max(places, 1), sat[g])
    return k


@njit(cache=True)
def _lines(score, group, sat, k, standard, floor, cap_ties):
    """Each group's line and passes, and who passes by ratio only."""
    n_groups = sat.size
    start = np.zeros(n_groups + 1, dtype=np.int64)
    for g in range(n_groups):
        start[g + 1] = start[g] + sat[g]
    filled = start[:-1].copy()
    scores = np.empty(start[n_groups], dtype=np.float64)  # scored members, by group
    for j in range(group.size):
        if group[j] >= 0 and not np.isnan(score[j]):
            scores[filled[group[j]]] = score[j]
            filled[group[j]] += 1
    line = np.full(n_groups, np.nan)
    for g in range(n_groups):
        if k[g] > 0:
            line[g] = np.sort(scores[start[g]:start[g + 1]])[sat[g] - k[g]]  # the k-th highest
            if not np.isnan(floor):
                line[g] = max(line[g], floor)
    reaching = np.zeros(n_groups, dtype=np.int64)
    for j in range(group.size):
        if group[j] >= 0:
            reaching[group[j]] += score[j] >= line[group[j]]
    ratio_only = np.zeros(group.size, dtype=np.bool_)
    passed_ratio_only = np.zeros(n_groups, dtype=np.int64)
    passed_provincial = np.zeros(n_groups, dtype=np.int64)
    for j in range(group.size):
        g = group[j]
        if g < 0:
            continue
        provincial = score[j] >= standard
        by_ratio = score[j] >= line[g]
        if cap_ties and reaching[g] > k[g] and score[j] == line[g]:
            by_ratio = False
        ratio_only[j] = by_ratio and not provincial
        passed_ratio_only[g] += ratio_only[j]
        passed_provincial[g] += provincial
    return line, passed_ratio_only, passed_provincial, ratio_only


@njit(cache=True)
def _record(year, applicant, taker_at, score, ratio_only, standard, years, ratio_only_years,
            target_cell, pass_until, pass_scope, failures, ev_exam, provincial_row, ratio_row):
    for m in range(taker_at.size):
        j = taker_at[m]
        i = at(applicant[j])
        provincial = score[m] >= standard
        if provincial:
            provincial_row[target_cell[i]] += 1
            pass_until[i] = year + years - 1
            pass_scope[i] = validity.SCOPE_GENERAL
            ev_exam[j] = ev.PASSED_PROVINCIAL
        elif ratio_only[m]:
            ratio_row[target_cell[i]] += 1
            pass_until[i] = year + ratio_only_years - 1
            pass_scope[i] = validity.SCOPE_GRASSROOTS
            ev_exam[j] = ev.PASSED_RATIO_ONLY
        elif not np.isnan(score[m]):
            failures[i] = min(failures[i] + 1, 100)


def exam_and_pass_lines_step(s) -> None:
    """:func:`titlesim.steps.exam_and_pass_lines_step`, compiled (the same scores,
    passes, lines, counts and records)."""
    p, setup, params = s.people, s.setup, s.setup.params
    rule, c = params.passline, _constants(setup)
    rows = s.counts.counts
    taker_at, score, key = _sit(
        s.applicants, s.has_exam, s.holds_pass, p.id, p.ability, s.ratio_member,
        (p.series, p.level, p.specialty, p.unit, setup.units.county), c.by_index, c.radix, c.exam,
        (s.draws.stream(s.year, Purpose.EXAM_NOISE), s.draws.stream(s.year, Purpose.ABSENT)),
        s.target_cell, s.events.exam, rows[M["sat_exam"]])
    if len(taker_at) == 0:
        return
    keys, group = _numbered(key, c.n_keys)
    applied, sat = _group_counts(score, group, len(keys))
    base = sat if rule.ratio_base == "sat" else applied
    ratio = c.ratio
    if 2 * ratio.numerator * max(int(base.max(initial=0)), 1) < 2**62:
        k = _places(ratio.numerator, ratio.denominator, c.rounding, base, sat)
    else:  # a ratio of many digits: exact in Python's integers
        k = np.array([passline.ratio_places(rule.ratio, n, rule.rounding, m)
                      for n, m in zip(base.tolist(), sat.tolist())], dtype=np.int64)
    line, passed_ratio_only, passed_provincial, ratio_only = _lines(
        score, group, sat, k, c.standard, c.floor, c.cap_ties)
    _record(s.year, s.applicants, taker_at, score, ratio_only, c.standard, c.validity_years,
            c.ratio_only_years, s.target_cell, p.pass_until, p.pass_scope,
            p.failures, s.events.exam, rows[M["passed_provincial"]], rows[M["passed_ratio_only"]])
    shown = np.flatnonzero(applied)  # over groups, not people; Python's numbers
    year, values = s.year, c.values
    s.lines.extend((year, *values(g), *numbers) for g, *numbers in zip(
        keys[shown].tolist(), applied[shown].tolist(), sat[shown].tolist(), k[shown].tolist(),
        line[shown].tolist(), passed_ratio_only[shown].tolist(), passed_provincial[shown].tolist()))


class _Constants:
    """What the step reads from the scenario, worked out once per set-up (not every
    replicate-year): the ratio groups' columns, the exam's numbers, the ratio as a fraction."""

    def __init__(self, setup):
        params = setup.params
        e, rule = params.exam, params.passline
        codes = setup.codes
        names = {"series": codes.series, "level": codes.levels, "specialty": codes.specialties,
                 "county": codes.counties}
        by = [c for c in GROUPABLE if c in rule.group_by]
        self.columns = [names[c] for c in by]
        self.radix = np.array([len(names[c]) for c in by], dtype=np.int64)
        self.by_index = np.array([GROUPABLE.index(c) for c in by], dtype=np.int64)
        self.n_keys = int(np.prod(self.radix))
        self.rounding = ("ceil", "floor", "half_up").index(rule.rounding)
        self.exam = (float(e.mean_score), float(e.ability_effect), float(e.noise_sd), float(e.score_step),
                     float(e.absent_rate), float(rule.full_marks))
        self.ratio = Fraction(str(float(rule.ratio)))
        self.standard = float(rule.provincial_standard)
        self.floor = np.nan if rule.floor is None else float(rule.floor)
        self.cap_ties = rule.ties == "cap"
        self.validity_years = int(params.validity.years)
        self.ratio_only_years = int(params.validity.ratio_only_years)
        self._values: dict[int, tuple] = {}

    def values(self, k: int) -> tuple:
        """The names of a group's key (:func:`titlesim.steps.exam._ratio_groups`)."""
        known = self._values.get(k)
        if known is None:
            row, rest = [], k
            for names in reversed(self.columns):
                row.append(names[rest % len(names)])
                rest //= len(names)
            known = self._values[k] = tuple(reversed(row))
        return known


_made: dict[int, tuple] = {}  # id(setup) -> (weak reference to it, its _Constants)


def _constants(setup) -> _Constants:
    """The set-up's :class:`_Constants`, made on its first year (kept beside it, not on it)."""
    known = _made.get(id(setup))
    if known is None or known[0]() is not setup:
        for gone in [i for i, (ref, _) in _made.items() if ref() is None]:
            _made.pop(gone, None)
        known = _made[id(setup)] = weakref.ref(setup), _Constants(setup)
    return known[1]


def _numbered(key: np.ndarray, n_keys: int):
    """The keys of the ratio groups, ascending, and each taker's group (-1: none)."""
    if n_keys <= _DENSE_KEYS:
        return _numbered_dense(key, n_keys)
    member = key >= 0
    keys = np.unique(key[member])
    return keys, np.where(member, np.searchsorted(keys, key), -1)


@njit(cache=True)
def _numbered_dense(key, n_keys):
    """:func:`_numbered` where every possible key has a place: keys present, in order."""
    rank = np.full(n_keys, -1, dtype=np.int64)
    for k in key:
        if k >= 0:
            rank[k] = 0
    n = 0
    for k in range(n_keys):
        if rank[k] == 0:
            rank[k] = n
            n += 1
    keys = np.empty(n, dtype=np.int64)
    for k in range(n_keys):
        if rank[k] >= 0:
            keys[rank[k]] = k
    group = np.empty(key.size, dtype=np.int64)
    for j in range(key.size):
        group[j] = rank[key[j]] if key[j] >= 0 else -1
    return keys, group
