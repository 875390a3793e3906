"""Figure helpers: Chinese glyphs, reproducible files, and the few chart shapes the
report uses (lines with a 90 % band over years, horizontal bars by group).

Figures are :class:`matplotlib.figure.Figure` objects, never registered with pyplot, so a
report can make many without leaking memory or popping windows.
"""
from __future__ import annotations

import io

import numpy as np
import pandas as pd

from titlesim import figurefiles
from titlesim.fonts import use_cjk_font
from titlesim.report.words import column_label, value_label

SIZE = (7.5, 4.2)
DPI = figurefiles.DPI


def new_figure(size=SIZE):
    from matplotlib.figure import Figure
    use_cjk_font()
    return Figure(figsize=size, layout="constrained")


def png_bytes(fig) -> bytes:
    buffer = io.BytesIO()
    figurefiles.png(fig, buffer, DPI)
    return buffer.getvalue()


def lines_over_years(data: pd.DataFrame, series: str, lang: str, ylabel: str,
                     reference: tuple[float, str] | None = None, size=SIZE):
    """One line per value of ``series`` (mean over replicates, with its 90 % band when
    ``lo``/``hi`` are given) against ``year``; an optional dashed reference line."""
    fig = new_figure(size)
    ax = fig.add_subplot()
    for i, (key, rows) in enumerate(data.groupby(series, sort=False)):
        color = f"C{i % 10}"
        if {"lo", "hi"} <= set(rows) and rows["hi"].notna().any():
            ax.fill_between(rows["year"], rows["lo"], rows["hi"], color=color, alpha=0.18,
                            linewidth=0)
        ax.plot(rows["year"], rows["mean"], color=color, marker="o", markersize=3,
                label=_shown(series, key, lang))
    if reference is not None:
        ax.axhline(reference[0], color="black", linestyle="--", linewidth=1, label=reference[1])
    ax.set_xlabel(column_label("year", lang))
    ax.set_ylabel(ylabel)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", ncols=2 if data[series].nunique() > 6 else 1)
    return fig


def bars_by_group(data: pd.DataFrame, group: str, columns: list[str], lang: str, xlabel: str,
                  stacked: bool = False, errors: dict[str, tuple[str, str]] | None = None):
    """Horizontal bars, one row per ``group`` value, one colour per column (side by side,
    or ``stacked``); ``errors`` maps a column to its (lo, hi) columns."""
    n = len(data)
    fig = new_figure((SIZE[0], max(2.6, 0.9 + 0.28 * n * (1 if stacked else max(1, len(columns) * 0.6)))))
    ax = fig.add_subplot()
    y = np.arange(n)
    height = 0.8 if stacked else 0.8 / len(columns)
    left = np.zeros(n)
    for i, column in enumerate(columns):
        values = data[column].to_numpy(dtype=float)
        offset = y if stacked else y - 0.4 + height * (i + 0.5)
        xerr = None
        if errors and column in errors:
            lo, hi = errors[column]
            xerr = np.vstack([values - data[lo].to_numpy(float), data[hi].to_numpy(float) - values])
        ax.barh(offset, values, height=height, left=left if stacked else None, color=f"C{i}",
                xerr=xerr, ecolor="#444444", capsize=2, label=column_label(column, lang))
        if stacked:
            left = left + np.nan_to_num(values)
    ax.set_yticks(y, [_shown(group, v, lang) for v in data[group]])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", alpha=0.3)
    if len(columns) > 1:
        ax.legend(fontsize="small", loc="best")
    return fig


def _shown(column: str, value, lang: str) -> str:
    if column == "metric":
        return column_label(value, lang)
    return str(value_label(column, value, lang))
