"""``titlesim plan`` as people read it: options "not set" (null), values and parameters in
words (是, 不设, the unit type a post share is of), never internal values or key paths.
Each plan is tiny (2,000 people, 2 years, 2 replicates, a handful of candidates)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from titlesim.cli import _register, cli
from titlesim.i18n import set_language

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline-2022.yaml"
TINY = ["--set", "population.size=2000", "--set", "horizon.years=2", "--replicates", "2",
        "--workers", "1"]


@pytest.fixture(scope="module", autouse=True)
def commands():
    _register()


@pytest.fixture(autouse=True)
def chinese_by_default(monkeypatch):
    monkeypatch.delenv("TITLESIM_LANG", raising=False)
    yield
    set_language(None)


def plan(out: Path, *args):
    return CliRunner().invoke(cli, ["plan", str(BASELINE), *TINY, "--out", str(out), *args])


def test_not_set_is_an_option_where_the_parameter_may_be_unset(tmp_path):
    # passline.floor may be null (不设): offered as a choice, it is tried and can be chosen
    result = plan(tmp_path / "p", "--quiet", "--lever", "passline.floor=null,40",
                  "--target", "titled_grassroots >= 1")
    assert result.exit_code == 0, result.stderr
    frame = pd.read_csv(tmp_path / "p" / "candidates.csv")
    assert len(frame) == 2 and frame["passline.floor"].isna().sum() == 1
    text = (tmp_path / "p" / "plan.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text).get("passline", {}).get("floor") is None  # the scenario's own
    summary = (tmp_path / "p" / "summary.md").read_text(encoding="utf-8")
    assert "| 比例合格线最低分 | passline.floor | 不设 | 不设 |" in summary
    assert "比例合格线最低分 40" in summary  # the runner-up, in words


def test_null_where_the_parameter_needs_a_value_is_refused_naming_the_lever(tmp_path):
    result = plan(tmp_path / "p", "--quiet", "--lever", "passline.ratio=null,0.6",
                  "--target", "titled_grassroots >= 1")
    assert result.exit_code == 2
    assert "--lever" in result.stderr and "passline.ratio" in result.stderr
    assert "--set" not in result.stderr and "NaN" not in result.stderr
    assert not (tmp_path / "p").exists()


LEVERS = ["--lever", "attached_units.join_grassroots_route=true,false",
          "--lever", "posts.structure.township_health_centre.deputy_senior=0.07,0.1",
          "--target", "titled_grassroots >= 1"]


@pytest.mark.parametrize("lang, words, internal", [
    ("zh", ["| 是 | 是 |", "副高级岗位比例（乡镇卫生院）", "次优设置 "],
     ["true", "false", "=", "posts.structure.township_health_centre.deputy_senior 0"]),
    ("en", ["| yes | yes |", "share of deputy senior posts (township health centre)", "runner-up "],
     ["true", "false", "=", "posts.structure.township_health_centre.deputy_senior 0"]),
])
def test_values_and_parameters_are_shown_in_words(tmp_path, lang, words, internal):
    result = plan(tmp_path / "p", "--lang", lang, *LEVERS)
    assert result.exit_code == 0, result.stderr
    summary = (tmp_path / "p" / "summary.md").read_text(encoding="utf-8")
    table = [line for line in summary.splitlines() if line.startswith("| ")]
    sureness = summary.split("\n## ")[-1]
    answer = result.stderr[result.stderr.index("找到" if lang == "zh" else "a setting meets"):]
    for word in words:
        assert word in summary
    for text in internal:
        assert text not in sureness and text not in answer
    # the key path stays in its own column; the label says whose post share it is
    assert any("township_health_centre" in line and ("乡镇卫生院" in line or "township health"
                                                     in line) for line in table)
    unit = "乡镇卫生院" if lang == "zh" else "township health centre"
    assert unit in answer


def test_an_existing_out_is_called_a_plan_folder(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "notes.txt").write_text("mine", encoding="utf-8")
    args = ["--lever", "passline.ratio=0.3:0.9", "--target", "titled >= 1"]
    exists = plan(tmp_path / "p", *args)
    assert exists.exit_code == 2
    assert "规划结果文件夹" in exists.stderr and "扫描" not in exists.stderr
    resumed = plan(tmp_path / "p", *args, "--resume", "--lang", "en")
    assert resumed.exit_code == 2
    assert "not a plan folder" in resumed.stderr and "sweep" not in resumed.stderr
    assert (tmp_path / "p" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_the_base_carries_the_scenario_title_so_compare_names_it(tmp_path):
    out = tmp_path / "p"
    result = plan(out, "--quiet", "--lever", "validity.ratio_only_years=2:3",
                  "--target", "titled >= 1")
    assert result.exit_code == 0, result.stderr
    base = yaml.safe_load((out / "base.yaml").read_text(encoding="utf-8"))
    assert base["title"] == "忻州市2022年度职称评审通知（原文）"
    assert base["question"].startswith("按忻人社函〔2022〕35号原文执行")
    assert base["title_en"] == "Xinzhou 2022 title evaluation notice, as written"
    compare = CliRunner().invoke(cli, ["compare", str(out / "base.yaml"), str(out / "plan.yaml"),
                                       "--out", str(tmp_path / "c")])
    assert compare.exit_code == 0, compare.stderr
    assert "“规划方案”对比“忻州市2022年度职称评审通知（原文）”" in compare.stderr + compare.stdout


def test_numbers_are_whole_people_and_percentage_points_the_same_everywhere(tmp_path):
    import re
    out = tmp_path / "p"
    # two replicates: a mean count ends in .0 or .5, so a target ending in .25 is missed by
    # a shortfall that is never whole (said as 约 ...)
    result = plan(out, "--lever", "passline.ratio=0.4:0.6:0.1",
                  "--target", "titled_grassroots >= 190.25", "--target", "senior_share_grassroots >= 60")
    assert result.exit_code == 3, result.stderr
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert summary.endswith("\n") and not summary.endswith("\n\n")  # one final newline
    people = re.search(r"基层单位取得职称人数 ≥ 190.25 人，最接近的设置仍差(\S+) (\S+) 人", summary)
    assert people and people.group(1) == "约" and re.fullmatch(r"[\d,]+", people.group(2))
    share = re.search(r"占比 ≥ 60 %，最接近的设置仍差(\S+) 个百分点", summary)
    assert share and re.fullmatch(r"\d+\.\d\d", share.group(1))
    assert "仍差" in result.stderr and " %，最接近的设置仍差" in result.stderr
    # plan.yaml's comment shows what the summary's table shows, mean and interval
    comment = (out / "closest.yaml").read_text(encoding="utf-8")
    for row in [line for line in summary.splitlines() if line.startswith("| 基层单位")]:
        _, target, mean, interval, *_ = [c.strip() for c in row.split("|")]
        lo, hi = interval.split(" – ")
        assert f"达到 {mean}（90%区间 {lo}–{hi}，" in comment


def test_a_note_on_the_replicates_a_comparison_aligned_reads_as_a_sentence():
    # comparing with a plan run at 2 replicates: the scenario's own 20 become 2
    from titlesim import load_scenario
    from titlesim.compare.comparison import _alignment_notes
    s = load_scenario(BASELINE)
    assert _alignment_notes(s, [], 2, s.params.seed) == [
        "“忻州市2022年度职称评审通知（原文）”按本次比较统一的重复次数 20 → 2 运行（共同随机数）"]


def test_the_notebook_offers_each_unit_types_post_share_by_its_own_name():
    from titlesim import load_scenario
    from titlesim.ui.plan_view import lever_choices
    names = [name for name, _, _ in lever_choices(load_scenario(BASELINE))]
    assert len(names) == len(set(names))  # ten unit types, ten names
    assert "副高级岗位比例（乡镇卫生院）" in names
    assert not [name for name in names if "posts.structure" in name]


def test_the_plans_description_names_its_changes_in_words(tmp_path):
    result = plan(tmp_path / "p", "--quiet", "--lever", "passline.floor=null,58",
                  "--target", "passed_ratio_only >= 1", "--minimise", "titled")
    assert result.exit_code == 0, result.stderr
    chosen = yaml.safe_load((tmp_path / "p" / "plan.yaml").read_text(encoding="utf-8"))
    assert chosen["passline"]["floor"] == 58
    assert chosen["description"] == ("规划方案：比例合格线最低分 不设 → 58 / "
                                     "plan: minimum score of the ratio line none → 58")
