"""``titlesim passline``: clause 一(三)'s pass lines set on a real score list.

Run as policy staff run it: the command line (in this process, conftest.run_titlesim), on small score lists
worked by hand under the baseline scenario (ratio 0.5 of applicants, half_up, ties
included, lines per specialty, provincial standard 60, three-year validity, ratio-only
passes valid one year, college clinics and unit medical rooms in the grassroots route).
"""
from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

import pytest
from conftest import run_titlesim, titlesim_command

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "scenarios" / "baseline-2022.yaml"
HEADER = "person_id,exam_year,series,level,specialty,county,unit_type,grassroots,score"
ZH_HEADER = "人员编号,考试年度,系列,级别,专业,县（市、区）,单位类型,基层,成绩"

# 2022 internal medicine, grassroots route: a1 a2 a3 a5 a6 (a5 a college clinic, a6 absent):
# 5 applied, k = half_up(2.5) = 3, 3rd highest of 72, 58, 55, 55 is 55.
# a4 (county hospital, 55) is outside the ratio group. 2023 surgery: one taker, k = 1.
WORKED = f"""{HEADER}
a1,2022,health,deputy_senior,内科,忻府区,乡镇卫生院,是,72
a2,2022,卫生,副高级,internal medicine,忻府区,township_health_centre,yes,58
a3,2022,health,deputy_senior,internal_medicine,代县,community_health_centre,1,55
a4,2022,health,deputy_senior,internal_medicine,代县,county_hospital,0,55
a5,2022,health,deputy_senior,internal_medicine,代县,校医院,否,55
a6,2022,health,deputy_senior,internal_medicine,代县,township_health_centre,是,
b1,2023,health,deputy_senior,surgery,代县,township_health_centre,是,50
"""


def titlesim(*args, cwd: Path, subprocess_run=False) -> subprocess.CompletedProcess:
    # the English wording is checked here; the Chinese in test_cli_language.py
    env = dict(os.environ, PYTHONPATH=str(REPO), TITLESIM_LANG="en")
    if subprocess_run:
        return subprocess.run(titlesim_command(*map(str, args)), cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=120)
    return run_titlesim(*args, cwd=cwd, env=env)


def passline(scores: Path, out: Path, *extra, subprocess_run=False) -> subprocess.CompletedProcess:
    return titlesim("passline", scores, "--scenario", BASELINE, "--out", out, *extra, cwd=scores.parent,
                    subprocess_run=subprocess_run)


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def assert_refused(result, tmp_path: Path, out: Path, *expected: str) -> None:
    """Exit status 2, every expected message on stderr, no traceback, nothing written."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder


# --------------------------------------------------------------------- the worked example
def test_worked_example(tmp_path):
    out = tmp_path / "out"
    result = passline(write(tmp_path / "scores.csv", WORKED), out, "--year", "2023")
    assert result.returncode == 0, result.stderr
    # the list writes internal_medicine most often: its label in the user's language
    assert "2022 internal medicine: line 55, k=3 of 5 applied (4 sat)" in result.stdout
    # 72, 58, 55, 55: two tie at the line, so four pass where k is 3 (three by ratio only)
    assert ", 4 at or above the line (ties included); 4 passed: 3 by ratio only, 1 provincial" in result.stdout
    assert "2023 surgery: line 50, k=1 of 1 applied (1 sat); 1 passed: 1 by ratio only" in result.stdout
    # UTF-8 with a byte-order mark: Chinese Excel would take it for GBK without one
    assert (out / "lines.csv").read_bytes().startswith(b"\xef\xbb\xbfexam_year,")
    assert (out / "lines.csv").read_text(encoding="utf-8-sig") == (
        "exam_year,specialty,specialty_label,applied,sat,k,line_score,passed_ratio_only,"
        "passed_provincial\n"
        "2022,internal_medicine,internal medicine,5,4,3,55,3,1\n"
        "2023,surgery,surgery,1,1,1,50,1,0\n")
    persons = {(r["person_id"], r["exam_year"]): r for r in read(out / "persons.csv")}
    summary = {key: (r["passed_provincial"], r["passed_ratio_only"], r["valid_from"],
                     r["valid_until"], r["scope"]) for key, r in persons.items()}
    assert summary == {
        ("a1", "2022"): ("1", "0", "2022", "2024", "general"),
        ("a2", "2022"): ("0", "1", "2022", "2022", "grassroots"),
        ("a3", "2022"): ("0", "1", "2022", "2022", "grassroots"),
        ("a4", "2022"): ("0", "0", "", "", ""),  # county hospital: provincial standard only
        ("a5", "2022"): ("0", "1", "2022", "2022", "grassroots"),  # college clinic joins
        ("a6", "2022"): ("0", "0", "", "", ""),  # absent
        ("b1", "2023"): ("0", "1", "2023", "2023", "grassroots"),
    }
    # the 0/1 columns in words beside them
    assert [(persons[k]["ratio_group_label"], persons[k]["result_label"]) for k in
            (("a1", "2022"), ("a2", "2022"), ("a4", "2022"), ("a6", "2022"))] == [
        ("grassroots line by ratio", "passed the provincial standard"),
        ("grassroots line by ratio", "passed by ratio (below the provincial standard)"),
        ("provincial standard only", "did not pass"), ("grassroots line by ratio", "absent")]
    valid = read(out / "valid_in_year.csv")
    assert [(r["person_id"], r["exam_year"], r["scope"], r["routes"]) for r in valid] == [
        ("a1", "2022", "general", "general+grassroots"), ("b1", "2023", "grassroots", "grassroots")]
    assert [(r["scope_label"], r["routes_label"]) for r in valid] == [
        ("general", "general evaluation, grassroots evaluation"), ("grassroots-directed", "grassroots evaluation")]
    assert (out / "provenance.json").exists()


def chinese_list(tmp_path: Path, lang: str) -> tuple[subprocess.CompletedProcess, Path]:
    """The worked example with Chinese headers and specialties, answered in ``lang``."""
    out = tmp_path / "out"
    chinese = WORKED.replace(HEADER, ZH_HEADER).replace("internal_medicine", "内科").replace(
        "surgery", "外科")
    return passline(write(tmp_path / "scores.csv", chinese), out, "--lang", lang), out


def test_a_chinese_list_is_answered_in_its_own_words(tmp_path):
    result, out = chinese_list(tmp_path, "zh")
    assert result.returncode == 0, result.stderr
    assert ("2022 内科：合格线 55 分，申报 5 人（参考 4 人），按比例名额 3 人，合格线以上（含同分）4 人；"
            "合格 4 人，其中仅按比例合格 3 人，达到省定标准 1 人") in result.stdout
    assert "internal" not in result.stdout
    lines = read(out / "lines.csv")
    assert [(r["specialty"], r["specialty_label"]) for r in lines] == [
        ("internal_medicine", "内科"), ("surgery", "外科")]  # codes kept, labels beside
    persons = read(out / "persons.csv")
    assert {(r["scope"], r["scope_label"]) for r in persons} == {
        ("general", "通用"), ("grassroots", "基层定向"), ("", "")}
    assert {r["result_label"] for r in persons} >= {"达到省定合格标准", "按比例合格（低于省定标准）", "缺考"}


def test_a_chinese_list_is_answered_in_english_on_request(tmp_path):
    result, out = chinese_list(tmp_path, "en")
    assert result.returncode == 0, result.stderr
    assert "内科" not in result.stdout and "2022 internal medicine: line 55" in result.stdout
    lines = read(out / "lines.csv")
    assert [(r["specialty"], r["specialty_label"]) for r in lines] == [
        ("internal_medicine", "internal medicine"), ("surgery", "surgery")]


def test_reruns_are_byte_identical(tmp_path):
    scores = write(tmp_path / "scores.csv", WORKED)
    for name in ("one", "two"):  # the second in a process of its own
        assert passline(scores, tmp_path / name, "--year", "2022",
                        subprocess_run=name == "two").returncode == 0
    for name in ("lines.csv", "persons.csv", "valid_in_year.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_scenario_switches_change_the_lines(tmp_path):
    scores = write(tmp_path / "scores.csv", WORKED)
    # ties: cap, four at or above 55 exceed k = 3: only a2 (58) passes by ratio in 2022
    assert passline(scores, tmp_path / "cap", "--set", "passline.ties=cap").returncode == 0
    assert read(tmp_path / "cap" / "lines.csv")[0]["passed_ratio_only"] == "1"
    # college clinics out of the grassroots route: a1 a2 a3 a6 applied, k = 2, the 2nd
    # highest of 72, 58, 55 is 58: a3 (55) now fails
    assert passline(scores, tmp_path / "out", "--set",
                    "attached_units.join_grassroots_route=false").returncode == 0
    first = read(tmp_path / "out" / "lines.csv")[0]
    assert (first["applied"], first["k"], first["line_score"]) == ("4", "2", "58")
    # lines per county and specialty: 忻府区 and 代县 get their own 2022 lines
    assert passline(scores, tmp_path / "county", "--set",
                    "passline.group_by=[specialty, county]").returncode == 0
    lines = read(tmp_path / "county" / "lines.csv")
    assert [(r["county"], r["applied"], r["line_score"]) for r in lines[:2]] == [
        ("代县", "3", "55"), ("忻府区", "2", "72")]


def test_an_empty_existing_out_folder_is_used(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert passline(write(tmp_path / "s.csv", WORKED), out).returncode == 0
    assert (out / "lines.csv").exists()


# ------------------------------------------------------------------- encodings and Excel
@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_chinese_headers_and_labels_in_gbk_or_utf8_with_bom(tmp_path, encoding):
    text = (f"{ZH_HEADER}\n"
            "c1,2022,卫生,副高级,全科,五台县,乡镇卫生院,是,56.5\n"
            "c2,2022,卫生,副高级,全科,五台县,乡镇卫生院,是,52\n"
            "c3,2022,卫生,副高级,全科,五台县,县级医院,否,61\n")
    out = tmp_path / "out"
    result = passline(write(tmp_path / "scores.csv", text, encoding), out)
    assert result.returncode == 0, result.stderr
    assert read(out / "lines.csv") == [{
        "exam_year": "2022", "specialty": "general_practice", "specialty_label": "general practice",
        "applied": "2", "sat": "2", "k": "1",
        "line_score": "56.5", "passed_ratio_only": "1", "passed_provincial": "0"}]
    assert [r["scope"] for r in read(out / "persons.csv")] == ["grassroots", "", "general"]


def _workbook(path: Path, rows: list[list]) -> Path:
    import openpyxl
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_xlsx_score_list(tmp_path):
    rows = [HEADER.split(","),
            ["x1", 2022, "卫生", "副高级", "护理", "代县", "社区卫生服务中心", "是", 59],
            ["x2", 2022, "卫生", "副高级", "护理", "代县", "社区卫生服务中心", "是", 57.5],
            ["x3", 2022, "卫生", "副高级", "护理", "代县", "社区卫生服务中心", "是", None]]
    out = tmp_path / "out"
    result = passline(_workbook(tmp_path / "scores.xlsx", rows), out)
    assert result.returncode == 0, result.stderr
    line = read(out / "lines.csv")[0]  # 3 applied, k = half_up(1.5) = 2, line 57.5
    assert (line["applied"], line["sat"], line["k"], line["line_score"]) == ("3", "2", "2", "57.5")


def test_xlsx_problems_name_the_spreadsheet_row(tmp_path):
    rows = [HEADER.split(","),
            ["x1", 2022, "卫生", "副高级", "护理", "代县", "社区卫生服务中心", "是", 59],
            [None] * 9,  # a blank row 3 is skipped but still counted
            ["x2", 2022, "卫生", "副高级", "护理", "代县", "社区卫生服务中心", "是", "abc"]]
    out = tmp_path / "out"
    result = passline(_workbook(tmp_path / "scores.xlsx", rows), out)
    assert_refused(result, tmp_path, out, "scores.xlsx, sheet 'Sheet', row 4, score: score 'abc' is not a number")


# ----------------------------------------------------------------------------- bad input
def test_missing_file(tmp_path):
    out = tmp_path / "out"
    assert_refused(passline(tmp_path / "nope.csv", out), tmp_path, out, "nope.csv: file not found")


def test_missing_column(tmp_path):
    text = WORKED.replace(",grassroots,", ",note,")
    out = tmp_path / "out"
    assert_refused(passline(write(tmp_path / "s.csv", text), out), tmp_path, out,
                   "s.csv, row 1, grassroots: required column is missing "
                   "(expected a column headed grassroots or 基层)")


def test_bad_score(tmp_path):
    text = WORKED.replace(",是,72", ",是,72分")
    out = tmp_path / "out"
    assert_refused(passline(write(tmp_path / "s.csv", text), out), tmp_path, out,
                   "s.csv, row 2, score: score '72分' is not a number")


def test_every_problem_is_reported_at_once(tmp_path):
    text = (f"{ZH_HEADER}\n"
            "a1,2022,卫生,副高级,内科,忻府区,乡镇卫生院,是,72\n"
            "a1,2022,卫生,副高,内科,忻府区,乡镇卫生院,也许,58x\n"
            "\n"
            "a3,20x2,teacher,副高级,,代县,乡镇卫生院,1,155\n")
    out = tmp_path / "out"
    result = passline(write(tmp_path / "s.csv", text), out)
    assert_refused(result, tmp_path, out,
                   "s.csv, row 3, 级别: unknown level '副高'",
                   "s.csv, row 3, 基层: '也许' is not yes or no",
                   "s.csv, row 3, 成绩: score '58x' is not a number",
                   "s.csv, row 3, 人员编号: a1 appears again for exam year 2022 (first at row 2)",
                   "s.csv, row 5, 考试年度: '20x2' is not an exam year",
                   "s.csv, row 5, 系列: unknown series 'teacher'",
                   "s.csv, row 5, 专业: the specialty is empty",
                   "s.csv, row 5, 成绩: score 155 is out of range (expected 0 to 100")
    assert len(result.stderr.strip().splitlines()) == 8


def test_an_existing_result_folder_is_never_overwritten(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("earlier results")
    result = passline(write(tmp_path / "s.csv", WORKED), out)
    assert result.returncode == 2 and "already exists" in result.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_a_bad_override_is_refused(tmp_path):
    out = tmp_path / "out"
    result = passline(write(tmp_path / "s.csv", WORKED), out, "--set", "passline.ratoi=0.6")
    assert_refused(result, tmp_path, out, "unknown key 'passline.ratoi'")


# ---------------------------------------------- only what the rule takes (一(三) 考试)
# 一(三) "正高级职称采取评审的方式，副高级职称继续采取考试与评审相结合的方式": six deputy-senior
# grassroots takers, 72 58 55 52 50 45: k = half_up(0.5 x 6) = 3, the line is 55. Two
# full-senior rows (evaluation only) would make n = 8, k = 4 and the line 52 if they counted.
SIX_AND_TWO = HEADER + "\n" + "\n".join(
    [f"d{i},2022,health,deputy_senior,内科,代县,乡镇卫生院,是,{s}"
     for i, s in enumerate([72, 58, 55, 52, 50, 45])]
    + ["f1,2022,health,full_senior,内科,代县,乡镇卫生院,是,",
       "f2,2022,卫生,正高级,内科,代县,乡镇卫生院,是,"]) + "\n"


def test_rows_of_a_level_without_an_exam_are_refused_with_their_rows(tmp_path):
    out = tmp_path / "out"
    result = passline(write(tmp_path / "s.csv", SIX_AND_TWO), out, "--lang", "zh")
    assert_refused(result, tmp_path, out,
                   "s.csv，第 8 行，列“级别”：卫生系列正高级不适用按比例划定合格标准"
                   "（本情景只对 exam.levels 所列的系列和级别划线），不计入按比例合格名额",
                   "s.csv，第 9 行，列“级别”：卫生系列正高级不适用按比例划定合格标准",
                   "只列适用按比例划线的系列和级别（本情景：卫生系列副高级）", "--leave-out-no-exam")


def test_left_out_on_request_they_never_count_towards_k(tmp_path):
    out = tmp_path / "out"
    result = passline(write(tmp_path / "s.csv", SIX_AND_TWO), out, "--leave-out-no-exam",
                      "--lang", "zh")
    assert result.returncode == 0, result.stderr
    assert "2022 内科：合格线 55 分，申报 6 人（参考 6 人），按比例名额 3 人" in result.stdout
    assert "已剔除2行不适用按比例划线的系列或级别（第8, 9行）" in result.stdout
    assert [r["person_id"] for r in read(out / "persons.csv")] == [f"d{i}" for i in range(6)]


def test_a_teachers_row_is_refused_teachers_sit_no_exam(tmp_path):
    text = WORKED + "t1,2022,teachers,deputy_senior,mathematics,代县,rural_school,是,60\n"
    out = tmp_path / "out"
    assert_refused(passline(write(tmp_path / "s.csv", text), out, "--lang", "zh"), tmp_path, out,
                   "s.csv，第 9 行，列“级别”：中小学教师系列副高级不适用按比例划定合格标准")


def test_a_health_intermediate_row_is_refused_as_outside_the_ratio_rule(tmp_path):
    """卫生系列中级 does sit an exam (the national one): what is true is that the ratio rule
    of 一(三) sets no line for it, and that is what the problem says."""
    text = WORKED + "m1,2022,health,intermediate,内科,代县,乡镇卫生院,是,60\n"
    out = tmp_path / "out"
    result = passline(write(tmp_path / "s.csv", text), out, "--lang", "zh")
    assert_refused(result, tmp_path, out,
                   "s.csv，第 9 行，列“级别”：卫生系列中级不适用按比例划定合格标准")
    assert "不考试" not in result.stderr
    english = passline(write(tmp_path / "s.csv", text), out, "--lang", "en")
    assert_refused(english, tmp_path, out, "the ratio rule for pass lines does not apply to "
                   "health series intermediate", "this scenario: health series deputy senior")


def test_a_value_the_scenario_does_not_know_is_refused_naming_row_and_value(tmp_path):
    # '内 科' (a stray space) would otherwise be a specialty of its own, with its own line
    text = (WORKED.replace("a1,2022,health,deputy_senior,内科,", "a1,2022,health,deputy_senior,内 科,")
            .replace("a3,2022,health,deputy_senior,internal_medicine,代县",
                     "a3,2022,health,deputy_senior,internal_medicine,太原")
            .replace("a4,2022,health,deputy_senior,internal_medicine,代县,county_hospital",
                     "a4,2022,health,deputy_senior,internal_medicine,代县,卫生院"))
    out = tmp_path / "out"
    assert_refused(passline(write(tmp_path / "s.csv", text), out, "--lang", "zh"), tmp_path, out,
                   "s.csv，第 2 行，列“specialty”：专业“内 科”不在情景中（应为以下之一：内科（internal_medicine）、外科（surgery）",
                   "s.csv，第 4 行，列“county”：县（市、区）“太原”不在情景中（应为以下之一：忻府区",
                   "s.csv，第 5 行，列“unit_type”：单位类型“卫生院”不在情景中")


def test_a_graded_college_hospital_is_outside_the_ratio_groups(tmp_path):
    # 一(三) "高等院校校医院（已经评定等级的除外）": with college clinics marked graded, a5
    # (college clinic, 55) leaves the group: 4 applied, k = 2, the line is 58
    out = tmp_path / "out"
    result = passline(write(tmp_path / "s.csv", WORKED), out,
                      "--set", "population.unit_types.college_clinic.graded=true")
    assert result.returncode == 0, result.stderr
    assert "2022 internal medicine: line 58, k=2 of 4 applied (3 sat)" in result.stdout
