"""What a long command is doing, and how far it is, on stderr.

Two forms: :func:`step` says what starts now (one line), :func:`bar` counts the parts of
a long step (tqdm). Both speak the user's language (:func:`titlesim.i18n.msg`) and stay
silent when stderr is not a terminal, so tables on stdout and logs stay clean;
``TITLESIM_PROGRESS=1`` turns them on anyway (``0``: off), ``progress=`` decides per call.
"""
from __future__ import annotations

import os
import sys

from titlesim.i18n import msg

ENV_VAR = "TITLESIM_PROGRESS"


def enabled(progress: bool | None = None) -> bool:
    """``progress`` if given, else ``TITLESIM_PROGRESS`` (1 or 0), else whether stderr is a terminal."""
    if progress is not None:
        return bool(progress)
    setting = os.environ.get(ENV_VAR, "").strip()
    if setting in ("0", "1"):
        return setting == "1"
    return sys.stderr.isatty()


def step(key: str, progress: bool | None = None, **fields) -> None:
    """Say on stderr what starts now: the message ``key`` of the catalogue."""
    if enabled(progress):
        print(msg(key, **fields), file=sys.stderr, flush=True)


def bar_options(key: str, unit: str, **fields) -> dict:
    """tqdm's options for a bar titled by the message ``key`` counting ``unit`` (a message key)."""
    return {"desc": msg(key, **fields), "unit": msg(unit), "file": sys.stderr,
            "leave": False, "dynamic_ncols": True}


def bar(key: str, total: int | None = None, unit: str = "progress_unit_step",
        progress: bool | None = None, **fields):
    """A tqdm bar on stderr (a no-op bar when progress is off); use as a context manager."""
    from tqdm import tqdm
    return tqdm(total=total, disable=not enabled(progress), **bar_options(key, unit, **fields))
