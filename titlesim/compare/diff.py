"""What differs between two scenarios: every parameter whose resolved value differs
(``extends`` merged, defaults filled), with its labels and the clause it cites; and
whether two scenarios can be compared at all.

Two scenarios are comparable when they cover the same evaluation years and start from
the same workforce: every difference in outcomes then comes from the criteria. A
revision of the horizon or of the population is refused, naming the keys.
"""
from __future__ import annotations

from dataclasses import fields

import numpy as np
import pandas as pd

from titlesim import labels
from titlesim.errors import InputError, Problem
from titlesim.paramdoc import flatten, format_value
from titlesim.scenario.schema import WORDS

COLUMNS = ["revision", "key", "label_zh", "label_en", "base_value", "revision_value", "source"]
NOT_SET = "(not set)"
# free text, not a parameter of the model: shown in the workbook's scenarios sheet instead
NOT_COMPARED = WORDS
# the base's rules a revision records as in force before the start: not a change it makes
RECORDED_BEFORE = "history.before"
# how a scenario is run, not a rule of the model: a comparison runs every scenario with the
# same replicates and seed
RUN_SETTINGS = ("replicates", "seed")
# sections that must be equal: what is simulated (years) and who (the starting workforce)
MUST_MATCH = {
    "horizon": "a different horizon (evaluation years); every scenario of a comparison must "
               "cover the same years",
    "population": "a different workforce (population); every scenario of a comparison must "
                  "start from the same people, so that differences show the criteria",
}
# parameters outside population that also shape the starting workforce (ages, papers held)
SHAPES_WORKFORCE = ("flows.retirement_age", "records.papers_per_year")
DIFFERENT_START = ("a different starting workforce (retirement ages and paper rates shape who "
                   "is there at the start)")
# the years simulated before horizon.start: the same for every scenario of a comparison
HISTORY = "history"
DIFFERENT_HISTORY = ("a different history (the years before horizon.start are simulated under "
                     "other rules), so it would not start from the same state")


def fixed_for_revisions(key: str) -> str | None:
    """Why a revision may not change ``key`` (the reason a comparison refuses one that
    does), or None for a criterion a revision may change: the horizon, the workforce, the
    history, and the keys that shape the starting workforce are the set-up every scenario
    of a comparison shares (``titlesim plan`` refuses them as levers for the same reason).

    >>> fixed_for_revisions("passline.ratio") is None
    True
    >>> fixed_for_revisions("population.size").startswith("a different workforce")
    True
    """
    section = key.split(".")[0]
    if section in MUST_MATCH:
        return MUST_MATCH[section]
    if section == HISTORY:
        return DIFFERENT_HISTORY
    if key.startswith(SHAPES_WORKFORCE):
        return DIFFERENT_START
    return None


def fixed_for(why: str, differences: list[tuple]) -> list[tuple]:
    """The ``differences`` (key path, base value, revision value) in keys a revision may
    not change for the reason ``why`` (one of :func:`fixed_for_revisions`' reasons).

    >>> differences = [("flows.retirement_age.male", 60, 62), ("passline.ratio", 0.5, 0.6)]
    >>> fixed_for(DIFFERENT_START, differences)
    [('flows.retirement_age.male', 60, 62)]
    """
    return [(k, old, new) for k, old, new in differences if fixed_for_revisions(k) == why]


def changed(base: dict, revision: dict) -> list[tuple[str, object, object]]:
    """(key path, base value, revision value) of every leaf that differs, base order first.

    >>> changed({"a": {"b": 1, "c": [1]}}, {"a": {"b": 1, "c": [2], "d": 0}})
    [('a.c', [1], [2]), ('a.d', '(not set)', 0)]
    """
    old, new = flatten(base), flatten(revision)
    keys = list(old) + [k for k in new if k not in old]
    return [(k, old.get(k, NOT_SET), new.get(k, NOT_SET)) for k in keys
            if k not in NOT_COMPARED and not k.startswith(RECORDED_BEFORE)
            and not _same(old.get(k, NOT_SET), new.get(k, NOT_SET))]


def _same(a, b) -> bool:
    # 1 and 1.0 are the same value; True and 1 are not
    return type(a) is type(b) and a == b or (
        isinstance(a, (int, float)) and isinstance(b, (int, float))
        and not isinstance(a, bool) and not isinstance(b, bool) and a == b)


def parameter_diff(base, revision, revision_name: str | None = None) -> pd.DataFrame:
    """The diff table of one revision against the base (LoadedScenario each)."""
    rows = []
    for key, old, new in changed(base.resolved, revision.resolved):
        row = labels.parameter_row(key) or {}
        rows.append((revision_name or revision.name, key, row.get("zh") or key,
                     row.get("en") or key, old, new, row.get("source") or "assumption"))
    return pd.DataFrame(rows, columns=COLUMNS)


def check_comparable(base, revision) -> None:
    """Refuse a revision that changes the horizon or the workforce, saying which keys."""
    problems = []
    differences = changed(base.resolved, revision.resolved)
    for why in MUST_MATCH.values():
        keys = fixed_for(why, differences)
        if keys:
            problems.append(_refusal(base, revision, why, keys))
    if problems:
        raise InputError(problems)


def check_same_history(base, revision, seed: int) -> None:
    """Refuse a revision whose history (the years simulated before ``horizon.start``, under
    the rules in force then) differs from the base's: a revision takes effect at the
    start, so it must start from the identical state. Revisions that extend the base (or
    change it with --set) share its history; a scenario with other rules that extends
    nothing, or another ``history``, does not."""
    from titlesim.history import history_key, rules_before_start
    base_rules, revision_rules = rules_before_start(base), rules_before_start(revision)
    if history_key(base_rules, seed) == history_key(revision_rules, seed):
        return
    keys = [(k, old, new) for k, old, new in changed(base_rules.model_dump(mode="json"),
                                                     revision_rules.model_dump(mode="json"))
            if k.split(".")[0] not in RUN_SETTINGS and k not in NOT_COMPARED]
    raise InputError(_refusal(
        base, revision, DIFFERENT_HISTORY, keys,
        hint="write the revision as 'extends: <base file>' with only its changes; they take "
             "effect at horizon.start"))


def check_same_workforce(base, revision, base_setup, revision_setup) -> None:
    """After both workforces are built: refuse if they differ (retirement ages and the
    paper rates shape the starting workforce too)."""
    if same_workforce(base_setup, revision_setup):
        return
    keys = fixed_for(DIFFERENT_START, changed(base.resolved, revision.resolved))
    raise InputError(_refusal(base, revision, DIFFERENT_START, keys,
                              hint=f"keep {' and '.join(SHAPES_WORKFORCE)} as in the base"))


def same_workforce(a, b) -> bool:
    """Same units and same people with the same attributes (posts aside: the post
    structure is a criterion, and who holds a post at the start follows from it)."""
    if not a.cells.table.equals(b.cells.table):
        return False
    for f in fields(a.units):
        if not np.array_equal(getattr(a.units, f.name), getattr(b.units, f.name)):
            return False
    for f in fields(a.people):
        if f.name != "post_level" and not np.array_equal(getattr(a.people, f.name),
                                                         getattr(b.people, f.name)):
            return False
    return True


def _refusal(base, revision, why: str, keys, hint: str | None = None) -> Problem:
    shown = "; ".join(f"{k}: {_text(old)} -> {_text(new)}" for k, old, new in keys[:5])
    more = f" and {len(keys) - 5} more" if len(keys) > 5 else ""
    return Problem(f"cannot be compared with '{base.name}': it has {why}"
                   + (f" (changed: {shown}{more})" if keys else ""),
                   file=str(revision.path) if revision.path else revision.name,
                   key=keys[0][0] if keys else None,
                   hint=hint or "give every scenario the same horizon and population (--set "
                                "applies to all of them)")


def _text(value) -> str:
    return format_value(value)
