"""The person-event export (职称数据归集, notice 二(三)): one row per application with its
documented columns, adding up to the engine's own counts."""
from __future__ import annotations

import csv

import numpy as np
import pytest
from roster_fixtures import BASELINE, titlesim

from titlesim import load_scenario, simulate
from titlesim.export import COLUMNS, columns_table, labelled, person_events
from titlesim.metrics import METRICS

SMALL = load_scenario(BASELINE, ["population.size=3000", "horizon.years=3", "replicates=2"])


@pytest.fixture(scope="module")
def events_and_result():
    events, counts = person_events(SMALL)
    return events, counts, simulate(SMALL, progress=False)


def per_year(frame, replicates=2, years=(2022, 2023, 2024)) -> np.ndarray:
    table = frame.groupby(["replicate", "year"]).size()
    return np.array([[table.get((r, y), 0) for y in years] for r in range(replicates)])


def test_the_export_runs_the_engine_unchanged(events_and_result):
    _, counts, result = events_and_result
    assert np.array_equal(counts, result.counts)


def test_events_add_up_to_the_engines_counts(events_and_result):
    events, _, result = events_and_result
    totals = result.counts.sum(axis=3)  # (replicate, year, metric)
    expected = {
        "applied": events,
        "sat_exam": events[events["exam"].isin(["passed_provincial", "passed_ratio_only", "failed"])],
        "passed_provincial": events[events["exam"] == "passed_provincial"],
        "passed_ratio_only": events[events["exam"] == "passed_ratio_only"],
        "valid_passes_held": events[events["exam"] == "valid_pass"],
        "evaluated": events[events["result"].isin(["titled", "not_titled"])],
        "titled": events[events["result"] == "titled"],
        "titled_directed": events[events["scope"] == "grassroots"],
    }
    for metric, rows in expected.items():
        assert np.array_equal(per_year(rows), totals[:, :, METRICS.index(metric)]), metric


def test_the_table_has_its_documented_columns_and_values(events_and_result):
    events, _, _ = events_and_result
    assert tuple(events.columns) == COLUMNS == (
        "replicate", "year", "person_id", "series", "county", "unit_type", "specialty",
        "grassroots", "level_held", "level_sought", "route", "exam", "result", "scope", "hired")
    assert list(columns_table()["column"]) == list(COLUMNS)
    levels = ["junior", "intermediate", "deputy_senior", "full_senior"]
    assert (events["level_sought"].map(levels.index) == events["level_held"].map(levels.index) + 1).all()
    assert set(events["exam"]) <= {"no_exam", "valid_pass", "passed_provincial", "passed_ratio_only",
                                   "failed", "absent"}
    # 一(三): only health deputy senior sits an exam; full senior is evaluation only
    examined = events[events["exam"] != "no_exam"]
    assert set(examined["series"]) == {"health"} and set(examined["level_sought"]) == {"deputy_senior"}
    titled = events["result"] == "titled"
    assert (events.loc[titled, "scope"] != "").all() and (events.loc[~titled, "scope"] == "").all()
    assert not events.loc[~titled, "hired"].any()
    assert (events.loc[events["scope"] == "grassroots", "route"] == "grassroots").all()
    # directed (定向) titles are senior titles: grassroots intermediate titles are general
    assert set(events.loc[events["scope"] == "grassroots", "level_sought"]) <= {"deputy_senior", "full_senior"}
    grassroots_intermediate = titled & (events["route"] == "grassroots") & (events["level_sought"] == "intermediate")
    assert grassroots_intermediate.any() and (events.loc[grassroots_intermediate, "scope"] == "general").all()


def test_labelled_in_chinese(events_and_result):
    events, _, _ = events_and_result
    zh = labelled(events.head(50), "zh")
    assert list(zh.columns[:3]) == ["重复序号", "年度", "人员编号"]
    assert set(zh["申报级别"]) <= {"中级", "副高级", "正高级"}
    assert set(zh["当年聘任"]) <= {"是", "否"}


EXPORT_SMALL = ("--replicates", "1", "--set", "population.size=1500", "--set", "horizon.years=2")


def test_the_export_command_writes_a_documented_folder(tmp_path):
    result = titlesim("export", BASELINE, *EXPORT_SMALL, "--labels", "codes", "--out", "exports",
                      cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / result.stdout.strip().splitlines()[-1]
    assert sorted(p.name for p in folder.iterdir()) == ["columns.csv", "events.csv", "provenance.json"]
    with (folder / "events.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == COLUMNS
    assert {r["year"] for r in rows} == {"2022", "2023"}
    assert f"{len(rows)} applications" in result.stdout


CODES = {"titled", "not_titled", "general", "grassroots", "True", "False", "deputy_senior",
         "intermediate", "no_exam", "passed_ratio_only", "health", "township_health_center"}


def test_a_chinese_user_gets_chinese_headers_and_values_by_default(tmp_path):
    """A table for people: labels by default (in the language in use); codes on request."""
    result = titlesim("export", BASELINE, *EXPORT_SMALL, "--out", "exports", cwd=tmp_path,
                      env={"TITLESIM_LANG": "zh"})
    assert result.returncode == 0, result.stderr
    assert "人次申报" in result.stdout
    folder = tmp_path / result.stdout.strip().splitlines()[-1]
    with (folder / "events.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:4] == ["重复序号", "年度", "人员编号", "系列"]
    values = {v for row in rows for v in row.values()}
    assert {"取得职称", "是", "否", "中级"} <= values
    assert not values & CODES, values & CODES
    with (folder / "columns.csv").open(encoding="utf-8-sig", newline="") as fh:
        columns = list(csv.DictReader(fh))
    assert [c["column"] for c in columns] == list(COLUMNS)  # the codes, beside their labels
    assert list(rows[0]) == [c["label_zh"] for c in columns]
    meaning = {c["column"]: c["meaning_zh"] for c in columns}
    assert "取得职称（代码 titled）" in meaning["result"] and "是/否" in meaning["hired"]
    english = titlesim("export", BASELINE, *EXPORT_SMALL, "--out", "exports-en", cwd=tmp_path)
    with (tmp_path / english.stdout.strip().splitlines()[-1] / "events.csv").open(encoding="utf-8-sig") as fh:
        header = fh.readline()
    assert header.startswith(",".join(c["label_en"] for c in columns[:3]))
