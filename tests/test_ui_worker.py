"""Debounced, latest-only background work: a burst of changes runs once, with the last
request; a job still running learns that it was superseded and stops."""
from __future__ import annotations

import threading
import time

from titlesim.ui.runner import Superseded
from titlesim.ui.worker import LatestOnlyWorker


def test_a_burst_of_requests_runs_once_with_the_last():
    started, done = [], []

    def job(request, current):
        started.append(request)
        time.sleep(0.05)
        if current():
            done.append(request)

    worker = LatestOnlyWorker(job, delay=0.5)
    try:
        t0 = time.monotonic()
        for i in range(10):
            worker.submit(i)
        assert worker.wait(5)
        assert time.monotonic() - t0 >= 0.5  # the burst waited for a pause
        assert done == [9] and started[-1] == 9 and len(started) <= 2  # the first may start at once
        time.sleep(0.6)
        t0 = time.monotonic()
        worker.submit("alone")  # no burst: no waiting for a pause
        assert worker.wait(5) and done == [9, "alone"]
        assert time.monotonic() - t0 < 0.45
    finally:
        worker.close()


def test_a_running_job_is_superseded_by_a_newer_request():
    started, finished, stopped = threading.Event(), [], []

    def job(request, current):
        if request == "slow":
            started.set()
            while current():
                time.sleep(0.005)
            stopped.append(request)
            raise Superseded()
        finished.append(request)

    worker = LatestOnlyWorker(job, delay=0.0)
    try:
        worker.submit("slow")
        assert started.wait(5)
        worker.submit("fast")
        assert worker.wait(5)
        assert stopped == ["slow"] and finished == ["fast"] and worker.errors == []
    finally:
        worker.close()


def test_a_failing_job_is_reported_and_the_worker_carries_on():
    seen = []

    def job(request, current):
        if request == "bad":
            raise ValueError("broken")
        seen.append(request)

    errors = []
    worker = LatestOnlyWorker(job, delay=0.0, on_error=errors.append)
    try:
        worker.submit("bad")
        worker.wait(5)
        worker.submit("good")
        worker.wait(5)
        assert [str(e) for e in errors] == ["broken"] and seen == ["good"]
        assert worker.idle()
    finally:
        worker.close()
