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
from titlesim.i18n import ENV_VAR, foreign, problem_text

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
    # another library's words (a reason) are shown in Chinese when known, else pointed to
    chinese = {k: foreign(v, "zh") if k == "reason" else v for k, v in fields.items()}
    assert problem_text(english, "zh") == row["zh"].format(**chinese)
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


# ------------------------------------------- score lists, YAML, pydantic, other libraries
def test_every_catalogue_row_has_a_key_chinese_and_english():
    """A comma in an unquoted Chinese text would split the row: caught here."""
    for part in resources.files("titlesim").joinpath("data/messages").iterdir():
        if part.name.endswith(".csv"):
            with part.open(encoding="utf-8") as fh:
                for row in csv.reader(fh):
                    assert len(row) == 3, (part.name, row)


def english_words(text: str) -> list[str]:
    """Runs of English words in a Chinese message, once file names, codes (exam_year,
    'include') and the --lang hint are taken out."""
    text = re.sub(r"\S+\.(csv|yaml|xlsx|parquet)|--[\w-]+|'[^']*'|\b\w*_\w*\b", " ", text)
    return re.findall(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,})+\b", text)


SCORE_HEADER = "人员编号,考试年度,系列,级别,专业,县（市、区）,单位类型,基层,成绩\n"


@pytest.mark.parametrize("name,body,chinese,english", [
    ("few.csv", "person_id,score\n1,50\n", "缺少必需的列（应为名为“考试年度”（或 exam_year）的列）",
     "exam year: required column is missing (expected a column headed exam_year or 考试年度)"),
    ("year.csv", SCORE_HEADER + "1,20x2,卫生,副高级,内科,代县,县级医院,否,50\n",
     "列“考试年度”：“20x2”不是考试年度（应为年份，例如 2022）", "'20x2' is not an exam year"),
    ("series.csv", SCORE_HEADER + "1,2022,卫生x,副高级,内科,代县,县级医院,否,50\n",
     "未知的系列“卫生x”（应为以下之一：卫生（health）、中小学教师（teachers）",
     "unknown series '卫生x' (expected one of health (卫生), teachers (中小学教师)"),
    ("score.csv", SCORE_HEADER + "1,2022,卫生,副高级,内科,代县,县级医院,否,abc\n",
     "成绩“abc”不是数字（应为数字；报名但未参加考试的留空或写“缺考”）", "score 'abc' is not a number"),
    ("yesno.csv", SCORE_HEADER + "1,2022,卫生,副高级,内科,代县,县级医院,也许,50\n",
     "“也许”不是“是”或“否”", "'也许' is not yes or no"),
    ("twice.csv", SCORE_HEADER + "1,2022,卫生,副高级,内科,代县,县级医院,否,50\n"
                                 "1,2022,卫生,副高级,内科,代县,县级医院,否,60\n",
     "“1”在考试年度 2022 再次出现（首次在第 2 行）（应为每人每个考试年度一行）",
     "1 appears again for exam year 2022 (first at row 2)"),
])
def test_score_list_problems_in_chinese_then_english(tmp_path, name, body, chinese, english):
    scores = tmp_path / name
    scores.write_text(body, encoding="utf-8")
    result = invoke("validate", scores, "--full-marks", "100")
    assert result.exit_code == 2 and chinese in result.output, result.output
    assert english_words(result.output) == [], result.output
    assert english in invoke("validate", scores, "--full-marks", "100", "--lang", "en").output


@pytest.mark.parametrize("name,content,chinese,english", [
    ("list.yaml", b"a: [1, 2\nb: c\n", "第 2 行：不是有效的 YAML：此处应为“,”或“]”，实际是 ':'",
     "not valid YAML: expected ',' or ']', but got ':'"),
    ("tab.yaml", b"a:\n\tb: 1\n", "含有制表符（YAML 只能用空格缩进）", "that cannot start any token"),
    ("colon.yaml", b"a: b: c\n", "此处不能出现“键: 值”", "mapping values are not allowed here"),
    ("two.yaml", b"a: 1\n---\nb: 2\n", "文件中应只有一个 YAML 文档", "but found another document"),
    ("fake.xlsx", b"not a workbook", "无法打开工作簿（不是 .xlsx 工作簿", "File is not a zip file"),
    ("fake.parquet", b"not parquet", "不是 Parquet 文件，或已损坏", "Parquet magic bytes not found"),
])
def test_other_libraries_words_reach_the_user_in_chinese(tmp_path, name, content, chinese, english):
    """PyYAML's, openpyxl's and pyarrow's own sentences, passed on as the reason."""
    path = tmp_path / name
    path.write_bytes(content)
    result = invoke("validate", path, "--full-marks", "100")
    assert result.exit_code == 2 and chinese in result.output, result.output
    assert english_words(result.output) == [], result.output
    assert english in invoke("validate", path, "--full-marks", "100", "--lang", "en").output


def test_a_reason_not_in_the_catalogue_is_pointed_to_not_shown_in_english():
    from titlesim.i18n import foreign
    assert foreign("Some new library message", "zh") == "原因的原文为英文，加 --lang en 可查看"
    assert foreign("Permission denied", "zh") == "没有权限"
    assert foreign("Some new library message", "en") == "Some new library message"


@pytest.mark.parametrize("setting,chinese,english", [
    ("passline.ratio=abc", "“passline.ratio”：应为数字，实际为 'abc'", "Input should be a valid number, got 'abc'"),
    ("horizon.years=2.5", "“horizon.years”：应为整数，实际为 2.5", "Input should be a valid integer, got 2.5"),
    ("population.counties=[]", "应为“键: 值”映射", "Input should be a valid dictionary"),
    ("passline.ties=inclde", "应为以下之一：'include', 'cap'，实际为 'inclde'；您是否想写“include”？",
     "Input should be one of 'include', 'cap', got 'inclde'"),
    ("population.seat_county=太原", "seat_county“太原”不在 counties 所列的县（市、区）中",
     "seat_county '太原' is not one of the counties"),
    ("passline.floor=200", "floor（200）高于满分 full_marks（100）", "floor (200) is above full_marks (100)"),
])
def test_scenario_value_problems_in_chinese_then_english(setting, chinese, english):
    result = invoke("validate", BASELINE, "--set", setting)
    assert result.exit_code == 2 and chinese in result.output, result.output
    assert english_words(result.output) == [], result.output
    assert english in invoke("validate", BASELINE, "--set", setting, "--lang", "en").output


def test_roster_problems_name_columns_and_values_in_chinese(tmp_path):
    """A unit-level column is named by its header (县市区), not an English word; the values
    allowed are listed by label with their code."""
    example = BASELINE.parents[1] / "examples" / "synthetic-roster.csv"
    lines = example.read_text(encoding="utf-8").splitlines()
    moved = lines[2].replace(",五台县,", ",代县,", 1)
    wrong_type = lines[1].replace(",乡镇卫生院,", ",卫生所,", 1)
    roster = tmp_path / "roster.csv"
    roster.write_text("\n".join([lines[0], lines[1], moved, wrong_type]) + "\n", encoding="utf-8")
    result = invoke("roster", "check", roster)
    assert result.exit_code == 2, result.output
    assert "在第 2 行的县市区为“五台县”，此处为“代县”（应为每个单位只有一个县市区）" in result.output
    assert "未知的单位类型“卫生所”（应为以下之一：市人民医院（city_hospital）、县级医院（county_hospital）" in result.output
    assert english_words(result.output) == [], result.output
    english = invoke("roster", "check", roster, "--lang", "en").output
    assert "has county '五台县' at row 2, here '代县' (expected one county per unit)" in english


def test_a_sweep_summary_reads_in_words_with_whole_people(tmp_path):
    grid = write_grid(tmp_path, "parameters:\n  passline.ratio: [0.4, 0.6]\n")
    result = invoke("sweep", BASELINE, "--grid", grid, "--out", tmp_path / "out", "--workers", "1",
                    "--no-charts", "--replicates", "2", "--set", "population.size=1500",
                    "--set", "horizon.years=2", "--set", "history.years=0")
    assert result.exit_code == 0, result.output
    assert "2个参数点：本次计算2个，沿用0个" in result.output
    header = next(line for line in result.output.splitlines() if "基层按比例合格比例" in line)
    assert "passline.ratio" not in result.output and "取得职称人数" in header
    rows = [line.split() for line in result.output.splitlines() if line[:2] in ("0 ", "1 ")]
    assert [row[1] for row in rows] == ["0.4", "0.6"]
    assert all(row[2].isdigit() for row in rows), rows  # titled: people, whole
    assert "PostsWarning" not in result.output and "setup.py" not in result.output


def test_a_roster_summary_names_its_format_in_words():
    examples = BASELINE.parents[1] / "examples"
    result = invoke("roster", "check", examples / "synthetic-roster.csv",
                    "--scenario", examples / "synthetic-roster.yaml")
    assert result.exit_code == 0, result.output
    assert "（CSV 文件，UTF-8 编码）" in result.output and "csv (" not in result.output
    english = invoke("roster", "check", examples / "synthetic-roster.csv",
                     "--scenario", examples / "synthetic-roster.yaml", "--lang", "en")
    assert "(CSV, UTF-8)" in english.output


def test_a_missing_base_scenario_says_where_it_was_looked_for_in_chinese(tmp_path):
    revision = tmp_path / "revision.yaml"
    revision.write_text("extends: nowhere.yaml\n", encoding="utf-8")
    result = invoke("validate", revision)
    assert f"所继承的情景“nowhere.yaml”不存在（查找的位置：{tmp_path / 'nowhere.yaml'}）" in result.output
    assert "looked for" not in result.output


def test_runs_lists_kinds_in_words_and_people_whole(tmp_path, monkeypatch):
    """`titlesim runs` in Chinese: 模拟/导出 rather than run/export; an export is listed as one."""
    small = ("--replicates", "1", "--set", "population.size=1500", "--set", "horizon.years=2",
             "--set", "history.years=0", "--quiet")
    monkeypatch.chdir(tmp_path)
    assert invoke("run", BASELINE, *small).exit_code == 0
    assert invoke("export", BASELINE, *small).exit_code == 0
    listed = invoke("runs").output.splitlines()
    assert listed[0].split()[:2] == ["类型", "情景"]
    assert sorted(line.split()[0] for line in listed[1:]) == ["导出", "模拟"]
    english = invoke("runs", "--lang", "en").output.splitlines()
    assert sorted(line.split()[0] for line in english[1:]) == ["export", "run"]


def test_observed_counts_problems_in_chinese(tmp_path):
    observed = tmp_path / "observed.csv"
    observed.write_text("year,metric,value\n2021,applied,3\n2022,zz,x\n2022,applied,2\n2022,applied,1\n",
                        encoding="utf-8")
    result = invoke("calibrate", BASELINE, "--observed", observed)
    assert result.exit_code == 2, result.output
    for text in ("“2021”不是模拟的年度（应为 2022 至 2031 之间的整年（模拟期））",
                 "未知的指标“zz”（应为以下之一：年末在岗人数（headcount）", "“x”不是人数（应为不小于 0 的整数）",
                 "与第 4 行的年度、分组和指标相同（应为每个年度、分组和指标一行）"):
        assert text in result.output, result.output
    assert english_words(result.output) == [], result.output
