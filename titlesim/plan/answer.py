"""Judging candidates: which meet the targets, which is best, how sure, and what binds.

For each candidate and target: the attained value (mean over replicates) with its 90 %
interval (5th to 95th percentile of the replicates, as ``compare`` gives them), the share
of replicates in which the target holds, whether it is met (on average, or in at least
``confidence`` of the replicates) and by how much it falls short.

The best candidate meets every target and has the lowest cost: the mean of the outcome
to minimise, or with ``--least-change`` the change from the scenario's values (each
range lever's change as a share of its range, 1 for another option, summed). Ties go to
the smaller change, then to the candidate evaluated first. When none meets every target,
the closest is the one with the smallest total shortfall (each target's shortfall as a
share of its value), and the binding targets are those no candidate meets at all, else
those without which some candidate would meet the rest.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from titlesim.compare.impact import summarise


@dataclass(frozen=True)
class Objective:
    """What the best candidate minimises: an outcome (``--minimise``) or the change."""

    outcome: str | None = None  # None: the least change
    year: int | None = None

    @property
    def least_change(self) -> bool:
        return self.outcome is None

    @property
    def column(self) -> str:
        if self.least_change:
            return "change"
        return self.outcome if self.year is None else f"{self.outcome}@{self.year}"

    def label(self, lang: str | None = None) -> str:
        """What is minimised, in words (参加考试人次, or 参加考试人次（2030年）), for people;
        :attr:`column` is its name in the tables."""
        if self.least_change:
            return self.column
        from titlesim.compare.outcomes import get
        from titlesim.i18n import current_language, msg
        lang = lang or current_language()
        name = get(self.outcome).label(lang)
        return name if self.year is None else msg("plan_in_year", lang, name=name, year=self.year)


def target_columns(j: int) -> list[str]:
    """Columns of the candidates table for target ``j`` (1-based)."""
    return [f"target{j}_{s}" for s in ("mean", "lo", "hi", "share_met", "met", "shortfall")]


def assess(evaluated, levers, targets, objective: Objective, confidence: float | None) -> pd.DataFrame:
    """One row per candidate, in evaluation order, with ``rank`` 1 for the best."""
    rows = []
    for number, item in enumerate(evaluated):
        row = {"candidate": number, "round": item.round}
        row.update({lever.path: lever.value(i) for lever, i in zip(levers, item.candidate)})
        row["change"] = float(sum(lever.change(lever.value(i))
                                  for lever, i in zip(levers, item.candidate)))
        if not objective.least_change:
            mean, lo, hi = _stats(item.values(objective.outcome, objective.year))
            row.update({"cost_mean": mean, "cost_lo": lo, "cost_hi": hi})
        total = 0.0
        for j, target in enumerate(targets, start=1):
            values = item.values(target.outcome, target.year)
            mean, lo, hi = _stats(values)
            gaps = target.gaps(values)
            share = float(np.mean(gaps <= 0))
            if confidence is None:
                gap = float(target.gaps(np.array([mean]))[0])
            else:  # the k-th smallest gap: at least k replicates fall short by no more
                k = max(1, int(np.ceil(confidence * len(gaps) - 1e-9)))
                gap = float(np.sort(gaps)[k - 1])
            shortfall = max(gap, 0.0)
            row.update(dict(zip(target_columns(j), (mean, lo, hi, share, gap <= 0, shortfall))))
            total += shortfall / target.scale()
        row["feasible"] = all(row[f"target{j}_met"] for j in range(1, len(targets) + 1))
        row["shortfall"] = total
        row["point_key"] = item.key
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame.insert(1, "rank", 0)
    frame["rank"] = rank(frame, objective)
    return frame


def _stats(values: np.ndarray) -> tuple[float, float, float]:
    mean, lo, hi = summarise(np.asarray(values, dtype=float)[:, None])
    return float(mean[0]), float(lo[0]), float(hi[0])


def cost(frame: pd.DataFrame, objective: Objective) -> pd.Series:
    column = "change" if objective.least_change else "cost_mean"
    return frame[column].fillna(np.inf)


def rank(frame: pd.DataFrame, objective: Objective) -> np.ndarray:
    """1 for the best candidate: feasible first by cost, change, evaluation order; then
    the others by total shortfall, cost, change, evaluation order."""
    order = pd.DataFrame({"infeasible": ~frame["feasible"].to_numpy(bool),
                          "shortfall": np.where(frame["feasible"], 0.0, frame["shortfall"]),
                          "cost": cost(frame, objective), "change": frame["change"],
                          "candidate": frame["candidate"]})
    ordered = order.sort_values(["infeasible", "shortfall", "cost", "change", "candidate"],
                                kind="stable").index
    ranks = np.empty(len(frame), dtype=np.int64)
    ranks[ordered] = np.arange(1, len(frame) + 1)
    return ranks


@dataclass
class Answer:
    """The outcome of the search, read from the assessed candidates."""

    feasible: bool
    best: int  # candidate number: the best, or the closest when none meets the targets
    runner_up: int | None
    binding: list[int]  # target numbers (1-based) that bind when none meets the targets
    limiting: list[tuple[int, int]]  # feasible: (target, better candidates it rules out)
    runner_up_cost: dict | None  # runner-up minus best ("of"): the total shortfall when
    #                              none meets the targets and it differs, else the cost
    #                              (paired over replicates) or the change
    tied: list[int]  # candidates with the best's result (the same shortfall when none
    #                  meets the targets, and the same cost): ties go to less change


def answer(frame: pd.DataFrame, evaluated, targets, objective: Objective) -> Answer:
    by_rank = frame.sort_values("rank")
    best = int(by_rank["candidate"].iloc[0])
    feasible = bool(by_rank["feasible"].iloc[0])
    same_kind = by_rank[by_rank["feasible"] == feasible]
    # "the same result" is the same on all that ranks before the change: the cost, and
    # when none meets the targets the total shortfall first (see rank)
    result = pd.DataFrame({"cost": cost(same_kind, objective)})
    if not feasible:
        result.insert(0, "shortfall", same_kind["shortfall"])
    same = (result == result.iloc[0]).all(axis=1)
    tied = same_kind[same]
    # the runner-up: the best whose result differs (a tie is a plateau, reported as such)
    others = same_kind[~same]
    runner_up = int(others["candidate"].iloc[0]) if len(others) else None
    met = frame[[f"target{j}_met" for j in range(1, len(targets) + 1)]].to_numpy(bool)
    binding = [] if feasible else binding_targets(met, frame, best, targets)
    limiting = [] if not feasible else limiting_targets(met, frame, objective, best)
    difference = None
    if runner_up is not None:
        if not feasible and frame.loc[runner_up, "shortfall"] != frame.loc[best, "shortfall"]:
            d = float(frame.loc[runner_up, "shortfall"] - frame.loc[best, "shortfall"])
            difference = {"mean": d, "lo": d, "hi": d, "of": "shortfall"}
        elif objective.least_change:
            d = float(frame.loc[runner_up, "change"] - frame.loc[best, "change"])
            difference = {"mean": d, "lo": d, "hi": d, "of": "change"}
        else:
            paired = (evaluated[runner_up].values(objective.outcome, objective.year)
                      - evaluated[best].values(objective.outcome, objective.year))
            mean, lo, hi = _stats(paired)
            difference = {"mean": mean, "lo": lo, "hi": hi, "of": "cost"}
    return Answer(feasible, best, runner_up, binding, limiting, difference,
                  [int(c) for c in tied["candidate"].iloc[1:]])


def binding_targets(met: np.ndarray, frame: pd.DataFrame, closest: int, targets) -> list[int]:
    """Targets no candidate meets; else those without which some candidate meets the
    rest; else the one falling shortest at the closest candidate. 1-based, worst first
    (shortfalls as shares of the target values)."""
    n = met.shape[1]
    shortfall = [frame.loc[closest, f"target{j}_shortfall"] / targets[j - 1].scale()
                 for j in range(1, n + 1)]
    never = [j for j in range(n) if not met[:, j].any()]
    if never:
        return [j + 1 for j in sorted(never, key=lambda j: -_best_shortfall(frame, j + 1)
                                      / targets[j].scale())]
    alone = [j for j in range(n) if np.delete(met, j, axis=1).all(axis=1).any()]
    if alone:
        return [j + 1 for j in sorted(alone, key=lambda j: -shortfall[j])]
    return [int(np.argmax(shortfall)) + 1]


def _best_shortfall(frame: pd.DataFrame, j: int) -> float:
    return float(frame[f"target{j}_shortfall"].min())


def limiting_targets(met: np.ndarray, frame: pd.DataFrame, objective: Objective,
                     best: int) -> list[tuple[int, int]]:
    """For a feasible answer: the targets that rule out candidates cheaper than the best,
    and how many each rules out, most first."""
    costs = cost(frame, objective).to_numpy()
    cheaper = costs < costs[best]
    counts = [(j + 1, int((cheaper & ~met[:, j]).sum())) for j in range(met.shape[1])]
    return sorted([c for c in counts if c[1] > 0], key=lambda c: (-c[1], c[0]))
