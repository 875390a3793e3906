"""``titlesim sweep SCENARIO --grid GRID.yaml``: run a scenario at every point of a grid,
each point with the same seed and replicates, on local worker processes or a Dask cluster."""
from __future__ import annotations

import os
from pathlib import Path

import click

from titlesim.cli import (allow_large_option, check_work, cli, command_line, lang_option,
                          scenario_options)

SHOWN_POINTS = 20


def where_options(fn):
    """--workers / --scheduler, shared by sweep and sensitivity."""
    fn = click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
                      help="Run on an existing Dask cluster (start it with 'dask scheduler' "
                           "and 'dask worker'; see docs/commands.md).")(fn)
    fn = click.option("--workers", type=click.IntRange(min=1), default=None,
                      help="Local worker processes (default: the number of CPU cores); "
                           "1 runs every point in this process.")(fn)
    return fn


def check_points(loaded, replicates, where, allow_large: bool) -> None:
    """Each local worker simulates one point at a time: their memory must fit together."""
    if not where.scheduler:  # a cluster's machines are not this one
        check_work([loaded] * where.workers, replicates, None, allow_large, disk=False)


def where_from(workers, scheduler):
    from titlesim.errors import InputError, Problem
    from titlesim.sweep import Where
    if workers is not None and scheduler:
        raise InputError(Problem("give --workers or --scheduler, not both", key="--scheduler"))
    if scheduler:
        return Where(scheduler=scheduler)
    return Where(workers=workers or os.cpu_count() or 1)


def folder_options(fn):
    """--out / --resume / --lang / --quiet, shared by sweep and sensitivity."""
    fn = click.option("--quiet", is_flag=True, help="No progress bar and no summary.")(fn)
    fn = lang_option(fn)
    fn = click.option("--resume", is_flag=True,
                      help="Continue the sweep in the existing --out folder: points finished "
                           "there are kept, only the others are computed. (A sweep folder is "
                           "the one output folder titlesim reuses, and only with --resume.)")(fn)
    fn = click.option("--out", type=click.Path(path_type=Path), default=None,
                      help="The sweep folder (default: a new reports/<command>/<scenario>/"
                           "<time>-<hash>). Must not exist, unless --resume.")(fn)
    return fn


@cli.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--grid", "grid_file", required=True, type=click.Path(path_type=Path),
              help="Grid YAML: parameters and their values or ranges (scenarios/grids/).")
@scenario_options
@where_options
@folder_options
@click.option("--chart", "charts", multiple=True, metavar="OUTCOME",
              help="Outcome to chart (repeatable; default: every headline outcome).")
@click.option("--no-charts", is_flag=True, help="Write no charts.")
@allow_large_option
def sweep(scenario, grid_file, replicates, seed, overrides, workers, scheduler, out, resume,
          lang, quiet, charts, no_charts, allow_large):
    """Simulate SCENARIO at every point of GRID (a full grid, or a Latin hypercube / Sobol'
    sample), with common random numbers, and write sweep.parquet/.csv (per point, replicate
    and year), totals.parquet/.csv (over the whole horizon), points.csv, charts/ and
    provenance.json. The table is the same whatever the workers, the scheduler or the order
    points finish in. Interrupted? Rerun with the same --out and --resume."""
    from titlesim import load_scenario
    from titlesim.compare.outcomes import headline
    from titlesim.runs import file_sha256
    from titlesim.sweep import load_grid, run_sweep
    from titlesim.sweep.charts import sweep_charts
    from titlesim.sweep.store import write_atomic

    for name in charts:
        outcome_option(name, "--chart")
    where = where_from(workers, scheduler)
    loaded = load_scenario(scenario, overrides)
    check_points(loaded, replicates, where, allow_large)
    grid = load_grid(grid_file, loaded)
    run_seed = loaded.params.seed if seed is None else seed

    def finish(result):  # the grid and the charts, before the folder lands
        write_atomic(result.folder / "grid.yaml",
                     lambda tmp: tmp.write_bytes(Path(grid_file).read_bytes()))
        if not no_charts:
            sweep_charts(result.totals, result.paths, list(charts) or [o.name for o in headline()],
                         result.folder / "charts", lang,
                         sampled=tuple(p.path for p in grid.parameters if p.sampled))

    result = run_sweep(
        loaded, grid.points(run_seed), grid.paths, seed=run_seed, replicates=replicates, out=out,
        resume=resume, where=where, progress=not quiet, command=command_line(),
        source=str(grid_file), finish=finish,
        provenance={"grid": str(grid_file), "grid_sha256": file_sha256(grid_file),
                    "sample": {"method": grid.method, "size": grid.size,
                               "seed": grid.seed if grid.seed is not None else run_seed}
                    if grid.method else None})
    if not quiet:
        click.echo(summary(result, lang), err=True)
    click.echo(str(result.folder))


def outcome_option(name: str, option: str):
    """The outcome an option names (an InputError naming the option if none)."""
    from titlesim.compare.outcomes import get
    from titlesim.errors import InputError, Problem
    try:
        return get(name)
    except ValueError as exc:
        raise InputError(Problem(str(exc), key=option)) from None


def summary(result, lang: str = "zh") -> str:
    """Points computed and reused, then per point the mean over replicates of each headline
    outcome over the horizon (the first points; the rest are in totals.csv): people as
    whole numbers, parameters by their labels."""
    import pandas as pd
    from titlesim.compare.outcomes import headline
    from titlesim.i18n import msg
    from titlesim.labels import label
    head = msg("sweep.points_summary", points=len(result.points), computed=len(result.computed),
               reused=len(result.reused))
    outcomes = headline()
    names = [o.name for o in outcomes]
    means = result.totals.groupby("point")[[*result.paths, *names]].agg(
        {**{p: "first" for p in result.paths}, **{n: "mean" for n in names}})
    for o in outcomes:  # counts of people (and sittings) are whole; years and shares are not
        means[o.name] = means[o.name].round().astype("int64") if o.unit in ("persons", "sittings") \
            else means[o.name].round(2)
    means.columns = [*(label("parameter", p, lang) for p in result.paths),
                     *(label("outcome", n, lang) for n in names)]
    means.index.name = label("column", "point", lang)
    shown = means.head(SHOWN_POINTS)
    with pd.option_context("display.width", 200, "display.max_columns", 30,
                           "display.unicode.east_asian_width", lang == "zh"):
        text = shown.to_string()
    more = len(means) - len(shown)
    if more:
        text += "\n" + msg("sweep.more_points", more=more)
    return f"{head}\n{text}"
