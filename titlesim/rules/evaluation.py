"""Evaluation (评审) by the criteria.

Notice 一(一): "以品德、能力、业绩为导向，坚持'破四唯'和'立新标'并举 ... 不简单将人才称号、
学术头衔作为职称评审的限制性条件"; 一(三): "新标准要突出实践能力业绩导向 ... 把能看病、会看病、
看好病作为临床医务人员职称评价的主要内容". Candidates are judged on a weighted record of
ability, practice (业绩) and research, against the threshold of their route (general or
grassroots), after the conduct (品德) check; a committee may have a capacity and a cap on
its pass rate, for the levels it evaluates. Which titles are directed is
:mod:`titlesim.rules.directed`.
"""
from __future__ import annotations

import numpy as np


def record_score(ability, practice, research, weights, noise) -> np.ndarray:
    """Weighted record in standard units, plus the committee's judgement noise."""
    total = weights.ability + weights.practice + weights.research
    if total == 0:
        return np.asarray(noise, dtype=np.float64)
    combined = weights.ability * ability + weights.practice * practice + weights.research * research
    return combined / total + noise


def judge(candidate, series, score, threshold, conduct_ok, u_order,
          capacity: np.ndarray, pass_rate_cap: np.ndarray, capped=None):
    """Who is evaluated and who is titled.

    ``capacity[s]`` is the most candidates committee ``s`` evaluates in a year (-1: no
    limit; chosen by order of submission ``u_order``); ``pass_rate_cap[s]`` the largest
    share of the evaluated it may title (NaN: no cap; the best records first). Both apply
    only to the candidates ``capped`` (the levels the committee evaluates, ``levels``:
    一(四)'s 高级工程师评审委员会 evaluates senior levels, so an intermediate engineer is
    neither counted against its capacity nor kept out by it; default: every candidate).

    Worked example: engineering capacity 2, levels deputy and full senior; candidates
    two intermediate and three deputy senior, all with good records: both intermediates
    and the first two deputies in order of submission are evaluated and titled.
    """
    capped = np.ones(len(candidate), dtype=bool) if capped is None else np.asarray(capped, dtype=bool)
    evaluated = candidate.copy()
    for s in np.flatnonzero(capacity >= 0):
        members = np.flatnonzero(candidate & (series == s) & capped)
        if len(members) > capacity[s]:
            order = members[np.argsort(u_order[members], kind="stable")]
            evaluated[order[capacity[s]:]] = False
    titled = evaluated & conduct_ok & (score >= threshold)
    for s in np.flatnonzero(~np.isnan(pass_rate_cap)):
        in_series = (series == s) & capped
        limit = int(np.floor(pass_rate_cap[s] * np.count_nonzero(evaluated & in_series) + 1e-9))
        winners = np.flatnonzero(titled & in_series)
        if len(winners) > limit:
            order = winners[np.lexsort((u_order[winners], -score[winners]))]
            titled[order[limit:]] = False
    return evaluated, titled
