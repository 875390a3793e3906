"""Scenario files: the baseline loads, revisions state only their change, bad input is
refused with the file, the key path, the line and what was expected."""
from __future__ import annotations

import os
import re
import subprocess
import textwrap
from pathlib import Path

import pytest

from titlesim.i18n import msg

from titlesim.errors import InputError
from titlesim.scenario import load_scenario
from titlesim.scenario.loader import OWN_KEYS
from conftest import run_titlesim

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline-2022.yaml"


def write(tmp_path: Path, body: str, name: str = "revision.yaml", extends: bool = True) -> Path:
    """A scenario file under tmp_path; with ``extends`` its line 1 names the baseline, so the
    body starts on line 2."""
    head = f"extends: {os.path.relpath(BASELINE, tmp_path)}\n" if extends else ""
    path = tmp_path / name
    path.write_text(head + textwrap.dedent(body), encoding="utf-8")
    return path


def problems_of(path: Path, overrides=()) -> list:
    with pytest.raises(InputError) as info:
        load_scenario(path, overrides)
    return info.value.problems


def only_problem(path: Path, overrides=()):
    problems = problems_of(path, overrides)
    assert len(problems) == 1, problems
    return problems[0]


# ------------------------------------------------------------------------------ good input
def test_baseline_loads_as_the_notice_writes_it():
    s = load_scenario(BASELINE)
    assert s.params.exam.levels == {"health": ["deputy_senior"]}  # 一(三) 副高级 考试与评审相结合
    assert s.params.validity.years == 3                            # 一(三) 三年有效
    assert s.params.passline.ratio_base == "applied"               # 一(三) 申报参加考试人数
    assert s.files == (BASELINE.resolve(),)


def test_revision_states_only_its_change_and_merges_deeply(tmp_path):
    path = write(tmp_path, """\
        passline:
          ratio: 0.6
          group_by: [specialty, county]
        posts:
          structure:
            township_health_centre: {deputy_senior: 0.10}
        """)
    base, rev = load_scenario(BASELINE).resolved, load_scenario(path).resolved
    assert rev["passline"]["ratio"] == 0.6
    assert rev["passline"]["provincial_standard"] == base["passline"]["provincial_standard"]
    assert rev["passline"]["group_by"] == ["specialty", "county"]  # lists replace
    township = rev["posts"]["structure"]["township_health_centre"]
    assert township == {**base["posts"]["structure"]["township_health_centre"], "deputy_senior": 0.10}
    own = ("passline", "posts", "history", *OWN_KEYS)
    assert {k: v for k, v in rev.items() if k not in own} == {k: v for k, v in base.items()
                                                              if k not in own}
    # a revision's title, question and description are its own, never its base's
    assert {k: rev[k] for k in OWN_KEYS} == dict.fromkeys(OWN_KEYS, "")
    # the base's values of what it changes are the rules in force before the start
    assert rev["history"] == {**base["history"], "before": {
        "passline": {"ratio": 0.5, "group_by": ["specialty"]},
        "posts": {"structure": {"township_health_centre": {"deputy_senior": 0.07}}}}}
    assert load_scenario(path).files == (path.resolve(), BASELINE.resolve())


def test_a_scenario_is_named_by_its_title_in_english_when_it_has_one(tmp_path):
    """Every shipped scenario has a title and question in both languages; English falls
    back to the Chinese, and both to the file name (title) or description (question)."""
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        s = load_scenario(path)
        assert s.params.title and s.params.title_en, path.name
        assert s.params.question and s.params.question_en, path.name
        assert s.title_in("en") == s.params.title_en and s.title_in("zh") == s.params.title
        assert not re.search(r"[\u4e00-\u9fff]", s.title_in("en")), path.name
    chinese_only = load_scenario(write(tmp_path, "title: 只有中文\ndescription: 说明\n"))
    assert chinese_only.title_in("en") == "只有中文" and chinese_only.question_in("en") == "说明"
    untitled = load_scenario(write(tmp_path, "passline:\n  ratio: 0.6\n", "untitled.yaml"))
    assert untitled.title_in("en") == untitled.title_in("zh") == "untitled"


def test_a_list_in_a_revision_replaces_the_whole_list(tmp_path):
    path = write(tmp_path, "eligibility:\n  junior_college_senior_unit_types: [township_health_centre]\n")
    assert load_scenario(path).params.eligibility.junior_college_senior_unit_types == \
        ["township_health_centre"]


def test_set_overrides_a_value_and_is_validated_like_the_file():
    s = load_scenario(BASELINE, ["passline.ratio=0.6", "posts.hiring_order=merit"])
    assert (s.params.passline.ratio, s.params.posts.hiring_order) == (0.6, "merit")
    assert s.overrides == ("passline.ratio=0.6", "posts.hiring_order=merit")
    problem = only_problem(BASELINE, ["passline.ratio=1.5"])
    assert (problem.file, problem.key, problem.line) == ("--set", "passline.ratio", None)
    assert "less than or equal to 1" in str(problem)


def test_set_may_add_a_key_to_a_table_the_user_fills_in():
    s = load_scenario(BASELINE, ["population.specialties.health.nursing=0.12",
                                 "population.specialties.health.psychiatry=0.10"])
    assert s.params.population.specialties["health"]["psychiatry"] == 0.10


# ------------------------------------------------------------------------------- bad input
BAD_VALUES = {
    # case: (body from line 2, key path, line, words the message must hold)
    "unknown key": ("passline:\n  ratoi: 0.6\n", "passline.ratoi", 3,
                    ["unknown key 'ratoi'", "did you mean 'ratio'"]),
    "wrong type": ('passline:\n  ratio: "half"\n', "passline.ratio", 3,
                   ["valid number", "'half'"]),
    "ratio above 1": ("passline:\n  ratio: 1.5\n", "passline.ratio", 3,
                      ["less than or equal to 1", "1.5"]),
    "validity above 5 years": ("validity:\n  years: 9\n", "validity.years", 3,
                               ["less than or equal to 5", "9"]),
    "bad literal": ("passline:\n  rounding: round\n", "passline.rounding", 3,
                    ["one of 'ceil', 'floor', 'half_up'", "'round'"]),
    "standard above full marks": ("\npassline:\n  provincial_standard: 120\n",
                                  "passline.provincial_standard", 4, ["above full_marks"]),
    "shares not adding to 1": ("population:\n  series:\n    health: 0.7\n", "population.series", 3,
                               ["shares of series must add up to 1", "1.32"]),
    "unit type shares": ("population:\n  unit_types:\n    city_hospital: {share: 0.5}\n",
                         "population.unit_types", 3, ["unit types of series 'health'", "add up to 1"]),
    "unknown unit type in posts": (
        "posts:\n  structure:\n    hospital: {full_senior: 0.1, deputy_senior: 0.1, intermediate: 0.3}\n",
        "posts.structure.hospital", 4, ["unit type 'hospital'", "city_hospital"]),
    "unknown series of a committee": (
        "evaluation:\n  committees:\n    law: {capacity: null, pass_rate_cap: null, levels: [deputy_senior]}\n",
        "evaluation.committees.law", 4, ["series 'law'", "population.series"]),
    "post shares over 1": (
        "posts:\n  structure:\n    city_hospital: {full_senior: 0.3, deputy_senior: 0.4, intermediate: 0.5}\n",
        "posts.structure.city_hospital", 4, ["post shares add up to more than 1", "= 1.2",
                                             "at most 1 (the rest are junior posts)"]),
    "a post share above 1": (
        "posts:\n  structure:\n    rural_school:\n      intermediate: 1.2\n",
        "posts.structure.rural_school.intermediate", 5, ["less than or equal to 1", "1.2"]),
    "a negative post share": (
        "posts:\n  structure:\n    rural_school:\n      deputy_senior: -0.1\n",
        "posts.structure.rural_school.deputy_senior", 5, ["greater than or equal to 0", "-0.1"]),
    "directed separate posts over 1": (
        "posts:\n  directed_separate_structure: {full_senior: 0.5, deputy_senior: 0.6}\n",
        "posts.directed_separate_structure", 3, ["more than 1", "= 1.1"]),
    "seat county not a county": ("population:\n  seat_county: 太原\n", "population.seat_county", 3,
                                 ["'太原' is not one of the counties"]),
}


@pytest.mark.parametrize("case", BAD_VALUES)
def test_a_bad_value_names_file_key_line_and_what_was_expected(tmp_path, case):
    body, key, line, words = BAD_VALUES[case]
    path = write(tmp_path, body)
    problem = only_problem(path)
    assert (problem.file, problem.key, problem.line) == (str(path), key, line)
    text = str(problem)
    assert text.startswith(f"{path}, line {line}, {key}: ")
    for word in words:
        assert word in text


def test_every_bad_value_of_a_file_is_reported_at_once(tmp_path):
    path = write(tmp_path, "passline:\n  ratio: 1.5\nvalidity:\n  years: 9\n")
    assert [(p.key, p.line) for p in problems_of(path)] == [("passline.ratio", 3), ("validity.years", 5)]


def test_missing_extends_target(tmp_path):
    path = tmp_path / "revision.yaml"
    path.write_text("# a revision\nextends: nothere.yaml\n", encoding="utf-8")
    problem = only_problem(path)
    assert (problem.file, problem.key, problem.line) == (str(path), "extends", 2)
    assert "'nothere.yaml', does not exist" in str(problem)


def test_cyclic_extends(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("extends: b.yaml\n", encoding="utf-8")
    b.write_text("# b revises a\n\nextends: a.yaml\n", encoding="utf-8")
    problem = only_problem(a)
    assert (problem.file, problem.key, problem.line) == (str(b), "extends", 3)
    assert f"cycle: {a} -> {b} -> {a}" in str(problem)


def test_a_revision_that_leaves_a_base_key_inconsistent_names_both_files(tmp_path):
    # the baseline's series "economics" (its line 41) loses its only unit type in the revision:
    # the key and line are the baseline's, and the revision that broke it is named as well
    path = write(tmp_path, "population:\n  unit_types:\n    economic_unit:\n      series: ''\n")
    problem = only_problem(path)
    assert (Path(problem.file).resolve(), problem.key, problem.line) == (BASELINE.resolve(), "population.series.economics", 41)
    result = run_titlesim("validate", str(path), env=dict(os.environ, TITLESIM_LANG="zh"))
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "第 41 行" in result.stderr and "没有单位类型" in result.stderr, result.stderr
    assert f"这是在 {path} 继承并修改之后的情景中发现的" in result.stderr, result.stderr


@pytest.mark.parametrize("text, line, words", [
    ("passline:\n  ratio: [0.5,\nvalidity: }\n", 3, ["YAML"]),
    ("", 1, ["the file is empty", "expected key: value lines"]),
    ("# only a comment\n", 1, ["the file is empty"]),
    ("- passline\n- validity\n", 1, ["must be a mapping", "expected key: value lines"]),
])
def test_a_file_that_is_not_a_scenario(tmp_path, text, line, words):
    path = write(tmp_path, text, extends=False)
    problem = only_problem(path)
    assert (problem.file, problem.line) == (str(path), line)
    for word in words:
        assert word in str(problem)


def test_a_file_that_is_not_there(tmp_path):
    problem = only_problem(tmp_path / "absent.yaml")
    assert (problem.file, problem.message) == (str(tmp_path / "absent.yaml"), msg("file_not_found"))


@pytest.mark.parametrize("override, key, words", [
    ("passline.ratoi=0.6", "passline.ratoi", ["unknown key 'passline.ratoi'", "did you mean 'passline.ratio'"]),
    ("passline.ratio", "--set", ["expected KEY.PATH=VALUE"]),
    ("passline..ratio=1", "--set", ["empty part", "expected KEY.PATH=VALUE"]),
    ("passline.ratio=half", "passline.ratio", ["valid number", "'half'"]),
    ("passline.ties=random", "passline.ties", ["one of 'include', 'cap'", "'random'"]),
])
def test_a_bad_set_names_the_key_and_what_was_expected(override, key, words):
    problem = only_problem(BASELINE, [override])
    assert problem.key == key
    assert problem.line is None
    for word in words:
        assert word in str(problem)


# --------------------------------------------------------------------- titlesim validate
def titlesim(*args: str) -> subprocess.CompletedProcess:
    # the English wording is checked here; the Chinese in test_cli_language.py
    return run_titlesim(*args, cwd=ROOT, env=dict(os.environ, TITLESIM_LANG="en"))


def test_validate_accepts_the_baseline():
    result = titlesim("validate", str(BASELINE))
    assert (result.returncode, result.stdout, result.stderr) == (0, f"ok: {BASELINE}\n", "")


def test_validate_reports_every_problem_of_every_file(tmp_path):
    ranged = write(tmp_path, "passline:\n  ratio: 1.5\nvalidity:\n  years: 9\n", name="ranged.yaml")
    typo = write(tmp_path, "passline:\n  ratoi: 0.6\n", name="typo.yaml")
    result = titlesim("validate", str(ranged), str(BASELINE), str(typo))
    assert result.returncode == 2
    assert result.stdout == f"ok: {BASELINE}\n"
    assert result.stderr.splitlines() == [
        f"titlesim: error: {ranged}, line 3, passline.ratio: Input should be less than or equal to 1, got 1.5",
        f"titlesim: error: {ranged}, line 5, validity.years: Input should be less than or equal to 5, got 9",
        f"titlesim: error: {typo}, line 3, passline.ratoi: unknown key 'ratoi'; did you mean 'ratio'?",
    ]
    assert "Traceback" not in result.stderr


def test_validate_checks_a_grid_against_the_scenario_given_with_it(tmp_path):
    grid = ROOT / "scenarios" / "grids" / "ratio-by-validity.yaml"
    alone = titlesim("validate", str(grid))
    assert alone.returncode == 2 and "horizon" not in alone.stderr
    assert alone.stderr.splitlines() == [
        f"titlesim: error: {grid}: a parameter grid is checked against the scenario it is swept over "
        "(expected a scenario file given alongside, without problems)"]
    both = titlesim("validate", str(BASELINE), str(grid))
    assert (both.returncode, both.stdout) == (0, f"ok: {BASELINE}\nok: {grid}\n")
    bad = tmp_path / "bad-grid.yaml"
    bad.write_text("parameters:\n  passline.ratoi: [0.4, 0.5]\n", encoding="utf-8")
    refused = titlesim("validate", str(BASELINE), str(bad))
    assert refused.returncode == 2 and f"{bad}, line 2, passline.ratoi" in refused.stderr


@pytest.fixture
def files_read(monkeypatch) -> list[Path]:
    """Every file a YAML reader reads from now on (its text, :mod:`titlesim.yamlfile`),
    its resolved path, in order."""
    from titlesim import yamlfile
    read = []
    real = yamlfile._read_text
    monkeypatch.setattr(yamlfile, "_read_text",
                        lambda path, what: read.append(Path(path).resolve()) or real(path, what))
    return read


def test_validate_reads_each_file_once(files_read):
    """A scenario and a grid are each read once: to tell which of the two it is and to
    check it."""
    grid = ROOT / "scenarios" / "grids" / "ratio-by-validity.yaml"
    result = titlesim("validate", str(BASELINE), str(grid))
    assert (result.returncode, result.stdout) == (0, f"ok: {BASELINE}\nok: {grid}\n")
    assert sorted(files_read) == sorted([BASELINE, grid])


@pytest.mark.parametrize("overrides", [(), ("passline.ratio=0.7",)])
def test_loading_a_revision_reads_each_file_of_its_chain_once(tmp_path, files_read, overrides):
    """A revision, with or without --set, reads its own file and its base once each; the
    rules its history runs under are still the base's (history.before)."""
    revision = write(tmp_path, "passline:\n  ratio: 0.6\n")
    loaded = load_scenario(revision, overrides)
    assert sorted(files_read) == sorted([revision.resolve(), BASELINE.resolve()])
    assert loaded.params.passline.ratio == (0.7 if overrides else 0.6)
    assert loaded.raw["history"]["before"] == {"passline": {"ratio": 0.5}}


def test_set_on_a_scenario_reads_it_once_and_keeps_its_own_rules_before_the_start(files_read):
    loaded = load_scenario(BASELINE, ["passline.ratio=0.7", "validity.ratio_only_years=2"])
    assert files_read == [BASELINE]
    assert loaded.raw["history"]["before"] == {"passline": {"ratio": 0.5},
                                                "validity": {"ratio_only_years": 1}}


def test_validate_applies_set_to_every_file_and_reports_a_bad_one_once(tmp_path):
    other = write(tmp_path, "passline:\n  ratio: 0.6\n")
    result = titlesim("validate", str(BASELINE), str(other), "--set", "validity.years=9")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "titlesim: error: --set, validity.years: Input should be less than or equal to 5, got 9"]
    assert titlesim("validate", str(other), "--set", "passline.ratio=0.7").returncode == 0


def test_validate_refuses_a_file_it_cannot_check(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    result = titlesim("validate", str(notes))
    assert result.returncode == 2
    assert f"{notes}: cannot check this kind of file" in result.stderr


def test_validate_and_run_refuse_post_shares_over_1_in_chinese_by_default(tmp_path):
    path = write(tmp_path, "posts:\n  structure:\n"
                 "    county_hospital: {full_senior: 0.2, deputy_senior: 0.4, intermediate: 0.45}\n")
    chinese = dict(os.environ)
    chinese.pop("TITLESIM_LANG", None)
    for command in (["validate", str(path)], ["run", str(path), "--out", str(tmp_path / "out")]):
        result = run_titlesim(*command, cwd=ROOT, env=chinese)
        assert result.returncode == 2, result.stderr
        assert f"文件 {path}，第 4 行，“posts.structure.county_hospital”：岗位结构比例之和超过 1" in result.stderr
        assert "= 1.05" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_debug_shows_the_traceback(tmp_path):
    path = write(tmp_path, "passline:\n  ratio: 1.5\n")
    plain, debug = titlesim("validate", str(path)), titlesim("--debug", "validate", str(path))
    assert "passline.ratio" in plain.stderr and "Traceback" not in plain.stderr
    assert debug.returncode != 0 and "Traceback" in debug.stderr and "InputError" in debug.stderr


# --------------------------------------------------------- validate on score lists (一(三))
SCORE_HEADER = "person_id,exam_year,series,level,specialty,county,unit_type,grassroots,score\n"


def test_validate_checks_a_score_list_with_the_scenarios_full_marks(tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(SCORE_HEADER + "p1,2022,health,deputy_senior,surgery,代县,"
                    "township_health_centre,是,58\n", encoding="utf-8")
    bad.write_text(SCORE_HEADER + "p1,2022,health,deputy_senior,surgery,代县,"
                   "township_health_centre,是,120\n", encoding="utf-8")
    result = titlesim("validate", str(good), str(bad), str(BASELINE))
    assert result.returncode == 2
    assert result.stdout.splitlines() == [f"ok: {BASELINE}", f"ok: {good}"]
    assert f"{bad}, row 2, score" in result.stderr
    assert f"{good}" not in result.stderr


def test_validate_needs_full_marks_for_a_score_list_alone(tmp_path):
    scores = tmp_path / "scores.csv"
    scores.write_text(SCORE_HEADER, encoding="utf-8")
    result = titlesim("validate", str(scores))
    assert result.returncode == 2
    assert "full marks of the scores are not known" in result.stderr
    assert "--full-marks" in result.stderr


def test_a_series_a_revision_adds_without_specialties_is_blamed_on_the_revision(tmp_path):
    """The fault is the series the revision adds, not the base's specialties it lacks."""
    path = write(tmp_path, "population:\n  series:\n    a: 0\n")
    problem = only_problem(path)
    assert (problem.file, problem.key, problem.line) == (str(path), "population.series.a", 4)
    assert problem.text("zh").endswith("：系列“a”没有专业")


@pytest.mark.parametrize("history", ["true", "[1, 2]"])
def test_a_history_that_is_not_a_mapping_beside_a_changed_rule_is_refused_at_its_line(tmp_path, history):
    """The rules in force before the start are recorded under ``history``: one that is not a
    mapping is refused by its key and line, in Chinese, not a TypeError."""
    path = write(tmp_path, f"""\
        passline:
          ratio: 0.6
        history: {history}
        """)
    result = run_titlesim("validate", str(path), env=dict(os.environ, TITLESIM_LANG="zh"))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr and "第 4 行" in result.stderr and "“history”" in result.stderr
    assert "应为“键: 值”映射" in result.stderr


def test_a_roster_that_is_not_there_is_named_at_the_key_that_names_it(tmp_path):
    path = tmp_path / "bureau.yaml"
    path.write_text(f"extends: {BASELINE}\npopulation:\n  roster: 不存在.xlsx\n  roster_salt: x\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.key) == (str(path), 3, "population.roster")
    assert "不存在.xlsx" in problem.message
    assert "人员名册文件不存在" in problem.text("zh")
    # named by --set instead of the file, it is said to come from --set
    with pytest.raises(InputError) as caught:
        load_scenario(BASELINE, [f"population.roster={tmp_path / 'gone.csv'}"])
    assert caught.value.problems[0].file == "--set"
