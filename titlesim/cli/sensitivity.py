"""``titlesim sensitivity SCENARIO --params KEY=LO:HI ... --outcome NAME``: which
assumptions matter most for one outcome (SALib Sobol' or Morris indices, tornado chart)."""
from __future__ import annotations

from pathlib import Path

import click

from titlesim.cli import allow_large_option, cli, command_line, scenario_options
from titlesim.cli.sweep import (check_points, folder_options, outcome_option, where_from,
                                where_options)


@cli.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--params", "params", multiple=True, required=True, metavar="KEY.PATH=LO:HI",
              help="A parameter and its range (repeat for each), e.g. passline.ratio=0.3:0.8.")
@click.option("--outcome", required=True, metavar="NAME",
              help="The outcome over the whole horizon, e.g. passed_ratio_only, titled_grassroots.")
@click.option("--method", type=click.Choice(["sobol", "morris"]), default="sobol", show_default=True,
              help="sobol: first-order and total indices S1, ST with confidence intervals; "
                   "morris: the mean absolute elementary effect μ* (cheaper).")
@click.option("--samples", type=click.IntRange(min=1), default=32, show_default=True,
              help="Base samples N: Sobol' runs N x (params + 2) points (N a power of 2), "
                   "Morris N x (params + 1).")
@scenario_options
@where_options
@folder_options
@allow_large_option
def sensitivity(scenario, params, outcome, method, samples, replicates, seed, overrides, workers,
                scheduler, out, resume, lang, quiet, allow_large):
    """Global sensitivity of OUTCOME to each --params range: indices.csv (ranked, 1 = matters
    most), tornado.png/.svg, the points' tables (as a sweep) and provenance.json. Every point
    shares the same seed and replicates."""
    from titlesim import load_scenario
    from titlesim.runs import write_csv
    from titlesim.sweep import run_sweep
    from titlesim.sweep import sensitivity as sa
    from titlesim.sweep.charts import save, tornado
    from titlesim.sweep.store import write_atomic

    chosen = outcome_option(outcome, "--outcome")
    where = where_from(workers, scheduler)
    loaded = load_scenario(scenario, overrides)
    check_points(loaded, replicates, where, allow_large)
    parameters = sa.parse_params(params, loaded)
    run_seed = loaded.params.seed if seed is None else seed
    design = sa.design(parameters, method, samples, run_seed)

    def finish(result):  # before the folder lands: an outcome that ranks nothing leaves none
        y = sa.outcome_per_point(result.totals, chosen.name, len(result.points))
        table = sa.indices(design, y, run_seed)
        write_atomic(result.folder / "indices.csv", lambda tmp: write_csv(table, tmp))
        save(tornado(table, method, chosen.name, lang), result.folder, "tornado")
        return table

    result = run_sweep(
        loaded, design.points(), design.paths, seed=run_seed, replicates=replicates, out=out,
        resume=resume, where=where, progress=not quiet, kind="sensitivity",
        command=command_line(), finish=finish,
        provenance={"sensitivity": {"method": method, "samples": samples, "outcome": chosen.name,
                                    "ranges": {p.path: [p.low, p.high] for p in parameters}}})
    if not quiet:
        click.echo(summary(result.finished, method, chosen, lang), err=True)
    click.echo(str(result.folder))


SYMBOLS = {"ST": "ST", "S1": "S1", "mu_star": "μ*"}  # as the tornado chart's legend writes them


def summary(table, method: str, outcome, lang: str = "zh") -> str:
    """The ranking in words: each index by its symbol (as on the tornado chart), with its
    95 % interval never below 0 (:func:`~titlesim.sweep.sensitivity.index_interval`)."""
    from titlesim.i18n import msg
    from titlesim.sweep.charts import INDEX_LABELS, ui
    from titlesim.sweep.sensitivity import MAIN_INDEX, index_interval
    main = MAIN_INDEX[method]
    rows = [msg("sensitivity_ranked_by", lang, outcome=outcome.label(lang),
                index=ui(INDEX_LABELS[main], lang))]
    for row in table.itertuples():
        name = row.label_zh if lang == "zh" else row.label_en
        shown = [msg("sensitivity_index_value", lang, index=SYMBOLS[index], value=getattr(row, index),
                     low=low, high=high)
                 for index in ([main, "S1"] if method == "sobol" else [main])
                 for low, high in [index_interval(getattr(row, index), getattr(row, index + "_conf"))]]
        rows.append(msg("sensitivity_row", lang, rank=row.rank, name=name, path=row.parameter,
                        values=msg("list_separator_words", lang).join(shown)))
    return "\n".join(rows)
