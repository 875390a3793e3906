"""``titlesim report`` and ``titlesim runs`` as policy staff run them: the command line (run in
this process, conftest.run_titlesim), Papermill running the real template with a fresh kernel,
on small scenarios, in a temporary working folder (so reports/ is the temporary one)."""
from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import run_titlesim
from titlesim.i18n import msg

from titlesim.report.sections import ORDER
from titlesim.report.words import column_label, section_title

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "scenarios" / "baseline-2022.yaml"
SMALL = f"""extends: {BASELINE}
population:
  size: 2500
horizon:
  years: 3
replicates: 3
"""


def titlesim(*args, cwd: Path, **environment) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("TITLESIM_PROGRESS", "TITLESIM_LANG")}
    env.update(PYTHONPATH=str(REPO), **environment)
    return run_titlesim(*args, cwd=cwd, env=env)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def report_folders(cwd: Path, scenario: str) -> list[Path]:
    parent = cwd / "reports" / scenario
    return sorted(p for p in parent.iterdir() if p.is_dir() and p.name != "failed") \
        if parent.exists() else []


def made(result: subprocess.CompletedProcess, cwd: Path) -> Path:
    assert result.returncode == 0, result.stderr
    html = cwd / result.stdout.strip().splitlines()[-1]
    assert html.name == "report.html" and html.exists()
    return html.parent


TITLED = ("extends: small.yaml\ntitle: 比例提高到70%\n"
          "question: 比例提高到70%会多出多少职称？\npassline:\n  ratio: 0.7\n")


def small_folder(cwd: Path) -> Path:
    """A working folder holding the small scenario and two revisions of it, one titled."""
    write(cwd / "small.yaml", SMALL)
    write(cwd / "ratio-0.6.yaml", "extends: small.yaml\npassline:\n  ratio: 0.6\n")
    write(cwd / "titled-0.7.yaml", TITLED)
    return cwd


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return small_folder(tmp_path_factory.mktemp("reports-cwd"))


@pytest.fixture(scope="module")
def shown(work) -> subprocess.CompletedProcess:
    """The report of a titled revision alone (``titlesim report titled-0.7.yaml``): a
    comparison report of the revision against the small scenario it revises, its progress
    shown. Every full report costs 10-12 CPU-seconds, so this one report (and its
    re-creation, ``twin``) serves all the tests of a finished report in this file; an
    explicit ``--compare`` runs to completion in tests/test_ui_report.py (the report button
    runs ``titlesim report BASE --compare REVISION``) and up to its failing cell here."""
    return titlesim("report", "titled-0.7.yaml", cwd=work, TITLESIM_PROGRESS="1")


@pytest.fixture(scope="module")
def first(work, shown) -> Path:
    """The folder of that report."""
    return made(shown, work)


@pytest.fixture(scope="module")
def twin(work, first) -> Path:
    """The same inputs again, as the first report's provenance.json records them (scenarios,
    seed, replicates, language): ``titlesim report --from``. One second report serves both
    the same-inputs and the re-creation tests (each report costs 10-12 CPU-seconds)."""
    return made(titlesim("report", "--from", first / "provenance.json", cwd=work), work)


def data_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for pattern in ("tables/*.csv", "figures/*.csv") for p in sorted(folder.glob(pattern))}


def visible_text(html_file: Path) -> list[str]:
    text = html_file.read_text(encoding="utf-8")
    return re.findall(r"<(?:h1|h2|h3|p|td|th)[^>]*>([^<]*)<", text)


# ----------------------------------------------------------------------------- a report
def test_the_report_shows_the_cells_done_then_the_export(shown):
    """With progress on (TITLESIM_PROGRESS=1, or a terminal): a bar over the template's
    cells named by the scenario, then the export, then the index."""
    assert shown.returncode == 0, shown.stderr
    assert "生成报告 比例提高到70%:" in shown.stderr and "节/s" in shown.stderr
    assert shown.stderr.index("生成报告 比例提高到70%") < shown.stderr.index("正在导出 HTML") \
        < shown.stderr.index("正在更新报告目录")


def test_a_report_has_every_file(first, work):
    assert first.parent == work / "reports" / "titled-0.7"  # the report is of the revision
    assert re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{8}", first.name)
    for name in ("report.ipynb", "report.html", "report.docx", "report.pdf", "tables.xlsx",
                 "provenance.json"):
        assert (first / name).is_file(), name
    tables = {p.stem for p in (first / "tables").glob("*.csv")}
    assert {"flow_by_year", "flow_by_county", "passline_by_group", "validity_by_year",
            "posts_by_year", "equity", "stock_by_year", "comparison_impact", "headline"} <= tables
    figures = list((first / "figures").glob("*.png"))
    assert len(figures) >= 11  # eight of the scenario, three of the comparison
    for png in figures:
        assert png.with_suffix(".svg").is_file() and png.with_suffix(".csv").is_file()
    assert not (first / "metrics.csv").exists()  # reports hold aggregated tables only
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".")]  # no temp left


def test_the_executed_notebook_ran_every_section(first):
    import nbformat
    nb = nbformat.read(first / "report.ipynb", as_version=4)
    shown = {c.source for c in nb.cells if c.cell_type == "code" and c.outputs}
    for key in ORDER:
        assert f'report.show("{key}")' in shown, key
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)


def test_the_provenance_records_what_recreates_the_report(first):
    p = json.loads((first / "provenance.json").read_text(encoding="utf-8"))
    assert p["kind"] == "report" and p["scenario"] == "titled-0.7"
    assert [s["name"] for s in p["scenarios"]] == ["small", "titled-0.7"]
    base = p["scenarios"][0]
    assert base["resolved"]["population"]["size"] == 2500
    assert set(base["files"]) == {str((first.parents[2] / "small.yaml").resolve()), str(BASELINE)}
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in base["files"].values())
    assert (p["seed"], p["replicates"], p["lang"]) == (20220616, 3, "zh")
    assert {"titlesim_version", "git_commit", "versions", "command", "template"} <= set(p)
    assert {"numpy", "pandas", "papermill", "nbconvert"} <= set(p["versions"])
    assert p["kernel"] == {"name": "python3", "python": sys.executable}
    assert p["command"].startswith("titlesim report titled-0.7.yaml")
    from titlesim.runs import file_sha256
    for name, digest in p["outputs_sha256"].items():
        assert file_sha256(first / name) == digest
    assert p["headline"]["titled_per_year"] > 0


def test_the_html_has_the_section_headings_and_no_code(first):
    html = (first / "report.html").read_text(encoding="utf-8")
    for key in ORDER:
        assert f'<h2 id="section-{key}">{section_title(key, "zh")}</h2>' in html, key
        assert f'<a href="#section-{key}">' in html
    for code in ("report.show(", "Report.open", "import ", "output_dir", 'class="jp-InputArea',
                 'class="jp-InputPrompt', "In&nbsp;[", "<script"):
        assert code not in html, code
    assert html.count('<img alt="') >= 11 and 'src="data:image/png;base64,' in html
    assert '<html lang="zh">' in html


def test_the_workbook_holds_the_csv_numbers_under_chinese_headers(first):
    book = openpyxl.load_workbook(first / "tables.xlsx", read_only=True)
    contents = list(book.worksheets[0].iter_rows(values_only=True))
    assert contents[0][:3] == ("工作表", "内容", "文件")
    compared = 0
    for sheet_name, _title, csv_file, *_ in contents[1:]:
        csv = pd.read_csv(first / csv_file, keep_default_na=False, na_values=[""])
        text = pd.read_csv(first / csv_file, keep_default_na=False, dtype=str)
        rows = list(book[sheet_name].iter_rows(values_only=True))
        assert len(rows) == len(csv) + 1, sheet_name
        # a sheet leaves out the code columns its CSV keeps (revision, key, ...): match by header
        header = list(rows[0])
        for column in csv.columns:
            if not pd.api.types.is_numeric_dtype(csv[column]) or column in ("year", "seed"):
                continue
            j = header.index(column_label(column, "zh"))
            for i, value in enumerate(csv[column]):
                cell = rows[i + 1][j]
                if isinstance(cell, str):  # a value in words (修订对照表): the CSV's own text
                    assert cell == text[column][i], (sheet_name, column, i)
                elif isinstance(value, float) and math.isnan(value):
                    assert cell is None or (isinstance(cell, float) and math.isnan(cell))
                else:
                    assert cell == value, (sheet_name, column, i)
                compared += 1
    assert compared > 500
    flow = next(r for r in contents[1:] if r[2] == "tables/flow_by_year.csv")[0]
    header = next(book[flow].iter_rows(values_only=True))
    assert header[:2] == ("年度", "符合申报条件人数") and "取得职称人数" in header


def test_years_and_values_in_words_are_number_cells_in_the_workbook(first):
    """年度 beside 合计, and a parameter's value among values in words (修订对照表, the
    parameter tables): numbers Excel sorts and computes with, shown as in the report."""
    book = openpyxl.load_workbook(first / "tables.xlsx")
    years = 0
    for sheet in book.worksheets[1:]:
        header = [c.value for c in sheet[1]]
        if "年度" not in header:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, min_col=header.index("年度") + 1,
                                       max_col=header.index("年度") + 1):
            if cell.value not in (None, "合计", "全期"):
                assert cell.data_type == "n" and isinstance(cell.value, int), (sheet.title, cell.value)
                assert cell.number_format == "0"  # 2022, not 2,022
                years += 1
    assert years >= 10
    sheet = book["修订对照表"]
    header = [c.value for c in sheet[1]]
    for name, value in (("基准取值", 0.5), ("修订取值", 0.7)):
        cell = sheet.cell(row=2, column=header.index(name) + 1)
        assert (cell.data_type, cell.value, cell.number_format) == ("n", value, "0.0")
    values = next(s for s in book.worksheets if s.title.startswith("全部参数"))
    column = [c.value for c in values[1]].index("取值") + 1
    kinds = {c.data_type for (c,) in values.iter_rows(min_row=2, min_col=column, max_col=column)}
    assert kinds == {"n", "s"}  # numbers, and values in words (不设, 忻府区, 是)


def test_the_same_inputs_give_identical_tables_in_a_new_folder(first, twin):
    assert twin != first and twin.parent == first.parent
    assert twin.name.endswith(first.name[-8:])  # same inputs, same short hash
    assert data_files(twin) == data_files(first)
    for svg in (first / "figures").glob("*.svg"):
        assert (twin / "figures" / svg.name).read_bytes() == svg.read_bytes()


def test_a_report_from_its_provenance_reproduces_it(first, twin):
    again = twin
    assert data_files(again) == data_files(first)
    assert visible_text(again / "report.html") == visible_text(first / "report.html")
    p = json.loads((again / "provenance.json").read_text(encoding="utf-8"))
    assert p["recreated_from"] == str(first / "provenance.json")
    assert [s["sha256"] for s in p["scenarios"]] == [
        s["sha256"] for s in json.loads((first / "provenance.json").read_text())["scenarios"]]


def test_the_index_lists_every_completed_report_and_runs_lists_them(first, twin, work):
    index = (work / "reports" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">', index)
    expected = {f"titled-0.7/{p.name}/report.html" for p in report_folders(work, "titled-0.7")}
    assert set(links) == expected and len(links) >= 2
    listed = titlesim("runs", cwd=work)
    assert listed.returncode == 0, listed.stderr
    for folder in report_folders(work, "titled-0.7"):
        assert str(folder.relative_to(work)) in listed.stdout
    assert "情景" in listed.stdout.splitlines()[0]


# ------------------------------------------------------------------------------ failure
def test_a_failing_cell_keeps_the_notebook_in_failed_and_is_not_indexed(first, work):
    write(work / "other-workforce.yaml", "extends: small.yaml\npopulation:\n  female_share: 0.5\n")
    before = report_folders(work, "small")
    index_before = (work / "reports" / "index.html").read_text(encoding="utf-8")
    result = titlesim("report", "small.yaml", "--compare", "other-workforce.yaml", "--lang", "en",
                      cwd=work)
    assert result.returncode != 0
    assert "the report failed in cell 'open'" in result.stderr
    assert "cannot be compared" in result.stderr and "Traceback" not in result.stderr
    failed = list((work / "reports" / "small" / "failed").iterdir())
    assert len(failed) == 1
    assert (failed[0] / "report.ipynb").is_file() and (failed[0] / "error.txt").is_file()
    assert "InputError" in (failed[0] / "error.txt").read_text(encoding="utf-8")
    assert report_folders(work, "small") == before
    index = (work / "reports" / "index.html").read_text(encoding="utf-8")
    assert "failed" not in index
    assert len(re.findall("<a href", index)) == len(re.findall("<a href", index_before))


def test_a_missing_revision_is_refused_before_anything_runs(work):
    def everything():
        return sorted(p for p in (work / "reports").rglob("*")) if (work / "reports").exists() else []
    before = everything()
    result = titlesim("report", "small.yaml", "--compare", "no-such-revision.yaml", "--lang", "en",
                      cwd=work)
    assert result.returncode == 2
    assert f"no-such-revision.yaml: {msg('file_not_found', 'en')}" in result.stderr
    assert everything() == before


# --------------------------------------------------------------------- path traversal
@pytest.mark.parametrize("out", ["../outside", "reports/../../outside", "/tmp/titlesim-outside"])
def test_an_out_folder_outside_the_reports_folder_is_refused(tmp_path, out):
    write(tmp_path / "small.yaml", SMALL)
    result = titlesim("report", "small.yaml", "--out", out, "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2
    assert "would write outside the reports folder" in result.stderr
    assert not (tmp_path / "reports").exists() and not (tmp_path.parent / "outside").exists()
    assert not Path("/tmp/titlesim-outside").exists()


def test_a_scenario_name_that_is_not_a_folder_name_is_refused(tmp_path):
    write(tmp_path / "..yaml", SMALL)
    result = titlesim("report", "..yaml", cwd=tmp_path)
    assert result.returncode == 2 and "情景名 '.' 不能用作文件夹名" in result.stderr
    assert not (tmp_path / "reports").exists()


def test_a_provenance_naming_a_path_is_refused(first, tmp_path):
    p = json.loads((first / "provenance.json").read_text(encoding="utf-8"))
    p["scenarios"][0]["name"] = "../../escaped"
    write(tmp_path / "provenance.json", json.dumps(p, ensure_ascii=False))
    result = titlesim("report", "--from", "provenance.json", cwd=tmp_path)
    assert result.returncode == 2 and "情景名 '../../escaped' 不能用作文件夹名" in result.stderr
    assert not (tmp_path / "reports").exists() and not (tmp_path.parent / "escaped").exists()


# ------------------------------------------------------------- what people read: no codes
def codes_people_should_not_see() -> re.Pattern:
    """Category codes (unit types, specialties, option values ...), True/False and
    'assumption', as whole words (a dotted parameter key path is not one)."""
    from titlesim import labels
    words = {"True", "False", "assumption", "none"}
    for kind in ("unit_type", "specialty", "education", "level", "series"):
        words |= {k for k in labels.values(kind) if "_" in k or kind in ("unit_type", "specialty")}
    words |= {k.split("=", 1)[1] for k in labels.values("option")}
    return re.compile(r"(?<![\w.\-/])(" + "|".join(sorted(map(re.escape, words))) + r")(?![\w.\-/])")


def test_a_chinese_report_shows_no_codes_in_html_workbook_or_word(first):
    import docx
    codes = codes_people_should_not_see()
    html = " ".join(visible_text(first / "report.html"))
    assert not codes.findall(html), sorted(set(codes.findall(html)))
    book = openpyxl.load_workbook(first / "tables.xlsx", read_only=True)
    cells = " ".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                     for v in row if isinstance(v, str))
    assert not codes.findall(cells), sorted(set(codes.findall(cells)))
    document = docx.Document(str(first / "report.docx"))
    text = " ".join([p.text for p in document.paragraphs] +
                    [c.text for t in document.tables for row in t.rows for c in row.cells])
    assert not codes.findall(text), sorted(set(codes.findall(text)))
    assert "申报参加考试人数" in text and "假设" in text  # options and sources in words
    # people are whole numbers, each with its interval on a line under it; never -0
    counted = 0
    for table in document.tables:
        header = [c.text for c in table.rows[0].cells]
        for row in table.rows[1:]:
            for name, cell in zip(header, row.cells):
                if name.endswith("人数") and not name.startswith("每") and cell.text not in ("", "–"):
                    number, *band = cell.text.split("\n")
                    assert re.fullmatch(r"\d{1,3}(,\d{3})*", number), (name, cell.text)
                    assert not band or re.fullmatch(r"\d[\d,]*–\d[\d,]*", band[0]), (name, cell.text)
                    counted += bool(band)
    assert counted > 50
    assert not re.search(r"(?<![\d.])-0(\.0+)?(?![\d.])", text + html)
    # no English sentence in the Chinese report (key paths and file names aside)
    sentences = [p.text for p in document.paragraphs if not p.text.startswith(("passline", "population"))]
    english = [s for s in sentences if re.search(r"\b[a-z]{3,} [a-z]{3,} [a-z]{3,}\b", s)]
    assert not english, english


def test_the_word_document_has_headings_tables_figures_and_page_numbers(first):
    import docx
    document = docx.Document(str(first / "report.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0].startswith("职称评审模拟报告")
    for key in ORDER:
        assert section_title(key, "zh") in headings, key
    assert len(document.tables) >= 10
    assert all(re.search(r"[\u4e00-\u9fff]", t.rows[0].cells[0].text) for t in document.tables)
    assert len(document.inline_shapes) >= 11  # every figure
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert "PAGE" in section.footer._element.xml


def test_the_pdf_is_a4_with_extractable_chinese_text_and_embedded_fonts(first):
    import unicodedata

    import pypdf
    pdf = pypdf.PdfReader(first / "report.pdf")
    assert len(pdf.pages) >= 5
    width, height = (float(x) for x in pdf.pages[0].mediabox[2:])
    assert abs(width - 595) < 2 and abs(height - 842) < 2  # A4 in points
    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in pdf.pages[:3]))
    assert "职称评审模拟报告" in text and section_title("overview", "zh") in text
    # every font is in the file: a font program (FontFile*), or glyphs drawn by the PDF
    # itself (Type3, as Chromium writes the CFF outlines of Noto Sans CJK); one is Chinese
    embedded, families = [], set()
    for font in pdf.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        parts = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
        for part in parts:
            descriptor = part.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            families.add(str(descriptor.get("/FontFamily", part.get("/BaseFont", ""))))
            embedded.append("/CharProcs" in part or any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert embedded and all(embedded)
    assert any("CJK" in f for f in families), families


# ------------------------------------------------------------ the report of a revision
def test_a_revision_alone_is_reported_against_the_scenario_it_revises(shown, first, twin, work):
    """The shared report is of titled-0.7.yaml alone: compared with small.yaml, which it
    extends, named by its title, with the table of what it revises."""
    import docx
    assert "正在生成“比例提高到70%”的报告" in shown.stderr  # named by its title
    p = json.loads((first / "provenance.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in p["scenarios"]] == ["small", "titled-0.7"] and p["subject"] == "titled-0.7"
    html = (first / "report.html").read_text(encoding="utf-8")
    assert "职称评审模拟报告：比例提高到70%" in html and "titled-0.7" not in " ".join(visible_text(
        first / "report.html"))
    assert "修订对照表" in html and "基层医疗卫生高级职称合格标准根据评审当年申报参加考试人数按比例划定" in html
    book = openpyxl.load_workbook(first / "tables.xlsx", read_only=True)
    sheet = book["修订对照表"]
    header, row = list(sheet.iter_rows(values_only=True))[:2]
    assert header[:3] == ("修订方案", "通知条款", "通知原文")
    assert row[0] == "比例提高到70%" and row[1] == "一(三)" and (row[4], row[5]) == (0.5, 0.7)
    assert isinstance(row[7], (int, float)) and row[8] <= row[7] <= row[9]  # impact in its interval
    document = docx.Document(str(first / "report.docx"))
    assert any(t.rows[0].cells[1].text == "通知条款" for t in document.tables)
    # a re-created report (titlesim report --from) is the same report of the same revision
    assert json.loads((twin / "provenance.json").read_text(encoding="utf-8"))["subject"] == "titled-0.7"
    assert twin.parent == first.parent
    assert data_files(twin) == data_files(first)
