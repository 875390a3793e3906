"""``run_plan``: search the levers for the setting that meets the targets, and write the
plan folder.

>>> from titlesim import load_scenario
>>> from titlesim.plan import parse_lever, parse_target, run_plan, scenario_years
>>> s = load_scenario("scenarios/baseline-2022.yaml", ["population.size=2000", "horizon.years=3"])
>>> p = run_plan(s, [parse_lever("passline.ratio=0.3:0.9:0.05", s)],
...              [parse_target("titled_grassroots >= 300", scenario_years(s))],
...              replicates=2, out="/tmp/plan")                        # doctest: +SKIP
>>> p.setting                                                          # doctest: +SKIP
{'passline.ratio': 0.55}
"""
from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from titlesim.plan.answer import Answer, Objective, answer, assess
from titlesim.plan.evaluate import evaluator
from titlesim.plan.search import first_round, search
from titlesim.runfolder import new_run_dir, safe_component
from titlesim.sweep.execute import Where
from titlesim.sweep.store import write_folder


@dataclass
class Plan:
    """A finished search: the question, every candidate and the answer."""

    scenario: object  # LoadedScenario, --set applied
    levers: list
    targets: list
    objective: Objective
    confidence: float | None
    seed: int
    replicates: int
    candidates: pd.DataFrame = field(repr=False)
    answer: Answer
    rounds: int
    evaluated: list = field(repr=False, default_factory=list)
    computed: int = 0  # candidates simulated by this run (the others were kept from before)
    folder: Path | None = None
    where: Where = Where()

    @property
    def feasible(self) -> bool:
        return self.answer.feasible

    def setting_of(self, candidate: int) -> dict:
        """A candidate's values, read from the levers (the table holds an option "not
        set", None, as NaN)."""
        if self.evaluated:
            positions = self.evaluated[candidate].candidate
            return {lever.path: lever.value(i) for lever, i in zip(self.levers, positions)}
        row = self.candidates.loc[candidate]
        return {lever.path: _plain(row[lever.path]) for lever in self.levers}

    @property
    def setting(self) -> dict:
        """The chosen values (the closest ones when no candidate meets the targets)."""
        return self.setting_of(self.answer.best)

    @property
    def best_row(self) -> pd.Series:
        return self.candidates.loc[self.answer.best]


def run_plan(scenario, levers, targets, objective: Objective = Objective(),
             confidence: float | None = None, seed: int | None = None,
             replicates: int | None = None, out=None, resume: bool = False,
             where: Where = Where(), progress: bool = False, on_progress=None,
             command: str | None = None, lang: str | None = None) -> Plan:
    """Search ``levers`` of ``scenario`` (a LoadedScenario) for the setting that meets
    every target and minimises ``objective``, each candidate run with the same ``seed``
    and ``replicates``; write the plan folder ``out`` (default a new
    ``reports/plans/<scenario>/<time>-<hash>``). ``resume`` continues an earlier ``out``.
    ``on_progress(round, finished, of)`` is called as candidates finish."""
    from titlesim.runs import now
    started = now()
    seed = scenario.params.seed if seed is None else seed
    replicates = scenario.params.replicates if replicates is None else replicates

    def new_folder():
        return new_run_dir(Path("reports") / "plans" / safe_component(scenario.name),
                           _question_hash(scenario, levers, targets, objective, confidence,
                                          seed, replicates))

    return write_folder(out, resume, new_folder, lambda store: _search_and_write(
        scenario, levers, targets, objective, confidence, seed, replicates, store, where,
        progress, on_progress, command, started, lang), kind="plan")


def _search_and_write(scenario, levers, targets, objective, confidence, seed, replicates, store,
                      where, progress, on_progress, command, started, lang) -> Plan:
    from titlesim.plan.output import write_plan
    bar = _Bar(progress, on_progress)
    first = len(first_round(levers)[0])
    with evaluator(scenario, levers, seed, replicates, store, where, first, bar.update) as ev:
        def best_so_far():
            frame = assess(list(ev.evaluated.values()), levers, targets, objective, confidence)
            return list(ev.evaluated)[int(frame.sort_values("rank")["candidate"].iloc[0])]
        try:
            rounds = search(levers, ev.run, best_so_far)
        finally:
            bar.close()
    evaluated = list(ev.evaluated.values())
    frame = assess(evaluated, levers, targets, objective, confidence)
    plan = Plan(scenario, list(levers), list(targets), objective, confidence, seed, replicates,
                frame, answer(frame, evaluated, targets, objective), rounds, evaluated,
                computed=len(ev.computed), folder=store.folder, where=where)
    write_plan(plan, store, command=command, started=started, lang=lang)
    return plan


def _question_hash(scenario, levers, targets, objective, confidence, seed, replicates) -> str:
    question = json.dumps([scenario.sha256(), [lever.text() for lever in levers],
                           [t.text() for t in targets], objective.column, confidence, seed,
                           replicates])
    return hashlib.sha256(question.encode()).hexdigest()


def _plain(value):
    """numpy scalars of the table back to Python numbers (for YAML and JSON)."""
    return value.item() if hasattr(value, "item") else value


class _Bar:
    """Progress: a bar on stderr per round, and/or a callback (the notebook's)."""

    def __init__(self, progress: bool, callback):
        self.progress, self.callback, self.bar, self.round = progress, callback, None, None

    def update(self, round_: int, finished: int, total: int) -> None:
        if self.callback:
            self.callback(round_, finished, total)
        if not self.progress:
            return
        if round_ != self.round:
            self.close()
            from tqdm import tqdm
            from titlesim.i18n import msg
            self.bar = tqdm(total=total, unit="", desc=msg("plan_progress_round", n=round_ + 1),
                            file=sys.stderr, dynamic_ncols=True)
            self.round = round_
        self.bar.n = finished
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
