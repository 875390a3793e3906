"""Pin and compare: results kept from the what-if view, side by side with their settings.

A pin holds the control values it was made with and the summaries behind its figures.
Pins share their random numbers (every scenario uses the same seed), so the difference
between a pin and the first one is taken replicate by replicate, with its 90 % interval.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from titlesim import labels
from titlesim.compare.impact import summarise
from titlesim.compare.outcomes import headline as headline_outcomes
from titlesim.i18n import msg
from titlesim.paramdoc import format_value
from titlesim.ui.panels import Panels, shown_change
from titlesim.ui.summary import Summary
from titlesim.ui.tables import change_text


@dataclass(frozen=True)
class Pin:
    name: str
    changes: dict  # {key path: value} differing from the scenario as loaded
    panels: Panels
    current: Summary
    loaded: Summary


def _cell(text: str, differs: bool = False, css: str = "") -> str:
    classes = " ".join(c for c in (css, "titlesim-differs" if differs else "") if c)
    return f"<td class='{classes}'>{html.escape(text)}</td>"


def setting_text(key: str, value, lang: str) -> str:
    """A control's value as the control shows it: an option by its label (向下取整, not
    ``floor``), a grouping by its columns, yes or no, else the number."""
    from titlesim.ui.controls import group_by_label, option_label
    if isinstance(value, bool):
        return msg("whatif.yes" if value else "whatif.no", lang)
    if isinstance(value, (list, tuple)):
        return group_by_label(value, lang)
    if isinstance(value, str):
        text = option_label(key, value, lang)
        return value if text == f"{key}={value}" else text
    return format_value(value)


def pins_table(pins: list[Pin], loaded_values: dict, lang: str) -> str:
    """Settings (every key any pin changed; cells that differ between pins marked) and the
    headline outcomes of each pin, with each pin's paired difference from the first."""
    if not pins:
        return msg("whatif.no_pins", lang)
    head = "".join(f"<th>{html.escape(p.name)}</th>" for p in pins)
    keys = sorted({k for p in pins for k in p.changes})
    rows = [f"<tr><th>{html.escape(msg('whatif.col.setting', lang))}</th>"
            f"<th>{html.escape(labels.label('ui', 'whatif.loaded', lang))}</th>{head}</tr>"]
    for key in keys:
        values = [p.changes.get(key, loaded_values[key]) for p in pins]
        differs = len({format_value(v) for v in values}) > 1
        rows.append("<tr>" + _cell(labels.parameter_label(key, lang))
                    + _cell(setting_text(key, loaded_values[key], lang))
                    + "".join(_cell(setting_text(key, v, lang), differs) for v in values) + "</tr>")
    if not keys:
        rows.append(f"<tr><td colspan='{len(pins) + 2}'>{html.escape(msg('whatif.pins_same', lang))}</td></tr>")
    first = pins[0]
    diff_head = "".join(f"<th>{html.escape(msg('whatif.col.minus_first', lang, name=p.name, first=first.name))}</th>"
                        for p in pins[1:])
    out = [f"<tr><th>{html.escape(msg('whatif.col.outcome', lang))}</th>"
           f"<th>{html.escape(labels.label('ui', 'whatif.loaded', lang))}</th>{head}{diff_head}</tr>"]
    for outcome in headline_outcomes():
        h0 = first.panels.headline(outcome.name)
        cells = [_cell(h0.label), _cell(h0.base_text)]
        cells += [_cell(f"{p.panels.headline(outcome.name).value_text} {p.panels.headline(outcome.name).value_interval}")
                  for p in pins]
        for p in pins[1:]:
            n = min(p.current.n, first.current.n)
            mean, lo, hi = summarise(p.current.over_horizon(outcome)[:n] - first.current.over_horizon(outcome)[:n])
            # as worked out from the shown values, the interval holding it (docs/guide.md)
            mean = shown_change(p.panels.headline(outcome.name).value, h0.value, float(mean), h0.digits)
            cells.append(_cell(change_text(mean, lo, hi, n, lambda x: h0.text(float(x), sign=True),
                                           h0.digits)))
        out.append("<tr>" + "".join(cells) + "</tr>")
    note = msg("whatif.pins_about", lang)
    return (f"<p style='color:#555'>{html.escape(note)}</p>"
            f"<table class='titlesim-table titlesim-pins-settings'>{''.join(rows)}</table><br>"
            f"<table class='titlesim-table titlesim-pins-outcomes'>{''.join(out)}</table>")
