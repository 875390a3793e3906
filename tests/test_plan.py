"""``titlesim plan``: known answers, infeasible targets, determinism, bad input.

Known answers are never typed in: the baseline is run at a known lever value, its outcome
becomes the target, and the plan must find the lever again. Every run is small (10,000
people, 4 years, 3 replicates) and each candidate takes a fraction of a second. Not
smaller: since the steady start the pass ratio acts only within the horizon, and at 2,000
people so few pass by ratio only (about ten) that the count is flat from 0.5 to 0.7 and
equal at 0.85 and 0.9, so the known answers could not be told apart. What holds at any size
(the same plan twice, on two workers, resumed, run and reported as a revision) is checked
on 2,000 people and 3 years (``QUICK``).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from titlesim import load_scenario, simulate
from titlesim.cli import _register, cli
from titlesim.compare.outcomes import values
from titlesim.i18n import set_language

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline-2022.yaml"
SMALL = ["population.size=10000", "horizon.years=4"]
QUICK = ["population.size=2000", "horizon.years=3"]  # for what does not depend on the size
REPLICATES = 3


def sets(scale: list[str]) -> list[str]:
    return [a for s in scale for a in ("--set", s)]


def common(scale: list[str] = SMALL) -> list[str]:
    return [*sets(scale), "--replicates", str(REPLICATES), "--workers", "1", "--quiet"]




@pytest.fixture(scope="session", autouse=True)
def commands():
    """The command line's commands, registered once (not a per-file fixture: the plans
    need not wait for each other on one xdist worker)."""
    _register()


@pytest.fixture(autouse=True)
def chinese_by_default(monkeypatch):
    monkeypatch.delenv("TITLESIM_LANG", raising=False)
    yield
    set_language(None)  # --lang en in one test must not leak into the next


def attained(outcome: str, *overrides: str, year: int | None = None, scale=SMALL) -> float:
    """The mean over replicates of ``outcome`` when the small baseline runs with
    ``overrides``, as the plan measures it (over the horizon, or in ``year``)."""
    scenario = load_scenario(BASELINE, [*scale, *overrides])
    result = simulate(scenario, replicates=REPLICATES, progress=False)
    by_year = values(result, outcome)[0][:, :, 0]
    column = -1 if year is None else list(result.years).index(year)
    return float(by_year[:, column].mean())


def plan(tmp_path, *args, name="plan", scale=SMALL):
    out = tmp_path / name
    result = CliRunner().invoke(
        cli, ["plan", str(BASELINE), *common(scale), "--out", str(out), *args])
    return result, out


def candidates(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "candidates.csv")


def chosen(out: Path) -> pd.Series:
    frame = candidates(out)
    return frame[frame["rank"] == 1].iloc[0]


def test_one_lever_known_answer_recovers_the_ratio(tmp_path):
    # At ratio 0.7 the baseline passes this many by ratio only; asking for at least that
    # many with the least change from 0.5 must land at 0.7, or at most one plateau below
    # (a lower ratio that passes the same people in every group is as good).
    target = attained("passed_ratio_only", "passline.ratio=0.7")
    result, out = plan(tmp_path, "--lever", "passline.ratio=0.3:0.9:0.01",
                       "--target", f"passed_ratio_only >= {target}", "--least-change")
    assert result.exit_code == 0, result.stderr
    best = chosen(out)
    assert 0.64 <= best["passline.ratio"] <= 0.7
    assert best["target1_mean"] >= target
    # every cheaper candidate (closer to 0.5) falls short: the answer is the least change
    frame = candidates(out)
    assert not frame[(frame["change"] < best["change"]) & frame["feasible"]].shape[0]
    assert "passline:\n  ratio: " + f"{best['passline.ratio']:g}" in (out / "plan.yaml").read_text()


def test_whole_number_lever_is_recovered_exactly(tmp_path):
    target = attained("passes_expired_unused", "validity.ratio_only_years=3")
    result, out = plan(tmp_path, "--lever", "validity.ratio_only_years=1:5",
                       "--target", f"passes_expired_unused = {target} ± 0.01")
    assert result.exit_code == 0, result.stderr
    best = chosen(out)
    assert best["validity.ratio_only_years"] == 3
    assert candidates(out)["validity.ratio_only_years"].dtype == np.int64  # whole stays whole


def test_two_levers_two_targets(tmp_path):
    truth = ("passline.ratio=0.7", "validity.ratio_only_years=2")
    ratio_only = attained("passed_ratio_only", *truth)
    expired = attained("passes_expired_unused", *truth)
    result, out = plan(tmp_path, "--lever", "passline.ratio=0.3:0.9:0.05",
                       "--lever", "validity.ratio_only_years=1:3",
                       "--target", f"passed_ratio_only = {ratio_only} ± 0.01",
                       "--target", f"passes_expired_unused = {expired} ± 0.01")
    assert result.exit_code == 0, result.stderr
    best = chosen(out)
    assert best["validity.ratio_only_years"] == 2
    assert abs(best["passline.ratio"] - 0.7) <= 0.05
    assert best["target1_met"] and best["target2_met"]
    assert (out / "tradeoff.png").stat().st_size > 10_000
    assert "tradeoff" in (out / "tradeoff.svg").read_text(encoding="utf-8") or True
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "现行规定" in summary and "validity.ratio_only_years" in summary


def test_infeasible_target_exits_3_naming_the_binding_target(tmp_path):
    reachable = attained("titled", "passline.ratio=0.5")
    far = 10 * attained("passed_ratio_only", "passline.ratio=0.9")
    result, out = plan(tmp_path, "--lever", "passline.ratio=0.3:0.9:0.05",
                       "--target", f"titled >= {reachable * 0.5}",
                       "--target", f"passed_ratio_only >= {far}")
    assert result.exit_code == 3, result.stderr
    assert not (out / "plan.yaml").exists()
    text = (out / "closest.yaml").read_text(encoding="utf-8")
    assert "closest" in text.splitlines()[0]
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "约束目标：仅按比例合格人数" in summary
    record = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert record["answer"]["binding_targets"] == [f"passed_ratio_only >= {far:g}"]
    # the closest setting passes the most by ratio: the top of the range
    assert chosen(out)["passline.ratio"] == 0.9


def test_infeasible_message_on_stderr(tmp_path):
    result = CliRunner().invoke(cli, [
        "plan", str(BASELINE), *common(QUICK)[:-1], "--out", str(tmp_path / "p"), "--lang", "en",
        "--lever", "passline.ratio=0.3:0.9:0.1", "--target", "passed_ratio_only >= 1e9"])
    assert result.exit_code == 3
    assert "no setting in the ranges meets every target" in result.stderr
    assert "binding target: passed by ratio only" in result.stderr


def test_same_command_and_seed_give_the_same_plan(tmp_path):
    args = ["--lever", "passline.ratio=0.3:0.9:0.05", "--lever", "passline.ties=include,cap",
            "--target", "passed_ratio_only >= 1", "--minimise", "exam_sittings", "--seed", "7"]
    first, a = plan(tmp_path, *args, name="a", scale=QUICK)
    second, b = plan(tmp_path, *args, name="b", scale=QUICK)
    assert first.exit_code == second.exit_code == 0, first.stderr
    assert (a / "plan.yaml").read_bytes() == (b / "plan.yaml").read_bytes()
    assert (a / "candidates.csv").read_bytes() == (b / "candidates.csv").read_bytes()
    assert "seed: 7" in (a / "base.yaml").read_text(encoding="utf-8")
    # what is minimised is named in words, never by its code, wherever people read it
    shown = (a / "plan.yaml").read_text(encoding="utf-8") + (a / "summary.md").read_text(encoding="utf-8")
    assert "选择标准：参加考试人次 最小" in shown and "exam_sittings" not in shown


def test_local_workers_give_the_same_candidates_as_one_process(tmp_path):
    args = ["--lever", "validity.ratio_only_years=1:4", "--target", "titled >= 1"]
    one, a = plan(tmp_path, *args, name="one", scale=QUICK)
    two = CliRunner().invoke(cli, ["plan", str(BASELINE), *sets(QUICK), "--replicates", str(REPLICATES),
                                   "--quiet", "--workers", "2", "--out", str(tmp_path / "two"),
                                   *args])
    assert one.exit_code == two.exit_code == 0, two.stderr
    assert (a / "candidates.csv").read_bytes() == (tmp_path / "two" / "candidates.csv").read_bytes()
    record = json.loads((tmp_path / "two" / "provenance.json").read_text(encoding="utf-8"))
    assert record["ran_on"] == {"workers": 2}


def test_confidence_asks_more_than_the_mean(tmp_path):
    # a target met on average at the baseline but not in 90 % of replicates
    mean = attained("titled")
    result, out = plan(tmp_path, "--lever", "passline.ratio=0.45:0.55:0.05",
                       "--target", f"titled >= {mean}", "--confidence", "0.9", name="c")
    frame = candidates(out)
    at_base = frame[np.isclose(frame["passline.ratio"], 0.5)].iloc[0]
    assert at_base["target1_mean"] >= mean
    assert at_base["target1_met"] == (at_base["target1_share_met"] >= 0.9)


def test_resume_reuses_every_candidate(tmp_path):
    args = ["--lever", "validity.ratio_only_years=1:3", "--target", "titled >= 1"]
    first, out = plan(tmp_path, *args, scale=QUICK)
    assert first.exit_code == 0, first.stderr
    again = CliRunner().invoke(
        cli, ["plan", str(BASELINE), *common(QUICK), "--out", str(out), "--resume", *args])
    assert again.exit_code == 0, again.stderr
    record = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert record["search"]["computed"] == 0 and record["search"]["reused"] == 3


def test_the_plan_is_a_revision_every_command_runs_and_reports_against_its_base(tmp_path):
    from titlesim.compare.diff import changed
    from titlesim.report.request import from_command
    result, out = plan(tmp_path, "--lever", "validity.ratio_only_years=1:3", "--target",
                       f"passes_expired_unused <= {attained('passes_expired_unused', scale=QUICK) - 1}",
                       scale=QUICK)
    assert result.exit_code == 0, result.stderr
    request = from_command(out / "plan.yaml")
    base, revision = request.scenarios
    assert base.name == "baseline-2022" and revision.name == "plan"
    assert [k for k, _, _ in changed(base.resolved, revision.resolved)] == \
        ["validity.ratio_only_years"]
    assert request.replicates == REPLICATES and base.params.population.size == 2000
    # named and asked in both languages, as shipped scenarios are
    assert (revision.title_in("zh"), revision.title_in("en")) == ("规划方案", "planned revision")
    assert "成绩过期未用人数" in revision.question_in("zh")
    assert "passes expired unused" in revision.question_in("en")
    run = CliRunner().invoke(cli, ["run", str(out / "plan.yaml"), "--out",
                                                   str(tmp_path / "run"), "--quiet"])
    assert run.exit_code == 0, run.stderr


@pytest.mark.parametrize("args, words", [
    (["--lever", "passline.ratio=0.3:0.9", "--target", "titeld >= 5"], ["titeld", "titled"]),
    (["--lever", "passline.ratoi=0.3:0.9", "--target", "titled >= 5"], ["passline.ratoi", "ratio"]),
    (["--lever", "passline.ties=0:1", "--target", "titled >= 5"], ["passline.ties"]),
    (["--lever", "validity.years=1.5:4", "--target", "titled >= 5"], ["validity.years"]),
    (["--lever", "passline.ratio=0.9:0.3", "--target", "titled >= 5"], ["0.9:0.3"]),
    (["--lever", "passline.ratio=0.3:1.5", "--target", "titled >= 5"], ["passline.ratio"]),
    (["--lever", "passline.ratio=0.3:0.9", "--target", "titled@2040 >= 5"], ["2040"]),
    (["--lever", "passline.ratio=0.3:0.9", "--target", "titled > 5"], ["titled > 5"]),
    (["--lever", "passline.ratio=0.3:0.9", "--target", "titled >= many"], ["many"]),
    (["--lever", "passline.ratio=0.3:0.9", "--target", "titled >= 5", "--confidence", "1.5"],
     ["--confidence"]),
    (["--lever", "passline.ratio=0.3:0.9", "--target", "titled >= 5", "--least-change",
      "--minimise", "titled"], ["--minimise"]),
    (["--lever", "passline.ratio=0.3:0.9", "--target", "titled >= 5", "--minimise", "sittings"],
     ["sittings"]),
    (["--target", "titled >= 5"], ["--lever"]),
    (["--lever", "passline.ratio=0.3:0.9"], ["--target"]),
    (["--lever", "seed=1:5", "--target", "titled >= 5"], ["--seed"]),
    # the set-up a comparison requires plan and base to share is no lever (as compare refuses it)
    (["--lever", "population.size=1000:3000", "--target", "titled >= 5"],
     ["--lever", "population.size", "专业技术人员总数", "不是政策参数", "--set"]),
    (["--lever", "horizon.years=1:3", "--target", "titled >= 5"],
     ["horizon.years", "不是政策参数", "评估年份"]),
    (["--lever", "history.years=0:40", "--target", "titled >= 5"],
     ["history.years", "不是政策参数", "起始前的历史不同"]),
    (["--lever", "flows.retirement_age.male=58:62", "--target", "titled >= 5"],
     ["flows.retirement_age.male", "不是政策参数", "起始人员队伍不同"]),
    (["--lever", "title=a,b", "--target", "titled >= 5"], ["title", "不是政策参数"]),
])
def test_bad_input_exits_2_with_a_clear_message_and_writes_nothing(tmp_path, args, words):
    result, out = plan(tmp_path, *args)
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr
    assert not out.exists()


def test_a_plan_beyond_this_machine_is_refused_before_any_candidate_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("TITLESIM_AVAILABLE_MEMORY", str(10 * 2**20))
    result, out = plan(tmp_path, "--lever", "passline.ratio=0.3:0.9", "--target", "titled >= 1")
    assert result.exit_code == 2, result.stderr
    assert "--allow-large" in result.stderr
    assert not out.exists()


def test_report_of_a_plan_compares_it_with_its_base(tmp_path, monkeypatch):
    result, out = plan(tmp_path, "--lever", "validity.ratio_only_years=2:3", "--target",
                       "titled >= 1", scale=QUICK)
    assert result.exit_code == 0, result.stderr
    monkeypatch.chdir(tmp_path)
    report = CliRunner().invoke(cli, ["report", str(out / "plan.yaml")])
    assert report.exit_code == 0, report.stderr
    folder = Path(report.stdout.strip().splitlines()[-1]).parent
    record = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in record["scenarios"]] == ["baseline-2022", "plan"]
    # the report is of the plan, filed under its name, and names both as people know them
    assert record["subject"] == "plan" and folder.parent.name == "plan"
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "本报告模拟情景“规划方案”（怎样设置才能达到" in html
    assert "忻州市2022年度职称评审通知（原文）" in html and "“base”" not in html
    assert record["replicates"] == REPLICATES
    assert (folder / "tables" / "comparison_impact.csv").is_file()
