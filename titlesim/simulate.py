"""The public entry point: ``simulate(scenario) -> Result``."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from titlesim import sizes
from titlesim.engine import run_replicate
from titlesim.history import rules_before_start
from titlesim.metrics import METRICS, Cells, long_form
from titlesim.scenario import LoadedScenario
from titlesim.setup import Setup, prepare

LINE_NUMBERS = ("applied", "sat", "k", "line_score", "passed_ratio_only", "passed_provincial")


@dataclass
class Result:
    """What a simulation produced.

    ``counts`` is the dense array (replicate, year, metric, cell) behind ``metrics``;
    ``cells`` describes the cells. ``metrics`` and ``lines`` are the tables of docs/model.md.
    """

    scenario: LoadedScenario
    seed: int
    replicates: int
    years: np.ndarray
    counts: np.ndarray
    cells: Cells = field(repr=False)
    line_rows: list = field(repr=False)
    start: np.ndarray | None = field(default=None, repr=False)  # headcount per cell at horizon.start

    @cached_property
    def metrics(self) -> pd.DataFrame:
        return long_form(self.counts, self.cells, self.years, np.arange(self.replicates))

    @cached_property
    def lines(self) -> pd.DataFrame:
        by = [c for c in ("series", "level", "specialty", "county")
              if c in self.scenario.params.passline.group_by]
        columns = ["replicate", "year", *by, *LINE_NUMBERS]
        frame = pd.DataFrame(self.line_rows, columns=columns)
        return frame.sort_values(["replicate", "year", *by], kind="stable").reset_index(drop=True)

    def total(self, metric: str, by: tuple[str, ...] = ()) -> pd.DataFrame:
        """Sum of one metric per replicate and year (and optional group columns)."""
        m = METRICS.index(metric)
        values = self.counts[:, :, m, :]  # (rep, year, cell)
        if not by:
            return pd.DataFrame({
                "replicate": np.repeat(np.arange(self.replicates), len(self.years)),
                "year": np.tile(self.years, self.replicates),
                "value": values.sum(axis=2).ravel()})
        frame = self.metrics[self.metrics["metric"] == metric]
        return frame.groupby(["replicate", "year", *by], observed=True)["value"].sum().reset_index()


def simulate(scenario: LoadedScenario, replicates: int | None = None, seed: int | None = None,
             progress: bool | None = None, setup: Setup | None = None) -> Result:
    """Run a scenario: every replicate, every year.

    >>> from titlesim import load_scenario, simulate
    >>> s = load_scenario("scenarios/baseline-2022.yaml", ["population.size=2000", "horizon.years=2"])
    >>> r = simulate(s, replicates=2)
    >>> sorted(r.metrics["year"].unique().tolist())
    [2022, 2023]
    """
    params = scenario.params
    replicates = params.replicates if replicates is None else replicates
    seed = params.seed if seed is None else seed
    if setup is not None and (setup.params != params or setup.seed != seed):
        raise ValueError("the prepared setup was made for other parameters or another seed; "
                         "prepare(scenario.params, seed) for this scenario")
    setup = setup or prepare(params, seed, rules_before_start(scenario))
    bar = _progress(progress, replicates * params.horizon.years)
    counts = np.zeros((replicates, len(setup.years), len(METRICS), setup.cells.n), dtype=np.int32)
    lines = []
    with sizes.running(len(setup.people) * len(setup.years) * replicates):
        for r in range(replicates):
            _, rows = run_replicate(setup, r, on_year=bar.update if bar else None, out=counts[r])
            lines.extend(rows)
    if bar:
        bar.close()
    return Result(scenario, seed, replicates, setup.years, counts, setup.cells, lines,
                  start=setup.start_headcount())


def _progress(progress: bool | None, total: int):
    from titlesim import progress as shown
    if not shown.enabled(progress):
        return None
    return shown.bar("progress_simulating", total, unit="progress_unit_year", progress=True)
