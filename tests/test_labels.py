"""The one label table: every parameter, metric, column and category value the baseline
uses has a Chinese and an English label, and no (kind, key) is given twice."""
from __future__ import annotations

import csv
import re
from collections import Counter
from importlib import resources
from pathlib import Path

from titlesim import labels
from titlesim.compare.diff import NOT_COMPARED
from titlesim.paramdoc import flatten
from titlesim.scenario import load_scenario

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline-2022.yaml"
RESOLVED = load_scenario(BASELINE).resolved

# docs/model.md, 输出 / Outputs: the metrics of metrics.csv and the columns of both files
VOCABULARY_METRICS = (
    "headcount", "entrants", "exits_retired", "exits_other", "transfers_in", "recognised",
    "eligible", "applied", "sat_exam", "passed_provincial", "passed_ratio_only",
    "valid_passes_held", "passes_expired_unused", "evaluated", "titled", "titled_directed",
    "hired", "waiting", "waiting_years", "posts", "posts_vacant", "directed_lost_by_move",
)
VOCABULARY_COLUMNS = ("replicate", "year", "series", "level", "county", "unit_type", "specialty",
                  "grassroots", "metric", "value", "applied", "sat", "k", "line_score",
                  "passed_ratio_only", "passed_provincial")
# a source is a clause of the notice (一(三), 一(二)一(三) ...), possibly with a note on how far
# the value is the notice's (一(三)；取值为假设), the notice itself, or "assumption"
SOURCE = re.compile(r"^((?:[一二]\([一二三四五]\))+(；(取值为假设|卫生系列为假设))?|assumption|忻人社函〔2022〕35号)$")


def mapping_paths(data: dict, prefix: str = ""):
    """The key paths of the sections (mappings) of a scenario."""
    for key, value in data.items():
        if isinstance(value, dict) and value:
            yield f"{prefix}{key}"
            yield from mapping_paths(value, f"{prefix}{key}.")


def is_labelled(row) -> bool:
    return row is not None and bool(row["zh"].strip()) and bool(row["en"].strip())


def assert_labelled(row, what):
    assert is_labelled(row), f"no zh and en label for {what}: {row}"


def test_every_parameter_of_the_baseline_has_a_label_and_a_source():
    rows = {path: labels.parameter_row(path) for path in flatten(RESOLVED)}
    assert [path for path, row in rows.items() if not is_labelled(row)] == []
    bad_sources = {path: row["source"] for path, row in rows.items()
                   if path not in NOT_COMPARED and not SOURCE.match(row["source"])}
    assert bad_sources == {}  # description, title, question: free text, not policy parameters


def test_every_section_of_the_baseline_has_a_label():
    paths = list(mapping_paths(RESOLVED))
    assert "posts.structure" in paths
    assert [path for path in paths if not is_labelled(labels.parameter_row(path))] == []


def test_a_table_the_user_fills_in_is_labelled_by_its_pattern():
    assert labels.parameter_row("population.counties.新县")["key"] == "population.counties.*"
    assert labels.parameter_row("posts.structure.clinic.deputy_senior")["key"] == \
        "posts.structure.*.deputy_senior"
    assert labels.parameter_label("passline.ratio") == "基层按比例合格比例"
    assert labels.parameter_label("passline.provincial_standard", "en") == "provincial pass standard"
    assert labels.parameter_row("passline.no_such_key") is None


def test_every_metric_and_output_column_has_a_label():
    from titlesim.metrics import METRICS
    for name in sorted(set(VOCABULARY_METRICS) | set(METRICS)):
        assert_labelled(labels.table().get(("metric", name)), f"metric {name}")
    for name in VOCABULARY_COLUMNS:
        assert_labelled(labels.table().get(("column", name)), f"column {name}")


def test_every_category_value_of_the_baseline_has_a_label():
    population = RESOLVED["population"]
    used = {
        "series": set(population["series"]),
        "unit_type": set(population["unit_types"]),
        "specialty": {s for mix in population["specialties"].values() for s in mix},
        "level": {lv for unit in population["unit_types"].values() for lv in unit["levels"]},
        "education": {e for mix in population["education"].values() for e in mix},
    }
    for kind, keys in used.items():
        for key in sorted(keys):
            assert_labelled(labels.table().get((kind, key)), f"{kind} {key}")


def test_the_table_gives_each_kind_and_key_once_and_every_row_in_full():
    with resources.files("titlesim").joinpath("data/labels.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["kind", "key", "zh", "en", "source"]
    assert all(len(row) == 5 for row in rows), [row for row in rows if len(row) != 5]
    twice = [key for key, n in Counter((row[0], row[1]) for row in rows[1:]).items() if n > 1]
    assert twice == []


# ------------------------------------------------------------- the parameter table (paramdoc)
def test_flatten_keeps_lists_and_empty_tables_as_leaves():
    assert flatten({"passline": {"ratio": 0.5, "group_by": ["specialty"], "floor": None},
                    "extra": {}}) == {"passline.ratio": 0.5, "passline.group_by": ["specialty"],
                                      "passline.floor": None, "extra": {}}


def test_the_parameter_table_has_one_labelled_row_per_parameter():
    from titlesim.paramdoc import parameter_table
    table = parameter_table(load_scenario(BASELINE)).set_index("parameter")
    assert list(table.index) == list(flatten(RESOLVED))
    assert table.loc["passline.ratio"].tolist() == \
        ["基层按比例合格比例", "grassroots pass ratio", 0.5, "一(三)；取值为假设"]
    # the clause sets the rule; a value the notice does not give says so
    assert table.loc["passline.provincial_standard", "source"] == "一(三)；取值为假设"
    assert table.loc["evaluation.conduct_fail_rate", "source"] == "一(一)；取值为假设"
    assert table.loc["validity.years", "source"] == "一(三)"  # 三年有效: the notice's own value
    assert table.loc["passline.group_by", "value"] == ["specialty"]
    assert table.loc["posts.structure.rural_school.deputy_senior", "source"] == "assumption"
    zh = parameter_table(load_scenario(BASELINE), lang="zh").set_index("参数")
    assert zh.loc["validity.ratio_only_years"].tolist() == \
        ["仅按比例合格成绩有效年数", "years a ratio-only pass is valid", 1, "假设"]


def test_paramdoc_prints_a_markdown_table_for_the_readme():
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-m", "titlesim.paramdoc", str(BASELINE)],
                            capture_output=True, text=True, cwd=BASELINE.parents[1], timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["| parameter | label (zh) | label (en) | value | source |", "|---|---|---|---|---|"]
    assert len(lines) == 2 + len(flatten(RESOLVED))
    assert "| passline.group_by | 按比例划线的分组 | groups of the ratio line | specialty | assumption |" in lines
    assert "| passline.floor | 比例合格线最低分 | minimum score of the ratio line | none | assumption |" in lines
