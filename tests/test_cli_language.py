"""The command line speaks Chinese by default and English on request (``--lang en`` on
every command, or ``TITLESIM_LANG=en``): help, click's own usage errors, input errors."""
from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner
from conftest import BASELINE

from titlesim.cli import Command, _register, cli
from titlesim.cli.words import display_width
from titlesim.i18n import ENV_VAR, catalogue

_register()


def commands(group=cli, path=()):
    """(words after ``titlesim``, command) for the group and every command under it."""
    yield path, group
    for name, command in getattr(group, "commands", {}).items():
        yield from commands(command, (*path, name))


ALL = list(commands())
IDS = [" ".join(path) or "titlesim" for path, _ in ALL]


def invoke(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="titlesim",
                              env={ENV_VAR: None, **(env or {})})


HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_command_and_option_has_chinese_help_in_the_catalogue():
    rows = catalogue()
    missing = []
    for path, command in ALL:
        key = f"help.{command.help_key}"
        if key not in rows:
            missing.append(key)
        for param in command.params:
            if isinstance(param, click.Option) and not {f"{key}.{param.name}",
                                                        f"help.option.{param.name}"} & set(rows):
                missing.append(f"{key}.{param.name}")
    assert not missing, "add rows (key,zh,en) to titlesim/data/messages/cli.csv: " + ", ".join(missing)


@pytest.mark.parametrize("path,command", ALL, ids=IDS)
def test_every_command_takes_lang_and_helps_in_chinese_then_english(path, command):
    assert isinstance(command, Command)
    assert any(p.name == "lang" for p in command.params)
    chinese = invoke(*path, "--help")
    assert chinese.exit_code == 0, chinese.output
    assert chinese.output.startswith("用法：") and "选项" in chinese.output
    for param in command.params:
        if isinstance(param, click.Option):
            assert HAN.search(param.help), f"option help not in Chinese: {param.name}"
    english = invoke(*path, "--help", "--lang", "en")
    assert english.output.startswith("Usage:") and "Options:" in english.output
    for param in command.params:
        if isinstance(param, click.Option) and param.name != "lang":
            zh = catalogue().get(f"help.{command.help_key}.{param.name}") or \
                catalogue().get(f"help.option.{param.name}")
            assert zh["zh"] not in english.output, param.name
    assert invoke(*path, "--help", env={ENV_VAR: "en"}).output == english.output


def test_the_group_takes_lang_before_the_command():
    assert invoke("--lang", "en", "run", "--help").output.startswith("Usage:")
    assert invoke("--lang=en", "run", "--help").output.startswith("Usage:")


def test_the_version_line_is_in_the_language_in_use():
    assert invoke("--version").output.strip() == "titlesim，版本 0.1.0"
    assert invoke("--lang", "en", "--version").output.strip() == "titlesim, version 0.1.0"


def test_clicks_own_usage_errors_are_in_chinese_by_default():
    missing = invoke("run")
    assert missing.exit_code == 2
    assert "用法：titlesim run [选项] SCENARIO" in missing.output.replace("： ", "：")
    assert "错误：缺少参数 'SCENARIO'" in missing.output
    bad = invoke("run", "x.yaml", "--replicates", "abc")
    assert "'--replicates' 的取值无效" in bad.output
    unknown = invoke("runs", "--kind", "zz")
    assert "不是以下之一" in unknown.output
    english = invoke("runs", "--kind", "zz", "--lang", "en")
    assert "is not one of" in english.output and "Error:" in english.output


def test_input_errors_name_file_line_and_key_in_chinese(tmp_path):
    typo = tmp_path / "typo.yaml"
    typo.write_text(f"extends: {BASELINE}\npassline:\n  ratoi: 0.6\n", encoding="utf-8")
    result = invoke("validate", typo)
    assert result.exit_code == 2
    assert result.output.strip() == (f"titlesim：错误：文件 {typo}，第 3 行，“passline.ratoi”："
                                     "未知的键“ratoi”；您是否想写“ratio”？")
    english = invoke("validate", typo, "--lang", "en")
    assert english.output.strip() == (f"titlesim: error: {typo}, line 3, passline.ratoi: "
                                      "unknown key 'ratoi'; did you mean 'ratio'?")


def test_a_range_error_reads_in_chinese(tmp_path):
    ranged = tmp_path / "ranged.yaml"
    ranged.write_text(f"extends: {BASELINE}\npassline:\n  ratio: 1.5\n", encoding="utf-8")
    result = invoke("validate", ranged)
    assert "“passline.ratio”：应小于或等于 1，实际为 1.5" in result.output


def test_the_language_is_forgotten_after_a_command():
    from titlesim.i18n import current_language
    invoke("--lang", "en", "runs", "--help")
    assert current_language() == "zh"


def unwrapped(text: str) -> str:
    """A help without the line breaks click puts in a paragraph (in Chinese, between two
    characters), to find a phrase in it."""
    return re.sub(r"\n\s+", "", text)


def test_plan_help_speaks_of_candidates_in_chinese_and_english():
    chinese = unwrapped(invoke("plan", "--help").output)
    assert "已算完的候选方案保留" in chinese and "不显示进度条" in chinese
    assert "candidates finished" not in chinese and "No progress bar" not in chinese
    english = invoke("plan", "--help", "--lang", "en").output
    assert "candidates finished there are kept" in english and "候选" not in english


def test_plan_help_fits_80_columns_and_keeps_a_path_whole():
    text = invoke("plan", "--help", env={"COLUMNS": "80"}).output
    assert max(display_width(line) for line in text.splitlines()) <= 80
    assert "reports/plans/<情景>/<时间>-<摘要>" in text  # never "<情景" and ">" on two lines
    assert "不是政策参数" not in text and "政策参数" in unwrapped(text)


CLICK_ENGLISH = ("Show this message", "Show the version", "INTEGER", "FLOAT", "RANGE", "PATH ",
                 "DIRECTORY", "FILENAME", "TEXT", "required", "default:", "Usage", "Options",
                 "Commands")


def english_phrases(text: str) -> list[str]:
    """Runs of two or more English words left in a Chinese text, once option names,
    command lines and placeholders (KEY.PATH=VALUE, SCENARIO) are taken out."""
    text = re.sub(r"--[\w-]+|titlesim( [a-z]+)*|'dask \w+'|\b[A-Z][A-Z_.=]+\b", " ", text)
    return re.findall(r"\b[A-Za-z]{3,}(?: [A-Za-z]{3,})+\b", text)


@pytest.mark.parametrize("path,command", ALL, ids=IDS)
def test_chinese_help_has_no_english_left(path, command):
    """Click's own words, the names of value types (INTEGER RANGE, PATH) and the summaries
    of commands (click cuts them at spaces, which Chinese has none of) all in Chinese."""
    text = invoke(*path, "--help").output
    for word in CLICK_ENGLISH:
        assert word not in text, (word, text)
    assert english_phrases(text) == [], text
    assert "选项：" in text and "选项:" not in text  # headings with the Chinese colon
    if isinstance(command, click.Group):
        summaries = text.split("命令：")[1]
        assert "……" not in summaries and "..." not in summaries


def test_a_chinese_help_table_stays_aligned():
    """Chinese value names take two columns each: every option's help starts in one column."""
    rows = [line for line in invoke("export", "--help").output.splitlines() if line.startswith("  -")]
    assert any("--replicates 整数" in row for row in rows)
    starts = {display_width(re.match(r"(  \S.*?\s{2,})\S", row).group(1)) for row in rows}
    assert len(starts) == 1, rows


def test_the_chinese_command_reference_is_up_to_date_and_chinese():
    """docs/commands.md is generated (python -m titlesim.commanddoc --update docs/commands.md):
    its text is the commands' own help, in Chinese."""
    from pathlib import Path

    from titlesim.commanddoc import END, START, reference
    from titlesim.i18n import set_language
    set_language("zh")
    try:
        text = reference()
    finally:
        set_language(None)
    page = (Path(__file__).resolve().parents[1] / "docs/commands.md").read_text(encoding="utf-8")
    assert page.split(START)[1].split(END)[0] == text, \
        "run: python -m titlesim.commanddoc --update docs/commands.md"
    for word in CLICK_ENGLISH:
        assert word not in text, word
    assert "| `-h, --help` | 显示本帮助并退出。 |" in text


def test_a_bad_number_names_its_type_in_chinese():
    bad = invoke("run", "x.yaml", "--replicates", "abc")
    assert "'abc' 不是有效的整数。" in bad.output and "integer" not in bad.output
    english = invoke("run", "x.yaml", "--replicates", "abc", "--lang", "en")
    assert "'abc' is not a valid integer range." in english.output
