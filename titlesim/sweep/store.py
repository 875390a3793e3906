"""The sweep folder: finished points kept one file each, so an interrupted sweep resumes.

Layout::

    OUT/points/<key>.parquet     one per finished point, written atomically (temp + rename)
    OUT/sweep.parquet, .csv      the tidy table: point, parameters, replicate, year, outcomes
    OUT/totals.parquet, .csv     the same over the whole horizon, one row per point and replicate
    OUT/points.csv               point, its parameter values and its key
    OUT/provenance.json, scenario.resolved.yaml (and grid.yaml, charts/)

A sweep folder is the one output folder titlesim deliberately reuses: only when the user
asks with ``--resume``. A point's key changes with anything that could change its result,
so a kept point is reused only where it is still right. The tables are (re)written, each
atomically, once every point is done: they exist only for a complete sweep.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from titlesim.errors import InputError, Problem
from titlesim.i18n import msg
from titlesim.runfolder import atomic_write, prepare_parent

POINTS = "points"
SUFFIX = ".parquet"


class Store:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.points = self.folder / POINTS

    @classmethod
    def check(cls, folder: Path, resume: bool) -> "Store":
        """A new sweep folder, or (``resume``) the one an earlier run left; nothing is
        made until :meth:`create`."""
        folder = Path(folder)
        if folder.exists() and not resume:
            raise InputError(Problem("already exists; a sweep folder is reused only on request",
                                     file=str(folder), hint="add --resume to finish or extend "
                                     "the sweep in it, or choose a new --out"))
        if folder.exists() and not (folder / POINTS).is_dir() and any(folder.iterdir()):
            raise InputError(Problem("is not a sweep folder (it has no points/ folder), so "
                                     "it cannot be resumed", file=str(folder),
                                     expected="the --out of an earlier sweep, or a new folder"))
        return cls(folder)

    def create(self) -> None:
        prepare_parent(self.points)  # a file, a symlink or an unwritable place: exit 2

    def done(self) -> set[str]:
        """Keys of the finished points (a half-written temp file is not one). A point file
        that cannot be read (truncated by a full disk, damaged) is removed, with a note, so
        that the point is computed again."""
        if not self.points.is_dir():
            return set()
        keys = set()
        for path in self.points.glob("*" + SUFFIX):
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
