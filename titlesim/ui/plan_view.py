"""The planning view: levers and targets as widgets, progress while the plan searches,
the answer and its trade-off chart, and "save as revision".

Everything is computed by :func:`titlesim.plan.run_plan` (the command's own code); this
module only turns widget values into the command's lever and target texts, so that a
plan made here is the plan ``titlesim plan`` makes from the same question.
"""
from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as w

from titlesim import labels
from titlesim.compare.outcomes import OUTCOMES
from titlesim.errors import InputError
from titlesim.i18n import msg
from titlesim.plan.revision import question_text
from titlesim.plan import Objective, parse_lever, parse_target, run_plan, scenario_years
from titlesim.scenario import load_scenario
from titlesim.ui.compare_view import figure_png
from titlesim.ui.controls import CONTROLS
from titlesim.ui.background import BackgroundRun, status_html
from titlesim.ui.settings import workspace

OPS = (">=", "<=", "=")
WIDE = {"description_width": "initial"}


def lever_choices(scenario) -> list[tuple[str, str, str]]:
    """(label, key path, default range text) of the what-if levers, the post structure
    expanded over the scenario's unit types."""
    choices = []
    for control in CONTROLS:
        if control.kind == "group_by" or control.path == "replicates":
            continue
        paths = [control.path.replace("*", u) for u in scenario.params.posts.structure] \
            if "*" in control.path else [control.path]
        for path in paths:
            if control.kind in ("float", "int"):
                high = control.high if control.high is not None else \
                    scenario.params.passline.full_marks
                text = f"{control.low:g}:{high:g}"
            elif control.kind == "bool":
                text = "true,false"
            else:
                text = ",".join(control.options)
            choices.append((labels.parameter_name(path, "zh"), path, text))
    return choices


class LeverRow:
    def __init__(self, choices, lang: str, path: str | None = None, spec: str | None = None):
        self.defaults = {p: t for _, p, t in choices}
        self.key = w.Dropdown(options=[(label, p) for label, p, _ in choices],
                              value=path or choices[0][1], layout=w.Layout(width="28em"))
        self.spec = w.Text(value=spec or self.defaults[self.key.value],
                           placeholder=msg("plan_ui_range_hint", lang),
                           layout=w.Layout(width="14em"))
        self.key.observe(lambda change: setattr(self.spec, "value", self.defaults[change["new"]]),
                         "value")
        self.widget = w.HBox([self.key, self.spec])

    def text(self) -> str:
        return f"{self.key.value}={self.spec.value.strip()}"


class TargetRow:
    def __init__(self, years: list[int], lang: str, outcome: str = "senior_share_grassroots",
                 op: str = ">=", value: float = 0.0, year: int | None = None):
        self.outcome = w.Dropdown(options=[(o.label(lang), o.name) for o in OUTCOMES.values()],
                                  value=outcome, layout=w.Layout(width="20em"))
        self.year = w.Dropdown(options=[(msg("plan_ui_horizon", lang), None)] +
                               [(str(y), y) for y in years], value=year,
                               layout=w.Layout(width="9em"))
        self.op = w.Dropdown(options=[("≥", ">="), ("≤", "<="), ("=", "=")], value=op,
                             layout=w.Layout(width="5em"))
        self.value = w.FloatText(value=value, layout=w.Layout(width="9em"))
        self.widget = w.HBox([self.outcome, self.year, self.op, self.value])

    def text(self) -> str:
        at = "" if self.year.value is None else f"@{self.year.value}"
        return f"{self.outcome.value}{at} {self.op.value} {self.value.value:g}"


class PlanView:
    """Pick levers and targets, press the button, read the answer, save it."""

    def __init__(self, scenario, lang: str = "zh", overrides=(), levers=(), targets=(),
                 replicates: int = 10, workers: int = 1, out_root: Path | None = None):
        self.lang = labels.check_language(lang)
        self.path = Path(scenario)
        self.overrides = list(overrides)
        self.scenario = load_scenario(self.path, self.overrides)
        self.years = scenario_years(self.scenario)
        self.workers = workers
        # like the report button: reports/ of the served workspace, else beside scenarios/
        self.out_root = Path(out_root) if out_root is not None else \
            (workspace() or self.path.resolve().parent.parent) / "reports"
        self.choices = lever_choices(self.scenario)
        self.plan = None
        self.message = ""
        self.background = BackgroundRun(self.run, name="titlesim-plan")
        self.lever_rows = [LeverRow(self.choices, lang, *self._split(text)) for text in levers] \
            or [LeverRow(self.choices, lang)]
        self.target_rows = [self._target_row(text) for text in targets] or \
            [TargetRow(self.years, lang)]
        self.levers_box = w.VBox([r.widget for r in self.lever_rows])
        self.targets_box = w.VBox([r.widget for r in self.target_rows])
        add_lever = w.Button(description=msg("plan_ui_add_lever", lang), icon="plus")
        add_lever.on_click(lambda _: self._add(self.lever_rows, self.levers_box,
                                               LeverRow(self.choices, lang)))
        add_target = w.Button(description=msg("plan_ui_add_target", lang), icon="plus")
        add_target.on_click(lambda _: self._add(self.target_rows, self.targets_box,
                                                TargetRow(self.years, lang)))
        self.objective = w.Dropdown(
            options=[(msg("plan_ui_least_change", lang), None)] +
                    [(msg("plan_ui_minimise", lang, outcome=o.label(lang)), o.name)
                     for o in OUTCOMES.values()],
            value=None, description=msg("plan_ui_objective", lang), style=WIDE)
        self.confidence = w.BoundedFloatText(value=0.0, min=0.0, max=1.0, step=0.05,
                                             description=msg("plan_ui_confidence", lang),
                                             style=WIDE, layout=w.Layout(width="22em"))
        self.replicates = w.BoundedIntText(value=replicates, min=1, max=1000, style=WIDE,
                                           description=labels.parameter_label("replicates", lang),
                                           layout=w.Layout(width="14em"))
        self.button = w.Button(description=msg("plan_ui_run", lang), button_style="primary",
                               icon="play")
        self.button.on_click(lambda _: self.start())
        self.progress = w.IntProgress(value=0, min=0, max=1, layout=w.Layout(width="20em"))
        self.status = w.HTML()
        self.answer = w.HTML()
        self.chart = w.Image(format="png", layout=w.Layout(max_width="680px"))
        self.name = w.Text(value="plan", description=msg("plan_ui_name", lang), style=WIDE)
        self.save_button = w.Button(description=msg("plan_ui_save", lang), icon="save",
                                    disabled=True)
        self.save_button.on_click(lambda _: self.save())
        self.saved = w.HTML()
        head = lambda key: w.HTML(f"<h4 style='margin:8px 0 4px'>{html.escape(msg(key, lang))}</h4>")
        self.widget = w.VBox([
            head("plan_ui_levers"), self.levers_box, add_lever,
            head("plan_ui_targets"), self.targets_box, add_target,
            w.HBox([self.objective, self.confidence, self.replicates],
                   layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.button, self.progress, self.status]),
            self.answer, self.chart, w.HBox([self.name, self.save_button]), self.saved])

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    @staticmethod
    def _split(text: str):
        path, _, spec = text.partition("=")
        return path.strip(), spec.strip()

    def _target_row(self, text: str) -> TargetRow:
        t = parse_target(text, self.years)
        return TargetRow(self.years, self.lang, t.outcome, t.op, t.value, t.year)

    @staticmethod
    def _add(rows, box, row) -> None:
        rows.append(row)
        box.children = [r.widget for r in rows]

    # --------------------------------------------------------------------- runs
    def start(self) -> None:
        """Plan in the background (the button); a click during a run does nothing."""
        self.background.start()

    def wait(self, timeout: float | None = None) -> "PlanView":
        self.background.wait(timeout)
        return self

    def run(self):
        """Plan now and show the answer; returns the Plan (None when the question is
        refused, with the reason shown)."""
        from titlesim.plan.output import answer_text
        from titlesim.plan.figure import tradeoff
        from titlesim.plan.run import _question_hash
        from titlesim.runfolder import new_run_dir, safe_component
        from titlesim.sweep import Where
        self.save_button.disabled = True
        try:
            levers = [parse_lever(r.text(), self.scenario) for r in self.lever_rows]
            targets = [parse_target(r.text(), self.years) for r in self.target_rows]
            objective = Objective(self.objective.value)
            confidence = self.confidence.value or None
            self._say(msg("plan_ui_running", self.lang), "running")
            out = new_run_dir(self.out_root / "plans" / safe_component(self.scenario.name),
                              _question_hash(self.scenario, levers, targets, objective,
                                             confidence, self.scenario.params.seed,
                                             self.replicates.value))
            plan = run_plan(self.scenario, levers, targets, objective, confidence,
                            replicates=self.replicates.value, out=out,
                            where=Where(workers=self.workers), on_progress=self._progress,
                            lang=self.lang)
        except InputError as exc:
            self._say(exc.text(self.lang), "error")
            return None
        self.plan = plan
        self.answer.value = f"<pre style='white-space:pre-wrap'>{html.escape(answer_text(plan, self.lang))}</pre>"
        self.chart.value = figure_png(tradeoff(plan, self.lang))
        self.save_button.disabled = not plan.feasible
        self._say(msg("plan_ui_done", self.lang, folder=str(plan.folder)),
                  "done" if plan.feasible else "infeasible")
        return plan

    def _progress(self, round_: int, finished: int, total: int) -> None:
        self.progress.max = max(total, 1)
        self.progress.value = finished
        self.progress.description = msg("plan_progress_round", self.lang, n=round_ + 1)

    def save(self) -> Path | None:
        """Save the plan's setting as a revision of the scenario file, beside it (the
        settings the view was opened with for a smaller trial are not written)."""
        from titlesim.ui.revision import save_revision
        if self.plan is None or not self.plan.feasible:
            return None
        try:
            path = save_revision(self.path, self.plan.setting, self.name.value,
                                 title=msg("plan_title", self.lang),
                                 question=question_text(self.plan, self.lang))
        except InputError as exc:
            self.saved.value = f"<span style='color:#b5442c'>{html.escape(exc.text(self.lang))}</span>"
            return None
        self.saved.value = html.escape(msg("plan_ui_saved", self.lang, path=str(path)))
        return path

    def _say(self, text: str, state: str = "done") -> None:
        self.message = text
        self.status.value = status_html(text, state, "#b5442c" if state in ("error", "infeasible") else "#555")
