"""What happened to whom in one year: the records the steps write and the exports read
(never reconstructed by comparing snapshots of the people).

:class:`YearEvents` holds, for one replicate and year, one entry per application (the
applicant's index among the people of that year, the level held, the exam outcome, the
route, the result, the scope of a title, whether hired the same year), and the moves
(who moved, whether they lost a directed title). Indices are positions in
``State.people`` between the year's flows and the next year's, when nobody is removed.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

EXAM_OUTCOMES = ("no_exam", "valid_pass", "passed_provincial", "passed_ratio_only", "failed",
                 "absent")
RESULTS = ("titled", "not_titled", "not_evaluated", "no_valid_pass")
SCOPES = ("", "general", "grassroots")
NO_EXAM, VALID_PASS, PASSED_PROVINCIAL, PASSED_RATIO_ONLY, FAILED, ABSENT = range(6)
TITLED, NOT_TITLED, NOT_EVALUATED, NO_VALID_PASS = range(4)


def _empty(dtype, n: int = 0) -> np.ndarray:
    return np.zeros(n, dtype=dtype)


@dataclass
class YearEvents:
    """One year's records. Application arrays are aligned with ``applicant``."""

    applicant: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    level_held: np.ndarray = field(default_factory=lambda: _empty(np.int8))
    exam: np.ndarray = field(default_factory=lambda: _empty(np.int8))  # EXAM_OUTCOMES code
    route: np.ndarray = field(default_factory=lambda: _empty(np.int8))  # rules.route code
    result: np.ndarray = field(default_factory=lambda: _empty(np.int8))  # RESULTS code
    scope: np.ndarray = field(default_factory=lambda: _empty(np.int8))  # SCOPES code
    hired: np.ndarray = field(default_factory=lambda: _empty(bool))  # hired the same year
    hired_people: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    moved: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    moved_lost_directed: np.ndarray = field(default_factory=lambda: _empty(bool))

    def applied(self, applicants: np.ndarray, level_held: np.ndarray) -> None:
        n = len(applicants)
        self.applicant, self.level_held = applicants.astype(np.int64), level_held.astype(np.int8)
        self.exam = np.full(n, NO_EXAM, dtype=np.int8)
        self.route = _empty(np.int8, n)
        self.result = np.full(n, NO_VALID_PASS, dtype=np.int8)
        self.scope = _empty(np.int8, n)
        self.hired = _empty(bool, n)

    def at(self, people: np.ndarray) -> np.ndarray:
        """Positions in the application arrays of ``people`` (indices of applicants)."""
        order = np.argsort(self.applicant, kind="stable")
        return order[np.searchsorted(self.applicant, people, sorter=order)]
