"""Run folders: written atomically, never overwritten.

Everything goes into a hidden temporary folder beside the destination, which is renamed
into place only when complete. A failed run leaves nothing in the destination.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import re
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from titlesim import __version__
from titlesim.errors import InputError, Problem

SAFE_NAME = re.compile(r"^[\w\u4e00-\u9fff][\w.\-\u4e00-\u9fff]*$")


def safe_component(name: str, what: str = "scenario name") -> str:
    """A single path component that cannot escape its parent folder."""
    if not SAFE_NAME.match(name or "") or name in (".", ".."):
        raise InputError(Problem(f"{what} {name!r} cannot be used as a folder name",
                                 expected="letters, digits, '_', '-', '.', not starting with '.'"))
    return name


def timestamp() -> str:
    return _dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def new_run_dir(parent: Path, short_hash: str) -> Path:
    """A destination name under ``parent`` that does not exist yet."""
    base = f"{timestamp()}-{short_hash[:8]}"
    candidate = parent / base
    n = 1
    while candidate.exists():
        n += 1
        candidate = parent / f"{base}-{n}"
    return candidate


@contextmanager
def atomic_dir(destination: Path):
    """Yield a temporary folder; on success rename it to ``destination``.

    Refuses to overwrite an existing destination. On any error the temporary folder is
    removed and the destination is untouched.
    """
    destination = Path(destination)
    if destination.exists():
        raise InputError(Problem("already exists; runs are never overwritten",
                                 file=str(destination), expected="a new folder"))
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{destination.name}.", suffix=".tmp",
                                dir=destination.parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; a run folder is not
        yield tmp
        os.rename(tmp, destination)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def git_commit(cwd: Path | None = None) -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=cwd or Path(__file__).parent,
                             capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                           cwd=cwd or Path(__file__).parent, capture_output=True, text=True)
    return out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def package_versions(names=("numpy", "pandas", "scipy", "matplotlib", "pydantic", "pyyaml")) -> dict:
    from importlib import metadata
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def base_provenance() -> dict:
    return {
        "titlesim_version": __version__,
        "git_commit": git_commit(),
        "versions": package_versions(),
        "platform": platform.platform(),
    }


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n",
                    encoding="utf-8")
