"""``titlesim report``: a reproducible report (HTML, workbook, figures, provenance) made by
running the report notebook with Papermill; one per scenario for a folder; or re-created
from an earlier report's provenance.json."""
from __future__ import annotations

from pathlib import Path

import click

from titlesim.cli import (allow_large_option, check_work, cli, command_line, lang_option,
                          scenario_options)
from titlesim.errors import InputError, Problem

SCENARIO_SUFFIXES = (".yaml", ".yml")
EXIT_REPORT_FAILED = 1


@cli.command()
@click.argument("target", required=False, metavar="[SCENARIO|FOLDER]", type=click.Path(path_type=Path))
@click.option("--compare", "revisions", multiple=True, type=click.Path(path_type=Path),
              metavar="REVISION", help="A revision to compare with SCENARIO (repeatable).")
@lang_option
@scenario_options
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder inside reports/ under which the run folder is made "
                   "(default reports/<scenario>/).")
@click.option("--from", "provenance", type=click.Path(path_type=Path), default=None,
              metavar="PROVENANCE", help="Re-create the report recorded in this provenance.json.")
@allow_large_option
@click.pass_context
def report(ctx, target, revisions, lang, replicates, seed, overrides, out, provenance, allow_large):
    """Make a report of SCENARIO (a scenario file), or one report per scenario file of a
    FOLDER, into reports/<scenario>/<timestamp>-<hash>/ (report.html, report.ipynb,
    tables.xlsx, tables/, figures/, provenance.json), and update reports/index.html.
    Prints the path of each report.html."""
    from titlesim.i18n import chosen_language
    from titlesim.report import request as requests

    if provenance is not None:
        if target is not None or revisions or replicates is not None or seed is not None or overrides:
            raise InputError(Problem("--from re-creates a recorded report: give no SCENARIO, "
                                     "--compare, --replicates, --seed or --set with it",
                                     key="--from"))
        jobs = [requests.from_provenance(provenance, chosen_language(), command_line())]
    elif target is None:
        raise click.UsageError("give a SCENARIO file, a FOLDER of scenarios, or --from PROVENANCE")
    elif target.is_dir():
        if revisions:
            raise InputError(Problem("--compare needs one SCENARIO, not a folder", key="--compare"))
        files = sorted(p for p in target.iterdir() if p.suffix in SCENARIO_SUFFIXES)
        if not files:
            raise InputError(Problem("no scenario files (*.yaml) in this folder", file=str(target)))
        jobs = [requests.from_command(f, (), overrides, replicates, seed, lang,
                                      command_line()) for f in files]
    else:
        jobs = [requests.from_command(target, revisions, overrides, replicates, seed,
                                      lang, command_line())]
    for job in jobs:  # every report's simulations must fit before the first starts
        check_work(job.scenarios, job.replicates, out, allow_large, disk=False)
    ctx.exit(_run(jobs, out))


def _run(jobs, out) -> int:
    from titlesim.i18n import msg
    from titlesim.report.pdf import printing
    from titlesim.report.runner import ReportFailed, make_report, run_parent
    for job in jobs:  # refuse a bad --out before running anything
        run_parent(job.name, out)
    status = 0
    with printing():  # one Chromium prints every report of the batch
        for job in jobs:
            click.echo(msg("report.making", name=job.title(), replicates=job.replicates, seed=job.seed),
                       err=True)
            try:
                folder = make_report(job, out)
            except ReportFailed as failure:
                click.echo(msg("cli.error", problem=failure), err=True)
                status = max(status, 2 if failure.bad_input else EXIT_REPORT_FAILED)
                continue
            click.echo(str(folder / "report.html"))
    return status
