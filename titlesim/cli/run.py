"""``titlesim run``: simulate a scenario and write a run folder."""
from __future__ import annotations

from pathlib import Path

import click

from titlesim.cli import (allow_large_option, check_work, cli, command_line, lang_option,
                          scenario_options, warnings_shown_after)


@cli.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@scenario_options
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder under which the run folder is made (default reports/runs/<scenario>/).")
@click.option("--quiet", is_flag=True, help="No progress bar, no summary and no warnings.")
@allow_large_option
@lang_option
@click.option("--format", "fmt", type=click.Choice(("csv", "parquet")), default="csv",
              show_default=True,
              help="Format of the metrics table: metrics.csv, or metrics.parquet (compressed, "
                   "about a twentieth of the size; titlesim.runs.read_metrics reads either).")
def run(scenario, replicates, seed, overrides, out, quiet, lang, fmt, allow_large):
    """Simulate SCENARIO and write metrics.csv (or metrics.parquet), lines.csv, the
    resolved scenario and provenance.json into a new run folder."""
    from titlesim import load_scenario, simulate
    from titlesim.report import headline as report_headline
    from titlesim.runs import headline, now, write_run

    started = now()
    # --seed and --replicates are part of the resolved scenario the run folder records
    chosen = [f"{key}={value}" for key, value in (("seed", seed), ("replicates", replicates))
              if value is not None]
    loaded = load_scenario(scenario, list(overrides) + chosen)
    check_work([loaded], None, out, allow_large)
    with warnings_shown_after(quiet):
        result = simulate(loaded, progress=None if not quiet else False)
    headline_figures = report_headline.headline(result)  # the caption's and provenance.json's
    folder = write_run(result, out, command=command_line(), started=started, fmt=fmt,
                       headline_figures=headline_figures)
    if not quiet:
        import pandas as pd
        click.echo(caption(headline_figures, result.replicates, lang))
        with pd.option_context("display.width", 160, "display.max_columns", 20,
                               "display.unicode.east_asian_width", lang == "zh"):
            click.echo(headline(result, lang).to_string())
    click.echo(str(folder))


def caption(headline_figures, replicates: int, lang: str) -> str:
    """What the printed table holds: each year's mean over the ``replicates``, and the
    titled per year over the horizon with its 90 % interval, from the run's
    ``headline_figures`` (:func:`titlesim.report.headline.headline`)."""
    from titlesim.i18n import msg
    from titlesim.report.words import num
    titled = headline_figures.set_index("measure").loc["titled_per_year"]
    return msg("run_summary.caption", lang, n=replicates, titled=num(titled["value"]),
               lo=num(titled["lo"]), hi=num(titled["hi"]))
