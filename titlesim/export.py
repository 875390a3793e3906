"""Person-event export: the simulated title results as a flat table, one row per
application (申报) of a person in a year, the form in which a bureau reports title data
upward.

Notice 二(三): "加强职称数据归集管理。当年评审工作完成后要及时将职称评审数据按照规范格式、
规定程序报送" (collect title data; report it after each year's evaluation in the
prescribed format).

The year is run by the engine's own steps (:mod:`titlesim.steps`), which record what
happened to whom (:mod:`titlesim.events`); the export reads those records, and the counts
it produces are the engine's (a test checks they equal :func:`titlesim.simulate`'s). Person ids are the engine's:
for a roster, ranks of salted hashes, never an identifier.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from titlesim import events as ev
from titlesim.engine import run_replicate
from titlesim.history import rules_before_start
from titlesim.labels import label
from titlesim.rules import route
from titlesim.setup import Setup, prepare
from titlesim.steps import State

# the documented columns, in order; what each means is in the message catalogue
# (``export.meaning.<column>``), their labels in labels.csv (kind ``column``)
COLUMNS = ("replicate", "year", "person_id", "series", "county", "unit_type", "specialty",
           "grassroots", "level_held", "level_sought", "route", "exam", "result", "scope", "hired")
LABEL_KINDS = {"series": "series", "unit_type": "unit_type", "specialty": "specialty",
               "grassroots": "grassroots", "level_held": "level", "level_sought": "level",
               "route": "route", "exam": "exam_outcome", "result": "result", "scope": "scope"}


def person_events(scenario, replicates: int | None = None, seed: int | None = None,
                  setup: Setup | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """``(events, counts)``: the person-event table of every replicate and year, and the
    counts (replicate, year, metric, cell) of the same run."""
    params = scenario.params
    replicates = params.replicates if replicates is None else replicates
    seed = params.seed if seed is None else seed
    setup = setup or prepare(params, seed, rules_before_start(scenario))
    frames, counts = [], []
    for r in range(replicates):
        c, events = _replicate(setup, r)
        counts.append(c)
        frames.extend(events)
    events = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    return events, np.stack(counts)


def _replicate(setup: Setup, replicate: int):
    """The engine's replicate, with each year's records read once hiring is done."""
    events = []

    def observe(step: str, state: State) -> None:
        if step == "mobility":  # evaluation and hiring are done; nobody has moved yet
            events.append(_events(state, replicate))

    counts, _ = run_replicate(setup, replicate, observe=observe)
    return counts, events


def _events(s: State, replicate: int) -> pd.DataFrame:
    """The year's application records (:class:`titlesim.events.YearEvents`) as a table,
    by person id (the order of the people in the engine is not kept: arrivals take the
    leavers' places)."""
    p, setup, e = s.people, s.setup, s.events
    a = e.applicant
    codes, unit = setup.codes, p.unit[a]
    names = lambda values, table: np.asarray(table, dtype=object)[values]  # noqa: E731
    candidate = e.result != ev.NO_VALID_PASS
    return pd.DataFrame({
        "replicate": replicate, "year": s.year, "person_id": p.id[a],
        "series": names(p.series[a], codes.series),
        "county": names(setup.units.county[unit], codes.counties),
        "unit_type": names(setup.units.unit_type[unit], codes.unit_types),
        "specialty": names(p.specialty[a], codes.specialties),
        "grassroots": p.grassroots[a], "level_held": names(e.level_held, codes.levels),
        "level_sought": names(e.level_held + 1, codes.levels),
        # the route an applicant without a candidacy would have taken: their ratio group's
        "route": names(np.where(candidate, e.route, np.where(s.ratio_member[a], route.GRASSROOTS,
                                                             route.GENERAL)), route.ROUTES),
        "exam": names(e.exam, ev.EXAM_OUTCOMES), "result": names(e.result, ev.RESULTS),
        "scope": names(e.scope, ev.SCOPES), "hired": e.hired,
    }, columns=list(COLUMNS)).iloc[np.argsort(p.id[a], kind="stable")].reset_index(drop=True)


def labelled(events: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table with Chinese (``zh``) or English (``en``) headers and values, as people
    read it (the default of ``titlesim export``; ``--labels codes`` keeps the codes)."""
    out = events.copy()
    for column, kind in {**LABEL_KINDS, "hired": "grassroots"}.items():  # hired: 是/否
        names = {v: label(kind, v, lang) if v != "" else "" for v in out[column].unique()}
        out[column] = out[column].map(names)
    return out.rename(columns={c: label("column", c, lang) for c in out.columns})


def columns_table() -> pd.DataFrame:
    """The documented columns: code, Chinese and English header, what it means in both."""
    from titlesim.i18n import msg
    return pd.DataFrame([(name, label("column", name, "zh"), label("column", name, "en"),
                          msg(f"export.meaning.{name}", "zh"), msg(f"export.meaning.{name}", "en"))
                         for name in COLUMNS],
                        columns=["column", "label_zh", "label_en", "meaning_zh", "meaning_en"])
