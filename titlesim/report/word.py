"""``report.docx``: the report as a Word document to attach to a 请示 or 汇报.

A4 pages with page numbers in the footer; the title and the scenario's question; each
section's heading, sentences, figures (the PNGs of ``figures/``) with captions, and tables
with headers and values in the report's language (the same labelled tables as the HTML
and the workbook). Chinese text is set in 宋体 (headings 黑体), the fonts every Chinese
Windows has; other systems substitute their own CJK font.
"""
from __future__ import annotations

from pathlib import Path

from titlesim.report.model import Section
from titlesim.report.render import band_text, cell_text, table_note
from titlesim.report.tables import labelled

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Calibri"
FIGURE_WIDTH_CM = 16


def write_docx(path: Path, title: str, subtitle: str, shown: list[tuple[Section, dict]],
               lang: str) -> None:
    """``shown``: each section with ``{figure name: PNG path}``, in the report's order."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    _page_setup(doc)
    _fonts(doc)
    doc.core_properties.title = title
    doc.core_properties.language = "zh-CN" if lang == "zh" else "en"
    doc.add_heading(title, level=0)
    if subtitle:
        doc.add_paragraph(subtitle)
    for section, images in shown:
        doc.add_heading(section.title, level=1)
        for text in section.paragraphs:
            doc.add_paragraph(text)
        for figure in section.figures:
            doc.add_picture(str(images[figure.name]), width=Cm(FIGURE_WIDTH_CM))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption = doc.add_paragraph(figure.title)
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption.runs[0].font.size = Pt(9)
        for table in section.tables:
            _table(doc, table, lang)
    _page_numbers(doc)
    doc.save(str(path))


def _table(doc, table, lang: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    frame = labelled(table, lang, bands=True)
    doc.add_heading(table.title, level=3)
    grid = doc.add_table(rows=1, cols=len(frame.columns))
    grid.style = "Table Grid"
    for cell, name in zip(grid.rows[0].cells, frame.columns):
        cell.text = str(name)
        cell.paragraphs[0].runs[0].font.bold = True
    for row in frame.itertuples(index=False):
        cells = grid.add_row().cells
        for cell, value in zip(cells, row):
            text, numeric = cell_text(value)
            cell.text = text
            band = band_text(value)
            if band:  # the interval on a line of its own, smaller
                cell.paragraphs[0].add_run().add_break()
                cell.paragraphs[0].add_run(band).font.size = Pt(6.5)
            if numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in grid.rows:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = run.font.size or Pt(8)
    text = table_note(table, lang)
    if text:
        note = doc.add_paragraph(text)
        note.runs[0].font.size = Pt(8)


def _page_setup(doc) -> None:
    from docx.shared import Cm
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.5)


def _fonts(doc) -> None:
    from docx.oxml.ns import qn
    for name, east_asian in (("Normal", BODY_FONT), ("Title", HEADING_FONT),
                             *((f"Heading {i}", HEADING_FONT) for i in (1, 2, 3))):
        style = doc.styles[name]
        style.font.name = LATIN_FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), east_asian)


def _page_numbers(doc) -> None:
    """A centred PAGE field in every footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    for section in doc.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run()
        for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"),
                           ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            elif text == "PAGE":
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = "PAGE"
            else:
                element = OxmlElement("w:t")
                element.text = text
            run._r.append(element)
