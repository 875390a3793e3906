"""The what-if view: controls on the left, live results beside them, save and report.

Every change of a control is sent to one background worker (debounced, latest only). The
worker simulates a quick preview (one replicate) when the full run would take longer than
``budget`` seconds, shows it marked as a preview, then the full replicates; a newer change
abandons older work after the current simulated year. Results are compared with the
scenario as loaded, replicate by replicate (common random numbers), each with its 90 %
interval. Saving writes a revision with a title and a question; the report button makes a
comparison report of that revision against the scenario it revises; both download from
the page. Pinned results sit side by side with their settings.

>>> from titlesim.ui import whatif_app
>>> app = whatif_app("scenarios/baseline-2022.yaml")   # doctest: +SKIP
>>> app                                                # doctest: +SKIP
"""
from __future__ import annotations

import datetime as _dt
import html
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as w

from titlesim import labels
from titlesim.compare.outcomes import headline as headline_outcomes
from titlesim.errors import InputError
from titlesim.i18n import msg
from titlesim.scenario import LoadedScenario
from titlesim.ui import reporting
from titlesim.ui.background import BackgroundRun
from titlesim.ui.controls import ControlPanel
from titlesim.ui.downloads import link
from titlesim.ui.figures import PANELS, panel_svgs
from titlesim.ui.panels import Headline, Panels, panels
from titlesim.ui.pins import Pin, pins_table
from titlesim.ui.revision import save_revision
from titlesim.ui.runner import Runner, Superseded, scenario_key
from titlesim.ui.settings import to_overrides
from titlesim.ui.tables import equity_tables, per_year_table
from titlesim.ui.worker import LatestOnlyWorker

CARD_STYLE = ("border:1px {border} #ccc;border-radius:6px;padding:4px 8px;width:12.5em;"
              "background:{background};line-height:1.35")
CONTROLS_WIDTH = "490px"
PAGE_CSS = """<style>
.titlesim-whatif .titlesim-results.titlesim-preview .titlesim-value{color:#8a8a8a;font-style:italic}
.titlesim-whatif .titlesim-results.titlesim-preview svg{opacity:.55}
.titlesim-whatif .titlesim-results{position:sticky;top:0}
.titlesim-whatif a.titlesim-download{color:#1f5fa8;text-decoration:underline}
.titlesim-whatif .titlesim-table td,.titlesim-whatif .titlesim-table th{padding:2px 8px;text-align:right;
 font-variant-numeric:tabular-nums;white-space:nowrap}
.titlesim-whatif .titlesim-table td:first-child,.titlesim-whatif .titlesim-table th:first-child{text-align:left}
.titlesim-whatif .titlesim-table .titlesim-differs{background:#fff3cd}
</style>"""


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
                 preview_replicates: int = 1, report_cwd: Path | None = None, trial=()):
        self.loaded, self.lang = loaded, labels.check_language(lang)
        self.trial = tuple(trial)  # overrides for a smaller trial: shown, never saved
        self.save_dir = Path(save_dir) if save_dir else (loaded.path.parent if loaded.path else None)
        self.report_cwd = report_cwd or (self.save_dir.parent if self.save_dir else Path.cwd())
        self.runner = runner or Runner()
        self.budget, self.preview_replicates = budget, preview_replicates
        self.shown: Panels | None = None  # what the panels show now
        self.shown_state = ""
        self.shown_scenario: LoadedScenario | None = None
        self.shown_changes: dict = {}
        self.shown_summaries = None  # (current, loaded) behind what is shown
        self.shown_n = 0  # replicates behind what is shown
        self.timings: list[Timing] = []
        self.saved: Path | None = None
        self.report: reporting.ReportOutcome | None = None
        self.pins: list[Pin] = []
        self.reporting = BackgroundRun(self._run_report, name="titlesim-report")
        self.controls = ControlPanel(loaded.resolved, self.lang, self._changed, self._refused)
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

    def save(self, name: str | None = None, title: str | None = None, question: str | None = None) -> Path:
        """Save the control changes as a revision (see :mod:`titlesim.ui.revision`); the
        settings the page was opened with for a trial are not part of it."""
        if self.loaded.path is None:
            raise InputError(msg("whatif.no_file", self.lang))
        kept = [o for o in self.loaded.overrides if o not in self.trial]
        path = save_revision(self.loaded.path, self.controls.changes(),
                             self.save_name.value if name is None else name, self.save_dir,
                             title=self.save_title.value if title is None else title,
                             question=self.save_question.value if question is None else question,
                             kept=kept)
        self.saved = path
        return path

    def pin(self) -> Pin:
        """Keep the result shown now, with its settings, for the side-by-side table."""
        current, loaded = self.shown_summaries
        pin = Pin(msg("whatif.pin_name", self.lang, n=len(self.pins) + 1), dict(self.shown_changes),
                  self.shown, current, loaded)
        self.pins.append(pin)
        self.pinned.value = pins_table(self.pins, self.controls.loaded, self.lang)
        self.tabs.selected_index = 3
        return pin

    def close(self) -> None:
        self.worker.close()
        if self.runner.helper is not None:
            self.runner.helper.close()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # ----------------------------------------------------------------- layout
    def _text(self, key: str, **fmt) -> str:
        return labels.label("ui", f"whatif.{key}", self.lang).format(**fmt)

    def _button(self, description: str, icon: str, css: str, style: str = "") -> w.Button:
        button = w.Button(description=description, icon=icon, button_style=style,
                          layout=w.Layout(width="auto"))
        button.add_class(css)
        return button

    def _build_widgets(self) -> None:
        loaded = self.loaded
        shown_name, question = loaded.title_in(self.lang), loaded.question_in(self.lang)
        title = w.HTML(f"{PAGE_CSS}<h3 style='margin:4px 0'>{html.escape(self._text('title'))}</h3>"
                       f"<div style='color:#555;margin:0 0 4px 0'>{html.escape(self._text('intro'))}</div>"
                       f"<div>{html.escape(self._text('scenario'))}: <b>{html.escape(shown_name)}</b>"
                       + (f" <span style='color:#555'>· {html.escape(question)}</span>"
                          if question else "") + "</div>")
        self.status = w.HTML()
        self.status.add_class("titlesim-status")
        self.banner = w.HTML()
        self.banner.add_class("titlesim-banner")
        self.cards = {}
        for key in (o.name for o in headline_outcomes()):
            self.cards[key] = w.HTML(layout=w.Layout(margin="0 4px 4px 0"))
            self.cards[key].add_class(f"titlesim-headline-{key}")
        self.figures = {}
        for name in PANELS:
            self.figures[name] = w.HTML(layout=w.Layout(margin="0 8px 8px 0", min_width="0"))
            self.figures[name].add_class(f"titlesim-panel-{name}")
        self.equity, self.per_year, self.pinned = w.HTML(), w.HTML(), w.HTML(msg("whatif.no_pins", self.lang))
        self.equity.add_class("titlesim-equity")
        self.per_year.add_class("titlesim-per-year")
        self.pinned.add_class("titlesim-pins")

        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M")
        wide = {"layout": w.Layout(width="98%"), "style": {"description_width": "8em"}}
        self.save_name = w.Text(value=f"{loaded.name}-rev-{stamp}", description=self._text("save_name"),
                                **wide)
        self.save_title = w.Text(description=msg("whatif.title_field", self.lang),
                                 placeholder=msg("whatif.title_hint", self.lang), **wide)
        self.save_question = w.Textarea(description=msg("whatif.question_field", self.lang),
                                        placeholder=msg("whatif.question_hint", self.lang),
                                        rows=2, **wide)
        for widget, css in ((self.save_name, "titlesim-save-name"), (self.save_title, "titlesim-save-title"),
                            (self.save_question, "titlesim-save-question")):
            widget.add_class(css)
        self.save_button = self._button(self._text("save"), "save", "titlesim-save", "primary")
        self.report_button = self._button(self._text("report"), "file-text", "titlesim-report")
        self.reset_button = self._button(self._text("reset"), "undo", "titlesim-reset")
        self.pin_button = self._button(msg("whatif.pin", self.lang), "thumb-tack", "titlesim-pin")
        self.reset_button.on_click(lambda _: self.controls.reset())
        self.save_button.on_click(lambda _: self._save_clicked())
        self.report_button.on_click(lambda _: self._report_clicked())
        self.pin_button.on_click(lambda _: self._pin_clicked())
        self.message = w.HTML()
        self.message.add_class("titlesim-message")
        self.downloads = w.HTML()
        self.downloads.add_class("titlesim-downloads")

        # two fixed rows: a wrapping row is given the height of one and overlaps what follows
        buttons = [w.HBox([self.save_button, self.report_button]), w.HBox([self.pin_button, self.reset_button])]
        saving = w.VBox([*buttons, self.save_name, self.save_title, self.save_question,
                         self.message, self.downloads],
                        layout=w.Layout(border="1px solid #ddd", padding="4px", margin="0 0 6px 0"))
        left = w.VBox([saving, self.controls.widget],
                      layout=w.Layout(flex=f"0 0 {CONTROLS_WIDTH}", width=CONTROLS_WIDTH))
        left.add_class("titlesim-controls-column")
        strip = w.HBox(list(self.cards.values()), layout=w.Layout(flex_flow="row wrap"))
        grid = w.GridBox(list(self.figures.values()), layout=w.Layout(
            grid_template_columns="repeat(auto-fill, minmax(340px, 1fr))", width="100%"))
        self.tabs = w.Tab(children=[grid, self.equity, self.per_year, self.pinned],
                          titles=[msg(f"whatif.tab.{k}", self.lang) for k in ("charts", "equity", "per_year", "pins")])
        self.results = w.VBox([self.banner, self.status, strip, self.tabs],
                              layout=w.Layout(flex="1 1 auto", min_width="0", padding="0 0 0 12px"))
        self.results.add_class("titlesim-results")
        self.widget = w.VBox([title, w.HBox([left, self.results],
                                            layout=w.Layout(flex_flow="row nowrap", width="100%",
                                                            align_items="flex-start"))])
        self.widget.add_class("titlesim-whatif")
        self._set_status("running")

    # ------------------------------------------------------------------ updates
    def _changed(self, changes: dict) -> None:
        if not self.reporting.running:
            self.message.value = ""  # what it said is about settings no longer shown
        self.worker.submit((dict(changes), self.controls.last_changed))

    def _refused(self, text: str) -> None:
        self._say(text, ok=False)

    def _compute(self, request: tuple, is_current) -> None:
        changes, moved = request
        started = (time.perf_counter(), time.thread_time())

        def stop():
            if not is_current():
                raise Superseded()

        try:
            scenario = self.scenario_for(changes)
        except InputError as exc:
            self._set_status("error", detail=exc.text(self.lang))
            return
        reps = scenario.params.replicates
        self._set_status("running")
        slow = self.runner.estimate(scenario, reps) + self.runner.estimate(self.loaded, reps)
        if reps > self.preview_replicates and slow > self.budget:
            self.runner.share(scenario, reps)  # a helper process starts on the full run now
            self._publish(scenario, changes, self.runner.summary(scenario, self.preview_replicates, stop),
                          self.runner.summary(self.loaded, self.preview_replicates, stop),
                          "preview", started, stop)
        loaded = self.runner.summary(self.loaded, reps, stop)
        self._publish(scenario, changes, self.runner.summary(scenario, reps, stop), loaded, "full",
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

    def _publish(self, scenario, changes, current, loaded, state: str, started: tuple, stop) -> None:
        full = state == "full"
        shown = panels(current, loaded, self.lang, detail=full)
        svgs = panel_svgs(shown, self.lang)
        stop()  # a newer change has come: show nothing stale
        self.shown_n = current.n
        preview = not full
        if preview:
            self.results.add_class("titlesim-preview")
        else:
            self.results.remove_class("titlesim-preview")
        self.banner.value = (f"<div class='titlesim-preview-banner' style='background:#fff3cd;color:#7a5a00;"
                             f"padding:4px 8px;border-radius:4px'>{html.escape(msg('whatif.preview_banner', self.lang, n=current.n))}</div>"
                             if preview else "")
        for headline in shown.headlines:
            self.cards[headline.key].value = self._card(headline, preview)
        for name, svg in svgs.items():
            self.figures[name].value = svg
        if full:
            self.equity.value = equity_tables(shown, self.lang)
            self.per_year.value = per_year_table(shown, self.lang)
        self.shown, self.shown_state, self.shown_scenario = shown, state, scenario
        self.shown_changes, self.shown_summaries = changes, (current, loaded)
        now = time.perf_counter()
        timing = Timing(state, now - started[0], time.thread_time() - started[1], now)
        self.timings.append(timing)
        self._set_status(state, n=current.n, seconds=timing.seconds, key=scenario_key(scenario))

    def _card(self, h: Headline, preview: bool) -> str:
        # neutral colours: whether more is better depends on the outcome
        color = "#777" if h.change_text in ("±0", "–") else "#1f5fa8" if h.change > 0 else "#b5651d"
        style = CARD_STYLE.format(border="dashed" if preview else "solid",
                                  background="#f4f4f4" if preview else "#fafafa")
        interval = (f"{html.escape(msg('whatif.interval90', self.lang))} {h.value_interval}" if h.has_interval
                    else html.escape(msg("whatif.no_interval", self.lang, n=h.n)))
        change = f"{h.change_text} {h.change_interval}" if h.has_interval else h.change_text
        return (f"<div style='{style}' title='{html.escape(self._text('mean_over', n=h.n))}'>"
                f"<div style='font-size:90%;color:#444'>{html.escape(h.label)}</div>"
                f"<div class='titlesim-value' style='font-size:135%;font-weight:bold'>{h.value_text}</div>"
                f"<div class='titlesim-interval' style='font-size:85%;color:#555'>{interval}</div>"
                f"<div class='titlesim-change' style='color:{color}'>{html.escape(self._text('vs_loaded'))} "
                f"{html.escape(change)}</div>"
                f"<div class='titlesim-base' style='font-size:85%;color:#777'>"
                f"{html.escape(msg('whatif.base_same', self.lang, value=h.base_text, n=h.n))}</div></div>")

    def _set_status(self, state: str, n: int = 0, seconds: float | None = None, detail: str = "",
                    key: str = "") -> None:
        """``data-state`` (running, preview, full, error) and ``data-key`` (the settings
        shown, :func:`~titlesim.ui.runner.scenario_key`) let a browser test wait for them."""
        text = self._text(f"status.{state}", n=n)
        timing = f" · {msg('whatif.seconds', self.lang, seconds=f'{seconds:.2f}')}" if seconds is not None else ""
        more = f"<br><span style='color:#b5442c'>{html.escape(detail)}</span>" if detail else ""
        self.status.value = (f"<span class='titlesim-state' data-state='{state}' data-key='{key[:16]}' "
                             f"style='color:#555'>{html.escape(text)}{timing}</span>{more}")

    def _failed(self, exc: BaseException) -> None:
        """An update that failed: settings refused say why; anything else says, in the
        page's language, that the computation failed, and leaves its traceback in the
        server's log (the kernel's own error stream) for whoever maintains the server."""
        if isinstance(exc, InputError):
            self._set_status("error", detail=exc.text(self.lang))
            return
        traceback.print_exception(exc, file=sys.__stderr__)
        self._set_status("failed", detail=msg("whatif.failed", self.lang))

    # ----------------------------------------------------------- save, report
    def _say(self, text: str, ok: bool = True, state: str = "") -> None:
        color = "#2a7f62" if ok else "#b5442c"
        self.message.value = (f"<span data-state='{state or ('ok' if ok else 'error')}' "
                              f"style='color:{color}'>{html.escape(text)}</span>")

    def _save_clicked(self) -> None:
        self.downloads.value = ""
        if not self.controls.changes():
            self._say(self._text("nothing_changed"), ok=False)
            return
        self.worker.wait(120)  # save what the panels show: let a pending update finish
        try:
            path = self.save()
        except InputError as exc:
            self._say(f"{self._text('not_saved')}：{'；'.join(p.text(self.lang) for p in exc.problems)}", ok=False)
            return
        # the link first, then the message that says it is there (the page shows the two
        # widgets' updates in the order they are sent)
        self.downloads.value = link(path, msg("whatif.download_revision", self.lang, name=path.name))
        self._say(msg("whatif.saved_as", self.lang, name=path.name), state="saved")

    def _report_clicked(self) -> None:
        if self.saved is None:
            self._say(self._text("save_first"), ok=False)
            return
        if self.reporting.running:
            return
        self._say(msg("whatif.report_running", self.lang, revision=self.saved.name,
                      base=self.loaded.path.name), state="running")
        self.reporting.start(self.saved)

    def _run_report(self, revision: Path) -> None:
        self.report = reporting.make_report(self.loaded.path, revision, self.report_cwd, self.lang,
                                            self.loaded.overrides)
        if not self.report.ok:
            self._say(f"{self._text('report_failed')}: {self.report.output}", ok=False)
            return
        revision_link = link(revision, msg("whatif.download_revision", self.lang, name=revision.name))
        self.downloads.value = revision_link + "<br>" + " ".join(
            link(p, msg(f"whatif.download{p.suffix}", self.lang)) for p in self.report.files)
        self._say(msg("whatif.report_done", self.lang, folder=Path(self.report.output).parent.name),
                  state="report-done")  # after the links, so that "done" finds them there

    def wait_report(self, timeout: float | None = None) -> reporting.ReportOutcome | None:
        self.reporting.wait(timeout)
        return self.report

    def _pin_clicked(self) -> None:
        if self.shown is None or self.shown_state != "full":
            self._say(msg("whatif.pin_wait", self.lang), ok=False)
            return
        pin = self.pin()
        self._say(msg("whatif.pinned", self.lang, name=pin.name))
