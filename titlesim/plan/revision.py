"""The plan as a revision: ``plan.yaml`` extends the scenario and states the chosen
levers, with a comment naming the targets, so that every command runs on it and
``titlesim report plan.yaml`` reports it against its base.

When the plan ran with ``--set``, ``--seed`` or ``--replicates`` that the scenario file
does not state, those go into ``base.yaml`` beside it (extending the scenario, under the
scenario's own title and question), and
``plan.yaml`` extends ``base.yaml``: the plan then differs from its base by the levers
alone, and both start from the same workforce.
"""
from __future__ import annotations

import os
from pathlib import Path

from titlesim.compare.diff import changed
from titlesim.compare.outcomes import get
from titlesim.i18n import msg
from titlesim.plan.shown import attained
from titlesim.scenario import load_scenario
from titlesim.scenario.loader import dump_yaml
from titlesim.ui.revision import nest

MARK = "# titlesim plan"  # the first line of every plan file


def base_of(plan) -> dict | None:
    """What the plan's base changes from the scenario file (None: nothing)."""
    scenario = plan.scenario
    if scenario.path is None:
        return None
    as_run = scenario.with_overrides([f"seed={plan.seed}", f"replicates={plan.replicates}"])
    changes = changed(load_scenario(scenario.path).resolved, as_run.resolved)
    return nest({path: new for path, _, new in changes}) if changes else None


def base_text(plan, folder: Path) -> str:
    overrides = " ".join(plan.scenario.overrides) or "-"
    head = [f"{MARK} base", "# " + msg("plan_base_comment", scenario=Path(plan.scenario.path).name,
                                       overrides=overrides, seed=plan.seed,
                                       replicates=plan.replicates)]
    return "\n".join(head) + "\n" + dump_yaml({"extends": _relative(plan.scenario.path, folder),
                                               **scenario_words(plan.scenario),
                                               **base_of(plan)})


def scenario_words(scenario) -> dict:
    """The scenario's title, question and description (as given), which ``extends`` does
    not pass on: the base carries them, so that compare and report name it as people know
    the scenario."""
    from titlesim.scenario.schema import WORDS
    return {key: getattr(scenario.params, key) for key in WORDS
            if getattr(scenario.params, key, None)}


def plan_text(plan, folder: Path, extends: Path) -> str:
    """The plan's YAML: a comment with the question and the answer, then ``extends`` and
    the levers whose chosen value differs from the scenario's."""
    base = plan.scenario.with_overrides([f"seed={plan.seed}", f"replicates={plan.replicates}"])
    setting = plan.setting
    chosen = base.with_overrides([f"{path}={_json(value)}" for path, value in setting.items()])
    changes = changed(base.resolved, chosen.resolved)
    row = plan.best_row
    head = [MARK if plan.feasible else f"{MARK} (closest)",
            "# " + (msg("plan_yaml_feasible", n=len(plan.candidates)) if plan.feasible
                    else msg("plan_yaml_infeasible", n=len(plan.candidates))),
            "# " + msg("plan_yaml_objective_" + ("change" if plan.objective.least_change
                                                  else "minimise"),
                       outcome=plan.objective.label()),
            "# " + msg("plan_yaml_targets")]
    for j, target in enumerate(plan.targets, start=1):
        mean, lo, hi = attained(row[f"target{j}_mean"], row[f"target{j}_lo"],
                                row[f"target{j}_hi"], get(target.outcome).unit)
        head.append(f"#   {target.text()}  ({target.label()}): " + msg(
            "plan_attained", mean=mean, lo=lo, hi=hi, share=f"{row[f'target{j}_share_met']:.0%}"))
    head.append("# " + msg("plan_yaml_levers", levers=" ".join(l.text() for l in plan.levers)))
    head.append("# " + msg("plan_yaml_seed", seed=plan.seed, replicates=plan.replicates))
    if not changes:
        head.append("# " + msg("plan_yaml_no_change"))
    description = " / ".join(_described(changes, lang) for lang in ("zh", "en"))
    body = {"extends": _relative(extends, folder), "title": msg("plan_title", "zh"),
            "question": question_text(plan, "zh"), "title_en": msg("plan_title", "en"),
            "question_en": question_text(plan, "en"), "description": description,
            **nest({path: new for path, _, new in changes})}
    return "\n".join(head) + "\n" + dump_yaml(body)


def question_text(plan, lang: str | None = None) -> str:
    """The plan's question in words: its targets and what it minimises."""
    targets = msg("plan_and", lang).join(t.label(lang) for t in plan.targets)
    key = "plan_yaml_objective_" + ("change" if plan.objective.least_change else "minimise")
    return msg("plan_question", lang, targets=targets,
               objective=msg(key, lang, outcome=plan.objective.label(lang)))


def plan_base(path: Path) -> Path | None:
    """The base a plan file extends, when ``path`` is a plan file (else None): what
    ``titlesim report`` compares a plan with."""
    path = Path(path)
    first = _first_line(path)
    if not first.startswith(MARK) or first.startswith(f"{MARK} base"):
        return None
    import yaml
    try:
        extends = yaml.safe_load(path.read_text(encoding="utf-8")).get("extends")
    except (yaml.YAMLError, AttributeError):
        return None
    return path.parent / extends if isinstance(extends, str) else None


def plan_and_base(path: Path, overrides=()):
    """(base, plan) as LoadedScenarios when ``path`` is a plan file, else None. A plan's
    own ``base.yaml`` is named after the scenario it extends (the plan's name stays)."""
    import dataclasses
    base_path = plan_base(path)
    if base_path is None:
        return None
    base = load_scenario(base_path, list(overrides))
    if _first_line(base_path).startswith(f"{MARK} base") and len(base.files) > 1:
        base = dataclasses.replace(base, name=Path(base.files[1]).stem)
    return base, load_scenario(path, list(overrides))


def _first_line(path: Path) -> str:
    try:
        with Path(path).open(encoding="utf-8") as fh:
            return fh.readline()
    except (OSError, UnicodeDecodeError):
        return ""


def _described(changes, lang: str) -> str:
    """The plan's changes in words, for its ``description``: each parameter by its name,
    its values as people read them (不设, 是/否, labels), not key paths."""
    from titlesim import labels
    from titlesim.report.words import shown_value
    shown = msg("plan_change_separator", lang).join(
        msg("plan_change_words", lang, name=labels.parameter_name(p, lang),
            old=shown_value(p, old, lang), new=shown_value(p, new, lang)) for p, old, new in changes)
    return msg("plan_description", lang, changes=shown or msg("plan_no_change_short", lang))


def _relative(target: Path, folder: Path) -> str:
    return os.path.relpath(Path(target).resolve(), Path(folder).resolve()).replace(os.sep, "/")


def _json(value) -> str:
    import json
    return json.dumps(value, ensure_ascii=False)
