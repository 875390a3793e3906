"""The professional exam, health series deputy senior only.

Notice 一(三): "正高级职称采取评审的方式，副高级职称继续采取考试与评审相结合的方式"
(full senior by evaluation only; deputy senior by exam plus evaluation). Which series and
levels sit an exam is ``exam.levels`` in the scenario.
"""
from __future__ import annotations

import numpy as np


def exam_level_table(levels_by_series: dict, series_names) -> np.ndarray:
    """(series code, target level 0..3) -> True where the level has an exam."""
    from titlesim.scenario.schema import LEVELS
    table = np.zeros((len(series_names), 4), dtype=bool)
    for s_index, name in enumerate(series_names):
        for target in levels_by_series.get(name, []):
            table[s_index, LEVELS.index(target)] = True
    return table


def sits(applied, has_exam, holds_usable_pass) -> np.ndarray:
    """Applicants to an exam level without a usable pass must sit (applied to sit)."""
    return applied & has_exam & ~holds_usable_pass


def scores(ability, z, u_absent, exam, full_marks: float) -> np.ndarray:
    """Score = mean + effect x ability + noise, in steps, within 0..full marks;
    NaN for an applicant who does not sit."""
    raw = exam.mean_score + exam.ability_effect * ability + exam.noise_sd * z
    stepped = np.round(raw / exam.score_step) * exam.score_step
    score = np.clip(stepped, 0.0, full_marks)
    return np.where(u_absent < exam.absent_rate, np.nan, score)
