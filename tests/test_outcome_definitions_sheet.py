"""compare.xlsx's outcome-definitions sheet (指标定义) says in the workbook's language which
metrics each outcome adds up and which cells it counts; outcomes.csv keeps the codes that
docs/model.md documents."""
from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest

from titlesim import labels
from titlesim.compare.outcomes import OUTCOMES, outcome_table
from titlesim.compare.workbook import sheet_name, write_workbook

CODES = re.compile(r"\b(in True|grassroots in|level in|deputy_senior|full_senior|sat_exam|"
                   r"passed_provincial|waiting_years)\b")


@pytest.fixture(scope="module", params=["zh", "en"])
def sheet(request, tmp_path_factory):
    lang = request.param
    path = tmp_path_factory.mktemp(f"outcomes-{lang}") / "compare.xlsx"
    write_workbook({"outcomes": outcome_table(lang)}, path, lang)
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book[sheet_name("outcomes", lang)].iter_rows(values_only=True))
    book.close()
    frame = pd.DataFrame(rows[1:], columns=rows[0]).fillna("")
    frame.index = list(OUTCOMES)
    column = {c: labels.label("column", c, lang) for c in ("count", "per", "where", "per_where")}
    return lang, frame.rename(columns={v: k for k, v in column.items()})


def test_the_cells_an_outcome_counts_are_in_words(sheet):
    lang, frame = sheet
    senior = frame.loc["senior_share_grassroots"]
    assert (senior["where"], senior["per_where"]) == {
        "zh": ("基层：是；级别：副高级、正高级", "基层：是"),
        "en": ("grassroots: yes; level: deputy senior, full senior", "grassroots: yes")}[lang]
    assert frame.loc["titled", "where"] == {"zh": "全部", "en": "all"}[lang]
    assert frame.loc["titled", "per_where"] == ""  # a count has no denominator


def test_the_metrics_an_outcome_adds_up_are_in_words(sheet):
    lang, frame = sheet
    assert frame.loc["pass_rate", "count"] == {
        "zh": "达到省定合格标准人数 + 仅按比例合格人数",
        "en": "passed the provincial standard + passed by ratio only"}[lang]
    assert frame.loc["title_rate", "per"] == {"zh": "申报人数", "en": "applied"}[lang]
    for column in ("count", "per", "where", "per_where"):
        assert not frame[column].str.contains(CODES).any(), frame[column].tolist()


def test_the_csv_table_keeps_the_documented_codes():
    table = outcome_table("zh").set_index("outcome")
    assert table.loc["senior_share_grassroots", "where"] == \
        "grassroots in True; level in deputy_senior, full_senior"
    assert table.loc["pass_rate", "count"] == "passed_provincial + passed_ratio_only"
