"""The outcomes a comparison reports, defined once, as data: how each is computed from
the additive counts of ``metrics.csv`` (docs/model.md, 输出 / Outputs).

An outcome is a sum of metrics over the cells that match ``where`` (a count), or such a
sum divided by another (a rate or share, multiplied by ``scale``). Rates and shares are
computed per replicate from that replicate's counts, never averaged across groups.
``over_horizon`` says how the ``total`` row over the years is formed: ``sum`` adds the years
(flows), ``end`` takes the last year (stocks and shares at the end of the horizon); a
rate whose parts are summed is the ratio of the summed parts.

Labels (zh, en) are in the one label table (kind ``outcome``, units kind ``unit``).

>>> OUTCOMES["senior_share_grassroots"].per
('headcount',)
>>> [o.name for o in headline()][:3]
['titled', 'titled_grassroots', 'passed_ratio_only']
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from titlesim import labels
from titlesim.metrics import METRICS

SENIOR = ("deputy_senior", "full_senior")
DIMENSIONS = ("county", "unit_type", "specialty", "grassroots")


@dataclass(frozen=True)
class Outcome:
    name: str
    count: tuple[str, ...]  # metrics summed for the value (or the numerator of a rate)
    unit: str  # a key of kind "unit" in the label table
    over_horizon: Literal["sum", "end"] = "sum"
    where: tuple[tuple[str, tuple], ...] = ()  # cells counted: (group column, allowed values)
    per: tuple[str, ...] = ()  # metrics summed for the denominator; empty for a count
    per_where: tuple[tuple[str, tuple], ...] | None = None  # default: the same cells as where
    scale: float = 1.0
    headline: bool = True
    how: str = field(default="", compare=False)  # how it is computed, in words (English)

    @property
    def is_rate(self) -> bool:
        return bool(self.per)

    def label(self, lang: str = "zh") -> str:
        return labels.label("outcome", self.name, lang)

    def unit_label(self, lang: str = "zh") -> str:
        return labels.label("unit", self.unit, lang)


_GRASSROOTS = (("grassroots", (True,)),)

OUTCOMES: dict[str, Outcome] = {o.name: o for o in (
    Outcome("titled", ("titled",), "persons",
            how="sum of titled"),
    Outcome("titled_grassroots", ("titled",), "persons", where=_GRASSROOTS,
            how="sum of titled in grassroots units"),
    Outcome("passed_ratio_only", ("passed_ratio_only",), "persons",
            how="sum of passed_ratio_only"),
    Outcome("exam_sittings", ("sat_exam",), "sittings",
            how="sum of sat_exam"),
    Outcome("passes_expired_unused", ("passes_expired_unused",), "persons",
            how="sum of passes_expired_unused"),
    Outcome("waiting", ("waiting",), "persons", over_horizon="end",
            how="waiting at year end; total: at the end of the horizon"),
    Outcome("years_waited", ("waiting_years",), "years", per=("hired",),
            how="waiting_years / hired: mean years waited by those hired; total: summed over the horizon, then divided"),
    Outcome("senior_share_grassroots", ("headcount",), "percent", over_horizon="end",
            where=_GRASSROOTS + (("level", SENIOR),), per=("headcount",), per_where=_GRASSROOTS,
            scale=100.0,
            how="100 x headcount at deputy or full senior level in grassroots units / headcount in grassroots units, at year end; total: at the end of the horizon"),
    Outcome("directed_lost_by_move", ("directed_lost_by_move",), "persons",
            how="sum of directed_lost_by_move"),
    Outcome("title_rate", ("titled",), "percent", per=("applied",), scale=100.0, headline=False,
            how="100 x titled / applied"),
    Outcome("pass_rate", ("passed_provincial", "passed_ratio_only"), "percent", per=("sat_exam",),
            scale=100.0, headline=False,
            how="100 x (passed_provincial + passed_ratio_only) / sat_exam"),
)}


def headline() -> list[Outcome]:
    """The headline outcomes, in report order."""
    return [o for o in OUTCOMES.values() if o.headline]


def get(name: str) -> Outcome:
    try:
        return OUTCOMES[name]
    except KeyError:
        raise ValueError(f"unknown outcome {name!r}; known: {', '.join(OUTCOMES)}") from None


def outcome_table(lang: str = "zh") -> pd.DataFrame:
    """The definitions as a table (for the report, the widgets and the workbook); ``how``
    says in ``lang`` how each is computed (kind ``outcome_how`` of the label table)."""
    rows = [(o.name, o.label("zh"), o.label("en"), o.unit, o.unit_label(lang), o.over_horizon,
             " + ".join(o.count), " + ".join(o.per), _where_text(o.where),
             _where_text(o.per_where if o.per_where is not None else o.where) if o.per else "",
             o.scale, o.headline, labels.label("outcome_how", o.name, lang))
            for o in OUTCOMES.values()]
    return pd.DataFrame(rows, columns=["outcome", "label_zh", "label_en", "unit", "unit_label",
                                       "over_horizon", "count", "per", "where", "per_where", "scale",
                                       "headline", "how"])


def _where_text(where) -> str:
    return "; ".join(f"{column} in {', '.join(map(str, allowed))}" for column, allowed in where)


def cells_in_words(where, lang: str = "zh") -> str:
    """The cells an outcome counts, in words of ``lang`` (the workbook's sheet; the CSV
    file keeps the documented codes of :func:`outcome_table`); no filter: all cells.

    >>> cells_in_words(OUTCOMES["senior_share_grassroots"].where, "zh")
    '基层：是；级别：副高级、正高级'
    >>> cells_in_words(OUTCOMES["senior_share_grassroots"].where, "en")
    'grassroots: yes; level: deputy senior, full senior'
    """
    if not where:
        return labels.label("cells", "all", lang)
    colon, between, within = ("：", "；", "、") if lang == "zh" else (": ", "; ", ", ")
    return between.join(
        labels.label("column", column, lang) + colon
        + within.join(labels.label(column, str(value), lang) for value in allowed)
        for column, allowed in where)


def metrics_in_words(metrics, lang: str = "zh") -> str:
    """Metrics added up, by their labels: ``达到省定合格标准人数 + 仅按比例合格人数``."""
    return " + ".join(labels.label("metric", m, lang) for m in metrics)


def definitions_in_words(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """:func:`outcome_table` with its metrics and cell filters in words of ``lang``."""
    table = table.copy()
    outcomes = [get(name) for name in table["outcome"]]
    table["count"] = [metrics_in_words(o.count, lang) for o in outcomes]
    table["per"] = [metrics_in_words(o.per, lang) for o in outcomes]
    table["where"] = [cells_in_words(o.where, lang) for o in outcomes]
    table["per_where"] = [cells_in_words(o.where if o.per_where is None else o.per_where, lang)
                          if o.per else "" for o in outcomes]
    return table


# --------------------------------------------------------------------------- computing
def cell_mask(cells: pd.DataFrame, where) -> np.ndarray:
    mask = np.ones(len(cells), dtype=bool)
    for column, allowed in where:
        mask &= cells[column].isin(list(allowed)).to_numpy()
    return mask


def group_codes(cells: pd.DataFrame, dimension: str | None) -> tuple[np.ndarray, list]:
    """Each cell's group number under ``dimension`` (None: one group) and the group names."""
    if dimension is None:
        return np.zeros(len(cells), dtype=np.int64), ["all"]
    column = cells[dimension]
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy().astype(np.int64), list(column.cat.categories)
    values, codes = np.unique(column.to_numpy(), return_inverse=True)
    return codes.astype(np.int64), values.tolist()


def _summed(result, metrics, where, codes, n_groups) -> np.ndarray:
    """(replicate, year, group) sums of ``metrics`` over the cells of ``where``."""
    index = [METRICS.index(m) for m in metrics]
    values = result.counts[:, :, index, :].sum(axis=2).astype(np.float64)  # (rep, year, cell)
    weights = np.zeros((len(codes), n_groups))
    mask = cell_mask(result.cells.table, where)
    weights[np.flatnonzero(mask), codes[mask]] = 1.0
    return values @ weights


def values(result, outcome: Outcome | str, dimension: str | None = None) -> tuple[np.ndarray, list]:
    """The outcome per replicate, per year plus a last ``total`` column, per group:
    an array (replicate, years + 1, group), and the group names. Undefined rates
    (nothing to divide by) are NaN.

    >>> from titlesim import load_scenario, simulate
    >>> r = simulate(load_scenario("scenarios/baseline-2022.yaml",
    ...     ["population.size=2000", "horizon.years=2"]), replicates=2)
    >>> values(r, "titled")[0].shape
    (2, 3, 1)
    """
    outcome = get(outcome) if isinstance(outcome, str) else outcome
    codes, groups = group_codes(result.cells.table, dimension)
    count = _summed(result, outcome.count, outcome.where, codes, len(groups))
    count = _with_total(count, outcome.over_horizon)
    if not outcome.is_rate:
        return count * outcome.scale, groups
    per_where = outcome.where if outcome.per_where is None else outcome.per_where
    per = _with_total(_summed(result, outcome.per, per_where, codes, len(groups)), outcome.over_horizon)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(per > 0, count / np.where(per > 0, per, 1.0), np.nan)
    return rate * outcome.scale, groups


def _with_total(by_year: np.ndarray, horizon: str) -> np.ndarray:
    total = by_year.sum(axis=1, keepdims=True) if horizon == "sum" else by_year[:, -1:, :]
    return np.concatenate([by_year, total], axis=1)
