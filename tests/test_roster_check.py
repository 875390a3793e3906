"""``titlesim roster check FILE``: a roster with mistakes is refused with every problem,
its row, column, value and what was expected, exit status 2, and nothing written.

A six-person roster written by hand (tests/roster_fixtures.py), checked against the
baseline scenario (Xinzhou's 14 counties, start 2022). Each kind of mistake is checked
in-process (:func:`read_roster`, the checks themselves); the command line runs in a
subprocess, as policy staff run it, on several mistakes at once in a GBK file.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from roster_fixtures import (BASELINE, EXAMPLE_ROSTER, HEADER, ID_NUMBERS, ROWS, files_under,
                             roster_text, scenario_with_roster, titlesim, with_cell)

from titlesim import load_scenario
from titlesim.errors import InputError
from titlesim.i18n import set_language
from titlesim.roster import read_roster

BASELINE_PARAMS = load_scenario(BASELINE).params


def check(tmp_path: Path, text: str, *options: str, name: str = "roster.csv",
          encoding: str = "utf-8"):
    """The real command on ``text``; it must write nothing, whatever it finds."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    before = files_under(tmp_path)
    result = titlesim("roster", "check", path.name, *options, cwd=tmp_path)
    assert files_under(tmp_path) == before, "roster check must write nothing"
    return result


def refused(result, *expected: str) -> list[str]:
    """Exit status 2, no traceback, each expected text in some problem line."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    return found(lines, *expected)


def found(lines: list[str], *expected: str) -> list[str]:
    for text in expected:
        assert any(text in line for line in lines), f"{text!r} not in:\n" + "\n".join(lines)
    return lines


def problems(tmp_path: Path, text: str, encoding: str = "utf-8") -> list[str]:
    """The problems :func:`read_roster` finds (in-process: the checks, without the CLI)."""
    path = tmp_path / "roster.csv"
    path.write_bytes(text.encode(encoding))
    set_language("en")  # the English wording is checked here; the Chinese by the command
    try:
        with pytest.raises(InputError) as caught:
            read_roster(path, BASELINE_PARAMS)
    finally:
        set_language(None)
    return [str(p) for p in caught.value.problems]


def test_a_valid_roster_prints_its_headcount(tmp_path):
    result = check(tmp_path, roster_text(), "--lang", "zh")
    assert result.returncode == 0, result.stderr
    assert "6 人，3 个单位" in result.stdout
    # 忻府区: one 初级 and one 中级; 原平市: 主治医师 counts as 中级, and one 副高级
    lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[1:]}
    assert lines["忻府区"] == ["1", "1", "0", "0"]
    assert lines["原平市"] == ["0", "1", "1", "0"]
    assert lines["县级医院"] == ["0", "1", "1", "0"]


def test_unknown_county(tmp_path):
    lines = found(problems(tmp_path, roster_text(with_cell(3, "县市区", "太原市"))),
                  "row 3, 县市区: unknown county '太原市' (expected one of 忻府区")
    assert len(lines) == 1  # the unit's other row is not blamed for the mistyped one


def test_impossible_dates(tmp_path):
    rows = with_cell(2, "取得时间", "2015-13")
    rows = with_cell(4, "出生年月", "1985-02-30", rows)
    rows = with_cell(5, "取得时间", "2030-01", rows)
    rows = with_cell(6, "取得时间", "1990-01", rows)  # 钱五 was born in 1988
    lines = found(problems(tmp_path, roster_text(rows)),
                  "row 2, 取得时间: '2015-13' is not a possible date",
                  "row 4, 出生年月: '1985-02-30' is not a possible date",
                  "row 5, 取得时间: '2030-01' is after the roster's date (expected a date no later than 2022",
                  "row 6, 取得时间: '1990-01' is before the age of 16")
    assert len(lines) == 4


def test_duplicate_person(tmp_path):
    rows = ROWS + [ROWS[0].replace("王一", "王一一")]  # same ID number, another name
    lines = found(problems(tmp_path, roster_text(rows)),
                  "row 8, 身份证号: the same person as row 2 (same 身份证号) (expected one row per person)")
    assert ID_NUMBERS[0] not in "\n".join(lines)  # identifiers are never shown


def test_missing_column(tmp_path):
    header = HEADER.replace("专业,", "")
    rows = [",".join(c for i, c in enumerate(r.split(",")) if i != 5) for r in ROWS]
    found(problems(tmp_path, roster_text(rows, header)),
          "row 1, 专业: required column is missing (expected a column headed 专业")


def test_unknown_title(tmp_path):
    found(problems(tmp_path, roster_text(with_cell(5, "现职称", "主任科员"))),
          "row 5, 现职称: unknown level '主任科员' (expected one of junior (初级)")


def test_several_problems_at_once_in_a_gbk_file(tmp_path):
    rows = with_cell(2, "县市区", "太原市")
    rows = with_cell(3, "专业", "数学", rows)  # a teachers' specialty in a health centre
    rows = with_cell(4, "现职称", "主任科员", rows)
    rows = with_cell(5, "出生年月", "2015-01", rows)  # also makes 2017-09 a title before 16
    rows = with_cell(7, "取得时间", "2020-02-31", rows)
    rows = rows + [rows[0]]  # 王一 again, at row 8
    header = HEADER.replace(",学历", "")  # and the 学历 column is missing
    rows = [",".join(c for i, c in enumerate(r.split(",")) if i != 8) for r in rows]
    lines = refused(check(tmp_path, roster_text(rows, header), encoding="gbk"),
                    "row 1, 学历: required column is missing",
                    "row 2, 县市区: unknown county '太原市'",
                    "row 3, 专业: specialty '数学' is of the 中小学教师 series, not of 乡镇卫生院's",
                    "row 4, 现职称: unknown level '主任科员'",
                    "row 5, 出生年月: born '2015-01': not a working age at the start",
                    "row 5, 取得时间: '2012/7/1' is before the age of 16",
                    "row 7, 取得时间: '2020-02-31' is not a possible date",
                    "row 8, 县市区: unknown county '太原市'",
                    "row 8, 身份证号: the same person as row 2")
    assert len(lines) == 9
    assert all(line.startswith("titlesim: error: roster.csv, row ") for line in lines)


def test_an_xlsx_roster_with_excel_dates(tmp_path):
    import datetime

    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for row in ROWS:
        cells = row.split(",")
        cells[9] = datetime.datetime(int(cells[9][:4]), 6, 1)  # an Excel date cell
        sheet.append(cells)
    book.save(tmp_path / "roster.xlsx")
    roster = read_roster(tmp_path / "roster.xlsx", BASELINE_PARAMS)
    assert roster.format == "xlsx"
    assert roster.rows["birth_year"].tolist() == [1985, 1990, 1978, 1982, 1988, 1995]
    assert roster.rows["level"].tolist() == ["intermediate", "junior", "deputy_senior",
                                             "intermediate", "intermediate", "junior"]
    assert not {"name", "id_number"} & set(roster.rows.columns)


def test_the_example_roster_is_valid():
    roster = read_roster(EXAMPLE_ROSTER, BASELINE_PARAMS)
    assert len(roster.rows) == 1516 and roster.identifier == "身份证号"


def test_a_scenario_with_a_bad_roster_runs_nothing(tmp_path):
    (tmp_path / "staff.csv").write_text(roster_text(with_cell(3, "县市区", "太原市")), encoding="utf-8")
    scenario = scenario_with_roster(tmp_path, "staff.csv")
    result = titlesim("run", scenario, "--replicates", "1", "--quiet", cwd=tmp_path)
    refused(result, "staff.csv, row 3, 县市区: unknown county '太原市'")
    assert not (tmp_path / "reports").exists()


def test_rules_across_columns_and_rows(tmp_path):
    header = HEADER + ",是否基层,聘任岗位"
    rows = [r + ",,中级" if i == 0 else r + ",," for i, r in enumerate(ROWS)]
    rows = with_cell(3, "县市区", "代县", rows)  # 李二's unit is in 忻府区 at row 2
    rows[0] = rows[0].replace(",男,,中级", ",男,否,副高级")  # a township centre is grassroots
    rows = [r.replace(",2016,", ",,") if r.startswith("张三") else r for r in rows]
    lines = found(problems(tmp_path, roster_text(rows, header)),
                  "row 2, 是否基层: '否' disagrees with unit type 乡镇卫生院",
                  "row 2, 聘任岗位: a post at level '副高级' is above the title held",
                  "row 3, 县市区: unit '忻府区乡镇卫生院甲' has county '忻府区' at row 2, here '代县'",
                  "row 4, 取得时间: the date of the current title is empty (expected a date: only 初级")
    assert len(lines) == 4  # 孙六 (初级) may leave the date empty


def test_many_rows_with_one_problem_are_counted_beyond_fifty(tmp_path):
    rows = [f"人{i},ID{i:06d},忻府区乡镇卫生院甲,太原市,乡镇卫生院,内科,中级,2015-07,本科,1985-07,男"
            for i in range(60)]
    shown = found(problems(tmp_path, roster_text(rows)), "row 51, 县市区: unknown county",
                  "县市区: and 10 more rows with the same problem (every one: --all-problems)")
    assert len(shown) == 51
    path = tmp_path / "roster.csv"
    with pytest.raises(InputError) as every:
        read_roster(path, BASELINE_PARAMS, max_shown=None)
    assert [p.line for p in every.value.problems] == list(range(2, 62))


def test_a_roster_saved_again_with_the_same_size_and_time_is_read_again(tmp_path):
    """Calibration reads the same roster many times and keeps what it read; a roster
    corrected in place with as many bytes, its time unchanged (a copy keeping its time,
    a file system counting in seconds), is read as it is now, not as it was."""
    path = tmp_path / "roster.csv"
    path.write_text(roster_text(), encoding="utf-8")
    first = read_roster(path, BASELINE_PARAMS, salt="s")
    stamp = path.stat().st_mtime_ns
    path.write_text(roster_text(with_cell(2, "性别", "女")), encoding="utf-8")  # was 男: as many bytes
    os.utime(path, ns=(stamp, stamp))
    again = read_roster(path, BASELINE_PARAMS, salt="s")
    assert path.stat().st_size == len(roster_text().encode("utf-8"))
    assert (first.rows["sex"].iloc[0], again.rows["sex"].iloc[0]) == ("male", "female"), again.rows["sex"]
    assert read_roster(path, BASELINE_PARAMS, salt="s") is again  # still kept while unchanged


def test_counts_outside_their_plausible_range_are_refused(tmp_path):
    """论文数 and 编制数 are stored in 16- and 32-bit integers: 40000 papers would become
    -25536 and 1e20 would become 0, so a value beyond the plausible range is refused."""
    header = HEADER + ",论文数,编制数"
    rows = [r + ",3,40" for r in ROWS]
    rows[0] = ROWS[0] + ",40000,40"
    rows[1] = ROWS[1] + ",-3,40"
    rows[2] = ROWS[2] + ",99999999999999999999,99999999999"
    rows[3] = ROWS[3] + ",2.5,99999999999"
    rows[4] = ROWS[4] + ",3,20000"
    rows[5] = ROWS[5] + ",3,20000"
    lines = found(problems(tmp_path, roster_text(rows, header)),
                  "row 2, 论文数: '40000' is out of range (expected a whole number from 0 to 500)",
                  "row 3, 论文数: '-3' is out of range (expected a whole number from 0 to 500)",
                  "row 4, 论文数: '99999999999999999999' is out of range",
                  "row 5, 论文数: '2.5' is not a whole number (expected a whole number from 0 to 500)",
                  "row 4, 编制数: '99999999999' is out of range "
                  "(expected a whole number from 1 to 10,000)",
                  "row 6, 编制数: '20000' is out of range")
    assert len(lines) == 8, lines  # rows 5 and 7 too; no unit-level echo of them
    result = check(tmp_path, roster_text(rows, header), "--lang", "zh")
    refused(result, "第 3 行，列“论文数”：“-3”超出合理范围（应为 0 至 500 之间的整数）")
    assert "不是整数" not in result.stderr.split("-3")[1].splitlines()[0]


def test_an_establishment_far_above_the_roster_is_warned_of_and_counted_in_the_estimate(tmp_path):
    """Each unit's 编制数 is filled in the first simulated year: 2,000 on each of three
    units turns six people into 6,000. The command says so, and the memory estimate counts
    those people, refusing before any array is made when they do not fit."""
    from titlesim import resources
    header = HEADER + ",编制数"
    (tmp_path / "roster.csv").write_text(roster_text([r + ",2000" for r in ROWS], header),
                                         encoding="utf-8")
    scenario = scenario_with_roster(tmp_path, "roster.csv",
                                    "  size: 2000\nhorizon: {years: 2}\nreplicates: 1\n")
    result = titlesim("roster", "check", "roster.csv", "--scenario", scenario.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "titlesim: warning: the roster has 6 people but its units' establishments (编制数) " \
        "add up to 6,000" in result.stderr  # one line, as run shows its warnings

    params = load_scenario(scenario).params
    work = resources.estimate(params)
    assert work.people == 6000
    synthetic = params.model_copy(
        update={"population": params.population.model_copy(update={"roster": None})})
    assert work.memory - resources.estimate(synthetic).memory == 4000 * resources.PERSON_BYTES
    small = {"TITLESIM_AVAILABLE_MEMORY": str(int(work.memory / resources.MEMORY_SHARE) - 2**20),
             "TITLESIM_ROSTER_SALT": "test-salt"}
    result = titlesim("run", scenario.name, "--out", "runs", cwd=tmp_path, env=small)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "runs").exists()
    assert "population.roster" in result.stderr and "check the roster's 编制数" in result.stderr

    result = titlesim("run", scenario.name, "--out", "runs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "add up to 6,000" in result.stderr
