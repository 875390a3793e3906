"""A shown difference lies within its shown 90 % interval, and adds up from the two shown
values (docs/guide.md, ``titlesim compare``): the rounding rule, the what-if card, the
compare tables, and the headline ``titlesim compare`` prints."""
from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import run_titlesim
from titlesim.compare.impact import STATS, as_shown
from titlesim.shown_interval import shown_difference, shown_interval
from titlesim.ui.panels import Headline

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("point, lo, hi, digits, expected", [
    (2, 2.6, 3.4, 0, (2, 2, 3)),  # naive: +2 shown with [+3, +3]
    (-18, -17.4, -17.3, 0, (-18, -18, -17)),  # naive: -18 [-17, -17]
    (0.1, 0.01, 0.03, 1, (0.1, 0.0, 0.1)),  # naive: +0.1 [0.0, 0.0]
    (-0.04, -0.036, -0.031, 2, (-0.04, -0.04, -0.03)),
    (5, 4.6, 5.4, 0, (5, 5, 5)),  # inside already: rounded as usual
    (0, -0.4, 0.4, 0, (0, 0, 0)),
])
def test_the_shown_interval_holds_the_shown_point(point, lo, hi, digits, expected):
    assert shown_interval(point, lo, hi, digits) == pytest.approx(expected)
    shown, low, high = shown_interval(point, lo, hi, digits)
    assert low <= shown <= high
    assert shown_interval(float("nan"), lo, hi, digits)[1:] == pytest.approx(
        (round(lo, digits), round(hi, digits)))


def test_the_rule_holds_on_arrays_of_random_differences():
    rng = np.random.default_rng(1)
    lo = rng.normal(0, 3, 1000)
    hi = lo + rng.exponential(0.5, 1000)
    point = rng.uniform(lo - 1, hi + 1)
    for digits in (0, 1, 2):
        shown, low, high = shown_interval(point, lo, hi, digits)
        assert ((low <= shown) & (shown <= high)).all()


def test_the_shown_difference_is_that_of_the_shown_values():
    # 157.5 → 160.5 (two replicates, each +3) shows as 158 → 160: the difference is +2
    assert shown_difference(157.5, 160.5) == 2
    assert shown_difference(1.44, 1.46, 1) == pytest.approx(0.1)


def test_the_what_if_card_adds_up_and_its_interval_holds_the_change():
    # 1.44 → 1.46 years shows as 1.4 → 1.5: the change +0.1, not ±0 [±0, ±0]
    card = Headline("years_waited", "", "years", value=1.46, change=0.02, value_lo=1.4,
                    value_hi=1.5, change_lo=0.01, change_hi=0.03, base=1.44, n=2)
    assert (card.base_text, card.value_text) == ("1.4", "1.5")
    assert card.change_text == "+0.1"
    assert card.change_interval == "[±0, +0.1]"
    people = Headline("titled", "", "persons", value=160.5, change=3.0, value_lo=150,
                      value_hi=170, change_lo=3.0, change_hi=3.0, base=157.5, n=2)
    assert (people.base_text, people.value_text, people.change_text) == ("158", "160", "+2")
    assert people.change_interval == "[+2, +3]"


def test_the_compare_tables_hold_the_shown_difference_in_the_interval():
    rows = pd.DataFrame({"unit": ["persons", "persons", "years"],
                         "base_mean": [157.5, 420.5, 1.444], "revision_mean": [160.5, 403.5, 1.456],
                         "diff_mean": [3.0, -17.0, 0.012], "diff_lo": [3.0, -17.0, 0.011],
                         "diff_hi": [3.0, -17.0, 0.013]})
    shown = as_shown(rows, 1)[STATS].astype(float)
    assert shown["diff_mean"].tolist() == pytest.approx([2, -16, 0.1])  # 158 → 160, 420 → 404
    assert ((shown["diff_lo"] <= shown["diff_mean"]) & (shown["diff_mean"] <= shown["diff_hi"])).all()


HEADLINE = re.compile(r"：([\d,.]+) → ([\d,.]+)，差 ([+-]?[\d,.]+) \S+（90% 区间 ([+-]?[\d,.]+) 至 ([+-]?[\d,.]+)）")


def test_every_printed_headline_difference_lies_within_its_interval(tmp_path):
    # two replicates: means of counts end in .5, where rounding each apart broke the line
    # ("158 → 160，差 +2 人（90% 区间 +3 至 +3）")
    done = run_titlesim("compare", ROOT / "scenarios/baseline-2022.yaml",
                        ROOT / "scenarios/grassroots-ratio-0.6.yaml", "--set", "population.size=10000",
                        "--replicates", "2", "--no-figures", "--lang", "zh", "--out", tmp_path,
                        cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr
    lines = [m.groups() for m in map(HEADLINE.search, done.stdout.splitlines()) if m]
    assert len(lines) >= 9, done.stdout
    for line in lines:
        base, revision, diff, lo, hi = (Decimal(x.replace(",", "")) for x in line)
        assert diff == revision - base, line
        assert lo <= diff <= hi, line
