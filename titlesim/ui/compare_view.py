"""The comparison view: choose a base and one or more revisions from ``scenarios/`` (listed
by their titles and questions), see what differs (the parameters) and what changes: the
chosen outcomes for every revision in one table (the paired difference with its 90 %
interval), one small chart per revision over the years (small multiples on one scale, not
overlapping lines), and who gains or loses by county (one small bar chart per revision, on
one scale, coloured by what the interval says). A progress bar follows the run.

Numbers come from :func:`titlesim.compare.compare`; the charts are SVG (:mod:`titlesim.ui.svg`),
so the view needs no notebook output area and can be updated from a background thread.
"""
from __future__ import annotations

import html
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

import ipywidgets as w
import pandas as pd

from titlesim import labels
from titlesim.compare import compare
from titlesim.compare.comparison import unique_names
from titlesim.compare.impact import as_shown
from titlesim.compare.outcomes import get, headline
from titlesim.errors import InputError
from titlesim.i18n import msg
from titlesim.paramdoc import format_value
from titlesim.report.words import num, signed
from titlesim.scenario import load_scenario
from titlesim.ui.background import BackgroundRun, status_html
from titlesim.ui.settings import DEFAULT_SCENARIO
from titlesim.ui.svg import COLORS, Series, diverging_bars, line_chart

TABLE_STYLE = ("<style>.titlesim-table td,.titlesim-table th{padding:2px 8px;text-align:left;"
               "font-variant-numeric:tabular-nums}</style>")


def _t(key: str, lang: str, **fmt) -> str:
    """A text of the page: the label table's ``ui`` row, else the message catalogue."""
    text = labels.label("ui", f"compare.{key}", lang)
    if text == f"compare.{key}":
        text = msg(f"compare.{key}", lang)
    return text.format(**fmt)


def figure_png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def digits(unit: str) -> int:
    """Decimals a number of ``unit`` is shown with: people (and sittings) whole."""
    return 2 if unit in ("years", "percent") else 0


def number(x: float, unit: str) -> str:
    """``7,173``; ``13.47`` for a rate or years; ``–`` when undefined."""
    return num(x, digits(unit))


def interval(mean: float, lo: float, hi: float, unit: str) -> str:
    """``+12 [+8, +16]``: counts of people whole, rates and years with two decimals."""
    if pd.isna(mean):
        return "–"
    d = digits(unit)
    return f"{signed(mean, d)} [{signed(lo, d)}, {signed(hi, d)}]"


def diff_table(cmp, lang: str, titles: dict | None = None) -> pd.DataFrame:
    """What differs: one row per revision (by its title) and parameter, labelled, with its
    clause."""
    d = cmp.diff
    assumption = labels.label("ui", "whatif.assumption", lang)
    return pd.DataFrame({
        labels.label("role", "revision", lang): d["revision"].map(lambda r: (titles or {}).get(r, r)),
        _t("parameter", lang): d["label_zh" if lang == "zh" else "label_en"],
        _t("key", lang): d["key"],
        _t("base_value", lang): d["base_value"].map(format_value),
        _t("revision_value", lang): d["revision_value"].map(format_value),
        labels.label("ui", "whatif.source", lang): [assumption if s == "assumption" else
                                                    labels.clause_label(s, lang) for s in d["source"]],
    })


def outcome_label(name: str, lang: str) -> str:
    """``取得职称人数（人）``"""
    o = get(name)
    return f"{o.label(lang)}（{o.unit_label(lang)}）" if lang == "zh" else f"{o.label(lang)} ({o.unit_label(lang)})"


def county_table(cmp, outcome: str, lang: str, titles: dict | None = None) -> pd.DataFrame:
    """One outcome over the horizon by county: the paired difference with its interval,
    one column per revision (by its title)."""
    g = cmp.impact_by_group
    rows = as_shown(g[(g["dimension"] == "county") & (g["outcome"] == outcome) & (g["year"] == "total")], 2)
    county = labels.label("column", "county", lang)
    table = pd.DataFrame({county: [labels.label("county", c, lang) for c in rows["group"]],
                          "revision": rows["revision"].map(lambda r: (titles or {}).get(r, r)),
                          "value": [interval(m, lo, hi, u) for m, lo, hi, u in
                                    zip(rows["diff_mean"], rows["diff_lo"], rows["diff_hi"], rows["unit"])]})
    if table.empty:
        return pd.DataFrame({county: []})
    wide = table.pivot(index=county, columns="revision", values="value")
    wide = wide[list(dict.fromkeys(table["revision"]))]  # the revisions in the order chosen
    wide.columns.name = None
    order = [labels.label("county", c, lang) for c in cmp.base.params.population.counties]
    return wide.reindex([c for c in order if c in wide.index]).reset_index()


def html_table(frame: pd.DataFrame) -> str:
    return TABLE_STYLE + frame.to_html(index=False, classes="titlesim-table", border=0, escape=True)


DEFAULT_OUTCOMES = ("titled", "titled_grassroots", "passed_ratio_only", "waiting")


@dataclass(frozen=True)
class ScenarioFile:
    """A scenario file as the page lists it: its own title and question (not inherited)."""

    path: Path
    title: str
    question: str

    @property
    def label(self) -> str:
        return self.title or self.path.stem

    @classmethod
    def read(cls, path: Path, lang: str = "zh") -> "ScenarioFile":
        """Its ``title:`` and ``question:`` (in English ``title_en:``, ``question_en:``
        when given)."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            data = {}
        data = data if isinstance(data, dict) else {}
        english = "_en" if lang == "en" else ""
        return cls(path, str(data.get(f"title{english}") or data.get("title") or ""),
                   str(data.get(f"question{english}") or data.get("question") or ""))


def impact_matrix(cmp, outcomes, lang: str, titles: dict) -> pd.DataFrame:
    """One row per revision, one column per chosen outcome (over the horizon): the paired
    difference with its 90 % interval; a first row with the base's means (people whole,
    the difference that of the shown means, as the command's summary and the report)."""
    rows = as_shown(cmp.impact[(cmp.impact["year"] == "total") & cmp.impact["outcome"].isin(outcomes)], 2)
    head = labels.label("role", "revision", lang)
    base_row = {head: _t("base_means", lang)}
    table = {}
    for r in rows.itertuples():
        table.setdefault(r.revision, {head: titles.get(r.revision, r.revision)})
        table[r.revision][outcome_label(r.outcome, lang)] = interval(r.diff_mean, r.diff_lo, r.diff_hi, r.unit)
        base_row[outcome_label(r.outcome, lang)] = number(r.base_mean, r.unit)
    columns = [head, *[outcome_label(o, lang) for o in outcomes]]
    return pd.DataFrame([base_row, *table.values()]).reindex(columns=columns)


def small_multiples(cmp, outcome: str, lang: str, titles: dict) -> list[str]:
    """One SVG per revision: the paired difference per year with its 90 % band, on one
    shared scale (the numbers as the tables show them: people whole)."""
    rows = as_shown(cmp.impact[(cmp.impact["outcome"] == outcome) & (cmp.impact["year"] != "total")], 2)
    ends = rows[["diff_mean", "diff_lo", "diff_hi"]].to_numpy(dtype=float)
    ends = ends[np.isfinite(ends)]
    limits = (min(0.0, ends.min()), max(0.0, ends.max())) if len(ends) else None
    name = msg("compare.difference_line", lang)
    out = []
    for revision, part in rows.groupby("revision", sort=False):
        out.append(line_chart(
            titles.get(revision, revision), part["year"].tolist(),
            [Series(name, part["diff_mean"].to_numpy(float), COLORS[0],
                    lo=part["diff_lo"].to_numpy(float), hi=part["diff_hi"].to_numpy(float))],
            hline=(msg("compare.no_difference", lang), 0.0), width=340, height=210,
            limits=limits, empty_text="–", digits=digits(get(outcome).unit)))
    return out


def notes_html(notes, lang: str) -> str:
    """The comparison's notes (replicates made uniform, ...), one a line, folded away
    under a one-line summary when there are several (nine revisions give nine notes)."""
    if not notes:
        return ""
    items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    if len(notes) == 1:
        return f"<p class='titlesim-compare-notes' style='color:#555;margin:2px 0'>{html.escape(notes[0])}</p>"
    return (f"<details class='titlesim-compare-notes' style='color:#555'><summary>"
            f"{html.escape(msg('compare.notes', lang, n=len(notes)))}</summary><ul>{items}</ul></details>")


def county_multiples(cmp, outcome: str, lang: str, titles: dict) -> list[str]:
    """One SVG per revision: the outcome's paired difference over the horizon by county,
    bars on one shared scale, coloured by what the 90 % interval says (green: the county
    gains, red: it loses, grey: the interval includes no change)."""
    g = cmp.impact_by_group
    rows = as_shown(g[(g["dimension"] == "county") & (g["outcome"] == outcome) & (g["year"] == "total")], 2)
    ends = rows[["diff_mean", "diff_lo", "diff_hi"]].to_numpy(dtype=float)
    ends = ends[np.isfinite(ends)]
    limit = float(np.abs(ends).max()) if len(ends) else None
    order = list(cmp.base.params.population.counties)
    out = []
    for revision, part in rows.groupby("revision", sort=False):
        part = part.set_index("group").reindex([c for c in order if c in set(part["group"])])
        out.append(diverging_bars(
            titles.get(revision, revision), [labels.label("county", c, lang) for c in part.index],
            part["diff_mean"].to_numpy(float), width=340, lo=part["diff_lo"].to_numpy(float),
            hi=part["diff_hi"].to_numpy(float), limit=limit, by_interval=True,
            digits=digits(get(outcome).unit)))
    return out


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
        self.listed = {f.name: ScenarioFile.read(f, lang) for f in self.files}
        self.comparison = None
        self.titles: dict[str, str] = {}  # revision name in the comparison -> its title
        self.message = ""  # the last status, as text
        self.background = BackgroundRun(self.run, name="titlesim-compare")
        names = [f.name for f in self.files]
        default = base or (DEFAULT_SCENARIO.name if DEFAULT_SCENARIO.name in names else names[0])
        self.base = w.Dropdown(options=[(self.listed[n].label, n) for n in names], value=default,
                               description=labels.label("role", "base", lang),
                               style={"description_width": "initial"})
        self.revisions = {n: w.Checkbox(value=n in revisions, indent=False, layout=w.Layout(width="2em"))
                          for n in names}
        self._mark_base()
        self.base.observe(lambda _: self._mark_base(), "value")
        self.replicates = w.BoundedIntText(
            value=replicates or 10, min=2, max=1000, layout=w.Layout(width="12em"),
            description=labels.parameter_label("replicates", lang), style={"description_width": "initial"})
        self.outcomes = w.SelectMultiple(options=[(o.label(lang), o.name) for o in headline()],
                                         value=DEFAULT_OUTCOMES, rows=len(headline()),
                                         description=_t("outcomes", lang),
                                         style={"description_width": "initial"},
                                         layout=w.Layout(width="32em"))
        self.outcomes.add_class("titlesim-compare-outcomes")
        self.outcomes.observe(lambda _: self._show_matrix(), "value")
        self.outcome = w.Dropdown(options=[(o.label(lang), o.name) for o in headline()],
                                  value="titled", description=_t("outcome", lang),
                                  style={"description_width": "initial"})
        self.outcome.observe(lambda _: self._show_outcome(), "value")
        self.button = w.Button(description=_t("run", lang), button_style="primary", icon="play")
        self.button.add_class("titlesim-compare-run")
        self.button.on_click(lambda _: self.start())
        self.progress = w.IntProgress(value=0, min=0, max=1, layout=w.Layout(width="24em", visibility="hidden"))
        self.progress.add_class("titlesim-compare-progress")
        self.status = w.HTML()
        self.status.add_class("titlesim-status")
        self.diff = w.HTML()
        self.impact = w.HTML()
        self.impact.add_class("titlesim-compare-impact")
        self.multiples = w.GridBox(layout=w.Layout(grid_template_columns="repeat(auto-fill, minmax(320px, 1fr))",
                                                   width="100%"))
        self.multiples.add_class("titlesim-compare-multiples")
        self.county = w.HTML()
        self.county_multiples = w.GridBox(layout=w.Layout(
            grid_template_columns="repeat(auto-fill, minmax(320px, 1fr))", width="100%"))
        self.county_multiples.add_class("titlesim-compare-counties")
        self.widget = self._layout()

    def _mark_base(self) -> None:
        """The base is not offered as a revision of itself: its box is unticked and greyed."""
        for name, box in self.revisions.items():
            box.disabled = name == self.base.value
            if box.disabled:
                box.value = False

    # ------------------------------------------------------------------ layout
    def _heading(self, key: str) -> w.Widget:
        return w.HTML(f"<h4 style='margin:8px 0 4px'>{html.escape(_t(key, self.lang))}</h4>")

    def _pick_row(self, name: str) -> w.Widget:
        f = self.listed[name]
        question = f"<br><span style='color:#666;font-size:90%'>{html.escape(f.question)}</span>" if f.question else ""
        text = w.HTML(f"<b>{html.escape(f.label)}</b> <span style='color:#888;font-size:85%'>{html.escape(name)}</span>"
                      f"{question}", layout=w.Layout(width="100%"))
        row = w.HBox([self.revisions[name], text], layout=w.Layout(align_items="flex-start"))
        row.add_class("titlesim-compare-pick")
        return row

    def _layout(self) -> w.Widget:
        head = self._heading
        picks = w.GridBox([self._pick_row(n) for n in self.revisions],
                          layout=w.Layout(grid_template_columns="repeat(auto-fill, minmax(360px, 1fr))",
                                          width="100%"))
        self.legend = w.HTML(f"<p style='color:#555'>{html.escape(msg('compare.multiples_legend', self.lang))}</p>")
        self.notes = w.HTML()
        self.county_legend = w.HTML()
        return w.VBox([
            w.HTML(f"<h3 style='margin:4px 0'>{html.escape(msg('compare.page_title', self.lang))}</h3>"
                   f"<div style='color:#555'>{html.escape(msg('compare.intro', self.lang))}</div>"),
            w.HBox([self.base, self.replicates, self.button], layout=w.Layout(flex_flow="row wrap")),
            w.HTML(html.escape(_t("revisions", self.lang))), picks,
            w.HBox([self.progress, self.status], layout=w.Layout(align_items="center")), self.notes,
            head("diff"), self.diff,
            head("impacts"), self.outcomes, self.impact,
            head("over_time"), self.outcome, self.legend, self.multiples,
            head("county"), self.county_legend, self.county_multiples, self.county,
        ])

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # -------------------------------------------------------------------- runs
    def chosen(self) -> tuple[str, list[str]]:
        base = self.base.value
        return base, [name for name, box in self.revisions.items() if box.value and name != base]

    def start(self) -> None:
        """Compare in the background (the button); a click during a run does nothing."""
        self.background.start()

    def wait(self, timeout: float | None = None) -> "CompareView":
        self.background.wait(timeout)
        return self

    def run(self):
        """Compare the chosen scenarios now and show the result; returns the Comparison
        (None when the choice or the scenarios are refused, with the reason shown)."""
        base, revisions = self.chosen()
        self.notes.value = ""
        if not revisions:
            self._say(_t("choose", self.lang), state="error")
            return None
        total = len(revisions) + 1
        self._say(_t("running", self.lang, n=total), state="running")
        self.progress.max, self.progress.value, self.progress.layout.visibility = total, 0, "visible"
        try:
            scenarios = [self._load(name) for name in (base, *revisions)]
            # the names the comparison gives them (made unique), shown by their titles
            names = unique_names([s.name for s in scenarios])
            self.titles = {n: self.listed[f].label for n, f in zip(names, (base, *revisions))}
            cmp = compare(scenarios[0], scenarios[1:], replicates=self.replicates.value,
                          on_scenario=self._step)
        except InputError as exc:
            self._say(exc.text(self.lang), state="error")
            return None
        finally:
            self.progress.layout.visibility = "hidden"
        self.comparison = cmp
        self.diff.value = html_table(diff_table(cmp, self.lang, self.titles))
        self._show_matrix()
        self._show_outcome()
        self.notes.value = notes_html(cmp.notes, self.lang)
        self._say(_t("done", self.lang, n=cmp.replicates))  # last: "done" finds everything shown
        return cmp

    def _step(self, index: int, total: int, name: str) -> None:
        self.progress.value = index - 1
        self._say(msg("compare.progress", self.lang, index=index, total=total,
                      name=self.titles.get(name) or name), state="running")

    def _load(self, name: str):
        return load_scenario(self.folder / name, self.overrides)

    def _show_matrix(self) -> None:
        if self.comparison is None:
            return
        chosen = list(self.outcomes.value) or list(DEFAULT_OUTCOMES)
        self.impact.value = html_table(impact_matrix(self.comparison, chosen, self.lang, self.titles))

    def _show_outcome(self) -> None:
        cmp = self.comparison
        if cmp is None:
            return
        outcome = self.outcome.value
        self.multiples.children = _charts(small_multiples(cmp, outcome, self.lang, self.titles),
                                          "titlesim-compare-multiple")
        self.county_multiples.children = _charts(county_multiples(cmp, outcome, self.lang, self.titles),
                                                 "titlesim-compare-county")
        self.county_legend.value = (f"<p class='titlesim-county-legend' style='color:#555'>"
                                    f"{html.escape(msg('compare.county_legend', self.lang, outcome=outcome_label(outcome, self.lang)))}</p>")
        self.county.value = html_table(county_table(cmp, outcome, self.lang, self.titles))

    def _say(self, text: str, state: str = "done") -> None:
        self.message = text
        self.status.value = status_html(text, state, "#b5442c" if state == "error" else "#555")


def _charts(svgs, css_class: str) -> list:
    """One HTML widget per SVG chart, marked with ``css_class`` for the page's styles."""
    charts = []
    for svg in svgs:
        chart = w.HTML(svg, layout=w.Layout(min_width="0"))
        chart.add_class(css_class)
        charts.append(chart)
    return charts
