"""``titlesim calibrate SCENARIO --observed FILE``: fit free assumptions to a bureau's
observed counts and write a calibrated revision with its fit report."""
from __future__ import annotations

from pathlib import Path

import click

from titlesim.cli import (allow_large_option, check_work, cli, command_line, lang_option,
                          scenario_options)


@cli.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--observed", "observed_path", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Observed counts (.csv or .xlsx): year, group columns, metric, value.")
@click.option("--params", "params", multiple=True, metavar="KEY.PATH[=LOW:HIGH]",
              help="A parameter to fit, with optional bounds (repeatable, or comma-separated), "
                   "e.g. exam.mean_score=45:70. Default: those the observed metrics speak to.")
@click.option("--holdout-years", type=click.IntRange(min=0), default=0, show_default=True,
              help="Leave the last N observed years out of the fit and report how well the "
                   "fitted model predicts them (back-test).")
@scenario_options
@click.option("--max-evaluations", type=click.IntRange(min=1), default=200, show_default=True,
              help="Most evaluations of the fit (each simulates every replicate; "
                   "the slopes cost two more per parameter).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder under which the calibration folder is made "
                   "(default reports/calibrations/<scenario>/).")
@lang_option
@click.option("--quiet", is_flag=True, help="Print only the folder.")
@allow_large_option
def calibrate(scenario, observed_path, params, holdout_years, replicates, seed, overrides,
              max_evaluations, out, lang, quiet, allow_large):
    """Fit the free assumptions of SCENARIO to the counts of --observed with common random
    numbers (scipy.optimize.least_squares, bounded). Writes calibrated.yaml (a revision
    extending SCENARIO), parameters.csv, fit.csv, errors.csv, fit.svg and provenance.json."""
    from titlesim import load_scenario
    from titlesim.calibrate.fit import calibrate as fit
    from titlesim.calibrate.observed import read_observed
    from titlesim.calibrate.parameters import parse_params
    from titlesim.calibrate.report import errors_table, parameters_table, write_calibration
    from titlesim.people import Codebook
    from titlesim.runs import now

    started = now()
    loaded = load_scenario(scenario, overrides)
    work = check_work([loaded], replicates, out, allow_large, disk=False)  # one evaluation at a time
    # the starting establishment, a roster's read once: the estimate's, and the counts' ceilings
    observed = read_observed(observed_path, loaded.params, Codebook.from_scenario(loaded.params),
                             staff=work.people)
    free = parse_params(params, observed.rows["metric"].unique())
    cal = fit(loaded, observed, free, holdout_years, replicates, seed, max_evaluations,
              progress=None if not quiet else False)
    folder = write_calibration(cal, out, command_line(), lang, started)
    if not quiet:
        click.echo(summary(parameters_table(cal), errors_table(cal), lang))
    click.echo(str(folder))


def summary(parameters, errors, lang: str) -> str:
    from titlesim.i18n import msg
    from titlesim.labels import parameter_label
    lines = []
    for row in parameters.itertuples(index=False):
        se = "?" if row.std_error != row.std_error else f"{row.std_error:.3g}"
        lines.append(msg("calibrate.summary_parameter", lang, label=parameter_label(row.parameter, lang),
                         path=row.parameter, start=f"{row.start:.4g}", fitted=f"{row.fitted:.4g}", se=se))
    for row in errors[errors["metric"] == "all"].itertuples(index=False):
        lines.append(msg("calibrate.summary_errors", lang, set=msg(f"calibrate.set_{row.set}", lang),
                         rmse_before=f"{row.rmse_before:.3g}", rmse=f"{row.rmse:.3g}",
                         mape_before=f"{row.mape_before:.3g}", mape=f"{row.mape:.3g}"))
    return "\n".join(lines)
