"""The comparison view: choose a base and one or more revisions from ``scenarios/``, see
what differs (the parameters) and what changes (headline outcomes with 90 % intervals of
the paired differences, and who gains or loses by county).

Numbers come from :func:`titlesim.compare.compare`, figures from
:mod:`titlesim.compare.figures` (drawn to PNG here, so the view needs no notebook output
area and can be updated from a background thread).
"""
from __future__ import annotations

import html
import io
import threading
from pathlib import Path

import ipywidgets as w
import pandas as pd

from titlesim import labels
from titlesim.compare import compare, figures
from titlesim.compare.outcomes import get, headline
from titlesim.errors import InputError
from titlesim.paramdoc import format_value
from titlesim.scenario import load_scenario
from titlesim.ui.settings import DEFAULT_SCENARIO

TABLE_STYLE = ("<style>.titlesim-table td,.titlesim-table th{padding:2px 8px;text-align:left;"
               "font-variant-numeric:tabular-nums}</style>")


def _t(key: str, lang: str, **fmt) -> str:
    return labels.label("ui", f"compare.{key}", lang).format(**fmt)


def figure_png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def number(x: float, unit: str) -> str:
    if pd.isna(x):
        return "–"
    return f"{x:,.2f}" if unit in ("years", "percent") else f"{x:,.1f}"


def interval(mean: float, lo: float, hi: float, unit: str) -> str:
    """``+12.0 [+8.0, +15.5]``"""
    if pd.isna(mean):
        return "–"
    digits = 2 if unit in ("years", "percent") else 1
    return f"{mean:+,.{digits}f} [{lo:+,.{digits}f}, {hi:+,.{digits}f}]"


def diff_table(cmp, lang: str) -> pd.DataFrame:
    """What differs: one row per revision and parameter, labelled, with its clause."""
    d = cmp.diff
    assumption = labels.label("ui", "whatif.assumption", lang)
    return pd.DataFrame({
        labels.label("role", "revision", lang): d["revision"],
        _t("parameter", lang): d["label_zh" if lang == "zh" else "label_en"],
        _t("key", lang): d["key"],
        _t("base_value", lang): d["base_value"].map(format_value),
        _t("revision_value", lang): d["revision_value"].map(format_value),
        labels.label("ui", "whatif.source", lang): d["source"].replace("assumption", assumption),
    })


def outcome_label(name: str, lang: str) -> str:
    """``取得职称人数（人）``"""
    o = get(name)
    return f"{o.label(lang)}（{o.unit_label(lang)}）" if lang == "zh" else f"{o.label(lang)} ({o.unit_label(lang)})"


def impact_table(cmp, lang: str) -> pd.DataFrame:
    """What changes over the horizon: each headline outcome, base and revision means and
    the paired difference with its 90 % interval."""
    rows = cmp.impact[cmp.impact["year"] == "total"]
    return pd.DataFrame({
        labels.label("role", "revision", lang): rows["revision"],
        _t("outcome", lang): [outcome_label(o, lang) for o in rows["outcome"]],
        _t("base_mean", lang): [number(v, u) for v, u in zip(rows["base_mean"], rows["unit"])],
        _t("revision_mean", lang): [number(v, u) for v, u in zip(rows["revision_mean"], rows["unit"])],
        _t("difference", lang): [interval(m, lo, hi, u) for m, lo, hi, u in
                                 zip(rows["diff_mean"], rows["diff_lo"], rows["diff_hi"], rows["unit"])],
    })


def county_table(cmp, outcome: str, lang: str) -> pd.DataFrame:
    """One outcome over the horizon by county: the paired difference with its interval,
    one column per revision."""
    g = cmp.impact_by_group
    rows = g[(g["dimension"] == "county") & (g["outcome"] == outcome) & (g["year"] == "total")]
    county = labels.label("column", "county", lang)
    table = pd.DataFrame({county: [labels.label("county", c, lang) for c in rows["group"]],
                          "revision": rows["revision"],
                          "value": [interval(m, lo, hi, u) for m, lo, hi, u in
                                    zip(rows["diff_mean"], rows["diff_lo"], rows["diff_hi"], rows["unit"])]})
    if table.empty:
        return pd.DataFrame({county: []})
    wide = table.pivot(index=county, columns="revision", values="value")
    wide.columns.name = None
    order = [labels.label("county", c, lang) for c in cmp.base.params.population.counties]
    return wide.reindex([c for c in order if c in wide.index]).reset_index()


def html_table(frame: pd.DataFrame) -> str:
    return TABLE_STYLE + frame.to_html(index=False, classes="titlesim-table", border=0, escape=True)


class CompareView:
    """Pick scenarios, press the button, read the diff, the impacts and the county view."""

    def __init__(self, folder=None, lang: str = "zh", base: str | None = None, revisions=(),
                 overrides=(), replicates: int | None = None):
        self.lang = labels.check_language(lang)
        self.folder = Path(folder) if folder else DEFAULT_SCENARIO.parent
        self.overrides = list(overrides)
        self.files = sorted(self.folder.glob("*.yaml"))
        if not self.files:
            raise InputError(f"no scenario files (*.yaml) in {self.folder}")
        self.comparison = None
        self.message = ""  # the last status, as text
        self._thread: threading.Thread | None = None
        names = [f.name for f in self.files]
        default = base or (DEFAULT_SCENARIO.name if DEFAULT_SCENARIO.name in names else names[0])
        self.base = w.Dropdown(options=[(f.stem, f.name) for f in self.files], value=default,
                               description=labels.label("role", "base", lang),
                               style={"description_width": "initial"})
        self.revisions = {f.name: w.Checkbox(value=f.name in revisions, description=f.stem,
                                             indent=False, layout=w.Layout(width="auto"))
                          for f in self.files}
        self.replicates = w.BoundedIntText(
            value=replicates or 10, min=2, max=1000, layout=w.Layout(width="12em"),
            description=labels.parameter_label("replicates", lang), style={"description_width": "initial"})
        self.outcome = w.Dropdown(options=[(o.label(lang), o.name) for o in headline()],
                                  value="titled", description=_t("outcome", lang),
                                  style={"description_width": "initial"})
        self.outcome.observe(lambda _: self._show_outcome(), "value")
        self.button = w.Button(description=_t("run", lang), button_style="primary", icon="play")
        self.button.add_class("titlesim-compare-run")
        self.button.on_click(lambda _: self.start())
        self.status = w.HTML()
        self.status.add_class("titlesim-status")
        self.diff = w.HTML()
        self.impact = w.HTML()
        self.over_time = w.Image(format="png", layout=w.Layout(max_width="620px"))
        self.difference = w.Image(format="png", layout=w.Layout(max_width="620px"))
        self.county = w.HTML()
        self.county_figure = w.Image(format="png", layout=w.Layout(max_width="900px"))
        self.widget = self._layout()

    # ------------------------------------------------------------------ layout
    def _heading(self, key: str) -> w.Widget:
        return w.HTML(f"<h4 style='margin:8px 0 4px'>{html.escape(_t(key, self.lang))}</h4>")

    def _layout(self) -> w.Widget:
        head = self._heading
        picks = w.VBox([w.HTML(html.escape(_t("revisions", self.lang))),
                        w.HBox(list(self.revisions.values()), layout=w.Layout(flex_flow="row wrap"))])
        return w.VBox([
            w.HBox([self.base, self.replicates, self.button], layout=w.Layout(flex_flow="row wrap")),
            picks, self.status,
            head("diff"), self.diff,
            head("impacts"), self.impact, self.outcome,
            w.HBox([self.over_time, self.difference], layout=w.Layout(flex_flow="row wrap")),
            head("county"), self.county_figure, self.county,
        ])

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # -------------------------------------------------------------------- runs
    def chosen(self) -> tuple[str, list[str]]:
        base = self.base.value
        return base, [name for name, box in self.revisions.items() if box.value and name != base]

    def start(self) -> None:
        """Compare in the background (the button)."""
        if self._thread and self._thread.is_alive():
            return
        self._thread = threading.Thread(target=self.run, daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> "CompareView":
        if self._thread:
            self._thread.join(timeout)
        return self

    def run(self):
        """Compare the chosen scenarios now and show the result; returns the Comparison
        (None when the choice or the scenarios are refused, with the reason shown)."""
        base, revisions = self.chosen()
        if not revisions:
            self._say(_t("choose", self.lang), state="error")
            return None
        self._say(_t("running", self.lang, n=len(revisions) + 1), state="running")
        try:
            cmp = compare(self._load(base), [self._load(r) for r in revisions],
                          replicates=self.replicates.value)
        except InputError as exc:
            self._say(str(exc), state="error")
            return None
        self.comparison = cmp
        self.diff.value = html_table(diff_table(cmp, self.lang))
        self.impact.value = html_table(impact_table(cmp, self.lang))
        self._show_outcome()
        self.county_figure.value = figure_png(figures.county_gains(cmp, self.lang))
        self._say(_t("done", self.lang, n=cmp.replicates) + " " + " ".join(cmp.notes))
        return cmp

    def _load(self, name: str):
        return load_scenario(self.folder / name, self.overrides)

    def _show_outcome(self) -> None:
        cmp = self.comparison
        if cmp is None:
            return
        outcome = self.outcome.value
        self.over_time.value = figure_png(figures.outcome_over_time(cmp, outcome, self.lang))
        self.difference.value = figure_png(figures.difference_band(cmp, outcome, self.lang))
        self.county.value = html_table(county_table(cmp, outcome, self.lang))

    def _say(self, text: str, state: str = "done") -> None:
        color = "#b5442c" if state == "error" else "#555"
        self.message = text
        self.status.value = (f"<span class='titlesim-state' data-state='{state}' style='color:{color}'>"
                             f"{html.escape(text)}</span>")
