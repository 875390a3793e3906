"""``titlesim validate FILE...``: check scenarios and score lists before a run.

Every file is checked and every problem of every file is reported (not only the first);
good files are listed as ``ok: FILE``. The exit status is 2 if any file has a problem.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from titlesim.cli import cli, set_option
from titlesim.errors import InputError, Problem

if TYPE_CHECKING:
    from titlesim.yamlfile import YamlDoc


SCENARIO_SUFFIXES = (".yaml", ".yml")
SCORE_LIST_SUFFIXES = (".csv", ".xlsx", ".parquet")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@set_option
@click.option("--full-marks", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Full marks of score lists (default: that of a scenario given alongside).")
def validate(files, overrides, full_marks):
    """Check scenario files (.yaml) and score lists (.csv, .xlsx, .parquet) and report every problem.

    Scenarios are checked first, so that a score list can use their full marks, and a
    parameter grid (a .yaml of ``parameters:``) the scenario it is swept over.
    """
    paths = [Path(f) for f in files]
    yamls = [(p, _read(p)) for p in paths if p.suffix.lower() in SCENARIO_SUFFIXES]
    grids, scenarios = [], []
    for path, doc in yamls:  # each file told apart once, as it was read
        (grids if _is_grid(doc) else scenarios).append((path, doc))
    problems: list[Problem] = []
    loaded = None
    for path, doc in scenarios:
        found, scenario = _check_scenario(path, doc, overrides)
        loaded = loaded or scenario
        full_marks = full_marks or (scenario.params.passline.full_marks if scenario else None)
        problems += _report(path, found)
    for path, doc in grids:
        problems += _report(path, _check_grid(path, doc, loaded))
    for path in (p for p in paths if p.suffix.lower() not in SCENARIO_SUFFIXES):
        problems += _report(path, _check_other(path, full_marks))
    if problems:
        # a bad --set is the same problem for every file: report it once
        raise InputError(list(dict.fromkeys(problems)))


def _report(path: Path, problems: list[Problem]) -> list[Problem]:
    if not problems:
        from titlesim.i18n import msg
        click.echo(msg("validate.ok", path=path))
    return problems


def _read(path: Path) -> YamlDoc | InputError:
    """The file read once, to tell a grid from a scenario and to check it: its YamlDoc, or
    the error of reading it (such a file is checked as a scenario, which says why)."""
    from titlesim.yamlfile import read_yaml
    try:
        return read_yaml(path, "scenario")
    except InputError as exc:
        return exc


def _check_scenario(path: Path, doc: YamlDoc | InputError, overrides):
    """The scenario's problems, and the scenario when it has none (``doc``: as read)."""
    from titlesim.scenario import load_scenario
    if isinstance(doc, InputError):
        return doc.problems, None
    try:
        return [], load_scenario(path, overrides, doc)
    except InputError as exc:
        return exc.problems, None


def _is_grid(doc: YamlDoc | InputError) -> bool:
    """A parameter grid of ``titlesim sweep --grid``: its keys are a grid's, ``parameters``
    among them (``doc``: the file as read)."""
    from titlesim.sweep.grid import GRID_KEYS
    data = None if isinstance(doc, InputError) else doc.data
    return isinstance(data, dict) and "parameters" in data and set(map(str, data)) <= set(GRID_KEYS)


def _check_grid(path: Path, doc: YamlDoc, scenario) -> list[Problem]:
    """A grid's problems against the scenario given alongside (its keys and values must be
    that scenario's); ``doc``: the grid as read."""
    if scenario is None:
        return [Problem("a parameter grid is checked against the scenario it is swept over",
                        file=str(path), expected="a scenario file given alongside, without problems")]
    from titlesim.sweep.grid import load_grid
    try:
        load_grid(path, scenario, doc)
    except InputError as exc:
        return exc.problems
    return []


def _check_other(path: Path, full_marks: float | None) -> list[Problem]:
    if path.suffix.lower() not in SCORE_LIST_SUFFIXES:
        return [Problem("cannot check this kind of file", file=str(path),
                        expected="a scenario (.yaml, .yml) or a score list (.csv, .xlsx, .parquet)")]
    if full_marks is None:
        return [Problem("the full marks of the scores are not known", file=str(path),
                        expected="--full-marks N, or a scenario file given alongside")]
    from titlesim.scorelist import read_score_list  # lazily: only score lists need it
    try:
        read_score_list(path, full_marks)
    except InputError as exc:
        return [p if p.file else replace(p, file=str(path)) for p in exc.problems]
    return []
