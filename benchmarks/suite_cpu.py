"""A pytest plugin for ``benchmarks/bench_suite.py``: the CPU time of every test (set-up,
call and tear-down, so a per-file fixture counts at the test that first needs it), of the
test process and of the children it waited for (kernels, Chromium, subprocesses), one JSON
line per test in ``$SUITE_CPU_DIR/<worker>.jsonl``; and each worker's CPU once its tests
were collected and at the end. Wall durations (pytest's ``--durations``) measure the load of
a shared machine as much as the tests; CPU time is what two cores must get through.

    pytest -p suite_cpu ...        # with benchmarks/ on PYTHONPATH and SUITE_CPU_DIR set
"""
from __future__ import annotations

import json
import os
import resource
import time

import pytest


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _write(record: dict) -> None:
    folder = os.environ.get("SUITE_CPU_DIR")
    if folder:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        with open(os.path.join(folder, f"{worker}.jsonl"), "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    own, children = _cpu()
    start = time.time()
    yield
    own_after, children_after = _cpu()
    _write({"test": item.nodeid.split("@")[0], "own": round(own_after - own, 3),
            "children": round(children_after - children, 3), "start": start, "end": time.time()})


def pytest_collection_finish(session):
    own, children = _cpu()
    _write({"collected": len(session.items), "own": round(own, 3), "children": round(children, 3),
            "end": time.time()})


def pytest_sessionfinish(session):
    own, children = _cpu()
    _write({"finished": True, "own": round(own, 3), "children": round(children, 3), "end": time.time()})
