"""The compiled loops (titlesim.kernels, used for province-scale arrays) give exactly the
numpy expressions' results: the same random bits, counts and people, and so the same
simulation, byte for byte."""
from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest
from conftest import small_scenario

from titlesim import sizes, simulate
from titlesim.metrics import YearCounts
from titlesim.randomness import Draws


@pytest.fixture
def compiled(monkeypatch):
    """Use the compiled loops for arrays of every size."""
    monkeypatch.setattr(sizes, "PREFERRED", True)


def both(monkeypatch, fn):
    """``fn()`` with numpy expressions, then with compiled loops."""
    monkeypatch.setattr(sizes, "PREFERRED", False)
    plain = fn()
    monkeypatch.setattr(sizes, "PREFERRED", True)
    return plain, fn()


IDS = [np.arange(0, 5000, dtype=np.int32), np.array([-1, 0, 2**31 - 1, 7], dtype=np.int64),
       np.arange(10, 40000, 7, dtype=np.int64)]


@pytest.mark.parametrize("ids", IDS, ids=["int32", "edges", "int64"])
def test_draws_are_the_same_bits(monkeypatch, ids):
    d = Draws(seed=20220616, replicate=3)
    for year, purpose, salt in [(2022, 2, 0), (2031, 9, 11)]:
        for draw in (lambda: d.bits(year, purpose, ids, salt), lambda: d.uniform(year, purpose, ids, salt),
                     lambda: d.normal(year, purpose, ids, salt)):
            plain, fast = both(monkeypatch, draw)
            assert plain.dtype == fast.dtype and plain.shape == fast.shape
            np.testing.assert_array_equal(plain, fast)
        for k in (1, 2, 3):
            plain, fast = both(monkeypatch, lambda: d.uniforms(year, purpose, ids, k))
            for a, b in zip(plain, fast, strict=True):
                assert a.dtype == b.dtype
                np.testing.assert_array_equal(a, b)


def test_counts_are_the_same(monkeypatch):
    rng = np.random.default_rng(1)
    cell = rng.integers(0, 300, 20_000).astype(np.int32)
    mask = rng.random(20_000) < 0.3

    def add():
        counts = YearCounts(300)
        counts.add("applied", cell)
        counts.add("titled", cell, mask)
        counts.add("hired", cell[:10], mask[:10])
        return counts.counts
    plain, fast = both(monkeypatch, add)
    np.testing.assert_array_equal(plain, fast)
    assert plain.sum() == 20_000 + mask.sum() + mask[:10].sum()


def test_a_cell_out_of_range_is_an_error_not_a_write(compiled):
    with pytest.raises(IndexError):
        YearCounts(10).add("applied", np.array([3, 10]))


def test_leavers_are_dropped_the_same_and_new_people_appended(monkeypatch, small_baseline_result):
    from titlesim.setup import prepare
    loaded = small_baseline_result.scenario
    start = prepare(loaded.params, loaded.params.seed).people
    ids_before = start.id.copy()
    keep = np.random.default_rng(2).random(len(start)) < 0.9

    def year():
        people = start.copy()
        people.keep(keep)
        people.extend(start.take(np.arange(50)))
        people.keep(np.arange(len(people)) % 3 > 0)
        return people
    plain, fast = both(monkeypatch, year)
    for f in fields(plain):
        np.testing.assert_array_equal(getattr(plain, f.name), getattr(fast, f.name), err_msg=f.name)
    np.testing.assert_array_equal(start.id, ids_before)  # the original is untouched


def test_a_simulation_is_the_same_with_compiled_loops(monkeypatch):
    loaded = small_scenario("passline.group_by=[specialty, county]", size=2500, years=3)
    plain, fast = both(monkeypatch, lambda: simulate(loaded, progress=False))
    np.testing.assert_array_equal(plain.counts, fast.counts)
    assert repr(plain.line_rows) == repr(fast.line_rows)


def test_the_preference_decides_before_size_and_work(monkeypatch):
    monkeypatch.setattr(sizes, "PREFERRED", None)
    assert not sizes.kernels_for(10) and sizes.kernels_for(sizes.LARGE)
    with sizes.running(sizes.WORK):
        assert sizes.kernels_for(10)
    with sizes.running(sizes.WORK - 1):
        assert not sizes.kernels_for(10)
    sizes.prefer_compiled(False)
    assert not sizes.kernels_for(sizes.LARGE)
    sizes.prefer_compiled(True)
    assert sizes.kernels_for(1)
    monkeypatch.setenv("TITLESIM_COMPILED", "0")
    assert sizes._from_environment() is False
    monkeypatch.setenv("TITLESIM_COMPILED", "1")
    assert sizes._from_environment() is True
    monkeypatch.setenv("TITLESIM_COMPILED", "")
    assert sizes._from_environment() is None
