"""The pages' kernels live long: they use the engine's compiled passes at every size.

Loading numba and the compiled passes' cached machine code costs a second or more of CPU
once per process, which a short command never earns back but a page earns back on its
first full result (a city-scale replicate costs about half as much compiled). The pages
(:func:`titlesim.ui.whatif_app`, ``compare_app``, ``plan_app``) call :func:`use_compiled`
when they open: it prefers the compiled passes (:func:`titlesim.sizes.prefer_compiled`)
unless ``TITLESIM_COMPILED`` says otherwise, and loads them in a background thread by
simulating a tiny workforce for a year, so the page's widgets are shown at once and the
load overlaps the page's own start (reading the scenario, the history before the start).
Both ways give the same bits, so which passes a run uses changes its cost only.
"""
from __future__ import annotations

import threading

_warming: threading.Thread | None = None
_lock = threading.Lock()

# a workforce small enough to simulate in milliseconds once the passes are loaded; it
# exercises every step of the year, so every compiled pass is loaded: with half the
# vacancies refilled, fewer arrive than leave, so the arrivals' pass that moves the last
# people into the places left empty runs too; summarised as a page does (its grouping pass)
TINY = ("population.size=400", "horizon.years=2", "replicates=1", "history.years=0",
        "flows.entrants.replacement_rate=0.5")


def use_compiled() -> threading.Thread | None:
    """Prefer the compiled passes in this process and start loading them (once); returns
    the loading thread (None when ``TITLESIM_COMPILED=0`` keeps the numpy passes)."""
    global _warming
    from titlesim import sizes
    with _lock:
        if sizes.PREFERRED is False:  # TITLESIM_COMPILED=0, or the process said so
            return None
        if _warming is None:
            sizes.prefer_compiled(True)
            _warming = threading.Thread(target=_load, name="titlesim-compiled", daemon=True)
            _warming.start()
        return _warming


def _load() -> None:
    import warnings

    from titlesim.scenario import load_scenario
    from titlesim.setup import prepare
    from titlesim.ui.summary import CellGrouping, ReplicateSummary
    from titlesim.workfolder import BASELINE, shipped_path
    tiny = load_scenario(shipped_path("scenarios", BASELINE), TINY).params
    with warnings.catch_warnings():  # a tiny workforce leaves some post levels empty
        warnings.simplefilter("ignore")
        setup = prepare(tiny, tiny.seed)
        ReplicateSummary.simulated(setup, 0, CellGrouping(setup.cells, tuple(tiny.population.counties)))
