"""Write the test modules' bytecode once, before the test processes start (scripts/setup.sh).

pytest rewrites the asserts of each test module (and conftest.py) and keeps the result in
``tests/__pycache__`` (``*-pytest-<version>.pyc``). On a fresh clone there is none yet, so
each xdist worker rewrites and compiles the same ~90 modules at once: collecting the suite
then takes 7-8 instead of 4-5 CPU-s in every worker. Written here once (about 1.5 CPU-s), with
pytest's own rewriting, the workers find them. The helper modules the tests import
(``browser_support`` ...) are compiled as usual. Only modules whose bytecode is missing or
older than their source are written; pytest checks a .pyc against its source's hash and
ignores a stale one. Anything that fails here only leaves the work to the test processes."""
from __future__ import annotations

import compileall
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"


def rewritten(path: Path) -> bool:
    return path.name.startswith("test_") or path.name == "conftest.py"  # pytest's python_files


def main() -> None:
    from _pytest.assertion import rewrite

    cache = TESTS / "__pycache__"
    stale = []
    for source in sorted(TESTS.glob("*.py")):
        if rewritten(source):
            pyc = cache / (source.stem + rewrite.PYC_TAIL)
        else:
            pyc = cache / f"{source.stem}.{sys.implementation.cache_tag}.pyc"
        if not pyc.exists() or pyc.stat().st_mtime < source.stat().st_mtime:
            stale.append((source, pyc))
    if not stale:
        return
    cache.mkdir(exist_ok=True)

    class Quiet:  # what _write_pyc needs of pytest's assertion state
        @staticmethod
        def trace(*_):
            pass

    for source, pyc in stale:
        if rewritten(source):
            source_hash, code = rewrite._rewrite_test(source, None)  # no config: pytest's defaults
            rewrite._write_pyc(Quiet, code, source_hash, pyc)
        else:
            compileall.compile_file(str(source), quiet=2)


if __name__ == "__main__":
    main()
