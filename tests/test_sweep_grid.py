"""Sweep grids: the points a grid names, and grids refused before anything runs.

A full grid runs every combination of its values; a sampled grid draws a Latin hypercube
or a Sobol' sample from its ranges (whole numbers for whole-number parameters) and crosses
it with its lists. Every value is checked against the scenario schema; a bad grid is
refused by the real command with exit status 2, naming the grid file, line and key, and
nothing is written.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from titlesim import load_scenario
from titlesim.errors import InputError
from titlesim.sweep import load_grid
from conftest import run_titlesim

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "scenarios" / "baseline-2022.yaml"
GRIDS = REPO / "scenarios" / "grids"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(BASELINE, ["population.size=2000", "horizon.years=3"])


def grid_file(tmp_path: Path, text: str, name: str = "grid.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------- full grids
def test_a_full_grid_runs_every_combination_in_file_order(scenario):
    grid = load_grid(GRIDS / "ratio-by-validity.yaml", scenario)
    points = grid.points(seed=1)
    assert grid.paths == ["passline.ratio", "validity.ratio_only_years"]
    assert len(points) == 6 * 3
    assert points[:4] == [{"passline.ratio": 0.3, "validity.ratio_only_years": 1},
                          {"passline.ratio": 0.3, "validity.ratio_only_years": 2},
                          {"passline.ratio": 0.3, "validity.ratio_only_years": 3},
                          {"passline.ratio": 0.4, "validity.ratio_only_years": 1}]
    assert len({tuple(p.values()) for p in points}) == len(points)


def test_a_stepped_range_gives_exact_values_including_the_top(scenario, tmp_path):
    grid = load_grid(grid_file(tmp_path, "parameters:\n"
                               "  passline.ratio: {min: 0.3, max: 0.8, step: 0.1}\n"
                               "  validity.years: {min: 1, max: 5, step: 2}\n"), scenario)
    ratio, years = grid.parameters
    assert ratio.values == (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)  # not 0.30000000000000004 ...
    assert years.values == (1, 3, 5) and all(type(v) is int for v in years.values)


def test_every_example_grid_loads(scenario):
    for path in sorted(GRIDS.glob("*.yaml")):
        assert load_grid(path, scenario).points(seed=7), path


# ---------------------------------------------------------------------- sampled grids
def test_a_latin_hypercube_puts_one_point_in_each_stratum_and_whole_numbers_stay_whole(
        scenario, tmp_path):
    grid = load_grid(grid_file(tmp_path, "sample: {method: lhs, size: 20}\nparameters:\n"
                               "  passline.ratio: {min: 0.3, max: 0.8}\n"
                               "  validity.years: {min: 1, max: 5}\n"), scenario)
    points = grid.points(seed=11)
    ratios = np.array([p["passline.ratio"] for p in points])
    years = [p["validity.years"] for p in points]
    assert len(points) == 20
    assert ratios.min() >= 0.3 and ratios.max() <= 0.8
    strata = np.floor((ratios - 0.3) / 0.5 * 20).astype(int)
    assert sorted(strata.tolist()) == list(range(20))
    assert all(type(y) is int for y in years) and set(years) == {1, 2, 3, 4, 5}
    assert years.count(1) == years.count(5) == 4  # each whole number equally often
    assert grid.points(seed=11) == points and grid.points(seed=12) != points


def test_a_sobol_sample_is_crossed_with_the_listed_rules(scenario, tmp_path):
    grid = load_grid(grid_file(tmp_path, "sample: {method: sobol, size: 8, seed: 3}\n"
                               "parameters:\n"
                               "  passline.ratio: {min: 0.3, max: 0.8}\n"
                               "  passline.ties: [include, cap]\n"), scenario)
    points = grid.points(seed=99)
    assert len(points) == 16
    assert [p["passline.ties"] for p in points[:4]] == ["include", "cap", "include", "cap"]
    assert points[0]["passline.ratio"] == points[1]["passline.ratio"]
    assert len({p["passline.ratio"] for p in points}) == 8
    assert grid.points(seed=1) == points  # the grid's own sample seed wins


def test_a_combination_the_schema_refuses_is_named_before_anything_runs(scenario, tmp_path):
    from titlesim.sweep.points import make_points
    path = grid_file(tmp_path, "parameters:\n  passline.full_marks: [100, 65]\n"
                           "  passline.provincial_standard: [60, 70]\n")
    grid = load_grid(path, scenario)  # each value alone is valid
    with pytest.raises(InputError) as refused:
        make_points(scenario, grid.points(seed=1), seed=1, replicates=1, source=str(path))
    text = str(refused.value)
    assert str(path) in text and "point 3" in text and "above full_marks" in text


# ------------------------------------------------------------ refused by the command
def titlesim(*args, cwd: Path) -> subprocess.CompletedProcess:
    # the English wording is checked here; the Chinese in test_cli_language.py
    env = dict(os.environ, PYTHONPATH=str(REPO), TITLESIM_LANG="en")
    return run_titlesim(*args, cwd=cwd, env=env)


BAD_GRIDS = {
    "unknown parameter": ("parameters:\n  passline.ratio: [0.5]\n  passline.ratoi: [0.4]\n",
                          ["line 3", "passline.ratoi", "unknown key", "did you mean 'passline.ratio'"]),
    "empty range": ("sample: {method: lhs, size: 4}\nparameters:\n"
                    "  passline.ratio: {min: 0.8, max: 0.3}\n",
                    ["line 3", "passline.ratio", "range is empty"]),
    "value out of range": ("parameters:\n  validity.ratio_only_years: [1, 2]\n"
                           "  passline.ratio: [0.5, 1.2]\n",
                           ["line 3", "passline.ratio", "1.2", "less than or equal to 1"]),
    "range end out of range": ("sample: {method: lhs, size: 4}\nparameters:\n"
                               "  validity.years: {min: 1, max: 9}\n",
                               ["line 3", "validity.years", "9"]),
    "bad method": ("sample:\n  method: grid\n  size: 4\nparameters:\n  passline.ratio: {min: 0.3, max: 0.8}\n",
                   ["line 2", "sample.method", "unknown sampling method", "lhs or sobol"]),
    "empty list": ("parameters:\n  passline.ratio: []\n", ["line 2", "passline.ratio", "empty"]),
    "sobol not a power of 2": ("sample: {method: sobol, size: 12}\nparameters:\n"
                               "  passline.ratio: {min: 0.3, max: 0.8}\n",
                               ["sample.size", "power of 2", "use 8 or 16"]),
    "range of a word": ("sample: {method: lhs, size: 4}\nparameters:\n"
                        "  passline.ties: {min: 0, max: 1}\n",
                        ["line 3", "passline.ties", "not a number"]),
    "whole number given a fraction": ("sample: {method: lhs, size: 4}\nparameters:\n"
                                      "  validity.years: {min: 1.5, max: 3}\n",
                                      ["validity.years", "whole number"]),
}


@pytest.mark.parametrize("case", list(BAD_GRIDS))
def test_a_bad_grid_is_refused_with_exit_status_2_naming_file_line_and_key(case, tmp_path):
    text, expected = BAD_GRIDS[case]
    grid = grid_file(tmp_path, text, "bad-grid.yaml")
    result = titlesim("sweep", BASELINE, "--grid", grid, "--out", tmp_path / "out", "--workers", "1",
                      "--set", "population.size=2000", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("titlesim: error: ")
    assert "bad-grid.yaml" in result.stderr
    for text in expected:
        assert text in result.stderr, (text, result.stderr)
    assert not (tmp_path / "out").exists()
