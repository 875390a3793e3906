"""The warm-up history kept on disk between processes (``titlesim.diskcache``): read back
it is the history computed afresh, bit for bit; an entry that is not whole is computed
again; another version or source code never reads it; processes asking at once compute
it once; the folder stays within its bound."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from titlesim import diskcache, simulate
from titlesim.history import DISK_KIND, clear_cache, history, rules_before_start, warm_up
from titlesim.people import People
from conftest import small_scenario, totals

SMALL = ("history.years=6",)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A cache folder of this test's own, and no history kept in memory before or after."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(diskcache.ENV, str(folder))
    clear_cache()
    yield folder
    clear_cache()


def rules_of(*overrides, size=1500):
    return rules_before_start(small_scenario(*SMALL, *overrides, size=size))


def assert_same_history(got, fresh):
    for f in fields(People):
        a, b = getattr(got.people, f.name), getattr(fresh.people, f.name)
        assert a.dtype == b.dtype and np.array_equal(a, b), f.name
    for name in ("post_pool", "years", "counts"):
        a, b = getattr(got, name), getattr(fresh, name)
        assert a.dtype == b.dtype and np.array_equal(a, b), name
    assert got.next_id == fresh.next_id and got.key == fresh.key


def test_a_history_read_back_from_disk_is_the_fresh_one_bit_for_bit(cache):
    rules = rules_of()
    fresh = warm_up(rules, 7)
    stored = history(rules, 7)  # computed and written
    assert [p.suffix for p in cache.iterdir() if p.suffix == ".npz"] == [".npz"]
    clear_cache()  # as a new process would
    again = history(rules, 7)
    assert again is not stored
    assert_same_history(again, fresh)
    assert again.seconds == stored.seconds  # read, not computed again


def test_a_run_from_the_cached_history_equals_a_run_without_the_cache(cache, monkeypatch):
    scenario = small_scenario(*SMALL, years=2, replicates=1)
    history(rules_before_start(scenario), scenario.params.seed)
    clear_cache()
    from_disk = simulate(scenario, progress=False)
    monkeypatch.setenv(diskcache.ENV, diskcache.OFF)
    clear_cache()
    fresh = simulate(scenario, progress=False)
    assert np.array_equal(from_disk.counts, fresh.counts)
    assert all(np.array_equal(a, totals(fresh)[k]) for k, a in totals(from_disk).items())


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "another history"])
def test_an_entry_that_is_not_whole_is_computed_again_and_replaced(cache, damage):
    rules = rules_of()
    fresh = history(rules, 3)
    (entry,) = cache.glob("*.npz")
    whole = entry.read_bytes()
    if damage == "truncated":
        entry.write_bytes(whole[:len(whole) // 2])
    elif damage == "garbage":
        entry.write_bytes(bytes(range(256)) * 40)
    elif damage == "empty":
        entry.write_bytes(b"")
    else:  # a whole entry, but of another key (a file copied over this one)
        clear_cache()
        history(rules_of(size=1400), 3)
        other = next(p for p in cache.glob("*.npz") if p != entry)
        entry.write_bytes(other.read_bytes())
    clear_cache()
    again = history(rules, 3)
    assert_same_history(again, fresh)
    assert again.seconds != fresh.seconds  # computed again
    clear_cache()  # and written whole: read back
    assert_same_history(history(rules, 3), fresh)
    assert history(rules, 3).seconds == again.seconds


def test_another_version_or_source_code_never_reads_an_entry(cache, monkeypatch):
    rules = rules_of()
    history(rules, 3)
    name = diskcache.entry_key(DISK_KIND, "k")
    monkeypatch.setattr(diskcache, "__version__", "0.0.0-other")
    assert diskcache.entry_key(DISK_KIND, "k") != name
    monkeypatch.undo()
    monkeypatch.setenv(diskcache.ENV, str(cache))
    monkeypatch.setattr(diskcache, "_source_hash", "0" * 64)  # as after a change to the code
    assert diskcache.entry_key(DISK_KIND, "k") != name
    clear_cache()
    history(rules, 3)
    assert len(list(cache.glob("*.npz"))) == 2  # computed again, beside the older code's


def test_the_source_hash_covers_every_module_of_the_package():
    package = diskcache._PACKAGE
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    assert diskcache.source_hash() == digest.hexdigest()
    assert (package / "engine.py") in set(package.rglob("*.py"))
    assert (package / "compiled").is_dir() and list((package / "compiled").glob("*.py"))


def test_off_keeps_nothing_on_disk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(diskcache.ENV, "off")
    clear_cache()
    history(rules_of(), 3)
    clear_cache()
    assert diskcache.folder() is None and list(tmp_path.iterdir()) == []


def test_the_default_folder_is_the_users_cache_folder(monkeypatch):
    import platformdirs
    monkeypatch.delenv(diskcache.ENV, raising=False)
    assert diskcache.folder() == Path(platformdirs.user_cache_dir("titlesim", appauthor=False))


def test_beyond_its_bound_the_entries_used_longest_ago_go(tmp_path):
    arrays = {"x": np.arange(20_000, dtype=np.int64)}  # about 160 kB, compressed less
    paths = []
    for i, when in enumerate([300, 100, 200]):
        path = tmp_path / f"history-{i}.npz"
        np.savez(path, **arrays)
        os.utime(path, (when, when))
        paths.append(path)
    (tmp_path / ".history-9.npz.pid999999999.abc.tmp.npz").write_bytes(b"left by a killed writer")
    size = paths[0].stat().st_size
    diskcache.prune(tmp_path, max_bytes=2 * size)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history-0.npz", "history-2.npz"]


PROBE = """
import hashlib, json, sys
from titlesim import load_scenario
from titlesim.history import history, rules_before_start
s = load_scenario(sys.argv[1], ["population.size=1500", "history.years=6"])
h = history(rules_before_start(s), 5)
print(json.dumps({"seconds": h.seconds, "people": hashlib.sha256(h.people.id.tobytes()
      + h.people.level.tobytes() + h.counts.tobytes()).hexdigest()}))
"""


def test_processes_asking_at_once_compute_it_once(tmp_path):
    from conftest import BASELINE
    env = {**os.environ, diskcache.ENV: str(tmp_path / "cache")}
    running = [subprocess.Popen([sys.executable, "-c", PROBE, str(BASELINE)], env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    answers = []
    for process in running:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        answers.append(json.loads(out))
    assert answers[0] == answers[1]  # the same seconds: one computed, the other read it
    names = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert len(names) == 2 and names[0].endswith(".lock") and names[1].endswith(".npz")
