"""No output of any command can attack the person who opens it: a scenario whose
description and a county name are spreadsheet formulas, and a score list whose person ids
are formulas, go through run, compare, export, sweep, passline and report; every CSV field
of every output is neutralised and every workbook cell holding text is a string cell."""
from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

import openpyxl
import pytest

from conftest import run_titlesim
from titlesim.tablefiles import TRIGGERS, _NUMBER

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "scenarios" / "baseline-2022.yaml"
EVIL_COUNTY = "=cmd|' /C calc'!A0"
EVIL_TEXT = '=HYPERLINK("http://evil.example/","click")'
SMALL = ["--set", "population.size=1500", "--set", "horizon.years=2", "--replicates", "2"]


def titlesim(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return run_titlesim(*args, cwd=cwd, env=env)


def evil_scenario(folder: Path, name: str = "evil.yaml", ratio: float = 0.5) -> Path:
    path = folder / name
    path.write_text(f"extends: {BASELINE}\ndescription: '{EVIL_TEXT}'\n"
                    f"population:\n  counties:\n    \"{EVIL_COUNTY}\": 600000\n"
                    f"passline:\n  ratio: {ratio}\n", encoding="utf-8")
    return path


def assert_nothing_runs(folder: Path) -> int:
    """Every CSV field and workbook cell under ``folder`` is inert; the number of files read."""
    checked = 0
    for path in folder.rglob("*"):
        if path.suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as fh:
                for row in csv.reader(fh):
                    for field in row:
                        assert not field.startswith(TRIGGERS) or _NUMBER.match(field), (path, field)
            checked += 1
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path)
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        assert cell.data_type != "f", (path, sheet.title, cell.coordinate, cell.value)
            checked += 1
    return checked


def assert_evil_text_kept_as_text(folder: Path, text: str) -> None:
    """The attack is still there to read, as inert text (nothing is silently dropped)."""
    found = any(("'" + text) in p.read_text(encoding="utf-8") for p in folder.rglob("*.csv"))
    assert found, f"'{text}' not found neutralised in any CSV under {folder}"


def test_run_export_and_compare_outputs_are_inert(tmp_path):
    evil = evil_scenario(tmp_path)
    other = evil_scenario(tmp_path, "evil2.yaml", ratio=0.6)
    for command in (["run", evil, *SMALL, "--quiet", "--out", tmp_path / "runs"],
                    ["export", evil, *SMALL, "--quiet", "--out", tmp_path / "exports"],
                    # its tables and workbook, not its figures (PNG and SVG), are what is checked
                    ["compare", evil, other, *SMALL, "--quiet", "--no-figures", "--out",
                     tmp_path / "compare"]):
        result = titlesim(*command, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    for name in ("runs", "exports", "compare"):
        assert assert_nothing_runs(tmp_path / name) >= 2
    assert_evil_text_kept_as_text(tmp_path / "runs", EVIL_COUNTY)
    assert_evil_text_kept_as_text(tmp_path / "compare", EVIL_COUNTY)
    book = openpyxl.load_workbook(next((tmp_path / "compare").rglob("compare.xlsx")))
    texts = [c.value for s in book.worksheets for r in s.iter_rows() for c in r]
    assert EVIL_TEXT in texts  # shown as the text it is, in a string cell


def test_sweep_outputs_are_inert(tmp_path):
    evil = evil_scenario(tmp_path)
    grid = tmp_path / "grid.yaml"
    grid.write_text("parameters:\n  passline.ratio: [0.4, 0.6]\n", encoding="utf-8")
    result = titlesim("sweep", evil, "--grid", grid, *SMALL, "--workers", "1", "--quiet",
                      "--out", tmp_path / "sweep", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert assert_nothing_runs(tmp_path / "sweep") >= 2


def test_passline_outputs_are_inert(tmp_path):
    scores = tmp_path / "scores.csv"
    ids = [EVIL_COUNTY, "@SUM(A1:A9)", "+1+1", "-1+1", "\t=1"]
    rows = [f'"{i}",2022,health,deputy_senior,内科,忻府区,乡镇卫生院,是,{60 + n}'
            for n, i in enumerate(ids)]
    scores.write_text("person_id,exam_year,series,level,specialty,county,unit_type,grassroots,"
                      "score\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = titlesim("passline", scores, "--scenario", BASELINE, "--year", "2023",
                      "--out", tmp_path / "lines", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert assert_nothing_runs(tmp_path / "lines") == 3
    assert_evil_text_kept_as_text(tmp_path / "lines", EVIL_COUNTY)


@pytest.mark.slow
def test_report_outputs_are_inert(tmp_path):
    evil = evil_scenario(tmp_path)
    result = titlesim("report", evil, *SMALL, "--out", "reports/evil",
                      cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert assert_nothing_runs(tmp_path / "reports") >= 2
