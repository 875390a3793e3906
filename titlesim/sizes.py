"""When the engine uses its compiled passes (:mod:`titlesim.kernels`,
:mod:`titlesim.compiled`) instead of the numpy expressions of :mod:`titlesim.rules`.

Both give the same bits (``tests/test_kernels.py``); the only difference is cost. Loading
numba and the cached machine code costs 0.5-1.5 s of CPU once per process, which a
small command (a 2,000-person report, the test suite) never earns back; a long-lived
process (the what-if page, sweep and plan workers, benchmarks) or a large run earns it
back many times. The rule, first match wins:

1. An explicit preference: :func:`prefer_compiled` (``True``/``False``; ``None`` clears
   it), or else the environment variable ``TITLESIM_COMPILED=1`` (always) / ``=0``
   (never), read once at import.
2. The work of the current run: :func:`simulate <titlesim.simulate.simulate>` declares
   people x years x replicates with :func:`running`; at ``WORK`` person-years or more the
   compiled passes are used for every step of the run.
3. Else an array of ``LARGE`` elements or more uses them (a single step at province
   scale), a smaller one the numpy expressions.

Break-even (CPU time, ``benchmarks/bench_engine.py --compiled on|off``, 2026-12-02, with
flows, eligibility and application, record, evaluation and hiring compiled): the baseline
city, 25,000 people x 10 years x 20 replicates (5 million person-years), takes 0.84 s
compiled against 1.79 s in numpy, about 190 ns saved per person-year; loading costs
0.5-1.3 s, so the two meet near 5 million person-years: ``WORK``.

Asking does not load numba.

>>> prefer_compiled(True); kernels_for(10)
True
>>> prefer_compiled(None); kernels_for(10)
False
"""
from __future__ import annotations

import os
from contextlib import contextmanager

LARGE = 200_000  # elements of one array
WORK = 5_000_000  # person-years of one run


def _from_environment() -> bool | None:
    value = os.environ.get("TITLESIM_COMPILED", "").strip()
    return {"1": True, "0": False}.get(value)


PREFERRED: bool | None = _from_environment()
_running_large = False


def prefer_compiled(on: bool | None = True) -> None:
    """Use the compiled passes for every step whatever the size (``True``), never
    (``False``), or by size again (``None``). For long-lived processes: call it once at
    start-up (the first compiled step then loads numba)."""
    global PREFERRED
    PREFERRED = on


@contextmanager
def running(person_years: int):
    """Within this block, a run of ``person_years`` (people x years x replicates) is
    under way: at ``WORK`` or more, every step uses the compiled passes."""
    global _running_large
    before = _running_large
    _running_large = before or person_years >= WORK
    try:
        yield
    finally:
        _running_large = before


def kernels_for(n: int) -> bool:
    """Whether a step over ``n`` people (an array of ``n`` elements) uses compiled code."""
    if PREFERRED is not None:
        return PREFERRED
    return _running_large or n >= LARGE
