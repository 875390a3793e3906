"""The order in which those waiting for a post are hired (评聘分开: a title does not
bring a post; the unit hires from those holding the title when a post is free).

``hiring_order: arrival`` (先评先聘): the longest waiting first, waiting counted from the
title or, for someone who moved, from the move (a move is not a hire: the mover queues
in the new unit from the day they arrive); ``merit``: the best record (ability plus
practice) first. Ties are broken by a draw (:func:`titlesim.rules.posts.hire`).

Worked example: A titled in 2020 and waiting since, B titled in 2018 who moved in 2023,
C titled in 2022. Under ``arrival`` in 2024 the queue is A (2020), C (2022), B (2023).
"""
from __future__ import annotations

import numpy as np


ORDERS = ("arrival", "merit")


def check_order(order: str) -> None:
    """Refuse an order this module does not know (the scenario's schema lists the same)."""
    if order not in ORDERS:
        raise ValueError(f"hiring_order must be arrival or merit, got {order!r}")


def queue_key(order: str, waiting_since, ability, practice) -> np.ndarray:
    """Sort key of each waiting person, smaller first.

    >>> queue_key("arrival", np.array([2020, 2023, 2022]), np.zeros(3), np.zeros(3)).tolist()
    [2020.0, 2023.0, 2022.0]
    >>> queue_key("merit", np.zeros(2), np.array([0.5, 1.0]), np.array([0.5, -1.0])).tolist()
    [-1.0, -0.0]
    """
    if order == "arrival":
        return np.asarray(waiting_since, dtype=np.float64)
    check_order(order)
    return -(np.asarray(ability, dtype=np.float64) + np.asarray(practice, dtype=np.float64))


def years_waited(year: int, waiting_since) -> np.ndarray:
    """Years a person hired in ``year`` has waited (from the title, or the move).

    >>> years_waited(2025, np.array([2025, 2022])).tolist()
    [0.0, 3.0]
    """
    return (year - np.asarray(waiting_since, dtype=np.float64))
