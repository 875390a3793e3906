"""The report workbook's sheet names: Excel allows 31 characters, so long titles are cut,
at a word in English (the contents sheet keeps each whole title)."""
from __future__ import annotations

from titlesim.report.model import Table
from titlesim.report.tables import sheet_names

TITLES = ["The criteria in force (main clauses of the notice)",
          "Applicants, exam takers, passes and titles by year",
          "By level sought (whole horizon)",
          "By level sought (each year of the horizon)",
          "各级别的申请、考试、合格与取得职称人数（整个期间，按年份与系列）"]


def test_long_english_titles_are_cut_between_words_and_stay_unique():
    names = sheet_names([Table(f"t{i}", title, None) for i, title in enumerate(TITLES)])
    assert names[:4] == ["The criteria in force", "Applicants, exam takers", "By level sought",
                         "By level sought-2"]
    assert names[4] == "各级别的申请、考试、合格与取得职称人数"  # no spaces: by characters, before the bracket
    assert all(len(name) <= 31 for name in names) and len(set(names)) == len(names)
