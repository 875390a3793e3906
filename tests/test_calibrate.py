"""Calibration finds the parameters that made the counts, fits wrong data worse, and a
back-test reports how well the earlier years predict the later ones.

The "observed" counts are one simulated history of a small baseline (8,000 people, 4
years) under known values, exam.mean_score 52 and application.base.other 0.40 (the
baseline has 57 and 0.30): the same workforce, with its own luck (replicate 3, while the
calibration simulates replicates 0-2). Stated tolerance: the fitted values are within 1.5
score points and 0.05 of the truth (about two standard errors: at this size the standard
error of application.base.other is 0.021-0.024, so 0.025 failed by luck, 0.368 against
0.40 after the baseline's refit), and within 3 of their own standard errors; the starting
values (57 and 0.30) lie outside both.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from roster_fixtures import BASELINE

from titlesim import load_scenario, simulate
from titlesim.calibrate.fit import calibrate, error_measures
from titlesim.calibrate.observed import observed_from_result, read_observed
from titlesim.calibrate.parameters import parse_params
from titlesim.calibrate.report import chart, revision_yaml
from titlesim.errors import InputError
from titlesim.people import Codebook

TRUTH = {"exam.mean_score": 52.0, "application.base.other": 0.40}
TOLERANCE = {"exam.mean_score": 1.5, "application.base.other": 0.05}
METRICS = ("applied", "sat_exam", "passed_provincial", "passed_ratio_only", "titled")
BASE = load_scenario(BASELINE, ["population.size=8000", "horizon.years=4", "replicates=3"])
CODES = Codebook.from_scenario(BASE.params)


@pytest.fixture(scope="module")
def history():
    truth = BASE.with_overrides([f"{k}={v}" for k, v in TRUTH.items()])
    result = simulate(truth, replicates=4, progress=False)  # the model's replicates are 0-2
    return observed_from_result(result, ("grassroots",), METRICS, replicate=3)


def observed(tmp_path, table, name="observed.csv"):
    path = tmp_path / name
    table.to_csv(path, index=False)
    return read_observed(path, BASE.params, CODES)


@pytest.fixture(scope="module")
def fitted(history, tmp_path_factory):
    data = observed(tmp_path_factory.mktemp("true"), history)
    return calibrate(BASE, data, parse_params(list(TRUTH), []), holdout_years=1)


def test_calibration_recovers_the_parameters_that_made_the_counts(fitted):
    assert [p.path for p in fitted.free] == list(TRUTH)
    for p, value, se in zip(fitted.free, fitted.fitted, fitted.std_error):
        assert abs(value - TRUTH[p.path]) < TOLERANCE[p.path], (p.path, value)
        assert abs(value - TRUTH[p.path]) < 3 * se, (p.path, value, se)
    errors = error_measures(fitted.table).set_index(["set", "metric"])
    before = error_measures(fitted.table, "start").set_index(["set", "metric"])
    # from a steady start the starting values are already nearer (no inflated first years):
    # the fit divides the error by 1.4-1.7 depending on the observed history's luck
    # (replicates 3, 4, 5 of the refitted baseline: 1.39, 1.71, 1.67)
    assert errors.loc[("fit", "all"), "rmse"] < before.loc[("fit", "all"), "rmse"] / 1.25


def test_wrong_data_fits_worse(history, fitted, tmp_path):
    wrong = history.astype({"value": float})  # grassroots applicants doubled, the others halved
    applied = wrong["metric"] == "applied"
    wrong.loc[applied, "value"] = np.round(np.where(wrong.loc[applied, "grassroots"], 2.0, 0.5)
                                           * wrong.loc[applied, "value"])  # counts are whole
    cal = calibrate(BASE, observed(tmp_path, wrong), parse_params(list(TRUTH), []), holdout_years=1)
    right = error_measures(fitted.table).set_index(["set", "metric"])
    worse = error_measures(cal.table).set_index(["set", "metric"])
    assert worse.loc[("fit", "all"), "rmse"] > 3 * right.loc[("fit", "all"), "rmse"]
    assert worse.loc[("fit", "applied"), "mape"] > 5 * right.loc[("fit", "applied"), "mape"]


def test_the_back_test_reports_its_error(fitted):
    assert fitted.fit_years == [2022, 2023, 2024] and fitted.holdout_years == [2025]
    held = fitted.table[fitted.table["set"] == "holdout"]
    assert set(held["year"]) == {2025} and held["fitted"].notna().all()
    errors = error_measures(fitted.table).set_index(["set", "metric"])
    expected = np.sqrt(((held["fitted"] - held["value"]) ** 2).mean())
    assert errors.loc[("holdout", "all"), "rmse"] == pytest.approx(expected)
    assert errors.loc[("holdout", "all"), "n"] == len(held) == 2 * len(METRICS)
    assert 0 < errors.loc[("holdout", "all"), "mape"] < 50


def test_the_revision_states_fitted_values_with_uncertainty(fitted, tmp_path):
    folder = tmp_path / "calibration"
    text = revision_yaml(fitted, folder, "0" * 64)
    assert "# 对 2025 年的回测（未参与拟合）：RMSE" in text
    assert "mean_score: " in text and "（标准误），95% 区间" in text and "fitted" not in text
    english = revision_yaml(fitted, folder, "0" * 64, "en")
    assert "Back-test on 2025 (not fitted): RMSE" in english
    assert "(standard error), 95%" in english and "标准误" not in english
    folder.mkdir()
    (folder / "calibrated.yaml").write_text(text, encoding="utf-8")
    revision = load_scenario(folder / "calibrated.yaml")
    assert revision.params.exam.mean_score == pytest.approx(fitted.fitted[0], rel=1e-3)
    assert revision.params.application.base.other == pytest.approx(fitted.fitted[1], rel=1e-3)
    assert revision.params.population.size == 8000  # the calibration's --set values are kept
    # named for people in both languages, after the scenario it calibrates
    base = fitted.scenario
    assert revision.title_in("zh") == f"按本地统计数校准：{base.title_in('zh')}"
    assert revision.title_in("en") == f"Calibrated to local figures: {base.title_in('en')}"
    assert "年的统计数校准参数后" in revision.question_in("zh")


def test_the_chart_has_chinese_labels_and_no_missing_glyphs(fitted):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = chart(fitted, "zh")
        fig.canvas.draw()
    assert not [w for w in caught if "Glyph" in str(w.message)]
    titles = [ax.get_title() for ax in fig.axes]
    assert "申报人数" in titles or any("申报" in t for t in titles)
    assert fig.axes[0].get_xlabel() == "年度"


def test_bad_observed_counts_are_refused_with_every_problem(tmp_path):
    path = tmp_path / "observed.csv"
    path.write_text("年度,县（市、区）,指标,数值\n"
                    "2022,忻府区,applied,10\n"
                    "2021,忻府区,applied,10\n"       # before horizon.start
                    "2023,太原市,titled,3\n"         # unknown county
                    "2023,,取得职称人数,-1\n"          # a label is fine; the value is not
                    "2024,代县,promoted,4\n"          # unknown metric
                    "2022,忻府区,申报人数,12\n",       # the same as row 2
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_observed(path, BASE.params, CODES)
    problems = [str(p) for p in caught.value.problems]
    expected = ["row 3, 年度: '2021' is not a simulated year (expected a whole year from 2022",
                "row 4, 县（市、区）: unknown county '太原市'",
                "row 5, 数值: '-1' is not a count",
                "row 6, 指标: unknown metric 'promoted'",
                "row 7, 指标: the same year, group and metric as row 2"]
    assert len(problems) == len(expected)
    for text, problem in zip(expected, problems):
        assert text in problem


def test_absurd_observed_counts_are_refused(tmp_path):
    """A count must be a whole number of people the workforce (8,000 here) can reach, in
    a year of the horizon (2022-2025): 1e30 would be fitted anyway, 2050 simulated to."""
    path = tmp_path / "observed.csv"
    path.write_text("年度,基层,指标,数值\n"
                    "2022,是,applied,1e30\n"
                    "2050,是,titled,3\n"
                    "2023,是,titled,12.5\n"
                    "2023,否,applied,8001\n"
                    "2024,否,applied,8000\n"           # the whole workforce: possible
                    "2024,否,waiting_years,100000\n",  # person-years: possible
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_observed(path, BASE.params, CODES)
    problems = [str(p) for p in caught.value.problems]
    expected = ["row 2, 数值: '1e30' is more than the workforce can count: at most 8,000",
                "row 3, 年度: '2050' is not a simulated year (expected a whole year from 2022 "
                "to 2025 (the horizon))",
                "row 4, 数值: '12.5' is not a count (expected a whole number, at least 0)",
                "row 5, 数值: '8001' is more than the workforce can count"]
    assert len(problems) == len(expected), problems
    for text, problem in zip(expected, problems):
        assert text in problem


def test_only_assumptions_can_be_fitted():
    with pytest.raises(InputError, match="cannot be calibrated"):
        parse_params(["passline.ratio"], [])
    with pytest.raises(InputError, match="not LOW:HIGH"):
        parse_params(["exam.mean_score=40-70"], [])
    chosen = parse_params(["exam.mean_score=45:70,application.base.other"], [])
    assert [(p.path, p.low, p.high) for p in chosen] == [("exam.mean_score", 45, 70),
                                                        ("application.base.other", 0.01, 0.95)]
    assert [p.path for p in parse_params([], ["titled"])] == [
        "evaluation.criteria.general.threshold", "evaluation.criteria.grassroots.threshold"]
