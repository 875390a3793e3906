"""The trade-off figure: every candidate evaluated, placed by what it attains.

Two targets or more: the first target across, the second up. One target: the target
across, the cost up (the outcome minimised, or the change from the scenario). Candidates
that meet every target are filled, the others hollow; the answer is a star with its
90 % intervals, the runner-up a diamond; dashed lines mark the target values. Chinese
labels by default.
"""
from __future__ import annotations

from titlesim.compare.figures import _figure, save
from titlesim.i18n import msg

MET, UNMET, CHOSEN, RUNNER_UP = "#2a7f62", "#b5442c", "#1f3b73", "#d08c19"


def tradeoff(plan, lang: str | None = None):
    """A :class:`matplotlib.figure.Figure` of the plan's candidates."""
    from titlesim.i18n import current_language
    lang = lang or current_language()
    frame = plan.candidates
    fig = _figure((7.5, 5.0))
    ax = fig.add_subplot()
    first = plan.targets[0]
    x, x_label = "target1", first.label(lang)
    if len(plan.targets) > 1:
        y, y_label, y_line = "target2", plan.targets[1].label(lang), plan.targets[1]
    elif plan.objective.least_change:
        y, y_label, y_line = "change", msg("plan_change_axis", lang), None
    else:
        from titlesim.compare.outcomes import get
        outcome = get(plan.objective.outcome)
        y, y_label, y_line = "cost", f"{outcome.label(lang)} ({outcome.unit_label(lang)})", None
        if plan.objective.year is not None:
            y_label = msg("plan_in_year", lang, name=y_label, year=plan.objective.year)
    ys = frame[f"{y}_mean"] if y != "change" else frame["change"]
    met = frame["feasible"].to_numpy(bool)
    ax.scatter(frame[f"{x}_mean"][met], ys[met], s=22, color=MET,
               label=msg("plan_legend_met", lang))
    ax.scatter(frame[f"{x}_mean"][~met], ys[~met], s=22, facecolors="none", edgecolors=UNMET,
               label=msg("plan_legend_unmet", lang))
    _mark(ax, frame, plan.answer.runner_up, x, y, RUNNER_UP, "D", msg("plan_legend_runner_up", lang))
    _mark(ax, frame, plan.answer.best, x, y, CHOSEN, "*",
          msg("plan_legend_best" if plan.feasible else "plan_legend_closest", lang), size=220)
    ax.axvline(first.value, color="#555555", linestyle="--", linewidth=1)
    if y_line is not None:
        ax.axhline(y_line.value, color="#555555", linestyle="--", linewidth=1)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    ax.set_title(msg("plan_figure_title", lang, n=len(frame)))
    return fig


def _mark(ax, frame, candidate, x, y, color, marker, text, size=80):
    if candidate is None:
        return
    row = frame.loc[candidate]
    xv = row[f"{x}_mean"]
    yv = row["change"] if y == "change" else row[f"{y}_mean"]
    xerr = [[xv - row[f"{x}_lo"]], [row[f"{x}_hi"] - xv]]
    yerr = None if y == "change" else [[yv - row[f"{y}_lo"]], [row[f"{y}_hi"] - yv]]
    ax.errorbar([xv], [yv], xerr=xerr, yerr=yerr, color=color, linewidth=1, capsize=3, zorder=3)
    ax.scatter([xv], [yv], s=size, marker=marker, color=color, zorder=4, label=text)


def write_figure(plan, folder, lang: str | None = None) -> list:
    """``tradeoff.png`` and ``tradeoff.svg`` in ``folder``."""
    return save(tradeoff(plan, lang), folder, "tradeoff")
