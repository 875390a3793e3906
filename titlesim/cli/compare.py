"""``titlesim compare BASE REVISION...``: what differs and what changes between criteria
revisions, every scenario run with the same seed and replicates (common random numbers)."""
from __future__ import annotations

from pathlib import Path

import click

from titlesim.cli import (allow_large_option, check_work, cli, command_line, lang_option,
                          scenario_options)


@cli.command()
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("revisions", nargs=-1, required=True, type=click.Path(path_type=Path))
@scenario_options
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder under which the comparison folder is made "
                   "(default reports/compare/<base>/).")
@lang_option
@click.option("--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("--no-figures", is_flag=True,
              help="Write the tables, workbook and provenance but no figures (faster).")
@allow_large_option
def compare(base, revisions, replicates, seed, overrides, out, lang, quiet, no_figures, allow_large):
    """Compare BASE with each REVISION: diff.csv (what differs), impact.csv and
    impact_by_group.csv (what changes, with 90% intervals of the paired differences),
    equity.csv, figures, compare.xlsx and provenance.json in a new folder.

    --set applies to every scenario (e.g. --set population.size=5000).
    """
    from titlesim import load_scenario
    from titlesim.compare import compare as run_comparison
    from titlesim.compare import write_comparison
    from titlesim.i18n import msg
    from titlesim.runs import now

    started = now()
    base_scenario = load_scenario(base, overrides)
    revision_scenarios = [load_scenario(path, overrides) for path in revisions]
    check_work([base_scenario, *revision_scenarios], replicates, out, allow_large)
    cmp = run_comparison(base_scenario, revision_scenarios, replicates=replicates, seed=seed,
                         progress=None if not quiet else False)
    for note in cmp.notes:
        click.echo(msg("cli.note", note=note), err=True)
    folder = write_comparison(cmp, out, lang=lang, command=command_line(), started=started,
                              progress=None if not quiet else False, figures=not no_figures)
    if not quiet:
        click.echo(summary(cmp, lang))
    click.echo(str(folder))


def summary(cmp, lang: str = "zh") -> str:
    """Per revision (by its title): the parameters it changes, in words, and each headline
    outcome over the horizon, base and revision means and the paired difference with its
    90 % interval (people as whole numbers, never -0; the difference is that of the shown
    means, so the line adds up by hand; the interval holds it, docs/guide.md)."""
    from titlesim import labels
    from titlesim.compare.outcomes import get
    from titlesim.compare.small_workforce import in_words as small_workforce_words
    from titlesim.compare.small_workforce import too_small_to_show
    from titlesim.i18n import msg
    from titlesim.paramdoc import flatten
    from titlesim.report.words import difference_and_interval, num, shown_value
    lines = []
    impact = cmp.impact[cmp.impact["year"] == "total"]
    base = cmp.scenarios[cmp.base_name]
    for name in cmp.revision_names:
        revision = cmp.scenarios[name]
        changed = cmp.diff[cmp.diff["revision"] == name]
        lines.append(msg("compare_summary.header", lang, revision=revision.title_in(lang),
                         base=base.title_in(lang), replicates=cmp.replicates, seed=cmp.seed))
        old, new = flatten(base.resolved), flatten(revision.resolved)
        for row in changed.itertuples():
            label = row.label_zh if lang == "zh" else row.label_en
            lines.append("  " + msg("compare_summary.parameter", lang, path=row.key, label=label,
                                    old=shown_value(row.key, old.get(row.key), lang),
                                    new=shown_value(row.key, new.get(row.key), lang)))
        if changed.empty:
            lines.append("  " + msg("compare_summary.no_difference", lang))
        for row in impact[impact["revision"] == name].itertuples():
            o = get(row.outcome)
            d = 0 if o.unit in ("persons", "sittings") else 2
            diff_unit = labels.label("unit", "percentage_points" if o.unit == "percent" else o.unit,
                                     lang)
            diff, lo, hi = difference_and_interval(row.base_mean, row.revision_mean,
                                                   row.diff_lo, row.diff_hi, d)
            lines.append("  " + msg("compare_summary.outcome", lang, outcome=o.label(lang),
                                    base=num(row.base_mean, d), revision=num(row.revision_mean, d),
                                    diff=diff, lo=lo, hi=hi, unit=diff_unit))
        lines.append("  " + labels.label("year", "total", lang)
                     + msg("compare_summary.note_total", lang))
        too_small = too_small_to_show(cmp, name)
        if too_small:
            lines.append("  " + small_workforce_words(too_small, revision.title_in(lang), lang))
    return "\n".join(lines)
