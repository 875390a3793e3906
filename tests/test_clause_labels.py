"""A clause of the notice (一(三)) and its number (忻人社函〔2022〕35号) as an English reader
sees them: Part 1 (3), Xinzhou HRSS Letter [2022] No. 35, in every English report table,
workbook sheet and page that names a parameter's source; Chinese output keeps the
notice's own numbering."""
from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from titlesim import labels
from titlesim.compare.diff import parameter_diff
from titlesim.compare.workbook import shown
from titlesim.i18n import msg
from titlesim.report.revision_table import notice_words
from titlesim.report.sections.overview import criteria
from titlesim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline-2022.yaml"
CHINESE_CLAUSE = re.compile(r"[一二三四五][(（][一二三四五][)）]|人社")


@pytest.mark.parametrize("source, english", [
    ("一(三)", "Part 1 (3)"), ("二(三)", "Part 2 (3)"),
    ("一(二)一(三)", "Part 1 (2), Part 1 (3)"),
    ("一(三)；取值为假设", "Part 1 (3); value an assumption"),
    ("一(二)；卫生系列为假设", "Part 1 (2); an assumption for the health series"),
    ("忻人社函〔2022〕35号", "Xinzhou HRSS Letter [2022] No. 35"),
    ("assumption", "assumption"), ("", "")])
def test_a_clause_reads_in_english_and_stays_as_the_notice_numbers_it_in_chinese(source, english):
    assert labels.clause_label(source, "en") == english
    assert labels.clause_label(source, "zh") == source


def test_every_source_in_the_label_table_has_an_english_rendering():
    sources = {row["source"] for row in labels.table().values()} - {"", "assumption"}
    assert sources, "the label table cites no clause"
    for source in sources:
        assert not CHINESE_CLAUSE.search(labels.clause_label(source, "en")), source


def test_the_reports_criteria_and_revision_tables_cite_clauses_in_the_reports_language():
    baseline = load_scenario(BASELINE)
    en = criteria(baseline, "en").set_index("parameter")["source"]
    zh = criteria(baseline, "zh").set_index("parameter")["source"]
    assert (en["passline.ratio"], zh["passline.ratio"]) == ("Part 1 (3); value an assumption", "一(三)；取值为假设")
    assert (en["validity.years"], zh["validity.years"]) == ("Part 1 (3)", "一(三)")
    assert en["horizon.start"] == "Xinzhou HRSS Letter [2022] No. 35"
    assert not any(CHINESE_CLAUSE.search(s) for s in en)
    assert notice_words("passline.ratio", "en")[0] == "Part 1 (3)"
    assert notice_words("passline.ratio", "zh")[0] == "一(三)"


def test_compare_workbook_and_page_cite_clauses_in_their_language():
    base = load_scenario(BASELINE)
    revision = load_scenario(ROOT / "scenarios" / "grassroots-ratio-0.6.yaml")
    diff = parameter_diff(base, revision)
    sheet = {lang: shown("diff", diff, lang) for lang in ("zh", "en")}
    assert sheet["en"].iloc[0, -1] == "Part 1 (3); value an assumption" and sheet["zh"].iloc[0, -1] == "一(三)；取值为假设"
    from titlesim.ui.compare_view import diff_table
    page = diff_table(SimpleNamespace(diff=diff), "en")
    assert page.iloc[0, -1] == "Part 1 (3); value an assumption"
    from titlesim.ui.controls import source_text, tooltip
    assert source_text("passline.ratio", "en") == "Part 1 (3); value an assumption"
    assert "Part 1 (3); value an assumption" in tooltip("passline.ratio", "en")
    assert source_text("passline.ratio", "zh") == "一(三)；取值为假设"


def test_english_texts_name_the_notice_and_its_clauses_in_english():
    assert not CHINESE_CLAUSE.search(msg("export.meaning.route", "en"))
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        english = load_scenario(path)
        for text in (english.title_in("en"), english.params.question_en):
            assert not CHINESE_CLAUSE.search(text), (path.name, text)
