"""Shared small scenarios for the simulation-core tests.

Every simulation here is small (a few thousand people, a few years, one or two
replicates) so that the suite stays fast; the scenario is always the shipped baseline
with overrides, never a copy, so that the tests follow the baseline as it changes.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Keep the compiled test modules: where PYTHONDONTWRITEBYTECODE is set, pytest rewrites the
# asserts of every test module again in every test process (each xdist worker), 2.5-3 of
# the 8-9.5 CPU-s a collection of the suite takes. From here on this process writes them
# (and titlesim's .pyc, which scripts/setup.sh compiles already) into the __pycache__
# folders git ignores; a stale one is never used (Python and pytest check the source).
sys.dont_write_bytecode = False

import numpy as np
import pytest

from titlesim import load_scenario, simulate
from titlesim.metrics import METRICS, YearCounts
from titlesim.randomness import Draws
from titlesim.engine import starting_state
from titlesim.history import rules_before_start
from titlesim.setup import prepare
from titlesim.steps import flows_step

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline-2022.yaml"

# As the command line does (titlesim.cli.main): jsonschema, imported with nbformat by the
# reports and pages, would build some 35 parsers for IRI string formats that no notebook
# schema uses, 1.2-1.8 s of CPU in every test process. scripts/test.sh also keeps nbval's
# plugin (which imports nbformat before this file) out of the suite, which does not use it.
sys.modules.setdefault("rfc3987_syntax", None)


def pytest_configure(config):
    """One cache folder for the session (titlesim.diskcache), shared by the xdist workers
    and every command the tests run: a warm-up history is computed once per session, and
    nothing is written into the user's own cache folder. Made by the first process (the
    controller), which the workers and their subprocesses inherit it from."""
    if "TITLESIM_TEST_CACHE" not in os.environ:
        os.environ["TITLESIM_TEST_CACHE"] = tempfile.mkdtemp(prefix="titlesim-test-cache-")
        config._titlesim_cache = os.environ["TITLESIM_TEST_CACHE"]
    os.environ["TITLESIM_CACHE_DIR"] = os.environ["TITLESIM_TEST_CACHE"]


def pytest_unconfigure(config):
    made = getattr(config, "_titlesim_cache", None)
    if made:
        shutil.rmtree(made, ignore_errors=True)
        os.environ.pop("TITLESIM_TEST_CACHE", None)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """How the suite is spread over the xdist workers (``scripts/test.sh`` runs ``--dist
    loadgroup``): the tests of a file that share a fixture computed once per file or class
    (a run, a report, a server) stay together on one worker, as one group; every other
    test goes to whichever worker is free, so one slow file is not one worker's long tail.
    The browser tests are handed out first, one after another, so that a worker keeps its
    Chromium from one to the next (tests/browser_support.py). Then the longest work, so that
    no long group or test starts last while the other worker has nothing left: groups and
    tests by their estimated cost (a slow or
    browser test counts as 20 quick ones), then files with slow tests, each file's tests
    in their order (``scripts/test.sh`` passes ``--no-loadscope-reorder``, or pytest-xdist
    would order them by their number of tests instead)."""
    for item in items:
        if _shares_a_file_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
    cost: dict[str, int] = {}
    for item in items:
        unit = _unit(item)
        cost[unit] = cost.get(unit, 0) + (20 if item.get_closest_marker("slow")
                                          or item.get_closest_marker("browser") else 1)
    slow_files = {item.nodeid.split("::")[0] for item in items if item.get_closest_marker("slow")}
    browser = {_unit(item) for item in items if item.get_closest_marker("browser")}
    items.sort(key=lambda item: (_unit(item) not in browser, -cost[_unit(item)],
                                 item.nodeid.split("::")[0] not in slow_files))


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """The browser tests share one Chromium per test process (tests/browser_support.py):
    closed once the next test is not a browser test (or there is none)."""
    support = sys.modules.get("browser_support")
    if support is not None and (nextitem is None or not nextitem.get_closest_marker("browser")):
        support.release()


def _unit(item) -> str:
    """What pytest-xdist hands out at once: the test's group, or the test alone."""
    group = item.get_closest_marker("xdist_group")
    return f"group:{group.args[0] if group.args else group.kwargs.get('name')}" if group else item.nodeid


@pytest.hookimpl(tryfirst=True)  # before the worker sends its tests' ids to the scheduler
def pytest_collection_finish(session):
    """pytest 9.2 takes a test's id from its structured id, while pytest-xdist 3.8 writes a
    test's group (``ID@group``) into the old field, where nothing reads it (pytest-xdist
    issue 1386): carry it over, or ``--dist loadgroup`` groups nothing and every worker
    recomputes the per-file fixtures."""
    from _pytest.nodeid import NodeId
    for item in session.items:
        grouped = item.__dict__.get("_nodeid")
        if grouped and grouped != item.nodeid:
            item._id = NodeId.parse(grouped)


def _shares_a_file_fixture(item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(definition.scope in ("module", "class", "package")
               for name in info.names_closure for definition in info.name2fixturedefs.get(name, ()))


def small_scenario(*overrides: str, size: int = 1500, years: int = 3, replicates: int = 2):
    """The baseline at a small size, with ``overrides`` (``KEY.PATH=VALUE``) on top."""
    return load_scenario(BASELINE, [f"population.size={size}", f"horizon.years={years}",
                                    f"replicates={replicates}", *overrides])


def totals(result) -> dict[str, np.ndarray]:
    """Each metric summed over cells: ``{metric: array (replicate, year)}``."""
    summed = result.counts.sum(axis=3, dtype=np.int64)
    return {name: summed[:, :, i] for i, name in enumerate(METRICS)}


def first_year_state(loaded, replicate: int = 0):
    """A replicate's state after the first year's flows step (docs/model.md, step 1), ready
    for the steps that follow: the engine's own ``State`` and steps, run by hand."""
    setup = prepare(loaded.params, loaded.params.seed, rules_before_start(loaded))
    state = starting_state(setup, Draws(setup.seed, replicate))
    state.year, state.counts = int(setup.years[0]), YearCounts(setup.cells.n)
    flows_step(state)
    return state


def titlesim_command(*args: str) -> list[str]:
    """The real command line, run in a subprocess (``python -m titlesim ...``)."""
    return [sys.executable, "-m", "titlesim", *args]


# a fresh Python's warning filters (python -W and PYTHONWARNINGS unset), in order
_FRESH_FILTERS = [("default", DeprecationWarning, "__main__"), ("ignore", DeprecationWarning, ""),
                  ("ignore", PendingDeprecationWarning, ""), ("ignore", ImportWarning, ""),
                  ("ignore", ResourceWarning, "")]


def _show_on_stderr(message, category, filename, lineno, file=None, line=None):
    """As Python shows a warning: on the stderr of the moment (the command's)."""
    import warnings
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def run_titlesim(*args, cwd=None, env: dict | None = None, input: str | None = None,
                 timeout=None) -> subprocess.CompletedProcess:
    """``titlesim ARGS`` run in this process, answering as ``subprocess.run(titlesim_command(
    ARGS), cwd=cwd, env=env, capture_output=True, text=True)`` does: the exit status, stdout
    and stderr (warnings shown as a fresh process shows them, and the traceback of an
    exception the command does not catch), without starting Python and importing the
    numeric stack again for every command. For what is about the process itself (signals,
    terminals, start-up, imports) run the command in a subprocess instead. ``env``, like
    subprocess's, is the whole environment; ``timeout`` is accepted and not used."""
    import traceback
    import warnings

    from click.testing import CliRunner

    from titlesim.cli import _register, cli
    _register()
    args = [str(a) for a in args]
    changes = None
    if env is not None:
        changes = {k: v for k, v in env.items() if os.environ.get(k) != v}
        changes.update({k: None for k in os.environ if k not in env})
    here, argv = os.getcwd(), sys.argv
    try:
        if cwd is not None:
            os.chdir(cwd)
        sys.argv = ["titlesim", *args]  # the command line a run folder's provenance records
        with warnings.catch_warnings():
            warnings.resetwarnings()
            for action, category, module in _FRESH_FILTERS:
                warnings.filterwarnings(action, category=category, module=module, append=True)
            warnings.showwarning = _show_on_stderr
            # what reaches Python's own showwarning (the command line keeps it for warnings
            # not of titlesim) goes to the same stderr, not to pytest's record
            warnings._showwarnmsg_impl = lambda m: sys.stderr.write(warnings._formatwarnmsg(m))
            result = CliRunner().invoke(cli, args, input=input, env=changes, prog_name="titlesim")
    finally:
        os.chdir(here)
        sys.argv = argv
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(*result.exc_info))
    return subprocess.CompletedProcess(["titlesim", *args], result.exit_code, result.stdout, stderr)


@pytest.fixture(scope="session")
def baseline_scenario():
    """The shipped baseline, loaded once."""
    return load_scenario(BASELINE)


@pytest.fixture(scope="session")
def small_baseline_result():
    """The baseline at 1,500 people, 3 years, 2 replicates, simulated once."""
    return simulate(small_scenario())
