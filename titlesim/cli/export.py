"""``titlesim export SCENARIO``: the simulated title results as a person-event table
(职称数据归集, notice 二(三)): one row per application, written to a new folder."""
from __future__ import annotations

import hashlib
from pathlib import Path

import click

from titlesim.cli import allow_large_option, check_work, cli, command_line, scenario_options

VALUE_STYLES = ("codes", "zh", "en")


@cli.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@scenario_options
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder under which the export folder is made "
                   "(default reports/exports/<scenario>/).")
@click.option("--labels", "style", type=click.Choice(VALUE_STYLES), default=None,
              help="Headers and values of events.csv: Chinese (zh) or English (en) labels "
                   "(default: the language in use), or the documented codes (codes).")
@click.option("--quiet", is_flag=True, help="Print only the folder.")
@allow_large_option
def export(scenario, replicates, seed, overrides, out, style, quiet, allow_large):
    """Simulate SCENARIO and write events.csv (one row per person, year and application:
    year, level sought, route, exam, result, scope, hired), columns.csv (what each column
    means) and provenance.json into a new folder."""
    from titlesim import load_scenario
    from titlesim.export import columns_table, labelled, person_events
    from titlesim.i18n import current_language
    from titlesim.runfolder import base_provenance, run_folder, safe_component, write_json
    from titlesim.runs import now
    from titlesim.tablefiles import write_csv

    started = now()
    style = style or current_language()  # a table for people: labels unless codes are asked for
    loaded = load_scenario(scenario, overrides)
    reps = loaded.params.replicates if replicates is None else replicates
    seed = loaded.params.seed if seed is None else seed
    check_work([loaded], reps, out, allow_large)
    events, _ = person_events(loaded, replicates=reps, seed=seed)
    table = events if style == "codes" else labelled(events, style)
    parent = out if out is not None else Path("reports") / "exports" / safe_component(loaded.name)
    short = hashlib.sha256(f"{loaded.sha256()}:{seed}:{reps}".encode()).hexdigest()
    with run_folder(parent, short) as folder:
        tmp = folder.tmp
        write_csv(table, tmp / "events.csv")
        write_csv(columns_table(), tmp / "columns.csv")
        write_json(tmp / "provenance.json", base_provenance() | {
            "kind": "export", "command": command_line(), "scenario": loaded.name,
            "title": {lang: loaded.title_in(lang) for lang in ("zh", "en")},
            "scenario_sha256": loaded.sha256(), "overrides": list(loaded.overrides),
            "seed": seed, "replicates": reps, "rows": len(events), "labels": style,
            "started": started, "ended": now()})
    if not quiet:
        titled = int((events["result"] == "titled").sum())
        from titlesim.i18n import msg
        click.echo(msg("export.summary", applications=len(events), titled=titled, replicates=reps))
    click.echo(str(folder.path))
