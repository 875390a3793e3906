"""The one table reader: formulas without a saved value, devices and pipes, headers in any
style, the same yes/no words everywhere."""
from __future__ import annotations

import os

import openpyxl
import pytest

from titlesim.errors import InputError
from titlesim.i18n import msg
from titlesim.intake import label_headers, normalise_header, read_table_records, yes_no
from titlesim.roster.columns import column_for as roster_column
from titlesim.scorelist import COLUMNS, read_score_list

ROW = ["a1", 2022, "health", "deputy_senior", "内科", "忻府区", "乡镇卫生院", "是"]


def test_a_formula_without_a_saved_value_is_refused_at_its_cell(tmp_path):
    path = tmp_path / "scores.xlsx"
    book = openpyxl.Workbook()
    book.active.append(list(COLUMNS))
    book.active.append([*ROW, 60])
    book.active.append(["a2", *ROW[1:], "=I2+5"])  # written by a program: no cached value
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_score_list(path, 100.0)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.key) == (str(path), 3, f"{COLUMNS[8]} (I)")  # header and letter
    assert problem.message == msg("table_formula_no_value")


@pytest.mark.parametrize("make", ["fifo", "device"])
def test_a_pipe_or_a_device_is_refused_without_waiting(tmp_path, make):
    if make == "fifo":
        path = tmp_path / "scores.csv"
        os.mkfifo(path)
    else:
        path = tmp_path / "zero.csv"
        path.symlink_to("/dev/zero")
    with pytest.raises(InputError) as caught:
        read_table_records(path)
    assert caught.value.problems[0].message == msg("table_not_regular")


def test_one_header_normaliser_for_every_table():
    score_column = label_headers(COLUMNS)
    for header in ("person_id", "Person ID", " PERSON_ID ", "人员编号"):
        assert score_column(header) == "person_id", header
    assert score_column("县(市、区)") == score_column("县（市、区）") == "county"
    assert roster_column("Unit_Type") == roster_column("单位类型") == "unit_type"
    assert normalise_header("Unit Type") == normalise_header("unit_type")


@pytest.mark.parametrize("word, value", [("是", True), ("否", False), ("YES", True), ("n", False),
                                         (" 1 ", True), ("maybe", "maybe"), (None, None)])
def test_the_same_yes_and_no_words_everywhere(word, value):
    assert yes_no(word) == value


def test_a_message_quoting_a_hostile_cell_sends_no_control_character(tmp_path):
    from click.testing import CliRunner

    from titlesim.cli import _register, cli
    path = tmp_path / "scores.csv"
    path.write_text(",".join(COLUMNS) + '\n"\x1b[2J\x1b]0;pwned\x07",20x2,health,deputy_senior,'
                    '内科,忻府区,乡镇卫生院,是,"60\nfake line"\n', encoding="utf-8")
    _register()
    result = CliRunner().invoke(cli, ["validate", str(path), "--full-marks", "100"])
    assert result.exit_code == 2, result.output
    assert "\\x1b" in result.output or "20x2" in result.output
    assert not any(ch in result.output for ch in "\x1b\x07\r")
    assert all(line.startswith("titlesim") or not line for line in result.output.split("\n"))


def test_a_score_list_with_a_formula_cell_tells_every_other_problem_at_once(tmp_path):
    path = tmp_path / "scores.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "成绩"
    book.active.append(list(COLUMNS))
    book.active.append(["a1", 2022, "health", "deputy_senior", "内科", "忻府区", "乡镇卫生院", "也许", 60])
    book.active.append(["a2", *ROW[1:], "=I2+5"])  # no saved value
    book.active.append(["a3", "二〇二二", *ROW[2:], 70])
    book.active.append(["a4", *ROW[1:], 170])
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_score_list(path, 100.0)
    found = [(p.line, p.key, p.sheet) for p in caught.value.problems]
    assert found == [(2, COLUMNS[7], "成绩"), (3, f"{COLUMNS[8]} (I)", "成绩"),
                     (4, COLUMNS[1], "成绩"), (5, COLUMNS[8], "成绩")]
    assert all(p.file == str(path) and p.expected for p in caught.value.problems)
    assert "工作表“成绩”，第 3 行，列“score (I)”" in caught.value.problems[1].text("zh")


def test_a_roster_with_a_formula_cell_is_refused_with_all_its_problems(tmp_path):
    from roster_fixtures import HEADER, ROWS, titlesim
    book = openpyxl.Workbook()
    book.active.title = "花名册"
    book.active.append(HEADER.split(","))
    for number, row in enumerate(ROWS, start=2):
        cells = row.split(",")
        if number == 3:
            cells[3] = "=B2"  # 县市区 as a formula without a saved value
        if number == 5:
            cells[6] = "主任科员"  # not a title
        book.active.append(cells)
    book.save(tmp_path / "roster.xlsx")
    result = titlesim("roster", "check", "roster.xlsx", "--lang", "zh", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "roster.xlsx" in line]
    assert len(lines) == 2, result.stderr
    assert "工作表“花名册”，第 3 行，列“县市区 (D)”：这个单元格是没有保存计算结果的公式" in lines[0]
    assert "应为" in lines[0]
    assert "工作表“花名册”，第 5 行，列“现职称”" in lines[1] and "主任科员" in lines[1]
