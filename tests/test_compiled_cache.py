"""The compiled passes' machine code is cached in a folder named by the package's source
(titlesim/compiled_cache.py): a change to a file a pass only takes constants or inlined
code from is compiled afresh, not read back stale."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import titlesim
from titlesim import compiled_cache

PACKAGE = Path(titlesim.__file__).resolve().parent

# calls the record pass's posts counter, whose metric rows are constants from metrics.py
PROBE = """
import numpy as np
from titlesim.compiled.record import _posts
from titlesim.metrics import M
counts = np.zeros((len(M), 1))
_posts(np.array([5]), np.array([2]), np.array([0]), counts)
print(int(np.flatnonzero(counts[:, 0] == 5)[0]), int(np.flatnonzero(counts[:, 0] == 3)[0]))
"""


def _probe(root: Path) -> tuple[int, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_")}
    env["PYTHONPATH"] = str(root)
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=root, text=True,
                          capture_output=True, timeout=300, check=True)
    posts_row, vacant_row = map(int, done.stdout.split())
    return posts_row, vacant_row


def test_a_changed_constant_in_another_file_is_compiled_afresh(tmp_path):
    shutil.copytree(PACKAGE, tmp_path / "titlesim",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    from titlesim.metrics import M
    assert _probe(tmp_path) == (M["posts"], M["posts_vacant"])
    assert len(list((tmp_path / "titlesim" / "__pycache__").glob("numba-*"))) == 1
    # metrics.py changes (the two rows swap); record.py, the pass's own file, does not
    with open(tmp_path / "titlesim" / "metrics.py", "a", encoding="utf-8") as fh:
        fh.write('\nM = {**M, "posts": M["posts_vacant"], "posts_vacant": M["posts"]}\n')
    assert _probe(tmp_path) == (M["posts_vacant"], M["posts"])  # not the stale machine code
    assert len(list((tmp_path / "titlesim" / "__pycache__").glob("numba-*"))) == 2


def test_unchanged_code_reads_its_machine_code_back(tmp_path):
    shutil.copytree(PACKAGE, tmp_path / "titlesim",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    first = _probe(tmp_path)
    cached = sorted((tmp_path / "titlesim" / "__pycache__").glob("numba-*/*/*.nbc"))
    assert cached, "the pass was not cached"
    stamps = [p.stat().st_mtime_ns for p in cached]
    assert _probe(tmp_path) == first
    assert [p.stat().st_mtime_ns for p in cached] == stamps  # read back, not written again


def test_only_the_most_recently_used_folders_are_kept(tmp_path):
    place = tmp_path / "__pycache__"
    for age, name in enumerate(["numba-a", "numba-b", "numba-c", "numba-d", "numba-e"]):
        (place / name).mkdir(parents=True)
        os.utime(place / name, (1_000_000 + age, 1_000_000 + age))
    (place / "other").mkdir()
    compiled_cache._prune(place, keep=place / "numba-a")
    assert sorted(p.name for p in place.iterdir()) == ["numba-a", "numba-c", "numba-d",
                                                         "numba-e", "other"]


def test_the_folder_is_named_by_the_source_and_used_by_numba():
    import numba

    import titlesim.kernels  # noqa: F401 - chooses the folder
    assert Path(numba.config.CACHE_DIR).name == compiled_cache.folder_name()
    assert Path(numba.config.CACHE_DIR).parent == PACKAGE / "__pycache__"
