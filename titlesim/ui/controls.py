"""The levers of the what-if view: which parameters, what widget, what range.

The list :data:`CONTROLS` is data: a parameter key path, the kind of widget and its range.
Each control shows the parameter's label from the one label table and, beside it, the
clause it comes from (or "assumption"); hovering shows both languages and the key path.
The post structure is edited one unit type at a time (``*`` in the path is the unit type
picked in the drop-down above those sliders); a share that would make the unit type's
senior and intermediate posts more than all its posts is refused at the slider.
Sections fold away (one accordion each), so that the results stay beside the controls.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any, Callable

import ipywidgets as w

from titlesim import labels
from titlesim.i18n import msg
from titlesim.paramdoc import flatten


@dataclass(frozen=True)
class Control:
    path: str
    kind: str  # float, int, choice, bool, group_by
    section: str
    low: float = 0.0
    high: float | None = 1.0  # None: the scenario's full marks
    step: float = 0.05
    options: tuple = ()

    @property
    def decimals(self) -> int:
        text = f"{self.step:g}"
        return len(text.split(".")[1]) if "." in text else 0

    def normalise(self, value):
        """Slider values arrive as binary floats (0.30000000000000004); keep the step's digits."""
        if self.kind == "float":
            return round(float(value), self.decimals)
        if self.kind == "int":
            return int(value)
        if self.kind == "group_by":
            return list(value)
        return value


POSTS_PICK = "posts.structure.*"
CONTROLS = (
    Control("passline.ratio", "float", "passline", 0.0, 1.0, 0.05),
    Control("passline.provincial_standard", "float", "passline", 0.0, None, 0.5),
    Control("passline.group_by", "group_by", "passline"),
    Control("passline.ratio_base", "choice", "passline", options=("applied", "sat")),
    Control("passline.rounding", "choice", "passline", options=("half_up", "ceil", "floor")),
    Control("passline.ties", "choice", "passline", options=("include", "cap")),
    Control("validity.years", "int", "validity", 1, 5, 1),
    Control("validity.ratio_only_years", "int", "validity", 1, 5, 1),
    Control("posts.directed_quota", "choice", "posts", options=("ordinary", "separate")),
    Control("posts.structure.*.full_senior", "float", "posts", 0.0, 1.0, 0.01),
    Control("posts.structure.*.deputy_senior", "float", "posts", 0.0, 1.0, 0.01),
    Control("posts.structure.*.intermediate", "float", "posts", 0.0, 1.0, 0.01),
    Control("attached_units.join_grassroots_route", "bool", "evaluation"),
    Control("evaluation.criteria.grassroots.min_papers.intermediate", "int", "evaluation", 0, 10, 1),
    Control("evaluation.criteria.grassroots.min_papers.deputy_senior", "int", "evaluation", 0, 10, 1),
    Control("evaluation.criteria.grassroots.min_papers.full_senior", "int", "evaluation", 0, 10, 1),
    Control("application.base.grassroots", "float", "application", 0.0, 1.0, 0.05),
    Control("application.base.other", "float", "application", 0.0, 1.0, 0.05),
    Control("replicates", "int", "simulation", 1, 100, 1),
)
SECTIONS = ("passline", "validity", "posts", "evaluation", "application", "simulation")
OPEN_SECTIONS = ("passline", "validity")  # unfolded when the page opens
POST_LEVELS = ("full_senior", "deputy_senior", "intermediate")
GROUP_BY_PRESETS = ((), ("specialty",), ("county",), ("specialty", "county"))


def css_class(path: str) -> str:
    """The class a control's widget carries in the page (for tests and styling)."""
    return "titlesim-control-" + path.replace(".", "-").replace("*", "unit")


def source_text(path: str, lang: str) -> str:
    row = labels.parameter_row(path) or {}
    source = row.get("source", "")
    return labels.label("ui", "whatif.assumption", lang) if source == "assumption" else \
        labels.clause_label(source, lang)


def tooltip(path: str, lang: str) -> str:
    row = labels.parameter_row(path) or {}
    return (f"{row.get('zh', path)} / {row.get('en', path)}\n{path}\n"
            f"{labels.label('ui', 'whatif.source', lang)}: {source_text(path, lang) or '-'}")


def option_label(path: str, value, lang: str) -> str:
    return labels.label("option", f"{path}={value}", lang)


def group_by_label(columns, lang: str) -> str:
    if not columns:
        return labels.label("ui", "whatif.group_all", lang)
    return " × ".join(labels.label("column", c, lang) for c in columns)


class ControlPanel:
    """The widgets for :data:`CONTROLS`, their values, and which differ from the scenario
    as loaded. ``on_change(changes)`` is called with ``{key path: value}`` of every
    parameter that now differs from the loaded scenario."""

    def __init__(self, resolved: dict, lang: str, on_change: Callable[[dict], None],
                 on_refused: Callable[[str], None] | None = None):
        self.lang, self.on_change, self.on_refused = lang, on_change, on_refused
        flat = flatten(resolved)
        self.unit_types = list(resolved["posts"]["structure"])
        self.loaded = {path: flat[path] for path in self._concrete_paths()}
        self.values = dict(self.loaded)
        self.last_changed: str | None = None  # key path of the control moved last
        self._quiet = False
        self.full_marks = float(resolved["passline"]["full_marks"])
        self.picker = w.Dropdown(
            options=[(labels.label("unit_type", t, lang), t) for t in self.unit_types],
            value=self.unit_types[0], layout=w.Layout(width="16em"))
        self.picker.add_class("titlesim-unit-type-picker")
        self.picker.observe(self._show_unit_type, "value")
        self.widgets: dict[str, w.Widget] = {}
        rows = {section: [] for section in SECTIONS}
        for control in CONTROLS:
            rows[control.section].append(self._row(control))
        rows["posts"].insert(1, self._labelled(POSTS_PICK, self.picker,
                                               labels.label("ui", "whatif.unit_type", lang)))
        self.sections = {name: self._section(name, items) for name, items in rows.items()}
        self.widget = w.VBox(list(self.sections.values()))
        self.widget.add_class("titlesim-controls")

    # ------------------------------------------------------------------ state
    def _concrete_paths(self) -> list[str]:
        paths = []
        for control in CONTROLS:
            if "*" in control.path:
                paths += [control.path.replace("*", t) for t in self.unit_types]
            else:
                paths.append(control.path)
        return paths

    def concrete(self, path: str) -> str:
        return path.replace("*", self.picker.value)

    def changes(self) -> dict[str, Any]:
        return {path: value for path, value in self.values.items() if value != self.loaded[path]}

    def set(self, path: str, value) -> None:
        """Set a control as a user would (a concrete key path; a post-structure path first
        picks its unit type)."""
        pattern = self.pattern(path)
        if pattern != path:
            self.picker.value = path.split(".")[2]
        widget = self.widgets[pattern]
        widget.value = tuple(value) if isinstance(value, list) else value

    @staticmethod
    def pattern(path: str) -> str:
        """The control of a key path: a post-structure path with its unit type as ``*``."""
        parts = path.split(".")
        if path.startswith(POSTS_PICK[:-1]) and len(parts) == 4:
            parts[2] = "*"
        return ".".join(parts)

    def neighbours(self, path: str | None) -> list:
        """The values one step either side of a slider's current value (what the user is
        likely to ask for next); empty for other controls."""
        pattern = self.pattern(path) if path else None
        control = next((c for c in CONTROLS if c.path == pattern), None)
        if control is None or control.kind not in ("float", "int"):
            return []
        widget, value = self.widgets[pattern], self.values[path]
        steps = (control.normalise(value - control.step), control.normalise(value + control.step))
        return [v for v in steps if widget.min <= v <= widget.max]

    def reset(self) -> None:
        """Back to the scenario as loaded."""
        for path, value in self.loaded.items():
            if self.values[path] != value:
                self.set(path, value)

    # ---------------------------------------------------------------- widgets
    def _row(self, control: Control) -> w.Widget:
        value = self.loaded[self.concrete(control.path)]
        widget = self._widget(control, value)
        widget.observe(lambda change, c=control: self._changed(c, change["new"]), "value")
        self.widgets[control.path] = widget
        return self._labelled(control.path, widget)

    def _widget(self, control: Control, value) -> w.Widget:
        kind, lang = control.kind, self.lang
        if kind in ("float", "int"):
            high = self.full_marks if control.high is None else control.high
            cls = w.FloatSlider if kind == "float" else w.IntSlider
            extra = {"readout_format": f".{control.decimals}f"} if kind == "float" else {}
            widget = cls(value=value, min=min(control.low, value), max=max(high, value),
                         step=control.step, continuous_update=True, **extra)
        elif kind == "choice":
            widget = w.Dropdown(options=[(option_label(control.path, o, lang), o)
                                         for o in control.options], value=value)
        elif kind == "bool":
            widget = w.Checkbox(value=bool(value), indent=False)
        else:  # group_by
            presets = list(GROUP_BY_PRESETS)
            if tuple(value) not in presets:
                presets.append(tuple(value))
            widget = w.Dropdown(options=[(group_by_label(p, lang), p) for p in presets],
                                value=tuple(value))
        widget.layout.width = "16em"
        widget.tooltip = tooltip(control.path, lang)
        widget.add_class(css_class(control.path))
        return widget

    def _labelled(self, path: str, widget: w.Widget, text: str | None = None) -> w.Widget:
        text = text or labels.parameter_label(path, self.lang)
        name = w.HTML(f"<span title='{html.escape(tooltip(path, self.lang))}'>{html.escape(text)}</span>",
                      layout=w.Layout(width="10em"))
        source = w.HTML(f"<span class='titlesim-source' style='color:#777;font-size:85%'>"
                        f"{html.escape(source_text(path, self.lang))}</span>",
                        layout=w.Layout(width="4em"))
        row = w.HBox([name, widget, source], layout=w.Layout(align_items="center"))
        row.add_class("titlesim-control-row")
        return row

    def _section(self, name: str, rows: list) -> w.Accordion:
        title = labels.label("ui", f"whatif.section.{name}", self.lang)
        box = w.VBox(rows)
        section = w.Accordion(children=[box], titles=(title,),
                              selected_index=0 if name in OPEN_SECTIONS else None)
        section.add_class(f"titlesim-section-{name}")
        return section

    def rows(self) -> list[w.Widget]:
        """Every control row, section by section."""
        return [row for section in self.sections.values() for row in section.children[0].children]

    # -------------------------------------------------------------- callbacks
    def _changed(self, control: Control, value) -> None:
        if self._quiet:
            return
        if control.path.startswith(POSTS_PICK + ".") and self._refuse_posts(control, value):
            return
        self.last_changed = self.concrete(control.path)
        self.values[self.last_changed] = control.normalise(value)
        self.on_change(self.changes())

    def _refuse_posts(self, control: Control, value) -> bool:
        """A share that makes the unit type's posts add up to more than 1 is refused: the
        slider goes back to the most it may be, and the user is told why."""
        unit = self.picker.value
        others = sum(self.values[f"posts.structure.{unit}.{level}"] for level in POST_LEVELS
                     if not control.path.endswith("." + level))
        if value + others <= 1 + 1e-9:
            return False
        most = control.normalise(max(math.floor((1 - others) / control.step + 1e-6) * control.step, 0.0))
        self.widgets[control.path].value = most  # calls _changed again with an allowed value
        if self.on_refused:
            self.on_refused(msg("whatif.posts_over_one", self.lang,
                                unit=labels.label("unit_type", unit, self.lang), most=most))
        return True

    def _show_unit_type(self, _change) -> None:
        self._quiet = True
        try:
            for control in CONTROLS:
                if control.path.startswith(POSTS_PICK + "."):
                    value = self.values[self.concrete(control.path)]
                    slider = self.widgets[control.path]
                    slider.max = max(slider.max, value)
                    slider.value = value
        finally:
            self._quiet = False
