"""``titlesim report FOLDER --lang en``: one report per scenario file of the folder and the
index, in English. The folder's second scenario is a titled revision of the first, so its
report is the English report of a revision (it shares this module's one batch run)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

from test_report_command import SMALL, made, titlesim, visible_text, write

pytestmark = pytest.mark.slow

ENGLISH = ("extends: a.yaml\ntitle: 比例提高到65%\ntitle_en: Ratio raised to 65%\n"
           "question: 会多出多少职称？\nquestion_en: How many more titles at 65%?\n"
           "passline:\n  ratio: 0.65\n")


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The working folder and the result of reporting its scenarios/ folder in English."""
    cwd = tmp_path_factory.mktemp("batch-cwd")
    write(cwd / "scenarios" / "a.yaml", SMALL)
    write(cwd / "scenarios" / "b.yaml", ENGLISH)
    write(cwd / "scenarios" / "notes.txt", "not a scenario")
    return cwd, titlesim("report", "scenarios", "--replicates", "2", "--lang", "en", cwd=cwd)


def test_a_folder_gives_one_report_per_scenario_and_an_index(batch):
    cwd, result = batch
    assert result.returncode == 0, result.stderr
    printed = result.stdout.strip().splitlines()
    assert [Path(p).parts[1] for p in printed] == ["a", "b"]
    index = (cwd / "reports" / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<a href="[ab]/[^"]+/report.html">', index)) == 2
    assert "<h1>Professional-title evaluation reports</h1>" in index
    html = (cwd / printed[1]).read_text(encoding="utf-8")
    assert '<h2 id="section-validity">What score validity does</h2>' in html
    import pypdf  # both printed by the batch's one Chromium, each with its own title only
    first, second = (pypdf.PdfReader(cwd / Path(p).parent / "report.pdf").pages[0].extract_text() for p in printed)
    assert "Ratio raised to 65%" in second and "Ratio raised to 65%" not in first


def test_an_english_report_speaks_english_and_names_scenarios_by_their_english_title(batch):
    """Under --lang en: the revision's title_en and question_en wherever it is named (the
    progress line, the HTML, Word, PDF, workbook and the index); Chinese only in names
    (counties, the notice's clauses and number, a title that has no English)."""
    import docx
    import pypdf
    cwd, result = batch
    assert "making the report of Ratio raised to 65%" in result.stderr
    folder = made(result, cwd)
    assert folder.parent == cwd / "reports" / "b"
    html = " ".join(visible_text(folder / "report.html"))
    assert "Professional-title evaluation report: Ratio raised to 65%" in html
    assert "How many more titles at 65%?" in html and "比例提高到65%" not in html
    document = docx.Document(str(folder / "report.docx"))
    text = " ".join([p.text for p in document.paragraphs] +
                    [c.text for t in document.tables for row in t.rows for c in row.cells])
    book = openpyxl.load_workbook(folder / "tables.xlsx", read_only=True)
    cells = " ".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                     for v in row if isinstance(v, str))
    names = re.compile("|".join(["忻府区", "原平市", "定襄县", "五台县", "代县", "繁峙县", "宁武县", "静乐县",
                                 "神池县", "五寨县", "岢岚县", "河曲县", "保德县", "偏关县",
                                 r"[一二三四五六七八九十]+\([一二三四五六七八九十]+\)", r"\S*〔\d{4}〕\d+号"]))
    for where, words in (("html", html), ("docx", text), ("xlsx", cells)):
        left = re.findall(r"[^\sA-Za-z0-9]*[\u4e00-\u9fff]+[^\sA-Za-z0-9]*", names.sub("", words))
        assert not left, (where, sorted(set(left))[:20])
    pdf = pypdf.PdfReader(folder / "report.pdf")
    assert "Ratio raised to 65%" in pdf.pages[0].extract_text()
    index = (cwd / "reports" / "index.html").read_text(encoding="utf-8")
    assert "<td>Ratio raised to 65%</td>" in index
