"""Moves between units, and what a directed title is worth after one.

Notice 一(二): "定向评价、定向使用": a grassroots-directed title is valid in grassroots
units only. A holder who moves out loses it there (``directed_on_leaving: lose``, see
:mod:`titlesim.rules.directed`) or may not move out at all (``barred``). A move is not a
hire: the mover keeps their history (:func:`titlesim.steps.mobility_step`).
"""
from __future__ import annotations

import numpy as np


def movers(u, grassroots, directed, mobility, can_move) -> np.ndarray:
    """Who moves this year: out of grassroots at one rate, into grassroots at another;
    only where a unit of the other kind exists for their series and county."""
    rate = np.where(grassroots, mobility.out_of_grassroots, mobility.into_grassroots)
    moving = (u < rate) & can_move
    if mobility.directed_on_leaving == "barred":
        moving &= ~(grassroots & directed)
    return moving

