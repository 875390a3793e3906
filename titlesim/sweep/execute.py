"""Running points: in this process (one worker), on a local Dask cluster of worker
processes, or on an existing cluster at a scheduler address.

Each finished point is saved as soon as it arrives, in whatever order points finish; the
table is assembled afterwards in point order, so it does not depend on who ran what.
A progress bar on stderr counts finished points.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass

from titlesim.errors import InputError, Problem
from titlesim.sweep.points import OtherVersion, PointTask, compute_point

WORKER_WAIT_S = 60
PREFIX = "titlesim-point-"  # of a task's key on the cluster
# Dask starts workers with MALLOC_TRIM_THRESHOLD_ set, which stops glibc from raising its
# mmap threshold: every array of the engine is then a fresh mmap, and a point runs 1.5-3x
# slower than in this process. Local workers start without it (remote: see docs/commands.md).
LOCAL_WORKER_CONFIG = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
START_HINT = ("start one with 'dask scheduler --host HOST --port 8786' and workers with "
              "'dask worker tcp://HOST:8786 --nworkers N --nthreads 1'")


@dataclass(frozen=True)
class Where:
    """Where points run: ``workers`` local processes, or the cluster at ``scheduler``."""

    workers: int = 1
    scheduler: str | None = None

    def describe(self) -> dict:
        return {"scheduler": self.scheduler} if self.scheduler else {"workers": self.workers}


def run_points(tasks: list[PointTask], save, where: Where, progress: bool = False,
               before=lambda: None) -> list[str]:
    """Compute every task and ``save(key, frame)`` each as it finishes; return the keys
    in the order they finished. ``before()`` runs once the workers are reachable, before
    the first point (it makes the folder: a wrong address leaves nothing behind)."""
    unique = list({t.key: t for t in tasks}.values())
    finished = []
    with point_results(where, len(unique)) as results:
        before()
        with _bar(len(unique), progress) as bar:
            for key, frame in results(unique):
                save(key, frame)
                finished.append(key)
                bar.update()
    return finished


@contextmanager
def point_results(where: Where, points: int):
    """Yield a function: tasks -> (key, frame) pairs as they finish, in this process when
    one worker is asked for (or one point is left), else on the cluster."""
    if where.scheduler is None and min(where.workers, points) <= 1:
        yield lambda tasks: ((t.key, compute_point(t)) for t in tasks)
        return
    from distributed import as_completed

    from titlesim.i18n import chosen_language
    from titlesim.sweep.workerwarnings import Replay, compute_point_noting
    replay = Replay()  # each distinct warning once, for every batch of the cluster

    def on_cluster(tasks):
        lang = chosen_language()
        futures = [client.submit(compute_point_noting, t, lang, key=PREFIX + t.key)
                   for t in tasks]
        try:
            for future, (frame, notes) in as_completed(futures, with_results=True):
                future.release()
                replay(notes)  # shown here, as with one worker, not raw by the worker
                yield future.key.removeprefix(PREFIX), frame
        except (ImportError, OtherVersion) as exc:  # a worker lacks titlesim, or has another
            raise InputError(Problem(f"a worker cannot run this titlesim ({exc})",
                                     key="--scheduler" if where.scheduler else "--workers",
                                     hint="install the same titlesim in every worker's "
                                          "Python, then restart the workers")) from None

    with cluster_client(where, points) as client:
        yield on_cluster


@contextmanager
def _bar(total: int, progress: bool):
    from titlesim.progress import bar as progress_bar
    bar = progress_bar("progress_points", total, unit="progress_unit_point", progress=progress)
    try:
        yield bar
    finally:
        bar.close()


@contextmanager
def _quiet_when_stopped():
    """Ctrl-C or SIGTERM in a command: the client's event loop would log the connections
    it loses while the client closes, before the command's one line (:mod:`titlesim.interrupt`)."""
    from titlesim.interrupt import Terminated, quiet_from_now
    try:
        yield
    except (KeyboardInterrupt, Terminated):
        quiet_from_now()
        raise


@contextmanager
def cluster_client(where: Where, points: int):
    """A Dask client: of a new LocalCluster of at most ``points`` workers, or of the
    cluster at ``where.scheduler`` once a worker has joined it."""
    import dask
    from distributed import Client, LocalCluster
    if where.scheduler is None:
        with dask.config.set(LOCAL_WORKER_CONFIG), \
                LocalCluster(n_workers=min(where.workers, points), threads_per_worker=1,
                             processes=True, dashboard_address=None,
                             scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # any port
                             # nothing from Dask's own logs reaches the user: a point that
                             # fails reaches the command as its error, and workers that lose
                             # the scheduler when a command is stopped would otherwise print
                             # tracebacks after its one line
                             silence_logs=logging.CRITICAL) as cluster, \
                Client(cluster) as client:
            with _quiet_when_stopped():
                yield client
        return
    try:
        client = Client(where.scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(Problem(f"cannot reach a Dask scheduler at {where.scheduler} ({exc})",
                                 key="--scheduler", expected="tcp://HOST:PORT of a running "
                                 "scheduler", hint=START_HINT)) from None
    with client, _quiet_when_stopped():
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_S)
        except TimeoutError:
            raise InputError(Problem(f"no worker joined the scheduler at {where.scheduler} "
                                     f"within {WORKER_WAIT_S} s", key="--scheduler",
                                     hint=START_HINT)) from None
        yield client
