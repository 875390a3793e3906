"""Warnings raised in a worker process reach the user as the command's own do.

A worker is another process (a local Dask worker, or one on another machine): a warning
printed there would appear raw (file, line and source line of the code that raised it),
once per point, and in the worker's language. So a worker computes a point with its
warnings caught and returns them with the point's table (:func:`compute_point_noting`);
the command shows each distinct one once, through the ``warnings`` machinery of its own
process (:class:`Replay`), where the command line formats titlesim's warnings as
``titlesim：提醒：…`` in the user's language (``titlesim.cli``), as with one worker.
"""
from __future__ import annotations

import warnings

from titlesim.sweep.points import PointTask, compute_point


def compute_point_noting(task: PointTask, lang: str | None = None):
    """``(frame, notes)``: :func:`compute_point`'s table, and each warning it raised as
    ``(category, text, filename, lineno)``, worded in ``lang`` (the command's language)."""
    from titlesim.i18n import language
    with language(lang), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # the command's filters decide, in its process
        frame = compute_point(task)
    return frame, [(w.category, str(w.message), w.filename, w.lineno) for w in caught]


class Replay:
    """Shows the warnings workers noted, each distinct one once for the whole command."""

    def __init__(self):
        self.shown: set[tuple[str, str]] = set()

    def __call__(self, notes) -> None:
        for category, text, filename, lineno in notes:
            seen = (f"{category.__module__}.{category.__qualname__}", text)
            if seen not in self.shown:
                self.shown.add(seen)
                warnings.warn_explicit(text, category, filename, lineno)
