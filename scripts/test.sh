#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite on every core (pytest-xdist; the tests of
# a file that share a per-file fixture stay on one worker (tests/conftest.py groups them),
# the others go to whichever worker is free; the longest are handed out first, in the order
# tests/conftest.py gives, and nbval's plugin, which the suite does not use, is not loaded).
# Extra arguments go to pytest, e.g. -n 0.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest -n auto --dist loadgroup --no-loadscope-reorder -p no:nbval "$@"
