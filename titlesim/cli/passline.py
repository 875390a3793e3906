"""``titlesim passline SCORES --scenario S --out DIR``: set the pass lines of a real score list.

Applies clause 一(三)'s rule (:mod:`titlesim.rules.passline`) to each exam year of the
list under the scenario's ``passline``, ``validity`` and ``attached_units`` parameters, and
writes ``lines.csv``, ``persons.csv`` (and with ``--year`` ``valid_in_year.csv``) into a
new folder.
"""
from __future__ import annotations

import click

from titlesim.cli import cli, command_line, set_option


@cli.command()
@click.argument("scores", metavar="SCORE_LIST", type=click.Path(dir_okay=False))
@click.option("--scenario", "scenario_path", required=True, type=click.Path(dir_okay=False),
              help="Scenario file (.yaml) whose passline and validity apply.")
@set_option
@click.option("--year", type=click.IntRange(1949, 2200), default=None,
              help="Also list the passes usable in this evaluation year (valid_in_year.csv).")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="New folder for the results (must not exist, or be empty).")
@click.option("--leave-out-no-exam", is_flag=True,
              help="Leave out (and count) rows of a series or level the ratio rule does not "
                   "apply to (not in exam.levels), instead of refusing the list; such rows never "
                   "count towards the ratio places k.")
@click.option("--quiet", is_flag=True, help="Print nothing on success.")
def passline(scores, scenario_path, overrides, year, out_dir, leave_out_no_exam, quiet):
    """Set the grassroots ratio lines (按比例划定合格标准) of a score list (.csv or .xlsx).

    Columns: person_id, exam_year, series, level, specialty, county, unit_type,
    grassroots, score (or their Chinese headers 人员编号, 考试年度, 系列, 级别, 专业,
    县（市、区）, 单位类型, 基层, 成绩). An empty score is an applicant who did not sit.
    """
    from titlesim.scenario import load_scenario
    from titlesim.scorelist import run_passline  # lazily: pandas only when used

    scenario = load_scenario(scenario_path, overrides)
    lines = run_passline(scores, scenario, year, out_dir, command=command_line(),
                         leave_out_no_exam=leave_out_no_exam)
    if quiet:
        return
    from titlesim.i18n import msg
    if lines.attrs["left_out"]:
        rows = lines.attrs["left_out"]
        click.echo(msg("scorelist_left_out", n=len(rows),
                       rows=", ".join(map(str, rows[:20])) + (" ..." if len(rows) > 20 else "")))
    numbers = ("applied", "sat", "k", "line_score", "passed_ratio_only", "passed_provincial")
    # each group as the list writes it: the label column where there is one, else the value
    groups = [c for c in lines.columns if c not in numbers and f"{c}_label" not in lines]
    click.echo(msg("passline.summary", groups=len(lines), folder=out_dir))
    standard = scenario.params.passline.provincial_standard
    for row in lines.itertuples(index=False):
        where = " ".join(str(getattr(row, c)) for c in groups)
        no_line = row.line_score != row.line_score
        line = msg("passline.no_line") if no_line else msg("passline.line", score=f"{row.line_score:g}")
        # at or above a line no higher than the standard: the ratio-only passes and every
        # provincial pass; more than k where scores tie at the line, fewer under a floor
        above = row.passed_ratio_only + row.passed_provincial
        shown_above = not no_line and row.line_score <= standard and above != row.k
        click.echo("  " + msg("passline.group", where=where, line=line, k=row.k,
                              applied=row.applied, sat=row.sat, ratio_only=row.passed_ratio_only,
                              provincial=row.passed_provincial, passed=above,
                              above=msg("passline.above", n=above) if shown_above else ""))
