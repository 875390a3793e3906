"""The compiled loops (titlesim.kernels, used for province-scale arrays) give exactly the
numpy expressions' results: the same random bits, counts and people, and so the same
simulation, byte for byte."""
from __future__ import annotations

import functools
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


def test_streams_are_the_same_compiled():
    from titlesim.kernels import stream_of
    d = Draws(seed=20220616, replicate=5)
    for year, purpose, salt in [(2022, 2, 0), (1982, 4, 11), (2031, 3, 21)]:
        assert stream_of(np.uint64(d.key), year, purpose, salt) == d.stream(year, purpose, salt)


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


def _year_by_year(loaded, years: int = 3):
    """The state after each step of ``years`` years: people, working columns, counts."""
    from titlesim.engine import starting_state
    from titlesim.history import rules_before_start
    from titlesim.setup import prepare
    from titlesim import steps
    setup = prepare(loaded.params, loaded.params.seed, rules_before_start(loaded))
    state = starting_state(setup, Draws(setup.seed, 1))
    seen = []

    def look(step):
        p = state.people
        seen.append((step, {f.name: getattr(p, f.name).copy() for f in fields(p)},
                     {k: None if getattr(state, k) is None else np.copy(getattr(state, k))
                      for k in ("u_move", "post_pool", "ratio_member", "target_cell",
                                "applicants", "has_exam", "holds_pass")},
                     state.counts.counts.copy(), state.events.applicant.copy(),
                     state.events.exam.copy(), state.next_id))
    for year in setup.years[:years]:
        state.year, state.counts = int(year), YearCounts(setup.cells.n)
        steps.flows_step(state)
        look("flows")
        steps.eligibility_and_application_step(state)
        look("application")
        for step in (steps.exam_and_pass_lines_step, steps.evaluation_step, steps.hiring_step,
                     steps.mobility_step):
            step(state)
        steps.record_step(state)
        look("record")
    return seen


@pytest.mark.parametrize("overrides", [
    (), ("attached_units.join_grassroots_route=false", "application.failure_factor=0.55",
         "flows.exit_rate.other=0.2", "flows.transfers_in.rate=0.05")],
    ids=["baseline", "other-rules"])
def test_each_compiled_step_leaves_the_same_state(monkeypatch, overrides):
    """Flows, eligibility with application, and record: the compiled passes leave every
    column of the people, the working columns, the counts and the records as numpy does."""
    loaded = small_scenario(*overrides, size=3000, years=3)
    plain, fast = both(monkeypatch, lambda: _year_by_year(loaded))
    assert len(plain) == len(fast) == 9
    for a, b in zip(plain, fast, strict=True):
        step = a[0]
        for name in a[1]:
            assert a[1][name].dtype == b[1][name].dtype, (step, name)
            np.testing.assert_array_equal(a[1][name], b[1][name], err_msg=f"{step} {name}")
        for name in a[2]:
            if a[2][name] is None:
                assert b[2][name] is None
                continue
            assert a[2][name].dtype == b[2][name].dtype, (step, name)
            np.testing.assert_array_equal(a[2][name], b[2][name], err_msg=f"{step} {name}")
        for x, y in zip(a[3:], b[3:], strict=True):
            np.testing.assert_array_equal(x, y, err_msg=step)
    assert plain[-1][3].sum() > 0


def test_the_counts_do_not_depend_on_the_order_of_the_people(monkeypatch):
    """Arrivals take the leavers' places (titlesim.people.arrangement), so the order of
    the people changes from year to year; every draw is keyed by id and every rule reads
    people, not positions, so shuffling the people after each year's flows changes no
    count and no pass line."""
    from titlesim import engine, steps
    loaded = small_scenario("passline.group_by=[specialty, county]", size=4000, years=4)
    plain = simulate(loaded, progress=False)
    rng = np.random.default_rng(7)

    def shuffled(s):
        steps.flows_step(s)
        order = rng.permutation(len(s.people))
        s.people = s.people.take(order)
        s.u_move, s.post_pool, s.ratio_member = s.u_move[order], s.post_pool[order], s.ratio_member[order]
    monkeypatch.setattr(engine, "flows_step", shuffled)
    mixed = simulate(loaded, progress=False)
    np.testing.assert_array_equal(plain.counts, mixed.counts)
    assert repr(plain.line_rows) == repr(mixed.line_rows)


def test_arrivals_take_the_leavers_places():
    from titlesim.people import arrangement
    plan = arrangement(8, np.array([0, 3, 5, 7]), 2)  # four leave, two arrive
    assert plan.slots.tolist() == [0, 3] and plan.length == 6
    assert plan.targets.tolist() == [5] and plan.movers.tolist() == [6]  # 7 left, 6 moves down
    plan = arrangement(5, np.array([2]), 3)
    assert plan.slots.tolist() == [2, 5, 6] and plan.length == 7 and len(plan.targets) == 0
    plan = arrangement(4, np.zeros(0, dtype=np.int64), 0)
    assert len(plan.slots) == 0 and plan.length == 4


@functools.cache
def _guided_choices():
    """The compiled guided choice of each ``u`` (compiled once for the tests of every table)."""
    from numba import njit

    from titlesim.kernels import choose_guided

    @njit
    def chosen(keys, offsets, sizes, table, u, group):
        out = np.empty(u.size, dtype=np.int64)
        for i in range(u.size):
            out[i] = choose_guided(keys, offsets, sizes, table, u[i], group[i])
        return out
    return chosen


@pytest.mark.parametrize("weights", [
    [[0.2, 0.3, 0.5], [0.0, 1.0], [1.0, 0.0, 0.0, 2.0], [1 / 3] * 3],
    [[1.0] * 40, [0.0, 0.0, 5.0], [1e-12, 1.0, 1e-12], [0.1] * 10],
], ids=["small", "many"])
def test_a_guided_choice_is_the_tables_choice(weights):
    from titlesim.kernels import GUIDE_BINS, guide
    from titlesim.sampling import CategoricalTable

    chosen = _guided_choices()
    t = CategoricalTable(weights)
    table = guide(t.keys, t.offsets)
    edges = np.arange(GUIDE_BINS) / GUIDE_BINS  # each bin's first value, and the one before
    cum = np.concatenate([np.cumsum(w) / sum(w) for w in weights])
    cum = cum[cum < 1]  # the shares' own ends, and their neighbours
    u = np.concatenate([np.random.default_rng(7).random(20_000), edges, np.nextafter(edges[1:], -1),
                        cum, np.nextafter(cum, -1), np.nextafter(cum, 2), [1 - 2.0 ** -53]])
    for g in range(len(weights)):
        group = np.full(len(u), g, dtype=np.int64)
        np.testing.assert_array_equal(chosen(t.keys, t.offsets, t.sizes, table, u, group),
                                      t.choose(u, group))


def test_a_table_with_a_group_without_shares_has_no_guide():
    """Its keys are not sorted; the compiled arrivals then leave the draw to numpy."""
    from titlesim.kernels import guide
    from titlesim.sampling import CategoricalTable
    t = CategoricalTable([[0.5, 0.5], [0.0, 0.0], [0.25, 0.75]])
    assert guide(t.keys, t.offsets) is None
    shares = CategoricalTable([[0.5, 0.5], [1.0]])
    assert guide(shares.keys, shares.offsets).shape == (2, 64)


@functools.cache
def _float32_differences():
    """A compiled count of the people whose table-made float32 normal is not ndtri's, rounded
    (compiled once for the tests of every mean, not once per test)."""
    from numba import njit

    from titlesim.compiled.normal import person_normal_float32
    from titlesim.kernels import person_normal

    @njit
    def differ(stream, ids, mean):
        bad = 0
        for i in ids:
            bad += np.float32(person_normal(stream, i) + mean) != person_normal_float32(stream, i, mean)
        return bad
    return differ


@pytest.mark.parametrize("mean", [0.0, 0.3, -0.25, 1.0, 1e-6, -60.0, 3e5])
def test_a_normal_rounded_to_float32_by_the_table_is_ndtris(mean):
    """Millions of draws: the tails' bins, and draws near rounding boundaries, among them."""
    stream = Draws(seed=20220616, replicate=1).stream(2030, 3, 10)
    assert _float32_differences()(stream, np.arange(2_000_000, dtype=np.int64), mean) == 0


def test_the_normal_tables_polynomials_keep_within_their_bound():
    """At every bin's ends and at random; the tails (NaN rows) are left to ndtri."""
    from numba import njit

    from titlesim.compiled.normal import BINS, ERROR, TABLE
    from titlesim.kernels import ndtri

    @njit
    def beyond_bound(u, table):
        bad = 0
        for x in u:
            k = np.int64(x * BINS)
            h = x - (k + 0.5) / BINS
            z = table[k, 0] + h * (table[k, 1] + h * (table[k, 2] + h * (table[k, 3] + h * table[k, 4])))
            bad += abs(z - ndtri(x)) > ERROR  # False for a NaN row
        return bad
    assert 0.02 < np.isnan(TABLE[:, 0]).mean() < 0.05
    ends = np.arange(1, BINS) / BINS
    u = np.concatenate([ends, np.nextafter(ends, 0), np.random.default_rng(3).random(200_000)])
    assert beyond_bound(u, TABLE) == 0
