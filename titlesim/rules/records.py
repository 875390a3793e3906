"""The research record grows with time: papers per year by education.

Notice 一(一) "破四唯": papers are one record among others; whether the criteria
require any is a parameter of the evaluation (``min_papers``), not of this module.
"""
from __future__ import annotations

import numpy as np


def new_papers(u: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """Papers written this year: the whole part of the rate, plus one with the
    probability of its fractional part."""
    whole = np.floor(rate)
    return (whole + (u < rate - whole)).astype(np.int16)


def research_score(papers: np.ndarray, saturation: int) -> np.ndarray:
    """Research record on the criteria's scale, -1 (none) to +1 (``saturation`` papers)."""
    return np.minimum(papers, saturation) * (2.0 / saturation) - 1.0
