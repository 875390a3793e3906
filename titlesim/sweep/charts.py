"""Charts of a sweep and of a sensitivity analysis (Chinese labels by default, English
with ``lang="en"``), all of the outcome over the whole horizon:

- :func:`outcome_against`: the outcome against one parameter, one line per value of the
  others, the line the mean over replicates and the band their 5th-95th percentile (on a
  sampled grid, one marker per point with the same interval as a bar, one colour per
  value of the listed parameters);
- :func:`heat_map`: the mean outcome over a full grid of two parameters;
- :func:`tornado`: the sensitivity indices, largest first.

Each returns a :class:`matplotlib.figure.Figure` (not registered with pyplot); :func:`save`
writes PNG and SVG.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from titlesim import labels
from titlesim.figurefiles import save  # noqa: F401  (stem.png and stem.svg)
from titlesim.compare.outcomes import get

SIZE = (7.5, 4.4)
LOW_Q, HIGH_Q = 0.05, 0.95


def _figure(size=SIZE):
    from matplotlib.figure import Figure
    from titlesim.fonts import use_cjk_font
    use_cjk_font()
    return Figure(figsize=size, layout="constrained")


def ui(key: str, lang: str, **fields) -> str:
    return labels.label("ui", key, lang).format(**fields)


def value_text(path: str, value, lang: str) -> str:
    """A parameter value as users read it (an option's label, a number without noise)."""
    if isinstance(value, (float, np.floating)):
        return f"{value:g}"
    return labels.label("option", f"{path}={value}", lang) if isinstance(value, str) else str(value)


def outcome_title(outcome: str, lang: str) -> str:
    o = get(outcome)
    return ui("sweep.title", lang, outcome=o.label(lang),
              horizon=labels.label("over_horizon", o.over_horizon, lang))


def outcome_axis(outcome: str, lang: str) -> str:
    o = get(outcome)
    return f"{o.label(lang)}（{o.unit_label(lang)}）" if lang == "zh" else \
        f"{o.label(lang)} ({o.unit_label(lang)})"


def per_point(totals: pd.DataFrame, outcome: str, paths: list[str]) -> pd.DataFrame:
    """Per point: its parameter values and the outcome's mean, 5th and 95th percentile
    over replicates."""
    grouped = totals.groupby("point", sort=True)
    summary = grouped[paths].first()
    summary["mean"] = grouped[outcome].mean()
    summary["lo"] = grouped[outcome].quantile(LOW_Q)
    summary["hi"] = grouped[outcome].quantile(HIGH_Q)
    return summary.reset_index()


def outcome_against(totals: pd.DataFrame, x: str, outcome: str, by: list[str] = (),
                    lang: str = "zh", markers: bool = False):
    """The outcome against parameter ``x``, one line per combination of the ``by``
    parameters; with ``markers`` (a sampled grid) one marker per point instead of lines."""
    by = [p for p in by if p != x]
    s = per_point(totals, outcome, [x, *by])
    numeric = pd.api.types.is_numeric_dtype(s[x]) and not pd.api.types.is_bool_dtype(s[x])
    order = sorted(s[x].unique(), key=lambda v: (str(type(v)), v))
    position = (lambda v: v) if numeric else (lambda v: order.index(v))
    fig = _figure()
    ax = fig.add_subplot()
    groups = s.groupby(by, sort=True) if by else [((), s)]
    for i, (values, group) in enumerate(groups):
        values = values if isinstance(values, tuple) else (values,)
        name = ("，" if lang == "zh" else ", ").join(
            f"{labels.parameter_label(p, lang)} = {value_text(p, v, lang)}"
            for p, v in zip(by, values)) if by else ui("sweep.mean", lang)
        group = group.sort_values(x, key=lambda c: c.map(position))
        xs = group[x].map(position).to_numpy(dtype=float)
        if markers:
            ax.errorbar(xs, group["mean"], capsize=2, color=f"C{i}", label=name, alpha=0.85,
                        yerr=[group["mean"] - group["lo"], group["hi"] - group["mean"]],
                        fmt="o", markersize=4)
        else:
            ax.fill_between(xs, group["lo"], group["hi"], color=f"C{i}", alpha=0.18, linewidth=0)
            ax.plot(xs, group["mean"], color=f"C{i}", marker="o", markersize=3, label=name)
    if not numeric:
        ax.set_xticks(range(len(order)), [value_text(x, v, lang) for v in order])
    ax.set_xlabel(labels.parameter_label(x, lang))
    ax.set_ylabel(outcome_axis(outcome, lang))
    ax.set_title(outcome_title(outcome, lang))
    ax.grid(alpha=0.3)
    ax.legend(title=ui("sweep.interval" if markers else "sweep.band", lang), fontsize="small",
              title_fontsize="small")
    return fig


def heat_map(totals: pd.DataFrame, x: str, y: str, outcome: str, lang: str = "zh"):
    """The mean outcome over the replicates at each cell of a two-parameter full grid."""
    s = per_point(totals, outcome, [x, y])
    grid = s.pivot_table(index=y, columns=x, values="mean", aggfunc="mean", sort=True)
    fig = _figure((7.5, 5.0))
    ax = fig.add_subplot()
    image = ax.imshow(grid.to_numpy(), origin="lower", aspect="auto", cmap="viridis")
    ax.set_xticks(range(grid.shape[1]), [value_text(x, v, lang) for v in grid.columns])
    ax.set_yticks(range(grid.shape[0]), [value_text(y, v, lang) for v in grid.index])
    unit = get(outcome).unit
    for (row, col), value in np.ndenumerate(grid.to_numpy()):
        if not np.isnan(value):
            text = f"{value:,.0f}" if unit in ("persons", "sittings") else f"{value:,.2f}"  # people whole
            bright = image.norm(value) > 0.6
            ax.text(col, row, text, ha="center", va="center", fontsize="x-small",
                    color="black" if bright else "white")
    ax.set_xlabel(labels.parameter_label(x, lang))
    ax.set_ylabel(labels.parameter_label(y, lang))
    o = get(outcome)
    ax.set_title(ui("sweep.heat_title", lang, outcome=o.label(lang),
                    horizon=labels.label("over_horizon", o.over_horizon, lang)))
    fig.colorbar(image, ax=ax, label=outcome_axis(outcome, lang))
    return fig


# each sensitivity index's name, as the tornado chart's legend and the printed ranking give it
INDEX_LABELS = {"ST": "sensitivity.total", "S1": "sensitivity.first", "mu_star": "sensitivity.mu_star"}


def tornado(table: pd.DataFrame, method: str, outcome: str, lang: str = "zh"):
    """Sensitivity indices as horizontal bars, the parameter that matters most on top."""
    fig = _figure((7.5, 1.6 + 0.5 * len(table)))
    ax = fig.add_subplot()
    rows = np.arange(len(table))[::-1]
    names = [labels.parameter_label(p, lang) for p in table["parameter"]]
    from titlesim.sweep.sensitivity import index_interval

    def bars(index: str, shift: float, height: float, color: str) -> None:
        values = table[index].to_numpy(dtype=float)
        low, high = np.array([index_interval(v, c) for v, c in
                              zip(values, table[index + "_conf"])]).reshape(-1, 2).T
        # error bars: the interval, never below 0 (index_interval)
        ax.barh(rows + shift, values, height=height, color=color, capsize=3, label=ui(INDEX_LABELS[index], lang),
                xerr=np.vstack([np.maximum(values - low, 0), np.maximum(high - values, 0)]))
    if method == "sobol":
        bars("ST", 0.18, 0.34, "C0")
        bars("S1", -0.18, 0.34, "C1")
    else:
        bars("mu_star", 0.0, 0.6, "C0")
    ax.set_yticks(rows, names)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_title(ui("sensitivity.title", lang, outcome=get(outcome).label(lang)))
    # Morris effects are in the outcome's unit (over each parameter's whole range)
    ax.set_xlabel(ui("sensitivity.index", lang) if method == "sobol" else
                  f"μ* ({get(outcome).unit_label(lang)})")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(title=ui("sensitivity.conf", lang), fontsize="small", title_fontsize="small")
    return fig


def sweep_charts(totals: pd.DataFrame, paths: list[str], outcomes, folder: Path,
                 lang: str = "zh", sampled: tuple[str, ...] = ()) -> list[Path]:
    """For each outcome: against the first swept number (else the first parameter), one
    line per combination of the other listed parameters (``sampled``: the parameters drawn
    from ranges, shown as markers); on a full grid of two parameters, also a heat map."""
    varied = [p for p in paths if totals[p].nunique() > 1]
    if not varied:
        return []
    numbers = [p for p in varied if pd.api.types.is_numeric_dtype(totals[p])
               and not pd.api.types.is_bool_dtype(totals[p])]
    x = (numbers or varied)[0]
    by = [p for p in varied if p != x and p not in sampled]
    written = []
    for outcome in outcomes:
        fig = outcome_against(totals, x, outcome, by, lang, markers=bool(sampled))
        written += save(fig, folder, outcome)
        if not sampled and len(varied) == 2:
            written += save(heat_map(totals, x, by[0], outcome, lang), folder, f"{outcome}_heatmap")
    return written
