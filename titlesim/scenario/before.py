"""A revision takes effect at ``horizon.start``: the rules in force before it are its
base's. When a revision is loaded (a file that ``extends:`` another, or ``--set``
changes), the base's values of the rules it changes are recorded in ``history.before``,
so that its history (:mod:`titlesim.history`) is the base's, and a resolved copy of the
revision starts from the same state as the revision itself.

>>> base = {"seed": 1, "passline": {"ratio": 0.5, "ties": "include"}, "history": {"years": 40}}
>>> revision = {"seed": 1, "passline": {"ratio": 0.6, "ties": "include"}, "history": {"years": 40}}
>>> mark_rules_before_start(revision, base)["history"]
{'years': 40, 'before': {'passline': {'ratio': 0.5}}}
"""
from __future__ import annotations

from titlesim.scenario.schema import NOT_RULES


def mark_rules_before_start(data: dict, base: dict) -> dict:
    """``data`` (a merged scenario) with ``history.before`` set to the rules of ``base``
    (the scenario it revises: the root of its ``extends`` chain, or itself before
    ``--set``) that it changes, so that its history runs under the base's rules and its
    resolved copy keeps them. Rules the base itself recorded as in force before stay."""
    base_rules = {k: v for k, v in base.items() if k not in NOT_RULES}
    own_rules = {k: v for k, v in data.items() if k not in NOT_RULES}
    before = _old_values(base_rules, own_rules)
    base_history = base.get("history") or {}
    base_before = (base_history.get("before") if isinstance(base_history, dict) else None) or {}
    if isinstance(base_before, dict):
        before = _merge(before, base_before)
    own_history = data.get("history") or {}
    if not before or not isinstance(own_history, dict):
        return data  # a history that is not a mapping is refused by the schema, naming its key
    history = dict(own_history)
    history["before"] = before
    return dict(data, history=history)


def _old_values(old: dict, new: dict) -> dict:
    """The values of ``old`` where ``new`` differs (mappings compared key by key), in
    ``old``'s key order (so that the resolved scenario, and its sha256, never vary)."""
    out = {}
    for key in old:
        a, b = old[key], new.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            inner = _old_values(a, b)
            if inner:
                out[key] = inner
        elif a != b:
            out[key] = a
    return out


def _merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out
