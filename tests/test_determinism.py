"""Determinism and common random numbers.

Every random draw is keyed by (seed, replicate, year, purpose, person), so:

* the same scenario and seed give byte-identical ``metrics.csv`` and ``lines.csv``, run
  after run, and a different seed gives different ones;
* a change to a parameter no rule reads leaves every count identical;
* a change to a parameter read only by a later step of the year leaves the earlier steps
  of the first year identical, so that a comparison of two revisions shows the policy
  and not the noise.
"""
from __future__ import annotations

import subprocess
from dataclasses import fields

import numpy as np
import pandas as pd
import pytest
from conftest import BASELINE, run_titlesim, small_scenario, titlesim_command

from titlesim import simulate
from titlesim.history import rules_before_start
from titlesim.metrics import M
from titlesim.setup import prepare

RUN = ("--set", "population.size=1500", "--set", "horizon.years=3", "--replicates", "2", "--quiet")
TABLES = ("metrics.csv", "lines.csv")


def run_folder(tmp_path, *extra, fresh_process: bool = False):
    """``titlesim run`` of the small baseline: in a new Python process (its own hash seed,
    imports and caches) when ``fresh_process``, else in this one."""
    command = ("run", str(BASELINE), *RUN, "--out", "runs", *extra)
    if fresh_process:
        out = subprocess.run(titlesim_command(*command), cwd=tmp_path, capture_output=True,
                             text=True, timeout=300)
    else:
        out = run_titlesim(*command, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    return tmp_path / out.stdout.strip().splitlines()[-1]


# ------------------------------------------------------------------------ determinism
def test_the_same_seed_gives_byte_identical_tables(tmp_path):
    # one run in a process of its own, one in this process, which has run other tests
    first = run_folder(tmp_path, "--seed", "7", fresh_process=True)
    second = run_folder(tmp_path, "--seed", "7")
    assert first != second
    for name in TABLES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / "metrics.csv").stat().st_size > 10_000


def test_another_seed_gives_other_tables(tmp_path):
    first, second = run_folder(tmp_path, "--seed", "7"), run_folder(tmp_path, "--seed", "8")
    for name in TABLES:
        assert (first / name).read_bytes() != (second / name).read_bytes(), name


def test_simulating_twice_in_one_process_gives_the_same_counts():
    loaded = small_scenario()
    a, b = simulate(loaded), simulate(loaded)
    np.testing.assert_array_equal(a.counts, b.counts)
    np.testing.assert_equal(a.line_rows, b.line_rows)  # NaN lines (nobody sat) compare equal


# --------------------------------------------------------- parameters no rule reads
@pytest.fixture(scope="module")
def reference():
    return simulate(small_scenario(size=2000))


@pytest.mark.parametrize("change", [
    "description=another description",                         # words only
    "posts.pooled_unit_types=[enterprise]",                     # read only when allocation: county_pool
    "posts.directed_separate_structure.deputy_senior=0.5",      # read only when directed_quota: separate
])
def test_a_parameter_no_rule_reads_leaves_every_count_identical(reference, change):
    changed = simulate(small_scenario(change, size=2000))
    assert changed.scenario.sha256() != reference.scenario.sha256()  # it is another scenario
    np.testing.assert_array_equal(changed.counts, reference.counts)
    pd.testing.assert_frame_equal(changed.lines, reference.lines)


def test_a_longer_horizon_repeats_the_shorter_one_first(reference):
    longer = simulate(small_scenario(size=2000, years=4))
    np.testing.assert_array_equal(longer.counts[:, :3], reference.counts)


def test_more_replicates_repeat_the_first_ones(reference):
    more = simulate(small_scenario(size=2000, replicates=3))
    np.testing.assert_array_equal(more.counts[:2], reference.counts)


def test_the_starting_workforce_depends_on_the_population_and_seed_only(reference):
    """A revision takes effect at horizon.start: its history is the base's, so both start
    from the identical state (people, their passes, failures, posts held)."""
    loaded = small_scenario("passline.ratio=0.9", "validity.years=5", "posts.hiring_order=merit",
                            "application.base.other=0.6", size=2000)
    a = prepare(reference.scenario.params, reference.seed, rules_before_start(reference.scenario))
    b = prepare(loaded.params, loaded.params.seed, rules_before_start(loaded))
    assert a.history is b.history  # computed once, reused
    for f in fields(a.people):
        np.testing.assert_array_equal(getattr(a.people, f.name), getattr(b.people, f.name),
                                      err_msg=f.name)
    np.testing.assert_array_equal(a.post_pool, b.post_pool)
    assert a.next_id == b.next_id


# ----------------------------------------------- a change read only in the exam step
BEFORE_THE_EXAM = ("headcount", "entrants", "exits_retired", "exits_other", "transfers_in",
                   "recognised", "eligible", "applied", "valid_passes_held")
FIRST_YEAR_STEPS = ("entrants", "exits_retired", "exits_other", "transfers_in", "recognised",
                    "eligible", "applied", "valid_passes_held")


@pytest.mark.parametrize("change, affected", [
    ("exam.noise_sd=12", "passed_provincial"),   # the exam's scores
    ("passline.ratio=0.9", "passed_ratio_only"),  # the grassroots ratio line
])
def test_a_change_to_the_exam_leaves_the_first_years_earlier_steps_identical(reference, change,
                                                                               affected):
    changed = simulate(small_scenario(change, size=2000))
    for name in FIRST_YEAR_STEPS:
        np.testing.assert_array_equal(changed.counts[:, 0, M[name]], reference.counts[:, 0, M[name]],
                                      err_msg=name)
    # absences are drawn apart from the scores, so the same applicants sit
    np.testing.assert_array_equal(changed.counts[:, 0, M["sat_exam"]],
                                  reference.counts[:, 0, M["sat_exam"]])
    assert (changed.counts[:, 0, M[affected]] != reference.counts[:, 0, M[affected]]).any()
    # exits do not depend on titles: the same people leave in every year
    for name in ("exits_retired", "exits_other"):
        np.testing.assert_array_equal(changed.counts[:, :, M[name]].sum(axis=2),
                                      reference.counts[:, :, M[name]].sum(axis=2), err_msg=name)
