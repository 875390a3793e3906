"""Who of the eligible applies this year: a propensity by unit kind, higher when a
valid exam pass is held (一(三) 三年有效: no retake needed), lower after each failure.

The propensity by unit kind (``application.base``) is multiplied by a factor per unit type
and level sought (``application.factor``, fitted so that the flows sustain the stated
grade structure), and is at most 1.
"""
from __future__ import annotations

import numpy as np


def applies(u, eligible, grassroots, holds_usable_pass, failures, application,
            factor=1.0) -> np.ndarray:
    """>>> from types import SimpleNamespace as A
    >>> a = A(base=A(grassroots=0.25, other=0.3), with_valid_pass=0.95, failure_factor=0.8)
    >>> applies(np.array([0.5, 0.5, 0.9]), True, np.array([True, True, False]),
    ...         np.array([False, False, True]), np.array([0, 1, 0]), a,
    ...         factor=np.array([2.5, 2.5, 1.0])).tolist()
    [True, False, True]
    """
    p = np.where(grassroots, application.base.grassroots, application.base.other)
    p = np.minimum(p * factor, 1.0)
    p = p * np.power(application.failure_factor, failures.astype(np.float64))
    p = np.where(holds_usable_pass, application.with_valid_pass, p)
    return eligible & (u < p)
