"""The what-if view's tables: the equity view (titles by grassroots status, unit type and
specialty) and the per-year table of the headline outcomes, each figure with the paired
change against the scenario as loaded and its 90 % interval."""
from __future__ import annotations

import html

import numpy as np
import pandas as pd

from titlesim import labels
from titlesim.compare.outcomes import get
from titlesim.i18n import msg
from titlesim.ui.panels import EQUITY_DIMENSIONS, Headline, Panels, format_count


def _table(frame: pd.DataFrame, css: str) -> str:
    return frame.to_html(index=False, classes=f"titlesim-table {css}", border=0, escape=True)


def change_text(mean: float, lo: float, hi: float, n: int, fmt=None) -> str:
    """``+12.0 [+8.0, +15.5]`` (no interval with fewer than two replicates)."""
    fmt = fmt or (lambda x: format_count(x, sign=True))
    if not np.isfinite(mean):
        return "–"
    if n < 2 or not (np.isfinite(lo) and np.isfinite(hi)):
        return fmt(mean)
    return f"{fmt(mean)} [{fmt(lo)}, {fmt(hi)}]"


def equity_tables(p: Panels, lang: str) -> str:
    """Three tables: who gains or loses titles, by grassroots status, unit type, specialty."""
    if not p.equity:
        return ""
    parts = [f"<p style='color:#555'>{html.escape(msg('whatif.equity_about', lang, n=p.replicates))}</p>"]
    for dimension in EQUITY_DIMENSIONS:
        f = p.equity[dimension]
        frame = pd.DataFrame({
            msg(f"whatif.equity.{dimension}", lang): f["group"],
            msg("whatif.col.current", lang): [format_count(v) for v in f["current"]],
            msg("whatif.col.loaded", lang): [format_count(v) for v in f["loaded"]],
            msg("whatif.col.change", lang): [change_text(m, lo, hi, p.replicates) for m, lo, hi in
                                             zip(f["change"], f["change_lo"], f["change_hi"])],
            msg("whatif.col.per_100", lang): ["–" if not np.isfinite(v) else f"{v:.1f}" for v in f["per_100_applied"]],
        })
        parts.append(f"<h4 style='margin:8px 0 2px'>{html.escape(msg(f'whatif.equity.{dimension}.title', lang))}</h4>"
                     + _table(frame, f"titlesim-equity-{dimension}"))
    return "".join(parts)


def per_year_table(p: Panels, lang: str) -> str:
    """Each headline outcome per year (rows: the outcome and its change; columns: years)."""
    if p.per_year is None:
        return ""
    f = p.per_year
    years = sorted(f["year"].unique())
    rows = []
    for name, part in f.groupby("outcome", sort=False):
        # the figures as arrays, a row per year (a cell read through pandas costs ~50 µs)
        row = {y: i for i, y in enumerate(part["year"].to_numpy())}
        current, change, lo, hi = (part[c].to_numpy() for c in ("current", "change", "change_lo", "change_hi"))
        unit = get(name).unit
        h = Headline(name, "", unit, 0.0, 0.0, "" if lang == "zh" else " "
                     + labels.label("unit", "percentage_points", lang))
        label = get(name).label(lang)
        rows.append([label] + [h.text(current[row[y]]) for y in years])
        rows.append([f"　{msg('whatif.col.change', lang)}"] + [
            change_text(change[row[y]], lo[row[y]], hi[row[y]],
                        p.replicates, lambda x: h.text(x, sign=True)) for y in years])
    frame = pd.DataFrame(rows, columns=[msg("whatif.col.outcome", lang), *map(str, years)])
    note = msg("whatif.per_year_about", lang, n=p.replicates)
    return f"<p style='color:#555'>{html.escape(note)}</p><div style='overflow-x:auto'>" \
        + _table(frame, "titlesim-per-year-table") + "</div>"
