"""``titlesim calibrate`` on the shipped synthetic example, as a bureau runs it: a fit
report folder and a calibrated revision every other command can use."""
from __future__ import annotations

import csv

from roster_fixtures import EXAMPLE_OBSERVED, EXAMPLE_SCENARIO, titlesim

from titlesim import load_scenario, simulate

CHINESE = {"TITLESIM_LANG": ""}  # the default language: the fixtures ask for English


def read(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_calibrate_the_example_with_a_back_test(tmp_path):
    result = titlesim("calibrate", EXAMPLE_SCENARIO, "--observed", EXAMPLE_OBSERVED,
                      "--params", "exam.mean_score", "--holdout-years", "1", "--replicates", "2",
                      "--out", "out", cwd=tmp_path, env=CHINESE)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / result.stdout.strip().splitlines()[-1]
    assert folder.parent == tmp_path / "out"
    assert sorted(p.name for p in folder.iterdir()) == [
        "calibrated.yaml", "errors.csv", "fit.csv", "fit.svg", "parameters.csv", "provenance.json"]
    assert "中等水平考生的平均成绩 (exam.mean_score): 57 -> " in result.stdout
    assert "检验期（未参与拟合）：RMSE " in result.stdout and "拟合期：RMSE " in result.stdout
    assert "holdout" not in result.stdout and "fit:" not in result.stdout

    (parameter,) = read(folder / "parameters.csv")
    fitted = float(parameter["fitted"])
    assert parameter["parameter"] == "exam.mean_score" and 20 <= fitted <= 90
    assert float(parameter["low95"]) < fitted < float(parameter["high95"])
    errors = {(r["set"], r["metric"]): r for r in read(folder / "errors.csv")}
    assert float(errors[("holdout", "all")]["rmse"]) >= 0
    assert int(errors[("holdout", "all")]["n"]) == 12 and int(errors[("fit", "all")]["n"]) == 36
    fit = read(folder / "fit.csv")
    assert {r["set"] for r in fit if r["year"] == "2022"} == {"holdout"}
    assert {r["set"] for r in fit if r["year"] != "2022"} == {"fit"}
    assert "模型与观测计数对比" in (folder / "fit.svg").read_text(encoding="utf-8")

    # the calibrated revision extends the example (relative path) and runs like any scenario
    text = (folder / "calibrated.yaml").read_text(encoding="utf-8")
    assert "extends: ../../" in text and "# 拟合值 ± " in text.replace("  #", " #")
    revision = load_scenario(folder / "calibrated.yaml")
    assert revision.params.exam.mean_score == float(f"{fitted:.4g}")
    assert revision.params.population.roster == str(EXAMPLE_SCENARIO.parent / "synthetic-roster.csv")
    assert simulate(revision, replicates=1, progress=False).total("titled")["value"].sum() > 0


def test_holdout_must_leave_years_to_fit(tmp_path):
    result = titlesim("calibrate", EXAMPLE_SCENARIO, "--observed", EXAMPLE_OBSERVED,
                      "--holdout-years", "4", "--out", "out", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2
    assert "--holdout-years 4 leaves no year to fit" in result.stderr
    assert "expected at most 3" in result.stderr
    assert not (tmp_path / "out").exists()
    chinese = titlesim("calibrate", EXAMPLE_SCENARIO, "--observed", EXAMPLE_OBSERVED,
                       "--holdout-years", "4", "--out", "out", cwd=tmp_path, env=CHINESE)
    assert chinese.returncode == 2
    assert "--holdout-years 4 没有留下可供拟合的年度" in chinese.stderr and "至多 3" in chinese.stderr
    assert "leaves no year" not in chinese.stderr and "at most" not in chinese.stderr


def test_the_roster_is_read_once_for_the_estimate_and_the_observed_ceilings(tmp_path, monkeypatch):
    """The work estimate and the observed counts' ceilings both need the roster's
    establishment: the roster is read once for the two (the fit is refused before it
    simulates, here)."""
    from titlesim.roster import workforce
    read = []
    real = workforce.read_roster
    monkeypatch.setattr(workforce, "read_roster",
                        lambda path, *args, **kwargs: read.append(path) or real(path, *args, **kwargs))
    result = titlesim("calibrate", EXAMPLE_SCENARIO, "--observed", EXAMPLE_OBSERVED,
                      "--holdout-years", "4", "--out", "out", cwd=tmp_path)
    assert result.returncode == 2 and "leaves no year to fit" in result.stderr
    assert len(read) == 1, read


def test_the_summary_in_english_names_the_sets_in_english():
    import pandas as pd

    from titlesim.cli.calibrate import summary
    parameters = pd.DataFrame([{"parameter": "exam.mean_score", "start": 57.0, "fitted": 60.0,
                                "std_error": 1.5}])
    errors = pd.DataFrame([{"set": s, "metric": "all", "rmse_before": 3.0, "rmse": 2.0,
                            "mape_before": 9.0, "mape": 4.0} for s in ("fit", "holdout")])
    english = summary(parameters, errors, "en")
    assert "(exam.mean_score): 57 -> 60 ± 1.5" in english
    assert "fit: RMSE 3 -> 2, MAPE 9% -> 4%" in english and "holdout: RMSE 3 -> 2" in english
    assert "检验期" not in english
