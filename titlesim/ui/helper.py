"""A helper process for the what-if page: it simulates part of a full update's replicates
while the page's own thread simulates the rest, so a full update takes about half the time
on a machine with a second core that is otherwise idle.

When it is used (:func:`wanted`): ``TITLESIM_WHATIF_HELPER=1`` always, ``=0`` never; by
default when the page opens on a machine with two cores or more, one of them idle (the
load average of the last minute at most the cores less one) and 1 GB of memory available
(the helper holds about 150 MB). On a busy machine it would only add its start and memory:
the page's process and its helper share one slice of the machine there, so the full update
does not come sooner (measured under a load of 10 on two cores: docs/performance.md).

Replicate ``r`` of a scenario depends only on the scenario, the seed and ``r`` (common
random numbers), so which process simulates it does not change a number. The helper starts
with the page (in the background: it imports the engine, loads the compiled passes and
prepares the page's scenario, history included) and is used only once it is ready; it
keeps the workforce of the last few scenarios it was given, runs below the page's priority,
and ends with the page's kernel (it also watches its parent, so it never outlives it).
"""
from __future__ import annotations

import os
import pickle
import threading
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor

ENV_HELPER = "TITLESIM_WHATIF_HELPER"  # 1: a helper process per page; 0: none; unset: when idle
MEMORY = 1 << 30  # bytes available for the helper to start by default


def wanted() -> bool:
    """Whether a page opened now gets a helper process (see the module's text)."""
    cores = len(os.sched_getaffinity(0))
    value = os.environ.get(ENV_HELPER, "").strip()
    if value in ("0", "1") or cores < 2:
        return value == "1" and cores >= 2
    if os.getloadavg()[0] > cores - 1:
        return False
    try:
        from titlesim.resources import available_memory
        return available_memory() >= MEMORY
    except ImportError:  # psutil comes with the notebooks' kernel; without it, no helper
        return False


RESULT_PIPE = 1 << 20  # bytes: room for a few replicates' summaries (about 280 kB each)


def roomy_result_pipe(pool: ProcessPoolExecutor) -> None:
    """Give the pipe the helper's results come back through room for whole summaries.
    With the system's default of 64 kB, the helper's write of a summary waits for the
    page's process to read each 64 kB, and that reading thread waits for the GIL, which
    the page's own simulating thread holds: measured with a thread busy as the page's,
    5 ms lost between two replicates of 20 ms (median; p90 10-13 ms), against 1-2 ms with
    1 MB (docs/performance.md). Linux only (F_SETPIPE_SZ; 1 MB is the default limit for
    every user); elsewhere, or where refused, the pipe stays as it is."""
    try:
        import fcntl
        writer = pool._result_queue._writer  # the pool's result pipe (concurrent.futures)
        fcntl.fcntl(writer.fileno(), fcntl.F_SETPIPE_SZ, RESULT_PIPE)
    except (ImportError, AttributeError, OSError):  # not Linux, or a pool without that pipe
        pass


TICKETS = 4096  # places on the board of who runs a task (a task's ticket modulo this)
WAITING, STARTED, TAKEN = 0, 1, 2  # a task on the board: not begun, begun by the helper, taken back
LOCK_SECONDS = 2.0  # the board's lock is held for a few instructions; longer: its holder died


class Helper:
    """One helper process; :meth:`replicates` gives it work once :attr:`ready`.

    The process pool hands a task to the process before the process begins it (one task
    waits in the pipe while another runs), and such a task can no longer be cancelled. So
    a shared board tells who runs each task: the helper marks a task begun, or skips it
    when the page has taken it back (:meth:`take_back`), so the page never waits for a
    task the helper has not begun, nor do both simulate it."""

    def __init__(self, scenario=None):
        import multiprocessing
        # spawn, not fork: the page's kernel runs threads (and ZMQ) that a fork would copy mid-state
        context = multiprocessing.get_context("spawn")
        self._board = context.Array("b", TICKETS)
        self._tickets = 0
        self._sent: tuple[str, bytes] | None = None  # the scenario last sent, pickled once
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context,
                                         initializer=_start, initargs=(os.getpid(), self._board))
        roomy_result_pipe(self._pool)
        self._ready = threading.Event()
        self._gone = False
        self._pool.submit(_prepare, scenario).add_done_callback(lambda _: self._ready.set())

    @property
    def ready(self) -> bool:
        """Started, and neither closed nor lost (:meth:`lost`)."""
        return self._ready.is_set() and not self._gone

    def lost(self) -> None:
        """Give it no more work: its process has died (killed by the system short of
        memory, say: the pool is broken) and the page simulates alone from now on."""
        self._gone = True

    def replicates(self, scenario, indexes: list[int]) -> Future:
        """A future of the summaries (:class:`~titlesim.ui.summary.ReplicateSummary`) of
        replicates ``indexes`` of ``scenario``; None where the page took the task back
        before the helper began it (:meth:`take_back`)."""
        from titlesim.ui.runner import scenario_key
        key = scenario_key(scenario)
        if self._sent is None or self._sent[0] != key:  # one scenario, many tasks: pickled once
            self._sent = key, pickle.dumps(scenario)
        ticket = self._tickets % TICKETS
        self._tickets += 1
        self._board[ticket] = WAITING
        future = self._pool.submit(_replicates, ticket, key, self._sent[1], list(indexes))
        future.ticket = ticket
        return future

    def take_back(self, future: Future) -> bool:
        """Take a task back from the helper if it has not begun it: then the page runs it
        (and the future gives None, or is cancelled). False: the helper is running it or
        has run it."""
        if future.cancel():
            return True
        lock = self._board.get_lock()
        if not lock.acquire(timeout=LOCK_SECONDS):  # the helper died holding it (killed)
            self.lost()
            return False
        try:
            if self._board[future.ticket] == WAITING:
                self._board[future.ticket] = TAKEN
                return True
        finally:
            lock.release()
        return False

    def close(self) -> None:
        self._gone = True
        self._pool.shutdown(wait=False, cancel_futures=True)


# ------------------------------------------------------------------- in the helper process
_kept: OrderedDict = OrderedDict()  # scenario key -> (setup, grouping)
KEEP = 4
_board = None  # the page's board of who runs each task (Helper)
# The helper runs at a lower priority than the page (nice 10: a tenth of the page's share
# where the two wait for the same core). On a quiet machine it has the second core to
# itself all the same; on a busy one, where the page's process and its helper share one
# slice of the machine (the kernel's session), the page's own thread keeps nine tenths of
# it, and takes back the replicates the helper has not started (:class:`~titlesim.ui.runner.Runner`).
NICE = 10


def _start(parent: int, board) -> None:
    global _board
    _board = board
    # an interrupt of the page's kernel (Ctrl-C, its stop button, or Voilà shutting the
    # kernel down) reaches its whole process group: the helper is not what is interrupted,
    # and would otherwise die with a traceback in the server's log, leaving the page alone
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from titlesim.ui.stacks import dump_on_signal
    dump_on_signal()  # where it is stuck, on request (TITLESIM_STACKS)
    try:  # below the page's own thread: on a busy machine the preview is not slowed
        os.nice(NICE)
    except OSError:
        pass
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


def _setup(scenario, key: str | None = None):
    """The workforce and grouping of ``scenario`` (a scenario, or a function that
    unpickles it: called only where ``key`` is not kept)."""
    from titlesim.history import rules_before_start
    from titlesim.setup import prepare
    from titlesim.ui.runner import grouping_of, scenario_key
    key = key or scenario_key(scenario)
    if key not in _kept:
        scenario = scenario() if callable(scenario) else scenario
        setup = prepare(scenario.params, scenario.params.seed, rules_before_start(scenario))
        _kept[key] = setup, grouping_of(setup.cells, tuple(scenario.params.population.counties))
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


def _replicates(ticket: int, key: str, scenario: bytes, indexes: list[int]) -> list | None:
    import warnings

    from titlesim.ui.summary import ReplicateSummary
    with _board.get_lock():
        if _board[ticket] == TAKEN:  # the page runs it
            return None
        _board[ticket] = STARTED
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        setup, grouping = _setup(lambda: pickle.loads(scenario), key)
    return [ReplicateSummary.simulated(setup, r, grouping) for r in indexes]
