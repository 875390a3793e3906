"""Small faults a new user meets in the commands' words, each fixed and kept fixed."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_titlesim

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline-2022.yaml"
SEED_RANGE = {"zh": "0 至 2 的 63 次方减 1", "en": "0 to 2^63 - 1"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_seeds_range_reads_in_words_in_help_and_in_the_refusal(lang):
    shown = run_titlesim("run", "--help", "--lang", lang)
    assert shown.returncode == 0
    assert "9223372036854775807" not in shown.stdout
    # (help is wrapped to the terminal: compare without the spaces and line breaks)
    assert re.sub(r"\s+", "", SEED_RANGE[lang]) in re.sub(r"\s+", "", shown.stdout)
    refused = run_titlesim("run", str(BASELINE), "--seed", "-1", "--lang", lang)
    assert refused.returncode == 2
    assert "9223372036854775807" not in refused.stderr
    assert SEED_RANGE[lang] in refused.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("seed", ["9223372036854775808", "-1"])
def test_a_scenario_files_seed_out_of_range_is_refused_with_the_range_in_words(tmp_path, lang, seed):
    scenario = tmp_path / "seeded.yaml"
    scenario.write_text(f"extends: {BASELINE}\nseed: {seed}\n", encoding="utf-8")
    for args in (["validate", scenario], ["run", BASELINE, "--set", f"seed={seed}"]):
        refused = run_titlesim(*args, "--lang", lang, cwd=tmp_path)
        assert refused.returncode == 2, refused.stdout
        assert "9223372036854775807" not in refused.stderr
        assert SEED_RANGE[lang] in refused.stderr and seed in refused.stderr, refused.stderr


def test_a_scenario_is_called_qingjing_everywhere_never_changjing():
    """The product's word for a scenario is 情景 (README, help, reports); a second word
    (场景) for the same thing leaves a new user wondering whether it is another file."""
    from titlesim.i18n import catalogue
    assert [key for key, row in catalogue().items() if "场景" in row["zh"]] == []
    for path in (ROOT / "scenarios", ROOT / "README.md"):
        refused = run_titlesim("run", str(path))
        assert refused.returncode == 2
        assert "不是情景文件" in refused.stderr and "场景" not in refused.stderr


@pytest.mark.parametrize("args, missing", [(["run"], "缺少参数 'SCENARIO'。"),
                                           (["passline", "x.csv"], "缺少选项 '--scenario'。"),
                                           (["compare", "x.yaml"], "缺少参数 'REVISIONS...'。")])
def test_a_missing_argument_is_one_chinese_sentence(args, missing):
    refused = run_titlesim(*args)
    assert refused.returncode == 2
    assert refused.stderr.rstrip().endswith(missing)
    english = run_titlesim(*args, "--lang", "en")
    assert english.stderr.rstrip().endswith(missing.replace("缺少参数", "Missing argument")
                                             .replace("缺少选项", "Missing option").replace("。", "."))


def test_a_chinese_help_fits_an_80_column_terminal_and_keeps_file_names_whole():
    """Click wraps at spaces and counts characters; a Chinese character takes two columns
    and Chinese has no spaces: help ran to 114 columns and cut report.html in two."""
    from click.testing import CliRunner

    from titlesim.cli import _register, cli
    from titlesim.cli.words import display_width
    _register()
    names = [()] + [(name,) for name in cli.commands]
    for name in names:
        shown = CliRunner().invoke(cli, [*name, "--help"], prog_name="titlesim",
                                   env={"TITLESIM_LANG": None, "COLUMNS": "80"})
        assert shown.exit_code == 0, shown.output
        wide = [line for line in shown.output.splitlines() if display_width(line) > 80
                and " " in line.strip()]  # a single word longer than the line may stay whole
        assert wide == [], (name, wide)
    report = CliRunner().invoke(cli, ["report", "--help"], env={"COLUMNS": "80"}).output
    for file in ("report.html", "report.docx", "provenance.json", "reports/index.html"):
        assert file in report, file


def test_init_run_again_says_the_folder_is_there_not_that_it_made_it(tmp_path):
    first = run_titlesim("init", "职称模拟", cwd=tmp_path)
    assert first.returncode == 0 and "已建立工作目录 职称模拟" in first.stdout
    again = run_titlesim("init", "职称模拟", cwd=tmp_path)
    assert again.returncode == 0
    assert "已建立" not in again.stdout and "复制了 0 个文件" not in again.stdout
    assert "工作目录 职称模拟 已存在" in again.stdout and "保持原样" in again.stdout


def test_init_speaks_one_language_at_a_time():
    """Its help was written in both languages at once: the English help showed the Chinese."""
    english = run_titlesim("init", "--help", "--lang", "en").stdout
    assert not re.search(r"[\u4e00-\u9fff]", english), english
    chinese = run_titlesim("init", "--help").stdout
    assert "建立工作目录" in chinese and "Make a working folder" not in chinese


def _refusal(tmp_path, body: str, lang: str = "zh") -> str:
    import os
    path = tmp_path / "我的方案.yaml"
    path.write_text(f"extends: {os.path.relpath(BASELINE, tmp_path)}\n" + body, encoding="utf-8")
    refused = run_titlesim("validate", str(path), "--lang", lang)
    assert refused.returncode == 2
    return refused.stderr


def test_a_key_typed_with_the_chinese_colon_is_named_at_its_own_line(tmp_path):
    """A Chinese keyboard types ： for :. PyYAML notices it on the next line, without saying
    why: the refusal names the line with ： and says to type : instead."""
    text = _refusal(tmp_path, "title: 方案：提高比例\npassline：\n  ratio: 0.6\n")
    assert "第 3 行" in text and "中文冒号“：”，应为英文冒号“:”" in text
    assert "line 3" in _refusal(tmp_path, "title: 方案：提高比例\npassline：\n  ratio: 0.6\n", "en")


def test_a_value_that_should_have_been_a_mapping_is_refused_in_chinese(tmp_path):
    """``ratio： 0.6`` under passline makes passline's value the text 'ratio： 0.6': pydantic
    said "Input should be a valid dictionary or instance of PassLine", untranslated."""
    text = _refusal(tmp_path, "passline:\n  ratio： 0.6\n")
    assert "Input should" not in text and "PassLine" not in text
    assert "“passline”：应为“键: 值”映射，实际为 'ratio： 0.6'" in text
    assert "请改为英文冒号“:”" in text


def test_a_refused_comparison_lists_the_changes_in_chinese_punctuation(tmp_path):
    """The keys that make two scenarios incomparable were listed as '(a: 1 -> 2; b: ...)'
    inside the Chinese sentence."""
    import os
    revision = tmp_path / "other.yaml"
    revision.write_text(f"extends: {os.path.relpath(BASELINE, tmp_path)}\npopulation:\n"
                        "  size: 30000\n  female_share: 0.5\n", encoding="utf-8")
    refused = run_titlesim("compare", str(BASELINE), str(revision), "--out", str(tmp_path / "out"))
    assert refused.returncode == 2 and not (tmp_path / "out").exists()
    assert "（改动：population.size：40000 → 30000；population.female_share：0.62 → 0.5）" \
        in refused.stderr
    assert "->" not in refused.stderr
    english = run_titlesim("compare", str(BASELINE), str(revision), "--lang", "en")
    assert "(changed: population.size: 40000 -> 30000; population.female_share: 0.62 -> 0.5)" \
        in english.stderr


def test_more_than_five_changes_are_counted_in_chinese():
    from titlesim.i18n import problem_text
    text = "cannot be compared with 'b': it has a different horizon (evaluation years); every " \
           "scenario of a comparison must cover the same years (changed: a: 1 -> 2; c: 3 -> 4 and 2 more)"
    assert problem_text(text, "zh").endswith("（改动：a：1 → 2；c：3 → 4，另有 2 项）")


@pytest.mark.parametrize("lang, assumption, clause", [("zh", "假设", "一(三)；取值为假设"),
                                                      ("en", "assumption", "Part 1 (3); value an assumption")])
def test_a_plans_table_gives_each_levers_source_in_its_language(tmp_path, lang, assumption, clause):
    """The 修订对照表 said 'assumption' in Chinese: the source of a lever the notice does
    not set is 假设, a clause reads as the notice numbers it (in English, Part 1 (3))."""
    out = tmp_path / "plan"
    made = run_titlesim("plan", str(BASELINE), "--set", "population.size=3000",
                        "--set", "horizon.years=2", "--replicates", "1", "--workers", "1",
                        "--lever", "validity.ratio_only_years=1:2",
                        "--lever", "passline.ratio=0.5:0.6:0.1", "--target", "titled >= 0",
                        "--least-change", "--quiet", "--lang", lang, "--out", str(out))
    assert made.returncode == 0, made.stderr
    rows = {line.split("|")[2].strip(): line.split("|")[5].strip()
            for line in (out / "summary.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and ("validity." in line or "passline." in line)}
    assert rows == {"validity.ratio_only_years": assumption, "passline.ratio": clause}


def test_runs_names_a_comparison_by_its_base_scenarios_title(tmp_path):
    """`titlesim runs` listed a comparison by its base's file name (baseline-2022) where it
    lists runs and reports by their title."""
    small = ("--replicates", "1", "--set", "population.size=1500", "--set", "horizon.years=2",
             "--set", "history.years=0", "--quiet", "--no-figures")  # the listing, not the figures
    made = run_titlesim("compare", str(BASELINE), str(ROOT / "scenarios" / "grassroots-ratio-0.6.yaml"),
                        *small, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    listed = run_titlesim("runs", cwd=tmp_path).stdout.splitlines()
    assert listed[1].split()[:2] == ["比较", "忻州市2022年度职称评审通知（原文）"], listed
    english = run_titlesim("runs", "--lang", "en", cwd=tmp_path).stdout
    assert "Xinzhou" in english and " baseline-2022 " not in english


def test_a_numbers_range_reads_as_chinese_writes_it():
    shown = run_titlesim("passline", "--help")
    assert "[1949 至 2200]" in shown.stdout and "<=x<=" not in shown.stdout
    refused = run_titlesim("run", str(BASELINE), "--replicates", "0")
    assert refused.returncode == 2 and "0 不在范围 ≥ 1 内" in refused.stderr
    english = run_titlesim("run", str(BASELINE), "--replicates", "0", "--lang", "en")
    assert "0 is not in the range x>=1" in english.stderr
