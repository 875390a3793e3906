"""Step 6, evaluation, compiled: :func:`titlesim.steps.evaluation_step` in one pass over
the applicants (who is a candidate, route, record score, conduct, and the titles of those
no committee cap applies to), then the committees' caps over their members (grouped by
series in one counting pass) and the titles of those members.

The same arithmetic as :mod:`titlesim.rules.route`, :mod:`titlesim.rules.evaluation`,
:mod:`titlesim.rules.directed` and :mod:`titlesim.rules.validity`, in the same order,
so the same people are titled. A candidate who fails the conduct check is never titled,
so no judgement noise is drawn for them (draws are keyed by person: skipping one changes
no other). Where a record score is only compared with the threshold (no pass-rate cap
ranks it), the normal quantile of the noise is bracketed by a table instead of computed
(:func:`_reaches`): it is computed only for the few whose bracket straddles the threshold.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from titlesim import events as ev
from titlesim import kernels
from titlesim.kernels import ndtri, person_bits
from titlesim.kernels import person_normal as normal
from titlesim.kernels import person_uniform as uniform
from titlesim.metrics import M
from titlesim.randomness import Purpose
from titlesim.rules import route, validity

_CAPACITY_FREE = -1


@njit(cache=True, inline="always")
def _record_score(weights, ability, practice, research, noise):
    """:func:`titlesim.rules.evaluation.record_score` of one candidate; ``weights``:
    ability, practice, research, their total."""
    if weights[3] == 0:
        return noise
    return (weights[0] * ability + weights[1] * practice + weights[2] * research) / weights[3] + noise


_EDGE_BITS = 10  # the table's bins: the first bits of a draw


@njit(cache=True)
def _quantile_edges():
    """``ndtri(k / K)`` for ``k = 0 .. K`` (K = 2 ** _EDGE_BITS): the normal of a draw
    whose first bits are ``k`` lies between ``edges[k]`` and ``edges[k + 1]``."""
    size = 1 << _EDGE_BITS
    edges = np.empty(size + 1, dtype=np.float64)
    for k in range(size + 1):
        edges[k] = ndtri(k / size)
    return edges


@njit(cache=True, inline="always")
def _reaches(weights, ability, practice, research, noise_sd, stream, person, edges):
    """``_record_score(...) >= threshold`` with the noise ``noise_sd x normal(stream,
    person)`` (``noise_sd > 0``), deciding by the draw's bin of the quantile table where
    the whole bin lies on one side of the threshold (the score rises with the noise, and
    rounding keeps that order), else computing the normal. The bin's ends are widened
    by 1e-9: ndtri's own rounding wobbles by far less."""
    k = person_bits(stream, person) >> np.uint64(64 - _EDGE_BITS)
    threshold = weights[4]
    low, high = noise_sd * (edges[k] - 1e-9), noise_sd * (edges[k + 1] + 1e-9)
    if _record_score(weights, ability, practice, research, low) >= threshold:
        return True
    if _record_score(weights, ability, practice, research, high) < threshold:
        return False
    noise = noise_sd * normal(stream, person)
    return _record_score(weights, ability, practice, research, noise) >= threshold


@njit(cache=True)
def _evaluate(applicant, has_exam, year, ratio_member, attached, series, papers, ability, practice,
              ids, rule, general, grassroots, streams, committee_levels, capped_series,
              ranked_series, edges, granting, replay, judged):
    """Step 6 over the applicants: who is a candidate, their route, whether their record
    and conduct pass; a candidate no committee cap applies to is judged and recorded at
    once (a title granted), the others are returned: their position among the
    applicants, route, whether record and conduct pass, record score where a pass-rate
    cap ranks it (``ranked_series``; else NaN), their committee's series and order of
    submission. ``replay``: only record the judgements ``judged`` (positions, routes,
    evaluated, titled) of those, after :func:`_judge` (the same recording, in one place)."""
    may_enter, where_valid, share, saturation, noise_sd, conduct_fail_rate = rule
    route_stream, noise_stream, conduct_stream, order_stream = streams
    (directed_by_level, target_cell, level, years_at_level, years_before, failures, directed,
     titled_year, waiting_since, pass_until, pass_scope, ev_route, ev_result, ev_scope, n_evaluated,
     n_titled, n_directed) = granting
    judged_at, judged_route, judged_evaluated, judged_titled = judged
    n = judged_at.size if replay else applicant.size
    at = np.empty(n, dtype=np.int64)  # the capped: position among the applicants (head only)
    chosen = np.empty(n, dtype=np.int8)
    good = np.empty(n, dtype=np.bool_)  # conduct and record pass
    score = np.empty(n, dtype=np.float64)
    capped_by = np.empty(n, dtype=np.int64)  # the committee's series
    u_order = np.empty(n, dtype=np.float64)
    m = 0
    for k in range(n):
        j = judged_at[k] if replay else k
        i = kernels.at(applicant[j])
        if replay:
            r, evaluated, titled = judged_route[k], judged_evaluated[k], judged_titled[k]
        else:
            scope, until = pass_scope[i], pass_until[i]
            in_scope = scope == validity.SCOPE_GENERAL or (
                scope == validity.SCOPE_GRASSROOTS and ratio_member[i])
            if has_exam[j] and not (in_scope and until >= year and until > 0):
                continue  # no usable pass
            r = route.GRASSROOTS if ratio_member[i] else route.GENERAL
            if may_enter and ratio_member[i] and attached[i]:
                general_pass = scope == validity.SCOPE_GENERAL
                if where_valid:
                    provincial = general_pass and has_exam[j]
                else:
                    provincial = ((not has_exam[j]) or general_pass) and \
                        uniform(route_stream, ids[i]) < share
                if provincial:
                    r = route.GENERAL
            conduct_ok = uniform(conduct_stream, ids[i]) >= conduct_fail_rate
            is_capped = capped_series[series[i]] and committee_levels[series[i], level[i] + 1]
            s = np.nan  # not drawn for a conduct failure: never titled, never ranked
            ok = False
            if conduct_ok:
                research = np.float64(min(papers[i], saturation)) * (2.0 / saturation) - 1.0
                a, p = np.float64(ability[i]), np.float64(practice[i])
                weights = grassroots if r == route.GRASSROOTS else general
                if (is_capped and ranked_series[series[i]]) or noise_sd <= 0:
                    s = _record_score(weights, a, p, research, noise_sd * normal(noise_stream, ids[i]))
                    ok = s >= weights[4]
                else:  # only compared with the threshold
                    ok = _reaches(weights, a, p, research, noise_sd, noise_stream, ids[i], edges)
            if is_capped:  # judged by its committee, after all are seen
                at[m], chosen[m], good[m], score[m] = j, r, ok, s
                capped_by[m], u_order[m] = series[i], uniform(order_stream, ids[i])
                m += 1
                continue
            evaluated, titled = True, ok
        target = level[i] + 1  # the judgement recorded
        is_directed = titled and directed_by_level[r, target]
        cell = target_cell[i]
        ev_route[j] = r
        if evaluated:
            n_evaluated[cell] += 1
        if titled:
            n_titled[cell] += 1
            n_directed[cell] += is_directed
            ev_result[j] = ev.TITLED
            ev_scope[j] = 2 if is_directed else 1
            level[i] = target
            years_before[i] = years_at_level[i]
            years_at_level[i] = 0
            failures[i] = 0
            directed[i] = is_directed
            titled_year[i] = year
            waiting_since[i] = year
            if has_exam[j]:  # the pass is consumed
                pass_until[i] = 0
                pass_scope[i] = validity.SCOPE_NONE
        elif evaluated:
            ev_result[j] = ev.NOT_TITLED
            failures[i] = min(failures[i] + 1, 100)
        else:
            ev_result[j] = ev.NOT_EVALUATED
    return at[:m], chosen[:m], good[:m], score[:m], capped_by[:m], u_order[:m]


@njit(cache=True)
def _first(primary, secondary, q):
    """Which ``q`` entries come first in the order (primary, secondary, position) -- those
    a stable sort by that order puts first -- found by a partition and a sort of the
    entries tied at the boundary only."""
    n = primary.size
    kept = np.zeros(n, dtype=np.bool_)
    if q <= 0:
        return kept
    if q >= n:
        kept[:] = True
        return kept
    boundary = np.partition(primary, q - 1)[q - 1]  # the q-th smallest
    taken = 0
    for j in range(n):
        if primary[j] < boundary:
            kept[j] = True
            taken += 1
    tied = np.flatnonzero(primary == boundary)
    order = tied[np.argsort(secondary[tied], kind="mergesort")]  # stable: position next
    for j in order[:q - taken]:
        kept[j] = True
    return kept


@njit(cache=True)
def _judge(capped_by, good, score, u_order, capacity, pass_rate_cap):
    """:func:`titlesim.rules.evaluation.judge` for candidates all submitted: ``evaluated``
    and ``titled``; the caps of each committee apply to its members (``capped_by``)."""
    n = capped_by.size
    evaluated = np.ones(n, dtype=np.bool_)
    titled = good.copy()
    start = np.zeros(capacity.size + 1, dtype=np.int64)  # the members, by series
    for j in range(n):
        start[capped_by[j] + 1] += capped_by[j] >= 0
    for s in range(capacity.size):
        start[s + 1] += start[s]
    at = start[:-1].copy()
    members = np.empty(start[-1], dtype=np.int64)
    for j in range(n):
        if capped_by[j] >= 0:
            members[at[capped_by[j]]] = j
            at[capped_by[j]] += 1
    for s in range(capacity.size):
        these = members[start[s]:start[s + 1]]
        if capacity[s] >= 0 and these.size > capacity[s]:
            left_out = these[~_first(u_order[these], np.zeros(these.size), capacity[s])]
            evaluated[left_out] = False
            titled[left_out] = False
        if np.isnan(pass_rate_cap[s]):
            continue
        limit = int(np.floor(pass_rate_cap[s] * np.count_nonzero(evaluated[these]) + 1e-9))
        winners = these[titled[these]]
        if winners.size > limit:  # best record first, then order of submission
            kept = _first(-score[winners], u_order[winners], limit)
            titled[winners[~kept]] = False
    return evaluated, titled


def evaluation_step(s) -> None:
    """:func:`titlesim.steps.evaluation_step`, compiled (the same titles, counts and
    records)."""
    p, setup = s.people, s.setup
    rule, general, grassroots, capacity, cap, capped_series, rate_capped = _rules(setup)
    year, draws = s.year, s.draws
    streams = (draws.stream(year, Purpose.ROUTE_CHOICE), draws.stream(year, Purpose.EVALUATION_NOISE),
               draws.stream(year, Purpose.CONDUCT), draws.stream(year, Purpose.COMMITTEE_ORDER))
    rows = s.counts.counts
    granting = (setup.directed_by_level, s.target_cell, p.level, p.years_at_level, p.years_before,
                p.failures, p.directed, p.titled_year, p.waiting_since, p.pass_until, p.pass_scope,
                s.events.route, s.events.result, s.events.scope, rows[M["evaluated"]],
                rows[M["titled"]], rows[M["titled_directed"]])
    common = (s.applicants, s.has_exam, year, s.ratio_member, p.attached, p.series, p.papers,
              p.ability, p.practice, p.id, rule, general, grassroots, streams,
              setup.committee_levels, capped_series, rate_capped, _edges(), granting)
    at, chosen, good, score, capped_by, u_order = _evaluate(*common, False, _NONE)
    if len(at):
        evaluated, titled = _judge(capped_by, good, score, u_order, capacity, cap)
        _evaluate(*common, True, (at, chosen, evaluated, titled))


_NONE = (np.zeros(0, np.int64), np.zeros(0, np.int8), np.zeros(0, np.bool_), np.zeros(0, np.bool_))


def _rules(setup) -> tuple:
    """What the pass reads from the scenario and the committees, made once per set-up
    (``Setup.derived``): the rule's numbers, the criteria's weights, the committees'
    capacity and pass-rate cap, the series either caps."""
    return setup.derive("evaluation", lambda: _make_rules(setup))


def _make_rules(setup) -> tuple:
    params = setup.params
    attached_units, e = params.attached_units, params.evaluation
    if attached_units.route_choice not in ("share", "where_valid"):
        raise ValueError(f"route_choice must be share or where_valid, got {attached_units.route_choice!r}")
    rule = (bool(attached_units.may_enter_provincial), attached_units.route_choice == "where_valid",
            float(attached_units.provincial_share), int(params.records.research_saturation),
            float(e.noise_sd), float(e.conduct_fail_rate))
    general, grassroots = (_weights(e.criteria[name]) for name in ("general", "grassroots"))
    capacity = setup.committee_capacity.astype(np.int64)
    cap = setup.committee_pass_rate_cap.astype(np.float64)
    capped_series = (capacity >= 0) | ~np.isnan(cap)
    return rule, general, grassroots, capacity, cap, capped_series, ~np.isnan(cap)


def _edges() -> np.ndarray:
    global _EDGES
    if _EDGES is None:
        _EDGES = _quantile_edges()
    return _EDGES


_EDGES = None


def _weights(criteria) -> np.ndarray:
    w = criteria.weights
    return np.array([w.ability, w.practice, w.research, w.ability + w.practice + w.research,
                     criteria.threshold], dtype=np.float64)
