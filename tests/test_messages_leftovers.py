"""Sentences the code writes in English with parameters (sweeps, grids, sensitivity,
calibration, rosters, tables, run folders) reach the user in Chinese by default, in
English with ``--lang en``."""
from __future__ import annotations

import csv
import re
import string
from importlib import resources

import pytest
from click.testing import CliRunner
from conftest import BASELINE

from titlesim.cli import _register, cli
from titlesim.i18n import ENV_VAR, problem_text

_register()
HAN = re.compile(r"[\u4e00-\u9fff]")


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="titlesim", env={ENV_VAR: None})


def leftover_rows():
    path = resources.files("titlesim").joinpath("data/messages/leftovers.csv")
    with path.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r["key"].startswith("problem:")]


@pytest.mark.parametrize("row", leftover_rows(), ids=lambda r: r["key"])
def test_each_english_sentence_is_read_back_in_chinese(row):
    fields = {name: f"V{i}" for i, (_, name, _, _) in enumerate(string.Formatter().parse(row["en"]))
              if name}
    english = row["en"].format(**fields)
    assert problem_text(english, "zh") == row["zh"].format(**fields)
    assert problem_text(english, "en") == english


def write_grid(tmp_path, body: str):
    grid = tmp_path / "grid.yaml"
    grid.write_text(body, encoding="utf-8")
    return grid


def test_an_empty_range_in_a_grid_is_told_in_chinese(tmp_path):
    grid = write_grid(tmp_path, "parameters:\n  passline.ratio: {min: 0.9, max: 0.3, step: 0.1}\n")
    result = invoke("sweep", BASELINE, "--grid", grid, "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "范围为空：min 0.9 > max 0.3" in result.output and "min 小于 max" in result.output
    assert "the range is empty" not in result.output and "expected" not in result.output
    english = invoke("sweep", BASELINE, "--grid", grid, "--out", tmp_path / "out", "--lang", "en")
    assert "the range is empty: min 0.9 > max 0.3" in english.output
    assert not HAN.search(english.output)


def test_a_sweep_folder_in_the_way_is_told_in_chinese(tmp_path):
    grid = write_grid(tmp_path, "parameters:\n  passline.ratio: [0.5, 0.6]\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "note.txt").write_text("x", encoding="utf-8")
    result = invoke("sweep", BASELINE, "--grid", grid, "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "已存在；只有明确要求时才沿用扫描文件夹" in result.output and "--resume" in result.output
    assert "already exists" not in result.output and "choose a new" not in result.output
    english = invoke("sweep", BASELINE, "--grid", grid, "--out", tmp_path / "out", "--lang", "en")
    assert "already exists; a sweep folder is reused only on request" in english.output


def test_a_malformed_sensitivity_parameter_is_told_in_chinese():
    result = invoke("sensitivity", BASELINE, "--params", "passline.ratio", "--outcome", "titled")
    assert result.exit_code == 2, result.output
    assert "应为 KEY.PATH=LO:HI" in result.output and "例如 --params" in result.output
    assert "expected" not in result.output and "e.g." not in result.output
    english = invoke("sensitivity", BASELINE, "--params", "passline.ratio", "--outcome", "titled",
                     "--lang", "en")
    assert "'passline.ratio': expected KEY.PATH=LO:HI" in english.output


def test_a_range_without_its_step_is_told_in_chinese(tmp_path):
    grid = write_grid(tmp_path, "parameters:\n  passline.ratio: {min: 0.3, max: 0.9}\n")
    result = invoke("sweep", BASELINE, "--grid", grid, "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "范围需要 min, max 和 step，实际给出 min, max" in result.output
    assert "或加上 sample:" in result.output and "draw values" not in result.output


def test_roster_problems_are_told_in_chinese(tmp_path):
    from roster_fixtures import roster_text, titlesim, with_cell
    rows = with_cell(2, "取得时间", "2015-13")
    rows = with_cell(5, "取得时间", "2030-01", rows)
    rows = with_cell(3, "县市区", "太原市", rows)
    (tmp_path / "roster.csv").write_text(roster_text(rows), encoding="utf-8")
    result = titlesim("roster", "check", "roster.csv", cwd=tmp_path, env={ENV_VAR: ""})
    assert result.returncode == 2, result.stdout + result.stderr
    for text in ("第 2 行，列“取得时间”：“2015-13”不是有效的日期", "“2030-01”晚于名册的日期",
                 "不晚于 2022", "未知的县（市、区）“太原市”"):
        assert text in result.stderr, result.stderr
    for english in ("is not a possible date", "after the roster", "unknown county", "expected"):
        assert english not in result.stderr, result.stderr
    english = titlesim("roster", "check", "roster.csv", cwd=tmp_path, env={ENV_VAR: "en"})
    assert "'2015-13' is not a possible date" in english.stderr


def test_report_from_a_file_that_is_not_a_record_is_told_in_chinese(tmp_path):
    bad = tmp_path / "provenance.json"
    bad.write_text("not json", encoding="utf-8")
    result = invoke("report", "--from", bad)
    assert result.exit_code == 2, result.output
    assert "不是来源记录文件（不是 JSON：" in result.output and "not a provenance" not in result.output
    english = invoke("report", "--from", bad, "--lang", "en")
    assert "not a provenance file (not JSON: " in english.output


def test_validate_of_an_unknown_kind_of_file_is_told_in_chinese(tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("x", encoding="utf-8")
    result = invoke("validate", other)
    assert result.exit_code == 2, result.output
    assert "成绩表（.csv、.xlsx、.parquet）" in result.output and "score list" not in result.output


def test_roster_columns_are_described_in_chinese_then_english():
    from titlesim.roster.columns import COLUMNS
    result = invoke("roster", "columns")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("| 列 | 可用的列名 | 用途 | 含义 |")
    assert "| 身份证号 | 身份证号, 身份证号码, 公民身份号码, id number | 标识 | 标识：用盐值哈希后丢弃 |" in result.output
    assert not any(c.meaning in result.output for c in COLUMNS)
    english = invoke("roster", "columns", "--lang", "en")
    assert english.output.startswith("| column | accepted headers | use | meaning |")
    assert all(c.meaning in english.output for c in COLUMNS) and "标识：" not in english.output


def test_a_missing_roster_column_is_described_in_chinese(tmp_path):
    from roster_fixtures import HEADER, ROWS, roster_text, titlesim
    header = HEADER.replace("专业,", "")
    rows = [",".join(c for i, c in enumerate(r.split(",")) if i != 5) for r in ROWS]
    (tmp_path / "roster.csv").write_text(roster_text(rows, header), encoding="utf-8")
    result = titlesim("roster", "check", "roster.csv", cwd=tmp_path, env={ENV_VAR: ""})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "缺少必需的列" in result.stderr or "列“专业”" in result.stderr, result.stderr
    assert "列名为“专业”的一列：属于该单位类型系列的专业（population.specialties）" in result.stderr
    assert "a column headed" not in result.stderr and "series" not in result.stderr


def test_a_plan_lever_without_values_says_what_was_expected_in_chinese():
    result = invoke("plan", BASELINE, "--lever", "passline.ratio=0.5", "--target", "titled >= 1")
    assert result.exit_code == 2, result.output
    assert "KEY=A,B（两个或更多不同的取值）" in result.output, result.output
    assert "different values" not in result.output
