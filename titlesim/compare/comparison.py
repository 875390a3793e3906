"""``compare(base, revisions)``: run every scenario with the same seed and replicates
(common random numbers) and hold what differs and what changes.

>>> from titlesim import load_scenario
>>> small = ["population.size=2000", "horizon.years=2", "replicates=2"]
>>> base = load_scenario("scenarios/baseline-2022.yaml", small)
>>> cmp = compare(base, [base.with_overrides(["passline.ratio=0.6"])])
>>> cmp.diff["key"].tolist()
['passline.ratio']
>>> list(cmp.results)
['baseline-2022', 'baseline-2022-2']
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from titlesim.compare import diff as _diff
from titlesim.compare.equity import equity
from titlesim.compare.impact import impact, impact_by_group
from titlesim.errors import InputError, Problem
from titlesim.progress import step
from titlesim.scenario import LoadedScenario
from titlesim.history import rules_before_start
from titlesim.setup import prepare
from titlesim.simulate import Result, simulate


@dataclass
class Comparison:
    """A base scenario, its revisions, their results and the comparison tables.

    ``results`` maps scenario names to results, base first (a name used twice gets
    ``-2``, ``-3`` ...). ``notes`` says what was aligned on purpose (seed, replicates).
    """

    base: LoadedScenario
    revisions: list[LoadedScenario]
    results: dict[str, Result]
    seed: int
    replicates: int
    notes: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return list(self.results)

    @property
    def base_name(self) -> str:
        return self.names[0]

    @property
    def revision_names(self) -> list[str]:
        return self.names[1:]

    @property
    def scenarios(self) -> dict[str, LoadedScenario]:
        return dict(zip(self.names, [self.base, *self.revisions]))

    @property
    def years(self):
        return self.results[self.base_name].years

    @cached_property
    def diff(self) -> pd.DataFrame:
        frames = [_diff.parameter_diff(self.base, rev, name)
                  for name, rev in zip(self.revision_names, self.revisions)]
        return pd.concat(frames, ignore_index=True)

    @cached_property
    def impact(self) -> pd.DataFrame:
        return impact(self.results, self.base_name)

    @cached_property
    def impact_by_group(self) -> pd.DataFrame:
        return impact_by_group(self.results, self.base_name)

    @cached_property
    def equity(self) -> pd.DataFrame:
        return equity(self.results, self.base_name)


def compare(base: LoadedScenario, revisions, replicates: int | None = None,
            seed: int | None = None, progress: bool = False, on_scenario=None) -> Comparison:
    """Simulate ``base`` and each revision with the same seed and replicates (by default
    the base's) and compare them. Refuses (InputError) revisions with another horizon or
    another workforce. ``on_scenario(index, total, name)`` is called as each scenario's
    simulation starts (a page's progress bar)."""
    revisions = [revisions] if isinstance(revisions, LoadedScenario) else list(revisions)
    if not revisions:
        raise InputError(Problem("nothing to compare: give at least one revision after the base"))
    for revision in revisions:
        _diff.check_comparable(base, revision)
    replicates = base.params.replicates if replicates is None else replicates
    seed = base.params.seed if seed is None else seed
    for revision in revisions:
        _diff.check_same_history(base, revision, seed)
    notes = _alignment_notes(base, revisions, replicates, seed)
    scenarios = [base, *revisions]
    setups = [prepare(s.params, seed, rules_before_start(s)) for s in scenarios]
    for revision, setup in zip(revisions, setups[1:]):
        _diff.check_same_workforce(base, revision, setups[0], setup)
    names = unique_names([s.name for s in scenarios])
    results = {}
    for index, (name, s, setup) in enumerate(zip(names, scenarios, setups), start=1):
        step("progress_compare_scenario", progress, name=s.title, index=index,
             total=len(scenarios), replicates=replicates)
        if on_scenario is not None:
            on_scenario(index, len(scenarios), name)
        results[name] = simulate(s, replicates=replicates, seed=seed, progress=progress, setup=setup)
    return Comparison(base, revisions, results, seed, replicates, notes)


def unique_names(names: list[str]) -> list[str]:
    """Scenario names made unique (a name used again gets -2, -3 ...).

    >>> unique_names(["a", "b", "a", "a"])
    ['a', 'b', 'a-2', 'a-3']
    """
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return out


def _alignment_notes(base, revisions, replicates: int, seed: int) -> list[str]:
    """For each scenario run with other replicates or another seed than its own, a note
    (by its title, in the language in use)."""
    from titlesim.i18n import current_language, msg
    from titlesim.report.words import list_of
    notes = []
    for s in [base, *revisions]:
        own = {"replicates": s.params.replicates, "seed": s.params.seed}
        used = {"replicates": replicates, "seed": seed}
        changed = [msg(f"compare_note_{k}", own=own[k], used=used[k]) for k in own if own[k] != used[k]]
        if changed:
            notes.append(msg("compare_note_aligned", title=s.title,
                             changes=list_of(changed, current_language())))
    return notes
