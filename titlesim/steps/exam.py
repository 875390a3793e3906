"""Steps 4-5, the exam and the pass lines (docs/model.md).
:mod:`titlesim.compiled.exam` does the same in compiled passes."""
from __future__ import annotations

import numpy as np

from titlesim import events as ev
from titlesim.randomness import Purpose
from titlesim.rules import exam, passline, validity
from titlesim.scenario.schema import GROUPABLE
from titlesim.sizes import kernels_for
from titlesim.steps.state import State


def exam_and_pass_lines_step(s: State) -> None:
    """4-5. Applicants without a usable pass sit; the provincial standard and the
    grassroots ratio lines decide who passes; the validity ledger records the passes."""
    if kernels_for(len(s.people)):
        from titlesim.compiled.exam import exam_and_pass_lines_step as compiled
        return compiled(s)
    p, params = s.people, s.setup.params
    takers = s.applicants[exam.sits(True, s.has_exam, s.holds_pass)]
    if len(takers) == 0:
        return
    ids = p.id[takers]
    score = exam.scores(p.ability[takers].astype(np.float64),
                        s.draws.normal(s.year, Purpose.EXAM_NOISE, ids),
                        s.draws.uniform(s.year, Purpose.ABSENT, ids), params.exam,
                        params.passline.full_marks)
    sat = ~np.isnan(score)
    at = s.events.at(takers)
    s.events.exam[at] = np.where(sat, ev.FAILED, ev.ABSENT)
    cell = s.target_cell[takers]
    s.counts.add("sat_exam", cell, sat)
    group, group_values = _ratio_groups(s, takers)
    lines = passline.set_pass_lines(score, group, s.ratio_member[takers], len(group_values),
                                    params.passline)
    s.counts.add("passed_provincial", cell, lines.person_provincial)
    s.counts.add("passed_ratio_only", cell, lines.person_ratio_only)
    until, scope = validity.new_passes(s.year, lines.person_provincial,
                                       lines.person_ratio_only, params.validity)
    passed = scope != validity.SCOPE_NONE
    s.events.exam[at[passed]] = np.where(scope[passed] == validity.SCOPE_GENERAL,
                                         ev.PASSED_PROVINCIAL, ev.PASSED_RATIO_ONLY)
    p.pass_until[takers[passed]] = until[passed]
    p.pass_scope[takers[passed]] = scope[passed]
    failed = takers[sat & ~passed]
    p.failures[failed] = np.minimum(p.failures[failed] + 1, 100)
    for g, values in enumerate(group_values):
        if lines.applied[g] > 0:
            s.lines.append((s.year, *values, int(lines.applied[g]), int(lines.sat[g]),
                            int(lines.k[g]), float(lines.line_score[g]),
                            int(lines.passed_ratio_only[g]), int(lines.passed_provincial[g])))


def _ratio_groups(s: State, takers: np.ndarray):
    """Group code of each taker by ``passline.group_by``, and each group's values."""
    setup, p = s.setup, s.people
    codes = setup.codes
    columns = {
        "series": (p.series[takers], codes.series),
        "level": (np.minimum(p.level[takers] + 1, 3), codes.levels),
        "specialty": (p.specialty[takers], codes.specialties),
        "county": (setup.units.county[p.unit[takers]], codes.counties),
    }
    by = [c for c in GROUPABLE if c in setup.params.passline.group_by]
    key = np.zeros(len(takers), dtype=np.int64)
    for c in by:
        key = key * len(columns[c][1]) + columns[c][0]
    unique, group = np.unique(key, return_inverse=True)
    values = []
    for k in unique.tolist():  # over groups, not people
        row = []
        for c in reversed(by):
            names = columns[c][1]
            row.append(names[k % len(names)])
            k //= len(names)
        values.append(tuple(reversed(row)))
    return group.reshape(-1), values
