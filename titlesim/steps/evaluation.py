"""Step 6, evaluation (docs/model.md). :mod:`titlesim.compiled.evaluation` does the same
in one compiled pass."""
from __future__ import annotations

import numpy as np

from titlesim import events as ev
from titlesim.randomness import Purpose
from titlesim.rules import directed, evaluation, records, route, validity
from titlesim.sizes import kernels_for
from titlesim.steps.state import State


def evaluation_step(s: State) -> None:
    """6. Candidates with a usable pass (or all applicants where there is no exam) are
    judged by their route's criteria; titles are granted, directed ones (senior titles of
    the grassroots route) recorded as such."""
    if kernels_for(len(s.people)):
        from titlesim.compiled.evaluation import evaluation_step as compiled
        return compiled(s)
    p, params, setup = s.people, s.setup.params, s.setup
    a = s.applicants
    usable = validity.usable(p.pass_until[a], p.pass_scope[a], s.year, s.ratio_member[a])
    is_candidate = ~s.has_exam | usable
    c = a[is_candidate]  # candidates
    has_exam = s.has_exam[is_candidate]
    ids = p.id[c]
    chosen = route.chosen_route(s.ratio_member[c], p.attached[c], has_exam,
                                p.pass_scope[c] == validity.SCOPE_GENERAL,
                                s.draws.uniform(s.year, Purpose.ROUTE_CHOICE, ids), params.attached_units)
    route_grassroots = chosen == route.GRASSROOTS
    general, grassroots = params.evaluation.criteria["general"], params.evaluation.criteria["grassroots"]
    research = records.research_score(p.papers[c], params.records.research_saturation)
    noise = params.evaluation.noise_sd * s.draws.normal(s.year, Purpose.EVALUATION_NOISE, ids)
    ability, practice = p.ability[c].astype(np.float64), p.practice[c].astype(np.float64)
    score = np.where(route_grassroots,
                     evaluation.record_score(ability, practice, research, grassroots.weights, noise),
                     evaluation.record_score(ability, practice, research, general.weights, noise))
    threshold = np.where(route_grassroots, grassroots.threshold, general.threshold)
    conduct_ok = s.draws.uniform(s.year, Purpose.CONDUCT, ids) >= params.evaluation.conduct_fail_rate
    target = p.level[c] + 1
    evaluated, titled = evaluation.judge(
        np.ones(len(c), dtype=bool), p.series[c], score, threshold, conduct_ok,
        s.draws.uniform(s.year, Purpose.COMMITTEE_ORDER, ids),
        setup.committee_capacity, setup.committee_pass_rate_cap,
        capped=setup.committee_levels[p.series[c], target])
    is_directed = directed.is_directed(titled, chosen, target, setup.directed_by_level)
    cell = s.target_cell[c]
    s.counts.add("evaluated", cell, evaluated)
    s.counts.add("titled", cell, titled)
    s.counts.add("titled_directed", cell, is_directed)
    at = np.flatnonzero(is_candidate)
    s.events.route[at] = chosen
    s.events.result[at] = np.select([titled, evaluated], [ev.TITLED, ev.NOT_TITLED], ev.NOT_EVALUATED)
    s.events.scope[at[titled]] = np.where(is_directed[titled], 2, 1)
    failed = c[evaluated & ~titled]
    p.failures[failed] = np.minimum(p.failures[failed] + 1, 100)
    won = c[titled]
    p.level[won] += 1
    p.years_before[won] = p.years_at_level[won]
    p.years_at_level[won] = 0
    p.failures[won] = 0
    p.directed[won] = is_directed[titled]
    p.titled_year[won] = s.year
    p.waiting_since[won] = s.year
    validity.clear(p.pass_until, p.pass_scope, won[has_exam[titled]])  # consumed
