#!/usr/bin/env bash
# Set up (if needed) and run the main job: the baseline report of the 2022 notice
# (prints the path of report.html last).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/titlesim report scenarios/baseline-2022.yaml "$@"
