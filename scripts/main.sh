#!/usr/bin/env bash
# Set up (if needed) and run the main job: the baseline scenario of the 2022 notice.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/titlesim run scenarios/baseline-2022.yaml "$@"
