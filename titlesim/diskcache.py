"""A folder of computed results kept between processes (the warm-up history, see
:mod:`titlesim.history`), so that a new command does not compute again what an earlier
one computed with the same inputs and the same code.

Where: ``TITLESIM_CACHE_DIR`` if set (``off`` turns the cache off), else the platform's
user cache folder (``~/.cache/titlesim`` on Linux, ``~/Library/Caches/titlesim`` on macOS,
``%LOCALAPPDATA%\\titlesim\\Cache`` on Windows). Deleting the folder is always safe.

Each entry is one ``.npz`` file of arrays (no pickled objects), named by a hash of its
key, of the package's version and of the package's source code: a changed program never
reads an entry an older one wrote. Entries are written through a temporary file renamed
into place (:func:`titlesim.runfolder.atomic_write`), so a reader sees a whole entry or
none; an entry that cannot be read back whole (truncated, corrupt, another format) is
removed and treated as missing. Processes that need the same entry at the same time
compute it once: the others wait on a lock file and read what the first wrote. Beyond
:data:`MAX_BYTES` in all, the entries used longest ago are removed.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import numpy as np

from titlesim import __version__

ENV = "TITLESIM_CACHE_DIR"
OFF = "off"
MAX_BYTES = 2 * 1024**3  # all entries together; the oldest-used go first
SUFFIX = ".npz"
_PACKAGE = Path(__file__).resolve().parent
_source_hash: str | None = None


def folder() -> Path | None:
    """The cache folder (not made yet), or None when the cache is off."""
    chosen = os.environ.get(ENV, "").strip()
    if chosen.lower() == OFF:
        return None
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs
    return Path(platformdirs.user_cache_dir("titlesim", appauthor=False))


def source_hash() -> str:
    """A hash of every Python file of the package (path and content): any change to the
    code gives another hash, so its entries are never mixed with an older code's."""
    global _source_hash
    if _source_hash is None:
        digest = hashlib.sha256()
        for path in sorted(_PACKAGE.rglob("*.py")):
            digest.update(path.relative_to(_PACKAGE).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes() + b"\0")
        _source_hash = digest.hexdigest()
    return _source_hash


def entry_key(kind: str, key: str) -> str:
    """The name of an entry: what it is, its own key, the version, the code and numpy."""
    text = "\n".join([kind, key, __version__, source_hash(), np.__version__])
    return f"{kind}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:40]}"


def read(kind: str, key: str) -> dict[str, np.ndarray] | None:
    """The arrays stored under ``kind`` and ``key``, or None (no cache, no entry, or an
    entry that is not whole: it is removed)."""
    root = folder()
    if root is None:
        return None
    return _read(root / (entry_key(kind, key) + SUFFIX))


def write(kind: str, key: str, arrays: dict[str, np.ndarray]) -> Path | None:
    """Store ``arrays`` under ``kind`` and ``key`` (atomically); then keep the folder within
    :data:`MAX_BYTES`. A cache that cannot be written is no error: None is returned."""
    root = folder()
    if root is None:
        return None
    from titlesim.runfolder import atomic_write
    path = root / (entry_key(kind, key) + SUFFIX)

    def save(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            np.savez_compressed(handle, **arrays)

    try:
        root.mkdir(parents=True, exist_ok=True)
        atomic_write(path, save)
        prune(root)
    except OSError:
        return None
    return path


@contextlib.contextmanager
def computing(kind: str, key: str):
    """Held while an entry is computed, so that another process computing the same entry
    waits and then reads it (a lock file beside the entry; no wait where locks are not
    available, or when the cache is off)."""
    root = folder()
    try:
        import fcntl
    except ImportError:  # Windows: two processes may compute the same entry
        fcntl = None
    if root is None or fcntl is None:
        yield
        return
    try:
        root.mkdir(parents=True, exist_ok=True)
        handle = open(root / (entry_key(kind, key) + ".lock"), "a+b")
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prune(root: Path, max_bytes: int = MAX_BYTES) -> None:
    """Remove the entries used longest ago until the rest fit in ``max_bytes``, and the
    temporary files of writers that are gone."""
    from titlesim.runfolder import leftovers
    for path in leftovers(root):
        path.unlink(missing_ok=True)
    entries = []
    for path in root.glob("*" + SUFFIX):
        with contextlib.suppress(OSError):
            stat = path.stat()
            entries.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries, key=lambda e: e[0]):
        if total <= max_bytes:
            break
        path.unlink(missing_ok=True)
        path.with_suffix(".lock").unlink(missing_ok=True)
        total -= size


def _read(path: Path) -> dict[str, np.ndarray] | None:
    try:
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}  # reading checks each CRC
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - truncated, corrupt, not an npz: computed again
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: pruned last
    return arrays
