"""Where numba keeps the compiled passes' machine code (``cache=True``).

numba checks a cached function against its own file only. A compiled pass also takes in
code and constants from other files (the draws of :mod:`titlesim.kernels`, the metric rows
of :mod:`titlesim.metrics`, the codes of :mod:`titlesim.events` …), frozen into its
machine code when it is compiled; after a change to one of those files numba would go on
using the old machine code, with the old constants. So the cache folder is named by a hash
of the whole package's source (:func:`titlesim.diskcache.source_hash`) and numba's version:
changed code is compiled afresh, unchanged code is read back.

The folder is ``numba-<hash>`` in ``NUMBA_CACHE_DIR`` when that is set, else in the
package's ``__pycache__`` (beside Python's own cache), else, where the package cannot be
written to, in the user's cache folder.
Only the :data:`KEEP` most recently used folders of one place are kept. Deleting them is
always safe (the next compiled run compiles again).
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

KEEP = 3  # cache folders of one place kept: this code's and the two used before it
_PACKAGE = Path(__file__).resolve().parent


def folder_name() -> str:
    """``numba-<hash>``: the hash of the package's source and numba's version."""
    import numba

    from titlesim.diskcache import source_hash
    text = f"{source_hash()}\n{numba.__version__}"
    return "numba-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def use_keyed_folder() -> Path | None:
    """Point numba's cache at this code's folder (made if need be, older ones pruned);
    call before any ``@njit(cache=True)`` function is defined. Returns the folder, or None
    where no writable place was found (numba then compiles in memory only, each process)."""
    from numba import config
    name = folder_name()
    if config.CACHE_DIR and Path(config.CACHE_DIR).name == name:
        return Path(config.CACHE_DIR)  # already chosen in this process
    for place in _places():
        target = place / name
        if _writable(target):
            config.CACHE_DIR = str(target)
            _prune(place, keep=target)
            return target
    config.CACHE_DIR = str(Path(tempfile.mkdtemp(prefix="titlesim-numba-")))
    return None


def _places() -> list[Path]:
    chosen = os.environ.get("NUMBA_CACHE_DIR", "").strip()
    if chosen:
        return [Path(chosen).expanduser()]
    places = [_PACKAGE / "__pycache__"]
    with contextlib.suppress(Exception):
        import platformdirs
        places.append(Path(platformdirs.user_cache_dir("titlesim", appauthor=False)))
    return places


def _writable(target: Path) -> bool:
    try:
        target.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=target).close()
    except OSError:
        return False
    with contextlib.suppress(OSError):
        target.touch()  # used now: pruned last
    return True


def _prune(place: Path, keep: Path) -> None:
    """Remove all but the :data:`KEEP` most recently used ``numba-*`` folders of ``place``."""
    folders = []
    for path in place.glob("numba-*"):
        with contextlib.suppress(OSError):
            folders.append((path.stat().st_mtime, path))
    newest_first = sorted(folders, key=lambda f: f[0], reverse=True)
    for _, path in newest_first[KEEP:]:
        if path != keep:
            shutil.rmtree(path, ignore_errors=True)
