"""``titlesim roster check FILE``: check a bureau's roster (人员花名册) against a scenario.

Every problem of the file is listed at once (row, column, value, what was expected) and
the command exits with status 2; a valid roster prints its headcount by county, unit type
and level. Nothing is written either way. ``titlesim roster columns`` prints the table
of accepted columns.
"""
from __future__ import annotations

from pathlib import Path

import click

from titlesim.cli import cli, lang_option, set_option, warnings_shown_after
from titlesim.workfolder import default_scenario

@cli.group()
def roster():
    """Check a roster (人员花名册) before simulating it."""


@roster.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--scenario", "scenario_path", type=click.Path(dir_okay=False, path_type=Path),
              default=default_scenario, show_default="scenarios/baseline-2022.yaml",
              help="Scenario whose counties, unit types, specialties and start year apply.")
@set_option
@click.option("--all-problems", is_flag=True,
              help="List every row of every problem (by default 50 per column and problem, "
                   "then a count).")
@lang_option
def check(file, scenario_path, overrides, all_problems, lang):
    """Check FILE (.csv in UTF-8 or GBK, or .xlsx): every problem with its row, or the
    headcount by county, unit type and level. Identifiers are hashed and never shown."""
    from titlesim.roster import read_roster
    from titlesim.roster.problems import MAX_SHOWN
    from titlesim.scenario import load_scenario

    loaded = load_scenario(scenario_path, overrides)
    checked = read_roster(file, loaded.params, max_shown=None if all_problems else MAX_SHOWN)
    click.echo(summary(checked, file, loaded.params, lang))
    from titlesim.roster.workforce import unit_establishment, warn_if_overstaffed
    with warnings_shown_after():
        warn_if_overstaffed(len(checked.rows), int(unit_establishment(checked.rows).sum()))


@roster.command()
def columns():
    """Print the accepted columns (Markdown table)."""
    from titlesim.roster.columns import markdown_table
    click.echo(markdown_table())


def summary(checked, file, params, lang: str) -> str:
    """Headcount by county and by unit type (in the scenario's order) and level."""
    import pandas as pd

    from titlesim.i18n import msg
    from titlesim.intake import format_words
    from titlesim.labels import label
    from titlesim.scenario.schema import LEVELS
    rows = checked.rows
    lines = [msg("roster.summary", lang, file=file, people=len(rows), units=rows["unit"].nunique(),
                 format=format_words(checked.format), identifier=checked.identifier)]
    if checked.ignored:
        lines.append(msg("roster.ignored", lang, columns="、".join(checked.ignored)))
    order = {"county": list(params.population.counties),
             "unit_type": list(params.population.unit_types)}
    for column, names in order.items():
        counts = pd.crosstab(rows[column], rows["level"])
        counts = counts.reindex(index=[n for n in names if n in counts.index],
                                columns=list(LEVELS), fill_value=0)
        counts.index = [label(column, n, lang) for n in counts.index]
        counts.columns = [label("level", lv, lang) for lv in LEVELS]
        counts.index.name = label("column", column, lang)
        lines.append(counts.to_string())
    return "\n".join(lines)
