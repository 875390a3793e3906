"""``report.docx``: the report as a Word document to attach to a 请示 or 汇报.

A4 pages with page numbers in the footer; the title and the scenario's question; each
section's heading, sentences, figures (the PNGs of ``figures/``) with captions, and tables
with headers and values in the report's language (the same labelled tables as the HTML
and the workbook). Chinese text is set in 宋体 (headings 黑体), the fonts every Chinese
Windows has; other systems substitute their own CJK font.
"""
from __future__ import annotations

import re
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
    """The labelled table: a bold header row, values right-aligned when numbers, an
    interval on a line of its own in smaller type; 8 pt throughout. Its rows are written
    as WordprocessingML in one piece (python-docx's cell by cell calls cost a second per
    report), the same XML python-docx writes for them."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt
    frame = labelled(table, lang, bands=True)
    doc.add_heading(table.title, level=3)
    grid = doc.add_table(rows=0, cols=len(frame.columns))
    grid.style = "Table Grid"
    width = grid._tbl.tblGrid.gridCol_lst[0].w.twips
    rows = [_row([_run(str(name), bold=True) for name in frame.columns], width)]
    for values in frame.itertuples(index=False):
        cells = []
        for value in values:
            text, numeric = cell_text(value)
            band = band_text(value)
            runs = _run(text) + (_run("\n") + _run(band, size=BAND_SIZE) if band else "")
            cells.append(("<w:pPr><w:jc w:val=\"right\"/></w:pPr>" if numeric else "") + runs)
        rows.append(_row(cells, width))
    grid._tbl.extend(parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>"))
    text = table_note(table, lang)
    if text:
        note = doc.add_paragraph(text)
        note.runs[0].font.size = Pt(8)


TABLE_SIZE, BAND_SIZE = 16, 13  # half-points: 8 pt, 6.5 pt


def _row(paragraphs: list[str], width: int) -> str:
    """``<w:tr>``: one cell of ``width`` twips for each paragraph's content."""
    return "<w:tr>" + "".join(f"<w:tc><w:tcPr><w:tcW w:type=\"dxa\" w:w=\"{width}\"/></w:tcPr>"
                              f"<w:p>{content}</w:p></w:tc>" for content in paragraphs) + "</w:tr>"


def _run(text: str, bold: bool = False, size: int = TABLE_SIZE) -> str:
    """``<w:r>`` holding ``text`` as python-docx writes it (a tab as ``<w:tab/>``, a line
    break as ``<w:br/>``, text with outer spaces kept)."""
    from xml.sax.saxutils import escape
    parts = []
    for piece in re.split(r"([\t\n\r])", text):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\n", "\r"):
            parts.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if piece.strip() != piece else ""
            parts.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return (f"<w:r><w:rPr>{'<w:b/>' if bold else ''}<w:sz w:val=\"{size}\"/></w:rPr>"
            f"{''.join(parts)}</w:r>")


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
