"""A helper process for the what-if page: it simulates half of a full update's replicates
while the page's own thread simulates the other half, so a full update takes about half
the time on a machine with two cores or more that is otherwise quiet (measured under a
load of 10 on two cores it did not help: see docs/performance.md). It is used only when
asked for (``TITLESIM_WHATIF_HELPER=1``).

Replicate ``r`` of a scenario depends only on the scenario, the seed and ``r`` (common
random numbers), so which process simulates it does not change a number. The helper starts
with the page (in the background: it imports the engine, loads the compiled passes and
prepares the page's scenario, history included) and is used only once it is ready; it
keeps the workforce of the last few scenarios it was given, and ends with the page's
kernel (it also watches its parent, so it never outlives it).
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor

ENV_HELPER = "TITLESIM_WHATIF_HELPER"  # 1: a helper process per page


def wanted() -> bool:
    """Only on request (``TITLESIM_WHATIF_HELPER=1``) and with a second core for it: on a
    busy machine (many visitors, other work) the helper only adds its own start and
    memory (about 150 MB) to every page; it pays on a quiet server with few visitors."""
    return os.environ.get(ENV_HELPER, "").strip() == "1" and len(os.sched_getaffinity(0)) >= 2


class Helper:
    """One helper process; :meth:`replicates` gives it work once :attr:`ready`."""

    def __init__(self, scenario=None):
        import multiprocessing
        # spawn, not fork: the page's kernel runs threads (and ZMQ) that a fork would copy mid-state
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_start, initargs=(os.getpid(),))
        self._ready = threading.Event()
        self._pool.submit(_prepare, scenario).add_done_callback(lambda _: self._ready.set())

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def replicates(self, scenario, indexes: list[int]) -> Future:
        """A future of the summaries (:class:`~titlesim.ui.summary.ReplicateSummary`) of
        replicates ``indexes`` of ``scenario``."""
        return self._pool.submit(_replicates, scenario, list(indexes))

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


# ------------------------------------------------------------------- in the helper process
_kept: OrderedDict = OrderedDict()  # scenario key -> (setup, grouping)
KEEP = 4


def _start(parent: int) -> None:
    from titlesim.ui.engine import use_compiled
    loading = use_compiled()
    threading.Thread(target=_watch, args=(parent,), name="titlesim-parent", daemon=True).start()
    if loading is not None:
        loading.join()


def _watch(parent: int) -> None:
    import time
    while os.getppid() == parent:
        time.sleep(2)
    os._exit(0)  # the page's kernel has gone


def _setup(scenario):
    from titlesim.history import rules_before_start
    from titlesim.setup import prepare
    from titlesim.ui.runner import scenario_key
    from titlesim.ui.summary import CellGrouping
    key = scenario_key(scenario)
    if key not in _kept:
        setup = prepare(scenario.params, scenario.params.seed, rules_before_start(scenario))
        _kept[key] = setup, CellGrouping(setup.cells, tuple(scenario.params.population.counties))
        while len(_kept) > KEEP:
            _kept.popitem(last=False)
    _kept.move_to_end(key)
    return _kept[key]


def _prepare(scenario) -> None:
    import warnings
    if scenario is not None:
        with warnings.catch_warnings():  # the page says these itself
            warnings.simplefilter("ignore")
            _setup(scenario)


def _replicates(scenario, indexes: list[int]) -> list:
    import warnings

    from titlesim.engine import run_replicate
    from titlesim.ui.summary import ReplicateSummary
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        setup, grouping = _setup(scenario)
    return [ReplicateSummary.of(*run_replicate(setup, r), grouping) for r in indexes]
