"""The synthetic example roster and observed counts are what examples/make_examples.py makes
with the engine as it is: the calibration example in docs/commands.md finds the known
values again only if its "observed" counts come from the same model."""
from __future__ import annotations

import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_the_synthetic_examples_are_those_the_engine_makes_now(tmp_path):
    sys.path.insert(0, str(EXAMPLES))
    try:
        from make_examples import make
    finally:
        sys.path.remove(str(EXAMPLES))
    roster, observed = make(tmp_path)
    assert roster.read_bytes() == (EXAMPLES / "synthetic-roster.csv").read_bytes(), \
        "examples/synthetic-roster.csv is stale: run examples/make_examples.py"
    assert observed.read_bytes() == (EXAMPLES / "synthetic-observed.csv").read_bytes(), \
        "examples/synthetic-observed.csv is stale: run examples/make_examples.py"
