"""``run_sweep``: run a scenario at many points and write the sweep folder.

>>> from titlesim import load_scenario
>>> from titlesim.sweep import load_grid, run_sweep
>>> s = load_scenario("scenarios/baseline-2022.yaml", ["population.size=2000", "horizon.years=2"])
>>> g = load_grid("scenarios/grids/ratio-by-validity.yaml", s)
>>> sw = run_sweep(s, g.points(s.params.seed), g.paths, replicates=2, out="/tmp/sw")  # doctest: +SKIP
>>> sw.totals.groupby("passline.ratio")["passed_ratio_only"].mean()                   # doctest: +SKIP
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from titlesim.runfolder import (base_provenance, new_run_dir, package_versions, safe_component,
                                write_json)
from titlesim.sweep.execute import Where, run_points
from titlesim.sweep.points import Point, code_fingerprint, make_points, task_for
from titlesim.sweep.store import assemble, points_table, write_folder


@dataclass
class Sweep:
    """A finished sweep: its folder, points and tables (see :mod:`titlesim.sweep.store`)."""

    folder: Path
    paths: list[str]
    points: list[Point]
    table: pd.DataFrame = field(repr=False)  # per point, replicate and year
    totals: pd.DataFrame = field(repr=False)  # per point and replicate, over the horizon
    computed: list[int] = field(default_factory=list)  # point ids computed by this run
    reused: list[int] = field(default_factory=list)  # point ids found finished
    finished: object = None  # what the command's finish(sweep) returned (a sensitivity's indices)


FOLDERS = {"sweep": "sweeps", "sensitivity": "sensitivity"}  # reports/<folder>/<scenario>/


def run_sweep(scenario, values: list[dict], paths: list[str], *, seed: int | None = None,
              replicates: int | None = None, out=None, resume: bool = False,
              where: Where = Where(), progress: bool = False, kind: str = "sweep",
              provenance: dict | None = None, command: str | None = None,
              source: str = "--set", finish=None) -> Sweep:
    """Simulate ``scenario`` at every point of ``values`` (dicts of key path -> value),
    each with the same ``seed`` and ``replicates``, and write the folder ``out`` (default a
    new ``reports/sweeps/<scenario>/<time>-<hash>``, ``reports/sensitivity/...`` for the
    ``kind`` ``"sensitivity"``, which provenance.json records). With ``resume``, an
    existing ``out`` is continued: points already finished there are not computed again.
    ``source`` names where the values came from (the grid file) in messages.
    ``finish(sweep)`` writes the command's own files into ``sweep.folder`` (still the
    temporary folder of a new sweep) before provenance.json, and what it returns is kept as
    ``sweep.finished``: if it fails, a new folder is removed, as on any error."""
    from titlesim.runs import now
    started = now()
    params = scenario.params
    seed = params.seed if seed is None else seed
    replicates = params.replicates if replicates is None else replicates
    points = make_points(scenario, values, seed, replicates, source)  # bad combinations first

    def new_folder():
        short = hashlib.sha256("".join(p.key for p in points).encode()).hexdigest()
        return new_run_dir(Path("reports") / FOLDERS[kind] / safe_component(scenario.name), short)

    return write_folder(out, resume, new_folder, lambda store: _write(
        store, scenario, points, paths, seed, replicates, where, progress, kind, provenance,
        command, started, finish))


def _write(store, scenario, points, paths, seed, replicates, where, progress, kind, provenance,
           command, started, finish) -> Sweep:
    from titlesim.runs import file_sha256, now, titles, write_csv
    params = scenario.params
    done = store.done()
    todo = [task_for(p, scenario, seed, replicates) for p in points if p.key not in done]
    finished = set(run_points(todo, store.save, where, progress, before=store.create))
    table, totals = assemble(store, points, paths)
    store.write_table(table, "sweep")
    store.write_table(totals, "totals")
    store.write_file("points.csv", lambda tmp: write_csv(points_table(points, paths), tmp))
    store.write_file("scenario.resolved.yaml",
                     lambda tmp: tmp.write_text(scenario.resolved_yaml(), encoding="utf-8"))
    sweep = Sweep(store.folder, paths, points, table, totals,
                  computed=[p.index for p in points if p.key in finished],
                  reused=[p.index for p in points if p.key not in finished])
    if finish is not None:
        sweep.finished = finish(sweep)
    record = {
        **base_provenance(),
        "kind": kind,
        "scenario": scenario.name,
        "title": titles(scenario),
        "scenario_files": {str(p): file_sha256(p) for p in scenario.files},
        "scenario_sha256": scenario.sha256(),
        "code_fingerprint": code_fingerprint(),
        "overrides": list(scenario.overrides),
        "seed": seed,
        "replicates": replicates,
        "years": [params.horizon.start, params.horizon.start + params.horizon.years - 1],
        "parameters": paths,
        "points": len(points),
        "computed_points": sweep.computed,
        "reused_points": sweep.reused,
        "ran_on": where.describe(),
        "sweep_versions": package_versions(("dask", "distributed", "SALib", "pyarrow")),
        **(provenance or {}),
        "command": command,
        "started": started,
        "ended": now(),
    }
    store.write_file("provenance.json", lambda tmp: write_json(tmp, record))
    return sweep
