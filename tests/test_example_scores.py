"""The synthetic score list in examples/ (CSV with Chinese headers, a GBK copy, an XLSX) is
what its script makes, and `titlesim passline` reads each of the three alike."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import run_titlesim

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FILES = ("score-list-2022.csv", "score-list-2022-gbk.csv", "score-list-2022.xlsx")


def cells(path: Path) -> list[list[str]]:
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path, read_only=True).active
        return [["" if v is None else f"{v:g}" if isinstance(v, float) else str(v) for v in row]
                for row in sheet.iter_rows(values_only=True)]
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("gbk")
    return list(csv.reader(text.splitlines()))


def test_the_script_makes_the_same_files(tmp_path):
    subprocess.run([sys.executable, str(EXAMPLES / "make_score_list.py"), "--out", str(tmp_path)],
                   check=True)
    for name in FILES[:2]:
        assert (tmp_path / name).read_bytes() == (EXAMPLES / name).read_bytes(), name
    assert cells(tmp_path / FILES[2]) == cells(EXAMPLES / FILES[2])


def test_the_three_copies_hold_the_same_rows_with_chinese_headers():
    first, gbk, xlsx = (cells(EXAMPLES / name) for name in FILES)
    assert first == gbk == xlsx
    assert first[0] == ["人员编号", "考试年度", "系列", "级别", "专业", "县（市、区）", "单位类型", "基层", "成绩"]
    assert len(first) == 721 and any(row[-1] == "" for row in first[1:])  # some absent
    assert (EXAMPLES / FILES[1]).read_bytes().decode("gbk")  # really GBK, not UTF-8
    with pytest.raises(UnicodeDecodeError):
        (EXAMPLES / FILES[1]).read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", FILES)
def test_passline_runs_on_each_copy(tmp_path, name):
    out = tmp_path / "out"
    result = run_titlesim("passline", EXAMPLES / name, "--scenario",
                          ROOT / "scenarios/baseline-2022.yaml", "--out", out)
    assert result.returncode == 0, result.stderr
    with (out / "lines.csv").open(encoding="utf-8-sig") as fh:
        lines = list(csv.DictReader(fh))
    assert len(lines) == 10  # one ratio line per specialty
    assert sum(int(r["applied"]) for r in lines) > 100
    assert all(float(r["line_score"]) < 60 for r in lines)  # below the provincial standard
    with (out / "persons.csv").open(encoding="utf-8-sig") as fh:
        assert len(list(csv.DictReader(fh))) == 720
