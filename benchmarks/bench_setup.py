"""Set-up and installing times (not a test: run by hand, the figures go in docs/performance.md).

    .venv/bin/python benchmarks/bench_setup.py

- ``bash scripts/setup.sh`` on a set-up checkout (nothing to install), best and median of 5;
- building the wheel (``uv build --wheel``);
- a fresh venv outside the checkout with the wheel and its core dependencies (uv, offline,
  from the warm cache), then ``titlesim init`` of a working folder.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command, **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **kwargs)
    return time.perf_counter() - start


def main() -> None:
    setup = [timed(["bash", "scripts/setup.sh"], cwd=ROOT) for _ in range(5)]
    print(f"setup.sh, nothing to install: best {min(setup):.2f} s, median {statistics.median(setup):.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        uv = [sys.executable, "-m", "uv"]
        print(f"uv build --wheel: {timed([*uv, 'build', '--wheel', '--out-dir', str(tmp / 'dist'), str(ROOT)]):.1f} s")
        wheel = next((tmp / "dist").glob("*.whl"))
        venv = timed([*uv, "venv", "-q", "--python", sys.executable, str(tmp / "venv")])
        install = timed([*uv, "pip", "install", "-q", "--offline", "--python", str(tmp / "venv/bin/python"),
                         str(wheel)])
        print(f"fresh venv {venv:.1f} s, wheel with its core dependencies {install:.1f} s")
        init = timed([str(tmp / "venv/bin/titlesim"), "init", str(tmp / "work")])
        print(f"titlesim init: {init:.2f} s")


if __name__ == "__main__":
    main()
