"""Who of the eligible applies this year: a propensity by unit kind, higher when a
valid exam pass is held (一(三) 三年有效: no retake needed), lower after each failure."""
from __future__ import annotations

import numpy as np


def applies(u, eligible, grassroots, holds_usable_pass, failures, application) -> np.ndarray:
    p = np.where(grassroots, application.base.grassroots, application.base.other)
    p = p * np.power(application.failure_factor, failures.astype(np.float64))
    p = np.where(holds_usable_pass, application.with_valid_pass, p)
    return eligible & (u < p)
