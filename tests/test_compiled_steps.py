"""The compiled passes of the steps (titlesim.compiled) give exactly what the readable
rules give: the same draws, the same people changed in the same way, the same counts
and records, step by step on the same state and over whole simulations, under the
baseline and under the rule variants each pass has a branch for."""
from __future__ import annotations

import copy
import functools
from dataclasses import fields

import numpy as np
import pytest
from conftest import small_scenario

from titlesim import engine, kernels, simulate, sizes
from titlesim.compiled import hiring
from titlesim.people import People
from titlesim.randomness import Draws, Purpose
from titlesim.rules import posts
from titlesim.setup import prepare

VARIANTS = {
    "baseline": (),
    "merit, separate quota, where_valid": (
        "posts.hiring_order=merit", "posts.directed_quota=separate",
        "attached_units.route_choice=where_valid", "passline.group_by=[series, level]",
        "passline.rounding=ceil"),
    "tight committees, ratio groups by county": (
        "evaluation.committees.engineering.capacity=3", "evaluation.committees.health.capacity=40",
        "evaluation.committees.teachers.pass_rate_cap=0.2",
        "passline.group_by=[specialty, county]", "passline.ties=cap", "passline.floor=40"),
    "barred moves, no provincial route": (
        "mobility.directed_on_leaving=barred", "attached_units.may_enter_provincial=false",
        "mobility.out_of_grassroots=0.2", "mobility.into_grassroots=0.1",
        "passline.ratio_base=sat", "passline.rounding=floor", "passline.ratio=0.35"),
}
STEPS = {  # the step observed just before, and the step
    "exam": engine.exam_and_pass_lines_step,
    "evaluation": engine.evaluation_step,
    "hiring": engine.hiring_step,
    "mobility": engine.mobility_step,
}


def use_compiled(monkeypatch, on: bool) -> None:
    if hasattr(sizes, "PREFERRED"):
        monkeypatch.setattr(sizes, "PREFERRED", on)
    monkeypatch.setattr(sizes, "LARGE", 0 if on else 10**12)


def clone(s):
    """A copy of a state whose step can run without touching ``s``."""
    c = copy.copy(s)
    c.people = s.people.copy()
    for name in ("ratio_member", "target_cell", "applicants", "has_exam", "holds_pass", "post_pool",
                 "u_move"):
        if getattr(s, name, None) is not None:
            setattr(c, name, getattr(s, name).copy())
    c.counts, c.events, c.lines = copy.deepcopy(s.counts), copy.deepcopy(s.events), list(s.lines)
    c.posts_taken = None if s.posts_taken is None else s.posts_taken.copy()
    return c


def assert_same_state(a, b) -> None:
    for f in fields(People):
        np.testing.assert_array_equal(getattr(a.people, f.name), getattr(b.people, f.name), err_msg=f.name)
        assert getattr(a.people, f.name).dtype == getattr(b.people, f.name).dtype, f.name
    for name in ("post_pool", "ratio_member"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    np.testing.assert_array_equal(a.counts.counts, b.counts.counts)
    for f in fields(a.events):
        x, y = getattr(a.events, f.name), getattr(b.events, f.name)
        np.testing.assert_array_equal(x, y, err_msg=f.name)
        assert x.dtype == y.dtype, f.name
    assert repr(a.lines) == repr(b.lines)


@pytest.mark.parametrize("base", ["numpy", "compiled"])
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_each_step_is_the_same_compiled(monkeypatch, variant, base):
    """The year runs one way (``base``); before each step, the step runs both ways on
    copies of the state."""
    loaded = small_scenario(*VARIANTS[variant], size=3000, years=3)
    setup = prepare(loaded.params, loaded.params.seed)
    compared = []

    def see(step, s):
        if step not in STEPS:
            return
        plain, fast = clone(s), clone(s)
        use_compiled(monkeypatch, False)
        STEPS[step](plain)
        use_compiled(monkeypatch, True)
        STEPS[step](fast)
        use_compiled(monkeypatch, base == "compiled")
        assert_same_state(plain, fast)
        compared.append(step)

    use_compiled(monkeypatch, base == "compiled")
    engine.run_replicate(setup, 0, observe=see)
    assert compared == list(STEPS) * 3


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_simulation_is_the_same_compiled(monkeypatch, variant):
    loaded = small_scenario(*VARIANTS[variant], size=2500, years=4, replicates=2)
    use_compiled(monkeypatch, False)
    plain = simulate(loaded, progress=False)
    use_compiled(monkeypatch, True)
    fast = simulate(loaded, progress=False)
    np.testing.assert_array_equal(plain.counts, fast.counts)
    assert repr(plain.line_rows) == repr(fast.line_rows)
    assert plain.counts.sum() > 0


def test_draws_one_person_at_a_time_are_the_engines():
    d = Draws(seed=20220616, replicate=2)
    ids = np.arange(-5, 6000, 3, dtype=np.int64)
    stream = d.stream(2024, Purpose.EVALUATION_NOISE)
    normal = np.array([kernels.person_normal(stream, i) for i in ids])
    uniform = np.array([kernels.person_uniform(stream, i) for i in ids])
    np.testing.assert_array_equal(normal, d.normal(2024, Purpose.EVALUATION_NOISE, ids))
    np.testing.assert_array_equal(uniform, d.uniform(2024, Purpose.EVALUATION_NOISE, ids))


@pytest.mark.parametrize("seed", range(6))
def test_the_post_queue_fills_as_the_rule(seed):
    """Many equal keys (years of arrival) and crowded cells: the same people hired."""
    rng = np.random.default_rng(seed)
    n, n_units = 4000, 37
    unit = rng.integers(0, n_units, n)
    level = rng.integers(1, 4, n)
    pool = (rng.random(n) < 0.2).astype(np.int8)
    key = rng.integers(2015, 2025, n).astype(np.float64) if seed % 2 else -rng.normal(size=n).round(1)
    free = rng.integers(0, 30, (2, n_units, 4))
    got, expected = _hired_both_ways(rng, seed, unit, level, pool, key, free)
    np.testing.assert_array_equal(got, expected)
    assert 0 < got.sum() < n


def _hired_both_ways(rng, seed, unit, level, pool, key, free):
    """Who is hired by the compiled queue and by the rule's sort, on the same draws."""
    n, n_units = len(unit), free.shape[1]
    d = Draws(seed=seed, replicate=1)
    ids = rng.permutation(10 * n)[:n].astype(np.int64)
    expected = posts.hire(np.ones(n, bool), unit, level, pool, key,
                          d.uniform(2023, Purpose.HIRING_ORDER, ids), free)
    cell = (pool.astype(np.int64) * n_units + unit) * 4 + level
    got = hiring.fill_posts(cell, key, ids, d.stream(2023, Purpose.HIRING_ORDER), free.reshape(-1))
    return got, expected


@pytest.mark.parametrize("seed", range(4))
def test_long_queues_for_many_posts_fill_as_the_rule(seed):
    """A few crowded cells with hundreds of vacancies (each cell's room of first entries
    is a deep heap), many equal keys: the same people hired as the rule's sort."""
    rng = np.random.default_rng(100 + seed)
    n, n_units = 6000, 3
    unit, level = rng.integers(0, n_units, n), rng.integers(1, 4, n)
    pool = np.zeros(n, dtype=np.int8)
    key = rng.integers(0, 4, n).astype(np.float64)  # few keys: the draws decide
    free = rng.integers(0, 700, (2, n_units, 4))
    got, expected = _hired_both_ways(rng, seed, unit, level, pool, key, free)
    np.testing.assert_array_equal(got, expected)
    assert 0 < got.sum() < n


@pytest.mark.parametrize("seed", range(4))
def test_the_first_of_a_committee_order_are_those_a_stable_sort_puts_first(seed):
    """Capacity and pass-rate caps keep the first q by (record, draw, order), ties included."""
    from titlesim.compiled.evaluation import _first
    rng = np.random.default_rng(seed)
    primary = rng.integers(0, 5, 300).astype(np.float64)  # many ties
    secondary = rng.integers(0, 3, 300).astype(np.float64)
    for q in (0, 1, 7, 150, 299, 300, 400):
        order = np.lexsort((secondary, primary))  # stable: position last
        expected = np.zeros(300, dtype=bool)
        expected[order[:q]] = True
        np.testing.assert_array_equal(_first(primary, secondary, q), expected)



@pytest.mark.parametrize("seed", range(4))
def test_the_entrants_units_are_the_rules_largest_remainder_split(seed):
    """The compiled split of the new juniors over the units is the rule's, unit by unit
    (ties of remainders in the units' order; nothing wanted; shares of a half)."""
    from types import SimpleNamespace

    from titlesim.compiled.flows import entrant_units
    from titlesim.rules import flows
    rng = np.random.default_rng(seed)
    n = 400
    for _ in range(25):
        target = rng.uniform(0, 60, n) if rng.random() < 0.5 else np.round(rng.uniform(0, 60, n))
        staff = np.maximum(np.round(target).astype(np.int64) - rng.poisson(rng.uniform(0, 3), n), 0)
        rate = float(rng.choice([0.0, 0.5, 0.37, 1.0]))
        expected = np.repeat(np.arange(n, dtype=np.int32),
                             flows.entrants_per_unit(staff, target, SimpleNamespace(replacement_rate=rate)))
        got = entrant_units(staff, target, rate)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)



@functools.cache
def _table_decisions():
    """Evaluation's compiled decision for each candidate (compiled once for the tests of
    every noise)."""
    from numba import njit

    from titlesim.compiled import evaluation

    @njit
    def reaches(w, ability, practice, research, noise_sd, stream, ids, edges):
        out = np.empty(ids.size, dtype=np.bool_)
        for j in range(ids.size):
            out[j] = evaluation._reaches(w, ability[j], practice[j], research[j], noise_sd, stream,
                                         ids[j], edges)
        return out
    return reaches


@pytest.mark.parametrize("noise_sd", [0.4, 1e-7, 3.0])
def test_the_threshold_decided_by_the_quantile_table_is_the_computed_one(noise_sd):
    """Evaluation decides record >= threshold from a table of normal quantiles where it
    can: the same decisions as the rule's score with the drawn noise, thresholds right at
    some candidates' scores included (where the table cannot decide)."""
    from types import SimpleNamespace

    from titlesim.compiled import evaluation
    from titlesim.rules.evaluation import record_score

    reaches = _table_decisions()
    d = Draws(seed=3, replicate=0)
    ids = np.arange(50_000, dtype=np.int64)
    rng = np.random.default_rng(1)
    ability, practice, research = rng.normal(size=ids.size), rng.normal(size=ids.size), rng.uniform(-1, 1, ids.size)
    noise = noise_sd * d.normal(2024, Purpose.EVALUATION_NOISE, ids)
    edges = evaluation._quantile_edges()
    for a, p, r in ((1.0, 2.0, 0.5), (0.0, 0.0, 0.0)):
        score = record_score(ability, practice, research, SimpleNamespace(ability=a, practice=p, research=r), noise)
        for threshold in (0.3, -1.2, *score[:30]):  # right at a score: the table cannot decide
            w = np.array([a, p, r, a + p + r, threshold])
            got = reaches(w, ability, practice, research, noise_sd,
                          d.stream(2024, Purpose.EVALUATION_NOISE), ids, edges)
            np.testing.assert_array_equal(got, score >= threshold)
        assert got[29] and not got.all()  # the last threshold: candidate 29's score


@pytest.mark.parametrize("variant", ["baseline", "merit, separate quota, where_valid",
                                     "barred moves, no provincial route"])
def test_the_posts_table_kept_across_years_is_a_full_count(monkeypatch, variant):
    """The compiled steps keep the posts taken per (quota, unit, level) from year to year
    (the flows take the leavers' posts off, hiring and mobility update it): before each
    step it equals a count over everyone."""
    loaded = small_scenario(*VARIANTS[variant], size=3000, years=5)
    setup = prepare(loaded.params, loaded.params.seed)
    n_units = len(setup.units)
    checked = []

    def see(step, s):
        if s.posts_taken is None:
            return
        p = s.people
        full = posts.occupied(setup.post_holder[p.unit], p.post_level, s.post_pool, n_units)
        np.testing.assert_array_equal(s.posts_taken.reshape(2, n_units, 4), full, err_msg=f"{s.year} {step}")
        checked.append((s.year, step))

    use_compiled(monkeypatch, True)
    engine.run_replicate(setup, 0, observe=see)
    assert len(checked) == 4 * 5 - 3  # every step but those of the first year before hiring


def test_the_year_end_record_sets_nothing_on_the_setup_from_outside(monkeypatch):
    """The compiled record reads the posts per (unit, level) from the set-up's own
    property (computed once, equal to the two pools' sum): it sets no attribute on the
    set-up."""
    from titlesim.compiled import record
    loaded = small_scenario(size=2000, years=2)
    setup = prepare(loaded.params, loaded.params.seed)
    states = []
    use_compiled(monkeypatch, True)
    engine.run_replicate(setup, 0, observe=lambda step, s: states.append(s))
    vars(setup).pop("posts_per_unit_level", None)
    before = set(vars(setup))
    record.year_end(states[-1])
    assert set(vars(setup)) - before == {"posts_per_unit_level"}
    np.testing.assert_array_equal(setup.posts_per_unit_level, setup.capacity.sum(axis=0))
    assert setup.posts_per_unit_level is setup.posts_per_unit_level
    # nor does any other compiled pass: what they make once lives in the set-up's own field
    fresh = prepare(loaded.params, loaded.params.seed)
    before = set(vars(fresh))
    engine.run_replicate(fresh, 0)
    assert set(vars(fresh)) - before == {"posts_per_unit_level"}
    assert set(fresh.derived) == {"arrivals", "transfer_guide", "establishment_target",
                                  "evaluation", "failure_powers", "mobility"}
