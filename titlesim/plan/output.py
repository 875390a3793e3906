"""The plan folder, and the answer in words.

Layout (each file replaced atomically, like a sweep folder's)::

    OUT/plan.yaml          the chosen setting as a revision (closest.yaml when no setting
                           meets the targets); base.yaml beside it when --set, --seed or
                           --replicates changed the scenario (see :mod:`.revision`)
    OUT/candidates.csv     every setting evaluated and what it attains (rank 1: the answer)
    OUT/summary.md         the answer as a 修订对照表: each lever's current and planned
                           value, each target and what the plan attains
    OUT/tradeoff.png, .svg the trade-off figure
    OUT/provenance.json    the question, the search and where it ran
    OUT/points/            one file per simulated candidate (kept for --resume)
"""
from __future__ import annotations

import io
from pathlib import Path

from titlesim import labels
from titlesim.i18n import current_language, msg
from titlesim.report.words import shown_value
from titlesim.plan import shown
from titlesim.plan.revision import base_of, base_text, plan_text


def write_plan(plan, store, command: str | None, started: str, lang: str | None = None) -> None:
    from titlesim.plan.figure import tradeoff
    from titlesim.runs import write_csv
    from titlesim.compare.diff import changed
    folder = store.folder
    extends = plan.scenario.path
    if plan.scenario.path is not None and base_of(plan) is not None:
        store.write_file("base.yaml", lambda tmp: tmp.write_text(base_text(plan, folder),
                                                                 encoding="utf-8"))
        extends = folder / "base.yaml"
    name = "plan.yaml" if plan.feasible else "closest.yaml"
    if extends is not None:
        text = plan_text(plan, folder, extends)
        planned = plan.scenario.with_overrides(
            [f"seed={plan.seed}", f"replicates={plan.replicates}"] +
            [_override(p, v) for p, v in plan.setting.items()])
        if changed(planned.resolved, _load_beside(folder, name, text).resolved):
            raise RuntimeError(f"{name} does not reproduce the planned setting")
        store.write_file(name, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    store.write_file("candidates.csv", lambda tmp: write_csv(plan.candidates, tmp))
    store.write_file("summary.md", lambda tmp: tmp.write_text(summary_markdown(plan, lang),
                                                               encoding="utf-8"))
    figure = tradeoff(plan, lang)
    store.write_file("tradeoff.png", lambda tmp: figure.savefig(tmp, format="png", dpi=150))
    store.write_file("tradeoff.svg", lambda tmp: figure.savefig(tmp, format="svg",
                                                                metadata={"Date": None}))
    store.write_file("provenance.json", lambda tmp: _write_json(tmp, provenance(
        plan, command, started)))


def _load_beside(folder: Path, name: str, text: str):
    """Load ``text`` as a scenario file in ``folder`` (so that its ``extends`` resolves as
    the final file's will), from a temporary file removed afterwards."""
    import os
    import tempfile
    from titlesim.scenario import load_scenario
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.check.", suffix=".yaml", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        return load_scenario(tmp)
    finally:
        os.unlink(tmp)


def _override(path: str, value) -> str:
    import json
    return f"{path}={json.dumps(value, ensure_ascii=False)}"


def _write_json(path: Path, data: dict) -> None:
    from titlesim.runfolder import write_json
    write_json(path, data)


# ------------------------------------------------------------------------------ words
def setting_rows(plan, lang: str) -> list[tuple]:
    """(label, key, current value, planned value, source) per lever."""
    rows = []
    for lever in plan.levers:
        row = labels.parameter_row(lever.path) or {}
        source = row.get("source") or "assumption"
        rows.append((labels.parameter_name(lever.path, lang), lever.path,
                     shown_value(lever.path, lever.current, lang),
                     shown_value(lever.path, plan.setting[lever.path], lang),
                     msg("plan_assumption", lang) if source == "assumption" else
                     labels.clause_label(source, lang)))
    return rows


def setting_words(plan, candidate: int, lang: str) -> str:
    """A candidate's values in words: 基层按比例合格比例 0.499，仅按比例合格成绩有效年数 2."""
    return msg("plan_list_sep", lang).join(
        f"{labels.parameter_name(path, lang)} {shown_value(path, value, lang)}"
        for path, value in plan.setting_of(candidate).items())


def target_rows(plan, candidate: int, lang: str) -> list[tuple]:
    """(target in words, attained mean, 90 % interval, share of replicates, met) per target."""
    row = plan.candidates.loc[candidate]
    rows = []
    for j, t in enumerate(plan.targets, start=1):
        mean, lo, hi = shown.attained(row[f"target{j}_mean"], row[f"target{j}_lo"],
                                      row[f"target{j}_hi"], _unit(t))
        rows.append((t.label(lang), mean, f"{lo} – {hi}", f"{row[f'target{j}_share_met']:.0%}",
                     msg("plan_yes" if row[f"target{j}_met"] else "plan_no", lang)))
    return rows


def sureness(plan, lang: str) -> list[str]:
    """Sentences on how clear the answer is, and what binds or limits it."""
    a, frame = plan.answer, plan.candidates
    lines = []
    if a.tied:
        lines.append(msg("plan_tied", lang, n=len(a.tied),
                         ranges=_spread(plan, [a.best, *a.tied], lang)))
    if a.runner_up is None:
        lines.append(msg("plan_no_runner_up", lang))
    else:
        setting = setting_words(plan, a.runner_up, lang)
        d = a.runner_up_cost
        key = {"shortfall": "plan_runner_up_closest", "change": "plan_runner_up_change",
               "cost": "plan_runner_up_cost"}[d["of"]]
        if not a.feasible and d["of"] != "shortfall":  # as close, at a higher cost
            key = key.replace("plan_runner_up", "plan_runner_up_as_close")
        lines.append(msg(key, lang, setting=setting, mean=_g(d["mean"]), lo=_g(d["lo"]),
                         hi=_g(d["hi"]), share=f"{d['mean']:.1%}"))
        if a.feasible and d["of"] == "cost" and d["lo"] <= 0:
            lines.append(msg("plan_runner_up_unclear", lang))
    if not a.feasible:
        for j in a.binding:
            t = plan.targets[j - 1]
            lines.append(msg("plan_binding", lang, target=t.label(lang),
                             short=shown.shortfall(frame.loc[a.best, f"target{j}_shortfall"],
                                                   _unit(t), lang)))
    for j, count in a.limiting:
        lines.append(msg("plan_limiting", lang, target=plan.targets[j - 1].label(lang), n=count))
    return lines


def summary_markdown(plan, lang: str | None = None) -> str:
    """The 修订对照表: levers (current and planned), targets (attained), sureness."""
    lang = lang or current_language()
    out = io.StringIO()
    title = "plan_summary_title" if plan.feasible else "plan_summary_title_infeasible"
    out.write(f"# {msg(title, lang, scenario=plan.scenario.title_in(lang))}\n\n")
    out.write(msg("plan_summary_intro", lang, n=len(plan.candidates), rounds=plan.rounds,
                  seed=plan.seed, replicates=plan.replicates) + "\n\n")
    head = msg("plan_table_levers", lang).split("|")
    out.write(_table(head, setting_rows(plan, lang)))
    out.write(f"\n## {msg('plan_targets_heading', lang)}\n\n")
    out.write(_table(msg("plan_table_targets", lang).split("|"),
                     target_rows(plan, plan.answer.best, lang)))
    objective = msg("plan_yaml_objective_" + ("change" if plan.objective.least_change
                                               else "minimise"), lang,
                    outcome=plan.objective.label(lang))
    out.write(f"\n## {msg('plan_sureness_heading', lang)}\n\n{objective}\n\n")
    for line in sureness(plan, lang):
        out.write(f"- {line}\n")
    return out.getvalue()


def answer_text(plan, lang: str | None = None) -> str:
    """What the command prints: the answer, its targets, how sure, where it is."""
    lang = lang or current_language()
    lines = [msg("plan_answer_feasible" if plan.feasible else "plan_answer_infeasible", lang,
                 n=len(plan.candidates), computed=plan.computed)]
    for label, key, old, new, _ in setting_rows(plan, lang):
        lines.append("  " + msg("compare_summary.parameter", lang, path=key, label=label,
                                old=old, new=new))
    lines.append(msg("plan_targets_line", lang))
    for text, mean, interval, share, met in target_rows(plan, plan.answer.best, lang):
        lines.append("  " + msg("plan_target_line", lang, target=text, mean=mean,
                                interval=interval, share=share, met=met))
    lines += [f"  {line}" for line in sureness(plan, lang)]
    return "\n".join(lines)


def provenance(plan, command: str | None, started: str) -> dict:
    from titlesim.runfolder import base_provenance, package_versions
    from titlesim.runs import file_sha256, now, titles
    from titlesim.sweep.points import code_fingerprint
    s = plan.scenario
    a = plan.answer
    return {
        **base_provenance(),
        "kind": "plan",
        "scenario": s.name,
        "title": titles(s),
        "scenario_files": {str(p): file_sha256(p) for p in s.files},
        "scenario_sha256": s.sha256(),
        "code_fingerprint": code_fingerprint(),
        "overrides": list(s.overrides),
        "seed": plan.seed,
        "replicates": plan.replicates,
        "levers": [lever.text() for lever in plan.levers],
        "targets": [t.text() for t in plan.targets],
        "target_columns": {f"target{j}": t.text() for j, t in enumerate(plan.targets, start=1)},
        "objective": "least change" if plan.objective.least_change else
                     f"minimise {plan.objective.column}",
        "confidence": plan.confidence,
        "search": {"method": "grid refined around the best candidate", "rounds": plan.rounds,
                   "candidates": len(plan.candidates), "computed": plan.computed,
                   "reused": len(plan.candidates) - plan.computed},
        "answer": {"feasible": a.feasible, "setting": plan.setting,
                   "runner_up": plan.setting_of(a.runner_up) if a.runner_up is not None else None,
                   "runner_up_difference": a.runner_up_cost,
                   "binding_targets": [plan.targets[j - 1].text() for j in a.binding],
                   "limiting_targets": [plan.targets[j - 1].text() for j, _ in a.limiting]},
        "ran_on": plan.where.describe(),
        "sweep_versions": package_versions(("dask", "distributed", "pyarrow")),
        "command": command,
        "started": started,
        "ended": now(),
    }


def _spread(plan, candidates: list[int], lang: str) -> str:
    """Each lever's values over ``candidates``, in words: ``基层按比例合格比例 0.861–0.9``."""
    settings = [plan.setting_of(c) for c in candidates]
    parts = []
    for lever in plan.levers:
        values = [s[lever.path] for s in settings]
        name = labels.parameter_name(lever.path, lang)
        if lever.is_range:
            low, high = min(values), max(values)
            parts.append(f"{name} {shown_value(lever.path, low, lang)}" +
                         ("" if low == high else f"–{shown_value(lever.path, high, lang)}"))
        else:
            shown = dict.fromkeys(shown_value(lever.path, v, lang) for v in values)
            parts.append(f"{name} " + "/".join(shown))
    return msg("plan_list_sep", lang).join(parts)


def _unit(target) -> str:
    from titlesim.compare.outcomes import get
    return get(target.outcome).unit


def _table(head: list[str], rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(h.strip() for h in head) + " |",
             "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _g(value: float) -> str:
    return f"{value:.4g}"
