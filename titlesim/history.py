"""The history before the first simulated year (a steady start).

The first year of a run does not start from a freshly drawn workforce: it starts from a
history produced by simulating ``history.years`` warm-up years before ``horizon.start``,
through the same year step as the horizon (:func:`titlesim.engine.run_year`), under the
rules in force before the horizon. At its end people hold earlier exam passes (some
used, some still valid), years at level, failures, titles waiting for a post, and posts
occupied as the rules left them.

*The rules in force before the horizon* are the base scenario's: a revision (a file
that ``extends:`` another, or ``--set`` changes) takes effect at ``horizon.start``, so a
base and all its revisions start from the identical state. When a revision is loaded,
the base's values of the rules it changes are recorded in ``history.before`` (see
:func:`mark_rules_before_start`), so its resolved copy starts from the same history too.

The history is computed once per key (everything it depends on) and reused: by a
comparison's base and revisions, by every replicate, by repeated runs in one process,
and by later processes through the user's cache folder (:mod:`titlesim.diskcache`; an
entry is used only by the same version and source code of the package).
Establishments do not grow in the warm-up (``flows.entrants.growth_rate`` counts from
``horizon.start``).
"""
from __future__ import annotations

import hashlib
import json
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass, fields

import numpy as np

from titlesim.people import People
from titlesim.scenario.schema import WORDS, Scenario

HISTORY_STREAM = 2**32 - 2  # SeedSequence child of the warm-up years' draws
FORMAT = 1  # bump when the warm-up's meaning changes, so that cached histories are not reused
# what a history does not depend on: how many years and replicates follow, the wording
NOT_IN_KEY = (*WORDS, "replicates", "seed")  # the seed: given apart
CACHE_SIZE = 3


@dataclass(frozen=True)
class History:
    """The state at ``horizon.start`` and what the warm-up years recorded."""

    key: str
    people: People  # the workforce at the end of the last warm-up year
    post_pool: np.ndarray  # int8 per person: 1 where the post held is in the separate quota
    next_id: int  # the next person id to give
    years: np.ndarray  # the warm-up years
    counts: np.ndarray  # (year, metric, cell) of the warm-up years
    seconds: float  # what computing it took


def rules_before_start(scenario) -> Scenario:
    """The parameters the history is simulated with: the scenario's own, with the rules
    in force before ``horizon.start`` (``history.before``, a revision's base values) put
    back. Accepts a loaded scenario or its parameters."""
    params = getattr(scenario, "params", scenario)
    before = params.history.before
    if not before:
        return params
    from titlesim.scenario.loader import deep_merge
    data = params.model_dump()
    merged = deep_merge({k: v for k, v in data.items()}, before)
    merged["history"] = dict(data["history"], before={})
    return Scenario.model_validate(merged, strict=False)


def history_key(rules: Scenario, seed: int) -> str:
    """What a history depends on: every parameter (but the horizon's length and the
    replicates), the seed and the format of the warm-up."""
    data = {k: v for k, v in rules.model_dump(mode="json").items() if k not in NOT_IN_KEY}
    data["horizon"] = {"start": rules.horizon.start}
    text = json.dumps({"rules": data, "seed": int(seed), "format": FORMAT}, sort_keys=True,
                      ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_cache: OrderedDict[str, History] = OrderedDict()
_lock = threading.Lock()
_computing: dict[str, threading.Lock] = {}


def history(rules: Scenario, seed: int) -> History:
    """The history of ``rules`` and ``seed``, computed once and kept (the last few in
    memory, and on disk for other processes)."""
    key = history_key(rules, seed)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        guard = _computing.setdefault(key, threading.Lock())
    with guard:  # two threads asking for the same history compute it once
        with _lock:
            if key in _cache:
                return _cache[key]
        made = _from_disk_or_warm_up(rules, seed, key)
        with _lock:
            _cache[key] = made
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
            _computing.pop(key, None)
    return made


def clear_cache() -> None:
    """Forget the histories kept in memory (those on disk stay)."""
    with _lock:
        _cache.clear()


DISK_KIND = "history"
_PEOPLE = "people."


def _from_disk_or_warm_up(rules: Scenario, seed: int, key: str) -> History:
    """The history stored on disk under ``key``, else computed and stored (one process
    computes while the others asking for it wait)."""
    from titlesim import diskcache
    found = _from_disk(key)
    if found is None:
        with diskcache.computing(DISK_KIND, key):
            found = _from_disk(key)  # another process may have made it meanwhile
            if found is None:
                found = warm_up(rules, seed, key)
                diskcache.write(DISK_KIND, key, to_arrays(found))
    return found


def _from_disk(key: str) -> History | None:
    from titlesim import diskcache
    stored = diskcache.read(DISK_KIND, key)
    return None if stored is None else from_arrays(stored, key)


def to_arrays(made: History) -> dict[str, np.ndarray]:
    """A history as named arrays (what the disk cache stores)."""
    arrays = {_PEOPLE + f.name: getattr(made.people, f.name) for f in fields(People)}
    return {**arrays, "key": np.array(made.key), "post_pool": made.post_pool,
            "next_id": np.array(made.next_id, dtype=np.int64), "years": made.years,
            "counts": made.counts, "seconds": np.array(made.seconds)}


def from_arrays(arrays: dict[str, np.ndarray], key: str) -> History | None:
    """The history ``to_arrays`` stored, or None if the arrays are not one of ``key``."""
    names = [f.name for f in fields(People)]
    expected = {"key", "post_pool", "next_id", "years", "counts", "seconds",
                *(_PEOPLE + n for n in names)}
    if set(arrays) != expected or str(arrays["key"]) != key:
        return None
    people = People(**{n: arrays[_PEOPLE + n] for n in names})
    if any(len(arrays[_PEOPLE + n]) != len(people) for n in names) \
            or len(arrays["post_pool"]) != len(people):
        return None
    return History(key=key, people=people, post_pool=arrays["post_pool"],
                   next_id=int(arrays["next_id"]), years=arrays["years"],
                   counts=arrays["counts"], seconds=float(arrays["seconds"]))


def warm_up(rules: Scenario, seed: int, key: str = "") -> History:
    """Draw the workforce ``history.years`` before the start, then simulate those years
    with the engine's own year step."""
    import time

    from titlesim.engine import run_year, starting_state
    from titlesim.metrics import METRICS
    from titlesim.randomness import Draws
    from titlesim.setup import PostsWarning, prepare_drawn

    started = time.perf_counter()
    n = rules.history.years
    first = rules.horizon.start - n
    with warnings.catch_warnings():  # said once, when the run's own set-up is made
        warnings.simplefilter("ignore", PostsWarning)
        setup = prepare_drawn(rules, seed, drawn_in=first - 1)
    state = starting_state(setup, Draws(seed, HISTORY_STREAM), copy=False)  # its own set-up
    years = np.arange(first, rules.horizon.start)
    counts = np.zeros((len(years), len(METRICS) if n else 0, setup.cells.n), dtype=np.int32)
    for y, year in enumerate(years):
        run_year(state, int(year), counts=counts[y])
    return History(key=key or history_key(rules, seed), people=state.people,
                   post_pool=state.post_pool, next_id=state.next_id, years=years,
                   counts=counts, seconds=time.perf_counter() - started)
