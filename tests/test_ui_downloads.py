"""Download links: under ``titlesim serve`` a link points at the server's route for the
scenarios folder or reports/; anywhere else the file travels inside the link; a report
folder offers its HTML, Word, PDF and workbook files in that order."""
from __future__ import annotations

import base64

from titlesim.ui.downloads import href, link, report_files


def test_a_served_file_links_to_the_download_route(tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "reports" / "base" / "run 1").mkdir(parents=True)
    revision = tmp_path / "s" / "基层 比例.yaml"
    revision.write_text("extends: baseline-2022.yaml\n", encoding="utf-8")
    report = tmp_path / "reports" / "base" / "run 1" / "report.html"
    report.write_text("<html></html>", encoding="utf-8")
    env = {"TITLESIM_DOWNLOADS": "/titlesim/download/", "TITLESIM_SCENARIOS": str(tmp_path / "s"),
           "TITLESIM_WORKSPACE": str(tmp_path)}
    assert href(revision, env) == "/titlesim/download/scenarios/%E5%9F%BA%E5%B1%82%20%E6%AF%94%E4%BE%8B.yaml"
    assert href(report, env) == "/titlesim/download/reports/base/run%201/report.html"
    elsewhere = tmp_path / "other.yaml"
    elsewhere.write_text("a: 1\n")
    assert href(elsewhere, env).startswith("data:application/x-yaml;base64,")


def test_without_a_server_the_file_is_inside_the_link(tmp_path):
    path = tmp_path / "tables.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    html = link(path, "数据表（Excel）", environ={})
    assert "download='tables.xlsx'" in html and "数据表（Excel）" in html
    encoded = html.split("base64,")[1].split("'")[0]
    assert base64.b64decode(encoded) == path.read_bytes()
    assert "spreadsheetml" in html


def test_a_report_folder_offers_its_files_in_a_fixed_order(tmp_path):
    for name in ("tables.xlsx", "report.pdf", "report.html", "report.docx", "report.ipynb", "provenance.json"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in report_files(tmp_path)] == ["report.html", "report.docx", "report.pdf", "tables.xlsx"]
