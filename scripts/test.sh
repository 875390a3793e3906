#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite on every core (pytest-xdist; each test
# file stays on one worker, so module fixtures are computed once and tests sharing a
# server stay together). Extra arguments go to pytest, e.g. -n 0 for one process.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest -n auto --dist loadfile "$@"
