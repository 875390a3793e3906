"""The what-if view's tables: the equity view (titles by grassroots status, unit type and
specialty) and the per-year table of the headline outcomes, each figure with the paired
change against the scenario as loaded and its 90 % interval."""
from __future__ import annotations

import html

import numpy as np

from titlesim import labels
from titlesim.compare.outcomes import get
from titlesim.i18n import msg
from titlesim.shown_interval import shown_interval
from titlesim.ui.panels import EQUITY_DIMENSIONS, Headline, Panels, format_count, shown_change


def _table(columns: dict[str, list[str]], css: str) -> str:
    """A table of text columns (header: column), written as pandas'
    ``DataFrame(columns).to_html(index=False, classes=..., border=0)`` writes it, the same
    text (``tests/test_ui_tables.py``), in a tenth of the time (a full result's two tables
    took 25 ms through pandas)."""
    header = "".join(f"      <th>{_cell(name)}</th>\n" for name in columns)
    body = "".join("    <tr>\n" + "".join(f"      <td>{_cell(v)}</td>\n" for v in row) + "    </tr>\n"
                   for row in zip(*columns.values()))
    return (f'<table class="dataframe titlesim-table {css}">\n  <thead>\n'
            f'    <tr style="text-align: right;">\n{header}    </tr>\n  </thead>\n'
            f"  <tbody>\n{body}  </tbody>\n</table>")


_ESCAPED = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\t": r"\t", "\n": r"\n", "\r": r"\r"})


def _cell(text: str) -> str:
    """A cell's text as pandas writes it: escaped, stripped (a leading full-width space
    too), double spaces kept."""
    return str(text).translate(_ESCAPED).strip().replace("  ", "&nbsp;&nbsp;")


def change_text(mean: float, lo: float, hi: float, n: int, fmt=None, digits: int = 0) -> str:
    """``+12 [+8, +16]`` (no interval with fewer than two replicates), the interval
    holding the shown change (``digits`` decimals, docs/guide.md)."""
    fmt = fmt or (lambda x: format_count(x, sign=True))
    if not np.isfinite(mean):
        return "–"
    if n < 2 or not (np.isfinite(lo) and np.isfinite(hi)):
        return fmt(mean)
    mean, lo, hi = shown_interval(mean, lo, hi, digits)
    return f"{fmt(mean)} [{fmt(lo)}, {fmt(hi)}]"


def equity_tables(p: Panels, lang: str) -> str:
    """Three tables: who gains or loses titles, by grassroots status, unit type, specialty."""
    if not p.equity:
        return ""
    parts = [f"<p style='color:#555'>{html.escape(msg('whatif.equity_about', lang, n=p.replicates))}</p>"]
    for dimension in EQUITY_DIMENSIONS:
        f = p.equity[dimension]
        columns = {
            msg(f"whatif.equity.{dimension}", lang): list(f["group"]),
            msg("whatif.col.current", lang): [format_count(v) for v in f["current"]],
            msg("whatif.col.loaded", lang): [format_count(v) for v in f["loaded"]],
            msg("whatif.col.change", lang): [change_text(shown_change(c, old, m), lo, hi, p.replicates)
                                             for c, old, m, lo, hi in zip(f["current"], f["loaded"], f["change"],
                                                                          f["change_lo"], f["change_hi"])],
            msg("whatif.col.per_100", lang): ["–" if not np.isfinite(v) else f"{v:.1f}" for v in f["per_100_applied"]],
        }
        parts.append(f"<h4 style='margin:8px 0 2px'>{html.escape(msg(f'whatif.equity.{dimension}.title', lang))}</h4>"
                     + _table(columns, f"titlesim-equity-{dimension}"))
    return "".join(parts)


def per_year_table(p: Panels, lang: str) -> str:
    """Each headline outcome per year (rows: the outcome and its change; columns: years)."""
    if p.per_year is None:
        return ""
    f = p.per_year
    # the figures as arrays (a cell read through pandas costs ~50 µs, a group-by ~2 ms)
    outcome, year = f["outcome"].to_numpy(), f["year"].to_numpy()
    current, change, lo, hi = (f[c].to_numpy() for c in ("current", "change", "change_lo", "change_hi"))
    years = sorted(set(year.tolist()))
    rows = []
    for name in dict.fromkeys(outcome.tolist()):  # in the order of the headline
        at = np.flatnonzero(outcome == name)
        row = dict(zip(year[at].tolist(), at.tolist()))  # year -> row of the frame
        unit = get(name).unit
        h = Headline(name, "", unit, 0.0, 0.0, "" if lang == "zh" else " "
                     + labels.label("unit", "percentage_points", lang))
        label = get(name).label(lang)
        rows.append([label] + [h.text(current[row[y]]) for y in years])
        rows.append([f"　{msg('whatif.col.change', lang)}"] + [
            change_text(change[row[y]], lo[row[y]], hi[row[y]],
                        p.replicates, lambda x: h.text(x, sign=True), h.digits) for y in years])
    columns = dict(zip([msg("whatif.col.outcome", lang), *map(str, years)], zip(*rows)))
    note = msg("whatif.per_year_about", lang, n=p.replicates)
    return f"<p style='color:#555'>{html.escape(note)}</p><div style='overflow-x:auto'>" \
        + _table(columns, "titlesim-per-year-table") + "</div>"
