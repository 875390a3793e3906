"""The what-if view: controls on the left, live results on the right, save and report.

Every change of a control is sent to one background worker (debounced, latest only). The
worker simulates a quick preview (one replicate) when the full run would take longer than
``budget`` seconds, shows it, then the full replicates; a newer change abandons older work
after the current simulated year. Results are compared with the scenario as loaded,
replicate by replicate (common random numbers).

>>> from titlesim.ui import whatif_app
>>> app = whatif_app("scenarios/baseline-2022.yaml")   # doctest: +SKIP
>>> app                                                # doctest: +SKIP
"""
from __future__ import annotations

import datetime as _dt
import html
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as w

from titlesim import labels
from titlesim.compare.outcomes import headline as headline_outcomes
from titlesim.errors import InputError
from titlesim.scenario import LoadedScenario
from titlesim.ui import reporting
from titlesim.ui.controls import ControlPanel
from titlesim.ui.figures import PANELS, panel_svgs
from titlesim.ui.panels import Headline, Panels, panels
from titlesim.ui.revision import save_revision
from titlesim.ui.runner import Runner, Superseded, scenario_key
from titlesim.ui.settings import to_overrides
from titlesim.ui.worker import LatestOnlyWorker

CARD_STYLE = ("border:1px solid #ddd;border-radius:6px;padding:6px 10px;min-width:9em;"
              "background:#fafafa")


@dataclass(frozen=True)
class Timing:
    """One update shown: ``preview`` or ``full``, seconds (wall clock and CPU of the
    worker thread) from the start of the work, and ``perf_counter()`` when shown."""

    state: str
    seconds: float
    cpu_seconds: float
    shown_at: float


class WhatIf:
    """Build with a loaded scenario; display it in a notebook (it shows its widget)."""

    def __init__(self, loaded: LoadedScenario, lang: str = "zh", save_dir: Path | None = None,
                 runner: Runner | None = None, delay: float = 0.03, budget: float = 0.15,
                 preview_replicates: int = 1, report_cwd: Path | None = None):
        self.loaded, self.lang = loaded, labels.check_language(lang)
        self.save_dir = Path(save_dir) if save_dir else (loaded.path.parent if loaded.path else None)
        self.report_cwd = report_cwd or (self.save_dir.parent if self.save_dir else Path.cwd())
        self.runner = runner or Runner()
        self.budget, self.preview_replicates = budget, preview_replicates
        self.shown: Panels | None = None  # what the panels show now
        self.shown_state = ""
        self.shown_scenario: LoadedScenario | None = None
        self.shown_n = 0  # replicates behind what is shown
        self.timings: list[Timing] = []
        self.saved: Path | None = None
        self.report: reporting.ReportOutcome | None = None
        self._report_thread: threading.Thread | None = None
        self.controls = ControlPanel(loaded.resolved, self.lang, self._changed)
        self._build_widgets()
        self.worker = LatestOnlyWorker(self._compute, delay, on_error=self._failed)
        self.worker.submit(({}, None))

    # ------------------------------------------------------------------ public
    def scenario_for(self, changes: dict) -> LoadedScenario:
        """The loaded scenario with the given control values."""
        return self.loaded.with_overrides(to_overrides(changes))

    @property
    def current(self) -> LoadedScenario:
        return self.scenario_for(self.controls.changes())

    def set(self, path: str, value) -> None:
        """Move a control (as a user would)."""
        self.controls.set(path, value)

    def wait(self, timeout: float | None = 120) -> "WhatIf":
        """Block until the panels show the latest settings in full; re-raise a failure."""
        if not self.worker.wait(timeout):
            raise TimeoutError(f"the what-if update did not finish within {timeout} s")
        if self.worker.errors:
            failure = self.worker.errors[-1]
            self.worker.errors.clear()
            raise failure
        return self

    def save(self, name: str | None = None) -> Path:
        """Save the current settings as a revision (see :mod:`titlesim.ui.revision`)."""
        if self.loaded.path is None:
            raise InputError("this scenario was not opened from a file, so a revision "
                             "cannot extend it")
        path = save_revision(self.loaded.path, self.current,
                             self.save_name.value if name is None else name,
                             self.save_dir)
        self.saved = path
        return path

    def close(self) -> None:
        self.worker.close()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # ----------------------------------------------------------------- layout
    def _text(self, key: str, **fmt) -> str:
        return labels.label("ui", f"whatif.{key}", self.lang).format(**fmt)

    def _build_widgets(self) -> None:
        title = w.HTML(f"<h3 style='margin:4px 0'>{html.escape(self._text('title'))}</h3>"
                       f"<div>{html.escape(self._text('scenario'))}: <b>{html.escape(self.loaded.name)}</b>"
                       f" <span style='color:#777'>{html.escape(str(self.loaded.path or ''))}</span></div>")
        self.status = w.HTML()
        self.status.add_class("titlesim-status")
        self.cards = {}
        for key in (o.name for o in headline_outcomes()):
            self.cards[key] = w.HTML(layout=w.Layout(margin="0 6px 6px 0"))
            self.cards[key].add_class(f"titlesim-headline-{key}")
        self.figures = {}
        for name in PANELS:
            self.figures[name] = w.HTML(layout=w.Layout(margin="0 8px 8px 0"))
            self.figures[name].add_class(f"titlesim-panel-{name}")
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M")
        self.save_name = w.Text(value=f"{self.loaded.name}-rev-{stamp}", layout=w.Layout(width="20em"),
                                description=self._text("save_name"),
                                style={"description_width": "initial"})
        self.save_button = w.Button(description=self._text("save"), icon="save",
                                    button_style="primary", layout=w.Layout(width="auto"))
        self.report_button = w.Button(description=self._text("report"), icon="file-text",
                                      layout=w.Layout(width="auto"))
        self.reset_button = w.Button(description=self._text("reset"), icon="undo",
                                     layout=w.Layout(width="auto"))
        self.reset_button.on_click(lambda _: self.controls.reset())
        self.save_button.add_class("titlesim-save")
        self.report_button.add_class("titlesim-report")
        self.save_button.on_click(lambda _: self._save_clicked())
        self.report_button.on_click(lambda _: self._report_clicked())
        self.message = w.HTML()
        self.message.add_class("titlesim-message")
        strip = w.HBox(list(self.cards.values()), layout=w.Layout(flex_flow="row wrap"))
        grid = w.GridBox(list(self.figures.values()), layout=w.Layout(
            grid_template_columns="repeat(auto-fill, minmax(450px, 1fr))"))
        results = w.VBox([strip, self.status, grid], layout=w.Layout(flex="1 1 600px"))
        self.controls.widget.layout.flex = "0 0 auto"
        saving = w.HBox([self.reset_button, self.save_name, self.save_button, self.report_button],
                        layout=w.Layout(flex_flow="row wrap", align_items="center"))
        self.widget = w.VBox([title, w.HBox([self.controls.widget, results],
                                            layout=w.Layout(flex_flow="row wrap", width="100%")),
                              saving, self.message])
        self.widget.add_class("titlesim-whatif")
        self._set_status("running")

    # ------------------------------------------------------------------ updates
    def _changed(self, changes: dict) -> None:
        self.worker.submit((dict(changes), self.controls.last_changed))

    def _compute(self, request: tuple, is_current) -> None:
        changes, moved = request
        started = (time.perf_counter(), time.thread_time())

        def stop():
            if not is_current():
                raise Superseded()

        try:
            scenario = self.scenario_for(changes)
        except InputError as exc:
            self._set_status("error", detail=str(exc))
            return
        reps = scenario.params.replicates
        self._set_status("running")
        slow = self.runner.estimate(scenario, reps) + self.runner.estimate(self.loaded, reps)
        if reps > self.preview_replicates and slow > self.budget:
            self._publish(scenario, self.runner.summary(scenario, self.preview_replicates, stop),
                          self.runner.summary(self.loaded, self.preview_replicates, stop),
                          "preview", started, stop)
        loaded = self.runner.summary(self.loaded, reps, stop)
        self._publish(scenario, self.runner.summary(scenario, reps, stop), loaded, "full",
                      started, stop)
        self._prefetch(changes, moved, stop)

    def _prefetch(self, changes: dict, moved: str | None, stop) -> None:
        """While nothing else is asked: the preview of one slider step either side of the
        control moved last, so that the next step shows at once."""
        for value in self.controls.neighbours(moved):
            try:
                neighbour = self.scenario_for({**changes, moved: value})
            except InputError:
                continue
            self.runner.summary(neighbour, self.preview_replicates, stop)

    def _publish(self, scenario, current, loaded, state: str, started: tuple, stop) -> None:
        shown = panels(current, loaded, self.lang)
        svgs = panel_svgs(shown, self.lang)
        stop()  # a newer change has come: show nothing stale
        self.shown_n = current.n
        for headline in shown.headlines:
            self.cards[headline.key].value = self._card(headline)
        for name, svg in svgs.items():
            self.figures[name].value = svg
        self.shown, self.shown_state, self.shown_scenario = shown, state, scenario
        now = time.perf_counter()
        timing = Timing(state, now - started[0], time.thread_time() - started[1], now)
        self.timings.append(timing)
        self._set_status(state, n=current.n, seconds=timing.seconds, key=scenario_key(scenario))

    def _card(self, h: Headline) -> str:
        # neutral colours: whether more is better depends on the outcome
        color = "#777" if h.change_text in ("±0", "–") else "#1f5fa8" if h.change > 0 else "#b5651d"
        return (f"<div style='{CARD_STYLE}'><div style='font-size:90%;color:#444'>{html.escape(h.label)}</div>"
                f"<div class='titlesim-value' style='font-size:150%;font-weight:bold' "
                f"title='{html.escape(self._text('mean_over', n=self.shown_n))}'>{h.value_text}</div>"
                f"<div class='titlesim-change' style='color:{color}'>{html.escape(self._text('vs_loaded'))} "
                f"{h.change_text}</div></div>")

    def _set_status(self, state: str, n: int = 0, seconds: float | None = None, detail: str = "",
                    key: str = "") -> None:
        """``data-state`` (running, preview, full, error) and ``data-key`` (the settings
        shown, :func:`~titlesim.ui.runner.scenario_key`) let a browser test wait for them."""
        text = self._text(f"status.{state}", n=n)
        timing = f" · {seconds:.2f} s" if seconds is not None else ""
        more = f"<br><span style='color:#b5442c'>{html.escape(detail)}</span>" if detail else ""
        self.status.value = (f"<span class='titlesim-state' data-state='{state}' data-key='{key[:16]}' "
                             f"style='color:#555'>{html.escape(text)}{timing}</span>{more}")

    def _failed(self, exc: BaseException) -> None:
        self._set_status("error", detail=f"{type(exc).__name__}: {exc}")

    # ----------------------------------------------------------- save, report
    def _say(self, text: str, ok: bool = True) -> None:
        color = "#2a7f62" if ok else "#b5442c"
        self.message.value = f"<span style='color:{color}'>{html.escape(text)}</span>"

    def _save_clicked(self) -> None:
        if not self.controls.changes():
            self._say(self._text("nothing_changed"), ok=False)
            return
        self.worker.wait(120)  # save what the panels show: let a pending update finish
        try:
            path = self.save()
        except InputError as exc:
            self._say(f"{self._text('not_saved')}: {exc}", ok=False)
            return
        self._say(f"{self._text('saved')}: {path}")

    def _report_clicked(self) -> None:
        if self.saved is None:
            self._say(self._text("save_first"), ok=False)
            return
        if self._report_thread and self._report_thread.is_alive():
            return
        self._say(f"{self._text('report_running')} ({self.saved.name})")
        self._report_thread = threading.Thread(target=self._run_report, args=(self.saved,), daemon=True)
        self._report_thread.start()

    def _run_report(self, scenario: Path) -> None:
        self.report = reporting.make_report(scenario, self.report_cwd, self.lang)
        key = "report_done" if self.report.ok else "report_failed"
        self._say(f"{self._text(key)}: {self.report.output}", ok=self.report.ok)

    def wait_report(self, timeout: float | None = None) -> reporting.ReportOutcome | None:
        if self._report_thread:
            self._report_thread.join(timeout)
        return self.report
