"""A bureau's working folder, and the files titlesim ships to make one.

The shipped scenarios, notebooks (the report template among them) and examples live once,
in the repository's top-level ``scenarios/``, ``notebooks/`` and ``examples/`` (so the
checkout is itself a working folder). Building the wheel copies them into the package, as
``titlesim/shipped/`` (see ``setup.py``), where an installed titlesim finds them through
:mod:`importlib.resources`, outside any checkout. A checkout or an editable install has no
``titlesim/shipped/``: there the top-level folders beside the package are the shipped ones.

:func:`init_folder` makes a working folder: ``scenarios/``, ``notebooks/``, ``examples/``
copied from the package and an empty ``reports/``; every command then runs from it.

>>> (shipped_path("scenarios") / "baseline-2022.yaml").is_file()
True
"""
from __future__ import annotations

import shutil
from functools import lru_cache
from importlib import resources
from pathlib import Path

from titlesim.errors import InputError, Problem
from titlesim.i18n import foreign, msg

PARTS = ("scenarios", "notebooks", "examples")
# The report template is run from the package by `titlesim report`; a copy in the
# working folder would invite edits that change nothing.
NOT_COPIED = {"notebooks/report.ipynb"}
BASELINE = "baseline-2022.yaml"


def shipped_path(*parts: str) -> Path:
    """The path of a shipped file or folder (``shipped_path("scenarios", BASELINE)``);
    ``shipped_path()`` is the folder holding ``scenarios/``, ``notebooks/`` and ``examples/``."""
    return _shipped_root().joinpath(*parts)


@lru_cache(maxsize=1)
def _shipped_root() -> Path:
    # Installed packages are unpacked on disk, so the packaged folder is a real path.
    with resources.as_file(resources.files("titlesim").joinpath("shipped")) as packaged:
        packaged = Path(packaged)
    if (packaged / "scenarios").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[1]  # a checkout, or an editable install of one
    if (checkout / "scenarios" / BASELINE).is_file():
        return checkout
    raise FileNotFoundError(f"titlesim's shipped files are in neither {packaged} nor {checkout}: "
                            "reinstall titlesim")


def report_template() -> Path:
    return shipped_path("notebooks", "report.ipynb")


def default_scenario() -> Path:
    """The working folder's baseline when the current folder is one, else the shipped one."""
    here = Path("scenarios") / BASELINE
    return here if here.is_file() else shipped_path("scenarios", BASELINE)


def _shipped_files():
    """(relative path, source path) of every file a working folder gets, in order."""
    for part in PARTS:
        root = shipped_path(part)
        for source in sorted(root.rglob("*")):
            relative = source.relative_to(root.parent).as_posix()
            if source.is_file() and "__pycache__" not in relative and relative not in NOT_COPIED:
                yield relative, source


def init_folder(folder: Path) -> tuple[list[str], list[str]]:
    """Make (or complete) a working folder; returns (files copied, files kept as they were).
    An existing file is never overwritten, so running it again on a folder in use is safe.
    A file where a folder belongs, or a place that cannot be written, is refused
    (:class:`~titlesim.errors.InputError`) before anything is written."""
    folder = Path(folder)
    files = list(_shipped_files())
    _check_folders(folder, [folder / r for r, _ in files] + [folder / "reports" / "x"])
    copied, kept = [], []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for relative, source in files:
            target = folder / relative
            if target.exists():
                kept.append(relative)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            copied.append(relative)
        (folder / "reports").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(Problem(msg("init_cannot_write", reason=foreign(exc.strerror or str(exc))),
                                 file=exc.filename or str(folder))) from None
    return copied, kept


def _check_folders(folder: Path, targets: list[Path]) -> None:
    """Every folder the targets need, ``folder`` and those above it included, must be a
    folder or not yet exist: a file in its place is a problem, named."""
    needed = {folder, *folder.parents}
    for target in targets:
        needed.update(p for p in target.parents if folder in (p, *p.parents))
    blocking = sorted(p for p in needed if p.exists() and not p.is_dir())
    if blocking:
        raise InputError([Problem(msg("init_file_not_folder"), file=str(p),
                                  hint=msg("init_file_not_folder_hint")) for p in blocking])
