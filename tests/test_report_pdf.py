"""``report.pdf`` for a batch: within ``printing()`` the reports share one Chromium (started
at the first, closed at the end), each printed on a page of its own; a Chromium that died
during the batch is started again, and outside a batch nothing is left running."""
from __future__ import annotations

import pypdf

from titlesim.report import pdf


def page(folder, name: str, text: str):
    path = folder / f"{name}.html"
    path.write_text(f"<!doctype html><html lang='zh'><meta charset='utf-8'><body><h1>{text}</h1></body></html>",
                    encoding="utf-8")
    return path


def text_of(path) -> str:
    return "".join(p.extract_text() for p in pypdf.PdfReader(path).pages)


def test_a_batch_prints_with_one_chromium_and_starts_another_if_it_died(tmp_path):
    with pdf.printing():
        assert pdf.export_pdf(page(tmp_path, "a", "忻府区的报告"), tmp_path / "a.pdf")
        first = pdf.shared().browser
        assert pdf.export_pdf(page(tmp_path, "b", "原平市的报告"), tmp_path / "b.pdf")
        assert pdf.shared().browser is first and first.is_connected()  # the same Chromium
        first.close()  # it dies mid-batch: the next report starts another
        assert pdf.export_pdf(page(tmp_path, "c", "代县的报告"), tmp_path / "c.pdf")
        second = pdf.shared().browser
        assert second is not first and second.is_connected()
    assert pdf.shared() is None and not second.is_connected()  # closed with the batch
    for name, county in (("a", "忻府区"), ("b", "原平市"), ("c", "代县")):
        text = text_of(tmp_path / f"{name}.pdf")  # each report its own page: nothing mixed
        assert f"{county}的报告" in text and sum(c in text for c in ("忻府区", "原平市", "代县")) == 1, text
    assert pdf.export_pdf(page(tmp_path, "d", "五台县的报告"), tmp_path / "d.pdf")  # outside a batch
    assert pdf.shared() is None and "五台县的报告" in text_of(tmp_path / "d.pdf")


ENGLISH = "staff figures flows floor office staff_per_unit passline.floor"


def test_text_copies_as_the_characters_drawn_not_as_radicals_or_ligatures(tmp_path):
    # Noto Sans CJK draws 比 and the Kangxi radical ⽐ with one glyph; the PDF's text must
    # name the ideograph, or "比例" is never found (docs/guide.md: copied and searched).
    # Likewise fi, fl, ff are drawn as letters, not as the ligatures ﬁ ﬂ ﬀ ("staﬀ" is
    # never found by "staff")
    html = page(tmp_path, "zh", f"基层按比例合格比例提高到60%，人员高一文方用；人民见长角 {ENGLISH}")
    assert pdf.export_pdf(html, tmp_path / "zh.pdf")
    text = text_of(tmp_path / "zh.pdf")
    assert "比例" in text and "人员" in text and "人民见长角" in text, text
    radicals = [c for c in text if 0x2E80 <= ord(c) <= 0x2FDF]  # CJK radicals supplement, Kangxi
    assert not radicals, radicals
    ligatures = [c for c in text if 0xFB00 <= ord(c) <= 0xFB06]  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ
    assert not ligatures, ligatures
    for word in ENGLISH.split():
        assert word in text, (word, text)
    assert not list(tmp_path.glob(".*.tmp*"))  # written whole, nothing left beside it


def test_the_text_mappings_are_changed_by_an_update_appended_to_the_printed_file(tmp_path, monkeypatch):
    # the printed file is kept byte for byte and the changed mappings follow it (PDF's
    # incremental update), instead of the whole file written again; a strict reader finds
    # nothing wrong, and the text copies as the ideographs
    printed = []
    real = pdf.searchable_ideographs
    monkeypatch.setattr(pdf, "searchable_ideographs", lambda b: printed.append(b) or real(b))
    assert pdf.export_pdf(page(tmp_path, "zh", "比例提高，人员，人民见长角"), tmp_path / "zh.pdf")
    made = (tmp_path / "zh.pdf").read_bytes()
    assert made != printed[0] and made.startswith(printed[0].rstrip(b"\n"))
    reader = pypdf.PdfReader(tmp_path / "zh.pdf", strict=True)
    text = "".join(p.extract_text() for p in reader.pages)
    assert "比例" in text and "人民见长角" in text and not [c for c in text if 0x2E80 <= ord(c) <= 0x2FDF]
    assert reader.trailer["/Prev"] > 0 and made.count(b"startxref") == printed[0].count(b"startxref") + 1
