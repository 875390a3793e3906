"""The sweep folder: finished points kept one file each, so an interrupted sweep resumes.

Layout::

    OUT/points/<key>.parquet     one per finished point, written atomically (temp + rename)
    OUT/sweep.parquet, .csv      the tidy table: point, parameters, replicate, year, outcomes
    OUT/totals.parquet, .csv     the same over the whole horizon, one row per point and replicate
    OUT/points.csv               point, its parameter values and its key
    OUT/provenance.json, scenario.resolved.yaml (and grid.yaml, charts/)

A new sweep folder is written atomically, as a run folder is: everything goes into a
hidden temporary folder beside it (:mod:`titlesim.runfolder`), renamed into place only
once the command's last file is written (:meth:`Store.writing`); a sweep that fails
leaves nothing. Interrupted (Ctrl-C, SIGTERM, a killed process) with an ``--out`` named,
the temporary folder keeps its finished points, and ``--resume`` with the same ``--out``
takes them over; a new run of the same ``--out`` without ``--resume`` removes them once it
lands (as ``titlesim runs --clean`` does).

An existing sweep folder is the one output folder titlesim deliberately reuses: only when
the user asks with ``--resume``. A point's key changes with anything that could change its
result, so a kept point is reused only where it is still right. The tables are
(re)written, each atomically, once every point is done: they exist only for a complete
sweep.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from titlesim.errors import InputError, Problem
from titlesim.i18n import msg
from titlesim.runfolder import atomic_write, interrupted, land, make_temp_dir, prepare_parent

POINTS = "points"
SUFFIX = ".parquet"


# what the folder holds, as its problems name it: a sweep's, or a plan's (titlesim plan);
# the Chinese of each sentence is in data/messages/leftovers.csv (problem:sweep_*, plan_*)
RESUME_DOES = {"sweep": "finish or extend", "plan": "finish"}  # what --resume does to it


def _already_exists(folder: Path, kind: str) -> Problem:
    return Problem(f"already exists; a {kind} folder is reused only on request",
                   file=str(folder),
                   hint=f"add --resume to {RESUME_DOES[kind]} the {kind} in it, or choose a new --out")


def _not_resumable(folder: Path, kind: str) -> Problem:
    return Problem(f"is not a {kind} folder (it has no points/ folder), so it cannot be resumed",
                   file=str(folder), expected=f"the --out of an earlier {kind}, or a new folder")


class Store:
    def __init__(self, folder: Path, exact: bool = True, resume: bool = False,
                 kind: str = "sweep", left: list[Path] = ()):
        self.destination = Path(folder)  # where the folder is (or lands)
        self.kind = kind  # a sweep's or a plan's folder, as problems name it
        self.exact = exact  # the user named it: never another name
        self.resume = resume
        self.staging = not self.destination.exists()  # a new folder, written atomically
        self.left = list(left)  # what interrupted runs of a new folder left (:meth:`check`)
        self._at(self.destination)

    def _at(self, folder: Path) -> None:
        self.folder = folder
        self.points = folder / POINTS

    @classmethod
    def check(cls, folder: Path, resume: bool, exact: bool = True,
              kind: str = "sweep") -> "Store":
        """A new sweep folder, or (``resume``) the one an earlier run left; nothing is
        made until :meth:`create`. ``exact``: the user named the folder (else a new
        ``<time>-<hash>`` name, which becomes ``-2`` if another run took it meanwhile).
        ``kind``: what the folder is called in problems (``"sweep"`` or ``"plan"``). The
        parent folder is searched here, once, for what interrupted runs of a new folder
        left (:func:`~titlesim.runfolder.interrupted`): taken over with ``resume``, else
        removed once the new folder lands."""
        folder = Path(folder)
        if folder.exists() and not resume:
            raise InputError(_already_exists(folder, kind))
        if folder.exists() and not (folder / POINTS).is_dir() and any(folder.iterdir()):
            raise InputError(_not_resumable(folder, kind))
        left = [] if folder.exists() else interrupted(folder.parent, folder.name)
        return cls(folder, exact, resume, kind, left)

    def create(self) -> None:
        """Make the folder points are saved in: a new sweep's temporary folder (with the
        points an interrupted sweep of the same ``--out`` left, when resuming), or the
        existing folder's ``points/``."""
        if not self.staging:
            prepare_parent(self.points)  # a file, a symlink or an unwritable place: exit 2
            return
        parent = prepare_parent(self.destination.parent)
        if self.left and not self.resume:  # superseded by this run
            print(msg("cli.note", note=msg("sweep_fresh_over_interrupted", out=str(self.destination))),
                  file=sys.stderr)
        self._at(make_temp_dir(parent, self.destination.name))
        self.points.mkdir()
        self._take_over_interrupted()

    def _resumed(self) -> list[Path]:
        """Temporary folders of this new folder that interrupted sweeps left (their
        process is gone), oldest name first, when resuming them."""
        return self.left if self.resume else []

    def _take_over_interrupted(self) -> None:
        """Move the finished points of interrupted sweeps of this folder into this one,
        and remove their temporary folders."""
        for left in self._resumed():
            for point in (left / POINTS).glob("*" + SUFFIX):
                if not point.name.startswith(".") and not (self.points / point.name).exists():
                    os.replace(point, self.points / point.name)
            shutil.rmtree(left, ignore_errors=True)

    @contextmanager
    def writing(self):
        """The block that writes the folder. A new folder lands (is renamed into place)
        when the block ends without an error; on an error it is removed, on an
        interruption it is kept hidden for ``--resume`` when the user named it and some
        points are finished (the command then says so after its one line). A new folder
        that lands removes what interrupted runs of the same folder left (:meth:`create`
        said it would)."""
        from titlesim.interrupt import Terminated, note_on_stop
        try:
            yield self
        except BaseException as exc:
            if self.staging and self.folder != self.destination:
                stopped = isinstance(exc, (KeyboardInterrupt, Terminated))
                if stopped and self.exact and any(self.points.glob("[!.]*" + SUFFIX)):
                    note_on_stop(msg("cli.note", note=msg("sweep_resume_hint", out=str(self.destination))))
                else:  # a failure, or nothing finished to go on from
                    shutil.rmtree(self.folder, ignore_errors=True)
            raise
        if self.staging and self.folder != self.destination:
            self._at(self._land())
            for left in self.left:  # superseded by this run (create said so), or taken over
                shutil.rmtree(left, ignore_errors=True)

    def _land(self) -> Path:
        if not self.exact:
            return land(self.folder, self.destination)
        try:
            os.rename(self.folder, self.destination)
        except OSError as exc:
            shutil.rmtree(self.folder, ignore_errors=True)
            if self.destination.exists():  # another run landed there meanwhile
                raise InputError(_already_exists(self.destination, self.kind)) from None
            raise exc
        return self.destination

    def done(self) -> set[str]:
        """Keys of the finished points (a half-written temp file is not one). A point file
        that cannot be read (truncated by a full disk, damaged) is removed, with a note, so
        that the point is computed again."""
        folders = [self.points]
        if self.staging and self.folder == self.destination:  # not made yet
            folders = [left / POINTS for left in self._resumed()]
        keys = set()
        for path in (p for folder in folders if folder.is_dir() for p in folder.glob("*" + SUFFIX)):
            if path.name.startswith("."):
                continue
            if _readable(path):
                keys.add(path.name[: -len(SUFFIX)])
            else:
                print(f"titlesim: {msg('sweep_point_unreadable', file=str(path))}", file=sys.stderr)
                path.unlink(missing_ok=True)
        return keys

    def save(self, key: str, frame: pd.DataFrame) -> None:
        write_atomic(self.points / f"{key}{SUFFIX}", lambda tmp: frame.to_parquet(tmp, index=False))

    def load(self, key: str) -> pd.DataFrame:
        return pd.read_parquet(self.points / f"{key}{SUFFIX}")

    def write_table(self, frame: pd.DataFrame, stem: str) -> None:
        """``stem``.parquet and ``stem``.csv, each replaced atomically."""
        from titlesim.runs import write_csv
        write_atomic(self.folder / f"{stem}.parquet", lambda tmp: frame.to_parquet(tmp, index=False))
        write_atomic(self.folder / f"{stem}.csv", lambda tmp: write_csv(frame, tmp))

    def write_file(self, name: str, write) -> None:
        """Another file of the folder, replaced atomically: ``write(temp_path)``."""
        write_atomic(self.folder / name, write)


def write_folder(out, resume: bool, new_folder, write, kind: str = "sweep"):
    """Write a sweep's or a plan's folder: ``out`` (named by the user), else
    ``new_folder()`` (a new ``<time>-<hash>`` name); ``write(store)`` writes it, within
    :meth:`Store.writing` (a new folder lands only once written; a failure leaves none).
    Returns what ``write`` returned, its ``folder`` set to where the folder landed."""
    named = out is not None
    store = Store.check(Path(out) if named else new_folder(), resume, exact=named, kind=kind)
    with store.writing():
        result = write(store)
    result.folder = store.folder  # where it landed
    return result


write_atomic = atomic_write  # the one atomic-write helper, under the name sweeps use


def _readable(path: Path) -> bool:
    import pyarrow.parquet as pq
    try:
        pq.read_metadata(path)
    except Exception:  # pyarrow raises several kinds for a damaged file
        return False
    return True


# ------------------------------------------------------------------------------ tables
def points_table(points, paths: list[str]) -> pd.DataFrame:
    """One row per point: its id, its parameter values (a typed column each), its file key."""
    frame = pd.DataFrame({"point": np.array([p.index for p in points], dtype=np.int64)})
    for path in paths:
        frame[path] = parameter_column([p.values[path] for p in points])
    frame["point_key"] = [p.key for p in points]
    return frame


def parameter_column(values: list):
    """Numbers stay numbers (whole numbers as integers), true/false stay booleans;
    anything else is shown as text (lists and null as YAML would write them)."""
    numbers = [v for v in values if v is not None]
    if numbers and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers):
        if len(numbers) == len(values) and all(isinstance(v, int) for v in values):
            return np.array(values, dtype=np.int64)
        return np.array([np.nan if v is None else float(v) for v in values])
    if all(isinstance(v, bool) for v in values):
        return np.array(values, dtype=bool)
    return [v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in values]


def assemble(store: Store, points, paths: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tidy tables (per year, and over the horizon) from the point files, in point,
    replicate, year order: the same whatever ran them and in whatever order they finished."""
    table = points_table(points, paths).drop(columns="point_key")
    frames = []
    for p in points:
        frame = store.load(p.key)
        frame.insert(0, "point", np.int64(p.index))
        frames.append(frame)
    rows = pd.concat(frames, ignore_index=True).merge(table, on="point", how="left")
    outcomes = [c for c in rows.columns if c not in ("point", "replicate", "year", *paths)]
    horizon = rows["year"].isna().to_numpy()
    per_year = rows[~horizon].astype({"year": np.int64})
    per_year = per_year[["point", *paths, "replicate", "year", *outcomes]]
    totals = rows[horizon][["point", *paths, "replicate", *outcomes]]
    return (per_year.sort_values(["point", "replicate", "year"]).reset_index(drop=True),
            totals.sort_values(["point", "replicate"]).reset_index(drop=True))
