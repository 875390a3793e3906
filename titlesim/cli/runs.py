"""``titlesim runs``: list the completed runs under reports/ (reports, simulation runs,
comparisons), newest first, with their headline figures."""
from __future__ import annotations

from pathlib import Path

import click

from titlesim.cli import cli, lang_option

KINDS = ("report", "run", "compare", "export", "plan", "passline", "sweep", "sensitivity", "calibrate")


@cli.command()
@click.option("--root", type=click.Path(path_type=Path), default=Path("reports"), show_default=True,
              help="The reports folder to look in.")
@click.option("--kind", type=click.Choice((*KINDS, "all")), default="all", show_default=True,
              metavar="KIND", help="Only runs of this kind: report, run, compare, export, plan, "
                                   "passline, sweep, sensitivity, calibrate or all.")
@lang_option
@click.option("--clean", is_flag=True,
              help="Remove the temporary folders and files that interrupted commands "
                   "left (a killed process; never one still running), listing each.")
def runs(root, kind, lang, clean):
    """List the runs under the reports folder, newest first (by the time each run
    started, as its provenance.json records it)."""
    if clean:
        from titlesim.i18n import msg
        from titlesim.runfolder import remove_leftovers
        removed = remove_leftovers(root)
        for path in removed:
            click.echo(msg("removed_leftover", path=str(path)))
        click.echo(msg("removed_count", count=len(removed)), err=True)
        return
    import pandas as pd

    from titlesim.report.catalog import find_runs
    from titlesim.report.words import column_label, local_time, num

    found = [r for r in find_runs(root) if kind == "all" or r.kind == kind]
    if not found:
        from titlesim.i18n import msg
        click.echo(msg("runs.none", root=root), err=True)
        return
    from titlesim.i18n import msg
    frame = pd.DataFrame({
        column_label("kind", lang): [msg(f"runs.kind.{r.kind}", lang) for r in found],
        column_label("scenario", lang): [r.title(r.scenario, lang) for r in found],
        column_label("started", lang): [local_time(r.started) for r in found],
        # a pass-line run simulates nothing: no seed, no replicates
        column_label("seed", lang): [_whole(r.seed) for r in found],
        column_label("replicates", lang): [_whole(r.replicates) for r in found],
        # people: whole numbers
        column_label("titled_per_year", lang): [num(r.headline.get("titled_per_year"), 0) for r in found],
        column_label("folder", lang): [str(r.folder) for r in found]})
    with pd.option_context("display.width", 200, "display.max_columns", 20,
                           "display.max_colwidth", 120,
                           "display.unicode.east_asian_width", lang == "zh"):
        click.echo(frame.to_string(index=False))


def _whole(value) -> str:
    """A seed or a count as it was recorded (no decimal, no separator), ``–`` where none."""
    return "–" if value is None else str(value)
