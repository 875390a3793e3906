"""The what-if helper's results through its pipe (not a test: run by hand, figures go in
docs/performance.md).

    .venv/bin/python benchmarks/bench_helper_pipe.py

A process pool of one worker (as the page's helper, :mod:`titlesim.ui.helper`) runs 40
tasks of 20 ms that each return about 270 kB (a replicate's summary is about 280 kB),
while a thread of this process runs Python that holds the GIL (as the page's own thread
does while it simulates). Printed: the time the worker stands idle between two tasks
(median, 90th percentile, sum), with the system's default pipe (64 kB) and with the
result pipe the helper sets up (:func:`titlesim.ui.helper.roomy_result_pipe`), twice each.
"""
from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np


def task(_: int):
    started = time.perf_counter()
    while time.perf_counter() < started + 0.02:  # 20 ms of work
        pass
    return started, time.perf_counter(), np.zeros(34_000)  # about 270 kB pickled


def idle_between_tasks(roomy: bool) -> list[float]:
    from titlesim.ui.helper import roomy_result_pipe
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    pool.submit(task, -1).result()  # started
    if roomy:
        roomy_result_pipe(pool)
    done = threading.Event()

    def busy():  # Python that holds the GIL, as a simulating page does
        values = np.arange(25_000)
        while not done.is_set():
            for _ in range(200):
                values.sum()
    thread = threading.Thread(target=busy)
    thread.start()
    results = [f.result() for f in [pool.submit(task, i) for i in range(40)]]
    done.set()
    thread.join()
    pool.shutdown()
    return [1000 * (results[i + 1][0] - results[i][1]) for i in range(len(results) - 1)]


def main() -> None:
    for roomy in (False, True, False, True):
        gaps = idle_between_tasks(roomy)
        print(f"{'1 MB' if roomy else '64 kB (default)':16s} idle between tasks: median "
              f"{np.median(gaps):.2f} ms, p90 {np.percentile(gaps, 90):.2f} ms, sum {sum(gaps):.0f} ms")


if __name__ == "__main__":
    main()
