"""``titlesim plan SCENARIO --lever KEY=LO:HI --target "OUTCOME OP VALUE"``: which
settings reach the bureau's targets. Exit 0 with a plan, 3 when no setting in the
ranges meets every target, 2 on bad input. (Only click at the top: the numeric stack is
imported when the command runs.)"""
from __future__ import annotations

from pathlib import Path

import click

from titlesim.cli import allow_large_option, cli, command_line, scenario_options
from titlesim.cli.sweep import check_points, where_from, where_options
from titlesim.i18n import LANGUAGES

EXIT_INFEASIBLE = 3


@cli.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--lever", "levers", multiple=True, metavar="KEY=LO:HI[:STEP] | KEY=A,B",
              help="A policy parameter the plan may change (not set-up such as the horizon, "
                   "the workforce or the history), with its range (whole numbers stay whole) "
                   "or its options (repeatable; null: not set).")
@click.option("--target", "targets", multiple=True, metavar='"OUTCOME OP VALUE"',
              help='What must be reached, e.g. "senior_share_grassroots >= 15" or '
                   '"years_waited@2030 <= 1"; OP is >=, <= or = (= VALUE ± TOL, default '
                   "1 % of VALUE) (repeatable).")
@click.option("--minimise", "--minimize", "minimise", metavar="OUTCOME[@YEAR]", default=None,
              help="Among the settings that meet the targets, the one with the lowest OUTCOME.")
@click.option("--least-change", is_flag=True,
              help="Among the settings that meet the targets, the one that changes the "
                   "scenario least (the default).")
@click.option("--confidence", type=float, default=None, metavar="P",
              help="A target must hold in at least P of the replicates (e.g. 0.9), not only "
                   "on average.")
@scenario_options
@where_options
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="The plan folder (default: a new reports/plans/<scenario>/<time>-<hash>). "
                   "Must not exist, unless --resume.")
@click.option("--resume", is_flag=True,
              help="Continue a plan in the existing --out folder: candidates finished there "
                   "are kept.")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="Language of the messages, the summary and the figure (default zh).")
@click.option("--quiet", is_flag=True, help="No progress bar and no answer on stderr.")
@allow_large_option
@click.pass_context
def plan(ctx, scenario, levers, targets, minimise, least_change, confidence, replicates, seed,
         overrides, workers, scheduler, out, resume, lang, quiet, allow_large):
    """Find the setting of the levers that meets every target of SCENARIO and minimises
    an outcome (--minimise) or the change (--least-change), every candidate run with the
    same seed and replicates (common random numbers). Writes plan.yaml (a revision that
    extends SCENARIO: run, compare or report it), candidates.csv, summary.md, tradeoff.png
    and provenance.json, and prints the folder. Exit 3 when no setting in the ranges meets
    the targets (the closest goes to closest.yaml)."""
    from titlesim.errors import InputError, Problem
    from titlesim.i18n import msg, set_language

    if lang:
        set_language(lang)
    if not levers:
        raise InputError(Problem(msg("plan_need_lever"), key="--lever"))
    if not targets:
        raise InputError(Problem(msg("plan_need_target"), key="--target"))
    if minimise and least_change:
        raise InputError(Problem(msg("plan_objective_both"), key="--minimise"))
    if confidence is not None and not 0 < confidence <= 1:
        raise InputError(Problem(msg("plan_confidence", given=confidence), key="--confidence"))
    where = where_from(workers, scheduler)
    from titlesim import load_scenario  # the numeric stack, once the arguments are sound
    from titlesim.plan import Objective, parse_lever, parse_target, run_plan
    from titlesim.plan.output import answer_text
    from titlesim.plan.targets import parse_outcome, scenario_years
    loaded = load_scenario(scenario, overrides)
    years = scenario_years(loaded)
    parsed_levers = [parse_lever(text, loaded) for text in levers]
    seen = set()
    for lever in parsed_levers:
        if lever.path in seen:
            raise InputError(Problem(msg("plan_lever_twice", name=lever.path), key="--lever"))
        seen.add(lever.path)
    parsed_targets = [parse_target(text, years) for text in targets]
    check_points(loaded, replicates, where, allow_large)  # before any candidate runs
    objective = Objective(*parse_outcome(minimise, years, "--minimise")) if minimise else Objective()
    result = run_plan(loaded, parsed_levers, parsed_targets, objective, confidence, seed=seed,
                      replicates=replicates, out=out, resume=resume, where=where,
                      progress=not quiet, command=command_line(), lang=lang)
    if not quiet:
        click.echo(answer_text(result, lang), err=True)
    click.echo(str(result.folder))
    ctx.exit(0 if result.feasible else EXIT_INFEASIBLE)
