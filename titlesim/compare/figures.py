"""The comparison's figures (Chinese labels by default, English with ``lang="en"``):

- :func:`outcome_over_time`: an outcome year by year under every scenario, the line the
  mean over replicates and the band the middle 90 % of replicates;
- :func:`difference_band`: each revision minus the base, year by year, with the 90 %
  band of the paired difference;
- :func:`county_gains`: per county, the change of the title rate over the horizon
  (percentage points) with its 90 % interval: who gains and who loses.

Each returns a :class:`matplotlib.figure.Figure` (not registered with pyplot, so many can
be made without leaking); Jupyter shows it as it is, :func:`save` writes PNG and SVG.
"""
from __future__ import annotations

import numpy as np

from titlesim import labels
from titlesim.figurefiles import save  # noqa: F401  (stem.png and stem.svg)
from titlesim.compare.impact import PEOPLE, summarise
from titlesim.compare.outcomes import get, values

SIZE = (7.5, 4.2)
GAIN, LOSS, UNCLEAR = "#2a7f62", "#b5442c", "#9a9a9a"


def _figure(size=SIZE):
    from matplotlib.figure import Figure
    from titlesim.fonts import use_cjk_font
    use_cjk_font()
    return Figure(figsize=size, layout="constrained")


def _text(lang: str, zh: str, en: str) -> str:
    return zh if labels.check_language(lang) == "zh" else en


def outcome_over_time(cmp, outcome: str, lang: str = "zh"):
    """The outcome per year for each scenario: mean line and 90 % band over replicates."""
    o = get(outcome)
    fig = _figure()
    ax = fig.add_subplot()
    years = cmp.years
    for i, (name, result) in enumerate(cmp.results.items()):
        mean, lo, hi = summarise(values(result, o)[0][:, :-1, 0])
        color = f"C{i}"
        ax.fill_between(years, lo, hi, color=color, alpha=0.18, linewidth=0)
        ax.plot(years, mean, color=color, marker="o", markersize=3,
                linestyle="-" if i == 0 else "--", label=_title(cmp, name, lang))
    _decorate(ax, lang, o.unit_label(lang), o.unit in PEOPLE)
    ax.set_title(o.label(lang))
    ax.legend(title=_text(lang, "情景（带状区间：90%重复）", "scenario (band: 90% of replicates)"),
              fontsize="small", title_fontsize="small")
    return fig


def difference_band(cmp, outcome: str, lang: str = "zh"):
    """Each revision minus the base, per year: mean paired difference and its 90 % band."""
    o = get(outcome)
    fig = _figure()
    ax = fig.add_subplot()
    years = cmp.years
    base = values(cmp.results[cmp.base_name], o)[0][:, :-1, 0]
    for i, name in enumerate(cmp.revision_names, start=1):
        mean, lo, hi = summarise(values(cmp.results[name], o)[0][:, :-1, 0] - base)
        ax.fill_between(years, lo, hi, color=f"C{i}", alpha=0.2, linewidth=0)
        ax.plot(years, mean, color=f"C{i}", marker="o", markersize=3, label=_title(cmp, name, lang))
    ax.axhline(0, color="black", linewidth=0.8)
    unit = labels.label("unit", "percentage_points", lang) if o.unit == "percent" else o.unit_label(lang)
    _decorate(ax, lang, unit, o.unit in PEOPLE)
    ax.set_title(_text(lang, f"{o.label(lang)}：修订方案减基准", f"{o.label(lang)}: revision minus base"))
    base_title = _title(cmp, cmp.base_name, lang)
    ax.legend(title=_text(lang, f"与“{base_title}”的配对差（带状区间：90%）",
                          f"paired difference from {base_title} (band: 90%)"),
              fontsize="small", title_fontsize="small")
    return fig


def county_gains(cmp, lang: str = "zh", rate: str = "title_rate"):
    """Per county and revision: the change of ``rate`` over the horizon, with its 90 %
    interval; green where the county gains, red where it loses, grey where unclear."""
    o = get(rate)
    table = cmp.equity
    rows = table[(table["rate"] == rate) & (table["dimension"] == "county")
                 & (table["scenario"] != cmp.base_name)]
    counties = list(dict.fromkeys(rows["group"]))
    revisions = cmp.revision_names
    columns = min(len(revisions), 3)
    panel_rows = -(-len(revisions) // columns)
    fig = _figure((max(7.5, 3.4 * columns), 1.0 + panel_rows * (0.6 + 0.3 * len(counties))))
    axes = fig.subplots(panel_rows, columns, sharey=True, squeeze=False).ravel()
    for ax in axes[len(revisions):]:
        ax.set_visible(False)
    for ax, name in zip(axes, revisions):
        r = rows[rows["scenario"] == name].set_index("group").reindex(counties)
        colors = [{"gains": GAIN, "loses": LOSS}.get(c, UNCLEAR) for c in r["change"]]
        y = np.arange(len(counties))
        err = np.vstack([r["diff_mean"] - r["diff_lo"], r["diff_hi"] - r["diff_mean"]])
        ax.barh(y, r["diff_mean"], color=colors, xerr=err, ecolor="#444444", capsize=2)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_title(_title(cmp, name, lang), fontsize="medium")
        ax.set_yticks(y, [labels.label("county", c, lang) for c in counties])
        ax.set_xlabel(labels.label("unit", "percentage_points", lang))
        ax.grid(axis="x", alpha=0.3)
    axes[0].invert_yaxis()  # the y axis is shared: first county on top
    fig.suptitle(_text(lang, f"各县（市、区）{o.label(lang)}的变化（误差线：90%配对差）",
                       f"Change of the {o.label(lang)} by county (bars: 90% of paired differences)"))
    return fig


def _decorate(ax, lang, unit: str, people: bool = False) -> None:
    """Years on the x axis; ``people``: counts of people on the y axis, ticks whole (no
    half a person where a difference is small)."""
    ax.set_xlabel(labels.label("column", "year", lang))
    ax.set_ylabel(unit)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if people:  # whole ticks need two whole numbers in view: a flat difference spans -1 to 1
        low, high = ax.get_ylim()
        if high - low < 2:
            middle = (low + high) / 2
            ax.set_ylim(middle - 1, middle + 1)
        ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(alpha=0.3)


def all_figures(cmp, lang: str = "zh"):
    """(file stem, figure) for every figure of the comparison folder."""
    from titlesim.compare.outcomes import headline
    for o in headline():
        yield f"{o.name}_over_time", outcome_over_time(cmp, o.name, lang)
        yield f"{o.name}_difference", difference_band(cmp, o.name, lang)
    yield "county_gains_title_rate", county_gains(cmp, lang, "title_rate")


def _title(cmp, name: str, lang: str = "zh") -> str:
    """A scenario as people know it: its title in the figure's language, else its file
    name."""
    return cmp.scenarios[name].title_in(lang)
