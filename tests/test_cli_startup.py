"""Commands that answer at once: ``titlesim --help``, ``--version``, each command's
``--help`` and argument errors load none of the numeric stack (pandas, numpy, scipy,
pydantic, matplotlib, pyarrow, dask). Each case runs the real command line in a fresh
subprocess and lists the heavy packages it loaded. (How long it takes is measured by
``benchmarks/bench_startup.py``, not here.)"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "numpy", "scipy", "pydantic", "matplotlib", "pyarrow", "dask")
COMMANDS = ("run", "validate", "passline", "report", "runs", "sweep", "sensitivity", "roster",
            "calibrate", "export", "compare", "plan")

PROBE = """
import json, sys
from titlesim.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
else:
    code = 0
loaded = sorted({m.split(".")[0] for m in sys.modules} & set(%r))
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
""" % (HEAVY,)


def probe(*args: str) -> tuple[dict, str]:
    out = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                         timeout=120)
    return json.loads(out.stderr.strip().splitlines()[-1]), out.stdout


def test_help_loads_no_numeric_package():
    found, stdout = probe("--help")
    assert found == {"code": 0, "loaded": []}
    assert "run" in stdout and "compare" in stdout  # every command is listed


def test_version_loads_no_numeric_package():
    found, stdout = probe("--version")
    assert found == {"code": 0, "loaded": []}
    assert "0.1.0" in stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_loads_no_numeric_package(command):
    found, stdout = probe(command, "--help")
    assert found == {"code": 0, "loaded": []}
    assert "用法：" in stdout  # Chinese by default


@pytest.mark.parametrize("args", [("run",), ("run", "x.yaml", "--replicates", "zero"),
                                  ("no-such-command",), ("sweep", "x.yaml"),
                                  ("plan", "x.yaml", "--target", "titled >= 1")])
def test_argument_errors_load_no_numeric_package(args):
    found, _ = probe(*args)
    assert found == {"code": 2, "loaded": []}


def test_importing_the_package_is_light_and_the_api_still_resolves():
    code = ("import sys, titlesim; light = 'numpy' not in sys.modules; "
            "from titlesim.simulate import Result; "  # the submodule must not shadow the function
            "print(light, callable(titlesim.simulate), titlesim.Result is Result, "
            "titlesim.load_scenario.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["True", "True", "True", "load_scenario"], out.stderr


def test_validating_a_scenario_and_a_grid_loads_neither_the_engine_nor_pandas():
    # checking files is reading YAML against the schema: no simulation, no tables (the sweep
    # package's names are imported when first used, so reading a grid does not run one)
    import os
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found, stdout = probe("validate", os.path.join(root, "scenarios", "grassroots-ratio-0.6.yaml"),
                          os.path.join(root, "scenarios", "grids", "ratio-by-validity.yaml"))
    assert found["code"] == 0 and stdout.count("通过") == 2, stdout
    assert not {"pandas", "scipy", "matplotlib", "pyarrow", "dask"} & set(found["loaded"]), found
    out = subprocess.run([sys.executable, "-c", "import sys, titlesim.sweep.grid; "
                          "print(sorted(m for m in ('numba', 'titlesim.engine') if m in sys.modules))"],
                         capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stderr
