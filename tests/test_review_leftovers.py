"""Small faults a new user meets in the commands' words, each fixed and kept fixed."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_titlesim

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline-2022.yaml"
SEED_RANGE = {"zh": "0 至 2 的 63 次方减 1", "en": "0 to 2^63 - 1"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_seeds_range_reads_in_words_in_help_and_in_the_refusal(lang):
    shown = run_titlesim("run", "--help", "--lang", lang)
    assert shown.returncode == 0
    assert "9223372036854775807" not in shown.stdout
    assert SEED_RANGE[lang] in " ".join(shown.stdout.split())
    refused = run_titlesim("run", str(BASELINE), "--seed", "-1", "--lang", lang)
    assert refused.returncode == 2
    assert "9223372036854775807" not in refused.stderr
    assert SEED_RANGE[lang] in refused.stderr
