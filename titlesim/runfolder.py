"""Run folders: written atomically, never overwritten.

Everything goes into a hidden temporary folder beside the destination, which is renamed
into place only when complete. A failed run leaves nothing in the destination.
"""
from __future__ import annotations

import datetime as _dt
import errno
import glob
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
from titlesim.i18n import foreign, msg

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


class Staged:
    """A folder being written: ``tmp`` while writing; ``path`` once it is in place."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.path: Path | None = None


@contextmanager
def run_folder(parent: Path, short_hash: str, option: str = "--out"):
    """A new ``<timestamp>-<short hash>`` folder under ``parent``, written atomically.

    Yields a :class:`Staged`: write into ``staged.tmp``; when the block ends without an
    error the folder is renamed into place and ``staged.path`` names it. Two identical
    commands started together both land (the second gets ``-2``); nothing is ever
    overwritten; on any error, Ctrl-C or SIGTERM the temporary folder is removed.

    >>> with run_folder(tmp_parent, "abc123") as out:  # doctest: +SKIP
    ...     (out.tmp / "metrics.csv").write_text("...")
    >>> out.path  # doctest: +SKIP
    PosixPath('reports/runs/baseline/20261201-221300-abc123')
    """
    parent = prepare_parent(parent, option)
    staged = Staged(make_temp_dir(parent, f"{timestamp()}-{short_hash[:8]}"))
    try:
        yield staged
        staged.path = land(staged.tmp, new_run_dir(parent, short_hash))
    except BaseException:
        shutil.rmtree(staged.tmp, ignore_errors=True)
        raise


@contextmanager
def atomic_dir(destination: Path):
    """Yield a temporary folder; on success rename it to ``destination`` (a fixed name).

    Refuses to overwrite an existing destination. On any error the temporary folder is
    removed and the destination is untouched. (A new run folder: :func:`run_folder`.)
    """
    destination = Path(destination)
    if destination.exists() or destination.is_symlink():
        raise InputError(Problem("already exists; runs are never overwritten",
                                 file=str(destination), expected="a new folder"))
    prepare_parent(destination.parent, "--out")
    tmp = make_temp_dir(destination.parent, destination.name)
    try:
        yield tmp
        try:
            os.rename(tmp, destination)
        except OSError as exc:
            if exc.errno in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR):
                raise InputError(Problem("already exists; runs are never overwritten",
                                         file=str(destination), expected="a new folder")) from None
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"^\..+\.pid(\d+)\.[^.]+\.tmp(\.\w+)?$")


def _temp_prefix(name: str) -> str:
    """Temporary names carry the writing process's id, so that ``titlesim runs --clean``
    removes only what a killed process left, never what a running one is writing."""
    return f".{name}.pid{os.getpid()}."


def leftovers(root: Path) -> list[Path]:
    """Temporary folders and files under ``root`` whose process is gone (killed by
    SIGKILL or a power cut): never runs, safe to remove."""
    found = []
    for path in sorted(Path(root).rglob(".*" + TEMP_SUFFIX + "*")):
        match = _TEMP_NAME.match(path.name)
        if match and not _alive(int(match.group(1))) and \
                not any(path.is_relative_to(p) for p in found):
            found.append(path)
    return found


def interrupted(parent: Path, name: str) -> list[Path]:
    """The temporary folders of ``name`` (:func:`make_temp_dir`) in ``parent`` whose
    process is gone: what an interrupted writer of that folder left, oldest name first."""
    if not Path(parent).is_dir():
        return []
    found = []
    for path in sorted(Path(parent).glob(glob.escape(f".{name}.pid") + "*" + TEMP_SUFFIX)):
        match = _TEMP_NAME.match(path.name)
        if match and path.name.startswith(f".{name}.pid{match.group(1)}.") and path.is_dir() \
                and not path.is_symlink() and not _alive(int(match.group(1))):
            found.append(path)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_leftovers(root: Path) -> list[Path]:
    removed = []
    for path in leftovers(root):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def make_temp_dir(parent: Path, name: str) -> Path:
    """A hidden temporary folder ``.<name>.<random>.tmp`` beside where it will land,
    with the permissions the user's umask gives a new folder (mkdtemp's are private)."""
    try:
        tmp = Path(tempfile.mkdtemp(prefix=_temp_prefix(name), suffix=TEMP_SUFFIX, dir=parent))
    except OSError as exc:  # read-only file system, no permission (os.access spares root)
        raise InputError(Problem(msg("out_cannot_make", reason=foreign(exc.strerror or "?")),
                                 file=str(parent), key="--out")) from None
    os.chmod(tmp, 0o777 & ~current_umask())
    return tmp


def land(tmp: Path, destination: Path) -> Path:
    """Rename ``tmp`` to ``destination``, or to ``-2``, ``-3`` ... when another process
    took the name meanwhile (rename(2) refuses a non-empty folder, so nothing is lost)."""
    base, n = destination.name, 1
    while True:
        try:
            if not destination.exists() and not destination.is_symlink():
                os.rename(tmp, destination)
                return destination
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR):
                raise
        n += 1
        destination = destination.parent / f"{base}-{n}"


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, write) -> Path:
    """Write one file through a unique temporary file beside it (``write(temp_path)``),
    renamed into place when complete, with the permissions the user's umask gives a new
    file. Replaces ``path`` if it exists (an index, a sweep table); on any error or
    interruption the temporary file is removed and ``path`` is untouched."""
    path = Path(path)
    # the temporary name keeps the file's suffix, so a writer may check it as what it is
    # (a plan loads its revision .yaml before it lands)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path.name), suffix=TEMP_SUFFIX + path.suffix,
                               dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp makes it private
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: Path, text: str) -> Path:
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def prepare_parent(parent: Path, option: str = "--out") -> Path:
    """The folder new folders go under, made if needed. A file, a symlink, a place
    that cannot be written or a folder that cannot be made is refused (exit 2) naming the
    path, and nothing is left behind."""
    parent = Path(parent)
    if parent.is_symlink():
        raise InputError(Problem(msg("out_is_symlink"), file=str(parent), key=option))
    if parent.exists() and not parent.is_dir():
        raise InputError(Problem(msg("out_is_file"), file=str(parent), key=option))
    if not parent.exists():
        made = _missing_ancestors(parent)
        try:
            parent.mkdir(parents=True)
        except FileExistsError:  # another process made it meanwhile
            pass
        except OSError as exc:
            for folder in made:
                try:
                    folder.rmdir()
                except OSError:
                    pass
            raise InputError(Problem(msg("out_cannot_make", reason=foreign(exc.strerror or "?")),
                                     file=str(parent), key=option)) from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(Problem(msg("out_not_writable"), file=str(parent), key=option))
    return parent


def check_parent(parent: Path, option: str = "--out") -> None:
    """Before any work: would :func:`prepare_parent` refuse ``parent``? Makes nothing."""
    parent = Path(parent)
    if parent.is_symlink():
        raise InputError(Problem(msg("out_is_symlink"), file=str(parent), key=option))
    if parent.exists() and not parent.is_dir():
        raise InputError(Problem(msg("out_is_file"), file=str(parent), key=option))
    existing = parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(Problem(msg("out_cannot_make", reason=msg("out_is_file")),
                                 file=str(parent), key=option))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(Problem(msg("out_not_writable"), file=str(parent), key=option))


def _missing_ancestors(path: Path) -> list[Path]:
    """The folders ``mkdir(parents=True)`` would make, deepest first."""
    made = []
    while not path.exists() and path != path.parent:
        made.append(path)
        path = path.parent
    return made


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
    """A JSON file (provenance): inside a temporary run folder, so written directly."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n",
                    encoding="utf-8")
