"""One point of a sweep: the scenario with the point's values set, simulated with the
sweep's seed and replicates (common random numbers: every point shares its luck), reduced
to the outcome table of :mod:`titlesim.compare.outcomes` per replicate and year.

:func:`compute_point` is what a worker runs. It takes the base scenario as plain data,
not a file path, so a worker on another machine needs only the titlesim package.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from titlesim import __version__
from titlesim.compare.outcomes import OUTCOMES, values
from titlesim.errors import InputError, Problem
from titlesim.sweep.grid import override

FORMAT = 1  # of a point's table; a change makes earlier point files stale, never reused


@dataclass(frozen=True)
class Point:
    """A point to compute: ``key`` names its file and changes with anything that could
    change its result (the resolved scenario, seed, replicates, titlesim's code, the
    outcome definitions)."""

    index: int
    values: dict
    key: str

    @property
    def overrides(self) -> list[str]:
        return [override(path, value) for path, value in self.values.items()]


@dataclass(frozen=True)
class PointTask:
    """Everything a worker needs, as plain data."""

    key: str
    scenario: dict  # the base scenario, resolved
    name: str
    overrides: tuple[str, ...]
    seed: int
    replicates: int
    version: str = __version__  # the client's; a worker with another version refuses the task


class OtherVersion(RuntimeError):
    """A worker runs another titlesim version than the client's."""


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of titlesim's source, part of a point's key: a kept point is reused only by
    the same code. (Workers check the version only: a checkout being edited while a sweep
    starts would otherwise fail it.)"""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def make_points(scenario, values: list[dict], seed: int, replicates: int,
                source: str = "--set") -> list[Point]:
    """Points in order, each keyed by the hash of its resolved scenario, seed and replicates.
    Setting the values here also checks combinations (e.g. a standard above full marks);
    a refused one is reported with ``source`` (the grid file) and the point."""
    points = []
    for index, chosen in enumerate(values):
        try:
            point_scenario = scenario.with_overrides([override(p, v) for p, v in chosen.items()])
        except InputError as exc:
            shown = ", ".join(f"{p}={v}" for p, v in chosen.items())
            raise InputError([Problem(f"point {index} ({shown}): {p.message}", file=source,
                                      key=p.key, expected=p.expected, hint=p.hint)
                              for p in exc.problems]) from None
        identity = json.dumps({"scenario": point_scenario.sha256(), "seed": seed,
                               "replicates": replicates, "version": __version__,
                               "code": code_fingerprint(),
                               "format": FORMAT, "outcomes": repr(list(OUTCOMES.values()))})
        points.append(Point(index, chosen, hashlib.sha256(identity.encode()).hexdigest()[:20]))
    return points


def task_for(point: Point, scenario, seed: int, replicates: int) -> PointTask:
    return PointTask(point.key, scenario.resolved, scenario.name, tuple(point.overrides),
                     seed, replicates)


def compute_point(task: PointTask) -> pd.DataFrame:
    """Simulate one point; its outcomes per replicate and year (year <NA>: the horizon)."""
    from titlesim import simulate
    from titlesim.scenario.loader import scenario_from_dict
    if task.version != __version__:
        raise OtherVersion(f"this worker has titlesim {__version__}, the client {task.version}")
    scenario = scenario_from_dict(task.scenario, task.name).with_overrides(list(task.overrides))
    result = simulate(scenario, replicates=task.replicates, seed=task.seed, progress=False)
    return outcome_frame(result)


def outcome_frame(result) -> pd.DataFrame:
    """Every outcome of :data:`OUTCOMES` per replicate and per year, then over the horizon
    (``year`` missing) as the outcome defines it: counts summed, stocks at the end, rates
    as the ratio of the summed parts. Counts are whole numbers, rates floats."""
    periods = len(result.years) + 1
    year = np.append(result.years, 0)
    frame = pd.DataFrame({
        "replicate": np.repeat(np.arange(result.replicates, dtype=np.int64), periods),
        "year": pd.array(np.tile(year, result.replicates), dtype="Int64"),
    })
    frame.loc[frame.index % periods == periods - 1, "year"] = pd.NA
    for name, outcome in OUTCOMES.items():
        column = values(result, outcome)[0][:, :, 0].ravel()
        frame[name] = np.rint(column).astype(np.int64) if is_count(outcome) else column
    return frame


def is_count(outcome) -> bool:
    return not outcome.is_rate and outcome.scale == 1.0
