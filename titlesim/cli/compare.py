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
@allow_large_option
def compare(base, revisions, replicates, seed, overrides, out, lang, quiet, allow_large):
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
                              progress=None if not quiet else False)
    if not quiet:
        click.echo(summary(cmp, lang))
    click.echo(str(folder))


def summary(cmp, lang: str = "zh") -> str:
    """Per revision: the parameters it changes and each headline outcome over the horizon,
    base and revision means and the paired difference with its 90 % interval."""
    from titlesim import labels
    from titlesim.compare.outcomes import get
    zh = lang == "zh"
    lines = []
    impact = cmp.impact[cmp.impact["year"] == "total"]
    for name in cmp.revision_names:
        changed = cmp.diff[cmp.diff["revision"] == name]
        lines.append(f"{name} vs {cmp.base_name}"
                     + (f"（{cmp.replicates}次重复，种子{cmp.seed}）" if zh else
                        f" ({cmp.replicates} replicates, seed {cmp.seed})"))
        for row in changed.itertuples():
            label = row.label_zh if zh else row.label_en
            lines.append(f"  {row.key} ({label}): {_value(row.base_value)} -> "
                         f"{_value(row.revision_value)}")
        if changed.empty:
            lines.append("  " + ("无参数差异" if zh else "no parameter differs"))
        for row in impact[impact["revision"] == name].itertuples():
            o = get(row.outcome)
            f = ",.1f" if o.unit in ("persons", "sittings") else ",.2f"
            diff_unit = labels.label("unit", "percentage_points" if o.unit == "percent" else o.unit,
                                     lang)
            lines.append(f"  {o.label(lang)}: {row.base_mean:{f}} -> {row.revision_mean:{f}}  "
                         f"{'差' if zh else 'diff'} {row.diff_mean:+{f}} "
                         f"[{row.diff_lo:+{f}}, {row.diff_hi:+{f}}] {diff_unit}")
        lines.append("  " + labels.label("year", "total", lang) + (
            "：人数为各年合计，待聘人数与占比为期末值，平均待聘年数为全期已聘人员的平均；"
            "区间为各重复配对差的5%-95%分位" if zh else
            ": counts summed over the years, waiting and shares at the end, years waited over "
            "all hired in the horizon; interval: 5th-95th percentile of the paired differences"))
    return "\n".join(lines)


def _value(value) -> str:
    from titlesim.paramdoc import format_value
    return format_value(value)
