"""``titlesim compare`` as policy staff run it (the command line, run in this process: conftest.run_titlesim),
and the revisions shipped in ``scenarios/``."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from titlesim.i18n import msg
import yaml

from titlesim import load_scenario
from titlesim.compare.diff import changed, check_comparable
from titlesim.paramdoc import flatten
from conftest import run_titlesim

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
BASELINE = SCENARIOS / "baseline-2022.yaml"
# the revisions shipped beside the baseline: every scenario file that extends it
REVISIONS = sorted(p for p in SCENARIOS.glob("*.yaml")
                   if (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("extends")
                   == BASELINE.name)
SMALL = ["--set", "population.size=2000", "--set", "horizon.years=2", "--replicates", "3"]


def titlesim(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return run_titlesim(*args, cwd=cwd, env=env)


def revision(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"extends: {BASELINE}\n{text}", encoding="utf-8")
    return path


def test_compare_writes_the_folder_and_prints_the_headline(tmp_path):
    # two comparisons, one per language (each writes its folder and prints its summary):
    # the folder's contents are checked on the first, the printed words on both; the second
    # asks for no figures (--no-figures), and writes everything else
    english = titlesim("compare", BASELINE, SCENARIOS / "grassroots-ratio-0.6.yaml", *SMALL,
                       "--lang", "en", "--out", "out", cwd=tmp_path)
    assert english.returncode == 0, english.stderr
    folder = tmp_path / english.stdout.strip().splitlines()[-1]
    assert folder.parent == tmp_path / "out"
    assert (folder / "compare.xlsx").exists() and (folder / "figures").is_dir()
    impact = pd.read_csv(folder / "impact.csv")
    assert set(impact["revision"]) == {"grassroots-ratio-0.6"}
    assert pd.read_csv(folder / "diff.csv")["key"].tolist() == ["passline.ratio"]
    for name in ("diff.csv", "impact.csv", "impact_by_group.csv", "equity.csv"):
        assert (folder / name).read_bytes().startswith(b"\xef\xbb\xbf"), name  # for Excel
    assert "passline.ratio (grassroots pass ratio): 0.5 -> 0.6" in english.stdout
    assert "passed by ratio only:" in english.stdout

    chinese = titlesim("compare", BASELINE, SCENARIOS / "grassroots-ratio-0.6.yaml", *SMALL,
                       "--lang", "zh", "--out", "out", "--no-figures", cwd=tmp_path)
    assert chinese.returncode == 0, chinese.stderr
    assert len(list((tmp_path / "out").iterdir())) == 2  # a new folder each time
    without = tmp_path / chinese.stdout.strip().splitlines()[-1]
    assert sorted(p.name for p in without.iterdir()) == sorted(
        p.name for p in folder.iterdir() if p.name != "figures")
    assert pd.read_csv(without / "impact.csv").equals(impact)  # the same numbers, no figures
    assert "基层按比例合格比例（passline.ratio）：0.5 → 0.6" in chinese.stdout
    assert "仅按比例合格人数：" in chinese.stdout and "（90% 区间 " in chinese.stdout
    assert "->" not in chinese.stdout
    warned = [line for line in chinese.stderr.splitlines() if line.startswith("titlesim：提醒：")]
    assert len(set(warned)) == len(warned), warned  # each warning once, not once per scenario


def assert_refused(result, tmp_path: Path, *expected: str) -> None:
    """Exit status 2, the expected words on stderr, no traceback, nothing written."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("titlesim: error: ")
    for text in expected:
        assert text in result.stderr, result.stderr
    assert not (tmp_path / "reports").exists() and not (tmp_path / "out").exists()


def test_a_missing_file_is_refused(tmp_path):
    result = titlesim("compare", BASELINE, tmp_path / "no-such-revision.yaml", *SMALL, "--lang", "en",
                      "--out", "out", cwd=tmp_path)
    assert_refused(result, tmp_path, "no-such-revision.yaml", msg("file_not_found", "en"))


def test_an_unknown_scenario_key_is_refused(tmp_path):
    bad = revision(tmp_path, "typo", "passline:\n  ratoi: 0.6\n")
    result = titlesim("compare", BASELINE, bad, *SMALL, "--lang", "en", "--out", "out", cwd=tmp_path)
    assert_refused(result, tmp_path, "typo.yaml", "passline.ratoi", "unknown key", "ratio")


def test_an_unknown_key_given_with_set_is_refused(tmp_path):
    result = titlesim("compare", BASELINE, SCENARIOS / "grassroots-ratio-0.6.yaml", *SMALL,
                      "--set", "passline.rato=0.7", "--lang", "en", "--out", "out", cwd=tmp_path)
    assert_refused(result, tmp_path, "passline.rato")


@pytest.mark.parametrize("text, expected", [
    ("horizon:\n  years: 5\n", ("different horizon", "horizon.years: 10 -> 5")),
    ("population:\n  size: 9000\n", ("different workforce", "population.size: 40000 -> 9000")),
])
def test_incomparable_scenarios_are_refused_saying_why(tmp_path, text, expected):
    other = revision(tmp_path, "other", text)
    result = titlesim("compare", BASELINE, other, "--lang", "en", "--out", "out", cwd=tmp_path)
    assert_refused(result, tmp_path, "other.yaml", "cannot be compared with 'baseline-2022'",
                   *expected)


def test_a_revision_is_required(tmp_path):
    result = titlesim("compare", BASELINE, cwd=tmp_path)
    assert result.returncode == 2 and "REVISIONS" in result.stderr


# --------------------------------------------------------------- the shipped revisions
def test_the_debated_revisions_are_shipped():
    names = {p.stem for p in REVISIONS}
    assert {"grassroots-ratio-0.6", "grassroots-ratio-0.4", "ratio-only-valid-3-years",
            "directed-separate-quota", "attached-units-outside-grassroots",
            "papers-required", "township-posts-expansion"} <= names


@pytest.mark.parametrize("path", REVISIONS, ids=lambda p: p.stem)
def test_each_revision_extends_the_baseline_states_only_its_change_and_asks_a_question(path):
    text = path.read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    assert raw.pop("extends") == "baseline-2022.yaml"
    assert text.startswith("# Question: ")
    for key in ("title", "question", "title_en", "question_en", "description"):
        assert raw.pop(key).strip(), key  # a title and a question for people, in both languages
    stated = set(flatten(raw))
    base, loaded = load_scenario(BASELINE), load_scenario(path)
    differing = {key for key, _, _ in changed(base.resolved, loaded.resolved)}
    assert differing and stated == differing  # nothing restated, nothing changed unsaid
    check_comparable(base, loaded)


def test_the_validate_command_accepts_every_shipped_revision(tmp_path):
    result = titlesim("validate", *REVISIONS, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("通过：") == len(REVISIONS)


def test_a_workforce_too_small_for_a_change_to_show_is_said_with_its_numbers(tmp_path):
    """At 2,000 people the ratio's 0.5 -> 0.6 changes nothing for anyone (the groups are too
    small to round differently): the summary says so and suggests a larger workforce; a
    revision whose change shows at the same size gets no such words."""
    lower = revision(tmp_path, "lower-standard", "title: 省定标准降到40分\npassline:\n  provincial_standard: 40\n")
    result = titlesim("compare", BASELINE, SCENARIOS / "grassroots-ratio-0.6.yaml", lower, *SMALL,
                      "--lang", "zh", "--out", "out", "--no-figures", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    ratio, standard = result.stdout.split("“省定标准降到40分”对比")
    assert ("队伍太小，看不出修订的作用：本次比较只有 2,000 名专业技术人员，“基层按比例合格比例提高到60%”"
            "改动了 1 个参数，但") in ratio
    assert "例如 --set population.size=20000" in ratio
    impact = pd.read_csv(tmp_path / result.stdout.strip().splitlines()[-1] / "impact.csv")
    total = impact[(impact["year"] == "total") & (impact["revision"] == "grassroots-ratio-0.6")]
    assert ((total["diff_lo"] <= 0) & (total["diff_hi"] >= 0)).all()  # the numbers it rests on
    assert "队伍太小" not in standard  # its change shows: titled rises clearly
    titled = impact[(impact["year"] == "total") & (impact["revision"] == "lower-standard")
                    & (impact["outcome"] == "titled")]
    assert float(titled["diff_lo"].iloc[0]) > 0
