"""Small faults a new user meets in the commands' words, each fixed and kept fixed."""
from __future__ import annotations

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
    assert SEED_RANGE[lang] in " ".join(shown.stdout.split())
    refused = run_titlesim("run", str(BASELINE), "--seed", "-1", "--lang", lang)
    assert refused.returncode == 2
    assert "9223372036854775807" not in refused.stderr
    assert SEED_RANGE[lang] in refused.stderr


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
                                           (["passline", "x.csv"], "缺少选项 '--scenario'。")])
def test_a_missing_argument_is_one_chinese_sentence(args, missing):
    refused = run_titlesim(*args)
    assert refused.returncode == 2
    assert refused.stderr.rstrip().endswith(missing)
    english = run_titlesim(*args, "--lang", "en")
    assert english.stderr.rstrip().endswith(missing.replace("缺少参数", "Missing argument")
                                             .replace("缺少选项", "Missing option").replace("。", "."))
