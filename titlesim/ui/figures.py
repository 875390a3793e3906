"""The four live panels of the what-if view as SVG, from :class:`~titlesim.ui.panels.Panels`,
each with the 90 % interval over replicates (whiskers or bands)."""
from __future__ import annotations

import numpy as np

from titlesim import labels
from titlesim.i18n import msg
from titlesim.ui.panels import Panels
from titlesim.ui.svg import COLORS, MUTED, Series, diverging_bars, line_chart, stacked_bars


def _ui(key: str, lang: str) -> str:
    return labels.label("ui", f"whatif.{key}", lang)


def titled_by_route(p: Panels, lang: str) -> str:
    f = p.titled_by_route
    return stacked_bars(
        _ui("panel.titled_by_route", lang), f["year"].tolist(),
        [Series(labels.label("scope", "general", lang), f["general"].to_numpy(), COLORS[0]),
         Series(labels.label("scope", "grassroots", lang), f["directed"].to_numpy(), COLORS[1])],
        overlay=Series(_ui("loaded", lang), f["loaded_total"].to_numpy(), MUTED, dashed=True),
        interval=(interval_label(lang), f["total_lo"].to_numpy(), f["total_hi"].to_numpy()), digits=0)


def interval_label(lang: str) -> str:
    return msg("whatif.interval90", lang)


def ratio_line(p: Panels, lang: str) -> str:
    f = p.ratio_line
    return line_chart(
        _ui("panel.ratio_line", lang), f["year"].tolist(),
        [Series(_ui("line_mean", lang), f["mean"].to_numpy(), COLORS[0]),
         Series(_ui("loaded", lang), f["loaded_mean"].to_numpy(), MUTED, dashed=True)],
        hline=(labels.parameter_label("passline.provincial_standard", lang),
               float(f["standard"].iloc[0])),
        band=(_ui("line_band", lang), f["low"].to_numpy(), f["high"].to_numpy()),
        from_zero=False, empty_text=_ui("no_line", lang))


def post_queue(p: Panels, lang: str) -> str:
    f = p.post_queue
    loaded = _ui("loaded", lang)
    return line_chart(
        _ui("panel.post_queue", lang), f["year"].tolist(),
        [Series(_ui("grassroots_units", lang), f["grassroots"].to_numpy(), COLORS[1],
                lo=f["grassroots_lo"].to_numpy(), hi=f["grassroots_hi"].to_numpy()),
         Series(_ui("other_units", lang), f["other"].to_numpy(), COLORS[0],
                lo=f["other_lo"].to_numpy(), hi=f["other_hi"].to_numpy()),
         Series(loaded, f["loaded_grassroots"].to_numpy(), COLORS[1], True, in_legend=False),
         Series(loaded, f["loaded_other"].to_numpy(), COLORS[0], True, in_legend=False)],
        note=Series(loaded, np.array([]), MUTED, dashed=True), digits=0)


def county_change(p: Panels, lang: str) -> str:
    f = p.county_change
    return diverging_bars(_ui("panel.county_change", lang), f["label"].tolist(), f["change"].to_numpy(),
                          lo=f["change_lo"].to_numpy(), hi=f["change_hi"].to_numpy(),
                          note=msg("whatif.county_note", lang), digits=0)


PANELS = {"titled_by_route": titled_by_route, "ratio_line": ratio_line,
          "post_queue": post_queue, "county_change": county_change}


def panel_svgs(p: Panels, lang: str = "zh") -> dict[str, str]:
    return {name: draw(p, lang) for name, draw in PANELS.items()}
